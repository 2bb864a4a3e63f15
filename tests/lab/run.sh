#!/bin/bash
# The fault lab: each scenario builds a fresh healthy lab in network
# namespaces (tests/lab/lib.sh), injects exactly one fault, runs
#   vnetdiag check --passive --json --sysroot SYSROOT
# or, for the scenarios about one target (a VM, a service, an address),
#   vnetdiag check --target HOST[:PORT] --json --sysroot SYSROOT
# inside the lab's host namespace, and asserts root cause, status and exit
# code (for a target, also that the root cause is about the target, and
# that check finishes within TARGET_TIMEOUT).  The scenarios about the
# services VMs depend on (DHCP, DNS) run
#   vnetdiag check --dns-name www.example.lab --json --sysroot SYSROOT
# without --passive and without a target: check sends a DHCP discover on
# every network etc/vmware/networking declares with DHCP (they always get
# that file) and asks the DNS servers offered; they finish within
# SERVICES_TIMEOUT.  Two round-trip scenarios check that collect (in the
# namespace) then analyze (outside it, as another machine would) gives
# what check gives.
#
# Usage: tests/lab/run.sh [SCENARIO...]      (default: all; -l lists them)
# Environment:
#   VNETDIAG   the binary (default: build/vnetdiag of this checkout)
#   LAB_SHOW   1: also print the text report of each check (to stderr)
#   LAB_ROOT   CODE: run only the scenarios whose expected root cause is CODE
#   LAB_ONLY   name1,name2: run only these scenarios (when none are given
#              as arguments)
#   LAB_SHAPE  random (default), alternate, host-bridge or switch-ns
#   LAB_SEED   repeat a run's random choices (subnets, shapes, variants)
#   LAB_VMWARE_CONF_WANT, LAB_IPV6_WANT  yes|no instead of random (the
#              DHCP and DNS scenarios always write etc/vmware/networking)
#   LAB_VM_ADDR_WANT  dhcp (default) or static: how vm1 and vm2 get theirs
#   LAB_TARGET_MAX_MS  fail healthy-target when check --target takes longer
#              (default: only print the time)
#   LAB_PROBE_TIMEOUT_MS  --timeout for the fault scenarios with a target
#              or about DHCP and DNS (default 500; the lab answers in
#              microseconds, and the mutation suite runs the lab once per
#              rule); healthy-target and healthy-services always run with
#              vnetdiag's default
#   LAB_VERBOSE=1  list every report's findings, passing or not
#
# Output: one line per scenario, "ok - lab: NAME (SHAPE, SUBNET)" or
# "not ok - lab: NAME ...", everything else prefixed with "# ".  Exit status
# 0 when every scenario passed (or all were skipped), 1 otherwise.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$here/lib.sh"

VNETDIAG=${VNETDIAG:-$repo/build/vnetdiag}
case $VNETDIAG in
/*) ;;
*) VNETDIAG="$PWD/$VNETDIAG" ;;
esac
LAB_SHAPE_WANT=${LAB_SHAPE:-random}
TIMEOUT=60
# check --target sends 3 echoes, ARP and a connect with a 1 s timeout
# each, all at once: a run that takes much longer is hanging.
TARGET_TIMEOUT=15
# check without --passive listens 3 s for DHCP offers, then asks DNS
# (2 tries of --timeout each).
SERVICES_TIMEOUT=15
# The name the NAT device's DNS proxy answers (lib.sh: www.example.lab is
# the gateway's address).
DNS_NAME=www.example.lab
PROBE_TIMEOUT_MS=${LAB_PROBE_TIMEOUT_MS:-500}

ALL_SCENARIOS=(healthy adapter-down no-carrier noprefixroute
	route-more-specific route-lower-metric subnet-overlap mtu-mismatch
	no-address mac-conflict dns-no-server sysctl-obsolete nm-managed
	roundtrip-healthy roundtrip-fault
	healthy-target port-closed port-filtered unanswered-arp duplicate-ip
	icmp-unreachable target-unreachable service-not-listening no-route
	adapter-down-with-target mtu-black-hole wrong-mask
	healthy-services dhcp-stopped dhcp-second-server dns-blocked
	vmw-healthy vmw-gateway-wrong vmw-module-missing vmw-nat-stopped
	vmw-portfwd-wrong-ip vmw-vmx-mac-invalid vmw-vmx-mac-shared
	vmw-log-errors vmw-nic-e1000 vmw-adapter-missing vmw-module-old-kernel
	vmw-daemons-stopped vmw-bridge-nic-missing vmw-subnet-mismatch
	vmw-dhcp-range-bad vmw-portfwd-missing vmw-hostport-conflict
	vmw-reservation-mac vmw-vms-apart dhcp-silent
	vmw-selinux-denials vmw-apparmor-denials vmw-hyperv-conflict
	fw-output-drop fw-input-drop fw-reject fw-accept-all fw-forward-drop
	ip-forward-off)

# The scenarios about DHCP and DNS (check without --passive, no target).
SERVICES_SCENARIOS=" healthy-services dhcp-stopped dhcp-second-server dns-blocked dhcp-silent "

# Faults the round trip may pick from.
ROUNDTRIP_FAULTS=(adapter-down no-carrier noprefixroute route-more-specific
	route-lower-metric subnet-overlap mtu-mismatch no-address mac-conflict
	dns-no-server sysctl-obsolete)

failed=0
shape_turn=0

# --- expectations: root cause code ("" = null), status, exit code ---
expect() {
	case $1 in
	healthy) set -- "" ok 0 ;;
	adapter-down) set -- L1.adapter-down critical 2 ;;
	no-carrier) set -- L1.no-carrier critical 2 ;;
	noprefixroute) set -- L3.route-missing critical 2 ;;
	route-more-specific | route-lower-metric)
		set -- L3.route-wrong-interface critical 2 ;;
	subnet-overlap) set -- L3.subnet-overlap critical 2 ;;
	mtu-mismatch) set -- L2.mtu-mismatch warning 1 ;;
	no-address) set -- L3.no-address critical 2 ;;
	mac-conflict) set -- L2.mac-conflict critical 2 ;;
	dns-no-server) set -- L3.dns-no-server warning 1 ;;
	sysctl-obsolete) set -- HOST.sysctl-obsolete warning 1 ;;
	nm-managed) set -- HOST.networkmanager-managed warning 1 ;;
	# check --target
	healthy-target) set -- "" ok 0 ;;
	port-closed) set -- L4.port-closed critical 2 ;;
	port-filtered) set -- L4.port-filtered critical 2 ;;
	unanswered-arp) set -- L2.arp-unanswered critical 2 ;;
	duplicate-ip) set -- L2.duplicate-ip critical 2 ;;
	icmp-unreachable) set -- L3.icmp-unreachable critical 2 ;;
	target-unreachable) set -- L3.target-unreachable critical 2 ;;
	service-not-listening) set -- L7.service-not-listening critical 2 ;;
	no-route) set -- L3.route-missing critical 2 ;;
	adapter-down-with-target) set -- L1.adapter-down critical 2 ;;
	mtu-black-hole) set -- L2.mtu-mismatch warning 1 ;;
	wrong-mask) set -- L3.netmask-mismatch critical 2 ;;
	# check without --passive: DHCP and DNS
	healthy-services) set -- "" ok 0 ;;
	dhcp-stopped) set -- L3.dhcp-service-down critical 2 ;;
	dhcp-second-server) set -- L3.dhcp-multiple-servers critical 2 ;;
	dns-blocked) set -- L3.dns-failure critical 2 ;;
	# VMware's files in the sysroot (check --passive)
	vmw-healthy) set -- "" ok 0 ;;
	vmw-gateway-wrong) set -- L3.gateway-wrong critical 2 ;;
	vmw-module-missing) set -- L1.module-missing critical 2 ;;
	vmw-nat-stopped) set -- L4.nat-service-down critical 2 ;;
	vmw-portfwd-wrong-ip) set -- L4.nat-portforward-wrong-target critical 2 ;;
	vmw-vmx-mac-invalid) set -- L2.vmx-mac-invalid critical 2 ;;
	vmw-vmx-mac-shared) set -- L2.mac-conflict critical 2 ;;
	vmw-log-errors) set -- HOST.log-errors warning 1 ;;
	vmw-nic-e1000) set -- "" ok 0 ;;
	vmw-adapter-missing) set -- L1.adapter-missing critical 2 ;;
	vmw-module-old-kernel) set -- L1.module-kernel-mismatch critical 2 ;;
	vmw-daemons-stopped) set -- HOST.vmware-service-down critical 2 ;;
	vmw-bridge-nic-missing) set -- L2.bridge-mapping-missing critical 2 ;;
	vmw-subnet-mismatch) set -- L3.subnet-mismatch critical 2 ;;
	vmw-dhcp-range-bad) set -- L3.dhcp-config-invalid warning 1 ;;
	vmw-portfwd-missing) set -- L4.nat-portforward-missing critical 2 ;;
	vmw-hostport-conflict) set -- L4.nat-hostport-conflict critical 2 ;;
	vmw-reservation-mac) set -- L2.vmx-mac-mismatch warning 1 ;;
	vmw-vms-apart) set -- L2.vms-on-different-networks warning 1 ;;
	dhcp-silent) set -- L3.dhcp-no-offer critical 2 ;;
	# the host's policy, from files of the sysroot
	vmw-selinux-denials) set -- HOST.selinux-denials warning 1 ;;
	vmw-apparmor-denials) set -- HOST.apparmor-denials warning 1 ;;
	vmw-hyperv-conflict) set -- HOST.hyperv-conflict critical 2 ;;
	# the host's firewall (check --target; the routed ones --passive)
	fw-output-drop | fw-input-drop | fw-reject)
		set -- L4.firewall-blocks critical 2 ;;
	fw-accept-all) set -- "" ok 0 ;;
	fw-forward-drop) set -- L4.firewall-blocks critical 2 ;;
	ip-forward-off) set -- L3.ip-forward-disabled critical 2 ;;
	*) return 1 ;;
	esac
	EXP_CODE=$1
	EXP_STATUS=$2
	EXP_RC=$3
}

# --- faults: each injects one fault into the current lab and checks that
# it took, so that a broken script is not mistaken for a broken program ---

hostip() { ip -n "$LAB_HOST" "$@"; }

link_json() { hostip -j link show dev "$1" 2>/dev/null; }

fault_healthy() { :; }

# --- VMware's files and daemons (the sysroot lib.sh writes) ---

vmw_file() { echo "$LAB_SYSROOT/etc/vmware/$1"; }

# Replace the first match of the sed regex RE in FILE, and check it did.
edit_file() { # FILE RE REPLACEMENT
	local f=$1
	sed -i "s|$2|$3|" "$f" || return 1
	grep -q -- "$3" "$f" || {
		LAB_ERR="could not edit ${f#"$LAB_SYSROOT"}: no /$2/"
		return 1
	}
}

fault_vmw_healthy() { :; }

fault_vmw_gateway_wrong() {
	lab_note "vmnet8's dhcpd.conf: option routers $LAB_NET8.3 (not the NAT device .2)"
	edit_file "$(vmw_file vmnet8/dhcpd/dhcpd.conf)" \
		"option routers $LAB_NAT_IP;" "option routers $LAB_NET8.3;"
}

fault_vmw_module_missing() {
	lab_note "proc/modules without vmnet (vmmon loaded)"
	sed -i '/^vmnet /d' "$LAB_SYSROOT/proc/modules" &&
		! grep -q '^vmnet ' "$LAB_SYSROOT/proc/modules"
}

fault_vmw_nat_stopped() {
	local pid n=0
	lab_note "vmnet-natd (vmnet8's NAT daemon) stopped"
	for pid in $(ip netns pids "$LAB_HOST"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = vmnet-natd ] || continue
		kill "$pid" && n=$((n + 1))
	done
	[ "$n" -gt 0 ] || {
		LAB_ERR="no vmnet-natd process in $LAB_HOST"
		return 1
	}
	for ((n = 0; n < 50; n++)); do
		pgrep -x vmnet-natd >/dev/null || return 0
		sleep 0.02
	done
	LAB_ERR="vmnet-natd still runs"
	return 1
}

fault_vmw_portfwd_wrong_ip() {
	local to
	# With leases, an address of the DHCP pool that no VM holds; with
	# static VMs, an address outside the subnet.
	if [ "$LAB_VM_ADDR" = dhcp ]; then
		to="$LAB_NET8.200"
	else
		to="$LAB_UPNET.77"
	fi
	lab_note "nat.conf forwards 8080 to $to (vm1 is $LAB_VM1_IP)"
	edit_file "$(vmw_file vmnet8/nat/nat.conf)" "8080 = $LAB_VM1_IP:80" \
		"8080 = $to:80"
}

vmx_of() { echo "$LAB_SYSROOT/home/lab/vmware/$1/$1.vmx"; }

fault_vmw_vmx_mac_invalid() {
	lab_note "vm2.vmx: static MAC 00:50:56:9a:01:02 (above 00:50:56:3f:ff:ff)"
	edit_file "$(vmx_of vm2)" 'addressType = "generated"' \
		'addressType = "static"' || return 1
	echo 'ethernet0.address = "00:50:56:9a:01:02"' >>"$(vmx_of vm2)"
}

fault_vmw_vmx_mac_shared() {
	local mac
	mac=$(sed -n 's/^ethernet0.generatedAddress = "\(.*\)"/\1/p' "$(vmx_of vm1)")
	lab_note "vm2.vmx carries vm1's MAC $mac (a copied VM)"
	edit_file "$(vmx_of vm2)" 'generatedAddress = ".*"' \
		"generatedAddress = \"$mac\""
}

fault_vmw_log_errors() {
	local log=$LAB_SYSROOT/home/lab/vmware/vm1/vmware.log
	lab_note "vm1's vmware.log: vmnet8 could not be opened"
	printf '%s\n' \
		"2026-11-28T10:00:02.000Z In(05) vcpu-0 - VNET: MACVNetPortOpenDevice: Ethernet0: can't open vmnet device (No such device or address)" \
		"2026-11-28T10:00:02.001Z In(05) vcpu-0 - [msg.vnet.connectvnet] Could not connect 'Ethernet0' to virtual network '/dev/vmnet8'. More information can be found in the vmware.log file." \
		>>"$log"
}

fault_vmw_selinux_denials() {
	local d=$LAB_SYSROOT
	lab_note "SELinux enforcing; audit.log: vmnet-natd denied name_bind on 8080"
	mkdir -p "$d/sys/fs/selinux" "$d/var/log/audit" || return 1
	echo 1 >"$d/sys/fs/selinux/enforce" &&
		printf '%s\n' 'type=AVC msg=audit(1764320402.512:3107): avc:  denied  { name_bind } for  pid=2345 comm="vmnet-natd" src=8080 scontext=system_u:system_r:unconfined_service_t:s0 tcontext=system_u:object_r:http_cache_port_t:s0 tclass=tcp_socket permissive=0' \
			>"$d/var/log/audit/audit.log"
}

fault_vmw_apparmor_denials() {
	local d=$LAB_SYSROOT
	lab_note "AppArmor profile /usr/bin/vmnet-dhcpd denied /dev/vmnet8 (kern.log)"
	mkdir -p "$d/sys/kernel/security/apparmor" "$d/var/log" || return 1
	echo '/usr/bin/vmnet-dhcpd (enforce)' \
		>"$d/sys/kernel/security/apparmor/profiles" &&
		printf '%s\n' 'Nov 28 10:00:01 host kernel: [  812.104223] audit: type=1400 audit(1764320401.104:58): apparmor="DENIED" operation="open" class="file" profile="/usr/bin/vmnet-dhcpd" name="/dev/vmnet8" pid=1201 comm="vmnet-dhcpd" requested_mask="wr" denied_mask="wr" fsuid=0 ouid=0' \
			>>"$d/var/log/kern.log"
}

fault_vmw_hyperv_conflict() {
	local d=$LAB_SYSROOT
	lab_note "kvm_intel loaded beside vmmon, kvm.enable_virt_at_load=Y"
	mkdir -p "$d/sys/module/kvm/parameters" || return 1
	echo Y >"$d/sys/module/kvm/parameters/enable_virt_at_load" &&
		printf '%s\n' 'kvm_intel 409600 0 - Live 0x0000000000000000' \
			'kvm 1347584 1 kvm_intel, Live 0x0000000000000000' \
			>>"$d/proc/modules"
}

fault_vmw_adapter_missing() {
	lab_note "vmnet1's host adapter deleted (VNET_1_VIRTUAL_ADAPTER yes)"
	lab_do hostip link del vmnet1 || return 1
	! link_json vmnet1 >/dev/null
}

fault_vmw_module_old_kernel() {
	local m=$LAB_SYSROOT/lib/modules
	lab_note "vmnet not loaded; vmmon/vmnet built for 6.0.0-old only"
	sed -i '/^vmnet /d' "$LAB_SYSROOT/proc/modules" || return 1
	mkdir -p "$m/6.0.0-old" && mv "$m/$(uname -r)/misc" "$m/6.0.0-old/"
}

# Stop PROCESS (by name) in namespace NS and wait until it is gone.
stop_named() { # NS NAME
	local pid n=0
	for pid in $(ip netns pids "$1"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || continue
		kill "$pid" && n=$((n + 1))
	done
	[ "$n" -gt 0 ] || {
		LAB_ERR="no $2 process in $1"
		return 1
	}
	for ((n = 0; n < 50; n++)); do
		pgrep -x "$2" >/dev/null || return 0
		sleep 0.02
	done
	LAB_ERR="$2 still runs"
	return 1
}

fault_vmw_daemons_stopped() {
	lab_note "every VMware daemon stopped (vmware-networks --stop)"
	stop_named "$LAB_HOST" vmnet-natd || return 1
	stop_ns_daemon "$LAB_DHCP" || return 1
	stop_ns_daemon "$LAB_DHCP1"
}

fault_vmw_bridge_nic_missing() {
	lab_note "vmnet0 bridged to eth7, which this host does not have"
	printf '%s\n' 'answer VNET_0_DHCP no' 'answer VNET_0_NAT no' \
		'answer VNET_0_VIRTUAL_ADAPTER no' 'add_bridge_mapping eth7 0' \
		>>"$(vmw_file networking)" || return 1
	lab_spawn "$LAB_HOST" "$LAB_DIR/bridge.log" "$LAB_BIN/vmnet-bridge" \
		-s 6 -d /var/run/vmnet-bridge-0.pid -n 0
	wait_named vmnet-bridge || return 1
	! link_json eth7 >/dev/null
}

# Wait (up to 1 s) until a process NAME runs.
wait_named() {
	local i
	for ((i = 0; i < 50; i++)); do
		pgrep -x "$1" >/dev/null && return 0
		sleep 0.02
	done
	LAB_ERR="$1 did not start"
	return 1
}

fault_vmw_subnet_mismatch() {
	lab_note "networking says vmnet8 is 10.254.254.0/24 (the adapter has $LAB_HOST_IP)"
	edit_file "$(vmw_file networking)" "VNET_8_HOSTONLY_SUBNET $LAB_NET8.0" \
		"VNET_8_HOSTONLY_SUBNET 10.254.254.0"
}

fault_vmw_dhcp_range_bad() {
	lab_note "vmnet8's dhcpd.conf: range .1 - .253 (hands out the host's and the NAT device's addresses)"
	edit_file "$(vmw_file vmnet8/dhcpd/dhcpd.conf)" "range $LAB_NET8.128 " \
		"range $LAB_NET8.1 "
}

fault_vmw_portfwd_missing() {
	CHECK_TARGET="$LAB_UPLINK_IP:9090"
	lab_note "the user asks for port 9090 of the host's LAN address; nat.conf forwards only 8080"
	! grep -q '^9090' "$(vmw_file vmnet8/nat/nat.conf)"
}

fault_vmw_hostport_conflict() {
	lab_note "a web server on the host takes port 8080, which nat.conf forwards"
	lab_spawn "$LAB_HOST" "$LAB_DIR/httpd-host.log" busybox httpd -f \
		-p 8080 -h "$LAB_DIR"
	lab_wait_listen "$LAB_HOST" tcp 8080 "the host's web server"
}

fault_vmw_reservation_mac() {
	lab_note "vmnet8's dhcpd.conf reserves .150 for \"vm1\" with another MAC"
	printf '%s\n' 'host vm1 {' '	hardware ethernet 00:0c:29:99:99:99;' \
		"	fixed-address $LAB_NET8.150;" '}' \
		>>"$(vmw_file vmnet8/dhcpd/dhcpd.conf)"
}

fault_vmw_vms_apart() {
	CHECK_EXTRA=(--vm vm1 --vm vm3)
	lab_note "vm1 (NAT, vmnet8) and vm3 (host-only, vmnet1) should talk"
}

fault_dhcp_silent() {
	lab_note "vmnet8's DHCP server runs, but its port 67 is dropped"
	nft_in "$LAB_DHCP" <<'EOF'
table inet lab_fault {
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport 67 counter drop
	}
}
EOF
}

fault_vmw_nic_e1000() {
	lab_note "vm1.vmx: ethernet0.virtualDev = e1000"
	edit_file "$(vmx_of vm1)" 'virtualDev = "vmxnet3"' 'virtualDev = "e1000"'
}

fault_adapter_down() {
	lab_do hostip link set vmnet8 down || return 1
	link_json vmnet8 | jq -e '.[0].flags | index("UP") | not' >/dev/null ||
		{
			LAB_ERR="vmnet8 is still UP"
			return 1
		}
}

fault_no_carrier() {
	local how port ns
	if [ "$LAB_SHAPE" = host-bridge ]; then
		# The bridge has carrier while one port has: take them all
		# (the VMs' and those of the NAT and DHCP services).
		lab_pick ports-down vms-powered-off
		how=$LAB_R
		lab_note "no carrier by $how"
		if [ "$how" = ports-down ]; then
			for port in vm1p vm2p natp dhcpp; do
				lab_do hostip link set "$port" down || return 1
			done
		else
			# Deleting the VM's end of a veth removes the port too;
			# the services stop with the VMs (as vmware-networking
			# stop does).
			for ns in "$LAB_VM1" "$LAB_VM2" "$LAB_NAT" "$LAB_DHCP"; do
				lab_do ip -n "$ns" link del eth0 || return 1
			done
		fi
	else
		lab_note "no carrier by taking the switch port host8 down"
		lab_do ip -n "$LAB_SW" link set host8 down || return 1
	fi
	lab_wait_oper "$LAB_HOST" vmnet8 "DOWN LOWERLAYERDOWN" || return 1
	link_json vmnet8 |
		jq -e '.[0].flags | (index("UP") != null) and
			(index("NO-CARRIER") != null)' >/dev/null || {
		LAB_ERR="vmnet8 is not 'UP,NO-CARRIER': $(link_json vmnet8)"
		return 1
	}
}

readd_noprefixroute() {
	lab_do hostip addr del "$LAB_HOST_IP/24" dev vmnet8 || return 1
	lab_do hostip addr add "$LAB_HOST_IP/24" dev vmnet8 noprefixroute
}

fault_noprefixroute() {
	readd_noprefixroute || return 1
	if [ -n "$(hostip route show "$LAB_SUBNET8")" ]; then
		LAB_ERR="a route to $LAB_SUBNET8 is still there"
		return 1
	fi
}

# Where does the host send a packet for the VM?
route_dev() {
	hostip -j route get "$1" 2>/dev/null | jq -r '.[0].dev // empty'
}

fault_route_more_specific() {
	local len
	lab_pick 25 26
	len=$LAB_R
	lab_note "route $LAB_NET8.128/$len via $LAB_GW dev eth0"
	lab_do hostip route add "$LAB_NET8.128/$len" via "$LAB_GW" dev eth0 \
		proto static || return 1
	[ "$(route_dev "$LAB_VM1_IP")" = eth0 ] || {
		LAB_ERR="route get $LAB_VM1_IP: not via eth0"
		return 1
	}
}

fault_route_lower_metric() {
	# A second NIC with a better metric, as NetworkManager hands out:
	# the connected route of vmnet8 loses to the uplink's.
	readd_noprefixroute || return 1
	lab_do hostip route add "$LAB_SUBNET8" dev vmnet8 proto kernel \
		scope link src "$LAB_HOST_IP" metric 500 || return 1
	lab_do hostip route add "$LAB_SUBNET8" via "$LAB_GW" dev eth0 \
		proto static metric 100 || return 1
	[ "$(route_dev "$LAB_VM1_IP")" = eth0 ] || {
		LAB_ERR="route get $LAB_VM1_IP: not via eth0"
		return 1
	}
}

# A random address inside NET/LEN but outside every /24 of the lab
# -> LAB_R.
free_addr_in() {
	local base=$1 len=$2 size n ip i
	size=$((1 << (32 - len)))
	for ((i = 0; i < 100; i++)); do
		n=$(((RANDOM * 32768 + RANDOM) % size))
		ip=$(lab_int2ip $((base + n)))
		case ${ip##*.} in 0 | 255) continue ;; esac
		case ${ip%.*} in "$LAB_NET8" | "$LAB_NET1" | "$LAB_UPNET") continue ;; esac
		LAB_R=$ip
		return 0
	done
	return 1
}

fault_subnet_overlap() {
	local len how base mask addr
	lab_pick 16 20 22
	len=$LAB_R
	lab_pick veth-to-outside macvlan-on-uplink
	how=$LAB_R
	mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
	base=$(($(lab_ip2int "$LAB_NET8.0") & mask))
	free_addr_in "$base" "$len" || {
		LAB_ERR="no free address in $(lab_int2ip "$base")/$len"
		return 1
	}
	addr=$LAB_R
	lab_note "lan0 ($how) $addr/$len contains $LAB_SUBNET8"
	if [ "$how" = veth-to-outside ]; then
		lab_do hostip link add lan0 type veth peer name lan0p \
			netns "$LAB_OUT" || return 1
		lab_do ip -n "$LAB_OUT" link set lan0p up || return 1
	else
		lab_do hostip link add link eth0 name lan0 type macvlan \
			mode bridge || return 1
	fi
	lab_do hostip addr add "$addr/$len" dev lan0 || return 1
	lab_do hostip link set lan0 up || return 1
	lab_wait_oper "$LAB_HOST" lan0 "UP UNKNOWN" || return 1
	# Only the overlap, no routing change: the /24 still wins.
	[ "$(route_dev "$LAB_VM1_IP")" = vmnet8 ] || {
		LAB_ERR="route get $LAB_VM1_IP: not via vmnet8"
		return 1
	}
}

fault_mtu_mismatch() {
	local port
	lab_pick vm1p vm2p
	port=$LAB_R
	lab_note "port $port of bridge vmnet8 at MTU 1400"
	lab_do hostip link set "$port" mtu 1400 || return 1
	[ "$(link_json "$port" | jq -r '.[0].mtu')" = 1400 ] || {
		LAB_ERR="$port MTU is not 1400"
		return 1
	}
}

fault_no_address() {
	lab_do hostip -4 addr flush dev vmnet8 || return 1
	[ -z "$(hostip -4 addr show dev vmnet8)" ] || {
		LAB_ERR="vmnet8 still has an IPv4 address"
		return 1
	}
}

fault_mac_conflict() {
	local mac
	mac=$(link_json eth0 | jq -r '.[0].address')
	lab_note "vmnet1 takes eth0's MAC $mac"
	lab_do hostip link set vmnet1 address "$mac" || return 1
	[ "$(link_json vmnet1 | jq -r '.[0].address')" = "$mac" ] || {
		LAB_ERR="vmnet1 did not take $mac"
		return 1
	}
}

fault_dns_no_server() {
	# What NetworkManager writes when it knows no server.
	cat >"$LAB_SYSROOT/etc/resolv.conf" <<'EOF' || return 1
# Generated by NetworkManager
# No nameservers found; try putting DNS servers into your
# ifcfg files in /etc/sysconfig/network-scripts like so:
#
# DNS1=xxx.xxx.xxx.xxx
# DNS2=xxx.xxx.xxx.xxx
# DOMAIN=lab.example
EOF
}

fault_sysctl_obsolete() {
	cat >"$LAB_SYSROOT/etc/sysctl.d/90-tune.conf" <<'EOF' || return 1
# Network tuning copied from a troubleshooting guide
net.core.somaxconn = 1024
net.ipv4.tcp_tw_reuse = 1
net.ipv4.tcp_tw_recycle = 1
EOF
}

# NetworkManager enabled (unit files), with a configuration that leaves no
# device alone: it would manage the lab's adapters.
fault_nm_managed() {
	local d=$LAB_SYSROOT
	mkdir -p "$d/lib/systemd/system" "$d/etc/NetworkManager/conf.d" \
		"$d/etc/systemd/system/multi-user.target.wants" || return 1
	printf '[Service]\nExecStart=/usr/sbin/NetworkManager --no-daemon\n' \
		>"$d/lib/systemd/system/NetworkManager.service" &&
		ln -s /lib/systemd/system/NetworkManager.service \
			"$d/etc/systemd/system/multi-user.target.wants/" &&
		printf '[main]\nplugins=ifupdown,keyfile\n\n[ifupdown]\nmanaged=false\n' \
			>"$d/etc/NetworkManager/NetworkManager.conf"
}

# --- faults for check --target: each also sets CHECK_TARGET (HOST or
# HOST:PORT, as given on the command line) ---

# A /24 that none of the lab's networks is in -> LAB_R (three octets).
fresh_net24() {
	local n
	while :; do
		lab_random_net24
		n=$LAB_R
		case $n in "$LAB_NET8" | "$LAB_NET1" | "$LAB_UPNET") continue ;; esac
		LAB_R=$n
		return 0
	done
}

# Nothing in NS listens on TCP PORT (on any address but loopback).
not_listening() {
	local ns=$1 port=$2 l
	l=$(ip netns exec "$ns" ss -H -ltn "sport = :$port" 2>/dev/null |
		awk '{ print $4 }' | grep -v '^127\.\|^\[::1\]')
	[ -z "$l" ] || {
		LAB_ERR="something still listens on port $port in $ns: $l"
		return 1
	}
}

# An nftables table "lab_fault" in NS, from stdin; check that it took.
nft_in() {
	local ns=$1 rules
	rules=$(cat)
	lab_do ip netns exec "$ns" nft -f - <<<"$rules" || return 1
	ip netns exec "$ns" nft list table inet lab_fault >/dev/null 2>&1 || {
		LAB_ERR="no table inet lab_fault in $ns"
		return 1
	}
}

# --- the host's own firewall (nft in the host namespace) ---

# The host's output to vm1's port 80 meets VERDICT (an nft statement).
host_output_to_vm1() { # VERDICT
	CHECK_TARGET="$LAB_VM1_IP:80"
	nft_in "$LAB_HOST" <<EOF
table inet lab_fault {
	chain output {
		type filter hook output priority filter; policy accept;
		ip daddr $LAB_VM1_IP tcp dport 80 $1
	}
}
EOF
}

fault_fw_output_drop() {
	lab_note "the host drops its output to $LAB_VM1_IP port 80 (nft)"
	host_output_to_vm1 "counter drop"
}

fault_fw_input_drop() {
	CHECK_TARGET="$LAB_VM1_IP:80"
	lab_note "the host drops input from $LAB_SUBNET8 on vmnet8 (the replies)"
	nft_in "$LAB_HOST" <<EOF
table inet lab_fault {
	chain input {
		type filter hook input priority filter; policy accept;
		iif "lo" accept
		iifname "vmnet8" ip saddr $LAB_SUBNET8 drop
	}
}
EOF
}

fault_fw_reject() {
	lab_note "the host rejects its output to $LAB_VM1_IP port 80 with a TCP reset"
	host_output_to_vm1 "reject with tcp reset"
}

fault_fw_accept_all() {
	CHECK_TARGET="$LAB_VM1_IP:80"
	lab_note "an accept-all ruleset on the host (every hook, policy accept)"
	nft_in "$LAB_HOST" <<'EOF'
table inet lab_fault {
	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept
		accept
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		accept
	}
	chain output {
		type filter hook output priority filter; policy accept;
		accept
	}
}
EOF
}

# The host routes for vmnet8: it masquerades the subnet out of its uplink
# with ip_forward FWD (live and in the sysroot's sysctl.d), and vm2 takes
# the host as its gateway.
host_routes_vmnet8() { # 0|1
	local fwd=$1
	echo "net.ipv4.ip_forward = $fwd" \
		>"$LAB_SYSROOT/etc/sysctl.d/60-lab-forward.conf" || return 1
	lab_do ip netns exec "$LAB_HOST" sysctl -qw "net.ipv4.ip_forward=$fwd" ||
		return 1
	lab_do ip netns exec "$LAB_HOST" nft -f - <<EOF || return 1
table ip lab_nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr $LAB_SUBNET8 oifname "$LAB_UPLINK" masquerade
	}
}
EOF
	lab_do ip -n "$LAB_VM2" route replace default via "$LAB_HOST_IP" \
		dev eth0
}

# Does vm2 reach the LAN's gateway (through the host)?  Two tries.
vm2_reaches_lan() {
	local i
	for i in 1 2; do
		ip netns exec "$LAB_VM2" "${LAB_PING[@]}" -q -c1 -W1 "$LAB_GW" \
			>/dev/null 2>&1 && return 0
	done
	return 1
}

fault_fw_forward_drop() {
	lab_note "the host NATs vmnet8 for vm2 (its gateway); forward policy drop"
	host_routes_vmnet8 1 || return 1
	vm2_reaches_lan || {
		LAB_ERR="vm2 cannot ping $LAB_GW through the host"
		return 1
	}
	nft_in "$LAB_HOST" <<'EOF' || return 1
table inet lab_fault {
	chain forward {
		type filter hook forward priority filter; policy drop;
	}
}
EOF
	! vm2_reaches_lan || {
		LAB_ERR="vm2 still pings $LAB_GW through the host"
		return 1
	}
}

fault_ip_forward_off() {
	lab_note "the host NATs vmnet8 for vm2 (its gateway); ip_forward 0"
	host_routes_vmnet8 1 || return 1
	vm2_reaches_lan || {
		LAB_ERR="vm2 cannot ping $LAB_GW through the host"
		return 1
	}
	echo "net.ipv4.ip_forward = 0" \
		>"$LAB_SYSROOT/etc/sysctl.d/60-lab-forward.conf" || return 1
	lab_do ip netns exec "$LAB_HOST" sysctl -qw net.ipv4.ip_forward=0 ||
		return 1
	! vm2_reaches_lan || {
		LAB_ERR="vm2 pings $LAB_GW through the host with ip_forward 0"
		return 1
	}
}

# Does the root cause's evidence have a line matching the regex RE?
root_evidence() { # JSON RE
	jq -e --arg re "$2" '.root_cause.evidence | any(test($re))' "$1" \
		>/dev/null && return 0
	WHY="no evidence of the root cause matches /$2/:"
	WHY="$WHY $(jq -c '.root_cause | {code, subject, evidence}' "$1")"
	return 1
}

# The root cause names the rule: table, chain and handle; the probe's
# finding is its consequence.
assert_fw_output_drop() {
	root_evidence "$1" 'output hook tcp .*: drop [(]table inet lab_fault chain output handle [0-9]+: .*drop[)]' ||
		return 1
	jq -e '[.findings[] | select(.code == "L4.port-filtered")] |
		length == 1 and all(.caused_by == "L4.firewall-blocks")' \
		"$1" >/dev/null || {
		WHY="want L4.port-filtered caused by L4.firewall-blocks"
		return 1
	}
}

assert_fw_input_drop() {
	root_evidence "$1" 'input hook .*iif vmnet8.*table inet lab_fault chain input handle [0-9]+'
}

assert_fw_forward_drop() {
	jq -e '.root_cause.subject == "vmnet8"' "$1" >/dev/null || {
		WHY="root cause about $(jq -c .root_cause.subject "$1"), want vmnet8"
		return 1
	}
	root_evidence "$1" 'forward hook .*iif vmnet8 oif eth0.*table inet lab_fault chain forward policy drop'
}

fault_healthy_target() {
	CHECK_TARGET="$LAB_VM1_IP:80"
}

fault_port_closed() {
	local how
	lab_pick stopped loopback-only
	how=$LAB_R
	CHECK_TARGET="$LAB_VM1_IP:80"
	lab_note "vm1's web server $how"
	lab_kill_ns_pids "$LAB_VM1"
	if [ "$how" = loopback-only ]; then
		# The classic: the service listens, but on 127.0.0.1 only.
		lab_spawn "$LAB_VM1" "$LAB_DIR/httpd-vm1.log" busybox httpd \
			-f -p 127.0.0.1:80 -h "$LAB_DIR/www"
		lab_wait_listen "$LAB_VM1" tcp 80 "vm1's web server" || return 1
	fi
	not_listening "$LAB_VM1" 80
}

fault_wrong_mask() {
	# The seed's S8: the /24 of the configuration given to the adapter as
	# a /16 (or a /25: too narrow is as wrong).
	local len
	lab_pick 16 25
	len=$LAB_R
	lab_note "host address re-added as $LAB_HOST_IP/$len"
	lab_do ip -n "$LAB_HOST" addr del "$LAB_HOST_IP/24" dev vmnet8 || return 1
	lab_do ip -n "$LAB_HOST" addr add "$LAB_HOST_IP/$len" dev vmnet8 || return 1
}

fault_mtu_black_hole() {
	# The VM's side of its link takes smaller frames than the switch sends:
	# a veth drops what exceeds its MTU, silently (no frag-needed).  The
	# switch side keeps 1500, so no bridge port looks different.
	CHECK_TARGET="$LAB_VM1_IP:80"
	lab_note "vm1's eth0 MTU lowered to 1400"
	lab_do ip -n "$LAB_VM1" link set dev eth0 mtu 1400 || return 1
}

fault_port_filtered() {
	CHECK_TARGET="$LAB_VM1_IP:80"
	lab_note "vm1 drops TCP to port 80 (nft)"
	nft_in "$LAB_VM1" <<'EOF'
table inet lab_fault {
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 80 drop
	}
}
EOF
}

fault_unanswered_arp() {
	local how port="" n
	lab_pick unused-address vm2-powered-off
	how=$LAB_R
	lab_pick "" :80
	port=$LAB_R
	if [ "$how" = unused-address ]; then
		# Not the host, the NAT device, the DHCP server or a VM.
		lab_pick $(seq 3 127) $(seq 130 253)
		n=$LAB_R
		CHECK_TARGET="$LAB_NET8.$n$port"
	else
		# Its NIC gone, as when the VM is off or disconnected.
		lab_do ip -n "$LAB_VM2" link del eth0 || return 1
		CHECK_TARGET="$LAB_VM2_IP$port"
	fi
	lab_note "target $CHECK_TARGET ($how)"
}

fault_duplicate_ip() {
	CHECK_TARGET="$LAB_VM1_IP:80"
	lab_note "vm2 configured with vm1's address $LAB_VM1_IP"
	lab_do ip -n "$LAB_VM2" addr flush dev eth0 || return 1
	lab_do ip -n "$LAB_VM2" addr add "$LAB_VM1_IP/24" dev eth0 || return 1
	lab_do ip -n "$LAB_VM2" route replace default via "$LAB_NAT_IP" \
		dev eth0 || return 1
	ip -n "$LAB_VM2" -4 -br addr show dev eth0 | grep -q " $LAB_VM1_IP/24" ||
		{
			LAB_ERR="vm2 does not have $LAB_VM1_IP"
			return 1
		}
}

fault_icmp_unreachable() {
	local net how port
	fresh_net24
	net=$LAB_R
	lab_pick unreachable-route nft-reject
	how=$LAB_R
	lab_pick "" :80
	port=$LAB_R
	CHECK_TARGET="$net.$((1 + RANDOM % 254))$port"
	lab_note "$net.0/24 routed via the NAT device, which answers" \
		"ICMP unreachable ($how); target $CHECK_TARGET"
	lab_do hostip route add "$net.0/24" via "$LAB_NAT_IP" dev vmnet8 ||
		return 1
	if [ "$how" = unreachable-route ]; then
		lab_do ip -n "$LAB_NAT" route add unreachable "$net.0/24" ||
			return 1
	else
		nft_in "$LAB_NAT" <<EOF || return 1
table inet lab_fault {
	chain forward {
		type filter hook forward priority filter; policy accept;
		ip daddr $net.0/24 reject with icmp type admin-prohibited
	}
}
EOF
	fi
	[ "$(route_dev "${CHECK_TARGET%:*}")" = vmnet8 ] || {
		LAB_ERR="route get ${CHECK_TARGET%:*}: not via vmnet8"
		return 1
	}
}

fault_target_unreachable() {
	# No port: with one, a host that answers ARP but drops the SYN is
	# L4.port-filtered.
	CHECK_TARGET="$LAB_VM1_IP"
	lab_note "vm1 drops all IP input (nft), answers ARP"
	nft_in "$LAB_VM1" <<'EOF'
table inet lab_fault {
	chain input {
		type filter hook input priority filter; policy drop;
	}
}
EOF
}

fault_service_not_listening() {
	local port
	port=$((1024 + RANDOM % 30000))
	CHECK_TARGET="$LAB_HOST_IP:$port"
	lab_note "target this host's vmnet8 address, port $port"
	not_listening "$LAB_HOST" "$port"
}

fault_no_route() {
	local net
	fresh_net24
	net=$LAB_R
	CHECK_TARGET="$net.$((1 + RANDOM % 254))"
	lab_pick "" :80
	CHECK_TARGET="$CHECK_TARGET$LAB_R"
	lab_note "no default route; target $CHECK_TARGET"
	lab_do hostip -4 route del default || return 1
	if hostip route get "${CHECK_TARGET%:*}" >/dev/null 2>&1; then
		LAB_ERR="the host still has a route to ${CHECK_TARGET%:*}"
		return 1
	fi
}

fault_adapter_down_with_target() {
	fault_adapter_down || return 1
	CHECK_TARGET="$LAB_VM1_IP:80"
}

# --- faults for the services the VMs depend on (check without --passive
# and without a target: DHCP on vmnet8 and vmnet1, then DNS at .2) ---

is_services() { [[ $SERVICES_SCENARIOS == *" $1 "* ]]; }

# Nothing in NS listens on PROTO (tcp|udp) PORT, on any address.
nothing_listens() {
	local ns=$1 proto=$2 port=$3 flag=-ltn l
	[ "$proto" = udp ] && flag=-lun
	l=$(ip netns exec "$ns" ss -H "$flag" "sport = :$port" 2>/dev/null |
		awk '{ print $4 }')
	[ -z "$l" ] || {
		LAB_ERR="something still listens on $proto port $port in $ns: $l"
		return 1
	}
}

# Stop every process of NS (there, only the dnsmasq lib.sh started).
stop_ns_daemon() {
	lab_kill_ns_pids "$1"
	[ -z "$(ip netns pids "$1" 2>/dev/null)" ] || {
		LAB_ERR="processes left in $1: $(ip netns pids "$1" | tr '\n' ' ')"
		return 1
	}
}

# Wait (up to 2 s) until FILE has a line matching the extended regex RE
# (dnsmasq logs as it goes, but after it answered).
wait_log() {
	local file=$1 re=$2 i
	for ((i = 0; i < 40; i++)); do
		grep -Eiq -- "$re" "$file" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

fault_healthy_services() {
	# The leases as the VMs' own udhcpc left them (none with static
	# addresses): the probe never requests, so they must not change.
	cp "$LAB_DHCP_LEASES" "$LAB_DIR/leases8.before" || return 1
	cp "$LAB_DHCP1_LEASES" "$LAB_DIR/leases1.before" || return 1
}

fault_dhcp_stopped() {
	lab_note "vmnet8's DHCP server (dnsmasq in the dhcp namespace) stopped"
	stop_ns_daemon "$LAB_DHCP" || return 1
	nothing_listens "$LAB_DHCP" udp 67
}

# A DHCP client that is none of the lab's VMs (busybox udhcpc in a
# namespace of its own on the vmnet8 switch, its script doing nothing)
# asks once; both servers must log an offer to its MAC.
two_servers_offer() {
	local ns="${LAB_HOST%-host}-cli" mac log
	lab_new_ns "$ns" || return 1
	lab_plug "$ns" "$LAB_SWNS" clip "$LAB_SW8" || return 1
	mac=$(ip -n "$ns" -j link show dev eth0 | jq -r '.[0].address')
	ip netns exec "$ns" busybox udhcpc -i eth0 -f -q -n -t 3 -T 1 \
		-s /bin/true </dev/null >"$LAB_DIR/udhcpc-cli.log" 2>&1
	for log in "$LAB_DIR/dhcp/dnsmasq.log" "$ROGUE_DHCP_LOG"; do
		wait_log "$log" "DHCPOFFER\(eth0\) [0-9.]+ $mac" || {
			LAB_ERR="a test client ($mac) got no offer from the"
			LAB_ERR="$LAB_ERR server logging to ${log#"$LAB_DIR"/}"
			lab_del_ns "$ns"
			return 1
		}
	done
	# Gone before check runs: only the servers stay on the switch.
	lab_del_ns "$ns"
}

fault_dhcp_second_server() {
	local where ns ip
	lab_pick vm2 rogue-box
	where=$LAB_R
	if [ "$where" = vm2 ]; then
		# A VM serving DHCP to its own network (ICS, a router image).
		ns=$LAB_VM2
		ip=$LAB_VM2_IP
	else
		# Another box on the switch, outside both servers' ranges.
		ns="${LAB_HOST%-host}-dhcp2"
		lab_pick $(seq 3 31) $(seq 64 127)
		ip="$LAB_NET8.$LAB_R"
		lab_new_ns "$ns" || return 1
		lab_plug "$ns" "$LAB_SWNS" dhcp2p "$LAB_SW8" || return 1
		lab_do ip -n "$ns" addr add "$ip/24" dev eth0 || return 1
	fi
	ROGUE_DHCP_IP=$ip
	ROGUE_DHCP_LOG="$LAB_DIR/dhcp2/dnsmasq.log"
	lab_note "a second DHCP server at $ip ($where), range .32-.63," \
		"router $ip, no DNS"
	lab_spawn_dhcpd "$ns" "$LAB_DIR/dhcp2" \
		--dhcp-range="$LAB_NET8.32,$LAB_NET8.63,255.255.255.0,12h" \
		--dhcp-option=3,"$ip" || return 1
	lab_wait_listen "$ns" udp 67 "the second DHCP server" || return 1
	two_servers_offer
}

fault_dns_blocked() {
	lab_pick dropped stopped
	DNS_HOW=$LAB_R
	lab_note "the NAT device's DNS proxy $LAB_NAT_IP: port 53 $DNS_HOW"
	if [ "$DNS_HOW" = dropped ]; then
		nft_in "$LAB_NAT" <<'EOF'
table inet lab_fault {
	chain input {
		type filter hook input priority filter; policy accept;
		udp dport 53 counter drop
		tcp dport 53 counter drop
	}
}
EOF
	else
		# Nothing on port 53: the kernel answers port unreachable.
		stop_ns_daemon "$LAB_NAT" || return 1
		nothing_listens "$LAB_NAT" udp 53 || return 1
		nothing_listens "$LAB_NAT" tcp 53
	fi
}

# --- assertions beyond root cause, status and exit code ---

# The host part of CHECK_TARGET: the subject of its findings.
target_host() {
	local t=$CHECK_TARGET
	case $t in
	\[*) t=${t#\[} && t=${t%%\]*} ;;
	*:*:*) ;;
	*) t=${t%:*} ;;
	esac
	echo "$t"
}

# judge_target JSON: the probes ran, and the root cause of a target
# scenario is about the target (findings about a target have it, as
# given, as their subject).
judge_target() {
	local json=$1 t
	t=$(target_host)
	# An "ok" without probes proves nothing.
	if ! jq -e '.probes_run == true' "$json" >/dev/null; then
		WHY="the report says probes_run $(jq -c .probes_run "$json")"
		return 1
	fi
	# Only the findings of the path to the target (rules/target.c);
	# adapter-down-with-target's root cause is about the adapter.
	case $EXP_CODE in
	L2.arp-unanswered | L2.duplicate-ip | L3.icmp-unreachable | \
		L3.target-unreachable | L3.route-missing | L4.port-closed | \
		L4.port-filtered | L7.service-not-listening | L4.firewall-blocks) ;;
	*) return 0 ;;
	esac
	if ! jq -e --arg t "$t" '.root_cause.subject == $t' "$json" \
		>/dev/null; then
		WHY="root cause subject $(jq -c '.root_cause.subject' "$json"),"
		WHY="$WHY want the target \"$t\""
		return 1
	fi
}

# adapter-down-with-target: the adapter is the root cause, and what
# happens to the target is shown as its consequence (issue 3: "what it
# causes is shown as a consequence, not as another root cause"): every
# finding about the target has caused_by, and at least one of them points
# out of the target's own chain, to a finding about something else (the
# adapter, or the route the adapter took with it).
assert_adapter_down_with_target() {
	local json=$1 t
	t=$(target_host)
	if ! jq -e --arg t "$t" '
		[.findings[] | select(.subject != $t) | .code] as $other |
		[.findings[] | select(.subject == $t)] as $mine |
		($mine | length > 0) and all($mine[]; .caused_by != null) and
		any($mine[]; .caused_by as $c | $other | index($c) != null)' \
		"$json" >/dev/null; then
		WHY="the findings about $t are not all consequences of the"
		WHY="$WHY adapter: $(jq -c --arg t "$t" '[.findings[] |
			select(.subject == $t) | {code, caused_by}]' "$json")"
		return 1
	fi
}

# The healthy VMware host: ok, and every file of the sysroot was read into
# the model (collect's snapshot): both vnets, the NAT device and forward,
# both DHCP subnets, the VMs with their real MACs, the leases of vm1 and
# vm2, the daemons by name, the modules built for this kernel.
assert_vmw_healthy() {
	local snap=$LAB_DIR/snap.json m1 m2
	run_in_host "$snap" "$LAB_DIR/collect.err" collect -o - \
		--sysroot "$LAB_SYSROOT"
	m1=$(ip -n "$LAB_VM1" -j link show dev eth0 | jq -r '.[0].address')
	m2=$(ip -n "$LAB_VM2" -j link show dev eth0 | jq -r '.[0].address')
	if ! jq -e --arg nat "$LAB_NAT_IP" --arg vm1 "$LAB_VM1_IP" \
		--arg m1 "$m1" --arg m2 "$m2" --arg addr "$LAB_VM_ADDR" '.vmware |
		(.vnets | map(.num)) == [1, 8] and
		(.nats | length == 1 and .[0].ip == $nat and .[0].vnet == 8) and
		(.portfwds | length == 1 and .[0].guest == $vm1) and
		(.dhcp_subnets | map(.vnet) | sort) == [1, 8] and
		(.vms | length == 3) and
		([.vms[].nics[].mac] | index($m1) != null and index($m2) != null) and
		(if $addr == "dhcp" then (.leases | map(.mac) | sort) ==
			([$m1, $m2] | sort) else true end) and
		(.module_files | map(.name) | sort) == ["vmmon", "vmnet"] and
		.product_version == "17.6.1"' "$snap" >/dev/null; then
		WHY="the sysroot's VMware files are not all in the snapshot:"
		WHY="$WHY $(jq -c '.vmware | {vnets: [.vnets[].num], nats,
			portfwds, dhcp_subnets: [.dhcp_subnets[] | {vnet, router}],
			vms: [.vms[] | {name, nics: [.nics[].mac]}], leases:
			[.leases[] | {ip, mac}], module_files, product_version}' \
			"$snap" 2>&1 | head -c 1500)"
		return 1
	fi
	if ! jq -e '[.processes[] | select(.comm | startswith("vmnet-")) |
		.comm] | sort == ["vmnet-dhcpd", "vmnet-dhcpd", "vmnet-natd"]' \
		"$snap" >/dev/null; then
		WHY="the daemons are not seen: $(jq -c '[.processes[] |
			{comm, cmdline}]' "$snap")"
		return 1
	fi
}

# An e1000 NIC is worth an info finding, not a warning.
assert_vmw_nic_e1000() {
	if ! jq -e '[.findings[] | select(.code == "HOST.nic-model-legacy")] |
		length == 1 and .[0].subject == "vm1 ethernet0" and
		.[0].severity == "info"' "$1" >/dev/null; then
		WHY="want one info HOST.nic-model-legacy about vm1 ethernet0;"
		WHY="$WHY got $(jq -c '[.findings[] | {code, subject, severity}]' "$1")"
		return 1
	fi
}

# The DHCP probe's result for adapter DEV in JSON (null: none).
dhcp_of() { jq -c --arg d "$2" '[.probes.dhcp[]? | select(.dev == $d)]
	| if length == 1 then .[0] else null end' "$1"; }

# judge_services JSON: the DHCP probe ran on vmnet8 (an "ok" without it
# proves nothing), and the root cause is about what the fault broke:
# vmnet8 for DHCP, the NAT device's address for DNS.
judge_services() {
	local json=$1 want=""
	if ! jq -e '.probes_run == true' "$json" >/dev/null; then
		WHY="the report says probes_run $(jq -c .probes_run "$json")"
		return 1
	fi
	if [ "$(dhcp_of "$json" vmnet8)" = null ]; then
		WHY="no DHCP probe result for vmnet8 (etc/vmware/networking:"
		WHY="$WHY VNET_8_DHCP yes); probes.dhcp:"
		WHY="$WHY $(jq -c '.probes.dhcp' "$json")"
		return 1
	fi
	case $EXP_CODE in
	L3.dhcp-no-offer | L3.dhcp-multiple-servers) want=vmnet8 ;;
	L3.dns-failure) want=$LAB_NAT_IP ;;
	esac
	if [ -n "$want" ] && ! jq -e --arg s "$want" \
		'.root_cause.subject == $s' "$json" >/dev/null; then
		WHY="root cause subject $(jq -c '.root_cause.subject' "$json"),"
		WHY="$WHY want \"$want\""
		return 1
	fi
}

# healthy-services: what each server offered, the DNS answer, and the
# probe left no trace in the servers: no lease, no request.
assert_healthy_services() {
	local json=$1 d8 d1 dev mac lease log f
	d8=$(dhcp_of "$json" vmnet8)
	d1=$(dhcp_of "$json" vmnet1)
	if ! jq -e --arg srv "$LAB_DHCP_IP" --arg nat "$LAB_NAT_IP" \
		--arg net "$LAB_NET8." '.offers | length == 1 and (.[0] |
		.server == $srv and .router == $nat and .dns == $nat and
		(.address | startswith($net)))' <<<"$d8" >/dev/null; then
		WHY="vmnet8: want one offer, from $LAB_DHCP_IP, router and DNS"
		WHY="$WHY $LAB_NAT_IP; got $d8"
		return 1
	fi
	if ! jq -e --arg srv "$LAB_DHCP1_IP" --arg net "$LAB_NET1." \
		'.offers | length == 1 and (.[0] | .server == $srv and
		.router == null and .dns == null and
		(.address | startswith($net)))' <<<"$d1" >/dev/null; then
		WHY="vmnet1 (etc/vmware/networking: VNET_1_DHCP yes): want one"
		WHY="$WHY offer, from $LAB_DHCP1_IP, no router, no DNS; got $d1"
		return 1
	fi
	if ! jq -e --arg nat "$LAB_NAT_IP" --arg n "$DNS_NAME" '.probes.dns |
		length == 1 and (.[0] | .server == $nat and .name == $n and
		.status == "answered" and .answers >= 1)' "$json" >/dev/null; then
		WHY="DNS: want $DNS_NAME answered by $LAB_NAT_IP (the server"
		WHY="$WHY offered), asked once; got $(jq -c .probes.dns "$json")"
		return 1
	fi
	for dev in vmnet8 vmnet1; do
		if [ "$dev" = vmnet8 ]; then
			mac=$(jq -r .client_mac <<<"$d8")
			lease=$LAB_DHCP_LEASES
			f=$LAB_DIR/leases8.before
			log=$LAB_DIR/dhcp/dnsmasq.log
		else
			mac=$(jq -r .client_mac <<<"$d1")
			lease=$LAB_DHCP1_LEASES
			f=$LAB_DIR/leases1.before
			log=$LAB_DIR/dhcp1/dnsmasq.log
		fi
		# A client MAC of its own: locally administered, unicast.
		if ! [[ $mac =~ ^[0-9a-f]{2}(:[0-9a-f]{2}){5}$ ]] ||
			[ $((16#${mac%%:*} & 3)) -ne 2 ]; then
			WHY="$dev: the probe's client_mac $mac is not a locally"
			WHY="$WHY administered unicast MAC"
			return 1
		fi
		if ! cmp -s "$f" "$lease" || grep -qi -- "$mac" "$lease"; then
			WHY="$dev: the DHCP server's leases changed during check"
			WHY="$WHY (probe client $mac): before: $(tr '\n' '|' <"$f")"
			WHY="$WHY after: $(tr '\n' '|' <"$lease")"
			return 1
		fi
		if grep -Eiq -- "DHCPREQUEST\(eth0\).* $mac" "$log"; then
			WHY="$dev: the DHCP server logged a DHCPREQUEST from the"
			WHY="$WHY probe's client $mac: $(grep -Ei -- "$mac" "$log" |
				tr '\n' '|')"
			return 1
		fi
	done
}

# dhcp-second-server: the offers of both servers are in the report.
assert_dhcp_second_server() {
	local json=$1 d8
	d8=$(dhcp_of "$json" vmnet8)
	if ! jq -e --arg a "$LAB_DHCP_IP" --arg b "$ROGUE_DHCP_IP" \
		'[.offers[].server] | unique == ([$a, $b] | unique)' \
		<<<"$d8" >/dev/null; then
		WHY="vmnet8: want offers from $LAB_DHCP_IP and $ROGUE_DHCP_IP,"
		WHY="$WHY got $d8; the second server logged:"
		WHY="$WHY $(grep -Ei 'DHCP(DISCOVER|OFFER)' "$ROGUE_DHCP_LOG" |
			tr '\n' '|')"
		return 1
	fi
}

# dns-blocked: the query went to the NAT device and failed the way the
# fault makes it fail: silence when dropped, port unreachable (an
# error) when nothing listens.
assert_dns_blocked() {
	local json=$1 want=timeout n
	[ "$DNS_HOW" = stopped ] && want=error
	if ! jq -e --arg nat "$LAB_NAT_IP" --arg st "$want" \
		'[.probes.dns[] | select(.server == $nat)] |
		length == 1 and .[0].status == $st' "$json" >/dev/null; then
		WHY="DNS at $LAB_NAT_IP ($DNS_HOW): want status $want, got"
		WHY="$WHY $(jq -c .probes.dns "$json")"
		return 1
	fi
	if [ "$DNS_HOW" = dropped ]; then
		n=$(ip netns exec "$LAB_NAT" nft -j list table inet lab_fault |
			jq '[.nftables[].rule.expr[]?.counter.packets // 0] | add')
		if [ "${n:-0}" -lt 1 ]; then
			WHY="the drop rule in the NAT device counted no packet"
			return 1
		fi
	fi
}

# --- running and judging vnetdiag ---

# run_in_host OUT ERR [ARGS...]: vnetdiag in the lab's host namespace;
# sets RC and MS (how long it took, in milliseconds).
run_in_host() {
	local out=$1 err=$2 t0 limit=$TIMEOUT
	shift 2
	case " $* " in
	*" --target "*) limit=$TARGET_TIMEOUT ;;
	*" --dns-name "*) limit=$SERVICES_TIMEOUT ;;
	esac
	t0=${EPOCHREALTIME/./}
	timeout "$limit" ip netns exec "$LAB_HOST" "$VNETDIAG" "$@" \
		>"$out" 2>"$err"
	RC=$?
	MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
}

# Print a file as diagnostics.
show() {
	local title=$1 file=$2
	[ -s "$file" ] || return 0
	echo "# $title:"
	if jq -e . "$file" >/dev/null 2>&1; then
		jq . "$file" | sed 's/^/#   /'
	else
		sed 's/^/#   /' "$file"
	fi
}

# One line per finding, for LAB_VERBOSE.
summary() {
	jq -r '.findings[] | "#   \(.severity) \(.code) [\(.subject)] \(.title)" +
		(if .caused_by then " (caused by \(.caused_by))" else "" end)' \
		"$1" 2>/dev/null
}

# judge JSON RC: compare a report with EXP_*; sets WHY on failure.
judge() {
	local json=$1 rc=$2 ndocs got
	WHY=""
	if [ "$rc" -eq 124 ]; then
		WHY="did not finish: killed by timeout (exit 124)"
		return 1
	fi
	ndocs=$(jq -s length "$json" 2>/dev/null) || {
		WHY="stdout is not JSON (exit $rc)"
		return 1
	}
	if [ "$ndocs" != 1 ]; then
		WHY="stdout holds $ndocs JSON documents, want 1 (exit $rc)"
		return 1
	fi
	got=$(jq -r '[.schema, .status, (.root_cause.code // "null")] | join(" ")' \
		"$json")
	if [ "$got" != "vnetdiag.report/1 $EXP_STATUS ${EXP_CODE:-null}" ] ||
		[ "$rc" != "$EXP_RC" ]; then
		WHY="want root_cause ${EXP_CODE:-null}, status $EXP_STATUS, exit $EXP_RC;"
		WHY="$WHY got root_cause $(jq -r '.root_cause.code // "null"' "$json"),"
		WHY="$WHY status $(jq -r '.status' "$json"), exit $rc"
		[ "$(jq -r .schema "$json")" = vnetdiag.report/1 ] ||
			WHY="$WHY, schema $(jq -c .schema "$json")"
		return 1
	fi
	# cli.md: root_cause is a copy of one of the findings...
	if ! jq -e '.root_cause == null or
		(.root_cause as $r | any(.findings[]; . == $r or
			(.code == $r.code and .subject == $r.subject)))' \
		"$json" >/dev/null; then
		WHY="root_cause is not one of the findings"
		return 1
	fi
	# ...and a healthy setup has no warning or critical finding.
	if [ "$EXP_STATUS" = ok ] && ! jq -e '[.findings[] |
		select(.severity == "warning" or .severity == "critical")] |
		length == 0' "$json" >/dev/null; then
		WHY="status ok but warning/critical findings are listed"
		return 1
	fi
	return 0
}

# The shape for a scenario with FAULT -> SHAPE.
shape_for() {
	local fault=$1
	case $LAB_SHAPE_WANT in
	alternate)
		shape_turn=$((shape_turn + 1))
		if [ $((shape_turn % 2)) -eq 1 ]; then
			SHAPE=host-bridge
		else
			SHAPE=switch-ns
		fi
		;;
	host-bridge | switch-ns) SHAPE=$LAB_SHAPE_WANT ;;
	*)
		lab_pick host-bridge switch-ns
		SHAPE=$LAB_R
		;;
	esac
	# A port's MTU is visible only when the bridge and its ports are in
	# the host namespace.
	if [ "$fault" = mtu-mismatch ] && [ "$SHAPE" != host-bridge ]; then
		lab_log "$fault: shape host-bridge (the ports are only visible" \
			"when the bridge is in the host namespace)"
		SHAPE=host-bridge
	fi
}

result() { # result OK|FAIL NAME [REASON]
	local label="$2 ($LAB_SHAPE, $LAB_SUBNET8)"
	if [ "$1" = OK ]; then
		echo "ok - lab: $label"
	else
		echo "not ok - lab: $label: $3"
		failed=$((failed + 1))
	fi
}

# Build the lab, inject FAULT; on failure report NAME as not ok.
setup() {
	local name=$1 fault=$2
	# check asks DHCP only where etc/vmware/networking says so (for
	# lab_up, which reads it; the random draw still happens).
	local LAB_VMWARE_CONF_WANT=${LAB_VMWARE_CONF_WANT:-}
	# wrong-mask compares the adapter with the configured mask.
	if is_services "$fault" || [ "$fault" = wrong-mask ] ||
		[[ $fault == vmw-* ]]; then
		[ "$LAB_VMWARE_CONF_WANT" = no ] &&
			lab_log "$name: etc/vmware/networking written all the" \
				"same (LAB_VMWARE_CONF_WANT=no)"
		LAB_VMWARE_CONF_WANT=yes
	fi
	LAB_SHAPE=""
	LAB_SUBNET8="-"
	shape_for "$fault"
	if ! lab_up "$SHAPE"; then
		result FAIL "$name" "lab setup: $LAB_ERR"
		lab_dump
		lab_down
		return 1
	fi
	if ! "fault_${fault//-/_}"; then
		result FAIL "$name" "fault injection: $LAB_ERR"
		lab_dump
		lab_down
		return 1
	fi
	lab_log "$name: $LAB_SHAPE; $LAB_NOTES"
	return 0
}

scenario() {
	local name=$1 out err how=(--passive) ok=1 check
	expect "$name" || return 1
	CHECK_TARGET=""
	CHECK_EXTRA=()
	setup "$name" "$name" || return 0
	out="$LAB_DIR/check.json"
	err="$LAB_DIR/check.err"
	if [ "$name" = healthy-target ]; then
		how=(--target "$CHECK_TARGET")
	elif [ -n "$CHECK_TARGET" ]; then
		how=(--target "$CHECK_TARGET" --timeout "$PROBE_TIMEOUT_MS")
	elif [ "$name" = healthy-services ]; then
		how=(--dns-name "$DNS_NAME")
	elif is_services "$name"; then
		how=(--dns-name "$DNS_NAME" --timeout "$PROBE_TIMEOUT_MS")
	fi
	how+=("${CHECK_EXTRA[@]}")
	run_in_host "$out" "$err" check "${how[@]}" --json \
		--sysroot "$LAB_SYSROOT"
	# LAB_SHOW=1: also print the report a person would read (to stderr).
	if [ -n "${LAB_SHOW:-}" ]; then
		echo "\$ vnetdiag check ${how[*]}" >&2
		ip netns exec "$LAB_HOST" "$VNETDIAG" check "${how[@]}" \
			--sysroot "$LAB_SYSROOT" >&2
	fi
	check="assert_${name//-/_}"
	if ! judge "$out" "$RC"; then
		ok=0
		# Say whether the probe ran at all (a build without it).
		is_services "$name" && [ "$RC" != 124 ] &&
			[ "$(dhcp_of "$out" vmnet8 2>/dev/null)" = null ] &&
			WHY="$WHY (and the report has no DHCP probe result for vmnet8)"
	elif [ -n "$CHECK_TARGET" ] && ! judge_target "$out"; then
		ok=0
	elif is_services "$name" && ! judge_services "$out"; then
		ok=0
	elif declare -F "$check" >/dev/null && ! "$check" "$out"; then
		ok=0
	fi
	if { [ -n "$CHECK_TARGET" ] && [ "$name" != healthy-target ]; } ||
		{ is_services "$name" && [ "$name" != healthy-services ]; }; then
		lab_log "$name: check ${how[*]}: exit $RC after $MS ms"
	fi
	if [ "$name" = healthy-services ]; then
		lab_log "healthy-services: check ${how[*]} took $MS ms" \
			"(the DHCP listen window is 3000 ms)"
	fi
	if [ "$name" = healthy-target ]; then
		lab_log "healthy-target: check --target $CHECK_TARGET took $MS ms" \
			"(acceptance: under 1000 ms)"
		if [ "$ok" = 1 ] && [ -n "${LAB_TARGET_MAX_MS:-}" ] &&
			[ "$MS" -ge "$LAB_TARGET_MAX_MS" ]; then
			WHY="check --target took $MS ms, limit $LAB_TARGET_MAX_MS ms"
			ok=0
		fi
	fi
	if [ "$ok" = 1 ]; then
		result OK "$name"
		[ "${LAB_VERBOSE:-0}" = 1 ] && summary "$out"
	else
		result FAIL "$name" "$WHY"
		show "vnetdiag check ${how[*]} --json (exit $RC, $MS ms)" "$out"
		show "stderr" "$err"
		lab_dump
	fi
	lab_down
}

# The findings as compared between check and analyze.
findings_key() {
	jq -S '{status, root_cause: (.root_cause.code // null),
		findings: ([.findings[] | {code, subject, severity}] |
			sort_by(.code, .subject, .severity))}' "$1"
}

roundtrip() {
	local name=$1 fault=$2 d c a
	expect "$fault" || return 1
	setup "$name" "$fault" || return 0
	d=$LAB_DIR
	run_in_host "$d/check.json" "$d/check.err" check --passive --json \
		--sysroot "$LAB_SYSROOT"
	local rc_check=$RC
	run_in_host "$d/collect.out" "$d/collect.err" collect \
		-o "$d/snap.json" --sysroot "$LAB_SYSROOT"
	local rc_collect=$RC
	# Outside the lab, in the namespace the script started in: only the
	# file is read, as on another machine.
	timeout "$TIMEOUT" "$VNETDIAG" analyze "$d/snap.json" --json \
		>"$d/analyze.json" 2>"$d/analyze.err"
	local rc_analyze=$?
	WHY=""
	DIFF=""
	if [ "$rc_collect" -ne 0 ]; then
		WHY="collect -o exited $rc_collect"
	elif ! jq -e '.schema == "vnetdiag.snapshot/1"' "$d/snap.json" \
		>/dev/null 2>&1; then
		WHY="the snapshot's schema is not vnetdiag.snapshot/1"
	elif ! judge "$d/check.json" "$rc_check"; then
		WHY="check: $WHY"
	elif ! judge "$d/analyze.json" "$rc_analyze"; then
		WHY="analyze: $WHY"
	else
		c=$(findings_key "$d/check.json")
		a=$(findings_key "$d/analyze.json")
		if [ "$c" != "$a" ]; then
			WHY="analyze of the snapshot differs from check"
			DIFF=$(diff <(echo "$c") <(echo "$a"))
		elif [ "$(jq -c '[.findings[] | [.code, .subject]]' \
			"$d/check.json")" != "$(jq -c \
				'[.findings[] | [.code, .subject]]' \
				"$d/analyze.json")" ]; then
			lab_log "$name: same findings, but in another order"
		fi
	fi
	if [ -z "$WHY" ]; then
		result OK "$name"
	else
		result FAIL "$name" "$WHY"
		[ -n "$DIFF" ] && printf '# check (<) vs analyze (>):\n%s\n' \
			"$DIFF" | sed '2,$s/^/#   /'
		show "check --json (exit $rc_check)" "$d/check.json"
		show "check stderr" "$d/check.err"
		show "collect stderr (exit $rc_collect)" "$d/collect.err"
		show "analyze --json (exit $rc_analyze)" "$d/analyze.json"
		show "analyze stderr" "$d/analyze.err"
		lab_dump
	fi
	lab_down
}

run_one() {
	case $1 in
	roundtrip-healthy) roundtrip roundtrip-healthy healthy ;;
	roundtrip-fault)
		local f
		lab_pick "${ROUNDTRIP_FAULTS[@]}"
		f=$LAB_R
		roundtrip "roundtrip-$f" "$f"
		;;
	*) scenario "$1" ;;
	esac
}

# Interface names the lab uses; none of them may appear in the namespace
# the script runs in.
OUR_NAMES="vmnet8 vmnet1 vm1p vm2p vm3p natp dhcpp dhcp1p dhcp2p clip eth0 eth1
host0 host1 host8 vswitch8 vswitch1 lan0 lan0p lan nat0"

root_links() { ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort; }

main() {
	local s why before after n
	if [ "${1:-}" = -l ]; then
		printf '%s\n' "${ALL_SCENARIOS[@]}"
		return 0
	fi
	local want=("$@")
	if [ $# -eq 0 ] && [ -n "${LAB_ONLY:-}" ]; then
		IFS=', ' read -r -a want <<<"$LAB_ONLY"
	elif [ $# -eq 0 ] && [ -n "${LAB_ROOT:-}" ]; then
		# The scenarios whose expected root cause is LAB_ROOT.
		want=()
		for s in "${ALL_SCENARIOS[@]}"; do
			expect "$s" && [ "$EXP_CODE" = "$LAB_ROOT" ] && want+=("$s")
		done
		[ ${#want[@]} -gt 0 ] || {
			echo "not ok - lab: no scenario has root cause $LAB_ROOT"
			return 1
		}
	elif [ $# -eq 0 ]; then
		want=("${ALL_SCENARIOS[@]}")
	fi
	for s in "${want[@]}"; do
		case " ${ALL_SCENARIOS[*]} " in
		*" $s "*) ;;
		*)
			echo "lab: unknown scenario '$s' (tests/lab/run.sh -l lists them)" >&2
			return 3
			;;
		esac
	done

	if ! why=$(lab_usable); then
		for s in "${want[@]}"; do
			echo "ok - lab: $s # SKIP $why"
		done
		return 0
	fi
	if [ ! -x "$VNETDIAG" ]; then
		for s in "${want[@]}"; do
			echo "not ok - lab: $s: no vnetdiag binary at $VNETDIAG (build it, or set VNETDIAG)"
		done
		return 1
	fi
	lab_init || {
		echo "lab: cannot create a temporary directory" >&2
		return 3
	}
	lab_log "vnetdiag: $VNETDIAG; shape: $LAB_SHAPE_WANT"
	before=$(root_links)

	for s in "${want[@]}"; do
		run_one "$s"
	done

	# Teardown must leave nothing behind, and the root namespace must
	# not have gained any of our interfaces.
	lab_teardown_all
	after=$(root_links)
	n=$(lab_namespaces)
	local leaked=""
	for s in $OUR_NAMES; do
		if echo "$after" | grep -qx "$s" && ! echo "$before" | grep -qx "$s"; then
			leaked="$leaked $s"
		fi
	done
	if [ -n "$n" ] || [ -n "$leaked" ]; then
		echo "not ok - lab: teardown: namespaces left: ${n:-none};" \
			"new interfaces in the starting namespace:${leaked:- none}"
		failed=$((failed + 1))
	else
		echo "ok - lab: teardown (no namespace of $LAB_STEM left, starting namespace untouched)"
	fi
	[ "$failed" -eq 0 ]
}

main "$@"
