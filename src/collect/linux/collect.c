/* SPDX-License-Identifier: MIT */
/*
 * The live Linux collector: host identity, then rtnetlink, sockets,
 * processes and files, into a fresh model that replaces the caller's only
 * when everything essential worked.
 */
#include "collect/collect.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "collect/linux/linux.h"

#ifndef VD_VERSION
#define VD_VERSION "unknown"
#endif

/* Length of the valid UTF-8 sequence at p (n > 0 bytes there), or 0. */
static size_t utf8_seq(const uint8_t *p, size_t n)
{
	uint8_t c = p[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

void vd_linux_text(char *dst, size_t dstlen, const uint8_t *src, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		size_t k = utf8_seq(src + i, n - i);

		if (k == 0) {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = '?';
			i++;
			continue;
		}
		if (o + k >= dstlen)
			break;
		memcpy(dst + o, src + i, k);
		o += k;
		i += k;
	}
	dst[o] = '\0';
}

static void host_identity(struct vd_facts *f)
{
	struct utsname u;
	char name[256];
	time_t now = time(NULL);
	struct tm tm;

	snprintf(f->tool_version, sizeof(f->tool_version), "%s", VD_VERSION);
	if (gmtime_r(&now, &tm))
		strftime(f->collected_at, sizeof(f->collected_at),
			 "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (uname(&u) == 0)
		vd_linux_text(f->host.kernel, sizeof(f->host.kernel),
			      (const uint8_t *)u.release, strlen(u.release));
	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		vd_linux_text(f->host.hostname, sizeof(f->host.hostname),
			      (const uint8_t *)name, strlen(name));
	}
}

int vd_collect_live(struct vd_facts *f, const struct vd_collect_opts *opts,
		    char *err, size_t errlen)
{
	const char *root = opts ? opts->sysroot : NULL;
	struct vd_facts *t, old;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (root && (root[0] == '\0' || strcmp(root, "/") == 0))
		root = NULL;
	t = vd_facts_new();
	if (!t) {
		rc = -ENOMEM;
		goto nomem;
	}
	host_identity(t);
	rc = -ENOMEM;
	if (root && !(t->sysroot = strdup(root)))
		goto nomem;

	rc = vd_linux_netlink(t, err, errlen);
	if (rc == -ENOMEM)
		goto nomem;
	if (rc < 0)
		goto out;
	/* Sockets and processes are best effort (sock_diag may be absent). */
	rc = vd_linux_sockets(t);
	if (rc == -ENOMEM)
		goto nomem;
	t->sockets_known = rc == 0 ? VD_YES : VD_UNKNOWN;
	rc = vd_linux_procs(t);
	if (rc == -ENOMEM)
		goto nomem;
	rc = vd_linux_files(t, root);
	if (rc == -ENOMEM)
		goto nomem;
	vd_facts_sort(t);

	/* Success: the caller's model takes the new contents. */
	old = *f;
	*f = *t;
	*t = old;
	rc = 0;
	goto out;
nomem:
	if (err && errlen)
		snprintf(err, errlen, "cannot collect facts: %s",
			 strerror(ENOMEM));
out:
	vd_facts_free(t);
	return rc;
}
