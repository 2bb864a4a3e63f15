/* SPDX-License-Identifier: MIT */
/* The event loop: timers in order, cancellation, descriptors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <unistd.h>

#include "probe/loop.h"

static int seq[16], nseq;

static void mark1(struct vd_loop *l, void *a)
{
	(void)l;
	(void)a;
	seq[nseq++] = 1;
}

static void mark2(struct vd_loop *l, void *a)
{
	(void)l;
	(void)a;
	seq[nseq++] = 2;
}

static void mark3(struct vd_loop *l, void *a)
{
	(void)l;
	(void)a;
	seq[nseq++] = 3;
}

static void test_timers(void **state)
{
	struct vd_loop *l;
	int64_t id;
	uint64_t t0 = vd_now_us();

	(void)state;
	nseq = 0;
	assert_int_equal(vd_loop_new(&l), 0);
	assert_true(vd_loop_add_timer(l, 30000, mark3, NULL) > 0);
	assert_true(vd_loop_add_timer(l, 10000, mark1, NULL) > 0);
	id = vd_loop_add_timer(l, 20000, mark2, NULL);
	assert_true(id > 0);
	vd_loop_cancel_timer(l, id);
	vd_loop_cancel_timer(l, id); /* twice is harmless */
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(nseq, 2);
	assert_int_equal(seq[0], 1);
	assert_int_equal(seq[1], 3);
	assert_true(vd_now_us() - t0 >= 30000);
	vd_loop_free(l);
}

static void test_many_timers(void **state)
{
	struct vd_loop *l;
	int64_t ids[5000];

	(void)state;
	nseq = 0;
	assert_int_equal(vd_loop_new(&l), 0);
	for (int i = 0; i < 5000; i++)
		ids[i] = vd_loop_add_timer(l, (uint64_t)(i % 97) * 10, mark1,
					   NULL);
	for (int i = 0; i < 5000; i++)
		if (i % 1000)
			vd_loop_cancel_timer(l, ids[i]);
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(nseq, 5);
	vd_loop_free(l);
}

static int got_fd = -1;

static void on_read(struct vd_loop *l, int fd, unsigned ev, void *arg)
{
	char c;

	(void)arg;
	assert_true(ev & VD_EV_IN);
	assert_int_equal(read(fd, &c, 1), 1);
	got_fd = fd;
	vd_loop_del_fd(l, fd);
}

static void test_fd(void **state)
{
	struct vd_loop *l;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_loop_add_fd(l, p[0], VD_EV_IN, on_read, NULL), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(got_fd, p[0]);
	assert_int_equal(vd_loop_mod_fd(l, p[0], VD_EV_IN), -EBADF);
	assert_int_equal(vd_loop_add_fd(l, -1, VD_EV_IN, on_read, NULL),
			 -EBADF);
	close(p[0]);
	close(p[1]);
	vd_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers),
		cmocka_unit_test(test_many_timers),
		cmocka_unit_test(test_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
