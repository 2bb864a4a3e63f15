/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER until the parser lands (this session): not yet read. */
#include "collect/collect.h"

#include <errno.h>
#include <stdio.h>

int vd_parse_vmware_netmap(const uint8_t *buf, size_t len, const char *file,
			   struct vd_vmware *out, char *err, size_t errlen)
{
	(void)buf;
	(void)len;
	(void)file;
	(void)out;
	snprintf(err, errlen, "not implemented");
	return -ENOSYS;
}
