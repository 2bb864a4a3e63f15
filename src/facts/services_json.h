/* SPDX-License-Identifier: MIT */
/*
 * Services and NetworkManager as JSON: the "services" object of the
 * snapshot and of the report (docs/snapshot.md).
 */
#ifndef VD_SERVICES_JSON_H
#define VD_SERVICES_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "facts/services.h"

/* A new JSON object (NULL when out of memory). */
json_t *vd_services_to_json(const struct vd_services *s);

/*
 * Fill out from a "services" object (absent or null: nothing was
 * collected, out stays as it is).  0, or -EPROTO with
 * "services.units[2].name: ..." in err, or -ENOMEM.  out is written only
 * on success.
 */
int vd_services_from_json(json_t *j, struct vd_services *out, char *err,
			  size_t errlen);

#endif
