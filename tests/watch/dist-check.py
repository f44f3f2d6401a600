#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""dist/: the alert rules pass `promtool check rules` and their unit tests (`promtool test rules`);
the systemd unit's `systemd-analyze security` exposure stays at or below 2.0; every metric the
rules and the Grafana dashboard use is one the daemon exports."""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

dist = os.environ.get('DIST_DIR') or sys.exit('DIST_DIR not set')
src = os.path.join(os.path.dirname(dist), 'src', 'watch', 'daemon.c')
failed = 0


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    print('$', ' '.join(cmd), '->', p.returncode)
    if p.returncode != 0:
        print(p.stdout, p.stderr)
    return p


promtool = shutil.which('promtool')
if not promtool:
    print('SKIP: needs promtool (Debian package prometheus)')
    sys.exit(77)
prom = os.path.join(dist, 'prometheus')
failed += run([promtool, 'check', 'rules', 'fsdoctor-alerts.yml'], cwd=prom).returncode != 0
failed += run([promtool, 'test', 'rules', 'fsdoctor-alerts.test.yml'], cwd=prom).returncode != 0

sa = shutil.which('systemd-analyze')
unit = os.path.join(dist, 'fsdoctor-watch.service')
if sa:
    # --threshold is in tenths: 20 = exposure 2.0
    p = run([sa, 'security', '--offline=true', '--threshold=20', unit])
    m = re.search(r'exposure level for \S+: ([0-9.]+)', p.stdout)
    print('exposure:', m.group(1) if m else '?')
    failed += p.returncode != 0
else:
    print('NOTE: no systemd-analyze; unit exposure not checked')

# every file of the daemon registers families (daemon.c; btrfs.c the btrfs sampler and guard)
exported = set()
for f in glob.glob(os.path.join(os.path.dirname(src), '*.c')):
    exported |= set(re.findall(r'"(fsdoctor_[a-z_]+)"', open(f).read()))
used = set()
for f in glob.glob(os.path.join(prom, '*.yml')) + glob.glob(os.path.join(dist, 'grafana', '*.json')):
    text = open(f).read()
    if f.endswith('.json'):
        json.loads(text)
    if f.endswith('.test.yml'):
        continue
    used |= set(re.findall(r'\b(fsdoctor_[a-z_]+)', text))
for name in sorted(used - exported):
    print('FAIL: dist uses %s, which the daemon does not export' % name)
    failed += 1
print('%d metric names used, all exported' % len(used) if not failed else '')
sys.exit(1 if failed else 0)
