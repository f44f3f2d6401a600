#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--help and the man page must agree: every long option a verb's --help lists is documented in
that verb's man fragment, and every option the fragment documents is in --help."""
import os
import re
import subprocess
import sys

fsdoctor, mandir = sys.argv[1], sys.argv[2]
fragments = {'analyze': '10-analyze.roff', 'inspect': '20-inspect.roff', 'guard': '25-guard.roff', 'explain': '30-explain.roff',
             'watch': '40-watch.roff', 'history': '50-history.roff'}
GLOBAL = {'--lang', '--help', '--version'}
failed = 0

top = subprocess.run([fsdoctor, '--lang=en', '--help'], capture_output=True, text=True, env=dict(os.environ, LANG='C'))
if top.returncode != 0:
    print("FAIL: fsdoctor --help exited", top.returncode)
    sys.exit(1)
verbs = re.findall(r'^  ([a-z]+) +', top.stdout, re.M)
if sorted(verbs) != sorted(fragments):
    print(f"FAIL: verbs in --help {verbs} differ from man fragments {sorted(fragments)}")
    failed += 1

for verb, frag in fragments.items():
    h = subprocess.run([fsdoctor, '--lang=en', verb, '--help'], capture_output=True, text=True, env=dict(os.environ, LANG='C'))
    if h.returncode != 0:
        print(f"FAIL: fsdoctor {verb} --help exited {h.returncode}")
        failed += 1
        continue
    help_opts = set(re.findall(r'(--[a-z][a-z-]*)', h.stdout)) - {'--'}
    with open(os.path.join(mandir, frag)) as f:
        roff = f.read().replace('\\-', '-')
    man_opts = set(re.findall(r'(--[a-z][a-z-]*)', roff))
    for o in sorted(help_opts - man_opts - GLOBAL):
        print(f"FAIL: {verb}: {o} is in --help but not in docs/man/{frag}")
        failed += 1
    for o in sorted(man_opts - help_opts - GLOBAL):
        print(f"FAIL: {verb}: {o} is in docs/man/{frag} but not in --help")
        failed += 1
    if not failed:
        print(f"ok {verb}: {len(help_opts)} options agree")
    if verb == 'analyze':
        # what happens without FILE: both say standard input unless it is a terminal, then /dev/kmsg
        flat_help = ' '.join(h.stdout.split())
        flat_man = ' '.join(re.sub(r'^\.[A-Z]+ ?', '', roff, flags=re.M).split())
        for doc, text in (('--help', flat_help), (f'docs/man/{frag}', flat_man)):
            if not re.search(r'Without FILE ?,? standard input is read when it is not a terminal', text) or \
                    '/dev/kmsg' not in text:
                print(f"FAIL: analyze: {doc} does not say that without FILE standard input is read unless it "
                      "is a terminal, else /dev/kmsg")
                failed += 1

sys.exit(1 if failed else 0)
