/* SPDX-License-Identifier: MIT */
/*
 * TCP and UDP conversations: packets and bytes each way, SYNs waiting for
 * an answer, RSTs answering them, and retransmitted data (docs/traffic.md).
 * A TCP flow is finished when it closes (RST, or FIN both ways), when it
 * idles out, or when the table needs its room.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traffic/tr.h"

struct flow_key {
	uint8_t family, proto;
	uint16_t vlan;
	uint16_t aport, bport;
	uint8_t a[16], b[16];
};

#define F_OPENED  0x01 /* the opener is known from a SYN */
#define F_HI_A	  0x02 /* hi_end[0] is set */
#define F_HI_B	  0x04
#define F_SYNACK  0x08
#define F_RST	  0x10
#define F_FIN_A	  0x20
#define F_FIN_B	  0x40
#define F_CLOSED  0x80 /* a SYN was answered by a RST */
#define RT_FRAMES 3

/* Small: a lookup a packet, and the table holds tens of thousands. */
struct flow_val {
	struct vd_tab_val h;
	uint64_t first_us, first_frame;
	uint64_t bytes[2];
	uint32_t pkts[2];
	uint32_t hi_end[2]; /* highest sequence sent + 1, each way */
	uint32_t data[2], retrans[2];
	uint64_t rt_frames[2][RT_FRAMES];
	uint8_t opener; /* 0: a, 1: b */
	uint8_t flags;
};

/* SYNs waiting for an answer, apart from the flows (few at a time). */
struct syn_val {
	struct vd_tab_val h;
	struct tr_pend p;
};

static void endpoints(const struct flow_key *k, int dir, struct vd_ip *src,
		      uint16_t *sport, struct vd_ip *dst, uint16_t *dport)
{
	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	src->family = dst->family = k->family;
	memcpy(src->b, dir ? k->b : k->a, 16);
	memcpy(dst->b, dir ? k->a : k->b, 16);
	*sport = dir ? k->bport : k->aport;
	*dport = dir ? k->aport : k->bport;
}

/* ctx: the flow's key; a SYN to the other side went unanswered. */
static void syn_unanswered(struct vd_traffic *t, void *ctx, uint64_t us,
			   uint64_t frame, uint32_t opener)
{
	const struct flow_key *k = ctx;
	struct vd_ip c, s;
	uint16_t cp, sp;
	char subj[TR_SUBJECT_MAX];
	struct tr_tally *tl;

	(void)us;
	endpoints(k, (int)opener, &c, &cp, &s, &sp);
	tr_ip_port(&s, sp, subj, sizeof(subj));
	tl = tr_tally(t, TR_SYN, subj, 0);
	if (!tl)
		return;
	tl->n[0]++;
	tr_tally_ip(tl, &c);
	tr_tally_frame(tl, frame);
}

static const char *flow_state(const struct flow_val *v, uint8_t proto)
{
	if (proto != 6)
		return "-";
	if (v->flags & F_CLOSED)
		return "refused";
	if (v->flags & F_RST)
		return "reset";
	if ((v->flags & (F_FIN_A | F_FIN_B)) == (F_FIN_A | F_FIN_B))
		return "closed";
	if (v->flags & F_SYNACK)
		return "established";
	if (v->flags & F_OPENED)
		return v->pkts[!v->opener] ? "syn-answered" : "syn-unanswered";
	return "mid-stream";
}

static void add_row(struct vd_traffic *t, const struct flow_key *k,
		    const struct flow_val *v)
{
	struct vd_flow_row *r;
	int o = v->opener;

	if (t->n_rows >= t->o.max_flows) {
		t->rows_dropped++;
		return;
	}
	if (t->n_rows == t->cap_rows) {
		size_t cap = t->cap_rows ? t->cap_rows * 2 : 256;

		r = realloc(t->rows, cap * sizeof(*r));
		if (!r) {
			t->oom = 1;
			return;
		}
		t->rows = r;
		t->cap_rows = cap;
	}
	r = &t->rows[t->n_rows++];
	memset(r, 0, sizeof(*r));
	r->proto = k->proto;
	r->vlan = k->vlan;
	endpoints(k, o, &r->a, &r->aport, &r->b, &r->bport);
	r->pkts_ab = v->pkts[o];
	r->pkts_ba = v->pkts[!o];
	r->bytes_ab = v->bytes[o];
	r->bytes_ba = v->bytes[!o];
	r->retrans_ab = v->retrans[o];
	r->retrans_ba = v->retrans[!o];
	r->first_frame = v->first_frame;
	r->first_us = v->first_us;
	r->last_us = v->h.last_us;
	r->state = flow_state(v, k->proto);
}

/* Judge one direction's retransmissions. */
static void judge_retrans(struct vd_traffic *t, const struct flow_key *k,
			  const struct flow_val *v, int dir)
{
	struct vd_ip c, s, x, y;
	uint16_t cp, sp, xp, yp;
	char subj[TR_SUBJECT_MAX], a[56], b[56];
	struct tr_tally *tl;

	if (v->retrans[dir] < t->o.retrans_min ||
	    (double)v->retrans[dir] < t->o.retrans_rate * (double)v->data[dir])
		return;
	endpoints(k, v->opener, &c, &cp, &s, &sp);
	tr_ip_port(&c, cp, a, sizeof(a));
	tr_ip_port(&s, sp, b, sizeof(b));
	snprintf(subj, sizeof(subj), "%s -> %s", a, b);
	tl = tr_tally(t, TR_RETRANS, subj, (uint32_t)dir);
	if (!tl)
		return;
	endpoints(k, dir, &x, &xp, &y, &yp);
	tr_tally_ip(tl, &x); /* the sender that retransmits */
	tl->n[0] += v->retrans[dir];
	tl->n[1] += v->data[dir];
	tl->n[2] = xp;
	for (int i = 0; i < RT_FRAMES && i < (int)v->retrans[dir]; i++)
		tr_tally_frame(tl, v->rt_frames[dir][i]);
	if (v->retrans[dir] > RT_FRAMES)
		tl->n_frames += v->retrans[dir] - RT_FRAMES;
}

static void flow_finish(void *ctx, const void *key, void *val)
{
	struct vd_traffic *t = ctx;
	const struct flow_key *k = key;
	struct flow_val *v = val;

	struct syn_val *sv = vd_tab_get(&t->syns, k);

	if (sv) {
		tr_pend_close(t, &sv->p, syn_unanswered, (void *)k);
		vd_tab_del(&t->syns, k);
	}
	if (k->proto == 6) {
		judge_retrans(t, k, v, 0);
		judge_retrans(t, k, v, 1);
	}
	if (t->o.keep_flows)
		add_row(t, k, v);
}

/* Retransmissions of data: a segment wholly at or below what was sent. */
static void seq_track(struct flow_val *v, int dir, uint64_t frame,
		      const struct vd_pkt *p)
{
	uint32_t seq = p->tcp.seq, len = (uint32_t)p->payload_len;
	uint32_t end;
	uint8_t hi = dir ? F_HI_B : F_HI_A;

	if (p->tcp.flags & (VD_TCP_SYN | VD_TCP_FIN))
		len += 1;
	end = seq + len;
	if (!(v->flags & hi)) {
		v->flags |= hi;
		v->hi_end[dir] = end;
		if (p->payload_len)
			v->data[dir]++;
		return;
	}
	if (p->payload_len == 0)
		return;
	v->data[dir]++;
	if ((int32_t)(end - v->hi_end[dir]) > 0) {
		v->hi_end[dir] = end;
		return;
	}
	/* A keep-alive: one byte (or none) just below what was sent. */
	if (p->payload_len <= 1 && seq == v->hi_end[dir] - 1)
		return;
	if (v->retrans[dir] < RT_FRAMES)
		v->rt_frames[dir][v->retrans[dir]] = frame;
	v->retrans[dir]++;
}

void tr_flow_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		  uint16_t vlan)
{
	struct flow_key k;
	struct flow_val *v;
	size_t alen = p->src.family == VD_AF_INET6 ? 16 : 4;
	int c, dir;
	bool created;

	memset(&k, 0, sizeof(k));
	k.family = p->src.family;
	k.proto = p->proto;
	k.vlan = vlan;
	c = memcmp(p->src.b, p->dst.b, alen);
	dir = c > 0 || (c == 0 && p->sport > p->dport);
	memcpy(k.a, dir ? p->dst.b : p->src.b, alen);
	memcpy(k.b, dir ? p->src.b : p->dst.b, alen);
	k.aport = dir ? p->dport : p->sport;
	k.bport = dir ? p->sport : p->dport;

	v = vd_tab_get(&t->flows, &k);
	/* The last ACK after a close (and bare ACKs of a conversation that
	 * began before the capture) open no flow. */
	if (!v && k.proto == 6 && !(p->tcp.flags & VD_TCP_SYN) &&
	    p->payload_len == 0)
		return;
	if (!v)
		v = vd_tab_put(&t->flows, &k, t->now_us, &created);
	else
		created = false;
	if (created) {
		t->st.flows++;
		v->first_us = t->now_us;
		v->first_frame = frame;
		v->opener = (uint8_t)dir;
	}
	v->h.last_us = t->now_us;
	v->pkts[dir]++;
	v->bytes[dir] += p->wirelen ? p->wirelen : p->caplen;
	if (k.proto != 6)
		return;

	if ((p->tcp.flags & (VD_TCP_SYN | VD_TCP_ACK)) == VD_TCP_SYN) {
		if (!(v->flags & F_OPENED)) {
			v->flags |= F_OPENED;
			v->opener = (uint8_t)dir;
		}
		if (dir == v->opener) {
			struct syn_val *sv =
				vd_tab_put(&t->syns, &k, t->now_us, &created);

			sv->h.last_us = t->now_us;
			tr_pend_add(t, &sv->p, frame, (uint32_t)dir,
				    syn_unanswered, &k);
		}
	} else if (dir != v->opener && (v->flags & F_OPENED) &&
		   (p->tcp.flags & (VD_TCP_SYN | VD_TCP_RST))) {
		/* The answer to the SYNs: SYN-ACK or RST. */
		struct syn_val *sv = vd_tab_get(&t->syns, &k);
		uint64_t syn_frame =
			sv && sv->p.n ? sv->p.frame[sv->p.n - 1] : 0;
		unsigned n = sv ? tr_pend_answer(t, &sv->p, true, 0,
						 syn_unanswered, &k)
				: 0;

		if (sv && sv->p.n == 0)
			vd_tab_del(&t->syns, &k);

		if (p->tcp.flags & VD_TCP_SYN) {
			v->flags |= F_SYNACK;
		} else if (n && !(v->flags & F_SYNACK)) {
			struct vd_ip s;
			char subj[TR_SUBJECT_MAX];
			struct tr_tally *tl;

			s = p->src;
			tr_ip_port(&s, p->sport, subj, sizeof(subj));
			tl = tr_tally(t, TR_CLOSED, subj, 0);
			if (tl) {
				tl->n[0]++;
				tr_tally_ip(tl, &p->dst);
				tr_tally_frame(tl, syn_frame);
				tr_tally_frame(tl, frame);
			}
			v->flags |= F_CLOSED;
		}
	}
	seq_track(v, dir, frame, p);
	if (p->tcp.flags & VD_TCP_RST)
		v->flags |= F_RST;
	if (p->tcp.flags & VD_TCP_FIN)
		v->flags |= dir ? F_FIN_B : F_FIN_A;
	/* Closed: finish it now and make room. */
	if ((v->flags & F_RST) ||
	    (v->flags & (F_FIN_A | F_FIN_B)) == (F_FIN_A | F_FIN_B)) {
		flow_finish(t, &k, v);
		vd_tab_del(&t->flows, &k);
	}
}

static void syn_finish(void *ctx, const void *key, void *val)
{
	struct syn_val *v = val;

	tr_pend_close(ctx, &v->p, syn_unanswered, (void *)key);
}

int tr_flow_init(struct vd_traffic *t)
{
	return vd_tab_init(&t->flows, sizeof(struct flow_key),
			   sizeof(struct flow_val), t->o.max_flows, flow_finish,
			   t) ||
	       vd_tab_init(&t->syns, sizeof(struct flow_key),
			   sizeof(struct syn_val), t->o.max_flows / 4 + 64,
			   syn_finish, t);
}
