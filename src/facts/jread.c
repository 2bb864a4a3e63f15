/* SPDX-License-Identifier: MIT */
#include "facts/jread.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "facts/types.h"

int vd_jrd_bad(struct vd_jrd *r, const char *key, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "%s.%s: ", r->path, key);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EPROTO;
}

int vd_jrd_str(struct vd_jrd *r, json_t *o, const char *key, char *buf,
	       size_t len)
{
	json_t *j = json_object_get(o, key);

	buf[0] = '\0';
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_string(j))
		return vd_jrd_bad(r, key, "expected a string");
	if (json_string_length(j) >= len ||
	    strlen(json_string_value(j)) != json_string_length(j))
		return vd_jrd_bad(r, key, "longer than %zu bytes or with a NUL",
				  len - 1);
	memcpy(buf, json_string_value(j), json_string_length(j) + 1);
	return 0;
}

int vd_jrd_tri(struct vd_jrd *r, json_t *o, const char *key, int8_t *t)
{
	json_t *j = json_object_get(o, key);

	*t = VD_UNKNOWN;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_boolean(j))
		return vd_jrd_bad(r, key, "expected true, false or null");
	*t = json_is_true(j) ? VD_YES : VD_NO;
	return 0;
}

int vd_jrd_int(struct vd_jrd *r, json_t *o, const char *key, long long lo,
	       long long hi, long long *v)
{
	json_t *j = json_object_get(o, key);

	*v = 0;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_integer(j))
		return vd_jrd_bad(r, key, "expected an integer");
	*v = json_integer_value(j);
	if (*v < lo || *v > hi)
		return vd_jrd_bad(r, key, "%lld is out of range", *v);
	return 0;
}

json_t *vd_jrd_array(json_t *o, const char *key)
{
	json_t *a = json_object_get(o, key);

	return a && json_is_array(a) ? a : NULL;
}
