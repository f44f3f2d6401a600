#!/bin/bash
# Lab proof of the guard (issue 13). A 1 GiB btrfs is filled with data and fragmented so that no
# unallocated space is left, then a workload grows metadata only (small inline files) at a steady
# rate.
#   Without the guard: the kernel refuses new metadata (ENOSPC to user space) while data block
#   groups are half empty; we record what it does and when. Meanwhile `fsdoctor guard --dry-run`
#   samples every second: its forecast, made half-way, must predict that time within 25 % of the
#   lead time (the stated error), and the dry run must change nothing.
#   With the guard: the same filesystem and workload, `fsdoctor guard --interval=1` running; the
#   guard restores unallocated space before metadata runs out and the workload creates 1.5 times
#   as many files with no error. SIGTERM stops the guard cleanly.
# GUARD_SAVE_SERIES=FILE keeps the recorded (time, headroom) series (tests/unit/btrfs/data).
source "$LAB_COMMON"
source "$(dirname "$0")/guard-lib.sh"
guard_require
guard_init
WORKLOAD="$GUARD_LAB_DIR/workload.py"
RATE=400

# ---- A: no guard -------------------------------------------------------------------------
guard_new_fs nog 1G
guard_fill_fragment "$MNT"
"$FSDOCTOR" inspect -q "$MNT"
dmesg_mark=$(wc -l < <(dmesg))
"$FSDOCTOR" guard --dry-run --interval=1 --format=json "$MNT" >"$LAB_DIR/nog.samples" 2>"$LAB_DIR/nog.guard-err" &
sampler=$!
GUARD_PIDS+=("$sampler")
python3 "$WORKLOAD" "$MNT" --rate "$RATE" --seconds 240 --summary "$LAB_DIR/nog.json" || lab_fail "workload A"
sleep 1.5
kill -TERM "$sampler"
wait "$sampler" || lab_fail "guard --dry-run --interval exited $? after SIGTERM"
GUARD_PIDS=()
cat "$LAB_DIR/nog.guard-err" >&2
echo "== A: kernel messages for $DEV during the workload"
dmesg | tail -n +"$((dmesg_mark + 1))" | grep -i "btrfs" | grep -F "$(basename "$DEV")" | tee "$LAB_DIR/nog.dmesg" || true
err=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$LAB_DIR/nog.json")
[ "$err" = ENOSPC ] || lab_fail "A: expected the workload to hit ENOSPC, got $err"
if grep -q "forced readonly" "$LAB_DIR/nog.dmesg"; then kernel="transaction abort, forced read-only"; else kernel="ENOSPC to user space, no abort, filesystem stays writable"; fi
echo "A: kernel did: $kernel"
grep -q '"outcome":"would-reclaim"' "$LAB_DIR/nog.samples" || lab_fail "A: dry run never said it would reclaim"
grep -q '"bytes_relocated":[1-9]' "$LAB_DIR/nog.samples" && lab_fail "A: dry run relocated something"
python3 - "$LAB_DIR/nog.samples" "$LAB_DIR/nog.json" "${GUARD_SAVE_SERIES:-}" <<'PY' || lab_fail "A: forecast"
import json, sys
samples, summary, save = sys.argv[1], sys.argv[2], sys.argv[3]
wl = json.load(open(summary))
T = wl['stop'] - wl['start']
pts = []
for line in open(samples):
    o = json.loads(line)
    if o.get('schema') == 'fsdoctor.btrfs-sample/1':
        pts.append((o['time_ms'] / 1000 - wl['start'], o['metadata_headroom'], o.get('forecast', {})))
# the forecast fsdoctor made at the sample nearest half-way to ENOSPC
t, h, fc = min((p for p in pts if p[2].get('valid') and p[0] <= T / 2), key=lambda p: abs(p[0] - T / 2))
eta = fc['seconds_to_exhaustion']
if eta is None:
    sys.exit(f"no exhaustion forecast at t={t:.1f}")
pred = t + eta
err = abs(pred - T) / (T - t)
band = (t + fc['seconds_to_exhaustion_early'], t + (fc['seconds_to_exhaustion_late'] or float('inf')))
print(f"A: ENOSPC after {T:.1f} s ({wl['files']} files); forecast at t={t:.1f} s: exhaustion at {pred:.1f} s "
      f"(band {band[0]:.1f}..{band[1]:.1f}), error {pred - T:+.1f} s = {err * 100:.1f} % of the {T - t:.1f} s lead; "
      f"headroom at ENOSPC {pts[-1][1] / 2**20:.2f} MiB")
if save:
    with open(save, 'w') as f:
        f.write('# recorded by tests/lab/guard/metadata-exhaustion.sh without the guard: 1 GiB btrfs, DUP metadata,\n')
        f.write(f'# no unallocated space, {int(wl["files"] / T)} inline files/s; t in seconds since the workload started,\n')
        f.write('# metadata headroom in bytes as fsdoctor samples it every second\n')
        f.write(f'# enospc_at {T:.2f}\n# fit_until {T / 2:.2f}\n# max_relative_error 0.25\n')
        for p in pts:
            if p[0] >= 0:
                f.write(f'{p[0]:.3f} {p[1]}\n')
if err > 0.25:
    sys.exit(f"forecast error {err * 100:.1f} % above the stated 25 %")
PY
files_a=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"])' "$LAB_DIR/nog.json")
secs_a=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(int(j["stop"]-j["start"]))' "$LAB_DIR/nog.json")

# ---- B: with the guard ---------------------------------------------------------------------
guard_new_fs withg 1G
guard_fill_fragment "$MNT"
"$FSDOCTOR" guard --interval=1 --max-io-pressure=100 --max-cpu-pressure=100 --format=json "$MNT" \
        >"$LAB_DIR/withg.log" 2>"$LAB_DIR/withg.err" &
guard=$!
GUARD_PIDS+=("$guard")
want=$((files_a * 3 / 2))
python3 "$WORKLOAD" "$MNT" --rate "$RATE" --files "$want" --seconds $((secs_a * 3 + 60)) \
        --summary "$LAB_DIR/withg.json" || lab_fail "workload B"
kill -TERM "$guard"
wait "$guard"
rc=$?
GUARD_PIDS=()
cat "$LAB_DIR/withg.err" >&2
grep -E 'guard-step|"outcome":"(restored|incomplete|infeasible|refused|paused)"' "$LAB_DIR/withg.log" | head -20
[ "$rc" = 0 ] || lab_fail "B: guard exited $rc after SIGTERM"
err=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$LAB_DIR/withg.json")
files_b=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"])' "$LAB_DIR/withg.json")
[ "$err" = None ] || lab_fail "B: workload failed with $err after $files_b files despite the guard"
[ "$files_b" -ge "$want" ] || lab_fail "B: workload made only $files_b of $want files"
python3 - "$LAB_DIR/withg.log" <<'PY' || lab_fail "B: guard record"
import json, sys
runs, steps = [], []
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get('schema') == 'fsdoctor.guard-run/1':
        runs.append(o)
    elif o.get('schema') == 'fsdoctor.guard-step/1':
        steps.append(o)
restored = [r for r in runs if r['outcome'] == 'restored']
if not restored:
    sys.exit("no run restored headroom: " + str(sorted({r['outcome'] for r in runs})))
r = restored[0]
if r['unallocated_after'] < r['headroom_target'] or r['bytes_relocated'] <= 0:
    sys.exit(f"restored run does not show it: {r}")
if sum(s['bytes_relocated'] for s in steps) != sum(x['bytes_relocated'] for x in runs):
    sys.exit("steps and runs disagree on bytes relocated")
if any(s.get('error') for s in steps):
    sys.exit("a step failed: " + str([s for s in steps if s.get('error')]))
print(f"B: guard restored headroom: {len(steps)} block groups, {sum(s['bytes_relocated'] for s in steps) / 2**20:.1f} MiB "
      f"relocated, unallocated {r['unallocated_before'] / 2**20:.1f} -> {r['unallocated_after'] / 2**20:.1f} MiB "
      f"(target {r['headroom_target'] / 2**20:.1f} MiB) in {sum(s['seconds'] for s in steps):.1f} s; outcomes "
      + ", ".join(f"{k} x{sum(1 for x in runs if x['outcome'] == k)}" for k in sorted({x['outcome'] for x in runs})))
PY
echo "B: workload made $files_b files with no error (A stopped at $files_a)"
btrfs balance status "$MNT" | grep -q "No balance" || lab_fail "B: a balance is still running after SIGTERM"
echo PASS
