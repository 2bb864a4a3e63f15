/* SPDX-License-Identifier: MIT */
/*
 * Rules: pure functions from facts to findings, one registry table.
 * No rule does I/O; each reads the facts and the context and adds findings.
 */
#ifndef VD_RULES_H
#define VD_RULES_H

#include <stdbool.h>

#include "facts/facts.h"
#include "rules/finding.h"

/* Where an adapter was learnt from. */
enum vd_adapter_origin {
	VD_ADAPTER_CONFIG = 1,	/* hypervisor configuration */
	VD_ADAPTER_OPTION = 2,	/* --adapter IFACE */
	VD_ADAPTER_PATTERN = 3, /* name matches the pattern list */
};

/* A host virtual-network adapter the rules look after. */
struct vd_adapter {
	char name[VD_IFNAME_MAX];
	enum vd_adapter_origin origin;
	char why[160];		    /* "etc/vmware/networking:9", "vmnet*" */
	const struct vd_link *link; /* NULL when the interface is absent */
	const struct vd_vnet *vnet; /* the VMware network, when known */
};

struct vd_adapters {
	struct vd_adapter *v;
	size_t n, cap;
};

/* The default pattern list (NULL terminated): vmnet*, virbr*, ... */
extern const char *const vd_default_adapter_patterns[];

struct vd_target {
	char host[256];	 /* as given */
	struct vd_ip ip; /* VD_AF_NONE when not a literal address */
	int port;	 /* -1 when none */
};

/* What the user asked, beyond the facts. */
struct vd_rule_opts {
	const char *const *adapters; /* --adapter, NULL terminated or NULL */
	const char *const *patterns; /* NULL: the default list */
	const struct vd_target *targets;
	size_t n_targets;
	const char *const *vms; /* --vm: VMs that should talk, or NULL */
	size_t n_vms;
};

struct vd_rule_ctx {
	const struct vd_facts *facts;
	const struct vd_rule_opts *opts;
	const struct vd_adapters *adapters;
};

typedef void (*vd_rule_fn)(const struct vd_rule_ctx *ctx,
			   struct vd_findings *out);

struct vd_rule_def {
	const char *code; /* the catalog code it reports */
	vd_rule_fn fn;
};

extern const struct vd_rule_def vd_rule_registry[];
extern const size_t vd_rule_registry_len;

/* Choose the adapters: config first, then --adapter, then patterns. */
int vd_adapters_select(const struct vd_facts *f, const struct vd_rule_opts *o,
		       struct vd_adapters *out);
void vd_adapters_clear(struct vd_adapters *a);
const struct vd_adapter *vd_adapters_find(const struct vd_adapters *a,
					  const char *name);

/* Run every registered rule; 0 or -ENOMEM. */
int vd_rules_run(const struct vd_facts *f, const struct vd_rule_opts *o,
		 struct vd_findings *out);

/* Rule entry points, by layer file. */
void rule_adapter_down(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_no_carrier(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_mtu_mismatch(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_mac_conflict(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_no_address(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_netmask_mismatch(const struct vd_rule_ctx *c,
			   struct vd_findings *out);
void rule_subnet_overlap(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_route_missing(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_route_wrong_interface(const struct vd_rule_ctx *c,
				struct vd_findings *out);
void rule_dns_no_server(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_sysctl_obsolete(const struct vd_rule_ctx *c, struct vd_findings *out);
/* The path to each target, from the probe results (rules/target.c). */
void rule_target_no_route(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_arp_unanswered(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_duplicate_ip(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_icmp_unreachable(const struct vd_rule_ctx *c,
			   struct vd_findings *out);
void rule_target_unreachable(const struct vd_rule_ctx *c,
			     struct vd_findings *out);
void rule_port_closed(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_port_filtered(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_service_not_listening(const struct vd_rule_ctx *c,
				struct vd_findings *out);
void rule_mtu_path(const struct vd_rule_ctx *c, struct vd_findings *out);
/* The host's firewall and forwarding (rules/firewall.c). */
void rule_firewall_blocks(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_ip_forward_disabled(const struct vd_rule_ctx *c,
			      struct vd_findings *out);
/* NetworkManager and the hypervisor adapters (rules/nm.c). */
void rule_networkmanager_managed(const struct vd_rule_ctx *c,
				 struct vd_findings *out);
/* DHCP and DNS the VMs depend on (rules/services.c). */
void rule_dhcp_no_offer(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_dhcp_multiple_servers(const struct vd_rule_ctx *c,
				struct vd_findings *out);
void rule_dns_failure(const struct vd_rule_ctx *c, struct vd_findings *out);
/* VMware's configuration (rules/vmware_net.c, vmware_nat.c, vmware_vm.c). */
void rule_adapter_missing(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_module_missing(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_module_kernel_mismatch(const struct vd_rule_ctx *c,
				 struct vd_findings *out);
void rule_vmware_service_down(const struct vd_rule_ctx *c,
			      struct vd_findings *out);
void rule_dhcp_service_down(const struct vd_rule_ctx *c,
			    struct vd_findings *out);
void rule_nat_service_down(const struct vd_rule_ctx *c,
			   struct vd_findings *out);
void rule_bridge_mapping_missing(const struct vd_rule_ctx *c,
				 struct vd_findings *out);
void rule_subnet_mismatch(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_gateway_wrong(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_dhcp_config_invalid(const struct vd_rule_ctx *c,
			      struct vd_findings *out);
void rule_nat_portfwd_missing(const struct vd_rule_ctx *c,
			      struct vd_findings *out);
void rule_nat_portfwd_wrong_target(const struct vd_rule_ctx *c,
				   struct vd_findings *out);
void rule_nat_hostport_conflict(const struct vd_rule_ctx *c,
				struct vd_findings *out);
void rule_vmx_mac_invalid(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_vmx_mac_conflict(const struct vd_rule_ctx *c,
			   struct vd_findings *out);
void rule_vmx_mac_mismatch(const struct vd_rule_ctx *c,
			   struct vd_findings *out);
void rule_vms_on_different_networks(const struct vd_rule_ctx *c,
				    struct vd_findings *out);
void rule_nic_model_legacy(const struct vd_rule_ctx *c,
			   struct vd_findings *out);
void rule_log_errors(const struct vd_rule_ctx *c, struct vd_findings *out);
/* The host's policy and other hypervisors (rules/host_policy.c). */
void rule_selinux_denials(const struct vd_rule_ctx *c, struct vd_findings *out);
void rule_apparmor_denials(const struct vd_rule_ctx *c,
			   struct vd_findings *out);
void rule_hyperv_conflict(const struct vd_rule_ctx *c, struct vd_findings *out);
/* Links between VMware findings and the probes' (after all rules). */
void vd_vmware_explain(const struct vd_rule_ctx *c, struct vd_findings *out);

#endif
