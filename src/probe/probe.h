/* SPDX-License-Identifier: MIT */
/*
 * Active probes.  Each kind has a _start function that opens its sockets,
 * registers them and its deadlines with the shared event loop and returns;
 * vd_loop_run() then drives every started probe concurrently.  A probe
 * appends its results to the vd_probes it was given when it finishes, and
 * frees its own state.  Probes never print.
 *
 * Safety: probes only ever send to the addresses they are given; callers
 * (and tests) decide what those are.
 */
#ifndef VD_PROBE_H
#define VD_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "probe/loop.h"
#include "probe/results.h"

/* tcp: non-blocking connects, many in flight. */
struct vd_tcp_opts {
	unsigned timeout_ms;   /* per port; no answer by then = filtered */
	unsigned max_inflight; /* 0: as many as RLIMIT_NOFILE allows */
	unsigned retries;      /* extra tries for filtered ports (default 0) */
};
int vd_probe_tcp_start(struct vd_loop *l, const struct vd_ip *target,
		       const uint16_t *ports, size_t n_ports,
		       const struct vd_tcp_opts *o, struct vd_probes *out);

/* ping: ICMP echo (datagram socket first, raw socket fallback). */
struct vd_ping_opts {
	unsigned count;	      /* echoes to send (default 3) */
	unsigned interval_ms; /* between echoes (default 200) */
	unsigned timeout_ms;  /* wait after the last echo (default 1000) */
	unsigned size;	      /* payload bytes (default 56) */
};
int vd_probe_ping_start(struct vd_loop *l, const struct vd_ip *target,
			const struct vd_ping_opts *o, struct vd_probes *out);

/* arp: requests over AF_PACKET on one interface, every answer kept. */
struct vd_arp_opts {
	unsigned retries;     /* requests per target beyond the first */
	unsigned interval_ms; /* between requests to one target */
	unsigned timeout_ms;  /* wait after the last request */
};
int vd_probe_arp_start(struct vd_loop *l, int ifindex,
		       const struct vd_ip *targets, size_t n_targets,
		       const struct vd_arp_opts *o, struct vd_probes *out);

/* dhcp: one DISCOVER (broadcast flag, random xid, a locally administered
 * client MAC of the probe's own) on an interface; every OFFER collected
 * for listen_ms.  Never sends a REQUEST: no lease is taken. */
struct vd_dhcp_opts {
	unsigned listen_ms; /* how long to collect offers (default 3000) */
	unsigned retries;   /* further DISCOVERs when none came (default 1) */
	unsigned settle_ms; /* stop this long after the first offer (0: wait
			       the whole window) */
};
int vd_probe_dhcp_start(struct vd_loop *l, int ifindex,
			const struct vd_dhcp_opts *o, struct vd_probes *out);

/* dns: query name (type A) at each server, every server separately. */
struct vd_dns_opts {
	unsigned timeout_ms; /* per server (default 2000) */
	unsigned tries;	     /* per server (default 2) */
};
int vd_probe_dns_start(struct vd_loop *l, const char *name,
		       const struct vd_ip *servers, size_t n_servers,
		       const struct vd_dns_opts *o, struct vd_probes *out);

/* mtu: the largest DF packet that reaches target and comes back (binary
 * search with ICMP echoes of decreasing size); a size that vanishes while
 * smaller ones pass is a black hole. */
struct vd_mtu_opts {
	unsigned timeout_ms; /* per size tried (default 500) */
	unsigned max_size;   /* start at (default: the route's MTU) */
};
int vd_probe_mtu_start(struct vd_loop *l, const struct vd_ip *target,
		       const struct vd_mtu_opts *o, struct vd_probes *out);

/* trace: TTL-limited UDP probes, the hop list. */
struct vd_trace_opts {
	unsigned max_ttl;    /* default 16 */
	unsigned timeout_ms; /* per hop (default 1000) */
	uint16_t port;	     /* first UDP port (default 33434) */
};
int vd_probe_trace_start(struct vd_loop *l, const struct vd_ip *target,
			 const struct vd_trace_opts *o, struct vd_probes *out);

/* The kernel's route for target (RTM_GETROUTE), synchronously. */
int vd_route_get(const struct vd_ip *target, struct vd_route_get *out);

#endif
