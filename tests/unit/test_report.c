/* SPDX-License-Identifier: MIT */
/* The JSON report's shape (shared/spec/cli.md) and the text report. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static void build(struct vd_findings *fl, struct vd_verdict *v)
{
	struct vd_finding *f;

	vd_findings_init(fl);
	f = vd_finding_add(fl, "L3.route-missing", "vmnet8",
			   "no route to %s through %s", "192.168.159.0/24",
			   "vmnet8");
	vd_finding_evidence(fl, f, "addr vmnet8: inet 192.168.159.1/24");
	vd_finding_remedy(fl, f, "ip route add 192.168.159.0/24 dev vmnet8");
	f = vd_finding_add(fl, "L1.adapter-down", "vmnet8",
			   "host adapter vmnet8 is administratively down");
	vd_finding_evidence(fl, f, "link vmnet8: <BROADCAST,MULTICAST>");
	vd_finding_remedy(fl, f, "ip link set dev vmnet8 up");
	/* Bytes that are not UTF-8 must not break the JSON. */
	vd_finding_add(fl, "HOST.sysctl-obsolete", "net.\xff", "bad \xfe");
	vd_verdict_decide(fl, v);
}

static void test_json_shape(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;
	struct vd_report r = { 0 };
	json_t *doc, *fs, *root, *f0, *f1;
	json_error_t e;
	char *s = NULL;

	(void)state;
	build(&fl, &v);
	r.findings = &fl;
	r.verdict = &v;
	assert_int_equal(vd_report_json(&r, &s), 0);
	doc = json_loads(s, 0, &e);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "schema")),
			    "vnetdiag.report/1");
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
			    "critical");
	root = json_object_get(doc, "root_cause");
	assert_true(json_is_object(root));
	assert_string_equal(json_string_value(json_object_get(root, "code")),
			    "L1.adapter-down");
	fs = json_object_get(doc, "findings");
	assert_int_equal(json_array_size(fs), 3);
	f0 = json_array_get(fs, 0);
	f1 = json_array_get(fs, 1);
	/* Ordered by layer; every key of the contract present. */
	assert_string_equal(json_string_value(json_object_get(f0, "code")),
			    "L1.adapter-down");
	assert_string_equal(json_string_value(json_object_get(f0, "layer")),
			    "L1");
	assert_string_equal(json_string_value(json_object_get(f0, "severity")),
			    "critical");
	assert_string_equal(json_string_value(json_object_get(f0, "subject")),
			    "vmnet8");
	assert_true(json_is_string(json_object_get(f0, "title")));
	assert_int_equal(json_array_size(json_object_get(f0, "evidence")), 1);
	assert_int_equal(json_array_size(json_object_get(f0, "remedy")), 1);
	assert_null(json_object_get(f0, "caused_by"));
	assert_string_equal(json_string_value(json_object_get(f1, "caused_by")),
			    "L1.adapter-down");
	assert_true(json_is_string(
		json_object_get(json_array_get(fs, 2), "subject")));
	assert_true(json_equal(root, f0));
	json_decref(doc);
	free(s);
	vd_findings_clear(&fl);
}

static void test_json_ok(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;
	struct vd_report r = { 0 };
	json_t *doc;
	char *s = NULL;

	(void)state;
	vd_findings_init(&fl);
	vd_verdict_decide(&fl, &v);
	r.findings = &fl;
	r.verdict = &v;
	assert_int_equal(vd_report_json(&r, &s), 0);
	doc = json_loads(s, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
			    "ok");
	assert_true(json_is_null(json_object_get(doc, "root_cause")));
	assert_int_equal(json_array_size(json_object_get(doc, "findings")), 0);
	json_decref(doc);
	free(s);
}

static void test_text(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;
	struct vd_report r = { 0 };
	char *s = NULL, *box, *l3;

	(void)state;
	build(&fl, &v);
	r.findings = &fl;
	r.verdict = &v;
	assert_int_equal(vd_report_text(&r, &s), 0);
	box = strstr(s, "ROOT CAUSE");
	l3 = strstr(s, "L3   network");
	assert_non_null(box);
	assert_non_null(l3);
	assert_true(box < l3); /* root cause first */
	assert_non_null(strstr(s, "(caused by L1.adapter-down)"));
	assert_non_null(strstr(s, "fix:      ip link set dev vmnet8 up"));
	assert_non_null(strstr(s, "critical: 2 critical, 1 warning, 0 info; "
				  "root cause L1.adapter-down (vmnet8)"));
	assert_null(strchr(s, '\033')); /* no colour unless asked */
	free(s);
	r.color = true;
	assert_int_equal(vd_report_text(&r, &s), 0);
	assert_non_null(strchr(s, '\033'));
	free(s);
	vd_findings_clear(&fl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_json_ok),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
