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
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
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
