#!/bin/bash
# The seed's precondition, made for real: fill a filesystem until no unallocated space is left,
# delete every other file so data block groups are half empty. fsdoctor must say high or
# critical and print a balance plan; running that plan for real must restore unallocated space
# and turn the verdict back to ok. Numbers are checked against btrfs-progs at both points.
source "$LAB_COMMON"
source "$(dirname "$0")/inspect-lib.sh"
inspect_require
lab_init

inspect_mkfs_loops 1 2G
mkfs.btrfs -q -f "${LOOPS[0]}" >/dev/null || lab_fail "mkfs"
mnt="$LAB_DIR/mnt"
lab_mount "${LOOPS[0]}" "$mnt" || lab_fail "mount"

python3 "$(dirname "$LAB_COMMON")/fill-fragment.py" "$mnt" || lab_fail "fill"
sync
inspect_compare_progs fragmented "$mnt"
level=$(inspect_field fragmented 'j["risk"]["level"]')
echo "verdict: $level, unallocated $(inspect_field fragmented 'j["risk"]["unallocated"]')"
case "$level" in high|critical) ;; *) lab_fail "fragmented: risk $level, expected high or critical" ;; esac
[ "$INSPECT_RC" = 1 ] || lab_fail "fragmented: exit $INSPECT_RC, expected 1"
[ "$(inspect_field fragmented 'j["reclaim_plan"]["needed"] and j["reclaim_plan"]["feasible"]')" = True ] ||
        lab_fail "fragmented: no feasible reclaim plan"
"$FSDOCTOR" inspect "$mnt" | sed -n '/ENOSPC risk/,$p'

# run the plan exactly as printed
inspect_field fragmented '"\n".join(j["reclaim_plan"]["commands"])' >"$LAB_DIR/plan.sh"
cat "$LAB_DIR/plan.sh"
grep -q "^btrfs balance start -d" "$LAB_DIR/plan.sh" || lab_fail "plan has no balance command"
bash -e "$LAB_DIR/plan.sh" || lab_fail "the planned balance failed"
sync

inspect_compare_progs balanced "$mnt"
level=$(inspect_field balanced 'j["risk"]["level"]')
before=$(inspect_field fragmented 'j["risk"]["unallocated"]')
after=$(inspect_field balanced 'j["risk"]["unallocated"]')
target=$(inspect_field balanced 'j["risk"]["headroom_target"]')
echo "after balance: $level, unallocated $before -> $after (target $target)"
[ "$after" -ge "$target" ] || lab_fail "unallocated $after still below target $target"
[ "$level" = ok ] || lab_fail "after balance: risk $level, expected ok"
[ "$INSPECT_RC" = 0 ] || lab_fail "after balance: exit $INSPECT_RC"

inspect_umount "$mnt"
inspect_compare_offline balanced "${LOOPS[0]}"
echo "PASS"
