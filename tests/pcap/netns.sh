# shellcheck shell=bash disable=SC2034 # PL_* variables are for the caller
# A small capture lab for tests/pcap: one Ethernet segment (bridge "br0" in
# namespace "$PL-sw", the capture point: br0 is promiscuous under tcpdump or
# vnetdiag --live and so sees every frame of the segment, like a SPAN port),
# nodes plugged into it, a router with a second link.  Built on the fault
# lab's helpers (tests/lab/lib.sh: namespaces, traps, teardown), with fixed
# addresses and MACs so that recorded captures give stable subjects.
#
# Safety: every packet stays inside namespaces created here (names start with
# "$LAB_STEM-"); lab_init's EXIT trap deletes them even on failure.  IPv6 is
# off in every namespace unless asked for (no router solicitations, MLD or
# DAD noise in the captures).

pl_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lab/lib.sh
. "$pl_here/../lab/lib.sh"
LAB_STEM="vdp$$"

PL_NET=10.77.0
PL_FAR=10.78.0
PL_SEQ=0

# pl_up: a fresh empty segment; PL (namespace prefix), PL_SW, PL_DIR.
pl_up() {
	PL_SEQ=$((PL_SEQ + 1))
	PL="$LAB_STEM-$PL_SEQ"
	PL_SW="$PL-sw"
	LAB_ALL_NS=""
	LAB_ERR=""
	PL_DIR=$(mktemp -d "$LAB_TMP/pl$PL_SEQ.XXXXXX") || return 1
	pl_ns "$PL_SW" || return 1
	lab_add_bridge "$PL_SW" br0 || return 1
}

pl_down() {
	LAB_DIR=$PL_DIR
	lab_down
	PL_DIR=""
}

# A namespace with IPv6 off (PL_IPV6=1 keeps it on).
pl_ns() {
	lab_new_ns "$1" || return 1
	if [ "${PL_IPV6:-0}" != 1 ]; then
		lab_do ip netns exec "$1" sysctl -qw \
			net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
	fi
	# No IGMP reports of interfaces coming up (noise in short captures).
	lab_do ip netns exec "$1" nft add table ip pl_quiet || return 1
	lab_do ip netns exec "$1" nft add chain ip pl_quiet out \
		'{ type filter hook output priority 0; }' || return 1
	lab_do ip netns exec "$1" nft add rule ip pl_quiet out \
		meta l4proto igmp drop
}

# pl_ports NAME PORT: the node's one TCP/UDP ephemeral port is PORT
# (stable subjects with a client port).
pl_ports() {
	lab_do ip netns exec "$PL-$1" sysctl -qw \
		net.ipv4.ip_local_port_range="$2 $2"
}

# The MAC of a node by its address: 02:00:00:77:00:XX, XX the last octet.
pl_mac() {
	printf '02:00:00:77:00:%02x' "${1##*.}"
}

# pl_node NAME ADDR|- MAC [GW]: namespace "$PL-NAME" on the segment, its
# eth0 with MAC, ADDR/24 and a default route via GW.
pl_node() {
	local ns="$PL-$1" addr=$2 mac=$3 gw=${4:-}
	pl_ns "$ns" || return 1
	lab_do ip -n "$PL_SW" link add "p-$1" type veth peer name eth0 \
		netns "$ns" || return 1
	lab_do ip -n "$ns" link set eth0 address "$mac" || return 1
	lab_do ip -n "$PL_SW" link set "p-$1" master br0 up || return 1
	lab_do ip -n "$ns" link set eth0 up || return 1
	if [ "$addr" != - ]; then
		lab_do ip -n "$ns" addr add "$addr/24" dev eth0 || return 1
	fi
	if [ -n "$gw" ]; then
		lab_do ip -n "$ns" route add default via "$gw" dev eth0 ||
			return 1
	fi
}

# pl_router MTU: "$PL-rtr" at $PL_NET.1 on the segment, forwarding to
# $PL_FAR.0/24 over a direct link of MTU (eth1 .1 -- "$PL-far" eth0 .10).
pl_router() {
	local mtu=${1:-1500} far="$PL-far"
	pl_node rtr "$PL_NET.1" 02:00:00:77:00:01 || return 1
	pl_ns "$far" || return 1
	lab_do ip -n "$PL-rtr" link add eth1 type veth peer name eth0 \
		netns "$far" || return 1
	lab_do ip -n "$PL-rtr" link set eth1 mtu "$mtu" up || return 1
	lab_do ip -n "$far" link set eth0 address 02:00:00:78:00:10 mtu \
		"$mtu" up || return 1
	lab_do ip -n "$PL-rtr" addr add "$PL_FAR.1/24" dev eth1 || return 1
	lab_do ip -n "$far" addr add "$PL_FAR.10/24" dev eth0 || return 1
	lab_do ip -n "$far" route add default via "$PL_FAR.1" || return 1
	lab_do ip netns exec "$PL-rtr" sysctl -qw net.ipv4.ip_forward=1
}

# pl_x NAME CMD...: run CMD in node NAME.
pl_x() {
	local ns="$PL-$1"
	shift
	ip netns exec "$ns" "$@"
}

# pl_nft NAME: nft rules from stdin into node NAME.
pl_nft() {
	lab_do ip netns exec "$PL-$1" nft -f - || return 1
}

# pl_dhcpd NAME ADDR LO HI [dnsmasq options...]: a node serving DHCP
# (dnsmasq, DNS off, broadcast replies as the client asks).
pl_dhcpd() {
	local name=$1 addr=$2 lo=$3 hi=$4
	shift 4
	pl_node "$name" "$addr" "$(pl_mac "$addr")" || return 1
	lab_spawn_dhcpd "$PL-$name" "$PL_DIR/$name" --dhcp-authoritative \
		--dhcp-range="$PL_NET.$lo,$PL_NET.$hi,255.255.255.0,30m" "$@" ||
		return 1
	lab_wait_listen "$PL-$name" udp 67 "DHCP server $name"
}

# pl_dnsd NAME ADDR [dnsmasq options...]: a DNS server (dnsmasq, no
# upstream, no hosts file: only what the options say).
pl_dnsd() {
	local name=$1 addr=$2 d
	shift 2
	d=$PL_DIR/$name
	mkdir -p "$d" || return 1
	pl_node "$name" "$addr" "$(pl_mac "$addr")" || return 1
	lab_spawn "$PL-$name" "$d/dnsmasq.log" dnsmasq --conf-file=/dev/null \
		--keep-in-foreground --log-facility=- --log-queries \
		--pid-file="$d/dnsmasq.pid" --no-resolv --no-hosts --no-poll \
		--bind-interfaces --listen-address="$addr" --port=53 "$@"
	lab_wait_listen "$PL-$name" udp 53 "DNS server $name"
}

# pl_udhcpc NAME [udhcpc options]: get a lease on eth0 of node NAME
# (broadcast flag, 3 discovers 1 s apart, exit when bound or not).
pl_udhcpc() {
	local name=$1
	shift
	ip netns exec "$PL-$name" busybox udhcpc -i eth0 -f -q -n -B -t 3 \
		-T 1 -s "$LAB_UDHCPC_SCRIPT" "$@" </dev/null \
		>>"$PL_DIR/udhcpc-$name.log" 2>&1
}

# Packet sockets open in namespace NS (/proc/net/packet is per namespace):
# how a test sees that a capture has started.
pl_packet_sockets() {
	ip netns exec "$1" cat /proc/net/packet 2>/dev/null | tail -n +2 | wc -l
}
