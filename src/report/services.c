/* SPDX-License-Identifier: MIT */
/*
 * The services in the head of the text report: the units of interest that
 * are installed, and what NetworkManager says of its devices.
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "util/strbuf.h"

#define NM_DEVICES_SHOWN 8

void vd_report_services(struct vd_strbuf *sb, const struct vd_facts *f)
{
	const struct vd_services *s = &f->services;
	const struct vd_nm *nm = &s->nm;
	bool any = false, dbus = false;
	char buf[96];

	for (size_t i = 0; i < s->n_units; i++) {
		const struct vd_unit *u = &s->units[i];

		if (strcmp(u->load, "not-found") == 0)
			continue;
		vd_sb_printf(sb, "%s %s %s", any ? ";" : "services:", u->name,
			     vd_unit_describe(u, buf, sizeof(buf)));
		any = true;
		dbus |= u->from == VD_SVC_DBUS;
	}
	if (any)
		vd_sb_printf(sb, " (%s)\n",
			     dbus ? "systemd over D-Bus" : "files");
	if (nm->from != VD_SVC_DBUS || nm->running != VD_YES)
		return;
	vd_sb_printf(sb, "NetworkManager%s%s:", nm->version[0] ? " " : "",
		     nm->version);
	for (size_t i = 0; i < nm->n_devices && i < NM_DEVICES_SHOWN; i++) {
		const struct vd_nm_device *d = &nm->devices[i];

		vd_sb_printf(
			sb, "%s %s %s", i ? "," : "", d->ifname,
			d->managed == VD_YES
				? vd_nm_state_name(d->state, buf, sizeof(buf))
				: "unmanaged");
	}
	if (nm->n_devices > NM_DEVICES_SHOWN)
		vd_sb_printf(sb, ", %zu more",
			     nm->n_devices - NM_DEVICES_SHOWN);
	vd_sb_printf(sb, "%s\n", nm->n_devices ? "" : " no devices");
}
