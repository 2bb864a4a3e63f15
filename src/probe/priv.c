/* SPDX-License-Identifier: MIT */
#include "probe/priv.h"

#include <cap-ng.h>

void vd_priv_drop(void)
{
	/* Root keeps its uid (files it reads later are root's) but loses
	 * CAP_NET_RAW/CAP_NET_ADMIN and the rest. */
	if (capng_have_capabilities(CAPNG_SELECT_CAPS) == CAPNG_NONE)
		return;
	capng_clear(CAPNG_SELECT_BOTH);
	capng_apply(CAPNG_SELECT_BOTH);
}
