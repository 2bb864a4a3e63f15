/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: os-release parser. */
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
	struct vd_host h;

	memset(&h, 0xa5, sizeof(h)); /* unterminated garbage */
	h.hostname[0] = '\0';
	if (vd_parse_os_release(data, size, &h) == 0) {
		check_text(h.os_id, sizeof(h.os_id));
		check_text(h.os_version, sizeof(h.os_version));
		check_text(h.os_pretty, sizeof(h.os_pretty));
		if (h.hostname[0] != '\0') /* not the parser's */
			__builtin_trap();
	}
	return 0;
}
