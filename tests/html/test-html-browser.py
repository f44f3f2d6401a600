#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--format=html in a real headless Chromium (Debian's chromium, driven over the DevTools
protocol on 127.0.0.1): every page loads with no console message of level warning or error, no
CSP violation, no exception, no dialog and no request but for the page itself; its one style
sheet applies; the DOM holds the incidents, events, reports and block groups the JSON names;
nothing from the hostile log runs. A full-page screenshot of each page is left in OUTDIR.
Exit 77 (skip) without chromium.

usage: test-html-browser.py FSDOCTOR SOURCE_ROOT OUTDIR"""
import os
import sys

import cdp
import pagecheck
from pagecheck import check

fsdoctor, root, outdir = sys.argv[1:4]
chromium = cdp.find_chromium()
if not chromium:
    print("SKIP: no chromium (apt-get install chromium)")
    sys.exit(77)

pages = pagecheck.make_pages(fsdoctor, root, outdir)
with cdp.Browser(chromium) as b:
    for p in pages:
        pagecheck.check_in_browser(b, p, outdir)
pagecheck.finish('test-html-browser')
