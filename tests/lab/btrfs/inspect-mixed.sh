#!/bin/bash
# fsdoctor inspect on a small mixed-block-group filesystem (mkfs -M): data and metadata share
# groups, btrfs-progs leaves metadata out of "allocated" and subtracts the global reserve from
# "Free (estimated)"; fsdoctor must do the same.
source "$LAB_COMMON"
source "$(dirname "$0")/inspect-lib.sh"
inspect_require
lab_init

inspect_mkfs_loops 1 512M
mkfs.btrfs -q -f -M "${LOOPS[0]}" >/dev/null || lab_fail "mkfs -M"
mnt="$LAB_DIR/mnt"
lab_mount "${LOOPS[0]}" "$mnt" || lab_fail "mount"
for i in $(seq 1 10); do head -c 2M /dev/urandom >"$mnt/file$i"; done
inspect_compare_progs mixed "$mnt"

[ "$(inspect_field mixed 'j["overall"]["mixed"]')" = True ] || lab_fail "mixed not detected"
t=$(inspect_field mixed '",".join(sorted(set(b["type"] for b in j["block_groups"])))')
[ "$t" = "mixed,system" ] || lab_fail "block group types: $t"

inspect_umount "$mnt"
inspect_compare_offline mixed "${LOOPS[0]}"
echo "PASS"
