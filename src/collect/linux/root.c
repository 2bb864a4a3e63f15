/* SPDX-License-Identifier: MIT */
/*
 * Files under a root: the sysroot (paths resolve inside it, as they would
 * for the system itself, never onto the host), the live "/", or the
 * current directory for paths the user names.
 */
#include "collect/linux/linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#define FILE_MAX (16u << 20)

int vd_root_open(struct vd_root *r, const char *sysroot)
{
	r->confined = sysroot != NULL;
	r->fd = open(sysroot ? sysroot : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return r->fd < 0 ? -errno : 0;
}

void vd_root_close(struct vd_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

const struct vd_root vd_root_cwd = { .fd = AT_FDCWD, .confined = false };

/* openat under the root; -errno. */
int vd_open_under(const struct vd_root *r, const char *rel, int flags)
{
	int fd;

	flags |= O_CLOEXEC | O_NOCTTY;
#ifdef SYS_openat2
	if (r->confined) {
		struct open_how how = {
			.flags = (uint64_t)flags,
			.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
		};

		/* EAGAIN: a rename raced the lookup; try again. */
		for (int i = 0; i < 3; i++) {
			fd = (int)syscall(SYS_openat2, r->fd, rel, &how,
					  sizeof(how));
			if (fd >= 0)
				return fd;
			if (errno != EAGAIN)
				break;
		}
		if (errno != ENOSYS)
			return -errno;
		/* Before Linux 5.6: plain openat, absolute links escape. */
	}
#endif
	fd = openat(r->fd, rel, flags);
	return fd < 0 ? -errno : fd;
}

/*
 * Read a regular file (or a /proc file) of at most FILE_MAX bytes;
 * 0, -EFBIG, or -errno.  O_NONBLOCK so that a FIFO planted in a sysroot
 * cannot hang us; it is then refused as not regular.
 */
int vd_read_under(const struct vd_root *r, const char *rel, uint8_t **out,
		  size_t *outlen)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, rc;

	fd = vd_open_under(r, rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	rc = -EINVAL;
	if (!S_ISREG(st.st_mode))
		goto out;
	/* /proc files say 0; regular files give their size up front. */
	cap = st.st_size > 0 && (uint64_t)st.st_size < FILE_MAX
		      ? (size_t)st.st_size + 1
		      : 4096;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			size_t ncap = cap * 2;
			uint8_t *nb;

			if (cap > FILE_MAX) {
				rc = -EFBIG;
				goto out;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				rc = -ENOMEM;
				goto out;
			}
			buf = nb;
			cap = ncap;
		} else if (!buf) {
			buf = malloc(cap);
			if (!buf) {
				rc = -ENOMEM;
				goto out;
			}
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > FILE_MAX) {
		rc = -EFBIG;
		goto out;
	}
	*out = buf;
	*outlen = len;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

int vd_read_tail_under(const struct vd_root *r, const char *rel, size_t max,
		       uint8_t **out, size_t *outlen)
{
	struct stat st;
	uint8_t *buf;
	size_t len = 0, want;
	off_t from = 0;
	int fd, rc;

	fd = vd_open_under(r, rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	rc = -EINVAL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 0)
		goto out_fd;
	if ((uint64_t)st.st_size <= max) {
		close(fd);
		return vd_read_under(r, rel, out, outlen);
	}
	from = st.st_size - (off_t)max;
	want = max;
	rc = -ENOMEM;
	buf = malloc(want ? want : 1);
	if (!buf)
		goto out_fd;
	while (len < want) {
		ssize_t n = pread(fd, buf + len, want - len, from + (off_t)len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			free(buf);
			goto out_fd;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	/* Start at a whole line. */
	{
		uint8_t *nl = memchr(buf, '\n', len);
		size_t skip = nl ? (size_t)(nl - buf) + 1 : 0;

		memmove(buf, buf + skip, len - skip);
		len -= skip;
	}
	*out = buf;
	*outlen = len;
	rc = 0;
out_fd:
	close(fd);
	return rc;
}
