/* SPDX-License-Identifier: MIT */
/*
 * The dns probe against fake servers the test runs on loopback, driven by
 * the same loop as the probe: an answer, no data, NXDOMAIN, SERVFAIL,
 * REFUSED, FORMERR, silence, an answer on the second try, a port where
 * nothing listens; several servers in one probe, IPv6.  Nothing leaves
 * loopback.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/dns.h"
#include "probe/probe.h"
#include "util/ip.h"

#define TIMEOUT_MS 100

enum behave {
	B_ANSWER,   /* two A records */
	B_NODATA,   /* NOERROR, no answer */
	B_NXDOMAIN, /* rcode 3 */
	B_SERVFAIL, /* rcode 2 */
	B_REFUSED,  /* rcode 5 */
	B_FORMERR,  /* rcode 1 */
	B_SILENT,   /* never answers */
	B_SECOND,   /* ignores the first query, answers the next */
};

struct fake {
	int fd;
	enum behave how;
	unsigned queries;
	char qname[256];
	uint16_t qtype, qclass;
	bool rd;
};

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

/* A UDP socket on ip:port (0: the kernel's choice, returned in *port);
 * -1 when the address cannot be bound. */
static int udp_bind(const struct vd_ip *ip, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(ip, *port, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		close(fd);
		return -1;
	}
	len = sizeof(ss);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	*port = ntohs(ss.ss_family == AF_INET
			      ? ((struct sockaddr_in *)&ss)->sin_port
			      : ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

/* The question of a query as text; its end in *qend.  -1 if malformed. */
static int parse_question(const uint8_t *b, size_t len, struct fake *f,
			  size_t *qend)
{
	size_t i = 12, o = 0;

	if (len < 12)
		return -1;
	for (;;) {
		uint8_t n;

		if (i >= len)
			return -1;
		n = b[i++];
		if (n == 0)
			break;
		if (n > 63 || i + n > len || o + n + 2 > sizeof(f->qname))
			return -1;
		if (o)
			f->qname[o++] = '.';
		memcpy(f->qname + o, b + i, n);
		o += n;
		i += n;
	}
	f->qname[o] = '\0';
	if (i + 4 > len)
		return -1;
	f->qtype = (uint16_t)(b[i] << 8 | b[i + 1]);
	f->qclass = (uint16_t)(b[i + 2] << 8 | b[i + 3]);
	*qend = i + 4;
	return 0;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void on_query(struct vd_loop *l, int fd, unsigned events, void *arg)
{
	struct fake *f = arg;
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	uint8_t q[512], a[512 + 2 * 16];
	size_t qend = 0, n = 0;
	unsigned rcode = 0, ancount = 0;
	ssize_t len;

	(void)l;
	(void)events;
	len = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &flen);
	if (len < 0)
		return;
	f->queries++;
	assert_int_equal(parse_question(q, (size_t)len, f, &qend), 0);
	f->rd = q[2] & 0x01;
	switch (f->how) {
	case B_SILENT:
		return;
	case B_SECOND:
		if (f->queries == 1)
			return;
		ancount = 1;
		break;
	case B_ANSWER:
		ancount = 2;
		break;
	case B_NODATA:
		break;
	case B_NXDOMAIN:
		rcode = 3;
		break;
	case B_SERVFAIL:
		rcode = 2;
		break;
	case B_REFUSED:
		rcode = 5;
		break;
	case B_FORMERR:
		rcode = 1;
		break;
	}
	memcpy(a, q, qend);		/* id, question */
	a[2] = 0x80 | (q[2] & 0x79);	/* QR, opcode, RD */
	a[3] = (uint8_t)(0x80 | rcode); /* RA */
	put16(a + 4, 1);
	put16(a + 6, ancount);
	put16(a + 8, 0);
	put16(a + 10, 0);
	n = qend;
	for (unsigned k = 0; k < ancount; k++) {
		put16(a + n, 0xc00c); /* the question's name */
		put16(a + n + 2, 1);  /* A */
		put16(a + n + 4, 1);  /* IN */
		memset(a + n + 6, 0, 3);
		a[n + 9] = 60; /* TTL */
		put16(a + n + 10, 4);
		a[n + 12] = 10;
		a[n + 13] = 1;
		a[n + 14] = 2;
		a[n + 15] = (uint8_t)(3 + k);
		n += 16;
	}
	sendto(fd, a, n, 0, (struct sockaddr *)&from, flen);
}

/* Stops the fake servers once the probe delivered, so the loop ends. */
struct run {
	struct vd_probes *out;
	size_t want;
	struct fake *fakes;
	size_t n_fakes;
	uint64_t deadline;
};

static void poll_done(struct vd_loop *l, void *arg)
{
	struct run *r = arg;

	if (r->out->n_dns >= r->want || vd_now_us() > r->deadline) {
		for (size_t i = 0; i < r->n_fakes; i++)
			vd_loop_del_fd(l, r->fakes[i].fd);
		return;
	}
	assert_true(vd_loop_add_timer(l, 2000, poll_done, r) > 0);
}

static int n_open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* One probe of servers (all on port) while the fakes serve. */
static void run_probe(const struct vd_ip *servers, size_t n, uint16_t port,
		      struct fake *fakes, size_t n_fakes,
		      const struct vd_dns_opts *o, struct vd_probes *out)
{
	struct run r = { out, out->n_dns + n, fakes, n_fakes,
			 vd_now_us() + 10000000 };
	struct vd_loop *l;
	int fds;

	assert_int_equal(vd_loop_new(&l), 0);
	fds = n_open_fds();
	for (size_t i = 0; i < n_fakes; i++)
		assert_int_equal(vd_loop_add_fd(l, fakes[i].fd, VD_EV_IN,
						on_query, &fakes[i]),
				 0);
	assert_int_equal(vd_probe_dns_start_port(l, "www.example.lab", servers,
						 n, port, o, out),
			 0);
	assert_true(vd_loop_add_timer(l, 0, poll_done, &r) > 0);
	assert_int_equal(vd_loop_run(l), 0);
	/* Every socket c-ares opened is closed again. */
	assert_int_equal(n_open_fds(), fds);
	vd_loop_free(l);
	assert_int_equal(out->n_dns, r.want);
}

/* One fake server on 127.0.0.1 behaving as how; the probe's result. */
static struct vd_dns_result probe_one(enum behave how, unsigned tries,
				      struct fake *f, uint64_t *elapsed_us)
{
	struct vd_dns_opts o = { .timeout_ms = TIMEOUT_MS, .tries = tries };
	struct vd_ip lo = ip_of("127.0.0.1");
	struct vd_probes out = { 0 };
	struct vd_dns_result res;
	uint16_t port = 0;
	uint64_t t0;

	memset(f, 0, sizeof(*f));
	f->how = how;
	f->fd = udp_bind(&lo, &port);
	assert_true(f->fd >= 0);
	t0 = vd_now_us();
	run_probe(&lo, 1, port, f, 1, &o, &out);
	*elapsed_us = vd_now_us() - t0;
	close(f->fd);
	res = out.dns[0];
	vd_probes_clear(&out);
	assert_true(vd_ip_equal(&res.server, &lo));
	assert_string_equal(res.name, "www.example.lab");
	return res;
}

static void test_answered(void **state)
{
	struct fake f;
	uint64_t us;
	struct vd_dns_result r = probe_one(B_ANSWER, 2, &f, &us);

	(void)state;
	assert_int_equal(r.status, VD_DNS_ANSWERED);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.n_answers, 2);
	assert_true(r.rtt_us < TIMEOUT_MS * 1000);
	/* What the server was asked: the name as given, A, IN, recursion. */
	assert_int_equal(f.queries, 1);
	assert_string_equal(f.qname, "www.example.lab");
	assert_int_equal(f.qtype, 1);
	assert_int_equal(f.qclass, 1);
	assert_true(f.rd);
}

static void test_nodata(void **state)
{
	struct fake f;
	uint64_t us;
	struct vd_dns_result r = probe_one(B_NODATA, 2, &f, &us);

	(void)state;
	/* The name exists without an address: the server works. */
	assert_int_equal(r.status, VD_DNS_ANSWERED);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.n_answers, 0);
	assert_int_equal(f.queries, 1);
}

static void test_rcodes(void **state)
{
	static const struct {
		enum behave how;
		uint8_t status, rcode;
	} cases[] = {
		{ B_NXDOMAIN, VD_DNS_NXDOMAIN, 3 },
		{ B_SERVFAIL, VD_DNS_SERVFAIL, 2 },
		{ B_REFUSED, VD_DNS_REFUSED, 5 },
		{ B_FORMERR, VD_DNS_ERROR, 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake f;
		uint64_t us;
		struct vd_dns_result r = probe_one(cases[i].how, 2, &f, &us);

		assert_int_equal(r.status, cases[i].status);
		assert_int_equal(r.rcode, cases[i].rcode);
		assert_int_equal(r.n_answers, 0);
		/* The server's answer is final: not asked again. */
		assert_int_equal(f.queries, 1);
		assert_true(us < TIMEOUT_MS * 1000);
	}
}

static void test_timeout(void **state)
{
	struct fake f;
	uint64_t us;
	struct vd_dns_result r;

	(void)state;
	r = probe_one(B_SILENT, 1, &f, &us);
	assert_int_equal(r.status, VD_DNS_TIMEOUT);
	assert_int_equal(f.queries, 1);
	assert_true(us >= TIMEOUT_MS * 1000);
	assert_true(us < 3 * TIMEOUT_MS * 1000);

	/* Two tries: the second waits twice as long (c-ares). */
	r = probe_one(B_SILENT, 2, &f, &us);
	assert_int_equal(r.status, VD_DNS_TIMEOUT);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(f.queries, 2);
	assert_true(us >= 3 * TIMEOUT_MS * 1000);
	assert_true(us < 5 * TIMEOUT_MS * 1000);
}

static void test_second_try(void **state)
{
	struct fake f;
	uint64_t us;
	struct vd_dns_result r = probe_one(B_SECOND, 2, &f, &us);

	(void)state;
	assert_int_equal(r.status, VD_DNS_ANSWERED);
	assert_int_equal(r.n_answers, 1);
	assert_int_equal(f.queries, 2);
	assert_true(r.rtt_us >= TIMEOUT_MS * 1000);
}

/* Nothing listens: the ICMP port unreachable makes it an error, fast. */
static void test_port_closed(void **state)
{
	struct vd_dns_opts o = { .timeout_ms = 2000, .tries = 2 };
	struct vd_ip lo = ip_of("127.0.0.1");
	struct vd_probes out = { 0 };
	uint16_t port = 0;
	int fd = udp_bind(&lo, &port);
	uint64_t t0;

	(void)state;
	assert_true(fd >= 0);
	close(fd); /* the port is now closed */
	t0 = vd_now_us();
	run_probe(&lo, 1, port, NULL, 0, &o, &out);
	assert_true(vd_now_us() - t0 < 1000000);
	assert_int_equal(out.dns[0].status, VD_DNS_ERROR);
	assert_int_equal(out.dns[0].rcode, 0);
	vd_probes_clear(&out);
}

/* Each server is judged on its own, in one probe, concurrently: the
 * silent one does not slow the others down, nor they it. */
static void test_many_servers(void **state)
{
	static const enum behave how[] = { B_SILENT,   B_ANSWER,  B_NXDOMAIN,
					   B_SERVFAIL, B_REFUSED, B_NODATA };
	static const uint8_t want[] = { VD_DNS_TIMEOUT,	 VD_DNS_ANSWERED,
					VD_DNS_NXDOMAIN, VD_DNS_SERVFAIL,
					VD_DNS_REFUSED,	 VD_DNS_ANSWERED,
					VD_DNS_ERROR };
	struct vd_dns_opts o = { .timeout_ms = TIMEOUT_MS, .tries = 1 };
	struct vd_probes out = { .ran = true };
	struct fake f[6];
	struct vd_ip ips[7];
	uint16_t port = 0;
	uint64_t t0;

	(void)state;
	/* 127.0.0.1 to .6 serve on one port, 127.0.0.7 has nothing on it. */
	for (int i = 0; i < 7; i++) {
		char s[16];

		snprintf(s, sizeof(s), "127.0.0.%d", i + 1);
		ips[i] = ip_of(s);
	}
	for (int i = 0; i < 6; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].how = how[i];
		f[i].fd = udp_bind(&ips[i], &port);
		assert_true(f[i].fd >= 0);
	}
	t0 = vd_now_us();
	run_probe(ips, 7, port, f, 6, &o, &out);
	assert_true(vd_now_us() - t0 < 2 * TIMEOUT_MS * 1000);
	for (int i = 0; i < 7; i++) {
		assert_true(vd_ip_equal(&out.dns[i].server, &ips[i]));
		assert_int_equal(out.dns[i].status, want[i]);
	}
	assert_int_equal(out.dns[1].n_answers, 2);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(f[i].queries, 1);
		close(f[i].fd);
	}
	assert_true(out.ran);
	vd_probes_clear(&out);
}

/* Two probes on one loop append to their own results. */
static void test_two_probes(void **state)
{
	struct vd_dns_opts o = { .timeout_ms = TIMEOUT_MS, .tries = 1 };
	struct vd_ip lo = ip_of("127.0.0.1");
	struct vd_probes a = { 0 }, b = { 0 };
	struct fake f = { .how = B_ANSWER };
	uint16_t port = 0;
	struct vd_loop *l;
	struct run r = { &b, 1, &f, 1, vd_now_us() + 10000000 };

	(void)state;
	f.fd = udp_bind(&lo, &port);
	assert_true(f.fd >= 0);
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_loop_add_fd(l, f.fd, VD_EV_IN, on_query, &f), 0);
	assert_int_equal(vd_probe_dns_start_port(l, "a.example.lab", &lo, 1,
						 port, &o, &a),
			 0);
	assert_int_equal(vd_probe_dns_start_port(l, "b.example.lab.", &lo, 1,
						 port, &o, &b),
			 0);
	assert_true(vd_loop_add_timer(l, 0, poll_done, &r) > 0);
	assert_int_equal(vd_loop_run(l), 0);
	vd_loop_free(l);
	close(f.fd);
	assert_int_equal(a.n_dns, 1);
	assert_int_equal(b.n_dns, 1);
	assert_string_equal(a.dns[0].name, "a.example.lab");
	assert_string_equal(b.dns[0].name, "b.example.lab.");
	assert_int_equal(a.dns[0].status, VD_DNS_ANSWERED);
	assert_int_equal(b.dns[0].status, VD_DNS_ANSWERED);
	assert_int_equal(f.queries, 2);
	vd_probes_clear(&a);
	vd_probes_clear(&b);
}

static void test_ipv6(void **state)
{
	struct vd_dns_opts o = { .timeout_ms = TIMEOUT_MS, .tries = 1 };
	struct vd_ip lo6 = ip_of("::1");
	struct vd_probes out = { 0 };
	struct fake f = { .how = B_ANSWER };
	uint16_t port = 0;

	(void)state;
	f.fd = udp_bind(&lo6, &port);
	if (f.fd < 0)
		skip(); /* no ::1 here */
	run_probe(&lo6, 1, port, &f, 1, &o, &out);
	close(f.fd);
	assert_true(vd_ip_equal(&out.dns[0].server, &lo6));
	assert_int_equal(out.dns[0].status, VD_DNS_ANSWERED);
	assert_int_equal(out.dns[0].n_answers, 2);
	vd_probes_clear(&out);
}

static void test_bad_args(void **state)
{
	struct vd_ip lo = ip_of("127.0.0.1"), none = { 0 };
	struct vd_ip two[2] = { lo, none };
	struct vd_probes out = { 0 };
	struct vd_loop *l;
	char longname[300];

	(void)state;
	assert_int_equal(vd_loop_new(&l), 0);
	assert_int_equal(vd_probe_dns_start(l, NULL, &lo, 1, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_dns_start(l, "", &lo, 1, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_dns_start(l, "a..b", &lo, 1, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_dns_start(l, "x", &lo, 0, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_dns_start(l, "x", NULL, 1, NULL, &out),
			 -EINVAL);
	assert_int_equal(vd_probe_dns_start(l, "x", &lo, 1, NULL, NULL),
			 -EINVAL);
	assert_int_equal(vd_probe_dns_start(l, "x", two, 2, NULL, &out),
			 -EINVAL); /* a server without an address */
	assert_int_equal(vd_probe_dns_start_port(l, "x", &lo, 1, 0, NULL, &out),
			 -EINVAL);
	/* 253 characters pass, 254 do not; a trailing dot is not counted. */
	memset(longname, 'a', sizeof(longname));
	for (size_t i = 63; i < sizeof(longname); i += 64)
		longname[i] = '.';
	longname[253] = '\0';
	assert_int_equal(vd_dns_name_check(longname), 0);
	longname[253] = '.';
	longname[254] = '\0';
	assert_int_equal(vd_dns_name_check(longname), 0);
	longname[253] = 'a';
	assert_int_equal(vd_dns_name_check(longname), -EINVAL);
	memset(longname, 'a', 64);
	longname[64] = '\0';
	assert_int_equal(vd_dns_name_check(longname), -EINVAL);
	longname[63] = '\0';
	assert_int_equal(vd_dns_name_check(longname), 0);
	assert_int_equal(vd_dns_name_check("."), 0);
	assert_int_equal(vd_dns_name_check(".a"), -EINVAL);
	assert_int_equal(vd_dns_name_check("a.."), -EINVAL);
	assert_int_equal(vd_dns_name_check(".."), -EINVAL);
	assert_int_equal(vd_dns_name_check("a."), 0);
	/* Nothing was started: the loop has nothing to wait for. */
	assert_int_equal(vd_loop_run(l), 0);
	assert_int_equal(out.n_dns, 0);
	vd_loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_answered),
		cmocka_unit_test(test_nodata),
		cmocka_unit_test(test_rcodes),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_second_try),
		cmocka_unit_test(test_port_closed),
		cmocka_unit_test(test_many_servers),
		cmocka_unit_test(test_two_probes),
		cmocka_unit_test(test_ipv6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
