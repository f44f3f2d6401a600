#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The built-in Code: decoder against binutils objdump and the kernel's scripts/decodecode.

For every x86-64 report that `fsdoctor analyze --format=json` decodes in the given logs, the raw
bytes are disassembled by objdump from the same start byte; instruction boundaries must agree
exactly and mnemonics (AT&T suffixes aside) in at least 95% of instructions. When Debian's
linux-source-6.1 tarball is installed, scripts/decodecode (extracted alone into a temporary
directory, never into the tree) runs on the first few Code: lines too, and the instruction it
marks as trapping must be the one fsdoctor marks. Exit 77 when objdump is missing or no input
holds a decodable x86-64 Code: line.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TARBALL = '/usr/src/linux-source-6.1.tar.xz'


def code_bytes(code):
    out, trap = [], None
    for tok in code.split():
        if tok.startswith('<') and tok.endswith('>'):
            trap = len(out)
            tok = tok[1:-1]
        out.append(int(tok, 16))
    return bytes(out), trap


def objdump(data, start):
    with tempfile.NamedTemporaryFile(suffix='.bin') as f:
        f.write(data)
        f.flush()
        p = subprocess.run(['objdump', '-D', '-b', 'binary', '-m', 'i386:x86-64',
                            '--start-address=%d' % start, f.name], capture_output=True, text=True, check=True)
    insns = []
    for line in p.stdout.splitlines():
        m = re.match(r'\s+([0-9a-f]+):\s+((?:[0-9a-f]{2} )+)\s*(\S*)', line)
        if m and m.group(3):
            insns.append((int(m.group(1), 16), len(m.group(2).split()), m.group(3)))
        elif m and insns:   # objdump prints bytes past the seventh on a line of their own
            o, n, mn = insns[-1]
            insns[-1] = (o, n + len(m.group(2).split()), mn)
    return insns


def same_mnemonic(intel, att):
    intel, att = intel.split()[0], att.split()[0]
    return att == intel or att.rstrip('bwlq') == intel or intel.rstrip('bwlq') == att or \
        att.startswith(intel) or intel.startswith(att)


def decodecode_trap(script, code_line):
    env = dict(os.environ, ARCH='x86_64')
    p = subprocess.run([script], input='Code: ' + code_line + '\n', capture_output=True, text=True, env=env,
                       timeout=60)
    for line in p.stdout.splitlines():
        m = re.match(r'\s*([0-9a-f]+):\*\s+((?:[0-9a-f]{2} )+)', line)
        if m:
            return int(m.group(1), 16), len(m.group(2).split())
    return None


def main():
    fsdoctor, inputs = sys.argv[1], sys.argv[2:]
    if not shutil.which('objdump'):
        print('objdump missing: skipped')
        return 77
    files = []
    for i in inputs:
        files += sorted(glob.glob(os.path.join(i, '**', '*'), recursive=True)) if os.path.isdir(i) else [i]
    skip = ('expected.jsonl', 'README.md', 'args', 'exit', 'SOURCE.md', 'SOURCE_COMMIT', 'labels.tsv')
    files = [f for f in files if os.path.isfile(f) and os.path.basename(f) not in skip]
    listings = []
    for f in files:
        p = subprocess.run([fsdoctor, 'analyze', '--format=json', '--quiet', '--', f], capture_output=True)
        for line in p.stdout.decode('utf-8', 'replace').splitlines():
            o = json.loads(line)
            d = o.get('code_decoded') if o.get('type') == 'report' else None
            if d and d['arch'] == 'x86-64':
                listings.append((f, o['code'], d))
    if not listings:
        print('no decodable x86-64 Code: line in the inputs: skipped')
        return 77
    bad_bounds, mn_total, mn_same = 0, 0, 0
    for f, code, d in listings:
        data, trap = code_bytes(code)
        if trap is None:
            continue  # the trap marker was lost (a Code: line wrapped by a mail client): nothing to align
        ours = [(trap + i['offset'], len(i['bytes']) // 2, i['mnemonic']) for i in d['instructions']]
        dump = objdump(data, ours[0][0])
        # objdump shows a redundant REX prefix as an instruction of its own ("rex.W"); Capstone
        # folds it into the next one. Same bytes, same boundaries after it.
        merged = []
        for o, n, m in dump:
            if merged and merged[-1][2].startswith('rex') and merged[-1][1] == 1 and merged[-1][0] + 1 == o:
                merged[-1] = (merged[-1][0], merged[-1][1] + n, m)
            else:
                merged.append((o, n, m))
        theirs = {o: (n, m) for o, n, m in merged}
        for off, n, m in ours:
            if m in ('ud2b', 'ud1'):
                # Capstone 4 decodes 0f b9 without its ModRM byte (ud2b); binutils as ud1 with
                # it. The instruction is the same trap; boundaries after it are not compared.
                mn_total += 1
                mn_same += off in theirs
                break
            if off not in theirs or theirs[off][0] != n:
                # objdump may stop or differ after an undecodable byte; boundaries up to the trap count
                if off <= trap:
                    bad_bounds += 1
                    print(f'{f}: instruction at byte {off} ({m}, {n} bytes): objdump has {theirs.get(off)}')
                continue
            mn_total += 1
            mn_same += same_mnemonic(m, theirs[off][1])
    print(f'objdump: {len(listings)} listings, {bad_bounds} boundary disagreements up to the trap, '
          f'mnemonics agree {mn_same}/{mn_total}')
    ok = bad_bounds == 0 and mn_same >= 0.95 * mn_total

    if os.path.exists(TARBALL):
        with tempfile.TemporaryDirectory() as tmp:
            member = 'linux-source-6.1/scripts/decodecode'
            subprocess.run(['tar', 'xf', TARBALL, '-C', tmp, member], check=True)
            script = os.path.join(tmp, member)
            checked = agree = 0
            for f, code, d in listings[:8]:
                got = decodecode_trap(script, code)
                if got is None:
                    continue
                data, trap = code_bytes(code)
                ours = next(i for i in d['instructions'] if i.get('trap'))
                checked += 1
                # decodecode disassembles from byte 0; compare where it lands on the marker
                if got[0] == trap and got[1] == len(ours['bytes']) // 2:
                    agree += 1
                else:
                    print(f'{f}: decodecode marks byte {got[0]} ({got[1]} bytes), fsdoctor byte {trap}')
            print(f'scripts/decodecode: trapping instruction agrees {agree}/{checked}')
            ok = ok and agree == checked
    else:
        print(f'{TARBALL} absent: scripts/decodecode comparison skipped')
    return 0 if ok else 1


sys.exit(main())
