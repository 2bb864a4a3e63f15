/* SPDX-License-Identifier: MIT */
/*
 * Processes of interest: the daemons that serve or police the virtual
 * networks (VMware's vmnet helpers, dnsmasq, libvirt, VirtualBox, network
 * managers, firewalls), found by their /proc/<pid>/comm.
 */
#include "collect/linux/linux.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COMM_MAX    15 /* TASK_COMM_LEN - 1: longer names are cut */
#define CMDLINE_MAX 32768

static const char *const prefixes[] = {
	"vmware",
	"vmnet-",
	"vmx",
	"qemu-system-",
};

static const char *const names[] = {
	"dnsmasq",
	"dhcpd",
	"dhclient",
	"udhcpc",
	"libvirtd",
	"virtnetworkd",
	"NetworkManager",
	"systemd-networkd",
	"systemd-resolved",
	"VBoxSVC",
	"VBoxHeadless",
	"VBoxNetDHCP",
	"VBoxNetNAT",
	"firewalld",
	"ufw",
};

static bool interesting(const char *comm)
{
	size_t n = strlen(comm);

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(comm, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t k = strlen(names[i]);

		/* "systemd-networkd" shows as "systemd-network" */
		if (k > COMM_MAX && n == COMM_MAX) {
			if (strncmp(comm, names[i], n) == 0)
				return true;
		} else if (strcmp(comm, names[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* Read at most len - 1 bytes of a small /proc file; -errno. */
static ssize_t read_small(int dirfd, const char *path, char *buf, size_t len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/* The comm of a process, newline removed; false when it is gone. */
static bool read_comm(int procfd, int pid, char *comm, size_t len)
{
	char path[64], raw[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%d/comm", pid);
	n = read_small(procfd, path, raw, sizeof(raw));
	if (n < 0)
		return false;
	while (n > 0 && raw[n - 1] == '\n')
		n--;
	vd_text_copy(comm, len, (const uint8_t *)raw, (size_t)n);
	return true;
}

/* Arguments joined by single spaces ("" for kernel threads); NULL: no
 * memory.  A command line longer than CMDLINE_MAX is cut. */
static char *read_cmdline(int procfd, int pid)
{
	char path[64];
	uint8_t *raw = malloc(CMDLINE_MAX + 1);
	char *out = NULL;
	size_t n = 0;
	int fd;

	if (!raw)
		return NULL;
	snprintf(path, sizeof(path), "%d/cmdline", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd >= 0 && n < CMDLINE_MAX) {
		ssize_t k = read(fd, raw + n, CMDLINE_MAX - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	if (fd >= 0)
		close(fd);
	while (n > 0 && raw[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		if (raw[i] == '\0')
			raw[i] = ' ';
	out = malloc(n + 1);
	if (out)
		vd_text_copy(out, n + 1, raw, n);
	free(raw);
	return out;
}

/* A /proc entry named by a process id, or 0. */
static int pid_of(const char *name)
{
	long v = 0;

	if (*name < '1' || *name > '9')
		return 0;
	for (; *name; name++) {
		if (*name < '0' || *name > '9' || v > 0x3fffffff)
			return 0;
		v = v * 10 + (*name - '0');
	}
	return (int)v;
}

int vd_linux_procs(struct vd_facts *f)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (procfd < 0)
		return -errno;
	d = fdopendir(procfd);
	if (!d) {
		rc = -errno;
		close(procfd);
		return rc;
	}
	while ((de = readdir(d))) {
		char comm[sizeof(((struct vd_process *)0)->comm)];
		struct vd_process *p;
		int pid = pid_of(de->d_name);
		char *cmd;

		if (!pid || !read_comm(procfd, pid, comm, sizeof(comm)) ||
		    !interesting(comm))
			continue;
		cmd = read_cmdline(procfd, pid);
		p = cmd ? VD_PUSH(f, procs) : NULL;
		if (!p) {
			free(cmd);
			rc = -ENOMEM;
			break;
		}
		p->pid = pid;
		memcpy(p->comm, comm, sizeof(comm));
		p->cmdline = cmd;
	}
	closedir(d); /* closes procfd */
	return rc;
}
