/* SPDX-License-Identifier: MIT */
/*
 * The verdict of a firewall ruleset (facts/firewall.h) for one flow.
 *
 * A hook's base chains run in priority order across tables, as the kernel
 * does: an accept ends only its own base chain and the packet goes on to
 * the next base chain of the hook; drop and reject are final.  jump pushes
 * a return point, goto does not, return (or the end of a regular chain)
 * pops it, the end of a base chain applies its policy.  nat chains are not
 * run (they rewrite, they do not filter); tables of another family (ip for
 * an IPv6 flow, arp, bridge, netdev) are not either.  iptables-save tables
 * are the same shape (built-in chains as base chains at iptables'
 * priorities), so one walk serves both.
 *
 * A match the model cannot judge (an unsupported expression, an unknown
 * set, a fib type with the destination's locality unknown) makes its rule
 * "may match".  The walk treats it as not matching; when such a rule would
 * change the outcome, the result says so and names it, with the verdict
 * it would give.
 */
#ifndef VD_FWEVAL_H
#define VD_FWEVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/firewall.h"
#include "util/strbuf.h"

struct vd_fw_flow {
	uint8_t family;		 /* VD_AF_INET or VD_AF_INET6 */
	char iif[VD_IFNAME_MAX]; /* "" when none (output hook) */
	char oif[VD_IFNAME_MAX]; /* "" when none (input hook) */
	struct vd_ip saddr, daddr;
	uint8_t l4proto; /* 6 tcp, 17 udp, 1 icmp... */
	uint16_t sport, dport;
	unsigned ct;	    /* VD_FW_CT_*; 0 means new */
	unsigned ct_status; /* VD_FW_CTS_*; 0 for a new, unNATed flow */
	int8_t daddr_local; /* enum vd_tri: for fib daddr type local */
};

/* Where a verdict came from: a rule, or the policy of a base chain (rule
 * NULL).  table NULL: no base chain on the hook, the kernel accepts. */
struct vd_fw_ref {
	const struct vd_fw_table *table;
	const struct vd_fw_chain *chain;
	const struct vd_fw_rule *rule;
};

struct vd_fw_result {
	uint8_t hook;	 /* enum vd_fw_hook that decided (last one run) */
	uint8_t verdict; /* VD_FWV_ACCEPT, _DROP, _REJECT or _QUEUE */
	struct vd_fw_ref by;
	/* An unsupported match that would change the verdict: may_rule is
	 * the first such rule, may_text its expression, may_verdict/may_by
	 * what the ruleset decides if it matches. */
	bool may;
	struct vd_fw_ref may_rule;
	const char *may_text;
	uint8_t may_verdict;
	struct vd_fw_ref may_by;
};

/*
 * The verdict of one hook (VD_FW_HOOK_INPUT, _OUTPUT, _FORWARD...) for
 * flow.  0, or -ELOOP when jumps nest deeper than the kernel allows or the
 * walk does not end, -EINVAL for a flow without a family.
 */
int vd_fw_eval_hook(const struct vd_fw_ruleset *rs,
		    const struct vd_fw_flow *flow, uint8_t hook,
		    struct vd_fw_result *out);

/* The host's situations, and the hooks each traverses in order. */
enum vd_fw_path {
	VD_FW_PATH_TO_HOST = 0, /* to a local address: input */
	VD_FW_PATH_FROM_HOST,	/* sent by the host: output */
	VD_FW_PATH_ROUTED,	/* routed between interfaces: forward */
	VD_FW_PATH_SELF,	/* host to itself: output, then input */
};
/* Fills hooks (room for 2); returns how many. */
size_t vd_fw_path_hooks(enum vd_fw_path path, uint8_t hooks[2]);

/* Every hook of path in order, stopping at the first that does not
 * accept (or that may not); out is that hook's result, else the last. */
int vd_fw_eval_path(const struct vd_fw_ruleset *rs,
		    const struct vd_fw_flow *flow, enum vd_fw_path path,
		    struct vd_fw_result *out);

/* "table inet filter chain input handle 7: tcp dport 22 accept", "table
 * ip filter chain FORWARD line 12: -A FORWARD ... -j DROP", "table inet
 * filter chain input policy drop", or "no base chain". */
void vd_fw_ref_describe(const struct vd_fw_ref *ref, struct vd_strbuf *sb);

#endif
