#!/usr/bin/env bash
# Re-record the golden captures of tests/pcap (tests/fixtures/captures/
# NAME.pcap), each in a fresh namespace lab (tests/pcap/netns.sh) with one
# fault injected, captured with tcpdump on the segment's bridge (it sees
# every frame, like a switch's mirror port).  The recordings are committed;
# this is for re-recording by hand, as root, not run by the test suites.
# tests/pcap/README.md says how each one is made; tests/pcap/TESTLIST what
# vnetdiag pcap must find in it.
#
# Usage: tests/pcap/record.sh [NAME...]     (default: all; -l lists them)
# Needs: ip, nft, tcpdump, dnsmasq, busybox (arping, udhcpc, nc, nslookup,
# ping, httpd, wget), jq, python3 (the VLAN-tagged ARP of vlan-mismatch:
# this kernel may have no 8021q module).
#
# Safety: packets only inside the namespaces this script creates; every one
# of them is deleted on exit, failure or interrupt (lab_init's trap).
# shellcheck disable=SC2317 # the rec_* functions are called by name
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=netns.sh
. "$here/netns.sh"

OUT=${PCAP_OUT:-$repo/tests/fixtures/captures}
# The analyser judges a request unanswered only when the capture goes on
# for more than --reply-timeout (3 s) after it.
SETTLE=4
MAX_BYTES=100000

ALL=(healthy-mixed healthy-dhcp-dns arp-unanswered duplicate-ip mac-conflict
	vlan-mismatch mtu-mismatch dhcp-no-offer dhcp-multiple-servers
	icmp-unreachable dns-failure syn-unanswered port-closed
	retransmissions)

CLI=$PL_NET.10
SRV=$PL_NET.20
MARK=$PL_NET.250

# --- capture ---

cap_start() { # cap_start FILE: tcpdump on br0 of the switch, until ready
	local i
	CAP_FILE=$1
	pl_node mark "$MARK" "$(pl_mac "$MARK")" || return 1
	CAP_ERR=$PL_DIR/tcpdump.err
	ip netns exec "$PL_SW" tcpdump -i br0 --immediate-mode -U -Z root \
		-w "$CAP_FILE" 2>"$CAP_ERR" </dev/null &
	CAP_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q 'listening on' "$CAP_ERR" 2>/dev/null && break
		sleep 0.05
	done
	grep -q 'listening on' "$CAP_ERR" || {
		LAB_ERR="tcpdump did not start: $(cat "$CAP_ERR")"
		return 1
	}
	sleep 0.3
}

# A file ends with its last frame: the capture must go on past the last
# request for the analyser to judge it.  After SETTLE seconds of quiet, one
# gratuitous ARP of the "mark" node (no request, no conflict) is that frame.
cap_stop() {
	sleep "$SETTLE"
	pl_x mark busybox arping -U -c 1 -I eth0 "$MARK" >/dev/null
	sleep 0.3
	kill -INT "$CAP_PID" 2>/dev/null
	wait "$CAP_PID"
}

# --- the lab's services ---

web() { # web NAME: busybox httpd on port 80 of node NAME
	local d=$PL_DIR/www
	mkdir -p "$d"
	{
		echo "<html><body><h1>vnetdiag capture lab</h1>"
		for i in $(seq 1 20); do
			echo "<p>line $i of the page served by the lab's web server</p>"
		done
		echo "</body></html>"
	} >"$d/index.html"
	lab_spawn "$PL-$1" "$PL_DIR/httpd-$1.log" busybox httpd -f -p 80 -h "$d"
	lab_wait_listen "$PL-$1" tcp 80 "httpd in $1"
}

# Tagged ARP requests, as eth0.10 of a VM would send them (python3: raw
# frames on a packet socket; the kernel here may have no 8021q).
vlan_arp() { # vlan_arp NS IFACE VLAN SENDER_IP TARGET_IP COUNT
	ip netns exec "$1" python3 - "$2" "$3" "$4" "$5" "$6" <<'EOF'
import socket, struct, sys, time
ifname, vlan, spa, tpa, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
mac = bytes.fromhex(open(f"/sys/class/net/{ifname}/address").read().strip().replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifname, 0))
arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac, socket.inet_aton(spa), b"\0" * 6, socket.inet_aton(tpa))
frame = b"\xff" * 6 + mac + struct.pack("!HHH", 0x8100, vlan, 0x0806) + arp
frame += b"\0" * max(0, 64 - 4 - len(frame))
for i in range(count):
    if i:
        time.sleep(1)
    s.send(frame)
EOF
}

# --- one function per capture: build, capture, fault, stop ---

# seg [rtrMTU] [cli] [srv]: a fresh segment with these nodes (cli's default
# route via the router when there is one).
seg() {
	local n gw=""
	pl_up || return 1
	for n; do
		case $n in
		rtr*)
			pl_router "${n#rtr}" || return 1
			gw=$PL_NET.1
			;;
		cli | srv)
			local a=$CLI
			[ "$n" = srv ] && a=$SRV
			pl_node "$n" "$a" "$(pl_mac "$a")" ${gw:+"$gw"} || return 1
			;;
		esac
	done
}

rec_healthy-mixed() {
	PL_IPV6=1
	seg cli srv || return 1
	pl_node dc - 02:00:00:77:00:60 || return 1
	lab_do ip -n "$PL-cli" addr add fd77::10/64 dev eth0 nodad || return 1
	lab_do ip -n "$PL-srv" addr add fd77::20/64 dev eth0 nodad || return 1
	web srv || return 1
	pl_dnsd dns "$PL_NET.53" --host-record="www.example.lab,$SRV" \
		--address="/#/" || return 1
	pl_dhcpd dhcp "$PL_NET.254" 100 150 --dhcp-option=3 \
		--dhcp-option=6,"$PL_NET.53" || return 1
	sleep 1 # the kernel's own IPv6 start-up chatter before the capture
	cap_start "$1" || return 1
	pl_x cli busybox arping -c 2 -I eth0 "$SRV" >/dev/null
	pl_x cli busybox ping -c 3 -i 0.2 "$SRV" >/dev/null
	pl_x cli busybox ping6 -c 2 -i 0.2 fd77::20 >/dev/null
	pl_x cli timeout 5 busybox wget -q -O /dev/null "http://$SRV/"
	pl_x cli timeout 5 busybox nslookup www.example.lab "$PL_NET.53" >/dev/null
	pl_udhcpc dc
	cap_stop
}

rec_healthy-dhcp-dns() {
	pl_up || return 1
	pl_node dc - 02:00:00:77:00:60 || return 1
	pl_node dc2 - 02:00:00:77:00:61 || return 1
	pl_dnsd dns "$PL_NET.53" --host-record="www.example.lab,$SRV" \
		--host-record="db.example.lab,$PL_NET.21" --address="/#/" ||
		return 1
	pl_dhcpd dhcp "$PL_NET.254" 100 150 --dhcp-option=3 \
		--dhcp-option=6,"$PL_NET.53" || return 1
	cap_start "$1" || return 1
	pl_udhcpc dc
	pl_udhcpc dc2
	pl_x dc timeout 5 busybox nslookup www.example.lab "$PL_NET.53" >/dev/null
	pl_x dc2 timeout 5 busybox nslookup db.example.lab "$PL_NET.53" >/dev/null
	# NXDOMAIN is an answer, not a failure.
	pl_x dc2 timeout 5 busybox nslookup nothere.example.lab "$PL_NET.53" >/dev/null
	cap_stop
}

rec_arp-unanswered() {
	seg cli srv || return 1
	cap_start "$1" || return 1
	pl_x cli busybox arping -c 4 -I eth0 "$PL_NET.99" >/dev/null
	cap_stop
}

rec_duplicate-ip() {
	seg cli || return 1
	pl_node dup1 "$PL_NET.30" 02:00:00:77:00:31 || return 1
	pl_node dup2 "$PL_NET.30" 02:00:00:77:00:32 || return 1
	cap_start "$1" || return 1
	pl_x cli busybox arping -b -c 3 -I eth0 "$PL_NET.30" >/dev/null
	cap_stop
}

rec_mac-conflict() {
	local i
	seg cli || return 1
	pl_node m1 "$PL_NET.41" 02:00:00:77:00:40 || return 1
	pl_node m2 "$PL_NET.42" 02:00:00:77:00:40 || return 1
	cap_start "$1" || return 1
	for i in 1 2 3 4; do
		pl_x m1 busybox arping -f -c 1 -w 1 -I eth0 "$CLI" >/dev/null
		sleep 0.2
		pl_x m2 busybox arping -f -c 1 -w 1 -I eth0 "$CLI" >/dev/null
		sleep 0.2
	done
	cap_stop
}

rec_vlan-mismatch() {
	seg cli srv || return 1
	cap_start "$1" || return 1
	# Untagged, the target answers ...
	pl_x cli busybox arping -c 2 -I eth0 "$SRV" >/dev/null
	# ... tagged (cli's eth0.10, $PL_NET.11), nobody does: srv is untagged.
	vlan_arp "$PL-cli" eth0 10 "$PL_NET.11" "$SRV" 4 || return 1
	cap_stop
}

rec_mtu-mismatch() {
	seg rtr1280 cli || return 1
	cap_start "$1" || return 1
	# Small echoes pass; the first large one with DF set (busybox ping on a
	# raw socket: path MTU discovery on, DF on) gets fragmentation-needed
	# from the router, whose link on the way has MTU 1280.
	pl_x cli busybox ping -c 2 -i 0.3 "$PL_FAR.10" >/dev/null
	pl_x cli busybox ping -c 3 -i 0.3 -s 1400 "$PL_FAR.10" >/dev/null
	cap_stop
}

rec_dhcp-no-offer() {
	pl_up || return 1
	pl_node dc - 02:00:00:77:00:60 || return 1
	cap_start "$1" || return 1
	pl_udhcpc dc -t 4
	cap_stop
}

rec_dhcp-multiple-servers() {
	pl_up || return 1
	pl_node dc - 02:00:00:77:00:60 || return 1
	pl_dhcpd dhcpa "$PL_NET.253" 100 149 --dhcp-option=3 || return 1
	pl_dhcpd dhcpb "$PL_NET.254" 150 199 --dhcp-option=3 || return 1
	cap_start "$1" || return 1
	pl_udhcpc dc
	cap_stop
}

rec_icmp-unreachable() {
	seg rtr1500 cli || return 1
	lab_do ip -n "$PL-rtr" route add unreachable 10.99.0.0/24 || return 1
	cap_start "$1" || return 1
	pl_x cli busybox ping -c 3 -W 1 10.99.0.5 >/dev/null
	cap_stop
}

rec_dns-failure() {
	seg cli || return 1
	# No upstream and no local names: every query is refused.
	pl_dnsd dns "$PL_NET.53" || return 1
	# A second address on the same machine where queries are dropped.
	lab_do ip -n "$PL-dns" addr add "$PL_NET.54/24" dev eth0 || return 1
	pl_nft dns <<EOF || return 1
table ip lab_dns {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr $PL_NET.54 udp dport 53 drop
	}
}
EOF
	cap_start "$1" || return 1
	pl_x cli timeout 5 busybox nslookup www.example.lab "$PL_NET.53" >/dev/null 2>&1
	pl_x cli timeout 5 busybox nslookup www.example.lab "$PL_NET.54" >/dev/null 2>&1
	cap_stop
}

rec_syn-unanswered() {
	seg cli srv || return 1
	pl_nft srv <<EOF || return 1
table ip lab_fw {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 8080 drop
	}
}
EOF
	cap_start "$1" || return 1
	# SYNs at 0, 1 and 3 s, then nc gives up.
	pl_x cli timeout 5 busybox nc -w 4 "$SRV" 8080 </dev/null 2>/dev/null
	cap_stop
}

rec_port-closed() {
	seg cli srv || return 1
	cap_start "$1" || return 1
	pl_x cli timeout 3 busybox nc -w 1 "$SRV" 81 </dev/null 2>/dev/null
	sleep 0.5
	pl_x cli timeout 3 busybox nc -w 1 "$SRV" 81 </dev/null 2>/dev/null
	cap_stop
}

rec_retransmissions() {
	local i pad
	seg cli srv || return 1
	# srv drops every 5th data segment it receives on port 7000 (after the
	# capture point, so the capture shows the original and its resend).
	pl_nft srv <<EOF || return 1
table ip lab_loss {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 7000 meta length > 100 numgen inc mod 5 0 drop
	}
}
EOF
	# (its stdin stays open: nc would close the connection at its EOF)
	lab_spawn "$PL-srv" "$PL_DIR/nc-srv.log" sh -c \
		'sleep 20 | busybox nc -l -p 7000'
	lab_wait_listen "$PL-srv" tcp 7000 "nc in srv" || return 1
	pl_ports cli 40000 || return 1
	pad=$(printf '%080d' 0)
	cap_start "$1" || return 1
	for i in $(seq 1 40); do
		printf 'line %03d %s\n' "$i" "$pad"
		sleep 0.05
	done | pl_x cli timeout 4 busybox nc "$SRV" 7000 >/dev/null
	cap_stop
}

# --- main ---

if [ "${1:-}" = -l ]; then
	printf '%s\n' "${ALL[@]}"
	exit 0
fi
if ! why=$(lab_usable); then
	echo "record.sh: cannot build the lab: $why" >&2
	exit 1
fi
for tool in tcpdump python3; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "record.sh: $tool is not installed" >&2
		exit 1
	}
done
lab_init || exit 1
mkdir -p "$OUT" || exit 1
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")
rc=0
for name in "${names[@]}"; do
	if ! declare -F "rec_$name" >/dev/null; then
		echo "record.sh: no capture named $name (-l lists them)" >&2
		rc=1
		continue
	fi
	PL_IPV6=0
	tmpf=$LAB_TMP/$name.pcap
	if "rec_$name" "$tmpf" && [ -s "$tmpf" ]; then
		size=$(stat -c %s "$tmpf")
		frames=$(tcpdump -r "$tmpf" 2>/dev/null | wc -l)
		if [ "$size" -ge "$MAX_BYTES" ]; then
			echo "not recorded: $name: $size bytes (limit $MAX_BYTES)" >&2
			rc=1
		else
			cp "$tmpf" "$OUT/$name.pcap"
			echo "recorded $name.pcap: $frames frames, $size bytes"
		fi
	else
		echo "not recorded: $name: ${LAB_ERR:-capture failed}" >&2
		rc=1
	fi
	pl_down
done
exit $rc
