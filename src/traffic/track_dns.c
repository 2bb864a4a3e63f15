/* SPDX-License-Identifier: MIT */
/*
 * DNS over UDP: each query (client, client port, server, id; retries
 * collapse) and how it ended, per server (docs/traffic.md).
 */
#include <string.h>

#include "traffic/tr.h"
#include "util/ip.h"

struct q_key {
	uint8_t family, pad;
	uint16_t cport, id, pad2;
	uint8_t client[16], server[16];
};

struct q_val {
	struct vd_tab_val h;
	uint64_t frame;
};

/* Per server: n[0] judged, n[1] failed by rcode, n[2] unanswered,
 * n[3] SERVFAIL, n[4] REFUSED. */
static struct tr_tally *server_tally(struct vd_traffic *t, uint8_t family,
				     const uint8_t b[16])
{
	return tr_tally_addr(t, TR_DNS, family, b, 0);
}

static void q_unanswered(struct vd_traffic *t, const struct q_key *k,
			 const struct q_val *v)
{
	struct tr_tally *tl = server_tally(t, k->family, k->server);

	if (tl) {
		tl->n[0]++;
		tl->n[2]++;
		tr_tally_frame(tl, v->frame);
	}
}

static void q_finish(void *ctx, const void *key, void *val)
{
	struct vd_traffic *t = ctx;
	struct q_val *v = val;

	if (tr_too_recent(t, v->h.last_us))
		t->st.pending++;
	else
		q_unanswered(t, key, v);
}

void tr_dns_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p)
{
	const struct vd_dns_pkt *d = &p->dns;
	struct q_key k;
	struct q_val *v;
	struct tr_tally *tl;
	bool created;

	memset(&k, 0, sizeof(k));
	k.family = p->src.family;
	k.id = d->id;
	if (!d->response && p->dport == 53) {
		k.cport = p->sport;
		memcpy(k.client, p->src.b, 16);
		memcpy(k.server, p->dst.b, 16);
		v = vd_tab_put(&t->dns_q, &k, t->now_us, &created);
		v->h.last_us = t->now_us; /* a retry restarts the wait */
		v->frame = frame;
		return;
	}
	if (!d->response || p->sport != 53)
		return;
	k.cport = p->dport;
	memcpy(k.client, p->dst.b, 16);
	memcpy(k.server, p->src.b, 16);
	v = vd_tab_get(&t->dns_q, &k);
	if (!v)
		return;
	if (!tr_too_recent(t, v->h.last_us)) {
		q_unanswered(t, &k, v); /* answered too late */
	} else if ((tl = server_tally(t, k.family, k.server)) != NULL) {
		tl->n[0]++;
		/* NOERROR and NXDOMAIN are answers; the rest are failures. */
		if (d->rcode != 0 && d->rcode != 3) {
			tl->n[1]++;
			if (d->rcode == 2)
				tl->n[3]++; /* SERVFAIL, for the title */
			else if (d->rcode == 5)
				tl->n[4]++; /* REFUSED */
			tr_tally_frame(tl, v->frame);
			tr_tally_frame(tl, frame);
		}
	}
	vd_tab_del(&t->dns_q, &k);
}

int tr_dns_init(struct vd_traffic *t)
{
	return vd_tab_init(&t->dns_q, sizeof(struct q_key),
			   sizeof(struct q_val), t->o.max_flows / 4 + 64,
			   q_finish, t);
}
