#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""What the previous boot left in pstore is read at start: a dmesg record (as ramoops writes it,
with the panic header) becomes an incident cleared by the reboot, with its lines in the history;
a second start does not record it again."""
import os
import shutil
import subprocess
import sys
import zlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watchlib import *

require_root()
d = tempdir()
db = os.path.join(d, 'history.db')
pstore = os.path.join(d, 'pstore')
os.makedirs(pstore)
dev = tag('s')
# kernel lines written from the btrfs print sites (fs/btrfs/super.c, transaction abort), raw dmesg form
with open(os.path.join(pstore, 'dmesg-ramoops-0'), 'w') as f:
    f.write('Panic#1 Part1\n'
            '<6>[  812.104211] BTRFS info (device %s): using crc32c (crc32c-intel) checksum algorithm\n'
            '<3>[  950.331870] BTRFS: error (device %s) in btrfs_run_delayed_refs:2150: errno=-28 No space left\n'
            '<2>[  950.331902] BTRFS info (device %s): forced readonly\n'
            '<0>[  951.002311] Kernel panic - not syncing: fsdoctor watch test\n' % (dev, dev, dev))
# a record the kernel could not decompress at mount (".enc.z"): pstore's deflate backend writes a
# raw stream; and one in a compression that says nothing of itself (lzo, lz4): refused and counted
dev_z = tag('z')
z = zlib.compressobj(6, zlib.DEFLATED, -11)
with open(os.path.join(pstore, 'dmesg-ramoops-1.enc.z'), 'wb') as f:
    f.write(z.compress(('Oops#1 Part1\n'
                        '<3>[  101.220001] BTRFS: error (device %s) in btrfs_commit_transaction:2402: errno=-5 IO failure\n'
                        '<2>[  101.220044] BTRFS info (device %s): forced readonly\n' % (dev_z, dev_z)).encode()) + z.flush())
with open(os.path.join(pstore, 'dmesg-ramoops-2.enc.z'), 'wb') as f:
    f.write(bytes(range(7, 250, 3)) * 3)
w = Daemon(db, '--pstore=' + pstore)
evz = w.wait_for(lambda: [e for e in w.events_for(dev_z) if e['state'] == 'raised'], timeout=5, what='.enc.z incident')[0]
if evz.get('cleared_how') != 'reboot' or not evz['incident']['outcome']['read_only']:
    fail('.enc.z incident: %s' % {k: evz.get(k) for k in ('cleared_how', 'boot_id')})
if 'dmesg-ramoops-2.enc.z: the crash record is compressed in a way fsdoctor cannot read' not in open(w.err_path).read():
    fail('the unreadable record is not named on stderr: %s' % open(w.err_path).read())
if metric_value(w.metrics(), 'fsdoctor_crash_records_unreadable_total') != 1:
    fail('fsdoctor_crash_records_unreadable_total is not 1')
ev = w.wait_for(lambda: [e for e in w.events_for(dev) if e['state'] == 'raised'], timeout=5, what='pstore incident')[0]
if ev.get('cleared_how') != 'reboot' or not ev['incident']['outcome']['read_only']:
    fail('pstore incident: %s' % {k: ev.get(k) for k in ('cleared_how', 'boot_id')})
row = db_rows(db, 'SELECT boot_id, state, cleared_how, previous_boot FROM incidents WHERE device = ?', dev)
if len(row) != 1 or not row[0][0].startswith('pstore:dmesg-ramoops-0:') or row[0][1:] != ('cleared', 'reboot', 1):
    fail('history row %s' % row)
h = subprocess.run([FSDOCTOR, '--lang=en', 'history', '--db=' + db, str(ev['history_id'])], capture_output=True, text=True)
if 'forced read-only' not in h.stdout or 'reboot' not in h.stdout:
    fail('history shows:\n' + h.stdout + h.stderr)
w.stop()
w2 = Daemon(db, '--pstore=' + pstore)
time_rows = db_rows(db, 'SELECT COUNT(*) FROM incidents WHERE device = ?', dev)
if time_rows != [(1,)] or [e for e in w2.events_for(dev) if e['state'] == 'raised']:
    fail('recorded again on the second start: %s' % time_rows)
w2.stop()

# A record the service may not read (pstore files are root's, 0440; the shipped unit runs without
# CAP_DAC_READ_SEARCH) is named on stderr and counted, never passed over in silence. Root without
# the DAC capabilities stands in for that service.
setpriv = shutil.which('setpriv')
if setpriv:
    closed = os.path.join(d, 'pstore-closed')
    os.makedirs(closed)
    rec = os.path.join(closed, 'dmesg-ramoops-0')
    with open(rec, 'w') as f:
        f.write('<0>[ 10.000000] BTRFS: error (device sdz1) in btrfs_commit_transaction:2500: errno=-5 IO failure\n')
    os.chown(rec, 65534, 65534)
    os.chmod(rec, 0o400)
    drop = '-dac_override,-dac_read_search'
    w3 = Daemon(os.path.join(d, 'closed.db'), '--pstore=' + closed,
                prefix=(setpriv, '--inh-caps=' + drop, '--bounding-set=' + drop, '--'))
    if 'readable by root only' not in open(w3.err_path).read():
        fail('an unreadable pstore record is not named on stderr: %s' % open(w3.err_path).read())
    if metric_value(w3.metrics(), 'fsdoctor_crash_records_unreadable_total') != 1:
        fail('an unreadable pstore record is not counted in fsdoctor_crash_records_unreadable_total')
    w3.stop()
print('PASS')
