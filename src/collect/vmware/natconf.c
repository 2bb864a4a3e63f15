/* SPDX-License-Identifier: MIT */
/*
 * The NAT daemon's configuration: Linux vmnetN/nat/nat.conf, Windows
 * vmnetnat.conf, Fusion vmnetN/nat.conf.  INI syntax:
 *
 *	[host]
 *	ip = 192.168.135.2		(Windows: ip = 192.168.79.2/24)
 *	netmask = 255.255.255.0
 *	device = /dev/vmnet8		(Windows VMnet8, Fusion vmnet8)
 *	[incomingtcp]
 *	8080 = 192.168.135.128:80
 *
 * Section names and keys are case-insensitive; '#' and ';' start comment
 * lines; values run to the end of the line (spaces and '=' included).
 * Lines that are neither a section nor a key (Vagrant once left such
 * junk in vmnetnat.conf) are passed over.  [host] ip, netmask and device
 * and the forwards are modelled; every other key is kept as it is.
 * Bytes in, facts out: no I/O.
 */
#include "collect/collect.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/ip.h"
#include "util/span.h"

#define ITEMS_MAX   100000 /* forwards and kept keys of one file */
#define SECTION_MAX 64
#define KEY_MAX	    128
#define VALUE_MAX   1024

enum section { SEC_NONE, SEC_HOST, SEC_TCP, SEC_UDP, SEC_OTHER };

struct natconf {
	struct vd_vmware *out;
	int fidx;
	int vnet; /* the caller's, -1 */
	struct vd_natconf nat;
	enum section sec;
	char section[SECTION_MAX]; /* as written, "" before the first */
	size_t items;
	size_t first_fwd; /* the first forward of this file in portfwds */
};

/* An IPv4 address, the whole of s. */
static bool ipv4(const struct vd_span *s, struct vd_ip *ip)
{
	return vd_span_ip(s, ip) && ip->family == VD_AF_INET;
}

/* A port 1..65535 (digits only; 300 digits are not a port). */
static bool port(struct vd_span s, uint16_t *out)
{
	unsigned long v;

	vd_span_trim(&s);
	if (!vd_span_ulong(&s, 65535, &v) || v == 0)
		return false;
	*out = (uint16_t)v;
	return true;
}

/* "[name]", maybe followed by a comment; false for other '[' lines. */
static bool section_head(struct vd_span line, struct vd_span *name)
{
	struct vd_span rest;

	if (line.n == 0 || line.p[0] != '[')
		return false;
	line.p++;
	line.n--;
	if (!vd_span_cut(&line, ']', &rest))
		return false;
	vd_span_trim(&line);
	vd_span_trim(&rest);
	if (line.n == 0 || memchr(line.p, '[', line.n))
		return false;
	if (rest.n > 0 && rest.p[0] != '#' && rest.p[0] != ';')
		return false;
	*name = line;
	return true;
}

static void enter_section(struct natconf *c, const struct vd_span *name,
			  unsigned line)
{
	vd_span_copy(c->section, sizeof(c->section), name);
	if (vd_span_ieq(name, "host")) {
		c->sec = SEC_HOST;
		if (!c->nat.src.line)
			c->nat.src.line = line;
	} else if (vd_span_ieq(name, "incomingtcp")) {
		c->sec = SEC_TCP;
	} else if (vd_span_ieq(name, "incomingudp")) {
		c->sec = SEC_UDP;
	} else {
		c->sec = SEC_OTHER;
	}
}

static int count_item(struct natconf *c)
{
	return ++c->items > ITEMS_MAX ? -EINVAL : 0;
}

static int keep(struct natconf *c, const struct vd_span *key,
		const struct vd_span *value, unsigned line)
{
	char k[KEY_MAX], v[VALUE_MAX];
	struct vd_span vs = *value;

	if (count_item(c) < 0)
		return -EINVAL;
	if (vs.n >= sizeof(v)) /* long values are cut, not refused */
		vs.n = sizeof(v) - 1;
	vd_span_copy(k, sizeof(k), key);
	vd_span_copy(v, sizeof(v), &vs);
	return vd_vmware_kv_add(c->out, c->section, k, v,
				(struct vd_src){ c->fidx, line });
}

/* "ip = a.b.c.d" or "ip = a.b.c.d/N". */
static bool host_ip(struct natconf *c, struct vd_span v, unsigned line)
{
	struct vd_span len = { NULL, 0 };
	unsigned long plen = 32;
	bool has_len = vd_span_cut(&v, '/', &len);
	struct vd_ip ip;

	vd_span_trim(&v);
	vd_span_trim(&len);
	if (!ipv4(&v, &ip) || (has_len && !vd_span_ulong(&len, 32, &plen)))
		return false;
	c->nat.ip = ip;
	c->nat.src.line = line;
	if (has_len) {
		c->nat.prefixlen = (int)plen;
		vd_netmask_from_len((unsigned)plen, &c->nat.netmask);
	}
	return true;
}

/* The [host] keys the model holds; false: keep the line as it is. */
static bool host_key(struct natconf *c, const struct vd_span *k,
		     const struct vd_span *v, unsigned line)
{
	struct vd_ip ip;

	if (vd_span_ieq(k, "ip"))
		return host_ip(c, *v, line);
	if (vd_span_ieq(k, "netmask")) {
		if (!ipv4(v, &ip))
			return false;
		c->nat.netmask = ip;
		c->nat.prefixlen = vd_netmask_len(&ip);
		return true;
	}
	if (vd_span_ieq(k, "device")) {
		if (v->n == 0 || v->n >= sizeof(c->nat.device))
			return false;
		vd_span_copy(c->nat.device, sizeof(c->nat.device), v);
		if (c->vnet < 0)
			c->nat.vnet = vd_vnet_number(c->nat.device);
		return true;
	}
	return false;
}

/* "hostport = guestip:guestport"; 0 and *fwd false: keep the line. */
static int forward(struct natconf *c, const struct vd_span *k,
		   const struct vd_span *v, unsigned line, bool *fwd)
{
	struct vd_portfwd pf = { .vnet = -1, .src = { c->fidx, line } };
	struct vd_span ip = *v, gport;
	struct vd_portfwd *d;

	*fwd = false;
	if (!port(*k, &pf.host_port) || !vd_span_cut(&ip, ':', &gport) ||
	    !port(gport, &pf.guest_port))
		return 0;
	vd_span_trim(&ip);
	if (!ipv4(&ip, &pf.guest))
		return 0;
	pf.proto = c->sec == SEC_TCP ? 6 : 17;
	if (count_item(c) < 0)
		return -EINVAL;
	d = VD_PUSH(c->out, portfwds);
	if (!d)
		return -ENOMEM;
	*d = pf;
	*fwd = true;
	return 0;
}

/* One "key = value" line of the current section. */
static int key_line(struct natconf *c, struct vd_span line, unsigned no)
{
	struct vd_span key = line, value;
	bool done = false;
	int rc = 0;

	vd_span_cut(&key, '=', &value);
	vd_span_trim(&key);
	vd_span_trim(&value);
	if (c->sec == SEC_HOST)
		done = host_key(c, &key, &value, no);
	else if (c->sec == SEC_TCP || c->sec == SEC_UDP)
		rc = forward(c, &key, &value, no, &done);
	if (rc == 0 && !done)
		rc = keep(c, &key, &value, no);
	return rc;
}

static int set_err(char *err, size_t errlen, int rc, const char *what,
		   unsigned line)
{
	if (err && errlen > 0 && line)
		snprintf(err, errlen, "not a VMware nat.conf: %s at line %u",
			 what, line);
	else if (err && errlen > 0)
		snprintf(err, errlen, "not a VMware nat.conf: %s", what);
	return rc;
}

/* Read the lines; the number of those that are sections or keys. */
static int read_lines(struct natconf *c, struct vd_span text, size_t *known,
		      size_t *content, char *err, size_t errlen)
{
	struct vd_lines lines;
	struct vd_span line, name;
	int rc;

	vd_lines_init(&lines, text.p, text.n);
	while (vd_lines_next(&lines, &line)) {
		vd_span_trim(&line);
		if (line.n == 0 || line.p[0] == '#' || line.p[0] == ';')
			continue;
		(*content)++;
		if (section_head(line, &name)) {
			enter_section(c, &name, lines.no);
		} else if (memchr(line.p, '=', line.n) && line.p[0] != '=' &&
			   line.p[0] != '[') {
			rc = key_line(c, line, lines.no);
			if (rc == -EINVAL)
				return set_err(err, errlen, rc,
					       "more than 100000 keys",
					       lines.no);
			if (rc < 0)
				return rc;
		} else {
			continue; /* junk: not a section, not a key */
		}
		(*known)++;
	}
	return 0;
}

int vd_parse_vmware_natconf(const uint8_t *buf, size_t len, const char *file,
			    int vnet, struct vd_vmware *out, char *err,
			    size_t errlen)
{
	struct natconf c = { .out = out,
			     .vnet = vnet < 0 || vnet > VD_VNET_MAX ? -1
								    : vnet };
	struct vd_span text = { buf, buf ? len : 0 };
	struct vd_vmware_mark mark;
	struct vd_natconf *d;
	size_t known = 0, content = 0;
	unsigned line;
	int rc;

	vd_span_skip_bom(&text);
	if (vd_span_binary(&text, &line) < text.n)
		return set_err(err, errlen, -EINVAL, "binary data", line);
	c.fidx = vd_vmware_file(out, file ? file : "nat.conf");
	if (c.fidx < 0)
		return c.fidx;
	vd_vmware_mark(out, &mark);
	c.first_fwd = out->n_portfwds;
	c.nat.vnet = c.vnet;
	c.nat.prefixlen = -1;
	c.nat.src.file = c.fidx;
	rc = read_lines(&c, text, &known, &content, err, errlen);
	if (rc == 0 && content > 0 && known == 0)
		rc = set_err(err, errlen, -EINVAL,
			     "no [section] and no key = value", 0);
	if (rc < 0)
		goto fail;
	d = VD_PUSH(out, nats);
	if (!d) {
		rc = -ENOMEM;
		goto fail;
	}
	*d = c.nat;
	for (size_t i = c.first_fwd; i < out->n_portfwds; i++)
		out->portfwds[i].vnet = c.nat.vnet;
	return 0;
fail:
	vd_vmware_rollback(out, &mark);
	return rc;
}
