#!/usr/bin/env bash
# vnetdiag pcap: the command-line contract of the capture reader.  Every
# bad input exits 3 with one line on stderr and nothing on stdout; good
# captures (made here with tcpdump on loopback, or written by hand) give a
# report; --write-filtered writes exactly the frames behind the findings,
# atomically.  Prints one "ok - ..." / "not ok - ..." line per case.
# Sends packets on loopback only.
# shellcheck disable=SC2016 # the sh -c scripts expand their own arguments
set -u
cd "$(dirname "$0")/../.." || exit 1
VNETDIAG=${VNETDIAG:-build/vnetdiag}
case "$VNETDIAG" in /*) ;; *) VNETDIAG=$PWD/$VNETDIAG ;; esac
tmp=$(mktemp -d)
bg=""
cleanup() {
	[ -n "$bg" ] && kill "$bg" 2>/dev/null
	chmod -R u+w "$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
chmod 755 "$tmp"

fails=0
ok() { echo "ok - pcap: $1"; }
nok() {
	echo "not ok - pcap: $1"
	fails=$((fails + 1))
}
skip() { echo "ok - pcap: $1 # SKIP $2"; }
check() { # NAME COMMAND...: ok when the command succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else nok "$name"; fi
}
# run WANT ARGS...: stdout in $tmp/out, stderr in $tmp/err, stdin from
# $STDIN (default /dev/null).  WANT is an exit status, or "report" for any
# of 0, 1, 2.  A failure (3) must say one line and write nothing on stdout.
run() {
	local want=$1 rc
	shift
	"$VNETDIAG" "$@" >"$tmp/out" 2>"$tmp/err" <"${STDIN:-/dev/null}"
	rc=$?
	if grep -qE 'runtime error|Sanitizer|LeakSanitizer' "$tmp/err"; then
		echo "# sanitizer report: $*"
		sed 's/^/# /' "$tmp/err" | head -n 10
		return 1
	fi
	if [ "$want" = report ]; then
		[ "$rc" -le 2 ] && return 0
		echo "# exit $rc, wanted 0-2: $*"
		sed 's/^/# /' "$tmp/err" | head -n 5
		return 1
	fi
	if [ "$rc" -ne "$want" ]; then
		echo "# exit $rc, wanted $want: $*"
		sed 's/^/# /' "$tmp/err" | head -n 5
		return 1
	fi
	if [ "$want" -eq 3 ]; then
		if [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
			echo "# stderr is not one line: $*"
			sed 's/^/# /' "$tmp/err" | head -n 5
			return 1
		fi
		if [ -s "$tmp/out" ]; then
			echo "# something on stdout: $*"
			return 1
		fi
	fi
	return 0
}
# fails_with NAME REGEX ARGS...: exit 3, one line on stderr matching REGEX.
fails_with() {
	local name=$1 re=$2
	shift 2
	if run 3 "$@" && grep -qE -- "$re" "$tmp/err"; then
		ok "$name"
	else
		nok "$name"
		sed 's/^/# /' "$tmp/err" | head -n 3
	fi
}
# bytes HEX: the bytes, for captures written by hand.
bytes() { printf '%b' "$(echo "$1" | tr -d ' \n' | sed 's/../\\x&/g')"; }
# patch FILE OFFSET HEX: overwrite bytes of FILE in place.
patch() { bytes "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
# the frames of a capture, one line each, as tcpdump prints them
frames() { tcpdump -tt -nn -r "$1" 2>/dev/null; }
nframes() { frames "$1" | wc -l; }
jqv() { jq -r "$1" "$tmp/out" 2>/dev/null; }
# frame numbers the findings' evidence names ("frame 7", "frames 12, 15")
evidence_frames() {
	jq -r '.findings[].evidence[]' "$1" | grep -oE 'frames? [0-9][0-9, ]*' |
		grep -oE '[0-9]+' | sort -un
}
leftovers() { find "$1" -mindepth 1 -maxdepth 1 -name '*.tmp*' -o -mindepth 1 -maxdepth 1 -name '.vnetdiag-*' | wc -l; }
now_ms() { date +%s%3N; }

# --- help and usage ------------------------------------------------------
check "pcap --help" run 0 pcap --help
check "pcap --help shows usage" grep -q "usage: vnetdiag pcap" "$tmp/out"
check "help pcap" run 0 help pcap
check "pcap listed in vnetdiag --help" sh -c '"$1" --help | grep -qE "^  pcap "' _ "$VNETDIAG"
fails_with "no FILE" "missing FILE" pcap
fails_with "two FILEs" "unexpected argument 'b'" pcap a b
fails_with "FILE and --live" "unexpected argument" pcap --live lo x.pcap
fails_with "unknown option" "unknown option '--bogus'" pcap --bogus x
fails_with "option without value" "needs a value" pcap x.pcap --reply-timeout

# --- inputs that are not captures ----------------------------------------
fails_with "missing file" "/nonexistent/x.pcap: cannot read: No such file" pcap /nonexistent/x.pcap
fails_with "directory" "$tmp: cannot read: is a directory" pcap "$tmp"
: >"$tmp/empty.pcap"
fails_with "empty file" "empty.pcap: an empty file, not a pcap or pcapng capture" pcap "$tmp/empty.pcap"
STDIN=$tmp/empty.pcap fails_with "empty stdin" "^vnetdiag: stdin: an empty file" pcap -
printf 'hello, this is text and not a capture\n' >"$tmp/text.pcap"
fails_with "text file" "text.pcap: not a pcap or pcapng capture" pcap "$tmp/text.pcap"
STDIN=$tmp/text.pcap fails_with "text on stdin" "^vnetdiag: stdin: not a pcap" pcap -
bytes "d4c3b2a1 0200 0400 00000000" >"$tmp/header.pcap"
fails_with "file header cut short" "header.pcap: the capture is cut short" pcap "$tmp/header.pcap"
if [ "$(id -u)" -ne 0 ]; then
	cp "$tmp/text.pcap" "$tmp/secret.pcap"
	chmod 000 "$tmp/secret.pcap"
	fails_with "unreadable file" "secret.pcap: cannot read: Permission denied" pcap "$tmp/secret.pcap"
else
	# Root reads any file; /proc/self/mem opens but cannot be read at 0.
	fails_with "unreadable file (a read error)" "/proc/self/mem: .*(Input/output error|error reading)" pcap /proc/self/mem
fi

# --- a capture by hand: pcapng (SHB, IDB, one EPB: an ICMP echo) ----------
shb="0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000"
idb="01000000 14000000 0100 0000 00000400 14000000"
eth="000000000001 000000000002 0800"
ip="4500001c 00010000 40010000 7f000001 7f000001"
icmp="08000000 00010001"
epb="06000000 4c000000 00000000 240a0600 00401e18 2a000000 2a000000 $eth $ip $icmp 0000 4c000000"
bytes "$shb $idb $epb" >"$tmp/hand.pcapng"
if run report pcap "$tmp/hand.pcapng" --json && [ "$(jqv .capture.frames)" = 1 ] &&
	[ "$(jqv .capture.link)" = Ethernet ] && [ "$(jqv .capture.first)" = 2023-11-14T22:13:20Z ]; then
	ok "pcapng: one frame, Ethernet, its time"
else
	nok "pcapng"
	sed 's/^/# /' "$tmp/err" | head -n 3
fi
bytes "$shb $idb 06000000 4c000000 00000000" >"$tmp/cut.pcapng"
fails_with "pcapng cut inside a block" "cut.pcapng: (frame 1: )?.*(cut short|truncated)" pcap "$tmp/cut.pcapng"
bytes "$shb 01000000 14000000 9300 0000 00000400 14000000" >"$tmp/lt.pcapng"
fails_with "pcapng of an unsupported link type" "lt.pcapng: unsupported link type" pcap "$tmp/lt.pcapng"

# --- a capture of loopback traffic ----------------------------------------
pinger() { # COUNT: echo requests to 127.0.0.1
	if command -v ping >/dev/null; then
		ping -n -q -c "$1" -i 0.05 127.0.0.1 >/dev/null 2>&1
	else
		busybox ping -q -c "$1" 127.0.0.1 >/dev/null 2>&1
	fi
}
cap=$tmp/lo.pcap
have_cap=0
if [ "$(id -u)" -ne 0 ] || ! command -v tcpdump >/dev/null; then
	why="needs root and tcpdump"
else
	timeout 20 tcpdump -i lo -n -Z root -U --immediate-mode -c 24 -w "$cap" \
		'icmp or tcp port 9 or udp port 9' 2>"$tmp/tcpdump.err" &
	tcpd=$!
	for _ in $(seq 50); do
		grep -q 'listening on' "$tmp/tcpdump.err" && break
		sleep 0.1
	done
	# A closed TCP port (SYN, RST), a closed UDP port (port unreachable),
	# echo requests and replies.
	for _ in 1 2 3; do
		(exec 3<>/dev/tcp/127.0.0.1/9) 2>/dev/null
		echo x 2>/dev/null >/dev/udp/127.0.0.1/9
	done
	pinger 10
	wait "$tcpd"
	[ -s "$cap" ] && [ "$(nframes "$cap")" -ge 20 ] && have_cap=1
	why="tcpdump could not capture on lo: $(tail -n 1 "$tmp/tcpdump.err")"
fi

if [ $have_cap = 1 ]; then
	n=$(nframes "$cap")
	size=$(stat -c %s "$cap")
	if run report pcap "$cap" --json && [ "$(jqv .capture.frames)" = "$n" ] &&
		[ "$(jqv .schema)" = vnetdiag.report/1 ] && [ "$(jqv .capture.link)" = Ethernet ] &&
		[ "$(jqv .capture.linktype)" = 1 ] && [ "$(jqv .capture.stopped_by)" = end ]; then
		ok "a loopback capture: every frame read, JSON schema vnetdiag.report/1"
	else
		nok "a loopback capture"
	fi
	check "JSON: status and findings as everywhere" \
		sh -c 'jq -e "(.status|test(\"ok|warning|critical\")) and (.findings|type==\"array\") and has(\"root_cause\")" "$1" >/dev/null' _ "$tmp/out"
	cp "$tmp/out" "$tmp/report.json"
	if run report pcap "$cap" && grep -qE "^capture .*lo.pcap: $n frames, [0-9.]+ s from [0-9T:-]+Z, Ethernet" "$tmp/out" &&
		grep -qE '^(ok|warning|critical): ' "$tmp/out"; then
		ok "text: the capture's head line and the verdict"
	else
		nok "text report"
		sed 's/^/# /' "$tmp/out" | head -n 3
	fi
	STDIN=$cap run report pcap - --json
	check "stdin: the same frames" [ "$(jqv .capture.frames)" = "$n" ]
	check "stdin: the same findings" \
		bash -c 'diff <(jq -c .findings "$1") <(jq -c .findings "$2") >/dev/null' _ "$tmp/out" "$tmp/report.json"
	run report pcap "$cap" --count 3 --json
	check "--count 3 on a file: 3 frames" [ "$(jqv .capture.frames)/$(jqv .capture.stopped_by)" = 3/count ]
	run report pcap "$cap" -f icmp --json
	check "--filter on a file: the frames tcpdump selects" \
		[ "$(jqv .capture.frames)" = "$(tcpdump -r "$cap" -nn icmp 2>/dev/null | wc -l)" ]
	fails_with "--filter that does not compile" "invalid --filter 'bogus \(\(\(': " pcap "$cap" -f 'bogus ((('
	check "--flows: a flows array in JSON" run report pcap "$cap" --flows --json
	check "--flows: rows are objects" sh -c 'jq -e ".flows|type==\"array\"" "$1" >/dev/null' _ "$tmp/out"
	check "--flows: a table in text" sh -c '"$1" pcap "$2" --flows | grep -qE "^  proto +a -> b +pkts a>b/b>a"' _ "$VNETDIAG" "$cap"

	# Link types: the same bytes declared raw IP, SLL, SLL2 are read;
	# another is refused by name.
	for lt in 65000000:raw-IP 71000000:SLL 14010000:SLL2; do
		cp "$cap" "$tmp/lt.pcap"
		patch "$tmp/lt.pcap" 20 "${lt%%:*}"
		check "link type ${lt#*:} accepted" run report pcap "$tmp/lt.pcap"
	done
	cp "$cap" "$tmp/lt.pcap"
	patch "$tmp/lt.pcap" 20 93000000
	fails_with "unsupported link type 147" "lt.pcap: unsupported link type 147: " pcap "$tmp/lt.pcap"
	cp "$cap" "$tmp/lt.pcap"
	patch "$tmp/lt.pcap" 20 69000000
	fails_with "unsupported link type named (802.11)" "lt.pcap: unsupported link type IEEE802_11 \(105\)" pcap "$tmp/lt.pcap"

	# Broken records: cut in the last frame, an absurd length in the first.
	head -c $((size - 10)) "$cap" >"$tmp/trunc.pcap"
	fails_with "capture cut in its last frame" "trunc.pcap: frame $n: the capture is cut short" pcap "$tmp/trunc.pcap"
	STDIN=$tmp/trunc.pcap fails_with "cut capture on stdin" "stdin: frame $n: the capture is cut short" pcap -
	head -c $((24 + 16 + 5)) "$cap" >"$tmp/trunc1.pcap"
	fails_with "capture cut in its first frame" "trunc1.pcap: frame 1: the capture is cut short" pcap "$tmp/trunc1.pcap"
	cp "$cap" "$tmp/corrupt.pcap"
	patch "$tmp/corrupt.pcap" 32 ffffff7f
	fails_with "corrupt record length" "corrupt.pcap: frame 1: invalid packet capture length" pcap "$tmp/corrupt.pcap"
	STDIN=$tmp/corrupt.pcap fails_with "corrupt record on stdin" "stdin: frame 1: invalid" pcap -
	check "a broken capture with --write-filtered leaves nothing" \
		sh -c '! "$1" pcap "$2" -w "$3/w.pcap" 2>/dev/null && [ ! -e "$3/w.pcap" ]' _ "$VNETDIAG" "$tmp/corrupt.pcap" "$tmp"
	check "... and no temporary file" [ "$(leftovers "$tmp")" = 0 ]

	# --write-filtered: exactly the frames the findings name, as a pcap.
	out=$tmp/w/filtered.pcap
	mkdir -p "$tmp/w"
	if run report pcap "$cap" --json -w "$out" && [ -f "$out" ]; then
		ok "--write-filtered writes a file"
	else
		nok "--write-filtered writes a file"
	fi
	cp "$tmp/out" "$tmp/w.json"
	check "--write-filtered: tcpdump reads it" sh -c 'tcpdump -r "$1" -w /dev/null 2>/dev/null' _ "$out"
	check "--write-filtered: same link type and snaplen" \
		sh -c 'tcpdump -r "$1" -c 1 2>&1 >/dev/null | grep -q "link-type EN10MB (Ethernet), snapshot length $(tcpdump -r "$2" -c 1 2>&1 >/dev/null | grep -oE "snapshot length [0-9]+" | grep -oE "[0-9]+")"' _ "$out" "$cap"
	want=$(evidence_frames "$tmp/w.json" | tr '\n' ' ')
	nwant=$(evidence_frames "$tmp/w.json" | wc -l)
	check "--write-filtered: as many frames as the evidence names ($nwant)" \
		[ "$(nframes "$out")" = "$nwant" ]
	# The same frames: line N of the input for each N named.
	expect=$(for k in $want; do frames "$cap" | sed -n "${k}p"; done)
	check "--write-filtered: the very frames the evidence names" [ "$(frames "$out")" = "$expect" ]
	check "--write-filtered: JSON says how many" [ "$(jq -r .capture.written.frames "$tmp/w.json")" = "$nwant" ]
	check "--write-filtered: no temporary file left" [ "$(leftovers "$tmp/w")" = 0 ]
	check "--write-filtered: mode 0644" [ "$(stat -c %a "$out")" = 644 ]
	STDIN=$cap run report pcap - --json -w "$tmp/w/stdin.pcap"
	check "--write-filtered from stdin (spooled): the same file" cmp -s "$out" "$tmp/w/stdin.pcap"
	check "--write-filtered from stdin: no spool left" [ "$(leftovers "$tmp/w")" = 0 ]
	# An existing file is replaced whole.
	printf 'old' >"$tmp/w/old.pcap"
	run report pcap "$cap" -w "$tmp/w/old.pcap"
	check "--write-filtered replaces an existing file" cmp -s "$out" "$tmp/w/old.pcap"
else
	for c in "loopback capture" "stdin" "--count/--filter/--flows" "link types" \
		"truncated and corrupt records" "--write-filtered"; do
		skip "$c" "$why"
	done
fi

# --write-filtered into places that cannot take it: exit 3, nothing made.
src=$tmp/hand.pcapng
fails_with "--write-filtered into a missing directory" \
	"cannot write --write-filtered $tmp/none/x.pcap: No such file" pcap "$src" -w "$tmp/none/x.pcap"
check "... nothing created" [ ! -e "$tmp/none" ]
fails_with "--write-filtered onto a directory" "cannot write --write-filtered $tmp: is a directory" pcap "$src" -w "$tmp"
mkdir "$tmp/ro"
chmod 555 "$tmp/ro"
# Root keeps its uid but drops its capabilities before writing.
fails_with "--write-filtered into a read-only directory" \
	"cannot write --write-filtered $tmp/ro/x.pcap: Permission denied" pcap "$src" -w "$tmp/ro/x.pcap"
check "... nothing created there" [ -z "$(ls -A "$tmp/ro")" ]
STDIN=$src fails_with "--write-filtered from stdin into a read-only directory" \
	"Permission denied" pcap - -w "$tmp/ro/x.pcap"
check "... no spool left there" [ -z "$(ls -A "$tmp/ro")" ]
fails_with "--write-filtered to stdout" "invalid --write-filtered '-'" pcap "$src" -w -

# --- options: every absurd value exits 3 with one line --------------------
absurd() { # OPTION VALUE REGEX
	fails_with "$1 $2" "$3" pcap "$src" "$1" "$2"
}
absurd --reply-timeout 0 "invalid --reply-timeout '0': seconds"
absurd --reply-timeout -1 "invalid --reply-timeout '-1'"
absurd --reply-timeout 1e9 "invalid --reply-timeout '1e9'"
absurd --reply-timeout nan "invalid --reply-timeout 'nan'"
absurd --reply-timeout 3s "invalid --reply-timeout '3s'"
absurd --idle-timeout 0 "invalid --idle-timeout '0'"
absurd --idle-timeout inf "invalid --idle-timeout 'inf'"
absurd --min-unanswered 0 "invalid --min-unanswered '0': a number from 1"
absurd --min-unanswered 99999999999999999999 "invalid --min-unanswered"
absurd --mac-flaps 0 "invalid --mac-flaps '0'"
absurd --mac-flaps x "invalid --mac-flaps 'x'"
absurd --retrans-min -3 "invalid --retrans-min '-3'"
absurd --retrans-rate 1.5 "invalid --retrans-rate '1.5': a fraction from 0 to 1"
absurd --retrans-rate -0.1 "invalid --retrans-rate"
absurd --dns-fail-rate 2 "invalid --dns-fail-rate '2'"
absurd --dns-fail-rate '' "invalid --dns-fail-rate ''"
absurd --max-flows 0 "invalid --max-flows '0'"
absurd --max-flows 1000000000000 "invalid --max-flows"
absurd --vlan 4095 "invalid --vlan '4095'"
absurd --vlan 1,,2 "invalid --vlan '1,,2'"
absurd --vlan , "invalid --vlan ','"
absurd --vlan "$(seq -s, 0 64)" "invalid --vlan"
absurd --count 0 "invalid --count '0'"
absurd --count -5 "invalid --count '-5'"
absurd --filter '' "empty --filter"
fails_with "--color=pink" "invalid --color 'pink'" pcap "$src" --color=pink
fails_with "--duration on a file" "--duration applies to --live only" pcap "$src" --duration 1
fails_with "--duration 1e9" "invalid --duration '1e9'" pcap --live lo --duration 1e9
fails_with "--duration 0" "invalid --duration '0'" pcap --live lo --duration 0
fails_with "--live with an impossible name" "invalid --live" pcap --live "$(printf 'x%.0s' $(seq 20))"
check "good thresholds are taken" run report pcap "$src" --reply-timeout 0.5 --idle-timeout 60 \
	--min-unanswered 3 --mac-flaps 2 --retrans-min 5 --retrans-rate 0.1 --dns-fail-rate 0.5 \
	--max-flows 100 --vlan 0,10,4094 --color=never

# --- live capture on loopback ---------------------------------------------
fails_with "--live on a missing interface" "interface nosuch0: no such interface" pcap --live nosuch0
if [ "$(id -u)" -ne 0 ]; then
	skip "live capture on lo" "needs root"
else
	(while :; do pinger 5; done) &
	bg=$!
	t0=$(now_ms)
	if run report pcap --live lo --count 5 --json && [ "$(jqv .capture.frames)" = 5 ] &&
		[ "$(jqv .capture.live)" = true ] && [ "$(jqv .capture.stopped_by)" = count ]; then
		ok "--live lo --count 5: five frames"
	else
		nok "--live lo --count 5"
		jqv .capture | head -c 300 | sed 's/^/# /'
	fi
	check "--live lo --count 5 is quick" [ $(($(now_ms) - t0)) -lt 5000 ]
	t0=$(now_ms)
	run report pcap --live lo --duration 1 --json
	dt=$(($(now_ms) - t0))
	check "--live lo --duration 1 returns in 1-3 s (${dt} ms)" [ "$dt" -ge 1000 ] && [ "$dt" -lt 3000 ]
	check "--live --duration: stopped by duration" [ "$(jqv .capture.stopped_by)" = duration ]
	run report pcap --live lo --count 4 -f icmp -w "$tmp/live.pcap" --json
	check "--live with --filter and --write-filtered" [ "$(jqv .capture.frames)" = 4 ] && [ -f "$tmp/live.pcap" ]
	check "--live --write-filtered: tcpdump reads it, no spool left" \
		sh -c 'tcpdump -r "$1" -w /dev/null 2>/dev/null && [ -z "$(find "$2" -maxdepth 1 -name ".vnetdiag-*")" ]' _ "$tmp/live.pcap" "$tmp"
	"$VNETDIAG" pcap --live lo >"$tmp/sig.out" 2>"$tmp/sig.err" &
	pid=$!
	sleep 1
	kill -INT "$pid"
	wait "$pid"
	rc=$?
	if [ "$rc" -le 2 ] && grep -qE '^capture lo \(live\): [0-9]+ frames.*stopped by a signal' "$tmp/sig.out" &&
		! grep -qE 'Sanitizer|runtime error' "$tmp/sig.err"; then
		ok "--live stops cleanly on SIGINT and reports"
	else
		nok "--live on SIGINT (exit $rc)"
		sed 's/^/# /' "$tmp/sig.out" "$tmp/sig.err" | head -n 5
	fi
	kill "$bg" 2>/dev/null
	wait "$bg" 2>/dev/null
	bg=""
fi

[ "$fails" -eq 0 ]
