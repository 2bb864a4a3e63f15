/* SPDX-License-Identifier: MIT */
/*
 * The firewall model: one ruleset as nftables sees it, whichever front end
 * wrote it.  The nft JSON parser (libnftables' `nft -j list ruleset`) and
 * the iptables-save parser both fill it; the evaluator (rules/fweval.h)
 * walks it for one flow.
 *
 * Every match value is kept as ranges (a prefix becomes first..last
 * address, a port list a run of port ranges) so that the evaluator has one
 * comparison per key.  A match the model does not know is kept as
 * VD_FWM_UNSUPPORTED with its text: the evaluator then answers "may
 * match", never skips it.  Counters are not kept.
 */
#ifndef VD_FIREWALL_H
#define VD_FIREWALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/types.h"

#define VD_FW_NAME_MAX 64

enum vd_fw_family {
	VD_FW_IP = 0,
	VD_FW_IP6,
	VD_FW_INET,
	VD_FW_ARP,
	VD_FW_BRIDGE,
	VD_FW_NETDEV,
};

enum vd_fw_hook {
	VD_FW_HOOK_NONE = 0, /* a regular chain, reached by jump/goto */
	VD_FW_HOOK_PREROUTING,
	VD_FW_HOOK_INPUT,
	VD_FW_HOOK_FORWARD,
	VD_FW_HOOK_OUTPUT,
	VD_FW_HOOK_POSTROUTING,
	VD_FW_HOOK_INGRESS,
	VD_FW_HOOK_EGRESS,
};

enum vd_fw_chain_type {
	VD_FW_TYPE_FILTER = 0,
	VD_FW_TYPE_NAT,
	VD_FW_TYPE_ROUTE
};

/* What a rule does when all its matches hold. */
enum vd_fw_verdict {
	VD_FWV_CONTINUE = 0, /* no verdict (counter, log only, mark...) */
	VD_FWV_ACCEPT,
	VD_FWV_DROP,
	VD_FWV_REJECT,
	VD_FWV_JUMP,
	VD_FWV_GOTO,
	VD_FWV_RETURN,
	VD_FWV_QUEUE, /* to user space: its program decides */
	VD_FWV_NAT,   /* snat/dnat/masquerade/redirect: accepts, rewritten */
};

/* Front ends recognised from their table and chain names. */
#define VD_FW_FE_UFW	   0x1 /* ufw-*, ufw6-* chains */
#define VD_FW_FE_FIREWALLD 0x2 /* table inet firewalld */
#define VD_FW_FE_DOCKER	   0x4 /* DOCKER* chains */
#define VD_FW_FE_LIBVIRT   0x8 /* LIBVIRT_* chains, table libvirt_network */

enum vd_fw_source { VD_FW_SRC_NFT_JSON = 0, VD_FW_SRC_IPTABLES_SAVE };

/* Match keys. */
enum vd_fw_key {
	VD_FWM_IIFNAME = 0, /* names */
	VD_FWM_OIFNAME,
	VD_FWM_SADDR, /* address ranges; family in vd_fw_match.family */
	VD_FWM_DADDR,
	VD_FWM_L4PROTO, /* numbers: IP protocol */
	VD_FWM_SPORT,	/* numbers: ports; proto in vd_fw_match.proto */
	VD_FWM_DPORT,
	VD_FWM_CTSTATE,	       /* numbers: one element, a VD_FW_CT_* mask */
	VD_FWM_FIB_DADDR_TYPE, /* names: "local", "broadcast"... */
	VD_FWM_NFPROTO,	       /* numbers: 4 or 6 (meta nfproto) */
	VD_FWM_CTSTATUS,       /* numbers: one element, a VD_FW_CTS_* mask */
	VD_FWM_UNSUPPORTED,    /* anything else: text only */
};

#define VD_FW_CT_NEW	     0x1
#define VD_FW_CT_ESTABLISHED 0x2
#define VD_FW_CT_RELATED     0x4
#define VD_FW_CT_INVALID     0x8
#define VD_FW_CT_UNTRACKED   0x10

/* Conntrack status bits, the values of Linux's IPS_*. */
#define VD_FW_CTS_EXPECTED   0x1
#define VD_FW_CTS_SEEN_REPLY 0x2
#define VD_FW_CTS_ASSURED    0x4
#define VD_FW_CTS_CONFIRMED  0x8
#define VD_FW_CTS_SNAT	     0x10
#define VD_FW_CTS_DNAT	     0x20
#define VD_FW_CTS_DYING	     0x200

/* One element of a match or a set: an address range, a number range, or
 * an interface name ("eth*" when wildcard, iptables' "eth+"). */
struct vd_fw_elem {
	struct vd_ip lo, hi;
	uint32_t nlo, nhi;
	bool wildcard;
	char name[VD_IFNAME_MAX];
};

struct vd_fw_match {
	uint8_t key;	/* enum vd_fw_key */
	bool neg;	/* != / ! */
	uint8_t family; /* SADDR/DADDR: VD_AF_INET or VD_AF_INET6 */
	uint8_t proto;	/* SPORT/DPORT: 6, 17, 132, 33 (dccp), 0 any (th) */
	/* A named set (without '@') of the rule's table, or "" for the
	 * inline elements below. */
	char set[VD_FW_NAME_MAX];
	VD_ARRAY(struct vd_fw_elem, elems);
	char *text; /* UNSUPPORTED: what it was, as the ruleset wrote it */
};

struct vd_fw_rule {
	uint64_t handle; /* nft handle, 0 for iptables-save */
	unsigned line;	 /* iptables-save line, 0 for nft */
	size_t position; /* in its chain, from 0 */
	char *text;	 /* human-readable: nft syntax or the -A line */
	char *comment;	 /* "" when none */
	VD_ARRAY(struct vd_fw_match, matches);
	uint8_t verdict;	     /* enum vd_fw_verdict */
	bool log;		     /* also logs */
	char target[VD_FW_NAME_MAX]; /* JUMP/GOTO: the chain */
};

struct vd_fw_chain {
	char name[VD_FW_NAME_MAX];
	uint8_t hook; /* enum vd_fw_hook; NONE: not a base chain */
	uint8_t type; /* enum vd_fw_chain_type */
	int priority;
	uint8_t policy; /* VD_FWV_ACCEPT or VD_FWV_DROP (base chains) */
	unsigned fe;	/* VD_FW_FE_* this chain belongs to */
	VD_ARRAY(struct vd_fw_rule, rules);
};

/* Set element kinds, from the set's type. */
enum vd_fw_set_kind {
	VD_FWS_OTHER = 0,
	VD_FWS_IPV4,
	VD_FWS_IPV6,
	VD_FWS_PORT,
	VD_FWS_PROTO,
	VD_FWS_IFNAME,
};

struct vd_fw_set {
	char name[VD_FW_NAME_MAX];
	char type[VD_FW_NAME_MAX]; /* "ipv4_addr", "inet_service"... */
	uint8_t kind;		   /* enum vd_fw_set_kind */
	VD_ARRAY(struct vd_fw_elem, elems);
};

struct vd_fw_table {
	uint8_t family; /* enum vd_fw_family */
	char name[VD_FW_NAME_MAX];
	unsigned fe; /* VD_FW_FE_* of the table or any of its chains */
	VD_ARRAY(struct vd_fw_chain, chains);
	VD_ARRAY(struct vd_fw_set, sets);
};

struct vd_fw_ruleset {
	uint8_t source; /* enum vd_fw_source */
	char file[256]; /* where it was read from, for evidence */
	unsigned fe;	/* VD_FW_FE_* seen anywhere */
	VD_ARRAY(struct vd_fw_table, tables);
};

struct vd_fw_ruleset *vd_fw_ruleset_new(void);
void vd_fw_ruleset_free(struct vd_fw_ruleset *rs);

/* Look-ups by name; NULL when absent. */
struct vd_fw_table *vd_fw_table_find(const struct vd_fw_ruleset *rs,
				     uint8_t family, const char *name);
struct vd_fw_chain *vd_fw_chain_find(const struct vd_fw_table *t,
				     const char *name);
struct vd_fw_set *vd_fw_set_find(const struct vd_fw_table *t, const char *name);

/* Move src's tables to the end of dst (iptables-save and ip6tables-save
 * into one ruleset); src is left empty.  0 or -ENOMEM (nothing moved). */
int vd_fw_ruleset_merge(struct vd_fw_ruleset *dst, struct vd_fw_ruleset *src);

/* Set the fe bits of chains, tables and the ruleset from their names. */
void vd_fw_detect_frontends(struct vd_fw_ruleset *rs);

/* Names of the enums, as nft writes them ("inet", "input", "drop"). */
const char *vd_fw_family_name(uint8_t family);
const char *vd_fw_hook_name(uint8_t hook);
const char *vd_fw_verdict_name(uint8_t verdict);
const char *vd_fw_type_name(uint8_t type);
/* "ufw", "firewalld", "docker", "libvirt" joined by ',', "" for none. */
const char *vd_fw_fe_names(unsigned fe, char *buf, size_t len);

/* An element covering net/plen (host bits ignored). */
void vd_fw_elem_prefix(struct vd_fw_elem *e, const struct vd_ip *net,
		       unsigned plen);
/* Is ip inside the element's lo..hi (same family)? */
bool vd_fw_elem_has_ip(const struct vd_fw_elem *e, const struct vd_ip *ip);
/* Does name match the element's name (exact, or its prefix when
 * wildcard)? */
bool vd_fw_elem_has_name(const struct vd_fw_elem *e, const char *name);
/* IP protocol number of a name ("tcp", "ipv6-icmp"...) or of a decimal
 * number, -1 when unknown. */
int vd_fw_proto_number(const char *name);
/* VD_FW_CT_* bit of a conntrack state name (either case), 0 unknown. */
unsigned vd_fw_ct_bit(const char *name);
/* VD_FW_CTS_* bit of a conntrack status name (either case), 0 unknown. */
unsigned vd_fw_ct_status_bit(const char *name);

#endif
