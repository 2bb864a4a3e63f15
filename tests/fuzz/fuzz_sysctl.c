/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: sysctl.d parser. */
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
	unsigned last = 0;

	if (!f)
		return 0;
	if (vd_parse_sysctl(data, size, "/etc/sysctl.d/fuzz.conf", f) == 0) {
		if (f->n_sysctl_files != 1)
			__builtin_trap();
		for (size_t i = 0; i < f->n_sysctls; i++) {
			const struct vd_sysctl *s = &f->sysctls[i];

			check_text(s->key);
			check_text(s->value);
			/* one leading '-' is stripped, as systemd does:
			 * "--k" stays "-k" */
			if (!s->key[0] || strchr(s->key, '/') ||
			    s->line <= last)
				__builtin_trap();
			last = s->line;
			if (vd_facts_sysctl(f, s->key) == NULL)
				__builtin_trap();
		}
	}
	vd_facts_free(f);
	return 0;
}
