#!/bin/bash
# ext4 (errors=remount-ro) on a loop image whose backing tmpfs runs out of space: write errors,
# then the jbd2 journal aborts. Expect one ext4 incident on that loop device, read-only, diagnosed
# as backing storage exhausted.
. "$LAB_COMMON"
. "$(dirname "$0")/lab-diag.sh"
lab_require_root
lab_require_cmd mkfs.ext4 truncate python3 awk
lab_require_fs ext4
lab_init
T="$LAB_DIR/backing" M="$LAB_DIR/mnt"
lab_mount tmpfs "$T" -t tmpfs -o size=120m || lab_skip "cannot mount tmpfs"
truncate -s 2G "$T/img"
mkfs.ext4 -q -F "$T/img" || lab_fail "mkfs.ext4"
lab_loop "$T/img" || lab_skip "no free loop device"
DEV=$(basename "$LOOPDEV")
lab_diag_mark "ext4 backing store full on $DEV"
lab_mount "$LOOPDEV" "$M" -o errors=remount-ro || lab_fail "mount ext4"
dd if=/dev/urandom of="$M/big" bs=1M count=300 2>/dev/null || true
sync || true
touch "$M/x" 2>/dev/null || true
sync || true

OUT="$LAB_DIR/incident.json"
lab_diag_incident "$DEV" "$OUT"
# the log never says where it is mounted; the running system does, for its own log
lab_diag_check "$OUT" "o['mount_point'] == '$(realpath "$M")'" "the incident does not say where $DEV is mounted ($M)"
lab_diag_check "$OUT" 'o["fs"] == "ext4"' "incident is not ext4"
lab_diag_check "$OUT" 'o["outcome"]["read_only"]' "ext4 was not seen going read-only"
lab_diag_check "$OUT" 'any(k in ("buffer-io-error", "io-error", "space-alloc-error", "write-error") for k in kinds)' \
        "no failed write in the chain"
lab_diag_check "$OUT" 'o["fs_uuid"] is not None' "the mount message's UUID was not picked up"
# the block layer's "critical space allocation error" is rate-limited system-wide and may be
# missing (another test just used the budget); ext4's "I/O error 3" (BLK_STS_NOSPC) still says it
lab_diag_check "$OUT" "o['diagnosis']['rule_id'] == 'block/backing-store-exhausted'" \
        "diagnosis is not block/backing-store-exhausted"
lab_diag_check "$OUT" "'backing storage exhausted' in o['diagnosis']['title']['en']" \
        "the diagnosis title does not say the backing storage is exhausted"
echo "PASS"
