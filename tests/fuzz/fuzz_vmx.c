/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: .vmx parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect/collect.h"
#include "fuzz_vmware.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prior[] = "displayName = \"prior\"\n"
			    "ethernet0.present = \"TRUE\"\n"
			    "ethernet0.pciSlotNumber = \"33\"\n";

static bool lower_case(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return false;
	return true;
}

static bool tri(int8_t t)
{
	return t == VD_UNKNOWN || t == VD_NO || t == VD_YES;
}

static void check_nic(const struct vd_vm_nic *n, unsigned lines)
{
	FUZZ_FIELD(n->conn);
	FUZZ_FIELD(n->vnet);
	FUZZ_FIELD(n->network_name);
	FUZZ_FIELD(n->virtual_dev);
	FUZZ_FIELD(n->address_type);
	FUZZ_FIELD(n->mac_text);
	if (n->index < 0 || n->index > 99 || !tri(n->present) ||
	    !tri(n->start_connected) || !lower_case(n->conn) ||
	    !lower_case(n->virtual_dev) || !lower_case(n->address_type) ||
	    (n->has_mac && !n->mac_text[0]) || !n->line || n->line > lines)
		__builtin_trap();
	/* a vnet that names a vmnet is normalised */
	if (vd_vnet_number(n->vnet) >= 0 && strncmp(n->vnet, "vmnet", 5) != 0)
		__builtin_trap();
}

static void check_vm(const struct vd_vmware *v, const struct vd_vm *vm,
		     size_t kvs_from, unsigned lines)
{
	FUZZ_FIELD(vm->name);
	FUZZ_FIELD(vm->guest_os);
	if (vm->file < 0 || (size_t)vm->file >= v->n_files ||
	    vm->running != VD_UNKNOWN || vm->n_nics > 100)
		__builtin_trap();
	for (size_t i = 0; i < vm->n_nics; i++) {
		check_nic(&vm->nics[i], lines);
		if (i > 0 && vm->nics[i].index <= vm->nics[i - 1].index)
			__builtin_trap();
	}
	fuzz_kvs(v, kvs_from, vm->file, lines);
	for (size_t i = kvs_from; i < v->n_kvs; i++) {
		const char *s = v->kvs[i].section;

		if (s[0] && strncmp(s, "ethernet", 8) != 0)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_vmware v;
	struct fuzz_before before;
	char err[128] = "";
	unsigned lines = fuzz_lines(data, size);
	int rc;

	vd_vmware_init(&v);
	if (vd_parse_vmx((const uint8_t *)prior, sizeof(prior) - 1, "prior.vmx",
			 &v, err, sizeof(err)) != 0)
		__builtin_trap();
	fuzz_before(&v, &before);
	rc = vd_parse_vmx(data, size, "f.vmx", &v, err, sizeof(err));
	if (rc == 0) {
		if (err[0] || v.n_vms != before.vms + 1 ||
		    strcmp(v.vms[0].name, "prior") != 0 ||
		    v.vms[0].n_nics != 1 || v.n_kvs < before.kvs ||
		    strcmp(v.kvs[0].key, "displayName") != 0)
			__builtin_trap();
		check_vm(&v, &v.vms[1], before.kvs, lines);
	} else {
		fuzz_failed(&v, &before, rc, err);
	}
	vd_vmware_free(&v);
	return 0;
}
