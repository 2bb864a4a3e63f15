#!/usr/bin/env bash
# vnetdiag backup and diff on a sysroot built here: content addressing,
# nothing overwritten or left half-way, diffs in network terms.  Prints one
# "ok - ..." / "not ok - ..." line per case.  Sends no packets.
set -u
cd "$(dirname "$0")/../.."
VNETDIAG=${VNETDIAG:-build/vnetdiag}
case "$VNETDIAG" in /*) ;; *) VNETDIAG=$PWD/$VNETDIAG ;; esac
fixtures=$PWD/tests/fixtures/vmware
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

fails=0
ok() { echo "ok - backup: $1"; }
nok() {
	echo "not ok - backup: $1"
	fails=$((fails + 1))
}
check() { # NAME COMMAND...: ok when the command succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else nok "$name"; fi
}
# run WANT_RC ARGS...: stdout in $tmp/out, stderr in $tmp/err; checks the
# exit status and that a failure says one line.
run() {
	local want=$1 rc
	shift
	"$VNETDIAG" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if grep -qE 'runtime error|Sanitizer' "$tmp/err"; then
		echo "# sanitizer report: $*"
		return 1
	fi
	if [ "$rc" -ne "$want" ]; then
		echo "# exit $rc, wanted $want: $*"
		sed 's/^/# /' "$tmp/err" | head -n 5
		return 1
	fi
	if [ "$want" -eq 3 ] && [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
		echo "# stderr is not one line: $*"
		return 1
	fi
	return 0
}
count() { find "$1" -mindepth 1 -maxdepth 1 -name '2*' | wc -l; }
leftovers() { find "$1" -mindepth 1 -maxdepth 1 -name '.tmp-*' | wc -l; }

# The sysroot: VMware's Linux files, two port forwards added.
root=$tmp/root
mkdir -p "$root/etc/vmware/vmnet8/nat" "$root/etc/vmware/vmnet8/dhcpd" \
	"$root/etc/vmware/vmnet1/dhcpd"
cp "$fixtures/linux-networking" "$root/etc/vmware/networking"
printf '%s\n' "add_nat_portfwd 8 tcp 8080 192.168.135.128 80" \
	"add_nat_portfwd 8 tcp 2222 192.168.135.128 22" >>"$root/etc/vmware/networking"
cp "$fixtures/linux-vmnet8-nat.conf" "$root/etc/vmware/vmnet8/nat/nat.conf"
cp "$fixtures/linux-vmnet8-dhcpd.conf" "$root/etc/vmware/vmnet8/dhcpd/dhcpd.conf"
cp "$fixtures/linux-vmnet1-dhcpd.conf" "$root/etc/vmware/vmnet1/dhcpd/dhcpd.conf"
cp "$fixtures/linux-vmnet8-dhcpd.leases" "$root/etc/vmware/vmnet8/dhcpd/dhcpd.leases"
chmod -R a+rX "$root"
dir=$tmp/backups

check "backup --help" run 0 backup --help
check "backup --help shows usage" grep -q "usage: vnetdiag backup" "$tmp/out"
check "diff --help" run 0 diff --help
check "diff --help shows usage" grep -q "usage: vnetdiag diff" "$tmp/out"
check "help backup" run 0 help backup

# First backup: a new folder named <UTC time>-<hash>, DIR created 0700.
if run 0 backup --sysroot "$root" --dir "$dir" &&
	grep -qE "^stored [0-9]+ files in $dir/[0-9]{8}T[0-9]{6}Z-[0-9a-f]{12}\$" "$tmp/out" &&
	[ "$(wc -l <"$tmp/out")" -eq 1 ]; then
	ok "first backup stores a folder and says so in one line"
else
	nok "first backup"
	sed 's/^/# /' "$tmp/out"
fi
first=$(find "$dir" -mindepth 1 -maxdepth 1 -name '2*' | head -n 1)
check "backup folder and DIR are mode 0700" \
	[ "$(stat -c %a "$dir")" = 700 ] && [ "$(stat -c %a "$first")" = 700 ]
n=$(grep -oE '^stored [0-9]+' "$tmp/out" | grep -oE '[0-9]+')
check "file count is the MANIFEST's" [ "$n" = "$(wc -l <"$first/MANIFEST")" ]

# The stored files are byte-exact copies at their paths.
ok_copy=1
for f in etc/vmware/networking etc/vmware/vmnet8/nat/nat.conf \
	etc/vmware/vmnet8/dhcpd/dhcpd.conf; do
	cmp -s "$root/$f" "$first/$f" || ok_copy=0
done
check "configuration files copied byte-exact at their paths" [ "$ok_copy" = 1 ]
check "snapshot stored and readable" \
	sh -c '"$1" analyze "$2" --json >/dev/null 2>&1; [ $? -le 2 ]' _ "$VNETDIAG" "$first/snapshot.json"
# shellcheck disable=SC2016
check "MANIFEST sorted by path, snapshot listed" \
	sh -c 'cut -d" " -f5- "$1" | LC_ALL=C sort -c && grep -q "  snapshot.json\$" "$1"' _ "$first/MANIFEST"
check "MANIFEST sums verify with sha256sum -c" \
	sh -c 'cd "$1" && sed -E "s/^([0-9a-f]{64})  [0-9]+  /\\1  /" MANIFEST | sha256sum -c --quiet -' _ "$first"
check "MANIFEST sizes are the files' sizes" \
	sh -c 'cd "$1" && while read -r h s p; do [ "$(stat -c %s "$p")" = "$s" ] || exit 1; done <MANIFEST' _ "$first"
# The name's hash: the first 12 hex of the SHA-256 of the configuration
# lines (not the snapshot, logs or leases).
want=$(grep -vE '  snapshot\.json$|leases|\.log$' "$first/MANIFEST" | sha256sum | cut -c1-12)
check "folder name carries the configuration's hash" [ "${first##*-}" = "$want" ]

# Second backup, in another second (not the same name): nothing new.
sleep 1
if run 0 backup --sysroot "$root" --dir "$dir" &&
	[ "$(cat "$tmp/out")" = "unchanged since $first" ] && [ "$(count "$dir")" = 1 ]; then
	ok "second backup stores nothing and says unchanged"
else
	nok "second backup"
	sed 's/^/# /' "$tmp/out"
fi
# Leases change by themselves: not a configuration change.
if grep -q 'dhcpd.leases' "$first/MANIFEST"; then
	echo "# a renewed lease" >>"$root/etc/vmware/vmnet8/dhcpd/dhcpd.leases"
	run 0 backup --sysroot "$root" --dir "$dir" &&
		grep -q '^unchanged since' "$tmp/out" && [ "$(count "$dir")" = 1 ] &&
		ok "a changed lease file is not a new configuration" ||
		nok "a changed lease file is not a new configuration"
else
	ok "leases not read by this collector # SKIP"
fi

# Change the subnet of vmnet8 and drop a port forward: a new backup.
sed -i -e 's/^answer VNET_8_HOSTONLY_SUBNET .*/answer VNET_8_HOSTONLY_SUBNET 192.168.136.0/' \
	-e '/^add_nat_portfwd 8 tcp 8080 /d' "$root/etc/vmware/networking"
sleep 1
if run 0 backup --sysroot "$root" --dir="$dir" && grep -q '^stored' "$tmp/out" &&
	[ "$(count "$dir")" = 2 ]; then
	ok "changed configuration is a new backup (--dir=DIR)"
else
	nok "changed configuration is a new backup"
fi
third=$(find "$dir" -mindepth 1 -maxdepth 1 -name '2*' | sort | tail -n 1)
check "the first backup is untouched" \
	sh -c 'cd "$1" && sed -E "s/^([0-9a-f]{64})  [0-9]+  /\\1  /" MANIFEST | sha256sum -c --quiet -' _ "$first"
check "no temporary folder left" [ "$(leftovers "$dir")" = 0 ]

# diff names exactly the two changes.
cat >"$tmp/want" <<EOF
vmnet8 subnet 192.168.135.0/24 -> 192.168.136.0/24
vmnet8 port forward tcp 8080 -> 192.168.135.128:80 removed
EOF
if run 1 diff "$first" "$third" && cmp -s "$tmp/out" "$tmp/want"; then
	ok "diff names the subnet and the port forward, exit 1"
else
	nok "diff of the first and third backups"
	sed 's/^/# got: /' "$tmp/out"
fi
if run 1 diff --json "$first" "$third" &&
	jq -e '.schema == "vnetdiag.diff/1" and (.changes | length) == 2 and
		.changes[0].what == "vmnet8.subnet" and .changes[0].from == "192.168.135.0/24" and
		.changes[0].to == "192.168.136.0/24" and
		.changes[1].what == "vmnet8.portfwd.tcp.8080" and .changes[1].to == null and
		(.changes[1].text | test("removed$"))' "$tmp/out" >/dev/null; then
	ok "diff --json shape"
else
	nok "diff --json shape"
fi
check "diff of a backup with itself: exit 0, no output" \
	sh -c '"$1" diff "$2" "$2" >"$3" && [ ! -s "$3" ]' _ "$VNETDIAG" "$first" "$tmp/same"
check "diff --json of the same: no changes" \
	sh -c '"$1" diff --json "$2" "$2/snapshot.json" | jq -e ".changes == []" >/dev/null' _ "$VNETDIAG" "$first"
check "diff of a backup and its snapshot file: exit 0" run 0 diff "$third" "$third/snapshot.json"

# Unreadable input: one line naming the file, exit 3.
check "diff of a missing file" run 3 diff "$first" "$tmp/nonexistent"
check "diff error names the file" grep -q "cannot read $tmp/nonexistent" "$tmp/err"
echo "hello" >"$tmp/text"
check "diff of a non-snapshot" run 3 diff "$tmp/text" "$first"
check "diff error says not JSON" grep -q "$tmp/text: not JSON" "$tmp/err"
echo '{"schema": "nmstate/1"}' >"$tmp/other.json"
check "diff of another schema" run 3 diff "$first" "$tmp/other.json"
mkdir -p "$tmp/empty"
check "diff of a folder without snapshot.json" run 3 diff "$tmp/empty" "$first"
check "diff with one argument" run 3 diff "$first"
check "backup with a stray argument" run 3 backup --sysroot "$root" --dir "$dir" foo
check "backup --dir without a value" run 3 backup --sysroot "$root" --dir

# DIR not writable: exit 3, one line, nothing left behind.
sed -i 's/^answer VNET_1_HOSTONLY_SUBNET .*/answer VNET_1_HOSTONLY_SUBNET 172.16.79.0/' \
	"$root/etc/vmware/networking"
touch "$tmp/file"
check "DIR under a regular file" run 3 backup --sysroot "$root" --dir "$tmp/file/backups"
check "its error says why" grep -q "cannot create $tmp/file/backups: Not a directory" "$tmp/err"
ro=$tmp/ro
mkdir -p "$ro"
if [ "$(id -u)" -eq 0 ]; then
	# root writes anywhere: take a user's rights for this one.
	chown 65534 "$ro" && chmod 555 "$ro"
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	chmod 555 "$ro"
	as_user() { "$@"; }
fi
as_user "$VNETDIAG" backup --sysroot "$root" --dir "$ro" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 3 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	grep -q "cannot write to $ro: Permission denied" "$tmp/err" &&
	[ -z "$(ls -A "$ro")" ]; then
	ok "read-only DIR: exit 3, one line, nothing written"
else
	nok "read-only DIR (exit $rc)"
	sed 's/^/# /' "$tmp/err"
fi
# A disk that fills up half-way: the temporary folder goes away.
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
	mkdir -p "$tmp/small" "$root/var/log"
	head -c 400000 /dev/zero | tr '\0' 'x' | fold -w 100 >"$root/var/log/vmware-networks.log"
	unshare -m sh -c 'mount -t tmpfs -o size=96k none "$1" &&
		"$2" backup --sysroot "$3" --dir "$1/b" >"$4/out" 2>"$4/err"; rc=$?;
		n=$(find "$1/b" -mindepth 1 | wc -l); umount "$1"; echo "$rc $n"' \
		_ "$tmp/small" "$VNETDIAG" "$root" "$tmp" >"$tmp/res"
	if [ "$(cat "$tmp/res")" = "3 0" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -q "No space left on device" "$tmp/err"; then
		ok "disk full half-way: exit 3, one line, no partial folder"
	else
		nok "disk full half-way ($(cat "$tmp/res"))"
		sed 's/^/# /' "$tmp/err"
	fi
	rm -f "$root/var/log/vmware-networks.log"
else
	ok "disk full half-way # SKIP needs root and mount namespaces"
fi
mkdir -p "$tmp/bare"
check "nothing to back up" run 3 backup --sysroot "$tmp/bare" --dir "$tmp/none"
check "its error says so" grep -q "nothing to back up" "$tmp/err"

[ "$fails" -eq 0 ]
