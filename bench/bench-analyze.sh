#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-analyze.sh [BUILD_DIR] [SIZE_MIB]
#
# Throughput and memory of `fsdoctor analyze` against `grep -c -F` for the report and event
# markers, both on the same file, hot in the page cache. Targets (issue "streaming, constant
# memory"): analyze at least as fast as that grep (ratio >= 1.0) and peak RSS under 32 MiB on a
# 2 GiB input; and it must find every planted report: a fast wrong answer is a failure.
#
# BUILD_DIR defaults to "build" (relative to the repository), SIZE_MIB to 2048.
# Environment: RUNS (default 3, the best run counts), SEED (default 1), DENSITY (default 1: a
# multiplier for the planted reports and failure episodes, 1000 and 500 per GiB; 20 stresses the
# report, event and incident paths and their output), BENCH_DIR (where the
# generated logs are kept for reuse, default /tmp/fsdoctor-bench), KEEP_OUTPUT=1 to keep the
# verification output, BENCH_NO_GNU_TIME=1 to measure RSS through /proc even if GNU time exists,
# REF_BUILD=DIR a reference build (another checkout's build directory, e.g. the start of a stage)
# run on the same file in the same script, taking turns with the current build run by run: prints CPU (user + system) and peak RSS ratios
# current/reference, and with REF_CPU_MAX / REF_RSS_MAX (e.g. 1.10) fails when a ratio is above.
# Exit status: 0 all targets met, 1 a target missed, 2 usage or setup error.
set -euo pipefail

# The markers grep looks for, defined once. They are the fixed strings that start every kernel
# report fsdoctor extracts (WARNING:, BUG:, Oops, general protection fault, Kernel panic,
# INFO: task) and that every filesystem/block event it parses contains (BTRFS, EXT4-fs, XFS,
# I/O error). A grep for them is the least work any analyzer must do: read every byte and find the
# candidate lines. It parses nothing, joins nothing and diagnoses nothing, which makes it the
# reference for "in the same league as grep -F".
MARKERS=('WARNING:' 'BUG:' 'Oops' 'general protection fault' 'Kernel panic' 'INFO: task'
         'BTRFS' 'EXT4-fs' 'XFS' 'I/O error')

RSS_LIMIT_MIB=32
RATIO_TARGET=1.0

die() { echo "bench-analyze: $*" >&2; exit 2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${1:-build}
size_mib=${2:-2048}
runs=${RUNS:-3}
seed=${SEED:-1}
density=${DENSITY:-1}
bench_dir=${BENCH_DIR:-/tmp/fsdoctor-bench}
[[ $build_dir = /* ]] || build_dir="$repo/$build_dir"
[[ $size_mib =~ ^[1-9][0-9]*$ ]] || die "SIZE_MIB must be a positive number, not '$size_mib'"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number"
[[ $density =~ ^[1-9][0-9]*$ ]] || die "DENSITY must be a positive number"

fsdoctor="$build_dir/src/fsdoctor"
gen="$build_dir/bench/gen-syslog"
[[ -x $fsdoctor ]] || die "$fsdoctor not found: build first (meson setup $build_dir && ninja -C $build_dir)"
[[ -x $gen ]] || die "$gen not found: build first (ninja -C $build_dir)"
ref_build=${REF_BUILD:-}
ref_fsdoctor=""
if [[ -n $ref_build ]]; then
    [[ $ref_build = /* ]] || ref_build="$repo/$ref_build"
    ref_fsdoctor="$ref_build/src/fsdoctor"
    [[ -x $ref_fsdoctor ]] || die "REF_BUILD: $ref_fsdoctor not found"
fi
for v in REF_CPU_MAX REF_RSS_MAX; do
    [[ -z ${!v:-} || ${!v} =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "$v must be a number such as 1.10"
done

export LC_ALL=C

# ---------------------------------------------------------------------------------------------
# The input: generated once per size, seed and generator source, then reused.
# ---------------------------------------------------------------------------------------------
gen_id=$(sha256sum "$repo/bench/gen-syslog.c" | cut -c1-12)
mkdir -p "$bench_dir"
log="$bench_dir/syslog-${size_mib}M-seed$seed-d$density-$gen_id.log"
planted="$log.planted"
if [[ ! -s $log || ! -s $planted ]]; then
    rm -f "$bench_dir"/syslog-*.log "$bench_dir"/syslog-*.log.planted  # stale sizes or generators: disk is finite
    avail_kib=$(df -Pk "$bench_dir" | awk 'NR == 2 { print $4 }')
    (( avail_kib > size_mib * 1024 + 65536 )) || die "not enough space in $bench_dir for $size_mib MiB"
    echo "generating $size_mib MiB (seed $seed, density $density) into $log ..."
    t0=$(date +%s%N)
    "$gen" --size="$size_mib" --seed="$seed" --reports-per-gib=$((1000 * density)) \
           --episodes-per-gib=$((500 * density)) --output="$log.tmp" 2>"$planted.tmp"
    t1=$(date +%s%N)
    mv "$log.tmp" "$log"
    mv "$planted.tmp" "$planted"
    awk -v ns=$((t1 - t0)) -v mib="$size_mib" \
        'BEGIN { printf "generated in %.2f s (%.0f MiB/s)\n", ns / 1e9, mib / (ns / 1e9) }'
fi
planted_value() { grep -o "\b$1=[0-9]*" "$planted" | head -n1 | cut -d= -f2; }
planted_reports=$(planted_value reports)
planted_events=$(planted_value events)
planted_episodes=$(planted_value fs_episodes)
planted_oom=$(planted_value oom_kills)
file_bytes=$(stat -c %s "$log")
file_lines=$(planted_value lines)

mem_avail_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if (( mem_avail_kib < file_bytes / 1024 + 262144 )); then
    echo "warning: $((mem_avail_kib / 1024)) MiB available memory: the file may not stay cached; figures include disk reads" >&2
fi
cat "$log" > /dev/null   # warm the page cache so that both tools read from memory

# ---------------------------------------------------------------------------------------------
# Timing: wall clock from date(1), peak RSS from GNU time, else from /proc/PID/status VmHWM.
# CPU time (user + system) is measured too: on a busy machine it is the steadier figure.
# run_measured OUTFILE CMD... sets $wall_s, $cpu_s ("" if unknown), $rss_kib and $status.
# ---------------------------------------------------------------------------------------------
have_gnu_time=0
if [[ ${BENCH_NO_GNU_TIME:-0} != 1 && -x /usr/bin/time ]] && /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
    have_gnu_time=1
fi
tmp=$(mktemp -d /tmp/fsdoctor-bench-run.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

run_measured() {
    local outfile=$1; shift
    local t0 t1
    status=0
    if (( have_gnu_time )); then
        t0=$(date +%s%N)
        /usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" > "$outfile" || status=$?
        t1=$(date +%s%N)
        read -r user_s sys_s rss_kib < <(tail -n1 "$tmp/time")
        cpu_s=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%.2f", u + s }')
    else
        # The high-water mark is kept by the kernel; sampling it until the process exits loses at
        # most what was mapped in the last interval.
        cpu_s=""
        t0=$(date +%s%N)
        "$@" > "$outfile" &
        local pid=$! key value rest
        rss_kib=0
        # read(1) is a builtin: polling forks nothing but the sleep, which steals little CPU.
        local zombie=0
        while (( !zombie )) && [[ -r /proc/$pid/status ]]; do
            while read -r key value rest; do
                [[ $key == State: && $value == Z ]] && zombie=1
                [[ $key == VmHWM: ]] && (( value > rss_kib )) && rss_kib=$value
            done < "/proc/$pid/status" 2>/dev/null || true
            sleep 0.05
        done
        wait "$pid" || status=$?
        t1=$(date +%s%N)
    fi
    wall_s=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }')
}

# measure NAME OUTFILE OK_STATUSES CMD...: one timed run, folded into NAME's figures: the fastest
# wall and CPU time so far, the largest RSS. Sets ${NAME}_s, ${NAME}_cpu and ${NAME}_rss (NAME with
# '-' as '_').
measure() {
    local name=$1 outfile=$2 ok=$3; shift 3
    local var=${name//-/_}
    local s_var=${var}_s cpu_var=${var}_cpu rss_var=${var}_rss
    run_measured "$outfile" "$@"
    [[ " $ok " == *" $status "* ]] || die "$name exited with status $status: $*"
    if [[ -z ${!s_var:-} ]] || awk -v a="$wall_s" -v b="${!s_var}" 'BEGIN { exit !(a < b) }'; then
        printf -v "$s_var" '%s' "$wall_s"
    fi
    if [[ -n $cpu_s ]] && { [[ -z ${!cpu_var:-} ]] || awk -v a="$cpu_s" -v b="${!cpu_var}" 'BEGIN { exit !(a < b) }'; }; then
        printf -v "$cpu_var" '%s' "$cpu_s"
    fi
    (( rss_kib > ${!rss_var:-0} )) && printf -v "$rss_var" '%s' "$rss_kib"
    printf '  %-14s run %d: %7.3f s wall  %6s s CPU  %6.1f MiB RSS\n' "$name" "$run" "$wall_s" "${cpu_s:-n/a}" \
           "$(awk -v k="$rss_kib" 'BEGIN { print k / 1024 }')"
}

grep_args=()
for m in "${MARKERS[@]}"; do grep_args+=(-e "$m"); done

echo "input: $log"
echo "       $(awk -v b="$file_bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }'), $file_lines lines;" \
     "planted: $planted_reports reports, $planted_events event messages, $planted_episodes failure episodes," \
     "$planted_oom OOM kills (no reports)"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "runs: best of $runs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "warning: the machine is busy: wall times are noisy, the CPU-time ratio is the steadier figure" >&2
fi

# The tools take turns, run by run: a load that drifts during the script (another build, a
# thermal limit) then weighs on each of them alike, and the reference ratio stays fair.
# grep -c exits 1 when nothing matched; that is still a valid run. fsdoctor analyze exits 1 when it
# found something, 0 when nothing.
for ((run = 1; run <= runs; run++)); do
    measure grep "$tmp/grep.out" "0 1" grep -c -F "${grep_args[@]}" "$log"
    measure fsdoctor-json /dev/null "0 1" "$fsdoctor" analyze --quiet --format=json "$log"
    [[ -z $ref_fsdoctor ]] || measure ref-json /dev/null "0 1" "$ref_fsdoctor" analyze --quiet --format=json "$log"
    measure fsdoctor-text /dev/null "0 1" "$fsdoctor" analyze --quiet --format=text "$log"
    [[ -z $ref_fsdoctor ]] || measure ref-text /dev/null "0 1" "$ref_fsdoctor" analyze --quiet --format=text "$log"
done
grep_matches=$(cat "$tmp/grep.out")

# One more run, not timed, to check the answer.
"$fsdoctor" analyze --quiet --format=json "$log" > "$tmp/analyze.jsonl" || (( $? == 1 )) ||
    die "fsdoctor analyze failed on the verification run"
summary=$(grep '"type":"summary"' "$tmp/analyze.jsonl" | tail -n1 || true)
[[ -n $summary ]] || die "no summary line in fsdoctor's JSON output"
summary_value() { grep -o "\"$1\":[0-9]*" <<<"$summary" | head -n1 | cut -d: -f2; }
found_reports=$(summary_value reports)
found_events=$(summary_value events)
found_incidents=$(summary_value incidents)
# Per kind, and how many came out cut short ("corrupted"): the generator plants only complete
# reports, though 3% of their lines have another host's or program's line cut in between.
read -r found_by_kind found_corrupted < <(python3 - "$tmp/analyze.jsonl" <<'PY'
import collections, json, sys
kinds = collections.Counter()
corrupted = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("type") == "report":
        kinds[o.get("kind")] += 1
        corrupted += bool(o.get("corrupted"))
print(",".join(f"{k}={kinds[k]}" for k in ("warning", "oops", "gpf", "hang", "panic")) +
      f",other={sum(kinds.values()) - sum(kinds[k] for k in ('warning', 'oops', 'gpf', 'hang', 'panic'))}",
      corrupted)
PY
)
planted_by_kind="warning=$(planted_value warnings),oops=$(planted_value oopses),gpf=$(planted_value gpfs)"
planted_by_kind+=",hang=$(planted_value hangs),panic=$(planted_value panics),other=0"
if [[ ${KEEP_OUTPUT:-0} = 1 ]]; then
    cp "$tmp/analyze.jsonl" "$bench_dir/analyze-last.jsonl"
    echo "kept the verification output in $bench_dir/analyze-last.jsonl"
fi

# ---------------------------------------------------------------------------------------------
# Verdict
# ---------------------------------------------------------------------------------------------
mib=$(awk -v b="$file_bytes" 'BEGIN { printf "%.3f", b / 1048576 }')
# (In awk, a bare ">" after printf is a redirection: comparisons go in parentheses.)
rate() { awk -v m="$mib" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? m / s : 0) }'; }
ratio() { awk -v g="$grep_s" -v f="$1" 'BEGIN { printf "%.2f", (f > 0 ? g / f : 0) }'; }
rss_mib=$(awk -v k="$(( fsdoctor_json_rss > fsdoctor_text_rss ? fsdoctor_json_rss : fsdoctor_text_rss ))" \
          'BEGIN { printf "%.1f", k / 1024 }')
ratio_json=$(ratio "$fsdoctor_json_s")
ratio_text=$(ratio "$fsdoctor_text_s")
cpu_ratio() {
    [[ -n $1 && -n $grep_cpu ]] || { echo n/a; return; }
    awk -v g="$grep_cpu" -v f="$1" 'BEGIN { printf "%.2f", (f > 0 ? g / f : 0) }'
}
cpu_ratio_json=$(cpu_ratio "$fsdoctor_json_cpu")
cpu_ratio_text=$(cpu_ratio "$fsdoctor_text_cpu")

fail=0
verdict() { if [[ $1 = 1 ]]; then echo PASS; else echo FAIL; fi; }
v_ratio=$(verdict "$(awk -v r="$ratio_json" -v t="$RATIO_TARGET" 'BEGIN { print (r >= t) }')")
v_rss=$(verdict "$(awk -v r="$rss_mib" -v t="$RSS_LIMIT_MIB" 'BEGIN { print (r < t) }')")
v_reports=$(verdict "$(( ${found_reports:-0} == planted_reports ))")
v_kinds=$(verdict "$([[ $found_by_kind = "$planted_by_kind" ]] && echo 1)")
[[ "$v_ratio $v_rss $v_reports $v_kinds" = "PASS PASS PASS PASS" ]] || fail=1

echo
row() {
    printf '%-38s %8s %8s %8s %8s\n' "$1" "$2" "$(rate "$2")" "${3:-n/a}" \
           "$(awk -v k="$4" 'BEGIN { printf "%.1f", k / 1024 }')"
}
printf '%-38s %8s %8s %8s %8s\n' "best of $runs" "wall s" "MiB/s" "CPU s" "RSS MiB"
row "grep -c -F (${#MARKERS[@]} markers: $grep_matches lines)" "$grep_s" "$grep_cpu" "$grep_rss"
row "fsdoctor analyze --format=json" "$fsdoctor_json_s" "$fsdoctor_json_cpu" "$fsdoctor_json_rss"
row "fsdoctor analyze --format=text" "$fsdoctor_text_s" "$fsdoctor_text_cpu" "$fsdoctor_text_rss"
if [[ -n $ref_fsdoctor ]]; then
    row "reference analyze --format=json" "$ref_json_s" "$ref_json_cpu" "$ref_json_rss"
    row "reference analyze --format=text" "$ref_text_s" "$ref_text_cpu" "$ref_text_rss"
fi
echo
echo "throughput ratio fsdoctor/grep (wall): json $ratio_json, text $ratio_text (target >= $RATIO_TARGET)  $v_ratio"
echo "throughput ratio fsdoctor/grep (CPU):  json $cpu_ratio_json, text $cpu_ratio_text"
echo "peak RSS of fsdoctor: $rss_mib MiB (target < $RSS_LIMIT_MIB MiB)  $v_rss"
echo "reports found: ${found_reports:-?} of $planted_reports planted  $v_reports"
if [[ $v_reports = FAIL && -n $found_reports ]] && (( found_reports == planted_reports + planted_oom )); then
    echo "  (the excess equals the OOM-killer dumps: those carry a call trace but are no kernel report)"
fi
echo "report kinds found: $found_by_kind  $v_kinds"
[[ $v_kinds = PASS ]] || echo "  planted:           $planted_by_kind"
echo "reports marked corrupted: $found_corrupted (all planted reports are complete; informational)"
if [[ -n $ref_fsdoctor ]]; then
    # current/reference: below 1.00 is better than the reference, 1.10 is 10% more
    cur_ratio() {
        [[ -n $1 && -n $2 ]] || { echo n/a; return; }
        awk -v c="$1" -v r="$2" 'BEGIN { printf "%.2f", (r > 0 ? c / r : 0) }'
    }
    # ref_check LIMIT RATIO...: sets $ref_verdict ("" without a limit) and fail=1 above it
    ref_check() {
        local limit=$1 r; shift
        ref_verdict=""
        [[ -n $limit ]] || return 0
        ref_verdict="  PASS (limit $limit)"
        for r in "$@"; do
            if [[ $r = n/a ]] || awk -v r="$r" -v l="$limit" 'BEGIN { exit !(r > l) }'; then
                ref_verdict="  FAIL (limit $limit)"
                fail=1
            fi
        done
    }
    ref_cpu_json=$(cur_ratio "$fsdoctor_json_cpu" "$ref_json_cpu")
    ref_cpu_text=$(cur_ratio "$fsdoctor_text_cpu" "$ref_text_cpu")
    ref_rss_json=$(cur_ratio "$fsdoctor_json_rss" "$ref_json_rss")
    ref_rss_text=$(cur_ratio "$fsdoctor_text_rss" "$ref_text_rss")
    echo "reference: $ref_build"
    ref_check "${REF_CPU_MAX:-}" "$ref_cpu_json" "$ref_cpu_text"
    echo "CPU ratio current/reference:      json $ref_cpu_json, text $ref_cpu_text$ref_verdict"
    ref_check "${REF_RSS_MAX:-}" "$ref_rss_json" "$ref_rss_text"
    echo "peak RSS ratio current/reference: json $ref_rss_json, text $ref_rss_text$ref_verdict"
fi
echo "events found: ${found_events:-?} (planted $planted_events event messages; informational, folding rules differ)"
echo "incidents found: ${found_incidents:-?} (planted $planted_episodes failure episodes; informational)"
echo
if (( fail )); then echo "RESULT: FAIL"; exit 1; fi
echo "RESULT: PASS"
