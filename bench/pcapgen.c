/* SPDX-License-Identifier: MIT */
/*
 * pcapgen: a synthetic capture with ground truth, for bench/pcap.sh and the
 * tests of `vnetdiag pcap` (docs/traffic.md is the contract it follows).
 *
 * Healthy background traffic (TCP over IPv4 and IPv6, DNS, ARP, DHCP, ICMP
 * echo, NDP), every request answered within milliseconds, plus faults of the
 * kinds chosen with --faults, each injected several times with its own
 * subject.  --truth writes the (code, subject) pairs a correct analyser
 * reports, sorted and unique.  The same seed gives the same bytes.
 *
 * It only writes files: nothing is ever sent.  No libpcap: the pcap and
 * pcapng formats are written here, through one large buffer.
 *
 * Design: a conversation (a TCP flow, a DNS query, a fault ...) renders all
 * its frames at once into its own arena, each with its capture time; a heap
 * of conversations keyed by their next frame's time merges them into one
 * ordered capture.  New background conversations start at a pace that
 * spreads the requested number of packets over the capture's duration.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#define LT_ETH	1
#define LT_RAW	101
#define LT_SLL	113
#define LT_SLL2 276

#define US 1000000ull /* microseconds a second */

/* Capture time: at least MIN_DUR_S seconds, else RATE packets a second. */
#define MIN_DUR_S 30
#define RATE	  50000
/* Faults start in [FAULT_LO_S, duration - FAULT_TAIL_S]: their last
 * unanswered request is judged (reply timeout 3 s) well before the end. */
#define FAULT_LO_S   1
#define FAULT_TAIL_S 9

#define T0_S 1764547200ull /* 2025-12-01 00:00:00 UTC */

/* The longest frame whose bytes are all headers a detector reads: a DHCP
 * message in a tagged Ethernet frame (18 + 20 + 8 + 300). */
#define FULL_HEADERS 346u

#define ETH_ARP	 0x0806
#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd

#define P_ICMP	1
#define P_TCP	6
#define P_UDP	17
#define P_ICMP6 58

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("pcapgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

/* ---- randomness: splitmix64, one stream, drawn in a fixed order ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint32_t rr(uint32_t lo, uint32_t hi)
{
	return lo + (uint32_t)(rnd() % ((uint64_t)hi - lo + 1));
}

/* ---- options ---- */

enum fault {
	F_ARP_UNANSWERED,
	F_DUPLICATE_IP,
	F_MAC_CONFLICT,
	F_VLAN_MISMATCH,
	F_MTU_MISMATCH,
	F_DHCP_NO_OFFER,
	F_DHCP_MULTIPLE,
	F_ICMP_UNREACHABLE,
	F_DNS_FAILURE,
	F_SYN_UNANSWERED,
	F_PORT_CLOSED,
	F_RETRANSMISSIONS,
	F_N
};

static const char *const fault_code[F_N] = {
	"L2.arp-unanswered",	    "L2.duplicate-ip",	   "L2.mac-conflict",
	"L2.vlan-mismatch",	    "L2.mtu-mismatch",	   "L3.dhcp-no-offer",
	"L3.dhcp-multiple-servers", "L3.icmp-unreachable", "L3.dns-failure",
	"L4.syn-unanswered",	    "L4.port-closed",	   "L4.retransmissions",
};

static struct {
	uint64_t packets;
	const char *out, *truth;
	uint64_t seed;
	uint32_t linktype;
	bool pcapng, vlan;
	bool filler; /* --payload filler: letters instead of HTTP/TLS */
	uint32_t snaplen;
	bool faults[F_N];
} opt = { .packets = 100000, .seed = 1, .linktype = LT_ETH, .snaplen = 262144 };

/* ---- output: pcap or pcapng through one big buffer ---- */

#define OBUF_SIZE (8u << 20)

static FILE *ofp;
static uint8_t *obuf;
static size_t olen;
static uint64_t n_written;

static void oflush(void)
{
	if (olen && fwrite(obuf, 1, olen, ofp) != olen)
		die("write %s: %s", opt.out, strerror(errno));
	olen = 0;
}

static void oput(const void *p, size_t n)
{
	if (olen + n > OBUF_SIZE)
		oflush();
	memcpy(obuf + olen, p, n);
	olen += n;
}

static void oput32(uint32_t v)
{
	oput(&v, 4); /* host order: the magic numbers tell the reader */
}

static void oput16(uint16_t v)
{
	oput(&v, 2);
}

static void write_header(void)
{
	if (!opt.pcapng) {
		oput32(0xa1b2c3d4);
		oput16(2);
		oput16(4);
		oput32(0); /* thiszone */
		oput32(0); /* sigfigs */
		oput32(opt.snaplen);
		oput32(opt.linktype);
		return;
	}
	/* Section header block, no options. */
	oput32(0x0a0d0d0a);
	oput32(28);
	oput32(0x1a2b3c4d);
	oput16(1);
	oput16(0);
	oput32(0xffffffff); /* section length: unknown */
	oput32(0xffffffff);
	oput32(28);
	/* Interface description block; microsecond timestamps (default). */
	oput32(1);
	oput32(20);
	oput16((uint16_t)opt.linktype);
	oput16(0);
	oput32(opt.snaplen);
	oput32(20);
}

static void write_record(uint64_t ts_us, const uint8_t *p, uint32_t len)
{
	static const uint8_t zero[4];
	uint32_t cap = len < opt.snaplen ? len : opt.snaplen;
	uint32_t pad = (4 - (cap & 3)) & 3;

	if (!opt.pcapng) {
		uint32_t h[4] = { (uint32_t)(ts_us / US),
				  (uint32_t)(ts_us % US), cap, len };
		oput(h, sizeof(h));
		oput(p, cap);
	} else {
		uint32_t blen = 32 + cap + pad;
		uint32_t h[7] = {
			6,   blen, 0, (uint32_t)(ts_us >> 32), (uint32_t)ts_us,
			cap, len
		};
		oput(h, sizeof(h));
		oput(p, cap);
		oput(zero, pad);
		oput32(blen);
	}
	n_written++;
}

/* ---- ground truth ---- */

static char **truth;
static size_t n_truth;

static void truth_add(enum fault f, const char *fmt, ...)
{
	char sub[128], line[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sub, sizeof(sub), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s\t%s", fault_code[f], sub);
	truth = xrealloc(truth, (n_truth + 1) * sizeof(*truth));
	truth[n_truth] = strdup(line);
	if (!truth[n_truth++])
		die("out of memory");
}

static int cmp_str(const void *a, const void *b)
{
	/* byte order, like `LC_ALL=C sort` */
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates; the number of lines left. */
static size_t truth_unique(void)
{
	size_t i, n = 0;

	if (!n_truth)
		return 0;
	qsort(truth, n_truth, sizeof(*truth), cmp_str);
	for (i = 0; i < n_truth; i++)
		if (n == 0 || strcmp(truth[i], truth[n - 1]) != 0)
			truth[n++] = truth[i];
		else
			free(truth[i]);
	return n_truth = n;
}

static void write_truth(void)
{
	FILE *f;
	size_t i;

	if (!opt.truth)
		return;
	f = fopen(opt.truth, "w");
	if (!f)
		die("%s: %s", opt.truth, strerror(errno));
	for (i = 0; i < n_truth; i++)
		fprintf(f, "%s\n", truth[i]);
	if (fclose(f) != 0)
		die("%s: %s", opt.truth, strerror(errno));
}

/* ---- hosts ---- */

struct host {
	uint8_t mac[6];
	uint32_t ip4;	  /* host byte order */
	uint8_t ip6[16];  /* fd00:0:0:VLAN::low 16 bits of ip4 */
	uint16_t vlan;	  /* its segment (remote: 0) */
	uint16_t port;	  /* next ephemeral port */
	uint16_t icmp_id; /* next echo id */
	bool remote;	  /* behind the gateway */
};

static uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
}

static void host_init(struct host *h, uint32_t addr, uint16_t vlan,
		      uint8_t kind, bool remote)
{
	memset(h, 0, sizeof(*h));
	h->ip4 = addr;
	h->vlan = vlan;
	h->remote = remote;
	h->mac[0] = 0x02;
	h->mac[1] = (uint8_t)vlan;
	h->mac[2] = kind;
	h->mac[3] = (uint8_t)(addr >> 16);
	h->mac[4] = (uint8_t)(addr >> 8);
	h->mac[5] = (uint8_t)addr;
	h->ip6[0] = 0xfd;
	h->ip6[6] = (uint8_t)(vlan >> 8);
	h->ip6[7] = (uint8_t)vlan;
	h->ip6[14] = (uint8_t)(addr >> 8);
	h->ip6[15] = (uint8_t)addr;
	if (remote) { /* 2001:db8::a.b.c.d */
		memset(h->ip6, 0, 16);
		h->ip6[0] = 0x20;
		h->ip6[1] = 0x01;
		h->ip6[2] = 0x0d;
		h->ip6[3] = 0xb8;
		h->ip6[12] = (uint8_t)(addr >> 24);
		h->ip6[13] = (uint8_t)(addr >> 16);
		h->ip6[14] = (uint8_t)(addr >> 8);
		h->ip6[15] = (uint8_t)addr;
	}
	h->port = (uint16_t)rr(32768, 40000);
	h->icmp_id = (uint16_t)rr(1, 60000);
}

static uint16_t next_port(struct host *h)
{
	uint16_t p = h->port;

	h->port = h->port >= 60999 ? 32768 : h->port + 1;
	return p;
}

static const char *s4(uint32_t a, char *buf)
{
	sprintf(buf, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
		a & 255);
	return buf;
}

static const char *s6(const uint8_t *a, char *buf)
{
	inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
	return buf;
}

/* "A:P", or "[A]:P" for IPv6: the subjects of endpoints. */
static const char *sep(const struct host *h, bool v6, uint16_t port, char *buf)
{
	char a[INET6_ADDRSTRLEN];

	if (v6)
		sprintf(buf, "[%s]:%u", s6(h->ip6, a), port);
	else
		sprintf(buf, "%s:%u", s4(h->ip4, a), port);
	return buf;
}

static const char *smac(const uint8_t *m, char *buf)
{
	sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		m[4], m[5]);
	return buf;
}

/* The background segments: untagged, and with --vlan two tagged ones. */
#define MAX_SEG	  3
#define N_HOSTS	  300 /* clients per segment */
#define N_SERVERS 30  /* local servers per segment */
#define N_REMOTE  120
#define N_DHCPC	  200 /* DHCP clients per segment */

struct segment {
	uint16_t vlan;
	struct host gw, dhcp;
	struct host hosts[N_HOSTS], servers[N_SERVERS];
	uint16_t dhcp_seen[N_DHCPC]; /* DORAs per client */
};

static struct segment segs[MAX_SEG];
static size_t n_segs;
static struct host remotes[N_REMOTE];
static struct host dns_ok[2];

static void setup_hosts(void)
{
	static const uint16_t vlans[MAX_SEG] = { 0, 10, 20 };
	size_t s, i;

	n_segs = opt.vlan ? 3 : 1;
	for (s = 0; s < n_segs; s++) {
		struct segment *g = &segs[s];
		unsigned v = vlans[s];

		g->vlan = vlans[s];
		host_init(&g->gw, ip4(10, v, 0, 1), g->vlan, 0x01, false);
		host_init(&g->dhcp, ip4(10, v, 0, 2), g->vlan, 0x01, false);
		for (i = 0; i < N_SERVERS; i++)
			host_init(&g->servers[i], ip4(10, v, 0, 10 + i),
				  g->vlan, 0x01, false);
		for (i = 0; i < N_HOSTS; i++)
			host_init(&g->hosts[i],
				  ip4(10, v, 1 + i / 250, 1 + i % 250), g->vlan,
				  0x01, false);
	}
	for (i = 0; i < N_REMOTE; i++)
		host_init(&remotes[i],
			  i % 2 ? ip4(203, 0, 113, 1 + i / 2)
				: ip4(198, 51, 100, 1 + i / 2),
			  0, 0x01, true);
	host_init(&dns_ok[0], ip4(192, 0, 2, 53), 0, 0x01, true);
	host_init(&dns_ok[1], ip4(192, 0, 2, 54), 0, 0x01, true);
}

static struct segment *seg_of(uint16_t vlan)
{
	size_t s;

	for (s = 0; s < n_segs; s++)
		if (segs[s].vlan == vlan)
			return &segs[s];
	return &segs[0];
}

/* The MAC a frame between two hosts carries for h: its own, or the
 * gateway's when h is remote. */
static const uint8_t *l2(const struct host *h, uint16_t vlan)
{
	return h->remote ? seg_of(vlan)->gw.mac : h->mac;
}

/* ---- conversations: frames rendered ahead, merged by a heap ---- */

struct rec {
	uint64_t t;
	uint32_t off, len;
};

struct conv {
	struct rec *r;
	size_t nr, cr, next;
	uint8_t *a;
	size_t na, ca;
	uint64_t order;
	struct conv *free_next;
};

static struct conv *cur; /* the conversation being rendered */
static struct conv *free_convs;
static struct conv **heap;
static size_t n_heap, c_heap;
static uint64_t conv_order;

static struct conv *conv_new(void)
{
	struct conv *c = free_convs;

	if (c)
		free_convs = c->free_next;
	else if (!(c = calloc(1, sizeof(*c))))
		die("out of memory");
	c->nr = c->next = c->na = 0;
	c->order = conv_order++;
	return c;
}

static bool heap_less(const struct conv *a, const struct conv *b)
{
	uint64_t ta = a->r[a->next].t, tb = b->r[b->next].t;

	return ta < tb || (ta == tb && a->order < b->order);
}

static void heap_push(struct conv *c)
{
	size_t i = n_heap++;

	if (n_heap > c_heap) {
		c_heap = c_heap ? 2 * c_heap : 1024;
		heap = xrealloc(heap, c_heap * sizeof(*heap));
	}
	while (i > 0 && heap_less(c, heap[(i - 1) / 2])) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = c;
}

/* Put the top back in place after its key grew (or remove it). */
static void heap_sift_top(void)
{
	struct conv *c = heap[0];
	size_t i = 0, k;

	for (;;) {
		k = 2 * i + 1;
		if (k >= n_heap)
			break;
		if (k + 1 < n_heap && heap_less(heap[k + 1], heap[k]))
			k++;
		if (!heap_less(heap[k], c))
			break;
		heap[i] = heap[k];
		i = k;
	}
	heap[i] = c;
}

static void heap_pop_top(void)
{
	heap[0] = heap[--n_heap];
	if (n_heap)
		heap_sift_top();
}

/* Stable by time: insertion sort, the records are nearly in order. */
static void conv_sort(struct conv *c)
{
	size_t i, j;
	struct rec x;

	for (i = 1; i < c->nr; i++) {
		x = c->r[i];
		for (j = i; j > 0 && c->r[j - 1].t > x.t; j--)
			c->r[j] = c->r[j - 1];
		c->r[j] = x;
	}
}

/* Finish rendering cur and queue it; returns its frame count. */
static size_t conv_queue(void)
{
	struct conv *c = cur;

	cur = NULL;
	if (!c->nr) {
		c->free_next = free_convs;
		free_convs = c;
		return 0;
	}
	conv_sort(c);
	heap_push(c);
	return c->nr;
}

/* ---- frame building ---- */

static struct {
	uint8_t b[4096];
	size_t n;
	size_t ip, l4; /* offsets of the IP header and of what follows */
	bool v6;
	uint8_t proto;
} F;

/* Append the frame being built to cur at capture time t. */
static void rec(uint64_t t)
{
	struct conv *c = cur;

	if (c->nr == c->cr) {
		c->cr = c->cr ? 2 * c->cr : 64;
		c->r = xrealloc(c->r, c->cr * sizeof(*c->r));
	}
	if (c->na + F.n > c->ca) {
		while (c->na + F.n > c->ca)
			c->ca = c->ca ? 2 * c->ca : 16384;
		c->a = xrealloc(c->a, c->ca);
	}
	memcpy(c->a + c->na, F.b, F.n);
	c->r[c->nr++] = (struct rec){ t, (uint32_t)c->na, (uint32_t)F.n };
	c->na += F.n;
}

static void p8(uint8_t v)
{
	F.b[F.n++] = v;
}

static void p16(uint16_t v)
{
	F.b[F.n++] = (uint8_t)(v >> 8);
	F.b[F.n++] = (uint8_t)v;
}

static void p32(uint32_t v)
{
	p16((uint16_t)(v >> 16));
	p16((uint16_t)v);
}

static void pbytes(const void *p, size_t n)
{
	memcpy(F.b + F.n, p, n);
	F.n += n;
}

static void pzero(size_t n)
{
	memset(F.b + F.n, 0, n);
	F.n += n;
}

static void set16(size_t off, uint16_t v)
{
	F.b[off] = (uint8_t)(v >> 8);
	F.b[off + 1] = (uint8_t)v;
}

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* The link-layer header for the frame, per --linktype. */
static void link_begin(uint16_t vlan, const uint8_t *src, const uint8_t *dst,
		       uint16_t etype)
{
	uint16_t pkttype = dst[0] == 0xff ? 1 : (dst[0] & 1) ? 2 : 0;

	F.n = 0;
	switch (opt.linktype) {
	case LT_ETH:
		pbytes(dst, 6);
		pbytes(src, 6);
		break;
	case LT_SLL:
		p16(pkttype);
		p16(1); /* ARPHRD_ETHER */
		p16(6);
		pbytes(src, 6);
		pzero(2);
		break;
	case LT_SLL2:
		p16(vlan ? 0x8100 : etype);
		p16(0);
		p32(2); /* ifindex */
		p16(1);
		p8((uint8_t)pkttype);
		p8(6);
		pbytes(src, 6);
		pzero(2);
		break;
	case LT_RAW:
		return;
	}
	if (vlan) {
		if (opt.linktype != LT_SLL2)
			p16(0x8100);
		p16(vlan);
	}
	if (opt.linktype != LT_SLL2 || vlan)
		p16(etype);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void ip4_begin(uint32_t src, uint32_t dst, uint8_t proto, bool df)
{
	static uint16_t ipid = 1;

	F.ip = F.n;
	F.v6 = false;
	F.proto = proto;
	p8(0x45);
	p8(0);
	p16(0); /* total length: ip_end */
	p16(ipid++);
	p16(df ? 0x4000 : 0);
	p8(64);
	p8(proto);
	p16(0);
	p32(src);
	p32(dst);
	F.l4 = F.n;
}

static void ip6_begin(const uint8_t *src, const uint8_t *dst, uint8_t proto,
		      uint8_t hlim)
{
	F.ip = F.n;
	F.v6 = true;
	F.proto = proto;
	p32(0x60000000);
	p16(0); /* payload length: ip_end */
	p8(proto);
	p8(hlim);
	pbytes(src, 16);
	pbytes(dst, 16);
	F.l4 = F.n;
}

/* Lengths and checksums of the IP header and of the transport header. */
static void ip_end(void)
{
	size_t l4len = F.n - F.l4, ck;
	uint32_t sum = 0;

	if (F.v6) {
		set16(F.ip + 4, (uint16_t)l4len);
	} else {
		set16(F.ip + 2, (uint16_t)(F.n - F.ip));
		set16(F.ip + 10, csum_fold(csum_add(0, F.b + F.ip, 20)));
	}
	switch (F.proto) {
	case P_TCP:
		ck = F.l4 + 16;
		break;
	case P_UDP:
		set16(F.l4 + 4, (uint16_t)l4len);
		ck = F.l4 + 6;
		break;
	case P_ICMP:
	case P_ICMP6:
		ck = F.l4 + 2;
		break;
	default:
		return;
	}
	set16(ck, 0);
	if (F.proto != P_ICMP) { /* the pseudo-header */
		if (F.v6)
			sum = csum_add(sum, F.b + F.ip + 8, 32);
		else
			sum = csum_add(sum, F.b + F.ip + 12, 8);
		sum += F.proto + (uint32_t)l4len;
	}
	sum = csum_add(sum, F.b + F.l4, l4len);
	set16(ck, csum_fold(sum));
}

/* Begin an IP packet from s to d in a segment: link header and IP. */
static void ip_begin(uint16_t vlan, const struct host *s, const struct host *d,
		     bool v6, uint8_t proto, bool df)
{
	link_begin(vlan, l2(s, vlan), l2(d, vlan), v6 ? ETH_IPV6 : ETH_IPV4);
	if (v6)
		ip6_begin(s->ip6, d->ip6, proto, 64);
	else
		ip4_begin(s->ip4, d->ip4, proto, df);
}

static void pfill(size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		F.b[F.n + i] = (uint8_t)('a' + i % 26);
	F.n += n;
}

/*
 * Application data: the bytes of one message (an HTTP request or
 * response, TLS records) that a run of segments carries, so that the
 * capture looks like real traffic to a dissector.  Segments copy their
 * slice by sequence number, retransmissions included.
 */
#define APP_MAX (256u * 1448u)
static struct {
	uint8_t buf[APP_MAX];
	size_t len;
	uint32_t seq0; /* sequence number of the message's first byte */
	bool on;
} app;

static size_t app_put(size_t at, const char *s)
{
	size_t n = strlen(s);

	if (at + n > app.len)
		n = app.len - at;
	memcpy(app.buf + at, s, n);
	return at + n;
}

/* Pseudo-random bytes (encrypted-looking) from at to the end. */
static void app_noise(size_t at, size_t end)
{
	uint32_t x = 0x9e3779b9u ^ (uint32_t)app.len;

	for (size_t i = at; i < end; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		app.buf[i] = (uint8_t)x;
	}
}

static void app_begin(uint16_t port, int dir, uint32_t seq0, size_t len)
{
	char head[256];
	size_t at = 0;

	app.on = false;
	if (opt.filler || len > APP_MAX || len == 0)
		return;
	app.len = len;
	app.seq0 = seq0;
	app.on = true;
	if (port == 80 || port == 8080) {
		if (dir == 0) {
			at = app_put(0, "GET /static/app.js HTTP/1.1\r\n"
					"Host: www.example.com\r\n"
					"User-Agent: pcapgen/1\r\n"
					"Accept: */*\r\n"
					"X-Pad: ");
			memset(app.buf + at, 'a', app.len - at);
			if (app.len >= at + 4)
				memcpy(app.buf + app.len - 4, "\r\n\r\n", 4);
		} else {
			snprintf(head, sizeof(head),
				 "HTTP/1.1 200 OK\r\n"
				 "Content-Type: text/plain\r\n"
				 "Content-Length: %zu\r\n\r\n",
				 len > 80 ? len - 80 : 0);
			/* the head is exactly 80 bytes with its padding */
			memset(app.buf, ' ', app.len < 80 ? app.len : 80);
			at = app_put(0, head);
			if (app.len >= 80) {
				memcpy(app.buf + at - 4, "\r\nX:", 4);
				memcpy(app.buf + 76, "\r\n\r\n", 4);
			}
			memset(app.buf + (app.len < 80 ? app.len : 80), 'x',
			       app.len > 80 ? app.len - 80 : 0);
		}
		return;
	}
	if (port == 443) {
		/* TLS 1.2 application-data records, 16 KiB at most each */
		app_noise(0, app.len);
		while (at + 5 < app.len) {
			size_t rec = app.len - at - 5;

			if (rec > 16384)
				rec = 16384;
			app.buf[at] = 23;
			app.buf[at + 1] = 3;
			app.buf[at + 2] = 3;
			app.buf[at + 3] = (uint8_t)(rec >> 8);
			app.buf[at + 4] = (uint8_t)rec;
			at += 5 + rec;
		}
		if (at < app.len) /* a tail too short for a record: pad it */
			app_noise(at, app.len);
		return;
	}
	app.on = false; /* other services keep the filler */
}

static void tcp_pkt(uint64_t t, uint16_t vlan, const struct host *s,
		    const struct host *d, bool v6, uint16_t sp, uint16_t dp,
		    uint32_t seq, uint32_t ack, uint8_t flags, size_t len)
{
	bool syn = flags & TH_SYN;

	ip_begin(vlan, s, d, v6, P_TCP, true);
	p16(sp);
	p16(dp);
	p32(seq);
	p32(flags & TH_ACK ? ack : 0);
	p8(syn ? 0x60 : 0x50);
	p8(flags);
	p16(syn ? 64240 : 65535);
	p16(0);
	p16(0);
	if (syn) { /* MSS */
		p8(2);
		p8(4);
		p16(v6 ? 1440 : 1460);
	}
	if (app.on && len && seq - app.seq0 + len <= app.len)
		pbytes(app.buf + (seq - app.seq0), len);
	else
		pfill(len);
	ip_end();
	rec(t);
}

static void udp_begin(uint16_t vlan, const struct host *s, const struct host *d,
		      bool v6, uint16_t sp, uint16_t dp, bool df)
{
	ip_begin(vlan, s, d, v6, P_UDP, df);
	p16(sp);
	p16(dp);
	p16(0);
	p16(0);
}

/* ARP; eth_* are the frame's addresses, the rest the ARP fields. */
static void arp_pkt(uint64_t t, uint16_t vlan, uint16_t op,
		    const uint8_t *eth_src, const uint8_t *eth_dst,
		    const uint8_t *sha, uint32_t spa, const uint8_t *tha,
		    uint32_t tpa)
{
	static const uint8_t none[6];

	if (opt.linktype == LT_RAW)
		return; /* no ARP without a link layer */
	link_begin(vlan, eth_src, eth_dst, ETH_ARP);
	p16(1);
	p16(0x0800);
	p8(6);
	p8(4);
	p16(op);
	pbytes(sha, 6);
	p32(spa);
	pbytes(tha ? tha : none, 6);
	p32(tpa);
	if (opt.linktype == LT_ETH && F.n < 60)
		pzero(60 - F.n); /* Ethernet's minimum, as received */
	rec(t);
}

/* who asks whom; answered unless reply == NULL. */
static void arp_exchange(uint64_t t, uint16_t vlan, const struct host *who,
			 uint32_t target, const struct host *reply,
			 uint32_t delay)
{
	arp_pkt(t, vlan, 1, who->mac, bcast, who->mac, who->ip4, NULL, target);
	if (reply)
		arp_pkt(t + delay, vlan, 2, reply->mac, who->mac, reply->mac,
			target, who->mac, who->ip4);
}

/* ICMP (v4 or v6) from s to d; rest is the 4 bytes after the checksum;
 * q, qn: what follows (a quoted packet, or echo data). */
static void icmp_pkt(uint64_t t, uint16_t vlan, const struct host *s,
		     const struct host *d, bool v6, uint8_t type, uint8_t code,
		     uint32_t rest, const uint8_t *q, size_t qn, bool df)
{
	ip_begin(vlan, s, d, v6, v6 ? P_ICMP6 : P_ICMP, df);
	p8(type);
	p8(code);
	p16(0);
	p32(rest);
	if (q)
		pbytes(q, qn);
	else
		pfill(qn);
	ip_end();
	rec(t);
}

/* The IP packet just built (F.ip onward), at most max bytes, into q. */
static size_t quote(uint8_t *q, size_t max)
{
	size_t n = F.n - F.ip;

	if (n > max)
		n = max;
	memcpy(q, F.b + F.ip, n);
	return n;
}

static void ndp_ns(uint64_t t, uint16_t vlan, const struct host *s,
		   const uint8_t *target)
{
	uint8_t mdst[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff };
	uint8_t mmac[6] = { 0x33, 0x33, 0xff };

	memcpy(mdst + 13, target + 13, 3);
	memcpy(mmac + 3, target + 13, 3);
	link_begin(vlan, s->mac, mmac, ETH_IPV6);
	ip6_begin(s->ip6, mdst, P_ICMP6, 255);
	p8(135);
	p8(0);
	p16(0);
	p32(0);
	pbytes(target, 16);
	p8(1); /* source link-layer address */
	p8(1);
	pbytes(s->mac, 6);
	ip_end();
	rec(t);
}

/* A solicited NA for target, from the machine with that mac, to d. */
static void ndp_na(uint64_t t, uint16_t vlan, const uint8_t *target,
		   const uint8_t *mac, const struct host *d)
{
	link_begin(vlan, mac, d->mac, ETH_IPV6);
	ip6_begin(target, d->ip6, P_ICMP6, 255);
	p8(136);
	p8(0);
	p16(0);
	p32(0x60000000); /* solicited, override */
	pbytes(target, 16);
	p8(2); /* target link-layer address */
	p8(1);
	pbytes(mac, 6);
	ip_end();
	rec(t);
}

/* ---- DNS ---- */

static size_t dns_name(uint8_t *p, const char *name)
{
	size_t n = 0;

	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);

		p[n++] = (uint8_t)l;
		memcpy(p + n, name, l);
		n += l;
		name += l + (dot ? 1 : 0);
	}
	p[n++] = 0;
	return n;
}

/* A query, or its answer (rcode; one A record when NOERROR). */
static void dns_pkt(uint64_t t, uint16_t vlan, const struct host *s,
		    const struct host *d, bool v6, uint16_t sp, uint16_t dp,
		    uint16_t id, bool resp, uint8_t rcode, const char *name,
		    uint32_t addr)
{
	bool ans = resp && rcode == 0;

	udp_begin(vlan, s, d, v6, sp, dp, false);
	p16(id);
	p16(resp ? (uint16_t)(0x8180 | rcode) : 0x0100);
	p16(1);
	p16(ans ? 1 : 0);
	p16(0);
	p16(0);
	F.n += dns_name(F.b + F.n, name);
	p16(1); /* A */
	p16(1); /* IN */
	if (ans) {
		p16(0xc00c);
		p16(1);
		p16(1);
		p32(300);
		p16(4);
		p32(addr);
	}
	ip_end();
	rec(t);
}

/* ---- DHCP ---- */

#define DHCP_DISCOVER 1
#define DHCP_OFFER    2
#define DHCP_REQUEST  3
#define DHCP_ACK      5

/* A DHCP message; client messages from 0.0.0.0 broadcast, server ones
 * from the server to the offered address, Ethernet-unicast to chaddr. */
static void dhcp_pkt(uint64_t t, uint16_t vlan, const struct host *server,
		     uint8_t type, uint32_t xid, const uint8_t *chaddr,
		     uint32_t yiaddr)
{
	bool srv = type == DHCP_OFFER || type == DHCP_ACK;
	size_t start;

	if (srv) {
		link_begin(vlan, server->mac, chaddr, ETH_IPV4);
		ip4_begin(server->ip4, yiaddr, P_UDP, false);
		p16(67);
		p16(68);
	} else {
		link_begin(vlan, chaddr, bcast, ETH_IPV4);
		ip4_begin(0, 0xffffffff, P_UDP, false);
		p16(68);
		p16(67);
	}
	p16(0);
	p16(0);
	start = F.n;
	p8(srv ? 2 : 1);
	p8(1);
	p8(6);
	p8(0);
	p32(xid);
	p16(0);
	p16(0);
	p32(0);			    /* ciaddr */
	p32(srv ? yiaddr : 0);	    /* yiaddr */
	p32(srv ? server->ip4 : 0); /* siaddr */
	p32(0);			    /* giaddr */
	pbytes(chaddr, 6);
	pzero(10 + 64 + 128);
	p32(0x63825363);
	p8(53);
	p8(1);
	p8(type);
	if (srv || type == DHCP_REQUEST) {
		p8(54);
		p8(4);
		p32(server->ip4);
	}
	if (type == DHCP_REQUEST) {
		p8(50);
		p8(4);
		p32(yiaddr);
	}
	if (srv) {
		p8(51);
		p8(4);
		p32(3600);
		p8(1);
		p8(4);
		p32(0xffffff00);
		p8(3);
		p8(4);
		p32((server->ip4 & 0xffff0000) | 1);
		p8(6);
		p8(4);
		p32(ip4(192, 0, 2, 53));
	} else {
		p8(55);
		p8(3);
		p8(1);
		p8(3);
		p8(6);
	}
	p8(255);
	if (F.n - start < 300)
		pzero(300 - (F.n - start));
	ip_end();
	rec(t);
}

/* ---- TCP flows ---- */

struct tflow {
	uint16_t vlan;
	const struct host *c, *s;
	bool v6;
	uint16_t cp, sp;
	uint32_t cseq, sseq; /* next sequence number of each side */
	uint64_t t;
	uint32_t rtt; /* us */
};

static void tf_pkt(struct tflow *f, uint64_t t, int dir, uint8_t flags,
		   uint32_t seq, size_t len)
{
	if (dir == 0)
		tcp_pkt(t, f->vlan, f->c, f->s, f->v6, f->cp, f->sp, seq,
			f->sseq, flags, len);
	else
		tcp_pkt(t, f->vlan, f->s, f->c, f->v6, f->sp, f->cp, seq,
			f->cseq, flags, len);
}

static void tf_init(struct tflow *f, uint64_t t, uint16_t vlan, struct host *c,
		    const struct host *s, bool v6, uint16_t sp)
{
	f->vlan = vlan;
	f->c = c;
	f->s = s;
	f->v6 = v6;
	f->cp = next_port(c);
	f->sp = sp;
	f->cseq = (uint32_t)rnd();
	f->sseq = (uint32_t)rnd();
	f->t = t;
	f->rtt = s->remote ? rr(2000, 30000) : rr(100, 1500);
}

static void tf_open(struct tflow *f)
{
	tf_pkt(f, f->t, 0, TH_SYN, f->cseq++, 0);
	f->t += f->rtt;
	tf_pkt(f, f->t, 1, TH_SYN | TH_ACK, f->sseq++, 0);
	f->t += rr(10, 60);
	tf_pkt(f, f->t, 0, TH_ACK, f->cseq, 0);
}

/*
 * n data segments from one side (dir 0: client), the other side acking
 * every second one and the last.  The capture is at the client: its
 * segments go out back to back and the server's acks come an RTT later;
 * the server's segments arrive spaced and the client acks at once.
 * rexmit > 0: every rexmit-th segment is sent again three segments later
 * (the original is in the capture too).
 */
static void tf_data(struct tflow *f, int dir, int n, size_t last_len,
		    int rexmit)
{
	uint32_t *seq = dir ? &f->sseq : &f->cseq;
	uint32_t *peer = dir ? &f->cseq : &f->sseq;
	uint32_t lens[256], seqs[256];
	uint64_t t = f->t, acked = f->t;
	int i, k = 0;
	size_t seg = f->v6 ? 1428 : 1448;
	uint32_t gap = dir ? rr(20, 120) : rr(5, 30);
	uint32_t ack_delay = dir ? rr(10, 40) : f->rtt;

	if (n > 256)
		n = 256;
	app_begin(f->sp, dir, *seq, (size_t)(n - 1) * seg + last_len);
	for (i = 0; i < n; i++) {
		size_t len = i == n - 1 ? last_len : seg;

		seqs[i] = *seq;
		lens[i] = (uint32_t)len;
		tf_pkt(f, t, dir, TH_ACK | (i == n - 1 ? TH_PSH : 0), *seq,
		       len);
		*seq += (uint32_t)len;
		if (rexmit && i >= 3 && (i - 3) % rexmit == 0) {
			t += gap;
			tf_pkt(f, t, dir, TH_ACK, seqs[i - 3], lens[i - 3]);
		}
		if (i % 2 == 1 || i == n - 1) {
			uint64_t ta = t + ack_delay;

			if (ta <= acked)
				ta = acked + 1;
			acked = ta;
			/* the ack the other side sends */
			if (dir == 0)
				tcp_pkt(ta, f->vlan, f->s, f->c, f->v6, f->sp,
					f->cp, *peer, *seq, TH_ACK, 0);
			else
				tcp_pkt(ta, f->vlan, f->c, f->s, f->v6, f->cp,
					f->sp, *peer, *seq, TH_ACK, 0);
		}
		t += gap;
		k++;
	}
	f->t = (acked > t ? acked : t) + rr(10, 200);
	app.on = false;
	(void)k;
}

/* Client FIN, server FIN, client ACK. */
static void tf_close(struct tflow *f)
{
	tf_pkt(f, f->t, 0, TH_FIN | TH_ACK, f->cseq++, 0);
	f->t += f->rtt;
	tf_pkt(f, f->t, 1, TH_FIN | TH_ACK, f->sseq++, 0);
	f->t += rr(10, 60);
	tf_pkt(f, f->t, 0, TH_ACK, f->cseq, 0);
}

/* ---- background ---- */

static const uint16_t web_ports[] = { 443, 443, 443, 80, 22, 8080, 5432 };

static struct segment *pick_seg(void)
{
	/* with --vlan, a third of the background is tagged */
	if (n_segs > 1 && rr(0, 2) == 0)
		return &segs[1 + rr(0, 1)];
	return &segs[0];
}

static void bg_tcp(uint64_t t, bool v6)
{
	struct segment *g = pick_seg();
	struct host *c = &g->hosts[rr(0, N_HOSTS - 1)];
	const struct host *s;
	struct tflow f;
	int rounds = (int)rr(1, 2), i;

	if (v6 || rr(0, 3) == 0)
		s = &g->servers[rr(0, N_SERVERS - 1)];
	else
		s = &remotes[rr(0, N_REMOTE - 1)];
	if (v6 && rr(0, 1) == 0) { /* resolve the server first */
		ndp_ns(t, g->vlan, c, s->ip6);
		t += rr(50, 500);
		ndp_na(t, g->vlan, s->ip6, s->mac, c);
		t += rr(5, 50);
	}
	tf_init(&f, t, g->vlan, c, s, v6,
		web_ports[rr(0, sizeof(web_ports) / sizeof(*web_ports) - 1)]);
	tf_open(&f);
	for (i = 0; i < rounds; i++) {
		tf_data(&f, 0, 1, rr(80, 600), 0);
		tf_data(&f, 1, (int)rr(1, 6), rr(40, 1200), 0);
		if (rr(0, 5) == 0)
			tf_data(&f, 0, (int)rr(2, 6), rr(40, 600), 0);
		f.t += rr(100, 20000);
	}
	tf_close(&f);
}

static void bg_dns(uint64_t t)
{
	struct segment *g = pick_seg();
	struct host *c = &g->hosts[rr(0, N_HOSTS - 1)];
	const struct host *s = &dns_ok[rr(0, 1)];
	uint16_t id = (uint16_t)rnd(), port = next_port(c);
	char name[64];
	bool nx = rr(0, 9) == 0;
	uint32_t n = rr(0, 999);

	snprintf(name, sizeof(name),
		 nx ? "nx%u.example.invalid" : "svc%u.example.com", n);
	dns_pkt(t, g->vlan, c, s, false, port, 53, id, false, 0, name, 0);
	dns_pkt(t + rr(300, 8000), g->vlan, s, c, false, 53, port, id, true,
		nx ? 3 : 0, name, ip4(203, 0, 113, 1 + n % 200));
}

static void bg_arp(uint64_t t)
{
	struct segment *g = pick_seg();
	struct host *a, *b;
	uint32_t k = rr(0, 9);

	a = k == 0 ? &g->gw : &g->hosts[rr(0, N_HOSTS - 1)];
	b = k == 1  ? &g->gw
	    : k < 4 ? &g->servers[rr(0, N_SERVERS - 1)]
		    : &g->hosts[rr(0, N_HOSTS - 1)];
	if (a == b)
		b = &g->gw;
	if (k == 9) { /* gratuitous announcement of its own address */
		arp_pkt(t, g->vlan, 1, a->mac, bcast, a->mac, a->ip4, NULL,
			a->ip4);
		return;
	}
	arp_exchange(t, g->vlan, a, b->ip4, b, rr(30, 900));
}

static void bg_echo(uint64_t t)
{
	struct segment *g = pick_seg();
	struct host *c = &g->hosts[rr(0, N_HOSTS - 1)];
	const struct host *s = rr(0, 1) ? &remotes[rr(0, N_REMOTE - 1)]
					: &g->servers[rr(0, N_SERVERS - 1)];
	uint16_t id = c->icmp_id++;
	uint32_t n = rr(1, 4), i,
		 rtt = s->remote ? rr(2000, 30000) : rr(100, 1500);
	bool big = rr(0, 7) == 0;
	size_t len = big ? 1372 : 56;

	for (i = 1; i <= n; i++) {
		icmp_pkt(t, g->vlan, c, s, false, 8, 0, (uint32_t)id << 16 | i,
			 NULL, len, big);
		icmp_pkt(t + rtt, g->vlan, s, c, false, 0, 0,
			 (uint32_t)id << 16 | i, NULL, len, big);
		t += 200000 + rr(0, 5000); /* ping -i 0.2 */
	}
}

static void dhcp_client(const struct segment *g, uint32_t i, uint8_t mac[6],
			uint32_t *addr)
{
	mac[0] = 0x02;
	mac[1] = (uint8_t)g->vlan;
	mac[2] = 0xdc;
	mac[3] = 0;
	mac[4] = (uint8_t)(i >> 8);
	mac[5] = (uint8_t)i;
	*addr = ip4(10, g->vlan, 128 + i / 250, 1 + i % 250);
}

static void bg_dhcp(uint64_t t)
{
	struct segment *g = pick_seg();
	uint32_t i = rr(0, N_DHCPC - 1), yi, xid = (uint32_t)rnd();
	uint8_t mac[6];

	dhcp_client(g, i, mac, &yi);
	dhcp_pkt(t, g->vlan, &g->dhcp, DHCP_DISCOVER, xid, mac, yi);
	t += rr(500, 3000);
	dhcp_pkt(t, g->vlan, &g->dhcp, DHCP_OFFER, xid, mac, yi);
	t += rr(100, 1000);
	dhcp_pkt(t, g->vlan, &g->dhcp, DHCP_REQUEST, xid, mac, yi);
	t += rr(500, 3000);
	dhcp_pkt(t, g->vlan, &g->dhcp, DHCP_ACK, xid, mac, yi);
	if (opt.linktype != LT_RAW && g->dhcp_seen[i]++ == 0) {
		/* the new address: a probe, then an announcement */
		t += rr(1000, 5000);
		arp_pkt(t, g->vlan, 1, mac, bcast, mac, 0, NULL, yi);
		t += rr(100000, 200000);
		arp_pkt(t, g->vlan, 1, mac, bcast, mac, yi, NULL, yi);
	}
}

static void bg_ndp(uint64_t t)
{
	struct segment *g = pick_seg();
	struct host *a = &g->hosts[rr(0, N_HOSTS - 1)];
	struct host *b = rr(0, 1) ? &g->servers[rr(0, N_SERVERS - 1)]
				  : &g->hosts[rr(0, N_HOSTS - 1)];

	if (a == b)
		return;
	ndp_ns(t, g->vlan, a, b->ip6);
	ndp_na(t + rr(50, 800), g->vlan, b->ip6, b->mac, a);
}

/* One background conversation starting at t; its frame count. */
static size_t background(uint64_t t)
{
	uint32_t k = rr(0, 99);
	bool raw = opt.linktype == LT_RAW;

	cur = conv_new();
	if (k < 33)
		bg_tcp(t, false);
	else if (k < 40)
		bg_tcp(t, true);
	else if (k < 74)
		bg_dns(t);
	else if (k < 86 && !raw)
		bg_arp(t);
	else if (k < 86)
		bg_dns(t);
	else if (k < 93)
		bg_echo(t);
	else if (k < 96)
		bg_dhcp(t);
	else
		bg_ndp(t);
	return conv_queue();
}

/* ---- faults ---- */

/* The faults' hosts, from a pool that lives as long as the program.  Their
 * addresses: 10.V.0.50-99 and 10.0.3.x locally, .100 and up of the remote
 * ranges; none of them is a background host's. */
#define MAX_FHOSTS 256

static struct host fhosts[MAX_FHOSTS];
static size_t n_fhosts;

static struct host *fnew(uint32_t addr, uint16_t vlan, bool remote)
{
	if (n_fhosts == MAX_FHOSTS)
		die("too many fault hosts");
	host_init(&fhosts[n_fhosts], addr, vlan, 0xfa, remote);
	return &fhosts[n_fhosts++];
}

/* A background-like client of segment 0 that asks for the fault. */
static struct host *fclient(unsigned n)
{
	return fnew(ip4(10, 0, 3, n), 0, false);
}

static void fault_arp_unanswered(uint64_t t, unsigned i)
{
	uint32_t target = ip4(10, 0, 0, 50 + i);
	struct host *c = fclient(10 + i);
	char a[16];
	int k;

	for (k = 0; k < 3; k++)
		arp_exchange(t + k * US, 0, c, target, NULL, 0);
	truth_add(F_ARP_UNANSWERED, "%s", s4(target, a));
}

static void fault_duplicate_ip(uint64_t t, unsigned i)
{
	struct host *c = fclient(20 + i);
	struct host *x1 = fnew(ip4(10, 0, 0, 60 + i), 0, false);
	struct host *x2 = fnew(ip4(10, 0, 0, 60 + i), 0, false);
	char a[INET6_ADDRSTRLEN];
	int k;

	x2->mac[3] = 0xee; /* another machine, the same address */
	if (opt.linktype == LT_RAW && i != 3)
		return; /* ARP needs a link layer: the IPv6 case only */
	switch (i) {
	case 0: /* both answer requests */
		for (k = 0; k < 3; k++) {
			arp_exchange(t, 0, c, x1->ip4, x1, rr(100, 400));
			arp_pkt(t + rr(500, 900), 0, 2, x2->mac, c->mac,
				x2->mac, x2->ip4, c->mac, c->ip4);
			t += 2 * US;
		}
		truth_add(F_DUPLICATE_IP, "%s", s4(x1->ip4, a));
		break;
	case 1: /* a probe from x2 answered by x1 */
		arp_pkt(t, 0, 1, x2->mac, bcast, x2->mac, 0, NULL, x2->ip4);
		arp_pkt(t + rr(100, 500), 0, 2, x1->mac, x2->mac, x1->mac,
			x1->ip4, x2->mac, 0);
		truth_add(F_DUPLICATE_IP, "%s", s4(x1->ip4, a));
		break;
	case 2: /* gratuitous announcements in a tagged VLAN */
		x1->vlan = x2->vlan = 30;
		arp_pkt(t, 30, 1, x1->mac, bcast, x1->mac, x1->ip4, NULL,
			x1->ip4);
		arp_pkt(t + 2 * US, 30, 1, x2->mac, bcast, x2->mac, x2->ip4,
			NULL, x2->ip4);
		truth_add(F_DUPLICATE_IP, "%s vlan 30", s4(x1->ip4, a));
		break;
	default: /* IPv6: two neighbour advertisements */
		ndp_ns(t, 0, c, x1->ip6);
		ndp_na(t + rr(100, 400), 0, x1->ip6, x1->mac, c);
		ndp_na(t + rr(500, 900), 0, x2->ip6, x2->mac, c);
		truth_add(F_DUPLICATE_IP, "%s", s6(x1->ip6, a));
		break;
	}
}

static void fault_mac_conflict(uint64_t t, unsigned i)
{
	struct host *c = fclient(30 + i);
	struct host *x = fnew(ip4(10, 0, 0, 70 + 2 * i), 0, false);
	uint32_t addr[2] = { x->ip4, x->ip4 + 1 };
	char m[18];
	int k;

	/* one machine answering for two addresses in turn: 7 claims, 6
	 * switches */
	for (k = 0; k < 7; k++) {
		arp_pkt(t, 0, 1, c->mac, bcast, c->mac, c->ip4, NULL,
			addr[k & 1]);
		arp_pkt(t + rr(100, 500), 0, 2, x->mac, c->mac, x->mac,
			addr[k & 1], c->mac, c->ip4);
		t += 500000;
	}
	truth_add(F_MAC_CONFLICT, "%s", smac(x->mac, m));
}

static void fault_vlan_mismatch(uint64_t t, unsigned i)
{
	uint16_t vlan = (uint16_t)(100 + i);
	struct host *x = fnew(ip4(10, 0, 0, 90 + i), 0, false);
	struct host *c = fclient(40 + i);
	struct host *q = fnew(ip4(10, 0, 3, 140 + i), vlan, false);
	char a[16];
	int k;

	/* answered untagged, unanswered in the VLAN */
	arp_exchange(t, 0, c, x->ip4, x, rr(100, 500));
	for (k = 0; k < 3; k++)
		arp_exchange(t + (k + 1) * US, vlan, q, x->ip4, NULL, 0);
	truth_add(F_VLAN_MISMATCH, "vlan %u", vlan);
	truth_add(F_ARP_UNANSWERED, "%s vlan %u", s4(x->ip4, a), vlan);
}

static void fault_mtu(uint64_t t, unsigned i)
{
	struct host *c = fclient(50 + i);
	struct host *gw = &segs[0].gw;
	struct host *d = fnew(ip4(198, 51, 100, 150 + i), 0, true);
	uint8_t q[128];
	size_t qn;
	uint16_t port = next_port(c);
	char a[INET6_ADDRSTRLEN];
	int k;

	switch (i % 3) {
	case 0: /* a DF datagram too big for the next hop */
		udp_begin(0, c, d, false, port, 4500, true);
		pfill(1472);
		ip_end();
		rec(t);
		qn = quote(q, 28);
		icmp_pkt(t + rr(200, 900), 0, gw, c, false, 3, 4, 1400, q, qn,
			 false);
		truth_add(F_MTU_MISMATCH, "%s", s4(d->ip4, a));
		break;
	case 1: /* IPv6 packet too big */
		udp_begin(0, c, d, true, port, 443, false);
		pfill(1452);
		ip_end();
		rec(t);
		qn = quote(q, 48 + 16);
		icmp_pkt(t + rr(200, 900), 0, gw, c, true, 2, 0, 1280, q, qn,
			 false);
		truth_add(F_MTU_MISMATCH, "%s", s6(d->ip6, a));
		break;
	default: /* big DF echoes lost, small ones answered */
		for (k = 0; k < 3; k++) {
			icmp_pkt(t, 0, c, d, false, 8, 0,
				 (uint32_t)c->icmp_id << 16 | (k + 1), NULL,
				 1472, true);
			t += US;
		}
		icmp_pkt(t, 0, c, d, false, 8, 0,
			 (uint32_t)c->icmp_id << 16 | 4, NULL, 56, false);
		icmp_pkt(t + rr(2000, 9000), 0, d, c, false, 0, 0,
			 (uint32_t)c->icmp_id << 16 | 4, NULL, 56, false);
		truth_add(F_MTU_MISMATCH, "%s", s4(d->ip4, a));
		break;
	}
}

static void fault_dhcp_no_offer(uint64_t t, unsigned i)
{
	uint8_t mac[6] = { 0x02, 0, 0xfa, 0xdc, 0, (uint8_t)i };
	uint32_t xid = (uint32_t)rnd();
	char m[18];

	dhcp_pkt(t, 0, NULL, DHCP_DISCOVER, xid, mac, 0);
	dhcp_pkt(t + US, 0, NULL, DHCP_DISCOVER, xid, mac, 0);
	dhcp_pkt(t + 3 * US, 0, NULL, DHCP_DISCOVER, xid, mac, 0);
	truth_add(F_DHCP_NO_OFFER, "%s", smac(mac, m));
}

static void fault_dhcp_multiple(uint64_t t, unsigned i)
{
	uint16_t vlan = i ? (uint16_t)(200 + i) : 0;
	struct host *s1, *s2;
	uint8_t mac[6] = { 0x02, (uint8_t)vlan, 0xfa, 0xdd, 0, (uint8_t)i };
	uint32_t xid = (uint32_t)rnd(), y = ip4(10, vlan, 129, 10 + i);
	char a[16], b[16];

	if (i && opt.linktype == LT_RAW)
		return;
	s1 = vlan ? fnew(ip4(10, vlan, 0, 2), vlan, false) : &segs[0].dhcp;
	s2 = fnew(ip4(10, vlan, 0, 9), vlan, false);
	dhcp_pkt(t, vlan, NULL, DHCP_DISCOVER, xid, mac, 0);
	dhcp_pkt(t + rr(500, 2000), vlan, s1, DHCP_OFFER, xid, mac, y);
	dhcp_pkt(t + rr(2500, 4000), vlan, s2, DHCP_OFFER, xid, mac, y + 1);
	dhcp_pkt(t + 5000, vlan, s1, DHCP_REQUEST, xid, mac, y);
	dhcp_pkt(t + rr(6000, 8000), vlan, s1, DHCP_ACK, xid, mac, y);
	truth_add(F_DHCP_MULTIPLE, "%s,%s", s4(s1->ip4, a), s4(s2->ip4, b));
}

static void fault_icmp_unreachable(uint64_t t, unsigned i)
{
	struct host *c = fclient(70 + i);
	struct host *gw = &segs[0].gw;
	struct host *d;
	uint8_t q[128];
	size_t qn;
	uint16_t port = next_port(c);
	char a[INET6_ADDRSTRLEN];
	static const uint8_t codes[] = { 0, 1, 3, 13 };

	switch (i % 5) {
	case 0: /* UDP, net unreachable from the router */
	case 1: /* UDP, host unreachable from the router */
	case 3: /* UDP, administratively prohibited */
		d = fnew(ip4(203, 0, 113, 150 + i), 0, true);
		udp_begin(0, c, d, false, port, 5060, false);
		pfill(200);
		ip_end();
		rec(t);
		qn = quote(q, 28);
		icmp_pkt(t + rr(200, 900), 0, gw, c, false, 3, codes[i % 4], 0,
			 q, qn, false);
		truth_add(F_ICMP_UNREACHABLE, "%s", s4(d->ip4, a));
		break;
	case 2: /* UDP to a local machine with nothing on the port */
		d = fnew(ip4(10, 0, 0, 80 + i), 0, false);
		udp_begin(0, c, d, false, port, 161, false);
		pfill(40);
		ip_end();
		rec(t);
		qn = quote(q, 28 + 40);
		icmp_pkt(t + rr(100, 400), 0, d, c, false, 3, 3, 0, q, qn,
			 false);
		truth_add(F_ICMP_UNREACHABLE, "%s", s4(d->ip4, a));
		break;
	default: /* IPv6: port unreachable */
		d = fnew(ip4(10, 0, 0, 80 + i), 0, false);
		udp_begin(0, c, d, true, port, 514, false);
		pfill(60);
		ip_end();
		rec(t);
		qn = quote(q, 48 + 60);
		icmp_pkt(t + rr(100, 400), 0, d, c, true, 1, 4, 0, q, qn,
			 false);
		truth_add(F_ICMP_UNREACHABLE, "%s", s6(d->ip6, a));
		break;
	}
}

static void fault_dns(uint64_t t, unsigned i)
{
	struct host *srv = fnew(ip4(192, 0, 2, 66 + i), 0, true);
	bool v6 = i == 3;
	char a[INET6_ADDRSTRLEN], name[64];
	int k, n = i == 0 ? 8 : i == 1 ? 5 : 3;

	if (v6)
		srv = fnew(ip4(10, 0, 0, 53), 0, false);
	for (k = 0; k < n; k++) {
		struct host *c = fclient(80 + (unsigned)k);
		uint16_t id = (uint16_t)rnd(), port = next_port(c);
		uint8_t rc = i == 0 ? 2 : 5; /* SERVFAIL, REFUSED */

		snprintf(name, sizeof(name), "app%d.example.com", k);
		dns_pkt(t, 0, c, srv, v6, port, 53, id, false, 0, name, 0);
		if (i < 2) { /* answers, most of them failures */
			if (k == 0 || (i == 0 && k == 5))
				rc = 0;
			dns_pkt(t + rr(500, 5000), 0, srv, c, v6, 53, port, id,
				true, rc, name, ip4(203, 0, 113, 7));
		} else { /* silence, one retry */
			dns_pkt(t + US, 0, c, srv, v6, port, 53, id, false, 0,
				name, 0);
		}
		t += rr(100000, 300000);
	}
	truth_add(F_DNS_FAILURE, "%s", v6 ? s6(srv->ip6, a) : s4(srv->ip4, a));
}

/*
 * Connection attempts from c to s:sport, half a second apart: each a SYN
 * answered by a reset (rst), or a SYN retransmitted twice (at 1 s and 3 s,
 * as Linux does) that nothing answers.
 */
static void syn_attempts(uint64_t t, struct host *c, const struct host *s,
			 bool v6, uint16_t sport, int attempts, bool rst)
{
	static const uint32_t at_ms[3] = { 0, 1000, 3000 };
	struct tflow f;
	int a, k;

	for (a = 0; a < attempts; a++, t += US / 2) {
		tf_init(&f, t, 0, c, s, v6, sport);
		for (k = 0; k < (rst ? 1 : 3); k++)
			tf_pkt(&f, t + at_ms[k] * 1000ull, 0, TH_SYN, f.cseq,
			       0);
		if (rst)
			tcp_pkt(t + f.rtt, 0, s, c, v6, sport, f.cp, 0,
				f.cseq + 1, TH_RST | TH_ACK, 0);
	}
}

static void fault_syn_unanswered(uint64_t t, unsigned i)
{
	struct host *c = fclient(100 + i);
	struct host *s = i == 2 ? fnew(ip4(10, 0, 0, 56), 0, false)
				: fnew(ip4(203, 0, 113, 200 + i), 0, true);
	uint16_t sport = i == 1 ? 22 : 8443;
	char b[64];

	syn_attempts(t, c, s, i == 2, sport, i == 0 ? 2 : 1, false);
	truth_add(F_SYN_UNANSWERED, "%s", sep(s, i == 2, sport, b));
}

static void fault_port_closed(uint64_t t, unsigned i)
{
	struct host *c = fclient(110 + i);
	struct host *s = i == 1 ? fnew(ip4(198, 51, 100, 220), 0, true)
				: fnew(ip4(10, 0, 0, 57 + i), 0, false);
	uint16_t sport = i == 0 ? 3306 : i == 1 ? 25 : 5432;
	char b[64];

	syn_attempts(t, c, s, i == 2, sport, 2, true); /* tried twice */
	truth_add(F_PORT_CLOSED, "%s", sep(s, i == 2, sport, b));
}

static void fault_retrans(uint64_t t, unsigned i)
{
	struct host *c = fclient(120 + i);
	struct host *s = i == 1 ? fnew(ip4(10, 0, 0, 65), 0, false)
				: fnew(ip4(203, 0, 113, 220 + i), 0, true);
	bool v6 = i == 2;
	char a[64], b[64];
	struct tflow f;

	if (v6)
		s = fnew(ip4(10, 0, 0, 66), 0, false);
	tf_init(&f, t, 0, c, s, v6, 443);
	tf_open(&f);
	tf_data(&f, 0, 1, 300, 0);
	if (i == 1) /* an upload */
		tf_data(&f, 0, 50, 700, 10);
	else /* a download */
		tf_data(&f, 1, 60, 900, 10);
	tf_close(&f);
	truth_add(F_RETRANSMISSIONS, "%s -> %s", sep(c, v6, f.cp, a),
		  sep(s, v6, f.sp, b));
}

typedef void (*fault_fn)(uint64_t t, unsigned i);

static const struct {
	fault_fn fn;
	unsigned n;
	bool l2; /* needs a link layer (ARP or VLANs) */
} faults[F_N] = {
	[F_ARP_UNANSWERED] = { fault_arp_unanswered, 3, true },
	[F_DUPLICATE_IP] = { fault_duplicate_ip, 4, false },
	[F_MAC_CONFLICT] = { fault_mac_conflict, 3, true },
	[F_VLAN_MISMATCH] = { fault_vlan_mismatch, 2, true },
	[F_MTU_MISMATCH] = { fault_mtu, 3, false },
	[F_DHCP_NO_OFFER] = { fault_dhcp_no_offer, 3, false },
	[F_DHCP_MULTIPLE] = { fault_dhcp_multiple, 3, false },
	[F_ICMP_UNREACHABLE] = { fault_icmp_unreachable, 5, false },
	[F_DNS_FAILURE] = { fault_dns, 4, false },
	[F_SYN_UNANSWERED] = { fault_syn_unanswered, 3, false },
	[F_PORT_CLOSED] = { fault_port_closed, 3, false },
	[F_RETRANSMISSIONS] = { fault_retrans, 3, false },
};

/* Every instance of every chosen kind, interleaved and spread evenly
 * over [lo, hi]; returns the frames queued. */
static size_t inject_faults(uint64_t lo, uint64_t hi)
{
	unsigned total = 0, j = 0, i, f;
	size_t frames = 0;

	for (f = 0; f < F_N; f++)
		if (opt.faults[f] && !(faults[f].l2 && opt.linktype == LT_RAW))
			total += faults[f].n;
	for (i = 0; i < 8; i++)
		for (f = 0; f < F_N; f++) {
			if (!opt.faults[f] || i >= faults[f].n ||
			    (faults[f].l2 && opt.linktype == LT_RAW))
				continue;
			cur = conv_new();
			faults[f].fn(lo + (hi - lo) * (2 * j + 1) / (2 * total),
				     i);
			frames += conv_queue();
			j++;
		}
	return frames;
}

/* ---- main ---- */

/* Everything allocated, so that a sanitizer build reports no leak. */
static void release(void)
{
	struct conv *c;
	size_t i;

	while ((c = free_convs)) {
		free_convs = c->free_next;
		free(c->r);
		free(c->a);
		free(c);
	}
	free(heap);
	for (i = 0; i < n_truth; i++)
		free(truth[i]);
	free(truth);
	free(obuf);
}

static void usage(FILE *f)
{
	fputs("usage: pcapgen [-n PACKETS] [-o FILE|-] [--truth FILE] "
	      "[--seed N]\n"
	      "               [--linktype eth|sll|sll2|raw] "
	      "[--format pcap|pcapng]\n"
	      "               [--faults all|none|CODE[,CODE...]] [--vlan] "
	      "[--snaplen N]\n"
	      "               [--payload app|filler]\n"
	      "Writes a synthetic capture (never sends anything); --truth: "
	      "the findings\n"
	      "(CODE<TAB>SUBJECT) a correct `vnetdiag pcap` reports.  "
	      "See bench/README.md.\n",
	      f);
}

static uint64_t num(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end)
		die("bad %s '%s'", what, s);
	return v;
}

static void parse_faults(const char *s)
{
	char *dup = strdup(s), *tok, *save = NULL;
	unsigned f;

	if (!dup)
		die("out of memory");
	memset(opt.faults, 0, sizeof(opt.faults));
	if (!strcmp(s, "none")) {
		free(dup);
		return;
	}
	for (tok = strtok_r(dup, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		bool found = false;

		for (f = 0; f < F_N; f++)
			if (!strcmp(tok, "all") || !strcmp(tok, fault_code[f]))
				opt.faults[f] = found = true;
		if (!found)
			die("unknown fault '%s' (all, none, or codes such as "
			    "L4.port-closed)",
			    tok);
	}
	free(dup);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "truth", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "linktype", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "faults", required_argument, NULL, 'F' },
		{ "vlan", no_argument, NULL, 'v' },
		{ "snaplen", required_argument, NULL, 'S' },
		{ "payload", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t dur, t, end, per_pkt, budget, fault_frames;
	bool tail = false;
	int c;

	parse_faults("all");
	while ((c = getopt_long(argc, argv, "n:o:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			opt.packets = num(optarg, "packet count");
			break;
		case 'o':
			opt.out = optarg;
			break;
		case 't':
			opt.truth = optarg;
			break;
		case 's':
			opt.seed = num(optarg, "seed");
			break;
		case 'l':
			if (!strcmp(optarg, "eth"))
				opt.linktype = LT_ETH;
			else if (!strcmp(optarg, "sll"))
				opt.linktype = LT_SLL;
			else if (!strcmp(optarg, "sll2"))
				opt.linktype = LT_SLL2;
			else if (!strcmp(optarg, "raw"))
				opt.linktype = LT_RAW;
			else
				die("unknown link type '%s'", optarg);
			break;
		case 'f':
			if (strcmp(optarg, "pcap") && strcmp(optarg, "pcapng"))
				die("unknown format '%s'", optarg);
			opt.pcapng = !strcmp(optarg, "pcapng");
			break;
		case 'F':
			parse_faults(optarg);
			break;
		case 'v':
			opt.vlan = true;
			break;
		case 'S':
			opt.snaplen = (uint32_t)num(optarg, "snaplen");
			if (opt.snaplen < 1 || opt.snaplen > 262144)
				die("snaplen out of range (1-262144)");
			break;
		case 'P':
			if (strcmp(optarg, "app") && strcmp(optarg, "filler"))
				die("unknown payload '%s' (app, filler)",
				    optarg);
			opt.filler = !strcmp(optarg, "filler");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !opt.out) {
		usage(stderr);
		return 2;
	}
	if (opt.linktype == LT_RAW)
		opt.vlan = false; /* no tags without a link layer */
	if (opt.snaplen < FULL_HEADERS && opt.truth)
		fprintf(stderr,
			"pcapgen: warning: --snaplen %u cuts frames inside "
			"their headers (DHCP needs %u bytes); the truth "
			"assumes complete headers\n",
			opt.snaplen, FULL_HEADERS);

	rng_state = opt.seed;
	if (!strcmp(opt.out, "-"))
		ofp = stdout;
	else if (!(ofp = fopen(opt.out, "wb")))
		die("%s: %s", opt.out, strerror(errno));
	obuf = malloc(OBUF_SIZE);
	if (!obuf)
		die("out of memory");
	setup_hosts();
	write_header();

	dur = opt.packets / RATE;
	if (dur < MIN_DUR_S)
		dur = MIN_DUR_S;
	t = T0_S * US;
	end = t + dur * US;
	fault_frames =
		inject_faults(t + FAULT_LO_S * US, end - FAULT_TAIL_S * US);
	budget = opt.packets > fault_frames ? opt.packets - fault_frames : 1;
	per_pkt = dur * US / budget; /* capture time a background frame buys */
	if (!per_pkt)
		per_pkt = 1;

	while (n_heap || !tail) {
		struct conv *cv;
		struct rec *r;

		/* background until the end, and one conversation at the
		 * end itself: the faults' last requests are then judged
		 * whatever the packet count */
		if (!tail && (!n_heap || t <= heap[0]->r[heap[0]->next].t)) {
			size_t n = background(t < end ? t : end);

			tail = t >= end;
			t += n * per_pkt * rr(50, 150) / 100 + 1;
			continue;
		}
		if (!n_heap)
			break;
		cv = heap[0];
		r = &cv->r[cv->next++];
		write_record(r->t, cv->a + r->off, r->len);
		if (cv->next < cv->nr) {
			heap_sift_top();
		} else {
			heap_pop_top();
			cv->free_next = free_convs;
			free_convs = cv;
		}
	}
	oflush();
	truth_unique();
	if (ofp != stdout ? fclose(ofp) != 0 : fflush(ofp) != 0)
		die("%s: %s", opt.out, strerror(errno));
	write_truth();
	fprintf(stderr,
		"pcapgen: %" PRIu64 " packets, %" PRIu64
		" s of capture, %zu findings expected\n",
		n_written, dur, n_truth);
	release();
	return 0;
}
