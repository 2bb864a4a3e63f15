/* SPDX-License-Identifier: MIT */
/* vnetdiag: why can't my VMs and my host talk?  Subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "check", cmd_check,
	  "diagnose this host's virtual networks (default)" },
	{ "collect", cmd_collect, "write a snapshot of every fact check uses" },
	{ "analyze", cmd_analyze, "run the rules on a snapshot, offline" },
	{ "explain", cmd_explain, "the long text of a finding code" },
	{ "list-checks", cmd_list_checks, "every finding code" },
	{ "probe", cmd_probe, "one active probe: tcp, ..." },
	{ "backup", cmd_backup, "store VMware's network files, if changed" },
	{ "diff", cmd_diff, "what changed between two backups or snapshots" },
	{ "pcap", cmd_pcap, "traffic analysis of a capture file or interface" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: vnetdiag [--version] [--help] [COMMAND [ARGS]]\n"
		     "\n"
		     "Tells why virtual machines and their host cannot talk, "
		     "and how to fix it.\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-12s %s\n", commands[i].name,
			commands[i].help);
	fprintf(out, "\n'vnetdiag COMMAND --help' describes a command; "
		     "'man vnetdiag' has the rest.\n");
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;

	if (!name || name[0] == '-') {
		if (name &&
		    (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)) {
			usage(stdout);
			return VD_EXIT_OK;
		}
		if (name && (strcmp(name, "-V") == 0 ||
			     strcmp(name, "--version") == 0)) {
			printf("vnetdiag %s\n", VD_VERSION);
			return VD_EXIT_OK;
		}
		/* No command, or options only: check is the default. */
		return cmd_check(argc, argv);
	}
	if (strcmp(name, "help") == 0) {
		if (argc > 2) {
			char *help[] = { argv[2], "--help", NULL };

			for (size_t i = 0; i < N_COMMANDS; i++)
				if (strcmp(commands[i].name, argv[2]) == 0)
					return commands[i].fn(2, help);
		}
		usage(stdout);
		return VD_EXIT_OK;
	}
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr,
		"vnetdiag: unknown command '%s'; see 'vnetdiag --help'\n",
		name);
	return VD_EXIT_UNKNOWN;
}
