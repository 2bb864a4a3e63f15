/* SPDX-License-Identifier: MIT */
/* vnetdiag probe trace: the routers between here and one address. */
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
	"usage: vnetdiag probe trace [options] TARGET\n"
	"\n"
	"List the routers between here and TARGET, an IPv4 or IPv6 address,\n"
	"like traceroute -n: UDP probes to ports 33434 and up with TTL 1, 2,\n"
	"... all sent at once; each router answers for the TTL that ends at\n"
	"it, the target with port unreachable.  Needs no privilege.\n"
	"\n"
	"options:\n"
	"      --max-ttl N    the farthest hop to try, 1 to 32 (default 16)\n"
	"      --timeout MS   how long to wait for the answers (default 1000)\n"
	"  -j, --json         the result as JSON (vnetdiag.report/1)\n"
	"  -h, --help         this help\n"
	"\n"
	"exit status: 0 the target answered, 2 it did not, 3 bad usage or\n"
	"the probe could not run\n";

/* traceroute's marks for the unreachables that end a trace early. */
static const char *unreach_mark(const struct vd_trace_result *r,
				const struct vd_trace_hop *h)
{
	bool v6 = r->target.family == VD_AF_INET6;

	if (h->from.family == VD_AF_NONE || h->icmp_type != (v6 ? 1 : 3))
		return "";
	if (v6)
		return h->icmp_code == 4   ? ""
		       : h->icmp_code == 1 ? " !X"
		       : h->icmp_code == 3 ? " !H"
					   : " !N";
	switch (h->icmp_code) {
	case 3:
		return "";
	case 0:
		return " !N";
	case 1:
		return " !H";
	case 2:
		return " !P";
	case 4:
		return " !F";
	case 9:
	case 10:
	case 13:
		return " !X";
	default:
		return " !U";
	}
}

static char *render_text(const struct vd_trace_result *r, const char *target)
{
	struct vd_strbuf sb = { 0 };
	char ip[VD_IPSTR_MAX];

	for (unsigned i = 0; i < r->n_hops && i < VD_TRACE_MAX_HOPS; i++) {
		const struct vd_trace_hop *h = &r->hops[i];

		if (h->from.family == VD_AF_NONE) {
			vd_sb_printf(&sb, "%2u  *\n", h->ttl);
			continue;
		}
		vd_sb_printf(&sb, "%2u  %s  %.2f ms%s\n", h->ttl,
			     vd_ip_str(&h->from, ip, sizeof(ip)),
			     h->rtt_us / 1000.0, unreach_mark(r, h));
	}
	if (!r->reached)
		vd_sb_printf(&sb, "%s not reached\n", target);
	return vd_sb_take(&sb);
}

int probe_cmd_trace(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "max-ttl", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vd_trace_opts o = { .max_ttl = 16, .timeout_ms = 1000 };
	struct vd_probes pr = { .ran = true };
	struct vd_loop *l = NULL;
	struct vd_ip target;
	bool json = false, reached;
	char *out = NULL;
	int c, rc, status = VD_EXIT_UNKNOWN;
	long v;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (vd_parse_long(optarg, 1, VD_TRACE_MAX_HOPS, &v) <
			    0) {
				vd_error("probe trace: invalid --max-ttl '%s': "
					 "a number from 1 to %d",
					 optarg, VD_TRACE_MAX_HOPS);
				return VD_EXIT_UNKNOWN;
			}
			o.max_ttl = (unsigned)v;
			break;
		case 'T':
			if (vd_parse_long(optarg, 1, 60000, &v) < 0) {
				vd_error("probe trace: invalid --timeout '%s': "
					 "milliseconds from 1 to 60000",
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
			return vd_getopt_error("probe trace",
					       "vnetdiag probe trace --help", c,
					       argv);
		}
	}
	if (vd_one_ip_arg("probe trace", "vnetdiag probe trace --help", argc,
			  argv, &target) < 0)
		return VD_EXIT_UNKNOWN;

	/* Plain UDP sockets: no privilege is needed at all. */
	vd_priv_drop();
	rc = vd_loop_new(&l);
	if (rc == 0)
		rc = vd_probe_trace_start(l, &target, &o, &pr);
	if (rc == 0)
		rc = vd_loop_run(l);
	if (rc < 0) {
		vd_error("probe trace: cannot trace %s: %s", argv[optind],
			 strerror(-rc));
		goto out;
	}
	if (pr.n_traces != 1) {
		vd_error("probe trace: out of memory");
		goto out;
	}
	reached = pr.traces[0].reached;
	out = json ? vd_probe_report_json(&pr, NULL, NULL, -1, NULL)
		   : render_text(&pr.traces[0], argv[optind]);
	if (!out) {
		vd_error("probe trace: out of memory");
		goto out;
	}
	if (vd_write_output("-", out, strlen(out)) == 0 &&
	    (!json || vd_write_output("-", "\n", 1) == 0))
		status = reached ? VD_EXIT_OK : VD_EXIT_CRITICAL;
out:
	free(out);
	vd_loop_free(l);
	vd_probes_clear(&pr);
	return status;
}
