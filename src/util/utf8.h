/* SPDX-License-Identifier: MIT */
/* Outside text (file lines, interface names, command lines) made safe for C
 * strings and JSON. */
#ifndef VD_UTF8_H
#define VD_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length of the valid UTF-8 sequence at p (at most n > 0 bytes there), or 0
 * when the bytes there are not one: overlong forms, surrogates and code
 * points past U+10FFFF are invalid.  A NUL byte is a valid sequence of 1.
 */
size_t vd_utf8_seq(const uint8_t *p, size_t n);

/*
 * Copy outside text into dst (dstlen > 0), replacing NUL bytes and invalid
 * UTF-8 with '?' and truncating on a character boundary.
 */
void vd_text_copy(char *dst, size_t dstlen, const uint8_t *src, size_t n);

#endif
