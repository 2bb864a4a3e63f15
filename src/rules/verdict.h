/* SPDX-License-Identifier: MIT */
/* The verdict: order findings by layer, link consequences, pick a root cause. */
#ifndef VD_VERDICT_H
#define VD_VERDICT_H

#include "rules/finding.h"

enum vd_status {
	VD_STATUS_OK = 0,
	VD_STATUS_WARNING = 1,
	VD_STATUS_CRITICAL = 2,
	VD_STATUS_UNKNOWN = 3,
};

struct vd_verdict {
	enum vd_status status;
	const struct vd_finding *root_cause; /* NULL when ok */
};

/*
 * Sort fl by layer (stable), mark findings explained by a lower-layer
 * finding on the same subject (caused_by), and choose the root cause.
 */
void vd_verdict_decide(struct vd_findings *fl, struct vd_verdict *out);

/*
 * The same, for a diagnosis with targets (their subjects, as given): the
 * root cause is the lowest critical finding on the path to a target — one
 * about the target, or one that explains such a finding — before any other.
 */
void vd_verdict_decide_path(struct vd_findings *fl, const char *const *targets,
			    size_t n_targets, struct vd_verdict *out);
const char *vd_status_name(enum vd_status s);

#endif
