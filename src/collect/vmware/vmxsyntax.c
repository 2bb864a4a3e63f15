/* SPDX-License-Identifier: MIT */
/*
 * The VMX line syntax (see vmxsyntax.h).  What is accepted, as VMware and
 * hand edits write it:
 *  - "key = value" with any blanks around '=' (also none), CR LF ends;
 *  - a value in double quotes; text after the closing quote is ignored; a
 *    value without its closing quote runs to the end of the line; an
 *    unquoted value is the rest of the line, trimmed;
 *  - "|XX" (two hex digits) is the byte 0xXX; any other '|' is itself;
 *  - "key =" is the empty value; a line without '=' or with an empty key
 *    or blanks in the key is not a pair (and ignored).
 * Values become C strings of valid UTF-8: NUL bytes (even escaped ones)
 * and invalid UTF-8 are replaced with '?'.
 */
#include "collect/vmware/vmxsyntax.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

static void release(struct vd_vmx_reader *r)
{
	free(r->raw);
	free(r->text);
	r->raw = NULL;
	r->text = NULL;
	r->cap = 0;
}

/* Room for a value of n bytes (and its NUL) in both buffers. */
static int reserve(struct vd_vmx_reader *r, size_t n)
{
	uint8_t *raw;
	char *text;

	if (n < r->cap)
		return 0;
	raw = realloc(r->raw, n + 1);
	if (!raw)
		return -ENOMEM;
	r->raw = raw;
	text = realloc(r->text, n + 1);
	if (!text)
		return -ENOMEM;
	r->text = text;
	r->cap = n + 1;
	return 0;
}

/* The value's text between the quotes (or the rest of the line). */
static struct vd_span value_body(struct vd_span v)
{
	struct vd_span rest;

	vd_span_trim(&v);
	if (v.n == 0 || v.p[0] != '"')
		return v;
	v.p++;
	v.n--;
	if (!vd_span_cut(&v, '"', &rest)) /* unterminated: to the end */
		vd_span_trim(&v);
	return v;
}

static int decode(struct vd_vmx_reader *r, struct vd_span body)
{
	size_t o = 0;

	if (reserve(r, body.n) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < body.n; i++) {
		int hi, lo;

		if (body.p[i] == '|' && i + 2 < body.n &&
		    (hi = vd_hexval(body.p[i + 1])) >= 0 &&
		    (lo = vd_hexval(body.p[i + 2])) >= 0) {
			r->raw[o++] = (uint8_t)(hi * 16 + lo);
			i += 2;
		} else {
			r->raw[o++] = body.p[i];
		}
	}
	vd_text_copy(r->text, r->cap, r->raw, o);
	return 0;
}

static bool key_ok(const struct vd_span *key)
{
	if (key->n == 0)
		return false;
	for (size_t i = 0; i < key->n; i++)
		if (vd_is_blank(key->p[i]) || key->p[i] == '"')
			return false;
	return true;
}

int vd_vmx_next(struct vd_vmx_reader *r, struct vd_vmx_pair *pair)
{
	struct vd_span line, value;

	while (vd_lines_next(&r->lines, &line)) {
		vd_span_trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		r->content++;
		if (!vd_span_cut(&line, '=', &value))
			continue;
		vd_span_trim(&line);
		if (!key_ok(&line))
			continue;
		if (decode(r, value_body(value)) < 0)
			return -ENOMEM;
		r->pairs++;
		pair->key = line;
		pair->value = r->text;
		pair->src = (struct vd_src){ r->file, r->lines.no };
		return 1;
	}
	return 0;
}

int vd_vmx_begin(struct vd_vmx_reader *r, const uint8_t *buf, size_t len,
		 const char *file, const char *what, struct vd_vmware *out,
		 char *err, size_t errlen)
{
	struct vd_span text = { buf, buf ? len : 0 };
	unsigned line;

	memset(r, 0, sizeof(*r));
	vd_span_skip_bom(&text);
	if (vd_span_binary(&text, &line) < text.n) {
		if (err && errlen > 0)
			snprintf(err, errlen,
				 "not a %s: binary data at line %u", what,
				 line);
		return -EINVAL;
	}
	r->file = vd_vmware_file(out, file);
	if (r->file < 0)
		return r->file;
	r->out = out;
	r->what = what;
	vd_vmware_mark(out, &r->mark);
	vd_lines_init(&r->lines, text.p, text.n);
	return 0;
}

/* Lines, and none of them key = value (or nothing where a pair must be). */
static int check_pairs(const struct vd_vmx_reader *r, char *err, size_t errlen)
{
	if (r->pairs > 0 || (r->content == 0 && !r->need_pairs))
		return 0;
	if (err && errlen > 0 && r->content > 0)
		snprintf(err, errlen,
			 "not a %s: none of its %zu lines is key = value",
			 r->what, r->content);
	else if (err && errlen > 0)
		snprintf(err, errlen, "not a %s: no key = value line", r->what);
	return -EINVAL;
}

void vd_vmx_copy(char *dst, size_t len, const char *value)
{
	vd_text_copy(dst, len, (const uint8_t *)value, strlen(value));
}

bool vd_vmx_indexed(struct vd_span key, const char *prefix, unsigned long max,
		    unsigned *n, struct vd_span *rest)
{
	struct vd_span digits = key;
	unsigned long v;

	if (!vd_span_skip_iprefix(&digits, prefix) ||
	    !vd_span_cut(&digits, '.', rest) || rest->n == 0 ||
	    (digits.n > 1 && digits.p[0] == '0') ||
	    !vd_span_ulong(&digits, max, &v))
		return false;
	*n = (unsigned)v;
	return true;
}

int vd_vmx_kv_add(struct vd_vmware *out, const char *section,
		  const struct vd_span *key, const char *value,
		  struct vd_src src)
{
	char *k = vd_span_dup(key);
	int rc;

	if (!k)
		return -ENOMEM;
	rc = vd_vmware_kv_add(out, section, k, value, src);
	free(k);
	return rc;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* strcasecmp without the locale. */
static int ascii_casecmp(const char *a, const char *b)
{
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return lower((unsigned char)*a) - lower((unsigned char)*b);
}

/* By section, key (ignoring case), then place in the array. */
static int kv_order(const void *a, const void *b)
{
	const struct vd_kv *x = *(const struct vd_kv *const *)a;
	const struct vd_kv *y = *(const struct vd_kv *const *)b;
	int c = strcmp(x->section, y->section);

	if (c == 0)
		c = ascii_casecmp(x->key, y->key);
	if (c == 0)
		c = (x > y) - (x < y);
	return c;
}

/*
 * A later key wins, as in VMware: of the kvs from index from on, drop each
 * that a later one with the same section and key (ignoring case)
 * replaces, and keep the order of the rest.  Sorting keeps this
 * linear-logarithmic: a hostile file may repeat one key a million times
 * or hold a million different ones.
 */
static int later_wins(struct vd_vmware *out, size_t from)
{
	size_t n = out->n_kvs > from ? out->n_kvs - from : 0, w = from;
	struct vd_kv **order;
	bool *drop;

	if (n < 2)
		return 0;
	order = malloc(n * sizeof(*order));
	drop = calloc(n, sizeof(*drop));
	if (!order || !drop) {
		free(order);
		free(drop);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = &out->kvs[from + i];
	qsort(order, n, sizeof(*order), kv_order);
	for (size_t i = 0; i + 1 < n; i++)
		if (strcmp(order[i]->section, order[i + 1]->section) == 0 &&
		    ascii_casecmp(order[i]->key, order[i + 1]->key) == 0)
			drop[order[i] - &out->kvs[from]] = true;
	for (size_t i = 0; i < n; i++) {
		struct vd_kv *kv = &out->kvs[from + i];

		if (drop[i]) {
			free(kv->section);
			free(kv->key);
			free(kv->value);
		} else {
			out->kvs[w++] = *kv;
		}
	}
	out->n_kvs = w;
	free(order);
	free(drop);
	return 0;
}

int vd_vmx_end(struct vd_vmx_reader *r, int rc, char *err, size_t errlen)
{
	if (rc == 0)
		rc = check_pairs(r, err, errlen);
	if (rc == 0)
		rc = later_wins(r->out, r->mark.kvs);
	release(r);
	if (rc < 0)
		vd_vmware_rollback(r->out, &r->mark);
	return rc;
}
