/* SPDX-License-Identifier: MIT */
/*
 * HOST.networkmanager-managed: NetworkManager manages a hypervisor's
 * adapter, and may flush its address, run DHCP on it or take it down.
 * Over D-Bus NetworkManager says so itself; from files, it is enabled and
 * none of its unmanaged-devices, [device] sections or udev rules leaves
 * the adapter alone.
 */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "util/ip.h"

static void remedy(struct vd_findings *out, struct vd_finding *fd,
		   const char *ifname)
{
	vd_finding_remedy(out, fd, "now: nmcli device set %s managed no",
			  ifname);
	vd_finding_remedy(out, fd,
			  "for good: /etc/NetworkManager/conf.d/"
			  "90-vnet-unmanaged.conf with the lines [keyfile] and "
			  "unmanaged-devices=interface-name:vmnet*;"
			  "interface-name:virbr*;interface-name:vboxnet*, "
			  "then: systemctl reload NetworkManager");
}

/* Over D-Bus: the device NetworkManager itself reports as managed. */
static void from_dbus(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_nm *nm = &c->facts->services.nm;
	char st[24];

	for (size_t a = 0; a < c->adapters->n; a++) {
		const struct vd_adapter *ad = &c->adapters->v[a];

		for (size_t i = 0; i < nm->n_devices; i++) {
			const struct vd_nm_device *d = &nm->devices[i];
			struct vd_finding *fd;

			if (strcmp(d->ifname, ad->name) != 0 ||
			    d->managed != VD_YES)
				continue;
			fd = vd_finding_add(out, "HOST.networkmanager-managed",
					    ad->name,
					    "NetworkManager manages the "
					    "hypervisor adapter %s",
					    ad->name);
			vd_finding_evidence(
				out, fd,
				"NetworkManager %s (D-Bus): device %s "
				"Managed=true, state %s",
				nm->version[0] ? nm->version : "?", d->ifname,
				vd_nm_state_name(d->state, st, sizeof(st)));
			vd_finding_evidence(out, fd, "%s is a host adapter: %s",
					    ad->name, ad->why);
			remedy(out, fd, ad->name);
		}
	}
}

/* From files: enabled, and no statement leaves the adapter unmanaged. */
static void from_files(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_facts *f = c->facts;
	const struct vd_nm *nm = &f->services.nm;
	const struct vd_unit *u =
		vd_services_unit(&f->services, "NetworkManager.service");
	char mac[VD_MACSTR_MAX];

	if (!u || strncmp(u->file_state, "enabled", 7) != 0)
		return;
	for (size_t a = 0; a < c->adapters->n; a++) {
		const struct vd_adapter *ad = &c->adapters->v[a];
		struct vd_nm_match m = { ad->name, NULL, NULL };
		struct vd_finding *fd;
		bool unknown = false, left_alone = false;

		if (!ad->link)
			continue; /* NetworkManager can only manage what is */
		if (ad->link->mac_len)
			m.mac = vd_mac_str(ad->link->mac, ad->link->mac_len,
					   mac, sizeof(mac));
		m.driver = ad->link->kind;
		for (size_t i = 0; i < nm->n_unmanaged && !left_alone; i++) {
			int r = vd_nm_unmanage_matches(&nm->unmanaged[i], &m);

			left_alone = r == VD_YES;
			unknown |= r == VD_UNKNOWN;
		}
		if (left_alone || unknown)
			continue;
		fd = vd_finding_add(
			out, "HOST.networkmanager-managed", ad->name,
			"NetworkManager would manage the hypervisor "
			"adapter %s (from its configuration)",
			ad->name);
		vd_finding_evidence(out, fd,
				    "NetworkManager.service is %s (unit files)",
				    u->file_state);
		if (nm->n_files)
			vd_finding_evidence(
				out, fd,
				"no unmanaged-devices, [device] managed=0 or "
				"udev NM_UNMANAGED rule matches %s in %zu "
				"configuration file(s), the last %s",
				ad->name, nm->n_files,
				nm->files[nm->n_files - 1]);
		else
			vd_finding_evidence(out, fd,
					    "no NetworkManager configuration "
					    "leaves %s unmanaged",
					    ad->name);
		vd_finding_evidence(out, fd, "%s is a host adapter: %s",
				    ad->name, ad->why);
		remedy(out, fd, ad->name);
	}
}

void rule_networkmanager_managed(const struct vd_rule_ctx *c,
				 struct vd_findings *out)
{
	const struct vd_nm *nm = &c->facts->services.nm;

	if (nm->from == VD_SVC_DBUS && nm->running == VD_YES)
		from_dbus(c, out);
	else if (nm->from == VD_SVC_FILES)
		from_files(c, out);
}
