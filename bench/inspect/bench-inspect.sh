#!/bin/bash
# Bench: fsdoctor inspect --offline against getting the same numbers (every block group's start,
# length and used bytes, and the chunks) from btrfs-progs' dump-tree, on an image with >= 10 000
# block groups whose extent tree also holds the extents of the data, as a used filesystem's does.
# Needs root (loop device and mount to build the image; drop_caches for the cold runs). Not a CI
# test; run by hand (see bench/README.md):
#   sudo bench/inspect/bench-inspect.sh [path/to/fsdoctor] [block groups]
# Environment: RUNS (warm runs of each, best of; 10), COLD_RUNS (0 skips the cold runs; 3),
# BENCH_DIR (image cache; /tmp/fsdoctor-bench-inspect), SMALL_MIN/SMALL_MAX (extent sizes in
# bytes; 128 KiB..8 MiB), SPARSE=1 (the old image: few large extents, almost no extent items).
# Exit status: 0 target met, 1 missed, 2 setup error, 77 cannot run here.
set -u
FSDOCTOR=${1:-${FSDOCTOR:-build/src/fsdoctor}}
WANT=${2:-10000}
RUNS=${RUNS:-10}
COLD_RUNS=${COLD_RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/tmp/fsdoctor-bench-inspect}
SMALL_MIN=${SMALL_MIN:-131072}
SMALL_MAX=${SMALL_MAX:-8384512}
SPARSE=${SPARSE:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
HELPER="$HERE/bench-helper.py"

[ "$(id -u)" = 0 ] || { echo "bench-inspect: needs root" >&2; exit 77; }
[ -x "$FSDOCTOR" ] || { echo "bench-inspect: no fsdoctor at $FSDOCTOR" >&2; exit 2; }
for c in mkfs.btrfs btrfs losetup findmnt python3; do
        command -v "$c" >/dev/null || { echo "bench-inspect: needs $c" >&2; exit 77; }
done

# 256 MiB data chunks (sysfs, kernel 6.0+), so 10 000 groups need 2.5 TiB, not 10.
CHUNK=$((256 << 20))
SIZE=$(((WANT + WANT / 10 + 64) * CHUNK))
# the image is kept and reused while what builds it stays the same: bump IMAGE_RECIPE when
# build_image changes
IMAGE_RECIPE=2
recipe=$( (echo "$IMAGE_RECIPE"; cat "$HERE/fill-extents.py") | sha1sum | cut -c1-12)
if [ "$SPARSE" = 1 ]; then
        IMG="$BENCH_DIR/sparse-$WANT-$recipe.img"
else
        IMG="$BENCH_DIR/extents-$WANT-$SMALL_MIN-$SMALL_MAX-$recipe.img"
fi
mkdir -p "$BENCH_DIR"
WORK=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
LOOP=""
cleanup() {
        mountpoint -q "$WORK/mnt" 2>/dev/null && umount "$WORK/mnt"
        [ -n "$LOOP" ] && losetup -d "$LOOP"
        rm -rf "$WORK"
}
trap cleanup EXIT

build_image() {
        local tmp="$IMG.building" uuid t0
        find "$BENCH_DIR" -maxdepth 1 -name '*.img*' -delete   # one cached image is enough
        truncate -s "$SIZE" "$tmp" || return 1
        mkfs.btrfs -q -f -K "$tmp" >/dev/null 2>&1 || return 1
        LOOP=$(losetup --find --show "$tmp") || return 1
        mkdir -p "$WORK/mnt"
        mount -o nodiscard "$LOOP" "$WORK/mnt" || return 1
        uuid=$(findmnt -no UUID "$WORK/mnt")
        if ! echo "$CHUNK" >"/sys/fs/btrfs/$uuid/allocation/data/chunk_size" 2>/dev/null; then
                echo "bench-inspect: this kernel cannot shrink data chunks (needs 6.0+)" >&2
                return 1
        fi
        t0=$(date +%s%N)
        if [ "$SPARSE" = 1 ]; then
                # the first version of this bench: 100 groups per fallocate, so ~2 extent items
                # per group; a third of a group per round freed again for varied fill levels
                local n=0
                while [ $n -lt "$WANT" ]; do
                        fallocate -l $((100 * CHUNK)) "$WORK/mnt/f$n" || return 1
                        fallocate -l $((CHUNK / 3)) "$WORK/mnt/g$n" && rm -f "$WORK/mnt/g$((n - 100))"
                        n=$((n + 100))
                done
        else
                python3 "$HERE/fill-extents.py" "$WORK/mnt" "$WANT" "$CHUNK" "$SMALL_MIN" "$SMALL_MAX" 3 \
                        >"$WORK/extents" || return 1
        fi
        sync
        umount "$WORK/mnt"
        losetup -d "$LOOP"
        LOOP=""
        mv "$tmp" "$IMG"
        echo "built the image in $((($(date +%s%N) - t0) / 1000000)) ms"
}

if [ -f "$IMG" ]; then
        echo "reusing $IMG"
else
        echo "building $IMG ($((SIZE >> 30)) GiB sparse, $WANT block groups wanted) ..."
        build_image || { echo "bench-inspect: could not build the image" >&2; rm -f "$IMG.building"; exit 2; }
fi
echo "image: $((SIZE >> 30)) GiB apparent, $(du -h "$IMG" | cut -f1) on disk"

# What is in it: one dump-tree pass, also the reference numbers for the comparison.
btrfs inspect-internal dump-tree -t extent "$IMG" >"$WORK/extent.txt" || exit 2
read -r bgs data_bgs extent_items metadata_items items leaves nodes per_group < <(python3 -c '
import json, sys; d = json.loads(sys.stdin.read())
print(d["block_groups"], d["data_block_groups"], d["extent_items"], d["metadata_items"], d["items"],
      d["leaves"], d["nodes"], d["extent_items_per_data_group"])' < <(python3 "$HELPER" describe "$WORK/extent.txt"))
echo "extent tree: $items items in $leaves leaves and $nodes nodes: $bgs BLOCK_GROUP_ITEMs" \
     "($data_bgs data), $extent_items EXTENT_ITEMs ($per_group per data group), $metadata_items METADATA_ITEMs"
echo "dump-tree -t extent prints $(wc -c <"$WORK/extent.txt") bytes in $(wc -l <"$WORK/extent.txt") lines"
[ "$bgs" -ge "$WANT" ] || echo "warning: fewer block groups ($bgs) than asked for ($WANT)" >&2

# Same numbers? Every group's start, length and used, both ways.
"$FSDOCTOR" inspect --offline --format=json "$IMG" >"$WORK/fsd.json"
rc=$?
[ $rc -le 1 ] || { echo "bench-inspect: fsdoctor failed (rc $rc)" >&2; exit 2; }
read -r progs_groups fsd_groups mismatches < <(python3 "$HELPER" compare "$WORK/extent.txt" "$WORK/fsd.json")
echo "block groups: dump-tree $progs_groups, fsdoctor $fsd_groups, $mismatches differ in start, length or used"
same=1
[ "$progs_groups" = "$fsd_groups" ] && [ "$mismatches" = 0 ] || same=0

# What fsdoctor reads: its preads, against the size of the extent tree.
if command -v strace >/dev/null; then
        strace -o "$WORK/strace" -e trace=pread64 "$FSDOCTOR" inspect --offline --format=json "$IMG" >/dev/null
        read -r preads pread_bytes < <(awk '/^pread64\(/ { n++; s += $NF } END { print n + 0, s + 0 }' "$WORK/strace")
        echo "fsdoctor read $preads blocks ($((pread_bytes >> 20)) MiB); the extent tree alone has $((leaves + nodes)) blocks"
fi
rm -f "$WORK/extent.txt"

FSD="$FSDOCTOR inspect --offline --format=json $IMG"
PROGS="btrfs inspect-internal dump-tree -t extent $IMG | grep -F -A1 BLOCK_GROUP_ITEM >/dev/null && btrfs inspect-internal dump-tree -t chunk $IMG >/dev/null"
python3 "$HELPER" time 1 0 -- "$FSD" >/dev/null && python3 "$HELPER" time 1 0 -- "$PROGS" >/dev/null # warm up
read -r fsd_warm fsd_warm_cpu < <(python3 "$HELPER" time "$RUNS" 0 -- "$FSD")
read -r progs_warm progs_warm_cpu < <(python3 "$HELPER" time "$RUNS" 0 -- "$PROGS")
if [ "$COLD_RUNS" -gt 0 ]; then
        read -r fsd_cold fsd_cold_cpu < <(python3 "$HELPER" time "$COLD_RUNS" 1 -- "$FSD")
        read -r progs_cold progs_cold_cpu < <(python3 "$HELPER" time "$COLD_RUNS" 1 -- "$PROGS")
fi

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
printf '%-58s %10s %10s\n' "best of runs, ms" "wall" "CPU"
printf '%-58s %10s %10s\n' "fsdoctor inspect --offline --format=json, warm" "$fsd_warm" "$fsd_warm_cpu"
printf '%-58s %10s %10s\n' "dump-tree -t extent | grep + dump-tree -t chunk, warm" "$progs_warm" "$progs_warm_cpu"
if [ "$COLD_RUNS" -gt 0 ]; then
        printf '%-58s %10s %10s\n' "fsdoctor, cold page cache" "$fsd_cold" "$fsd_cold_cpu"
        printf '%-58s %10s %10s\n' "dump-tree, cold page cache" "$progs_cold" "$progs_cold_cpu"
fi
ratio() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[2]) / max(float(sys.argv[1]), 0.01)))' "$1" "$2"; }
warm_ratio=$(ratio "$fsd_warm" "$progs_warm")
echo "ratio (dump-tree / fsdoctor), warm: ${warm_ratio}x wall, $(ratio "$fsd_warm_cpu" "$progs_warm_cpu")x CPU"
[ "$COLD_RUNS" -gt 0 ] && echo "ratio (dump-tree / fsdoctor), cold: $(ratio "$fsd_cold" "$progs_cold")x wall"

status=0
if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 10 else 1)' "$warm_ratio"; then
        echo "speed (warm wall ratio >= 10x): PASS"
else
        echo "speed (warm wall ratio >= 10x): FAIL"
        status=1
fi
if [ $same = 1 ]; then
        echo "same numbers as dump-tree: PASS"
else
        echo "same numbers as dump-tree: FAIL"
        status=1
fi
exit $status
