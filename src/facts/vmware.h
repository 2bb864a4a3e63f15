/* SPDX-License-Identifier: MIT */
/*
 * The VMware part of the facts model: what VMware's own files say.
 *
 * Each parser appends what its file declares; nothing here is judged or
 * joined (the rules join it with the live facts, see rules/vmodel.h).
 * Every item remembers where it came from: an index into files[] and a
 * line number, so that evidence can quote "file:line".
 */
#ifndef VD_FACTS_VMWARE_H
#define VD_FACTS_VMWARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/types.h"

/* VMware virtual network modes. */
enum vd_vnet_mode {
	VD_VNET_UNKNOWN = 0,
	VD_VNET_BRIDGED,
	VD_VNET_HOSTONLY,
	VD_VNET_NAT,
};

#define VD_VNET_MAX 255 /* vmnet0 .. vmnet255 */

/* One vmnetN as declared by etc/vmware/networking. */
struct vd_vnet {
	int num;
	char name[16]; /* "vmnet8" */
	uint8_t mode;  /* enum vd_vnet_mode */
	int8_t dhcp;   /* enum vd_tri */
	int8_t nat;
	int8_t virtual_adapter;
	struct vd_ip subnet;  /* VD_AF_NONE when not declared */
	struct vd_ip netmask; /* VD_AF_NONE when not declared */
	int prefixlen;	      /* from netmask, -1 when non-contiguous/absent */
	unsigned line;	      /* line of the first answer for this vnet */
	/* add_bridge_mapping IFNAME N: the host NIC a bridged vnet uses
	 * ("" = automatic, any NIC) and its line. */
	char bridge_if[VD_IFNAME_MAX];
	unsigned bridge_line;
};

/* Where an item was read: files[file] (-1: nowhere), 1-based line. */
struct vd_src {
	int file;
	unsigned line;
};

/* A NAT port forward: nat.conf [incomingtcp]/[incomingudp]
 * "hostport = ip:port", or networking "add_nat_portfwd N proto hport ip
 * gport". */
struct vd_portfwd {
	int vnet;      /* -1: unknown */
	uint8_t proto; /* 6 tcp, 17 udp */
	uint16_t host_port;
	struct vd_ip guest; /* VD_AF_NONE: not an IPv4 address */
	uint16_t guest_port;
	struct vd_src src;
};

/* nat.conf / vmnetnat.conf [host] section of one NAT network. */
struct vd_natconf {
	int vnet;	      /* from the path or the device key, -1 */
	struct vd_ip ip;      /* the NAT device (gateway) address */
	struct vd_ip netmask; /* VD_AF_NONE when absent */
	int prefixlen;	      /* from netmask or "ip = a.b.c.d/N", -1 */
	char device[32];      /* "/dev/vmnet8", "VMnet8", "vmnet8" */
	struct vd_src src;    /* the [host] ip line (or the section) */
};

/* One "subnet ... netmask ... { }" of a dhcpd.conf / vmnetdhcp.conf. */
struct vd_dhcp_subnet {
	int vnet; /* from the path, the "Virtual ethernet segment N" comment,
		   * or the host vmnetN block inside it; -1 */
	struct vd_ip subnet, netmask;
	struct vd_ip range_lo, range_hi; /* VD_AF_NONE: no range */
	unsigned range_line;
	struct vd_ip router; /* first of "option routers"; NONE: absent */
	unsigned router_line;
	struct vd_ip dns[4]; /* "option domain-name-servers" */
	uint8_t n_dns;
	unsigned dns_line;
	struct vd_src src; /* the subnet line */
};

/* A fixed address: a dhcpd.conf host block with "hardware ethernet" and
 * "fixed-address", or networking "add_dhcp_mac_to_ip N MAC IP". */
struct vd_dhcp_host {
	int vnet; /* -1 */
	char name[64];
	bool has_mac;
	uint8_t mac[6];
	struct vd_ip ip; /* VD_AF_NONE: absent or a host name */
	struct vd_src src;
};

/* One lease of dhcpd.leases (ISC) or macOS bootpd's dhcpd_leases. */
struct vd_lease {
	int vnet; /* -1 */
	struct vd_ip ip;
	bool has_mac;
	uint8_t mac[6];
	char hostname[64];
	int64_t starts, ends; /* Unix time (UTC); 0: unknown */
	struct vd_src src;
};

/* One ethernetN of a .vmx. Strings are as written, lower-cased where the
 * format is case-insensitive (connection type, device, address type). */
struct vd_vm_nic {
	int index;		/* N of ethernetN */
	int8_t present;		/* enum vd_tri */
	int8_t start_connected; /* enum vd_tri (absent: unknown) */
	char conn[16]; /* connectionType: bridged nat hostonly custom pvn */
	char vnet[32]; /* "vnet" normalised to "vmnetN", or as written */
	char network_name[64]; /* networkName */
	char virtual_dev[16];  /* virtualDev: e1000 vmxnet3 ... */
	char address_type[16]; /* generated static vpx */
	char mac_text[32]; /* the MAC as written (address/generatedAddress) */
	bool has_mac;	   /* mac_text parsed as six octets */
	uint8_t mac[6];
	unsigned line; /* first ethernetN line */
};

struct vd_vm {
	int file;	/* the .vmx: files[file] */
	char name[128]; /* displayName, "" */
	char guest_os[64];
	int8_t running; /* enum vd_tri: a vmware-vmx process runs it */
	VD_ARRAY(struct vd_vm_nic, nics);
};

/* A known failure line in a VMware log (vmware.log, syslog, journal). */
struct vd_log_hit {
	char kind[24]; /* the pattern's id, e.g. "vnet-connect" */
	char *text;    /* the line, trimmed, at most 512 bytes */
	struct vd_src src;
};

/* netmap.conf "networkN.name"/"networkN.device". */
struct vd_netmap {
	int index;
	char name[64];
	char device[32];
	struct vd_src src;
};

/* A VMware kernel module built on disk (lib/modules/KVER/.../vmmon.ko). */
struct vd_modfile {
	char kernel[128];
	char name[16]; /* "vmmon", "vmnet" */
};

/* Any other key = value of VMware's files, kept so that nothing is lost
 * (etc/vmware/config, nat.conf sections, unmodelled .vmx NIC keys...). */
struct vd_kv {
	char *section; /* "" when the format has none */
	char *key;
	char *value;
	struct vd_src src;
};

struct vd_vmware {
	int8_t present; /* enum vd_tri: VD_UNKNOWN = no networking file */
	char *networking_file;
	VD_ARRAY(char *, files); /* every VMware file read, in order */
	VD_ARRAY(struct vd_vnet, vnets);
	VD_ARRAY(struct vd_portfwd, portfwds);
	VD_ARRAY(struct vd_natconf, nats);
	VD_ARRAY(struct vd_dhcp_subnet, dhcp_subnets);
	VD_ARRAY(struct vd_dhcp_host, dhcp_hosts);
	VD_ARRAY(struct vd_lease, leases);
	VD_ARRAY(struct vd_vm, vms);
	VD_ARRAY(struct vd_netmap, netmap);
	VD_ARRAY(struct vd_log_hit, log_hits);
	VD_ARRAY(struct vd_modfile, module_files);
	int8_t module_files_known; /* enum vd_tri: lib/modules was listed */
	VD_ARRAY(struct vd_kv, kvs);
	char product_version[32]; /* config "product.version", "" */
};

void vd_vmware_init(struct vd_vmware *v);
void vd_vmware_free(struct vd_vmware *v);

/* The index of path in v->files, added when new; -ENOMEM. */
int vd_vmware_file(struct vd_vmware *v, const char *path);
/* "file:line" of src into buf ("" when unknown). */
const char *vd_vmware_where(const struct vd_vmware *v, struct vd_src src,
			    char *buf, size_t len);

/* Append a kept key/value (copies the strings); -ENOMEM. */
int vd_vmware_kv_add(struct vd_vmware *v, const char *section, const char *key,
		     const char *value, struct vd_src src);

/*
 * Parsers are all-or-nothing: take a mark before, roll back to it when
 * they fail, and the model is as it was (files[] keeps its entries).
 */
struct vd_vmware_mark {
	size_t vnets, portfwds, nats, dhcp_subnets, dhcp_hosts, leases, vms,
		netmap, log_hits, kvs;
};
void vd_vmware_mark(const struct vd_vmware *v, struct vd_vmware_mark *m);
void vd_vmware_rollback(struct vd_vmware *v, const struct vd_vmware_mark *m);

/* The vnet declared as vmnetN, or NULL. */
const struct vd_vnet *vd_vmware_vnet(const struct vd_vmware *v, int num);

/* "bridged", "host-only", "NAT", or "unknown mode". */
const char *vd_vnet_mode_text(unsigned mode);

/* "vmnet8", "/dev/vmnet8", "VMnet8" -> 8; -1 for anything else. */
int vd_vnet_number(const char *s);

/* Parse "00:50:56:C0:00:08" (also '-' separated, octets of one or two
 * hex digits as bootpd writes them); true when six octets. */
bool vd_mac6_parse(const char *s, size_t n, uint8_t mac[6]);

#endif
