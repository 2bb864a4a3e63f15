/* SPDX-License-Identifier: MIT */
/*
 * TCP (RFC 9293): ports, sequence numbers, flags, window, the MSS a SYN
 * offers, and the payload span.
 */
#include <string.h>

#include "decode/decode.h"
#include "util/cursor.h"

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2

/*
 * Options are advisory here: a malformed one ends the walk, it does not
 * make the segment bad (the kernel ignores what it cannot parse, too).
 */
static uint16_t syn_mss(struct cur c)
{
	uint8_t kind, len;
	uint16_t mss = 0;

	while (cur_u8(&c, &kind) && kind != TCPOPT_EOL) {
		if (kind == TCPOPT_NOP)
			continue;
		if (!cur_u8(&c, &len) || len < 2 || c.left < (size_t)len - 2)
			break;
		if (kind == TCPOPT_MSS && len == 4) {
			cur_be16(&c, &mss);
			return mss;
		}
		cur_skip(&c, (size_t)len - 2);
	}
	return 0;
}

enum vd_dec vd_decode_tcp(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	struct vd_tcp_pkt t;
	uint16_t sport, dport;
	uint8_t doff;
	size_t hlen;

	memset(&t, 0, sizeof(t));
	if (!cur_be16(&c, &sport) || !cur_be16(&c, &dport) ||
	    !cur_be32(&c, &t.seq) || !cur_be32(&c, &t.ack) ||
	    !cur_u8(&c, &doff) || !cur_u8(&c, &t.flags) ||
	    !cur_be16(&c, &t.window) || !cur_skip(&c, 4)) {
		out->flags |= VD_PKT_TRUNC;
		return VD_DEC_TRUNC;
	}
	hlen = (size_t)(doff >> 4) * 4;
	if (hlen < 20) {
		out->flags |= VD_PKT_BAD;
		return VD_DEC_BAD;
	}
	if (n < hlen) {
		out->flags |= VD_PKT_TRUNC;
		return VD_DEC_TRUNC;
	}
	if (t.flags & VD_TCP_SYN)
		t.mss = syn_mss((struct cur){ c.p, hlen - 20 });
	out->sport = sport;
	out->dport = dport;
	out->tcp = t;
	out->payload = p + hlen;
	out->payload_len = n - hlen;
	out->flags |= VD_PKT_TCP;
	return VD_DEC_OK;
}
