/* SPDX-License-Identifier: MIT */
/*
 * UDP (RFC 768): ports, the payload span, and the applications we decode
 * on their well-known ports: DHCP (67/68) and DNS (53, mDNS 5353).
 */
#include "decode/decode.h"
#include "util/cursor.h"

static bool either_port(const struct vd_pkt *pkt, uint16_t a, uint16_t b)
{
	return pkt->sport == a || pkt->dport == a || pkt->sport == b ||
	       pkt->dport == b;
}

enum vd_dec vd_decode_udp(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	uint16_t sport, dport, len;
	enum vd_dec r = VD_DEC_OK;
	size_t plen;

	if (!cur_be16(&c, &sport) || !cur_be16(&c, &dport) ||
	    !cur_be16(&c, &len) || !cur_skip(&c, 2)) {
		out->flags |= VD_PKT_TRUNC;
		return VD_DEC_TRUNC;
	}
	if (len < 8) {
		out->flags |= VD_PKT_BAD;
		return VD_DEC_BAD;
	}
	/* A length past the capture: a short snaplen, take what is here. */
	plen = len - 8u < c.left ? len - 8u : c.left;
	out->sport = sport;
	out->dport = dport;
	out->payload = c.p;
	out->payload_len = plen;
	out->flags |= VD_PKT_UDP;

	/* The application failing leaves the datagram decoded. */
	if (either_port(out, 67, 68))
		r = vd_decode_dhcp(c.p, plen, out);
	else if (either_port(out, 53, 5353))
		r = vd_decode_dns(c.p, plen, out);
	if (r == VD_DEC_TRUNC)
		out->flags |= VD_PKT_TRUNC;
	else if (r == VD_DEC_BAD)
		out->flags |= VD_PKT_BAD;
	return VD_DEC_OK;
}
