/* SPDX-License-Identifier: MIT */
/*
 * The tcp connect scan, on loopback only: listeners and closed ports the
 * test makes itself, the ephemeral range (self-connects), IPv6, a port
 * whose full accept queue drops SYNs (filtered without a firewall), and
 * a private network namespace where self-connects are forced.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe/probe.h"
#include "util/ip.h"

static struct vd_ip ip_of(const char *s)
{
	struct vd_ip ip;

	assert_int_equal(vd_ip_parse(s, &ip), 0);
	return ip;
}

static socklen_t sockaddr_of(const struct vd_ip *ip, uint16_t port,
			     struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ip->family == VD_AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		memcpy(&a->sin_addr, ip->b, 4);
		return sizeof(*a);
	}
	struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

	a->sin6_family = AF_INET6;
	a->sin6_port = htons(port);
	memcpy(&a->sin6_addr, ip->b, 16);
	return sizeof(*a);
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* A socket bound to a port of the kernel's choice; listening if backlog
 * >= 0, else -1 when the address cannot be bound (no ::1). */
static int bind_any(const struct vd_ip *ip, int backlog, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(ip, 0, &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    (backlog >= 0 && listen(fd, backlog) < 0)) {
		close(fd);
		return -1;
	}
	*port = bound_port(fd);
	return fd;
}

/* Closed ports: bound without listening, so that they stay distinct
 * and nobody else takes them while the scan runs. */
static void bind_closed(const struct vd_ip *ip, size_t n, uint16_t *ports,
			int *fds)
{
	for (size_t i = 0; i < n; i++) {
		fds[i] = bind_any(ip, -1, &ports[i]);
		assert_true(fds[i] >= 0);
	}
}

static void close_all(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

static int n_open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 65536; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* Start one scan, run the loop, return the results appended; the scan
 * leaves no descriptor behind. */
static struct vd_tcp_result *scan(const struct vd_ip *ip, const uint16_t *ports,
				  size_t n, const struct vd_tcp_opts *o,
				  struct vd_probes *out, size_t *n_res)
{
	struct vd_loop *l;
	size_t before = out->n_tcps;
	int fds;

	assert_int_equal(vd_loop_new(&l), 0);
	fds = n_open_fds();
	assert_int_equal(vd_probe_tcp_start(l, ip, ports, n, o, out), 0);
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(n_open_fds(), fds);
	vd_loop_free(l);
	*n_res = out->n_tcps - before;
	return out->tcps + before;
}

static const struct vd_tcp_result *find(const struct vd_tcp_result *r, size_t n,
					uint16_t port)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].port == port)
			return &r[i];
	return NULL;
}

static void check_open_closed(const char *addr)
{
	struct vd_ip ip = ip_of(addr);
	struct vd_tcp_opts o = { .timeout_ms = 2000 };
	struct vd_probes out = { 0 };
	const struct vd_tcp_result *r;
	int lfd[3], cfd[3];
	uint16_t open[3], closed[3], ports[16];
	size_t n = 0, nr;

	for (int i = 0; i < 3; i++) {
		lfd[i] = bind_any(&ip, 16, &open[i]);
		if (lfd[i] < 0) {
			for (int j = 0; j < i; j++)
				close(lfd[j]);
			skip();
		}
	}
	bind_closed(&ip, 3, closed, cfd);
	/* Out of order and with duplicates: one result per port, sorted. */
	ports[n++] = closed[2];
	ports[n++] = open[1];
	ports[n++] = open[0];
	ports[n++] = closed[0];
	ports[n++] = open[2];
	ports[n++] = open[1];
	ports[n++] = closed[1];
	ports[n++] = closed[2];
	r = scan(&ip, ports, n, &o, &out, &nr);
	assert_int_equal(nr, 6);
	for (size_t i = 1; i < nr; i++)
		assert_true(r[i - 1].port < r[i].port);
	for (size_t i = 0; i < nr; i++) {
		assert_true(vd_ip_equal(&r[i].target, &ip));
		assert_int_equal(r[i].err, 0);
	}
	for (int i = 0; i < 3; i++) {
		const struct vd_tcp_result *a = find(r, nr, open[i]);
		const struct vd_tcp_result *b = find(r, nr, closed[i]);

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(a->state, VD_PORT_OPEN);
		assert_int_equal(b->state, VD_PORT_CLOSED);
		assert_true(a->rtt_us < 2000000);
	}
	/* The listeners saw full connections, reset by the scan. */
	for (int i = 0; i < 3; i++) {
		int c = accept(lfd[i], NULL, NULL);

		assert_true(c >= 0);
		close(c);
		close(lfd[i]);
	}
	close_all(cfd, 3);
	vd_probes_clear(&out);
}

static void test_ipv4(void **state)
{
	(void)state;
	check_open_closed("127.0.0.1");
}

static void test_ipv6(void **state)
{
	(void)state;
	check_open_closed("::1");
}

/* A window of one, a window of two, and two scans sharing one loop:
 * the same answers, each scan's results in one block. */
static void test_windows_and_sharing(void **state)
{
	struct vd_ip ip = ip_of("127.0.0.1");
	struct vd_probes out = { 0 };
	struct vd_loop *l;
	uint16_t open_port, ports[40], other[3];
	int lfd = bind_any(&ip, 64, &open_port), cfd[39];
	size_t nr;

	(void)state;
	assert_true(lfd >= 0);
	bind_closed(&ip, 39, ports, cfd);
	ports[39] = open_port;
	for (unsigned w = 1; w <= 2; w++) {
		struct vd_tcp_opts o = { .timeout_ms = 2000,
					 .max_inflight = w };
		const struct vd_tcp_result *r =
			scan(&ip, ports, 40, &o, &out, &nr);
		size_t n_open = 0;

		assert_int_equal(nr, 40);
		for (size_t i = 0; i < nr; i++) {
			assert_true(r[i].state == VD_PORT_OPEN ||
				    r[i].state == VD_PORT_CLOSED);
			n_open += r[i].state == VD_PORT_OPEN;
		}
		assert_int_equal(n_open, 1);
		assert_int_equal(find(r, nr, open_port)->state, VD_PORT_OPEN);
	}
	vd_probes_clear(&out);

	other[0] = open_port;
	other[1] = ports[0];
	other[2] = ports[1];
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_probe_tcp_start(l, &ip, ports, 40, NULL, &out), 0);
	assert_int_equal(vd_probe_tcp_start(l, &ip, other, 3, NULL, &out), 0);
	assert_int_equal(vd_loop_run(l), 0);
	vd_loop_free(l);
	assert_int_equal(out.n_tcps, 43);
	/* Each scan's results form one sorted block, whichever ends first. */
	for (size_t i = 1; i < out.n_tcps; i++)
		if (out.tcps[i - 1].port > out.tcps[i].port)
			assert_true(i == 3 || i == 40);
	for (size_t i = 0; i < out.n_tcps; i++)
		assert_int_equal(out.tcps[i].state,
				 out.tcps[i].port == open_port
					 ? VD_PORT_OPEN
					 : VD_PORT_CLOSED);
	vd_probes_clear(&out);
	close_all(cfd, 39);
	close(lfd);
}

static int local_range(unsigned *lo, unsigned *hi)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "%u %u", lo, hi);
	fclose(f);
	return n == 2 && *lo >= 1 && *lo <= *hi && *hi <= 65535 ? 0 : -1;
}

/*
 * Scanning the ephemeral range of loopback: the kernel now and then gives a
 * connect the very port it targets, and the socket connects to itself.
 * Ports nothing is bound to must all come out closed.
 */
static void test_ephemeral_range(void **state)
{
	struct vd_ip ip = ip_of("127.0.0.1");
	struct vd_tcp_opts o = { .timeout_ms = 3000 };
	struct vd_probes out = { 0 };
	const struct vd_tcp_result *r;
	unsigned lo, hi;
	uint16_t *ports;
	size_t n = 0, nr, n_closed = 0;

	(void)state;
	if (local_range(&lo, &hi) < 0)
		skip();
	ports = malloc((hi - lo + 1) * sizeof(*ports));
	assert_non_null(ports);
	for (unsigned p = lo; p <= hi; p++) {
		struct sockaddr_storage ss;
		socklen_t len = sockaddr_of(&ip, (uint16_t)p, &ss);
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		assert_true(fd >= 0);
		if (bind(fd, (struct sockaddr *)&ss, len) == 0)
			ports[n++] = (uint16_t)p;
		close(fd);
	}
	r = scan(&ip, ports, n, &o, &out, &nr);
	assert_int_equal(nr, n);
	for (size_t i = 0; i < nr; i++) {
		if (r[i].state != VD_PORT_CLOSED)
			print_error("port %u: state %u err %d\n", r[i].port,
				    r[i].state, r[i].err);
		n_closed += r[i].state == VD_PORT_CLOSED;
	}
	assert_int_equal(n_closed, n);
	vd_probes_clear(&out);
	free(ports);
}

/* A listener whose accept queue is full drops new SYNs: no answer, as
 * behind a DROP rule.  Each try waits out the whole timeout. */
static void test_filtered(void **state)
{
	struct vd_ip ip = ip_of("127.0.0.1");
	struct vd_tcp_opts o = { .timeout_ms = 150, .retries = 1 };
	struct vd_probes out = { 0 };
	struct sockaddr_storage ss;
	const struct vd_tcp_result *r;
	uint16_t port, ports[2];
	int lfd = bind_any(&ip, 0, &port), c, cfd;
	socklen_t len = sockaddr_of(&ip, port, &ss);
	uint64_t t0;
	size_t nr;

	(void)state;
	assert_true(lfd >= 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&ss, len), 0);
	ports[0] = port;
	bind_closed(&ip, 1, &ports[1], &cfd);
	t0 = vd_now_us();
	r = scan(&ip, ports, 2, &o, &out, &nr);
	assert_int_equal(nr, 2);
	assert_int_equal(find(r, nr, port)->state, VD_PORT_FILTERED);
	assert_int_equal(find(r, nr, port)->rtt_us, 0);
	assert_int_equal(find(r, nr, ports[1])->state, VD_PORT_CLOSED);
	/* Two tries of 150 ms, well before the kernel's 1 s SYN retry. */
	assert_true(vd_now_us() - t0 >= 300000);
	assert_true(vd_now_us() - t0 < 1000000);
	vd_probes_clear(&out);
	close(cfd);
	close(c);
	close(lfd);
}

static int lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

/* In the child: 0 passed, 77 skipped, 100-249 the failed check's line. */
#define CHILD_CHECK(x)                               \
	do {                                         \
		if (!(x))                            \
			_exit(__LINE__ % 150 + 100); \
	} while (0)

/* In the child: a network namespace of its own with only lo, up. */
static void private_netns(void)
{
	if (unshare(CLONE_NEWNET) < 0 &&
	    unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
		_exit(77);
	if (lo_up() < 0)
		_exit(77);
}

/* Run body in a child; it exits 0 (pass), 77 (skip) or a line number. */
static void in_child(void (*body)(void))
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		body();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void child_scan_t(const char *addr, const uint16_t *ports, size_t n,
			 unsigned window, unsigned timeout_ms, unsigned retries,
			 uint8_t state, int err)
{
	struct vd_tcp_opts o = { .timeout_ms = timeout_ms,
				 .max_inflight = window,
				 .retries = retries };
	struct vd_probes out = { 0 };
	struct vd_loop *l;
	struct vd_ip ip;

	CHILD_CHECK(vd_ip_parse(addr, &ip) == 0);
	CHILD_CHECK(vd_loop_new(&l) == 0);
	CHILD_CHECK(vd_probe_tcp_start(l, &ip, ports, n, &o, &out) == 0);
	CHILD_CHECK(vd_loop_run(l) == 0);
	vd_loop_free(l);
	CHILD_CHECK(out.n_tcps == n);
	for (size_t i = 0; i < n; i++) {
		CHILD_CHECK(out.tcps[i].state == state);
		CHILD_CHECK(out.tcps[i].err == err);
	}
	vd_probes_clear(&out);
}

static void child_scan(const char *addr, const uint16_t *ports, size_t n,
		       unsigned window, uint8_t state, int err)
{
	child_scan_t(addr, ports, n, window, 2000, 0, state, err);
}

static void forced_self_connect_child(void)
{
	const uint16_t ports[] = { 40000, 40001 };
	FILE *f;

	private_netns();
	/* Two source ports in all: every connect to them takes one. */
	f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "w");
	if (!f)
		_exit(77);
	if (fprintf(f, "40000 40001\n") < 0 || fclose(f) != 0)
		_exit(77);
	for (int round = 0; round < 20; round++) {
		for (unsigned w = 1; w <= 2; w++) {
			child_scan("127.0.0.1", ports, 2, w, VD_PORT_CLOSED, 0);
			child_scan("::1", ports, 2, w, VD_PORT_CLOSED, 0);
		}
	}
}

/* With a one-port ephemeral range the kernel must connect a socket to
 * itself: a private namespace (if we may make one) sets that up. */
static void test_forced_self_connect(void **state)
{
	(void)state;
	in_child(forced_self_connect_child);
}

static void no_route_child(void)
{
	const uint16_t ports[] = { 22, 80, 443 };

	private_netns();
	/* Nothing but lo: no route, connect() fails at once. */
	child_scan("198.18.7.1", ports, 3, 0, VD_PORT_UNREACHABLE, ENETUNREACH);
	child_scan("2001:db8::1", ports, 3, 0, VD_PORT_UNREACHABLE,
		   ENETUNREACH);
}

/* A route out of lo for 198.18.8.0/24: packets to it come back in on lo,
 * are not for us, and (no forwarding) vanish -- a silent drop. */
static int route_to_lo(void)
{
	struct rtentry rt = { 0 };
	struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
	struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;
	char dev[] = "lo";
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return -1;
	dst->sin_family = AF_INET;
	dst->sin_addr.s_addr = htonl(0xc6120800); /* 198.18.8.0 */
	mask->sin_family = AF_INET;
	mask->sin_addr.s_addr = htonl(0xffffff00);
	rt.rt_flags = RTF_UP;
	rt.rt_dev = dev;
	rc = ioctl(fd, SIOCADDRT, &rt);
	close(fd);
	return rc;
}

static void dropped_child(void)
{
	uint16_t ports[200];
	struct rlimit rl = { 40, 40 };
	uint64_t t0;

	for (int i = 0; i < 200; i++)
		ports[i] = (uint16_t)(1 + i);
	private_netns();
	if (route_to_lo() < 0)
		_exit(77);
	/* 200 ports at once: done in about one timeout. */
	t0 = vd_now_us();
	child_scan_t("198.18.8.1", ports, 200, 0, 100, 0, VD_PORT_FILTERED, 0);
	CHILD_CHECK(vd_now_us() - t0 >= 100000);
	CHILD_CHECK(vd_now_us() - t0 < 600000);
	/* Two tries each. */
	t0 = vd_now_us();
	child_scan_t("198.18.8.1", ports, 20, 0, 100, 1, VD_PORT_FILTERED, 0);
	CHILD_CHECK(vd_now_us() - t0 >= 200000);
	/* Few descriptors: the default window fits them, and a window asked
	 * for beyond them shrinks on EMFILE instead of failing ports. */
	CHILD_CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	child_scan_t("198.18.8.1", ports, 100, 0, 50, 0, VD_PORT_FILTERED, 0);
	child_scan_t("198.18.8.1", ports, 100, 500, 50, 0, VD_PORT_FILTERED, 0);
}

/* Filtered, from a silent drop in a namespace of our own. */
static void test_dropped(void **state)
{
	(void)state;
	in_child(dropped_child);
}

/* Unreachable, in a namespace where no packet can leave. */
static void test_no_route(void **state)
{
	(void)state;
	in_child(no_route_child);
}

static void test_bad_args(void **state)
{
	struct vd_ip ip = ip_of("127.0.0.1"), none = { 0 };
	const uint16_t ports[] = { 80, 0 };
	struct vd_probes out = { 0 };
	struct vd_loop *l;

	(void)state;
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_probe_tcp_start(NULL, &ip, ports, 1, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_tcp_start(l, NULL, ports, 1, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_tcp_start(l, &none, ports, 1, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_tcp_start(l, &ip, NULL, 1, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_tcp_start(l, &ip, ports, 0, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_tcp_start(l, &ip, ports, 2, NULL, &out),
			 -EINVAL); /* port 0 */
	assert_int_equal(vd_probe_tcp_start(l, &ip, ports, 1, NULL, NULL),
			 -EINVAL);
	/* Nothing was started: the loop has nothing to wait for. */
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(out.n_tcps, 0);
	vd_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_windows_and_sharing),
		cmocka_unit_test(test_ephemeral_range),
		cmocka_unit_test(test_filtered),
		cmocka_unit_test(test_forced_self_connect),
		cmocka_unit_test(test_no_route),
		cmocka_unit_test(test_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
