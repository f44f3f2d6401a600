#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every user-facing string in src/ (wrapped in _() or N_()) has a Simplified Chinese translation
in po/zh_CN/*.po, so no Chinese screen falls back to English half-way."""
import glob
import os
import re
import sys

root = sys.argv[1]
sys.path.insert(0, os.path.join(root, 'tools'))
import importlib.util
spec = importlib.util.spec_from_file_location('po2c', os.path.join(root, 'tools', 'po2c.py'))

STRING = r'"(?:[^"\\]|\\.)*"'
# inttypes.h macros as glibc expands them on LP64 (amd64, arm64): the catalog stores the expansion
PRI = {'PRIu64': 'lu', 'PRId64': 'ld', 'PRIx64': 'lx', 'PRIu32': 'u', 'PRId32': 'd', 'PRIx32': 'x'}
CALL = re.compile(r'\bN?_\(\s*((?:(?:' + STRING + r'|PRI[a-z0-9]+)\s*)+)\)')


def c_unquote(seq):
    parts = re.findall(STRING + r'|PRI[a-z0-9]+', seq)
    s = ''.join(PRI.get(p, '') if p.startswith('PRI') else p[1:-1] for p in parts)
    return bytes(s, 'utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8')


def po_ids(path):
    ids, cur, field = {}, None, None
    for line in open(path, encoding='utf-8'):
        line = line.strip()
        if line.startswith('msgid '):
            cur = [c_unquote(line[6:]), '']
            field = 0
        elif line.startswith('msgstr '):
            cur[1] = c_unquote(line[7:])
            field = 1
            ids[cur[0]] = cur
        elif line.startswith('"') and cur is not None:
            cur[field] += c_unquote(line)
    return {k: v[1] for k, v in ids.items() if k}


catalog = {}
for p in glob.glob(os.path.join(root, 'po', 'zh_CN', '*.po')):
    catalog.update(po_ids(p))

missing = []
for src in sorted(glob.glob(os.path.join(root, 'src', '**', '*.c'), recursive=True)):
    text = open(src, encoding='utf-8').read()
    for m in CALL.finditer(text):
        msgid = c_unquote(m.group(1))
        if msgid and not catalog.get(msgid):
            line = text.count('\n', 0, m.start()) + 1
            missing.append((os.path.relpath(src, root), line, msgid))

for f, l, s in missing:
    print(f"{f}:{l}: no zh_CN translation for {s!r}")
print(f"{len(missing)} untranslated strings")
sys.exit(1 if missing else 0)
