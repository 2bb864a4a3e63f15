/* SPDX-License-Identifier: MIT */
/* A growing string: renderers build their output here, cmd/ prints it. */
#ifndef VD_STRBUF_H
#define VD_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct vd_strbuf {
	char *s;
	size_t len, cap;
	int oom; /* sticky: an append failed */
};

__attribute__((format(printf, 2, 3))) void vd_sb_printf(struct vd_strbuf *sb,
							const char *fmt, ...);
void vd_sb_puts(struct vd_strbuf *sb, const char *s);
void vd_sb_repeat(struct vd_strbuf *sb, const char *s, size_t n);
/* Hand the string over (NULL after an allocation failure); sb is reset. */
char *vd_sb_take(struct vd_strbuf *sb);
void vd_sb_free(struct vd_strbuf *sb);

#endif
