/* SPDX-License-Identifier: MIT */
/* Unit tests of the etc/vmware/networking parser, on real sample files. */
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

#ifndef VD_SRCDIR
#error "VD_SRCDIR must name the source tree (set by tests/unit/meson.build)"
#endif
#define FIXTURES VD_SRCDIR "/tests/fixtures/vmware/"

#define B(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

static uint8_t *slurp(const char *name, size_t *len)
{
	char path[1024];
	FILE *fp;
	uint8_t *buf;
	long n;

	snprintf(path, sizeof(path), "%s%s", FIXTURES, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void vmware_clear(struct vd_vmware *v)
{
	vd_vmware_free(v);
}

static const char *ipstr(const struct vd_ip *ip)
{
	static char buf[VD_IPSTR_MAX];

	return vd_ip_str(ip, buf, sizeof(buf));
}

static const struct vd_vnet *vnet(const struct vd_vmware *v, int num)
{
	for (size_t i = 0; i < v->n_vnets; i++)
		if (v->vnets[i].num == num)
			return &v->vnets[i];
	return NULL;
}

static int parse(const uint8_t *buf, size_t len, struct vd_vmware *v)
{
	char err[256] = "";
	int rc = vd_parse_vmware_networking(buf, len, "/etc/vmware/networking",
					    v, err, sizeof(err));

	if (rc == 0)
		assert_string_equal(err, "");
	return rc;
}

/* Checks shared by the real Linux sample and its CRLF twin. */
static void check_linux_sample(const struct vd_vmware *v)
{
	const struct vd_vnet *n;

	assert_int_equal(v->present, VD_YES);
	assert_string_equal(v->networking_file, "/etc/vmware/networking");
	assert_int_equal(v->n_vnets, 3);
	assert_int_equal(v->vnets[0].num, 0);
	assert_int_equal(v->vnets[1].num, 1);
	assert_int_equal(v->vnets[2].num, 8);

	n = vnet(v, 0);
	assert_string_equal(n->name, "vmnet0");
	assert_int_equal(n->mode, VD_VNET_BRIDGED);
	assert_int_equal(n->dhcp, VD_NO);
	assert_int_equal(n->nat, VD_NO);
	assert_int_equal(n->virtual_adapter, VD_NO);
	assert_int_equal(n->subnet.family, VD_AF_NONE);
	assert_int_equal(n->prefixlen, -1);
	assert_int_equal(n->line, 2);

	n = vnet(v, 1);
	assert_string_equal(n->name, "vmnet1");
	assert_int_equal(n->mode, VD_VNET_HOSTONLY);
	assert_int_equal(n->dhcp, VD_YES);
	assert_int_equal(n->nat, VD_UNKNOWN);
	assert_int_equal(n->virtual_adapter, VD_YES);
	assert_string_equal(ipstr(&n->subnet), "172.16.78.0");
	assert_string_equal(ipstr(&n->netmask), "255.255.255.0");
	assert_int_equal(n->prefixlen, 24);
	assert_int_equal(n->line, 6);

	n = vnet(v, 8);
	assert_string_equal(n->name, "vmnet8");
	assert_int_equal(n->mode, VD_VNET_NAT);
	assert_int_equal(n->nat, VD_YES);
	assert_string_equal(ipstr(&n->subnet), "192.168.135.0");
	assert_int_equal(n->prefixlen, 24);
	assert_int_equal(n->line, 11);
}

static void test_linux_sample(void **state)
{
	struct vd_vmware v = { .present = VD_UNKNOWN,
			       .module_files_known = VD_UNKNOWN };
	size_t len;
	uint8_t *buf = slurp("linux-networking", &len);

	(void)state;
	assert_int_equal(parse(buf, len, &v), 0);
	check_linux_sample(&v);
	/* parsing again replaces, never appends */
	assert_int_equal(parse(buf, len, &v), 0);
	check_linux_sample(&v);
	vmware_clear(&v);
	free(buf);
}

static void test_crlf(void **state)
{
	struct vd_vmware v = { .present = VD_UNKNOWN,
			       .module_files_known = VD_UNKNOWN };
	size_t len, n = 0;
	uint8_t *buf = slurp("linux-networking", &len);
	uint8_t *crlf = malloc(2 * len);

	(void)state;
	assert_non_null(crlf);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = buf[i];
	}
	assert_int_equal(parse(crlf, n, &v), 0);
	check_linux_sample(&v);
	vmware_clear(&v);
	free(crlf);
	free(buf);
}

static void test_bak_and_packer(void **state)
{
	struct vd_vmware v = { .present = VD_UNKNOWN,
			       .module_files_known = VD_UNKNOWN };
	const struct vd_vnet *n;
	size_t len;
	uint8_t *buf = slurp("linux-networking.bak.0", &len);

	(void)state;
	assert_int_equal(parse(buf, len, &v), 0);
	assert_int_equal(v.n_vnets, 2);
	assert_int_equal(vnet(&v, 1)->mode, VD_VNET_HOSTONLY);
	assert_int_equal(vnet(&v, 8)->mode, VD_VNET_NAT);
	assert_null(vnet(&v, 0));
	free(buf);

	/* port forwards are accepted (and not modelled yet) */
	buf = slurp("packer-networking-example", &len);
	assert_int_equal(parse(buf, len, &v), 0);
	assert_int_equal(v.n_vnets, 2);
	n = vnet(&v, 1);
	assert_int_equal(n->mode, VD_VNET_HOSTONLY);
	assert_int_equal(n->nat, VD_NO);
	assert_string_equal(ipstr(&n->subnet), "192.168.70.0");
	n = vnet(&v, 8);
	assert_int_equal(n->mode, VD_VNET_NAT);
	assert_string_equal(ipstr(&n->subnet), "172.16.41.0");
	free(buf);
	vmware_clear(&v);
}

static void test_case_comments_whitespace(void **state)
{
	struct vd_vmware v = { .present = VD_UNKNOWN,
			       .module_files_known = VD_UNKNOWN };
	const struct vd_vnet *n;

	(void)state;
	assert_int_equal(
		parse(B("# written by hand\n"
			"\n"
			"version=1,0\n"
			"   # indented comment\n"
			"ANSWER   vnet_2_hostonly_subnet\t10.2.0.0  \n"
			"Answer VNET_2_HOSTONLY_NETMASK 255.255.0.0\n"
			"answer VNET_2_DHCP YES\n"
			"answer VNET_2_DISPLAY_NAME \n"
			"answer VNET_2_UNKNOWN_KEY whatever it says\n"
			"answer VNL_DEFAULT_BRIDGE_VNET -1\n"
			"answer VNET_256_NAT yes\n"
			"answer VNET_1000000000000_NAT yes\n"
			"answer VNET_x_NAT yes\n"
			"answer VNET_3_\n"
			"answer VNET_3\n"
			"answer\n"
			"frobnicate VNET_4_NAT yes\n"
			"answer VNET_005_DHCP maybe\n"
			"add_bridge_mapping eth0 6\n"
			"add_bridge_mapping eth1 -1\n"
			"add_bridge_mapping eth2 300\n"
			"add_bridge_mapping\n"
			"add_dhcp_mac_to_ip 2 00:0c:29:aa:bb:cc 10.2.0.10\n"
			"remove_nat_portfwd 8 tcp 2222 172.16.41.129 22\n"
			"answer VNET_7_HOSTONLY_NETMASK 255.0.255.0\n"
			"answer VNET_7_HOSTONLY_SUBNET not-an-ip"),
		      &v),
		0);
	assert_int_equal(v.n_vnets, 4);
	n = vnet(&v, 2);
	assert_non_null(n);
	assert_int_equal(n->mode, VD_VNET_HOSTONLY);
	assert_int_equal(n->dhcp, VD_YES);
	assert_string_equal(ipstr(&n->subnet), "10.2.0.0");
	assert_int_equal(n->prefixlen, 16);
	assert_int_equal(n->line, 5);
	n = vnet(&v, 5);
	assert_non_null(n);
	assert_int_equal(n->dhcp, VD_UNKNOWN);
	assert_int_equal(n->mode, VD_VNET_UNKNOWN);
	n = vnet(&v, 6);
	assert_non_null(n);
	assert_int_equal(n->mode, VD_VNET_BRIDGED);
	assert_int_equal(n->line, 19);
	/* a host-only net with a bad subnet keeps its mode, not its subnet */
	n = vnet(&v, 7);
	assert_non_null(n);
	assert_int_equal(n->mode, VD_VNET_HOSTONLY);
	assert_int_equal(n->subnet.family, VD_AF_NONE);
	assert_int_equal(n->netmask.family, VD_AF_INET);
	assert_int_equal(n->prefixlen, -1); /* not contiguous */
	assert_null(vnet(&v, 3));
	assert_null(vnet(&v, 4));
	/* sorted by number */
	for (size_t i = 1; i < v.n_vnets; i++)
		assert_true(v.vnets[i - 1].num < v.vnets[i].num);
	vmware_clear(&v);
}

static void test_remove_answer(void **state)
{
	struct vd_vmware v = { .present = VD_UNKNOWN,
			       .module_files_known = VD_UNKNOWN };
	const struct vd_vnet *n;

	(void)state;
	assert_int_equal(
		parse(B("VERSION=1,0\n"
			"answer VNET_8_NAT yes\n"
			"answer VNET_8_HOSTONLY_SUBNET 192.168.8.0\n"
			"answer VNET_8_HOSTONLY_NETMASK 255.255.255.0\n"
			"remove_answer VNET_8_NAT\n"
			"remove_answer vnet_8_hostonly_netmask\n"
			"remove_answer VNET_9_NAT\n"
			"answer VNET_10_HOSTONLY_SUBNET 10.10.0.0\n"
			"remove_answer VNET_10_HOSTONLY_SUBNET\n"
			"add_bridge_mapping en0 10\n"),
		      &v),
		0);
	assert_int_equal(v.n_vnets, 2);
	n = vnet(&v, 8);
	assert_int_equal(n->nat, VD_UNKNOWN);
	assert_int_equal(n->mode, VD_VNET_HOSTONLY);
	assert_int_equal(n->netmask.family, VD_AF_NONE);
	assert_int_equal(n->prefixlen, -1);
	assert_null(vnet(&v, 9)); /* removing never creates */
	n = vnet(&v, 10);
	assert_int_equal(n->mode, VD_VNET_BRIDGED);
	assert_int_equal(n->subnet.family, VD_AF_NONE);
	assert_int_equal(n->line, 8);
	vmware_clear(&v);
}

static void test_empty_and_comments_only(void **state)
{
	struct vd_vmware v = { .present = VD_UNKNOWN,
			       .module_files_known = VD_UNKNOWN };

	(void)state;
	assert_int_equal(parse(NULL, 0, &v), 0);
	assert_int_equal(v.present, VD_YES);
	assert_int_equal(v.n_vnets, 0);
	assert_int_equal(parse(B("\n# nothing\r\n\r\n   \n"), &v), 0);
	assert_int_equal(v.n_vnets, 0);
	vmware_clear(&v);
}

static void test_not_this_format(void **state)
{
	struct vd_vmware v = { .present = VD_UNKNOWN,
			       .module_files_known = VD_UNKNOWN };
	char err[128] = "";
	static const uint8_t nul[] = "VERSION=1,0\nanswer VNET_1_DHCP yes\0\n";

	(void)state;
	/* a previous result survives a failure */
	assert_int_equal(parse(B("answer VNET_1_NAT yes\n"), &v), 0);
	assert_int_equal(v.n_vnets, 1);

	assert_int_equal(vd_parse_vmware_networking(nul, sizeof(nul) - 1, "f",
						    &v, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "NUL byte at offset 34"));
	assert_int_equal(v.n_vnets, 1);
	assert_int_equal(vnet(&v, 1)->mode, VD_VNET_NAT);

	err[0] = '\0';
	assert_int_equal(vd_parse_vmware_networking(
				 B("[Unit]\nDescription=not it\n# c\n"), "f",
				 &v, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "2 lines"));
	assert_string_equal(v.networking_file, "/etc/vmware/networking");

	/* err may be absent */
	assert_int_equal(vd_parse_vmware_networking(B("\x7f"
						      "ELF\x02\x01"),
						    "f", &v, NULL, 0),
			 -EINVAL);
	assert_int_equal(v.n_vnets, 1);
	vmware_clear(&v);
}

static void test_truncated_samples(void **state)
{
	static const char *const names[] = { "linux-networking",
					     "packer-networking-example" };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		size_t len;
		uint8_t *buf = slurp(names[k], &len);

		for (size_t n = 0; n <= len; n++) {
			struct vd_vmware v = { .present = VD_UNKNOWN,
					       .module_files_known =
						       VD_UNKNOWN };
			/* exact-size copy so that ASan sees overreads */
			uint8_t *cut = malloc(n ? n : 1);

			assert_non_null(cut);
			memcpy(cut, buf, n);
			/* "VERS" alone is not recognisable; "VERSION=" is */
			if (n < strlen("VERSION=")) {
				assert_int_equal(parse(cut, n, &v),
						 n ? -EINVAL : 0);
				vmware_clear(&v);
				free(cut);
				continue;
			}
			assert_int_equal(parse(cut, n, &v), 0);
			for (size_t i = 0; i < v.n_vnets; i++)
				assert_true(v.vnets[i].num == 0 ||
					    v.vnets[i].num == 1 ||
					    v.vnets[i].num == 8);
			vmware_clear(&v);
			free(cut);
		}
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_sample),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_bak_and_packer),
		cmocka_unit_test(test_case_comments_whitespace),
		cmocka_unit_test(test_remove_answer),
		cmocka_unit_test(test_empty_and_comments_only),
		cmocka_unit_test(test_not_this_format),
		cmocka_unit_test(test_truncated_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
