/* SPDX-License-Identifier: MIT */
/* ARP for IPv4 over Ethernet (RFC 826); other hardware/protocols are BAD. */
#include <string.h>

#include "decode/decode.h"
#include "util/cursor.h"

enum vd_dec vd_decode_arp(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	struct vd_arp_pkt a;
	uint16_t htype, ptype;
	uint8_t hlen, plen;

	if (!cur_be16(&c, &htype) || !cur_be16(&c, &ptype) ||
	    !cur_u8(&c, &hlen) || !cur_u8(&c, &plen))
		return VD_DEC_TRUNC;
	if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4)
		return VD_DEC_BAD;
	if (!cur_be16(&c, &a.op) || !cur_bytes(&c, a.sha, 6) ||
	    !cur_bytes(&c, a.spa, 4) || !cur_bytes(&c, a.tha, 6) ||
	    !cur_bytes(&c, a.tpa, 4))
		return VD_DEC_TRUNC;
	out->arp = a;
	out->flags |= VD_PKT_ARP;
	return VD_DEC_OK;
}
