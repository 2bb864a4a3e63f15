/* SPDX-License-Identifier: MIT */
#ifndef VD_PLAN_H
#define VD_PLAN_H

#include "facts/facts.h"
#include "probe/probe.h"
#include "rules/rules.h"

struct vd_plan_opts {
	unsigned timeout_ms;  /* per probe */
	const char *dns_name; /* the name asked of DNS servers */
};

/*
 * Everything check sends, in two rounds on one event loop:
 *  1. the path to each target with a literal address (route, ARP for the
 *     next hop, ping, the TCP port), and a DHCP discover on every adapter
 *     whose network is configured with DHCP;
 *  2. a query for dns_name at every DNS server those offers hand out.
 * Results go to out.  0, or a negative errno with a reason in err.
 */
int vd_probe_plan(const struct vd_facts *f, const struct vd_adapters *a,
		  const struct vd_target *t, size_t n,
		  const struct vd_plan_opts *o, struct vd_probes *out,
		  char *err, size_t errlen);

#endif
