/* SPDX-License-Identifier: MIT */
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(struct vd_strbuf *sb, size_t need)
{
	size_t cap;
	char *n;

	if (sb->oom)
		return -1;
	if (sb->len + need + 1 <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 256;
	while (cap < sb->len + need + 1)
		cap *= 2;
	n = realloc(sb->s, cap);
	if (!n) {
		sb->oom = 1;
		return -1;
	}
	sb->s = n;
	sb->cap = cap;
	return 0;
}

void vd_sb_printf(struct vd_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(sb, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void vd_sb_puts(struct vd_strbuf *sb, const char *s)
{
	size_t n = strlen(s);

	if (grow(sb, n) < 0)
		return;
	memcpy(sb->s + sb->len, s, n + 1);
	sb->len += n;
}

void vd_sb_repeat(struct vd_strbuf *sb, const char *s, size_t n)
{
	while (n--)
		vd_sb_puts(sb, s);
}

char *vd_sb_take(struct vd_strbuf *sb)
{
	char *s = sb->oom ? NULL : sb->s;

	if (!s && !sb->oom)
		s = calloc(1, 1);
	if (sb->oom)
		free(sb->s);
	*sb = (struct vd_strbuf){ 0 };
	return s;
}

void vd_sb_free(struct vd_strbuf *sb)
{
	free(sb->s);
	*sb = (struct vd_strbuf){ 0 };
}
