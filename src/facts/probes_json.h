/* SPDX-License-Identifier: MIT */
/*
 * Probe results as JSON: the "probes" object of the snapshot and of the
 * report (docs/snapshot.md).
 */
#ifndef VD_PROBES_JSON_H
#define VD_PROBES_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "facts/facts.h"

/* A new JSON object (NULL when out of memory). */
json_t *vd_probes_to_json(const struct vd_facts *f, const struct vd_probes *p);

/*
 * Fill out from a "probes" object (absent or null: nothing ran).  0, or
 * -EPROTO with "probes.tcp[3].port: ..." in err, or -ENOMEM.  out is
 * written only on success.
 */
int vd_probes_from_json(json_t *j, struct vd_probes *out, char *err,
			size_t errlen);

#endif
