/* SPDX-License-Identifier: MIT */
/*
 * The firewall, read live from the current network namespace (also with
 * --sysroot: it is kernel state): libnftables' JSON of "list ruleset", and
 * iptables-legacy-save / ip6tables-legacy-save when the legacy tables are
 * in use (/proc/net/ip_tables_names lists them).  Kept as text; the
 * parsers in src/collect/firewall/ read it wherever the rules run.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <nftables/libnftables.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collect/linux/linux.h"

#define SAVE_MAX  (16u << 20) /* bytes of iptables-save we keep */
#define SAVE_WAIT 5000	      /* ms a save program may take */

extern char **environ;

/* Note one reason a part is missing (the first one wins). */
static int note(struct vd_fwsrc *fw, const char *what, const char *why)
{
	char buf[256];
	size_t n;

	if (fw->error)
		return 0;
	snprintf(buf, sizeof(buf), "%s: %s", what, why);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	fw->error = strdup(buf);
	return fw->error ? 0 : -ENOMEM;
}

/* Does this process hold CAP_NET_ADMIN (bit 12 of CapEff)? */
static bool net_admin(void)
{
	char line[256];
	unsigned long long eff;
	bool yes = false;
	FILE *fp = fopen("/proc/self/status", "re");

	if (!fp)
		return false;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			yes = eff & (1ull << 12);
			break;
		}
	fclose(fp);
	return yes;
}

/* Can a netfilter netlink socket be opened?  libnftables prints to
 * stderr (and may exit) when it cannot: ask first. */
static int nfnl_usable(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int read_nft(struct vd_fwsrc *fw)
{
	struct nft_ctx *ctx;
	const char *out, *err;
	int rc = 0;

	if (!net_admin())
		return note(fw, "nftables",
			    "reading the ruleset needs root (CAP_NET_ADMIN)");
	if ((rc = nfnl_usable()) < 0)
		return note(fw, "nftables", strerror(-rc));
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx)
		return note(fw, "nftables", "cannot start libnftables");
	nft_ctx_output_set_flags(ctx,
				 NFT_CTX_OUTPUT_JSON | NFT_CTX_OUTPUT_HANDLE);
	if (nft_ctx_buffer_output(ctx) || nft_ctx_buffer_error(ctx)) {
		nft_ctx_free(ctx);
		return note(fw, "nftables",
			    "cannot buffer libnftables' output");
	}
	if (nft_run_cmd_from_buffer(ctx, "list ruleset") != 0) {
		err = nft_ctx_get_error_buffer(ctx);
		rc = note(fw, "nftables",
			  err && *err ? err : "list ruleset failed");
	} else {
		out = nft_ctx_get_output_buffer(ctx);
		fw->nft_json = strdup(out ? out : "");
		if (!fw->nft_json)
			rc = -ENOMEM;
	}
	nft_ctx_free(ctx);
	return rc;
}

/* Are legacy tables of this family in use? */
static bool legacy_in_use(const char *names)
{
	char buf[256];
	ssize_t n;
	int fd = open(names, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Run prog (found on PATH) and keep its standard output. */
static int run_save(struct vd_fwsrc *fw, const char *prog, char **out)
{
	char *const argv[] = { (char *)prog, NULL };
	posix_spawn_file_actions_t fa;
	int pfd[2], status, rc = 0;
	uint64_t deadline = now_ms() + SAVE_WAIT;
	size_t len = 0, cap = 1 << 16;
	char *buf;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return note(fw, prog, strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
					 O_WRONLY, 0);
	rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		return note(fw, prog, strerror(rc));
	}
	buf = malloc(cap);
	for (rc = 0; buf;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		uint64_t now = now_ms();
		ssize_t n;

		if (now >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		if (poll(&p, 1, (int)(deadline - now)) <= 0)
			continue;
		if (len + 1 >= cap) {
			char *b = cap < SAVE_MAX ? realloc(buf, cap * 2) : NULL;

			if (!b) {
				rc = cap < SAVE_MAX ? -ENOMEM : -EFBIG;
				break;
			}
			buf = b;
			cap *= 2;
		}
		n = read(pfd[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(pfd[0]);
	if (rc == -ETIMEDOUT || rc == -EFBIG)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!buf)
		return -ENOMEM;
	if (rc == -ENOMEM) {
		free(buf);
		return rc;
	}
	if (rc < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(buf);
		return note(fw, prog,
			    rc == -ETIMEDOUT ? "did not finish in 5 s"
			    : rc == -EFBIG   ? "output larger than 16 MiB"
					     : "failed");
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

int vd_linux_firewall(struct vd_facts *f)
{
	struct vd_fwsrc *fw = &f->firewall;
	int rc;

	fw->known = VD_YES;
	rc = read_nft(fw);
	if (rc == 0 && legacy_in_use("/proc/net/ip_tables_names"))
		rc = run_save(fw, "iptables-legacy-save", &fw->iptables_save);
	if (rc == 0 && legacy_in_use("/proc/net/ip6_tables_names"))
		rc = run_save(fw, "ip6tables-legacy-save", &fw->ip6tables_save);
	return rc;
}
