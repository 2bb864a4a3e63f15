/* SPDX-License-Identifier: MIT */
/*
 * Renderers: one findings list and verdict, as text for people or JSON for
 * programs (schema vnetdiag.report/1, shared/spec/cli.md).  They build a
 * string; cmd/ prints it.
 */
#ifndef VD_REPORT_H
#define VD_REPORT_H

#include <stdbool.h>

#include "facts/facts.h"
#include "rules/finding.h"
#include "rules/rules.h"
#include "rules/verdict.h"

#define VD_REPORT_SCHEMA "vnetdiag.report/1"

struct vd_report {
	const struct vd_findings *findings;
	const struct vd_verdict *verdict;
	const struct vd_facts *facts;	    /* optional: header, adapters */
	const struct vd_adapters *adapters; /* optional */
	const char *source;		    /* "live", or the snapshot file */
	bool color;			    /* ANSI colours (text only) */
	bool probes_run;		    /* false: passive */
	const struct vd_target *targets;    /* optional: the path section */
	size_t n_targets;
};

/* 0 and a malloc'd string in *out, or -ENOMEM. */
int vd_report_text(const struct vd_report *r, char **out);
int vd_report_json(const struct vd_report *r, char **out);
/* The VMware networks and VMs, a few lines for the text report's head. */
struct vd_strbuf;
void vd_report_topology(struct vd_strbuf *sb, const struct vd_facts *f);
/* Units of interest and NetworkManager devices, when collected. */
void vd_report_services(struct vd_strbuf *sb, const struct vd_facts *f);

#endif
