/* SPDX-License-Identifier: MIT */
#include "facts/names.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "facts/facts.h"

const struct vd_name vd_iff_names[] = {
	{ VD_IFF_UP, "UP" },
	{ VD_IFF_BROADCAST, "BROADCAST" },
	{ VD_IFF_DEBUG, "DEBUG" },
	{ VD_IFF_LOOPBACK, "LOOPBACK" },
	{ VD_IFF_POINTOPOINT, "POINTOPOINT" },
	{ VD_IFF_NOTRAILERS, "NOTRAILERS" },
	{ VD_IFF_RUNNING, "RUNNING" },
	{ VD_IFF_NOARP, "NOARP" },
	{ VD_IFF_PROMISC, "PROMISC" },
	{ VD_IFF_ALLMULTI, "ALLMULTI" },
	{ VD_IFF_MASTER, "MASTER" },
	{ VD_IFF_SLAVE, "SLAVE" },
	{ VD_IFF_MULTICAST, "MULTICAST" },
	{ VD_IFF_PORTSEL, "PORTSEL" },
	{ VD_IFF_AUTOMEDIA, "AUTOMEDIA" },
	{ VD_IFF_DYNAMIC, "DYNAMIC" },
	{ VD_IFF_LOWER_UP, "LOWER_UP" },
	{ VD_IFF_DORMANT, "DORMANT" },
	{ VD_IFF_ECHO, "ECHO" },
	{ 0, NULL },
};

const struct vd_name vd_ifa_flag_names[] = {
	{ VD_IFA_F_SECONDARY, "secondary" },
	{ VD_IFA_F_NODAD, "nodad" },
	{ VD_IFA_F_OPTIMISTIC, "optimistic" },
	{ VD_IFA_F_DADFAILED, "dadfailed" },
	{ VD_IFA_F_HOMEADDRESS, "home" },
	{ VD_IFA_F_DEPRECATED, "deprecated" },
	{ VD_IFA_F_TENTATIVE, "tentative" },
	{ VD_IFA_F_PERMANENT, "permanent" },
	{ VD_IFA_F_MANAGETEMPADDR, "mngtmpaddr" },
	{ VD_IFA_F_NOPREFIXROUTE, "noprefixroute" },
	{ VD_IFA_F_MCAUTOJOIN, "autojoin" },
	{ VD_IFA_F_STABLE_PRIVACY, "stable-privacy" },
	{ 0, NULL },
};

const struct vd_name vd_oper_names[] = {
	{ VD_OPER_UNKNOWN, "UNKNOWN" },
	{ VD_OPER_NOTPRESENT, "NOTPRESENT" },
	{ VD_OPER_DOWN, "DOWN" },
	{ VD_OPER_LOWERLAYERDOWN, "LOWERLAYERDOWN" },
	{ VD_OPER_TESTING, "TESTING" },
	{ VD_OPER_DORMANT, "DORMANT" },
	{ VD_OPER_UP, "UP" },
	{ 0, NULL },
};

const struct vd_name vd_rtn_names[] = {
	{ VD_RTN_UNSPEC, "none" },
	{ VD_RTN_UNICAST, "unicast" },
	{ VD_RTN_LOCAL, "local" },
	{ VD_RTN_BROADCAST, "broadcast" },
	{ VD_RTN_ANYCAST, "anycast" },
	{ VD_RTN_MULTICAST, "multicast" },
	{ VD_RTN_BLACKHOLE, "blackhole" },
	{ VD_RTN_UNREACHABLE, "unreachable" },
	{ VD_RTN_PROHIBIT, "prohibit" },
	{ VD_RTN_THROW, "throw" },
	{ VD_RTN_NAT, "nat" },
	{ VD_RTN_XRESOLVE, "xresolve" },
	{ 0, NULL },
};

/* As in iproute2's rt_protos. */
const struct vd_name vd_rtprot_names[] = {
	{ 0, "unspec" },  { 1, "redirect" },  { 2, "kernel" },
	{ 3, "boot" },	  { 4, "static" },    { 8, "gated" },
	{ 9, "ra" },	  { 10, "mrt" },      { 11, "zebra" },
	{ 12, "bird" },	  { 13, "dnrouted" }, { 14, "xorp" },
	{ 15, "ntk" },	  { 16, "dhcp" },     { 18, "keepalived" },
	{ 42, "babel" },  { 99, "openr" },    { 186, "bgp" },
	{ 187, "isis" },  { 188, "ospf" },    { 189, "rip" },
	{ 192, "eigrp" }, { 0, NULL },
};

const struct vd_name vd_scope_names[] = {
	{ VD_SCOPE_UNIVERSE, "global" }, { VD_SCOPE_SITE, "site" },
	{ VD_SCOPE_LINK, "link" },	 { VD_SCOPE_HOST, "host" },
	{ VD_SCOPE_NOWHERE, "nowhere" }, { 0, NULL },
};

const struct vd_name vd_nud_names[] = {
	{ VD_NUD_INCOMPLETE, "INCOMPLETE" },
	{ VD_NUD_REACHABLE, "REACHABLE" },
	{ VD_NUD_STALE, "STALE" },
	{ VD_NUD_DELAY, "DELAY" },
	{ VD_NUD_PROBE, "PROBE" },
	{ VD_NUD_FAILED, "FAILED" },
	{ VD_NUD_NOARP, "NOARP" },
	{ VD_NUD_PERMANENT, "PERMANENT" },
	{ 0, NULL },
};

const struct vd_name vd_rtnh_flag_names[] = {
	{ VD_RTNH_F_DEAD, "dead" },
	{ VD_RTNH_F_PERVASIVE, "pervasive" },
	{ VD_RTNH_F_ONLINK, "onlink" },
	{ VD_RTNH_F_OFFLOAD, "offload" },
	{ VD_RTNH_F_LINKDOWN, "linkdown" },
	{ VD_RTNH_F_UNRESOLVED, "unresolved" },
	{ 0, NULL },
};

const struct vd_name vd_rule_action_names[] = {
	{ VD_FR_ACT_TO_TBL, "lookup" },
	{ VD_FR_ACT_GOTO, "goto" },
	{ VD_FR_ACT_NOP, "nop" },
	{ VD_FR_ACT_BLACKHOLE, "blackhole" },
	{ VD_FR_ACT_UNREACHABLE, "unreachable" },
	{ VD_FR_ACT_PROHIBIT, "prohibit" },
	{ 0, NULL },
};

const char *vd_name_of(const struct vd_name *t, unsigned value)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return NULL;
}

int vd_value_of(const struct vd_name *t, const char *name, unsigned *value)
{
	for (; t->name; t++)
		if (strcmp(t->name, name) == 0) {
			*value = t->value;
			return 0;
		}
	return -ENOENT;
}

const char *vd_flags_str(const struct vd_name *t, unsigned flags,
			 const char *sep, char *buf, size_t len)
{
	size_t o = 0;
	unsigned named = 0;

	if (len)
		buf[0] = '\0';
	for (; t->name; t++) {
		if (!(flags & t->value) || (named & t->value))
			continue;
		named |= t->value;
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s",
				      o ? sep : "", t->name);
	}
	if (flags & ~named)
		o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s0x%x",
				      o ? sep : "", flags & ~named);
	return buf;
}

const char *vd_table_str(uint32_t table, char *buf, size_t len)
{
	switch (table) {
	case VD_RT_TABLE_MAIN:
		return "main";
	case VD_RT_TABLE_LOCAL:
		return "local";
	case VD_RT_TABLE_DEFAULT:
		return "default";
	}
	snprintf(buf, len, "%u", table);
	return buf;
}
