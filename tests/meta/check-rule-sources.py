#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A rule's `sources:` name public documents only (kernel source files and versions, commits,
mailing-list threads, man pages): the rules are embedded in the program and shown by `explain`,
so a path on some build machine ("/work/...", "/home/...", "~/notes") must never stand there.
Any word of a source that is an absolute or home-relative path, or a file: URL, fails."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
MACHINE_PATH = re.compile(r'''(?:^|[\s("'`,;])(?:/[A-Za-z0-9._~-]|~/|file:)''')
failed = checked = 0
for path in sorted(root.glob('rules/**/*.yaml')):
    in_sources = False
    for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        if re.match(r'^sources\s*:', line):
            in_sources = True
            continue
        if in_sources and re.match(r'^\S', line):
            in_sources = False
        if not in_sources or not line.strip().startswith('-'):
            continue
        checked += 1
        if MACHINE_PATH.search(line.strip()[1:]):
            print(f"FAIL: {path.relative_to(root)}:{number}: a source names a machine path "
                  f"(sources name public documents only): {line.strip()}")
            failed += 1
print(f"{checked} sources checked")
if checked == 0:
    print("FAIL: no rule sources found")
    failed += 1
sys.exit(1 if failed else 0)
