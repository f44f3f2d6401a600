#!/bin/bash
# XFS shut down on purpose (xfs_io -x -c "shutdown"): expect one xfs incident on that loop device,
# shut down, and marked as requested by a user.
. "$LAB_COMMON"
. "$(dirname "$0")/lab-diag.sh"
lab_require_root
lab_require_cmd mkfs.xfs xfs_io truncate python3 awk
lab_require_fs xfs
lab_init
truncate -s 1G "$LAB_DIR/img"
mkfs.xfs -q -f "$LAB_DIR/img" || lab_fail "mkfs.xfs"
lab_loop "$LAB_DIR/img" || lab_skip "no free loop device"
DEV=$(basename "$LOOPDEV")
M="$LAB_DIR/mnt"
lab_diag_mark "xfs user shutdown on $DEV"
lab_mount "$LOOPDEV" "$M" || lab_fail "mount xfs"
xfs_io -x -c "shutdown" "$M" || lab_fail "xfs_io shutdown"
touch "$M/x" 2>/dev/null && lab_fail "a shut-down XFS accepted a write"

OUT="$LAB_DIR/incident.json"
lab_diag_incident "$DEV" "$OUT"
# the log never says where it is mounted; the running system does, for its own log
lab_diag_check "$OUT" "o['mount_point'] == '$(realpath "$M")'" "the incident does not say where $DEV is mounted ($M)"
lab_diag_check "$OUT" 'o["fs"] == "xfs"' "incident is not xfs"
lab_diag_check "$OUT" 'o["outcome"]["shutdown"]' "XFS was not seen shutting down"
lab_diag_check "$OUT" '"user-shutdown" in kinds' "the shutdown is not marked as requested by a user"
RULE=$(lab_diag_rule_id user-shutdown)
if [ -n "$RULE" ]; then
        lab_diag_check "$OUT" "o['diagnosis']['rule_id'] == '$RULE'" "diagnosis is not $RULE"
else
        echo "NOTE: rules/ has no user-shutdown rule yet; diagnosis not checked"
fi
echo "PASS"
