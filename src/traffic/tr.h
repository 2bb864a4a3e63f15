/* SPDX-License-Identifier: MIT */
/*
 * Inside the traffic analyser: the state every tracker shares.  Trackers
 * (track_<proto>.c) watch frames and fill per-subject tallies; the rules
 * (rules.c) turn tallies into findings at the end.
 */
#ifndef VD_TRAFFIC_TR_H
#define VD_TRAFFIC_TR_H

#include "traffic/table.h"
#include "traffic/traffic.h"

/* One tally table per code. */
enum tr_code {
	TR_ARP_UNANS,
	TR_DUP_IP,
	TR_MAC_CONFLICT,
	TR_VLAN,
	TR_MTU,
	TR_DHCP_NOOFFER,
	TR_DHCP_MULTI,
	TR_ICMP_UNREACH,
	TR_DNS,
	TR_SYN,
	TR_CLOSED,
	TR_RETRANS,
	TR_N
};

/* The finding code each tally table feeds, in enum order. */
extern const char *const tr_code_names[TR_N];

#define TR_SUBJECT_MAX	128
#define TR_FRAMES	16
#define TR_MAX_SUBJECTS 4096

/* What one subject of one code has gathered. */
struct tr_key {
	char subject[TR_SUBJECT_MAX];
	uint32_t sub; /* groups within a subject (a code's own meaning) */
};

struct tr_tally {
	struct vd_tab_val h;
	uint64_t first_us;
	uint64_t n[6]; /* counters, each code its own meaning */
	uint64_t frames[TR_FRAMES];
	uint64_t n_frames; /* frames noted in all (the first TR_FRAMES kept) */
	char note[96];	   /* a code's own words: who asked, the MTU ... */
	struct vd_ip ips[8]; /* addresses (servers, claims), a code's own */
	uint8_t macs[8][6];
	uint8_t n_ips, n_macs;
};

/* Requests waiting for an answer (per ARP target, DHCP client, TCP flow). */
#define TR_PEND 8
struct tr_pend {
	uint64_t us[TR_PEND], frame[TR_PEND];
	uint32_t tag[TR_PEND]; /* e.g. the DHCP xid */
	uint8_t n;
};

struct vd_traffic {
	struct vd_traffic_opts o;
	struct vd_traffic_stats st;
	uint64_t timeout_us, idle_us;
	uint64_t now_us;     /* the frame being read; the end when finishing */
	bool ending;	     /* finishing: too-recent requests are pending */
	uint64_t next_sweep; /* capture time of the next ageing sweep */
	uint64_t next_idle_sweep; /* ... and of the next for idle flows */

	struct vd_tab flows;	/* TCP and UDP conversations */
	struct vd_tab syns;	/* flow -> SYNs waiting */
	struct vd_tab arp_req;	/* (vlan, target) -> pending requests */
	struct vd_tab claims;	/* (vlan, address) -> probe waiting */
	struct vd_tab macs;	/* MAC -> the address it claimed last */
	struct vd_tab echo;	/* ICMP echo requests waiting */
	struct vd_tab dhcp_cli; /* client MAC -> DISCOVERs waiting */
	struct vd_tab dns_q;	/* DNS queries waiting */
	struct vd_tab tally[TR_N];
	uint8_t vlan_ok[512]; /* --vlan as a bitmap */

	struct vd_flow_row *rows;
	size_t n_rows, cap_rows;
	uint64_t rows_dropped;

	uint64_t *frames; /* behind the findings, after finish */
	size_t n_frames, cap_frames;
	int oom;
};

/* Tallies (tally.c). */
struct tr_tally *tr_tally(struct vd_traffic *t, enum tr_code c,
			  const char *subject, uint32_t sub);
/* The tally if it exists (never creates one). */
struct tr_tally *tr_tally_find(struct vd_traffic *t, enum tr_code c,
			       const char *subject, uint32_t sub);
/* The tally whose subject is an address (family, 16 address bytes). */
struct tr_tally *tr_tally_addr(struct vd_traffic *t, enum tr_code c,
			       uint8_t family, const uint8_t b[16],
			       uint32_t sub);
void tr_tally_frame(struct tr_tally *tl, uint64_t frame);
bool tr_tally_ip(struct tr_tally *tl, const struct vd_ip *ip);
bool tr_tally_mac(struct tr_tally *tl, const uint8_t mac[6]);
/* "frames 3, 9, 12 (40 in all)" into buf. */
void tr_frames_text(const struct tr_tally *tl, char *buf, size_t len);
/* Remember a tally's frames for --write-filtered. */
void tr_keep_frames(struct vd_traffic *t, const struct tr_tally *tl);

/* Pending requests (tally.c).  Judge those older than the timeout: each
 * unanswered one is passed to fn; the rest stay. */
typedef void (*tr_unans_fn)(struct vd_traffic *t, void *ctx, uint64_t us,
			    uint64_t frame, uint32_t tag);
void tr_pend_add(struct vd_traffic *t, struct tr_pend *p, uint64_t frame,
		 uint32_t tag, tr_unans_fn fn, void *ctx);
void tr_pend_settle(struct vd_traffic *t, struct tr_pend *p, tr_unans_fn fn,
		    void *ctx);
/* The entry holding p goes away: settle, and count what is left (too
 * recent to judge) as pending. */
void tr_pend_close(struct vd_traffic *t, struct tr_pend *p, tr_unans_fn fn,
		   void *ctx);
/* An answer at now: the waiting requests with tag (or all, when all) are
 * answered, unless older than the timeout; returns how many were. */
unsigned tr_pend_answer(struct vd_traffic *t, struct tr_pend *p, bool all,
			uint32_t tag, tr_unans_fn fn, void *ctx);
/* At the end: is a request sent at us too recent to judge? */
bool tr_too_recent(const struct vd_traffic *t, uint64_t us);

/* Text helpers. */
void tr_ip_port(const struct vd_ip *ip, uint16_t port, char *buf, size_t len);
void tr_ip_vlan(const struct vd_ip *ip, uint16_t vlan, char *buf, size_t len);
void tr_mac(const uint8_t mac[6], char *buf, size_t len);

/* Trackers: one call a frame of theirs; init/free their tables. */
int tr_arp_init(struct vd_traffic *t);
void tr_arp_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		 uint16_t vlan);
void tr_ndp_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		 uint16_t vlan);
int tr_flow_init(struct vd_traffic *t);
void tr_flow_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		  uint16_t vlan);
int tr_icmp_init(struct vd_traffic *t);
void tr_icmp_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		  uint16_t vlan);
int tr_dhcp_init(struct vd_traffic *t);
void tr_dhcp_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p,
		  uint16_t vlan);
int tr_dns_init(struct vd_traffic *t);
void tr_dns_feed(struct vd_traffic *t, uint64_t frame, const struct vd_pkt *p);

#endif
