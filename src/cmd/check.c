/* SPDX-License-Identifier: MIT */
/* vnetdiag check: collect live, run the rules, report. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "collect/collect.h"

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
	"      --adapter IFACE       treat IFACE as a virtual-network adapter\n"
	"      --adapter-pattern GLOB  replace the adapter name patterns\n"
	"                            (default vmnet* virbr* vboxnet* "
	"vEthernet*)\n"
	"  -j, --json                the report as JSON (vnetdiag.report/1)\n"
	"      --passive             send no packets (facts only)\n"
	"      --timeout MS          per-probe timeout (default 1000)\n"
	"      --color[=WHEN]        auto (default), always, never\n"
	"  -h, --help                this help\n"
	"\n"
	"This release sends no probes: check is passive.\n"
	"exit status: 0 ok, 1 warning, 2 critical, 3 could not diagnose\n";

int cmd_check(int argc, char **argv)
{
	struct vd_collect_opts co = { 0 };
	struct vd_facts *f;
	struct vd_cli cli;
	char err[256];
	int rc;

	rc = vd_cli_parse("check", argc, argv,
			  VD_OPT_TARGET | VD_OPT_SYSROOT | VD_OPT_VMX |
				  VD_OPT_ADAPTER | VD_OPT_PATTERN |
				  VD_OPT_JSON | VD_OPT_PASSIVE |
				  VD_OPT_TIMEOUT | VD_OPT_COLOR,
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
	co.sysroot = cli.sysroot;
	err[0] = '\0';
	if (vd_collect_live(f, &co, err, sizeof(err)) < 0) {
		vd_error("check: %s", err);
		vd_facts_free(f);
		return VD_EXIT_UNKNOWN;
	}
	rc = vd_diagnose(f, &cli, "live");
	vd_facts_free(f);
	return rc;
}
