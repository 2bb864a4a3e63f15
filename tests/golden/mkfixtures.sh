#!/usr/bin/env bash
# Derive one snapshot fixture per case from the healthy base.json by a jq
# edit that mirrors what the kernel would show for that fault (an adapter
# taken down also loses its routes, ...).  The fixtures are committed; rerun
# this after changing base.json or an edit below.
set -eu
cd "$(dirname "$0")"
mkdir -p fixtures
rm -f fixtures/*.json

# Helpers shared by the edits.
lib='
def link($n): .links[] | select(.ifname == $n);
def idx($n): [.links[] | select(.ifname == $n) | .ifindex][0];
def setlink($n; f): .links |= map(if .ifname == $n then f else . end);
def down: .flags -= ["UP", "LOWER_UP", "RUNNING"] | .operstate = "DOWN";
def nocarrier: .flags -= ["LOWER_UP", "RUNNING"] | .operstate = "DOWN" | .carrier = false;
def drop_routes($n): idx($n) as $i | .routes |= map(select(.oif != $i));
def drop_addrs($n; $fam): idx($n) as $i | .addresses |= map(select(.ifindex != $i or .family != $fam));
def newlink($n; $kind; $mac): .links += [{ifindex: ([.links[].ifindex] | max + 1), ifname: $n, kind: $kind,
    master: null, parent: null, parent_other_ns: false, flags: ["BROADCAST","MULTICAST","UP","LOWER_UP"],
    operstate: "UP", carrier: true, mtu: 1500, address: $mac}];
def addaddr($n; $a; $len): idx($n) as $i | .addresses += [{ifindex: $i, ifname: $n, family: "inet",
    local: $a, prefixlen: $len, scope: "global", flags: ["permanent"], label: $n}];
def addroute($dst; $gw; $dev; $metric; $table): idx($dev) as $i | .routes += [{table: $table, family: "inet",
    dst: $dst, tos: 0, protocol: "static", scope: (if $gw == null then "link" else "global" end),
    type: "unicast", metric: $metric, gateway: $gw, prefsrc: null, oif: $i, dev: $dev, nh_flags: []}];
'

make() { # name, jq edit
	jq "$lib $2" base.json >"fixtures/$1.json"
}

make healthy '.'
# L1.adapter-down: the kernel drops the routes of a downed interface.
make adapter-down 'setlink("vmnet8"; down) | drop_routes("vmnet8")'
make adapter-down-not-adapter 'newlink("eth1"; null; "02:00:00:00:00:99") | setlink("eth1"; down)'
make adapter-down-config-says-no '.vmware.vnets |= map(if .num == 1 then .virtual_adapter = false else . end)
	| setlink("vmnet1"; down) | drop_routes("vmnet1")'
make adapter-down-option 'newlink("lab0"; "veth"; "02:00:00:00:00:98") | setlink("lab0"; down)'
# L1.no-carrier: a bridge whose ports are all gone keeps its route (linkdown).
make no-carrier 'idx("vmnet8") as $b | .links |= map(select(.master != $b)) | setlink("vmnet8"; nocarrier)
	| .routes |= map(if .oif == $b then .nh_flags += ["linkdown"] else . end)'
make no-carrier-unknown-operstate 'setlink("vmnet1"; .operstate = "UNKNOWN" | .carrier = null)'
# L2.mtu-mismatch: one port lowered (the bridge follows the minimum).
make mtu-bridge-ports 'setlink("vm1p"; .mtu = 1400) | setlink("vmnet8"; .mtu = 1400)'
make mtu-bridge-above-ports 'setlink("vmnet8"; .mtu = 9000)'
make mtu-vlan 'idx("eth0") as $p | newlink("eth0.100"; "vlan"; (link("eth0") | .address))
	| setlink("eth0.100"; .mtu = 9000 | .parent = $p | .vlan_id = 100)'
make mtu-all-lowered 'setlink("vm1p"; .mtu = 1400) | setlink("vm2p"; .mtu = 1400) | setlink("vmnet8"; .mtu = 1400)'
# L2.mac-conflict: unrelated interfaces with one MAC; inheritance is fine.
make mac-conflict '(link("eth0") | .address) as $m | setlink("vmnet1"; .address = $m)'
make mac-bridge-inherits '(link("vm1p") | .address) as $m | setlink("vmnet8"; .address = $m)'
make mac-vlan-inherits 'idx("eth0") as $p | newlink("eth0.100"; "vlan"; (link("eth0") | .address))
	| setlink("eth0.100"; .parent = $p | .vlan_id = 100)'
# L3.no-address
make no-address 'drop_addrs("vmnet8"; "inet") | drop_routes("vmnet8")'
make no-address-v6-only 'drop_addrs("vmnet1"; "inet") | drop_routes("vmnet1")
	| idx("vmnet1") as $i | .addresses += [{ifindex: $i, ifname: "vmnet1", family: "inet6",
	  local: "fe80::1", prefixlen: 64, scope: "link", flags: ["permanent"], label: null}]'
# L3.netmask-mismatch: /16 on an adapter configured as /24.
make netmask-wide 'idx("vmnet8") as $i | .addresses |= map(if .ifindex == $i and .family == "inet"
	then .prefixlen = 16 else . end) | .routes |= map(if .oif == $i and .dst == "192.168.159.0/24"
	then .dst = "192.168.0.0/16" else . end)'
make netmask-no-config 'del(.vmware) | idx("vmnet8") as $i | .addresses |= map(if .ifindex == $i and
	.family == "inet" then .prefixlen = 16 else . end) | .routes |= map(if .oif == $i and
	.dst == "192.168.159.0/24" then .dst = "192.168.0.0/16" else . end)'
# L3.subnet-overlap
make subnet-overlap 'newlink("lan0"; "veth"; "02:00:00:00:00:97") | addaddr("lan0"; "192.168.0.10"; 16)
	| addroute("192.168.0.0/16"; null; "lan0"; 0; 254)'
make subnet-adjacent 'newlink("lan0"; "veth"; "02:00:00:00:00:97") | addaddr("lan0"; "192.168.160.10"; 24)
	| addroute("192.168.160.0/24"; null; "lan0"; 0; 254)'
make subnet-overlap-config 'drop_addrs("vmnet1"; "inet") | drop_routes("vmnet1")
	| addaddr("eth0"; "172.16.0.15"; 16)'
# L3.route-missing: noprefixroute and no route added by hand.
make route-missing 'idx("vmnet8") as $i | .addresses |= map(if .ifindex == $i and .family == "inet"
	then .flags += ["noprefixroute"] else . end) | .routes |= map(select(.oif != $i or .family != "inet"
	or .table != 254))'
make route-noprefixroute-static 'idx("vmnet8") as $i | .addresses |= map(if .ifindex == $i and .family == "inet"
	then .flags += ["noprefixroute"] else . end) | .routes |= map(select(.oif != $i or .family != "inet"
	or .table != 254)) | addroute("192.168.159.0/24"; null; "vmnet8"; 10; 254)'
# L3.route-wrong-interface: more specific, lower metric, policy rule.
make route-more-specific 'addroute("192.168.159.128/25"; "10.0.2.2"; "eth0"; 0; 254)'
make route-lower-metric 'idx("vmnet8") as $i | .routes |= map(if .oif == $i and .table == 254
	and .family == "inet" and .dst == "192.168.159.0/24" then .metric = 500 else . end)
	| addroute("192.168.159.0/24"; "10.0.2.2"; "eth0"; 100; 254)'
make route-policy-rule 'addroute("192.168.159.0/24"; "10.0.2.2"; "eth0"; 0; 200)
	| .rules += [{family: "inet", priority: 100, action: "lookup", table: 200, invert: false,
	  src: null, dst: null, fwmark: 0, fwmask: 0, suppress_prefixlen: null, iif: null, oif: null}]'
make route-specific-same-iface 'addroute("192.168.159.128/25"; null; "vmnet8"; 0; 254)'
make route-other-table 'addroute("192.168.159.0/24"; "10.0.2.2"; "eth0"; 0; 300)'
# L3.dns-no-server
make dns-no-server '.resolv.nameservers = []'
make dns-unknown '.resolv = null'
# HOST.sysctl-obsolete
make sysctl-obsolete '.sysctl.files += ["/etc/sysctl.d/90-tune.conf"] | .sysctl.settings += [
	{key: "net.ipv4.tcp_tw_recycle", value: "1", file: "/etc/sysctl.d/90-tune.conf", line: 3}]'
make sysctl-fine '.sysctl.settings += [{key: "net.ipv4.tcp_fin_timeout", value: "30",
	file: "/etc/sysctl.d/90-tune.conf", line: 1}]'
# Adapters by pattern when no VMware configuration is present.
make pattern-virbr 'del(.vmware) | newlink("virbr0"; "bridge"; "52:54:00:00:00:01") | setlink("virbr0"; down)'
# Probe results along the path to vm1 (192.168.159.128:80), as check
# --target records them.  $vm1 is on-link on vmnet8.
probes='
def vm1: "192.168.159.128";
def rt($t; $dev; $gw): idx($dev) as $i | {target: $t, error: null, type: "unicast", oif: $i, dev: $dev,
    gateway: $gw, prefsrc: null, table: 254};
def arp($t; $dev; $macs): idx($dev) as $i | {target: $t, ifindex: $i, dev: $dev, sent: 3, macs: $macs, rtt_us: 120};
def ping($t; $rx): {target: $t, sent: 3, received: $rx, rtt_min_us: 100, rtt_avg_us: 150, rtt_max_us: 200,
    errors: 0, error: null, local_error: null};
def tcp($t; $port; $state): {target: $t, port: $port, state: $state, error: null, rtt_us: 300};
def path($arpmacs; $rx; $state): .probes = {ran: true, routes: [rt(vm1; "vmnet8"; null)],
    arp: [arp(vm1; "vmnet8"; $arpmacs)], ping: [ping(vm1; $rx)], tcp: [tcp(vm1; 80; $state)],
    dns: [], dhcp: [], mtu: [], trace: []};
'
make() { # name, jq edit
	jq "$lib $probes $2" base.json >"fixtures/$1.json"
}
make target-ok 'path(["00:0c:29:aa:bb:01"]; 3; "open")'
make target-port-closed 'path(["00:0c:29:aa:bb:01"]; 3; "closed")'
make target-port-filtered 'path(["00:0c:29:aa:bb:01"]; 3; "filtered")'
make target-arp-unanswered 'path([]; 0; "filtered")'
make target-duplicate-ip 'path(["00:0c:29:aa:bb:01", "00:0c:29:aa:bb:02"]; 3; "open")'
make target-silent 'path(["00:0c:29:aa:bb:01"]; 0; "filtered") | .probes.tcp = []'
make target-icmp-unreachable '.probes = {ran: true, routes: [rt("10.9.9.9"; "eth0"; "10.0.2.2")],
	arp: [arp("10.0.2.2"; "eth0"; ["02:00:00:00:00:01"])],
	ping: [ping("10.9.9.9"; 0) | .errors = 3 | .error = {type: 3, code: 13, v6: false, from: "10.0.2.2", next_mtu: 0}],
	tcp: [tcp("10.9.9.9"; 80; "unreachable") | .error = "No route to host"], dns: [], dhcp: [], mtu: [], trace: []}'
make target-no-route '.probes = {ran: true, routes: [{target: "10.9.9.9", error: "Network is unreachable",
	type: "unicast", oif: 0, dev: "if0", gateway: null, prefsrc: null, table: 0}], arp: [], ping: [], tcp: [],
	dns: [], dhcp: [], mtu: [], trace: []}'
make target-local-not-listening '.sockets = [] | .probes = {ran: true, routes: [rt("192.168.159.1"; "lo"; null)],
	arp: [], ping: [ping("192.168.159.1"; 3)], tcp: [tcp("192.168.159.1"; 8080; "closed")], dns: [], dhcp: [],
	mtu: [], trace: []}'
make target-adapter-down 'setlink("vmnet8"; down) | drop_routes("vmnet8") | .probes = {ran: true,
	routes: [rt(vm1; "eth0"; "10.0.2.2")], arp: [arp("10.0.2.2"; "eth0"; ["02:00:00:00:00:01"])],
	ping: [ping(vm1; 0)], tcp: [tcp(vm1; 80; "filtered")], dns: [], dhcp: [], mtu: [], trace: []}'
# What the VMs of vmnet8 depend on: the DHCP offers a discover drew, and the
# DNS server those offers hand out.
services='
def offer($srv; $mac; $addr): {server: $srv, server_mac: $mac, address: $addr, mask: "255.255.255.0",
    router: "192.168.159.2", dns: "192.168.159.2", lease_s: 1800};
def dhcp($offers): idx("vmnet8") as $i | {ifindex: $i, dev: "vmnet8", client_mac: "02:5a:11:22:33:44",
    xid: 305419896, offers: $offers};
def dns($status; $rcode; $n): {server: "192.168.159.2", name: "example.com", status: $status, rcode: $rcode,
    answers: $n, rtt_us: 800};
def svc($offers; $dns): .probes = {ran: true, routes: [], arp: [], ping: [], tcp: [], dhcp: [dhcp($offers)],
    dns: $dns, mtu: [], trace: []};
'
make() { # name, jq edit
	jq "$lib $probes $services $2" base.json >"fixtures/$1.json"
}
make services-ok 'svc([offer("192.168.159.254"; "00:50:56:e5:1a:ca"; "192.168.159.130")]; [dns("answered"; 0; 1)])'
make dhcp-no-offer 'svc([]; [])'
make dhcp-two-servers 'svc([offer("192.168.159.254"; "00:50:56:e5:1a:ca"; "192.168.159.130"),
	offer("192.168.159.77"; "52:54:00:12:34:56"; "192.168.159.200")]; [dns("answered"; 0; 1)])'
make dhcp-same-server-twice 'svc([offer("192.168.159.254"; "00:50:56:e5:1a:ca"; "192.168.159.130"),
	offer("192.168.159.254"; "00:50:56:e5:1a:ca"; "192.168.159.130")]; [dns("answered"; 0; 1)])'
make dns-timeout 'svc([offer("192.168.159.254"; "00:50:56:e5:1a:ca"; "192.168.159.130")]; [dns("timeout"; 0; 0)])'
make dns-servfail 'svc([offer("192.168.159.254"; "00:50:56:e5:1a:ca"; "192.168.159.130")]; [dns("servfail"; 2; 0)])'
make dns-nxdomain 'svc([offer("192.168.159.254"; "00:50:56:e5:1a:ca"; "192.168.159.130")]; [dns("nxdomain"; 3; 0)])'
make target-mtu-black-hole 'path(["00:0c:29:aa:bb:01"]; 3; "open") | .probes.mtu = [{target: vm1, path_mtu: 1400,
	first_lost: 1500, local_mtu: 1500, black_hole: true, error: null}]'
make target-mtu-frag-needed 'path(["00:0c:29:aa:bb:01"]; 3; "open") | .probes.mtu = [{target: vm1, path_mtu: 1280,
	first_lost: 0, local_mtu: 1500, black_hole: false,
	error: {type: 3, code: 4, v6: false, from: "192.168.159.2", next_mtu: 1280}}]'
make target-icmp-via-mtu '.probes = {ran: true, routes: [rt("10.9.9.9"; "eth0"; "10.0.2.2")],
	arp: [arp("10.0.2.2"; "eth0"; ["02:00:00:00:00:01"])], ping: [ping("10.9.9.9"; 0)],
	tcp: [], dns: [], dhcp: [], trace: [], mtu: [{target: "10.9.9.9", path_mtu: 0, first_lost: 0,
	local_mtu: 1500, black_hole: false, error: {type: 3, code: 13, v6: false, from: "10.0.2.2", next_mtu: 0}}]}'
make target-mtu-ok 'path(["00:0c:29:aa:bb:01"]; 3; "open") | .probes.mtu = [{target: vm1, path_mtu: 1500,
	first_lost: 0, local_mtu: 1500, black_hole: false, error: null}]'

# --- VMware's files against the host (0.3) ---
vlib='
def vnet8sub(f): .vmware.dhcp_subnets |= map(if .vnet == 8 then f else . end);
def nic(vm; f): .vmware.vms |= map(if .name == vm then .nics |= map(f) else . end);
def noproc(p): .processes |= map(select((.comm + " " + (.cmdline // "")) | test(p) | not));
'
vmake() { # name, jq edit
	make "$1" "$vlib $2"
}
# L1: adapters and modules
vmake vmw-adapter-missing 'idx("vmnet1") as $i | .links |= map(select(.ifname != "vmnet1"))
	| .addresses |= map(select(.ifindex != $i)) | .routes |= map(select(.oif != $i))'
vmake vmw-adapter-missing-not-expected '.vmware.vnets |= map(if .num == 1 then .virtual_adapter = false else . end)
	| idx("vmnet1") as $i | .links |= map(select(.ifname != "vmnet1"))
	| .addresses |= map(select(.ifindex != $i)) | .routes |= map(select(.oif != $i))'
vmake vmw-module-missing '.modules |= map(select(.name != "vmnet"))'
vmake vmw-module-missing-adapters 'idx("vmnet1") as $i | .modules |= map(select(.name != "vmnet"))
	| .links |= map(select(.ifname != "vmnet1")) | .addresses |= map(select(.ifindex != $i))
	| .routes |= map(select(.oif != $i))'
vmake vmw-module-not-vmware '.modules |= map(select(.name != "vmnet")) | .vmware = null'
vmake vmw-module-old-kernel '.modules |= map(select(.name != "vmnet"))
	| .vmware.module_files |= map(.kernel = "6.0.0-old")'
vmake vmw-module-signature '.modules |= map(select(.name != "vmnet"))
	| .vmware.files += ["/var/log/syslog"] | .vmware.log_hits += [{kind: "module-signature",
	text: "modprobe: ERROR: could not insert '\''vmnet'\'': Key was rejected by service",
	file: "/var/log/syslog", line: 7}]'
# The daemons each network needs
vmake vmw-daemons-none 'noproc("^vmnet-")'
vmake vmw-dhcp-daemon-down 'noproc("^vmnet-dhcpd .*vmnet8")'
vmake vmw-dhcp-off-no-daemon 'noproc("^vmnet-dhcpd .*vmnet8")
	| .vmware.vnets |= map(if .num == 8 then .dhcp = false else . end)'
vmake vmw-nat-daemon-down 'noproc("^vmnet-natd")'
vmake vmw-dhcp-daemon-other-vnet 'noproc("^vmnet-dhcpd .*vmnet8")
	| .processes += [{pid: 4000, comm: "vmnet-dhcpd", cmdline: "/usr/bin/vmnet-dhcpd -s 6 -cf /etc/vmware/vmnet80/dhcpd/dhcpd.conf"}]'
# L2: the NIC a bridged network uses
bridged='.vmware.vnets = [{num: 0, name: "vmnet0", mode: "bridged", dhcp: false, nat: false,
	virtual_adapter: false, subnet: null, netmask: null, prefixlen: null, line: 1,
	bridge_if: $nic, bridge_line: 12}] + .vmware.vnets'
bridge_proc='.processes += [{pid: 4001, comm: "vmnet-bridge", cmdline: "/usr/bin/vmnet-bridge -s 6 -d /var/run/vmnet-bridge-0.pid -n 0"}]'
vmake vmw-bridge-nic-missing "\"eth9\" as \$nic | $bridged | $bridge_proc"
vmake vmw-bridge-nic-down "\"eth0\" as \$nic | $bridged | $bridge_proc | setlink(\"eth0\"; down)"
vmake vmw-bridge-ok "\"eth0\" as \$nic | $bridged | $bridge_proc"
vmake vmw-bridge-daemon-down "\"eth0\" as \$nic | $bridged"
# L3: addresses, gateway, DHCP configuration
vmake vmw-subnet-mismatch 'idx("vmnet8") as $i | .addresses |= map(if .ifindex == $i and .family == "inet"
	then .local = "10.9.9.1" else . end) | .routes |= map(if .oif == $i and .dst == "192.168.159.0/24"
	then .dst = "10.9.9.0/24" | .prefsrc = "10.9.9.1" else . end)'
vmake vmw-gateway-wrong 'vnet8sub(.router = "192.168.159.3")'
vmake vmw-gateway-missing 'vnet8sub(.router = null)'
vmake vmw-dhcp-range-outside 'vnet8sub(.range_lo = "192.168.160.128")'
vmake vmw-dhcp-range-nat 'vnet8sub(.range_lo = "192.168.159.2")'
vmake vmw-dhcp-subnet-differs 'vnet8sub(.subnet = "192.168.160.0")'
vmake vmw-dhcp-fixed-twice '.vmware.dhcp_hosts += [
	{vnet: 8, name: "a", mac: "00:0c:29:00:00:0a", ip: "192.168.159.50", file: null, line: 0},
	{vnet: 8, name: "b", mac: "00:0c:29:00:00:0b", ip: "192.168.159.50", file: null, line: 0}]'
vmake vmw-dhcp-exhausted 'vnet8sub(.range_hi = "192.168.159.129") | .vmware.leases += [.vmware.leases[0]
	| .ip = "192.168.159.129" | .mac = "00:0c:29:aa:bb:02" | .hostname = "db"]'
vmake vmw-dhcp-lease-expired 'vnet8sub(.range_hi = "192.168.159.129") | .vmware.leases += [.vmware.leases[0]
	| .ip = "192.168.159.129" | .mac = "00:0c:29:aa:bb:02" | .hostname = "db" | .ends = 1767225000]'
# L4: NAT port forwards
vmake vmw-portfwd-outside '.vmware.portfwds |= map(.guest = "10.1.1.1")'
vmake vmw-portfwd-unleased '.vmware.portfwds |= map(.guest = "192.168.159.200")'
vmake vmw-portfwd-static '.vmware.portfwds |= map(.guest = "192.168.159.50")'
vmake vmw-portfwd-nat-itself '.vmware.portfwds |= map(.guest = "192.168.159.2")'
vmake vmw-hostport-taken '.sockets += [{proto: "tcp", local: "0.0.0.0", port: 8080, pid: 812, comm: "nginx"}]'
vmake vmw-hostport-natd '.sockets += [{proto: "tcp", local: "0.0.0.0", port: 8080, pid: 812, comm: "vmnet-natd"}]'
# L2: the VMs
vmake vmw-vmx-mac-static-high 'nic("db"; .address_type = "static" | .mac_text = "00:50:56:80:12:34" | .mac = "00:50:56:80:12:34")'
vmake vmw-vmx-mac-static-ok 'nic("db"; .address_type = "static" | .mac_text = "00:50:56:3f:ff:fe" | .mac = "00:50:56:3f:ff:fe")'
vmake vmw-vmx-mac-multicast 'nic("db"; .mac_text = "01:00:5e:00:00:01" | .mac = "01:00:5e:00:00:01")'
vmake vmw-vmx-mac-garbage 'nic("db"; .mac_text = "00:0c:29:zz" | .mac = null)'
vmake vmw-vmx-mac-shared 'nic("db"; .mac_text = "00:0c:29:aa:bb:01" | .mac = "00:0c:29:aa:bb:01")'
vmake vmw-vmx-mac-shared-absent 'nic("db"; .mac_text = "00:0c:29:aa:bb:01" | .mac = "00:0c:29:aa:bb:01" | .present = false)'
vmake vmw-reservation-other-mac '.vmware.dhcp_hosts += [{vnet: 8, name: "web", mac: "00:0c:29:99:99:99",
	ip: "192.168.159.150", file: null, line: 0}]'
vmake vmw-lease-other-mac '.vmware.leases |= map(.mac = "00:0c:29:99:99:99")'
vmake vmw-vm-hostonly 'nic("db"; .connection_type = "hostonly")'
vmake vmw-nic-e1000 'nic("web"; .virtual_dev = "e1000")'
vmake vmw-log-failure '(.vmware.files | index("/home/ann/vmware/web/vmware.log")) as $f
	| .vmware.log_hits += [{kind: "vnet-connect", file: "/home/ann/vmware/web/vmware.log", line: 2,
	text: "2026-01-01T00:00:01.000Z In(05) vcpu-0 - [msg.vnet.connectvnet] Could not connect '\''Ethernet0'\'' to virtual network '\''/dev/vmnet8'\''."}]'
vmake vmw-dhcp-syntax '.vmware.kvs += [{section: "", key: "syntax-error", value: "block not closed at the end",
	file: "/etc/vmware/vmnet8/dhcpd/dhcpd.conf", line: 14}]'
vmake vmw-dhcp-syntax-dhcp-off '.vmware.kvs += [{section: "", key: "syntax-error", value: "block not closed at the end",
	file: "/etc/vmware/vmnet8/dhcpd/dhcpd.conf", line: 14}] | .vmware.vnets |= map(if .num == 8 then .dhcp = false else . end)
	| noproc("^vmnet-dhcpd .*vmnet8")'
vmake vmw-stopped-adapters 'noproc("^vmnet-") | idx("vmnet1") as $i | .links |= map(select(.ifname != "vmnet1"))
	| .addresses |= map(select(.ifindex != $i)) | .routes |= map(select(.oif != $i))'
vmake vmw-stopped-no-module 'noproc("^vmnet-") | .modules |= map(select(.name != "vmnet"))'
# HOST.networkmanager-managed: NetworkManager over D-Bus, or its files.
nmlib='
def unit($n; $a; $s; $fs; $from): {name: $n, load: (if $a == null and $fs == null then "not-found" else "loaded" end),
    active: $a, sub: $s, file_state: $fs, from: $from};
def nmdbus($devs): .services = {units: [unit("NetworkManager.service"; "active"; "running"; "enabled"; "dbus")],
    networkmanager: {from: "dbus", running: true, version: "1.42.4", devices: $devs, unmanaged: [], files: []}};
def nmdev($n; $m; $st): {ifname: $n, managed: $m, state: $st, from: "dbus"};
def nmfiles($fs; $um): .services = {units: [unit("NetworkManager.service"; null; null; $fs; "files")],
    networkmanager: {from: "files", running: null, version: null, devices: [], unmanaged: $um,
    files: ["/etc/NetworkManager/NetworkManager.conf"]}};
def keyfile($s): {source: "keyfile", specs: $s, file: "/etc/NetworkManager/NetworkManager.conf", line: 4};
'
vmake nm-managed "$nmlib"' nmdbus([nmdev("eth0"; true; 100), nmdev("vmnet8"; true; 100), nmdev("vmnet1"; false; 10)])'
vmake nm-unmanaged "$nmlib"' nmdbus([nmdev("eth0"; true; 100), nmdev("vmnet8"; false; 10), nmdev("vmnet1"; false; 10)])'
vmake nm-absent "$nmlib"' nmdbus([]) | .services.networkmanager.running = false
	| .services.units[0] |= (.active = "inactive" | .sub = "dead" | .file_state = "disabled")'
vmake nm-config-managed "$nmlib"' nmfiles("enabled"; [keyfile("interface-name:virbr*")])'
vmake nm-config-unmanaged "$nmlib"' nmfiles("enabled"; [keyfile("interface-name:virbr*;interface-name:vmnet*")])'
vmake nm-config-disabled "$nmlib"' nmfiles("disabled"; [])'
vmake nm-config-udev-mac "$nmlib"' nmfiles("enabled"; [{source: "udev", specs: "mac:\(link("vmnet8") | .address)",
	file: "/lib/udev/rules.d/85-nm-unmanaged.rules", line: 20}, keyfile("interface-name:vmnet1")])'
# The host's policy (0.5): SELinux and AppArmor denials, other hypervisors.
seclib='
def sec: .security = {selinux: {mode: "enforcing", source: "/sys/fs/selinux/enforce",
    config_mode: "enforcing", config_source: "/etc/selinux/config:7"}, files: ["/var/log/audit/audit.log"],
    denials: []};
def avc($comm; $perm; $target; $tclass; $permissive): .security.denials += [{kind: "selinux-avc",
    pid: 2345, comm: $comm, permission: $perm, class: $tclass, target: $target,
    context: "system_u:system_r:unconfined_service_t:s0", tcontext: "system_u:object_r:http_cache_port_t:s0",
    permissive: $permissive, file: "/var/log/audit/audit.log", line: 12,
    text: ("type=AVC msg=audit(1767225601.512:3107): avc:  denied  { " + $perm + " } for  pid=2345 comm=\"" + $comm
      + "\" src=8080 scontext=system_u:system_r:unconfined_service_t:s0 tcontext=system_u:object_r:http_cache_port_t:s0 tclass="
      + $tclass + " permissive=" + (if $permissive then "1" else "0" end))}];
def aa($comm; $profile; $name): .security.apparmor = {enabled: true, source: "/sys/kernel/security/apparmor/profiles",
    profiles_total: 40, profiles: [{name: $profile, mode: "enforce", file: "/sys/kernel/security/apparmor/profiles", line: 3}]}
  | .security.files = ["/sys/kernel/security/apparmor/profiles", "/var/log/kern.log"]
  | .security.denials += [{kind: "apparmor", pid: 1234, comm: $comm, permission: "open", class: "file",
    target: $name, context: $profile, tcontext: "wr", permissive: false, file: "/var/log/kern.log", line: 40,
    text: ("Jan  1 00:00:01 golden kernel: audit: type=1400 audit(1767225601.104:58): apparmor=\"DENIED\" operation=\"open\" class=\"file\" profile=\""
      + $profile + "\" name=\"" + $name + "\" pid=1234 comm=\"" + $comm + "\" requested_mask=\"wr\" denied_mask=\"wr\" fsuid=0 ouid=0")}];
def mod($n): .modules += [{name: $n, size: 409600, refcnt: 0, state: "Live"}];
'
smake() { # name, jq edit
	make "$1" "$seclib $2"
}
smake sec-selinux-denials 'sec | avc("vmnet-natd"; "name_bind"; "port 8080"; "tcp_socket"; false)'
smake sec-selinux-permissive 'sec | .security.selinux.mode = "permissive" | .security.selinux.config_mode = "permissive"
	| avc("vmnet-natd"; "name_bind"; "port 8080"; "tcp_socket"; true)'
smake sec-selinux-permissive-boot 'sec | .security.selinux.mode = "permissive"
	| avc("vmnet-natd"; "name_bind"; "port 8080"; "tcp_socket"; true)'
smake sec-selinux-disabled 'sec | .security.selinux.mode = "disabled" | .security.selinux.config_mode = "disabled"
	| avc("vmnet-natd"; "name_bind"; "port 8080"; "tcp_socket"; false)'
smake sec-selinux-unrelated 'sec | avc("httpd"; "name_bind"; "port 8081"; "tcp_socket"; false)'
smake sec-apparmor-denials 'sec | .security.selinux = null | aa("libvirtd"; "/usr/sbin/libvirtd"; "/dev/vmnet8")'
smake sec-apparmor-unrelated 'sec | .security.selinux = null | aa("firefox"; "snap.firefox.firefox"; "/proc/1/maps")'
smake sec-hyperv-kvm-at-load 'mod("kvm_intel") | mod("kvm") | .security = {kvm_virt_at_load: true}'
smake sec-hyperv-kvm-old-kernel 'mod("kvm_intel") | mod("kvm")'
smake sec-hyperv-vbox-running 'mod("vboxdrv") | .processes += [{pid: 2001, comm: "vmware-vmx", cmdline: null},
	{pid: 2002, comm: "VBoxHeadless", cmdline: null}]'
smake sec-hyperv-windows-old '.security = {hypervisor_launch_type: "auto", hypervisor_launch_type_source: "bcdedit /enum"}
	| .vmware.product_version = "15.1.0"'
smake sec-hyperv-windows-new '.security = {hypervisor_launch_type: "auto"} | .vmware.product_version = "17.5.2"'
smake sec-hyperv-windows-off '.security = {hypervisor_launch_type: "off"} | .vmware.product_version = "15.1.0"'
# HOST.networkmanager-managed: NetworkManager over D-Bus, or its files.
nmlib='
def unit($n; $a; $s; $fs; $from): {name: $n, load: (if $a == null and $fs == null then "not-found" else "loaded" end),
    active: $a, sub: $s, file_state: $fs, from: $from};
def nmdbus($devs): .services = {units: [unit("NetworkManager.service"; "active"; "running"; "enabled"; "dbus")],
    networkmanager: {from: "dbus", running: true, version: "1.42.4", devices: $devs, unmanaged: [], files: []}};
def nmdev($n; $m; $st): {ifname: $n, managed: $m, state: $st, from: "dbus"};
def nmfiles($fs; $um): .services = {units: [unit("NetworkManager.service"; null; null; $fs; "files")],
    networkmanager: {from: "files", running: null, version: null, devices: [], unmanaged: $um,
    files: ["/etc/NetworkManager/NetworkManager.conf"]}};
def keyfile($s): {source: "keyfile", specs: $s, file: "/etc/NetworkManager/NetworkManager.conf", line: 4};
'
vmake nm-managed "$nmlib"' nmdbus([nmdev("eth0"; true; 100), nmdev("vmnet8"; true; 100), nmdev("vmnet1"; false; 10)])'
vmake nm-unmanaged "$nmlib"' nmdbus([nmdev("eth0"; true; 100), nmdev("vmnet8"; false; 10), nmdev("vmnet1"; false; 10)])'
vmake nm-absent "$nmlib"' nmdbus([]) | .services.networkmanager.running = false
	| .services.units[0] |= (.active = "inactive" | .sub = "dead" | .file_state = "disabled")'
vmake nm-config-managed "$nmlib"' nmfiles("enabled"; [keyfile("interface-name:virbr*")])'
vmake nm-config-unmanaged "$nmlib"' nmfiles("enabled"; [keyfile("interface-name:virbr*;interface-name:vmnet*")])'
vmake nm-config-disabled "$nmlib"' nmfiles("disabled"; [])'
vmake nm-config-udev-mac "$nmlib"' nmfiles("enabled"; [{source: "udev", specs: "mac:\(link("vmnet8") | .address)",
	file: "/lib/udev/rules.d/85-nm-unmanaged.rules", line: 20}, keyfile("interface-name:vmnet1")])'
# The host's firewall (firewall/NAME.json, made by mkfirewall.sh with the
# real nft): the flow to vm1 and the VMs' routed traffic.
fwmake() { # name, ruleset (firewall/NAME.json or a path), jq edit
	local rs=$2 key=nft_json
	case $rs in */*) ;; *) rs=firewall/$rs.json ;; esac
	case $rs in *.iptables-save) key=iptables_save ;; esac
	jq --rawfile fw "$rs" --arg key "$key" "$lib $probes"'
	    .firewall = ({nft_json: null, iptables_save: null, ip6tables_save: null, error: null}
	    | .[$key] = $fw) | '"$3" base.json >"fixtures/$1.json"
}
fwmake fw-output-drop output-drop '.'
fwmake fw-output-drop-filtered output-drop 'path(["00:0c:29:aa:bb:01"]; 3; "filtered")'
fwmake fw-input-drop-silent input-drop 'path(["00:0c:29:aa:bb:01"]; 0; "filtered")'
fwmake fw-reject-closed reject 'path(["00:0c:29:aa:bb:01"]; 3; "closed")'
fwmake fw-may-drop may-drop '.'
fwmake fw-may-drop-filtered may-drop 'path(["00:0c:29:aa:bb:01"]; 3; "filtered")'
fwmake fw-accept-all ../fixtures/firewall/accept-all.json 'path(["00:0c:29:aa:bb:01"]; 3; "open")'
fwmake fw-unparsable output-drop '.firewall.nft_json = "{\"nftables\": [" | path(["00:0c:29:aa:bb:01"]; 3; "filtered")'
fwmake fw-forward-drop forward-drop '.'
fwmake fw-forward-drop-no-ip-forward forward-drop '.host.ip_forward = false'
fwmake fw-masquerade masquerade '.'
fwmake fw-masquerade-no-ip-forward masquerade '.host.ip_forward = false'
fwmake fw-docker-virbr ../fixtures/firewall/docker.iptables-nft.json 'del(.vmware)
	| newlink("virbr0"; "bridge"; "52:54:00:00:00:01") | addaddr("virbr0"; "192.168.122.1"; 24)
	| addroute("192.168.122.0/24"; null; "virbr0"; 0; 254)'
fwmake fw-virbr-no-ip-forward ../fixtures/firewall/accept-all.json 'del(.vmware)
	| newlink("virbr0"; "bridge"; "52:54:00:00:00:01") | addaddr("virbr0"; "192.168.122.1"; 24)
	| addroute("192.168.122.0/24"; null; "virbr0"; 0; 254) | .host.ip_forward = false'
make ip-forward-off-not-routing '.host.ip_forward = false'
# Legacy iptables (iptables-legacy-save): OUTPUT drops vm1:80, rejects
# 5000-5999 to the subnet.
fwmake fw-legacy-filtered ../fixtures/firewall/legacy.iptables-save 'path(["00:0c:29:aa:bb:01"]; 3; "filtered")'
fwmake fw-legacy-reject ../fixtures/firewall/legacy.iptables-save 'path(["00:0c:29:aa:bb:01"]; 3; "open")
	| .probes.tcp = [tcp(vm1; 5001; "closed")]'
echo "wrote $(ls fixtures | wc -l) fixtures"
