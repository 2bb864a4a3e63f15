/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer: the transport and application decoders one at a time
 * (decode/icmp.c, icmp6.c, tcp.c, udp.c, dhcp.c, dns.c).  The first byte
 * chooses the decoder, the rest is its input; fuzz_decode covers them
 * again behind the link and network layers.  VD_FUZZ_DECODER=NAME
 * (icmp, icmp6, tcp, udp, dhcp, dns) fuzzes one decoder alone.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

typedef enum vd_dec (*decoder)(const uint8_t *, size_t, struct vd_pkt *);

static const decoder decoders[] = {
	vd_decode_icmp, vd_decode_icmp6, vd_decode_tcp,
	vd_decode_udp,	vd_decode_dhcp,	 vd_decode_dns,
};

static const char *const names[] = { "icmp", "icmp6", "tcp",
				     "udp",  "dhcp",  "dns" };
static int only = -1; /* VD_FUZZ_DECODER=tcp: that decoder alone */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *want = getenv("VD_FUZZ_DECODER");

	(void)argc;
	(void)argv;
	for (int i = 0; want && i < 6; i++)
		if (strcmp(want, names[i]) == 0)
			only = i;
	if (want && only < 0)
		abort(); /* a name this harness does not know */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vd_pkt pkt;
	enum vd_dec r;

	if (size < 1)
		return 0;
	memset(&pkt, 0, sizeof(pkt));
	r = decoders[only >= 0 ? only : data[0] % 6](data + 1, size - 1, &pkt);
	/* What the decoders promise, checked on every input. */
	if (r != VD_DEC_OK && r != VD_DEC_TRUNC && r != VD_DEC_BAD)
		abort();
	if (r == VD_DEC_TRUNC && !(pkt.flags & VD_PKT_TRUNC))
		abort();
	if (r == VD_DEC_BAD && !(pkt.flags & VD_PKT_BAD))
		abort();
	if (pkt.payload && (pkt.payload < data + 1 ||
			    pkt.payload + pkt.payload_len > data + size))
		abort();
	if (memchr(pkt.dns.qname, '\0', sizeof(pkt.dns.qname)) == NULL)
		abort();
	return 0;
}
