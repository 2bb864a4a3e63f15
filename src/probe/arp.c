/* SPDX-License-Identifier: MIT */
/*
 * arp: "who has T?" on one interface over AF_PACKET, every answer kept.
 *
 * Two MACs answering for one address is a duplicate IP, so the probe never
 * stops at the first answer: it listens until the timeout, counting the
 * replies to its requests and the gratuitous announcements alike.  A
 * classic BPF filter keeps every other frame of the segment out of the
 * socket; requests to many targets are paced so that a whole /24 goes out
 * in one run without the far side dropping any.
 */
#include "decode/decode.h"
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
#include <sys/socket.h>

/* The pure packet code (probe/packet.h) is exported for its tests. */

#define ETH_HDR	     14
#define ARP_LEN	     28 /* Ethernet/IPv4 ARP */
#define ETHERTYPE_A  0x0806
#define ETHERTYPE_IP 0x0800
#define ARP_HTYPE    1		/* Ethernet */
#define ARP_ETH_IP   0x00010800 /* htype Ethernet, ptype IPv4: one word */
#define ARP_LENS     0x0604	/* hlen 6, plen 4: one half-word */
#define ARP_REQUEST  1
#define ARP_REPLY    2

static uint8_t *put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *put(uint8_t *p, const void *src, size_t n)
{
	memcpy(p, src, n);
	return p + n;
}

/*
 * A broadcast Ethernet frame asking who has tip, from mac/sip (sip
 * 0.0.0.0: an RFC 5227 probe).  Returns the frame length, padded to the
 * Ethernet minimum, or -ENOBUFS.
 */
int vd_arp_build_request(uint8_t *buf, size_t len, const uint8_t *mac,
			 const uint8_t *sip, const uint8_t *tip)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	uint8_t *p = buf;

	if (!buf || len < VD_ARP_FRAME_LEN)
		return -ENOBUFS;
	memset(buf, 0, VD_ARP_FRAME_LEN);
	p = put(p, bcast, 6);
	p = put(p, mac, 6);
	p = put_be16(p, ETHERTYPE_A);
	p = put_be16(p, ARP_HTYPE);
	p = put_be16(p, ETHERTYPE_IP);
	*p++ = 6;
	*p++ = 4;
	p = put_be16(p, ARP_REQUEST);
	p = put(p, mac, 6);
	p = put(p, sip, 4);
	p = put(p, zero, 6);
	put(p, tip, 4);
	return VD_ARP_FRAME_LEN;
}

/*
 * An Ethernet frame that says who uses an IPv4 address: an ARP reply, or a
 * gratuitous request (sender address = target address, not 0.0.0.0).
 * 0 with the sender's MAC and IP; -EBADMSG when truncated, -EPROTO when
 * not Ethernet/IPv4 ARP, -ENOMSG for other requests.
 */
int vd_arp_parse_answer(const uint8_t *buf, size_t len, uint8_t *sha,
			uint8_t *spa)
{
	const struct vd_arp_pkt *a;
	struct vd_pkt p;

	/* The capture decoder reads the frame (src/decode); a packet
	 * socket delivers it untagged, so a tag means "not ours". */
	vd_decode(VD_LINK_ETHERNET, buf, buf ? len : 0, &p);
	if (!(p.flags & VD_PKT_ETH))
		return -EBADMSG;
	if (p.ethertype != ETHERTYPE_A || p.n_vlan)
		return -EPROTO;
	if (p.flags & VD_PKT_BAD)
		return -EPROTO; /* not Ethernet/IPv4 ARP */
	if (!(p.flags & VD_PKT_ARP))
		return -EBADMSG;
	a = &p.arp;
	if (a->op != ARP_REPLY &&
	    !(a->op == ARP_REQUEST && memcmp(a->spa, a->tpa, 4) == 0 &&
	      memcmp(a->spa, "\0\0\0\0", 4) != 0))
		return -ENOMSG;
	memcpy(sha, a->sha, 6);
	memcpy(spa, a->spa, 4);
	return 0;
}

/*
 * The kernel's half of vd_arp_parse_answer: ARP replies and gratuitous
 * requests only, so the socket sleeps through the rest of the segment.
 */
int vd_arp_attach_filter(int fd)
{
	static struct sock_filter code[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_A, 0, 12),
		/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 14),
		/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARP_ETH_IP, 0, 10),
		/* 4 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 18),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARP_LENS, 0, 8),
		/* 6 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARP_REPLY, 5, 0),
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARP_REQUEST, 0, 5),
		/* 9: a request is kept when sender IP = target IP */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 38),
		/* 10 */ BPF_STMT(BPF_MISC | BPF_TAX, 0),
		/* 11 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 28),
		/* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1),
		/* 13: keep */ BPF_STMT(BPF_RET | BPF_K, VD_ARP_FRAME_LEN),
		/* 14: drop */ BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };
	int r = setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			   sizeof(prog));

	return r < 0 ? -errno : 0;
}

/* Live probing. */

#define DEF_RETRIES	1
#define DEF_INTERVAL_MS 100
#define DEF_TIMEOUT_MS	500
#define PACE_US		1000	  /* one request per ms across all targets */
#define RCVBUF		(1 << 20) /* a /24 answering at once */
/* Once every target has answered, listen this much longer for a second
 * machine claiming the same address, instead of the whole timeout. */
#define SETTLE_US 150000

struct by_ip {
	uint32_t ip; /* host order, for sorting */
	uint32_t i;  /* index into targets */
};

struct arp {
	struct vd_loop *loop;
	struct vd_probes *out;
	int fd;
	int ifindex;
	char ifname[IF_NAMESIZE];
	uint8_t mac[6];
	uint8_t sip[4];
	size_t n;
	struct vd_arp_result *res; /* one per target, in target order */
	uint64_t *last_sent;
	struct by_ip *sorted;
	unsigned retries, interval_ms, timeout_ms;
	unsigned round;	      /* 0: first requests, then retries */
	size_t n_answered;    /* targets with at least one answer */
	bool settling;	      /* all answered: the short wait is armed */
	size_t next;	      /* next target of this round */
	uint64_t round_start; /* when the round's first request left */
	uint64_t pace_start;  /* pacing: one send is due per PACE_US */
	uint64_t pace_sent;   /* since pace_start */
	int64_t timer;
};

static void arp_free(struct arp *a)
{
	if (!a)
		return;
	if (a->fd >= 0)
		close(a->fd);
	free(a->res);
	free(a->last_sent);
	free(a->sorted);
	free(a);
}

static void arp_finish(struct arp *a)
{
	vd_loop_del_fd(a->loop, a->fd);
	if (a->timer > 0)
		vd_loop_cancel_timer(a->loop, a->timer);
	for (size_t i = 0; i < a->n; i++) {
		struct vd_arp_result *r = VD_PUSH(a->out, arps);

		/* Out of memory: the rest are lost, nothing else to do. */
		if (!r)
			break;
		*r = a->res[i];
	}
	arp_free(a);
}

static int cmp_by_ip(const void *x, const void *y)
{
	const struct by_ip *a = x, *b = y;

	if (a->ip != b->ip)
		return a->ip < b->ip ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* First entry for ip in the sorted index, or n. */
static size_t find_ip(const struct arp *a, uint32_t ip)
{
	size_t lo = 0, hi = a->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a->sorted[mid].ip < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->n && a->sorted[lo].ip == ip ? lo : a->n;
}

static void add_mac(struct arp *a, size_t i, const uint8_t *mac, uint64_t now)
{
	struct vd_arp_result *r = &a->res[i];
	uint64_t rtt;

	for (unsigned k = 0; k < r->n_macs; k++)
		if (memcmp(r->macs[k], mac, 6) == 0)
			return;
	if (r->n_macs == 0 && a->last_sent[i]) {
		rtt = now - a->last_sent[i];
		r->rtt_us = rtt > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt;
	}
	if (r->n_macs == 0)
		a->n_answered++;
	if (r->n_macs < VD_ARP_MAX_MACS)
		memcpy(r->macs[r->n_macs++], mac, 6);
}

static void on_deadline(struct vd_loop *l, void *arg);

static void on_io(struct vd_loop *l, int fd, unsigned events, void *arg)
{
	struct arp *a = arg;
	uint8_t buf[VD_ARP_FRAME_LEN + 4];

	(void)events;
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);
		uint8_t sha[6], spa[4];
		uint32_t ip;
		uint64_t now;

		if (n < 0)
			break; /* EAGAIN: drained */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (vd_arp_parse_answer(buf, (size_t)n, sha, spa) < 0)
			continue;
		memcpy(&ip, spa, 4);
		ip = ntohl(ip);
		now = vd_now_us();
		for (size_t k = find_ip(a, ip);
		     k < a->n && a->sorted[k].ip == ip; k++)
			add_mac(a, a->sorted[k].i, sha, now);
	}
	if (a->n_answered == a->n && !a->settling) {
		int64_t t = vd_loop_add_timer(l, SETTLE_US, on_deadline, a);

		if (t > 0) {
			if (a->timer)
				vd_loop_cancel_timer(l, a->timer);
			a->timer = t;
			a->settling = true;
		}
	}
}

static void on_deadline(struct vd_loop *l, void *arg)
{
	struct arp *a = arg;

	(void)l;
	a->timer = 0;
	arp_finish(a);
}

static void send_request(struct arp *a, size_t i)
{
	uint8_t frame[VD_ARP_FRAME_LEN];
	int len = vd_arp_build_request(frame, sizeof(frame), a->mac, a->sip,
				       a->res[i].target.b);

	/* Before sending: on veths the answer can arrive before send returns. */
	uint64_t now = vd_now_us();

	/* A request the kernel refuses (ENOBUFS...) is simply not counted. */
	if (len > 0 && send(a->fd, frame, (size_t)len, 0) == len) {
		a->res[i].sent++;
		a->last_sent[i] = now;
	}
}

/*
 * Send what the pacing allows now.  Rounds: every target once, then again
 * for each retry, but not sooner than interval_ms after the previous round
 * began, and only to targets nobody has answered for yet.
 */
static void on_tick(struct vd_loop *l, void *arg)
{
	struct arp *a = arg;
	uint64_t now = vd_now_us(), delay = PACE_US;
	int64_t t;

	a->timer = 0;
	for (;;) {
		if (a->next == a->n) {
			uint64_t due = a->round_start +
				       (uint64_t)a->interval_ms * 1000;

			if (a->round == a->retries) {
				t = vd_loop_add_timer(
					l, (uint64_t)a->timeout_ms * 1000,
					on_deadline, a);
				goto arm;
			}
			a->round++;
			a->next = 0;
			a->round_start = 0;
			if (due > now) {
				delay = due - now;
				break;
			}
		}
		if (a->round > 0 && a->res[a->next].n_macs > 0) {
			a->next++;
			continue;
		}
		if (!a->round_start) { /* pacing restarts each round */
			a->round_start = now;
			a->pace_start = now;
			a->pace_sent = 0;
		}
		/* Catch up after a late timer, never run ahead. */
		if (a->pace_sent > (now - a->pace_start) / PACE_US)
			break;
		send_request(a, a->next++);
		a->pace_sent++;
	}
	t = vd_loop_add_timer(l, delay, on_tick, a);
arm:
	if (t < 0) { /* no memory for a timer: report what we have */
		arp_finish(a);
		return;
	}
	a->timer = t;
}

/* The interface's name, MAC and primary IPv4 address (or 0.0.0.0). */
static int if_info(struct arp *a)
{
	struct ifreq ifr = { 0 };

	if (!if_indextoname((unsigned)a->ifindex, a->ifname))
		return -ENODEV;
	memcpy(ifr.ifr_name, a->ifname, IF_NAMESIZE);
	if (ioctl(a->fd, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	if (!(ifr.ifr_flags & IFF_UP))
		return -ENETDOWN;
	if (ioctl(a->fd, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER)
		return -EOPNOTSUPP; /* loopback, tunnels: no ARP */
	memcpy(a->mac, ifr.ifr_hwaddr.sa_data, 6);
	memset(&ifr.ifr_addr, 0, sizeof(ifr.ifr_addr));
	ifr.ifr_addr.sa_family = AF_INET;
	if (ioctl(a->fd, SIOCGIFADDR, &ifr) == 0) {
		struct sockaddr_in sin;

		memcpy(&sin, &ifr.ifr_addr, sizeof(sin));
		memcpy(a->sip, &sin.sin_addr, 4);
	} else if (errno != EADDRNOTAVAIL) {
		return -errno;
	}
	return 0;
}

static int arp_open(struct arp *a)
{
	struct sockaddr_ll sll = { 0 };
	int one = 1, rcv = RCVBUF;

	/* Protocol 0 until bound: no frame arrives before the filter. */
	a->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->fd < 0)
		return errno == EACCES ? -EPERM : -errno;
	if (vd_arp_attach_filter(a->fd) < 0)
		return -errno;
	/* Older kernels lack it; user space skips outgoing frames too. */
	setsockopt(a->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		   sizeof(one));
	if (setsockopt(a->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) <
	    0)
		setsockopt(a->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = a->ifindex;
	if (bind(a->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	return 0;
}

int vd_probe_arp_start(struct vd_loop *l, int ifindex,
		       const struct vd_ip *targets, size_t n_targets,
		       const struct vd_arp_opts *o, struct vd_probes *out)
{
	struct vd_arp_opts d = { DEF_RETRIES, DEF_INTERVAL_MS, DEF_TIMEOUT_MS };
	struct arp *a;
	int err;

	if (!l || !out || ifindex <= 0 || (n_targets && !targets))
		return -EINVAL;
	if (n_targets == 0)
		return 0;
	for (size_t i = 0; i < n_targets; i++)
		if (targets[i].family != VD_AF_INET)
			return -EAFNOSUPPORT;
	if (o) {
		d.retries = o->retries;
		d.interval_ms =
			o->interval_ms ? o->interval_ms : DEF_INTERVAL_MS;
		d.timeout_ms = o->timeout_ms ? o->timeout_ms : DEF_TIMEOUT_MS;
	}
	if (n_targets > UINT32_MAX)
		return -E2BIG;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->fd = -1;
	a->loop = l;
	a->out = out;
	a->ifindex = ifindex;
	a->n = n_targets;
	a->retries = d.retries;
	a->interval_ms = d.interval_ms;
	a->timeout_ms = d.timeout_ms;
	a->res = calloc(n_targets, sizeof(*a->res));
	a->last_sent = calloc(n_targets, sizeof(*a->last_sent));
	a->sorted = calloc(n_targets, sizeof(*a->sorted));
	if (!a->res || !a->last_sent || !a->sorted) {
		err = -ENOMEM;
		goto fail;
	}
	err = arp_open(a);
	if (err)
		goto fail;
	err = if_info(a);
	if (err)
		goto fail;
	for (size_t i = 0; i < n_targets; i++) {
		struct vd_arp_result *r = &a->res[i];
		uint32_t ip;

		r->target = targets[i];
		r->ifindex = ifindex;
		memcpy(r->ifname, a->ifname, sizeof(a->ifname));
		memcpy(&ip, targets[i].b, 4);
		a->sorted[i] = (struct by_ip){ ntohl(ip), (uint32_t)i };
	}
	qsort(a->sorted, n_targets, sizeof(*a->sorted), cmp_by_ip);

	err = vd_loop_add_fd(l, a->fd, VD_EV_IN, on_io, a);
	if (err)
		goto fail;
	/* Requests leave when the loop runs, with every other probe. */
	a->timer = vd_loop_add_timer(l, 0, on_tick, a);
	if (a->timer < 0) {
		err = (int)a->timer;
		vd_loop_del_fd(l, a->fd);
		goto fail;
	}
	return 0;
fail:
	arp_free(a);
	return err;
}
