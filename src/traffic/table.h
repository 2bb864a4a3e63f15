/* SPDX-License-Identifier: MIT */
/*
 * A bounded hash table of fixed-size keys and values (open addressing,
 * linear probing, deletion by backward shift): the flow, ARP, DHCP and
 * DNS tables of the traffic analyser.  Every value starts with the capture
 * time it was last touched, which is what ageing and eviction look at.
 * It never grows past its cap: inserting into a full table evicts the
 * oldest of a small sample of entries, through the table's finish
 * callback, so what the entry knew is not lost.
 */
#ifndef VD_TRAFFIC_TABLE_H
#define VD_TRAFFIC_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The head of every value. */
struct vd_tab_val {
	uint64_t last_us;
};

/* Called for an entry that ages out, is evicted, or is left at the end. */
typedef void (*vd_tab_finish_fn)(void *ctx, const void *key, void *val);

struct vd_tab {
	size_t keysz, keyspan, valsz, slotsz;
	uint32_t mask;	  /* slots - 1 (a power of two) */
	uint32_t n, max;  /* entries, and the cap (3/4 of the slots) */
	uint32_t hand;	  /* where the next eviction sample starts */
	uint64_t evicted; /* entries finished early for room */
	uint32_t peak;
	uint8_t *slots;	  /* [key][value] */
	uint32_t *hashes; /* of each slot; 0: free */
	vd_tab_finish_fn finish;
	void *ctx;
};

/* A table for at most max entries; 0 or -ENOMEM. */
int vd_tab_init(struct vd_tab *t, size_t keysz, size_t valsz, uint32_t max,
		vd_tab_finish_fn finish, void *ctx);
void vd_tab_free(struct vd_tab *t);

/* The value of key, or NULL. */
void *vd_tab_get(struct vd_tab *t, const void *key);
/* The value of key, created zeroed when absent (*created set); never NULL. */
void *vd_tab_put(struct vd_tab *t, const void *key, uint64_t now_us,
		 bool *created);
/* Like vd_tab_put, but NULL when the table is full (nothing evicted). */
void *vd_tab_add(struct vd_tab *t, const void *key, uint64_t now_us,
		 bool *created);
/* Call fn for every entry, in slot order. */
void vd_tab_each(struct vd_tab *t, vd_tab_finish_fn fn, void *ctx);
/* Remove key (without calling finish). */
void vd_tab_del(struct vd_tab *t, const void *key);
/* Finish and remove every entry last touched before cutoff_us
 * (UINT64_MAX: every entry). */
void vd_tab_expire(struct vd_tab *t, uint64_t cutoff_us);

#endif
