/* SPDX-License-Identifier: MIT */
/*
 * The facts model: everything the rules read, in one typed structure.
 *
 * Collectors fill it (live), the snapshot reader fills it (from JSON), the
 * rules only read it.  The model is platform neutral: no system headers, its
 * own address-family and flag constants (whose values happen to equal the
 * Linux ones so that the Linux collector can copy them).
 */
#ifndef VD_FACTS_H
#define VD_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/services.h"
#include "facts/types.h"
#include "facts/vmware.h"
#include "facts/security.h"
#include "probe/results.h"

#define VD_SNAPSHOT_SCHEMA "vnetdiag.snapshot/1"

/* Link flags: the values of Linux's IFF_*. */
#define VD_IFF_UP	   0x1
#define VD_IFF_BROADCAST   0x2
#define VD_IFF_DEBUG	   0x4
#define VD_IFF_LOOPBACK	   0x8
#define VD_IFF_POINTOPOINT 0x10
#define VD_IFF_NOTRAILERS  0x20
#define VD_IFF_RUNNING	   0x40
#define VD_IFF_NOARP	   0x80
#define VD_IFF_PROMISC	   0x100
#define VD_IFF_ALLMULTI	   0x200
#define VD_IFF_MASTER	   0x400
#define VD_IFF_SLAVE	   0x800
#define VD_IFF_MULTICAST   0x1000
#define VD_IFF_PORTSEL	   0x2000
#define VD_IFF_AUTOMEDIA   0x4000
#define VD_IFF_DYNAMIC	   0x8000
#define VD_IFF_LOWER_UP	   0x10000
#define VD_IFF_DORMANT	   0x20000
#define VD_IFF_ECHO	   0x40000

/* RFC 2863 operational state, the values of Linux's IF_OPER_*. */
enum vd_oper {
	VD_OPER_UNKNOWN = 0,
	VD_OPER_NOTPRESENT = 1,
	VD_OPER_DOWN = 2,
	VD_OPER_LOWERLAYERDOWN = 3,
	VD_OPER_TESTING = 4,
	VD_OPER_DORMANT = 5,
	VD_OPER_UP = 6,
};

struct vd_link {
	int ifindex;
	char name[VD_IFNAME_MAX];
	char kind[24]; /* rtnetlink kind ("bridge", "veth", "vlan"...), "" */
	int master;    /* ifindex of the bridge/bond this is a port of, 0 */
	int parent;    /* ifindex of the lower device (vlan, macvlan...), 0 */
	bool parent_other_ns; /* the lower device / veth peer is elsewhere */
	unsigned flags;	      /* VD_IFF_* */
	uint8_t oper;	      /* enum vd_oper */
	int8_t carrier;	      /* enum vd_tri */
	unsigned mtu;
	uint8_t mac_len; /* 0: no hardware address */
	uint8_t mac[VD_MAC_MAX];
	int vlan_id; /* -1 unless kind is vlan */
};

/* Address flags: the values of Linux's IFA_F_*. */
#define VD_IFA_F_SECONDARY	0x01
#define VD_IFA_F_NODAD		0x02
#define VD_IFA_F_OPTIMISTIC	0x04
#define VD_IFA_F_DADFAILED	0x08
#define VD_IFA_F_HOMEADDRESS	0x10
#define VD_IFA_F_DEPRECATED	0x20
#define VD_IFA_F_TENTATIVE	0x40
#define VD_IFA_F_PERMANENT	0x80
#define VD_IFA_F_MANAGETEMPADDR 0x100
#define VD_IFA_F_NOPREFIXROUTE	0x200
#define VD_IFA_F_MCAUTOJOIN	0x400
#define VD_IFA_F_STABLE_PRIVACY 0x800

/* Scopes, the values of Linux's RT_SCOPE_*. */
#define VD_SCOPE_UNIVERSE 0
#define VD_SCOPE_SITE	  200
#define VD_SCOPE_LINK	  253
#define VD_SCOPE_HOST	  254
#define VD_SCOPE_NOWHERE  255

struct vd_addr {
	int ifindex;
	struct vd_ip ip;
	uint8_t prefixlen;
	uint8_t scope;
	unsigned flags; /* VD_IFA_F_* */
	char label[VD_IFNAME_MAX];
};

/* Route types, the values of Linux's RTN_*. */
enum vd_rtype {
	VD_RTN_UNSPEC = 0,
	VD_RTN_UNICAST = 1,
	VD_RTN_LOCAL = 2,
	VD_RTN_BROADCAST = 3,
	VD_RTN_ANYCAST = 4,
	VD_RTN_MULTICAST = 5,
	VD_RTN_BLACKHOLE = 6,
	VD_RTN_UNREACHABLE = 7,
	VD_RTN_PROHIBIT = 8,
	VD_RTN_THROW = 9,
	VD_RTN_NAT = 10,
	VD_RTN_XRESOLVE = 11,
};

#define VD_RT_TABLE_DEFAULT 253
#define VD_RT_TABLE_MAIN    254
#define VD_RT_TABLE_LOCAL   255

/* Next-hop flags, the values of Linux's RTNH_F_*. */
#define VD_RTNH_F_DEAD	     0x1
#define VD_RTNH_F_PERVASIVE  0x2
#define VD_RTNH_F_ONLINK     0x4
#define VD_RTNH_F_OFFLOAD    0x8
#define VD_RTNH_F_LINKDOWN   0x10
#define VD_RTNH_F_UNRESOLVED 0x20

/* One route; a multipath route is stored as one entry per next hop. */
struct vd_route {
	uint32_t table;
	struct vd_ip dst; /* family set even for the default route */
	uint8_t dst_len;
	uint8_t tos;
	uint8_t protocol; /* RTPROT_* value: 2 kernel, 3 boot, 4 static... */
	uint8_t scope;
	uint8_t type; /* enum vd_rtype */
	uint32_t metric;
	struct vd_ip gateway; /* VD_AF_NONE: directly connected */
	struct vd_ip prefsrc; /* VD_AF_NONE: none */
	int oif;	      /* 0: none */
	unsigned nh_flags;    /* VD_RTNH_F_* */
};

/* Rule actions, the values of Linux's FR_ACT_*. */
enum vd_rule_action {
	VD_FR_ACT_TO_TBL = 1,
	VD_FR_ACT_GOTO = 2,
	VD_FR_ACT_NOP = 3,
	VD_FR_ACT_BLACKHOLE = 6,
	VD_FR_ACT_UNREACHABLE = 7,
	VD_FR_ACT_PROHIBIT = 8,
};

/* A routing policy rule ("ip rule"). */
struct vd_rule {
	uint8_t family;
	bool invert; /* "not" */
	uint8_t action;
	uint8_t src_len, dst_len;
	uint32_t priority;
	uint32_t table;
	struct vd_ip src, dst; /* meaningful when *_len > 0 */
	uint32_t fwmark, fwmask;
	int suppress_prefixlen; /* -1: none */
	bool has_uidrange;
	bool has_l3mdev;
	char iif[VD_IFNAME_MAX], oif[VD_IFNAME_MAX]; /* "" when unset */
};

/* Neighbour states, the values of Linux's NUD_*. */
#define VD_NUD_INCOMPLETE 0x01
#define VD_NUD_REACHABLE  0x02
#define VD_NUD_STALE	  0x04
#define VD_NUD_DELAY	  0x08
#define VD_NUD_PROBE	  0x10
#define VD_NUD_FAILED	  0x20
#define VD_NUD_NOARP	  0x40
#define VD_NUD_PERMANENT  0x80

struct vd_neigh {
	int ifindex;
	struct vd_ip ip;
	uint8_t mac_len;
	uint8_t mac[VD_MAC_MAX];
	uint16_t state; /* VD_NUD_* */
	uint8_t flags;	/* NTF_* (router 0x80, proxy 0x08) */
};

/* A listening TCP socket or an unconnected UDP socket. */
struct vd_socket {
	uint8_t proto; /* 6 tcp, 17 udp */
	struct vd_ip local;
	uint16_t port;
	int ifindex; /* bound device, 0 none */
	uint64_t inode;
	uint32_t uid;
	int pid; /* 0: not found (no permission, or gone) */
	char comm[32];
};

/* A process of interest (known network daemons, hypervisor programs). */
struct vd_process {
	int pid;
	char comm[32];
	char *cmdline; /* arguments joined by single spaces */
};

struct vd_module {
	char name[64];
	unsigned long size;
	int refcnt;
	char state[16]; /* "Live", "Loading", "Unloading" */
};

/* One key=value setting from a sysctl configuration file. */
struct vd_sysctl {
	char *key; /* normalised: dots, never slashes */
	char *value;
	char *file; /* path as given (under the sysroot) */
	unsigned line;
};

struct vd_resolv {
	int8_t present; /* enum vd_tri: VD_UNKNOWN = file absent/unreadable */
	char *file;
	struct vd_ip *nameservers;
	unsigned *ns_lines; /* line number of each nameserver */
	size_t n_nameservers;
	char **search;
	size_t n_search;
};

struct vd_host {
	char hostname[256];
	char kernel[128];	  /* uname release */
	char os_id[64];		  /* os-release ID */
	char os_version[64];	  /* os-release VERSION_ID */
	char os_pretty[256];	  /* os-release PRETTY_NAME */
	int8_t ip_forward;	  /* enum vd_tri: live value, or sysctl files */
	char ip_forward_src[128]; /* where ip_forward came from */
};

/*
 * The host's firewall as its own tools print it, kept verbatim so that a
 * snapshot carries the ruleset itself and the parsers
 * (src/collect/firewall/) run wherever the snapshot is analysed: the JSON
 * of libnftables' "list ruleset" (iptables-nft rules included), and the
 * iptables-save text of legacy tables when any are in use.
 */
struct vd_fwsrc {
	int8_t known;	     /* enum vd_tri: VD_YES once the kernel was asked */
	char *nft_json;	     /* NULL: not read */
	char *iptables_save; /* legacy IPv4 tables in use, or NULL */
	char *ip6tables_save;
	char *error; /* why a part could not be read, or NULL */
};

struct vd_facts {
	char tool_version[32];
	char collected_at[32]; /* RFC 3339, UTC */
	char *sysroot;	       /* NULL: "/" */
	struct vd_host host;

	VD_ARRAY(struct vd_link, links);
	VD_ARRAY(struct vd_addr, addrs);
	VD_ARRAY(struct vd_route, routes);
	VD_ARRAY(struct vd_rule, rules);
	VD_ARRAY(struct vd_neigh, neighs);
	int8_t sockets_known; /* enum vd_tri: the socket list was read */
	VD_ARRAY(struct vd_socket, sockets);
	VD_ARRAY(struct vd_process, procs);

	int8_t modules_known; /* enum vd_tri: proc/modules read */
	VD_ARRAY(struct vd_module, modules);

	VD_ARRAY(struct vd_sysctl, sysctls);
	VD_ARRAY(char *, sysctl_files); /* every file read, in order */

	struct vd_resolv resolv;
	struct vd_vmware vmware;
	struct vd_security security; /* SELinux, AppArmor, hypervisors */
	struct vd_fwsrc firewall;
	struct vd_services services; /* units, NetworkManager */

	struct vd_probes probes; /* empty unless probes ran */
};

/* Allocation. Every _new has a _free that accepts NULL. */
struct vd_facts *vd_facts_new(void);
void vd_facts_free(struct vd_facts *f);

/*
 * Append a zeroed element to one of the arrays of the model and return it,
 * or NULL when out of memory.  Use through VD_PUSH(f, links).
 */
void *vd_array_push(void **arr, size_t *n, size_t *cap, size_t elsize);
#define VD_PUSH(obj, field)                                \
	((__typeof__((obj)->field))vd_array_push(          \
		(void **)&(obj)->field, &(obj)->n_##field, \
		&(obj)->cap_##field, sizeof(*(obj)->field)))

/* Look-ups. */
const struct vd_link *vd_facts_link_by_index(const struct vd_facts *f,
					     int ifindex);
const struct vd_link *vd_facts_link_by_name(const struct vd_facts *f,
					    const char *name);
/* Interface name for an index, or "if<N>" in buf when unknown. */
const char *vd_facts_ifname(const struct vd_facts *f, int ifindex, char *buf,
			    size_t len);
const struct vd_module *vd_facts_module(const struct vd_facts *f,
					const char *name);
/* The last setting of key in the sysctl files (later files win). */
const struct vd_sysctl *vd_facts_sysctl(const struct vd_facts *f,
					const char *key);

/* Sort arrays into a canonical order (by ifindex, table, prefix...). */
void vd_facts_sort(struct vd_facts *f);

#endif
