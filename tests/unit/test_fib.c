/* SPDX-License-Identifier: MIT */
/* The replayed route lookup against what the kernel would answer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "builder.h"
#include "rules/fib.h"

static struct vd_facts *host(void)
{
	struct vd_facts *f = vd_facts_new();

	b_link(f, 1, "lo", "", UPF | VD_IFF_LOOPBACK);
	b_link(f, 2, "eth0", "", UPF);
	b_link(f, 3, "vmnet8", "bridge", UPF);
	b_route(f, "0.0.0.0/0", "10.0.0.1", 2, 100);
	b_route(f, "10.0.0.0/24", NULL, 2, 100);
	b_route(f, "192.168.159.0/24", NULL, 3, 0);
	return f;
}

static int lookup_oif(struct vd_facts *f, const char *dst)
{
	struct vd_fib_result r;
	struct vd_ip ip;

	vd_facts_sort(f);
	vd_ip_parse(dst, &ip);
	vd_fib_lookup(f, &ip, &r);
	return r.route ? r.route->oif : -(int)r.type;
}

static void test_longest_prefix(void **state)
{
	struct vd_facts *f = host();

	(void)state;
	assert_int_equal(lookup_oif(f, "192.168.159.128"), 3);
	assert_int_equal(lookup_oif(f, "8.8.8.8"), 2);
	b_route(f, "192.168.159.128/25", "10.0.0.1", 2, 0);
	assert_int_equal(lookup_oif(f, "192.168.159.128"), 2);
	assert_int_equal(lookup_oif(f, "192.168.159.2"), 3);
	vd_facts_free(f);
}

static void test_metric(void **state)
{
	struct vd_facts *f = vd_facts_new();

	(void)state;
	b_link(f, 2, "eth0", "", UPF);
	b_link(f, 3, "vmnet8", "", UPF);
	b_route(f, "192.168.159.0/24", NULL, 3, 500);
	b_route(f, "192.168.159.0/24", "10.0.0.1", 2, 100);
	assert_int_equal(lookup_oif(f, "192.168.159.128"), 2);
	vd_facts_free(f);
}

static void test_no_route(void **state)
{
	struct vd_facts *f = vd_facts_new();

	(void)state;
	b_route(f, "10.0.0.0/8", NULL, 2, 0);
	assert_int_equal(lookup_oif(f, "192.168.1.1"), -VD_RTN_UNSPEC);
	vd_facts_free(f);
}

static void test_policy_rules(void **state)
{
	struct vd_facts *f = host();
	struct vd_rule *r;
	struct vd_route *rt;

	(void)state;
	/* A VPN-style table with its own default, consulted first. */
	b_rule(f, 0, VD_RT_TABLE_LOCAL);
	r = b_rule(f, 100, 51820);
	(void)r;
	b_rule(f, 32766, VD_RT_TABLE_MAIN);
	rt = b_route(f, "0.0.0.0/0", NULL, 9, 0);
	rt->table = 51820;
	assert_int_equal(lookup_oif(f, "192.168.159.128"), 9);
	/* WireGuard's pattern: main with suppress_prefixlength 0 first. */
	r = b_rule(f, 50, VD_RT_TABLE_MAIN);
	r->suppress_prefixlen = 0;
	assert_int_equal(lookup_oif(f, "192.168.159.128"), 3);
	assert_int_equal(lookup_oif(f, "8.8.8.8"), 9);
	vd_facts_free(f);
}

static void test_rule_selectors(void **state)
{
	struct vd_facts *f = host();
	struct vd_rule *r;

	(void)state;
	b_rule(f, 32766, VD_RT_TABLE_MAIN);
	/* A fwmark rule does not match unmarked traffic... */
	r = b_rule(f, 10, VD_RT_TABLE_MAIN);
	r->action = VD_FR_ACT_PROHIBIT;
	r->fwmark = 0x1;
	r->fwmask = 0xffffffff;
	assert_int_equal(lookup_oif(f, "192.168.159.128"), 3);
	/* ... but "not fwmark" does (sorted: the rule of priority 10 is
	 * first). */
	assert_int_equal(f->rules[0].priority, 10);
	f->rules[0].invert = true;
	assert_int_equal(lookup_oif(f, "192.168.159.128"), -VD_RTN_PROHIBIT);
	f->rules[0].invert = false;
	/* An iif other than lo never sees locally generated traffic. */
	r = b_rule(f, 20, 0);
	r->action = VD_FR_ACT_BLACKHOLE;
	snprintf(r->iif, sizeof(r->iif), "eth0");
	assert_int_equal(lookup_oif(f, "192.168.159.128"), 3);
	/* A "to" selector. */
	r = b_rule(f, 30, 0);
	r->action = VD_FR_ACT_UNREACHABLE;
	vd_prefix_parse("192.168.159.0/24", &r->dst, &r->dst_len);
	assert_int_equal(lookup_oif(f, "192.168.159.128"), -VD_RTN_UNREACHABLE);
	assert_int_equal(lookup_oif(f, "8.8.8.8"), 2);
	vd_facts_free(f);
}

static void test_throw_and_dead(void **state)
{
	struct vd_facts *f = host();
	struct vd_route *rt;

	(void)state;
	b_rule(f, 10, 100);
	b_rule(f, 32766, VD_RT_TABLE_MAIN);
	rt = b_route(f, "192.168.159.0/24", NULL, 0, 0);
	rt->table = 100;
	rt->type = VD_RTN_THROW;
	assert_int_equal(lookup_oif(f, "192.168.159.1"), 3);
	/* A dead next hop is skipped: the default route takes over. */
	for (size_t i = 0; i < f->n_routes; i++)
		if (f->routes[i].oif == 3)
			f->routes[i].nh_flags = VD_RTNH_F_DEAD;
	assert_int_equal(lookup_oif(f, "192.168.159.1"), 2);
	vd_facts_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_longest_prefix),
		cmocka_unit_test(test_metric),
		cmocka_unit_test(test_no_route),
		cmocka_unit_test(test_policy_rules),
		cmocka_unit_test(test_rule_selectors),
		cmocka_unit_test(test_throw_and_dead),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
