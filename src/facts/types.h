/* SPDX-License-Identifier: MIT */
/* The basic types of the facts model, shared by the probe results. */
#ifndef VD_TYPES_H
#define VD_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VD_IFNAME_MAX 64 /* Windows adapter names are long */
#define VD_MAC_MAX    32 /* infiniband hardware addresses are 20 bytes */

enum vd_tri { VD_UNKNOWN = -1, VD_NO = 0, VD_YES = 1 };

/* Address families of the model (not the platform's AF_* values). */
enum vd_family { VD_AF_NONE = 0, VD_AF_INET = 4, VD_AF_INET6 = 6 };

struct vd_ip {
	uint8_t family; /* enum vd_family */
	uint8_t b[16];	/* network byte order; 4 bytes used for IPv4 */
};

#define VD_ARRAY(type, name) \
	type *name;          \
	size_t n_##name;     \
	size_t cap_##name

#endif
