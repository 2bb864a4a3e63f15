/* SPDX-License-Identifier: MIT */
/* vnetdiag probe mtu: the largest packet that crosses the path unfragmented. */
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
	"usage: vnetdiag probe mtu [options] TARGET\n"
	"\n"
	"Find the largest packet that reaches TARGET, an IPv4 or IPv6\n"
	"address, and comes back with Don't Fragment set: ICMP echoes of\n"
	"several sizes at once, narrowed down by binary search.  Tells when\n"
	"a router says the packets are too big (and its next-hop MTU), and\n"
	"when large packets vanish while smaller ones pass: an MTU black\n"
	"hole, which breaks TCP transfers but not ping.\n"
	"\n"
	"options:\n"
	"      --timeout MS   how long to wait for each try of a size; each\n"
	"                     size is tried twice (default 500)\n"
	"      --max SIZE     largest IP packet to try, in bytes (default: "
	"the\n"
	"                     MTU of the route to TARGET)\n"
	"  -j, --json         the result as JSON (vnetdiag.report/1)\n"
	"  -h, --help         this help\n"
	"\n"
	"exit status: 0 the path carries full-size packets, 1 a black hole\n"
	"or a path MTU below the local one, 2 no size came back at all,\n"
	"3 bad usage or the probe could not run\n";

#define MAX_PACKET 65535

/* The exit status a result deserves; cap: the --max given, 0 none. */
static int mtu_status(const struct vd_mtu_result *r, unsigned cap)
{
	unsigned expect = r->local_mtu;

	if (!r->path_mtu)
		return VD_EXIT_CRITICAL;
	if (cap && (!expect || cap < expect))
		expect = cap;
	if (r->black_hole || (expect && r->path_mtu < expect))
		return VD_EXIT_WARNING;
	return VD_EXIT_OK;
}

static char *render_text(const struct vd_mtu_result *r, const char *target)
{
	struct vd_strbuf sb = { 0 };
	char ip[VD_IPSTR_MAX];

	if (r->path_mtu)
		vd_sb_printf(&sb, "path MTU %u (local %u)\n", r->path_mtu,
			     r->local_mtu);
	else
		vd_sb_printf(&sb,
			     "no answer from %s at any size (local MTU "
			     "%u)\n",
			     target, r->local_mtu);
	if (r->error.type)
		vd_sb_printf(&sb, "%s from %s: next-hop MTU %u\n",
			     r->error.v6 ? "packet too big" : "frag needed",
			     vd_ip_str(&r->error.from, ip, sizeof(ip)),
			     r->error.next_mtu);
	if (r->black_hole)
		vd_sb_printf(&sb,
			     "black hole: %u-byte packets vanish, %u pass\n",
			     r->first_lost, r->path_mtu);
	return vd_sb_take(&sb);
}

int probe_cmd_mtu(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 'T' },
		{ "max", required_argument, NULL, 'M' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vd_mtu_opts o = { .timeout_ms = 500 };
	struct vd_probes pr = { .ran = true };
	struct vd_loop *l = NULL;
	struct vd_ip target;
	bool json = false;
	char *out = NULL;
	int c, rc, result, status = VD_EXIT_UNKNOWN;
	long v;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'T':
			if (vd_parse_long(optarg, 1, 60000, &v) < 0) {
				vd_error("probe mtu: invalid --timeout '%s': "
					 "milliseconds from 1 to 60000",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.timeout_ms = (unsigned)v;
			break;
		case 'M':
			if (vd_parse_long(optarg, 68, MAX_PACKET, &v) < 0) {
				vd_error("probe mtu: invalid --max '%s': bytes "
					 "from 68 to %d",
					 optarg, MAX_PACKET);
				return VD_EXIT_UNKNOWN;
			}
			o.max_size = (unsigned)v;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return VD_EXIT_OK;
		default: /* ':' value missing, '?' unknown */
			return vd_getopt_error("probe mtu",
					       "vnetdiag probe mtu --help", c,
					       argv);
		}
	}
	if (vd_one_ip_arg("probe mtu", "vnetdiag probe mtu --help", argc, argv,
			  &target) < 0)
		return VD_EXIT_UNKNOWN;
	if (target.family == VD_AF_INET6 && o.max_size && o.max_size < 1280) {
		vd_error("probe mtu: invalid --max '%u': IPv6 needs at least "
			 "1280",
			 o.max_size);
		return VD_EXIT_UNKNOWN;
	}

	rc = vd_loop_new(&l);
	if (rc == 0)
		rc = vd_probe_mtu_start(l, &target, &o, &pr);
	if (rc == -EPERM || rc == -EACCES) {
		vd_error("probe mtu: cannot probe %s: needs CAP_NET_RAW or a "
			 "group in net.ipv4.ping_group_range (run as root)",
			 argv[optind]);
		goto out;
	}
	/* The socket is open: nothing later needs a privilege. */
	vd_priv_drop();
	if (rc == 0)
		rc = vd_loop_run(l);
	if (rc < 0) {
		vd_error("probe mtu: cannot probe %s: %s", argv[optind],
			 strerror(-rc));
		goto out;
	}
	if (pr.n_mtus != 1) {
		vd_error("probe mtu: out of memory");
		goto out;
	}
	result = mtu_status(&pr.mtus[0], o.max_size);
	out = json ? vd_probe_report_json(&pr, &target, argv[optind], -1, NULL)
		   : render_text(&pr.mtus[0], argv[optind]);
	if (!out) {
		vd_error("probe mtu: out of memory");
		goto out;
	}
	if (vd_write_output("-", out, strlen(out)) == 0 &&
	    (!json || vd_write_output("-", "\n", 1) == 0))
		status = result;
out:
	free(out);
	vd_loop_free(l);
	vd_probes_clear(&pr);
	return status;
}
