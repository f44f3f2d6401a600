# Helpers for the guard lab tests and bench/guard (sourced after $LAB_COMMON).
GUARD_LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GUARD_PIDS=()

guard_require() {
        lab_require_root
        lab_require_cmd mkfs.btrfs btrfs python3 losetup truncate
        lab_require_fs btrfs
        [ -x "${FSDOCTOR:-}" ] || lab_skip "FSDOCTOR not set"
}

# stop background processes we started (by pid), then the common cleanup
guard_cleanup() {
        local p
        for p in "${GUARD_PIDS[@]}"; do
                kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
        done
        lab_cleanup
}

guard_init() {
        lab_init
        trap guard_cleanup EXIT
}

# guard_fill_fragment MNT: fill with 1 MiB preallocated files until ENOSPC, then delete every
# other one: data block groups half empty, no unallocated space left (the seed's precondition)
guard_fill_fragment() {
        python3 "$(dirname "$LAB_COMMON")/fill-fragment.py" "$1" || lab_fail "fill"
        sync
        btrfs filesystem sync "$1" >/dev/null
}

# guard_new_fs NAME SIZE: one loop device with a fresh btrfs, mounted at $LAB_DIR/NAME; sets MNT, DEV
guard_new_fs() {
        truncate -s "$2" "$LAB_DIR/$1.img" || lab_fail "truncate"
        lab_loop "$LAB_DIR/$1.img" || lab_skip "cannot attach a loop device"
        DEV=$LOOPDEV
        mkfs.btrfs -q -f "$DEV" >/dev/null 2>&1 || lab_fail "mkfs.btrfs $DEV"
        MNT="$LAB_DIR/$1"
        lab_mount "$DEV" "$MNT" || lab_fail "mount $DEV"
}

# guard_json_field FILE SCHEMA PYEXPR: PYEXPR over the last object of that schema (j)
guard_json_field() {
        python3 - "$@" <<'PY'
import json, sys
path, schema, expr = sys.argv[1:4]
j = None
for line in open(path):
    line = line.strip()
    if line.startswith('{'):
        o = json.loads(line)
        if o.get('schema') == schema:
            j = o
print(eval(expr) if j is not None else 'NONE')
PY
}
