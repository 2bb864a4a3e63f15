/* SPDX-License-Identifier: MIT */
/* facts/diff: every kind of change named; reordering is no change. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builder.h"
#include "facts/diff.h"
#include "facts/snapshot.h"

static struct vd_ip ip(const char *s)
{
	struct vd_ip a;

	assert_int_equal(vd_ip_parse(s, &a), 0);
	return a;
}

static struct vd_vnet *vnet(struct vd_vmware *v, int num, uint8_t mode,
			    const char *subnet)
{
	struct vd_vnet *n = VD_PUSH(v, vnets);

	n->num = num;
	snprintf(n->name, sizeof(n->name), "vmnet%d", num);
	n->mode = mode;
	n->dhcp = n->nat = n->virtual_adapter = VD_UNKNOWN;
	n->prefixlen = -1;
	if (subnet) {
		n->subnet = ip(subnet);
		n->netmask = ip("255.255.255.0");
		n->prefixlen = 24;
		n->virtual_adapter = VD_YES;
		n->dhcp = VD_YES;
	}
	n->line = (unsigned)num + 1;
	return n;
}

static void portfwd(struct vd_vmware *v, int vn, uint8_t proto, uint16_t hp,
		    const char *guest, uint16_t gp, int file, unsigned line)
{
	struct vd_portfwd *p = VD_PUSH(v, portfwds);

	p->vnet = vn;
	p->proto = proto;
	p->host_port = hp;
	p->guest = ip(guest);
	p->guest_port = gp;
	p->src = (struct vd_src){ file, line };
}

static void reservation(struct vd_vmware *v, int vn, const char *mac,
			const char *addr, int file)
{
	struct vd_dhcp_host *h = VD_PUSH(v, dhcp_hosts);

	h->vnet = vn;
	h->has_mac = vd_mac6_parse(mac, strlen(mac), h->mac);
	h->ip = ip(addr);
	h->src = (struct vd_src){ file, 30 };
}

static struct vd_vm_nic *nic(struct vd_vm *vm, int index, const char *conn,
			     const char *mac)
{
	struct vd_vm_nic *n = VD_PUSH(vm, nics);

	n->index = index;
	n->present = VD_YES;
	n->start_connected = VD_YES;
	snprintf(n->conn, sizeof(n->conn), "%s", conn);
	snprintf(n->virtual_dev, sizeof(n->virtual_dev), "e1000");
	snprintf(n->address_type, sizeof(n->address_type), "generated");
	n->has_mac = vd_mac6_parse(mac, strlen(mac), n->mac);
	snprintf(n->mac_text, sizeof(n->mac_text), "%s", mac);
	n->line = 10 + (unsigned)index;
	return n;
}

/* A host: bridged vmnet0, host-only vmnet1, NAT vmnet8 with two port
 * forwards (one declared twice), NAT and DHCP configuration, two
 * reservations, two VMs, the host adapters. */
static struct vd_facts *base(void)
{
	struct vd_facts *f = vd_facts_new();
	struct vd_vmware *v;
	struct vd_natconf *n;
	struct vd_dhcp_subnet *s;
	struct vd_vm *vm;

	assert_non_null(f);
	v = &f->vmware;
	v->present = VD_YES;
	snprintf(v->product_version, sizeof(v->product_version), "17.5.1");
	vd_vmware_file(v, "/etc/vmware/networking");		  /* 0 */
	vd_vmware_file(v, "/etc/vmware/vmnet8/nat/nat.conf");	  /* 1 */
	vd_vmware_file(v, "/etc/vmware/vmnet8/dhcpd/dhcpd.conf"); /* 2 */
	vd_vmware_file(v, "/home/u/vmware/web/web.vmx");	  /* 3 */
	vd_vmware_file(v, "/home/u/vmware/db/db.vmx");		  /* 4 */
	snprintf(vnet(v, 0, VD_VNET_BRIDGED, NULL)->bridge_if, VD_IFNAME_MAX,
		 "eth0");
	vnet(v, 1, VD_VNET_HOSTONLY, "172.16.78.0")->nat = VD_NO;
	vnet(v, 8, VD_VNET_NAT, "192.168.159.0")->nat = VD_YES;
	portfwd(v, 8, 6, 8080, "192.168.159.128", 80, 0, 20);
	portfwd(v, 8, 6, 2222, "192.168.159.128", 22, 0, 21);
	portfwd(v, 8, 6, 8080, "192.168.159.128", 80, 1, 40);

	n = VD_PUSH(v, nats);
	n->vnet = 8;
	n->ip = ip("192.168.159.2");
	n->netmask = ip("255.255.255.0");
	n->prefixlen = 24;
	n->src = (struct vd_src){ 1, 5 };

	s = VD_PUSH(v, dhcp_subnets);
	s->vnet = 8;
	s->subnet = ip("192.168.159.0");
	s->netmask = ip("255.255.255.0");
	s->range_lo = ip("192.168.159.128");
	s->range_hi = ip("192.168.159.254");
	s->router = ip("192.168.159.2");
	s->dns[0] = ip("192.168.159.2");
	s->n_dns = 1;
	s->src = (struct vd_src){ 2, 14 };

	reservation(v, 8, "00:0c:29:12:34:56", "192.168.159.50", 0);
	reservation(v, 8, "00:0c:29:12:34:56", "192.168.159.50", 2);
	reservation(v, 8, "00:0c:29:aa:bb:cc", "192.168.159.51", 0);

	vm = VD_PUSH(v, vms);
	vm->file = 3;
	snprintf(vm->name, sizeof(vm->name), "web");
	nic(vm, 0, "nat", "00:0c:29:00:00:01");
	nic(vm, 1, "hostonly", "00:0c:29:00:00:02");
	vm = VD_PUSH(v, vms);
	vm->file = 4;
	snprintf(vm->name, sizeof(vm->name), "db");
	nic(vm, 0, "nat", "00:0c:29:00:00:03");

	b_link(f, 1, "lo", "", UPF);
	b_link(f, 2, "eth0", "", UPF);
	b_link(f, 5, "vmnet1", "", UPF);
	b_link(f, 6, "vmnet8", "", UPF);
	b_addr(f, 5, "172.16.78.1/24", 0);
	b_addr(f, 6, "192.168.159.1/24", 0);
	b_addr(f, 6, "fe80::250:56ff:fec0:8/64", 0)->scope = VD_SCOPE_LINK;
	return f;
}

/* Keep the first n VMs (the others are freed). */
static void keep_vms(struct vd_vmware *v, size_t n)
{
	struct vd_vmware_mark m;

	vd_vmware_mark(v, &m);
	m.vms = n;
	vd_vmware_rollback(v, &m);
}

/* A deep copy, through the snapshot. */
static struct vd_facts *clone(const struct vd_facts *f)
{
	struct vd_facts *g = NULL;
	char *s = NULL, err[256];

	assert_int_equal(vd_snapshot_dump(f, &s), 0);
	if (vd_snapshot_parse((const uint8_t *)s, strlen(s), &g, err,
			      sizeof(err)) < 0)
		fail_msg("%s", err);
	free(s);
	return g;
}

/* The changes from a to b are exactly the given "what|text" lines. */
static void expect(const struct vd_facts *a, const struct vd_facts *b, ...)
{
	struct vd_changes c = { 0 };
	const char *want;
	size_t i = 0;
	va_list ap;
	char got[1024];

	assert_int_equal(vd_diff(a, b, &c), 0);
	va_start(ap, b);
	while ((want = va_arg(ap, const char *))) {
		if (i >= c.n_items)
			fail_msg("missing change: %s", want);
		snprintf(got, sizeof(got), "%s|%s", c.items[i].what,
			 c.items[i].text);
		if (strcmp(got, want) != 0)
			fail_msg("change %zu:\n got  %s\n want %s", i, got,
				 want);
		i++;
	}
	va_end(ap);
	if (i < c.n_items)
		fail_msg("unexpected change: %s|%s", c.items[i].what,
			 c.items[i].text);
	vd_changes_free(&c);
}

/* from and to of the only change. */
static void expect_values(const struct vd_facts *a, const struct vd_facts *b,
			  const char *from, const char *to)
{
	struct vd_changes c = { 0 };

	assert_int_equal(vd_diff(a, b, &c), 0);
	assert_int_equal(c.n_items, 1);
	if (from)
		assert_string_equal(c.items[0].from, from);
	else
		assert_null(c.items[0].from);
	if (to)
		assert_string_equal(c.items[0].to, to);
	else
		assert_null(c.items[0].to);
	vd_changes_free(&c);
}

static void test_identical(void **state)
{
	struct vd_facts *a = base(), *b = clone(a);

	(void)state;
	expect(a, b, NULL);
	expect(a, a, NULL);
	vd_facts_free(a);
	vd_facts_free(b);
}

static void swap(void *base_, size_t size, size_t i, size_t j)
{
	char tmp[4096], *p = base_;

	assert_true(size <= sizeof(tmp));
	memcpy(tmp, p + i * size, size);
	memcpy(p + i * size, p + j * size, size);
	memcpy(p + j * size, tmp, size);
}

/* Reordered files, other line numbers, files read in another order. */
static void test_reordered(void **state)
{
	struct vd_facts *a = base(), *b = clone(a);
	struct vd_vmware *v = &b->vmware;

	(void)state;
	swap(v->vnets, sizeof(*v->vnets), 0, 2);
	swap(v->portfwds, sizeof(*v->portfwds), 0, 2);
	swap(v->dhcp_hosts, sizeof(*v->dhcp_hosts), 0, 2);
	swap(v->vms, sizeof(*v->vms), 0, 1);
	swap(v->vms[1].nics, sizeof(*v->vms[1].nics), 0, 1);
	swap(v->files, sizeof(*v->files), 3, 4);
	v->vms[0].file = 3; /* db.vmx is files[3] now */
	v->vms[1].file = 4;
	for (size_t i = 0; i < v->n_portfwds; i++)
		v->portfwds[i].src.line += 100;
	v->vnets[1].line = 99;
	v->vms[1].nics[0].line = 77;
	v->nats[0].src.line = 1;
	expect(a, b, NULL);
	vd_facts_free(a);
	vd_facts_free(b);
}

static void test_vnets(void **state)
{
	struct vd_facts *a = base(), *b = clone(a);
	struct vd_vmware *v = &b->vmware;
	struct vd_vnet *x;

	(void)state;
	x = (struct vd_vnet *)vd_vmware_vnet(v, 8);
	x->subnet = ip("192.168.160.0");
	x->dhcp = VD_NO;
	x->nat = VD_UNKNOWN;
	x->virtual_adapter = VD_NO;
	x = (struct vd_vnet *)vd_vmware_vnet(v, 0);
	snprintf(x->bridge_if, sizeof(x->bridge_if), "wlan0");
	x = (struct vd_vnet *)vd_vmware_vnet(v, 1);
	x->mode = VD_VNET_NAT;
	vnet(v, 2, VD_VNET_HOSTONLY, "10.0.0.0");
	snprintf(v->product_version, sizeof(v->product_version), "17.6.0");
	expect(a, b, "vmware.version|VMware version 17.5.1 -> 17.6.0",
	       "vmnet0.bridge|bridge mapping vmnet0 eth0 -> wlan0",
	       "vmnet1.mode|vmnet1 mode host-only -> NAT",
	       "vmnet2|vmnet2 added (host-only 10.0.0.0/24)",
	       "vmnet8.subnet|vmnet8 subnet 192.168.159.0/24 -> "
	       "192.168.160.0/24",
	       "vmnet8.dhcp|vmnet8 DHCP yes -> no",
	       "vmnet8.nat|vmnet8 NAT yes -> unset",
	       "vmnet8.virtual_adapter|vmnet8 host adapter yes -> no", NULL);
	expect(b, a, "vmware.version|VMware version 17.6.0 -> 17.5.1",
	       "vmnet0.bridge|bridge mapping vmnet0 wlan0 -> eth0",
	       "vmnet1.mode|vmnet1 mode NAT -> host-only",
	       "vmnet2|vmnet2 removed (host-only 10.0.0.0/24)",
	       "vmnet8.subnet|vmnet8 subnet 192.168.160.0/24 -> "
	       "192.168.159.0/24",
	       "vmnet8.dhcp|vmnet8 DHCP no -> yes",
	       "vmnet8.nat|vmnet8 NAT unset -> yes",
	       "vmnet8.virtual_adapter|vmnet8 host adapter no -> yes", NULL);
	vd_facts_free(a);
	vd_facts_free(b);

	a = base();
	b = clone(a);
	b->vmware.n_vnets = 2; /* vmnet8 gone */
	expect(a, b, "vmnet8|vmnet8 removed (NAT 192.168.159.0/24)", NULL);
	expect_values(a, b, "NAT 192.168.159.0/24", NULL);
	expect_values(b, a, NULL, "NAT 192.168.159.0/24");
	vd_facts_free(a);
	vd_facts_free(b);
}

static void test_port_forwards(void **state)
{
	struct vd_facts *a = base(), *b = clone(a);
	struct vd_vmware *v = &b->vmware;

	(void)state;
	/* 8080 was in both files: gone from both; 2222 retargeted; a UDP
	 * forward of the same port number is another forward. */
	v->n_portfwds = 0;
	portfwd(v, 8, 6, 2222, "192.168.159.129", 22, 0, 21);
	portfwd(v, 8, 17, 8080, "192.168.159.128", 53, 0, 22);
	expect(a, b,
	       "vmnet8.portfwd.tcp.2222|vmnet8 port forward tcp 2222 target "
	       "192.168.159.128:22 -> 192.168.159.129:22",
	       "vmnet8.portfwd.tcp.8080|vmnet8 port forward tcp 8080 -> "
	       "192.168.159.128:80 removed",
	       "vmnet8.portfwd.udp.8080|vmnet8 port forward udp 8080 -> "
	       "192.168.159.128:53 added",
	       NULL);
	vd_facts_free(b);

	/* Removed from one of the two files only: the forward stays, and
	 * the file it left is named. */
	b = clone(a);
	b->vmware.portfwds[2] = b->vmware.portfwds[1];
	b->vmware.n_portfwds = 2;
	expect(a, b,
	       "vmnet8.portfwd.tcp.8080.file|vmnet8 port forward tcp 8080 -> "
	       "192.168.159.128:80 removed from "
	       "/etc/vmware/vmnet8/nat/nat.conf",
	       NULL);
	expect_values(b, a, NULL, "/etc/vmware/vmnet8/nat/nat.conf");
	vd_facts_free(b);

	/* The two files disagree afterwards: the new target is added,
	 * and the old one left nat.conf. */
	b = clone(a);
	b->vmware.portfwds[2].guest = ip("192.168.159.130");
	expect(a, b,
	       "vmnet8.portfwd.tcp.8080.file|vmnet8 port forward tcp 8080 -> "
	       "192.168.159.128:80 removed from "
	       "/etc/vmware/vmnet8/nat/nat.conf",
	       "vmnet8.portfwd.tcp.8080|vmnet8 port forward tcp 8080 -> "
	       "192.168.159.130:80 added",
	       NULL);
	vd_facts_free(a);
	vd_facts_free(b);
}

static void test_nat_dhcp(void **state)
{
	struct vd_facts *a = base(), *b = clone(a);
	struct vd_vmware *v = &b->vmware;

	(void)state;
	v->nats[0].ip = ip("192.168.159.3");
	v->nats[0].netmask = ip("255.255.0.0");
	v->dhcp_subnets[0].range_lo = ip("192.168.159.100");
	v->dhcp_subnets[0].router = ip("192.168.159.3");
	v->dhcp_subnets[0].dns[1] = ip("1.1.1.1");
	v->dhcp_subnets[0].n_dns = 2;
	v->dhcp_subnets[0].subnet = ip("192.168.158.0");
	v->dhcp_subnets[0].netmask = ip("255.255.254.0");
	expect(a, b,
	       "vmnet8.nat.gateway|vmnet8 NAT gateway 192.168.159.2 -> .3",
	       "vmnet8.nat.netmask|vmnet8 NAT netmask 255.255.255.0 -> "
	       "255.255.0.0",
	       "vmnet8.dhcp.subnet|vmnet8 DHCP subnet 192.168.159.0/24 -> "
	       "192.168.158.0/23",
	       "vmnet8.dhcp.range|vmnet8 DHCP range "
	       "192.168.159.128-192.168.159.254 -> "
	       "192.168.159.100-192.168.159.254",
	       "vmnet8.dhcp.routers|vmnet8 DHCP option routers 192.168.159.2 "
	       "-> .3",
	       "vmnet8.dhcp.dns|vmnet8 DHCP option domain-name-servers "
	       "192.168.159.2 -> 192.168.159.2, 1.1.1.1",
	       NULL);
	vd_facts_free(b);

	/* nat.conf and dhcpd.conf gone. */
	b = clone(a);
	b->vmware.n_nats = 0;
	b->vmware.n_dhcp_subnets = 0;
	expect(a, b,
	       "vmnet8.nat|vmnet8 NAT configuration removed (gateway "
	       "192.168.159.2)",
	       "vmnet8.dhcp|vmnet8 DHCP configuration removed "
	       "(192.168.159.0/24)",
	       NULL);
	expect(b, a,
	       "vmnet8.nat|vmnet8 NAT configuration added (gateway "
	       "192.168.159.2)",
	       "vmnet8.dhcp|vmnet8 DHCP configuration added "
	       "(192.168.159.0/24)",
	       NULL);
	vd_facts_free(a);
	vd_facts_free(b);
}

static void test_reservations(void **state)
{
	struct vd_facts *a = base(), *b = clone(a);
	struct vd_vmware *v = &b->vmware;

	(void)state;
	v->dhcp_hosts[0].ip = ip("192.168.159.60"); /* networking */
	v->dhcp_hosts[1].ip = ip("192.168.159.60"); /* dhcpd.conf */
	v->n_dhcp_hosts = 2;			    /* aa:bb:cc gone */
	reservation(v, 8, "00:0C:29:DD:EE:FF", "192.168.159.52", 0);
	expect(a, b,
	       "vmnet8.reservation.00:0c:29:12:34:56|vmnet8 reservation "
	       "00:0c:29:12:34:56 address 192.168.159.50 -> 192.168.159.60",
	       "vmnet8.reservation.00:0c:29:aa:bb:cc|vmnet8 reservation "
	       "00:0c:29:aa:bb:cc -> 192.168.159.51 removed",
	       "vmnet8.reservation.00:0c:29:dd:ee:ff|vmnet8 reservation "
	       "00:0c:29:dd:ee:ff -> 192.168.159.52 added",
	       NULL);
	vd_facts_free(a);
	vd_facts_free(b);
}

static void test_vms(void **state)
{
	struct vd_facts *a = base(), *b = clone(a);
	struct vd_vmware *v = &b->vmware;
	struct vd_vm *vm;
	struct vd_vm_nic *n;

	(void)state;
	n = &v->vms[0].nics[0];
	snprintf(n->conn, sizeof(n->conn), "bridged");
	n->has_mac = vd_mac6_parse("00:0c:29:00:00:09", 17, n->mac);
	n->start_connected = VD_NO;
	n->present = VD_NO;
	snprintf(n->virtual_dev, sizeof(n->virtual_dev), "vmxnet3");
	snprintf(n->address_type, sizeof(n->address_type), "static");
	n = &v->vms[0].nics[1];
	snprintf(n->conn, sizeof(n->conn), "custom");
	snprintf(n->vnet, sizeof(n->vnet), "vmnet2");
	snprintf(n->network_name, sizeof(n->network_name), "lab");
	nic(&v->vms[0], 2, "nat", "00:0c:29:00:00:04");
	v->vms[1].n_nics = 0; /* db: ethernet0 removed */
	vd_vmware_file(v, "/srv/vms/mail.vmx");
	vm = VD_PUSH(v, vms);
	vm->file = 5;
	snprintf(vm->name, sizeof(vm->name), "mail \"new\"");
	expect(a, b,
	       "vm[\"web\"].ethernet0.connection_type|VM \"web\" ethernet0 "
	       "nat -> bridged",
	       "vm[\"web\"].ethernet0.mac|VM \"web\" ethernet0 MAC "
	       "00:0c:29:00:00:01 -> 00:0c:29:00:00:09",
	       "vm[\"web\"].ethernet0.address_type|VM \"web\" ethernet0 MAC "
	       "type generated -> static",
	       "vm[\"web\"].ethernet0.present|VM \"web\" ethernet0 present "
	       "yes -> no",
	       "vm[\"web\"].ethernet0.start_connected|VM \"web\" ethernet0 "
	       "connected at power on yes -> no",
	       "vm[\"web\"].ethernet0.virtual_dev|VM \"web\" ethernet0 device "
	       "e1000 -> vmxnet3",
	       "vm[\"web\"].ethernet1.connection_type|VM \"web\" ethernet1 "
	       "hostonly -> custom",
	       "vm[\"web\"].ethernet1.vnet|VM \"web\" ethernet1 network unset "
	       "-> vmnet2",
	       "vm[\"web\"].ethernet1.network_name|VM \"web\" ethernet1 "
	       "network name unset -> lab",
	       "vm[\"web\"].ethernet2|VM \"web\" ethernet2 added (nat)",
	       "vm[\"db\"].ethernet0|VM \"db\" ethernet0 removed (nat)",
	       "vm[\"mail \\\"new\\\"\"]|VM \"mail \"new\"\" added "
	       "(/srv/vms/mail.vmx)",
	       NULL);
	vd_facts_free(b);

	/* A VM removed; a VM moved to another folder is matched by name. */
	b = clone(a);
	v = &b->vmware;
	keep_vms(v, 1);
	free(v->files[3]);
	v->files[3] = strdup("/data/vms/web/web.vmx");
	assert_non_null(v->files[3]);
	expect(a, b, "vm[\"db\"]|VM \"db\" removed (/home/u/vmware/db/db.vmx)",
	       NULL);
	expect_values(a, b, "/home/u/vmware/db/db.vmx", NULL);
	vd_facts_free(a);
	vd_facts_free(b);
}

static void test_adapters(void **state)
{
	struct vd_facts *a = base(), *b = clone(a);

	(void)state;
	for (size_t i = 0; i < b->n_addrs; i++)
		if (b->addrs[i].ifindex == 6 &&
		    b->addrs[i].ip.family == VD_AF_INET)
			b->addrs[i].ip = ip("192.168.160.1");
	((struct vd_link *)vd_facts_link_by_name(b, "vmnet1"))->flags &=
		~VD_IFF_UP;
	b_link(b, 7, "vmnet2", "", UPF);
	b_addr(b, 7, "10.0.0.1/24", 0);
	vd_facts_sort(b);
	expect(a, b, "vmnet1.link|vmnet1 link up -> down",
	       "vmnet2.adapter|vmnet2 adapter added (up, 10.0.0.1/24)",
	       "vmnet8.address|vmnet8 address 192.168.159.1/24 -> "
	       "192.168.160.1/24",
	       NULL);
	vd_facts_free(b);

	/* A side without links (a probe's facts, a reduced snapshot): the
	 * adapters are not compared. */
	b = clone(a);
	b->n_links = 0;
	b->n_addrs = 0;
	expect(a, b, NULL);
	vd_facts_free(a);
	vd_facts_free(b);
}

/* Nothing of VMware on one side: every vnet is added. */
static void test_from_nothing(void **state)
{
	struct vd_facts *a = vd_facts_new(), *b = base();

	(void)state;
	assert_non_null(a);
	b->n_links = 0;
	b->vmware.n_portfwds = 1;
	b->vmware.n_dhcp_hosts = 0;
	keep_vms(&b->vmware, 0);
	b->vmware.n_nats = 0;
	b->vmware.n_dhcp_subnets = 0;
	expect(a, b, "vmware.version|VMware version unknown -> 17.5.1",
	       "vmnet0|vmnet0 added (bridged to eth0)",
	       "vmnet1|vmnet1 added (host-only 172.16.78.0/24)",
	       "vmnet8|vmnet8 added (NAT 192.168.159.0/24)",
	       "vmnet8.portfwd.tcp.8080|vmnet8 port forward tcp 8080 -> "
	       "192.168.159.128:80 added",
	       NULL);
	vd_facts_free(a);
	vd_facts_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_reordered),
		cmocka_unit_test(test_vnets),
		cmocka_unit_test(test_port_forwards),
		cmocka_unit_test(test_nat_dhcp),
		cmocka_unit_test(test_reservations),
		cmocka_unit_test(test_vms),
		cmocka_unit_test(test_adapters),
		cmocka_unit_test(test_from_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
