# Helpers for the diag lab tests (sourced after $LAB_COMMON): make the kernel log a real incident,
# then find it in the live kernel log with `fsdoctor analyze --format=json /dev/kmsg`.

# Kernel uptime in microseconds now: incidents that start before it are someone else's. "%.0f",
# not "%d": mawk (Debian's awk) clamps %d to 2^31 - 1, which is 36 minutes of uptime.
lab_diag_mark() {
        LAB_DIAG_START_USEC=$(awk '{ printf "%.0f", $1 * 1000000 }' /proc/uptime)
        # a visible marker, for whoever reads the log afterwards
        echo "fsdoctor-lab: $1 begins" > /dev/kmsg 2>/dev/null || true
}

# lab_diag_incident DEVICE OUT: analyze the live kernel log, write the newest incident on DEVICE
# that began after lab_diag_mark to OUT (one JSON object). Fails if there is none.
lab_diag_incident() {
        local dev=$1 out=$2 all="$LAB_DIR/analyze.jsonl" rc=0
        "$FSDOCTOR" analyze --format=json --quiet /dev/kmsg >"$all" || rc=$?
        [ "$rc" = 1 ] || lab_fail "fsdoctor analyze exited $rc, expected 1 (found something)"
        python3 - "$all" "$dev" "$LAB_DIAG_START_USEC" "$out" <<'PY' || lab_fail "no incident on $dev since the test began"
import json, sys
path, dev, start, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
found = None
for line in open(path):
    o = json.loads(line)
    if o.get("type") != "incident" or o.get("device") != dev:
        continue
    mono = o["end"]["mono_usec"]
    if mono is not None and mono >= start:
        found = o
if not found:
    sys.exit(1)
json.dump(found, open(out, "w"))
PY
        # keep the evidence in the test log
        python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); o.pop("diagnosis", None); print(json.dumps(o, indent=1))' "$out"
}

# lab_diag_check OUT PYTHON-EXPRESSION MESSAGE: assert on the incident object `o` (and its
# event kinds `kinds`, in chain order).
lab_diag_check() {
        python3 - "$1" "$2" <<'PY' || lab_fail "$3"
import json, sys
o = json.load(open(sys.argv[1]))
kinds = [e["kind"] for e in o["events"]]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
}

# The id of the rule in rules/ whose file name contains WORD, or "" when the knowledge base has none
# yet (the diagnosis assertion is then skipped, loudly).
lab_diag_rule_id() {
        local rules
        rules=$(cd "$(dirname "$LAB_COMMON")/../../rules" && ls */*"$1"*.yaml 2>/dev/null | head -1)
        echo "${rules%.yaml}"
}
