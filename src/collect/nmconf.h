/* SPDX-License-Identifier: MIT */
/*
 * Portable parsers of NetworkManager's configuration (collect/nmconf.c).
 * Each appends what its file says about unmanaged devices to nm, all or
 * nothing, and returns 0, -ENOMEM, or -EINVAL with a one-line reason in
 * err for bytes that are not the format.
 */
#ifndef VD_NMCONF_H
#define VD_NMCONF_H

#include <stddef.h>
#include <stdint.h>

#include "facts/services.h"

/*
 * NetworkManager.conf or a conf.d/ file: [keyfile] unmanaged-devices=
 * (a plain key replaces what earlier files said, "+=" adds to it, "-=" is
 * ignored) and [device*] sections with managed=0 (match-device=, else
 * every device).  Files are given in NetworkManager's order.
 */
int vd_parse_nm_conf(const uint8_t *buf, size_t len, const char *file,
		     struct vd_nm *nm, char *err, size_t errlen);

/*
 * A udev rules file: each line assigning ENV{NM_UNMANAGED}="1" whose
 * conditions are KERNEL/NAME, ATTR{address}, ENV{ID_NET_DRIVER} or
 * DRIVERS matches (SUBSYSTEM and ACTION are taken as true); lines with
 * other conditions are left out, since they cannot be evaluated.
 */
int vd_parse_nm_udev(const uint8_t *buf, size_t len, const char *file,
		     struct vd_nm *nm, char *err, size_t errlen);

#endif
