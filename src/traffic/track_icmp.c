/* SPDX-License-Identifier: MIT */
/*
 * ICMP and ICMPv6: destination-unreachable messages, too-big messages,
 * and echoes, whose large-with-DF-lost-while-small-pass pattern is a path
 * MTU black hole (docs/traffic.md).
 */
#include <stdio.h>
#include <string.h>

#include "traffic/tr.h"
#include "util/ip.h"

struct echo_key {
	uint8_t family, pad;
	uint16_t id, seq;
	uint8_t src[16], dst[16];
	uint16_t pad2;
};

struct echo_val {
	struct vd_tab_val h;
	uint64_t frame;
	uint16_t ip_len;
	bool df;
};

#define LARGE 1000 /* IP length of a "large" echo */
#define SMALL 576  /* ... and of a small one */

static void echo_key_of(struct echo_key *k, const struct vd_pkt *p, bool reply)
{
	memset(k, 0, sizeof(*k));
	k->family = p->src.family;
	k->id = p->icmp.id;
	k->seq = p->icmp.seq;
	memcpy(k->src, reply ? p->dst.b : p->src.b, 16);
	memcpy(k->dst, reply ? p->src.b : p->dst.b, 16);
}

static struct tr_tally *mtu_tally(struct vd_traffic *t, const uint8_t b[16],
				  uint8_t family, uint32_t sub)
{
	return tr_tally_addr(t, TR_MTU, family, b, sub);
}

static void echo_finish(void *ctx, const void *key, void *val)
{
	struct vd_traffic *t = ctx;
	const struct echo_key *k = key;
	const struct echo_val *v = val;
	struct tr_tally *tl;

	if (tr_too_recent(t, v->h.last_us)) {
		t->st.pending++;
		return;
	}
	if (v->ip_len <= LARGE || (k->family == VD_AF_INET && !v->df))
		return;
	tl = mtu_tally(t, k->dst, k->family, 2);
	if (tl) {
		tl->n[1]++;
		tr_tally_frame(tl, v->frame);
	}
}

static void echo(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		 bool reply)
{
	struct echo_key k;
	struct echo_val *v;
	bool created;

	echo_key_of(&k, p, reply);
	if (!reply) {
		v = vd_tab_put(&t->echo, &k, t->now_us, &created);
		v->h.last_us = t->now_us;
		v->frame = frame;
		v->ip_len = p->ip_len;
		v->df = p->df;
		return;
	}
	v = vd_tab_get(&t->echo, &k);
	if (!v)
		return;
	if (tr_too_recent(t, v->h.last_us) && v->ip_len <= SMALL) {
		struct tr_tally *tl = mtu_tally(t, k.dst, k.family, 2);

		if (tl)
			tl->n[0]++;
	} else if (!tr_too_recent(t, v->h.last_us)) {
		echo_finish(t, &k, v); /* answered too late */
	}
	vd_tab_del(&t->echo, &k);
}

static void too_big(struct vd_traffic *t, uint64_t frame,
		    const struct vd_pkt *p)
{
	struct tr_tally *tl =
		mtu_tally(t, p->icmp.q_dst.b, p->icmp.q_dst.family, 1);

	if (!tl)
		return;
	if (tl->n[0]++ == 0 || p->icmp.mtu < tl->n[1])
		tl->n[1] = p->icmp.mtu;
	tr_tally_ip(tl, &p->src);
	tr_tally_frame(tl, frame);
}

static void unreachable(struct vd_traffic *t, uint64_t frame,
			const struct vd_pkt *p)
{
	char s[TR_SUBJECT_MAX];
	struct tr_tally *tl;
	uint32_t sub = (uint32_t)p->src.family << 16 |
		       (uint32_t)p->icmp.type << 8 | p->icmp.code;

	vd_ip_str(&p->icmp.q_dst, s, sizeof(s));
	tl = tr_tally(t, TR_ICMP_UNREACH, s, sub);
	if (!tl)
		return;
	tl->n[0]++;
	tl->n[1] = p->icmp.q_proto;
	tl->n[2] = p->icmp.q_dport;
	tr_tally_ip(tl, &p->src);
	tr_tally_frame(tl, frame);
}

void tr_icmp_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		  uint16_t vlan)
{
	bool v6 = p->proto == 58;

	(void)vlan;
	switch (p->icmp.type) {
	case 8:
	case 0:
		if (!v6)
			echo(t, frame, p, p->icmp.type == 0);
		return;
	case 128:
	case 129:
		if (v6)
			echo(t, frame, p, p->icmp.type == 129);
		return;
	case 3: /* v4 unreachable, 4: fragmentation needed */
		if (v6 || !p->icmp.quoted)
			return;
		if (p->icmp.code == 4)
			too_big(t, frame, p);
		else
			unreachable(t, frame, p);
		return;
	case 1: /* v6 unreachable */
		if (v6 && p->icmp.quoted)
			unreachable(t, frame, p);
		return;
	case 2: /* v6 packet too big */
		if (v6 && p->icmp.quoted)
			too_big(t, frame, p);
		return;
	default:
		return;
	}
}

int tr_icmp_init(struct vd_traffic *t)
{
	return vd_tab_init(&t->echo, sizeof(struct echo_key),
			   sizeof(struct echo_val), t->o.max_flows / 4 + 64,
			   echo_finish, t);
}
