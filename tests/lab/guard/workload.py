#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Metadata-only growth at a steady rate: small files whose data is stored inline in the
metadata tree (below max_inline), with names and inode items, 1000 per directory.
Stops at the first error (ENOSPC is what we expect without the guard) or after --files.
Writes a JSON summary: start and stop (Unix seconds), files created, the error if any."""
import argparse
import errno
import json
import os
import time

ap = argparse.ArgumentParser()
ap.add_argument('dir')
ap.add_argument('--rate', type=float, default=400, help='files per second')
ap.add_argument('--files', type=int, default=10**9, help='stop after this many')
ap.add_argument('--seconds', type=float, default=600, help='stop after this long')
ap.add_argument('--summary', required=True)
a = ap.parse_args()

payload = b'x' * 1800
start = time.time()
n = 0
err = None
while n < a.files and time.time() - start < a.seconds:
    due = start + n / a.rate
    now = time.time()
    if due > now:
        time.sleep(due - now)
    d = os.path.join(a.dir, 'w%04d' % (n // 1000))
    try:
        if n % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'f%06d' % n), 'wb') as f:
            f.write(payload)
    except OSError as e:
        err = e
        break
    n += 1
# the data sits in the page cache until writeback: make ENOSPC at writeback visible too
stop = time.time()
if err is None:
    try:
        os.sync()
    except OSError as e:
        err = e
summary = {'start': start, 'stop': stop, 'files': n,
           'error': errno.errorcode.get(err.errno, str(err.errno)) if err else None}
with open(a.summary, 'w') as f:
    json.dump(summary, f)
print(json.dumps(summary))
