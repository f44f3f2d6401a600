#!/bin/bash
# fsdoctor inspect on fresh single-device filesystems (metadata single and DUP): every number
# btrfs-progs prints must match to the byte, and the offline reader must see the same model.
source "$LAB_COMMON"
source "$(dirname "$0")/inspect-lib.sh"
inspect_require
lab_init

for profile in single dup; do
        inspect_mkfs_loops 1 2G
        mkfs.btrfs -q -f -m "$profile" -d single "${LOOPS[0]}" >/dev/null || lab_fail "mkfs ($profile)"
        mnt="$LAB_DIR/mnt-$profile"
        lab_mount "${LOOPS[0]}" "$mnt" || lab_fail "mount"
        for i in 1 2 3; do head -c 3M /dev/urandom >"$mnt/file$i"; done
        inspect_compare_progs "fresh-$profile" "$mnt"

        level=$(inspect_field "fresh-$profile" 'j["risk"]["level"]')
        [ "$level" = ok ] || lab_fail "fresh-$profile: risk $level, expected ok"
        [ "$INSPECT_RC" = 0 ] || lab_fail "fresh-$profile: exit $INSPECT_RC for risk ok"
        want=$(echo "$profile" | sed 's/dup/DUP/')
        got=$(inspect_field "fresh-$profile" 'j["risk"]["metadata_profile"]')
        [ "$got" = "$want" ] || lab_fail "fresh-$profile: metadata profile $got"
        need=$(inspect_field "fresh-$profile" 'j["risk"]["metadata_chunk_need"] // j["risk"]["metadata_chunk_size"]')
        [ "$need" = "$([ "$profile" = dup ] && echo 2 || echo 1)" ] || lab_fail "fresh-$profile: chunk need factor $need"

        # text output works too, in both languages
        "$FSDOCTOR" inspect "$mnt" | grep -q "ENOSPC risk: OK" || lab_fail "fresh-$profile: text verdict"
        "$FSDOCTOR" inspect --lang=zh "$mnt" >"$LAB_DIR/zh.txt" || lab_fail "fresh-$profile: zh text"

        inspect_umount "$mnt"
        inspect_compare_offline "fresh-$profile" "${LOOPS[0]}"
done
echo "PASS"
