#!/usr/bin/env python3
"""Fill a mounted btrfs with data block groups that each hold many extents, cheaply.

fallocate only writes metadata (an EXTENT_ITEM in the extent tree, a file extent item in the
subvolume tree), so a multi-TiB image costs a few hundred MiB of real disk. Each call
preallocates one extent of a pseudo-random size (SMALL_MIN..SMALL_MAX bytes, 4 KiB multiples,
fixed seed); a hole is left between the ranges of a file so no two can merge. The allocator fills
one group before it opens the next, so the extents end up spread over every group, between the
block-group items in the extent tree, as the extents of a used filesystem are.

Cost: every fallocate call starts its search for free space at the first block group (its hint
is 0) and walks the list past every full group, so a call costs ~45 us plus ~40 ns per group
already full, and the build grows with extents x groups. Sizes of 128 KiB..8 MiB (~64 extents
per 256 MiB group) keep 10 000 groups at a few minutes. They also stay within one of the
allocator's size classes (small < 128 KiB <= medium < 8 MiB), which would otherwise keep
small extents in groups of their own.

When GROUPS data block groups exist, every PUNCH-th file loses a part of its extents again
(punched holes free them), so the groups differ in fill level.

usage: fill-extents.py MOUNTPOINT GROUPS CHUNK_BYTES SMALL_MIN SMALL_MAX PUNCH
Prints the number of extents it created.
"""
import ctypes
import os
import random
import sys

FALLOC_FL_KEEP_SIZE = 1
FALLOC_FL_PUNCH_HOLE = 2


def main():
    mnt, groups, chunk, small_min, small_max, punch = sys.argv[1], *map(int, sys.argv[2:7])
    libc = ctypes.CDLL(None, use_errno=True)
    libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_long, ctypes.c_long]
    rng = random.Random(1)
    per_file = 1000          # extents per file
    total = groups * chunk   # bytes of data to preallocate
    done = extents = 0
    files = []
    f = 0
    while done < total:
        d = os.path.join(mnt, "d%d" % (f // 1000))
        if f % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "f%d" % f)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o644)
        off = 0
        for _ in range(per_file):
            size = rng.randrange(small_min, small_max + 1, 4096)
            os.posix_fallocate(fd, off, size)
            off += 2 * size
            done += size
            extents += 1
            if done >= total:
                break
        os.close(fd)
        files.append((path, off))
        f += 1
    for i, (path, end) in enumerate(files):
        if punch and i % punch == punch - 1:
            fd = os.open(path, os.O_WRONLY)
            # free about the last third of this file's extents
            start = (end * 2 // 3) & ~4095
            if libc.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, start, end - start) != 0:
                sys.exit("fill-extents: punch hole: %s" % os.strerror(ctypes.get_errno()))
            os.close(fd)
    print(extents)


if __name__ == "__main__":
    main()
