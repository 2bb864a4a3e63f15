/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: nat.conf / vmnetnat.conf parser. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned count_lines(const uint8_t *p, size_t n)
{
	unsigned lines = 1;

	for (size_t i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

static void check_ok(const struct vd_vmware *v, size_t from, int vnet,
		     unsigned lines)
{
	const struct vd_natconf *n = &v->nats[v->n_nats - 1];

	if (n->vnet < -1 || n->vnet > 255 || (vnet >= 0 && n->vnet != vnet) ||
	    n->prefixlen < -1 || n->prefixlen > 32 ||
	    (n->prefixlen >= 0 && n->netmask.family != VD_AF_INET) ||
	    (n->ip.family != VD_AF_NONE && n->ip.family != VD_AF_INET) ||
	    memchr(n->device, '\0', sizeof(n->device)) == NULL ||
	    n->src.file != 0 || n->src.line > lines ||
	    (n->ip.family && !n->src.line))
		__builtin_trap();
	for (size_t i = from; i < v->n_portfwds; i++) {
		const struct vd_portfwd *pf = &v->portfwds[i];

		if (!pf->host_port || !pf->guest_port ||
		    (pf->proto != 6 && pf->proto != 17) ||
		    pf->guest.family != VD_AF_INET || pf->vnet != n->vnet ||
		    pf->src.file != 0 || !pf->src.line || pf->src.line > lines)
			__builtin_trap();
	}
}

static void check_kvs(const struct vd_vmware *v, size_t from, unsigned lines)
{
	for (size_t i = from; i < v->n_kvs; i++) {
		const struct vd_kv *kv = &v->kvs[i];

		if (!kv->section || !kv->key || !kv->value ||
		    strlen(kv->key) >= 128 || strlen(kv->value) >= 1024 ||
		    kv->src.file != 0 || !kv->src.line || kv->src.line > lines)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_vmware v;
	char err[128] = "";
	unsigned lines = count_lines(data, size);
	size_t fwds, kvs;
	int rc, rc2;

	vd_vmware_init(&v);
	rc = vd_parse_vmware_natconf(data, size, "f", -1, &v, err, sizeof(err));
	if (rc == 0) {
		if (err[0] || v.n_files != 1 || v.n_nats != 1)
			__builtin_trap();
		check_ok(&v, 0, -1, lines);
		check_kvs(&v, 0, lines);
		/* again, with the vnet the path names: the same items */
		fwds = v.n_portfwds;
		kvs = v.n_kvs;
		rc2 = vd_parse_vmware_natconf(data, size, "f", 7, &v, err,
					      sizeof(err));
		if (rc2 == 0) {
			if (v.n_files != 1 || v.n_nats != 2 ||
			    v.n_portfwds != 2 * fwds || v.n_kvs != 2 * kvs)
				__builtin_trap();
			check_ok(&v, fwds, 7, lines);
			check_kvs(&v, kvs, lines);
		} else if (rc2 != -ENOMEM) {
			__builtin_trap();
		}
	} else if (rc == -EINVAL) {
		/* a reason, and nothing appended */
		if (!err[0] || v.n_nats || v.n_portfwds || v.n_kvs)
			__builtin_trap();
	} else if (rc != -ENOMEM) {
		__builtin_trap();
	}
	vd_vmware_free(&v);
	return 0;
}
