#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare `fsdoctor inspect --format=json` with btrfs-progs, byte for byte.

  inspect-compare.py progs FSDOCTOR.json FI_USAGE.txt DEV_USAGE.txt
      FI_USAGE is `btrfs filesystem usage -b MNT`, DEV_USAGE is `btrfs device usage -b MNT`.
  inspect-compare.py offline ONLINE.json OFFLINE.json
      the two readers must agree on block groups, devices and profile totals.
Prints every mismatch and exits 1 if there is any.
"""
import json
import re
import sys

PROFILE_NAMES = {"single": "single", "DUP": "DUP", "RAID0": "RAID0", "RAID1": "RAID1",
                 "RAID10": "RAID10", "RAID5": "RAID5", "RAID6": "RAID6",
                 "RAID1C3": "RAID1C3", "RAID1C4": "RAID1C4"}
TYPE_NAMES = {"Data": "data", "Metadata": "metadata", "System": "system",
              "Data+Metadata": "mixed"}

errors = []


def check(what, ours, theirs):
    if ours != theirs:
        errors.append(f"{what}: fsdoctor {ours!r} != btrfs-progs {theirs!r}")
    else:
        print(f"ok   {what}: {ours}")


def parse_fi_usage(text):
    overall, profiles = {}, {}
    for line in text.splitlines():
        m = re.match(r"\s+([A-Za-z ()]+?):\s+(-?[0-9.]+)(?:\s+\((?:min|used): (-?[0-9]+)\))?\s*$", line)
        if m:
            key = m.group(1).strip()
            overall[key] = m.group(2)
            if m.group(3) is not None:
                overall[key + "/2"] = m.group(3)
            continue
        m = re.match(r"^([A-Za-z+]+),([A-Za-z0-9]+): Size:([0-9]+), Used:([0-9]+)", line)
        if m:
            profiles[(TYPE_NAMES[m.group(1)], PROFILE_NAMES[m.group(2)])] = (int(m.group(3)), int(m.group(4)))
    return overall, profiles


def parse_dev_usage(text):
    devs, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^(\S.*), ID: ([0-9]+)", line)
        if m:
            cur = devs.setdefault(int(m.group(2)), {"path": m.group(1), "rows": {}})
            continue
        m = re.match(r"^\s+([A-Za-z+, 0-9/]+?):\s+(-?[0-9]+)\s*$", line)
        if m and cur is not None:
            cur["rows"][m.group(1)] = int(m.group(2))
    return devs


def compare_progs(js, usage_text, dev_text):
    o = js["overall"]
    overall, profiles = parse_fi_usage(usage_text)
    check("Device size", o["device_size"], int(overall["Device size"]))
    check("Device allocated", o["device_allocated"], int(overall["Device allocated"]))
    check("Device unallocated", o["device_unallocated"], int(overall["Device unallocated"]))
    check("Device missing", o["device_missing"], int(overall["Device missing"]))
    check("Used", o["used"], int(overall["Used"]))
    check("Free (estimated)", o["free_estimated"], int(overall["Free (estimated)"]))
    check("Free (estimated) min", o["free_min"], int(overall["Free (estimated)/2"]))
    check("Data ratio", "%.2f" % o["data_ratio"], overall["Data ratio"])
    check("Metadata ratio", "%.2f" % o["metadata_ratio"], overall["Metadata ratio"])
    check("Global reserve", o["global_reserve"], int(overall["Global reserve"]))
    check("Global reserve used", o["global_reserve_used"], int(overall["Global reserve/2"]))
    ours = {(p["type"], p["profile"]): (p["size"], p["used"]) for p in js["profiles"]}
    check("profiles (type, profile) -> (size, used)", ours, profiles)

    devs = parse_dev_usage(dev_text)
    ours_devs = {d["devid"]: d for d in js["devices"]}
    check("device ids", sorted(ours_devs), sorted(devs))
    for devid, d in devs.items():
        if devid not in ours_devs:
            continue
        od = ours_devs[devid]
        check(f"devid {devid} size", od["size"], d["rows"]["Device size"])
        check(f"devid {devid} unallocated", od["unallocated"], d["rows"]["Unallocated"])
        per_profile = sum(v for k, v in d["rows"].items()
                          if "," in k and not k.startswith("Device"))
        check(f"devid {devid} allocated (sum of its chunks)", od["allocated"], per_profile)

    # the block groups must add up to the kernel's SPACE_INFO totals
    sums = {}
    for bg in js["block_groups"]:
        k = (bg["type"], bg["profile"])
        s, u = sums.get(k, (0, 0))
        sums[k] = (s + bg["length"], u + bg["used"])
    check("block groups summed per profile", sums, profiles)


def model(js):
    return {
        "block_groups": [(b["start"], b["length"], b["used"], b["flags"]) for b in js["block_groups"]],
        "devices": [(d["devid"], d["size"], d["allocated"]) for d in js["devices"]],
        "profiles": sorted((p["flags"], p["size"], p["used"]) for p in js["profiles"]),
        "fsid": js["fsid"],
        "nodesize": js["nodesize"],
        "sectorsize": js["sectorsize"],
    }


def compare_offline(on, off):
    a, b = model(on), model(off)
    for k in a:
        if a[k] != b[k]:
            if k == "block_groups":
                diff = [x for x in a[k] if x not in b[k]][:5] + [("offline:",)] + [x for x in b[k] if x not in a[k]][:5]
                errors.append(f"{k} differ ({len(a[k])} online, {len(b[k])} offline): {diff}")
            else:
                errors.append(f"{k}: online {a[k]!r} != offline {b[k]!r}")
        else:
            print(f"ok   {k} agree" + (f" ({len(a[k])})" if isinstance(a[k], list) else ""))


def main():
    mode = sys.argv[1]
    js = json.load(open(sys.argv[2]))
    if mode == "progs":
        compare_progs(js, open(sys.argv[3]).read(), open(sys.argv[4]).read())
    elif mode == "offline":
        compare_offline(js, json.load(open(sys.argv[3])))
    else:
        sys.exit(f"unknown mode {mode}")
    for e in errors:
        print("FAIL " + e)
    sys.exit(1 if errors else 0)


main()
