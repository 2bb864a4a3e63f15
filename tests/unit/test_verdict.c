/* SPDX-License-Identifier: MIT */
/* Ordering, consequences and the choice of the root cause. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "rules/verdict.h"

static struct vd_finding *add(struct vd_findings *fl, const char *code,
			      const char *subject)
{
	struct vd_finding *f = vd_finding_add(fl, code, subject, "t %s", code);

	assert_non_null(f);
	return f;
}

static void test_empty_is_ok(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;

	(void)state;
	vd_findings_init(&fl);
	vd_verdict_decide(&fl, &v);
	assert_int_equal(v.status, VD_STATUS_OK);
	assert_null(v.root_cause);
	add(&fl, "HOST.nic-model-legacy", "vm1");
	vd_verdict_decide(&fl, &v);
	assert_int_equal(v.status, VD_STATUS_OK);
	assert_null(v.root_cause);
	vd_findings_clear(&fl);
}

static void test_lowest_layer_critical(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;

	(void)state;
	vd_findings_init(&fl);
	add(&fl, "L3.subnet-overlap", "vmnet1");
	add(&fl, "L2.mtu-mismatch", "vmnet8");
	add(&fl, "L1.adapter-down", "vmnet8");
	add(&fl, "HOST.sysctl-obsolete", "net.ipv4.tcp_tw_recycle");
	vd_verdict_decide(&fl, &v);
	assert_int_equal(v.status, VD_STATUS_CRITICAL);
	assert_string_equal(v.root_cause->check->code, "L1.adapter-down");
	/* Ordered by layer, HOST last. */
	assert_string_equal(fl.v[0].check->code, "L1.adapter-down");
	assert_string_equal(fl.v[1].check->code, "L2.mtu-mismatch");
	assert_string_equal(fl.v[2].check->code, "L3.subnet-overlap");
	assert_string_equal(fl.v[3].check->code, "HOST.sysctl-obsolete");
	vd_findings_clear(&fl);
}

static void test_consequence_not_root(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;
	const struct vd_finding *route;

	(void)state;
	vd_findings_init(&fl);
	add(&fl, "L3.route-missing", "vmnet8");
	add(&fl, "L1.adapter-down", "vmnet8");
	vd_verdict_decide(&fl, &v);
	assert_string_equal(v.root_cause->check->code, "L1.adapter-down");
	route = vd_findings_find(&fl, "L3.route-missing", "vmnet8");
	assert_non_null(route->caused_by);
	assert_string_equal(route->caused_by, "L1.adapter-down");
	/* Another subject is not a consequence. */
	add(&fl, "L3.route-missing", "vmnet1");
	vd_verdict_decide(&fl, &v);
	route = vd_findings_find(&fl, "L3.route-missing", "vmnet1");
	assert_null(route->caused_by);
	vd_findings_clear(&fl);
}

static void test_warnings_only(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;

	(void)state;
	vd_findings_init(&fl);
	add(&fl, "HOST.sysctl-obsolete", "net.ipv4.tcp_tw_recycle");
	add(&fl, "L3.dns-no-server", "/etc/resolv.conf");
	add(&fl, "L2.mtu-mismatch", "vmnet8");
	vd_verdict_decide(&fl, &v);
	assert_int_equal(v.status, VD_STATUS_WARNING);
	assert_string_equal(v.root_cause->check->code, "L2.mtu-mismatch");
	vd_findings_clear(&fl);
}

static void test_explicit_cause_wins(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;
	struct vd_finding *f;

	(void)state;
	vd_findings_init(&fl);
	add(&fl, "L3.subnet-overlap", "vmnet8");
	f = add(&fl, "L1.no-carrier", "vmnet8");
	/* A rule may say that a lower finding is the consequence. */
	f->caused_by = "L3.subnet-overlap";
	vd_verdict_decide(&fl, &v);
	assert_string_equal(v.root_cause->check->code, "L3.subnet-overlap");
	vd_findings_clear(&fl);
}

static void test_host_rank(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;

	(void)state;
	vd_findings_init(&fl);
	/* HOST.vmware-service-down breaks L1: it outranks an L3 finding. */
	add(&fl, "L3.route-missing", "vmnet8");
	add(&fl, "HOST.vmware-service-down", "vmnet-natd");
	vd_verdict_decide(&fl, &v);
	assert_string_equal(v.root_cause->check->code,
			    "HOST.vmware-service-down");
	assert_null(vd_finding_add(&fl, "L9.nonsense", "x", "y"));
	vd_findings_clear(&fl);
}

static void test_path_first(void **state)
{
	struct vd_findings fl;
	struct vd_verdict v;
	const char *targets[] = { "10.9.9.9:80", "10.9.9.9" };

	(void)state;
	vd_findings_init(&fl);
	/* Unrelated: the NAT's DNS (an L3 critical, lower rank than L4). */
	add(&fl, "L3.dns-failure", "192.168.159.2");
	add(&fl, "L4.port-closed", "10.9.9.9");
	vd_verdict_decide_path(&fl, &targets[1], 1, &v);
	assert_string_equal(v.root_cause->check->code, "L4.port-closed");
	/* Without targets the lowest layer wins. */
	vd_verdict_decide(&fl, &v);
	assert_string_equal(v.root_cause->check->code, "L3.dns-failure");
	/* A cause of a target finding is on the path. */
	add(&fl, "L1.adapter-down", "vmnet8");
	fl.v[fl.n - 1].severity = VD_SEV_CRITICAL;
	for (size_t i = 0; i < fl.n; i++)
		if (strcmp(fl.v[i].subject, "10.9.9.9") == 0) {
			fl.v[i].caused_by = "L1.adapter-down";
			fl.v[i].cause_subject = NULL;
		}
	vd_verdict_decide_path(&fl, &targets[1], 1, &v);
	assert_string_equal(v.root_cause->check->code, "L1.adapter-down");
	vd_findings_clear(&fl);
	/* Nothing critical on the path: the worst overall. */
	vd_findings_init(&fl);
	add(&fl, "L3.dns-failure", "192.168.159.2");
	add(&fl, "L2.mtu-mismatch", "10.9.9.9");
	vd_verdict_decide_path(&fl, &targets[1], 1, &v);
	assert_string_equal(v.root_cause->check->code, "L3.dns-failure");
	vd_findings_clear(&fl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_is_ok),
		cmocka_unit_test(test_lowest_layer_critical),
		cmocka_unit_test(test_consequence_not_root),
		cmocka_unit_test(test_warnings_only),
		cmocka_unit_test(test_explicit_cause_wins),
		cmocka_unit_test(test_host_rank),
		cmocka_unit_test(test_path_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
