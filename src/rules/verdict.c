/* SPDX-License-Identifier: MIT */
#include "rules/verdict.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const char *vd_status_name(enum vd_status s)
{
	switch (s) {
	case VD_STATUS_OK:
		return "ok";
	case VD_STATUS_WARNING:
		return "warning";
	case VD_STATUS_CRITICAL:
		return "critical";
	case VD_STATUS_UNKNOWN:
		break;
	}
	return "unknown";
}

/* Report order: by layer (HOST last), worst first, then code and subject;
 * the original position breaks ties so the sort is stable. */
struct slot {
	struct vd_finding f;
	size_t pos;
};

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;
	int c;

	if (x->f.check->layer != y->f.check->layer)
		return x->f.check->layer < y->f.check->layer ? -1 : 1;
	if (x->f.severity != y->f.severity)
		return x->f.severity > y->f.severity ? -1 : 1;
	c = strcmp(x->f.check->code, y->f.check->code);
	if (c)
		return c;
	c = strcmp(x->f.subject, y->f.subject);
	if (c)
		return c;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static void sort_findings(struct vd_findings *fl)
{
	struct slot *s;

	if (fl->n < 2)
		return;
	s = malloc(fl->n * sizeof(*s));
	if (!s)
		return; /* unsorted is still correct, only less tidy */
	for (size_t i = 0; i < fl->n; i++)
		s[i] = (struct slot){ fl->v[i], i };
	qsort(s, fl->n, sizeof(*s), cmp_slot);
	for (size_t i = 0; i < fl->n; i++)
		fl->v[i] = s[i].f;
	free(s);
}

/*
 * A finding is explained by another when that other is about the same
 * subject, sits at a lower layer and is at least as severe: the adapter is
 * down, so its route is missing.
 */
/* Does o's chain of causes lead back to f?  (Never link a cycle.) */
static bool leads_to(const struct vd_findings *fl, const struct vd_finding *o,
		     const struct vd_finding *f)
{
	for (size_t steps = 0; o && steps <= fl->n; steps++, o = o->cause)
		if (o == f)
			return true;
	return false;
}

static const struct vd_finding *explainer(const struct vd_findings *fl,
					  const struct vd_finding *f)
{
	const struct vd_finding *best = NULL;

	for (size_t i = 0; i < fl->n; i++) {
		const struct vd_finding *o = &fl->v[i];

		if (o == f || !o->subject[0] || strcmp(o->subject, f->subject))
			continue;
		if (leads_to(fl, o, f))
			continue;
		if (vd_check_rank(o->check) >= vd_check_rank(f->check) ||
		    o->severity < VD_SEV_WARNING || o->severity < f->severity)
			continue;
		if (!best ||
		    vd_check_rank(o->check) < vd_check_rank(best->check))
			best = o;
	}
	return best;
}

/* Is f about a target, or the cause (at any depth) of a finding that is? */
static bool on_path(const struct vd_findings *fl, const struct vd_finding *f,
		    const char *const *targets, size_t n)
{
	for (size_t i = 0; i < fl->n; i++) {
		const struct vd_finding *t = &fl->v[i];
		bool about = false;

		for (size_t k = 0; k < n; k++)
			about |= strcmp(t->subject, targets[k]) == 0;
		if (about && leads_to(fl, t, f))
			return true;
	}
	return false;
}

/* The lowest-ranked unexplained finding of severity sev (optionally only
 * on the path to the targets). */
static const struct vd_finding *pick(const struct vd_findings *fl,
				     enum vd_severity sev,
				     const char *const *targets, size_t n)
{
	const struct vd_finding *root = NULL;

	for (size_t i = 0; i < fl->n; i++) {
		const struct vd_finding *f = &fl->v[i];

		if (f->severity != sev || (f->cause && f->cause != f))
			continue;
		if (n && !on_path(fl, f, targets, n))
			continue;
		if (!root ||
		    vd_check_rank(f->check) < vd_check_rank(root->check))
			root = f;
	}
	return root;
}

void vd_verdict_decide(struct vd_findings *fl, struct vd_verdict *out)
{
	vd_verdict_decide_path(fl, NULL, 0, out);
}

void vd_verdict_decide_path(struct vd_findings *fl, const char *const *targets,
			    size_t n_targets, struct vd_verdict *out)
{
	enum vd_severity worst = vd_findings_worst(fl);
	const struct vd_finding *root = NULL;

	sort_findings(fl);
	/* Causes the rules named first, then those the subjects imply. */
	for (size_t i = 0; i < fl->n; i++) {
		struct vd_finding *f = &fl->v[i];

		f->cause = NULL;
		if (f->caused_by)
			f->cause = vd_findings_find(
				fl, f->caused_by,
				f->cause_subject ? f->cause_subject : NULL);
		if (f->cause && leads_to(fl, f->cause, f))
			f->cause = NULL;
	}
	for (size_t i = 0; i < fl->n; i++) {
		struct vd_finding *f = &fl->v[i];

		if (f->caused_by)
			continue;
		f->cause = explainer(fl, f);
		if (f->cause)
			f->caused_by = f->cause->check->code;
	}
	out->status = worst == VD_SEV_CRITICAL	? VD_STATUS_CRITICAL
		      : worst == VD_SEV_WARNING ? VD_STATUS_WARNING
						: VD_STATUS_OK;
	/* On the path to the targets first (a critical there), then the
	 * lowest-ranked unexplained finding of the worst severity overall;
	 * info findings never make a root cause. */
	if (n_targets)
		root = pick(fl, VD_SEV_CRITICAL, targets, n_targets);
	if (!root && worst >= VD_SEV_WARNING)
		root = pick(fl, worst, NULL, 0);
	out->root_cause = root;
}
