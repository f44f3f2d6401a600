#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--format=html without a browser: each page is read by an HTML parser and must be safe (one
style sheet allowed by hash, no script, no handler, no style attribute, no link out) and hold
what --format=json says about the same input. The hostile log's markup must come out as text.

usage: test-html-pages.py FSDOCTOR SOURCE_ROOT OUTDIR"""
import sys

import pagecheck
from pagecheck import check

fsdoctor, root, outdir = sys.argv[1:4]
for p in pagecheck.make_pages(fsdoctor, root, outdir):
    name = p['name']
    raw = open(p['path'], 'rb').read()
    page = pagecheck.Page(raw.decode('utf-8', errors='replace'))
    pagecheck.check_page_safety(page, raw, name)
    check(len(raw) < 4 << 20, f"{name}: {len(raw)} bytes, under 4 MiB")
    if p['kind'] == 'analyze':
        pagecheck.check_analyze_page(page, p['records'], name, p['lang'])
    else:
        pagecheck.check_inspect_page(page, p['model'], name)
    text = page.content()
    if name == 'analyze-hostile':
        for s in (pagecheck.HOSTILE_SCRIPT, pagecheck.HOSTILE_STYLE, pagecheck.HOSTILE_QUOTES, '<svg/onload=alert(3)>',
                  '<b>"q\'</b>'):
            check(s in text, f"{name}: {s!r} is shown as text")
        check('\\xff\\xfe' in text and '\\u{202e}' in text, f"{name}: invalid UTF-8 and the RTL override are shown escaped")
        check('\x1b' not in raw.decode('utf-8', 'replace') and '\x00' not in raw.decode('utf-8', 'replace'),
              f"{name}: no escape or NUL byte reaches the page")
        check(not [t for t, a in page.tags if t in ('svg', 'b') and 'onload' in a], f"{name}: no injected element")
    if name == 'analyze-seed-zh':
        check('内核' in text, f"{name}: the page is in Chinese")
    if name == 'analyze-two-hosts':
        hosts = [a for t, a in page.tags if t == 'span' and a.get('class') == 'host']
        check(len(hosts) == 2, f"{name}: the contents list two hosts ({len(hosts)})")
pagecheck.finish('test-html-pages')
