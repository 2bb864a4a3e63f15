/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: PLACEHOLDER, replaced with the parser this session. */
#include <stddef.h>
#include <stdint.h>

#include "collect/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_vmware v;
	char err[128];

	vd_vmware_init(&v);
	(void)vd_parse_vmware_natconf(data, size, "f", -1, &v, err,
				      sizeof(err));
	vd_vmware_free(&v);
	return 0;
}
