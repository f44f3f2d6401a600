#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write input.log.xz: a disk failing under an ext4 filesystem, 10 000 I/O error lines.

A SCSI disk (sdb) whose writes fail: ext4 on sdb1 is mounted, then the block layer logs 10 000
"I/O error" lines (the kernel's rate limiter says how many more it dropped), ext4 loses async page
writes, the journal aborts and ext4 remounts read-only. The expected result is ONE incident with
counts, not thousands: the storm folds into one event per kind. Message formats follow the 5.x/6.x
kernels (blk_print_req_error, buffer_io_error, jbd2, ext4_handle_error). Deterministic: rerun to
reproduce the committed file byte for byte.
"""
import lzma
import os

lines = []
t = 1000.0


def emit(text, dt=0.000137):
    global t
    t += dt
    lines.append("[%12.6f] %s" % (t, text))


emit("sd 2:0:0:0: [sdb] 41943040 512-byte logical blocks: (21.5 GB/20.0 GiB)")
emit("EXT4-fs (sdb1): mounted filesystem 3f1c3f5e-2a7b-4c41-9d0e-5b8f3c6a1d22 r/w with ordered data mode. Quota mode: none.")
emit("sd 2:0:0:0: [sdb] tag#12 FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_OK cmd_age=0s", dt=60.0)
emit("sd 2:0:0:0: [sdb] tag#12 Sense Key : Medium Error [current]")
sector = 2099200
for i in range(10000):
    if i % 1000 == 999:
        emit("blk_print_req_error: 25 callbacks suppressed")
    emit("I/O error, dev sdb, sector %d op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0" % sector)
    sector += 8
    if i == 5000:
        emit("Buffer I/O error on dev sdb1, logical block 1050624, lost async page write")
emit("Aborting journal on device sdb1-8.")
emit("EXT4-fs error (device sdb1): ext4_journal_check_start:84: comm kworker/u8:2: Detected aborted journal")
emit("EXT4-fs (sdb1): Remounting filesystem read-only")

data = ("\n".join(lines) + "\n").encode()
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "input.log.xz"), "wb") as f:
    f.write(lzma.compress(data, preset=9))
