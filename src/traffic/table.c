/* SPDX-License-Identifier: MIT */
#include "traffic/table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a over the key, folded so that 0 means a free slot. */
static uint32_t hash_key(const void *key, size_t n)
{
	const uint8_t *p = key;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	h ^= h >> 29;
	return (uint32_t)h | 1u;
}

static uint8_t *slot(const struct vd_tab *t, uint32_t i)
{
	return t->slots + (size_t)i * t->slotsz;
}

static uint32_t slot_hash(const uint8_t *s)
{
	uint32_t h;

	memcpy(&h, s, sizeof(h));
	return h;
}

/* A slot: the hash in 8 bytes, the key padded to 8, the value. */
#define KEY(t, s) ((s) + 8)
#define VAL(t, s) ((s) + 8 + (t)->keyspan)

int vd_tab_init(struct vd_tab *t, size_t keysz, size_t valsz, uint32_t max,
		vd_tab_finish_fn finish, void *ctx)
{
	uint32_t slots = 16;

	memset(t, 0, sizeof(*t));
	if (max < 4)
		max = 4;
	if (max > (1u << 28))
		max = 1u << 28;
	t->keysz = keysz;
	t->valsz = valsz;
	/* values hold uint64_t: every slot and value 8-byte aligned */
	t->keyspan = (keysz + 7) & ~(size_t)7;
	t->slotsz = 8 + t->keyspan + ((valsz + 7) & ~(size_t)7);
	t->mask = slots - 1;
	t->max = max;
	t->finish = finish;
	t->ctx = ctx;
	t->slots = calloc(slots, t->slotsz);
	return t->slots ? 0 : -ENOMEM;
}

/* Double the slots (memory follows use, up to the cap); -ENOMEM leaves
 * the table as it was. */
static int grow(struct vd_tab *t)
{
	uint32_t nslots = (t->mask + 1) * 2, nmask = nslots - 1;
	uint8_t *ns = calloc(nslots, t->slotsz);

	if (!ns)
		return -ENOMEM;
	for (uint32_t i = 0; i <= t->mask; i++) {
		uint8_t *s = slot(t, i);
		uint32_t h = slot_hash(s), j;

		if (h == 0)
			continue;
		for (j = h & nmask; slot_hash(ns + (size_t)j * t->slotsz);
		     j = (j + 1) & nmask)
			;
		memcpy(ns + (size_t)j * t->slotsz, s, t->slotsz);
	}
	free(t->slots);
	t->slots = ns;
	t->mask = nmask;
	t->hand = 0;
	return 0;
}

void vd_tab_free(struct vd_tab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->n = 0;
}

static uint8_t *find(const struct vd_tab *t, const void *key, uint32_t h,
		     uint32_t *at)
{
	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		uint8_t *s = slot(t, i);
		uint32_t sh = slot_hash(s);

		if (sh == 0) {
			*at = i;
			return NULL;
		}
		if (sh == h && memcmp(KEY(t, s), key, t->keysz) == 0) {
			*at = i;
			return s;
		}
	}
}

void *vd_tab_get(struct vd_tab *t, const void *key)
{
	uint32_t at;
	uint8_t *s = find(t, key, hash_key(key, t->keysz), &at);

	return s ? VAL(t, s) : NULL;
}

/* Remove slot i and close the gap (backward shift). */
static void remove_at(struct vd_tab *t, uint32_t i)
{
	uint32_t j = i;

	for (;;) {
		uint8_t *sj;
		uint32_t home;

		j = (j + 1) & t->mask;
		sj = slot(t, j);
		if (slot_hash(sj) == 0)
			break;
		home = slot_hash(sj) & t->mask;
		/* Can the entry at j move to i?  Only when its home is not
		 * inside (i, j] (cyclically). */
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			memcpy(slot(t, i), sj, t->slotsz);
			i = j;
		}
	}
	memset(slot(t, i), 0, t->slotsz);
	t->n--;
}

void vd_tab_del(struct vd_tab *t, const void *key)
{
	uint32_t at;

	if (find(t, key, hash_key(key, t->keysz), &at))
		remove_at(t, at);
}

/* Finish the oldest of 16 occupied slots from the hand on. */
static void evict_one(struct vd_tab *t)
{
	uint32_t best = UINT32_MAX, seen = 0;
	uint64_t best_us = UINT64_MAX;

	for (uint32_t k = 0; k <= t->mask && seen < 16; k++) {
		uint32_t i = (t->hand + k) & t->mask;
		uint8_t *s = slot(t, i);
		const struct vd_tab_val *v;

		if (slot_hash(s) == 0)
			continue;
		seen++;
		v = (const struct vd_tab_val *)(void *)VAL(t, s);
		if (v->last_us < best_us) {
			best_us = v->last_us;
			best = i;
		}
	}
	if (best == UINT32_MAX)
		return;
	t->hand = (best + 1) & t->mask;
	if (t->finish)
		t->finish(t->ctx, KEY(t, slot(t, best)), VAL(t, slot(t, best)));
	remove_at(t, best);
	t->evicted++;
}

static void *insert(struct vd_tab *t, const void *key, uint64_t now_us,
		    bool *created, bool evict)
{
	uint32_t h = hash_key(key, t->keysz), at;
	uint8_t *s = find(t, key, h, &at);
	struct vd_tab_val *v;

	*created = false;
	if (s)
		return VAL(t, s);
	if (t->n >= t->max) {
		if (!evict)
			return NULL;
		evict_one(t);
		find(t, key, h, &at); /* the free slot may have moved */
	} else if (t->n + 1 > (t->mask + 1) / 4 * 3) {
		/* Full for this size: grow, or (no memory) evict. */
		if (grow(t) == 0) {
			find(t, key, h, &at);
		} else {
			if (!evict)
				return NULL;
			evict_one(t);
			find(t, key, h, &at);
		}
	}
	s = slot(t, at);
	memcpy(s, &h, sizeof(h));
	memcpy(KEY(t, s), key, t->keysz);
	memset(VAL(t, s), 0, t->valsz);
	v = (struct vd_tab_val *)(void *)VAL(t, s);
	v->last_us = now_us;
	if (++t->n > t->peak)
		t->peak = t->n;
	*created = true;
	return v;
}

void *vd_tab_put(struct vd_tab *t, const void *key, uint64_t now_us,
		 bool *created)
{
	return insert(t, key, now_us, created, true);
}

void *vd_tab_add(struct vd_tab *t, const void *key, uint64_t now_us,
		 bool *created)
{
	return insert(t, key, now_us, created, false);
}

void vd_tab_each(struct vd_tab *t, vd_tab_finish_fn fn, void *ctx)
{
	for (uint32_t i = 0; t->n && i <= t->mask; i++) {
		uint8_t *s = slot(t, i);

		if (slot_hash(s) != 0)
			fn(ctx, KEY(t, s), VAL(t, s));
	}
}

void vd_tab_expire(struct vd_tab *t, uint64_t cutoff_us)
{
	uint32_t i = 0;

	if (t->n == 0)
		return;
	/* Backward shift may move a later entry into slot i: look at i again
	 * before going on.  One that wraps around to the end is seen twice,
	 * which is harmless (it was not expired the first time either). */
	while (i <= t->mask) {
		uint8_t *s = slot(t, i);
		struct vd_tab_val *v = (struct vd_tab_val *)(void *)VAL(t, s);

		if (slot_hash(s) != 0 &&
		    (cutoff_us == UINT64_MAX || v->last_us < cutoff_us)) {
			if (t->finish)
				t->finish(t->ctx, KEY(t, s), v);
			remove_at(t, i);
			continue;
		}
		i++;
	}
}
