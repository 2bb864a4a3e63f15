#!/usr/bin/env bash
# The D-Bus round trip: a private dbus-daemon, a stand-in for systemd and
# NetworkManager on it (fake_services, built with the unit tests), and
# vnetdiag collect reading units and devices over sd-bus from it
# (DBUS_SYSTEM_BUS_ADDRESS names the private bus); then analyze finds
# HOST.networkmanager-managed for an adapter the stand-in manages.
set -u
cd "$(dirname "$0")/../.."
VNETDIAG=${VNETDIAG:-build/vnetdiag}
FAKE=${FAKE:-$(dirname "$VNETDIAG")/tests/unit/fake_services}
if ! command -v dbus-daemon >/dev/null; then
	echo "ok - dbus: round trip # SKIP dbus-daemon is not installed (apt-get install dbus)"
	exit 0
fi
if [ ! -x "$FAKE" ]; then
	echo "not ok - dbus: $FAKE is not built"
	exit 1
fi
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
cat >"$tmp/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$tmp/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
CONF
dbus-daemon --config-file="$tmp/bus.conf" --nofork --nopidfile \
	--print-address=1 >"$tmp/address" 2>"$tmp/daemon.err" &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/address" ] && break; sleep 0.1; done
if [ ! -s "$tmp/address" ]; then
	echo "not ok - dbus: dbus-daemon did not start: $(head -n 3 "$tmp/daemon.err")"
	exit 1
fi
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/bus
"$FAKE" >"$tmp/fake.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$tmp/fake.out" && break; sleep 0.1; done
if ! grep -q ready "$tmp/fake.out"; then
	echo "not ok - dbus: fake_services did not start: $(head -n 3 "$tmp/fake.out")"
	exit 1
fi
fails=0
check() { # name, jq expression that must be true on the snapshot
	if jq -e "$2" "$tmp/snap.json" >/dev/null 2>&1; then
		echo "ok - dbus: $1"
	else
		echo "not ok - dbus: $1"
		echo "# $(jq -c .services "$tmp/snap.json" 2>&1 | head -c 600)"
		fails=$((fails + 1))
	fi
}
if ! "$VNETDIAG" collect -o "$tmp/snap.json" 2>"$tmp/collect.err"; then
	echo "not ok - dbus: collect failed: $(head -n 3 "$tmp/collect.err")"
	exit 1
fi
check "vmware-networks.service failed, from systemd" \
	'.services.units[] | select(.name == "vmware-networks.service") | .active == "failed" and .sub == "failed" and .file_state == "enabled" and .from == "dbus"'
check "NetworkManager.service active (running)" \
	'.services.units[] | select(.name == "NetworkManager.service") | .active == "active" and .sub == "running" and .load == "loaded"'
check "a unit systemd does not know: not-found (LoadUnit)" \
	'.services.units[] | select(.name == "firewalld.service") | .load == "not-found" and .from == "dbus"'
check "every unit of interest is asked" '[.services.units[].name] | length == 7'
check "NetworkManager running, its version" \
	'.services.networkmanager | .from == "dbus" and .running == true and .version == "1.42.4-fake"'
check "NetworkManager's devices, managed and state" \
	'[.services.networkmanager.devices[] | "\(.ifname) \(.managed) \(.state)"] == ["lo true 100", "vmnet8 true 100", "virbr0 false 10"]'
# The rule over what came from the bus: lo stands in for an adapter.
if "$VNETDIAG" analyze "$tmp/snap.json" --adapter lo --json >"$tmp/report.json" 2>"$tmp/analyze.err" ||
	[ -s "$tmp/report.json" ]; then
	if jq -e '[.findings[] | select(.code == "HOST.networkmanager-managed" and .subject == "lo")] | length == 1' \
		"$tmp/report.json" >/dev/null 2>&1 &&
		jq -e '.services.networkmanager.running == true' "$tmp/report.json" >/dev/null 2>&1; then
		echo "ok - dbus: HOST.networkmanager-managed for a device NetworkManager manages"
	else
		echo "not ok - dbus: no HOST.networkmanager-managed for lo"
		fails=$((fails + 1))
	fi
else
	echo "not ok - dbus: analyze failed: $(head -n 3 "$tmp/analyze.err")"
	fails=$((fails + 1))
fi
# The text report shows the units and the devices.
"$VNETDIAG" analyze "$tmp/snap.json" >"$tmp/report.txt" 2>&1
if grep -q '^services: vmware.service active (exited), enabled; vmware-networks.service failed (failed), enabled' "$tmp/report.txt" &&
	grep -q '^NetworkManager 1.42.4-fake: lo activated, vmnet8 activated, virbr0 unmanaged' "$tmp/report.txt"; then
	echo "ok - dbus: the report's head shows units and devices"
else
	echo "not ok - dbus: the report's head"
	head -n 6 "$tmp/report.txt" | sed 's/^/# /'
	fails=$((fails + 1))
fi
# Without the bus: unknown, never an error.
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$tmp/nothing-here
if "$VNETDIAG" collect -o "$tmp/snap.json" 2>"$tmp/collect.err"; then
	check "no bus: units from files, no error" \
		'.services.units | length == 7 and all(.from == "files")'
else
	echo "not ok - dbus: collect without a bus failed: $(head -n 3 "$tmp/collect.err")"
	fails=$((fails + 1))
fi
[ "$fails" -eq 0 ]
