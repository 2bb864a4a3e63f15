#!/bin/bash
# vnetdiag probe arp against arp-scan, side by side in one run, with the
# answering addresses (and their MACs) of both compared for identity:
#   D  a dense /24: 250 of its 254 addresses answer
#        vnetdiag probe arp -I IF NET.0/24
#        arp-scan --interface=IF --retry=1 NET.0/24
#        arp-scan --interface=IF NET.0/24            (its default, 2 tries)
#   S  a sparse /24, like a host-only vmnet: 3 of 254 answer
#        the same three commands
# Everything happens on a bridge in namespaces this script creates, with
# addresses of the RFC 2544 benchmark range; nothing else is ever probed.
# Goal (issue 3): all hosts found, faster than arp-scan --retry=1.
#
# Usage: bench/arp.sh [--runs N] [--checks N] [--grid]   (root; needs
#        arp-scan, hyperfine, python3)
#   --runs N     timed runs per command (default 10)
#   --checks N   untimed runs of each tool afterwards, each compared with
#                the expected answers (default 5)
#   --grid       also time vnetdiag with --retries 0,1,2 x --timeout
#                100,200,300,500 on both /24s (how its defaults were chosen)
# Environment: VNETDIAG (default: build/vnetdiag of this checkout).
# Results: bench/out/arp-*.json (hyperfine), bench/out/arp.md (the block
# for docs/performance.md).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
VNETDIAG=${VNETDIAG:-$repo/build/vnetdiag}
case $VNETDIAG in
/*) ;;
*) VNETDIAG="$PWD/$VNETDIAG" ;;
esac
OUT="$here/out"
RUNS=10
CHECKS=5
GRID=0

TAG="vda$$"
NS_SW="${TAG}-sw"       # the switch: one bridge
NS_PROBE="${TAG}-probe" # where both scanners run
NS_HOSTS="${TAG}-hosts" # one interface answering for many addresses
NS_VMS=("${TAG}-vm1" "${TAG}-vm2" "${TAG}-vm3")
IF_PROBE="${TAG}p"
NET_D=198.18.159 # dense /24 (RFC 2544 range, only inside our namespaces)
NET_S=198.18.160 # sparse /24
HOSTS_FIRST=5    # the hosts namespace answers for .5 .. .251 of NET_D
HOSTS_LAST=251
WORK=""

die() {
	echo "bench: $*" >&2
	exit 1
}

ns_exists() {
	ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"
}

cleanup() {
	local ns pid
	for ns in "$NS_PROBE" "$NS_HOSTS" "${NS_VMS[@]}" "$NS_SW"; do
		if ns_exists "$ns"; then
			for pid in $(ip netns pids "$ns" 2>/dev/null); do
				kill "$pid" 2>/dev/null
			done
			ip netns del "$ns" 2>/dev/null
		fi
	done
	[ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--checks) CHECKS=$2; shift 2 ;;
	--grid) GRID=1; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d'; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done

[ "$(id -u)" -eq 0 ] || die "run as root (it creates network namespaces)"
for t in ip arp-scan hyperfine python3; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed (apt-get install $t)"
done
[ -x "$VNETDIAG" ] || die "no vnetdiag binary at $VNETDIAG (run make, or set VNETDIAG)"
mkdir -p "$OUT" || die "cannot create $OUT"
WORK=$(mktemp -d "/tmp/$TAG.XXXXXX") || die "mktemp failed"

# ---- the segment ---------------------------------------------------------
# A bridge in its own namespace; every other namespace has one veth port on
# it.  IPv6 is off everywhere so that nothing but the scans' ARP (and the
# kernels' replies) crosses the bridge.
quiet_ns() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null &&
		ip -n "$1" link set lo up
}

# plug NS IFNAME: a veth from namespace NS (end IFNAME) into the bridge.
n_ports=0
plug() {
	local port="${TAG}b$n_ports"
	n_ports=$((n_ports + 1))
	ip link add "$2" netns "$1" type veth peer name "$port" netns "$NS_SW" &&
		ip -n "$NS_SW" link set "$port" master br0 up &&
		ip -n "$1" link set "$2" up
}

echo "== building the segment"
for ns in "$NS_SW" "$NS_PROBE" "$NS_HOSTS" "${NS_VMS[@]}"; do
	ip netns add "$ns" || die "cannot create namespace $ns"
	quiet_ns "$ns" || die "cannot configure namespace $ns"
done
ip -n "$NS_SW" link add br0 type bridge stp_state 0 mcast_snooping 0 &&
	ip -n "$NS_SW" link set br0 up || die "cannot create the bridge"
plug "$NS_PROBE" "$IF_PROBE" &&
	ip -n "$NS_PROBE" addr add "$NET_D.1/24" dev "$IF_PROBE" &&
	ip -n "$NS_PROBE" addr add "$NET_S.1/24" dev "$IF_PROBE" ||
	die "cannot set up $NS_PROBE"
# Three separate machines, in both subnets: .2, .3, .4.
for i in 0 1 2; do
	plug "${NS_VMS[$i]}" "${TAG}v$i" &&
		ip -n "${NS_VMS[$i]}" addr add "$NET_D.$((i + 2))/24" dev "${TAG}v$i" &&
		ip -n "${NS_VMS[$i]}" addr add "$NET_S.$((i + 2))/24" dev "${TAG}v$i" ||
		die "cannot set up ${NS_VMS[$i]}"
done
# Many "hosts" behind one interface: the kernel answers ARP for each
# address it owns, from the interface's one MAC.
plug "$NS_HOSTS" "${TAG}h" || die "cannot set up $NS_HOSTS"
for i in $(seq "$HOSTS_FIRST" "$HOSTS_LAST"); do
	echo "addr add $NET_D.$i/24 dev ${TAG}h"
done >"$WORK/hosts.batch"
ip -n "$NS_HOSTS" -batch "$WORK/hosts.batch" || die "cannot add the hosts' addresses"

# What must be found: "IP MAC" lines, sorted.
mac_of() { ip -n "$1" -j link show dev "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])'; }
hmac=$(mac_of "$NS_HOSTS" "${TAG}h")
for i in 0 1 2; do
	vmac[$i]=$(mac_of "${NS_VMS[$i]}" "${TAG}v$i")
done
{
	for i in 0 1 2; do echo "$NET_D.$((i + 2)) ${vmac[$i]}"; done
	for i in $(seq "$HOSTS_FIRST" "$HOSTS_LAST"); do echo "$NET_D.$i $hmac"; done
} | sort -V >"$WORK/expect-D"
for i in 0 1 2; do echo "$NET_S.$((i + 2)) ${vmac[$i]}"; done | sort -V >"$WORK/expect-S"
N_D=$(wc -l <"$WORK/expect-D")
N_S=$(wc -l <"$WORK/expect-S")
echo "   bridge with $n_ports ports; $NET_D.0/24: $N_D answer; $NET_S.0/24: $N_S answer"

# ---- answers of one run, as "IP MAC" lines --------------------------------
cat >"$WORK/answers.py" <<'EOF'
import json, sys
kind, path = sys.argv[1], sys.argv[2]
pairs = set()
if kind == "vnetdiag":
    for r in json.load(open(path))["probes"]["arp"]:
        for mac in r["macs"]:
            pairs.add((r["target"], mac.lower()))
else:  # arp-scan --plain --format='${ip} ${mac}'
    for line in open(path):
        f = line.split()
        if len(f) >= 2:
            pairs.add((f[0], f[1].lower()))
key = lambda p: (tuple(int(x) for x in p[0].split(".")), p[1])
for ip, mac in sorted(pairs, key=key):
    print(ip, mac)
EOF

# scan KIND NET [ARGS...]: one run, machine-readable, to $WORK/last.
scan() {
	local kind=$1 net=$2
	shift 2
	if [ "$kind" = vnetdiag ]; then
		ip netns exec "$NS_PROBE" "$VNETDIAG" probe arp -I "$IF_PROBE" --json \
			"$@" "$net.0/24" >"$WORK/raw" || return 1
	else
		ip netns exec "$NS_PROBE" arp-scan --interface="$IF_PROBE" "$@" \
			--plain --format='${ip} ${mac}' "$net.0/24" >"$WORK/raw" 2>/dev/null ||
			return 1
	fi
	python3 "$WORK/answers.py" "$kind" "$WORK/raw" >"$WORK/last"
}

# check NAME KIND NET EXPECT [ARGS...]: one run compared with EXPECT;
# silent when equal, else prints what differs and fails.
check() {
	local name=$1 kind=$2 net=$3 expect=$4
	shift 4
	scan "$kind" "$net" "$@" || { echo "$name: run failed"; return 1; }
	cp "$WORK/last" "$WORK/$name"
	if cmp -s "$WORK/last" "$expect"; then
		return 0
	fi
	echo "$name: $(diff "$expect" "$WORK/last" | grep -c '^[<>]') lines differ from the expected answers:"
	diff "$expect" "$WORK/last" | grep '^[<>]' | head -n 5 | sed 's/^/    /'
	return 1
}

# hyperfine JSON -> "mean stddev min max" in seconds, one line per command.
cat >"$WORK/means.py" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%.4f %.4f %.4f %.4f" % (r["mean"], r["stddev"] or 0, r["min"], r["max"]))
EOF

status=0
declare -A SAME BAD

for sc in D S; do
	[ $sc = D ] && net=$NET_D || net=$NET_S
	expect="$WORK/expect-$sc"
	echo "== $sc: $net.0/24, $(wc -l <"$expect") of 254 answer"
	# Identity first: one run of each, compared with each other and with
	# what the segment holds.
	check "$sc-vd" vnetdiag "$net" "$expect" || status=1
	check "$sc-as1" arp-scan "$net" "$expect" --retry=1 || status=1
	check "$sc-as2" arp-scan "$net" "$expect" || status=1
	if cmp -s "$WORK/$sc-vd" "$WORK/$sc-as1" && cmp -s "$WORK/$sc-vd" "$WORK/$sc-as2"; then
		SAME[$sc]="identical ($(wc -l <"$WORK/$sc-vd") addresses with their MACs, all expected)"
	else
		SAME[$sc]="DIFFERENT (see above)"
		status=1
	fi
	echo "   before the timed runs: ${SAME[$sc]}"

	hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$OUT/arp-$sc.json" \
		--command-name "vnetdiag" \
		"ip netns exec $NS_PROBE $VNETDIAG probe arp -I $IF_PROBE $net.0/24" \
		--command-name "arp-scan --retry=1" \
		"ip netns exec $NS_PROBE arp-scan --interface=$IF_PROBE --retry=1 $net.0/24" \
		--command-name "arp-scan" \
		"ip netns exec $NS_PROBE arp-scan --interface=$IF_PROBE $net.0/24" \
		--command-name "ip netns exec true" \
		"ip netns exec $NS_PROBE true" || die "hyperfine failed"

	# More untimed runs, each compared: every host found every time?
	bad_vd=0 bad_as=0
	for _ in $(seq "$CHECKS"); do
		check "$sc-vd-n" vnetdiag "$net" "$expect" >&2 || bad_vd=$((bad_vd + 1))
		check "$sc-as-n" arp-scan "$net" "$expect" --retry=1 >&2 || bad_as=$((bad_as + 1))
	done
	BAD[$sc]="$CHECKS runs of each; runs with an answer missing or extra: vnetdiag $bad_vd, arp-scan --retry=1 $bad_as"
	[ "$bad_vd" -eq 0 ] || status=1
	echo "   after the timed runs: ${BAD[$sc]}"
done

# ---- grid: vnetdiag's settings ------------------------------------------
if [ "$GRID" -eq 1 ]; then
	for sc in D S; do
		[ $sc = D ] && net=$NET_D || net=$NET_S
		echo "== grid on $sc: --retries x --timeout"
		hyperfine -N -i --runs "$RUNS" --export-json "$OUT/arp-grid-$sc.json" \
			-L retries 0,1,2 -L timeout 100,200,300,500 \
			--command-name "{retries} {timeout}" \
			"ip netns exec $NS_PROBE $VNETDIAG probe arp -I $IF_PROBE --retries {retries} --timeout {timeout} $net.0/24" \
			>/dev/null || die "hyperfine failed"
		for r in 0 1 2; do
			for t in 100 200 300 500; do
				if check "$sc-grid" vnetdiag "$net" "$WORK/expect-$sc" \
					--retries "$r" --timeout "$t" >/dev/null; then
					echo "$sc $r $t all"
				else
					echo "$sc $r $t $(wc -l <"$WORK/$sc-grid")"
				fi
			done
		done >>"$WORK/grid-found"
	done
fi

# ---- report --------------------------------------------------------------
calc() { python3 -c "print($1)"; }
row() { python3 "$WORK/means.py" "$OUT/arp-$1.json" | sed -n "$2p"; }
{
	echo "### Results ($(date -u +%Y-%m-%d), $RUNS runs per command, hyperfine -N -i --warmup 1)"
	echo
	echo "| | command | mean s | ± | min s | max s |"
	echo "|---|---|---:|---:|---:|---:|"
	for sc in D S; do
		n=1
		for cmd in "vnetdiag probe arp -I IF NET.0/24" \
			"arp-scan --interface=IF --retry=1 NET.0/24" \
			"arp-scan --interface=IF NET.0/24" \
			"ip netns exec NS true"; do
			read -r m s mn mx < <(row "$sc" "$n")
			printf '| %s | `%s` | %.3f | %.3f | %.3f | %.3f |\n' "$sc" "$cmd" "$m" "$s" "$mn" "$mx"
			n=$((n + 1))
		done
	done
	echo
	echo "| arp-scan time / vnetdiag time | vs --retry=1, means | fastest runs | vs default (2 tries), means | goal |"
	echo "|---|---:|---:|---:|---|"
	for sc in D S; do
		read -r vm _ vmin _ < <(row "$sc" 1)
		read -r am _ amin _ < <(row "$sc" 2)
		read -r dm _ _ _ < <(row "$sc" 3)
		[ $sc = D ] && what="D: dense, $N_D of 254 answer" || what="S: sparse, $N_S of 254 answer"
		printf '| %s | %.2f | %.2f | %.2f | > 1 |\n' "$what" \
			"$(calc "$am/$vm")" "$(calc "$amin/$vmin")" "$(calc "$dm/$vm")"
	done
	echo
	echo "Identity of the answers (address and MAC), vnetdiag vs arp-scan vs what the segment holds:"
	echo
	for sc in D S; do
		echo "- $sc before the timed runs: ${SAME[$sc]}"
		echo "- $sc after the timed runs: ${BAD[$sc]}"
	done
	if [ "$GRID" -eq 1 ]; then
		echo
		echo "vnetdiag's settings (mean s over $RUNS runs; one more run each compared with the expected answers):"
		echo
		echo "| --retries | --timeout ms | D mean s | D found | S mean s | S found |"
		echo "|---:|---:|---:|---|---:|---|"
		python3 - "$OUT/arp-grid-D.json" "$OUT/arp-grid-S.json" "$WORK/grid-found" <<'EOF2'
import json, sys
mean = {}
for sc, path in (("D", sys.argv[1]), ("S", sys.argv[2])):
    for r in json.load(open(path))["results"]:
        mean[(sc, r["parameters"]["retries"], r["parameters"]["timeout"])] = r["mean"]
found = {}
for line in open(sys.argv[3]):
    sc, r, t, f = line.split()
    found[(sc, r, t)] = f
for r in ("0", "1", "2"):
    for t in ("100", "200", "300", "500"):
        print("| %s | %s | %.3f | %s | %.3f | %s |" % (r, t,
              mean[("D", r, t)], found[("D", r, t)],
              mean[("S", r, t)], found[("S", r, t)]))
EOF2
	fi
} >"$OUT/arp.md"
echo
cat "$OUT/arp.md"
exit $status
