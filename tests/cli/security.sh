#!/usr/bin/env bash
# vnetdiag collect --sysroot picks up the security modules' files: SELinux's
# enforce flag and config, AppArmor's profiles, denials from audit.log and
# kern.log, KVM's enable_virt_at_load; analyze then reports them.  Prints
# one "ok - ..." / "not ok - ..." line per case.  Sends no packets.
set -u
cd "$(dirname "$0")/../.."
VNETDIAG=${VNETDIAG:-build/vnetdiag}
case "$VNETDIAG" in /*) ;; *) VNETDIAG=$PWD/$VNETDIAG ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fails=0
check() { # NAME JQ-FILTER FILE: ok when the filter is true
	if jq -e "$2" "$3" >/dev/null 2>&1; then
		echo "ok - security: $1"
	else
		echo "not ok - security: $1"
		fails=$((fails + 1))
	fi
}

r=$tmp/root
mkdir -p "$r/sys/fs/selinux" "$r/etc/selinux" "$r/var/log/audit" \
	"$r/sys/kernel/security/apparmor" "$r/proc" \
	"$r/sys/module/kvm/parameters"
echo 1 >"$r/sys/fs/selinux/enforce"
printf 'SELINUX=enforcing\nSELINUXTYPE=targeted\n' >"$r/etc/selinux/config"
cat >"$r/var/log/audit/audit.log" <<'LOG'
type=SYSCALL msg=audit(1764320402.512:3107): arch=c000003e syscall=49 success=no exit=-13 a0=5 a1=7ffd1b2c3d40 a2=10 a3=0 items=0 ppid=1 pid=2345 auid=4294967295 uid=0 gid=0 comm="vmnet-natd" exe="/usr/bin/vmnet-natd" subj=system_u:system_r:unconfined_service_t:s0 key=(null)
type=AVC msg=audit(1764320402.512:3107): avc:  denied  { name_bind } for  pid=2345 comm="vmnet-natd" src=8080 scontext=system_u:system_r:unconfined_service_t:s0 tcontext=system_u:object_r:http_cache_port_t:s0 tclass=tcp_socket permissive=0
type=AVC msg=audit(1764320404.000:3111): avc:  denied  { getattr } for  pid=999 comm="httpd" path="/var/www/html" dev="sda1" ino=1 scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:user_home_t:s0 tclass=dir permissive=0
LOG
printf '/usr/sbin/libvirtd (enforce)\ndocker-default (enforce)\n' \
	>"$r/sys/kernel/security/apparmor/profiles"
echo 'Nov 28 10:00:01 host kernel: [  812.104223] audit: type=1400 audit(1764320401.104:58): apparmor="DENIED" operation="open" class="file" profile="/usr/sbin/libvirtd" name="/dev/vmnet8" pid=1201 comm="libvirtd" requested_mask="wr" denied_mask="wr" fsuid=0 ouid=0' \
	>"$r/var/log/kern.log"
printf 'vmmon 143360 0 - Live 0x0 (OE)\nkvm_intel 409600 0 - Live 0x0\nkvm 1347584 1 kvm_intel, Live 0x0\n' \
	>"$r/proc/modules"
echo Y >"$r/sys/module/kvm/parameters/enable_virt_at_load"

if "$VNETDIAG" collect -o "$tmp/snap.json" --sysroot "$r" 2>"$tmp/err"; then
	echo "ok - security: collect --sysroot"
else
	echo "not ok - security: collect --sysroot: $(head -n 1 "$tmp/err")"
	fails=$((fails + 1))
fi
s=$tmp/snap.json
check "SELinux mode from selinuxfs" \
	'.security.selinux == {mode: "enforcing", source: "/sys/fs/selinux/enforce",
	  config_mode: "enforcing", config_source: "/etc/selinux/config:1"}' "$s"
check "AppArmor profiles of interest" \
	'.security.apparmor.enabled and .security.apparmor.profiles_total == 2
	 and [.security.apparmor.profiles[].name] == ["/usr/sbin/libvirtd"]' "$s"
check "denials with file:line, unrelated ones left out" \
	'[.security.denials[] | "\(.kind) \(.comm) \(.file):\(.line)"] ==
	 ["selinux-avc vmnet-natd /var/log/audit/audit.log:2",
	  "apparmor libvirtd /var/log/kern.log:1"]' "$s"
check "kvm enable_virt_at_load" '.security.kvm_virt_at_load == true' "$s"

"$VNETDIAG" analyze "$s" --json >"$tmp/report.json" 2>/dev/null
check "analyze reports the three codes" \
	'[.findings[].code] as $c | ($c | index("HOST.selinux-denials")) and
	 ($c | index("HOST.apparmor-denials")) and ($c | index("HOST.hyperv-conflict"))' \
	"$tmp/report.json"
check "evidence quotes the audit log line" \
	'[.findings[] | select(.code == "HOST.selinux-denials") | .evidence[]
	  | select(startswith("/var/log/audit/audit.log:2: type=AVC"))] | length == 1' \
	"$tmp/report.json"

# Without the files: nothing known, no "security" key, no finding.
mkdir -p "$tmp/empty"
"$VNETDIAG" collect -o "$tmp/empty.json" --sysroot "$tmp/empty" 2>/dev/null
check "an empty sysroot knows nothing" 'has("security") | not' "$tmp/empty.json"

[ "$fails" -eq 0 ]
