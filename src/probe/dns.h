/* SPDX-License-Identifier: MIT */
/*
 * dns: the probe with the servers' port as a parameter.  Real servers
 * listen on 53 (vd_probe_dns_start); tests run their own server on a
 * loopback port of the kernel's choosing and pass it here.
 */
#ifndef VD_PROBE_DNS_H
#define VD_PROBE_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "probe/probe.h"

#define VD_DNS_PORT	     53
#define VD_DNS_NAME_MAX	     253 /* without a trailing dot */
#define VD_DNS_DEFAULT_TRIES 2
#define VD_DNS_DEFAULT_MS    2000

/*
 * As vd_probe_dns_start, every server on UDP (and TCP) port `port`.
 * o->timeout_ms is c-ares's timeout of the first try; c-ares doubles it
 * on each further try, so a silent server takes
 * timeout_ms * (2^tries - 1) to be declared timed out.
 */
int vd_probe_dns_start_port(struct vd_loop *l, const char *name,
			    const struct vd_ip *servers, size_t n_servers,
			    uint16_t port, const struct vd_dns_opts *o,
			    struct vd_probes *out);

/* 0 when c-ares can send name as a query, else -EINVAL. */
int vd_dns_name_check(const char *name);

#endif
