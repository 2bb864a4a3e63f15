/* SPDX-License-Identifier: MIT */
/*
 * The finding catalog of shared/spec/findings.md.  Codes are a public
 * interface: never rename or reuse one.  "release" is the version that
 * brings the detection; "implemented" says whether this build has it.
 */
#include "catalog/catalog.h"

#include <string.h>

#define C(code, layer, breaks, sev, rel, impl, seed, src, summary)      \
	{                                                               \
		code, layer, breaks, sev, summary, seed, src, rel, impl \
	}
#define CRIT VD_SEV_CRITICAL
#define WARN VD_SEV_WARNING
#define INFO VD_SEV_INFO

/* clang-format off */
const struct vd_check vd_catalog[] = {
C("L1.adapter-missing", VD_L1, VD_L1, CRIT, "0.3", 1, "S1 S2", "snap",
  "an interface the virtual-network config expects (vmnetN with a host adapter, virbr0, vboxnet0...) does not exist"),
C("L1.adapter-down", VD_L1, VD_L1, CRIT, "0.1", 1, "S1", "snap",
  "the interface is administratively down"),
C("L1.no-carrier", VD_L1, VD_L1, CRIT, "0.1", 1, "S1 S2 S22", "snap",
  "admin up but no carrier / operstate down (bridge without live ports, peer down, cable)"),
C("L1.module-missing", VD_L1, VD_L1, CRIT, "0.3", 1, "S3", "snap",
  "a hypervisor kernel module is not loaded (vmmon, vmnet; vboxdrv, vboxnetflt, vboxnetadp; kvm) although that hypervisor is configured"),
C("L1.module-kernel-mismatch", VD_L1, VD_L1, CRIT, "0.3", 1, "S3 C3", "snap",
  "modules exist for another kernel but not the running one (kernel upgraded), or signing/Secure Boot refused them"),
C("L2.mtu-mismatch", VD_L2, VD_L2, WARN, "0.1", 1, "S5", "snap probe pcap",
  "MTUs differ along the path (bridge vs its ports, host adapter vs VM NIC, VLAN vs parent), or large DF packets are lost while small ones pass"),
C("L2.vlan-mismatch", VD_L2, VD_L2, CRIT, "0.4", 1, "S4", "snap pcap",
  "VLAN IDs disagree between the two ends (port group / VLAN sub-interface / bridge VLAN filter), or frames carry unexpected tags"),
C("L2.mac-conflict", VD_L2, VD_L2, CRIT, "0.1", 1, "S6", "snap pcap",
  "one MAC address is used by two interfaces or VMs"),
C("L2.duplicate-ip", VD_L2, VD_L2, CRIT, "0.2", 1, "S6", "probe pcap",
  "two different MACs answer or claim the same IP address"),
C("L2.arp-unanswered", VD_L2, VD_L2, CRIT, "0.2", 1, "S21 S23", "snap probe pcap",
  "ARP requests for an on-link target get no reply"),
C("L2.vmx-mac-mismatch", VD_L2, VD_L2, WARN, "0.3", 1, "S7", "snap",
  "the MAC in a VM's .vmx differs from the MAC seen for that VM (DHCP host entry, lease, neighbour table)"),
C("L2.vmx-mac-invalid", VD_L2, VD_L2, CRIT, "0.3", 1, "S7", "snap",
  "a static MAC in a .vmx is outside VMware's allowed 00:50:56:00:00:00-00:50:56:3F:FF:FF, or is multicast/zero"),
C("L2.bridge-mapping-missing", VD_L2, VD_L2, CRIT, "0.3", 1, "S22 C1", "snap",
  "a bridged virtual network maps to a physical NIC that is absent or down"),
C("L2.vms-on-different-networks", VD_L2, VD_L2, WARN, "0.3", 1, "S21", "snap",
  "VMs that should talk are attached to different virtual networks or modes"),
C("L3.no-address", VD_L3, VD_L3, CRIT, "0.1", 1, "S8 S9", "snap probe",
  "the host virtual adapter (or the VM) has no IPv4 address in the network's subnet"),
C("L3.netmask-mismatch", VD_L3, VD_L3, CRIT, "0.2", 1, "S8", "snap",
  "the adapter's prefix length differs from the configured mask, or a peer address lies outside the adapter's subnet"),
C("L3.subnet-mismatch", VD_L3, VD_L3, CRIT, "0.3", 1, "S8", "snap",
  "the adapter's address is not in the configured virtual-network subnet"),
C("L3.subnet-overlap", VD_L3, VD_L3, CRIT, "0.1", 1, "S10 C1", "snap",
  "the virtual network's subnet overlaps another interface's subnet (LAN, VPN, container bridge)"),
C("L3.route-missing", VD_L3, VD_L3, CRIT, "0.1", 1, "S10", "snap",
  "no route to the VM subnet through its virtual adapter"),
C("L3.route-wrong-interface", VD_L3, VD_L3, CRIT, "0.1", 1, "S10 C1", "snap probe",
  "the best route to the VM subnet or target leaves through another interface (more specific route, lower metric)"),
C("L3.gateway-wrong", VD_L3, VD_L3, CRIT, "0.3", 1, "S11", "snap probe",
  "the gateway handed to VMs (DHCP option routers, guest default route) is not the NAT device address"),
C("L3.dhcp-no-offer", VD_L3, VD_L3, CRIT, "0.2", 1, "S9", "probe pcap",
  "a DHCP discover on the virtual network gets no offer"),
C("L3.dhcp-multiple-servers", VD_L3, VD_L3, CRIT, "0.2", 1, "C2", "probe pcap",
  "more than one DHCP server answers on one network"),
C("L3.dhcp-config-invalid", VD_L3, VD_L3, WARN, "0.3", 1, "S9", "snap",
  "DHCP config inconsistent: range outside the subnet, range covering the host/NAT addresses, duplicate fixed addresses, pool exhausted"),
C("L3.dhcp-service-down", VD_L3, VD_L3, CRIT, "0.3", 1, "S9", "snap",
  "the DHCP daemon for a network configured with DHCP is not running"),
C("L3.dns-no-server", VD_L3, VD_L3, WARN, "0.1", 1, "S12", "snap",
  "no nameserver is configured"),
C("L3.dns-failure", VD_L3, VD_L3, CRIT, "0.2", 1, "S12", "probe pcap",
  "configured nameservers time out, refuse, or answer SERVFAIL"),
C("L3.icmp-unreachable", VD_L3, VD_L3, CRIT, "0.2", 1, "S23", "probe pcap",
  "ICMP destination-unreachable (net, host, admin-prohibited) comes back for the target"),
C("L3.ip-forward-disabled", VD_L3, VD_L3, CRIT, "0.5", 1, "-", "snap",
  "IP forwarding is off where the host itself routes or NATs for VMs (libvirt NAT, routed networks)"),
C("L3.target-unreachable", VD_L3, VD_L3, CRIT, "0.2", 1, "flowchart B", "probe",
  "the target does not answer at L3 and no lower cause was found"),
C("L4.port-closed", VD_L4, VD_L4, CRIT, "0.2", 1, "S13", "probe pcap",
  "the target answers TCP SYN with RST (nothing listening)"),
C("L4.port-filtered", VD_L4, VD_L4, CRIT, "0.2", 1, "S13 S14 S15", "probe pcap",
  "SYNs get no answer although the host is reachable"),
C("L4.firewall-blocks", VD_L4, VD_L4, CRIT, "0.5", 1, "S14 S15 S18", "snap",
  "a local firewall rule (nftables, iptables, ufw, firewalld, Windows Firewall) drops or rejects the traffic; evidence names the rule"),
C("L4.nat-service-down", VD_L4, VD_L4, CRIT, "0.3", 1, "S23", "snap",
  "the NAT daemon of a NAT network is not running"),
C("L4.nat-portforward-missing", VD_L4, VD_L4, WARN, "0.3", 1, "S16", "snap",
  "no NAT port forward exists for the requested host port"),
C("L4.nat-portforward-wrong-target", VD_L4, VD_L4, CRIT, "0.3", 1, "S16", "snap",
  "a port forward points to an address that is not the VM's (per leases) or lies outside the subnet"),
C("L4.nat-hostport-conflict", VD_L4, VD_L4, CRIT, "0.3", 1, "S16", "snap",
  "a forwarded host port is already bound by another process"),
C("L4.syn-unanswered", VD_L4, VD_L4, CRIT, "0.4", 1, "S23", "pcap",
  "SYN packets without SYN-ACK in traffic"),
C("L4.retransmissions", VD_L4, VD_L4, WARN, "0.4", 1, "-", "pcap",
  "TCP retransmission rate above threshold"),
C("L7.service-not-listening", VD_L7, VD_L7, CRIT, "0.2", 1, "S13", "snap",
  "on this machine nothing listens on the expected port"),
C("L7.http-error", VD_L7, VD_L7, WARN, "0.6", 0, "-", "probe",
  "an HTTP check answered with an error status"),
C("HOST.vmware-service-down", VD_HOST, VD_L1, CRIT, "0.3", 1, "flowchart J/K", "snap",
  "VMware networking services/daemons not running (vmware-networks, vmnet-bridge, vmnet-natd, vmnet-dhcpd; Windows VMnetDHCP, VMware NAT Service)"),
C("HOST.hyperv-conflict", VD_HOST, VD_L1, CRIT, "0.5", 1, "S17", "snap",
  "a conflicting hypervisor is active (Hyper-V with an older VMware; on Linux, KVM or VirtualBox modules beside VMware)"),
C("HOST.selinux-denials", VD_HOST, VD_L2, WARN, "0.5", 1, "S19", "snap",
  "SELinux is enforcing and AVC denials involve hypervisor network processes"),
C("HOST.apparmor-denials", VD_HOST, VD_L2, WARN, "0.5", 1, "S19", "snap",
  "AppArmor denials involve hypervisor network processes"),
C("HOST.networkmanager-managed", VD_HOST, VD_L3, WARN, "0.5", 1, "S20", "snap",
  "NetworkManager manages a hypervisor's virtual adapter"),
C("HOST.firewall-blocks-hypervisor", VD_HOST, VD_L4, CRIT, "0.5", 0, "S18", "snap",
  "a firewall rule blocks the hypervisor's own programs (vmware.exe, vmware-vmx.exe)"),
C("HOST.log-errors", VD_HOST, VD_L7, WARN, "0.3", 1, "logs", "snap",
  "hypervisor network logs contain known failure lines (\"Failed to initialize\", \"conflict IP address\", \"Permission denied\", \"Interface initialization failed\", module load errors)"),
C("HOST.sysctl-obsolete", VD_HOST, VD_L4, WARN, "0.1", 1, "best practices", "snap",
  "sysctl configuration sets removed or harmful keys (e.g. net.ipv4.tcp_tw_recycle, removed in Linux 4.12 and harmful behind NAT)"),
C("HOST.nic-model-legacy", VD_HOST, VD_L1, INFO, "0.3", 1, "best practices", "snap",
  "a VM uses an emulated e1000 NIC where vmxnet3 is recommended"),
};
/* clang-format on */

const size_t vd_catalog_len = sizeof(vd_catalog) / sizeof(vd_catalog[0]);

const struct vd_check *vd_catalog_find(const char *code)
{
	for (size_t i = 0; i < vd_catalog_len; i++)
		if (strcmp(vd_catalog[i].code, code) == 0)
			return &vd_catalog[i];
	return NULL;
}

const char *vd_layer_name(enum vd_layer l)
{
	switch (l) {
	case VD_L1:
		return "L1";
	case VD_L2:
		return "L2";
	case VD_L3:
		return "L3";
	case VD_L4:
		return "L4";
	case VD_L7:
		return "L7";
	case VD_HOST:
		return "HOST";
	}
	return "?";
}

const char *vd_layer_title(enum vd_layer l)
{
	switch (l) {
	case VD_L1:
		return "physical / virtual adapter";
	case VD_L2:
		return "data link";
	case VD_L3:
		return "network";
	case VD_L4:
		return "transport";
	case VD_L7:
		return "application";
	case VD_HOST:
		return "platform and policy";
	}
	return "?";
}

const char *vd_severity_name(enum vd_severity s)
{
	switch (s) {
	case VD_SEV_INFO:
		return "info";
	case VD_SEV_WARNING:
		return "warning";
	case VD_SEV_CRITICAL:
		return "critical";
	case VD_SEV_NONE:
		break;
	}
	return "none";
}

int vd_check_rank(const struct vd_check *c)
{
	return c->layer == VD_HOST ? (int)c->breaks : (int)c->layer;
}
