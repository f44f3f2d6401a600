#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A forced /dev/kmsg overrun, and the kernel's "callbacks suppressed": the daemon is stopped while an incident starts and a flood
overwrites the ring; after it continues, the lost records are counted (metric, database) and the
incident says its evidence is incomplete, and why."""
import os
import signal
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watchlib import *

require_root()
if os.environ.get('FSDOCTOR_TEST_KMSG_FLOOD') != '1':
    skip('fills the kernel ring buffer, which would wipe the log other tests read: '
         'set FSDOCTOR_TEST_KMSG_FLOOD=1 (tools/run-tests.sh does)')
d = tempdir()
db = os.path.join(d, 'history.db')
dev = tag('o')
w = Daemon(db, '--quiet-time=30')
w.proc.send_signal(signal.SIGSTOP)
try:
    first, last = btrfs_readonly_lines(dev)
    kmsg(first)
    # one ring buffer and a half of filler, so the daemon's next read finds its position overwritten
    size = ring_buffer_size()
    line = 'fsdoctor watch overrun filler %s ' % dev + 'x' * 150
    n = size * 3 // 2 // (len(line) + 16) + 100
    fd = None
    for i in range(n):
        kmsg('%s %d' % (line, i), level=7)
    kmsg(last)
finally:
    w.proc.send_signal(signal.SIGCONT)
print('wrote %d filler lines over a %d-byte ring' % (n, size))
ev = w.wait_for(lambda: [e for e in w.events_for(dev) if e['incident']['outcome']['read_only']], timeout=30,
                what='the read-only incident')[-1]
if not ev['evidence_incomplete'] or 'overwritten' not in ev.get('incomplete_reason', ''):
    fail('evidence not marked incomplete: %s' % {k: ev.get(k) for k in ('evidence_incomplete', 'incomplete_reason')})
lost = metric_value(w.metrics(), 'fsdoctor_log_lines_lost_total', reason='overrun')
if not lost or lost < 1:
    fail('fsdoctor_log_lines_lost_total{reason="overrun"} is %s' % lost)
rows = db_rows(db, "SELECT SUM(count) FROM log_loss WHERE kind = 'overrun'")
if not rows[0][0]:
    fail('no overrun in the log_loss table')
inc = db_rows(db, 'SELECT incomplete FROM incidents WHERE device = ?', dev)
if not inc or not inc[0][0]:
    fail('history row lacks the incomplete reason: %s' % inc)
# the kernel's own rate limit is loss too: "N callbacks suppressed" before the incident's lines
dev2 = tag('u')
kmsg('btrfs_dev_stat_inc_and_print: 17 callbacks suppressed',
     'BTRFS error (device %s): bdev /dev/%s errs: wr 12, rd 0, flush 0, corrupt 0, gen 0' % (dev2, dev2),
     *btrfs_readonly_lines(dev2))
ev2 = w.wait_for(lambda: [e for e in w.events_for(dev2) if e['incident']['outcome']['read_only']], timeout=10,
                 what='the incident after callbacks suppressed')[-1]
if ev2['incident']['suppressed'] != 17 or 'suppressed 17' not in ev2.get('incomplete_reason', ''):
    fail('callbacks suppressed not reported: %s' % {k: ev2.get(k) for k in ('evidence_incomplete', 'incomplete_reason')})
w.stop()
print('PASS: %d records lost, reason: %s' % (lost, ev['incomplete_reason']))
