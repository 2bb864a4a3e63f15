/* SPDX-License-Identifier: MIT */
/*
 * DHCP (RFC 2131/2132) over BOOTP (RFC 951): the fixed part, then the
 * options after the magic cookie.  Option overload (52) is not followed:
 * the options we report are never moved into sname/file by the servers
 * we diagnose.
 */
#include <string.h>

#include "decode/decode.h"
#include "util/cursor.h"

#define BOOTP_FIXED 236 /* op .. file */

#define DHO_PAD		 0
#define DHO_ROUTERS	 3
#define DHO_DNS		 6
#define DHO_REQUESTED	 50
#define DHO_LEASE_TIME	 51
#define DHO_MESSAGE_TYPE 53
#define DHO_SERVER_ID	 54
#define DHO_END		 255

static const uint8_t magic_cookie[4] = { 99, 130, 83, 99 };

static bool cur_ip4(struct cur *c, struct vd_ip *ip)
{
	if (!cur_bytes(c, ip->b, 4))
		return false;
	ip->family = VD_AF_INET;
	return true;
}

/* An address option: exactly 4 bytes, or a list of them (first kept). */
static enum vd_dec opt_ip4(struct cur o, bool list, struct vd_ip *ip)
{
	if (o.left < 4 || (list ? o.left % 4 != 0 : o.left != 4))
		return VD_DEC_BAD;
	cur_ip4(&o, ip);
	return VD_DEC_OK;
}

static enum vd_dec option(uint8_t code, struct cur o, struct vd_dhcp_pkt *d)
{
	switch (code) {
	case DHO_MESSAGE_TYPE:
		if (o.left != 1)
			return VD_DEC_BAD;
		cur_u8(&o, &d->msgtype);
		return VD_DEC_OK;
	case DHO_LEASE_TIME:
		if (o.left != 4)
			return VD_DEC_BAD;
		cur_be32(&o, &d->lease_s);
		return VD_DEC_OK;
	case DHO_SERVER_ID:
		return opt_ip4(o, false, &d->server_id);
	case DHO_REQUESTED:
		return opt_ip4(o, false, &d->requested);
	case DHO_ROUTERS:
		return opt_ip4(o, true, &d->router);
	case DHO_DNS:
		return opt_ip4(o, true, &d->dns);
	}
	return VD_DEC_OK;
}

static enum vd_dec options(struct cur c, struct vd_dhcp_pkt *d)
{
	uint8_t code, len;
	enum vd_dec r;

	/* A missing END is tolerated: a short snaplen cuts it off. */
	while (cur_u8(&c, &code) && code != DHO_END) {
		if (code == DHO_PAD)
			continue;
		if (!cur_u8(&c, &len) || c.left < len)
			return VD_DEC_TRUNC;
		r = option(code, (struct cur){ c.p, len }, d);
		if (r != VD_DEC_OK)
			return r;
		cur_skip(&c, len);
	}
	return VD_DEC_OK;
}

static enum vd_dec bootp(struct cur c, struct vd_dhcp_pkt *d)
{
	uint8_t htype, hlen, cookie[4];
	uint16_t flags;

	if (!cur_u8(&c, &d->op) || !cur_u8(&c, &htype) || !cur_u8(&c, &hlen) ||
	    !cur_skip(&c, 1) || !cur_be32(&c, &d->xid) || !cur_skip(&c, 2) ||
	    !cur_be16(&c, &flags) || !cur_ip4(&c, &d->ciaddr) ||
	    !cur_ip4(&c, &d->yiaddr) || !cur_ip4(&c, &d->siaddr) ||
	    !cur_skip(&c, 4) || c.left < BOOTP_FIXED - 28)
		return VD_DEC_TRUNC;
	if (d->op != 1 && d->op != 2)
		return VD_DEC_BAD;
	d->broadcast = flags & 0x8000;
	if (htype == 1 && hlen == 6)
		memcpy(d->chaddr, c.p, 6);
	cur_skip(&c, BOOTP_FIXED - 28); /* chaddr, sname, file */
	/* Without the cookie it is plain BOOTP: no options, msgtype 0. */
	if (!cur_bytes(&c, cookie, 4) || memcmp(cookie, magic_cookie, 4) != 0)
		return VD_DEC_OK;
	return options(c, d);
}

enum vd_dec vd_decode_dhcp(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct vd_dhcp_pkt d;
	enum vd_dec r;

	memset(&d, 0, sizeof(d));
	r = bootp((struct cur){ p, n }, &d);
	if (r != VD_DEC_OK) {
		out->flags |= r == VD_DEC_TRUNC ? VD_PKT_TRUNC : VD_PKT_BAD;
		return r;
	}
	out->dhcp = d;
	out->flags |= VD_PKT_DHCP;
	return VD_DEC_OK;
}
