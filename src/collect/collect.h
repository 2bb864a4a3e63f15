/* SPDX-License-Identifier: MIT */
/*
 * Collectors: gather the facts, never judge them.
 * The live collectors are platform code (collect/linux/); the file parsers
 * below are portable and pure (bytes in, facts out).
 */
#ifndef VD_COLLECT_H
#define VD_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "facts/facts.h"

struct vd_collect_opts {
	const char *sysroot;	/* NULL or "/" : the live system */
	const char *const *vmx; /* .vmx files the user names (--vmx) */
	size_t n_vmx;
	const char *vmware_dir; /* a Windows ProgramData\VMware folder */
};

/*
 * Fill f from the running system: kernel objects of the current network
 * namespace, processes, sockets, and the files under opts->sysroot.
 * Returns 0, or a negative error code with a one-line reason in err when
 * something essential failed (netlink unusable).  A missing file is not an
 * error: its part of the model stays "unknown".
 */
int vd_collect_live(struct vd_facts *f, const struct vd_collect_opts *opts,
		    char *err, size_t errlen);

/* Portable parsers: 0, -ENOMEM, or -EINVAL for bytes that are not the
 * format (a reason is then written to err).  They never fail on unknown
 * keys, comments, CRLF line ends or blank lines. */

/* /proc/modules: "name size refcnt deps state offset". */
int vd_parse_modules(const uint8_t *buf, size_t len, struct vd_facts *f);
/* resolv.conf: nameserver, search, domain lines. */
int vd_parse_resolv(const uint8_t *buf, size_t len, const char *file,
		    struct vd_resolv *out);
/* sysctl.conf syntax: "key = value", "-key = value", '#' and ';' comments. */
int vd_parse_sysctl(const uint8_t *buf, size_t len, const char *file,
		    struct vd_facts *f);
/* os-release: KEY=value with shell quoting. */
int vd_parse_os_release(const uint8_t *buf, size_t len, struct vd_host *h);
/*
 * VMware's files (collect/vmware/).  Each appends to the VMware model what
 * its file declares, all or nothing: on failure the model is unchanged.
 * file is the path to quote in evidence; vnet is the vmnet number the
 * file's path names (vmnet8/nat/nat.conf), or -1 when the file serves
 * several or its path does not say (Windows vmnetdhcp.conf).  They return
 * 0, -ENOMEM, or -EINVAL with a one-line reason in err for bytes that are
 * not the format (binary data, a NUL byte, nothing recognisable).
 */
/* etc/vmware/networking: VERSION, answer VNET_N_KEY value,
 * remove_answer, add_bridge_mapping, add_nat_portfwd, add_dhcp_mac_to_ip.
 * Replaces the vnets (the file is the database of them). */
int vd_parse_vmware_networking(const uint8_t *buf, size_t len, const char *file,
			       struct vd_vmware *out, char *err, size_t errlen);
/* vmnetN/nat/nat.conf, Windows vmnetnat.conf, Fusion vmnetN/nat.conf. */
int vd_parse_vmware_natconf(const uint8_t *buf, size_t len, const char *file,
			    int vnet, struct vd_vmware *out, char *err,
			    size_t errlen);
/* vmnetN/dhcpd/dhcpd.conf, Windows vmnetdhcp.conf (ISC dhcpd 2.0). */
int vd_parse_vmware_dhcpd(const uint8_t *buf, size_t len, const char *file,
			  int vnet, struct vd_vmware *out, char *err,
			  size_t errlen);
/* dhcpd.leases (ISC) or macOS bootpd dhcpd_leases (detected). */
int vd_parse_vmware_leases(const uint8_t *buf, size_t len, const char *file,
			   int vnet, struct vd_vmware *out, char *err,
			   size_t errlen);
/* A virtual machine's .vmx: appends one vd_vm. */
int vd_parse_vmx(const uint8_t *buf, size_t len, const char *file,
		 struct vd_vmware *out, char *err, size_t errlen);
/* etc/vmware/netmap.conf. */
int vd_parse_vmware_netmap(const uint8_t *buf, size_t len, const char *file,
			   struct vd_vmware *out, char *err, size_t errlen);
/* etc/vmware/config (VMX syntax): every key kept, product.version. */
int vd_parse_vmware_config(const uint8_t *buf, size_t len, const char *file,
			   struct vd_vmware *out, char *err, size_t errlen);
/* A log (vmware.log in any of its three line styles, syslog, journal
 * export, Windows logs): appends the lines that match known failures. */
int vd_parse_vmware_log(const uint8_t *buf, size_t len, const char *file,
			struct vd_vmware *out, char *err, size_t errlen);

#endif
