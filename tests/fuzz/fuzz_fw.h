/* SPDX-License-Identifier: MIT */
/* Shared by the firewall harnesses: what a parse must leave behind, and
 * the evaluator over whatever ruleset came out. */
#ifndef VD_FUZZ_FW_H
#define VD_FUZZ_FW_H

#include <string.h>

#include "collect/firewall/fwparse.h"
#include "rules/fweval.h"

static void fuzz_fw_check(int rc, struct vd_fw_ruleset *rs, const char *err,
			  size_t errlen)
{
	struct vd_fw_flow fl = { .family = 4,
				 .iif = "vmnet8",
				 .oif = "eth0",
				 .l4proto = 6,
				 .sport = 40000,
				 .dport = 80,
				 .daddr_local = -1 };
	struct vd_fw_result res;

	if (rc != 0) {
		if (!memchr(err, '\0', errlen) || !err[0])
			__builtin_trap();
		return;
	}
	fl.saddr = (struct vd_ip){ .family = 4, .b = { 192, 168, 159, 128 } };
	fl.daddr = (struct vd_ip){ .family = 4, .b = { 192, 168, 159, 1 } };
	for (uint8_t hook = 1; hook <= 5; hook++)
		if (vd_fw_eval_hook(rs, &fl, hook, &res) == 0 &&
		    res.verdict != VD_FWV_ACCEPT &&
		    res.verdict != VD_FWV_DROP &&
		    res.verdict != VD_FWV_REJECT && res.verdict != VD_FWV_QUEUE)
			__builtin_trap();
	vd_fw_ruleset_free(rs);
}

#endif
