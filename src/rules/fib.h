/* SPDX-License-Identifier: MIT */
/*
 * The kernel's route lookup, replayed over the facts: policy rules in
 * priority order, longest prefix, lowest metric.  Lets a snapshot answer
 * "ip route get ADDR" offline, for traffic this host originates.
 */
#ifndef VD_FIB_H
#define VD_FIB_H

#include "facts/facts.h"

struct vd_fib_result {
	const struct vd_route *route; /* the matching route, or NULL */
	const struct vd_rule *rule;   /* the rule that decided, or NULL */
	uint8_t type; /* VD_RTN_*: route type, or from a rule action;
			 VD_RTN_UNSPEC when nothing matched */
};

/* Look up dst as traffic from this host (no source, no mark, iif lo). */
void vd_fib_lookup(const struct vd_facts *f, const struct vd_ip *dst,
		   struct vd_fib_result *out);

/* Longest-prefix match in one table (NULL when none). */
const struct vd_route *vd_fib_table_lookup(const struct vd_facts *f,
					   uint32_t table,
					   const struct vd_ip *dst);

#endif
