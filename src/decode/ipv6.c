/* SPDX-License-Identifier: MIT */
/*
 * IPv6 (RFC 8200): the fixed header, then the extension headers up to the
 * transport header.  ESP and "no next header" end the walk; so does a
 * fragment other than the first, whose data is not a header.
 */
#include <string.h>

#include "decode/decode.h"
#include "util/cursor.h"

#define IPV6_HLEN    40
#define IPV6_EXT_MAX 8

#define NH_HOPOPTS  0
#define NH_ROUTING  43
#define NH_FRAGMENT 44
#define NH_ESP	    50
#define NH_AH	    51
#define NH_NONE	    59
#define NH_DSTOPTS  60

/* Hop-by-hop, routing, destination options: length in 8 bytes, less 8. */
static enum vd_dec ext_opts(struct cur *c, uint8_t *nh)
{
	uint8_t len;

	if (!cur_u8(c, nh) || !cur_u8(c, &len))
		return VD_DEC_TRUNC;
	if (!cur_skip(c, (size_t)len * 8 + 6))
		return VD_DEC_TRUNC;
	return VD_DEC_OK;
}

/* AH (RFC 4302): length in 4-byte units, less 2. */
static enum vd_dec ext_ah(struct cur *c, uint8_t *nh)
{
	uint8_t len;

	if (!cur_u8(c, nh) || !cur_u8(c, &len))
		return VD_DEC_TRUNC;
	if (!cur_skip(c, ((size_t)len + 2) * 4 - 2))
		return VD_DEC_TRUNC;
	return VD_DEC_OK;
}

static enum vd_dec ext_frag(struct cur *c, uint8_t *nh, struct vd_pkt *out)
{
	uint8_t reserved;
	uint16_t offm;
	uint32_t id;

	if (!cur_u8(c, nh) || !cur_u8(c, &reserved) || !cur_be16(c, &offm) ||
	    !cur_be32(c, &id))
		return VD_DEC_TRUNC;
	out->ip_id = id;
	out->frag_off = offm & 0xfff8; /* 8-byte units in the top 13 bits */
	out->more_frags = offm & 1;
	/* An atomic fragment (offset 0, M 0) is a whole packet. */
	if (out->frag_off || out->more_frags)
		out->flags |= VD_PKT_FRAG;
	return VD_DEC_OK;
}

enum vd_dec vd_decode_ipv6(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	uint32_t vtcfl;
	uint16_t plen;
	uint8_t nh, hlim, src[16], dst[16];
	enum vd_dec r = VD_DEC_OK;
	int n_ext = 0;
	bool walking = true;

	if (!cur_be32(&c, &vtcfl)) {
		/* The version is in the first byte; say BAD when we can. */
		return n >= 1 && p[0] >> 4 != 6 ? VD_DEC_BAD : VD_DEC_TRUNC;
	}
	if (vtcfl >> 28 != 6)
		return VD_DEC_BAD;
	if (!cur_be16(&c, &plen) || !cur_u8(&c, &nh) || !cur_u8(&c, &hlim) ||
	    !cur_bytes(&c, src, 16) || !cur_bytes(&c, dst, 16))
		return VD_DEC_TRUNC;

	out->src.family = VD_AF_INET6;
	memcpy(out->src.b, src, 16);
	out->dst.family = VD_AF_INET6;
	memcpy(out->dst.b, dst, 16);
	out->ttl = hlim;
	/* A jumbo payload length does not fit; say the most there is. */
	out->ip_len = plen > UINT16_MAX - IPV6_HLEN
			      ? UINT16_MAX
			      : (uint16_t)(plen + IPV6_HLEN);
	out->flags |= VD_PKT_IPV6;
	/* Drop link padding; 0 may be a jumbogram: keep what is there. */
	if (plen != 0 && plen < c.left)
		c.left = plen;

	while (walking && r == VD_DEC_OK) {
		switch (nh) {
		case NH_HOPOPTS:
		case NH_ROUTING:
		case NH_DSTOPTS:
		case NH_AH:
		case NH_FRAGMENT:
			if (n_ext++ == IPV6_EXT_MAX)
				return VD_DEC_BAD;
			if (nh == NH_FRAGMENT) {
				r = ext_frag(&c, &nh, out);
				walking = out->frag_off == 0;
			} else if (nh == NH_AH) {
				r = ext_ah(&c, &nh);
			} else {
				r = ext_opts(&c, &nh);
			}
			break;
		default: /* ESP, no next header, a transport */
			walking = false;
			break;
		}
	}
	out->proto = nh;
	if (r != VD_DEC_OK)
		return r;
	if (out->frag_off)
		return VD_DEC_OK;
	return vd_decode_l4(c.p, c.left, out);
}
