/* SPDX-License-Identifier: MIT */
/*
 * IPv4 (RFC 791).  The header checksum is not verified: with checksum
 * offload, captures on the sending host hold whatever was in the buffer.
 */
#include <string.h>

#include "decode/decode.h"
#include "util/cursor.h"

#define IPV4_HLEN 20

enum vd_dec vd_decode_ipv4(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	uint8_t vihl, tos, ttl, proto;
	uint16_t total, id, frag, csum;
	uint8_t src[4], dst[4];
	size_t hlen, len;

	if (!cur_u8(&c, &vihl))
		return VD_DEC_TRUNC;
	if (vihl >> 4 != 4)
		return VD_DEC_BAD;
	hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < IPV4_HLEN)
		return VD_DEC_BAD;
	if (!cur_u8(&c, &tos) || !cur_be16(&c, &total) || !cur_be16(&c, &id) ||
	    !cur_be16(&c, &frag) || !cur_u8(&c, &ttl) || !cur_u8(&c, &proto) ||
	    !cur_be16(&c, &csum) || !cur_bytes(&c, src, 4) ||
	    !cur_bytes(&c, dst, 4))
		return VD_DEC_TRUNC;
	if (total < hlen)
		return VD_DEC_BAD;

	out->src.family = VD_AF_INET;
	memcpy(out->src.b, src, 4);
	out->dst.family = VD_AF_INET;
	memcpy(out->dst.b, dst, 4);
	out->ttl = ttl;
	out->proto = proto;
	out->ip_len = total;
	out->ip_id = id;
	out->df = frag & 0x4000;
	out->more_frags = frag & 0x2000;
	out->frag_off = (uint16_t)((frag & 0x1fff) * 8);

	if (!cur_skip(&c, hlen - IPV4_HLEN)) /* options */
		return VD_DEC_TRUNC;
	out->flags |= VD_PKT_IPV4;
	if (out->frag_off || out->more_frags)
		out->flags |= VD_PKT_FRAG;

	/* Drop link padding; a short capture passes on what is there. */
	len = total - hlen;
	if (len > c.left)
		len = c.left;
	if (out->frag_off)
		return VD_DEC_OK;
	return vd_decode_l4(c.p, len, out);
}
