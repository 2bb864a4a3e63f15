/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the snapshot reader.  Besides "no crash, no leak":
 * a rejected input leaves the output alone and says why in one line; an
 * accepted one writes a snapshot that reads back and writes again byte for
 * byte the same.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_snapshot: %s: %s\n", what, detail);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_facts *f = NULL, *g = NULL;
	char err[512], *a = NULL, *b = NULL;
	int rc;

	rc = vd_snapshot_parse(data, size, &f, err, sizeof(err));
	if (rc < 0) {
		if (f)
			die("output written on failure", err);
		if (rc != -EPROTO && rc != -ENOTSUP && rc != -ENOMEM)
			die("unexpected error code", err);
		if (!err[0] || strchr(err, '\n'))
			die("error text empty or not one line", err);
		return 0;
	}
	if (vd_snapshot_dump(f, &a) < 0)
		goto out;
	rc = vd_snapshot_parse((const uint8_t *)a, strlen(a), &g, err,
			       sizeof(err));
	if (rc == -ENOMEM)
		goto out;
	if (rc < 0)
		die("cannot read what was written", err);
	if (vd_snapshot_dump(g, &b) < 0)
		goto out;
	if (strcmp(a, b) != 0)
		die("second write differs", a);
out:
	free(a);
	free(b);
	vd_facts_free(f);
	vd_facts_free(g);
	return 0;
}
