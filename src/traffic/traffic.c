/* SPDX-License-Identifier: MIT */
/*
 * The analyser's core: statistics, dispatch of each frame to its
 * trackers, the ageing sweep, and the end (judge what is left, run the
 * rules, link causes, gather the evidence frames).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traffic/tr.h"

#define SWEEP_US 1000000u /* capture time between ageing sweeps */

const char *const tr_code_names[TR_N] = {
	[TR_ARP_UNANS] = "L2.arp-unanswered",
	[TR_DUP_IP] = "L2.duplicate-ip",
	[TR_MAC_CONFLICT] = "L2.mac-conflict",
	[TR_VLAN] = "L2.vlan-mismatch",
	[TR_MTU] = "L2.mtu-mismatch",
	[TR_DHCP_NOOFFER] = "L3.dhcp-no-offer",
	[TR_DHCP_MULTI] = "L3.dhcp-multiple-servers",
	[TR_ICMP_UNREACH] = "L3.icmp-unreachable",
	[TR_DNS] = "L3.dns-failure",
	[TR_SYN] = "L4.syn-unanswered",
	[TR_CLOSED] = "L4.port-closed",
	[TR_RETRANS] = "L4.retransmissions",
};

struct walk {
	struct vd_traffic *t;
	struct vd_findings *out;
	vd_traffic_rule_fn fn;
};

static void walk_one(void *ctx, const void *key, void *val)
{
	struct walk *w = ctx;

	w->fn(w->t, w->out, key, val);
}

/* Run one registry entry over the tallies of its code. */
static void run_rule(struct vd_traffic *t, const struct vd_traffic_rule *r,
		     struct vd_findings *out)
{
	struct walk w = { t, out, r->fn };

	for (int c = 0; c < TR_N; c++)
		if (strcmp(tr_code_names[c], r->code) == 0)
			vd_tab_each(&t->tally[c], walk_one, &w);
}

void vd_traffic_opts_default(struct vd_traffic_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->reply_timeout_ms = 3000;
	o->idle_timeout_ms = 300000;
	o->min_unanswered = 2;
	o->mac_flaps = 4;
	o->retrans_min = 3;
	o->retrans_rate = 0.02;
	o->dns_fail_rate = 0.2;
	o->max_flows = 65536;
}

struct vd_traffic *vd_traffic_new(const struct vd_traffic_opts *o)
{
	struct vd_traffic *t = calloc(1, sizeof(*t));
	int bad = 0;

	if (!t)
		return NULL;
	t->o = *o;
	if (t->o.max_flows < 16)
		t->o.max_flows = 16;
	if (t->o.min_unanswered < 1)
		t->o.min_unanswered = 1;
	t->timeout_us = (uint64_t)o->reply_timeout_ms * 1000u;
	t->idle_us = (uint64_t)o->idle_timeout_ms * 1000u;
	if (t->idle_us < t->timeout_us)
		t->idle_us = t->timeout_us;
	for (size_t i = 0; i < o->n_vlans && i < VD_TRAFFIC_MAX_VLANS; i++)
		t->vlan_ok[(o->vlans[i] & 4095) / 8] |=
			(uint8_t)(1u << (o->vlans[i] % 8));
	for (int c = 0; c < TR_N; c++)
		bad |= vd_tab_init(&t->tally[c], sizeof(struct tr_key),
				   sizeof(struct tr_tally), TR_MAX_SUBJECTS,
				   NULL, t);
	bad |= tr_flow_init(t) | tr_arp_init(t) | tr_icmp_init(t) |
	       tr_dhcp_init(t) | tr_dns_init(t);
	if (bad) {
		vd_traffic_free(t);
		return NULL;
	}
	return t;
}

void vd_traffic_free(struct vd_traffic *t)
{
	if (!t)
		return;
	vd_tab_free(&t->flows);
	vd_tab_free(&t->syns);
	vd_tab_free(&t->arp_req);
	vd_tab_free(&t->claims);
	vd_tab_free(&t->macs);
	vd_tab_free(&t->echo);
	vd_tab_free(&t->dhcp_cli);
	vd_tab_free(&t->dns_q);
	for (int c = 0; c < TR_N; c++)
		vd_tab_free(&t->tally[c]);
	free(t->rows);
	free(t->frames);
	free(t);
}

static uint64_t before(uint64_t now, uint64_t span)
{
	return now > span ? now - span : 0;
}

/* Age out what has waited long enough. */
static void sweep(struct vd_traffic *t)
{
	uint64_t judged = before(t->now_us, t->timeout_us);
	uint64_t idle = before(t->now_us, t->idle_us);

	vd_tab_expire(&t->arp_req, judged);
	vd_tab_expire(&t->echo, judged);
	vd_tab_expire(&t->dhcp_cli, judged);
	vd_tab_expire(&t->dns_q, judged);
	vd_tab_expire(&t->syns, judged);
	t->next_sweep = t->now_us + SWEEP_US;
	/* The idle tables are large and their timeout long: a tenth of it
	 * between their sweeps is soon enough. */
	if (t->now_us >= t->next_idle_sweep) {
		vd_tab_expire(&t->flows, idle);
		vd_tab_expire(&t->claims, idle);
		vd_tab_expire(&t->macs, idle);
		t->next_idle_sweep = t->now_us + t->idle_us / 10;
	}
}

static void count(struct vd_traffic_stats *st, const struct vd_pkt *p)
{
	uint32_t f = p->flags;

	st->trunc += !!(f & VD_PKT_TRUNC);
	st->bad += !!(f & VD_PKT_BAD);
	st->vlan += !!(f & VD_PKT_VLAN);
	st->arp += !!(f & VD_PKT_ARP);
	st->ipv4 += !!(f & VD_PKT_IPV4);
	st->ipv6 += !!(f & VD_PKT_IPV6);
	st->tcp += !!(f & VD_PKT_TCP);
	st->udp += !!(f & VD_PKT_UDP);
	st->icmp += !!(f & VD_PKT_ICMP);
	st->dhcp += !!(f & VD_PKT_DHCP);
	st->dns += !!(f & VD_PKT_DNS);
	st->other += !(f & (VD_PKT_ARP | VD_PKT_IPV4 | VD_PKT_IPV6));
}

void vd_traffic_feed(struct vd_traffic *t, uint64_t frame, uint64_t ts_us,
		     const struct vd_pkt *p)
{
	uint16_t vlan = p->n_vlan ? p->vlan[0] & 4095 : 0;
	uint32_t f = p->flags;

	if (t->st.frames++ == 0) {
		t->st.first_us = ts_us;
		t->next_sweep = ts_us + SWEEP_US;
		t->next_idle_sweep = ts_us + t->idle_us / 10;
	}
	/* Time never runs backwards here, even when the records do. */
	if (ts_us > t->now_us)
		t->now_us = ts_us;
	t->st.last_us = t->now_us;
	t->st.bytes += p->wirelen ? p->wirelen : p->caplen;
	count(&t->st, p);
	if (t->now_us >= t->next_sweep)
		sweep(t);

	if (t->o.n_vlans && !(t->vlan_ok[vlan / 8] & (1u << (vlan % 8)))) {
		char s[TR_SUBJECT_MAX];
		struct tr_tally *tl;

		snprintf(s, sizeof(s), "vlan %u", vlan);
		tl = tr_tally(t, TR_VLAN, s, 1);
		if (tl) {
			tl->n[0]++;
			tl->n[2] = vlan;
			tr_tally_frame(tl, frame);
		}
	}
	if (f & VD_PKT_ARP) {
		tr_arp_feed(t, frame, p, vlan);
		return;
	}
	if (f & VD_PKT_ICMP) {
		if (f & VD_PKT_NDP)
			tr_ndp_feed(t, frame, p, vlan);
		tr_icmp_feed(t, frame, p, vlan);
		return;
	}
	if (f & (VD_PKT_TCP | VD_PKT_UDP))
		tr_flow_feed(t, frame, p, vlan);
	if (f & VD_PKT_DHCP)
		tr_dhcp_feed(t, frame, p, vlan);
	else if (f & VD_PKT_DNS)
		tr_dns_feed(t, frame, p);
}

void vd_traffic_advance(struct vd_traffic *t, uint64_t now_us)
{
	if (t->st.frames && now_us > t->now_us)
		t->now_us = now_us;
}

/* "S:P" or "[S]:P" -> "S". */
static void host_of(const char *subject, char *buf, size_t len)
{
	const char *colon = strrchr(subject, ':');
	size_t n = colon ? (size_t)(colon - subject) : strlen(subject);

	if (n && subject[0] == '[' && subject[n - 1] == ']') {
		subject++;
		n -= 2;
	}
	if (n >= len)
		n = len - 1;
	memcpy(buf, subject, n);
	buf[n] = '\0';
}

static void link_cause(struct vd_findings *fl, struct vd_finding *f,
		       const char *code, const char *subject)
{
	const struct vd_finding *c;

	if (f->caused_by)
		return;
	c = vd_findings_find(fl, code, subject);
	if (c) {
		f->caused_by = c->check->code;
		f->cause_subject = c->subject;
	}
}

/* One finding explains another (docs/traffic.md). */
static void link_causes(struct vd_findings *fl)
{
	char host[TR_SUBJECT_MAX], vlan[TR_SUBJECT_MAX];

	for (size_t i = 0; i < fl->n; i++) {
		struct vd_finding *f = &fl->v[i];
		const char *code = f->check->code, *sp;

		if (strcmp(code, "L4.syn-unanswered") == 0) {
			host_of(f->subject, host, sizeof(host));
			link_cause(fl, f, "L3.icmp-unreachable", host);
			link_cause(fl, f, "L2.arp-unanswered", host);
		} else if (strcmp(code, "L3.dns-failure") == 0) {
			link_cause(fl, f, "L3.icmp-unreachable", f->subject);
			link_cause(fl, f, "L2.arp-unanswered", f->subject);
		} else if (strcmp(code, "L2.arp-unanswered") == 0 &&
			   (sp = strstr(f->subject, " vlan ")) != NULL) {
			snprintf(vlan, sizeof(vlan), "%s", sp + 1);
			link_cause(fl, f, "L2.vlan-mismatch", vlan);
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_row(const void *a, const void *b)
{
	const struct vd_flow_row *x = a, *y = b;

	return (x->first_frame > y->first_frame) -
	       (x->first_frame < y->first_frame);
}

int vd_traffic_finish(struct vd_traffic *t, struct vd_findings *out)
{
	size_t k = 0;

	t->ending = true;
	vd_tab_expire(&t->arp_req, UINT64_MAX);
	vd_tab_expire(&t->echo, UINT64_MAX);
	vd_tab_expire(&t->dhcp_cli, UINT64_MAX);
	vd_tab_expire(&t->dns_q, UINT64_MAX);
	vd_tab_expire(&t->flows, UINT64_MAX);
	vd_tab_expire(&t->syns, UINT64_MAX);
	t->st.flows_evicted = t->flows.evicted;
	t->st.peak_flows = t->flows.peak;

	for (size_t i = 0; i < vd_traffic_rules_len; i++)
		run_rule(t, &vd_traffic_rules[i], out);
	link_causes(out);

	if (t->n_frames) {
		qsort(t->frames, t->n_frames, sizeof(*t->frames), cmp_u64);
		for (size_t i = 0; i < t->n_frames; i++)
			if (t->frames[i] &&
			    (k == 0 || t->frames[i] != t->frames[k - 1]))
				t->frames[k++] = t->frames[i];
		t->n_frames = k;
	}
	if (t->n_rows)
		qsort(t->rows, t->n_rows, sizeof(*t->rows), cmp_row);
	return t->oom || out->oom ? -ENOMEM : 0;
}

const struct vd_traffic_stats *vd_traffic_stats(const struct vd_traffic *t)
{
	return &t->st;
}

size_t vd_traffic_flows(const struct vd_traffic *t,
			const struct vd_flow_row **rows, uint64_t *dropped)
{
	*rows = t->rows;
	*dropped = t->rows_dropped;
	return t->n_rows;
}

size_t vd_traffic_frames(const struct vd_traffic *t, const uint64_t **frames)
{
	*frames = t->frames;
	return t->n_frames;
}
