/* SPDX-License-Identifier: MIT */
/*
 * What the tests of the VMware parsers share: fixtures of
 * tests/fixtures/vmware/, their CRLF twins, and a check that a failed
 * parse left the model as it was.  Include after cmocka.h.
 */
#ifndef VD_TEST_VMWARE_FIXTURE_H
#define VD_TEST_VMWARE_FIXTURE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"
#include "facts/vmware.h"
#include "failmalloc.h"

#ifndef VD_SRCDIR
#error "VD_SRCDIR must name the source tree (set by tests/unit/meson.build)"
#endif
#define FIXTURES VD_SRCDIR "/tests/fixtures/vmware/"

#define B(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

/* A fixture's bytes in a buffer of exactly its size (ASan sees overreads). */
static inline uint8_t *fixture(const char *name, size_t *len)
{
	char path[1024];
	FILE *fp;
	uint8_t *buf;
	long n;

	snprintf(path, sizeof(path), "%s%s", FIXTURES, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n > 0);
	rewind(fp);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* buf with every LF made CR LF (a new buffer, its length in *n). */
static inline uint8_t *crlf_twin(const uint8_t *buf, size_t len, size_t *n)
{
	uint8_t *out = malloc(2 * len + 1);

	assert_non_null(out);
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			out[(*n)++] = '\r';
		out[(*n)++] = buf[i];
	}
	return out;
}

/* A parser of one network's file (nat.conf, dhcpd.conf, leases). */
typedef int (*vnet_parser)(const uint8_t *buf, size_t len, const char *file,
			   int vnet, struct vd_vmware *out, char *err,
			   size_t errlen);

/* Run fn; a failure must say why and leave every array of the model as
 * it was, a success must say nothing. */
static inline int checked_vnet_parse(vnet_parser fn, const uint8_t *buf,
				     size_t len, const char *file, int vnet,
				     struct vd_vmware *v)
{
	struct vd_vmware_mark before, after;
	char err[256] = "";
	int rc;

	vd_vmware_mark(v, &before);
	rc = fn(buf, len, file, vnet, v, err, sizeof(err));
	vd_vmware_mark(v, &after);
	if (rc == 0) {
		assert_string_equal(err, "");
	} else {
		assert_true(rc == -ENOMEM || err[0]);
		assert_memory_equal(&before, &after, sizeof(before));
	}
	return rc;
}

/* What a parse may change: the counts, and the first kv, vm and hit. */
struct model_state {
	size_t vms, nics0, netmap, log_hits, kvs;
	char kv0[64], vm0[128], hit0[64];
	char product_version[32];
};

static inline void model_state(const struct vd_vmware *v, struct model_state *s)
{
	memset(s, 0, sizeof(*s));
	s->vms = v->n_vms;
	s->nics0 = v->n_vms ? v->vms[0].n_nics : 0;
	s->netmap = v->n_netmap;
	s->log_hits = v->n_log_hits;
	s->kvs = v->n_kvs;
	if (v->n_kvs)
		snprintf(s->kv0, sizeof(s->kv0), "%s.%s=%s", v->kvs[0].section,
			 v->kvs[0].key, v->kvs[0].value);
	if (v->n_vms)
		snprintf(s->vm0, sizeof(s->vm0), "%s", v->vms[0].name);
	if (v->n_log_hits)
		snprintf(s->hit0, sizeof(s->hit0), "%s %s", v->log_hits[0].kind,
			 v->log_hits[0].text);
	memcpy(s->product_version, v->product_version,
	       sizeof(s->product_version));
}

static inline void assert_model_unchanged(const struct vd_vmware *v,
					  const struct model_state *before)
{
	struct model_state now;

	model_state(v, &now);
	assert_int_equal(now.vms, before->vms);
	assert_int_equal(now.nics0, before->nics0);
	assert_int_equal(now.netmap, before->netmap);
	assert_int_equal(now.log_hits, before->log_hits);
	assert_int_equal(now.kvs, before->kvs);
	assert_string_equal(now.kv0, before->kv0);
	assert_string_equal(now.vm0, before->vm0);
	assert_string_equal(now.hit0, before->hit0);
	assert_string_equal(now.product_version, before->product_version);
}

/* The kv of section and key (the last one), or NULL. */
static inline const struct vd_kv *kv_find(const struct vd_vmware *v,
					  const char *section, const char *key)
{
	for (size_t i = v->n_kvs; i-- > 0;)
		if (strcmp(v->kvs[i].section, section) == 0 &&
		    strcmp(v->kvs[i].key, key) == 0)
			return &v->kvs[i];
	return NULL;
}

/* Every VMware file parser has this type. */
typedef int (*vmware_parser)(const uint8_t *buf, size_t len, const char *file,
			     struct vd_vmware *out, char *err, size_t errlen);

/*
 * Parse buf into a model that already holds what prior gives, with the
 * k-th allocation failing for k = 0, 1, ... until the parse succeeds:
 * each failure must be -ENOMEM and leave the model as it was.  The number
 * of allocations the parse needs; -1 when allocations cannot fail here.
 */
static inline long check_all_or_nothing(vmware_parser parse, const uint8_t *buf,
					size_t len, const uint8_t *prior,
					size_t prior_len)
{
	if (!FAILMALLOC)
		return -1;
	for (long k = 0;; k++) {
		struct vd_vmware v;
		struct model_state before;
		char err[128];
		int rc;

		vd_vmware_init(&v);
		assert_int_equal(
			parse(prior, prior_len, "prior", &v, err, sizeof(err)),
			0);
		model_state(&v, &before);
		failmalloc_arm(k);
		rc = parse(buf, len, "f", &v, err, sizeof(err));
		failmalloc_disarm();
		if (rc == 0) {
			vd_vmware_free(&v);
			return k;
		}
		assert_int_equal(rc, -ENOMEM);
		assert_model_unchanged(&v, &before);
		vd_vmware_free(&v);
	}
}

#endif
