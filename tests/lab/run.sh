#!/bin/bash
# The fault lab: each scenario builds a fresh healthy lab in network
# namespaces (tests/lab/lib.sh), injects exactly one fault, runs
#   vnetdiag check --passive --json --sysroot SYSROOT
# inside the lab's host namespace, and asserts root cause, status and exit
# code.  Two round-trip scenarios check that collect (in the namespace) then
# analyze (outside it, as another machine would) gives what check gives.
#
# Usage: tests/lab/run.sh [SCENARIO...]      (default: all; -l lists them)
# Environment:
#   VNETDIAG   the binary (default: build/vnetdiag of this checkout)
#   LAB_SHAPE  random (default), alternate, host-bridge or switch-ns
#   LAB_SEED   repeat a run's random choices (subnets, shapes, variants)
#   LAB_VMWARE_CONF_WANT, LAB_IPV6_WANT  yes|no instead of random
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

ALL_SCENARIOS=(healthy adapter-down no-carrier noprefixroute
	route-more-specific route-lower-metric subnet-overlap mtu-mismatch
	no-address mac-conflict dns-no-server sysctl-obsolete
	roundtrip-healthy roundtrip-fault)

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

fault_adapter_down() {
	lab_do hostip link set vmnet8 down || return 1
	link_json vmnet8 | jq -e '.[0].flags | index("UP") | not' >/dev/null ||
		{
			LAB_ERR="vmnet8 is still UP"
			return 1
		}
}

fault_no_carrier() {
	local how
	if [ "$LAB_SHAPE" = host-bridge ]; then
		# The bridge has carrier while one port has: take them all.
		lab_pick ports-down vms-powered-off
		how=$LAB_R
		lab_note "no carrier by $how"
		if [ "$how" = ports-down ]; then
			lab_do hostip link set vm1p down || return 1
			lab_do hostip link set vm2p down || return 1
		else
			# Deleting the VM's end of a veth removes the port too.
			lab_do ip -n "$LAB_VM1" link del eth0 || return 1
			lab_do ip -n "$LAB_VM2" link del eth0 || return 1
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

# --- running and judging vnetdiag ---

# run_vnetdiag OUT ERR [ARGS...] in the lab's host namespace; sets RC.
run_in_host() {
	local out=$1 err=$2
	shift 2
	timeout "$TIMEOUT" ip netns exec "$LAB_HOST" "$VNETDIAG" "$@" \
		>"$out" 2>"$err"
	RC=$?
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
		WHY="timed out after ${TIMEOUT}s"
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
	local name=$1 out err
	expect "$name" || return 1
	setup "$name" "$name" || return 0
	out="$LAB_DIR/check.json"
	err="$LAB_DIR/check.err"
	run_in_host "$out" "$err" check --passive --json --sysroot "$LAB_SYSROOT"
	if judge "$out" "$RC"; then
		result OK "$name"
		[ "${LAB_VERBOSE:-0}" = 1 ] && summary "$out"
	else
		result FAIL "$name" "$WHY"
		show "vnetdiag check --json" "$out"
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
OUR_NAMES="vmnet8 vmnet1 vm1p vm2p vm3p eth0 host0 host1 host8 vswitch8
vswitch1 lan0 lan0p"

root_links() { ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort; }

main() {
	local s why before after n
	if [ "${1:-}" = -l ]; then
		printf '%s\n' "${ALL_SCENARIOS[@]}"
		return 0
	fi
	local want=("$@")
	[ $# -eq 0 ] && want=("${ALL_SCENARIOS[@]}")
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
