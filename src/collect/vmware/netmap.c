/* SPDX-License-Identifier: MIT */
/*
 * etc/vmware/netmap.conf (Windows: ProgramData\VMware\netmap.conf), the
 * names the UI gives the vmnets, in VMX syntax (see vmxsyntax.h):
 *
 *	network0.name = "Bridged"
 *	network0.device = "vmnet0"
 *
 * One vd_netmap per networkN (N 0..255) that any networkN.* key names,
 * sorted by N, its source the first such line.  Devices are kept as
 * written ("vmnet8", "nameanddevice").  Other networkN keys are kept as
 * kvs of section "networkN", any other key as a kv of section "".  A key
 * given twice: the later wins.  Bytes in, facts out: no I/O.
 */
#include "collect/collect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/vmware/vmxsyntax.h"

struct netmap_state {
	bool seen;
	struct vd_netmap map;
};

static int pair(struct netmap_state *maps, struct vd_vmware *out,
		const struct vd_vmx_pair *p)
{
	struct vd_span rest;
	struct vd_netmap *m;
	char section[16];
	unsigned n;

	if (!vd_vmx_indexed(p->key, "network", VD_VNET_MAX, &n, &rest))
		return vd_vmx_kv_add(out, "", &p->key, p->value, p->src);
	m = &maps[n].map;
	if (!maps[n].seen) {
		maps[n].seen = true;
		m->src = p->src;
	}
	if (vd_span_ieq(&rest, "name")) {
		vd_vmx_copy(m->name, sizeof(m->name), p->value);
		return 0;
	}
	if (vd_span_ieq(&rest, "device")) {
		vd_vmx_copy(m->device, sizeof(m->device), p->value);
		return 0;
	}
	snprintf(section, sizeof(section), "network%u", n);
	return vd_vmx_kv_add(out, section, &rest, p->value, p->src);
}

static int add_maps(struct vd_vmware *out, const struct netmap_state *maps)
{
	for (int i = 0; i <= VD_VNET_MAX; i++) {
		struct vd_netmap *d;

		if (!maps[i].seen)
			continue;
		d = VD_PUSH(out, netmap);
		if (!d)
			return -ENOMEM;
		*d = maps[i].map;
		d->index = i;
	}
	return 0;
}

int vd_parse_vmware_netmap(const uint8_t *buf, size_t len, const char *file,
			   struct vd_vmware *out, char *err, size_t errlen)
{
	struct netmap_state *maps;
	struct vd_vmx_reader r;
	struct vd_vmx_pair p;
	int rc;

	maps = calloc(VD_VNET_MAX + 1, sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	rc = vd_vmx_begin(&r, buf, len, file ? file : "netmap.conf",
			  "netmap.conf", out, err, errlen);
	if (rc < 0) {
		free(maps);
		return rc;
	}
	while ((rc = vd_vmx_next(&r, &p)) > 0)
		if ((rc = pair(maps, out, &p)) < 0)
			break;
	if (rc == 0)
		rc = add_maps(out, maps);
	free(maps);
	return vd_vmx_end(&r, rc, err, errlen);
}
