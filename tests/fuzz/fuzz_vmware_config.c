/* SPDX-License-Identifier: MIT */
/* libFuzzer harness: etc/vmware/config parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect/collect.h"
#include "fuzz_vmware.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char prior[] = "product.version = \"1.0\"\nNETWORKING = \"yes\"\n";

static void check(const struct vd_vmware *v, const struct fuzz_before *b,
		  unsigned lines)
{
	const char *version = NULL;

	if (v->n_kvs > b->kvs)
		fuzz_kvs(v, b->kvs, v->kvs[b->kvs].src.file, lines);
	for (size_t i = b->kvs; i < v->n_kvs; i++) {
		if (v->kvs[i].section[0])
			__builtin_trap();
		if (fuzz_ieq(v->kvs[i].key, "product.version"))
			version = v->kvs[i].value;
	}
	FUZZ_FIELD(v->product_version);
	if (!version) {
		if (strcmp(v->product_version, b->product_version) != 0)
			__builtin_trap();
		return;
	}
	/* the field is the kept value, cut on a character boundary */
	if (strncmp(version, v->product_version, strlen(v->product_version)) !=
		    0 ||
	    (strlen(version) < sizeof(v->product_version) &&
	     strcmp(version, v->product_version) != 0))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_vmware v;
	struct fuzz_before before;
	char err[128] = "";
	int rc;

	vd_vmware_init(&v);
	if (vd_parse_vmware_config((const uint8_t *)prior, sizeof(prior) - 1,
				   "prior", &v, err, sizeof(err)) != 0 ||
	    strcmp(v.product_version, "1.0") != 0)
		__builtin_trap();
	fuzz_before(&v, &before);
	rc = vd_parse_vmware_config(data, size, "config", &v, err, sizeof(err));
	if (rc == 0) {
		if (err[0] || v.n_kvs < before.kvs ||
		    strcmp(v.kvs[0].key, "product.version") != 0)
			__builtin_trap();
		check(&v, &before, fuzz_lines(data, size));
	} else {
		fuzz_failed(&v, &before, rc, err);
	}
	vd_vmware_free(&v);
	return 0;
}
