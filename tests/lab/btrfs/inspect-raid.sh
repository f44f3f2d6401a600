#!/bin/bash
# fsdoctor inspect on RAID1 and RAID10 over four loop devices: overall, per-profile and
# per-device numbers against btrfs-progs, then online against offline.
source "$LAB_COMMON"
source "$(dirname "$0")/inspect-lib.sh"
inspect_require
lab_init

for profile in raid1 raid10; do
        inspect_mkfs_loops 4 1G
        mkfs.btrfs -q -f -m "$profile" -d "$profile" "${LOOPS[@]}" >/dev/null || lab_fail "mkfs $profile"
        mnt="$LAB_DIR/mnt-$profile"
        lab_mount "${LOOPS[0]}" "$mnt" || lab_fail "mount"
        for i in $(seq 1 20); do head -c 4M /dev/urandom >"$mnt/file$i"; done
        inspect_compare_progs "$profile" "$mnt"

        want=$(echo "$profile" | tr a-z A-Z)
        got=$(inspect_field "$profile" 'j["risk"]["metadata_profile"]')
        [ "$got" = "$want" ] || lab_fail "$profile: metadata profile $got"
        n=$(inspect_field "$profile" 'len(j["devices"])')
        [ "$n" = 4 ] || lab_fail "$profile: $n devices"
        ratio=$(inspect_field "$profile" 'j["overall"]["data_ratio"]')
        [ "$ratio" = 2 ] || [ "$ratio" = 2.0 ] || lab_fail "$profile: data ratio $ratio"

        inspect_umount "$mnt"
        inspect_compare_offline "$profile" "${LOOPS[@]}"
        for l in "${LOOPS[@]}"; do losetup -d "$l"; done
done
echo "PASS"
