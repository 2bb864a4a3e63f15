/* SPDX-License-Identifier: MIT */
/*
 * What active probes saw.  Plain data, platform neutral like the rest of
 * the facts model: the probes (src/probe/) fill it, the snapshot stores it,
 * the rules read it.  A result says what was sent and what came back; it
 * never judges.
 */
#ifndef VD_PROBE_RESULTS_H
#define VD_PROBE_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/types.h"

/* An ICMP/ICMPv6 error that came back for something we sent. */
struct vd_icmp_error {
	uint8_t type, code; /* ICMP type/code as on the wire (v4 or v6) */
	bool v6;
	struct vd_ip from; /* who sent the error */
	uint16_t next_mtu; /* frag-needed / packet-too-big: the MTU */
};

/* ping: ICMP echo. */
struct vd_ping_result {
	struct vd_ip target;
	unsigned sent, received;
	uint32_t rtt_min_us, rtt_avg_us, rtt_max_us;
	unsigned n_errors; /* ICMP errors received instead of replies */
	struct vd_icmp_error error; /* the first of them */
	int local_errno; /* sendto() failed locally (ENETUNREACH...), 0 */
};

#define VD_ARP_MAX_MACS 8

/* arp: who answers "who has target" on one interface. */
struct vd_arp_result {
	struct vd_ip target;
	int ifindex;
	char ifname[VD_IFNAME_MAX];
	unsigned sent;
	uint8_t n_macs; /* distinct MACs that answered */
	uint8_t macs[VD_ARP_MAX_MACS][6];
	uint32_t rtt_us; /* first answer */
};

enum vd_port_state {
	VD_PORT_OPEN = 1,	 /* SYN-ACK: connect() succeeded */
	VD_PORT_CLOSED = 2,	 /* RST: ECONNREFUSED */
	VD_PORT_FILTERED = 3,	 /* no answer before the timeout */
	VD_PORT_UNREACHABLE = 4, /* an ICMP error: EHOSTUNREACH... */
	VD_PORT_ERROR = 5,	 /* a local error */
};

/* tcp: one port of one target. */
struct vd_tcp_result {
	struct vd_ip target;
	uint16_t port;
	uint8_t state; /* enum vd_port_state */
	int err;       /* errno behind UNREACHABLE/ERROR, 0 */
	uint32_t rtt_us;
};

enum vd_dns_status {
	VD_DNS_ANSWERED = 1,
	VD_DNS_NXDOMAIN = 2,
	VD_DNS_SERVFAIL = 3,
	VD_DNS_REFUSED = 4,
	VD_DNS_TIMEOUT = 5,
	VD_DNS_ERROR = 6, /* other rcode or a local error */
};

/* dns: one query to one server. */
struct vd_dns_result {
	struct vd_ip server;
	char name[256];
	uint8_t status; /* enum vd_dns_status */
	uint8_t rcode;
	unsigned n_answers;
	uint32_t rtt_us;
};

#define VD_DHCP_MAX_OFFERS 8

struct vd_dhcp_offer {
	struct vd_ip server; /* option 54, else the IP source */
	uint8_t server_mac[6];
	struct vd_ip yiaddr;
	struct vd_ip mask;   /* VD_AF_NONE when absent */
	struct vd_ip router; /* first router, VD_AF_NONE when absent */
	struct vd_ip dns;    /* first DNS server, VD_AF_NONE when absent */
	uint32_t lease_s;
};

/* dhcp: the offers a DISCOVER drew on one interface. */
struct vd_dhcp_result {
	int ifindex;
	char ifname[VD_IFNAME_MAX];
	uint8_t client_mac[6];
	uint32_t xid;
	unsigned n_offers;
	struct vd_dhcp_offer offers[VD_DHCP_MAX_OFFERS];
};

/* mtu: the largest DF packet that got through. */
struct vd_mtu_result {
	struct vd_ip target;
	unsigned path_mtu;   /* largest size (IP packet) answered, 0 none */
	unsigned first_lost; /* smallest size lost silently, 0 none */
	unsigned local_mtu;  /* the interface's / route's MTU */
	bool black_hole;     /* lost silently while smaller ones pass */
	struct vd_icmp_error error; /* frag-needed seen (type 0 when none) */
};

#define VD_TRACE_MAX_HOPS 32

struct vd_trace_hop {
	uint8_t ttl;
	struct vd_ip from; /* VD_AF_NONE: no answer ("*") */
	uint32_t rtt_us;
	uint8_t icmp_type, icmp_code;
};

struct vd_trace_result {
	struct vd_ip target;
	bool reached;
	unsigned n_hops;
	struct vd_trace_hop hops[VD_TRACE_MAX_HOPS];
};

/* The kernel's own route for a target (RTM_GETROUTE). */
struct vd_route_get {
	struct vd_ip target;
	int err;      /* errno of the lookup (ENETUNREACH...), 0 */
	uint8_t type; /* VD_RTN_* */
	int oif;
	struct vd_ip gateway; /* VD_AF_NONE: on-link */
	struct vd_ip prefsrc;
	uint32_t table;
};

struct vd_probes {
	bool ran; /* probes were run (not --passive) */
	VD_ARRAY(struct vd_route_get, routes);
	VD_ARRAY(struct vd_ping_result, pings);
	VD_ARRAY(struct vd_arp_result, arps);
	VD_ARRAY(struct vd_tcp_result, tcps);
	VD_ARRAY(struct vd_dns_result, dns);
	VD_ARRAY(struct vd_dhcp_result, dhcps);
	VD_ARRAY(struct vd_mtu_result, mtus);
	VD_ARRAY(struct vd_trace_result, traces);
};

void vd_probes_clear(struct vd_probes *p);

#endif
