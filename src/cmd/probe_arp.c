/* SPDX-License-Identifier: MIT */
/* vnetdiag probe arp: who answers ARP for addresses on one interface. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <net/if.h>
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
	"usage: vnetdiag probe arp -I IFACE [options] TARGET...\n"
	"\n"
	"Ask on IFACE who has each TARGET, an IPv4 address or a prefix\n"
	"(192.168.159.0/24: each of its hosts; at most a /16), and show every\n"
	"MAC that answers.  Two MACs for one address are a duplicate IP.\n"
	"Host bits of a prefix are ignored, so an address as 'ip addr' shows\n"
	"it (192.168.159.1/24) scans its subnet.  Needs CAP_NET_RAW.\n"
	"\n"
	"options:\n"
	"  -I, --interface IFACE  the interface to ask on (required)\n"
	"      --retries N    requests per address beyond the first, for\n"
	"                     addresses that did not answer (default 1)\n"
	"      --interval MS  at least this long between two requests to\n"
	"                     one address (default 100)\n"
	"      --timeout MS   how long to wait after the last request\n"
	"                     (default 300)\n"
	"  -j, --json         the result as JSON (vnetdiag.report/1)\n"
	"  -h, --help         this help\n"
	"\n"
	"Requests leave at one per millisecond; addresses that did not\n"
	"answer are asked again: a /24 takes 0.6 to 0.8 s.\n"
	"\n"
	"exit status: 0 scanned, 2 an address has more than one MAC,\n"
	"3 bad usage or the probe could not run\n";

/* Unanswered addresses are listed one by one below this many targets. */
#define LIST_MAX 20
/* A /16 without its network and broadcast addresses. */
#define MAX_TARGETS 65534u
#define MIN_PLEN    16

/*
 * Defaults for a scan.  One retry catches a request or reply lost on a
 * busy segment; 300 ms after the last request is ample for anything on
 * the same link (a VM answers within a millisecond unless it is paused).
 */
#define DEF_RETRIES	1
#define DEF_INTERVAL_MS 100
#define DEF_TIMEOUT_MS	300

static uint32_t ip4_num(const struct vd_ip *ip)
{
	return (uint32_t)ip->b[0] << 24 | (uint32_t)ip->b[1] << 16 |
	       (uint32_t)ip->b[2] << 8 | ip->b[3];
}

static int cmp_ip4(const void *x, const void *y)
{
	uint32_t a = ip4_num(x), b = ip4_num(y);

	return a < b ? -1 : a > b;
}

/*
 * Append the hosts of one TARGET to t (room for MAX_TARGETS).  0, or -1
 * with the reason in why.  A /31 has two hosts (RFC 3021), a /32 one;
 * shorter prefixes leave out the network and broadcast addresses.
 */
static int add_target(const char *arg, struct vd_ip *t, size_t *n, char *why,
		      size_t len)
{
	struct vd_ip net;
	uint8_t plen;
	uint32_t first, last;

	if (vd_prefix_parse(arg, &net, &plen) < 0) {
		snprintf(why, len,
			 "an IPv4 address or prefix (192.168.159.0/24)");
		return -1;
	}
	if (net.family != VD_AF_INET) {
		snprintf(why, len, "ARP is IPv4 only");
		return -1;
	}
	if (plen < MIN_PLEN) {
		snprintf(
			why, len,
			"/%u is too large a prefix: at most /%d (%u addresses)",
			plen, MIN_PLEN, MAX_TARGETS);
		return -1;
	}
	first = 0;
	last = plen == 32 ? 0 : (uint32_t)(1u << (32 - plen)) - 1;
	if (plen < 31) {
		first = 1;
		last--;
	}
	if (*n + (last - first + 1) > MAX_TARGETS) {
		snprintf(why, len, "more than %u addresses in all",
			 MAX_TARGETS);
		return -1;
	}
	for (uint32_t k = first; k <= last; k++)
		if (vd_prefix_nth(&net, plen, k, &t[(*n)++]) < 0) {
			snprintf(why, len, "internal error: host %u", k);
			return -1;
		}
	return 0;
}

static char *render_text(const struct vd_probes *pr, double secs)
{
	struct vd_strbuf sb = { 0 };
	char ip[VD_IPSTR_MAX], mac[VD_MACSTR_MAX];
	size_t answered = 0;

	for (size_t i = 0; i < pr->n_arps; i++) {
		const struct vd_arp_result *r = &pr->arps[i];

		vd_ip_str(&r->target, ip, sizeof(ip));
		if (r->n_macs)
			answered++;
		if (r->n_macs == 1) {
			vd_sb_printf(
				&sb, "%-15s  %s  %.2f ms\n", ip,
				vd_mac_str(r->macs[0], 6, mac, sizeof(mac)),
				r->rtt_us / 1000.0);
		} else if (r->n_macs > 1) {
			vd_sb_printf(&sb, "%-15s  DUPLICATE:", ip);
			for (unsigned m = 0;
			     m < r->n_macs && m < VD_ARP_MAX_MACS; m++)
				vd_sb_printf(&sb, "%s %s", m ? "," : "",
					     vd_mac_str(r->macs[m], 6, mac,
							sizeof(mac)));
			vd_sb_puts(&sb, "\n");
		} else if (pr->n_arps < LIST_MAX) {
			vd_sb_printf(&sb, "%-15s  no answer to %u request%s\n",
				     ip, r->sent, r->sent == 1 ? "" : "s");
		}
	}
	vd_sb_printf(&sb, "%zu of %zu answered in %.2f s\n", answered,
		     pr->n_arps, secs);
	return vd_sb_take(&sb);
}

/* Why the probe could not start, in words that say what to do. */
static const char *start_error(int rc)
{
	switch (rc) {
	case -EPERM:
	case -EACCES:
		return "needs CAP_NET_RAW (run as root)";
	case -ENETDOWN:
		return "the interface is down (ip link set IFACE up)";
	case -EOPNOTSUPP:
		return "the interface does not use ARP (loopback or a tunnel)";
	case -ENODEV:
		return "the interface is gone";
	default:
		return strerror(-rc);
	}
}

int probe_cmd_arp(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'I' },
		{ "retries", required_argument, NULL, 'R' },
		{ "interval", required_argument, NULL, 'N' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vd_arp_opts o = { .retries = DEF_RETRIES,
				 .interval_ms = DEF_INTERVAL_MS,
				 .timeout_ms = DEF_TIMEOUT_MS };
	struct vd_probes pr = { .ran = true };
	struct vd_loop *l = NULL;
	struct vd_ip *targets = NULL;
	const char *ifname = NULL;
	size_t n = 0, k = 0;
	bool json = false, duplicate = false;
	char why[96], *out = NULL;
	unsigned ifindex;
	uint64_t t0;
	int c, rc, status = VD_EXIT_UNKNOWN;
	long v;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":I:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'I':
			ifname = optarg;
			break;
		case 'R':
			if (vd_parse_long(optarg, 0, 10, &v) < 0) {
				vd_error("probe arp: invalid --retries '%s': "
					 "a number from 0 to 10",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.retries = (unsigned)v;
			break;
		case 'N':
			if (vd_parse_long(optarg, 1, 60000, &v) < 0) {
				vd_error("probe arp: invalid --interval '%s': "
					 "milliseconds from 1 to 60000",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.interval_ms = (unsigned)v;
			break;
		case 'T':
			if (vd_parse_long(optarg, 1, 600000, &v) < 0) {
				vd_error("probe arp: invalid --timeout '%s': "
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
			return vd_getopt_error("probe arp",
					       "vnetdiag probe arp --help", c,
					       argv);
		}
	}
	if (!ifname) {
		vd_error(
			"probe arp: missing -I IFACE: the interface to ask on");
		return VD_EXIT_UNKNOWN;
	}
	if (optind >= argc) {
		vd_error("probe arp: missing TARGET; see 'vnetdiag probe arp "
			 "--help'");
		return VD_EXIT_UNKNOWN;
	}
	ifindex = if_nametoindex(ifname);
	if (ifindex == 0 || ifindex > (unsigned)INT32_MAX) {
		vd_error("probe arp: unknown interface '%s' (see 'ip link')",
			 ifname);
		return VD_EXIT_UNKNOWN;
	}
	targets = calloc(MAX_TARGETS, sizeof(*targets));
	if (!targets) {
		vd_error("probe arp: out of memory");
		return VD_EXIT_UNKNOWN;
	}
	for (int i = optind; i < argc; i++)
		if (add_target(argv[i], targets, &n, why, sizeof(why)) < 0) {
			vd_error("probe arp: invalid TARGET '%s': %s", argv[i],
				 why);
			goto out;
		}
	/* In address order, each once: overlapping prefixes ask once. */
	qsort(targets, n, sizeof(*targets), cmp_ip4);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || !vd_ip_equal(&targets[k - 1], &targets[i]))
			targets[k++] = targets[i];
	n = k;

	t0 = vd_now_us();
	rc = vd_loop_new(&l);
	if (rc == 0)
		rc = vd_probe_arp_start(l, (int)ifindex, targets, n, &o, &pr);
	/* The packet socket is open: nothing later needs a privilege. */
	vd_priv_drop();
	if (rc < 0) {
		vd_error("probe arp: cannot send ARP on %s: %s", ifname,
			 start_error(rc));
		goto out;
	}
	rc = vd_loop_run(l);
	if (rc < 0) {
		vd_error("probe arp: probing on %s failed: %s", ifname,
			 strerror(-rc));
		goto out;
	}
	for (size_t i = 0; i < pr.n_arps; i++)
		duplicate |= pr.arps[i].n_macs > 1;
	out = json ? vd_probe_report_json(&pr, NULL, NULL, -1, NULL)
		   : render_text(&pr, (double)(vd_now_us() - t0) / 1e6);
	if (!out) {
		vd_error("probe arp: out of memory");
		goto out;
	}
	if (vd_write_output("-", out, strlen(out)) == 0 &&
	    (!json || vd_write_output("-", "\n", 1) == 0))
		status = duplicate ? VD_EXIT_CRITICAL : VD_EXIT_OK;
out:
	free(out);
	vd_loop_free(l);
	vd_probes_clear(&pr);
	free(targets);
	return status;
}
