/* SPDX-License-Identifier: MIT */
#include "rules/vmodel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/civil.h"
#include "util/ip.h"

bool vd_vnet_needs(const struct vd_vnet *v, enum vd_vmd d)
{
	switch (d) {
	case VD_VMD_DHCP:
		return v->dhcp == VD_YES;
	case VD_VMD_NAT:
		return v->nat == VD_YES;
	case VD_VMD_BRIDGE:
		return v->mode == VD_VNET_BRIDGED;
	}
	return false;
}

const char *vd_vmd_name(enum vd_vmd d)
{
	switch (d) {
	case VD_VMD_DHCP:
		return "vmnet-dhcpd";
	case VD_VMD_NAT:
		return "vmnet-natd";
	case VD_VMD_BRIDGE:
		return "vmnet-bridge";
	}
	return "?";
}

/* Does the command line name vmnetN ("vmnet8" not followed by a digit,
 * "/dev/vmnet8", ".../vmnet8/nat.conf"), or "-n N" for the bridge? */
static bool names_vnet(const char *cmd, int num)
{
	char want[16], arg[16];
	size_t k;

	k = (size_t)snprintf(want, sizeof(want), "vmnet%d", num);
	for (const char *p = cmd; (p = strcasestr(p, want)); p += k)
		if (p[k] < '0' || p[k] > '9')
			return true;
	snprintf(arg, sizeof(arg), " -n %d", num);
	for (const char *p = cmd; (p = strstr(p, arg)); p += strlen(arg))
		if (p[strlen(arg)] == '\0' || p[strlen(arg)] == ' ')
			return true;
	return false;
}

const struct vd_process *vd_vmd_find(const struct vd_facts *f, enum vd_vmd d,
				     int num)
{
	const char *name = vd_vmd_name(d);

	for (size_t i = 0; i < f->n_procs; i++) {
		const struct vd_process *p = &f->procs[i];

		if (strcmp(p->comm, name) == 0 && p->cmdline &&
		    names_vnet(p->cmdline, num))
			return p;
	}
	return NULL;
}

bool vd_vmd_any(const struct vd_facts *f)
{
	for (size_t i = 0; i < f->n_procs; i++)
		if (strncmp(f->procs[i].comm, "vmnet-", 6) == 0)
			return true;
	return false;
}

const struct vd_natconf *vd_vnet_nat(const struct vd_vmware *v, int num)
{
	for (size_t i = 0; i < v->n_nats; i++)
		if (v->nats[i].vnet == num)
			return &v->nats[i];
	return NULL;
}

const struct vd_dhcp_subnet *vd_vnet_dhcp(const struct vd_vmware *v, int num)
{
	for (size_t i = 0; i < v->n_dhcp_subnets; i++)
		if (v->dhcp_subnets[i].vnet == num)
			return &v->dhcp_subnets[i];
	return NULL;
}

bool vd_vnet_subnet(const struct vd_facts *f, int num, struct vd_ip *net,
		    unsigned *plen)
{
	const struct vd_vnet *v = vd_vmware_vnet(&f->vmware, num);
	const struct vd_dhcp_subnet *d;
	int len;

	if (v && v->subnet.family == VD_AF_INET && v->prefixlen >= 0) {
		*net = v->subnet;
		*plen = (unsigned)v->prefixlen;
		return true;
	}
	d = vd_vnet_dhcp(&f->vmware, num);
	if (d && d->subnet.family == VD_AF_INET &&
	    d->netmask.family == VD_AF_INET &&
	    (len = vd_netmask_len(&d->netmask)) >= 0) {
		*net = d->subnet;
		*plen = (unsigned)len;
		return true;
	}
	return false;
}

uint32_t vd_ip4(const struct vd_ip *ip)
{
	return (uint32_t)ip->b[0] << 24 | (uint32_t)ip->b[1] << 16 |
	       (uint32_t)ip->b[2] << 8 | ip->b[3];
}

bool vd_dhcp_range_has(const struct vd_dhcp_subnet *d, const struct vd_ip *ip)
{
	return d->range_lo.family == VD_AF_INET &&
	       d->range_hi.family == VD_AF_INET && ip->family == VD_AF_INET &&
	       vd_ip4(ip) >= vd_ip4(&d->range_lo) &&
	       vd_ip4(ip) <= vd_ip4(&d->range_hi);
}

/* collected_at ("2026-11-28T15:00:00Z") as Unix time; 0 when unknown. */
static int64_t collected_time(const struct vd_facts *f)
{
	unsigned y, mo, d, h, mi, s;

	if (sscanf(f->collected_at, "%4u-%2u-%2uT%2u:%2u:%2u", &y, &mo, &d, &h,
		   &mi, &s) != 6 ||
	    y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return 0;
	return vd_days_since_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

bool vd_lease_current(const struct vd_facts *f, const struct vd_lease *l)
{
	int64_t now = collected_time(f);

	return !l->ends || !now || l->ends > now;
}

const struct vd_lease *vd_lease_for_ip(const struct vd_facts *f, int num,
				       const struct vd_ip *ip)
{
	const struct vd_vmware *v = &f->vmware;

	for (size_t i = v->n_leases; i-- > 0;) {
		const struct vd_lease *l = &v->leases[i];

		if ((l->vnet == num || l->vnet < 0) && vd_ip_equal(&l->ip, ip))
			return vd_lease_current(f, l) ? l : NULL;
	}
	return NULL;
}

int vd_nic_vnet(const struct vd_vm_nic *n)
{
	if (!n->conn[0] || strcmp(n->conn, "bridged") == 0)
		return 0;
	if (strcmp(n->conn, "nat") == 0)
		return 8;
	if (strcmp(n->conn, "hostonly") == 0)
		return 1;
	if (strcmp(n->conn, "custom") == 0)
		return vd_vnet_number(n->vnet);
	return -1;
}

bool vd_nic_active(const struct vd_vm_nic *n)
{
	return n->present == VD_YES && n->start_connected != VD_NO;
}

const struct vd_vm *vd_vm_by_mac(const struct vd_vmware *v,
				 const uint8_t mac[6],
				 const struct vd_vm_nic **nic)
{
	for (size_t i = 0; i < v->n_vms; i++)
		for (size_t k = 0; k < v->vms[i].n_nics; k++)
			if (v->vms[i].nics[k].has_mac &&
			    memcmp(v->vms[i].nics[k].mac, mac, 6) == 0) {
				*nic = &v->vms[i].nics[k];
				return &v->vms[i];
			}
	return NULL;
}

const char *vd_vm_label(const struct vd_vmware *v, const struct vd_vm *vm)
{
	if (vm->name[0])
		return vm->name;
	if (vm->file >= 0 && (size_t)vm->file < v->n_files)
		return v->files[vm->file];
	return "?";
}
