/* SPDX-License-Identifier: MIT */
/* vnetdiag probe tcp: connect to ports of one address, say what answered. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "facts/probes_json.h"
#include "probe/probe.h"
#include "report/report.h"
#include "util/ip.h"
#include "util/strbuf.h"

static const char usage[] =
	"usage: vnetdiag probe tcp [options] TARGET\n"
	"\n"
	"Connect to TCP ports of TARGET, an IPv4 or IPv6 address, many at\n"
	"once, and tell which are open (they accepted), closed (a reset came\n"
	"back), filtered (nothing came back in time) or unreachable (an ICMP\n"
	"error came back).\n"
	"\n"
	"options:\n"
	"  -p, --ports LIST   ports and ranges, e.g. 22,80,8000-8100\n"
	"                     (default 1-1024)\n"
	"      --timeout MS   how long to wait for each port (default 1000)\n"
	"      --retries N    extra tries for ports that did not answer\n"
	"                     (default 0)\n"
	"      --max-inflight N  connects in flight at once (default: as\n"
	"                     many as the descriptor limit allows, at\n"
	"                     most 16384)\n"
	"  -j, --json         the result as JSON (vnetdiag.report/1)\n"
	"  -h, --help         this help\n"
	"\n"
	"exit status: 0 scanned, 3 bad usage or the scan could not run\n";

/* Listed one by one below this many, else only counted. */
#define LIST_MAX 20

struct port_set {
	uint8_t bits[65536 / 8];
	size_t n;
};

static void set_add(struct port_set *s, unsigned p)
{
	if (!(s->bits[p / 8] & (1u << (p % 8)))) {
		s->bits[p / 8] |= (uint8_t)(1u << (p % 8));
		s->n++;
	}
}

/* One port number at *p; advances *p.  -1 when there is none. */
static long port_num(const char **p)
{
	long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		if (v <= 65535)
			v = v * 10 + (*s - '0');
		s++;
	}
	*p = s;
	return v;
}

/* "22,80,8000-8100"; 0, or -1 with the reason in why. */
static int parse_ports(const char *list, struct port_set *set, char *why,
		       size_t len)
{
	const char *p = list;

	for (;;) {
		long lo = port_num(&p), hi;

		if (lo < 0) {
			snprintf(why, len, "expected a port number at '%s'", p);
			return -1;
		}
		hi = lo;
		if (*p == '-') {
			p++;
			hi = port_num(&p);
			if (hi < 0) {
				snprintf(why, len,
					 "expected a port number at '%s'", p);
				return -1;
			}
		}
		if (lo < 1 || lo > 65535 || hi < 1 || hi > 65535) {
			snprintf(why, len, "%ld is not a port (1-65535)",
				 lo < 1 || lo > 65535 ? lo : hi);
			return -1;
		}
		if (hi < lo) {
			snprintf(why, len, "range %ld-%ld goes backwards", lo,
				 hi);
			return -1;
		}
		for (long v = lo; v <= hi; v++)
			set_add(set, (unsigned)v);
		if (!*p)
			return 0;
		if (*p != ',') {
			snprintf(why, len, "unexpected '%c'", *p);
			return -1;
		}
		p++;
	}
}

static const char *state_name(uint8_t st)
{
	switch (st) {
	case VD_PORT_OPEN:
		return "open";
	case VD_PORT_CLOSED:
		return "closed";
	case VD_PORT_FILTERED:
		return "filtered";
	case VD_PORT_UNREACHABLE:
		return "unreachable";
	default:
		return "error";
	}
}

static uint8_t norm_state(uint8_t st)
{
	return st >= VD_PORT_OPEN && st <= VD_PORT_ERROR ? st : VD_PORT_ERROR;
}

static char *render_text(const struct vd_probes *pr, const char *target,
			 double secs)
{
	static const uint8_t order[] = { VD_PORT_OPEN, VD_PORT_CLOSED,
					 VD_PORT_FILTERED, VD_PORT_UNREACHABLE,
					 VD_PORT_ERROR };
	struct vd_strbuf sb = { 0 };
	size_t count[6] = { 0 };
	bool header = false, first = true;

	for (size_t i = 0; i < pr->n_tcps; i++)
		count[norm_state(pr->tcps[i].state)]++;
	for (size_t i = 0; i < pr->n_tcps; i++) {
		const struct vd_tcp_result *r = &pr->tcps[i];
		uint8_t st = norm_state(r->state);
		char port[16];

		if (st == VD_PORT_CLOSED ||
		    (st != VD_PORT_OPEN && count[st] >= LIST_MAX))
			continue;
		if (!header)
			vd_sb_puts(&sb, "PORT       STATE        RTT\n");
		header = true;
		snprintf(port, sizeof(port), "%u/tcp", r->port);
		vd_sb_printf(&sb, "%-10s %-12s", port, state_name(st));
		if (st == VD_PORT_OPEN)
			vd_sb_printf(&sb, " %.2f ms", r->rtt_us / 1000.0);
		else if (st == VD_PORT_FILTERED)
			vd_sb_puts(&sb, " -");
		else
			vd_sb_printf(&sb, " %.2f ms (%s)", r->rtt_us / 1000.0,
				     strerror(r->err));
		vd_sb_puts(&sb, "\n");
	}
	vd_sb_printf(&sb, "%s: ", target);
	for (size_t k = 0; k < sizeof(order); k++) {
		uint8_t st = order[k];

		if (st > VD_PORT_CLOSED && !count[st])
			continue;
		vd_sb_printf(&sb, "%s%zu %s", first ? "" : ", ", count[st],
			     state_name(st));
		first = false;
	}
	vd_sb_printf(&sb, " in %.2f s; %.0f ports/s\n", secs,
		     secs > 0 ? (double)pr->n_tcps / secs : 0.0);
	return vd_sb_take(&sb);
}

int probe_cmd_tcp(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ports", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "retries", required_argument, NULL, 'R' },
		{ "max-inflight", required_argument, NULL, 'M' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vd_tcp_opts o = { .timeout_ms = 1000 };
	struct vd_probes pr = { .ran = true };
	struct port_set *set;
	struct vd_loop *l = NULL;
	struct vd_ip target;
	uint16_t *ports = NULL;
	const char *plist = "1-1024";
	bool json = false;
	int verdict = VD_EXIT_OK;
	char why[96], *out = NULL;
	uint64_t t0;
	int c, rc, status = VD_EXIT_UNKNOWN;
	long v;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			plist = optarg;
			break;
		case 'T':
			if (vd_parse_long(optarg, 1, 600000, &v) < 0) {
				vd_error("probe tcp: invalid --timeout '%s': "
					 "milliseconds from 1 to 600000",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.timeout_ms = (unsigned)v;
			break;
		case 'R':
			if (vd_parse_long(optarg, 0, 10, &v) < 0) {
				vd_error("probe tcp: invalid --retries '%s': "
					 "a number from 0 to 10",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.retries = (unsigned)v;
			break;
		case 'M':
			if (vd_parse_long(optarg, 1, 65535, &v) < 0) {
				vd_error("probe tcp: invalid --max-inflight "
					 "'%s': a number from 1 to 65535",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.max_inflight = (unsigned)v;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return VD_EXIT_OK;
		default: /* ':' value missing, '?' unknown */
			return vd_getopt_error("probe tcp",
					       "vnetdiag probe tcp --help", c,
					       argv);
		}
	}
	if (vd_one_ip_arg("probe tcp", "vnetdiag probe tcp --help", argc, argv,
			  &target) < 0)
		return VD_EXIT_UNKNOWN;
	set = calloc(1, sizeof(*set));
	if (!set) {
		vd_error("probe tcp: out of memory");
		return VD_EXIT_UNKNOWN;
	}
	if (parse_ports(plist, set, why, sizeof(why)) < 0) {
		vd_error("probe tcp: invalid port list '%s': %s", plist, why);
		goto out;
	}
	ports = malloc(set->n * sizeof(*ports));
	if (!ports) {
		vd_error("probe tcp: out of memory");
		goto out;
	}
	for (size_t p = 1, k = 0; p < 65536; p++)
		if (set->bits[p / 8] & (1u << (p % 8)))
			ports[k++] = (uint16_t)p;

	t0 = vd_now_us();
	rc = vd_loop_new(&l);
	if (rc == 0)
		rc = vd_probe_tcp_start(l, &target, ports, set->n, &o, &pr);
	if (rc == 0)
		rc = vd_loop_run(l);
	if (rc < 0) {
		vd_error("probe tcp: cannot scan %s: %s", argv[optind],
			 strerror(-rc));
		goto out;
	}
	/* The findings decide the exit status: one port asked about is a
	 * question (closed or filtered is critical), a range is a scan. */
	out = vd_probe_report_json(&pr, set->n == 1 ? &target : NULL,
				   argv[optind], set->n == 1 ? ports[0] : -1,
				   &verdict);
	if (out && !json) {
		free(out);
		out = render_text(&pr, argv[optind],
				  (double)(vd_now_us() - t0) / 1e6);
	}
	if (!out) {
		vd_error("probe tcp: out of memory");
		goto out;
	}
	if (vd_write_output("-", out, strlen(out)) == 0 &&
	    (!json || vd_write_output("-", "\n", 1) == 0))
		status = verdict;
out:
	free(out);
	vd_loop_free(l);
	vd_probes_clear(&pr);
	free(ports);
	free(set);
	return status;
}
