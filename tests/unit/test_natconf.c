/* SPDX-License-Identifier: MIT */
/* Unit tests of the nat.conf / vmnetnat.conf parser, on real sample files. */
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
	static char buf[VD_IPSTR_MAX];

	return vd_ip_str(ip, buf, sizeof(buf));
}

/* The parser with a vnet, checked (vmware_fixture.h). */
static int parse_file(const uint8_t *buf, size_t len, const char *file,
		      int vnet, struct vd_vmware *v)
{
	return checked_vnet_parse(vd_parse_vmware_natconf, buf, len, file, vnet,
				  v);
}

static int parse_vnet(const uint8_t *buf, size_t len, int vnet,
		      struct vd_vmware *v)
{
	return parse_file(buf, len, "/etc/vmware/vmnet8/nat.conf", vnet, v);
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
	assert_int_equal(k->src.file, 0);
}

static void check_linux(const struct vd_vmware *v, int vnet)
{
	const struct vd_natconf *n;

	assert_int_equal(v->n_files, 1);
	assert_string_equal(v->files[0], "/etc/vmware/vmnet8/nat.conf");
	assert_int_equal(v->n_nats, 1);
	n = &v->nats[0];
	assert_int_equal(n->vnet, vnet);
	assert_string_equal(ipstr(&n->ip), "192.168.135.2");
	assert_string_equal(ipstr(&n->netmask), "255.255.255.0");
	assert_int_equal(n->prefixlen, 24);
	assert_string_equal(n->device, "/dev/vmnet8");
	assert_int_equal(n->src.file, 0);
	assert_int_equal(n->src.line, 6);
	/* the forwards are commented out */
	assert_int_equal(v->n_portfwds, 0);
	assert_int_equal(v->n_kvs, 11);
	assert_kv(v, "host", "activeFTP", "1", 13);
	assert_kv(v, "host", "allowAnyOUI", "1", 17);
	assert_kv(v, "host", "resetConnectionOnLinkDown", "1", 21);
	assert_kv(v, "host", "resetConnectionOnDestLocalHost", "1", 25);
	assert_kv(v, "host", "natIp6Enable", "0", 28);
	assert_kv(v, "host", "natIp6Prefix", "fd15:4ba5:5a2b:1008::/64", 31);
	assert_kv(v, "tcp", "timeWaitTimeout", "30", 36);
	assert_kv(v, "udp", "timeout", "60", 43);
	assert_kv(v, "netbios", "nbnsTimeout", "2", 47);
	assert_kv(v, "netbios", "nbnsRetries", "3", 50);
	assert_kv(v, "netbios", "nbdsTimeout", "3", 53);
	assert_null(kv_find(v, "host", "ip"));
	assert_null(kv_find(v, "host", "device"));
}

static void check_windows(const struct vd_vmware *v, int vnet)
{
	const struct vd_natconf *n = &v->nats[0];

	assert_int_equal(v->n_nats, 1);
	assert_int_equal(n->vnet, vnet);
	assert_string_equal(ipstr(&n->ip), "192.168.79.2");
	assert_string_equal(ipstr(&n->netmask), "255.255.255.0");
	assert_int_equal(n->prefixlen, 24);
	assert_string_equal(n->device, "VMnet8");
	assert_int_equal(n->src.line, 6);
	assert_int_equal(v->n_portfwds, 0);
	assert_int_equal(v->n_kvs, 16);
	assert_kv(v, "host", "hostMAC", "00:50:56:C0:00:08", 7);
	assert_kv(v, "host", "resetConnectionOnDestLocalHost", "1", 28);
	assert_kv(v, "tcp", "timeWaitTimeout", "30", 32);
	assert_kv(v, "udp", "timeout", "30", 37);
	assert_kv(v, "dns", "policy", "order", 48);
	assert_kv(v, "dns", "timeout", "2", 51);
	assert_kv(v, "dns", "retries", "3", 54);
	assert_kv(v, "dns", "autodetect", "1", 57);
	assert_kv(v, "netbios", "nbdsTimeout", "3", 73);
	assert_kv(v, "PrivilegedTCP", "autodetect", "1", 97);
	assert_kv(v, "PrivilegedUDP", "autodetect", "1", 100);
	assert_null(kv_find(v, "dns", "nameserver1"));
	assert_null(kv_find(v, "host", "configport"));
}

/* Each sample, LF and CRLF, with the vnet of its device and with the
 * caller's (which wins). */
static void test_samples(void **state)
{
	static const struct {
		const char *name;
		void (*check)(const struct vd_vmware *v, int vnet);
	} samples[] = {
		{ "linux-vmnet8-nat.conf", check_linux },
		{ "windows-vmnetnat.conf.excerpt", check_windows },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t len, clen;
		uint8_t *buf = fixture(samples[i].name, &len);
		uint8_t *crlf = crlf_twin(buf, len, &clen);
		struct vd_vmware v;

		for (int k = 0; k < 4; k++) {
			vd_vmware_init(&v);
			assert_int_equal(parse_vnet(k & 1 ? crlf : buf,
						    k & 1 ? clen : len,
						    k & 2 ? 3 : -1, &v),
					 0);
			samples[i].check(&v, k & 2 ? 3 : 8);
			vd_vmware_free(&v);
		}
		free(crlf);
		free(buf);
	}
}

static void test_forwards(void **state)
{
	struct vd_vmware v;
	const struct vd_portfwd *pf;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(parse(B("[incomingtcp]\n"
				 "8080 = 172.16.3.128:80\n"
				 "2222=192.168.79.242:22\n"
				 "  9669  =  172.16.36.128 : 6996  \n"
				 "0 = 172.16.3.128:80\n"
				 "65536 = 172.16.3.128:80\n"
				 "8081 = 172.16.3.128:0\n"
				 "8082 = 172.16.3.128:65536\n"
				 "8083 = guest.local:80\n"
				 "8084 = 172.16.3.128\n"
				 "8085 =\n"
				 "8086 = 172.16.3.999:80\n"
				 "8087 = fe80::1:80\n"
				 "http = 172.16.3.128:80\n"
				 "[IncomingUDP]\n"
				 "6000 = 172.16.3.0:6001\n"
				 "[host]\n"
				 "device = vmnet2\n"),
			       &v),
			 0);
	assert_int_equal(v.n_portfwds, 4);
	pf = &v.portfwds[0];
	assert_int_equal(pf->proto, 6);
	assert_int_equal(pf->host_port, 8080);
	assert_string_equal(ipstr(&pf->guest), "172.16.3.128");
	assert_int_equal(pf->guest_port, 80);
	assert_int_equal(pf->src.line, 2);
	/* the device after the forwards still names their vnet */
	assert_int_equal(pf->vnet, 2);
	pf = &v.portfwds[1];
	assert_int_equal(pf->host_port, 2222);
	assert_string_equal(ipstr(&pf->guest), "192.168.79.242");
	assert_int_equal(pf->guest_port, 22);
	pf = &v.portfwds[2];
	assert_int_equal(pf->host_port, 9669);
	assert_int_equal(pf->guest_port, 6996);
	assert_int_equal(pf->src.line, 4);
	pf = &v.portfwds[3];
	assert_int_equal(pf->proto, 17);
	assert_int_equal(pf->host_port, 6000);
	assert_string_equal(ipstr(&pf->guest), "172.16.3.0");
	assert_int_equal(pf->guest_port, 6001);
	assert_int_equal(pf->src.line, 16);
	assert_int_equal(pf->vnet, 2);
	/* what is not a forward is kept as written */
	assert_int_equal(v.n_kvs, 10);
	assert_kv(&v, "incomingtcp", "0", "172.16.3.128:80", 5);
	assert_kv(&v, "incomingtcp", "65536", "172.16.3.128:80", 6);
	assert_kv(&v, "incomingtcp", "8081", "172.16.3.128:0", 7);
	assert_kv(&v, "incomingtcp", "8082", "172.16.3.128:65536", 8);
	assert_kv(&v, "incomingtcp", "8083", "guest.local:80", 9);
	assert_kv(&v, "incomingtcp", "8084", "172.16.3.128", 10);
	assert_kv(&v, "incomingtcp", "8085", "", 11);
	assert_kv(&v, "incomingtcp", "8086", "172.16.3.999:80", 12);
	assert_kv(&v, "incomingtcp", "8087", "fe80::1:80", 13);
	assert_kv(&v, "incomingtcp", "http", "172.16.3.128:80", 14);
	/* no ip: the [host] line stands for the network */
	assert_int_equal(v.nats[0].src.line, 17);
	assert_int_equal(v.nats[0].ip.family, VD_AF_NONE);
	assert_int_equal(v.nats[0].prefixlen, -1);
	vd_vmware_free(&v);
}

static void test_huge_numbers(void **state)
{
	struct vd_vmware v;
	char text[2048];
	char digits[301];

	(void)state;
	memset(digits, '9', 300);
	digits[300] = '\0';
	snprintf(text, sizeof(text),
		 "[incomingtcp]\n"
		 "%s = 1.2.3.4:80\n"
		 "80 = 1.2.3.4:%s\n"
		 "00000000000000000000000000000000000000000080 = 1.2.3.4:81\n"
		 "[host]\n"
		 "ip = 10.0.0.2/%s\n"
		 "device = /dev/vmnet%s\n",
		 digits, digits, digits, digits);
	vd_vmware_init(&v);
	assert_int_equal(parse((const uint8_t *)text, strlen(text), &v), 0);
	/* leading zeros are still a number, 300 nines are not */
	assert_int_equal(v.n_portfwds, 1);
	assert_int_equal(v.portfwds[0].host_port, 80);
	assert_int_equal(v.portfwds[0].guest_port, 81);
	assert_int_equal(v.portfwds[0].vnet, -1);
	assert_int_equal(v.nats[0].ip.family, VD_AF_NONE);
	assert_int_equal(v.nats[0].vnet, -1);
	assert_string_equal(v.nats[0].device, "");
	assert_int_equal(v.n_kvs, 4);
	/* keys are cut at 127 bytes */
	assert_string_equal(v.kvs[0].section, "incomingtcp");
	assert_int_equal(strlen(v.kvs[0].key), 127);
	assert_non_null(kv_find(&v, "host", "ip"));
	assert_non_null(kv_find(&v, "host", "device"));
	vd_vmware_free(&v);
}

static void test_later_wins(void **state)
{
	struct vd_vmware v;
	const struct vd_natconf *n;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(parse(B("[host]\n"
				 "ip = 10.0.0.2\n"
				 "netmask = 255.0.0.0\n"
				 "device = vmnet3\n"
				 "[udp]\n"
				 "timeout = 30\n"
				 "timeout = 60\n"
				 "[HOST]\n"
				 "ip = 192.168.5.2\n"
				 "ip = not an address\n"
				 "netmask = 255.255.255.0\n"
				 "device = VMnet4\n"
				 "netmask = 255.0.255.0\n"),
			       &v),
			 0);
	n = &v.nats[0];
	assert_string_equal(ipstr(&n->ip), "192.168.5.2");
	assert_int_equal(n->src.line, 9);
	/* a non-contiguous netmask is kept, without a prefix length */
	assert_string_equal(ipstr(&n->netmask), "255.0.255.0");
	assert_int_equal(n->prefixlen, -1);
	assert_string_equal(n->device, "VMnet4");
	assert_int_equal(n->vnet, 4);
	/* a [host] value that does not parse is kept, the field unchanged */
	assert_kv(&v, "HOST", "ip", "not an address", 10);
	/* other sections keep every line */
	assert_int_equal(v.n_kvs, 3);
	assert_int_equal(v.kvs[0].src.line, 6);
	assert_int_equal(v.kvs[1].src.line, 7);
	assert_string_equal(v.kvs[1].value, "60");
	vd_vmware_free(&v);

	/* "ip = a.b.c.d/N" sets the netmask; a later netmask wins */
	assert_int_equal(parse(B("[host]\nip = 172.16.36.2/20\n"), &v), 0);
	assert_string_equal(ipstr(&v.nats[0].netmask), "255.255.240.0");
	assert_int_equal(v.nats[0].prefixlen, 20);
	assert_int_equal(v.nats[0].src.line, 2);
	vd_vmware_free(&v);
	assert_int_equal(parse(B("[host]\nip = 172.16.36.2/20\n"
				 "netmask = 255.255.255.0\n"),
			       &v),
			 0);
	assert_int_equal(v.nats[0].prefixlen, 24);
	vd_vmware_free(&v);
}

static void test_syntax(void **state)
{
	struct vd_vmware v;
	const struct vd_natconf *n;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(
		parse(B("\xef\xbb\xbf# Windows NAT configuration file\n"
			"top = before any section\n"
			"  [ Host ]   # trailing comment\n"
			"\tip\t=\t10.1.2.2\t\n"
			"; a semicolon comment\n"
			"device=/dev/vmnet11\n"
			"odd key = a value = with equals and  spaces \n"
			"junk line without equals\n"
			"= no key\n"
			"[not a section\n"
			"[a] b\n"
			"[]\n"
			"[dns]\n"
			"nameserver1 = 8.8.8.8\n"
			"[privilegedTCP]\n"
			"autodetect = 0\n"
			"empty =\n"),
		      &v),
		0);
	n = &v.nats[0];
	assert_string_equal(ipstr(&n->ip), "10.1.2.2");
	assert_int_equal(n->src.line, 4);
	assert_int_equal(n->vnet, 11);
	assert_string_equal(n->device, "/dev/vmnet11");
	assert_int_equal(v.n_kvs, 5);
	assert_kv(&v, "", "top", "before any section", 2);
	assert_kv(&v, "Host", "odd key", "a value = with equals and  spaces",
		  7);
	assert_kv(&v, "dns", "nameserver1", "8.8.8.8", 14);
	assert_kv(&v, "privilegedTCP", "autodetect", "0", 16);
	assert_kv(&v, "privilegedTCP", "empty", "", 17);
	vd_vmware_free(&v);
}

static void test_empty(void **state)
{
	struct vd_vmware v;

	(void)state;
	vd_vmware_init(&v);
	/* a file that declares nothing still is one NAT network's file */
	assert_int_equal(parse(NULL, 0, &v), 0);
	assert_int_equal(parse(B("# only\r\n\r\n  ; comments\n"), &v), 0);
	assert_int_equal(v.n_nats, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(v.nats[i].ip.family, VD_AF_NONE);
		assert_int_equal(v.nats[i].vnet, -1);
		assert_int_equal(v.nats[i].prefixlen, -1);
		assert_int_equal(v.nats[i].src.line, 0);
	}
	assert_int_equal(v.n_kvs, 0);
	vd_vmware_free(&v);
}

static void test_not_this_format(void **state)
{
	struct vd_vmware v;
	char err[128] = "";
	size_t len;
	uint8_t *buf = fixture("linux-vmnet8-nat.conf", &len);
	static const uint8_t nul[] = "[host]\nip = 10.0.0.2\n\0\n";

	(void)state;
	vd_vmware_init(&v);
	/* a previous result survives the failures */
	assert_int_equal(parse(buf, len, &v), 0);
	assert_int_equal(vd_parse_vmware_natconf(nul, sizeof(nul) - 1, "f", -1,
						 &v, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err,
			    "not a VMware nat.conf: binary data at line 3");
	assert_int_equal(parse(B("\x7f"
				 "ELF\x02\x01\x01"),
			       &v),
			 -EINVAL);
	assert_int_equal(parse(B("hello\nworld\n"), &v), -EINVAL);
	assert_int_equal(parse(B("[unterminated\n"), &v), -EINVAL);
	/* err may be absent */
	assert_int_equal(
		vd_parse_vmware_natconf(B("x\0"), "f", -1, &v, NULL, 0),
		-EINVAL);
	check_linux(&v, 8);
	vd_vmware_free(&v);
	free(buf);
}

static void test_limits(void **state)
{
	struct vd_vmware v;
	size_t n = 100001, len = 0, cap = n * 12 + 64;
	char *text = malloc(cap), *big;

	(void)state;
	assert_non_null(text);
	vd_vmware_init(&v);
	len += (size_t)snprintf(text, cap, "[tcp]\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "k%zu=1\n", i);
	assert_int_equal(parse(B("[host]\nip = 10.0.0.2\n"), &v), 0);
	assert_int_equal(parse((uint8_t *)text, len, &v), -EINVAL);
	/* rolled back: only the first file's network remains */
	assert_int_equal(v.n_nats, 1);
	assert_int_equal(v.n_kvs, 0);
	/* 100000 kept keys are fine */
	assert_int_equal(
		parse((uint8_t *)text, len - strlen("k100000=1\n"), &v), 0);
	assert_int_equal(v.n_kvs, 100000);
	vd_vmware_free(&v);

	/* a 1 MiB line: the value is cut, not refused */
	big = malloc(1 << 20);
	assert_non_null(big);
	memcpy(big, "[x]\nk=", 6);
	memset(big + 6, 'v', (1 << 20) - 6);
	assert_int_equal(parse((uint8_t *)big, 1 << 20, &v), 0);
	assert_int_equal(v.n_kvs, 1);
	assert_int_equal(strlen(v.kvs[0].value), 1023);
	vd_vmware_free(&v);
	free(big);
	free(text);
}

static void test_truncated(void **state)
{
	static const char *const names[] = { "linux-vmnet8-nat.conf",
					     "windows-vmnetnat.conf.excerpt" };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		size_t len;
		uint8_t *buf = fixture(names[k], &len);

		for (size_t n = 0; n <= len; n++) {
			struct vd_vmware v;
			uint8_t *cut = malloc(n ? n : 1);
			int rc;

			assert_non_null(cut);
			memcpy(cut, buf, n);
			vd_vmware_init(&v);
			rc = parse(cut, n, &v);
			/* a comment, then a section: only a cut inside
			 * "[host]" is nothing recognisable */
			if (rc == -EINVAL && n < 64) {
				vd_vmware_free(&v);
				free(cut);
				continue;
			}
			assert_int_equal(rc, 0);
			assert_int_equal(v.n_nats, 1);
			assert_true(v.nats[0].vnet == -1 ||
				    v.nats[0].vnet == 8);
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
	uint8_t *buf = fixture("linux-vmnet8-nat.conf", &len);
	uint8_t *prior = fixture("windows-vmnetnat.conf.excerpt", &plen);
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
		cmocka_unit_test(test_forwards),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_later_wins),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_not_this_format),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_all_or_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
