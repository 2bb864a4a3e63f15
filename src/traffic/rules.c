/* SPDX-License-Identifier: MIT */
/*
 * The traffic rules: one entry a code, each turning its tallies into
 * findings with the frames as evidence (docs/traffic.md).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traffic/tr.h"
#include "util/ip.h"

/* The frames line, and keep them for --write-filtered. */
static void frames(struct vd_traffic *t, struct vd_findings *out,
		   struct vd_finding *f, const struct tr_tally *tl)
{
	char buf[256];

	if (!f || tl->n_frames == 0)
		return;
	tr_frames_text(tl, buf, sizeof(buf));
	vd_finding_evidence(out, f, "%s", buf);
	tr_keep_frames(t, tl);
}

static const char *ip_text(const struct vd_ip *ip, char *buf, size_t len)
{
	return vd_ip_str(ip, buf, len);
}

/* "a, b, c" of the tally's addresses (sorted when sort). */
static int cmp_ip(const void *a, const void *b)
{
	const struct vd_ip *x = a, *y = b;

	if (x->family != y->family)
		return x->family - y->family;
	return memcmp(x->b, y->b, sizeof(x->b));
}

static void ip_list(const struct tr_tally *tl, bool sort, const char *sep,
		    char *buf, size_t len)
{
	struct vd_ip ips[8];
	char a[VD_IPSTR_MAX];
	size_t at = 0;

	memcpy(ips, tl->ips, tl->n_ips * sizeof(ips[0]));
	if (sort)
		qsort(ips, tl->n_ips, sizeof(ips[0]), cmp_ip);
	buf[0] = '\0';
	for (unsigned i = 0; i < tl->n_ips && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? sep : "",
				       ip_text(&ips[i], a, sizeof(a)));
}

/* ---- L2 ---- */

static void tr_arp_unanswered(struct vd_traffic *t, struct vd_findings *out,
			      const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	char mac[VD_MACSTR_MAX], ip[VD_IPSTR_MAX];

	if (tl->n[0] < t->o.min_unanswered)
		return;
	f = vd_finding_add(out, "L2.arp-unanswered", k->subject,
			   "%" PRIu64 " ARP requests for %s went unanswered",
			   tl->n[0], k->subject);
	if (!f)
		return;
	if (tl->n_macs) {
		tr_mac(tl->macs[0], mac, sizeof(mac));
		vd_finding_evidence(out, f, "asked by %s (%s)", mac,
				    ip_text(&tl->ips[0], ip, sizeof(ip)));
	}
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "make sure the machine that owns %s is running and "
			  "attached to this network (a VM: its NIC connected "
			  "and on the same vmnet/bridge as the asker)",
			  k->subject);
	vd_finding_remedy(out, f, "confirm: arping -c 3 -I IFACE %.*s",
			  (int)strcspn(k->subject, " "), k->subject);
}

static void tr_duplicate_ip(struct vd_traffic *t, struct vd_findings *out,
			    const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	char macs[8 * VD_MACSTR_MAX + 16], m[VD_MACSTR_MAX];
	size_t at = 0;

	if (tl->n_macs < 2)
		return;
	macs[0] = '\0';
	for (unsigned i = 0; i < tl->n_macs && at < sizeof(macs); i++) {
		tr_mac(tl->macs[i], m, sizeof(m));
		at += (size_t)snprintf(macs + at, sizeof(macs) - at, "%s%s",
				       i ? ", " : "", m);
	}
	f = vd_finding_add(out, "L2.duplicate-ip", k->subject,
			   "%s is claimed by %u MAC addresses: %s", k->subject,
			   tl->n_macs, macs);
	if (!f)
		return;
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "give one of the machines another address (a cloned "
			  "VM keeps its static IP: change it inside the guest "
			  "or use a DHCP reservation)");
	vd_finding_remedy(out, f, "confirm: arping -D -c 2 -I IFACE %.*s",
			  (int)strcspn(k->subject, " "), k->subject);
}

static void tr_mac_conflict(struct vd_traffic *t, struct vd_findings *out,
			    const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	char ips[8 * VD_IPSTR_MAX];

	if (tl->n[0] < t->o.mac_flaps || tl->n_ips < 2)
		return;
	ip_list(tl, false, ", ", ips, sizeof(ips));
	f = vd_finding_add(out, "L2.mac-conflict", k->subject,
			   "%s switches between %u addresses (%s) %" PRIu64
			   " times",
			   k->subject, tl->n_ips, ips, tl->n[0]);
	if (!f)
		return;
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "two machines share the MAC %s: give one a new MAC "
			  "(a copied VM: remove its ethernetN.address / "
			  "generatedAddress lines from the .vmx, or answer "
			  "\"I copied it\", so VMware generates a new one)",
			  k->subject);
}

struct vlan_scan {
	bool answered; /* some VLAN (or untagged) gets ARP answers */
};

static void vlan_answered(void *ctx, const void *key, void *val)
{
	struct vlan_scan *s = ctx;
	const struct tr_key *k = key;
	const struct tr_tally *tl = val;

	if (k->sub == 0 && tl->n[1] > 0)
		s->answered = true;
}

static void tr_vlan_mismatch(struct vd_traffic *t, struct vd_findings *out,
			     const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	struct vlan_scan s = { false };

	if (k->sub == 1) {
		f = vd_finding_add(out, "L2.vlan-mismatch", k->subject,
				   "%" PRIu64 " frames carry VLAN tag %" PRIu64
				   ", which is not expected here",
				   tl->n[0], tl->n[2]);
		if (f) {
			frames(t, out, f, tl);
			vd_finding_remedy(out, f,
					  "make the VLAN IDs agree: the port "
					  "group / VLAN sub-interface (ip -d "
					  "link show) and the switch port's "
					  "trunk list");
		}
		return;
	}
	if (tl->n[2] == 0 || tl->n[1] > 0 || tl->n[0] < t->o.min_unanswered)
		return;
	vd_tab_each(&t->tally[TR_VLAN], vlan_answered, &s);
	if (!s.answered)
		return;
	f = vd_finding_add(out, "L2.vlan-mismatch", k->subject,
			   "no ARP request tagged with VLAN %" PRIu64
			   " is answered (%" PRIu64 " tried) while ARP is "
			   "answered in another VLAN or untagged",
			   tl->n[2], tl->n[0]);
	if (!f)
		return;
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "the two ends disagree on VLAN %" PRIu64 ": tag "
			  "both or neither (VM port group VLAN ID, the "
			  "sub-interface IFACE.%" PRIu64 ", bridge vlan "
			  "filtering: bridge vlan show)",
			  tl->n[2], tl->n[2]);
}

static void tr_mtu_mismatch(struct vd_traffic *t, struct vd_findings *out,
			    const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	char who[VD_IPSTR_MAX];

	if (k->sub == 1) {
		f = vd_finding_add(
			out, "L2.mtu-mismatch", k->subject,
			"%s reports the path to %s carries only %" PRIu64
			" bytes (%" PRIu64 " too-big messages)",
			tl->n_ips ? ip_text(&tl->ips[0], who, sizeof(who))
				  : "a router",
			k->subject, tl->n[1], tl->n[0]);
	} else {
		if (tl->n[1] < t->o.min_unanswered || tl->n[0] == 0)
			return;
		f = vd_finding_add(out, "L2.mtu-mismatch", k->subject,
				   "large echoes to %s with don't-fragment are "
				   "lost (%" PRIu64 ") while small ones are "
				   "answered (%" PRIu64 ")",
				   k->subject, tl->n[1], tl->n[0]);
	}
	if (!f)
		return;
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "make the MTUs agree along the path to %s (ip link "
			  "show on the host adapter, the bridge and its ports, "
			  "the VM's NIC; ip link set dev IFACE mtu 1500)",
			  k->subject);
	vd_finding_remedy(out, f, "confirm: tracepath %s", k->subject);
}

/* ---- L3 ---- */

static void tr_dhcp_no_offer(struct vd_traffic *t, struct vd_findings *out,
			     const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;

	if (tl->n[0] < t->o.min_unanswered || tl->n[1] > 0)
		return;
	f = vd_finding_add(out, "L3.dhcp-no-offer", k->subject,
			   "client %s sent %" PRIu64
			   " DHCPDISCOVERs and got no offer",
			   k->subject, tl->n[0]);
	if (!f)
		return;
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "check the network's DHCP server: VMware's "
			  "vmnet-dhcpd (Linux) or VMnetDHCP (Windows) for "
			  "host-only/NAT networks, the LAN's server for "
			  "bridged ones; and that nothing drops UDP 67/68");
}

static void tr_dhcp_multiple(struct vd_traffic *t, struct vd_findings *out,
			     const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	char subj[8 * VD_IPSTR_MAX];

	if (tl->n_ips < 2)
		return;
	ip_list(tl, true, ",", subj, sizeof(subj));
	f = vd_finding_add(out, "L3.dhcp-multiple-servers", subj,
			   "%u DHCP servers answer on %s: %s", tl->n_ips,
			   k->subject, subj);
	if (!f)
		return;
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "keep one DHCP server per network: stop the other "
			  "(a second dnsmasq, a router's DHCP on a bridged "
			  "network) or turn VMware's DHCP off for this vmnet "
			  "in the Virtual Network Editor");
}

static const char *unreach_text(uint32_t sub)
{
	bool v6 = (sub >> 16) == VD_AF_INET6;
	unsigned code = sub & 0xff;

	if (v6) {
		static const char *const c6[] = {
			"no route",	    "administratively prohibited",
			"beyond scope",	    "address unreachable",
			"port unreachable", "source address failed policy",
			"reject route",
		};
		return code < 7 ? c6[code] : "destination unreachable";
	}
	switch (code) {
	case 0:
		return "network unreachable";
	case 1:
		return "host unreachable";
	case 2:
		return "protocol unreachable";
	case 3:
		return "port unreachable";
	case 9:
	case 10:
	case 13:
		return "administratively prohibited";
	default:
		return "destination unreachable";
	}
}

static void tr_icmp_unreachable(struct vd_traffic *t, struct vd_findings *out,
				const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	char who[VD_IPSTR_MAX];
	const char *what = unreach_text(k->sub);

	ip_text(&tl->ips[0], who, sizeof(who));
	f = vd_finding_add(out, "L3.icmp-unreachable", k->subject,
			   "%s reports %s for %s (%" PRIu64 " messages)", who,
			   what, k->subject, tl->n[0]);
	if (!f)
		return;
	if (tl->n[1] == 6 || tl->n[1] == 17)
		vd_finding_evidence(out, f, "about %s to port %" PRIu64,
				    tl->n[1] == 6 ? "TCP" : "UDP", tl->n[2]);
	frames(t, out, f, tl);
	if (strstr(what, "prohibited") || strstr(what, "policy") ||
	    strstr(what, "reject"))
		vd_finding_remedy(out, f,
				  "a firewall on %s rejects this traffic: "
				  "find the rule (nft list ruleset)",
				  who);
	else if (strstr(what, "port"))
		vd_finding_remedy(out, f,
				  "nothing listens on that UDP port of %s: "
				  "start the service",
				  k->subject);
	else
		vd_finding_remedy(out, f,
				  "%s has no route or no neighbour for %s: "
				  "check with ip route get %s / ip neigh on it",
				  who, k->subject, k->subject);
}

static void tr_dns_failure(struct vd_traffic *t, struct vd_findings *out,
			   const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	uint64_t failed = tl->n[1] + tl->n[2];
	uint64_t other = tl->n[1] - tl->n[3] - tl->n[4];
	const uint64_t part[] = { tl->n[2], tl->n[3], tl->n[4], other };
	static const char *const name[] = { "unanswered", "SERVFAIL", "REFUSED",
					    "other errors" };
	char how[128];
	size_t at = 0;

	if (failed < t->o.min_unanswered ||
	    (double)failed < t->o.dns_fail_rate * (double)tl->n[0])
		return;
	how[0] = '\0';
	for (int i = 0; i < 4; i++)
		if (part[i] && at < sizeof(how))
			at += (size_t)snprintf(
				how + at, sizeof(how) - at, "%s%" PRIu64 " %s",
				at ? ", " : "", part[i], name[i]);
	f = vd_finding_add(out, "L3.dns-failure", k->subject,
			   "DNS server %s: %" PRIu64 " of %" PRIu64
			   " queries failed (%s)",
			   k->subject, failed, tl->n[0], how);
	if (!f)
		return;
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "check that %s runs a resolver that can reach its "
			  "upstream (on a VMware NAT network the NAT service "
			  "proxies DNS at .2); confirm: dig @%s example.com",
			  k->subject, k->subject);
}

/* ---- L4 ---- */

static void tr_syn_unanswered(struct vd_traffic *t, struct vd_findings *out,
			      const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	char who[VD_IPSTR_MAX];

	if (tl->n[0] < t->o.min_unanswered)
		return;
	f = vd_finding_add(out, "L4.syn-unanswered", k->subject,
			   "%" PRIu64 " SYNs to %s got neither SYN-ACK nor RST",
			   tl->n[0], k->subject);
	if (!f)
		return;
	vd_finding_evidence(out, f, "from %s%s",
			    ip_text(&tl->ips[0], who, sizeof(who)),
			    tl->n_ips > 1 ? " and others" : "");
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "something drops the SYNs: a firewall on the way "
			  "(nft list ruleset on host, VM and NAT device), the "
			  "host is down, or NAT does not forward (VMware NAT: "
			  "vmnet-natd running, port forward present)");
}

static void tr_port_closed(struct vd_traffic *t, struct vd_findings *out,
			   const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;

	f = vd_finding_add(out, "L4.port-closed", k->subject,
			   "%s refused %" PRIu64 " connections (RST)",
			   k->subject, tl->n[0]);
	if (!f)
		return;
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "start the service, or make it listen on this "
			  "address and port (on that machine: ss -ltn)");
}

static void tr_retransmissions(struct vd_traffic *t, struct vd_findings *out,
			       const struct tr_key *k, struct tr_tally *tl)
{
	struct vd_finding *f;
	char who[VD_IPSTR_MAX + 8];
	double pct =
		tl->n[1] ? 100.0 * (double)tl->n[0] / (double)tl->n[1] : 0.0;

	tr_ip_port(&tl->ips[0], (uint16_t)tl->n[2], who, sizeof(who));
	f = vd_finding_add(out, "L4.retransmissions", k->subject,
			   "%s retransmits %" PRIu64 " of %" PRIu64
			   " data segments (%.1f%%) in %s",
			   who, tl->n[0], tl->n[1], pct, k->subject);
	if (!f)
		return;
	frames(t, out, f, tl);
	vd_finding_remedy(out, f,
			  "packets are lost on the way: look for drops and "
			  "errors (ip -s link on host adapter, bridge and VM "
			  "NIC), an MTU mismatch, or an overloaded host");
}

/* One entry a code, each run over that code's tallies (tr_code_names
 * says which table is whose). */
/* clang-format off */
const struct vd_traffic_rule vd_traffic_rules[] = {
	{ "L2.arp-unanswered", tr_arp_unanswered },
	{ "L2.duplicate-ip", tr_duplicate_ip },
	{ "L2.mac-conflict", tr_mac_conflict },
	{ "L2.vlan-mismatch", tr_vlan_mismatch },
	{ "L2.mtu-mismatch", tr_mtu_mismatch },
	{ "L3.dhcp-no-offer", tr_dhcp_no_offer },
	{ "L3.dhcp-multiple-servers", tr_dhcp_multiple },
	{ "L3.icmp-unreachable", tr_icmp_unreachable },
	{ "L3.dns-failure", tr_dns_failure },
	{ "L4.syn-unanswered", tr_syn_unanswered },
	{ "L4.port-closed", tr_port_closed },
	{ "L4.retransmissions", tr_retransmissions },
};
/* clang-format on */
const size_t vd_traffic_rules_len =
	sizeof(vd_traffic_rules) / sizeof(vd_traffic_rules[0]);
