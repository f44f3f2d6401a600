#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Real filesystems while the daemon runs: btrfs and ext4 on a loop image whose size-limited tmpfs
runs out (forced read-only), XFS shut down with xfs_io. Each incident appears in the JSON stream,
the history database and the metrics, and clears when the filesystem is unmounted. Mounts and loop devices are undone
at exit, pass or fail."""
import os
import shutil
import subprocess
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watchlib import *

require_root()
if not os.path.exists('/dev/loop-control'):
    skip('no loop device support')
fstypes = [f for f in ('btrfs', 'ext4', 'xfs')
           if shutil.which('mkfs.' + f) and f in open('/proc/filesystems').read()]
if not fstypes or not shutil.which('losetup'):
    skip('needs losetup and mkfs.btrfs/ext4/xfs')

d = tempdir()
db = os.path.join(d, 'history.db')
w = Daemon(db, '--quiet-time=5')
for fs in fstypes:
    base = os.path.join(d, fs)
    back, mnt = os.path.join(base, 'backing'), os.path.join(base, 'mnt')
    lab_mount('tmpfs', back, '-t', 'tmpfs', '-o', 'size=120m')
    img = os.path.join(back, 'img')
    sh('truncate', '-s', '2G', img)
    sh(*({'btrfs': ['mkfs.btrfs', '-q'], 'ext4': ['mkfs.ext4', '-q', '-F'], 'xfs': ['mkfs.xfs', '-q', '-f']}[fs]), img)
    loop = lab_loop(img)
    dev = os.path.basename(loop)
    start = kmsg_seq_now()
    lab_mount(loop, mnt, *(['-o', 'errors=remount-ro'] if fs == 'ext4' else []))
    t0 = time.time()
    if fs == 'xfs':
        sh('xfs_io', '-x', '-c', 'shutdown', mnt)
    else:
        subprocess.run(['dd', 'if=/dev/urandom', 'of=' + os.path.join(mnt, 'big'), 'bs=1M', 'count=300'],
                       capture_output=True)
        subprocess.run(['sync'], capture_output=True)
        subprocess.run(['touch', os.path.join(mnt, 'x')], capture_output=True)
        subprocess.run(['sync'], capture_output=True)

    def broken():
        return [e for e in w.events() if e.get('incident') and e['incident']['device'] == dev and
                e['first_seq'] > start and (e['incident']['outcome']['read_only'] or e['incident']['outcome']['shutdown'])]
    ev = w.wait_for(broken, timeout=30, what='%s on %s read-only or shut down' % (fs, dev))[-1]
    inc = ev['incident']
    print('%s on %s: %s, rule %s, %.2f s after the damage started' % (
        fs, dev, 'shut down' if inc['outcome']['shutdown'] else 'read-only', inc['diagnosis']['rule_id'],
        time.time() - t0))
    if inc['fs'] != fs:
        fail('incident on %s says fs %s' % (dev, inc['fs']))
    # the kernel never names the mount point: the daemon asks the running system
    if inc.get('mount_point') != os.path.realpath(mnt):
        fail('incident on %s says mount point %r, not %s' % (dev, inc.get('mount_point'), mnt))
    hid = ev['history_id']
    row = db_rows(db, 'SELECT fs, device, read_only, state FROM incidents WHERE id = ?', hid)
    if not row or row[0][:3] != (fs, dev, 1) or row[0][3] == "cleared":
        print([(e["state"], e["history_id"], e["first_seq"], e["last_seq"], e.get("cleared_how")) for e in w.events() if e.get("incident", {}) and e["incident"]["device"] == dev or e["state"] == "cleared"])
        fail('history row %s' % row)
    if metric_value(w.metrics(), 'fsdoctor_filesystem_read_only', device=dev, fstype=fs) != 1:
        fail('fsdoctor_filesystem_read_only{device="%s"} is not 1' % dev)

    if fs == 'ext4':
        # the superblock's error records, as a second daemon reads them at start
        count = open('/sys/fs/ext4/%s/errors_count' % dev).read().strip()
        if count == '0':
            print('NOTE: ext4 on %s recorded no error in its superblock yet; superblock records not checked' % dev)
        else:
            db2 = os.path.join(d, 'sb.db')
            w2 = Daemon(db2, '--pstore=none', listen='none')
            rows = w2.wait_for(lambda: db_rows(db2, "SELECT boot_id, fs, rule_id FROM incidents WHERE boot_id LIKE ?",
                                               'ext4-sb:%s:%%' % dev), timeout=10, what='ext4 superblock records')
            w2.stop()
            lines = db_rows(db2, "SELECT text FROM lines WHERE incident_id IN "
                                 "(SELECT id FROM incidents WHERE boot_id LIKE ?)", 'ext4-sb:%s:%%' % dev)
            print('ext4 superblock of %s: %s errors -> %s; %s' % (dev, count, rows[0], lines[0][0] if lines else '?'))
            if rows[0][1] != 'ext4' or not lines:
                fail('superblock incident %s' % rows)
    lab_umount(mnt)
    cl = w.wait_for(lambda: [e for e in w.events() if e['state'] == 'cleared' and e['history_id'] == hid],
                    timeout=10, what='%s on %s cleared after unmount' % (fs, dev))[0]
    if cl.get('cleared_how') != 'unmounted':
        fail('cleared how: %s' % cl.get('cleared_how'))
    if db_rows(db, 'SELECT state, cleared_how FROM incidents WHERE id = ?', hid) != [('cleared', 'unmounted')]:
        fail('history row not cleared')
    if metric_value(w.metrics(), 'fsdoctor_filesystem_read_only', device=dev, fstype=fs) != 0:
        fail('fsdoctor_filesystem_read_only{device="%s"} still 1 after unmount' % dev)
    lab_detach(loop)
    lab_umount(back)
    print('%s: incident %d raised, stored, exported, cleared on unmount' % (fs, hid))
w.stop()
print('PASS')
