#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Lab: the offline reader (fsd_btrfs_space_read_offline, via btrfs-model-dump) against real
# mkfs.btrfs images, compared number by number with btrfs-progs' dump-super and dump-tree:
# single, DUP metadata, mixed block groups, every checksum type, RAID0/1/10/1C3/5/6 over several
# images, degraded RAID1 with one image left out, a filesystem with thousands of block groups,
# and a read through a read-only loop device whose image must be bit-for-bit unchanged.
# Needs root (loop devices, one mount) and btrfs-progs; exits 77 without them.
set -u
. "${LAB_COMMON:?}"
lab_require_root
lab_require_cmd mkfs.btrfs btrfs python3 sha256sum losetup fallocate
DUMP=${BTRFS_MODEL_DUMP:?path of btrfs-model-dump}
CMP="$(dirname "$0")/offline-compare.py"
lab_init

# compare NAME IMAGE...: model vs dump-super / dump-tree of the same images
compare() {
        local name=$1 tree=extent
        shift
        "$DUMP" "$@" >"$LAB_DIR/$name.model" 2>"$LAB_DIR/$name.err" ||
                lab_fail "$name: offline read failed: $(cat "$LAB_DIR/$name.err")"
        btrfs inspect-internal dump-super "$1" >"$LAB_DIR/$name.super" || lab_fail "$name: dump-super"
        if (( $(awk -F'\t' '$2 == "compat_ro_flags" { print $3 }' "$LAB_DIR/$name.model") & 8 )); then
                tree=block-group
        fi
        btrfs inspect-internal dump-tree --noscan -t chunk "$@" >"$LAB_DIR/$name.chunk" 2>/dev/null ||
                lab_fail "$name: dump-tree -t chunk"
        btrfs inspect-internal dump-tree --noscan -t "$tree" "$@" >"$LAB_DIR/$name.extent" 2>/dev/null ||
                lab_fail "$name: dump-tree -t $tree"
        python3 "$CMP" "$LAB_DIR/$name.model" "$LAB_DIR/$name.super" "$LAB_DIR/$name.chunk" \
                "$LAB_DIR/$name.extent" >"$LAB_DIR/$name.cmp" || lab_fail "$name: $(cat "$LAB_DIR/$name.cmp")"
        echo "ok: $name: $(cat "$LAB_DIR/$name.cmp")"
}

# mkimages NAME COUNT SIZE: sparse image files NAME.1 ... NAME.COUNT, paths left in IMAGES
mkimages() {
        IMAGES=()
        for ((i = 1; i <= $2; i++)); do
                truncate -s "$3" "$LAB_DIR/$1.$i"
                IMAGES+=("$LAB_DIR/$1.$i")
        done
}

mkimages single 1 1G
mkfs.btrfs -q -m single -d single "${IMAGES[@]}" >/dev/null || lab_fail "mkfs single"
compare single "${IMAGES[@]}"

mkimages dup 1 1G
mkfs.btrfs -q -L fsdoctor-dup "${IMAGES[@]}" >/dev/null || lab_fail "mkfs dup"
compare dup "${IMAGES[@]}"
grep -q "label	fsdoctor-dup" "$LAB_DIR/dup.model" || lab_fail "dup: label not read"

mkimages mixed 1 256M
mkfs.btrfs -q -M "${IMAGES[@]}" >/dev/null || lab_fail "mkfs mixed"
compare mixed "${IMAGES[@]}"
grep -qP "^bg\t\d+\t\d+\t\d+\t(5|37)$" "$LAB_DIR/mixed.model" || lab_fail "mixed: no DATA|METADATA group"

for csum in xxhash sha256 blake2; do
        mkimages "csum-$csum" 1 512M
        mkfs.btrfs -q --csum "$csum" "${IMAGES[@]}" >/dev/null || lab_fail "mkfs --csum $csum"
        compare "csum-$csum" "${IMAGES[@]}"
done

mkimages raid1 2 1G
mkfs.btrfs -q -m raid1 -d raid1 "${IMAGES[@]}" >/dev/null || lab_fail "mkfs raid1"
compare raid1 "${IMAGES[@]}"
# degraded: the second device left out still reads (every tree block has a copy on the first)
"$DUMP" "${IMAGES[0]}" >"$LAB_DIR/raid1-degraded.model" 2>"$LAB_DIR/raid1-degraded.err" ||
        lab_fail "raid1 degraded: $(cat "$LAB_DIR/raid1-degraded.err")"
grep -qP "^device\t2\t\d+\t\d+\t1\t$" "$LAB_DIR/raid1-degraded.model" || lab_fail "raid1 degraded: devid 2 not missing"
diff <(grep ^bg "$LAB_DIR/raid1.model") <(grep ^bg "$LAB_DIR/raid1-degraded.model") >/dev/null ||
        lab_fail "raid1 degraded: block groups differ from the complete read"
echo "ok: raid1 degraded: devid 2 flagged missing, same block groups"

mkimages raid10 4 1G
mkfs.btrfs -q -m raid10 -d raid10 "${IMAGES[@]}" >/dev/null || lab_fail "mkfs raid10"
compare raid10 "${IMAGES[@]}"

mkimages raid0 3 1G
mkfs.btrfs -q -m raid0 -d raid0 "${IMAGES[@]}" >/dev/null || lab_fail "mkfs raid0"
compare raid0 "${IMAGES[@]}"
# degraded RAID0 metadata cannot be read: a clear error, exit 2, not a crash
"$DUMP" "${IMAGES[0]}" "${IMAGES[1]}" >/dev/null 2>"$LAB_DIR/raid0-degraded.err"
rc=$?
[ "$rc" = 2 ] && grep -q "missing" "$LAB_DIR/raid0-degraded.err" ||
        lab_fail "raid0 degraded: exit $rc, $(cat "$LAB_DIR/raid0-degraded.err")"
echo "ok: raid0 degraded: $(cut -c1-150 "$LAB_DIR/raid0-degraded.err")"

mkimages raid1c3 3 1G
mkfs.btrfs -q -m raid1c3 -d raid1c3 "${IMAGES[@]}" >/dev/null || lab_fail "mkfs raid1c3"
compare raid1c3 "${IMAGES[@]}"

mkimages raid5 3 1G
mkfs.btrfs -q -m raid5 -d raid5 "${IMAGES[@]}" >/dev/null 2>&1 || lab_fail "mkfs raid5"
compare raid5 "${IMAGES[@]}"

mkimages raid6 4 1G
mkfs.btrfs -q -m raid6 -d raid6 "${IMAGES[@]}" >/dev/null 2>&1 || lab_fail "mkfs raid6"
compare raid6 "${IMAGES[@]}"

# read-only proof: through a read-only loop device, and the image is unchanged afterwards
before=$(sha256sum <"$LAB_DIR/dup.1")
lab_loop -r "$LAB_DIR/dup.1" || lab_fail "losetup -r"
"$DUMP" "$LOOPDEV" >"$LAB_DIR/loop.model" 2>"$LAB_DIR/loop.err" || lab_fail "read via $LOOPDEV: $(cat "$LAB_DIR/loop.err")"
diff <(grep -v "^device" "$LAB_DIR/dup.model") <(grep -v "^device" "$LAB_DIR/loop.model") >/dev/null ||
        lab_fail "read via loop device differs from the image read"
losetup -d "$LOOPDEV"
after=$(sha256sum <"$LAB_DIR/dup.1")
[ "$before" = "$after" ] || lab_fail "image changed while reading it"
echo "ok: read-only: $LOOPDEV read, sha256 unchanged"

# thousands of block groups: a sparse 2 TiB image, 256 MiB data chunks, fallocate fills them
if grep -qw btrfs /proc/filesystems; then
        mkimages many 1 2T
        mkfs.btrfs -q -d single -m dup "${IMAGES[@]}" >/dev/null || lab_fail "mkfs many"
        lab_loop "${IMAGES[0]}" || lab_fail "losetup many"
        lab_mount "$LOOPDEV" "$LAB_DIR/mnt" || lab_fail "mount many"
        uuid=$(btrfs inspect-internal dump-super "${IMAGES[0]}" | awk '$1 == "fsid" { print $2 }')
        echo 268435456 >"/sys/fs/btrfs/$uuid/allocation/data/chunk_size" 2>/dev/null || true
        fallocate -l 1200G "$LAB_DIR/mnt/big" || lab_fail "fallocate"
        umount "$LAB_DIR/mnt" || lab_fail "umount many"
        LAB_MOUNTS=()
        compare many "${IMAGES[@]}"
        n=$(grep -c ^bg "$LAB_DIR/many.model")
        [ "$n" -ge 2000 ] || lab_fail "many: only $n block groups"
fi
echo "PASS"
