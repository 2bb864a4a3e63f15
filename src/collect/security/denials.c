/* SPDX-License-Identifier: MIT */
/*
 * Denials of the security modules, from the audit log or from kernel and
 * syslog text.  The records look the same in both, after a prefix:
 *
 *	type=AVC msg=audit(1764320402.512:3107): avc:  denied  { name_bind }
 *	  for  pid=2345 comm="vmnet-natd" src=8080
 *	  scontext=system_u:system_r:vmware_host_t:s0
 *	  tcontext=system_u:object_r:http_cache_port_t:s0 tclass=tcp_socket
 *	  permissive=0
 *	Nov 28 10:00:02 host kernel: [ 812.1] audit: type=1400
 *	  audit(1764320402.512:3108): apparmor="DENIED" operation="open"
 *	  class="file" profile="libvirtd" name="/dev/vmnet8" pid=1234
 *	  comm="libvirtd" requested_mask="wr" denied_mask="wr" fsuid=0 ouid=0
 *
 * (each one line).  Fields are key=value words, values quoted or bare;
 * audit writes a value with blanks or odd bytes as bare hex
 * (comm=766D77617265), which is decoded.  SELinux's "granted" records and
 * AppArmor's ALLOWED (complain mode) lines are not denials.  One pass over
 * each line, a bounded number of passes for the markers: linear.
 */
#include "collect/security/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/facts.h"
#include "util/span.h"
#include "util/utf8.h"

#define BINARY_PROBE 4096

/* Where word starts in s at or after from, or s->n when absent. */
static size_t find(const struct vd_span *s, size_t from, const char *word)
{
	size_t w = strlen(word);

	for (size_t i = from; i + w <= s->n; i++)
		if (s->p[i] == (uint8_t)word[0] &&
		    memcmp(s->p + i, word, w) == 0)
			return i;
	return s->n;
}

static bool key_byte(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Copy a value, decoding audit's bare hex form when hex is allowed. */
static void put(char *dst, size_t size, struct vd_span v, bool quoted, bool hex)
{
	uint8_t dec[256];
	size_t n = 0;

	if (!quoted && hex && v.n >= 2 && v.n % 2 == 0 &&
	    v.n / 2 <= sizeof(dec)) {
		for (n = 0; n < v.n / 2; n++) {
			int hi = vd_hexval(v.p[2 * n]),
			    lo = vd_hexval(v.p[2 * n + 1]);

			if (hi < 0 || lo < 0)
				break;
			dec[n] = (uint8_t)(hi << 4 | lo);
		}
		if (n == v.n / 2) {
			vd_text_copy(dst, size, dec, n);
			return;
		}
	}
	vd_text_copy(dst, size, v.p, v.n);
}

struct fields {
	struct vd_span path, name, port, family, sock_type, cap;
	bool path_q, name_q;
};

/* One key=value into d (or into f, for what decides the target). */
static void field(struct vd_denial *d, struct fields *f, struct vd_span k,
		  struct vd_span v, bool quoted)
{
	unsigned long x;

#define KEY(s) vd_span_is(&k, s)
	if (KEY("pid")) {
		if (vd_span_ulong(&v, 0x7fffffff, &x))
			d->pid = (int)x;
	} else if (KEY("comm")) {
		put(d->comm, sizeof(d->comm), v, quoted, true);
	} else if (KEY("exe")) {
		put(d->exe, sizeof(d->exe), v, quoted, true);
	} else if (KEY("path")) {
		f->path = v;
		f->path_q = quoted;
	} else if (KEY("name")) {
		f->name = v;
		f->name_q = quoted;
	} else if (KEY("src") || KEY("dest") || KEY("lport")) {
		if (!f->port.n)
			f->port = v;
	} else if (KEY("capname")) {
		f->cap = v;
	} else if (KEY("family")) {
		f->family = v;
	} else if (KEY("sock_type")) {
		f->sock_type = v;
	} else if (KEY("tclass") || KEY("class")) {
		put(d->tclass, sizeof(d->tclass), v, quoted, false);
	} else if (KEY("scontext") || KEY("profile")) {
		put(d->context, sizeof(d->context), v, quoted, false);
	} else if (KEY("tcontext") || KEY("denied_mask")) {
		put(d->tcontext, sizeof(d->tcontext), v, quoted, false);
	} else if (KEY("operation") && d->kind == VD_DENIAL_APPARMOR) {
		put(d->perm, sizeof(d->perm), v, quoted, false);
	} else if (KEY("permissive") && d->kind == VD_DENIAL_SELINUX) {
		if (vd_span_is(&v, "1"))
			d->permissive = VD_YES;
		else if (vd_span_is(&v, "0"))
			d->permissive = VD_NO;
	}
#undef KEY
}

/* Every key=value of s, left to right.  A quoted value runs to the next
 * double quote (audit does not escape them); a bare one to a blank.
 * USER_AVC nests its record in msg='...': the quote is skipped. */
static void fields(struct vd_denial *d, struct fields *f, struct vd_span s)
{
	size_t i = 0;

	while (i < s.n) {
		size_t k0, k1, v0;
		bool quoted = false;

		while (i < s.n && (vd_is_blank(s.p[i]) || s.p[i] == '\''))
			i++;
		k0 = i;
		while (i < s.n && key_byte(s.p[i]))
			i++;
		if (i == k0 || i >= s.n || s.p[i] != '=') {
			while (i < s.n && !vd_is_blank(s.p[i]))
				i++;
			continue;
		}
		k1 = i++;
		if (i < s.n && s.p[i] == '"') {
			quoted = true;
			v0 = ++i;
			while (i < s.n && s.p[i] != '"')
				i++;
		} else {
			v0 = i;
			while (i < s.n && !vd_is_blank(s.p[i]) &&
			       s.p[i] != '\'')
				i++;
		}
		field(d, f, (struct vd_span){ s.p + k0, k1 - k0 },
		      (struct vd_span){ s.p + v0, i - v0 }, quoted);
		if (quoted && i < s.n)
			i++; /* the closing quote */
	}
}

/*
 * Parse line into d when it is a denial; false otherwise.  SELinux:
 * "avc:" then "denied" then "{ perms }" then the fields; AppArmor: the
 * fields of the whole line.
 */
static bool parse_denial(const struct vd_span *line, struct vd_denial *d)
{
	struct fields f = { 0 };
	struct vd_span rest;
	size_t at;

	memset(d, 0, sizeof(*d));
	d->permissive = VD_UNKNOWN;
	at = find(line, 0, "apparmor=\"DENIED\"");
	if (at < line->n) {
		d->kind = VD_DENIAL_APPARMOR;
		d->permissive = VD_NO;
		fields(d, &f, *line);
	} else {
		size_t open, close;

		at = find(line, 0, "avc:");
		if (at == line->n)
			return false;
		rest = (struct vd_span){ line->p + at + 4, line->n - at - 4 };
		vd_span_trim(&rest);
		if (!vd_span_skip_iprefix(&rest, "denied"))
			return false;
		open = find(&rest, 0, "{");
		close = find(&rest, open, "}");
		if (close == rest.n)
			return false;
		d->kind = VD_DENIAL_SELINUX;
		{
			struct vd_span perms = { rest.p + open + 1,
						 close - open - 1 };

			vd_span_trim(&perms);
			vd_span_copy(d->perm, sizeof(d->perm), &perms);
		}
		fields(d, &f,
		       (struct vd_span){ rest.p + close + 1,
					 rest.n - close - 1 });
	}
	if (f.cap.n) {
		char cap[48];

		vd_span_copy(cap, sizeof(cap), &f.cap);
		snprintf(d->target, sizeof(d->target), "capability %s", cap);
	} else if (f.path.n)
		put(d->target, sizeof(d->target), f.path, f.path_q, true);
	else if (f.name.n)
		put(d->target, sizeof(d->target), f.name, f.name_q, true);
	else if (f.port.n) {
		char port[24];

		vd_span_copy(port, sizeof(port), &f.port);
		snprintf(d->target, sizeof(d->target), "port %s", port);
	} else if (f.family.n) {
		char fam[32], type[32];

		vd_span_copy(fam, sizeof(fam), &f.family);
		vd_span_copy(type, sizeof(type), &f.sock_type);
		snprintf(d->target, sizeof(d->target), "%s%s%s", fam,
			 type[0] ? " " : "", type);
	}
	return true;
}

static char *line_text(const struct vd_span *line)
{
	size_t cap =
		(line->n < VD_DENIAL_TEXT_MAX ? line->n : VD_DENIAL_TEXT_MAX) +
		1;
	char *text = malloc(cap);

	if (!text)
		return NULL;
	vd_text_copy(text, cap, line->p, line->n);
	for (size_t n = strlen(text);
	     n > 0 && vd_is_blank((uint8_t)text[n - 1]);)
		text[--n] = '\0';
	return text;
}

int vd_parse_denials(const uint8_t *buf, size_t len, const char *file,
		     struct vd_security *out, char *err, size_t errlen)
{
	struct vd_security_mark mark;
	struct vd_lines lines;
	struct vd_span line;
	struct vd_denial d;
	const uint8_t *nul;
	size_t kept = 0;
	int fidx;

	if (!buf)
		len = 0;
	nul = len ? memchr(buf, '\0', len < BINARY_PROBE ? len : BINARY_PROBE)
		  : NULL;
	if (nul) {
		if (err && errlen)
			snprintf(err, errlen,
				 "not a text log: NUL byte at offset %zu",
				 (size_t)(nul - buf));
		return -EINVAL;
	}
	fidx = vd_security_file(out, file ? file : "log");
	if (fidx < 0)
		return fidx;
	vd_security_mark(out, &mark);
	vd_lines_init(&lines, buf, len);
	while (vd_lines_next(&lines, &line)) {
		struct vd_denial *slot;

		vd_span_trim(&line);
		if (!parse_denial(&line, &d))
			continue;
		d.text = line_text(&line);
		if (!d.text)
			goto nomem;
		if (!vd_denial_of_interest(&d)) {
			free(d.text);
			continue;
		}
		if (kept == VD_DENIALS_PER_FILE) {
			free(d.text);
			out->denials_dropped++;
			continue;
		}
		slot = VD_PUSH(out, denials);
		if (!slot) {
			free(d.text);
			goto nomem;
		}
		d.src = (struct vd_src){ fidx, lines.no };
		*slot = d;
		kept++;
	}
	return 0;
nomem:
	vd_security_rollback(out, &mark);
	return -ENOMEM;
}
