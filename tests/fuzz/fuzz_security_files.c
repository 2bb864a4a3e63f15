/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the security modules' state files.  The first byte
 * chooses the parser (selinux enforce, selinux config, AppArmor profiles,
 * a Y/N parameter); the rest is the file.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collect/security/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void text(const char *s, size_t size)
{
	if (strnlen(s, size) == size)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_security s, before;
	char err[128] = "";
	int8_t yn = VD_UNKNOWN;
	int rc = 0;

	if (size < 1)
		return 0;
	vd_security_init(&s);
	if (vd_parse_apparmor_profiles((const uint8_t *)"/usr/sbin/libvirtd "
							"(enforce)\n",
				       29, "prior", &s, err,
				       sizeof(err)) != 0 ||
	    s.n_aa_profiles != 1)
		__builtin_trap();
	before = s;
	switch (data[0] % 4) {
	case 0:
		rc = vd_parse_selinux_enforce(data + 1, size - 1, "enforce", &s,
					      err, sizeof(err));
		if (rc == 0 && s.selinux != VD_SELINUX_ENFORCING &&
		    s.selinux != VD_SELINUX_PERMISSIVE)
			__builtin_trap();
		break;
	case 1:
		rc = vd_parse_selinux_config(data + 1, size - 1, "config", &s,
					     err, sizeof(err));
		text(s.selinux_config_src, sizeof(s.selinux_config_src));
		if (rc == 0 && s.selinux_config > VD_SELINUX_ENFORCING)
			__builtin_trap();
		break;
	case 2:
		rc = vd_parse_apparmor_profiles(data + 1, size - 1, "profiles",
						&s, err, sizeof(err));
		if (rc == 0 && s.aa_profiles_total < s.n_aa_profiles)
			__builtin_trap();
		for (size_t i = 0; rc == 0 && i < s.n_aa_profiles; i++) {
			text(s.aa_profiles[i].name,
			     sizeof(s.aa_profiles[i].name));
			if (!s.aa_profiles[i].name[0] ||
			    s.aa_profiles[i].mode > VD_AA_PROMPT)
				__builtin_trap();
		}
		break;
	case 3:
		rc = vd_parse_yn(data + 1, size - 1, &yn, err, sizeof(err));
		if ((rc == 0) != (yn != VD_UNKNOWN))
			__builtin_trap();
		break;
	}
	if (rc != 0 && rc != -EINVAL && rc != -ENOMEM)
		__builtin_trap();
	if (rc == -EINVAL && !err[0])
		__builtin_trap();
	/* a failure leaves the model as it was (a new file name aside) */
	if (rc != 0 && (s.n_aa_profiles != before.n_aa_profiles ||
			s.aa_profiles_total != before.aa_profiles_total ||
			s.selinux != before.selinux ||
			s.selinux_config != before.selinux_config))
		__builtin_trap();
	vd_security_free(&s);
	return 0;
}
