/* SPDX-License-Identifier: MIT */
/*
 * Which interfaces are host virtual-network adapters.  Never guessed from
 * names alone when the hypervisor says: VMware's networking file lists the
 * vmnets that have a host adapter.  Other hypervisors (whose files are not
 * read yet) fall back to the documented pattern list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

const char *const vd_default_adapter_patterns[] = {
	"vmnet*", "virbr*", "vboxnet*", "vEthernet*", NULL,
};

/* Shell-style match of '*' and '?' (no classes); enough for names. */
static bool glob_match(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

const struct vd_adapter *vd_adapters_find(const struct vd_adapters *a,
					  const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return &a->v[i];
	return NULL;
}

static int add(const struct vd_facts *f, struct vd_adapters *a,
	       const char *name, enum vd_adapter_origin origin,
	       const struct vd_vnet *vnet, const char *why)
{
	struct vd_adapter *ad;

	if (vd_adapters_find(a, name))
		return 0;
	if (strlen(name) >= sizeof(ad->name))
		return -EINVAL;
	if (a->n == a->cap) {
		size_t ncap = a->cap ? a->cap * 2 : 8;
		struct vd_adapter *nv = realloc(a->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		a->v = nv;
		a->cap = ncap;
	}
	ad = &a->v[a->n++];
	memset(ad, 0, sizeof(*ad));
	snprintf(ad->name, sizeof(ad->name), "%s", name);
	snprintf(ad->why, sizeof(ad->why), "%s", why);
	ad->origin = origin;
	ad->vnet = vnet;
	ad->link = vd_facts_link_by_name(f, name);
	return 0;
}

int vd_adapters_select(const struct vd_facts *f, const struct vd_rule_opts *o,
		       struct vd_adapters *out)
{
	const char *const *pats =
		o && o->patterns ? o->patterns : vd_default_adapter_patterns;
	bool vmware = f->vmware.present == VD_YES;
	struct vd_adapters a = { 0 };
	char why[160];
	int err = 0;

	for (size_t i = 0; vmware && i < f->vmware.n_vnets && !err; i++) {
		const struct vd_vnet *v = &f->vmware.vnets[i];

		if (v->virtual_adapter != VD_YES)
			continue;
		snprintf(why, sizeof(why), "%s: VNET_%d_VIRTUAL_ADAPTER yes",
			 f->vmware.networking_file ? f->vmware.networking_file
						   : "networking",
			 v->num);
		err = add(f, &a, v->name, VD_ADAPTER_CONFIG, v, why);
	}
	for (size_t i = 0; o && o->adapters && o->adapters[i] && !err; i++)
		err = add(f, &a, o->adapters[i], VD_ADAPTER_OPTION, NULL,
			  "named with --adapter");
	for (size_t i = 0; i < f->n_links && !err; i++) {
		const struct vd_link *l = &f->links[i];

		/* A bridge port is part of a switch, not a host adapter. */
		if (l->master)
			continue;
		for (size_t p = 0; pats[p]; p++) {
			/* VMware's own list wins over the vmnet* pattern. */
			if (vmware && !(o && o->patterns) &&
			    strcmp(pats[p], "vmnet*") == 0)
				continue;
			if (glob_match(pats[p], l->name)) {
				snprintf(why, sizeof(why), "name matches %s",
					 pats[p]);
				err = add(f, &a, l->name, VD_ADAPTER_PATTERN,
					  NULL, why);
				break;
			}
		}
	}
	if (err) {
		free(a.v);
		return err;
	}
	*out = a;
	return 0;
}

void vd_adapters_clear(struct vd_adapters *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}
