#!/bin/bash
# Bench: fsdoctor inspect --offline on an image with >= 10 000 block groups, against getting the
# same numbers (every block group's used bytes, the chunks) from btrfs-progs' dump-tree.
# Needs root (loop device, mount to create the groups). Not a CI test: run by hand:
#   sudo bench/inspect/bench-inspect.sh [path/to/fsdoctor] [block groups]
set -u
FSDOCTOR=${1:-${FSDOCTOR:-build/src/fsdoctor}}
WANT=${2:-10000}
[ "$(id -u)" = 0 ] || { echo "bench-inspect: needs root" >&2; exit 77; }
[ -x "$FSDOCTOR" ] || { echo "bench-inspect: no fsdoctor at $FSDOCTOR" >&2; exit 2; }
for c in mkfs.btrfs btrfs losetup fallocate findmnt; do
        command -v "$c" >/dev/null || { echo "bench-inspect: needs $c" >&2; exit 77; }
done

DIR=$(mktemp -d /tmp/fsdoctor-bench.XXXXXX)
LOOP=""
cleanup() {
        umount "$DIR/mnt" 2>/dev/null
        [ -n "$LOOP" ] && losetup -d "$LOOP"
        rm -rf "$DIR"
}
trap cleanup EXIT

# 256 MiB data chunks (sysfs, kernel 6.0+) and fallocate: the groups cost metadata only, so a
# multi-TiB sparse image is built in seconds and takes a few hundred MiB of real disk.
CHUNK=$((256 << 20))
SIZE=$(((WANT + WANT / 10 + 64) * CHUNK))
truncate -s "$SIZE" "$DIR/img"
mkfs.btrfs -q -f -K "$DIR/img" >/dev/null || exit 2
LOOP=$(losetup --find --show "$DIR/img") || exit 2
mkdir "$DIR/mnt"
mount -o nodiscard "$LOOP" "$DIR/mnt" || exit 2
uuid=$(findmnt -no UUID "$DIR/mnt")
if ! echo "$CHUNK" >"/sys/fs/btrfs/$uuid/allocation/data/chunk_size" 2>/dev/null; then
        echo "bench-inspect: this kernel cannot shrink data chunks; using 1 GiB chunks" >&2
        CHUNK=$((1 << 30))
fi
t0=$(date +%s%N)
# a few files per 100 groups, some deleted, so groups differ in fill level
n=0
while [ $n -lt "$WANT" ]; do
        fallocate -l $((100 * CHUNK)) "$DIR/mnt/f$n" || break
        fallocate -l $((CHUNK / 3)) "$DIR/mnt/g$n" && rm -f "$DIR/mnt/g$((n - 100))"
        n=$((n + 100))
done
sync
umount "$DIR/mnt"
echo "built $((SIZE >> 30)) GiB sparse image in $((($(date +%s%N) - t0) / 1000000)) ms ($(du -h "$DIR/img" | cut -f1) on disk)"

"$FSDOCTOR" inspect --offline --format=json "$LOOP" >"$DIR/fsd.json"
rc=$?
[ $rc -le 1 ] || { echo "bench-inspect: fsdoctor failed (rc $rc)" >&2; exit 2; }
groups=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["block_groups"]))' "$DIR/fsd.json")
echo "block groups: $groups"
[ "$groups" -ge "$WANT" ] || echo "warning: fewer block groups than asked for ($WANT)" >&2

best() { # best of 3 wall-clock runs, in ms
        local best=0 t
        for _ in 1 2 3; do
                local s=$(date +%s%N)
                "$@" >/dev/null 2>&1
                t=$((($(date +%s%N) - s) / 1000000))
                [ $best = 0 ] || [ "$t" -lt $best ] && best=$t
        done
        echo $best
}
sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null
fsd_ms=$(best "$FSDOCTOR" inspect --offline --format=json "$LOOP")
progs_ms=$(best sh -c "btrfs inspect-internal dump-tree -t extent '$LOOP' | grep 'block group used' >/dev/null && btrfs inspect-internal dump-tree -t chunk '$LOOP' >/dev/null")
# both must have seen the same groups
progs_groups=$(btrfs inspect-internal dump-tree -t extent "$LOOP" | grep -c "block group used")
echo "btrfs-progs dump-tree saw $progs_groups block groups"
[ "$progs_groups" = "$groups" ] || echo "warning: block-group counts differ" >&2
echo "fsdoctor inspect --offline --format=json: ${fsd_ms} ms"
echo "btrfs inspect-internal dump-tree -t extent + -t chunk: ${progs_ms} ms"
python3 -c "import sys; f,p=map(int,sys.argv[1:]); print('ratio (dump-tree / fsdoctor): %.1fx %s' % (p/max(f,1), '(target >= 10x: met)' if p >= 10*max(f,1) else '(target >= 10x: NOT met)'))" "$fsd_ms" "$progs_ms"
