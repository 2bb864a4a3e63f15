/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: NetworkManager's configuration and udev rules.  The
 * first byte chooses the parser (even: a key file, odd: udev rules); the
 * rest is the file.  Each statement must be sane and match a device
 * without crashing; a refused file must leave the model as it was.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect/nmconf.h"
#include "facts/facts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned lines_of(const uint8_t *p, size_t n)
{
	unsigned l = 1;

	for (size_t i = 0; i < n; i++)
		l += p[i] == '\n';
	return l;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vd_nm_match devs[] = {
		{ "vmnet8", "00:50:56:c0:00:08", "bridge" },
		{ "virbr0", NULL, NULL },
		{ "", "", "" },
	};
	struct vd_services s;
	char err[256];
	bool udev;
	size_t before;
	int rc;

	if (size < 1)
		return 0;
	udev = data[0] & 1;
	data++;
	size--;
	vd_services_init(&s);
	/* an earlier file's statement, which a plain key may replace */
	if (vd_nm_add_unmanage(&s.nm, VD_NM_KEYFILE, "interface-name:x*", 17,
			       "/prior.conf", 1) < 0)
		goto out;
	before = s.nm.n_unmanaged;
	err[0] = '\0';
	rc = udev ? vd_parse_nm_udev(data, size, "/f", &s.nm, err, sizeof(err))
		  : vd_parse_nm_conf(data, size, "/f", &s.nm, err, sizeof(err));
	if (rc < 0 && rc != -ENOMEM && s.nm.n_unmanaged != before)
		__builtin_trap();
	if (rc == -EINVAL && !err[0])
		__builtin_trap();
	for (size_t i = 0; i < s.nm.n_unmanaged; i++) {
		const struct vd_nm_unmanage *u = &s.nm.unmanaged[i];

		if (!u->specs || !u->file || u->src < VD_NM_KEYFILE ||
		    u->src > VD_NM_UDEV)
			__builtin_trap();
		if (strcmp(u->file, "/f") == 0 &&
		    (!u->line || u->line > lines_of(data, size)))
			__builtin_trap();
		for (size_t d = 0; d < sizeof(devs) / sizeof(devs[0]); d++) {
			int r = vd_nm_unmanage_matches(u, &devs[d]);

			if (r != VD_YES && r != VD_NO && r != VD_UNKNOWN)
				__builtin_trap();
		}
	}
out:
	vd_services_free(&s);
	return 0;
}
