/* SPDX-License-Identifier: MIT */
/* HOST: platform settings that break networking for VMs. */
#include <string.h>

#include "rules/rules.h"

/* Keys that current kernels no longer have, or that do harm. */
static const struct obsolete_key {
	const char *key;
	const char *why;
} obsolete_keys[] = {
	{ "net.ipv4.tcp_tw_recycle",
	  "removed in Linux 4.12; before that it dropped connections from "
	  "clients behind NAT (VMs behind vmnet8 included)" },
	{ "net.ipv4.tcp_low_latency", "has no effect since Linux 4.14" },
	{ "net.ipv4.route.max_size",
	  "has no effect on IPv4 since Linux 3.6 removed the routing cache" },
	{ "net.ipv4.netfilter.ip_conntrack_max",
	  "the ip_conntrack compatibility keys are gone; use "
	  "net.netfilter.nf_conntrack_max" },
	{ "net.ipv4.ip_conntrack_max",
	  "the ip_conntrack compatibility keys are gone; use "
	  "net.netfilter.nf_conntrack_max" },
	{ "net.ipv4.tcp_fack", "has no effect since Linux 4.15" },
	{ NULL, NULL },
};

void rule_sysctl_obsolete(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;

	for (const struct obsolete_key *k = obsolete_keys; k->key; k++) {
		struct vd_finding *fd = NULL;

		for (size_t i = 0; i < f->n_sysctls; i++) {
			const struct vd_sysctl *s = &f->sysctls[i];

			if (strcmp(s->key, k->key) != 0)
				continue;
			if (!fd) {
				fd = vd_finding_add(out, "HOST.sysctl-obsolete",
						    k->key,
						    "sysctl configuration sets "
						    "%s: %s",
						    k->key, k->why);
			}
			vd_finding_evidence(out, fd, "%s:%u: %s = %s", s->file,
					    s->line, s->key, s->value);
			vd_finding_remedy(
				out, fd,
				"comment the line out: sed -i '%us/^/# "
				"obsolete: /' %s",
				s->line, s->file);
		}
		if (fd)
			vd_finding_remedy(out, fd,
					  "then reload: sysctl --system");
	}
}
