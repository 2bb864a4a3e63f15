/* SPDX-License-Identifier: MIT */
/*
 * etc/vmware/networking, the vmnet "database" of VMware Workstation and
 * Player on Linux (and Fusion's twin of it):
 *
 *	VERSION=1,0
 *	answer VNET_8_NAT yes
 *	remove_answer VNET_8_DHCP
 *	add_bridge_mapping wlp3s0 0
 *	add_nat_portfwd 8 tcp 2222 172.16.41.129 22
 *
 * Directives and keys are case-insensitive.  Bytes in, facts out: no I/O.
 */
#include "collect/collect.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ip.h"
#include "util/span.h"

#define VNET_MAX VD_VNET_MAX

/* What the file says about one vmnet so far. */
struct vnet_state {
	bool seen;
	bool bridged;
	bool has_subnet; /* a HOSTONLY_SUBNET answer, valid or not */
	int8_t dhcp, nat, virtual_adapter;
	struct vd_ip subnet, netmask;
	unsigned line;
	char bridge_if[VD_IFNAME_MAX];
	unsigned bridge_line;
};

/* A vmnet number 0..255, digits only (leading zeros allowed). */
static bool vnet_number(const struct vd_span *w, int *num)
{
	unsigned v = 0;

	if (w->n == 0)
		return false;
	for (size_t i = 0; i < w->n; i++) {
		if (w->p[i] < '0' || w->p[i] > '9')
			return false;
		v = v * 10 + (unsigned)(w->p[i] - '0');
		if (v > VNET_MAX)
			return false;
	}
	*num = (int)v;
	return true;
}

/* "VNET_<n>_<KEY>": split into n and KEY. */
static bool vnet_key(struct vd_span key, int *num, struct vd_span *name)
{
	struct vd_span digits;
	size_t i = 0;

	if (!vd_span_skip_iprefix(&key, "VNET_"))
		return false;
	while (i < key.n && key.p[i] != '_')
		i++;
	if (i + 1 >= key.n) /* no "_KEY" */
		return false;
	digits.p = key.p;
	digits.n = i;
	name->p = key.p + i + 1;
	name->n = key.n - i - 1;
	return vnet_number(&digits, num);
}

static int8_t yes_no(struct vd_span v)
{
	struct vd_span w;

	if (!vd_span_word(&v, &w))
		return VD_UNKNOWN;
	if (vd_span_ieq(&w, "yes"))
		return VD_YES;
	if (vd_span_ieq(&w, "no"))
		return VD_NO;
	return VD_UNKNOWN;
}

static struct vd_ip ipv4_value(struct vd_span v)
{
	struct vd_ip ip = { 0 };
	struct vd_span w;
	char s[VD_IPSTR_MAX];

	if (!vd_span_word(&v, &w) || w.n >= sizeof(s))
		return ip;
	memcpy(s, w.p, w.n);
	s[w.n] = '\0';
	if (vd_ip_parse(s, &ip) < 0 || ip.family != VD_AF_INET)
		memset(&ip, 0, sizeof(ip));
	return ip;
}

static void mention(struct vnet_state *st, unsigned line)
{
	if (!st->seen) {
		st->seen = true;
		st->line = line;
	}
}

/* "answer VNET_n_KEY value" (set) or "remove_answer VNET_n_KEY". */
static void answer(struct vnet_state *vn, struct vd_span *rest, bool set,
		   unsigned line)
{
	struct vd_span key, name, val;
	struct vnet_state *st;
	int num;

	if (!vd_span_word(rest, &key) || !vnet_key(key, &num, &name))
		return; /* other keys (VNL_...) or vmnets past 255 */
	st = &vn[num];
	if (set)
		mention(st, line);
	else if (!st->seen)
		return;
	val = *rest;
	vd_span_trim(&val);
	if (vd_span_ieq(&name, "DHCP")) {
		st->dhcp = set ? yes_no(val) : VD_UNKNOWN;
	} else if (vd_span_ieq(&name, "NAT")) {
		st->nat = set ? yes_no(val) : VD_UNKNOWN;
	} else if (vd_span_ieq(&name, "VIRTUAL_ADAPTER")) {
		st->virtual_adapter = set ? yes_no(val) : VD_UNKNOWN;
	} else if (vd_span_ieq(&name, "HOSTONLY_SUBNET")) {
		st->has_subnet = set;
		st->subnet = set ? ipv4_value(val) : (struct vd_ip){ 0 };
	} else if (vd_span_ieq(&name, "HOSTONLY_NETMASK")) {
		st->netmask = set ? ipv4_value(val) : (struct vd_ip){ 0 };
	}
}

/* "add_bridge_mapping <host-ifname> <vnet>"; vnet -1: not bridged. */
static void bridge_mapping(struct vnet_state *vn, struct vd_span *rest,
			   unsigned line)
{
	struct vd_span ifname, w;
	int num;

	if (!vd_span_word(rest, &ifname) || !vd_span_word(rest, &w) ||
	    !vnet_number(&w, &num))
		return;
	mention(&vn[num], line);
	vn[num].bridged = true;
	if (ifname.n < sizeof(vn[num].bridge_if)) {
		memcpy(vn[num].bridge_if, ifname.p, ifname.n);
		vn[num].bridge_if[ifname.n] = '\0';
		vn[num].bridge_line = line;
	}
}

static bool port_number(const struct vd_span *w, uint16_t *port)
{
	unsigned v = 0;

	if (w->n == 0 || w->n > 5)
		return false;
	for (size_t i = 0; i < w->n; i++) {
		if (w->p[i] < '0' || w->p[i] > '9')
			return false;
		v = v * 10 + (unsigned)(w->p[i] - '0');
	}
	if (v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* "add_nat_portfwd <vnet> <tcp|udp> <hostport> <guestip> <guestport> ...";
 * "remove_nat_portfwd" with the same fields deletes it. */
static int nat_portfwd(struct vd_vmware *out, struct vd_span *rest, bool add,
		       struct vd_src src)
{
	struct vd_span wn, wp, wh, wi, wg;
	struct vd_portfwd pf = { .src = src };
	int num;

	if (!vd_span_word(rest, &wn) || !vnet_number(&wn, &num) ||
	    !vd_span_word(rest, &wp) || !vd_span_word(rest, &wh) ||
	    !port_number(&wh, &pf.host_port) || !vd_span_word(rest, &wi) ||
	    !vd_span_word(rest, &wg) || !port_number(&wg, &pf.guest_port))
		return 0;
	if (vd_span_ieq(&wp, "tcp"))
		pf.proto = 6;
	else if (vd_span_ieq(&wp, "udp"))
		pf.proto = 17;
	else
		return 0;
	pf.vnet = num;
	pf.guest = ipv4_value(wi);
	for (size_t i = out->n_portfwds; i-- > 0;) {
		const struct vd_portfwd *o = &out->portfwds[i];

		/* one forward per (vnet, proto, host port): the later wins */
		if (o->src.file == src.file && o->vnet == num &&
		    o->proto == pf.proto && o->host_port == pf.host_port) {
			memmove(&out->portfwds[i], &out->portfwds[i + 1],
				(out->n_portfwds - i - 1) * sizeof(*o));
			out->n_portfwds--;
		}
	}
	if (add) {
		struct vd_portfwd *d = VD_PUSH(out, portfwds);

		if (!d)
			return -ENOMEM;
		*d = pf;
	}
	return 0;
}

/* "add_dhcp_mac_to_ip <vnet> <mac> <ip>": a DHCP reservation. */
static int dhcp_mac_to_ip(struct vd_vmware *out, struct vd_span *rest,
			  struct vd_src src)
{
	struct vd_span wn, wm, wi;
	struct vd_dhcp_host *h;
	int num;
	uint8_t mac[6];

	if (!vd_span_word(rest, &wn) || !vnet_number(&wn, &num) ||
	    !vd_span_word(rest, &wm) ||
	    !vd_mac6_parse((const char *)wm.p, wm.n, mac) ||
	    !vd_span_word(rest, &wi))
		return 0;
	h = VD_PUSH(out, dhcp_hosts);
	if (!h)
		return -ENOMEM;
	h->vnet = num;
	h->has_mac = true;
	memcpy(h->mac, mac, 6);
	h->ip = ipv4_value(wi);
	h->src = src;
	return 0;
}

static uint8_t vnet_mode(const struct vnet_state *st, int num)
{
	if (st->nat == VD_YES)
		return VD_VNET_NAT;
	if (st->has_subnet)
		return VD_VNET_HOSTONLY;
	if (num == 0 || st->bridged)
		return VD_VNET_BRIDGED;
	return VD_VNET_UNKNOWN;
}

static void set_err(char *err, size_t errlen, const char *fmt, size_t n)
{
	if (err && errlen > 0)
		snprintf(err, errlen, fmt, n);
}

int vd_parse_vmware_networking(const uint8_t *buf, size_t len, const char *file,
			       struct vd_vmware *out, char *err, size_t errlen)
{
	struct vnet_state *vn = NULL;
	struct vd_vmware_mark mark;
	const uint8_t *p = buf, *nul;
	size_t left = buf ? len : 0, content = 0, known = 0;
	unsigned lineno = 0;
	char *fname = NULL;
	int rc, fidx;

	nul = left ? memchr(buf, '\0', left) : NULL;
	if (nul) {
		set_err(err, errlen,
			"not a VMware networking file: NUL byte at offset %zu",
			(size_t)(nul - buf));
		return -EINVAL;
	}
	fidx = vd_vmware_file(out, file ? file : "networking");
	if (fidx < 0)
		return fidx;
	vd_vmware_mark(out, &mark);
	vn = calloc(VNET_MAX + 1, sizeof(*vn));
	if (!vn)
		return -ENOMEM;
	for (int i = 0; i <= VNET_MAX; i++)
		vn[i].dhcp = vn[i].nat = vn[i].virtual_adapter = VD_UNKNOWN;

	rc = 0;
	while (left > 0 && rc == 0) {
		const uint8_t *nl = memchr(p, '\n', left);
		struct vd_span line = { p, nl ? (size_t)(nl - p) : left }, w;
		struct vd_src src;

		p += line.n;
		left -= line.n;
		if (left > 0) {
			p++;
			left--;
		}
		lineno++;
		src = (struct vd_src){ fidx, lineno };
		vd_span_trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		content++;
		if (vd_span_skip_iprefix(&line, "VERSION")) {
			vd_span_trim(&line);
			if (line.n > 0 && line.p[0] == '=')
				known++;
			continue;
		}
		if (!vd_span_word(&line, &w))
			continue;
		if (vd_span_ieq(&w, "answer")) {
			known++;
			answer(vn, &line, true, lineno);
		} else if (vd_span_ieq(&w, "remove_answer")) {
			known++;
			answer(vn, &line, false, lineno);
		} else if (vd_span_ieq(&w, "add_bridge_mapping")) {
			known++;
			bridge_mapping(vn, &line, lineno);
		} else if (vd_span_ieq(&w, "add_nat_portfwd") ||
			   vd_span_ieq(&w, "remove_nat_portfwd")) {
			known++;
			rc = nat_portfwd(out, &line,
					 vd_span_ieq(&w, "add_nat_portfwd"),
					 src);
		} else if (vd_span_ieq(&w, "add_dhcp_mac_to_ip")) {
			known++;
			rc = dhcp_mac_to_ip(out, &line, src);
		}
	}
	if (rc < 0)
		goto fail;
	if (content > 0 && known == 0) {
		set_err(err, errlen,
			"not a VMware networking file: none of its %zu lines "
			"is a known directive",
			content);
		rc = -EINVAL;
		goto fail;
	}

	rc = -ENOMEM;
	if (file && !(fname = strdup(file)))
		goto fail;
	out->n_vnets = 0; /* the file is the database of vnets */
	for (int i = 0; i <= VNET_MAX; i++) {
		const struct vnet_state *st = &vn[i];
		struct vd_vnet *d;

		if (!st->seen)
			continue;
		d = VD_PUSH(out, vnets);
		if (!d)
			goto fail;
		d->num = i;
		snprintf(d->name, sizeof(d->name), "vmnet%d", i);
		d->mode = vnet_mode(st, i);
		d->dhcp = st->dhcp;
		d->nat = st->nat;
		d->virtual_adapter = st->virtual_adapter;
		d->subnet = st->subnet;
		d->netmask = st->netmask;
		d->prefixlen = st->netmask.family == VD_AF_INET
				       ? vd_netmask_len(&st->netmask)
				       : -1;
		d->line = st->line;
		memcpy(d->bridge_if, st->bridge_if, sizeof(d->bridge_if));
		d->bridge_line = st->bridge_line;
	}
	free(out->networking_file);
	out->networking_file = fname;
	out->present = VD_YES;
	free(vn);
	return 0;
fail:
	free(fname);
	vd_vmware_rollback(out, &mark);
	free(vn);
	return rc;
}
