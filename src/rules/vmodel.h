/* SPDX-License-Identifier: MIT */
/*
 * The VMware model joined: for each virtual network, what its files say
 * (networking, nat.conf, dhcpd.conf, leases), which daemons serve it and
 * which VM NICs sit on it.  Look-ups over the facts, nothing stored.
 */
#ifndef VD_VMODEL_H
#define VD_VMODEL_H

#include <stdbool.h>

#include "facts/facts.h"

/* The daemons VMware runs per network. */
enum vd_vmd {
	VD_VMD_DHCP,   /* vmnet-dhcpd */
	VD_VMD_NAT,    /* vmnet-natd */
	VD_VMD_BRIDGE, /* vmnet-bridge */
};

/* Does the network need that daemon (per the networking file)? */
bool vd_vnet_needs(const struct vd_vnet *v, enum vd_vmd d);
/* The process serving vnet num, or NULL. */
const struct vd_process *vd_vmd_find(const struct vd_facts *f, enum vd_vmd d,
				     int num);
/* Any VMware daemon at all (vmnet-dhcpd, -natd, -bridge, -netifup)? */
bool vd_vmd_any(const struct vd_facts *f);
const char *vd_vmd_name(enum vd_vmd d);

/* The network's subnet and prefix: networking first, then dhcpd.conf;
 * false when neither says. */
bool vd_vnet_subnet(const struct vd_facts *f, int num, struct vd_ip *net,
		    unsigned *plen);
/* The nat.conf of vnet num, or NULL. */
const struct vd_natconf *vd_vnet_nat(const struct vd_vmware *v, int num);
/* The dhcpd.conf subnet block of vnet num, or NULL. */
const struct vd_dhcp_subnet *vd_vnet_dhcp(const struct vd_vmware *v, int num);

/* An IPv4 address as a host-order number. */
uint32_t vd_ip4(const struct vd_ip *ip);
/* Is ip inside the subnet block's range? */
bool vd_dhcp_range_has(const struct vd_dhcp_subnet *d, const struct vd_ip *ip);

/* The lease currently holding ip on vnet num (the last in file order that
 * has not ended by the time of collection), or NULL. */
const struct vd_lease *vd_lease_for_ip(const struct vd_facts *f, int num,
				       const struct vd_ip *ip);
/* Is the lease still running at collection time (or of unknown end)? */
bool vd_lease_current(const struct vd_facts *f, const struct vd_lease *l);

/* The vmnet a NIC is attached to: nat -> 8, hostonly -> 1, bridged (or
 * absent) -> 0, custom -> its vnet; -1 when not a vmnet (pvn, unknown). */
int vd_nic_vnet(const struct vd_vm_nic *n);
/* A NIC that is there and connects at power-on. */
bool vd_nic_active(const struct vd_vm_nic *n);
/* The VM whose NIC has mac (the NIC in *nic), or NULL. */
const struct vd_vm *vd_vm_by_mac(const struct vd_vmware *v,
				 const uint8_t mac[6],
				 const struct vd_vm_nic **nic);
/* The VM's name for messages: displayName, else the .vmx path. */
const char *vd_vm_label(const struct vd_vmware *v, const struct vd_vm *vm);

#endif
