#!/usr/bin/env bash
# Record tests/golden/base.json: a snapshot of a healthy VMware-NAT-like
# host, built in a throwaway network namespace.  Run by hand as root when
# the snapshot schema grows; then run mkfixtures.sh.  Sends no packets.
set -eu
cd "$(dirname "$0")/../.."
VNETDIAG=${VNETDIAG:-build/vnetdiag}
ns=vdgold$$
root=$(mktemp -d)
cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$root"
}
trap cleanup EXIT INT TERM

ip netns add "$ns"
n() { ip netns exec "$ns" "$@"; }
n ip link set lo up
# Uplink with a default route, as a real host has.
n ip link add eth0 type veth peer name uplink-peer
n ip addr add 10.0.2.15/24 dev eth0
n ip link set eth0 up
n ip link set uplink-peer up
n ip route add default via 10.0.2.2 dev eth0 metric 100
# vmnet8: the NAT network's switch doubling as the host adapter.
n ip link add vmnet8 type bridge
n ip addr add 192.168.159.1/24 dev vmnet8
for vm in 1 2; do
	n ip link add "vm${vm}p" type veth peer name "vm${vm}e"
	n ip link set "vm${vm}p" master vmnet8 up
	n ip link set "vm${vm}e" up
done
n ip link set vmnet8 up
# vmnet1: host-only adapter (this kernel may lack the dummy driver: a veth
# whose peer stays in the namespace has carrier too).
n ip link add vmnet1 type veth peer name sw1
n ip link set sw1 up
n ip addr add 172.16.78.1/24 dev vmnet1
n ip link set vmnet1 up
n ip neigh add 192.168.159.128 lladdr 00:0c:29:aa:bb:01 dev vmnet8 nud reachable

mkdir -p "$root/etc/vmware" "$root/etc/sysctl.d" "$root/proc"
cat >"$root/etc/vmware/networking" <<'NET'
VERSION=1,0
answer VNET_1_DHCP yes
answer VNET_1_HOSTONLY_NETMASK 255.255.255.0
answer VNET_1_HOSTONLY_SUBNET 172.16.78.0
answer VNET_1_VIRTUAL_ADAPTER yes
answer VNET_8_DHCP yes
answer VNET_8_HOSTONLY_NETMASK 255.255.255.0
answer VNET_8_HOSTONLY_SUBNET 192.168.159.0
answer VNET_8_NAT yes
answer VNET_8_VIRTUAL_ADAPTER yes
NET
printf 'nameserver 10.0.2.3\nsearch lab.example\n' >"$root/etc/resolv.conf"
printf 'net.ipv4.ip_forward = 1\n' >"$root/etc/sysctl.conf"
printf 'net.ipv4.tcp_timestamps = 1\n' >"$root/etc/sysctl.d/10-tcp.conf"
printf 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' >"$root/etc/os-release"
printf 'vmnet 73728 13 - Live 0x0000000000000000 (OE)\nvmmon 143360 0 - Live 0x0000000000000000 (OE)\n' >"$root/proc/modules"
# The rest of VMware's files, consistent with the networks above.
kver=$(uname -r)
mkdir -p "$root/etc/vmware/vmnet8/nat" "$root/etc/vmware/vmnet8/dhcpd" \
	"$root/etc/vmware/vmnet1/dhcpd" "$root/lib/modules/$kver/misc" \
	"$root/home/ann/vmware/web" "$root/home/ann/vmware/db"
: >"$root/lib/modules/$kver/misc/vmmon.ko"
: >"$root/lib/modules/$kver/misc/vmnet.ko"
printf 'product.version = "17.6.1"\n' >"$root/etc/vmware/config"
cat >"$root/etc/vmware/vmnet8/nat/nat.conf" <<'NAT'
[host]
ip = 192.168.159.2
netmask = 255.255.255.0
device = /dev/vmnet8
[incomingtcp]
8080 = 192.168.159.128:80
[incomingudp]
NAT
dhcpd() { # N NET ROUTER-LINE DNS
	cat >"$root/etc/vmware/vmnet$1/dhcpd/dhcpd.conf" <<DHCP
allow unknown-clients;
default-lease-time 1800;
max-lease-time 7200;
subnet $2.0 netmask 255.255.255.0 {
	range $2.128 $2.254;
	option broadcast-address $2.255;
	option domain-name-servers $4;
	option domain-name localdomain;
	$3
}
host vmnet$1 {
	hardware ethernet 00:50:56:C0:00:0$1;
	fixed-address $2.1;
}
DHCP
}
dhcpd 8 192.168.159 'option routers 192.168.159.2;' 192.168.159.2
dhcpd 1 172.16.78 '' 172.16.78.1
cat >"$root/etc/vmware/vmnet8/dhcpd/dhcpd.leases" <<'LEASES'
lease 192.168.159.128 {
	starts 4 2026/01/01 00:00:00;
	ends 4 2026/01/01 00:30:00;
	hardware ethernet 00:0c:29:aa:bb:01;
	client-hostname "web";
}
LEASES
vmx() { # NAME MAC
	cat >"$root/home/ann/vmware/$1/$1.vmx" <<VMX
.encoding = "UTF-8"
displayName = "$1"
guestOS = "debian12-64"
ethernet0.present = "TRUE"
ethernet0.connectionType = "nat"
ethernet0.virtualDev = "vmxnet3"
ethernet0.addressType = "generated"
ethernet0.generatedAddress = "$2"
VMX
	printf '2026-01-01T00:00:00.000Z In(05) vmx - Ethernet0 MAC Address: %s\n' \
		"$2" >"$root/home/ann/vmware/$1/vmware.log"
}
vmx web 00:0c:29:aa:bb:01
vmx db 00:0c:29:aa:bb:02
# VMware's daemons as a real host shows them (name, command line).
bin=$root/bin
mkdir -p "$bin"
for d in vmnet-dhcpd vmnet-natd; do
	printf '#!/bin/sh\nsleep 30\n' >"$bin/$d"
	chmod 755 "$bin/$d"
done
"$bin/vmnet-dhcpd" -s 6 -cf /etc/vmware/vmnet8/dhcpd/dhcpd.conf &
daemons=$!
"$bin/vmnet-dhcpd" -s 6 -cf /etc/vmware/vmnet1/dhcpd/dhcpd.conf &
daemons="$daemons $!"
"$bin/vmnet-natd" -s 6 -m /etc/vmware/vmnet8/nat.mac -c /etc/vmware/vmnet8/nat/nat.conf &
daemons="$daemons $!"
sleep 1 # let the bridge's operstate settle
n "$VNETDIAG" collect --sysroot "$root" -o - |
	jq --arg r "$root" --arg k "$kver" '.sysroot = "/sysroot" | walk(if type == "string" then sub($r; "/sysroot") else . end) |
	    .host.hostname = "golden" | .collected_at = "2026-01-01T00:10:00Z" | .host.kernel = "6.1.0-golden" |
	    .vmware.module_files |= map(.kernel = "6.1.0-golden") |
	    .processes |= ([.[] | select(.comm | startswith("vmnet-")) |
	        .cmdline |= sub("^/bin/sh /sysroot/bin/"; "/usr/bin/")] | sort_by(.cmdline) |
	        to_entries | map(.value.pid = 1001 + .key | .value))' >tests/golden/base.json
# shellcheck disable=SC2086 # a list of pids
kill $daemons 2>/dev/null
echo "wrote tests/golden/base.json"
