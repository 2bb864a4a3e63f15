/* SPDX-License-Identifier: MIT */
/*
 * DHCPv4: DISCOVERs waiting for an OFFER (per client MAC and xid), and
 * which servers offer on each segment (docs/traffic.md).
 */
#include <stdio.h>
#include <string.h>

#include "traffic/tr.h"

struct cli_key {
	uint8_t mac[6];
	uint16_t pad;
};

struct cli_val {
	struct vd_tab_val h;
	struct tr_pend p;
	bool offered; /* an OFFER reached this client */
};

static struct tr_tally *client_tally(struct vd_traffic *t, const uint8_t mac[6])
{
	char s[TR_SUBJECT_MAX];

	tr_mac(mac, s, sizeof(s));
	return tr_tally(t, TR_DHCP_NOOFFER, s, 0);
}

static void discover_unanswered(struct vd_traffic *t, void *ctx, uint64_t us,
				uint64_t frame, uint32_t xid)
{
	const struct cli_key *k = ctx;
	const struct cli_val *v = vd_tab_get(&t->dhcp_cli, k);
	struct tr_tally *tl = client_tally(t, k->mac);

	(void)us;
	(void)xid;
	if (tl) {
		tl->n[0]++;
		if (v && v->offered && tl->n[1] == 0)
			tl->n[1] = 1;
		tr_tally_frame(tl, frame);
	}
}

static void cli_finish(void *ctx, const void *key, void *val)
{
	struct cli_val *v = val;

	tr_pend_close(ctx, &v->p, discover_unanswered, (void *)key);
}

static void server(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		   uint16_t vlan)
{
	const struct vd_ip *id =
		p->dhcp.server_id.family ? &p->dhcp.server_id : &p->src;
	char s[TR_SUBJECT_MAX];
	struct tr_tally *tl;

	snprintf(s, sizeof(s), "vlan %u", vlan);
	tl = tr_tally(t, TR_DHCP_MULTI, s, vlan);
	if (tl && tr_tally_ip(tl, id))
		tr_tally_frame(tl, frame);
}

void tr_dhcp_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		  uint16_t vlan)
{
	const struct vd_dhcp_pkt *d = &p->dhcp;
	struct cli_key k;
	struct cli_val *v;
	bool created;

	memset(&k, 0, sizeof(k));
	memcpy(k.mac, d->chaddr, 6);
	if (d->op == 1 && d->msgtype == 1) {
		v = vd_tab_put(&t->dhcp_cli, &k, t->now_us, &created);
		v->h.last_us = t->now_us;
		tr_pend_add(t, &v->p, frame, d->xid, discover_unanswered, &k);
		return;
	}
	if (d->op != 2 ||
	    (d->msgtype != 2 && d->msgtype != 5 && d->msgtype != 6))
		return;
	server(t, frame, p, vlan);
	if (d->msgtype != 2)
		return;
	/* Any OFFER to the client counts against "no offer"; it answers
	 * the DISCOVERs of its xid. */
	v = vd_tab_get(&t->dhcp_cli, &k);
	if (v) {
		char s[TR_SUBJECT_MAX];
		struct tr_tally *tl;

		v->offered = true;
		tr_pend_answer(t, &v->p, false, d->xid, discover_unanswered,
			       &k);
		tr_mac(k.mac, s, sizeof(s));
		tl = tr_tally_find(t, TR_DHCP_NOOFFER, s, 0);
		if (tl)
			tl->n[1]++;
	}
}

int tr_dhcp_init(struct vd_traffic *t)
{
	return vd_tab_init(&t->dhcp_cli, sizeof(struct cli_key),
			   sizeof(struct cli_val), t->o.max_flows / 4 + 64,
			   cli_finish, t);
}
