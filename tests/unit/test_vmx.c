/* SPDX-License-Identifier: MIT */
/* Unit tests of the .vmx parser, on real sample files and hostile input. */
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

static int parse(const uint8_t *buf, size_t len, struct vd_vmware *v)
{
	char err[256] = "";
	int rc = vd_parse_vmx(buf, len, "/vms/a/a.vmx", v, err, sizeof(err));

	if (rc == 0)
		assert_string_equal(err, "");
	else
		assert_true(rc == -ENOMEM || err[0]);
	return rc;
}

/* The only VM of v, checked for the invariants every VM has. */
static const struct vd_vm *only_vm(const struct vd_vmware *v)
{
	const struct vd_vm *vm;

	assert_int_equal(v->n_vms, 1);
	vm = &v->vms[0];
	assert_true(vm->file >= 0 && (size_t)vm->file < v->n_files);
	assert_int_equal(vm->running, VD_UNKNOWN);
	for (size_t i = 1; i < vm->n_nics; i++)
		assert_true(vm->nics[i - 1].index < vm->nics[i].index);
	return vm;
}

static void assert_kv(const struct vd_vmware *v, const char *section,
		      const char *key, const char *value, unsigned line)
{
	const struct vd_kv *kv = kv_find(v, section, key);

	assert_non_null(kv);
	assert_string_equal(kv->value, value);
	assert_int_equal(kv->src.line, line);
}

static void check_fusion(const struct vd_vmware *v)
{
	static const uint8_t mac0[6] = { 0x00, 0x0c, 0x29, 0x3b, 0x64, 0xea };
	static const uint8_t mac1[6] = { 0x00, 0x0c, 0x29, 0x3b, 0x64, 0xf4 };
	const struct vd_vm *vm = only_vm(v);
	const struct vd_vm_nic *n;

	assert_string_equal(v->files[vm->file], "/vms/a/a.vmx");
	assert_string_equal(vm->name, "ATTM_VM");
	assert_string_equal(vm->guest_os, "winxppro");
	assert_int_equal(vm->n_nics, 2);

	n = &vm->nics[0];
	assert_int_equal(n->index, 0);
	assert_int_equal(n->present, VD_YES);
	assert_int_equal(n->start_connected, VD_UNKNOWN);
	assert_string_equal(n->conn, "bridged");
	assert_string_equal(n->vnet, "");
	assert_string_equal(n->network_name, "VMnet0");
	assert_string_equal(n->virtual_dev, "");
	assert_string_equal(n->address_type, "generated");
	assert_string_equal(n->mac_text, "00:0c:29:3b:64:ea");
	assert_true(n->has_mac);
	assert_memory_equal(n->mac, mac0, 6);
	assert_int_equal(n->line, 14);

	n = &vm->nics[1];
	assert_int_equal(n->index, 1);
	assert_int_equal(n->present, VD_YES);
	assert_string_equal(n->conn, "bridged");
	assert_string_equal(n->network_name, "VMnet0");
	assert_string_equal(n->mac_text, "00:0c:29:3b:64:f4");
	assert_true(n->has_mac);
	assert_memory_equal(n->mac, mac1, 6);
	assert_int_equal(n->line, 18);

	/* 7 top-level keys of the allow-list, 3 unmodelled keys a NIC */
	assert_int_equal(v->n_kvs, 13);
	assert_kv(v, "", ".encoding", "UTF-8", 1);
	assert_kv(v, "", "config.version", "8", 2);
	assert_kv(v, "", "virtualHW.version", "9", 3);
	assert_kv(v, "", "displayName", "ATTM_VM", 7);
	assert_kv(v, "", "guestOS", "winxppro", 8);
	assert_kv(v, "", "uuid.location",
		  "56 4d 70 88 01 a1 98 32-e7 2b 67 90 c7 3b 64 ea", 63);
	assert_kv(v, "", "uuid.bios",
		  "56 4d 70 88 01 a1 98 32-e7 2b 67 90 c7 3b 64 ea", 64);
	assert_kv(v, "ethernet0", "linkStatePropagation.enable", "TRUE", 56);
	assert_kv(v, "ethernet1", "linkStatePropagation.enable", "TRUE", 57);
	assert_kv(v, "ethernet0", "pciSlotNumber", "33", 72);
	assert_kv(v, "ethernet1", "pciSlotNumber", "34", 73);
	assert_kv(v, "ethernet0", "generatedAddressOffset", "0", 78);
	assert_kv(v, "ethernet1", "generatedAddressOffset", "10", 79);
	assert_null(kv_find(v, "", "memsize"));
	for (size_t i = 0; i < v->n_kvs; i++)
		assert_int_equal(v->kvs[i].src.file, vm->file);
}

static void check_esx(const struct vd_vmware *v)
{
	static const uint8_t mac[6] = { 0x00, 0x50, 0x56, 0x80, 0xb3, 0x81 };
	const struct vd_vm *vm = only_vm(v);
	const struct vd_vm_nic *n;

	assert_string_equal(vm->name, "v2v-windows-kkulkarn");
	assert_string_equal(vm->guest_os, "windows8srv-64");
	assert_int_equal(vm->n_nics, 1);
	n = &vm->nics[0];
	assert_int_equal(n->index, 0);
	assert_int_equal(n->present, VD_YES);
	assert_int_equal(n->start_connected, VD_UNKNOWN);
	assert_string_equal(n->conn, "");
	assert_string_equal(n->vnet, "");
	assert_string_equal(n->network_name, "VM Network");
	assert_string_equal(n->virtual_dev, "vmxnet3");
	assert_string_equal(n->address_type, "vpx");
	assert_string_equal(n->mac_text, "00:50:56:80:b3:81");
	assert_true(n->has_mac);
	assert_memory_equal(n->mac, mac, 6);
	assert_int_equal(n->line, 19);

	assert_int_equal(v->n_kvs, 8);
	assert_kv(v, "", ".encoding", "UTF-8", 1);
	assert_kv(v, "", "virtualHW.version", "10", 3);
	assert_kv(v, "", "displayName", "v2v-windows-kkulkarn", 33);
	assert_kv(v, "", "uuid.bios",
		  "42 00 93 72 17 da be 73-77 9d 00 7c cf 1b d2 28", 41);
	assert_kv(v, "ethernet0", "uptCompatibility", "TRUE", 23);
	assert_kv(v, "ethernet0", "pciSlotNumber", "192", 62);
	assert_null(kv_find(v, "", "vc.uuid"));
}

static void sample(const char *name, void (*check)(const struct vd_vmware *))
{
	struct vd_vmware v;
	size_t len, n;
	uint8_t *buf = fixture(name, &len);
	uint8_t *crlf = crlf_twin(buf, len, &n);

	vd_vmware_init(&v);
	assert_int_equal(parse(buf, len, &v), 0);
	check(&v);
	vd_vmware_free(&v);
	/* CRLF line ends give the same */
	assert_int_equal(parse(crlf, n, &v), 0);
	check(&v);
	vd_vmware_free(&v);
	free(crlf);
	free(buf);
}

static void test_fusion_sample(void **state)
{
	(void)state;
	sample("vmx-fusion-in-the-wild-1.vmx", check_fusion);
}

static void test_esx_sample(void **state)
{
	(void)state;
	sample("vmx-esx-in-the-wild-9.vmx", check_esx);
}

/* Each parse appends one VM; the files are told apart by their index. */
static void test_two_vms(void **state)
{
	struct vd_vmware v;
	size_t len;
	uint8_t *buf = fixture("vmx-esx-in-the-wild-9.vmx", &len);
	char err[64];

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(vd_parse_vmx(buf, len, "a.vmx", &v, err, sizeof(err)),
			 0);
	assert_int_equal(vd_parse_vmx(buf, len, "b.vmx", &v, err, sizeof(err)),
			 0);
	assert_int_equal(v.n_vms, 2);
	assert_string_equal(v.files[v.vms[0].file], "a.vmx");
	assert_string_equal(v.files[v.vms[1].file], "b.vmx");
	assert_int_equal(v.n_kvs, 16);
	assert_int_equal(v.kvs[8].src.file, v.vms[1].file);
	vd_vmware_free(&v);
	free(buf);
}

static void test_syntax(void **state)
{
	struct vd_vmware v;
	const struct vd_vm *vm;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(parse(B("\xef\xbb\xbf#!/usr/bin/vmware\n"
				 ".encoding = \"UTF-8\"\n"
				 "   # an indented comment\n"
				 "\n"
				 "DISPLAYNAME=\"say |22hi|22 |7c |7C pipe\"\n"
				 "GuestOS = otherlinux-64 \n"
				 "config.version = \"8\"  # trailing comment\n"
				 "virtualhw.version = \"  spaced  \"\n"
				 "uuid.bios = \"a|\"\n"
				 "uuid.location = \"b|2\"\n"
				 "not a pair\n"
				 "spaced key = \"x\"\n"
				 "\"quoted\" = \"x\"\n"
				 " = \"no key\"\n"),
			       &v),
			 0);
	vm = only_vm(&v);
	assert_string_equal(vm->name, "say \"hi\" | | pipe");
	assert_string_equal(vm->guest_os, "otherlinux-64");
	assert_int_equal(vm->n_nics, 0);
	/* kvs keep the key as written, the value unescaped */
	assert_kv(&v, "", "DISPLAYNAME", "say \"hi\" | | pipe", 5);
	assert_kv(&v, "", "GuestOS", "otherlinux-64", 6);
	assert_kv(&v, "", "config.version", "8", 7);
	assert_kv(&v, "", "virtualhw.version", "  spaced  ", 8);
	assert_kv(&v, "", "uuid.bios", "a|", 9);
	assert_kv(&v, "", "uuid.location", "b|2", 10);
	assert_kv(&v, "", ".encoding", "UTF-8", 2);
	assert_int_equal(v.n_kvs, 7);
	vd_vmware_free(&v);
}

static void test_nics(void **state)
{
	static const uint8_t mac_static[6] = { 0x00, 0x50, 0x56,
					       0x3f, 0x00, 0x01 };
	struct vd_vmware v;
	const struct vd_vm *vm;
	const struct vd_vm_nic *n;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(
		parse(B("ethernet10.present = \"true\"\n"
			"Ethernet10.ConnectionType = \"NAT\"\n"
			"ethernet10.VNET = \"/dev/vmnet8\"\n"
			"ethernet2.connectionType = \"custom\"\n"
			"ethernet2.vnet = \"VMnet19\"\n"
			"ethernet2.startConnected = \"FALSE\"\n"
			"ethernet2.present = \"yes\"\n"
			"ethernet2.virtualDev = \"E1000E\"\n"
			"ethernet2.addressType = \"Static\"\n"
			"ethernet2.address = \"00:50:56:3F:00:01\"\n"
			"ethernet2.generatedAddress = \"00:0c:29:00:00:01\"\n"
			"ethernet3.pciSlotNumber = \"33\"\n"
			"ethernet4.vnet = \"vmnet300\"\n"
			"ethernet4.generatedAddress = \"not a mac\"\n"
			"ethernet5.vnet = \"LAN 1\"\n"
			"ethernet5.address = \"00:50:56:00:00:05\"\n"
			"ethernet6.addressType = \"generated\"\n"
			"ethernet6.address = \"00:50:56:00:00:06\"\n"
			"ethernet6.generatedAddress = \"00:0c:29:00:00:06\"\n"
			"ethernet99.present = \"TRUE\"\n"
			"ethernet100.present = \"TRUE\"\n"
			"ethernet999.present = \"TRUE\"\n"
			"ethernet01.present = \"TRUE\"\n"
			"ethernet.present = \"TRUE\"\n"
			"ethernet7 = \"TRUE\"\n"
			"ethernet8. = \"TRUE\"\n"
			"ethernet-1.present = \"TRUE\"\n"
			"ethernet2.wakeOnPcktRcv = \"FALSE\"\n"),
		      &v),
		0);
	vm = only_vm(&v);
	assert_int_equal(vm->n_nics, 7);

	n = &vm->nics[0];
	assert_int_equal(n->index, 2);
	assert_int_equal(n->line, 4);
	assert_string_equal(n->conn, "custom");
	assert_string_equal(n->vnet, "vmnet19");
	assert_int_equal(n->start_connected, VD_NO);
	assert_int_equal(n->present, VD_UNKNOWN); /* "yes" is not a VMX bool */
	assert_string_equal(n->virtual_dev, "e1000e");
	assert_string_equal(n->address_type, "static");
	assert_string_equal(n->mac_text, "00:50:56:3F:00:01");
	assert_true(n->has_mac);
	assert_memory_equal(n->mac, mac_static, 6);

	n = &vm->nics[1];
	assert_int_equal(n->index, 3);
	assert_int_equal(n->line, 12);
	assert_int_equal(n->present, VD_UNKNOWN);
	assert_string_equal(n->conn, "");
	assert_string_equal(n->mac_text, "");
	assert_false(n->has_mac);

	n = &vm->nics[2];
	assert_int_equal(n->index, 4);
	assert_string_equal(n->vnet, "vmnet300"); /* past vmnet255: as is */
	assert_string_equal(n->mac_text, "not a mac");
	assert_false(n->has_mac);

	n = &vm->nics[3];
	assert_int_equal(n->index, 5);
	assert_string_equal(n->vnet, "LAN 1");
	assert_string_equal(n->mac_text, "00:50:56:00:00:05"); /* the only */
	assert_true(n->has_mac);

	n = &vm->nics[4];
	assert_int_equal(n->index, 6);
	assert_string_equal(n->mac_text, "00:0c:29:00:00:06"); /* generated */

	n = &vm->nics[5];
	assert_int_equal(n->index, 10);
	assert_int_equal(n->line, 1);
	assert_int_equal(n->present, VD_YES);
	assert_string_equal(n->conn, "nat");
	assert_string_equal(n->vnet, "vmnet8");

	n = &vm->nics[6];
	assert_int_equal(n->index, 99);
	assert_int_equal(n->line, 20);

	/* unmodelled NIC keys only; nothing of the ignored keys */
	assert_int_equal(v.n_kvs, 2);
	assert_kv(&v, "ethernet3", "pciSlotNumber", "33", 12);
	assert_kv(&v, "ethernet2", "wakeOnPcktRcv", "FALSE", 28);
	vd_vmware_free(&v);
}

/* A key given twice: the later wins, for fields and kvs alike. */
static void test_duplicates(void **state)
{
	struct vd_vmware v;
	const struct vd_vm *vm;

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(parse(B("displayName = \"first\"\n"
				 "ethernet0.connectionType = \"bridged\"\n"
				 "ethernet0.pciSlotNumber = \"32\"\n"
				 "ethernet0.present = \"TRUE\"\n"
				 "DisplayName = \"second\"\n"
				 "ethernet0.connectiontype = \"hostonly\"\n"
				 "ethernet0.PCISLOTNUMBER = \"33\"\n"
				 "ethernet0.present = \"maybe\"\n"
				 "displayname = \"third\"\n"),
			       &v),
			 0);
	vm = only_vm(&v);
	assert_string_equal(vm->name, "third");
	assert_int_equal(vm->n_nics, 1);
	assert_string_equal(vm->nics[0].conn, "hostonly");
	assert_int_equal(vm->nics[0].present, VD_UNKNOWN);
	assert_int_equal(vm->nics[0].line, 2);
	assert_int_equal(v.n_kvs, 2);
	assert_kv(&v, "ethernet0", "PCISLOTNUMBER", "33", 7);
	assert_kv(&v, "", "displayname", "third", 9);
	vd_vmware_free(&v);
}

static void test_not_a_vmx(void **state)
{
	static const uint8_t nul[] = "displayName = \"a\"\nguestOS = \"b\0\"\n";
	struct vd_vmware v;
	struct model_state before;
	char err[128] = "";

	(void)state;
	vd_vmware_init(&v);
	assert_int_equal(parse(B("displayName = \"kept\"\n"
				 "ethernet0.present = \"TRUE\"\n"),
			       &v),
			 0);
	model_state(&v, &before);

	assert_int_equal(
		vd_parse_vmx(nul, sizeof(nul) - 1, "f", &v, err, sizeof(err)),
		-EINVAL);
	assert_string_equal(err, "not a .vmx file: binary data at line 2");
	assert_model_unchanged(&v, &before);

	assert_int_equal(vd_parse_vmx(B("\x7f"
					"ELF\x02\x01\x01\xff\xfe"),
				      "f", &v, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a .vmx file: binary data at line 1");
	assert_int_equal(vd_parse_vmx(B("a = \"b\"\nc = \"\x1b[0m\"\n"), "f",
				      &v, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a .vmx file: binary data at line 2");
	assert_int_equal(vd_parse_vmx(B("[section]\nwords\r\n"), "f", &v, err,
				      sizeof(err)),
			 -EINVAL);
	assert_string_equal(
		err, "not a .vmx file: none of its 2 lines is key = value");
	assert_int_equal(vd_parse_vmx(NULL, 0, "f", &v, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a .vmx file: no key = value line");
	assert_int_equal(vd_parse_vmx(B("# only\n\r\n  # comments\n"), "f", &v,
				      err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "not a .vmx file: no key = value line");
	/* err may be absent */
	assert_int_equal(vd_parse_vmx(B("[section]\n"), "f", &v, NULL, 0),
			 -EINVAL);
	assert_model_unchanged(&v, &before);
	vd_vmware_free(&v);
}

static void test_hostile(void **state)
{
	const size_t big = 1 << 20;
	char *line = malloc(big + 64);
	struct vd_vmware v;
	const struct vd_vm *vm;
	char *many;
	size_t n = 0;

	(void)state;
	assert_non_null(line);
	vd_vmware_init(&v);
	/* unterminated quotes run to the end of the line; escapes of a NUL
	 * and invalid UTF-8 become '?'; keys without values are empty */
	assert_int_equal(parse(B("displayName = \"open quote  \r\n"
				 "guestOS = \"a|00b\xff\"\n"
				 "ethernet0.vnet =\n"
				 "ethernet0.connectionType = \"|\"\n"
				 "ethernet0.networkName = \"ab|7\"\n"
				 "uuid.bios\n"
				 "config.version = \"\n"),
			       &v),
			 0);
	vm = only_vm(&v);
	assert_string_equal(vm->name, "open quote");
	assert_string_equal(vm->guest_os, "a?b?");
	assert_int_equal(vm->n_nics, 1);
	assert_string_equal(vm->nics[0].vnet, "");
	assert_string_equal(vm->nics[0].conn, "|");
	assert_string_equal(vm->nics[0].network_name, "ab|7");
	assert_kv(&v, "", "config.version", "", 7);
	assert_null(kv_find(&v, "", "uuid.bios"));
	vd_vmware_free(&v);

	/* a 1 MB value: fields truncated, the kv whole */
	memcpy(line, "displayName = \"", 15);
	memset(line + 15, 'x', big);
	memcpy(line + 15 + big, "\"\nethernet0.present = TRUE\n", 27);
	assert_int_equal(parse((const uint8_t *)line, big + 42, &v), 0);
	vm = only_vm(&v);
	assert_int_equal(strlen(vm->name), sizeof(vm->name) - 1);
	assert_int_equal(strlen(kv_find(&v, "", "displayName")->value), big);
	assert_int_equal(vm->nics[0].present, VD_YES);
	assert_int_equal(vm->nics[0].line, 2);
	vd_vmware_free(&v);

	/* a 1 MB line without '=' between two pairs */
	memset(line, '"', big);
	memcpy(line + big, "\nguestOS = \"g\"\n", 15);
	assert_int_equal(parse((const uint8_t *)line, big + 15, &v), 0);
	assert_string_equal(only_vm(&v)->guest_os, "g");
	vd_vmware_free(&v);
	free(line);

	/* all hundred NICs */
	many = malloc(100 * 40);
	assert_non_null(many);
	for (int i = 99; i >= 0; i--)
		n += (size_t)sprintf(many + n,
				     "ethernet%d.present = \"TRUE\"\n", i);
	assert_int_equal(parse((const uint8_t *)many, n, &v), 0);
	vm = only_vm(&v);
	assert_int_equal(vm->n_nics, 100);
	assert_int_equal(vm->nics[0].index, 0);
	assert_int_equal(vm->nics[0].line, 100);
	assert_int_equal(vm->nics[99].index, 99);
	assert_int_equal(vm->nics[99].line, 1);
	vd_vmware_free(&v);
	free(many);
}

/* Every prefix of a sample parses, or is refused when it holds no pair. */
static void test_truncated(void **state)
{
	size_t len;
	uint8_t *buf = fixture("vmx-fusion-in-the-wild-1.vmx", &len);

	(void)state;
	for (size_t n = 0; n <= len; n++) {
		struct vd_vmware v;
		uint8_t *cut = malloc(n ? n : 1);
		int rc;

		assert_non_null(cut);
		memcpy(cut, buf, n);
		vd_vmware_init(&v);
		rc = parse(cut, n, &v);
		if (memchr(cut, '=', n)) {
			assert_int_equal(rc, 0);
			assert_true(only_vm(&v)->n_nics <= 2);
		} else {
			assert_int_equal(rc, -EINVAL);
			assert_int_equal(v.n_vms, 0);
		}
		vd_vmware_free(&v);
		free(cut);
	}
	free(buf);
}

static void test_out_of_memory(void **state)
{
	size_t len;
	uint8_t *buf = fixture("vmx-fusion-in-the-wild-1.vmx", &len);
	long allocs;

	(void)state;
	allocs = check_all_or_nothing(vd_parse_vmx, buf, len,
				      B("displayName = \"prior\"\n"
					"ethernet0.address = \"x\"\n"
					"ethernet0.x = \"y\"\n"));
	free(buf);
	if (allocs < 0)
		skip();
	assert_true(allocs > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fusion_sample),
		cmocka_unit_test(test_esx_sample),
		cmocka_unit_test(test_two_vms),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_nics),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_not_a_vmx),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
