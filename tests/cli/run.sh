#!/usr/bin/env bash
# The command-line contract: exit codes, one-line errors, nothing written
# half-way, help at every level.  Prints one "ok - ..." / "not ok - ..."
# line per case.
set -u
cd "$(dirname "$0")/../.."
VNETDIAG=${VNETDIAG:-build/vnetdiag}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fails=0
# expect NAME WANT_RC STDERR_REGEX -- ARGS...
expect() {
	local name=$1 want=$2 re=$3 rc lines
	shift 4
	"$VNETDIAG" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -ne "$want" ]; then
		echo "not ok - cli: $name (exit $rc, wanted $want)"
		sed 's/^/# /' "$tmp/err" | head -n 5
		fails=$((fails + 1))
	elif [ -n "$re" ] && { [ "$lines" -ne 1 ] || ! grep -qE "$re" "$tmp/err"; }; then
		echo "not ok - cli: $name (stderr not one line matching /$re/)"
		sed 's/^/# /' "$tmp/err" | head -n 5
		fails=$((fails + 1))
	elif grep -qE 'runtime error|Sanitizer' "$tmp/err"; then
		echo "not ok - cli: $name (sanitizer report)"
		fails=$((fails + 1))
	else
		echo "ok - cli: $name"
	fi
}

expect "version" 0 "" -- --version
grep -qE '^vnetdiag [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out" && echo "ok - cli: version format" ||
	{ echo "not ok - cli: version format"; fails=$((fails + 1)); }
expect "help" 0 "" -- --help
for c in check collect analyze explain list-checks; do
	expect "$c --help" 0 "" -- "$c" --help
	grep -q "usage: vnetdiag $c" "$tmp/out" && echo "ok - cli: $c --help shows usage" ||
		{ echo "not ok - cli: $c --help shows usage"; fails=$((fails + 1)); }
done
expect "unknown command" 3 "unknown command 'frobnicate'" -- frobnicate
expect "unknown option" 3 "unknown option '--bogus'" -- check --bogus
expect "missing option value" 3 "needs a value" -- check --sysroot
expect "bad timeout" 3 "invalid --timeout '0'" -- check --timeout 0
expect "absurd timeout" 3 "invalid --timeout '99999999999999999999'" -- check --timeout 99999999999999999999
expect "bad target port" 3 "invalid --target '10.0.0.1:70000'" -- check --target 10.0.0.1:70000
expect "empty target" 3 "invalid --target ':80'" -- check --target :80
expect "bad color" 3 "invalid --color 'pink'" -- check --color=pink
expect "sysroot missing" 3 "cannot use --sysroot /nonexistent/x: No such file" -- check --sysroot /nonexistent/x
touch "$tmp/file"
expect "sysroot not a dir" 3 "not a directory" -- check --sysroot "$tmp/file"
expect "vmx unreadable" 3 "cannot read --vmx /nonexistent.vmx" -- check --vmx /nonexistent.vmx
printf 'not a vmx\0\1\2' >"$tmp/bad.vmx"
expect "vmx not a vmx" 3 "check: /.*bad.vmx: " -- check --passive --vmx "$tmp/bad.vmx"
expect "vmware-dir missing" 3 "cannot use --vmware-dir /nonexistent/vm: No such file" -- check --vmware-dir /nonexistent/vm
expect "vmware-dir not a dir" 3 "cannot use --vmware-dir .*: not a directory" -- check --vmware-dir "$tmp/file"
expect "vm name empty" 3 "invalid --vm ''" -- check --vm ''
expect "adapter name too long" 3 "invalid --adapter" -- check --adapter "$(printf 'x%.0s' {1..80})"
expect "bad dns name" 3 "invalid --dns-name 'a..b'" -- check --dns-name a..b
expect "stray argument" 3 "unexpected argument 'foo'" -- check foo
expect "collect without -o" 3 "missing -o FILE" -- collect
expect "collect to missing dir" 3 "cannot write /nonexistent/dir/s.json" -- collect -o /nonexistent/dir/s.json
expect "analyze missing file" 3 "cannot read /nonexistent.json: No such file" -- analyze /nonexistent.json
expect "analyze no file" 3 "missing snapshot FILE" -- analyze
expect "analyze directory" 3 "is a directory" -- analyze "$tmp"
printf 'not json at all' >"$tmp/garbage.json"
expect "analyze garbage" 3 "garbage.json: not JSON" -- analyze "$tmp/garbage.json"
printf '{"schema":"vnetdiag.snapshot/2"}' >"$tmp/newer.json"
expect "analyze newer schema" 3 "newer than this vnetdiag" -- analyze "$tmp/newer.json"
printf '{"schema":"something-else/1"}' >"$tmp/other.json"
expect "analyze unknown schema" 3 "unknown schema" -- analyze "$tmp/other.json"
printf '{"hello":1}' >"$tmp/noschema.json"
expect "analyze no schema" 3 "not a vnetdiag snapshot" -- analyze "$tmp/noschema.json"
: >"$tmp/empty.json"
expect "analyze empty file" 3 "empty.json: " -- analyze "$tmp/empty.json"
expect "probe without kind" 3 "" -- probe
expect "probe unknown kind" 3 "unknown kind 'nope'" -- probe nope
expect "probe ping bad count" 3 "invalid --count '0'" -- probe ping --count 0 127.0.0.1
expect "probe ping unknown option" 3 "unknown option '--bogus'" -- probe ping --bogus 127.0.0.1
expect "probe ping no target" 3 "missing TARGET" -- probe ping
expect "probe ping name target" 3 "invalid TARGET 'localhost'" -- probe ping localhost
expect "probe tcp port 0" 3 "0 is not a port" -- probe tcp -p 0 127.0.0.1
expect "probe tcp backwards range" 3 "goes backwards" -- probe tcp -p 90-80 127.0.0.1
expect "probe tcp timeout value" 3 "option '--timeout' needs a value" -- probe tcp --timeout
expect "probe mtu tiny max" 3 "invalid --max '10'" -- probe mtu --max 10 127.0.0.1
expect "probe trace ttl 0" 3 "invalid --max-ttl '0'" -- probe trace --max-ttl 0 127.0.0.1
expect "probe dns bad server" 3 "invalid server 'nope'" -- probe dns -s nope example.lab
expect "probe dhcp no iface" 3 "missing IFACE" -- probe dhcp
expect "probe arp no iface" 3 "missing -I IFACE" -- probe arp 10.0.0.1
for k in ping arp tcp dns dhcp mtu trace; do
	expect "probe $k --help" 0 "" -- probe "$k" --help
done
# Loopback only: a closed port on this machine, and ping.
expect "probe tcp closed port (loopback)" 2 "" -- probe tcp -p 9 127.0.0.1
expect "probe ping loopback" 0 "" -- probe ping -c 2 -i 10 127.0.0.1
"$VNETDIAG" probe tcp -p 9 127.0.0.1 --json >"$tmp/pt.json" 2>/dev/null
jq -e '.schema == "vnetdiag.report/1" and .status == "critical" and .root_cause.code == "L4.port-closed" and (.probes.tcp | length) == 1' "$tmp/pt.json" >/dev/null &&
	echo "ok - cli: probe tcp --json carries its finding" ||
	{ echo "not ok - cli: probe tcp --json"; fails=$((fails + 1)); }
expect "explain unknown" 3 "unknown finding code 'L9.nope'" -- explain L9.nope
expect "explain missing" 3 "missing CODE" -- explain

# Every catalog code can be explained, and list-checks names them all.
codes=$(grep -oE '^\| (L1|L2|L3|L4|L7|HOST)\.[a-z0-9-]+' tests/fixtures/findings.md 2>/dev/null | cut -c3-)
if [ -z "$codes" ]; then
	echo "not ok - cli: tests/fixtures/findings.md lists codes"
	fails=$((fails + 1))
fi
"$VNETDIAG" list-checks >"$tmp/list" 2>&1
missing=""
for c in $codes; do
	grep -q "^$c " "$tmp/list" || missing="$missing $c"
	"$VNETDIAG" explain "$c" >"$tmp/ex" 2>&1 && grep -q "Fix on Linux" "$tmp/ex" ||
		missing="$missing explain:$c"
done
[ -z "$missing" ] && echo "ok - cli: list-checks and explain cover all $(echo "$codes" | wc -l) codes" ||
	{ echo "not ok - cli: missing:$missing"; fails=$((fails + 1)); }
"$VNETDIAG" list-checks --json | jq -e 'length > 40 and all(.[]; has("code") and has("implemented"))' >/dev/null &&
	echo "ok - cli: list-checks --json" || { echo "not ok - cli: list-checks --json"; fails=$((fails + 1)); }

# collect writes atomically: a failure leaves no file and no temp file.
expect "collect to stdout" 0 "" -- collect -o -
jq -e '.schema == "vnetdiag.snapshot/1"' "$tmp/out" >/dev/null && echo "ok - cli: collect -o - is a snapshot" ||
	{ echo "not ok - cli: collect -o - is a snapshot"; fails=$((fails + 1)); }
chmod 555 "$tmp" 2>/dev/null
if [ "$(id -u)" -ne 0 ]; then
	expect "collect to read-only dir" 3 "cannot write" -- collect -o "$tmp/ro.json"
fi
chmod 755 "$tmp"
ls "$tmp" | grep -q tmp && { echo "not ok - cli: temp file left behind"; fails=$((fails + 1)); } ||
	echo "ok - cli: no temp file left behind"

# A device is written in place, never replaced by a renamed file.
if [ -c /dev/null ] && [ -w /dev/null ]; then
	"$VNETDIAG" collect -o /dev/null 2>/dev/null
	[ -c /dev/null ] && echo "ok - cli: collect -o /dev/null keeps the device" ||
		{ echo "not ok - cli: collect -o /dev/null replaced the device"; fails=$((fails + 1)); }
fi

# check --passive --json prints one JSON document per cli.md and nothing else.
"$VNETDIAG" check --passive --json >"$tmp/report.json" 2>"$tmp/err"
rc=$?
if [ "$rc" -le 2 ] && jq -e '.schema == "vnetdiag.report/1" and (.status | IN("ok","warning","critical")) and (.findings | type == "array") and has("root_cause")' "$tmp/report.json" >/dev/null; then
	echo "ok - cli: check --passive --json (status $(jq -r .status "$tmp/report.json"), exit $rc)"
else
	echo "not ok - cli: check --passive --json (exit $rc)"
	fails=$((fails + 1))
fi
# The exit status follows the status.
st=$(jq -r .status "$tmp/report.json" 2>/dev/null)
case "$st:$rc" in ok:0 | warning:1 | critical:2) echo "ok - cli: exit status matches status" ;;
*) echo "not ok - cli: exit status $rc for status $st"; fails=$((fails + 1)) ;; esac
# Default command is check.
"$VNETDIAG" --passive --json >"$tmp/default.json" 2>/dev/null
jq -e '.schema == "vnetdiag.report/1"' "$tmp/default.json" >/dev/null && echo "ok - cli: check is the default command" ||
	{ echo "not ok - cli: check is the default command"; fails=$((fails + 1)); }
# Text report: no colour when not a tty, summary line last.
"$VNETDIAG" check --passive >"$tmp/report.txt" 2>/dev/null
if ! grep -q $'\033' "$tmp/report.txt" && tail -n 1 "$tmp/report.txt" | grep -qE '^(ok|warning|critical): [0-9]+ critical'; then
	echo "ok - cli: text report without colour, summary last"
else
	echo "not ok - cli: text report"
	fails=$((fails + 1))
fi
# collect then analyze here gives the findings check gives.
"$VNETDIAG" collect -o "$tmp/snap.json" && "$VNETDIAG" analyze "$tmp/snap.json" --json >"$tmp/an.json" 2>/dev/null
a=$(jq -c '[.findings[] | {code, subject, severity}], .root_cause.code' "$tmp/an.json" 2>/dev/null)
b=$(jq -c '[.findings[] | {code, subject, severity}], .root_cause.code' "$tmp/report.json" 2>/dev/null)
[ -n "$a" ] && [ "$a" = "$b" ] && echo "ok - cli: collect then analyze = check" ||
	{ echo "not ok - cli: collect then analyze differs from check"; echo "# $a"; echo "# $b"; fails=$((fails + 1)); }
"$VNETDIAG" analyze - --json <"$tmp/snap.json" >/dev/null 2>&1
[ $? -le 2 ] && echo "ok - cli: analyze reads stdin" || { echo "not ok - cli: analyze reads stdin"; fails=$((fails + 1)); }

# VMware's files: a Windows ProgramData\VMware folder (--vmware-dir) and a
# .vmx (--vmx) are read into the snapshot.
fx=tests/fixtures/vmware
mkdir -p "$tmp/pd"
cp "$fx/windows-vmnetdhcp.conf" "$tmp/pd/vmnetdhcp.conf"
printf '[host]\r\nip = 192.168.193.2/24\r\ndevice = VMnet8\r\n[incomingtcp]\r\n8888 = 192.168.193.128:80\r\n' >"$tmp/pd/vmnetnat.conf"
if "$VNETDIAG" collect -o "$tmp/win.json" --vmware-dir "$tmp/pd" --vmx "$fx/vmx-fusion-in-the-wild-1.vmx" 2>"$tmp/err" &&
	jq -e '.vmware | (.dhcp_subnets | map(.vnet)) == [1, 8] and
		(.nats | length == 1 and .[0].vnet == 8 and .[0].ip == "192.168.193.2") and
		(.portfwds | length == 1 and .[0].host_port == 8888) and
		(.vms | length == 1 and (.[0].nics | length) == 2)' "$tmp/win.json" >/dev/null; then
	echo "ok - cli: collect --vmware-dir and --vmx read Windows files and a .vmx"
else
	echo "not ok - cli: collect --vmware-dir and --vmx"
	sed 's/^/# /' "$tmp/err" | head -3
	fails=$((fails + 1))
fi

# A VMware file that is there but unusable is named, not taken for absent.
mkdir -p "$tmp/sr/etc/vmware/vmnet8/dhcpd"
printf 'answer VNET_8_DHCP yes\n' >"$tmp/sr/etc/vmware/networking"
printf 'subnet\001\002\n' >"$tmp/sr/etc/vmware/vmnet8/dhcpd/dhcpd.conf"
if "$VNETDIAG" check --passive --sysroot "$tmp/sr" 2>/dev/null |
	grep -q '^skipped /etc/vmware/vmnet8/dhcpd/dhcpd.conf: not a dhcpd.conf: binary data at line 1$'; then
	echo "ok - cli: an unusable VMware file is reported as skipped, with the reason"
else
	echo "not ok - cli: an unusable VMware file is reported as skipped, with the reason"
	fails=$((fails + 1))
fi

# A silent target that the leases give to a VM: the evidence names the VM.
if "$VNETDIAG" analyze tests/golden/fixtures/target-arp-unanswered.json --json \
	--target 192.168.159.128:80 2>/dev/null | jq -e '[.findings[] |
	select(.code == "L2.arp-unanswered") | .evidence[]] |
	any(test("is leased to 00:0c:29:aa:bb:01")) and
	any(test("that is VM web, ethernet0: no vmware-vmx runs it"))' >/dev/null; then
	echo "ok - cli: an unanswered ARP names the VM the leases give the address to"
else
	echo "not ok - cli: an unanswered ARP names the VM the leases give the address to"
	fails=$((fails + 1))
fi

[ "$fails" -eq 0 ]
