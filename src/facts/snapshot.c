/* SPDX-License-Identifier: MIT */
/*
 * The facts model as JSON, schema vnetdiag.snapshot/1 (docs/snapshot.md).
 *
 * The writer stores names where ip(8) prints names, so that a snapshot reads
 * like `ip -j` output; the reader is strict about types and lengths (a
 * snapshot is outside input) but ignores keys it does not know, so that
 * additive changes within /1 stay readable by older versions.
 */
#include "facts/snapshot.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "facts/names.h"
#include "util/utf8.h"
#include "facts/probes_json.h"
#include "facts/security_json.h"
#include "facts/services_json.h"
#include "util/ip.h"

#define SCHEMA_PREFIX "vnetdiag.snapshot/"
#define SNAPSHOT_MAX  ((size_t)256 << 20) /* bytes */
#define SHOW_MAX      64 /* bytes of an offending value quoted in errors */

/* Neighbour flags (NTF_*), which names.c has no table for. */
static const struct vd_name ntf_names[] = {
	{ 0x01, "use" },    { 0x02, "self" },	      { 0x04, "master" },
	{ 0x08, "proxy" },  { 0x10, "extern_learn" }, { 0x20, "offloaded" },
	{ 0x40, "sticky" }, { 0x80, "router" },	      { 0, NULL },
};

static const struct vd_name vnet_mode_names[] = {
	{ VD_VNET_UNKNOWN, "unknown" },
	{ VD_VNET_BRIDGED, "bridged" },
	{ VD_VNET_HOSTONLY, "hostonly" },
	{ VD_VNET_NAT, "nat" },
	{ 0, NULL },
};

static const struct vd_name family_names[] = {
	{ VD_AF_INET, "inet" },
	{ VD_AF_INET6, "inet6" },
	{ 0, NULL },
};

static const struct vd_name ipproto_names[] = {
	{ 6, "tcp" },
	{ 17, "udp" },
	{ 0, NULL },
};

/* Link flags in the order `ip link` prints them; the rest follow. */
static const unsigned iff_order[] = {
	VD_IFF_LOOPBACK,    VD_IFF_BROADCAST,
	VD_IFF_POINTOPOINT, VD_IFF_MULTICAST,
	VD_IFF_NOARP,	    VD_IFF_ALLMULTI,
	VD_IFF_PROMISC,	    VD_IFF_MASTER,
	VD_IFF_SLAVE,	    VD_IFF_DEBUG,
	VD_IFF_DYNAMIC,	    VD_IFF_AUTOMEDIA,
	VD_IFF_PORTSEL,	    VD_IFF_NOTRAILERS,
	VD_IFF_UP,	    VD_IFF_LOWER_UP,
	VD_IFF_DORMANT,	    VD_IFF_ECHO,
	VD_IFF_RUNNING,	    0,
};

/* ------------------------------------------------------------------ */
/* Strings                                                             */

/*
 * Untrusted text for a one-line message: printable ASCII kept (with dq,
 * double quotes and backslashes escaped), anything else as \xNN, cut after
 * max bytes.
 */
static const char *printable(const char *s, size_t len, size_t max, bool dq,
			     char *buf, size_t size)
{
	size_t o = 0, i;

	for (i = 0; i < len && i < max && o + 5 < size; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (dq && (ch == '"' || ch == '\\')) {
			buf[o++] = '\\';
			buf[o++] = (char)ch;
		} else if (ch >= 0x20 && ch < 0x7f) {
			buf[o++] = (char)ch;
		} else {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", ch);
		}
	}
	if (i < len && o + 4 <= size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */

/*
 * The writer streams the text into one growing buffer, laid out exactly as
 * jansson's json_dump_callback(JSON_INDENT(2) | JSON_PRESERVE_ORDER) lays it
 * out (what earlier versions wrote, what golden files hold): building a
 * json_t tree first cost a heap allocation per value, which was most of the
 * time and memory `collect` took on a big namespace.
 */
struct jw {
	char *p;
	size_t len, cap;
	unsigned depth; /* containers open */
	bool empty;	/* the innermost open container has no member yet */
	bool oom;	/* sticky: an allocation failed, the text is garbage */
};

#define JW_CHUNK ((size_t)64 << 10)

/* Room for n more bytes at w->p + w->len, or NULL (and w->oom set). */
static char *jw_room(struct jw *w, size_t n)
{
	size_t cap;
	char *p;

	if (w->oom)
		return NULL;
	if (n <= w->cap - w->len)
		return w->p + w->len;
	cap = w->cap ? w->cap : JW_CHUNK;
	while (n > cap - w->len) {
		if (cap > SIZE_MAX / 2)
			goto oom;
		cap *= 2;
	}
	p = realloc(w->p, cap);
	if (!p)
		goto oom;
	w->p = p;
	w->cap = cap;
	return p + w->len;
oom:
	w->oom = true;
	return NULL;
}

static void jw_put(struct jw *w, const char *s, size_t n)
{
	char *o = jw_room(w, n);

	if (!o)
		return;
	memcpy(o, s, n);
	w->len += n;
}

/*
 * Start a value: the separator and indentation due before it (none for the
 * top level), then `"key": ` in an object.  Keys are ours: plain ASCII,
 * nothing to escape.
 */
static void jw_begin(struct jw *w, const char *key)
{
	size_t klen = key ? strlen(key) : 0, ind = 2 * (size_t)w->depth;
	char *o = jw_room(w, 2 + ind + klen + 4);

	if (!o)
		return;
	if (w->depth) {
		if (!w->empty)
			*o++ = ',';
		*o++ = '\n';
		memset(o, ' ', ind);
		o += ind;
	}
	w->empty = false;
	if (key) {
		*o++ = '"';
		memcpy(o, key, klen);
		o += klen;
		memcpy(o, "\": ", 3);
		o += 3;
	}
	w->len = (size_t)(o - w->p);
}

/* Open an object ('{') or an array ('['). */
static void jw_open(struct jw *w, const char *key, char bracket)
{
	jw_begin(w, key);
	jw_put(w, &bracket, 1);
	w->depth++;
	w->empty = true;
}

/* Close it; an empty one stays on its line: "{}", "[]". */
static void jw_close(struct jw *w, char bracket)
{
	size_t ind = 2 * (size_t)--w->depth;
	char *o = jw_room(w, 1 + ind + 1);

	if (o) {
		if (!w->empty) {
			*o++ = '\n';
			memset(o, ' ', ind);
			o += ind;
		}
		*o++ = bracket;
		w->len = (size_t)(o - w->p);
	}
	w->empty = false;
}

static void jw_raw(struct jw *w, const char *key, const char *text)
{
	jw_begin(w, key);
	jw_put(w, text, strlen(text));
}

static void jw_null(struct jw *w, const char *key)
{
	jw_raw(w, key, "null");
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_raw(w, key, v ? "true" : "false");
}

static void jw_tri(struct jw *w, const char *key, int t)
{
	jw_raw(w, key, t == VD_YES ? "true" : t == VD_NO ? "false" : "null");
}

/* Decimal, as jansson prints a json_int_t (long long). */
static void jw_int(struct jw *w, const char *key, long long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u =
		v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	jw_begin(w, key);
	jw_put(w, p, (size_t)(buf + sizeof(buf) - p));
}

/*
 * A JSON string from len bytes of s, escaped as jansson escapes.  Bytes that
 * are not UTF-8 (a command line or an interface name may hold any) become
 * U+FFFD: lossy, but what is written once reads back and writes again
 * unchanged.
 */
static void jw_strn(struct jw *w, const char *key, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	char *o;
	size_t n;

	jw_begin(w, key);
	if (len > (SIZE_MAX - 2) / 6) {
		w->oom = true;
		return;
	}
	/* At most 6 bytes out per byte in ("\u001F"), 3 for a bad one. */
	o = jw_room(w, 2 + 6 * len);
	if (!o)
		return;
	*o++ = '"';
	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			*o++ = (char)c;
			i++;
			continue;
		}
		if (c >= 0x80) {
			n = vd_utf8_seq(u + i, len - i);
			if (n) {
				memcpy(o, s + i, n);
				o += n;
				i += n;
			} else {
				memcpy(o, "\xef\xbf\xbd", 3);
				o += 3;
				i++;
			}
			continue;
		}
		i++;
		*o++ = '\\';
		switch (c) {
		case '"':
		case '\\':
			*o++ = (char)c;
			break;
		case '\b':
			*o++ = 'b';
			break;
		case '\f':
			*o++ = 'f';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		case '\t':
			*o++ = 't';
			break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
			break;
		}
	}
	*o++ = '"';
	w->len = (size_t)(o - w->p);
}

/* A string, or null for NULL. */
static void jw_str(struct jw *w, const char *key, const char *s)
{
	if (s)
		jw_strn(w, key, s, strlen(s));
	else
		jw_null(w, key);
}

/* A fixed-size field of the model (NUL-terminated unless corrupt). */
static void jw_field(struct jw *w, const char *key, const char *s, size_t size)
{
	jw_strn(w, key, s, strnlen(s, size));
}

/* The same, null when empty. */
static void jw_field_opt(struct jw *w, const char *key, const char *s,
			 size_t size)
{
	if (s[0])
		jw_field(w, key, s, size);
	else
		jw_null(w, key);
}

#define FIELD(w, key, arr)     jw_field((w), (key), (arr), sizeof(arr))
#define FIELD_OPT(w, key, arr) jw_field_opt((w), (key), (arr), sizeof(arr))

static void jw_ip(struct jw *w, const char *key, const struct vd_ip *ip)
{
	char buf[VD_IPSTR_MAX];

	if (ip->family != VD_AF_INET && ip->family != VD_AF_INET6)
		jw_null(w, key);
	else
		jw_str(w, key, vd_ip_str(ip, buf, sizeof(buf)));
}

static void jw_prefix(struct jw *w, const char *key, const struct vd_ip *ip,
		      unsigned plen)
{
	char buf[VD_IPSTR_MAX];

	if (ip->family != VD_AF_INET && ip->family != VD_AF_INET6)
		jw_null(w, key);
	else
		jw_str(w, key, vd_prefix_str(ip, plen, buf, sizeof(buf)));
}

static void jw_mac(struct jw *w, const char *key, const uint8_t *mac,
		   size_t len)
{
	char buf[VD_MACSTR_MAX];

	if (len == 0) {
		jw_null(w, key);
		return;
	}
	if (len > VD_MAC_MAX)
		len = VD_MAC_MAX;
	jw_str(w, key, vd_mac_str(mac, len, buf, sizeof(buf)));
}

/* The name of a value, or the number when it has none. */
static void jw_name(struct jw *w, const char *key, const struct vd_name *t,
		    unsigned value)
{
	const char *name = vd_name_of(t, value);

	if (name)
		jw_str(w, key, name);
	else
		jw_int(w, key, value);
}

static void jw_family(struct jw *w, const char *key, unsigned family)
{
	jw_str(w, key, vd_name_of(family_names, family));
}

/* An ifindex, null for 0 (none). */
static void jw_ifindex(struct jw *w, const char *key, int ifindex)
{
	if (ifindex)
		jw_int(w, key, ifindex);
	else
		jw_null(w, key);
}

/* The name of the link with that index, null when there is none. */
static void jw_ifname(struct jw *w, const char *key, const struct vd_facts *f,
		      int ifindex)
{
	const struct vd_link *l =
		ifindex ? vd_facts_link_by_index(f, ifindex) : NULL;

	if (l)
		FIELD(w, key, l->name);
	else
		jw_null(w, key);
}

/*
 * The names of the bits set in flags, in the order given (a 0-terminated
 * list of values) or else in table order; unnamed bits follow as one number.
 */
static void jw_flags(struct jw *w, const char *key, const struct vd_name *t,
		     const unsigned *order, unsigned flags)
{
	unsigned named = 0;

	jw_open(w, key, '[');
	for (size_t i = 0;; i++) {
		unsigned bit = order ? order[i] : t[i].value;
		const char *name = order ? vd_name_of(t, bit) : t[i].name;

		if (order ? !bit : !name)
			break;
		if (!bit || !name || (flags & bit) != bit || (named & bit))
			continue;
		named |= bit;
		jw_str(w, NULL, name);
	}
	if (flags & ~named)
		jw_int(w, NULL, flags & ~named);
	jw_close(w, ']');
}

static void dump_tool(struct jw *w, const struct vd_facts *f)
{
	jw_open(w, "tool", '{');
	jw_str(w, "name", "vnetdiag");
	FIELD_OPT(w, "version", f->tool_version);
	jw_close(w, '}');
}

static void dump_host(struct jw *w, const struct vd_host *h)
{
	jw_open(w, "host", '{');
	FIELD_OPT(w, "hostname", h->hostname);
	FIELD_OPT(w, "kernel", h->kernel);
	FIELD_OPT(w, "os_id", h->os_id);
	FIELD_OPT(w, "os_version", h->os_version);
	FIELD_OPT(w, "os_pretty", h->os_pretty);
	jw_tri(w, "ip_forward", h->ip_forward);
	FIELD_OPT(w, "ip_forward_src", h->ip_forward_src);
	jw_close(w, '}');
}

static void dump_link(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_link *l = p;
	bool vlan = strncmp(l->kind, "vlan", sizeof(l->kind)) == 0;

	jw_open(w, NULL, '{');
	jw_int(w, "ifindex", l->ifindex);
	FIELD(w, "ifname", l->name);
	FIELD_OPT(w, "kind", l->kind);
	jw_ifindex(w, "master", l->master);
	jw_ifname(w, "master_name", f, l->master);
	jw_ifindex(w, "parent", l->parent);
	jw_ifname(w, "parent_name", f, l->parent);
	jw_bool(w, "parent_other_ns", l->parent_other_ns);
	jw_flags(w, "flags", vd_iff_names, iff_order, l->flags);
	jw_name(w, "operstate", vd_oper_names, l->oper);
	jw_tri(w, "carrier", l->carrier);
	jw_int(w, "mtu", l->mtu);
	jw_mac(w, "address", l->mac, l->mac_len);
	if (vlan || l->vlan_id != -1) {
		if (l->vlan_id < 0)
			jw_null(w, "vlan_id");
		else
			jw_int(w, "vlan_id", l->vlan_id);
	}
	jw_close(w, '}');
}

static void dump_addr(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_addr *a = p;

	jw_open(w, NULL, '{');
	jw_int(w, "ifindex", a->ifindex);
	jw_ifname(w, "ifname", f, a->ifindex);
	jw_family(w, "family", a->ip.family);
	jw_ip(w, "local", &a->ip);
	jw_int(w, "prefixlen", a->prefixlen);
	jw_name(w, "scope", vd_scope_names, a->scope);
	jw_flags(w, "flags", vd_ifa_flag_names, NULL, a->flags);
	FIELD_OPT(w, "label", a->label);
	jw_close(w, '}');
}

static void dump_route(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_route *r = p;

	jw_open(w, NULL, '{');
	jw_int(w, "table", r->table);
	jw_family(w, "family", r->dst.family);
	jw_prefix(w, "dst", &r->dst, r->dst_len);
	jw_int(w, "tos", r->tos);
	jw_name(w, "protocol", vd_rtprot_names, r->protocol);
	jw_name(w, "scope", vd_scope_names, r->scope);
	jw_name(w, "type", vd_rtn_names, r->type);
	jw_int(w, "metric", r->metric);
	jw_ip(w, "gateway", &r->gateway);
	jw_ip(w, "prefsrc", &r->prefsrc);
	jw_ifindex(w, "oif", r->oif);
	jw_ifname(w, "dev", f, r->oif);
	jw_flags(w, "nh_flags", vd_rtnh_flag_names, NULL, r->nh_flags);
	jw_close(w, '}');
}

static void dump_rule(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_rule *r = p;

	(void)f;
	jw_open(w, NULL, '{');
	jw_family(w, "family", r->family);
	jw_int(w, "priority", r->priority);
	jw_bool(w, "not", r->invert);
	if (r->src_len)
		jw_prefix(w, "src", &r->src, r->src_len);
	else
		jw_null(w, "src");
	if (r->dst_len)
		jw_prefix(w, "dst", &r->dst, r->dst_len);
	else
		jw_null(w, "dst");
	FIELD_OPT(w, "iif", r->iif);
	FIELD_OPT(w, "oif", r->oif);
	jw_int(w, "fwmark", r->fwmark);
	jw_int(w, "fwmask", r->fwmask);
	jw_bool(w, "uidrange", r->has_uidrange);
	jw_bool(w, "l3mdev", r->has_l3mdev);
	jw_name(w, "action", vd_rule_action_names, r->action);
	jw_int(w, "table", r->table);
	if (r->suppress_prefixlen < 0)
		jw_null(w, "suppress_prefixlen");
	else
		jw_int(w, "suppress_prefixlen", r->suppress_prefixlen);
	jw_close(w, '}');
}

static void dump_neigh(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_neigh *n = p;

	jw_open(w, NULL, '{');
	jw_int(w, "ifindex", n->ifindex);
	jw_ifname(w, "ifname", f, n->ifindex);
	jw_ip(w, "address", &n->ip);
	jw_mac(w, "lladdr", n->mac, n->mac_len);
	jw_flags(w, "state", vd_nud_names, NULL, n->state);
	jw_flags(w, "flags", ntf_names, NULL, n->flags);
	jw_close(w, '}');
}

static void dump_socket(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_socket *s = p;

	jw_open(w, NULL, '{');
	jw_name(w, "proto", ipproto_names, s->proto);
	jw_ip(w, "local", &s->local);
	jw_int(w, "port", s->port);
	jw_ifindex(w, "ifindex", s->ifindex);
	jw_ifname(w, "ifname", f, s->ifindex);
	jw_int(w, "inode", (long long)s->inode);
	jw_int(w, "uid", s->uid);
	if (s->pid)
		jw_int(w, "pid", s->pid);
	else
		jw_null(w, "pid");
	FIELD_OPT(w, "comm", s->comm);
	jw_close(w, '}');
}

static void dump_proc(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_process *pr = p;

	(void)f;
	jw_open(w, NULL, '{');
	jw_int(w, "pid", pr->pid);
	FIELD(w, "comm", pr->comm);
	jw_str(w, "cmdline", pr->cmdline);
	jw_close(w, '}');
}

static void dump_module(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_module *m = p;

	(void)f;
	jw_open(w, NULL, '{');
	FIELD(w, "name", m->name);
	jw_int(w, "size", (long long)m->size);
	jw_int(w, "refcnt", m->refcnt);
	FIELD_OPT(w, "state", m->state);
	jw_close(w, '}');
}

static void dump_setting(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_sysctl *s = p;

	(void)f;
	jw_open(w, NULL, '{');
	jw_str(w, "key", s->key);
	jw_str(w, "value", s->value);
	jw_str(w, "file", s->file);
	jw_int(w, "line", s->line);
	jw_close(w, '}');
}

typedef void dump_fn(struct jw *w, const struct vd_facts *f, const void *elem);

/* An array with one object per element of a model array. */
static void dump_array(struct jw *w, const char *key, const struct vd_facts *f,
		       const void *base, size_t n, size_t elsize, dump_fn *fn)
{
	jw_open(w, key, '[');
	for (size_t i = 0; base && i < n && !w->oom; i++)
		fn(w, f, (const char *)base + i * elsize);
	jw_close(w, ']');
}

#define DUMP_ARRAY(w, key, f, field, fn)                        \
	dump_array((w), (key), (f), (f)->field, (f)->n_##field, \
		   sizeof(*(f)->field), (fn))

static void dump_strings(struct jw *w, const char *key, char *const *s,
			 size_t n)
{
	jw_open(w, key, '[');
	for (size_t i = 0; s && i < n; i++)
		jw_str(w, NULL, s[i]);
	jw_close(w, ']');
}

static void dump_sysctl(struct jw *w, const struct vd_facts *f)
{
	jw_open(w, "sysctl", '{');
	dump_strings(w, "files", f->sysctl_files, f->n_sysctl_files);
	DUMP_ARRAY(w, "settings", f, sysctls, dump_setting);
	jw_close(w, '}');
}

static void dump_resolv(struct jw *w, const struct vd_resolv *r)
{
	if (r->present != VD_YES) {
		jw_null(w, "resolv");
		return;
	}
	jw_open(w, "resolv", '{');
	jw_str(w, "file", r->file);
	jw_open(w, "nameservers", '[');
	for (size_t i = 0; r->nameservers && i < r->n_nameservers; i++) {
		jw_open(w, NULL, '{');
		jw_ip(w, "address", &r->nameservers[i]);
		jw_int(w, "line", r->ns_lines ? r->ns_lines[i] : 0);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	dump_strings(w, "search", r->search, r->n_search);
	jw_close(w, '}');
}

/* A prefix length, null for -1 (none). */
static void jw_plen(struct jw *w, const char *key, int plen)
{
	if (plen < 0)
		jw_null(w, key);
	else
		jw_int(w, key, plen);
}

static void dump_vnet(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_vnet *v = p;

	(void)f;
	jw_open(w, NULL, '{');
	jw_int(w, "num", v->num);
	FIELD(w, "name", v->name);
	jw_name(w, "mode", vnet_mode_names, v->mode);
	jw_tri(w, "dhcp", v->dhcp);
	jw_tri(w, "nat", v->nat);
	jw_tri(w, "virtual_adapter", v->virtual_adapter);
	jw_ip(w, "subnet", &v->subnet);
	jw_ip(w, "netmask", &v->netmask);
	jw_plen(w, "prefixlen", v->prefixlen);
	jw_int(w, "line", v->line);
	FIELD_OPT(w, "bridge_if", v->bridge_if);
	jw_int(w, "bridge_line", v->bridge_line);
	jw_close(w, '}');
}

/* The path of files[file], null for none. */
static void jw_file(struct jw *w, const struct vd_vmware *v, int file)
{
	if (file >= 0 && (size_t)file < v->n_files)
		jw_str(w, "file", v->files[file]);
	else
		jw_null(w, "file");
}

/* Where an item was read: "file": path, "line": n. */
static void jw_src(struct jw *w, const struct vd_vmware *v, struct vd_src src)
{
	jw_file(w, v, src.file);
	jw_int(w, "line", src.line);
}

/* A vmnet number, null for -1 (unknown). */
static void jw_vnet(struct jw *w, const char *key, int vnet)
{
	if (vnet < 0)
		jw_null(w, key);
	else
		jw_int(w, key, vnet);
}

/* A six-octet MAC, null when there is none. */
static void jw_mac6(struct jw *w, const char *key, bool has, const uint8_t *mac)
{
	jw_mac(w, key, mac, has ? 6 : 0);
}

/* A Unix time, null for 0 (unknown). */
static void jw_time(struct jw *w, const char *key, int64_t t)
{
	if (t)
		jw_int(w, key, t);
	else
		jw_null(w, key);
}

static void dump_portfwd(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_portfwd *pf = p;

	jw_open(w, NULL, '{');
	jw_vnet(w, "vnet", pf->vnet);
	jw_name(w, "proto", ipproto_names, pf->proto);
	jw_int(w, "host_port", pf->host_port);
	jw_ip(w, "guest", &pf->guest);
	jw_int(w, "guest_port", pf->guest_port);
	jw_src(w, &f->vmware, pf->src);
	jw_close(w, '}');
}

static void dump_nat(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_natconf *n = p;

	jw_open(w, NULL, '{');
	jw_vnet(w, "vnet", n->vnet);
	jw_ip(w, "ip", &n->ip);
	jw_ip(w, "netmask", &n->netmask);
	jw_plen(w, "prefixlen", n->prefixlen);
	FIELD_OPT(w, "device", n->device);
	jw_src(w, &f->vmware, n->src);
	jw_close(w, '}');
}

static void dump_dhcp_subnet(struct jw *w, const struct vd_facts *f,
			     const void *p)
{
	const struct vd_dhcp_subnet *s = p;

	jw_open(w, NULL, '{');
	jw_vnet(w, "vnet", s->vnet);
	jw_ip(w, "subnet", &s->subnet);
	jw_ip(w, "netmask", &s->netmask);
	jw_ip(w, "range_lo", &s->range_lo);
	jw_ip(w, "range_hi", &s->range_hi);
	jw_int(w, "range_line", s->range_line);
	jw_ip(w, "router", &s->router);
	jw_int(w, "router_line", s->router_line);
	jw_open(w, "dns", '[');
	for (size_t i = 0;
	     i < s->n_dns && i < sizeof(s->dns) / sizeof(s->dns[0]); i++)
		jw_ip(w, NULL, &s->dns[i]);
	jw_close(w, ']');
	jw_int(w, "dns_line", s->dns_line);
	jw_src(w, &f->vmware, s->src);
	jw_close(w, '}');
}

static void dump_dhcp_host(struct jw *w, const struct vd_facts *f,
			   const void *p)
{
	const struct vd_dhcp_host *h = p;

	jw_open(w, NULL, '{');
	jw_vnet(w, "vnet", h->vnet);
	FIELD_OPT(w, "name", h->name);
	jw_mac6(w, "mac", h->has_mac, h->mac);
	jw_ip(w, "ip", &h->ip);
	jw_src(w, &f->vmware, h->src);
	jw_close(w, '}');
}

static void dump_lease(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_lease *l = p;

	jw_open(w, NULL, '{');
	jw_vnet(w, "vnet", l->vnet);
	jw_ip(w, "ip", &l->ip);
	jw_mac6(w, "mac", l->has_mac, l->mac);
	FIELD_OPT(w, "hostname", l->hostname);
	jw_time(w, "starts", l->starts);
	jw_time(w, "ends", l->ends);
	jw_src(w, &f->vmware, l->src);
	jw_close(w, '}');
}

static void dump_vm_nic(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_vm_nic *n = p;

	(void)f;
	jw_open(w, NULL, '{');
	jw_int(w, "index", n->index);
	jw_tri(w, "present", n->present);
	jw_tri(w, "start_connected", n->start_connected);
	FIELD_OPT(w, "connection_type", n->conn);
	FIELD_OPT(w, "vnet", n->vnet);
	FIELD_OPT(w, "network_name", n->network_name);
	FIELD_OPT(w, "virtual_dev", n->virtual_dev);
	FIELD_OPT(w, "address_type", n->address_type);
	FIELD_OPT(w, "mac_text", n->mac_text);
	jw_mac6(w, "mac", n->has_mac, n->mac);
	jw_int(w, "line", n->line);
	jw_close(w, '}');
}

static void dump_vm(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_vm *vm = p;

	jw_open(w, NULL, '{');
	jw_file(w, &f->vmware, vm->file);
	FIELD_OPT(w, "name", vm->name);
	FIELD_OPT(w, "guest_os", vm->guest_os);
	jw_tri(w, "running", vm->running);
	dump_array(w, "nics", f, vm->nics, vm->n_nics, sizeof(*vm->nics),
		   dump_vm_nic);
	jw_close(w, '}');
}

static void dump_netmap(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_netmap *n = p;

	jw_open(w, NULL, '{');
	jw_int(w, "index", n->index);
	FIELD_OPT(w, "name", n->name);
	FIELD_OPT(w, "device", n->device);
	jw_src(w, &f->vmware, n->src);
	jw_close(w, '}');
}

static void dump_log_hit(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_log_hit *h = p;

	jw_open(w, NULL, '{');
	FIELD(w, "kind", h->kind);
	jw_str(w, "text", h->text);
	jw_src(w, &f->vmware, h->src);
	jw_close(w, '}');
}

static void dump_modfile(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_modfile *m = p;

	(void)f;
	jw_open(w, NULL, '{');
	FIELD(w, "kernel", m->kernel);
	FIELD(w, "name", m->name);
	jw_close(w, '}');
}

static void dump_kv(struct jw *w, const struct vd_facts *f, const void *p)
{
	const struct vd_kv *kv = p;

	jw_open(w, NULL, '{');
	if (kv->section && kv->section[0])
		jw_str(w, "section", kv->section);
	else
		jw_null(w, "section");
	jw_str(w, "key", kv->key ? kv->key : "");
	jw_str(w, "value", kv->value ? kv->value : "");
	jw_src(w, &f->vmware, kv->src);
	jw_close(w, '}');
}

/* Anything but an untouched model: written even without a networking
 * file (a host with only .vmx files, logs or a config). */
static bool vmware_known(const struct vd_vmware *v)
{
	return v->present == VD_YES || v->networking_file || v->n_files ||
	       v->n_vnets || v->n_portfwds || v->n_nats || v->n_dhcp_subnets ||
	       v->n_dhcp_hosts || v->n_leases || v->n_vms || v->n_netmap ||
	       v->n_log_hits || v->n_module_files ||
	       v->module_files_known != VD_UNKNOWN || v->n_kvs ||
	       v->product_version[0];
}

#define DUMP_VMW(w, key, f, field, fn)                                        \
	dump_array((w), (key), (f), (f)->vmware.field, (f)->vmware.n_##field, \
		   sizeof(*(f)->vmware.field), (fn))

static void dump_vmware(struct jw *w, const struct vd_facts *f)
{
	const struct vd_vmware *v = &f->vmware;

	if (!vmware_known(v)) {
		jw_null(w, "vmware");
		return;
	}
	jw_open(w, "vmware", '{');
	jw_tri(w, "present", v->present);
	jw_str(w, "networking_file", v->networking_file);
	FIELD_OPT(w, "product_version", v->product_version);
	dump_strings(w, "files", v->files, v->n_files);
	DUMP_VMW(w, "vnets", f, vnets, dump_vnet);
	DUMP_VMW(w, "portfwds", f, portfwds, dump_portfwd);
	DUMP_VMW(w, "nats", f, nats, dump_nat);
	DUMP_VMW(w, "dhcp_subnets", f, dhcp_subnets, dump_dhcp_subnet);
	DUMP_VMW(w, "dhcp_hosts", f, dhcp_hosts, dump_dhcp_host);
	DUMP_VMW(w, "leases", f, leases, dump_lease);
	DUMP_VMW(w, "vms", f, vms, dump_vm);
	DUMP_VMW(w, "netmap", f, netmap, dump_netmap);
	DUMP_VMW(w, "log_hits", f, log_hits, dump_log_hit);
	jw_tri(w, "module_files_known", v->module_files_known);
	DUMP_VMW(w, "module_files", f, module_files, dump_modfile);
	DUMP_VMW(w, "kvs", f, kvs, dump_kv);
	jw_close(w, '}');
}

/* A jansson value in the same layout (probe results are built as json_t,
 * shared with the report). */
static void jw_json(struct jw *w, const char *key, json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;
	char num[64];

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		jw_open(w, key, '{');
		json_object_foreach(v, k, x) jw_json(w, k, x);
		jw_close(w, '}');
		break;
	case JSON_ARRAY:
		jw_open(w, key, '[');
		json_array_foreach(v, i, x) jw_json(w, NULL, x);
		jw_close(w, ']');
		break;
	case JSON_STRING:
		jw_strn(w, key, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		jw_int(w, key, (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		jw_raw(w, key, num);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		jw_bool(w, key, json_is_true(v));
		break;
	case JSON_NULL:
		jw_null(w, key);
		break;
	}
}

/* Probe results: present only when probes ran (older readers skip it). */
static void dump_probes(struct jw *w, const struct vd_facts *f)
{
	json_t *j;

	if (!f->probes.ran)
		return;
	j = vd_probes_to_json(f, &f->probes);
	if (!j) {
		w->oom = true;
		return;
	}
	jw_json(w, "probes", j);
	json_decref(j);
}

/* Services: present only when collected (older readers skip it). */
static void dump_services(struct jw *w, const struct vd_facts *f)
{
	const struct vd_services *s = &f->services;
	json_t *j;

	if (!s->n_units && s->nm.from == VD_SVC_UNKNOWN)
		return;
	j = vd_services_to_json(s);
	if (!j) {
		w->oom = true;
		return;
	}
	jw_json(w, "services", j);
	json_decref(j);
}

/* The firewall sources: present only when the kernel was asked. */
static void dump_firewall(struct jw *w, const struct vd_fwsrc *fw)
{
	if (fw->known != VD_YES)
		return;
	jw_open(w, "firewall", '{');
	jw_str(w, "nft_json", fw->nft_json);
	jw_str(w, "iptables_save", fw->iptables_save);
	jw_str(w, "ip6tables_save", fw->ip6tables_save);
	jw_str(w, "error", fw->error);
	jw_close(w, '}');
}

/* Security modules: present only when something is known. */
static void dump_security(struct jw *w, const struct vd_facts *f)
{
	json_t *j;

	if (!vd_security_known(&f->security))
		return;
	j = vd_security_to_json(&f->security);
	if (!j) {
		w->oom = true;
		return;
	}
	jw_json(w, "security", j);
	json_decref(j);
}

static void dump_root(struct jw *w, const struct vd_facts *f)
{
	jw_open(w, NULL, '{');
	jw_str(w, "schema", VD_SNAPSHOT_SCHEMA);
	dump_tool(w, f);
	FIELD_OPT(w, "collected_at", f->collected_at);
	jw_str(w, "sysroot", f->sysroot);
	dump_host(w, &f->host);
	DUMP_ARRAY(w, "links", f, links, dump_link);
	DUMP_ARRAY(w, "addresses", f, addrs, dump_addr);
	DUMP_ARRAY(w, "routes", f, routes, dump_route);
	DUMP_ARRAY(w, "rules", f, rules, dump_rule);
	DUMP_ARRAY(w, "neighbours", f, neighs, dump_neigh);
	if (f->sockets_known == VD_YES)
		DUMP_ARRAY(w, "sockets", f, sockets, dump_socket);
	else
		jw_null(w, "sockets");
	DUMP_ARRAY(w, "processes", f, procs, dump_proc);
	if (f->modules_known == VD_YES)
		DUMP_ARRAY(w, "modules", f, modules, dump_module);
	else
		jw_null(w, "modules");
	dump_sysctl(w, f);
	dump_resolv(w, &f->resolv);
	dump_vmware(w, f);
	dump_security(w, f);
	dump_firewall(w, &f->firewall);
	dump_probes(w, f);
	dump_services(w, f);
	jw_close(w, '}');
}

int vd_snapshot_dump(const struct vd_facts *f, char **out)
{
	struct jw w = { 0 };

	if (!f || !out)
		return -EINVAL;
	dump_root(&w, f);
	jw_put(&w, "\n", 2); /* the newline and the NUL */
	if (w.oom) {
		free(w.p);
		return -ENOMEM;
	}
	*out = w.p;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reader                                                              */

struct pctx {
	struct vd_facts *f;
	char *err;
	size_t errlen;
	char path[160]; /* "links[3]", "resolv.nameservers[0]" */
	size_t plen;
	int last_file; /* vmware.files index of the last "file" looked up */
};

/* Field options: the key must be present; null is accepted (the default). */
#define REQ    0x1
#define NULLOK 0x2

#define TRY(expr)                       \
	do {                            \
		int try_rc_ = (expr);   \
		if (try_rc_ < 0)        \
			return try_rc_; \
	} while (0)

static void seterr(struct pctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void seterr(struct pctx *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->err || !c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
}

/* "PATH.KEY: message"; returns -EPROTO. */
static int fail(struct pctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct pctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!c->err || !c->errlen)
		return -EPROTO;
	n = snprintf(c->err, c->errlen, "%s%s%s: ", c->path,
		     key && c->plen ? "." : "", key ? key : "");
	if (n >= 0 && (size_t)n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EPROTO;
}

static int oom(struct pctx *c)
{
	seterr(c, "out of memory");
	return -ENOMEM;
}

static size_t path_push(struct pctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static size_t path_push(struct pctx *c, const char *fmt, ...)
{
	size_t mark = c->plen, room = sizeof(c->path) - c->plen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path + c->plen, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->plen += (size_t)n < room ? (size_t)n : room - 1;
	return mark;
}

static size_t path_key(struct pctx *c, const char *key)
{
	return path_push(c, "%s%s", c->plen ? "." : "", key);
}

static size_t path_index(struct pctx *c, size_t i)
{
	return path_push(c, "[%zu]", i);
}

static void path_pop(struct pctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "an unknown type";
}

static int wrong_type(struct pctx *c, const char *key, const char *want,
		      const json_t *v)
{
	return fail(c, key, "expected %s, got %s", want, type_name(v));
}

/* The string of v quoted for a message. */
static const char *shown(const json_t *v, char *buf, size_t size)
{
	return printable(json_string_value(v), json_string_length(v), SHOW_MAX,
			 true, buf, size);
}

/*
 * Look up key in o.  Returns 1 with *v set when there is a value to read,
 * 0 when the key is absent or (with NULLOK) null: the caller uses its
 * default.  A required key that is absent is an error.
 */
static int field(struct pctx *c, json_t *o, const char *key, int opts,
		 json_t **v)
{
	*v = json_object_get(o, key);
	if (!*v) {
		if (opts & REQ)
			return fail(c, key, "missing (required)");
		return 0;
	}
	if (json_is_null(*v) && (opts & NULLOK))
		return 0;
	return 1;
}

static int get_int(struct pctx *c, json_t *o, const char *key, int opts,
		   long long min, long long max, long long dflt, long long *out)
{
	json_t *v;
	long long x;
	int rc = field(c, o, key, opts, &v);

	if (rc <= 0) {
		*out = dflt;
		return rc;
	}
	if (!json_is_integer(v))
		return wrong_type(c, key, "an integer", v);
	x = json_integer_value(v);
	if (x < min || x > max)
		return fail(c, key, "out of range (%lld..%lld): %lld", min, max,
			    x);
	*out = x;
	return 0;
}

static int get_bool(struct pctx *c, json_t *o, const char *key, bool *out)
{
	json_t *v;
	int rc = field(c, o, key, 0, &v);

	if (rc <= 0) {
		*out = false;
		return rc;
	}
	if (!json_is_boolean(v))
		return wrong_type(c, key, "true or false", v);
	*out = json_is_true(v);
	return 0;
}

/* true, false or null (unknown); absent is unknown. */
static int get_tri(struct pctx *c, json_t *o, const char *key, int8_t *out)
{
	json_t *v;
	int rc = field(c, o, key, NULLOK, &v);

	if (rc <= 0) {
		*out = VD_UNKNOWN;
		return rc;
	}
	if (!json_is_boolean(v))
		return wrong_type(c, key, "true, false or null", v);
	*out = json_is_true(v) ? VD_YES : VD_NO;
	return 0;
}

/* A string into a fixed-size field; absent or null is "". */
static int get_strbuf(struct pctx *c, json_t *o, const char *key, int opts,
		      char *buf, size_t size)
{
	json_t *v;
	int rc = field(c, o, key, opts, &v);
	size_t len;

	if (rc <= 0) {
		buf[0] = '\0';
		return rc;
	}
	if (!json_is_string(v))
		return wrong_type(c, key, "a string", v);
	len = json_string_length(v);
	if (len >= size)
		return fail(c, key, "longer than %zu bytes", size - 1);
	memcpy(buf, json_string_value(v), len + 1);
	return 0;
}

/* A string into a new allocation; absent or null is NULL. */
static int get_strdup(struct pctx *c, json_t *o, const char *key, int opts,
		      char **out)
{
	json_t *v;
	int rc = field(c, o, key, opts, &v);

	*out = NULL;
	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return wrong_type(c, key, "a string", v);
	*out = strdup(json_string_value(v));
	return *out ? 0 : oom(c);
}

/* A value that is only there for people (an interface's name): a string. */
static int check_str(struct pctx *c, json_t *o, const char *key)
{
	json_t *v;
	int rc = field(c, o, key, NULLOK, &v);

	if (rc <= 0)
		return rc;
	return json_is_string(v) ? 0 : wrong_type(c, key, "a string", v);
}

static int get_ip(struct pctx *c, json_t *o, const char *key, int opts,
		  struct vd_ip *out)
{
	char buf[SHOW_MAX * 4 + 8];
	json_t *v;
	int rc = field(c, o, key, opts, &v);

	*out = (struct vd_ip){ 0 };
	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return wrong_type(c, key, "a string", v);
	if (vd_ip_parse(json_string_value(v), out) < 0)
		return fail(c, key, "not an IP address: \"%s\"",
			    shown(v, buf, sizeof(buf)));
	return 0;
}

static int get_mac(struct pctx *c, json_t *o, const char *key, uint8_t *mac,
		   uint8_t *mac_len)
{
	char buf[SHOW_MAX * 4 + 8];
	json_t *v;
	int rc = field(c, o, key, NULLOK, &v), n;

	*mac_len = 0;
	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return wrong_type(c, key, "a string", v);
	n = vd_mac_parse(json_string_value(v), mac, VD_MAC_MAX);
	if (n <= 0)
		return fail(c, key, "not a MAC address: \"%s\"",
			    shown(v, buf, sizeof(buf)));
	*mac_len = (uint8_t)n;
	return 0;
}

/* A name from table t, or a number 0..max; absent is dflt. */
static int get_name(struct pctx *c, json_t *o, const char *key, int opts,
		    const struct vd_name *t, unsigned max, unsigned dflt,
		    unsigned *out)
{
	char buf[SHOW_MAX * 4 + 8];
	long long x;
	json_t *v;
	int rc = field(c, o, key, opts, &v);

	*out = dflt;
	if (rc <= 0)
		return rc;
	if (json_is_string(v)) {
		if (vd_value_of(t, json_string_value(v), out) < 0)
			return fail(c, key, "unknown name \"%s\"",
				    shown(v, buf, sizeof(buf)));
		return 0;
	}
	if (!json_is_integer(v))
		return wrong_type(c, key, "a name or an integer", v);
	x = json_integer_value(v);
	if (x < 0 || x > (long long)max)
		return fail(c, key, "out of range (0..%u): %lld", max, x);
	*out = (unsigned)x;
	return 0;
}

/* A list of flag names (or numbers) from table t; absent is none. */
static int get_flags(struct pctx *c, json_t *o, const char *key,
		     const struct vd_name *t, unsigned max, unsigned *out)
{
	char buf[SHOW_MAX * 4 + 8];
	json_t *a, *v;
	unsigned flags = 0, bit;
	size_t i, mark, at;
	int rc = field(c, o, key, 0, &a);

	*out = 0;
	if (rc <= 0)
		return rc;
	if (!json_is_array(a))
		return wrong_type(c, key, "an array", a);
	mark = path_key(c, key);
	at = c->plen;
	json_array_foreach(a, i, v)
	{
		path_index(c, i);
		if (json_is_string(v)) {
			if (vd_value_of(t, json_string_value(v), &bit) < 0)
				return fail(c, NULL, "unknown flag \"%s\"",
					    shown(v, buf, sizeof(buf)));
		} else if (json_is_integer(v)) {
			long long x = json_integer_value(v);

			if (x < 0 || x > (long long)max)
				return fail(c, NULL,
					    "out of range (0..%u): %lld", max,
					    x);
			bit = (unsigned)x;
		} else {
			return wrong_type(c, NULL, "a flag name or an integer",
					  v);
		}
		flags |= bit;
		path_pop(c, at);
	}
	path_pop(c, mark);
	*out = flags;
	return 0;
}

/* "inet" or "inet6"; absent or null is VD_AF_NONE. */
static int get_family(struct pctx *c, json_t *o, const char *key, int opts,
		      uint8_t *out)
{
	char buf[SHOW_MAX * 4 + 8];
	unsigned fam;
	json_t *v;
	int rc = field(c, o, key, opts | NULLOK, &v);

	*out = VD_AF_NONE;
	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return wrong_type(c, key, "\"inet\" or \"inet6\"", v);
	if (vd_value_of(family_names, json_string_value(v), &fam) < 0)
		return fail(c, key, "unknown family \"%s\"",
			    shown(v, buf, sizeof(buf)));
	*out = (uint8_t)fam;
	return 0;
}

/*
 * A prefix ("10.0.0.0/8", "::1") of the given family.  A route destination
 * may be "default", and keeps its family when it has length 0; a rule's
 * selector of length 0 is no selector.  The address bits of a zero-length
 * prefix are cleared: they are not written, so keeping them would change the
 * order the model sorts into.
 */
static int get_prefix(struct pctx *c, json_t *o, const char *key, int opts,
		      uint8_t family, bool route, struct vd_ip *ip,
		      uint8_t *len)
{
	char buf[SHOW_MAX * 4 + 8];
	const char *s;
	json_t *v;
	int rc = field(c, o, key, opts, &v);

	*ip = (struct vd_ip){ 0 };
	*len = 0;
	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return wrong_type(c, key, "a string", v);
	s = json_string_value(v);
	if (route && strcmp(s, "default") == 0) {
		ip->family = family;
		return 0;
	}
	if (vd_prefix_parse(s, ip, len) < 0)
		return fail(c, key, "not a prefix: \"%s\"",
			    shown(v, buf, sizeof(buf)));
	if (ip->family != family)
		return fail(c, key, "not an %s prefix: \"%s\"",
			    family == VD_AF_INET ? "inet" : "inet6",
			    shown(v, buf, sizeof(buf)));
	if (*len == 0)
		*ip = (struct vd_ip){ .family = route ? family : VD_AF_NONE };
	return 0;
}

static int parse_tool(struct pctx *c, json_t *root)
{
	json_t *o;
	size_t mark;
	int rc = field(c, root, "tool", 0, &o);

	if (rc <= 0)
		return rc;
	if (!json_is_object(o))
		return wrong_type(c, "tool", "an object", o);
	mark = path_key(c, "tool");
	TRY(check_str(c, o, "name"));
	TRY(get_strbuf(c, o, "version", NULLOK, c->f->tool_version,
		       sizeof(c->f->tool_version)));
	path_pop(c, mark);
	return 0;
}

static int parse_host(struct pctx *c, json_t *root)
{
	struct vd_host *h = &c->f->host;
	json_t *o;
	size_t mark;
	int rc = field(c, root, "host", 0, &o);

	if (rc <= 0)
		return rc;
	if (!json_is_object(o))
		return wrong_type(c, "host", "an object", o);
	mark = path_key(c, "host");
	TRY(get_strbuf(c, o, "hostname", NULLOK, h->hostname,
		       sizeof(h->hostname)));
	TRY(get_strbuf(c, o, "kernel", NULLOK, h->kernel, sizeof(h->kernel)));
	TRY(get_strbuf(c, o, "os_id", NULLOK, h->os_id, sizeof(h->os_id)));
	TRY(get_strbuf(c, o, "os_version", NULLOK, h->os_version,
		       sizeof(h->os_version)));
	TRY(get_strbuf(c, o, "os_pretty", NULLOK, h->os_pretty,
		       sizeof(h->os_pretty)));
	TRY(get_tri(c, o, "ip_forward", &h->ip_forward));
	TRY(get_strbuf(c, o, "ip_forward_src", NULLOK, h->ip_forward_src,
		       sizeof(h->ip_forward_src)));
	path_pop(c, mark);
	return 0;
}

static int parse_link(struct pctx *c, json_t *o)
{
	struct vd_link *l = VD_PUSH(c->f, links);
	long long x;
	unsigned u;

	if (!l)
		return oom(c);
	TRY(get_int(c, o, "ifindex", REQ, 1, INT_MAX, 0, &x));
	l->ifindex = (int)x;
	TRY(get_strbuf(c, o, "ifname", REQ, l->name, sizeof(l->name)));
	TRY(get_strbuf(c, o, "kind", NULLOK, l->kind, sizeof(l->kind)));
	TRY(get_int(c, o, "master", NULLOK, 0, INT_MAX, 0, &x));
	l->master = (int)x;
	TRY(check_str(c, o, "master_name"));
	TRY(get_int(c, o, "parent", NULLOK, 0, INT_MAX, 0, &x));
	l->parent = (int)x;
	TRY(check_str(c, o, "parent_name"));
	TRY(get_bool(c, o, "parent_other_ns", &l->parent_other_ns));
	TRY(get_flags(c, o, "flags", vd_iff_names, UINT_MAX, &l->flags));
	TRY(get_name(c, o, "operstate", 0, vd_oper_names, UINT8_MAX,
		     VD_OPER_UNKNOWN, &u));
	l->oper = (uint8_t)u;
	TRY(get_tri(c, o, "carrier", &l->carrier));
	TRY(get_int(c, o, "mtu", 0, 0, UINT_MAX, 0, &x));
	l->mtu = (unsigned)x;
	TRY(get_mac(c, o, "address", l->mac, &l->mac_len));
	TRY(get_int(c, o, "vlan_id", NULLOK, 0, 4095, -1, &x));
	l->vlan_id = (int)x;
	return 0;
}

static int parse_addr(struct pctx *c, json_t *o)
{
	struct vd_addr *a = VD_PUSH(c->f, addrs);
	char buf[SHOW_MAX * 4 + 8];
	uint8_t family;
	long long x;
	unsigned u;

	if (!a)
		return oom(c);
	TRY(get_int(c, o, "ifindex", REQ, 1, INT_MAX, 0, &x));
	a->ifindex = (int)x;
	TRY(check_str(c, o, "ifname"));
	TRY(get_family(c, o, "family", 0, &family));
	TRY(get_ip(c, o, "local", REQ, &a->ip));
	if (family && family != a->ip.family)
		return fail(
			c, "local", "not an %s address: \"%s\"",
			family == VD_AF_INET ? "inet" : "inet6",
			shown(json_object_get(o, "local"), buf, sizeof(buf)));
	TRY(get_int(c, o, "prefixlen", REQ, 0, vd_ip_bits(&a->ip), 0, &x));
	a->prefixlen = (uint8_t)x;
	TRY(get_name(c, o, "scope", 0, vd_scope_names, UINT8_MAX,
		     VD_SCOPE_UNIVERSE, &u));
	a->scope = (uint8_t)u;
	TRY(get_flags(c, o, "flags", vd_ifa_flag_names, UINT_MAX, &a->flags));
	TRY(get_strbuf(c, o, "label", NULLOK, a->label, sizeof(a->label)));
	return 0;
}

static int parse_route(struct pctx *c, json_t *o)
{
	struct vd_route *r = VD_PUSH(c->f, routes);
	uint8_t family;
	long long x;
	unsigned u;

	if (!r)
		return oom(c);
	TRY(get_int(c, o, "table", 0, 0, UINT32_MAX, VD_RT_TABLE_MAIN, &x));
	r->table = (uint32_t)x;
	TRY(get_family(c, o, "family", REQ, &family));
	if (!family)
		return fail(c, "family", "expected \"inet\" or \"inet6\"");
	TRY(get_prefix(c, o, "dst", REQ, family, true, &r->dst, &r->dst_len));
	TRY(get_int(c, o, "tos", 0, 0, UINT8_MAX, 0, &x));
	r->tos = (uint8_t)x;
	TRY(get_name(c, o, "protocol", 0, vd_rtprot_names, UINT8_MAX, 0, &u));
	r->protocol = (uint8_t)u;
	TRY(get_name(c, o, "scope", 0, vd_scope_names, UINT8_MAX,
		     VD_SCOPE_UNIVERSE, &u));
	r->scope = (uint8_t)u;
	TRY(get_name(c, o, "type", 0, vd_rtn_names, UINT8_MAX, VD_RTN_UNICAST,
		     &u));
	r->type = (uint8_t)u;
	TRY(get_int(c, o, "metric", 0, 0, UINT32_MAX, 0, &x));
	r->metric = (uint32_t)x;
	TRY(get_ip(c, o, "gateway", NULLOK, &r->gateway));
	TRY(get_ip(c, o, "prefsrc", NULLOK, &r->prefsrc));
	TRY(get_int(c, o, "oif", NULLOK, 0, INT_MAX, 0, &x));
	r->oif = (int)x;
	TRY(check_str(c, o, "dev"));
	TRY(get_flags(c, o, "nh_flags", vd_rtnh_flag_names, UINT_MAX,
		      &r->nh_flags));
	return 0;
}

static int parse_rule(struct pctx *c, json_t *o)
{
	struct vd_rule *r = VD_PUSH(c->f, rules);
	long long x;
	unsigned u;

	if (!r)
		return oom(c);
	TRY(get_family(c, o, "family", REQ, &r->family));
	if (!r->family)
		return fail(c, "family", "expected \"inet\" or \"inet6\"");
	TRY(get_int(c, o, "priority", 0, 0, UINT32_MAX, 0, &x));
	r->priority = (uint32_t)x;
	TRY(get_bool(c, o, "not", &r->invert));
	TRY(get_prefix(c, o, "src", NULLOK, r->family, false, &r->src,
		       &r->src_len));
	TRY(get_prefix(c, o, "dst", NULLOK, r->family, false, &r->dst,
		       &r->dst_len));
	TRY(get_strbuf(c, o, "iif", NULLOK, r->iif, sizeof(r->iif)));
	TRY(get_strbuf(c, o, "oif", NULLOK, r->oif, sizeof(r->oif)));
	TRY(get_int(c, o, "fwmark", 0, 0, UINT32_MAX, 0, &x));
	r->fwmark = (uint32_t)x;
	TRY(get_int(c, o, "fwmask", 0, 0, UINT32_MAX, 0, &x));
	r->fwmask = (uint32_t)x;
	TRY(get_bool(c, o, "uidrange", &r->has_uidrange));
	TRY(get_bool(c, o, "l3mdev", &r->has_l3mdev));
	TRY(get_name(c, o, "action", 0, vd_rule_action_names, UINT8_MAX,
		     VD_FR_ACT_TO_TBL, &u));
	r->action = (uint8_t)u;
	TRY(get_int(c, o, "table", 0, 0, UINT32_MAX, 0, &x));
	r->table = (uint32_t)x;
	TRY(get_int(c, o, "suppress_prefixlen", NULLOK, 0, 128, -1, &x));
	r->suppress_prefixlen = (int)x;
	return 0;
}

static int parse_neigh(struct pctx *c, json_t *o)
{
	struct vd_neigh *n = VD_PUSH(c->f, neighs);
	long long x;
	unsigned u;

	if (!n)
		return oom(c);
	TRY(get_int(c, o, "ifindex", REQ, 1, INT_MAX, 0, &x));
	n->ifindex = (int)x;
	TRY(check_str(c, o, "ifname"));
	TRY(get_ip(c, o, "address", REQ, &n->ip));
	TRY(get_mac(c, o, "lladdr", n->mac, &n->mac_len));
	TRY(get_flags(c, o, "state", vd_nud_names, UINT16_MAX, &u));
	n->state = (uint16_t)u;
	TRY(get_flags(c, o, "flags", ntf_names, UINT8_MAX, &u));
	n->flags = (uint8_t)u;
	return 0;
}

static int parse_socket(struct pctx *c, json_t *o)
{
	struct vd_socket *s = VD_PUSH(c->f, sockets);
	long long x;
	unsigned u;

	if (!s)
		return oom(c);
	TRY(get_name(c, o, "proto", REQ, ipproto_names, UINT8_MAX, 0, &u));
	s->proto = (uint8_t)u;
	TRY(get_ip(c, o, "local", REQ, &s->local));
	TRY(get_int(c, o, "port", REQ, 0, UINT16_MAX, 0, &x));
	s->port = (uint16_t)x;
	TRY(get_int(c, o, "ifindex", NULLOK, 0, INT_MAX, 0, &x));
	s->ifindex = (int)x;
	TRY(check_str(c, o, "ifname"));
	TRY(get_int(c, o, "inode", 0, 0, LLONG_MAX, 0, &x));
	s->inode = (uint64_t)x;
	TRY(get_int(c, o, "uid", 0, 0, UINT32_MAX, 0, &x));
	s->uid = (uint32_t)x;
	TRY(get_int(c, o, "pid", NULLOK, 0, INT_MAX, 0, &x));
	s->pid = (int)x;
	TRY(get_strbuf(c, o, "comm", NULLOK, s->comm, sizeof(s->comm)));
	return 0;
}

static int parse_proc(struct pctx *c, json_t *o)
{
	struct vd_process *p = VD_PUSH(c->f, procs);
	long long x;

	if (!p)
		return oom(c);
	TRY(get_int(c, o, "pid", REQ, 0, INT_MAX, 0, &x));
	p->pid = (int)x;
	TRY(get_strbuf(c, o, "comm", 0, p->comm, sizeof(p->comm)));
	TRY(get_strdup(c, o, "cmdline", NULLOK, &p->cmdline));
	return 0;
}

static int parse_module(struct pctx *c, json_t *o)
{
	struct vd_module *m = VD_PUSH(c->f, modules);
	long long x;

	if (!m)
		return oom(c);
	TRY(get_strbuf(c, o, "name", REQ, m->name, sizeof(m->name)));
	TRY(get_int(c, o, "size", 0, 0,
		    ULONG_MAX < LLONG_MAX ? (long long)ULONG_MAX : LLONG_MAX, 0,
		    &x));
	m->size = (unsigned long)x;
	TRY(get_int(c, o, "refcnt", 0, INT_MIN, INT_MAX, 0, &x));
	m->refcnt = (int)x;
	TRY(get_strbuf(c, o, "state", NULLOK, m->state, sizeof(m->state)));
	return 0;
}

static int parse_setting(struct pctx *c, json_t *o)
{
	struct vd_sysctl *s = VD_PUSH(c->f, sysctls);
	long long x;

	if (!s)
		return oom(c);
	TRY(get_strdup(c, o, "key", REQ, &s->key));
	TRY(get_strdup(c, o, "value", REQ | NULLOK, &s->value));
	TRY(get_strdup(c, o, "file", NULLOK, &s->file));
	TRY(get_int(c, o, "line", 0, 0, UINT_MAX, 0, &x));
	s->line = (unsigned)x;
	return 0;
}

typedef int parse_fn(struct pctx *c, json_t *elem);

/* Call fn for every object of the array at key; absent is empty. */
static int parse_objects(struct pctx *c, const char *key, json_t *a,
			 parse_fn *fn)
{
	json_t *e;
	size_t i, mark;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return wrong_type(c, key, "an array", a);
	mark = path_key(c, key);
	json_array_foreach(a, i, e)
	{
		size_t elem = path_index(c, i);

		if (!json_is_object(e))
			return wrong_type(c, NULL, "an object", e);
		TRY(fn(c, e));
		path_pop(c, elem);
	}
	path_pop(c, mark);
	return 0;
}

static int parse_array(struct pctx *c, json_t *o, const char *key, parse_fn *fn)
{
	return parse_objects(c, key, json_object_get(o, key), fn);
}

/* The same, refusing more than max elements before reading any. */
static int parse_sized(struct pctx *c, json_t *o, const char *key, size_t max,
		       parse_fn *fn)
{
	json_t *a = json_object_get(o, key);

	if (json_is_array(a) && json_array_size(a) > max)
		return fail(c, key, "more than %zu items", max);
	return parse_objects(c, key, a, fn);
}

/* Check that key holds an array of strings and say how long it is. */
static int string_array(struct pctx *c, json_t *o, const char *key, json_t **a,
			size_t *n)
{
	json_t *v;
	size_t i, mark, at;
	int rc = field(c, o, key, 0, a);

	*n = 0;
	if (rc <= 0)
		return rc;
	if (!json_is_array(*a))
		return wrong_type(c, key, "an array", *a);
	mark = path_key(c, key);
	at = c->plen;
	json_array_foreach(*a, i, v)
	{
		path_index(c, i);
		if (!json_is_string(v))
			return wrong_type(c, NULL, "a string", v);
		path_pop(c, at);
	}
	path_pop(c, mark);
	*n = json_array_size(*a);
	return 0;
}

static int parse_sysctl(struct pctx *c, json_t *root)
{
	json_t *o, *files, *v;
	size_t n, i, mark;
	int rc = field(c, root, "sysctl", 0, &o);

	if (rc <= 0)
		return rc;
	if (!json_is_object(o))
		return wrong_type(c, "sysctl", "an object", o);
	mark = path_key(c, "sysctl");
	TRY(string_array(c, o, "files", &files, &n));
	for (i = 0; i < n; i++) {
		char **slot = VD_PUSH(c->f, sysctl_files);

		v = json_array_get(files, i);
		if (!slot)
			return oom(c);
		*slot = strdup(json_string_value(v));
		if (!*slot)
			return oom(c);
	}
	TRY(parse_array(c, o, "settings", parse_setting));
	path_pop(c, mark);
	return 0;
}

static int parse_nameserver(struct pctx *c, json_t *o)
{
	struct vd_resolv *r = &c->f->resolv;
	long long x;

	TRY(get_ip(c, o, "address", REQ, &r->nameservers[r->n_nameservers]));
	TRY(get_int(c, o, "line", 0, 0, UINT_MAX, 0, &x));
	r->ns_lines[r->n_nameservers++] = (unsigned)x;
	return 0;
}

static int parse_resolv(struct pctx *c, json_t *root)
{
	struct vd_resolv *r = &c->f->resolv;
	json_t *o, *ns, *search;
	size_t n, i, mark;
	int rc = field(c, root, "resolv", NULLOK, &o);

	if (rc <= 0)
		return rc;
	if (!json_is_object(o))
		return wrong_type(c, "resolv", "an object or null", o);
	r->present = VD_YES;
	mark = path_key(c, "resolv");
	TRY(get_strdup(c, o, "file", NULLOK, &r->file));
	ns = json_object_get(o, "nameservers");
	if (ns && json_is_array(ns) && json_array_size(ns)) {
		n = json_array_size(ns);
		r->nameservers = calloc(n, sizeof(*r->nameservers));
		r->ns_lines = calloc(n, sizeof(*r->ns_lines));
		if (!r->nameservers || !r->ns_lines)
			return oom(c);
	}
	TRY(parse_objects(c, "nameservers", ns, parse_nameserver));
	TRY(string_array(c, o, "search", &search, &n));
	if (n) {
		r->search = calloc(n, sizeof(*r->search));
		if (!r->search)
			return oom(c);
		r->n_search = n;
		for (i = 0; i < n; i++) {
			r->search[i] = strdup(
				json_string_value(json_array_get(search, i)));
			if (!r->search[i])
				return oom(c);
		}
	}
	path_pop(c, mark);
	return 0;
}

/*
 * VMware items are kept in the order their files gave them (the parsers'
 * order; no canonical sort), and name their file by path: the path must be
 * one of vmware.files, whose index the model keeps.
 */
#define VMW_ITEMS_MAX ((size_t)1 << 20) /* items of one vmware array */
#define VMW_FILES_MAX ((size_t)1 << 16)
#define VMW_NICS_MAX  256 /* ethernetN of one .vmx */
#define VMW_NIC_INDEX 9999
#define VMW_TEXT_MAX  512 /* bytes of a log line */

/* "file": a path of vmware.files (or null: none) into its index. */
static int get_file(struct pctx *c, json_t *o, int *file)
{
	const struct vd_vmware *vm = &c->f->vmware;
	char buf[SHOW_MAX * 4 + 8];
	const char *s;
	json_t *v;
	int rc = field(c, o, "file", NULLOK, &v);

	*file = -1;
	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return wrong_type(c, "file", "a string or null", v);
	s = json_string_value(v);
	/* Items of one file come together: try the last match first. */
	if (c->last_file >= 0 && (size_t)c->last_file < vm->n_files &&
	    strcmp(vm->files[c->last_file], s) == 0) {
		*file = c->last_file;
		return 0;
	}
	for (size_t i = 0; i < vm->n_files; i++) {
		if (strcmp(vm->files[i], s) == 0) {
			*file = c->last_file = (int)i;
			return 0;
		}
	}
	return fail(c, "file", "not one of vmware.files: \"%s\"",
		    shown(v, buf, sizeof(buf)));
}

static int get_src(struct pctx *c, json_t *o, struct vd_src *src)
{
	long long x;

	TRY(get_file(c, o, &src->file));
	TRY(get_int(c, o, "line", 0, 0, UINT_MAX, 0, &x));
	src->line = (unsigned)x;
	return 0;
}

/* A vmnet number 0..255; absent or null is -1 (unknown). */
static int get_vnet(struct pctx *c, json_t *o, const char *key, int *vnet)
{
	long long x;

	TRY(get_int(c, o, key, NULLOK, 0, VD_VNET_MAX, -1, &x));
	*vnet = (int)x;
	return 0;
}

/* An IPv4 netmask's length 0..32 or null (-1). */
static int get_plen(struct pctx *c, json_t *o, const char *key, int *plen)
{
	long long x;

	TRY(get_int(c, o, key, NULLOK, 0, 128, -1, &x));
	*plen = (int)x;
	return 0;
}

static int get_line(struct pctx *c, json_t *o, const char *key, unsigned *line)
{
	long long x;

	TRY(get_int(c, o, key, 0, 0, UINT_MAX, 0, &x));
	*line = (unsigned)x;
	return 0;
}

static int get_port(struct pctx *c, json_t *o, const char *key, uint16_t *port)
{
	long long x;

	TRY(get_int(c, o, key, REQ, 1, UINT16_MAX, 0, &x));
	*port = (uint16_t)x;
	return 0;
}

/* "aa:bb:cc:dd:ee:ff" or null (no MAC). */
static int get_mac6(struct pctx *c, json_t *o, const char *key, bool *has,
		    uint8_t mac[6])
{
	char buf[SHOW_MAX * 4 + 8];
	uint8_t tmp[VD_MAC_MAX];
	json_t *v;
	int rc = field(c, o, key, NULLOK, &v);

	*has = false;
	memset(mac, 0, 6);
	if (rc <= 0)
		return rc;
	if (!json_is_string(v))
		return wrong_type(c, key, "a string or null", v);
	if (vd_mac_parse(json_string_value(v), tmp, sizeof(tmp)) != 6)
		return fail(c, key, "not a 6-byte MAC address: \"%s\"",
			    shown(v, buf, sizeof(buf)));
	memcpy(mac, tmp, 6);
	*has = true;
	return 0;
}

/* An IPv4 address or null; IPv6 is refused where VMware has none. */
static int get_ip4(struct pctx *c, json_t *o, const char *key, int opts,
		   struct vd_ip *out)
{
	char buf[SHOW_MAX * 4 + 8];

	TRY(get_ip(c, o, key, opts, out));
	if (out->family == VD_AF_INET6)
		return fail(c, key, "not an IPv4 address: \"%s\"",
			    shown(json_object_get(o, key), buf, sizeof(buf)));
	return 0;
}

static int parse_vnet(struct pctx *c, json_t *o)
{
	struct vd_vnet *v = VD_PUSH(&c->f->vmware, vnets);
	long long x;
	unsigned u;

	if (!v)
		return oom(c);
	TRY(get_int(c, o, "num", REQ, 0, VD_VNET_MAX, 0, &x));
	v->num = (int)x;
	if (vd_vmware_vnet(&c->f->vmware, v->num) != v)
		return fail(c, "num", "vmnet%d is declared twice", v->num);
	TRY(get_strbuf(c, o, "name", 0, v->name, sizeof(v->name)));
	TRY(get_name(c, o, "mode", 0, vnet_mode_names, UINT8_MAX,
		     VD_VNET_UNKNOWN, &u));
	v->mode = (uint8_t)u;
	TRY(get_tri(c, o, "dhcp", &v->dhcp));
	TRY(get_tri(c, o, "nat", &v->nat));
	TRY(get_tri(c, o, "virtual_adapter", &v->virtual_adapter));
	TRY(get_ip(c, o, "subnet", NULLOK, &v->subnet));
	TRY(get_ip(c, o, "netmask", NULLOK, &v->netmask));
	TRY(get_plen(c, o, "prefixlen", &v->prefixlen));
	TRY(get_line(c, o, "line", &v->line));
	TRY(get_strbuf(c, o, "bridge_if", NULLOK, v->bridge_if,
		       sizeof(v->bridge_if)));
	TRY(get_line(c, o, "bridge_line", &v->bridge_line));
	return 0;
}

static int parse_portfwd(struct pctx *c, json_t *o)
{
	struct vd_portfwd *pf = VD_PUSH(&c->f->vmware, portfwds);
	unsigned u;

	if (!pf)
		return oom(c);
	TRY(get_vnet(c, o, "vnet", &pf->vnet));
	TRY(get_name(c, o, "proto", REQ, ipproto_names, UINT8_MAX, 0, &u));
	pf->proto = (uint8_t)u;
	TRY(get_port(c, o, "host_port", &pf->host_port));
	TRY(get_ip4(c, o, "guest", NULLOK, &pf->guest));
	TRY(get_port(c, o, "guest_port", &pf->guest_port));
	return get_src(c, o, &pf->src);
}

static int parse_nat(struct pctx *c, json_t *o)
{
	struct vd_natconf *n = VD_PUSH(&c->f->vmware, nats);

	if (!n)
		return oom(c);
	TRY(get_vnet(c, o, "vnet", &n->vnet));
	TRY(get_ip4(c, o, "ip", NULLOK, &n->ip));
	TRY(get_ip4(c, o, "netmask", NULLOK, &n->netmask));
	TRY(get_plen(c, o, "prefixlen", &n->prefixlen));
	if (n->prefixlen > 32)
		return fail(c, "prefixlen", "out of range (0..32): %d",
			    n->prefixlen);
	TRY(get_strbuf(c, o, "device", NULLOK, n->device, sizeof(n->device)));
	return get_src(c, o, &n->src);
}

static int parse_dhcp_subnet(struct pctx *c, json_t *o)
{
	struct vd_dhcp_subnet *s = VD_PUSH(&c->f->vmware, dhcp_subnets);
	json_t *dns, *e;
	size_t i, mark, at;

	if (!s)
		return oom(c);
	TRY(get_vnet(c, o, "vnet", &s->vnet));
	TRY(get_ip4(c, o, "subnet", NULLOK, &s->subnet));
	TRY(get_ip4(c, o, "netmask", NULLOK, &s->netmask));
	TRY(get_ip4(c, o, "range_lo", NULLOK, &s->range_lo));
	TRY(get_ip4(c, o, "range_hi", NULLOK, &s->range_hi));
	TRY(get_line(c, o, "range_line", &s->range_line));
	TRY(get_ip4(c, o, "router", NULLOK, &s->router));
	TRY(get_line(c, o, "router_line", &s->router_line));
	if (field(c, o, "dns", 0, &dns) > 0) {
		if (!json_is_array(dns))
			return wrong_type(c, "dns", "an array", dns);
		if (json_array_size(dns) > sizeof(s->dns) / sizeof(s->dns[0]))
			return fail(c, "dns", "more than %zu servers",
				    sizeof(s->dns) / sizeof(s->dns[0]));
		mark = path_key(c, "dns");
		at = c->plen;
		json_array_foreach(dns, i, e)
		{
			char buf[SHOW_MAX * 4 + 8];

			path_index(c, i);
			if (!json_is_string(e))
				return wrong_type(c, NULL, "a string", e);
			if (vd_ip_parse(json_string_value(e), &s->dns[i]) < 0 ||
			    s->dns[i].family != VD_AF_INET)
				return fail(c, NULL,
					    "not an IPv4 address: \"%s\"",
					    shown(e, buf, sizeof(buf)));
			path_pop(c, at);
		}
		path_pop(c, mark);
		s->n_dns = (uint8_t)json_array_size(dns);
	}
	TRY(get_line(c, o, "dns_line", &s->dns_line));
	return get_src(c, o, &s->src);
}

static int parse_dhcp_host(struct pctx *c, json_t *o)
{
	struct vd_dhcp_host *h = VD_PUSH(&c->f->vmware, dhcp_hosts);

	if (!h)
		return oom(c);
	TRY(get_vnet(c, o, "vnet", &h->vnet));
	TRY(get_strbuf(c, o, "name", NULLOK, h->name, sizeof(h->name)));
	TRY(get_mac6(c, o, "mac", &h->has_mac, h->mac));
	TRY(get_ip4(c, o, "ip", NULLOK, &h->ip));
	return get_src(c, o, &h->src);
}

static int parse_lease(struct pctx *c, json_t *o)
{
	struct vd_lease *l = VD_PUSH(&c->f->vmware, leases);
	long long x;

	if (!l)
		return oom(c);
	TRY(get_vnet(c, o, "vnet", &l->vnet));
	TRY(get_ip4(c, o, "ip", NULLOK, &l->ip));
	TRY(get_mac6(c, o, "mac", &l->has_mac, l->mac));
	TRY(get_strbuf(c, o, "hostname", NULLOK, l->hostname,
		       sizeof(l->hostname)));
	TRY(get_int(c, o, "starts", NULLOK, LLONG_MIN, LLONG_MAX, 0, &x));
	l->starts = x;
	TRY(get_int(c, o, "ends", NULLOK, LLONG_MIN, LLONG_MAX, 0, &x));
	l->ends = x;
	return get_src(c, o, &l->src);
}

static int parse_vm_nic(struct pctx *c, json_t *o)
{
	struct vd_vm *vm = &c->f->vmware.vms[c->f->vmware.n_vms - 1];
	struct vd_vm_nic *n = VD_PUSH(vm, nics);
	long long x;

	if (!n)
		return oom(c);
	TRY(get_int(c, o, "index", REQ, 0, VMW_NIC_INDEX, 0, &x));
	n->index = (int)x;
	TRY(get_tri(c, o, "present", &n->present));
	TRY(get_tri(c, o, "start_connected", &n->start_connected));
	TRY(get_strbuf(c, o, "connection_type", NULLOK, n->conn,
		       sizeof(n->conn)));
	TRY(get_strbuf(c, o, "vnet", NULLOK, n->vnet, sizeof(n->vnet)));
	TRY(get_strbuf(c, o, "network_name", NULLOK, n->network_name,
		       sizeof(n->network_name)));
	TRY(get_strbuf(c, o, "virtual_dev", NULLOK, n->virtual_dev,
		       sizeof(n->virtual_dev)));
	TRY(get_strbuf(c, o, "address_type", NULLOK, n->address_type,
		       sizeof(n->address_type)));
	TRY(get_strbuf(c, o, "mac_text", NULLOK, n->mac_text,
		       sizeof(n->mac_text)));
	TRY(get_mac6(c, o, "mac", &n->has_mac, n->mac));
	return get_line(c, o, "line", &n->line);
}

static int parse_vm(struct pctx *c, json_t *o)
{
	struct vd_vm *vm = VD_PUSH(&c->f->vmware, vms);

	if (!vm)
		return oom(c);
	TRY(get_file(c, o, &vm->file));
	TRY(get_strbuf(c, o, "name", NULLOK, vm->name, sizeof(vm->name)));
	TRY(get_strbuf(c, o, "guest_os", NULLOK, vm->guest_os,
		       sizeof(vm->guest_os)));
	TRY(get_tri(c, o, "running", &vm->running));
	return parse_sized(c, o, "nics", VMW_NICS_MAX, parse_vm_nic);
}

static int parse_netmap(struct pctx *c, json_t *o)
{
	struct vd_netmap *n = VD_PUSH(&c->f->vmware, netmap);
	long long x;

	if (!n)
		return oom(c);
	TRY(get_int(c, o, "index", REQ, 0, INT_MAX, 0, &x));
	n->index = (int)x;
	TRY(get_strbuf(c, o, "name", NULLOK, n->name, sizeof(n->name)));
	TRY(get_strbuf(c, o, "device", NULLOK, n->device, sizeof(n->device)));
	return get_src(c, o, &n->src);
}

static int parse_log_hit(struct pctx *c, json_t *o)
{
	struct vd_log_hit *h = VD_PUSH(&c->f->vmware, log_hits);
	json_t *v;

	if (!h)
		return oom(c);
	TRY(get_strbuf(c, o, "kind", REQ, h->kind, sizeof(h->kind)));
	if (field(c, o, "text", NULLOK, &v) > 0 && json_is_string(v) &&
	    json_string_length(v) > VMW_TEXT_MAX)
		return fail(c, "text", "longer than %d bytes", VMW_TEXT_MAX);
	TRY(get_strdup(c, o, "text", NULLOK, &h->text));
	return get_src(c, o, &h->src);
}

static int parse_modfile(struct pctx *c, json_t *o)
{
	struct vd_modfile *m = VD_PUSH(&c->f->vmware, module_files);

	if (!m)
		return oom(c);
	TRY(get_strbuf(c, o, "kernel", REQ, m->kernel, sizeof(m->kernel)));
	return get_strbuf(c, o, "name", REQ, m->name, sizeof(m->name));
}

static int parse_kv(struct pctx *c, json_t *o)
{
	struct vd_vmware *vm = &c->f->vmware;
	char *section = NULL, *key = NULL, *value = NULL;
	struct vd_src src;
	int rc;

	rc = get_strdup(c, o, "section", NULLOK, &section);
	if (!rc)
		rc = get_strdup(c, o, "key", REQ, &key);
	if (!rc)
		rc = get_strdup(c, o, "value", NULLOK, &value);
	if (!rc)
		rc = get_src(c, o, &src);
	if (!rc && vd_vmware_kv_add(vm, section, key, value, src) < 0)
		rc = oom(c);
	free(section);
	free(key);
	free(value);
	return rc;
}

/* The strings of vmware.files, each once. */
static int parse_vmware_files(struct pctx *c, json_t *o)
{
	struct vd_vmware *vm = &c->f->vmware;
	json_t *files;
	size_t n, i, mark;

	TRY(string_array(c, o, "files", &files, &n));
	if (n > VMW_FILES_MAX)
		return fail(c, "files", "more than %zu items", VMW_FILES_MAX);
	mark = path_key(c, "files");
	for (i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(files, i));
		size_t at = path_index(c, i);
		int rc = vd_vmware_file(vm, s);

		if (rc < 0)
			return oom(c);
		if ((size_t)rc != i)
			return fail(c, NULL, "the same path as files[%d]", rc);
		path_pop(c, at);
	}
	path_pop(c, mark);
	return 0;
}

static int parse_vmware(struct pctx *c, json_t *root)
{
	struct vd_vmware *vm = &c->f->vmware;
	json_t *o;
	size_t mark;
	int rc = field(c, root, "vmware", NULLOK, &o);

	if (rc <= 0)
		return rc;
	if (!json_is_object(o))
		return wrong_type(c, "vmware", "an object or null", o);
	mark = path_key(c, "vmware");
	/* 0.2 wrote the object only when the networking file was read. */
	TRY(get_tri(c, o, "present", &vm->present));
	if (!json_object_get(o, "present"))
		vm->present = VD_YES;
	TRY(get_strdup(c, o, "networking_file", NULLOK, &vm->networking_file));
	TRY(get_strbuf(c, o, "product_version", NULLOK, vm->product_version,
		       sizeof(vm->product_version)));
	TRY(parse_vmware_files(c, o));
	TRY(parse_sized(c, o, "vnets", VD_VNET_MAX + 1, parse_vnet));
	TRY(parse_sized(c, o, "portfwds", VMW_ITEMS_MAX, parse_portfwd));
	TRY(parse_sized(c, o, "nats", VMW_ITEMS_MAX, parse_nat));
	TRY(parse_sized(c, o, "dhcp_subnets", VMW_ITEMS_MAX,
			parse_dhcp_subnet));
	TRY(parse_sized(c, o, "dhcp_hosts", VMW_ITEMS_MAX, parse_dhcp_host));
	TRY(parse_sized(c, o, "leases", VMW_ITEMS_MAX, parse_lease));
	TRY(parse_sized(c, o, "vms", VMW_ITEMS_MAX, parse_vm));
	TRY(parse_sized(c, o, "netmap", VMW_ITEMS_MAX, parse_netmap));
	TRY(parse_sized(c, o, "log_hits", VMW_ITEMS_MAX, parse_log_hit));
	TRY(get_tri(c, o, "module_files_known", &vm->module_files_known));
	TRY(parse_sized(c, o, "module_files", VMW_ITEMS_MAX, parse_modfile));
	TRY(parse_sized(c, o, "kvs", VMW_ITEMS_MAX, parse_kv));
	path_pop(c, mark);
	return 0;
}

/* Like modules: null or absent means the list is unknown (sock_diag was
 * not usable, or the facts came from a probe alone). */
static int parse_sockets(struct pctx *c, json_t *root)
{
	json_t *a;
	int rc = field(c, root, "sockets", NULLOK, &a);

	if (rc <= 0)
		return rc;
	if (!json_is_array(a))
		return wrong_type(c, "sockets", "an array or null", a);
	c->f->sockets_known = VD_YES;
	return parse_objects(c, "sockets", a, parse_socket);
}

static int parse_modules(struct pctx *c, json_t *root)
{
	json_t *a;
	int rc = field(c, root, "modules", NULLOK, &a);

	if (rc <= 0)
		return rc;
	if (!json_is_array(a))
		return wrong_type(c, "modules", "an array or null", a);
	c->f->modules_known = VD_YES;
	return parse_objects(c, "modules", a, parse_module);
}

/* 0 for our schema, else -EPROTO or -ENOTSUP with the reason. */
static int check_schema(struct pctx *c, json_t *root)
{
	char buf[SHOW_MAX * 4 + 8];
	json_t *v = json_object_get(root, "schema");
	const char *s, *num;
	size_t len, plen = strlen(SCHEMA_PREFIX);

	if (!json_is_string(v)) {
		seterr(c, "not a vnetdiag snapshot (no \"schema\" key)");
		return -EPROTO;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (strcmp(s, VD_SNAPSHOT_SCHEMA) == 0)
		return 0;
	num = s + plen;
	if (len > plen && strncmp(s, SCHEMA_PREFIX, plen) == 0 &&
	    num[0] >= '1' && num[0] <= '9' &&
	    strspn(num, "0123456789") == len - plen) {
		/* Digits only, no leading zero, and not "1": a later major. */
		seterr(c,
		       "schema '%s' is newer than this vnetdiag reads (%s); "
		       "upgrade vnetdiag",
		       printable(s, len, SHOW_MAX, false, buf, sizeof(buf)),
		       VD_SNAPSHOT_SCHEMA);
		return -ENOTSUP;
	}
	seterr(c, "unknown schema '%s'",
	       printable(s, len, SHOW_MAX, false, buf, sizeof(buf)));
	return -ENOTSUP;
}

static int parse_probes(struct pctx *c, json_t *root)
{
	int rc = vd_probes_from_json(json_object_get(root, "probes"),
				     &c->f->probes, c->err, c->errlen);

	return rc;
}

static int parse_firewall(struct pctx *c, json_t *root)
{
	struct vd_fwsrc *fw = &c->f->firewall;
	json_t *o;
	size_t mark;
	int rc = field(c, root, "firewall", NULLOK, &o);

	if (rc <= 0)
		return rc;
	if (!json_is_object(o))
		return wrong_type(c, "firewall", "an object or null", o);
	fw->known = VD_YES;
	mark = path_key(c, "firewall");
	TRY(get_strdup(c, o, "nft_json", NULLOK, &fw->nft_json));
	TRY(get_strdup(c, o, "iptables_save", NULLOK, &fw->iptables_save));
	TRY(get_strdup(c, o, "ip6tables_save", NULLOK, &fw->ip6tables_save));
	TRY(get_strdup(c, o, "error", NULLOK, &fw->error));
	path_pop(c, mark);
	return 0;
}

static int parse_root(struct pctx *c, json_t *root)
{
	TRY(parse_tool(c, root));
	TRY(get_strbuf(c, root, "collected_at", NULLOK, c->f->collected_at,
		       sizeof(c->f->collected_at)));
	TRY(get_strdup(c, root, "sysroot", NULLOK, &c->f->sysroot));
	TRY(parse_host(c, root));
	TRY(parse_array(c, root, "links", parse_link));
	TRY(parse_array(c, root, "addresses", parse_addr));
	TRY(parse_array(c, root, "routes", parse_route));
	TRY(parse_array(c, root, "rules", parse_rule));
	TRY(parse_array(c, root, "neighbours", parse_neigh));
	TRY(parse_sockets(c, root));
	TRY(parse_array(c, root, "processes", parse_proc));
	TRY(parse_modules(c, root));
	TRY(parse_sysctl(c, root));
	TRY(parse_resolv(c, root));
	TRY(parse_vmware(c, root));
	TRY(vd_security_from_json(json_object_get(root, "security"),
				  &c->f->security, c->err, c->errlen));
	TRY(parse_firewall(c, root));
	TRY(parse_probes(c, root));
	TRY(vd_services_from_json(json_object_get(root, "services"),
				  &c->f->services, c->err, c->errlen));
	return 0;
}

int vd_snapshot_parse(const uint8_t *buf, size_t len, struct vd_facts **out,
		      char *err, size_t errlen)
{
	struct pctx c = { .err = err, .errlen = errlen };
	char text[JSON_ERROR_TEXT_LENGTH * 4 + 8];
	json_error_t jerr;
	json_t *root = NULL;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (len > SNAPSHOT_MAX) {
		seterr(&c, "snapshot too large (%zu bytes, the limit is %zu)",
		       len, SNAPSHOT_MAX);
		return -EFBIG;
	}
	root = json_loadb(len ? (const char *)buf : "", len,
			  JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			return oom(&c);
		seterr(&c, "not JSON: %s (line %d, column %d)",
		       printable(jerr.text,
				 strnlen(jerr.text, sizeof(jerr.text)),
				 sizeof(jerr.text), false, text, sizeof(text)),
		       jerr.line, jerr.column);
		return -EPROTO;
	}
	if (!json_is_object(root)) {
		seterr(&c,
		       "not a vnetdiag snapshot (expected an object, got %s)",
		       type_name(root));
		rc = -EPROTO;
		goto out;
	}
	rc = check_schema(&c, root);
	if (rc < 0)
		goto out;
	c.f = vd_facts_new();
	if (!c.f) {
		rc = oom(&c);
		goto out;
	}
	rc = parse_root(&c, root);
	if (rc < 0)
		goto out;
	vd_facts_sort(c.f);
	*out = c.f;
	c.f = NULL;
out:
	vd_facts_free(c.f);
	json_decref(root);
	return rc;
}
