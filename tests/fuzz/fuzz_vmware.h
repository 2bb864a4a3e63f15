/* SPDX-License-Identifier: MIT */
/*
 * What the harnesses of the VMX-syntax and log parsers share: a model that
 * already holds something before the input is parsed into it, the check
 * that a failure left it as it was, and checks of the text they copy.
 */
#ifndef VD_FUZZ_VMWARE_H
#define VD_FUZZ_VMWARE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "facts/vmware.h"
#include "util/utf8.h"

/* The counts of the model before the input. */
struct fuzz_before {
	size_t files, vms, netmap, log_hits, kvs;
	char product_version[32];
};

static inline void fuzz_before(const struct vd_vmware *v, struct fuzz_before *b)
{
	b->files = v->n_files;
	b->vms = v->n_vms;
	b->netmap = v->n_netmap;
	b->log_hits = v->n_log_hits;
	b->kvs = v->n_kvs;
	memcpy(b->product_version, v->product_version,
	       sizeof(b->product_version));
}

/* After a failure: nothing added (a new file name is allowed). */
static inline void fuzz_unchanged(const struct vd_vmware *v,
				  const struct fuzz_before *b)
{
	if (v->n_files > b->files + 1 || v->n_vms != b->vms ||
	    v->n_netmap != b->netmap || v->n_log_hits != b->log_hits ||
	    v->n_kvs != b->kvs ||
	    memcmp(v->product_version, b->product_version,
		   sizeof(b->product_version)) != 0)
		__builtin_trap();
}

/* A failure: -EINVAL with a reason, or -ENOMEM; the model as it was. */
static inline void fuzz_failed(const struct vd_vmware *v,
			       const struct fuzz_before *b, int rc,
			       const char *err)
{
	if ((rc != -EINVAL && rc != -ENOMEM) || (rc == -EINVAL && !err[0]))
		__builtin_trap();
	fuzz_unchanged(v, b);
}

/* A field: NUL-terminated inside its array, valid UTF-8. */
static inline void fuzz_text(const char *s, size_t size)
{
	const uint8_t *p = (const uint8_t *)s;
	const uint8_t *end = memchr(p, '\0', size);
	size_t n;

	if (!end)
		__builtin_trap();
	n = (size_t)(end - p);
	for (size_t i = 0; i < n;) {
		size_t k = vd_utf8_seq(p + i, n - i);

		if (k == 0)
			__builtin_trap();
		i += k;
	}
}

#define FUZZ_FIELD(f) fuzz_text((f), sizeof(f))
#define FUZZ_STR(s)   fuzz_text((s), strlen(s) + 1)

static inline int fuzz_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static inline bool fuzz_ieq(const char *a, const char *b)
{
	while (*a &&
	       fuzz_lower((unsigned char)*a) == fuzz_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == *b;
}

/*
 * The kvs from index from: strings valid, the file's, lines in 1..lines,
 * in the order of the file, and (later keys win) no section and key twice.
 * Quadratic: the fuzzer's inputs are small.
 */
static inline void fuzz_kvs(const struct vd_vmware *v, size_t from, int file,
			    unsigned lines)
{
	for (size_t i = from; i < v->n_kvs; i++) {
		const struct vd_kv *kv = &v->kvs[i];

		FUZZ_STR(kv->section);
		FUZZ_STR(kv->key);
		FUZZ_STR(kv->value);
		if (!kv->key[0] || kv->src.file != file || !kv->src.line ||
		    kv->src.line > lines ||
		    (i > from && kv->src.line <= kv[-1].src.line))
			__builtin_trap();
		for (size_t j = from; j < i; j++)
			if (strcmp(v->kvs[j].section, kv->section) == 0 &&
			    fuzz_ieq(v->kvs[j].key, kv->key))
				__builtin_trap();
	}
}

static inline unsigned fuzz_lines(const uint8_t *p, size_t n)
{
	unsigned lines = 1;

	for (size_t i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

#endif
