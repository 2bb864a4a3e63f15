/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: vd_decode over any frame.  The first byte chooses the link
 * type (six, and one unknown), the rest is the frame; after decoding, the
 * packet must be consistent with itself and with the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "decode/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t linktypes[] = {
	VD_LINK_ETHERNET, VD_LINK_SLL,	VD_LINK_SLL2,
	VD_LINK_RAW,	  VD_LINK_IPV4, VD_LINK_IPV6,
};

#define NLINK (sizeof(linktypes) / sizeof(linktypes[0]))

static void check(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *frame;
	size_t n;
	uint32_t linktype;
	struct vd_pkt p;
	uint32_t f;

	if (size < 1)
		return 0;
	frame = data + 1;
	n = size - 1;
	/* One value past the six: an unknown link type is BAD and no more. */
	linktype = data[0] % (NLINK + 1) < NLINK
			   ? linktypes[data[0] % (NLINK + 1)]
			   : 0xffff;
	vd_decode(linktype, frame, n, &p);
	f = p.flags;

	check(p.linktype == linktype);
	check(p.caplen == n);
	if (linktype == 0xffff)
		check(f == VD_PKT_BAD);
	check(p.n_vlan <= 2);
	check(!(f & VD_PKT_VLAN) == (p.n_vlan == 0));
	check(!(f & VD_PKT_VLAN) || (f & VD_PKT_ETH));
	for (unsigned i = 0; i < p.n_vlan; i++)
		check(p.vlan[i] <= 0x0fff);
	if (p.payload) {
		check(p.payload >= frame && p.payload_len <= n &&
		      (size_t)(p.payload - frame) <= n - p.payload_len);
	} else {
		check(p.payload_len == 0);
	}
	/* Exactly one network layer; transports need IP under them. */
	check(!((f & VD_PKT_IPV4) && (f & VD_PKT_IPV6)));
	check(!((f & VD_PKT_ARP) && (f & (VD_PKT_IPV4 | VD_PKT_IPV6))));
	if (f & (VD_PKT_TCP | VD_PKT_UDP | VD_PKT_ICMP | VD_PKT_FRAG))
		check(f & (VD_PKT_IPV4 | VD_PKT_IPV6));
	check(__builtin_popcount(f & (VD_PKT_TCP | VD_PKT_UDP | VD_PKT_ICMP)) <=
	      1);
	if (f & (VD_PKT_DHCP | VD_PKT_DNS))
		check(f & VD_PKT_UDP || f & VD_PKT_TCP);
	if (f & VD_PKT_NDP)
		check((f & VD_PKT_ICMP) && (f & VD_PKT_IPV6));
	if (f & VD_PKT_IPV4) {
		check(p.src.family == VD_AF_INET && p.dst.family == VD_AF_INET);
		check(p.ip_len >= 20);
	}
	if (f & VD_PKT_IPV6)
		check(p.src.family == VD_AF_INET6 &&
		      p.dst.family == VD_AF_INET6 && p.ip_len >= 40);
	/* A later fragment's bytes are not a transport header. */
	if (p.frag_off)
		check(!(f & (VD_PKT_TCP | VD_PKT_UDP | VD_PKT_ICMP)));
	check(p.frag_off % 8 == 0);
	if (f & VD_PKT_ARP)
		check(p.ethertype == 0x0806);
	check(!((f & VD_PKT_TRUNC) && (f & VD_PKT_BAD)));
	return 0;
}
