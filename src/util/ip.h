/* SPDX-License-Identifier: MIT */
/* Addresses and prefixes of the facts model: parse, format, compare. */
#ifndef VD_IP_H
#define VD_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/facts.h"

#define VD_IPSTR_MAX  48 /* INET6_ADDRSTRLEN + "/128" */
#define VD_MACSTR_MAX (VD_MAC_MAX * 3)

/* Parse a dotted-quad or IPv6 text address; 0 or -EINVAL. */
int vd_ip_parse(const char *s, struct vd_ip *out);
/* Parse "ADDR/LEN" (or "ADDR", LEN = full length); 0 or -EINVAL. */
int vd_prefix_parse(const char *s, struct vd_ip *out, uint8_t *len);
const char *vd_ip_str(const struct vd_ip *ip, char *buf, size_t len);
/* "ADDR/LEN", or "default" for a zero-length prefix. */
const char *vd_prefix_str(const struct vd_ip *ip, unsigned plen, char *buf,
			  size_t len);

unsigned vd_ip_bits(const struct vd_ip *ip); /* 32, 128, or 0 */
bool vd_ip_equal(const struct vd_ip *a, const struct vd_ip *b);
/* Is ip inside net/plen (same family)? */
bool vd_prefix_contains(const struct vd_ip *net, unsigned plen,
			const struct vd_ip *ip);
/* Do the two prefixes share any address? */
bool vd_prefix_overlap(const struct vd_ip *a, unsigned alen,
		       const struct vd_ip *b, unsigned blen);
/* Clear the host bits of ip beyond plen. */
void vd_prefix_mask(struct vd_ip *ip, unsigned plen);
/* Address number n (counting from 0) of a prefix, IPv4 only; -ERANGE. */
int vd_prefix_nth(const struct vd_ip *net, unsigned plen, uint32_t n,
		  struct vd_ip *out);
/* Prefix length of a contiguous IPv4 netmask, or -1. */
int vd_netmask_len(const struct vd_ip *mask);
void vd_netmask_from_len(unsigned plen, struct vd_ip *out);

/* "aa:bb:cc:dd:ee:ff"; "" for an empty address. */
const char *vd_mac_str(const uint8_t *mac, size_t len, char *buf,
		       size_t buflen);
/* Parse colon-separated hex bytes ("0:c:29:..." accepted); length or -1. */
int vd_mac_parse(const char *s, uint8_t *mac, size_t max);

#endif
