/* SPDX-License-Identifier: MIT */
#include "facts/format.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "facts/names.h"
#include "util/ip.h"

/* Append to a fixed buffer, truncating safely. */
struct out {
	char *buf;
	size_t len, o;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *w,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->o >= w->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->o, w->len - w->o, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->o += (size_t)n;
}

const char *vd_fmt_link(const struct vd_facts *f, const struct vd_link *l,
			char *buf, size_t len)
{
	struct out w = { buf, len, 0 };
	char flags[256], mac[VD_MACSTR_MAX], tmp[32];
	const char *state = vd_name_of(vd_oper_names, l->oper);

	buf[0] = '\0';
	put(&w, "%s: <%s> mtu %u", l->name,
	    vd_flags_str(vd_iff_names, l->flags, ",", flags, sizeof(flags)),
	    l->mtu);
	if (l->master)
		put(&w, " master %s",
		    vd_facts_ifname(f, l->master, tmp, sizeof(tmp)));
	put(&w, " state %s", state ? state : "UNKNOWN");
	if (l->kind[0])
		put(&w, " (%s", l->kind);
	if (l->kind[0] && l->vlan_id >= 0 && strcmp(l->kind, "vlan") == 0)
		put(&w, " id %d", l->vlan_id);
	if (l->kind[0] && l->parent && !l->parent_other_ns)
		put(&w, " on %s",
		    vd_facts_ifname(f, l->parent, tmp, sizeof(tmp)));
	if (l->kind[0])
		put(&w, ")");
	if (l->mac_len)
		put(&w, " link/ether %s",
		    vd_mac_str(l->mac, l->mac_len, mac, sizeof(mac)));
	return buf;
}

const char *vd_fmt_addr(const struct vd_facts *f, const struct vd_addr *a,
			char *buf, size_t len)
{
	struct out w = { buf, len, 0 };
	char ip[VD_IPSTR_MAX], flags[160], tmp[32];
	const char *scope = vd_name_of(vd_scope_names, a->scope);

	buf[0] = '\0';
	put(&w, "%s: %s %s/%u",
	    vd_facts_ifname(f, a->ifindex, tmp, sizeof(tmp)),
	    a->ip.family == VD_AF_INET6 ? "inet6" : "inet",
	    vd_ip_str(&a->ip, ip, sizeof(ip)), a->prefixlen);
	if (scope)
		put(&w, " scope %s", scope);
	else
		put(&w, " scope %u", a->scope);
	if (a->flags)
		put(&w, " %s",
		    vd_flags_str(vd_ifa_flag_names, a->flags, " ", flags,
				 sizeof(flags)));
	return buf;
}

const char *vd_fmt_route(const struct vd_facts *f, const struct vd_route *r,
			 char *buf, size_t len)
{
	struct out w = { buf, len, 0 };
	char p[VD_IPSTR_MAX], tmp[32];
	const char *s;

	buf[0] = '\0';
	if (r->type != VD_RTN_UNICAST) {
		s = vd_name_of(vd_rtn_names, r->type);
		put(&w, "%s ", s ? s : "type?");
	}
	put(&w, "%s", vd_prefix_str(&r->dst, r->dst_len, p, sizeof(p)));
	if (r->gateway.family)
		put(&w, " via %s", vd_ip_str(&r->gateway, p, sizeof(p)));
	if (r->oif)
		put(&w, " dev %s",
		    vd_facts_ifname(f, r->oif, tmp, sizeof(tmp)));
	s = vd_name_of(vd_rtprot_names, r->protocol);
	if (s && r->protocol != 3)
		put(&w, " proto %s", s);
	else if (!s)
		put(&w, " proto %u", r->protocol);
	if (r->scope != VD_SCOPE_UNIVERSE) {
		s = vd_name_of(vd_scope_names, r->scope);
		if (s)
			put(&w, " scope %s", s);
		else
			put(&w, " scope %u", r->scope);
	}
	if (r->prefsrc.family)
		put(&w, " src %s", vd_ip_str(&r->prefsrc, p, sizeof(p)));
	if (r->metric)
		put(&w, " metric %u", r->metric);
	if (r->nh_flags & VD_RTNH_F_LINKDOWN)
		put(&w, " linkdown");
	if (r->table != VD_RT_TABLE_MAIN)
		put(&w, " table %s", vd_table_str(r->table, tmp, sizeof(tmp)));
	return buf;
}

const char *vd_fmt_rule(const struct vd_rule *r, char *buf, size_t len)
{
	struct out w = { buf, len, 0 };
	char p[VD_IPSTR_MAX], tmp[32];
	const char *act = vd_name_of(vd_rule_action_names, r->action);

	buf[0] = '\0';
	put(&w, "%u:", r->priority);
	if (r->invert)
		put(&w, " not");
	if (r->src_len)
		put(&w, " from %s",
		    vd_prefix_str(&r->src, r->src_len, p, sizeof(p)));
	else
		put(&w, " from all");
	if (r->dst_len)
		put(&w, " to %s",
		    vd_prefix_str(&r->dst, r->dst_len, p, sizeof(p)));
	if (r->fwmark || r->fwmask)
		put(&w, " fwmark 0x%x/0x%x", r->fwmark, r->fwmask);
	if (r->iif[0])
		put(&w, " iif %s", r->iif);
	if (r->oif[0])
		put(&w, " oif %s", r->oif);
	if (r->has_uidrange)
		put(&w, " uidrange");
	if (r->action == VD_FR_ACT_TO_TBL)
		put(&w, " lookup %s", vd_table_str(r->table, tmp, sizeof(tmp)));
	else
		put(&w, " %s", act ? act : "action?");
	if (r->suppress_prefixlen >= 0)
		put(&w, " suppress_prefixlength %d", r->suppress_prefixlen);
	return buf;
}
