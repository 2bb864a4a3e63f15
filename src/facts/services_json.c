/* SPDX-License-Identifier: MIT */
#include "facts/services_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/jread.h"
#include "facts/facts.h"

/* ---- writing ---------------------------------------------------------- */

static json_t *jstr(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *jtri(int t)
{
	return t == VD_UNKNOWN ? json_null() : json_boolean(t == VD_YES);
}

json_t *vd_services_to_json(const struct vd_services *s)
{
	const struct vd_nm *nm = &s->nm;
	json_t *o = json_object(), *units = json_array(), *n = json_object();
	json_t *devs = json_array(), *um = json_array(), *files = json_array();

	/* Containers first (set_new steals even on failure), then contents
	 * through borrowed pointers. */
	if (json_object_set_new(o, "units", units) ||
	    json_object_set_new(o, "networkmanager", n) ||
	    json_object_set_new(n, "devices", devs) ||
	    json_object_set_new(n, "unmanaged", um) ||
	    json_object_set_new(n, "files", files) ||
	    json_object_set_new(n, "from",
				json_string(vd_svc_from_name(nm->from))) ||
	    json_object_set_new(n, "running", jtri(nm->running)) ||
	    json_object_set_new(n, "version", jstr(nm->version)))
		goto oom;
	for (size_t i = 0; i < s->n_units; i++) {
		const struct vd_unit *u = &s->units[i];

		if (json_array_append_new(
			    units,
			    json_pack("{s:s, s:o, s:o, s:o, s:o, s:s}", "name",
				      u->name, "load", jstr(u->load), "active",
				      jstr(u->active), "sub", jstr(u->sub),
				      "file_state", jstr(u->file_state), "from",
				      vd_svc_from_name(u->from))))
			goto oom;
	}
	for (size_t i = 0; i < nm->n_devices; i++) {
		const struct vd_nm_device *d = &nm->devices[i];

		if (json_array_append_new(
			    devs,
			    json_pack("{s:s, s:o, s:I, s:s}", "ifname",
				      d->ifname, "managed", jtri(d->managed),
				      "state", (json_int_t)d->state, "from",
				      vd_svc_from_name(d->from))))
			goto oom;
	}
	for (size_t i = 0; i < nm->n_unmanaged; i++) {
		const struct vd_nm_unmanage *u = &nm->unmanaged[i];
		static const char *const srcs[] = { "?", "keyfile", "device",
						    "udev" };

		if (json_array_append_new(
			    um, json_pack("{s:s, s:s, s:s, s:I}", "source",
					  srcs[u->src < 4 ? u->src : 0],
					  "specs", u->specs, "file", u->file,
					  "line", (json_int_t)u->line)))
			goto oom;
	}
	for (size_t i = 0; i < nm->n_files; i++)
		if (json_array_append_new(files, json_string(nm->files[i])))
			goto oom;
	return o;
oom:
	json_decref(o);
	return NULL;
}

/* ---- reading ---------------------------------------------------------- */

static int word_of(struct vd_jrd *r, json_t *o, const char *key,
		   const char *const *words, size_t n, uint8_t *v)
{
	char buf[16];
	int rc = vd_jrd_str(r, o, key, buf, sizeof(buf));

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (words[i] && strcmp(words[i], buf) == 0) {
			*v = (uint8_t)i;
			return 0;
		}
	return vd_jrd_bad(r, key, "unknown value");
}

static const char *const from_words[] = { "unknown", "dbus", "files" };
static const char *const src_words[] = { NULL, "keyfile", "device", "udev" };

static int strdup_of(struct vd_jrd *r, json_t *o, const char *key, char **out)
{
	json_t *j = json_object_get(o, key);

	if (!j || !json_is_string(j) ||
	    strlen(json_string_value(j)) != json_string_length(j))
		return vd_jrd_bad(r, key, "expected a string");
	*out = strdup(json_string_value(j));
	return *out ? 0 : -ENOMEM;
}

static int read_nm(struct vd_jrd *r, json_t *j, struct vd_nm *nm)
{
	json_t *a, *x;
	size_t i;
	long long v;
	int rc;

	snprintf(r->path, sizeof(r->path), "services.networkmanager");
	if ((rc = word_of(r, j, "from", from_words, 3, &nm->from)) ||
	    (rc = vd_jrd_tri(r, j, "running", &nm->running)) ||
	    (rc = vd_jrd_str(r, j, "version", nm->version,
			     sizeof(nm->version))))
		return rc;
	json_array_foreach((a = vd_jrd_array(j, "devices")), i, x)
	{
		struct vd_nm_device *d = VD_PUSH(nm, devices);

		if (!d)
			return -ENOMEM;
		snprintf(r->path, sizeof(r->path),
			 "services.networkmanager.devices[%zu]", i);
		if ((rc = vd_jrd_str(r, x, "ifname", d->ifname,
				     sizeof(d->ifname))) ||
		    (rc = vd_jrd_tri(r, x, "managed", &d->managed)) ||
		    (rc = vd_jrd_int(r, x, "state", 0, UINT32_MAX, &v)) ||
		    (rc = word_of(r, x, "from", from_words, 3, &d->from)))
			return rc;
		d->state = (uint32_t)v;
	}
	json_array_foreach((a = vd_jrd_array(j, "unmanaged")), i, x)
	{
		struct vd_nm_unmanage *u = VD_PUSH(nm, unmanaged);

		if (!u)
			return -ENOMEM;
		snprintf(r->path, sizeof(r->path),
			 "services.networkmanager.unmanaged[%zu]", i);
		if ((rc = word_of(r, x, "source", src_words, 4, &u->src)) ||
		    (rc = strdup_of(r, x, "specs", &u->specs)) ||
		    (rc = strdup_of(r, x, "file", &u->file)) ||
		    (rc = vd_jrd_int(r, x, "line", 0, UINT32_MAX, &v)))
			return rc;
		u->line = (unsigned)v;
	}
	json_array_foreach((a = vd_jrd_array(j, "files")), i, x)
	{
		char **p = VD_PUSH(nm, files);

		if (!p)
			return -ENOMEM;
		snprintf(r->path, sizeof(r->path),
			 "services.networkmanager.files[%zu]", i);
		if (!json_is_string(x))
			return vd_jrd_bad(r, "", "expected a string");
		if (!(*p = strdup(json_string_value(x))))
			return -ENOMEM;
	}
	return 0;
}

static int read_all(struct vd_jrd *r, json_t *j, struct vd_services *s)
{
	json_t *a, *x, *n;
	size_t i;
	int rc;

	json_array_foreach((a = vd_jrd_array(j, "units")), i, x)
	{
		struct vd_unit *u = VD_PUSH(s, units);

		if (!u)
			return -ENOMEM;
		snprintf(r->path, sizeof(r->path), "services.units[%zu]", i);
		if (!json_is_object(x))
			return vd_jrd_bad(r, "", "expected an object");
		if ((rc = vd_jrd_str(r, x, "name", u->name, sizeof(u->name))) ||
		    (rc = vd_jrd_str(r, x, "load", u->load, sizeof(u->load))) ||
		    (rc = vd_jrd_str(r, x, "active", u->active,
				     sizeof(u->active))) ||
		    (rc = vd_jrd_str(r, x, "sub", u->sub, sizeof(u->sub))) ||
		    (rc = vd_jrd_str(r, x, "file_state", u->file_state,
				     sizeof(u->file_state))) ||
		    (rc = word_of(r, x, "from", from_words, 3, &u->from)))
			return rc;
		if (!u->name[0])
			return vd_jrd_bad(r, "name", "missing");
	}
	n = json_object_get(j, "networkmanager");
	if (!n || json_is_null(n))
		return 0;
	if (!json_is_object(n)) {
		snprintf(r->path, sizeof(r->path), "services");
		return vd_jrd_bad(r, "networkmanager", "expected an object");
	}
	return read_nm(r, n, &s->nm);
}

int vd_services_from_json(json_t *j, struct vd_services *out, char *err,
			  size_t errlen)
{
	struct vd_services s;
	struct vd_jrd r = { err, errlen, "services" };
	int rc;

	if (!j || json_is_null(j))
		return 0;
	if (!json_is_object(j)) {
		snprintf(err, errlen, "services: expected an object");
		return -EPROTO;
	}
	vd_services_init(&s);
	rc = read_all(&r, j, &s);
	if (rc) {
		if (rc == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		vd_services_free(&s);
		return rc;
	}
	vd_services_free(out);
	*out = s;
	return 0;
}
