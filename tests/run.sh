#!/usr/bin/env bash
# Every test suite, for people and CI alike (make test, .ci/run).
# Builds twice (-Werror; ASan+UBSan), runs unit, golden, CLI, lab and fuzz
# replay suites on the sanitizer build, checks formatting, and ends with
# one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
skipped=0
failures=()
logdir=build-tests
mkdir -p "$logdir"

# Count TAP-style lines ("ok ...", "not ok ...") a suite prints; a suite
# that fails without saying which test counts as one failure.
suite() {
	local name=$1
	shift
	local log="$logdir/$name.log" rc p f k
	echo "== $name"
	"$@" >"$log" 2>&1
	rc=$?
	grep -E '^(not )?ok ' "$log" | sed 's/^/  /'
	grep -E '^#|^==|ERROR|runtime error|Sanitizer' "$log" | grep -v '^# SKIP' | head -n 40 | sed 's/^/  /'
	# TAP: a "# SKIP" directive makes a line a skip, whether ok or not ok.
	k=$(grep -E '^(not )?ok ' "$log" | grep -ciE '# skip')
	p=$(grep -E '^ok ' "$log" | grep -civE '# skip')
	f=$(grep -E '^not ok ' "$log" | grep -civE '# skip')
	while IFS= read -r line; do failures+=("$line"); done < <(grep -E '^not ok ' "$log" | grep -viE '# skip')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		failures+=("not ok - $name exited with status $rc (see $log)")
		tail -n 20 "$log" | sed 's/^/  | /'
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))
}

build() { # dir, meson options...
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" || return 1
	fi
	ninja -C "$dir" || return 1
	echo "ok - build $dir"
}

build_fuzz() {
	if [ ! -f build-fuzz/build.ninja ]; then
		CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=false \
			-Db_sanitize=address,undefined -Db_lundef=false || return 1
	fi
	ninja -C build-fuzz || return 1
	echo "ok - build build-fuzz"
}

unit() {
	local t rc=0
	for t in build-asan/tests/unit/test_*; do
		[ -f "$t" ] && [ -x "$t" ] || continue
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" || rc=1
	done
	return $rc
}

# The VMware parsers' tests again, on the -Werror build: their
# allocation-failure cases (tests/unit/failmalloc.h) need glibc's own
# malloc, and skip under ASan.
unit_failmalloc() {
	local src t rc=0
	for src in $(grep -lE 'failmalloc|vmware_fixture' tests/unit/test_*.c); do
		t=build/tests/unit/$(basename "$src" .c)
		[ -x "$t" ] || { echo "not ok - $t: not built"; rc=1; continue; }
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" || rc=1
	done
	return $rc
}

fuzz_replay() {
	local h dir rc=0 files
	for h in build-fuzz/tests/fuzz/fuzz_*; do
		[ -f "$h" ] && [ -x "$h" ] || continue
		dir=tests/fuzz/corpus/$(basename "$h")
		files=$(find "$dir" -type f 2>/dev/null | sort)
		if [ -z "$files" ]; then
			echo "not ok - fuzz replay $(basename "$h"): empty corpus $dir"
			rc=1
			continue
		fi
		# shellcheck disable=SC2086
		if "$h" $files >"$logdir/$(basename "$h").replay" 2>&1; then
			echo "ok - fuzz replay $(basename "$h") ($(echo "$files" | wc -l) inputs)"
		else
			echo "not ok - fuzz replay $(basename "$h")"
			tail -n 30 "$logdir/$(basename "$h").replay"
			rc=1
		fi
	done
	return $rc
}

format_check() {
	local bad
	bad=$(git ls-files '*.c' '*.h' | xargs clang-format --dry-run -Werror 2>&1 |
		grep ': error:' | cut -d: -f1 | sort -u | tr '\n' ' ')
	if [ -n "$bad" ]; then
		echo "not ok - clang-format: $bad"
		return 1
	fi
	echo "ok - clang-format"
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

suite build build build
suite build-asan build build-asan -Db_sanitize=address,undefined \
	-Db_lundef=false -Dc_args=-fno-sanitize-recover=all
export VNETDIAG=$PWD/build-asan/vnetdiag
suite unit unit
suite unit-failmalloc unit_failmalloc
suite golden tests/golden/run.sh
suite dbus tests/dbus/run.sh
suite cli tests/cli/run.sh
suite backup tests/cli/backup.sh
suite pcap-cli tests/cli/pcap.sh
suite security-cli tests/cli/security.sh
suite pcap tests/pcap/run.sh
suite lab tests/lab/run.sh
suite mutation tests/mutation/run.sh
if command -v clang >/dev/null; then
	suite build-fuzz build_fuzz
	suite fuzz fuzz_replay
fi
suite format format_check

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "failures:"
	printf '  %s\n' "${failures[@]}"
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
