/* SPDX-License-Identifier: MIT */
/* The one table of rules: which function reports which code. */
#include <errno.h>
#include <string.h>

#include "rules/rules.h"
#include "util/ip.h"

const struct vd_rule_def vd_rule_registry[] = {
	{ "L1.adapter-down", rule_adapter_down },
	{ "L1.no-carrier", rule_no_carrier },
	{ "L2.mtu-mismatch", rule_mtu_mismatch },
	{ "L2.mac-conflict", rule_mac_conflict },
	{ "L3.no-address", rule_no_address },
	{ "L3.netmask-mismatch", rule_netmask_mismatch },
	{ "L3.subnet-overlap", rule_subnet_overlap },
	{ "L3.route-missing", rule_route_missing },
	{ "L3.route-wrong-interface", rule_route_wrong_interface },
	{ "L3.dns-no-server", rule_dns_no_server },
	{ "HOST.sysctl-obsolete", rule_sysctl_obsolete },
	/* Along the path to each target (needs probe results). */
	{ "L7.service-not-listening", rule_service_not_listening },
	{ "L3.route-missing", rule_target_no_route },
	{ "L2.arp-unanswered", rule_arp_unanswered },
	{ "L2.duplicate-ip", rule_duplicate_ip },
	{ "L2.mtu-mismatch", rule_mtu_path },
	{ "L3.icmp-unreachable", rule_icmp_unreachable },
	{ "L3.target-unreachable", rule_target_unreachable },
	{ "L4.port-closed", rule_port_closed },
	{ "L4.port-filtered", rule_port_filtered },
	/* The host's firewall: the flows to each target (it names the rule
	 * that explains the probes' findings above) and the VMs' routed
	 * traffic. */
	{ "L4.firewall-blocks", rule_firewall_blocks },
	{ "L3.ip-forward-disabled", rule_ip_forward_disabled },
	/* What the VMs of each virtual network depend on. */
	{ "L3.dhcp-no-offer", rule_dhcp_no_offer },
	{ "L3.dhcp-multiple-servers", rule_dhcp_multiple_servers },
	{ "L3.dns-failure", rule_dns_failure },
	/* VMware's configuration against the host (after the path rules,
	 * whose findings some of them explain). */
	{ "L1.adapter-missing", rule_adapter_missing },
	{ "L1.module-missing", rule_module_missing },
	{ "L1.module-kernel-mismatch", rule_module_kernel_mismatch },
	{ "HOST.vmware-service-down", rule_vmware_service_down },
	{ "L3.dhcp-service-down", rule_dhcp_service_down },
	{ "L4.nat-service-down", rule_nat_service_down },
	{ "L2.bridge-mapping-missing", rule_bridge_mapping_missing },
	{ "L3.subnet-mismatch", rule_subnet_mismatch },
	{ "L3.gateway-wrong", rule_gateway_wrong },
	{ "L3.dhcp-config-invalid", rule_dhcp_config_invalid },
	{ "L4.nat-portforward-missing", rule_nat_portfwd_missing },
	{ "L4.nat-portforward-wrong-target", rule_nat_portfwd_wrong_target },
	{ "L4.nat-hostport-conflict", rule_nat_hostport_conflict },
	{ "L2.vmx-mac-invalid", rule_vmx_mac_invalid },
	{ "L2.mac-conflict", rule_vmx_mac_conflict },
	{ "L2.vmx-mac-mismatch", rule_vmx_mac_mismatch },
	{ "L2.vms-on-different-networks", rule_vms_on_different_networks },
	{ "HOST.nic-model-legacy", rule_nic_model_legacy },
	{ "HOST.log-errors", rule_log_errors },
	/* The host's policy and other hypervisors (rules/host_policy.c). */
	{ "HOST.selinux-denials", rule_selinux_denials },
	{ "HOST.apparmor-denials", rule_apparmor_denials },
	{ "HOST.hyperv-conflict", rule_hyperv_conflict },
	{ "HOST.networkmanager-managed", rule_networkmanager_managed },
};

const size_t vd_rule_registry_len =
	sizeof(vd_rule_registry) / sizeof(vd_rule_registry[0]);

/* Is ip inside one of the adapter's subnets (addresses or configuration)? */
static bool adapter_has(const struct vd_facts *f, const struct vd_adapter *a,
			const struct vd_ip *ip)
{
	for (size_t i = 0; a->link && i < f->n_addrs; i++)
		if (f->addrs[i].ifindex == a->link->ifindex &&
		    vd_prefix_contains(&f->addrs[i].ip, f->addrs[i].prefixlen,
				       ip))
			return true;
	return a->vnet && a->vnet->subnet.family && a->vnet->prefixlen >= 0 &&
	       vd_prefix_contains(&a->vnet->subnet,
				  (unsigned)a->vnet->prefixlen, ip);
}

/*
 * The path to a target in a virtual network runs through its adapter: a
 * problem of the adapter explains what the probes saw on the way (the
 * adapter is down, so ARP for the VM goes unanswered).
 */
static void link_targets(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	for (size_t t = 0; c->opts && t < c->opts->n_targets; t++) {
		const struct vd_target *tg = &c->opts->targets[t];

		for (size_t a = 0; tg->ip.family && a < c->adapters->n; a++) {
			const struct vd_adapter *ad = &c->adapters->v[a];
			const struct vd_finding *cause = NULL;

			if (!adapter_has(c->facts, ad, &tg->ip))
				continue;
			for (size_t i = 0; i < out->n; i++) {
				const struct vd_finding *f = &out->v[i];

				if (strcmp(f->subject, ad->name) == 0 &&
				    f->severity == VD_SEV_CRITICAL &&
				    (!cause ||
				     vd_check_rank(f->check) <
					     vd_check_rank(cause->check)))
					cause = f;
			}
			for (size_t i = 0; cause && i < out->n; i++) {
				struct vd_finding *f = &out->v[i];

				if (!f->caused_by &&
				    strcmp(f->subject, tg->host) == 0 &&
				    vd_check_rank(cause->check) <=
					    vd_check_rank(f->check)) {
					f->caused_by = cause->check->code;
					f->cause_subject = cause->subject;
				}
			}
		}
	}
}

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
	link_targets(&ctx, out);
	vd_vmware_explain(&ctx, out);
	vd_adapters_clear(&adapters);
	return out->oom ? -ENOMEM : 0;
}
