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

#include <stddef.h>
#include <stdint.h>

#include "facts/facts.h"
#include "util/utf8.h"

/* Links, addresses, routes, rules and neighbours; reason in err. */
int vd_linux_netlink(struct vd_facts *f, char *err, size_t errlen);
/* Listening TCP and unconnected UDP sockets, with their owners. */
int vd_linux_sockets(struct vd_facts *f);
/* Processes of known network daemons and hypervisor programs. */
int vd_linux_procs(struct vd_facts *f);
/* Modules, resolv.conf, sysctl files, os-release, VMware networking. */
int vd_linux_files(struct vd_facts *f, const char *sysroot);

#endif
