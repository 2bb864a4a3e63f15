/* SPDX-License-Identifier: MIT */
/*
 * trace: the routers on the way to a target.
 *
 * One unprivileged UDP socket per TTL, every TTL sent at once (like mtr's
 * fast mode): the socket a probe left by tells which TTL an answer is for,
 * so nothing needs matching.  IP_RECVERR puts the ICMP error a probe drew
 * on its socket's error queue with the sender as offender: time exceeded
 * from a router is a hop, port unreachable from the target is the end.
 * UDP ports 33434 and up, one per TTL, as traceroute uses them.
 */
#include "probe/probe.h"
#include "probe/sock.h"

#include "facts/facts.h"
#include "util/ip.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define DEF_MAX_TTL    16
#define DEF_TIMEOUT_MS 1000
#define DEF_PORT       33434
#define PAYLOAD_LEN    32

/* Destination unreachable: the probe went no further (v4 3, v6 1). */
#define ICMP4_UNREACH 3
#define ICMP6_UNREACH 1

struct trace;

struct hop_sock {
	struct trace *t;
	int fd;
	uint8_t ttl;
	bool settled;
	uint64_t sent_at;
};

struct trace {
	struct vd_loop *loop;
	struct vd_probes *out;
	struct sockaddr_storage sa;
	socklen_t salen;
	bool v6;
	unsigned max_ttl, timeout_ms, n_pending;
	uint16_t port;
	unsigned last_ttl; /* the first TTL that went no further, 0 none */
	int64_t timer;
	struct hop_sock socks[VD_TRACE_MAX_HOPS];
	struct vd_trace_result r;
};

static void trace_free(struct trace *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < t->max_ttl; i++) {
		if (t->socks[i].fd < 0)
			continue;
		vd_loop_del_fd(t->loop, t->socks[i].fd);
		close(t->socks[i].fd);
	}
	free(t);
}

static void trace_finish(struct trace *t)
{
	struct vd_trace_result *res;

	if (t->timer > 0)
		vd_loop_cancel_timer(t->loop, t->timer);
	/* Beyond the target, or a router that said unreachable, every TTL
	 * answers the same: those hops are no hops. */
	t->r.n_hops = t->last_ttl ? t->last_ttl : t->max_ttl;
	for (unsigned i = 0; i < t->r.n_hops; i++)
		t->r.hops[i].ttl = (uint8_t)(i + 1);
	res = VD_PUSH(t->out, traces);
	if (res)
		*res = t->r;
	trace_free(t);
}

/* Every TTL up to the last one settled: nothing more can change. */
static bool trace_complete(const struct trace *t)
{
	unsigned upto = t->last_ttl ? t->last_ttl : t->max_ttl;

	for (unsigned i = 0; i < upto; i++)
		if (!t->socks[i].settled)
			return false;
	return true;
}

/* An answer for this TTL: from (VD_AF_NONE for none), the ICMP it was. */
static void settle(struct hop_sock *h, const struct vd_ip *from, uint8_t type,
		   uint8_t code, bool final)
{
	struct trace *t = h->t;
	struct vd_trace_hop *hop = &t->r.hops[h->ttl - 1];
	uint64_t rtt = vd_now_us() - h->sent_at;

	if (h->settled)
		return;
	h->settled = true;
	t->n_pending--;
	if (from && from->family != VD_AF_NONE) {
		hop->from = *from;
		hop->rtt_us = rtt > UINT32_MAX ? UINT32_MAX : (uint32_t)rtt;
		hop->icmp_type = type;
		hop->icmp_code = code;
	}
	if (final && (!t->last_ttl || h->ttl < t->last_ttl)) {
		t->last_ttl = h->ttl;
		t->r.reached = from && vd_ip_equal(from, &t->r.target);
	}
}

static void read_errqueue(struct hop_sock *h)
{
	for (;;) {
		uint8_t data[64];
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

		if (recvmsg(h->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			struct sock_extended_err ee;
			struct sockaddr_storage off = { 0 };
			struct vd_ip from;
			size_t len = cm->cmsg_len - CMSG_LEN(0);
			bool v6, final;

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
			if (ee.ee_origin == SO_EE_ORIGIN_LOCAL) {
				/* No route, or the like: nothing left. */
				settle(h, NULL, 0, 0, false);
				continue;
			}
			if (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
			    ee.ee_origin != SO_EE_ORIGIN_ICMP6)
				continue;
			v6 = ee.ee_origin == SO_EE_ORIGIN_ICMP6;
			vd_ip_from_sockaddr((const struct sockaddr *)&off,
					    &from);
			/* The target answers whatever it is sent; an
			 * unreachable from a router stops the probe there. */
			final = vd_ip_equal(&from, &h->t->r.target) ||
				ee.ee_type ==
					(v6 ? ICMP6_UNREACH : ICMP4_UNREACH);
			settle(h, &from, ee.ee_type, ee.ee_code, final);
		}
	}
}

static void on_io(struct vd_loop *l, int fd, unsigned events, void *arg)
{
	struct hop_sock *h = arg;
	struct trace *t = h->t;
	uint8_t buf[64];

	(void)l;
	(void)events;
	read_errqueue(h);
	/* A UDP service on the port answered: the target itself. */
	if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		settle(h, &t->r.target, 0, 0, true);
	if (h->settled)
		vd_loop_del_fd(t->loop, fd);
	if (trace_complete(t))
		trace_finish(t);
}

static void on_deadline(struct vd_loop *l, void *arg)
{
	struct trace *t = arg;

	(void)l;
	t->timer = 0;
	trace_finish(t);
}

static void on_start(struct vd_loop *l, void *arg)
{
	struct trace *t = arg;
	uint8_t payload[PAYLOAD_LEN] = { 0 };

	t->timer = 0;
	for (unsigned i = 0; i < t->max_ttl; i++) {
		struct hop_sock *h = &t->socks[i];
		uint16_t port = (uint16_t)(t->port + i);

		if (t->v6)
			((struct sockaddr_in6 *)&t->sa)->sin6_port =
				htons(port);
		else
			((struct sockaddr_in *)&t->sa)->sin_port = htons(port);
		h->sent_at = vd_now_us();
		if (sendto(h->fd, payload, sizeof(payload), 0,
			   (struct sockaddr *)&t->sa, t->salen) < 0)
			settle(h, NULL, 0, 0, false);
	}
	if (trace_complete(t)) {
		trace_finish(t);
		return;
	}
	t->timer = vd_loop_add_timer(l, (uint64_t)t->timeout_ms * 1000,
				     on_deadline, t);
	if (t->timer < 0) /* no memory for the timer: report what we have */
		trace_finish(t);
}

static int hop_open(struct trace *t, struct hop_sock *h)
{
	int fd, err;

	fd = socket(t->v6 ? AF_INET6 : AF_INET,
		    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	h->fd = fd;
	if (t->v6) {
		err = vd_sockopt_int(fd, SOL_IPV6, IPV6_UNICAST_HOPS, h->ttl);
		if (!err)
			err = vd_sockopt_int(fd, SOL_IPV6, IPV6_RECVERR, 1);
	} else {
		err = vd_sockopt_int(fd, SOL_IP, IP_TTL, h->ttl);
		if (!err)
			err = vd_sockopt_int(fd, SOL_IP, IP_RECVERR, 1);
	}
	if (!err)
		err = vd_loop_add_fd(t->loop, fd, VD_EV_IN, on_io, h);
	return err;
}

int vd_probe_trace_start(struct vd_loop *l, const struct vd_ip *target,
			 const struct vd_trace_opts *o, struct vd_probes *out)
{
	struct vd_trace_opts d = { 0 };
	struct trace *t;
	int err;

	if (!l || !target || !out)
		return -EINVAL;
	if (target->family != VD_AF_INET && target->family != VD_AF_INET6)
		return -EAFNOSUPPORT;
	if (o)
		d = *o;
	d.max_ttl = d.max_ttl ? d.max_ttl : DEF_MAX_TTL;
	d.timeout_ms = d.timeout_ms ? d.timeout_ms : DEF_TIMEOUT_MS;
	d.port = d.port ? d.port : DEF_PORT;
	if (d.max_ttl > VD_TRACE_MAX_HOPS || d.port + d.max_ttl - 1 > 65535)
		return -EINVAL;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->loop = l;
	t->out = out;
	t->r.target = *target;
	t->v6 = target->family == VD_AF_INET6;
	t->max_ttl = d.max_ttl;
	t->timeout_ms = d.timeout_ms;
	t->port = d.port;
	t->n_pending = d.max_ttl;
	for (unsigned i = 0; i < t->max_ttl; i++) {
		t->socks[i].t = t;
		t->socks[i].fd = -1;
		t->socks[i].ttl = (uint8_t)(i + 1);
	}
	if (t->v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&t->sa;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, target->b, 16);
		t->salen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&t->sa;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, target->b, 4);
		t->salen = sizeof(*s4);
	}
	for (unsigned i = 0; i < t->max_ttl; i++) {
		err = hop_open(t, &t->socks[i]);
		if (err)
			goto fail;
	}
	/* The probes leave when the loop runs, with every other probe. */
	t->timer = vd_loop_add_timer(l, 0, on_start, t);
	if (t->timer < 0) {
		err = (int)t->timer;
		goto fail;
	}
	return 0;
fail:
	trace_free(t);
	return err;
}
