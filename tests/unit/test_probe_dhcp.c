/* SPDX-License-Identifier: MIT */
/*
 * dhcp: DISCOVER building, OFFER parsing (a real dnsmasq offer, built ones,
 * every way of not being ours, truncation, odd and hostile options), the
 * kernel filter run on an AF_UNIX socket (classic BPF works there without
 * privilege), the seed corpus's verdicts and the start-up errors.  No
 * packet leaves the machine: live DHCP is the lab's business.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/probe.h"
#include "util/ip.h"

#include "probe/packet.h"

#ifndef VD_SRCDIR
#error "VD_SRCDIR must name the source tree (set by tests/unit/meson.build)"
#endif
#define CORPUS VD_SRCDIR "/tests/fuzz/corpus/fuzz_dhcp/"

static const uint8_t MAC_US[6] = { 0x02, 0x5a, 0x11, 0x22, 0x33, 0x44 };
#define XID 0x12345678u

/* Where things are in an IPv4 packet with a 20-byte header. */
#define UDP   20
#define BOOTP 28
#define OPTS  (BOOTP + 240)

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) << 16 | rd16(p + 2);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	wr16(p, (uint16_t)(v >> 16));
	wr16(p + 2, (uint16_t)v);
}

/* The one's complement sum, folded; 0xffff over data that checks out. */
static uint16_t sum(uint32_t acc, const uint8_t *p, size_t n)
{
	for (; n > 1; p += 2, n -= 2)
		acc += rd16(p);
	if (n)
		acc += (uint32_t)p[0] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

static void assert_ip(const struct vd_ip *got, const char *want)
{
	char s[VD_IPSTR_MAX];

	if (!want) {
		assert_int_equal(got->family, VD_AF_NONE);
		return;
	}
	assert_int_equal(got->family, VD_AF_INET);
	assert_string_equal(vd_ip_str(got, s, sizeof(s)), want);
}

/*
 * An OFFER-shaped reply from 10.99.0.254:67 to 255.255.255.255:68 for
 * xid/mac offering 10.99.0.50, with the given options after the cookie.
 * Returns the IPv4 packet's length.
 */
static size_t reply(uint8_t *b, size_t cap, uint32_t xid, const uint8_t *mac,
		    const uint8_t *opts, size_t olen)
{
	size_t tot = OPTS + olen;

	assert_true(tot <= cap);
	memset(b, 0, tot);
	b[0] = 0x45;
	wr16(b + 2, (uint16_t)tot);
	b[8] = 64;
	b[9] = 17;
	b[12] = 10, b[13] = 99, b[14] = 0, b[15] = 254;
	memset(b + 16, 0xff, 4);
	wr16(b + UDP, 67);
	wr16(b + UDP + 2, 68);
	wr16(b + UDP + 4, (uint16_t)(tot - UDP));
	b[BOOTP] = 2;
	b[BOOTP + 1] = 1;
	b[BOOTP + 2] = 6;
	wr32(b + BOOTP + 4, xid);
	wr16(b + BOOTP + 10, 0x8000);
	b[BOOTP + 16] = 10, b[BOOTP + 17] = 99, b[BOOTP + 19] = 50;
	memcpy(b + BOOTP + 28, mac, 6);
	wr32(b + BOOTP + 236, 0x63825363);
	memcpy(b + OPTS, opts, olen);
	return tot;
}

static const uint8_t FULL[] = {
	53,  1, 2,				    /* DHCPOFFER */
	54,  4, 10,  99,  0,	254,		    /* server id */
	51,  4, 0,   0,	  0x0e, 0x10,		    /* lease 3600 s */
	1,   4, 255, 255, 255,	0,		    /* mask */
	3,   8, 10,  99,  0,	2,    10, 99, 0, 1, /* routers, .2 first */
	6,   4, 10,  99,  0,	3,		    /* DNS */
	255,
};

static size_t full(uint8_t *b, size_t cap)
{
	return reply(b, cap, XID, MAC_US, FULL, sizeof(FULL));
}

/*
 * A real one: dnsmasq 2.90's OFFER to busybox udhcpc in a lab namespace,
 * unicast to the offered address (udhcpc does not set the broadcast flag)
 * with the options udhcpc asked for.  sname and file are all zeros and
 * left out here.
 */
static const uint8_t DNSMASQ_HEAD[] = {
	/* IPv4 192.168.159.254 -> 192.168.159.170, TOS 0xc0, UDP */
	0x45,
	0xc0,
	0x01,
	0x57,
	0x55,
	0xb2,
	0x00,
	0x00,
	0x40,
	0x11,
	0x62,
	0x2a,
	0xc0,
	0xa8,
	0x9f,
	0xfe,
	0xc0,
	0xa8,
	0x9f,
	0xaa,
	/* UDP 67 -> 68, length 323, checksum left to offloading */
	0x00,
	0x43,
	0x00,
	0x44,
	0x01,
	0x43,
	0xc2,
	0x4e,
	/* BOOTREPLY, Ethernet, xid 0x5271cc2a, no flags */
	0x02,
	0x01,
	0x06,
	0x00,
	0x52,
	0x71,
	0xcc,
	0x2a,
	0x00,
	0x00,
	0x00,
	0x00,
	/* ciaddr, yiaddr .170, siaddr .254, giaddr */
	0x00,
	0x00,
	0x00,
	0x00,
	0xc0,
	0xa8,
	0x9f,
	0xaa,
	0xc0,
	0xa8,
	0x9f,
	0xfe,
	0x00,
	0x00,
	0x00,
	0x00,
	/* chaddr */
	0xee,
	0x2f,
	0x64,
	0x99,
	0x8c,
	0x5c,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
};
static const uint8_t DNSMASQ_TAIL[] = {
	0x63, 0x82, 0x53, 0x63,			       /* cookie */
	0x35, 0x01, 0x02,			       /* OFFER */
	0x36, 0x04, 0xc0, 0xa8, 0x9f, 0xfe,	       /* server id */
	0x33, 0x04, 0x00, 0x00, 0x07, 0x08,	       /* lease 1800 */
	0x3a, 0x04, 0x00, 0x00, 0x03, 0x84,	       /* T1 */
	0x3b, 0x04, 0x00, 0x00, 0x06, 0x27,	       /* T2 */
	0x01, 0x04, 0xff, 0xff, 0xff, 0x00,	       /* mask */
	0x1c, 0x04, 0xc0, 0xa8, 0x9f, 0xff,	       /* broadcast */
	0x2a, 0x04, 0xc0, 0xa8, 0x9f, 0x02,	       /* NTP */
	0x0f, 0x0b, 'l',  'o',	'c',  'a',  'l',  'd', /* domain */
	'o',  'm',  'a',  'i',	'n',		       /* ... */
	0x06, 0x08, 0xc0, 0xa8, 0x9f, 0x02, 0xc0, 0xa8, 0x9f, 0x03, /* DNS */
	0x03, 0x04, 0xc0, 0xa8, 0x9f, 0x02,			    /* router */
	0xff,
};
static const uint8_t DNSMASQ_MAC[6] = { 0xee, 0x2f, 0x64, 0x99, 0x8c, 0x5c };
#define DNSMASQ_XID 0x5271cc2au

static size_t dnsmasq_offer(uint8_t *b, size_t cap)
{
	size_t n = sizeof(DNSMASQ_HEAD) + 192 + sizeof(DNSMASQ_TAIL);

	assert_int_equal(n, 343);
	assert_true(n <= cap);
	memcpy(b, DNSMASQ_HEAD, sizeof(DNSMASQ_HEAD));
	memset(b + sizeof(DNSMASQ_HEAD), 0, 192);
	memcpy(b + sizeof(DNSMASQ_HEAD) + 192, DNSMASQ_TAIL,
	       sizeof(DNSMASQ_TAIL));
	return n;
}

static void test_build_discover(void **state)
{
	static const uint8_t want_opts[] = {
		53,  1, 1, /* DHCPDISCOVER */
		61,  7, 1, 0x02, 0x5a, 0x11, 0x22, 0x33, 0x44, /* client id */
		55,  5, 1, 3,	 6,    51,   54,	       /* asked for */
		255,
	};
	uint8_t b[400];
	struct vd_dhcp_offer of;

	(void)state;
	memset(b, 0xee, sizeof(b));
	assert_int_equal(vd_dhcp_build_discover(b, sizeof(b), MAC_US, XID),
			 VD_DHCP_DISCOVER_LEN);
	/* IPv4: 0.0.0.0 -> 255.255.255.255, UDP, a valid header checksum. */
	assert_int_equal(b[0], 0x45);
	assert_int_equal(rd16(b + 2), VD_DHCP_DISCOVER_LEN);
	assert_int_equal(rd16(b + 6) & 0x3fff, 0);
	assert_true(b[8] > 0);
	assert_int_equal(b[9], 17);
	assert_int_equal(rd32(b + 12), 0);
	assert_int_equal(rd32(b + 16), 0xffffffffu);
	assert_int_equal(sum(0, b, 20), 0xffff);
	/* UDP 68 -> 67, the length, a checksum that checks out. */
	assert_int_equal(rd16(b + UDP), 68);
	assert_int_equal(rd16(b + UDP + 2), 67);
	assert_int_equal(rd16(b + UDP + 4), 308);
	assert_int_not_equal(rd16(b + UDP + 6), 0);
	assert_int_equal(sum(17 + 308 + sum(0, b + 12, 8), b + UDP, 308),
			 0xffff);
	/* BOOTP: a request from MAC_US, broadcast flag, nothing claimed. */
	assert_int_equal(b[BOOTP], 1);
	assert_int_equal(b[BOOTP + 1], 1);
	assert_int_equal(b[BOOTP + 2], 6);
	assert_int_equal(b[BOOTP + 3], 0);
	assert_int_equal(rd32(b + BOOTP + 4), XID);
	assert_int_equal(rd16(b + BOOTP + 8), 0);
	assert_int_equal(rd16(b + BOOTP + 10), 0x8000);
	for (size_t i = 12; i < 28; i++)
		assert_int_equal(b[BOOTP + i], 0); /* ciaddr..giaddr */
	assert_memory_equal(b + BOOTP + 28, MAC_US, 6);
	for (size_t i = 34; i < 236; i++)
		assert_int_equal(b[BOOTP + i], 0);
	assert_int_equal(rd32(b + BOOTP + 236), 0x63825363);
	assert_memory_equal(b + OPTS, want_opts, sizeof(want_opts));
	for (size_t i = OPTS + sizeof(want_opts); i < VD_DHCP_DISCOVER_LEN; i++)
		assert_int_equal(b[i], 0); /* pad up to 300 bytes of BOOTP */
	assert_int_equal(b[VD_DHCP_DISCOVER_LEN], 0xee); /* nothing beyond */

	/* Our own DISCOVER is no offer (it goes to port 67). */
	assert_int_equal(
		vd_dhcp_parse_offer(b, VD_DHCP_DISCOVER_LEN, XID, MAC_US, &of),
		-EPROTO);

	assert_int_equal(vd_dhcp_build_discover(b, VD_DHCP_DISCOVER_LEN - 1,
						MAC_US, XID),
			 -ENOBUFS);
	assert_int_equal(vd_dhcp_build_discover(NULL, 400, MAC_US, XID),
			 -ENOBUFS);
	assert_int_equal(vd_dhcp_build_discover(b, 400, NULL, XID), -ENOBUFS);
}

/* A server's answer made from the DISCOVER's own bytes. */
static void test_round_trip(void **state)
{
	static const uint8_t mac[6] = { 0x06, 0xff, 0x00, 0x10, 0x20, 0x30 };
	uint8_t d[VD_DHCP_DISCOVER_LEN], b[512];
	struct vd_dhcp_offer of;
	uint32_t xids[] = { 0, 1, 0xdeadbeef, 0xffffffff };

	(void)state;
	for (size_t i = 0; i < sizeof(xids) / sizeof(xids[0]); i++) {
		size_t n;

		assert_int_equal(
			vd_dhcp_build_discover(d, sizeof(d), mac, xids[i]),
			VD_DHCP_DISCOVER_LEN);
		n = reply(b, sizeof(b), rd32(d + BOOTP + 4), d + BOOTP + 28,
			  FULL, sizeof(FULL));
		assert_int_equal(vd_dhcp_parse_offer(b, n, xids[i], mac, &of),
				 0);
		assert_ip(&of.yiaddr, "10.99.0.50");
		/* Another xid: another run, not ours. */
		assert_int_equal(
			vd_dhcp_parse_offer(b, n, xids[i] ^ 1, mac, &of),
			-ENOMSG);
	}
}

static void test_parse_offer(void **state)
{
	static const uint8_t zero6[6];
	uint8_t b[512];
	struct vd_dhcp_offer of;
	size_t n = full(b, sizeof(b));

	(void)state;
	memset(&of, 0xa5, sizeof(of));
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), 0);
	assert_ip(&of.server, "10.99.0.254");
	assert_ip(&of.yiaddr, "10.99.0.50");
	assert_ip(&of.mask, "255.255.255.0");
	assert_ip(&of.router, "10.99.0.2");
	assert_ip(&of.dns, "10.99.0.3");
	assert_int_equal(of.lease_s, 3600);
	assert_memory_equal(of.server_mac, zero6, 6); /* the caller's part */

	/* Ethernet padding after the packet is not part of it. */
	memset(b + n, 0xff, 64);
	assert_int_equal(vd_dhcp_parse_offer(b, n + 64, XID, MAC_US, &of), 0);
	assert_int_equal(of.lease_s, 3600);
}

static void test_parse_minimal(void **state)
{
	static const uint8_t only_type[] = { 53, 1, 2, 255 };
	static const uint8_t zero_id[] = { 54, 4,  0, 0,    0,	  0,	53,  1,
					   2,  51, 4, 0xff, 0xff, 0xff, 0xff };
	uint8_t b[512];
	struct vd_dhcp_offer of;
	size_t n;

	(void)state;
	/* Nothing but the type: the server is whoever sent it. */
	n = reply(b, sizeof(b), XID, MAC_US, only_type, sizeof(only_type));
	b[15] = 77;
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), 0);
	assert_ip(&of.server, "10.99.0.77");
	assert_ip(&of.mask, NULL);
	assert_ip(&of.router, NULL);
	assert_ip(&of.dns, NULL);
	assert_int_equal(of.lease_s, 0);
	/* A server id of 0.0.0.0 says nothing either; no END is tolerated;
	 * an infinite lease is kept as such. */
	n = reply(b, sizeof(b), XID, MAC_US, zero_id, sizeof(zero_id));
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), 0);
	assert_ip(&of.server, "10.99.0.254");
	assert_int_equal(of.lease_s, UINT32_MAX);
}

static void test_dnsmasq_offer(void **state)
{
	uint8_t b[512];
	struct vd_dhcp_offer of;
	size_t n = dnsmasq_offer(b, sizeof(b));

	(void)state;
	assert_int_equal(
		vd_dhcp_parse_offer(b, n, DNSMASQ_XID, DNSMASQ_MAC, &of), 0);
	assert_ip(&of.server, "192.168.159.254");
	assert_ip(&of.yiaddr, "192.168.159.170");
	assert_ip(&of.mask, "255.255.255.0");
	assert_ip(&of.router, "192.168.159.2");
	assert_ip(&of.dns, "192.168.159.2"); /* the first of two */
	assert_int_equal(of.lease_s, 1800);
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, DNSMASQ_MAC, &of),
			 -ENOMSG);
	assert_int_equal(vd_dhcp_parse_offer(b, n, DNSMASQ_XID, MAC_US, &of),
			 -ENOMSG);
}

static void test_not_ours(void **state)
{
	static const struct {
		size_t off;
		uint8_t v;
		int want;
	} c[] = {
		{ BOOTP + 4, 0x13, -ENOMSG },	/* another xid */
		{ BOOTP + 7, 0x79, -ENOMSG },	/* another xid, last byte */
		{ BOOTP + 28, 0x00, -ENOMSG },	/* another client's MAC */
		{ BOOTP + 33, 0x45, -ENOMSG },	/* ... last byte */
		{ BOOTP, 1, -ENOMSG },		/* BOOTREQUEST */
		{ BOOTP, 3, -ENOMSG },		/* op 3 */
		{ BOOTP + 1, 6, -ENOMSG },	/* htype IEEE 802 */
		{ BOOTP + 2, 16, -ENOMSG },	/* hlen 16 */
		{ OPTS + 2, 5, -ENOMSG },	/* DHCPACK */
		{ OPTS + 2, 6, -ENOMSG },	/* DHCPNAK */
		{ OPTS + 2, 1, -ENOMSG },	/* DHCPDISCOVER */
		{ OPTS + 1, 2, -EBADMSG },	/* type's length 2 eats 54 */
		{ OPTS, 50, -ENOMSG },		/* no message type */
		{ BOOTP + 236, 0x64, -EPROTO }, /* no cookie: plain BOOTP */
		{ 0, 0x65, -EPROTO },		/* IPv6 */
		{ 9, 6, -EPROTO },		/* TCP */
		{ UDP + 3, 67, -EPROTO },	/* to a server */
		{ UDP + 1, 68, -EPROTO },	/* from a client */
		{ 6, 0x20, -EPROTO },		/* first fragment (MF) */
		{ 7, 0x01, -EPROTO },		/* a later fragment */
	};
	uint8_t b[512];
	struct vd_dhcp_offer of, untouched;

	(void)state;
	memset(&of, 0x5a, sizeof(of));
	untouched = of;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n = full(b, sizeof(b));

		b[c[i].off] = c[i].v;
		assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of),
				 c[i].want);
	}
	/* No MAC to compare with: nothing is ours. */
	assert_int_equal(
		vd_dhcp_parse_offer(b, full(b, sizeof(b)), XID, NULL, &of),
		-ENOMSG);
	/* Nothing written by a rejected packet. */
	assert_memory_equal(&of, &untouched, sizeof(of));
}

static void test_truncated(void **state)
{
	uint8_t b[512];
	struct vd_dhcp_offer of;
	size_t n = full(b, sizeof(b));

	(void)state;
	/* Every prefix of an offer is too short, wherever it stops. */
	for (size_t k = 0; k < n; k++)
		assert_int_equal(vd_dhcp_parse_offer(b, k, XID, MAC_US, &of),
				 -EBADMSG);
	assert_int_equal(vd_dhcp_parse_offer(NULL, n, XID, MAC_US, &of),
			 -EBADMSG);
	/* The IP header length below 20 or beyond the packet. */
	n = full(b, sizeof(b));
	b[0] = 0x44;
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), -EBADMSG);
	n = full(b, sizeof(b));
	wr16(b + 2, 19);
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), -EBADMSG);
	n = full(b, sizeof(b));
	b[0] = 0x4f; /* 60 bytes of header: the UDP header is cut */
	wr16(b + 2, 64);
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), -EBADMSG);
	/* An IP length that claims more than arrived. */
	n = full(b, sizeof(b));
	wr16(b + 2, (uint16_t)(n + 1));
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), -EBADMSG);
	/* UDP lengths: below its header, beyond the IP packet, or cutting
	 * the BOOTP header short. */
	n = full(b, sizeof(b));
	wr16(b + UDP + 4, 7);
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), -EBADMSG);
	wr16(b + UDP + 4, (uint16_t)(n - UDP + 1));
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), -EBADMSG);
	/* ...even when Ethernet padding follows: it is not the packet's. */
	memset(b + n, 0, 64);
	assert_int_equal(vd_dhcp_parse_offer(b, n + 64, XID, MAC_US, &of),
			 -EBADMSG);
	wr16(b + UDP + 4, 8 + 239);
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), -EBADMSG);
	/* The UDP length rules, not the IP one: cut inside the server id... */
	wr16(b + UDP + 4, 8 + 240 + 5);
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), -EBADMSG);
	/* ...or right after it: a shorter, valid offer. */
	wr16(b + UDP + 4, 8 + 240 + 9);
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), 0);
	assert_ip(&of.server, "10.99.0.254");
	assert_ip(&of.mask, NULL);
	assert_int_equal(of.lease_s, 0);
	/* An IP packet with options (24-byte header). */
	{
		uint8_t c[600];

		n = full(b, sizeof(b));
		memcpy(c, b, 20);
		memset(c + 20, 1, 4); /* NOPs */
		memcpy(c + 24, b + 20, n - 20);
		c[0] = 0x46;
		wr16(c + 2, (uint16_t)(n + 4));
		assert_int_equal(
			vd_dhcp_parse_offer(c, n + 4, XID, MAC_US, &of), 0);
		assert_ip(&of.dns, "10.99.0.3");
	}
}

static int parse_opts(const uint8_t *opts, size_t olen,
		      struct vd_dhcp_offer *of)
{
	uint8_t b[1200];
	size_t n = reply(b, sizeof(b), XID, MAC_US, opts, olen);

	return vd_dhcp_parse_offer(b, n, XID, MAC_US, of);
}

static void test_options(void **state)
{
	static const uint8_t overlong[] = { 53, 1, 2, 3, 8, 10, 99, 0, 2 };
	static const uint8_t no_len[] = { 53, 1, 2, 3 };
	static const uint8_t wrong_lens[] = {
		53,  1, 2,   54,  5, 10, 99, 0, 9, 9, /* server id: 5 bytes */
		1,   3, 255, 255, 0,		      /* mask: 3 */
		51,  2, 1,   1,			      /* lease: 2 */
		3,   6, 10,  99,  0, 2,	 1,  1,	      /* routers: 6 */
		6,   0,				      /* DNS: none */
		255,
	};
	static const uint8_t pads[] = {
		0,  0, 0,	       /* pads first */
		53, 1, 2,	       /* OFFER */
		0,  0,		       /* pads between */
		1,  4, 255, 255, 0, 0, /* mask */
		0,  0,		       /* pads, and no END */
	};
	static const uint8_t after_end[] = { 53, 1, 2, 255, 3, 200, 1, 2 };
	static const uint8_t twice[] = {
		53,  1, 2,	      /* OFFER */
		3,   4, 10, 99, 0, 2, /* router .2 */
		3,   4, 10, 99, 0, 9, /* router .9 */
		53,  1, 5,	      /* ACK */
		255,
	};
	static const uint8_t overload[] = { 52, 1, 3, 53, 1, 2, 255 };
	struct vd_dhcp_offer of;
	uint8_t big[4 + 3 * 257 + 1], b[1024];
	size_t k = 0, n;

	(void)state;
	/* A length past the end rejects the message; so does a missing one. */
	assert_int_equal(parse_opts(overlong, sizeof(overlong), &of), -EBADMSG);
	assert_int_equal(parse_opts(no_len, sizeof(no_len), &of), -EBADMSG);
	/* Values of the wrong size count as absent, the rest stands. */
	assert_int_equal(parse_opts(wrong_lens, sizeof(wrong_lens), &of), 0);
	assert_ip(&of.server, "10.99.0.254"); /* the IP source */
	assert_ip(&of.mask, NULL);
	assert_ip(&of.router, NULL);
	assert_ip(&of.dns, NULL);
	assert_int_equal(of.lease_s, 0);
	/* Pads anywhere, no END. */
	assert_int_equal(parse_opts(pads, sizeof(pads), &of), 0);
	assert_ip(&of.mask, "255.255.0.0");
	/* Whatever follows END, even nonsense, is not read. */
	assert_int_equal(parse_opts(after_end, sizeof(after_end), &of), 0);
	assert_ip(&of.router, NULL);
	/* The first instance counts (RFC 3396 splits put the first router
	 * first), for the message type too. */
	assert_int_equal(parse_opts(twice, sizeof(twice), &of), 0);
	assert_ip(&of.router, "10.99.0.2");
	/* Overload (52) says sname and file hold options: ignored, and the
	 * junk there is not read. */
	n = reply(b, sizeof(b), XID, MAC_US, overload, sizeof(overload));
	memset(b + BOOTP + 44, 3, 192); /* "router, length 3, ..." */
	assert_int_equal(vd_dhcp_parse_offer(b, n, XID, MAC_US, &of), 0);
	assert_ip(&of.router, NULL);
	/* Options of the largest size, back to back. */
	for (int i = 0; i < 3; i++) {
		big[k++] = (uint8_t)(200 + i);
		big[k++] = 255;
		memset(big + k, 0xab, 255);
		k += 255;
	}
	memcpy(big + k, (const uint8_t[]){ 53, 1, 2, 255 }, 4);
	k += 4;
	assert_int_equal(parse_opts(big, k, &of), 0);
	/* ...one byte short. */
	assert_int_equal(parse_opts(big, 2 + 255 - 1, &of), -EBADMSG);
}

/* Send one packet through the filter; its length on arrival or -1. */
static ssize_t through_filter(int tx, int rx, const uint8_t *b, size_t n)
{
	uint8_t got[1024];

	assert_int_equal(send(tx, b, n, 0), (ssize_t)n);
	return recv(rx, got, sizeof(got), MSG_DONTWAIT);
}

static void test_filter(void **state)
{
	uint8_t b[600], c[600];
	int sv[2];
	size_t n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(vd_dhcp_attach_filter(sv[1]), 0);

	n = full(b, sizeof(b));
	assert_int_equal(through_filter(sv[0], sv[1], b, n), (ssize_t)n);
	/* Not to port 68 (our own DISCOVER), not UDP: dropped. */
	assert_int_equal(vd_dhcp_build_discover(b, sizeof(b), MAC_US, XID),
			 VD_DHCP_DISCOVER_LEN);
	assert_int_equal(through_filter(sv[0], sv[1], b, VD_DHCP_DISCOVER_LEN),
			 -1);
	n = full(b, sizeof(b));
	b[9] = 6;
	assert_int_equal(through_filter(sv[0], sv[1], b, n), -1);
	/* A later fragment has no UDP header: dropped; the first is kept
	 * (the parser refuses it). */
	n = full(b, sizeof(b));
	b[7] = 0x10;
	assert_int_equal(through_filter(sv[0], sv[1], b, n), -1);
	n = full(b, sizeof(b));
	b[6] = 0x20;
	assert_int_equal(through_filter(sv[0], sv[1], b, n), (ssize_t)n);
	/* The header length is honoured: with 4 bytes of IP options the
	 * port is 4 bytes further. */
	n = full(b, sizeof(b));
	memcpy(c, b, 20);
	memset(c + 20, 1, 4);
	memcpy(c + 24, b + 20, n - 20);
	c[0] = 0x46;
	assert_int_equal(through_filter(sv[0], sv[1], c, n + 4),
			 (ssize_t)n + 4);
	c[0] = 0x45; /* now the port would be in the NOPs: not 68 */
	assert_int_equal(through_filter(sv[0], sv[1], c, n + 4), -1);
	/* Truncated before the port: the load beyond the end drops it. */
	n = full(b, sizeof(b));
	assert_int_equal(through_filter(sv[0], sv[1], b, UDP + 3), -1);
	assert_int_equal(through_filter(sv[0], sv[1], b, UDP + 4), UDP + 4);
	close(sv[0]);
	close(sv[1]);
}

/* The seed corpus's real captures (dnsmasq 2.90 in lab namespaces), each
 * with the verdict it must get.  xid and chaddr come from the file. */
static void test_corpus(void **state)
{
	static const struct {
		const char *name;
		int want;
		const char *server;
	} c[] = {
		{ "offer-dnsmasq", 0, "192.168.159.254" },
		{ "offer-dnsmasq-unicast", 0, "192.168.159.254" },
		{ "offer-lab-s1", 0, "10.77.0.254" },
		{ "offer-lab-s2", 0, "10.77.0.253" },
		{ "ack-dnsmasq", -ENOMSG, NULL },
		{ "nak-dnsmasq", -ENOMSG, NULL },
		{ "discover-vnetdiag", -EPROTO, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char path[512];
		uint8_t b[1600];
		struct vd_dhcp_offer of;
		FILE *f;
		size_t n;

		snprintf(path, sizeof(path), CORPUS "%s", c[i].name);
		f = fopen(path, "rb");
		assert_non_null(f);
		n = fread(b, 1, sizeof(b), f);
		fclose(f);
		assert_true(n > OPTS);
		assert_int_equal(vd_dhcp_parse_offer(b, n, rd32(b + BOOTP + 4),
						     b + BOOTP + 28, &of),
				 c[i].want);
		if (c[i].server)
			assert_ip(&of.server, c[i].server);
	}
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_start_errors(void **state)
{
	struct vd_dhcp_opts o = { .listen_ms = 100 };
	struct vd_probes out = { 0 };
	struct vd_loop *l;
	int lo = (int)if_nametoindex("lo"), fds, r;

	(void)state;
	assert_int_equal(vd_loop_new(&l), 0);
	fds = count_fds();

	assert_int_equal(vd_probe_dhcp_start(l, 0, &o, &out), -EINVAL);
	assert_int_equal(vd_probe_dhcp_start(l, -1, &o, &out), -EINVAL);
	assert_int_equal(vd_probe_dhcp_start(NULL, lo, &o, &out), -EINVAL);
	assert_int_equal(vd_probe_dhcp_start(l, lo, &o, NULL), -EINVAL);

	/* Loopback has no DHCP; without CAP_NET_RAW the socket is refused. */
	r = vd_probe_dhcp_start(l, lo, NULL, &out);
	if (r == -EPERM)
		print_message("# no CAP_NET_RAW: AF_PACKET refused, as it "
			      "should be\n");
	else
		assert_int_equal(r, -EOPNOTSUPP);
	/* An interface that does not exist. */
	r = vd_probe_dhcp_start(l, 0x7ffffff0, &o, &out);
	assert_true(r == -ENODEV || r == -EPERM);

	/* Every failure gave back what it had opened, appended nothing. */
	assert_int_equal(count_fds(), fds);
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(out.n_dhcps, 0);
	vd_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_discover),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_parse_offer),
		cmocka_unit_test(test_parse_minimal),
		cmocka_unit_test(test_dnsmasq_offer),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_start_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
