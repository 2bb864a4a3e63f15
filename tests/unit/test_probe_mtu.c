/* SPDX-License-Identifier: MIT */
/*
 * mtu: the size search driven over every path MTU a simulated path can
 * have (answering, frag-needed with and without the MTU, silent black
 * hole, rate-limited ICMP, stray loss), then live probes of loopback only:
 * mtu with its size capped, and trace (same module family, one binary).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "probe/mtu_search.h"
#include "probe/probe.h"
#include "util/ip.h"

enum path_kind {
	PATH_FRAG,	 /* too big: frag-needed with the next-hop MTU */
	PATH_FRAG_NOMTU, /* too big: frag-needed from an old router (MTU 0) */
	PATH_HOLE,	 /* too big: dropped without a word */
	PATH_RATELIMIT,	 /* too big: one frag-needed, then silence */
	PATH_DEAD,	 /* nothing comes back at all */
};

struct sim {
	unsigned rounds, sent, max_round;
};

/* Run a whole search against a path whose MTU is mtu. */
static void simulate(struct vd_mtu_search *s, unsigned floor, unsigned max,
		     unsigned mtu, enum path_kind kind, struct sim *out)
{
	unsigned sizes[VD_MTU_ROUND_SIZES];
	bool icmp_sent = false;
	size_t n;

	memset(out, 0, sizeof(*out));
	vd_mtu_search_init(s, floor, max);
	while ((n = vd_mtu_search_next(s, sizes)) != 0) {
		assert_true(n <= VD_MTU_ROUND_SIZES);
		out->rounds++;
		out->sent += (unsigned)n;
		if (n > out->max_round)
			out->max_round = (unsigned)n;
		for (size_t i = 0; i < n; i++) {
			unsigned v = sizes[i];

			assert_true(v >= floor && v <= max);
			if (i)
				assert_true(v > sizes[i - 1]);
			if (kind == PATH_DEAD)
				vd_mtu_search_record(s, v, VD_MTU_LOST, 0);
			else if (v <= mtu)
				vd_mtu_search_record(s, v, VD_MTU_ANSWERED, 0);
			else if (kind == PATH_FRAG)
				vd_mtu_search_record(s, v, VD_MTU_TOO_BIG, mtu);
			else if (kind == PATH_FRAG_NOMTU)
				vd_mtu_search_record(s, v, VD_MTU_TOO_BIG, 0);
			else if (kind == PATH_RATELIMIT && !icmp_sent) {
				vd_mtu_search_record(s, v, VD_MTU_TOO_BIG, mtu);
				icmp_sent = true;
			} else {
				vd_mtu_search_record(s, v, VD_MTU_LOST, 0);
			}
		}
		/* Never more rounds than a binary search would need. */
		assert_true(out->rounds <= 18);
	}
}

static void check_path(unsigned floor, unsigned max, unsigned mtu,
		       enum path_kind kind)
{
	struct vd_mtu_search s;
	struct sim sim;
	unsigned path, lost;
	bool hole;

	simulate(&s, floor, max, mtu, kind, &sim);
	vd_mtu_search_verdict(&s, &path, &lost, &hole);
	assert_true(vd_mtu_search_done(&s) || kind == PATH_DEAD);
	if (kind == PATH_DEAD) {
		assert_int_equal(path, 0);
		assert_false(hole);
		assert_int_equal(sim.rounds, 1);
		return;
	}
	assert_int_equal(path, mtu);
	if (mtu == max) {
		/* A healthy path: one round trip. */
		assert_int_equal(sim.rounds, 1);
		assert_false(hole);
		assert_int_equal(lost, 0);
		return;
	}
	if (kind == PATH_HOLE) {
		assert_true(hole);
		assert_int_equal(lost, mtu + 1);
	} else {
		assert_false(hole);
		assert_int_equal(lost, 0);
	}
	/* The next-hop MTU is tried right after it is named. */
	if (kind == PATH_FRAG)
		assert_true(sim.rounds <= 2);
}

static void test_search_every_mtu(void **state)
{
	static const unsigned maxes[] = { 1500, 9000, 576, 100, 69 };
	static const enum path_kind kinds[] = { PATH_FRAG, PATH_FRAG_NOMTU,
						PATH_HOLE, PATH_RATELIMIT,
						PATH_DEAD };

	(void)state;
	for (size_t m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++)
		for (unsigned mtu = 68; mtu <= maxes[m]; mtu++)
			for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]);
			     k++)
				check_path(68, maxes[m], mtu, kinds[k]);
}

/* With 15 sizes a round, a black hole under 1500 costs 4 rounds at most:
 * 4 timeouts of two tries, about 4 s at the defaults. */
static void test_search_hole_rounds(void **state)
{
	struct vd_mtu_search s;
	struct sim sim;

	(void)state;
	for (unsigned mtu = 68; mtu < 1500; mtu++) {
		simulate(&s, 68, 1500, mtu, PATH_HOLE, &sim);
		assert_true(sim.rounds <= 4);
		assert_true(sim.max_round <= VD_MTU_ROUND_SIZES);
	}
	for (unsigned mtu = 68; mtu < 65535; mtu += 97) {
		simulate(&s, 68, 65535, mtu, PATH_HOLE, &sim);
		assert_true(sim.rounds <= 6);
	}
}

/* A lost echo smaller than one answered is loss, not a hole. */
static void test_search_stray_loss(void **state)
{
	struct vd_mtu_search s;
	unsigned sizes[VD_MTU_ROUND_SIZES], path, lost;
	bool hole;
	size_t n;

	(void)state;
	vd_mtu_search_init(&s, 68, 1500);
	n = vd_mtu_search_next(&s, sizes);
	assert_int_equal(n, 2);
	assert_int_equal(sizes[0], 68);
	assert_int_equal(sizes[1], 1500);
	vd_mtu_search_record(&s, 68, VD_MTU_ANSWERED, 0);
	vd_mtu_search_record(&s, 1500, VD_MTU_TOO_BIG, 1400);
	assert_false(vd_mtu_search_done(&s));
	n = vd_mtu_search_next(&s, sizes);
	assert_int_equal(n, VD_MTU_ROUND_SIZES);
	assert_int_equal(sizes[n - 1], 1400);
	for (size_t i = 0; i < n; i++)
		vd_mtu_search_record(&s, sizes[i],
				     i == 3 ? VD_MTU_LOST : VD_MTU_ANSWERED, 0);
	assert_true(vd_mtu_search_done(&s));
	assert_int_equal(vd_mtu_search_next(&s, sizes), 0);
	vd_mtu_search_verdict(&s, &path, &lost, &hole);
	assert_int_equal(path, 1400);
	assert_int_equal(lost, 0);
	assert_false(hole);
}

/* A frag-needed naming a size that did not pass, or none: only the size
 * sent is known too big. */
static void test_search_bogus_next_mtu(void **state)
{
	struct vd_mtu_search s;
	unsigned sizes[VD_MTU_ROUND_SIZES];
	size_t n;

	(void)state;
	vd_mtu_search_init(&s, 68, 1500);
	vd_mtu_search_next(&s, sizes);
	vd_mtu_search_record(&s, 68, VD_MTU_ANSWERED, 0);
	vd_mtu_search_record(&s, 1500, VD_MTU_TOO_BIG, 1500);
	n = vd_mtu_search_next(&s, sizes);
	assert_int_equal(sizes[n - 1], 1499);
	vd_mtu_search_init(&s, 68, 1500);
	vd_mtu_search_next(&s, sizes);
	vd_mtu_search_record(&s, 68, VD_MTU_ANSWERED, 0);
	vd_mtu_search_record(&s, 1500, VD_MTU_TOO_BIG, 20);
	n = vd_mtu_search_next(&s, sizes);
	assert_int_equal(sizes[n - 1], 1499);
}

/* max at or below the floor: that one size only. */
static void test_search_tiny(void **state)
{
	struct vd_mtu_search s;
	unsigned sizes[VD_MTU_ROUND_SIZES];

	(void)state;
	vd_mtu_search_init(&s, 1280, 1280);
	assert_int_equal(vd_mtu_search_next(&s, sizes), 1);
	assert_int_equal(sizes[0], 1280);
	vd_mtu_search_record(&s, 1280, VD_MTU_ANSWERED, 0);
	assert_true(vd_mtu_search_done(&s));
	assert_int_equal(vd_mtu_search_next(&s, sizes), 0);
	vd_mtu_search_init(&s, 68, 0);
	assert_int_equal(vd_mtu_search_next(&s, sizes), 0);
}

/* Live, loopback only. */

static void run_mtu(const char *addr, unsigned max, struct vd_probes *pr)
{
	struct vd_mtu_opts o = { .timeout_ms = 300, .max_size = max };
	struct vd_loop *l;
	struct vd_ip ip;

	assert_int_equal(vd_ip_parse(addr, &ip), 0);
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_probe_mtu_start(l, &ip, &o, pr), 0);
	assert_int_equal(vd_loop_run(l), 0);
	vd_loop_free(l);
	assert_int_equal(pr->n_mtus, 1);
	assert_true(vd_ip_equal(&pr->mtus[0].target, &ip));
}

static void test_mtu_loopback(void **state)
{
	struct vd_probes pr = { 0 };
	uint64_t t0 = vd_now_us();

	(void)state;
	run_mtu("127.0.0.1", 1500, &pr);
	assert_int_equal(pr.mtus[0].path_mtu, 1500);
	assert_true(pr.mtus[0].local_mtu >= 1500);
	assert_false(pr.mtus[0].black_hole);
	assert_int_equal(pr.mtus[0].first_lost, 0);
	assert_int_equal(pr.mtus[0].error.type, 0);
	/* Answered at once: no timeout waited for. */
	assert_true(vd_now_us() - t0 < 250000);
	vd_probes_clear(&pr);
}

/* Above lo's MTU the kernel refuses to send (EMSGSIZE): too big locally,
 * found without waiting. */
static void test_mtu_loopback_above_local(void **state)
{
	struct vd_probes pr = { 0 };
	uint64_t t0 = vd_now_us();

	(void)state;
	run_mtu("127.0.0.1", 65535, &pr);
	assert_int_equal(pr.mtus[0].path_mtu, pr.mtus[0].local_mtu > 65535
						      ? 65535
						      : pr.mtus[0].local_mtu);
	assert_false(pr.mtus[0].black_hole);
	assert_true(vd_now_us() - t0 < 250000);
	vd_probes_clear(&pr);
}

static void test_mtu_loopback6(void **state)
{
	struct vd_probes pr = { 0 };

	(void)state;
	run_mtu("::1", 1500, &pr);
	assert_int_equal(pr.mtus[0].path_mtu, 1500);
	assert_false(pr.mtus[0].black_hole);
	vd_probes_clear(&pr);
}

static void test_mtu_bad_args(void **state)
{
	struct vd_mtu_opts o = { .max_size = 30 };
	struct vd_probes pr = { 0 };
	struct vd_loop *l;
	struct vd_ip ip = { 0 }, lo;

	(void)state;
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_ip_parse("127.0.0.1", &lo), 0);
	assert_int_equal(vd_probe_mtu_start(NULL, &lo, NULL, &pr), -EINVAL);
	assert_int_equal(vd_probe_mtu_start(l, NULL, NULL, &pr), -EINVAL);
	assert_int_equal(vd_probe_mtu_start(l, &lo, NULL, NULL), -EINVAL);
	assert_int_equal(vd_probe_mtu_start(l, &ip, NULL, &pr), -EAFNOSUPPORT);
	assert_int_equal(vd_probe_mtu_start(l, &lo, &o, &pr), -EINVAL);
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(pr.n_mtus, 0);
	vd_loop_free(l);
}

static void run_trace(const char *addr, struct vd_probes *pr)
{
	struct vd_trace_opts o = { .max_ttl = 8, .timeout_ms = 500 };
	struct vd_loop *l;
	struct vd_ip ip;

	assert_int_equal(vd_ip_parse(addr, &ip), 0);
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_probe_trace_start(l, &ip, &o, pr), 0);
	assert_int_equal(vd_loop_run(l), 0);
	vd_loop_free(l);
	assert_int_equal(pr->n_traces, 1);
	assert_true(vd_ip_equal(&pr->traces[0].target, &ip));
}

/* Loopback is one hop away, and the hops beyond it are dropped. */
static void test_trace_loopback(void **state)
{
	static const char *const addrs[] = { "127.0.0.1", "::1" };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct vd_probes pr = { 0 };
		const struct vd_trace_result *r;
		uint64_t t0 = vd_now_us();

		run_trace(addrs[i], &pr);
		r = &pr.traces[0];
		assert_true(r->reached);
		assert_int_equal(r->n_hops, 1);
		assert_int_equal(r->hops[0].ttl, 1);
		assert_true(vd_ip_equal(&r->hops[0].from, &r->target));
		assert_int_equal(r->hops[0].icmp_type, i ? 1 : 3);
		assert_int_equal(r->hops[0].icmp_code, i ? 4 : 3);
		/* Every TTL settled at once: no timeout waited for. */
		assert_true(vd_now_us() - t0 < 400000);
		vd_probes_clear(&pr);
	}
}

static void test_trace_bad_args(void **state)
{
	struct vd_trace_opts o = { .max_ttl = VD_TRACE_MAX_HOPS + 1 };
	struct vd_probes pr = { 0 };
	struct vd_loop *l;
	struct vd_ip ip = { 0 }, lo;

	(void)state;
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_ip_parse("127.0.0.1", &lo), 0);
	assert_int_equal(vd_probe_trace_start(l, NULL, NULL, &pr), -EINVAL);
	assert_int_equal(vd_probe_trace_start(l, &ip, NULL, &pr),
			 -EAFNOSUPPORT);
	assert_int_equal(vd_probe_trace_start(l, &lo, &o, &pr), -EINVAL);
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(pr.n_traces, 0);
	vd_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_every_mtu),
		cmocka_unit_test(test_search_hole_rounds),
		cmocka_unit_test(test_search_stray_loss),
		cmocka_unit_test(test_search_bogus_next_mtu),
		cmocka_unit_test(test_search_tiny),
		cmocka_unit_test(test_mtu_loopback),
		cmocka_unit_test(test_mtu_loopback_above_local),
		cmocka_unit_test(test_mtu_loopback6),
		cmocka_unit_test(test_mtu_bad_args),
		cmocka_unit_test(test_trace_loopback),
		cmocka_unit_test(test_trace_bad_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
