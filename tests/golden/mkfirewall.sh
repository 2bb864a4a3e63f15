#!/bin/sh
# Regenerate the golden tests' firewall rulesets (firewall/NAME.nft ->
# firewall/NAME.json, nft -j list ruleset) with the real nft, in a
# throwaway network namespace (root).  mkfixtures.sh embeds them.
set -eu
cd "$(dirname "$0")/firewall"
ns=vdgold$$
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
for f in *.nft; do
	cleanup
	ip netns add "$ns"
	ip netns exec "$ns" nft -f "$f"
	ip netns exec "$ns" nft -j list ruleset | jq -c . >"${f%.nft}.json"
done
