/* SPDX-License-Identifier: MIT */
/* vnetdiag check: collect live, run the rules, report. */
#include <stdio.h>
#include <string.h>

#include <netdb.h>
#include <sys/socket.h>

#include "cmd/cmd.h"
#include "collect/collect.h"
#include "probe/plan.h"
#include "util/ip.h"

static const char usage[] =
	"usage: vnetdiag check [options]\n"
	"\n"
	"Diagnose this host's virtual networks, layer by layer, and name the\n"
	"root cause with its evidence and fix.\n"
	"\n"
	"options:\n"
	"  -t, --target HOST[:PORT]  what cannot be reached (repeatable); its\n"
	"                            route is checked\n"
	"      --sysroot DIR         read configuration files under DIR\n"
	"                            instead of / (kernel state stays live)\n"
	"      --vmx FILE            a VM to include (repeatable)\n"
	"      --vmware-dir DIR      a Windows %ProgramData%\\VMware folder\n"
	"      --vm NAME             a VM that should reach the other --vm\n"
	"                            (display name or .vmx; repeatable)\n"
	"      --adapter IFACE       treat IFACE as a virtual-network adapter\n"
	"      --adapter-pattern GLOB  replace the adapter name patterns\n"
	"                            (default vmnet* virbr* vboxnet* "
	"vEthernet*)\n"
	"  -j, --json                the report as JSON (vnetdiag.report/1)\n"
	"      --passive             send no packets (facts only)\n"
	"      --timeout MS          per-probe timeout (default 1000)\n"
	"      --dns-name NAME       the name asked of the VMs' DNS servers\n"
	"                            (default example.com)\n"
	"      --color[=WHEN]        auto (default), always, never\n"
	"  -h, --help                this help\n"
	"\n"
	"Unless --passive, check sends a DHCP discover on every virtual "
	"network\n"
	"configured with DHCP and asks the DNS servers it hands out; with\n"
	"--target it walks the path: route, ARP, ping, the port.\n"
	"exit status: 0 ok, 1 warning, 2 critical, 3 could not diagnose\n";

/*
 * A target given by name is resolved with the system's resolver (that is
 * itself a probe: --passive skips it).  A name that does not resolve is
 * an error for now; the DNS probe will turn it into a finding.
 */
static int resolve_targets(struct vd_cli *cli)
{
	for (size_t i = 0; i < cli->n_targets; i++) {
		struct vd_target *t = &cli->targets[i];
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
		struct addrinfo *ai = NULL;
		char buf[VD_IPSTR_MAX];
		int rc;

		if (t->ip.family)
			continue;
		rc = getaddrinfo(t->host, NULL, &hints, &ai);
		if (rc) {
			vd_error("check: cannot resolve --target %s: %s",
				 t->host, gai_strerror(rc));
			return -1;
		}
		for (struct addrinfo *a = ai; a; a = a->ai_next) {
			if (getnameinfo(a->ai_addr, a->ai_addrlen, buf,
					sizeof(buf), NULL, 0,
					NI_NUMERICHOST) == 0 &&
			    vd_ip_parse(buf, &t->ip) == 0)
				break;
		}
		freeaddrinfo(ai);
	}
	return 0;
}

/* Send what the diagnosis needs: the path to the targets, and what the VMs
 * of each virtual network depend on (DHCP, DNS). */
static int probe(struct vd_facts *f, struct vd_cli *cli, char *err,
		 size_t errlen)
{
	struct vd_plan_opts po = { .timeout_ms = (unsigned)cli->timeout_ms,
				   .dns_name = cli->dns_name };
	struct vd_rule_opts ro;
	struct vd_adapters ad = { 0 };
	int rc;

	err[0] = '\0';
	if (resolve_targets(cli) < 0)
		return -1;
	vd_cli_rule_opts(cli, &ro);
	rc = vd_adapters_select(f, &ro, &ad);
	if (!rc)
		rc = vd_probe_plan(f, &ad, cli->targets, cli->n_targets, &po,
				   &f->probes, err, errlen);
	vd_adapters_clear(&ad);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	struct vd_collect_opts co = { 0 };
	struct vd_facts *f;
	struct vd_cli cli;
	char err[256];
	int rc;

	rc = vd_cli_parse("check", argc, argv,
			  VD_OPT_TARGET | VD_OPT_SYSROOT | VD_OPT_VMX |
				  VD_OPT_ADAPTER | VD_OPT_VMWARE_DIR |
				  VD_OPT_VM | VD_OPT_PATTERN | VD_OPT_JSON |
				  VD_OPT_PASSIVE | VD_OPT_TIMEOUT |
				  VD_OPT_COLOR | VD_OPT_DNS_NAME,
			  usage, &cli);
	if (rc)
		return rc > 0 ? VD_EXIT_OK : VD_EXIT_UNKNOWN;
	if (cli.n_args) {
		vd_error("check: unexpected argument '%s'; see 'vnetdiag "
			 "check --help'",
			 cli.args[0]);
		return VD_EXIT_UNKNOWN;
	}
	f = vd_facts_new();
	if (!f) {
		vd_error("check: out of memory");
		return VD_EXIT_UNKNOWN;
	}
	vd_cli_collect_opts(&cli, &co);
	err[0] = '\0';
	if (vd_collect_live(f, &co, err, sizeof(err)) < 0) {
		vd_error("check: %s", err);
		vd_facts_free(f);
		return VD_EXIT_UNKNOWN;
	}
	if (!cli.passive && probe(f, &cli, err, sizeof(err)) < 0) {
		if (err[0])
			vd_error("check: %s", err);
		vd_facts_free(f);
		return VD_EXIT_UNKNOWN;
	}
	rc = vd_diagnose(f, &cli, "live");
	vd_facts_free(f);
	return rc;
}
