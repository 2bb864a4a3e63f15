/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "probe/probe.h"

int vd_probe_dhcp_start(struct vd_loop *l, int ifindex,
			const struct vd_dhcp_opts *o, struct vd_probes *out)
{
	(void)l;
	(void)ifindex;
	(void)o;
	(void)out;
	return -EOPNOTSUPP;
}
