/* SPDX-License-Identifier: MIT */
/*
 * Link layers: Ethernet II with up to two 802.1Q/802.1ad tags, and Linux
 * cooked captures v1 (SLL, 16 bytes) and v2 (SLL2, 20 bytes).
 */
#include <string.h>

#include "decode/decode.h"
#include "util/cursor.h"

#define ETH_HLEN  14
#define SLL_HLEN  16
#define SLL2_HLEN 20
#define VLAN_MAX  2

static bool is_vlan_tpid(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100;
}

/*
 * Walk the tags from c (the ethertype field already read into type), then
 * hand the rest to the network layer.  libpcap puts the tags back into
 * cooked captures too, so SLL and SLL2 come here as well.
 */
static enum vd_dec walk_tags(struct cur *c, uint16_t type, struct vd_pkt *out)
{
	uint16_t tci;

	while (is_vlan_tpid(type)) {
		if (out->n_vlan == VLAN_MAX)
			return VD_DEC_BAD;
		if (!cur_be16(c, &tci) || !cur_be16(c, &type))
			return VD_DEC_TRUNC;
		out->vlan[out->n_vlan++] = tci & 0x0fff;
		out->flags |= VD_PKT_VLAN;
	}
	out->ethertype = type;
	return vd_decode_l3(c->p, c->left, out);
}

enum vd_dec vd_decode_eth(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	uint16_t type;

	if (n < ETH_HLEN)
		return VD_DEC_TRUNC;
	if (!cur_bytes(&c, out->dst_mac, 6) ||
	    !cur_bytes(&c, out->src_mac, 6) || !cur_be16(&c, &type))
		return VD_DEC_TRUNC;
	out->flags |= VD_PKT_ETH;
	return walk_tags(&c, type, out);
}

/* The link-layer address field: the sender's MAC when it is 6 bytes. */
static void sll_addr(const uint8_t addr[8], uint16_t len, struct vd_pkt *out)
{
	if (len == 6)
		memcpy(out->src_mac, addr, 6);
}

enum vd_dec vd_decode_sll(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	uint16_t pkttype, hatype, halen, proto;
	uint8_t addr[8];

	if (n < SLL_HLEN)
		return VD_DEC_TRUNC;
	if (!cur_be16(&c, &pkttype) || !cur_be16(&c, &hatype) ||
	    !cur_be16(&c, &halen) || !cur_bytes(&c, addr, sizeof(addr)) ||
	    !cur_be16(&c, &proto))
		return VD_DEC_TRUNC;
	sll_addr(addr, halen, out);
	out->flags |= VD_PKT_ETH;
	return walk_tags(&c, proto, out);
}

enum vd_dec vd_decode_sll2(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	uint16_t proto, reserved, hatype;
	uint32_t ifindex;
	uint8_t pkttype, halen, addr[8];

	if (n < SLL2_HLEN)
		return VD_DEC_TRUNC;
	if (!cur_be16(&c, &proto) || !cur_be16(&c, &reserved) ||
	    !cur_be32(&c, &ifindex) || !cur_be16(&c, &hatype) ||
	    !cur_u8(&c, &pkttype) || !cur_u8(&c, &halen) ||
	    !cur_bytes(&c, addr, sizeof(addr)))
		return VD_DEC_TRUNC;
	sll_addr(addr, halen, out);
	out->flags |= VD_PKT_ETH;
	return walk_tags(&c, proto, out);
}
