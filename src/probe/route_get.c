/* SPDX-License-Identifier: MIT */
/*
 * The kernel's own route for one destination: RTM_GETROUTE, as
 * "ip route get" asks it.  Policy rules, marks and caches all count, which
 * replaying the routing tables cannot promise.  Needs no privilege.
 *
 * When the kernel refuses, its errno is the answer: ENETUNREACH for no
 * route, and (the kernel's fixed mapping) EHOSTUNREACH, EACCES, EINVAL for
 * unreachable, prohibit and blackhole routes.  RTM_F_FIB_MATCH would not
 * name the refusing entry: the kernel fails the lookup before it looks.
 */
#include "probe/probe.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define REPLY_BUF 8192

struct getroute_req {
	struct nlmsghdr nh;
	struct rtmsg rtm;
	char attrs[RTA_SPACE(16)];
};

static void ip_from_attr(const struct rtattr *a, uint8_t fam, struct vd_ip *ip)
{
	size_t n = fam == VD_AF_INET ? 4 : 16;

	if (RTA_PAYLOAD(a) < n)
		return;
	memset(ip, 0, sizeof(*ip));
	ip->family = fam;
	memcpy(ip->b, RTA_DATA(a), n);
}

static uint32_t u32_attr(const struct rtattr *a)
{
	uint32_t v = 0;

	if (RTA_PAYLOAD(a) >= sizeof(v))
		memcpy(&v, RTA_DATA(a), sizeof(v));
	return v;
}

/* A gateway of another family (IPv4 routes via an IPv6 next hop). */
static void via_attr(const struct rtattr *a, struct vd_ip *ip)
{
	const uint8_t *d = RTA_DATA(a);
	size_t n = RTA_PAYLOAD(a);
	uint16_t fam;

	if (n < sizeof(fam))
		return;
	memcpy(&fam, d, sizeof(fam));
	if (fam == AF_INET && n >= 2 + 4) {
		memset(ip, 0, sizeof(*ip));
		ip->family = VD_AF_INET;
		memcpy(ip->b, d + 2, 4);
	} else if (fam == AF_INET6 && n >= 2 + 16) {
		memset(ip, 0, sizeof(*ip));
		ip->family = VD_AF_INET6;
		memcpy(ip->b, d + 2, 16);
	}
}

/* One RTM_NEWROUTE answer into r (type, oif, gateway, prefsrc, table). */
static void parse_route(const struct nlmsghdr *nh, uint8_t fam,
			struct vd_route_get *r)
{
	const struct rtmsg *rtm = NLMSG_DATA(nh);
	const struct rtattr *a;
	int left;

	r->type = rtm->rtm_type;
	r->table = rtm->rtm_table;
	left = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*rtm));
	for (a = RTM_RTA(rtm); RTA_OK(a, left); a = RTA_NEXT(a, left)) {
		switch (a->rta_type) {
		case RTA_OIF:
			r->oif = (int)u32_attr(a);
			break;
		case RTA_GATEWAY:
			ip_from_attr(a, fam, &r->gateway);
			break;
		case RTA_VIA:
			via_attr(a, &r->gateway);
			break;
		case RTA_PREFSRC:
			ip_from_attr(a, fam, &r->prefsrc);
			break;
		case RTA_TABLE:
			r->table = u32_attr(a);
			break;
		}
	}
}

/* 0 with the route, >0 the kernel's errno, -EAGAIN: not an answer. */
static int answer(const struct nlmsghdr *nh, uint8_t fam,
		  struct vd_route_get *r)
{
	if (nh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nh);

		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return -EBADMSG;
		return e->error < 0 ? -e->error : -EBADMSG;
	}
	if (nh->nlmsg_type != RTM_NEWROUTE)
		return -EAGAIN;
	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtmsg)))
		return -EBADMSG;
	parse_route(nh, fam, r);
	return 0;
}

/*
 * One request, one answer: 0 with the route in r, a positive errno when the
 * kernel refused the lookup, a negative one when asking failed.
 */
static int ask(int fd, const struct vd_ip *target, uint32_t seq,
	       struct vd_route_get *r)
{
	struct getroute_req req = { 0 };
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	size_t alen = target->family == VD_AF_INET ? 4 : 16;
	union {
		char b[REPLY_BUF];
		struct nlmsghdr align;
	} buf;
	struct rtattr *rta;

	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.rtm)) + RTA_SPACE(alen);
	req.nh.nlmsg_type = RTM_GETROUTE;
	req.nh.nlmsg_flags = NLM_F_REQUEST;
	req.nh.nlmsg_seq = seq;
	req.rtm.rtm_family = target->family == VD_AF_INET ? AF_INET : AF_INET6;
	req.rtm.rtm_dst_len = (unsigned char)(alen * 8);
	/* Report the table the lookup ended in, not always "main". */
	req.rtm.rtm_flags = RTM_F_LOOKUP_TABLE;
	rta = (struct rtattr *)req.attrs;
	rta->rta_type = RTA_DST;
	rta->rta_len = (unsigned short)RTA_LENGTH(alen);
	memcpy(RTA_DATA(rta), target->b, alen);

	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, buf.b, sizeof(buf.b), 0);
		const char *p = buf.b;
		size_t left;

		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		left = (size_t)n;
		while (left >= sizeof(struct nlmsghdr)) {
			const struct nlmsghdr *nh = (const void *)p;
			size_t step = NLMSG_ALIGN(nh->nlmsg_len);

			if (nh->nlmsg_len < sizeof(*nh) || nh->nlmsg_len > left)
				return -EBADMSG;
			if (nh->nlmsg_seq == seq) {
				int rc = answer(nh, target->family, r);

				if (rc != -EAGAIN)
					return rc;
			}
			/* Another answer (an earlier question's): skip it. */
			if (step >= left)
				break;
			p += step;
			left -= step;
		}
	}
}

int vd_route_get(const struct vd_ip *target, struct vd_route_get *out)
{
	struct vd_route_get r = { 0 };
	struct timeval tv = { .tv_sec = 2 };
	int fd, err;

	if (!target || !out)
		return -EINVAL;
	if (target->family != VD_AF_INET && target->family != VD_AF_INET6)
		return -EAFNOSUPPORT;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	/* The kernel answers at once; the timeout only guards a bug. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	r.target = *target;
	err = ask(fd, target, 1, &r);
	if (err > 0) { /* the kernel said no: that is the answer */
		r.err = err;
		err = 0;
	}
	close(fd);
	if (err < 0)
		return err;
	*out = r;
	return 0;
}
