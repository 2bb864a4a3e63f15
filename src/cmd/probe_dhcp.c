/* SPDX-License-Identifier: MIT */
/* vnetdiag probe dhcp: who offers addresses on an interface's segment. */
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
	"usage: vnetdiag probe dhcp [options] IFACE\n"
	"\n"
	"Send a DHCPDISCOVER on IFACE from a made-up client (a random,\n"
	"locally administered MAC) and list every DHCP server that offers\n"
	"an address, with what it offers.  No REQUEST follows, so no lease\n"
	"is taken.  Needs CAP_NET_RAW; IFACE needs no address.\n"
	"\n"
	"options:\n"
	"      --listen MS    how long to collect offers (default 3000);\n"
	"                     a second DISCOVER leaves halfway through\n"
	"                     when nobody has answered\n"
	"  -j, --json         the result as JSON (vnetdiag.report/1)\n"
	"  -h, --help         this help\n"
	"\n"
	"exit status: 0 one server offered, 2 no offer or more than one\n"
	"server, 3 bad usage or the probe could not run\n";

/* One server is right; none, or several competing, is critical. */
static int dhcp_status(const struct vd_dhcp_result *r)
{
	return r && r->n_offers == 1 ? VD_EXIT_OK : VD_EXIT_CRITICAL;
}

/* ".2" when ip shares its first three bytes with the offered address:
 * short lines, and a router elsewhere stands out. */
static const char *near_ip(const struct vd_ip *ip, const struct vd_ip *ref,
			   char *buf, size_t len)
{
	if (ip->family != VD_AF_INET)
		return "none";
	if (ref->family == VD_AF_INET && memcmp(ip->b, ref->b, 3) == 0) {
		snprintf(buf, len, ".%u", ip->b[3]);
		return buf;
	}
	return vd_ip_str(ip, buf, len);
}

static void render_offer(struct vd_strbuf *sb, const struct vd_dhcp_offer *of)
{
	char addr[VD_IPSTR_MAX], srv[VD_IPSTR_MAX], mask[VD_IPSTR_MAX];
	char rt[VD_IPSTR_MAX], dns[VD_IPSTR_MAX], mac[VD_MACSTR_MAX];

	vd_sb_printf(sb, "offer %s from %s (%s) mask %s router %s dns %s",
		     vd_ip_str(&of->yiaddr, addr, sizeof(addr)),
		     vd_ip_str(&of->server, srv, sizeof(srv)),
		     vd_mac_str(of->server_mac, 6, mac, sizeof(mac)),
		     of->mask.family ? vd_ip_str(&of->mask, mask, sizeof(mask))
				     : "none",
		     near_ip(&of->router, &of->yiaddr, rt, sizeof(rt)),
		     near_ip(&of->dns, &of->yiaddr, dns, sizeof(dns)));
	if (of->lease_s == UINT32_MAX)
		vd_sb_puts(sb, " lease infinite\n");
	else if (of->lease_s)
		vd_sb_printf(sb, " lease %u s\n", of->lease_s);
	else
		vd_sb_puts(sb, " lease none\n");
}

static char *render_text(const struct vd_dhcp_result *r, double secs)
{
	struct vd_strbuf sb = { 0 };
	char ip[VD_IPSTR_MAX], mac[VD_MACSTR_MAX];

	for (unsigned k = 0; k < r->n_offers; k++)
		render_offer(&sb, &r->offers[k]);
	if (r->n_offers == 0) {
		vd_sb_printf(&sb,
			     "no DHCP offer on %s in %.1f s (asked as %s, "
			     "xid 0x%08x)\n",
			     r->ifname, secs,
			     vd_mac_str(r->client_mac, 6, mac, sizeof(mac)),
			     r->xid);
	} else if (r->n_offers == 1) {
		vd_sb_printf(&sb, "one DHCP server on %s: %s (%s)\n", r->ifname,
			     vd_ip_str(&r->offers[0].server, ip, sizeof(ip)),
			     vd_mac_str(r->offers[0].server_mac, 6, mac,
					sizeof(mac)));
	} else {
		vd_sb_printf(&sb, "%u DHCP servers on %s:", r->n_offers,
			     r->ifname);
		for (unsigned k = 0; k < r->n_offers; k++)
			vd_sb_printf(
				&sb, "%s %s (%s)", k ? "," : "",
				vd_ip_str(&r->offers[k].server, ip, sizeof(ip)),
				vd_mac_str(r->offers[k].server_mac, 6, mac,
					   sizeof(mac)));
		vd_sb_puts(&sb, "; a segment should have one\n");
	}
	return vd_sb_take(&sb);
}

static void start_error(const char *ifname, int rc)
{
	switch (rc) {
	case -EPERM:
	case -EACCES:
		vd_error("probe dhcp: needs CAP_NET_RAW (run as root)");
		break;
	case -ENODEV:
		vd_error("probe dhcp: no interface '%s'", ifname);
		break;
	case -ENETDOWN:
		vd_error("probe dhcp: cannot probe %s: interface is down "
			 "(ip link set %s up)",
			 ifname, ifname);
		break;
	case -EOPNOTSUPP:
		vd_error("probe dhcp: cannot probe %s: not an Ethernet "
			 "interface",
			 ifname);
		break;
	default:
		vd_error("probe dhcp: cannot probe %s: %s", ifname,
			 strerror(-rc));
		break;
	}
}

int probe_cmd_dhcp(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vd_dhcp_opts o = { .listen_ms = 3000, .retries = 1 };
	struct vd_probes pr = { .ran = true };
	struct vd_loop *l = NULL;
	const char *ifname;
	bool json = false;
	char *out = NULL;
	unsigned ifindex;
	uint64_t t0;
	int c, rc, status = VD_EXIT_UNKNOWN, verdict;
	long v;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'L':
			if (vd_parse_long(optarg, 1, 600000, &v) < 0) {
				vd_error("probe dhcp: invalid --listen '%s': "
					 "milliseconds from 1 to 600000",
					 optarg);
				return VD_EXIT_UNKNOWN;
			}
			o.listen_ms = (unsigned)v;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return VD_EXIT_OK;
		default: /* ':' value missing, '?' unknown */
			return vd_getopt_error("probe dhcp",
					       "vnetdiag probe dhcp --help", c,
					       argv);
		}
	}
	if (optind >= argc) {
		vd_error("probe dhcp: missing IFACE; see 'vnetdiag probe dhcp "
			 "--help'");
		return VD_EXIT_UNKNOWN;
	}
	if (argc - optind > 1) {
		vd_error("probe dhcp: unexpected argument '%s': one IFACE only",
			 argv[optind + 1]);
		return VD_EXIT_UNKNOWN;
	}
	ifname = argv[optind];
	ifindex = strlen(ifname) < IF_NAMESIZE ? if_nametoindex(ifname) : 0;
	if (ifindex == 0 || ifindex > INT32_MAX) {
		vd_error("probe dhcp: no interface '%s'", ifname);
		return VD_EXIT_UNKNOWN;
	}

	t0 = vd_now_us();
	rc = vd_loop_new(&l);
	if (rc < 0) {
		vd_error("probe dhcp: cannot create the event loop: %s",
			 strerror(-rc));
		goto out;
	}
	rc = vd_probe_dhcp_start(l, (int)ifindex, &o, &pr);
	if (rc < 0) {
		start_error(ifname, rc);
		goto out;
	}
	/* The socket is open: what parses the offers needs no privilege. */
	vd_priv_drop();
	rc = vd_loop_run(l);
	if (rc < 0 || pr.n_dhcps != 1) {
		vd_error("probe dhcp: probe on %s failed: %s", ifname,
			 strerror(rc < 0 ? -rc : ENOMEM));
		goto out;
	}
	verdict = dhcp_status(&pr.dhcps[0]);
	out = json ? vd_probe_report_json(&pr, NULL, NULL, -1, NULL)
		   : render_text(&pr.dhcps[0],
				 (double)(vd_now_us() - t0) / 1e6);
	if (!out) {
		vd_error("probe dhcp: out of memory");
		goto out;
	}
	if (vd_write_output("-", out, strlen(out)) == 0 &&
	    (!json || vd_write_output("-", "\n", 1) == 0))
		status = verdict;
out:
	free(out);
	vd_loop_free(l);
	vd_probes_clear(&pr);
	return status;
}
