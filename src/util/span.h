/* SPDX-License-Identifier: MIT */
/*
 * Runs of outside bytes and the line/word tokenizer every text parser
 * shares.  Nothing here reads past p + n; nothing needs a NUL terminator.
 */
#ifndef VD_SPAN_H
#define VD_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vd_span {
	const uint8_t *p;
	size_t n;
};

struct vd_lines {
	const uint8_t *p;
	size_t left;
	unsigned no; /* number of the line last returned, from 1 */
};

void vd_lines_init(struct vd_lines *l, const uint8_t *buf, size_t len);
/* Next line without its LF (a CR before it stays, trim removes it);
 * false at the end of the input. */
bool vd_lines_next(struct vd_lines *l, struct vd_span *line);

/* Blank: space, tab, CR, VT, FF. */
bool vd_is_blank(uint8_t c);
void vd_span_trim(struct vd_span *s);
/* Split the first blank-separated word off s; false when none is left. */
bool vd_span_word(struct vd_span *s, struct vd_span *w);
/* Exactly word (vd_span_is) or word ignoring ASCII case (vd_span_ieq). */
bool vd_span_is(const struct vd_span *s, const char *word);
bool vd_span_ieq(const struct vd_span *s, const char *word);
/* Does s start with prefix, ignoring case?  Then skip it. */
bool vd_span_skip_iprefix(struct vd_span *s, const char *prefix);
/* Cut s at the first c: s keeps what is before, *rest what is after.
 * false (and s unchanged) when there is no c. */
bool vd_span_cut(struct vd_span *s, uint8_t c, struct vd_span *rest);
/* A decimal number of at most max, digits only. */
bool vd_span_ulong(const struct vd_span *w, unsigned long max,
		   unsigned long *out);
/* Drop a UTF-8 byte order mark (Windows editors write one). */
void vd_span_skip_bom(struct vd_span *s);
/* The offset of the first byte no text file holds (NUL, a control byte
 * other than blanks and LF, DEL), or s->n; its 1-based line in *line. */
size_t vd_span_binary(const struct vd_span *s, unsigned *line);
/* The value of a hex digit, -1 for anything else. */
int vd_hexval(int c);
/* A copy as a C string, NULs and invalid UTF-8 replaced (vd_text_copy);
 * vd_span_dup allocates (NULL: out of memory), vd_span_copy truncates. */
char *vd_span_dup(const struct vd_span *s);
void vd_span_copy(char *dst, size_t dstlen, const struct vd_span *s);
/* An IPv4 or IPv6 address in dotted/colon form; false otherwise. */
struct vd_ip;
bool vd_span_ip(const struct vd_span *s, struct vd_ip *ip);

/*
 * Statements of brace-and-semicolon configuration files (ISC dhcpd.conf
 * and dhcpd.leases, named.conf): the words and "strings" before a ';'
 * (a statement), a '{' (a block's head) or a '}' (a block's end).  '#'
 * starts a comment to the end of the line, ',' separates like a blank,
 * and a backslash escapes the next byte inside a string.
 */
#define VD_STMT_WORDS 16

struct vd_stmt {
	/* ';' '{' '}'; '#' a comment between statements (text is after the
	 * '#'); 0 the end of the input (n > 0: a statement left open). */
	uint8_t end;
	unsigned line; /* of the first word, else of the end mark */
	size_t n;      /* words, also those past VD_STMT_WORDS */
	struct vd_span w[VD_STMT_WORDS]; /* strings without their quotes */
	bool quoted[VD_STMT_WORDS];
	bool open_string;    /* the input ended inside a string */
	struct vd_span text; /* first word to last, quotes kept */
};

struct vd_stmts {
	const uint8_t *p;
	size_t left;
	unsigned line;
};

void vd_stmts_init(struct vd_stmts *t, const uint8_t *buf, size_t len);
/* The next statement; false at the end of the input with nothing read. */
bool vd_stmts_next(struct vd_stmts *t, struct vd_stmt *st);
/* Words i.. as written (quotes kept), up to the end of the statement. */
struct vd_span vd_stmt_rest(const struct vd_stmt *st, size_t i);

#endif
