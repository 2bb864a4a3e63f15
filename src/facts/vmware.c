/* SPDX-License-Identifier: MIT */
#include "facts/vmware.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/facts.h"
#include "util/span.h"

void vd_vmware_init(struct vd_vmware *v)
{
	memset(v, 0, sizeof(*v));
	v->present = VD_UNKNOWN;
	v->module_files_known = VD_UNKNOWN;
}

static void free_vm(struct vd_vm *vm)
{
	free(vm->nics);
	vm->nics = NULL;
	vm->n_nics = vm->cap_nics = 0;
}

static void free_kv(struct vd_kv *kv)
{
	free(kv->section);
	free(kv->key);
	free(kv->value);
}

void vd_vmware_free(struct vd_vmware *v)
{
	struct vd_vmware_mark zero = { 0 };

	if (!v)
		return;
	vd_vmware_rollback(v, &zero);
	free(v->networking_file);
	for (size_t i = 0; i < v->n_files; i++)
		free(v->files[i]);
	free(v->files);
	free(v->vnets);
	free(v->portfwds);
	free(v->nats);
	free(v->dhcp_subnets);
	free(v->dhcp_hosts);
	free(v->leases);
	free(v->vms);
	free(v->netmap);
	free(v->log_hits);
	free(v->module_files);
	free(v->kvs);
	vd_vmware_init(v);
}

int vd_vmware_file(struct vd_vmware *v, const char *path)
{
	char **slot;

	for (size_t i = 0; i < v->n_files; i++)
		if (strcmp(v->files[i], path) == 0)
			return (int)i;
	slot = VD_PUSH(v, files);
	if (!slot)
		return -ENOMEM;
	*slot = strdup(path);
	if (!*slot) {
		v->n_files--;
		return -ENOMEM;
	}
	return (int)(v->n_files - 1);
}

const char *vd_vmware_where(const struct vd_vmware *v, struct vd_src src,
			    char *buf, size_t len)
{
	if (src.file < 0 || (size_t)src.file >= v->n_files) {
		if (len)
			buf[0] = '\0';
	} else if (src.line) {
		snprintf(buf, len, "%s:%u", v->files[src.file], src.line);
	} else {
		snprintf(buf, len, "%s", v->files[src.file]);
	}
	return buf;
}

int vd_vmware_kv_add(struct vd_vmware *v, const char *section, const char *key,
		     const char *value, struct vd_src src)
{
	struct vd_kv *kv = VD_PUSH(v, kvs);

	if (!kv)
		return -ENOMEM;
	kv->section = strdup(section ? section : "");
	kv->key = strdup(key);
	kv->value = strdup(value ? value : "");
	kv->src = src;
	if (!kv->section || !kv->key || !kv->value) {
		free_kv(kv);
		v->n_kvs--;
		return -ENOMEM;
	}
	return 0;
}

void vd_vmware_mark(const struct vd_vmware *v, struct vd_vmware_mark *m)
{
	m->vnets = v->n_vnets;
	m->portfwds = v->n_portfwds;
	m->nats = v->n_nats;
	m->dhcp_subnets = v->n_dhcp_subnets;
	m->dhcp_hosts = v->n_dhcp_hosts;
	m->leases = v->n_leases;
	m->vms = v->n_vms;
	m->netmap = v->n_netmap;
	m->log_hits = v->n_log_hits;
	m->kvs = v->n_kvs;
}

void vd_vmware_rollback(struct vd_vmware *v, const struct vd_vmware_mark *m)
{
	while (v->n_vms > m->vms)
		free_vm(&v->vms[--v->n_vms]);
	while (v->n_log_hits > m->log_hits)
		free(v->log_hits[--v->n_log_hits].text);
	while (v->n_kvs > m->kvs)
		free_kv(&v->kvs[--v->n_kvs]);
	if (v->n_vnets > m->vnets)
		v->n_vnets = m->vnets;
	if (v->n_portfwds > m->portfwds)
		v->n_portfwds = m->portfwds;
	if (v->n_nats > m->nats)
		v->n_nats = m->nats;
	if (v->n_dhcp_subnets > m->dhcp_subnets)
		v->n_dhcp_subnets = m->dhcp_subnets;
	if (v->n_dhcp_hosts > m->dhcp_hosts)
		v->n_dhcp_hosts = m->dhcp_hosts;
	if (v->n_leases > m->leases)
		v->n_leases = m->leases;
	if (v->n_netmap > m->netmap)
		v->n_netmap = m->netmap;
}

const struct vd_vnet *vd_vmware_vnet(const struct vd_vmware *v, int num)
{
	for (size_t i = 0; i < v->n_vnets; i++)
		if (v->vnets[i].num == num)
			return &v->vnets[i];
	return NULL;
}

const char *vd_vnet_mode_text(unsigned mode)
{
	switch (mode) {
	case VD_VNET_BRIDGED:
		return "bridged";
	case VD_VNET_HOSTONLY:
		return "host-only";
	case VD_VNET_NAT:
		return "NAT";
	}
	return "unknown mode";
}

int vd_vnet_number(const char *s)
{
	int n = 0;

	if (strncmp(s, "/dev/", 5) == 0)
		s += 5;
	if (strncasecmp(s, "vmnet", 5) != 0)
		return -1;
	s += 5;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (*s - '0');
		if (n > VD_VNET_MAX)
			return -1;
	}
	return *s ? -1 : n;
}

bool vd_mac6_parse(const char *s, size_t n, uint8_t mac[6])
{
	size_t i = 0;

	for (int oct = 0; oct < 6; oct++) {
		int v = 0, digits = 0;

		if (oct > 0) {
			if (i >= n || (s[i] != ':' && s[i] != '-'))
				return false;
			i++;
		}
		while (i < n && digits < 2 &&
		       vd_hexval((unsigned char)s[i]) >= 0) {
			v = v * 16 + vd_hexval((unsigned char)s[i]);
			i++;
			digits++;
		}
		if (digits == 0)
			return false;
		mac[oct] = (uint8_t)v;
	}
	return i == n;
}
