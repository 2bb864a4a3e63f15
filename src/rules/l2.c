/* SPDX-License-Identifier: MIT */
/* L2: frames — MTU agreement along the switch, unique MAC addresses. */
#include <stdlib.h>
#include <string.h>

#include "facts/format.h"
#include "rules/rules.h"
#include "util/ip.h"

static void bridge_mtu(const struct vd_rule_ctx *c, const struct vd_link *br,
		       struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	unsigned lo = 0, hi = 0;
	size_t n = 0;
	struct vd_finding *fd;
	char buf[512];

	for (size_t i = 0; i < f->n_links; i++) {
		const struct vd_link *p = &f->links[i];

		if (p->master != br->ifindex)
			continue;
		if (!n || p->mtu < lo)
			lo = p->mtu;
		if (!n || p->mtu > hi)
			hi = p->mtu;
		n++;
	}
	if (!n || (lo == hi && br->mtu <= lo))
		return;
	if (lo != hi)
		fd = vd_finding_add(out, "L2.mtu-mismatch", br->name,
				    "ports of bridge %s have different MTUs "
				    "(%u to %u): larger frames are dropped",
				    br->name, lo, hi);
	else
		fd = vd_finding_add(out, "L2.mtu-mismatch", br->name,
				    "bridge %s has MTU %u but its ports %u",
				    br->name, br->mtu, lo);
	vd_finding_evidence(out, fd, "link %s",
			    vd_fmt_link(f, br, buf, sizeof(buf)));
	for (size_t i = 0; i < f->n_links; i++)
		if (f->links[i].master == br->ifindex)
			vd_finding_evidence(
				out, fd, "link %s",
				vd_fmt_link(f, &f->links[i], buf, sizeof(buf)));
	vd_finding_remedy(out, fd,
			  "give every port and the bridge one MTU, e.g.: "
			  "ip link set dev PORT mtu %u (for each port), and "
			  "the same MTU inside each VM",
			  hi);
}

static void vlan_mtu(const struct vd_rule_ctx *c, const struct vd_link *v,
		     struct vd_findings *out)
{
	const struct vd_link *p;
	struct vd_finding *fd;
	char buf[512];

	if (!v->parent || v->parent_other_ns)
		return;
	p = vd_facts_link_by_index(c->facts, v->parent);
	if (!p || v->mtu <= p->mtu)
		return;
	fd = vd_finding_add(out, "L2.mtu-mismatch", v->name,
			    "VLAN %s has MTU %u, more than its parent %s (%u)",
			    v->name, v->mtu, p->name, p->mtu);
	vd_finding_evidence(out, fd, "link %s",
			    vd_fmt_link(c->facts, v, buf, sizeof(buf)));
	vd_finding_evidence(out, fd, "link %s",
			    vd_fmt_link(c->facts, p, buf, sizeof(buf)));
	vd_finding_remedy(out, fd, "ip link set dev %s mtu %u", v->name,
			  p->mtu);
}

void rule_mtu_mismatch(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	for (size_t i = 0; i < c->facts->n_links; i++) {
		const struct vd_link *l = &c->facts->links[i];

		if (strcmp(l->kind, "bridge") == 0)
			bridge_mtu(c, l, out);
		else if (strcmp(l->kind, "vlan") == 0)
			vlan_mtu(c, l, out);
	}
}

/*
 * Interfaces that legitimately share a MAC are related: a bridge takes a
 * port's address, bond/team ports take the bond's, VLANs and ipvlans carry
 * their parent's.  Union-find over those relations.
 */
static bool shares_parent_mac(const struct vd_link *l)
{
	static const char *const kinds[] = { "vlan", "ipvlan", "ipvtap",
					     "macsec", NULL };

	for (size_t i = 0; kinds[i]; i++)
		if (strcmp(l->kind, kinds[i]) == 0)
			return true;
	return false;
}

static size_t uf_find(size_t *up, size_t i)
{
	while (up[i] != i)
		i = up[i] = up[up[i]];
	return i;
}

static long link_pos(const struct vd_facts *f, int ifindex)
{
	for (size_t i = 0; i < f->n_links; i++)
		if (f->links[i].ifindex == ifindex)
			return (long)i;
	return -1;
}

static bool mac_usable(const struct vd_link *l)
{
	uint8_t zero[VD_MAC_MAX] = { 0 };

	if (!l->mac_len || (l->flags & VD_IFF_LOOPBACK))
		return false;
	return memcmp(l->mac, zero, l->mac_len) != 0;
}

/* A link's MAC with its position, sorted to group equal addresses. */
struct mac_slot {
	uint8_t len;
	uint8_t mac[VD_MAC_MAX];
	size_t link;
};

static int cmp_slot(const void *a, const void *b)
{
	const struct mac_slot *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->mac, y->mac, x->len);
}

void rule_mac_conflict(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	size_t n = f->n_links, *up, m = 0;
	struct mac_slot *idx;
	char mac[VD_MACSTR_MAX], buf[512];

	if (n < 2)
		return;
	up = calloc(n, sizeof(*up));
	idx = calloc(n, sizeof(*idx));
	if (!up || !idx) {
		out->oom = 1;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		up[i] = i;
	for (size_t i = 0; i < n; i++) {
		const struct vd_link *l = &f->links[i];
		long j = -1;

		if (l->master)
			j = link_pos(f, l->master);
		if (j >= 0)
			up[uf_find(up, i)] = uf_find(up, (size_t)j);
		if (l->parent && !l->parent_other_ns && shares_parent_mac(l) &&
		    (j = link_pos(f, l->parent)) >= 0)
			up[uf_find(up, i)] = uf_find(up, (size_t)j);
	}
	for (size_t i = 0; i < n; i++) {
		const struct vd_link *l = &f->links[i];

		if (!mac_usable(l))
			continue;
		idx[m].len = l->mac_len;
		memcpy(idx[m].mac, l->mac, l->mac_len);
		idx[m++].link = i;
	}
	qsort(idx, m, sizeof(*idx), cmp_slot);
	for (size_t s = 0, e; s < m; s = e) {
		struct vd_finding *fd = NULL;
		size_t roots = 0;

		for (e = s + 1; e < m && cmp_slot(&idx[s], &idx[e]) == 0; e++)
			;
		if (e - s < 2)
			continue;
		/* Count distinct groups among the holders of this MAC. */
		for (size_t a = s; a < e; a++) {
			bool seen = false;

			for (size_t b = s; b < a; b++)
				if (uf_find(up, idx[a].link) ==
				    uf_find(up, idx[b].link))
					seen = true;
			roots += !seen;
		}
		if (roots < 2)
			continue;
		vd_mac_str(idx[s].mac, idx[s].len, mac, sizeof(mac));
		fd = vd_finding_add(out, "L2.mac-conflict", mac,
				    "MAC address %s is used by %zu unrelated "
				    "interfaces",
				    mac, roots);
		for (size_t a = s; a < e; a++)
			vd_finding_evidence(out, fd, "link %s",
					    vd_fmt_link(f,
							&f->links[idx[a].link],
							buf, sizeof(buf)));
		vd_finding_remedy(out, fd,
				  "give one of them a new address: ip link set "
				  "dev %s address <unique MAC>",
				  f->links[idx[e - 1].link].name);
		vd_finding_remedy(out, fd,
				  "for a VM NIC: remove ethernetN.address from "
				  "the .vmx (or set a unique one in "
				  "00:50:56:00:00:00-00:50:56:3f:ff:ff)");
	}
out:
	free(up);
	free(idx);
}
