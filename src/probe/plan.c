/* SPDX-License-Identifier: MIT */
/*
 * check --target: walk the path the way the seed's flowchart does — the
 * kernel's route, ARP for the on-link next hop, ICMP echo, the TCP port —
 * all probes of all targets started together on one loop.
 */
#include "probe/plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

#include "probe/priv.h"
#include "util/ip.h"

static bool is_local(const struct vd_facts *f, const struct vd_ip *ip)
{
	if (ip->family == VD_AF_INET && ip->b[0] == 127)
		return true;
	for (size_t i = 0; i < f->n_addrs; i++)
		if (vd_ip_equal(&f->addrs[i].ip, ip))
			return true;
	return false;
}

/* ARP makes sense on an interface that resolves addresses with it. */
static bool uses_arp(const struct vd_facts *f, int ifindex)
{
	const struct vd_link *l = vd_facts_link_by_index(f, ifindex);

	return l && !(l->flags & (VD_IFF_NOARP | VD_IFF_LOOPBACK)) &&
	       l->mac_len == 6;
}

/* Round 1, per adapter: DHCP where the configuration says the network has
 * it (a host-only network without DHCP must not be accused of silence). */
static int start_dhcp(struct vd_loop *loop, const struct vd_adapters *a,
		      const struct vd_plan_opts *o, struct vd_probes *out,
		      char *err, size_t errlen)
{
	for (size_t i = 0; a && i < a->n; i++) {
		const struct vd_adapter *ad = &a->v[i];
		/* A second server answers within milliseconds of the first
		 * on one segment: 300 ms after an offer is enough, and keeps
		 * a healthy check well under a second. */
		struct vd_dhcp_opts d = { .listen_ms = 3000,
					  .retries = 1,
					  .settle_ms = 300 };
		int rc;

		if (!ad->link || !ad->vnet || ad->vnet->dhcp != VD_YES ||
		    !(ad->link->flags & VD_IFF_UP))
			continue;
		if (o->timeout_ms > d.listen_ms)
			d.listen_ms = o->timeout_ms;
		rc = vd_probe_dhcp_start(loop, ad->link->ifindex, &d, out);
		if (rc == -EPERM || rc == -EACCES || rc == -EOPNOTSUPP)
			continue; /* not root, or not in this build */
		if (rc) {
			snprintf(err, errlen, "cannot send DHCP on %s: %s",
				 ad->name, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

/* Is the network of this interface a NAT network (whose NAT device is the
 * VMs' DNS proxy)?  Host-only networks hand out the host's own address as
 * DNS "to make some DHCP clients happy" (VMware's dhcpd.conf): nothing is
 * expected to answer there. */
static bool nat_network(const struct vd_adapters *a, int ifindex)
{
	for (size_t i = 0; a && i < a->n; i++)
		if (a->v[i].link && a->v[i].link->ifindex == ifindex)
			return a->v[i].vnet && a->v[i].vnet->nat == VD_YES;
	return false;
}

/* Round 2: the DNS servers the offers hand to VMs of NAT networks, each
 * asked once. */
static int start_dns(struct vd_loop *loop, const struct vd_adapters *a,
		     const struct vd_plan_opts *o, struct vd_probes *out,
		     char *err, size_t errlen)
{
	struct vd_ip servers[16];
	size_t n = 0;
	/* One try: c-ares doubles the wait on each retry. */
	struct vd_dns_opts d = { .timeout_ms = o->timeout_ms, .tries = 1 };
	int rc;

	for (size_t i = 0; i < out->n_dhcps; i++)
		for (unsigned k = 0; nat_network(a, out->dhcps[i].ifindex) &&
				     k < out->dhcps[i].n_offers;
		     k++) {
			const struct vd_ip *s = &out->dhcps[i].offers[k].dns;
			bool seen = false;

			for (size_t j = 0; j < n; j++)
				seen |= vd_ip_equal(&servers[j], s);
			if (s->family && !seen && n < 16)
				servers[n++] = *s;
		}
	if (!n || !o->dns_name)
		return 0;
	rc = vd_probe_dns_start(loop, o->dns_name, servers, n, &d, out);
	if (rc == -EOPNOTSUPP)
		return 0;
	if (rc)
		snprintf(err, errlen, "cannot query DNS: %s", strerror(-rc));
	return rc;
}

int vd_probe_plan(const struct vd_facts *f, const struct vd_adapters *a,
		  const struct vd_target *t, size_t n,
		  const struct vd_plan_opts *o, struct vd_probes *out,
		  char *err, size_t errlen)
{
	struct vd_loop *loop = NULL;
	int rc;

	rc = vd_loop_new(&loop);
	if (rc) {
		snprintf(err, errlen, "cannot create the event loop: %s",
			 strerror(-rc));
		return rc;
	}
	out->ran = true;
	for (size_t i = 0; i < n; i++) {
		struct vd_route_get *rg;
		struct vd_ip hop;

		if (!t[i].ip.family)
			continue;
		rg = VD_PUSH(out, routes);
		if (!rg) {
			rc = -ENOMEM;
			goto out;
		}
		rc = vd_route_get(&t[i].ip, rg);
		if (rc && !rg->err) {
			snprintf(err, errlen, "route lookup for %s failed: %s",
				 t[i].host, strerror(-rc));
			goto out;
		}
		rc = 0;
		if (rg->err ||
		    (rg->type != VD_RTN_UNICAST && rg->type != VD_RTN_LOCAL))
			continue; /* the rules report it; nothing to send */
		hop = rg->gateway.family ? rg->gateway : t[i].ip;
		if (t[i].ip.family == VD_AF_INET &&
		    rg->type == VD_RTN_UNICAST && !is_local(f, &t[i].ip) &&
		    uses_arp(f, rg->oif)) {
			struct vd_arp_opts ao = { .retries = 2,
						  .interval_ms = 200,
						  .timeout_ms = o->timeout_ms };

			rc = vd_probe_arp_start(loop, rg->oif, &hop, 1, &ao,
						out);
			/* Without CAP_NET_RAW there is no ARP; go on. */
			if (rc == -EPERM || rc == -EACCES)
				rc = 0;
			if (rc)
				goto fail;
		}
		{
			struct vd_ping_opts po = { .count = 3,
						   .interval_ms = 100,
						   .timeout_ms = o->timeout_ms,
						   .size = 56 };

			rc = vd_probe_ping_start(loop, &t[i].ip, &po, out);
			if (rc == -EPERM || rc == -EACCES)
				rc = 0;
			if (rc)
				goto fail;
		}
		{
			struct vd_mtu_opts mo = { .timeout_ms =
							  o->timeout_ms / 2 };

			rc = vd_probe_mtu_start(loop, &t[i].ip, &mo, out);
			if (rc == -EPERM || rc == -EACCES || rc == -EOPNOTSUPP)
				rc = 0;
			if (rc)
				goto fail;
		}
		if (t[i].port > 0) {
			uint16_t port = (uint16_t)t[i].port;
			struct vd_tcp_opts to = { .timeout_ms = o->timeout_ms,
						  .retries = 1 };

			rc = vd_probe_tcp_start(loop, &t[i].ip, &port, 1, &to,
						out);
			if (rc)
				goto fail;
		}
		continue;
	fail:
		snprintf(err, errlen, "cannot probe %s: %s", t[i].host,
			 strerror(-rc));
		goto out;
	}
	rc = start_dhcp(loop, a, o, out, err, errlen);
	if (rc)
		goto out;
	/* Every socket that needs a privilege is open: give them up. */
	vd_priv_drop();
	rc = vd_loop_run(loop);
	if (!rc)
		rc = start_dns(loop, a, o, out, err, errlen);
	if (!rc)
		rc = vd_loop_run(loop);
	if (rc && !err[0])
		snprintf(err, errlen, "probe loop failed: %s", strerror(-rc));
out:
	vd_loop_free(loop);
	return rc;
}
