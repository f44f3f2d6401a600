#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# profile-analyze.sh [BUILD_DIR] [SIZE_MIB] [FORMAT]
#
# Where does `fsdoctor analyze` spend its time on the benchmark log? perf (sampling, DWARF call
# graphs) when it works here, else valgrind --tool=callgrind (instruction counts; slow, so keep
# SIZE_MIB small). Prints the hottest functions by self time and by time including callees.
# BUILD_DIR defaults to "build", SIZE_MIB to 256, FORMAT to json. For readable call graphs build
# with frame pointers: meson setup build-prof -Dc_args=-fno-omit-frame-pointer.
# Environment: SEED (default 1), BENCH_DIR (default /tmp/fsdoctor-bench), TOP (default 25).
set -euo pipefail

die() { echo "profile-analyze: $*" >&2; exit 2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${1:-build}
size_mib=${2:-256}
format=${3:-json}
seed=${SEED:-1}
top=${TOP:-25}
bench_dir=${BENCH_DIR:-/tmp/fsdoctor-bench}
[[ $build_dir = /* ]] || build_dir="$repo/$build_dir"
[[ $size_mib =~ ^[1-9][0-9]*$ ]] || die "SIZE_MIB must be a positive number"
fsdoctor="$build_dir/src/fsdoctor"
gen="$build_dir/bench/gen-syslog"
[[ -x $fsdoctor && -x $gen ]] || die "build $build_dir first"

# Same file naming as bench-analyze.sh, but profiles keep their own sizes next to its file.
gen_id=$(sha256sum "$repo/bench/gen-syslog.c" | cut -c1-12)
mkdir -p "$bench_dir"
log="$bench_dir/profile-${size_mib}M-seed$seed-$gen_id.log"
if [[ ! -s $log ]]; then
    rm -f "$bench_dir"/profile-*.log
    "$gen" --size="$size_mib" --seed="$seed" --output="$log.tmp" 2>/dev/null
    mv "$log.tmp" "$log"
fi
cat "$log" > /dev/null

out=$(mktemp -d /tmp/fsdoctor-profile.XXXXXX)
echo "profile data in $out"
if command -v perf > /dev/null && perf record -o "$out/probe.data" -- true > /dev/null 2>&1; then
    perf record --call-graph=dwarf,16384 -F 997 -o "$out/perf.data" -- \
        "$fsdoctor" analyze --quiet --format="$format" "$log" > /dev/null 2> "$out/perf.err" || (( $? == 1 )) ||
        die "fsdoctor failed under perf: $(tail -n3 "$out/perf.err")"
    echo "== self time (perf, $size_mib MiB, --format=$format)"
    perf report -i "$out/perf.data" --no-children --stdio -g none --percent-limit 0.5 2>/dev/null |
        grep -E '^ +[0-9]' | head -n "$top"
    echo
    echo "== including callees"
    perf report -i "$out/perf.data" --children --stdio -g none --percent-limit 2 2>/dev/null |
        grep -E '^ +[0-9]' | head -n "$top"
    echo
    echo "callers of a hot symbol: perf report -i $out/perf.data --no-children --stdio -S SYMBOL -G"
elif command -v valgrind > /dev/null; then
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
        "$fsdoctor" analyze --quiet --format="$format" "$log" > /dev/null 2> "$out/valgrind.err" || (( $? == 1 )) ||
        die "fsdoctor failed under valgrind"
    echo "== instructions by function (callgrind, $size_mib MiB, --format=$format)"
    callgrind_annotate --threshold=99 "$out/callgrind.out" 2>/dev/null | sed -n '1,/^$/d; p' | head -n "$((top + 10))"
    echo
    echo "== including callees"
    callgrind_annotate --inclusive=yes "$out/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ ' | head -n "$top"
else
    die "neither perf nor valgrind is available (apt-get install linux-perf valgrind)"
fi
