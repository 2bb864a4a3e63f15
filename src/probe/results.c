/* SPDX-License-Identifier: MIT */
#include "probe/results.h"

#include <stdlib.h>
#include <string.h>

void vd_probes_clear(struct vd_probes *p)
{
	free(p->routes);
	free(p->pings);
	free(p->arps);
	free(p->tcps);
	free(p->dns);
	free(p->dhcps);
	free(p->mtus);
	free(p->traces);
	memset(p, 0, sizeof(*p));
}
