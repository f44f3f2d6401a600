#!/usr/bin/env bash
# The whole test suite, as CI runs it (README: "Run the tests"). Run as root on Debian 12 after
# tools/install-deps.sh; without root the lab tests skip.
#   1. release-style build with -Werror: unit, golden cases, fuzz-corpus replay, lab, score
#   2. ASan+UBSan build: unit, cases and fuzz-corpus replay again
#   3. libFuzzer: every target for a short bounded time
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds=${FUZZ_SECONDS:-20}

echo "== build (-Werror)"
meson setup build-ci --werror --buildtype=debugoptimized >/dev/null
ninja -C build-ci
echo "== tests"
# CI owns the machine: let the watch overrun test fill the kernel's ring buffer (on a shared
# machine that would wipe other runs' lab logs, so it skips unless told)
export FSDOCTOR_TEST_KMSG_FLOOD=1
meson test -C build-ci --print-errorlogs --num-processes 2

echo "== ASan/UBSan build and tests"
CC=clang meson setup build-asan --werror -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
ninja -C build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-asan --print-errorlogs --num-processes 2 --suite unit --suite cases --suite fuzz-regression

echo "== fuzzing, ${fuzz_seconds}s per target"
CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
ninja -C build-fuzz
for fuzzer in $(find build-fuzz/tests/fuzz -maxdepth 2 -type f -executable -name 'fuzz-*' ! -name '*-replay'); do
  name=$(basename "$fuzzer")
  work=$(mktemp -d)
  [ -d "tests/fuzz/corpora/$name" ] && cp -r "tests/fuzz/corpora/$name/." "$work/"
  echo "-- $name"
  "$fuzzer" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$work" 2>&1 | grep -E "^stat::(number_of_executed_units|new_units_added|peak_rss_mb)|ERROR|SUMMARY"
  rm -rf "$work"
done
echo "== all tests passed"
