#!/bin/bash
# How long does vnetdiag take to read a big network namespace, compared with
# the ip(8) commands a person would run to see the same things?
#
# Builds a throwaway namespace with 200 interfaces (dummies, veth pairs, a
# bridge with ports, VLANs) carrying IPv4 and IPv6 addresses, 10,000 routes
# over four tables and 500 neighbours, then times with hyperfine:
#   A  ip -j link; ip -j addr; ip -j route show table all; ip -j neigh
#   B  vnetdiag collect -o NULL
#   C  vnetdiag check --passive --json
#   Z  true                          (the cost of "ip netns exec" alone)
# all inside the namespace through "ip netns exec".  See bench/README.md.
#
# Usage: bench/collect.sh [--runs N] [--warmup N]     (root; needs hyperfine)
# Environment: VNETDIAG (default: build/vnetdiag of this checkout).
# Results: bench/out/ (hyperfine JSON + markdown, results.md to paste into
# docs/performance.md).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
VNETDIAG=${VNETDIAG:-$repo/build/vnetdiag}
case $VNETDIAG in
/*) ;;
*) VNETDIAG="$PWD/$VNETDIAG" ;;
esac
OUT="$here/out"
RUNS=30
WARMUP=3

N_DUMMY=145	 # + 25 veth pairs (50) + 1 bridge + 4 VLANs = 200
N_VETH=25	 # pairs, both ends inside the namespace
N_PORTS=10	 # veth ends enslaved to the bridge (no addresses)
N_VLAN=4
N_ROUTES4=8000	 # + N_ROUTES6 = 10,000
N_ROUTES6=2000
N_NEIGH=500
TABLES=(main 100 200 300)

NS="vdb$$-bench"
WORK=""

die() {
	echo "bench: $*" >&2
	exit 1
}

cleanup() {
	local pid
	if ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$NS"; then
		for pid in $(ip netns pids "$NS" 2>/dev/null); do
			kill "$pid" 2>/dev/null
		done
		ip netns del "$NS" 2>/dev/null
	fi
	[ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

while [ $# -gt 0 ]; do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--warmup) WARMUP=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d'; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done

[ "$(id -u)" -eq 0 ] || die "run as root (it creates a network namespace)"
for t in ip jq hyperfine; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed (apt-get install $t)"
done
[ -x "$VNETDIAG" ] || die "no vnetdiag binary at $VNETDIAG (run make, or set VNETDIAG)"

mkdir -p "$OUT" || die "cannot create $OUT"
WORK=$(mktemp -d "/tmp/vdb$$.XXXXXX") || die "mktemp failed"
ip netns add "$NS" || die "cannot create namespace $NS"

# Kinds the running kernel may lack (CONFIG_DUMMY, CONFIG_VLAN_8021Q are
# modules on Debian, absent on some minimal VM kernels): fall back to the
# nearest kind that is there, and say so in the results.
DUMMY_KIND=dummy
if ! ip -n "$NS" link add vdbprobe type dummy 2>/dev/null; then
	DUMMY_KIND=ifb # the other "does nothing" device, also always up
fi
ip -n "$NS" link del vdbprobe 2>/dev/null
VLAN_KIND=vlan
ip -n "$NS" link add vdbpa type veth peer name vdbpb || die "no veth support"
if ! ip -n "$NS" link add link vdbpa name vdbpa.7 type vlan id 7 2>/dev/null; then
	VLAN_KIND=macvlan # another stacked device with a parent
fi
ip -n "$NS" link del vdbpa 2>/dev/null

# --- the namespace, as ip -batch scripts (one fork for thousands) ---
links="$WORK/links.batch"
rest="$WORK/rest.batch"
addressed=() # interfaces that get addresses, routes and neighbours
{
	echo "link set lo up"
	for ((i = 0; i < N_DUMMY; i++)); do
		echo "link add d$i type $DUMMY_KIND"
		echo "link set d$i up"
		addressed+=("d$i")
	done
	echo "link add br0 type bridge stp_state 0 forward_delay 0"
	echo "link set br0 up"
	addressed+=(br0)
	for ((i = 0; i < N_VETH; i++)); do
		echo "link add va$i type veth peer name vb$i"
		echo "link set va$i up"
		echo "link set vb$i up"
		if [ "$i" -lt "$N_PORTS" ]; then
			echo "link set vb$i master br0"
		else
			addressed+=("vb$i")
		fi
		addressed+=("va$i")
	done
	for ((i = 0; i < N_VLAN; i++)); do
		id=$((100 + i))
		if [ "$VLAN_KIND" = vlan ]; then
			echo "link add link va$((N_VETH - 1)) name vl$id type vlan id $id"
		else
			echo "link add link va$((N_VETH - 1)) name vl$id type macvlan mode bridge"
		fi
		echo "link set vl$id up"
		addressed+=("vl$id")
	done
} >"$links"
# The array was filled in a brace group, not a subshell: still here.
n_addr=${#addressed[@]}
[ "$n_addr" -le 256 ] || die "too many addressed interfaces for the plan"

{
	for ((k = 0; k < n_addr; k++)); do
		dev=${addressed[k]}
		printf 'addr add 100.64.%d.1/24 dev %s\n' "$k" "$dev"
		printf 'addr add fd00:b:0:%x::1/64 dev %s nodad\n' "$k" "$dev"
	done
	# IPv4: every other route through a gateway, metrics and protocols
	# mixed, spread over the tables.
	for ((j = 0; j < N_ROUTES4; j++)); do
		k=$((j % n_addr))
		dev=${addressed[k]}
		t=${TABLES[j % ${#TABLES[@]}]}
		dst="10.$((j >> 8)).$((j & 255)).0/24"
		if ((j % 2)); then
			echo "route add $dst dev $dev table $t scope link proto static"
		else
			echo "route add $dst via 100.64.$k.254 dev $dev table $t metric $((j % 7 * 100)) proto boot"
		fi
	done
	for ((j = 0; j < N_ROUTES6; j++)); do
		k=$((j % n_addr))
		printf 'route add fd10:%x::/64 via fd00:b:0:%x::fe dev %s table %s\n' \
			"$j" "$k" "${addressed[k]}" "${TABLES[j % ${#TABLES[@]}]}"
	done
	for ((j = 0; j < N_NEIGH; j++)); do
		k=$((j % n_addr))
		if ((j % 5 == 4)); then
			printf 'neigh add fd00:b:0:%x::%x lladdr 02:00:00:00:%02x:%02x dev %s nud permanent\n' \
				"$k" $((j + 2)) $((j >> 8)) $((j & 255)) "${addressed[k]}"
		else
			nud=permanent
			((j % 3)) || nud=stale
			printf 'neigh add 100.64.%d.%d lladdr 02:00:00:00:%02x:%02x dev %s nud %s\n' \
				"$k" $((2 + j / n_addr)) $((j >> 8)) $((j & 255)) "${addressed[k]}" "$nud"
		fi
	done
} >"$rest"

echo "bench: building namespace $NS ($DUMMY_KIND x$N_DUMMY, veth x$((2 * N_VETH)), bridge, $VLAN_KIND x$N_VLAN; $((N_ROUTES4 + N_ROUTES6)) routes; $N_NEIGH neighbours)" >&2
t0=$(date +%s.%N)
ip netns exec "$NS" ip -batch "$links" || die "creating the interfaces failed"
ip netns exec "$NS" ip -batch "$rest" || die "adding addresses/routes/neighbours failed"
t1=$(date +%s.%N)

n_links=$(ip -n "$NS" -o link show | wc -l)
n_routes_all=$(ip -n "$NS" route show table all | wc -l)
n_routes_ours=$(
	{
		for t in "${TABLES[@]}"; do
			ip -n "$NS" -4 route show table "$t" proto static
			ip -n "$NS" -4 route show table "$t" proto boot
			ip -n "$NS" -6 route show table "$t" | grep '^fd10:'
		done
	} | wc -l
)
n_neigh=$(ip -n "$NS" neigh show | wc -l)
printf 'bench: built in %.1f s: %d links (lo included), %d routes added (%d in "table all" with the kernel'"'"'s own), %d neighbours\n' \
	"$(awk "BEGIN { print $t1 - $t0 }")" "$n_links" "$n_routes_ours" "$n_routes_all" "$n_neigh" >&2
[ "$n_routes_ours" -eq $((N_ROUTES4 + N_ROUTES6)) ] ||
	die "expected $((N_ROUTES4 + N_ROUTES6)) routes, found $n_routes_ours"

# A private null device for "collect -o": same as /dev/null, but if the
# program replaced its output file (write + rename), only this node would be
# lost, never the system's /dev/null.
NULLDEV="$WORK/null"
if ! mknod -m 666 "$NULLDEV" c 1 3 2>/dev/null; then
	NULLDEV="$WORK/snapshot.json" # nodev mount: a plain file then
fi

# Sanity: does vnetdiag see everything?  (A fast collector that misses
# routes would win the race for the wrong reason.)
snap="$OUT/snapshot.json"
if ! ip netns exec "$NS" "$VNETDIAG" collect -o "$snap" 2>"$WORK/collect.err"; then
	cat "$WORK/collect.err" >&2
	die "vnetdiag collect failed in $NS"
fi
echo "bench: the snapshot's arrays (vnetdiag's own count):" >&2
jq -r 'paths(type == "array") as $p | select($p | length <= 2) |
	"  \($p | map(tostring) | join(".")) \(getpath($p) | length)"' "$snap" >&2
ip netns exec "$NS" "$VNETDIAG" collect -o "$NULLDEV" ||
	die "vnetdiag collect -o $NULLDEV failed"
COLLECT_OUT=$NULLDEV
COLLECT_LABEL="collect -o /dev/null"
COLLECT_NOTE=""
if [ "$NULLDEV" = "$WORK/null" ] && [ ! -c "$NULLDEV" ]; then
	# It wrote a temp file and renamed it over the device: with the real
	# /dev/null, as root, that would have replaced the system's.  Measure
	# the same work with "-o -" (stdout, which hyperfine discards).
	echo "bench: WARNING: 'vnetdiag collect -o DEVICE' replaced the device node with a regular file; benchmarking 'collect -o -' instead" >&2
	COLLECT_OUT=-
	COLLECT_LABEL="collect -o - >/dev/null"
	COLLECT_NOTE="- B ran as \`collect -o -\` (stdout, discarded by hyperfine): \`collect -o DEVICE\` replaces a character device with a regular file (write + rename), so \`-o /dev/null\` must not be run as root"
fi

IPSEQ='ip -j link >/dev/null; ip -j addr >/dev/null; ip -j route show table all >/dev/null; ip -j neigh >/dev/null'
export_json="$OUT/collect.json"
export_md="$OUT/collect.md"
hyperfine -N -i --style basic --warmup "$WARMUP" --runs "$RUNS" \
	--export-json "$export_json" --export-markdown "$export_md" \
	-n "A: ip -j link; addr; route show table all; neigh" \
	"ip netns exec $NS sh -c '$IPSEQ'" \
	-n "B: vnetdiag $COLLECT_LABEL" \
	"ip netns exec $NS $VNETDIAG collect -o $COLLECT_OUT" \
	-n "C: vnetdiag check --passive --json" \
	"ip netns exec $NS $VNETDIAG check --passive --json" \
	-n "Z: ip netns exec true (overhead)" \
	"ip netns exec $NS true" ||
	die "hyperfine failed"

# --- the summary ---
ms() { jq -r --arg n "$1" --arg f "$2" \
	'.results[] | select(.command | startswith($n)) | .[$f] * 1000' \
	"$export_json"; }
a=$(ms A: mean)
b=$(ms B: mean)
c=$(ms C: mean)
z=$(ms Z: mean)
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
ratio_b=$(calc "$b / $a")
ratio_c=$(calc "$c / $a")
net_b=$(calc "($b - $z) / ($a - $z)")
net_c=$(calc "($c - $z) / ($a - $z)")
goal_ratio=$(awk "BEGIN { print ($c <= $a) ? \"met\" : \"NOT met\" }")
goal_abs=$(awk "BEGIN { print ($c < 100) ? \"met\" : \"NOT met\" }")

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
kernel=$(uname -r)
ver=$("$VNETDIAG" --version 2>/dev/null | head -n 1)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null)
dirty=$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | head -n 1)
[ -n "$dirty" ] && commit="$commit+changes"

row() { # row LETTER LABEL
	printf '| %s | %s | %.2f ± %.2f | %.2f | %.2f | %.2f |\n' "$1" "$2" \
		"$(ms "$1:" mean)" "$(ms "$1:" stddev)" "$(ms "$1:" median)" \
		"$(ms "$1:" min)" "$(ms "$1:" max)"
}

{
	echo "### collect: $(date -u +%Y-%m-%d)"
	echo
	echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}, Linux $kernel"
	echo "- vnetdiag: ${ver:-?} (commit ${commit:-?}), ip: $(ip -V 2>&1 | head -n 1), hyperfine $(hyperfine --version | awk '{print $2}')"
	echo "- namespace: $((n_links - 1)) interfaces + lo ($DUMMY_KIND x$N_DUMMY, veth x$((2 * N_VETH)) with $N_PORTS as ports of a bridge, bridge x1, $VLAN_KIND x$N_VLAN), IPv4+IPv6 addresses on $n_addr of them, $n_routes_ours routes ($N_ROUTES4 IPv4 + $N_ROUTES6 IPv6 over tables ${TABLES[*]}; $n_routes_all lines in \`ip route show table all\`), $n_neigh neighbours"
	[ "$DUMMY_KIND" = dummy ] || echo "- this kernel has no dummy driver: ifb devices stand in for dummies"
	[ "$VLAN_KIND" = vlan ] || echo "- this kernel has no 802.1Q driver: macvlan devices stand in for VLANs"
	[ -n "$COLLECT_NOTE" ] && echo "$COLLECT_NOTE"
	echo "- method: \`hyperfine -N -i --warmup $WARMUP --runs $RUNS\`, each command run through \`ip netns exec\`; Z measures that wrapper alone"
	echo
	echo "| | command | mean ms | median ms | min ms | max ms |"
	echo "|---|---|---:|---:|---:|---:|"
	row A "\`ip -j link; ip -j addr; ip -j route show table all; ip -j neigh\` (one \`sh -c\`)"
	row B "\`vnetdiag $COLLECT_LABEL\`"
	row C "\`vnetdiag check --passive --json\`"
	row Z "\`ip netns exec NS true\` (overhead in every row)"
	echo
	echo "| ratio | as measured | without the \`ip netns exec\` overhead |"
	echo "|---|---:|---:|"
	echo "| B / A (collect vs the ip sequence) | $ratio_b | $net_b |"
	echo "| C / A (whole check vs the ip sequence) | $ratio_c | $net_c |"
	echo
	echo "Goal (issue 2): check --passive ≤ the ip sequence: **$goal_ratio**" \
		"(C/A = $ratio_c); under 100 ms: **$goal_abs** (C = $(calc "$c") ms)."
} >"$OUT/results.md"

echo
cat "$OUT/results.md"
echo
echo "bench: hyperfine data in $export_json and $export_md; the block above is $OUT/results.md" >&2
