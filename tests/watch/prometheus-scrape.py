#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A real Prometheus (Debian's package) scrapes the real endpoint: after an incident, its query API
returns the read-only series for the device and the raised counter for the rule."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watchlib import *

require_root()
prometheus = shutil.which('prometheus')
if not prometheus:
    skip('needs prometheus (Debian package prometheus)')
d = tempdir()
db = os.path.join(d, 'history.db')
dev = tag('p')
w = Daemon(db, '--quiet-time=60')
kmsg(*btrfs_readonly_lines(dev))

s = socket.socket()
s.bind(('127.0.0.1', 0))
prom_port = s.getsockname()[1]
s.close()
with open(os.path.join(d, 'prometheus.yml'), 'w') as f:
    f.write('global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n'
            'scrape_configs:\n  - job_name: fsdoctor\n    static_configs:\n'
            '      - targets: ["127.0.0.1:%d"]\n' % w.port)
log = open(os.path.join(d, 'prometheus.log'), 'w')
p = subprocess.Popen([prometheus, '--config.file=' + os.path.join(d, 'prometheus.yml'),
                      '--storage.tsdb.path=' + os.path.join(d, 'data'),
                      '--web.listen-address=127.0.0.1:%d' % prom_port, '--log.level=warn'],
                     stdout=log, stderr=log)
try:
    def query(expr):
        url = 'http://127.0.0.1:%d/api/v1/query?query=%s' % (prom_port, urllib.parse.quote(expr))
        try:
            with urllib.request.urlopen(url, timeout=3) as r:
                res = json.load(r)
        except OSError:
            return None
        return res['data']['result'] if res.get('status') == 'success' else None

    ro = w.wait_for(lambda: query('fsdoctor_filesystem_read_only{device="%s"}' % dev), timeout=40,
                    what='Prometheus to return fsdoctor_filesystem_read_only for %s' % dev)
    series = ro[0]
    if series['metric'].get('job') != 'fsdoctor' or series['metric'].get('fstype') != 'btrfs' or series['value'][1] != '1':
        fail('unexpected series %s' % series)
    raised = query('fsdoctor_incidents_raised_total{severity="critical"}')
    if not raised or not any(r['metric'].get('rule', '').startswith('btrfs/') for r in raised):
        fail('no raised counter for a btrfs rule: %s' % raised)
    up = query('up{job="fsdoctor"}')
    if not up or up[0]['value'][1] != '1':
        fail('up is %s' % up)
    print('PASS: Prometheus sees %s' % series['metric'])
finally:
    p.terminate()
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    w.stop()
