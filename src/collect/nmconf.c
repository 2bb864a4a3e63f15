/* SPDX-License-Identifier: MIT */
/*
 * NetworkManager's configuration, as far as it says which devices are left
 * alone: NetworkManager.conf and conf.d/ (a GLib key file), and udev rules
 * setting ENV{NM_UNMANAGED}.  Pure, all or nothing: a file that is not its
 * format leaves the model as it was.
 */
#include "collect/nmconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/facts.h"
#include "util/span.h"

/* Statements of one file, committed only when the whole file parsed. */
struct pending {
	struct vd_nm tmp;
	bool replaces_keyfile; /* a plain "unmanaged-devices=" was seen */
};

static int fail_binary(const struct vd_span *all, const char *file, char *err,
		       size_t errlen)
{
	unsigned line = 0;

	if (vd_span_binary(all, &line) == all->n)
		return 0;
	if (err && errlen)
		snprintf(err, errlen, "%s:%u: not a text file", file, line);
	return -EINVAL;
}

/* Move the statements of tmp to the end of nm (statements are small
 * structs owning their strings). */
static int commit(struct vd_nm *nm, struct pending *pd)
{
	size_t keep = 0;

	if (pd->replaces_keyfile) {
		/* A later file's plain key replaces the earlier value. */
		for (size_t i = 0; i < nm->n_unmanaged; i++) {
			struct vd_nm_unmanage *u = &nm->unmanaged[i];

			if (u->src == VD_NM_KEYFILE) {
				free(u->specs);
				free(u->file);
				continue;
			}
			nm->unmanaged[keep++] = *u;
		}
		nm->n_unmanaged = keep;
	}
	for (size_t i = 0; i < pd->tmp.n_unmanaged; i++) {
		struct vd_nm_unmanage *u = VD_PUSH(nm, unmanaged);

		if (!u)
			return -ENOMEM;
		*u = pd->tmp.unmanaged[i];
		pd->tmp.unmanaged[i].specs = NULL;
		pd->tmp.unmanaged[i].file = NULL;
	}
	return 0;
}

static void pending_free(struct pending *pd)
{
	for (size_t i = 0; i < pd->tmp.n_unmanaged; i++) {
		free(pd->tmp.unmanaged[i].specs);
		free(pd->tmp.unmanaged[i].file);
	}
	free(pd->tmp.unmanaged);
}

/* GLib's booleans: true/false, and 1/0 (NetworkManager also takes yes/no). */
static int parse_bool(const struct vd_span *v)
{
	if (vd_span_ieq(v, "true") || vd_span_is(v, "1") ||
	    vd_span_ieq(v, "yes") || vd_span_ieq(v, "on"))
		return VD_YES;
	if (vd_span_ieq(v, "false") || vd_span_is(v, "0") ||
	    vd_span_ieq(v, "no") || vd_span_ieq(v, "off"))
		return VD_NO;
	return VD_UNKNOWN;
}

/* The [device*] section that ended: unmanaged devices when managed=0. */
struct devsec {
	bool in;
	int managed;	      /* enum vd_tri */
	struct vd_span match; /* match-device, n 0: none */
	unsigned line;	      /* of managed= */
};

static int end_device(struct pending *pd, struct devsec *d, const char *file)
{
	int rc = 0;

	if (d->in && d->managed == VD_NO)
		rc = d->match.p ? vd_nm_add_unmanage(&pd->tmp, VD_NM_DEVICE,
						     (const char *)d->match.p,
						     d->match.n, file, d->line)
				: vd_nm_add_unmanage(&pd->tmp, VD_NM_DEVICE,
						     "*", 1, file, d->line);
	memset(d, 0, sizeof(*d));
	d->managed = VD_UNKNOWN;
	return rc;
}

int vd_parse_nm_conf(const uint8_t *buf, size_t len, const char *file,
		     struct vd_nm *nm, char *err, size_t errlen)
{
	struct vd_span all = { buf, len }, line;
	struct pending pd;
	struct devsec dev;
	struct vd_lines l;
	struct vd_span kf = { NULL, 0 }; /* the file's unmanaged-devices */
	unsigned kf_line = 0;
	bool in_keyfile = false;
	int rc;

	rc = fail_binary(&all, file, err, errlen);
	if (rc < 0)
		return rc;
	memset(&pd, 0, sizeof(pd));
	memset(&dev, 0, sizeof(dev));
	dev.managed = VD_UNKNOWN;
	vd_span_skip_bom(&all);
	vd_lines_init(&l, all.p, all.n);
	while (vd_lines_next(&l, &line)) {
		struct vd_span key = line, val;
		bool plus = false;

		vd_span_trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		if (line.p[0] == '[') {
			struct vd_span name = { line.p + 1, line.n - 1 };

			if (line.p[line.n - 1] != ']' || line.n < 3)
				goto bad;
			name.n--;
			rc = end_device(&pd, &dev, file);
			if (rc < 0)
				goto out;
			in_keyfile = vd_span_is(&name, "keyfile");
			dev.in = vd_span_is(&name, "device") ||
				 vd_span_skip_iprefix(&name, "device-");
			continue;
		}
		key = line;
		if (!vd_span_cut(&key, '=', &val))
			goto bad;
		vd_span_trim(&key);
		vd_span_trim(&val);
		if (key.n && key.p[key.n - 1] == '+') {
			plus = true;
			key.n--;
		} else if (key.n && key.p[key.n - 1] == '-') {
			/* "-=" removes specs: what remains is not known
			 * without NetworkManager's own merge; ignored. */
			continue;
		}
		if (key.n == 0)
			goto bad;
		if (in_keyfile && vd_span_is(&key, "unmanaged-devices")) {
			if (plus) {
				rc = vd_nm_add_unmanage(&pd.tmp, VD_NM_KEYFILE,
							(const char *)val.p,
							val.n, file, l.no);
				if (rc < 0)
					goto out;
			} else {
				kf = val;
				kf_line = l.no;
			}
		} else if (dev.in && vd_span_is(&key, "match-device")) {
			dev.match = val;
		} else if (dev.in && vd_span_is(&key, "managed")) {
			dev.managed = parse_bool(&val);
			dev.line = l.no;
		}
	}
	rc = end_device(&pd, &dev, file);
	if (rc < 0)
		goto out;
	if (kf_line) {
		pd.replaces_keyfile = true;
		if (kf.n)
			rc = vd_nm_add_unmanage(&pd.tmp, VD_NM_KEYFILE,
						(const char *)kf.p, kf.n, file,
						kf_line);
		if (rc < 0)
			goto out;
	}
	rc = commit(nm, &pd);
	goto out;
bad:
	if (err && errlen)
		snprintf(err, errlen,
			 "%s:%u: neither a [section] nor a key=value line",
			 file, l.no);
	rc = -EINVAL;
out:
	pending_free(&pd);
	return rc;
}

/* ---- udev rules --------------------------------------------------------- */

/* The next KEY OP "VALUE" of a rule line; false at its end. */
static bool udev_next(struct vd_span *s, struct vd_span *key,
		      struct vd_span *op, struct vd_span *val)
{
	size_t i = 0, k;

	while (i < s->n && (vd_is_blank(s->p[i]) || s->p[i] == ','))
		i++;
	if (i == s->n)
		return false;
	k = i;
	while (i < s->n && s->p[i] != '=' && s->p[i] != '!' && s->p[i] != '+' &&
	       s->p[i] != '-' && s->p[i] != ':' && !vd_is_blank(s->p[i]))
		i++;
	key->p = s->p + k;
	key->n = i - k;
	while (i < s->n && vd_is_blank(s->p[i]))
		i++;
	k = i;
	while (i < s->n && i - k < 2 && strchr("=!+-:", s->p[i]))
		i++;
	op->p = s->p + k;
	op->n = i - k;
	while (i < s->n && vd_is_blank(s->p[i]))
		i++;
	if (i == s->n || s->p[i] != '"' || key->n == 0 || op->n == 0)
		goto broken;
	k = ++i;
	while (i < s->n && s->p[i] != '"') {
		if (s->p[i] == '\\' && i + 1 < s->n)
			i++;
		i++;
	}
	if (i == s->n)
		goto broken;
	val->p = s->p + k;
	val->n = i - k;
	s->p += i + 1;
	s->n -= i + 1;
	return true;
broken:
	/* the rest of the line is not KEY OP "VALUE": udev skips it */
	key->n = 0;
	s->p += s->n;
	s->n = 0;
	return true;
}

/* Append "tag" + value to the spec list in out (";"-separated). */
static bool spec_add(char *out, size_t size, const char *tag,
		     const struct vd_span *v)
{
	size_t n = strlen(out), t = strlen(tag);

	if (n + 1 + t + v->n + 1 > size || memchr(v->p, ';', v->n) ||
	    memchr(v->p, ',', v->n))
		return false;
	if (n)
		out[n++] = ';';
	memcpy(out + n, tag, t);
	memcpy(out + n + t, v->p, v->n);
	out[n + t + v->n] = '\0';
	return true;
}

int vd_parse_nm_udev(const uint8_t *buf, size_t len, const char *file,
		     struct vd_nm *nm, char *err, size_t errlen)
{
	struct vd_span all = { buf, len }, line;
	struct pending pd;
	struct vd_lines l;
	int rc;

	rc = fail_binary(&all, file, err, errlen);
	if (rc < 0)
		return rc;
	memset(&pd, 0, sizeof(pd));
	vd_lines_init(&l, all.p, all.n);
	while (vd_lines_next(&l, &line)) {
		struct vd_span key, op, val;
		char specs[512] = "";
		bool unmanage = false, usable = true;

		vd_span_trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		while (udev_next(&line, &key, &op, &val)) {
			bool eq = vd_span_is(&op, "==");

			if (key.n == 0) {
				usable = false;
			} else if (vd_span_is(&key, "ENV{NM_UNMANAGED}") &&
				   vd_span_is(&op, "=")) {
				unmanage = vd_span_is(&val, "1");
			} else if (vd_span_is(&key, "SUBSYSTEM") ||
				   vd_span_is(&key, "ACTION")) {
				/* net devices being added: always true here */
			} else if (eq && (vd_span_is(&key, "KERNEL") ||
					  vd_span_is(&key, "NAME"))) {
				usable &= spec_add(specs, sizeof(specs),
						   "interface-name:", &val);
			} else if (eq && vd_span_is(&key, "ATTR{address}")) {
				usable &= spec_add(specs, sizeof(specs),
						   "mac:", &val);
			} else if (eq &&
				   (vd_span_is(&key, "ENV{ID_NET_DRIVER}") ||
				    vd_span_is(&key, "DRIVERS"))) {
				usable &= spec_add(specs, sizeof(specs),
						   "driver:", &val);
			} else if (op.n == 2 &&
				   (op.p[0] == '=' || op.p[0] == '!')) {
				/* a condition the model cannot evaluate: the
				 * line is left out (see docs) */
				usable = false;
			}
		}
		if (!unmanage || !usable)
			continue;
		if (!specs[0])
			strcpy(specs, "*");
		rc = vd_nm_add_unmanage(&pd.tmp, VD_NM_UDEV, specs,
					strlen(specs), file, l.no);
		if (rc < 0)
			goto out;
	}
	rc = commit(nm, &pd);
out:
	pending_free(&pd);
	return rc;
}
