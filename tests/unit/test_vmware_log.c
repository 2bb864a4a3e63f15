/* SPDX-License-Identifier: MIT */
/* Unit tests of the VMware log scanner: the failure lines of real logs,
 * and none of their healthy lines. */
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
#include "vmware_fixture.h"

struct want {
	unsigned line;
	const char *kind;
};

static int scan(const uint8_t *buf, size_t len, struct vd_vmware *v)
{
	char err[256] = "";
	int rc = vd_parse_vmware_log(buf, len, "vmware.log", v, err,
				     sizeof(err));

	if (rc == 0)
		assert_string_equal(err, "");
	return rc;
}

/* The hits of v are exactly want[0..n). */
static void assert_hits(const struct vd_vmware *v, const struct want *want,
			size_t n)
{
	for (size_t i = 0; i < v->n_log_hits && i < n; i++) {
		const struct vd_log_hit *h = &v->log_hits[i];

		if (h->src.line != want[i].line ||
		    strcmp(h->kind, want[i].kind) != 0)
			print_error("hit %zu: line %u %s, want line %u %s\n", i,
				    h->src.line, h->kind, want[i].line,
				    want[i].kind);
		assert_int_equal(h->src.line, want[i].line);
		assert_string_equal(h->kind, want[i].kind);
		assert_non_null(h->text);
		assert_true(strlen(h->text) <= 512);
		assert_string_equal(v->files[h->src.file], "vmware.log");
	}
	assert_int_equal(v->n_log_hits, n);
}

/* The fixture, and its CRLF twin, give exactly want. */
static void fixture_hits(const char *name, const struct want *want, size_t n)
{
	struct vd_vmware v;
	size_t len, clen;
	uint8_t *buf = fixture(name, &len);
	uint8_t *crlf = crlf_twin(buf, len, &clen);

	vd_vmware_init(&v);
	assert_int_equal(scan(buf, len, &v), 0);
	assert_hits(&v, want, n);
	assert_int_equal(v.n_kvs, 0);
	vd_vmware_free(&v);
	assert_int_equal(scan(crlf, clen, &v), 0);
	assert_hits(&v, want, n);
	vd_vmware_free(&v);
	free(crlf);
	free(buf);
}

#define FIXTURE_HITS(name, want) \
	fixture_hits(name, want, sizeof(want) / sizeof(want[0]))

static void test_old_style(void **state)
{
	static const struct want want[] = {
		{ 3, "vnet-open" },	    { 4, "vnet-open" },
		{ 6, "vnet-connect" },	    { 8, "vmmon-open" },
		{ 9, "module-not-loaded" }, { 10, "vmmon-init" },
	};
	struct vd_vmware v;
	size_t len;
	uint8_t *buf = fixture("logs/vmware-old-style.log", &len);

	(void)state;
	FIXTURE_HITS("logs/vmware-old-style.log", want);
	/* the text is the whole line, trimmed */
	vd_vmware_init(&v);
	assert_int_equal(scan(buf, len, &v), 0);
	assert_string_equal(v.log_hits[0].text,
			    "May 22 13:51:12.744: vcpu-0| VNET: "
			    "MACVNetPort_Connect: Ethernet0: can't open vmnet "
			    "device (997)");
	vd_vmware_free(&v);
	free(buf);
}

static void test_middle_style(void **state)
{
	static const struct want want[] = {
		{ 3, "vnet-connect" },	   { 4, "device-connect" },
		{ 5, "device-connect" },   { 6, "bridge-down" },
		{ 7, "bridge-link-down" }, { 8, "vmci-open" },
	};

	(void)state;
	FIXTURE_HITS("logs/vmware-middle-style.log", want);
}

static void test_new_style(void **state)
{
	static const struct want want[] = {
		{ 4, "peer-process" },
		{ 5, "peer-process" },
	};

	(void)state;
	FIXTURE_HITS("logs/vmware-new-style.log", want);
}

static void test_windows_crlf(void **state)
{
	static const struct want want[] = {
		{ 2, "vnet-connect" },
		{ 3, "bridge-down" },
	};

	(void)state;
	FIXTURE_HITS("logs/vmware-windows-crlf.log", want);
}

static void test_syslog(void **state)
{
	static const struct want want[] = {
		{ 19, "module-signature" },
		{ 20, "module-format" },
		{ 21, "vmmon-start" },
	};

	(void)state;
	FIXTURE_HITS("logs/syslog-vmnet.log", want);
}

static void test_init_script(void **state)
{
	static const struct want want[] = {
		{ 2, "vmmon-start" },
		{ 5, "vmnet-start" },
		{ 13, "kernel-headers" },
	};

	(void)state;
	FIXTURE_HITS("logs/initd-vmware.txt", want);
}

static void test_vmware_networks(void **state)
{
	static const struct want want[] = {
		{ 4, "nat-start" },	 { 5, "adapter-enable" },
		{ 6, "dhcp-start" },	 { 7, "service-start" },
		{ 11, "bridge-status" }, { 12, "dhcp-status" },
		{ 13, "nat-status" },	 { 14, "service-status" },
	};

	(void)state;
	FIXTURE_HITS("logs/vmware-networks.txt", want);
}

/* Each row of the table, alone and shouted: its own kind, no other. */
static void test_every_rule(void **state)
{
	static const struct want rows[] = {
		{ 0, "module-signature" },  { 0, "module-format" },
		{ 0, "kernel-headers" },    { 0, "vmmon-open" },
		{ 0, "module-not-loaded" }, { 0, "vmci-open" },
		{ 0, "vmmon-init" },	    { 0, "vmmon-start" },
		{ 0, "vmnet-start" },	    { 0, "vnet-connect" },
		{ 0, "vnet-open" },	    { 0, "device-connect" },
		{ 0, "bridge-down" },	    { 0, "bridge-link-down" },
		{ 0, "peer-process" },	    { 0, "peer-process" },
		{ 0, "dhcp-start" },	    { 0, "nat-start" },
		{ 0, "adapter-enable" },    { 0, "service-start" },
		{ 0, "service-status" },    { 0, "bridge-status" },
		{ 0, "dhcp-status" },	    { 0, "nat-status" },
		{ 0, "ip-conflict" },	    { 0, "ip-conflict" },
		{ 0, "iface-init" },	    { 0, "init-failed" },
		{ 0, "permission" },
	};
	static const char *const lines[] = {
		"modprobe: ERROR: could not insert 'vmmon': Key was rejected "
		"by service",
		"insmod: ERROR: could not insert module vmnet.ko: Invalid "
		"module format",
		"Kernel headers for version 6.8.0-31-generic were not found.",
		"Could not open /dev/vmmon: No such file or directory.",
		"Please make sure that the kernel module 'vmmon' is loaded.",
		"Failed to open device \"/dev/vmci\": No such file or "
		"directory",
		"Failed to initialize monitor device.",
		"   Virtual machine monitor                        failed",
		"   Virtual ethernet                               failed",
		"Could not connect 'Ethernet0' to virtual network "
		"'/dev/vmnet8'.",
		"VNET: MACVNetPort_Connect: Ethernet0: can't open vmnet device "
		"(997)",
		"Failed to connect virtual device 'Ethernet0'.",
		"The network bridge on device VMnet0 is not running.",
		"The network bridge on device /dev/vmnet0 is temporarily down "
		"because the bridged Ethernet interface is down.",
		"Cannot find a valid peer process to connect to",
		"Failed to connect to peer process.",
		"Failed to start DHCP service on vmnet1",
		"Failed to start NAT service on vmnet8",
		"Failed to enable hostonly virtual adapter on vmnet8",
		"Failed to start some/all services",
		"Some/All of the configured services are not running",
		"Bridge networking on vmnet0 is not running",
		"DHCP service on vmnet1 is not running",
		"NAT service on vmnet8 is not running",
		"vmnet-dhcpd: conflict IP address 10.0.0.7",
		"IP address conflict with 00:0c:29:aa:bb:cc",
		"vmnet-natd: Interface initialization failed",
		"vmware: Failed to initialize the arbitrator",
		"vmnet-bridge: open /dev/vmnet0: Permission denied",
	};
	struct vd_vmware v;

	(void)state;
	assert_int_equal(sizeof(rows) / sizeof(rows[0]),
			 sizeof(lines) / sizeof(lines[0]));
	vd_vmware_init(&v);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char upper[256];
		size_t n = strlen(lines[i]);

		assert_true(n < sizeof(upper));
		for (size_t j = 0; j <= n; j++)
			upper[j] =
				(char)(lines[i][j] >= 'a' && lines[i][j] <= 'z'
					       ? lines[i][j] - 'a' + 'A'
					       : lines[i][j]);
		assert_int_equal(
			scan((const uint8_t *)lines[i], strlen(lines[i]), &v),
			0);
		assert_int_equal(scan((const uint8_t *)upper, n, &v), 0);
		assert_int_equal(v.n_log_hits, 2);
		assert_string_equal(v.log_hits[0].kind, rows[i].kind);
		assert_string_equal(v.log_hits[1].kind, rows[i].kind);
		/* the text is the line trimmed */
		assert_string_equal(v.log_hits[0].text,
				    lines[i] + strspn(lines[i], " "));
		vd_vmware_free(&v);
	}
}

/* The guide's indicators: common words outside VMware, so they count
 * only on VMware lines (the IP conflict counts anywhere). */
static void test_generic_indicators(void **state)
{
	static const struct want want[] = {
		{ 1, "permission" },   { 3, "permission" },
		{ 4, "permission" },   { 6, "init-failed" },
		{ 7, "init-failed" },  { 9, "iface-init" },
		{ 10, "ip-conflict" }, { 11, "ip-conflict" },
		{ 12, "vmmon-open" },  { 13, "vnet-open" },
	};
	struct vd_vmware v;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(
		scan(B("Mar  3 10:00:01 host vmnet-natd[77]: open: Permission "
		       "denied\n"
		       "Mar  3 10:00:01 host sshd[9]: Permission denied "
		       "(publickey)\n"
		       "May 22 13:51:12.744: mks| Permission denied\n"
		       "2016-08-02T09:27:31.104+02:00| svga| I125: "
		       "PERMISSION DENIED\n"
		       "2016-08-02 09:27:31.104| svga| Permission denied\n"
		       "2023-12-05T17:42:40.666Z In(05) worker-1 - Failed to "
		       "initialize something\n"
		       "Failed to initialize the VMware USB arbitrator\n"
		       "Failed to initialize NVML: version mismatch\n"
		       "vmnet-natd: Interface initialization failed\n"
		       "There is an IP address conflict with another system\n"
		       "dhcp: conflict IP address 10.0.0.7\n"
		       "Could not open /dev/vmmon: Permission denied\n"
		       "VNET: Ethernet0: can't open vmnet device (Permission "
		       "denied)\n"
		       "Interface initialization failed\n"),
		     &v),
		0);
	assert_hits(&v, want, sizeof(want) / sizeof(want[0]));
	vd_vmware_free(&v);
}

static void test_healthy_lines(void **state)
{
	struct vd_vmware v;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(
		scan(B("Started Bridge networking on vmnet0\n"
		       "Started NAT service on vmnet8\n"
		       "Bridge networking on vmnet0 is running\n"
		       "NAT service on vmnet8 is running\n"
		       "Hostonly virtual adapter on vmnet8 is disabled\n"
		       "All the services configured on all the networks are "
		       "running\n"
		       "   Virtual machine monitor          done\n"
		       "   Virtual ethernet                 [  OK  ]\n"
		       "vmnet-dhcpd: DHCPACK on 192.168.202.130 to "
		       "00:0c:29:70:43:66 via vmnet8\n"
		       "vmnetBridge: Started bridge eth1 to virtual network "
		       "0.\n"
		       "kernel: /dev/vmnet: port on hub 0 successfully opened\n"
		       "May 22 13:51:10.963: vmx| DICT  "
		       "ethernet0.connectionType = nat\n"
		       "2016-08-02T09:27:30.822-05:00| vmx| I125: Log for "
		       "VMware Player pid=9884 version=12.1.1\n"
		       "vmnet-natd: refailed to initialize\n"
		       "xcan't open vmnet device\n"
		       "\n"
		       "|\n"),
		     &v),
		0);
	assert_int_equal(v.n_log_hits, 0);
	assert_int_equal(v.n_kvs, 0);
	assert_int_equal(scan(NULL, 0, &v), 0);
	assert_int_equal(v.n_log_hits, 0);
	vd_vmware_free(&v);
}

static void test_binary(void **state)
{
	static const uint8_t elf[] = "\x7f"
				     "ELF\x02\x01\x01\0\0\0";
	struct vd_vmware v;
	struct model_state before;
	char err[128] = "";
	uint8_t *late;
	size_t n = 5000;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(scan(B("Failed to start NAT service on vmnet8\n"), &v),
			 0);
	model_state(&v, &before);
	assert_int_equal(vd_parse_vmware_log(elf, sizeof(elf) - 1, "f", &v, err,
					     sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a text log: NUL byte at offset 7");
	assert_int_equal(
		vd_parse_vmware_log(elf, sizeof(elf) - 1, "f", &v, NULL, 0),
		-EINVAL);
	assert_model_unchanged(&v, &before);
	vd_vmware_free(&v);

	/* a NUL past the first 4 KiB is text gone wrong, not a binary */
	late = malloc(n);
	assert_non_null(late);
	memset(late, 'a', n);
	late[4095] = '\n';
	memcpy(late + 4096, "Failed to start NAT service on vmnet8 \0\xff\n",
	       41);
	assert_int_equal(scan(late, n, &v), 0);
	assert_int_equal(v.n_log_hits, 1);
	assert_int_equal(v.log_hits[0].src.line, 2);
	assert_string_equal(v.log_hits[0].text,
			    "Failed to start NAT service on vmnet8 ??");
	vd_vmware_free(&v);
	free(late);
}

/* Hit texts: at most 512 bytes, cut between characters, valid UTF-8. */
static void test_long_lines(void **state)
{
	const size_t big = 1 << 20;
	uint8_t *buf = malloc(big + 64);
	struct vd_vmware v;
	const char *t;

	(void)state;
	assert_non_null(buf);
	/* 51 bytes, then two-byte characters: the 512th byte is half one */
	memcpy(buf, "vmx| Failed to connect virtual device 'Ethernet0'  ", 51);
	for (size_t i = 51; i + 2 <= big; i += 2)
		memcpy(buf + i, "\xc3\xa9", 2); /* é */
	buf[big - 1] = ' ';
	vd_vmware_init(&v);
	assert_int_equal(scan(buf, big, &v), 0);
	assert_int_equal(v.n_log_hits, 1);
	t = v.log_hits[0].text;
	assert_int_equal(strlen(t), 511);
	assert_memory_equal(t + 509, "\xc3\xa9", 2);
	vd_vmware_free(&v);

	/* a blank where the text is cut is trimmed too (a fuzzer's find) */
	memset(buf, 'x', 1024);
	memcpy(buf, "Failed to start some/all services", 33);
	buf[511] = ' ';
	assert_int_equal(scan(buf, 1024, &v), 0);
	assert_int_equal(v.n_log_hits, 1);
	assert_int_equal(strlen(v.log_hits[0].text), 511);
	vd_vmware_free(&v);

	/* many first strings, few whole matches: still linear */
	for (size_t i = 0; i + 7 <= big; i += 7)
		memcpy(buf + i, "failed ", 7);
	assert_int_equal(scan(buf, big - big % 7, &v), 0);
	assert_int_equal(v.n_log_hits, 0);
	for (size_t i = 0; i + 18 <= big; i += 18)
		memcpy(buf + i, "could not connect ", 18);
	memcpy(buf + big - 30, " to virtual network \"VMnet8\"  ", 30);
	assert_int_equal(scan(buf, big, &v), 0);
	assert_int_equal(v.n_log_hits, 1);
	assert_string_equal(v.log_hits[0].kind, "vnet-connect");
	vd_vmware_free(&v);
	free(buf);
}

static void test_hits_cap(void **state)
{
	const char line[] = "Failed to start DHCP service on vmnet1\n";
	const size_t lines = 1500;
	uint8_t *buf = malloc(lines * (sizeof(line) - 1));
	struct vd_vmware v;
	const struct vd_kv *kv;

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < lines; i++)
		memcpy(buf + i * (sizeof(line) - 1), line, sizeof(line) - 1);
	vd_vmware_init(&v);
	assert_int_equal(scan(buf, lines * (sizeof(line) - 1), &v), 0);
	assert_int_equal(v.n_log_hits, 1000);
	assert_int_equal(v.log_hits[999].src.line, 1000);
	kv = kv_find(&v, "log", "hits_dropped");
	assert_non_null(kv);
	assert_string_equal(kv->value, "500");
	assert_string_equal(v.files[kv->src.file], "vmware.log");
	/* the cap is a file's: the next file has its own */
	assert_int_equal(scan(B("Failed to start some/all services\n"), &v), 0);
	assert_int_equal(v.n_log_hits, 1001);
	vd_vmware_free(&v);
	free(buf);
}

/* PowerShell's Out-File writes UTF-16 with a byte order mark. */
static void test_utf16(void **state)
{
	static const struct want want[] = {
		{ 19, "module-signature" },
		{ 20, "module-format" },
		{ 21, "vmmon-start" },
	};
	size_t len;
	uint8_t *buf = fixture("logs/syslog-vmnet.log", &len);
	uint8_t *le = malloc(2 * len + 8), *be = malloc(2 * len + 8);
	struct vd_vmware v;
	size_t n = 2;

	(void)state;
	assert_non_null(le);
	assert_non_null(be);
	le[0] = be[1] = 0xff;
	le[1] = be[0] = 0xfe;
	for (size_t i = 0; i < len; i++, n += 2) {
		le[n] = be[n + 1] = buf[i];
		le[n + 1] = be[n] = 0;
	}
	/* U+1F600 as a surrogate pair, then a lone surrogate */
	memcpy(le + n, "\x3d\xd8\x00\xde\x00\xd8", 6);
	memcpy(be + n, "\xd8\x3d\xde\x00\xd8\x00", 6);
	n += 6;
	vd_vmware_init(&v);
	assert_int_equal(scan(le, n, &v), 0);
	assert_hits(&v, want, 3);
	vd_vmware_free(&v);
	assert_int_equal(scan(be, n, &v), 0);
	assert_hits(&v, want, 3);
	assert_string_equal(v.log_hits[2].text,
			    "Mar  3 10:01:02 host vmware[1400]:    Virtual "
			    "machine monitor   failed");
	vd_vmware_free(&v);
	/* without its BOM, UTF-16 is binary */
	assert_int_equal(scan(le + 2, n - 2, &v), -EINVAL);
	/* a BOM alone, an odd byte */
	assert_int_equal(scan(B("\xff\xfe"), &v), 0);
	assert_int_equal(scan(B("\xff\xfe\x41"), &v), 0);
	assert_int_equal(v.n_log_hits, 0);
	vd_vmware_free(&v);
	free(le);
	free(be);
	free(buf);
}

static void test_out_of_memory(void **state)
{
	size_t len;
	uint8_t *buf = fixture("logs/vmware-networks.txt", &len);
	long allocs;

	(void)state;
	allocs = check_all_or_nothing(vd_parse_vmware_log, buf, len,
				      B("Failed to start some/all services\n"));
	free(buf);
	if (allocs < 0)
		skip();
	assert_true(allocs >= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_old_style),
		cmocka_unit_test(test_middle_style),
		cmocka_unit_test(test_new_style),
		cmocka_unit_test(test_windows_crlf),
		cmocka_unit_test(test_syslog),
		cmocka_unit_test(test_init_script),
		cmocka_unit_test(test_vmware_networks),
		cmocka_unit_test(test_every_rule),
		cmocka_unit_test(test_generic_indicators),
		cmocka_unit_test(test_healthy_lines),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_hits_cap),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
