#!/usr/bin/env python3
"""Helpers of bench-inspect.sh that are awkward in shell.

  bench-helper.py time RUNS COLD -- CMD...   best wall and CPU time of RUNS runs of CMD (run by
                                             sh -c when it is one word with spaces), stdout to
                                             /dev/null; COLD=1 drops the page cache before each run
  bench-helper.py describe DUMP              summary of a `dump-tree -t extent` listing, as JSON
  bench-helper.py compare DUMP FSD.json      do both name the same groups with the same numbers?
"""
import json
import os
import re
import resource
import subprocess
import sys
import time

KEY = re.compile(r"^\titem \d+ key \((\d+) (\S+) (\d+)\)")
BG_USED = re.compile(r"^\t\tblock group used (\d+) chunk_objectid \d+ flags (\S+)")
BLOCK = re.compile(r"^(leaf|node) \d+ (?:items|level)")


def drop_caches():
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def cmd_time(runs, cold, cmd):
    if len(cmd) == 1 and " " in cmd[0]:
        cmd = ["sh", "-c", cmd[0]]
    best_wall = best_cpu = None
    for _ in range(runs):
        if cold:
            drop_caches()
        ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
        if rc not in (0, 1):  # fsdoctor inspect exits 1 for a risk above "ok"
            sys.exit("bench-helper: %s exited with %d" % (" ".join(cmd), rc))
        best_wall = wall if best_wall is None else min(best_wall, wall)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    print("%.2f %.2f" % (best_wall * 1000, best_cpu * 1000))


def parse_dump(path):
    """Block groups and item/block counts of a dump-tree listing."""
    groups, counts = {}, {}
    leaves = nodes = 0
    pending = None
    with open(path, errors="replace") as f:
        for line in f:
            m = KEY.match(line)
            if m:
                kind = m.group(2)
                counts[kind] = counts.get(kind, 0) + 1
                pending = (int(m.group(1)), int(m.group(3))) if kind == "BLOCK_GROUP_ITEM" else None
                continue
            if pending:
                m = BG_USED.match(line)
                if m:
                    groups[pending[0]] = {"length": pending[1], "used": int(m.group(1)), "flags": m.group(2)}
                    pending = None
                continue
            m = BLOCK.match(line)
            if m:
                if m.group(1) == "leaf":
                    leaves += 1
                else:
                    nodes += 1
    return groups, counts, leaves, nodes


def cmd_describe(dump):
    groups, counts, leaves, nodes = parse_dump(dump)
    data = sum(1 for g in groups.values() if g["flags"].startswith("DATA"))
    print(json.dumps({
        "block_groups": len(groups), "data_block_groups": data,
        "extent_items": counts.get("EXTENT_ITEM", 0), "metadata_items": counts.get("METADATA_ITEM", 0),
        "items": sum(counts.values()), "leaves": leaves, "nodes": nodes,
        "extent_items_per_data_group": round(counts.get("EXTENT_ITEM", 0) / max(data, 1), 1),
    }))


def cmd_compare(dump, fsd_json):
    groups, _, _, _ = parse_dump(dump)
    with open(fsd_json) as f:
        fsd = {g["start"]: g for g in json.load(f)["block_groups"]}
    bad = 0
    for start in sorted(set(groups) | set(fsd)):
        a, b = groups.get(start), fsd.get(start)
        if not a or not b or a["length"] != b["length"] or a["used"] != b["used"]:
            bad += 1
            if bad <= 5:
                print("mismatch at %d: dump-tree %s, fsdoctor %s" % (start, a, b), file=sys.stderr)
    print("%d %d %d" % (len(groups), len(fsd), bad))


def main():
    a = sys.argv[1:]
    if a[:1] == ["time"] and len(a) >= 5 and a[3] == "--":
        cmd_time(int(a[1]), a[2] == "1", a[4:])
    elif a[:1] == ["describe"] and len(a) == 2:
        cmd_describe(a[1])
    elif a[:1] == ["compare"] and len(a) == 3:
        cmd_compare(a[1], a[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
