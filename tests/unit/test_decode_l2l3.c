/* SPDX-License-Identifier: MIT */
/*
 * decode: link layers (Ethernet, VLAN tags, SLL, SLL2, raw IP), ARP, IPv4
 * (options, fragments, DF) and IPv6 (extension headers), from hand-built
 * frames; truncation at every byte of a full frame; wrong versions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

static const uint8_t MAC_A[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t MAC_B[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t IP_A[4] = { 192, 168, 122, 10 };
static const uint8_t IP_B[4] = { 192, 168, 122, 1 };

/* Ethernet header: dst B, src A, then the given type. */
static size_t eth(uint8_t *b, uint16_t type)
{
	memcpy(b, MAC_B, 6);
	memcpy(b + 6, MAC_A, 6);
	b[12] = (uint8_t)(type >> 8);
	b[13] = (uint8_t)type;
	return 14;
}

static size_t tag(uint8_t *b, uint16_t tpid, uint16_t tci)
{
	b[0] = (uint8_t)(tpid >> 8);
	b[1] = (uint8_t)tpid;
	b[2] = (uint8_t)(tci >> 8);
	b[3] = (uint8_t)tci;
	return 4;
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/*
 * An IPv4 header A -> B of ihl 32-bit words and the given protocol and
 * fragment word, total length hlen + plen; the payload is zeroes.
 */
static size_t ipv4(uint8_t *b, uint8_t ihl, uint8_t proto, uint16_t frag,
		   size_t plen)
{
	size_t hlen = (size_t)ihl * 4;

	memset(b, 0, hlen + plen);
	b[0] = (uint8_t)(0x40 | ihl);
	put16(b + 2, (uint16_t)(hlen + plen));
	put16(b + 4, 0x1234);
	put16(b + 6, frag);
	b[8] = 64;
	b[9] = proto;
	memcpy(b + 12, IP_A, 4);
	memcpy(b + 16, IP_B, 4);
	for (size_t i = 20; i < hlen; i++)
		b[i] = 1; /* NOP options */
	return hlen + plen;
}

static size_t ipv6(uint8_t *b, uint8_t nh, uint16_t plen)
{
	memset(b, 0, 40 + (size_t)plen);
	b[0] = 0x60;
	put16(b + 4, plen);
	b[6] = nh;
	b[7] = 255;
	b[8] = 0xfe;
	b[9] = 0x80;
	b[23] = 1;
	b[24] = 0xff;
	b[25] = 0x02;
	b[39] = 1;
	return 40 + (size_t)plen;
}

/* A TCP SYN header (20 bytes) 40000 -> 22. */
static size_t tcp_syn(uint8_t *b)
{
	memset(b, 0, 20);
	put16(b, 40000);
	put16(b + 2, 22);
	b[12] = 0x50;
	b[13] = VD_TCP_SYN;
	put16(b + 14, 64240);
	return 20;
}

/* A full TCP/IPv4/Ethernet frame (54 bytes). */
static size_t tcp_frame(uint8_t *b)
{
	size_t n = eth(b, 0x0800);

	n += ipv4(b + n, 5, 6, 0x4000, 20);
	tcp_syn(b + 34);
	return n;
}

static void test_eth_ipv4_tcp(void **state)
{
	uint8_t b[64];
	size_t n = tcp_frame(b);
	struct vd_pkt p;

	(void)state;
	vd_decode(VD_LINK_ETHERNET, b, n, &p);
	assert_int_equal(p.linktype, VD_LINK_ETHERNET);
	assert_int_equal(p.caplen, n);
	assert_true(p.flags & VD_PKT_ETH);
	assert_true(p.flags & VD_PKT_IPV4);
	assert_false(p.flags &
		     (VD_PKT_TRUNC | VD_PKT_BAD | VD_PKT_VLAN | VD_PKT_FRAG));
	assert_memory_equal(p.src_mac, MAC_A, 6);
	assert_memory_equal(p.dst_mac, MAC_B, 6);
	assert_int_equal(p.ethertype, 0x0800);
	assert_int_equal(p.src.family, VD_AF_INET);
	assert_memory_equal(p.src.b, IP_A, 4);
	assert_memory_equal(p.dst.b, IP_B, 4);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.ttl, 64);
	assert_int_equal(p.ip_len, 40);
	assert_int_equal(p.ip_id, 0x1234);
	assert_true(p.df);
	assert_false(p.more_frags);
	assert_int_equal(p.frag_off, 0);
	assert_true(p.flags & VD_PKT_TCP);
}

static void test_vlan(void **state)
{
	uint8_t b[128];
	size_t n;
	struct vd_pkt p;

	(void)state;
	/* One 802.1Q tag, priority bits set: the VID is the low 12 bits. */
	n = eth(b, 0x8100);
	n += tag(b + n - 2, 0x8100, 0xa00a) - 2;
	put16(b + n, 0x0800);
	n += 2;
	n += ipv4(b + n, 5, 253, 0, 0);
	vd_decode(VD_LINK_ETHERNET, b, n, &p);
	assert_true(p.flags & VD_PKT_VLAN);
	assert_true(p.flags & VD_PKT_IPV4);
	assert_int_equal(p.n_vlan, 1);
	assert_int_equal(p.vlan[0], 10);
	assert_int_equal(p.ethertype, 0x0800);

	/* 802.1ad outer, 802.1Q inner: outer first. */
	n = eth(b, 0x88a8) - 2;
	n += tag(b + n, 0x88a8, 100);
	n += tag(b + n, 0x8100, 200);
	put16(b + n, 0x0806);
	n += 2;
	vd_decode(VD_LINK_ETHERNET, b, n, &p);
	assert_int_equal(p.n_vlan, 2);
	assert_int_equal(p.vlan[0], 100);
	assert_int_equal(p.vlan[1], 200);
	assert_int_equal(p.ethertype, 0x0806);
	assert_true(p.flags & VD_PKT_TRUNC); /* no ARP body */

	/* Three tags (0x9100 too) are more than we accept. */
	n = eth(b, 0x9100) - 2;
	n += tag(b + n, 0x9100, 1);
	n += tag(b + n, 0x88a8, 2);
	n += tag(b + n, 0x8100, 3);
	put16(b + n, 0x0800);
	n += 2;
	n += ipv4(b + n, 5, 253, 0, 0);
	vd_decode(VD_LINK_ETHERNET, b, n, &p);
	assert_true(p.flags & VD_PKT_BAD);
	assert_false(p.flags & VD_PKT_IPV4);
	assert_int_equal(p.n_vlan, 2);

	/* No tag, and an ethertype we do not decode: fine, nothing more. */
	n = eth(b, 0x88cc);
	vd_decode(VD_LINK_ETHERNET, b, n + 10, &p);
	assert_int_equal(p.flags, VD_PKT_ETH);
	assert_int_equal(p.n_vlan, 0);
}

static void test_sll(void **state)
{
	uint8_t b[128];
	struct vd_pkt p;
	size_t n;

	(void)state;
	memset(b, 0, sizeof(b));
	put16(b, 4);	 /* outgoing */
	put16(b + 2, 1); /* ARPHRD_ETHER */
	put16(b + 4, 6); /* address length */
	memcpy(b + 6, MAC_A, 6);
	put16(b + 14, 0x0800);
	n = 16 + ipv4(b + 16, 5, 50, 0, 8);
	vd_decode(VD_LINK_SLL, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_ETH | VD_PKT_IPV4);
	assert_memory_equal(p.src_mac, MAC_A, 6);
	assert_int_equal(p.proto, 50);
	vd_decode(VD_LINK_SLL, b, 15, &p);
	assert_int_equal(p.flags, VD_PKT_TRUNC);

	/* Not an Ethernet address: no MAC. */
	put16(b + 4, 0);
	vd_decode(VD_LINK_SLL, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_ETH | VD_PKT_IPV4);
	assert_memory_equal(p.src_mac, (uint8_t[6]){ 0 }, 6);
}

static void test_sll2(void **state)
{
	uint8_t b[128];
	struct vd_pkt p;
	size_t n;

	(void)state;
	memset(b, 0, sizeof(b));
	put16(b, 0x8100); /* protocol: a tag follows */
	b[7] = 3;	  /* ifindex */
	put16(b + 8, 1);  /* ARPHRD_ETHER */
	b[10] = 0;	  /* to us */
	b[11] = 6;	  /* address length */
	memcpy(b + 12, MAC_B, 6);
	n = 20 + tag(b + 18, 0x8100, 42) - 2;
	put16(b + n, 0x0800);
	n += 2;
	n += ipv4(b + n, 5, 47, 0, 4);
	vd_decode(VD_LINK_SLL2, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_ETH | VD_PKT_VLAN | VD_PKT_IPV4);
	assert_memory_equal(p.src_mac, MAC_B, 6);
	assert_int_equal(p.vlan[0], 42);
	assert_int_equal(p.proto, 47);
	vd_decode(VD_LINK_SLL2, b, 19, &p);
	assert_int_equal(p.flags, VD_PKT_TRUNC);
}

static void test_raw(void **state)
{
	uint8_t b[128];
	struct vd_pkt p;
	size_t n;

	(void)state;
	n = ipv4(b, 5, 89, 0, 0);
	vd_decode(VD_LINK_RAW, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV4);
	assert_int_equal(p.ethertype, 0x0800);
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV4);
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_BAD); /* wrong version */

	n = ipv6(b, 59, 0);
	vd_decode(VD_LINK_RAW, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6);
	assert_int_equal(p.proto, 59);
	assert_int_equal(p.ttl, 255);
	assert_int_equal(p.src.family, VD_AF_INET6);
	assert_int_equal(p.src.b[0], 0xfe);
	assert_int_equal(p.dst.b[0], 0xff);
	assert_int_equal(p.ip_len, 40);
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6);
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_BAD);

	b[0] = 0x50;
	vd_decode(VD_LINK_RAW, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_BAD);
	vd_decode(VD_LINK_RAW, b, 0, &p);
	assert_int_equal(p.flags, VD_PKT_TRUNC);
	vd_decode(12345, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_BAD);
	assert_int_equal(p.linktype, 12345);
}

static size_t arp(uint8_t *b, uint16_t op, const uint8_t *sha,
		  const uint8_t *spa, const uint8_t *tha, const uint8_t *tpa)
{
	static const uint8_t hdr[] = { 0, 1, 8, 0, 6, 4 };
	size_t n = eth(b, 0x0806);

	memcpy(b + n, hdr, sizeof(hdr));
	put16(b + n + 6, op);
	memcpy(b + n + 8, sha, 6);
	memcpy(b + n + 14, spa, 4);
	memcpy(b + n + 18, tha, 6);
	memcpy(b + n + 24, tpa, 4);
	return n + 28;
}

static void test_arp(void **state)
{
	static const uint8_t zero[6];
	uint8_t b[64];
	struct vd_pkt p;
	size_t n;

	(void)state;
	n = arp(b, 1, MAC_A, IP_A, zero, IP_B); /* request */
	vd_decode(VD_LINK_ETHERNET, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_ETH | VD_PKT_ARP);
	assert_int_equal(p.arp.op, 1);
	assert_memory_equal(p.arp.sha, MAC_A, 6);
	assert_memory_equal(p.arp.spa, IP_A, 4);
	assert_memory_equal(p.arp.tha, zero, 6);
	assert_memory_equal(p.arp.tpa, IP_B, 4);

	n = arp(b, 2, MAC_B, IP_B, MAC_A, IP_A); /* reply */
	memset(b + n, 0, 18);			 /* padded to 60 */
	vd_decode(VD_LINK_ETHERNET, b, n + 18, &p);
	assert_int_equal(p.flags, VD_PKT_ETH | VD_PKT_ARP);
	assert_int_equal(p.arp.op, 2);
	assert_memory_equal(p.arp.sha, MAC_B, 6);
	assert_memory_equal(p.arp.tpa, IP_A, 4);

	n = arp(b, 1, MAC_A, IP_A, zero, IP_A); /* gratuitous */
	vd_decode(VD_LINK_ETHERNET, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_ETH | VD_PKT_ARP);
	assert_memory_equal(p.arp.spa, p.arp.tpa, 4);

	vd_decode(VD_LINK_ETHERNET, b, n - 1, &p);
	assert_int_equal(p.flags, VD_PKT_ETH | VD_PKT_TRUNC);
	b[14 + 5] = 16; /* plen */
	vd_decode(VD_LINK_ETHERNET, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_ETH | VD_PKT_BAD);
	b[14 + 5] = 4;
	b[14 + 1] = 6; /* htype IEEE 802 */
	vd_decode(VD_LINK_ETHERNET, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_ETH | VD_PKT_BAD);
}

static void test_ipv4_options_and_lengths(void **state)
{
	uint8_t b[128];
	struct vd_pkt p;
	size_t n;

	(void)state;
	/* 12 bytes of options, then an unknown protocol with 4 bytes. */
	n = ipv4(b, 8, 253, 0, 4);
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV4);
	assert_int_equal(p.ip_len, 36);
	assert_int_equal(p.proto, 253);
	assert_false(p.df);
	/* Cut inside the options. */
	vd_decode(VD_LINK_IPV4, b, 25, &p);
	assert_int_equal(p.flags, VD_PKT_TRUNC);

	/* IHL below 5. */
	n = ipv4(b, 5, 253, 0, 0);
	b[0] = 0x44;
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_BAD);
	/* A total length smaller than the header. */
	n = ipv4(b, 6, 253, 0, 0);
	put16(b + 2, 20);
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_BAD);
	/* A total length beyond the capture is not an error here. */
	n = ipv4(b, 5, 253, 0, 0);
	put16(b + 2, 1500);
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV4);
	assert_int_equal(p.ip_len, 1500);
}

static void test_ipv4_fragments(void **state)
{
	uint8_t b[128];
	struct vd_pkt p;
	size_t n;

	(void)state;
	/* First fragment: MF, offset 0; the transport header is decoded. */
	n = ipv4(b, 5, 253, 0x2000, 8);
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV4 | VD_PKT_FRAG);
	assert_true(p.more_frags);
	assert_int_equal(p.frag_off, 0);

	/* A later one: offset 185 * 8, no MF; its bytes are not a header. */
	n = ipv4(b, 5, 6, 185, 3);
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV4 | VD_PKT_FRAG);
	assert_false(p.more_frags);
	assert_int_equal(p.frag_off, 1480);

	/* ICMPv6 inside IPv4 (or ICMP inside IPv6) is not decoded. */
	n = ipv4(b, 5, 58, 0, 24);
	b[20] = 135; /* a neighbour solicitation */
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV4);
	n = ipv6(b, 1, 8);
	b[40] = 8; /* echo request */
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6);

	/* DF alone is not a fragment. */
	n = ipv4(b, 5, 253, 0x4000, 0);
	vd_decode(VD_LINK_IPV4, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV4);
	assert_true(p.df);
}

/* Append an extension header of type-specific length at b; returns its size. */
static size_t ext(uint8_t *b, uint8_t nh, size_t len)
{
	memset(b, 0, len);
	b[0] = nh;
	b[1] = (uint8_t)(len / 8 - 1);
	return len;
}

static void test_ipv6_ext(void **state)
{
	uint8_t b[256];
	struct vd_pkt p;
	size_t n, o;

	(void)state;
	/* hop-by-hop -> routing -> dest opts -> AH -> unknown 253. */
	n = ipv6(b, 0, 8 + 24 + 8 + 16 + 4);
	o = 40;
	o += ext(b + o, 43, 8);
	o += ext(b + o, 60, 24);
	o += ext(b + o, 51, 8);
	b[o] = 253;
	b[o + 1] = 2; /* (2 + 2) * 4 = 16 bytes */
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6);
	assert_int_equal(p.proto, 253);
	/* Cut inside the AH header. */
	vd_decode(VD_LINK_IPV6, b, o + 10, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6 | VD_PKT_TRUNC);

	/* ESP stops the walk. */
	n = ipv6(b, 60, 24);
	ext(b + 40, 50, 8);
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6);
	assert_int_equal(p.proto, 50);

	/* Eight extension headers are fine, nine are not. */
	n = ipv6(b, 60, 9 * 8);
	for (int i = 0; i < 9; i++)
		ext(b + 40 + i * 8, i == 7 ? 59 : 60, 8);
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6);
	assert_int_equal(p.proto, 59);
	ext(b + 40 + 7 * 8, 60, 8);
	ext(b + 40 + 8 * 8, 59, 8);
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6 | VD_PKT_BAD);

	/* Wrong version; truncated fixed header. */
	n = ipv6(b, 59, 0);
	vd_decode(VD_LINK_IPV6, b, 39, &p);
	assert_int_equal(p.flags, VD_PKT_TRUNC);
	b[0] = 0x40;
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_BAD);
	vd_decode(VD_LINK_IPV6, b, 2, &p);
	assert_int_equal(p.flags, VD_PKT_BAD);
}

static void test_ipv6_fragment(void **state)
{
	uint8_t b[128];
	struct vd_pkt p;
	size_t n;

	(void)state;
	/* First fragment: offset 0, M; the next header is walked on. */
	n = ipv6(b, 44, 8 + 8);
	b[40] = 60;
	put16(b + 42, 0x0001);
	b[44] = 0xde;
	b[45] = 0xad;
	b[46] = 0xbe;
	b[47] = 0xef;
	ext(b + 48, 253, 8);
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6 | VD_PKT_FRAG);
	assert_true(p.more_frags);
	assert_int_equal(p.frag_off, 0);
	assert_int_equal(p.ip_id, 0xdeadbeef);
	assert_int_equal(p.proto, 253);

	/* A later fragment: offset 1448, no M; the rest is data. */
	put16(b + 42, 1448);
	b[40] = 6;
	memset(b + 48, 0xff, 8);
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6 | VD_PKT_FRAG);
	assert_false(p.more_frags);
	assert_int_equal(p.frag_off, 1448);
	assert_int_equal(p.proto, 6);

	/* Atomic fragment: a whole packet. */
	put16(b + 42, 0);
	b[40] = 59;
	vd_decode(VD_LINK_IPV6, b, n, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6);

	/* Cut inside the fragment header. */
	vd_decode(VD_LINK_IPV6, b, 45, &p);
	assert_int_equal(p.flags, VD_PKT_IPV6 | VD_PKT_TRUNC);
}

/*
 * Every prefix of a full frame, each in a buffer of exactly its size (so
 * ASan catches a read one past): headers cut say TRUNC, never BAD.
 */
static void test_truncation(void **state)
{
	uint8_t b[64];
	size_t n = tcp_frame(b);
	struct vd_pkt p;

	(void)state;
	for (size_t len = 0; len < n; len++) {
		uint8_t *copy = malloc(len ? len : 1);

		assert_non_null(copy);
		memcpy(copy, b, len);
		vd_decode(VD_LINK_ETHERNET, copy, len, &p);
		assert_true(p.flags & VD_PKT_TRUNC);
		assert_false(p.flags & VD_PKT_BAD);
		assert_int_equal(!!(p.flags & VD_PKT_ETH), len >= 14);
		assert_int_equal(!!(p.flags & VD_PKT_IPV4), len >= 34);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_ipv4_tcp),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_sll2),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_arp),
		cmocka_unit_test(test_ipv4_options_and_lengths),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv6_ext),
		cmocka_unit_test(test_ipv6_fragment),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
