#!/usr/bin/env bash
# Replay tests/pcap/TESTLIST: vnetdiag pcap on each golden capture, each
# synthetic capture (build/bench/pcapgen, compared with its ground truth) and
# each broken file must give exactly the status, exit code and set of
# warning/critical codes (and subjects) of its row.  Then one live capture in
# a namespace lab: vnetdiag pcap --live on the segment while a closed port is
# tried and an absent address is asked for (skipped when not root or without
# network namespaces).
#
# Usage: tests/pcap/run.sh
# Environment:
#   VNETDIAG   the binary (default: build/vnetdiag of this checkout)
#   PCAPGEN    the generator (default: build/bench/pcapgen)
#   PCAP_SEED  pcapgen's --seed (default 1)
#   PCAP_LIVE  0: leave out the live test
# Output: "ok - pcap: ..." / "not ok - pcap: ..." lines, details as "# ".
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
VNETDIAG=${VNETDIAG:-$repo/build/vnetdiag}
case $VNETDIAG in /*) ;; *) VNETDIAG=$PWD/$VNETDIAG ;; esac
PCAPGEN=${PCAPGEN:-$repo/build/bench/pcapgen}
PCAP_SEED=${PCAP_SEED:-1}
CAPS=$repo/tests/fixtures/captures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() { # fail NAME DETAIL...
	echo "not ok - pcap: $1"
	shift
	printf '# %s\n' "$@"
	fails=$((fails + 1))
}

# The warning/critical (code, subject) pairs of a report, "CODE=SUBJECT" a
# line, sorted; and its codes, sorted, joined with "," ("-" none).
pairs() {
	jq -r '.findings[] | select(.severity == "warning" or
		.severity == "critical") | "\(.code)=\(.subject)"' "$1" | LC_ALL=C sort
}
codes_of() {
	local c
	c=$(jq -r '[.findings[] | select(.severity == "warning" or
		.severity == "critical") | .code] | unique | join(",")' "$1")
	echo "${c:--}"
}

# check NAME FILE STATUS CODES PAIRS_FILE|"": run and compare.
check() {
	local name=$1 file=$2 status=$3 codes=$4 want_pairs=$5 rc wrc got
	"$VNETDIAG" pcap "$file" --json >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	case $status in ok) wrc=0 ;; warning) wrc=1 ;; critical) wrc=2 ;; *) wrc=3 ;; esac
	if grep -qE 'runtime error|Sanitizer|LeakSanitizer' "$tmp/err"; then
		fail "$name" "sanitizer report:" "$(head -n 5 "$tmp/err")"
		return
	fi
	if [ "$wrc" -eq 3 ]; then
		if [ "$rc" -ne 3 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
			fail "$name" "want exit 3 and one line on stderr" \
				"got exit $rc, stderr: $(head -n 3 "$tmp/err" | tr '\n' '|')"
		else
			echo "ok - pcap: $name"
		fi
		return
	fi
	if ! jq -e . "$tmp/out" >/dev/null 2>&1; then
		fail "$name" "no JSON report (exit $rc): $(head -n 2 "$tmp/err" | tr '\n' ' ')"
		return
	fi
	got="$(jq -r .status "$tmp/out") $(codes_of "$tmp/out")"
	if [ "$got" != "$status $codes" ] || [ "$rc" -ne "$wrc" ]; then
		fail "$name" "want: $status $codes (exit $wrc)" "got:  $got (exit $rc)"
		return
	fi
	if [ -n "$want_pairs" ] && ! pairs "$tmp/out" | diff -u "$want_pairs" - >"$tmp/diff"; then
		fail "$name" "(code, subject) pairs differ (- wanted, + got):" \
			"$(grep -E '^[-+][^-+]' "$tmp/diff" | head -n 12)"
		return
	fi
	echo "ok - pcap: $name"
}

# gen LINK FORMAT FAULTS [vlan]: pcapgen's capture into $tmp/gen.*, its
# truth as CODE=SUBJECT lines in $tmp/gen.want.
gen() {
	local args=(-n 300 --seed "$PCAP_SEED" --linktype "$1" --format "$2"
		--faults "$3")
	[ "${4:-}" = vlan ] && args+=(--vlan)
	"$PCAPGEN" "${args[@]}" --truth "$tmp/gen.truth" -o "$tmp/gen.cap" \
		>/dev/null 2>"$tmp/gen.err" || return 1
	tr '\t' '=' <"$tmp/gen.truth" | LC_ALL=C sort >"$tmp/gen.want"
}

while read -r src status codes subjects; do
	case $src in '' | '#'*) continue ;; esac
	IFS=: read -r kind a b c d <<<"$src"
	want=""
	case $kind in
	gen)
		if [ ! -x "$PCAPGEN" ]; then
			echo "ok - pcap: $src # SKIP $PCAPGEN is not built"
			continue
		fi
		if ! gen "$a" "$b" "$c" "$d"; then
			fail "$src" "pcapgen failed: $(head -n 2 "$tmp/gen.err")"
			continue
		fi
		file=$tmp/gen.cap
		want=$tmp/gen.want
		;;
	cut | head | patch)
		file=$tmp/broken.pcap
		case $kind in
		cut) head -c "-$b" "$CAPS/$a.pcap" >"$file" ;;
		head) head -c "$b" "$CAPS/$a.pcap" >"$file" ;;
		patch)
			cp "$CAPS/$a.pcap" "$file"
			# shellcheck disable=SC2059 # the bytes as \xHH escapes
			printf "$(printf '%s' "$c" | sed 's/../\\x&/g')" |
				dd of="$file" bs=1 seek="$b" conv=notrunc status=none
			;;
		esac
		;;
	*)
		file=$CAPS/$src.pcap
		if [ -n "$subjects" ] && [ "$subjects" != - ]; then
			want=$tmp/want
			printf '%s\n' "$subjects" | tr ';' '\n' | LC_ALL=C sort >"$want"
		elif [ "$status" = ok ]; then
			want=$tmp/want
			: >"$want"
		fi
		;;
	esac
	check "$src" "$file" "$status" "$codes" "$want"
done <"$here/TESTLIST"

# --- live: vnetdiag pcap --live on a namespace segment while faults happen ---

live() {
	local why n i pid apid rc out=$tmp/live.json err=$tmp/live.err name
	name="live: --live br0 --duration 6 (closed port, unanswered ARP)"
	# shellcheck source-path=SCRIPTDIR source=netns.sh
	. "$here/netns.sh"
	if ! why=$(lab_usable); then
		echo "ok - pcap: $name # SKIP $why"
		return
	fi
	lab_init 2>/dev/null || {
		fail "$name" "lab_init failed"
		return
	}
	trap 'lab_teardown_all; rm -rf "$tmp"' EXIT
	if ! { pl_up && pl_node cli "$PL_NET.10" "$(pl_mac "$PL_NET.10")" &&
		pl_node srv "$PL_NET.20" "$(pl_mac "$PL_NET.20")" &&
		pl_node mark "$PL_NET.250" "$(pl_mac "$PL_NET.250")"; }; then
		fail "$name" "cannot build the lab: $LAB_ERR"
		pl_down
		return
	fi
	n=$(pl_packet_sockets "$PL_SW")
	ip netns exec "$PL_SW" "$VNETDIAG" pcap --live br0 --duration 6 \
		--json >"$out" 2>"$err" </dev/null &
	pid=$!
	# Ready when its packet socket is open (/proc/net/packet of the
	# namespace).
	for ((i = 0; i < 100; i++)); do
		[ "$(pl_packet_sockets "$PL_SW")" -gt "$n" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.02
	done
	sleep 0.1
	# Two requests for an absent address, 1 s apart, meanwhile a closed
	# port twice.
	pl_x cli busybox arping -c 2 -I eth0 "$PL_NET.99" >/dev/null 2>&1 &
	apid=$!
	pl_x cli timeout 3 busybox nc -w 1 "$PL_NET.20" 81 </dev/null >/dev/null 2>&1
	pl_x cli timeout 3 busybox nc -w 1 "$PL_NET.20" 81 </dev/null >/dev/null 2>&1
	# The analyser judges by capture time: a frame more than 3 s after the
	# last request (a gratuitous ARP) lets it judge the requests, well
	# before the 6 s are over.
	sleep 4.4
	pl_x mark busybox arping -U -c 1 -I eth0 "$PL_NET.250" >/dev/null 2>&1
	wait "$apid"
	wait "$pid"
	rc=$?
	pl_down
	printf '%s\n' "L2.arp-unanswered=$PL_NET.99" "L4.port-closed=$PL_NET.20:81" |
		LC_ALL=C sort >"$tmp/live.want"
	if grep -qE 'runtime error|Sanitizer' "$err"; then
		fail "$name" "sanitizer report:" "$(head -n 5 "$err")"
	elif [ "$rc" -ne 2 ] || ! jq -e . "$out" >/dev/null 2>&1; then
		fail "$name" "want exit 2 and a report, got exit $rc:" \
			"$(head -n 3 "$err")"
	elif ! pairs "$out" | diff -u "$tmp/live.want" - >"$tmp/diff"; then
		fail "$name" "(code, subject) pairs differ (- wanted, + got):" \
			"$(grep -E '^[-+][^-+]' "$tmp/diff")"
	elif [ "$(jq -r '.capture.live' "$out")" != true ]; then
		fail "$name" "capture.live is not true"
	else
		echo "ok - pcap: $name"
	fi
}
[ "${PCAP_LIVE:-1}" = 0 ] || live

[ "$fails" -eq 0 ]
