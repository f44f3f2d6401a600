#!/bin/bash
# The guard refuses to balance when it must not, even though each filesystem here needs it
# (fragmented, no unallocated space): read-only, a degraded RAID1 (a device missing), a scrub
# running, a balance paused. Each refusal is checked in a real run (no --dry-run). At the end the
# same filesystem with nothing in the way is reclaimed, so the refusals came from the conditions.
source "$LAB_COMMON"
source "$(dirname "$0")/guard-lib.sh"
guard_require
guard_init

# guard_expect_refusal MNT REFUSAL: a real run must refuse with that id and exit 1
guard_expect_refusal() {
        local mnt=$1 want=$2 rc
        "$FSDOCTOR" guard --max-io-pressure=100 --max-cpu-pressure=100 --format=json "$mnt" >"$LAB_DIR/out.json"
        rc=$?
        local got
        got=$(guard_json_field "$LAB_DIR/out.json" fsdoctor.guard-run/1 'j["outcome"] + "/" + j.get("refusal", "-") + "/" + str(j["triggered"])')
        echo "guard on $mnt: $got (exit $rc)"
        [ "$got" = "refused/$want/True" ] || lab_fail "expected refused/$want/True, got $got"
        [ "$rc" = 1 ] || lab_fail "exit $rc, expected 1"
        grep -q '"schema":"fsdoctor.guard-step/1"' "$LAB_DIR/out.json" && lab_fail "a step ran despite the refusal"
        "$FSDOCTOR" guard --lang=en "$mnt" | grep -F "refused" || lab_fail "text output does not say refused"
}

# read-only
guard_new_fs ro 1G
guard_fill_fragment "$MNT"
mount -o remount,ro "$MNT" || lab_fail "remount ro"
guard_expect_refusal "$MNT" read-only

# degraded RAID1: fill and fragment on two devices, then mount with one missing
truncate -s 768M "$LAB_DIR/r0.img" "$LAB_DIR/r1.img"
lab_loop "$LAB_DIR/r0.img" || lab_skip "loop"
r0=$LOOPDEV
lab_loop "$LAB_DIR/r1.img" || lab_skip "loop"
r1=$LOOPDEV
mkfs.btrfs -q -f -d raid1 -m raid1 "$r0" "$r1" >/dev/null 2>&1 || lab_fail "mkfs raid1"
lab_mount "$r0" "$LAB_DIR/raid" || lab_fail "mount raid1"
guard_fill_fragment "$LAB_DIR/raid"
umount "$LAB_DIR/raid" || lab_fail "umount raid1"
losetup -d "$r1" || lab_fail "detach $r1"
btrfs device scan --forget >/dev/null 2>&1 || true
mount -o degraded "$r0" "$LAB_DIR/raid" || lab_fail "mount -o degraded"
"$FSDOCTOR" inspect -q "$LAB_DIR/raid" || true
guard_expect_refusal "$LAB_DIR/raid" degraded
umount "$LAB_DIR/raid"

# a scrub running (slowed down through sysfs so that it is still running when the guard looks)
guard_new_fs busy 1G
guard_fill_fragment "$MNT"
uuid=$(btrfs filesystem show "$MNT" | awk '/uuid:/ {print $NF}')
speed="/sys/fs/btrfs/$uuid/devinfo/1/scrub_speed_max"
if [ -w "$speed" ]; then
        echo $((1 << 20)) >"$speed"
        btrfs scrub start -B "$MNT" >/dev/null 2>&1 &
        scrub=$!
        GUARD_PIDS+=("$scrub")
        sleep 1
        guard_expect_refusal "$MNT" scrub-running
        btrfs scrub cancel "$MNT" >/dev/null 2>&1
        wait "$scrub" 2>/dev/null
        GUARD_PIDS=()
        echo 0 >"$speed"
else
        echo "SKIP-PART: kernel has no scrub_speed_max"
fi

# a balance paused by the operator (try to pause it while it runs; on a fast machine it may end first)
btrfs balance start -dusage=100 "$MNT" >/dev/null 2>&1 &
balance=$!
GUARD_PIDS+=("$balance")
paused=no
for ((i = 0; i < 100; i++)); do
        if btrfs balance pause "$MNT" >/dev/null 2>&1; then paused=yes; break; fi
        kill -0 "$balance" 2>/dev/null || break
        sleep 0.05
done
if [ "$paused" = yes ]; then
        guard_expect_refusal "$MNT" balance-running
        btrfs balance cancel "$MNT" >/dev/null 2>&1 || lab_fail "balance cancel"
        wait "$balance"
else
        wait "$balance"
        echo "SKIP-PART: the balance finished before it could be paused"
        guard_fill_fragment "$MNT"
fi
GUARD_PIDS=()

# nothing in the way any more: the guard reclaims
"$FSDOCTOR" guard --max-io-pressure=100 --max-cpu-pressure=100 --format=json "$MNT" >"$LAB_DIR/free.json"
rc=$?
got=$(guard_json_field "$LAB_DIR/free.json" fsdoctor.guard-run/1 'j["outcome"] + ("/" + j["refusal"] if "refusal" in j else "")')
echo "guard with nothing in the way: $got (exit $rc)"
case "$got" in restored|headroom-ok) ;; *) lab_fail "expected restored, got $got" ;; esac
echo PASS
