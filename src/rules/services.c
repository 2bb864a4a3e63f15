/* SPDX-License-Identifier: MIT */
/*
 * What every VM of a virtual network depends on, from the probe results:
 * a DHCP server that offers (exactly one), and DNS servers that answer.
 */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "util/ip.h"

void rule_dhcp_no_offer(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_probes *pr = &c->facts->probes;
	char mac[VD_MACSTR_MAX];

	for (size_t i = 0; i < pr->n_dhcps; i++) {
		const struct vd_dhcp_result *d = &pr->dhcps[i];
		struct vd_finding *fd;

		if (d->n_offers)
			continue;
		fd = vd_finding_add(out, "L3.dhcp-no-offer", d->ifname,
				    "no DHCP server offers an address on %s",
				    d->ifname);
		vd_finding_evidence(
			out, fd,
			"DHCPDISCOVER xid 0x%08x from %s "
			"(broadcast flag set): no DHCPOFFER",
			d->xid, vd_mac_str(d->client_mac, 6, mac, sizeof(mac)));
		vd_finding_remedy(out, fd,
				  "start the network's DHCP server: "
				  "vmware-networks --stop && vmware-networks "
				  "--start (VMware runs vmnet-dhcpd per "
				  "network); check it: ps -ef | grep "
				  "vmnet-dhcpd");
		vd_finding_remedy(out, fd,
				  "or give the VMs static addresses in the "
				  "subnet, outside the DHCP range");
	}
}

void rule_dhcp_multiple_servers(const struct vd_rule_ctx *c,
				struct vd_findings *out)
{
	const struct vd_probes *pr = &c->facts->probes;
	char ip[VD_IPSTR_MAX], a[VD_IPSTR_MAX], mac[VD_MACSTR_MAX];

	for (size_t i = 0; i < pr->n_dhcps; i++) {
		const struct vd_dhcp_result *d = &pr->dhcps[i];
		struct vd_finding *fd;
		unsigned servers = 0;

		for (unsigned k = 0; k < d->n_offers; k++) {
			bool seen = false;

			/* A server is its id and its MAC: two machines with
			 * one address (a copied configuration) are two. */
			for (unsigned j = 0; j < k; j++)
				if (vd_ip_equal(&d->offers[j].server,
						&d->offers[k].server) &&
				    memcmp(d->offers[j].server_mac,
					   d->offers[k].server_mac, 6) == 0)
					seen = true;
			servers += !seen;
		}
		if (servers < 2)
			continue;
		fd = vd_finding_add(out, "L3.dhcp-multiple-servers", d->ifname,
				    "%u DHCP servers answer on %s", servers,
				    d->ifname);
		for (unsigned k = 0; k < d->n_offers; k++) {
			const struct vd_dhcp_offer *o = &d->offers[k];

			vd_finding_evidence(
				out, fd, "DHCPOFFER %s from %s (%s), router %s",
				vd_ip_str(&o->yiaddr, a, sizeof(a)),
				vd_ip_str(&o->server, ip, sizeof(ip)),
				vd_mac_str(o->server_mac, 6, mac, sizeof(mac)),
				o->router.family
					? vd_ip_str(&o->router, ip, sizeof(ip))
					: "none");
		}
		vd_finding_remedy(
			out, fd,
			"keep one DHCP server per network: find the "
			"other by its MAC (tcpdump -eni %s port 67) "
			"and switch it off, or turn off VMware's "
			"(VNET_N_DHCP no) when the LAN's should serve",
			d->ifname);
	}
}

/* "DNS server X <what happened> for NAME" */
static const char *dns_status(uint8_t s)
{
	switch (s) {
	case VD_DNS_SERVFAIL:
		return "answers SERVFAIL";
	case VD_DNS_REFUSED:
		return "refuses the query";
	case VD_DNS_TIMEOUT:
		return "does not answer";
	case VD_DNS_ERROR:
		return "cannot be asked (nothing listens on port 53?)";
	}
	return "fails";
}

void rule_dns_failure(const struct vd_rule_ctx *c, struct vd_findings *out)
{
	const struct vd_probes *pr = &c->facts->probes;
	char ip[VD_IPSTR_MAX];

	for (size_t i = 0; i < pr->n_dns; i++) {
		const struct vd_dns_result *d = &pr->dns[i];
		struct vd_finding *fd;

		if (d->status == VD_DNS_ANSWERED ||
		    d->status == VD_DNS_NXDOMAIN)
			continue;
		vd_ip_str(&d->server, ip, sizeof(ip));
		fd = vd_finding_add(out, "L3.dns-failure", ip,
				    "DNS server %s %s for %s", ip,
				    dns_status(d->status), d->name);
		if (d->status == VD_DNS_TIMEOUT)
			vd_finding_evidence(out, fd,
					    "query %s A at %s: no answer in %u "
					    "ms",
					    d->name, ip, d->rtt_us / 1000);
		else
			vd_finding_evidence(
				out, fd, "query %s A at %s: %s (rcode %u)",
				d->name, ip, dns_status(d->status), d->rcode);
		vd_finding_remedy(out, fd,
				  "if %s is VMware's NAT device (.2), its DNS "
				  "proxy is vmnet-natd: restart it with "
				  "vmware-networks --stop && vmware-networks "
				  "--start; else check the server and the "
				  "firewall for UDP/TCP port 53",
				  ip);
	}
}
