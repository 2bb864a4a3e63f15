/* SPDX-License-Identifier: MIT */
/*
 * The path to a target, step by step, from what the probes saw: the
 * kernel's route, ARP for the next hop, ICMP echo, the TCP port.  Every
 * finding about a target has the target as its subject, so the verdict
 * links each failing step to the lowest one below it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "facts/format.h"
#include "rules/rules.h"
#include "util/ip.h"

struct path {
	const struct vd_target *t;
	const struct vd_route_get *rg;
	struct vd_ip hop; /* the on-link next hop: target or gateway */
	const struct vd_arp_result *arp;
	const struct vd_ping_result *ping;
	const struct vd_tcp_result *tcp;
};

static void walk(const struct vd_facts *f, const struct vd_target *t,
		 struct path *p)
{
	const struct vd_probes *pr = &f->probes;

	memset(p, 0, sizeof(*p));
	p->t = t;
	for (size_t i = 0; i < pr->n_routes; i++)
		if (vd_ip_equal(&pr->routes[i].target, &t->ip))
			p->rg = &pr->routes[i];
	p->hop = t->ip;
	if (p->rg && p->rg->gateway.family)
		p->hop = p->rg->gateway;
	for (size_t i = 0; i < pr->n_arps; i++)
		if (vd_ip_equal(&pr->arps[i].target, &p->hop) &&
		    (!p->rg || pr->arps[i].ifindex == p->rg->oif))
			p->arp = &pr->arps[i];
	for (size_t i = 0; i < pr->n_pings; i++)
		if (vd_ip_equal(&pr->pings[i].target, &t->ip))
			p->ping = &pr->pings[i];
	for (size_t i = 0; t->port > 0 && i < pr->n_tcps; i++)
		if (vd_ip_equal(&pr->tcps[i].target, &t->ip) &&
		    pr->tcps[i].port == t->port)
			p->tcp = &pr->tcps[i];
}

/* Did the target answer at L3 or above (echo reply, SYN-ACK or RST)? */
static bool l3_answered(const struct path *p)
{
	return (p->ping && p->ping->received) ||
	       (p->tcp && (p->tcp->state == VD_PORT_OPEN ||
			   p->tcp->state == VD_PORT_CLOSED));
}

/* Did anything at all come back from the target itself? */
static bool answered(const struct path *p)
{
	return l3_answered(p) ||
	       (p->arp && p->arp->n_macs && vd_ip_equal(&p->hop, &p->t->ip));
}

#define FOR_TARGETS(c, p)                                                    \
	for (size_t ti_ = 0; (c)->opts && ti_ < (c)->opts->n_targets; ti_++) \
		if ((c)->opts->targets[ti_].ip.family &&                     \
		    (walk((c)->facts, &(c)->opts->targets[ti_], (p)), 1))

void rule_target_no_route(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	struct path p;

	FOR_TARGETS(c, &p)
	{
		struct vd_finding *fd;

		if (!p.rg || (!p.rg->err && p.rg->type != VD_RTN_UNREACHABLE &&
			      p.rg->type != VD_RTN_PROHIBIT &&
			      p.rg->type != VD_RTN_BLACKHOLE))
			continue;
		fd = vd_finding_add(out, "L3.route-missing", p.t->host,
				    "no route to %s", p.t->host);
		vd_finding_evidence(out, fd, "ip route get %s: %s", p.t->host,
				    p.rg->err ? strerror(p.rg->err)
					      : "a blackhole/unreachable/"
						"prohibit route matches");
		vd_finding_remedy(out, fd,
				  "add a route: ip route add %s via GATEWAY "
				  "(or the VM subnet: ip route add SUBNET dev "
				  "ADAPTER)",
				  p.t->host);
	}
}

static const char *hop_name(const struct path *p, char *buf, size_t len)
{
	char ip[VD_IPSTR_MAX];

	if (vd_ip_equal(&p->hop, &p->t->ip))
		snprintf(buf, len, "%s", p->t->host);
	else
		snprintf(buf, len, "gateway %s",
			 vd_ip_str(&p->hop, ip, sizeof(ip)));
	return buf;
}

void rule_arp_unanswered(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	char hop[sizeof(((struct vd_target *)0)->host) + 16];
	struct path p;

	FOR_TARGETS(c, &p)
	{
		struct vd_finding *fd;

		if (!p.arp || !p.arp->sent || p.arp->n_macs)
			continue;
		hop_name(&p, hop, sizeof(hop));
		fd = vd_finding_add(out, "L2.arp-unanswered", p.t->host,
				    "nobody answers ARP for %s on %s", hop,
				    p.arp->ifname);
		vd_finding_evidence(out, fd,
				    "%u ARP requests \"who has %s\" on %s: no "
				    "reply",
				    p.arp->sent, hop, p.arp->ifname);
		vd_finding_remedy(out, fd,
				  "is the VM running and attached to the "
				  "network of %s?  Check its NIC "
				  "(ethernetN.present, startConnected) and "
				  "its address (ip addr inside the guest)",
				  p.arp->ifname);
		vd_finding_remedy(out, fd, "watch it: tcpdump -eni %s arp",
				  p.arp->ifname);
	}
}

void rule_duplicate_ip(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_probes *pr = &c->facts->probes;
	char ip[VD_IPSTR_MAX], mac[VD_MACSTR_MAX];

	for (size_t i = 0; i < pr->n_arps; i++) {
		const struct vd_arp_result *a = &pr->arps[i];
		const char *subject = vd_ip_str(&a->target, ip, sizeof(ip));
		struct vd_finding *fd;

		if (a->n_macs < 2)
			continue;
		/* A target named by the user keeps its name as subject. */
		for (size_t t = 0; c->opts && t < c->opts->n_targets; t++)
			if (vd_ip_equal(&c->opts->targets[t].ip, &a->target))
				subject = c->opts->targets[t].host;
		fd = vd_finding_add(out, "L2.duplicate-ip", subject,
				    "%u machines answer for %s on %s",
				    a->n_macs, ip, a->ifname);
		for (unsigned m = 0; m < a->n_macs && m < VD_ARP_MAX_MACS; m++)
			vd_finding_evidence(
				out, fd, "ARP reply: %s is-at %s", ip,
				vd_mac_str(a->macs[m], 6, mac, sizeof(mac)));
		vd_finding_remedy(out, fd,
				  "give one of them another address; find "
				  "each by its MAC (VMware MACs are in the "
				  "VMs' .vmx files: grep -i ethernet0 *.vmx)");
	}
}

static bool frag_needed(const struct vd_icmp_error *e)
{
	return e->v6 ? e->type == 2 : e->type == 3 && e->code == 4;
}

static bool is_unreach(const struct vd_icmp_error *e)
{
	/* ICMP 3 (but not 3/4 frag-needed), ICMPv6 1. */
	return e->v6 ? e->type == 1 : e->type == 3 && e->code != 4;
}

static const char *unreach_name(const struct vd_icmp_error *e)
{
	static const char *const v4[] = {
		"net unreachable",
		"host unreachable",
		"protocol unreachable",
		"port unreachable",
		"fragmentation needed",
		"source route failed",
		"net unknown",
		"host unknown",
		"source host isolated",
		"net prohibited",
		"host prohibited",
		"net unreachable for TOS",
		"host unreachable for TOS",
		"administratively prohibited",
	};
	static const char *const v6[] = {
		"no route",	    "administratively prohibited",
		"beyond scope",	    "address unreachable",
		"port unreachable", "source address failed policy",
		"reject route",
	};

	if (e->v6)
		return e->code < 7 ? v6[e->code] : "unreachable";
	return e->code < 14 ? v4[e->code] : "unreachable";
}

void rule_icmp_unreachable(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	char ip[VD_IPSTR_MAX];
	struct path p;

	FOR_TARGETS(c, &p)
	{
		const struct vd_icmp_error *e = NULL;
		struct vd_finding *fd;

		if (p.ping && p.ping->n_errors && is_unreach(&p.ping->error))
			e = &p.ping->error;
		/* A router's ICMP rate limit may have answered only the MTU
		 * probe's echoes. */
		for (size_t i = 0; !e && i < c->facts->probes.n_mtus; i++)
			if (vd_ip_equal(&c->facts->probes.mtus[i].target,
					&p.t->ip) &&
			    is_unreach(&c->facts->probes.mtus[i].error))
				e = &c->facts->probes.mtus[i].error;
		if (!e || !p.ping)
			continue;
		fd = vd_finding_add(out, "L3.icmp-unreachable", p.t->host,
				    "%s answers for %s: %s",
				    vd_ip_str(&e->from, ip, sizeof(ip)),
				    p.t->host, unreach_name(e));
		vd_finding_evidence(out, fd,
				    "ICMP%s type %u code %u (%s) from %s, %u "
				    "of %u echoes (and the MTU probe's)",
				    e->v6 ? "v6" : "", e->type, e->code,
				    unreach_name(e), ip, p.ping->n_errors,
				    p.ping->sent);
		vd_finding_remedy(out, fd,
				  "%s refuses to forward to %s: check its "
				  "routes and firewall (a REJECT rule sends "
				  "admin-prohibited)",
				  ip, p.t->host);
	}
}

/* Did the MTU probe draw an ICMP unreachable for ip? */
static bool mtu_unreach(const struct vd_facts *f, const struct vd_ip *ip)
{
	for (size_t i = 0; i < f->probes.n_mtus; i++)
		if (vd_ip_equal(&f->probes.mtus[i].target, ip) &&
		    is_unreach(&f->probes.mtus[i].error))
			return true;
	return false;
}

void rule_target_unreachable(const struct vd_rule_ctx *c,
			     struct vd_findings *out)
{
	struct path p;

	FOR_TARGETS(c, &p)
	{
		struct vd_finding *fd;

		if (!p.ping || !p.ping->sent || l3_answered(&p) ||
		    p.ping->n_errors || mtu_unreach(c->facts, &p.t->ip))
			continue;
		fd = vd_finding_add(out, "L3.target-unreachable", p.t->host,
				    "%s does not answer", p.t->host);
		vd_finding_evidence(out, fd, "ping: %u sent, 0 received",
				    p.ping->sent);
		if (answered(&p))
			vd_finding_evidence(out, fd,
					    "yet it answers ARP: it is up, and "
					    "something in it drops ICMP and "
					    "TCP (a firewall?)");
		if (p.ping->local_errno)
			vd_finding_evidence(out, fd, "sendto: %s",
					    strerror(p.ping->local_errno));
		if (p.tcp)
			vd_finding_evidence(out, fd, "TCP port %u: no answer",
					    p.tcp->port);
		vd_finding_remedy(out, fd,
				  "is the VM up, with this address?  Look "
				  "at its console: ip addr; ip route");
	}
}

void rule_port_closed(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	struct path p;

	FOR_TARGETS(c, &p)
	{
		struct vd_finding *fd;

		if (!p.tcp || p.tcp->state != VD_PORT_CLOSED)
			continue;
		fd = vd_finding_add(out, "L4.port-closed", p.t->host,
				    "%s refuses TCP port %d: nothing listens",
				    p.t->host, p.t->port);
		vd_finding_evidence(out, fd,
				    "connect to port %d: RST "
				    "(connection refused) after %u us",
				    p.t->port, p.tcp->rtt_us);
		if (fd && vd_findings_find(out, "L7.service-not-listening",
					   p.t->host)) {
			fd->caused_by = "L7.service-not-listening";
			fd->cause_subject = fd->subject;
		}
		vd_finding_remedy(out, fd,
				  "start the service on %s, and check that it "
				  "listens on the VM's address, not only on "
				  "127.0.0.1: ss -ltnp 'sport = :%d'",
				  p.t->host, p.t->port);
	}
}

void rule_port_filtered(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	struct path p;

	FOR_TARGETS(c, &p)
	{
		struct vd_finding *fd;

		if (!p.tcp || p.tcp->state != VD_PORT_FILTERED)
			continue;
		fd = vd_finding_add(out, "L4.port-filtered", p.t->host,
				    "SYNs to %s port %d get no answer",
				    p.t->host, p.t->port);
		vd_finding_evidence(out, fd,
				    "connect to port %d: no SYN-ACK, no RST",
				    p.t->port);
		if (answered(&p))
			vd_finding_evidence(out, fd,
					    "yet the host answers (%s): a "
					    "firewall drops the port",
					    p.ping && p.ping->received
						    ? "ICMP echo"
						    : "ARP");
		vd_finding_remedy(out, fd,
				  "look for a DROP rule in the VM "
				  "(nft list ruleset; iptables -S; ufw status; "
				  "firewall-cmd --list-all) and on this host");
	}
}

/* Is ip one of this host's own addresses? */
static bool is_local(const struct vd_facts *f, const struct vd_ip *ip)
{
	if (ip->family == VD_AF_INET && ip->b[0] == 127)
		return true;
	for (size_t i = 0; i < f->n_addrs; i++)
		if (vd_ip_equal(&f->addrs[i].ip, ip))
			return true;
	return false;
}

void rule_service_not_listening(const struct vd_rule_ctx *c,
				struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;

	for (size_t t = 0; c->opts && t < c->opts->n_targets; t++) {
		const struct vd_target *tg = &c->opts->targets[t];
		struct vd_finding *fd;
		bool listening = false;

		if (tg->port <= 0 || !tg->ip.family || !is_local(f, &tg->ip) ||
		    f->sockets_known != VD_YES)
			continue;
		for (size_t i = 0; i < f->n_sockets; i++) {
			const struct vd_socket *s = &f->sockets[i];
			struct vd_ip any = { .family = s->local.family };

			if (s->proto != 6 || s->port != tg->port)
				continue;
			if (vd_ip_equal(&s->local, &tg->ip) ||
			    vd_ip_equal(&s->local, &any))
				listening = true;
		}
		if (listening)
			continue;
		fd = vd_finding_add(out, "L7.service-not-listening", tg->host,
				    "nothing on this machine listens on %s "
				    "port %d",
				    tg->host, tg->port);
		vd_finding_evidence(out, fd,
				    "no listening TCP socket for port %d on %s "
				    "or on a wildcard address (%zu listening "
				    "sockets seen)",
				    tg->port, tg->host, f->n_sockets);
		vd_finding_remedy(out, fd,
				  "start the service, or make it listen on "
				  "this address: ss -ltnp 'sport = :%d'",
				  tg->port);
	}
}

void rule_mtu_path(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_probes *pr = &c->facts->probes;
	char ip[VD_IPSTR_MAX];
	struct path p;

	FOR_TARGETS(c, &p)
	{
		for (size_t i = 0; i < pr->n_mtus; i++) {
			const struct vd_mtu_result *m = &pr->mtus[i];
			struct vd_finding *fd;

			if (!vd_ip_equal(&m->target, &p.t->ip) ||
			    (!m->black_hole && !frag_needed(&m->error)))
				continue;
			if (m->black_hole) {
				fd = vd_finding_add(
					out, "L2.mtu-mismatch", p.t->host,
					"%u-byte packets to %s vanish while "
					"%u-byte ones pass: an MTU black hole",
					m->first_lost, p.t->host, m->path_mtu);
				vd_finding_evidence(
					out, fd,
					"DF echo of %u bytes: answered; of %u "
					"bytes: no answer and no ICMP "
					"frag-needed; local MTU %u",
					m->path_mtu, m->first_lost,
					m->local_mtu);
			} else {
				fd = vd_finding_add(
					out, "L2.mtu-mismatch", p.t->host,
					"the path to %s carries at most %u "
					"bytes (local MTU %u)",
					p.t->host, m->error.next_mtu,
					m->local_mtu);
				vd_finding_evidence(out, fd,
						    "ICMP frag-needed from %s: "
						    "next-hop MTU "
						    "%u",
						    vd_ip_str(&m->error.from,
							      ip, sizeof(ip)),
						    m->error.next_mtu);
			}
			vd_finding_remedy(out, fd,
					  "give the host adapter, the virtual "
					  "switch and the VM's NIC one MTU: "
					  "ip link set dev DEV mtu %u (on the "
					  "host, and inside the VM)",
					  m->path_mtu ? m->path_mtu : 1500);
		}
	}
}
