/* SPDX-License-Identifier: MIT */
/*
 * A virtual machine's .vmx (VMX syntax, see vmxsyntax.h):
 *
 *	displayName = "web01"
 *	guestOS = "ubuntu-64"
 *	ethernet0.present = "TRUE"
 *	ethernet0.connectionType = "custom"
 *	ethernet0.vnet = "/dev/vmnet8"
 *	ethernet0.addressType = "generated"
 *	ethernet0.generatedAddress = "00:0c:29:3b:64:ea"
 *
 * Appends one vd_vm with a NIC for each ethernetN (N 0..99) that any
 * ethernetN.* key names, sorted by N.  Unmodelled ethernetN keys are kept
 * as kvs of section "ethernetN"; of the hundreds of other keys only a few
 * that identify the VM are kept (section "").  Other keys, ethernet keys
 * past 99 or with a leading zero ("ethernet01") are ignored.  A key given
 * twice: the later wins, as in VMware.  Bytes in, facts out: no I/O.
 */
#include "collect/collect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/vmware/vmxsyntax.h"

#define NIC_MAX 99

/* Top-level keys worth a kv: they say which VM and which VMware. */
static const char *const kept_keys[] = {
	"displayName",	  "guestOS",	       "uuid.bios", "uuid.location",
	"config.version", "virtualHW.version", ".encoding",
};

/* One of ethernetN.address / ethernetN.generatedAddress. */
struct mac_source {
	bool set;
	bool ok; /* six octets */
	uint8_t mac[6];
	char text[32];
};

struct nic_state {
	bool seen;
	struct vd_vm_nic nic;
	struct mac_source address, generated;
};

static void copy_lower(char *dst, size_t len, const char *s)
{
	vd_vmx_copy(dst, len, s);
	for (; *dst; dst++)
		if (*dst >= 'A' && *dst <= 'Z')
			*dst = (char)(*dst - 'A' + 'a');
}

static struct vd_span trimmed(const char *s)
{
	struct vd_span v = { (const uint8_t *)s, strlen(s) };

	vd_span_trim(&v);
	return v;
}

/* "TRUE"/"FALSE" in any case; anything else is unknown. */
static int8_t vmx_bool(const char *s)
{
	struct vd_span v = trimmed(s);

	if (vd_span_ieq(&v, "true"))
		return VD_YES;
	if (vd_span_ieq(&v, "false"))
		return VD_NO;
	return VD_UNKNOWN;
}

static void mac_set(struct mac_source *m, const char *s)
{
	struct vd_span v = trimmed(s);

	m->set = true;
	vd_vmx_copy(m->text, sizeof(m->text), s);
	m->ok = vd_mac6_parse((const char *)v.p, v.n, m->mac);
}

static void vnet_set(struct vd_vm_nic *nic, const char *s)
{
	int num = vd_vnet_number(s);

	if (num >= 0)
		snprintf(nic->vnet, sizeof(nic->vnet), "vmnet%d", num);
	else
		vd_vmx_copy(nic->vnet, sizeof(nic->vnet), s);
}

/* An ethernetN.<rest> key; false when rest is not modelled. */
static bool nic_key(struct nic_state *st, const struct vd_span *rest,
		    const char *value)
{
	struct vd_vm_nic *nic = &st->nic;

	if (vd_span_ieq(rest, "present"))
		nic->present = vmx_bool(value);
	else if (vd_span_ieq(rest, "startConnected"))
		nic->start_connected = vmx_bool(value);
	else if (vd_span_ieq(rest, "connectionType"))
		copy_lower(nic->conn, sizeof(nic->conn), value);
	else if (vd_span_ieq(rest, "vnet"))
		vnet_set(nic, value);
	else if (vd_span_ieq(rest, "networkName"))
		vd_vmx_copy(nic->network_name, sizeof(nic->network_name),
			    value);
	else if (vd_span_ieq(rest, "virtualDev"))
		copy_lower(nic->virtual_dev, sizeof(nic->virtual_dev), value);
	else if (vd_span_ieq(rest, "addressType"))
		copy_lower(nic->address_type, sizeof(nic->address_type), value);
	else if (vd_span_ieq(rest, "address"))
		mac_set(&st->address, value);
	else if (vd_span_ieq(rest, "generatedAddress"))
		mac_set(&st->generated, value);
	else
		return false;
	return true;
}

static bool kept_key(const struct vd_span *key)
{
	for (size_t i = 0; i < sizeof(kept_keys) / sizeof(kept_keys[0]); i++)
		if (vd_span_ieq(key, kept_keys[i]))
			return true;
	return false;
}

static int pair(struct vd_vm *vm, struct nic_state *nics, struct vd_vmware *out,
		const struct vd_vmx_pair *p)
{
	struct vd_span rest;
	unsigned n;

	if (vd_vmx_indexed(p->key, "ethernet", NIC_MAX, &n, &rest)) {
		char section[16];

		if (!nics[n].seen) {
			nics[n].seen = true;
			nics[n].nic.line = p->src.line;
		}
		if (nic_key(&nics[n], &rest, p->value))
			return 0;
		snprintf(section, sizeof(section), "ethernet%u", n);
		return vd_vmx_kv_add(out, section, &rest, p->value, p->src);
	}
	if (vd_span_ieq(&p->key, "displayName"))
		vd_vmx_copy(vm->name, sizeof(vm->name), p->value);
	else if (vd_span_ieq(&p->key, "guestOS"))
		vd_vmx_copy(vm->guest_os, sizeof(vm->guest_os), p->value);
	if (kept_key(&p->key))
		return vd_vmx_kv_add(out, "", &p->key, p->value, p->src);
	return 0;
}

/* address when the type is static, else generatedAddress; either one
 * when it is the only one. */
static void nic_mac(struct nic_state *st)
{
	const struct mac_source *m = NULL;

	if (st->address.set &&
	    (!st->generated.set || strcmp(st->nic.address_type, "static") == 0))
		m = &st->address;
	else if (st->generated.set)
		m = &st->generated;
	if (!m)
		return;
	memcpy(st->nic.mac_text, m->text, sizeof(st->nic.mac_text));
	st->nic.has_mac = m->ok;
	if (m->ok)
		memcpy(st->nic.mac, m->mac, 6);
}

/* The VM and its NICs, sorted by index. */
static int add_vm(struct vd_vmware *out, const struct vd_vm *vm,
		  struct nic_state *nics)
{
	struct vd_vm *d = VD_PUSH(out, vms);

	if (!d)
		return -ENOMEM;
	*d = *vm;
	for (int i = 0; i <= NIC_MAX; i++) {
		struct vd_vm_nic *nic;

		if (!nics[i].seen)
			continue;
		nic_mac(&nics[i]);
		nic = VD_PUSH(d, nics);
		if (!nic)
			return -ENOMEM; /* the rollback frees d's NICs */
		*nic = nics[i].nic;
	}
	return 0;
}

int vd_parse_vmx(const uint8_t *buf, size_t len, const char *file,
		 struct vd_vmware *out, char *err, size_t errlen)
{
	struct vd_vm vm = { .running = VD_UNKNOWN };
	struct nic_state *nics;
	struct vd_vmx_reader r;
	struct vd_vmx_pair p;
	int rc;

	nics = calloc(NIC_MAX + 1, sizeof(*nics));
	if (!nics)
		return -ENOMEM;
	for (int i = 0; i <= NIC_MAX; i++) {
		nics[i].nic.index = i;
		nics[i].nic.present = VD_UNKNOWN;
		nics[i].nic.start_connected = VD_UNKNOWN;
	}
	rc = vd_vmx_begin(&r, buf, len, file ? file : "vmx", ".vmx file", out,
			  err, errlen);
	if (rc < 0) {
		free(nics);
		return rc;
	}
	r.need_pairs = true; /* an empty .vmx is no VM */
	vm.file = r.file;
	while ((rc = vd_vmx_next(&r, &p)) > 0)
		if ((rc = pair(&vm, nics, out, &p)) < 0)
			break;
	if (rc == 0)
		rc = add_vm(out, &vm, nics);
	free(nics);
	return vd_vmx_end(&r, rc, err, errlen);
}
