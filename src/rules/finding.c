/* SPDX-License-Identifier: MIT */
#include "rules/finding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vd_findings_init(struct vd_findings *fl)
{
	memset(fl, 0, sizeof(*fl));
}

static void finding_free(struct vd_finding *f)
{
	free(f->title);
	free(f->subject);
	for (size_t i = 0; i < f->n_evidence; i++)
		free(f->evidence[i]);
	free(f->evidence);
	for (size_t i = 0; i < f->n_remedy; i++)
		free(f->remedy[i]);
	free(f->remedy);
}

void vd_findings_clear(struct vd_findings *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		finding_free(&fl->v[i]);
	free(fl->v);
	vd_findings_init(fl);
}

static char *vfmt(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

struct vd_finding *vd_finding_add(struct vd_findings *fl, const char *code,
				  const char *subject, const char *title_fmt,
				  ...)
{
	const struct vd_check *c = vd_catalog_find(code);
	struct vd_finding *f;
	va_list ap;

	if (!c)
		return NULL;
	if (fl->n == fl->cap) {
		size_t ncap = fl->cap ? fl->cap * 2 : 8;
		struct vd_finding *nv = realloc(fl->v, ncap * sizeof(*nv));

		if (!nv) {
			fl->oom = 1;
			return NULL;
		}
		fl->v = nv;
		fl->cap = ncap;
	}
	f = &fl->v[fl->n];
	memset(f, 0, sizeof(*f));
	f->check = c;
	f->severity = c->severity;
	va_start(ap, title_fmt);
	f->title = vfmt(title_fmt, ap);
	va_end(ap);
	f->subject = strdup(subject ? subject : "");
	if (!f->title || !f->subject) {
		finding_free(f);
		fl->oom = 1;
		return NULL;
	}
	fl->n++;
	return f;
}

static void push_line(struct vd_findings *fl, char ***arr, size_t *n,
		      const char *fmt, va_list ap)
{
	char *s = vfmt(fmt, ap);
	char **nv;

	if (!s) {
		fl->oom = 1;
		return;
	}
	nv = realloc(*arr, (*n + 1) * sizeof(*nv));
	if (!nv) {
		free(s);
		fl->oom = 1;
		return;
	}
	nv[(*n)++] = s;
	*arr = nv;
}

void vd_finding_evidence(struct vd_findings *fl, struct vd_finding *f,
			 const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	push_line(fl, &f->evidence, &f->n_evidence, fmt, ap);
	va_end(ap);
}

void vd_finding_remedy(struct vd_findings *fl, struct vd_finding *f,
		       const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	push_line(fl, &f->remedy, &f->n_remedy, fmt, ap);
	va_end(ap);
}

const struct vd_finding *vd_findings_find(const struct vd_findings *fl,
					  const char *code, const char *subject)
{
	for (size_t i = 0; i < fl->n; i++)
		if (strcmp(fl->v[i].check->code, code) == 0 &&
		    (!subject || strcmp(fl->v[i].subject, subject) == 0))
			return &fl->v[i];
	return NULL;
}

enum vd_severity vd_findings_worst(const struct vd_findings *fl)
{
	enum vd_severity w = VD_SEV_NONE;

	for (size_t i = 0; i < fl->n; i++)
		if (fl->v[i].severity > w)
			w = fl->v[i].severity;
	return w;
}
