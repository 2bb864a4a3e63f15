/* SPDX-License-Identifier: MIT */
/*
 * The security modules' state files: SELinux's enforce flag and
 * configuration, AppArmor's list of loaded profiles, Y/N module
 * parameters.  Bytes in, facts out: no I/O.
 */
#include "collect/security/parse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "facts/facts.h"
#include "util/span.h"

static int bad(char *err, size_t errlen, const char *fmt, const char *what)
{
	if (err && errlen)
		snprintf(err, errlen, fmt, what);
	return -EINVAL;
}

/* The one word of a sysfs file ("1\n"); false when there is not exactly
 * one. */
static bool one_word(const uint8_t *buf, size_t len, struct vd_span *w)
{
	struct vd_span s = { buf, buf ? len : 0 }, rest;

	/* sysfs ends its value with a line feed, which is not a blank */
	while (s.n && (s.p[s.n - 1] == '\n' || vd_is_blank(s.p[s.n - 1])))
		s.n--;
	vd_span_trim(&s);
	if (!vd_span_word(&s, w))
		return false;
	rest = s;
	vd_span_trim(&rest);
	return rest.n == 0;
}

int vd_parse_selinux_enforce(const uint8_t *buf, size_t len, const char *file,
			     struct vd_security *out, char *err, size_t errlen)
{
	struct vd_span w;

	if (!one_word(buf, len, &w) ||
	    !(vd_span_is(&w, "0") || vd_span_is(&w, "1")))
		return bad(err, errlen, "%s: not 0 or 1",
			   file ? file : "enforce");
	out->selinux = vd_span_is(&w, "1") ? VD_SELINUX_ENFORCING
					   : VD_SELINUX_PERMISSIVE;
	snprintf(out->selinux_src, sizeof(out->selinux_src), "%s",
		 file ? file : "");
	return 0;
}

int vd_parse_selinux_config(const uint8_t *buf, size_t len, const char *file,
			    struct vd_security *out, char *err, size_t errlen)
{
	struct vd_lines lines;
	struct vd_span line, bin = { buf, buf ? len : 0 };
	unsigned bin_line, at = 0;
	int mode = 0;

	if (vd_span_binary(&bin, &bin_line) < bin.n)
		return bad(err, errlen, "%s: not a text file",
			   file ? file : "config");
	vd_lines_init(&lines, buf, bin.n);
	while (vd_lines_next(&lines, &line)) {
		struct vd_span val;

		vd_span_trim(&line);
		if (!vd_span_skip_iprefix(&line, "SELINUX="))
			continue;
		val = line;
		/* SELINUX=enforcing # comment, SELINUX="permissive" */
		(void)vd_span_cut(&val, '#', &(struct vd_span){ 0 });
		vd_span_trim(&val);
		if (val.n >= 2 && (val.p[0] == '"' || val.p[0] == '\'') &&
		    val.p[val.n - 1] == val.p[0]) {
			val.p++;
			val.n -= 2;
		}
		if (vd_span_ieq(&val, "enforcing"))
			mode = VD_SELINUX_ENFORCING;
		else if (vd_span_ieq(&val, "permissive"))
			mode = VD_SELINUX_PERMISSIVE;
		else if (vd_span_ieq(&val, "disabled"))
			mode = VD_SELINUX_DISABLED;
		else
			continue; /* libselinux ignores it too */
		at = lines.no;
	}
	if (!mode)
		return 0; /* no SELINUX= line: the mode stays unknown */
	out->selinux_config = (uint8_t)mode;
	snprintf(out->selinux_config_src, sizeof(out->selinux_config_src),
		 "%s:%u", file ? file : "config", at);
	if (!out->selinux) {
		out->selinux = (uint8_t)mode;
		snprintf(out->selinux_src, sizeof(out->selinux_src), "%s",
			 out->selinux_config_src);
	}
	return 0;
}

int vd_parse_apparmor_profiles(const uint8_t *buf, size_t len, const char *file,
			       struct vd_security *out, char *err,
			       size_t errlen)
{
	struct vd_security_mark mark;
	struct vd_lines lines;
	struct vd_span line, bin = { buf, buf ? len : 0 };
	unsigned bin_line;
	int fidx;

	if (vd_span_binary(&bin, &bin_line) < bin.n)
		return bad(err, errlen, "%s: not a text file",
			   file ? file : "profiles");
	fidx = vd_security_file(out, file ? file : "profiles");
	if (fidx < 0)
		return fidx;
	vd_security_mark(out, &mark);
	vd_lines_init(&lines, buf, bin.n);
	while (vd_lines_next(&lines, &line)) {
		struct vd_aa_profile *p;
		struct vd_span name = line, mode;
		size_t open;
		int m;

		vd_span_trim(&name);
		if (name.n == 0)
			continue;
		/* "name (mode)": the mode is the last parenthesis; a name
		 * may hold blanks and parentheses itself. */
		if (name.p[name.n - 1] != ')')
			goto bad_line;
		for (open = name.n - 1; open > 0 && name.p[open] != '('; open--)
			;
		if (open < 2 || name.p[open - 1] != ' ')
			goto bad_line;
		mode = (struct vd_span){ name.p + open + 1, name.n - open - 2 };
		name.n = open - 1;
		vd_span_trim(&name);
		if (name.n == 0)
			goto bad_line;
		out->aa_profiles_total++;
		{
			char mbuf[16];

			vd_span_copy(mbuf, sizeof(mbuf), &mode);
			m = vd_aa_mode_value(mbuf);
		}
		if (!vd_aa_profile_of_interest((const char *)name.p, name.n))
			continue;
		p = VD_PUSH(out, aa_profiles);
		if (!p) {
			vd_security_rollback(out, &mark);
			return -ENOMEM;
		}
		vd_span_copy(p->name, sizeof(p->name), &name);
		p->mode = (uint8_t)(m > 0 ? m : VD_AA_UNKNOWN);
		p->src = (struct vd_src){ fidx, lines.no };
		continue;
	bad_line:
		vd_security_rollback(out, &mark);
		if (err && errlen)
			snprintf(err, errlen, "%s:%u: not \"name (mode)\"",
				 file ? file : "profiles", lines.no);
		return -EINVAL;
	}
	out->apparmor = VD_YES;
	if (!out->apparmor_src[0])
		snprintf(out->apparmor_src, sizeof(out->apparmor_src), "%s",
			 file ? file : "profiles");
	return 0;
}

int vd_parse_yn(const uint8_t *buf, size_t len, int8_t *out, char *err,
		size_t errlen)
{
	struct vd_span w;

	if (!one_word(buf, len, &w))
		return bad(err, errlen, "%s", "not Y or N");
	if (vd_span_is(&w, "Y") || vd_span_is(&w, "1"))
		*out = VD_YES;
	else if (vd_span_is(&w, "N") || vd_span_is(&w, "0"))
		*out = VD_NO;
	else
		return bad(err, errlen, "%s", "not Y or N");
	return 0;
}
