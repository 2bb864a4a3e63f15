/* SPDX-License-Identifier: MIT */
/* Findings: what rules and detectors report, and what the report renders. */
#ifndef VD_FINDING_H
#define VD_FINDING_H

#include <stdarg.h>
#include <stddef.h>

#include "catalog/catalog.h"

struct vd_finding {
	const struct vd_check *check;
	enum vd_severity severity;
	char *title;
	char *subject;
	char **evidence;
	size_t n_evidence;
	char **remedy;
	size_t n_remedy;
	const char *caused_by; /* code of the finding that explains this one */
	const char *cause_subject; /* its subject, when it differs; or NULL */
	const struct vd_finding *cause; /* that finding, when in this list */
};

struct vd_findings {
	struct vd_finding *v;
	size_t n, cap;
	int oom; /* set when an allocation failed; the list is then partial */
};

void vd_findings_init(struct vd_findings *fl);
void vd_findings_clear(struct vd_findings *fl);

/*
 * Add a finding of a catalogued code with its default severity.  Returns the
 * new finding or NULL (unknown code, or out of memory, which sets fl->oom).
 * The pointer stays valid until the next vd_finding_add.
 */
__attribute__((format(printf, 4, 5))) struct vd_finding *vd_finding_add(
	struct vd_findings *fl, const char *code, const char *subject,
	const char *title_fmt, ...);
__attribute__((format(printf, 3, 4))) void vd_finding_evidence(
	struct vd_findings *fl, struct vd_finding *f, const char *fmt, ...);
__attribute__((format(printf, 3, 4))) void vd_finding_remedy(
	struct vd_findings *fl, struct vd_finding *f, const char *fmt, ...);

/* Find a finding by code (and subject, when not NULL). */
const struct vd_finding *vd_findings_find(const struct vd_findings *fl,
					  const char *code,
					  const char *subject);

/* Worst severity in the list (VD_SEV_NONE when empty). */
enum vd_severity vd_findings_worst(const struct vd_findings *fl);

#endif
