#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`fsdoctor explain` text output, list and every rule in full, in both languages: no rule template
placeholder ({device}, {host}, ...) is left unfilled; they read as <device>, <host>... instead.
JSON output keeps the raw templates (tools fill them), which this also checks."""
import json
import os
import re
import subprocess
import sys

PLACEHOLDER = re.compile(r'\{[a-z_]+\}')


def run(fsdoctor, *args):
    env = dict(os.environ, LC_ALL='C.UTF-8')
    env.pop('LANGUAGE', None)
    p = subprocess.run([fsdoctor, *args], capture_output=True, text=True, env=env, timeout=60)
    if p.returncode != 0:
        sys.exit(f"FAIL fsdoctor {' '.join(args)} exited {p.returncode}: {p.stderr[:500]}")
    return p.stdout


def main():
    fsdoctor = sys.argv[1]
    failed = False
    rules = [json.loads(l) for l in run(fsdoctor, 'explain', '--format=json').splitlines() if l.strip()]
    ids = [r['id'] for r in rules]
    if not ids:
        sys.exit("FAIL no rules listed")
    raw = sum(1 for r in rules if PLACEHOLDER.search(json.dumps(r, ensure_ascii=False)))
    if raw == 0:
        print("FAIL the JSON rules carry no placeholders at all: this test checks nothing")
        failed = True
    label = {'en': '<device>', 'zh': '<设备>'}
    for lang in ('en', 'zh'):
        listing = run(fsdoctor, f'--lang={lang}', 'explain', '--color=never')
        for line in listing.splitlines():
            if PLACEHOLDER.search(line):
                print(f"FAIL [{lang}] list shows a raw placeholder: {line}")
                failed = True
        if label[lang] not in listing:
            print(f"FAIL [{lang}] list never shows {label[lang]}")
            failed = True
        for rid in ids:
            text = run(fsdoctor, f'--lang={lang}', 'explain', '--color=never', rid)
            for line in text.splitlines():
                if PLACEHOLDER.search(line):
                    print(f"FAIL [{lang}] {rid} shows a raw placeholder: {line.strip()}")
                    failed = True
    if not failed:
        print(f"ok: {len(ids)} rules, list and full text in en and zh, no raw placeholders")
    return 1 if failed else 0


sys.exit(main())
