/* SPDX-License-Identifier: MIT */
/*
 * vd_decode: the link type chooses the first decoder; each layer calls
 * the next through vd_decode_l3/vd_decode_l4, and a failure anywhere ends
 * up as VD_PKT_TRUNC or VD_PKT_BAD on the packet.
 */
#include <stddef.h>
#include <string.h>

#include "decode/decode.h"

static enum vd_dec mark(struct vd_pkt *out, enum vd_dec r)
{
	if (r == VD_DEC_TRUNC)
		out->flags |= VD_PKT_TRUNC;
	else if (r == VD_DEC_BAD)
		out->flags |= VD_PKT_BAD;
	return r;
}

/* Raw IP (101): the version nibble says which. */
static enum vd_dec decode_raw(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	if (n < 1)
		return VD_DEC_TRUNC;
	switch (p[0] >> 4) {
	case 4:
		out->ethertype = 0x0800;
		return vd_decode_ipv4(p, n, out);
	case 6:
		out->ethertype = 0x86dd;
		return vd_decode_ipv6(p, n, out);
	default:
		return VD_DEC_BAD;
	}
}

void vd_decode(uint32_t linktype, const uint8_t *p, size_t caplen,
	       struct vd_pkt *out)
{
	enum vd_dec r;

	memset(out, 0, offsetof(struct vd_pkt, dhcp));
	out->linktype = linktype;
	out->caplen = caplen > UINT32_MAX ? UINT32_MAX : (uint32_t)caplen;
	switch (linktype) {
	case VD_LINK_ETHERNET:
		r = vd_decode_eth(p, caplen, out);
		break;
	case VD_LINK_SLL:
		r = vd_decode_sll(p, caplen, out);
		break;
	case VD_LINK_SLL2:
		r = vd_decode_sll2(p, caplen, out);
		break;
	case VD_LINK_RAW:
		r = decode_raw(p, caplen, out);
		break;
	case VD_LINK_IPV4:
		out->ethertype = 0x0800;
		r = vd_decode_ipv4(p, caplen, out);
		break;
	case VD_LINK_IPV6:
		out->ethertype = 0x86dd;
		r = vd_decode_ipv6(p, caplen, out);
		break;
	default:
		r = VD_DEC_BAD;
		break;
	}
	mark(out, r);
}

enum vd_dec vd_decode_l3(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	switch (out->ethertype) {
	case 0x0800:
		return mark(out, vd_decode_ipv4(p, n, out));
	case 0x86dd:
		return mark(out, vd_decode_ipv6(p, n, out));
	case 0x0806:
		return mark(out, vd_decode_arp(p, n, out));
	default:
		return VD_DEC_OK; /* a protocol we do not decode is not bad */
	}
}

enum vd_dec vd_decode_l4(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	/* A later fragment starts in the middle of the transport data. */
	if (out->frag_off != 0)
		return VD_DEC_OK;
	/* ICMP belongs to IPv4 and ICMPv6 to IPv6: no NDP inside IPv4. */
	switch (out->proto) {
	case 1:
		if (!(out->flags & VD_PKT_IPV4))
			return VD_DEC_OK;
		return mark(out, vd_decode_icmp(p, n, out));
	case 58:
		if (!(out->flags & VD_PKT_IPV6))
			return VD_DEC_OK;
		return mark(out, vd_decode_icmp6(p, n, out));
	case 6:
		return mark(out, vd_decode_tcp(p, n, out));
	case 17:
		return mark(out, vd_decode_udp(p, n, out));
	default:
		return VD_DEC_OK;
	}
}
