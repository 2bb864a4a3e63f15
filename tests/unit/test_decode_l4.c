/* SPDX-License-Identifier: MIT */
/*
 * The transport and application decoders (decode/icmp.c, icmp6.c, tcp.c,
 * udp.c, dhcp.c, dns.c), called directly on hand-built bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

typedef enum vd_dec (*decoder)(const uint8_t *, size_t, struct vd_pkt *);

/* Decode from an exact-size heap copy, so that ASan sees any overread. */
static enum vd_dec run(decoder fn, const uint8_t *p, size_t n,
		       struct vd_pkt *pkt)
{
	uint8_t *copy = malloc(n ? n : 1);
	enum vd_dec r;

	assert_non_null(copy);
	memcpy(copy, p, n);
	memset(pkt, 0, sizeof(*pkt));
	r = fn(copy, n, pkt);
	/* The payload span must lie inside the input. */
	if (pkt->payload) {
		assert_true(pkt->payload >= copy);
		assert_true(pkt->payload + pkt->payload_len <= copy + n);
		pkt->payload = p + (pkt->payload - copy);
	}
	free(copy);
	return r;
}

static void assert_ip4(const struct vd_ip *ip, uint8_t a, uint8_t b, uint8_t c,
		       uint8_t d)
{
	const uint8_t want[4] = { a, b, c, d };

	assert_int_equal(ip->family, VD_AF_INET);
	assert_memory_equal(ip->b, want, 4);
}

/* ---- ICMP ---- */

static void test_icmp_echo(void **state)
{
	static const uint8_t req[] = { 8, 0, 0xf7, 0xff, 0x12, 0x34,
				       0, 7, 'p',  'i',	 'n',  'g' };
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_icmp, req, sizeof(req), &pkt),
			 VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_ICMP);
	assert_int_equal(pkt.icmp.type, 8);
	assert_int_equal(pkt.icmp.id, 0x1234);
	assert_int_equal(pkt.icmp.seq, 7);
	assert_false(pkt.icmp.quoted);
	assert_int_equal(run(vd_decode_icmp, req, 7, &pkt), VD_DEC_TRUNC);
	assert_int_equal(pkt.flags, VD_PKT_TRUNC);
	assert_int_equal(run(vd_decode_icmp, req, 0, &pkt), VD_DEC_TRUNC);
}

/* Frag-needed quoting a UDP datagram 192.168.1.10:5000 -> 10.0.0.1:53. */
static const uint8_t frag_needed[] = {
	3,    4,  0,	0,    0,   0,	0x05, 0x78, /* mtu 1400 */
	0x45, 0,  0x05, 0xdc, 0,   1,	0x40, 0,    /* DF */
	64,   17, 0,	0,    192, 168, 1,    10,   10, 0,
	0,    1,  0x13, 0x88, 0,   53,	0x05, 0xc8, 0,	0,
};

static void test_icmp_frag_needed(void **state)
{
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(
		run(vd_decode_icmp, frag_needed, sizeof(frag_needed), &pkt),
		VD_DEC_OK);
	assert_int_equal(pkt.icmp.type, 3);
	assert_int_equal(pkt.icmp.code, 4);
	assert_int_equal(pkt.icmp.mtu, 1400);
	assert_true(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.q_proto, 17);
	assert_ip4(&pkt.icmp.q_src, 192, 168, 1, 10);
	assert_ip4(&pkt.icmp.q_dst, 10, 0, 0, 1);
	assert_int_equal(pkt.icmp.q_sport, 5000);
	assert_int_equal(pkt.icmp.q_dport, 53);

	/* Quoted header only, no ports: still quoted. */
	assert_int_equal(run(vd_decode_icmp, frag_needed, 28, &pkt), VD_DEC_OK);
	assert_true(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.q_sport, 0);
	/* Quoted header cut short: the message is good, nothing quoted. */
	assert_int_equal(run(vd_decode_icmp, frag_needed, 27, &pkt), VD_DEC_OK);
	assert_false(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.mtu, 1400);
}

static void test_icmp_port_unreachable_other_codes(void **state)
{
	uint8_t b[sizeof(frag_needed)];
	struct vd_pkt pkt;

	(void)state;
	memcpy(b, frag_needed, sizeof(b));
	b[1] = 3; /* port unreachable: bytes 6-7 are not an MTU */
	assert_int_equal(run(vd_decode_icmp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.icmp.mtu, 0);
	assert_true(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.q_dport, 53);
	/* Not IPv4 inside: nothing quoted. */
	b[8] = 0x65;
	assert_int_equal(run(vd_decode_icmp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_false(pkt.icmp.quoted);
	b[8] = 0x44; /* IHL 4 */
	assert_int_equal(run(vd_decode_icmp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_false(pkt.icmp.quoted);
	/* A later fragment quoted: addresses, no ports. */
	b[8] = 0x45;
	b[14] = 0x00;
	b[15] = 0x10;
	assert_int_equal(run(vd_decode_icmp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_true(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.q_sport, 0);
}

/* Time exceeded quoting TCP with 4 bytes of IP options (IHL 6). */
static void test_icmp_time_exceeded(void **state)
{
	static const uint8_t te[] = {
		11,   0,    0,	  0,	0, 0, 0, 0, 0x46, 0,  0,
		60,   0,    2,	  0,	0, 1, 6, 0, 0,	  10, 1,
		2,    3,    8,	  8,	8, 8, 1, 1, 0,	  0, /* options: NOP NOP EOL */
		0xc3, 0x50, 0x01, 0xbb, 0, 0, 0, 1,
	};
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_icmp, te, sizeof(te), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.icmp.type, 11);
	assert_true(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.q_proto, 6);
	assert_ip4(&pkt.icmp.q_src, 10, 1, 2, 3);
	assert_ip4(&pkt.icmp.q_dst, 8, 8, 8, 8);
	assert_int_equal(pkt.icmp.q_sport, 50000);
	assert_int_equal(pkt.icmp.q_dport, 443);
	/* Options there, ports cut off. */
	assert_int_equal(run(vd_decode_icmp, te, sizeof(te) - 6, &pkt),
			 VD_DEC_OK);
	assert_true(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.q_sport, 0);
}

static void test_icmp_redirect(void **state)
{
	uint8_t b[sizeof(frag_needed)];
	struct vd_pkt pkt;

	(void)state;
	memcpy(b, frag_needed, sizeof(b));
	b[0] = 5;
	b[1] = 1;
	assert_int_equal(run(vd_decode_icmp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.icmp.type, 5);
	assert_int_equal(pkt.icmp.mtu, 0);
	assert_true(pkt.icmp.quoted);
	assert_ip4(&pkt.icmp.q_dst, 10, 0, 0, 1);
	assert_int_equal(pkt.icmp.q_sport, 5000);
}

/* ---- ICMPv6 ---- */

static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t mac[6] = { 0x00, 0x0c, 0x29, 0xaa, 0xbb, 0xcc };

/* An ICMPv6 error quoting a UDP (or TCP) packet v6a:5353 -> v6b:53. */
static size_t icmp6_error(uint8_t *b, uint8_t type, uint32_t mtu, uint8_t nh)
{
	memset(b, 0, 56);
	b[0] = type;
	b[4] = (uint8_t)(mtu >> 24);
	b[5] = (uint8_t)(mtu >> 16);
	b[6] = (uint8_t)(mtu >> 8);
	b[7] = (uint8_t)mtu;
	b[8] = 0x60;
	b[13] = 8;
	b[14] = nh;
	b[15] = 64;
	memcpy(b + 16, v6a, 16);
	memcpy(b + 32, v6b, 16);
	b[48] = 0x14;
	b[49] = 0xe9;
	b[51] = 53;
	return 56;
}

static void test_icmp6_echo(void **state)
{
	static const uint8_t rep[] = { 129, 0, 0, 0, 0xbe, 0xef, 1, 0 };
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_icmp6, rep, sizeof(rep), &pkt),
			 VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_ICMP);
	assert_int_equal(pkt.icmp.type, 129);
	assert_int_equal(pkt.icmp.id, 0xbeef);
	assert_int_equal(pkt.icmp.seq, 256);
	assert_int_equal(run(vd_decode_icmp6, rep, 7, &pkt), VD_DEC_TRUNC);
	assert_int_equal(pkt.flags, VD_PKT_TRUNC);
}

static void test_icmp6_packet_too_big(void **state)
{
	uint8_t b[56];
	size_t n = icmp6_error(b, 2, 1280, 17);
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_icmp6, b, n, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.icmp.type, 2);
	assert_int_equal(pkt.icmp.mtu, 1280);
	assert_true(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.q_proto, 17);
	assert_int_equal(pkt.icmp.q_src.family, VD_AF_INET6);
	assert_memory_equal(pkt.icmp.q_src.b, v6a, 16);
	assert_memory_equal(pkt.icmp.q_dst.b, v6b, 16);
	assert_int_equal(pkt.icmp.q_sport, 5353);
	assert_int_equal(pkt.icmp.q_dport, 53);
	/* The quoted header cut: not quoted, still a good message. */
	assert_int_equal(run(vd_decode_icmp6, b, 47, &pkt), VD_DEC_OK);
	assert_false(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.mtu, 1280);
}

static void test_icmp6_errors(void **state)
{
	uint8_t b[56];
	struct vd_pkt pkt;
	uint8_t type;

	(void)state;
	for (type = 1; type <= 4; type++) {
		size_t n = icmp6_error(b, type, 1500, 6);

		assert_int_equal(run(vd_decode_icmp6, b, n, &pkt), VD_DEC_OK);
		assert_int_equal(pkt.icmp.type, type);
		assert_int_equal(pkt.icmp.mtu, type == 2 ? 1500 : 0);
		assert_true(pkt.icmp.quoted);
		assert_int_equal(pkt.icmp.q_proto, 6);
		assert_int_equal(pkt.icmp.q_dport, 53);
	}
	/* Next header an extension header: addresses, no ports. */
	icmp6_error(b, 1, 0, 44);
	assert_int_equal(run(vd_decode_icmp6, b, 56, &pkt), VD_DEC_OK);
	assert_true(pkt.icmp.quoted);
	assert_int_equal(pkt.icmp.q_sport, 0);
	/* Not IPv6 inside. */
	b[8] = 0x45;
	assert_int_equal(run(vd_decode_icmp6, b, 56, &pkt), VD_DEC_OK);
	assert_false(pkt.icmp.quoted);
}

/* NS or NA for v6b with one link-layer address option. */
static size_t ndp_ns_na(uint8_t *b, uint8_t type, uint8_t fl, uint8_t opt,
			uint8_t optlen)
{
	memset(b, 0, 32);
	b[0] = type;
	b[4] = fl;
	memcpy(b + 8, v6b, 16);
	b[24] = opt;
	b[25] = optlen;
	memcpy(b + 26, mac, 6);
	return 32;
}

static void test_ndp_ns(void **state)
{
	uint8_t b[32];
	struct vd_pkt pkt;

	(void)state;
	ndp_ns_na(b, 135, 0, 1, 1);
	assert_int_equal(run(vd_decode_icmp6, b, 32, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_ICMP | VD_PKT_NDP);
	assert_int_equal(pkt.icmp.type, 135);
	assert_int_equal(pkt.ndp.target.family, VD_AF_INET6);
	assert_memory_equal(pkt.ndp.target.b, v6b, 16);
	assert_true(pkt.ndp.has_lladdr);
	assert_memory_equal(pkt.ndp.lladdr, mac, 6);
	assert_false(pkt.ndp.router);
	/* No options (DAD probes have none). */
	assert_int_equal(run(vd_decode_icmp6, b, 24, &pkt), VD_DEC_OK);
	assert_false(pkt.ndp.has_lladdr);
	/* Target cut. */
	assert_int_equal(run(vd_decode_icmp6, b, 23, &pkt), VD_DEC_TRUNC);
	assert_int_equal(pkt.flags, VD_PKT_TRUNC);
	/* An option longer than the packet. */
	assert_int_equal(run(vd_decode_icmp6, b, 31, &pkt), VD_DEC_TRUNC);
	/* Zero length: invalid (RFC 4861 4.6). */
	ndp_ns_na(b, 135, 0, 1, 0);
	assert_int_equal(run(vd_decode_icmp6, b, 32, &pkt), VD_DEC_BAD);
	assert_int_equal(pkt.flags, VD_PKT_BAD);
	/* An unknown option skipped. */
	ndp_ns_na(b, 135, 0, 14, 1);
	assert_int_equal(run(vd_decode_icmp6, b, 32, &pkt), VD_DEC_OK);
	assert_false(pkt.ndp.has_lladdr);
}

static void test_ndp_na(void **state)
{
	uint8_t b[32];
	struct vd_pkt pkt;

	(void)state;
	ndp_ns_na(b, 136, 0xe0, 2, 1);
	assert_int_equal(run(vd_decode_icmp6, b, 32, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_ICMP | VD_PKT_NDP);
	assert_true(pkt.ndp.router);
	assert_true(pkt.ndp.solicited);
	assert_true(pkt.ndp.override);
	assert_true(pkt.ndp.has_lladdr);
	assert_memory_equal(pkt.ndp.lladdr, mac, 6);
	assert_memory_equal(pkt.ndp.target.b, v6b, 16);
	ndp_ns_na(b, 136, 0x40, 2, 1);
	assert_int_equal(run(vd_decode_icmp6, b, 32, &pkt), VD_DEC_OK);
	assert_false(pkt.ndp.router);
	assert_true(pkt.ndp.solicited);
	assert_false(pkt.ndp.override);
	ndp_ns_na(b, 136, 0x20, 2, 0);
	assert_int_equal(run(vd_decode_icmp6, b, 32, &pkt), VD_DEC_BAD);
}

static void test_ndp_rs_ra_redirect(void **state)
{
	static const uint8_t rs[] = {
		133, 0, 0,    0,    0,	  0,	0,    0,
		1,   1, 0x00, 0x0c, 0x29, 0xaa, 0xbb, 0xcc
	};
	uint8_t ra[32] = { 134, 0, 0, 0, 64, 0, 0x07, 0x08 };
	uint8_t rd[48] = { 137 };
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_icmp6, rs, sizeof(rs), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_ICMP | VD_PKT_NDP);
	assert_int_equal(pkt.ndp.target.family, VD_AF_NONE);
	assert_true(pkt.ndp.has_lladdr);
	assert_memory_equal(pkt.ndp.lladdr, mac, 6);

	/* RA: an MTU option (5, one unit) then the source lladdr. */
	ra[16] = 5;
	ra[17] = 1;
	ra[24] = 1;
	ra[25] = 1;
	memcpy(ra + 26, mac, 6);
	assert_int_equal(run(vd_decode_icmp6, ra, sizeof(ra), &pkt), VD_DEC_OK);
	assert_true(pkt.ndp.has_lladdr);
	assert_int_equal(pkt.ndp.target.family, VD_AF_NONE);
	assert_int_equal(run(vd_decode_icmp6, ra, 15, &pkt), VD_DEC_TRUNC);

	/* Redirect: target then destination, then a target lladdr. */
	memcpy(rd + 8, v6a, 16);
	memcpy(rd + 24, v6b, 16);
	rd[40] = 2;
	rd[41] = 1;
	memcpy(rd + 42, mac, 6);
	assert_int_equal(run(vd_decode_icmp6, rd, sizeof(rd), &pkt), VD_DEC_OK);
	assert_memory_equal(pkt.ndp.target.b, v6a, 16);
	assert_true(pkt.ndp.has_lladdr);
	assert_int_equal(run(vd_decode_icmp6, rd, 39, &pkt), VD_DEC_TRUNC);
}

/* ---- TCP ---- */

static void test_tcp_syn_mss(void **state)
{
	static const uint8_t syn[] = {
		0xc3,
		0x50,
		0x00,
		0x50,
		0x11,
		0x22,
		0x33,
		0x44,
		0,
		0,
		0,
		0,
		0xa0,
		0x02,
		0xfa,
		0xf0,
		0,
		0,
		0,
		0,
		/* SACK-permitted, NOP, window scale 7, MSS 1460, EOL pad */
		4,
		2,
		1,
		3,
		3,
		7,
		2,
		4,
		0x05,
		0xb4,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
	};
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_tcp, syn, sizeof(syn), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_TCP);
	assert_int_equal(pkt.sport, 50000);
	assert_int_equal(pkt.dport, 80);
	assert_int_equal(pkt.tcp.seq, 0x11223344);
	assert_int_equal(pkt.tcp.ack, 0);
	assert_int_equal(pkt.tcp.flags, VD_TCP_SYN);
	assert_int_equal(pkt.tcp.window, 64240);
	assert_int_equal(pkt.tcp.mss, 1460);
	assert_int_equal(pkt.payload_len, 0);
	assert_ptr_equal(pkt.payload, syn + 40);
	/* Options cut: the header says 40 bytes. */
	assert_int_equal(run(vd_decode_tcp, syn, 39, &pkt), VD_DEC_TRUNC);
	assert_int_equal(pkt.flags, VD_PKT_TRUNC);
	assert_int_equal(run(vd_decode_tcp, syn, 19, &pkt), VD_DEC_TRUNC);
}

static void test_tcp_options_and_payload(void **state)
{
	uint8_t b[30] = { 0x00, 0x16, 0xd4, 0x31, 0, 0, 0, 1, 0, 0, 0, 2, 0x60,
			  0x12, 0x01, 0x00, 0, 0, 0, 0,
			  /* a bad option length ends the walk */
			  8, 1, 2, 4, 'S', 'S', 'H', '-', '2', '.' };
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_tcp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.tcp.flags, VD_TCP_SYN | VD_TCP_ACK);
	assert_int_equal(pkt.tcp.ack, 2);
	assert_int_equal(pkt.tcp.mss, 0);
	assert_int_equal(pkt.payload_len, 6);
	assert_memory_equal(pkt.payload, "SSH-2.", 6);
	/* An option running past the header ends the walk too. */
	b[20] = 2;
	b[21] = 8;
	assert_int_equal(run(vd_decode_tcp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.tcp.mss, 0);
	/* MSS on a segment without SYN: not looked at. */
	b[21] = 4;
	b[13] = VD_TCP_ACK;
	assert_int_equal(run(vd_decode_tcp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.tcp.mss, 0);
	b[13] = VD_TCP_SYN;
	assert_int_equal(run(vd_decode_tcp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.tcp.mss, 0x0204);
}

static void test_tcp_data_offset(void **state)
{
	uint8_t b[20] = { 0, 80, 0, 81, [12] = 0x40, [13] = VD_TCP_RST };
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_tcp, b, sizeof(b), &pkt), VD_DEC_BAD);
	assert_int_equal(pkt.flags, VD_PKT_BAD);
	assert_int_equal(pkt.sport, 0);
	b[12] = 0x00;
	assert_int_equal(run(vd_decode_tcp, b, sizeof(b), &pkt), VD_DEC_BAD);
	b[12] = 0x50;
	assert_int_equal(run(vd_decode_tcp, b, sizeof(b), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.tcp.flags, VD_TCP_RST);
	assert_int_equal(pkt.payload_len, 0);
}

/* ---- DHCP and UDP ---- */

struct dhcp_spec {
	uint8_t op, msgtype;
	bool broadcast;
	uint8_t yiaddr[4];
	bool server_opts; /* server id, routers, DNS, lease */
};

/* A DHCP message as a client or server would send it (RFC 2131). */
static size_t build_dhcp(uint8_t *b, const struct dhcp_spec *s)
{
	size_t n = 240;

	memset(b, 0, 300);
	b[0] = s->op;
	b[1] = 1;
	b[2] = 6;
	b[4] = 0xde;
	b[5] = 0xad;
	b[6] = 0xbe;
	b[7] = 0xef;
	b[10] = s->broadcast ? 0x80 : 0;
	memcpy(b + 16, s->yiaddr, 4);
	if (s->op == 2)
		memcpy(b + 20, (uint8_t[]){ 192, 168, 122, 1 }, 4);
	memcpy(b + 28, mac, 6);
	memcpy(b + 236, (uint8_t[]){ 99, 130, 83, 99 }, 4);
	b[n++] = 53;
	b[n++] = 1;
	b[n++] = s->msgtype;
	if (s->server_opts) {
		static const uint8_t opts[] = {
			54,  4, 192,  168,  122, 1,   51,  4,
			0,   0, 0x0e, 0x10, 3,	 8,   192, 168,
			122, 1, 192,  168,  122, 254, 0, /* a pad */
			6,   4, 192,  168,  122, 53,
		};

		memcpy(b + n, opts, sizeof(opts));
		n += sizeof(opts);
	} else {
		static const uint8_t opts[] = { 50, 4, 192, 168, 122, 77,
						55, 3, 1,   3,	 6 };

		memcpy(b + n, opts, sizeof(opts));
		n += sizeof(opts);
	}
	b[n++] = 255;
	return n;
}

static size_t udp_wrap(uint8_t *u, uint16_t sport, uint16_t dport,
		       const uint8_t *payload, size_t n)
{
	size_t len = n + 8;

	u[0] = (uint8_t)(sport >> 8);
	u[1] = (uint8_t)sport;
	u[2] = (uint8_t)(dport >> 8);
	u[3] = (uint8_t)dport;
	u[4] = (uint8_t)(len >> 8);
	u[5] = (uint8_t)len;
	u[6] = 0;
	u[7] = 0;
	memcpy(u + 8, payload, n);
	return len;
}

static void test_udp_dhcp_discover(void **state)
{
	const struct dhcp_spec s = { .op = 1, .msgtype = 1, .broadcast = true };
	uint8_t d[300], u[320];
	size_t n = build_dhcp(d, &s);
	size_t un = udp_wrap(u, 68, 67, d, n);
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_udp, u, un, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_UDP | VD_PKT_DHCP);
	assert_int_equal(pkt.sport, 68);
	assert_int_equal(pkt.dport, 67);
	assert_int_equal(pkt.payload_len, n);
	assert_ptr_equal(pkt.payload, u + 8);
	assert_int_equal(pkt.dhcp.op, 1);
	assert_int_equal(pkt.dhcp.msgtype, 1);
	assert_int_equal(pkt.dhcp.xid, 0xdeadbeef);
	assert_true(pkt.dhcp.broadcast);
	assert_memory_equal(pkt.dhcp.chaddr, mac, 6);
	assert_ip4(&pkt.dhcp.ciaddr, 0, 0, 0, 0);
	assert_ip4(&pkt.dhcp.requested, 192, 168, 122, 77);
	assert_int_equal(pkt.dhcp.server_id.family, VD_AF_NONE);
	assert_int_equal(pkt.dhcp.lease_s, 0);
}

static void test_udp_dhcp_offer(void **state)
{
	const struct dhcp_spec s = { .op = 2,
				     .msgtype = 2,
				     .yiaddr = { 192, 168, 122, 77 },
				     .server_opts = true };
	uint8_t d[300], u[320];
	size_t n = build_dhcp(d, &s);
	size_t un = udp_wrap(u, 67, 68, d, n);
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_udp, u, un, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_UDP | VD_PKT_DHCP);
	assert_int_equal(pkt.dhcp.op, 2);
	assert_int_equal(pkt.dhcp.msgtype, 2);
	assert_false(pkt.dhcp.broadcast);
	assert_ip4(&pkt.dhcp.yiaddr, 192, 168, 122, 77);
	assert_ip4(&pkt.dhcp.siaddr, 192, 168, 122, 1);
	assert_ip4(&pkt.dhcp.server_id, 192, 168, 122, 1);
	assert_ip4(&pkt.dhcp.router, 192, 168, 122, 1);
	assert_ip4(&pkt.dhcp.dns, 192, 168, 122, 53);
	assert_int_equal(pkt.dhcp.lease_s, 3600);
}

/* Every prefix of a message: never a crash, never a read past it. */
static void test_dhcp_cut_everywhere(void **state)
{
	const struct dhcp_spec s = { .op = 2,
				     .msgtype = 5,
				     .yiaddr = { 10, 0, 0, 9 },
				     .server_opts = true };
	uint8_t d[300];
	size_t n = build_dhcp(d, &s), i;
	unsigned ok = 0, trunc = 0;
	struct vd_pkt pkt;

	(void)state;
	for (i = 0; i <= n; i++) {
		enum vd_dec r = run(vd_decode_dhcp, d, i, &pkt);

		assert_true(r == VD_DEC_OK || r == VD_DEC_TRUNC);
		if (r == VD_DEC_OK) {
			ok++;
			assert_true(pkt.flags & VD_PKT_DHCP);
			assert_int_equal(pkt.dhcp.xid, 0xdeadbeef);
		} else {
			trunc++;
			assert_int_equal(pkt.flags, VD_PKT_TRUNC);
		}
		if (i < 236)
			assert_int_equal(r, VD_DEC_TRUNC);
	}
	assert_true(ok > 0 && trunc >= 236);
	assert_int_equal(run(vd_decode_dhcp, d, n, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.dhcp.msgtype, 5);
	/* Through UDP: the datagram stays decoded, the packet is TRUNC. */
	for (i = 0; i <= n; i++) {
		uint8_t u[320];
		size_t un = udp_wrap(u, 67, 68, d, i);

		assert_int_equal(run(vd_decode_udp, u, un, &pkt), VD_DEC_OK);
		assert_true(pkt.flags & VD_PKT_UDP);
		assert_int_equal(pkt.dport, 68);
	}
}

static void test_dhcp_bootp_and_bad(void **state)
{
	const struct dhcp_spec s = { .op = 1, .msgtype = 3 };
	uint8_t d[300];
	size_t n = build_dhcp(d, &s);
	struct vd_pkt pkt;

	(void)state;
	/* Plain BOOTP: no cookie, no options looked at. */
	d[236] = 0;
	assert_int_equal(run(vd_decode_dhcp, d, n, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.dhcp.msgtype, 0);
	assert_int_equal(run(vd_decode_dhcp, d, 236, &pkt), VD_DEC_OK);
	d[236] = 99;
	/* Message type of length 2. */
	d[241] = 2;
	assert_int_equal(run(vd_decode_dhcp, d, n, &pkt), VD_DEC_BAD);
	assert_int_equal(pkt.flags, VD_PKT_BAD);
	d[241] = 1;
	/* Requested address of length 3. */
	d[244] = 3;
	assert_int_equal(run(vd_decode_dhcp, d, n, &pkt), VD_DEC_BAD);
	d[244] = 4;
	/* Not a BOOTP op. */
	d[0] = 3;
	assert_int_equal(run(vd_decode_dhcp, d, n, &pkt), VD_DEC_BAD);
	d[0] = 1;
	/* Not Ethernet: no chaddr. */
	d[1] = 6;
	assert_int_equal(run(vd_decode_dhcp, d, n, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.dhcp.chaddr[0], 0);
	assert_int_equal(pkt.dhcp.msgtype, 3);
	/* Options after END are not read. */
	d[n - 1] = 255;
	d[243] = 255;
	assert_int_equal(run(vd_decode_dhcp, d, n, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.dhcp.requested.family, VD_AF_NONE);
	/* Through UDP: BAD on the packet, the UDP fields kept. */
	{
		uint8_t u[320];
		size_t un;

		d[0] = 7;
		un = udp_wrap(u, 68, 67, d, n);
		assert_int_equal(run(vd_decode_udp, u, un, &pkt), VD_DEC_OK);
		assert_int_equal(pkt.flags, VD_PKT_UDP | VD_PKT_BAD);
		assert_int_equal(pkt.sport, 68);
		assert_int_equal(pkt.payload_len, n);
	}
}

static void test_udp_lengths(void **state)
{
	uint8_t u[12] = { 0x30, 0x39, 0x1f, 0x90, 0, 12, 0, 0, 1, 2, 3, 4 };
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_udp, u, sizeof(u), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_UDP);
	assert_int_equal(pkt.sport, 12345);
	assert_int_equal(pkt.dport, 8080);
	assert_int_equal(pkt.payload_len, 4);
	/* Longer than captured: what is there. */
	u[5] = 200;
	assert_int_equal(run(vd_decode_udp, u, sizeof(u), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.payload_len, 4);
	/* Shorter than captured (Ethernet padding): the length wins. */
	u[5] = 10;
	assert_int_equal(run(vd_decode_udp, u, sizeof(u), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.payload_len, 2);
	u[5] = 7;
	assert_int_equal(run(vd_decode_udp, u, sizeof(u), &pkt), VD_DEC_BAD);
	assert_int_equal(pkt.flags, VD_PKT_BAD);
	assert_int_equal(run(vd_decode_udp, u, 7, &pkt), VD_DEC_TRUNC);
	assert_int_equal(pkt.flags, VD_PKT_TRUNC);
	/* DNS port, too short for a DNS header. */
	u[2] = 0;
	u[3] = 53;
	u[5] = 12;
	assert_int_equal(run(vd_decode_udp, u, sizeof(u), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_UDP | VD_PKT_TRUNC);
	assert_int_equal(pkt.dport, 53);
}

/* ---- DNS ---- */

static const uint8_t dns_query[] = {
	0xab,
	0xcd,
	0x01,
	0x00,
	0,
	1,
	0,
	0,
	0,
	0,
	0,
	1,
	7,
	'e',
	'x',
	'a',
	'm',
	'p',
	'l',
	'e',
	3,
	'c',
	'o',
	'm',
	0,
	0,
	1,
	0,
	1,
	/* EDNS OPT, not walked */
	0,
	0,
	41,
	0x10,
	0,
	0,
	0,
	0,
	0,
	0,
	0,
};

static void test_dns_query(void **state)
{
	uint8_t u[8 + sizeof(dns_query)];
	size_t un = udp_wrap(u, 40000, 53, dns_query, sizeof(dns_query));
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_udp, u, un, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_UDP | VD_PKT_DNS);
	assert_int_equal(pkt.dns.id, 0xabcd);
	assert_false(pkt.dns.response);
	assert_int_equal(pkt.dns.opcode, 0);
	assert_int_equal(pkt.dns.rcode, 0);
	assert_int_equal(pkt.dns.qdcount, 1);
	assert_int_equal(pkt.dns.arcount, 1);
	assert_string_equal(pkt.dns.qname, "example.com");
	assert_int_equal(pkt.dns.qtype, 1);
	assert_int_equal(pkt.dns.qclass, 1);
	/* mDNS too. */
	un = udp_wrap(u, 5353, 5353, dns_query, sizeof(dns_query));
	assert_int_equal(run(vd_decode_udp, u, un, &pkt), VD_DEC_OK);
	assert_int_equal(pkt.flags, VD_PKT_UDP | VD_PKT_DNS);
	/* Cut anywhere before qclass's end: TRUNC. */
	for (size_t i = 0; i < 29; i++) {
		assert_int_equal(run(vd_decode_dns, dns_query, i, &pkt),
				 VD_DEC_TRUNC);
		assert_int_equal(pkt.flags, VD_PKT_TRUNC);
	}
	assert_int_equal(run(vd_decode_dns, dns_query, 29, &pkt), VD_DEC_OK);
}

/* A response whose question name ends in a pointer into the first. */
static void test_dns_response_rcodes(void **state)
{
	uint8_t r[] = {
		0xab,
		0xcd,
		0x81,
		0x82,
		0,
		2,
		0,
		0,
		0,
		1,
		0,
		0,
		7,
		'e',
		'x',
		'a',
		'm',
		'p',
		'l',
		'e',
		3,
		'c',
		'o',
		'm',
		0,
		0,
		1,
		0,
		1,
		/* www + pointer to example.com at 12 */
		3,
		'w',
		'w',
		'w',
		0xc0,
		12,
		0,
		28,
		0,
		1,
	};
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_dns, r, sizeof(r), &pkt), VD_DEC_OK);
	assert_true(pkt.dns.response);
	assert_int_equal(pkt.dns.rcode, 2); /* SERVFAIL */
	assert_int_equal(pkt.dns.qdcount, 2);
	assert_int_equal(pkt.dns.nscount, 1);
	assert_string_equal(pkt.dns.qname, "example.com");
	r[3] = 0x85; /* REFUSED */
	assert_int_equal(run(vd_decode_dns, r, sizeof(r), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.dns.rcode, 5);
	r[2] = 0xa9; /* response, opcode 5 (UPDATE) */
	assert_int_equal(run(vd_decode_dns, r, sizeof(r), &pkt), VD_DEC_OK);
	assert_int_equal(pkt.dns.opcode, 5);
	/* Cut inside the second question (not walked): still fine. */
	assert_int_equal(run(vd_decode_dns, r, 30, &pkt), VD_DEC_OK);
}

static void test_dns_pointers(void **state)
{
	/* A name that is www then a pointer to itself. */
	uint8_t q[] = { 0, 1, 0,   0,	0,   1,	   0,  0, 0, 0, 0,
			0, 3, 'w', 'w', 'w', 0xc0, 16, 0, 1, 0, 1 };
	struct vd_pkt pkt;

	(void)state;
	assert_int_equal(run(vd_decode_dns, q, sizeof(q), &pkt), VD_DEC_BAD);
	assert_int_equal(pkt.flags, VD_PKT_BAD);
	q[17] = 12; /* back to www: a loop */
	assert_int_equal(run(vd_decode_dns, q, sizeof(q), &pkt), VD_DEC_BAD);
	q[17] = 18; /* forward */
	assert_int_equal(run(vd_decode_dns, q, sizeof(q), &pkt), VD_DEC_BAD);
	q[17] = 200; /* forward, past the end */
	assert_int_equal(run(vd_decode_dns, q, sizeof(q), &pkt), VD_DEC_BAD);
	q[16] = 0xc0;
	assert_int_equal(run(vd_decode_dns, q, 17, &pkt), VD_DEC_TRUNC);
	q[16] = 0x40; /* extended label type */
	assert_int_equal(run(vd_decode_dns, q, sizeof(q), &pkt), VD_DEC_BAD);

	/*
	 * Backwards into the header: qdcount's low byte (2) read as a label
	 * of the two zero bytes of ancount, ended by nscount's high byte.
	 */
	q[5] = 2;
	q[16] = 0xc0;
	q[17] = 5;
	assert_int_equal(run(vd_decode_dns, q, sizeof(q), &pkt), VD_DEC_OK);
	assert_string_equal(pkt.dns.qname, "www.\\000\\000");
	assert_int_equal(pkt.dns.qtype, 1);
	assert_int_equal(pkt.dns.qclass, 1);
}

/* Wire bytes of a question name made of labels of the given lengths. */
static size_t dns_long_name(uint8_t *b, const size_t *labels, size_t n)
{
	size_t off = 12, i;

	memset(b, 0, 12);
	b[5] = 1;
	for (i = 0; i < n; i++) {
		b[off++] = (uint8_t)labels[i];
		memset(b + off, 'x', labels[i]);
		off += labels[i];
	}
	b[off++] = 0;
	memcpy(b + off, (uint8_t[]){ 0, 16, 0, 1 }, 4);
	return off + 4;
}

static void test_dns_names(void **state)
{
	/* 63+1 + 63+1 + 63+1 + 61+1 + 1 = 255 bytes: the longest name. */
	size_t labels[4] = { 63, 63, 63, 61 };
	uint8_t b[12 + 300];
	uint8_t esc[] = { 0, 2,	  0,   0,    0, 1,   0, 0, 0, 0, 0, 0,
			  5, 'a', '.', '\\', 7, ' ', 0, 0, 1, 0, 1 };
	uint8_t root[] = { 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1 };
	uint8_t none[12] = { 0, 3, 0x81, 0x83 };
	struct vd_pkt pkt;
	size_t n;

	(void)state;
	n = dns_long_name(b, labels, 4);
	assert_int_equal(run(vd_decode_dns, b, n, &pkt), VD_DEC_OK);
	assert_int_equal(strlen(pkt.dns.qname), 253);
	assert_int_equal(pkt.dns.qtype, 16);
	labels[3] = 62; /* 256 */
	n = dns_long_name(b, labels, 4);
	assert_int_equal(run(vd_decode_dns, b, n, &pkt), VD_DEC_BAD);
	assert_int_equal(pkt.flags, VD_PKT_BAD);
	labels[3] = 63;
	n = dns_long_name(b, labels, 4);
	assert_int_equal(run(vd_decode_dns, b, n, &pkt), VD_DEC_BAD);

	assert_int_equal(run(vd_decode_dns, esc, sizeof(esc), &pkt), VD_DEC_OK);
	assert_string_equal(pkt.dns.qname, "a\\.\\\\\\007\\032");

	assert_int_equal(run(vd_decode_dns, root, sizeof(root), &pkt),
			 VD_DEC_OK);
	assert_string_equal(pkt.dns.qname, ".");
	assert_int_equal(pkt.dns.qtype, 2);

	/* No question (NXDOMAIN without one): header only. */
	assert_int_equal(run(vd_decode_dns, none, sizeof(none), &pkt),
			 VD_DEC_OK);
	assert_int_equal(pkt.dns.rcode, 3);
	assert_string_equal(pkt.dns.qname, "");
}

/* A 255-byte name of bytes that need escaping: the text is cut, safely. */
static void test_dns_name_text_cut(void **state)
{
	size_t labels[4] = { 63, 63, 63, 61 };
	uint8_t b[12 + 300];
	struct vd_pkt pkt;
	size_t n = dns_long_name(b, labels, 4), i;

	(void)state;
	for (i = 12; i < n - 5; i++)
		if (b[i] == 'x')
			b[i] = 0xff;
	assert_int_equal(run(vd_decode_dns, b, n, &pkt), VD_DEC_OK);
	assert_true(strlen(pkt.dns.qname) < sizeof(pkt.dns.qname));
	assert_int_equal(strlen(pkt.dns.qname), 63 * 4 + 1);
	assert_memory_equal(pkt.dns.qname, "\\255\\255", 8);
	assert_int_equal(pkt.dns.qtype, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_icmp_frag_needed),
		cmocka_unit_test(test_icmp_port_unreachable_other_codes),
		cmocka_unit_test(test_icmp_time_exceeded),
		cmocka_unit_test(test_icmp_redirect),
		cmocka_unit_test(test_icmp6_echo),
		cmocka_unit_test(test_icmp6_packet_too_big),
		cmocka_unit_test(test_icmp6_errors),
		cmocka_unit_test(test_ndp_ns),
		cmocka_unit_test(test_ndp_na),
		cmocka_unit_test(test_ndp_rs_ra_redirect),
		cmocka_unit_test(test_tcp_syn_mss),
		cmocka_unit_test(test_tcp_options_and_payload),
		cmocka_unit_test(test_tcp_data_offset),
		cmocka_unit_test(test_udp_dhcp_discover),
		cmocka_unit_test(test_udp_dhcp_offer),
		cmocka_unit_test(test_dhcp_cut_everywhere),
		cmocka_unit_test(test_dhcp_bootp_and_bad),
		cmocka_unit_test(test_udp_lengths),
		cmocka_unit_test(test_dns_query),
		cmocka_unit_test(test_dns_response_rcodes),
		cmocka_unit_test(test_dns_pointers),
		cmocka_unit_test(test_dns_names),
		cmocka_unit_test(test_dns_name_text_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
