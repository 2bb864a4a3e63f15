/* SPDX-License-Identifier: MIT */
/*
 * The Linux live collector, one file per source of facts: rtnetlink
 * (netlink.c), sock_diag (sockets.c), /proc (procs.c) and files under the
 * sysroot (files.c).  collect.c runs them in order.
 *
 * Each returns 0 or a negative errno; only netlink failures and -ENOMEM
 * stop a collection, everything else leaves its part of the model unknown.
 */
#ifndef VD_COLLECT_LINUX_H
#define VD_COLLECT_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collect/collect.h"
#include "facts/facts.h"
#include "util/utf8.h"

/* Where files are read from: a sysroot (paths stay inside it), "/", or
 * vd_root_cwd for paths the user gives. */
struct vd_root {
	int fd;
	bool confined; /* a sysroot: resolve paths inside it */
};
extern const struct vd_root vd_root_cwd;
/* 0 or -errno (fd is then -1). */
int vd_root_open(struct vd_root *r, const char *sysroot);
void vd_root_close(struct vd_root *r);
/* openat under the root; the descriptor or -errno. */
int vd_open_under(const struct vd_root *r, const char *rel, int flags);
/* A regular (or /proc) file of at most 16 MiB: 0, -EFBIG or -errno. */
int vd_read_under(const struct vd_root *r, const char *rel, uint8_t **out,
		  size_t *outlen);
/* The last max bytes of a file, from a line start (logs). */
int vd_read_tail_under(const struct vd_root *r, const char *rel, size_t max,
		       uint8_t **out, size_t *outlen);

/* Links, addresses, routes, rules and neighbours; reason in err. */
int vd_linux_netlink(struct vd_facts *f, char *err, size_t errlen);
/* Listening TCP and unconnected UDP sockets, with their owners. */
int vd_linux_sockets(struct vd_facts *f);
/* Processes of known network daemons and hypervisor programs. */
int vd_linux_procs(struct vd_facts *f);
/* Modules, resolv.conf, sysctl files, os-release, then VMware's files;
 * an error (reason in err) only for -ENOMEM or what opts names. */
int vd_linux_files(struct vd_facts *f, const struct vd_collect_opts *opts,
		   char *err, size_t errlen);
/* VMware's networks, VMs, logs and module builds (collect/linux/vmware.c). */
int vd_linux_vmware(struct vd_facts *f, const struct vd_root *root,
		    const struct vd_collect_opts *opts, char *err,
		    size_t errlen);
/* Units of interest and NetworkManager: D-Bus when live, else files. */
int vd_linux_services(struct vd_facts *f);
/* The firewall's rulesets as text (firewall.c); -ENOMEM only: what cannot
 * be read is noted in f->firewall.error. */
int vd_linux_firewall(struct vd_facts *f);

#endif
