/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: VMware log scanner. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"
#include "fuzz_vmware.h"
#include "util/span.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prior[] = "Failed to start NAT service on vmnet8\n";

static bool utf16(const uint8_t *data, size_t size)
{
	return size >= 2 && ((data[0] == 0xff && data[1] == 0xfe) ||
			     (data[0] == 0xfe && data[1] == 0xff));
}

static void check(const struct vd_vmware *v, const struct fuzz_before *b,
		  const uint8_t *data, size_t size)
{
	unsigned lines = fuzz_lines(data, size);

	if (v->n_log_hits - b->log_hits > 1000)
		__builtin_trap();
	for (size_t i = b->log_hits; i < v->n_log_hits; i++) {
		const struct vd_log_hit *h = &v->log_hits[i];
		size_t n;

		FUZZ_FIELD(h->kind);
		FUZZ_STR(h->text);
		n = strlen(h->text);
		if (!h->kind[0] || !n || n > 512 ||
		    vd_is_blank((uint8_t)h->text[0]) ||
		    vd_is_blank((uint8_t)h->text[n - 1]) ||
		    (size_t)h->src.file >= v->n_files || !h->src.line ||
		    (!utf16(data, size) && h->src.line > lines) ||
		    (i > b->log_hits && h->src.line <= h[-1].src.line))
			__builtin_trap();
	}
	/* only the count of the hits past the cap is kept */
	if (v->n_kvs !=
	    b->kvs + (v->n_log_hits - b->log_hits == 1000 && v->n_kvs > b->kvs))
		__builtin_trap();
}

/* With CR LF line ends, a text without NUL bytes has the same hits. */
static void check_crlf(const struct vd_vmware *v, size_t from,
		       const uint8_t *data, size_t size)
{
	struct vd_vmware w;
	char err[128] = "";
	uint8_t *crlf;
	size_t n = 0;

	if (utf16(data, size) || memchr(data, 0, size))
		return;
	crlf = malloc(2 * size + 1);
	if (!crlf)
		return;
	for (size_t i = 0; i < size; i++) {
		if (data[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = data[i];
	}
	vd_vmware_init(&w);
	if (vd_parse_vmware_log(crlf, n, "crlf", &w, err, sizeof(err)) == 0) {
		if (w.n_log_hits != v->n_log_hits - from)
			__builtin_trap();
		for (size_t i = 0; i < w.n_log_hits; i++) {
			const struct vd_log_hit *a = &w.log_hits[i];
			const struct vd_log_hit *b = &v->log_hits[from + i];

			if (strcmp(a->kind, b->kind) ||
			    strcmp(a->text, b->text) ||
			    a->src.line != b->src.line)
				__builtin_trap();
		}
	}
	vd_vmware_free(&w);
	free(crlf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_vmware v;
	struct fuzz_before before;
	char err[128] = "";
	size_t probe = size < 4096 ? size : 4096;
	int rc;

	vd_vmware_init(&v);
	if (vd_parse_vmware_log((const uint8_t *)prior, sizeof(prior) - 1,
				"prior", &v, err, sizeof(err)) != 0 ||
	    v.n_log_hits != 1)
		__builtin_trap();
	fuzz_before(&v, &before);
	rc = vd_parse_vmware_log(data, size, "vmware.log", &v, err,
				 sizeof(err));
	/* binary exactly when a NUL is in the first 4 KiB of the text */
	if (!utf16(data, size) && (rc == -EINVAL) != !!memchr(data, 0, probe))
		__builtin_trap();
	if (rc == 0) {
		if (err[0] || strcmp(v.log_hits[0].kind, "nat-start") != 0)
			__builtin_trap();
		check(&v, &before, data, size);
		check_crlf(&v, before.log_hits, data, size);
	} else {
		fuzz_failed(&v, &before, rc, err);
	}
	vd_vmware_free(&v);
	return 0;
}
