/* SPDX-License-Identifier: MIT */
#include "probe/sock.h"

#include <errno.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "probe/loop.h"

int vd_sockopt_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v)) < 0 ? -errno : 0;
}

static int filter_raw(int fd, bool v6)
{
	if (v6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
		return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f,
				  sizeof(f)) < 0
			       ? -errno
			       : 0;
	} else {
		/* Bits set are types blocked. */
		struct icmp_filter f = {
			.data = ~(uint32_t)(1u << ICMP_ECHOREPLY |
					    1u << ICMP_DEST_UNREACH |
					    1u << ICMP_TIME_EXCEEDED |
					    1u << ICMP_PARAMETERPROB)
		};

		return setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f)) < 0
			       ? -errno
			       : 0;
	}
}

int vd_icmp_socket(bool v6, bool *dgram)
{
	int fam = v6 ? AF_INET6 : AF_INET;
	int proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	int fd, err;

	*dgram = true;
	fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0) {
		*dgram = false;
		fd = socket(fam, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    proto);
		if (fd < 0)
			return errno == EACCES ? -EPERM : -errno;
	}
	if (v6)
		err = vd_sockopt_int(fd, SOL_IPV6, IPV6_MTU_DISCOVER,
				     IPV6_PMTUDISC_PROBE);
	else
		err = vd_sockopt_int(fd, SOL_IP, IP_MTU_DISCOVER,
				     IP_PMTUDISC_PROBE);
	if (!err && *dgram)
		err = v6 ? vd_sockopt_int(fd, SOL_IPV6, IPV6_RECVERR, 1)
			 : vd_sockopt_int(fd, SOL_IP, IP_RECVERR, 1);
	if (!err && !*dgram)
		err = filter_raw(fd, v6);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

void vd_ip_from_sockaddr(const struct sockaddr *sa, struct vd_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		ip->family = VD_AF_INET;
		memcpy(ip->b, &in->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		ip->family = VD_AF_INET6;
		memcpy(ip->b, &in6->sin6_addr, 16);
	}
}

void vd_fill_random(void *buf, size_t len)
{
	uint8_t *b = buf;
	uint64_t x;

	if (getrandom(buf, len, GRND_NONBLOCK) == (ssize_t)len)
		return;
	/* Only needs to differ between runs, not to be secret. */
	x = vd_now_us() ^ (uint64_t)getpid() << 32 ^ (uintptr_t)buf;
	for (size_t i = 0; i < len; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		b[i] = (uint8_t)(x >> 56);
	}
}
