/* SPDX-License-Identifier: MIT */
/*
 * Reading the optional parts of a snapshot (probes, services) from
 * jansson values: one error convention ("path.key: what", -EPROTO) and
 * the getters they share.  Absent and null read as empty/zero/unknown.
 */
#ifndef VD_JREAD_H
#define VD_JREAD_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct vd_jrd {
	char *err;
	size_t errlen;
	char path[96]; /* where the reader is: "probes.tcp[2]" */
};

/* "path.key: ..." into r->err; returns -EPROTO. */
__attribute__((format(printf, 3, 4))) int vd_jrd_bad(struct vd_jrd *r,
						     const char *key,
						     const char *fmt, ...);
/* A string into buf (absent or null: ""); too long or with a NUL: bad. */
int vd_jrd_str(struct vd_jrd *r, json_t *o, const char *key, char *buf,
	       size_t len);
/* true, false or null/absent (VD_UNKNOWN). */
int vd_jrd_tri(struct vd_jrd *r, json_t *o, const char *key, int8_t *t);
/* An integer in [lo, hi] (absent or null: 0). */
int vd_jrd_int(struct vd_jrd *r, json_t *o, const char *key, long long lo,
	       long long hi, long long *v);
/* The array under key, or NULL when absent or not an array. */
json_t *vd_jrd_array(json_t *o, const char *key);

#endif
