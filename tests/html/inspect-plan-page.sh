#!/bin/bash
# The inspect page of a filesystem that needs a balance: filled until no unallocated space is
# left, every other file deleted (as tests/lab/btrfs/inspect-fragmented.sh does), unmounted, then
# read offline. The page must mark exactly the block groups the reclaim plan relocates, and load
# cleanly in Chromium. Root only (loop device and mount); everything is undone on exit.
source "$LAB_COMMON"
lab_require_root
lab_require_cmd mkfs.btrfs losetup truncate python3
lab_require_fs btrfs
[ -x "${FSDOCTOR:-}" ] || lab_skip "FSDOCTOR not set"
lab_init

truncate -s 2G "$LAB_DIR/img" || lab_fail "truncate"
mkfs.btrfs -q -f "$LAB_DIR/img" >/dev/null || lab_fail "mkfs"
lab_loop "$LAB_DIR/img" || lab_skip "cannot attach a loop device"
lab_mount "$LOOPDEV" "$LAB_DIR/mnt" || lab_fail "mount"
python3 - "$LAB_DIR/mnt" <<'PY' || lab_fail "fill"
import os, sys
d, n = sys.argv[1], 0
while True:
    fd = os.open(f"{d}/f{n:05d}", os.O_CREAT | os.O_WRONLY, 0o644)
    try:
        os.posix_fallocate(fd, 0, 1 << 20)
    except OSError:
        os.close(fd)
        os.unlink(f"{d}/f{n:05d}")
        break
    os.close(fd)
    n += 1
for i in range(0, n, 2):
    os.unlink(f"{d}/f{i:05d}")
PY
sync
umount "$LAB_DIR/mnt" || lab_fail "umount"
LAB_MOUNTS=()
python3 "$HTML_TESTS/check-inspect-page.py" --want-plan "$FSDOCTOR" "$LOOPDEV" "$HTML_OUT" inspect-fragmented ||
        lab_fail "the page of the fragmented filesystem"
echo "PASS"
