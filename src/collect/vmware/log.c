/* SPDX-License-Identifier: MIT */
/*
 * VMware logs: the lines that say a known failure.  Any text log will do:
 * vmware.log in its three line styles
 *
 *	May 22 13:51:12.744: vcpu-0| VNET: ... can't open vmnet device (997)
 *	2016-08-02T09:27:30.822-05:00| vmx| I125: ...
 *	2023-12-05T17:42:40.666Z In(05) vmx - ...
 *
 * syslog or journal text (vmnet-dhcpd, vmnet-natd, vmnetBridge, kernel
 * /dev/vmnet and vmmon lines), /etc/init.d/vmware and vmware-networks
 * output, Windows logs (also UTF-16 with a byte order mark).  A line is
 * one hit, of the first kind below that it matches: each kind's strings
 * must appear in this order, ignoring case, the first one at the start of
 * a word.  The strings are the real ones quoted in the reference
 * (vmware-formats.md sections 5 and 6), except the four indicators the
 * scenario guide names (conflict IP address, Interface initialization
 * failed, Failed to initialize, Permission denied); three of those are
 * common outside VMware, so they count only on a VMware line (one that
 * names vmware, vmnet, vmmon, vmx, vmci, vmnat or vcpu-, or has the shape
 * of a vmware.log line).
 *
 *	module-signature  "Key was rejected by service"
 *	module-format     "Invalid module format"
 *	kernel-headers    "Kernel headers for version" .. "were not found"
 *	vmmon-open        "Could not open /dev/vmmon"
 *	module-not-loaded "Please make sure that the kernel module" .. "is loaded"
 *	vmci-open         "Failed to open device" .. "/dev/vmci"
 *	vmmon-init        "Failed to initialize monitor device"
 *	vmmon-start       "Virtual machine monitor" .. "failed" (init script)
 *	vmnet-start       "Virtual ethernet" .. "failed" (init script)
 *	vnet-connect      "Could not connect" .. "to virtual network"
 *	vnet-open         "can't open vmnet device"
 *	device-connect    "Failed to connect virtual device"
 *	bridge-down       "The network bridge on device" .. "is not running"
 *	bridge-link-down  "The network bridge on device" .. "is temporarily down"
 *	peer-process      "Cannot find a valid peer process",
 *	                  "Failed to connect to peer process"
 *	dhcp-start        "Failed to start DHCP service on vmnet"
 *	nat-start         "Failed to start NAT service on vmnet"
 *	adapter-enable    "Failed to enable hostonly virtual adapter"
 *	service-start     "Failed to start some/all services"
 *	service-status    "Some/All of the configured services are not running"
 *	bridge-status     "Bridge networking on vmnet" .. "is not running"
 *	dhcp-status       "DHCP service on vmnet" .. "is not running"
 *	nat-status        "NAT service on vmnet" .. "is not running"
 *	ip-conflict       "conflict IP address", "IP address conflict"
 *	iface-init        "Interface initialization failed" (VMware lines)
 *	init-failed       "Failed to initialize" (VMware lines)
 *	permission        "Permission denied" (VMware lines)
 *
 * One pass over each line finds where every kind's first string starts;
 * only kinds found there look for their other strings, so the work is
 * linear in the input.  At most 1000 hits a file; the count of the others
 * is the kv ("log", "hits_dropped").  A NUL byte in the first 4 KiB means
 * a binary file: -EINVAL.  Bytes in, facts out: no I/O.
 */
#include "collect/collect.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/span.h"
#include "util/utf8.h"

#define HITS_MAX     1000
#define TEXT_MAX     512
#define BINARY_PROBE 4096

struct log_rule {
	const char *kind;
	const char *parts[3]; /* lower case, in this order in the line */
	bool vmware_only;     /* counts only on a VMware line */
};

/* Most specific first: a line is a hit of the first rule it matches. */
static const struct log_rule rules[] = {
	{ "module-signature", { "key was rejected by service" } },
	{ "module-format", { "invalid module format" } },
	{ "kernel-headers",
	  { "kernel headers for version", "were not found" } },
	{ "vmmon-open", { "could not open /dev/vmmon" } },
	{ "module-not-loaded",
	  { "please make sure that the kernel module", "is loaded" } },
	{ "vmci-open", { "failed to open device", "/dev/vmci" } },
	{ "vmmon-init", { "failed to initialize monitor device" } },
	{ "vmmon-start", { "virtual machine monitor", "failed" } },
	{ "vmnet-start", { "virtual ethernet", "failed" } },
	{ "vnet-connect", { "could not connect", "to virtual network" } },
	{ "vnet-open", { "can't open vmnet device" } },
	{ "device-connect", { "failed to connect virtual device" } },
	{ "bridge-down", { "the network bridge on device", "is not running" } },
	{ "bridge-link-down",
	  { "the network bridge on device", "is temporarily down" } },
	{ "peer-process", { "cannot find a valid peer process" } },
	{ "peer-process", { "failed to connect to peer process" } },
	{ "dhcp-start", { "failed to start dhcp service on vmnet" } },
	{ "nat-start", { "failed to start nat service on vmnet" } },
	{ "adapter-enable", { "failed to enable hostonly virtual adapter" } },
	{ "service-start", { "failed to start some/all services" } },
	{ "service-status",
	  { "some/all of the configured services are not running" } },
	{ "bridge-status", { "bridge networking on vmnet", "is not running" } },
	{ "dhcp-status", { "dhcp service on vmnet", "is not running" } },
	{ "nat-status", { "nat service on vmnet", "is not running" } },
	{ "ip-conflict", { "conflict ip address" } },
	{ "ip-conflict", { "ip address conflict" } },
	{ "iface-init", { "interface initialization failed" }, true },
	{ "init-failed", { "failed to initialize" }, true },
	{ "permission", { "permission denied" }, true },
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

/* Words that make a line a VMware one (see vmware_line). */
static const char *const vmware_words[] = {
	"vmware", "vmnet", "vmmon", "vmx", "vmci", "vmnat", "vcpu-",
};

/* For each byte: 0 outside a word, 1 in a word, 2 + a letter that starts
 * some rule's first string (its bucket). */
struct matcher {
	uint8_t cls[256];
	uint8_t n_bucket[26];
	uint8_t bucket[26][N_RULES];
	size_t len0[N_RULES];
};

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(uint8_t c)
{
	return lower(c) >= 'a' && lower(c) <= 'z';
}

static void matcher_init(struct matcher *m)
{
	memset(m, 0, sizeof(*m));
	for (int c = 0; c < 256; c++)
		if (is_digit((uint8_t)c) || is_alpha((uint8_t)c))
			m->cls[c] = 1;
	for (size_t r = 0; r < N_RULES; r++) {
		int b = rules[r].parts[0][0] - 'a';

		m->len0[r] = strlen(rules[r].parts[0]);
		m->bucket[b][m->n_bucket[b]++] = (uint8_t)r;
		m->cls[b + 'a'] = m->cls[b + 'A'] = (uint8_t)(2 + b);
	}
}

/* Does s (n bytes) start with the lower-case word (len bytes)? */
static bool ieq_at(const uint8_t *s, size_t n, const char *word, size_t len)
{
	if (n < len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (lower(s[i]) != (uint8_t)word[i])
			return false;
	return true;
}

/* Where word (lower case) ends in s after from, or 0 when absent. */
static size_t ifind(const struct vd_span *s, size_t from, const char *word)
{
	size_t len = strlen(word);

	for (size_t i = from; i + len <= s->n; i++)
		if (lower(s->p[i]) == (uint8_t)word[0] &&
		    ieq_at(s->p + i, s->n - i, word, len))
			return i + len;
	return 0;
}

/* Does s start with shape: '9' a digit, '_' a digit or a space, 'A' a
 * letter, anything else itself?  Then skip it. */
static bool skip_shape(struct vd_span *s, const char *shape)
{
	size_t n = strlen(shape);

	if (s->n < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s->p[i];
		bool ok;

		switch (shape[i]) {
		case '9':
			ok = is_digit(c);
			break;
		case '_':
			ok = is_digit(c) || c == ' ';
			break;
		case 'A':
			ok = is_alpha(c);
			break;
		default:
			ok = c == (uint8_t)shape[i];
		}
		if (!ok)
			return false;
	}
	s->p += n;
	s->n -= n;
	return true;
}

static void skip_fraction(struct vd_span *s)
{
	if (s->n > 1 && s->p[0] == '.' && is_digit(s->p[1]))
		do {
			s->p++;
			s->n--;
		} while (s->n > 0 && is_digit(s->p[0]));
}

/* A vmware.log line: "May 22 13:51:12.744: vcpu-0| ",
 * "2016-08-02T09:27:30.822-05:00| vmx| " or
 * "2023-12-05T17:42:40.666Z In(05) vmx ". */
static bool vmware_log_shape(struct vd_span s)
{
	if (skip_shape(&s, "9999-99-99T99:99:99")) {
		skip_fraction(&s);
		if (!skip_shape(&s, "Z") && !skip_shape(&s, "+99:99"))
			(void)skip_shape(&s, "-99:99");
		return skip_shape(&s, "|") || skip_shape(&s, " AA(99) ");
	}
	if (!skip_shape(&s, "AAA _9 99:99:99"))
		return false;
	skip_fraction(&s);
	if (!skip_shape(&s, ": "))
		return false;
	for (size_t i = 0; i < s.n && s.p[i] != ' '; i++)
		if (s.p[i] == '|')
			return i > 0;
	return false;
}

static bool vmware_line(const struct vd_span *s)
{
	for (size_t i = 0; i < sizeof(vmware_words) / sizeof(vmware_words[0]);
	     i++)
		if (ifind(s, 0, vmware_words[i]))
			return true;
	return vmware_log_shape(*s);
}

/* The rule line matches, or -1. */
static int match_line(const struct matcher *m, const struct vd_span *line)
{
	size_t end0[N_RULES];
	bool found[N_RULES] = { false };
	bool in_word = false, any = false;

	for (size_t i = 0; i < line->n; i++) {
		uint8_t k = m->cls[line->p[i]];

		if (k >= 2 && !in_word) {
			uint8_t b = (uint8_t)(k - 2);

			for (uint8_t j = 0; j < m->n_bucket[b]; j++) {
				uint8_t r = m->bucket[b][j];

				if (found[r] ||
				    !ieq_at(line->p + i, line->n - i,
					    rules[r].parts[0], m->len0[r]))
					continue;
				found[r] = any = true;
				end0[r] = i + m->len0[r];
			}
		}
		in_word = k != 0;
	}
	if (!any)
		return -1;
	for (size_t r = 0; r < N_RULES; r++) {
		size_t at;

		if (!found[r])
			continue;
		at = end0[r];
		for (size_t j = 1; j < 3 && rules[r].parts[j] && at; j++)
			at = ifind(line, at, rules[r].parts[j]);
		if (at && (!rules[r].vmware_only || vmware_line(line)))
			return (int)r;
	}
	return -1;
}

static int add_hit(struct vd_vmware *out, const char *kind,
		   const struct vd_span *line, struct vd_src src)
{
	size_t cap = (line->n < TEXT_MAX ? line->n : TEXT_MAX) + 1;
	struct vd_log_hit *h;
	char *text = malloc(cap);

	if (!text)
		return -ENOMEM;
	/* cut on a character boundary, not inside one, and trimmed again */
	vd_text_copy(text, cap, line->p, line->n);
	for (size_t n = strlen(text);
	     n > 0 && vd_is_blank((uint8_t)text[n - 1]);)
		text[--n] = '\0';
	h = VD_PUSH(out, log_hits);
	if (!h) {
		free(text);
		return -ENOMEM;
	}
	snprintf(h->kind, sizeof(h->kind), "%s", kind);
	h->text = text;
	h->src = src;
	return 0;
}

static void put_utf8(uint8_t **q, unsigned c)
{
	uint8_t *o = *q;

	if (c < 0x80) {
		*o++ = (uint8_t)c;
	} else if (c < 0x800) {
		*o++ = (uint8_t)(0xc0 | c >> 6);
		*o++ = (uint8_t)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*o++ = (uint8_t)(0xe0 | c >> 12);
		*o++ = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		*o++ = (uint8_t)(0x80 | (c & 0x3f));
	} else {
		*o++ = (uint8_t)(0xf0 | c >> 18);
		*o++ = (uint8_t)(0x80 | (c >> 12 & 0x3f));
		*o++ = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		*o++ = (uint8_t)(0x80 | (c & 0x3f));
	}
	*q = o;
}

/*
 * Windows tools write logs in UTF-16 with a byte order mark (PowerShell's
 * Out-File): the text as UTF-8 in *text (to free), unpaired surrogates
 * as '?'.  0 when buf is not that; -ENOMEM.
 */
static int utf16_text(const uint8_t *buf, size_t len, uint8_t **text, size_t *n)
{
	size_t units;
	bool be;
	uint8_t *q;

	*text = NULL;
	if (len < 2 || !((buf[0] == 0xff && buf[1] == 0xfe) ||
			 (buf[0] == 0xfe && buf[1] == 0xff)))
		return 0;
	be = buf[0] == 0xfe;
	buf += 2;
	units = len / 2 - 1;
	if (units > (SIZE_MAX - 1) / 3)
		return -ENOMEM;
	*text = q = malloc(units * 3 + 1);
	if (!q)
		return -ENOMEM;
	for (size_t i = 0; i < units; i++) {
		const uint8_t *u = buf + 2 * i;
		unsigned c = be ? (unsigned)(u[0] << 8 | u[1])
				: (unsigned)(u[1] << 8 | u[0]);

		if (c >= 0xd800 && c <= 0xdbff && i + 1 < units) {
			unsigned d = be ? (unsigned)(u[2] << 8 | u[3])
					: (unsigned)(u[3] << 8 | u[2]);

			if (d >= 0xdc00 && d <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (d - 0xdc00);
				i++;
			}
		}
		put_utf8(&q, c >= 0xd800 && c <= 0xdfff ? '?' : c);
	}
	*n = (size_t)(q - *text);
	return 0;
}

int vd_parse_vmware_log(const uint8_t *buf, size_t len, const char *file,
			struct vd_vmware *out, char *err, size_t errlen)
{
	struct vd_vmware_mark mark;
	struct matcher m;
	struct vd_lines lines;
	struct vd_span line;
	uint8_t *text = NULL;
	const uint8_t *nul;
	size_t dropped = 0, hits = 0;
	int rc, fidx;

	if (!buf)
		len = 0;
	rc = utf16_text(buf, len, &text, &len);
	if (rc < 0)
		return rc;
	if (text)
		buf = text;
	nul = len ? memchr(buf, '\0', len < BINARY_PROBE ? len : BINARY_PROBE)
		  : NULL;
	if (nul) {
		if (err && errlen > 0)
			snprintf(err, errlen,
				 "not a text log: NUL byte at offset %zu",
				 (size_t)(nul - buf));
		free(text);
		return -EINVAL;
	}
	fidx = vd_vmware_file(out, file ? file : "log");
	if (fidx < 0) {
		free(text);
		return fidx;
	}
	vd_vmware_mark(out, &mark);
	matcher_init(&m);
	vd_lines_init(&lines, buf, len);
	while (vd_lines_next(&lines, &line)) {
		int r;

		vd_span_trim(&line);
		r = match_line(&m, &line);
		if (r < 0)
			continue;
		if (hits == HITS_MAX) {
			dropped++;
			continue;
		}
		hits++;
		rc = add_hit(out, rules[r].kind, &line,
			     (struct vd_src){ fidx, lines.no });
		if (rc < 0)
			goto fail;
	}
	if (dropped > 0) {
		char count[24];

		snprintf(count, sizeof(count), "%zu", dropped);
		rc = vd_vmware_kv_add(out, "log", "hits_dropped", count,
				      (struct vd_src){ fidx, 0 });
		if (rc < 0)
			goto fail;
	}
	free(text);
	return 0;
fail:
	vd_vmware_rollback(out, &mark);
	free(text);
	return rc;
}
