/* SPDX-License-Identifier: MIT */
/*
 * Two facts models compared item by item, by identity (facts/diff.h).
 *
 * Where one model holds the same identity twice (a port forward declared in
 * both networking and nat.conf, a reservation in both networking and
 * dhcpd.conf), the distinct values of each side are compared as sets: one
 * on each side is a change of value, otherwise what is only on one side is
 * added or removed.
 */
#include "facts/diff.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ip.h"
#include "util/strbuf.h"

#define TEXT_MAX 256 /* one value as text */

struct dctx {
	const struct vd_facts *a, *b;
	struct vd_changes *out;
	int rc; /* sticky -ENOMEM */
};

static char *vfmt(const char *fmt, va_list ap)
{
	va_list aq;
	char *s;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void change_free(struct vd_change *c)
{
	free(c->what);
	free(c->from);
	free(c->to);
	free(c->text);
}

void vd_changes_free(struct vd_changes *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_items; i++)
		change_free(&c->items[i]);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

/*
 * Record one change: what, the old and new values (NULL: added, removed)
 * and the line for people, from a format.
 */
__attribute__((format(printf, 5, 6))) static void add(struct dctx *d,
						      const char *what,
						      const char *from,
						      const char *to,
						      const char *fmt, ...)
{
	struct vd_change c = { 0 }, *slot;
	va_list ap;

	if (d->rc)
		return;
	va_start(ap, fmt);
	c.text = vfmt(fmt, ap);
	va_end(ap);
	c.what = strdup(what);
	c.from = from ? strdup(from) : NULL;
	c.to = to ? strdup(to) : NULL;
	slot = VD_PUSH(d->out, items);
	if (!c.text || !c.what || (from && !c.from) || (to && !c.to) || !slot) {
		if (slot)
			d->out->n_items--;
		change_free(&c);
		d->rc = -ENOMEM;
		return;
	}
	*slot = c;
}

/* A value changed: "<subject> <label> FROM -> TO", what "<key>". */
static void changed(struct dctx *d, const char *key, const char *subject,
		    const char *label, const char *from, const char *to)
{
	if (strcmp(from, to) != 0)
		add(d, key, from, to, "%s %s %s -> %s", subject, label, from,
		    to);
}

/* ------------------------------------------------------------------ */
/* Values as text                                                      */

static const char *ip_text(const struct vd_ip *ip, char *buf, size_t len)
{
	if (ip->family != VD_AF_INET && ip->family != VD_AF_INET6)
		snprintf(buf, len, "none");
	else
		vd_ip_str(ip, buf, len);
	return buf;
}

static const char *tri_text(int t)
{
	return t == VD_YES ? "yes" : t == VD_NO ? "no" : "unset";
}

/* "192.168.159.0/24", "10.0.0.0 mask 255.0.255.0", "none". */
static const char *subnet_text(const struct vd_ip *net,
			       const struct vd_ip *mask, int plen, char *buf,
			       size_t len)
{
	char a[VD_IPSTR_MAX], m[VD_IPSTR_MAX];

	if (net->family == VD_AF_NONE)
		snprintf(buf, len, "none");
	else if (plen >= 0)
		vd_prefix_str(net, (unsigned)plen, buf, len);
	else if (mask->family != VD_AF_NONE)
		snprintf(buf, len, "%s mask %s", vd_ip_str(net, a, sizeof(a)),
			 vd_ip_str(mask, m, sizeof(m)));
	else
		snprintf(buf, len, "%s", vd_ip_str(net, a, sizeof(a)));
	return buf;
}

static const char *mac_text(bool has, const uint8_t *mac, char *buf, size_t len)
{
	if (!has)
		snprintf(buf, len, "none");
	else
		vd_mac_str(mac, 6, buf, len);
	return buf;
}

static const char *str_or(const char *s, const char *dflt)
{
	return s && s[0] ? s : dflt;
}

/*
 * An IPv4 address change for people: the new address shortened to its
 * last octet when only that differs ("192.168.159.2 -> .3").
 */
static void addr_changed(struct dctx *d, const char *key, const char *subject,
			 const char *label, const struct vd_ip *x,
			 const struct vd_ip *y)
{
	char f[VD_IPSTR_MAX], t[VD_IPSTR_MAX];

	ip_text(x, f, sizeof(f));
	ip_text(y, t, sizeof(t));
	if (strcmp(f, t) == 0)
		return;
	if (x->family == VD_AF_INET && y->family == VD_AF_INET &&
	    memcmp(x->b, y->b, 3) == 0)
		add(d, key, f, t, "%s %s %s -> .%u", subject, label, f,
		    y->b[3]);
	else
		add(d, key, f, t, "%s %s %s -> %s", subject, label, f, t);
}

/* "vmnet8" or "" for an unknown vnet (as a subject prefix). */
static void vnet_subject(int vnet, char *buf, size_t len)
{
	if (vnet >= 0)
		snprintf(buf, len, "vmnet%d", vnet);
	else
		snprintf(buf, len, "%s", "");
}

/* "vmnet8.<key>" or "<key>" */
static void vnet_key(int vnet, const char *key, char *buf, size_t len)
{
	if (vnet >= 0)
		snprintf(buf, len, "vmnet%d.%s", vnet, key);
	else
		snprintf(buf, len, "%s", key);
}

/* "vmnet8 " or "" before a phrase. */
static const char *vnet_prefix(int vnet, char *buf, size_t len)
{
	if (vnet >= 0)
		snprintf(buf, len, "vmnet%d ", vnet);
	else
		buf[0] = '\0';
	return buf;
}

/* ------------------------------------------------------------------ */
/* VMware version and vnets                                            */

static void diff_version(struct dctx *d)
{
	changed(d, "vmware.version", "VMware", "version",
		str_or(d->a->vmware.product_version, "unknown"),
		str_or(d->b->vmware.product_version, "unknown"));
}

static void vnet_desc(const struct vd_vnet *v, char *buf, size_t len)
{
	char net[TEXT_MAX];

	if (v->mode == VD_VNET_BRIDGED)
		snprintf(buf, len, "bridged%s%s", v->bridge_if[0] ? " to " : "",
			 v->bridge_if);
	else
		snprintf(buf, len, "%s %s", vd_vnet_mode_text(v->mode),
			 subnet_text(&v->subnet, &v->netmask, v->prefixlen, net,
				     sizeof(net)));
}

static void diff_vnet(struct dctx *d, const struct vd_vnet *x,
		      const struct vd_vnet *y)
{
	char s[16], key[64], f[TEXT_MAX], t[TEXT_MAX];
	const struct vd_vnet *v = x ? x : y;

	snprintf(s, sizeof(s), "vmnet%d", v->num);
	if (!x || !y) {
		vnet_desc(v, f, sizeof(f));
		add(d, s, x ? f : NULL, y ? f : NULL, "%s %s (%s)", s,
		    x ? "removed" : "added", f);
		return;
	}
	snprintf(key, sizeof(key), "%s.mode", s);
	changed(d, key, s, "mode", vd_vnet_mode_text(x->mode),
		vd_vnet_mode_text(y->mode));
	snprintf(key, sizeof(key), "%s.subnet", s);
	changed(d, key, s, "subnet",
		subnet_text(&x->subnet, &x->netmask, x->prefixlen, f,
			    sizeof(f)),
		subnet_text(&y->subnet, &y->netmask, y->prefixlen, t,
			    sizeof(t)));
	snprintf(key, sizeof(key), "%s.dhcp", s);
	changed(d, key, s, "DHCP", tri_text(x->dhcp), tri_text(y->dhcp));
	snprintf(key, sizeof(key), "%s.nat", s);
	changed(d, key, s, "NAT", tri_text(x->nat), tri_text(y->nat));
	snprintf(key, sizeof(key), "%s.virtual_adapter", s);
	changed(d, key, s, "host adapter", tri_text(x->virtual_adapter),
		tri_text(y->virtual_adapter));
	snprintf(key, sizeof(key), "%s.bridge", s);
	snprintf(f, sizeof(f), "%s", str_or(x->bridge_if, "automatic"));
	snprintf(t, sizeof(t), "%s", str_or(y->bridge_if, "automatic"));
	if (strcmp(f, t) != 0)
		add(d, key, f, t, "bridge mapping %s %s -> %s", s, f, t);
}

static void diff_vnets(struct dctx *d)
{
	for (int n = 0; n <= VD_VNET_MAX; n++) {
		const struct vd_vnet *x = vd_vmware_vnet(&d->a->vmware, n);
		const struct vd_vnet *y = vd_vmware_vnet(&d->b->vmware, n);

		if (x || y)
			diff_vnet(d, x, y);
	}
}

/* ------------------------------------------------------------------ */
/* Items that may repeat: port forwards and reservations                */

/*
 * One identity of a repeating item and its value on one side, both as
 * text; sorted by identity, then value, duplicates dropped.
 */
struct keyed {
	int vnet;	      /* -1 */
	unsigned num;	      /* sorts numbers as numbers: the host port */
	char id[96];	      /* identity within the vnet: "tcp.8080" */
	char label[96];	      /* "port forward tcp 8080" */
	char value[TEXT_MAX]; /* "192.168.159.128:80" */
	bool b;		      /* from the new side */
	const char *file;     /* where it is declared, "" unknown */
};

static int cmp_keyed(const void *p, const void *q)
{
	const struct keyed *x = p, *y = q;
	int c = (x->vnet > y->vnet) - (x->vnet < y->vnet);

	if (!c)
		c = (x->num > y->num) - (x->num < y->num);
	if (!c)
		c = strcmp(x->id, y->id);
	if (!c)
		c = strcmp(x->value, y->value);
	if (!c)
		c = (int)x->b - (int)y->b;
	return c ? c : strcmp(x->file, y->file);
}

/* Is k[m] (of the group k[i..j)) the first of its value on its side, and
 * a value the other side does not have? */
static bool only_here(const struct keyed *k, size_t i, size_t j, size_t m)
{
	if (m > i && k[m].b == k[m - 1].b &&
	    strcmp(k[m].value, k[m - 1].value) == 0)
		return false;
	for (size_t o = i; o < j; o++)
		if (k[o].b != k[m].b && strcmp(k[o].value, k[m].value) == 0)
			return false;
	return true;
}

/*
 * A value both sides have, declared in a file on one side only: it was
 * taken out of (or put into) one of the files that declare it.  Said once
 * per (value, side, file).
 */
static void file_moves(struct dctx *d, const struct keyed *k, size_t i,
		       size_t j, const char *key, const char *pre)
{
	char fkey[192];

	snprintf(fkey, sizeof(fkey), "%s.file", key);
	for (size_t m = i; m < j; m++) {
		bool other = false, same_file = false;

		if (!k[m].file[0] || (m > i && k[m].b == k[m - 1].b &&
				      strcmp(k[m].value, k[m - 1].value) == 0 &&
				      strcmp(k[m].file, k[m - 1].file) == 0))
			continue;
		for (size_t o = i; o < j; o++) {
			if (k[o].b == k[m].b ||
			    strcmp(k[o].value, k[m].value) != 0)
				continue;
			other = true;
			if (strcmp(k[o].file, k[m].file) == 0)
				same_file = true;
		}
		if (other && !same_file)
			add(d, fkey, k[m].b ? NULL : k[m].file,
			    k[m].b ? k[m].file : NULL, "%s%s -> %s %s %s", pre,
			    k[m].label, k[m].value,
			    k[m].b ? "added to" : "removed from", k[m].file);
	}
}

/* For each identity: values only in a are removed, only in b added; one
 * value on each side that differ is a change of value. */
static void diff_keyed(struct dctx *d, struct keyed *k, size_t n,
		       const char *what, const char *label)
{
	qsort(k, n, sizeof(*k), cmp_keyed);
	for (size_t i = 0, j; i < n; i = j) {
		size_t na = 0, nb = 0, ia = 0, ib = 0;
		char key[160], pre[24];

		for (j = i;
		     j < n && k[j].vnet == k[i].vnet && k[j].num == k[i].num &&
		     strcmp(k[j].id, k[i].id) == 0;
		     j++) {
		}
		for (size_t m = i; m < j; m++) {
			if (!only_here(k, i, j, m))
				continue;
			if (k[m].b) {
				nb++;
				ib = m;
			} else {
				na++;
				ia = m;
			}
		}
		vnet_key(k[i].vnet, what, key, sizeof(key));
		snprintf(key + strlen(key), sizeof(key) - strlen(key), "%s",
			 k[i].id);
		vnet_prefix(k[i].vnet, pre, sizeof(pre));
		file_moves(d, k, i, j, key, pre);
		if (na == 1 && nb == 1) {
			add(d, key, k[ia].value, k[ib].value,
			    "%s%s %s %s -> %s", pre, k[i].label, label,
			    k[ia].value, k[ib].value);
			continue;
		}
		for (size_t m = i; m < j; m++)
			if (only_here(k, i, j, m))
				add(d, key, k[m].b ? NULL : k[m].value,
				    k[m].b ? k[m].value : NULL, "%s%s -> %s %s",
				    pre, k[i].label, k[m].value,
				    k[m].b ? "added" : "removed");
	}
}

static const char *file_of(const struct vd_vmware *v, int file)
{
	return file >= 0 && (size_t)file < v->n_files ? v->files[file] : "";
}

static size_t push_portfwds(const struct vd_vmware *v, bool side,
			    struct keyed *k)
{
	char ip[VD_IPSTR_MAX];

	for (size_t i = 0; i < v->n_portfwds; i++) {
		const struct vd_portfwd *p = &v->portfwds[i];
		const char *proto = p->proto == 6    ? "tcp"
				    : p->proto == 17 ? "udp"
						     : "proto";

		memset(&k[i], 0, sizeof(k[i]));
		k[i].vnet = p->vnet;
		k[i].b = side;
		k[i].num = p->host_port;
		k[i].file = file_of(v, p->src.file);
		snprintf(k[i].id, sizeof(k[i].id), "%s.%u", proto,
			 p->host_port);
		snprintf(k[i].label, sizeof(k[i].label), "port forward %s %u",
			 proto, p->host_port);
		snprintf(k[i].value, sizeof(k[i].value), "%s:%u",
			 p->guest.family ? vd_ip_str(&p->guest, ip, sizeof(ip))
					 : "?",
			 p->guest_port);
	}
	return v->n_portfwds;
}

static size_t push_reservations(const struct vd_vmware *v, bool side,
				struct keyed *k)
{
	char mac[VD_MACSTR_MAX], ip[VD_IPSTR_MAX];

	for (size_t i = 0; i < v->n_dhcp_hosts; i++) {
		const struct vd_dhcp_host *h = &v->dhcp_hosts[i];
		const char *who =
			h->has_mac ? vd_mac_str(h->mac, 6, mac, sizeof(mac))
				   : h->name;

		memset(&k[i], 0, sizeof(k[i]));
		k[i].vnet = h->vnet;
		k[i].b = side;
		snprintf(k[i].id, sizeof(k[i].id), "%s", who);
		k[i].file = file_of(v, h->src.file);
		snprintf(k[i].label, sizeof(k[i].label), "reservation %s", who);
		ip_text(&h->ip, ip, sizeof(ip));
		snprintf(k[i].value, sizeof(k[i].value), "%s", ip);
	}
	return v->n_dhcp_hosts;
}

typedef size_t push_fn(const struct vd_vmware *v, bool side, struct keyed *k);

static void diff_repeating(struct dctx *d, size_t na, size_t nb, push_fn *fn,
			   const char *what, const char *label)
{
	struct keyed *k;
	size_t n;

	if (!na && !nb)
		return;
	k = calloc(na + nb, sizeof(*k));
	if (!k) {
		d->rc = -ENOMEM;
		return;
	}
	n = fn(&d->a->vmware, false, k);
	n += fn(&d->b->vmware, true, k + n);
	diff_keyed(d, k, n, what, label);
	free(k);
}

/* ------------------------------------------------------------------ */
/* NAT and DHCP configuration, one per vnet                             */

static const struct vd_natconf *nat_of(const struct vd_vmware *v, int vnet)
{
	for (size_t i = 0; i < v->n_nats; i++)
		if (v->nats[i].vnet == vnet)
			return &v->nats[i];
	return NULL;
}

static void diff_nats(struct dctx *d)
{
	char s[16], key[64], f[VD_IPSTR_MAX], t[VD_IPSTR_MAX];

	for (int n = -1; n <= VD_VNET_MAX; n++) {
		const struct vd_natconf *x = nat_of(&d->a->vmware, n);
		const struct vd_natconf *y = nat_of(&d->b->vmware, n);

		if (!x && !y)
			continue;
		vnet_subject(n, s, sizeof(s));
		vnet_key(n, "nat", key, sizeof(key));
		if (!x || !y) {
			ip_text(&(x ? x : y)->ip, f, sizeof(f));
			add(d, key, x ? f : NULL, y ? f : NULL,
			    "%s%sNAT configuration %s (gateway %s)", s,
			    s[0] ? " " : "", x ? "removed" : "added", f);
			continue;
		}
		vnet_key(n, "nat.gateway", key, sizeof(key));
		addr_changed(d, key, s[0] ? s : "NAT",
			     s[0] ? "NAT gateway" : "gateway", &x->ip, &y->ip);
		vnet_key(n, "nat.netmask", key, sizeof(key));
		changed(d, key, s[0] ? s : "NAT",
			s[0] ? "NAT netmask" : "netmask",
			ip_text(&x->netmask, f, sizeof(f)),
			ip_text(&y->netmask, t, sizeof(t)));
	}
}

/* The DHCP subnet of vnet; for vnet -1, the one of that subnet address. */
static const struct vd_dhcp_subnet *dhcp_of(const struct vd_vmware *v, int vnet,
					    const struct vd_ip *net)
{
	for (size_t i = 0; i < v->n_dhcp_subnets; i++) {
		const struct vd_dhcp_subnet *s = &v->dhcp_subnets[i];

		if (s->vnet == vnet &&
		    (vnet >= 0 || vd_ip_equal(&s->subnet, net)))
			return s;
	}
	return NULL;
}

static const char *range_text(const struct vd_dhcp_subnet *s, char *buf,
			      size_t len)
{
	char lo[VD_IPSTR_MAX], hi[VD_IPSTR_MAX];

	if (s->range_lo.family == VD_AF_NONE)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%s-%s",
			 ip_text(&s->range_lo, lo, sizeof(lo)),
			 ip_text(&s->range_hi, hi, sizeof(hi)));
	return buf;
}

static const char *dns_text(const struct vd_dhcp_subnet *s, char *buf,
			    size_t len)
{
	char ip[VD_IPSTR_MAX];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n_dns && i < 4; i++)
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s",
				      i ? ", " : "",
				      ip_text(&s->dns[i], ip, sizeof(ip)));
	if (!s->n_dns)
		snprintf(buf, len, "none");
	return buf;
}

/* Two DHCP subnets of one identity: subj "vmnet8", key prefix "vmnet8.". */
static void diff_dhcp_one(struct dctx *d, const char *subj, const char *kp,
			  const struct vd_dhcp_subnet *x,
			  const struct vd_dhcp_subnet *y)
{
	char key[128], f[TEXT_MAX], t[TEXT_MAX];
	int px = vd_netmask_len(&x->netmask), py = vd_netmask_len(&y->netmask);

	snprintf(key, sizeof(key), "%sdhcp.subnet", kp);
	changed(d, key, subj, "DHCP subnet",
		subnet_text(&x->subnet, &x->netmask, px, f, sizeof(f)),
		subnet_text(&y->subnet, &y->netmask, py, t, sizeof(t)));
	snprintf(key, sizeof(key), "%sdhcp.range", kp);
	changed(d, key, subj, "DHCP range", range_text(x, f, sizeof(f)),
		range_text(y, t, sizeof(t)));
	snprintf(key, sizeof(key), "%sdhcp.routers", kp);
	addr_changed(d, key, subj, "DHCP option routers", &x->router,
		     &y->router);
	snprintf(key, sizeof(key), "%sdhcp.dns", kp);
	changed(d, key, subj, "DHCP option domain-name-servers",
		dns_text(x, f, sizeof(f)), dns_text(y, t, sizeof(t)));
}

static void diff_dhcp(struct dctx *d)
{
	const struct vd_vmware *va = &d->a->vmware, *vb = &d->b->vmware;
	char s[64], key[96], f[TEXT_MAX], ip[VD_IPSTR_MAX];

	for (int n = 0; n <= VD_VNET_MAX; n++) {
		const struct vd_dhcp_subnet *x = dhcp_of(va, n, NULL);
		const struct vd_dhcp_subnet *y = dhcp_of(vb, n, NULL);

		if (!x && !y)
			continue;
		vnet_subject(n, s, sizeof(s));
		if (x && y) {
			vnet_key(n, "", key, sizeof(key));
			diff_dhcp_one(d, s, key, x, y);
			continue;
		}
		vnet_key(n, "dhcp", key, sizeof(key));
		x = x ? x : y;
		subnet_text(&x->subnet, &x->netmask,
			    vd_netmask_len(&x->netmask), f, sizeof(f));
		add(d, key, y ? NULL : f, y ? f : NULL,
		    "%s DHCP configuration %s (%s)", s, y ? "added" : "removed",
		    f);
	}
	/* Subnets of no known vnet: by their address. */
	for (int side = 0; side < 2; side++) {
		const struct vd_vmware *v = side ? vb : va, *o = side ? va : vb;

		for (size_t i = 0; i < v->n_dhcp_subnets; i++) {
			const struct vd_dhcp_subnet *x = &v->dhcp_subnets[i];
			const struct vd_dhcp_subnet *y;

			if (x->vnet >= 0 || dhcp_of(v, -1, &x->subnet) != x)
				continue;
			y = dhcp_of(o, -1, &x->subnet);
			ip_text(&x->subnet, ip, sizeof(ip));
			snprintf(s, sizeof(s), "subnet %s", ip);
			if (y && side == 0) {
				snprintf(key, sizeof(key), "subnet.%s.", ip);
				diff_dhcp_one(d, s, key, x, y);
			} else if (!y) {
				snprintf(key, sizeof(key), "subnet.%s.dhcp",
					 ip);
				add(d, key, side ? NULL : ip, side ? ip : NULL,
				    "DHCP subnet %s %s", ip,
				    side ? "added" : "removed");
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* Virtual machines                                                    */

static const char *vm_path(const struct vd_vmware *v, const struct vd_vm *vm)
{
	return vm->file >= 0 && (size_t)vm->file < v->n_files
		       ? v->files[vm->file]
		       : "";
}

/* displayName, else the .vmx file's name. */
static const char *vm_name(const struct vd_vmware *v, const struct vd_vm *vm)
{
	const char *p = vm_path(v, vm), *slash = strrchr(p, '/');

	if (vm->name[0])
		return vm->name;
	return slash ? slash + 1 : p;
}

static const struct vd_vm_nic *nic_of(const struct vd_vm *vm, int index)
{
	for (size_t i = 0; i < vm->n_nics; i++)
		if (vm->nics[i].index == index)
			return &vm->nics[i];
	return NULL;
}

static const char *nic_mac(const struct vd_vm_nic *n, char *buf, size_t len)
{
	if (n->has_mac)
		return mac_text(true, n->mac, buf, len);
	snprintf(buf, len, "%s", str_or(n->mac_text, "none"));
	return buf;
}

static void diff_nic(struct dctx *d, const char *vm, const char *vmkey,
		     const struct vd_vm_nic *x, const struct vd_vm_nic *y)
{
	const struct vd_vm_nic *n = x ? x : y;
	char subj[TEXT_MAX + 32], key[TEXT_MAX + 64], f[TEXT_MAX], t[TEXT_MAX];

	snprintf(subj, sizeof(subj), "VM \"%s\" ethernet%d", vm, n->index);
#define KEY(k) snprintf(key, sizeof(key), "%s.ethernet%d%s", vmkey, n->index, k)
	if (!x || !y) {
		KEY("");
		snprintf(f, sizeof(f), "%s",
			 str_or(n->conn, "no connection type"));
		add(d, key, x ? f : NULL, y ? f : NULL, "%s %s (%s)", subj,
		    x ? "removed" : "added", f);
		return;
	}
	KEY(".connection_type");
	if (strcmp(x->conn, y->conn) != 0)
		add(d, key, str_or(x->conn, "unset"), str_or(y->conn, "unset"),
		    "%s %s -> %s", subj, str_or(x->conn, "unset"),
		    str_or(y->conn, "unset"));
	KEY(".vnet");
	changed(d, key, subj, "network", str_or(x->vnet, "unset"),
		str_or(y->vnet, "unset"));
	KEY(".network_name");
	changed(d, key, subj, "network name", str_or(x->network_name, "unset"),
		str_or(y->network_name, "unset"));
	KEY(".mac");
	changed(d, key, subj, "MAC", nic_mac(x, f, sizeof(f)),
		nic_mac(y, t, sizeof(t)));
	KEY(".address_type");
	changed(d, key, subj, "MAC type", str_or(x->address_type, "unset"),
		str_or(y->address_type, "unset"));
	KEY(".present");
	changed(d, key, subj, "present", tri_text(x->present),
		tri_text(y->present));
	KEY(".start_connected");
	changed(d, key, subj, "connected at power on",
		tri_text(x->start_connected), tri_text(y->start_connected));
	KEY(".virtual_dev");
	changed(d, key, subj, "device", str_or(x->virtual_dev, "default"),
		str_or(y->virtual_dev, "default"));
#undef KEY
}

/* vm["name"] with '"' and '\\' escaped. */
static void vm_key(const char *name, char *buf, size_t len)
{
	size_t o = 0;

	o += (size_t)snprintf(buf, len, "vm[\"");
	for (const char *p = name; *p && o + 4 < len; p++) {
		if (*p == '"' || *p == '\\')
			buf[o++] = '\\';
		buf[o++] = *p;
	}
	snprintf(buf + o, len - o, "\"]");
}

static void diff_vm(struct dctx *d, const struct vd_vm *x,
		    const struct vd_vm *y)
{
	const struct vd_vmware *v = x ? &d->a->vmware : &d->b->vmware;
	const char *name = vm_name(v, x ? x : y);
	char key[TEXT_MAX], path[TEXT_MAX];

	vm_key(name, key, sizeof(key));
	if (!x || !y) {
		snprintf(path, sizeof(path), "%s", vm_path(v, x ? x : y));
		add(d, key, x ? path : NULL, y ? path : NULL,
		    "VM \"%s\" %s (%s)", name, x ? "removed" : "added",
		    path[0] ? path : "no .vmx");
		return;
	}
	for (int side = 0; side < 2; side++) {
		const struct vd_vm *p = side ? y : x, *q = side ? x : y;

		for (size_t i = 0; i < p->n_nics; i++) {
			const struct vd_vm_nic *n = &p->nics[i];
			const struct vd_vm_nic *m = nic_of(q, n->index);

			if (nic_of(p, n->index) != n || (side && m))
				continue; /* a repeated index; done */
			diff_nic(d, name, key, side ? m : n, side ? n : m);
		}
	}
}

/* The VM of b matching x of a: the same .vmx path, else the only
 * unmatched one of the same name. */
static const struct vd_vm *vm_match(struct dctx *d, const struct vd_vm *x,
				    const bool *used)
{
	const struct vd_vmware *va = &d->a->vmware, *vb = &d->b->vmware;
	const char *p = vm_path(va, x);
	const struct vd_vm *hit = NULL;
	size_t hits = 0;

	for (size_t i = 0; p[0] && i < vb->n_vms; i++)
		if (!used[i] && strcmp(vm_path(vb, &vb->vms[i]), p) == 0)
			return &vb->vms[i];
	for (size_t i = 0; i < vb->n_vms; i++)
		if (!used[i] &&
		    strcmp(vm_name(vb, &vb->vms[i]), vm_name(va, x)) == 0 &&
		    !vm_path(vb, &vb->vms[i])[0] == !p[0]) {
			hit = &vb->vms[i];
			hits++;
		}
	return hits == 1 ? hit : NULL;
}

static void diff_vms(struct dctx *d)
{
	const struct vd_vmware *va = &d->a->vmware, *vb = &d->b->vmware;
	bool *used = calloc(vb->n_vms + 1, sizeof(*used));

	if (!used) {
		d->rc = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < va->n_vms; i++) {
		const struct vd_vm *y = vm_match(d, &va->vms[i], used);

		if (y)
			used[y - vb->vms] = true;
		diff_vm(d, &va->vms[i], y);
	}
	for (size_t i = 0; i < vb->n_vms; i++)
		if (!used[i])
			diff_vm(d, NULL, &vb->vms[i]);
	free(used);
}

/* ------------------------------------------------------------------ */
/* Host adapters of the vnets (live facts)                             */

static bool is_adapter_name(const struct vd_facts *a, const struct vd_facts *b,
			    const char *name)
{
	if (strncmp(name, "vmnet", 5) == 0)
		return true;
	for (int side = 0; side < 2; side++) {
		const struct vd_vmware *v = side ? &b->vmware : &a->vmware;

		for (size_t i = 0; i < v->n_vnets; i++)
			if (strcmp(v->vnets[i].name, name) == 0)
				return true;
	}
	return false;
}

/* "192.168.159.1/24, 2001:db8::1/64": addresses other than link-local. */
static void addr_list(const struct vd_facts *f, int ifindex, char *buf,
		      size_t len)
{
	char p[VD_IPSTR_MAX];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < f->n_addrs; i++) {
		const struct vd_addr *a = &f->addrs[i];

		if (a->ifindex != ifindex || a->scope == VD_SCOPE_LINK ||
		    a->scope == VD_SCOPE_HOST)
			continue;
		vd_prefix_str(&a->ip, a->prefixlen, p, sizeof(p));
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s",
				      o ? ", " : "", p);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

static void diff_adapter(struct dctx *d, const struct vd_link *x,
			 const struct vd_link *y)
{
	const struct vd_link *l = x ? x : y;
	char key[96], f[TEXT_MAX], t[TEXT_MAX];

	if (!x || !y) {
		snprintf(key, sizeof(key), "%s.adapter", l->name);
		addr_list(x ? d->a : d->b, l->ifindex, f, sizeof(f));
		add(d, key, x ? f : NULL, y ? f : NULL,
		    "%s adapter %s (%s, %s)", l->name, x ? "removed" : "added",
		    (l->flags & VD_IFF_UP) ? "up" : "down", f);
		return;
	}
	snprintf(key, sizeof(key), "%s.link", l->name);
	changed(d, key, l->name, "link", (x->flags & VD_IFF_UP) ? "up" : "down",
		(y->flags & VD_IFF_UP) ? "up" : "down");
	snprintf(key, sizeof(key), "%s.address", l->name);
	addr_list(d->a, x->ifindex, f, sizeof(f));
	addr_list(d->b, y->ifindex, t, sizeof(t));
	changed(d, key, l->name, "address", f, t);
}

static int cmp_name(const void *p, const void *q)
{
	return strcmp(*(const char *const *)p, *(const char *const *)q);
}

static void diff_adapters(struct dctx *d)
{
	const struct vd_facts *a = d->a, *b = d->b;
	const char **names;
	size_t n = 0;

	if (!a->n_links || !b->n_links)
		return;
	names = calloc(a->n_links + b->n_links, sizeof(*names));
	if (!names) {
		d->rc = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < a->n_links; i++)
		if (is_adapter_name(a, b, a->links[i].name))
			names[n++] = a->links[i].name;
	for (size_t i = 0; i < b->n_links; i++)
		if (is_adapter_name(a, b, b->links[i].name) &&
		    !vd_facts_link_by_name(a, b->links[i].name))
			names[n++] = b->links[i].name;
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(names[i], names[i - 1]) != 0)
			diff_adapter(d, vd_facts_link_by_name(a, names[i]),
				     vd_facts_link_by_name(b, names[i]));
	free(names);
}

int vd_diff(const struct vd_facts *a, const struct vd_facts *b,
	    struct vd_changes *out)
{
	struct dctx d = { a, b, out, 0 };

	diff_version(&d);
	diff_vnets(&d);
	diff_repeating(&d, a->vmware.n_portfwds, b->vmware.n_portfwds,
		       push_portfwds, "portfwd.", "target");
	diff_nats(&d);
	diff_dhcp(&d);
	diff_repeating(&d, a->vmware.n_dhcp_hosts, b->vmware.n_dhcp_hosts,
		       push_reservations, "reservation.", "address");
	diff_vms(&d);
	diff_adapters(&d);
	return d.rc;
}
