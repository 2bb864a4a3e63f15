/* SPDX-License-Identifier: MIT */
/*
 * arp: request building, answer parsing (replies, gratuitous requests,
 * wrong opcode/hlen/plen, truncation), the kernel filter run on an AF_UNIX
 * socket (classic BPF works there without privilege), and the start-up
 * errors.  No frame leaves the machine: live ARP is the lab's business.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/probe.h"
#include "util/ip.h"

#include "probe/packet.h"

static const uint8_t MAC_US[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t MAC_THEM[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
static const uint8_t IP_US[4] = { 10, 99, 0, 1 };
static const uint8_t IP_THEM[4] = { 10, 99, 0, 5 };

/* An Ethernet/IPv4 ARP frame (42 bytes, unpadded). */
static size_t frame(uint8_t *b, uint16_t op, const uint8_t *sha,
		    const uint8_t *spa, const uint8_t *tha, const uint8_t *tpa)
{
	static const uint8_t hdr[] = { 0x08, 0x06, 0x00, 0x01,
				       0x08, 0x00, 0x06, 0x04 };

	memcpy(b, tha, 6);
	memcpy(b + 6, sha, 6);
	memcpy(b + 12, hdr, sizeof(hdr));
	b[20] = (uint8_t)(op >> 8);
	b[21] = (uint8_t)op;
	memcpy(b + 22, sha, 6);
	memcpy(b + 28, spa, 4);
	memcpy(b + 32, tha, 6);
	memcpy(b + 38, tpa, 4);
	return 42;
}

static size_t reply(uint8_t *b)
{
	return frame(b, 2, MAC_THEM, IP_THEM, MAC_US, IP_US);
}

static void test_build_request(void **state)
{
	static const uint8_t want[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* broadcast */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* from us */
		0x08, 0x06,			    /* ARP */
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, /* Ethernet, IPv4 */
		0x00, 0x01,			    /* request */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* sha */
		10,   99,   0,	  1,		    /* spa */
		0,    0,    0,	  0,	0,    0,    /* tha unknown */
		10,   99,   0,	  5,		    /* tpa */
	};
	uint8_t buf[64], sha[6], spa[4];
	static const uint8_t any[4];

	(void)state;
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(
		vd_arp_build_request(buf, sizeof(buf), MAC_US, IP_US, IP_THEM),
		VD_ARP_FRAME_LEN);
	assert_memory_equal(buf, want, sizeof(want));
	for (size_t i = sizeof(want); i < VD_ARP_FRAME_LEN; i++)
		assert_int_equal(buf[i], 0);	       /* padding */
	assert_int_equal(buf[VD_ARP_FRAME_LEN], 0xee); /* nothing beyond */
	/* Our own request is not an answer. */
	assert_int_equal(vd_arp_parse_answer(buf, 60, sha, spa), -ENOMSG);

	/* An RFC 5227 probe: sender address 0.0.0.0. */
	assert_int_equal(
		vd_arp_build_request(buf, sizeof(buf), MAC_US, any, IP_THEM),
		VD_ARP_FRAME_LEN);
	assert_memory_equal(buf + 28, any, 4);
	assert_int_equal(vd_arp_parse_answer(buf, 60, sha, spa), -ENOMSG);

	assert_int_equal(vd_arp_build_request(buf, 59, MAC_US, IP_US, IP_THEM),
			 -ENOBUFS);
	assert_int_equal(vd_arp_build_request(NULL, 60, MAC_US, IP_US, IP_THEM),
			 -ENOBUFS);
}

static void test_parse_reply(void **state)
{
	uint8_t buf[64] = { 0 }, sha[6] = { 0 }, spa[4] = { 0 };
	size_t n = reply(buf);

	(void)state;
	assert_int_equal(vd_arp_parse_answer(buf, n, sha, spa), 0);
	assert_memory_equal(sha, MAC_THEM, 6);
	assert_memory_equal(spa, IP_THEM, 4);
	/* Padded to the Ethernet minimum, and beyond. */
	assert_int_equal(vd_arp_parse_answer(buf, 60, sha, spa), 0);
	assert_int_equal(vd_arp_parse_answer(buf, 64, sha, spa), 0);
	/* The ARP sender counts, not the Ethernet source (proxy ARP...). */
	memset(buf + 6, 0x11, 6);
	assert_int_equal(vd_arp_parse_answer(buf, n, sha, spa), 0);
	assert_memory_equal(sha, MAC_THEM, 6);
}

static void test_parse_gratuitous(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	uint8_t buf[64], sha[6], spa[4];
	size_t n;

	(void)state;
	/* Announcement by request: sender address = target address. */
	n = frame(buf, 1, MAC_THEM, IP_THEM, zero, IP_THEM);
	assert_int_equal(vd_arp_parse_answer(buf, n, sha, spa), 0);
	assert_memory_equal(sha, MAC_THEM, 6);
	assert_memory_equal(spa, IP_THEM, 4);
	/* Unsolicited reply to broadcast. */
	n = frame(buf, 2, MAC_THEM, IP_THEM, bcast, IP_THEM);
	assert_int_equal(vd_arp_parse_answer(buf, n, sha, spa), 0);
	/* Somebody else asking: no answer about anyone. */
	n = frame(buf, 1, MAC_THEM, IP_THEM, zero, IP_US);
	assert_int_equal(vd_arp_parse_answer(buf, n, sha, spa), -ENOMSG);
	/* Somebody else probing (0.0.0.0), even for 0.0.0.0. */
	n = frame(buf, 1, MAC_THEM, zero, zero, IP_THEM);
	assert_int_equal(vd_arp_parse_answer(buf, n, sha, spa), -ENOMSG);
	n = frame(buf, 1, MAC_THEM, zero, zero, zero);
	assert_int_equal(vd_arp_parse_answer(buf, n, sha, spa), -ENOMSG);
}

static void test_parse_wrong(void **state)
{
	uint8_t buf[64], sha[6] = { 0 }, spa[4] = { 0 };
	size_t n;
	static const struct {
		size_t off;
		uint8_t v;
		int want;
	} c[] = {
		{ 13, 0x00, -EPROTO }, /* ethertype IPv4 */
		{ 12, 0x80, -EPROTO }, /* ethertype 0x8006 */
		{ 15, 0x06, -EPROTO }, /* htype IEEE 802 */
		{ 16, 0x86, -EPROTO }, /* ptype 0x8600 */
		{ 18, 0x08, -EPROTO }, /* hlen 8 */
		{ 18, 0x00, -EPROTO }, /* hlen 0 */
		{ 19, 0x10, -EPROTO }, /* plen 16 */
		{ 21, 0x03, -ENOMSG }, /* RARP request */
		{ 21, 0x04, -ENOMSG }, /* RARP reply */
		{ 21, 0x00, -ENOMSG }, /* opcode 0 */
		{ 20, 0x01, -ENOMSG }, /* opcode 0x0102 */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		n = reply(buf);
		buf[c[i].off] = c[i].v;
		assert_int_equal(vd_arp_parse_answer(buf, n, sha, spa),
				 c[i].want);
	}
	/* Nothing written by a rejected frame. */
	assert_int_equal(sha[0], 0);
	assert_int_equal(spa[0], 0);
}

static void test_parse_truncated(void **state)
{
	uint8_t buf[64], sha[6], spa[4];
	size_t n = reply(buf);

	(void)state;
	/* Every prefix of a reply is too short, wherever it stops. */
	for (size_t k = 0; k < n; k++)
		assert_int_equal(vd_arp_parse_answer(buf, k, sha, spa),
				 -EBADMSG);
	assert_int_equal(vd_arp_parse_answer(NULL, 60, sha, spa), -EBADMSG);
	/* A wrong ethertype is said before the rest is missed. */
	buf[13] = 0;
	assert_int_equal(vd_arp_parse_answer(buf, 14, sha, spa), -EPROTO);
}

/* Send one frame through the filter; its length on arrival or -1. */
static ssize_t through_filter(int tx, int rx, const uint8_t *b, size_t n)
{
	uint8_t got[256];

	assert_int_equal(send(tx, b, n, 0), (ssize_t)n);
	return recv(rx, got, sizeof(got), MSG_DONTWAIT);
}

static void test_filter(void **state)
{
	static const uint8_t zero[6];
	uint8_t buf[128];
	int sv[2];
	size_t n;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(vd_arp_attach_filter(sv[1]), 0);

	n = reply(buf);
	assert_int_equal(through_filter(sv[0], sv[1], buf, n), 42);
	/* Padding is cut: the filter keeps 60 bytes at most. */
	memset(buf + n, 0, sizeof(buf) - n);
	assert_int_equal(through_filter(sv[0], sv[1], buf, 100), 60);
	/* Gratuitous request kept; ordinary request and probe dropped. */
	n = frame(buf, 1, MAC_THEM, IP_THEM, zero, IP_THEM);
	assert_int_equal(through_filter(sv[0], sv[1], buf, n), 42);
	n = frame(buf, 1, MAC_THEM, IP_THEM, zero, IP_US);
	assert_int_equal(through_filter(sv[0], sv[1], buf, n), -1);
	n = frame(buf, 1, MAC_THEM, zero, zero, IP_THEM);
	assert_int_equal(through_filter(sv[0], sv[1], buf, n), -1);
	/* Not ARP, not Ethernet/IPv4, wrong lengths, truncated: dropped. */
	n = reply(buf);
	buf[13] = 0x00;
	assert_int_equal(through_filter(sv[0], sv[1], buf, n), -1);
	n = reply(buf);
	buf[17] = 0xdd;
	assert_int_equal(through_filter(sv[0], sv[1], buf, n), -1);
	n = reply(buf);
	buf[18] = 8;
	assert_int_equal(through_filter(sv[0], sv[1], buf, n), -1);
	n = reply(buf);
	buf[21] = 3;
	assert_int_equal(through_filter(sv[0], sv[1], buf, n), -1);
	n = reply(buf);
	assert_int_equal(through_filter(sv[0], sv[1], buf, 21), -1);
	/* A truncated gratuitous request: the loads beyond the end drop it. */
	n = frame(buf, 1, MAC_THEM, IP_THEM, zero, IP_THEM);
	assert_int_equal(through_filter(sv[0], sv[1], buf, 40), -1);
	close(sv[0]);
	close(sv[1]);
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
	struct vd_loop *l;
	struct vd_probes out = { 0 };
	struct vd_ip t[2], v6;
	int lo = (int)if_nametoindex("lo"), fds, r;

	(void)state;
	assert_int_equal(vd_ip_parse("127.0.0.1", &t[0]), 0);
	assert_int_equal(vd_ip_parse("127.0.0.2", &t[1]), 0);
	assert_int_equal(vd_ip_parse("::1", &v6), 0);
	assert_int_equal(vd_loop_new(&l), 0);
	fds = count_fds();

	assert_int_equal(vd_probe_arp_start(l, 0, t, 2, NULL, &out), -EINVAL);
	assert_int_equal(vd_probe_arp_start(l, lo, NULL, 2, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_arp_start(NULL, lo, t, 2, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_arp_start(l, lo, t, 2, NULL, NULL), -EINVAL);
	assert_int_equal(vd_probe_arp_start(l, lo, &v6, 1, NULL, &out),
			 -EAFNOSUPPORT);
	/* Nothing to ask: nothing started, nothing appended. */
	assert_int_equal(vd_probe_arp_start(l, lo, t, 0, NULL, &out), 0);

	/* Loopback has no ARP; without CAP_NET_RAW the socket is refused. */
	r = vd_probe_arp_start(l, lo, t, 2, NULL, &out);
	if (r == -EPERM)
		print_message("# no CAP_NET_RAW: AF_PACKET refused, as it "
			      "should be\n");
	else
		assert_int_equal(r, -EOPNOTSUPP);
	/* An interface that does not exist. */
	r = vd_probe_arp_start(l, 0x7ffffff0, t, 2, NULL, &out);
	assert_true(r == -ENODEV || r == -EPERM);

	/* Every failure gave back what it had opened. */
	assert_int_equal(count_fds(), fds);
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(out.n_arps, 0);
	vd_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_request),
		cmocka_unit_test(test_parse_reply),
		cmocka_unit_test(test_parse_gratuitous),
		cmocka_unit_test(test_parse_wrong),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_start_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
