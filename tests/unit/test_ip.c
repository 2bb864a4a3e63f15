/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "util/ip.h"

static void test_parse_format(void **state)
{
	struct vd_ip ip;
	uint8_t len;
	char buf[VD_IPSTR_MAX];

	(void)state;
	assert_int_equal(vd_ip_parse("192.168.159.1", &ip), 0);
	assert_int_equal(ip.family, VD_AF_INET);
	assert_string_equal(vd_ip_str(&ip, buf, sizeof(buf)), "192.168.159.1");
	assert_int_equal(vd_ip_parse("fe80::1", &ip), 0);
	assert_int_equal(ip.family, VD_AF_INET6);
	assert_int_equal(vd_ip_parse("192.168.159", &ip), -22);
	assert_int_equal(vd_ip_parse("", &ip), -22);
	assert_int_equal(vd_prefix_parse("10.0.0.0/8", &ip, &len), 0);
	assert_int_equal(len, 8);
	assert_int_equal(vd_prefix_parse("10.0.0.1", &ip, &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(vd_prefix_parse("10.0.0.0/33", &ip, &len), -22);
	assert_int_equal(vd_prefix_parse("10.0.0.0/", &ip, &len), -22);
	assert_int_equal(vd_prefix_parse("/8", &ip, &len), -22);
	vd_ip_parse("0.0.0.0", &ip);
	assert_string_equal(vd_prefix_str(&ip, 0, buf, sizeof(buf)), "default");
	vd_ip_parse("10.1.0.0", &ip);
	assert_string_equal(vd_prefix_str(&ip, 16, buf, sizeof(buf)),
			    "10.1.0.0/16");
}

static void test_prefixes(void **state)
{
	struct vd_ip a, b, n;

	(void)state;
	vd_ip_parse("192.168.0.0", &a);
	vd_ip_parse("192.168.159.77", &b);
	assert_true(vd_prefix_contains(&a, 16, &b));
	assert_false(vd_prefix_contains(&a, 24, &b));
	assert_true(vd_prefix_contains(&a, 0, &b));
	assert_true(vd_prefix_overlap(&a, 16, &b, 24));
	assert_true(vd_prefix_overlap(&b, 24, &a, 16));
	vd_ip_parse("192.169.0.0", &b);
	assert_false(vd_prefix_overlap(&a, 16, &b, 16));
	vd_ip_parse("192.168.159.77", &b);
	vd_prefix_mask(&b, 25);
	assert_int_equal(b.b[3], 0);
	vd_prefix_mask(&b, 17);
	assert_int_equal(b.b[2], 128);
	vd_ip_parse("192.168.159.0", &a);
	assert_int_equal(vd_prefix_nth(&a, 24, 254, &n), 0);
	assert_int_equal(n.b[3], 254);
	assert_int_equal(vd_prefix_nth(&a, 24, 256, &n), -34);
	assert_int_equal(vd_prefix_nth(&a, 30, 3, &n), 0);
	assert_int_equal(vd_prefix_nth(&a, 0, 5, &n), 0);
	assert_int_equal(n.b[3], 5);
}

static void test_masks_macs(void **state)
{
	struct vd_ip m;
	uint8_t mac[VD_MAC_MAX];
	char buf[VD_MACSTR_MAX];

	(void)state;
	vd_ip_parse("255.255.255.0", &m);
	assert_int_equal(vd_netmask_len(&m), 24);
	vd_ip_parse("255.255.0.255", &m);
	assert_int_equal(vd_netmask_len(&m), -1);
	vd_ip_parse("0.0.0.0", &m);
	assert_int_equal(vd_netmask_len(&m), 0);
	vd_netmask_from_len(20, &m);
	assert_int_equal(vd_netmask_len(&m), 20);
	assert_int_equal(vd_mac_parse("00:50:56:C0:00:08", mac, sizeof(mac)),
			 6);
	assert_string_equal(vd_mac_str(mac, 6, buf, sizeof(buf)),
			    "00:50:56:c0:00:08");
	assert_int_equal(vd_mac_parse("d:ea:d0:0:1:2", mac, sizeof(mac)), 6);
	assert_int_equal(mac[0], 0x0d);
	assert_int_equal(vd_mac_parse("00:50:56:zz:00:08", mac, 6), -1);
	assert_int_equal(vd_mac_parse("00:50:56:00:00:08:", mac, 6), -1);
	assert_int_equal(vd_mac_parse("", mac, 6), -1);
	assert_int_equal(vd_mac_parse("00:11:22:33:44:55:66", mac, 6), -1);
	assert_string_equal(vd_mac_str(mac, 0, buf, sizeof(buf)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_masks_macs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
