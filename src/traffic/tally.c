/* SPDX-License-Identifier: MIT */
/* Per-subject tallies, pending requests, and the text of evidence. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traffic/tr.h"
#include "util/ip.h"

static void tally_key(struct tr_key *k, const char *subject, uint32_t sub)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->subject, sizeof(k->subject), "%s", subject);
	k->sub = sub;
}

struct tr_tally *tr_tally_find(struct vd_traffic *t, enum tr_code c,
			       const char *subject, uint32_t sub)
{
	struct tr_key k;

	tally_key(&k, subject, sub);
	return vd_tab_get(&t->tally[c], &k);
}

struct tr_tally *tr_tally(struct vd_traffic *t, enum tr_code c,
			  const char *subject, uint32_t sub)
{
	struct tr_key k;
	struct tr_tally *tl;
	bool created;

	tally_key(&k, subject, sub);
	tl = vd_tab_add(&t->tally[c], &k, t->now_us, &created);
	if (!tl) {
		t->st.subjects_dropped++;
		return NULL;
	}
	if (created)
		tl->first_us = t->now_us;
	tl->h.last_us = t->now_us;
	return tl;
}

struct tr_tally *tr_tally_addr(struct vd_traffic *t, enum tr_code c,
			       uint8_t family, const uint8_t b[16],
			       uint32_t sub)
{
	struct vd_ip ip;
	char s[VD_IPSTR_MAX];

	memset(&ip, 0, sizeof(ip));
	ip.family = family;
	memcpy(ip.b, b, 16);
	vd_ip_str(&ip, s, sizeof(s));
	return tr_tally(t, c, s, sub);
}

void tr_tally_frame(struct tr_tally *tl, uint64_t frame)
{
	if (tl->n_frames < TR_FRAMES) {
		if (tl->n_frames && tl->frames[tl->n_frames - 1] == frame)
			return;
		tl->frames[tl->n_frames] = frame;
	}
	tl->n_frames++;
}

bool tr_tally_ip(struct tr_tally *tl, const struct vd_ip *ip)
{
	for (unsigned i = 0; i < tl->n_ips; i++)
		if (vd_ip_equal(&tl->ips[i], ip))
			return false;
	if (tl->n_ips < sizeof(tl->ips) / sizeof(tl->ips[0]))
		tl->ips[tl->n_ips++] = *ip;
	return true;
}

bool tr_tally_mac(struct tr_tally *tl, const uint8_t mac[6])
{
	for (unsigned i = 0; i < tl->n_macs; i++)
		if (memcmp(tl->macs[i], mac, 6) == 0)
			return false;
	if (tl->n_macs < sizeof(tl->macs) / sizeof(tl->macs[0]))
		memcpy(tl->macs[tl->n_macs++], mac, 6);
	return true;
}

static int cmp_frame(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void tr_frames_text(const struct tr_tally *tl, char *buf, size_t len)
{
	uint64_t kept = tl->n_frames < TR_FRAMES ? tl->n_frames : TR_FRAMES;
	uint64_t f[TR_FRAMES];
	size_t at;

	/* in capture order, whatever order they were judged in */
	memcpy(f, tl->frames, kept * sizeof(f[0]));
	qsort(f, kept, sizeof(f[0]), cmp_frame);
	at = (size_t)snprintf(buf, len, "%s", kept == 1 ? "frame" : "frames");
	for (uint64_t i = 0; i < kept && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%" PRIu64,
				       i ? ", " : " ", f[i]);
	if (tl->n_frames > kept && at < len)
		snprintf(buf + at, len - at, " (%" PRIu64 " in all)",
			 tl->n_frames);
}

void tr_keep_frames(struct vd_traffic *t, const struct tr_tally *tl)
{
	uint64_t kept = tl->n_frames < TR_FRAMES ? tl->n_frames : TR_FRAMES;

	if (t->n_frames + kept > t->cap_frames) {
		size_t cap = t->cap_frames ? t->cap_frames * 2 : 256;
		uint64_t *v;

		while (cap < t->n_frames + kept)
			cap *= 2;
		v = realloc(t->frames, cap * sizeof(*v));
		if (!v) {
			t->oom = 1;
			return;
		}
		t->frames = v;
		t->cap_frames = cap;
	}
	memcpy(t->frames + t->n_frames, tl->frames, kept * sizeof(uint64_t));
	t->n_frames += kept;
}

bool tr_too_recent(const struct vd_traffic *t, uint64_t us)
{
	return us + t->timeout_us > t->now_us;
}

/* Drop entry i of p. */
static void pend_drop(struct tr_pend *p, unsigned i)
{
	p->n--;
	memmove(p->us + i, p->us + i + 1, (p->n - i) * sizeof(p->us[0]));
	memmove(p->frame + i, p->frame + i + 1,
		(p->n - i) * sizeof(p->frame[0]));
	memmove(p->tag + i, p->tag + i + 1, (p->n - i) * sizeof(p->tag[0]));
}

void tr_pend_settle(struct vd_traffic *t, struct tr_pend *p, tr_unans_fn fn,
		    void *ctx)
{
	unsigned i = 0;

	while (i < p->n) {
		if (!tr_too_recent(t, p->us[i])) {
			fn(t, ctx, p->us[i], p->frame[i], p->tag[i]);
			pend_drop(p, i);
		} else if (t->ending) {
			t->st.pending++;
			pend_drop(p, i);
		} else {
			i++;
		}
	}
}

void tr_pend_close(struct vd_traffic *t, struct tr_pend *p, tr_unans_fn fn,
		   void *ctx)
{
	tr_pend_settle(t, p, fn, ctx);
	t->st.pending += p->n;
	p->n = 0;
}

void tr_pend_add(struct vd_traffic *t, struct tr_pend *p, uint64_t frame,
		 uint32_t tag, tr_unans_fn fn, void *ctx)
{
	tr_pend_settle(t, p, fn, ctx);
	if (p->n == TR_PEND) {
		/* A flood of requests inside one timeout: the oldest is
		 * neither answered nor judged. */
		t->st.pending++;
		pend_drop(p, 0);
	}
	p->us[p->n] = t->now_us;
	p->frame[p->n] = frame;
	p->tag[p->n] = tag;
	p->n++;
}

unsigned tr_pend_answer(struct vd_traffic *t, struct tr_pend *p, bool all,
			uint32_t tag, tr_unans_fn fn, void *ctx)
{
	unsigned i = 0, answered = 0;

	tr_pend_settle(t, p, fn, ctx);
	while (i < p->n) {
		if (all || p->tag[i] == tag) {
			pend_drop(p, i);
			answered++;
		} else {
			i++;
		}
	}
	return answered;
}

void tr_ip_port(const struct vd_ip *ip, uint16_t port, char *buf, size_t len)
{
	char a[VD_IPSTR_MAX];

	vd_ip_str(ip, a, sizeof(a));
	if (ip->family == VD_AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, port);
	else
		snprintf(buf, len, "%s:%u", a, port);
}

void tr_ip_vlan(const struct vd_ip *ip, uint16_t vlan, char *buf, size_t len)
{
	char a[VD_IPSTR_MAX];

	vd_ip_str(ip, a, sizeof(a));
	if (vlan)
		snprintf(buf, len, "%s vlan %u", a, vlan);
	else
		snprintf(buf, len, "%s", a);
}

void tr_mac(const uint8_t m[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}
