/* SPDX-License-Identifier: MIT */
/* The "security" object of the snapshot (docs/snapshot.md). */
#ifndef VD_SECURITY_JSON_H
#define VD_SECURITY_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "facts/facts.h"

/* A new JSON object (NULL when out of memory). */
json_t *vd_security_to_json(const struct vd_security *s);

/*
 * Fill out from a "security" object (absent or null: nothing known).  0,
 * or -EPROTO with "security.denials[3].text: ..." in err, or -ENOMEM.  out
 * is written only on success.
 */
int vd_security_from_json(json_t *j, struct vd_security *out, char *err,
			  size_t errlen);

#endif
