/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: /proc/modules parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The model only holds NUL-terminated, valid UTF-8 text. */
static void check_text(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	const uint8_t *p = (const uint8_t *)s;

	if (n == max)
		__builtin_trap();
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

	if (!f)
		return 0;
	if (vd_parse_modules(data, size, f) == 0) {
		for (size_t i = 0; i < f->n_modules; i++) {
			const struct vd_module *m = &f->modules[i];

			check_text(m->name, sizeof(m->name));
			check_text(m->state, sizeof(m->state));
			if (!m->name[0] || m->refcnt < -1)
				__builtin_trap();
			if (vd_facts_module(f, m->name) == NULL)
				__builtin_trap();
		}
		vd_facts_sort(f);
	}
	vd_facts_free(f);
	return 0;
}
