# shellcheck shell=bash disable=SC2034 # LAB_* variables are for the caller
# The fault lab: a VMware-NAT-like host rebuilt from network namespaces.
#
# Source this file from bash, call lab_init once, then for every scenario
# lab_up (build and verify the healthy lab), inject one fault, run vnetdiag
# inside "$LAB_HOST", and lab_down.  lab_init traps EXIT INT TERM so that
# every namespace and directory of this run is deleted even on failure.
#
# Safety: everything lives in namespaces this file creates (names start with
# "$LAB_STEM-"); nothing is created in, and no packet is sent from, the
# namespace the script was started in.
#
# Topology (the "host" namespace is what vnetdiag looks at):
#
#   shape host-bridge                      shape switch-ns
#   host: vmnet8 (bridge) .1/24            host: vmnet8 (veth) .1/24
#         +- vm1p -- vm1:eth0 .128               == sw:host8 in bridge vswitch8
#         +- vm2p -- vm2:eth0 .129           sw: vswitch8 +- vm1p -- vm1:eth0 .128
#         vmnet1 (bridge) .1/24                         +- vm2p -- vm2:eth0 .129
#         +- vm3p -- vm3:eth0 .128           host: vmnet1 (veth) == sw:host1
#         eth0 -- out:host0 (gateway)        sw: vswitch1 +- vm3p -- vm3:eth0
#                                            host: eth0 -- out:host0 (gateway)
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
}

# Every namespace of this run, one a line.
lab_namespaces() {
	ip netns list 2>/dev/null | awk -v s="$LAB_STEM-" \
		'index($1, s) == 1 { print $1 }'
}

lab_del_ns() {
	local ns=$1 pid
	# Processes a later scenario starts in the namespace (dnsmasq, udhcpc)
	# would keep it alive; they are ours, end them by id.
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		kill "$pid" 2>/dev/null
	done
	ip netns del "$ns" 2>/dev/null
}

lab_teardown_all() {
	local ns
	for ns in $(lab_namespaces); do
		lab_del_ns "$ns"
	done
	[ -n "$LAB_TMP" ] && rm -rf "$LAB_TMP"
	LAB_TMP=""
}

# Tear down the current lab only.
lab_down() {
	local ns
	for ns in $LAB_ALL_NS; do
		lab_del_ns "$ns"
	done
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

# A VM: namespace NS with eth0 at ADDR/24, default route via GW; its other
# end is PORT in namespace PORTNS, enslaved to BRIDGE.
lab_add_vm() {
	local ns=$1 addr=$2 gw=$3 portns=$4 port=$5 bridge=$6
	lab_do ip -n "$portns" link add "$port" type veth peer name eth0 \
		netns "$ns" || return 1
	lab_do ip -n "$portns" link set "$port" master "$bridge" up || return 1
	lab_do ip -n "$ns" link set lo up || return 1
	lab_do ip -n "$ns" addr add "$addr/24" dev eth0 || return 1
	lab_do ip -n "$ns" link set eth0 up || return 1
	lab_do ip -n "$ns" route add default via "$gw" dev eth0 || return 1
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
# sysctl.d, and (a variation) etc/vmware/networking declaring both vmnets.
lab_write_sysroot() {
	local d=$LAB_SYSROOT
	mkdir -p "$d/etc/sysctl.d" || return 1
	{
		echo "# written by the vnetdiag fault lab"
		[ "$LAB_SEARCH" = yes ] && echo "search lab.example"
		echo "nameserver $LAB_GW"
	} >"$d/etc/resolv.conf" || return 1
	if [ "$LAB_VMWARE_CONF" = yes ]; then
		mkdir -p "$d/etc/vmware" || return 1
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
	fi
}

# lab_up SHAPE: build and verify a fresh healthy lab.
# SHAPE is host-bridge, switch-ns, or random.  Sets:
#   LAB_SHAPE LAB_HOST LAB_SW LAB_VM1 LAB_VM2 LAB_VM3 LAB_OUT LAB_SYSROOT
#   LAB_NET8 LAB_NET1 LAB_UPNET (first three octets) LAB_SUBNET8 (x.y.z.0/24)
#   LAB_HOST_IP LAB_VM1_IP LAB_VM2_IP LAB_GW LAB_UPLINK_IP LAB_UPLINK
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
	LAB_UPLINK=eth0
	lab_pick_subnets
	LAB_SUBNET8="$LAB_NET8.0/24"
	LAB_HOST_IP="$LAB_NET8.1"
	LAB_VM1_IP="$LAB_NET8.128"
	LAB_VM2_IP="$LAB_NET8.129"
	lab_pick 1 254
	LAB_GW="$LAB_UPNET.$LAB_R"
	LAB_UPLINK_IP="$LAB_UPNET.$((2 + RANDOM % 250))"
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
		"etc/vmware/networking: $LAB_VMWARE_CONF, IPv6: $LAB_IPV6"

	lab_new_ns "$LAB_HOST" || return 1
	lab_new_ns "$LAB_OUT" || return 1
	lab_new_ns "$LAB_VM1" || return 1
	lab_new_ns "$LAB_VM2" || return 1
	lab_new_ns "$LAB_VM3" || return 1

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

	# The VMs: vm1 and vm2 on vmnet8 (gateway: the NAT device, .2),
	# vm3 on the host-only vmnet1.
	lab_add_vm "$LAB_VM1" "$LAB_VM1_IP" "$LAB_NET8.2" "$swns" vm1p "$sw8" ||
		return 1
	lab_add_vm "$LAB_VM2" "$LAB_VM2_IP" "$LAB_NET8.2" "$swns" vm2p "$sw8" ||
		return 1
	lab_add_vm "$LAB_VM3" "$LAB_NET1.128" "$LAB_NET1.1" "$swns" vm3p \
		"$sw1" || return 1

	# The uplink: the host's LAN NIC, default route, the LAN resolver.
	lab_do ip -n "$LAB_HOST" link add eth0 type veth peer name host0 \
		netns "$LAB_OUT" || return 1
	lab_do ip -n "$LAB_OUT" addr add "$LAB_GW/24" dev host0 || return 1
	lab_do ip -n "$LAB_OUT" link set host0 up || return 1
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
		lab_do ip -n "$LAB_OUT" addr add "${LAB_V6_UP}1/64" dev host0 ||
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
	lab_ping "$LAB_VM1_IP" || return 1
	lab_ping "$LAB_VM2_IP" || return 1
	lab_ping "$LAB_NET1.128" || return 1
	lab_ping "$LAB_GW" || return 1
	return 0
}

# What the host namespace looks like, for a failure report.
lab_dump() {
	{
		echo "host namespace $LAB_HOST:"
		ip -n "$LAB_HOST" link show 2>&1
		ip -n "$LAB_HOST" -br addr show 2>&1
		ip -n "$LAB_HOST" route show table all 2>&1 | grep -v '^local\|^broadcast\|^multicast\|^ff00::'
		echo "sysroot $LAB_SYSROOT:"
		(cd "$LAB_SYSROOT" && find . -type f -exec sh -c \
			'for f; do echo "--- $f"; cat "$f"; done' sh {} +) 2>&1
	} | sed 's/^/#   /'
}
