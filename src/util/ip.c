/* SPDX-License-Identifier: MIT */
#include "util/ip.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vd_ip_parse(const char *s, struct vd_ip *out)
{
	struct vd_ip ip = { 0 };

	if (!s)
		return -EINVAL;
	if (inet_pton(AF_INET, s, ip.b) == 1)
		ip.family = VD_AF_INET;
	else if (inet_pton(AF_INET6, s, ip.b) == 1)
		ip.family = VD_AF_INET6;
	else
		return -EINVAL;
	*out = ip;
	return 0;
}

int vd_prefix_parse(const char *s, struct vd_ip *out, uint8_t *len)
{
	char buf[VD_IPSTR_MAX];
	const char *slash = strchr(s, '/');
	struct vd_ip ip;
	unsigned long plen;
	char *end;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (vd_ip_parse(buf, &ip) < 0)
		return -EINVAL;
	plen = vd_ip_bits(&ip);
	if (slash) {
		errno = 0;
		plen = strtoul(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || plen > vd_ip_bits(&ip))
			return -EINVAL;
	}
	*out = ip;
	*len = (uint8_t)plen;
	return 0;
}

const char *vd_ip_str(const struct vd_ip *ip, char *buf, size_t len)
{
	int af = ip->family == VD_AF_INET    ? AF_INET
		 : ip->family == VD_AF_INET6 ? AF_INET6
					     : 0;

	if (!af || !inet_ntop(af, ip->b, buf, (socklen_t)len))
		snprintf(buf, len, "-");
	return buf;
}

const char *vd_prefix_str(const struct vd_ip *ip, unsigned plen, char *buf,
			  size_t len)
{
	char a[VD_IPSTR_MAX];

	if (plen == 0)
		snprintf(buf, len, "default");
	else if (plen == vd_ip_bits(ip))
		snprintf(buf, len, "%s", vd_ip_str(ip, a, sizeof(a)));
	else
		snprintf(buf, len, "%s/%u", vd_ip_str(ip, a, sizeof(a)), plen);
	return buf;
}

unsigned vd_ip_bits(const struct vd_ip *ip)
{
	return ip->family == VD_AF_INET	   ? 32
	       : ip->family == VD_AF_INET6 ? 128
					   : 0;
}

bool vd_ip_equal(const struct vd_ip *a, const struct vd_ip *b)
{
	return a->family == b->family &&
	       memcmp(a->b, b->b, vd_ip_bits(a) / 8) == 0;
}

static bool prefix_bits_equal(const uint8_t *a, const uint8_t *b, unsigned n)
{
	unsigned bytes = n / 8, rest = n % 8;

	if (memcmp(a, b, bytes) != 0)
		return false;
	if (rest) {
		uint8_t m = (uint8_t)(0xff << (8 - rest));
		return (a[bytes] & m) == (b[bytes] & m);
	}
	return true;
}

bool vd_prefix_contains(const struct vd_ip *net, unsigned plen,
			const struct vd_ip *ip)
{
	if (net->family != ip->family || plen > vd_ip_bits(net))
		return false;
	return prefix_bits_equal(net->b, ip->b, plen);
}

bool vd_prefix_overlap(const struct vd_ip *a, unsigned alen,
		       const struct vd_ip *b, unsigned blen)
{
	if (a->family != b->family)
		return false;
	return prefix_bits_equal(a->b, b->b, alen < blen ? alen : blen);
}

void vd_prefix_mask(struct vd_ip *ip, unsigned plen)
{
	unsigned bits = vd_ip_bits(ip);

	for (unsigned i = plen; i < bits; i++)
		ip->b[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
}

int vd_prefix_nth(const struct vd_ip *net, unsigned plen, uint32_t n,
		  struct vd_ip *out)
{
	uint32_t base, size;

	if (net->family != VD_AF_INET || plen > 32)
		return -ERANGE;
	size = plen == 0 ? UINT32_MAX : (uint32_t)((1ull << (32 - plen)) - 1);
	if (n > size)
		return -ERANGE;
	base = (uint32_t)net->b[0] << 24 | (uint32_t)net->b[1] << 16 |
	       (uint32_t)net->b[2] << 8 | net->b[3];
	if (plen)
		base &= ~size;
	else
		base = 0;
	base += n;
	*out = (struct vd_ip){ .family = VD_AF_INET };
	out->b[0] = (uint8_t)(base >> 24);
	out->b[1] = (uint8_t)(base >> 16);
	out->b[2] = (uint8_t)(base >> 8);
	out->b[3] = (uint8_t)base;
	return 0;
}

int vd_netmask_len(const struct vd_ip *mask)
{
	unsigned bits = vd_ip_bits(mask), n = 0;

	while (n < bits && (mask->b[n / 8] & (0x80 >> (n % 8))))
		n++;
	for (unsigned i = n; i < bits; i++)
		if (mask->b[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return bits ? (int)n : -1;
}

void vd_netmask_from_len(unsigned plen, struct vd_ip *out)
{
	*out = (struct vd_ip){ .family = VD_AF_INET };
	for (unsigned i = 0; i < plen && i < 32; i++)
		out->b[i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

const char *vd_mac_str(const uint8_t *mac, size_t len, char *buf, size_t buflen)
{
	size_t o = 0;

	if (buflen)
		buf[0] = '\0';
	for (size_t i = 0; i < len && o + (i ? 3 : 2) < buflen; i++)
		o += (size_t)snprintf(buf + o, buflen - o, i ? ":%02x" : "%02x",
				      mac[i]);
	return buf;
}

int vd_mac_parse(const char *s, uint8_t *mac, size_t max)
{
	size_t n = 0;

	if (!s || !*s)
		return -1;
	for (;;) {
		unsigned v = 0, digits = 0;

		while (digits < 2 && *s &&
		       strchr("0123456789abcdefABCDEF", *s)) {
			v = v * 16 + (unsigned)(*s <= '9'   ? *s - '0'
						: *s >= 'a' ? *s - 'a' + 10
							    : *s - 'A' + 10);
			s++;
			digits++;
		}
		if (!digits || n >= max)
			return -1;
		mac[n++] = (uint8_t)v;
		if (*s == '\0')
			return (int)n;
		if (*s != ':' && *s != '-')
			return -1;
		s++;
	}
}
