/* SPDX-License-Identifier: MIT */
/* The snapshot writer and reader: round trips, shape, rejections. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/snapshot.h"
#include "util/ip.h"

#define HEAD "{\"schema\": \"vnetdiag.snapshot/1\""
/* A snapshot of the current schema with the given members after "schema". */
#define SNAP(rest) HEAD rest "}"

static struct vd_ip ip(const char *s)
{
	struct vd_ip a;

	assert_int_equal(vd_ip_parse(s, &a), 0);
	return a;
}

static void set_mac(uint8_t *mac, uint8_t *len, const char *s)
{
	int n = vd_mac_parse(s, mac, VD_MAC_MAX);

	assert_true(n > 0);
	*len = (uint8_t)n;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

static char *dump(const struct vd_facts *f)
{
	char *s = NULL;

	assert_int_equal(vd_snapshot_dump(f, &s), 0);
	if (!s)
		abort();
	return s;
}

static struct vd_facts *parse(const char *s)
{
	struct vd_facts *f = NULL;
	char err[256] = "";
	int rc = vd_snapshot_parse((const uint8_t *)s, strlen(s), &f, err,
				   sizeof(err));

	if (rc != 0)
		fail_msg("parse failed (%d): %s", rc, err);
	assert_non_null(f);
	return f;
}

static struct vd_link *link_add(struct vd_facts *f, int ifindex,
				const char *name, const char *kind)
{
	struct vd_link *l = VD_PUSH(f, links);

	assert_non_null(l);
	l->ifindex = ifindex;
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
	l->carrier = VD_YES;
	l->oper = VD_OPER_UP;
	l->mtu = 1500;
	l->flags = VD_IFF_UP | VD_IFF_BROADCAST | VD_IFF_MULTICAST |
		   VD_IFF_LOWER_UP;
	l->vlan_id = -1;
	return l;
}

static void addr_add(struct vd_facts *f, int ifindex, const char *a,
		     unsigned plen, unsigned scope, unsigned flags,
		     const char *label)
{
	struct vd_addr *x = VD_PUSH(f, addrs);

	assert_non_null(x);
	x->ifindex = ifindex;
	x->ip = ip(a);
	x->prefixlen = (uint8_t)plen;
	x->scope = (uint8_t)scope;
	x->flags = flags;
	snprintf(x->label, sizeof(x->label), "%s", label);
}

static struct vd_route *route_add(struct vd_facts *f, uint32_t table,
				  const char *dst, const char *gw, int oif)
{
	struct vd_route *r = VD_PUSH(f, routes);
	int fam6 = strchr(dst, ':') != NULL;

	assert_non_null(r);
	r->table = table;
	if (strcmp(dst, "default") == 0 || strcmp(dst, "default6") == 0) {
		r->dst.family = dst[7] ? VD_AF_INET6 : VD_AF_INET;
	} else {
		assert_int_equal(vd_prefix_parse(dst, &r->dst, &r->dst_len), 0);
		assert_int_equal(r->dst.family,
				 fam6 ? VD_AF_INET6 : VD_AF_INET);
	}
	if (gw)
		r->gateway = ip(gw);
	r->oif = oif;
	r->protocol = 2;
	r->scope = gw ? VD_SCOPE_UNIVERSE : VD_SCOPE_LINK;
	r->type = VD_RTN_UNICAST;
	return r;
}

static struct vd_rule *rule_add(struct vd_facts *f, uint8_t family,
				uint32_t prio, uint32_t table)
{
	struct vd_rule *r = VD_PUSH(f, rules);

	assert_non_null(r);
	r->family = family;
	r->priority = prio;
	r->table = table;
	r->action = VD_FR_ACT_TO_TBL;
	r->suppress_prefixlen = -1;
	return r;
}

/* A model with something of everything, in collection (unsorted) order. */
static struct vd_facts *rich_facts(void)
{
	struct vd_facts *f = vd_facts_new();
	struct vd_link *l;
	struct vd_route *r;
	struct vd_rule *ru;
	struct vd_neigh *n;
	struct vd_socket *s;
	struct vd_process *p;
	struct vd_module *m;
	struct vd_sysctl *sc;
	struct vd_vnet *v;

	assert_non_null(f);
	snprintf(f->tool_version, sizeof(f->tool_version), "0.1.0");
	snprintf(f->collected_at, sizeof(f->collected_at),
		 "2024-05-01T12:00:00Z");
	f->sysroot = xstrdup("/srv/host-root");
	snprintf(f->host.hostname, sizeof(f->host.hostname), "workstation");
	snprintf(f->host.kernel, sizeof(f->host.kernel), "6.1.0-18-amd64");
	snprintf(f->host.os_id, sizeof(f->host.os_id), "debian");
	snprintf(f->host.os_version, sizeof(f->host.os_version), "12");
	snprintf(f->host.os_pretty, sizeof(f->host.os_pretty),
		 "Debian GNU/Linux 12 (bookworm)");
	f->host.ip_forward = VD_YES;
	snprintf(f->host.ip_forward_src, sizeof(f->host.ip_forward_src),
		 "/proc/sys/net/ipv4/ip_forward");

	/* Links, deliberately out of ifindex order. */
	l = link_add(f, 6, "eth0.100", "vlan");
	l->parent = 2;
	l->vlan_id = 100;
	set_mac(l->mac, &l->mac_len, "00:0c:29:aa:bb:cc");
	l = link_add(f, 1, "lo", "");
	l->flags =
		VD_IFF_UP | VD_IFF_LOOPBACK | VD_IFF_RUNNING | VD_IFF_LOWER_UP;
	l->oper = VD_OPER_UNKNOWN;
	l->carrier = VD_YES;
	l->mtu = 65536;
	set_mac(l->mac, &l->mac_len, "00:00:00:00:00:00");
	l = link_add(f, 2, "eth0", "");
	set_mac(l->mac, &l->mac_len, "00:0c:29:aa:bb:cc");
	l = link_add(f, 3, "vmnet8", "");
	set_mac(l->mac, &l->mac_len, "00:50:56:c0:00:08");
	l = link_add(f, 4, "br0", "bridge");
	l->flags |= VD_IFF_MASTER;
	set_mac(l->mac, &l->mac_len, "02:42:ac:11:00:01");
	l = link_add(f, 5, "veth1a2b", "veth");
	l->master = 4;
	l->parent_other_ns = true;
	l->flags |= VD_IFF_SLAVE;
	set_mac(l->mac, &l->mac_len, "5e:3f:01:02:03:04");
	l = link_add(f, 7, "vmnet1", "");
	l->flags = VD_IFF_BROADCAST | VD_IFF_MULTICAST;
	l->oper = VD_OPER_DOWN;
	l->carrier = VD_UNKNOWN;
	set_mac(l->mac, &l->mac_len, "00:50:56:c0:00:01");
	l = link_add(f, 8, "ib0", "ipoib");
	l->carrier = VD_NO;
	l->oper = VD_OPER_LOWERLAYERDOWN;
	l->mtu = 2044;
	l->flags = VD_IFF_BROADCAST | VD_IFF_MULTICAST | 0x80000;
	set_mac(l->mac, &l->mac_len,
		"80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0a:bc:de");
	l = link_add(f, 9, "tun0", "tun");
	l->flags = VD_IFF_UP | VD_IFF_POINTOPOINT | VD_IFF_NOARP;
	l->mac_len = 0;

	/* Addresses. */
	addr_add(f, 2, "192.168.1.10", 24, VD_SCOPE_UNIVERSE,
		 VD_IFA_F_NOPREFIXROUTE, "eth0");
	addr_add(f, 2, "192.168.1.11", 24, VD_SCOPE_UNIVERSE,
		 VD_IFA_F_SECONDARY | VD_IFA_F_PERMANENT, "eth0:1");
	addr_add(f, 1, "127.0.0.1", 8, VD_SCOPE_HOST, VD_IFA_F_PERMANENT, "lo");
	addr_add(f, 1, "::1", 128, VD_SCOPE_HOST,
		 VD_IFA_F_PERMANENT | VD_IFA_F_NOPREFIXROUTE, "");
	addr_add(f, 2, "fe80::20c:29ff:feaa:bbcc", 64, VD_SCOPE_LINK,
		 VD_IFA_F_PERMANENT | VD_IFA_F_NOPREFIXROUTE, "");
	addr_add(f, 2, "2001:db8:1::10", 64, VD_SCOPE_UNIVERSE,
		 VD_IFA_F_MANAGETEMPADDR | VD_IFA_F_NOPREFIXROUTE, "");
	addr_add(f, 3, "192.168.159.1", 24, VD_SCOPE_UNIVERSE,
		 VD_IFA_F_PERMANENT, "vmnet8");

	/* Routes: default, connected, multipath, blackhole, local, v6. */
	r = route_add(f, VD_RT_TABLE_MAIN, "default", "192.168.1.1", 2);
	r->protocol = 16; /* dhcp */
	r->metric = 100;
	r->prefsrc = ip("192.168.1.10");
	route_add(f, VD_RT_TABLE_MAIN, "192.168.1.0/24", NULL, 2)->prefsrc =
		ip("192.168.1.10");
	r = route_add(f, VD_RT_TABLE_MAIN, "192.168.159.0/24", NULL, 3);
	r->nh_flags = VD_RTNH_F_LINKDOWN;
	r = route_add(f, VD_RT_TABLE_MAIN, "10.10.0.0/16", "192.168.1.3", 2);
	r->protocol = 4;
	r->nh_flags = VD_RTNH_F_ONLINK;
	r = route_add(f, VD_RT_TABLE_MAIN, "10.10.0.0/16", "192.168.1.2", 2);
	r->protocol = 4;
	r = route_add(f, VD_RT_TABLE_MAIN, "10.99.0.0/16", NULL, 0);
	r->type = VD_RTN_BLACKHOLE;
	r->protocol = 4;
	r->scope = VD_SCOPE_UNIVERSE;
	r = route_add(f, VD_RT_TABLE_LOCAL, "127.0.0.1", NULL, 1);
	r->type = VD_RTN_LOCAL;
	r->scope = VD_SCOPE_HOST;
	r->prefsrc = ip("127.0.0.1");
	r = route_add(f, VD_RT_TABLE_MAIN, "default6", "fe80::1", 2);
	r->protocol = 9; /* ra */
	r->metric = 1024;
	r->nh_flags = VD_RTNH_F_DEAD | 0x400;
	r = route_add(f, VD_RT_TABLE_MAIN, "fe80::/64", NULL, 2);
	r->metric = 256;
	r = route_add(f, 100, "172.16.0.0/12", "192.168.1.254", 2);
	r->protocol = 200; /* no name: written as a number */
	r->tos = 0x10;

	/* Rules. */
	rule_add(f, VD_AF_INET, 32767, VD_RT_TABLE_DEFAULT);
	rule_add(f, VD_AF_INET, 0, VD_RT_TABLE_LOCAL);
	rule_add(f, VD_AF_INET, 32766, VD_RT_TABLE_MAIN);
	ru = rule_add(f, VD_AF_INET, 100, 100);
	ru->invert = true;
	ru->src = ip("10.20.0.0");
	ru->src_len = 16;
	ru->fwmark = 0x1;
	ru->fwmask = 0xff;
	snprintf(ru->iif, sizeof(ru->iif), "eth0");
	ru->has_uidrange = true;
	ru = rule_add(f, VD_AF_INET, 200, VD_RT_TABLE_MAIN);
	ru->suppress_prefixlen = 0;
	ru->dst = ip("192.168.0.0");
	ru->dst_len = 16;
	snprintf(ru->oif, sizeof(ru->oif), "vmnet8");
	ru = rule_add(f, VD_AF_INET, 300, 0);
	ru->action = VD_FR_ACT_BLACKHOLE;
	ru->has_l3mdev = true;
	rule_add(f, VD_AF_INET6, 0, VD_RT_TABLE_LOCAL);
	rule_add(f, VD_AF_INET6, 32766, VD_RT_TABLE_MAIN);

	/* Neighbours. */
	n = VD_PUSH(f, neighs);
	n->ifindex = 2;
	n->ip = ip("192.168.1.1");
	set_mac(n->mac, &n->mac_len, "c8:3a:35:01:02:03");
	n->state = VD_NUD_REACHABLE;
	n = VD_PUSH(f, neighs);
	n->ifindex = 2;
	n->ip = ip("fe80::1");
	set_mac(n->mac, &n->mac_len, "c8:3a:35:01:02:03");
	n->state = VD_NUD_STALE;
	n->flags = 0x80; /* router */
	n = VD_PUSH(f, neighs);
	n->ifindex = 3;
	n->ip = ip("192.168.159.128");
	n->state = VD_NUD_INCOMPLETE;

	/* Sockets. */
	s = VD_PUSH(f, sockets);
	s->proto = 6;
	s->local = ip("0.0.0.0");
	s->port = 22;
	s->inode = 23456;
	s->pid = 812;
	snprintf(s->comm, sizeof(s->comm), "sshd");
	s = VD_PUSH(f, sockets);
	s->proto = 17;
	s->local = ip("192.168.159.1");
	s->port = 67;
	s->ifindex = 3;
	s->inode = 34567;
	s->pid = 1400;
	snprintf(s->comm, sizeof(s->comm), "vmnet-dhcpd");
	s = VD_PUSH(f, sockets);
	s->proto = 6;
	s->local = ip("::");
	s->port = 53;
	s->inode = 45678;
	s->uid = 102;
	s->pid = 0; /* not permitted to see it */

	/* Processes. */
	p = VD_PUSH(f, procs);
	p->pid = 1400;
	snprintf(p->comm, sizeof(p->comm), "vmnet-dhcpd");
	p->cmdline = xstrdup("/usr/bin/vmnet-dhcpd -s 6 -cf "
			     "/etc/vmware/vmnet8/dhcpd/dhcpd.conf vmnet8");
	p = VD_PUSH(f, procs);
	p->pid = 1395;
	snprintf(p->comm, sizeof(p->comm), "vmnet-natd");
	p->cmdline = xstrdup("/usr/bin/vmnet-natd -s 6 -m "
			     "/etc/vmware/vmnet8/nat.mac -c "
			     "/etc/vmware/vmnet8/nat/nat.conf");
	p = VD_PUSH(f, procs);
	p->pid = 2;
	snprintf(p->comm, sizeof(p->comm), "kthreadd");
	p->cmdline = NULL; /* kernel thread */

	/* Modules. */
	f->modules_known = VD_YES;
	f->sockets_known = VD_YES;
	m = VD_PUSH(f, modules);
	snprintf(m->name, sizeof(m->name), "vmnet");
	m->size = 73728;
	m->refcnt = 13;
	snprintf(m->state, sizeof(m->state), "Live");
	m = VD_PUSH(f, modules);
	snprintf(m->name, sizeof(m->name), "br_netfilter");
	m->size = 32768;
	snprintf(m->state, sizeof(m->state), "Live");
	m = VD_PUSH(f, modules);
	snprintf(m->name, sizeof(m->name), "vmmon");
	m->size = 155648;
	m->refcnt = 0;
	snprintf(m->state, sizeof(m->state), "Loading");

	/* Sysctl files, in the order they were read. */
	*(char **)VD_PUSH(f, sysctl_files) = xstrdup("/etc/sysctl.conf");
	*(char **)VD_PUSH(f, sysctl_files) =
		xstrdup("/etc/sysctl.d/99-vmware.conf");
	sc = VD_PUSH(f, sysctls);
	sc->key = xstrdup("net.ipv4.ip_forward");
	sc->value = xstrdup("0");
	sc->file = xstrdup("/etc/sysctl.conf");
	sc->line = 28;
	sc = VD_PUSH(f, sysctls);
	sc->key = xstrdup("net.ipv4.ip_forward");
	sc->value = xstrdup("1");
	sc->file = xstrdup("/etc/sysctl.d/99-vmware.conf");
	sc->line = 1;
	sc = VD_PUSH(f, sysctls);
	sc->key = xstrdup("net.bridge.bridge-nf-call-iptables");
	sc->value = xstrdup("");
	sc->file = xstrdup("/etc/sysctl.d/99-vmware.conf");
	sc->line = 2;

	/* resolv.conf */
	f->resolv.present = VD_YES;
	f->resolv.file = xstrdup("/etc/resolv.conf");
	f->resolv.n_nameservers = 2;
	f->resolv.nameservers = calloc(2, sizeof(struct vd_ip));
	f->resolv.ns_lines = calloc(2, sizeof(unsigned));
	assert_non_null(f->resolv.nameservers);
	assert_non_null(f->resolv.ns_lines);
	f->resolv.nameservers[0] = ip("127.0.0.53");
	f->resolv.ns_lines[0] = 19;
	f->resolv.nameservers[1] = ip("2001:db8::53");
	f->resolv.ns_lines[1] = 20;
	f->resolv.n_search = 2;
	f->resolv.search = calloc(2, sizeof(char *));
	assert_non_null(f->resolv.search);
	f->resolv.search[0] = xstrdup("lan");
	f->resolv.search[1] = xstrdup("example.com");

	/* VMware networks. */
	f->vmware.present = VD_YES;
	f->vmware.networking_file = xstrdup("/etc/vmware/networking");
	f->vmware.n_vnets = 3;
	f->vmware.vnets = calloc(3, sizeof(struct vd_vnet));
	assert_non_null(f->vmware.vnets);
	v = &f->vmware.vnets[0];
	v->num = 0;
	snprintf(v->name, sizeof(v->name), "vmnet0");
	v->mode = VD_VNET_BRIDGED;
	v->dhcp = v->nat = v->virtual_adapter = VD_UNKNOWN;
	v->prefixlen = -1;
	v->line = 2;
	v = &f->vmware.vnets[1];
	v->num = 1;
	snprintf(v->name, sizeof(v->name), "vmnet1");
	v->mode = VD_VNET_HOSTONLY;
	v->dhcp = VD_YES;
	v->nat = VD_NO;
	v->virtual_adapter = VD_YES;
	v->subnet = ip("192.168.56.0");
	v->netmask = ip("255.255.255.0");
	v->prefixlen = 24;
	v->line = 3;
	v = &f->vmware.vnets[2];
	v->num = 8;
	snprintf(v->name, sizeof(v->name), "vmnet8");
	v->mode = VD_VNET_NAT;
	v->dhcp = VD_YES;
	v->nat = VD_YES;
	v->virtual_adapter = VD_YES;
	v->subnet = ip("192.168.159.0");
	v->netmask = ip("255.255.255.0");
	v->prefixlen = 24;
	v->line = 8;

	return f;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (hay && strstr(hay, needle))
		return;
	fail_msg("expected to find:\n%s\nin:\n%s", needle, hay ? hay : "-");
}

static void test_roundtrip_rich(void **state)
{
	struct vd_facts *f = rich_facts(), *g;
	char *a, *b;

	(void)state;
	vd_facts_sort(f); /* collectors sort before writing */
	a = dump(f);
	g = parse(a);
	b = dump(g);
	assert_string_equal(a, b);
	assert_int_equal(a[strlen(a) - 1], '\n');

	/* Names, not numbers, where ip(8) prints names. */
	assert_contains(a, "\"flags\": [\n"
			   "        \"BROADCAST\",\n"
			   "        \"MULTICAST\",\n"
			   "        \"UP\",\n"
			   "        \"LOWER_UP\"\n"
			   "      ],");
	assert_contains(a, "\"operstate\": \"UP\"");
	assert_contains(a, "\"operstate\": \"LOWERLAYERDOWN\"");
	assert_contains(a, "\"flags\": [\n"
			   "        \"permanent\",\n"
			   "        \"noprefixroute\"\n"
			   "      ],");
	assert_contains(a, "\"protocol\": \"kernel\"");
	assert_contains(a, "\"protocol\": \"dhcp\"");
	assert_contains(a, "\"protocol\": 200");
	assert_contains(a, "\"scope\": \"link\"");
	assert_contains(a, "\"type\": \"blackhole\"");
	assert_contains(a, "\"dst\": \"default\"");
	assert_contains(a, "\"dst\": \"10.10.0.0/16\"");
	assert_contains(a, "\"state\": [\n        \"REACHABLE\"\n      ]");
	assert_contains(a, "\"nh_flags\": [\n        \"linkdown\"\n      ]");
	assert_contains(a, "\"nh_flags\": [\n        \"dead\",\n        1024\n"
			   "      ]");
	assert_contains(a, "\"action\": \"lookup\"");
	assert_contains(a, "\"master\": 4,\n      \"master_name\": \"br0\"");
	assert_contains(a, "\"vlan_id\": 100");
	assert_contains(a, "\"carrier\": null");
	assert_contains(a, "\"address\": "
			   "\"80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:"
			   "00:0a:bc:de\"");
	assert_contains(a, "\"mode\": \"hostonly\"");

	/* What was read back is what was written. */
	assert_int_equal(g->n_links, f->n_links);
	assert_int_equal(g->links[0].ifindex, 1);
	assert_int_equal(g->links[5].vlan_id, 100);
	assert_int_equal(g->links[5].parent, 2);
	assert_int_equal(g->links[1].vlan_id, -1);
	assert_int_equal(g->links[6].carrier, VD_UNKNOWN);
	assert_int_equal(g->links[7].mac_len, 20);
	assert_int_equal(g->links[7].flags, f->links[7].flags);
	assert_int_equal(g->links[8].mac_len, 0);
	assert_true(g->links[4].parent_other_ns);
	assert_int_equal(g->n_addrs, 7);
	assert_int_equal(g->n_routes, 10);
	assert_memory_equal(g->routes, f->routes,
			    f->n_routes * sizeof(*f->routes));
	assert_memory_equal(g->addrs, f->addrs, f->n_addrs * sizeof(*f->addrs));
	assert_memory_equal(g->neighs, f->neighs,
			    f->n_neighs * sizeof(*f->neighs));
	assert_memory_equal(g->sockets, f->sockets,
			    f->n_sockets * sizeof(*f->sockets));
	assert_memory_equal(g->modules, f->modules,
			    f->n_modules * sizeof(*f->modules));
	assert_int_equal(g->n_rules, f->n_rules);
	for (size_t i = 0; i < f->n_rules; i++) {
		assert_int_equal(g->rules[i].priority, f->rules[i].priority);
		assert_int_equal(g->rules[i].suppress_prefixlen,
				 f->rules[i].suppress_prefixlen);
		assert_int_equal(g->rules[i].invert, f->rules[i].invert);
		assert_int_equal(g->rules[i].fwmask, f->rules[i].fwmask);
	}
	assert_int_equal(g->modules_known, VD_YES);
	assert_int_equal(g->n_procs, 3);
	assert_null(g->procs[0].cmdline);
	assert_string_equal(g->procs[2].cmdline, f->procs[2].cmdline);
	assert_int_equal(g->n_sysctl_files, 2);
	assert_string_equal(g->sysctl_files[1], "/etc/sysctl.d/99-vmware.conf");
	assert_int_equal(g->n_sysctls, 3);
	assert_string_equal(vd_facts_sysctl(g, "net.ipv4.ip_forward")->value,
			    "1");
	assert_string_equal(g->sysctls[2].value, "");
	assert_int_equal(g->resolv.present, VD_YES);
	assert_int_equal(g->resolv.n_nameservers, 2);
	assert_int_equal(g->resolv.ns_lines[1], 20);
	assert_true(vd_ip_equal(&g->resolv.nameservers[1],
				&f->resolv.nameservers[1]));
	assert_string_equal(g->resolv.search[1], "example.com");
	assert_int_equal(g->vmware.present, VD_YES);
	assert_int_equal(g->vmware.n_vnets, 3);
	assert_memory_equal(g->vmware.vnets, f->vmware.vnets,
			    3 * sizeof(struct vd_vnet));
	assert_string_equal(g->sysroot, "/srv/host-root");
	assert_int_equal(g->host.ip_forward, VD_YES);
	assert_string_equal(g->host.os_pretty, f->host.os_pretty);
	assert_string_equal(g->tool_version, "0.1.0");
	assert_string_equal(g->collected_at, "2024-05-01T12:00:00Z");

	free(a);
	free(b);
	vd_facts_free(f);
	vd_facts_free(g);
}

/* Every kind of VMware item, as the parsers would leave them. */
static void vmware_rich(struct vd_vmware *v)
{
	static const char *const files[] = {
		"/etc/vmware/networking",
		"/etc/vmware/vmnet8/nat/nat.conf",
		"/etc/vmware/vmnet8/dhcpd/dhcpd.conf",
		"/etc/vmware/vmnet8/dhcpd/dhcpd.leases",
		"/home/u/vmware/Debian 12/Debian 12.vmx",
		"/etc/vmware/netmap.conf",
		"/home/u/vmware/Debian 12/vmware.log",
		"/etc/vmware/config",
	};
	struct vd_vnet *vn;
	struct vd_portfwd *pf;
	struct vd_natconf *n;
	struct vd_dhcp_subnet *s;
	struct vd_dhcp_host *h;
	struct vd_lease *l;
	struct vd_vm *vm;
	struct vd_vm_nic *nic;
	struct vd_netmap *nm;
	struct vd_log_hit *lh;
	struct vd_modfile *mf;

	v->present = VD_YES;
	v->networking_file = xstrdup("/etc/vmware/networking");
	snprintf(v->product_version, sizeof(v->product_version), "17.5.1");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		assert_int_equal(vd_vmware_file(v, files[i]), (int)i);

	vn = VD_PUSH(v, vnets);
	vn->num = 0;
	snprintf(vn->name, sizeof(vn->name), "vmnet0");
	vn->mode = VD_VNET_BRIDGED;
	vn->dhcp = vn->nat = vn->virtual_adapter = VD_UNKNOWN;
	vn->prefixlen = -1;
	vn->line = 2;
	snprintf(vn->bridge_if, sizeof(vn->bridge_if), "eth0");
	vn->bridge_line = 20;
	vn = VD_PUSH(v, vnets);
	vn->num = 8;
	snprintf(vn->name, sizeof(vn->name), "vmnet8");
	vn->mode = VD_VNET_NAT;
	vn->dhcp = vn->nat = vn->virtual_adapter = VD_YES;
	vn->subnet = ip("192.168.159.0");
	vn->netmask = ip("255.255.255.0");
	vn->prefixlen = 24;
	vn->line = 8;

	pf = VD_PUSH(v, portfwds);
	pf->vnet = 8;
	pf->proto = 6;
	pf->host_port = 2222;
	pf->guest = ip("192.168.159.128");
	pf->guest_port = 22;
	pf->src = (struct vd_src){ 0, 21 };
	pf = VD_PUSH(v, portfwds);
	pf->vnet = -1;
	pf->proto = 17;
	pf->host_port = 5353;
	pf->guest_port = 53; /* guest was a host name: no address */
	pf->src = (struct vd_src){ 1, 30 };

	n = VD_PUSH(v, nats);
	n->vnet = 8;
	n->ip = ip("192.168.159.2");
	n->netmask = ip("255.255.255.0");
	n->prefixlen = 24;
	snprintf(n->device, sizeof(n->device), "/dev/vmnet8");
	n->src = (struct vd_src){ 1, 5 };
	n = VD_PUSH(v, nats);
	n->vnet = -1;
	n->prefixlen = -1;
	n->src = (struct vd_src){ -1, 0 };

	s = VD_PUSH(v, dhcp_subnets);
	s->vnet = 8;
	s->subnet = ip("192.168.159.0");
	s->netmask = ip("255.255.255.0");
	s->range_lo = ip("192.168.159.128");
	s->range_hi = ip("192.168.159.254");
	s->range_line = 15;
	s->router = ip("192.168.159.2");
	s->router_line = 18;
	s->dns[0] = ip("192.168.159.2");
	s->dns[1] = ip("10.0.0.53");
	s->n_dns = 2;
	s->dns_line = 17;
	s->src = (struct vd_src){ 2, 14 };
	s = VD_PUSH(v, dhcp_subnets);
	s->vnet = -1;
	s->src = (struct vd_src){ 2, 40 };

	h = VD_PUSH(v, dhcp_hosts);
	h->vnet = 8;
	h->has_mac = true;
	memcpy(h->mac, "\x00\x0c\x29\x12\x34\x56", 6);
	h->ip = ip("192.168.159.50");
	h->src = (struct vd_src){ 0, 22 };
	h = VD_PUSH(v, dhcp_hosts);
	h->vnet = 8;
	snprintf(h->name, sizeof(h->name), "vmnet8");
	h->has_mac = true;
	memcpy(h->mac, "\x00\x50\x56\xc0\x00\x08", 6);
	h->src = (struct vd_src){ 2, 30 };

	l = VD_PUSH(v, leases);
	l->vnet = 8;
	l->ip = ip("192.168.159.130");
	l->has_mac = true;
	memcpy(l->mac, "\x00\x0c\x29\xab\xcd\xef", 6);
	snprintf(l->hostname, sizeof(l->hostname), "debian");
	l->starts = 1714560000;
	l->ends = 1714561800;
	l->src = (struct vd_src){ 3, 7 };
	l = VD_PUSH(v, leases);
	l->vnet = 8;
	l->ip = ip("192.168.159.131");
	l->src = (struct vd_src){ 3, 15 };

	vm = VD_PUSH(v, vms);
	vm->file = 4;
	snprintf(vm->name, sizeof(vm->name), "Debian 12 \"bookworm\"");
	snprintf(vm->guest_os, sizeof(vm->guest_os), "debian12-64");
	vm->running = VD_YES;
	nic = VD_PUSH(vm, nics);
	nic->index = 0;
	nic->present = VD_YES;
	nic->start_connected = VD_YES;
	snprintf(nic->conn, sizeof(nic->conn), "nat");
	snprintf(nic->virtual_dev, sizeof(nic->virtual_dev), "vmxnet3");
	snprintf(nic->address_type, sizeof(nic->address_type), "generated");
	snprintf(nic->mac_text, sizeof(nic->mac_text), "00:0C:29:AB:CD:EF");
	nic->has_mac = true;
	memcpy(nic->mac, "\x00\x0c\x29\xab\xcd\xef", 6);
	nic->line = 40;
	nic = VD_PUSH(vm, nics);
	nic->index = 1;
	nic->present = VD_NO;
	nic->start_connected = VD_UNKNOWN;
	snprintf(nic->conn, sizeof(nic->conn), "custom");
	snprintf(nic->vnet, sizeof(nic->vnet), "vmnet2");
	snprintf(nic->network_name, sizeof(nic->network_name), "lab");
	snprintf(nic->mac_text, sizeof(nic->mac_text), "00:50:56:zz");
	nic->line = 52;
	vm = VD_PUSH(v, vms); /* a .vmx that could not be placed */
	vm->file = -1;
	vm->running = VD_UNKNOWN;

	nm = VD_PUSH(v, netmap);
	nm->index = 0;
	snprintf(nm->name, sizeof(nm->name), "Bridged");
	snprintf(nm->device, sizeof(nm->device), "vmnet0");
	nm->src = (struct vd_src){ 5, 3 };

	lh = VD_PUSH(v, log_hits);
	snprintf(lh->kind, sizeof(lh->kind), "vnet-connect");
	lh->text = xstrdup("Ethernet0: could not connect to vmnet8: "
			   "No such device \t\x01");
	lh->src = (struct vd_src){ 6, 1234 };

	v->module_files_known = VD_YES;
	mf = VD_PUSH(v, module_files);
	snprintf(mf->kernel, sizeof(mf->kernel), "6.1.0-18-amd64");
	snprintf(mf->name, sizeof(mf->name), "vmnet");

	assert_int_equal(vd_vmware_kv_add(v, "", "product.version", "17.5.1",
					  (struct vd_src){ 7, 1 }),
			 0);
	assert_int_equal(vd_vmware_kv_add(v, "udp", "timeout", "",
					  (struct vd_src){ 1, 9 }),
			 0);
	assert_int_equal(vd_vmware_kv_add(v, NULL, "ethernet0.pciSlotNumber",
					  "160", (struct vd_src){ 4, 44 }),
			 0);
}

#define ASSERT_SAME_ITEMS(g, f, field)                                     \
	do {                                                               \
		assert_int_equal((g)->n_##field, (f)->n_##field);          \
		assert_memory_equal((g)->field, (f)->field,                \
				    (f)->n_##field * sizeof(*(f)->field)); \
	} while (0)

/* The whole VMware model: written, read back field by field, rewritten. */
static void test_roundtrip_vmware(void **state)
{
	struct vd_facts *f = vd_facts_new(), *g;
	const struct vd_vmware *v, *w;
	char *a, *b;

	(void)state;
	assert_non_null(f);
	vmware_rich(&f->vmware);
	a = dump(f);
	g = parse(a);
	b = dump(g);
	assert_string_equal(a, b);

	v = &f->vmware;
	w = &g->vmware;
	assert_int_equal(w->present, VD_YES);
	assert_string_equal(w->networking_file, v->networking_file);
	assert_string_equal(w->product_version, "17.5.1");
	assert_int_equal(w->n_files, v->n_files);
	for (size_t i = 0; i < v->n_files; i++)
		assert_string_equal(w->files[i], v->files[i]);
	ASSERT_SAME_ITEMS(w, v, vnets);
	ASSERT_SAME_ITEMS(w, v, portfwds);
	ASSERT_SAME_ITEMS(w, v, nats);
	ASSERT_SAME_ITEMS(w, v, dhcp_subnets);
	ASSERT_SAME_ITEMS(w, v, dhcp_hosts);
	ASSERT_SAME_ITEMS(w, v, leases);
	ASSERT_SAME_ITEMS(w, v, netmap);
	ASSERT_SAME_ITEMS(w, v, module_files);
	assert_int_equal(w->module_files_known, VD_YES);
	assert_int_equal(w->n_vms, 2);
	for (size_t i = 0; i < v->n_vms; i++) {
		assert_int_equal(w->vms[i].file, v->vms[i].file);
		assert_string_equal(w->vms[i].name, v->vms[i].name);
		assert_string_equal(w->vms[i].guest_os, v->vms[i].guest_os);
		assert_int_equal(w->vms[i].running, v->vms[i].running);
		ASSERT_SAME_ITEMS(&w->vms[i], &v->vms[i], nics);
	}
	assert_int_equal(w->n_log_hits, 1);
	assert_string_equal(w->log_hits[0].kind, "vnet-connect");
	assert_string_equal(w->log_hits[0].text, v->log_hits[0].text);
	assert_int_equal(w->log_hits[0].src.file, 6);
	assert_int_equal(w->log_hits[0].src.line, 1234);
	assert_int_equal(w->n_kvs, 3);
	for (size_t i = 0; i < v->n_kvs; i++) {
		assert_string_equal(w->kvs[i].section, v->kvs[i].section);
		assert_string_equal(w->kvs[i].key, v->kvs[i].key);
		assert_string_equal(w->kvs[i].value, v->kvs[i].value);
		assert_memory_equal(&w->kvs[i].src, &v->kvs[i].src,
				    sizeof(struct vd_src));
	}

	/* Names and texts where people read them. */
	assert_contains(a, "\"proto\": \"tcp\",\n"
			   "        \"host_port\": 2222,\n"
			   "        \"guest\": \"192.168.159.128\",\n"
			   "        \"guest_port\": 22,\n"
			   "        \"file\": \"/etc/vmware/networking\",\n"
			   "        \"line\": 21");
	assert_contains(a, "\"vnet\": null,\n        \"proto\": \"udp\"");
	assert_contains(a, "\"mac\": \"00:0c:29:12:34:56\"");
	assert_contains(a, "\"starts\": 1714560000");
	assert_contains(a, "\"bridge_if\": \"eth0\"");
	assert_contains(a, "\"file\": null,\n        \"name\": null");
	assert_contains(a, "\"connection_type\": \"nat\"");
	assert_contains(a, "\"section\": null,\n        \"key\": "
			   "\"product.version\"");

	free(a);
	free(b);
	vd_facts_free(f);
	vd_facts_free(g);
}

/* Facts of a host with VMs but no networking file still keep the VMs;
 * a 0.2 snapshot (no "present" key) means the file was read. */
static void test_vmware_present(void **state)
{
	struct vd_facts *f = vd_facts_new(), *g;
	char *a;

	(void)state;
	assert_non_null(f);
	assert_int_equal(vd_vmware_file(&f->vmware, "/vm/a.vmx"), 0);
	VD_PUSH(&f->vmware, vms)->file = 0;
	a = dump(f);
	assert_contains(a, "\"vmware\": {\n    \"present\": null,");
	g = parse(a);
	assert_int_equal(g->vmware.present, VD_UNKNOWN);
	assert_int_equal(g->vmware.n_vms, 1);
	assert_int_equal(g->vmware.vms[0].file, 0);
	assert_int_equal(g->vmware.module_files_known, VD_UNKNOWN);
	free(a);
	vd_facts_free(f);
	vd_facts_free(g);

	g = parse(SNAP(", \"vmware\": {\"networking_file\": \"/n\","
		       " \"vnets\": []}"));
	assert_int_equal(g->vmware.present, VD_YES);
	assert_int_equal(g->vmware.n_files, 0);
	assert_int_equal(g->vmware.n_portfwds, 0);
	assert_int_equal(g->vmware.module_files_known, VD_UNKNOWN);
	vd_facts_free(g);
}

/* The reader sorts, so unsorted input gives the canonical snapshot. */
static void test_parse_sorts(void **state)
{
	struct vd_facts *f = rich_facts(), *g, *h;
	char *a, *b, *c;

	(void)state;
	a = dump(f); /* collection order */
	g = parse(a);
	b = dump(g);
	vd_facts_sort(f);
	c = dump(f);
	assert_string_equal(b, c);
	h = parse(b);
	free(a);
	a = dump(h);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(c);
	vd_facts_free(f);
	vd_facts_free(g);
	vd_facts_free(h);
}

static void test_roundtrip_empty(void **state)
{
	struct vd_facts *f = vd_facts_new(), *g;
	char *a, *b;

	(void)state;
	assert_non_null(f);
	a = dump(f);
	assert_contains(a, "\"links\": [],");
	assert_contains(a, "\"modules\": null,");
	assert_contains(a, "\"resolv\": null,");
	assert_contains(a, "\"vmware\": null\n}\n");
	g = parse(a);
	assert_int_equal(g->modules_known, VD_UNKNOWN);
	assert_int_equal(g->resolv.present, VD_UNKNOWN);
	assert_int_equal(g->vmware.present, VD_UNKNOWN);
	assert_int_equal(g->host.ip_forward, VD_UNKNOWN);
	assert_null(g->sysroot);
	b = dump(g);
	assert_string_equal(a, b);
	free(a);
	free(b);
	vd_facts_free(f);
	vd_facts_free(g);
}

/* The firewall's sources travel verbatim, control bytes and all. */
static void test_roundtrip_firewall(void **state)
{
	struct vd_facts *f = vd_facts_new(), *g;
	char *a, *b;

	(void)state;
	assert_non_null(f);
	f->firewall.known = VD_YES;
	f->firewall.nft_json = xstrdup("{\"nftables\": [{\"metainfo\": "
				       "{\"json_schema_version\": 1}}]}\n");
	f->firewall.iptables_save = xstrdup(
		"*filter\n:INPUT DROP [0:0]\n-A INPUT -m comment --comment "
		"\"say \\\"hi\\\"\t\" -j ACCEPT\nCOMMIT\n");
	f->firewall.error = xstrdup("ip6tables-legacy-save: failed");
	a = dump(f);
	assert_contains(a, "\"firewall\": {");
	g = parse(a);
	assert_int_equal(g->firewall.known, VD_YES);
	assert_string_equal(g->firewall.nft_json, f->firewall.nft_json);
	assert_string_equal(g->firewall.iptables_save,
			    f->firewall.iptables_save);
	assert_null(g->firewall.ip6tables_save);
	assert_string_equal(g->firewall.error, f->firewall.error);
	b = dump(g);
	assert_string_equal(a, b);
	free(a);
	free(b);
	vd_facts_free(f);
	vd_facts_free(g);
	/* Not asked: no key at all, and the reader says unknown. */
	f = vd_facts_new();
	assert_non_null(f);
	a = dump(f);
	assert_null(strstr(a, "\"firewall\""));
	g = parse(a);
	assert_int_equal(g->firewall.known, VD_UNKNOWN);
	free(a);
	vd_facts_free(f);
	vd_facts_free(g);
}

/* The exact text of a small snapshot: the shape is the contract. */
static void test_dump_shape(void **state)
{
	static const char want[] =
		"{\n"
		"  \"schema\": \"vnetdiag.snapshot/1\",\n"
		"  \"tool\": {\n"
		"    \"name\": \"vnetdiag\",\n"
		"    \"version\": \"0.1.0\"\n"
		"  },\n"
		"  \"collected_at\": \"2024-05-01T12:00:00Z\",\n"
		"  \"sysroot\": null,\n"
		"  \"host\": {\n"
		"    \"hostname\": \"h\",\n"
		"    \"kernel\": null,\n"
		"    \"os_id\": null,\n"
		"    \"os_version\": null,\n"
		"    \"os_pretty\": null,\n"
		"    \"ip_forward\": false,\n"
		"    \"ip_forward_src\": \"/proc/sys/net/ipv4/ip_forward\"\n"
		"  },\n"
		"  \"links\": [\n"
		"    {\n"
		"      \"ifindex\": 2,\n"
		"      \"ifname\": \"eth0\",\n"
		"      \"kind\": null,\n"
		"      \"master\": null,\n"
		"      \"master_name\": null,\n"
		"      \"parent\": null,\n"
		"      \"parent_name\": null,\n"
		"      \"parent_other_ns\": false,\n"
		"      \"flags\": [\n"
		"        \"BROADCAST\",\n"
		"        \"MULTICAST\",\n"
		"        \"UP\",\n"
		"        \"LOWER_UP\"\n"
		"      ],\n"
		"      \"operstate\": \"UP\",\n"
		"      \"carrier\": true,\n"
		"      \"mtu\": 1500,\n"
		"      \"address\": \"00:0c:29:aa:bb:cc\"\n"
		"    }\n"
		"  ],\n"
		"  \"addresses\": [\n"
		"    {\n"
		"      \"ifindex\": 2,\n"
		"      \"ifname\": \"eth0\",\n"
		"      \"family\": \"inet\",\n"
		"      \"local\": \"192.168.1.10\",\n"
		"      \"prefixlen\": 24,\n"
		"      \"scope\": \"global\",\n"
		"      \"flags\": [\n"
		"        \"permanent\",\n"
		"        \"noprefixroute\"\n"
		"      ],\n"
		"      \"label\": \"eth0\"\n"
		"    }\n"
		"  ],\n"
		"  \"routes\": [\n"
		"    {\n"
		"      \"table\": 254,\n"
		"      \"family\": \"inet\",\n"
		"      \"dst\": \"default\",\n"
		"      \"tos\": 0,\n"
		"      \"protocol\": \"dhcp\",\n"
		"      \"scope\": \"global\",\n"
		"      \"type\": \"unicast\",\n"
		"      \"metric\": 100,\n"
		"      \"gateway\": \"192.168.1.1\",\n"
		"      \"prefsrc\": null,\n"
		"      \"oif\": 2,\n"
		"      \"dev\": \"eth0\",\n"
		"      \"nh_flags\": []\n"
		"    }\n"
		"  ],\n"
		"  \"rules\": [\n"
		"    {\n"
		"      \"family\": \"inet\",\n"
		"      \"priority\": 32766,\n"
		"      \"not\": false,\n"
		"      \"src\": null,\n"
		"      \"dst\": null,\n"
		"      \"iif\": null,\n"
		"      \"oif\": null,\n"
		"      \"fwmark\": 0,\n"
		"      \"fwmask\": 0,\n"
		"      \"uidrange\": false,\n"
		"      \"l3mdev\": false,\n"
		"      \"action\": \"lookup\",\n"
		"      \"table\": 254,\n"
		"      \"suppress_prefixlen\": null\n"
		"    }\n"
		"  ],\n"
		"  \"neighbours\": [\n"
		"    {\n"
		"      \"ifindex\": 2,\n"
		"      \"ifname\": \"eth0\",\n"
		"      \"address\": \"192.168.1.1\",\n"
		"      \"lladdr\": \"c8:3a:35:01:02:03\",\n"
		"      \"state\": [\n"
		"        \"REACHABLE\"\n"
		"      ],\n"
		"      \"flags\": [\n"
		"        \"router\"\n"
		"      ]\n"
		"    }\n"
		"  ],\n"
		"  \"sockets\": [\n"
		"    {\n"
		"      \"proto\": \"udp\",\n"
		"      \"local\": \"0.0.0.0\",\n"
		"      \"port\": 68,\n"
		"      \"ifindex\": 2,\n"
		"      \"ifname\": \"eth0\",\n"
		"      \"inode\": 4321,\n"
		"      \"uid\": 0,\n"
		"      \"pid\": 600,\n"
		"      \"comm\": \"dhclient\"\n"
		"    }\n"
		"  ],\n"
		"  \"processes\": [\n"
		"    {\n"
		"      \"pid\": 600,\n"
		"      \"comm\": \"dhclient\",\n"
		"      \"cmdline\": \"dhclient -v eth0\"\n"
		"    }\n"
		"  ],\n"
		"  \"modules\": [\n"
		"    {\n"
		"      \"name\": \"vmnet\",\n"
		"      \"size\": 73728,\n"
		"      \"refcnt\": 2,\n"
		"      \"state\": \"Live\"\n"
		"    }\n"
		"  ],\n"
		"  \"sysctl\": {\n"
		"    \"files\": [\n"
		"      \"/etc/sysctl.conf\"\n"
		"    ],\n"
		"    \"settings\": [\n"
		"      {\n"
		"        \"key\": \"net.ipv4.ip_forward\",\n"
		"        \"value\": \"0\",\n"
		"        \"file\": \"/etc/sysctl.conf\",\n"
		"        \"line\": 3\n"
		"      }\n"
		"    ]\n"
		"  },\n"
		"  \"resolv\": {\n"
		"    \"file\": \"/etc/resolv.conf\",\n"
		"    \"nameservers\": [\n"
		"      {\n"
		"        \"address\": \"192.168.1.1\",\n"
		"        \"line\": 1\n"
		"      }\n"
		"    ],\n"
		"    \"search\": []\n"
		"  },\n"
		"  \"vmware\": {\n"
		"    \"present\": true,\n"
		"    \"networking_file\": \"/etc/vmware/networking\",\n"
		"    \"product_version\": null,\n"
		"    \"files\": [],\n"
		"    \"vnets\": [\n"
		"      {\n"
		"        \"num\": 8,\n"
		"        \"name\": \"vmnet8\",\n"
		"        \"mode\": \"nat\",\n"
		"        \"dhcp\": true,\n"
		"        \"nat\": true,\n"
		"        \"virtual_adapter\": null,\n"
		"        \"subnet\": \"192.168.159.0\",\n"
		"        \"netmask\": \"255.255.255.0\",\n"
		"        \"prefixlen\": 24,\n"
		"        \"line\": 5,\n"
		"        \"bridge_if\": null,\n"
		"        \"bridge_line\": 0\n"
		"      }\n"
		"    ],\n"
		"    \"portfwds\": [],\n"
		"    \"nats\": [],\n"
		"    \"dhcp_subnets\": [],\n"
		"    \"dhcp_hosts\": [],\n"
		"    \"leases\": [],\n"
		"    \"vms\": [],\n"
		"    \"netmap\": [],\n"
		"    \"log_hits\": [],\n"
		"    \"module_files_known\": null,\n"
		"    \"module_files\": [],\n"
		"    \"kvs\": []\n"
		"  }\n"
		"}\n";
	struct vd_facts *f = vd_facts_new(), *g;
	struct vd_link *l;
	struct vd_route *r;
	struct vd_neigh *n;
	struct vd_socket *s;
	struct vd_process *p;
	struct vd_module *m;
	struct vd_sysctl *sc;
	struct vd_vnet *v;
	char *a;

	(void)state;
	assert_non_null(f);
	snprintf(f->tool_version, sizeof(f->tool_version), "0.1.0");
	snprintf(f->collected_at, sizeof(f->collected_at),
		 "2024-05-01T12:00:00Z");
	snprintf(f->host.hostname, sizeof(f->host.hostname), "h");
	f->host.ip_forward = VD_NO;
	snprintf(f->host.ip_forward_src, sizeof(f->host.ip_forward_src),
		 "/proc/sys/net/ipv4/ip_forward");
	l = link_add(f, 2, "eth0", "");
	set_mac(l->mac, &l->mac_len, "0:c:29:AA:bb:cc");
	addr_add(f, 2, "192.168.1.10", 24, VD_SCOPE_UNIVERSE,
		 VD_IFA_F_PERMANENT | VD_IFA_F_NOPREFIXROUTE, "eth0");
	r = route_add(f, VD_RT_TABLE_MAIN, "default", "192.168.1.1", 2);
	r->protocol = 16;
	r->metric = 100;
	rule_add(f, VD_AF_INET, 32766, VD_RT_TABLE_MAIN);
	n = VD_PUSH(f, neighs);
	n->ifindex = 2;
	n->ip = ip("192.168.1.1");
	set_mac(n->mac, &n->mac_len, "c8:3a:35:01:02:03");
	n->state = VD_NUD_REACHABLE;
	n->flags = 0x80;
	s = VD_PUSH(f, sockets);
	s->proto = 17;
	s->local = ip("0.0.0.0");
	s->port = 68;
	s->ifindex = 2;
	s->inode = 4321;
	s->pid = 600;
	snprintf(s->comm, sizeof(s->comm), "dhclient");
	p = VD_PUSH(f, procs);
	p->pid = 600;
	snprintf(p->comm, sizeof(p->comm), "dhclient");
	p->cmdline = xstrdup("dhclient -v eth0");
	f->modules_known = VD_YES;
	f->sockets_known = VD_YES;
	m = VD_PUSH(f, modules);
	snprintf(m->name, sizeof(m->name), "vmnet");
	m->size = 73728;
	m->refcnt = 2;
	snprintf(m->state, sizeof(m->state), "Live");
	*(char **)VD_PUSH(f, sysctl_files) = xstrdup("/etc/sysctl.conf");
	sc = VD_PUSH(f, sysctls);
	sc->key = xstrdup("net.ipv4.ip_forward");
	sc->value = xstrdup("0");
	sc->file = xstrdup("/etc/sysctl.conf");
	sc->line = 3;
	f->resolv.present = VD_YES;
	f->resolv.file = xstrdup("/etc/resolv.conf");
	f->resolv.nameservers = calloc(1, sizeof(struct vd_ip));
	f->resolv.ns_lines = calloc(1, sizeof(unsigned));
	assert_non_null(f->resolv.nameservers);
	assert_non_null(f->resolv.ns_lines);
	f->resolv.n_nameservers = 1;
	f->resolv.nameservers[0] = ip("192.168.1.1");
	f->resolv.ns_lines[0] = 1;
	f->vmware.present = VD_YES;
	f->vmware.networking_file = xstrdup("/etc/vmware/networking");
	f->vmware.vnets = calloc(1, sizeof(struct vd_vnet));
	assert_non_null(f->vmware.vnets);
	f->vmware.n_vnets = 1;
	v = f->vmware.vnets;
	v->num = 8;
	snprintf(v->name, sizeof(v->name), "vmnet8");
	v->mode = VD_VNET_NAT;
	v->dhcp = VD_YES;
	v->nat = VD_YES;
	v->virtual_adapter = VD_UNKNOWN;
	v->subnet = ip("192.168.159.0");
	v->netmask = ip("255.255.255.0");
	v->prefixlen = 24;
	v->line = 5;

	a = dump(f);
	assert_string_equal(a, want);
	free(a);
	g = parse(want);
	a = dump(g);
	assert_string_equal(a, want);
	free(a);
	vd_facts_free(f);
	vd_facts_free(g);
}

/* Bytes that are not UTF-8 become U+FFFD, and then stay as they are. */
static void test_dump_invalid_utf8(void **state)
{
	struct vd_facts *f = vd_facts_new(), *g;
	struct vd_process *p;
	struct vd_link *l;
	char *a, *b;

	(void)state;
	assert_non_null(f);
	p = VD_PUSH(f, procs);
	p->pid = 7;
	snprintf(p->comm, sizeof(p->comm), "odd\xc3");
	p->cmdline = xstrdup("odd --name=\xff\xfe caf\xc3\xa9 \xed\xa0\x80");
	l = link_add(f, 1, "x", "");
	memset(l->name, 'n', sizeof(l->name)); /* not terminated */
	l->name[sizeof(l->name) - 1] = 'z';
	a = dump(f);
	assert_contains(a,
			"\"cmdline\": \"odd --name=\xef\xbf\xbd\xef\xbf\xbd "
			"caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_contains(a, "\"comm\": \"odd\xef\xbf\xbd\"");
	/* The unterminated name is written in full: 64 bytes, too long. */
	assert_contains(a, "nnnnz\"");
	l->name[sizeof(l->name) - 1] = '\0';
	free(a);
	a = dump(f);
	g = parse(a);
	b = dump(g);
	assert_string_equal(a, b);
	free(a);
	free(b);
	vd_facts_free(f);
	vd_facts_free(g);
}

struct reject {
	const char *name;
	const char *json;
	int rc;
	const char *err;
};

static const struct reject rejects[] = {
	{ "not JSON", "vnetdiag", -EPROTO,
	  "not JSON: '[' or '{' expected near 'vnetdiag' (line 1, column 8)" },
	{ "truncated JSON", SNAP(", \"links\": [{\"ifindex\": 1"), -EPROTO,
	  "not JSON: ']' expected near end of file (line 1, column 58)" },
	{ "empty input", "", -EPROTO,
	  "not JSON: '[' or '{' expected near end of file (line 1, column 0)" },
	{ "trailing garbage", SNAP("") " x", -EPROTO,
	  "not JSON: end of file expected near 'x' (line 1, column 35)" },
	{ "duplicate keys",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"mtu\": 1, \"mtu\": 2}]"),
	  -EPROTO,
	  "not JSON: duplicate object key near '\"mtu\"' (line 1, column "
	  "74)" },
	{ "top level array", "[]", -EPROTO,
	  "not a vnetdiag snapshot (expected an object, got an array)" },
	{ "schema missing", "{\"links\": []}", -EPROTO,
	  "not a vnetdiag snapshot (no \"schema\" key)" },
	{ "schema not a string", "{\"schema\": 1}", -EPROTO,
	  "not a vnetdiag snapshot (no \"schema\" key)" },
	{ "schema /2", "{\"schema\": \"vnetdiag.snapshot/2\"}", -ENOTSUP,
	  "schema 'vnetdiag.snapshot/2' is newer than this vnetdiag reads "
	  "(vnetdiag.snapshot/1); upgrade vnetdiag" },
	{ "schema /10", "{\"schema\": \"vnetdiag.snapshot/10\"}", -ENOTSUP,
	  "schema 'vnetdiag.snapshot/10' is newer than this vnetdiag reads "
	  "(vnetdiag.snapshot/1); upgrade vnetdiag" },
	{ "unknown schema", "{\"schema\": \"nmstate/1\"}", -ENOTSUP,
	  "unknown schema 'nmstate/1'" },
	{ "schema /0", "{\"schema\": \"vnetdiag.snapshot/0\"}", -ENOTSUP,
	  "unknown schema 'vnetdiag.snapshot/0'" },
	{ "schema /1.1", "{\"schema\": \"vnetdiag.snapshot/1.1\"}", -ENOTSUP,
	  "unknown schema 'vnetdiag.snapshot/1.1'" },
	{ "schema with control characters", "{\"schema\": \"a\\nb\\u00e9\"}",
	  -ENOTSUP, "unknown schema 'a\\x0ab\\xc3\\xa9'" },
	{ "wrong type for mtu",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"ifname\": \"lo\"},"
	       " {\"ifindex\": 2, \"ifname\": \"eth0\", \"mtu\": \"1500\"}]"),
	  -EPROTO, "links[1].mtu: expected an integer, got a string" },
	{ "real for an integer",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"ifname\": \"lo\","
	       " \"mtu\": 1500.0}]"),
	  -EPROTO, "links[0].mtu: expected an integer, got a real number" },
	{ "mtu out of range",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"ifname\": \"lo\","
	       " \"mtu\": -1}]"),
	  -EPROTO, "links[0].mtu: out of range (0..4294967295): -1" },
	{ "bad IP",
	  SNAP(", \"routes\": [{\"family\": \"inet\", \"dst\": \"default\","
	       " \"gateway\": \"1.2.3\"}]"),
	  -EPROTO, "routes[0].gateway: not an IP address: \"1.2.3\"" },
	{ "bad MAC",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"ifname\": \"eth0\","
	       " \"address\": \"00:0c:29:zz:00:01\"}]"),
	  -EPROTO,
	  "links[0].address: not a MAC address: \"00:0c:29:zz:00:01\"" },
	{ "over-long ifname",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"ifname\": "
	       "\"0123456789012345678901234567890123456789012345678901234567"
	       "890123\"}]"),
	  -EPROTO, "links[0].ifname: longer than 63 bytes" },
	{ "over-long module state",
	  SNAP(", \"modules\": [{\"name\": \"vmnet\", \"state\": "
	       "\"Live-and-kicking\"}]"),
	  -EPROTO, "modules[0].state: longer than 15 bytes" },
	{ "missing ifindex", SNAP(", \"links\": [{\"ifname\": \"eth0\"}]"),
	  -EPROTO, "links[0].ifindex: missing (required)" },
	{ "ifindex 0",
	  SNAP(", \"links\": [{\"ifindex\": 0, \"ifname\": \"x\"}]"), -EPROTO,
	  "links[0].ifindex: out of range (1..2147483647): 0" },
	{ "null for a non-null field",
	  SNAP(", \"links\": [{\"ifindex\": null, \"ifname\": \"x\"}]"),
	  -EPROTO, "links[0].ifindex: expected an integer, got null" },
	{ "links not an array", SNAP(", \"links\": {}"), -EPROTO,
	  "links: expected an array, got an object" },
	{ "link not an object", SNAP(", \"links\": [1]"), -EPROTO,
	  "links[0]: expected an object, got an integer" },
	{ "unknown link flag",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"ifname\": \"lo\", \"flags\":"
	       " [\"UP\", \"up\"]}]"),
	  -EPROTO, "links[0].flags[1]: unknown flag \"up\"" },
	{ "unknown operstate",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"ifname\": \"lo\","
	       " \"operstate\": \"RUNNING\"}]"),
	  -EPROTO, "links[0].operstate: unknown name \"RUNNING\"" },
	{ "carrier not a boolean",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"ifname\": \"lo\","
	       " \"carrier\": \"yes\"}]"),
	  -EPROTO,
	  "links[0].carrier: expected true, false or null, got a string" },
	{ "vlan id out of range",
	  SNAP(", \"links\": [{\"ifindex\": 1, \"ifname\": \"v\","
	       " \"kind\": \"vlan\", \"vlan_id\": 4096}]"),
	  -EPROTO, "links[0].vlan_id: out of range (0..4095): 4096" },
	{ "address family mismatch",
	  SNAP(", \"addresses\": [{\"ifindex\": 1, \"family\": \"inet\","
	       " \"local\": \"::1\", \"prefixlen\": 128}]"),
	  -EPROTO, "addresses[0].local: not an inet address: \"::1\"" },
	{ "prefixlen too long for IPv4",
	  SNAP(", \"addresses\": [{\"ifindex\": 1, \"local\": \"10.0.0.1\","
	       " \"prefixlen\": 33}]"),
	  -EPROTO, "addresses[0].prefixlen: out of range (0..32): 33" },
	{ "route without family",
	  SNAP(", \"routes\": [{\"dst\": \"default\"}]"), -EPROTO,
	  "routes[0].family: missing (required)" },
	{ "route dst of the other family",
	  SNAP(", \"routes\": [{\"family\": \"inet6\", \"dst\": "
	       "\"10.0.0.0/8\"}]"),
	  -EPROTO, "routes[0].dst: not an inet6 prefix: \"10.0.0.0/8\"" },
	{ "route dst not a prefix",
	  SNAP(", \"routes\": [{\"family\": \"inet\", \"dst\": "
	       "\"10.0.0.0/33\"}]"),
	  -EPROTO, "routes[0].dst: not a prefix: \"10.0.0.0/33\"" },
	{ "unknown family", SNAP(", \"rules\": [{\"family\": \"ipx\"}]"),
	  -EPROTO, "rules[0].family: unknown family \"ipx\"" },
	{ "route type out of range",
	  SNAP(", \"routes\": [{\"family\": \"inet\", \"dst\": \"default\","
	       " \"type\": 256}]"),
	  -EPROTO, "routes[0].type: out of range (0..255): 256" },
	{ "neighbour state out of range",
	  SNAP(", \"neighbours\": [{\"ifindex\": 1, \"address\": \"10.0.0.1\","
	       " \"state\": [65536]}]"),
	  -EPROTO, "neighbours[0].state[0]: out of range (0..65535): 65536" },
	{ "search entry not a string",
	  SNAP(", \"resolv\": {\"search\": [\"lan\", 5]}"), -EPROTO,
	  "resolv.search[1]: expected a string, got an integer" },
	{ "bad nameserver",
	  SNAP(", \"resolv\": {\"nameservers\": [{\"address\": \"8.8.8.8\"},"
	       " {\"address\": \"dns.google\"}]}"),
	  -EPROTO,
	  "resolv.nameservers[1].address: not an IP address: \"dns.google\"" },
	{ "vmware not an object", SNAP(", \"vmware\": []"), -EPROTO,
	  "vmware: expected an object or null, got an array" },
	{ "vnet without num", SNAP(", \"vmware\": {\"vnets\": [{}]}"), -EPROTO,
	  "vmware.vnets[0].num: missing (required)" },
	{ "vnet number out of range",
	  SNAP(", \"vmware\": {\"vnets\": [{\"num\": 256}]}"), -EPROTO,
	  "vmware.vnets[0].num: out of range (0..255): 256" },
	{ "vnet declared twice",
	  SNAP(", \"vmware\": {\"vnets\": [{\"num\": 8}, {\"num\": 8}]}"),
	  -EPROTO, "vmware.vnets[1].num: vmnet8 is declared twice" },
	{ "port forward vnet out of range",
	  SNAP(", \"vmware\": {\"portfwds\": [{\"vnet\": -1, \"proto\": "
	       "\"tcp\", \"host_port\": 80, \"guest_port\": 80}]}"),
	  -EPROTO, "vmware.portfwds[0].vnet: out of range (0..255): -1" },
	{ "port 0",
	  SNAP(", \"vmware\": {\"portfwds\": [{\"proto\": \"tcp\", "
	       "\"host_port\": 0, \"guest_port\": 80}]}"),
	  -EPROTO, "vmware.portfwds[0].host_port: out of range (1..65535): 0" },
	{ "port forward without guest port",
	  SNAP(", \"vmware\": {\"portfwds\": [{\"proto\": \"udp\", "
	       "\"host_port\": 53}]}"),
	  -EPROTO, "vmware.portfwds[0].guest_port: missing (required)" },
	{ "unknown port forward protocol",
	  SNAP(", \"vmware\": {\"portfwds\": [{\"proto\": \"sctp\", "
	       "\"host_port\": 80, \"guest_port\": 80}]}"),
	  -EPROTO, "vmware.portfwds[0].proto: unknown name \"sctp\"" },
	{ "item file not in files",
	  SNAP(", \"vmware\": {\"files\": [\"/etc/vmware/networking\"], "
	       "\"nats\": [{\"file\": \"/etc/vmware/vmnet8/nat/nat.conf\"}]}"),
	  -EPROTO,
	  "vmware.nats[0].file: not one of vmware.files: "
	  "\"/etc/vmware/vmnet8/nat/nat.conf\"" },
	{ "the same file twice",
	  SNAP(", \"vmware\": {\"files\": [\"/a\", \"/b\", \"/a\"]}"), -EPROTO,
	  "vmware.files[2]: the same path as files[0]" },
	{ "file not a string",
	  SNAP(", \"vmware\": {\"files\": [\"/a\"], \"vms\": [{\"file\": 0}]}"),
	  -EPROTO,
	  "vmware.vms[0].file: expected a string or null, got an "
	  "integer" },
	{ "NIC MAC of 8 bytes",
	  SNAP(", \"vmware\": {\"vms\": [{\"nics\": [{\"index\": 0, \"mac\": "
	       "\"00:0c:29:00:00:00:00:01\"}]}]}"),
	  -EPROTO,
	  "vmware.vms[0].nics[0].mac: not a 6-byte MAC address: "
	  "\"00:0c:29:00:00:00:00:01\"" },
	{ "IPv6 DHCP server",
	  SNAP(", \"vmware\": {\"dhcp_subnets\": [{\"dns\": [\"10.0.0.2\", "
	       "\"::1\"]}]}"),
	  -EPROTO,
	  "vmware.dhcp_subnets[0].dns[1]: not an IPv4 address: "
	  "\"::1\"" },
	{ "five DNS servers",
	  SNAP(", \"vmware\": {\"dhcp_subnets\": [{\"dns\": [\"10.0.0.1\", "
	       "\"10.0.0.2\", \"10.0.0.3\", \"10.0.0.4\", \"10.0.0.5\"]}]}"),
	  -EPROTO, "vmware.dhcp_subnets[0].dns: more than 4 servers" },
	{ "lease time not an integer",
	  SNAP(", \"vmware\": {\"leases\": [{\"starts\": \"2024-05-01\"}]}"),
	  -EPROTO,
	  "vmware.leases[0].starts: expected an integer, got a string" },
	{ "NAT prefix length over 32",
	  SNAP(", \"vmware\": {\"nats\": [{\"prefixlen\": 33}]}"), -EPROTO,
	  "vmware.nats[0].prefixlen: out of range (0..32): 33" },
	{ "kept key without key",
	  SNAP(", \"vmware\": {\"kvs\": [{\"value\": \"1\"}]}"), -EPROTO,
	  "vmware.kvs[0].key: missing (required)" },
	{ "present not a tri-state",
	  SNAP(", \"vmware\": {\"present\": \"yes\"}"), -EPROTO,
	  "vmware.present: expected true, false or null, got a string" },
	{ "too many NICs",
	  SNAP(", \"vmware\": {\"vms\": [{\"nics\": ["
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {},"
	       "{}]}]}"),
	  -EPROTO, "vmware.vms[0].nics: more than 256 items" },
	{ "sysctl setting without key",
	  SNAP(", \"sysctl\": {\"settings\": [{\"value\": \"1\"}]}"), -EPROTO,
	  "sysctl.settings[0].key: missing (required)" },
	{ "modules not an array", SNAP(", \"modules\": false"), -EPROTO,
	  "modules: expected an array or null, got a boolean" },
	{ "derived name of the wrong type",
	  SNAP(", \"routes\": [{\"family\": \"inet\", \"dst\": \"default\","
	       " \"dev\": 2}]"),
	  -EPROTO, "routes[0].dev: expected a string, got an integer" },
	{ "long value shortened in the message",
	  SNAP(", \"neighbours\": [{\"ifindex\": 1, \"address\": "
	       "\"0123456789012345678901234567890123456789012345678901234567"
	       "890123456789\"}]"),
	  -EPROTO,
	  "neighbours[0].address: not an IP address: "
	  "\"0123456789012345678901234567890123456789012345678901234567890123"
	  "...\"" },
	{ "NUL escape in a string", SNAP(", \"sysroot\": \"/a\\u0000b\""),
	  -EPROTO,
	  "not JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near "
	  "'\"/a\\u0000b\"' (line 1, column 56)" },
};

static void test_rejects(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		const struct reject *t = &rejects[i];
		struct vd_facts *sentinel = (struct vd_facts *)&rejects[i];
		struct vd_facts *f = sentinel;
		char err[512];
		int rc;

		memset(err, 'X', sizeof(err));
		rc = vd_snapshot_parse((const uint8_t *)t->json,
				       strlen(t->json), &f, err, sizeof(err));
		if (rc != t->rc || strcmp(err, t->err) != 0) {
			print_error("%s: got %d \"%s\", want %d \"%s\"\n",
				    t->name, rc, err, t->rc, t->err);
			bad++;
		}
		assert_ptr_equal(f, sentinel); /* untouched on failure */
		assert_null(strchr(err, '\n'));
	}
	assert_int_equal(bad, 0);
}

static void test_reject_huge(void **state)
{
	static const uint8_t small[] = "{}";
	struct vd_facts *f = NULL;
	char err[256];

	(void)state;
	/* Refused on its length alone: the bytes are never read. */
	assert_int_equal(vd_snapshot_parse(small, ((size_t)256 << 20) + 1, &f,
					   err, sizeof(err)),
			 -EFBIG);
	assert_string_equal(err, "snapshot too large (268435457 bytes, the "
				 "limit is 268435456)");
	assert_null(f);
}

static void test_reject_deep(void **state)
{
	size_t depth = 5000, n = 0;
	char *s = malloc(depth * 2 + 64);
	struct vd_facts *f = NULL;
	char err[256];
	int rc;

	(void)state;
	if (!s)
		abort();
	n += (size_t)sprintf(s, HEAD ", \"x\": ");
	memset(s + n, '[', depth);
	n += depth;
	memset(s + n, ']', depth);
	n += depth;
	s[n++] = '}';
	rc = vd_snapshot_parse((const uint8_t *)s, n, &f, err, sizeof(err));
	assert_int_equal(rc, -EPROTO);
	assert_non_null(strstr(err, "not JSON: maximum parsing depth reached"));
	assert_null(f);
	free(s);
}

/* No error buffer, or a tiny one: still the code, never an overflow. */
static void test_err_buffers(void **state)
{
	static const char bad[] = SNAP(", \"links\": [{\"ifindex\": \"1\"}]");
	struct vd_facts *f = NULL;
	char err[8];

	(void)state;
	assert_int_equal(vd_snapshot_parse((const uint8_t *)bad,
					   sizeof(bad) - 1, &f, NULL, 0),
			 -EPROTO);
	assert_int_equal(vd_snapshot_parse((const uint8_t *)bad,
					   sizeof(bad) - 1, &f, err,
					   sizeof(err)),
			 -EPROTO);
	assert_string_equal(err, "links[0");
	assert_int_equal(vd_snapshot_parse(NULL, 0, &f, err, 1), -EPROTO);
	assert_string_equal(err, "");
	assert_null(f);
}

static void test_unknown_keys_ignored(void **state)
{
	static const char doc[] =
		"{\"schema\": \"vnetdiag.snapshot/1\","
		" \"from_the_future\": {\"deep\": [1, 2, {\"x\": null}]},"
		" \"tool\": {\"name\": \"vnetdiag\", \"version\": \"1.9\","
		" \"build\": \"abc\"},"
		" \"host\": {\"hostname\": \"h\", \"uptime\": 12345},"
		" \"links\": [{\"ifindex\": 3, \"ifname\": \"vmnet8\","
		" \"xdp\": {\"mode\": \"native\"}, \"altnames\": [\"enp0\"]}],"
		" \"routes\": [{\"family\": \"inet\", \"dst\": \"default\","
		" \"gateway\": \"10.0.0.1\", \"pref\": \"medium\"}],"
		" \"resolv\": {\"options\": [\"edns0\"], \"nameservers\": []},"
		" \"vmware\": {\"vnets\": [{\"num\": 1, \"comment\": \"x\"}]},"
		" \"firewall\": null}";
	struct vd_facts *f = parse(doc);

	(void)state;
	assert_string_equal(f->tool_version, "1.9");
	assert_string_equal(f->host.hostname, "h");
	assert_int_equal(f->n_links, 1);
	assert_string_equal(f->links[0].name, "vmnet8");
	assert_int_equal(f->n_routes, 1);
	assert_int_equal(f->resolv.present, VD_YES);
	assert_int_equal(f->resolv.n_nameservers, 0);
	assert_int_equal(f->vmware.present, VD_YES);
	assert_int_equal(f->vmware.n_vnets, 1);
	vd_facts_free(f);
}

/* A key that is absent takes the model's default: unknown, none, 0. */
static void test_defaults(void **state)
{
	static const char doc[] = SNAP(
		", \"links\": [{\"ifindex\": 5, \"ifname\": \"v\","
		" \"kind\": \"vlan\"}],"
		" \"routes\": [{\"family\": \"inet6\", \"dst\": \"::/0\"}],"
		" \"rules\": [{\"family\": \"inet\", \"src\": \"10.1.2.3/0\"}],"
		" \"vmware\": {\"vnets\": [{\"num\": 1}]}");
	struct vd_facts *f = parse(doc);
	char *a;

	(void)state;
	assert_int_equal(f->links[0].carrier, VD_UNKNOWN);
	assert_int_equal(f->links[0].vlan_id, -1);
	assert_int_equal(f->links[0].oper, VD_OPER_UNKNOWN);
	assert_int_equal(f->links[0].mac_len, 0);
	assert_int_equal(f->routes[0].table, VD_RT_TABLE_MAIN);
	assert_int_equal(f->routes[0].type, VD_RTN_UNICAST);
	assert_int_equal(f->routes[0].dst.family, VD_AF_INET6);
	assert_int_equal(f->routes[0].dst_len, 0);
	assert_int_equal(f->routes[0].gateway.family, VD_AF_NONE);
	assert_int_equal(f->rules[0].action, VD_FR_ACT_TO_TBL);
	assert_int_equal(f->rules[0].suppress_prefixlen, -1);
	assert_int_equal(f->rules[0].src_len, 0);
	assert_int_equal(f->rules[0].src.family, VD_AF_NONE);
	assert_int_equal(f->host.ip_forward, VD_UNKNOWN);
	assert_int_equal(f->modules_known, VD_UNKNOWN);
	assert_int_equal(f->resolv.present, VD_UNKNOWN);
	assert_int_equal(f->vmware.vnets[0].dhcp, VD_UNKNOWN);
	assert_int_equal(f->vmware.vnets[0].prefixlen, -1);
	a = dump(f);
	assert_contains(a, "\"vlan_id\": null");
	assert_contains(a, "\"dst\": \"default\"");
	free(a);
	vd_facts_free(f);
}

static void test_modules_known(void **state)
{
	struct vd_facts *f;

	(void)state;
	f = parse(SNAP(", \"modules\": null"));
	assert_int_equal(f->modules_known, VD_UNKNOWN);
	assert_int_equal(f->n_modules, 0);
	vd_facts_free(f);
	f = parse(SNAP(""));
	assert_int_equal(f->modules_known, VD_UNKNOWN);
	vd_facts_free(f);
	f = parse(SNAP(", \"modules\": []"));
	assert_int_equal(f->modules_known, VD_YES);
	assert_int_equal(f->n_modules, 0);
	vd_facts_free(f);
	f = parse(SNAP(", \"modules\": [{\"name\": \"vmnet\"}]"));
	assert_int_equal(f->modules_known, VD_YES);
	assert_non_null(vd_facts_module(f, "vmnet"));
	vd_facts_free(f);
}

/* Names or numbers are both accepted; numbers with a name become names. */
static void test_numbers_for_names(void **state)
{
	struct vd_facts *f = parse(SNAP(
		", \"links\": [{\"ifindex\": 1, \"ifname\": \"lo\","
		" \"flags\": [1, 8, 65536, \"UP\"], \"operstate\": 6}],"
		" \"routes\": [{\"family\": \"inet\", \"dst\": \"10.0.0.0/8\","
		" \"protocol\": 2, \"scope\": 253, \"type\": 12}]"));
	char *a = dump(f);

	(void)state;
	assert_int_equal(f->links[0].flags,
			 VD_IFF_UP | VD_IFF_LOOPBACK | VD_IFF_LOWER_UP);
	assert_contains(a, "\"flags\": [\n        \"LOOPBACK\",\n"
			   "        \"UP\",\n        \"LOWER_UP\"\n      ]");
	assert_contains(a, "\"operstate\": \"UP\"");
	assert_contains(a, "\"protocol\": \"kernel\"");
	assert_contains(a, "\"scope\": \"link\"");
	assert_contains(a, "\"type\": 12");
	free(a);
	vd_facts_free(f);
}

/*
 * Every input the fuzzer keeps (tests/fuzz/corpus/fuzz_snapshot) is read
 * here too: no crash, and whatever is accepted writes and reads back the
 * same.
 */
static void test_fuzz_corpus(void **state)
{
	const char *dir = VD_SRCDIR "/tests/fuzz/corpus/fuzz_snapshot";
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t count = 0;

	(void)state;
	if (!d)
		fail_msg("cannot open %s", dir);
	while ((e = readdir(d))) {
		char path[1024], err[512], *a, *b;
		struct vd_facts *f = NULL, *g;
		uint8_t *buf;
		long len;
		FILE *fp;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		assert_int_equal(fseek(fp, 0, SEEK_END), 0);
		len = ftell(fp);
		assert_true(len >= 0);
		rewind(fp);
		buf = malloc((size_t)len + 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
		fclose(fp);
		if (vd_snapshot_parse(buf, (size_t)len, &f, err, sizeof(err)) ==
		    0) {
			a = dump(f);
			g = parse(a);
			b = dump(g);
			if (strcmp(a, b) != 0)
				fail_msg("%s: second write differs", path);
			free(a);
			free(b);
			vd_facts_free(f);
			vd_facts_free(g);
		} else {
			assert_null(f);
			assert_true(err[0] != '\0');
			assert_null(strchr(err, '\n'));
		}
		free(buf);
		count++;
	}
	closedir(d);
	assert_true(count > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_rich),
		cmocka_unit_test(test_roundtrip_vmware),
		cmocka_unit_test(test_vmware_present),
		cmocka_unit_test(test_parse_sorts),
		cmocka_unit_test(test_roundtrip_empty),
		cmocka_unit_test(test_roundtrip_firewall),
		cmocka_unit_test(test_dump_shape),
		cmocka_unit_test(test_dump_invalid_utf8),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_reject_huge),
		cmocka_unit_test(test_reject_deep),
		cmocka_unit_test(test_err_buffers),
		cmocka_unit_test(test_unknown_keys_ignored),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_modules_known),
		cmocka_unit_test(test_numbers_for_names),
		cmocka_unit_test(test_fuzz_corpus),
	};

	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
