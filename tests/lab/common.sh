# Shared helpers for lab tests (sourced). Every resource made here is undone on exit, even on
# failure: mounts, loop devices, tmpfs.
set -u
LAB_DIR=""
LAB_LOOPS=()
LAB_MOUNTS=()

lab_skip() { echo "SKIP: $*"; exit 77; }

lab_require_root() {
        [ "$(id -u)" = 0 ] || lab_skip "needs root"
        [ -e /dev/loop-control ] || lab_skip "no loop device support"
}

lab_require_cmd() {
        for c in "$@"; do command -v "$c" >/dev/null 2>&1 || lab_skip "needs $c"; done
}

lab_require_fs() {
        grep -qw "$1" /proc/filesystems || lab_skip "kernel has no $1"
}

lab_cleanup() {
        local i
        for ((i = ${#LAB_MOUNTS[@]} - 1; i >= 0; i--)); do
                umount -l "${LAB_MOUNTS[i]}" 2>/dev/null || true
        done
        for l in "${LAB_LOOPS[@]}"; do losetup -d "$l" 2>/dev/null || true; done
        if [ -n "$LAB_DIR" ]; then
                umount -l "$LAB_DIR"/* 2>/dev/null || true
                rm -rf "$LAB_DIR"
        fi
}

lab_init() {
        LAB_DIR=$(mktemp -d /tmp/fsdoctor-lab.XXXXXX)
        trap lab_cleanup EXIT
}

# lab_mount SRC DST [mount args...]: mount and remember it for cleanup
lab_mount() {
        local src=$1 dst=$2
        shift 2
        mkdir -p "$dst"
        mount "$@" "$src" "$dst" || return 1
        LAB_MOUNTS+=("$dst")
}

# lab_loop FILE [losetup args]: attach a loop device; its path is left in LOOPDEV
# (not printed: a command substitution would lose the cleanup record)
lab_loop() {
        LOOPDEV=$(losetup --find --show "$@") || return 1
        LAB_LOOPS+=("$LOOPDEV")
}

lab_fail() { echo "FAIL: $*" >&2; exit 1; }
