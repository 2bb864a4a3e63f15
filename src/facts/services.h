/* SPDX-License-Identifier: MIT */
/*
 * Services of interest (systemd units) and NetworkManager: what the host's
 * service manager says over D-Bus, or what its files say under --sysroot.
 * Strings are systemd's and NetworkManager's own words ("active",
 * "enabled"); "" means not known.
 */
#ifndef VD_SERVICES_H
#define VD_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/types.h"

/* Where a part of the model came from. */
enum vd_svc_from {
	VD_SVC_UNKNOWN = 0, /* not collected (old snapshot, no source) */
	VD_SVC_DBUS = 1,    /* systemd / NetworkManager over D-Bus */
	VD_SVC_FILES = 2,   /* unit files and configuration files */
};

/* The units every collection asks about, NULL terminated. */
extern const char *const vd_units_of_interest[];

struct vd_unit {
	char name[64];
	char load[16];	     /* "loaded", "not-found", "masked" */
	char active[16];     /* "active", "inactive", "failed"... */
	char sub[24];	     /* "running", "dead", "exited"... */
	char file_state[24]; /* "enabled", "disabled", "static"... */
	uint8_t from;	     /* enum vd_svc_from */
};

/* NetworkManager's NMDeviceState values that matter in evidence. */
#define VD_NM_DEVICE_UNMANAGED 10
#define VD_NM_DEVICE_ACTIVATED 100

struct vd_nm_device {
	char ifname[VD_IFNAME_MAX];
	int8_t managed; /* enum vd_tri */
	uint32_t state; /* NMDeviceState, 0 unknown */
	uint8_t from;	/* enum vd_svc_from */
};

/* Which configuration says a device is not to be managed. */
enum vd_nm_src {
	VD_NM_KEYFILE = 1, /* [keyfile] unmanaged-devices= */
	VD_NM_DEVICE = 2,  /* [device*] match-device= with managed=0 */
	VD_NM_UDEV = 3,	   /* a udev rule setting ENV{NM_UNMANAGED}="1" */
};

/*
 * One statement that leaves devices unmanaged.  specs is a device spec
 * list in NetworkManager's syntax ("interface-name:vmnet*;mac:..."): for
 * keyfile and device sections a device matches as NetworkManager decides
 * (any spec, no "except:" spec); for a udev rule every spec must match
 * (its conditions), and one spec may hold '|' alternatives.
 */
struct vd_nm_unmanage {
	uint8_t src; /* enum vd_nm_src */
	char *specs;
	char *file; /* as read, under the sysroot */
	unsigned line;
};

struct vd_nm {
	uint8_t from;	/* enum vd_svc_from */
	int8_t running; /* enum vd_tri */
	char version[32];
	VD_ARRAY(struct vd_nm_device, devices);
	VD_ARRAY(struct vd_nm_unmanage, unmanaged);
	VD_ARRAY(char *, files); /* configuration files read, in order */
};

struct vd_services {
	VD_ARRAY(struct vd_unit, units);
	struct vd_nm nm;
};

void vd_services_init(struct vd_services *s);
void vd_services_free(struct vd_services *s);

const struct vd_unit *vd_services_unit(const struct vd_services *s,
				       const char *name);
/* A unit's state in a few words: "failed (failed), enabled" or
 * "installed, enabled" (from unit files); buf. */
const char *vd_unit_describe(const struct vd_unit *u, char *buf, size_t len);
/* NetworkManager's NMDeviceState as a word ("activated"), or "state N". */
const char *vd_nm_state_name(uint32_t state, char *buf, size_t len);
const char *vd_svc_from_name(unsigned from);

/* What a device is matched against. */
struct vd_nm_match {
	const char *ifname;
	const char *mac;    /* "00:50:56:c0:00:08" lower case, or NULL */
	const char *driver; /* the link kind, or NULL */
};

/*
 * Does the statement leave this device unmanaged?  VD_UNKNOWN when it
 * depends on something the model does not hold (a spec type such as
 * "type:" or "s390-subchannels:", a driver not known).
 */
int vd_nm_unmanage_matches(const struct vd_nm_unmanage *u,
			   const struct vd_nm_match *m);

/* Append one statement (strings copied); 0 or -ENOMEM. */
int vd_nm_add_unmanage(struct vd_nm *nm, unsigned src, const char *specs,
		       size_t specs_len, const char *file, unsigned line);

#endif
