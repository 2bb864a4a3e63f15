/* SPDX-License-Identifier: MIT */
/*
 * Packet decoders for traffic analysis (issue 5): pure, bounds-checked,
 * one file per protocol, over (const uint8_t *, size_t).  One call,
 * vd_decode(), walks a captured frame from its link layer up and fills
 * one flat struct vd_pkt: no allocation, nothing kept that points past
 * the caller's buffer except the payload span.
 *
 * Each layer's decoder takes the bytes of its header onward and the
 * packet being filled; it returns VD_DEC_OK (and sets its VD_PKT_* flag),
 * VD_DEC_TRUNC (the capture ends inside the header: caplen < len) or
 * VD_DEC_BAD (the bytes cannot be that protocol).  A layer that fails
 * leaves the layers below it filled and sets the packet's VD_PKT_TRUNC or
 * VD_PKT_BAD; vd_decode itself never fails.
 */
#ifndef VD_DECODE_H
#define VD_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/types.h"

/* Link types: the values of pcap's LINKTYPE_*. */
#define VD_LINK_ETHERNET 1
#define VD_LINK_RAW	 101 /* raw IPv4 or IPv6 */
#define VD_LINK_SLL	 113 /* Linux cooked capture v1 */
#define VD_LINK_IPV4	 228
#define VD_LINK_IPV6	 229
#define VD_LINK_SLL2	 276 /* Linux cooked capture v2 */

enum vd_dec { VD_DEC_OK = 0, VD_DEC_TRUNC = 1, VD_DEC_BAD = 2 };

/* What a packet turned out to hold (vd_pkt.flags). */
#define VD_PKT_ETH   0x0001u /* Ethernet/SLL header decoded (macs may be set) */
#define VD_PKT_VLAN  0x0002u /* one or two 802.1Q/802.1ad tags */
#define VD_PKT_ARP   0x0004u
#define VD_PKT_IPV4  0x0008u
#define VD_PKT_IPV6  0x0010u
#define VD_PKT_FRAG  0x0020u /* an IP fragment (not the first, or MF set) */
#define VD_PKT_ICMP  0x0040u /* ICMP or ICMPv6 */
#define VD_PKT_TCP   0x0080u
#define VD_PKT_UDP   0x0100u
#define VD_PKT_DHCP  0x0200u
#define VD_PKT_DNS   0x0400u
#define VD_PKT_NDP   0x0800u /* ICMPv6 neighbour/router discovery */
#define VD_PKT_TRUNC 0x4000u /* the capture ends inside a header */
#define VD_PKT_BAD   0x8000u /* a header is malformed */

/* ICMP (v4 and v6): the message and, for errors, what it quotes. */
struct vd_icmp_pkt {
	uint8_t type, code;
	uint16_t id, seq; /* echo request/reply */
	uint32_t mtu;	  /* frag-needed next-hop MTU, packet-too-big MTU */
	bool quoted;	  /* an error with the offending header inside */
	uint8_t q_proto;  /* quoted packet's protocol */
	struct vd_ip q_src, q_dst; /* quoted packet's addresses */
	uint16_t q_sport, q_dport; /* quoted TCP/UDP ports, when there */
};

/* NDP (ICMPv6 133-137): the target and link-layer address option. */
struct vd_ndp_pkt {
	struct vd_ip target; /* NS/NA target; VD_AF_NONE for RS/RA */
	bool has_lladdr;
	uint8_t lladdr[6]; /* source or target link-layer address */
	bool router, solicited, override; /* NA flags */
};

struct vd_arp_pkt {
	uint16_t op; /* 1 request, 2 reply */
	uint8_t sha[6], tha[6];
	uint8_t spa[4], tpa[4];
};

struct vd_tcp_pkt {
	uint32_t seq, ack;
	uint8_t flags; /* FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 ... */
	uint16_t window;
	uint16_t mss; /* from the options of a SYN; 0: none */
};

#define VD_TCP_FIN 0x01
#define VD_TCP_SYN 0x02
#define VD_TCP_RST 0x04
#define VD_TCP_PSH 0x08
#define VD_TCP_ACK 0x10

struct vd_dhcp_pkt {
	uint8_t op; /* 1 request, 2 reply */
	uint8_t msgtype; /* option 53: 1 DISCOVER 2 OFFER 3 REQUEST 5 ACK 6 NAK ... ; 0 none */
	uint32_t xid;
	bool broadcast; /* the broadcast flag */
	uint8_t chaddr[6];
	struct vd_ip ciaddr, yiaddr, siaddr;
	struct vd_ip server_id; /* option 54 */
	struct vd_ip router;	/* first of option 3 */
	struct vd_ip dns;	/* first of option 6 */
	struct vd_ip requested; /* option 50 */
	uint32_t lease_s;	/* option 51; 0 none */
};

struct vd_dns_pkt {
	uint16_t id;
	bool response;
	uint8_t opcode, rcode;
	uint16_t qdcount, ancount, nscount, arcount;
	char qname[256]; /* the first question, dotted, "" when none */
	uint16_t qtype, qclass;
};

struct vd_pkt {
	uint32_t flags; /* VD_PKT_* */
	uint32_t linktype;
	uint32_t caplen, wirelen; /* as captured / on the wire (wirelen may
				   * be set by the caller; 0: caplen) */

	/* link layer */
	uint8_t src_mac[6], dst_mac[6];
	uint16_t vlan[2]; /* VLAN ids, outer first */
	uint8_t n_vlan;
	uint16_t ethertype; /* after the tags */

	struct vd_arp_pkt arp;

	/* network layer */
	struct vd_ip src, dst;
	uint8_t proto;	   /* IPv4 protocol / IPv6 last next-header */
	uint8_t ttl;	   /* or hop limit */
	bool df;	   /* IPv4 don't-fragment */
	uint16_t ip_len;   /* IPv4 total length / IPv6 40 + payload length */
	uint32_t ip_id;	   /* IPv4 id / IPv6 fragment id */
	uint16_t frag_off; /* in bytes */
	bool more_frags;

	/* transport */
	uint16_t sport, dport;
	struct vd_tcp_pkt tcp;
	struct vd_icmp_pkt icmp;
	struct vd_ndp_pkt ndp;

	/* the transport payload (TCP/UDP data), inside the caller's buffer */
	const uint8_t *payload;
	size_t payload_len;

	/* application: valid only when VD_PKT_DHCP / VD_PKT_DNS is set
	 * (vd_decode clears everything above, not these: it is a large
	 * share of the struct and a few frames in a hundred carry them) */
	struct vd_dhcp_pkt dhcp;
	struct vd_dns_pkt dns;
};

/* Decode a frame of link type linktype (VD_LINK_*); always fills out. */
void vd_decode(uint32_t linktype, const uint8_t *p, size_t caplen,
	       struct vd_pkt *out);

/* The layers, each from its header onward (decode/<proto>.c). */
enum vd_dec vd_decode_eth(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_sll(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_sll2(const uint8_t *p, size_t n, struct vd_pkt *out);
/* After the link layer: dispatch on out->ethertype (0x0800, 0x86dd,
 * 0x0806; VLAN tags are walked by the link decoders). */
enum vd_dec vd_decode_l3(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_arp(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_ipv4(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_ipv6(const uint8_t *p, size_t n, struct vd_pkt *out);
/* After the network layer: dispatch on out->proto (unless a fragment
 * other than the first). */
enum vd_dec vd_decode_l4(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_icmp(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_icmp6(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_tcp(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_udp(const uint8_t *p, size_t n, struct vd_pkt *out);
/* UDP payloads on the DHCP (67/68) and DNS (53) ports. */
enum vd_dec vd_decode_dhcp(const uint8_t *p, size_t n, struct vd_pkt *out);
enum vd_dec vd_decode_dns(const uint8_t *p, size_t n, struct vd_pkt *out);

#endif
