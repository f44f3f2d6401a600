#!/bin/bash
# Thousands of block groups on a large sparse image: data chunks shrunk to 256 MiB through sysfs
# (kernel 6.0+; else the default 1 GiB chunks on a bigger image), filled with fallocate (no data
# is written), then some files deleted so the groups have different fill levels. Every group must be
# read, the totals must match btrfs-progs, and online must equal offline.
source "$LAB_COMMON"
source "$(dirname "$0")/inspect-lib.sh"
inspect_require
lab_require_cmd fallocate findmnt
lab_init

inspect_mkfs_loops 1 1T
mkfs.btrfs -q -f -K "${LOOPS[0]}" >/dev/null || lab_fail "mkfs"
mnt="$LAB_DIR/mnt"
lab_mount "${LOOPS[0]}" "$mnt" -o nodiscard || lab_fail "mount"
uuid=$(findmnt -no UUID "$mnt")
chunk_size=/sys/fs/btrfs/$uuid/allocation/data/chunk_size
fill=560G
if [ -w "$chunk_size" ] && echo $((256 << 20)) >"$chunk_size" 2>/dev/null; then
        want=2000
else
        want=500
fi
# the first 40 GiB as 32 MiB files, some deleted so groups end up at different fill levels
python3 - "$mnt" <<'PY' || lab_fail "fill"
import os, sys
d = sys.argv[1]
for i in range(1280):
    fd = os.open(f"{d}/s{i:05d}", os.O_CREAT | os.O_WRONLY, 0o644)
    os.posix_fallocate(fd, 0, 32 << 20)
    os.close(fd)
for i in range(1280):
    if (i * 37) % 10 < (i // 8) % 10:
        os.unlink(f"{d}/s{i:05d}")
PY
fallocate -l "$fill" "$mnt/big" || lab_fail "fallocate"
sync

start=$(date +%s%N)
inspect_compare_progs many "$mnt"
echo "online inspect + btrfs-progs: $((($(date +%s%N) - start) / 1000000)) ms"
n=$(inspect_field many 'len(j["block_groups"])')
echo "block groups: $n"
[ "$n" -ge "$want" ] || lab_fail "only $n block groups, expected >= $want"
h=$(inspect_field many 'sum(sum(r) for r in j["histogram"].values())')
[ "$h" = "$n" ] || lab_fail "histogram counts $h groups of $n"
partial=$(inspect_field many 'sum(j["histogram"]["data"][:9])')
[ "$partial" -ge 100 ] || lab_fail "only $partial partly used data groups"

inspect_umount "$mnt"
start=$(date +%s%N)
inspect_compare_offline many "${LOOPS[0]}"
echo "offline inspect: $((($(date +%s%N) - start) / 1000000)) ms"
echo "PASS"
