#!/usr/bin/env bash
# Every rule has a test that fails without it: for each entry of the rule
# registry, build vnetdiag without that entry and require that the golden
# suite and the lab (when it can run) report failures.
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
for code in $(grep -oE '\{ "[A-Z0-9]+\.[a-z-]+", rule_' src/rules/registry.c | cut -d'"' -f2); do
	cp src/rules/registry.c "$work/src/rules/registry.c"
	sed -i "/{ \"$code\", rule_/d" "$work/src/rules/registry.c"
	if ! ninja -C "$work/b" vnetdiag >/dev/null 2>&1; then
		echo "not ok - mutation: build without $code"
		fails=$((fails + 1))
		continue
	fi
	g=$(VNETDIAG="$work/b/vnetdiag" tests/golden/run.sh 2>/dev/null | grep -c '^not ok')
	l=0
	[ "$lab" -eq 1 ] && l=$(VNETDIAG="$work/b/vnetdiag" tests/lab/run.sh 2>/dev/null | grep -c '^not ok')
	if [ "$g" -gt 0 ] && { [ "$lab" -eq 0 ] || [ "$l" -gt 0 ]; }; then
		echo "ok - mutation: without $code, $g golden and $l lab tests fail"
	else
		echo "not ok - mutation: without $code, $g golden and $l lab tests fail"
		fails=$((fails + 1))
	fi
done
[ "$fails" -eq 0 ]
