/* SPDX-License-Identifier: MIT */
/*
 * The host's security policy and hypervisor state: SELinux and AppArmor
 * modes, the denials their logs hold, the Windows hypervisor launch type.
 *
 * Like the VMware part, every item read from a file remembers it: an
 * index into files[] and a line, so that evidence quotes "file:line".
 * Nothing here is judged (rules/host_policy.c does that).
 */
#ifndef VD_FACTS_SECURITY_H
#define VD_FACTS_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/types.h"
#include "facts/vmware.h" /* struct vd_src */

enum vd_selinux_mode {
	VD_SELINUX_UNKNOWN = 0,
	VD_SELINUX_DISABLED,
	VD_SELINUX_PERMISSIVE,
	VD_SELINUX_ENFORCING,
};

enum vd_aa_mode {
	VD_AA_UNKNOWN = 0,
	VD_AA_ENFORCE,
	VD_AA_COMPLAIN,
	VD_AA_KILL,
	VD_AA_UNCONFINED,
	VD_AA_PROMPT,
};

enum vd_denial_kind {
	VD_DENIAL_SELINUX = 1,	/* an AVC "denied" record */
	VD_DENIAL_APPARMOR = 2, /* apparmor="DENIED" */
};

/* bcdedit's hypervisorlaunchtype (only a Windows snapshot carries it). */
enum vd_hv_launch {
	VD_HVLAUNCH_UNKNOWN = 0,
	VD_HVLAUNCH_AUTO,
	VD_HVLAUNCH_OFF,
};

#define VD_DENIALS_PER_FILE 1000 /* the rest are only counted */
#define VD_DENIAL_TEXT_MAX  512

/* A loaded AppArmor profile of a hypervisor program. */
struct vd_aa_profile {
	char name[256];
	uint8_t mode; /* enum vd_aa_mode */
	struct vd_src src;
};

/* One denial line. Strings are as logged ("" when absent); hex-encoded
 * audit fields (comm=766D...) are decoded. */
struct vd_denial {
	uint8_t kind;	    /* enum vd_denial_kind */
	int8_t permissive;  /* enum vd_tri: SELinux permissive=1 (logged,
			     * not blocked); AppArmor DENIED is always no */
	int pid;	    /* 0: not logged */
	char comm[64];	    /* comm= */
	char exe[256];	    /* exe= */
	char perm[64];	    /* SELinux { perms }, AppArmor operation= */
	char tclass[32];    /* SELinux tclass=, AppArmor class= */
	char target[256];   /* name=, path=, or a socket's port/family */
	char context[256];  /* SELinux scontext=, AppArmor profile= */
	char tcontext[128]; /* SELinux tcontext=, AppArmor denied_mask= */
	char *text;	    /* the line, at most VD_DENIAL_TEXT_MAX bytes */
	struct vd_src src;
};

struct vd_security {
	/* SELinux: the running mode (selinuxfs) or, without it, the
	 * configured one; source says which file ("" when unknown). */
	uint8_t selinux;	      /* enum vd_selinux_mode */
	char selinux_src[256];	      /* "/sys/fs/selinux/enforce" */
	uint8_t selinux_config;	      /* etc/selinux/config SELINUX= */
	char selinux_config_src[256]; /* "/etc/selinux/config:7" */

	int8_t apparmor; /* enum vd_tri: enabled */
	char apparmor_src[256];
	size_t aa_profiles_total; /* every profile the file listed */
	VD_ARRAY(struct vd_aa_profile, aa_profiles);

	VD_ARRAY(char *, files); /* every file read, in order */
	VD_ARRAY(struct vd_denial, denials);
	size_t denials_dropped; /* past the cap of a file */

	/* sys/module/kvm/parameters/enable_virt_at_load (Linux >= 6.12):
	 * KVM takes VT-x/AMD-V when its module loads. */
	int8_t kvm_virt_at_load; /* enum vd_tri */

	uint8_t hv_launch; /* enum vd_hv_launch */
	char hv_launch_src[128];
};

void vd_security_init(struct vd_security *s);
void vd_security_free(struct vd_security *s);
/* Anything known at all (the snapshot writes the object only then). */
bool vd_security_known(const struct vd_security *s);

/* The index of path in s->files, added when new; -ENOMEM. */
int vd_security_file(struct vd_security *s, const char *path);
/* "file:line" of src into buf ("" when unknown). */
const char *vd_security_where(const struct vd_security *s, struct vd_src src,
			      char *buf, size_t len);

/* All-or-nothing parsers mark before and roll back on failure. */
struct vd_security_mark {
	size_t aa_profiles, denials, denials_dropped, aa_profiles_total;
};
void vd_security_mark(const struct vd_security *s, struct vd_security_mark *m);
void vd_security_rollback(struct vd_security *s,
			  const struct vd_security_mark *m);

/* Names of the enums ("enforcing", "complain", "selinux-avc", "auto"),
 * and back (-1 for an unknown name). */
const char *vd_selinux_mode_name(unsigned mode);
int vd_selinux_mode_value(const char *name);
const char *vd_aa_mode_name(unsigned mode);
int vd_aa_mode_value(const char *name);
const char *vd_denial_kind_name(unsigned kind);
int vd_denial_kind_value(const char *name);
const char *vd_hv_launch_name(unsigned v);
int vd_hv_launch_value(const char *name);

/*
 * Is a denial about virtual networking?  Its process is a hypervisor
 * network program (VMware's vmware-vmx, vmnet-*, vmware-authd; libvirtd,
 * virtqemud, virtnetworkd, qemu-system-*, dnsmasq serving libvirt;
 * VirtualBox's VBoxHeadless, VirtualBoxVM, VBoxNet*), its context a
 * virtualization domain, or its target a vmnet/virbr/vboxnet device or
 * /dev/vmnet*, /dev/vmmon.
 */
bool vd_denial_of_interest(const struct vd_denial *d);
/* Is a process name (comm, or an exe's base name) a hypervisor network
 * program?  n bytes of name. */
bool vd_hypervisor_program(const char *name, size_t n);
/* Is an AppArmor profile name one of a hypervisor program? */
bool vd_aa_profile_of_interest(const char *name, size_t n);

#endif
