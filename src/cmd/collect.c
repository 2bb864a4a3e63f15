/* SPDX-License-Identifier: MIT */
/* vnetdiag collect: write every fact check uses to a snapshot file. */
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "collect/collect.h"
#include "facts/snapshot.h"

static const char usage[] =
	"usage: vnetdiag collect -o FILE [options]\n"
	"\n"
	"Write a snapshot (JSON, schema vnetdiag.snapshot/1) of every fact\n"
	"check uses, to analyze later or on another machine.  No packets are\n"
	"sent.  FILE is replaced atomically; '-' writes to stdout.\n"
	"\n"
	"options:\n"
	"  -o, --output FILE   where to write the snapshot (required)\n"
	"      --sysroot DIR   read configuration files under DIR\n"
	"      --vmx FILE      a VM to include (repeatable)\n"
	"      --vmware-dir DIR  a Windows %ProgramData%\\VMware folder\n"
	"  -h, --help          this help\n";

int cmd_collect(int argc, char **argv)
{
	struct vd_collect_opts co = { 0 };
	struct vd_facts *f = NULL;
	struct vd_cli cli;
	char err[256], *json = NULL;
	int rc;

	rc = vd_cli_parse("collect", argc, argv,
			  VD_OPT_OUTPUT | VD_OPT_SYSROOT | VD_OPT_VMX |
				  VD_OPT_VMWARE_DIR,
			  usage, &cli);
	if (rc)
		return rc > 0 ? VD_EXIT_OK : VD_EXIT_UNKNOWN;
	if (cli.n_args) {
		vd_error("collect: unexpected argument '%s'; see 'vnetdiag "
			 "collect --help'",
			 cli.args[0]);
		return VD_EXIT_UNKNOWN;
	}
	if (!cli.output) {
		vd_error("collect: missing -o FILE (where to write the "
			 "snapshot; '-' for stdout)");
		return VD_EXIT_UNKNOWN;
	}
	rc = VD_EXIT_UNKNOWN;
	f = vd_facts_new();
	if (!f) {
		vd_error("collect: out of memory");
		goto out;
	}
	vd_cli_collect_opts(&cli, &co);
	err[0] = '\0';
	if (vd_collect_live(f, &co, err, sizeof(err)) < 0) {
		vd_error("collect: %s", err);
		goto out;
	}
	if (vd_snapshot_dump(f, &json) < 0) {
		vd_error("collect: out of memory");
		goto out;
	}
	if (vd_write_output(cli.output, json, strlen(json)) == 0)
		rc = VD_EXIT_OK;
out:
	free(json);
	vd_facts_free(f);
	return rc;
}
