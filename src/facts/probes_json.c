/* SPDX-License-Identifier: MIT */
#include "facts/probes_json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "facts/jread.h"
#include "facts/names.h"
#include "util/ip.h"

static const struct vd_name port_states[] = {
	{ VD_PORT_OPEN, "open" },
	{ VD_PORT_CLOSED, "closed" },
	{ VD_PORT_FILTERED, "filtered" },
	{ VD_PORT_UNREACHABLE, "unreachable" },
	{ VD_PORT_ERROR, "error" },
	{ 0, NULL },
};

static const struct vd_name dns_states[] = {
	{ VD_DNS_ANSWERED, "answered" },
	{ VD_DNS_NXDOMAIN, "nxdomain" },
	{ VD_DNS_SERVFAIL, "servfail" },
	{ VD_DNS_REFUSED, "refused" },
	{ VD_DNS_TIMEOUT, "timeout" },
	{ VD_DNS_ERROR, "error" },
	{ 0, NULL },
};

/* ---- writing ---------------------------------------------------------- */

static json_t *jip(const struct vd_ip *ip)
{
	char b[VD_IPSTR_MAX];

	return ip->family ? json_string(vd_ip_str(ip, b, sizeof(b)))
			  : json_null();
}

static json_t *jmac(const uint8_t *m)
{
	char b[VD_MACSTR_MAX];

	return json_string(vd_mac_str(m, 6, b, sizeof(b)));
}

static json_t *jicmp(const struct vd_icmp_error *e)
{
	if (!e->type && !e->code && !e->from.family)
		return json_null();
	return json_pack("{s:i, s:i, s:b, s:o, s:i}", "type", e->type, "code",
			 e->code, "v6", e->v6, "from", jip(&e->from),
			 "next_mtu", e->next_mtu);
}

static json_t *jerrno(int e)
{
	return e ? json_string(strerror(e)) : json_null();
}

json_t *vd_probes_to_json(const struct vd_facts *f, const struct vd_probes *p)
{
	json_t *o = json_object(), *a;
	char tmp[32];

	if (!o)
		return NULL;
	json_object_set_new(o, "ran", json_boolean(p->ran));
	a = json_array();
	for (size_t i = 0; i < p->n_routes; i++) {
		const struct vd_route_get *r = &p->routes[i];
		const char *type = vd_name_of(vd_rtn_names, r->type);

		json_array_append_new(
			a,
			json_pack("{s:o, s:o, s:s, s:i, s:s, s:o, s:o, s:I}",
				  "target", jip(&r->target), "error",
				  jerrno(r->err), "type", type ? type : "?",
				  "oif", r->oif, "dev",
				  vd_facts_ifname(f, r->oif, tmp, sizeof(tmp)),
				  "gateway", jip(&r->gateway), "prefsrc",
				  jip(&r->prefsrc), "table",
				  (json_int_t)r->table));
	}
	json_object_set_new(o, "routes", a);
	a = json_array();
	for (size_t i = 0; i < p->n_arps; i++) {
		const struct vd_arp_result *r = &p->arps[i];
		json_t *macs = json_array();

		for (unsigned m = 0; m < r->n_macs && m < VD_ARP_MAX_MACS; m++)
			json_array_append_new(macs, jmac(r->macs[m]));
		json_array_append_new(
			a, json_pack("{s:o, s:i, s:s, s:i, s:o, s:I}", "target",
				     jip(&r->target), "ifindex", r->ifindex,
				     "dev", r->ifname, "sent", r->sent, "macs",
				     macs, "rtt_us", (json_int_t)r->rtt_us));
	}
	json_object_set_new(o, "arp", a);
	a = json_array();
	for (size_t i = 0; i < p->n_pings; i++) {
		const struct vd_ping_result *r = &p->pings[i];

		json_array_append_new(
			a,
			json_pack(
				"{s:o, s:i, s:i, s:I, s:I, s:I, s:i, s:o, s:o}",
				"target", jip(&r->target), "sent", r->sent,
				"received", r->received, "rtt_min_us",
				(json_int_t)r->rtt_min_us, "rtt_avg_us",
				(json_int_t)r->rtt_avg_us, "rtt_max_us",
				(json_int_t)r->rtt_max_us, "errors",
				r->n_errors, "error", jicmp(&r->error),
				"local_error", jerrno(r->local_errno)));
	}
	json_object_set_new(o, "ping", a);
	a = json_array();
	for (size_t i = 0; i < p->n_tcps; i++) {
		const struct vd_tcp_result *r = &p->tcps[i];
		const char *st = vd_name_of(port_states, r->state);

		json_array_append_new(
			a, json_pack("{s:o, s:i, s:s, s:o, s:I}", "target",
				     jip(&r->target), "port", r->port, "state",
				     st ? st : "error", "error", jerrno(r->err),
				     "rtt_us", (json_int_t)r->rtt_us));
	}
	json_object_set_new(o, "tcp", a);
	a = json_array();
	for (size_t i = 0; i < p->n_dns; i++) {
		const struct vd_dns_result *r = &p->dns[i];
		const char *st = vd_name_of(dns_states, r->status);

		json_array_append_new(
			a, json_pack("{s:o, s:s, s:s, s:i, s:i, s:I}", "server",
				     jip(&r->server), "name", r->name, "status",
				     st ? st : "error", "rcode", r->rcode,
				     "answers", r->n_answers, "rtt_us",
				     (json_int_t)r->rtt_us));
	}
	json_object_set_new(o, "dns", a);
	a = json_array();
	for (size_t i = 0; i < p->n_dhcps; i++) {
		const struct vd_dhcp_result *r = &p->dhcps[i];
		json_t *offers = json_array();

		for (unsigned k = 0; k < r->n_offers && k < VD_DHCP_MAX_OFFERS;
		     k++) {
			const struct vd_dhcp_offer *of = &r->offers[k];

			json_array_append_new(
				offers,
				json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I}",
					  "server", jip(&of->server),
					  "server_mac", jmac(of->server_mac),
					  "address", jip(&of->yiaddr), "mask",
					  jip(&of->mask), "router",
					  jip(&of->router), "dns",
					  jip(&of->dns), "lease_s",
					  (json_int_t)of->lease_s));
		}
		json_array_append_new(
			a, json_pack("{s:i, s:s, s:o, s:I, s:o}", "ifindex",
				     r->ifindex, "dev", r->ifname, "client_mac",
				     jmac(r->client_mac), "xid",
				     (json_int_t)r->xid, "offers", offers));
	}
	json_object_set_new(o, "dhcp", a);
	a = json_array();
	for (size_t i = 0; i < p->n_mtus; i++) {
		const struct vd_mtu_result *r = &p->mtus[i];

		json_array_append_new(
			a, json_pack("{s:o, s:i, s:i, s:i, s:b, s:o}", "target",
				     jip(&r->target), "path_mtu", r->path_mtu,
				     "first_lost", r->first_lost, "local_mtu",
				     r->local_mtu, "black_hole", r->black_hole,
				     "error", jicmp(&r->error)));
	}
	json_object_set_new(o, "mtu", a);
	a = json_array();
	for (size_t i = 0; i < p->n_traces; i++) {
		const struct vd_trace_result *r = &p->traces[i];
		json_t *hops = json_array();

		for (unsigned h = 0; h < r->n_hops && h < VD_TRACE_MAX_HOPS;
		     h++)
			json_array_append_new(
				hops,
				json_pack("{s:i, s:o, s:I, s:i, s:i}", "ttl",
					  r->hops[h].ttl, "from",
					  jip(&r->hops[h].from), "rtt_us",
					  (json_int_t)r->hops[h].rtt_us,
					  "icmp_type", r->hops[h].icmp_type,
					  "icmp_code", r->hops[h].icmp_code));
		json_array_append_new(a, json_pack("{s:o, s:b, s:o}", "target",
						   jip(&r->target), "reached",
						   r->reached, "hops", hops));
	}
	json_object_set_new(o, "trace", a);
	return o;
}

/* ---- reading ---------------------------------------------------------- */

#define INT(o, key, field, lo, hi)                             \
	do {                                                   \
		long long v_;                                  \
		if ((rc = vd_jrd_int(r, o, key, lo, hi, &v_))) \
			return rc;                             \
		field = (__typeof__(field))v_;                 \
	} while (0)

static int get_ip(struct vd_jrd *r, json_t *o, const char *key,
		  struct vd_ip *ip)
{
	json_t *j = json_object_get(o, key);

	memset(ip, 0, sizeof(*ip));
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_string(j) || vd_ip_parse(json_string_value(j), ip) < 0)
		return vd_jrd_bad(r, key, "not an IP address");
	return 0;
}

static int get_mac(struct vd_jrd *r, json_t *o, const char *key, uint8_t *mac)
{
	json_t *j = json_object_get(o, key);
	uint8_t m[VD_MAC_MAX];

	memset(mac, 0, 6);
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_string(j) ||
	    vd_mac_parse(json_string_value(j), m, sizeof(m)) != 6)
		return vd_jrd_bad(r, key, "not a MAC address");
	memcpy(mac, m, 6);
	return 0;
}

static int get_name(struct vd_jrd *r, json_t *o, const char *key,
		    const struct vd_name *t, uint8_t *v)
{
	json_t *j = json_object_get(o, key);
	unsigned u;

	if (!j || !json_is_string(j) ||
	    vd_value_of(t, json_string_value(j), &u) < 0)
		return vd_jrd_bad(r, key, "unknown value");
	*v = (uint8_t)u;
	return 0;
}

/* Error strings are informative; the number is not kept across machines
 * except for the common ones the rules look at. */
static int get_errno(json_t *o, const char *key)
{
	static const int known[] = { ENETUNREACH, EHOSTUNREACH, ECONNREFUSED,
				     ETIMEDOUT,	  EACCES,	EPERM,
				     EMSGSIZE,	  ENETDOWN,	EHOSTDOWN };
	json_t *j = json_object_get(o, key);

	if (!j || !json_is_string(j))
		return 0;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(strerror(known[i]), json_string_value(j)) == 0)
			return known[i];
	return EIO;
}

static int get_icmp(struct vd_jrd *r, json_t *o, const char *key,
		    struct vd_icmp_error *e)
{
	json_t *j = json_object_get(o, key);
	int rc;

	memset(e, 0, sizeof(*e));
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_object(j))
		return vd_jrd_bad(r, key, "expected an object");
	INT(j, "type", e->type, 0, 255);
	INT(j, "code", e->code, 0, 255);
	INT(j, "next_mtu", e->next_mtu, 0, 65535);
	e->v6 = json_is_true(json_object_get(j, "v6"));
	return get_ip(r, j, "from", &e->from);
}

#define EACH(o, key, name, i, v)                                             \
	for (size_t i = 0;                                                   \
	     vd_jrd_array(o, key) &&                                         \
	     i < json_array_size(vd_jrd_array(o, key)) &&                    \
	     ((v) = json_array_get(vd_jrd_array(o, key), i)) &&              \
	     (snprintf(r->path, sizeof(r->path), "probes.%s[%zu]", name, i), \
	      1);                                                            \
	     i++)

static int read_all(struct vd_jrd *r, json_t *j, struct vd_probes *p)
{
	json_t *v;
	int rc;

	p->ran = json_is_true(json_object_get(j, "ran"));
	EACH(j, "routes", "routes", i, v)
	{
		struct vd_route_get *x = VD_PUSH(p, routes);
		json_t *type = json_object_get(v, "type");
		unsigned u = VD_RTN_UNICAST;

		if (!x)
			return -ENOMEM;
		if ((rc = get_ip(r, v, "target", &x->target)) ||
		    (rc = get_ip(r, v, "gateway", &x->gateway)) ||
		    (rc = get_ip(r, v, "prefsrc", &x->prefsrc)))
			return rc;
		if (json_is_string(type) &&
		    vd_value_of(vd_rtn_names, json_string_value(type), &u) < 0)
			return vd_jrd_bad(r, "type", "unknown route type");
		x->type = (uint8_t)u;
		INT(v, "oif", x->oif, 0, INT32_MAX);
		INT(v, "table", x->table, 0, UINT32_MAX);
		x->err = get_errno(v, "error");
	}
	EACH(j, "arp", "arp", i, v)
	{
		struct vd_arp_result *x = VD_PUSH(p, arps);
		json_t *macs = json_object_get(v, "macs"), *m;
		size_t k;

		if (!x)
			return -ENOMEM;
		if ((rc = get_ip(r, v, "target", &x->target)) ||
		    (rc = vd_jrd_str(r, v, "dev", x->ifname,
				     sizeof(x->ifname))))
			return rc;
		INT(v, "ifindex", x->ifindex, 0, INT32_MAX);
		INT(v, "sent", x->sent, 0, UINT32_MAX);
		INT(v, "rtt_us", x->rtt_us, 0, UINT32_MAX);
		json_array_foreach(macs, k, m)
		{
			uint8_t mac[VD_MAC_MAX];

			if (x->n_macs >= VD_ARP_MAX_MACS)
				break;
			if (!json_is_string(m) ||
			    vd_mac_parse(json_string_value(m), mac,
					 sizeof(mac)) != 6)
				return vd_jrd_bad(r, "macs",
						  "not a MAC address");
			memcpy(x->macs[x->n_macs++], mac, 6);
		}
	}
	EACH(j, "ping", "ping", i, v)
	{
		struct vd_ping_result *x = VD_PUSH(p, pings);

		if (!x)
			return -ENOMEM;
		if ((rc = get_ip(r, v, "target", &x->target)) ||
		    (rc = get_icmp(r, v, "error", &x->error)))
			return rc;
		INT(v, "sent", x->sent, 0, UINT32_MAX);
		INT(v, "received", x->received, 0, UINT32_MAX);
		INT(v, "rtt_min_us", x->rtt_min_us, 0, UINT32_MAX);
		INT(v, "rtt_avg_us", x->rtt_avg_us, 0, UINT32_MAX);
		INT(v, "rtt_max_us", x->rtt_max_us, 0, UINT32_MAX);
		INT(v, "errors", x->n_errors, 0, UINT32_MAX);
		x->local_errno = get_errno(v, "local_error");
	}
	EACH(j, "tcp", "tcp", i, v)
	{
		struct vd_tcp_result *x = VD_PUSH(p, tcps);

		if (!x)
			return -ENOMEM;
		if ((rc = get_ip(r, v, "target", &x->target)) ||
		    (rc = get_name(r, v, "state", port_states, &x->state)))
			return rc;
		INT(v, "port", x->port, 0, 65535);
		INT(v, "rtt_us", x->rtt_us, 0, UINT32_MAX);
		x->err = get_errno(v, "error");
	}
	EACH(j, "dns", "dns", i, v)
	{
		struct vd_dns_result *x = VD_PUSH(p, dns);

		if (!x)
			return -ENOMEM;
		if ((rc = get_ip(r, v, "server", &x->server)) ||
		    (rc = vd_jrd_str(r, v, "name", x->name, sizeof(x->name))) ||
		    (rc = get_name(r, v, "status", dns_states, &x->status)))
			return rc;
		INT(v, "rcode", x->rcode, 0, 255);
		INT(v, "answers", x->n_answers, 0, UINT32_MAX);
		INT(v, "rtt_us", x->rtt_us, 0, UINT32_MAX);
	}
	EACH(j, "dhcp", "dhcp", i, v)
	{
		struct vd_dhcp_result *x = VD_PUSH(p, dhcps);
		json_t *offers = json_object_get(v, "offers"), *of;
		size_t k;

		if (!x)
			return -ENOMEM;
		if ((rc = vd_jrd_str(r, v, "dev", x->ifname,
				     sizeof(x->ifname))) ||
		    (rc = get_mac(r, v, "client_mac", x->client_mac)))
			return rc;
		INT(v, "ifindex", x->ifindex, 0, INT32_MAX);
		INT(v, "xid", x->xid, 0, UINT32_MAX);
		json_array_foreach(offers, k, of)
		{
			struct vd_dhcp_offer *o;

			if (x->n_offers >= VD_DHCP_MAX_OFFERS)
				break;
			o = &x->offers[x->n_offers++];
			if ((rc = get_ip(r, of, "server", &o->server)) ||
			    (rc = get_mac(r, of, "server_mac",
					  o->server_mac)) ||
			    (rc = get_ip(r, of, "address", &o->yiaddr)) ||
			    (rc = get_ip(r, of, "mask", &o->mask)) ||
			    (rc = get_ip(r, of, "router", &o->router)) ||
			    (rc = get_ip(r, of, "dns", &o->dns)))
				return rc;
			INT(of, "lease_s", o->lease_s, 0, UINT32_MAX);
		}
	}
	EACH(j, "mtu", "mtu", i, v)
	{
		struct vd_mtu_result *x = VD_PUSH(p, mtus);

		if (!x)
			return -ENOMEM;
		if ((rc = get_ip(r, v, "target", &x->target)) ||
		    (rc = get_icmp(r, v, "error", &x->error)))
			return rc;
		INT(v, "path_mtu", x->path_mtu, 0, 65535);
		INT(v, "first_lost", x->first_lost, 0, 65535);
		INT(v, "local_mtu", x->local_mtu, 0, UINT32_MAX);
		x->black_hole = json_is_true(json_object_get(v, "black_hole"));
	}
	EACH(j, "trace", "trace", i, v)
	{
		struct vd_trace_result *x = VD_PUSH(p, traces);
		json_t *hops = json_object_get(v, "hops"), *h;
		size_t k;

		if (!x)
			return -ENOMEM;
		if ((rc = get_ip(r, v, "target", &x->target)))
			return rc;
		x->reached = json_is_true(json_object_get(v, "reached"));
		json_array_foreach(hops, k, h)
		{
			struct vd_trace_hop *hp;

			if (x->n_hops >= VD_TRACE_MAX_HOPS)
				break;
			hp = &x->hops[x->n_hops++];
			if ((rc = get_ip(r, h, "from", &hp->from)))
				return rc;
			INT(h, "ttl", hp->ttl, 0, 255);
			INT(h, "rtt_us", hp->rtt_us, 0, UINT32_MAX);
			INT(h, "icmp_type", hp->icmp_type, 0, 255);
			INT(h, "icmp_code", hp->icmp_code, 0, 255);
		}
	}
	return 0;
}

int vd_probes_from_json(json_t *j, struct vd_probes *out, char *err,
			size_t errlen)
{
	struct vd_probes p = { 0 };
	struct vd_jrd r = { err, errlen, "probes" };
	int rc;

	if (!j || json_is_null(j))
		return 0;
	if (!json_is_object(j)) {
		snprintf(err, errlen, "probes: expected an object");
		return -EPROTO;
	}
	rc = read_all(&r, j, &p);
	if (rc) {
		if (rc == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		vd_probes_clear(&p);
		return rc;
	}
	vd_probes_clear(out);
	*out = p;
	return 0;
}
