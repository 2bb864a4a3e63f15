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
	const char *sysroot; /* NULL or "/" : the live system */
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
/* etc/vmware/networking: VERSION, answer VNET_N_KEY value, ... */
int vd_parse_vmware_networking(const uint8_t *buf, size_t len, const char *file,
			       struct vd_vmware *out, char *err, size_t errlen);

#endif
