/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "collect/collect.h"
#include "probe/dns.h"
#include "report/report.h"
#include "rules/verdict.h"
#include "util/ip.h"

void vd_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vnetdiag: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* HOST, HOST:PORT, [V6], [V6]:PORT, or a bare IPv6 address. */
static int parse_target(const char *s, struct vd_target *t)
{
	char host[sizeof(t->host)];
	const char *port = NULL, *colon = strrchr(s, ':');
	size_t n;

	memset(t, 0, sizeof(*t));
	t->port = -1;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || (end[1] && end[1] != ':'))
			return -1;
		n = (size_t)(end - s - 1);
		port = end[1] == ':' ? end + 2 : NULL;
		if (end[1] == ':' && !*port)
			return -1;
		if (n >= sizeof(host))
			return -1;
		memcpy(host, s + 1, n);
		host[n] = '\0';
	} else if (colon && strchr(s, ':') == colon) {
		n = (size_t)(colon - s);
		if (n >= sizeof(host))
			return -1;
		memcpy(host, s, n);
		host[n] = '\0';
		port = colon + 1;
	} else {
		if (strlen(s) >= sizeof(host))
			return -1;
		snprintf(host, sizeof(host), "%s", s);
	}
	if (!host[0])
		return -1;
	if (port) {
		char *end;
		long v;

		errno = 0;
		v = strtol(port, &end, 10);
		if (errno || end == port || *end || v < 1 || v > 65535)
			return -1;
		t->port = (int)v;
	}
	snprintf(t->host, sizeof(t->host), "%s", host);
	if (vd_ip_parse(host, &t->ip) < 0)
		t->ip.family = VD_AF_NONE;
	return 0;
}

static int push(const char **list, size_t *n, const char *v, const char *cmd,
		const char *opt)
{
	if (*n >= VD_MAX_LIST) {
		vd_error("%s: too many %s options (at most %d)", cmd, opt,
			 VD_MAX_LIST);
		return -1;
	}
	list[(*n)++] = v;
	list[*n] = NULL;
	return 0;
}

static const struct {
	struct option o;
	unsigned flag;
} all_opts[] = {
	{ { "target", required_argument, NULL, 't' }, VD_OPT_TARGET },
	{ { "sysroot", required_argument, NULL, 'r' }, VD_OPT_SYSROOT },
	{ { "vmx", required_argument, NULL, 'x' }, VD_OPT_VMX },
	{ { "vmware-dir", required_argument, NULL, 'W' }, VD_OPT_VMWARE_DIR },
	{ { "vm", required_argument, NULL, 'M' }, VD_OPT_VM },
	{ { "adapter", required_argument, NULL, 'a' }, VD_OPT_ADAPTER },
	{ { "adapter-pattern", required_argument, NULL, 'P' }, VD_OPT_PATTERN },
	{ { "json", no_argument, NULL, 'j' }, VD_OPT_JSON },
	{ { "passive", no_argument, NULL, 'p' }, VD_OPT_PASSIVE },
	{ { "timeout", required_argument, NULL, 'T' }, VD_OPT_TIMEOUT },
	{ { "color", optional_argument, NULL, 'c' }, VD_OPT_COLOR },
	{ { "colour", optional_argument, NULL, 'c' }, VD_OPT_COLOR },
	{ { "output", required_argument, NULL, 'o' }, VD_OPT_OUTPUT },
	{ { "dns-name", required_argument, NULL, 'N' }, VD_OPT_DNS_NAME },
};

#define N_OPTS (sizeof(all_opts) / sizeof(all_opts[0]))

static int check_dir(const char *cmd, const char *opt, const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		vd_error("%s: cannot use %s %s: %s", cmd, opt, dir,
			 strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		vd_error("%s: cannot use %s %s: not a directory", cmd, opt,
			 dir);
		return -1;
	}
	return 0;
}

static int check_readable(const char *cmd, const char *opt, const char *path)
{
	struct stat st;

	if (access(path, R_OK) < 0 || stat(path, &st) < 0) {
		vd_error("%s: cannot read %s %s: %s", cmd, opt, path,
			 strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		vd_error("%s: cannot read %s %s: is a directory", cmd, opt,
			 path);
		return -1;
	}
	return 0;
}

void vd_cli_collect_opts(const struct vd_cli *cli, struct vd_collect_opts *co)
{
	memset(co, 0, sizeof(*co));
	co->sysroot = cli->sysroot;
	co->vmx = cli->vmx;
	co->n_vmx = cli->n_vmx;
	co->vmware_dir = cli->vmware_dir;
}

int vd_cli_parse(const char *cmd, int argc, char **argv, unsigned allowed,
		 const char *usage, struct vd_cli *cli)
{
	struct option longopts[N_OPTS + 2];
	char shortopts[32] = ":h";
	size_t n = 0;
	int c;

	memset(cli, 0, sizeof(*cli));
	cli->cmd = cmd;
	cli->timeout_ms = 1000;
	cli->dns_name = "example.com";
	for (size_t i = 0; i < N_OPTS; i++)
		if (allowed & all_opts[i].flag)
			longopts[n++] = all_opts[i].o;
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n] = (struct option){ 0 };
	if (allowed & VD_OPT_OUTPUT)
		strcat(shortopts, "o:");
	if (allowed & VD_OPT_JSON)
		strcat(shortopts, "j");
	if (allowed & VD_OPT_TARGET)
		strcat(shortopts, "t:");

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return 1;
		case 't':
			if (cli->n_targets >= VD_MAX_LIST) {
				vd_error("%s: too many --target options", cmd);
				return -1;
			}
			if (parse_target(optarg,
					 &cli->targets[cli->n_targets]) < 0) {
				vd_error("%s: invalid --target '%s': expected "
					 "HOST, HOST:PORT or [IPv6]:PORT with "
					 "PORT 1-65535",
					 cmd, optarg);
				return -1;
			}
			cli->n_targets++;
			break;
		case 'r':
			if (check_dir(cmd, "--sysroot", optarg) < 0)
				return -1;
			cli->sysroot = optarg;
			break;
		case 'W':
			if (check_dir(cmd, "--vmware-dir", optarg) < 0)
				return -1;
			cli->vmware_dir = optarg;
			break;
		case 'M':
			if (!*optarg || strlen(optarg) >= 128) {
				vd_error(
					"%s: invalid --vm '%s': a VM's display "
					"name or .vmx path of 1-127 characters",
					cmd, optarg);
				return -1;
			}
			if (push(cli->vms, &cli->n_vms, optarg, cmd, "--vm"))
				return -1;
			break;
		case 'x':
			if (check_readable(cmd, "--vmx", optarg) < 0 ||
			    push(cli->vmx, &cli->n_vmx, optarg, cmd, "--vmx"))
				return -1;
			break;
		case 'a':
			if (!*optarg || strlen(optarg) >= VD_IFNAME_MAX) {
				vd_error("%s: invalid --adapter '%s': an "
					 "interface name of 1-%d characters",
					 cmd, optarg, VD_IFNAME_MAX - 1);
				return -1;
			}
			if (push(cli->adapters, &cli->n_adapters, optarg, cmd,
				 "--adapter"))
				return -1;
			break;
		case 'P':
			if (!*optarg) {
				vd_error("%s: empty --adapter-pattern", cmd);
				return -1;
			}
			if (push(cli->patterns, &cli->n_patterns, optarg, cmd,
				 "--adapter-pattern"))
				return -1;
			break;
		case 'j':
			cli->json = true;
			break;
		case 'p':
			cli->passive = true;
			break;
		case 'T': {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 ||
			    v > 600000) {
				vd_error("%s: invalid --timeout '%s': "
					 "milliseconds from 1 to 600000",
					 cmd, optarg);
				return -1;
			}
			cli->timeout_ms = (int)v;
			break;
		}
		case 'c':
			if (!optarg || strcmp(optarg, "always") == 0)
				cli->color = VD_COLOR_ALWAYS;
			else if (strcmp(optarg, "auto") == 0)
				cli->color = VD_COLOR_AUTO;
			else if (strcmp(optarg, "never") == 0)
				cli->color = VD_COLOR_NEVER;
			else {
				vd_error("%s: invalid --color '%s': auto, "
					 "always or never",
					 cmd, optarg);
				return -1;
			}
			break;
		case 'o':
			cli->output = optarg;
			break;
		case 'N':
			if (vd_dns_name_check(optarg) < 0) {
				vd_error(
					"%s: invalid --dns-name '%s': a name "
					"of 1-253 characters in labels of 1-63",
					cmd, optarg);
				return -1;
			}
			cli->dns_name = optarg;
			break;
		case ':':
			vd_error("%s: option '%s' needs a value; see 'vnetdiag "
				 "%s --help'",
				 cmd, argv[optind - 1], cmd);
			return -1;
		default:
			vd_error("%s: unknown option '%s'; see 'vnetdiag %s "
				 "--help'",
				 cmd, argv[optind - 1], cmd);
			return -1;
		}
	}
	cli->args = argv + optind;
	cli->n_args = argc - optind;
	return 0;
}

int vd_read_input(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0, cap = 0;
	uint8_t *b = NULL;
	struct stat st;
	int err = 0;

	if (fd < 0) {
		err = -errno;
		vd_error("cannot read %s: %s", path, strerror(errno));
		return err;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		vd_error("cannot read %s: is a directory", path);
		err = -EISDIR;
		goto out;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *nb;

			if (cap >= max + 1)
				break;
			if (ncap > max + 1)
				ncap = max + 1;
			nb = realloc(b, ncap);
			if (!nb) {
				vd_error("cannot read %s: out of memory", path);
				err = -ENOMEM;
				goto out;
			}
			b = nb;
			cap = ncap;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			vd_error("cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		vd_error("cannot read %s: larger than %zu MiB", path,
			 max >> 20);
		err = -EFBIG;
		goto out;
	}
	*buf = b;
	*len = n;
	b = NULL;
out:
	free(b);
	if (!is_stdin)
		close(fd);
	return err;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

int vd_write_output(const char *path, const char *data, size_t len)
{
	char tmp[PATH_MAX];
	struct stat st;
	int fd, err;

	if (strcmp(path, "-") == 0) {
		err = write_all(STDOUT_FILENO, data, len);
		if (err)
			vd_error("cannot write to stdout: %s", strerror(-err));
		return err ? -1 : 0;
	}
	/* A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in
	 * place: renaming a file over it would replace the device. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			vd_error("cannot write %s: is a directory", path);
			return -1;
		}
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			vd_error("cannot write %s: %s", path, strerror(errno));
			return -1;
		}
		err = write_all(fd, data, len);
		if (close(fd) < 0 && !err)
			err = -errno;
		if (err)
			vd_error("cannot write %s: %s", path, strerror(-err));
		return err ? -1 : 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >=
	    (int)sizeof(tmp)) {
		vd_error("cannot write %s: path too long", path);
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		vd_error("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	err = write_all(fd, data, len);
	if (!err && fsync(fd) < 0 && errno != EINVAL)
		err = -errno;
	if (!err && fchmod(fd, 0644) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err) {
		unlink(tmp);
		vd_error("cannot write %s: %s", path, strerror(-err));
		return -1;
	}
	return 0;
}

void vd_cli_rule_opts(const struct vd_cli *cli, struct vd_rule_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->adapters = cli->n_adapters ? cli->adapters : NULL;
	o->patterns = cli->n_patterns ? cli->patterns : NULL;
	o->targets = cli->targets;
	o->n_targets = cli->n_targets;
	o->vms = cli->n_vms ? cli->vms : NULL;
	o->n_vms = cli->n_vms;
}

bool vd_want_color(enum vd_color c)
{
	const char *term = getenv("TERM");

	if (c != VD_COLOR_AUTO)
		return c == VD_COLOR_ALWAYS;
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		return false;
	return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") != 0;
}

int vd_diagnose(const struct vd_facts *f, const struct vd_cli *cli,
		const char *source)
{
	struct vd_rule_opts ro;
	struct vd_findings fl;
	struct vd_adapters ad = { 0 };
	struct vd_verdict v;
	struct vd_report rep;
	char *text = NULL;
	int err, rc = VD_EXIT_UNKNOWN;

	vd_cli_rule_opts(cli, &ro);
	vd_findings_init(&fl);
	err = vd_adapters_select(f, &ro, &ad);
	if (!err)
		err = vd_rules_run(f, &ro, &fl);
	if (err) {
		vd_error("%s: cannot run the rules: %s", cli->cmd,
			 strerror(-err));
		goto out;
	}
	{
		const char *subjects[VD_MAX_LIST];

		for (size_t i = 0; i < cli->n_targets; i++)
			subjects[i] = cli->targets[i].host;
		vd_verdict_decide_path(&fl, subjects, cli->n_targets, &v);
	}
	rep = (struct vd_report){ .findings = &fl,
				  .verdict = &v,
				  .facts = f,
				  .adapters = &ad,
				  .source = source,
				  .color = vd_want_color(cli->color),
				  .probes_run = f->probes.ran,
				  .targets = cli->targets,
				  .n_targets = cli->n_targets };
	err = cli->json ? vd_report_json(&rep, &text)
			: vd_report_text(&rep, &text);
	if (err) {
		vd_error("%s: cannot render the report: %s", cli->cmd,
			 strerror(-err));
		goto out;
	}
	if (vd_write_output("-", text, strlen(text)) < 0)
		goto out;
	if (cli->json && vd_write_output("-", "\n", 1) < 0)
		goto out;
	rc = (int)v.status;
out:
	free(text);
	vd_adapters_clear(&ad);
	vd_findings_clear(&fl);
	return rc;
}

char *vd_probe_report_json(const struct vd_probes *pr, const struct vd_ip *ip,
			   const char *host, int port, int *status)
{
	struct vd_target t = { .port = port };
	struct vd_rule_opts ro = { 0 };
	struct vd_findings fl;
	struct vd_verdict v;
	struct vd_report rep;
	struct vd_facts *f = vd_facts_new();
	const char *subject = host;
	char *s = NULL;

	if (!f)
		return NULL;
	/* Borrow the results: the facts of a probe are only its results. */
	f->probes = *pr;
	f->probes.ran = true;
	if (ip && host) {
		t.ip = *ip;
		snprintf(t.host, sizeof(t.host), "%s", host);
		ro.targets = &t;
		ro.n_targets = 1;
	}
	vd_findings_init(&fl);
	if (vd_rules_run(f, &ro, &fl) == 0) {
		vd_verdict_decide_path(&fl, &subject, ro.n_targets, &v);
		if (status)
			*status = (int)v.status;
		rep = (struct vd_report){ .findings = &fl,
					  .verdict = &v,
					  .facts = f,
					  .source = "live",
					  .probes_run = true };
		if (vd_report_json(&rep, &s) < 0)
			s = NULL;
	}
	vd_findings_clear(&fl);
	memset(&f->probes, 0, sizeof(f->probes));
	vd_facts_free(f);
	return s;
}

int vd_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int vd_getopt_error(const char *who, const char *help, int c, char **argv)
{
	if (c == ':')
		vd_error("%s: option '%s' needs a value; see '%s'", who,
			 argv[optind - 1], help);
	else
		vd_error("%s: unknown option '%s'; see '%s'", who,
			 argv[optind - 1], help);
	return VD_EXIT_UNKNOWN;
}

int vd_one_ip_arg(const char *who, const char *help, int argc, char **argv,
		  struct vd_ip *out)
{
	if (optind >= argc) {
		vd_error("%s: missing TARGET; see '%s'", who, help);
		return -1;
	}
	if (argc - optind > 1) {
		vd_error("%s: unexpected argument '%s': one TARGET only", who,
			 argv[optind + 1]);
		return -1;
	}
	if (vd_ip_parse(argv[optind], out) < 0) {
		vd_error("%s: invalid TARGET '%s': an IPv4 or IPv6 address "
			 "(names are not looked up)",
			 who, argv[optind]);
		return -1;
	}
	return 0;
}
