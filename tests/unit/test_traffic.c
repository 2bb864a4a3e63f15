/* SPDX-License-Identifier: MIT */
/*
 * The traffic analyser (src/traffic): its bounded table, and each
 * detector on hand-made decoded packets, positive and negative, with the
 * timeout's edges (docs/traffic.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "traffic/table.h"
#include "traffic/tr.h"
#include "traffic/traffic.h"
#include "util/ip.h"

#define S 1000000ull /* one second in microseconds */

/* ---- the table ---- */

struct tv {
	struct vd_tab_val h;
	uint32_t x;
};

static unsigned finished;
static uint64_t finished_oldest;

static void on_finish(void *ctx, const void *key, void *val)
{
	const struct tv *v = val;

	(void)ctx;
	(void)key;
	finished++;
	if (v->h.last_us < finished_oldest)
		finished_oldest = v->h.last_us;
}

static void table_basics(void **state)
{
	struct vd_tab t;
	bool created;

	(void)state;
	assert_int_equal(vd_tab_init(&t, sizeof(uint32_t), sizeof(struct tv),
				     100000, on_finish, NULL),
			 0);
	for (uint32_t i = 0; i < 50000; i++) {
		struct tv *v = vd_tab_put(&t, &i, i, &created);

		assert_true(created);
		v->x = i * 7;
	}
	assert_int_equal(t.n, 50000);
	for (uint32_t i = 0; i < 50000; i += 2)
		vd_tab_del(&t, &i);
	for (uint32_t i = 0; i < 50000; i++) {
		struct tv *v = vd_tab_get(&t, &i);

		if (i % 2 == 0) {
			assert_null(v);
		} else {
			assert_non_null(v);
			assert_int_equal(v->x, i * 7);
		}
	}
	/* Expire the older half: finish is called for each. */
	finished = 0;
	vd_tab_expire(&t, 25000);
	assert_int_equal(finished, 12500);
	for (uint32_t i = 1; i < 50000; i += 2)
		assert_true((vd_tab_get(&t, &i) != NULL) == (i >= 25000));
	vd_tab_expire(&t, UINT64_MAX);
	assert_int_equal(t.n, 0);
	vd_tab_free(&t);
}

static void table_cap_evicts_old(void **state)
{
	struct vd_tab t;
	bool created;

	(void)state;
	assert_int_equal(vd_tab_init(&t, sizeof(uint32_t), sizeof(struct tv),
				     64, on_finish, NULL),
			 0);
	finished = 0;
	finished_oldest = UINT64_MAX;
	for (uint32_t i = 0; i < 10000; i++)
		vd_tab_put(&t, &i, 1000 + i, &created);
	assert_true(t.n <= 64);
	assert_true(t.peak <= 64);
	assert_int_equal(finished, 10000 - t.n);
	assert_int_equal(t.evicted, finished);
	/* The newest entries survive: eviction takes old ones. */
	for (uint32_t i = 9990; i < 10000; i++)
		assert_non_null(vd_tab_get(&t, &i));
	/* vd_tab_add does not evict. */
	{
		uint32_t k = 777777;

		assert_null(vd_tab_add(&t, &k, 5, &created));
	}
	vd_tab_free(&t);
}

/* ---- packets ---- */

static const uint8_t MAC_A[6] = { 0x00, 0x0c, 0x29, 0, 0, 0xa };
static const uint8_t MAC_B[6] = { 0x00, 0x0c, 0x29, 0, 0, 0xb };
static const uint8_t MAC_C[6] = { 0x00, 0x0c, 0x29, 0, 0, 0xc };

static struct vd_ip ip(const char *s)
{
	struct vd_ip a;

	assert_int_equal(vd_ip_parse(s, &a), 0);
	return a;
}

struct run {
	struct vd_traffic_opts o;
	struct vd_traffic *t;
	struct vd_findings fl;
	uint64_t frame;
	bool done;
};

static void start(struct run *r)
{
	memset(r, 0, sizeof(*r));
	vd_traffic_opts_default(&r->o);
	vd_findings_init(&r->fl);
}

static void feed(struct run *r, uint64_t us, const struct vd_pkt *p)
{
	if (!r->t) {
		r->t = vd_traffic_new(&r->o);
		assert_non_null(r->t);
	}
	vd_traffic_feed(r->t, ++r->frame, us, p);
}

static void finish(struct run *r)
{
	if (!r->t) {
		r->t = vd_traffic_new(&r->o);
		assert_non_null(r->t);
	}
	assert_int_equal(vd_traffic_finish(r->t, &r->fl), 0);
	r->done = true;
}

static void stop(struct run *r)
{
	vd_findings_clear(&r->fl);
	vd_traffic_free(r->t);
}

static const struct vd_finding *find(struct run *r, const char *code,
				     const char *subject)
{
	return vd_findings_find(&r->fl, code, subject);
}

static size_t count_code(struct run *r, const char *code)
{
	size_t n = 0;

	for (size_t i = 0; i < r->fl.n; i++)
		n += strcmp(r->fl.v[i].check->code, code) == 0;
	return n;
}

/* A frame that only moves the clock on. */
static void tick(struct run *r, uint64_t us)
{
	struct vd_pkt p;

	memset(&p, 0, sizeof(p));
	p.flags = VD_PKT_ETH;
	p.caplen = 60;
	feed(r, us, &p);
}

static void arp(struct run *r, uint64_t us, uint16_t op, const uint8_t *sha,
		const char *spa, const char *tpa, uint16_t vlan)
{
	struct vd_pkt p;
	struct vd_ip s = ip(spa), t = ip(tpa);

	memset(&p, 0, sizeof(p));
	p.flags = VD_PKT_ETH | VD_PKT_ARP | (vlan ? VD_PKT_VLAN : 0);
	p.caplen = 60;
	if (vlan) {
		p.n_vlan = 1;
		p.vlan[0] = vlan;
	}
	memcpy(p.src_mac, sha, 6);
	p.arp.op = op;
	memcpy(p.arp.sha, sha, 6);
	memcpy(p.arp.spa, s.b, 4);
	memcpy(p.arp.tpa, t.b, 4);
	feed(r, us, &p);
}

static void l4(struct vd_pkt *p, const char *src, uint16_t sport,
	       const char *dst, uint16_t dport, uint8_t proto)
{
	memset(p, 0, sizeof(*p));
	p->src = ip(src);
	p->dst = ip(dst);
	p->flags = VD_PKT_ETH |
		   (p->src.family == VD_AF_INET6 ? VD_PKT_IPV6 : VD_PKT_IPV4);
	p->proto = proto;
	p->sport = sport;
	p->dport = dport;
	p->caplen = 60;
	p->ip_len = 40;
	if (proto == 6)
		p->flags |= VD_PKT_TCP;
	else if (proto == 17)
		p->flags |= VD_PKT_UDP;
	else
		p->flags |= VD_PKT_ICMP;
}

static void tcp(struct run *r, uint64_t us, const char *src, uint16_t sport,
		const char *dst, uint16_t dport, uint8_t flags, uint32_t seq,
		size_t len)
{
	static const uint8_t data[1500];
	struct vd_pkt p;

	l4(&p, src, sport, dst, dport, 6);
	p.tcp.flags = flags;
	p.tcp.seq = seq;
	p.payload = data;
	p.payload_len = len;
	feed(r, us, &p);
}

/* ---- ARP ---- */

static void arp_unanswered(void **state)
{
	struct run r;
	const struct vd_finding *f;

	(void)state;
	start(&r);
	for (int i = 0; i < 3; i++)
		arp(&r, (uint64_t)i * S, 1, MAC_A, "10.0.0.1", "10.0.0.9", 0);
	tick(&r, 9 * S);
	finish(&r);
	f = find(&r, "L2.arp-unanswered", "10.0.0.9");
	assert_non_null(f);
	assert_string_equal(f->evidence[f->n_evidence - 1], "frames 1, 2, 3");
	assert_int_equal(count_code(&r, "L2.arp-unanswered"), 1);
	stop(&r);

	/* Answered within the timeout: nothing. */
	start(&r);
	arp(&r, 0, 1, MAC_A, "10.0.0.1", "10.0.0.9", 0);
	arp(&r, S / 2, 2, MAC_B, "10.0.0.9", "10.0.0.1", 0);
	arp(&r, S, 1, MAC_A, "10.0.0.1", "10.0.0.9", 0);
	arp(&r, S + 1000, 2, MAC_B, "10.0.0.9", "10.0.0.1", 0);
	tick(&r, 9 * S);
	finish(&r);
	assert_int_equal(r.fl.n, 0);
	stop(&r);

	/* Answered, but later than the timeout: unanswered. */
	start(&r);
	arp(&r, 0, 1, MAC_A, "10.0.0.1", "10.0.0.9", 0);
	arp(&r, 1 * S, 1, MAC_A, "10.0.0.1", "10.0.0.9", 0);
	arp(&r, 5 * S, 2, MAC_B, "10.0.0.9", "10.0.0.1", 0);
	finish(&r);
	assert_non_null(find(&r, "L2.arp-unanswered", "10.0.0.9"));
	stop(&r);

	/* Too close to the end of the capture: pending, not judged. */
	start(&r);
	for (int i = 0; i < 3; i++)
		arp(&r, (uint64_t)i * S, 1, MAC_A, "10.0.0.1", "10.0.0.9", 0);
	tick(&r, 4 * S);
	finish(&r);
	/* the first (t=0) and second (t=1) are judged; the third pending */
	assert_non_null(find(&r, "L2.arp-unanswered", "10.0.0.9"));
	assert_int_equal(vd_traffic_stats(r.t)->pending, 1);
	stop(&r);

	/* A live capture that went on in silence: its end is the clock's. */
	start(&r);
	for (int i = 0; i < 3; i++)
		arp(&r, (uint64_t)i * S, 1, MAC_A, "10.0.0.1", "10.0.0.9", 0);
	vd_traffic_advance(r.t, 9 * S);
	vd_traffic_advance(r.t, 1 * S); /* never back */
	finish(&r);
	assert_non_null(find(&r, "L2.arp-unanswered", "10.0.0.9"));
	assert_int_equal(vd_traffic_stats(r.t)->pending, 0);
	stop(&r);

	/* One unanswered request is below --min-unanswered; gratuitous
	 * ARP and probes wait for nobody. */
	start(&r);
	arp(&r, 0, 1, MAC_A, "10.0.0.1", "10.0.0.9", 0);
	arp(&r, S, 1, MAC_A, "10.0.0.1", "10.0.0.1", 0);
	arp(&r, 2 * S, 1, MAC_A, "10.0.0.1", "10.0.0.1", 0);
	arp(&r, 3 * S, 1, MAC_C, "0.0.0.0", "10.0.0.7", 0);
	arp(&r, 4 * S, 1, MAC_C, "0.0.0.0", "10.0.0.7", 0);
	tick(&r, 20 * S);
	finish(&r);
	assert_int_equal(r.fl.n, 0);
	stop(&r);
}

static void duplicate_ip(void **state)
{
	struct run r;
	const struct vd_finding *f;

	(void)state;
	start(&r);
	arp(&r, 0, 1, MAC_C, "10.0.0.1", "10.0.0.5", 0);
	arp(&r, 1000, 2, MAC_A, "10.0.0.5", "10.0.0.1", 0);
	arp(&r, 2000, 2, MAC_B, "10.0.0.5", "10.0.0.1", 0);
	finish(&r);
	f = find(&r, "L2.duplicate-ip", "10.0.0.5");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "00:0c:29:00:00:0a"));
	assert_non_null(strstr(f->title, "00:0c:29:00:00:0b"));
	assert_string_equal(f->evidence[0], "frames 2, 3");
	stop(&r);

	/* The same MAC again and again is one owner. */
	start(&r);
	for (int i = 0; i < 5; i++)
		arp(&r, (uint64_t)i * S, 2, MAC_A, "10.0.0.5", "10.0.0.1", 0);
	finish(&r);
	assert_int_equal(r.fl.n, 0);
	stop(&r);

	/* A probe for an address another MAC answers for. */
	start(&r);
	arp(&r, 0, 1, MAC_B, "0.0.0.0", "10.0.0.5", 0);
	arp(&r, 1000, 2, MAC_A, "10.0.0.5", "10.0.0.5", 0);
	finish(&r);
	assert_non_null(find(&r, "L2.duplicate-ip", "10.0.0.5"));
	stop(&r);

	/* A probe nobody answers, then the prober announces: fine. */
	start(&r);
	arp(&r, 0, 1, MAC_B, "0.0.0.0", "10.0.0.5", 0);
	arp(&r, 2 * S, 1, MAC_B, "10.0.0.5", "10.0.0.5", 0);
	finish(&r);
	assert_int_equal(r.fl.n, 0);
	stop(&r);

	/* Per VLAN: the same address in two VLANs is no conflict. */
	start(&r);
	arp(&r, 0, 2, MAC_A, "10.0.0.5", "10.0.0.1", 10);
	arp(&r, 1, 2, MAC_B, "10.0.0.5", "10.0.0.1", 20);
	finish(&r);
	assert_int_equal(r.fl.n, 0);
	stop(&r);
}

static void mac_conflict(void **state)
{
	struct run r;
	const char *ips[] = { "10.0.0.5", "10.0.0.6" };

	(void)state;
	start(&r);
	for (int i = 0; i < 5; i++) /* 4 switches */
		arp(&r, (uint64_t)i * S, 1, MAC_A, ips[i % 2], "10.0.0.1", 0);
	arp(&r, 5 * S, 2, MAC_B, "10.0.0.1", "10.0.0.5", 0);
	finish(&r);
	assert_non_null(find(&r, "L2.mac-conflict", "00:0c:29:00:00:0a"));
	stop(&r);

	start(&r);
	for (int i = 0; i < 4; i++) /* 3 switches: below --mac-flaps */
		arp(&r, (uint64_t)i * S, 1, MAC_A, ips[i % 2], "10.0.0.1", 0);
	arp(&r, 5 * S, 2, MAC_B, "10.0.0.1", "10.0.0.5", 0);
	finish(&r);
	assert_int_equal(count_code(&r, "L2.mac-conflict"), 0);
	stop(&r);
}

static void vlan_mismatch(void **state)
{
	struct run r;
	const struct vd_finding *f;

	(void)state;
	start(&r);
	arp(&r, 0, 1, MAC_A, "10.0.0.1", "10.0.0.9", 0);
	arp(&r, 1000, 2, MAC_B, "10.0.0.9", "10.0.0.1", 0);
	for (int i = 0; i < 3; i++)
		arp(&r, (uint64_t)(i + 1) * S, 1, MAC_A, "10.0.0.1", "10.0.0.9",
		    10);
	tick(&r, 10 * S);
	finish(&r);
	assert_non_null(find(&r, "L2.vlan-mismatch", "vlan 10"));
	f = find(&r, "L2.arp-unanswered", "10.0.0.9 vlan 10");
	assert_non_null(f);
	assert_non_null(f->caused_by);
	assert_string_equal(f->caused_by, "L2.vlan-mismatch");
	stop(&r);

	/* Without answers anywhere it is no VLAN problem. */
	start(&r);
	for (int i = 0; i < 3; i++)
		arp(&r, (uint64_t)i * S, 1, MAC_A, "10.0.0.1", "10.0.0.9", 10);
	tick(&r, 10 * S);
	finish(&r);
	assert_int_equal(count_code(&r, "L2.vlan-mismatch"), 0);
	assert_int_equal(count_code(&r, "L2.arp-unanswered"), 1);
	stop(&r);

	/* --vlan 0,10: a frame in VLAN 20 is unexpected. */
	start(&r);
	r.o.vlans[0] = 0;
	r.o.vlans[1] = 10;
	r.o.n_vlans = 2;
	arp(&r, 0, 2, MAC_A, "10.0.0.5", "10.0.0.1", 10);
	arp(&r, 1, 2, MAC_A, "10.0.0.5", "10.0.0.1", 0);
	arp(&r, 2, 2, MAC_B, "10.0.0.6", "10.0.0.1", 20);
	finish(&r);
	f = find(&r, "L2.vlan-mismatch", "vlan 20");
	assert_non_null(f);
	assert_string_equal(f->evidence[0], "frame 3");
	assert_int_equal(r.fl.n, 1);
	stop(&r);
}

/* ---- ICMP ---- */

static void echo(struct run *r, uint64_t us, const char *src, const char *dst,
		 bool reply, uint16_t seq, uint16_t len, bool df)
{
	struct vd_pkt p;

	l4(&p, src, 0, dst, 0, 1);
	p.icmp.type = reply ? 0 : 8;
	p.icmp.id = 77;
	p.icmp.seq = seq;
	p.ip_len = len;
	p.df = df;
	feed(r, us, &p);
}

static void icmp_error(struct run *r, uint64_t us, const char *router,
		       const char *to, uint8_t type, uint8_t code,
		       const char *qdst, uint8_t qproto, uint16_t qdport,
		       uint32_t mtu)
{
	struct vd_pkt p;

	l4(&p, router, 0, to, 0, 1);
	p.icmp.type = type;
	p.icmp.code = code;
	p.icmp.quoted = true;
	p.icmp.q_src = ip(to);
	p.icmp.q_dst = ip(qdst);
	p.icmp.q_proto = qproto;
	p.icmp.q_dport = qdport;
	p.icmp.mtu = mtu;
	feed(r, us, &p);
}

static void mtu_mismatch(void **state)
{
	struct run r;
	const struct vd_finding *f;

	(void)state;
	start(&r);
	icmp_error(&r, 0, "10.0.0.2", "10.0.0.1", 3, 4, "198.51.100.7", 6, 443,
		   1400);
	finish(&r);
	f = find(&r, "L2.mtu-mismatch", "198.51.100.7");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "1400"));
	assert_int_equal(count_code(&r, "L3.icmp-unreachable"), 0);
	stop(&r);

	/* Large DF echoes lost while small ones pass. */
	start(&r);
	echo(&r, 0, "10.0.0.1", "10.0.0.9", false, 1, 84, true);
	echo(&r, 1000, "10.0.0.9", "10.0.0.1", true, 1, 84, false);
	echo(&r, S, "10.0.0.1", "10.0.0.9", false, 2, 1500, true);
	echo(&r, 2 * S, "10.0.0.1", "10.0.0.9", false, 3, 1500, true);
	tick(&r, 9 * S);
	finish(&r);
	assert_non_null(find(&r, "L2.mtu-mismatch", "10.0.0.9"));
	stop(&r);

	/* Without a small one answered it may be anything: no MTU
	 * finding.  Nor for large echoes without DF, nor answered ones. */
	start(&r);
	echo(&r, 0, "10.0.0.1", "10.0.0.9", false, 2, 1500, true);
	echo(&r, S, "10.0.0.1", "10.0.0.9", false, 3, 1500, true);
	echo(&r, 2 * S, "10.0.0.1", "10.0.0.8", false, 1, 84, true);
	echo(&r, 2 * S + 1, "10.0.0.8", "10.0.0.1", true, 1, 84, false);
	echo(&r, 2 * S + 2, "10.0.0.1", "10.0.0.8", false, 4, 1500, false);
	echo(&r, 2 * S + 3, "10.0.0.1", "10.0.0.8", false, 5, 1500, false);
	echo(&r, 2 * S + 4, "10.0.0.1", "10.0.0.8", false, 6, 1500, true);
	echo(&r, 2 * S + 5, "10.0.0.8", "10.0.0.1", true, 6, 1500, false);
	tick(&r, 9 * S);
	finish(&r);
	assert_int_equal(r.fl.n, 0);
	stop(&r);
}

static void icmp_unreachable(void **state)
{
	struct run r;
	const struct vd_finding *f;

	(void)state;
	start(&r);
	icmp_error(&r, 0, "10.0.0.2", "10.0.0.1", 3, 1, "10.9.9.9", 6, 80, 0);
	icmp_error(&r, 1, "10.0.0.2", "10.0.0.1", 3, 1, "10.9.9.9", 6, 80, 0);
	icmp_error(&r, 2, "10.0.0.3", "10.0.0.1", 3, 3, "10.0.0.3", 17, 53, 0);
	finish(&r);
	f = find(&r, "L3.icmp-unreachable", "10.9.9.9");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "host unreachable"));
	assert_non_null(strstr(f->title, "2 messages"));
	f = find(&r, "L3.icmp-unreachable", "10.0.0.3");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "port unreachable"));
	stop(&r);
}

/* ---- DHCP ---- */

static void dhcp(struct run *r, uint64_t us, uint8_t op, uint8_t type,
		 uint32_t xid, const uint8_t *chaddr, const char *server)
{
	struct vd_pkt p;

	l4(&p, op == 1 ? "0.0.0.0" : server, op == 1 ? 68 : 67,
	   "255.255.255.255", op == 1 ? 67 : 68, 17);
	p.flags |= VD_PKT_DHCP;
	p.dhcp.op = op;
	p.dhcp.msgtype = type;
	p.dhcp.xid = xid;
	memcpy(p.dhcp.chaddr, chaddr, 6);
	if (server)
		p.dhcp.server_id = ip(server);
	feed(r, us, &p);
}

static void dhcp_detectors(void **state)
{
	struct run r;
	const struct vd_finding *f;

	(void)state;
	start(&r);
	for (int i = 0; i < 3; i++)
		dhcp(&r, (uint64_t)i * 2 * S, 1, 1, 42, MAC_A, NULL);
	tick(&r, 12 * S);
	finish(&r);
	f = find(&r, "L3.dhcp-no-offer", "00:0c:29:00:00:0a");
	assert_non_null(f);
	assert_int_equal(r.fl.n, 1);
	stop(&r);

	/* Offered: no finding; offers from two servers: that finding. */
	start(&r);
	dhcp(&r, 0, 1, 1, 42, MAC_A, NULL);
	dhcp(&r, 1000, 2, 2, 42, MAC_A, "10.0.0.254");
	dhcp(&r, 2000, 2, 2, 42, MAC_A, "10.0.0.9");
	dhcp(&r, 3 * S, 1, 1, 43, MAC_B, NULL);
	dhcp(&r, 3 * S + 9, 2, 2, 43, MAC_B, "10.0.0.254");
	tick(&r, 12 * S);
	finish(&r);
	assert_int_equal(count_code(&r, "L3.dhcp-no-offer"), 0);
	f = find(&r, "L3.dhcp-multiple-servers", "10.0.0.9,10.0.0.254");
	assert_non_null(f);
	assert_int_equal(r.fl.n, 1);
	stop(&r);

	/* An offer for another xid does not answer. */
	start(&r);
	dhcp(&r, 0, 1, 1, 42, MAC_A, NULL);
	dhcp(&r, 10, 2, 2, 99, MAC_A, "10.0.0.254");
	dhcp(&r, 2 * S, 1, 1, 42, MAC_A, NULL);
	tick(&r, 12 * S);
	finish(&r);
	/* it did get an offer in the capture, so no "no offer" finding */
	assert_int_equal(count_code(&r, "L3.dhcp-no-offer"), 0);
	stop(&r);
}

/* ---- DNS ---- */

static void dns(struct run *r, uint64_t us, bool response, uint16_t id,
		uint8_t rcode, const char *server)
{
	struct vd_pkt p;

	if (response)
		l4(&p, server, 53, "10.0.0.1", 40000, 17);
	else
		l4(&p, "10.0.0.1", 40000, server, 53, 17);
	p.flags |= VD_PKT_DNS;
	p.dns.id = id;
	p.dns.response = response;
	p.dns.rcode = rcode;
	feed(r, us, &p);
}

static void dns_failure(void **state)
{
	struct run r;
	const struct vd_finding *f;

	(void)state;
	start(&r);
	for (uint16_t i = 0; i < 5; i++) {
		dns(&r, i * S, false, i, 0, "10.0.0.53");
		dns(&r, i * S + 100, true, i, i < 3 ? 2 : 0, "10.0.0.53");
	}
	/* the other server answers, with NXDOMAIN too */
	for (uint16_t i = 0; i < 5; i++) {
		dns(&r, i * S, false, 100 + i, 0, "10.0.0.2");
		dns(&r, i * S + 100, true, 100 + i, i % 2 ? 3 : 0, "10.0.0.2");
	}
	tick(&r, 20 * S);
	finish(&r);
	f = find(&r, "L3.dns-failure", "10.0.0.53");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "3 of 5"));
	assert_non_null(strstr(f->title, "3 SERVFAIL"));
	assert_int_equal(r.fl.n, 1);
	stop(&r);

	/* Unanswered: 2 of 10 is the 0.2 rate exactly; a retry with the
	 * same id is the same query. */
	start(&r);
	for (uint16_t i = 0; i < 10; i++) {
		dns(&r, i * S, false, i, 0, "10.0.0.53");
		if (i < 8)
			dns(&r, i * S + 100, true, i, 0, "10.0.0.53");
		else
			dns(&r, i * S + 2000, false, i, 0, "10.0.0.53");
	}
	tick(&r, 30 * S);
	finish(&r);
	f = find(&r, "L3.dns-failure", "10.0.0.53");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "2 of 10"));
	stop(&r);

	start(&r);
	r.o.dns_fail_rate = 0.25;
	for (uint16_t i = 0; i < 10; i++) {
		dns(&r, i * S, false, i, 0, "10.0.0.53");
		if (i < 8)
			dns(&r, i * S + 100, true, i, 0, "10.0.0.53");
	}
	tick(&r, 30 * S);
	finish(&r);
	assert_int_equal(r.fl.n, 0);
	stop(&r);
}

/* ---- TCP ---- */

static void tcp_syn(void **state)
{
	struct run r;
	const struct vd_finding *f;

	(void)state;
	start(&r);
	tcp(&r, 0, "10.0.0.1", 40000, "10.0.0.9", 80, VD_TCP_SYN, 100, 0);
	tcp(&r, S, "10.0.0.1", 40000, "10.0.0.9", 80, VD_TCP_SYN, 100, 0);
	tcp(&r, 3 * S, "10.0.0.1", 40000, "10.0.0.9", 80, VD_TCP_SYN, 100, 0);
	tick(&r, 10 * S);
	finish(&r);
	f = find(&r, "L4.syn-unanswered", "10.0.0.9:80");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "3 SYNs"));
	assert_int_equal(r.fl.n, 1);
	stop(&r);

	/* A RST answers: the port is closed, the SYN not unanswered. */
	start(&r);
	tcp(&r, 0, "10.0.0.1", 40000, "10.0.0.9", 81, VD_TCP_SYN, 100, 0);
	tcp(&r, 100, "10.0.0.9", 81, "10.0.0.1", 40000, VD_TCP_RST | VD_TCP_ACK,
	    0, 0);
	tcp(&r, S, "10.0.0.1", 40001, "10.0.0.9", 81, VD_TCP_SYN, 100, 0);
	tcp(&r, S + 100, "10.0.0.9", 81, "10.0.0.1", 40001,
	    VD_TCP_RST | VD_TCP_ACK, 0, 0);
	tick(&r, 10 * S);
	finish(&r);
	f = find(&r, "L4.port-closed", "10.0.0.9:81");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "2 connections"));
	assert_string_equal(f->evidence[0], "frames 1, 2, 3, 4");
	assert_int_equal(r.fl.n, 1);
	stop(&r);

	/* A handshake, then a reset of an open connection: neither. */
	start(&r);
	tcp(&r, 0, "10.0.0.1", 40000, "10.0.0.9", 80, VD_TCP_SYN, 100, 0);
	tcp(&r, 10, "10.0.0.9", 80, "10.0.0.1", 40000, VD_TCP_SYN | VD_TCP_ACK,
	    500, 0);
	tcp(&r, 20, "10.0.0.1", 40000, "10.0.0.9", 80, VD_TCP_ACK, 101, 0);
	tcp(&r, 30, "10.0.0.9", 80, "10.0.0.1", 40000, VD_TCP_RST, 501, 0);
	tick(&r, 10 * S);
	finish(&r);
	assert_int_equal(r.fl.n, 0);
	stop(&r);

	/* An ICMP unreachable explains the unanswered SYNs. */
	start(&r);
	tcp(&r, 0, "10.0.0.1", 40000, "10.9.9.9", 80, VD_TCP_SYN, 100, 0);
	icmp_error(&r, 10, "10.0.0.2", "10.0.0.1", 3, 1, "10.9.9.9", 6, 80, 0);
	tcp(&r, S, "10.0.0.1", 40000, "10.9.9.9", 80, VD_TCP_SYN, 100, 0);
	tick(&r, 10 * S);
	finish(&r);
	f = find(&r, "L4.syn-unanswered", "10.9.9.9:80");
	assert_non_null(f);
	assert_string_equal(f->caused_by, "L3.icmp-unreachable");
	stop(&r);
}

static void tcp_retransmissions(void **state)
{
	struct run r;
	const struct vd_finding *f;
	uint32_t seq = 1001;

	(void)state;
	start(&r);
	tcp(&r, 0, "10.0.0.1", 40000, "10.0.0.9", 80, VD_TCP_SYN, 1000, 0);
	tcp(&r, 10, "10.0.0.9", 80, "10.0.0.1", 40000, VD_TCP_SYN | VD_TCP_ACK,
	    5000, 0);
	for (int i = 0; i < 20; i++) {
		tcp(&r, 100 + (uint64_t)i * 100, "10.0.0.9", 80, "10.0.0.1",
		    40000, VD_TCP_ACK, 5001 + (uint32_t)i * 1000, 1000);
		if (i % 6 == 5) /* 3 of 23 data segments again */
			tcp(&r, 150 + (uint64_t)i * 100, "10.0.0.9", 80,
			    "10.0.0.1", 40000, VD_TCP_ACK,
			    5001 + (uint32_t)i * 1000, 1000);
	}
	/* the client's keep-alives are no retransmissions */
	for (int i = 0; i < 5; i++)
		tcp(&r, 5000 + (uint64_t)i, "10.0.0.1", 40000, "10.0.0.9", 80,
		    VD_TCP_ACK, seq - 1, 1);
	finish(&r);
	f = find(&r, "L4.retransmissions", "10.0.0.1:40000 -> 10.0.0.9:80");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "10.0.0.9:80 retransmits 3 of 23"));
	assert_int_equal(r.fl.n, 1);
	stop(&r);

	/* Fewer than --retrans-min: nothing. */
	start(&r);
	r.o.retrans_min = 4;
	tcp(&r, 0, "10.0.0.1", 40000, "10.0.0.9", 80, VD_TCP_SYN, 1000, 0);
	for (int i = 0; i < 20; i++) {
		tcp(&r, 100 + (uint64_t)i * 100, "10.0.0.1", 40000, "10.0.0.9",
		    80, VD_TCP_ACK, 1001 + (uint32_t)i * 100, 100);
		if (i % 6 == 5)
			tcp(&r, 150 + (uint64_t)i * 100, "10.0.0.1", 40000,
			    "10.0.0.9", 80, VD_TCP_ACK,
			    1001 + (uint32_t)i * 100, 100);
	}
	finish(&r);
	assert_int_equal(count_code(&r, "L4.retransmissions"), 0);
	stop(&r);
}

/* ---- bounds ---- */

static void bounded(void **state)
{
	struct run r;
	const struct vd_traffic_stats *st;
	const uint64_t *frames;
	size_t n;
	char a[32];

	(void)state;
	start(&r);
	r.o.max_flows = 64;
	r.o.keep_flows = true;
	for (uint32_t i = 0; i < 20000; i++) {
		snprintf(a, sizeof(a), "10.%u.%u.%u", (i >> 16) & 255,
			 (i >> 8) & 255, i & 255);
		tcp(&r, (uint64_t)i * 100, a, 40000, "10.200.0.1", 80,
		    VD_TCP_ACK, 7, 10);
	}
	/* ARP requests evicted before they can be judged are pending */
	for (uint32_t i = 0; i < 200; i++) {
		snprintf(a, sizeof(a), "10.1.%u.%u", i >> 8, i & 255);
		arp(&r, 3 * S + i, 1, MAC_A, "10.0.0.1", a, 0);
	}
	tick(&r, 60 * S);
	finish(&r);
	st = vd_traffic_stats(r.t);
	assert_true(st->peak_flows <= 64);
	assert_true(st->flows_evicted > 0);
	assert_int_equal(st->flows, 20000);
	assert_true(st->pending >= 200 - (64 / 4 + 64));
	{
		const struct vd_flow_row *rows;
		uint64_t dropped;
		size_t nr = vd_traffic_flows(r.t, &rows, &dropped);

		assert_true(nr <= 64);
		assert_int_equal(nr + dropped, 20000);
	}
	stop(&r);

	/* 5000 distinct unanswered ARP targets: subjects are capped. */
	start(&r);
	for (uint32_t i = 0; i < 5000; i++) {
		snprintf(a, sizeof(a), "10.1.%u.%u", i >> 8, i & 255);
		arp(&r, i, 1, MAC_A, "10.0.0.1", a, 0);
		arp(&r, S + i, 1, MAC_A, "10.0.0.1", a, 0);
	}
	tick(&r, 60 * S);
	finish(&r);
	st = vd_traffic_stats(r.t);
	assert_int_equal(st->subjects_dropped, 2 * (5000 - 4096)); /* updates */
	assert_int_equal(count_code(&r, "L2.arp-unanswered"), 4096);
	n = vd_traffic_frames(r.t, &frames);
	assert_int_equal(n, 2 * 4096);
	for (size_t i = 1; i < n; i++)
		assert_true(frames[i - 1] < frames[i]);
	stop(&r);
}

/* Every code the traffic rules report is catalogued and marked as
 * detected by this build; each appears once. */
static void registry_codes(void **state)
{
	(void)state;
	assert_int_equal(vd_traffic_rules_len, 12);
	for (size_t i = 0; i < vd_traffic_rules_len; i++) {
		const struct vd_check *c =
			vd_catalog_find(vd_traffic_rules[i].code);

		assert_non_null(c);
		assert_true(c->implemented);
		assert_non_null(strstr(c->sources, "pcap"));
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(vd_traffic_rules[i].code,
						vd_traffic_rules[j].code);
	}
	/* Every tally table is read by the entry of its code. */
	for (int c = 0; c < TR_N; c++) {
		size_t i = 0;

		while (i < vd_traffic_rules_len &&
		       strcmp(vd_traffic_rules[i].code, tr_code_names[c]))
			i++;
		assert_true(i < vd_traffic_rules_len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_basics),
		cmocka_unit_test(table_cap_evicts_old),
		cmocka_unit_test(arp_unanswered),
		cmocka_unit_test(duplicate_ip),
		cmocka_unit_test(mac_conflict),
		cmocka_unit_test(vlan_mismatch),
		cmocka_unit_test(mtu_mismatch),
		cmocka_unit_test(icmp_unreachable),
		cmocka_unit_test(dhcp_detectors),
		cmocka_unit_test(dns_failure),
		cmocka_unit_test(tcp_syn),
		cmocka_unit_test(tcp_retransmissions),
		cmocka_unit_test(bounded),
		cmocka_unit_test(registry_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
