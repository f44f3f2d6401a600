#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A mount that really fails while the daemon runs: XFS refuses a block-for-block copy of a mounted
filesystem ("Filesystem has duplicate UUID ... - can't mount"). The daemon raises an incident whose
outcome says the mount failed, diagnosed xfs/duplicate-uuid, and stores it; mounting the copy with
-o nouuid then clears it as "mounted", in the stream and in the history. Mounts and loop devices are
undone at exit, pass or fail."""
import os
import shutil
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watchlib import *

require_root()
if not os.path.exists('/dev/loop-control') or not shutil.which('losetup'):
    skip('no loop device support')
if not shutil.which('mkfs.xfs') or 'xfs' not in open('/proc/filesystems').read():
    skip('needs mkfs.xfs and the xfs module')

d = tempdir()
orig, copy = os.path.join(d, 'orig.img'), os.path.join(d, 'copy.img')
sh('truncate', '-s', '512M', orig)
sh('mkfs.xfs', '-q', '-f', orig)
sh('cp', '--sparse=always', orig, copy)
loop_orig, loop_copy = lab_loop(orig), lab_loop(copy)
dev = os.path.basename(loop_copy)
lab_mount(loop_orig, os.path.join(d, 'orig'))
db = os.path.join(d, 'history.db')
w = Daemon(db, '--quiet-time=5')
start = kmsg_seq_now()
mnt = os.path.join(d, 'copy')
os.makedirs(mnt)
if sh('mount', loop_copy, mnt, check=False).returncode == 0:
    sh('umount', mnt)
    fail('the kernel mounted a copy with a duplicate UUID: nothing failed to test with')


def failed():
    return [e for e in w.events() if e.get('incident') and e['incident']['device'] == dev and
            e['first_seq'] > start and e['incident']['outcome'].get('mount_failed')]


ev = w.wait_for(failed, timeout=20, what='a mount-failed incident on %s' % dev)[-1]
inc, hid = ev['incident'], ev['history_id']
print('%s: mount failed, rule %s, history id %d' % (dev, inc['diagnosis']['rule_id'], hid))
if inc['fs'] != 'xfs':
    fail('incident on %s says fs %s' % (dev, inc['fs']))
if inc['diagnosis']['rule_id'] != 'xfs/duplicate-uuid':
    fail('diagnosis %s, not xfs/duplicate-uuid' % inc['diagnosis']['rule_id'])
if inc['outcome']['read_only']:
    fail('a mount that failed is reported read-only')
row = db_rows(db, 'SELECT fs, device, state FROM incidents WHERE id = ?', hid)
if not row or row[0][:2] != ('xfs', dev) or row[0][2] not in ('open', 'closed'):
    fail('history row %s: not the open failed mount' % row)
time.sleep(0.5)
if any(e['state'] == 'cleared' and e.get('history_id') == hid for e in w.events()):
    fail('the failed mount was cleared while its device stayed unmounted')

# the way out the diagnosis gives: mount the copy without the UUID check
lab_mount(loop_copy, mnt, '-o', 'nouuid')
cl = w.wait_for(lambda: [e for e in w.events() if e['state'] == 'cleared' and e.get('history_id') == hid],
                timeout=10, what='the failed mount on %s cleared once it is mounted' % dev)[0]
if cl.get('cleared_how') != 'mounted':
    fail('cleared how: %s, not mounted' % cl.get('cleared_how'))
if db_rows(db, 'SELECT state, cleared_how FROM incidents WHERE id = ?', hid) != [('cleared', 'mounted')]:
    fail('history row not cleared as mounted: %s' % db_rows(db, 'SELECT state, cleared_how FROM incidents WHERE id = ?', hid))
w.stop()
print('PASS')
