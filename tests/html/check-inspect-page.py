#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The inspect page of one btrfs image: read by a parser and, when chromium is installed, in the
browser. With --want-plan, the verdict must call for a reclaim plan that relocates block
groups, so that the map shows marked cells.

usage: check-inspect-page.py [--want-plan] FSDOCTOR IMAGE OUTDIR NAME"""
import json
import os
import sys

import cdp
import pagecheck
from pagecheck import check

args = sys.argv[1:]
want_plan = '--want-plan' in args
fsdoctor, image, outdir, name = [a for a in args if a != '--want-plan']
os.makedirs(outdir, exist_ok=True)
path = os.path.join(outdir, f'{name}.html')
pagecheck.run(fsdoctor, ['inspect', '--offline', '--format=html', image], path)
model = json.loads(pagecheck.run(fsdoctor, ['inspect', '--offline', '--format=json', image]))
plan = model.get('reclaim_plan') or {}
if want_plan:
    check(plan.get('needed') and plan.get('block_groups'), f"{name}: a reclaim plan that relocates block groups")
raw = open(path, 'rb').read()
page = pagecheck.Page(raw.decode())
pagecheck.check_page_safety(page, raw, name)
pagecheck.check_inspect_page(page, model, name)
chromium = cdp.find_chromium()
if chromium:
    with cdp.Browser(chromium) as b:
        pagecheck.check_in_browser(b, {'name': name, 'kind': 'inspect', 'path': path, 'model': model, 'lang': 'en'},
                                   outdir)
else:
    print("no chromium: the page was checked by the parser only")
print(f"{name}: {len(model['block_groups'])} block groups, {len(plan.get('block_groups') or [])} marked, "
      f"risk {model['risk']['level']}")
pagecheck.finish(name)
