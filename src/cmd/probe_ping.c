/* SPDX-License-Identifier: MIT */
/* vnetdiag probe ping: ICMP echo to one address, loss, round trip, errors. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "facts/probes_json.h"
#include "probe/priv.h"
#include "probe/probe.h"
#include "report/report.h"
#include "util/ip.h"
#include "util/strbuf.h"

static const char usage[] =
	"usage: vnetdiag probe ping [options] TARGET\n"
	"\n"
	"Send ICMP echo requests to TARGET, an IPv4 or IPv6 address, and\n"
	"tell how many came back and how fast, or which ICMP error came back\n"
	"instead (unreachable, prohibited, fragmentation needed...) and who\n"
	"sent it.  Uses an unprivileged ICMP socket where the system allows\n"
	"one (net.ipv4.ping_group_range), a raw socket otherwise.\n"
	"\n"
	"options:\n"
	"  -c, --count N      echo requests to send, 1 to 1000 (default 3)\n"
	"  -i, --interval MS  between requests (default 200)\n"
	"  -s, --size BYTES   payload of each request, 1 to 65507\n"
	"                     (default 56)\n"
	"      --timeout MS   how long to wait after the last request\n"
	"                     (default 1000)\n"
	"  -j, --json         the result as JSON (vnetdiag.report/1)\n"
	"  -h, --help         this help\n"
	"\n"
	"exit status: 0 replies came back, 2 none did, 3 bad usage or the\n"
	"probe could not run\n";

#define MAX_COUNT 1000
#define MAX_SIZE  65507 /* 65535 - IPv4 header - ICMP header */

/* What an ICMP/ICMPv6 error means, in a few words. */
static const char *icmp_meaning(const struct vd_icmp_error *e)
{
	static const char *const unreach4[] = {
		"net unreachable",
		"host unreachable",
		"protocol unreachable",
		"port unreachable",
		"frag needed",
		"source route failed",
		"net unknown",
		"host unknown",
		"source host isolated",
		"net prohibited",
		"host prohibited",
		"net unreachable for TOS",
		"host unreachable for TOS",
		"admin prohibited",
		"host precedence violation",
		"precedence cutoff",
	};
	static const char *const unreach6[] = {
		"no route",
		"admin prohibited",
		"beyond scope of source address",
		"address unreachable",
		"port unreachable",
		"source address failed policy",
		"reject route",
	};
	const size_t n4 = sizeof(unreach4) / sizeof(unreach4[0]);
	const size_t n6 = sizeof(unreach6) / sizeof(unreach6[0]);

	if (e->v6) {
		switch (e->type) {
		case 1:
			return e->code < n6 ? unreach6[e->code] : "unreachable";
		case 2:
			return "packet too big";
		case 3:
			return e->code == 1 ? "fragment reassembly time "
					      "exceeded"
					    : "hop limit exceeded";
		case 4:
			return "parameter problem";
		default:
			return "error";
		}
	}
	switch (e->type) {
	case 3:
		return e->code < n4 ? unreach4[e->code] : "unreachable";
	case 11:
		return e->code == 1 ? "fragment reassembly time exceeded"
				    : "TTL exceeded in transit";
	case 12:
		return "parameter problem";
	default:
		return "error";
	}
}

/* Frag needed (ICMP 3/4) and packet too big (ICMPv6 2) carry an MTU. */
static bool icmp_has_mtu(const struct vd_icmp_error *e)
{
	return e->v6 ? e->type == 2 : e->type == 3 && e->code == 4;
}

/* Rounded like ping: 1 of 3 lost is 33%, any loss at all is never 0%. */
static unsigned loss_percent(const struct vd_ping_result *r)
{
	unsigned lost;

	if (!r->sent)
		return 100;
	lost = r->sent > r->received ? r->sent - r->received : 0;
	if (lost && lost * 100 < r->sent)
		return 1;
	return lost * 100 / r->sent;
}

static char *render_text(const struct vd_ping_result *r, const char *target)
{
	struct vd_strbuf sb = { 0 };
	char ip[VD_IPSTR_MAX];

	vd_sb_printf(&sb, "%s: %u sent, %u received, %u%% loss", target,
		     r->sent, r->received, loss_percent(r));
	if (r->received)
		vd_sb_printf(&sb, ", rtt min/avg/max %.3f/%.3f/%.3f ms",
			     r->rtt_min_us / 1000.0, r->rtt_avg_us / 1000.0,
			     r->rtt_max_us / 1000.0);
	vd_sb_puts(&sb, "\n");
	if (r->n_errors) {
		const struct vd_icmp_error *e = &r->error;

		vd_sb_printf(&sb, "ICMP%s %s", e->v6 ? "v6" : "",
			     icmp_meaning(e));
		if (icmp_has_mtu(e))
			vd_sb_printf(&sb, ", next-hop MTU %u", e->next_mtu);
		vd_sb_printf(&sb, " from %s",
			     vd_ip_str(&e->from, ip, sizeof(ip)));
		if (r->n_errors > 1)
			vd_sb_printf(&sb, " (the first of %u ICMP errors)",
				     r->n_errors);
		vd_sb_puts(&sb, "\n");
	}
	if (r->local_errno)
		vd_sb_printf(&sb, "sendto: %s\n", strerror(r->local_errno));
	return vd_sb_take(&sb);
}

int probe_cmd_ping(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "size", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vd_ping_opts o = {
		.count = 3, .interval_ms = 200, .timeout_ms = 1000, .size = 56
	};
	struct vd_probes pr = { .ran = true };
	struct vd_loop *l = NULL;
	struct vd_ip target;
	bool json = false, answered;
	char *out = NULL;
	int c, rc, status = VD_EXIT_UNKNOWN;
	long v;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:i:s:jh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'c':
			if (vd_parse_long(optarg, 1, MAX_COUNT, &v) < 0) {
				vd_error("probe ping: invalid --count '%s': "
					 "a number from 1 to %d",
					 optarg, MAX_COUNT);
				return VD_EXIT_UNKNOWN;
			}
			o.count = (unsigned)v;
			break;
		case 'i':
			if (vd_parse_long(optarg, 1, 60000, &v) < 0) {
				vd_error("probe ping: invalid --interval '%s': "
					 "milliseconds from 1 to 60000",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.interval_ms = (unsigned)v;
			break;
		case 's':
			if (vd_parse_long(optarg, 1, MAX_SIZE, &v) < 0) {
				vd_error("probe ping: invalid --size '%s': "
					 "bytes from 1 to %d",
					 optarg, MAX_SIZE);
				return VD_EXIT_UNKNOWN;
			}
			o.size = (unsigned)v;
			break;
		case 'T':
			if (vd_parse_long(optarg, 1, 600000, &v) < 0) {
				vd_error("probe ping: invalid --timeout '%s': "
					 "milliseconds from 1 to 600000",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.timeout_ms = (unsigned)v;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return VD_EXIT_OK;
		default: /* ':' value missing, '?' unknown */
			return vd_getopt_error("probe ping",
					       "vnetdiag probe ping --help", c,
					       argv);
		}
	}
	if (vd_one_ip_arg("probe ping", "vnetdiag probe ping --help", argc,
			  argv, &target) < 0)
		return VD_EXIT_UNKNOWN;

	rc = vd_loop_new(&l);
	if (rc == 0)
		rc = vd_probe_ping_start(l, &target, &o, &pr);
	if (rc == -EPERM || rc == -EACCES) {
		vd_error("probe ping: cannot ping %s: needs CAP_NET_RAW or a "
			 "group in net.ipv4.ping_group_range (run as root)",
			 argv[optind]);
		goto out;
	}
	/* The socket is open: nothing later needs a privilege. */
	vd_priv_drop();
	if (rc == 0)
		rc = vd_loop_run(l);
	if (rc < 0) {
		vd_error("probe ping: cannot ping %s: %s", argv[optind],
			 strerror(-rc));
		goto out;
	}
	if (pr.n_pings != 1) {
		vd_error("probe ping: out of memory");
		goto out;
	}
	answered = pr.pings[0].received > 0;
	out = json ? vd_probe_report_json(&pr, &target, argv[optind], -1, NULL)
		   : render_text(&pr.pings[0], argv[optind]);
	if (!out) {
		vd_error("probe ping: out of memory");
		goto out;
	}
	if (vd_write_output("-", out, strlen(out)) == 0 &&
	    (!json || vd_write_output("-", "\n", 1) == 0))
		status = answered ? VD_EXIT_OK : VD_EXIT_CRITICAL;
out:
	free(out);
	vd_loop_free(l);
	vd_probes_clear(&pr);
	return status;
}
