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
python3 "$(dirname "$LAB_COMMON")/fill-fragment.py" "$LAB_DIR/mnt" || lab_fail "fill"
sync
umount "$LAB_DIR/mnt" || lab_fail "umount"
LAB_MOUNTS=()
python3 "$HTML_TESTS/check-inspect-page.py" --want-plan "$FSDOCTOR" "$LOOPDEV" "$HTML_OUT" inspect-fragmented ||
        lab_fail "the page of the fragmented filesystem"
echo "PASS"
