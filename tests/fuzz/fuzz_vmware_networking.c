/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: etc/vmware/networking parser. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_vmware v;
	char err[128] = "";
	int rc;

	vd_vmware_init(&v);
	rc = vd_parse_vmware_networking(data, size, "/etc/vmware/networking",
					&v, err, sizeof(err));

	if (rc == 0) {
		if (v.present != VD_YES || err[0])
			__builtin_trap();
		for (size_t i = 0; i < v.n_vnets; i++) {
			const struct vd_vnet *n = &v.vnets[i];
			char name[16];

			snprintf(name, sizeof(name), "vmnet%d", n->num);
			if (n->num < 0 || n->num > 255 ||
			    strcmp(n->name, name) ||
			    (i > 0 && n->num <= v.vnets[i - 1].num) ||
			    n->prefixlen < -1 || n->prefixlen > 32 ||
			    n->mode > VD_VNET_NAT || n->line == 0 ||
			    (n->prefixlen >= 0 &&
			     n->netmask.family != VD_AF_INET))
				__builtin_trap();
		}
		for (size_t i = 0; i < v.n_portfwds; i++) {
			const struct vd_portfwd *p = &v.portfwds[i];

			if (p->vnet < 0 || p->vnet > 255 || !p->host_port ||
			    !p->guest_port ||
			    (p->proto != 6 && p->proto != 17) ||
			    p->src.line == 0 || p->src.file != 0)
				__builtin_trap();
			for (size_t k = 0; k < i; k++) /* one per host port */
				if (v.portfwds[k].vnet == p->vnet &&
				    v.portfwds[k].proto == p->proto &&
				    v.portfwds[k].host_port == p->host_port)
					__builtin_trap();
		}
		for (size_t i = 0; i < v.n_dhcp_hosts; i++)
			if (!v.dhcp_hosts[i].has_mac ||
			    v.dhcp_hosts[i].vnet < 0 ||
			    v.dhcp_hosts[i].vnet > 255 ||
			    v.dhcp_hosts[i].src.line == 0)
				__builtin_trap();
	} else if (rc == -EINVAL) {
		/* a reason, and the output left alone */
		if (!err[0] || v.n_vnets || v.present != VD_UNKNOWN)
			__builtin_trap();
	} else if (rc != -ENOMEM) {
		__builtin_trap();
	}
	vd_vmware_free(&v);
	return 0;
}
