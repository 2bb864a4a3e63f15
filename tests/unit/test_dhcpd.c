/* SPDX-License-Identifier: MIT */
/* Unit tests of the dhcpd.conf / vmnetdhcp.conf parser, on real samples. */
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

static const char *ipstr(const struct vd_ip *ip)
{
	static char buf[4][VD_IPSTR_MAX];
	static int k;

	k = (k + 1) % 4;
	return vd_ip_str(ip, buf[k], sizeof(buf[k]));
}

static const char *macstr(const uint8_t *mac)
{
	static char buf[VD_MACSTR_MAX];

	return vd_mac_str(mac, 6, buf, sizeof(buf));
}

/* The parser with a vnet, checked (vmware_fixture.h). */
static int parse_file(const uint8_t *buf, size_t len, const char *file,
		      int vnet, struct vd_vmware *v)
{
	return checked_vnet_parse(vd_parse_vmware_dhcpd, buf, len, file, vnet,
				  v);
}

static int parse_vnet(const uint8_t *buf, size_t len, int vnet,
		      struct vd_vmware *v)
{
	return parse_file(buf, len, "dhcpd.conf", vnet, v);
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

static void assert_kv(const struct vd_vmware *v, const char *section,
		      const char *key, const char *value, unsigned line)
{
	const struct vd_kv *k = kv_find(v, section, key);

	assert_non_null(k);
	assert_string_equal(k->value, value);
	assert_int_equal(k->src.line, line);
}

static void assert_subnet(const struct vd_dhcp_subnet *s, int vnet,
			  const char *net, const char *lo, const char *hi,
			  unsigned range_line, unsigned line)
{
	assert_int_equal(s->vnet, vnet);
	assert_string_equal(ipstr(&s->subnet), net);
	assert_string_equal(ipstr(&s->netmask), "255.255.255.0");
	assert_string_equal(ipstr(&s->range_lo), lo);
	assert_string_equal(ipstr(&s->range_hi), hi);
	assert_int_equal(s->range_line, range_line);
	assert_int_equal(s->src.line, line);
	assert_int_equal(s->src.file, 0);
}

static void assert_host(const struct vd_dhcp_host *h, int vnet,
			const char *name, const char *mac, const char *ip,
			unsigned line)
{
	assert_int_equal(h->vnet, vnet);
	assert_string_equal(h->name, name);
	assert_true(h->has_mac);
	assert_string_equal(macstr(h->mac), mac);
	assert_string_equal(ipstr(&h->ip), ip);
	assert_int_equal(h->src.line, line);
}

static void check_vmnet8(const struct vd_vmware *v)
{
	const struct vd_dhcp_subnet *s = &v->dhcp_subnets[0];

	assert_int_equal(v->n_dhcp_subnets, 1);
	assert_subnet(s, 8, "192.168.135.0", "192.168.135.128",
		      "192.168.135.254", 27, 26);
	assert_string_equal(ipstr(&s->router), "192.168.135.2");
	assert_int_equal(s->router_line, 34);
	assert_int_equal(s->n_dns, 1);
	assert_string_equal(ipstr(&s->dns[0]), "192.168.135.2");
	assert_int_equal(s->dns_line, 29);
	assert_int_equal(v->n_dhcp_hosts, 1);
	assert_host(&v->dhcp_hosts[0], 8, "vmnet8", "00:50:56:c0:00:08",
		    "192.168.135.1", 36);
	assert_int_equal(v->n_kvs, 8);
	assert_kv(v, "", "allow", "unknown-clients", 22);
	assert_kv(v, "", "default-lease-time", "1800", 23);
	assert_kv(v, "", "max-lease-time", "7200", 24);
	assert_kv(v, "subnet 192.168.135.0", "option broadcast-address",
		  "192.168.135.255", 28);
	assert_kv(v, "subnet 192.168.135.0", "option domain-name",
		  "localdomain", 30);
	assert_kv(v, "subnet 192.168.135.0", "default-lease-time", "1800", 31);
	assert_kv(v, "subnet 192.168.135.0", "max-lease-time", "7200", 32);
	assert_kv(v, "subnet 192.168.135.0", "option netbios-name-servers",
		  "192.168.135.2", 33);
	assert_null(kv_find(v, "", "syntax-error"));
}

static void check_vmnet1(const struct vd_vmware *v)
{
	const struct vd_dhcp_subnet *s = &v->dhcp_subnets[0];

	assert_int_equal(v->n_dhcp_subnets, 1);
	assert_subnet(s, 1, "172.16.78.0", "172.16.78.128", "172.16.78.254", 27,
		      26);
	/* host-only: no router */
	assert_int_equal(s->router.family, VD_AF_NONE);
	assert_int_equal(s->router_line, 0);
	assert_int_equal(s->n_dns, 1);
	assert_string_equal(ipstr(&s->dns[0]), "172.16.78.1");
	assert_int_equal(s->dns_line, 29);
	assert_int_equal(v->n_dhcp_hosts, 1);
	assert_host(&v->dhcp_hosts[0], 1, "vmnet1", "00:50:56:c0:00:01",
		    "172.16.78.1", 34);
	assert_int_equal(v->n_kvs, 7);
}

static void check_windows(const struct vd_vmware *v)
{
	const struct vd_dhcp_subnet *s;

	assert_int_equal(v->n_dhcp_subnets, 2);
	s = &v->dhcp_subnets[0];
	assert_subnet(s, 1, "192.168.153.0", "192.168.153.128",
		      "192.168.153.254", 20, 19);
	assert_int_equal(s->router.family, VD_AF_NONE);
	assert_int_equal(s->n_dns, 1);
	assert_string_equal(ipstr(&s->dns[0]), "192.168.153.1");
	assert_int_equal(s->dns_line, 22);
	s = &v->dhcp_subnets[1];
	assert_subnet(s, 8, "192.168.193.0", "192.168.193.127",
		      "192.168.193.254", 37, 36);
	assert_string_equal(ipstr(&s->router), "192.168.193.2");
	assert_int_equal(s->router_line, 42);
	assert_int_equal(s->n_dns, 1);
	assert_string_equal(ipstr(&s->dns[0]), "192.168.193.2");
	assert_int_equal(s->dns_line, 39);
	/* reservations reuse the name VMnet8: every one is kept */
	assert_int_equal(v->n_dhcp_hosts, 4);
	assert_host(&v->dhcp_hosts[0], 1, "VMnet1", "00:50:56:c0:00:01",
		    "192.168.153.1", 27);
	assert_host(&v->dhcp_hosts[1], 8, "VMnet8", "00:50:56:c0:00:08",
		    "192.168.193.1", 46);
	assert_host(&v->dhcp_hosts[2], 8, "VMnet8", "00:0c:29:1a:f1:ed",
		    "192.168.193.128", 56);
	assert_host(&v->dhcp_hosts[3], 8, "VMnet8", "00:0c:29:b4:9f:ae",
		    "192.168.193.129", 61);
	assert_int_equal(v->n_kvs, 12);
	/* quoted values are kept as written */
	assert_kv(v, "subnet 192.168.153.0", "option domain-name",
		  "\"localdomain\"", 23);
	assert_kv(v, "subnet 192.168.193.0", "max-lease-time", "7200", 44);
}

static void check_packer(const struct vd_vmware *v)
{
	const struct vd_dhcp_subnet *s = &v->dhcp_subnets[0];

	assert_int_equal(v->n_dhcp_subnets, 1);
	/* no path vnet, no segment comment: the host vmnet8 inside */
	assert_subnet(s, 8, "172.33.33.0", "172.33.33.128", "172.33.33.254", 6,
		      5);
	assert_string_equal(ipstr(&s->router), "172.33.33.2");
	assert_int_equal(s->router_line, 11);
	assert_int_equal(s->n_dns, 0);
	assert_int_equal(s->dns_line, 0);
	assert_int_equal(v->n_dhcp_hosts, 1);
	assert_host(&v->dhcp_hosts[0], 8, "vmnet8", "00:50:56:c0:00:08",
		    "172.33.33.1", 13);
	/* commented-out statements inside the blocks are not read */
	assert_int_equal(v->n_kvs, 6);
	assert_kv(v, "", "allow", "unknown-clients", 1);
	assert_kv(v, "subnet 172.33.33.0", "default-lease-time", "2400", 9);
	assert_kv(v, "subnet 172.33.33.0", "max-lease-time", "9600", 10);
	assert_null(kv_find(v, "", "syntax-error"));
}

/* Each sample, LF and CRLF, with the path's vnet and without. */
static void test_samples(void **state)
{
	static const struct {
		const char *name;
		int vnet;
		void (*check)(const struct vd_vmware *v);
	} samples[] = {
		{ "linux-vmnet8-dhcpd.conf", 8, check_vmnet8 },
		{ "linux-vmnet1-dhcpd.conf", 1, check_vmnet1 },
		{ "windows-vmnetdhcp.conf", -1, check_windows },
		{ "packer-dhcpd-example.conf", -1, check_packer },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t len, clen;
		uint8_t *buf = fixture(samples[i].name, &len);
		uint8_t *crlf = crlf_twin(buf, len, &clen);
		struct vd_vmware v;

		for (int k = 0; k < 4; k++) {
			vd_vmware_init(&v);
			assert_int_equal(
				parse_vnet(k & 1 ? crlf : buf,
					   k & 1 ? clen : len,
					   k & 2 ? samples[i].vnet : -1, &v),
				0);
			samples[i].check(&v);
			vd_vmware_free(&v);
		}
		free(crlf);
		free(buf);
	}
}

/* Without the segment comments the host VMnetN blocks name the vmnets;
 * with a vnet from the caller everything is that vnet. */
static void test_vnet_sources(void **state)
{
	size_t len;
	uint8_t *buf = fixture("windows-vmnetdhcp.conf", &len);
	struct vd_vmware v;

	(void)state;
	for (size_t i = 0; i + 24 < len; i++)
		if (!memcmp(buf + i, "Virtual ethernet segment", 24))
			memcpy(buf + i, "Virtual ethernet SEGMENX", 24);
	vd_vmware_init(&v);
	assert_int_equal(parse(buf, len, &v), 0);
	check_windows(&v);
	vd_vmware_free(&v);

	assert_int_equal(parse_vnet(buf, len, 3, &v), 0);
	for (size_t i = 0; i < v.n_dhcp_subnets; i++)
		assert_int_equal(v.dhcp_subnets[i].vnet, 3);
	for (size_t i = 0; i < v.n_dhcp_hosts; i++)
		assert_int_equal(v.dhcp_hosts[i].vnet, 3);
	vd_vmware_free(&v);
	free(buf);

	/* segment comments win over the host block; hosts outside every
	 * subnet go by their name, else -1 */
	assert_int_equal(
		parse(B("# Virtual ethernet segment 2\n"
			"subnet 10.2.0.0 netmask 255.255.0.0 { }\n"
			"host vmnet7 { fixed-address 10.2.0.1; }\n"
			"host vmnet5 { fixed-address 10.9.0.1; }\n"
			"host other { fixed-address 10.9.0.2; }\n"
			"host named { fixed-address gw.example.com; }\n"
			"host VMNET6 { fixed-address nothere.example.com; }\n"
			"# virtual ethernet segment   300\n"
			"subnet 10.3.0.0 netmask 255.255.0.0 { }\n"),
		      &v),
		0);
	assert_int_equal(v.n_dhcp_subnets, 2);
	assert_int_equal(v.dhcp_subnets[0].vnet, 2);
	assert_int_equal(v.dhcp_subnets[1].vnet, -1);
	assert_int_equal(v.n_dhcp_hosts, 5);
	assert_int_equal(v.dhcp_hosts[0].vnet, 2);
	assert_int_equal(v.dhcp_hosts[1].vnet, 5);
	assert_int_equal(v.dhcp_hosts[2].vnet, -1);
	assert_int_equal(v.dhcp_hosts[3].vnet, -1);
	assert_int_equal(v.dhcp_hosts[3].ip.family, VD_AF_NONE);
	assert_false(v.dhcp_hosts[3].has_mac);
	assert_int_equal(v.dhcp_hosts[4].vnet, 6);
	vd_vmware_free(&v);
}

static void test_tokens(void **state)
{
	struct vd_vmware v;
	const struct vd_dhcp_subnet *s;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(
		parse(B("option domain-name \"a;b#c{d}\\\"e\"; # {after\n"
			"subnet\t10.0.0.0\tnetmask 255.255.255.0 { # {\n"
			"  option domain-name \"x;y }\";\n"
			"  # option routers 10.0.0.9;\n"
			"  option routers 10.0.0.1,10.0.0.3; option routers\n"
			"    10.0.0.2 ,10.0.0.4 ;\n"
			"  range dynamic-bootp 10.0.0.10 10.0.0.20;\n"
			"  range 10.0.0.30 10.0.0.40;\n"
			"  option domain-name-servers a.example, 10.0.0.5,\n"
			"    10.0.0.6, 10.0.0.7, 10.0.0.8, 10.0.0.9;\n"
			"  class \"vmware\" {\n"
			"    match if substring (option "
			"vendor-class-identifier,"
			" 0, 4) = \"MSFT\";\n"
			"    if exists user-class { option routers 9.9.9.9; }\n"
			"    range 9.9.9.1 9.9.9.2;\n"
			"  }\n"
			"  OPTION ROUTERS 10.0.0.250;\n"
			"}\n"
			"option\r\n\tdomain-search \"a\", \"b\";\n"),
		      &v),
		0);
	assert_int_equal(v.n_dhcp_subnets, 1);
	s = &v.dhcp_subnets[0];
	assert_int_equal(s->src.line, 2);
	/* a later routers statement wins; the first address of its list */
	assert_string_equal(ipstr(&s->router), "10.0.0.250");
	assert_int_equal(s->router_line, 16);
	/* the first range */
	assert_string_equal(ipstr(&s->range_lo), "10.0.0.10");
	assert_string_equal(ipstr(&s->range_hi), "10.0.0.20");
	assert_int_equal(s->range_line, 7);
	/* names are passed over, four addresses at most */
	assert_int_equal(s->n_dns, 4);
	assert_string_equal(ipstr(&s->dns[0]), "10.0.0.5");
	assert_string_equal(ipstr(&s->dns[3]), "10.0.0.8");
	assert_int_equal(s->dns_line, 9);
	assert_kv(&v, "", "option domain-name", "\"a;b#c{d}\\\"e\"", 1);
	assert_kv(&v, "subnet 10.0.0.0", "option domain-name", "\"x;y }\"", 3);
	/* the key is the words, whatever blanks were between them */
	assert_kv(&v, "", "option domain-search", "\"a\", \"b\"", 18);
	/* the second range of the subnet is kept, nothing of class */
	assert_int_equal(v.n_kvs, 4);
	assert_kv(&v, "subnet 10.0.0.0", "range", "10.0.0.30 10.0.0.40", 8);
	vd_vmware_free(&v);
}

static void test_scopes(void **state)
{
	struct vd_vmware v;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(
		parse(B("shared-network \"lan\" {\n"
			"  option domain-name \"lan\";\n"
			"  subnet 10.1.0.0 netmask 255.255.0.0 {\n"
			"    pool { range 10.1.0.100; deny unknown-clients; }\n"
			"    host h1 { hardware ethernet 0:c:29:1:2:3; "
			"fixed-address 10.1.0.5; }\n"
			"  }\n"
			"  group { host h2 { hardware ethernet zz:zz; "
			"hardware ethernet 00:0c:29:aa:bb:cc; } }\n"
			"}\n"
			"host { fixed-address 10.1.0.6; }\n"
			"host h3 h4 { fixed-address 10.1.0.7; }\n"
			"subnet 10.1.0.0 { }\n"
			"failover peer \"x\" { primary; subnet 10.5.0.0 netmask"
			" 255.255.0.0 { } }\n"
			"host h5 { host h6 { } subnet 10.6.0.0 netmask"
			" 255.255.0.0 { } }\n"),
		      &v),
		0);
	assert_int_equal(v.n_dhcp_subnets, 1);
	assert_string_equal(ipstr(&v.dhcp_subnets[0].range_lo), "10.1.0.100");
	assert_string_equal(ipstr(&v.dhcp_subnets[0].range_hi), "10.1.0.100");
	assert_int_equal(v.dhcp_subnets[0].range_line, 4);
	assert_int_equal(v.n_dhcp_hosts, 3);
	assert_string_equal(v.dhcp_hosts[0].name, "h1");
	assert_string_equal(macstr(v.dhcp_hosts[0].mac), "00:0c:29:01:02:03");
	assert_string_equal(v.dhcp_hosts[1].name, "h2");
	assert_true(v.dhcp_hosts[1].has_mac);
	assert_int_equal(v.dhcp_hosts[1].ip.family, VD_AF_NONE);
	assert_string_equal(v.dhcp_hosts[2].name, "h5");
	assert_kv(&v, "", "option domain-name", "\"lan\"", 2);
	assert_kv(&v, "subnet 10.1.0.0", "deny", "unknown-clients", 4);
	/* the first problem ISC would refuse the file for */
	assert_kv(&v, "", "syntax-error", "host without a name", 9);
	vd_vmware_free(&v);
}

static void test_lenient(void **state)
{
	struct vd_vmware v;

	(void)state;
	vd_vmware_init(&v);
	/* a block left open at the end */
	assert_int_equal(parse(B("subnet 10.0.0.0 netmask 255.0.0.0 {\n"
				 "  range 10.0.0.1 10.0.0.9;\n"
				 "  host h { fixed-address 10.0.0.3"),
			       &v),
			 0);
	assert_int_equal(v.n_dhcp_subnets, 1);
	assert_int_equal(v.dhcp_subnets[0].range_line, 2);
	assert_int_equal(v.n_dhcp_hosts, 1);
	assert_string_equal(ipstr(&v.dhcp_hosts[0].ip), "10.0.0.3");
	assert_kv(&v, "", "syntax-error", "missing ';' at the end", 3);
	vd_vmware_free(&v);

	/* a '}' too many, a ';' missing before '}', an unclosed string */
	assert_int_equal(parse(B("}\n"
				 "subnet 10.0.0.0 netmask 255.0.0.0 {\n"
				 "  option routers 10.0.0.2 }\n"
				 "}\n"
				 "option domain-name \"open"),
			       &v),
			 0);
	assert_int_equal(v.n_dhcp_subnets, 1);
	assert_string_equal(ipstr(&v.dhcp_subnets[0].router), "10.0.0.2");
	assert_int_equal(v.n_kvs, 2);
	assert_kv(&v, "", "syntax-error", "'}' without '{'", 1);
	assert_kv(&v, "", "option domain-name", "\"open", 5);
	vd_vmware_free(&v);

	assert_int_equal(parse(B("subnet 10.0.0.0 netmask 255.0.0.0 {\n"
				 " range 10.0.0.1 10.0.0.9 }"),
			       &v),
			 0);
	assert_int_equal(v.dhcp_subnets[0].range_line, 2);
	assert_kv(&v, "", "syntax-error", "missing ';' before '}'", 2);
	vd_vmware_free(&v);

	assert_int_equal(parse(B("group { group { \"x\" {\n"), &v), 0);
	assert_kv(&v, "", "syntax-error", "block not closed at the end", 2);
	vd_vmware_free(&v);
	assert_int_equal(
		parse(B("allow booting;\n{ option routers 1.2.3.4; }"), &v), 0);
	assert_kv(&v, "", "syntax-error", "block without a head", 2);
	vd_vmware_free(&v);
}

static void test_huge_and_deep(void **state)
{
	struct vd_vmware v;
	size_t n = 200000, len = 0;
	char *text = malloc(n * 8 + 64);

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(
		parse(B("subnet 999999999999.0.0.0 netmask 255.0.0.0 { }\n"
			"subnet 10.0.0.0 netmask 255.0.0.0 {\n"
			" range 10.0.0.1 99999999999999999999999999999999;\n"
			" range 10.0.0.1 10.0.0.2 10.0.0.3;\n"
			" option routers 10.0.0.999999999999999999999;\n"
			"}\n"
			"host h { hardware ethernet 000:50:56:00:00:01; }\n"),
		      &v),
		0);
	assert_int_equal(v.n_dhcp_subnets, 1);
	assert_int_equal(v.dhcp_subnets[0].range_lo.family, VD_AF_NONE);
	assert_int_equal(v.dhcp_subnets[0].range_line, 0);
	assert_int_equal(v.dhcp_subnets[0].router.family, VD_AF_NONE);
	assert_false(v.dhcp_hosts[0].has_mac);
	assert_kv(&v, "", "syntax-error",
		  "subnet without an address and a netmask", 1);
	assert_int_equal(v.n_kvs, 4);
	vd_vmware_free(&v);

	/* deep nesting: kept to a depth, the rest passed over, no stack */
	assert_non_null(text);
	len += (size_t)sprintf(text, "allow booting;\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "group {");
	for (size_t i = 0; i < n; i++)
		text[len++] = '}';
	assert_int_equal(parse((uint8_t *)text, len, &v), 0);
	assert_int_equal(v.n_kvs, 1);
	vd_vmware_free(&v);
	free(text);
}

static void test_not_this_format(void **state)
{
	struct vd_vmware v;
	char err[128] = "";
	size_t len;
	uint8_t *buf = fixture("linux-vmnet8-dhcpd.conf", &len);
	static const uint8_t nul[] = "allow booting;\nhost x {\0}\n";

	(void)state;
	vd_vmware_init(&v);
	/* a previous result survives the failures */
	assert_int_equal(parse_vnet(buf, len, 8, &v), 0);
	assert_int_equal(vd_parse_vmware_dhcpd(nul, sizeof(nul) - 1, "f", -1,
					       &v, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a dhcpd.conf: binary data at line 2");
	assert_int_equal(parse(B("\x7f"
				 "ELF\x02\x01\x01"),
			       &v),
			 -EINVAL);
	assert_int_equal(vd_parse_vmware_dhcpd(B("[host]\nip = 10.0.0.2\n"),
					       "f", -1, &v, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a dhcpd.conf: no dhcpd statement");
	assert_int_equal(parse(B("}}}{{{;;;"), &v), -EINVAL);
	assert_int_equal(
		parse(B("\"subnet\" 10.0.0.0 netmask 255.0.0.0 {}"), &v),
		-EINVAL);
	assert_int_equal(vd_parse_vmware_dhcpd(B("\0"), "f", -1, &v, NULL, 0),
			 -EINVAL);
	check_vmnet8(&v);
	vd_vmware_free(&v);

	/* nothing but comments: nothing declared, not an error */
	assert_int_equal(parse(NULL, 0, &v), 0);
	assert_int_equal(parse(B("# c\r\n\r\n  # d {\n"), &v), 0);
	assert_int_equal(v.n_files, 1);
	assert_int_equal(v.n_dhcp_subnets + v.n_dhcp_hosts + v.n_kvs, 0);
	vd_vmware_free(&v);
	free(buf);
}

static void test_limits(void **state)
{
	struct vd_vmware v;
	size_t n = 100001, len = 0, cap = n * 32;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	vd_vmware_init(&v);
	assert_int_equal(
		parse(B("host vmnet1 { fixed-address 10.0.0.1; }"), &v), 0);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"max-lease-time %zu;\n", i);
	assert_int_equal(parse((uint8_t *)text, len, &v), -EINVAL);
	assert_int_equal(v.n_dhcp_hosts, 1);
	assert_int_equal(v.n_kvs, 0);
	assert_int_equal(parse((uint8_t *)text,
			       len - strlen("max-lease-time 100000;\n"), &v),
			 0);
	assert_int_equal(v.n_kvs, 100000);
	vd_vmware_free(&v);

	len = 0;
	for (size_t i = 0; i < 1025; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"subnet 10.%zu.%zu.0 netmask "
					"255.255.255.0 {}\n",
					i / 256, i % 256);
	assert_int_equal(parse((uint8_t *)text, len, &v), -EINVAL);
	assert_int_equal(v.n_dhcp_subnets, 0);
	vd_vmware_free(&v);
	free(text);
}

static void test_truncated(void **state)
{
	static const char *const names[] = { "linux-vmnet8-dhcpd.conf",
					     "windows-vmnetdhcp.conf",
					     "packer-dhcpd-example.conf" };

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		size_t len, first = 0;
		uint8_t *buf = fixture(names[k], &len);

		/* the end of the first statement's first word */
		while (first + 6 < len && memcmp(buf + first, "allow ", 6))
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
			assert_true(v.n_dhcp_subnets <= 2);
			for (size_t i = 0; i < v.n_dhcp_hosts; i++)
				assert_true(v.dhcp_hosts[i].vnet >= -1 &&
					    v.dhcp_hosts[i].vnet <= 8);
			vd_vmware_free(&v);
			free(cut);
		}
		free(buf);
	}
}

/* Every allocation that fails gives -ENOMEM and the model as it was. */
static void test_all_or_nothing(void **state)
{
	size_t len, plen;
	uint8_t *buf = fixture("windows-vmnetdhcp.conf", &len);
	uint8_t *prior = fixture("linux-vmnet8-dhcpd.conf", &plen);
	long allocs;

	(void)state;
	allocs = check_all_or_nothing(parse_any, buf, len, prior, plen);
	free(prior);
	free(buf);
	if (allocs < 0)
		skip();
	assert_true(allocs >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_vnet_sources),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_lenient),
		cmocka_unit_test(test_huge_and_deep),
		cmocka_unit_test(test_not_this_format),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_all_or_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
