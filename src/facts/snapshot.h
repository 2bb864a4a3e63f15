/* SPDX-License-Identifier: MIT */
/* The facts model as JSON: schema vnetdiag.snapshot/1 (docs/snapshot.md). */
#ifndef VD_SNAPSHOT_H
#define VD_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "facts/facts.h"

/*
 * Serialise the facts to a NUL-terminated JSON document (malloc'd, the
 * caller frees it).  0 or -ENOMEM.
 */
int vd_snapshot_dump(const struct vd_facts *f, char **out);

/*
 * Parse a snapshot from bytes.  On success *out is a new facts model.
 * On failure returns a negative error code and writes a one-line reason
 * (no trailing newline) to err: "not JSON: ... at line 3 column 7",
 * "schema 'vnetdiag.snapshot/2' is newer than this vnetdiag reads
 * (vnetdiag.snapshot/1)", "links[3].mtu: expected an integer"...
 *   -EPROTO   not JSON, or JSON of the wrong shape
 *   -ENOTSUP  another or a newer schema
 *   -EFBIG    larger than 256 MiB
 *   -ENOMEM
 */
int vd_snapshot_parse(const uint8_t *buf, size_t len, struct vd_facts **out,
		      char *err, size_t errlen);

#endif
