/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: IPv4 packets as a SOCK_DGRAM packet socket hands them to the
 * DHCP probe (probe/dhcp.c).  Each input is parsed twice: against a fixed
 * xid and MAC, and against the xid and chaddr found where the input's own
 * BOOTP header would hold them, so the fuzzer gets past "not ours" and
 * into the options.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "probe/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x02, 0x5a, 0x11, 0x22, 0x33, 0x44 };
	struct vd_dhcp_offer of;
	size_t bootp;

	vd_dhcp_parse_offer(data, size, 0x12345678u, mac, &of);
	if (size < 1)
		return 0;
	bootp = (size_t)(data[0] & 0xf) * 4 + 8;
	if (bootp + 34 <= size) {
		const uint8_t *b = data + bootp;
		uint32_t xid = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 |
			       (uint32_t)b[6] << 8 | b[7];
		uint8_t chaddr[6];

		memcpy(chaddr, b + 28, 6);
		vd_dhcp_parse_offer(data, size, xid, chaddr, &of);
	}
	return 0;
}
