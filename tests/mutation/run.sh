#!/usr/bin/env bash
# Every rule has a test that fails without it: for each entry of the rule
# registry, build vnetdiag without that entry and require that the golden
# suite and the lab scenarios whose root cause is that code (when the lab
# can run) report failures.
set -u
cd "$(dirname "$0")/../.."
work=$PWD/build-tests/mutation
rm -rf "$work"
mkdir -p "$work"
cp -r src meson.build meson_options.txt docs "$work/"
mkdir -p "$work/bench" && cp bench/meson.build bench/*.c "$work/bench/"
# The traffic detectors are static functions: one without its registry
# entry is unused, which must not stop the build.
(cd "$work" && meson setup b -Dtests=false \
	-Dc_args=-Wno-error=unused-function >/dev/null) || {
	echo "not ok - mutation: setup"
	exit 1
}
lab=1
if [ "$(id -u)" -ne 0 ] || ! ip netns list >/dev/null 2>&1; then
	lab=0
fi
fails=0
# The entries { "CODE", PREFIXname } of a registry FILE, "CODE name" a line.
entries() { # entries FILE PREFIX
	grep -oE "\\{ \"[A-Z0-9]+\\.[a-z-]+\", $2[a-z0-9_]+ \\}" "$1" |
		sed -E 's/\{ "([^"]+)", ([a-z0-9_]+) \}/\1 \2/'
}
# Build vnetdiag from FILE without the entry of CODE and FN; 1 (and a
# failure counted) when it does not build.
build_without() { # build_without FILE CODE FN
	cp "$1" "$work/$1"
	sed -i "/{ \"$2\", $3 }/d" "$work/$1"
	ninja -C "$work/b" vnetdiag >/dev/null 2>&1 && return 0
	echo "not ok - mutation: build without $2 ($3)"
	fails=$((fails + 1))
	return 1
}
# verdict STATUS MESSAGE: "ok - mutation: MESSAGE" when STATUS is 0, else
# "not ok", counted.
verdict() {
	if [ "$1" -eq 0 ]; then
		echo "ok - mutation: $2"
	else
		echo "not ok - mutation: $2"
		fails=$((fails + 1))
	fi
}
# One registry entry at a time: { "CODE", rule_function }.
while read -r code fn; do
	build_without src/rules/registry.c "$code" "$fn" || continue
	g=$(VNETDIAG="$work/b/vnetdiag" tests/golden/run.sh 2>/dev/null | grep -c '^not ok')
	l=0
	# The lab scenarios whose root cause is this code must catch it.
	if [ "$lab" -eq 1 ]; then
		# An info finding is never a root cause: its scenario asserts it.
		case $code in
		HOST.nic-model-legacy) only=vmw-nic-e1000 ;;
		*) only="" ;;
		esac
		if [ -n "$only" ]; then
			out=$(LAB_ONLY=$only VNETDIAG="$work/b/vnetdiag" tests/lab/run.sh 2>/dev/null)
		else
			out=$(LAB_ROOT=$code VNETDIAG="$work/b/vnetdiag" tests/lab/run.sh 2>/dev/null)
		fi
		if printf '%s\n' "$out" | grep -q 'no scenario has root cause'; then
			echo "not ok - mutation: no lab scenario has root cause $code"
			fails=$((fails + 1))
			continue
		fi
		l=$(printf '%s\n' "$out" | grep -c '^not ok')
	fi
	[ "$g" -gt 0 ] && { [ "$lab" -eq 0 ] || [ "$l" -gt 0 ]; }
	verdict $? "without $fn ($code), $g golden and $l lab tests fail"
done < <(entries src/rules/registry.c rule_)
# And every traffic detector: without its entry { "CODE", tr_name }, in
# src/traffic/rules.c, the capture suite (tests/pcap, without its live test)
# must report failures.
cp src/rules/registry.c "$work/src/rules/registry.c"
if [ -f src/traffic/rules.c ] && [ -x tests/pcap/run.sh ]; then
	n=0
	while read -r code fn; do
		n=$((n + 1))
		build_without src/traffic/rules.c "$code" "$fn" || continue
		p=$(PCAP_LIVE=0 VNETDIAG="$work/b/vnetdiag" tests/pcap/run.sh 2>/dev/null | grep -c '^not ok')
		[ "$p" -gt 0 ]
		verdict $? "without $fn ($code), $p pcap tests fail"
	done < <(entries src/traffic/rules.c tr_)
	cp src/traffic/rules.c "$work/src/traffic/rules.c"
	if [ "$n" -eq 0 ]; then
		echo "not ok - mutation: no { \"CODE\", tr_name } entry in src/traffic/rules.c"
		fails=$((fails + 1))
	fi
else
	echo "ok - mutation: traffic detectors # SKIP src/traffic/rules.c or tests/pcap/run.sh does not exist yet"
fi
# And every probe: with its start function returning "not supported" at
# once, the lab scenarios that rely on it must fail.
restore_probes() { cp src/probe/*.c "$work/src/probe/"; }
while read -r file fn scenarios; do
	[ "$lab" -eq 1 ] || break
	restore_probes
	cp src/rules/registry.c "$work/src/rules/registry.c"
	awk -v fn="$fn" '
		$0 ~ "^int " fn "\\(" { inside = 1 }
		inside && /^\{/ { print; print "\treturn -EOPNOTSUPP;"; inside = 0; next }
		{ print }' "src/probe/$file" >"$work/src/probe/$file"
	if ! grep -q 'return -EOPNOTSUPP;' "$work/src/probe/$file" ||
		! ninja -C "$work/b" vnetdiag >/dev/null 2>&1; then
		echo "not ok - mutation: build without $fn"
		fails=$((fails + 1))
		continue
	fi
	l=$(LAB_ONLY=$scenarios VNETDIAG="$work/b/vnetdiag" tests/lab/run.sh 2>/dev/null | grep -c '^not ok')
	if [ "$l" -gt 0 ]; then
		echo "ok - mutation: without the $fn probe, $l lab tests fail ($scenarios)"
	else
		echo "not ok - mutation: without the $fn probe, no lab test fails ($scenarios)"
		fails=$((fails + 1))
	fi
done <<'EOF'
arp.c vd_probe_arp_start unanswered-arp,duplicate-ip
icmp.c vd_probe_ping_start target-unreachable
tcp.c vd_probe_tcp_start port-closed,port-filtered
mtu.c vd_probe_mtu_start mtu-black-hole
dhcp.c vd_probe_dhcp_start dhcp-silent,dhcp-second-server
dns.c vd_probe_dns_start dns-blocked
route_get.c vd_route_get no-route
EOF
restore_probes
[ "$fails" -eq 0 ]
