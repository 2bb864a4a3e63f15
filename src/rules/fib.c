/* SPDX-License-Identifier: MIT */
#include "rules/fib.h"

#include <string.h>

#include "util/ip.h"

const struct vd_route *vd_fib_table_lookup(const struct vd_facts *f,
					   uint32_t table,
					   const struct vd_ip *dst)
{
	const struct vd_route *best = NULL;

	for (size_t i = 0; i < f->n_routes; i++) {
		const struct vd_route *r = &f->routes[i];

		if (r->table != table || r->dst.family != dst->family)
			continue;
		if (r->nh_flags & VD_RTNH_F_DEAD)
			continue;
		if (r->type == VD_RTN_MULTICAST || r->type == VD_RTN_ANYCAST)
			continue;
		if (!vd_prefix_contains(&r->dst, r->dst_len, dst))
			continue;
		if (!best || r->dst_len > best->dst_len ||
		    (r->dst_len == best->dst_len && r->metric < best->metric))
			best = r;
	}
	return best;
}

/* Does the rule select locally originated traffic to dst? */
static bool rule_matches(const struct vd_rule *r, const struct vd_ip *dst)
{
	struct vd_ip any = { .family = dst->family };
	bool m = true;

	/* Unsupported selectors never match traffic we can describe. */
	if (r->has_l3mdev || r->has_uidrange || r->oif[0])
		m = false;
	/* Locally generated traffic enters the lookup with iif "lo". */
	if (r->iif[0] && strcmp(r->iif, "lo") != 0)
		m = false;
	/* Before a source is chosen the lookup runs with saddr 0. */
	if (r->src_len && !vd_prefix_contains(&r->src, r->src_len, &any))
		m = false;
	if (r->dst_len && !vd_prefix_contains(&r->dst, r->dst_len, dst))
		m = false;
	if ((r->fwmark || r->fwmask) && (0 & r->fwmask) != r->fwmark)
		m = false;
	return r->invert ? !m : m;
}

static const struct vd_rule default_rules[] = {
	{ .priority = 0,
	  .action = VD_FR_ACT_TO_TBL,
	  .table = VD_RT_TABLE_LOCAL,
	  .suppress_prefixlen = -1 },
	{ .priority = 32766,
	  .action = VD_FR_ACT_TO_TBL,
	  .table = VD_RT_TABLE_MAIN,
	  .suppress_prefixlen = -1 },
	{ .priority = 32767,
	  .action = VD_FR_ACT_TO_TBL,
	  .table = VD_RT_TABLE_DEFAULT,
	  .suppress_prefixlen = -1 },
};

static bool have_rules(const struct vd_facts *f, uint8_t family)
{
	for (size_t i = 0; i < f->n_rules; i++)
		if (f->rules[i].family == family)
			return true;
	return false;
}

/* The rules are sorted by priority (vd_facts_sort). */
void vd_fib_lookup(const struct vd_facts *f, const struct vd_ip *dst,
		   struct vd_fib_result *out)
{
	const struct vd_rule *rules = f->rules;
	size_t n = f->n_rules;
	bool own = have_rules(f, dst->family);

	memset(out, 0, sizeof(*out));
	if (!own) {
		rules = default_rules;
		n = sizeof(default_rules) / sizeof(default_rules[0]);
	}
	for (size_t i = 0; i < n; i++) {
		const struct vd_rule *r = &rules[i];
		const struct vd_route *rt;

		if (own && r->family != dst->family)
			continue;
		if (!rule_matches(r, dst))
			continue;
		switch (r->action) {
		case VD_FR_ACT_TO_TBL:
			rt = vd_fib_table_lookup(f, r->table, dst);
			if (!rt || rt->type == VD_RTN_THROW)
				continue;
			if (r->suppress_prefixlen >= 0 &&
			    rt->dst_len <= r->suppress_prefixlen)
				continue;
			out->route = rt;
			out->rule = own ? r : NULL;
			out->type = rt->type;
			return;
		case VD_FR_ACT_BLACKHOLE:
		case VD_FR_ACT_UNREACHABLE:
		case VD_FR_ACT_PROHIBIT:
			out->rule = own ? r : NULL;
			out->type = r->action; /* same values as VD_RTN_* */
			return;
		default: /* nop, goto: move on */
			continue;
		}
	}
}
