/* SPDX-License-Identifier: MIT */
/* vnetdiag probe KIND ...: one active probe, dispatched by kind. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

static const struct kind {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} kinds[] = {
	{ "ping", probe_cmd_ping, "ICMP echo: loss, round trip, ICMP errors" },
	{ "arp", probe_cmd_arp, "ARP on an interface: every MAC that answers" },
	{ "tcp", probe_cmd_tcp,
	  "TCP connect to ports: open, closed, filtered" },
	{ "dns", probe_cmd_dns,
	  "a query at each DNS server: answer or failure" },
	{ "dhcp", probe_cmd_dhcp, "DHCP discover: every server that offers" },
	{ "mtu", probe_cmd_mtu, "path MTU with DF echoes: black holes" },
	{ "trace", probe_cmd_trace,
	  "TTL-limited probes: the hops to a target" },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: vnetdiag probe KIND [options] TARGET\n"
		     "\n"
		     "Send real packets to one target and report what came "
		     "back.\n\nkinds:\n");
	for (size_t i = 0; i < N_KINDS; i++)
		fprintf(out, "  %-6s %s\n", kinds[i].name, kinds[i].help);
	fprintf(out, "\n'vnetdiag probe KIND --help' describes a kind.\n");
}

int cmd_probe(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? VD_EXIT_UNKNOWN : VD_EXIT_OK;
	}
	for (size_t i = 0; i < N_KINDS; i++)
		if (strcmp(kinds[i].name, argv[1]) == 0)
			return kinds[i].fn(argc - 1, argv + 1);
	vd_error("probe: unknown kind '%s'; see 'vnetdiag probe --help'",
		 argv[1]);
	return VD_EXIT_UNKNOWN;
}
