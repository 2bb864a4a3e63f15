/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink: links, addresses, routes, rules and neighbours of the current
 * network namespace, through libnl.  Dumps need no privilege.
 */
#include "collect/linux/linux.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/neighbour.h>
#include <sys/socket.h>

/* Large dumps (10,000 routes) go faster with bigger reads. */
#define NL_RCVBUF  (4 << 20)
#define NL_MSG_BUF 32768

struct nlctx {
	struct nl_sock *sk;
	struct vd_facts *f;
	int err; /* first error met inside a callback */
	char *errbuf;
	size_t errlen;
};

static int nl_to_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	default:
		return -EIO;
	}
}

/* Say why a dump failed; returns the errno to pass on. */
static int dump_failed(struct nlctx *c, const char *what, int nlerr)
{
	if (c->errbuf && c->errlen)
		snprintf(c->errbuf, c->errlen, "cannot dump %s: %s", what,
			 nl_geterror(nlerr));
	return nl_to_errno(nlerr);
}

static uint8_t vd_family(int af)
{
	return af == AF_INET ? VD_AF_INET : af == AF_INET6 ? VD_AF_INET6 : 0;
}

static unsigned vd_ip_bits_of(uint8_t fam)
{
	return fam == VD_AF_INET ? 32 : fam == VD_AF_INET6 ? 128 : 0;
}

/* An nl_addr into the model; a zero-length address keeps its family. */
static void ip_from_nl(struct nl_addr *a, struct vd_ip *ip)
{
	uint8_t fam;
	unsigned len;

	memset(ip, 0, sizeof(*ip));
	if (!a)
		return;
	fam = vd_family(nl_addr_get_family(a));
	len = nl_addr_get_len(a);
	if (!fam || (len != 0 && len != (fam == VD_AF_INET ? 4u : 16u)))
		return;
	ip->family = fam;
	memcpy(ip->b, nl_addr_get_binary_addr(a), len);
}

static void name_copy(char *dst, size_t dstlen, const char *src)
{
	if (src)
		vd_text_copy(dst, dstlen, (const uint8_t *)src, strlen(src));
	else
		dst[0] = '\0';
}

/* ------------------------------------------------------------------ */
/* links */

static void link_one(struct nl_object *obj, void *arg)
{
	struct nlctx *c = arg;
	struct rtnl_link *l = (struct rtnl_link *)obj;
	struct nl_addr *mac = rtnl_link_get_addr(l);
	struct vd_link *v;
	int32_t nsid;

	if (c->err)
		return;
	v = VD_PUSH(c->f, links);
	if (!v) {
		c->err = -ENOMEM;
		return;
	}
	v->ifindex = rtnl_link_get_ifindex(l);
	name_copy(v->name, sizeof(v->name), rtnl_link_get_name(l));
	name_copy(v->kind, sizeof(v->kind), rtnl_link_get_type(l));
	v->master = rtnl_link_get_master(l);
	v->parent = rtnl_link_get_link(l);
	/*
	 * With a link-netnsid, IFLA_LINK is an ifindex of another namespace
	 * (a veth peer moved into a container): it names nothing here.
	 */
	if (rtnl_link_get_link_netnsid(l, &nsid) == 0) {
		v->parent_other_ns = true;
		v->parent = 0;
	}
	if (v->parent == v->ifindex)
		v->parent = 0;
	v->flags = rtnl_link_get_flags(l);
	v->oper = rtnl_link_get_operstate(l);
	v->carrier = rtnl_link_get_carrier(l) ? VD_YES : VD_NO;
	v->mtu = rtnl_link_get_mtu(l);
	if (mac && nl_addr_get_len(mac) <= VD_MAC_MAX) {
		v->mac_len = (uint8_t)nl_addr_get_len(mac);
		memcpy(v->mac, nl_addr_get_binary_addr(mac), v->mac_len);
	}
	v->vlan_id = rtnl_link_is_vlan(l) ? rtnl_link_vlan_get_id(l) : -1;
}

/* ------------------------------------------------------------------ */
/* addresses */

static void addr_one(struct nl_object *obj, void *arg)
{
	struct nlctx *c = arg;
	struct rtnl_addr *a = (struct rtnl_addr *)obj;
	struct vd_addr *v;
	struct vd_ip ip;

	if (c->err)
		return;
	ip_from_nl(rtnl_addr_get_local(a), &ip);
	if (!ip.family)
		return; /* not IP, or no address */
	v = VD_PUSH(c->f, addrs);
	if (!v) {
		c->err = -ENOMEM;
		return;
	}
	v->ifindex = rtnl_addr_get_ifindex(a);
	v->ip = ip;
	v->prefixlen = (uint8_t)rtnl_addr_get_prefixlen(a);
	v->scope = (uint8_t)rtnl_addr_get_scope(a);
	v->flags = rtnl_addr_get_flags(a); /* all 32 bits of IFA_FLAGS */
	name_copy(v->label, sizeof(v->label), rtnl_addr_get_label(a));
}

/* ------------------------------------------------------------------ */
/* routes: parsed from the messages, without libnl's route cache, which
 * spends 15 ms on objects, hashing and freeing for 10,000 routes. */

static bool attr_u32(struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) < (int)sizeof(uint32_t))
		return false;
	*v = nla_get_u32(a);
	return true;
}

static void attr_ip(struct nlattr *a, uint8_t fam, struct vd_ip *ip)
{
	int len = fam == VD_AF_INET ? 4 : 16;

	if (!a || nla_len(a) != len)
		return;
	ip->family = fam;
	memcpy(ip->b, nla_data(a), (size_t)len);
}

/* RTA_VIA: an IPv4 route through an IPv6 router. */
static void attr_via(struct nlattr *a, struct vd_ip *ip)
{
	const struct rtvia *via;
	uint8_t fam;

	if (!a || nla_len(a) < (int)sizeof(*via))
		return;
	via = nla_data(a);
	fam = vd_family(via->rtvia_family);
	if (fam && (size_t)nla_len(a) - sizeof(*via) >=
			   (fam == VD_AF_INET ? 4u : 16u)) {
		ip->family = fam;
		memcpy(ip->b, via->rtvia_addr, fam == VD_AF_INET ? 4 : 16);
	}
}

static int route_push(struct nlctx *c, const struct vd_route *t)
{
	struct vd_route *v = VD_PUSH(c->f, routes);

	if (!v) {
		c->err = -ENOMEM;
		return NL_STOP;
	}
	*v = *t;
	return NL_OK;
}

/* One vd_route per next hop of RTA_MULTIPATH. */
static int route_multipath(struct nlctx *c, struct vd_route *t,
			   struct nlattr *mp)
{
	const uint8_t *p = nla_data(mp);
	int left = nla_len(mp);

	while (left >= (int)sizeof(struct rtnexthop)) {
		const struct rtnexthop *nh = (const struct rtnexthop *)p;
		struct nlattr *tb[RTA_MAX + 1];
		int step = RTNH_ALIGN(nh->rtnh_len);

		if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > left)
			break;
		memset(&t->gateway, 0, sizeof(t->gateway));
		t->oif = nh->rtnh_ifindex;
		t->nh_flags = nh->rtnh_flags;
		if (nla_parse(tb, RTA_MAX,
			      (struct nlattr *)(p + RTNH_LENGTH(0)),
			      nh->rtnh_len - RTNH_LENGTH(0), NULL) == 0) {
			attr_ip(tb[RTA_GATEWAY], t->dst.family, &t->gateway);
			attr_via(tb[RTA_VIA], &t->gateway);
		}
		if (route_push(c, t) != NL_OK)
			return NL_STOP;
		if (step >= left)
			break;
		p += step;
		left -= step;
	}
	return NL_OK;
}

static int route_msg(struct nl_msg *msg, void *arg)
{
	struct nlctx *c = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm;
	struct vd_route t = { 0 };
	uint32_t v;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlmsg_parse(nlh, sizeof(*rtm), tb, RTA_MAX, NULL) < 0)
		return NL_SKIP;
	rtm = nlmsg_data(nlh);
	t.dst.family = vd_family(rtm->rtm_family);
	if (!t.dst.family || rtm->rtm_dst_len > vd_ip_bits_of(t.dst.family))
		return NL_SKIP; /* MPLS, multicast routing... */
	attr_ip(tb[RTA_DST], t.dst.family, &t.dst);
	t.dst.family = vd_family(rtm->rtm_family); /* also for default */
	t.dst_len = rtm->rtm_dst_len;
	t.table = attr_u32(tb[RTA_TABLE], &v) ? v : rtm->rtm_table;
	t.tos = rtm->rtm_tos;
	t.protocol = rtm->rtm_protocol;
	t.scope = rtm->rtm_scope;
	t.type = rtm->rtm_type;
	if (attr_u32(tb[RTA_PRIORITY], &v))
		t.metric = v;
	attr_ip(tb[RTA_PREFSRC], t.dst.family, &t.prefsrc);
	if (tb[RTA_MULTIPATH])
		return route_multipath(c, &t, tb[RTA_MULTIPATH]);
	/* A single next hop keeps its RTNH_F_* flags in rtm_flags. */
	t.nh_flags = rtm->rtm_flags & 0xff;
	if (attr_u32(tb[RTA_OIF], &v))
		t.oif = (int)v;
	attr_ip(tb[RTA_GATEWAY], t.dst.family, &t.gateway);
	attr_via(tb[RTA_VIA], &t.gateway);
	return route_push(c, &t);
}

/* ------------------------------------------------------------------ */
/* neighbours */

static void neigh_one(struct nl_object *obj, void *arg)
{
	struct nlctx *c = arg;
	struct rtnl_neigh *n = (struct rtnl_neigh *)obj;
	struct nl_addr *ll = rtnl_neigh_get_lladdr(n);
	struct vd_neigh *v;
	struct vd_ip ip;
	int fam = rtnl_neigh_get_family(n);

	if (c->err || (fam != AF_INET && fam != AF_INET6))
		return; /* bridge fdb entries are not neighbours */
	ip_from_nl(rtnl_neigh_get_dst(n), &ip);
	if (!ip.family)
		return;
	v = VD_PUSH(c->f, neighs);
	if (!v) {
		c->err = -ENOMEM;
		return;
	}
	v->ifindex = rtnl_neigh_get_ifindex(n);
	v->ip = ip;
	if (ll && nl_addr_get_len(ll) <= VD_MAC_MAX) {
		v->mac_len = (uint8_t)nl_addr_get_len(ll);
		memcpy(v->mac, nl_addr_get_binary_addr(ll), v->mac_len);
	}
	v->state = (uint16_t)rtnl_neigh_get_state(n);
	v->flags = (uint8_t)rtnl_neigh_get_flags(n);
}

/* ------------------------------------------------------------------ */
/* rules: libnl's rule object lacks the invert flag and suppress_prefixlen,
 * so parse the messages here. */

static void attr_name(struct nlattr *a, char *dst, size_t dstlen)
{
	size_t n;

	if (!a)
		return;
	n = strnlen(nla_data(a), (size_t)nla_len(a));
	vd_text_copy(dst, dstlen, nla_data(a), n);
}

static int rule_msg(struct nl_msg *msg, void *arg)
{
	struct nlctx *c = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[FRA_MAX + 1];
	struct fib_rule_hdr *frh;
	struct vd_rule *r;
	uint32_t v;
	uint8_t fam;

	if (nlh->nlmsg_type != RTM_NEWRULE ||
	    nlmsg_parse(nlh, sizeof(*frh), tb, FRA_MAX, NULL) < 0)
		return NL_SKIP;
	frh = nlmsg_data(nlh);
	fam = vd_family(frh->family);
	if (!fam)
		return NL_SKIP;
	r = VD_PUSH(c->f, rules);
	if (!r) {
		c->err = -ENOMEM;
		return NL_STOP;
	}
	r->family = fam;
	r->invert = (frh->flags & FIB_RULE_INVERT) != 0;
	r->action = frh->action;
	r->src_len = frh->src_len;
	r->dst_len = frh->dst_len;
	r->table = attr_u32(tb[FRA_TABLE], &v) ? v : frh->table;
	if (attr_u32(tb[FRA_PRIORITY], &v))
		r->priority = v;
	attr_ip(tb[FRA_SRC], fam, &r->src);
	attr_ip(tb[FRA_DST], fam, &r->dst);
	if (attr_u32(tb[FRA_FWMARK], &v))
		r->fwmark = v;
	if (attr_u32(tb[FRA_FWMASK], &v))
		r->fwmask = v;
	r->suppress_prefixlen = -1;
	if (attr_u32(tb[FRA_SUPPRESS_PREFIXLEN], &v) && v <= 128)
		r->suppress_prefixlen = (int)v;
	r->has_uidrange = tb[FRA_UID_RANGE] != NULL;
	r->has_l3mdev = tb[FRA_L3MDEV] && nla_len(tb[FRA_L3MDEV]) >= 1 &&
			nla_get_u8(tb[FRA_L3MDEV]);
	attr_name(tb[FRA_IIFNAME], r->iif, sizeof(r->iif));
	attr_name(tb[FRA_OIFNAME], r->oif, sizeof(r->oif));
	return NL_OK;
}

/*
 * Send a dump request and run each answer through fn, which appends to the
 * array counted by *count.  A dump the kernel marks interrupted (the table
 * changed meanwhile) is thrown away and asked again, as libnl's caches do.
 */
static int dump_msgs(struct nlctx *c, const char *what, int type, void *hdr,
		     size_t hdrlen, nl_recvmsg_msg_cb_t fn, size_t *count)
{
	size_t start = *count;
	int rc = 0;

	for (int attempt = 0; attempt < 5; attempt++) {
		struct nl_cb *sk_cb, *cb;

		*count = start;
		rc = nl_send_simple(c->sk, type, NLM_F_DUMP, hdr, hdrlen);
		if (rc < 0)
			return dump_failed(c, what, rc);
		sk_cb = nl_socket_get_cb(c->sk); /* a new reference */
		cb = nl_cb_clone(sk_cb);
		nl_cb_put(sk_cb);
		if (!cb)
			return -ENOMEM;
		nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, fn, c);
		rc = nl_recvmsgs(c->sk, cb);
		nl_cb_put(cb);
		if (c->err)
			return c->err;
		if (rc != -NLE_DUMP_INTR)
			break;
	}
	return rc < 0 ? dump_failed(c, what, rc) : 0;
}

static int dump_routes(struct nlctx *c)
{
	struct rtmsg rtm = { .rtm_family = AF_UNSPEC }; /* all tables */

	return dump_msgs(c, "routes", RTM_GETROUTE, &rtm, sizeof(rtm),
			 route_msg, &c->f->n_routes);
}

static int dump_rules(struct nlctx *c)
{
	struct fib_rule_hdr frh = { .family = AF_UNSPEC };

	return dump_msgs(c, "rules", RTM_GETRULE, &frh, sizeof(frh), rule_msg,
			 &c->f->n_rules);
}

/* ------------------------------------------------------------------ */

typedef int (*cache_alloc_fn)(struct nl_sock *, struct nl_cache **);

static int link_cache(struct nl_sock *sk, struct nl_cache **out)
{
	return rtnl_link_alloc_cache(sk, AF_UNSPEC, out);
}

static int dump_cache(struct nlctx *c, const char *what, cache_alloc_fn alloc,
		      void (*each)(struct nl_object *, void *))
{
	struct nl_cache *cache = NULL;
	int rc = alloc(c->sk, &cache);

	if (rc < 0)
		return dump_failed(c, what, rc);
	nl_cache_foreach(cache, each, c);
	nl_cache_free(cache);
	return c->err;
}

int vd_linux_netlink(struct vd_facts *f, char *err, size_t errlen)
{
	struct nlctx c = { .f = f, .errbuf = err, .errlen = errlen };
	int rc;

	c.sk = nl_socket_alloc();
	if (!c.sk)
		return -ENOMEM;
	errno = 0;
	rc = nl_connect(c.sk, NETLINK_ROUTE);
	if (rc < 0) {
		/* libnl folds most errnos into "Unspecific failure" */
		int e = errno;

		if (err && errlen)
			snprintf(err, errlen,
				 "cannot open rtnetlink socket: %s",
				 e ? strerror(e) : nl_geterror(rc));
		rc = e ? -e : nl_to_errno(rc);
		goto out;
	}
	/* Best effort: a small buffer only costs more system calls. */
	nl_socket_set_buffer_size(c.sk, NL_RCVBUF, 0);
	nl_socket_set_msg_buf_size(c.sk, NL_MSG_BUF);
	nl_socket_disable_msg_peek(c.sk);

	rc = dump_cache(&c, "links", link_cache, link_one);
	if (!rc)
		rc = dump_cache(&c, "addresses", rtnl_addr_alloc_cache,
				addr_one);
	if (!rc)
		rc = dump_routes(&c);
	if (!rc)
		rc = dump_cache(&c, "neighbours", rtnl_neigh_alloc_cache,
				neigh_one);
	if (!rc)
		rc = dump_rules(&c);
out:
	nl_socket_free(c.sk);
	return rc;
}
