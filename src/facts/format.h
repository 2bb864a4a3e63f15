/* SPDX-License-Identifier: MIT */
/*
 * Render kernel objects of the model the way ip(8) prints them, so that
 * evidence lines quote what a person would see with iproute2.
 */
#ifndef VD_FORMAT_H
#define VD_FORMAT_H

#include <stddef.h>

#include "facts/facts.h"

/* "vmnet8: <BROADCAST,MULTICAST,UP> mtu 1500 state DOWN master br0" */
const char *vd_fmt_link(const struct vd_facts *f, const struct vd_link *l,
			char *buf, size_t len);
/* "vmnet8: inet 192.168.159.1/24 scope global noprefixroute" */
const char *vd_fmt_addr(const struct vd_facts *f, const struct vd_addr *a,
			char *buf, size_t len);
/* "192.168.159.0/24 dev vmnet8 proto kernel scope link src 192.168.159.1
 *  metric 100 table main" (table omitted for main) */
const char *vd_fmt_route(const struct vd_facts *f, const struct vd_route *r,
			 char *buf, size_t len);
/* "32766: from all lookup main" */
const char *vd_fmt_rule(const struct vd_rule *r, char *buf, size_t len);

#endif
