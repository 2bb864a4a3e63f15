/* SPDX-License-Identifier: MIT */
/*
 * What changed between two facts models, in network terms: a vmnet's
 * subnet, a port forward's target, a VM's NIC connection... (vnetdiag diff).
 *
 * Items are matched by what they are, never by where they stand: a vnet by
 * its number, a port forward by (vnet, protocol, host port), a NAT or DHCP
 * configuration by its vnet, a reservation by (vnet, MAC), a VM by its .vmx
 * path (else by its name), a NIC by its ethernetN index, a host adapter by
 * its name.  Reordered files, moved lines and other line numbers are no
 * change.  Pure: no I/O.
 */
#ifndef VD_FACTS_DIFF_H
#define VD_FACTS_DIFF_H

#include <stddef.h>

#include "facts/facts.h"

struct vd_change {
	char *what; /* the changed thing: "vmnet8.subnet" */
	char *from; /* its old value; NULL when it was added */
	char *to;   /* its new value; NULL when it was removed */
	char *text; /* one line: "vmnet8 subnet 192.168.159.0/24 -> ..." */
};

struct vd_changes {
	VD_ARRAY(struct vd_change, items);
};

/*
 * Append to out every change from a to b, in a fixed order (VMware version,
 * vnets, port forwards, NAT, DHCP, reservations, VMs, host adapters; each
 * by identity).  Host adapters are compared only when both models hold
 * links.  0 or -ENOMEM (out then holds what was found so far).
 */
int vd_diff(const struct vd_facts *a, const struct vd_facts *b,
	    struct vd_changes *out);
void vd_changes_free(struct vd_changes *c);

#endif
