/* SPDX-License-Identifier: MIT */
#include "util/span.h"

#include <stdlib.h>
#include <string.h>

#include "facts/types.h"
#include "util/ip.h"
#include "util/utf8.h"

void vd_lines_init(struct vd_lines *l, const uint8_t *buf, size_t len)
{
	l->p = buf;
	l->left = buf ? len : 0;
	l->no = 0;
}

bool vd_lines_next(struct vd_lines *l, struct vd_span *line)
{
	const uint8_t *nl;
	size_t n;

	if (l->left == 0)
		return false;
	nl = memchr(l->p, '\n', l->left);
	n = nl ? (size_t)(nl - l->p) : l->left;
	line->p = l->p;
	line->n = n;
	l->p += n;
	l->left -= n;
	if (l->left > 0) { /* the LF */
		l->p++;
		l->left--;
	}
	l->no++;
	return true;
}

bool vd_is_blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

void vd_span_trim(struct vd_span *s)
{
	while (s->n > 0 && vd_is_blank(s->p[0])) {
		s->p++;
		s->n--;
	}
	while (s->n > 0 && vd_is_blank(s->p[s->n - 1]))
		s->n--;
}

bool vd_span_word(struct vd_span *s, struct vd_span *w)
{
	size_t i = 0;

	vd_span_trim(s);
	if (s->n == 0)
		return false;
	while (i < s->n && !vd_is_blank(s->p[i]))
		i++;
	w->p = s->p;
	w->n = i;
	s->p += i;
	s->n -= i;
	return true;
}

bool vd_span_is(const struct vd_span *s, const char *word)
{
	size_t n = strlen(word);

	return s->n == n && memcmp(s->p, word, n) == 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool ieq_n(const uint8_t *p, const char *word, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(p[i]) != lower((uint8_t)word[i]))
			return false;
	return true;
}

bool vd_span_ieq(const struct vd_span *s, const char *word)
{
	size_t n = strlen(word);

	return s->n == n && ieq_n(s->p, word, n);
}

bool vd_span_skip_iprefix(struct vd_span *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (s->n < n || !ieq_n(s->p, prefix, n))
		return false;
	s->p += n;
	s->n -= n;
	return true;
}

bool vd_span_cut(struct vd_span *s, uint8_t c, struct vd_span *rest)
{
	const uint8_t *at = s->n ? memchr(s->p, c, s->n) : NULL;

	if (!at)
		return false;
	rest->p = at + 1;
	rest->n = s->n - (size_t)(at - s->p) - 1;
	s->n = (size_t)(at - s->p);
	return true;
}

bool vd_span_ulong(const struct vd_span *w, unsigned long max,
		   unsigned long *out)
{
	unsigned long v = 0;

	if (w->n == 0)
		return false;
	for (size_t i = 0; i < w->n; i++) {
		unsigned d;

		if (w->p[i] < '0' || w->p[i] > '9')
			return false;
		d = (unsigned)(w->p[i] - '0');
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

void vd_span_skip_bom(struct vd_span *s)
{
	if (s->n >= 3 && s->p[0] == 0xef && s->p[1] == 0xbb &&
	    s->p[2] == 0xbf) {
		s->p += 3;
		s->n -= 3;
	}
}

size_t vd_span_binary(const struct vd_span *s, unsigned *line)
{
	size_t i;

	*line = 1;
	for (i = 0; i < s->n; i++) {
		uint8_t c = s->p[i];

		if (c == '\n')
			(*line)++;
		else if ((c < 0x20 && !vd_is_blank(c)) || c == 0x7f)
			break;
	}
	return i;
}

int vd_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *vd_span_dup(const struct vd_span *s)
{
	char *p = malloc(s->n + 1);

	if (p)
		vd_text_copy(p, s->n + 1, s->p, s->n);
	return p;
}

void vd_span_copy(char *dst, size_t dstlen, const struct vd_span *s)
{
	vd_text_copy(dst, dstlen, s->p, s->n);
}

bool vd_span_ip(const struct vd_span *s, struct vd_ip *ip)
{
	char buf[VD_IPSTR_MAX];

	if (s->n == 0 || s->n >= sizeof(buf))
		return false;
	memcpy(buf, s->p, s->n);
	buf[s->n] = '\0';
	if (memchr(buf, '\0', s->n))
		return false;
	return vd_ip_parse(buf, ip) == 0;
}

void vd_stmts_init(struct vd_stmts *t, const uint8_t *buf, size_t len)
{
	t->p = buf;
	t->left = buf ? len : 0;
	t->line = 1;
}

static void stmts_skip(struct vd_stmts *t, size_t n)
{
	t->p += n;
	t->left -= n;
}

/* Bytes that end a word outside a string. */
static bool stmt_delim(uint8_t c)
{
	return vd_is_blank(c) || c == '\n' || c == ';' || c == '{' ||
	       c == '}' || c == ',' || c == '"' || c == '#';
}

/* A string at t->p (on its opening quote): its length with the quotes,
 * one less when the input ends inside it. */
static size_t stmt_string(struct vd_stmts *t, bool *closed)
{
	size_t i = 1;

	while (i < t->left && t->p[i] != '"') {
		if (t->p[i] == '\\' && i + 1 < t->left)
			i++;
		if (t->p[i] == '\n')
			t->line++;
		i++;
	}
	*closed = i < t->left;
	return *closed ? i + 1 : i;
}

static void stmt_add(struct vd_stmt *st, const uint8_t *raw, size_t rawlen,
		     bool quoted, bool closed)
{
	if (st->n == 0)
		st->text.p = raw;
	if (st->n < VD_STMT_WORDS) {
		st->w[st->n].p = raw + quoted;
		st->w[st->n].n = rawlen - quoted - (quoted && closed);
		st->quoted[st->n] = quoted;
	}
	st->text.n = (size_t)(raw + rawlen - st->text.p);
	st->n++;
}

bool vd_stmts_next(struct vd_stmts *t, struct vd_stmt *st)
{
	st->end = 0;
	st->line = t->line;
	st->n = 0;
	st->open_string = false;
	st->text.p = t->p;
	st->text.n = 0;
	while (t->left > 0) {
		uint8_t c = t->p[0];
		size_t n = 0;
		bool closed = true;

		if (c == '\n' || vd_is_blank(c) || c == ',') {
			t->line += c == '\n';
			stmts_skip(t, 1);
			continue;
		}
		if (st->n == 0)
			st->line = t->line;
		if (c == '#') {
			const uint8_t *nl = memchr(t->p, '\n', t->left);

			n = nl ? (size_t)(nl - t->p) : t->left;
			if (st->n == 0) {
				st->end = '#';
				st->text.p = t->p + 1;
				st->text.n = n - 1;
			}
			stmts_skip(t, n);
			if (st->n == 0)
				return true;
			continue;
		}
		if (c == ';' || c == '{' || c == '}') {
			st->end = c;
			stmts_skip(t, 1);
			return true;
		}
		if (c == '"') {
			n = stmt_string(t, &closed);
			st->open_string = !closed;
		} else {
			while (n < t->left && !stmt_delim(t->p[n]))
				n++;
		}
		stmt_add(st, t->p, n, c == '"', closed);
		stmts_skip(t, n);
	}
	return st->n > 0;
}

struct vd_span vd_stmt_rest(const struct vd_stmt *st, size_t i)
{
	struct vd_span s = { st->text.p + st->text.n, 0 };

	if (i < st->n && i < VD_STMT_WORDS) {
		s.p = st->w[i].p - st->quoted[i];
		s.n = (size_t)(st->text.p + st->text.n - s.p);
	}
	return s;
}
