#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Load pages in headless Chromium (tests/html/cdp.py) and print how long each takes to be ready.

usage: measure-page.py RUNS PAGE.html...

For each page, RUNS fresh loads (about:blank in between): the time from Page.navigate to the load
event seen from outside, the page's own loadEventEnd and first-contentful-paint
(performance API), and the time of a full-page screenshot, which forces layout and paint of the
whole page, not just the first screen. Prints one JSON object per page with the medians, and
whether it loaded with no console error and no request."""
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tests', 'html'))
import cdp  # noqa: E402

runs = int(sys.argv[1])
chromium = cdp.find_chromium()
if not chromium:
    print("measure-page: no chromium", file=sys.stderr)
    sys.exit(77)
with cdp.Browser(chromium) as b:
    for path in sys.argv[2:]:
        url = 'file://' + os.path.abspath(path)
        outside, load, fcp, shot, clean = [], [], [], [], True
        for _ in range(runs):
            b.load('about:blank')
            t0 = time.monotonic()
            b.load(url)
            outside.append((time.monotonic() - t0) * 1000)
            clean &= not b.problems(url)
            load.append(b.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
            fcp.append(b.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: -1}).startTime"))
            t0 = time.monotonic()
            b.screenshot(os.devnull)
            shot.append((time.monotonic() - t0) * 1000)
        nodes = b.evaluate("document.getElementsByTagName('*').length")
        height = b.evaluate("document.documentElement.scrollHeight")
        print(json.dumps({'page': os.path.basename(path), 'bytes': os.path.getsize(path), 'elements': nodes,
                          'height_px': height, 'clean': clean,
                          'navigate_to_load_ms': round(statistics.median(outside), 1),
                          'load_event_end_ms': round(statistics.median(load), 1),
                          'first_contentful_paint_ms': round(statistics.median(fcp), 1),
                          'full_page_screenshot_ms': round(statistics.median(shot), 1)}))
