#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--debuginfo and --source together, on a small tree compiled here.

fs/btrfs/x.c of a tree made here (top Makefile, fs/, include/) holds noinline functions calling
static inline ones and a trap on a cold path; gcc -O2 -g compiles it in the tree (ET_REL, named
btrfs.ko). Every call's return address is a frame "func+0xOFF/0xLEN [btrfs]", the trap the RIP.
`fsdoctor analyze --debuginfo btrfs.ko --source TREE` must show an excerpt for every line the
debuginfo resolved (the inlined calls too), each inside the function DWARF names with it (the
BUG site, named with the RIP's function, inside a static function inlined into it), the
marked line being that line of the file, and must not guess candidate paths for frames the
debuginfo resolved. Exit 77 without gcc, objdump, ctags or cscope.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE = r'''
extern int sink(int);

static inline __attribute__((always_inline)) void check_limit(int v)
{
        if (__builtin_expect(v > 1000, 0))
                __builtin_trap();
        sink(v);
}

static inline __attribute__((always_inline)) int scale(int v)
{
        check_limit(v * 3);
        return sink(v + 1);
}

__attribute__((noinline)) int run_refs(int v)
{
        int r = scale(v);
        return r + sink(r);
}

__attribute__((noinline)) int run_one(int v)
{
        if (v & 1)
                return scale(v) + run_refs(v);
        return run_refs(v + 2);
}
'''

# the binutils helpers the symbolize tests use
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'symbolize'))
from objtools import FUNC_RE, INSN_RE, run, symbol_sizes  # noqa: E402

fsdoctor = sys.argv[1]
for tool in ('gcc', 'objdump', 'nm', 'ctags', 'cscope'):
    if not shutil.which(tool):
        print('SKIP: %s is not installed' % tool)
        sys.exit(77)


def frames_of(path):
    sizes = symbol_sizes(path)
    out, func, insns = [], None, []
    for line in run(['objdump', '-d', '--no-show-raw-insn', path], check=True).stdout.splitlines() + ['']:
        m = FUNC_RE.match(line)
        if m or line == '':
            if func in sizes:
                start, size = sizes[func]
                for i, (addr, mnem) in enumerate(insns):
                    if mnem.startswith('call') and i + 1 < len(insns):
                        out.append((func, insns[i + 1][0] - start, size, False))
                    elif mnem == 'ud2':
                        out.append((func, addr - start, size, True))
            func, insns = (m.group(2) if m else None), []
            continue
        m = INSN_RE.match(line)
        if m and func:
            insns.append((int(m.group(1), 16), m.group(2)))
    return out


failures = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures.append(what)


tmp = tempfile.mkdtemp(prefix='fsdoctor-debuginfo-source-')
try:
    tree = os.path.join(tmp, 'linux')
    os.makedirs(os.path.join(tree, 'fs', 'btrfs'))
    os.makedirs(os.path.join(tree, 'include'))
    with open(os.path.join(tree, 'Makefile'), 'w') as f:
        f.write('VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\n')
    with open(os.path.join(tree, 'fs', 'btrfs', 'Makefile'), 'w') as f:
        f.write('obj-m := btrfs.o\n')
    with open(os.path.join(tree, 'fs', 'btrfs', 'x.c'), 'w') as f:
        f.write(SOURCE)
    ko = os.path.join(tmp, 'btrfs.ko')
    run(['gcc', '-O2', '-g', '-fno-pie', '-c', 'fs/btrfs/x.c', '-o', ko], cwd=tree, check=True)
    frames = frames_of(ko)
    traps = [f for f in frames if f[3]]
    calls = [f for f in frames if not f[3] and f[0] in ('run_refs', 'run_one')]
    check(traps and calls, 'compiled: call sites and a trap (%r)' % frames)
    trap = traps[0]
    lines = ['[100.000000] ------------[ cut here ]------------',
             '[100.000001] kernel BUG at fs/btrfs/x.c:7!',
             '[100.000002] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI',
             '[100.000003] CPU: 0 PID: 1 Comm: test Not tainted 6.1.0-13-amd64 #1',
             '[100.000004] RIP: 0010:%s+0x%x/0x%x [btrfs]' % (trap[0], trap[1], trap[2]),
             '[100.000005] Call Trace:',
             '[100.000006]  <TASK>']
    for f in calls:
        lines.append('[100.000007]  %s+0x%x/0x%x [btrfs]' % (f[0], f[1], f[2]))
    lines.append('[100.000008]  </TASK>')
    log = os.path.join(tmp, 'x.log')
    with open(log, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, 'cache'))
    p = run([fsdoctor, 'analyze', '-q', '--format=json', '--debuginfo', ko, '--source', tree, log], env=env)
    check(p.returncode == 1, 'exit 1: ' + p.stderr.strip()[:300])
    reps = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    rep = next((r for r in reps if r.get('type') == 'report'), {})
    src = rep.get('source', {})
    resolved = []
    for fr in rep.get('frames', []) + ([{'location': rep['rip_location']['location'],
                                          'inlined': rep['rip_location']['inlined']}]
                                       if rep.get('rip_location') else []):
        if 'location' in fr:
            for e in [fr['location']] + fr.get('inlined', []):
                resolved.append((e['function'], e['file'], e['line']))
    ex = {(e['file'], e['line']): e for e in src.get('excerpts', [])}
    check(resolved, 'the debuginfo resolved the frames (%d lines)' % len(resolved))
    src_lines = SOURCE.split('\n')
    for func, file, line in resolved:
        e = ex.get((file, line))
        # the BUG site's line comes first as the report's site: named with the RIP's function, it
        # lies in a static function inlined there
        ok = e is not None and ((e['why'].startswith('debuginfo') and e['function'] == func and e['check'] == 'inside')
                                or (e['why'] == 'report-site' and e['check'] == 'in-inlined-callee'
                                    and e['enclosing']['function'] == func))
        ok = ok and e['text'][line - e['first_line']] == src_lines[line - 1][:400]
        check(ok, 'excerpt %s:%d inside %s (%s)' % (file, line, func, e and e['check']))
    check(not src.get('candidate_paths'), 'no candidate paths where the debuginfo resolved the frames (%s)'
          % src.get('candidate_paths'))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
if failures:
    print('%d failures' % len(failures))
    sys.exit(1)
print('all passed')
