/* SPDX-License-Identifier: MIT */
/*
 * vnetdiag backup: a content-addressed copy of every VMware file the
 * collector read, with the snapshot and a MANIFEST.
 *
 * A backup is a folder DIR/<UTC stamp>-<hash>: the files at their paths
 * (etc/vmware/networking...), snapshot.json, and MANIFEST, one line
 * "sha256  size  path" per stored file, sorted by path.  The hash in the
 * name is the SHA-256 of the MANIFEST lines of the configuration files
 * (not the snapshot, logs or leases, which change by themselves), so a
 * backup whose configuration equals the newest one's is not stored again.
 * A folder is built under a temporary name and renamed into place, never
 * over another: an interrupted backup leaves nothing behind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cmd/cmd.h"
#include "collect/collect.h"
#include "collect/linux/linux.h"
#include "facts/snapshot.h"
#include "util/strbuf.h"

#define DEFAULT_DIR   "/var/backups/vnetdiag"
#define SNAPSHOT_NAME "snapshot.json"
#define MANIFEST_NAME "MANIFEST"
#define SHA_LEN	      32
#define NAME_HASH     12 /* hex digits of the content hash in a name */

static const char usage[] =
	"usage: vnetdiag backup [--dir DIR] [options]\n"
	"\n"
	"Collect like 'vnetdiag collect' (no packets sent), then store every\n"
	"VMware file that was read, the snapshot and a MANIFEST of SHA-256\n"
	"sums in a new folder DIR/<UTC time>-<content hash>.  When the\n"
	"configuration files are the same as in the newest backup, nothing is\n"
	"stored.  A backup is never overwritten; a failed one leaves nothing.\n"
	"\n"
	"options:\n"
	"      --dir DIR       where backups go (default " DEFAULT_DIR ",\n"
	"                      created mode 0700)\n"
	"      --sysroot DIR   read configuration files under DIR\n"
	"      --vmx FILE      a VM to include (repeatable)\n"
	"      --vmware-dir DIR  a Windows %ProgramData%\\VMware folder\n"
	"  -h, --help          this help\n"
	"\n"
	"Compare two backups with 'vnetdiag diff A B'.\n";

/* Where a listed file is read: under the sysroot (the system's files);
 * where it is (what the user named, and the files beside it); a VM's files
 * found from a running vmware-vmx are where they are, those found in the
 * sysroot's home folders under it: either. */
enum { WHERE_ROOT, WHERE_GIVEN, WHERE_EITHER };

/* One file to store. */
struct entry {
	const char *src; /* the path the collector recorded */
	char *rel;	 /* its path inside the backup */
	int where;	 /* WHERE_*: how the collector may have read it */
	bool config;	 /* part of the content hash */
	uint8_t sha[SHA_LEN];
	unsigned long long size;
};

struct backup {
	const char *dir;
	struct vd_root root;
	struct entry *e;
	size_t n;
	char *snapshot;
	uint8_t snap_sha[SHA_LEN];
};

/* ------------------------------------------------------------------ */
/* Paths and names                                                     */

/*
 * The path inside a backup for a path the collector read: absolute (a
 * relative one is taken from the current directory), "." and ".." resolved
 * by their text alone so that nothing lands outside the backup, without the
 * leading '/'.  NULL when out of memory or empty.
 */
static char *backup_rel(const char *path)
{
	char cwd[PATH_MAX], *full, *out, *tok, *save = NULL;
	size_t o = 0;

	if (path[0] == '/') {
		full = strdup(path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return NULL;
		if (asprintf(&full, "%s/%s", cwd, path) < 0)
			full = NULL;
	}
	if (!full)
		return NULL;
	out = calloc(1, strlen(full) + 1);
	if (!out) {
		free(full);
		return NULL;
	}
	for (tok = strtok_r(full, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the '/' before it */
			out[o] = '\0';
			continue;
		}
		if (o)
			out[o++] = '/';
		strcpy(out + o, tok);
		o += strlen(tok);
	}
	free(full);
	if (!o || strcmp(out, SNAPSHOT_NAME) == 0 ||
	    strcmp(out, MANIFEST_NAME) == 0) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * Files that change by themselves while the configuration stays: logs
 * and DHCP leases.  Decided by the path alone, so that the content hash of
 * any MANIFEST can be computed again from its lines.
 */
static bool is_state_file(const char *rel)
{
	const char *base = strrchr(rel, '/');
	size_t n;

	base = base ? base + 1 : rel;
	n = strlen(base);
	if (strcmp(rel, SNAPSHOT_NAME) == 0 || strncmp(rel, "var/log/", 8) == 0)
		return true;
	if (strstr(base, "leases"))
		return true;
	return (n >= 4 && strcmp(base + n - 4, ".log") == 0) ||
	       strstr(base, ".log.") != NULL;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* "<UTC YYYYMMDDTHHMMSSZ>-<12 hex>" */
static bool is_backup_name(const char *s)
{
	static const char shape[] = "ddddddddTddddddZ-hhhhhhhhhhhh";

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		char c = s[i];

		if (shape[i] == 'd'   ? (c < '0' || c > '9')
		    : shape[i] == 'h' ? !((c >= '0' && c <= '9') ||
					  (c >= 'a' && c <= 'f'))
				      : c != shape[i])
			return false;
	}
	return true;
}

/* A MANIFEST line; a path holding '\\' or a newline is escaped as
 * sha256sum(1) escapes it (a leading '\\', then "\\\\" and "\\n"). */
static void manifest_line(struct vd_strbuf *sb, const uint8_t *sha,
			  unsigned long long size, const char *rel)
{
	char h[2 * SHA_LEN + 1];
	bool esc = strpbrk(rel, "\\\n") != NULL;

	hex(sha, SHA_LEN, h);
	vd_sb_printf(sb, "%s%s  %llu  ", esc ? "\\" : "", h, size);
	for (const char *p = rel; *p; p++) {
		if (esc && *p == '\\')
			vd_sb_puts(sb, "\\\\");
		else if (esc && *p == '\n')
			vd_sb_puts(sb, "\\n");
		else
			vd_sb_printf(sb, "%c", *p);
	}
	vd_sb_puts(sb, "\n");
}

/* The path of a MANIFEST line ("" when the line has none). */
static const char *line_path(const char *line, size_t len, char *buf,
			     size_t size)
{
	const char *p = line, *end = line + len;
	bool esc = len && line[0] == '\\';
	size_t o = 0;

	for (int gaps = 0; gaps < 2 && p < end; p++)
		if (p + 1 < end && p[0] == ' ' && p[1] == ' ') {
			gaps++;
			p++;
		}
	for (; p < end && o + 1 < size; p++) {
		if (esc && *p == '\\' && p + 1 < end) {
			p++;
			buf[o++] = *p == 'n' ? '\n' : *p;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = '\0';
	return buf;
}

/*
 * The content hash of a MANIFEST: SHA-256 over its configuration lines
 * (each with its newline), in their order.  0 or -ENOMEM.
 */
static int manifest_hash(const char *text, size_t len, uint8_t sha[SHA_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const char *p = text, *end = text + len;
	char path[PATH_MAX];
	int rc = -ENOMEM;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto out;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		line_path(p, n, path, sizeof(path));
		if (path[0] && !is_state_file(path) &&
		    !EVP_DigestUpdate(ctx, p, n + (nl ? 1 : 0)))
			goto out;
		p += n + (nl ? 1 : 0);
	}
	if (EVP_DigestFinal_ex(ctx, sha, NULL))
		rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->rel,
		      ((const struct entry *)b)->rel);
}

/* The MANIFEST text of everything stored: the files and the snapshot. */
static char *manifest_text(const struct backup *b)
{
	struct vd_strbuf sb = { 0 };
	bool snap_done = false;

	for (size_t i = 0; i <= b->n; i++) {
		if (!snap_done &&
		    (i == b->n || strcmp(b->e[i].rel, SNAPSHOT_NAME) > 0)) {
			manifest_line(&sb, b->snap_sha, strlen(b->snapshot),
				      SNAPSHOT_NAME);
			snap_done = true;
		}
		if (i < b->n)
			manifest_line(&sb, b->e[i].sha, b->e[i].size,
				      b->e[i].rel);
	}
	return vd_sb_take(&sb);
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

/* Open a listed file for reading: a regular file, where the collector
 * read it.  The descriptor, or -errno. */
static int open_source(const struct backup *b, const struct entry *e)
{
	const struct vd_root *order[2] = { &b->root, NULL };
	const char *p;
	struct stat st;
	int fd = -ENOENT, err;

	if (e->where == WHERE_GIVEN)
		order[0] = &vd_root_cwd;
	else if (e->where == WHERE_EITHER)
		order[1] = &vd_root_cwd;
	for (int i = 0; i < 2 && order[i] && fd == -ENOENT; i++) {
		p = e->src;
		if (order[i] != &vd_root_cwd)
			while (*p == '/')
				p++; /* the system's path, under its root */
		fd = vd_open_under(order[i], p, O_RDONLY | O_NONBLOCK);
	}
	if (fd < 0)
		return fd;
	err = fstat(fd, &st) < 0 ? -errno : S_ISREG(st.st_mode) ? 0 : -EINVAL;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* A new file rel under dirfd, for writing; NULL with errno set. */
static FILE *create_at(int dirfd, const char *rel)
{
	int fd = openat(dirfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			0644);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");

	if (fd >= 0 && !f)
		close(fd);
	return f;
}

/* Flush f to the disk and close it; 0 or -errno. */
static int finish(FILE *f)
{
	int rc = 0;

	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0)
		rc = errno ? -errno : -EIO;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

/* Read all of in, hashing it, and write it to out (NULL: hash only). */
static int copy_hash(int in, FILE *out, uint8_t sha[SHA_LEN],
		     unsigned long long *size)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char buf[1 << 16];
	unsigned long long n = 0;
	int rc = -ENOMEM;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto out;
	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			goto out;
		}
		if (r == 0)
			break;
		if (!EVP_DigestUpdate(ctx, buf, (size_t)r))
			goto out;
		if (out && fwrite(buf, 1, (size_t)r, out) != (size_t)r) {
			rc = errno ? -errno : -EIO;
			goto out;
		}
		n += (unsigned long long)r;
	}
	if (!EVP_DigestFinal_ex(ctx, sha, NULL))
		goto out;
	*size = n;
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* Create the folders of rel (not its last part) under dirfd. */
static int make_parents(int dirfd, const char *rel)
{
	char path[PATH_MAX];
	size_t n = strlen(rel);

	if (n >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, rel, n + 1);
	for (char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdirat(dirfd, path, 0700) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	return 0;
}

/* Write data as a new file rel under dirfd; 0 or -errno. */
static int store_data(int dirfd, const char *rel, const char *data, size_t len)
{
	FILE *f = create_at(dirfd, rel);

	if (!f)
		return -errno;
	errno = 0;
	if (fwrite(data, 1, len, f) != len) {
		int rc = errno ? -errno : -EIO;

		fclose(f);
		return rc;
	}
	return finish(f);
}

/* mkdir -p, new folders mode 0700. */
static int make_dir(const char *dir)
{
	char path[PATH_MAX];
	size_t n = strlen(dir);
	struct stat st;

	if (n == 0 || n >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, n + 1);
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (stat(path, &st) < 0)
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

/* Remove a temporary folder and all it holds. */
static void remove_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The newest backup in dir ("" when none). */
static void newest_backup(const char *dir, char *name, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	name[0] = '\0';
	if (!d)
		return;
	while ((de = readdir(d)))
		if (is_backup_name(de->d_name) && strcmp(de->d_name, name) > 0)
			snprintf(name, size, "%s", de->d_name);
	closedir(d);
}

/* The content hash of the backup dir/name; -errno when unreadable. */
static int backup_hash(const char *dir, const char *name, uint8_t sha[SHA_LEN])
{
	char path[PATH_MAX];
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (snprintf(path, sizeof(path), "%s/%s/%s", dir, name,
		     MANIFEST_NAME) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	rc = vd_read_under(&vd_root_cwd, path, &buf, &len);
	if (rc == 0)
		rc = manifest_hash((const char *)buf, len, sha);
	free(buf);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */

/* --dir is backup's own: take it out of argv before the common parser. */
static int take_dir(int *argc, char **argv, const char **dir)
{
	int o = 1;

	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--dir") == 0) {
			if (i + 1 >= *argc || !argv[i + 1][0]) {
				vd_error("backup: option '--dir' needs a "
					 "value; see 'vnetdiag backup --help'");
				return -1;
			}
			*dir = argv[++i];
		} else if (strncmp(argv[i], "--dir=", 6) == 0) {
			*dir = argv[i] + 6;
			if (!**dir) {
				vd_error("backup: option '--dir' needs a "
					 "value; see 'vnetdiag backup --help'");
				return -1;
			}
		} else {
			argv[o++] = argv[i];
		}
	}
	argv[o] = NULL;
	*argc = o;
	return 0;
}

/* Is path in the folder of file (the files beside it)? */
static bool beside(const char *path, const char *file)
{
	const char *slash = strrchr(file, '/');
	size_t n = slash ? (size_t)(slash - file + 1) : 0;

	return strncmp(path, file, n) == 0 && !strchr(path + n, '/');
}

/* How the collector read path (WHERE_*). */
static int where_read(const struct vd_cli *cli, const struct vd_vmware *v,
		      const char *path)
{
	size_t n;

	for (size_t i = 0; i < cli->n_vmx; i++)
		if (beside(path, cli->vmx[i]))
			return WHERE_GIVEN;
	if (cli->vmware_dir) {
		n = strlen(cli->vmware_dir);
		if (strncmp(path, cli->vmware_dir, n) == 0 && path[n] == '/')
			return WHERE_GIVEN;
	}
	for (size_t i = 0; i < v->n_vms; i++) {
		int f = v->vms[i].file;

		if (f >= 0 && (size_t)f < v->n_files &&
		    beside(path, v->files[f]))
			return WHERE_EITHER;
	}
	return WHERE_ROOT;
}

/* The list of files to store, sorted, each path once. */
static int list_files(struct backup *b, const struct vd_facts *f,
		      const struct vd_cli *cli)
{
	const struct vd_vmware *v = &f->vmware;
	size_t o = 0;

	b->e = calloc(v->n_files ? v->n_files : 1, sizeof(*b->e));
	if (!b->e)
		return -ENOMEM;
	for (size_t i = 0; i < v->n_files; i++) {
		struct entry *e = &b->e[b->n];

		e->src = v->files[i];
		e->rel = backup_rel(e->src);
		if (!e->rel) {
			vd_error("backup: cannot store %s: not a file path",
				 e->src);
			return -EINVAL;
		}
		e->where = where_read(cli, v, e->src);
		e->config = !is_state_file(e->rel);
		b->n++;
	}
	qsort(b->e, b->n, sizeof(*b->e), cmp_entry);
	for (size_t i = 0; i < b->n; i++) {
		if (o && strcmp(b->e[o - 1].rel, b->e[i].rel) == 0) {
			free(b->e[i].rel);
			continue;
		}
		b->e[o++] = b->e[i];
	}
	b->n = o;
	return 0;
}

/* Hash (tmpfd < 0) or copy into tmpfd every file; -1 after an error. */
static int read_files(struct backup *b, int tmpfd)
{
	for (size_t i = 0; i < b->n; i++) {
		struct entry *e = &b->e[i];
		FILE *out = NULL;
		int in, rc;

		if (tmpfd < 0 && !e->config)
			continue;
		in = open_source(b, e);
		if (in < 0) {
			vd_error("backup: cannot read %s: %s", e->src,
				 in == -EINVAL ? "not a regular file"
					       : strerror(-in));
			return -1;
		}
		if (tmpfd >= 0) {
			rc = make_parents(tmpfd, e->rel);
			if (rc == 0) {
				out = create_at(tmpfd, e->rel);
				rc = out ? 0 : -errno;
			}
			if (rc < 0) {
				close(in);
				vd_error("backup: cannot write %s/%s: %s",
					 b->dir, e->rel, strerror(-rc));
				return -1;
			}
		}
		errno = 0;
		rc = copy_hash(in, out, e->sha, &e->size);
		if (out) {
			int fin = finish(out);

			rc = rc ? rc : fin;
		}
		close(in);
		if (rc < 0) {
			vd_error("backup: cannot copy %s to %s: %s", e->src,
				 b->dir, strerror(-rc));
			return -1;
		}
	}
	return 0;
}

/* The content hash of the configuration files hashed so far. */
static int content_hash(struct backup *b, uint8_t sha[SHA_LEN])
{
	char *m = manifest_text(b);
	int rc;

	if (!m)
		return -ENOMEM;
	rc = manifest_hash(m, strlen(m), sha);
	free(m);
	return rc;
}

/* Build the backup in a temporary folder and rename it into place. */
static int store(struct backup *b, char *name, size_t size)
{
	char tmp[PATH_MAX], final[PATH_MAX], stamp[32], h[2 * SHA_LEN + 1];
	uint8_t sha[SHA_LEN];
	char *manifest = NULL;
	time_t now = time(NULL);
	struct tm tm;
	int tmpfd = -1, rc = -1, err;

	if (snprintf(tmp, sizeof(tmp), "%s/.tmp-backup-XXXXXX", b->dir) >=
		    (int)sizeof(tmp) ||
	    !mkdtemp(tmp)) {
		vd_error("backup: cannot write to %s: %s", b->dir,
			 strerror(errno));
		return -1;
	}
	tmpfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (tmpfd < 0) {
		vd_error("backup: cannot write to %s: %s", b->dir,
			 strerror(errno));
		goto out;
	}
	if (read_files(b, tmpfd) < 0)
		goto out;
	err = store_data(tmpfd, SNAPSHOT_NAME, b->snapshot,
			 strlen(b->snapshot));
	if (err == 0) {
		manifest = manifest_text(b);
		err = manifest ? manifest_hash(manifest, strlen(manifest), sha)
			       : -ENOMEM;
	}
	if (err == 0)
		err = store_data(tmpfd, MANIFEST_NAME, manifest,
				 strlen(manifest));
	if (err == 0 && fsync(tmpfd) < 0)
		err = -errno;
	if (err < 0) {
		vd_error("backup: cannot write to %s: %s", b->dir,
			 strerror(-err));
		goto out;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	hex(sha, SHA_LEN, h);
	snprintf(name, size, "%s-%.*s", stamp, NAME_HASH, h);
	if (snprintf(final, sizeof(final), "%s/%s", b->dir, name) >=
	    (int)sizeof(final)) {
		vd_error("backup: cannot write to %s: path too long", b->dir);
		goto out;
	}
	/* Never over an existing backup, not even an empty folder. */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) < 0) {
		if (errno == EINVAL || errno == ENOSYS) {
			/* No RENAME_NOREPLACE here: own the name first. */
			if (mkdir(final, 0700) == 0) {
				if (rename(tmp, final) == 0)
					goto done;
				err = errno;
				rmdir(final);
				errno = err;
			}
		}
		if (errno == EEXIST || errno == ENOTEMPTY) {
			rc = 1; /* the same content, stored this second */
			goto out;
		}
		vd_error("backup: cannot create %s: %s", final,
			 strerror(errno));
		goto out;
	}
done:
	rc = 0;
	{
		int dfd = open(b->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
out:
	if (tmpfd >= 0)
		close(tmpfd);
	if (rc != 0)
		remove_tree(tmp);
	free(manifest);
	return rc;
}

static int collect(const struct vd_cli *cli, struct vd_facts **out)
{
	struct vd_collect_opts co;
	struct vd_facts *f = vd_facts_new();
	char err[256] = "";

	if (!f) {
		vd_error("backup: out of memory");
		return -1;
	}
	vd_cli_collect_opts(cli, &co);
	if (vd_collect_live(f, &co, err, sizeof(err)) < 0) {
		vd_error("backup: %s", err);
		vd_facts_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

static int run(struct backup *b, const struct vd_cli *cli,
	       const struct vd_facts *f)
{
	char newest[64], name[64];
	uint8_t mine[SHA_LEN], theirs[SHA_LEN];
	int rc;

	if (list_files(b, f, cli) < 0)
		return VD_EXIT_UNKNOWN;
	if (b->n == 0) {
		vd_error("backup: nothing to back up: no VMware file was read "
			 "under %s",
			 cli->sysroot ? cli->sysroot : "/");
		return VD_EXIT_UNKNOWN;
	}
	if (vd_snapshot_dump(f, &b->snapshot) < 0) {
		vd_error("backup: out of memory");
		return VD_EXIT_UNKNOWN;
	}
	EVP_Digest(b->snapshot, strlen(b->snapshot), b->snap_sha, NULL,
		   EVP_sha256(), NULL);
	/* First the configuration alone: unchanged means nothing written. */
	if (read_files(b, -1) < 0)
		return VD_EXIT_UNKNOWN;
	if (content_hash(b, mine) < 0) {
		vd_error("backup: out of memory");
		return VD_EXIT_UNKNOWN;
	}
	newest_backup(b->dir, newest, sizeof(newest));
	if (newest[0] && backup_hash(b->dir, newest, theirs) == 0 &&
	    memcmp(mine, theirs, SHA_LEN) == 0) {
		printf("unchanged since %s/%s\n", b->dir, newest);
		return VD_EXIT_OK;
	}
	rc = store(b, name, sizeof(name));
	if (rc < 0)
		return VD_EXIT_UNKNOWN;
	if (rc > 0) {
		printf("unchanged since %s/%s\n", b->dir, name);
		return VD_EXIT_OK;
	}
	printf("stored %zu files in %s/%s\n", b->n + 1, b->dir, name);
	return VD_EXIT_OK;
}

int cmd_backup(int argc, char **argv)
{
	struct backup b = { .dir = DEFAULT_DIR, .root = { .fd = -1 } };
	struct vd_facts *f = NULL;
	struct vd_cli cli;
	char **args, dir[PATH_MAX];
	size_t n;
	int rc;

	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args) {
		vd_error("backup: out of memory");
		return VD_EXIT_UNKNOWN;
	}
	memcpy(args, argv, (size_t)argc * sizeof(*args));
	if (take_dir(&argc, args, &b.dir) < 0) {
		free(args);
		return VD_EXIT_UNKNOWN;
	}
	/* "DIR/" names its backups "DIR/NAME", not "DIR//NAME". */
	n = strlen(b.dir);
	if (n < sizeof(dir)) {
		memcpy(dir, b.dir, n + 1);
		while (n > 1 && dir[n - 1] == '/')
			dir[--n] = '\0';
		b.dir = dir;
	}
	rc = vd_cli_parse("backup", argc, args,
			  VD_OPT_SYSROOT | VD_OPT_VMX | VD_OPT_VMWARE_DIR,
			  usage, &cli);
	if (rc) {
		free(args);
		return rc > 0 ? VD_EXIT_OK : VD_EXIT_UNKNOWN;
	}
	rc = VD_EXIT_UNKNOWN;
	if (cli.n_args) {
		vd_error("backup: unexpected argument '%s'; see 'vnetdiag "
			 "backup --help'",
			 cli.args[0]);
		goto out;
	}
	if ((rc = make_dir(b.dir)) < 0) {
		vd_error("backup: cannot create %s: %s", b.dir, strerror(-rc));
		rc = VD_EXIT_UNKNOWN;
		goto out;
	}
	rc = VD_EXIT_UNKNOWN;
	if (vd_root_open(&b.root, cli.sysroot && strcmp(cli.sysroot, "/")
					  ? cli.sysroot
					  : NULL) < 0) {
		vd_error("backup: cannot use --sysroot %s: %s", cli.sysroot,
			 strerror(errno));
		goto out;
	}
	if (collect(&cli, &f) < 0)
		goto out;
	rc = run(&b, &cli, f);
out:
	for (size_t i = 0; i < b.n; i++)
		free(b.e[i].rel);
	free(b.e);
	free(b.snapshot);
	if (b.root.fd >= 0)
		vd_root_close(&b.root);
	vd_facts_free(f);
	free(args);
	return rc;
}
