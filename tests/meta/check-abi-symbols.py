#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The shared library exports exactly the public API: the functions libfsdoctor.so defines in its
dynamic symbol table, the names listed in the version script lib/libfsdoctor.sym and the functions
declared FSD_API in lib/fsdoctor.h must be the same three sets, and every export must carry a
FSDOCTOR_* version. Each declaration has a doc comment ending in "Since 0.x", and the function is
listed in node FSDOCTOR_0.x. A new public function missing from the map (or an internal one
leaking out, or one without its documentation) fails here."""
import re
import subprocess
import sys

library, version_script, header = sys.argv[1:4]

nm = subprocess.run(['nm', '-D', '--defined-only', '--with-symbol-versions', library],
                    capture_output=True, text=True)
if nm.returncode != 0:
    print(f"FAIL: nm -D {library}: {nm.stderr.strip()}")
    sys.exit(1)
exported, unversioned, nodes = set(), [], set()
for line in nm.stdout.splitlines():
    fields = line.split()
    if len(fields) != 3:
        continue
    kind, name = fields[1], fields[2]
    base, _, version = name.partition('@')
    version = version.lstrip('@')
    if kind == 'A':                       # the version node itself (FSDOCTOR_0.1)
        nodes.add(base)
        continue
    exported.add(base)
    if not version.startswith('FSDOCTOR_'):
        unversioned.append(name)

script = re.sub(r'/\*.*?\*/', '', open(version_script).read(), flags=re.S)
mapped, script_nodes, node_of = set(), set(), {}
for node, body in re.findall(r'(FSDOCTOR_[0-9.]+)\s*\{(.*?)\}', script, re.S):
    script_nodes.add(node)
    glob = body.split('local:')[0].replace('global:', '')
    for name in (n.strip() for n in glob.split(';') if n.strip()):
        mapped.add(name)
        node_of[name] = node

# each FSD_API declaration with the doc comment right before it (a typedef may sit in between)
DECLARATION = re.compile(r'(?:/\*((?:(?!\*/).)*)\*/\s*(?:typedef[^;]*;\s*)*)?^FSD_API\b[^;{]*?\b(fsd_\w+)\s*\(',
                         re.S | re.M)
declared, undocumented, wrong_node = set(), [], []
for doc, name in DECLARATION.findall(open(header).read()):
    declared.add(name)
    since = re.findall(r'Since (\d+\.\d+)', doc or '')
    if not since:
        undocumented.append(name)
    elif name in node_of and node_of[name] != f'FSDOCTOR_{since[-1]}':
        wrong_node.append(f'{name} (Since {since[-1]}, listed in {node_of[name]})')

failed = 0
if undocumented:
    print(f"FAIL: FSD_API functions without a doc comment saying 'Since 0.x': {', '.join(undocumented)}")
    failed += 1
if wrong_node:
    print(f"FAIL: listed in another node than the version their doc comment names: {', '.join(wrong_node)}")
    failed += 1
def differ(what, a, b):
    global failed
    if a - b:
        print(f"FAIL: {what}: {', '.join(sorted(a - b))}")
        failed += 1

differ("exported by the library but not in lib/libfsdoctor.sym", exported, mapped)
differ("in lib/libfsdoctor.sym but not exported by the library", mapped, exported)
differ("declared FSD_API in fsdoctor.h but not in lib/libfsdoctor.sym (add it to the map)", declared, mapped)
differ("in lib/libfsdoctor.sym but not declared FSD_API in fsdoctor.h", mapped, declared)
differ("version nodes of the script missing from the library", script_nodes, nodes)
if unversioned:
    print(f"FAIL: exported without a FSDOCTOR_* version: {', '.join(unversioned)}")
    failed += 1
if not exported:
    print("FAIL: the library exports nothing")
    failed += 1
print(f"{len(exported)} exported functions, {len(mapped)} in the map, {len(declared)} declared FSD_API")
sys.exit(1 if failed else 0)
