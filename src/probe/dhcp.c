/* SPDX-License-Identifier: MIT */
/*
 * dhcp: who hands out addresses on a segment.
 *
 * One DHCPDISCOVER from a client that does not exist (a random, locally
 * administered MAC of the probe's own, a random xid) with the broadcast
 * flag set, so that servers broadcast their OFFERs and an interface
 * without an address sees them.  Every OFFER is kept for the whole window:
 * two servers on one segment is the fault to find.  No REQUEST ever
 * follows, so no server commits a lease.
 *
 * An AF_PACKET datagram socket does the talking: it needs no address and
 * no port 68 (dhclient may hold it), and a classic BPF filter keeps
 * everything but UDP to port 68 out of it.
 */
#include "probe/packet.h"
#include "util/cursor.h"
#include "probe/probe.h"

#include "facts/facts.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>

/* The pure packet code (probe/packet.h) is exported for its tests. */

#define IP_HDR	    20
#define UDP_HDR	    8
#define BOOTP_FIXED 236 /* op .. file, before the magic cookie */
#define BOOTP_MIN   300 /* RFC 951: some servers drop shorter requests */
#define DHCP_COOKIE 0x63825363u
#define PORT_SERVER 67
#define PORT_CLIENT 68
#define IP_FRAG	    0x3fff /* MF and the fragment offset */
#define IP_OFFSET   0x1fff

#define BOOTREQUEST    1
#define BOOTREPLY      2
#define HTYPE_ETHER    1
#define FLAG_BROADCAST 0x8000
#define DHCPDISCOVER   1
#define DHCPOFFER      2
#define OPT_PAD	       0
#define OPT_MASK       1
#define OPT_ROUTER     3
#define OPT_DNS	       6
#define OPT_LEASE      51
#define OPT_MSG_TYPE   53
#define OPT_SERVER_ID  54
#define OPT_PARAMS     55
#define OPT_CLIENT_ID  61
#define OPT_END	       255

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

/* The Internet checksum, accumulated over pieces, then folded. */
static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t n)
{
	for (; n > 1; p += 2, n -= 2)
		acc += (uint32_t)(p[0] << 8 | p[1]);
	if (n)
		acc += (uint32_t)p[0] << 8;
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

int vd_dhcp_build_discover(uint8_t *buf, size_t len, const uint8_t *mac,
			   uint32_t xid)
{
	static const uint8_t params[] = { OPT_MASK, OPT_ROUTER, OPT_DNS,
					  OPT_LEASE, OPT_SERVER_ID };
	const size_t ulen = UDP_HDR + BOOTP_MIN;
	uint8_t *ip = buf, *udp, *b, *o;
	uint16_t csum;

	if (!buf || !mac || len < VD_DHCP_DISCOVER_LEN)
		return -ENOBUFS;
	memset(buf, 0, VD_DHCP_DISCOVER_LEN);
	udp = ip + IP_HDR;
	b = udp + UDP_HDR;

	b[0] = BOOTREQUEST;
	b[1] = HTYPE_ETHER;
	b[2] = 6;
	put_be32(b + 4, xid);
	put_be16(b + 10, FLAG_BROADCAST);
	memcpy(b + 28, mac, 6); /* chaddr; ciaddr..giaddr stay 0 */
	put_be32(b + BOOTP_FIXED, DHCP_COOKIE);
	o = b + BOOTP_FIXED + 4;
	*o++ = OPT_MSG_TYPE;
	*o++ = 1;
	*o++ = DHCPDISCOVER;
	*o++ = OPT_CLIENT_ID;
	*o++ = 7;
	*o++ = HTYPE_ETHER;
	memcpy(o, mac, 6);
	o += 6;
	*o++ = OPT_PARAMS;
	*o++ = sizeof(params);
	memcpy(o, params, sizeof(params));
	o += sizeof(params);
	*o = OPT_END; /* then pad (zeros) up to BOOTP_MIN */

	ip[0] = 0x45; /* IPv4, 20-byte header */
	put_be16(ip + 2, VD_DHCP_DISCOVER_LEN);
	ip[8] = 64; /* TTL */
	ip[9] = IPPROTO_UDP;
	memset(ip + 16, 0xff, 4); /* 0.0.0.0 -> 255.255.255.255 */
	put_be16(ip + 10, fold(sum16(0, ip, IP_HDR)));

	put_be16(udp, PORT_CLIENT);
	put_be16(udp + 2, PORT_SERVER);
	put_be16(udp + 4, (uint16_t)ulen);
	/* Pseudo header: addresses, protocol, UDP length. */
	csum = fold(sum16(sum16(IPPROTO_UDP + (uint32_t)ulen, ip + 12, 8), udp,
			  ulen));
	put_be16(udp + 6, csum ? csum : 0xffff);
	return VD_DHCP_DISCOVER_LEN;
}

static void set_ipv4(struct vd_ip *ip, const uint8_t *b)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = VD_AF_INET;
	memcpy(ip->b, b, 4);
}

/*
 * The options area: the first instance of each option counts (RFC 3396
 * splits long options, whose first part holds the first router).  A value
 * of the wrong length counts as absent; a length past the end rejects
 * the message.  Option overload (52) is ignored: what we want is never
 * pushed into sname/file by the servers we know, and skipping it is safe.
 */
static int parse_options(struct cur *c, struct vd_dhcp_offer *o, int *type)
{
	uint8_t seen[256 / 8] = { 0 };

	while (c->left > 0) {
		uint8_t code, olen;
		const uint8_t *v;

		if (!cur_u8(c, &code))
			return -EBADMSG;
		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return 0;
		if (!cur_u8(c, &olen))
			return -EBADMSG;
		v = c->p;
		if (!cur_skip(c, olen))
			return -EBADMSG;
		if (seen[code / 8] & (1u << (code % 8)))
			continue;
		seen[code / 8] |= (uint8_t)(1u << (code % 8));
		switch (code) {
		case OPT_MSG_TYPE:
			if (olen == 1)
				*type = v[0];
			break;
		case OPT_SERVER_ID:
			if (olen == 4)
				set_ipv4(&o->server, v);
			break;
		case OPT_MASK:
			if (olen == 4)
				set_ipv4(&o->mask, v);
			break;
		case OPT_ROUTER:
			if (olen >= 4 && olen % 4 == 0)
				set_ipv4(&o->router, v);
			break;
		case OPT_DNS:
			if (olen >= 4 && olen % 4 == 0)
				set_ipv4(&o->dns, v);
			break;
		case OPT_LEASE:
			if (olen == 4)
				o->lease_s = be32(v);
			break;
		default:
			break;
		}
	}
	return 0; /* no END: lenient, as most clients are */
}

int vd_dhcp_parse_offer(const uint8_t *buf, size_t len, uint32_t xid,
			const uint8_t *mac, struct vd_dhcp_offer *out)
{
	static const uint8_t zero[4];
	struct cur c = { buf, buf ? len : 0 };
	struct vd_dhcp_offer o = { 0 };
	uint8_t vihl, proto, op, htype, hlen, src[4], yiaddr[4], chaddr[6];
	uint16_t tot, frag, sport, dport, ulen;
	uint32_t got_xid, cookie;
	size_t ihl;
	int type = -1, r;

	/* IPv4 */
	if (!cur_u8(&c, &vihl))
		goto too_short;
	if (vihl >> 4 != 4)
		return -EPROTO;
	ihl = (size_t)(vihl & 0xf) * 4;
	if (ihl < IP_HDR)
		goto too_short;
	if (!cur_skip(&c, 1) || !cur_be16(&c, &tot))
		goto too_short;
	if (tot < ihl)
		goto too_short;
	if (tot > len)
		goto too_short;
	c.left = tot - 4u; /* Ethernet padding is not part of the packet */
	if (!cur_skip(&c, 2) || !cur_be16(&c, &frag) || !cur_skip(&c, 1) ||
	    !cur_u8(&c, &proto) || !cur_skip(&c, 2) || !cur_bytes(&c, src, 4) ||
	    !cur_skip(&c, 4) || !cur_skip(&c, ihl - IP_HDR))
		goto too_short;
	if (proto != IPPROTO_UDP || (frag & IP_FRAG))
		return -EPROTO; /* fragments are not reassembled */

	/* UDP */
	if (!cur_be16(&c, &sport) || !cur_be16(&c, &dport) ||
	    !cur_be16(&c, &ulen) || !cur_skip(&c, 2))
		goto too_short;
	if (sport != PORT_SERVER || dport != PORT_CLIENT)
		return -EPROTO;
	if (ulen < UDP_HDR)
		goto too_short;
	if ((size_t)(ulen - UDP_HDR) > c.left)
		goto too_short;
	c.left = ulen - UDP_HDR;

	/* BOOTP: op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr,
	 * siaddr, giaddr, chaddr[16], sname[64], file[128], cookie. */
	if (!cur_u8(&c, &op) || !cur_u8(&c, &htype) || !cur_u8(&c, &hlen) ||
	    !cur_skip(&c, 1) || !cur_be32(&c, &got_xid) || !cur_skip(&c, 8) ||
	    !cur_bytes(&c, yiaddr, 4) || !cur_skip(&c, 8) ||
	    !cur_bytes(&c, chaddr, 6) || !cur_skip(&c, 10 + 64 + 128) ||
	    !cur_be32(&c, &cookie))
		goto too_short;
	if (cookie != DHCP_COOKIE)
		return -EPROTO; /* plain BOOTP */
	if (op != BOOTREPLY || htype != HTYPE_ETHER || hlen != 6 ||
	    got_xid != xid || !mac || memcmp(chaddr, mac, 6) != 0)
		return -ENOMSG;
	r = parse_options(&c, &o, &type);
	if (r)
		return r;
	if (type != DHCPOFFER)
		return -ENOMSG;
	if (!o.server.family || memcmp(o.server.b, zero, 4) == 0)
		set_ipv4(&o.server, src);
	set_ipv4(&o.yiaddr, yiaddr);
	*out = o;
	return 0;
too_short: /* or lengths that contradict each other */
	return -EBADMSG;
}

/*
 * The kernel's half of vd_dhcp_parse_offer: unfragmented (or first
 * fragment) UDP to port 68, so the socket sleeps through the rest of the
 * segment's IPv4 traffic, our own DISCOVERs (to port 67) included.
 */
int vd_dhcp_attach_filter(int fd)
{
	static struct sock_filter code[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
		/* 2 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, IP_OFFSET, 4, 0),
		/* 4: X = the IPv4 header length */
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		/* 5 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
		/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PORT_CLIENT, 0, 1),
		/* 7: keep */ BPF_STMT(BPF_RET | BPF_K, 0xffff),
		/* 8: drop */ BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };
	int r = setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			   sizeof(prog));

	return r < 0 ? -errno : 0;
}

/* Live probing. */

#define DEF_LISTEN_MS 3000
#define DEF_RETRIES   1
#define MAX_RETRIES   10
#define RX_MAX	      65535 /* an IPv4 packet, whatever the MTU */

struct dhcp {
	struct vd_loop *loop;
	struct vd_probes *out;
	int fd;
	struct vd_dhcp_result res;
	uint8_t discover[VD_DHCP_DISCOVER_LEN];
	unsigned listen_ms, retries, settle_ms;
	bool settling;	/* an offer came: the short wait is armed */
	unsigned sent;	/* DISCOVERs tried */
	uint64_t t0;	/* the first DISCOVER */
	int64_t send_t; /* the next DISCOVER, 0 when none is due */
	int64_t end_t;	/* the end of the window */
	uint8_t rx[RX_MAX];
};

static void dhcp_free(struct dhcp *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}

static void dhcp_finish(struct dhcp *d)
{
	struct vd_dhcp_result *r;

	vd_loop_del_fd(d->loop, d->fd);
	if (d->send_t > 0)
		vd_loop_cancel_timer(d->loop, d->send_t);
	if (d->end_t > 0)
		vd_loop_cancel_timer(d->loop, d->end_t);
	r = VD_PUSH(d->out, dhcps);
	/* Out of memory: the result is lost, nothing else to do. */
	if (r)
		*r = d->res;
	dhcp_free(d);
}

/*
 * One server, one offer: a server's retransmissions (or the answer to our
 * second DISCOVER) count once.  A server is its id and its MAC, so two
 * machines that both claim the same address (two copies of one VMware
 * NAT configuration) still show as two.
 */
static void add_offer(struct dhcp *d, const struct vd_dhcp_offer *of)
{
	struct vd_dhcp_result *r = &d->res;

	for (unsigned k = 0; k < r->n_offers; k++)
		if (memcmp(r->offers[k].server.b, of->server.b, 4) == 0 &&
		    memcmp(r->offers[k].server_mac, of->server_mac, 6) == 0)
			return;
	if (r->n_offers < VD_DHCP_MAX_OFFERS)
		r->offers[r->n_offers++] = *of;
}

static void on_end(struct vd_loop *l, void *arg);

static void on_io(struct vd_loop *l, int fd, unsigned events, void *arg)
{
	struct dhcp *d = arg;

	(void)events;
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		struct vd_dhcp_offer of;
		ssize_t n = recvfrom(fd, d->rx, sizeof(d->rx), 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0)
			break; /* EAGAIN: drained; errors end with the window */
		if (vd_dhcp_parse_offer(d->rx, (size_t)n, d->res.xid,
					d->res.client_mac, &of) < 0)
			continue;
		if (from.sll_halen == 6)
			memcpy(of.server_mac, from.sll_addr, 6);
		add_offer(d, &of);
	}
	/* With settle_ms, the first offer shortens the window: servers on
	 * one segment answer within milliseconds of each other. */
	if (d->settle_ms && d->res.n_offers && !d->settling) {
		int64_t t = vd_loop_add_timer(l, (uint64_t)d->settle_ms * 1000,
					      on_end, d);

		if (t > 0) {
			if (d->end_t > 0)
				vd_loop_cancel_timer(l, d->end_t);
			d->end_t = t;
			d->settling = true;
		}
	}
}

static void on_end(struct vd_loop *l, void *arg)
{
	struct dhcp *d = arg;

	(void)l;
	d->end_t = 0;
	dhcp_finish(d);
}

static void on_send(struct vd_loop *l, void *arg)
{
	struct dhcp *d = arg;
	struct sockaddr_ll to = { 0 };
	uint64_t now = vd_now_us(), next;
	int64_t t;

	d->send_t = 0;
	if (d->sent > 0 && d->res.n_offers > 0)
		return; /* somebody answered: no need to ask again */
	to.sll_family = AF_PACKET;
	to.sll_protocol = htons(ETH_P_IP);
	to.sll_ifindex = d->res.ifindex;
	to.sll_halen = 6;
	memset(to.sll_addr, 0xff, 6);
	/* A DISCOVER the kernel refuses (ENOBUFS...) is lost like one the
	 * wire drops; the retry or the empty result tell the rest. */
	sendto(d->fd, d->discover, sizeof(d->discover), 0,
	       (struct sockaddr *)&to, sizeof(to));
	if (d->sent++ == 0) {
		d->t0 = now;
		t = vd_loop_add_timer(l, (uint64_t)d->listen_ms * 1000, on_end,
				      d);
		if (t < 0) { /* no memory for a timer: report what we have */
			dhcp_finish(d);
			return;
		}
		d->end_t = t;
	}
	if (d->sent > d->retries)
		return;
	/* Spread the DISCOVERs over the window: with one retry, the second
	 * leaves halfway through if nobody has answered by then. */
	next = d->t0 +
	       (uint64_t)d->listen_ms * 1000 * d->sent / (d->retries + 1);
	t = vd_loop_add_timer(l, next > now ? next - now : 0, on_send, d);
	if (t > 0)
		d->send_t = t;
}

/* The interface's name; it must be up and speak Ethernet. */
static int if_check(struct dhcp *d)
{
	struct ifreq ifr = { 0 };
	char name[IF_NAMESIZE];

	if (!if_indextoname((unsigned)d->res.ifindex, name))
		return -ENODEV;
	memcpy(d->res.ifname, name, sizeof(name));
	memcpy(ifr.ifr_name, name, IF_NAMESIZE);
	if (ioctl(d->fd, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	if (!(ifr.ifr_flags & IFF_UP))
		return -ENETDOWN;
	if (ioctl(d->fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		return -EOPNOTSUPP; /* loopback, tunnels: no DHCP here */
	return 0;
}

static int dhcp_open(struct dhcp *d)
{
	struct sockaddr_ll sll = { 0 };
	int err;

	/* Protocol 0 until bound: no packet arrives before the filter. */
	d->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (d->fd < 0)
		return errno == EACCES ? -EPERM : -errno;
	err = vd_dhcp_attach_filter(d->fd);
	if (err)
		return err;
	err = if_check(d);
	if (err)
		return err;
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = d->res.ifindex;
	/* No PACKET_MR_UNICAST for our MAC: it would turn most NICs
	 * promiscuous (and log it) for the sake of servers that ignore the
	 * broadcast flag; vmnet-dhcpd, dnsmasq, ISC and Windows honour it. */
	if (bind(d->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

/* A random xid and a random MAC, locally administered and unicast. */
static int make_identity(struct dhcp *d)
{
	uint8_t r[10];
	size_t got = 0;

	while (got < sizeof(r)) {
		ssize_t n = getrandom(r + got, sizeof(r) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	d->res.xid = be32(r);
	memcpy(d->res.client_mac, r + 4, 6);
	d->res.client_mac[0] = (uint8_t)((d->res.client_mac[0] & 0xfc) | 0x02);
	return 0;
}

int vd_probe_dhcp_start(struct vd_loop *l, int ifindex,
			const struct vd_dhcp_opts *o, struct vd_probes *out)
{
	struct dhcp *d;
	int err;

	if (!l || !out || ifindex <= 0)
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->fd = -1;
	d->loop = l;
	d->out = out;
	d->res.ifindex = ifindex;
	d->listen_ms = o && o->listen_ms ? o->listen_ms : DEF_LISTEN_MS;
	d->retries = o ? o->retries : DEF_RETRIES;
	d->settle_ms = o ? o->settle_ms : 0;
	if (d->retries > MAX_RETRIES)
		d->retries = MAX_RETRIES;
	err = make_identity(d);
	if (err)
		goto fail;
	err = dhcp_open(d);
	if (err)
		goto fail;
	err = vd_dhcp_build_discover(d->discover, sizeof(d->discover),
				     d->res.client_mac, d->res.xid);
	if (err < 0)
		goto fail;
	err = vd_loop_add_fd(l, d->fd, VD_EV_IN, on_io, d);
	if (err)
		goto fail;
	/* The DISCOVER leaves when the loop runs, with every other probe. */
	d->send_t = vd_loop_add_timer(l, 0, on_send, d);
	if (d->send_t < 0) {
		err = (int)d->send_t;
		vd_loop_del_fd(l, d->fd);
		goto fail;
	}
	return 0;
fail:
	dhcp_free(d);
	return err;
}
