/* SPDX-License-Identifier: MIT */
/*
 * The security modules' files under the sysroot: SELinux's mode
 * (selinuxfs, else etc/selinux/config), AppArmor's loaded profiles, the
 * denials of the audit log and of kernel/syslog text (the last 8 MiB of
 * each, like VMware's logs), and whether KVM takes VT-x/AMD-V when it
 * loads.  A file that is absent or not in its format leaves its part
 * unknown; only -ENOMEM stops the collection.
 */
#include "collect/linux/security.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/security/parse.h"

#define LOG_TAIL (8u << 20)

typedef int parse_fn(const uint8_t *buf, size_t len, const char *file,
		     struct vd_security *out, char *err, size_t errlen);

/* Read rel (under r) and parse it, quoting "/rel" in evidence. */
static int read_one(const struct vd_root *r, const char *rel, bool tail,
		    parse_fn *fn, struct vd_security *s)
{
	char quoted[512], err[256];
	uint8_t *buf;
	size_t len;
	int rc;

	rc = tail ? vd_read_tail_under(r, rel, LOG_TAIL, &buf, &len)
		  : vd_read_under(r, rel, &buf, &len);
	if (rc < 0)
		return rc == -ENOMEM ? rc : 0;
	snprintf(quoted, sizeof(quoted), "/%s", rel);
	rc = fn(buf, len, quoted, s, err, sizeof(err));
	free(buf);
	return rc == -ENOMEM ? rc : 0;
}

static int read_yn(const struct vd_root *r, const char *rel, int8_t *out)
{
	uint8_t *buf;
	size_t len;
	int rc = vd_read_under(r, rel, &buf, &len);

	if (rc < 0)
		return rc == -ENOMEM ? rc : 0;
	(void)vd_parse_yn(buf, len, out, NULL, 0);
	free(buf);
	return 0;
}

int vd_linux_security(struct vd_facts *f, const struct vd_collect_opts *opts)
{
	static const char *const logs[] = {
		"var/log/audit/audit.log",
		"var/log/kern.log",
		"var/log/syslog",
		"var/log/messages",
	};
	const char *sysroot = opts ? opts->sysroot : NULL;
	struct vd_security *s = &f->security;
	struct vd_root r;
	int8_t aa = VD_UNKNOWN;
	int rc;

	if (sysroot && (sysroot[0] == '\0' || strcmp(sysroot, "/") == 0))
		sysroot = NULL;
	if (vd_root_open(&r, sysroot) < 0)
		return 0;
	rc = read_one(&r, "sys/fs/selinux/enforce", false,
		      vd_parse_selinux_enforce, s);
	if (!rc)
		rc = read_one(&r, "etc/selinux/config", false,
			      vd_parse_selinux_config, s);
	if (!rc)
		rc = read_yn(&r, "sys/module/apparmor/parameters/enabled", &aa);
	if (!rc)
		rc = read_one(&r, "sys/kernel/security/apparmor/profiles",
			      false, vd_parse_apparmor_profiles, s);
	if (!rc && s->apparmor == VD_UNKNOWN && aa != VD_UNKNOWN) {
		s->apparmor = aa;
		snprintf(s->apparmor_src, sizeof(s->apparmor_src), "%s",
			 "/sys/module/apparmor/parameters/enabled");
	}
	for (size_t i = 0; !rc && i < sizeof(logs) / sizeof(logs[0]); i++)
		rc = read_one(&r, logs[i], true, vd_parse_denials, s);
	if (!rc)
		rc = read_yn(&r,
			     "sys/module/kvm/parameters/enable_virt_at_load",
			     &s->kvm_virt_at_load);
	vd_root_close(&r);
	return rc;
}
