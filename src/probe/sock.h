/* SPDX-License-Identifier: MIT */
/* Socket helpers shared by the ICMP-based probes (ping, mtu, trace). */
#ifndef VD_PROBE_SOCK_H
#define VD_PROBE_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "facts/types.h"

/*
 * An ICMP echo socket: the unprivileged datagram kind first (allowed by
 * net.ipv4.ping_group_range; errors then come from the error queue), a raw
 * socket filtered to replies and errors as fallback.  Non-blocking, DF
 * probing on (IP_PMTUDISC_PROBE: sizes above the cached path MTU go out
 * unfragmented).  Returns the fd, *dgram telling which kind, or -errno
 * (-EPERM when neither kind is allowed).
 */
int vd_icmp_socket(bool v6, bool *dgram);

int vd_sockopt_int(int fd, int level, int opt, int v);
void vd_ip_from_sockaddr(const struct sockaddr *sa, struct vd_ip *ip);
/* Bytes that differ between runs (ids, cookies); not for secrets. */
void vd_fill_random(void *buf, size_t len);

#endif
