/* SPDX-License-Identifier: MIT */
/*
 * ICMP (RFC 792): echo id/seq, the next-hop MTU of frag-needed (RFC 1191),
 * and for errors the IPv4 header they quote with the first 8 bytes of its
 * payload (the TCP/UDP ports).  The quoted header is parsed here, not by
 * vd_decode_ipv4, which would overwrite the outer packet's fields.
 */
#include <string.h>

#include "decode/decode.h"
#include "util/cursor.h"

#define ICMP_ECHOREPLY	      0
#define ICMP_UNREACH	      3
#define ICMP_UNREACH_NEEDFRAG 4
#define ICMP_REDIRECT	      5
#define ICMP_ECHO	      8
#define ICMP_TIMXCEED	      11
#define ICMP_PARAMPROB	      12

/*
 * The quoted datagram is often cut short by the router; what cannot be
 * read is simply not reported (quoted stays false), the outer message is
 * still good.
 */
static void quoted_ipv4(struct cur c, struct vd_icmp_pkt *m)
{
	uint8_t vihl, proto;
	uint16_t frag;
	uint8_t src[4], dst[4];
	size_t hlen;

	if (!cur_u8(&c, &vihl) || vihl >> 4 != 4 || (vihl & 0xf) < 5)
		return;
	hlen = (size_t)(vihl & 0xf) * 4;
	if (!cur_skip(&c, 5) || !cur_be16(&c, &frag) || !cur_skip(&c, 1) ||
	    !cur_u8(&c, &proto) || !cur_skip(&c, 2) || !cur_bytes(&c, src, 4) ||
	    !cur_bytes(&c, dst, 4))
		return;
	m->quoted = true;
	m->q_proto = proto;
	m->q_src.family = VD_AF_INET;
	memcpy(m->q_src.b, src, 4);
	m->q_dst.family = VD_AF_INET;
	memcpy(m->q_dst.b, dst, 4);
	/* Ports only in a first fragment, after any IP options. */
	if ((proto == 6 || proto == 17) && (frag & 0x1fff) == 0 &&
	    cur_skip(&c, hlen - 20) && c.left >= 4) {
		cur_be16(&c, &m->q_sport);
		cur_be16(&c, &m->q_dport);
	}
}

enum vd_dec vd_decode_icmp(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	struct vd_icmp_pkt m;
	uint16_t hi, lo;

	memset(&m, 0, sizeof(m));
	if (!cur_u8(&c, &m.type) || !cur_u8(&c, &m.code) || !cur_skip(&c, 2) ||
	    !cur_be16(&c, &hi) || !cur_be16(&c, &lo)) {
		out->flags |= VD_PKT_TRUNC;
		return VD_DEC_TRUNC;
	}
	switch (m.type) {
	case ICMP_ECHOREPLY:
	case ICMP_ECHO:
		m.id = hi;
		m.seq = lo;
		break;
	case ICMP_UNREACH:
		if (m.code == ICMP_UNREACH_NEEDFRAG)
			m.mtu = lo;
		quoted_ipv4(c, &m);
		break;
	case ICMP_REDIRECT:
	case ICMP_TIMXCEED:
	case ICMP_PARAMPROB:
		quoted_ipv4(c, &m);
		break;
	default:
		break;
	}
	out->icmp = m;
	out->flags |= VD_PKT_ICMP;
	return VD_DEC_OK;
}
