/* SPDX-License-Identifier: MIT */
/*
 * Traffic analysis: decoded frames in, findings out (docs/traffic.md).
 * Pure: no I/O, no clock (capture timestamps only), bounded memory.
 *
 *   t = vd_traffic_new(&opts);
 *   for each frame: vd_decode(...); vd_traffic_feed(t, frame_no, ts_us, &pkt);
 *   vd_traffic_finish(t, &findings);
 *   ... vd_traffic_stats(t), vd_traffic_flows(t), vd_traffic_frames(t)
 *   vd_traffic_free(t);
 */
#ifndef VD_TRAFFIC_H
#define VD_TRAFFIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "facts/types.h"
#include "rules/finding.h"

#define VD_TRAFFIC_MAX_VLANS 64

struct vd_traffic_opts {
	uint32_t reply_timeout_ms; /* --reply-timeout, default 3000 */
	uint32_t idle_timeout_ms;  /* --idle-timeout, default 300000 */
	uint32_t min_unanswered;   /* --min-unanswered, default 2 */
	uint32_t mac_flaps;	   /* --mac-flaps, default 4 */
	uint32_t retrans_min;	   /* --retrans-min, default 3 */
	double retrans_rate;	   /* --retrans-rate, default 0.02 */
	double dns_fail_rate;	   /* --dns-fail-rate, default 0.2 */
	uint32_t max_flows;	   /* --max-flows, default 65536 */
	bool keep_flows;	   /* --flows: keep rows for the flow table */
	uint16_t vlans[VD_TRAFFIC_MAX_VLANS]; /* --vlan: expected ids (0 =
					       * untagged) */
	size_t n_vlans;			      /* 0: no expectation */
};

/* The defaults above. */
void vd_traffic_opts_default(struct vd_traffic_opts *o);

struct vd_traffic_stats {
	uint64_t frames, bytes;	    /* bytes: on the wire */
	uint64_t first_us, last_us; /* capture time span */
	uint64_t trunc, bad;	    /* frames cut short / malformed */
	uint64_t arp, ipv4, ipv6, tcp, udp, icmp, dhcp, dns, vlan, other;
	uint64_t flows;		/* flows seen */
	uint64_t flows_evicted; /* finished early because the table was full */
	uint64_t subjects_dropped; /* updates lost: a code's subject cap */
	uint64_t pending;	   /* requests too close to the end to judge */
	uint32_t peak_flows;	   /* most flows held at once */
};

/* One flow of the --flows table: a, the side that opened it (sent the SYN,
 * or was seen first), and b. */
struct vd_flow_row {
	uint8_t proto; /* 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6 */
	uint16_t vlan;
	struct vd_ip a, b;
	uint16_t aport, bport; /* ICMP: the echo id in aport */
	uint64_t pkts_ab, pkts_ba, bytes_ab, bytes_ba;
	uint64_t first_frame, first_us, last_us;
	uint32_t retrans_ab, retrans_ba;
	const char *state; /* "established", "syn-unanswered", "reset",
			    * "closed", "-" (not TCP) ... */
};

struct vd_traffic;

/* NULL when out of memory. */
struct vd_traffic *vd_traffic_new(const struct vd_traffic_opts *o);
void vd_traffic_free(struct vd_traffic *t);

/* One frame; frame numbers count from 1 like Wireshark's, ts_us in
 * microseconds since the epoch.  Never fails: a table that cannot grow
 * evicts its oldest entry. */
void vd_traffic_feed(struct vd_traffic *t, uint64_t frame, uint64_t ts_us,
		     const struct vd_pkt *p);

/* Move the analyser's clock to now_us without a frame (never back): a
 * live capture that stops at a deadline has watched the silence after its
 * last frame, so requests before now_us - timeout are judged. */
void vd_traffic_advance(struct vd_traffic *t, uint64_t now_us);

/* Judge what is left and add the findings to out (with caused_by links);
 * 0 or -ENOMEM.  Call once. */
int vd_traffic_finish(struct vd_traffic *t, struct vd_findings *out);

const struct vd_traffic_stats *vd_traffic_stats(const struct vd_traffic *t);

/* After finish: the flow rows (keep_flows), in order of first frame;
 * *dropped counts flows beyond the cap that have no row. */
size_t vd_traffic_flows(const struct vd_traffic *t,
			const struct vd_flow_row **rows, uint64_t *dropped);

/* After finish: the frame numbers behind the findings, sorted, unique
 * (for --write-filtered). */
size_t vd_traffic_frames(const struct vd_traffic *t, const uint64_t **frames);

/* The reporting half, one entry a code (src/traffic/rules.c): each is
 * called for every tally of its code (src/traffic/tr.h) and turns it into
 * findings.  Mutation tests remove entries. */
struct tr_key;
struct tr_tally;
typedef void (*vd_traffic_rule_fn)(struct vd_traffic *t,
				   struct vd_findings *out,
				   const struct tr_key *k, struct tr_tally *tl);
struct vd_traffic_rule {
	const char *code;
	vd_traffic_rule_fn fn;
};
extern const struct vd_traffic_rule vd_traffic_rules[];
extern const size_t vd_traffic_rules_len;

#endif
