/* SPDX-License-Identifier: MIT */
/* The security modules' files and KVM's parameters under the sysroot
 * (collect/linux/security.c). */
#ifndef VD_COLLECT_LINUX_SECURITY_H
#define VD_COLLECT_LINUX_SECURITY_H

#include "collect/linux/linux.h"

/* Fill f->security; 0, or -ENOMEM (a missing file leaves its part
 * unknown). */
int vd_linux_security(struct vd_facts *f, const struct vd_collect_opts *opts);

#endif
