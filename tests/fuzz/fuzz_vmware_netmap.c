/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: netmap.conf parser. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "collect/collect.h"
#include "fuzz_vmware.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prior[] = "network0.name = \"Bridged\"\n"
			    "network0.device = \"vmnet0\"\n"
			    "other = \"x\"\n";

static void check(const struct vd_vmware *v, const struct fuzz_before *b,
		  unsigned lines)
{
	int file = -1;

	for (size_t i = b->netmap; i < v->n_netmap; i++) {
		const struct vd_netmap *m = &v->netmap[i];

		FUZZ_FIELD(m->name);
		FUZZ_FIELD(m->device);
		if (file < 0)
			file = m->src.file;
		if (m->index < 0 || m->index > 255 ||
		    (i > b->netmap && m->index <= m[-1].index) ||
		    m->src.file != file || (size_t)file >= v->n_files ||
		    !m->src.line || m->src.line > lines)
			__builtin_trap();
	}
	if (v->n_kvs > b->kvs)
		fuzz_kvs(v, b->kvs, v->kvs[b->kvs].src.file, lines);
	for (size_t i = b->kvs; i < v->n_kvs; i++) {
		const char *s = v->kvs[i].section;
		unsigned n;
		char again[16];

		if (!s[0])
			continue;
		/* "networkN" with N written as the netmap writes it */
		if (sscanf(s, "network%u", &n) != 1 || n > 255)
			__builtin_trap();
		snprintf(again, sizeof(again), "network%u", n);
		if (strcmp(again, s) != 0)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_vmware v;
	struct fuzz_before before;
	char err[128] = "";
	int rc;

	vd_vmware_init(&v);
	if (vd_parse_vmware_netmap((const uint8_t *)prior, sizeof(prior) - 1,
				   "prior", &v, err, sizeof(err)) != 0 ||
	    v.n_netmap != 1 || v.n_kvs != 1)
		__builtin_trap();
	fuzz_before(&v, &before);
	rc = vd_parse_vmware_netmap(data, size, "netmap.conf", &v, err,
				    sizeof(err));
	if (rc == 0) {
		if (err[0] || strcmp(v.netmap[0].name, "Bridged") != 0 ||
		    strcmp(v.kvs[0].key, "other") != 0)
			__builtin_trap();
		check(&v, &before, fuzz_lines(data, size));
	} else {
		fuzz_failed(&v, &before, rc, err);
	}
	vd_vmware_free(&v);
	return 0;
}
