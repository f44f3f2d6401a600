#!/bin/bash
# The guard against two reference reclaims, on the same fragmented filesystem (issue 13):
#   guard                 fsdoctor guard: least-used data block group first, one at a time,
#                         stops as soon as unallocated reaches its headroom target
#   least-used            python3-btrfs's btrfs-balance-least-used, defaults (-u 100: every data
#                         block group, least used first, one at a time, until all are done)
#   btrfsmaintenance      btrfsmaintenance's btrfs-balance.sh with its Debian defaults
#                         (/etc/default/btrfsmaintenance: BTRFS_BALANCE_DUSAGE="5 10",
#                         BTRFS_BALANCE_MUSAGE="5", after -dusage=0 and -musage=0), only the
#                         mount point changed, in a private mount namespace
# Each run gets a fresh 1 GiB btrfs filled with 1 MiB preallocated files and every other file
# deleted (the seed's precondition: no unallocated space, data block groups half empty), and
# measures: data bytes relocated (the used bytes of the block groups that were relocated), bytes
# written to the loop device, time until unallocated first reaches the guard's headroom target
# (one metadata + one data chunk, what `fsdoctor inspect` asks for), total time, unallocated after.
# Root only. Installs python3-btrfs and btrfsmaintenance when missing (Debian packages).
#   bench/guard/bench-guard.sh [BUILD_DIR]       (default build/)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
FSDOCTOR=$BUILD/src/fsdoctor
LAB_COMMON=$ROOT/tests/lab/common.sh
source "$LAB_COMMON"
source "$ROOT/tests/lab/guard/guard-lib.sh"
guard_require
if ! command -v btrfs-balance-least-used >/dev/null || [ ! -x /usr/share/btrfsmaintenance/btrfs-balance.sh ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-btrfs btrfsmaintenance \
                >/dev/null || lab_skip "cannot install python3-btrfs and btrfsmaintenance"
fi
guard_init
RESULTS=$LAB_DIR/results.tsv
: >"$RESULTS"

# snapshot NAME: block groups and unallocated as fsdoctor reads them
snapshot() {
        "$FSDOCTOR" inspect --online --format=json "$MNT" >"$LAB_DIR/$1.json" || true
}

# poll_until_target FILE TARGET T0: write the first time (s since T0) that unallocated >= TARGET;
# reads DEV_INFO through python3-btrfs (Debian: /usr/bin/python3) every 20 ms
poll_until_target() {
        # exec: the background subshell becomes python itself, so that kill reaches it
        exec /usr/bin/python3 - "$MNT" "$2" "$3" "$1" <<'PY'
import btrfs, sys, time
mnt, target, t0, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
fs = btrfs.FileSystem(mnt)
while time.time() - t0 < 600:
    try:
        u = sum(d.total_bytes - d.bytes_used for d in (fs.dev_info(x.devid) for x in fs.devices()))
    except OSError:
        u = 0
    if u >= target:
        open(out, 'w').write(f"{time.time() - t0:.2f}\n")
        break
    time.sleep(0.02)
PY
}

run_one() {
        local name=$1
        shift
        guard_new_fs "$name" 1G
        guard_fill_fragment "$MNT" >/dev/null
        snapshot "$name.before"
        local target dev written0 written1 t0 t1 poller
        target=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["risk"]["headroom_target"])' "$LAB_DIR/$name.before.json")
        dev=$(basename "$DEV")
        written0=$(awk '{print $7}' "/sys/block/$dev/stat")
        rm -f "$LAB_DIR/$name.reach"
        t0=$(date +%s.%N)
        poll_until_target "$LAB_DIR/$name.reach" "$target" "$t0" &
        poller=$!
        GUARD_PIDS+=("$poller")
        "$@" >"$LAB_DIR/$name.log" 2>&1
        local rc=$?
        sync
        t1=$(date +%s.%N)
        # let the poller see the final state
        local i
        for ((i = 0; i < 30; i++)); do
                [ -e "$LAB_DIR/$name.reach" ] && break
                sleep 0.1
        done
        kill "$poller" 2>/dev/null
        wait "$poller" 2>/dev/null
        GUARD_PIDS=()
        written1=$(awk '{print $7}' "/sys/block/$dev/stat")
        snapshot "$name.after"
        python3 - "$name" "$LAB_DIR" "$t0" "$t1" "$written0" "$written1" "$rc" >>"$RESULTS" <<'PY'
import json, os, sys
name, d, t0, t1, w0, w1, rc = sys.argv[1:]
b = json.load(open(f"{d}/{name}.before.json"))
a = json.load(open(f"{d}/{name}.after.json"))
def groups(j):
    return {(g['start'], g['length']): g for g in j['block_groups']}
before, after = groups(b), groups(a)
gone = [g for k, g in before.items() if k not in after]
moved = sum(g['used'] for g in gone if g['type'] == 'data')
reach = open(f"{d}/{name}.reach").read().strip() if os.path.exists(f"{d}/{name}.reach") else '-'
print('\t'.join(map(str, [name, moved, sum(1 for g in gone if g['type'] == 'data'),
                          (int(w1) - int(w0)) * 512, reach, f"{float(t1) - float(t0):.2f}",
                          b['risk']['unallocated'], a['risk']['unallocated'], b['risk']['headroom_target'],
                          a['risk']['level'], rc])))
PY
        umount "$MNT" && LAB_MOUNTS=("${LAB_MOUNTS[@]/$MNT}")
}

# btrfsmaintenance reads /etc/default/btrfsmaintenance: give it a copy naming only our mount point
maintenance_balance() {
        local conf=$LAB_DIR/btrfsmaintenance.conf
        sed "s|^BTRFS_BALANCE_MOUNTPOINTS=.*|BTRFS_BALANCE_MOUNTPOINTS=\"$MNT\"|" /etc/default/btrfsmaintenance >"$conf"
        unshare -m sh -c 'mount --bind "$1" /etc/default/btrfsmaintenance && /usr/share/btrfsmaintenance/btrfs-balance.sh' \
                sh "$conf"
}

run_one guard "$FSDOCTOR" guard --max-io-pressure=100 --max-cpu-pressure=100 "$LAB_DIR/guard"
run_one least-used btrfs-balance-least-used "$LAB_DIR/least-used"
run_one btrfsmaintenance maintenance_balance

echo
echo "Same fragmented 1 GiB btrfs for each (no unallocated space, data block groups ~50 % used)."
python3 - "$RESULTS" <<'PY'
import sys
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])]
MiB = 1 << 20
guard = next(r for r in rows if r[0] == 'guard')
print(f"{'reclaim':<18}{'relocated':>11}{'groups':>8}{'written':>11}{'to target':>11}{'total':>8}"
      f"{'unalloc before->after':>24}{'target':>9}  {'restored':<9}{'vs guard':>9}")
for r in rows:
    name, moved, n, written, reach, total, ub, ua, target, level, rc = r
    restored = 'yes' if int(ua) >= int(target) else 'no'
    ratio = f"{int(moved) / int(guard[1]):.2f}x" if int(guard[1]) else '-'
    print(f"{name:<18}{int(moved) / MiB:>8.1f}MiB{n:>8}{int(written) / MiB:>8.1f}MiB"
          f"{(reach + ' s') if reach != '-' else 'never':>11}{total + ' s':>8}"
          f"{int(ub) / MiB:>11.1f} -> {int(ua) / MiB:>6.1f}MiB{int(target) / MiB:>6.0f}MiB  {restored:<9}{ratio:>9}")
print("relocated: used bytes of the data block groups that were relocated; written: bytes written to")
print("the loop device during the run (relocation, metadata, commits); to target: first time unallocated")
print("reached the target, polled every 20 ms; total: until the tool exited and sync returned.")
PY
for n in guard least-used btrfsmaintenance; do echo "== $n (last lines)"; tail -3 "$LAB_DIR/$n.log"; done
