#!/bin/bash
# fsdoctor watch with the guard (issue 13 in the daemon): a fragmented btrfs with no unallocated
# space and an untouched second btrfs mounted after the daemon started. The daemon must sample
# both (the second found without a restart), export fsdoctor_btrfs_* metrics, restore headroom on
# the --guard filesystem only, record samples and guard actions in its SQLite history, and stop
# with exit 0 on SIGTERM.
source "$LAB_COMMON"
source "$(dirname "$0")/guard-lib.sh"
guard_require
guard_init
[ -r /dev/kmsg ] || lab_skip "no /dev/kmsg"

guard_new_fs guarded 1G
guard_fill_fragment "$MNT"
guarded=$MNT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$FSDOCTOR" watch --db="$LAB_DIR/history.db" --listen="127.0.0.1:$port" --btrfs-interval=1 \
        --guard="$guarded" --guard-max-pressure=100 >"$LAB_DIR/watch.out" 2>"$LAB_DIR/watch.err" &
watch=$!
GUARD_PIDS+=("$watch")
sleep 2
guard_new_fs later 1G
later=$MNT

python3 - "$port" "$guarded" "$later" <<'PY' || { cat "$LAB_DIR/watch.err"; lab_fail "metrics"; }
import re, sys, time, urllib.request
port, guarded, later = sys.argv[1:]
def scrape():
    return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
def value(text, name, **labels):
    for line in text.splitlines():
        if not line.startswith(name + '{'):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(' ', 1)[1])
    return None
deadline = time.time() + 60
while time.time() < deadline:
    t = scrape()
    restored = value(t, 'fsdoctor_btrfs_guard_runs_total', mount_point=guarded, outcome='restored')
    risk_later = value(t, 'fsdoctor_btrfs_risk_level', mount_point=later)
    if restored and risk_later is not None and value(t, 'fsdoctor_btrfs_risk_level', mount_point=guarded) == 0:
        break
    time.sleep(1)
else:
    print(t[-3000:])
    sys.exit("the guard did not restore headroom within 60 s, or the later mount was not sampled")
moved = value(t, 'fsdoctor_btrfs_guard_relocated_bytes_total', mount_point=guarded)
unalloc = value(t, 'fsdoctor_btrfs_unallocated_bytes', mount_point=guarded)
target = value(t, 'fsdoctor_btrfs_headroom_target_bytes', mount_point=guarded)
print(f"metrics: guard restored, {moved / 2**20:.1f} MiB relocated, unallocated {unalloc / 2**20:.1f} MiB "
      f"(target {target / 2**20:.1f}); later mount sampled, risk {risk_later:.0f}")
assert moved > 0 and unalloc >= target
assert value(t, 'fsdoctor_btrfs_guard_runs_total', mount_point=later) is None, "the unguarded fs was guarded"
for name in ['fsdoctor_btrfs_size_bytes', 'fsdoctor_btrfs_device_unallocated_bytes', 'fsdoctor_btrfs_global_reserve_bytes',
             'fsdoctor_btrfs_metadata_headroom_bytes', 'fsdoctor_btrfs_metadata_exhaustion_seconds']:
    assert value(t, name, mount_point=guarded) is not None, name
PY
kill -TERM "$watch"
wait "$watch"
rc=$?
GUARD_PIDS=()
[ "$rc" = 0 ] || { cat "$LAB_DIR/watch.err"; lab_fail "watch exited $rc after SIGTERM"; }
python3 - "$LAB_DIR/history.db" "$guarded" "$later" <<'PY' || lab_fail "history"
import sqlite3, sys
db, guarded, later = sys.argv[1:]
c = sqlite3.connect(db)
n = dict(c.execute("SELECT mount_point, count(*) FROM btrfs_samples GROUP BY mount_point"))
steps = c.execute("SELECT count(*), sum(bytes_relocated) FROM btrfs_guard_actions WHERE kind='step' AND mount_point=?",
                  (guarded,)).fetchone()
runs = [r[0] for r in c.execute("SELECT outcome FROM btrfs_guard_actions WHERE kind='run' AND mount_point=?", (guarded,))]
print(f"history: samples {n}, {steps[0]} steps, {steps[1] / 2**20:.1f} MiB relocated, outcomes {sorted(set(runs))}")
assert n.get(guarded, 0) >= 2 and n.get(later, 0) >= 1
assert steps[0] >= 1 and steps[1] > 0 and 'restored' in runs
PY
btrfs balance status "$guarded" | grep -q "No balance" || lab_fail "a balance is left running"
echo PASS
