/* SPDX-License-Identifier: MIT */
/*
 * DNS (RFC 1035): the header and the first question.  Names are followed
 * through compression pointers that must point backwards (so a chain
 * ends) and at most DNS_MAX_JUMPS times, and may not exceed 255 bytes on
 * the wire.  Answers are not walked yet.
 */
#include <string.h>

#include "decode/decode.h"
#include "util/cursor.h"

#define DNS_HDR_LEN   12
#define DNS_MAX_NAME  255
#define DNS_MAX_JUMPS 64

struct name_text {
	char *s;
	size_t len, cap; /* cap includes the NUL */
	bool cut;	 /* something did not fit: add nothing more */
};

/*
 * Presentation format (RFC 4343): '.' and '\' escaped with '\', other
 * bytes outside printable ASCII as \DDD.  A name of 255 wire bytes can
 * need four times that in text: what does not fit is cut at a whole
 * character, the name still decodes.
 */
static void text_put(struct name_text *t, const char *e, size_t n)
{
	if (t->cut || t->len + n >= t->cap) {
		t->cut = true;
		return;
	}
	memcpy(t->s + t->len, e, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void text_byte(struct name_text *t, uint8_t b)
{
	char e[4];
	size_t n;

	if (b == '.' || b == '\\') {
		e[0] = '\\';
		e[1] = (char)b;
		n = 2;
	} else if (b > 0x20 && b < 0x7f) {
		e[0] = (char)b;
		n = 1;
	} else {
		e[0] = '\\';
		e[1] = (char)('0' + b / 100);
		e[2] = (char)('0' + b / 10 % 10);
		e[3] = (char)('0' + b % 10);
		n = 4;
	}
	text_put(t, e, n);
}

/*
 * The name at msg[*off]; on success *off is past it (past the first
 * pointer if there is one).
 */
static enum vd_dec dns_name(const uint8_t *msg, size_t n, size_t *off,
			    struct name_text *t)
{
	struct cur c = { msg + *off, n - *off };
	size_t wire = 1, end = 0, i;
	unsigned jumps = 0;
	uint8_t len, lo;

	t->len = 0;
	t->cut = false;
	t->s[0] = '\0';
	for (;;) {
		size_t here = (size_t)(c.p - msg);

		if (!cur_u8(&c, &len))
			return VD_DEC_TRUNC;
		if (len == 0)
			break;
		if ((len & 0xc0) == 0xc0) {
			size_t to;

			if (!cur_u8(&c, &lo))
				return VD_DEC_TRUNC;
			to = (size_t)(len & 0x3f) << 8 | lo;
			if (to >= here || ++jumps > DNS_MAX_JUMPS)
				return VD_DEC_BAD;
			if (jumps == 1)
				end = (size_t)(c.p - msg);
			c = (struct cur){ msg + to, n - to };
			continue;
		}
		if (len & 0xc0) /* extended label types (RFC 6891) */
			return VD_DEC_BAD;
		wire += (size_t)len + 1;
		if (wire > DNS_MAX_NAME)
			return VD_DEC_BAD;
		if (c.left < len)
			return VD_DEC_TRUNC;
		if (wire > (size_t)len + 2) /* not the first label */
			text_put(t, ".", 1);
		for (i = 0; i < len; i++)
			text_byte(t, c.p[i]);
		cur_skip(&c, len);
	}
	if (t->len == 0 && t->cap > 1) {
		t->s[0] = '.';
		t->s[1] = '\0';
		t->len = 1;
	}
	*off = jumps ? end : (size_t)(c.p - msg);
	return VD_DEC_OK;
}

enum vd_dec vd_decode_dns(const uint8_t *p, size_t n, struct vd_pkt *out)
{
	struct cur c = { p, n };
	struct vd_dns_pkt d;
	struct name_text t;
	uint16_t flags;
	enum vd_dec r = VD_DEC_OK;
	size_t off = DNS_HDR_LEN;

	memset(&d, 0, sizeof(d));
	if (!cur_be16(&c, &d.id) || !cur_be16(&c, &flags) ||
	    !cur_be16(&c, &d.qdcount) || !cur_be16(&c, &d.ancount) ||
	    !cur_be16(&c, &d.nscount) || !cur_be16(&c, &d.arcount)) {
		r = VD_DEC_TRUNC;
		goto out;
	}
	d.response = flags & 0x8000;
	d.opcode = (flags >> 11) & 0xf;
	d.rcode = flags & 0xf;
	if (d.qdcount > 0) {
		t = (struct name_text){ d.qname, 0, sizeof(d.qname), false };
		r = dns_name(p, n, &off, &t);
		if (r != VD_DEC_OK)
			goto out;
		c = (struct cur){ p + off, n - off };
		if (!cur_be16(&c, &d.qtype) || !cur_be16(&c, &d.qclass)) {
			r = VD_DEC_TRUNC;
			goto out;
		}
	}
	out->dns = d;
	out->flags |= VD_PKT_DNS;
out:
	if (r != VD_DEC_OK)
		out->flags |= r == VD_DEC_TRUNC ? VD_PKT_TRUNC : VD_PKT_BAD;
	return r;
}
