/* SPDX-License-Identifier: MIT */
/*
 * The command layer: the only code that parses arguments, prints and
 * decides exit codes.  One file per subcommand, one table in main.c.
 */
#ifndef VD_CMD_H
#define VD_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/facts.h"
#include "rules/rules.h"

/* Exit status, Nagios plugin convention (shared/spec/cli.md). */
enum {
	VD_EXIT_OK = 0,
	VD_EXIT_WARNING = 1,
	VD_EXIT_CRITICAL = 2,
	VD_EXIT_UNKNOWN = 3,
};

int cmd_check(int argc, char **argv);
int cmd_collect(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_list_checks(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_pcap(int argc, char **argv);

/* One file per probe kind (cmd/probe_<kind>.c), argv[0] is the kind. */
int probe_cmd_tcp(int argc, char **argv);
int probe_cmd_ping(int argc, char **argv);
int probe_cmd_arp(int argc, char **argv);
int probe_cmd_dhcp(int argc, char **argv);
int probe_cmd_dns(int argc, char **argv);
int probe_cmd_mtu(int argc, char **argv);
int probe_cmd_trace(int argc, char **argv);

/* Options shared by several commands; each command allows a subset. */
enum vd_opt {
	VD_OPT_TARGET = 1 << 0,
	VD_OPT_SYSROOT = 1 << 1,
	VD_OPT_VMX = 1 << 2,
	VD_OPT_ADAPTER = 1 << 3,
	VD_OPT_PATTERN = 1 << 4,
	VD_OPT_JSON = 1 << 5,
	VD_OPT_PASSIVE = 1 << 6,
	VD_OPT_TIMEOUT = 1 << 7,
	VD_OPT_COLOR = 1 << 8,
	VD_OPT_OUTPUT = 1 << 9,
	VD_OPT_DNS_NAME = 1 << 10,
	VD_OPT_VMWARE_DIR = 1 << 11,
	VD_OPT_VM = 1 << 12,
};

#define VD_MAX_LIST 64

enum vd_color { VD_COLOR_AUTO, VD_COLOR_ALWAYS, VD_COLOR_NEVER };

struct vd_cli {
	const char *cmd; /* "check" */
	struct vd_target targets[VD_MAX_LIST];
	size_t n_targets;
	const char *sysroot;
	const char *vmx[VD_MAX_LIST + 1];
	size_t n_vmx;
	const char *vmware_dir;
	const char *vms[VD_MAX_LIST + 1]; /* --vm NAME: VMs that should talk */
	size_t n_vms;
	const char *adapters[VD_MAX_LIST + 1];
	size_t n_adapters;
	const char *patterns[VD_MAX_LIST + 1];
	size_t n_patterns;
	bool json;
	bool passive;
	int timeout_ms;
	enum vd_color color;
	const char *output;
	const char *dns_name;
	char **args; /* positional arguments */
	int n_args;
};

/*
 * Parse argv of one command.  Returns 0 to go on, 1 when --help was printed
 * (exit 0), -1 after printing a one-line error (exit 3).
 */
int vd_cli_parse(const char *cmd, int argc, char **argv, unsigned allowed,
		 const char *usage, struct vd_cli *cli);

/* The collection options the command line asked for. */
struct vd_collect_opts;
void vd_cli_collect_opts(const struct vd_cli *cli, struct vd_collect_opts *co);

/* "vnetdiag: <message>" on stderr, one line. */
__attribute__((format(printf, 1, 2))) void vd_error(const char *fmt, ...);

/* Read a whole file (or stdin for "-"), at most max bytes; 0 or -errno,
 * with the reason printed. */
int vd_read_input(const char *path, size_t max, uint8_t **buf, size_t *len);
/* Write all of data to path atomically (temp file + rename), or stdout for
 * "-"; 0 or -1 with the reason printed.  Nothing half-written is left. */
int vd_write_output(const char *path, const char *data, size_t len);

/* Whether the text report gets ANSI colours: --color, NO_COLOR, a tty. */
bool vd_want_color(enum vd_color c);

/* Rules, verdict and report over the facts; returns the exit status. */
int vd_diagnose(const struct vd_facts *f, const struct vd_cli *cli,
		const char *source);
/*
 * The JSON report of one probe command: the rules run over its results
 * (with ip:port, or ip alone when port is -1, as the target; no target
 * when ip is NULL).  A malloc'd string, or NULL when out of memory; the
 * report's status (VD_EXIT_*) in *status when status is not NULL.
 */
char *vd_probe_report_json(const struct vd_probes *pr, const struct vd_ip *ip,
			   const char *host, int port, int *status);
/* A decimal number in [min, max]; 0, or -1 for anything else. */
int vd_parse_long(const char *s, long min, long max, long *out);
/* The one-line error for getopt's ':' (value missing) or '?' (unknown
 * option) at argv[optind - 1]; returns VD_EXIT_UNKNOWN.  help names the
 * command to ask ("vnetdiag probe ping --help"). */
int vd_getopt_error(const char *who, const char *help, int c, char **argv);
/* After getopt: exactly one argument left, an IP address literal, in *out;
 * 0, or -1 after printing why not. */
int vd_one_ip_arg(const char *who, const char *help, int argc, char **argv,
		  struct vd_ip *out);
/* Options for the rules, pointing into cli. */
void vd_cli_rule_opts(const struct vd_cli *cli, struct vd_rule_opts *o);

#endif
