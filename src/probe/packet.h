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

#endif
