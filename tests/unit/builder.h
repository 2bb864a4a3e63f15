/* SPDX-License-Identifier: MIT */
/* Build small facts models by hand in unit tests. */
#ifndef VD_TEST_BUILDER_H
#define VD_TEST_BUILDER_H

#include <stdio.h>
#include <string.h>

#include "facts/facts.h"
#include "util/ip.h"

static inline struct vd_link *b_link(struct vd_facts *f, int ifindex,
				     const char *name, const char *kind,
				     unsigned flags)
{
	struct vd_link *l = VD_PUSH(f, links);

	l->ifindex = ifindex;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
	l->flags = flags;
	l->oper = (flags & VD_IFF_LOWER_UP) ? VD_OPER_UP : VD_OPER_DOWN;
	l->carrier = (flags & VD_IFF_LOWER_UP) ? VD_YES : VD_NO;
	l->mtu = 1500;
	l->vlan_id = -1;
	l->mac_len = 6;
	l->mac[0] = 0x02;
	l->mac[5] = (uint8_t)ifindex;
	return l;
}

#define UPF (VD_IFF_UP | VD_IFF_LOWER_UP | VD_IFF_BROADCAST | VD_IFF_MULTICAST)

static inline struct vd_addr *b_addr(struct vd_facts *f, int ifindex,
				     const char *prefix, unsigned flags)
{
	struct vd_addr *a = VD_PUSH(f, addrs);

	a->ifindex = ifindex;
	vd_prefix_parse(prefix, &a->ip, &a->prefixlen);
	a->flags = flags | VD_IFA_F_PERMANENT;
	return a;
}

static inline struct vd_route *b_route(struct vd_facts *f, const char *dst,
				       const char *via, int oif,
				       uint32_t metric)
{
	struct vd_route *r = VD_PUSH(f, routes);

	r->table = VD_RT_TABLE_MAIN;
	vd_prefix_parse(dst, &r->dst, &r->dst_len);
	vd_prefix_mask(&r->dst, r->dst_len);
	if (via)
		vd_ip_parse(via, &r->gateway);
	r->oif = oif;
	r->metric = metric;
	r->type = VD_RTN_UNICAST;
	r->protocol = via ? 4 : 2;
	r->scope = via ? VD_SCOPE_UNIVERSE : VD_SCOPE_LINK;
	return r;
}

static inline struct vd_rule *b_rule(struct vd_facts *f, uint32_t prio,
				     uint32_t table)
{
	struct vd_rule *r = VD_PUSH(f, rules);

	r->family = VD_AF_INET;
	r->priority = prio;
	r->table = table;
	r->action = VD_FR_ACT_TO_TBL;
	r->suppress_prefixlen = -1;
	return r;
}

#endif
