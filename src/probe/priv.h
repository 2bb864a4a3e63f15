/* SPDX-License-Identifier: MIT */
/* Least privilege: raw sockets are opened first, then capabilities go. */
#ifndef VD_PRIV_H
#define VD_PRIV_H

/* Drop every capability of this process (a no-op when it has none). */
void vd_priv_drop(void);

#endif
