/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: resolv.conf parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The model only holds NUL-terminated, valid UTF-8 text. */
static void check_text(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		size_t k = p[i] < 0x80	 ? 1
			   : p[i] < 0xe0 ? 2
			   : p[i] < 0xf0 ? 3
					 : 4;

		if (p[i] >= 0x80 && (p[i] < 0xc2 || p[i] > 0xf4))
			__builtin_trap();
		if (i + k > n)
			__builtin_trap();
		for (size_t j = 1; j < k; j++)
			if ((p[i + j] & 0xc0) != 0x80)
				__builtin_trap();
		i += k;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_facts *f = vd_facts_new();
	const struct vd_resolv *r;

	if (!f)
		return 0;
	/* Twice: the second result replaces the first. */
	for (int pass = 0; pass < 2; pass++) {
		if (vd_parse_resolv(data, size, "/etc/resolv.conf",
				    &f->resolv) != 0)
			break;
		r = &f->resolv;
		if (r->present != VD_YES || strcmp(r->file, "/etc/resolv.conf"))
			__builtin_trap();
		for (size_t i = 0; i < r->n_nameservers; i++) {
			uint8_t fam = r->nameservers[i].family;

			if (fam != VD_AF_INET && fam != VD_AF_INET6)
				__builtin_trap();
			if (r->ns_lines[i] == 0 ||
			    (i > 0 && r->ns_lines[i] <= r->ns_lines[i - 1]))
				__builtin_trap();
		}
		for (size_t i = 0; i < r->n_search; i++)
			check_text(r->search[i]);
	}
	vd_facts_free(f);
	return 0;
}
