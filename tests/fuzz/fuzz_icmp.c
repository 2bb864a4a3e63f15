/* SPDX-License-Identifier: MIT */
/* libFuzzer: ICMP/ICMPv6 answers and raw IPv4 datagrams (probe/icmp.c). */
#include <stddef.h>
#include <stdint.h>

#include "probe/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_icmp_error err;
	struct vd_ip dst, src;
	uint16_t id, seq;
	size_t off, plen;

	for (int v6 = 0; v6 <= 1; v6++) {
		vd_icmp_parse(data, size, v6, &id, &seq, &err, &dst);
		vd_icmp_parse_echo_request(data, size, v6, &id, &seq);
	}
	if (vd_icmp_strip_ipv4(data, size, &src, &off, &plen) == 0 &&
	    off <= size && plen <= size - off)
		vd_icmp_parse(data + off, plen, 0, &id, &seq, &err, &dst);
	vd_icmp_checksum(data, size);
	return 0;
}
