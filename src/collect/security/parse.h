/* SPDX-License-Identifier: MIT */
/*
 * Parsers of the security modules' files (collect/security/): bytes in,
 * struct vd_security out, no I/O.  Each is all or nothing: on failure the
 * model is as it was.  file is the path to quote in evidence.  They return
 * 0, -ENOMEM, or -EINVAL with a one-line reason in err for bytes that are
 * not the format.
 */
#ifndef VD_COLLECT_SECURITY_PARSE_H
#define VD_COLLECT_SECURITY_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "facts/security.h"

/* sys/fs/selinux/enforce: "0" permissive, "1" enforcing. */
int vd_parse_selinux_enforce(const uint8_t *buf, size_t len, const char *file,
			     struct vd_security *out, char *err, size_t errlen);
/* etc/selinux/config: SELINUX=enforcing|permissive|disabled (the last
 * one wins, as in libselinux).  Sets selinux_config; also selinux when it
 * is still unknown (the configured mode stands in for the running one). */
int vd_parse_selinux_config(const uint8_t *buf, size_t len, const char *file,
			    struct vd_security *out, char *err, size_t errlen);
/* sys/kernel/security/apparmor/profiles: "name (mode)" lines.  Keeps the
 * hypervisors' profiles, counts all; AppArmor is then enabled. */
int vd_parse_apparmor_profiles(const uint8_t *buf, size_t len, const char *file,
			       struct vd_security *out, char *err,
			       size_t errlen);
/* A Y/N module parameter (sys/module/apparmor/parameters/enabled,
 * sys/module/kvm/parameters/enable_virt_at_load) into *out. */
int vd_parse_yn(const uint8_t *buf, size_t len, int8_t *out, char *err,
		size_t errlen);
/*
 * A log with denials: audit.log (type=AVC ... avc:  denied  { perm } ...,
 * type=AVC/1400 ... apparmor="DENIED" ...) or kernel/syslog text (kern.log,
 * syslog, messages, journal export) carrying the same records after
 * "audit: type=1400".  Appends the denials of interest
 * (vd_denial_of_interest), at most VD_DENIALS_PER_FILE a file, counting
 * the rest in denials_dropped.  A NUL byte in the first 4 KiB: -EINVAL.
 */
int vd_parse_denials(const uint8_t *buf, size_t len, const char *file,
		     struct vd_security *out, char *err, size_t errlen);

#endif
