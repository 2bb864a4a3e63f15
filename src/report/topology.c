/* SPDX-License-Identifier: MIT */
/*
 * The short topology of the VMware networks in the text report: one line
 * per vmnet (mode, subnet, host adapter, NAT device, DHCP, forwards) and
 * one per VM NIC (network, MAC, address from the leases).
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "rules/vmodel.h"
#include "util/ip.h"
#include "util/strbuf.h"

#define VMS_SHOWN 12

static void daemon_state(struct vd_strbuf *sb, const struct vd_facts *f,
			 enum vd_vmd d, int num)
{
	/* Without a networking file (Windows' files read from here) the
	 * daemons run elsewhere, if at all. */
	if (f->vmware.present == VD_YES && !vd_vmd_find(f, d, num))
		vd_sb_printf(sb, " (%s not running)", vd_vmd_name(d));
}

static void vnet_line(struct vd_strbuf *sb, const struct vd_facts *f,
		      const struct vd_vnet *v)
{
	const struct vd_vmware *vm = &f->vmware;
	const struct vd_natconf *nat = vd_vnet_nat(vm, v->num);
	const struct vd_dhcp_subnet *d = vd_vnet_dhcp(vm, v->num);
	const struct vd_link *l = vd_facts_link_by_name(f, v->name);
	char a[VD_IPSTR_MAX], b[VD_IPSTR_MAX];
	struct vd_ip net;
	unsigned plen;

	vd_sb_printf(sb, "  %-7s %-9s", v->name,
		     v->mode == VD_VNET_UNKNOWN ? "?"
						: vd_vnet_mode_text(v->mode));
	if (vd_vnet_subnet(f, v->num, &net, &plen))
		vd_sb_printf(sb, " %s",
			     vd_prefix_str(&net, plen, a, sizeof(a)));
	if (v->mode == VD_VNET_BRIDGED)
		vd_sb_printf(sb, " to %s",
			     v->bridge_if[0] ? v->bridge_if : "any NIC");
	if (v->virtual_adapter == VD_YES)
		vd_sb_printf(sb, ", adapter %s",
			     !l			       ? "absent"
			     : !(l->flags & VD_IFF_UP) ? "down"
						       : "up");
	if (v->nat == VD_YES) {
		vd_sb_printf(sb, ", NAT %s",
			     nat ? vd_ip_str(&nat->ip, a, sizeof(a)) : "?");
		daemon_state(sb, f, VD_VMD_NAT, v->num);
	}
	if (v->dhcp == VD_YES) {
		vd_sb_printf(sb, ", DHCP");
		if (d && d->range_lo.family)
			vd_sb_printf(sb, " %s-%s",
				     vd_ip_str(&d->range_lo, a, sizeof(a)),
				     vd_ip_str(&d->range_hi, b, sizeof(b)));
		if (d && d->router.family)
			vd_sb_printf(sb, " gw %s",
				     vd_ip_str(&d->router, a, sizeof(a)));
		daemon_state(sb, f, VD_VMD_DHCP, v->num);
	}
	for (size_t i = 0; i < vm->n_portfwds; i++) {
		const struct vd_portfwd *p = &vm->portfwds[i];

		if (p->vnet != v->num && !(p->vnet < 0 && v->nat == VD_YES))
			continue;
		vd_sb_printf(sb, ", %s %u->%s:%u",
			     p->proto == 17 ? "udp" : "tcp", p->host_port,
			     vd_ip_str(&p->guest, a, sizeof(a)), p->guest_port);
	}
	vd_sb_printf(sb, "\n");
}

/* The address a MAC holds by the leases, or "". */
static const char *leased(const struct vd_facts *f, const uint8_t mac[6],
			  char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = f->vmware.n_leases; i-- > 0;) {
		const struct vd_lease *l = &f->vmware.leases[i];

		if (l->has_mac && memcmp(l->mac, mac, 6) == 0 &&
		    vd_lease_current(f, l)) {
			char ip[VD_IPSTR_MAX];

			snprintf(buf, len, " %s",
				 vd_ip_str(&l->ip, ip, sizeof(ip)));
			break;
		}
	}
	return buf;
}

void vd_report_topology(struct vd_strbuf *sb, const struct vd_facts *f)
{
	const struct vd_vmware *vm = &f->vmware;
	size_t shown = 0;
	char ip[VD_IPSTR_MAX + 1];

	if (vm->present == VD_YES) {
		vd_sb_printf(sb, "VMware networks (%s):\n",
			     vm->networking_file);
		for (size_t i = 0; i < vm->n_vnets; i++)
			vnet_line(sb, f, &vm->vnets[i]);
	} else if (vm->n_nats || vm->n_dhcp_subnets) {
		/* No networking file (a Windows host's ProgramData): the
		 * networks its NAT and DHCP files name. */
		vd_sb_printf(sb,
			     "VMware networks (NAT and DHCP files only):\n");
		for (int num = 0; num <= VD_VNET_MAX; num++) {
			struct vd_vnet v = { .num = num, .prefixlen = -1 };

			if (!vd_vnet_nat(vm, num) && !vd_vnet_dhcp(vm, num))
				continue;
			snprintf(v.name, sizeof(v.name), "vmnet%d", num);
			v.nat = vd_vnet_nat(vm, num) ? VD_YES : VD_UNKNOWN;
			v.mode =
				v.nat == VD_YES ? VD_VNET_NAT : VD_VNET_UNKNOWN;
			v.dhcp = vd_vnet_dhcp(vm, num) ? VD_YES : VD_UNKNOWN;
			v.virtual_adapter = VD_UNKNOWN;
			vnet_line(sb, f, &v);
		}
	}
	for (size_t i = 0; i < vm->n_vms; i++) {
		const struct vd_vm *m = &vm->vms[i];

		for (size_t k = 0; k < m->n_nics; k++) {
			const struct vd_vm_nic *n = &m->nics[k];
			int num = vd_nic_vnet(n);

			if (n->present != VD_YES || shown++ >= VMS_SHOWN)
				continue;
			if (shown == 1)
				vd_sb_printf(sb, "VMs:\n");
			vd_sb_printf(sb, "  %s%s ethernet%d",
				     vd_vm_label(vm, m),
				     m->running == VD_YES ? " (running)" : "",
				     n->index);
			if (num >= 0)
				vd_sb_printf(sb, " vmnet%d", num);
			else
				vd_sb_printf(sb, " %s", n->conn);
			vd_sb_printf(
				sb, " %s%s%s%s\n",
				n->mac_text[0] ? n->mac_text : "-",
				n->has_mac ? leased(f, n->mac, ip, sizeof(ip))
					   : "",
				n->virtual_dev[0] ? " " : "", n->virtual_dev);
		}
	}
	if (shown > VMS_SHOWN)
		vd_sb_printf(sb, "  ... and %zu more NICs\n",
			     shown - VMS_SHOWN);
	for (size_t i = 0; i < vm->n_kvs; i++)
		if (strcmp(vm->kvs[i].section, "vnetdiag") == 0 &&
		    strcmp(vm->kvs[i].key, "skipped") == 0)
			vd_sb_printf(sb, "skipped %s\n", vm->kvs[i].value);
}
