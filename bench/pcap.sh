#!/bin/bash
# vnetdiag pcap against the tools that read the same capture, side by side
# in one run, on a synthetic capture whose findings are known in advance:
#   R  pcapraw FILE                  libpcap's read loop alone (lower bound)
#   V  vnetdiag pcap FILE --json     decoding, state tables, findings
#   D  tcpdump -nr FILE              decoding and printing every packet
#   T  tshark -q -z expert -r FILE   full dissection, expert summary
# The capture (bench/pcapgen, seeded: the same bytes every run) has
# 2,000,000 packets of healthy background traffic over 40 s of capture time,
# about 160,000 flows, and every fault kind of docs/traffic.md injected a
# few times; vnetdiag's findings are compared with pcapgen's ground truth.
#
# Usage: bench/pcap.sh [--packets N] [--seed N] [--runs N] [--tshark-runs N]
#                      [--dir DIR] [--keep]
#   --runs: hyperfine runs of R, V and D (5); --tshark-runs: runs of T (2,
#   about 15 s each here); --dir: where the capture goes (a temporary
#   directory in /tmp; about 900 MB); --keep: leave it there.
# Needs hyperfine, jq, tcpdump, libpcap-dev, tshark and GNU time; installs
# tshark and time with apt-get when missing (as root).
# Environment: VNETDIAG (default: build/vnetdiag), PCAPGEN (default:
# build/bench/pcapgen), BUILD (default: build; ninja -C BUILD first).
# Results: bench/out/pcap.json (hyperfine), bench/out/pcap.md (the block for
# docs/performance.md).  Exit status 1 when the findings differ from the
# truth.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
BUILD=${BUILD:-$repo/build}
VNETDIAG=${VNETDIAG:-$BUILD/vnetdiag}
PCAPGEN=${PCAPGEN:-$BUILD/bench/pcapgen}
OUT="$here/out"
PACKETS=2000000
SEED=42
RUNS=5
TSHARK_RUNS=2
DIR=""
KEEP=0
WORK=""

die() {
	echo "bench: $*" >&2
	exit 1
}

cleanup() {
	if [ -n "$WORK" ] && [ "$KEEP" -eq 0 ]; then
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

while [ $# -gt 0 ]; do
	case $1 in
	--packets) PACKETS=$2; shift 2 ;;
	--seed) SEED=$2; shift 2 ;;
	--runs) RUNS=$2; shift 2 ;;
	--tshark-runs) TSHARK_RUNS=$2; shift 2 ;;
	--dir) DIR=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//; /^set -u/d'; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done

# ---- tools -----------------------------------------------------------------
need_apt() { # package: install it (root only)
	[ "$(id -u)" -eq 0 ] || die "$1 is not installed (apt-get install $1, as root)"
	echo "== installing $1"
	DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >/dev/null ||
		die "apt-get install $1 failed"
}
command -v tshark >/dev/null 2>&1 || need_apt tshark
[ -x /usr/bin/time ] || need_apt time
for t in hyperfine jq tcpdump tshark cc python3; do
	command -v "$t" >/dev/null 2>&1 || die "$t is not installed"
done

if [ -f "$BUILD/build.ninja" ]; then
	ninja -C "$BUILD" >/dev/null || die "ninja -C $BUILD failed"
fi
[ -x "$VNETDIAG" ] || die "no vnetdiag binary at $VNETDIAG (run make, or set VNETDIAG)"
[ -x "$PCAPGEN" ] || die "no pcapgen at $PCAPGEN (run make, or set PCAPGEN)"
"$VNETDIAG" pcap --help >/dev/null 2>&1 || die "$VNETDIAG has no pcap command"
mkdir -p "$OUT" || die "cannot create $OUT"
if [ -n "$DIR" ]; then
	mkdir -p "$DIR" || die "cannot create $DIR"
	WORK=$(mktemp -d "$DIR/vdpcap.XXXXXX") || die "mktemp failed"
else
	WORK=$(mktemp -d /tmp/vdpcap.XXXXXX) || die "mktemp failed"
fi
PCAPRAW="$WORK/pcapraw"
cc -O2 -o "$PCAPRAW" "$here/pcapraw.c" -lpcap || die "cannot build pcapraw (libpcap-dev?)"

# ---- the capture -------------------------------------------------------------
CAP="$WORK/bench.pcap"
TRUTH="$WORK/bench.truth"
echo "== generating $PACKETS packets (seed $SEED)"
/usr/bin/time -f '%e' -o "$WORK/gen.time" \
	"$PCAPGEN" -n "$PACKETS" --vlan --seed "$SEED" -o "$CAP" --truth "$TRUTH" ||
	die "pcapgen failed"
GEN_S=$(cat "$WORK/gen.time")
NPKT=$("$PCAPRAW" "$CAP" | awk '{print $1}')
[ -n "$NPKT" ] && [ "$NPKT" -gt 0 ] || die "pcapraw cannot read $CAP"
SIZE_MB=$(($(stat -c %s "$CAP") / 1000000))
echo "   $NPKT packets, $SIZE_MB MB, written in $GEN_S s; $(wc -l <"$TRUTH") findings expected"

# ---- one run of each with GNU time: peak RSS, and the outputs ----------------
# rss NAME CMD...: runs CMD once, stdout to $WORK/NAME.out; sets NAME's
# wall time and peak RSS (KB) in $WORK/NAME.time.
rss() {
	local name=$1
	shift
	local rc
	/usr/bin/time -f '%e %M' -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
	rc=$?
	# GNU time puts "Command exited with non-zero status N" first
	tail -n 1 "$WORK/$name.time" >"$WORK/$name.time.1" && mv "$WORK/$name.time.1" "$WORK/$name.time"
	return $rc
}
echo "== one run each for peak memory (and vnetdiag's findings)"
rss raw "$PCAPRAW" "$CAP" || die "pcapraw failed"
rss vd "$VNETDIAG" pcap "$CAP" --json
[ $? -le 2 ] || die "vnetdiag pcap failed: $(head -3 "$WORK/vd.err")"
rss tcpdump tcpdump -nr "$CAP" || die "tcpdump failed"
# tshark: the timed runs are these (it takes about a minute); best of them.
T_BEST=""
T_ALL=""
T_RSS=0
for i in $(seq "$TSHARK_RUNS"); do
	echo "== tshark run $i of $TSHARK_RUNS"
	rss tshark tshark -q -z expert -r "$CAP" || die "tshark failed"
	read -r t m <"$WORK/tshark.time"
	if [ -z "$T_BEST" ] || python3 -c "import sys; sys.exit(not $t < $T_BEST)"; then
		T_BEST=$t
	fi
	T_ALL="$T_ALL $t"
	[ "$m" -gt "$T_RSS" ] && T_RSS=$m
done
MALFORMED=$(grep -ci 'malformed' "$WORK/tshark.out")
VD_FRAMES=$(jq -r '.capture.frames' "$WORK/vd.out")

# ---- the fast ones, side by side ----------------------------------------------
echo "== hyperfine: pcapraw, vnetdiag, tcpdump ($RUNS runs each)"
hyperfine -N -i --warmup 1 --runs "$RUNS" --export-json "$OUT/pcap.json" \
	--command-name "pcapraw" "$PCAPRAW $CAP" \
	--command-name "vnetdiag" "$VNETDIAG pcap $CAP --json" \
	--command-name "tcpdump" "tcpdump -nr $CAP" || die "hyperfine failed"

# ---- the findings against the truth -------------------------------------------
jq -r '.findings[] | select(.severity != "info") | "\(.code)\t\(.subject)"' \
	"$WORK/vd.out" | LC_ALL=C sort -u >"$WORK/found" || die "cannot read vnetdiag's JSON"
LC_ALL=C sort -u "$TRUTH" >"$WORK/truth"
MISSING=$(LC_ALL=C comm -23 "$WORK/truth" "$WORK/found")
EXTRA=$(LC_ALL=C comm -13 "$WORK/truth" "$WORK/found")
N_TRUTH=$(wc -l <"$WORK/truth")
N_FOUND=$(wc -l <"$WORK/found")
if [ -z "$MISSING" ] && [ -z "$EXTRA" ]; then
	VERDICT=PASS
	status=0
else
	VERDICT=FAIL
	status=1
fi

# ---- report -----------------------------------------------------------------
cat >"$WORK/report.py" <<'EOF'
import json, sys
hf, npkt, t_best, t_all, t_rss, raw_rss, vd_rss, td_rss = sys.argv[1:9]
npkt = int(npkt)
r = {x["command"]: x for x in json.load(open(hf))["results"]}
rows = []
for label, name, cmd, rss in (
        ("R", "pcapraw", "pcapraw FILE", raw_rss),
        ("V", "vnetdiag", "vnetdiag pcap FILE --json", vd_rss),
        ("D", "tcpdump", "tcpdump -nr FILE > /dev/null", td_rss)):
    x = r[name]
    rows.append((label, name, cmd, x["mean"], x["stddev"] or 0, x["min"],
                 x["max"], int(rss)))
ts = [float(v) for v in t_all.split()]
rows.append(("T", "tshark", "tshark -q -z expert -r FILE", sum(ts) / len(ts), 0.0,
             float(t_best), max(ts), int(t_rss)))
print("| | command | mean s | ± | min s | max s | packets/s (min) | peak RSS MB |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for label, name, cmd, mean, sd, mn, mx, rss in rows:
    pm = "%.3f" % sd if name != "tshark" else ("-" if len(ts) < 2 else "%.3f" % (
        (sum((v - mean) ** 2 for v in ts) / (len(ts) - 1)) ** 0.5))
    print("| %s | `%s` | %.3f | %s | %.3f | %.3f | %s | %.1f |" % (
        label, cmd, mean, pm, mn, mx, format(round(npkt / mn), ","),
        rss / 1024))
print()
vd = [x for x in rows if x[1] == "vnetdiag"][0]
print("| ratio, fastest runs | X time / vnetdiag time | X peak RSS / vnetdiag's |")
print("|---|---:|---:|")
for label, name, _, _, _, mn, _, rss in rows:
    if name != "vnetdiag":
        print("| X = %s | %.2f | %.2f |" % (name, mn / vd[5], rss / vd[7]))
EOF
TABLE=$(python3 "$WORK/report.py" "$OUT/pcap.json" "$NPKT" "$T_BEST" "$T_ALL" \
	"$T_RSS" "$(awk '{print $2}' "$WORK/raw.time")" \
	"$(awk '{print $2}' "$WORK/vd.time")" "$(awk '{print $2}' "$WORK/tcpdump.time")") ||
	die "cannot summarise the results"
{
	echo "### Results ($(date -u +%Y-%m-%d), $RUNS runs of R, V, D; $TSHARK_RUNS of T)"
	echo
	echo "Capture: \`pcapgen -n $PACKETS --vlan --seed $SEED\`: $NPKT packets,"
	echo "$SIZE_MB MB, $(jq -r '.capture.duration_s | floor' "$WORK/vd.out") s of capture time,"
	echo "$(jq -r '.capture.flows' "$WORK/vd.out") flows (at most $(jq -r '.capture.peak_flows' "$WORK/vd.out") held at once, $(jq -r '.capture.flows_evicted' "$WORK/vd.out") finished"
	echo "early by the \`--max-flows\` cap); written by pcapgen in $GEN_S s."
	echo
	echo "$TABLE"
	echo
	echo "Findings against the truth ($N_TRUTH expected, $N_FOUND reported, severity"
	echo "above info): **$VERDICT**"
	if [ -n "$MISSING" ]; then
		echo
		echo "Missing:"
		echo
		printf '%s\n' "$MISSING" | sed 's/^/    /'
	fi
	if [ -n "$EXTRA" ]; then
		echo
		echo "Extra:"
		echo
		printf '%s\n' "$EXTRA" | sed 's/^/    /'
	fi
	echo
	echo "vnetdiag read $VD_FRAMES frames; tshark's expert summary has $MALFORMED malformed-packet lines."
} >"$OUT/pcap.md"
echo
cat "$OUT/pcap.md"
[ "$KEEP" -eq 1 ] && echo "(capture kept: $CAP, truth: $TRUTH)"
exit $status
