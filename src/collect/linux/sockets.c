/* SPDX-License-Identifier: MIT */
/*
 * Listening TCP and unconnected UDP sockets from NETLINK_SOCK_DIAG (what
 * "ss -ltun" shows), then their owners from /proc/<pid>/fd.  The dump needs
 * no privilege; owners of other users' sockets are found only as root.
 */
#include "collect/linux/linux.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#define DIAG_BUF 32768

/* Append the sockets of one family and protocol; -errno. */
static int diag_dump(int fd, uint8_t family, uint8_t proto, uint32_t states,
		     uint32_t seq, struct vd_facts *f)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg = {
		.nlh = {
			.nlmsg_len = sizeof(msg),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = seq,
		},
		.req = {
			.sdiag_family = family,
			.sdiag_protocol = proto,
			.idiag_states = states,
		},
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	/* Aligned for struct nlmsghdr. */
	_Static_assert(DIAG_BUF % sizeof(uint32_t) == 0, "buffer alignment");
	uint32_t buf[DIAG_BUF / sizeof(uint32_t)];

	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		size_t left;
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		left = (size_t)n;
		for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			const struct inet_diag_msg *d;
			struct vd_socket *s;

			if (h->nlmsg_seq != seq)
				continue; /* a stale answer */
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					return -EIO;
				return e->error ? e->error : 0;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*d)))
				continue;
			d = NLMSG_DATA(h);
			if (d->idiag_family != family)
				continue;
			s = VD_PUSH(f, sockets);
			if (!s)
				return -ENOMEM;
			s->proto = proto;
			s->local.family =
				family == AF_INET ? VD_AF_INET : VD_AF_INET6;
			memcpy(s->local.b, d->id.idiag_src,
			       family == AF_INET ? 4 : 16);
			s->port = ntohs(d->id.idiag_sport);
			s->ifindex = (int)d->id.idiag_if;
			s->inode = d->idiag_inode;
			s->uid = d->idiag_uid;
		}
	}
}

/* ------------------------------------------------------------------ */
/* owners */

struct owner_idx {
	uint64_t inode;
	size_t sock; /* index into f->sockets */
};

static int cmp_owner(const void *a, const void *b)
{
	const struct owner_idx *x = a, *y = b;

	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* "socket:[12345]" -> 12345 */
static bool socket_inode(const char *link, uint64_t *ino)
{
	uint64_t v = 0;
	const char *p;

	if (strncmp(link, "socket:[", 8) != 0)
		return false;
	for (p = link + 8; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (p == link + 8 || p[0] != ']' || p[1] != '\0')
		return false;
	*ino = v;
	return true;
}

static void read_comm(int procfd, int pid, char *comm, size_t len)
{
	char path[64], raw[64];
	ssize_t n = -1;
	int fd;

	comm[0] = '\0';
	snprintf(path, sizeof(path), "%d/comm", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return;
	n = read(fd, raw, sizeof(raw) - 1);
	close(fd);
	while (n > 0 && raw[n - 1] == '\n')
		n--;
	if (n > 0)
		vd_text_copy(comm, len, (const uint8_t *)raw, (size_t)n);
}

/*
 * Match the fds of one process against the wanted inodes; returns how many
 * sockets got their owner.  Unreadable fd directories (other users' when not
 * root) and processes that exit meanwhile are skipped.
 */
static size_t scan_process(int procfd, int pid, struct vd_facts *f,
			   struct owner_idx *idx, size_t n)
{
	char path[64], link[64];
	struct dirent *de;
	size_t found = 0;
	int fd;
	DIR *d;

	snprintf(path, sizeof(path), "%d/fd", pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while ((de = readdir(d))) {
		struct owner_idx key, *hit;
		ssize_t k;

		if (de->d_name[0] == '.')
			continue;
		k = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (k <= 0)
			continue;
		link[k] = '\0';
		if (!socket_inode(link, &key.inode))
			continue;
		hit = bsearch(&key, idx, n, sizeof(*idx), cmp_owner);
		if (!hit)
			continue;
		/* all sockets sharing this inode (one per listing) */
		while (hit > idx && hit[-1].inode == key.inode)
			hit--;
		for (; hit < idx + n && hit->inode == key.inode; hit++) {
			struct vd_socket *s = &f->sockets[hit->sock];

			if (s->pid)
				continue;
			s->pid = pid;
			read_comm(procfd, pid, s->comm, sizeof(s->comm));
			found++;
		}
	}
	closedir(d);
	return found;
}

static int find_owners(struct vd_facts *f, size_t first)
{
	struct owner_idx *idx;
	size_t n = 0, left;
	struct dirent *de;
	int procfd;
	DIR *d;

	if (f->n_sockets == first)
		return 0;
	idx = calloc(f->n_sockets - first, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	for (size_t i = first; i < f->n_sockets; i++)
		if (f->sockets[i].inode)
			idx[n++] = (struct owner_idx){ f->sockets[i].inode, i };
	qsort(idx, n, sizeof(*idx), cmp_owner);
	left = n;
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = procfd >= 0 ? fdopendir(procfd) : NULL;
	if (!d && procfd >= 0)
		close(procfd);
	while (d && left > 0 && (de = readdir(d))) {
		int pid = atoi(de->d_name);
		size_t got;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' || pid <= 0)
			continue;
		got = scan_process(procfd, pid, f, idx, n);
		left -= got < left ? got : left;
	}
	if (d)
		closedir(d);
	free(idx);
	return 0;
}

int vd_linux_sockets(struct vd_facts *f)
{
	static const struct {
		uint8_t family, proto;
		uint32_t states;
	} dumps[] = {
		{ AF_INET, IPPROTO_TCP, 1u << TCP_LISTEN },
		{ AF_INET6, IPPROTO_TCP, 1u << TCP_LISTEN },
		/* an unconnected UDP socket is in TCP_CLOSE ("UNCONN") */
		{ AF_INET, IPPROTO_UDP, 1u << TCP_CLOSE },
		{ AF_INET6, IPPROTO_UDP, 1u << TCP_CLOSE },
	};
	size_t first = f->n_sockets;
	int fd, rc = 0;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		int r = diag_dump(fd, dumps[i].family, dumps[i].proto,
				  dumps[i].states, (uint32_t)i + 1, f);

		if (r == -ENOMEM) {
			rc = r;
			break;
		}
		/* No IPv6, or no udp_diag module: that dump stays empty. */
	}
	close(fd);
	if (rc == 0)
		rc = find_owners(f, first);
	return rc;
}
