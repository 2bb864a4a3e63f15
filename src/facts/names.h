/* SPDX-License-Identifier: MIT */
/*
 * Names of the model's flag and enum values, as ip(8) prints them.  Shared by
 * the snapshot (which stores names, not numbers) and the evidence lines.
 */
#ifndef VD_NAMES_H
#define VD_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct vd_name {
	unsigned value;
	const char *name;
};

/* Tables, each terminated by { 0, NULL }. */
extern const struct vd_name vd_iff_names[];	    /* "UP", "LOWER_UP" */
extern const struct vd_name vd_ifa_flag_names[];    /* "noprefixroute" */
extern const struct vd_name vd_oper_names[];	    /* "UP", "DOWN" */
extern const struct vd_name vd_rtn_names[];	    /* "unicast" */
extern const struct vd_name vd_rtprot_names[];	    /* "kernel", "static" */
extern const struct vd_name vd_scope_names[];	    /* "global", "link" */
extern const struct vd_name vd_nud_names[];	    /* "REACHABLE" */
extern const struct vd_name vd_rtnh_flag_names[];   /* "linkdown" */
extern const struct vd_name vd_rule_action_names[]; /* "lookup" ... */

/* Name of a value, or NULL. */
const char *vd_name_of(const struct vd_name *t, unsigned value);
/* Value of a name; 0 or -ENOENT. */
int vd_value_of(const struct vd_name *t, const char *name, unsigned *value);
/*
 * Join the names of the bits set in flags with sep ("UP,LOWER_UP").
 * Unnamed bits are printed as 0x... .  Returns buf.
 */
const char *vd_flags_str(const struct vd_name *t, unsigned flags,
			 const char *sep, char *buf, size_t len);

/* Routing table name ("main", "local", "default") or its number in buf. */
const char *vd_table_str(uint32_t table, char *buf, size_t len);

#endif
