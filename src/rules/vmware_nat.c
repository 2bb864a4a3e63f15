/* SPDX-License-Identifier: MIT */
/*
 * NAT port forwards (nat.conf [incomingtcp]/[incomingudp], networking
 * add_nat_portfwd): the one the user asks for exists, points at a VM that
 * holds that address, and its host port is free for vmnet-natd.
 */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "rules/vmodel.h"
#include "util/ip.h"

#define RESTART "vmware-networks --stop && vmware-networks --start"

static const char *proto_name(uint8_t p)
{
	return p == 17 ? "udp" : "tcp";
}

/* Is ip one of this host's own addresses (or loopback)? */
static bool on_this_host(const struct vd_facts *f, const struct vd_ip *ip)
{
	if (ip->family == VD_AF_INET && ip->b[0] == 127)
		return true;
	if (ip->family == VD_AF_INET6) {
		static const uint8_t lo[16] = { [15] = 1 };

		if (memcmp(ip->b, lo, 16) == 0)
			return true;
	}
	for (size_t i = 0; i < f->n_addrs; i++)
		if (vd_ip_equal(&f->addrs[i].ip, ip))
			return true;
	return false;
}

/* Is ip the host's address on one of VMware's own adapters?  VMs reach
 * the host there directly; port forwards serve the other addresses. */
static bool on_vmnet(const struct vd_facts *f, const struct vd_ip *ip)
{
	for (size_t i = 0; i < f->n_addrs; i++) {
		const struct vd_link *l;

		if (!vd_ip_equal(&f->addrs[i].ip, ip))
			continue;
		l = vd_facts_link_by_index(f, f->addrs[i].ifindex);
		if (l && vd_vnet_number(l->name) >= 0 &&
		    vd_vmware_vnet(&f->vmware, vd_vnet_number(l->name)))
			return true;
	}
	return false;
}

static bool has_nat(const struct vd_facts *f)
{
	for (size_t i = 0; i < f->vmware.n_vnets; i++)
		if (f->vmware.vnets[i].nat == VD_YES)
			return true;
	return f->vmware.n_nats > 0;
}

/* The forward of (proto, host port), the nat.conf one first. */
static const struct vd_portfwd *forward(const struct vd_vmware *v,
					uint8_t proto, int port)
{
	for (size_t i = 0; i < v->n_portfwds; i++)
		if (v->portfwds[i].proto == proto &&
		    v->portfwds[i].host_port == port)
			return &v->portfwds[i];
	return NULL;
}

/* Does a program other than vmnet-natd listen on (proto, port)? */
static const struct vd_socket *other_listener(const struct vd_facts *f,
					      uint8_t proto, int port)
{
	if (f->sockets_known != VD_YES)
		return NULL;
	for (size_t i = 0; i < f->n_sockets; i++) {
		const struct vd_socket *s = &f->sockets[i];

		if (s->proto == proto && s->port == port &&
		    strcmp(s->comm, "vmnet-natd") != 0)
			return s;
	}
	return NULL;
}

/* The subject of a forward's finding: the target that asks for its host
 * port (so that the finding sits on the path to it), or "tcp/8080". */
static const char *fwd_subject(const struct vd_rule_ctx *c,
			       const struct vd_portfwd *p, char *buf,
			       size_t len)
{
	for (size_t t = 0; c->opts && t < c->opts->n_targets; t++) {
		const struct vd_target *tg = &c->opts->targets[t];

		if (tg->port == p->host_port && tg->ip.family &&
		    on_this_host(c->facts, &tg->ip))
			return tg->host;
	}
	snprintf(buf, len, "%s/%u", proto_name(p->proto), p->host_port);
	return buf;
}

static void fwd_evidence(struct vd_findings *out, struct vd_finding *fd,
			 const struct vd_vmware *v, const struct vd_portfwd *p)
{
	char w[512], g[VD_IPSTR_MAX];

	vd_finding_evidence(out, fd, "%s: %s %u -> %s:%u",
			    vd_vmware_where(v, p->src, w, sizeof(w)),
			    proto_name(p->proto), p->host_port,
			    vd_ip_str(&p->guest, g, sizeof(g)), p->guest_port);
}

void rule_nat_portfwd_missing(const struct vd_rule_ctx *c,
			      struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;

	if (f->vmware.present != VD_YES || !has_nat(f))
		return;
	for (size_t t = 0; c->opts && t < c->opts->n_targets; t++) {
		const struct vd_target *tg = &c->opts->targets[t];
		struct vd_finding *fd;

		if (tg->port <= 0 || !tg->ip.family ||
		    !on_this_host(f, &tg->ip) || on_vmnet(f, &tg->ip) ||
		    forward(&f->vmware, 6, tg->port) ||
		    other_listener(f, 6, tg->port))
			continue;
		fd = vd_finding_add(out, "L4.nat-portforward-missing", tg->host,
				    "no NAT port forward for host port %d",
				    tg->port);
		fd->severity = VD_SEV_CRITICAL; /* the user asked for it */
		vd_finding_evidence(out, fd,
				    "%s is this host; no [incomingtcp] %d = "
				    "... in nat.conf and no add_nat_portfwd "
				    "... tcp %d in %s",
				    tg->host, tg->port, tg->port,
				    f->vmware.networking_file);
		for (size_t i = 0; i < f->vmware.n_portfwds; i++)
			fwd_evidence(out, fd, &f->vmware,
				     &f->vmware.portfwds[i]);
		vd_finding_remedy(out, fd,
				  "add it: vmware-netcfg > NAT Settings > Port "
				  "Forwarding, or '%d = VM-ADDRESS:PORT' under "
				  "[incomingtcp] in /etc/vmware/vmnet8/nat/"
				  "nat.conf, then " RESTART,
				  tg->port);
	}
}

/* Which VM (by NIC MAC) holds a lease; "" when none is known. */
static const char *lease_vm(const struct vd_vmware *v, const struct vd_lease *l,
			    char *buf, size_t len)
{
	const struct vd_vm_nic *nic;
	const struct vd_vm *vm =
		l->has_mac ? vd_vm_by_mac(v, l->mac, &nic) : NULL;

	buf[0] = '\0';
	if (vm)
		snprintf(buf, len, " (VM %s)", vd_vm_label(v, vm));
	return buf;
}

static bool reserved(const struct vd_vmware *v, int num, const struct vd_ip *ip)
{
	for (size_t i = 0; i < v->n_dhcp_hosts; i++)
		if ((v->dhcp_hosts[i].vnet == num ||
		     v->dhcp_hosts[i].vnet < 0) &&
		    vd_ip_equal(&v->dhcp_hosts[i].ip, ip))
			return true;
	return false;
}

static bool any_lease(const struct vd_facts *f, int num)
{
	for (size_t i = 0; i < f->vmware.n_leases; i++)
		if ((f->vmware.leases[i].vnet == num ||
		     f->vmware.leases[i].vnet < 0) &&
		    vd_lease_current(f, &f->vmware.leases[i]))
			return true;
	return false;
}

void rule_nat_portfwd_wrong_target(const struct vd_rule_ctx *c,
				   struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	const struct vd_vmware *v = &f->vmware;
	char subj[64], g[VD_IPSTR_MAX], p[VD_IPSTR_MAX], m[VD_MACSTR_MAX],
		who[160], w[512];

	if (v->present != VD_YES)
		return;
	for (size_t i = 0; i < v->n_portfwds; i++) {
		const struct vd_portfwd *pf = &v->portfwds[i];
		const struct vd_natconf *nat;
		const struct vd_dhcp_subnet *d;
		const char *s = fwd_subject(c, pf, subj, sizeof(subj));
		struct vd_finding *fd;
		struct vd_ip net;
		unsigned plen;
		int num = pf->vnet >= 0 ? pf->vnet : 8;

		vd_ip_str(&pf->guest, g, sizeof(g));
		if (!vd_vnet_subnet(f, num, &net, &plen))
			continue;
		vd_prefix_str(&net, plen, p, sizeof(p));
		if (!pf->guest.family ||
		    !vd_prefix_contains(&net, plen, &pf->guest)) {
			fd = vd_finding_add(
				out, "L4.nat-portforward-wrong-target", s,
				"port forward %s %u points to %s, "
				"outside vmnet%d's subnet %s",
				proto_name(pf->proto), pf->host_port, g, num,
				p);
			fwd_evidence(out, fd, v, pf);
			vd_finding_remedy(out, fd,
					  "point it at the VM's address in %s "
					  "(ip addr in the VM), then " RESTART,
					  p);
			continue;
		}
		nat = vd_vnet_nat(v, num);
		if (nat && vd_ip_equal(&nat->ip, &pf->guest)) {
			fd = vd_finding_add(
				out, "L4.nat-portforward-wrong-target", s,
				"port forward %s %u points to the "
				"NAT device %s itself",
				proto_name(pf->proto), pf->host_port, g);
			fwd_evidence(out, fd, v, pf);
			vd_finding_remedy(out, fd,
					  "point it at the VM's address, then "
					  "" RESTART);
			continue;
		}
		/* A dynamic address that no VM holds now. */
		d = vd_vnet_dhcp(v, num);
		if (!d || d->range_lo.family != VD_AF_INET ||
		    !any_lease(f, num) || reserved(v, num, &pf->guest) ||
		    vd_lease_for_ip(f, num, &pf->guest))
			continue;
		if (!vd_dhcp_range_has(d, &pf->guest))
			continue; /* a static address: cannot tell */
		fd = vd_finding_add(out, "L4.nat-portforward-wrong-target", s,
				    "port forward %s %u points to %s, which no "
				    "VM holds",
				    proto_name(pf->proto), pf->host_port, g);
		fwd_evidence(out, fd, v, pf);
		for (size_t k = 0; k < v->n_leases; k++) {
			const struct vd_lease *l = &v->leases[k];

			if ((l->vnet != num && l->vnet >= 0) ||
			    !vd_lease_current(f, l) ||
			    vd_lease_for_ip(f, num, &l->ip) != l)
				continue;
			vd_finding_evidence(
				out, fd, "%s: lease %s to %s%s",
				vd_vmware_where(v, l->src, w, sizeof(w)),
				vd_ip_str(&l->ip, p, sizeof(p)),
				l->has_mac ? vd_mac_str(l->mac, 6, m, sizeof(m))
					   : "?",
				lease_vm(v, l, who, sizeof(who)));
		}
		vd_finding_remedy(out, fd,
				  "point the forward at the VM's current "
				  "address (or reserve one for it with a host "
				  "block in dhcpd.conf), then " RESTART);
	}
}

void rule_nat_hostport_conflict(const struct vd_rule_ctx *c,
				struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	const struct vd_vmware *v = &f->vmware;
	char subj[64], a[VD_IPSTR_MAX];

	if (v->present != VD_YES)
		return;
	for (size_t i = 0; i < v->n_portfwds; i++) {
		const struct vd_portfwd *pf = &v->portfwds[i];
		const struct vd_socket *s =
			other_listener(f, pf->proto, pf->host_port);
		struct vd_finding *fd;

		if (!s || forward(v, pf->proto, pf->host_port) != pf)
			continue;
		fd = vd_finding_add(out, "L4.nat-hostport-conflict",
				    fwd_subject(c, pf, subj, sizeof(subj)),
				    "host port %s %u of a NAT forward is taken "
				    "by %s",
				    proto_name(pf->proto), pf->host_port,
				    s->comm[0] ? s->comm : "another program");
		fwd_evidence(out, fd, v, pf);
		if (s->pid)
			vd_finding_evidence(out, fd,
					    "%s %s:%u is bound by %s "
					    "(pid %d)",
					    proto_name(s->proto),
					    vd_ip_str(&s->local, a, sizeof(a)),
					    s->port, s->comm, s->pid);
		else
			vd_finding_evidence(out, fd,
					    "%s %s:%u is bound by another "
					    "program (owner not visible)",
					    proto_name(s->proto),
					    vd_ip_str(&s->local, a, sizeof(a)),
					    s->port);
		vd_finding_remedy(out, fd,
				  "see who: ss -%clnp 'sport = :%u'; stop it "
				  "or forward another host port, then " RESTART,
				  pf->proto == 17 ? 'u' : 't', pf->host_port);
	}
}
