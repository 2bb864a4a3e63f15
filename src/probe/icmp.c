/* SPDX-License-Identifier: MIT */
/*
 * ping: ICMP and ICMPv6 echo.
 *
 * An unprivileged ICMP datagram socket first: the kernel picks the echo id,
 * hands us only our own replies, and queues the ICMP errors our echoes drew
 * on the socket's error queue (IP_RECVERR) with the sender as offender.
 * When net.ipv4.ping_group_range does not cover us, a raw socket: we pick
 * the id and sort the host's ICMP traffic ourselves, errors included, from
 * the header they quote.
 *
 * Echoes leave with DF set and the cached path MTU ignored (PMTUDISC_PROBE)
 * so that a path too narrow for them answers frag-needed / packet-too-big
 * every time instead of being fragmented silently after the first one.
 */
#include "probe/packet.h"
#include "probe/sock.h"
#include "util/cursor.h"
#include "probe/probe.h"

#include "facts/facts.h"
#include "util/ip.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* The pure packet code (probe/packet.h) is exported for its tests. */

/* Wire values (RFC 792, RFC 4443). */
#define ICMP4_ECHO_REPLY    0
#define ICMP4_UNREACH	    3
#define ICMP4_ECHO_REQUEST  8
#define ICMP4_TIME_EXCEEDED 11
#define ICMP4_PARAM_PROBLEM 12
#define ICMP4_FRAG_NEEDED   4 /* code of ICMP4_UNREACH */

#define ICMP6_UNREACH	    1
#define ICMP6_TOO_BIG	    2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_PARAM_PROBLEM 4
#define ICMP6_ECHO_REQUEST_ 128
#define ICMP6_ECHO_REPLY_   129

#define IPPROTO_ICMP_  1
#define IPPROTO_ICMP6_ 58

#define ECHO_HDR   8
#define COOKIE_LEN 8

uint16_t vd_icmp_checksum(const uint8_t *buf, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(buf[i] << 8 | buf[i + 1]);
	if (i < len)
		sum += (uint32_t)buf[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * An echo request as we sent it (an error queue entry of a datagram socket,
 * the quoted part of an ICMP error): 0, -ENOMSG for another message,
 * -EBADMSG when truncated.
 */
int vd_icmp_parse_echo_request(const uint8_t *buf, size_t len, bool v6,
			       uint16_t *id, uint16_t *seq)
{
	struct cur c = { buf, buf ? len : 0 };
	uint8_t type, code;
	uint16_t sum, i, s;

	if (!cur_u8(&c, &type) || !cur_u8(&c, &code) || !cur_be16(&c, &sum) ||
	    !cur_be16(&c, &i) || !cur_be16(&c, &s))
		return -EBADMSG;
	if (type != (v6 ? ICMP6_ECHO_REQUEST_ : ICMP4_ECHO_REQUEST) || code)
		return -ENOMSG;
	*id = i;
	*seq = s;
	return 0;
}

/* The errors that say why an echo got no reply. */
static bool is_error_type(bool v6, uint8_t type)
{
	if (v6)
		return type == ICMP6_UNREACH || type == ICMP6_TOO_BIG ||
		       type == ICMP6_TIME_EXCEEDED ||
		       type == ICMP6_PARAM_PROBLEM;
	return type == ICMP4_UNREACH || type == ICMP4_TIME_EXCEEDED ||
	       type == ICMP4_PARAM_PROBLEM;
}

/* The IPv4 header an ICMP error quotes, up to the quoted echo. */
static int quoted_ipv4(struct cur *c, struct vd_ip *dst)
{
	uint8_t vhl, proto;
	uint16_t frag;
	struct vd_ip d = { .family = VD_AF_INET };
	size_t hl;

	if (!cur_u8(c, &vhl))
		return -EBADMSG;
	if (vhl >> 4 != 4 || (vhl & 0xf) < 5)
		return -EBADMSG;
	hl = (size_t)(vhl & 0xf) * 4;
	/* tos, tot_len, id */
	if (!cur_skip(c, 5) || !cur_be16(c, &frag) || !cur_skip(c, 1) ||
	    !cur_u8(c, &proto) || !cur_skip(c, 2 + 4) ||
	    !cur_bytes(c, d.b, 4) || !cur_skip(c, hl - 20))
		return -EBADMSG;
	/* A later fragment quotes no ICMP header. */
	if (proto != IPPROTO_ICMP_ || (frag & 0x1fff))
		return -ENOMSG;
	*dst = d;
	return 0;
}

static int quoted_ipv6(struct cur *c, struct vd_ip *dst)
{
	uint8_t ver, nh;
	struct vd_ip d = { .family = VD_AF_INET6 };

	if (!cur_u8(c, &ver))
		return -EBADMSG;
	if (ver >> 4 != 6)
		return -EBADMSG;
	/* flow label, payload length */
	if (!cur_skip(c, 3 + 2) || !cur_u8(c, &nh) || !cur_skip(c, 1 + 16) ||
	    !cur_bytes(c, d.b, 16))
		return -EBADMSG;
	/* We send no extension headers: anything else is not ours. */
	if (nh != IPPROTO_ICMP6_)
		return -ENOMSG;
	*dst = d;
	return 0;
}

/*
 * One ICMP or ICMPv6 message from its ICMP header on.  VD_ICMP_REPLY: *id,
 * *seq of the echo reply.  VD_ICMP_ERROR: err type, code, v6 and next_mtu
 * (err->from is left to the caller, who knows the sender), the id and seq
 * of the echo request it quotes, and where that request went.
 * VD_ICMP_IGNORE for anything else; -EBADMSG when truncated or malformed.
 */
int vd_icmp_parse(const uint8_t *buf, size_t len, bool v6, uint16_t *id,
		  uint16_t *seq, struct vd_icmp_error *err,
		  struct vd_ip *quoted_dst)
{
	struct cur c = { buf, buf ? len : 0 };
	uint8_t type, code;
	uint16_t sum, i, s, mtu16;
	uint32_t rest;
	struct vd_ip dst;
	uint16_t mtu = 0;
	int r;

	if (!cur_u8(&c, &type) || !cur_u8(&c, &code) || !cur_be16(&c, &sum))
		return -EBADMSG;
	if (type == (v6 ? ICMP6_ECHO_REPLY_ : ICMP4_ECHO_REPLY)) {
		if (!cur_be16(&c, &i) || !cur_be16(&c, &s))
			return -EBADMSG;
		if (code)
			return VD_ICMP_IGNORE;
		*id = i;
		*seq = s;
		return VD_ICMP_REPLY;
	}
	if (!is_error_type(v6, type))
		return VD_ICMP_IGNORE;
	if (!v6 && type == ICMP4_UNREACH && code == ICMP4_FRAG_NEEDED) {
		/* RFC 1191: unused(16), next-hop MTU(16). */
		if (!cur_skip(&c, 2) || !cur_be16(&c, &mtu16))
			return -EBADMSG;
		mtu = mtu16;
	} else if (v6 && type == ICMP6_TOO_BIG) {
		if (!cur_be32(&c, &rest))
			return -EBADMSG;
		mtu = rest > 0xffff ? 0xffff : (uint16_t)rest;
	} else if (!cur_skip(&c, 4)) {
		return -EBADMSG;
	}
	r = v6 ? quoted_ipv6(&c, &dst) : quoted_ipv4(&c, &dst);
	if (r == -ENOMSG)
		return VD_ICMP_IGNORE;
	if (r < 0)
		return r;
	r = vd_icmp_parse_echo_request(c.p, c.left, v6, &i, &s);
	if (r == -ENOMSG)
		return VD_ICMP_IGNORE;
	if (r < 0)
		return r;
	*id = i;
	*seq = s;
	err->type = type;
	err->code = code;
	err->v6 = v6;
	err->next_mtu = mtu;
	*quoted_dst = dst;
	return VD_ICMP_ERROR;
}

/*
 * The IPv4 header in front of what a raw ICMP socket reads: the sender,
 * where the ICMP message starts and how long it is.  0, -ENOMSG when not
 * ICMP, -EBADMSG when malformed.
 */
int vd_icmp_strip_ipv4(const uint8_t *buf, size_t len, struct vd_ip *src,
		       size_t *off, size_t *plen)
{
	struct cur c = { buf, buf ? len : 0 };
	uint8_t vhl, proto;
	uint16_t tot;
	struct vd_ip s = { .family = VD_AF_INET };
	size_t hl, end;

	if (!cur_u8(&c, &vhl))
		return -EBADMSG;
	if (vhl >> 4 != 4 || (vhl & 0xf) < 5)
		return -EBADMSG;
	hl = (size_t)(vhl & 0xf) * 4;
	if (!cur_skip(&c, 1) || !cur_be16(&c, &tot) || !cur_skip(&c, 5) ||
	    !cur_u8(&c, &proto) || !cur_skip(&c, 2) || !cur_bytes(&c, s.b, 4) ||
	    !cur_skip(&c, hl - 16))
		return -EBADMSG;
	if (tot < hl)
		return -EBADMSG;
	if (proto != IPPROTO_ICMP_)
		return -ENOMSG;
	/* The read may have been cut short of tot_len: keep what is there. */
	end = tot < len ? tot : len;
	*src = s;
	*off = hl;
	*plen = end - hl;
	return 0;
}

/* Write the echo request header in front of the payload already in buf. */
int vd_icmp_build_echo(uint8_t *buf, size_t len, bool v6, uint16_t id,
		       uint16_t seq)
{
	uint16_t sum;

	if (!buf || len < ECHO_HDR)
		return -EINVAL;
	buf[0] = v6 ? ICMP6_ECHO_REQUEST_ : ICMP4_ECHO_REQUEST;
	buf[1] = 0;
	buf[2] = buf[3] = 0;
	buf[4] = (uint8_t)(id >> 8);
	buf[5] = (uint8_t)id;
	buf[6] = (uint8_t)(seq >> 8);
	buf[7] = (uint8_t)seq;
	if (!v6) { /* the kernel sums ICMPv6 (pseudo-header) */
		sum = vd_icmp_checksum(buf, len);
		buf[2] = (uint8_t)(sum >> 8);
		buf[3] = (uint8_t)sum;
	}
	return 0;
}

/* Live probing. */

#define DEF_COUNT	3
#define DEF_INTERVAL_MS 200
#define DEF_TIMEOUT_MS	1000
#define DEF_SIZE	56
#define MAX_SIZE	65507 /* 65535 - IPv4 header - ICMP header */
#define MAX_COUNT	65535 /* sequence numbers stay unique */
#define RECV_BUF	512   /* headers, quoted headers and the cookie */

enum echo_state { ECHO_UNSENT, ECHO_SENT, ECHO_ANSWERED, ECHO_FAILED };

struct ping {
	struct vd_loop *loop;
	struct vd_probes *out;
	struct vd_ip target;
	struct sockaddr_storage sa;
	socklen_t salen;
	int fd;
	bool dgram, v6;
	uint16_t id; /* raw sockets only: the kernel picks it for datagrams */
	unsigned count, interval_ms, timeout_ms;
	uint8_t *pkt;
	size_t pkt_len;
	uint8_t cookie[COOKIE_LEN];
	uint64_t *sent_at;
	uint8_t *state;	    /* enum echo_state per echo */
	unsigned n_tried;   /* echoes we tried to send */
	unsigned n_settled; /* answered, errored or failed to leave */
	int64_t timer;
	struct vd_ping_result r;
	uint64_t rtt_sum;
};

static void ping_free(struct ping *p)
{
	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p->pkt);
	free(p->sent_at);
	free(p->state);
	free(p);
}

static void ping_finish(struct ping *p)
{
	struct vd_ping_result *res;

	vd_loop_del_fd(p->loop, p->fd);
	if (p->timer > 0)
		vd_loop_cancel_timer(p->loop, p->timer);
	if (p->r.received)
		p->r.rtt_avg_us = (uint32_t)(p->rtt_sum / p->r.received);
	/* Out of memory loses the result: nothing else can be done here. */
	res = VD_PUSH(p->out, pings);
	if (res)
		*res = p->r;
	ping_free(p);
}

/* Every echo sent and settled: no reason to wait for the timeout. */
static bool ping_all_settled(const struct ping *p)
{
	return p->n_tried == p->count && p->n_settled == p->count;
}

/* Echo index from a sequence number (echoes go out as 1, 2, ...). */
static bool echo_index(const struct ping *p, uint16_t seq, unsigned *idx)
{
	unsigned i = (uint16_t)(seq - 1u);

	if (i >= p->n_tried)
		return false;
	*idx = i;
	return true;
}

static void settle(struct ping *p, unsigned idx, enum echo_state st)
{
	if (p->state[idx] != ECHO_SENT)
		return;
	p->state[idx] = (uint8_t)st;
	p->n_settled++;
}

static void got_reply(struct ping *p, uint16_t seq, const uint8_t *data,
		      size_t len)
{
	unsigned idx;
	uint64_t rtt;

	if (!echo_index(p, seq, &idx) || p->state[idx] != ECHO_SENT)
		return; /* stale, duplicate or not ours */
	/* Replies carry our payload back: a stranger's with our id does not. */
	if (p->pkt_len >= ECHO_HDR + COOKIE_LEN &&
	    (len < ECHO_HDR + COOKIE_LEN ||
	     memcmp(data + ECHO_HDR, p->cookie, COOKIE_LEN) != 0))
		return;
	rtt = vd_now_us() - p->sent_at[idx];
	if (rtt > UINT32_MAX)
		rtt = UINT32_MAX;
	settle(p, idx, ECHO_ANSWERED);
	p->r.received++;
	p->rtt_sum += rtt;
	if (p->r.received == 1 || rtt < p->r.rtt_min_us)
		p->r.rtt_min_us = (uint32_t)rtt;
	if (rtt > p->r.rtt_max_us)
		p->r.rtt_max_us = (uint32_t)rtt;
}

static void got_error(struct ping *p, const struct vd_icmp_error *e,
		      bool seq_known, uint16_t seq)
{
	unsigned idx;

	if (seq_known) {
		if (!echo_index(p, seq, &idx) || p->state[idx] == ECHO_UNSENT)
			return;
		settle(p, idx, ECHO_FAILED);
	}
	if (p->r.n_errors++ == 0)
		p->r.error = *e;
}

/* Raw sockets see every ICMP message of the host: keep ours. */
static void raw_packet(struct ping *p, const uint8_t *buf, size_t len,
		       const struct sockaddr *from)
{
	struct vd_icmp_error e = { 0 };
	struct vd_ip src, qdst;
	size_t off = 0, plen = len;
	uint16_t id, seq;
	int r;

	if (p->v6) {
		vd_ip_from_sockaddr(from, &src);
	} else if (vd_icmp_strip_ipv4(buf, len, &src, &off, &plen) < 0) {
		return;
	}
	r = vd_icmp_parse(buf + off, plen, p->v6, &id, &seq, &e, &qdst);
	if (r == VD_ICMP_REPLY && id == p->id && vd_ip_equal(&src, &p->target))
		got_reply(p, seq, buf + off, plen);
	else if (r == VD_ICMP_ERROR && id == p->id &&
		 vd_ip_equal(&qdst, &p->target)) {
		e.from = src;
		got_error(p, &e, true, seq);
	}
}

static void dgram_packet(struct ping *p, const uint8_t *buf, size_t len,
			 const struct sockaddr *from)
{
	struct vd_icmp_error e;
	struct vd_ip src, qdst;
	uint16_t id, seq;

	vd_ip_from_sockaddr(from, &src);
	if (vd_icmp_parse(buf, len, p->v6, &id, &seq, &e, &qdst) ==
		    VD_ICMP_REPLY &&
	    vd_ip_equal(&src, &p->target))
		got_reply(p, seq, buf, len);
}

static void read_packets(struct ping *p)
{
	uint8_t buf[RECV_BUF];
	struct sockaddr_storage from;

	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(p->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0) /* EAGAIN: drained; anything else: try later */
			return;
		if (p->dgram)
			dgram_packet(p, buf, (size_t)n,
				     (struct sockaddr *)&from);
		else
			raw_packet(p, buf, (size_t)n, (struct sockaddr *)&from);
	}
}

/* One error queue entry of a datagram socket. */
static void errqueue_entry(struct ping *p, const struct sock_extended_err *ee,
			   const struct vd_ip *offender, const uint8_t *data,
			   size_t len)
{
	struct vd_icmp_error e = { 0 };
	uint16_t id, seq = 0;
	bool known;

	if (ee->ee_origin == SO_EE_ORIGIN_LOCAL) {
		if (!p->r.local_errno)
			p->r.local_errno = (int)ee->ee_errno;
		return;
	}
	if (ee->ee_origin != SO_EE_ORIGIN_ICMP &&
	    ee->ee_origin != SO_EE_ORIGIN_ICMP6)
		return;
	/* Redirects and source quench queue here too: they are no error. */
	if (!is_error_type(ee->ee_origin == SO_EE_ORIGIN_ICMP6, ee->ee_type))
		return;
	e.type = ee->ee_type;
	e.code = ee->ee_code;
	e.v6 = ee->ee_origin == SO_EE_ORIGIN_ICMP6;
	if ((!e.v6 && e.type == ICMP4_UNREACH && e.code == ICMP4_FRAG_NEEDED) ||
	    (e.v6 && e.type == ICMP6_TOO_BIG))
		e.next_mtu =
			ee->ee_info > 0xffff ? 0xffff : (uint16_t)ee->ee_info;
	e.from = *offender;
	/* The entry's data is the echo we sent: it names the sequence. */
	known = vd_icmp_parse_echo_request(data, len, p->v6, &id, &seq) == 0;
	got_error(p, &e, known, seq);
}

/*
 * The payload of an IP_RECVERR / IPV6_RECVERR message: the extended error,
 * then the offender's address (a sockaddr_in or sockaddr_in6).
 */
static bool recverr_cmsg(const struct cmsghdr *cm, struct sock_extended_err *ee,
			 struct vd_ip *offender)
{
	const uint8_t *d = CMSG_DATA(cm);
	size_t n = cm->cmsg_len - CMSG_LEN(0);
	struct sockaddr_storage ss = { 0 };
	sa_family_t fam;

	if (cm->cmsg_len < CMSG_LEN(0) || n < sizeof(*ee))
		return false;
	memcpy(ee, d, sizeof(*ee));
	d += sizeof(*ee);
	n -= sizeof(*ee);
	memset(offender, 0, sizeof(*offender));
	if (n < sizeof(fam))
		return true;
	memcpy(&fam, d, sizeof(fam));
	if ((fam == AF_INET && n >= sizeof(struct sockaddr_in)) ||
	    (fam == AF_INET6 && n >= sizeof(struct sockaddr_in6))) {
		memcpy(&ss, d,
		       fam == AF_INET ? sizeof(struct sockaddr_in)
				      : sizeof(struct sockaddr_in6));
		vd_ip_from_sockaddr((struct sockaddr *)&ss, offender);
	}
	return true;
}

/* Drain the error queue; true when it held anything. */
static bool read_errqueue(struct ping *p)
{
	bool any = false;

	for (;;) {
		uint8_t data[RECV_BUF];
		union {
			char buf[512];
			struct cmsghdr align;
		} ctl;
		struct sockaddr_storage from;
		struct iovec iov = { data, sizeof(data) };
		struct msghdr m = { .msg_name = &from,
				    .msg_namelen = sizeof(from),
				    .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = ctl.buf,
				    .msg_controllen = sizeof(ctl.buf) };
		struct cmsghdr *cm;
		struct sock_extended_err ee;
		struct vd_ip offender;
		ssize_t n = recvmsg(p->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT);
		size_t got;

		if (n < 0)
			return any;
		any = true;
		got = (size_t)n < sizeof(data) ? (size_t)n : sizeof(data);
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
			if (!((cm->cmsg_level == SOL_IP &&
			       cm->cmsg_type == IP_RECVERR) ||
			      (cm->cmsg_level == SOL_IPV6 &&
			       cm->cmsg_type == IPV6_RECVERR)))
				continue;
			if (recverr_cmsg(cm, &ee, &offender))
				errqueue_entry(p, &ee, &offender, data, got);
		}
	}
}

static void on_io(struct vd_loop *l, int fd, unsigned events, void *arg)
{
	struct ping *p = arg;

	(void)l;
	(void)fd;
	if (p->dgram)
		read_errqueue(p);
	if (events & VD_EV_ERR) {
		int soerr;
		socklen_t sl = sizeof(soerr);

		/* A pending socket error would keep epoll reporting it. */
		getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
	}
	read_packets(p);
	if (ping_all_settled(p))
		ping_finish(p);
}

static void on_deadline(struct vd_loop *l, void *arg)
{
	struct ping *p = arg;

	(void)l;
	p->timer = 0;
	ping_finish(p);
}

static void send_echo(struct ping *p)
{
	unsigned idx = p->n_tried++;
	uint16_t seq = (uint16_t)(idx + 1);
	ssize_t n;
	int err;

	vd_icmp_build_echo(p->pkt, p->pkt_len, p->v6, p->id, seq);
	p->sent_at[idx] = vd_now_us();
	p->state[idx] = ECHO_SENT;
	n = sendto(p->fd, p->pkt, p->pkt_len, 0, (struct sockaddr *)&p->sa,
		   p->salen);
	err = errno;
	/*
	 * A datagram socket reports an ICMP error that came back for an
	 * earlier echo on the next send as well: it is not a local failure
	 * once the error queue has told us about it.
	 */
	if (n < 0 && p->dgram && read_errqueue(p)) {
		p->sent_at[idx] = vd_now_us();
		n = sendto(p->fd, p->pkt, p->pkt_len, 0,
			   (struct sockaddr *)&p->sa, p->salen);
		err = errno;
	}
	if (n < 0) {
		if (!p->r.local_errno)
			p->r.local_errno = err;
		settle(p, idx, ECHO_FAILED);
		return;
	}
	p->r.sent++;
}

static void on_tick(struct vd_loop *l, void *arg)
{
	struct ping *p = arg;
	int64_t t;

	p->timer = 0;
	send_echo(p);
	if (ping_all_settled(p)) {
		ping_finish(p);
		return;
	}
	if (p->n_tried < p->count)
		t = vd_loop_add_timer(l, (uint64_t)p->interval_ms * 1000,
				      on_tick, p);
	else
		t = vd_loop_add_timer(l, (uint64_t)p->timeout_ms * 1000,
				      on_deadline, p);
	if (t < 0) { /* no memory for the timer: report what we have */
		ping_finish(p);
		return;
	}
	p->timer = t;
}

int vd_probe_ping_start(struct vd_loop *l, const struct vd_ip *target,
			const struct vd_ping_opts *o, struct vd_probes *out)
{
	struct vd_ping_opts d = { 0 };
	struct ping *p;
	size_t size;
	int err;

	if (!l || !target || !out)
		return -EINVAL;
	if (target->family != VD_AF_INET && target->family != VD_AF_INET6)
		return -EAFNOSUPPORT;
	if (o)
		d = *o;
	d.count = d.count ? d.count : DEF_COUNT;
	d.interval_ms = d.interval_ms ? d.interval_ms : DEF_INTERVAL_MS;
	d.timeout_ms = d.timeout_ms ? d.timeout_ms : DEF_TIMEOUT_MS;
	d.size = d.size ? d.size : DEF_SIZE;
	if (d.count > MAX_COUNT || d.size > MAX_SIZE)
		return -EINVAL;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->fd = -1;
	p->loop = l;
	p->out = out;
	p->target = *target;
	p->v6 = target->family == VD_AF_INET6;
	p->count = d.count;
	p->interval_ms = d.interval_ms;
	p->timeout_ms = d.timeout_ms;
	p->r.target = *target;
	size = d.size;
	p->pkt_len = ECHO_HDR + size;
	p->pkt = calloc(1, p->pkt_len);
	p->sent_at = calloc(p->count, sizeof(*p->sent_at));
	p->state = calloc(p->count, sizeof(*p->state));
	if (!p->pkt || !p->sent_at || !p->state) {
		err = -ENOMEM;
		goto fail;
	}
	if (p->v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&p->sa;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, target->b, 16);
		p->salen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&p->sa;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, target->b, 4);
		p->salen = sizeof(*s4);
	}
	p->fd = vd_icmp_socket(p->v6, &p->dgram);
	if (p->fd < 0) {
		err = p->fd;
		goto fail;
	}
	vd_fill_random(&p->id, sizeof(p->id));
	vd_fill_random(p->cookie, sizeof(p->cookie));
	memcpy(p->pkt + ECHO_HDR, p->cookie,
	       size < COOKIE_LEN ? size : COOKIE_LEN);
	for (size_t i = COOKIE_LEN; i < size; i++)
		p->pkt[ECHO_HDR + i] = (uint8_t)i;

	err = vd_loop_add_fd(l, p->fd, VD_EV_IN, on_io, p);
	if (err)
		goto fail;
	/* The first echo leaves when the loop runs, with every other probe. */
	p->timer = vd_loop_add_timer(l, 0, on_tick, p);
	if (p->timer < 0) {
		err = (int)p->timer;
		vd_loop_del_fd(l, p->fd);
		goto fail;
	}
	return 0;
fail:
	ping_free(p);
	return err;
}
