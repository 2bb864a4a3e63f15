/* SPDX-License-Identifier: MIT */
/* The firewall model: allocation, look-ups, front ends, names. */
#include "facts/firewall.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facts/facts.h"

struct vd_fw_ruleset *vd_fw_ruleset_new(void)
{
	return calloc(1, sizeof(struct vd_fw_ruleset));
}

static void free_rule(struct vd_fw_rule *r)
{
	for (size_t i = 0; i < r->n_matches; i++) {
		free(r->matches[i].elems);
		free(r->matches[i].text);
	}
	free(r->matches);
	free(r->text);
	free(r->comment);
}

static void free_table(struct vd_fw_table *t)
{
	for (size_t c = 0; c < t->n_chains; c++) {
		for (size_t r = 0; r < t->chains[c].n_rules; r++)
			free_rule(&t->chains[c].rules[r]);
		free(t->chains[c].rules);
	}
	for (size_t s = 0; s < t->n_sets; s++)
		free(t->sets[s].elems);
	free(t->chains);
	free(t->sets);
}

void vd_fw_ruleset_free(struct vd_fw_ruleset *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n_tables; i++)
		free_table(&rs->tables[i]);
	free(rs->tables);
	free(rs);
}

int vd_fw_ruleset_merge(struct vd_fw_ruleset *dst, struct vd_fw_ruleset *src)
{
	size_t n = dst->n_tables + src->n_tables;
	struct vd_fw_table *t;

	if (src->n_tables == 0)
		return 0;
	if (n > dst->cap_tables) {
		t = realloc(dst->tables, n * sizeof(*t));
		if (!t)
			return -ENOMEM;
		dst->tables = t;
		dst->cap_tables = n;
	}
	memcpy(dst->tables + dst->n_tables, src->tables,
	       src->n_tables * sizeof(*t));
	dst->n_tables = n;
	dst->fe |= src->fe;
	free(src->tables);
	src->tables = NULL;
	src->n_tables = src->cap_tables = 0;
	return 0;
}

struct vd_fw_table *vd_fw_table_find(const struct vd_fw_ruleset *rs,
				     uint8_t family, const char *name)
{
	for (size_t i = 0; i < rs->n_tables; i++)
		if (rs->tables[i].family == family &&
		    !strcmp(rs->tables[i].name, name))
			return &rs->tables[i];
	return NULL;
}

struct vd_fw_chain *vd_fw_chain_find(const struct vd_fw_table *t,
				     const char *name)
{
	for (size_t i = 0; i < t->n_chains; i++)
		if (!strcmp(t->chains[i].name, name))
			return &t->chains[i];
	return NULL;
}

struct vd_fw_set *vd_fw_set_find(const struct vd_fw_table *t, const char *name)
{
	for (size_t i = 0; i < t->n_sets; i++)
		if (!strcmp(t->sets[i].name, name))
			return &t->sets[i];
	return NULL;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static unsigned chain_fe(const char *name)
{
	if (starts(name, "ufw-") || starts(name, "ufw6-"))
		return VD_FW_FE_UFW;
	if (starts(name, "DOCKER"))
		return VD_FW_FE_DOCKER;
	if (starts(name, "LIBVIRT_"))
		return VD_FW_FE_LIBVIRT;
	return 0;
}

void vd_fw_detect_frontends(struct vd_fw_ruleset *rs)
{
	rs->fe = 0;
	for (size_t i = 0; i < rs->n_tables; i++) {
		struct vd_fw_table *t = &rs->tables[i];

		t->fe = 0;
		if (!strcmp(t->name, "firewalld"))
			t->fe = VD_FW_FE_FIREWALLD;
		else if (!strcmp(t->name, "libvirt_network") ||
			 !strcmp(t->name, "libvirt"))
			t->fe = VD_FW_FE_LIBVIRT;
		for (size_t c = 0; c < t->n_chains; c++) {
			struct vd_fw_chain *ch = &t->chains[c];

			ch->fe = chain_fe(ch->name) | t->fe;
			t->fe |= ch->fe;
		}
		rs->fe |= t->fe;
	}
}

void vd_fw_elem_prefix(struct vd_fw_elem *e, const struct vd_ip *net,
		       unsigned plen)
{
	unsigned bits = net->family == VD_AF_INET6 ? 128 : 32;

	if (plen > bits)
		plen = bits;
	e->lo = *net;
	e->hi = *net;
	for (unsigned i = 0; i < bits / 8; i++) {
		unsigned keep = plen >= (i + 1) * 8 ? 8
				: plen > i * 8	    ? plen - i * 8
						    : 0;
		uint8_t mask = (uint8_t)(0xff00u >> keep);

		e->lo.b[i] = (uint8_t)(net->b[i] & mask);
		e->hi.b[i] = (uint8_t)(net->b[i] | (uint8_t)~mask);
	}
}

static int ipcmp(const struct vd_ip *a, const struct vd_ip *b)
{
	return memcmp(a->b, b->b, a->family == VD_AF_INET6 ? 16 : 4);
}

bool vd_fw_elem_has_ip(const struct vd_fw_elem *e, const struct vd_ip *ip)
{
	if (e->lo.family != ip->family || ip->family == VD_AF_NONE)
		return false;
	return ipcmp(&e->lo, ip) <= 0 && ipcmp(ip, &e->hi) <= 0;
}

bool vd_fw_elem_has_name(const struct vd_fw_elem *e, const char *name)
{
	if (e->wildcard)
		return starts(name, e->name);
	return !strcmp(e->name, name);
}

const char *vd_fw_family_name(uint8_t family)
{
	static const char *const names[] = { "ip",  "ip6",    "inet",
					     "arp", "bridge", "netdev" };

	return family < sizeof(names) / sizeof(names[0]) ? names[family] : "?";
}

const char *vd_fw_hook_name(uint8_t hook)
{
	static const char *const names[] = {
		"",	  "prerouting",	 "input",   "forward",
		"output", "postrouting", "ingress", "egress",
	};

	return hook < sizeof(names) / sizeof(names[0]) ? names[hook] : "?";
}

const char *vd_fw_verdict_name(uint8_t verdict)
{
	static const char *const names[] = {
		"continue", "accept", "drop",  "reject", "jump",
		"goto",	    "return", "queue", "nat",
	};

	return verdict < sizeof(names) / sizeof(names[0]) ? names[verdict]
							  : "?";
}

const char *vd_fw_type_name(uint8_t type)
{
	static const char *const names[] = { "filter", "nat", "route" };

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

const char *vd_fw_fe_names(unsigned fe, char *buf, size_t len)
{
	static const char *const names[] = { "ufw", "firewalld", "docker",
					     "libvirt" };
	size_t used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < 4; i++) {
		int n;

		if (!(fe & (1u << i)))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "," : "",
			     names[i]);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

int vd_fw_proto_number(const char *name)
{
	static const struct {
		const char *name;
		int number;
	} protos[] = {
		{ "icmp", 1 },	{ "igmp", 2 },	     { "tcp", 6 },
		{ "udp", 17 },	{ "gre", 47 },	     { "esp", 50 },
		{ "ah", 51 },	{ "ipv6-icmp", 58 }, { "icmpv6", 58 },
		{ "dccp", 33 }, { "sctp", 132 },     { "udplite", 136 },
		{ "all", 0 },
	};
	char *end;
	unsigned long n;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcasecmp(name, protos[i].name))
			return protos[i].number;
	if (*name < '0' || *name > '9')
		return -1;
	n = strtoul(name, &end, 10);
	return *end || n > 255 ? -1 : (int)n;
}

unsigned vd_fw_ct_bit(const char *name)
{
	static const char *const names[] = { "new", "established", "related",
					     "invalid", "untracked" };

	for (unsigned i = 0; i < 5; i++)
		if (!strcasecmp(name, names[i]))
			return 1u << i;
	return 0;
}

unsigned vd_fw_ct_status_bit(const char *name)
{
	static const struct {
		const char *name;
		unsigned bit;
	} bits[] = {
		{ "expected", VD_FW_CTS_EXPECTED },
		{ "seen-reply", VD_FW_CTS_SEEN_REPLY },
		{ "assured", VD_FW_CTS_ASSURED },
		{ "confirmed", VD_FW_CTS_CONFIRMED },
		{ "snat", VD_FW_CTS_SNAT },
		{ "dnat", VD_FW_CTS_DNAT },
		{ "dying", VD_FW_CTS_DYING },
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (!strcasecmp(name, bits[i].name))
			return bits[i].bit;
	return 0;
}
