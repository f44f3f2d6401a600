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
        name = p['name']
        url = 'file://' + os.path.abspath(p['path'])
        b.load(url)
        problems = b.problems(url)
        check(not problems, f"{name}: loads cleanly, but: {problems}")
        check(b.requests() == [url], f"{name}: no request but the page itself: {b.requests()}")
        js = b.evaluate
        check(js('document.scripts.length') == 0, f"{name}: no script in the DOM")
        check(js('typeof window.__pwned') == 'undefined', f"{name}: nothing from the log ran")
        check(js('document.styleSheets.length') == 1 and js('document.styleSheets[0].cssRules.length') > 50,
              f"{name}: the style sheet is applied (allowed by its CSP hash)")
        check(js("getComputedStyle(document.body).display") != 'none' and js('document.body.offsetHeight') > 200,
              f"{name}: the body is shown")
        check(js("document.documentElement.lang") == p['lang'], f"{name}: lang is {p['lang']}")
        check(js("[...document.querySelectorAll('*')].every(e => ![...e.attributes].some(a => a.name.startsWith('on')))"),
              f"{name}: no element has an event handler")
        check(js("[...document.querySelectorAll('a[href]')].every(a => a.getAttribute('href').startsWith('#') && "
                 "document.getElementById(a.getAttribute('href').slice(1)))"),
              f"{name}: every link stays in the page and finds its target")
        if p['kind'] == 'analyze':
            incidents = [r for r in p['records'] if r.get('type') == 'incident']
            reports = [r for r in p['records'] if r.get('type') == 'report']
            ids = js("[...document.querySelectorAll('section.incident')].map(s => +s.dataset.incident)")
            check(ids == sorted(i['id'] for i in incidents), f"{name}: incidents in the DOM {ids}")
            lines = js("[...document.querySelectorAll('section.incident')].map(s => "
                       "[...s.querySelectorAll('ol.chain > li')].map(li => +li.dataset.line))")
            want = [[e['first_line'] for e in i['events']] for i in sorted(incidents, key=lambda i: i['id'])]
            check(lines == want, f"{name}: each incident's chain holds its evidence lines {lines} vs {want}")
            check(js("document.querySelectorAll('details.report').length") == len(reports),
                  f"{name}: every kernel report is in the DOM")
            check(js("[...document.querySelectorAll('details.report')].every(d => !d.open)"),
                  f"{name}: kernel reports start folded")
            check(js("[...document.querySelectorAll('figure.timeline svg')].every(s => s.getBoundingClientRect().height > 60)"),
                  f"{name}: the timelines are drawn")
            if len(incidents) > 1:
                last = max(i['id'] for i in incidents)
                js(f"location.hash = '#incident-{last}'")
                check(js("window.scrollY") > 0, f"{name}: the contents link scrolls to incident {last}")
                js("window.scrollTo(0, 0)")
            if name == 'analyze-hostile':
                text = js("document.body.textContent")
                for s in (pagecheck.HOSTILE_SCRIPT, pagecheck.HOSTILE_STYLE, pagecheck.HOSTILE_QUOTES):
                    check(s in text, f"{name}: {s!r} is shown as text")
                check(js("document.querySelectorAll('img, svg[onload], b').length") == 0, f"{name}: no injected element")
        else:
            model = p['model']
            starts = js("[...document.querySelectorAll('.bgmap > i[data-start]')].map(i => +i.dataset.start)")
            check(sorted(starts) == sorted(bg['start'] for bg in model['block_groups']),
                  f"{name}: one cell per block group in the DOM ({len(starts)})")
            check(js("document.querySelector('#verdict').dataset.risk") == model['risk']['level'],
                  f"{name}: the verdict comes first and says {model['risk']['level']}")
            check(js("document.querySelector('#verdict').getBoundingClientRect().top") < 400,
                  f"{name}: the verdict is at the top of the page")
        timing = js("JSON.stringify(performance.getEntriesByType('navigation')[0].loadEventEnd)")
        shot = os.path.join(outdir, f'{name}.png')
        data = b.screenshot(shot)
        check(data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 10000, f"{name}: screenshot {shot}")
        print(f"{name}: {os.path.getsize(p['path'])} bytes, loaded in {float(timing):.0f} ms, screenshot {shot}")
pagecheck.finish('test-html-browser')
