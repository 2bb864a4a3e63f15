#!/bin/sh
# Install the Debian packages vnetdiag needs to build and test, when missing.
# Run as root on Debian 12; as another user it only reports what is missing.
set -eu

BUILD="meson ninja-build pkg-config gcc clang clang-format libclang-rt-14-dev
libnl-3-dev libnl-route-3-dev libjansson-dev libcmocka-dev libc-ares-dev
libcap-ng-dev libssl-dev libpcap-dev libsystemd-dev libnftables-dev"
# What the tests start for real: namespaces, DHCP/DNS servers, capture, jq.
TEST="iproute2 dnsmasq-base busybox tcpdump jq procps nftables dbus"

want="$BUILD"
[ "${1:-}" = "--test" ] && want="$BUILD $TEST"

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "vnetdiag: missing Debian packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
	exit 1
fi
echo "vnetdiag: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are absent or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
	apt-get update -qq >&2
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
