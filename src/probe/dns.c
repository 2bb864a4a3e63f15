/* SPDX-License-Identifier: MIT */
/*
 * dns: one A query at each server, with c-ares driven by the shared loop.
 *
 * Every server gets a channel of its own, so that c-ares never moves a
 * query on to another server: each server's answer, or silence, is its
 * own.  c-ares tells which sockets it wants watched through the socket
 * state callback; they join the loop with the events it asks for, and a
 * timer armed from ares_timeout() after each turn drives its retries and
 * timeouts.  A channel is destroyed as soon as its query is over; the
 * results go out, in the servers' order, when the last one is.
 */
#include "probe/dns.h"

#include "facts/facts.h"

#include <ares.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_FDS 4 /* per channel: its UDP socket, a TCP one on truncation */
#define MAX_A	128
/* ares_timeout() rounds down to the millisecond: a timer that fired a
 * little early would find nothing due and spin until it is. */
#define TIMER_SLACK_US 1000

struct dns_probe;

struct watched {
	int fd;
	unsigned events;
};

struct dns_server {
	struct dns_probe *p;
	ares_channel ch; /* NULL once the query is over */
	int64_t timer;	 /* 0: none armed */
	uint64_t t0;
	bool done;
	bool local_err; /* a socket or timer could not join the loop */
	unsigned n_fds;
	struct watched fds[MAX_FDS];
	struct vd_dns_result r;
};

struct dns_probe {
	struct vd_loop *l;
	struct vd_probes *out;
	bool starting; /* in vd_probe_dns_start_port: do not finish yet */
	int64_t finish_timer;
	size_t n, n_done;
	struct dns_server s[];
};

/*
 * c-ares wants ares_library_init() once per process before any channel;
 * it is never undone, as channels may be made until the process ends.
 */
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_status = ARES_ENOTINITIALIZED;

static void lib_init(void)
{
	lib_status = ares_library_init(ARES_LIB_INIT_ALL);
}

static int ares_to_errno(int status)
{
	return status == ARES_ENOMEM ? -ENOMEM : -EIO;
}

int vd_dns_name_check(const char *name)
{
	size_t len, label = 0;

	if (!name || !*name)
		return -EINVAL;
	len = strlen(name);
	if (strcmp(name, ".") == 0)
		return 0;
	if (name[len - 1] == '.')
		len--;
	if (len > VD_DNS_NAME_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (name[i] != '.') {
			if (++label > 63)
				return -EINVAL;
			continue;
		}
		if (label == 0)
			return -EINVAL; /* "a..b", ".a" */
		label = 0;
	}
	return label ? 0 : -EINVAL; /* "a.." */
}

/* What the query's outcome says about the server. */
static void judge(struct vd_dns_result *r, int status,
		  const unsigned char *abuf, int alen)
{
	uint8_t hdr_rcode = abuf && alen >= 12 ? abuf[3] & 0x0f : 0;

	r->n_answers = 0;
	r->rcode = 0;
	switch (status) {
	case ARES_SUCCESS: {
		struct ares_addrttl a[MAX_A];
		int n = MAX_A;
		int rc = ares_parse_a_reply(abuf, alen, NULL, a, &n);

		if (rc == ARES_SUCCESS) {
			r->status = VD_DNS_ANSWERED;
			r->n_answers = (unsigned)n;
		} else if (rc == ARES_ENODATA) {
			r->status = VD_DNS_ANSWERED; /* a CNAME, no A */
		} else {
			r->status = VD_DNS_ERROR; /* a malformed answer */
		}
		break;
	}
	case ARES_ENODATA:
		/* NOERROR without answers: the name exists, has no A. */
		r->status = VD_DNS_ANSWERED;
		break;
	case ARES_ENOTFOUND:
		r->status = VD_DNS_NXDOMAIN;
		r->rcode = 3;
		break;
	case ARES_ESERVFAIL:
		r->status = VD_DNS_SERVFAIL;
		r->rcode = 2;
		break;
	case ARES_EREFUSED:
		r->status = VD_DNS_REFUSED;
		r->rcode = 5;
		break;
	case ARES_ETIMEOUT:
		r->status = VD_DNS_TIMEOUT;
		break;
	case ARES_ECONNREFUSED:
		/* An ICMP port unreachable: the server's host is up but
		 * nothing listens on port 53.  An error, not a timeout: the
		 * rules treat it as a failure of the server all the same. */
		r->status = VD_DNS_ERROR;
		break;
	default:
		/* FORMERR, NOTIMP, other rcodes; or a local failure. */
		r->status = VD_DNS_ERROR;
		r->rcode = hdr_rcode;
		break;
	}
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf,
		      int alen)
{
	struct dns_server *s = arg;

	(void)timeouts;
	if (s->done)
		return;
	s->r.rtt_us = (uint32_t)(vd_now_us() - s->t0);
	judge(&s->r, status, abuf, alen);
	s->done = true;
}

static struct watched *find_fd(struct dns_server *s, int fd)
{
	for (unsigned i = 0; i < s->n_fds; i++)
		if (s->fds[i].fd == fd)
			return &s->fds[i];
	return NULL;
}

static void after_ares(struct dns_server *s);

static void on_io(struct vd_loop *l, int fd, unsigned events, void *arg)
{
	struct dns_server *s = arg;
	struct watched *w = find_fd(s, fd);
	ares_socket_t rfd = ARES_SOCKET_BAD, wfd = ARES_SOCKET_BAD;

	(void)l;
	/* An error pending on the socket (an ICMP error on UDP) is for
	 * c-ares's own recv() to find. */
	if (events & (VD_EV_IN | VD_EV_ERR))
		rfd = fd;
	if (w && (w->events & VD_EV_OUT) && (events & (VD_EV_OUT | VD_EV_ERR)))
		wfd = fd;
	ares_process_fd(s->ch, rfd, wfd);
	after_ares(s);
}

static void on_timer(struct vd_loop *l, void *arg)
{
	struct dns_server *s = arg;

	(void)l;
	s->timer = 0;
	ares_process_fd(s->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	after_ares(s);
}

/* c-ares opens, changes or closes (readable = writable = 0) a socket. */
static void on_sock_state(void *arg, ares_socket_t fd, int readable,
			  int writable)
{
	struct dns_server *s = arg;
	struct vd_loop *l = s->p->l;
	unsigned ev = (readable ? VD_EV_IN : 0) | (writable ? VD_EV_OUT : 0);
	struct watched *w = find_fd(s, fd);

	if (!ev) {
		if (w) {
			vd_loop_del_fd(l, fd);
			*w = s->fds[--s->n_fds];
		}
		return;
	}
	if (w) {
		if (w->events != ev && vd_loop_mod_fd(l, fd, ev) < 0)
			s->local_err = true;
		else
			w->events = ev;
		return;
	}
	if (s->n_fds == MAX_FDS || vd_loop_add_fd(l, fd, ev, on_io, s) < 0) {
		s->local_err = true;
		return;
	}
	s->fds[s->n_fds++] = (struct watched){ fd, ev };
}

static int arm_timer(struct dns_server *s)
{
	struct timeval tv, *t;
	int64_t id;

	if (s->timer)
		vd_loop_cancel_timer(s->p->l, s->timer);
	s->timer = 0;
	t = ares_timeout(s->ch, NULL, &tv);
	if (!t)
		return 0;
	id = vd_loop_add_timer(s->p->l,
			       (uint64_t)t->tv_sec * 1000000u +
				       (uint64_t)t->tv_usec + TIMER_SLACK_US,
			       on_timer, s);
	if (id < 0)
		return (int)id;
	s->timer = id;
	return 0;
}

static void close_channel(struct dns_server *s)
{
	struct vd_loop *l = s->p->l;

	if (s->timer)
		vd_loop_cancel_timer(l, s->timer);
	s->timer = 0;
	/* Its sockets leave the loop through on_sock_state. */
	if (s->ch)
		ares_destroy(s->ch);
	s->ch = NULL;
	while (s->n_fds) /* in case one did not */
		vd_loop_del_fd(l, s->fds[--s->n_fds].fd);
}

static void free_probe(struct dns_probe *p)
{
	for (size_t i = 0; i < p->n; i++)
		close_channel(&p->s[i]);
	if (p->finish_timer)
		vd_loop_cancel_timer(p->l, p->finish_timer);
	free(p);
}

static int reserve(struct vd_probes *out, size_t n)
{
	size_t want = out->n_dns + n;
	struct vd_dns_result *v;

	if (out->cap_dns >= want)
		return 0;
	v = realloc(out->dns, want * sizeof(*v));
	if (!v)
		return -ENOMEM;
	out->dns = v;
	out->cap_dns = want;
	return 0;
}

static void finish(struct dns_probe *p)
{
	for (size_t i = 0; i < p->n; i++) {
		struct vd_dns_result *r = VD_PUSH(p->out, dns);

		if (!r)
			break; /* capacity was reserved at start */
		*r = p->s[i].r;
	}
	free_probe(p);
}

static void on_finish(struct vd_loop *l, void *arg)
{
	struct dns_probe *p = arg;

	(void)l;
	p->finish_timer = 0;
	finish(p);
}

/* After every call into c-ares: keep its timer armed, or close. */
static void after_ares(struct dns_server *s)
{
	struct dns_probe *p = s->p;

	/* A socket the loop does not watch would end in a false timeout. */
	if (!s->done && (s->local_err || arm_timer(s) < 0)) {
		ares_cancel(s->ch);
		if (!s->done) {
			s->r.status = VD_DNS_ERROR;
			s->done = true;
		}
	}
	if (!s->done)
		return;
	if (s->local_err)
		s->r.status = VD_DNS_ERROR;
	close_channel(s);
	if (++p->n_done == p->n && !p->starting)
		finish(p);
}

static int start_one(struct dns_server *s, const char *name, uint16_t port,
		     const struct vd_dns_opts *o)
{
	static char lookups[] = "b";
	struct ares_options opt = { 0 };
	struct ares_addr_port_node srv = { 0 };
	const struct vd_ip *ip = &s->r.server;
	int rc;

	/*
	 * Every setting is given, so c-ares reads nothing of the machine's
	 * resolver configuration: its servers are never asked, and an
	 * unreadable resolv.conf does not fail the probe.  No search list,
	 * no rotation; NOCHECKRESP hands SERVFAIL and REFUSED to us at once
	 * rather than retrying them: they are the server's answer.
	 */
	opt.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOCHECKRESP;
	opt.timeout = (int)(o->timeout_ms ? o->timeout_ms : VD_DNS_DEFAULT_MS);
	opt.tries = (int)(o->tries ? o->tries : VD_DNS_DEFAULT_TRIES);
	opt.ndots = 1;
	opt.lookups = lookups;
	opt.sock_state_cb = on_sock_state;
	opt.sock_state_cb_data = s;
	rc = ares_init_options(
		&s->ch, &opt,
		ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
			ARES_OPT_NDOTS | ARES_OPT_LOOKUPS | ARES_OPT_SERVERS |
			ARES_OPT_DOMAINS | ARES_OPT_SORTLIST |
			ARES_OPT_NOROTATE | ARES_OPT_SOCK_STATE_CB);
	if (rc != ARES_SUCCESS) {
		s->ch = NULL;
		return ares_to_errno(rc);
	}
	srv.family = ip->family == VD_AF_INET ? AF_INET : AF_INET6;
	if (ip->family == VD_AF_INET)
		memcpy(&srv.addr.addr4, ip->b, 4);
	else
		memcpy(&srv.addr.addr6, ip->b, 16);
	srv.udp_port = port;
	srv.tcp_port = port;
	rc = ares_set_servers_ports(s->ch, &srv);
	if (rc != ARES_SUCCESS)
		return ares_to_errno(rc);
	s->t0 = vd_now_us();
	ares_query(s->ch, name, ns_c_in, ns_t_a, on_answer, s);
	after_ares(s);
	return 0;
}

int vd_probe_dns_start_port(struct vd_loop *l, const char *name,
			    const struct vd_ip *servers, size_t n_servers,
			    uint16_t port, const struct vd_dns_opts *o,
			    struct vd_probes *out)
{
	static const struct vd_dns_opts defaults = { 0 };
	struct dns_probe *p;
	int rc;

	if (!l || !servers || !out || n_servers == 0 || port == 0 ||
	    vd_dns_name_check(name) < 0)
		return -EINVAL;
	if (n_servers > (SIZE_MAX - sizeof(*p)) / sizeof(p->s[0]))
		return -ENOMEM;
	for (size_t i = 0; i < n_servers; i++)
		if (servers[i].family != VD_AF_INET &&
		    servers[i].family != VD_AF_INET6)
			return -EINVAL;
	if (!o)
		o = &defaults;
	pthread_once(&lib_once, lib_init);
	if (lib_status != ARES_SUCCESS)
		return ares_to_errno(lib_status);
	if (reserve(out, n_servers) < 0)
		return -ENOMEM;
	p = calloc(1, sizeof(*p) + n_servers * sizeof(p->s[0]));
	if (!p)
		return -ENOMEM;
	p->l = l;
	p->out = out;
	p->n = n_servers;
	p->starting = true;
	for (size_t i = 0; i < n_servers; i++) {
		struct dns_server *s = &p->s[i];

		s->p = p;
		s->r.server = servers[i];
		strncpy(s->r.name, name, sizeof(s->r.name) - 1);
	}
	for (size_t i = 0; i < n_servers; i++) {
		rc = start_one(&p->s[i], name, port, o);
		if (rc < 0)
			goto fail;
	}
	p->starting = false;
	/* Every query may have ended already (no socket could be opened):
	 * the results still go out from the loop, as any probe's do. */
	if (p->n_done == p->n) {
		int64_t id = vd_loop_add_timer(l, 0, on_finish, p);

		if (id < 0) {
			rc = (int)id;
			goto fail;
		}
		p->finish_timer = id;
	}
	return 0;
fail:
	free_probe(p);
	return rc;
}

int vd_probe_dns_start(struct vd_loop *l, const char *name,
		       const struct vd_ip *servers, size_t n_servers,
		       const struct vd_dns_opts *o, struct vd_probes *out)
{
	return vd_probe_dns_start_port(l, name, servers, n_servers, VD_DNS_PORT,
				       o, out);
}
