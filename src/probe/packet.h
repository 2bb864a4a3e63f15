/* SPDX-License-Identifier: MIT */
/*
 * The pure packet code of the probes: build what we send, parse what comes
 * back.  Bytes in, values out; bounds-checked; fuzzed (tests/fuzz/).
 */
#ifndef VD_PACKET_H
#define VD_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/results.h"

/* ICMP / ICMPv6 (src/probe/icmp.c). */
#define VD_ICMP_IGNORE 0 /* not for us, or nothing a pinger cares about */
#define VD_ICMP_REPLY  1 /* an echo reply */
#define VD_ICMP_ERROR  2 /* an error quoting one of our echo requests */

int vd_icmp_parse(const uint8_t *buf, size_t len, bool v6, uint16_t *id,
		  uint16_t *seq, struct vd_icmp_error *err,
		  struct vd_ip *quoted_dst);
int vd_icmp_parse_echo_request(const uint8_t *buf, size_t len, bool v6,
			       uint16_t *id, uint16_t *seq);
int vd_icmp_strip_ipv4(const uint8_t *buf, size_t len, struct vd_ip *src,
		       size_t *off, size_t *plen);
int vd_icmp_build_echo(uint8_t *buf, size_t len, bool v6, uint16_t id,
		       uint16_t seq);
uint16_t vd_icmp_checksum(const uint8_t *buf, size_t len);

/* ARP over Ethernet (src/probe/arp.c). */
#define VD_ARP_FRAME_LEN 60 /* Ethernet minimum, without the FCS */

int vd_arp_build_request(uint8_t *buf, size_t len, const uint8_t *mac,
			 const uint8_t *sip, const uint8_t *tip);
int vd_arp_parse_answer(const uint8_t *buf, size_t len, uint8_t *sha,
			uint8_t *spa);
/* Attach the classic BPF filter that keeps ARP replies and gratuitous
 * requests. */
int vd_arp_attach_filter(int fd);

/*
 * DHCPv4 client side (src/probe/dhcp.c).  Both functions work on the IPv4
 * packet (IPv4 header, UDP, BOOTP message), which is what an AF_PACKET
 * SOCK_DGRAM socket bound to ETH_P_IP sends and receives.
 */
#define VD_DHCP_DISCOVER_LEN 328 /* IPv4 20 + UDP 8 + BOOTP minimum 300 */

/* A DHCPDISCOVER from 0.0.0.0:68 to 255.255.255.255:67: broadcast flag,
 * chaddr and client id (61) = mac, parameter request list (55) for mask,
 * router, DNS, lease time and server id.  Returns its length or
 * -ENOBUFS. */
int vd_dhcp_build_discover(uint8_t *buf, size_t len, const uint8_t *mac,
			   uint32_t xid);
/*
 * A DHCPOFFER for our xid and mac: 0 with *out filled (server_mac zeroed:
 * the link layer knows it, the caller fills it in).  -EBADMSG when
 * truncated or malformed, -EPROTO when not an unfragmented IPv4/UDP DHCP
 * message to a client (port 68), -ENOMSG when a DHCP message that is not
 * an OFFER to this xid and mac (ACK, NAK, other clients').  Ethernet
 * padding after the IPv4 packet is allowed.
 */
int vd_dhcp_parse_offer(const uint8_t *buf, size_t len, uint32_t xid,
			const uint8_t *mac, struct vd_dhcp_offer *out);
/* Attach the classic BPF filter that keeps unfragmented UDP to port 68
 * (offsets from the IPv4 header, as on a SOCK_DGRAM packet socket). */
int vd_dhcp_attach_filter(int fd);

#endif
