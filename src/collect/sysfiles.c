/* SPDX-License-Identifier: MIT */
/*
 * Parsers of small system files: /proc/modules, resolv.conf, sysctl.d and
 * os-release.  Bytes in, facts out: no I/O.  The input comes from outside
 * (a sysroot, a fuzzer), so every read is checked against the remaining
 * length, NUL bytes and invalid UTF-8 never reach the model, and lines that
 * do not parse are skipped the way the programs that read these files skip
 * them.
 */
#include "collect/collect.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/ip.h"

/* A run of bytes inside the input buffer. */
struct span {
	const uint8_t *p;
	size_t n;
};

struct lines {
	const uint8_t *p;
	size_t left;
	unsigned no; /* number of the line last returned, from 1 */
};

static void lines_init(struct lines *l, const uint8_t *buf, size_t len)
{
	l->p = buf;
	l->left = buf ? len : 0;
	l->no = 0;
}

/* Next line without its LF; false at the end of the input. */
static bool next_line(struct lines *l, struct span *line)
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

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(struct span *s)
{
	while (s->n > 0 && is_space(s->p[0])) {
		s->p++;
		s->n--;
	}
	while (s->n > 0 && is_space(s->p[s->n - 1]))
		s->n--;
}

/* Split the first blank-separated word off s. */
static bool next_word(struct span *s, struct span *w)
{
	size_t i = 0;

	trim(s);
	if (s->n == 0)
		return false;
	while (i < s->n && !is_space(s->p[i]))
		i++;
	w->p = s->p;
	w->n = i;
	s->p += i;
	s->n -= i;
	return true;
}

static bool span_is(const struct span *s, const char *word)
{
	size_t n = strlen(word);

	return s->n == n && memcmp(s->p, word, n) == 0;
}

static char *text_dup(const struct span *s)
{
	char *p = malloc(s->n + 1);

	if (p)
		vd_text_copy(p, s->n + 1, s->p, s->n);
	return p;
}

/* A decimal number of at most max; digits only. */
static bool parse_ulong(const struct span *w, unsigned long max,
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

/* ------------------------------------------------------------------ */
/* /proc/modules */

/* Module names are short identifiers; anything else is not a module. */
static bool module_name_ok(const struct span *w)
{
	if (w->n == 0 || w->n >= sizeof(((struct vd_module *)0)->name))
		return false;
	for (size_t i = 0; i < w->n; i++)
		if (w->p[i] <= 0x20 || w->p[i] >= 0x7f)
			return false;
	return true;
}

int vd_parse_modules(const uint8_t *buf, size_t len, struct vd_facts *f)
{
	size_t start = f->n_modules;
	struct lines l;
	struct span line;

	lines_init(&l, buf, len);
	while (next_line(&l, &line)) {
		struct span name, size, ref, deps, state;
		unsigned long sz, rc = 0;
		struct vd_module *m;

		if (!next_word(&line, &name) || !next_word(&line, &size) ||
		    !next_word(&line, &ref))
			continue;
		if (!module_name_ok(&name) || !parse_ulong(&size, ~0UL, &sz))
			continue;
		/* "-": the kernel cannot unload modules, no count. */
		if (!span_is(&ref, "-") && !parse_ulong(&ref, 0x7fffffff, &rc))
			continue;
		m = VD_PUSH(f, modules);
		if (!m)
			goto nomem;
		memcpy(m->name, name.p, name.n);
		m->size = sz;
		m->refcnt = span_is(&ref, "-") ? -1 : (int)rc;
		if (next_word(&line, &deps) && next_word(&line, &state))
			vd_text_copy(m->state, sizeof(m->state), state.p,
				     state.n);
	}
	return 0;
nomem:
	f->n_modules = start;
	return -ENOMEM;
}

/* ------------------------------------------------------------------ */
/* resolv.conf */

static void resolv_clear(struct vd_resolv *r)
{
	free(r->file);
	free(r->nameservers);
	free(r->ns_lines);
	for (size_t i = 0; i < r->n_search; i++)
		free(r->search[i]);
	free(r->search);
	memset(r, 0, sizeof(*r));
}

/* Does the line start with keyword followed by a blank (as glibc wants)? */
static bool keyword(struct span *line, const char *kw)
{
	size_t n = strlen(kw);

	if (line->n <= n || memcmp(line->p, kw, n) != 0 ||
	    (line->p[n] != ' ' && line->p[n] != '\t'))
		return false;
	line->p += n;
	line->n -= n;
	return true;
}

/* An IPv4 or IPv6 nameserver; an IPv6 zone ("%eth0") is dropped. */
static bool nameserver_addr(const struct span *w, struct vd_ip *ip)
{
	char s[VD_IPSTR_MAX + 64];
	char *pct;

	if (w->n >= sizeof(s) || memchr(w->p, '\0', w->n))
		return false;
	memcpy(s, w->p, w->n);
	s[w->n] = '\0';
	pct = strchr(s, '%');
	if (pct) {
		*pct = '\0';
		return vd_ip_parse(s, ip) == 0 && ip->family == VD_AF_INET6;
	}
	return vd_ip_parse(s, ip) == 0;
}

/* Grow an array to hold at least need elements, doubling; -ENOMEM. */
static int grow(void **arr, size_t *cap, size_t need, size_t elsize)
{
	size_t ncap = *cap ? *cap : 4;
	void *p;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, ncap * elsize);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Capacities of the two nameserver arrays while parsing. */
struct ns_caps {
	size_t ns, lines;
};

static int resolv_nameserver(struct vd_resolv *r, struct ns_caps *cap,
			     struct span *rest, unsigned lineno)
{
	struct span w;
	struct vd_ip ip;

	if (!next_word(rest, &w) || !nameserver_addr(&w, &ip))
		return 0; /* the resolver ignores it too */
	if (grow((void **)&r->nameservers, &cap->ns, r->n_nameservers + 1,
		 sizeof(ip)) < 0 ||
	    grow((void **)&r->ns_lines, &cap->lines, r->n_nameservers + 1,
		 sizeof(unsigned)) < 0)
		return -ENOMEM;
	r->nameservers[r->n_nameservers] = ip;
	r->ns_lines[r->n_nameservers] = lineno;
	r->n_nameservers++;
	return 0;
}

/* "search" and "domain" replace each other: the last one wins. */
static int resolv_search(struct vd_resolv *r, struct span *rest, bool single)
{
	char **list = NULL;
	size_t n = 0, cap = 0;
	struct span w;

	while (next_word(rest, &w)) {
		if (grow((void **)&list, &cap, n + 1, sizeof(*list)) < 0)
			goto nomem;
		list[n] = text_dup(&w);
		if (!list[n])
			goto nomem;
		n++;
		if (single)
			break;
	}
	if (n == 0) {
		free(list);
		return 0;
	}
	for (size_t i = 0; i < r->n_search; i++)
		free(r->search[i]);
	free(r->search);
	r->search = list;
	r->n_search = n;
	return 0;
nomem:
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return -ENOMEM;
}

int vd_parse_resolv(const uint8_t *buf, size_t len, const char *file,
		    struct vd_resolv *out)
{
	struct vd_resolv r = { .present = VD_YES };
	struct ns_caps caps = { 0 };
	struct lines l;
	struct span line;
	int err = 0;

	if (file && !(r.file = strdup(file)))
		return -ENOMEM;
	lines_init(&l, buf, len);
	while (err == 0 && next_line(&l, &line)) {
		if (line.n == 0 || line.p[0] == '#' || line.p[0] == ';')
			continue;
		if (keyword(&line, "nameserver"))
			err = resolv_nameserver(&r, &caps, &line, l.no);
		else if (keyword(&line, "search"))
			err = resolv_search(&r, &line, false);
		else if (keyword(&line, "domain"))
			err = resolv_search(&r, &line, true);
	}
	if (err) {
		resolv_clear(&r);
		return err;
	}
	resolv_clear(out);
	*out = r;
	return 0;
}

/* ------------------------------------------------------------------ */
/* sysctl.d */

int vd_parse_sysctl(const uint8_t *buf, size_t len, const char *file,
		    struct vd_facts *f)
{
	size_t start = f->n_sysctls;
	struct span fname = { (const uint8_t *)(file ? file : ""),
			      file ? strlen(file) : 0 };
	char **fp;
	struct lines l;
	struct span line;

	lines_init(&l, buf, len);
	while (next_line(&l, &line)) {
		const uint8_t *eq;
		struct span key, val;
		struct vd_sysctl *s;

		trim(&line);
		if (line.n == 0 || line.p[0] == '#' || line.p[0] == ';')
			continue;
		eq = memchr(line.p, '=', line.n);
		if (!eq)
			continue; /* not an assignment: systemd skips it */
		key.p = line.p;
		key.n = (size_t)(eq - line.p);
		val.p = eq + 1;
		val.n = line.n - key.n - 1;
		trim(&key);
		trim(&val);
		/* "-key": failures to set it are ignored; same key. */
		if (key.n > 0 && key.p[0] == '-') {
			key.p++;
			key.n--;
			trim(&key);
		}
		if (key.n == 0)
			continue;
		s = VD_PUSH(f, sysctls);
		if (!s)
			goto nomem;
		s->line = l.no;
		s->key = text_dup(&key);
		s->value = text_dup(&val);
		s->file = text_dup(&fname);
		if (!s->key || !s->value || !s->file)
			goto nomem;
		/*
		 * "net/ipv4/ip_forward" and "net.ipv4.ip_forward" name the
		 * same file; the model keeps dots only.
		 */
		for (char *c = s->key; *c; c++)
			if (*c == '/')
				*c = '.';
	}
	fp = VD_PUSH(f, sysctl_files);
	if (!fp)
		goto nomem;
	*fp = text_dup(&fname);
	if (!*fp) {
		f->n_sysctl_files--;
		goto nomem;
	}
	return 0;
nomem:
	for (size_t i = start; i < f->n_sysctls; i++) {
		free(f->sysctls[i].key);
		free(f->sysctls[i].value);
		free(f->sysctls[i].file);
	}
	f->n_sysctls = start;
	return -ENOMEM;
}

/* ------------------------------------------------------------------ */
/* os-release */

/*
 * Undo shell quoting of an os-release value: 'single' quotes are literal,
 * "double" quotes and bare words take backslash escapes, a blank outside
 * quotes ends the value.  Writes at most dstlen - 1 bytes (the rest is
 * still scanned, to find unbalanced quotes).  False on an open quote.
 */
static bool unquote(const struct span *v, uint8_t *dst, size_t dstlen,
		    size_t *outlen)
{
	enum { BARE, SINGLE, DOUBLE } st = BARE;
	size_t o = 0, i = 0;

#define PUT(c)                          \
	do {                            \
		if (o + 1 < dstlen)     \
			dst[o++] = (c); \
	} while (0)
	while (i < v->n) {
		uint8_t c = v->p[i++];

		if (st == SINGLE) {
			if (c == '\'')
				st = BARE;
			else
				PUT(c);
		} else if (st == DOUBLE) {
			if (c == '"') {
				st = BARE;
			} else if (c == '\\' && i < v->n && v->p[i] != 0 &&
				   strchr("$`\"\\", v->p[i])) {
				PUT(v->p[i]);
				i++;
			} else {
				PUT(c);
			}
		} else if (c == '\'') {
			st = SINGLE;
		} else if (c == '"') {
			st = DOUBLE;
		} else if (c == '\\') {
			if (i < v->n)
				PUT(v->p[i++]);
		} else if (is_space(c)) {
			break;
		} else {
			PUT(c);
		}
	}
#undef PUT
	if (st != BARE)
		return false;
	*outlen = o;
	return true;
}

int vd_parse_os_release(const uint8_t *buf, size_t len, struct vd_host *h)
{
	char id[sizeof(h->os_id)] = "", ver[sizeof(h->os_version)] = "";
	char pretty[sizeof(h->os_pretty)] = "";
	struct lines l;
	struct span line;

	lines_init(&l, buf, len);
	while (next_line(&l, &line)) {
		const uint8_t *eq;
		struct span key, val;
		uint8_t tmp[1024];
		size_t n;
		char *dst;
		size_t dstlen;

		trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		eq = memchr(line.p, '=', line.n);
		if (!eq)
			continue;
		key.p = line.p;
		key.n = (size_t)(eq - line.p);
		trim(&key);
		if (span_is(&key, "ID")) {
			dst = id;
			dstlen = sizeof(id);
		} else if (span_is(&key, "VERSION_ID")) {
			dst = ver;
			dstlen = sizeof(ver);
		} else if (span_is(&key, "PRETTY_NAME")) {
			dst = pretty;
			dstlen = sizeof(pretty);
		} else {
			continue;
		}
		val.p = eq + 1;
		val.n = line.n - (size_t)(val.p - line.p);
		trim(&val);
		if (!unquote(&val, tmp, sizeof(tmp), &n))
			continue;
		vd_text_copy(dst, dstlen, tmp, n);
	}
	memcpy(h->os_id, id, sizeof(id));
	memcpy(h->os_version, ver, sizeof(ver));
	memcpy(h->os_pretty, pretty, sizeof(pretty));
	return 0;
}
