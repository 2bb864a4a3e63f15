/* SPDX-License-Identifier: MIT */
/*
 * vmnet-dhcpd's configuration, the ISC dhcpd 2.0 dialect VMware writes:
 * Linux and Fusion vmnetN/dhcpd/dhcpd.conf (one vmnet), Windows
 * vmnetdhcp.conf (every vmnet, each after a "# Virtual ethernet segment N"
 * comment):
 *
 *	allow unknown-clients;
 *	subnet 192.168.135.0 netmask 255.255.255.0 {
 *		range 192.168.135.128 192.168.135.254;
 *		option domain-name-servers 192.168.135.2;
 *		option routers 192.168.135.2;
 *	}
 *	host vmnet8 {
 *		hardware ethernet 00:50:56:C0:00:08;
 *		fixed-address 192.168.135.1;
 *	}
 *
 * Keywords are case-insensitive.  Blocks this parser does not model
 * (class, if, failover...) are passed over with everything they nest;
 * statements of the global and subnet scopes that are not modelled are
 * kept as they are written.  Where ISC would refuse the file (a '}'
 * without '{', a missing ';', a block left open at the end) the parser
 * keeps what it read and the first such problem as the kept key
 * "syntax-error".  Bytes in, facts out: no I/O.
 */
#include "collect/collect.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/ip.h"
#include "util/span.h"

#define ITEMS_MAX   100000 /* subnets, hosts and kept statements */
#define SUBNETS_MAX 1024   /* hosts are matched against every subnet */
#define DEPTH_MAX   16
#define KEY_MAX	    128
#define VALUE_MAX   1024

enum scope { SC_GLOBAL, SC_GROUP, SC_SUBNET, SC_HOST };

struct frame {
	enum scope kind;
	size_t item; /* the subnet or host in out (pools: their subnet's) */
};

struct dhcpd {
	struct vd_vmware *out;
	int fidx;
	int vnet; /* the caller's, -1 */
	size_t first_subnet, first_host;
	struct frame stack[DEPTH_MAX];
	int depth;
	unsigned long skip; /* nesting inside a block passed over */
	int segment;	    /* "# Virtual ethernet segment N" unclaimed */
	size_t items, known;
	bool noted;	  /* a syntax problem is kept */
	const char *fail; /* why the input is refused (with -EINVAL) */
};

/* Keywords of dhcpd.conf, to tell the format from anything else. */
static const char *const keywords[] = {
	"allow",
	"deny",
	"ignore",
	"option",
	"subnet",
	"host",
	"group",
	"shared-network",
	"pool",
	"range",
	"default-lease-time",
	"max-lease-time",
	"min-lease-time",
	"hardware",
	"fixed-address",
	"authoritative",
	"not",
	"ddns-update-style",
	"ddns-updates",
	"log-facility",
	"server-identifier",
	"server-name",
	"filename",
	"next-server",
	"use-host-decl-names",
	"get-lease-hostnames",
	"one-lease-per-client",
	"ping-check",
	"class",
	"subclass",
	"include",
	"key",
	"zone",
	"failover",
	"if",
	"lease-file-name",
	"pid-file-name",
	"local-address",
	"boot-unknown-clients",
	"dynamic-bootp-lease-length",
	"dynamic-bootp-lease-cutoff",
	"always-broadcast",
	"always-reply-rfc1048",
	"vendor-option-space",
	"stash-agent-options",
	"min-secs",
	"omapi-port",
};

/* Word i of st, or NULL (absent or past what st holds). */
static const struct vd_span *word(const struct vd_stmt *st, size_t i)
{
	return i < st->n && i < VD_STMT_WORDS ? &st->w[i] : NULL;
}

static bool word_is(const struct vd_stmt *st, size_t i, const char *kw)
{
	const struct vd_span *w = word(st, i);

	return w && !st->quoted[i] && vd_span_ieq(w, kw);
}

static bool ipv4_word(const struct vd_stmt *st, size_t i, struct vd_ip *ip)
{
	const struct vd_span *w = word(st, i);

	return w && vd_span_ip(w, ip) && ip->family == VD_AF_INET;
}

static bool is_keyword(const struct vd_stmt *st)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (word_is(st, 0, keywords[i]))
			return true;
	return false;
}

static int count_item(struct dhcpd *c)
{
	if (++c->items <= ITEMS_MAX)
		return 0;
	c->fail = "more than 100000 statements";
	return -EINVAL;
}

static int keep(struct dhcpd *c, const char *section, const char *key,
		const struct vd_span *value, unsigned line)
{
	char v[VALUE_MAX];
	struct vd_span vs = *value;

	if (count_item(c) < 0)
		return -EINVAL;
	if (vs.n >= sizeof(v))
		vs.n = sizeof(v) - 1;
	vd_span_copy(v, sizeof(v), &vs);
	return vd_vmware_kv_add(c->out, section, key, v,
				(struct vd_src){ c->fidx, line });
}

/* Keep the first problem ISC would refuse the file for. */
static int note(struct dhcpd *c, const char *what, unsigned line)
{
	struct vd_span s = { (const uint8_t *)what, strlen(what) };

	if (c->noted)
		return 0;
	c->noted = true;
	return keep(c, "", "syntax-error", &s, line);
}

/* A statement not modelled: "key value..." ("option name value..."). */
static int keep_stmt(struct dhcpd *c, const char *section,
		     const struct vd_stmt *st)
{
	char key[KEY_MAX];
	size_t k = word_is(st, 0, "option") && st->n > 1 ? 2 : 1;
	struct vd_span value = vd_stmt_rest(st, k);

	vd_span_copy(key, sizeof(key), &st->w[0]);
	if (k == 2 && strlen(key) + 2 < sizeof(key)) {
		strcat(key, " ");
		vd_span_copy(key + strlen(key), sizeof(key) - strlen(key),
			     &st->w[1]);
	}
	return keep(c, section, key, &value, st->line);
}

static struct vd_dhcp_subnet *subnet_at(struct dhcpd *c)
{
	return &c->out->dhcp_subnets[c->stack[c->depth].item];
}

/* range [dynamic-bootp] LO [HI]: the first range of the subnet (the
 * model holds one; later ones are kept as written). */
static bool subnet_range(struct vd_dhcp_subnet *s, const struct vd_stmt *st)
{
	size_t i = word_is(st, 1, "dynamic-bootp") ? 2 : 1;
	struct vd_ip lo, hi;

	if (s->range_lo.family != VD_AF_NONE || st->n > i + 2 ||
	    !ipv4_word(st, i, &lo))
		return false;
	hi = lo;
	if (st->n == i + 2 && !ipv4_word(st, i + 1, &hi))
		return false;
	s->range_lo = lo;
	s->range_hi = hi;
	s->range_line = st->line;
	return true;
}

/* option routers / domain-name-servers: a later statement wins. */
static bool subnet_option(struct vd_dhcp_subnet *s, const struct vd_stmt *st)
{
	struct vd_ip ip, dns[4] = { 0 };
	uint8_t n = 0;

	if (word_is(st, 1, "routers")) {
		if (!ipv4_word(st, 2, &ip))
			return false;
		s->router = ip;
		s->router_line = st->line;
		return true;
	}
	if (!word_is(st, 1, "domain-name-servers"))
		return false;
	for (size_t i = 2; i < st->n && i < VD_STMT_WORDS && n < 4; i++)
		if (ipv4_word(st, i, &ip))
			dns[n++] = ip;
	if (n == 0)
		return false;
	memcpy(s->dns, dns, sizeof(s->dns));
	s->n_dns = n;
	s->dns_line = st->line;
	return true;
}

static int subnet_stmt(struct dhcpd *c, const struct vd_stmt *st)
{
	struct vd_dhcp_subnet *s = subnet_at(c);
	char section[8 + VD_IPSTR_MAX] = "subnet ";

	if (word_is(st, 0, "range") && subnet_range(s, st))
		return 0;
	if (word_is(st, 0, "option") && subnet_option(s, st))
		return 0;
	vd_ip_str(&s->subnet, section + 7, sizeof(section) - 7);
	return keep_stmt(c, section, st);
}

static void host_stmt(struct dhcpd *c, const struct vd_stmt *st)
{
	struct vd_dhcp_host *h = &c->out->dhcp_hosts[c->stack[c->depth].item];
	const struct vd_span *w;
	uint8_t mac[6];

	if (word_is(st, 0, "hardware") && word_is(st, 1, "ethernet") &&
	    st->n == 3 && (w = word(st, 2)) &&
	    vd_mac6_parse((const char *)w->p, w->n, mac)) {
		h->has_mac = true;
		memcpy(h->mac, mac, 6);
	} else if (word_is(st, 0, "fixed-address") && st->n >= 2) {
		/* a host name is an address, but not one we can compare */
		if (!ipv4_word(st, 1, &h->ip))
			memset(&h->ip, 0, sizeof(h->ip));
	}
}

static int statement(struct dhcpd *c, const struct vd_stmt *st)
{
	switch (c->stack[c->depth].kind) {
	case SC_SUBNET:
		return subnet_stmt(c, st);
	case SC_HOST:
		host_stmt(c, st);
		return 0;
	default:
		return keep_stmt(c, "", st);
	}
}

static int push(struct dhcpd *c, enum scope kind, size_t item)
{
	c->depth++;
	c->stack[c->depth].kind = kind;
	c->stack[c->depth].item = item;
	return 0;
}

/* subnet A netmask M { */
static int open_subnet(struct dhcpd *c, const struct vd_stmt *st)
{
	struct vd_dhcp_subnet s = { .vnet = c->vnet };
	struct vd_dhcp_subnet *d;

	if (st->n != 4 || !word_is(st, 2, "netmask") ||
	    !ipv4_word(st, 1, &s.subnet) || !ipv4_word(st, 3, &s.netmask)) {
		c->skip = 1;
		return note(c, "subnet without an address and a netmask",
			    st->line);
	}
	if (c->out->n_dhcp_subnets - c->first_subnet >= SUBNETS_MAX) {
		c->fail = "more than 1024 subnets";
		return -EINVAL;
	}
	if (s.vnet < 0)
		s.vnet = c->segment;
	c->segment = -1;
	s.src = (struct vd_src){ c->fidx, st->line };
	if (count_item(c) < 0)
		return -EINVAL;
	d = VD_PUSH(c->out, dhcp_subnets);
	if (!d)
		return -ENOMEM;
	*d = s;
	return push(c, SC_SUBNET, c->out->n_dhcp_subnets - 1);
}

/* host NAME { */
static int open_host(struct dhcpd *c, const struct vd_stmt *st)
{
	struct vd_dhcp_host *h;

	if (st->n != 2) {
		c->skip = 1;
		return note(c, "host without a name", st->line);
	}
	if (count_item(c) < 0)
		return -EINVAL;
	h = VD_PUSH(c->out, dhcp_hosts);
	if (!h)
		return -ENOMEM;
	h->vnet = c->vnet;
	vd_span_copy(h->name, sizeof(h->name), &st->w[1]);
	h->src = (struct vd_src){ c->fidx, st->line };
	return push(c, SC_HOST, c->out->n_dhcp_hosts - 1);
}

static int open_block(struct dhcpd *c, const struct vd_stmt *st)
{
	enum scope in = c->stack[c->depth].kind;

	if (c->depth + 1 >= DEPTH_MAX || in == SC_HOST) {
		c->skip = 1;
		return 0;
	}
	if (st->n == 0) {
		c->skip = 1;
		return note(c, "block without a head", st->line);
	}
	if (word_is(st, 0, "subnet") && in != SC_SUBNET)
		return open_subnet(c, st);
	if (word_is(st, 0, "host"))
		return open_host(c, st);
	if ((word_is(st, 0, "group") || word_is(st, 0, "shared-network")) &&
	    in != SC_SUBNET)
		return push(c, SC_GROUP, 0);
	if (word_is(st, 0, "pool") && in == SC_SUBNET) /* ranges count */
		return push(c, SC_SUBNET, c->stack[c->depth].item);
	c->skip = 1;
	return 0;
}

/* "# Virtual ethernet segment N" names the vmnet of the next subnet. */
static void comment(struct dhcpd *c, struct vd_span text)
{
	unsigned long n;

	vd_span_trim(&text);
	if (vd_span_skip_iprefix(&text, "Virtual ethernet segment")) {
		vd_span_trim(&text);
		if (vd_span_ulong(&text, VD_VNET_MAX, &n))
			c->segment = (int)n;
	}
}

static int one(struct dhcpd *c, const struct vd_stmt *st)
{
	int rc = 0;

	if (st->end == '{')
		return open_block(c, st);
	if (st->n > 0) {
		rc = statement(c, st);
		if (rc == 0 && st->end != ';')
			rc = note(c,
				  st->end ? "missing ';' before '}'"
					  : "missing ';' at the end",
				  st->line);
	}
	if (rc == 0 && st->end == '}') {
		if (c->depth == 0)
			return note(c, "'}' without '{'", st->line);
		c->depth--;
	}
	return rc;
}

static int read_stmts(struct dhcpd *c, struct vd_span text, size_t *content)
{
	struct vd_stmts t;
	struct vd_stmt st;
	bool open_string = false;
	int rc = 0;

	vd_stmts_init(&t, text.p, text.n);
	while (rc == 0 && vd_stmts_next(&t, &st)) {
		open_string |= st.open_string;
		if (st.end == '#') {
			if (!c->skip)
				comment(c, st.text);
			continue;
		}
		(*content)++;
		if (is_keyword(&st))
			c->known++;
		if (c->skip) {
			if (st.end == '{')
				c->skip++;
			else if (st.end == '}')
				c->skip--;
			continue;
		}
		rc = one(c, &st);
	}
	if (rc == 0 && open_string)
		rc = note(c, "string not closed at the end", t.line);
	if (rc == 0 && (c->depth > 0 || c->skip))
		rc = note(c, "block not closed at the end", t.line);
	return rc;
}

static bool inside(const struct vd_dhcp_subnet *s, const struct vd_ip *ip)
{
	if (ip->family != VD_AF_INET)
		return false;
	for (int i = 0; i < 4; i++)
		if ((ip->b[i] & s->netmask.b[i]) !=
		    (s->subnet.b[i] & s->netmask.b[i]))
			return false;
	return true;
}

/* Without the caller's vnet: subnets from the host vmnetN inside them,
 * hosts from the subnet around them, else from their name. */
static void assign_vnets(struct dhcpd *c)
{
	struct vd_vmware *v = c->out;

	for (size_t j = c->first_host; j < v->n_dhcp_hosts; j++) {
		const struct vd_dhcp_host *h = &v->dhcp_hosts[j];
		int num = vd_vnet_number(h->name);

		for (size_t i = c->first_subnet;
		     num >= 0 && i < v->n_dhcp_subnets; i++) {
			struct vd_dhcp_subnet *s = &v->dhcp_subnets[i];

			if (s->vnet < 0 && inside(s, &h->ip))
				s->vnet = num;
		}
	}
	for (size_t j = c->first_host; j < v->n_dhcp_hosts; j++) {
		struct vd_dhcp_host *h = &v->dhcp_hosts[j];

		h->vnet = vd_vnet_number(h->name);
		for (size_t i = c->first_subnet; i < v->n_dhcp_subnets; i++) {
			const struct vd_dhcp_subnet *s = &v->dhcp_subnets[i];

			if (s->vnet >= 0 && inside(s, &h->ip)) {
				h->vnet = s->vnet;
				break;
			}
		}
	}
}

static int set_err(char *err, size_t errlen, int rc, const char *what)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "not a dhcpd.conf: %s", what);
	return rc;
}

int vd_parse_vmware_dhcpd(const uint8_t *buf, size_t len, const char *file,
			  int vnet, struct vd_vmware *out, char *err,
			  size_t errlen)
{
	struct dhcpd c = { .out = out,
			   .vnet = vnet < 0 || vnet > VD_VNET_MAX ? -1 : vnet,
			   .segment = -1 };
	struct vd_span text = { buf, buf ? len : 0 };
	struct vd_vmware_mark mark;
	size_t content = 0;
	unsigned line;
	char why[64];
	int rc;

	vd_span_skip_bom(&text);
	if (vd_span_binary(&text, &line) < text.n) {
		snprintf(why, sizeof(why), "binary data at line %u", line);
		return set_err(err, errlen, -EINVAL, why);
	}
	c.fidx = vd_vmware_file(out, file ? file : "dhcpd.conf");
	if (c.fidx < 0)
		return c.fidx;
	vd_vmware_mark(out, &mark);
	c.first_subnet = out->n_dhcp_subnets;
	c.first_host = out->n_dhcp_hosts;
	rc = read_stmts(&c, text, &content);
	if (rc == 0 && content > 0 && c.known == 0) {
		rc = -EINVAL;
		c.fail = "no dhcpd statement";
	}
	if (rc < 0) {
		vd_vmware_rollback(out, &mark);
		return rc == -EINVAL ? set_err(err, errlen, rc, c.fail) : rc;
	}
	if (c.vnet < 0)
		assign_vnets(&c);
	return 0;
}
