# shellcheck shell=bash disable=SC2034 # LAB_* variables are for the caller
# The fault lab: a VMware-NAT-like host rebuilt from network namespaces.
#
# Source this file from bash, call lab_init once, then for every scenario
# lab_up (build and verify the healthy lab), inject one fault, run vnetdiag
# inside "$LAB_HOST", and lab_down.  lab_init traps EXIT INT TERM so that
# every namespace, process and directory of this run is deleted even on
# failure.
#
# Safety: everything lives in namespaces this file creates (names start with
# "$LAB_STEM-"); nothing is created in, and no packet is sent from, the
# namespace the script was started in.  No tool here resolves a name with
# the system's resolver (that would send queries to the real servers):
# names are only ever asked of the lab's own DNS proxy, by address.
#
# Topology (the "host" namespace is what vnetdiag looks at):
#
#   shape host-bridge                      shape switch-ns
#   host: vmnet8 (bridge) .1/24            host: vmnet8 (veth) .1/24
#         +- vm1p -- vm1:eth0 .128               == sw:host8 in bridge vswitch8
#         +- vm2p -- vm2:eth0 .129           sw: vswitch8 +- vm1p -- vm1:eth0
#         +- natp -- nat:eth0 .2                          +- vm2p -- vm2:eth0
#         +- dhcpp -- dhcp:eth0 .254                      +- natp -- nat:eth0
#         vmnet1 (bridge) .1/24                           +- dhcpp -- dhcp:eth0
#         +- vm3p -- vm3:eth0 .128           host: vmnet1 (veth) == sw:host1
#         eth0 -- out:host0 (gateway)        sw: vswitch1 +- vm3p -- vm3:eth0
#                                            host: eth0 -- out:host0 (gateway)
#
#   out: bridge lan (the host's LAN) = the gateway and LAN resolver address,
#        ports host0 (the host's uplink) and nat0 -- nat:eth1; a web server
#        on the gateway address, port 80
#   nat: the NAT device, .2 on vmnet8: forwards and masquerades (nftables)
#        out of eth1, default route via the gateway; dnsmasq as the DNS
#        proxy on .2 (no upstream: www, host, vm1 and vm2.example.lab are
#        answered locally, every other name with NXDOMAIN, nothing is
#        forwarded)
#   dhcp: VMware's vmnet-dhcpd, on the switch itself (not on the host's
#        stack): dnsmasq answering from .254, range .128-.253, router .2,
#        DNS .2, lease 30 min
#   dhcp1: vmnet1's vmnet-dhcpd (port dhcp1p on vmnet1 / vswitch1):
#        answering from .254, range .129-.253 (vm3 is .128), no router and
#        no DNS (a host-only network); etc/vmware/networking says
#        VNET_1_DHCP yes, so check without --passive asks it too
#   vm1, vm2: address by DHCP (busybox udhcpc asks for .128 and .129) or
#        static (LAB_VM_ADDR_WANT=static); vm1 serves HTTP on port 80
#
# VMware's vmnet8 host interface is a NIC on the virtual switch; the bridge
# in "host" models the switch and the NIC at once, the switch namespace
# models them apart.  The two shapes look different from inside "host" (a
# bridge with ports versus a lone veth), which is what the rules must cope
# with.

# Ports and VM NICs must not match the adapter patterns (vmnet*, virbr*,
# vboxnet*, vEthernet*): only vmnet1 and vmnet8 are adapters.

LAB_STEM="vdl$$"
LAB_TMP=""
LAB_SEQ=0
LAB_ERR=""
LAB_NOTES=""

lab_log() {
	printf '# %s\n' "$*" >&2
}

# Run a command; on failure remember what failed and why, return 1.
lab_do() {
	local out
	if ! out=$("$@" 2>&1); then
		LAB_ERR="'$*' failed: ${out:-no message}"
		return 1
	fi
	return 0
}

lab_note() {
	LAB_NOTES="${LAB_NOTES:+$LAB_NOTES; }$*"
}

# Seeded randomness, so that a failing run can be repeated (LAB_SEED=N).
lab_seed() {
	LAB_SEED=${LAB_SEED:-$(((($$ << 8) ^ $(date +%s)) % 32768))}
	RANDOM=$LAB_SEED
	lab_log "lab seed $LAB_SEED (run again with LAB_SEED=$LAB_SEED to repeat)"
}

# The answers come back in LAB_R, not on stdout: a command substitution
# runs in a subshell, where bash reseeds RANDOM and whose draws would not
# advance the parent's sequence, so LAB_SEED could not repeat a run.
lab_rand() { # lab_rand N -> LAB_R = 0..N-1
	LAB_R=$((RANDOM % $1))
}

lab_pick() { # lab_pick WORD... -> LAB_R = one of the words
	local i=$((RANDOM % $# + 1))
	LAB_R=${!i}
}

# Can the lab run here?  Prints the reason when not.
lab_usable() {
	local probe="$LAB_STEM-probe"
	if [ "$(id -u)" -ne 0 ]; then
		echo "not root (network namespaces need CAP_SYS_ADMIN)"
		return 1
	fi
	if ! command -v ip >/dev/null 2>&1; then
		echo "ip (iproute2) is not installed"
		return 1
	fi
	if ! command -v jq >/dev/null 2>&1; then
		echo "jq is not installed"
		return 1
	fi
	if ! lab_find_ping; then
		echo "neither ping (iputils-ping) nor busybox is installed"
		return 1
	fi
	# The services of the lab: DHCP and DNS (dnsmasq), NAT (nft), the
	# VMs' DHCP client and web server (busybox), readiness (ss).
	local tool
	for tool in dnsmasq nft busybox ss; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "$tool is not installed (scripts/deps.sh --test)"
			return 1
		fi
	done
	for tool in udhcpc httpd nslookup wget; do
		if ! busybox "$tool" --help >/dev/null 2>&1; then
			echo "busybox has no $tool applet"
			return 1
		fi
	done
	if ! ip netns add "$probe" >/dev/null 2>&1; then
		echo "'ip netns add' does not work here"
		return 1
	fi
	if ! ip -n "$probe" link add vdlpa type veth peer name vdlpb \
		>/dev/null 2>&1 ||
		! ip -n "$probe" link add vdlbr type bridge >/dev/null 2>&1; then
		ip netns del "$probe" >/dev/null 2>&1
		echo "the kernel cannot create veth or bridge interfaces"
		return 1
	fi
	ip netns del "$probe" >/dev/null 2>&1
	return 0
}

# Once per run: temp dir, seed, traps.
lab_init() {
	lab_find_ping || return 1
	LAB_TMP=$(mktemp -d "/tmp/$LAB_STEM.XXXXXX") || return 1
	trap lab_teardown_all EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	lab_seed
	lab_write_udhcpc_script || return 1
	lab_write_vmware_bin
}

# VMware's daemons as check sees them: by process name and a command line
# naming their vmnet.  vmnet-dhcpd is a copy of dnsmasq (it serves the
# lab's DHCP); vmnet-natd is a stand-in that only runs (the NAT itself is
# the nat namespace's nftables).
lab_write_vmware_bin() {
	LAB_BIN="$LAB_TMP/bin"
	mkdir -p "$LAB_BIN" || return 1
	cp "$(command -v dnsmasq)" "$LAB_BIN/vmnet-dhcpd" || return 1
	printf '%s\n' '#!/bin/sh' \
		'# The fault lab stand-in for VMware NAT daemon (name, arguments).' \
		'while :; do sleep 3600; done' >"$LAB_BIN/vmnet-natd" || return 1
	chmod 755 "$LAB_BIN/vmnet-natd" || return 1
	cp "$LAB_BIN/vmnet-natd" "$LAB_BIN/vmnet-bridge"
}

# busybox udhcpc's event script (it has no default one on Debian): put
# the lease on the interface and write what the server sent to the file
# named by $LAB_LEASE_OUT, for lab_up to check.
lab_write_udhcpc_script() {
	LAB_UDHCPC_SCRIPT="$LAB_TMP/udhcpc.script"
	cat >"$LAB_UDHCPC_SCRIPT" <<'EOF' || return 1
#!/bin/sh
# udhcpc event script of the vnetdiag fault lab.
case $1 in
deconfig)
	ip -4 addr flush dev "$interface"
	ip link set "$interface" up
	;;
bound | renew)
	ip -4 addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	for r in $router; do
		ip route replace default via "$r" dev "$interface"
		break
	done
	if [ -n "$LAB_LEASE_OUT" ]; then
		for v in ip mask router dns serverid lease domain; do
			eval "val=\$$v"
			echo "$v=$val"
		done >"$LAB_LEASE_OUT"
	fi
	;;
esac
exit 0
EOF
	chmod 755 "$LAB_UDHCPC_SCRIPT"
}

# Every namespace of this run, one a line.
lab_namespaces() {
	ip netns list 2>/dev/null | awk -v s="$LAB_STEM-" \
		'index($1, s) == 1 { print $1 }'
}

# Processes started in a namespace (dnsmasq, httpd, udhcpc) would keep its
# interfaces alive after the name is gone; they are ours: end them by id
# and wait (briefly) until they are gone.
lab_kill_ns_pids() { # lab_kill_ns_pids NS...
	local ns pid pids="" i alive
	for ns in "$@"; do
		pids="$pids $(ip netns pids "$ns" 2>/dev/null)"
	done
	[ -n "${pids// /}" ] || return 0
	for pid in $pids; do
		kill "$pid" 2>/dev/null
	done
	for ((i = 0; i < 100; i++)); do
		alive=""
		for pid in $pids; do
			kill -0 "$pid" 2>/dev/null && alive="$alive $pid"
		done
		pids=$alive
		[ -z "$pids" ] && return 0
		sleep 0.01
	done
	for pid in $pids; do
		kill -KILL "$pid" 2>/dev/null
	done
	return 0
}

lab_del_ns() { # lab_del_ns NS...
	local ns
	lab_kill_ns_pids "$@"
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
	done
}

lab_teardown_all() {
	# shellcheck disable=SC2046 # one name a line, no blanks
	lab_del_ns $(lab_namespaces)
	[ -n "$LAB_TMP" ] && rm -rf "$LAB_TMP"
	LAB_TMP=""
}

# Tear down the current lab only.
lab_down() {
	# shellcheck disable=SC2086 # a list of names
	lab_del_ns $LAB_ALL_NS
	LAB_ALL_NS=""
	[ -n "${LAB_DIR:-}" ] && rm -rf "$LAB_DIR"
	LAB_DIR=""
}

# --- address arithmetic (IPv4, dotted quads) ---

lab_ip2int() {
	local a b c d
	IFS=. read -r a b c d <<<"$1"
	echo $(((a << 24) | (b << 16) | (c << 8) | d))
}

lab_int2ip() {
	local n=$1
	echo "$(((n >> 24) & 255)).$(((n >> 16) & 255)).$(((n >> 8) & 255)).$((n & 255))"
}

# lab_in_net IP NET/LEN: is IP inside the prefix?
lab_in_net() {
	local ip net len mask
	ip=$(lab_ip2int "$1")
	net=$(lab_ip2int "${2%/*}")
	len=${2#*/}
	mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
	[ $((ip & mask)) -eq $((net & mask)) ]
}

# A random private /24 -> LAB_R = its first three octets.
lab_random_net24() {
	case $((RANDOM % 3)) in
	0) LAB_R="192.168.$((RANDOM % 254 + 1))" ;;
	1) LAB_R="172.$((16 + RANDOM % 16)).$((RANDOM % 256))" ;;
	*) LAB_R="10.$((RANDOM % 256)).$((RANDOM % 256))" ;;
	esac
}

# Three different /24s: vmnet8, vmnet1, the uplink.
lab_pick_subnets() {
	lab_random_net24
	LAB_NET8=$LAB_R
	LAB_NET1=$LAB_NET8
	while [ "$LAB_NET1" = "$LAB_NET8" ]; do
		lab_random_net24
		LAB_NET1=$LAB_R
	done
	LAB_UPNET=$LAB_NET8
	while [ "$LAB_UPNET" = "$LAB_NET8" ] || [ "$LAB_UPNET" = "$LAB_NET1" ]; do
		lab_random_net24
		LAB_UPNET=$LAB_R
	done
}

# Wait until IF in NS reports operstate WANT (linkwatch updates operstate
# asynchronously, up to a second after the carrier changed).
lab_wait_oper() {
	local ns=$1 ifname=$2 want=$3 i state=""
	for ((i = 0; i < 50; i++)); do
		state=$(ip -n "$ns" -j link show dev "$ifname" 2>/dev/null |
			jq -r '.[0].operstate // empty')
		case " $want " in *" $state "*) return 0 ;; esac
		sleep 0.1
	done
	LAB_ERR="$ifname in $ns: operstate '${state:-?}' after 5 s, wanted $want"
	return 1
}

# iputils ping when installed, else busybox's (Debian's minimal images and
# scripts/deps.sh --test bring busybox, not iputils-ping).
lab_find_ping() {
	if command -v ping >/dev/null 2>&1; then
		LAB_PING=(ping)
	elif command -v busybox >/dev/null 2>&1; then
		LAB_PING=(busybox ping)
	else
		return 1
	fi
}

lab_ping() { # lab_ping IP: from the host namespace, 3 tries
	local i
	for i in 1 2 3; do
		ip netns exec "$LAB_HOST" "${LAB_PING[@]}" -q -c1 -W1 "$1" \
			>/dev/null 2>&1 && return 0
		[ "$i" -lt 3 ] && sleep 0.2
	done
	LAB_ERR="host cannot ping $1"
	return 1
}

# Plug namespace NS into the switch: its eth0, the other end PORT in
# namespace PORTNS, enslaved to BRIDGE.
lab_plug() {
	local ns=$1 portns=$2 port=$3 bridge=$4
	lab_do ip -n "$portns" link add "$port" type veth peer name eth0 \
		netns "$ns" || return 1
	lab_do ip -n "$portns" link set "$port" master "$bridge" up || return 1
	lab_do ip -n "$ns" link set eth0 up
}

# A VM: namespace NS plugged into BRIDGE (see lab_plug); ADDR "dhcp" leaves
# eth0 without address for lab_dhcp_vms, else eth0 gets ADDR/24 and a
# default route via GW.
lab_add_vm() {
	local ns=$1 addr=$2 gw=$3 portns=$4 port=$5 bridge=$6
	lab_plug "$ns" "$portns" "$port" "$bridge" || return 1
	# A MAC as VMware generates them (00:0c:29 and three bytes of the
	# VM's uuid.bios); the .vmx in the sysroot says the same.
	lab_do ip -n "$ns" link set eth0 address "$(printf \
		'00:0c:29:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) \
		$((RANDOM % 256)))" || return 1
	[ "$addr" = dhcp ] && return 0
	lab_do ip -n "$ns" addr add "$addr/24" dev eth0 || return 1
	lab_do ip -n "$ns" route add default via "$gw" dev eth0 || return 1
}

# Start a daemon in namespace NS, in the background, its output to LOG.
# It is ended with the namespace (lab_del_ns).
lab_spawn() {
	local ns=$1 log=$2
	shift 2
	ip netns exec "$ns" "$@" </dev/null >"$log" 2>&1 &
}

# Wait until something in NS listens on PROTO (tcp|udp) PORT.
lab_wait_listen() {
	local ns=$1 proto=$2 port=$3 what=$4 i flag=-ltn
	[ "$proto" = udp ] && flag=-lun
	for ((i = 0; i < 50; i++)); do
		[ -n "$(ip netns exec "$ns" ss -H "$flag" "sport = :$port" \
			2>/dev/null)" ] && return 0
		sleep 0.05
	done
	LAB_ERR="$what: nothing listens on $proto port $port in $ns after 2.5 s"
	return 1
}

# The NAT device: .2 on the switch, eth1 on the host's LAN (bridge "lan"
# in out), forwarding with masquerade out of eth1, dnsmasq as the DNS proxy
# on .2.
lab_add_nat() {
	local portns=$1 bridge=$2 ns=$LAB_NAT d=$LAB_DIR/nat
	mkdir -p "$d" || return 1
	lab_plug "$ns" "$portns" natp "$bridge" || return 1
	lab_do ip -n "$ns" addr add "$LAB_NAT_IP/24" dev eth0 || return 1
	lab_do ip -n "$LAB_OUT" link add nat0 type veth peer name eth1 \
		netns "$ns" || return 1
	lab_do ip -n "$LAB_OUT" link set nat0 master lan up || return 1
	lab_do ip -n "$ns" addr add "$LAB_NAT_UPLINK_IP/24" dev eth1 || return 1
	lab_do ip -n "$ns" link set eth1 up || return 1
	lab_do ip -n "$ns" route add default via "$LAB_GW" dev eth1 || return 1
	lab_do ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 || return 1
	lab_do ip netns exec "$ns" nft -f - <<EOF || return 1
table ip lab_nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth1" masquerade
	}
}
EOF
	# VMware's NAT answers DNS on .2 and relays to the host's resolvers;
	# this one has no upstream: the lab's names are answered here (host
	# records: their AAAA is an empty answer, not NXDOMAIN), and any
	# other name (example.com, check's default --dns-name) does not
	# exist ("/#/" without an address: NXDOMAIN).  A healthy proxy
	# answers; one left without upstream servers would say REFUSED.
	lab_spawn "$ns" "$d/dnsmasq.log" dnsmasq --conf-file=/dev/null \
		--keep-in-foreground --log-facility=- --pid-file="$d/dnsmasq.pid" \
		--no-resolv --no-hosts --no-poll --bind-interfaces \
		--listen-address="$LAB_NAT_IP" --port=53 \
		--host-record="www.example.lab,$LAB_GW" \
		--host-record="host.example.lab,$LAB_HOST_IP" \
		--host-record="vm1.example.lab,$LAB_VM1_IP" \
		--host-record="vm2.example.lab,$LAB_VM2_IP" \
		--address="/#/"
}

# A DHCP server (dnsmasq, DNS off) in namespace NS, its files in DIR:
# DIR/dhcpd.leases (created empty), DIR/dnsmasq.log, DIR/dnsmasq.pid.
# ARGS: its --dhcp-* options.  --no-ping: dnsmasq would otherwise ping an
# address before offering it, and offer late.  With DNS off (--port=0)
# dnsmasq sends no DNS server option unless told to.
# LAB_DHCPD_VNET=N: run it as VMware's vmnet-dhcpd of vmnetN (see
# lab_write_vmware_bin): that name, "vmnetN" in its command line.
lab_spawn_dhcpd() { # lab_spawn_dhcpd NS DIR ARGS...
	local ns=$1 d=$2 bin=dnsmasq pid=dnsmasq.pid
	shift 2
	mkdir -p "$d" || return 1
	: >"$d/dhcpd.leases" || return 1
	if [ -n "${LAB_DHCPD_VNET:-}" ]; then
		bin=$LAB_BIN/vmnet-dhcpd
		pid="vmnet$LAB_DHCPD_VNET-dhcpd.pid"
	fi
	lab_spawn "$ns" "$d/dnsmasq.log" "$bin" --conf-file=/dev/null \
		--keep-in-foreground --log-facility=- --log-dhcp \
		--pid-file="$d/$pid" --port=0 --no-hosts --no-ping \
		--dhcp-leasefile="$d/dhcpd.leases" "$@"
}

# VMware's vmnet-dhcpd: attached to the switch, answering from .254.
lab_add_dhcp() {
	local portns=$1 bridge=$2 ns=$LAB_DHCP d=$LAB_DIR/dhcp
	lab_plug "$ns" "$portns" dhcpp "$bridge" || return 1
	lab_do ip -n "$ns" addr add "$LAB_DHCP_IP/24" dev eth0 || return 1
	LAB_DHCP_LEASES="$d/dhcpd.leases"
	LAB_DHCPD_VNET=8 lab_spawn_dhcpd "$ns" "$d" --dhcp-authoritative \
		--dhcp-range="$LAB_NET8.128,$LAB_NET8.253,255.255.255.0,30m" \
		--dhcp-option=3,"$LAB_NAT_IP" --dhcp-option=6,"$LAB_NAT_IP" \
		--dhcp-option=15,localdomain
}

# vmnet1's vmnet-dhcpd, answering from .254: a host-only network, so no
# router (an empty option 3 keeps dnsmasq from offering itself) and no
# DNS server.
lab_add_dhcp1() {
	local portns=$1 bridge=$2 ns=$LAB_DHCP1 d=$LAB_DIR/dhcp1
	lab_plug "$ns" "$portns" dhcp1p "$bridge" || return 1
	lab_do ip -n "$ns" addr add "$LAB_DHCP1_IP/24" dev eth0 || return 1
	LAB_DHCP1_LEASES="$d/dhcpd.leases"
	LAB_DHCPD_VNET=1 lab_spawn_dhcpd "$ns" "$d" --dhcp-authoritative \
		--dhcp-range="$LAB_NET1.129,$LAB_NET1.253,255.255.255.0,30m" \
		--dhcp-option=3 --dhcp-option=15,localdomain
}

# The service on vm1: busybox httpd on port 80.
lab_add_service() {
	local d=$LAB_DIR/www
	mkdir -p "$d" || return 1
	echo "vm1 of the vnetdiag fault lab" >"$d/index.html" || return 1
	lab_spawn "$LAB_VM1" "$LAB_DIR/httpd-vm1.log" busybox httpd -f -p 80 \
		-h "$d"
	# The web server "outside", behind the NAT device.
	lab_spawn "$LAB_OUT" "$LAB_DIR/httpd-out.log" busybox httpd -f \
		-p "$LAB_GW:80" -h "$d"
}

# vm1 and vm2 ask the DHCP server for .128 and .129 (in parallel) and
# must get them, with router and DNS .2 from .254.
lab_dhcp_vms() {
	local vm ns want pids="" pid lease got kv
	for vm in 1 2; do
		ns="LAB_VM$vm"
		ns=${!ns}
		want="LAB_VM${vm}_IP"
		want=${!want}
		LAB_LEASE_OUT="$LAB_DIR/vm$vm.lease" ip netns exec "$ns" \
			busybox udhcpc -i eth0 -f -q -n -t 4 -T 1 -r "$want" \
			-s "$LAB_UDHCPC_SCRIPT" </dev/null \
			>"$LAB_DIR/udhcpc-vm$vm.log" 2>&1 &
		pids="$pids $!"
	done
	for pid in $pids; do
		wait "$pid"
	done
	for vm in 1 2; do
		want="LAB_VM${vm}_IP"
		want=${!want}
		lease="$LAB_DIR/vm$vm.lease"
		got=" $(tr '\n' ' ' <"$lease" 2>/dev/null)"
		for kv in "ip=$want" "router=$LAB_NAT_IP" "dns=$LAB_NAT_IP" \
			"serverid=$LAB_DHCP_IP"; do
			case $got in
			*" $kv "*) ;;
			*)
				LAB_ERR="vm$vm: no DHCP lease of $want, router and"
				LAB_ERR="$LAB_ERR DNS $LAB_NAT_IP from $LAB_DHCP_IP;"
				LAB_ERR="$LAB_ERR lease:${got:- none}; udhcpc:"
				LAB_ERR="$LAB_ERR $(tr '\n' ' ' \
					<"$LAB_DIR/udhcpc-vm$vm.log")"
				return 1
				;;
			esac
		done
	done
	return 0
}

# The services answer: the host fetches vm1's page, vm1 reaches the LAN
# through the NAT device (the gateway has no route back: only masquerade
# makes this work), and the DNS proxy answers vm1.
lab_check_services() {
	local out
	out=$(ip netns exec "$LAB_HOST" timeout 3 busybox wget -Y off -q -O - \
		"http://$LAB_VM1_IP/" 2>&1)
	case $out in
	"vm1 of the vnetdiag fault lab") ;;
	*)
		LAB_ERR="host cannot fetch http://$LAB_VM1_IP/: ${out:-no answer}"
		return 1
		;;
	esac
	ip netns exec "$LAB_VM1" "${LAB_PING[@]}" -q -c1 -W1 "$LAB_GW" \
		>/dev/null 2>&1 || {
		LAB_ERR="vm1 cannot ping $LAB_GW through the NAT device"
		return 1
	}
	out=$(ip netns exec "$LAB_VM1" timeout 3 busybox nslookup \
		www.example.lab "$LAB_NAT_IP" 2>&1)
	case $out in
	*"Address: $LAB_GW"*) ;;
	*)
		LAB_ERR="the DNS proxy $LAB_NAT_IP does not resolve"
		LAB_ERR="$LAB_ERR www.example.lab to $LAB_GW: $(echo "$out" | tr '\n' ' ')"
		return 1
		;;
	esac
}

lab_add_bridge() { # lab_add_bridge NS NAME
	lab_do ip -n "$1" link add "$2" type bridge stp_state 0 \
		forward_delay 0 || return 1
	lab_do ip -n "$1" link set "$2" up
}

lab_new_ns() {
	lab_do ip netns add "$1" || return 1
	LAB_ALL_NS="$LAB_ALL_NS $1"
	lab_do ip -n "$1" link set lo up
}

# Write the sysroot: resolv.conf naming the uplink's resolver, an empty
# sysctl.d, and (a variation) VMware's files matching the lab: networking
# declaring both vmnets, nat.conf with a port forward to vm1, dhcpd.conf of
# each network, the modules loaded and built for this kernel, the VMs'
# .vmx (their real MACs) with a quiet vmware.log, a syslog of vmnet-dhcpd.
lab_write_sysroot() {
	local d=$LAB_SYSROOT
	mkdir -p "$d/etc/sysctl.d" || return 1
	{
		echo "# written by the vnetdiag fault lab"
		[ "$LAB_SEARCH" = yes ] && echo "search lab.example"
		echo "nameserver $LAB_GW"
	} >"$d/etc/resolv.conf" || return 1
	[ "$LAB_VMWARE_CONF" = yes ] || return 0
	mkdir -p "$d/etc/vmware/vmnet8/nat" "$d/etc/vmware/vmnet8/dhcpd" \
		"$d/etc/vmware/vmnet1/dhcpd" "$d/proc" "$d/var/log" \
		"$d/lib/modules/$(uname -r)/misc" || return 1
	cat >"$d/etc/vmware/networking" <<EOF || return 1
VERSION=1,0
answer VNET_1_DHCP yes
answer VNET_1_DHCP_CFG_HASH 3A8B5F0C1C4F2E6E6A1F7C3D9E0B4A5C6D7E8F90
answer VNET_1_HOSTONLY_NETMASK 255.255.255.0
answer VNET_1_HOSTONLY_SUBNET $LAB_NET1.0
answer VNET_1_VIRTUAL_ADAPTER yes
answer VNET_8_DHCP yes
answer VNET_8_DHCP_CFG_HASH 9C2D4E6F8A0B1C3D5E7F9A1B3C5D7E9F0A2B4C6D
answer VNET_8_HOSTONLY_NETMASK 255.255.255.0
answer VNET_8_HOSTONLY_SUBNET $LAB_NET8.0
answer VNET_8_NAT yes
answer VNET_8_VIRTUAL_ADAPTER yes
EOF
	printf '%s\n' 'network1.name = "HostOnly"' 'network1.device = "vmnet1"' \
		'network8.name = "NAT"' 'network8.device = "vmnet8"' \
		>"$d/etc/vmware/netmap.conf" || return 1
	printf '%s\n' 'NETWORKING = "yes"' 'product.version = "17.6.1"' \
		>"$d/etc/vmware/config" || return 1
	cat >"$d/etc/vmware/vmnet8/nat/nat.conf" <<EOF || return 1
# VMware NAT configuration file
[host]
ip = $LAB_NAT_IP
netmask = 255.255.255.0
device = /dev/vmnet8
activeFTP = 1
allowAnyOUI = 1
[tcp]
timeWaitTimeout = 30
[udp]
timeout = 60
[incomingtcp]
# forward the host's 8080 to vm1's web server
8080 = $LAB_VM1_IP:80
[incomingudp]
EOF
	lab_write_dhcpd_conf 8 "$LAB_NET8" 128 "option routers $LAB_NAT_IP;" \
		"$LAB_NAT_IP" || return 1
	lab_write_dhcpd_conf 1 "$LAB_NET1" 129 "" "$LAB_NET1.1" || return 1
	printf '%s\n' 'vmnet 73728 13 - Live 0x0000000000000000 (OE)' \
		'vmmon 143360 0 - Live 0x0000000000000000 (OE)' \
		'bridge 311296 0 - Live 0x0000000000000000' >"$d/proc/modules" ||
		return 1
	: >"$d/lib/modules/$(uname -r)/misc/vmmon.ko" || return 1
	: >"$d/lib/modules/$(uname -r)/misc/vmnet.ko" || return 1
	lab_write_vmx vm1 "$LAB_VM1" nat || return 1
	lab_write_vmx vm2 "$LAB_VM2" nat || return 1
	lab_write_vmx vm3 "$LAB_VM3" hostonly || return 1
	printf '%s\n' \
		"Nov 28 10:00:00 host vmnet-dhcpd: Internet Software Consortium DHCP Server 2.0" \
		"Nov 28 10:00:01 host vmnetBridge: Bridge process created." \
		"Nov 28 10:00:02 host vmnet-natd: RTM_NEWLINK: name:eth0 index:2 flags:0x00011043" \
		>"$d/var/log/syslog"
}

# dhcpd.conf of vmnetN as vmware-networks writes it.
lab_write_dhcpd_conf() { # N NET RANGE_START ROUTER_LINE DNS
	local n=$1 net=$2 lo=$3 router=$4 dns=$5
	cat >"$LAB_SYSROOT/etc/vmware/vmnet$n/dhcpd/dhcpd.conf" <<EOF
# Configuration file for ISC 2.0 vmnet-dhcpd operating on vmnet$n.
###### VMNET DHCP Configuration. Start of "DO NOT MODIFY SECTION" #####
allow unknown-clients;
default-lease-time 1800;                # default is 30 minutes
max-lease-time 7200;                    # default is 2 hours

subnet $net.0 netmask 255.255.255.0 {
	range $net.$lo $net.253;
	option broadcast-address $net.255;
	option domain-name-servers $dns;
	option domain-name localdomain;
	default-lease-time 1800;
	max-lease-time 7200;
	$router
}
host vmnet$n {
	hardware ethernet 00:50:56:C0:00:0$n;
	fixed-address $net.1;
	option domain-name-servers 0.0.0.0;
	option domain-name "";
}
####### VMNET DHCP Configuration. End of "DO NOT MODIFY SECTION" #######
EOF
}

# A VM's .vmx (home/lab/vmware/NAME/NAME.vmx), its MAC the one of eth0 in
# namespace NS, and a vmware.log of a normal power-on beside it.
lab_write_vmx() { # NAME NS CONNECTION
	local name=$1 ns=$2 conn=$3 dir mac
	dir="$LAB_SYSROOT/home/lab/vmware/$name"
	mkdir -p "$dir" || return 1
	mac=$(ip -n "$ns" -j link show dev eth0 | jq -r '.[0].address')
	cat >"$dir/$name.vmx" <<EOF || return 1
.encoding = "UTF-8"
config.version = "8"
virtualHW.version = "21"
displayName = "$name"
guestOS = "debian12-64"
ethernet0.present = "TRUE"
ethernet0.connectionType = "$conn"
ethernet0.virtualDev = "vmxnet3"
ethernet0.addressType = "generated"
ethernet0.generatedAddress = "$mac"
ethernet0.generatedAddressOffset = "0"
EOF
	printf '%s\n' \
		"2026-11-28T10:00:00.100Z In(05) vmx - Log for VMware Workstation pid=4242 version=17.6.1" \
		"2026-11-28T10:00:00.200Z In(05) vmx - DICT  ethernet0.connectionType = \"$conn\"" \
		"2026-11-28T10:00:01.300Z In(05) vmx - Ethernet0 MAC Address: $mac" \
		>"$dir/vmware.log"
}

# The leases the VMs hold, as vmnet-dhcpd's dhcpd.leases would list them
# (from the lab's dnsmasq lease file: EXPIRY MAC IP NAME CLIENTID).
lab_write_leases() {
	local f=$LAB_SYSROOT/etc/vmware/vmnet8/dhcpd/dhcpd.leases exp mac ip \
		rest now
	[ "$LAB_VMWARE_CONF" = yes ] || return 0
	now=$(date -u +%s)
	{
		echo "# All times in this file are in UTC (GMT), not your local timezone."
		while read -r exp mac ip rest; do
			echo "lease $ip {"
			echo "	starts $(date -u -d "@$now" '+%w %Y/%m/%d %H:%M:%S');"
			echo "	ends $(date -u -d "@$exp" '+%w %Y/%m/%d %H:%M:%S');"
			echo "	hardware ethernet $mac;"
			echo "}"
		done <"$LAB_DHCP_LEASES"
	} >"$f"
}

# lab_up SHAPE: build and verify a fresh healthy lab.
# SHAPE is host-bridge, switch-ns, or random.  Sets:
#   LAB_SHAPE LAB_HOST LAB_SW LAB_VM1 LAB_VM2 LAB_VM3 LAB_OUT LAB_NAT
#   LAB_DHCP LAB_DHCP1 LAB_SYSROOT LAB_DIR (this lab's temp dir)
#   LAB_NET8 LAB_NET1 LAB_UPNET (first three octets) LAB_SUBNET8 (x.y.z.0/24)
#   LAB_HOST_IP LAB_VM1_IP LAB_VM2_IP LAB_NAT_IP (.2) LAB_DHCP_IP (.254)
#   LAB_DHCP1_IP (vmnet1's .254) LAB_DHCP_LEASES LAB_DHCP1_LEASES
#   LAB_GW LAB_UPLINK_IP LAB_NAT_UPLINK_IP LAB_UPLINK LAB_VM_ADDR
#   LAB_SWNS LAB_SW8 (the namespace and name of the vmnet8 switch)
# LAB_VM_ADDR_WANT=static in the environment gives vm1/vm2 static addresses
# instead of DHCP leases.
# Returns 1 with LAB_ERR set when the lab could not be built or verified.
lab_up() {
	local shape=$1 p sw8 sw1 swns
	if [ "$shape" = random ]; then
		lab_pick host-bridge switch-ns
		shape=$LAB_R
	fi
	LAB_SHAPE=$shape
	LAB_SEQ=$((LAB_SEQ + 1))
	p="$LAB_STEM-$LAB_SEQ"
	LAB_ALL_NS=""
	LAB_NOTES=""
	LAB_ERR=""
	LAB_HOST="$p-host"
	LAB_OUT="$p-out"
	LAB_VM1="$p-vm1"
	LAB_VM2="$p-vm2"
	LAB_VM3="$p-vm3"
	LAB_SW="$p-sw"
	LAB_NAT="$p-nat"
	LAB_DHCP="$p-dhcp"
	LAB_DHCP1="$p-dhcp1"
	LAB_VM_ADDR=${LAB_VM_ADDR_WANT:-dhcp}
	LAB_UPLINK=eth0
	lab_pick_subnets
	LAB_SUBNET8="$LAB_NET8.0/24"
	LAB_HOST_IP="$LAB_NET8.1"
	LAB_VM1_IP="$LAB_NET8.128"
	LAB_VM2_IP="$LAB_NET8.129"
	LAB_NAT_IP="$LAB_NET8.2"
	LAB_DHCP_IP="$LAB_NET8.254"
	LAB_DHCP1_IP="$LAB_NET1.254"
	lab_pick 1 254
	LAB_GW="$LAB_UPNET.$LAB_R"
	LAB_UPLINK_IP="$LAB_UPNET.$((2 + RANDOM % 250))"
	LAB_NAT_UPLINK_IP=$LAB_UPLINK_IP
	while [ "$LAB_NAT_UPLINK_IP" = "$LAB_UPLINK_IP" ]; do
		LAB_NAT_UPLINK_IP="$LAB_UPNET.$((2 + RANDOM % 250))"
	done
	lab_pick yes no
	LAB_VMWARE_CONF=${LAB_VMWARE_CONF_WANT:-$LAB_R}
	lab_pick yes no
	LAB_IPV6=${LAB_IPV6_WANT:-$LAB_R}
	lab_pick yes no
	LAB_SEARCH=$LAB_R
	LAB_DIR=$(mktemp -d "$LAB_TMP/lab$LAB_SEQ.XXXXXX") || {
		LAB_ERR="mktemp failed"
		return 1
	}
	LAB_SYSROOT="$LAB_DIR/sysroot"
	lab_note "vmnet8 $LAB_SUBNET8, vmnet1 $LAB_NET1.0/24," \
		"uplink $LAB_UPNET.0/24 gw $LAB_GW," \
		"etc/vmware/networking: $LAB_VMWARE_CONF, IPv6: $LAB_IPV6," \
		"VM addresses: $LAB_VM_ADDR"

	lab_new_ns "$LAB_HOST" || return 1
	lab_new_ns "$LAB_OUT" || return 1
	lab_new_ns "$LAB_VM1" || return 1
	lab_new_ns "$LAB_VM2" || return 1
	lab_new_ns "$LAB_VM3" || return 1
	lab_new_ns "$LAB_NAT" || return 1
	lab_new_ns "$LAB_DHCP" || return 1
	lab_new_ns "$LAB_DHCP1" || return 1

	# The virtual switches and the host adapters on them.
	if [ "$shape" = host-bridge ]; then
		swns=$LAB_HOST
		sw8=vmnet8
		sw1=vmnet1
		lab_add_bridge "$LAB_HOST" vmnet8 || return 1
		lab_add_bridge "$LAB_HOST" vmnet1 || return 1
	else
		swns=$LAB_SW
		sw8=vswitch8
		sw1=vswitch1
		lab_new_ns "$LAB_SW" || return 1
		lab_add_bridge "$LAB_SW" vswitch8 || return 1
		lab_add_bridge "$LAB_SW" vswitch1 || return 1
		lab_do ip -n "$LAB_HOST" link add vmnet8 type veth peer \
			name host8 netns "$LAB_SW" || return 1
		lab_do ip -n "$LAB_HOST" link add vmnet1 type veth peer \
			name host1 netns "$LAB_SW" || return 1
		lab_do ip -n "$LAB_SW" link set host8 master vswitch8 up ||
			return 1
		lab_do ip -n "$LAB_SW" link set host1 master vswitch1 up ||
			return 1
		lab_do ip -n "$LAB_HOST" link set vmnet8 up || return 1
		lab_do ip -n "$LAB_HOST" link set vmnet1 up || return 1
	fi
	lab_do ip -n "$LAB_HOST" addr add "$LAB_HOST_IP/24" dev vmnet8 ||
		return 1
	lab_do ip -n "$LAB_HOST" addr add "$LAB_NET1.1/24" dev vmnet1 ||
		return 1

	LAB_SWNS=$swns
	LAB_SW8=$sw8

	# The uplink: the host's LAN NIC, default route, the LAN resolver
	# (the gateway's address on the LAN bridge, which the NAT device
	# shares).
	lab_add_bridge "$LAB_OUT" lan || return 1
	lab_do ip -n "$LAB_HOST" link add eth0 type veth peer name host0 \
		netns "$LAB_OUT" || return 1
	lab_do ip -n "$LAB_OUT" link set host0 master lan up || return 1
	lab_do ip -n "$LAB_OUT" addr add "$LAB_GW/24" dev lan || return 1

	# The services of the virtual networks first, so that they are ready
	# when the VMs ask: NAT device with DNS proxy at .2, DHCP at .254 (on
	# both networks).
	lab_add_nat "$swns" "$sw8" || return 1
	lab_spawn "$LAB_HOST" "$LAB_DIR/natd.log" "$LAB_BIN/vmnet-natd" -s 6 \
		-m /etc/vmware/vmnet8/nat.mac -c /etc/vmware/vmnet8/nat/nat.conf
	LAB_NATD_PID=$!
	lab_add_dhcp "$swns" "$sw8" || return 1
	lab_add_dhcp1 "$swns" "$sw1" || return 1

	# The VMs: vm1 and vm2 on vmnet8 (gateway: the NAT device, .2),
	# vm3 on the host-only vmnet1.
	local a1=$LAB_VM1_IP a2=$LAB_VM2_IP
	if [ "$LAB_VM_ADDR" = dhcp ]; then
		a1=dhcp
		a2=dhcp
	fi
	lab_add_vm "$LAB_VM1" "$a1" "$LAB_NAT_IP" "$swns" vm1p "$sw8" ||
		return 1
	lab_add_vm "$LAB_VM2" "$a2" "$LAB_NAT_IP" "$swns" vm2p "$sw8" ||
		return 1
	lab_add_vm "$LAB_VM3" "$LAB_NET1.128" "$LAB_NET1.1" "$swns" vm3p \
		"$sw1" || return 1
	lab_add_service || return 1
	lab_do ip -n "$LAB_HOST" addr add "$LAB_UPLINK_IP/24" dev eth0 ||
		return 1
	lab_do ip -n "$LAB_HOST" link set eth0 up || return 1
	lab_do ip -n "$LAB_HOST" route add default via "$LAB_GW" dev eth0 ||
		return 1

	if [ "$LAB_IPV6" = yes ]; then
		# Unique local prefixes, as a dual-stack host has them.
		LAB_V6_8="fd$(printf '%02x' $((RANDOM % 256))):8::"
		LAB_V6_UP="fd$(printf '%02x' $((RANDOM % 256))):ff::"
		lab_do ip -n "$LAB_HOST" addr add "${LAB_V6_8}1/64" dev vmnet8 ||
			return 1
		lab_do ip -n "$LAB_OUT" addr add "${LAB_V6_UP}1/64" dev lan ||
			return 1
		lab_do ip -n "$LAB_HOST" addr add "${LAB_V6_UP}2/64" dev eth0 ||
			return 1
		lab_do ip -n "$LAB_HOST" -6 route add default \
			via "${LAB_V6_UP}1" dev eth0 || return 1
	fi

	lab_write_sysroot || {
		LAB_ERR="cannot write the sysroot under $LAB_SYSROOT"
		return 1
	}

	# Settled and reachable before any fault goes in.
	lab_wait_oper "$LAB_HOST" vmnet8 UP || return 1
	lab_wait_oper "$LAB_HOST" vmnet1 UP || return 1
	lab_wait_oper "$LAB_HOST" eth0 UP || return 1
	if [ "$LAB_VM_ADDR" = dhcp ]; then
		lab_wait_listen "$LAB_DHCP" udp 67 "the DHCP server" || return 1
		lab_dhcp_vms || return 1
		lab_write_leases || return 1
	fi
	lab_wait_listen "$LAB_DHCP1" udp 67 "vmnet1's DHCP server" || return 1
	lab_wait_listen "$LAB_NAT" udp 53 "the DNS proxy" || return 1
	lab_wait_listen "$LAB_VM1" tcp 80 "vm1's web server" || return 1
	[ "$(cat "/proc/$LAB_NATD_PID/comm" 2>/dev/null)" = vmnet-natd ] || {
		LAB_ERR="the vmnet-natd stand-in does not run"
		return 1
	}
	lab_ping "$LAB_VM1_IP" || return 1
	lab_ping "$LAB_VM2_IP" || return 1
	lab_ping "$LAB_NET1.128" || return 1
	lab_ping "$LAB_GW" || return 1
	lab_check_services || return 1
	return 0
}

# What the host namespace looks like, for a failure report.
lab_dump() {
	{
		echo "host namespace $LAB_HOST:"
		ip -n "$LAB_HOST" link show 2>&1
		ip -n "$LAB_HOST" -br addr show 2>&1
		ip -n "$LAB_HOST" route show table all 2>&1 | grep -v '^local\|^broadcast\|^multicast\|^ff00::'
		echo "vm1, vm2:"
		ip -n "$LAB_VM1" -br addr show dev eth0 2>&1
		ip -n "$LAB_VM2" -br addr show dev eth0 2>&1
		for f in "$LAB_DIR"/*/dnsmasq.log "$LAB_DIR"/*/dhcpd.leases \
			"$LAB_DIR"/udhcpc-*.log "$LAB_DIR"/httpd-*.log; do
			[ -s "$f" ] || continue
			echo "--- ${f#"$LAB_DIR"/} (last lines)"
			tail -n 8 "$f"
		done
		echo "sysroot $LAB_SYSROOT:"
		(cd "$LAB_SYSROOT" && find . -type f -exec sh -c \
			'for f; do echo "--- $f"; cat "$f"; done' sh {} +) 2>&1
	} | sed 's/^/#   /'
}
