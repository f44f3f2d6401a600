#!/usr/bin/env python3
"""Fill a mounted btrfs with data block groups that each hold many extents, cheaply.

fallocate only writes metadata (an EXTENT_ITEM in the extent tree, a file extent item in the
subvolume tree), so a multi-TiB image costs a few hundred MiB of real disk. Extent sizes are
pseudo-random, SMALL_MIN..SMALL_MAX bytes in 4 KiB steps (fixed seed). The allocator fills one
group before it opens the next, so the extents end up spread over every group, between the
block-group items in the extent tree, as the extents of a used filesystem are.

Why not one fallocate per extent: each call starts its search for free space with no hint, at
the first block group, and walks past every full group, so the build would grow with extents x
groups (over 10 minutes for 10 000 groups). Within one call, btrfs hands the end of the previous
extent on as the hint, so allocations go straight to the current group. One call makes many
extents when the range has holes between existing extents, so each file is prepared as a
stencil: a 4 KiB extent cloned (FICLONERANGE: no allocation) at every place where one extent
must end, then one fallocate fills every hole between them, and the 4 KiB clones are punched out
again, so nothing but the new extents and their one reference each is left. The sizes stay
within one of the allocator's size classes (small < 128 KiB <= medium < 8 MiB): mixed classes
would keep the small extents in groups of their own.

When GROUPS groups' worth of data exists, every PUNCH-th file loses its last third again, so
the groups differ in fill level.

usage: fill-extents.py MOUNTPOINT GROUPS CHUNK_BYTES SMALL_MIN SMALL_MAX PUNCH
Prints the number of extents it created.
"""
import ctypes
import fcntl
import os
import random
import struct
import sys

FALLOC_FL_KEEP_SIZE = 1
FALLOC_FL_PUNCH_HOLE = 2
FICLONERANGE = 0x4020940D  # _IOW(0x94, 13, struct file_clone_range)
BLOCK = 4096
EXTENTS_PER_FILE = 1000


def main():
    mnt, groups, chunk, small_min, small_max, punch = sys.argv[1], *map(int, sys.argv[2:7])
    libc = ctypes.CDLL(None, use_errno=True)
    libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_long, ctypes.c_long]

    def punch_hole(fd, start, length):
        if libc.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, start, length) != 0:
            sys.exit("fill-extents: punch hole: %s" % os.strerror(ctypes.get_errno()))

    rng = random.Random(1)
    template = os.open(os.path.join(mnt, "template"), os.O_CREAT | os.O_RDWR, 0o644)
    os.posix_fallocate(template, 0, BLOCK)

    total = groups * chunk   # bytes of data to preallocate
    done = extents = 0
    files = []
    f = 0
    while done < total:
        # where this file's extents go: hole, 4 KiB stencil block, hole, stencil block, ...
        sizes, stencil, off = [], [], 0
        while len(sizes) < EXTENTS_PER_FILE and done < total:
            size = rng.randrange(small_min, small_max + 1, BLOCK)
            sizes.append(size)
            off += size
            stencil.append(off)
            off += BLOCK
            done += size
        d = os.path.join(mnt, "d%d" % (f // 1000))
        if f % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "f%d" % f)
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
        for at in stencil:
            fcntl.ioctl(fd, FICLONERANGE, struct.pack("qQQQ", template, 0, BLOCK, at))
        os.posix_fallocate(fd, 0, off)   # one call: an extent in each hole
        for at in stencil:
            punch_hole(fd, at, BLOCK)
        os.close(fd)
        files.append((path, off))
        extents += len(sizes)
        f += 1
    os.close(template)
    os.unlink(os.path.join(mnt, "template"))
    for i, (path, end) in enumerate(files):
        if punch and i % punch == punch - 1:
            fd = os.open(path, os.O_WRONLY)
            start = (end * 2 // 3) & ~(BLOCK - 1)
            punch_hole(fd, start, end - start)
            os.close(fd)
    print(extents)


if __name__ == "__main__":
    main()
