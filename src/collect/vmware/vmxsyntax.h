/* SPDX-License-Identifier: MIT */
/*
 * The VMX syntax shared by .vmx files, etc/vmware/config and netmap.conf:
 *
 *	#!/usr/bin/vmware
 *	.encoding = "UTF-8"
 *	ethernet0.connectionType = "nat"
 *	displayName = "a |22quoted|22 name"
 *
 * One key = value a line; '#' starts a comment line; keys are
 * case-insensitive; values are quoted, with '"' and '|' written as |22 and
 * |7C.  Private to collect/vmware/.
 */
#ifndef VD_VMXSYNTAX_H
#define VD_VMXSYNTAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/vmware.h"
#include "util/span.h"

/* One parse of a VMX-syntax file into out, all or nothing. */
struct vd_vmx_reader {
	struct vd_vmware *out;
	struct vd_vmware_mark mark; /* out as it was before */
	int file;		    /* the file's index in out->files */
	const char *what;	    /* "netmap.conf", for the reasons */
	bool need_pairs; /* no key = value at all is not the format */
	struct vd_lines lines;
	uint8_t *raw; /* the value with its escapes decoded */
	char *text;   /* ... made a C string of valid UTF-8 */
	size_t cap;
	size_t content; /* lines that are neither blank nor comments */
	size_t pairs;	/* of them, key = value lines */
};

struct vd_vmx_pair {
	struct vd_span key; /* as written, never empty, no blanks, no '"' */
	const char *value;  /* owned by the reader until the next pair */
	struct vd_src src;
};

/*
 * Start: refuse binary data (a NUL or another control byte; -EINVAL, the
 * reason in err), add file to out->files, mark out.  A UTF-8 byte order
 * mark is skipped.  0, -EINVAL, -ENOMEM; on failure there is nothing to
 * end.
 */
int vd_vmx_begin(struct vd_vmx_reader *r, const uint8_t *buf, size_t len,
		 const char *file, const char *what, struct vd_vmware *out,
		 char *err, size_t errlen);
/* 1 with the next key = value, 0 at the end, -ENOMEM. */
int vd_vmx_next(struct vd_vmx_reader *r, struct vd_vmx_pair *pair);
/*
 * End with rc, what the caller's own work returned: when it is 0, refuse
 * lines of which none was key = value (-EINVAL, the reason in err) and
 * let later keys win (vd_vmx_kv_later_wins); on any failure roll out back
 * to the mark.  The final result.
 */
int vd_vmx_end(struct vd_vmx_reader *r, int rc, char *err, size_t errlen);

/* A value into a fixed field, truncated on a character boundary. */
void vd_vmx_copy(char *dst, size_t len, const char *value);

/* "<prefix>N.<rest>" with N in 0..max written without leading zeros:
 * N and rest (never empty). */
bool vd_vmx_indexed(struct vd_span key, const char *prefix, unsigned long max,
		    unsigned *n, struct vd_span *rest);

/* Keep a key as out->kvs does (the key a span, copied); -ENOMEM. */
int vd_vmx_kv_add(struct vd_vmware *out, const char *section,
		  const struct vd_span *key, const char *value,
		  struct vd_src src);

#endif
