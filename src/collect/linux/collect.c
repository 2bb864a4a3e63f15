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
#include "collect/linux/security.h"

#ifndef VD_VERSION
#define VD_VERSION "unknown"
#endif

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
		vd_text_copy(f->host.kernel, sizeof(f->host.kernel),
			     (const uint8_t *)u.release, strlen(u.release));
	if (gethostname(name, sizeof(name)) == 0) {
		name[sizeof(name) - 1] = '\0';
		vd_text_copy(f->host.hostname, sizeof(f->host.hostname),
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
	rc = vd_linux_files(t, opts, err, errlen);
	if (rc == -ENOMEM)
		goto nomem;
	if (rc < 0)
		goto out;
	if (vd_linux_security(t, opts) == -ENOMEM)
		goto nomem;
	if (vd_linux_services(t) == -ENOMEM)
		goto nomem;
	if (vd_linux_firewall(t) == -ENOMEM)
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
