/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "probe/probe.h"

int vd_probe_dns_start(struct vd_loop *l, const char *name,
		       const struct vd_ip *servers, size_t n_servers,
		       const struct vd_dns_opts *o, struct vd_probes *out)
{
	(void)l;
	(void)name;
	(void)servers;
	(void)n_servers;
	(void)o;
	(void)out;
	return -EOPNOTSUPP;
}
