#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""SIGHUP reloads --rules; an invalid rule file keeps the previous set and the daemon running,
still raising incidents with the rules it has; SIGTERM exits 0."""
import os
import shutil
import signal
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watchlib import *

require_root()
src_rules = os.path.join(os.path.dirname(os.environ.get('DIST_DIR', '')), 'rules')
if not os.path.isdir(src_rules):
    skip('no rules/ directory next to DIST_DIR')
d = tempdir()
rules = os.path.join(d, 'rules')
shutil.copytree(src_rules, rules)
db = os.path.join(d, 'history.db')
w = Daemon(db, '--rules=' + rules, '--quiet-time=30')
w.proc.send_signal(signal.SIGHUP)
w.wait_for(lambda: 'rules reloaded' in open(w.err_path).read(), timeout=5, what='rules reloaded')
with open(os.path.join(rules, 'btrfs', 'zz-broken.yaml'), 'w') as f:
    f.write('id: [unclosed\n')
w.proc.send_signal(signal.SIGHUP)
w.wait_for(lambda: 'keeping the previous ones' in open(w.err_path).read(), timeout=5, what='bad rules refused')
dev = tag('h')
kmsg(*btrfs_readonly_lines(dev))
ev = w.wait_for(lambda: [e for e in w.events_for(dev) if e['incident']['outcome']['read_only']], timeout=5,
                what='an incident after a refused reload')[-1]
if not ev['incident']['diagnosis']['rule_id'].startswith('btrfs/'):
    fail('diagnosed without the previous rules: %s' % ev['incident']['diagnosis']['rule_id'])
rc = w.stop()
if rc != 0:
    fail('SIGTERM: exit %d' % rc)
print('PASS')
