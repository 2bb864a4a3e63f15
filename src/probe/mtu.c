/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "probe/probe.h"

int vd_probe_mtu_start(struct vd_loop *l, const struct vd_ip *target,
		       const struct vd_mtu_opts *o, struct vd_probes *out)
{
	(void)l;
	(void)target;
	(void)o;
	(void)out;
	return -EOPNOTSUPP;
}
