/* SPDX-License-Identifier: MIT */
/*
 * The finding catalog: every code of shared/spec/findings.md with its layer,
 * default severity, one-line meaning and the long text of "explain".
 */
#ifndef VD_CATALOG_H
#define VD_CATALOG_H

#include <stddef.h>

/* Layers, lowest first.  The numeric order is the order of diagnosis. */
enum vd_layer {
	VD_L1 = 1,
	VD_L2 = 2,
	VD_L3 = 3,
	VD_L4 = 4,
	VD_L7 = 7,
	VD_HOST = 8,
};

enum vd_severity {
	VD_SEV_NONE = 0, /* used for "worst of an empty list" */
	VD_SEV_INFO = 1,
	VD_SEV_WARNING = 2,
	VD_SEV_CRITICAL = 3,
};

struct vd_check {
	const char *code;	   /* "L1.adapter-down" */
	enum vd_layer layer;	   /* the layer in the code */
	enum vd_layer breaks;	   /* for HOST codes: the layer it breaks */
	enum vd_severity severity; /* default */
	const char *summary;	   /* one line, from findings.md */
	const char *seed;	   /* "S1 S2", "-" */
	const char *sources;	   /* "snap probe pcap" */
	const char *release;	   /* release that implements it ("0.1") */
	int implemented;	   /* 1 when this build detects it */
};

/* The long text of "vnetdiag explain CODE" (catalog/explain.c). */
struct vd_explain {
	const char *code;
	const char *why;	 /* why it happens */
	const char *confirm;	 /* how to confirm it by hand */
	const char *fix_linux;	 /* how to fix it on a Linux host */
	const char *fix_windows; /* how to fix it on a Windows host */
};

extern const struct vd_check vd_catalog[];
extern const size_t vd_catalog_len;

const struct vd_check *vd_catalog_find(const char *code);
const struct vd_explain *vd_explain_find(const char *code);

extern const struct vd_explain vd_explain_table[];
extern const size_t vd_explain_table_len;
const char *vd_layer_name(enum vd_layer l);  /* "L1" ... "HOST" */
const char *vd_layer_title(enum vd_layer l); /* "physical / virtual adapter" */
const char *vd_severity_name(enum vd_severity s); /* "critical" */
/* Rank used to order root causes: HOST codes rank at the layer they break. */
int vd_check_rank(const struct vd_check *c);

#endif
