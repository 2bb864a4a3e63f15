/* SPDX-License-Identifier: MIT */
#include "traffic/table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A hash of the key eight bytes at a time (keys are small and fixed;
 * this is a lookup a packet): each word times its own odd constant, so
 * the multiplications do not wait for each other, then one final mix;
 * folded so that 0 means a free slot. */
static uint32_t hash_key(const void *key, size_t n)
{
	static const uint64_t k[] = {
		0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full,
		0x165667b19e3779f9ull, 0xd6e8feb86659fd93ull,
		0xff51afd7ed558ccdull, 0xc4ceb9fe1a85ec53ull,
	};
	const uint8_t *p = key;
	uint64_t h = n, w;
	size_t i = 0;

	for (; n >= 8; n -= 8, p += 8, i++) {
		memcpy(&w, p, 8);
		h += (w ^ (w >> 29)) * k[i % 6];
	}
	if (n) {
		w = 0;
		memcpy(&w, p, n);
		h += (w ^ (w >> 29)) * k[i % 6];
	}
	h ^= h >> 32;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 29;
	return (uint32_t)h ? (uint32_t)h : 1u;
}

/* Keys are compared a word at a time where their size allows. */
static bool key_equal(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	uint64_t u, v, diff = 0;

	if (n % 8)
		return memcmp(a, b, n) == 0;
	for (size_t i = 0; i < n; i += 8) {
		memcpy(&u, x + i, 8);
		memcpy(&v, y + i, 8);
		diff |= u ^ v;
	}
	return diff == 0;
}

static uint8_t *slot(const struct vd_tab *t, uint32_t i)
{
	return t->slots + (size_t)i * t->slotsz;
}

/* The hashes live in an array of their own: probing walks 4-byte
 * entries that stay in cache, and touches a slot only on a match. */
#define HASH(t, i) ((t)->hashes[i])

/* A slot: the key padded to 8, the value. */
#define KEY(t, s) (s)
#define VAL(t, s) ((s) + (t)->keyspan)

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
	t->slotsz = t->keyspan + ((valsz + 7) & ~(size_t)7);
	t->mask = slots - 1;
	t->max = max;
	t->finish = finish;
	t->ctx = ctx;
	t->slots = calloc(slots, t->slotsz);
	t->hashes = calloc(slots, sizeof(*t->hashes));
	if (!t->slots || !t->hashes) {
		vd_tab_free(t);
		return -ENOMEM;
	}
	return 0;
}

/* Double the slots (memory follows use, up to the cap); -ENOMEM leaves
 * the table as it was. */
static int grow(struct vd_tab *t)
{
	uint32_t nslots = (t->mask + 1) * 2, nmask = nslots - 1;
	uint8_t *ns = calloc(nslots, t->slotsz);
	uint32_t *nh = calloc(nslots, sizeof(*nh));

	if (!ns || !nh) {
		free(ns);
		free(nh);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i <= t->mask; i++) {
		uint32_t h = HASH(t, i), j;

		if (h == 0)
			continue;
		for (j = h & nmask; nh[j]; j = (j + 1) & nmask)
			;
		nh[j] = h;
		memcpy(ns + (size_t)j * t->slotsz, slot(t, i), t->slotsz);
	}
	free(t->slots);
	free(t->hashes);
	t->slots = ns;
	t->hashes = nh;
	t->mask = nmask;
	t->hand = 0;
	return 0;
}

void vd_tab_free(struct vd_tab *t)
{
	free(t->slots);
	free(t->hashes);
	t->slots = NULL;
	t->hashes = NULL;
	t->n = 0;
}

static uint8_t *find(const struct vd_tab *t, const void *key, uint32_t h,
		     uint32_t *at)
{
	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		uint32_t sh = HASH(t, i);

		if (sh == 0) {
			*at = i;
			return NULL;
		}
		if (sh == h && key_equal(KEY(t, slot(t, i)), key, t->keysz)) {
			*at = i;
			return slot(t, i);
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
		uint32_t home;

		j = (j + 1) & t->mask;
		if (HASH(t, j) == 0)
			break;
		home = HASH(t, j) & t->mask;
		/* Can the entry at j move to i?  Only when its home is not
		 * inside (i, j] (cyclically). */
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			memcpy(slot(t, i), slot(t, j), t->slotsz);
			HASH(t, i) = HASH(t, j);
			i = j;
		}
	}
	HASH(t, i) = 0;
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
		const struct vd_tab_val *v;

		if (HASH(t, i) == 0)
			continue;
		seen++;
		v = (const struct vd_tab_val *)(void *)VAL(t, slot(t, i));
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
	HASH(t, at) = h;
	memset(s, 0, t->keyspan);
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
		if (HASH(t, i) != 0)
			fn(ctx, KEY(t, slot(t, i)), VAL(t, slot(t, i)));
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

		if (HASH(t, i) != 0 &&
		    (cutoff_us == UINT64_MAX || v->last_us < cutoff_us)) {
			if (t->finish)
				t->finish(t->ctx, KEY(t, s), v);
			remove_at(t, i);
			continue;
		}
		i++;
	}
}
