#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# analyze --source: what the first run (index build) and a cached run cost, as ratios against
# reference runs made here on the same machine:
#   index build   fsdoctor analyze --source with an empty cache, against running the two indexers
#                 by hand on the same directory (ctags + cscope -b -q -k): the price of fsdoctor's
#                 own work on top of the indexers
#   cached run    the same command again (index from the cache), against plain analyze without
#                 --source: what --source adds once the index exists
# Usage: bench/source/bench-source.sh [BUILD_DIR] [TREE] [LOG]
#   TREE defaults to /usr/src/linux-source-6.1 when unpacked there, LOG to the seed example.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
tree=${2:-/usr/src/linux-source-6.1}
log=${3:-$here/examples/seed-kylin-4.19.90-btrfs-enospc.log}
runs=${RUNS:-3}
fsdoctor=$build/src/fsdoctor
[ -x "$fsdoctor" ] || { echo "bench-source: build first ($fsdoctor missing)" >&2; exit 2; }
[ -f "$tree/Makefile" ] || { echo "bench-source: $tree is not an unpacked kernel tree (give TREE)" >&2; exit 2; }
for t in ctags cscope; do
        command -v "$t" >/dev/null || { echo "bench-source: $t is not installed" >&2; exit 2; }
done
work=$(mktemp -d /tmp/fsdoctor-bench-source.XXXXXX)
trap 'rm -rf "$work"' EXIT
export FSDOCTOR_REFERENCE_TIME=1767225600

now() { date +%s.%N; }
# best wall time of $runs runs of "$@"; $prepare runs untimed before each
best() {
        local b=""
        for _ in $(seq "$runs"); do
                [ -n "${prepare:-}" ] && eval "$prepare"
                local s e d
                s=$(now)
                "$@" >/dev/null 2>&1 || true
                e=$(now)
                d=$(echo "$e - $s" | bc -l)
                if [ -z "$b" ] || [ "$(echo "$d < $b" | bc -l)" = 1 ]; then b=$d; fi
        done
        echo "$b"
}

# reference 1: the indexers by hand on fs/btrfs, the directory the seed's trace needs
(cd "$tree" && find fs/btrfs -name '*.[ch]' | sort > "$work/files")
ref_index() {
        rm -rf "$work/ref" && mkdir "$work/ref"
        (cd "$tree" && ctags -L "$work/files" --languages=C --langmap=C:+.h --kinds-C=f --fields=+ne \
                --excmd=number -f "$work/ref/tags" && cscope -b -q -k -i "$work/files" -f "$work/ref/cscope.out")
}
t_ref_index=$(best ref_index)
prepare='rm -rf "$work/cache"'
t_build=$(XDG_CACHE_HOME=$work/cache best "$fsdoctor" analyze --quiet --source="$tree" "$log")
prepare=''
XDG_CACHE_HOME=$work/cache "$fsdoctor" analyze --quiet --source="$tree" "$log" >/dev/null 2>&1 || true
t_cached=$(XDG_CACHE_HOME=$work/cache best "$fsdoctor" analyze --quiet --source="$tree" "$log")
t_plain=$(best "$fsdoctor" analyze --quiet "$log")
n_files=$(wc -l < "$work/files")

printf 'tree %s, log %s, best of %d runs\n' "$tree" "$(basename "$log")" "$runs"
printf 'indexers by hand (ctags + cscope, fs/btrfs, %d files)  %8.3f s\n' "$n_files" "$t_ref_index"
printf 'analyze --source, empty cache (index build)           %8.3f s   %.2fx the indexers\n' "$t_build" \
        "$(echo "$t_build / $t_ref_index" | bc -l)"
printf 'analyze --source, cached index                         %8.3f s   %.2fx the build\n' "$t_cached" \
        "$(echo "$t_cached / $t_build" | bc -l)"
printf 'analyze without --source                               %8.3f s   cached --source adds %.3f s\n' \
        "$t_plain" "$(echo "$t_cached - $t_plain" | bc -l)"
