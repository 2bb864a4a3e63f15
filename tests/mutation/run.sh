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
(cd "$work" && meson setup b -Dtests=false >/dev/null) || {
	echo "not ok - mutation: setup"
	exit 1
}
lab=1
if [ "$(id -u)" -ne 0 ] || ! ip netns list >/dev/null 2>&1; then
	lab=0
fi
fails=0
# One registry entry at a time: { "CODE", rule_function }.
while read -r code fn; do
	cp src/rules/registry.c "$work/src/rules/registry.c"
	sed -i "/{ \"$code\", $fn }/d" "$work/src/rules/registry.c"
	if ! ninja -C "$work/b" vnetdiag >/dev/null 2>&1; then
		echo "not ok - mutation: build without $code ($fn)"
		fails=$((fails + 1))
		continue
	fi
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
	if [ "$g" -gt 0 ] && { [ "$lab" -eq 0 ] || [ "$l" -gt 0 ]; }; then
		echo "ok - mutation: without $fn ($code), $g golden and $l lab tests fail"
	else
		echo "not ok - mutation: without $fn ($code), $g golden and $l lab tests fail"
		fails=$((fails + 1))
	fi
done < <(grep -oE '\{ "[A-Z0-9]+\.[a-z-]+", rule_[a-z_]+ \}' src/rules/registry.c |
	sed -E 's/\{ "([^"]+)", (rule_[a-z_]+) \}/\1 \2/')
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
