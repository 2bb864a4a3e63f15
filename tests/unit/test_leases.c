/* SPDX-License-Identifier: MIT */
/* Unit tests of the dhcpd.leases / bootpd dhcpd_leases parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"
#include "util/ip.h"
#include "vmware_fixture.h"

/* The parser with a vnet, checked (vmware_fixture.h). */
static int parse_file(const uint8_t *buf, size_t len, const char *file,
		      int vnet, struct vd_vmware *v)
{
	return checked_vnet_parse(vd_parse_vmware_leases, buf, len, file, vnet,
				  v);
}

static int parse_vnet(const uint8_t *buf, size_t len, int vnet,
		      struct vd_vmware *v)
{
	return parse_file(buf, len, "dhcpd.leases", vnet, v);
}

/* As check_all_or_nothing() calls a parser. */
static int parse_any(const uint8_t *buf, size_t len, const char *file,
		     struct vd_vmware *v, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return parse_file(buf, len, file, -1, v);
}

static int parse(const uint8_t *buf, size_t len, struct vd_vmware *v)
{
	return parse_vnet(buf, len, -1, v);
}

static void assert_lease(const struct vd_lease *l, int vnet, const char *ip,
			 const char *mac, const char *host, int64_t starts,
			 int64_t ends, unsigned line)
{
	char a[VD_IPSTR_MAX], m[VD_MACSTR_MAX];

	assert_int_equal(l->vnet, vnet);
	assert_string_equal(vd_ip_str(&l->ip, a, sizeof(a)), ip);
	if (mac) {
		assert_true(l->has_mac);
		assert_string_equal(vd_mac_str(l->mac, 6, m, sizeof(m)), mac);
	} else {
		assert_false(l->has_mac);
	}
	assert_string_equal(l->hostname, host);
	assert_int_equal(l->starts, starts);
	assert_int_equal(l->ends, ends);
	assert_int_equal(l->src.line, line);
	assert_int_equal(l->src.file, 0);
}

static void check_linux(const struct vd_vmware *v, int vnet)
{
	assert_int_equal(v->n_leases, 3);
	assert_lease(&v->leases[0], vnet, "192.168.135.130",
		     "00:0c:29:fc:e1:10", "DESKTOP-35TICJG", 1451659133,
		     1451660933, 8);
	assert_lease(&v->leases[1], vnet, "192.168.135.129",
		     "00:0c:29:54:2a:9b", "Y481CdeMac", 1451229778, 1451236978,
		     15);
	assert_lease(&v->leases[2], vnet, "192.168.135.128",
		     "00:0c:29:bf:dc:17", "Y481CdeMac", 1451203387, 1451205187,
		     22);
}

static void check_packer(const struct vd_vmware *v, int vnet)
{
	/* duplicate addresses: every entry, in file order */
	assert_int_equal(v->n_leases, 4);
	assert_lease(&v->leases[0], vnet, "127.0.0.17", "0d:ea:d0:66:77:88", "",
		     1589371237, 1589373037, 2);
	assert_lease(&v->leases[1], vnet, "127.0.0.17", "0d:ea:d0:66:77:88", "",
		     1592000934, 1592002734, 10);
	assert_lease(&v->leases[2], vnet, "127.0.0.19", "0d:ea:d0:66:77:88",
		     "VAGRANT-ADA-LUZ", 1590665706, 1590667506, 18);
	assert_lease(&v->leases[3], vnet, "127.0.0.19", "0d:ea:d0:99:aa:bb",
		     "WINDOWS-SQABBAS", 1597955523, 1597957323, 26);
}

static void check_apple(const struct vd_vmware *v, int vnet)
{
	assert_int_equal(v->n_leases, 5);
	assert_lease(&v->leases[0], vnet, "127.0.0.17", "0d:ea:d0:66:77:88",
		     "vagrant-2019", 0, 0x5fd78ae2, 3);
	assert_lease(&v->leases[1], vnet, "127.0.0.17", "0d:ea:d0:66:77:88",
		     "vagrant-2019", 0, 0x5fd7b4e5, 12);
	assert_lease(&v->leases[2], vnet, "127.0.0.19", "0d:ea:d0:66:77:88",
		     "vagrant-2019", 0, 0x5fd72edc, 21);
	assert_lease(&v->leases[3], vnet, "127.0.0.19", "0d:ea:d0:99:aa:bb",
		     "vagrant-2019", 0, 0x5fd72edc, 28);
	/* no name, no lease time */
	assert_lease(&v->leases[4], vnet, "127.0.0.20", "0d:ea:d0:99:aa:bc", "",
		     0, 0, 37);
}

static void test_samples(void **state)
{
	static const struct {
		const char *name;
		void (*check)(const struct vd_vmware *v, int vnet);
	} samples[] = {
		{ "linux-vmnet8-dhcpd.leases", check_linux },
		{ "packer-dhcpd-example.leases", check_packer },
		{ "apple-dhcpd.leases", check_apple },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t len, clen;
		uint8_t *buf = fixture(samples[i].name, &len);
		uint8_t *crlf = crlf_twin(buf, len, &clen);
		struct vd_vmware v;

		for (int k = 0; k < 4; k++) {
			int vnet = k & 2 ? 8 : -1;

			vd_vmware_init(&v);
			assert_int_equal(parse_vnet(k & 1 ? crlf : buf,
						    k & 1 ? clen : len, vnet,
						    &v),
					 0);
			samples[i].check(&v, vnet);
			assert_int_equal(v.n_kvs, 0);
			vd_vmware_free(&v);
		}
		free(crlf);
		free(buf);
	}
}

static void test_isc_statements(void **state)
{
	struct vd_vmware v;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(
		parse(B("# The format of this file is documented in the "
			"dhcpd.leases(5) manual page.\n"
			"authoring-byte-order little-endian;\n"
			"server-duid \"\\000\\001;{\";\n"
			"failover peer \"x\" state {\n"
			"  my state normal at 1 2020/01/01 00:00:00;\n"
			"  lease 10.0.0.99 { }\n"
			"}\n"
			"lease 10.0.0.5 {\n"
			"  starts epoch 1700000000; # Tue Nov 14 22:13:20 "
			"2023\n"
			"  ends never;\n"
			"  tstp 4 2023/11/14 22:13:20;\n"
			"  cltt 4 2023/11/14 22:13:20;\n"
			"  binding state active;\n"
			"  next binding state free;\n"
			"  rewind binding state free;\n"
			"  hardware ethernet 00:0C:29:AA:BB:CC;\n"
			"  uid \"\\001\\000\\014)\\252\\273\\314\";\n"
			"  set vendor-class-identifier = \"MSFT 5.0; }\";\n"
			"  on expiry { set x = \"}\"; if y { log(\"{\"); } }\n"
			"  client-hostname \"win;#{}\";\n"
			"  abandoned;\n"
			"}\n"
			"host dyn { dynamic; hardware ethernet 1:2:3:4:5:6; }\n"
			"lease fe80::1 { starts 4 2023/11/14 22:13:20; }\n"
			"lease 10.0.0.6 10.0.0.7 { }\n"
			"lease \"10.0.0.8\" { }\n"
			"lease 10.0.0.9 {\n"
			"\tstarts 1 2016/02/29 12:00:00;\tends 6 9999/12/31 "
			"23:59:59;\n"
			"\thardware ethernet 00:0c:29:aa:bb:cc;\n"
			"\thardware ethernet bogus;\n"
			"\tclient-hostname unquoted;\n"
			"}\n"),
		      &v),
		0);
	assert_int_equal(v.n_leases, 2);
	assert_lease(&v.leases[0], -1, "10.0.0.5", "00:0c:29:aa:bb:cc",
		     "win;#{}", 1700000000, INT64_MAX, 8);
	/* a later hardware statement that does not parse clears the MAC */
	assert_lease(&v.leases[1], -1, "10.0.0.9", NULL, "unquoted", 1456747200,
		     253402300799LL, 27);
	vd_vmware_free(&v);
}

static void test_times(void **state)
{
	static const struct {
		const char *when;
		int64_t t;
	} cases[] = {
		{ "4 1970/01/01 00:00:00", 0 },
		{ "5 1970/01/02 00:00:01", 86401 },
		{ "2 2000/02/29 23:59:59", 951868799 },
		{ "3 2038/01/19 03:14:08", 2147483648LL },
		{ "0 2100/03/01 00:00:00", 4107542400LL },
		{ "6 2016/12/31 23:59:60", 1483228800 }, /* a leap second */
		{ "1 2016/02/30 00:00:00", 0 },
		{ "1 2100/02/29 00:00:00", 0 },
		{ "1 1900/02/28 00:00:00", 0 },
		{ "1 1969/12/31 23:59:59", 0 },
		{ "1 2016/13/01 00:00:00", 0 },
		{ "1 2016/00/01 00:00:00", 0 },
		{ "1 2016/01/00 00:00:00", 0 },
		{ "1 2016/01/01 24:00:00", 0 },
		{ "1 2016/01/01 23:60:00", 0 },
		{ "1 2016/01/01 23:59:61", 0 },
		{ "7 2016/01/01 00:00:00", 0 },
		{ "1 99999/01/01 00:00:00", 0 },
		{ "1 2016/01/01/01 00:00:00", 0 },
		{ "1 2016/01 00:00:00", 0 },
		{ "1 2016/01/01 00:00", 0 },
		{ "1 2016/-1/01 00:00:00", 0 },
		{ "1 2016/01/01", 0 },
		{ "1 2016/01/01 00:00:00 extra", 0 },
		{ "epoch 99999999999999999999999999", 0 },
		{ "epoch 9223372036854775807", INT64_MAX },
		{ "never ever", 0 },
		{ "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		struct vd_vmware v;

		snprintf(text, sizeof(text),
			 "lease 10.0.0.1 {\n  starts %s;\n}\n", cases[i].when);
		vd_vmware_init(&v);
		assert_int_equal(parse((uint8_t *)text, strlen(text), &v), 0);
		assert_int_equal(v.n_leases, 1);
		if (v.leases[0].starts != cases[i].t)
			fail_msg("%s: %lld", cases[i].when,
				 (long long)v.leases[0].starts);
		vd_vmware_free(&v);
	}
}

static void test_isc_truncated(void **state)
{
	size_t len;
	uint8_t *buf = fixture("linux-vmnet8-dhcpd.leases", &len);
	size_t first = 0;

	(void)state;
	/* the first lease statement ("please " is in the comments) */
	while (first + 7 < len && memcmp(buf + first, "\nlease ", 7))
		first++;
	first++;
	for (size_t n = 0; n <= len; n++) {
		struct vd_vmware v;
		uint8_t *cut = malloc(n ? n : 1);
		int rc;

		assert_non_null(cut);
		memcpy(cut, buf, n);
		vd_vmware_init(&v);
		rc = parse(cut, n, &v);
		if (n > first + 5)
			assert_int_equal(rc, 0);
		else
			assert_true(rc == 0 || rc == -EINVAL);
		assert_true(v.n_leases <= 3);
		/* a lease cut inside its block is kept with what it has */
		if (n == first + 30) {
			assert_int_equal(v.n_leases, 1);
			assert_int_equal(v.leases[0].src.line, 8);
		}
		vd_vmware_free(&v);
		free(cut);
	}
	free(buf);
}

static void test_bootpd(void **state)
{
	struct vd_vmware v;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(parse_vnet(B("# comment first\n"
				      "\n"
				      "{\n"
				      "\tname=My Mac Book\n"
				      "\tip_address=192.168.2.20\n"
				      "\thw_address=1,0:50:56:2b:c:d\n"
				      "\tlease=0X5FD78AE2\n"
				      "\tjunk line\n"
				      "}\n"
				      "outside=ignored\n"
				      "{\n"
				      "\tip_address=192.168.2.21\n"
				      "\thw_address=6,0:50:56:2b:c:e\n"
				      "\tlease=0x10000000000000000\n"
				      "{\n"
				      "\tip_address=not-an-ip\n"
				      "\tname=lost\n"
				      "}\n"
				      "{\n"
				      "\tname=no address\n"
				      "}\n"
				      "{\n"
				      "  ip_address = 192.168.2.22 \n"
				      "  lease=12345\n"
				      "  hw_address=0:50:56:2b:c:f\n"
				      "  ip_address=192.168.2.23\n"),
				    2, &v),
			 0);
	assert_int_equal(v.n_leases, 3);
	assert_lease(&v.leases[0], 2, "192.168.2.20", "00:50:56:2b:0c:0d",
		     "My Mac Book", 0, 0x5fd78ae2, 5);
	/* not Ethernet: no MAC; a lease past 63 bits: unknown; a new '{'
	 * ends the entry before it */
	assert_lease(&v.leases[1], 2, "192.168.2.21", NULL, "", 0, 0, 12);
	/* cut at the end: kept; the later address wins */
	assert_lease(&v.leases[2], 2, "192.168.2.23", "00:50:56:2b:0c:0f", "",
		     0, 0, 26);
	vd_vmware_free(&v);
}

static void test_not_this_format(void **state)
{
	struct vd_vmware v;
	char err[128] = "";
	size_t len;
	uint8_t *buf = fixture("linux-vmnet8-dhcpd.leases", &len);
	static const uint8_t nul[] = "lease 10.0.0.1 {\n\tstarts \0;\n}\n";

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(parse(buf, len, &v), 0);
	assert_int_equal(vd_parse_vmware_leases(nul, sizeof(nul) - 1, "f", -1,
						&v, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err,
			    "not a DHCP leases file: binary data at line 2");
	assert_int_equal(parse(B("\x7f"
				 "ELF\x02\x01\x01"),
			       &v),
			 -EINVAL);
	assert_int_equal(vd_parse_vmware_leases(B("hello world\n"), "f", -1, &v,
						err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a DHCP leases file: no lease and no "
				 "statement of the format");
	/* JSON starts with '{' too */
	assert_int_equal(parse(B("{\"ip_address\": \"10.0.0.1\"}\n"), &v),
			 -EINVAL);
	assert_int_equal(parse(B("{\n}\n"), &v), -EINVAL);
	assert_int_equal(vd_parse_vmware_leases(B("\0"), "f", -1, &v, NULL, 0),
			 -EINVAL);
	check_linux(&v, -1);
	vd_vmware_free(&v);

	/* nothing but comments: no lease, not an error */
	assert_int_equal(parse(NULL, 0, &v), 0);
	assert_int_equal(parse(B("# c\r\n\r\n"), &v), 0);
	assert_int_equal(v.n_leases, 0);
	vd_vmware_free(&v);
	free(buf);
}

static void test_limits(void **state)
{
	struct vd_vmware v;
	size_t n = 100001, len = 0, cap = n * 24 + 64;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	vd_vmware_init(&v);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"lease 10.%zu.%zu.%zu {}\n",
					i >> 16 & 255, i >> 8 & 255, i & 255);
	assert_int_equal(parse(B("lease 10.0.0.1 { }"), &v), 0);
	assert_int_equal(parse((uint8_t *)text, len, &v), -EINVAL);
	assert_int_equal(v.n_leases, 1);
	assert_int_equal(parse((uint8_t *)text,
			       len - strlen("lease 10.1.134.160 {}\n"), &v),
			 0);
	assert_int_equal(v.n_leases, 100001);
	vd_vmware_free(&v);
	free(text);
}

/* Every allocation that fails gives -ENOMEM and the model as it was. */
static void test_all_or_nothing(void **state)
{
	size_t len;
	uint8_t *buf = fixture("packer-dhcpd-example.leases", &len);
	long allocs;

	(void)state;
	/* a prior file without leases: the array grows in the parse */
	allocs = check_all_or_nothing(parse_any, buf, len, B("# none\n"));
	free(buf);
	if (allocs < 0)
		skip();
	assert_true(allocs >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_isc_statements),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_isc_truncated),
		cmocka_unit_test(test_bootpd),
		cmocka_unit_test(test_not_this_format),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_all_or_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
