/* SPDX-License-Identifier: MIT */
/* A firewall ruleset's verdict for one flow; the semantics are in
 * fweval.h. */
#include "rules/fweval.h"

#include <errno.h>
#include <string.h>

#include "facts/facts.h"

/* The kernel refuses rulesets that jump deeper than this. */
#define STACK_MAX 16
/* Rules visited in one walk before it is declared endless. */
#define STEPS_MAX 1000000
/* May-match rules tried, each in a walk of its own. */
#define MAYBE_MAX 16

enum tri { T_NO = 0, T_YES, T_MAYBE };

struct walk {
	const struct vd_fw_flow *flow;
	const struct vd_fw_rule *force; /* a may-match rule taken as matching */
	struct vd_fw_ref maybe[MAYBE_MAX]; /* may-match rules seen, in order */
	const char *maybe_text[MAYBE_MAX];
	size_t n_maybe;
	unsigned long steps;
};

static bool has_port_proto(uint8_t proto, uint8_t l4)
{
	if (proto)
		return proto == l4;
	return l4 == 6 || l4 == 17 || l4 == 33 || l4 == 132 || l4 == 136;
}

static bool elem_has(const struct vd_fw_elem *e, uint8_t key,
		     const struct vd_fw_flow *fl, uint32_t num)
{
	switch (key) {
	case VD_FWM_IIFNAME:
		return vd_fw_elem_has_name(e, fl->iif);
	case VD_FWM_OIFNAME:
		return vd_fw_elem_has_name(e, fl->oif);
	case VD_FWM_SADDR:
		return vd_fw_elem_has_ip(e, &fl->saddr);
	case VD_FWM_DADDR:
		return vd_fw_elem_has_ip(e, &fl->daddr);
	case VD_FWM_CTSTATE:
	case VD_FWM_CTSTATUS:
		return (e->nlo & num) != 0;
	default:
		return e->nlo <= num && num <= e->nhi;
	}
}

/* Does the set's kind hold values of this key? */
static bool set_fits(const struct vd_fw_set *s, const struct vd_fw_match *m)
{
	switch (m->key) {
	case VD_FWM_IIFNAME:
	case VD_FWM_OIFNAME:
		return s->kind == VD_FWS_IFNAME;
	case VD_FWM_SADDR:
	case VD_FWM_DADDR:
		return s->kind ==
		       (m->family == VD_AF_INET6 ? VD_FWS_IPV6 : VD_FWS_IPV4);
	case VD_FWM_SPORT:
	case VD_FWM_DPORT:
		return s->kind == VD_FWS_PORT;
	case VD_FWM_L4PROTO:
		return s->kind == VD_FWS_PROTO;
	default:
		return false;
	}
}

static enum tri match_one(const struct vd_fw_table *t,
			  const struct vd_fw_match *m,
			  const struct vd_fw_flow *fl)
{
	const struct vd_fw_elem *elems = m->elems;
	size_t n = m->n_elems;
	uint32_t num = 0;
	bool hit = false;

	/* Implicit dependencies hold before any negation: "ip saddr !=
	 * 10.0.0.1" never matches an IPv6 packet. */
	switch (m->key) {
	case VD_FWM_UNSUPPORTED:
		return T_MAYBE;
	case VD_FWM_SADDR:
	case VD_FWM_DADDR:
		if (m->family != fl->family)
			return T_NO;
		break;
	case VD_FWM_L4PROTO:
		if (m->family && m->family != fl->family)
			return T_NO;
		num = fl->l4proto;
		break;
	case VD_FWM_SPORT:
	case VD_FWM_DPORT:
		if (!has_port_proto(m->proto, fl->l4proto))
			return T_NO;
		num = m->key == VD_FWM_SPORT ? fl->sport : fl->dport;
		break;
	case VD_FWM_CTSTATE:
		num = fl->ct ? fl->ct : VD_FW_CT_NEW;
		break;
	case VD_FWM_NFPROTO:
		num = fl->family;
		break;
	case VD_FWM_CTSTATUS:
		num = fl->ct_status;
		break;
	case VD_FWM_FIB_DADDR_TYPE:
		if (fl->daddr_local == VD_UNKNOWN)
			return T_MAYBE;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(elems[i].name, "local"))
				hit = true;
		if (!hit && fl->daddr_local == VD_NO)
			return T_MAYBE; /* broadcast, multicast...: unknown */
		if (fl->daddr_local == VD_NO)
			hit = false;
		return hit != m->neg ? T_YES : T_NO;
	default:
		break;
	}
	if (*m->set) {
		const struct vd_fw_set *s = vd_fw_set_find(t, m->set);

		if (!s || !set_fits(s, m))
			return T_MAYBE;
		elems = s->elems;
		n = s->n_elems;
	}
	for (size_t i = 0; i < n && !hit; i++)
		hit = elem_has(&elems[i], m->key, fl, num);
	return hit != m->neg ? T_YES : T_NO;
}

static enum tri match_rule(struct walk *w, const struct vd_fw_table *t,
			   const struct vd_fw_rule *r, const char **why)
{
	enum tri res = T_YES;

	for (size_t i = 0; i < r->n_matches; i++) {
		enum tri one = match_one(t, &r->matches[i], w->flow);

		if (one == T_NO)
			return T_NO;
		if (one == T_MAYBE && res == T_YES) {
			res = T_MAYBE;
			*why = r->matches[i].text ? r->matches[i].text
						  : "a set or type not known";
		}
	}
	return res;
}

static void note_maybe(struct walk *w, const struct vd_fw_table *t,
		       const struct vd_fw_chain *ch, const struct vd_fw_rule *r,
		       const char *why)
{
	if (r->verdict == VD_FWV_CONTINUE || w->n_maybe == MAYBE_MAX)
		return; /* a rule that only logs or counts decides nothing */
	for (size_t i = 0; i < w->n_maybe; i++)
		if (w->maybe[i].rule == r)
			return;
	w->maybe[w->n_maybe] = (struct vd_fw_ref){ t, ch, r };
	w->maybe_text[w->n_maybe++] = why;
}

struct frame {
	const struct vd_fw_chain *chain;
	size_t next;
};

/* One base chain to its end: ACCEPT, DROP, REJECT or QUEUE in *verdict,
 * the rule (or policy) in *by. */
static int run_chain(struct walk *w, const struct vd_fw_table *t,
		     const struct vd_fw_chain *base, uint8_t *verdict,
		     struct vd_fw_ref *by)
{
	struct frame stack[STACK_MAX];
	size_t depth = 0;
	const struct vd_fw_chain *ch = base;
	size_t pos = 0;

	for (;;) {
		const struct vd_fw_rule *r;
		const struct vd_fw_chain *to;
		const char *why = NULL;
		enum tri m;

		if (pos >= ch->n_rules) {
			if (depth == 0) {
				*verdict = ch->policy;
				*by = (struct vd_fw_ref){ t, ch, NULL };
				return 0;
			}
			depth--;
			ch = stack[depth].chain;
			pos = stack[depth].next;
			continue;
		}
		if (++w->steps > STEPS_MAX)
			return -ELOOP;
		r = &ch->rules[pos++];
		m = match_rule(w, t, r, &why);
		if (m == T_MAYBE) {
			if (r == w->force) {
				m = T_YES;
			} else {
				note_maybe(w, t, ch, r, why);
				continue;
			}
		}
		if (m == T_NO)
			continue;
		switch (r->verdict) {
		case VD_FWV_CONTINUE:
			break;
		case VD_FWV_ACCEPT:
		case VD_FWV_NAT:
			*verdict = VD_FWV_ACCEPT;
			*by = (struct vd_fw_ref){ t, ch, r };
			return 0;
		case VD_FWV_DROP:
		case VD_FWV_REJECT:
		case VD_FWV_QUEUE:
			*verdict = r->verdict;
			*by = (struct vd_fw_ref){ t, ch, r };
			return 0;
		case VD_FWV_RETURN:
			pos = ch->n_rules; /* pops, or the policy */
			break;
		case VD_FWV_JUMP:
		case VD_FWV_GOTO:
			to = vd_fw_chain_find(t, r->target);
			if (!to || to->hook != VD_FW_HOOK_NONE)
				break; /* the kernel would refuse it */
			if (r->verdict == VD_FWV_JUMP) {
				if (depth >= STACK_MAX)
					return -ELOOP;
				stack[depth++] = (struct frame){ ch, pos };
			} else if (depth == 0) {
				/* goto from the base chain: its policy still
				 * applies when the target returns. */
				if (depth >= STACK_MAX)
					return -ELOOP;
				stack[depth++] =
					(struct frame){ ch, ch->n_rules };
			}
			ch = to;
			pos = 0;
			break;
		}
	}
}

static bool family_sees(uint8_t table_family, uint8_t af)
{
	switch (table_family) {
	case VD_FW_INET:
		return true;
	case VD_FW_IP:
		return af == VD_AF_INET;
	case VD_FW_IP6:
		return af == VD_AF_INET6;
	default:
		return false;
	}
}

static int walk_hook(struct walk *w, const struct vd_fw_ruleset *rs,
		     uint8_t hook, uint8_t *verdict, struct vd_fw_ref *by)
{
	const struct vd_fw_chain *done_chain = NULL;
	int done_prio = 0;

	*verdict = VD_FWV_ACCEPT;
	*by = (struct vd_fw_ref){ NULL, NULL, NULL };
	/* Base chains by priority, ties in table then chain order: the
	 * next one is the lowest (prio, position) after the last run. */
	for (;;) {
		const struct vd_fw_table *nt = NULL;
		const struct vd_fw_chain *nc = NULL;
		bool past = done_chain == NULL;
		uint8_t v;
		struct vd_fw_ref r;
		int rc;

		for (size_t i = 0; i < rs->n_tables; i++) {
			const struct vd_fw_table *t = &rs->tables[i];

			if (!family_sees(t->family, w->flow->family))
				continue;
			for (size_t j = 0; j < t->n_chains; j++) {
				const struct vd_fw_chain *c = &t->chains[j];
				bool after;

				if (c == done_chain) {
					past = true;
					continue;
				}
				if (c->hook != hook ||
				    c->type == VD_FW_TYPE_NAT)
					continue;
				after = done_chain == NULL ||
					c->priority > done_prio ||
					(c->priority == done_prio && past);
				if (after &&
				    (!nc || c->priority < nc->priority)) {
					nt = t;
					nc = c;
				}
			}
		}
		if (!nc)
			return 0;
		rc = run_chain(w, nt, nc, &v, &r);
		if (rc < 0)
			return rc;
		*verdict = v;
		*by = r;
		if (v != VD_FWV_ACCEPT)
			return 0;
		done_chain = nc;
		done_prio = nc->priority;
	}
}

int vd_fw_eval_hook(const struct vd_fw_ruleset *rs,
		    const struct vd_fw_flow *flow, uint8_t hook,
		    struct vd_fw_result *out)
{
	struct walk w = { .flow = flow };
	struct vd_fw_result res = { .hook = hook };
	int rc;

	if (flow->family != VD_AF_INET && flow->family != VD_AF_INET6)
		return -EINVAL;
	rc = walk_hook(&w, rs, hook, &res.verdict, &res.by);
	if (rc < 0)
		return rc;
	/* The first may-match rule that, matching, changes the verdict. */
	for (size_t i = 0; i < w.n_maybe && !res.may; i++) {
		struct walk w2 = { .flow = flow, .force = w.maybe[i].rule };
		uint8_t v;
		struct vd_fw_ref by;

		rc = walk_hook(&w2, rs, hook, &v, &by);
		if (rc < 0)
			return rc;
		if (v != res.verdict) {
			res.may = true;
			res.may_rule = w.maybe[i];
			res.may_text = w.maybe_text[i];
			res.may_verdict = v;
			res.may_by = by;
		}
	}
	*out = res;
	return 0;
}

size_t vd_fw_path_hooks(enum vd_fw_path path, uint8_t hooks[2])
{
	switch (path) {
	case VD_FW_PATH_TO_HOST:
		hooks[0] = VD_FW_HOOK_INPUT;
		return 1;
	case VD_FW_PATH_FROM_HOST:
		hooks[0] = VD_FW_HOOK_OUTPUT;
		return 1;
	case VD_FW_PATH_ROUTED:
		hooks[0] = VD_FW_HOOK_FORWARD;
		return 1;
	case VD_FW_PATH_SELF:
		hooks[0] = VD_FW_HOOK_OUTPUT;
		hooks[1] = VD_FW_HOOK_INPUT;
		return 2;
	}
	return 0;
}

int vd_fw_eval_path(const struct vd_fw_ruleset *rs,
		    const struct vd_fw_flow *flow, enum vd_fw_path path,
		    struct vd_fw_result *out)
{
	uint8_t hooks[2];
	size_t n = vd_fw_path_hooks(path, hooks);
	struct vd_fw_result res = { 0 };

	for (size_t i = 0; i < n; i++) {
		int rc = vd_fw_eval_hook(rs, flow, hooks[i], &res);

		if (rc < 0)
			return rc;
		if (res.verdict != VD_FWV_ACCEPT || res.may)
			break;
	}
	*out = res;
	return 0;
}

void vd_fw_ref_describe(const struct vd_fw_ref *ref, struct vd_strbuf *sb)
{
	if (!ref->table || !ref->chain) {
		vd_sb_puts(sb, "no base chain");
		return;
	}
	vd_sb_printf(sb, "table %s %s chain %s",
		     vd_fw_family_name(ref->table->family), ref->table->name,
		     ref->chain->name);
	if (!ref->rule) {
		vd_sb_printf(sb, " policy %s",
			     vd_fw_verdict_name(ref->chain->policy));
		return;
	}
	if (ref->rule->line)
		vd_sb_printf(sb, " line %u", ref->rule->line);
	else
		vd_sb_printf(sb, " handle %llu",
			     (unsigned long long)ref->rule->handle);
	vd_sb_printf(sb, ": %s", ref->rule->text ? ref->rule->text : "");
}
