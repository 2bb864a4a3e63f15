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
#include "util/span.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/ip.h"

/* ------------------------------------------------------------------ */
/* /proc/modules */

/* Module names are short identifiers; anything else is not a module. */
static bool module_name_ok(const struct vd_span *w)
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
	struct vd_lines l;
	struct vd_span line;

	vd_lines_init(&l, buf, len);
	while (vd_lines_next(&l, &line)) {
		struct vd_span name, size, ref, deps, state;
		unsigned long sz, rc = 0;
		struct vd_module *m;

		if (!vd_span_word(&line, &name) ||
		    !vd_span_word(&line, &size) || !vd_span_word(&line, &ref))
			continue;
		if (!module_name_ok(&name) || !vd_span_ulong(&size, ~0UL, &sz))
			continue;
		/* "-": the kernel cannot unload modules, no count. */
		if (!vd_span_is(&ref, "-") &&
		    !vd_span_ulong(&ref, 0x7fffffff, &rc))
			continue;
		m = VD_PUSH(f, modules);
		if (!m)
			goto nomem;
		memcpy(m->name, name.p, name.n);
		m->size = sz;
		m->refcnt = vd_span_is(&ref, "-") ? -1 : (int)rc;
		if (vd_span_word(&line, &deps) && vd_span_word(&line, &state))
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
static bool keyword(struct vd_span *line, const char *kw)
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
static bool nameserver_addr(const struct vd_span *w, struct vd_ip *ip)
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
			     struct vd_span *rest, unsigned lineno)
{
	struct vd_span w;
	struct vd_ip ip;

	if (!vd_span_word(rest, &w) || !nameserver_addr(&w, &ip))
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
static int resolv_search(struct vd_resolv *r, struct vd_span *rest, bool single)
{
	char **list = NULL;
	size_t n = 0, cap = 0;
	struct vd_span w;

	while (vd_span_word(rest, &w)) {
		if (grow((void **)&list, &cap, n + 1, sizeof(*list)) < 0)
			goto nomem;
		list[n] = vd_span_dup(&w);
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
	struct vd_lines l;
	struct vd_span line;
	int err = 0;

	if (file && !(r.file = strdup(file)))
		return -ENOMEM;
	vd_lines_init(&l, buf, len);
	while (err == 0 && vd_lines_next(&l, &line)) {
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
	struct vd_span fname = { (const uint8_t *)(file ? file : ""),
				 file ? strlen(file) : 0 };
	char **fp;
	struct vd_lines l;
	struct vd_span line;

	vd_lines_init(&l, buf, len);
	while (vd_lines_next(&l, &line)) {
		const uint8_t *eq;
		struct vd_span key, val;
		struct vd_sysctl *s;

		vd_span_trim(&line);
		if (line.n == 0 || line.p[0] == '#' || line.p[0] == ';')
			continue;
		eq = memchr(line.p, '=', line.n);
		if (!eq)
			continue; /* not an assignment: systemd skips it */
		key.p = line.p;
		key.n = (size_t)(eq - line.p);
		val.p = eq + 1;
		val.n = line.n - key.n - 1;
		vd_span_trim(&key);
		vd_span_trim(&val);
		/* "-key": failures to set it are ignored; same key. */
		if (key.n > 0 && key.p[0] == '-') {
			key.p++;
			key.n--;
			vd_span_trim(&key);
		}
		if (key.n == 0)
			continue;
		s = VD_PUSH(f, sysctls);
		if (!s)
			goto nomem;
		s->line = l.no;
		s->key = vd_span_dup(&key);
		s->value = vd_span_dup(&val);
		s->file = vd_span_dup(&fname);
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
	*fp = vd_span_dup(&fname);
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
static bool unquote(const struct vd_span *v, uint8_t *dst, size_t dstlen,
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
		} else if (vd_is_blank(c)) {
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
	struct vd_lines l;
	struct vd_span line;

	vd_lines_init(&l, buf, len);
	while (vd_lines_next(&l, &line)) {
		const uint8_t *eq;
		struct vd_span key, val;
		uint8_t tmp[1024];
		size_t n;
		char *dst;
		size_t dstlen;

		vd_span_trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		eq = memchr(line.p, '=', line.n);
		if (!eq)
			continue;
		key.p = line.p;
		key.n = (size_t)(eq - line.p);
		vd_span_trim(&key);
		if (vd_span_is(&key, "ID")) {
			dst = id;
			dstlen = sizeof(id);
		} else if (vd_span_is(&key, "VERSION_ID")) {
			dst = ver;
			dstlen = sizeof(ver);
		} else if (vd_span_is(&key, "PRETTY_NAME")) {
			dst = pretty;
			dstlen = sizeof(pretty);
		} else {
			continue;
		}
		val.p = eq + 1;
		val.n = line.n - (size_t)(val.p - line.p);
		vd_span_trim(&val);
		if (!unquote(&val, tmp, sizeof(tmp), &n))
			continue;
		vd_text_copy(dst, dstlen, tmp, n);
	}
	memcpy(h->os_id, id, sizeof(id));
	memcpy(h->os_version, ver, sizeof(ver));
	memcpy(h->os_pretty, pretty, sizeof(pretty));
	return 0;
}
