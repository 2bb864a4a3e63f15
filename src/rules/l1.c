/* SPDX-License-Identifier: MIT */
/* L1: the host adapter itself — present, up, with carrier. */
#include <stdio.h>
#include <string.h>

#include "facts/format.h"
#include "rules/rules.h"

static void restart_hint(struct vd_findings *out, struct vd_finding *fd,
			 const struct vd_adapter *a)
{
	if (a->vnet)
		vd_finding_remedy(out, fd,
				  "if VMware takes it down again: "
				  "vmware-networks --stop && "
				  "vmware-networks --start");
	else if (strncmp(a->name, "virbr", 5) == 0)
		vd_finding_remedy(out, fd,
				  "for a libvirt network: virsh net-start "
				  "<network> (virsh net-list --all)");
}

void rule_adapter_down(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	char buf[512];

	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		struct vd_finding *fd;

		if (!a->link || (a->link->flags & VD_IFF_UP))
			continue;
		fd = vd_finding_add(out, "L1.adapter-down", a->name,
				    "host adapter %s is administratively down",
				    a->name);
		vd_finding_evidence(
			out, fd, "link %s (no UP flag)",
			vd_fmt_link(c->facts, a->link, buf, sizeof(buf)));
		vd_finding_evidence(out, fd, "%s is a host adapter: %s",
				    a->name, a->why);
		vd_finding_remedy(out, fd, "ip link set dev %s up", a->name);
		restart_hint(out, fd, a);
	}
}

/* Ports of a bridge, and how many of them have carrier. */
static void bridge_ports(const struct vd_facts *f, const struct vd_link *br,
			 char *buf, size_t len, size_t *n, size_t *live)
{
	size_t o = 0;

	*n = *live = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < f->n_links; i++) {
		const struct vd_link *p = &f->links[i];
		bool up =
			(p->flags & VD_IFF_UP) && (p->flags & VD_IFF_LOWER_UP);

		if (p->master != br->ifindex)
			continue;
		(*n)++;
		*live += up;
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s (%s)",
					      o ? ", " : "", p->name,
					      !(p->flags & VD_IFF_UP) ? "down"
					      : up ? "carrier"
						   : "no carrier");
	}
}

/*
 * No carrier: the lower layer is down although the adapter is up.  The
 * operstate alone lags (a bridge reports DOWN for a moment after its first
 * port comes up), so LOWER_UP and the carrier decide.
 */
static bool has_no_carrier(const struct vd_link *l)
{
	if (!(l->flags & VD_IFF_UP))
		return false; /* that is L1.adapter-down */
	if (l->carrier == VD_NO)
		return true;
	return l->carrier == VD_UNKNOWN && !(l->flags & VD_IFF_LOWER_UP);
}

void rule_no_carrier(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	char buf[512], ports[400], tmp[32];
	size_t n, live;

	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		const struct vd_link *l = a->link;
		struct vd_finding *fd;

		if (!l || !has_no_carrier(l))
			continue;
		fd = vd_finding_add(out, "L1.no-carrier", a->name,
				    "host adapter %s is up but has no carrier",
				    a->name);
		vd_finding_evidence(out, fd, "link %s (no LOWER_UP)",
				    vd_fmt_link(c->facts, l, buf, sizeof(buf)));
		if (strcmp(l->kind, "bridge") == 0) {
			bridge_ports(c->facts, l, ports, sizeof(ports), &n,
				     &live);
			if (n == 0) {
				vd_finding_evidence(out, fd,
						    "bridge %s has no ports: "
						    "no VM is attached",
						    l->name);
				vd_finding_remedy(
					out, fd,
					"attach a VM or port: ip link "
					"set dev PORT master %s up",
					l->name);
			} else {
				vd_finding_evidence(out, fd,
						    "bridge %s ports: %s",
						    l->name, ports);
				vd_finding_remedy(
					out, fd,
					"bring a port up: ip link set "
					"dev PORT up (and start its "
					"VM)");
			}
		} else if (strcmp(l->kind, "veth") == 0) {
			if (l->parent_other_ns || !l->parent)
				vd_finding_evidence(out, fd,
						    "its veth peer lives in "
						    "another namespace (the "
						    "switch side) and is down");
			else
				vd_finding_evidence(
					out, fd, "its veth peer is %s",
					vd_facts_ifname(c->facts, l->parent,
							tmp, sizeof(tmp)));
			vd_finding_remedy(out, fd,
					  "bring the peer (switch side) up: "
					  "ip link set dev PEER up");
		} else {
			vd_finding_remedy(out, fd,
					  "check the cable/peer; for a "
					  "virtual adapter restart its "
					  "service: vmware-networks --stop && "
					  "vmware-networks --start");
		}
		restart_hint(out, fd, a);
	}
}
