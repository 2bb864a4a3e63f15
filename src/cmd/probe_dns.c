/* SPDX-License-Identifier: MIT */
/* vnetdiag probe dns: one query at each DNS server, what each answered. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "collect/collect.h"
#include "facts/probes_json.h"
#include "probe/dns.h"
#include "probe/probe.h"
#include "report/report.h"
#include "util/ip.h"
#include "util/strbuf.h"

static const char usage[] =
	"usage: vnetdiag probe dns [options] NAME\n"
	"\n"
	"Ask each DNS server for the address (A record) of NAME, every\n"
	"server on its own, and tell what each did: answered, said the name\n"
	"does not exist (nxdomain), failed (servfail), refused, or stayed\n"
	"silent (timeout).  Without -s, the servers are the nameservers of\n"
	"/etc/resolv.conf.\n"
	"\n"
	"options:\n"
	"  -s, --server ADDR  an IPv4 or IPv6 address to ask (repeatable)\n"
	"      --timeout MS   wait for the first try (default 2000); each\n"
	"                     further try waits twice as long as the last\n"
	"      --tries N      tries per server, 1 to 10 (default 2)\n"
	"  -j, --json         the result as JSON (vnetdiag.report/1)\n"
	"  -h, --help         this help\n"
	"\n"
	"exit status: 0 every server answered (an nxdomain is an answer),\n"
	"2 a server failed or stayed silent, 3 bad usage or the probe could\n"
	"not run\n";

#define RESOLV_CONF  "/etc/resolv.conf"
#define MAX_SERVERS  VD_MAX_LIST
#define MAX_RESOLV_B (1u << 20)

/* An answer, even "no such name", shows the server works. */
static bool server_works(const struct vd_dns_result *r)
{
	return r->status == VD_DNS_ANSWERED || r->status == VD_DNS_NXDOMAIN;
}

static bool all_work(const struct vd_probes *pr)
{
	for (size_t i = 0; i < pr->n_dns; i++)
		if (!server_works(&pr->dns[i]))
			return false;
	return pr->n_dns > 0;
}

static const char *status_name(uint8_t st)
{
	switch (st) {
	case VD_DNS_ANSWERED:
		return "answered";
	case VD_DNS_NXDOMAIN:
		return "nxdomain";
	case VD_DNS_SERVFAIL:
		return "servfail";
	case VD_DNS_REFUSED:
		return "refused";
	case VD_DNS_TIMEOUT:
		return "timeout";
	default:
		return "error";
	}
}

static void detail(struct vd_strbuf *sb, const struct vd_dns_result *r,
		   unsigned tries)
{
	double ms = r->rtt_us / 1000.0;

	switch (r->status) {
	case VD_DNS_ANSWERED:
		if (r->n_answers == 0)
			vd_sb_printf(sb,
				     "no address (the name has no A record)"
				     "  %.1f ms",
				     ms);
		else
			vd_sb_printf(sb, "%u address%s  %.1f ms", r->n_answers,
				     r->n_answers == 1 ? "" : "es", ms);
		break;
	case VD_DNS_NXDOMAIN:
		vd_sb_printf(sb, "no such name  %.1f ms", ms);
		break;
	case VD_DNS_SERVFAIL:
		vd_sb_printf(sb, "server failure  %.1f ms", ms);
		break;
	case VD_DNS_REFUSED:
		vd_sb_printf(sb, "query refused  %.1f ms", ms);
		break;
	case VD_DNS_TIMEOUT:
		vd_sb_printf(sb, "after %u tr%s (%.1f s)", tries,
			     tries == 1 ? "y" : "ies", ms / 1000.0);
		break;
	default:
		if (r->rcode)
			vd_sb_printf(sb, "rcode %u  %.1f ms", r->rcode, ms);
		else
			vd_sb_puts(sb, "no DNS answer (nothing listens on "
				       "port 53, or a local error)");
		break;
	}
}

static char *render_text(const struct vd_probes *pr, unsigned tries)
{
	struct vd_strbuf sb = { 0 };
	char ip[VD_IPSTR_MAX];
	int w = 0;

	for (size_t i = 0; i < pr->n_dns; i++) {
		int n = (int)strlen(
			vd_ip_str(&pr->dns[i].server, ip, sizeof(ip)));

		if (n > w)
			w = n;
	}
	for (size_t i = 0; i < pr->n_dns; i++) {
		const struct vd_dns_result *r = &pr->dns[i];

		vd_sb_printf(&sb, "%-*s  %-8s  ", w,
			     vd_ip_str(&r->server, ip, sizeof(ip)),
			     status_name(r->status));
		detail(&sb, r, tries);
		vd_sb_puts(&sb, "\n");
	}
	return vd_sb_take(&sb);
}

/* The nameservers of resolv.conf; -1 after printing why there are none. */
static int resolv_servers(struct vd_ip *servers, size_t *n)
{
	struct vd_resolv rv = { 0 };
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (access(RESOLV_CONF, F_OK) < 0 && errno == ENOENT) {
		vd_error("probe dns: no nameserver: give -s SERVER (there is "
			 "no " RESOLV_CONF ")");
		return -1;
	}
	if (vd_read_input(RESOLV_CONF, MAX_RESOLV_B, &buf, &len) < 0)
		return -1;
	rc = vd_parse_resolv(buf, len, RESOLV_CONF, &rv);
	free(buf);
	if (rc < 0) {
		vd_error("probe dns: cannot read " RESOLV_CONF ": %s",
			 strerror(-rc));
		return -1;
	}
	*n = 0;
	for (size_t i = 0; i < rv.n_nameservers && *n < MAX_SERVERS; i++)
		servers[(*n)++] = rv.nameservers[i];
	free(rv.file);
	free(rv.nameservers);
	free(rv.ns_lines);
	for (size_t i = 0; i < rv.n_search; i++)
		free(rv.search[i]);
	free(rv.search);
	if (*n == 0) {
		vd_error("probe dns: no nameserver: give -s SERVER "
			 "(" RESOLV_CONF " lists none)");
		return -1;
	}
	return 0;
}

static int check_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0) {
		vd_error("probe dns: invalid NAME '': empty");
		return -1;
	}
	if (len - (name[len - 1] == '.') > VD_DNS_NAME_MAX) {
		vd_error("probe dns: invalid NAME: %zu characters, at most %d",
			 len, VD_DNS_NAME_MAX);
		return -1;
	}
	if (vd_dns_name_check(name) < 0) {
		vd_error("probe dns: invalid NAME '%s': a label is empty or "
			 "longer than 63 characters",
			 name);
		return -1;
	}
	return 0;
}

int probe_cmd_dns(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "server", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "tries", required_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vd_dns_opts o = { .timeout_ms = VD_DNS_DEFAULT_MS,
				 .tries = VD_DNS_DEFAULT_TRIES };
	struct vd_probes pr = { .ran = true };
	struct vd_ip servers[MAX_SERVERS];
	size_t n_servers = 0;
	struct vd_loop *l = NULL;
	const char *name;
	bool json = false;
	char *out = NULL;
	int c, rc, status = VD_EXIT_UNKNOWN;
	long v;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (n_servers == MAX_SERVERS) {
				vd_error("probe dns: too many servers: at most "
					 "%d",
					 MAX_SERVERS);
				return VD_EXIT_UNKNOWN;
			}
			if (vd_ip_parse(optarg, &servers[n_servers]) < 0) {
				vd_error("probe dns: invalid server '%s': an "
					 "IPv4 or IPv6 address",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			n_servers++;
			break;
		case 'T':
			if (vd_parse_long(optarg, 1, 60000, &v) < 0) {
				vd_error("probe dns: invalid --timeout '%s': "
					 "milliseconds from 1 to 60000",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.timeout_ms = (unsigned)v;
			break;
		case 'R':
			if (vd_parse_long(optarg, 1, 10, &v) < 0) {
				vd_error("probe dns: invalid --tries '%s': a "
					 "number from 1 to 10",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.tries = (unsigned)v;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return VD_EXIT_OK;
		default: /* ':' value missing, '?' unknown */
			return vd_getopt_error("probe dns",
					       "vnetdiag probe dns --help", c,
					       argv);
		}
	}
	if (optind >= argc) {
		vd_error("probe dns: missing NAME; see 'vnetdiag probe dns "
			 "--help'");
		return VD_EXIT_UNKNOWN;
	}
	if (argc - optind > 1) {
		vd_error("probe dns: unexpected argument '%s': one NAME only",
			 argv[optind + 1]);
		return VD_EXIT_UNKNOWN;
	}
	name = argv[optind];
	if (check_name(name) < 0)
		return VD_EXIT_UNKNOWN;
	if (n_servers == 0 && resolv_servers(servers, &n_servers) < 0)
		return VD_EXIT_UNKNOWN;

	rc = vd_loop_new(&l);
	if (rc == 0)
		rc = vd_probe_dns_start(l, name, servers, n_servers, &o, &pr);
	if (rc == 0)
		rc = vd_loop_run(l);
	if (rc < 0) {
		vd_error("probe dns: cannot query for %s: %s", name,
			 strerror(-rc));
		goto out;
	}
	out = json ? vd_probe_report_json(&pr, NULL, NULL, -1, NULL)
		   : render_text(&pr, o.tries);
	if (!out) {
		vd_error("probe dns: out of memory");
		goto out;
	}
	if (vd_write_output("-", out, strlen(out)) == 0 &&
	    (!json || vd_write_output("-", "\n", 1) == 0))
		status = all_work(&pr) ? VD_EXIT_OK : VD_EXIT_CRITICAL;
out:
	free(out);
	vd_loop_free(l);
	vd_probes_clear(&pr);
	return status;
}
