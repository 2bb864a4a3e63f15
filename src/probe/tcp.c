/* SPDX-License-Identifier: MIT */
/*
 * tcp: a connect() scan.  Every port gets a non-blocking connect(); the
 * kernel's verdict (SYN-ACK, RST, an ICMP error) is read once the socket
 * turns writable, and no verdict before the deadline means filtered.
 *
 * All attempts share one timeout, so the in-flight list, kept in the order
 * the connects were started, is also ordered by deadline: one loop timer
 * armed for its head serves every socket, and finishing a connect is an
 * O(1) unlink.
 *
 * The outcome is read with a second connect() rather than SO_ERROR: Linux
 * answers it with EALREADY while the handshake is under way, 0 once it
 * completed, or the attempt's error -- and in that last case it resets the
 * socket, which then serves the next port.  Against a local target most
 * answers are there before the first connect() returns, so a closed port
 * costs two system calls and no socket of its own.
 */
#include "probe/probe.h"

#include "facts/facts.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define NIL		   UINT32_MAX
#define DEFAULT_TIMEOUT_MS 1000
#define MAX_WINDOW	   16384
#define MAX_SPARE	   16 /* reset sockets kept for the next ports */
/* Ports started per turn of the loop: a local target answers them all at
 * once, and the other probes of the loop must not wait for 65535. */
#define LAUNCH_BUDGET 256
/* Descriptors left to the other probes of the loop and to stdio. */
#define FD_MARGIN 64

struct tcp_scan;

struct port_st {
	struct tcp_scan *s;
	uint64_t t0;	     /* start of the current attempt, us */
	uint32_t prev, next; /* in-flight list, oldest first */
	uint32_t rtt_us;
	int fd; /* -1 when not in flight */
	int err;
	uint16_t port;
	uint16_t lport; /* our local port, for an open one */
	uint8_t state;	/* enum vd_port_state; 0 until decided */
	uint8_t tries;
	bool cross; /* connected to another of our own sockets */
};

struct tcp_scan {
	struct vd_loop *l;
	struct vd_probes *out;
	struct vd_ip target;
	struct sockaddr_storage sa;
	socklen_t salen;
	uint64_t timeout_us;
	unsigned retries;
	size_t window, max_window;
	size_t inflight;
	uint32_t head, tail; /* in-flight list */
	int64_t timer;	     /* 0: none armed */
	int64_t kick;	     /* 0, or the timer that resumes launching */
	size_t next;	     /* first port never tried */
	uint32_t *rq;	     /* ring of filtered ports to try again */
	size_t rq_head, rq_len;
	int spare[MAX_SPARE];
	size_t n_spare;
	size_t n;
	struct port_st st[];
};

static int cmp_port(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

/*
 * Connecting to thousands of ports at once takes as many descriptors.  The
 * soft limit (often 1024) is raised towards the hard one; the scan keeps a
 * margin below it for the other probes sharing the loop.
 */
static size_t default_window(void)
{
	struct rlimit rl;
	rlim_t want;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 256;
	want = rl.rlim_max;
	if (want == RLIM_INFINITY || want > MAX_WINDOW + FD_MARGIN)
		want = MAX_WINDOW + FD_MARGIN;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		struct rlimit nl = { want, rl.rlim_max };

		if (setrlimit(RLIMIT_NOFILE, &nl) == 0)
			rl.rlim_cur = want;
	}
	if (rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= MAX_WINDOW + FD_MARGIN)
		return MAX_WINDOW;
	if (rl.rlim_cur > 2 * FD_MARGIN)
		return (size_t)rl.rlim_cur - FD_MARGIN;
	return rl.rlim_cur > 2 ? (size_t)rl.rlim_cur / 2 : 1;
}

static void list_unlink(struct tcp_scan *s, struct port_st *p)
{
	if (p->prev != NIL)
		s->st[p->prev].next = p->next;
	else
		s->head = p->next;
	if (p->next != NIL)
		s->st[p->next].prev = p->prev;
	else
		s->tail = p->prev;
	p->prev = p->next = NIL;
}

static void list_append(struct tcp_scan *s, struct port_st *p)
{
	uint32_t i = (uint32_t)(p - s->st);

	p->next = NIL;
	p->prev = s->tail;
	if (s->tail != NIL)
		s->st[s->tail].next = i;
	else
		s->head = i;
	s->tail = i;
}

/* Take p out of flight; its socket stays open (p->fd) for the caller. */
static void unflight(struct tcp_scan *s, struct port_st *p)
{
	list_unlink(s, p);
	vd_loop_del_fd(s->l, p->fd);
	s->inflight--;
	/* Additive increase after a descriptor shortage shrank the window. */
	if (s->window < s->max_window)
		s->window++;
}

/* err is kept only where it is the reason: unreachable, error. */
static void decide(struct port_st *p, uint8_t state, int err, uint64_t now)
{
	bool why = state == VD_PORT_UNREACHABLE || state == VD_PORT_ERROR;

	p->state = state;
	p->err = why ? err : 0;
	p->rtt_us = now > p->t0 ? (uint32_t)(now - p->t0) : 0;
}

/* What a connect() error says about the port. */
static uint8_t classify(int err)
{
	switch (err) {
	case 0:
	case ECONNRESET: /* reset after the handshake: it answered */
		return VD_PORT_OPEN;
	case ECONNREFUSED:
		return VD_PORT_CLOSED;
	case ETIMEDOUT:
		return VD_PORT_FILTERED;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENONET:
	case ENOPROTOOPT: /* ICMP protocol unreachable */
	case EACCES:	  /* prohibited (ICMP, or a local reject rule) */
	case EPERM:
		return VD_PORT_UNREACHABLE;
	default:
		return VD_PORT_ERROR;
	}
}

static bool same_endpoint(const struct sockaddr_storage *a,
			  const struct sockaddr_storage *b, bool with_port)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a,
					 *y = (const void *)b;

		return x->sin_addr.s_addr == y->sin_addr.s_addr &&
		       (!with_port || x->sin_port == y->sin_port);
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a,
					  *y = (const void *)b;

		return !memcmp(&x->sin6_addr, &y->sin6_addr,
			       sizeof(x->sin6_addr)) &&
		       (!with_port || x->sin6_port == y->sin6_port);
	}
	return false;
}

static uint16_t sa_port(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)a)
				     ->sin_port);
	return ntohs(((const struct sockaddr_in6 *)(const void *)a)->sin6_port);
}

static struct port_st *find_port(struct tcp_scan *s, uint16_t port)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->st[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->st[lo].port == port ? &s->st[lo] : NULL;
}

/*
 * A connect to a local address whose port lies in the ephemeral range can
 * be answered by our own sockets rather than by a listener: the kernel may
 * pick the target port as the source port (a TCP simultaneous open with
 * itself), or two of our connects may pick each other's target port as
 * source port and open together.  Either way nothing listens there (the
 * kernel never hands out a port a listener holds): the port is closed.
 */
static bool own_answer(struct tcp_scan *s, struct port_st *p)
{
	struct sockaddr_storage me, peer, other;
	socklen_t len = sizeof(me);
	struct port_st *q;

	if (getsockname(p->fd, (struct sockaddr *)&me, &len) < 0)
		return false;
	len = sizeof(peer);
	if (getpeername(p->fd, (struct sockaddr *)&peer, &len) < 0)
		return false;
	p->lport = sa_port(&me);
	if (!same_endpoint(&me, &peer, false))
		return false;
	if (p->lport == p->port)
		return true;
	q = find_port(s, p->lport);
	if (!q)
		return false;
	if (q->fd >= 0) {
		len = sizeof(other);
		if (getsockname(q->fd, (struct sockaddr *)&other, &len) < 0 ||
		    !same_endpoint(&other, &me, false) ||
		    sa_port(&other) != p->port)
			return false;
		q->cross = true;
		return true;
	}
	if (q->state == VD_PORT_OPEN && q->lport == p->port) {
		q->state = VD_PORT_CLOSED;
		q->err = 0;
		return true;
	}
	return false;
}

static void finish(struct tcp_scan *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct port_st *p = &s->st[i];
		struct vd_tcp_result *r = VD_PUSH(s->out, tcps);

		if (!r)
			break; /* capacity was reserved at start */
		r->target = s->target;
		r->port = p->port;
		r->state = p->state;
		r->err = p->err;
		r->rtt_us = p->rtt_us;
	}
	while (s->n_spare)
		close(s->spare[--s->n_spare]);
	free(s->rq);
	free(s);
}

static void on_timer(struct vd_loop *l, void *arg);
static void on_writable(struct vd_loop *l, int fd, unsigned ev, void *arg);

/* Keep one timer armed for the oldest connect in flight. */
static int arm_timer(struct tcp_scan *s, uint64_t now)
{
	uint64_t when;
	int64_t id;

	if (s->timer || s->head == NIL)
		return 0;
	when = s->st[s->head].t0 + s->timeout_us;
	id = vd_loop_add_timer(s->l, when > now ? when - now : 0, on_timer, s);
	if (id < 0)
		return (int)id;
	s->timer = id;
	return 0;
}

enum start_rc { STARTED, DECIDED, SHORT };

/* Transient shortages of descriptors, buffers or local ports. */
static bool is_shortage(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	       err == ENOMEM || err == EADDRNOTAVAIL || err == EAGAIN;
}

static void port_addr(const struct tcp_scan *s, uint16_t port,
		      struct sockaddr_storage *sa)
{
	*sa = s->sa;
	if (sa->ss_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
}

static int so_error(int fd)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return 0;
	return err;
}

/*
 * The outcome of p's connect: 0 connected, EALREADY still under way, else
 * the error it ended with.  *reset (if asked for) says the kernel has reset
 * the socket, which may then connect again.
 */
static int outcome(const struct tcp_scan *s, const struct port_st *p,
		   bool *reset)
{
	struct sockaddr_storage sa;
	int err;

	port_addr(s, p->port, &sa);
	if (connect(p->fd, (struct sockaddr *)&sa, s->salen) == 0 ||
	    errno == EISCONN)
		return 0;
	if (errno != EALREADY) {
		if (reset)
			*reset = true;
		return errno;
	}
	/* An ICMP error that arrives while one of our system calls holds
	 * the socket is kept as a "soft" error: SO_ERROR reports it,
	 * connect() does not, and the handshake goes on. */
	err = so_error(p->fd);
	return err ? err : EALREADY;
}

static int take_socket(struct tcp_scan *s)
{
	if (s->n_spare)
		return s->spare[--s->n_spare];
	return socket(s->sa.ss_family,
		      SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

/*
 * Decide p from the outcome of its connect, and be done with its socket.
 * One that was refused at once, reset by the kernel, serves the next port:
 * that is where a local scan spends its time.  Others are closed: a socket
 * that waited may hold a stale "soft" error.
 */
static void conclude(struct tcp_scan *s, struct port_st *p, int err, bool reuse,
		     uint64_t now)
{
	uint8_t state = classify(err);

	if (state == VD_PORT_OPEN) {
		/* Reset rather than FIN: no TIME_WAIT per open port. */
		struct linger lg = { 1, 0 };

		if (own_answer(s, p) || p->cross)
			state = VD_PORT_CLOSED;
		setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
	decide(p, state, err, now);
	if (reuse && state == VD_PORT_CLOSED && s->n_spare < MAX_SPARE)
		s->spare[s->n_spare++] = p->fd;
	else
		close(p->fd);
	p->fd = -1;
}

static enum start_rc start_one(struct tcp_scan *s, struct port_st *p)
{
	struct sockaddr_storage sa;
	uint64_t now = vd_now_us();
	int fd, err, rc;
	bool reset = false;

	fd = take_socket(s);
	if (fd < 0) {
		err = errno;
		goto fail;
	}
	port_addr(s, p->port, &sa);
	p->t0 = now;
	if (connect(fd, (struct sockaddr *)&sa, s->salen) < 0 &&
	    errno != EINPROGRESS) {
		err = errno;
		close(fd);
		if (is_shortage(err))
			goto fail;
		p->tries++;
		decide(p, classify(err), err, now);
		return DECIDED;
	}
	p->tries++;
	p->fd = fd;
	/* A local target has usually answered by now. */
	err = outcome(s, p, &reset);
	if (err != EALREADY) {
		conclude(s, p, err, reset, vd_now_us());
		return DECIDED;
	}
	rc = vd_loop_add_fd(s->l, fd, VD_EV_OUT, on_writable, p);
	if (rc < 0) {
		close(fd);
		p->fd = -1;
		decide(p, VD_PORT_ERROR, -rc, now);
		return DECIDED;
	}
	list_append(s, p);
	s->inflight++;
	return STARTED;
fail:
	/* With connects in flight, wait for them to free what is short. */
	if (is_shortage(err) && s->inflight)
		return SHORT;
	decide(p, VD_PORT_ERROR, err, now);
	return DECIDED;
}

/* Fill the window: retries of filtered ports first, then new ports.
 * Returns true when it stopped for the budget with ports left to start. */
static bool launch(struct tcp_scan *s, size_t budget)
{
	while (s->inflight < s->window) {
		bool retry = s->rq_len > 0;
		uint32_t i;

		if (retry)
			i = s->rq[s->rq_head];
		else if (s->next < s->n)
			i = (uint32_t)s->next;
		else
			break;
		if (!budget--)
			return true;
		if (start_one(s, &s->st[i]) == SHORT) {
			s->window = s->inflight;
			break;
		}
		if (retry) {
			s->rq_head = (s->rq_head + 1) % s->n;
			s->rq_len--;
		} else {
			s->next++;
		}
	}
	return false;
}

/* Settle everything still in flight as err (the loop cannot time us). */
static void abort_all(struct tcp_scan *s, int err, uint64_t now)
{
	while (s->head != NIL) {
		struct port_st *p = &s->st[s->head];

		unflight(s, p);
		close(p->fd);
		p->fd = -1;
		decide(p, VD_PORT_ERROR, err, now);
	}
	for (; s->rq_len; s->rq_len--) {
		struct port_st *p = &s->st[s->rq[s->rq_head]];

		decide(p, VD_PORT_ERROR, err, now);
		s->rq_head = (s->rq_head + 1) % s->n;
	}
	for (; s->next < s->n; s->next++)
		decide(&s->st[s->next], VD_PORT_ERROR, err, now);
}

static void on_kick(struct vd_loop *l, void *arg);

/* Refill, re-arm, and hand the results over once nothing is left. */
static void progress(struct tcp_scan *s, uint64_t now)
{
	int rc;

	if (launch(s, LAUNCH_BUDGET) && !s->kick) {
		int64_t id = vd_loop_add_timer(s->l, 0, on_kick, s);

		if (id > 0)
			s->kick = id;
		else
			launch(s, SIZE_MAX); /* cannot yield: go on */
	}
	rc = arm_timer(s, now);
	if (rc < 0)
		abort_all(s, -rc, now);
	if (s->inflight || s->rq_len || s->next < s->n)
		return;
	if (s->timer)
		vd_loop_cancel_timer(s->l, s->timer);
	if (s->kick)
		vd_loop_cancel_timer(s->l, s->kick);
	finish(s);
}

static void on_kick(struct vd_loop *l, void *arg)
{
	struct tcp_scan *s = arg;

	(void)l;
	s->kick = 0;
	progress(s, vd_now_us());
}

static void on_writable(struct vd_loop *l, int fd, unsigned ev, void *arg)
{
	struct port_st *p = arg;
	struct tcp_scan *s = p->s;
	uint64_t now = vd_now_us();
	int err = outcome(s, p, NULL);

	(void)l;
	(void)fd;
	(void)ev;
	if (err == EALREADY)
		return; /* not yet after all */
	unflight(s, p);
	conclude(s, p, err, false, now);
	progress(s, now);
}

static void on_timer(struct vd_loop *l, void *arg)
{
	struct tcp_scan *s = arg;
	uint64_t now = vd_now_us();

	(void)l;
	s->timer = 0;
	while (s->head != NIL && s->st[s->head].t0 + s->timeout_us <= now) {
		struct port_st *p = &s->st[s->head];
		/* A busy loop may reach the deadline before the event that
		 * says the socket answered: look first. */
		int err = outcome(s, p, NULL);

		unflight(s, p);
		if (err != EALREADY) {
			conclude(s, p, err, false, now);
			continue;
		}
		close(p->fd);
		p->fd = -1;
		if (p->tries <= s->retries) {
			s->rq[(s->rq_head + s->rq_len) % s->n] =
				(uint32_t)(p - s->st);
			s->rq_len++;
		} else {
			decide(p, VD_PORT_FILTERED, 0, now);
			p->rtt_us = 0; /* nothing came back */
		}
	}
	progress(s, now);
}

static void set_target(struct tcp_scan *s, const struct vd_ip *t)
{
	memset(&s->sa, 0, sizeof(s->sa));
	if (t->family == VD_AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&s->sa;

		a->sin_family = AF_INET;
		memcpy(&a->sin_addr, t->b, 4);
		s->salen = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&s->sa;

		a->sin6_family = AF_INET6;
		memcpy(&a->sin6_addr, t->b, 16);
		s->salen = sizeof(*a);
	}
	s->target = *t;
}

/* Room for n more results now, so that finishing cannot fail. */
static int reserve(struct vd_probes *out, size_t n)
{
	size_t want = out->n_tcps + n;
	struct vd_tcp_result *v;

	if (out->cap_tcps >= want)
		return 0;
	v = realloc(out->tcps, want * sizeof(*v));
	if (!v)
		return -ENOMEM;
	out->tcps = v;
	out->cap_tcps = want;
	return 0;
}

int vd_probe_tcp_start(struct vd_loop *l, const struct vd_ip *target,
		       const uint16_t *ports, size_t n_ports,
		       const struct vd_tcp_opts *o, struct vd_probes *out)
{
	static const struct vd_tcp_opts defaults = { 0 };
	struct tcp_scan *s;
	uint16_t *sorted;
	size_t n = 0;

	if (!o)
		o = &defaults;
	if (!l || !target || !ports || !n_ports || n_ports > SIZE_MAX / 2 ||
	    !out)
		return -EINVAL;
	if (target->family != VD_AF_INET && target->family != VD_AF_INET6)
		return -EINVAL;
	for (size_t i = 0; i < n_ports; i++)
		if (!ports[i])
			return -EINVAL;
	sorted = malloc(n_ports * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, ports, n_ports * sizeof(*sorted));
	qsort(sorted, n_ports, sizeof(*sorted), cmp_port);
	for (size_t i = 0; i < n_ports; i++)
		if (!n || sorted[i] != sorted[n - 1])
			sorted[n++] = sorted[i];

	s = calloc(1, sizeof(*s) + n * sizeof(s->st[0]));
	if (!s || reserve(out, n) < 0)
		goto nomem;
	s->rq = malloc(n * sizeof(*s->rq));
	if (!s->rq)
		goto nomem;
	set_target(s, target);
	s->l = l;
	s->out = out;
	s->n = n;
	s->timeout_us =
		(uint64_t)(o->timeout_ms ? o->timeout_ms : DEFAULT_TIMEOUT_MS) *
		1000u;
	s->retries = o->retries;
	s->max_window = o->max_inflight ? o->max_inflight : default_window();
	if (s->max_window > n)
		s->max_window = n;
	s->window = s->max_window;
	s->head = s->tail = NIL;
	for (size_t i = 0; i < n; i++) {
		s->st[i].s = s;
		s->st[i].port = sorted[i];
		s->st[i].fd = -1;
		s->st[i].prev = s->st[i].next = NIL;
	}
	free(sorted);
	progress(s, vd_now_us());
	return 0;
nomem:
	if (s)
		free(s->rq);
	free(s);
	free(sorted);
	return -ENOMEM;
}
