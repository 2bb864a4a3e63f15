/* SPDX-License-Identifier: MIT */
/* The one table of rules: which function reports which code. */
#include <errno.h>

#include "rules/rules.h"

const struct vd_rule_def vd_rule_registry[] = {
	{ "L1.adapter-down", rule_adapter_down },
	{ "L1.no-carrier", rule_no_carrier },
	{ "L2.mtu-mismatch", rule_mtu_mismatch },
	{ "L2.mac-conflict", rule_mac_conflict },
	{ "L3.no-address", rule_no_address },
	{ "L3.subnet-overlap", rule_subnet_overlap },
	{ "L3.route-missing", rule_route_missing },
	{ "L3.route-wrong-interface", rule_route_wrong_interface },
	{ "L3.dns-no-server", rule_dns_no_server },
	{ "HOST.sysctl-obsolete", rule_sysctl_obsolete },
};

const size_t vd_rule_registry_len =
	sizeof(vd_rule_registry) / sizeof(vd_rule_registry[0]);

int vd_rules_run(const struct vd_facts *f, const struct vd_rule_opts *o,
		 struct vd_findings *out)
{
	struct vd_adapters adapters;
	struct vd_rule_ctx ctx;
	int err = vd_adapters_select(f, o, &adapters);

	if (err)
		return err;
	ctx = (struct vd_rule_ctx){ f, o, &adapters };
	for (size_t i = 0; i < vd_rule_registry_len; i++)
		vd_rule_registry[i].fn(&ctx, out);
	vd_adapters_clear(&adapters);
	return out->oom ? -ENOMEM : 0;
}
