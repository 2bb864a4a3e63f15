/* SPDX-License-Identifier: MIT */
/*
 * `nft -j list ruleset` (libnftables-json(5), schema version 1) into the
 * firewall model:
 *
 *	{"nftables": [{"metainfo": {...}}, {"table": {...}},
 *	  {"set": {...}}, {"chain": {...}}, {"rule": {...}}, ...]}
 *
 * Objects the model does not need (maps, flowtables, counters, quotas,
 * ct helpers) are skipped.  A rule's match the model does not know is kept
 * as VD_FWM_UNSUPPORTED with its text; a statement that may stop a rule
 * from acting (limit, quota, meter, an xt match) is kept the same way.
 * All or nothing: on any error the reason names the array index and what
 * was wrong, and no ruleset is returned.
 */
#include "collect/firewall/fwparse.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/facts.h"
#include "util/ip.h"
#include "util/strbuf.h"

struct ctx {
	struct vd_fw_ruleset *rs;
	size_t index; /* of the object in the nftables array */
	const char *what;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct ctx *c,
						      const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "nftables[%zu] (%s): %s", c->index, c->what,
		 msg);
	return -EINVAL;
}

static int copy_name(struct ctx *c, char *dst, const json_t *obj,
		     const char *key)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;

	if (!json_is_string(v))
		return fail(c, "\"%s\" is missing or not a string", key);
	s = json_string_value(v);
	if (strlen(s) >= VD_FW_NAME_MAX || !*s)
		return fail(c, "\"%s\" is empty or too long", key);
	strcpy(dst, s);
	return 0;
}

static int parse_family(struct ctx *c, const json_t *obj, uint8_t *out)
{
	const json_t *v = json_object_get(obj, "family");
	static const char *const names[] = { "ip",  "ip6",    "inet",
					     "arp", "bridge", "netdev" };

	if (!json_is_string(v))
		return fail(c, "\"family\" is missing or not a string");
	for (uint8_t i = 0; i < 6; i++)
		if (!strcmp(json_string_value(v), names[i])) {
			*out = i;
			return 0;
		}
	return fail(c, "unknown family \"%s\"", json_string_value(v));
}

/* The table an object names, created when the ruleset had not listed it. */
static int find_table(struct ctx *c, const json_t *obj, const char *key,
		      struct vd_fw_table **out)
{
	char name[VD_FW_NAME_MAX];
	uint8_t family = 0;
	struct vd_fw_table *t;
	int rc;

	if ((rc = parse_family(c, obj, &family)) < 0 ||
	    (rc = copy_name(c, name, obj, key)) < 0)
		return rc;
	t = vd_fw_table_find(c->rs, family, name);
	if (!t) {
		t = VD_PUSH(c->rs, tables);
		if (!t)
			return -ENOMEM;
		t->family = family;
		strcpy(t->name, name);
	}
	*out = t;
	return 0;
}

static int do_table(struct ctx *c, const json_t *obj)
{
	struct vd_fw_table *t;

	return find_table(c, obj, "name", &t);
}

static const struct {
	const char *name;
	int prio;
} prio_names[] = {
	{ "raw", -300 }, { "mangle", -150 }, { "dstnat", -100 },
	{ "filter", 0 }, { "security", 50 }, { "srcnat", 100 },
	{ "out", 100 },
};

static int parse_prio(struct ctx *c, const json_t *v, int *out)
{
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);

		if (n < -100000 || n > 100000)
			return fail(c, "\"prio\" %lld is out of range",
				    (long long)n);
		*out = (int)n;
		return 0;
	}
	if (json_is_string(v))
		for (size_t i = 0;
		     i < sizeof(prio_names) / sizeof(prio_names[0]); i++)
			if (!strcmp(json_string_value(v), prio_names[i].name)) {
				*out = prio_names[i].prio;
				return 0;
			}
	return fail(c, "\"prio\" is not a number");
}

static int do_chain(struct ctx *c, const json_t *obj)
{
	static const char *const hooks[] = {
		"",	  "prerouting",	 "input",   "forward",
		"output", "postrouting", "ingress", "egress",
	};
	struct vd_fw_table *t;
	struct vd_fw_chain *ch;
	char name[VD_FW_NAME_MAX];
	const json_t *v;
	int rc;

	if ((rc = find_table(c, obj, "table", &t)) < 0 ||
	    (rc = copy_name(c, name, obj, "name")) < 0)
		return rc;
	ch = vd_fw_chain_find(t, name);
	if (!ch) {
		ch = VD_PUSH(t, chains);
		if (!ch)
			return -ENOMEM;
		strcpy(ch->name, name);
	}
	ch->policy = VD_FWV_ACCEPT;
	v = json_object_get(obj, "hook");
	if (!v)
		return 0;
	if (!json_is_string(v))
		return fail(c, "\"hook\" is not a string");
	for (uint8_t i = 1; i < 8; i++)
		if (!strcmp(json_string_value(v), hooks[i]))
			ch->hook = i;
	if (!ch->hook)
		return fail(c, "unknown hook \"%s\"", json_string_value(v));
	v = json_object_get(obj, "type");
	if (json_is_string(v) && !strcmp(json_string_value(v), "nat"))
		ch->type = VD_FW_TYPE_NAT;
	else if (json_is_string(v) && !strcmp(json_string_value(v), "route"))
		ch->type = VD_FW_TYPE_ROUTE;
	else if (v && !(json_is_string(v) &&
			!strcmp(json_string_value(v), "filter")))
		return fail(c, "\"type\" is not filter, nat or route");
	if ((v = json_object_get(obj, "prio")) &&
	    (rc = parse_prio(c, v, &ch->priority)) < 0)
		return rc;
	v = json_object_get(obj, "policy");
	if (json_is_string(v) && !strcmp(json_string_value(v), "drop"))
		ch->policy = VD_FWV_DROP;
	else if (v && !(json_is_string(v) &&
			!strcmp(json_string_value(v), "accept")))
		return fail(c, "\"policy\" is not accept or drop");
	return 0;
}

/* ---------------------------------------------------------------- */
/* Values: what a match compares with, what a set holds. */

enum vkind { V_ADDR, V_NUM, V_NAME, V_PROTO, V_CT, V_NFPROTO, V_CTSTATUS };

static int parse_scalar(struct ctx *c, enum vkind kind, const json_t *v,
			uint32_t *n, struct vd_ip *ip, const char **name)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;

	switch (kind) {
	case V_ADDR:
		if (!s || vd_ip_parse(s, ip) < 0) {
			char *t = json_dumps(v, JSON_ENCODE_ANY);
			int rc = fail(c, "%.40s is not an IP address",
				      t ? t : "?");

			free(t);
			return rc;
		}
		return 0;
	case V_NAME:
		if (!s)
			return fail(c, "an interface name is not a string");
		if (strlen(s) >= VD_IFNAME_MAX)
			return fail(c, "interface name \"%.20s...\" too long",
				    s);
		*name = s;
		return 0;
	case V_NUM:
		if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		    json_integer_value(v) <= 65535) {
			*n = (uint32_t)json_integer_value(v);
			return 0;
		}
		if (s) {
			/* A service name: nft prints numbers unless -S. */
			static const struct {
				const char *n;
				uint32_t p;
			} svc[] = { { "ssh", 22 },    { "http", 80 },
				    { "https", 443 }, { "domain", 53 },
				    { "bootps", 67 }, { "bootpc", 68 } };

			for (size_t i = 0; i < sizeof(svc) / sizeof(svc[0]);
			     i++)
				if (!strcmp(s, svc[i].n)) {
					*n = svc[i].p;
					return 0;
				}
		}
		return 1; /* not understood: the match is unsupported */
	case V_PROTO: {
		int p = s ? vd_fw_proto_number(s)
			: json_is_integer(v) && json_integer_value(v) >= 0 &&
					json_integer_value(v) <= 255
				? (int)json_integer_value(v)
				: -1;

		if (p < 0)
			return 1;
		*n = (uint32_t)p;
		return 0;
	}
	case V_CT:
		*n = s ? vd_fw_ct_bit(s) : 0;
		return *n ? 0 : 1;
	case V_CTSTATUS:
		*n = s ? vd_fw_ct_status_bit(s) : 0;
		return *n ? 0 : 1;
	case V_NFPROTO:
		if (s && !strcmp(s, "ipv4"))
			*n = 4;
		else if (s && !strcmp(s, "ipv6"))
			*n = 6;
		else
			return 1;
		return 0;
	}
	return 1;
}

/*
 * One element (a scalar, a prefix, a range, an {"elem": {"val": ...}}
 * wrapper) appended to *arr.  1: a value the model cannot hold.
 */
static int add_elem(struct ctx *c, enum vkind kind, const json_t *v,
		    struct vd_fw_elem **arr, size_t *n, size_t *cap)
{
	struct vd_fw_elem e = { 0 }, *slot;
	const json_t *x;
	int rc;

	if ((x = json_object_get(v, "elem")))
		return add_elem(c, kind, json_object_get(x, "val"), arr, n,
				cap);
	if ((x = json_object_get(v, "prefix"))) {
		const json_t *len = json_object_get(x, "len");
		struct vd_ip ip;

		if (kind != V_ADDR)
			return 1;
		if ((rc = parse_scalar(c, kind, json_object_get(x, "addr"),
				       NULL, &ip, NULL)) != 0)
			return rc;
		if (!json_is_integer(len) || json_integer_value(len) < 0 ||
		    json_integer_value(len) > (json_int_t)vd_ip_bits(&ip))
			return fail(c, "a prefix length is not 0..%u",
				    vd_ip_bits(&ip));
		vd_fw_elem_prefix(&e, &ip, (unsigned)json_integer_value(len));
	} else if ((x = json_object_get(v, "range"))) {
		const char *dummy;

		if (!json_is_array(x) || json_array_size(x) != 2)
			return fail(c, "a range is not [low, high]");
		if (kind == V_NAME || kind == V_CT || kind == V_CTSTATUS)
			return 1;
		if ((rc = parse_scalar(c, kind, json_array_get(x, 0), &e.nlo,
				       &e.lo, &dummy)) != 0 ||
		    (rc = parse_scalar(c, kind, json_array_get(x, 1), &e.nhi,
				       &e.hi, &dummy)) != 0)
			return rc;
		if (kind == V_ADDR && e.lo.family != e.hi.family)
			return fail(c, "a range mixes IPv4 and IPv6");
	} else if (json_is_string(v) || json_is_integer(v)) {
		const char *name = NULL;

		if ((rc = parse_scalar(c, kind, v, &e.nlo, &e.lo, &name)) != 0)
			return rc;
		e.nhi = e.nlo;
		e.hi = e.lo;
		if (name) {
			size_t len = strlen(name);

			e.wildcard = len > 0 && name[len - 1] == '*' &&
				     (len < 2 || name[len - 2] != '\\');
			memcpy(e.name, name, len - e.wildcard);
		}
	} else {
		return 1;
	}
	slot = vd_array_push((void **)arr, n, cap, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	*slot = e;
	return 0;
}

static int add_elems(struct ctx *c, enum vkind kind, const json_t *v,
		     struct vd_fw_elem **arr, size_t *n, size_t *cap)
{
	const json_t *set = json_object_get(v, "set");
	const json_t *item;
	size_t i;
	int rc;

	if (!set)
		return add_elem(c, kind, v, arr, n, cap);
	if (json_is_array(set)) {
		json_array_foreach(
			set, i, item) if ((rc = add_elem(c, kind, item, arr, n,
							 cap)) != 0) return rc;
		return 0;
	}
	return add_elem(c, kind, set, arr, n, cap);
}

static int do_set(struct ctx *c, const json_t *obj)
{
	static const struct {
		const char *type;
		uint8_t kind;
	} types[] = {
		{ "ipv4_addr", VD_FWS_IPV4 },	 { "ipv6_addr", VD_FWS_IPV6 },
		{ "inet_service", VD_FWS_PORT }, { "inet_proto", VD_FWS_PROTO },
		{ "ifname", VD_FWS_IFNAME },
	};
	static const enum vkind vkinds[] = { V_NUM, V_ADDR,  V_ADDR,
					     V_NUM, V_PROTO, V_NAME };
	struct vd_fw_table *t;
	struct vd_fw_set *set;
	const json_t *type = json_object_get(obj, "type");
	const json_t *elem = json_object_get(obj, "elem"), *item;
	size_t i;
	int rc;

	if ((rc = find_table(c, obj, "table", &t)) < 0)
		return rc;
	set = VD_PUSH(t, sets);
	if (!set)
		return -ENOMEM;
	if ((rc = copy_name(c, set->name, obj, "name")) < 0)
		return rc;
	if (json_is_string(type)) {
		snprintf(set->type, sizeof(set->type), "%s",
			 json_string_value(type));
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcmp(set->type, types[i].type))
				set->kind = types[i].kind;
	} else if (json_is_array(type)) {
		snprintf(set->type, sizeof(set->type), "concatenation");
	} else {
		return fail(c, "set \"%s\": \"type\" is missing", set->name);
	}
	if (!elem || set->kind == VD_FWS_OTHER)
		return 0;
	if (!json_is_array(elem))
		return fail(c, "set \"%s\": \"elem\" is not an array",
			    set->name);
	json_array_foreach(elem, i, item)
	{
		rc = add_elem(c, vkinds[set->kind], item, &set->elems,
			      &set->n_elems, &set->cap_elems);
		if (rc == 1)
			return fail(c, "set \"%s\": element %zu is not a %s",
				    set->name, i, set->type);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* Rule text, in nft's own syntax as far as it matters for evidence. */

static void put_value(struct vd_strbuf *sb, const json_t *v, bool quote)
{
	const json_t *x;
	size_t i;

	if (json_is_string(v)) {
		vd_sb_printf(sb, quote ? "\"%s\"" : "%s", json_string_value(v));
	} else if (json_is_integer(v)) {
		vd_sb_printf(sb, "%lld", (long long)json_integer_value(v));
	} else if (json_is_array(v)) {
		vd_sb_puts(sb, "{ ");
		json_array_foreach(v, i, x)
		{
			if (i)
				vd_sb_puts(sb, ", ");
			put_value(sb, x, quote);
		}
		vd_sb_puts(sb, " }");
	} else if ((x = json_object_get(v, "set"))) {
		if (json_is_array(x))
			put_value(sb, x, quote);
		else
			put_value(sb, x, quote);
	} else if ((x = json_object_get(v, "prefix"))) {
		put_value(sb, json_object_get(x, "addr"), false);
		vd_sb_puts(sb, "/");
		put_value(sb, json_object_get(x, "len"), false);
	} else if ((x = json_object_get(v, "range")) && json_is_array(x)) {
		put_value(sb, json_array_get(x, 0), quote);
		vd_sb_puts(sb, "-");
		put_value(sb, json_array_get(x, 1), quote);
	} else if ((x = json_object_get(v, "elem"))) {
		put_value(sb, json_object_get(x, "val"), quote);
	} else if ((x = json_object_get(v, "meta")) ||
		   (x = json_object_get(v, "ct"))) {
		const char *key = json_string_value(json_object_get(x, "key"));

		if (json_object_get(v, "ct"))
			vd_sb_puts(sb, "ct ");
		else if (!key ||
			 (strcmp(key, "iifname") && strcmp(key, "oifname") &&
			  strcmp(key, "iif") && strcmp(key, "oif")))
			vd_sb_puts(sb, "meta ");
		vd_sb_puts(sb, key ? key : "?");
	} else if ((x = json_object_get(v, "payload"))) {
		const char *p =
			json_string_value(json_object_get(x, "protocol"));
		const char *f = json_string_value(json_object_get(x, "field"));

		if (p && f)
			vd_sb_printf(sb, "%s %s", p, f);
		else
			vd_sb_puts(sb, "@payload");
	} else if ((x = json_object_get(v, "fib"))) {
		vd_sb_puts(sb, "fib ");
		put_value(sb, json_object_get(x, "flags"), false);
		vd_sb_puts(sb, " ");
		put_value(sb, json_object_get(x, "result"), false);
	} else if (json_is_object(v) && json_object_size(v) == 1) {
		vd_sb_puts(sb,
			   json_object_iter_key(json_object_iter((json_t *)v)));
	} else {
		vd_sb_puts(sb, "?");
	}
}

static bool is_ifname_left(const json_t *left)
{
	const json_t *m = json_object_get(left, "meta");
	const char *key = json_string_value(json_object_get(m, "key"));

	return key && (!strcmp(key, "iifname") || !strcmp(key, "oifname") ||
		       !strcmp(key, "iif") || !strcmp(key, "oif"));
}

static void put_match(struct vd_strbuf *sb, const json_t *m)
{
	const char *op = json_string_value(json_object_get(m, "op"));
	const json_t *left = json_object_get(m, "left");

	put_value(sb, left, false);
	if (op && strcmp(op, "==") && strcmp(op, "in"))
		vd_sb_printf(sb, " %s", op);
	vd_sb_puts(sb, " ");
	put_value(sb, json_object_get(m, "right"), is_ifname_left(left));
}

static const char *str_or(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "?";
}

static void put_stmt(struct vd_strbuf *sb, const char *key, const json_t *v)
{
	const char *s;

	if (!strcmp(key, "match")) {
		put_match(sb, v);
	} else if (!strcmp(key, "jump") || !strcmp(key, "goto")) {
		vd_sb_printf(sb, "%s %s", key, str_or(v, "target"));
	} else if (!strcmp(key, "log") &&
		   (s = json_string_value(json_object_get(v, "prefix")))) {
		vd_sb_printf(sb, "log prefix \"%s\"", s);
	} else if (!strcmp(key, "reject") &&
		   (s = json_string_value(json_object_get(v, "type")))) {
		vd_sb_printf(sb, "reject with %s", s);
		if ((s = json_string_value(json_object_get(v, "expr"))))
			vd_sb_printf(sb, " %s", s);
	} else if (!strcmp(key, "xt")) {
		vd_sb_printf(sb, "xt %s \"%s\"", str_or(v, "type"),
			     str_or(v, "name"));
	} else {
		vd_sb_puts(sb, key);
	}
}

/* ---------------------------------------------------------------- */
/* Matches. */

static struct vd_fw_match *push_match(struct vd_fw_rule *r, uint8_t key)
{
	struct vd_fw_match *m = VD_PUSH(r, matches);

	if (m)
		m->key = key;
	return m;
}

static int unsupported(struct vd_fw_rule *r, const char *key, const json_t *v)
{
	struct vd_fw_match *m = push_match(r, VD_FWM_UNSUPPORTED);
	struct vd_strbuf sb = { 0 };

	if (!m)
		return -ENOMEM;
	put_stmt(&sb, key, v);
	m->text = vd_sb_take(&sb);
	return m->text ? 0 : -ENOMEM;
}

static int l4_number(const char *proto)
{
	if (!strcmp(proto, "th"))
		return 0;
	return vd_fw_proto_number(proto);
}

/* What the left side of a match is, for the model. */
static int classify(const json_t *left, uint8_t *key, uint8_t *family,
		    uint8_t *proto, enum vkind *kind)
{
	const json_t *x;
	const char *k, *p;

	*family = *proto = 0;
	if ((x = json_object_get(left, "meta"))) {
		k = json_string_value(json_object_get(x, "key"));
		if (!k)
			return 1;
		*kind = V_NAME;
		if (!strcmp(k, "iifname") || !strcmp(k, "iif"))
			*key = VD_FWM_IIFNAME;
		else if (!strcmp(k, "oifname") || !strcmp(k, "oif"))
			*key = VD_FWM_OIFNAME;
		else if (!strcmp(k, "l4proto") && (*kind = V_PROTO))
			*key = VD_FWM_L4PROTO;
		else if (!strcmp(k, "nfproto") && (*kind = V_NFPROTO))
			*key = VD_FWM_NFPROTO;
		else
			return 1;
		return 0;
	}
	if ((x = json_object_get(left, "ct"))) {
		k = json_string_value(json_object_get(x, "key"));
		if (!k || json_object_get(x, "dir"))
			return 1;
		if (!strcmp(k, "state")) {
			*key = VD_FWM_CTSTATE;
			*kind = V_CT;
		} else if (!strcmp(k, "status")) {
			*key = VD_FWM_CTSTATUS;
			*kind = V_CTSTATUS;
		} else {
			return 1;
		}
		return 0;
	}
	if ((x = json_object_get(left, "fib"))) {
		const json_t *flags = json_object_get(x, "flags");
		const char *res =
			json_string_value(json_object_get(x, "result"));

		if (!res || strcmp(res, "type") || !json_is_array(flags) ||
		    json_array_size(flags) != 1 ||
		    !json_is_string(json_array_get(flags, 0)) ||
		    strcmp(json_string_value(json_array_get(flags, 0)),
			   "daddr"))
			return 1;
		*key = VD_FWM_FIB_DADDR_TYPE;
		*kind = V_NAME;
		return 0;
	}
	x = json_object_get(left, "payload");
	p = json_string_value(json_object_get(x, "protocol"));
	k = json_string_value(json_object_get(x, "field"));
	if (!p || !k)
		return 1;
	if (!strcmp(p, "ip") || !strcmp(p, "ip6")) {
		*family = p[2] ? VD_AF_INET6 : VD_AF_INET;
		*kind = V_ADDR;
		if (!strcmp(k, "saddr"))
			*key = VD_FWM_SADDR;
		else if (!strcmp(k, "daddr"))
			*key = VD_FWM_DADDR;
		else if ((!strcmp(k, "protocol") || !strcmp(k, "nexthdr")) &&
			 (*kind = V_PROTO))
			*key = VD_FWM_L4PROTO;
		else
			return 1;
		return 0;
	}
	if (l4_number(p) < 0 || (strcmp(k, "sport") && strcmp(k, "dport")))
		return 1;
	*proto = (uint8_t)l4_number(p);
	*key = k[0] == 's' ? VD_FWM_SPORT : VD_FWM_DPORT;
	*kind = V_NUM;
	return 0;
}

/* Ports compared with < > <= >= become one range. */
static int order_range(const char *op, uint32_t v, uint32_t *lo, uint32_t *hi)
{
	*lo = 0;
	*hi = 65535;
	if (!strcmp(op, "<") && v > 0)
		*hi = v - 1;
	else if (!strcmp(op, "<="))
		*hi = v;
	else if (!strcmp(op, ">") && v < 65535)
		*lo = v + 1;
	else if (!strcmp(op, ">="))
		*lo = v;
	else
		return 1;
	return 0;
}

static int do_match(struct ctx *c, struct vd_fw_rule *r, const json_t *m)
{
	const json_t *left = json_object_get(m, "left");
	const json_t *right = json_object_get(m, "right");
	const char *op = json_string_value(json_object_get(m, "op"));
	struct vd_fw_match *mm;
	enum vkind kind;
	uint8_t key, family, proto;
	bool ordered;
	int rc;

	if (!op || !left || !right)
		return fail(c, "rule %llu: a match lacks op, left or right",
			    (unsigned long long)r->handle);
	ordered = strchr("<>", op[0]) != NULL;
	if (classify(left, &key, &family, &proto, &kind) ||
	    (strcmp(op, "==") && strcmp(op, "!=") && strcmp(op, "in") &&
	     !(ordered && kind == V_NUM)))
		return unsupported(r, "match", m);
	mm = push_match(r, key);
	if (!mm)
		return -ENOMEM;
	mm->family = family;
	mm->proto = proto;
	mm->neg = !strcmp(op, "!=");
	if (json_is_string(right) && json_string_value(right)[0] == '@') {
		const char *set = json_string_value(right) + 1;

		if (strlen(set) >= VD_FW_NAME_MAX)
			return fail(c, "rule %llu: set name too long",
				    (unsigned long long)r->handle);
		strcpy(mm->set, set);
		return 0;
	}
	if (ordered) {
		struct vd_fw_elem *e;
		uint32_t v;

		if (parse_scalar(c, V_NUM, right, &v, NULL, NULL) ||
		    !(e = VD_PUSH(mm, elems)) ||
		    order_range(op, v, &e->nlo, &e->nhi))
			goto unknown;
		return 0;
	}
	rc = add_elems(c, kind, right, &mm->elems, &mm->n_elems,
		       &mm->cap_elems);
	if (rc < 0)
		return rc;
	if (rc == 0 && (kind == V_CT || kind == V_CTSTATUS)) {
		/* One mask: "ct state { established, related }". */
		for (size_t i = 1; i < mm->n_elems; i++)
			mm->elems[0].nlo |= mm->elems[i].nlo;
		mm->n_elems = 1;
		mm->elems[0].nhi = mm->elems[0].nlo;
	}
	if (rc == 0)
		return 0;
unknown:
	/* A value the model cannot hold: the whole match is unsupported. */
	free(mm->elems);
	r->n_matches--;
	return unsupported(r, "match", m);
}

/* ---------------------------------------------------------------- */
/* Rules. */

/* Statements that never stop a rule from acting. */
static bool is_passive(const char *key)
{
	static const char *const keys[] = {
		"counter",   "log",	   "mangle",	     "notrack",
		"ct helper", "ct timeout", "ct expectation", "ct count",
		"dup",	     "fwd",	   "synproxy",	     "flow",
		"set",	     "tproxy",	   "secmark",
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

static int set_verdict(struct ctx *c, struct vd_fw_rule *r, const char *key,
		       const json_t *v)
{
	static const struct {
		const char *key;
		uint8_t verdict;
	} verdicts[] = {
		{ "accept", VD_FWV_ACCEPT },	 { "drop", VD_FWV_DROP },
		{ "reject", VD_FWV_REJECT },	 { "return", VD_FWV_RETURN },
		{ "continue", VD_FWV_CONTINUE }, { "queue", VD_FWV_QUEUE },
		{ "jump", VD_FWV_JUMP },	 { "goto", VD_FWV_GOTO },
		{ "snat", VD_FWV_NAT },		 { "dnat", VD_FWV_NAT },
		{ "masquerade", VD_FWV_NAT },	 { "redirect", VD_FWV_NAT },
	};

	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		const char *target;

		if (strcmp(key, verdicts[i].key))
			continue;
		r->verdict = verdicts[i].verdict;
		if (r->verdict != VD_FWV_JUMP && r->verdict != VD_FWV_GOTO)
			return 1;
		target = json_string_value(json_object_get(v, "target"));
		if (!target || strlen(target) >= VD_FW_NAME_MAX)
			return fail(c, "rule %llu: %s without a target chain",
				    (unsigned long long)r->handle, key);
		strcpy(r->target, target);
		return 1;
	}
	return 0;
}

static int do_rule(struct ctx *c, const json_t *obj)
{
	struct vd_fw_table *t;
	struct vd_fw_chain *ch;
	struct vd_fw_rule *r;
	struct vd_strbuf sb = { 0 };
	char chain[VD_FW_NAME_MAX];
	const json_t *expr = json_object_get(obj, "expr"), *item, *handle;
	const char *comment;
	size_t i;
	int rc;

	if ((rc = find_table(c, obj, "table", &t)) < 0 ||
	    (rc = copy_name(c, chain, obj, "chain")) < 0)
		return rc;
	ch = vd_fw_chain_find(t, chain);
	if (!ch)
		return fail(c, "rule of unknown chain \"%s\"", chain);
	r = VD_PUSH(ch, rules);
	if (!r)
		return -ENOMEM;
	r->position = ch->n_rules - 1;
	handle = json_object_get(obj, "handle");
	if (handle &&
	    (!json_is_integer(handle) || json_integer_value(handle) < 0))
		return fail(c, "\"handle\" is not a number");
	r->handle = handle ? (uint64_t)json_integer_value(handle) : 0;
	comment = json_string_value(json_object_get(obj, "comment"));
	r->comment = strdup(comment ? comment : "");
	if (!r->comment)
		return -ENOMEM;
	if (!json_is_array(expr))
		return fail(c, "rule %llu: \"expr\" is missing or not an array",
			    (unsigned long long)r->handle);
	json_array_foreach(expr, i, item)
	{
		const char *key;
		const json_t *v;

		if (!json_is_object(item) || json_object_size(item) != 1) {
			vd_sb_free(&sb);
			return fail(c,
				    "rule %llu: expr[%zu] is not an object "
				    "of one statement",
				    (unsigned long long)r->handle, i);
		}
		key = json_object_iter_key(json_object_iter((json_t *)item));
		v = json_object_iter_value(json_object_iter((json_t *)item));
		if (i)
			vd_sb_puts(&sb, " ");
		put_stmt(&sb, key, v);
		if (!strcmp(key, "match"))
			rc = do_match(c, r, v);
		else if (!strcmp(key, "log"))
			r->log = true;
		else if (is_passive(key))
			rc = 0;
		else if ((rc = set_verdict(c, r, key, v)) == 1)
			rc = 0;
		else if (rc == 0)
			rc = unsupported(r, key, v);
		if (rc < 0) {
			vd_sb_free(&sb);
			return rc;
		}
	}
	if (*r->comment)
		vd_sb_printf(&sb, " comment \"%s\"", r->comment);
	r->text = vd_sb_take(&sb);
	return r->text ? 0 : -ENOMEM;
}

int vd_fw_parse_nft_json(const char *buf, size_t len, const char *file,
			 struct vd_fw_ruleset **out, char *err, size_t errlen)
{
	struct ctx c = { .err = err, .errlen = errlen, .what = "top" };
	json_error_t jerr;
	json_t *root, *list, *item;
	size_t i;
	int rc = 0;

	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		snprintf(err, errlen, "not JSON: %s at line %d column %d",
			 jerr.text, jerr.line, jerr.column);
		return -EINVAL;
	}
	list = json_object_get(root, "nftables");
	if (!json_is_array(list)) {
		snprintf(err, errlen, "no \"nftables\" array at the top");
		json_decref(root);
		return -EINVAL;
	}
	c.rs = vd_fw_ruleset_new();
	if (!c.rs) {
		json_decref(root);
		return -ENOMEM;
	}
	c.rs->source = VD_FW_SRC_NFT_JSON;
	snprintf(c.rs->file, sizeof(c.rs->file), "%s", file ? file : "");
	json_array_foreach(list, i, item)
	{
		const json_t *v;

		c.index = i;
		c.what = "?";
		if (!json_is_object(item) || json_object_size(item) != 1) {
			rc = fail(&c, "not an object of one key");
			break;
		}
		c.what = json_object_iter_key(json_object_iter(item));
		v = json_object_iter_value(json_object_iter(item));
		if (!json_is_object(v)) {
			rc = fail(&c, "the value is not an object");
			break;
		}
		if (!strcmp(c.what, "table"))
			rc = do_table(&c, v);
		else if (!strcmp(c.what, "chain"))
			rc = do_chain(&c, v);
		else if (!strcmp(c.what, "set"))
			rc = do_set(&c, v);
		else if (!strcmp(c.what, "rule"))
			rc = do_rule(&c, v);
		if (rc < 0)
			break;
	}
	json_decref(root);
	if (rc < 0) {
		if (rc == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		vd_fw_ruleset_free(c.rs);
		return rc;
	}
	vd_fw_detect_frontends(c.rs);
	*out = c.rs;
	return 0;
}
