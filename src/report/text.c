/* SPDX-License-Identifier: MIT */
/* The report for people: root cause first, then layer by layer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "util/ip.h"
#include "util/strbuf.h"

#define WIDTH 78

struct pen {
	bool on;
};

static const char *c_(const struct pen *p, const char *code)
{
	return p->on ? code : "";
}

#define RESET(p)  c_(p, "\033[0m")
#define BOLD(p)	  c_(p, "\033[1m")
#define DIM(p)	  c_(p, "\033[2m")
#define RED(p)	  c_(p, "\033[1;31m")
#define YELLOW(p) c_(p, "\033[1;33m")
#define CYAN(p)	  c_(p, "\033[36m")
#define GREEN(p)  c_(p, "\033[32m")

static const char *sev_color(const struct pen *p, enum vd_severity s)
{
	return s == VD_SEV_CRITICAL  ? RED(p)
	       : s == VD_SEV_WARNING ? YELLOW(p)
				     : CYAN(p);
}

static const char *sev_tag(enum vd_severity s)
{
	return s == VD_SEV_CRITICAL  ? "CRIT"
	       : s == VD_SEV_WARNING ? "WARN"
				     : "info";
}

static void header(struct vd_strbuf *sb, const struct vd_report *r,
		   const struct pen *p)
{
	const struct vd_facts *f = r->facts;
	const struct vd_adapters *a = r->adapters;
	char ip[VD_IPSTR_MAX];

	if (f) {
		vd_sb_printf(sb, "%svnetdiag %s%s: %s", BOLD(p), VD_VERSION,
			     RESET(p),
			     f->host.hostname[0] ? f->host.hostname : "?");
		if (f->host.os_pretty[0])
			vd_sb_printf(sb, ", %s", f->host.os_pretty);
		if (f->host.kernel[0])
			vd_sb_printf(sb, ", kernel %s", f->host.kernel);
		vd_sb_printf(sb, "\n");
		bool live = !r->source || strcmp(r->source, "live") == 0;

		vd_sb_printf(sb, "source: %s%s%s%s\n",
			     r->source ? r->source : "live",
			     f->collected_at[0] ? ", collected " : "",
			     f->collected_at,
			     live && !r->probes_run
				     ? " (passive: no packets sent)"
				     : "");
		vd_report_topology(sb, f);
		vd_report_services(sb, f);
	}
	if (!a)
		return;
	if (!a->n) {
		vd_sb_printf(sb,
			     "adapters: none found (looked for the VMware "
			     "configuration and vmnet*, virbr*, vboxnet*, "
			     "vEthernet*;\n          name one with --adapter "
			     "IFACE)\n");
		return;
	}
	vd_sb_printf(sb, "adapters:");
	for (size_t i = 0; i < a->n; i++) {
		const struct vd_adapter *ad = &a->v[i];
		int addrs = 0;

		vd_sb_printf(sb, "%s %s%s%s (", i ? "," : "", BOLD(p), ad->name,
			     RESET(p));
		if (!ad->link) {
			vd_sb_printf(sb, "absent)");
			continue;
		}
		vd_sb_printf(sb, "%s",
			     !(ad->link->flags & VD_IFF_UP) ? "down"
			     : !(ad->link->flags & VD_IFF_LOWER_UP)
				     ? "no carrier"
				     : "up");
		for (size_t k = 0; f && k < f->n_addrs; k++) {
			const struct vd_addr *ad4 = &f->addrs[k];

			if (ad4->ifindex != ad->link->ifindex ||
			    ad4->ip.family != VD_AF_INET || addrs++ >= 2)
				continue;
			vd_sb_printf(sb, " %s/%u",
				     vd_ip_str(&ad4->ip, ip, sizeof(ip)),
				     ad4->prefixlen);
		}
		vd_sb_printf(sb, ")");
	}
	vd_sb_printf(sb, "\n");
}

/* One line per step of the walk to each target: what the probes saw. */
static void path_section(struct vd_strbuf *sb, const struct vd_report *r,
			 const struct pen *p)
{
	const struct vd_facts *f = r->facts;
	const struct vd_probes *pr = f ? &f->probes : NULL;
	char ip[VD_IPSTR_MAX], mac[VD_MACSTR_MAX], tmp[32];

	if (!pr || !pr->ran)
		return;
	for (size_t t = 0; t < r->n_targets; t++) {
		const struct vd_target *tg = &r->targets[t];
		const struct vd_route_get *rg = NULL;
		struct vd_ip hop;

		if (!tg->ip.family)
			continue;
		vd_sb_printf(sb, "\n%spath to %s", BOLD(p), tg->host);
		if (tg->port > 0)
			vd_sb_printf(sb, " port %d", tg->port);
		vd_sb_printf(sb, "%s\n", RESET(p));
		for (size_t i = 0; i < pr->n_routes; i++)
			if (vd_ip_equal(&pr->routes[i].target, &tg->ip))
				rg = &pr->routes[i];
		if (!rg)
			continue;
		if (rg->err) {
			vd_sb_printf(sb, "  route  %sX%s %s\n", RED(p),
				     RESET(p), strerror(rg->err));
			continue;
		}
		hop = rg->gateway.family ? rg->gateway : tg->ip;
		vd_sb_printf(sb, "  route  %s+%s dev %s%s%s%s\n", GREEN(p),
			     RESET(p),
			     vd_facts_ifname(f, rg->oif, tmp, sizeof(tmp)),
			     rg->gateway.family ? " via " : " (on-link)",
			     rg->gateway.family
				     ? vd_ip_str(&rg->gateway, ip, sizeof(ip))
				     : "",
			     rg->type == VD_RTN_LOCAL ? " (this host)" : "");
		for (size_t i = 0; i < pr->n_arps; i++) {
			const struct vd_arp_result *a = &pr->arps[i];

			if (!vd_ip_equal(&a->target, &hop))
				continue;
			vd_sb_printf(sb, "  arp    %s%s%s %s",
				     a->n_macs == 1 ? GREEN(p) : RED(p),
				     a->n_macs == 1 ? "+" : "X", RESET(p),
				     vd_ip_str(&hop, ip, sizeof(ip)));
			if (!a->n_macs)
				vd_sb_printf(sb, ": no reply to %u requests",
					     a->sent);
			for (unsigned m = 0; m < a->n_macs; m++)
				vd_sb_printf(sb, "%s %s", m ? "," : " is-at",
					     vd_mac_str(a->macs[m], 6, mac,
							sizeof(mac)));
			vd_sb_printf(sb, "\n");
		}
		for (size_t i = 0; i < pr->n_pings; i++) {
			const struct vd_ping_result *g = &pr->pings[i];

			if (!vd_ip_equal(&g->target, &tg->ip))
				continue;
			vd_sb_printf(sb, "  ping   %s%s%s %u/%u replies",
				     g->received ? GREEN(p) : RED(p),
				     g->received ? "+" : "X", RESET(p),
				     g->received, g->sent);
			if (g->received)
				vd_sb_printf(sb, ", rtt %.2f ms",
					     g->rtt_avg_us / 1000.0);
			if (g->n_errors)
				vd_sb_printf(sb, ", %u ICMP errors from %s",
					     g->n_errors,
					     vd_ip_str(&g->error.from, ip,
						       sizeof(ip)));
			vd_sb_printf(sb, "\n");
		}
		for (size_t i = 0; i < pr->n_mtus; i++) {
			const struct vd_mtu_result *m = &pr->mtus[i];
			bool bad = m->black_hole || m->error.type;

			if (!vd_ip_equal(&m->target, &tg->ip) || !m->path_mtu)
				continue;
			vd_sb_printf(sb, "  mtu    %s%s%s %u bytes pass",
				     bad ? YELLOW(p) : GREEN(p),
				     bad ? "!" : "+", RESET(p), m->path_mtu);
			if (m->black_hole)
				vd_sb_printf(sb, ", %u vanish", m->first_lost);
			if (m->error.type)
				vd_sb_printf(sb, ", frag-needed from %s",
					     vd_ip_str(&m->error.from, ip,
						       sizeof(ip)));
			vd_sb_printf(sb, "\n");
		}
		for (size_t i = 0; tg->port > 0 && i < pr->n_tcps; i++) {
			const struct vd_tcp_result *c = &pr->tcps[i];
			static const char *const st[] = {
				"?",	    "open",	   "closed",
				"filtered", "unreachable", "error"
			};

			if (!vd_ip_equal(&c->target, &tg->ip) ||
			    c->port != tg->port)
				continue;
			vd_sb_printf(
				sb, "  tcp    %s%s%s port %u %s\n",
				c->state == VD_PORT_OPEN ? GREEN(p) : RED(p),
				c->state == VD_PORT_OPEN ? "+" : "X", RESET(p),
				c->port, st[c->state <= 5 ? c->state : 0]);
		}
	}
}

static void finding_body(struct vd_strbuf *sb, const struct vd_finding *f,
			 const char *indent, const struct pen *p)
{
	for (size_t i = 0; i < f->n_evidence; i++)
		vd_sb_printf(sb, "%s%s%s%s %s\n", indent, DIM(p),
			     i ? "         " : "evidence:", RESET(p),
			     f->evidence[i]);
	for (size_t i = 0; i < f->n_remedy; i++)
		vd_sb_printf(sb, "%s%s%s%s %s\n", indent, GREEN(p),
			     i ? "         " : "fix:     ", RESET(p),
			     f->remedy[i]);
}

static void root_box(struct vd_strbuf *sb, const struct vd_finding *f,
		     const struct pen *p)
{
	const char *title = "+-- ROOT CAUSE ";

	vd_sb_printf(sb, "\n%s%s", sev_color(p, f->severity), title);
	vd_sb_repeat(sb, "-", WIDTH - strlen(title));
	vd_sb_printf(sb, "%s\n", RESET(p));
	vd_sb_printf(sb, "| %s%s %s%s  %s\n", sev_color(p, f->severity),
		     vd_severity_name(f->severity), f->check->code, RESET(p),
		     f->subject);
	vd_sb_printf(sb, "| %s%s%s\n", BOLD(p), f->title, RESET(p));
	finding_body(sb, f, "|   ", p);
	vd_sb_printf(sb, "|   %smore:%s     vnetdiag explain %s\n", DIM(p),
		     RESET(p), f->check->code);
	vd_sb_printf(sb, "%s+", sev_color(p, f->severity));
	vd_sb_repeat(sb, "-", WIDTH - 1);
	vd_sb_printf(sb, "%s\n", RESET(p));
}

static const enum vd_layer layers[] = { VD_L1, VD_L2, VD_L3,
					VD_L4, VD_L7, VD_HOST };

static void layer_section(struct vd_strbuf *sb, const struct vd_report *r,
			  enum vd_layer l, const struct pen *p)
{
	const struct vd_findings *fl = r->findings;
	char head[64];
	size_t n = 0;

	snprintf(head, sizeof(head), "%-4s %s", vd_layer_name(l),
		 vd_layer_title(l));
	for (size_t i = 0; i < fl->n; i++)
		n += fl->v[i].check->layer == l;
	if (!n) {
		vd_sb_printf(sb, "%s%s%s", BOLD(p), head, RESET(p));
		vd_sb_repeat(sb, " ", WIDTH - 2 - strlen(head));
		vd_sb_printf(sb, "%sok%s\n", GREEN(p), RESET(p));
		return;
	}
	vd_sb_printf(sb, "%s%s%s\n", BOLD(p), head, RESET(p));
	for (size_t i = 0; i < fl->n; i++) {
		const struct vd_finding *f = &fl->v[i];

		if (f->check->layer != l)
			continue;
		vd_sb_printf(sb, "  %s[%s]%s %s%s%s  %s",
			     sev_color(p, f->severity), sev_tag(f->severity),
			     RESET(p), BOLD(p), f->check->code, RESET(p),
			     f->title);
		if (f == r->verdict->root_cause) {
			/* Its evidence and fix stand in the box above. */
			vd_sb_printf(sb, "  %s(root cause, above)%s\n", RED(p),
				     RESET(p));
			continue;
		} else if (f->caused_by)
			vd_sb_printf(sb, "  %s(caused by %s)%s", DIM(p),
				     f->caused_by, RESET(p));
		vd_sb_printf(sb, "\n");
		if (f->cause) {
			/* A consequence: its own fix comes after the cause's. */
			struct vd_finding quiet = *f;

			quiet.n_remedy = 0;
			finding_body(sb, &quiet, "         ", p);
			vd_sb_printf(
				sb,
				"         %sfix:     %s fix %s first; this "
				"should then clear\n",
				GREEN(p), RESET(p), f->caused_by);
			continue;
		}
		finding_body(sb, f, "         ", p);
	}
}

static void summary(struct vd_strbuf *sb, const struct vd_report *r,
		    const struct pen *p)
{
	const struct vd_findings *fl = r->findings;
	const struct vd_finding *root = r->verdict->root_cause;
	size_t n[4] = { 0 };
	enum vd_status st = r->verdict->status;

	for (size_t i = 0; i < fl->n; i++)
		n[fl->v[i].severity]++;
	vd_sb_printf(sb, "\n%s%s%s: %zu critical, %zu warning%s, %zu info",
		     st == VD_STATUS_OK	       ? GREEN(p)
		     : st == VD_STATUS_WARNING ? YELLOW(p)
					       : RED(p),
		     vd_status_name(st), RESET(p), n[VD_SEV_CRITICAL],
		     n[VD_SEV_WARNING], n[VD_SEV_WARNING] == 1 ? "" : "s",
		     n[VD_SEV_INFO]);
	if (root)
		vd_sb_printf(sb, "; root cause %s (%s)", root->check->code,
			     root->subject);
	vd_sb_printf(sb, "\n");
}

int vd_report_text(const struct vd_report *r, char **out)
{
	struct vd_strbuf sb = { 0 };
	struct pen p = { r->color };
	char *s;

	header(&sb, r, &p);
	path_section(&sb, r, &p);
	if (r->verdict->root_cause)
		root_box(&sb, r->verdict->root_cause, &p);
	vd_sb_printf(&sb, "\n");
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
		layer_section(&sb, r, layers[i], &p);
	summary(&sb, r, &p);
	s = vd_sb_take(&sb);
	if (!s)
		return -ENOMEM;
	*out = s;
	return 0;
}
