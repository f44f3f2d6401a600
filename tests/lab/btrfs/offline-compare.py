#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare btrfs-model-dump output (the offline reader's model, TSV) with btrfs-progs:
`dump-super`, `dump-tree -t chunk` and `dump-tree -t extent` (or -t block-group).
Usage: offline-compare.py MODEL.tsv SUPER.txt CHUNK.txt EXTENT.txt
Exit 0 when every compared number agrees, 1 with the differences printed."""
import re
import sys

FLAG_BITS = {"DATA": 1, "SYSTEM": 2, "METADATA": 4, "RAID0": 8, "RAID1": 16, "DUP": 32,
             "RAID10": 64, "RAID5": 128, "RAID6": 256, "RAID1C3": 512, "RAID1C4": 1024,
             "single": 0, "SINGLE": 0}


def parse_model(path):
    model = {"super": {}, "devices": {}, "bgs": set()}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] == "super":
                model["super"][p[1]] = p[2] if len(p) > 2 else ""
            elif p[0] == "device":
                model["devices"][int(p[1])] = (int(p[2]), int(p[3]), p[4] == "1")
            elif p[0] == "bg":
                model["bgs"].add(tuple(int(x) for x in p[1:5]))
    return model


def parse_super(path):
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^(generation|total_bytes|bytes_used|num_devices|csum_type|nodesize|sectorsize)\s+(\d+)", line)
            if m:
                out[m.group(1)] = m.group(2)
    return out


def parse_tree(path):
    bgs, chunks, devs = set(), 0, {}
    key = None
    with open(path) as f:
        for line in f:
            # well-known objectids print as names (DEV_ITEMS, FIRST_CHUNK_TREE)
            m = re.search(r"item \d+ key \((\S+) (\w+) (\d+)\)", line)
            if m:
                oid = int(m.group(1)) if m.group(1).isdigit() else m.group(1)
                key = (oid, m.group(2), int(m.group(3)))
                if key[1] == "CHUNK_ITEM":
                    chunks += 1
                continue
            m = re.search(r"block group used (\d+) chunk_objectid \d+ flags (\S+)", line)
            if m and key and key[1] == "BLOCK_GROUP_ITEM":
                flags = 0
                for name in m.group(2).split("|"):
                    flags |= FLAG_BITS[name]
                bgs.add((key[0], key[2], int(m.group(1)), flags))
                continue
            m = re.search(r"devid (\d+) total_bytes (\d+) bytes_used (\d+)", line)
            if m and key and key[1] == "DEV_ITEM":
                devs[int(m.group(1))] = (int(m.group(2)), int(m.group(3)))
    return bgs, chunks, devs


def main():
    model = parse_model(sys.argv[1])
    sup = parse_super(sys.argv[2])
    _, chunks, devs = parse_tree(sys.argv[3])
    bgs, _, _ = parse_tree(sys.argv[4])
    errors = []
    for k, v in sup.items():
        if model["super"].get(k) != v:
            errors.append(f"super {k}: fsdoctor {model['super'].get(k)} progs {v}")
    if model["bgs"] != bgs:
        errors.append(f"block groups differ: only fsdoctor {sorted(model['bgs'] - bgs)[:5]}, "
                      f"only progs {sorted(bgs - model['bgs'])[:5]}")
    if chunks != len(model["bgs"]):
        errors.append(f"chunks: progs {chunks}, fsdoctor block groups {len(model['bgs'])}")
    for devid, (total, used) in devs.items():
        mine = model["devices"].get(devid)
        if not mine or mine[0] != total or mine[1] != used:
            errors.append(f"devid {devid}: progs {total}/{used}, fsdoctor {mine}")
    if len(devs) != len(model["devices"]):
        errors.append(f"devices: progs {len(devs)}, fsdoctor {len(model['devices'])}")
    if not sup or not bgs:
        errors.append("btrfs-progs output could not be parsed")
    if errors:
        print("\n".join(errors))
        return 1
    print(f"agree: {len(bgs)} block groups, {chunks} chunks, {len(devs)} devices, "
          f"generation {sup.get('generation')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
