/* SPDX-License-Identifier: MIT */
/*
 * Files of the system under a sysroot ("/" for the live system): loaded
 * modules, resolv.conf, sysctl configuration, os-release and VMware's
 * networking file.  A missing or unreadable file is never an error: its
 * part of the model stays unknown.
 *
 * Under a sysroot, paths (and symlinks such as resolv.conf ->
 * /run/systemd/resolve/stub-resolv.conf) resolve inside it, as they would
 * for the system itself, never onto the host.
 */
#include "collect/linux/linux.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "collect/collect.h"

/* Errors that end the collection; the rest only mean "unknown". */
static bool fatal(int rc)
{
	return rc == -ENOMEM;
}

/* ------------------------------------------------------------------ */
/* sysctl files, in the order systemd-sysctl applies them */

static const char *const sysctl_dirs[] = {
	"etc/sysctl.d",	    "run/sysctl.d", "usr/local/lib/sysctl.d",
	"usr/lib/sysctl.d", "lib/sysctl.d",
};

struct conf_file {
	char name[256];
	unsigned dir; /* index into sysctl_dirs */
};

static int cmp_conf(const void *a, const void *b)
{
	const struct conf_file *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

static bool conf_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && n < 256 &&
	       strcmp(name + n - 5, ".conf") == 0;
}

static int list_dir(const struct vd_root *r, unsigned dir,
		    struct conf_file **files, size_t *n, size_t *cap)
{
	int fd = vd_open_under(r, sysctl_dirs[dir], O_RDONLY | O_DIRECTORY);
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (fd < 0)
		return 0; /* no such directory */
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return fatal(-errno) ? -ENOMEM : 0;
	}
	while ((de = readdir(d))) {
		if (!conf_name(de->d_name))
			continue;
		if (de->d_type != DT_REG && de->d_type != DT_LNK &&
		    de->d_type != DT_UNKNOWN)
			continue;
		if (*n == *cap) {
			size_t ncap = *cap ? *cap * 2 : 32;
			struct conf_file *nf =
				realloc(*files, ncap * sizeof(**files));

			if (!nf) {
				rc = -ENOMEM;
				break;
			}
			*files = nf;
			*cap = ncap;
		}
		snprintf((*files)[*n].name, sizeof((*files)[*n].name), "%s",
			 de->d_name);
		(*files)[*n].dir = dir;
		(*n)++;
	}
	closedir(d);
	return rc;
}

/* Parse one sysctl file if it is there; path is relative to the root. */
static int sysctl_file(const struct vd_root *r, const char *rel,
		       struct vd_facts *f)
{
	char shown[PATH_MAX];
	uint8_t *buf;
	size_t len;
	int rc = vd_read_under(r, rel, &buf, &len);

	if (rc < 0)
		return fatal(rc) ? rc : 0;
	snprintf(shown, sizeof(shown), "/%s", rel);
	rc = vd_parse_sysctl(buf, len, shown, f);
	free(buf);
	return rc;
}

static int sysctl_files(const struct vd_root *r, struct vd_facts *f)
{
	struct conf_file *files = NULL;
	size_t n = 0, cap = 0;
	int rc;

	rc = sysctl_file(r, "etc/sysctl.conf", f);
	for (unsigned i = 0;
	     rc == 0 && i < sizeof(sysctl_dirs) / sizeof(sysctl_dirs[0]); i++)
		rc = list_dir(r, i, &files, &n, &cap);
	if (rc < 0)
		goto out;
	/* By name; of equal names, the one in the earliest directory. */
	if (n > 1)
		qsort(files, n, sizeof(*files), cmp_conf);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char rel[PATH_MAX];

		if (i > 0 && strcmp(files[i].name, files[i - 1].name) == 0)
			continue; /* masked */
		snprintf(rel, sizeof(rel), "%s/%s", sysctl_dirs[files[i].dir],
			 files[i].name);
		rc = sysctl_file(r, rel, f);
	}
out:
	free(files);
	return rc;
}

/* ------------------------------------------------------------------ */

static int tri_from_value(const char *v)
{
	if (strcmp(v, "0") == 0)
		return VD_NO;
	if (strcmp(v, "1") == 0)
		return VD_YES;
	return VD_UNKNOWN;
}

static void ip_forward(const struct vd_root *r, struct vd_facts *f)
{
	struct vd_host *h = &f->host;

	if (!r->confined) {
		static const char src[] = "/proc/sys/net/ipv4/ip_forward";
		char buf[16];
		ssize_t n = -1;
		int fd = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY);

		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
		}
		if (n <= 0)
			return;
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		h->ip_forward = (int8_t)tri_from_value(buf);
		snprintf(h->ip_forward_src, sizeof(h->ip_forward_src), "%s",
			 src);
	} else {
		const struct vd_sysctl *s =
			vd_facts_sysctl(f, "net.ipv4.ip_forward");

		if (!s)
			return;
		h->ip_forward = (int8_t)tri_from_value(s->value);
		snprintf(h->ip_forward_src, sizeof(h->ip_forward_src), "%s:%u",
			 s->file, s->line);
	}
}

int vd_linux_files(struct vd_facts *f, const struct vd_collect_opts *opts,
		   char *err, size_t errlen)
{
	const char *sysroot = opts ? opts->sysroot : NULL;
	struct vd_root r;
	uint8_t *buf;
	size_t len;
	int rc;

	if (sysroot && (sysroot[0] == '\0' || strcmp(sysroot, "/") == 0))
		sysroot = NULL;
	if (vd_root_open(&r, sysroot) < 0)
		return 0; /* everything stays unknown */

	rc = vd_read_under(&r, "proc/modules", &buf, &len);
	if (rc == 0) {
		rc = vd_parse_modules(buf, len, f);
		free(buf);
		if (rc == 0)
			f->modules_known = VD_YES;
	}
	if (fatal(rc))
		goto out;

	rc = vd_read_under(&r, "etc/resolv.conf", &buf, &len);
	if (rc == 0) {
		rc = vd_parse_resolv(buf, len, "/etc/resolv.conf", &f->resolv);
		free(buf);
	}
	if (fatal(rc))
		goto out;

	rc = sysctl_files(&r, f);
	if (fatal(rc))
		goto out;

	rc = vd_read_under(&r, "etc/os-release", &buf, &len);
	if (rc < 0 && !fatal(rc))
		rc = vd_read_under(&r, "usr/lib/os-release", &buf, &len);
	if (rc == 0) {
		rc = vd_parse_os_release(buf, len, &f->host);
		free(buf);
	}
	if (fatal(rc))
		goto out;

	ip_forward(&r, f);
	/* VMware's files; what the user named must be readable. */
	rc = vd_linux_vmware(f, &r, opts, err, errlen);
out:
	vd_root_close(&r);
	return rc;
}
