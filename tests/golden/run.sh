#!/usr/bin/env bash
# Replay tests/golden/TESTLIST: each row runs analyze on a fixture and
# compares status, root cause and the set of warning/critical codes.
set -u
cd "$(dirname "$0")"
VNETDIAG=${VNETDIAG:-../../build/vnetdiag}
fails=0
while read -r fixture status root codes opts; do
	case "$fixture" in '' | '#'*) continue ;; esac
	name="golden: $fixture${opts:+ $opts}"
	# shellcheck disable=SC2086
	out=$("$VNETDIAG" analyze "fixtures/$fixture.json" --json $opts 2>&1)
	rc=$?
	got=$(printf '%s' "$out" | jq -r '[.status, (.root_cause.code // "-"),
		([.findings[] | .code] | unique | join(",") | if . == "" then "-" else . end)] | join(" ")' 2>/dev/null)
	want="$status $root $codes"
	case "$status" in ok) wrc=0 ;; warning) wrc=1 ;; critical) wrc=2 ;; *) wrc=3 ;; esac
	if [ "$got" = "$want" ] && [ "$rc" -eq "$wrc" ]; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		echo "# want: $want (exit $wrc)"
		echo "# got:  ${got:-$(printf '%s' "$out" | head -n 2)} (exit $rc)"
		fails=$((fails + 1))
	fi
done <TESTLIST
[ "$fails" -eq 0 ]
