/* SPDX-License-Identifier: MIT */
/*
 * A checked reader over outside bytes (OpenBSD dhcpleased style): a pointer
 * and what is left; every get fails rather than read past the end, and
 * moves on only when it succeeds.
 */
#ifndef VD_CURSOR_H
#define VD_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cur {
	const uint8_t *p;
	size_t left;
};

static inline bool cur_skip(struct cur *c, size_t n)
{
	if (c->left < n)
		return false;
	c->p += n;
	c->left -= n;
	return true;
}

static inline bool cur_bytes(struct cur *c, void *dst, size_t n)
{
	if (c->left < n)
		return false;
	memcpy(dst, c->p, n);
	return cur_skip(c, n);
}

static inline bool cur_u8(struct cur *c, uint8_t *v)
{
	if (c->left < 1)
		return false;
	*v = c->p[0];
	return cur_skip(c, 1);
}

static inline bool cur_be16(struct cur *c, uint16_t *v)
{
	if (c->left < 2)
		return false;
	*v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	return cur_skip(c, 2);
}

static inline bool cur_be32(struct cur *c, uint32_t *v)
{
	if (c->left < 4)
		return false;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	     (uint32_t)c->p[2] << 8 | c->p[3];
	return cur_skip(c, 4);
}

#endif
