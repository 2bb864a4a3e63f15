/* SPDX-License-Identifier: MIT */
#ifndef VD_PLAN_H
#define VD_PLAN_H

#include "facts/facts.h"
#include "probe/probe.h"
#include "rules/rules.h"

struct vd_plan_opts {
	unsigned timeout_ms; /* per probe */
};

/*
 * Probe the path to each target with a literal address: route, ARP for the
 * next hop, ping, the TCP port.  Results go to out.  0, or a negative
 * errno with a one-line reason in err.
 */
int vd_probe_targets(const struct vd_facts *f, const struct vd_target *t,
		     size_t n, const struct vd_plan_opts *o,
		     struct vd_probes *out, char *err, size_t errlen);

#endif
