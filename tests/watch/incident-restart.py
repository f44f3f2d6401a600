#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A kernel line that completes an incident raises it (JSON line, history database, metrics); it
closes after the quiet time; a restart reads the ring again and raises nothing twice; hostile HTTP
clients (slowloris, a huge header, many connections) stall neither the endpoint's other clients
nor the log reader."""
import os
import socket
import subprocess
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watchlib import *

require_root()
d = tempdir()
db = os.path.join(d, 'history.db')
dev = tag('r')
w = Daemon(db, '--quiet-time=1.5')

# hostile clients first: they must not delay what follows
slow = []
for i in range(20):
    s = socket.create_connection(('127.0.0.1', w.port), timeout=5)
    s.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ')  # never finishes its headers
    slow.append(s)
big = socket.create_connection(('127.0.0.1', w.port), timeout=5)
try:
    big.sendall(b'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ' + b'a' * (256 * 1024) + b'\r\n\r\n')
    reply = big.recv(200)
    if reply and not (reply.startswith(b'HTTP/1.1 4') or reply.startswith(b'HTTP/1.0 4')):
        fail('a 256 KiB header got %r, expected a 4xx refusal' % reply[:40])
except (ConnectionResetError, BrokenPipeError):
    pass  # refusing by closing is fine too

t0 = time.time()
kmsg(*btrfs_readonly_lines(dev))
# raised on the first error line, updated when the read-only line completes it
ro = w.wait_for(lambda: [e for e in w.events_for(dev) if e['incident']['outcome']['read_only']], timeout=5,
                what='read-only incident')
print('read-only incident after %.1f ms (with %d stalled connections open)' % ((time.time() - t0) * 1000, len(slow)))
raised = [e for e in w.events_for(dev) if e['state'] == 'raised']
if len(raised) != 1:
    fail('raised %d times' % len(raised))
inc = ro[0]['incident']
if inc['fs'] != 'btrfs' or not inc['outcome']['read_only']:
    fail('raised incident is not a read-only btrfs: %s' % inc)
rule = inc['diagnosis']['rule_id']
if not rule or not rule.startswith('btrfs/'):
    fail('no btrfs rule matched: %s' % rule)
hid = raised[0]['history_id']

rows = db_rows(db, 'SELECT device, fs, rule_id, state FROM incidents WHERE id = ?', hid)
if rows != [(dev, 'btrfs', rule, 'open')]:
    fail('history row %d is %s' % (hid, rows))
lines = db_rows(db, 'SELECT text FROM lines WHERE incident_id = ? ORDER BY seq', hid)
if [l[0] for l in lines] != btrfs_readonly_lines(dev):
    fail('stored lines %s' % lines)

# a second client is served while the slow ones hang
m = w.metrics()
if metric_value(m, 'fsdoctor_filesystem_read_only', device=dev, fstype='btrfs') != 1:
    fail('fsdoctor_filesystem_read_only{device="%s"} is not 1' % dev)
if (metric_value(m, 'fsdoctor_incidents_raised_total', rule=rule, severity='critical') or 0) < 1:
    fail('fsdoctor_incidents_raised_total{rule="%s"} missing' % rule)
if metric_value(m, 'fsdoctor_build_info') != 1:
    fail('fsdoctor_build_info missing')
for s in slow:
    s.close()

w.wait_for(lambda: [e for e in w.events_for(dev) if e['state'] == 'closed'], timeout=10, what='closed')
if db_rows(db, 'SELECT state FROM incidents WHERE id = ?', hid) != [('closed',)]:
    fail('not closed in the database')

# fsdoctor history shows it with the same renderer as analyze
h = subprocess.run([FSDOCTOR, '--lang=en', 'history', '--db=' + db, str(hid)], capture_output=True, text=True)
if h.returncode != 1 or ('btrfs on %s forced read-only' % dev) not in h.stdout or 'Diagnosis:' not in h.stdout:
    fail('history %d: exit %d\n%s%s' % (hid, h.returncode, h.stdout, h.stderr))
hj = subprocess.run([FSDOCTOR, 'history', '--db=' + db, '--format=json', '--since=1h'], capture_output=True, text=True)
if ('"device":"%s"' % dev) not in hj.stdout:
    fail('history --format=json lacks the incident')

rc = w.stop()
if rc != 0:
    fail('SIGTERM: exit %d' % rc)

# restart: the ring still holds the lines; nothing is raised twice
w2 = Daemon(db, '--quiet-time=1.5')
kmsg('fsdoctor watch test %s: after restart' % dev, level=6)
time.sleep(1)
again = [e for e in w2.events_for(dev) if e['state'] == 'raised']
if again:
    fail('raised again after a restart: %s' % again)
n = db_rows(db, 'SELECT COUNT(*) FROM incidents WHERE device = ?', dev)[0][0]
if n != 1:
    fail('%d incidents for %s after a restart, expected 1' % (n, dev))
w2.stop()
print('PASS')
