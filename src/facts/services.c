/* SPDX-License-Identifier: MIT */
#include "facts/services.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/facts.h"

const char *const vd_units_of_interest[] = {
	"vmware.service",    "vmware-networks.service",
	"libvirtd.service",  "virtnetworkd.service",
	"vboxdrv.service",   "NetworkManager.service",
	"firewalld.service", NULL,
};

void vd_services_init(struct vd_services *s)
{
	memset(s, 0, sizeof(*s));
	s->nm.running = VD_UNKNOWN;
}

void vd_services_free(struct vd_services *s)
{
	free(s->units);
	free(s->nm.devices);
	for (size_t i = 0; i < s->nm.n_unmanaged; i++) {
		free(s->nm.unmanaged[i].specs);
		free(s->nm.unmanaged[i].file);
	}
	free(s->nm.unmanaged);
	for (size_t i = 0; i < s->nm.n_files; i++)
		free(s->nm.files[i]);
	free(s->nm.files);
	vd_services_init(s);
}

const struct vd_unit *vd_services_unit(const struct vd_services *s,
				       const char *name)
{
	for (size_t i = 0; i < s->n_units; i++)
		if (strcmp(s->units[i].name, name) == 0)
			return &s->units[i];
	return NULL;
}

const char *vd_svc_from_name(unsigned from)
{
	switch (from) {
	case VD_SVC_DBUS:
		return "dbus";
	case VD_SVC_FILES:
		return "files";
	default:
		return "unknown";
	}
}

const char *vd_unit_describe(const struct vd_unit *u, char *buf, size_t len)
{
	const char *fs = u->file_state[0] ? u->file_state : NULL;

	if (strcmp(u->load, "not-found") == 0)
		snprintf(buf, len, "not installed");
	else if (u->active[0] && u->sub[0])
		snprintf(buf, len, "%s (%s)%s%s", u->active, u->sub,
			 fs ? ", " : "", fs ? fs : "");
	else if (u->active[0])
		snprintf(buf, len, "%s%s%s", u->active, fs ? ", " : "",
			 fs ? fs : "");
	else
		snprintf(buf, len, "installed%s%s", fs ? ", " : "",
			 fs ? fs : "");
	return buf;
}

const char *vd_nm_state_name(uint32_t state, char *buf, size_t len)
{
	static const struct {
		uint32_t v;
		const char *name;
	} names[] = {
		{ 10, "unmanaged" },	 { 20, "unavailable" },
		{ 30, "disconnected" },	 { 40, "prepare" },
		{ 50, "config" },	 { 60, "need-auth" },
		{ 70, "ip-config" },	 { 80, "ip-check" },
		{ 90, "secondaries" },	 { 100, "activated" },
		{ 110, "deactivating" }, { 120, "failed" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].v == state)
			return names[i].name;
	snprintf(buf, len, "state %u", (unsigned)state);
	return buf;
}

int vd_nm_add_unmanage(struct vd_nm *nm, unsigned src, const char *specs,
		       size_t specs_len, const char *file, unsigned line)
{
	struct vd_nm_unmanage *u;
	char *s = malloc(specs_len + 1), *fl = strdup(file ? file : "");

	if (!s || !fl || !(u = VD_PUSH(nm, unmanaged))) {
		free(s);
		free(fl);
		return -ENOMEM;
	}
	memcpy(s, specs, specs_len);
	s[specs_len] = '\0';
	u->src = (uint8_t)src;
	u->specs = s;
	u->file = fl;
	u->line = line;
	return 0;
}

/* ---- matching device specs -------------------------------------------- */

static bool same(char a, char b, bool fold)
{
	return fold ? tolower((unsigned char)a) == tolower((unsigned char)b)
		    : a == b;
}

/*
 * '*' and '?' over [p, pe) against the NUL-terminated s, ASCII case folded
 * when fold.  Only the last '*' is ever retried, so the time is linear in
 * the pattern times the string, however many stars the file holds.
 */
static bool wild(const char *p, const char *pe, const char *s, bool fold)
{
	const char *star = NULL, *retry = NULL;

	while (*s) {
		if (p < pe && *p == '*') {
			star = ++p;
			retry = s;
		} else if (p < pe && (*p == '?' || same(*p, *s, fold))) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++retry;
		} else {
			return false;
		}
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

/* A value, or '|' alternatives of one when alts (udev), against s. */
static bool value_matches(const char *v, const char *ve, const char *s,
			  bool glob, bool fold, bool alts)
{
	while (v <= ve) {
		const char *end = ve;

		if (alts)
			for (end = v; end < ve && *end != '|'; end++)
				;
		if (glob ? wild(v, end, s, fold)
			 : (strlen(s) == (size_t)(end - v) &&
			    strncmp(v, s, (size_t)(end - v)) == 0))
			return true;
		v = end + 1;
	}
	return false;
}

static bool has_prefix(const char *s, const char *se, const char *pre)
{
	size_t n = strlen(pre);

	return (size_t)(se - s) >= n && memcmp(s, pre, n) == 0;
}

/* One spec [s, se) against the device: enum vd_tri. */
static int spec_matches(const char *s, const char *se,
			const struct vd_nm_match *m, bool alts)
{
	if (se - s == 1 && *s == '*')
		return VD_YES;
	if (has_prefix(s, se, "interface-name:")) {
		s += strlen("interface-name:");
		if (s < se && *s == '=')
			return value_matches(s + 1, se, m->ifname, false, false,
					     alts);
		if (s < se && *s == '~')
			s++;
		return value_matches(s, se, m->ifname, true, false, alts);
	}
	if (has_prefix(s, se, "mac:")) {
		if (!m->mac || !*m->mac)
			return VD_UNKNOWN;
		return value_matches(s + 4, se, m->mac, true, true, alts);
	}
	if (has_prefix(s, se, "driver:")) {
		if (!m->driver || !*m->driver)
			return VD_UNKNOWN;
		return value_matches(s + 7, se, m->driver, false, false, alts);
	}
	/* Any other tag ("type:", "s390-subchannels:"...) is not in the
	 * model; an untagged spec is an interface name, as in old
	 * NetworkManager versions. */
	for (const char *p = s; p < se; p++)
		if (*p == ':')
			return VD_UNKNOWN;
	return value_matches(s, se, m->ifname, true, false, alts);
}

int vd_nm_unmanage_matches(const struct vd_nm_unmanage *u,
			   const struct vd_nm_match *m)
{
	bool all = u->src == VD_NM_UDEV;
	bool has_pos = false, pos = false, unk_pos = false, unk_neg = false;
	bool any = false;
	const char *p = u->specs;

	while (*p) {
		const char *s = p, *se;
		bool except = false;
		int r;

		while (*s == ' ' || *s == '\t')
			s++;
		for (se = s; *se && *se != ';' && *se != ','; se++)
			;
		p = *se ? se + 1 : se;
		while (se > s && (se[-1] == ' ' || se[-1] == '\t'))
			se--;
		if (se == s)
			continue;
		any = true;
		if (!all && has_prefix(s, se, "except:")) {
			except = true;
			s += strlen("except:");
		}
		r = spec_matches(s, se, m, all);
		if (all) {
			/* a udev rule: every condition must hold */
			if (r == VD_NO)
				return VD_NO;
			unk_pos |= r == VD_UNKNOWN;
			has_pos = pos = true;
			continue;
		}
		if (except) {
			if (r == VD_YES)
				return VD_NO;
			unk_neg |= r == VD_UNKNOWN;
		} else {
			has_pos = true;
			pos |= r == VD_YES;
			unk_pos |= r == VD_UNKNOWN;
		}
	}
	if (!any)
		return VD_NO; /* an empty list */
	if (all)
		return !has_pos ? VD_NO : unk_pos ? VD_UNKNOWN : VD_YES;
	/* Only "except:" specs: every other device matches. */
	if (has_pos ? pos : true)
		return unk_neg ? VD_UNKNOWN : VD_YES;
	return unk_pos ? VD_UNKNOWN : VD_NO;
}
