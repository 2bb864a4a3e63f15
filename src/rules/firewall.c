/* SPDX-License-Identifier: MIT */
/*
 * The host's firewall in the diagnosis: the flow to each target (and its
 * replies) through the output and input hooks, and the traffic of the
 * virtual networks the host routes through the forward hook.  The ruleset
 * is the snapshot's verbatim text (f->firewall), parsed here so that a
 * snapshot is judged the same wherever it is analysed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/firewall/fwparse.h"
#include "facts/firewall.h"
#include "rules/fib.h"
#include "rules/fweval.h"
#include "rules/rules.h"
#include "util/ip.h"
#include "util/strbuf.h"

/* An ephemeral port for the host's side of a flow: rules on the source
 * port of a connection the host opens are rare, and match this like any. */
#define EPHEMERAL_PORT 49152
/* Where a VM's traffic goes when the host routes it: an outside address
 * (TEST-NET-2) and the port of the commonest outside service. */
#define OUTSIDE_ADDR "198.51.100.1"
#define OUTSIDE_PORT 443

/*
 * The ruleset of the snapshot: nft's JSON, with the legacy iptables
 * tables merged in.  NULL when there is none (not read, or nothing to
 * read) or it cannot be parsed; why in err ("" when simply absent).
 */
static struct vd_fw_ruleset *load_ruleset(const struct vd_facts *f, char *err,
					  size_t errlen)
{
	const struct vd_fwsrc *src = &f->firewall;
	const char *texts[3] = { src->nft_json, src->iptables_save,
				 src->ip6tables_save };
	static const char *const names[3] = { "nft -j list ruleset",
					      "iptables-save",
					      "ip6tables-save" };
	struct vd_fw_ruleset *rs = NULL;

	err[0] = '\0';
	if (src->known != VD_YES) {
		if (src->error)
			snprintf(err, errlen, "%s", src->error);
		return NULL;
	}
	for (int i = 0; i < 3; i++) {
		struct vd_fw_ruleset *part = NULL;
		char why[256] = "";
		int rc;

		if (!texts[i])
			continue;
		if (i == 0)
			rc = vd_fw_parse_nft_json(texts[i], strlen(texts[i]),
						  names[i], &part, why,
						  sizeof(why));
		else
			rc = vd_fw_parse_iptables_save(
				texts[i], strlen(texts[i]), names[i], i == 2,
				&part, why, sizeof(why));
		if (rc == 0 && rs)
			rc = vd_fw_ruleset_merge(rs, part);
		else if (rc == 0) {
			rs = part;
			part = NULL;
		}
		vd_fw_ruleset_free(part);
		if (rc) {
			snprintf(err, errlen, "%s: %s", names[i],
				 rc == -ENOMEM ? "out of memory" : why);
			vd_fw_ruleset_free(rs);
			return NULL;
		}
	}
	if (!rs && src->error)
		snprintf(err, errlen, "%s", src->error);
	if (rs)
		vd_fw_detect_frontends(rs);
	return rs;
}

static bool is_block(uint8_t verdict)
{
	return verdict == VD_FWV_DROP || verdict == VD_FWV_REJECT;
}

/* Does the result block the flow, or may it? */
static bool blocks(const struct vd_fw_result *r)
{
	return is_block(r->verdict) || (r->may && is_block(r->may_verdict));
}

/* The reference that decides a blocking result. */
static const struct vd_fw_ref *blocking_ref(const struct vd_fw_result *r)
{
	return is_block(r->verdict) ? &r->by : &r->may_by;
}

static uint8_t blocking_verdict(const struct vd_fw_result *r)
{
	return is_block(r->verdict) ? r->verdict : r->may_verdict;
}

/* "drops", "rejects", "may drop", "may reject". */
static const char *verb(const struct vd_fw_result *r)
{
	bool rej = blocking_verdict(r) == VD_FWV_REJECT;

	if (is_block(r->verdict))
		return rej ? "rejects" : "drops";
	return rej ? "may reject" : "may drop";
}

/* ---- describing flows and writing the commands that allow them ---- */

/* What is being allowed, in the words of each tool. */
struct allow {
	const char *iface; /* the interface on the VMs' side */
	char nft[256];	   /* nft match expression, without the verdict */
	char ipt[256];	   /* iptables match options */
	char nft2[256];	   /* a second rule (the way back), or "" */
	char ipt2[256];
	char ufw[256]; /* ufw command */
	int port;      /* TCP port of the flow, 0 none */
	bool v6;
};

static const char *l4_name(uint8_t proto)
{
	return proto == 6 ? "tcp" : proto == 17 ? "udp" : "icmp";
}

static void flow_text(const struct vd_fw_flow *fl, char *buf, size_t len)
{
	char s[VD_IPSTR_MAX] = "?", d[VD_IPSTR_MAX] = "?";
	char ifs[2 * VD_IFNAME_MAX + 16] = "";

	if (fl->saddr.family)
		vd_ip_str(&fl->saddr, s, sizeof(s));
	vd_ip_str(&fl->daddr, d, sizeof(d));
	if (fl->iif[0] && fl->oif[0])
		snprintf(ifs, sizeof(ifs), " iif %s oif %s", fl->iif, fl->oif);
	else if (fl->iif[0])
		snprintf(ifs, sizeof(ifs), " iif %s", fl->iif);
	else if (fl->oif[0])
		snprintf(ifs, sizeof(ifs), " oif %s", fl->oif);
	if (fl->l4proto == 6 || fl->l4proto == 17)
		snprintf(buf, len, "%s %s:%u -> %s:%u%s, ct state %s",
			 l4_name(fl->l4proto), s, fl->sport, d, fl->dport, ifs,
			 fl->ct ? "established" : "new");
	else
		snprintf(buf, len, "icmp%s echo-%s %s -> %s%s, ct state %s",
			 fl->family == VD_AF_INET6 ? "v6" : "",
			 fl->ct ? "reply" : "request", s, d, ifs,
			 fl->ct ? "established" : "new");
}

/* The iptables command for a table of family ip/ip6. */
static const char *ipt_cmd(const struct vd_fw_table *t)
{
	return t->family == VD_FW_IP6 ? "ip6tables" : "iptables";
}

/* Was the table written by iptables (legacy save, or iptables-nft)? */
static bool iptables_table(const struct vd_fw_table *t,
			   const struct vd_fw_ref *ref)
{
	static const char *const builtin[] = { "INPUT", "FORWARD", "OUTPUT",
					       "PREROUTING", "POSTROUTING" };

	if (ref->rule && ref->rule->line)
		return true;
	if (t->family != VD_FW_IP && t->family != VD_FW_IP6)
		return false;
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		const struct vd_fw_chain *c = vd_fw_chain_find(t, builtin[i]);

		if (c && c->hook != VD_FW_HOOK_NONE)
			return true;
	}
	return false;
}

/* firewalld's zone from its chain names ("filter_IN_public_allow"), or
 * NULL. */
static const char *firewalld_zone(const struct vd_fw_chain *c, char *buf,
				  size_t len)
{
	static const char *const pfx[] = { "filter_IN_", "filter_FWD_",
					   "filter_FWDI_", "filter_FWDO_" };

	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		size_t n = strlen(pfx[i]), k;

		if (strncmp(c->name, pfx[i], n))
			continue;
		k = strcspn(c->name + n, "_");
		if (!k)
			return NULL;
		snprintf(buf, len, "%.*s", (int)k, c->name + n);
		return buf;
	}
	return NULL;
}

/* The commands that would let the flow through the rule (or policy) ref,
 * by the front end that owns it. */
static void remedy_allow(struct vd_findings *out, struct vd_finding *fd,
			 const struct vd_fw_ref *ref, uint8_t hook,
			 const struct allow *a)
{
	const struct vd_fw_table *t = ref->table;
	const struct vd_fw_chain *c = ref->chain;
	const char *fam;
	unsigned fe;
	char zone[VD_FW_NAME_MAX];

	if (!t || !c)
		return;
	fam = vd_fw_family_name(t->family);
	fe = c->fe ? c->fe : t->fe;
	if (hook == VD_FW_HOOK_FORWARD &&
	    ((fe & VD_FW_FE_DOCKER) || vd_fw_chain_find(t, "DOCKER-USER"))) {
		vd_finding_remedy(out, fd,
				  "%s -I DOCKER-USER -i %s -j ACCEPT && %s -I "
				  "DOCKER-USER -o %s -m conntrack --ctstate "
				  "RELATED,ESTABLISHED -j ACCEPT",
				  ipt_cmd(t), a->iface, ipt_cmd(t), a->iface);
		vd_finding_remedy(out, fd,
				  "(DOCKER-USER is the chain Docker leaves to "
				  "you; make it permanent with a systemd unit "
				  "ordered after docker.service)");
		return;
	}
	if (fe & VD_FW_FE_UFW) {
		vd_finding_remedy(out, fd, "%s", a->ufw);
		return;
	}
	if (fe & VD_FW_FE_FIREWALLD) {
		const char *z = firewalld_zone(c, zone, sizeof(zone));

		if (a->port && hook == VD_FW_HOOK_INPUT)
			vd_finding_remedy(out, fd,
					  "firewall-cmd --zone=%s "
					  "--add-port=%d/tcp (and again with "
					  "--permanent)",
					  z ? z : "public", a->port);
		else
			vd_finding_remedy(out, fd,
					  "firewall-cmd --zone=trusted "
					  "--change-interface=%s (and again "
					  "with --permanent)",
					  a->iface);
		return;
	}
	if (iptables_table(t, ref)) {
		char tbl[VD_FW_NAME_MAX + 8] = "";

		if (strcmp(t->name, "filter"))
			snprintf(tbl, sizeof(tbl), "-t %s ", t->name);
		for (int i = 0; i < 2; i++) {
			const char *m = i ? a->ipt2 : a->ipt;

			if (!m[0])
				continue;
			if (ref->rule)
				vd_finding_remedy(out, fd,
						  "%s %s-I %s %zu %s -j ACCEPT",
						  ipt_cmd(t), tbl, c->name,
						  ref->rule->position + 1, m);
			else
				vd_finding_remedy(out, fd,
						  "%s %s-A %s %s -j ACCEPT",
						  ipt_cmd(t), tbl, c->name, m);
		}
		if (ref->rule)
			vd_finding_remedy(out, fd,
					  "or delete the rule: %s %s-D %s %zu",
					  ipt_cmd(t), tbl, c->name,
					  ref->rule->position + 1);
		return;
	}
	for (int i = 0; i < 2; i++) {
		const char *m = i ? a->nft2 : a->nft;

		if (!m[0])
			continue;
		if (ref->rule && ref->rule->handle)
			vd_finding_remedy(out, fd,
					  "nft insert rule %s %s %s position "
					  "%llu %s accept",
					  fam, t->name, c->name,
					  (unsigned long long)ref->rule->handle,
					  m);
		else
			vd_finding_remedy(out, fd,
					  "nft add rule %s %s %s %s accept",
					  fam, t->name, c->name, m);
	}
	if (ref->rule && ref->rule->handle)
		vd_finding_remedy(out, fd,
				  "or delete the rule: nft delete rule %s %s "
				  "%s handle %llu",
				  fam, t->name, c->name,
				  (unsigned long long)ref->rule->handle);
}

/* Evidence for a blocking result: the rule, the hook and the flow, and
 * what cannot be judged when that is why. */
static void evidence_block(struct vd_findings *out, struct vd_finding *fd,
			   const struct vd_fw_result *r,
			   const struct vd_fw_flow *fl)
{
	struct vd_strbuf sb = { 0 };
	char flow[256];
	char *rule, *may = NULL;

	flow_text(fl, flow, sizeof(flow));
	vd_fw_ref_describe(blocking_ref(r), &sb);
	rule = vd_sb_take(&sb);
	if (r->may) {
		vd_fw_ref_describe(&r->may_rule, &sb);
		may = vd_sb_take(&sb);
	}
	/* Blocked only if an unjudged rule matches: that rule comes first. */
	if (r->may && !is_block(r->verdict))
		vd_finding_evidence(out, fd,
				    "%s may match: vnetdiag cannot judge "
				    "\"%s\"",
				    may ? may : "a rule",
				    r->may_text ? r->may_text : "?");
	vd_finding_evidence(out, fd, "%s hook %s: %s%s (%s)",
			    vd_fw_hook_name(r->hook), flow,
			    vd_fw_verdict_name(blocking_verdict(r)),
			    is_block(r->verdict) ? "" : " if it matches",
			    rule ? rule : "?");
	if (r->may && is_block(r->verdict))
		vd_finding_evidence(out, fd,
				    "unless %s matches (vnetdiag cannot judge "
				    "\"%s\"): then %s",
				    may ? may : "a rule",
				    r->may_text ? r->may_text : "?",
				    vd_fw_verdict_name(r->may_verdict));
	free(rule);
	free(may);
}

/* ---- the flow to each target ---- */

/* The host's address on ifindex of family af (global first), or none. */
static struct vd_ip addr_on(const struct vd_facts *f, int ifindex, uint8_t af)
{
	struct vd_ip best = { .family = af };
	bool found = false;

	for (size_t i = 0; i < f->n_addrs; i++) {
		const struct vd_addr *a = &f->addrs[i];

		if (a->ifindex != ifindex || a->ip.family != af)
			continue;
		if (!found || a->scope == 0 /* RT_SCOPE_UNIVERSE */) {
			best = a->ip;
			found = a->scope == 0;
		}
	}
	return best;
}

/* One direction of the host's talk with a target. */
struct verdict {
	struct vd_fw_flow flow;
	struct vd_fw_result res;
	bool evaluated;
};

/* Did the walk of v's flows fail (a jump loop, nesting deeper than the
 * kernel allows) where its verdict was needed? */
static bool unjudged(const struct verdict v[2], const struct verdict *b)
{
	return !v[0].evaluated || (b != &v[0] && !v[1].evaluated);
}

/* The new flow and its reply; the first that the firewall blocks, or
 * NULL. */
static const struct verdict *judge_pair(const struct vd_fw_ruleset *rs,
					struct verdict v[2], bool self)
{
	enum vd_fw_path there = self ? VD_FW_PATH_SELF : VD_FW_PATH_FROM_HOST;
	enum vd_fw_path back = self ? VD_FW_PATH_SELF : VD_FW_PATH_TO_HOST;

	v[0].evaluated = vd_fw_eval_path(rs, &v[0].flow, there, &v[0].res) == 0;
	if (v[0].evaluated && blocks(&v[0].res))
		return &v[0];
	v[1].evaluated = vd_fw_eval_path(rs, &v[1].flow, back, &v[1].res) == 0;
	if (v[1].evaluated && blocks(&v[1].res))
		return &v[1];
	return NULL;
}

/* Fill the flows to the target and back: proto 6 with port, else echo. */
static void make_pair(struct verdict v[2], const struct vd_target *t,
		      const struct vd_ip *src, const char *oif, bool self,
		      uint8_t proto)
{
	struct vd_fw_flow *to = &v[0].flow, *from = &v[1].flow;

	memset(v, 0, 2 * sizeof(*v));
	to->family = t->ip.family;
	snprintf(to->oif, sizeof(to->oif), "%s", self ? "lo" : oif);
	if (self)
		snprintf(to->iif, sizeof(to->iif), "lo");
	to->saddr = *src;
	to->daddr = t->ip;
	to->l4proto = proto;
	if (proto == 6) {
		to->sport = EPHEMERAL_PORT;
		to->dport = (uint16_t)t->port;
	}
	to->daddr_local = self ? VD_YES : VD_NO;

	*from = *to;
	memset(from->iif, 0, sizeof(from->iif));
	memset(from->oif, 0, sizeof(from->oif));
	snprintf(from->iif, sizeof(from->iif), "%s", self ? "lo" : oif);
	if (self)
		snprintf(from->oif, sizeof(from->oif), "lo");
	from->saddr = t->ip;
	from->daddr = *src;
	from->sport = to->dport;
	from->dport = to->sport;
	from->ct = VD_FW_CT_ESTABLISHED;
	from->ct_status = VD_FW_CTS_SEEN_REPLY | VD_FW_CTS_CONFIRMED;
	from->daddr_local = VD_YES;
}

/* The words of each tool for letting v's flow through. */
static void allow_for(const struct verdict *v, bool reply,
		      const struct vd_target *t, struct allow *a)
{
	const struct vd_fw_flow *fl = &v->flow;
	const char *ipk = fl->family == VD_AF_INET6 ? "ip6" : "ip";
	const char *icmp = fl->family == VD_AF_INET6 ? "icmpv6" : "icmp";
	char ip[VD_IPSTR_MAX];

	memset(a, 0, sizeof(*a));
	a->iface = reply ? fl->iif : fl->oif;
	a->v6 = fl->family == VD_AF_INET6;
	a->port = fl->l4proto == 6 ? t->port : 0;
	vd_ip_str(&t->ip, ip, sizeof(ip));
	if (!reply && a->port) {
		snprintf(a->nft, sizeof(a->nft),
			 "oifname \"%s\" %s daddr %s tcp dport %d", a->iface,
			 ipk, ip, a->port);
		snprintf(a->ipt, sizeof(a->ipt),
			 "-o %s -d %s -p tcp --dport %d", a->iface, ip,
			 a->port);
		snprintf(a->ufw, sizeof(a->ufw),
			 "ufw allow out on %s to %s port %d proto tcp",
			 a->iface, ip, a->port);
	} else if (!reply) {
		snprintf(a->nft, sizeof(a->nft),
			 "oifname \"%s\" %s daddr %s %s type echo-request",
			 a->iface, ipk, ip, icmp);
		snprintf(a->ipt, sizeof(a->ipt),
			 "-o %s -d %s -p %s --%s-type echo-request", a->iface,
			 ip, icmp, a->v6 ? "icmpv6" : "icmp");
		snprintf(a->ufw, sizeof(a->ufw), "ufw allow out on %s to %s",
			 a->iface, ip);
	} else if (a->port) {
		snprintf(a->nft, sizeof(a->nft),
			 "iifname \"%s\" %s saddr %s tcp sport %d ct state "
			 "established,related",
			 a->iface, ipk, ip, a->port);
		snprintf(a->ipt, sizeof(a->ipt),
			 "-i %s -s %s -p tcp --sport %d -m conntrack "
			 "--ctstate ESTABLISHED,RELATED",
			 a->iface, ip, a->port);
		snprintf(a->ufw, sizeof(a->ufw),
			 "ufw allow in on %s from %s port %d proto tcp",
			 a->iface, ip, a->port);
	} else {
		snprintf(a->nft, sizeof(a->nft),
			 "iifname \"%s\" %s saddr %s ct state "
			 "established,related",
			 a->iface, ipk, ip);
		snprintf(a->ipt, sizeof(a->ipt),
			 "-i %s -s %s -m conntrack --ctstate "
			 "ESTABLISHED,RELATED",
			 a->iface, ip);
		snprintf(a->ufw, sizeof(a->ufw), "ufw allow in on %s from %s",
			 a->iface, ip);
	}
}

/* The probes' findings about target that the firewall explains. */
static void link_probes(struct vd_findings *out, const struct vd_target *t,
			const struct verdict *tcp, const struct verdict *echo,
			bool tcp_judged)
{
	bool tcp_blocked = tcp && blocks(&tcp->res);
	bool rejects = (tcp && blocking_verdict(&tcp->res) == VD_FWV_REJECT) ||
		       (echo && blocking_verdict(&echo->res) == VD_FWV_REJECT);
	bool echo_blocked = echo && (!tcp_judged || tcp_blocked);

	for (size_t i = 0; i < out->n; i++) {
		struct vd_finding *p = &out->v[i];
		const char *code = p->check->code;
		bool explains = false;

		if (p->caused_by || strcmp(p->subject, t->host))
			continue;
		if (!strcmp(code, "L4.port-filtered"))
			explains = tcp_blocked;
		else if (!strcmp(code, "L4.port-closed"))
			explains = tcp_blocked && rejects;
		else if (!strcmp(code, "L3.target-unreachable"))
			explains = echo_blocked;
		else if (!strcmp(code, "L3.icmp-unreachable"))
			explains = rejects;
		if (explains) {
			p->caused_by = "L4.firewall-blocks";
			p->cause_subject = NULL;
		}
	}
}

/* Did the probes see the target's port or echo get through? */
static bool probe_passed(const struct vd_facts *f, const struct vd_target *t,
			 bool tcp)
{
	const struct vd_probes *pr = &f->probes;

	for (size_t i = 0; tcp && i < pr->n_tcps; i++)
		if (vd_ip_equal(&pr->tcps[i].target, &t->ip) &&
		    pr->tcps[i].port == t->port &&
		    pr->tcps[i].state == VD_PORT_OPEN)
			return true;
	for (size_t i = 0; !tcp && i < pr->n_pings; i++)
		if (vd_ip_equal(&pr->pings[i].target, &t->ip) &&
		    pr->pings[i].received)
			return true;
	return false;
}

/* Did a probe find the target silent (a finding a block would explain)? */
static bool probe_silent(const struct vd_findings *out,
			 const struct vd_target *t)
{
	return vd_findings_find(out, "L4.port-filtered", t->host) ||
	       vd_findings_find(out, "L3.target-unreachable", t->host) ||
	       vd_findings_find(out, "L4.port-closed", t->host);
}

static void report_target(const struct vd_rule_ctx *c, struct vd_findings *out,
			  const struct vd_target *t, const struct verdict *v,
			  bool reply)
{
	const struct vd_fw_result *r = &v->res;
	bool certain = is_block(r->verdict);
	bool tcp = v->flow.l4proto == 6;
	bool passed = probe_passed(c->facts, t, tcp);
	struct vd_finding *fd;
	struct allow a;

	if (tcp)
		fd = vd_finding_add(out, "L4.firewall-blocks", t->host,
				    "this host's firewall %s TCP %s %s port %d",
				    verb(r), reply ? "replies from" : "to",
				    t->host, t->port);
	else
		fd = vd_finding_add(out, "L4.firewall-blocks", t->host,
				    "this host's firewall %s ICMP echo %s %s",
				    verb(r), reply ? "replies from" : "to",
				    t->host);
	if (!fd)
		return;
	/* A rule that only may match is a warning, unless the probes found
	 * the target silent; a probe that got through wins over the model. */
	if ((!certain && !probe_silent(out, t)) || passed)
		fd->severity = VD_SEV_WARNING;
	evidence_block(out, fd, r, &v->flow);
	if (passed)
		vd_finding_evidence(out, fd,
				    "yet the %s probe got through: the rule "
				    "may not apply as evaluated",
				    tcp ? "TCP" : "ICMP");
	allow_for(v, reply, t, &a);
	remedy_allow(out, fd, blocking_ref(r), r->hook, &a);
}

/* Say on the probes' findings that the firewall could not be judged. */
static void note_unjudged(struct vd_findings *out, const struct vd_target *t,
			  const char *why)
{
	for (size_t i = 0; i < out->n; i++) {
		struct vd_finding *p = &out->v[i];
		const char *code = p->check->code;

		if (strcmp(p->subject, t->host) ||
		    (strcmp(code, "L4.port-filtered") &&
		     strcmp(code, "L3.target-unreachable") &&
		     strcmp(code, "L4.port-closed")))
			continue;
		vd_finding_evidence(out, p,
				    "this host's firewall was not evaluated: "
				    "%s",
				    why);
	}
}

static void judge_target(const struct vd_rule_ctx *c, struct vd_findings *out,
			 const struct vd_fw_ruleset *rs,
			 const struct vd_target *t)
{
	const struct vd_facts *f = c->facts;
	struct vd_fib_result fib;
	const struct vd_link *l = NULL;
	struct verdict tcp[2], echo[2];
	const struct verdict *bt = NULL, *be;
	struct vd_ip src = { .family = t->ip.family };
	bool self;

	/* The local table answers for the host's own addresses. */
	vd_fib_lookup(f, &t->ip, &fib);
	self = fib.type == VD_RTN_LOCAL;
	if (fib.route) {
		l = vd_facts_link_by_index(f, fib.route->oif);
		src = fib.route->prefsrc.family
			      ? fib.route->prefsrc
			      : addr_on(f, fib.route->oif, t->ip.family);
	}
	if (self)
		src = t->ip;
	else if (!l)
		return; /* no way out: the route rules say so */
	if (t->port > 0) {
		make_pair(tcp, t, &src, l ? l->name : "lo", self, 6);
		bt = judge_pair(rs, tcp, self);
	}
	make_pair(echo, t, &src, l ? l->name : "lo", self,
		  t->ip.family == VD_AF_INET6 ? 58 : 1);
	be = judge_pair(rs, echo, self);
	/* Never silent: a ruleset the walk cannot finish is said so. */
	if ((t->port > 0 && unjudged(tcp, bt)) || unjudged(echo, be))
		note_unjudged(out, t,
			      "its chains jump in a loop or nest deeper "
			      "than the kernel allows");
	if (bt)
		report_target(c, out, t, bt, bt == &tcp[1]);
	else if (be && t->port <= 0)
		report_target(c, out, t, be, be == &echo[1]);
	if ((bt && is_block(bt->res.verdict)) || (bt && probe_silent(out, t)) ||
	    (!bt && be && t->port <= 0))
		link_probes(out, t, bt, be, t->port > 0);
}

/* ---- the traffic the host routes for its virtual networks ---- */

/* The adapter's IPv4 subnet (its address, else the configuration). */
static bool adapter_subnet(const struct vd_facts *f, const struct vd_adapter *a,
			   struct vd_ip *net, unsigned *plen)
{
	for (size_t i = 0; a->link && i < f->n_addrs; i++) {
		const struct vd_addr *ad = &f->addrs[i];

		if (ad->ifindex == a->link->ifindex &&
		    ad->ip.family == VD_AF_INET && ad->prefixlen < 32) {
			*net = ad->ip;
			*plen = ad->prefixlen;
			vd_prefix_mask(net, *plen);
			return true;
		}
	}
	if (a->vnet && a->vnet->subnet.family == VD_AF_INET &&
	    a->vnet->prefixlen >= 0 && a->vnet->prefixlen < 32) {
		*net = a->vnet->subnet;
		*plen = (unsigned)a->vnet->prefixlen;
		vd_prefix_mask(net, *plen);
		return true;
	}
	return false;
}

static bool nat_source(const struct vd_fw_rule *r)
{
	return r->verdict == VD_FWV_NAT && r->text &&
	       (strstr(r->text, "masquerade") ||
		strstr(r->text, "MASQUERADE") || strstr(r->text, "snat") ||
		strstr(r->text, "SNAT"));
}

/* Does the match (inline or its set) hold the subnet's addresses? */
static bool match_covers(const struct vd_fw_table *t,
			 const struct vd_fw_match *m, const struct vd_ip *net,
			 unsigned plen)
{
	const struct vd_fw_elem *e = m->elems;
	size_t n = m->n_elems;
	struct vd_ip last = *net;

	if (m->key != VD_FWM_SADDR || m->neg)
		return false;
	if (m->set[0]) {
		const struct vd_fw_set *s = vd_fw_set_find(t, m->set);

		if (!s)
			return false;
		e = s->elems;
		n = s->n_elems;
	}
	/* The subnet's last address: the network with every host bit set. */
	for (unsigned b = plen; b < 32; b++)
		last.b[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	for (size_t i = 0; i < n; i++)
		if (vd_fw_elem_has_ip(&e[i], net) &&
		    vd_fw_elem_has_ip(&e[i], &last))
			return true;
	return false;
}

/* A source NAT rule for the subnet, or NULL. */
static const struct vd_fw_rule *find_masquerade(
	const struct vd_fw_ruleset *rs, const struct vd_ip *net, unsigned plen,
	const struct vd_fw_table **table, const struct vd_fw_chain **chain)
{
	for (size_t i = 0; rs && i < rs->n_tables; i++) {
		const struct vd_fw_table *t = &rs->tables[i];

		if (t->family != VD_FW_IP && t->family != VD_FW_INET)
			continue;
		for (size_t j = 0; j < t->n_chains; j++) {
			const struct vd_fw_chain *c = &t->chains[j];

			for (size_t k = 0; k < c->n_rules; k++) {
				const struct vd_fw_rule *r = &c->rules[k];

				if (!nat_source(r))
					continue;
				for (size_t m = 0; m < r->n_matches; m++)
					if (match_covers(t, &r->matches[m], net,
							 plen)) {
						*table = t;
						*chain = c;
						return r;
					}
			}
		}
	}
	return NULL;
}

/* Does the host route (or NAT) for the adapter's VMs?  Why, in why. */
static bool host_routes(const struct vd_facts *f,
			const struct vd_fw_ruleset *rs,
			const struct vd_adapter *a, char *why, size_t len)
{
	const struct vd_fw_table *t;
	const struct vd_fw_chain *c;
	const struct vd_fw_rule *r;
	struct vd_ip net;
	unsigned plen;
	char p[VD_IPSTR_MAX];

	if (adapter_subnet(f, a, &net, &plen) &&
	    (r = find_masquerade(rs, &net, plen, &t, &c))) {
		struct vd_fw_ref ref = { t, c, r };
		struct vd_strbuf sb = { 0 };
		char *s;

		vd_fw_ref_describe(&ref, &sb);
		s = vd_sb_take(&sb);
		snprintf(why, len, "%s's subnet %s is source-NATed by %s",
			 a->name, vd_prefix_str(&net, plen, p, sizeof(p)),
			 s ? s : "a nat rule");
		free(s);
		return true;
	}
	if (!strncmp(a->name, "virbr", 5)) {
		snprintf(why, len,
			 "%s is a libvirt bridge: libvirt's NAT and routed "
			 "networks are forwarded by this host",
			 a->name);
		return true;
	}
	return false;
}

static void judge_forward(const struct vd_rule_ctx *c, struct vd_findings *out,
			  const struct vd_fw_ruleset *rs,
			  const struct vd_adapter *a, const char *why)
{
	const struct vd_facts *f = c->facts;
	struct vd_fib_result fib;
	const struct vd_link *up;
	struct verdict v[2];
	const struct verdict *b = NULL;
	struct vd_ip net, vm, outside;
	unsigned plen;
	struct vd_finding *fd;
	struct allow al;
	char vms[VD_IPSTR_MAX];
	unsigned fe;

	if (!adapter_subnet(f, a, &net, &plen) ||
	    vd_ip_parse(OUTSIDE_ADDR, &outside))
		return;
	if (vd_prefix_nth(&net, plen, 100, &vm) &&
	    vd_prefix_nth(&net, plen, 2, &vm))
		return;
	vd_fib_lookup(f, &outside, &fib);
	up = fib.route ? vd_facts_link_by_index(f, fib.route->oif) : NULL;
	if (!up || (a->link && up->ifindex == a->link->ifindex))
		return; /* nowhere to forward to */
	memset(v, 0, sizeof(v));
	v[0].flow = (struct vd_fw_flow){ .family = VD_AF_INET,
					 .saddr = vm,
					 .daddr = outside,
					 .l4proto = 6,
					 .sport = EPHEMERAL_PORT,
					 .dport = OUTSIDE_PORT,
					 .daddr_local = VD_NO };
	snprintf(v[0].flow.iif, sizeof(v[0].flow.iif), "%s", a->name);
	snprintf(v[0].flow.oif, sizeof(v[0].flow.oif), "%s", up->name);
	v[1].flow = v[0].flow;
	memcpy(v[1].flow.iif, v[0].flow.oif, sizeof(v[1].flow.iif));
	memcpy(v[1].flow.oif, v[0].flow.iif, sizeof(v[1].flow.oif));
	v[1].flow.saddr = outside;
	v[1].flow.daddr = vm;
	v[1].flow.sport = OUTSIDE_PORT;
	v[1].flow.dport = EPHEMERAL_PORT;
	v[1].flow.ct = VD_FW_CT_ESTABLISHED;
	v[1].flow.ct_status =
		VD_FW_CTS_SEEN_REPLY | VD_FW_CTS_CONFIRMED | VD_FW_CTS_SNAT;
	for (int i = 0; i < 2 && !b; i++)
		if (vd_fw_eval_path(rs, &v[i].flow, VD_FW_PATH_ROUTED,
				    &v[i].res) == 0 &&
		    blocks(&v[i].res))
			b = &v[i];
	if (!b)
		return;
	vd_prefix_str(&net, plen, vms, sizeof(vms));
	fd = vd_finding_add(out, "L4.firewall-blocks", a->name,
			    "this host's firewall %s the traffic it routes "
			    "for %s's VMs (%s)",
			    verb(&b->res), a->name, vms);
	if (!fd)
		return;
	if (!is_block(b->res.verdict))
		fd->severity = VD_SEV_WARNING;
	evidence_block(out, fd, &b->res, &b->flow);
	vd_finding_evidence(out, fd, "%s", why);
	fe = blocking_ref(&b->res)->table ? blocking_ref(&b->res)->table->fe
					  : 0;
	if (fe & VD_FW_FE_DOCKER)
		vd_finding_evidence(out, fd,
				    "Docker set this: when it starts it makes "
				    "the FORWARD policy DROP and accepts only "
				    "its own bridges' traffic, which cuts the "
				    "VMs' routed and NATed traffic");
	memset(&al, 0, sizeof(al));
	al.iface = a->name;
	snprintf(al.nft, sizeof(al.nft), "iifname \"%s\" ip saddr %s", a->name,
		 vms);
	snprintf(al.nft2, sizeof(al.nft2),
		 "oifname \"%s\" ip daddr %s ct state established,related",
		 a->name, vms);
	snprintf(al.ipt, sizeof(al.ipt), "-i %s -s %s", a->name, vms);
	snprintf(al.ipt2, sizeof(al.ipt2),
		 "-o %s -d %s -m conntrack --ctstate RELATED,ESTABLISHED",
		 a->name, vms);
	snprintf(al.ufw, sizeof(al.ufw), "ufw route allow in on %s out on %s",
		 a->name, up->name);
	remedy_allow(out, fd, blocking_ref(&b->res), b->res.hook, &al);
}

void rule_firewall_blocks(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	char err[320], why[512];
	struct vd_fw_ruleset *rs = load_ruleset(c->facts, err, sizeof(err));

	for (size_t i = 0; c->opts && i < c->opts->n_targets; i++) {
		const struct vd_target *t = &c->opts->targets[i];

		if (!t->ip.family)
			continue;
		if (rs)
			judge_target(c, out, rs, t);
		else if (err[0])
			note_unjudged(out, t, err);
	}
	for (size_t i = 0; rs && i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];

		if (a->link && host_routes(c->facts, rs, a, why, sizeof(why)))
			judge_forward(c, out, rs, a, why);
	}
	vd_fw_ruleset_free(rs);
}

void rule_ip_forward_disabled(const struct vd_rule_ctx *c,
			      struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	char err[320], why[512];
	struct vd_fw_ruleset *rs;

	if (f->host.ip_forward != VD_NO)
		return;
	rs = load_ruleset(f, err, sizeof(err));
	for (size_t i = 0; i < c->adapters->n; i++) {
		const struct vd_adapter *a = &c->adapters->v[i];
		struct vd_finding *fd;

		if (!host_routes(f, rs, a, why, sizeof(why)))
			continue;
		fd = vd_finding_add(out, "L3.ip-forward-disabled", a->name,
				    "IP forwarding is off, but this host "
				    "routes for the VMs of %s",
				    a->name);
		vd_finding_evidence(out, fd, "net.ipv4.ip_forward = 0 (%s)",
				    f->host.ip_forward_src[0]
					    ? f->host.ip_forward_src
					    : "kernel");
		vd_finding_evidence(out, fd, "%s", why);
		vd_finding_remedy(out, fd, "sysctl -w net.ipv4.ip_forward=1");
		vd_finding_remedy(out, fd,
				  "echo 'net.ipv4.ip_forward = 1' > "
				  "/etc/sysctl.d/60-ip-forward.conf (and "
				  "remove any later file that sets it to 0)");
	}
	vd_fw_ruleset_free(rs);
}
