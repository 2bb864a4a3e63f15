/* SPDX-License-Identifier: MIT */
/* The report for programs: schema vnetdiag.report/1 (shared/spec/cli.md). */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "facts/probes_json.h"
#include "facts/services_json.h"
#include "report/report.h"

/* A JSON string even when the bytes are not UTF-8 (interface names and
 * file lines can be anything): invalid bytes become '?'. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	char *copy;

	if (j || !s)
		return j;
	copy = strdup(s);
	if (!copy)
		return NULL;
	for (unsigned char *c = (unsigned char *)copy; *c; c++)
		if (*c >= 0x80)
			*c = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

static json_t *strings(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, jstr(v[i]));
	return a;
}

static json_t *finding_json(const struct vd_finding *f)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	json_object_set_new(o, "code", json_string(f->check->code));
	json_object_set_new(o, "layer",
			    json_string(vd_layer_name(f->check->layer)));
	json_object_set_new(o, "severity",
			    json_string(vd_severity_name(f->severity)));
	json_object_set_new(o, "title", jstr(f->title));
	json_object_set_new(o, "subject", jstr(f->subject));
	json_object_set_new(o, "evidence", strings(f->evidence, f->n_evidence));
	json_object_set_new(o, "remedy", strings(f->remedy, f->n_remedy));
	if (f->caused_by)
		json_object_set_new(o, "caused_by", json_string(f->caused_by));
	return o;
}

static const char *origin_name(enum vd_adapter_origin o)
{
	return o == VD_ADAPTER_CONFIG	? "config"
	       : o == VD_ADAPTER_OPTION ? "option"
					: "pattern";
}

static json_t *adapters_json(const struct vd_adapters *a)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < a->n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "name", jstr(a->v[i].name));
		json_object_set_new(o, "origin",
				    json_string(origin_name(a->v[i].origin)));
		json_object_set_new(o, "why", jstr(a->v[i].why));
		json_object_set_new(o, "present",
				    json_boolean(a->v[i].link != NULL));
		json_array_append_new(arr, o);
	}
	return arr;
}

int vd_report_json(const struct vd_report *r, char **out)
{
	const struct vd_findings *fl = r->findings;
	json_t *doc = json_object(), *arr = json_array(), *sum = json_object();
	size_t n[4] = { 0 };
	char *s = NULL;

	if (!doc || !arr || !sum)
		goto out;
	json_object_set_new(doc, "schema", json_string(VD_REPORT_SCHEMA));
	json_object_set_new(doc, "status",
			    json_string(vd_status_name(r->verdict->status)));
	json_object_set_new(doc, "root_cause",
			    r->verdict->root_cause
				    ? finding_json(r->verdict->root_cause)
				    : json_null());
	for (size_t i = 0; i < fl->n; i++) {
		json_array_append_new(arr, finding_json(&fl->v[i]));
		n[fl->v[i].severity]++;
	}
	json_object_set(doc, "findings", arr);
	json_object_set_new(sum, "critical", json_integer((json_int_t)n[3]));
	json_object_set_new(sum, "warning", json_integer((json_int_t)n[2]));
	json_object_set_new(sum, "info", json_integer((json_int_t)n[1]));
	json_object_set(doc, "summary", sum);
	json_object_set_new(doc, "tool",
			    json_pack("{s:s, s:s}", "name", "vnetdiag",
				      "version", VD_VERSION));
	json_object_set_new(doc, "source",
			    jstr(r->source ? r->source : "live"));
	json_object_set_new(doc, "probes_run", json_boolean(r->probes_run));
	if (r->facts) {
		json_t *h = json_object();

		json_object_set_new(h, "hostname",
				    jstr(r->facts->host.hostname));
		json_object_set_new(h, "kernel", jstr(r->facts->host.kernel));
		json_object_set_new(h, "os", jstr(r->facts->host.os_pretty));
		json_object_set_new(doc, "host", h);
		json_object_set_new(doc, "collected_at",
				    json_string(r->facts->collected_at));
	}
	if (r->adapters)
		json_object_set_new(doc, "adapters",
				    adapters_json(r->adapters));
	if (r->facts && (r->facts->services.n_units ||
			 r->facts->services.nm.from != VD_SVC_UNKNOWN))
		json_object_set_new(doc, "services",
				    vd_services_to_json(&r->facts->services));
	if (r->facts && r->facts->probes.ran)
		json_object_set_new(
			doc, "probes",
			vd_probes_to_json(r->facts, &r->facts->probes));
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
out:
	json_decref(arr);
	json_decref(sum);
	json_decref(doc);
	if (!s)
		return -ENOMEM;
	*out = s;
	return 0;
}
