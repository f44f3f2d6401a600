#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""fsdoctor history --format=html: a real watch daemon records an incident from real /dev/kmsg
writes (one of them carrying markup) into its SQLite history; the page shows that incident under
its history id with the database's facts, is safe (parser) and loads cleanly in Chromium when it
is installed. Root only (writes /dev/kmsg), as the watch tests.

usage: history-page.py OUTDIR"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'watch'))
from watchlib import FSDOCTOR, Daemon, btrfs_readonly_lines, kmsg, require_root, tag, tempdir  # noqa: E402
import cdp  # noqa: E402
import pagecheck  # noqa: E402
from pagecheck import check  # noqa: E402

require_root()
outdir = sys.argv[1]
os.makedirs(outdir, exist_ok=True)
db = os.path.join(tempdir(), 'history.db')
dev = tag('h')
w = Daemon(db, '--quiet-time=1')
lines = btrfs_readonly_lines(dev)
lines[0] += ' ' + pagecheck.HOSTILE_SCRIPT
kmsg(*lines)
w.wait_for(lambda: [e for e in w.events_for(dev) if e['incident']['outcome']['read_only']], timeout=10,
           what='read-only incident')
w.stop()

rows = [json.loads(l) for l in subprocess.run([FSDOCTOR, 'history', '--db=' + db, '--format=json'],
                                              capture_output=True, check=False).stdout.decode().splitlines() if l]
ids = [r['id'] for r in rows if r['incident'] and r['incident'].get('device') == dev]
check(len(ids) == 1, f"one history row for {dev}: {ids}")
path = os.path.join(outdir, 'history.html')
p = subprocess.run([FSDOCTOR, '--lang=en', 'history', '--db=' + db, '--format=html', str(ids[0])], capture_output=True)
check(p.returncode == 1, f"history exits 1 when it shows an incident (got {p.returncode}: {p.stderr!r})")
open(path, 'wb').write(p.stdout)
page = pagecheck.Page(p.stdout.decode())
pagecheck.check_page_safety(page, p.stdout, 'history')
sections = page.all('section', 'incident')
check([s.get('data-incident') for s in sections] == [str(ids[0])], f"history: the section is history id {ids[0]}")
text = page.content()
check(pagecheck.HOSTILE_SCRIPT in text, "history: the markup in the kernel line is shown as text")
check('forced readonly' in text and dev in text, "history: the chain shows the stored kernel lines")
chromium = cdp.find_chromium()
if chromium:
    with cdp.Browser(chromium) as b:
        url = 'file://' + os.path.abspath(path)
        b.load(url)
        check(not b.problems(url), f"history: loads cleanly: {b.problems(url)}")
        check(b.evaluate("document.scripts.length") == 0 and b.evaluate("typeof window.__pwned") == 'undefined',
              "history: nothing from the log ran")
        check(b.evaluate("document.querySelectorAll('ol.chain > li').length") == 2, "history: two events in the chain")
        b.screenshot(os.path.join(outdir, 'history.png'))
pagecheck.finish('history-page')
