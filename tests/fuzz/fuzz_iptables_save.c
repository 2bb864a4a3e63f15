/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: iptables-save parser, then the evaluator on it. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_fw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_fw_ruleset *rs = NULL;
	char err[256] = "";
	int rc = vd_fw_parse_iptables_save((const char *)data, size, "f", false,
					   &rs, err, sizeof(err));

	fuzz_fw_check(rc, rs, err, sizeof(err));
	return 0;
}
