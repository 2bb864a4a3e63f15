/* SPDX-License-Identifier: MIT */
/*
 * mtu: the largest packet that crosses the path with DF set.
 *
 * ICMP echoes of chosen sizes, DF set and the kernel's cached path MTU
 * ignored (PMTUDISC_PROBE: we may send above it, and nothing is ever
 * fragmented).  The same sockets as ping (src/probe/icmp.c): a datagram
 * socket whose error queue hands us the frag-needed / packet-too-big our
 * echoes drew, else a raw socket where we read those errors ourselves.
 *
 * The search (below, pure) sends rounds of sizes at once: the route's MTU
 * and the floor first, so a healthy path is done in one round trip; then
 * up to VD_MTU_ROUND_SIZES sizes splitting what is still unknown.  A size
 * gets TRIES tries of timeout_ms each before it counts as lost.
 */
#include "probe/mtu_search.h"
#include "probe/packet.h"
#include "probe/sock.h"
#include "probe/probe.h"

#include "facts/facts.h"
#include "util/ip.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/errqueue.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* The search: pure. */

static unsigned search_ok(const struct vd_mtu_search *s)
{
	unsigned ok = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->tried[i].outcome == VD_MTU_ANSWERED &&
		    s->tried[i].size > ok)
			ok = s->tried[i].size;
	return ok;
}

/* The smallest size a frag-needed or EMSGSIZE said is too big, 0 none. */
static unsigned search_too_big(const struct vd_mtu_search *s)
{
	unsigned tb = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->tried[i].outcome == VD_MTU_TOO_BIG &&
		    (!tb || s->tried[i].bound < tb))
			tb = s->tried[i].bound;
	return tb;
}

/* A lost size below one that answered was plain loss: only above counts. */
static unsigned search_lost_above(const struct vd_mtu_search *s, unsigned ok)
{
	unsigned lost = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->tried[i].outcome == VD_MTU_LOST &&
		    s->tried[i].size > ok && (!lost || s->tried[i].size < lost))
			lost = s->tried[i].size;
	return lost;
}

/* The smallest size known not to pass; max + 1 when none. */
static unsigned search_bad(const struct vd_mtu_search *s, unsigned ok)
{
	unsigned tb = search_too_big(s), lost = search_lost_above(s, ok);
	unsigned bad = s->max + 1;

	if (tb && tb < bad)
		bad = tb;
	if (lost && lost < bad)
		bad = lost;
	return bad;
}

void vd_mtu_search_init(struct vd_mtu_search *s, unsigned floor, unsigned max)
{
	memset(s, 0, sizeof(*s));
	s->max = max;
	s->floor = floor < max ? floor : max;
}

size_t vd_mtu_search_next(struct vd_mtu_search *s, unsigned *sizes)
{
	unsigned ok, hi, span;
	size_t n = 0, room = VD_MTU_SEARCH_MAX - s->n;

	if (!s->max || room < 2)
		return 0;
	if (s->rounds++ == 0) {
		if (s->floor < s->max)
			sizes[n++] = s->floor;
		sizes[n++] = s->max;
		return n;
	}
	ok = search_ok(s);
	if (!ok || ok >= s->max) /* nothing passes, or everything does */
		return 0;
	hi = search_bad(s, ok) - 1;
	if (hi <= ok)
		return 0;
	span = hi - ok;
	if (room > VD_MTU_ROUND_SIZES)
		room = VD_MTU_ROUND_SIZES;
	if (span <= room) {
		for (unsigned v = ok + 1; v <= hi; v++)
			sizes[n++] = v;
		return n;
	}
	/* Evenly spread, and the top one too: a frag-needed's MTU sits there. */
	for (size_t i = 1; i < room; i++)
		sizes[n++] = ok + (unsigned)((unsigned long)span * i / room);
	sizes[n++] = hi;
	return n;
}

void vd_mtu_search_record(struct vd_mtu_search *s, unsigned size,
			  enum vd_mtu_outcome outcome, unsigned next_mtu)
{
	if (s->n >= VD_MTU_SEARCH_MAX)
		return;
	s->tried[s->n].size = size;
	s->tried[s->n].outcome = (unsigned char)outcome;
	/* Old routers say 0, broken ones a size that did not pass: then only
	 * this size is known too big. */
	s->tried[s->n].bound =
		next_mtu >= s->floor && next_mtu < size ? next_mtu + 1 : size;
	s->n++;
}

bool vd_mtu_search_done(const struct vd_mtu_search *s)
{
	unsigned ok = search_ok(s);

	if (!ok)
		return false;
	return ok >= s->max || search_bad(s, ok) - 1 <= ok;
}

void vd_mtu_search_verdict(const struct vd_mtu_search *s, unsigned *path_mtu,
			   unsigned *first_lost, bool *black_hole)
{
	unsigned ok = search_ok(s), tb = search_too_big(s);
	unsigned lost = search_lost_above(s, ok);

	/* Lost above a frag-needed's MTU: rate-limited ICMP, not a hole. */
	if (!ok || (tb && tb <= lost))
		lost = 0;
	*path_mtu = ok;
	*first_lost = lost;
	*black_hole = lost != 0;
}

/* Live probing. */

#define DEF_TIMEOUT_MS 500
#define TRIES	       2
#define FLOOR4	       68   /* RFC 791: every IPv4 link carries this */
#define FLOOR6	       1280 /* RFC 8200 */
#define MAX_PACKET     65535
#define IP4_HDR	       20
#define IP6_HDR	       40
#define ECHO_HDR       8
#define COOKIE_LEN     8
#define RECV_BUF       512 /* headers, quoted headers and the cookie */

/* Sequence numbers say which round, try and size an echo was. */
#define SEQ(round, try, slot) \
	((uint16_t)((round) << 5 | (unsigned)(try) << 4 | (unsigned)(slot)))
#define SEQ_ROUND(seq) ((unsigned)(seq) >> 5)
#define SEQ_SLOT(seq)  ((unsigned)(seq)&15u)

struct mtu {
	struct vd_loop *loop;
	struct vd_probes *out;
	struct vd_ip target;
	struct sockaddr_storage sa;
	socklen_t salen;
	int fd;
	bool dgram, v6;
	uint16_t id; /* raw sockets only: the kernel picks it for datagrams */
	unsigned timeout_ms, hdr;
	uint8_t cookie[COOKIE_LEN];
	uint8_t *pkt;
	struct vd_mtu_search s;
	unsigned round, try;
	unsigned sizes[VD_MTU_ROUND_SIZES];
	bool settled[VD_MTU_ROUND_SIZES];
	size_t n_sizes, n_pending;
	int64_t timer;
	struct vd_mtu_result r;
};

static void mtu_free(struct mtu *m)
{
	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	free(m->pkt);
	free(m);
}

static void mtu_finish(struct mtu *m)
{
	struct vd_mtu_result *res;

	vd_loop_del_fd(m->loop, m->fd);
	if (m->timer > 0)
		vd_loop_cancel_timer(m->loop, m->timer);
	vd_mtu_search_verdict(&m->s, &m->r.path_mtu, &m->r.first_lost,
			      &m->r.black_hole);
	/* Out of memory loses the result: nothing else can be done here. */
	res = VD_PUSH(m->out, mtus);
	if (res)
		*res = m->r;
	mtu_free(m);
}

static void settle(struct mtu *m, unsigned slot, enum vd_mtu_outcome oc,
		   unsigned next_mtu)
{
	if (slot >= m->n_sizes || m->settled[slot])
		return;
	m->settled[slot] = true;
	m->n_pending--;
	vd_mtu_search_record(&m->s, m->sizes[slot], oc, next_mtu);
}

/* The slot of this round an echo's sequence number names. */
static bool seq_slot(const struct mtu *m, uint16_t seq, unsigned *slot)
{
	if (SEQ_ROUND(seq) != (m->round & 0x7ff) || SEQ_SLOT(seq) >= m->n_sizes)
		return false;
	*slot = SEQ_SLOT(seq);
	return true;
}

static bool is_frag_needed(const struct vd_icmp_error *e)
{
	return e->v6 ? e->type == ICMP6_PACKET_TOO_BIG
		     : e->type == ICMP_DEST_UNREACH &&
			       e->code == ICMP_FRAG_NEEDED;
}

static void got_reply(struct mtu *m, uint16_t seq, const uint8_t *data,
		      size_t len)
{
	unsigned slot;

	/* Replies carry our payload back: a stranger's with our id does not. */
	if (len < ECHO_HDR + COOKIE_LEN ||
	    memcmp(data + ECHO_HDR, m->cookie, COOKIE_LEN) != 0)
		return;
	if (seq_slot(m, seq, &slot))
		settle(m, slot, VD_MTU_ANSWERED, 0);
}

static void got_error(struct mtu *m, const struct vd_icmp_error *e,
		      uint16_t seq)
{
	unsigned slot;

	if (!seq_slot(m, seq, &slot))
		return;
	if (!is_frag_needed(e)) {
		/* Unreachable, prohibited: no answer will come for it.  Kept
		 * (when nothing else is) for the rules: the ICMP rate limit of
		 * a router may have answered the MTU probe and not the ping. */
		if (!m->r.error.type)
			m->r.error = *e;
		settle(m, slot, VD_MTU_LOST, 0);
		return;
	}
	/* Keep the narrowest link named (over any unreachable). */
	if (!is_frag_needed(&m->r.error) ||
	    (e->next_mtu &&
	     (!m->r.error.next_mtu || e->next_mtu < m->r.error.next_mtu)))
		m->r.error = *e;
	settle(m, slot, VD_MTU_TOO_BIG, e->next_mtu);
}

static void read_packets(struct mtu *m)
{
	uint8_t buf[RECV_BUF];

	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		struct vd_icmp_error e = { 0 };
		struct vd_ip src, qdst;
		size_t off = 0, plen;
		uint16_t id, seq;
		ssize_t n = recvfrom(m->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
		int r;

		if (n < 0) /* EAGAIN: drained; anything else: try later */
			return;
		plen = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf);
		vd_ip_from_sockaddr((const struct sockaddr *)&from, &src);
		/* Raw IPv4 sockets read the IP header too. */
		if (!m->dgram && !m->v6 &&
		    vd_icmp_strip_ipv4(buf, plen, &src, &off, &plen) < 0)
			continue;
		r = vd_icmp_parse(buf + off, plen, m->v6, &id, &seq, &e, &qdst);
		if (r == VD_ICMP_REPLY && (m->dgram || id == m->id) &&
		    vd_ip_equal(&src, &m->target))
			got_reply(m, seq, buf + off, plen);
		else if (r == VD_ICMP_ERROR && !m->dgram && id == m->id &&
			 vd_ip_equal(&qdst, &m->target)) {
			e.from = src;
			got_error(m, &e, seq);
		}
	}
}

/* The error queue of a datagram socket; true when it held anything. */
static bool read_errqueue(struct mtu *m)
{
	bool any = false;

	for (;;) {
		uint8_t data[RECV_BUF];
		union {
			char buf[512];
			struct cmsghdr align;
		} ctl;
		struct iovec iov = { data, sizeof(data) };
		struct msghdr msg = { .msg_iov = &iov,
				      .msg_iovlen = 1,
				      .msg_control = ctl.buf,
				      .msg_controllen = sizeof(ctl.buf) };
		struct cmsghdr *cm;
		ssize_t n = recvmsg(m->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
		size_t got;

		if (n < 0)
			return any;
		any = true;
		got = (size_t)n < sizeof(data) ? (size_t)n : sizeof(data);
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			struct sock_extended_err ee;
			struct sockaddr_storage off = { 0 };
			struct vd_icmp_error e = { 0 };
			size_t len = cm->cmsg_len - CMSG_LEN(0);
			uint16_t id, seq;

			if (!((cm->cmsg_level == SOL_IP &&
			       cm->cmsg_type == IP_RECVERR) ||
			      (cm->cmsg_level == SOL_IPV6 &&
			       cm->cmsg_type == IPV6_RECVERR)) ||
			    cm->cmsg_len < CMSG_LEN(sizeof(ee)))
				continue;
			memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
			len -= sizeof(ee);
			memcpy(&off, CMSG_DATA(cm) + sizeof(ee),
			       len < sizeof(off) ? len : sizeof(off));
			/* Local errors (EMSGSIZE) also fail the send itself. */
			if (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
			    ee.ee_origin != SO_EE_ORIGIN_ICMP6)
				continue;
			e.type = ee.ee_type;
			e.code = ee.ee_code;
			e.v6 = ee.ee_origin == SO_EE_ORIGIN_ICMP6;
			if (is_frag_needed(&e))
				e.next_mtu = ee.ee_info > 0xffff
						     ? 0xffff
						     : (uint16_t)ee.ee_info;
			vd_ip_from_sockaddr((const struct sockaddr *)&off,
					    &e.from);
			/* Redirects and quench are no verdict on a size. */
			if (!e.v6 && e.type != ICMP_DEST_UNREACH &&
			    e.type != ICMP_TIME_EXCEEDED)
				continue;
			if (e.v6 && e.type > ICMP6_PARAM_PROB)
				continue;
			/* The entry's data is the echo we sent. */
			if (vd_icmp_parse_echo_request(data, got, m->v6, &id,
						       &seq) == 0)
				got_error(m, &e, seq);
		}
	}
}

static void send_size(struct mtu *m, unsigned slot)
{
	size_t len = m->sizes[slot] - m->hdr;
	ssize_t n;
	int err;

	vd_icmp_build_echo(m->pkt, len, m->v6, m->id,
			   SEQ(m->round, m->try, slot));
	n = sendto(m->fd, m->pkt, len, 0, (struct sockaddr *)&m->sa, m->salen);
	err = errno;
	/* An ICMP error for an earlier echo fails the next send as well,
	 * until the error queue has been read. */
	if (n < 0 && m->dgram && read_errqueue(m)) {
		n = sendto(m->fd, m->pkt, len, 0, (struct sockaddr *)&m->sa,
			   m->salen);
		err = errno;
	}
	if (n >= 0)
		return;
	/* Wider than our own interface: known too big without a packet. */
	settle(m, slot, err == EMSGSIZE ? VD_MTU_TOO_BIG : VD_MTU_LOST, 0);
}

static void send_pending(struct mtu *m)
{
	for (unsigned i = 0; i < m->n_sizes; i++)
		if (!m->settled[i])
			send_size(m, i);
}

static void on_timer(struct vd_loop *l, void *arg);

/* Go on with the search: finish, wait, or start the next round. */
static void advance(struct mtu *m)
{
	for (;;) {
		if (vd_mtu_search_done(&m->s))
			break;
		if (m->n_pending)
			return; /* the round's timer is running */
		if (m->timer > 0)
			vd_loop_cancel_timer(m->loop, m->timer);
		m->timer = 0;
		m->n_sizes = vd_mtu_search_next(&m->s, m->sizes);
		if (!m->n_sizes)
			break;
		m->round++;
		m->try = 0;
		m->n_pending = m->n_sizes;
		memset(m->settled, 0, sizeof(m->settled));
		send_pending(m);
		if (!m->n_pending)
			continue;
		m->timer = vd_loop_add_timer(
			m->loop, (uint64_t)m->timeout_ms * 1000, on_timer, m);
		if (m->timer < 0) /* no memory: report what we have */
			break;
	}
	mtu_finish(m);
}

static void on_timer(struct vd_loop *l, void *arg)
{
	struct mtu *m = arg;

	m->timer = 0;
	if (++m->try < TRIES) {
		send_pending(m);
		if (m->n_pending) {
			m->timer = vd_loop_add_timer(
				l, (uint64_t)m->timeout_ms * 1000, on_timer, m);
			if (m->timer < 0) {
				mtu_finish(m);
				return;
			}
		}
	} else {
		for (unsigned i = 0; i < m->n_sizes; i++)
			settle(m, i, VD_MTU_LOST, 0);
	}
	advance(m);
}

static void on_start(struct vd_loop *l, void *arg)
{
	struct mtu *m = arg;

	(void)l;
	m->timer = 0;
	advance(m);
}

static void on_io(struct vd_loop *l, int fd, unsigned events, void *arg)
{
	struct mtu *m = arg;

	(void)l;
	(void)fd;
	if (m->dgram)
		read_errqueue(m);
	if (events & VD_EV_ERR) {
		int soerr;
		socklen_t sl = sizeof(soerr);

		/* A pending socket error would keep epoll reporting it. */
		getsockopt(m->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
	}
	read_packets(m);
	advance(m);
}

/*
 * The MTU of the interface the route to the target leaves by.  Not a
 * connected socket's IP_MTU: that is the path MTU the kernel has learnt
 * from earlier frag-needed, which is what we are here to measure.  That
 * is only the fallback, and 0 when neither can be had.
 */
static unsigned route_mtu(const struct mtu *m)
{
	struct sockaddr_storage sa = m->sa;
	struct vd_route_get rt;
	struct ifreq ifr = { 0 };
	int fd, v = 0;
	socklen_t sl = sizeof(v);

	fd = socket(sa.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	if (vd_route_get(&m->target, &rt) == 0 && !rt.err && rt.oif > 0 &&
	    if_indextoname((unsigned)rt.oif, ifr.ifr_name) &&
	    ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0) {
		close(fd);
		return (unsigned)ifr.ifr_mtu;
	}
	if (sa.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&sa)->sin6_port = htons(9);
	else
		((struct sockaddr_in *)&sa)->sin_port = htons(9);
	if (connect(fd, (struct sockaddr *)&sa, m->salen) < 0 ||
	    getsockopt(fd, m->v6 ? SOL_IPV6 : SOL_IP, m->v6 ? IPV6_MTU : IP_MTU,
		       &v, &sl) < 0 ||
	    v < 0)
		v = 0;
	close(fd);
	return (unsigned)v;
}

int vd_probe_mtu_start(struct vd_loop *l, const struct vd_ip *target,
		       const struct vd_mtu_opts *o, struct vd_probes *out)
{
	struct mtu *m;
	unsigned max, floor;
	int err;

	if (!l || !target || !out)
		return -EINVAL;
	if (target->family != VD_AF_INET && target->family != VD_AF_INET6)
		return -EAFNOSUPPORT;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->fd = -1;
	m->loop = l;
	m->out = out;
	m->target = *target;
	m->r.target = *target;
	m->v6 = target->family == VD_AF_INET6;
	m->hdr = m->v6 ? IP6_HDR : IP4_HDR;
	floor = m->v6 ? FLOOR6 : FLOOR4;
	m->timeout_ms = o && o->timeout_ms ? o->timeout_ms : DEF_TIMEOUT_MS;
	if (m->v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&m->sa;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, target->b, 16);
		m->salen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&m->sa;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, target->b, 4);
		m->salen = sizeof(*s4);
	}
	m->r.local_mtu = route_mtu(m);
	max = o && o->max_size ? o->max_size
	      : m->r.local_mtu ? m->r.local_mtu
			       : 1500;
	if (max > MAX_PACKET)
		max = MAX_PACKET;
	/* Room for the echo header and our cookie. */
	if (max < m->hdr + ECHO_HDR + COOKIE_LEN) {
		err = -EINVAL;
		goto fail;
	}
	vd_mtu_search_init(&m->s, floor, max);
	m->pkt = calloc(1, max - m->hdr);
	if (!m->pkt) {
		err = -ENOMEM;
		goto fail;
	}
	m->fd = vd_icmp_socket(m->v6, &m->dgram);
	if (m->fd < 0) {
		err = m->fd;
		goto fail;
	}
	vd_fill_random(&m->id, sizeof(m->id));
	vd_fill_random(m->cookie, sizeof(m->cookie));
	memcpy(m->pkt + ECHO_HDR, m->cookie, COOKIE_LEN);
	for (size_t i = ECHO_HDR + COOKIE_LEN; i < max - m->hdr; i++)
		m->pkt[i] = (uint8_t)i;

	err = vd_loop_add_fd(l, m->fd, VD_EV_IN, on_io, m);
	if (err)
		goto fail;
	/* The first round leaves when the loop runs, with every other probe. */
	m->timer = vd_loop_add_timer(l, 0, on_start, m);
	if (m->timer < 0) {
		err = (int)m->timer;
		vd_loop_del_fd(l, m->fd);
		goto fail;
	}
	return 0;
fail:
	mtu_free(m);
	return err;
}
