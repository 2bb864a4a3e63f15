/* SPDX-License-Identifier: MIT */
/*
 * iptables-save / ip6tables-save text into the firewall model:
 *
 *	*filter
 *	:INPUT DROP [0:0]
 *	:VMNET - [0:0]
 *	-A INPUT -i vmnet+ -j VMNET
 *	-A VMNET -s 192.168.159.0/24 -p tcp -m tcp --dport 80 -j ACCEPT
 *	COMMIT
 *
 * Each *table becomes a table of family ip (ip6) with iptables' name; the
 * built-in chains become base chains at the hooks and priorities the
 * kernel gives them, so the evaluator walks them like nft's.  Options the
 * model knows become matches; any other match module, or an option of a
 * known module the model does not hold, is kept whole as an unsupported
 * match ("-m limit --limit 3/min").  Target options are not kept.  The
 * rule's text is its -A line, its source the line number.  All or
 * nothing: the first error names its line and what was wrong.
 */
#include "collect/firewall/fwparse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facts/facts.h"
#include "util/ip.h"
#include "util/span.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#define WORDS_MAX 256

struct ctx {
	struct vd_fw_ruleset *rs;
	struct vd_fw_table *t; /* the open *table, NULL outside */
	uint8_t family;	       /* VD_FW_IP or VD_FW_IP6 */
	unsigned line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct ctx *c,
						      const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "line %u: %s", c->line, msg);
	return -EINVAL;
}

/* ---------------------------------------------------------------- */
/* Built-in chains: hook, priority and type per table. */

struct builtin {
	const char *table, *chain;
	uint8_t hook, type;
	int prio;
};

static const struct builtin builtins[] = {
	{ "raw", "PREROUTING", VD_FW_HOOK_PREROUTING, VD_FW_TYPE_FILTER, -300 },
	{ "raw", "OUTPUT", VD_FW_HOOK_OUTPUT, VD_FW_TYPE_FILTER, -300 },
	{ "mangle", "PREROUTING", VD_FW_HOOK_PREROUTING, VD_FW_TYPE_FILTER,
	  -150 },
	{ "mangle", "INPUT", VD_FW_HOOK_INPUT, VD_FW_TYPE_FILTER, -150 },
	{ "mangle", "FORWARD", VD_FW_HOOK_FORWARD, VD_FW_TYPE_FILTER, -150 },
	{ "mangle", "OUTPUT", VD_FW_HOOK_OUTPUT, VD_FW_TYPE_ROUTE, -150 },
	{ "mangle", "POSTROUTING", VD_FW_HOOK_POSTROUTING, VD_FW_TYPE_FILTER,
	  -150 },
	{ "nat", "PREROUTING", VD_FW_HOOK_PREROUTING, VD_FW_TYPE_NAT, -100 },
	{ "nat", "INPUT", VD_FW_HOOK_INPUT, VD_FW_TYPE_NAT, 100 },
	{ "nat", "OUTPUT", VD_FW_HOOK_OUTPUT, VD_FW_TYPE_NAT, -100 },
	{ "nat", "POSTROUTING", VD_FW_HOOK_POSTROUTING, VD_FW_TYPE_NAT, 100 },
	{ "filter", "INPUT", VD_FW_HOOK_INPUT, VD_FW_TYPE_FILTER, 0 },
	{ "filter", "FORWARD", VD_FW_HOOK_FORWARD, VD_FW_TYPE_FILTER, 0 },
	{ "filter", "OUTPUT", VD_FW_HOOK_OUTPUT, VD_FW_TYPE_FILTER, 0 },
	{ "security", "INPUT", VD_FW_HOOK_INPUT, VD_FW_TYPE_FILTER, 50 },
	{ "security", "FORWARD", VD_FW_HOOK_FORWARD, VD_FW_TYPE_FILTER, 50 },
	{ "security", "OUTPUT", VD_FW_HOOK_OUTPUT, VD_FW_TYPE_FILTER, 50 },
};

static const struct builtin *find_builtin(const char *table, const char *chain)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].table, table) &&
		    !strcmp(builtins[i].chain, chain))
			return &builtins[i];
	return NULL;
}

/* ---------------------------------------------------------------- */
/* Words: blank-separated, "quoted" with backslash escapes. */

/* Split the line (copied into buf, NUL-terminated) into words in place. */
static int split(struct ctx *c, char *buf, char **w, size_t *n)
{
	char *p = buf, *o;

	*n = 0;
	for (;;) {
		while (*p && vd_is_blank((uint8_t)*p))
			p++;
		if (!*p)
			return 0;
		if (*n == WORDS_MAX)
			return fail(c, "more than %d words", WORDS_MAX);
		w[(*n)++] = o = p;
		if (*p == '"') {
			/* The word becomes the string without its quotes. */
			for (p++;; p++) {
				if (!*p)
					return fail(c,
						    "a string is not closed");
				if (*p == '"')
					break;
				if (*p == '\\' && p[1])
					p++;
				*o++ = *p;
			}
			p++;
			if (*p && !vd_is_blank((uint8_t)*p))
				return fail(c, "text right after a string");
		} else {
			while (*p && !vd_is_blank((uint8_t)*p))
				*o++ = *p++;
		}
		if (*p)
			p++;
		*o = '\0';
	}
}

/* ---------------------------------------------------------------- */
/* Matches. */

static struct vd_fw_match *push_match(struct vd_fw_rule *r, uint8_t key,
				      bool neg)
{
	struct vd_fw_match *m = VD_PUSH(r, matches);

	if (m) {
		m->key = key;
		m->neg = neg;
	}
	return m;
}

static struct vd_fw_elem *push_elem(struct vd_fw_match *m)
{
	return VD_PUSH(m, elems);
}

/* words[from..to) as one unsupported match. */
static int unsupported(struct vd_fw_rule *r, bool neg, char **w, size_t from,
		       size_t to)
{
	struct vd_fw_match *m = push_match(r, VD_FWM_UNSUPPORTED, false);
	struct vd_strbuf sb = { 0 };

	if (!m)
		return -ENOMEM;
	if (neg)
		vd_sb_puts(&sb, "! ");
	for (size_t i = from; i < to; i++)
		vd_sb_printf(&sb, strchr(w[i], ' ') ? "%s\"%s\"" : "%s%s",
			     i > from ? " " : "", w[i]);
	m->text = vd_sb_take(&sb);
	return m->text ? 0 : -ENOMEM;
}

static int add_iface(struct ctx *c, struct vd_fw_rule *r, uint8_t key, bool neg,
		     const char *name)
{
	size_t len = strlen(name);
	struct vd_fw_match *m;
	struct vd_fw_elem *e;

	if (len == 0 || len >= VD_IFNAME_MAX)
		return fail(c, "interface name \"%.20s\" empty or too long",
			    name);
	if (!(m = push_match(r, key, neg)) || !(e = push_elem(m)))
		return -ENOMEM;
	e->wildcard = name[len - 1] == '+';
	memcpy(e->name, name, len - e->wildcard);
	return 0;
}

static int add_addr(struct ctx *c, struct vd_fw_rule *r, uint8_t key, bool neg,
		    const char *text)
{
	char buf[VD_IPSTR_MAX * 2];
	struct vd_ip ip, mask;
	uint8_t plen;
	char *slash;
	int ml = -1;
	struct vd_fw_match *m;
	struct vd_fw_elem *e;

	if (strlen(text) >= sizeof(buf))
		return fail(c, "address \"%.20s...\" too long", text);
	strcpy(buf, text);
	slash = strchr(buf, '/');
	if (slash && strchr(slash + 1, '.')) {
		/* A dotted netmask (iptables prints one when not
		 * contiguous... and then it cannot be a prefix). */
		*slash = '\0';
		if (vd_ip_parse(slash + 1, &mask) < 0 ||
		    (ml = vd_netmask_len(&mask)) < 0)
			return fail(c, "\"%s\" is not an address/mask", text);
		if (vd_ip_parse(buf, &ip) < 0)
			return fail(c, "\"%s\" is not an address", text);
		plen = (uint8_t)ml;
	} else if (vd_prefix_parse(buf, &ip, &plen) < 0) {
		return fail(c, "\"%s\" is not an address or prefix", text);
	}
	if ((c->family == VD_FW_IP) != (ip.family == VD_AF_INET))
		return fail(c, "\"%s\" is not an %s address", text,
			    c->family == VD_FW_IP ? "IPv4" : "IPv6");
	if (!(m = push_match(r, key, neg)) || !(e = push_elem(m)))
		return -ENOMEM;
	m->family = ip.family;
	vd_fw_elem_prefix(e, &ip, plen);
	return 0;
}

/* "80", "1024:65535", ":1023", "1024:"; a list when comma. */
static int add_ports(struct ctx *c, struct vd_fw_rule *r, uint8_t key, bool neg,
		     uint8_t proto, const char *text, bool comma)
{
	struct vd_fw_match *m = push_match(r, key, neg);
	const char *p = text;

	if (!m)
		return -ENOMEM;
	m->proto = proto;
	for (;;) {
		struct vd_fw_elem *e = push_elem(m);
		unsigned long lo = 0, hi = 65535;
		char *end;

		if (!e)
			return -ENOMEM;
		if (*p != ':') {
			if (*p < '0' || *p > '9')
				goto bad;
			lo = strtoul(p, &end, 10);
			p = end;
		}
		if (*p == ':') {
			p++;
			if (*p >= '0' && *p <= '9') {
				hi = strtoul(p, &end, 10);
				p = end;
			}
		} else {
			hi = lo;
		}
		if (lo > 65535 || hi > 65535 || lo > hi)
			goto bad;
		e->nlo = (uint32_t)lo;
		e->nhi = (uint32_t)hi;
		if (*p == ',' && comma) {
			p++;
			continue;
		}
		if (*p)
			goto bad;
		return 0;
	}
bad:
	return fail(c, "\"%s\" is not a port or port range", text);
}

/* "RELATED,ESTABLISHED"; 1 for a state the model does not hold (DNAT). */
static int add_ctstate(struct ctx *c, struct vd_fw_rule *r, bool neg,
		       const char *text)
{
	char buf[128], *tok, *save = NULL;
	unsigned mask = 0;
	struct vd_fw_match *m;
	struct vd_fw_elem *e;

	if (strlen(text) >= sizeof(buf) || !*text)
		return fail(c, "state list \"%.20s\" empty or too long", text);
	strcpy(buf, text);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned bit = vd_fw_ct_bit(tok);

		if (!bit)
			return 1;
		mask |= bit;
	}
	if (!(m = push_match(r, VD_FWM_CTSTATE, neg)) || !(e = push_elem(m)))
		return -ENOMEM;
	e->nlo = e->nhi = mask;
	return 0;
}

static bool is_opt(const char *w)
{
	return w[0] == '-' || !strcmp(w, "!");
}

/* The option words[i] and its arguments: up to the next option. */
static size_t opt_end(char **w, size_t n, size_t i)
{
	for (i++; i < n && !is_opt(w[i]); i++)
		;
	return i;
}

static const char *const terminal[] = { "ACCEPT",  "DROP",  "REJECT",
					"RETURN",  "QUEUE", "NFQUEUE",
					"DNAT",	   "SNAT",  "MASQUERADE",
					"REDIRECT" };
static const uint8_t terminal_v[] = {
	VD_FWV_ACCEPT, VD_FWV_DROP, VD_FWV_REJECT, VD_FWV_RETURN, VD_FWV_QUEUE,
	VD_FWV_QUEUE,  VD_FWV_NAT,  VD_FWV_NAT,	   VD_FWV_NAT,	  VD_FWV_NAT,
};

static int set_target(struct ctx *c, struct vd_fw_rule *r, const char *name,
		      bool go)
{
	if (strlen(name) >= VD_FW_NAME_MAX || !*name)
		return fail(c, "target \"%.20s\" empty or too long", name);
	if (vd_fw_chain_find(c->t, name)) {
		r->verdict = go ? VD_FWV_GOTO : VD_FWV_JUMP;
		strcpy(r->target, name);
		return 0;
	}
	if (go)
		return fail(c, "-g to chain \"%s\" that is not declared", name);
	for (size_t i = 0; i < sizeof(terminal) / sizeof(terminal[0]); i++)
		if (!strcmp(name, terminal[i])) {
			r->verdict = terminal_v[i];
			return 0;
		}
	if (!strcmp(name, "LOG") || !strcmp(name, "NFLOG") ||
	    !strcmp(name, "ULOG"))
		r->log = true;
	else if (name[0] < 'A' || name[0] > 'Z')
		return fail(c, "-j to chain \"%s\" that is not declared", name);
	/* Other targets (MARK, CHECKSUM, TCPMSS, CT...) go on. */
	return 0;
}

/* The options of one -A line after the chain name. */
static int parse_rule(struct ctx *c, struct vd_fw_rule *r, char **w, size_t n)
{
	const char *module = ""; /* the last -m, or the -p implicit one */
	uint8_t proto = 0;
	size_t i = 0;
	int rc;

	while (i < n) {
		bool neg = false;
		const char *o;
		size_t start = i, end;

		if (!strcmp(w[i], "!")) {
			neg = true;
			if (++i == n)
				return fail(c, "\"!\" at the end of the rule");
		}
		o = w[i];
		end = opt_end(w, n, i);
		if (o[0] != '-')
			return fail(c, "\"%s\" is not an option", o);
		if (!strcmp(o, "-j") || !strcmp(o, "--jump") ||
		    !strcmp(o, "-g") || !strcmp(o, "--goto")) {
			if (neg || end - i < 2)
				return fail(c, "%s without a target", o);
			rc = set_target(c, r, w[i + 1],
					o[1] == 'g' || o[2] == 'g');
			if (rc < 0)
				return rc;
			/* Target options (--reject-with, --log-prefix...). */
			for (i += 2; i < n && strcmp(w[i], "-j") &&
				     strcmp(w[i], "-g") && strcmp(w[i], "-m");
			     i++)
				;
			continue;
		}
		if (!strcmp(o, "-m") || !strcmp(o, "--match")) {
			if (neg || end - i != 2)
				return fail(c, "-m without a module name");
			module = w[i + 1];
			i = end;
			/* A module the model does not know, whole. */
			if (strcmp(module, "tcp") && strcmp(module, "udp") &&
			    strcmp(module, "sctp") &&
			    strcmp(module, "multiport") &&
			    strcmp(module, "conntrack") &&
			    strcmp(module, "state") &&
			    strcmp(module, "comment") &&
			    strcmp(module, "addrtype")) {
				while (i < n && strcmp(w[i], "-m") &&
				       strcmp(w[i], "-j") && strcmp(w[i], "-g"))
					i++;
				if ((rc = unsupported(r, false, w, start, i)) <
				    0)
					return rc;
			}
			continue;
		}
		if (end - i != 2) {
			/* Options without one argument (--syn, --log-uid):
			 * unknown to the model. */
			if ((rc = unsupported(r, neg, w, i, end)) < 0)
				return rc;
			i = end;
			continue;
		}
		if (!*module && !proto &&
		    (!strcmp(o, "--dport") || !strcmp(o, "--sport")))
			return fail(c, "a port match without -p");
		if (!strcmp(o, "-i") || !strcmp(o, "--in-interface"))
			rc = add_iface(c, r, VD_FWM_IIFNAME, neg, w[i + 1]);
		else if (!strcmp(o, "-o") || !strcmp(o, "--out-interface"))
			rc = add_iface(c, r, VD_FWM_OIFNAME, neg, w[i + 1]);
		else if (!strcmp(o, "-s") || !strcmp(o, "--source"))
			rc = add_addr(c, r, VD_FWM_SADDR, neg, w[i + 1]);
		else if (!strcmp(o, "-d") || !strcmp(o, "--destination"))
			rc = add_addr(c, r, VD_FWM_DADDR, neg, w[i + 1]);
		else if (!strcmp(o, "-p") || !strcmp(o, "--protocol")) {
			int p = vd_fw_proto_number(w[i + 1]);

			if (p < 0)
				return fail(c, "unknown protocol \"%s\"",
					    w[i + 1]);
			proto = (uint8_t)p;
			rc = 0;
			if (p) {
				struct vd_fw_match *m =
					push_match(r, VD_FWM_L4PROTO, neg);
				struct vd_fw_elem *e = m ? push_elem(m) : NULL;

				if (!e)
					return -ENOMEM;
				e->nlo = e->nhi = (uint32_t)p;
			}
		} else if ((!strcmp(o, "--dport") ||
			    !strcmp(o, "--destination-port") ||
			    !strcmp(o, "--sport") ||
			    !strcmp(o, "--source-port")) &&
			   (!strcmp(module, "tcp") || !strcmp(module, "udp") ||
			    !strcmp(module, "sctp") ||
			    (!*module &&
			     (proto == 6 || proto == 17 || proto == 132))))
			rc = add_ports(
				c, r, o[2] == 'd' ? VD_FWM_DPORT : VD_FWM_SPORT,
				neg, proto, w[i + 1], false);
		else if ((!strcmp(o, "--dports") ||
			  !strcmp(o, "--destination-ports") ||
			  !strcmp(o, "--sports") ||
			  !strcmp(o, "--source-ports")) &&
			 !strcmp(module, "multiport"))
			rc = add_ports(
				c, r, o[2] == 'd' ? VD_FWM_DPORT : VD_FWM_SPORT,
				neg, proto, w[i + 1], true);
		else if ((!strcmp(o, "--ctstate") &&
			  !strcmp(module, "conntrack")) ||
			 (!strcmp(o, "--state") && !strcmp(module, "state")))
			rc = add_ctstate(c, r, neg, w[i + 1]);
		else if (!strcmp(o, "--comment") &&
			 !strcmp(module, "comment")) {
			free(r->comment);
			r->comment = strdup(w[i + 1]);
			rc = r->comment ? 0 : -ENOMEM;
		} else if (!strcmp(o, "--dst-type") &&
			   !strcmp(module, "addrtype")) {
			struct vd_fw_match *m;
			struct vd_fw_elem *e;

			if (strlen(w[i + 1]) >= VD_IFNAME_MAX ||
			    strchr(w[i + 1], ','))
				rc = 1;
			else if (!(m = push_match(r, VD_FWM_FIB_DADDR_TYPE,
						  neg)) ||
				 !(e = push_elem(m)))
				return -ENOMEM;
			else {
				for (size_t k = 0; w[i + 1][k]; k++)
					e->name[k] = (char)(w[i + 1][k] | 0x20);
				rc = 0;
			}
		} else
			rc = 1;
		if (rc < 0)
			return rc;
		if (rc == 1 && (rc = unsupported(r, neg, w, i, end)) < 0)
			return rc;
		i = end;
	}
	/* Port options need -p tcp/udp; iptables itself refuses others. */
	for (size_t k = 0; k < r->n_matches; k++)
		if ((r->matches[k].key == VD_FWM_DPORT ||
		     r->matches[k].key == VD_FWM_SPORT) &&
		    r->matches[k].proto == 0)
			return fail(c, "a port match without -p");
	return 0;
}

/* ---------------------------------------------------------------- */
/* Lines. */

static int do_table(struct ctx *c, const char *name)
{
	if (c->t)
		return fail(c, "table \"%s\" starts before COMMIT of \"%s\"",
			    name, c->t->name);
	if (!*name || strlen(name) >= VD_FW_NAME_MAX)
		return fail(c, "table name empty or too long");
	if (vd_fw_table_find(c->rs, c->family, name))
		return fail(c, "table \"%s\" given twice", name);
	c->t = VD_PUSH(c->rs, tables);
	if (!c->t)
		return -ENOMEM;
	c->t->family = c->family;
	strcpy(c->t->name, name);
	return 0;
}

static int do_chain(struct ctx *c, char **w, size_t n)
{
	const struct builtin *b;
	struct vd_fw_chain *ch;
	const char *name = w[0] + 1;

	if (!c->t)
		return fail(c, "chain \"%s\" outside a *table", name);
	if (n < 2 || n > 3)
		return fail(c, "\":CHAIN POLICY [packets:bytes]\" expected");
	if (!*name || strlen(name) >= VD_FW_NAME_MAX)
		return fail(c, "chain name empty or too long");
	if (vd_fw_chain_find(c->t, name))
		return fail(c, "chain \"%s\" declared twice", name);
	ch = VD_PUSH(c->t, chains);
	if (!ch)
		return -ENOMEM;
	strcpy(ch->name, name);
	ch->policy = VD_FWV_ACCEPT;
	if (!strcmp(w[1], "-"))
		return 0;
	if (!strcmp(w[1], "DROP"))
		ch->policy = VD_FWV_DROP;
	else if (strcmp(w[1], "ACCEPT"))
		return fail(c, "policy \"%s\" is not ACCEPT, DROP or -", w[1]);
	b = find_builtin(c->t->name, name);
	if (b) {
		ch->hook = b->hook;
		ch->type = b->type;
		ch->priority = b->prio;
	}
	return 0;
}

static int do_append(struct ctx *c, char **w, size_t n, const char *text)
{
	struct vd_fw_chain *ch;
	struct vd_fw_rule *r;
	int rc;

	if (!c->t)
		return fail(c, "rule outside a *table");
	if (n < 2)
		return fail(c, "-A without a chain");
	ch = vd_fw_chain_find(c->t, w[1]);
	if (!ch)
		return fail(c, "chain \"%s\" is not declared", w[1]);
	r = VD_PUSH(ch, rules);
	if (!r)
		return -ENOMEM;
	r->line = c->line;
	r->position = ch->n_rules - 1;
	r->text = strdup(text);
	r->comment = strdup("");
	if (!r->text || !r->comment)
		return -ENOMEM;
	rc = parse_rule(c, r, w + 2, n - 2);
	return rc;
}

static int do_line(struct ctx *c, const struct vd_span *line, char **w)
{
	char *buf = vd_span_dup(line), *text = NULL;
	size_t n;
	int rc;

	if (!buf)
		return -ENOMEM;
	text = strdup(buf);
	if (!text) {
		free(buf);
		return -ENOMEM;
	}
	rc = split(c, buf, w, &n);
	if (rc < 0 || n == 0)
		goto out;
	if (w[0][0] == '#')
		goto out;
	if (w[0][0] == '*') {
		rc = n == 1 ? do_table(c, w[0] + 1)
			    : fail(c, "\"*table\" expected");
	} else if (w[0][0] == ':') {
		rc = do_chain(c, w, n);
	} else if (!strcmp(w[0], "-A") || !strcmp(w[0], "--append")) {
		rc = do_append(c, w, n, text);
	} else if (!strcmp(w[0], "COMMIT")) {
		if (!c->t)
			rc = fail(c, "COMMIT outside a *table");
		c->t = NULL;
	} else {
		rc = fail(c, "\"%.20s\" is not a table, chain, -A or COMMIT",
			  w[0]);
	}
out:
	free(text);
	free(buf);
	return rc;
}

int vd_fw_parse_iptables_save(const char *buf, size_t len, const char *file,
			      bool ip6, struct vd_fw_ruleset **out, char *err,
			      size_t errlen)
{
	struct ctx c = { .family = ip6 ? VD_FW_IP6 : VD_FW_IP,
			 .err = err,
			 .errlen = errlen };
	struct vd_span all = { (const uint8_t *)buf, len }, line;
	struct vd_lines lines;
	char **w;
	unsigned bad_line;
	int rc = 0;

	if (vd_span_binary(&all, &bad_line) < len) {
		snprintf(err, errlen, "line %u: binary data, not text",
			 bad_line);
		return -EINVAL;
	}
	w = malloc(WORDS_MAX * sizeof(*w));
	c.rs = vd_fw_ruleset_new();
	if (!w || !c.rs) {
		rc = -ENOMEM;
		goto out;
	}
	c.rs->source = VD_FW_SRC_IPTABLES_SAVE;
	snprintf(c.rs->file, sizeof(c.rs->file), "%s", file ? file : "");
	vd_lines_init(&lines, (const uint8_t *)buf, len);
	while (vd_lines_next(&lines, &line)) {
		c.line = lines.no;
		vd_span_trim(&line);
		if ((rc = do_line(&c, &line, w)) < 0)
			goto out;
	}
	if (c.t) {
		c.line = lines.no;
		rc = fail(&c, "table \"%s\" has no COMMIT", c.t->name);
		goto out;
	}
	if (c.rs->n_tables == 0) {
		snprintf(err, errlen, "no *table: not iptables-save output");
		rc = -EINVAL;
		goto out;
	}
	vd_fw_detect_frontends(c.rs);
	*out = c.rs;
	c.rs = NULL;
out:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	vd_fw_ruleset_free(c.rs);
	free(w);
	return rc;
}
