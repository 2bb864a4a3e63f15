/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: dhcpd.conf / vmnetdhcp.conf parser. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool line_ok(unsigned line, unsigned lines)
{
	return line > 0 && line <= lines;
}

static bool ip_ok(const struct vd_ip *ip)
{
	return ip->family == VD_AF_NONE || ip->family == VD_AF_INET;
}

static void check_subnet(const struct vd_dhcp_subnet *s, int vnet,
			 unsigned lines)
{
	if (s->vnet < -1 || s->vnet > 255 || (vnet >= 0 && s->vnet != vnet) ||
	    s->subnet.family != VD_AF_INET || s->netmask.family != VD_AF_INET ||
	    s->range_lo.family != s->range_hi.family || !ip_ok(&s->range_lo) ||
	    (s->range_lo.family != 0) != (s->range_line != 0) ||
	    !ip_ok(&s->router) ||
	    (s->router.family != 0) != (s->router_line != 0) || s->n_dns > 4 ||
	    (s->n_dns != 0) != (s->dns_line != 0) || s->range_line > lines ||
	    s->router_line > lines || s->dns_line > lines || s->src.file != 0 ||
	    !line_ok(s->src.line, lines))
		__builtin_trap();
	for (int i = 0; i < 4; i++)
		if ((i < s->n_dns) != (s->dns[i].family == VD_AF_INET))
			__builtin_trap();
}

static void check_host(const struct vd_dhcp_host *h, int vnet, unsigned lines)
{
	if (h->vnet < -1 || h->vnet > 255 || (vnet >= 0 && h->vnet != vnet) ||
	    !memchr(h->name, '\0', sizeof(h->name)) || !ip_ok(&h->ip) ||
	    h->src.file != 0 || !line_ok(h->src.line, lines))
		__builtin_trap();
}

/* Items from the marks on: what one parse appended. */
static void check(const struct vd_vmware *v, const struct vd_vmware_mark *m,
		  int vnet, unsigned lines)
{
	for (size_t i = m->dhcp_subnets; i < v->n_dhcp_subnets; i++)
		check_subnet(&v->dhcp_subnets[i], vnet, lines);
	for (size_t i = m->dhcp_hosts; i < v->n_dhcp_hosts; i++)
		check_host(&v->dhcp_hosts[i], vnet, lines);
	for (size_t i = m->kvs; i < v->n_kvs; i++) {
		const struct vd_kv *kv = &v->kvs[i];

		if (!kv->section || !kv->key || !kv->value ||
		    strlen(kv->key) >= 128 || strlen(kv->value) >= 1024 ||
		    kv->src.file != 0 || !line_ok(kv->src.line, lines))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_vmware v;
	struct vd_vmware_mark m0, m1;
	char err[128] = "";
	unsigned lines = 1;
	int rc;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	vd_vmware_init(&v);
	vd_vmware_mark(&v, &m0);
	rc = vd_parse_vmware_dhcpd(data, size, "f", -1, &v, err, sizeof(err));
	if (rc == 0) {
		if (err[0] || v.n_files != 1)
			__builtin_trap();
		check(&v, &m0, -1, lines);
		/* again, with the vnet the path names: the same items */
		vd_vmware_mark(&v, &m1);
		rc = vd_parse_vmware_dhcpd(data, size, "f", 7, &v, err,
					   sizeof(err));
		if (rc == 0 && (v.n_dhcp_subnets != 2 * m1.dhcp_subnets ||
				v.n_dhcp_hosts != 2 * m1.dhcp_hosts ||
				v.n_kvs != 2 * m1.kvs))
			__builtin_trap();
		if (rc == 0)
			check(&v, &m1, 7, lines);
		else if (rc != -ENOMEM)
			__builtin_trap();
	} else if (rc == -EINVAL) {
		/* a reason, and nothing appended */
		if (!err[0] || v.n_dhcp_subnets || v.n_dhcp_hosts || v.n_kvs)
			__builtin_trap();
	} else if (rc != -ENOMEM) {
		__builtin_trap();
	}
	vd_vmware_free(&v);
	return 0;
}
