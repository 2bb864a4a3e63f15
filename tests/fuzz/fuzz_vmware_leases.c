/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: dhcpd.leases / bootpd dhcpd_leases parser. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect/collect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct vd_vmware *v, size_t from, int vnet,
		  unsigned lines)
{
	for (size_t i = from; i < v->n_leases; i++) {
		const struct vd_lease *l = &v->leases[i];

		if (l->vnet != vnet || l->ip.family != VD_AF_INET ||
		    !memchr(l->hostname, '\0', sizeof(l->hostname)) ||
		    l->starts < 0 || l->ends < 0 ||
		    (!l->has_mac && memcmp(l->mac, "\0\0\0\0\0\0", 6)) ||
		    l->src.file != 0 || l->src.line == 0 || l->src.line > lines)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_vmware v;
	char err[128] = "";
	unsigned lines = 1;
	size_t n;
	int rc;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	vd_vmware_init(&v);
	rc = vd_parse_vmware_leases(data, size, "f", -1, &v, err, sizeof(err));
	if (rc == 0) {
		if (err[0] || v.n_files != 1 || v.n_kvs)
			__builtin_trap();
		check(&v, 0, -1, lines);
		/* again, with the vnet the path names: the same leases */
		n = v.n_leases;
		rc = vd_parse_vmware_leases(data, size, "f", 7, &v, err,
					    sizeof(err));
		if (rc == 0 && v.n_leases != 2 * n)
			__builtin_trap();
		if (rc == 0)
			check(&v, n, 7, lines);
		else if (rc != -ENOMEM)
			__builtin_trap();
	} else if (rc == -EINVAL) {
		/* a reason, and nothing appended */
		if (!err[0] || v.n_leases)
			__builtin_trap();
	} else if (rc != -ENOMEM) {
		__builtin_trap();
	}
	vd_vmware_free(&v);
	return 0;
}
