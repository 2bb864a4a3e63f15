/* SPDX-License-Identifier: MIT */
/*
 * VMware's files: where they live on Linux (and Fusion, and a Windows
 * ProgramData folder given with --vmware-dir), which VMs there are, and
 * which kernel modules are built for which kernel.  Each file goes to its
 * portable parser (collect/vmware/); a file that is missing or not in its
 * format leaves its part of the model unknown.  Only what the user names
 * (--vmx, --vmware-dir) must be readable: otherwise it is an error.
 *
 * Sysroot files are read under the sysroot; .vmx files named by the user
 * or by a running vmware-vmx are read where they are (vd_root_cwd).
 */
#include "collect/linux/linux.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/collect.h"

#define LOG_TAIL (8u << 20) /* the last 8 MiB of a log is plenty */
#define VMS_MAX	 256

typedef int (*parse_fn)(const uint8_t *buf, size_t len, const char *file,
			struct vd_vmware *out, char *err, size_t errlen);
typedef int (*parse_vnet_fn)(const uint8_t *buf, size_t len, const char *file,
			     int vnet, struct vd_vmware *out, char *err,
			     size_t errlen);

struct ctx {
	struct vd_facts *f;
	const struct vd_root *root;
	char *err;
	size_t errlen;
};

static bool fatal(int rc)
{
	return rc == -ENOMEM;
}

/* The path to show for rel read under the root: "/rel". */
static void shown_path(const struct vd_root *r, const char *rel, char *buf,
		       size_t len)
{
	if (r == &vd_root_cwd || rel[0] == '/')
		snprintf(buf, len, "%s", rel);
	else
		snprintf(buf, len, "/%s", rel);
}

/* A file that is there but could not be used: said in the report (the
 * topology lists them) rather than silently taken for absent. */
static int skipped(struct ctx *c, const char *shown, const char *why)
{
	char text[PATH_MAX + 320];

	snprintf(text, sizeof(text), "%s: %s", shown, why);
	return vd_vmware_kv_add(&c->f->vmware, "vnetdiag", "skipped", text,
				(struct vd_src){ -1, 0 });
}

/*
 * Read one file and hand it to a parser.  0 (also when the file is not
 * there or not the format), -ENOMEM, or with must: -errno / -EINVAL and a
 * reason in c->err.
 */
static int read_one(struct ctx *c, const struct vd_root *r, const char *rel,
		    parse_fn fn, parse_vnet_fn vfn, int vnet, bool tail,
		    bool must)
{
	char shown[PATH_MAX], why[256] = "";
	const char *p = rel;
	uint8_t *buf;
	size_t len;
	int rc;

	if (r != &vd_root_cwd)
		while (*p == '/')
			p++; /* absolute paths of the system, under its root */
	shown_path(r, p, shown, sizeof(shown));
	rc = tail ? vd_read_tail_under(r, p, LOG_TAIL, &buf, &len)
		  : vd_read_under(r, p, &buf, &len);
	if (rc < 0) {
		if (fatal(rc) || rc == -ENOENT || rc == -ENOTDIR)
			return fatal(rc) || must ? rc : 0;
		snprintf(why, sizeof(why), "cannot read it: %s",
			 rc == -EINVAL ? "not a regular file" : strerror(-rc));
	} else {
		rc = fn ? fn(buf, len, shown, &c->f->vmware, why, sizeof(why))
			: vfn(buf, len, shown, vnet, &c->f->vmware, why,
			      sizeof(why));
		free(buf);
		if (rc != -EINVAL)
			return fatal(rc) ? rc : 0;
	}
	if (must) {
		snprintf(c->err, c->errlen, "%s: %s", shown, why);
		return rc;
	}
	return skipped(c, shown, why);
}

/* ------------------------------------------------------------------ */
/* virtual networks: etc/vmware/vmnetN/... (Linux), Fusion's twin */

static const char fusion[] = "Library/Preferences/VMware Fusion";

static int vnet_files(struct ctx *c, const char *base, bool is_fusion)
{
	char rel[PATH_MAX];
	struct dirent *de;
	int fd, rc = 0;
	DIR *d;

	fd = vd_open_under(c->root, base, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	/* readdir order is arbitrary: go by number instead. */
	bool seen[VD_VNET_MAX + 1] = { false };

	while ((de = readdir(d))) {
		int n = vd_vnet_number(de->d_name);

		if (n >= 0)
			seen[n] = true;
	}
	closedir(d);
	for (int n = 0; n <= VD_VNET_MAX && rc == 0; n++) {
		if (!seen[n])
			continue;
		snprintf(rel, sizeof(rel),
			 is_fusion ? "%s/vmnet%d/nat.conf"
				   : "%s/vmnet%d/nat/nat.conf",
			 base, n);
		rc = read_one(c, c->root, rel, NULL, vd_parse_vmware_natconf, n,
			      false, false);
		if (rc == 0) {
			snprintf(rel, sizeof(rel),
				 is_fusion ? "%s/vmnet%d/dhcpd.conf"
					   : "%s/vmnet%d/dhcpd/dhcpd.conf",
				 base, n);
			rc = read_one(c, c->root, rel, NULL,
				      vd_parse_vmware_dhcpd, n, false, false);
		}
		if (rc == 0) {
			if (is_fusion)
				snprintf(rel, sizeof(rel),
					 "var/db/vmware/"
					 "vmnet-dhcpd-vmnet%d.leases",
					 n);
			else
				snprintf(rel, sizeof(rel),
					 "%s/vmnet%d/dhcpd/dhcpd.leases", base,
					 n);
			rc = read_one(c, c->root, rel, NULL,
				      vd_parse_vmware_leases, n, false, false);
		}
	}
	return rc;
}

static int networks(struct ctx *c)
{
	char rel[PATH_MAX];
	int rc;

	rc = read_one(c, c->root, "etc/vmware/networking",
		      vd_parse_vmware_networking, NULL, -1, false, false);
	if (rc == 0 && c->f->vmware.present != VD_YES) {
		snprintf(rel, sizeof(rel), "%s/networking", fusion);
		rc = read_one(c, c->root, rel, vd_parse_vmware_networking, NULL,
			      -1, false, false);
	}
	if (rc == 0)
		rc = read_one(c, c->root, "etc/vmware/netmap.conf",
			      vd_parse_vmware_netmap, NULL, -1, false, false);
	if (rc == 0)
		rc = read_one(c, c->root, "etc/vmware/config",
			      vd_parse_vmware_config, NULL, -1, false, false);
	if (rc == 0)
		rc = vnet_files(c, "etc/vmware", false);
	if (rc == 0)
		rc = vnet_files(c, fusion, true);
	if (rc == 0)
		rc = read_one(c, c->root, "var/db/dhcpd_leases", NULL,
			      vd_parse_vmware_leases, -1, false, false);
	return rc;
}

/* A Windows %ProgramData%\VMware folder (copied or mounted): one NAT
 * file, one DHCP file for every vmnet. */
static int windows_dir(struct ctx *c, const char *dir)
{
	static const struct {
		const char *name;
		parse_fn fn;
		parse_vnet_fn vfn;
		bool log;
	} files[] = {
		{ "netmap.conf", vd_parse_vmware_netmap, NULL, false },
		{ "vmnetnat.conf", NULL, vd_parse_vmware_natconf, false },
		{ "vmnetdhcp.conf", NULL, vd_parse_vmware_dhcpd, false },
		{ "vmnetdhcp.leases", NULL, vd_parse_vmware_leases, false },
		{ "vmnetdhcp.log", vd_parse_vmware_log, NULL, true },
		{ "vmnat.log", vd_parse_vmware_log, NULL, true },
	};
	char path[PATH_MAX];
	int fd, rc = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(c->err, c->errlen, "cannot read --vmware-dir %s: %s",
			 dir, strerror(errno));
		return -errno;
	}
	close(fd);
	for (size_t i = 0; rc == 0 && i < sizeof(files) / sizeof(files[0]);
	     i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		rc = read_one(c, &vd_root_cwd, path, files[i].fn, files[i].vfn,
			      -1, files[i].log, false);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* virtual machines */

struct vmx_list {
	char *path[VMS_MAX];
	bool under_root[VMS_MAX]; /* read under the sysroot */
	bool named[VMS_MAX];	  /* given by the user: must be readable */
	size_t n;
};

static int vmx_add(struct vmx_list *l, const char *path, bool under_root,
		   bool named)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->path[i], path) == 0)
			return 0;
	if (l->n == VMS_MAX)
		return 0;
	l->path[l->n] = strdup(path);
	if (!l->path[l->n])
		return -ENOMEM;
	l->under_root[l->n] = under_root;
	l->named[l->n] = named;
	l->n++;
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* Running VMs: "vmware-vmx ... /path/to/vm.vmx" (the last argument). */
static int vmx_from_procs(const struct vd_facts *f, struct vmx_list *l)
{
	for (size_t i = 0; i < f->n_procs; i++) {
		const struct vd_process *p = &f->procs[i];
		const char *last;

		if (strcmp(p->comm, "vmware-vmx") != 0 || !p->cmdline)
			continue;
		last = strrchr(p->cmdline, ' ');
		last = last ? last + 1 : p->cmdline;
		if (ends_with(last, ".vmx")) {
			int rc = vmx_add(l, last, false, false);

			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* ~/.vmware/inventory.vmls: vmlistN.config = "/path/vm.vmx". */
static int vmx_from_inventory(struct ctx *c, const char *home,
			      struct vmx_list *l)
{
	char rel[PATH_MAX];
	uint8_t *buf;
	size_t len;
	int rc;

	snprintf(rel, sizeof(rel), "%s/.vmware/inventory.vmls", home);
	if (vd_read_under(c->root, rel, &buf, &len) < 0)
		return 0;
	rc = 0;
	for (char *line = (char *)buf, *end = (char *)buf + len;
	     line < end && rc == 0;) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		char *stop = nl ? nl : end, *q1, *q2, val[PATH_MAX];

		if ((size_t)(stop - line) > 8 &&
		    strncmp(line, "vmlist", 6) == 0 &&
		    (q1 = memchr(line, '"', (size_t)(stop - line))) &&
		    (q2 = memchr(q1 + 1, '"', (size_t)(stop - q1 - 1))) &&
		    (size_t)(q2 - q1 - 1) < sizeof(val) &&
		    memmem(line, (size_t)(q1 - line), ".config", 7)) {
			memcpy(val, q1 + 1, (size_t)(q2 - q1 - 1));
			val[q2 - q1 - 1] = '\0';
			if (ends_with(val, ".vmx") && val[0] == '/')
				rc = vmx_add(l, val, true, false);
		}
		line = stop + 1;
	}
	free(buf);
	return rc;
}

/* home/NAME/vmware/VM/VM.vmx, the default place of new VMs. */
static int vmx_in_dir(struct ctx *c, const char *dir, struct vmx_list *l)
{
	char rel[PATH_MAX];
	struct dirent *de, *de2;
	int fd, rc = 0;
	DIR *d, *d2;

	fd = vd_open_under(c->root, dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, de->d_name);
		fd = vd_open_under(c->root, rel, O_RDONLY | O_DIRECTORY);
		if (fd < 0 || !(d2 = fdopendir(fd))) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while (rc == 0 && (de2 = readdir(d2))) {
			char vmx[PATH_MAX];

			if (de2->d_name[0] == '.' ||
			    !ends_with(de2->d_name, ".vmx"))
				continue;
			if (snprintf(vmx, sizeof(vmx), "/%s/%s", rel,
				     de2->d_name) < (int)sizeof(vmx))
				rc = vmx_add(l, vmx, true, false);
		}
		closedir(d2);
	}
	closedir(d);
	return rc;
}

/* Users' homes: root and home/NAME. */
static int vmx_discover(struct ctx *c, struct vmx_list *l)
{
	char rel[PATH_MAX];
	struct dirent *de;
	int fd, rc;
	DIR *d;

	rc = vmx_from_inventory(c, "root", l);
	if (rc == 0)
		rc = vmx_in_dir(c, "root/vmware", l);
	fd = vd_open_under(c->root, "home", O_RDONLY | O_DIRECTORY);
	if (rc < 0 || fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "home/%s", de->d_name);
		rc = vmx_from_inventory(c, rel, l);
		if (rc == 0) {
			snprintf(rel, sizeof(rel), "home/%s/vmware",
				 de->d_name);
			rc = vmx_in_dir(c, rel, l);
		}
	}
	closedir(d);
	return rc;
}

static bool is_running(const struct vd_facts *f, const char *vmx)
{
	for (size_t i = 0; i < f->n_procs; i++) {
		const struct vd_process *p = &f->procs[i];
		size_t n = strlen(vmx), k;

		if (strcmp(p->comm, "vmware-vmx") != 0 || !p->cmdline)
			continue;
		k = strlen(p->cmdline);
		if (k >= n && strcmp(p->cmdline + k - n, vmx) == 0)
			return true;
	}
	return false;
}

static int vms(struct ctx *c, const struct vd_collect_opts *opts)
{
	struct vmx_list l = { .n = 0 };
	int rc = 0;

	for (size_t i = 0; opts && i < opts->n_vmx && rc == 0; i++)
		rc = vmx_add(&l, opts->vmx[i], false, true);
	if (rc == 0)
		rc = vmx_from_procs(c->f, &l);
	if (rc == 0)
		rc = vmx_discover(c, &l);
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		const struct vd_root *r =
			l.under_root[i] ? c->root : &vd_root_cwd;
		size_t before = c->f->vmware.n_vms;
		char log[PATH_MAX];
		const char *slash;

		rc = read_one(c, r, l.path[i], vd_parse_vmx, NULL, -1, false,
			      l.named[i]);
		if (rc < 0 || c->f->vmware.n_vms == before)
			continue;
		c->f->vmware.vms[before].running =
			is_running(c->f, l.path[i]) ? VD_YES : VD_NO;
		/* vmware.log beside it */
		slash = strrchr(l.path[i], '/');
		snprintf(log, sizeof(log), "%.*svmware.log",
			 slash ? (int)(slash - l.path[i] + 1) : 0, l.path[i]);
		rc = read_one(c, r, log, vd_parse_vmware_log, NULL, -1, true,
			      false);
	}
	for (size_t i = 0; i < l.n; i++)
		free(l.path[i]);
	return rc;
}

/* ------------------------------------------------------------------ */
/* logs of the daemons, and kernel modules on disk */

static int host_logs(struct ctx *c)
{
	static const char *const logs[] = {
		"var/log/syslog",
		"var/log/messages",
		"var/log/kern.log",
		"var/log/daemon.log",
		"var/log/vmware-vmnetdhcpd-vmnet1.log",
		"var/log/vmware-vmnetdhcpd-vmnet8.log",
		"var/log/vmware-vmnat-vmnet8.log",
		"var/log/vmware-networks.log",
	};
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof(logs) / sizeof(logs[0]); i++)
		rc = read_one(c, c->root, logs[i], vd_parse_vmware_log, NULL,
			      -1, true, false);
	return rc;
}

static int cmp_modfile(const void *a, const void *b)
{
	const struct vd_modfile *x = a, *y = b;
	int k = strcmp(x->kernel, y->kernel);

	return k ? k : strcmp(x->name, y->name);
}

static int module_files(struct ctx *c)
{
	static const char *const dirs[] = { "misc", "updates", "updates/dkms",
					    "extra" };
	static const char *const mods[] = { "vmmon", "vmnet" };
	static const char *const exts[] = { ".ko", ".ko.xz", ".ko.zst",
					    ".ko.gz" };
	struct vd_vmware *v = &c->f->vmware;
	struct dirent *de;
	int fd;
	DIR *d;

	fd = vd_open_under(c->root, "lib/modules", O_RDONLY | O_DIRECTORY);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	v->module_files_known = VD_YES;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) >= sizeof(v->module_files->kernel))
			continue;
		for (size_t m = 0; m < 2; m++) {
			bool found = false;

			for (size_t i = 0; !found && i < 4; i++)
				for (size_t e = 0; !found && e < 4; e++) {
					char rel[PATH_MAX];
					int mfd;

					snprintf(rel, sizeof(rel),
						 "lib/modules/%s/%s/%s%s",
						 de->d_name, dirs[i], mods[m],
						 exts[e]);
					mfd = vd_open_under(c->root, rel,
							    O_RDONLY);
					if (mfd >= 0) {
						close(mfd);
						found = true;
					}
				}
			if (found) {
				struct vd_modfile *mf =
					VD_PUSH(v, module_files);

				if (!mf) {
					closedir(d);
					return -ENOMEM;
				}
				snprintf(mf->kernel, sizeof(mf->kernel), "%s",
					 de->d_name);
				snprintf(mf->name, sizeof(mf->name), "%s",
					 mods[m]);
			}
		}
	}
	closedir(d);
	if (v->n_module_files > 1)
		qsort(v->module_files, v->n_module_files,
		      sizeof(*v->module_files), cmp_modfile);
	return 0;
}

int vd_linux_vmware(struct vd_facts *f, const struct vd_root *root,
		    const struct vd_collect_opts *opts, char *err,
		    size_t errlen)
{
	struct ctx c = { f, root, err, errlen };
	int rc;

	rc = networks(&c);
	if (rc == 0 && opts && opts->vmware_dir)
		rc = windows_dir(&c, opts->vmware_dir);
	if (rc == 0)
		rc = vms(&c, opts);
	if (rc == 0)
		rc = host_logs(&c);
	if (rc == 0)
		rc = module_files(&c);
	return rc;
}
