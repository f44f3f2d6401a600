#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Incidents the daemon finds at start, from before it ran, are cleared as what the machine shows
now says, with real filesystems on loop devices:
- kernel lines of this boot (written to /dev/kmsg before the daemon starts) saying a btrfs went
  read-only: cleared "writable-at-start" when that filesystem is mounted writable, "not-mounted"
  when its device is not mounted, and still read-only (metric 1) when it is mounted read-only,
  until it is unmounted;
- a real ext4 error (sysfs trigger_fs_error): the filesystem stays read-only in effect, so the
  replayed incident is not cleared until it is unmounted;
- ext4 superblock error records older than this boot: marked as of an earlier boot, cleared by the
  reboot, never read-only now; the one whose stored errno is EIO is not diagnosed as corruption,
  the EFSCORRUPTED one is.
Mounts and loop devices are undone at exit, pass or fail."""
import json
import os
import shutil
import subprocess
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watchlib import *

require_root()
if not os.path.exists('/dev/loop-control') or not shutil.which('losetup'):
    skip('no loop device support')
for tool in ('mkfs.btrfs', 'mkfs.ext4', 'debugfs'):
    if not shutil.which(tool):
        skip('needs ' + tool)
for fs in ('btrfs', 'ext4'):
    if fs not in open('/proc/filesystems').read():
        skip('kernel has no ' + fs)
d = tempdir()


def image(name, size, *mkfs):
    img = os.path.join(d, name + '.img')
    sh('truncate', '-s', size, img)
    if mkfs:
        sh(*mkfs, img)
    loop = lab_loop(img)
    return img, loop, os.path.basename(loop)


def mount(loop, name, *opts):
    return lab_mount(loop, os.path.join(d, name), *opts)


# --- superblock error records of an earlier boot (set with debugfs, errcode bytes at 0x27A/0x27B
# of the superblock, which debugfs cannot set; no metadata_csum so the bytes need no checksum)
EXT4_ERR_EIO, EXT4_ERR_EFSCORRUPTED = 2, 5


def ext4_with_old_error(name, errcode):
    img = os.path.join(d, name + '.img')
    sh('truncate', '-s', '64M', img)
    sh('mkfs.ext4', '-q', '-F', '-O', '^metadata_csum', img)
    for cmd in ('ssv error_count 1', 'ssv first_error_time 20200101000000', 'ssv first_error_func ext4_find_entry',
                'ssv first_error_line 1663', 'ssv first_error_ino 2', 'ssv first_error_block 1234'):
        sh('debugfs', '-w', '-R', cmd, img)
    with open(img, 'r+b') as f:
        f.seek(1024 + 0x27A)
        f.write(bytes([errcode]))
    loop = lab_loop(img)
    mount(loop, name + '-mnt')
    dev = os.path.basename(loop)
    got = open('/sys/fs/ext4/%s/first_error_errcode' % dev).read().strip()
    if got != str(errcode):
        fail('%s: first_error_errcode reads %s after writing %d' % (dev, got, errcode))
    return dev


sb_eio = ext4_with_old_error('sb-eio', EXT4_ERR_EIO)
sb_corrupt = ext4_with_old_error('sb-corrupt', EXT4_ERR_EFSCORRUPTED)

# --- this boot's kernel lines, before the daemon starts
_, loop_rw, dev_rw = image('rw', '256M', 'mkfs.btrfs', '-q')
mount(loop_rw, 'rw-mnt')
_, loop_gone, dev_gone = image('gone', '16M')                    # attached, never mounted
_, loop_ro, dev_ro = image('ro', '256M', 'mkfs.btrfs', '-q')
mnt_ro = mount(loop_ro, 'ro-mnt', '-o', 'ro')
_, loop_e4, dev_e4 = image('e4', '64M', 'mkfs.ext4', '-q', '-F')
mnt_e4 = mount(loop_e4, 'e4-mnt', '-o', 'errors=remount-ro')
with open('/sys/fs/ext4/%s/trigger_fs_error' % dev_e4, 'w') as f:
    f.write('fsdoctor watch replay test\n')   # a real ext4_error(): the kernel prints and records it
# lines in the shape of btrfs's print sites, for devices whose real state differs from what they say
for dev in (dev_rw, dev_gone, dev_ro):
    kmsg(*btrfs_readonly_lines(dev))

injected = kmsg_find('(device %s)' % dev_rw) | kmsg_find('(device %s)' % dev_gone) | kmsg_find('(device %s)' % dev_ro)
db = os.path.join(d, 'history.db')
w = Daemon(db, '--pstore=none')


def wait_replayed(pred, what):
    """Like w.wait_for, but lines a flood of other writers pushed out of the ring before the daemon
    read them are a skip (the daemon says what it lost), not a failure of what is tested here."""
    deadline = time.time() + 10
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.02)
    err = open(w.err_path).read()
    if not injected or lost_by_daemon(w, injected.values()):
        skip('the ring buffer was overwritten before the daemon read it (another writer floods /dev/kmsg): ' +
             ' '.join(err.split())[:200])
    fail('timed out waiting for %s; stderr: %s' % (what, err[-2000:]))


def raised(dev):
    """The incidents raised from the kernel log (not from a superblock record) on dev. A failed
    mount on the same loop device earlier in this boot (another lab test's) is not one of ours."""
    evs = [e for e in w.events() if e['state'] == 'raised' and e.get('incident') and e['incident'].get('device') == dev
           and not e['incident'].get('outcome', {}).get('mount_failed')]
    return [e for e in evs if not db_rows(db, 'SELECT 1 FROM incidents WHERE id = ? AND boot_id LIKE ?',
                                          e['history_id'], 'ext4-sb:%')]


for dev, how in ((dev_rw, 'writable-at-start'), (dev_gone, 'not-mounted'), (dev_ro, None)):
    ev = wait_replayed(lambda: raised(dev), 'replayed incident on %s' % dev)[0]
    if ev.get('cleared_how') != how:
        fail('%s: raised with cleared_how %s, expected %s' % (dev, ev.get('cleared_how'), how))
    row = db_rows(db, 'SELECT state, cleared_how, previous_boot FROM incidents WHERE id = ?', ev['history_id'])
    want = ('cleared', how, 0) if how else (row[0][0], None, 0)
    if row != [want] or (not how and row[0][0] == 'cleared'):
        fail('%s: history row %s, expected %s' % (dev, row, want))
    print('%s: replayed, %s' % (dev, how or 'still read-only'))

ev_e4 = wait_replayed(lambda: [e for e in raised(dev_e4) if e['incident']['fs'] == 'ext4'],
                      'replayed ext4 error on %s' % dev_e4)[0]
opts = [l.split(' - ')[1].split()[2] for l in open('/proc/self/mountinfo') if ' %s ' % mnt_e4 in l]
print('%s: real ext4 error replayed (super options now %s), cleared_how %s' % (dev_e4, opts, ev_e4.get('cleared_how')))
if ev_e4.get('cleared_how'):
    fail('%s: an ext4 that is read-only in effect was cleared (%s)' % (dev_e4, ev_e4.get('cleared_how')))

m = w.metrics()
for dev, want in ((dev_rw, 0), (dev_ro, 1)):
    if metric_value(m, 'fsdoctor_filesystem_read_only', device=dev, fstype='btrfs') != want:
        fail('fsdoctor_filesystem_read_only{device="%s"} is not %d' % (dev, want))

# the superblock records of the earlier boot
for dev, corruption in ((sb_eio, False), (sb_corrupt, True)):
    rows = db_rows(db, "SELECT id, rule_id, state, cleared_how, previous_boot, read_only FROM incidents "
                       "WHERE boot_id LIKE ?", 'ext4-sb:%s:%%' % dev)
    if len(rows) != 1:
        fail('%s: %d superblock incidents: %s' % (dev, len(rows), rows))
    hid, rule, state, how, prev, ro = rows[0]
    print('%s: superblock record -> rule %s, %s (%s), previous boot %d' % (dev, rule, state, how, prev))
    if (state, how, prev) != ('cleared', 'reboot', 1):
        fail('%s: a record of an earlier boot is %s/%s, previous_boot %d' % (dev, state, how, prev))
    if corruption != (rule == 'ext4/corruption-remount-ro'):
        fail('%s: errcode %s diagnosed as %s' % (dev, 'EFSCORRUPTED' if corruption else 'EIO', rule))
    text = db_rows(db, 'SELECT text FROM lines WHERE incident_id = ?', hid)
    if not text or ('IO failure' if not corruption else 'Corrupt filesystem') not in text[0][0]:
        fail('%s: stored line %s' % (dev, text))
    if metric_value(m, 'fsdoctor_filesystem_read_only', device=dev, fstype='ext4') == 1:
        fail('%s: an earlier boot\'s incident shows as read-only now' % dev)
    h = subprocess.run([FSDOCTOR, 'history', '--db=' + db, '--format=json', str(hid)], capture_output=True, text=True)
    if not h.stdout.strip() or json.loads(h.stdout.splitlines()[0]).get('previous_boot') is not True:
        fail('%s: fsdoctor history does not say previous_boot: %s%s' % (dev, h.stdout[:300], h.stderr))

# unmounting the read-only ones clears them as a live incident clears
lab_umount(mnt_ro)
lab_umount(mnt_e4)
for dev in (dev_ro, dev_e4):
    cl = w.wait_for(lambda: [e for e in w.events() if e['state'] == 'cleared' and
                             e['history_id'] in [r['history_id'] for r in raised(dev)]],
                    timeout=10, what='%s cleared after unmount' % dev)[0]
    if cl.get('cleared_how') != 'unmounted':
        fail('%s: cleared %s after unmount' % (dev, cl.get('cleared_how')))
if metric_value(w.metrics(), 'fsdoctor_filesystem_read_only', device=dev_ro, fstype='btrfs') != 0:
    fail('%s still read-only in the metrics after unmount' % dev_ro)
w.stop()

# a restart raises none of them again
w2 = Daemon(db, '--pstore=none')
time.sleep(0.5)
again = [e for e in w2.events() if e['state'] == 'raised' and e.get('incident') and
         e['incident'].get('device') in (dev_rw, dev_gone, dev_ro, dev_e4, sb_eio, sb_corrupt)]
if again:
    fail('raised again after a restart: %s' % [(e['incident']['device'], e['history_id']) for e in again])
w2.stop()
print('PASS')
