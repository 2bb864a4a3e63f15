/* SPDX-License-Identifier: MIT */
/*
 * The size search of the mtu probe (src/probe/mtu.c), pure so that its
 * tests can drive it over every path MTU: the probe asks which sizes to
 * send next, tells what became of each, and reads the verdict at the end.
 * Sizes are whole IP packets.
 */
#ifndef VD_MTU_SEARCH_H
#define VD_MTU_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

/* What became of one size. */
enum vd_mtu_outcome {
	VD_MTU_ANSWERED = 1, /* the echo reply came back */
	VD_MTU_LOST = 2,     /* nothing came back, every try */
	VD_MTU_TOO_BIG = 3,  /* frag-needed / packet-too-big, or EMSGSIZE */
};

#define VD_MTU_SEARCH_MAX  128 /* sizes tried in one search, at most */
#define VD_MTU_ROUND_SIZES 15  /* sizes in flight at once, at most */

struct vd_mtu_search {
	unsigned floor, max; /* the smallest and largest size tried */
	unsigned rounds;     /* rounds handed out so far */
	size_t n;
	struct {
		unsigned size;
		unsigned bound; /* TOO_BIG: the smallest size known too big */
		unsigned char outcome;
	} tried[VD_MTU_SEARCH_MAX];
};

void vd_mtu_search_init(struct vd_mtu_search *s, unsigned floor, unsigned max);
/*
 * The sizes of the next round, ascending, into sizes (room for
 * VD_MTU_ROUND_SIZES); 0 when the search is over.  The first round is
 * the largest size (a healthy path ends there) with the floor beside it
 * (does anything pass at all?); later ones split what is left.
 */
size_t vd_mtu_search_next(struct vd_mtu_search *s, unsigned *sizes);
/* next_mtu: what a frag-needed named (0 when unknown or for the rest). */
void vd_mtu_search_record(struct vd_mtu_search *s, unsigned size,
			  enum vd_mtu_outcome outcome, unsigned next_mtu);
/* Nothing still in flight could change the verdict. */
bool vd_mtu_search_done(const struct vd_mtu_search *s);
/* path_mtu: the largest size answered (0 none); first_lost: the smallest
 * size lost silently above it, when no frag-needed explains the loss. */
void vd_mtu_search_verdict(const struct vd_mtu_search *s, unsigned *path_mtu,
			   unsigned *first_lost, bool *black_hole);

#endif
