/* SPDX-License-Identifier: MIT */
/*
 * The "security" object of the snapshot (docs/snapshot.md): SELinux and
 * AppArmor state, denials, the hypervisor launch type.  Every key is
 * optional, so snapshots without it (older ones) read as "unknown".
 */
#include "facts/security_json.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILES_MAX    64
#define PROFILES_MAX 4096
#define DENIALS_MAX  (VD_DENIALS_PER_FILE * FILES_MAX)

/* ------------------------------------------------------------------ */
/* Writer */

static int set(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v ? v : json_null());
}

static json_t *str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *name_or_null(const char *name)
{
	return name ? json_string(name) : json_null();
}

static json_t *tri(int8_t t)
{
	return t == VD_UNKNOWN ? json_null() : json_boolean(t == VD_YES);
}

static int src(json_t *o, const struct vd_security *s, struct vd_src at)
{
	bool ok = at.file >= 0 && (size_t)at.file < s->n_files;

	return set(o, "file", ok ? json_string(s->files[at.file]) : NULL) |
	       set(o, "line", json_integer(at.line));
}

static json_t *denial_json(const struct vd_security *s,
			   const struct vd_denial *d)
{
	json_t *o = json_object();
	int rc;

	if (!o)
		return NULL;
	rc = set(o, "kind", name_or_null(vd_denial_kind_name(d->kind))) |
	     set(o, "pid", d->pid ? json_integer(d->pid) : NULL) |
	     set(o, "comm", str_or_null(d->comm)) |
	     set(o, "exe", str_or_null(d->exe)) |
	     set(o, "permission", str_or_null(d->perm)) |
	     set(o, "class", str_or_null(d->tclass)) |
	     set(o, "target", str_or_null(d->target)) |
	     set(o, "context", str_or_null(d->context)) |
	     set(o, "tcontext", str_or_null(d->tcontext)) |
	     set(o, "permissive", tri(d->permissive)) | src(o, s, d->src) |
	     set(o, "text", str_or_null(d->text));
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *vd_security_to_json(const struct vd_security *s)
{
	json_t *o = json_object(), *se = json_object(), *aa = json_object();
	json_t *profiles = json_array(), *files = json_array(),
	       *denials = json_array();
	int rc = -1;

	if (!o || !se || !aa || !profiles || !files || !denials)
		goto out;
	rc = set(se, "mode", name_or_null(vd_selinux_mode_name(s->selinux))) |
	     set(se, "source", str_or_null(s->selinux_src)) |
	     set(se, "config_mode",
		 name_or_null(vd_selinux_mode_name(s->selinux_config))) |
	     set(se, "config_source", str_or_null(s->selinux_config_src));
	rc |= set(aa, "enabled", tri(s->apparmor)) |
	      set(aa, "source", str_or_null(s->apparmor_src)) |
	      set(aa, "profiles_total",
		  json_integer((json_int_t)s->aa_profiles_total));
	for (size_t i = 0; i < s->n_aa_profiles; i++) {
		const struct vd_aa_profile *p = &s->aa_profiles[i];
		json_t *e = json_object();

		if (!e) {
			rc = -1;
			goto out;
		}
		rc |= json_array_append_new(profiles, e);
		rc |= set(e, "name", json_string(p->name)) |
		      set(e, "mode", name_or_null(vd_aa_mode_name(p->mode))) |
		      src(e, s, p->src);
	}
	for (size_t i = 0; i < s->n_files; i++)
		rc |= json_array_append_new(files, json_string(s->files[i]));
	for (size_t i = 0; i < s->n_denials; i++) {
		json_t *e = denial_json(s, &s->denials[i]);

		if (!e) {
			rc = -1;
			goto out;
		}
		rc |= json_array_append_new(denials, e);
	}
	rc |= json_object_set(aa, "profiles", profiles);
	rc |= json_object_set(o, "selinux", se) |
	      json_object_set(o, "apparmor", aa) |
	      json_object_set(o, "files", files) |
	      json_object_set(o, "denials", denials) |
	      set(o, "denials_dropped",
		  json_integer((json_int_t)s->denials_dropped)) |
	      set(o, "kvm_virt_at_load", tri(s->kvm_virt_at_load)) |
	      set(o, "hypervisor_launch_type",
		  name_or_null(vd_hv_launch_name(s->hv_launch))) |
	      set(o, "hypervisor_launch_type_source",
		  str_or_null(s->hv_launch_src));
out:
	json_decref(se);
	json_decref(aa);
	json_decref(profiles);
	json_decref(files);
	json_decref(denials);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ------------------------------------------------------------------ */
/* Reader */

struct rd {
	char *err;
	size_t errlen;
	char path[96]; /* "security.denials[3]" */
};

static int fail(struct rd *r, const char *key, const char *what)
{
	if (r->err && r->errlen)
		snprintf(r->err, r->errlen, "%s.%s: %s", r->path, key, what);
	return -EPROTO;
}

/* An optional value: 0 absent or null, 1 present. */
static int opt(json_t *o, const char *key, json_t **v)
{
	*v = json_object_get(o, key);
	return *v && !json_is_null(*v);
}

static int get_str(struct rd *r, json_t *o, const char *key, char *buf,
		   size_t size)
{
	json_t *v;

	buf[0] = '\0';
	if (!opt(o, key, &v))
		return 0;
	if (!json_is_string(v))
		return fail(r, key, "expected a string");
	if (json_string_length(v) >= size ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return fail(r, key, "too long, or holds a NUL");
	memcpy(buf, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* An enum by name through fn (-1 unknown); absent is 0. */
static int get_enum(struct rd *r, json_t *o, const char *key,
		    int (*fn)(const char *), uint8_t *out)
{
	json_t *v;
	int x;

	*out = 0;
	if (!opt(o, key, &v))
		return 0;
	if (!json_is_string(v) || (x = fn(json_string_value(v))) < 0)
		return fail(r, key, "not a known name");
	*out = (uint8_t)x;
	return 0;
}

static int get_tri(struct rd *r, json_t *o, const char *key, int8_t *out)
{
	json_t *v;

	*out = VD_UNKNOWN;
	if (!opt(o, key, &v))
		return 0;
	if (!json_is_boolean(v))
		return fail(r, key, "expected true, false or null");
	*out = json_is_true(v) ? VD_YES : VD_NO;
	return 0;
}

static int get_count(struct rd *r, json_t *o, const char *key, long long max,
		     long long *out)
{
	json_t *v;

	*out = 0;
	if (!opt(o, key, &v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > max)
		return fail(r, key, "expected a count in range");
	*out = json_integer_value(v);
	return 0;
}

static int get_src(struct rd *r, json_t *o, const struct vd_security *s,
		   struct vd_src *at)
{
	json_t *v;
	long long line;

	at->file = -1;
	if (opt(o, "file", &v)) {
		if (!json_is_string(v))
			return fail(r, "file", "expected a string");
		for (size_t i = 0; i < s->n_files; i++)
			if (strcmp(s->files[i], json_string_value(v)) == 0)
				at->file = (int)i;
		if (at->file < 0)
			return fail(r, "file", "not one of security.files");
	}
	if (get_count(r, o, "line", UINT_MAX, &line))
		return -EPROTO;
	at->line = (unsigned)line;
	return 0;
}

/* The array at key (absent or null: none), at most max objects. */
static int array(struct rd *r, json_t *o, const char *key, size_t max,
		 json_t **a)
{
	if (!opt(o, key, a)) {
		*a = NULL;
		return 0;
	}
	if (!json_is_array(*a))
		return fail(r, key, "expected an array");
	if (json_array_size(*a) > max)
		return fail(r, key, "too many items");
	return 0;
}

static void at(struct rd *r, const char *key, size_t i)
{
	snprintf(r->path, sizeof(r->path), "security.%s[%zu]", key, i);
}

static int read_denial(struct rd *r, json_t *e, struct vd_security *s)
{
	struct vd_denial *d;
	uint8_t kind;
	json_t *v;
	int rc;

	if (!json_is_object(e))
		return fail(r, "", "expected an object");
	if (get_enum(r, e, "kind", vd_denial_kind_value, &kind))
		return -EPROTO;
	if (!kind)
		return fail(r, "kind", "missing");
	d = VD_PUSH(s, denials);
	if (!d)
		return -ENOMEM;
	d->kind = kind;
	rc = get_str(r, e, "comm", d->comm, sizeof(d->comm));
	rc = rc ? rc : get_str(r, e, "exe", d->exe, sizeof(d->exe));
	rc = rc ? rc : get_str(r, e, "permission", d->perm, sizeof(d->perm));
	rc = rc ? rc : get_str(r, e, "class", d->tclass, sizeof(d->tclass));
	rc = rc ? rc : get_str(r, e, "target", d->target, sizeof(d->target));
	rc = rc ? rc : get_str(r, e, "context", d->context, sizeof(d->context));
	rc = rc ? rc
		: get_str(r, e, "tcontext", d->tcontext, sizeof(d->tcontext));
	rc = rc ? rc : get_tri(r, e, "permissive", &d->permissive);
	rc = rc ? rc : get_src(r, e, s, &d->src);
	if (rc)
		return rc;
	{
		long long pid;

		if (get_count(r, e, "pid", INT_MAX, &pid))
			return -EPROTO;
		d->pid = (int)pid;
	}
	if (opt(e, "text", &v)) {
		if (!json_is_string(v) ||
		    json_string_length(v) > VD_DENIAL_TEXT_MAX ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return fail(r, "text",
				    "expected a string of at most "
				    "512 bytes");
		d->text = strdup(json_string_value(v));
		if (!d->text)
			return -ENOMEM;
	}
	return 0;
}

static int read_all(struct rd *r, json_t *j, struct vd_security *s)
{
	json_t *se, *aa, *a, *e;
	long long n;
	size_t i;

	snprintf(r->path, sizeof(r->path), "security");
	if (array(r, j, "files", FILES_MAX, &a))
		return -EPROTO;
	json_array_foreach(a, i, e)
	{
		int rc;

		if (!json_is_string(e) ||
		    strlen(json_string_value(e)) != json_string_length(e))
			return fail(r, "files", "expected strings");
		rc = vd_security_file(s, json_string_value(e));
		if (rc < 0)
			return rc;
		if ((size_t)rc != i)
			return fail(r, "files", "a path twice");
	}
	if (opt(j, "selinux", &se)) {
		snprintf(r->path, sizeof(r->path), "security.selinux");
		if (!json_is_object(se))
			return fail(r, "", "expected an object");
		if (get_enum(r, se, "mode", vd_selinux_mode_value,
			     &s->selinux) ||
		    get_str(r, se, "source", s->selinux_src,
			    sizeof(s->selinux_src)) ||
		    get_enum(r, se, "config_mode", vd_selinux_mode_value,
			     &s->selinux_config) ||
		    get_str(r, se, "config_source", s->selinux_config_src,
			    sizeof(s->selinux_config_src)))
			return -EPROTO;
	}
	if (opt(j, "apparmor", &aa)) {
		snprintf(r->path, sizeof(r->path), "security.apparmor");
		if (!json_is_object(aa))
			return fail(r, "", "expected an object");
		if (get_tri(r, aa, "enabled", &s->apparmor) ||
		    get_str(r, aa, "source", s->apparmor_src,
			    sizeof(s->apparmor_src)) ||
		    get_count(r, aa, "profiles_total", INT_MAX, &n))
			return -EPROTO;
		s->aa_profiles_total = (size_t)n;
		if (array(r, aa, "profiles", PROFILES_MAX, &a))
			return -EPROTO;
		json_array_foreach(a, i, e)
		{
			struct vd_aa_profile *p;

			at(r, "apparmor.profiles", i);
			if (!json_is_object(e))
				return fail(r, "", "expected an object");
			p = VD_PUSH(s, aa_profiles);
			if (!p)
				return -ENOMEM;
			if (get_str(r, e, "name", p->name, sizeof(p->name)) ||
			    get_enum(r, e, "mode", vd_aa_mode_value,
				     &p->mode) ||
			    get_src(r, e, s, &p->src))
				return -EPROTO;
			if (!p->name[0])
				return fail(r, "name", "missing");
		}
	}
	snprintf(r->path, sizeof(r->path), "security");
	if (array(r, j, "denials", DENIALS_MAX, &a))
		return -EPROTO;
	json_array_foreach(a, i, e)
	{
		int rc;

		at(r, "denials", i);
		rc = read_denial(r, e, s);
		if (rc)
			return rc;
	}
	snprintf(r->path, sizeof(r->path), "security");
	if (get_count(r, j, "denials_dropped", INT_MAX, &n))
		return -EPROTO;
	s->denials_dropped = (size_t)n;
	if (get_tri(r, j, "kvm_virt_at_load", &s->kvm_virt_at_load) ||
	    get_enum(r, j, "hypervisor_launch_type", vd_hv_launch_value,
		     &s->hv_launch) ||
	    get_str(r, j, "hypervisor_launch_type_source", s->hv_launch_src,
		    sizeof(s->hv_launch_src)))
		return -EPROTO;
	return 0;
}

int vd_security_from_json(json_t *j, struct vd_security *out, char *err,
			  size_t errlen)
{
	struct vd_security s;
	struct rd r = { err, errlen, "security" };
	int rc;

	if (!j || json_is_null(j))
		return 0;
	if (!json_is_object(j)) {
		if (err && errlen)
			snprintf(err, errlen, "security: expected an object");
		return -EPROTO;
	}
	vd_security_init(&s);
	rc = read_all(&r, j, &s);
	if (rc) {
		if (rc == -ENOMEM && err && errlen)
			snprintf(err, errlen, "out of memory");
		vd_security_free(&s);
		return rc;
	}
	vd_security_free(out);
	*out = s;
	return 0;
}
