# Helpers for the inspect-*.sh lab tests (sourced after $LAB_COMMON).
INSPECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

inspect_require() {
        lab_require_root
        lab_require_cmd mkfs.btrfs btrfs python3 losetup truncate
        lab_require_fs btrfs
        [ -x "${FSDOCTOR:-}" ] || lab_skip "FSDOCTOR not set"
}

# inspect_json NAME ARGS...: fsdoctor inspect --format=json ARGS > $LAB_DIR/NAME.json; sets INSPECT_RC
inspect_json() {
        local name=$1
        shift
        "$FSDOCTOR" inspect --format=json "$@" >"$LAB_DIR/$name.json" 2>"$LAB_DIR/$name.err"
        INSPECT_RC=$?
        cat "$LAB_DIR/$name.err" >&2
        if [ "$INSPECT_RC" -ge 2 ]; then
                return 1
        fi
        return 0
}

# inspect_field NAME PYEXPR: evaluate a Python expression over the JSON object j
inspect_field() {
        python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
                "$LAB_DIR/$1.json" "$2"
}

# inspect_compare_progs NAME MNT: fsdoctor (online) against btrfs fi usage -b / device usage -b
inspect_compare_progs() {
        local name=$1 mnt=$2
        sync
        btrfs filesystem sync "$mnt" >/dev/null 2>&1 || true
        inspect_json "$name" --online "$mnt" || lab_fail "$name: fsdoctor inspect failed (rc $INSPECT_RC)"
        btrfs filesystem usage -b "$mnt" >"$LAB_DIR/$name.fi-usage" 2>&1 || lab_fail "$name: btrfs fi usage failed"
        btrfs device usage -b "$mnt" >"$LAB_DIR/$name.dev-usage" 2>&1 || lab_fail "$name: btrfs device usage failed"
        echo "== $name: fsdoctor vs btrfs-progs"
        if ! python3 "$INSPECT_DIR/inspect-compare.py" progs "$LAB_DIR/$name.json" \
                "$LAB_DIR/$name.fi-usage" "$LAB_DIR/$name.dev-usage"; then
                cat "$LAB_DIR/$name.fi-usage" "$LAB_DIR/$name.dev-usage"
                lab_fail "$name: fsdoctor disagrees with btrfs-progs"
        fi
}

# inspect_compare_offline NAME DEVICE...: run after umount; the offline model must equal the
# online one saved as NAME.json. Skips (returns 0, says so) while the offline reader is missing.
inspect_compare_offline() {
        local name=$1
        shift
        if ! inspect_json "$name-offline" --offline "$@"; then
                if grep -qiE "not supported|not implemented|unsupported" "$LAB_DIR/$name-offline.err"; then
                        echo "SKIP-PART $name: offline reader not available in this build: $(cat "$LAB_DIR/$name-offline.err")"
                        return 0
                fi
                lab_fail "$name: fsdoctor inspect --offline failed (rc $INSPECT_RC)"
        fi
        echo "== $name: online vs offline"
        python3 "$INSPECT_DIR/inspect-compare.py" offline "$LAB_DIR/$name.json" "$LAB_DIR/$name-offline.json" ||
                lab_fail "$name: online and offline models differ"
}

# inspect_mkfs_loops N SIZE: N sparse images attached to loop devices, in LOOPS[]
inspect_mkfs_loops() {
        local n=$1 size=$2 i
        LOOPS=()
        for ((i = 0; i < n; i++)); do
                truncate -s "$size" "$LAB_DIR/img$i" || lab_fail "truncate"
                lab_loop "$LAB_DIR/img$i" || lab_skip "cannot attach a loop device"
                LOOPS+=("$LOOPDEV")
        done
}

# inspect_umount MNT: unmount now (cleanup would do it lazily at exit)
inspect_umount() {
        umount "$1" || lab_fail "umount $1"
        local i
        for i in "${!LAB_MOUNTS[@]}"; do
                [ "${LAB_MOUNTS[i]}" = "$1" ] && unset 'LAB_MOUNTS[i]'
        done
        LAB_MOUNTS=("${LAB_MOUNTS[@]}")
}
