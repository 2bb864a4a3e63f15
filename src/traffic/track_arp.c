/* SPDX-License-Identifier: MIT */
/*
 * ARP and neighbour discovery: requests waiting for their target, who
 * claims which address (duplicate addresses, one MAC flapping between
 * addresses) and how each VLAN's requests fare (docs/traffic.md).
 */
#include <stdio.h>
#include <string.h>

#include "traffic/tr.h"

struct req_key {
	uint16_t vlan;
	uint8_t ip[4];
	uint16_t pad;
};

struct req_val {
	struct vd_tab_val h;
	struct tr_pend p;
	uint8_t asker_mac[6];
	uint8_t asker_ip[4];
};

struct claim_key {
	uint16_t vlan;
	uint8_t family, pad;
	uint8_t ip[16];
};

struct claim_val {
	struct vd_tab_val h;
	uint64_t frame; /* the owner's first claim */
	uint64_t probe_us, probe_frame;
	uint8_t mac[6];	      /* the first MAC to claim the address */
	uint8_t probe_mac[6]; /* the last ARP probe for it */
	bool owned, probe;
};

struct mac_key {
	uint8_t mac[6];
	uint16_t pad;
};

struct mac_val {
	struct vd_tab_val h;
	uint64_t frame; /* of the last claim */
	uint8_t ip[4];
};

static const uint8_t zero4[4];

static void ip4(const uint8_t b[4], struct vd_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = VD_AF_INET;
	memcpy(ip->b, b, 4);
}

static struct tr_tally *vlan_tally(struct vd_traffic *t, uint16_t vlan)
{
	char s[16];

	struct tr_tally *tl;

	snprintf(s, sizeof(s), "vlan %u", vlan);
	tl = tr_tally(t, TR_VLAN, s, 0);
	if (tl)
		tl->n[2] = vlan;
	return tl;
}

/* One request for key's target went unanswered. */
static void arp_unanswered(struct vd_traffic *t, void *ctx, uint64_t us,
			   uint64_t frame, uint32_t tag)
{
	const struct req_key *k = ctx;
	const struct req_val *v;
	struct tr_tally *tl;
	struct vd_ip ip;
	char s[TR_SUBJECT_MAX];

	(void)us;
	(void)tag;
	ip4(k->ip, &ip);
	tr_ip_vlan(&ip, k->vlan, s, sizeof(s));
	tl = tr_tally(t, TR_ARP_UNANS, s, k->vlan);
	if (tl) {
		tl->n[0]++;
		tr_tally_frame(tl, frame);
		v = vd_tab_get(&t->arp_req, k);
		if (v && tl->n_macs == 0) {
			struct vd_ip asker;

			ip4(v->asker_ip, &asker);
			tr_tally_mac(tl, v->asker_mac);
			tr_tally_ip(tl, &asker);
		}
	}
	tl = vlan_tally(t, k->vlan);
	if (tl) {
		tl->n[0]++;
		tr_tally_frame(tl, frame);
	}
}

static void req_finish(void *ctx, const void *key, void *val)
{
	struct vd_traffic *t = ctx;
	struct req_val *v = val;

	tr_pend_close(t, &v->p, arp_unanswered, (void *)key);
}

/* An address claimed by a MAC: a duplicate when another MAC has it. */
static void claim(struct vd_traffic *t, uint64_t frame, uint16_t vlan,
		  const struct vd_ip *ip, const uint8_t mac[6])
{
	struct claim_key k;
	struct claim_val *v;
	struct tr_tally *tl;
	const uint8_t *other = NULL;
	uint64_t other_frame = 0;
	char s[TR_SUBJECT_MAX];
	bool created;

	memset(&k, 0, sizeof(k));
	k.vlan = vlan;
	k.family = ip->family;
	memcpy(k.ip, ip->b, sizeof(k.ip));
	v = vd_tab_put(&t->claims, &k, t->now_us, &created);
	v->h.last_us = t->now_us;
	(void)created;
	if (!v->owned) {
		v->owned = true;
		memcpy(v->mac, mac, 6);
		v->frame = frame;
	} else if (memcmp(v->mac, mac, 6) != 0) {
		other = v->mac;
		other_frame = v->frame;
	}
	if (!other && v->probe && memcmp(v->probe_mac, mac, 6) != 0 &&
	    tr_too_recent(t, v->probe_us)) {
		other = v->probe_mac;
		other_frame = v->probe_frame;
	}
	if (!other)
		return;
	tr_ip_vlan(ip, vlan, s, sizeof(s));
	tl = tr_tally(t, TR_DUP_IP, s, vlan);
	if (!tl)
		return;
	tl->n[0]++;
	if (tr_tally_mac(tl, other))
		tr_tally_frame(tl, other_frame);
	if (tr_tally_mac(tl, mac) || tl->n_frames < TR_FRAMES)
		tr_tally_frame(tl, frame);
}

/* The MAC's claims in order: count the switches between addresses. */
static void mac_flap(struct vd_traffic *t, uint64_t frame, const uint8_t *mac,
		     const uint8_t ip[4])
{
	struct mac_key k;
	struct mac_val *v;
	struct tr_tally *tl;
	char s[TR_SUBJECT_MAX];
	bool created;

	memset(&k, 0, sizeof(k));
	memcpy(k.mac, mac, 6);
	v = vd_tab_put(&t->macs, &k, t->now_us, &created);
	v->h.last_us = t->now_us;
	if (!created && memcmp(v->ip, ip, 4) != 0) {
		struct vd_ip a, b;

		tr_mac(mac, s, sizeof(s));
		tl = tr_tally(t, TR_MAC_CONFLICT, s, 0);
		if (tl) {
			ip4(v->ip, &a);
			ip4(ip, &b);
			tl->n[0]++;
			tr_tally_ip(tl, &a);
			tr_tally_ip(tl, &b);
			tr_tally_frame(tl, v->frame);
			tr_tally_frame(tl, frame);
		}
	}
	memcpy(v->ip, ip, 4);
	v->frame = frame;
}

void tr_arp_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		 uint16_t vlan)
{
	const struct vd_arp_pkt *a = &p->arp;
	struct req_key k;
	struct req_val *v;
	struct vd_ip spa;
	bool created;

	memset(&k, 0, sizeof(k));
	k.vlan = vlan;
	if (memcmp(a->spa, zero4, 4) == 0) {
		/* A probe (RFC 5227): no claim, but whoever answers it
		 * holds the address the prober wants. */
		struct claim_key ck;
		struct claim_val *cv;

		if (a->op != 1)
			return;
		memset(&ck, 0, sizeof(ck));
		ck.vlan = vlan;
		ck.family = VD_AF_INET;
		memcpy(ck.ip, a->tpa, 4);
		cv = vd_tab_put(&t->claims, &ck, t->now_us, &created);
		cv->h.last_us = t->now_us;
		cv->probe = true;
		memcpy(cv->probe_mac, a->sha, 6);
		cv->probe_us = t->now_us;
		cv->probe_frame = frame;
		return;
	}

	/* Any ARP from an address answers the requests for it. */
	ip4(a->spa, &spa);
	memcpy(k.ip, a->spa, 4);
	v = vd_tab_get(&t->arp_req, &k);
	if (v) {
		unsigned n =
			tr_pend_answer(t, &v->p, true, 0, arp_unanswered, &k);
		struct tr_tally *tl = n ? vlan_tally(t, vlan) : NULL;

		if (tl)
			tl->n[1] += n;
	}
	if (a->op == 2) {
		struct tr_tally *tl = vlan_tally(t, vlan);

		if (tl)
			tl->n[1]++;
	}
	claim(t, frame, vlan, &spa, a->sha);
	mac_flap(t, frame, a->sha, a->spa);

	/* A request (not gratuitous) waits for its target. */
	if (a->op == 1 && memcmp(a->spa, a->tpa, 4) != 0) {
		memcpy(k.ip, a->tpa, 4);
		v = vd_tab_put(&t->arp_req, &k, t->now_us, &created);
		v->h.last_us = t->now_us;
		memcpy(v->asker_mac, a->sha, 6);
		memcpy(v->asker_ip, a->spa, 4);
		tr_pend_add(t, &v->p, frame, 0, arp_unanswered, &k);
	}
}

void tr_ndp_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		 uint16_t vlan)
{
	/* Neighbour advertisements claim their target. */
	if (p->icmp.type != 136 || p->ndp.target.family != VD_AF_INET6)
		return;
	claim(t, frame, vlan, &p->ndp.target,
	      p->ndp.has_lladdr ? p->ndp.lladdr : p->src_mac);
}

int tr_arp_init(struct vd_traffic *t)
{
	uint32_t cap = t->o.max_flows / 4 + 64;

	if (vd_tab_init(&t->arp_req, sizeof(struct req_key),
			sizeof(struct req_val), cap, req_finish, t) ||
	    vd_tab_init(&t->claims, sizeof(struct claim_key),
			sizeof(struct claim_val), cap, NULL, t) ||
	    vd_tab_init(&t->macs, sizeof(struct mac_key),
			sizeof(struct mac_val), cap, NULL, t))
		return -1;
	return 0;
}
