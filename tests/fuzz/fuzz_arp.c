/* SPDX-License-Identifier: MIT */
/* libFuzzer: ARP frames as they come off an AF_PACKET socket (probe/arp.c). */
#include <stddef.h>
#include <stdint.h>

#include "probe/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sha[6], spa[4];

	vd_arp_parse_answer(data, size, sha, spa);
	return 0;
}
