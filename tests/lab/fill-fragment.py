#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""fill-fragment.py MOUNTPOINT: the seed's precondition on a btrfs. Fill with 1 MiB preallocated
files until ENOSPC, then delete every other one: data block groups half empty and no
unallocated space left. fallocate allocates data extents without writing them, so the fill takes
seconds, not minutes. Shared by the lab tests, the HTML lab test and bench/guard."""
import os
import sys


def main():
    d = sys.argv[1]
    n = 0
    while True:
        path = f"{d}/f{n:05d}"
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o644)
        try:
            os.posix_fallocate(fd, 0, 1 << 20)
        except OSError:
            os.close(fd)
            os.unlink(path)
            break
        os.close(fd)
        n += 1
    for i in range(0, n, 2):
        os.unlink(f"{d}/f{i:05d}")
    print(f"filled {n} MiB, deleted {(n + 1) // 2} files")


if __name__ == '__main__':
    main()
