/* SPDX-License-Identifier: MIT */
/* vnetdiag analyze: the rules over a snapshot, offline. */
#include <errno.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "facts/snapshot.h"

#define MAX_SNAPSHOT (256u << 20)

static const char usage[] =
	"usage: vnetdiag analyze FILE [options]\n"
	"\n"
	"Run every rule on a snapshot written by 'vnetdiag collect', on any\n"
	"machine, without privileges.  FILE '-' reads standard input.\n"
	"\n"
	"options:\n"
	"  -t, --target HOST[:PORT]  what cannot be reached (repeatable)\n"
	"      --adapter IFACE       treat IFACE as a virtual-network adapter\n"
	"      --adapter-pattern GLOB  replace the adapter name patterns\n"
	"      --vm NAME             a VM that should reach the other --vm\n"
	"  -j, --json                the report as JSON (vnetdiag.report/1)\n"
	"      --color[=WHEN]        auto (default), always, never\n"
	"  -h, --help                this help\n"
	"\n"
	"exit status: 0 ok, 1 warning, 2 critical, 3 could not diagnose\n";

int cmd_analyze(int argc, char **argv)
{
	struct vd_facts *f = NULL;
	struct vd_cli cli;
	uint8_t *buf = NULL;
	size_t len = 0;
	char err[512];
	int rc;

	rc = vd_cli_parse("analyze", argc, argv,
			  VD_OPT_TARGET | VD_OPT_ADAPTER | VD_OPT_PATTERN |
				  VD_OPT_VM | VD_OPT_JSON | VD_OPT_COLOR,
			  usage, &cli);
	if (rc)
		return rc > 0 ? VD_EXIT_OK : VD_EXIT_UNKNOWN;
	if (cli.n_args != 1) {
		vd_error("analyze: %s; see 'vnetdiag analyze --help'",
			 cli.n_args ? "give exactly one snapshot file"
				    : "missing snapshot FILE");
		return VD_EXIT_UNKNOWN;
	}
	if (vd_read_input(cli.args[0], MAX_SNAPSHOT, &buf, &len) < 0)
		return VD_EXIT_UNKNOWN;
	err[0] = '\0';
	if (vd_snapshot_parse(buf, len, &f, err, sizeof(err)) < 0) {
		vd_error("%s: %s", cli.args[0], err);
		free(buf);
		return VD_EXIT_UNKNOWN;
	}
	free(buf);
	rc = vd_diagnose(f, &cli, cli.args[0]);
	vd_facts_free(f);
	return rc;
}
