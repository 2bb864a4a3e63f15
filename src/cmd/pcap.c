/* SPDX-License-Identifier: MIT */
/* vnetdiag pcap: traffic analysis of a capture file or a live interface. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "probe/priv.h"
#include "report/report.h"
#include "rules/verdict.h"
#include "traffic/capture.h"
#include "traffic/traffic.h"
#include "util/ip.h"
#include "util/strbuf.h"

static const char usage[] =
	"usage: vnetdiag pcap [options] FILE\n"
	"       vnetdiag pcap [options] --live IFACE\n"
	"\n"
	"Read a capture (pcap or pcapng; FILE '-' reads standard input) or\n"
	"watch an interface, and report what the traffic shows: unanswered\n"
	"ARP, SYNs and DNS queries, duplicate addresses, closed ports, ICMP\n"
	"errors, retransmissions, DHCP without offers (docs/traffic.md).\n"
	"Times are the capture's own.  Privileges are dropped before the\n"
	"first frame is read.\n"
	"\n"
	"options:\n"
	"  -i, --live IFACE          capture on IFACE until Ctrl-C, --count\n"
	"                            or --duration\n"
	"      --duration S          stop a live capture after S seconds\n"
	"  -c, --count N             stop after N frames\n"
	"  -f, --filter BPF          only frames matching a tcpdump filter\n"
	"      --no-promisc          live: no promiscuous mode\n"
	"  -w, --write-filtered OUT  write the frames behind the findings\n"
	"                            to OUT (pcap)\n"
	"      --flows               show the flow table\n"
	"  -j, --json                the report as JSON (vnetdiag.report/1)\n"
	"      --color[=WHEN]        auto (default), always, never\n"
	"  -h, --help                this help\n"
	"\n"
	"thresholds (docs/traffic.md):\n"
	"      --reply-timeout S     a request unanswered after S seconds (3)\n"
	"      --idle-timeout S      a flow idle for S seconds ends (300)\n"
	"      --min-unanswered N    unanswered requests to report (2)\n"
	"      --mac-flaps N         address switches of one MAC (4)\n"
	"      --retrans-min N       retransmissions of a flow (3)\n"
	"      --retrans-rate R      and their share of data segments (0.02)\n"
	"      --dns-fail-rate R     share of failed DNS queries (0.2)\n"
	"      --max-flows N         flows held at once (65536)\n"
	"      --vlan ID[,ID...]     the VLANs expected (0: untagged)\n"
	"\n"
	"exit status: 0 ok, 1 warning, 2 critical, 3 could not diagnose\n";

#define HELP		"see 'vnetdiag pcap --help'"
#define MAX_DURATION	2592000.0 /* 30 days */
#define MAX_TEXT_FLOWS	50
#define DEADLINE_CHECKS 255 /* live: look at the clock every 256 frames */

struct pcap_cli {
	const char *file, *iface, *filter, *out;
	uint64_t duration_ms, count;
	bool json, flows, promisc;
	enum vd_color color;
	struct vd_traffic_opts to;
};

/* What ended the reading, for the summary. */
struct run {
	const char *source;	/* the file, "stdin" or the interface */
	const char *stopped_by; /* "end", "count", "duration", "signal" */
	uint64_t dropped, if_dropped, written;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* SIGINT and SIGTERM end the reading, not the process; the actions they
 * had (perhaps ignored, in a background job) come back afterwards. */
static struct sigaction old_int, old_term;

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: poll() returns at once. */
	sigemptyset(&sa.sa_mask);
	got_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
}

static void restore_signals(void)
{
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A decimal number of seconds (fractions allowed) in [min, max], as
 * milliseconds; 0, or -1 after saying why. */
static int opt_seconds(const char *opt, const char *s, double min, double max,
		       uint64_t *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < min || v > max) {
		vd_error("pcap: invalid %s '%s': seconds from %g to %g", opt, s,
			 min, max);
		return -1;
	}
	*ms = (uint64_t)(v * 1000.0 + 0.5);
	return 0;
}

static int opt_rate(const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0 || v > 1) {
		vd_error("pcap: invalid %s '%s': a fraction from 0 to 1", opt,
			 s);
		return -1;
	}
	*out = v;
	return 0;
}

static int opt_count(const char *opt, const char *s, long max, uint32_t *out)
{
	long v;

	if (vd_parse_long(s, 1, max, &v) < 0) {
		vd_error("pcap: invalid %s '%s': a number from 1 to %ld", opt,
			 s, max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int opt_vlans(const char *s, struct vd_traffic_opts *to)
{
	const char *p = s;

	to->n_vlans = 0;
	for (;;) {
		char id[8];
		size_t n = strcspn(p, ",");
		long v;

		if (!n || n >= sizeof(id) ||
		    to->n_vlans >= VD_TRAFFIC_MAX_VLANS)
			goto bad;
		memcpy(id, p, n);
		id[n] = '\0';
		if (vd_parse_long(id, 0, 4094, &v) < 0)
			goto bad;
		to->vlans[to->n_vlans++] = (uint16_t)v;
		if (!p[n])
			return 0;
		p += n + 1;
	}
bad:
	vd_error("pcap: invalid --vlan '%s': up to %d ids from 0 (untagged) "
		 "to 4094, separated by commas",
		 s, VD_TRAFFIC_MAX_VLANS);
	return -1;
}

enum {
	O_DURATION = 256,
	O_NO_PROMISC,
	O_FLOWS,
	O_COLOR,
	O_REPLY,
	O_IDLE,
	O_MIN_UNANSWERED,
	O_MAC_FLAPS,
	O_RETRANS_MIN,
	O_RETRANS_RATE,
	O_DNS_FAIL_RATE,
	O_MAX_FLOWS,
	O_VLAN,
};

static const struct option longopts[] = {
	{ "live", required_argument, NULL, 'i' },
	{ "duration", required_argument, NULL, O_DURATION },
	{ "count", required_argument, NULL, 'c' },
	{ "filter", required_argument, NULL, 'f' },
	{ "no-promisc", no_argument, NULL, O_NO_PROMISC },
	{ "write-filtered", required_argument, NULL, 'w' },
	{ "flows", no_argument, NULL, O_FLOWS },
	{ "json", no_argument, NULL, 'j' },
	{ "color", optional_argument, NULL, O_COLOR },
	{ "colour", optional_argument, NULL, O_COLOR },
	{ "reply-timeout", required_argument, NULL, O_REPLY },
	{ "idle-timeout", required_argument, NULL, O_IDLE },
	{ "min-unanswered", required_argument, NULL, O_MIN_UNANSWERED },
	{ "mac-flaps", required_argument, NULL, O_MAC_FLAPS },
	{ "retrans-min", required_argument, NULL, O_RETRANS_MIN },
	{ "retrans-rate", required_argument, NULL, O_RETRANS_RATE },
	{ "dns-fail-rate", required_argument, NULL, O_DNS_FAIL_RATE },
	{ "max-flows", required_argument, NULL, O_MAX_FLOWS },
	{ "vlan", required_argument, NULL, O_VLAN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One option's value into o; 0, or -1 after saying why. */
static int set_option(int c, const char *arg, struct pcap_cli *o)
{
	struct vd_traffic_opts *to = &o->to;
	uint64_t ms;
	long v;

	switch (c) {
	case 'i':
		if (!*arg || strlen(arg) >= IF_NAMESIZE) {
			vd_error("pcap: invalid --live '%s': an interface name "
				 "of 1-%d characters",
				 arg, IF_NAMESIZE - 1);
			return -1;
		}
		o->iface = arg;
		return 0;
	case O_DURATION:
		return opt_seconds("--duration", arg, 0.001, MAX_DURATION,
				   &o->duration_ms);
	case 'c':
		if (vd_parse_long(arg, 1, 1L << 53, &v) < 0) {
			vd_error("pcap: invalid --count '%s': a number of "
				 "frames from 1 to 2^53",
				 arg);
			return -1;
		}
		o->count = (uint64_t)v;
		return 0;
	case 'f':
		if (!*arg) {
			vd_error("pcap: empty --filter; %s", HELP);
			return -1;
		}
		o->filter = arg;
		return 0;
	case O_NO_PROMISC:
		o->promisc = false;
		return 0;
	case 'w':
		if (!*arg || strcmp(arg, "-") == 0) {
			vd_error("pcap: invalid --write-filtered '%s': a file "
				 "name (standard output carries the report)",
				 arg);
			return -1;
		}
		o->out = arg;
		return 0;
	case O_FLOWS:
		o->flows = to->keep_flows = true;
		return 0;
	case 'j':
		o->json = true;
		return 0;
	case O_COLOR:
		if (!arg || strcmp(arg, "always") == 0)
			o->color = VD_COLOR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			o->color = VD_COLOR_NEVER;
		else if (strcmp(arg, "auto") == 0)
			o->color = VD_COLOR_AUTO;
		else {
			vd_error("pcap: invalid --color '%s': auto, always or "
				 "never",
				 arg);
			return -1;
		}
		return 0;
	case O_REPLY:
		if (opt_seconds("--reply-timeout", arg, 0.001, 3600, &ms) < 0)
			return -1;
		to->reply_timeout_ms = (uint32_t)ms;
		return 0;
	case O_IDLE:
		if (opt_seconds("--idle-timeout", arg, 0.001, 86400, &ms) < 0)
			return -1;
		to->idle_timeout_ms = (uint32_t)ms;
		return 0;
	case O_MIN_UNANSWERED:
		return opt_count("--min-unanswered", arg, 1000000,
				 &to->min_unanswered);
	case O_MAC_FLAPS:
		return opt_count("--mac-flaps", arg, 1000000, &to->mac_flaps);
	case O_RETRANS_MIN:
		return opt_count("--retrans-min", arg, 1000000,
				 &to->retrans_min);
	case O_RETRANS_RATE:
		return opt_rate("--retrans-rate", arg, &to->retrans_rate);
	case O_DNS_FAIL_RATE:
		return opt_rate("--dns-fail-rate", arg, &to->dns_fail_rate);
	case O_MAX_FLOWS:
		return opt_count("--max-flows", arg, 1L << 24, &to->max_flows);
	case O_VLAN:
		return opt_vlans(arg, to);
	}
	return -1;
}

/* 0 to go on, 1 after --help, -1 after a one-line error. */
static int parse_args(int argc, char **argv, struct pcap_cli *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->promisc = true;
	vd_traffic_opts_default(&o->to);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:c:f:w:jh", longopts, NULL)) !=
	       -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return 1;
		}
		if (c == ':' || c == '?') {
			vd_getopt_error("pcap", "vnetdiag pcap --help", c,
					argv);
			return -1;
		}
		if (set_option(c, optarg, o) < 0)
			return -1;
	}
	if (argc - optind > (o->iface ? 0 : 1)) {
		vd_error("pcap: unexpected argument '%s': give one FILE or "
			 "--live IFACE",
			 argv[o->iface ? optind : optind + 1]);
		return -1;
	}
	if (!o->iface && optind == argc) {
		vd_error("pcap: missing FILE (or --live IFACE); %s", HELP);
		return -1;
	}
	o->file = o->iface ? NULL : argv[optind];
	if (!o->iface && (o->duration_ms || !o->promisc)) {
		vd_error("pcap: %s applies to --live only",
			 o->duration_ms ? "--duration" : "--no-promisc");
		return -1;
	}
	return 0;
}

/*
 * The read loop: no allocation, no output, one vd_pkt for every frame.
 * Live, it waits in poll() for the next batch, looking at the clock and
 * the signal flag between batches.
 */
static int read_frames(struct vd_capture *c, struct vd_traffic *t,
		       const struct pcap_cli *o, struct run *run)
{
	const uint32_t lt = vd_capture_linktype(c);
	const uint64_t deadline =
		o->duration_ms ? now_ms() + o->duration_ms : 0;
	struct pollfd pfd = { .fd = vd_capture_fd(c), .events = POLLIN };
	struct vd_frame f;
	struct vd_pkt pkt;
	uint64_t n = 0;
	int rc;

	for (;;) {
		rc = vd_capture_next(c, &f);
		if (rc == VD_CAP_FRAME) {
			vd_decode(lt, f.data, f.caplen, &pkt);
			pkt.wirelen = f.len;
			vd_traffic_feed(t, f.no, f.ts_us, &pkt);
			if (++n == o->count) {
				run->stopped_by = "count";
				return 0;
			}
			if (got_signal)
				break;
			if (deadline && !(n & DEADLINE_CHECKS) &&
			    now_ms() >= deadline)
				break;
			continue;
		}
		if (rc != VD_CAP_AGAIN || got_signal ||
		    (deadline && now_ms() >= deadline))
			break;
		/* At most 200 ms, so that a signal between the check and
		 * poll() is seen soon. */
		uint64_t wait = deadline ? deadline - now_ms() : 200;

		poll(&pfd, pfd.fd >= 0, wait < 200 ? (int)wait : 200);
	}
	if (rc < 0)
		return rc;
	run->stopped_by = got_signal	     ? "signal"
			  : rc == VD_CAP_END ? "end"
					     : "duration";
	return 0;
}

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 58:
		return "icmpv6";
	default:
		return "ip";
	}
}

/* "a:port", "[a]:port", or the address alone (ICMP). */
static const char *endpoint(const struct vd_ip *ip, uint16_t port, bool ports,
			    char *buf, size_t len)
{
	char a[VD_IPSTR_MAX];

	vd_ip_str(ip, a, sizeof(a));
	if (!ports)
		snprintf(buf, len, "%s", a);
	else if (ip->family == VD_AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, port);
	else
		snprintf(buf, len, "%s:%u", a, port);
	return buf;
}

static bool has_ports(const struct vd_flow_row *r)
{
	return r->proto == 6 || r->proto == 17;
}

static void utc_time(uint64_t us, char *buf, size_t len)
{
	time_t s = (time_t)(us / 1000000u);
	struct tm tm;

	if (!gmtime_r(&s, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "?");
}

static double span_s(uint64_t first_us, uint64_t last_us)
{
	return last_us > first_us ? (double)(last_us - first_us) / 1e6 : 0;
}

/* "a -> b" of a flow row. */
static void flow_ends(const struct vd_flow_row *r, char *buf, size_t len)
{
	char a[64], b[64];

	snprintf(buf, len, "%s -> %s",
		 endpoint(&r->a, r->aport, has_ports(r), a, sizeof(a)),
		 endpoint(&r->b, r->bport, has_ports(r), b, sizeof(b)));
}

/* The flow table for people: --flows, the first MAX_TEXT_FLOWS rows. */
static void flows_text(struct vd_strbuf *sb, const struct vd_traffic *t)
{
	const struct vd_flow_row *rows;
	uint64_t dropped;
	size_t n = vd_traffic_flows(t, &rows, &dropped), shown;
	int w = 6; /* "a -> b", or the widest shown */
	char ends[140];

	shown = n < MAX_TEXT_FLOWS ? n : MAX_TEXT_FLOWS;
	for (size_t i = 0; i < shown; i++) {
		flow_ends(&rows[i], ends, sizeof(ends));
		if ((int)strlen(ends) > w)
			w = (int)strlen(ends);
	}
	if (shown)
		vd_sb_printf(sb, "  %-6s %-*s %12s %13s %9s %7s %s\n", "proto",
			     w, "a -> b", "pkts a>b/b>a", "bytes a>b/b>a",
			     "duration", "retrans", "state");
	for (size_t i = 0; i < shown; i++) {
		const struct vd_flow_row *r = &rows[i];
		char pk[48], by[48], rt[24];

		flow_ends(r, ends, sizeof(ends));
		snprintf(pk, sizeof(pk), "%llu/%llu",
			 (unsigned long long)r->pkts_ab,
			 (unsigned long long)r->pkts_ba);
		snprintf(by, sizeof(by), "%llu/%llu",
			 (unsigned long long)r->bytes_ab,
			 (unsigned long long)r->bytes_ba);
		snprintf(rt, sizeof(rt), "%u/%u", r->retrans_ab, r->retrans_ba);
		vd_sb_printf(sb, "  %-6s %-*s %12s %13s %7.3f s %7s %s",
			     proto_name(r->proto), w, ends, pk, by,
			     span_s(r->first_us, r->last_us), rt,
			     r->state ? r->state : "-");
		if (r->vlan)
			vd_sb_printf(sb, " (vlan %u)", r->vlan);
		vd_sb_puts(sb, "\n");
	}
	if (n > shown)
		vd_sb_printf(
			sb, "  (the first %zu of %zu flows; all with --json)\n",
			shown, n);
	if (dropped)
		vd_sb_printf(sb,
			     "  (%llu more flows beyond --max-flows have no "
			     "row)\n",
			     (unsigned long long)dropped);
}

/* The per-protocol counters, for both renderings. */
static const struct {
	const char *text, *key;
	size_t off;
} counters[] = {
	{ "ARP", "arp", offsetof(struct vd_traffic_stats, arp) },
	{ "IPv4", "ipv4", offsetof(struct vd_traffic_stats, ipv4) },
	{ "IPv6", "ipv6", offsetof(struct vd_traffic_stats, ipv6) },
	{ "TCP", "tcp", offsetof(struct vd_traffic_stats, tcp) },
	{ "UDP", "udp", offsetof(struct vd_traffic_stats, udp) },
	{ "ICMP", "icmp", offsetof(struct vd_traffic_stats, icmp) },
	{ "DHCP", "dhcp", offsetof(struct vd_traffic_stats, dhcp) },
	{ "DNS", "dns", offsetof(struct vd_traffic_stats, dns) },
	{ "VLAN-tagged", "vlan", offsetof(struct vd_traffic_stats, vlan) },
	{ "other", "other", offsetof(struct vd_traffic_stats, other) },
	{ "truncated", NULL, offsetof(struct vd_traffic_stats, trunc) },
	{ "malformed", NULL, offsetof(struct vd_traffic_stats, bad) },
};

#define N_COUNTERS (sizeof(counters) / sizeof(counters[0]))

static uint64_t counter(const struct vd_traffic_stats *st, size_t i)
{
	uint64_t v;

	memcpy(&v, (const char *)st + counters[i].off, sizeof(v));
	return v;
}

/* The capture summary above the findings. */
static void head_text(struct vd_strbuf *sb, const struct vd_capture *c,
		      const struct vd_traffic *t, const struct pcap_cli *o,
		      const struct run *run)
{
	const struct vd_traffic_stats *st = vd_traffic_stats(t);
	bool first = true;
	char when[32];

	vd_sb_printf(sb, "capture %s%s: %llu frame%s", run->source,
		     o->iface ? " (live)" : "", (unsigned long long)st->frames,
		     st->frames == 1 ? "" : "s");
	if (st->frames) {
		utc_time(st->first_us, when, sizeof(when));
		vd_sb_printf(sb, ", %.3f s from %s",
			     span_s(st->first_us, st->last_us), when);
	}
	vd_sb_printf(sb, ", %s", vd_capture_linkname(c));
	if (o->filter)
		vd_sb_printf(sb, ", filter '%s'", o->filter);
	if (strcmp(run->stopped_by, "end") != 0)
		vd_sb_printf(sb, "; stopped by %s",
			     strcmp(run->stopped_by, "signal") == 0 ? "a signal"
			     : strcmp(run->stopped_by, "count") == 0
				     ? "--count"
				     : "--duration");
	vd_sb_printf(sb, "\n  %llu bytes", (unsigned long long)st->bytes);
	for (size_t i = 0; i < N_COUNTERS; i++) {
		uint64_t v = counter(st, i);

		if (!v)
			continue;
		vd_sb_printf(sb, "%s%s %llu", first ? ": " : ", ",
			     counters[i].text, (unsigned long long)v);
		first = false;
	}
	vd_sb_printf(sb, "\n  flows %llu (at most %u at once",
		     (unsigned long long)st->flows, st->peak_flows);
	if (st->flows_evicted)
		vd_sb_printf(sb, ", %llu ended early by --max-flows",
			     (unsigned long long)st->flows_evicted);
	vd_sb_puts(sb, ")");
	if (st->pending)
		vd_sb_printf(sb,
			     "; %llu requests too close to the end to judge",
			     (unsigned long long)st->pending);
	if (run->dropped || run->if_dropped)
		vd_sb_printf(
			sb, "; %llu frames dropped by the kernel",
			(unsigned long long)(run->dropped + run->if_dropped));
	vd_sb_puts(sb, "\n");
	if (o->out)
		vd_sb_printf(sb,
			     "  wrote %llu frames behind the findings to %s\n",
			     (unsigned long long)run->written, o->out);
	if (o->flows)
		flows_text(sb, t);
}

static json_t *jint(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *jtime(uint64_t us, bool known)
{
	char buf[32];

	if (!known)
		return json_null();
	utc_time(us, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *capture_json(const struct vd_capture *c,
			    const struct vd_traffic *t,
			    const struct pcap_cli *o, const struct run *run)
{
	const struct vd_traffic_stats *st = vd_traffic_stats(t);
	json_t *j = json_object(), *protos = json_object();

	json_object_set_new(j, "source", json_string(run->source));
	json_object_set_new(j, "live", json_boolean(o->iface));
	json_object_set_new(j, "linktype", jint(vd_capture_linktype(c)));
	json_object_set_new(j, "link", json_string(vd_capture_linkname(c)));
	json_object_set_new(j, "snaplen", jint(vd_capture_snaplen(c)));
	json_object_set_new(j, "filter",
			    o->filter ? json_string(o->filter) : json_null());
	json_object_set_new(j, "stopped_by", json_string(run->stopped_by));
	json_object_set_new(j, "frames", jint(st->frames));
	json_object_set_new(j, "bytes", jint(st->bytes));
	json_object_set_new(j, "first_us", jint(st->first_us));
	json_object_set_new(j, "last_us", jint(st->last_us));
	json_object_set_new(j, "first", jtime(st->first_us, st->frames));
	json_object_set_new(j, "last", jtime(st->last_us, st->frames));
	json_object_set_new(j, "duration_s",
			    json_real(span_s(st->first_us, st->last_us)));
	json_object_set_new(j, "truncated", jint(st->trunc));
	json_object_set_new(j, "malformed", jint(st->bad));
	json_object_set_new(j, "protocols", protos);
	for (size_t i = 0; i < N_COUNTERS; i++)
		if (counters[i].key)
			json_object_set_new(protos, counters[i].key,
					    jint(counter(st, i)));
	json_object_set_new(j, "flows", jint(st->flows));
	json_object_set_new(j, "flows_evicted", jint(st->flows_evicted));
	json_object_set_new(j, "peak_flows", jint(st->peak_flows));
	json_object_set_new(j, "subjects_dropped", jint(st->subjects_dropped));
	json_object_set_new(j, "pending", jint(st->pending));
	if (o->iface) {
		json_object_set_new(j, "dropped", jint(run->dropped));
		json_object_set_new(j, "if_dropped", jint(run->if_dropped));
	}
	if (o->out)
		json_object_set_new(j, "written",
				    json_pack("{s:s, s:I}", "file", o->out,
					      "frames",
					      (json_int_t)run->written));
	return j;
}

static json_t *flows_json(const struct vd_traffic *t)
{
	const struct vd_flow_row *rows;
	uint64_t dropped;
	size_t n = vd_traffic_flows(t, &rows, &dropped);
	json_t *arr = json_array();
	char a[VD_IPSTR_MAX], b[VD_IPSTR_MAX];

	for (size_t i = 0; arr && i < n; i++) {
		const struct vd_flow_row *r = &rows[i];
		json_t *row = json_object();

		json_object_set_new(row, "proto",
				    json_string(proto_name(r->proto)));
		json_object_set_new(row, "vlan", jint(r->vlan));
		json_object_set_new(
			row, "a", json_string(vd_ip_str(&r->a, a, sizeof(a))));
		json_object_set_new(row, "a_port", jint(r->aport));
		json_object_set_new(
			row, "b", json_string(vd_ip_str(&r->b, b, sizeof(b))));
		json_object_set_new(row, "b_port", jint(r->bport));
		json_object_set_new(row, "packets_ab", jint(r->pkts_ab));
		json_object_set_new(row, "packets_ba", jint(r->pkts_ba));
		json_object_set_new(row, "bytes_ab", jint(r->bytes_ab));
		json_object_set_new(row, "bytes_ba", jint(r->bytes_ba));
		json_object_set_new(row, "first_frame", jint(r->first_frame));
		json_object_set_new(row, "first_us", jint(r->first_us));
		json_object_set_new(row, "last_us", jint(r->last_us));
		json_object_set_new(row, "retrans_ab", jint(r->retrans_ab));
		json_object_set_new(row, "retrans_ba", jint(r->retrans_ba));
		json_object_set_new(row, "state",
				    json_string(r->state ? r->state : "-"));
		json_array_append_new(arr, row);
	}
	return arr;
}

/* The ordinary report, with the capture summary (and flow table) added:
 * above it as text, as the keys capture and flows in JSON. */
static char *render(const struct vd_report *rep, const struct vd_capture *c,
		    const struct vd_traffic *t, const struct pcap_cli *o,
		    const struct run *run)
{
	struct vd_strbuf sb = { 0 };
	char *body = NULL, *s = NULL;
	json_t *doc;

	if (!o->json) {
		if (vd_report_text(rep, &body) < 0)
			return NULL;
		head_text(&sb, c, t, o, run);
		vd_sb_puts(&sb, body);
		free(body);
		return vd_sb_take(&sb);
	}
	if (vd_report_json(rep, &body) < 0)
		return NULL;
	doc = json_loads(body, 0, NULL);
	free(body);
	if (!doc)
		return NULL;
	json_object_set_new(doc, "capture", capture_json(c, t, o, run));
	if (o->flows) {
		const struct vd_flow_row *rows;
		uint64_t dropped;

		vd_traffic_flows(t, &rows, &dropped);
		json_object_set_new(doc, "flows", flows_json(t));
		json_object_set_new(doc, "flows_dropped", jint(dropped));
	}
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return s;
}

/* The input, opened; its name for messages in run->source. */
static int open_input(const struct pcap_cli *o, struct vd_capture **c,
		      struct run *run)
{
	char err[VD_CAPTURE_ERR_MAX];
	int rc;

	run->source = o->iface			  ? o->iface
		      : strcmp(o->file, "-") == 0 ? "stdin"
						  : o->file;
	rc = o->iface ? vd_capture_open_live(o->iface, o->filter, o->promisc, c,
					     err, sizeof(err))
		      : vd_capture_open_file(o->file, o->filter, c, err,
					     sizeof(err));
	if (rc) {
		vd_error("%s%s: %s", o->iface ? "interface " : "", run->source,
			 err);
		return -1;
	}
	if (o->iface && vd_capture_warning(*c))
		fprintf(stderr, "vnetdiag: warning: interface %s: %s\n",
			o->iface, vd_capture_warning(*c));
	return 0;
}

/* --write-filtered: the output's temporary file, and a spool when the
 * input cannot be read twice; before any frame is read. */
static int prepare_output(const struct pcap_cli *o, struct vd_capture *c,
			  struct vd_capture_out **out)
{
	char err[VD_CAPTURE_ERR_MAX];

	if (!o->out)
		return 0;
	if (vd_capture_out_open(o->out, out, err, sizeof(err)) < 0 ||
	    (vd_capture_needs_spool(c) &&
	     vd_capture_spool(c, o->out, err, sizeof(err)) < 0)) {
		vd_error("pcap: cannot write --write-filtered %s: %s", o->out,
			 err);
		return -1;
	}
	return 0;
}

int cmd_pcap(int argc, char **argv)
{
	struct vd_capture_out *out = NULL;
	struct vd_capture *c = NULL;
	struct vd_traffic *t = NULL;
	struct vd_findings fl;
	struct pcap_cli o;
	struct vd_verdict v;
	struct vd_report rep;
	struct run run = { 0 };
	char *text = NULL;
	int rc, status = VD_EXIT_UNKNOWN;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc > 0 ? VD_EXIT_OK : VD_EXIT_UNKNOWN;
	vd_findings_init(&fl);
	if (open_input(&o, &c, &run) < 0)
		goto out;
	/* The handle is open and filtered: no frame is parsed with a
	 * privilege held. */
	vd_priv_drop();
	if (prepare_output(&o, c, &out) < 0)
		goto out;
	t = vd_traffic_new(&o.to);
	if (!t) {
		vd_error("pcap: out of memory");
		goto out;
	}
	catch_signals();
	rc = read_frames(c, t, &o, &run);
	restore_signals();
	if (rc < 0) {
		vd_error("%s%s: %s", o.iface ? "interface " : "", run.source,
			 vd_capture_error(c));
		goto out;
	}
	vd_capture_drops(c, &run.dropped, &run.if_dropped);
	/* Live, the capture went on until now, frames or not. */
	if (o.iface) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		vd_traffic_advance(t, (uint64_t)ts.tv_sec * 1000000u +
					      (uint64_t)ts.tv_nsec / 1000u);
	}
	if (vd_traffic_finish(t, &fl) < 0 || fl.oom) {
		vd_error("pcap: out of memory");
		goto out;
	}
	vd_verdict_decide(&fl, &v);
	if (out) {
		const uint64_t *frames;
		size_t n = vd_traffic_frames(t, &frames);
		char err[VD_CAPTURE_ERR_MAX];

		rc = vd_capture_write_frames(c, frames, n, out, &run.written,
					     err, sizeof(err));
		out = NULL; /* consumed */
		if (rc < 0) {
			vd_error("pcap: cannot write --write-filtered %s: %s",
				 o.out, err);
			goto out;
		}
	}
	rep = (struct vd_report){ .findings = &fl,
				  .verdict = &v,
				  .source = o.iface ? "live" : run.source,
				  .color = vd_want_color(o.color) };
	text = render(&rep, c, t, &o, &run);
	if (!text) {
		vd_error("pcap: cannot render the report: out of memory");
		goto out;
	}
	if (vd_write_output("-", text, strlen(text)) == 0 &&
	    (!o.json || vd_write_output("-", "\n", 1) == 0))
		status = (int)v.status;
out:
	free(text);
	vd_capture_out_abort(out);
	vd_findings_clear(&fl);
	vd_traffic_free(t);
	vd_capture_close(c);
	return status;
}
