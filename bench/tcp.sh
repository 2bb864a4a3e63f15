#!/bin/bash
# vnetdiag probe tcp against nmap's connect scan (nmap -sT), side by side in
# one run, with the port states of both compared for identity:
#   L  loopback, all 65535 ports, two listeners of our own on loopback:
#        vnetdiag probe tcp -p 1-65535 127.0.0.1
#        nmap -sT -p1-65535 -T4 -n 127.0.0.1
#   F  1000 ports of a namespace that silently drops TCP SYNs (nftables),
#      scanned from a second namespace over a veth pair:
#        vnetdiag probe tcp -p 1-1000 --timeout 1000 ADDR
#        nmap -sT -p1-1000 -T4 -n ADDR
# Only loopback and the two namespaces this script creates are ever scanned.
# Goals (issue 3): L at least on par with nmap; F at least 10x faster.
#
# Usage: bench/tcp.sh [--runs N] [--ns-runs N]   (root; needs nmap,
#        hyperfine, nft, python3)
# Environment: VNETDIAG (default: build/vnetdiag of this checkout).
# Results: bench/out/tcp-*.json (hyperfine), bench/out/tcp.md (the block
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
RUNS=10	  # loopback runs per command
NS_RUNS=3 # namespace runs per command (nmap takes ~20 s each)

TAG="vdt$$"
NS_SCAN="${TAG}-scan"
NS_DROP="${TAG}-drop"
ADDR_SCAN=198.18.0.1 # RFC 2544 benchmark range, only inside our namespaces
ADDR_DROP=198.18.0.2
WORK=""
LISTENER=""

die() {
	echo "bench: $*" >&2
	exit 1
}

ns_exists() {
	ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"
}

cleanup() {
	local ns pid
	[ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
	for ns in "$NS_SCAN" "$NS_DROP"; do
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
	--ns-runs) NS_RUNS=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d'; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done

[ "$(id -u)" -eq 0 ] || die "run as root (it creates network namespaces)"
for t in ip nmap hyperfine nft python3; do
	command -v "$t" >/dev/null 2>&1 ||
		die "$t is not installed (apt-get install $t; nft is in nftables)"
done
[ -x "$VNETDIAG" ] || die "no vnetdiag binary at $VNETDIAG (run make, or set VNETDIAG)"
mkdir -p "$OUT" || die "cannot create $OUT"
WORK=$(mktemp -d "/tmp/$TAG.XXXXXX") || die "mktemp failed"

# Port states as "PORT STATE" lines, sorted, from either tool's output.
cat >"$WORK/states.py" <<'EOF'
import json, sys
import xml.etree.ElementTree as ET

def ranges(spec):
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        yield from range(int(lo), int(hi or lo) + 1)

kind, path = sys.argv[1], sys.argv[2]
states = {}
if kind == "vnetdiag":
    for r in json.load(open(path))["probes"]["tcp"]:
        states[r["port"]] = r["state"]
else:
    # nmap lists ports one by one, except the big groups ("extraports"),
    # whose ports its XML gives as ranges under extrareasons.
    for ports in ET.parse(path).getroot().iter("ports"):
        for p in ports.iter("port"):
            states[int(p.get("portid"))] = p.find("state").get("state")
        for extra in ports.iter("extraports"):
            for why in extra.iter("extrareasons"):
                for n in ranges(why.get("ports")):
                    states[n] = extra.get("state")
for port in sorted(states):
    print(port, states[port])
EOF

# Compare the two lists; prints a one-line summary, fails when they differ.
compare() {
	local name=$1 vd=$2 nm=$3
	python3 "$WORK/states.py" vnetdiag "$vd" >"$WORK/$name.vd" || die "cannot read $vd"
	python3 "$WORK/states.py" nmap "$nm" >"$WORK/$name.nmap" || die "cannot read $nm"
	local summary
	summary=$(awk '{n[$2]++} END {for (s in n) printf "%s %d, ", s, n[s]}' "$WORK/$name.vd")
	if cmp -s "$WORK/$name.vd" "$WORK/$name.nmap"; then
		echo "identical ($(wc -l <"$WORK/$name.vd") ports: ${summary%, })"
	else
		echo "DIFFERENT: $(diff "$WORK/$name.vd" "$WORK/$name.nmap" | grep -c '^[<>]') lines differ, e.g.:"
		diff "$WORK/$name.vd" "$WORK/$name.nmap" | grep '^[<>]' | head -n 5 | sed 's/^/    /'
		return 1
	fi
}

# hyperfine JSON -> "mean stddev min max" in seconds, one line per command.
cat >"$WORK/means.py" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%.4f %.4f %.4f %.4f" % (r["mean"], r["stddev"] or 0, r["min"], r["max"]))
EOF

status=0

# ---- L: loopback --------------------------------------------------------
# Two listeners that accept and close at once (a full accept queue would
# drop SYNs and turn open ports filtered after a few runs), on ports the
# kernel picks: in the ephemeral range, where self-connects happen.
python3 -u -c '
import selectors, socket
sel = selectors.DefaultSelector()
for _ in range(2):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1024)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    print(s.getsockname()[1])
print("ready")
while True:
    for key, _ in sel.select():
        try:
            key.fileobj.accept()[0].close()
        except OSError:
            pass
' >"$WORK/listeners" &
LISTENER=$!
for _ in $(seq 50); do
	grep -q ready "$WORK/listeners" 2>/dev/null && break
	sleep 0.1
done
grep -q ready "$WORK/listeners" || die "the loopback listeners did not start"
LPORTS=$(grep -v ready "$WORK/listeners" | tr '\n' ' ')

L_VD=("$VNETDIAG" probe tcp -p 1-65535 127.0.0.1)
L_NM=(nmap -sT -p1-65535 -T4 -n 127.0.0.1)
echo "== L: loopback, 65535 ports (our listeners on $LPORTS)"
"${L_VD[@]}" --json >"$WORK/l.json" || die "vnetdiag failed"
"${L_NM[@]}" -oX "$WORK/l.xml" >/dev/null || die "nmap failed"
L_SAME=$(compare l "$WORK/l.json" "$WORK/l.xml") || status=1
echo "   results: $L_SAME"
for p in $LPORTS; do
	grep -qx "$p open" "$WORK/l.vd" || { echo "   listener port $p not open" >&2; status=1; }
done
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/tcp-loopback.json" \
	--command-name "vnetdiag" "${L_VD[*]}" \
	--command-name "nmap" "${L_NM[*]}" || die "hyperfine failed"
# The same comparison after the timed runs: nothing drifted meanwhile.
"${L_VD[@]}" --json >"$WORK/l2.json" && "${L_NM[@]}" -oX "$WORK/l2.xml" >/dev/null &&
	L_SAME2=$(compare l2 "$WORK/l2.json" "$WORK/l2.xml") || status=1
echo "   results after the timed runs: ${L_SAME2:-failed}"

# ---- F: a namespace that drops SYNs --------------------------------------
echo "== F: 1000 ports of a namespace that drops TCP SYNs"
ip netns add "$NS_SCAN" || die "cannot create namespace $NS_SCAN"
ip netns add "$NS_DROP" || die "cannot create namespace $NS_DROP"
ip link add "${TAG}s" netns "$NS_SCAN" type veth peer name "${TAG}d" netns "$NS_DROP" ||
	die "cannot create the veth pair"
ip -n "$NS_SCAN" addr add "$ADDR_SCAN/30" dev "${TAG}s" &&
	ip -n "$NS_DROP" addr add "$ADDR_DROP/30" dev "${TAG}d" &&
	ip -n "$NS_SCAN" link set lo up && ip -n "$NS_DROP" link set lo up &&
	ip -n "$NS_SCAN" link set "${TAG}s" up && ip -n "$NS_DROP" link set "${TAG}d" up ||
	die "cannot configure the namespaces"
# The path works before the rule: port 1 answers with a reset (closed).
ip netns exec "$NS_SCAN" "$VNETDIAG" probe tcp -p 1 --json "$ADDR_DROP" |
	grep -q '"state": "closed"' || die "$ADDR_DROP does not answer from $NS_SCAN"
ip netns exec "$NS_DROP" nft -f - <<'EOF2' || die "cannot load the nftables rule"
table inet vdt_drop {
	chain in {
		type filter hook input priority 0;
		tcp flags syn drop
	}
}
EOF2

F_VD=(ip netns exec "$NS_SCAN" "$VNETDIAG" probe tcp -p 1-1000 --timeout 1000 "$ADDR_DROP")
F_NM=(ip netns exec "$NS_SCAN" nmap -sT -p1-1000 -T4 -n "$ADDR_DROP")
"${F_VD[@]}" --json >"$WORK/f.json" || die "vnetdiag failed in $NS_SCAN"
"${F_NM[@]}" -oX "$WORK/f.xml" >/dev/null || die "nmap failed in $NS_SCAN"
F_SAME=$(compare f "$WORK/f.json" "$WORK/f.xml") || status=1
echo "   results: $F_SAME"
grep -qv ' filtered$' "$WORK/f.vd" && { echo "   not all filtered" >&2; status=1; }
hyperfine -N --runs "$NS_RUNS" --export-json "$OUT/tcp-dropped.json" \
	--command-name "vnetdiag" "${F_VD[*]}" \
	--command-name "nmap" "${F_NM[*]}" || die "hyperfine failed"

# ---- report --------------------------------------------------------------
read -r LV_M LV_S LV_MIN LV_MAX < <(python3 "$WORK/means.py" "$OUT/tcp-loopback.json" | sed -n 1p)
read -r LN_M LN_S LN_MIN LN_MAX < <(python3 "$WORK/means.py" "$OUT/tcp-loopback.json" | sed -n 2p)
read -r FV_M FV_S FV_MIN FV_MAX < <(python3 "$WORK/means.py" "$OUT/tcp-dropped.json" | sed -n 1p)
read -r FN_M FN_S FN_MIN FN_MAX < <(python3 "$WORK/means.py" "$OUT/tcp-dropped.json" | sed -n 2p)
calc() { python3 -c "print($1)"; }
{
	echo "### Results ($(date -u +%Y-%m-%d), $RUNS loopback runs, $NS_RUNS namespace runs per command)"
	echo
	echo "| | command | mean s | ± | min s | max s | ports/s |"
	echo "|---|---|---:|---:|---:|---:|---:|"
	printf '| L | `%s` | %.3f | %.3f | %.3f | %.3f | %s |\n' "vnetdiag probe tcp -p 1-65535 127.0.0.1" \
		"$LV_M" "$LV_S" "$LV_MIN" "$LV_MAX" "$(calc "round(65535/$LV_M)")"
	printf '| L | `%s` | %.3f | %.3f | %.3f | %.3f | %s |\n' "nmap -sT -p1-65535 -T4 -n 127.0.0.1" \
		"$LN_M" "$LN_S" "$LN_MIN" "$LN_MAX" "$(calc "round(65535/$LN_M)")"
	printf '| F | `%s` | %.3f | %.3f | %.3f | %.3f | %s |\n' "vnetdiag probe tcp -p 1-1000 --timeout 1000 ADDR" \
		"$FV_M" "$FV_S" "$FV_MIN" "$FV_MAX" "$(calc "round(1000/$FV_M)")"
	printf '| F | `%s` | %.3f | %.3f | %.3f | %.3f | %s |\n' "nmap -sT -p1-1000 -T4 -n ADDR" \
		"$FN_M" "$FN_S" "$FN_MIN" "$FN_MAX" "$(calc "round(1000/$FN_M)")"
	echo
	echo "| nmap time / vnetdiag time | means | fastest runs | goal |"
	echo "|---|---:|---:|---|"
	printf '| L: loopback, 65535 ports | %.2f | %.2f | >= 1 |\n' "$(calc "$LN_M/$LV_M")" "$(calc "$LN_MIN/$LV_MIN")"
	printf '| F: SYNs dropped, 1000 ports | %.1f | %.1f | >= 10 |\n' "$(calc "$FN_M/$FV_M")" "$(calc "$FN_MIN/$FV_MIN")"
	echo
	echo "Identity of the port states (every port, vnetdiag vs nmap):"
	echo
	echo "- L before the timed runs: $L_SAME"
	echo "- L after the timed runs: ${L_SAME2:-failed}"
	echo "- F: $F_SAME"
} >"$OUT/tcp.md"
echo
cat "$OUT/tcp.md"
exit $status
