/* SPDX-License-Identifier: MIT */
/* L3: addresses, subnets and routes of the host adapters; DNS servers. */
#include <stdio.h>
#include <string.h>

#include "facts/format.h"
#include "rules/fib.h"
#include "rules/rules.h"
#include "util/ip.h"

/* The IPv4 addresses of an interface that name a subnet (not host scope). */
static bool is_v4_subnet_addr(const struct vd_addr *a, int ifindex)
{
	return a->ifindex == ifindex && a->ip.family == VD_AF_INET &&
	       a->scope != VD_SCOPE_HOST;
}

static bool has_v4(const struct vd_facts *f, int ifindex)
{
	for (size_t i = 0; i < f->n_addrs; i++)
		if (is_v4_subnet_addr(&f->addrs[i], ifindex))
			return true;
	return false;
}

void rule_no_address(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	char buf[512], p[VD_IPSTR_MAX], want[VD_IPSTR_MAX];

	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		const struct vd_vnet *v = a->vnet;
		struct vd_finding *fd;
		struct vd_ip host;

		if (!a->link || has_v4(c->facts, a->link->ifindex))
			continue;
		if (v && v->subnet.family == VD_AF_INET && v->prefixlen >= 0) {
			vd_prefix_str(&v->subnet, (unsigned)v->prefixlen, p,
				      sizeof(p));
			fd = vd_finding_add(out, "L3.no-address", a->name,
					    "host adapter %s has no IPv4 "
					    "address (network %s is %s)",
					    a->name, v->name, p);
		} else {
			fd = vd_finding_add(out, "L3.no-address", a->name,
					    "host adapter %s has no IPv4 "
					    "address",
					    a->name);
		}
		vd_finding_evidence(
			out, fd, "link %s has no inet address",
			vd_fmt_link(c->facts, a->link, buf, sizeof(buf)));
		if (v && v->subnet.family == VD_AF_INET && v->prefixlen > 0 &&
		    vd_prefix_nth(&v->subnet, (unsigned)v->prefixlen, 1,
				  &host) == 0) {
			vd_finding_evidence(
				out, fd, "%s: VNET_%d_HOSTONLY_SUBNET %s",
				c->facts->vmware.networking_file, v->num,
				vd_ip_str(&v->subnet, p, sizeof(p)));
			vd_finding_remedy(out, fd, "ip addr add %s/%d dev %s",
					  vd_ip_str(&host, want, sizeof(want)),
					  v->prefixlen, a->name);
			vd_finding_remedy(out, fd,
					  "or let VMware re-create it: "
					  "vmware-networks --stop && "
					  "vmware-networks --start");
		} else {
			vd_finding_remedy(out, fd,
					  "ip addr add ADDRESS/PREFIX dev %s "
					  "(the host's address in the VMs' "
					  "subnet, usually .1)",
					  a->name);
		}
	}
}

/* One subnet of an adapter: from an address, or from the configuration. */
struct subnet {
	struct vd_ip net;
	unsigned plen;
	const struct vd_addr *addr; /* NULL: from the VMware configuration */
};

static size_t adapter_subnets(const struct vd_rule_ctx *c,
			      const struct vd_adapter *a, struct subnet *s,
			      size_t max)
{
	const struct vd_facts *f = c->facts;
	size_t n = 0;

	for (size_t i = 0; a->link && i < f->n_addrs && n < max; i++) {
		const struct vd_addr *ad = &f->addrs[i];

		if (!is_v4_subnet_addr(ad, a->link->ifindex))
			continue;
		s[n] = (struct subnet){ ad->ip, ad->prefixlen, ad };
		vd_prefix_mask(&s[n].net, s[n].plen);
		n++;
	}
	if (!n && a->vnet && a->vnet->subnet.family == VD_AF_INET &&
	    a->vnet->prefixlen >= 0 && max) {
		s[0] = (struct subnet){ a->vnet->subnet,
					(unsigned)a->vnet->prefixlen, NULL };
		vd_prefix_mask(&s[0].net, s[0].plen);
		n = 1;
	}
	return n;
}

#define MAX_SUBNETS 16

void rule_subnet_overlap(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	struct subnet s[MAX_SUBNETS];
	char p[VD_IPSTR_MAX], q[VD_IPSTR_MAX], buf[512];

	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		size_t n = adapter_subnets(c, a, s, MAX_SUBNETS);

		for (size_t k = 0; k < n; k++) {
			for (size_t j = 0; j < f->n_addrs; j++) {
				const struct vd_addr *o = &f->addrs[j];
				const struct vd_link *ol =
					vd_facts_link_by_index(f, o->ifindex);
				const struct vd_adapter *oa;
				struct vd_finding *fd;

				if (o->ip.family != VD_AF_INET ||
				    o->scope == VD_SCOPE_HOST || !ol ||
				    (a->link && ol == a->link))
					continue;
				if (!vd_prefix_overlap(&s[k].net, s[k].plen,
						       &o->ip, o->prefixlen))
					continue;
				/* Two adapters overlapping: report once. */
				oa = vd_adapters_find(c->adapters, ol->name);
				if (oa && oa < a)
					continue;
				vd_prefix_str(&s[k].net, s[k].plen, p,
					      sizeof(p));
				fd = vd_finding_add(
					out, "L3.subnet-overlap", a->name,
					"%s's subnet %s overlaps %s on %s",
					a->name, p,
					vd_prefix_str(&o->ip, o->prefixlen, q,
						      sizeof(q)),
					ol->name);
				if (s[k].addr)
					vd_finding_evidence(
						out, fd, "addr %s",
						vd_fmt_addr(f, s[k].addr, buf,
							    sizeof(buf)));
				else
					vd_finding_evidence(
						out, fd,
						"%s: VNET_%d_HOSTONLY_SUBNET "
						"%s",
						f->vmware.networking_file,
						a->vnet->num, p);
				vd_finding_evidence(
					out, fd, "addr %s",
					vd_fmt_addr(f, o, buf, sizeof(buf)));
				vd_finding_remedy(
					out, fd,
					"move the virtual network to a free "
					"subnet: %s",
					a->vnet ? "edit "
						  "VNET_N_HOSTONLY_SUBNET in "
						  "/etc/vmware/networking (or "
						  "use vmware-netcfg), then "
						  "vmware-networks --stop && "
						  "vmware-networks --start"
					: strncmp(a->name, "virbr", 5) == 0
						? "virsh net-edit <network>, "
						  "then virsh net-destroy and "
						  "net-start it"
						: "re-address the adapter and "
						  "its VMs");
			}
		}
	}
}

/* A unicast route of any table that covers the whole subnet via ifindex. */
static const struct vd_route *covering_route(const struct vd_facts *f,
					     const struct subnet *s,
					     int ifindex)
{
	for (size_t i = 0; i < f->n_routes; i++) {
		const struct vd_route *r = &f->routes[i];

		if (r->oif == ifindex && r->type == VD_RTN_UNICAST &&
		    r->dst.family == VD_AF_INET && r->dst_len <= s->plen &&
		    vd_prefix_contains(&r->dst, r->dst_len, &s->net))
			return r;
	}
	return NULL;
}

static void describe_lookup(const struct vd_rule_ctx *c,
			    struct vd_findings *out, struct vd_finding *fd,
			    const struct vd_ip *dst)
{
	struct vd_fib_result res;
	char ip[VD_IPSTR_MAX], buf[512], rb[256];

	vd_fib_lookup(c->facts, dst, &res);
	vd_ip_str(dst, ip, sizeof(ip));
	if (res.route)
		vd_finding_evidence(
			out, fd, "route get %s: %s", ip,
			vd_fmt_route(c->facts, res.route, buf, sizeof(buf)));
	else if (res.rule)
		vd_finding_evidence(out, fd, "route get %s: rule %s", ip,
				    vd_fmt_rule(res.rule, rb, sizeof(rb)));
	else
		vd_finding_evidence(out, fd,
				    "route get %s: no route matches "
				    "(network unreachable)",
				    ip);
}

void rule_route_missing(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	struct subnet s[MAX_SUBNETS];
	char p[VD_IPSTR_MAX], ip[VD_IPSTR_MAX], buf[512];

	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		size_t n;

		if (!a->link)
			continue;
		n = adapter_subnets(c, a, s, MAX_SUBNETS);
		for (size_t k = 0; k < n; k++) {
			struct vd_finding *fd;
			struct vd_ip probe;

			/* Secondaries share the primary's subnet route;
			 * /32 and /31 need no subnet route. */
			if (!s[k].addr || s[k].plen >= 31 ||
			    (s[k].addr->flags & VD_IFA_F_SECONDARY) ||
			    covering_route(f, &s[k], a->link->ifindex))
				continue;
			vd_prefix_str(&s[k].net, s[k].plen, p, sizeof(p));
			fd = vd_finding_add(out, "L3.route-missing", a->name,
					    "no route to %s through %s", p,
					    a->name);
			vd_finding_evidence(
				out, fd, "addr %s",
				vd_fmt_addr(f, s[k].addr, buf, sizeof(buf)));
			if (s[k].addr->flags & VD_IFA_F_NOPREFIXROUTE)
				vd_finding_evidence(
					out, fd,
					"the address carries noprefixroute: "
					"the kernel adds no route for %s",
					p);
			if (!(a->link->flags & VD_IFF_UP))
				vd_finding_evidence(out, fd,
						    "%s is down: the kernel "
						    "removed its routes",
						    a->name);
			if (vd_prefix_nth(&s[k].net, s[k].plen, 2, &probe) == 0)
				describe_lookup(c, out, fd, &probe);
			vd_finding_remedy(
				out, fd, "ip route add %s dev %s src %s", p,
				a->name,
				vd_ip_str(&s[k].addr->ip, ip, sizeof(ip)));
			if (s[k].addr->flags & VD_IFA_F_NOPREFIXROUTE)
				vd_finding_remedy(
					out, fd,
					"or re-add the address without "
					"noprefixroute: ip addr del %s/%u dev "
					"%s && ip addr add %s/%u dev %s",
					ip, s[k].plen, a->name, ip, s[k].plen,
					a->name);
		}
	}
}

/*
 * Addresses to test inside a subnet: the conventional host, NAT, VM and
 * DHCP addresses, both ends, the start of every more specific route, the
 * neighbours and targets that fall inside.
 */
#define MAX_PROBES 64

static size_t add_point(struct vd_ip *pts, size_t n, const struct vd_ip *ip)
{
	for (size_t i = 0; i < n; i++)
		if (vd_ip_equal(&pts[i], ip))
			return n;
	if (n < MAX_PROBES)
		pts[n++] = *ip;
	return n;
}

static size_t probe_points(const struct vd_rule_ctx *c, const struct subnet *s,
			   int ifindex, struct vd_ip *pts)
{
	const struct vd_facts *f = c->facts;
	static const uint32_t offs[] = { 1, 2, 128, 254 };
	uint32_t size = s->plen >= 32 ? 1 : (uint32_t)(1ull << (32 - s->plen));
	size_t n = 0;
	struct vd_ip ip;

	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		if (offs[i] + 1 < size &&
		    vd_prefix_nth(&s->net, s->plen, offs[i], &ip) == 0)
			n = add_point(pts, n, &ip);
	if (size > 2 && vd_prefix_nth(&s->net, s->plen, size - 2, &ip) == 0)
		n = add_point(pts, n, &ip);
	for (size_t i = 0; i < f->n_routes; i++) {
		const struct vd_route *r = &f->routes[i];

		if (r->dst.family != VD_AF_INET || r->dst_len <= s->plen ||
		    !vd_prefix_contains(&s->net, s->plen, &r->dst))
			continue;
		ip = r->dst;
		vd_prefix_mask(&ip, r->dst_len);
		if (r->dst_len < 32)
			vd_prefix_nth(&ip, r->dst_len, 1, &ip);
		n = add_point(pts, n, &ip);
	}
	for (size_t i = 0; i < f->n_neighs; i++)
		if (f->neighs[i].ifindex == ifindex &&
		    vd_prefix_contains(&s->net, s->plen, &f->neighs[i].ip))
			n = add_point(pts, n, &f->neighs[i].ip);
	for (size_t i = 0; c->opts && i < c->opts->n_targets; i++)
		if (vd_prefix_contains(&s->net, s->plen,
				       &c->opts->targets[i].ip))
			n = add_point(pts, n, &c->opts->targets[i].ip);
	return n;
}

static bool is_own_address(const struct vd_facts *f, const struct vd_ip *ip)
{
	for (size_t i = 0; i < f->n_addrs; i++)
		if (vd_ip_equal(&f->addrs[i].ip, ip))
			return true;
	return false;
}

void rule_route_wrong_interface(const struct vd_rule_ctx *c,
				struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	struct subnet s[MAX_SUBNETS];
	struct vd_ip pts[MAX_PROBES];
	char p[VD_IPSTR_MAX], ip[VD_IPSTR_MAX], buf[512], tmp[32];

	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		size_t n;

		if (!a->link)
			continue;
		n = adapter_subnets(c, a, s, MAX_SUBNETS);
		for (size_t k = 0; k < n; k++) {
			const struct vd_route *want =
				covering_route(f, &s[k], a->link->ifindex);
			struct vd_finding *fd = NULL;
			struct vd_fib_result culprit = { 0 };
			struct vd_ip first = { 0 };
			size_t np, bad = 0;

			if (!s[k].addr || !want)
				continue; /* L3.route-missing's case */
			np = probe_points(c, &s[k], a->link->ifindex, pts);
			for (size_t j = 0; j < np; j++) {
				struct vd_fib_result res;

				if (is_own_address(f, &pts[j]))
					continue;
				vd_fib_lookup(f, &pts[j], &res);
				if (res.route && res.type == VD_RTN_UNICAST &&
				    res.route->oif == a->link->ifindex)
					continue;
				if (res.route && (res.type == VD_RTN_LOCAL ||
						  res.type == VD_RTN_BROADCAST))
					continue;
				if (!fd) {
					first = pts[j];
					culprit = res;
					vd_prefix_str(&s[k].net, s[k].plen, p,
						      sizeof(p));
					fd = vd_finding_add(
						out, "L3.route-wrong-interface",
						a->name,
						"traffic to %s leaves through "
						"%s instead of %s",
						vd_ip_str(&pts[j], ip,
							  sizeof(ip)),
						res.route && res.route->oif
							? vd_facts_ifname(
								  f,
								  res.route
									  ->oif,
								  tmp,
								  sizeof(tmp))
							: "no interface",
						a->name);
					vd_finding_evidence(
						out, fd, "expected: %s",
						vd_fmt_route(f, want, buf,
							     sizeof(buf)));
				}
				if (bad++ < 3)
					describe_lookup(c, out, fd, &pts[j]);
			}
			if (!fd)
				continue;
			if (bad > 3)
				vd_finding_evidence(out, fd,
						    "(%zu more addresses of %s "
						    "affected)",
						    bad - 3, p);
			if (culprit.route)
				vd_finding_remedy(out, fd, "ip route del %s",
						  vd_fmt_route(f, culprit.route,
							       buf,
							       sizeof(buf)));
			else if (culprit.rule)
				vd_finding_remedy(out, fd,
						  "ip rule del priority %u",
						  culprit.rule->priority);
			vd_finding_remedy(out, fd,
					  "or, if that route must stay, make "
					  "%s's route win: a more specific "
					  "prefix or a lower metric (see ip "
					  "route show table all to %s)",
					  a->name, p);
			vd_finding_remedy(out, fd,
					  "check with: ip route get %s",
					  vd_ip_str(&first, ip, sizeof(ip)));
		}
	}
}

void rule_dns_no_server(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_resolv *r = &c->facts->resolv;
	struct vd_finding *fd;

	if (r->present != VD_YES || r->n_nameservers > 0)
		return;
	fd = vd_finding_add(out, "L3.dns-no-server", r->file ? r->file : "",
			    "no nameserver is configured in %s",
			    r->file ? r->file : "resolv.conf");
	vd_finding_evidence(out, fd, "%s: no \"nameserver\" line",
			    r->file ? r->file : "resolv.conf");
	vd_finding_remedy(out, fd,
			  "add a server: echo 'nameserver ADDRESS' >> "
			  "/etc/resolv.conf (or let systemd-resolved / "
			  "NetworkManager manage the file)");
}

/*
 * The adapter's prefix differs from the mask its virtual network is
 * configured with (the seed's /24 configured as /16): the host then
 * believes addresses beyond the VMs' subnet are on the switch, or misses
 * some that are.
 */
void rule_netmask_mismatch(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	char buf[512], p[VD_IPSTR_MAX], m[VD_IPSTR_MAX];

	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		const struct vd_vnet *v = a->vnet;

		if (!a->link || !v || v->prefixlen < 0 ||
		    v->subnet.family != VD_AF_INET)
			continue;
		for (size_t k = 0; k < f->n_addrs; k++) {
			const struct vd_addr *ad = &f->addrs[k];
			struct vd_finding *fd;

			if (!is_v4_subnet_addr(ad, a->link->ifindex) ||
			    ad->prefixlen == v->prefixlen ||
			    !vd_prefix_overlap(&ad->ip, ad->prefixlen,
					       &v->subnet,
					       (unsigned)v->prefixlen))
				continue;
			fd = vd_finding_add(out, "L3.netmask-mismatch", a->name,
					    "%s has prefix /%u but %s is "
					    "configured as /%d",
					    a->name, ad->prefixlen, v->name,
					    v->prefixlen);
			vd_finding_evidence(
				out, fd, "addr %s",
				vd_fmt_addr(f, ad, buf, sizeof(buf)));
			vd_finding_evidence(
				out, fd,
				"%s: VNET_%d_HOSTONLY_SUBNET %s, "
				"VNET_%d_HOSTONLY_NETMASK %s",
				f->vmware.networking_file, v->num,
				vd_ip_str(&v->subnet, p, sizeof(p)), v->num,
				vd_ip_str(&v->netmask, m, sizeof(m)));
			vd_finding_remedy(out, fd,
					  "ip addr del %s/%u dev %s && ip addr "
					  "add %s/%d dev %s",
					  vd_ip_str(&ad->ip, p, sizeof(p)),
					  ad->prefixlen, a->name, p,
					  v->prefixlen, a->name);
		}
	}
}
