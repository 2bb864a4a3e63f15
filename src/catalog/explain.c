/* SPDX-License-Identifier: MIT */
/*
 * The long text of "vnetdiag explain CODE": why a finding happens, how to
 * confirm it by hand, how to fix it on Linux and on Windows.
 *
 * Layout of every text: lines separated by "\n", no trailing newline, no
 * tabs, no line longer than 76 columns, so that "vnetdiag explain", which
 * indents by two, fits an 80-column terminal (tests/unit/test_catalog.c
 * checks this; the text keeps within 72).  Examples use one VMware NAT
 * network throughout: vmnet8 = 192.168.159.0/24, host adapter .1, NAT
 * device .2, a VM at .128, vmnet-dhcpd at .254.  Commands that change the system need root (Linux) or
 * an elevated PowerShell (Windows).
 */
#include "catalog/catalog.h"

#include <string.h>

/* clang-format off */
const struct vd_explain vd_explain_table[] = {

/* ------------------------------------------------------------------ L1 */

{ "L1.adapter-missing",
  /* why */
  "The virtual-network configuration promises a host interface that the\n"
  "kernel does not have. Every VMware network with\n"
  "VNET_<n>_VIRTUAL_ADAPTER yes in /etc/vmware/networking gets a host\n"
  "interface vmnet<n>, created by vmnet-netifup when vmware-networks\n"
  "starts; it is absent when the vmnet module is not loaded or the\n"
  "services never started. libvirt creates virbr0 only while its network\n"
  "is active, and VirtualBox creates vboxnetN only for defined host-only\n"
  "interfaces. vnetdiag compares the configured list with the kernel's\n"
  "link list (netlink).",
  /* confirm */
  "Linux:\n"
  "  ip link show vmnet8        # 'Device \"vmnet8\" does not exist.'\n"
  "  grep VIRTUAL_ADAPTER /etc/vmware/networking\n"
  "  vmware-networks --status\n"
  "  lsmod | grep -E 'vmmon|vmnet'\n"
  "  ls -l /dev/vmnet*\n"
  "  virsh net-list --all       # libvirt: is 'default' active?\n"
  "  VBoxManage list hostonlyifs\n"
  "Windows (PowerShell):\n"
  "  Get-NetAdapter -IncludeHidden -Name '*VMnet*'\n"
  "  Get-PnpDevice -Class Net -FriendlyName '*VMnet*'",
  /* fix_linux */
  "  # VMware: load the switch module and (re)start the networks\n"
  "  modprobe vmnet\n"
  "  vmware-networks --stop; vmware-networks --start\n"
  "  # or: systemctl restart vmware          (VMware installer)\n"
  "  #     systemctl restart vmware-networks (distribution packages)\n"
  "  # the adapter is not configured at all: vmware-netcfg, select the\n"
  "  # network, tick 'Connect a host virtual adapter to this network'\n"
  "  # libvirt:\n"
  "  virsh net-start default && virsh net-autostart default\n"
  "  # VirtualBox:\n"
  "  VBoxManage hostonlyif create",
  /* fix_windows */
  "  Virtual Network Editor (vmnetcfg.exe) > Change Settings > select\n"
  "  VMnet8 > tick 'Connect a host virtual adapter to this network' >\n"
  "  Apply. If the adapter still does not appear (or shows as an unknown\n"
  "  device), use Restore Defaults in the same dialog: it removes and\n"
  "  reinstalls every host adapter and resets the VMnet settings, so\n"
  "  note custom subnets and port forwards first. A broken installation\n"
  "  needs Settings > Apps > VMware Workstation > Modify > Repair." },

{ "L1.adapter-down",
  /* why */
  "The interface exists but is administratively down (no UP flag), so the\n"
  "kernel neither sends nor receives on it and removes its connected\n"
  "route. Someone ran 'ip link set vmnet8 down', NetworkManager or a\n"
  "network script took it down, or the adapter was disabled in Windows'\n"
  "Network Connections. vnetdiag reads the flags of the link over\n"
  "netlink.",
  /* confirm */
  "Linux:\n"
  "  ip -d link show vmnet8     # flags without UP, 'state DOWN'\n"
  "  ip route show dev vmnet8   # connected route gone while down\n"
  "  nmcli device status        # is NetworkManager involved?\n"
  "Windows (PowerShell):\n"
  "  Get-NetAdapter -Name '*VMnet*' |\n"
  "    Format-Table Name,Status,AdminStatus,MediaConnectionState\n"
  "  # Status 'Disabled' = administratively down",
  /* fix_linux */
  "  ip link set dev vmnet8 up\n"
  "  # re-apply the address and route VMware expects:\n"
  "  vmware-networks --stop; vmware-networks --start\n"
  "  # keep NetworkManager from taking it down again:\n"
  "  nmcli device set vmnet8 managed no\n"
  "  # libvirt bridges: virsh net-destroy default; virsh net-start default",
  /* fix_windows */
  "  Enable-NetAdapter -Name 'VMware Network Adapter VMnet8' `\n"
  "    -Confirm:$false\n"
  "  # or ncpa.cpl > right-click the VMnet adapter > Enable, or\n"
  "  # devmgmt.msc > Network adapters > Enable device.\n"
  "  # netsh equivalent:\n"
  "  netsh interface set interface \"VMware Network Adapter VMnet8\" enable" },

{ "L1.no-carrier",
  /* why */
  "The interface is up but has no carrier (NO-CARRIER, operstate DOWN or\n"
  "LOWERLAYERDOWN), so the kernel treats the link as unplugged. A Linux\n"
  "bridge such as virbr0 has carrier only while at least one port is up:\n"
  "with every VM stopped it shows NO-CARRIER. A tap or veth has carrier\n"
  "only while its peer (the VM process, the other end) is up, and a\n"
  "physical NIC needs a cable or an associated Wi-Fi link. vnetdiag reads\n"
  "the carrier and operstate of the link over netlink.",
  /* confirm */
  "Linux:\n"
  "  ip -d link show vmnet8     # 'NO-CARRIER', 'state DOWN'\n"
  "  cat /sys/class/net/vmnet8/operstate\n"
  "  bridge link show           # ports of virbr0 and their state\n"
  "  ethtool eth0 | grep 'Link detected'    # physical uplink\n"
  "Windows (PowerShell):\n"
  "  Get-NetAdapter -Name '*VMnet*' |\n"
  "    Format-Table Name,Status,MediaConnectionState\n"
  "  # Status 'Disconnected' = no carrier",
  /* fix_linux */
  "  # bridge without live ports: start a VM attached to it, or check\n"
  "  #   that the VM's tap/vnet port joined the bridge:\n"
  "  bridge link show\n"
  "  # VMware host adapter: restart the virtual networks\n"
  "  vmware-networks --stop; vmware-networks --start\n"
  "  # veth: bring the peer up (ip link set dev PEER up)\n"
  "  # physical NIC: cable, switch port, Wi-Fi association",
  /* fix_windows */
  "  Restart-NetAdapter -Name 'VMware Network Adapter VMnet8'\n"
  "  Restart-Service VMnetDHCP, 'VMware NAT Service'\n"
  "  # still 'Disconnected': Virtual Network Editor > Restore Defaults\n"
  "  # reinstalls the host adapters (note custom settings first)." },

{ "L1.module-missing",
  /* why */
  "Hypervisor networking on Linux lives in kernel modules: VMware needs\n"
  "vmmon (the monitor) and vmnet (virtual switches, /dev/vmnetN),\n"
  "VirtualBox needs vboxdrv, vboxnetflt and vboxnetadp, KVM needs kvm\n"
  "plus kvm_intel or kvm_amd. Without vmnet no vmnetN interface, NAT or\n"
  "DHCP daemon can start, and guests log 'Could not connect Ethernet0 to\n"
  "virtual network'. vnetdiag reads the loaded modules from /proc/modules\n"
  "(under --sysroot when given).",
  /* confirm */
  "Linux:\n"
  "  lsmod | grep -E 'vmmon|vmnet'\n"
  "  lsmod | grep -E '^(vboxdrv|vboxnetflt|vboxnetadp|kvm)'\n"
  "  ls -l /dev/vmmon /dev/vmnet*\n"
  "  modinfo -n vmmon vmnet     # is there a module for this kernel?\n"
  "  journalctl -k -b | grep -iE 'vmmon|vmnet|vbox'\n"
  "Windows (drivers instead of modules):\n"
  "  sc.exe query vmx86\n"
  "  sc.exe query VMnetuserif\n"
  "  sc.exe query VMnetBridge",
  /* fix_linux */
  "  modprobe -a vmmon vmnet\n"
  "  vmware-networks --start\n"
  "  # load them at boot:\n"
  "  printf 'vmmon\\nvmnet\\n' > /etc/modules-load.d/vmware.conf\n"
  "  # 'Module vmmon not found': build them for this kernel, see\n"
  "  #   vnetdiag explain L1.module-kernel-mismatch\n"
  "  # VirtualBox:\n"
  "  /sbin/vboxconfig && modprobe -a vboxnetflt vboxnetadp\n"
  "  # KVM (fails if VT-x/AMD-V is disabled in the firmware):\n"
  "  modprobe kvm_intel          # or kvm_amd",
  /* fix_windows */
  "  Windows has no loadable modules; VMware's pieces are the drivers\n"
  "  vmx86 (monitor), VMnetAdapter (host adapters), VMnetBridge (bridge\n"
  "  protocol) and VMnetuserif (used by the DHCP and NAT services).\n"
  "  If one is missing or stopped: Settings > Apps > VMware Workstation\n"
  "  > Modify > Repair, then reboot. Virtual Network Editor > Restore\n"
  "  Defaults reinstalls the network drivers only." },

{ "L1.module-kernel-mismatch",
  /* why */
  "vmmon and vmnet are out-of-tree modules compiled for one exact kernel\n"
  "and installed under /lib/modules/<version>/misc/. After a kernel\n"
  "upgrade the new tree has no copies, so nothing loads until\n"
  "vmware-modconfig rebuilds them, which needs the headers of the running\n"
  "kernel and a VMware release that supports it. With UEFI Secure Boot\n"
  "the kernel also refuses unsigned modules: modprobe reports 'Key was\n"
  "rejected by service'.",
  /* confirm */
  "Linux:\n"
  "  uname -r\n"
  "  find /lib/modules -name 'vmmon.ko*' -o -name 'vmnet.ko*'\n"
  "  modinfo -F vermagic vmmon  # must start with $(uname -r)\n"
  "  modprobe vmmon             # the real error message\n"
  "  mokutil --sb-state         # 'SecureBoot enabled'?\n"
  "  ls /lib/modules/$(uname -r)/build   # headers installed?\n"
  "Windows:\n"
  "  sc.exe query vmx86\n"
  "  Get-WinEvent -LogName System -MaxEvents 200 |\n"
  "    Where-Object Message -match 'vmx86|VMnet'",
  /* fix_linux */
  "  apt-get install linux-headers-$(uname -r)   # Debian, Ubuntu\n"
  "  dnf install kernel-devel-$(uname -r)        # Fedora, RHEL\n"
  "  vmware-modconfig --console --install-all\n"
  "  # kernel newer than the VMware release: upgrade VMware, or build\n"
  "  # github.com/mkubecek/vmware-host-modules, branch\n"
  "  # workstation-<your version>: make && make install\n"
  "  # Secure Boot: sign both modules with an enrolled key (MOK)\n"
  "  openssl req -new -x509 -newkey rsa:2048 -nodes -days 3650 \\\n"
  "    -subj '/CN=local module signing/' \\\n"
  "    -keyout MOK.priv -outform DER -out MOK.der\n"
  "  mokutil --import MOK.der   # choose a password, reboot, enroll\n"
  "  for m in vmmon vmnet; do\n"
  "    /lib/modules/$(uname -r)/build/scripts/sign-file sha256 \\\n"
  "      MOK.priv MOK.der \"$(modinfo -n $m)\"\n"
  "  done\n"
  "  modprobe -a vmmon vmnet && vmware-networks --start",
  /* fix_windows */
  "  Windows drivers are not tied to one kernel build, but a feature\n"
  "  update can remove or block them. Settings > Apps > VMware\n"
  "  Workstation > Modify > Repair, then reboot. If Windows reports the\n"
  "  driver as blocked or incompatible, install a VMware release that\n"
  "  supports this Windows build." },

/* ------------------------------------------------------------------ L2 */

{ "L2.mtu-mismatch",
  /* why */
  "A segment works only when every hop accepts the largest frame any\n"
  "sender emits. A Linux bridge takes the smallest MTU of its ports, a\n"
  "VLAN sub-interface cannot exceed its parent, and a guest at MTU 9000\n"
  "behind a host adapter at 1500 loses its large frames silently; over a\n"
  "routed path, Path MTU discovery fails when 'fragmentation needed' ICMP\n"
  "is filtered. Small packets (ARP, ping, TCP handshakes) pass, so the\n"
  "typical symptom is SSH logging in and then hanging, or HTTP stalling\n"
  "on large responses. vnetdiag compares the MTUs of the links.",
  /* confirm */
  "Linux:\n"
  "  ip -d link show vmnet8 | grep -o 'mtu [0-9]*'\n"
  "  ip link show master virbr0    # MTU of every bridge port\n"
  "  ping -M do -s 1472 -c 3 192.168.159.128   # 1472+28 = 1500\n"
  "  ping -M do -s 1400 -c 3 192.168.159.128   # smaller passes?\n"
  "  tracepath -n 192.168.159.128\n"
  "Windows (PowerShell):\n"
  "  netsh interface ipv4 show subinterfaces\n"
  "  ping -f -l 1472 192.168.159.128",
  /* fix_linux */
  "  # make every hop agree (1500 unless all of them do jumbo frames)\n"
  "  ip link set dev vmnet8 mtu 1500\n"
  "  # in a Linux guest (persist in netplan, nmcli or ifcfg):\n"
  "  ip link set dev ens33 mtu 1500\n"
  "  # tunnels/VPNs with a lower MTU: clamp TCP MSS on forwarded traffic\n"
  "  iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN \\\n"
  "    -j TCPMSS --clamp-mss-to-pmtu\n"
  "  # and do not drop ICMP 'fragmentation needed' (type 3 code 4)",
  /* fix_windows */
  "  netsh interface ipv4 set subinterface `\n"
  "    \"VMware Network Adapter VMnet8\" mtu=1500 store=persistent\n"
  "  Use the same value on the guest NIC. Jumbo frames also need the\n"
  "  adapters' 'Jumbo Packet' advanced property on every hop." },

{ "L2.vlan-mismatch",
  /* why */
  "802.1Q tags must agree at both ends of a link: a port group or VLAN\n"
  "sub-interface that tags frames with VLAN 100 reaches nothing when the\n"
  "physical switch port is an access port in another VLAN or a trunk that\n"
  "does not carry 100. VMware Workstation's own virtual switches do not\n"
  "tag; the tag comes from the guest, a vSphere port group, a Linux VLAN\n"
  "interface, or a bridge with vlan_filtering. Many Windows NIC drivers\n"
  "also strip tags before the bridge protocol sees them.",
  /* confirm */
  "Linux:\n"
  "  ip -d link show type vlan   # 'vlan protocol 802.1Q id 100'\n"
  "  bridge vlan show            # VLANs allowed per bridge port\n"
  "  tcpdump -eni eth0 vlan      # tags on the wire, both directions\n"
  "  # ESXi: esxcli network vswitch standard portgroup list\n"
  "Windows (PowerShell):\n"
  "  Get-NetAdapterAdvancedProperty -Name Ethernet |\n"
  "    Where-Object DisplayName -match 'VLAN|Priority'\n"
  "  Get-VMNetworkAdapterVlan -VMName web   # Hyper-V guests",
  /* fix_linux */
  "  # tag on the host and bridge the tagged interface:\n"
  "  ip link add link eth0 name eth0.100 type vlan id 100\n"
  "  ip link set dev eth0.100 up\n"
  "  # then bridge the VM network to eth0.100 (vmware-netcfg)\n"
  "  # VLAN-filtering bridge: allow the VLAN on the VM's port\n"
  "  bridge vlan add dev vnet0 vid 100 pvid untagged\n"
  "  # or make the switch port a trunk that carries the VLAN",
  /* fix_windows */
  "  Set the VLAN where the tag is meant to be added: in the guest OS,\n"
  "  in the NIC driver (Device Manager > adapter > Advanced > VLAN ID),\n"
  "  or for Hyper-V: Set-VMNetworkAdapterVlan -VMName web -Access\n"
  "  -VlanId 100. Drivers that strip tags need 'Priority & VLAN'\n"
  "  enabled before bridged guests can see tagged frames. Ask for the\n"
  "  physical port to be a trunk carrying the VLAN." },

{ "L2.mac-conflict",
  /* why */
  "Two interfaces share one MAC address, so switches (virtual or\n"
  "physical) keep moving that address between ports and each machine\n"
  "receives only part of its traffic: connections work, then stall. With\n"
  "VMware the usual cause is a copied VM: answering 'I moved it' keeps\n"
  "uuid.bios, and the generated MAC (00:0c:29 plus the last three bytes\n"
  "of uuid.bios) stays the same. Static addresses pasted into two .vmx\n"
  "files have the same effect.",
  /* confirm */
  "Linux:\n"
  "  ip -br link | awk '{print $3}' | sort | uniq -d\n"
  "  grep -iE 'ethernet[0-9]+\\.(generatedAddress|address) ' */*.vmx\n"
  "  tcpdump -eni vmnet8 arp    # one MAC, two hosts answering\n"
  "  ip neigh show dev vmnet8\n"
  "Windows (PowerShell):\n"
  "  Get-NetAdapter | Sort-Object MacAddress |\n"
  "    Format-Table Name,MacAddress\n"
  "  Select-String -Path C:\\VMs\\*\\*.vmx -Pattern 'ethernet0\\.'\n"
  "  arp -a",
  /* fix_linux */
  "  # power the VM off, then in its .vmx delete these lines:\n"
  "  #   ethernet0.generatedAddress = \"...\"\n"
  "  #   ethernet0.generatedAddressOffset = \"...\"\n"
  "  #   uuid.bios = \"...\"  and  uuid.location = \"...\"\n"
  "  # answer 'I copied it' at the next power-on, or use VM Settings >\n"
  "  # Network Adapter > Advanced > Generate.\n"
  "  # static MACs: give each VM its own, inside\n"
  "  # 00:50:56:00:00:00-00:50:56:3F:FF:FF",
  /* fix_windows */
  "  Power the VM off, VM Settings > Network Adapter > Advanced >\n"
  "  Generate (or remove ethernet0.generatedAddress and uuid.bios from\n"
  "  the .vmx and answer 'I copied it'). Static MACs must be unique and\n"
  "  inside 00:50:56:00:00:00-00:50:56:3F:FF:FF. Afterwards clear the\n"
  "  host's cache: arp -d *   (elevated)" },

{ "L2.duplicate-ip",
  /* why */
  "Two machines with different MACs use the same IPv4 address, so every\n"
  "neighbour's ARP entry for it flips between them and connections break\n"
  "at random. Typical causes: a static address chosen inside the DHCP\n"
  "pool (VMware hands out .128-.253), two clones with the same static\n"
  "configuration, or a guest statically set to the host's .1 or the NAT\n"
  "device's .2. ARP replies from two different MACs for one address show\n"
  "both claimants.",
  /* confirm */
  "Linux:\n"
  "  arping -I vmnet8 -c 5 192.168.159.128     # two MACs answering?\n"
  "  arping -D -I vmnet8 -c 3 192.168.159.20   # before reusing an\n"
  "                                            # address: reply = taken\n"
  "  tcpdump -eni vmnet8 arp and host 192.168.159.128\n"
  "  ip neigh show 192.168.159.128\n"
  "Windows (PowerShell):\n"
  "  Get-NetNeighbor -IPAddress 192.168.159.128\n"
  "  Get-WinEvent -FilterHashtable @{LogName='System';Id=4199}\n"
  "  # event 4199 (Tcpip): 'address conflict'",
  /* fix_linux */
  "  # give one machine another address; static addresses belong in\n"
  "  # .3-.127 of a VMware network, outside the DHCP pool:\n"
  "  ip addr del 192.168.159.128/24 dev ens33        # in that guest\n"
  "  ip addr add 192.168.159.20/24 dev ens33\n"
  "  # or pin the VM by MAC in /etc/vmware/networking:\n"
  "  #   add_dhcp_mac_to_ip 8 00:0c:29:3b:64:ea 192.168.159.20\n"
  "  # (use vmware-networks --migrate-network-settings on an edited\n"
  "  #  copy, see 'vnetdiag explain L3.dhcp-config-invalid')",
  /* fix_windows */
  "  In the guest that must move:\n"
  "  New-NetIPAddress -InterfaceAlias Ethernet0 `\n"
  "    -IPAddress 192.168.159.20 -PrefixLength 24 `\n"
  "    -DefaultGateway 192.168.159.2\n"
  "  and remove the old one with Remove-NetIPAddress. For DHCP guests\n"
  "  add a reservation in %ProgramData%\\VMware\\vmnetdhcp.conf, then\n"
  "  Restart-Service VMnetDHCP." },

{ "L2.arp-unanswered",
  /* why */
  "The host asks 'who has 192.168.159.128' on the virtual network and no\n"
  "one answers, so not a single IP packet can be sent: ping reports\n"
  "'Destination Host Unreachable' from the host's own address. The target\n"
  "is powered off, its virtual NIC is disconnected or attached to another\n"
  "network, its interface is down, or it uses another subnet. Firewalls\n"
  "rarely filter ARP, so a silent ARP points below L3.",
  /* confirm */
  "Linux:\n"
  "  ip neigh show dev vmnet8   # FAILED or INCOMPLETE entries\n"
  "  arping -I vmnet8 -c 3 192.168.159.128\n"
  "  tcpdump -eni vmnet8 arp    # requests without replies\n"
  "  # in the guest: ip -br addr; ip link\n"
  "Windows (PowerShell):\n"
  "  Get-NetNeighbor -InterfaceAlias 'VMware Network Adapter VMnet8'\n"
  "  # State 'Unreachable' or 'Incomplete'\n"
  "  arp -d *; ping 192.168.159.128; arp -a",
  /* fix_linux */
  "  # VM Settings > Network Adapter: 'Connected' ticked, same network\n"
  "  # as the host adapter (NAT = vmnet8); .vmx:\n"
  "  #   ethernet0.startConnected = \"TRUE\"\n"
  "  # in the guest: ip link set dev ens33 up; check its address/mask\n"
  "  # the virtual switch itself:\n"
  "  vmware-networks --stop; vmware-networks --start",
  /* fix_windows */
  "  VM Settings > Network Adapter: tick 'Connected' and 'Connect at\n"
  "  power on', choose the same network as the host adapter (NAT =\n"
  "  VMnet8). In the guest check the NIC is enabled and in the subnet.\n"
  "  Then: Restart-Service VMnetDHCP, 'VMware NAT Service'; arp -d *" },

{ "L2.vmx-mac-mismatch",
  /* why */
  "The MAC a .vmx declares (ethernetN.generatedAddress or .address) is\n"
  "not the MAC the network sees for that VM: the DHCP reservation, the\n"
  "lease file or the neighbour table names another one. VMware\n"
  "regenerates the MAC when a VM is copied or its UUID changes, while\n"
  "reservations and guest configs keep the old value; a guest can also\n"
  "override its MAC (netplan macaddress, Windows 'Network Address'). The\n"
  "VM then gets a pool address instead of its reserved one.",
  /* confirm */
  "Linux:\n"
  "  grep -iE '^ethernet0\\.(addressType|generatedAddress|address) ' \\\n"
  "    ~/vmware/web/web.vmx\n"
  "  grep -B1 -A4 'hardware ethernet' \\\n"
  "    /etc/vmware/vmnet8/dhcpd/dhcpd.conf\n"
  "  tail -n 30 /etc/vmware/vmnet8/dhcpd/dhcpd.leases\n"
  "  ip neigh show dev vmnet8\n"
  "  # in the guest: ip link show ens33\n"
  "Windows:\n"
  "  Select-String -Path C:\\VMs\\web\\web.vmx -Pattern 'ethernet0\\.'\n"
  "  Get-Content $env:ProgramData\\VMware\\vmnetdhcp.leases -Tail 30",
  /* fix_linux */
  "  # either make the reservation follow the VM's MAC (edit a copy\n"
  "  # of /etc/vmware/networking, fix the add_dhcp_mac_to_ip line):\n"
  "  cp /etc/vmware/networking /tmp/networking.new\n"
  "  vmware-networks --migrate-network-settings /tmp/networking.new\n"
  "  # or pin the VM's MAC in its .vmx (VM powered off):\n"
  "  #   ethernet0.addressType = \"static\"\n"
  "  #   ethernet0.address = \"00:50:56:12:34:56\"\n"
  "  # and remove a MAC override inside the guest",
  /* fix_windows */
  "  Edit the reservation in %ProgramData%\\VMware\\vmnetdhcp.conf\n"
  "  (host block: hardware ethernet / fixed-address), then\n"
  "  Restart-Service VMnetDHCP. Or pin the MAC in the .vmx with\n"
  "  ethernet0.addressType = \"static\" and ethernet0.address. In a\n"
  "  Windows guest clear Device Manager > NIC > Advanced > 'Network\n"
  "  Address' (Not Present)." },

{ "L2.vmx-mac-invalid",
  /* why */
  "VMware reserves 00:50:56:00:00:00-00:50:56:3F:FF:FF for static MACs\n"
  "set by users (ethernetN.addressType = \"static\"); the rest of the\n"
  "00:50:56 block belongs to ESXi, vCenter and the hosts' own adapters,\n"
  "and a static address there can collide with them or be refused at\n"
  "power-on. A multicast MAC (lowest bit of the first byte set) or all\n"
  "zeros can never be a unicast source, so switches and guests drop such\n"
  "frames.",
  /* confirm */
  "Linux:\n"
  "  grep -iE 'ethernet[0-9]+\\.(addressType|address) ' ~/vmware/*/*.vmx\n"
  "  # valid: 00:50:56:XX:YY:ZZ with XX between 00 and 3F\n"
  "Windows (PowerShell):\n"
  "  Select-String -Path C:\\VMs\\*\\*.vmx -Pattern 'ethernet\\d+\\.address'",
  /* fix_linux */
  "  # VM powered off; pick a random valid static MAC:\n"
  "  printf '00:50:56:%02x:%02x:%02x\\n' \\\n"
  "    $((RANDOM % 64)) $((RANDOM % 256)) $((RANDOM % 256))\n"
  "  # and set it in the .vmx:\n"
  "  #   ethernet0.addressType = \"static\"\n"
  "  #   ethernet0.address = \"00:50:56:1a:2b:3c\"\n"
  "  # or go back to generated: addressType = \"generated\" and delete\n"
  "  # the ethernet0.address line",
  /* fix_windows */
  "  VM powered off; a random valid static MAC:\n"
  "  '00:50:56:{0:x2}:{1:x2}:{2:x2}' -f `\n"
  "    (Get-Random 64), (Get-Random 256), (Get-Random 256)\n"
  "  Put it in the .vmx as ethernet0.address with ethernet0.addressType\n"
  "  = \"static\", or use VM Settings > Network Adapter > Advanced >\n"
  "  Generate for a generated one." },

{ "L2.bridge-mapping-missing",
  /* why */
  "A bridged VMware network is tied to a physical NIC by an\n"
  "add_bridge_mapping line in /etc/vmware/networking (Windows: 'Bridged\n"
  "to' in the Virtual Network Editor). When that NIC was renamed (eth0\n"
  "became enp3s0), unplugged (USB, dock) or is down, vmnet-bridge has\n"
  "nothing to attach to and guests see an empty network: the VM log says\n"
  "the bridge 'is not running' or 'is temporarily down'. With automatic\n"
  "bridging VMware may pick another NIC than the one you expect.",
  /* confirm */
  "Linux:\n"
  "  grep add_bridge_mapping /etc/vmware/networking\n"
  "  ip -br link                 # does that NIC exist, is it UP?\n"
  "  vmware-networks --status    # 'Bridge networking on vmnet0'\n"
  "  journalctl -b | grep -i vmnetbridge\n"
  "Windows (PowerShell):\n"
  "  Get-NetAdapter | Format-Table Name,InterfaceDescription,Status\n"
  "  Get-NetAdapterBinding -DisplayName 'VMware Bridge Protocol'",
  /* fix_linux */
  "  # GUI: vmware-netcfg > vmnet0 > Bridged to: the right NIC\n"
  "  # by file: edit a copy and migrate it\n"
  "  cp /etc/vmware/networking /tmp/networking.new\n"
  "  #   in the copy: add_bridge_mapping enp3s0 0\n"
  "  vmware-networks --migrate-network-settings /tmp/networking.new\n"
  "  vmware-networks --stop; vmware-networks --start\n"
  "  ip link set dev enp3s0 up",
  /* fix_windows */
  "  Virtual Network Editor > Change Settings > VMnet0 > Bridged to:\n"
  "  choose the adapter (not Automatic), or fix the list under\n"
  "  'Automatic Settings...'. The physical adapter must have the bridge\n"
  "  protocol bound:\n"
  "  Enable-NetAdapterBinding -Name Ethernet `\n"
  "    -DisplayName 'VMware Bridge Protocol'" },

{ "L2.vms-on-different-networks",
  /* why */
  "Two VMs only share a broadcast domain when their NICs are attached to\n"
  "the same virtual network: the same vmnetN, or the same LAN segment. A\n"
  "VM on NAT (vmnet8) and one on host-only (vmnet1) are on different\n"
  "switches with different subnets, and no VMware component routes\n"
  "between them. The .vmx says where each NIC is plugged:\n"
  "ethernetN.connectionType (bridged, nat, hostonly, custom, pvn) and,\n"
  "for custom, ethernetN.vnet.",
  /* confirm */
  "Linux:\n"
  "  grep -iE '^ethernet[0-9]+\\.(connectionType|vnet|pvnID) ' \\\n"
  "    ~/vmware/web/web.vmx ~/vmware/db/db.vmx\n"
  "  tcpdump -eni vmnet8 host 192.168.159.128 and host 192.168.159.129\n"
  "Windows (PowerShell):\n"
  "  Select-String -Path C:\\VMs\\web\\web.vmx, C:\\VMs\\db\\db.vmx `\n"
  "    -Pattern 'connectionType|vnet'",
  /* fix_linux */
  "  # VM Settings > Network Adapter: the same choice for both VMs,\n"
  "  # or in both .vmx files (VMs powered off):\n"
  "  #   ethernet0.connectionType = \"custom\"\n"
  "  #   ethernet0.vnet = \"/dev/vmnet8\"\n"
  "  # a LAN segment (pvn) is reachable only by VMs in the same\n"
  "  # segment, never by the host",
  /* fix_windows */
  "  VM Settings > Network Adapter: select the same network for both\n"
  "  VMs (e.g. NAT, or Custom: VMnet8); in the .vmx that is\n"
  "  ethernet0.connectionType = \"custom\" with ethernet0.vnet =\n"
  "  \"VMnet8\". Then check each guest's firewall allows the other." },

/* ------------------------------------------------------------------ L3 */

{ "L3.no-address",
  /* why */
  "The host adapter has no IPv4 address in its network's subnet, so the\n"
  "host has no source address and no connected route for the VMs. On\n"
  "Linux vmware-networks puts .1 on vmnetN at start; NetworkManager or a\n"
  "manual 'ip addr flush' removes it. On Windows the VMnet adapter\n"
  "normally takes .1 from VMware's DHCP (a host block in vmnetdhcp.conf),\n"
  "so a stopped VMnetDHCP leaves it at 169.254.x.x. vnetdiag reads\n"
  "addresses over netlink and the subnet from /etc/vmware/networking.",
  /* confirm */
  "Linux:\n"
  "  ip -4 addr show dev vmnet8\n"
  "  grep -E 'VNET_8_HOSTONLY_(SUBNET|NETMASK)' /etc/vmware/networking\n"
  "  # in the guest: ip -4 addr; journalctl -b | grep -i dhcp\n"
  "Windows (PowerShell):\n"
  "  Get-NetIPAddress -InterfaceAlias '*VMnet8' -AddressFamily IPv4\n"
  "  # 169.254.x.x = no DHCP answer\n"
  "  ipconfig /all",
  /* fix_linux */
  "  ip addr add 192.168.159.1/24 dev vmnet8   # immediate\n"
  "  vmware-networks --stop; vmware-networks --start  # VMware's way\n"
  "  nmcli device set vmnet8 managed no    # if NetworkManager interfered\n"
  "  # a guest without address: see vnetdiag explain L3.dhcp-no-offer",
  /* fix_windows */
  "  Restart-Service VMnetDHCP\n"
  "  ipconfig /renew \"VMware Network Adapter VMnet8\"\n"
  "  # or set it statically:\n"
  "  New-NetIPAddress -InterfaceAlias 'VMware Network Adapter VMnet8' `\n"
  "    -IPAddress 192.168.159.1 -PrefixLength 24" },

{ "L3.netmask-mismatch",
  /* why */
  "The prefix length decides what the host considers on-link. With\n"
  "192.168.159.1/16 on vmnet8 the host ARPs on vmnet8 for all of\n"
  "192.168.0.0/16, so a LAN at 192.168.1.0/24 becomes unreachable; with a\n"
  "/28 it sends traffic for most VMs to its default gateway instead. Both\n"
  "ends of a segment must use the configured mask\n"
  "(VNET_<n>_HOSTONLY_NETMASK, normally 255.255.255.0).",
  /* confirm */
  "Linux:\n"
  "  ip -4 addr show dev vmnet8          # the /NN after the address\n"
  "  grep HOSTONLY_NETMASK /etc/vmware/networking\n"
  "  ip route get 192.168.159.128\n"
  "  # in the guest: ip -4 addr show\n"
  "Windows (PowerShell):\n"
  "  Get-NetIPAddress -InterfaceAlias '*VMnet8' -AddressFamily IPv4 |\n"
  "    Format-Table IPAddress,PrefixLength",
  /* fix_linux */
  "  # a different prefix is a different address: delete, then add\n"
  "  ip addr del 192.168.159.1/16 dev vmnet8\n"
  "  ip addr add 192.168.159.1/24 dev vmnet8\n"
  "  # or let VMware re-apply its configuration:\n"
  "  vmware-networks --stop; vmware-networks --start\n"
  "  # guests: fix the mask in netplan / nmcli / ifcfg",
  /* fix_windows */
  "  Set-NetIPAddress -InterfaceAlias 'VMware Network Adapter VMnet8' `\n"
  "    -IPAddress 192.168.159.1 -PrefixLength 24\n"
  "  or Virtual Network Editor > VMnet8 > Subnet mask > Apply, which\n"
  "  also rewrites the DHCP and NAT settings. Fix guests the same way." },

{ "L3.subnet-mismatch",
  /* why */
  "The host adapter's address lies outside the subnet the virtual network\n"
  "is configured for, so VMs that got their address from VMware's DHCP\n"
  "are not on-link for the host. This happens when the subnet was changed\n"
  "(Virtual Network Editor, an edited networking file) without restarting\n"
  "the services, when NetworkManager applied a stale profile, or when\n"
  "someone typed the address by hand.",
  /* confirm */
  "Linux:\n"
  "  ip -4 addr show dev vmnet8\n"
  "  grep -E 'VNET_8_HOSTONLY_(SUBNET|NETMASK)' /etc/vmware/networking\n"
  "  grep -E '^(ip|netmask)' /etc/vmware/vmnet8/nat/nat.conf\n"
  "  grep subnet /etc/vmware/vmnet8/dhcpd/dhcpd.conf\n"
  "Windows (PowerShell):\n"
  "  Get-NetIPAddress -InterfaceAlias '*VMnet8' -AddressFamily IPv4\n"
  "  # compare with Virtual Network Editor > VMnet8 > Subnet IP",
  /* fix_linux */
  "  vmware-networks --stop; vmware-networks --start\n"
  "  # by hand, the host adapter is always .1 of the subnet:\n"
  "  ip addr flush dev vmnet8\n"
  "  ip addr add 192.168.159.1/24 dev vmnet8\n"
  "  nmcli device set vmnet8 managed no",
  /* fix_windows */
  "  Virtual Network Editor > Change Settings > VMnet8 > Subnet IP (and\n"
  "  mask) > Apply: VMware rewrites the adapter, DHCP and NAT\n"
  "  configuration together. Then renew the adapter's address:\n"
  "  ipconfig /renew \"VMware Network Adapter VMnet8\"" },

{ "L3.subnet-overlap",
  /* why */
  "VMware picks a random 192.168.x.0/24 (or 172.16.x.0/24) per network at\n"
  "install time. When a LAN, VPN or container bridge later uses an\n"
  "overlapping range, the host has two routes for the same addresses and\n"
  "the kernel uses only one of them (the more specific, else the lower\n"
  "metric): either the VMs or the other network becomes unreachable.\n"
  "vnetdiag compares the prefixes of every interface's addresses.",
  /* confirm */
  "Linux:\n"
  "  ip -4 -br addr\n"
  "  ip -4 route show | grep '^192\\.168\\.159\\.'\n"
  "  ip route get 192.168.159.128   # which interface wins?\n"
  "  docker network inspect bridge | grep Subnet\n"
  "Windows (PowerShell):\n"
  "  Get-NetIPAddress -AddressFamily IPv4 |\n"
  "    Format-Table InterfaceAlias,IPAddress,PrefixLength\n"
  "  Find-NetRoute -RemoteIPAddress 192.168.159.128",
  /* fix_linux */
  "  # move the virtual network to an unused subnet:\n"
  "  # vmware-netcfg > vmnet8 > Subnet IP, or edit a copy:\n"
  "  cp /etc/vmware/networking /tmp/networking.new\n"
  "  #   answer VNET_8_HOSTONLY_SUBNET 192.168.203.0\n"
  "  vmware-networks --migrate-network-settings /tmp/networking.new\n"
  "  # or move the other side: libvirt 'virsh net-edit default',\n"
  "  # Docker \"bip\"/\"default-address-pools\" in daemon.json",
  /* fix_windows */
  "  Virtual Network Editor > Change Settings > VMnet8 > Subnet IP:\n"
  "  choose a range no LAN, VPN or Hyper-V switch uses, Apply.\n"
  "  Guests keep their old lease until renewed: ipconfig /renew in\n"
  "  Windows guests, dhclient -r && dhclient (or a reboot) in Linux\n"
  "  ones. Port forwards point at the old addresses: re-create them." },

{ "L3.route-missing",
  /* why */
  "The kernel has no route to the VM subnet through its host adapter.\n"
  "Normally adding 192.168.159.1/24 to vmnet8 creates the connected route\n"
  "192.168.159.0/24 dev vmnet8 automatically; it is missing when the\n"
  "address was added with noprefixroute, the adapter is down, or the\n"
  "route was deleted. Traffic to the VMs then follows the default route\n"
  "to the LAN gateway. vnetdiag searches the routing tables it collected.",
  /* confirm */
  "Linux:\n"
  "  ip route show dev vmnet8\n"
  "  ip route get 192.168.159.128   # which way does it go?\n"
  "  ip -4 addr show dev vmnet8     # 'noprefixroute' flag?\n"
  "Windows (PowerShell):\n"
  "  Get-NetRoute -DestinationPrefix 192.168.159.0/24\n"
  "  route print -4",
  /* fix_linux */
  "  # a directly connected subnet is reached via the device, not via\n"
  "  # the host's own address:\n"
  "  ip route add 192.168.159.0/24 dev vmnet8 src 192.168.159.1\n"
  "  # address carries noprefixroute: re-add it without the flag\n"
  "  ip addr del 192.168.159.1/24 dev vmnet8\n"
  "  ip addr add 192.168.159.1/24 dev vmnet8",
  /* fix_windows */
  "  New-NetRoute -DestinationPrefix 192.168.159.0/24 `\n"
  "    -InterfaceAlias 'VMware Network Adapter VMnet8' -NextHop 0.0.0.0\n"
  "  (NextHop 0.0.0.0 = on-link). Usually the route is missing because\n"
  "  the adapter is disabled or has no address: fix that first." },

{ "L3.route-wrong-interface",
  /* why */
  "A route exists through the host adapter, but the kernel prefers\n"
  "another one: longest prefix wins first, then the lowest metric, and\n"
  "policy rules (ip rule) are consulted before the main table. A VPN that\n"
  "routes everything, a second NIC with the same subnet (bridged to\n"
  "wired, default via wireless) or a stale static route sends the VMs'\n"
  "traffic out the wrong interface. vnetdiag repeats the kernel's lookup\n"
  "on the collected routes, like 'ip route get'.",
  /* confirm */
  "Linux:\n"
  "  ip route get 192.168.159.128\n"
  "  ip -4 route show table all | grep 192.168.159\n"
  "  ip rule show                # VPN policy rules before 'main'\n"
  "Windows (PowerShell):\n"
  "  Find-NetRoute -RemoteIPAddress 192.168.159.128\n"
  "  Get-NetIPInterface -AddressFamily IPv4 |\n"
  "    Sort-Object InterfaceMetric |\n"
  "    Format-Table InterfaceAlias,InterfaceMetric,ConnectionState",
  /* fix_linux */
  "  # delete the competing route (from 'ip route get' above)\n"
  "  ip route del 192.168.159.0/25 dev tun0\n"
  "  # a VPN with policy routing: look up the VM subnet in 'main' first\n"
  "  ip rule add to 192.168.159.0/24 lookup main priority 100\n"
  "  # two interfaces on one subnet: lower the wanted one's metric,\n"
  "  # e.g. nmcli connection modify eth0 ipv4.route-metric 50",
  /* fix_windows */
  "  # the competing route:\n"
  "  Remove-NetRoute -DestinationPrefix 192.168.159.0/25 `\n"
  "    -InterfaceAlias 'Wi-Fi'\n"
  "  # two NICs (case C1): the lower interface metric wins\n"
  "  Set-NetIPInterface -InterfaceIndex <wired ifIndex> `\n"
  "    -InterfaceMetric 10\n"
  "  VPN clients: allow local LAN access / split tunnelling for the\n"
  "  VM subnet." },

{ "L3.gateway-wrong",
  /* why */
  "In a VMware NAT network the only router is the NAT device at .2\n"
  "(vmnet-natd, or vmnat.exe on Windows); the host's .1 normally does not\n"
  "forward for VMs. A guest whose default gateway is .1, the host's LAN\n"
  "address or anything else reaches the host and other VMs but nothing\n"
  "beyond. The gateway comes from 'option routers' in the network's\n"
  "dhcpd.conf or from the guest's static configuration. A host-only\n"
  "network has no gateway at all.",
  /* confirm */
  "Linux:\n"
  "  grep -n 'option routers' /etc/vmware/vmnet8/dhcpd/dhcpd.conf\n"
  "  grep -E '^ip' /etc/vmware/vmnet8/nat/nat.conf   # NAT device\n"
  "  # in the guest:\n"
  "  ip route show default       # must be 'via 192.168.159.2'\n"
  "Windows (PowerShell):\n"
  "  Select-String $env:ProgramData\\VMware\\vmnetdhcp.conf `\n"
  "    -Pattern 'option routers'\n"
  "  # in a Windows guest:\n"
  "  Get-NetRoute -DestinationPrefix 0.0.0.0/0",
  /* fix_linux */
  "  # in the guest (now, then persist it):\n"
  "  ip route replace default via 192.168.159.2 dev ens33\n"
  "  nmcli connection modify ens33 ipv4.gateway 192.168.159.2\n"
  "  # dhcpd.conf edited by hand: let vmware-netcfg rewrite it\n"
  "  # (vmnet8 > NAT Settings > Gateway IP 192.168.159.2 > Apply), then\n"
  "  vmware-networks --stop; vmware-networks --start",
  /* fix_windows */
  "  Virtual Network Editor > VMnet8 > NAT Settings: note the Gateway\n"
  "  IP (normally .2). In a Windows guest:\n"
  "  Remove-NetRoute -DestinationPrefix 0.0.0.0/0 -Confirm:$false\n"
  "  New-NetRoute -DestinationPrefix 0.0.0.0/0 -InterfaceAlias Ethernet0 `\n"
  "    -NextHop 192.168.159.2" },

{ "L3.dhcp-no-offer",
  /* why */
  "A guest's DHCPDISCOVER got no DHCPOFFER, so it ends up without an\n"
  "address (Linux) or with 169.254.x.x (Windows). VMware's vmnet-dhcpd is\n"
  "attached to the virtual switch and answers from .254; it stays silent\n"
  "when it is not running, when DHCP is disabled for that network\n"
  "(VNET_<n>_DHCP no), when the pool is exhausted, or when the VM is\n"
  "plugged into another network. On a bridged network the answer has to\n"
  "come from the LAN's DHCP server.",
  /* confirm */
  "Linux (host, while the guest asks again):\n"
  "  tcpdump -eni vmnet8 'udp port 67 or udp port 68'\n"
  "  pgrep -a vmnet-dhcpd\n"
  "  grep 'VNET_8_DHCP ' /etc/vmware/networking\n"
  "  # in a Linux guest: dhclient -v ens33 (or nmcli connection up)\n"
  "Windows:\n"
  "  Get-Service VMnetDHCP\n"
  "  # in a Windows guest:\n"
  "  ipconfig /release; ipconfig /renew",
  /* fix_linux */
  "  vmware-networks --stop; vmware-networks --start\n"
  "  journalctl -b | grep vmnet-dhcpd    # why it failed\n"
  "  # DHCP off: vmware-netcfg > vmnet8 > 'Use local DHCP service'\n"
  "  # pool full: delete stale entries from the lease file with the\n"
  "  # services stopped, or widen the range\n"
  "  # meanwhile give the guest a static address in .3-.127,\n"
  "  # gateway and DNS 192.168.159.2",
  /* fix_windows */
  "  Restart-Service VMnetDHCP\n"
  "  Set-Service VMnetDHCP -StartupType Automatic\n"
  "  Virtual Network Editor > VMnet8 > tick 'Use local DHCP service to\n"
  "  distribute IP address to VMs'. If the service stops right after\n"
  "  start, vmnetdhcp.conf is missing or broken: Restore Defaults." },

{ "L3.dhcp-multiple-servers",
  /* why */
  "More than one DHCP server answers on one broadcast domain, so each\n"
  "client takes whichever offer arrives first and may get the wrong\n"
  "subnet, gateway or DNS, changing from boot to boot. On a bridged\n"
  "network the LAN's server and a DHCP service on the host or in a VM\n"
  "both answer; on a NAT or host-only network a guest running dnsmasq or\n"
  "another DHCP server competes with vmnet-dhcpd. Offers are told apart\n"
  "by the server identifier (option 54).",
  /* confirm */
  "Linux:\n"
  "  tcpdump -veni vmnet8 'udp port 67'   # 'Server-ID' per offer\n"
  "  nmap --script broadcast-dhcp-discover -e vmnet8\n"
  "  ss -lunp 'sport = :67'               # DHCP servers on the host\n"
  "Windows (in the guest):\n"
  "  ipconfig /all    # 'DHCP Server' changes between renewals\n"
  "  ipconfig /release; ipconfig /renew; ipconfig /all",
  /* fix_linux */
  "  # keep one server per network:\n"
  "  # VMware: vmware-netcfg > network > untick 'Use local DHCP service'\n"
  "  # a dnsmasq/libvirt server bound to the wrong interface: restrict\n"
  "  #   it (dnsmasq: interface=virbr0, bind-interfaces) or stop it\n"
  "  # a rogue guest: stop its DHCP server\n"
  "  # on the LAN: DHCP snooping on the switch",
  /* fix_windows */
  "  Virtual Network Editor > select the network > untick 'Use local\n"
  "  DHCP service to distribute IP address to VMs' where the LAN server\n"
  "  should win, or stop the other server. Give key VMs reservations or\n"
  "  static addresses. Then ipconfig /renew in the guests." },

{ "L3.dhcp-config-invalid",
  /* why */
  "The DHCP configuration contradicts the network: a range outside the\n"
  "subnet, a range that covers the host's .1 or the NAT device's .2, two\n"
  "reservations for one address, or a pool with every address leased.\n"
  "VMware writes the subnet block between 'DO NOT MODIFY' markers, with a\n"
  "pool of .128-.253 (the server itself answers from .254); hand edits\n"
  "inside that section are overwritten or break the service. On Linux,\n"
  "custom host entries belong after the 'End of DO NOT MODIFY SECTION'\n"
  "marker.",
  /* confirm */
  "Linux:\n"
  "  grep -nE 'subnet|range|fixed-address|routers' \\\n"
  "    /etc/vmware/vmnet8/dhcpd/dhcpd.conf\n"
  "  grep -c '^lease' /etc/vmware/vmnet8/dhcpd/dhcpd.leases\n"
  "  grep -E 'add_dhcp_mac_to_ip|VNET_8_HOSTONLY' /etc/vmware/networking\n"
  "Windows (PowerShell):\n"
  "  Select-String $env:ProgramData\\VMware\\vmnetdhcp.conf `\n"
  "    -Pattern 'subnet|range|fixed-address'\n"
  "  Get-WinEvent -MaxEvents 20 -FilterHashtable `\n"
  "    @{LogName='System'; ProviderName='VMnetDHCP'}",
  /* fix_linux */
  "  # regenerate the managed section: vmware-netcfg > vmnet8 > DHCP\n"
  "  # Settings, or edit a copy of /etc/vmware/networking and migrate:\n"
  "  cp /etc/vmware/networking /tmp/networking.new\n"
  "  vmware-networks --migrate-network-settings /tmp/networking.new\n"
  "  # reservations: one per address, inside .3-.127, e.g.\n"
  "  #   add_dhcp_mac_to_ip 8 00:0c:29:3b:64:ea 192.168.159.20\n"
  "  vmware-networks --stop; vmware-networks --start",
  /* fix_windows */
  "  Virtual Network Editor > VMnet8 > DHCP Settings: start and end\n"
  "  inside the subnet, not covering .1, .2 or .254. Reservations go\n"
  "  before '# End' in %ProgramData%\\VMware\\vmnetdhcp.conf, one per\n"
  "  address. Then Restart-Service VMnetDHCP and read the System log\n"
  "  (provider VMnetDHCP) for syntax errors." },

{ "L3.dhcp-service-down",
  /* why */
  "The network is configured to use VMware's DHCP (VNET_<n>_DHCP yes; on\n"
  "Windows the VMnetDHCP service) but no server process runs, so new\n"
  "guests get no address and existing ones lose theirs when the lease (30\n"
  "minutes by default) expires. On Linux vmnet-dhcpd has no unit of its\n"
  "own: vmware-networks starts one per network, and it dies with them or\n"
  "on a broken dhcpd.conf.",
  /* confirm */
  "Linux:\n"
  "  vmware-networks --status    # 'DHCP service on vmnet8 is ...'\n"
  "  pgrep -a vmnet-dhcpd\n"
  "  journalctl -b | grep vmnet-dhcpd\n"
  "Windows (PowerShell):\n"
  "  Get-Service VMnetDHCP | Format-List Status,StartType\n"
  "  sc.exe qc VMnetDHCP",
  /* fix_linux */
  "  vmware-networks --start\n"
  "  # or: systemctl restart vmware          (VMware installer)\n"
  "  #     systemctl restart vmware-networks (distribution packages)\n"
  "  #     /etc/init.d/vmware restart\n"
  "  # dies again: check dhcpd.conf, see L3.dhcp-config-invalid",
  /* fix_windows */
  "  Start-Service VMnetDHCP\n"
  "  Set-Service VMnetDHCP -StartupType Automatic\n"
  "  # 'started and then stopped': vmnetdhcp.conf missing or invalid ->\n"
  "  # Virtual Network Editor > Restore Defaults (note custom settings)" },

{ "L3.dns-no-server",
  /* why */
  "/etc/resolv.conf lists no nameserver, so the glibc resolver falls back\n"
  "to a server on the local machine (127.0.0.1) and names fail unless one\n"
  "runs there; pinging by address keeps working. It happens when DHCP\n"
  "gave no DNS option, when a network manager rewrote the file while\n"
  "offline, or when the file is a dangling link into /run. In a VMware\n"
  "NAT network the DNS server to hand out is the NAT device .2. vnetdiag\n"
  "reads resolv.conf (under --sysroot when given).",
  /* confirm */
  "Linux:\n"
  "  cat /etc/resolv.conf\n"
  "  ls -l /etc/resolv.conf     # link to systemd-resolved's stub?\n"
  "  resolvectl status          # servers per link, if resolved runs\n"
  "Windows (PowerShell):\n"
  "  Get-DnsClientServerAddress -AddressFamily IPv4",
  /* fix_linux */
  "  # systemd-resolved (runtime), then persist in the network config:\n"
  "  resolvectl dns ens33 192.168.159.2\n"
  "  nmcli connection modify ens33 ipv4.dns 192.168.159.2\n"
  "  # static resolv.conf:\n"
  "  echo 'nameserver 192.168.159.2' >> /etc/resolv.conf",
  /* fix_windows */
  "  Set-DnsClientServerAddress -InterfaceAlias Ethernet0 `\n"
  "    -ServerAddresses 192.168.159.2\n"
  "  # or with netsh:\n"
  "  netsh interface ipv4 set dnsservers name=Ethernet0 `\n"
  "    source=static address=192.168.159.2" },

{ "L3.dns-failure",
  /* why */
  "The configured nameservers are there but do not resolve: they time out\n"
  "(unreachable, or a firewall drops port 53), refuse the client, or\n"
  "answer SERVFAIL (upstream broken, DNSSEC failure). In a VMware NAT\n"
  "network the guests' DNS server .2 is a proxy inside the NAT service\n"
  "that forwards to the host's resolvers, so a stopped NAT service or a\n"
  "host without working DNS breaks every guest's names at once.",
  /* confirm */
  "Linux:\n"
  "  dig @192.168.159.2 example.com       # status, time, server\n"
  "  dig @192.168.159.2 example.com +tcp\n"
  "  resolvectl query example.com\n"
  "  tcpdump -ni vmnet8 port 53\n"
  "Windows (PowerShell):\n"
  "  Resolve-DnsName example.com -Server 192.168.159.2\n"
  "  Resolve-DnsName example.com -DnsOnly   # the host's own DNS",
  /* fix_linux */
  "  # NAT device proxy down: restart the NAT service\n"
  "  vmware-networks --stop; vmware-networks --start\n"
  "  # host DNS broken: fix it first (resolvectl status)\n"
  "  # else point guests at a reachable server:\n"
  "  resolvectl dns ens33 192.168.159.2 9.9.9.9",
  /* fix_windows */
  "  Restart-Service 'VMware NAT Service'\n"
  "  Clear-DnsClientCache\n"
  "  The [dns] section of %ProgramData%\\VMware\\vmnetnat.conf lists the\n"
  "  servers the NAT service forwards to (autodetect = 1 uses the\n"
  "  host's). Guests may also use another reachable server:\n"
  "  Set-DnsClientServerAddress -InterfaceAlias Ethernet0 `\n"
  "    -ServerAddresses 192.168.159.2,9.9.9.9" },

{ "L3.icmp-unreachable",
  /* why */
  "Some router or host answered with ICMP destination-unreachable: code 0\n"
  "(net) means a router had no route, code 1 (host) usually means ARP for\n"
  "the target failed on the last hop (from the host itself when the VM\n"
  "does not answer ARP), codes 9, 10 and 13 (administratively prohibited)\n"
  "come from a firewall REJECT rule, e.g. firewalld's default. The source\n"
  "address of the ICMP message says where to look.",
  /* confirm */
  "Linux:\n"
  "  ping -c 3 192.168.159.128          # 'From X icmp_seq=1 ...'\n"
  "  tracepath -n 192.168.159.128\n"
  "  tcpdump -vni any icmp              # type 3 with its code\n"
  "Windows (PowerShell):\n"
  "  Test-NetConnection 192.168.159.128 -TraceRoute\n"
  "  ping 192.168.159.128   # 'Reply from X: Destination ... unreachable'",
  /* fix_linux */
  "  # net unreachable: add or fix the route on the router named\n"
  "  #   (see L3.route-missing)\n"
  "  # host unreachable from the host itself: the VM does not answer\n"
  "  #   ARP (see L2.arp-unanswered)\n"
  "  # admin prohibited from a firewall: find the REJECT rule\n"
  "  nft -a list ruleset | grep -n reject\n"
  "  iptables -S | grep REJECT",
  /* fix_windows */
  "  Read the sender of the unreachable message in ping/tracert output.\n"
  "  A router: fix its routing. This host or a VM: look for block or\n"
  "  reject rules (wf.msc, Get-NetFirewallRule -Action Block) and for a\n"
  "  disabled adapter or missing route." },

{ "L3.ip-forward-disabled",
  /* why */
  "When the host itself routes or NATs for VMs (libvirt NAT and routed\n"
  "networks, VirtualBox or Hyper-V setups that rely on the host's IP\n"
  "stack, a manual masquerade rule), the kernel must forward packets\n"
  "between interfaces; with net.ipv4.ip_forward = 0 it drops them.\n"
  "libvirt turns it on when it starts a NAT network, but a sysctl file\n"
  "applied later can turn it off again. VMware NAT does not need it:\n"
  "vmnet-natd is a user-space proxy.",
  /* confirm */
  "Linux:\n"
  "  sysctl net.ipv4.ip_forward\n"
  "  grep -rn ip_forward /etc/sysctl.conf /etc/sysctl.d \\\n"
  "    /run/sysctl.d /usr/lib/sysctl.d\n"
  "  virsh net-dumpxml default | grep forward\n"
  "Windows (PowerShell):\n"
  "  Get-NetIPInterface -AddressFamily IPv4 |\n"
  "    Format-Table InterfaceAlias,Forwarding",
  /* fix_linux */
  "  sysctl -w net.ipv4.ip_forward=1\n"
  "  echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/60-ip-forward.conf\n"
  "  # and remove any later file that sets it back to 0",
  /* fix_windows */
  "  # on the VM-side adapter and on the uplink:\n"
  "  Set-NetIPInterface -InterfaceAlias '<adapter>' -AddressFamily IPv4 `\n"
  "    -Forwarding Enabled\n"
  "  Hyper-V NAT networks made with New-NetNat handle forwarding\n"
  "  themselves; VMware NAT does not need it." },

{ "L3.target-unreachable",
  /* why */
  "The target does not answer at L3 (no echo reply, no TCP answer), and\n"
  "vnetdiag found no cause below it: the adapter is up, addressed and\n"
  "routed. What remains is usually inside the target: a firewall that\n"
  "drops ICMP and the probed port (Windows guests drop ping by default),\n"
  "a guest route pointing elsewhere, or a crashed network stack.\n"
  "Capturing on both ends shows where packets stop.",
  /* confirm */
  "Linux:\n"
  "  ping -c 3 192.168.159.128\n"
  "  ip route get 192.168.159.128; ip neigh show 192.168.159.128\n"
  "  tcpdump -eni vmnet8 host 192.168.159.128   # and in the guest\n"
  "Windows (PowerShell):\n"
  "  Test-NetConnection 192.168.159.128\n"
  "  Get-NetNeighbor -IPAddress 192.168.159.128",
  /* fix_linux */
  "  # in a Linux guest: check the firewall and routes\n"
  "  nft list ruleset; ip route\n"
  "  # a reply leaves the guest through another interface: fix the\n"
  "  # guest's routes or rp_filter (sysctl net.ipv4.conf.all.rp_filter)",
  /* fix_windows */
  "  In a Windows guest allow ping (rule names are localised, use -Name):\n"
  "  Enable-NetFirewallRule -Name FPS-ICMP4-ERQ-In\n"
  "  The VMnet adapter counts as an unidentified Public network, so\n"
  "  Public rules apply. Then test the real port:\n"
  "  Test-NetConnection 192.168.159.128 -Port 80" },

/* ------------------------------------------------------------------ L4 */

{ "L4.port-closed",
  /* why */
  "The target's TCP stack answered the SYN with RST: the machine is\n"
  "reachable, but nothing listens on that port at that address. Common\n"
  "causes: the service is stopped, listens on another port, or is bound\n"
  "to 127.0.0.1 only. A firewall rule with 'reject with tcp reset'\n"
  "produces the same answer.",
  /* confirm */
  "Linux:\n"
  "  nc -zv 192.168.159.128 80\n"
  "  # on the target:\n"
  "  ss -ltnp 'sport = :80'     # 127.0.0.1:80 = loopback only\n"
  "Windows (PowerShell):\n"
  "  Test-NetConnection 192.168.159.128 -Port 80\n"
  "  # on the target:\n"
  "  Get-NetTCPConnection -State Listen -LocalPort 80",
  /* fix_linux */
  "  # on the target:\n"
  "  systemctl enable --now nginx        # the service in question\n"
  "  # listen on all addresses, e.g. nginx 'listen 80;', sshd\n"
  "  # 'ListenAddress 0.0.0.0', a dev server '--host 0.0.0.0'\n"
  "  nft -a list ruleset | grep -n 'reject with tcp reset'",
  /* fix_windows */
  "  # on the target:\n"
  "  Start-Service <name>\n"
  "  Set-Service <name> -StartupType Automatic\n"
  "  # and bind the service to 0.0.0.0, not 127.0.0.1, in its settings" },

{ "L4.port-filtered",
  /* why */
  "SYNs to the port get no answer at all, while the host is reachable\n"
  "otherwise (ping, ARP, other ports). Something on the path drops them\n"
  "silently: a DROP rule in the target's firewall (ufw, firewalld,\n"
  "Windows Defender Firewall), on the host's forwarding path, or a NAT\n"
  "port forward that leads nowhere. A capture on both sides shows which\n"
  "hop swallows the packets.",
  /* confirm */
  "Linux:\n"
  "  nc -zv -w 3 192.168.159.128 80      # times out\n"
  "  nmap -Pn -p 80 192.168.159.128      # 'filtered'\n"
  "  tcpdump -ni vmnet8 'tcp port 80'    # SYNs out, nothing back\n"
  "Windows (PowerShell):\n"
  "  Test-NetConnection 192.168.159.128 -Port 80\n"
  "  # TcpTestSucceeded False, PingSucceeded True",
  /* fix_linux */
  "  # on the target, open the port:\n"
  "  ufw allow 80/tcp\n"
  "  firewall-cmd --permanent --add-service=http && firewall-cmd --reload\n"
  "  nft insert rule inet filter input tcp dport 80 accept\n"
  "  # on the host, see L4.firewall-blocks",
  /* fix_windows */
  "  On the target:\n"
  "  New-NetFirewallRule -DisplayName 'Allow HTTP' -Direction Inbound `\n"
  "    -Protocol TCP -LocalPort 80 -Action Allow\n"
  "  Turning a profile off (Set-NetFirewallProfile -Enabled False) is a\n"
  "  test only; switch it back on." },

{ "L4.firewall-blocks",
  /* why */
  "A rule in this machine's firewall drops or rejects the traffic. ufw\n"
  "and firewalld are front ends for nftables (or iptables, whose -nft\n"
  "variant also shows up in 'nft list ruleset'), so the rule named in the\n"
  "evidence may have been written by either. Besides INPUT, check\n"
  "FORWARD: Docker sets the iptables FORWARD policy to DROP, which also\n"
  "hits bridged or routed VM traffic that crosses the host.",
  /* confirm */
  "Linux:\n"
  "  nft -a list ruleset         # rules with their handles\n"
  "  iptables -L -n -v --line-numbers   # counters that grow\n"
  "  iptables -S FORWARD | head -n 1    # '-P FORWARD DROP'?\n"
  "  ufw status verbose\n"
  "  firewall-cmd --get-active-zones\n"
  "Windows (PowerShell):\n"
  "  Get-NetFirewallProfile |\n"
  "    Format-Table Name,Enabled,DefaultInboundAction\n"
  "  Get-NetFirewallRule -Enabled True -Action Block",
  /* fix_linux */
  "  # allow the VM network explicitly (take the table and chain\n"
  "  # names from 'nft -a list ruleset'):\n"
  "  nft insert rule inet filter input iifname \"vmnet8\" accept\n"
  "  iptables -I INPUT -i vmnet8 -p tcp --dport 80 -j ACCEPT\n"
  "  ufw allow in on vmnet8 to any port 80 proto tcp\n"
  "  firewall-cmd --permanent --zone=trusted --add-interface=vmnet8\n"
  "  firewall-cmd --reload\n"
  "  # or delete the offending rule by its handle:\n"
  "  nft delete rule inet filter input handle 12",
  /* fix_windows */
  "  # the VMnet adapter is an unidentified (Public) network:\n"
  "  Set-NetConnectionProfile -NetworkCategory Private `\n"
  "    -InterfaceAlias 'VMware Network Adapter VMnet8'\n"
  "  New-NetFirewallRule -DisplayName 'VMnet8 HTTP' -Direction Inbound `\n"
  "    -Protocol TCP -LocalPort 80 -Action Allow\n"
  "  Remove or disable the blocking rule found above (wf.msc)." },

{ "L4.nat-service-down",
  /* why */
  "The NAT device of a NAT network (.2) is a user-space process:\n"
  "vmnet-natd on Linux, vmnat.exe ('VMware NAT Service') on Windows. It\n"
  "masquerades guest connections onto the host's sockets, proxies DNS at\n"
  ".2 and serves the port forwards. When it is not running, guests still\n"
  "reach the host and each other on the virtual switch, but every\n"
  "connection to the outside shows SYNs without answers and DNS times\n"
  "out.",
  /* confirm */
  "Linux:\n"
  "  vmware-networks --status    # 'NAT service on vmnet8 is ...'\n"
  "  pgrep -a vmnet-natd\n"
  "  journalctl -b | grep vmnet-natd\n"
  "Windows (PowerShell):\n"
  "  Get-Service 'VMware NAT Service'\n"
  "  sc.exe qc \"VMware NAT Service\"",
  /* fix_linux */
  "  vmware-networks --stop; vmware-networks --start\n"
  "  # or: systemctl restart vmware (or vmware-networks)\n"
  "  # keeps failing: check /etc/vmware/vmnet8/nat/nat.conf and\n"
  "  # /etc/vmware/vmnet8/nat.mac exist (vmware-netcfg rewrites them)",
  /* fix_windows */
  "  Start-Service 'VMware NAT Service'\n"
  "  Set-Service 'VMware NAT Service' -StartupType Automatic\n"
  "  # error 1067 at start: vmnetnat.conf missing or broken ->\n"
  "  # Virtual Network Editor > Restore Defaults" },

{ "L4.nat-portforward-missing",
  /* why */
  "Machines other than the host reach a VM on a NAT network only through\n"
  "a port forward: the NAT service listens on a host port and relays to\n"
  "the VM's address and port. No forward exists for the requested host\n"
  "port, so the connection is refused or goes to another process. The\n"
  "host itself does not need one: it reaches the VM directly at its\n"
  "vmnet8 address.",
  /* confirm */
  "Linux:\n"
  "  grep add_nat_portfwd /etc/vmware/networking\n"
  "  sed -n '/^\\[incomingtcp\\]/,/^\\[/p' \\\n"
  "    /etc/vmware/vmnet8/nat/nat.conf\n"
  "  ss -ltnp 'sport = :8080'    # vmnet-natd should own it\n"
  "Windows (PowerShell):\n"
  "  # forwards are the 'hostport = ip:port' lines:\n"
  "  Select-String $env:ProgramData\\VMware\\vmnetnat.conf `\n"
  "    -Pattern '^\\d+ *='\n"
  "  Get-NetTCPConnection -State Listen -LocalPort 8080",
  /* fix_linux */
  "  # GUI: vmware-netcfg > vmnet8 > NAT Settings > Add\n"
  "  # by file: edit a copy and migrate it\n"
  "  cp /etc/vmware/networking /tmp/networking.new\n"
  "  #   add_nat_portfwd 8 tcp 8080 192.168.159.128 80\n"
  "  vmware-networks --migrate-network-settings /tmp/networking.new\n"
  "  # the host firewall must accept the host port (see\n"
  "  #   L4.firewall-blocks)",
  /* fix_windows */
  "  Virtual Network Editor > Change Settings > VMnet8 > NAT Settings >\n"
  "  Add: Host port 8080, Type TCP, Virtual machine IP address\n"
  "  192.168.159.128, Virtual machine port 80 > OK > Apply. Allow the\n"
  "  host port inbound in Windows Defender Firewall." },

{ "L4.nat-portforward-wrong-target",
  /* why */
  "A port forward relays to an address that is not the VM's: the VM got\n"
  "another address from DHCP since the forward was made (pool addresses\n"
  "change when leases expire or MACs change), or the target lies outside\n"
  "the network's subnet after the subnet was moved. The NAT service\n"
  "connects to nobody and the client sees a reset or a timeout.",
  /* confirm */
  "Linux:\n"
  "  grep add_nat_portfwd /etc/vmware/networking\n"
  "  grep -B1 -A5 '^lease' /etc/vmware/vmnet8/dhcpd/dhcpd.leases |\n"
  "    tail -n 40                 # the VM's current address\n"
  "  # in the guest: ip -4 addr\n"
  "Windows (PowerShell):\n"
  "  Virtual Network Editor > VMnet8 > NAT Settings (the forwards)\n"
  "  Get-Content $env:ProgramData\\VMware\\vmnetdhcp.leases -Tail 40",
  /* fix_linux */
  "  # give the VM a fixed address (reservation or static in\n"
  "  # .3-.127), then point the forward at it:\n"
  "  cp /etc/vmware/networking /tmp/networking.new\n"
  "  #   add_dhcp_mac_to_ip 8 00:0c:29:3b:64:ea 192.168.159.20\n"
  "  #   add_nat_portfwd 8 tcp 8080 192.168.159.20 80\n"
  "  vmware-networks --migrate-network-settings /tmp/networking.new",
  /* fix_windows */
  "  Virtual Network Editor > VMnet8 > NAT Settings: edit the forward\n"
  "  to the VM's current address. Make the address stable with a\n"
  "  reservation in vmnetdhcp.conf (Restart-Service VMnetDHCP) or a\n"
  "  static address in .3-.127 inside the guest." },

{ "L4.nat-hostport-conflict",
  /* why */
  "The host port of a forward is already bound by another process, so the\n"
  "NAT service cannot listen on it: clients reach that other program\n"
  "instead of the VM, or the forward silently does not work. Common\n"
  "culprits are a local web server on 8080, an SSH daemon on 2222, or two\n"
  "forwards (or two hypervisors) claiming the same port.",
  /* confirm */
  "Linux:\n"
  "  ss -ltnup 'sport = :8080'   # the owner (pid, program)\n"
  "  grep add_nat_portfwd /etc/vmware/networking\n"
  "Windows (PowerShell):\n"
  "  Get-NetTCPConnection -State Listen -LocalPort 8080 |\n"
  "    ForEach-Object { Get-Process -Id $_.OwningProcess }",
  /* fix_linux */
  "  # move the forward to a free host port (edit a copy, migrate):\n"
  "  cp /etc/vmware/networking /tmp/networking.new\n"
  "  #   add_nat_portfwd 8 tcp 8081 192.168.159.128 80\n"
  "  vmware-networks --migrate-network-settings /tmp/networking.new\n"
  "  # or stop the other service: systemctl stop <unit>",
  /* fix_windows */
  "  Virtual Network Editor > VMnet8 > NAT Settings: change the host\n"
  "  port to a free one, or stop the other program (its process is\n"
  "  shown above), then Restart-Service 'VMware NAT Service'." },

{ "L4.syn-unanswered",
  /* why */
  "The capture shows TCP SYNs leaving towards the target without any\n"
  "SYN-ACK or RST coming back. On the NAT adapter (vmnet8) that is the\n"
  "seed's classic picture of a NAT VM without internet: the NAT service\n"
  "is down, the host's own uplink has no connectivity, or a firewall\n"
  "upstream drops the traffic. Seen on the target's side instead, the\n"
  "target's firewall drops the SYNs.",
  /* confirm */
  "Linux:\n"
  "  tcpdump -ni vmnet8 'tcp[tcpflags] & (tcp-syn|tcp-rst) != 0'\n"
  "  pgrep -a vmnet-natd          # NAT service running?\n"
  "  curl -sI https://example.com # the host's own connectivity\n"
  "Windows (PowerShell):\n"
  "  Get-Service 'VMware NAT Service'\n"
  "  Test-NetConnection example.com -Port 443",
  /* fix_linux */
  "  # NAT service down: vmware-networks --stop; vmware-networks --start\n"
  "  # host offline: fix the uplink first (ip route get 9.9.9.9)\n"
  "  # upstream or target firewall: see L4.port-filtered",
  /* fix_windows */
  "  Restart-Service 'VMware NAT Service'; check the host's own\n"
  "  connectivity (Test-NetConnection example.com -Port 443) and the\n"
  "  firewalls on the path (L4.port-filtered)." },

{ "L4.retransmissions",
  /* why */
  "TCP resends segments that were not acknowledged in time; a high rate\n"
  "means packets are lost or delayed on the path. On virtual networks the\n"
  "usual causes are an MTU black hole (large segments lost, small ones\n"
  "pass), an overloaded host (vCPU starvation, emulated e1000 under\n"
  "load), Wi-Fi uplinks under bridging, or offload bugs in a guest\n"
  "driver. Throughput collapses long before connections fail.",
  /* confirm */
  "Linux:\n"
  "  ss -ti dst 192.168.159.128   # 'retrans:' per connection\n"
  "  nstat -az TcpRetransSegs TcpOutSegs\n"
  "  ping -M do -s 1472 -c 5 192.168.159.128   # MTU black hole?\n"
  "Windows:\n"
  "  netstat -s -p tcp    # 'Segments Retransmitted'",
  /* fix_linux */
  "  # MTU: see L2.mtu-mismatch\n"
  "  # test offloads in the guest (revert if no effect):\n"
  "  ethtool -K ens33 tso off gso off gro off\n"
  "  # use vmxnet3 instead of e1000 (HOST.nic-model-legacy)\n"
  "  # reduce host load; prefer wired over Wi-Fi for bridging",
  /* fix_windows */
  "  Check MTU (L2.mtu-mismatch) and host load; switch the VM to\n"
  "  vmxnet3 with VMware Tools installed; in the guest try disabling\n"
  "  Large Send Offload: Disable-NetAdapterLso -Name Ethernet0" },

/* ------------------------------------------------------------------ L7 */

{ "L7.service-not-listening",
  /* why */
  "No socket on this machine listens on the expected port, so every\n"
  "connection attempt is answered with a reset. The service is not\n"
  "running, failed at start (port in use, configuration error), or is\n"
  "configured for another port. vnetdiag reads the listening sockets of\n"
  "this machine, as ss does.",
  /* confirm */
  "Linux:\n"
  "  ss -ltnp 'sport = :80'\n"
  "  systemctl status nginx       # or the service in question\n"
  "  journalctl -u nginx -b\n"
  "Windows (PowerShell):\n"
  "  Get-NetTCPConnection -State Listen -LocalPort 80\n"
  "  Get-Service | Where-Object Status -ne Running",
  /* fix_linux */
  "  systemctl enable --now nginx\n"
  "  # failed at start: read its journal, fix the configuration, and\n"
  "  # check the port is free: ss -ltnp 'sport = :80'",
  /* fix_windows */
  "  Start-Service <name>\n"
  "  Set-Service <name> -StartupType Automatic\n"
  "  Get-WinEvent -LogName Application -MaxEvents 50   # start errors" },

{ "L7.http-error",
  /* why */
  "The TCP connection works but the HTTP server answered with an error\n"
  "status. 4xx blames the request: 403 is often file permissions or an\n"
  "SELinux context, 404 a wrong path or virtual host (Host header). 5xx\n"
  "blames the server: 502 and 504 come from a reverse proxy whose backend\n"
  "is down or slow, 500 and 503 from the application itself.",
  /* confirm */
  "Linux:\n"
  "  curl -sv -o /dev/null http://192.168.159.128/\n"
  "  curl -sv -o /dev/null -H 'Host: app.example' \\\n"
  "    http://192.168.159.128/\n"
  "  journalctl -u nginx -b; tail /var/log/nginx/error.log\n"
  "Windows (PowerShell):\n"
  "  curl.exe -sv -o NUL http://192.168.159.128/\n"
  "  Invoke-WebRequest http://192.168.159.128/ -UseBasicParsing",
  /* fix_linux */
  "  # read the server's error log for the request, then fix the cause:\n"
  "  # 403: permissions, SELinux (restorecon -Rv /srv/www;\n"
  "  #      setsebool -P httpd_can_network_connect 1 for a proxy)\n"
  "  # 502/504: start the backend or fix the proxy_pass address",
  /* fix_windows */
  "  Read the server's log (IIS: %SystemDrive%\\inetpub\\logs\\LogFiles,\n"
  "  the sub-status code tells the reason); fix permissions, bindings\n"
  "  (host name, port) or the backend the proxy points to." },

/* ---------------------------------------------------------------- HOST */

{ "HOST.vmware-service-down",
  /* why */
  "VMware networking on the host is a set of daemons: vmnet-bridge per\n"
  "bridged network, vmnet-netifup per host adapter, vmnet-dhcpd per DHCP\n"
  "network and vmnet-natd for NAT, all started by vmware-networks (from\n"
  "vmware.service or vmware-networks.service). On Windows the\n"
  "counterparts are the services VMnetDHCP and 'VMware NAT Service' and\n"
  "the drivers behind them. If they are not running, adapters vanish and\n"
  "VMs get no addresses, no NAT and no DNS.",
  /* confirm */
  "Linux:\n"
  "  vmware-networks --status\n"
  "  systemctl status vmware vmware-networks\n"
  "  pgrep -a 'vmnet-(bridge|netifup|dhcpd|natd)'\n"
  "Windows (PowerShell):\n"
  "  Get-Service VMnetDHCP, 'VMware NAT Service', VMAuthdService\n"
  "  sc.exe query VMnetBridge",
  /* fix_linux */
  "  vmware-networks --start\n"
  "  systemctl restart vmware          # VMware's installer\n"
  "  systemctl restart vmware-networks # distribution packages\n"
  "  /etc/init.d/vmware restart        # without systemd\n"
  "  # /etc/vmware/networking missing: regenerate the defaults\n"
  "  vmware-networks --postinstall vmware-player,0,1\n"
  "  # modules missing: see L1.module-missing",
  /* fix_windows */
  "  Start-Service VMnetDHCP, 'VMware NAT Service'\n"
  "  Set-Service VMnetDHCP -StartupType Automatic\n"
  "  Set-Service 'VMware NAT Service' -StartupType Automatic\n"
  "  # fail at start (error 1067): Virtual Network Editor > Restore\n"
  "  # Defaults, or Repair the installation" },

{ "HOST.hyperv-conflict",
  /* why */
  "Only one hypervisor can own the CPU's virtualization extensions at a\n"
  "time. On Windows, Hyper-V (also enabled by WSL2, Windows Sandbox,\n"
  "Device Guard/Credential Guard and memory integrity) takes them at\n"
  "boot; VMware Workstation before 15.5.5 then cannot start VMs, and\n"
  "later versions run on the Windows Hypervisor Platform, slower. On\n"
  "Linux, KVM and VirtualBox modules beside VMware fight for VT-x/AMD-V\n"
  "while their VMs run; recent kernels may take it when kvm loads\n"
  "(kvm.enable_virt_at_load).",
  /* confirm */
  "Linux:\n"
  "  lsmod | grep -E '^(kvm|kvm_intel|kvm_amd|vboxdrv|vmmon) '\n"
  "  virsh list; VBoxManage list runningvms\n"
  "Windows (elevated):\n"
  "  bcdedit /enum '{current}' | findstr /i hypervisorlaunchtype\n"
  "  Get-WindowsOptionalFeature -Online `\n"
  "    -FeatureName Microsoft-Hyper-V-All\n"
  "  systeminfo | findstr /i hypervisor\n"
  "  # 'A hypervisor has been detected' = Hyper-V is running",
  /* fix_linux */
  "  # stop the other hypervisor's VMs, then unload its modules\n"
  "  modprobe -r kvm_intel kvm        # or kvm_amd kvm\n"
  "  # keep it unloaded:\n"
  "  printf 'blacklist kvm_intel\\nblacklist kvm_amd\\n' \\\n"
  "    > /etc/modprobe.d/no-kvm.conf\n"
  "  # or run one hypervisor at a time",
  /* fix_windows */
  "  Keep Hyper-V: upgrade VMware Workstation to 16.x/17.x, which runs\n"
  "  on the Windows Hypervisor Platform. Or turn Hyper-V off:\n"
  "  bcdedit /set hypervisorlaunchtype off     (then reboot)\n"
  "  Disable-WindowsOptionalFeature -Online `\n"
  "    -FeatureName Microsoft-Hyper-V-All\n"
  "  and switch off Core isolation > Memory integrity. WSL2 and Sandbox\n"
  "  stop working while Hyper-V is off; to turn it back on:\n"
  "  bcdedit /set hypervisorlaunchtype auto" },

{ "HOST.selinux-denials",
  /* why */
  "SELinux is enforcing and the audit log holds AVC denials for the\n"
  "hypervisor's network processes (vmware-vmx, vmnet-natd, vmnet-dhcpd,\n"
  "qemu/libvirt, VBoxHeadless): opening /dev/vmnet*, binding a port,\n"
  "reading a configuration file. The policy silently blocks these\n"
  "operations while classic permissions allow them, so the failure looks\n"
  "like a networking fault. Mislabelled files after a copy or restore are\n"
  "a frequent cause.",
  /* confirm */
  "Linux:\n"
  "  getenforce\n"
  "  ausearch -m AVC,USER_AVC -ts recent | grep -iE 'vmware|vmnet|qemu'\n"
  "  journalctl -t setroubleshoot -b\n"
  "  setenforce 0   # test only: does it work now? then setenforce 1\n"
  "Windows:\n"
  "  Not applicable: SELinux exists only on Linux.",
  /* fix_linux */
  "  # wrong labels: restore them\n"
  "  restorecon -Rv /etc/vmware /var/lib/libvirt\n"
  "  # a boolean may allow it (audit2why names it):\n"
  "  ausearch -m avc -c vmware-vmx | audit2why\n"
  "  # else build a local module from that program's denials, read\n"
  "  # what it allows (vmnet-local.te) before loading it\n"
  "  ausearch -m avc -c vmware-vmx | audit2allow -M vmnet-local\n"
  "  semodule -i vmnet-local.pp\n"
  "  # do not leave the system permissive",
  /* fix_windows */
  "  Not applicable on Windows. The nearest equivalents are application\n"
  "  control policies (WDAC, AppLocker) and Defender's attack surface\n"
  "  reduction rules; check Windows Security > Protection history for\n"
  "  blocks of vmware-vmx.exe, vmnat.exe or vmnetdhcp.exe." },

{ "HOST.apparmor-denials",
  /* why */
  "AppArmor confines programs by path-based profiles; the kernel log\n"
  "holds apparmor=\"DENIED\" lines for a hypervisor network process\n"
  "(libvirtd, qemu via the per-VM libvirt profile, dnsmasq, VMware\n"
  "binaries under a custom profile). A denied open or bind makes the\n"
  "daemon fail or run half-configured, which looks like a network fault.",
  /* confirm */
  "Linux:\n"
  "  aa-status\n"
  "  journalctl -k -b | grep 'apparmor=\"DENIED\"'\n"
  "  grep 'apparmor=\"DENIED\"' /var/log/audit/audit.log\n"
  "Windows:\n"
  "  Not applicable: AppArmor exists only on Linux.",
  /* fix_linux */
  "  # test in complain mode (logs instead of blocking):\n"
  "  aa-complain /etc/apparmor.d/usr.sbin.libvirtd\n"
  "  # then allow what is needed in the local override and reload:\n"
  "  #   /etc/apparmor.d/local/usr.sbin.libvirtd\n"
  "  apparmor_parser -r /etc/apparmor.d/usr.sbin.libvirtd\n"
  "  aa-enforce /etc/apparmor.d/usr.sbin.libvirtd",
  /* fix_windows */
  "  Not applicable on Windows. Application control (WDAC, AppLocker)\n"
  "  and Defender attack surface reduction rules play that role; check\n"
  "  Windows Security > Protection history for blocked VMware files." },

{ "HOST.networkmanager-managed",
  /* why */
  "NetworkManager manages every interface it is not told to leave alone.\n"
  "On a hypervisor's adapter (vmnet1, vmnet8, virbr0, vboxnet0) it may\n"
  "run DHCP, flush the address the hypervisor set, add its own routes or\n"
  "take the link down when its profile deactivates, undoing\n"
  "vmware-networks' configuration minutes after it ran. Hypervisor\n"
  "adapters should be unmanaged.",
  /* confirm */
  "Linux:\n"
  "  nmcli device status          # STATE should be 'unmanaged'\n"
  "  nmcli connection show --active\n"
  "  journalctl -u NetworkManager -b | grep -E 'vmnet|virbr|vboxnet'\n"
  "Windows:\n"
  "  Not applicable: NetworkManager is a Linux service. On Windows,\n"
  "  look for VPN clients or policies that rewrite adapter settings.",
  /* fix_linux */
  "  nmcli device set vmnet8 managed no      # now, until reboot\n"
  "  # permanently, /etc/NetworkManager/conf.d/90-vnet-unmanaged.conf:\n"
  "  #   [keyfile]\n"
  "  #   unmanaged-devices=interface-name:vmnet*;interface-name:virbr*\n"
  "  #   (VirtualBox: add ;interface-name:vboxnet* to the line)\n"
  "  systemctl reload NetworkManager\n"
  "  vmware-networks --stop; vmware-networks --start",
  /* fix_windows */
  "  Not applicable on Windows. If a VPN client or management policy\n"
  "  rewrites the VMnet adapters, exclude them in its settings, then\n"
  "  Virtual Network Editor > Apply to restore VMware's configuration." },

{ "HOST.firewall-blocks-hypervisor",
  /* why */
  "A firewall rule targets the hypervisor's own programs rather than a\n"
  "port: on Windows, Defender Firewall rules for vmware.exe,\n"
  "vmware-vmx.exe, vmnat.exe or vmnetdhcp.exe (Windows creates such block\n"
  "rules when its 'allow access' prompt is cancelled), which block NAT,\n"
  "DHCP and port forwards for every VM. On Linux, rules can match on the\n"
  "vmnet interfaces or the daemons' user or cgroup.",
  /* confirm */
  "Linux:\n"
  "  nft -a list ruleset | grep -nE 'vmnet|virbr|skuid|cgroup'\n"
  "  iptables -S | grep -E 'vmnet|virbr|owner'\n"
  "Windows (PowerShell):\n"
  "  Get-NetFirewallApplicationFilter |\n"
  "    Where-Object Program -match 'vmware|vmnat|vmnetdhcp' |\n"
  "    Get-NetFirewallRule | Where-Object Action -eq Block |\n"
  "    Format-Table DisplayName,Direction,Enabled",
  /* fix_linux */
  "  # delete the rule by its handle (from the listing above):\n"
  "  nft delete rule inet filter input handle 12\n"
  "  # iptables: delete by rule number (or by its full specification)\n"
  "  iptables -L INPUT -n --line-numbers\n"
  "  iptables -D INPUT 3",
  /* fix_windows */
  "  Remove the blocking rules found above:\n"
  "  Get-NetFirewallApplicationFilter |\n"
  "    Where-Object Program -match 'vmware|vmnat|vmnetdhcp' |\n"
  "    Get-NetFirewallRule | Where-Object Action -eq Block |\n"
  "    Remove-NetFirewallRule\n"
  "  or in wf.msc set them to Allow." },

{ "HOST.log-errors",
  /* why */
  "The hypervisor's logs contain lines that name a failure directly:\n"
  "'Failed to initialize', 'Could not connect Ethernet0 to virtual\n"
  "network', 'Permission denied', 'Interface initialization failed',\n"
  "module load errors. They usually point at the real cause faster than\n"
  "any probe. On Linux the VMware network daemons log to syslog or the\n"
  "journal (vmnet-dhcpd, vmnet-natd, vmnetBridge); each VM writes\n"
  "vmware.log in its own folder.",
  /* confirm */
  "Linux:\n"
  "  journalctl -b | grep -E 'vmnet|vmmon|vmnetBridge|vmware'\n"
  "  grep -nE 'Failed to|can.t open|Permission denied' \\\n"
  "    ~/vmware/web/vmware.log\n"
  "Windows (PowerShell):\n"
  "  Select-String -Path C:\\VMs\\web\\vmware.log `\n"
  "    -Pattern 'Failed to|Could not connect'\n"
  "  Get-WinEvent -MaxEvents 20 -FilterHashtable `\n"
  "    @{LogName='System'; ProviderName='VMnetDHCP'}",
  /* fix_linux */
  "  # fix what the line names:\n"
  "  # 'Could not open /dev/vmmon' -> L1.module-missing\n"
  "  # 'could not connect ... /dev/vmnet8' -> HOST.vmware-service-down\n"
  "  # 'Permission denied' -> file modes, SELinux/AppArmor\n"
  "  # module build errors -> L1.module-kernel-mismatch",
  /* fix_windows */
  "  Fix what the line names: missing adapter or service (Virtual\n"
  "  Network Editor > Restore Defaults, Start-Service VMnetDHCP),\n"
  "  'Permission denied' (run elevated, check security software),\n"
  "  address conflicts (L2.duplicate-ip)." },

{ "HOST.sysctl-obsolete",
  /* why */
  "A sysctl file sets keys the kernel has removed or that do harm.\n"
  "net.ipv4.tcp_tw_recycle rejected connections whose TCP timestamps went\n"
  "backwards per source address, which breaks clients behind one NAT\n"
  "address, VMs behind a NAT device included; Linux 4.12 removed it. On\n"
  "newer kernels the line only makes 'sysctl -p' report an error, but it\n"
  "still marks copied tuning advice. vnetdiag reads sysctl.conf and the\n"
  "sysctl.d directories (under --sysroot when given).",
  /* confirm */
  "Linux:\n"
  "  grep -rn tcp_tw_recycle /etc/sysctl.conf /etc/sysctl.d \\\n"
  "    /run/sysctl.d /usr/lib/sysctl.d /lib/sysctl.d\n"
  "  ls /proc/sys/net/ipv4/tcp_tw_recycle   # absent since 4.12\n"
  "  sysctl --system 2>&1 | grep -i 'cannot stat'\n"
  "Windows:\n"
  "  Not applicable: a Linux kernel setting.",
  /* fix_linux */
  "  # delete the line from the file that sets it, then re-apply:\n"
  "  sed -i '/tcp_tw_recycle/d' /etc/sysctl.conf\n"
  "  sysctl --system\n"
  "  # never set it again on any kernel; for many outgoing connections\n"
  "  # in TIME-WAIT, net.ipv4.tcp_tw_reuse = 1 is the safe knob",
  /* fix_windows */
  "  Not applicable on Windows: TIME-WAIT handling there is the\n"
  "  TcpTimedWaitDelay registry value, and nothing needs removing." },

{ "HOST.nic-model-legacy",
  /* why */
  "The VM's NIC is an emulated Intel e1000 (ethernetN.virtualDev =\n"
  "\"e1000\" or absent on older guest types): every register access traps\n"
  "into the hypervisor, so it costs much more CPU per packet and offers\n"
  "fewer offloads and a single queue. vmxnet3 is paravirtual, multiqueue\n"
  "and supported by Linux since 2.6.32 and by VMware Tools on Windows.\n"
  "Not an outage, but a common cause of poor throughput.",
  /* confirm */
  "Linux:\n"
  "  grep -i 'virtualDev' ~/vmware/*/*.vmx\n"
  "  # in the guest:\n"
  "  ethtool -i ens33 | grep driver   # e1000 or vmxnet3\n"
  "Windows (PowerShell):\n"
  "  Select-String -Path C:\\VMs\\*\\*.vmx -Pattern 'virtualDev'\n"
  "  # in a Windows guest, 'Intel(R) PRO/1000' = e1000:\n"
  "  Get-NetAdapter | Format-Table Name,InterfaceDescription",
  /* fix_linux */
  "  # VM powered off, in the .vmx:\n"
  "  #   ethernet0.virtualDev = \"vmxnet3\"\n"
  "  # the guest's interface name may change (ens33 -> ens160): update\n"
  "  # its netplan/ifcfg/NetworkManager configuration afterwards",
  /* fix_windows */
  "  Install or update VMware Tools in the guest first (it brings the\n"
  "  vmxnet3 driver), power off, set ethernet0.virtualDev = \"vmxnet3\"\n"
  "  in the .vmx. Windows sees a new adapter: set its static address\n"
  "  again if it had one." },
};
/* clang-format on */

const size_t vd_explain_table_len =
	sizeof(vd_explain_table) / sizeof(vd_explain_table[0]);

const struct vd_explain *vd_explain_find(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < vd_explain_table_len; i++)
		if (strcmp(vd_explain_table[i].code, code) == 0)
			return &vd_explain_table[i];
	return NULL;
}
