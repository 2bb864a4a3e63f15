/* SPDX-License-Identifier: MIT */
/*
 * DHCP leases the VMs got, in either of two formats (told apart by the
 * first thing that is not a comment):
 *
 * ISC dhcpd.leases (Linux vmnet-dhcpd, Windows vmnetdhcp.leases, Fusion
 * vmnet-dhcpd-vmnetN.leases), times in UTC:
 *
 *	lease 192.168.135.130 {
 *		starts 5 2016/01/01 14:38:53;
 *		ends 5 2016/01/01 15:08:53;	(or "ends never;")
 *		hardware ethernet 00:0c:29:fc:e1:10;
 *		client-hostname "DESKTOP-35TICJG";
 *	}
 *
 * macOS bootpd /var/db/dhcpd_leases (Fusion 12.0/12.1 on Big Sur), one
 * key=value a line, MAC octets without leading zeros, "lease" the hex
 * Unix time the lease ends:
 *
 *	{
 *		name=vagrant-2019
 *		ip_address=127.0.0.17
 *		hw_address=1,d:ea:d0:66:77:88
 *		lease=0x5fd78ae2
 *	}
 *
 * Every lease is kept in file order, duplicate addresses too: dhcpd
 * appends, so the latest entry of an address is its current state.
 * "ends never" is INT64_MAX.  Bytes in, facts out: no I/O.
 */
#include "collect/collect.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/ip.h"
#include "util/civil.h"
#include "util/span.h"

#define ITEMS_MAX 100000 /* leases of one file */

struct leases {
	struct vd_vmware *out;
	int fidx;
	int vnet;
	size_t first; /* the first lease of this file in out */
	size_t known; /* statements or keys of the format */
	const char *fail;
};

static bool days_ok(unsigned long y, unsigned long m, unsigned long d)
{
	static const unsigned char mdays[12] = { 31, 29, 31, 30, 31, 30,
						 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return m != 2 || d < 29 || vd_leap_year(y);
}

/* "a/b/c" or "a:b:c": three numbers of at most max[i] each. */
static bool triple(struct vd_span s, uint8_t sep, const unsigned long max[3],
		   unsigned long v[3])
{
	struct vd_span rest;

	for (int i = 0; i < 3; i++) {
		bool cut = vd_span_cut(&s, sep, &rest);

		if (cut != (i < 2) || !vd_span_ulong(&s, max[i], &v[i]))
			return false;
		s = rest;
	}
	return true;
}

/* "W YYYY/MM/DD HH:MM:SS" (UTC), "epoch N", "never"; 0 when unknown. */
static int64_t isc_time(const struct vd_stmt *st)
{
	static const unsigned long dmax[3] = { 9999, 12, 31 };
	static const unsigned long tmax[3] = { 23, 59, 60 };
	unsigned long wd, date[3], tod[3], secs;

	if (st->n == 2 && vd_span_ieq(&st->w[1], "never"))
		return INT64_MAX;
	if (st->n == 3 && vd_span_ieq(&st->w[1], "epoch"))
		return vd_span_ulong(&st->w[2], INT64_MAX, &secs)
			       ? (int64_t)secs
			       : 0;
	if (st->n != 4 || !vd_span_ulong(&st->w[1], 6, &wd) ||
	    !triple(st->w[2], '/', dmax, date) ||
	    !triple(st->w[3], ':', tmax, tod) || date[0] < 1970 ||
	    !days_ok(date[0], date[1], date[2]))
		return 0;
	return vd_days_since_epoch((unsigned)date[0], (unsigned)date[1],
				   (unsigned)date[2]) *
		       86400 +
	       (int64_t)(tod[0] * 3600 + tod[1] * 60 + tod[2]);
}

static int add_lease(struct leases *c, const struct vd_lease *l)
{
	struct vd_lease *d;

	if (c->out->n_leases - c->first >= ITEMS_MAX) {
		c->fail = "more than 100000 leases";
		return -EINVAL;
	}
	d = VD_PUSH(c->out, leases);
	if (!d)
		return -ENOMEM;
	*d = *l;
	return 0;
}

/* A MAC that parses replaces the one before; one that does not clears
 * it (the later statement wins). */
static void set_mac(struct vd_lease *l, const struct vd_span *w)
{
	uint8_t mac[6];

	l->has_mac = vd_mac6_parse((const char *)w->p, w->n, mac);
	if (!l->has_mac)
		memset(mac, 0, sizeof(mac));
	memcpy(l->mac, mac, sizeof(mac));
}

/* The statements of one lease block; nested blocks are passed over. */
static void isc_lease_stmt(struct vd_lease *l, const struct vd_stmt *st)
{
	if (st->n == 0 || st->quoted[0])
		return;
	if (vd_span_ieq(&st->w[0], "starts")) {
		l->starts = isc_time(st);
	} else if (vd_span_ieq(&st->w[0], "ends")) {
		l->ends = isc_time(st);
	} else if (vd_span_ieq(&st->w[0], "hardware") && st->n == 3 &&
		   vd_span_ieq(&st->w[1], "ethernet")) {
		set_mac(l, &st->w[2]);
	} else if (vd_span_ieq(&st->w[0], "client-hostname") && st->n == 2) {
		vd_span_copy(l->hostname, sizeof(l->hostname), &st->w[1]);
	}
}

static bool isc_keyword(const struct vd_stmt *st)
{
	static const char *const kw[] = {
		"lease", "host",     "group",	    "failover",
		"class", "subclass", "server-duid", "authoring-byte-order",
	};

	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (st->n > 0 && !st->quoted[0] &&
		    vd_span_ieq(&st->w[0], kw[i]))
			return true;
	return false;
}

/* lease A.B.C.D {: the address of a new lease. */
static bool lease_head(const struct vd_stmt *st, struct vd_ip *ip)
{
	return st->n == 2 && !st->quoted[0] && !st->quoted[1] &&
	       vd_span_ieq(&st->w[0], "lease") && vd_span_ip(&st->w[1], ip) &&
	       ip->family == VD_AF_INET;
}

static int isc_leases(struct leases *c, struct vd_span text, size_t *content)
{
	struct vd_stmts t;
	struct vd_stmt st;
	struct vd_lease l;
	struct vd_ip ip;
	bool in_lease = false;
	unsigned long skip = 0; /* depth inside blocks passed over */
	int rc = 0;

	vd_stmts_init(&t, text.p, text.n);
	while (rc == 0 && vd_stmts_next(&t, &st)) {
		if (st.end == '#')
			continue;
		(*content)++;
		c->known += isc_keyword(&st);
		if (skip) {
			skip += st.end == '{';
			skip -= st.end == '}';
		} else if (st.end == '{' && !in_lease && lease_head(&st, &ip)) {
			memset(&l, 0, sizeof(l));
			l.vnet = c->vnet;
			l.ip = ip;
			l.src = (struct vd_src){ c->fidx, st.line };
			in_lease = true;
		} else if (st.end == '{') {
			skip = 1; /* other blocks, "on expiry { }" in a lease */
		} else if (in_lease) {
			isc_lease_stmt(&l, &st);
			/* '}' or the end of the input ends the lease */
			if (st.end != ';') {
				in_lease = false;
				rc = add_lease(c, &l);
			}
		}
	}
	if (rc == 0 && in_lease)
		rc = add_lease(c, &l);
	return rc;
}

/* hw_address=1,d:ea:d0:66:77:88 (hardware type 1: Ethernet). */
static void bootpd_mac(struct vd_lease *l, struct vd_span v)
{
	struct vd_span rest;

	if (vd_span_cut(&v, ',', &rest)) {
		vd_span_trim(&v);
		if (!vd_span_is(&v, "1"))
			v.n = 0; /* not Ethernet: no MAC */
		else
			v = rest;
	}
	vd_span_trim(&v);
	set_mac(l, &v);
}

/* lease=0x5fd78ae2; 0 when not a hex number of at most 63 bits. */
static int64_t bootpd_time(struct vd_span v)
{
	uint64_t t = 0;

	if (!vd_span_skip_iprefix(&v, "0x") || v.n == 0 || v.n > 16)
		return 0;
	for (size_t i = 0; i < v.n; i++) {
		uint8_t c = v.p[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return 0;
		t = t * 16 + d;
	}
	return t > INT64_MAX ? 0 : (int64_t)t;
}

static void bootpd_key(struct leases *c, struct vd_lease *l,
		       struct vd_span line, unsigned no)
{
	struct vd_span v;

	if (!vd_span_cut(&line, '=', &v))
		return;
	vd_span_trim(&line);
	vd_span_trim(&v);
	if (vd_span_is(&line, "ip_address")) {
		if (vd_span_ip(&v, &l->ip) && l->ip.family == VD_AF_INET)
			l->src.line = no;
		else
			memset(&l->ip, 0, sizeof(l->ip));
	} else if (vd_span_is(&line, "hw_address")) {
		bootpd_mac(l, v);
	} else if (vd_span_is(&line, "name")) {
		vd_span_copy(l->hostname, sizeof(l->hostname), &v);
	} else if (vd_span_is(&line, "lease")) {
		l->ends = bootpd_time(v);
	} else if (!vd_span_is(&line, "identifier")) {
		return;
	}
	c->known++;
}

static int bootpd_leases(struct leases *c, struct vd_span text)
{
	struct vd_lines lines;
	struct vd_span line;
	struct vd_lease l;
	bool in_entry = false;
	int rc = 0;

	vd_lines_init(&lines, text.p, text.n);
	while (rc == 0) {
		bool more = vd_lines_next(&lines, &line);

		vd_span_trim(&line);
		/* '}', a new '{' or the end of the input ends an entry */
		if (in_entry &&
		    (!more ||
		     (line.n == 1 && (line.p[0] == '}' || line.p[0] == '{')))) {
			in_entry = false;
			if (l.ip.family == VD_AF_INET)
				rc = add_lease(c, &l);
		}
		if (!more)
			break;
		if (line.n == 1 && line.p[0] == '{') {
			memset(&l, 0, sizeof(l));
			l.vnet = c->vnet;
			l.src.file = c->fidx;
			in_entry = true;
		} else if (in_entry) {
			bootpd_key(c, &l, line, lines.no);
		}
	}
	return rc;
}

/* Is the first thing that is not a comment a '{'? */
static bool is_bootpd(struct vd_span text)
{
	struct vd_lines lines;
	struct vd_span line;

	vd_lines_init(&lines, text.p, text.n);
	while (vd_lines_next(&lines, &line)) {
		vd_span_trim(&line);
		if (line.n > 0 && line.p[0] != '#')
			return line.p[0] == '{';
	}
	return false;
}

static int set_err(char *err, size_t errlen, int rc, const char *what)
{
	if (err && errlen > 0)
		snprintf(err, errlen, "not a DHCP leases file: %s", what);
	return rc;
}

int vd_parse_vmware_leases(const uint8_t *buf, size_t len, const char *file,
			   int vnet, struct vd_vmware *out, char *err,
			   size_t errlen)
{
	struct leases c = { .out = out,
			    .vnet = vnet < 0 || vnet > VD_VNET_MAX ? -1
								   : vnet };
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
	c.fidx = vd_vmware_file(out, file ? file : "dhcpd.leases");
	if (c.fidx < 0)
		return c.fidx;
	vd_vmware_mark(out, &mark);
	c.first = out->n_leases;
	if (is_bootpd(text)) {
		content = 1;
		rc = bootpd_leases(&c, text);
	} else {
		rc = isc_leases(&c, text, &content);
	}
	if (rc == 0 && content > 0 && c.known == 0) {
		c.fail = "no lease and no statement of the format";
		rc = -EINVAL;
	}
	if (rc < 0) {
		vd_vmware_rollback(out, &mark);
		if (rc == -EINVAL)
			set_err(err, errlen, rc, c.fail);
	}
	return rc;
}
