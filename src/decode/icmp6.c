/* SPDX-License-Identifier: MIT */
/*
 * ICMPv6 (RFC 4443): echo id/seq, the MTU of packet-too-big, the IPv6
 * header that errors quote, and neighbour discovery (RFC 4861): the NS/NA
 * target, the NA flags and the source/target link-layer address option.
 */
#include <string.h>

#include "decode/decode.h"
#include "util/cursor.h"

#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_ECHO_REQUEST   128
#define ICMP6_ECHO_REPLY     129
#define ND_ROUTER_SOLICIT    133
#define ND_ROUTER_ADVERT     134
#define ND_NEIGHBOR_SOLICIT  135
#define ND_NEIGHBOR_ADVERT   136
#define ND_REDIRECT	     137

#define ND_OPT_SOURCE_LLADDR 1
#define ND_OPT_TARGET_LLADDR 2

static bool cur_ip6(struct cur *c, struct vd_ip *ip)
{
	if (!cur_bytes(c, ip->b, 16))
		return false;
	ip->family = VD_AF_INET6;
	return true;
}

/* As for ICMP: a quoted header cut short is left out, not an error. */
static void quoted_ipv6(struct cur c, struct vd_icmp_pkt *m)
{
	uint8_t ver, nh;
	struct vd_ip src, dst;

	if (!cur_u8(&c, &ver) || ver >> 4 != 6 || !cur_skip(&c, 5) ||
	    !cur_u8(&c, &nh) || !cur_skip(&c, 1) || !cur_ip6(&c, &src) ||
	    !cur_ip6(&c, &dst))
		return;
	m->quoted = true;
	m->q_proto = nh;
	m->q_src = src;
	m->q_dst = dst;
	if ((nh == 6 || nh == 17) && c.left >= 4) {
		cur_be16(&c, &m->q_sport);
		cur_be16(&c, &m->q_dport);
	}
}

/* Options in 8-byte units (RFC 4861 4.6); a zero length is invalid. */
static enum vd_dec nd_options(struct cur c, struct vd_ndp_pkt *nd)
{
	uint8_t type, len;

	while (c.left > 0) {
		if (!cur_u8(&c, &type) || !cur_u8(&c, &len))
			return VD_DEC_TRUNC;
		if (len == 0)
			return VD_DEC_BAD;
		if (c.left < (size_t)len * 8 - 2)
			return VD_DEC_TRUNC;
		/* An Ethernet address fills a one-unit option. */
		if ((type == ND_OPT_SOURCE_LLADDR ||
		     type == ND_OPT_TARGET_LLADDR) &&
		    len == 1 && !nd->has_lladdr) {
			memcpy(nd->lladdr, c.p, 6);
			nd->has_lladdr = true;
		}
		cur_skip(&c, (size_t)len * 8 - 2);
	}
	return VD_DEC_OK;
}

/* From the fixed part onward (after type, code, checksum). */
static enum vd_dec ndp(struct cur c, uint8_t type, struct vd_ndp_pkt *nd)
{
	uint8_t fl;

	switch (type) {
	case ND_ROUTER_SOLICIT:
		if (!cur_skip(&c, 4))
			return VD_DEC_TRUNC;
		break;
	case ND_ROUTER_ADVERT:
		if (!cur_skip(&c, 12))
			return VD_DEC_TRUNC;
		break;
	case ND_NEIGHBOR_SOLICIT:
	case ND_NEIGHBOR_ADVERT:
		if (!cur_u8(&c, &fl) || !cur_skip(&c, 3) ||
		    !cur_ip6(&c, &nd->target))
			return VD_DEC_TRUNC;
		if (type == ND_NEIGHBOR_ADVERT) {
			nd->router = fl & 0x80;
			nd->solicited = fl & 0x40;
			nd->override = fl & 0x20;
		}
		break;
	case ND_REDIRECT:
		if (!cur_skip(&c, 4) || !cur_ip6(&c, &nd->target) ||
		    !cur_skip(&c, 16))
			return VD_DEC_TRUNC;
		break;
	}
	return nd_options(c, nd);
}

enum vd_dec vd_decode_icmp6(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	struct vd_icmp_pkt m;
	struct vd_ndp_pkt nd;
	enum vd_dec r;

	memset(&m, 0, sizeof(m));
	memset(&nd, 0, sizeof(nd));
	if (!cur_u8(&c, &m.type) || !cur_u8(&c, &m.code) || !cur_skip(&c, 2) ||
	    c.left < 4) {
		out->flags |= VD_PKT_TRUNC;
		return VD_DEC_TRUNC;
	}
	if (m.type >= ND_ROUTER_SOLICIT && m.type <= ND_REDIRECT) {
		r = ndp(c, m.type, &nd);
		if (r != VD_DEC_OK) {
			out->flags |=
				r == VD_DEC_TRUNC ? VD_PKT_TRUNC : VD_PKT_BAD;
			return r;
		}
		out->ndp = nd;
		out->flags |= VD_PKT_NDP;
	} else if (m.type == ICMP6_ECHO_REQUEST || m.type == ICMP6_ECHO_REPLY) {
		cur_be16(&c, &m.id);
		cur_be16(&c, &m.seq);
	} else if (m.type >= 1 && m.type <= 4) {
		/* Errors: 1 unreachable, 2 too big, 3 time exceeded, 4 param. */
		cur_be32(&c, &m.mtu);
		if (m.type != ICMP6_PACKET_TOO_BIG)
			m.mtu = 0;
		quoted_ipv6(c, &m);
	}
	out->icmp = m;
	out->flags |= VD_PKT_ICMP;
	return VD_DEC_OK;
}
