/* SPDX-License-Identifier: MIT */
/*
 * ping: the ICMP/ICMPv6 parsers over hand-made packets (replies, every
 * error kind with its quoted headers, truncation, bogus lengths), then live
 * echoes to loopback only, and the kernel's route for 127.0.0.1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "probe/probe.h"
#include "util/ip.h"

#include "probe/packet.h"

static const uint8_t DST4[4] = { 10, 99, 0, 5 };
static const uint8_t DST6[16] = { 0xfd, 0x98, 0, 2, [15] = 2 };

/* An echo request header as we send them. */
static size_t put_echo(uint8_t *p, bool v6, uint16_t id, uint16_t seq)
{
	p[0] = v6 ? 128 : 8;
	p[1] = 0;
	p[2] = p[3] = 0xab; /* checksum: not looked at */
	p[4] = (uint8_t)(id >> 8);
	p[5] = (uint8_t)id;
	p[6] = (uint8_t)(seq >> 8);
	p[7] = (uint8_t)seq;
	return 8;
}

/* A quoted IPv4 header: ihl in words, protocol, fragment field. */
static size_t put_ipv4(uint8_t *p, unsigned ihl, uint8_t proto, uint16_t frag,
		       const uint8_t *dst)
{
	size_t hl = ihl * 4;

	memset(p, 0, hl);
	p[0] = (uint8_t)(0x40 | ihl);
	p[2] = 0x05;
	p[3] = 0xdc; /* tot_len 1500 */
	p[6] = (uint8_t)(frag >> 8);
	p[7] = (uint8_t)frag;
	p[8] = 1; /* ttl */
	p[9] = proto;
	p[12] = 10;
	p[13] = 98;
	p[14] = 1;
	p[15] = 2;
	memcpy(p + 16, dst, 4);
	return hl;
}

static size_t put_ipv6(uint8_t *p, uint8_t nh, const uint8_t *dst)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	p[5] = 16; /* payload length */
	p[6] = nh;
	p[7] = 1;
	p[8] = 0xfd;
	p[23] = 1;
	memcpy(p + 24, dst, 16);
	return 40;
}

/* An ICMP error: type, code, the 4 bytes after the checksum, a quote. */
static size_t put_err_hdr(uint8_t *p, uint8_t type, uint8_t code, uint32_t rest)
{
	p[0] = type;
	p[1] = code;
	p[2] = p[3] = 0;
	p[4] = (uint8_t)(rest >> 24);
	p[5] = (uint8_t)(rest >> 16);
	p[6] = (uint8_t)(rest >> 8);
	p[7] = (uint8_t)rest;
	return 8;
}

static size_t err4(uint8_t *buf, uint8_t type, uint8_t code, uint32_t rest,
		   uint16_t id, uint16_t seq)
{
	size_t n = put_err_hdr(buf, type, code, rest);

	n += put_ipv4(buf + n, 5, 1, 0x4000 /* DF */, DST4);
	n += put_echo(buf + n, false, id, seq);
	return n;
}

static size_t err6(uint8_t *buf, uint8_t type, uint8_t code, uint32_t rest,
		   uint16_t id, uint16_t seq)
{
	size_t n = put_err_hdr(buf, type, code, rest);

	n += put_ipv6(buf + n, 58, DST6);
	n += put_echo(buf + n, true, id, seq);
	return n;
}

static void test_checksum(void **state)
{
	/* RFC 1071, section 3: the sum is ddf2, the checksum its complement. */
	static const uint8_t v[] = { 0x00, 0x01, 0xf2, 0x03,
				     0xf4, 0xf5, 0xf6, 0xf7 };
	uint8_t odd[3] = { 0x01, 0x02, 0x03 };

	(void)state;
	assert_int_equal(vd_icmp_checksum(v, sizeof(v)), 0x220d);
	/* An odd length pads with a zero byte: 0x0102 + 0x0300. */
	assert_int_equal(vd_icmp_checksum(odd, 3), (uint16_t)~0x0402);
	assert_int_equal(vd_icmp_checksum(NULL, 0), 0xffff);
}

static void test_build_echo(void **state)
{
	uint8_t buf[8 + 57];
	uint16_t id, seq;

	(void)state;
	for (size_t i = 8; i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(
		vd_icmp_build_echo(buf, sizeof(buf), false, 0x1234, 0xfffe), 0);
	assert_int_equal(buf[0], 8);
	assert_int_equal(buf[1], 0);
	/* A valid checksum makes the whole message sum to zero. */
	assert_int_equal(vd_icmp_checksum(buf, sizeof(buf)), 0);
	assert_int_equal(
		vd_icmp_parse_echo_request(buf, sizeof(buf), false, &id, &seq),
		0);
	assert_int_equal(id, 0x1234);
	assert_int_equal(seq, 0xfffe);

	assert_int_equal(vd_icmp_build_echo(buf, 8, true, 7, 9), 0);
	assert_int_equal(buf[0], 128);
	assert_int_equal(buf[2], 0); /* the kernel sums ICMPv6 */
	assert_int_equal(buf[3], 0);
	assert_int_equal(vd_icmp_parse_echo_request(buf, 8, true, &id, &seq),
			 0);
	assert_int_equal(seq, 9);
	/* The wrong family's request is not ours. */
	assert_int_equal(vd_icmp_parse_echo_request(buf, 8, false, &id, &seq),
			 -ENOMSG);
	assert_int_equal(vd_icmp_build_echo(buf, 7, false, 1, 1), -EINVAL);
	assert_int_equal(vd_icmp_build_echo(NULL, 64, false, 1, 1), -EINVAL);
	for (size_t n = 0; n < 8; n++)
		assert_int_equal(
			vd_icmp_parse_echo_request(buf, n, true, &id, &seq),
			-EBADMSG);
}

static void test_echo_reply(void **state)
{
	uint8_t buf[16] = { 0, 0, 0, 0, 0xbe, 0xef, 0x00, 0x2a };
	struct vd_icmp_error e = { 0 };
	struct vd_ip q = { 0 };
	uint16_t id = 0, seq = 0;

	(void)state;
	assert_int_equal(
		vd_icmp_parse(buf, sizeof(buf), false, &id, &seq, &e, &q),
		VD_ICMP_REPLY);
	assert_int_equal(id, 0xbeef);
	assert_int_equal(seq, 42);
	/* Exactly the header is enough. */
	assert_int_equal(vd_icmp_parse(buf, 8, false, &id, &seq, &e, &q),
			 VD_ICMP_REPLY);
	/* Type 0 is not an ICMPv6 reply; 129 is. */
	assert_int_equal(vd_icmp_parse(buf, 8, true, &id, &seq, &e, &q),
			 VD_ICMP_IGNORE);
	buf[0] = 129;
	buf[7] = 43;
	assert_int_equal(vd_icmp_parse(buf, 8, true, &id, &seq, &e, &q),
			 VD_ICMP_REPLY);
	assert_int_equal(seq, 43);
	/* A reply with a code is not an echo reply. */
	buf[1] = 1;
	assert_int_equal(vd_icmp_parse(buf, 8, true, &id, &seq, &e, &q),
			 VD_ICMP_IGNORE);
	buf[1] = 0;
	for (size_t n = 0; n < 8; n++)
		assert_int_equal(vd_icmp_parse(buf, n, true, &id, &seq, &e, &q),
				 -EBADMSG);
	assert_int_equal(vd_icmp_parse(NULL, 100, true, &id, &seq, &e, &q),
			 -EBADMSG);
	/* Nothing written for an ignored message. */
	assert_int_equal(e.type, 0);
	assert_int_equal(q.family, VD_AF_NONE);
}

static void test_other_types_ignored(void **state)
{
	uint8_t buf[128];
	struct vd_icmp_error e;
	struct vd_ip q;
	uint16_t id, seq;
	/* request, redirect, source quench, timestamp, router advert */
	static const uint8_t v4[] = { 8, 5, 4, 13, 9 };
	/* request, router solicitation, neighbour solicitation, MLD */
	static const uint8_t v6[] = { 128, 133, 135, 130 };

	(void)state;
	for (size_t i = 0; i < sizeof(v4); i++) {
		size_t n = err4(buf, v4[i], 0, 0, 1, 1);

		assert_int_equal(
			vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			VD_ICMP_IGNORE);
	}
	for (size_t i = 0; i < sizeof(v6); i++) {
		size_t n = err6(buf, v6[i], 0, 0, 1, 1);

		assert_int_equal(vd_icmp_parse(buf, n, true, &id, &seq, &e, &q),
				 VD_ICMP_IGNORE);
	}
}

struct err_case {
	uint8_t type, code;
	uint32_t rest;
	uint16_t mtu;
};

static void test_errors_v4(void **state)
{
	static const struct err_case c[] = {
		{ 3, 0, 0, 0 },		   /* net unreachable */
		{ 3, 1, 0, 0 },		   /* host unreachable */
		{ 3, 3, 0, 0 },		   /* port unreachable */
		{ 3, 13, 0, 0 },	   /* administratively prohibited */
		{ 3, 4, 1280, 1280 },	   /* frag needed, MTU 1280 */
		{ 3, 4, 0xdead0240, 576 }, /* unused bits ignored */
		{ 3, 4, 0, 0 },		   /* pre-RFC 1191 router */
		{ 11, 0, 0, 0 },	   /* TTL exceeded in transit */
		{ 11, 1, 0, 0 },	   /* reassembly time exceeded */
		{ 12, 0, 0x14000000, 0 },  /* parameter problem */
		{ 3, 1, 1280, 0 },	   /* MTU only for frag needed */
	};
	uint8_t buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct vd_icmp_error e = { 0 };
		struct vd_ip q = { 0 };
		uint16_t id = 0, seq = 0;
		size_t n = err4(buf, c[i].type, c[i].code, c[i].rest, 0x4242,
				(uint16_t)(i + 1));

		assert_int_equal(
			vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			VD_ICMP_ERROR);
		assert_int_equal(e.type, c[i].type);
		assert_int_equal(e.code, c[i].code);
		assert_false(e.v6);
		assert_int_equal(e.next_mtu, c[i].mtu);
		assert_int_equal(e.from.family, VD_AF_NONE); /* caller's */
		assert_int_equal(id, 0x4242);
		assert_int_equal(seq, i + 1);
		assert_int_equal(q.family, VD_AF_INET);
		assert_memory_equal(q.b, DST4, 4);
		/* Every byte up to the quoted sequence number is needed. */
		for (size_t k = 0; k < n; k++)
			assert_int_equal(
				vd_icmp_parse(buf, k, false, &id, &seq, &e, &q),
				-EBADMSG);
		/* Bytes beyond the quote (RFC 1812 quotes more) are fine. */
		memset(buf + n, 0x55, 40);
		assert_int_equal(
			vd_icmp_parse(buf, n + 40, false, &id, &seq, &e, &q),
			VD_ICMP_ERROR);
	}
}

static void test_errors_v4_quote(void **state)
{
	uint8_t buf[160];
	struct vd_icmp_error e = { 0 };
	struct vd_ip q;
	uint16_t id, seq;
	size_t n;

	(void)state;
	/* IP options in the quoted header are skipped. */
	n = put_err_hdr(buf, 3, 1, 0);
	n += put_ipv4(buf + n, 7, 1, 0, DST4);
	n += put_echo(buf + n, false, 5, 6);
	assert_int_equal(vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			 VD_ICMP_ERROR);
	assert_int_equal(id, 5);
	assert_int_equal(seq, 6);
	assert_int_equal(vd_icmp_parse(buf, n - 1, false, &id, &seq, &e, &q),
			 -EBADMSG);

	/* The longest header, 60 bytes, that claims more than is there. */
	n = put_err_hdr(buf, 3, 1, 0);
	n += put_ipv4(buf + n, 15, 1, 0, DST4);
	assert_int_equal(vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			 -EBADMSG);
	assert_int_equal(vd_icmp_parse(buf, n - 40, false, &id, &seq, &e, &q),
			 -EBADMSG);

	/* An IHL below 5, a version other than 4: malformed. */
	n = err4(buf, 3, 1, 0, 1, 1);
	buf[8] = 0x44;
	assert_int_equal(vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			 -EBADMSG);
	buf[8] = 0x65;
	assert_int_equal(vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			 -EBADMSG);
	buf[8] = 0x40;
	assert_int_equal(vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			 -EBADMSG);

	/* Not an echo of ours: UDP, a later fragment, a quoted reply. */
	n = put_err_hdr(buf, 3, 3, 0);
	n += put_ipv4(buf + n, 5, 17, 0, DST4);
	n += put_echo(buf + n, false, 1, 1);
	assert_int_equal(vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			 VD_ICMP_IGNORE);
	n = put_err_hdr(buf, 11, 1, 0);
	n += put_ipv4(buf + n, 5, 1, 0x2000 | 185, DST4);
	n += put_echo(buf + n, false, 1, 1);
	assert_int_equal(vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			 VD_ICMP_IGNORE);
	n = err4(buf, 3, 1, 0, 1, 1);
	buf[28] = 0; /* the quote is an echo reply */
	assert_int_equal(vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			 VD_ICMP_IGNORE);
	/* None of them wrote: e is still the options case's. */
	assert_int_equal(e.type, 3);
	assert_int_equal(e.code, 1);
}

static void test_errors_v6(void **state)
{
	static const struct err_case c[] = {
		{ 1, 0, 0, 0 },		   /* no route */
		{ 1, 1, 0, 0 },		   /* administratively prohibited */
		{ 1, 3, 0, 0 },		   /* address unreachable */
		{ 1, 4, 0, 0 },		   /* port unreachable */
		{ 1, 6, 0, 0 },		   /* reject route */
		{ 2, 0, 1280, 1280 },	   /* packet too big */
		{ 2, 0, 9000, 9000 },	   /* jumbo */
		{ 2, 0, 0x10000, 0xffff }, /* beyond 16 bits: clamped */
		{ 2, 0, 0xffffffff, 0xffff },
		{ 3, 0, 0, 0 }, /* hop limit exceeded */
		{ 4, 0, 6, 0 }, /* parameter problem, pointer */
	};
	uint8_t buf[128];

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct vd_icmp_error e = { 0 };
		struct vd_ip q = { 0 };
		uint16_t id = 0, seq = 0;
		size_t n = err6(buf, c[i].type, c[i].code, c[i].rest, 0x0101,
				(uint16_t)(1000 + i));

		assert_int_equal(vd_icmp_parse(buf, n, true, &id, &seq, &e, &q),
				 VD_ICMP_ERROR);
		assert_int_equal(e.type, c[i].type);
		assert_int_equal(e.code, c[i].code);
		assert_true(e.v6);
		assert_int_equal(e.next_mtu, c[i].mtu);
		assert_int_equal(id, 0x0101);
		assert_int_equal(seq, 1000 + i);
		assert_int_equal(q.family, VD_AF_INET6);
		assert_memory_equal(q.b, DST6, 16);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(
				vd_icmp_parse(buf, k, true, &id, &seq, &e, &q),
				-EBADMSG);
		/* Read as ICMPv4, the same bytes are no error of ours. */
		assert_int_not_equal(
			vd_icmp_parse(buf, n, false, &id, &seq, &e, &q),
			VD_ICMP_ERROR);
	}
}

static void test_errors_v6_quote(void **state)
{
	uint8_t buf[128];
	struct vd_icmp_error e = { 0 };
	struct vd_ip q;
	uint16_t id, seq;
	size_t n;

	(void)state;
	/* An extension header or UDP in the quote: not our echo. */
	n = put_err_hdr(buf, 1, 4, 0);
	n += put_ipv6(buf + n, 17, DST6);
	n += put_echo(buf + n, true, 1, 1);
	assert_int_equal(vd_icmp_parse(buf, n, true, &id, &seq, &e, &q),
			 VD_ICMP_IGNORE);
	n = put_err_hdr(buf, 1, 0, 0);
	n += put_ipv6(buf + n, 0 /* hop-by-hop */, DST6);
	n += put_echo(buf + n, true, 1, 1);
	assert_int_equal(vd_icmp_parse(buf, n, true, &id, &seq, &e, &q),
			 VD_ICMP_IGNORE);
	/* An IPv4 header quoted in an ICMPv6 error: malformed. */
	n = err6(buf, 1, 0, 0, 1, 1);
	buf[8] = 0x45;
	assert_int_equal(vd_icmp_parse(buf, n, true, &id, &seq, &e, &q),
			 -EBADMSG);
	/* The quoted message is an ICMPv4 echo type: not ours. */
	n = err6(buf, 1, 0, 0, 1, 1);
	buf[48] = 8;
	assert_int_equal(vd_icmp_parse(buf, n, true, &id, &seq, &e, &q),
			 VD_ICMP_IGNORE);
	assert_int_equal(e.type, 0);
}

static void test_strip_ipv4(void **state)
{
	uint8_t buf[96] = { 0 };
	struct vd_ip src = { 0 };
	size_t off = 0, plen = 0;

	(void)state;
	put_ipv4(buf, 5, 1, 0, DST4);
	buf[2] = 0;
	buf[3] = 84; /* tot_len: 20 + 64 */
	assert_int_equal(vd_icmp_strip_ipv4(buf, 84, &src, &off, &plen), 0);
	assert_int_equal(off, 20);
	assert_int_equal(plen, 64);
	assert_int_equal(src.family, VD_AF_INET);
	assert_int_equal(src.b[0], 10);
	assert_int_equal(src.b[3], 2);
	/* Trailing bytes past tot_len are not part of the message. */
	assert_int_equal(vd_icmp_strip_ipv4(buf, 96, &src, &off, &plen), 0);
	assert_int_equal(plen, 64);
	/* A read cut short of tot_len keeps what arrived. */
	assert_int_equal(vd_icmp_strip_ipv4(buf, 40, &src, &off, &plen), 0);
	assert_int_equal(plen, 20);
	/* Options. */
	put_ipv4(buf, 6, 1, 0, DST4);
	buf[2] = 0;
	buf[3] = 32;
	assert_int_equal(vd_icmp_strip_ipv4(buf, 96, &src, &off, &plen), 0);
	assert_int_equal(off, 24);
	assert_int_equal(plen, 8);
	/* tot_len shorter than the header itself. */
	buf[3] = 20;
	assert_int_equal(vd_icmp_strip_ipv4(buf, 96, &src, &off, &plen),
			 -EBADMSG);
	/* Truncated inside the header, options included. */
	buf[3] = 32;
	for (size_t n = 0; n < 24; n++)
		assert_int_equal(vd_icmp_strip_ipv4(buf, n, &src, &off, &plen),
				 -EBADMSG);
	assert_int_equal(vd_icmp_strip_ipv4(buf, 24, &src, &off, &plen), 0);
	assert_int_equal(plen, 0);
	/* Not ICMP; not IPv4; IHL too small. */
	put_ipv4(buf, 5, 6, 0, DST4);
	assert_int_equal(vd_icmp_strip_ipv4(buf, 96, &src, &off, &plen),
			 -ENOMSG);
	buf[0] = 0x65;
	assert_int_equal(vd_icmp_strip_ipv4(buf, 96, &src, &off, &plen),
			 -EBADMSG);
	buf[0] = 0x43;
	assert_int_equal(vd_icmp_strip_ipv4(buf, 96, &src, &off, &plen),
			 -EBADMSG);
	assert_int_equal(vd_icmp_strip_ipv4(NULL, 96, &src, &off, &plen),
			 -EBADMSG);
}

/* A whole raw-socket read: outer IPv4 header, then an ICMP error. */
static void test_raw_read_v4(void **state)
{
	uint8_t buf[160];
	struct vd_icmp_error e = { 0 };
	struct vd_ip src, q;
	size_t n, off, plen;
	uint16_t id, seq;

	(void)state;
	n = put_ipv4(buf, 5, 1, 0, (const uint8_t[]){ 10, 98, 1, 2 });
	n += err4(buf + n, 3, 4, 1400, 77, 3);
	buf[2] = (uint8_t)(n >> 8);
	buf[3] = (uint8_t)n;
	assert_int_equal(vd_icmp_strip_ipv4(buf, n, &src, &off, &plen), 0);
	assert_int_equal(
		vd_icmp_parse(buf + off, plen, false, &id, &seq, &e, &q),
		VD_ICMP_ERROR);
	assert_int_equal(e.next_mtu, 1400);
	assert_int_equal(id, 77);
	assert_int_equal(seq, 3);
	assert_int_equal(src.b[0], 10); /* who sent it */
	/* A bogus tot_len that cuts into the quote. */
	buf[2] = 0;
	buf[3] = 40;
	assert_int_equal(vd_icmp_strip_ipv4(buf, n, &src, &off, &plen), 0);
	assert_int_equal(
		vd_icmp_parse(buf + off, plen, false, &id, &seq, &e, &q),
		-EBADMSG);
}

/* Live: loopback only. */

static bool no_socket(int r)
{
	if (r == -EPERM || r == -EACCES) {
		print_message("# neither an ICMP datagram socket "
			      "(net.ipv4.ping_group_range) nor a raw socket "
			      "(CAP_NET_RAW) is allowed here\n");
		return true;
	}
	return false;
}

static void check_ping(const struct vd_ping_result *p, unsigned count)
{
	assert_int_equal(p->local_errno, 0);
	assert_int_equal(p->sent, count);
	assert_int_equal(p->received, count);
	assert_int_equal(p->n_errors, 0);
	assert_true(p->rtt_min_us <= p->rtt_avg_us);
	assert_true(p->rtt_avg_us <= p->rtt_max_us);
	assert_true(p->rtt_max_us < 1000000);
}

static void test_live_ping_v4(void **state)
{
	struct vd_loop *l;
	struct vd_probes out = { 0 };
	struct vd_ping_opts o = { .count = 3,
				  .interval_ms = 10,
				  .timeout_ms = 5000 };
	struct vd_ip lo;
	uint64_t t0;
	int r;

	(void)state;
	assert_int_equal(vd_ip_parse("127.0.0.1", &lo), 0);
	assert_int_equal(vd_loop_new(&l), 0);
	r = vd_probe_ping_start(l, &lo, &o, &out);
	if (no_socket(r)) {
		vd_loop_free(l);
		skip();
	}
	assert_int_equal(r, 0);
	assert_int_equal(out.n_pings, 0); /* appended when done */
	t0 = vd_now_us();
	assert_int_equal(vd_loop_run(l), 0);
	/* Every echo answered: no waiting for the 5 s timeout. */
	assert_true(vd_now_us() - t0 < 2000000);
	assert_int_equal(out.n_pings, 1);
	assert_true(vd_ip_equal(&out.pings[0].target, &lo));
	check_ping(&out.pings[0], 3);
	vd_probes_clear(&out);
	vd_loop_free(l);
}

static void test_live_ping_v6(void **state)
{
	struct vd_loop *l;
	struct vd_probes out = { 0 };
	struct vd_ping_opts o = {
		.count = 2, .interval_ms = 10, .timeout_ms = 1000, .size = 1000
	};
	struct vd_ip lo;
	int r;

	(void)state;
	assert_int_equal(vd_ip_parse("::1", &lo), 0);
	assert_int_equal(vd_loop_new(&l), 0);
	r = vd_probe_ping_start(l, &lo, &o, &out);
	if (r == -EAFNOSUPPORT || no_socket(r)) {
		vd_loop_free(l);
		skip();
	}
	assert_int_equal(r, 0);
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(out.n_pings, 1);
	if (out.pings[0].local_errno == EADDRNOTAVAIL ||
	    out.pings[0].local_errno == ENETUNREACH) {
		print_message("# no IPv6 on loopback\n");
		vd_probes_clear(&out);
		vd_loop_free(l);
		skip();
	}
	check_ping(&out.pings[0], 2);
	vd_probes_clear(&out);
	vd_loop_free(l);
}

/* Pings in flight together must not take each other's replies. */
static void test_live_ping_concurrent(void **state)
{
	struct vd_loop *l;
	struct vd_probes out = { 0 };
	struct vd_ping_opts o = {
		.count = 4, .interval_ms = 5, .timeout_ms = 1000, .size = 8
	};
	struct vd_ping_opts tiny = {
		.count = 2, .interval_ms = 5, .timeout_ms = 1000, .size = 1
	};
	struct vd_ip a, b;
	int r;

	(void)state;
	assert_int_equal(vd_ip_parse("127.0.0.1", &a), 0);
	assert_int_equal(vd_ip_parse("127.0.0.2", &b), 0);
	assert_int_equal(vd_loop_new(&l), 0);
	r = vd_probe_ping_start(l, &a, &o, &out);
	if (no_socket(r)) {
		vd_loop_free(l);
		skip();
	}
	assert_int_equal(r, 0);
	assert_int_equal(vd_probe_ping_start(l, &a, &o, &out), 0);
	assert_int_equal(vd_probe_ping_start(l, &b, &tiny, &out), 0);
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(out.n_pings, 3);
	for (size_t i = 0; i < 3; i++)
		check_ping(&out.pings[i], out.pings[i].sent);
	assert_int_equal(
		out.pings[0].sent + out.pings[1].sent + out.pings[2].sent, 10);
	vd_probes_clear(&out);
	vd_loop_free(l);
}

static void test_ping_bad_args(void **state)
{
	struct vd_loop *l;
	struct vd_probes out = { 0 };
	struct vd_ip none = { 0 }, lo;
	struct vd_ping_opts many = { .count = 70000 };
	struct vd_ping_opts big = { .size = 70000 };

	(void)state;
	assert_int_equal(vd_ip_parse("127.0.0.1", &lo), 0);
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_probe_ping_start(l, &none, NULL, &out),
			 -EAFNOSUPPORT);
	assert_int_equal(vd_probe_ping_start(l, &lo, &many, &out), -EINVAL);
	assert_int_equal(vd_probe_ping_start(l, &lo, &big, &out), -EINVAL);
	assert_int_equal(vd_probe_ping_start(NULL, &lo, NULL, &out), -EINVAL);
	assert_int_equal(vd_probe_ping_start(l, NULL, NULL, &out), -EINVAL);
	assert_int_equal(vd_probe_ping_start(l, &lo, NULL, NULL), -EINVAL);
	/* Nothing was registered: the loop has nothing to run. */
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(out.n_pings, 0);
	vd_loop_free(l);
}

static void test_route_get_loopback(void **state)
{
	struct vd_route_get g;
	struct vd_ip lo, none = { 0 };

	(void)state;
	assert_int_equal(vd_ip_parse("127.0.0.1", &lo), 0);
	assert_int_equal(vd_route_get(&lo, &g), 0);
	assert_int_equal(g.err, 0);
	assert_int_equal(g.type, VD_RTN_LOCAL);
	assert_int_equal(g.oif, (int)if_nametoindex("lo"));
	assert_true(vd_ip_equal(&g.prefsrc, &lo));
	assert_int_equal(g.gateway.family, VD_AF_NONE);
	assert_true(vd_ip_equal(&g.target, &lo));
	/* 254 when the local and main tables are merged, else 255. */
	assert_true(g.table == VD_RT_TABLE_LOCAL ||
		    g.table == VD_RT_TABLE_MAIN);
	assert_int_equal(vd_route_get(&none, &g), -EAFNOSUPPORT);
	assert_int_equal(vd_route_get(NULL, &g), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_build_echo),
		cmocka_unit_test(test_echo_reply),
		cmocka_unit_test(test_other_types_ignored),
		cmocka_unit_test(test_errors_v4),
		cmocka_unit_test(test_errors_v4_quote),
		cmocka_unit_test(test_errors_v6),
		cmocka_unit_test(test_errors_v6_quote),
		cmocka_unit_test(test_strip_ipv4),
		cmocka_unit_test(test_raw_read_v4),
		cmocka_unit_test(test_live_ping_v4),
		cmocka_unit_test(test_live_ping_v6),
		cmocka_unit_test(test_live_ping_concurrent),
		cmocka_unit_test(test_ping_bad_args),
		cmocka_unit_test(test_route_get_loopback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
