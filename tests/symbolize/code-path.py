#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The rule's code path and the computed one, merged (fsd_code_path_build), on an object compiled here.

A small "module" is compiled with gcc -O2 -g -c (ET_REL like a .ko): run_one() inlines pick_kind(),
which inlines either drop_data() or drop_tree(); both call free_extent(), which traps. A rule
(loaded with --rules) describes the path as a person would without debuginfo: top_level ->
run_one -> pick_kind -> drop_data -> drop_tree -> free_extent -> a hidden step. The log's trace
has the call site inside drop_tree.

Without --debuginfo the path is the trace's frames with the rule's steps between them (source
"rule"); with it, the inlined calls at the call site come from DWARF (source "inline-debuginfo",
equal to eu-addr2line -i), the rule's drop_data is dropped and reported as a disagreement, in
JSON, in text (both languages) and in HTML. Exit 77 when gcc, objdump or eu-addr2line is missing.
"""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE = r'''
extern int sink(int);

__attribute__((noinline)) int free_extent(int v)
{
        if (__builtin_expect(v == 28, 0))
                __builtin_trap();       /* the WARN()/BUG() site: ud2 on x86 */
        return sink(v);
}

static inline __attribute__((always_inline)) int drop_data(int v)
{
        return free_extent(v * 7) + sink(v);
}

static inline __attribute__((always_inline)) int drop_tree(int v)
{
        return free_extent(v * 5) + sink(v + 3);
}

static inline __attribute__((always_inline)) int pick_kind(int v)
{
        if (v & 1)
                return drop_data(v);
        return drop_tree(v);
}

__attribute__((noinline)) int run_one(int v)
{
        int r = pick_kind(v);
        return r + sink(r);
}

int top_level(int v)
{
        return run_one(v) + 1;
}
'''

RULE = '''id: btrfs/test-code-path
fs: btrfs
severity: error
confidence: 0.8
title: {en: "test path on {device}", zh: "测试路径 {device}"}
explanation: {en: "the test's explanation", zh: "测试的说明"}
remediation: {en: "nothing", zh: "无"}
prevention: {en: "nothing", zh: "无"}
match:
  require:
    - event: [fs-error]
      function: free_extent
code_path:
  - function: top_level
    file: refs.c
  - function: run_one
    file: refs.c
  - function: pick_kind
    visibility: inlined
  - function: drop_data
    visibility: inlined
    note: {en: "data drop: one of two candidates", zh: "数据释放：两个候选之一"}
  - function: drop_tree
    visibility: inlined
    note: {en: "tree drop: the other candidate", zh: "树释放：另一个候选"}
  - function: free_extent
  - function: search_slot
    visibility: hidden
'''

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from objtools import FUNC_RE, INSN_RE, run, symbol_sizes  # noqa: E402


def sites(path):
    """{function: [(offset after a call, is_trap)]}"""
    sizes = symbol_sizes(path)
    out = {}
    func = None
    insns = []
    for line in run(['objdump', '-d', '--no-show-raw-insn', path], check=True).stdout.splitlines() + ['']:
        m = FUNC_RE.match(line)
        if m or line == '':
            if func in sizes:
                start, _ = sizes[func]
                for i, (addr, mnem) in enumerate(insns):
                    if mnem.startswith('call') and i + 1 < len(insns):
                        out.setdefault(func, []).append((insns[i + 1][0] - start, False))
                    elif mnem == 'ud2':
                        out.setdefault(func, []).append((addr - start, True))
            func = m.group(2) if m else None
            insns = []
            continue
        m = INSN_RE.match(line)
        if m and func:
            insns.append((int(m.group(1), 16), m.group(2)))
    return sizes, out


def addr2line(path, symbol, offset, tmp):
    """[(function, file, line)], outermost first"""
    rows = run(['eu-addr2line', '-f', '-i', '-e', path, '%s+0x%x' % (symbol, offset)], check=True).stdout.splitlines()
    chain = []
    for k in range(0, len(rows) - 1, 2):
        loc = rows[k + 1]
        if loc.startswith(tmp + '/'):
            loc = loc[len(tmp) + 1:]
        f, _, ln = loc.partition(':')
        chain.append((rows[k].split(' ')[0], f, int(ln.split(':')[0])))
    return list(reversed(chain))


def write_log(path, sizes, trap_off, run_one_off, top_off):
    t = '[100.%06d] '
    lines = [
        '------------[ cut here ]------------',
        'kernel BUG at refs.c:7!',
        'invalid opcode: 0000 [#1] PREEMPT SMP NOPTI',
        'CPU: 0 PID: 1 Comm: test Not tainted 6.1.0 #1',
        'RIP: 0010:free_extent+0x%x/0x%x [fsd_test]' % (trap_off, sizes['free_extent'][1]),
        'Call Trace:',
        ' <TASK>',
        ' run_one+0x%x/0x%x [fsd_test]' % (run_one_off, sizes['run_one'][1]),
        ' top_level+0x%x/0x%x [fsd_test]' % (top_off, sizes['top_level'][1]),
        ' </TASK>',
        'BTRFS: error (device loop7) in free_extent:7: errno=-28 No space left',
        'BTRFS info (device loop7): forced readonly',
    ]
    with open(path, 'w') as fh:
        fh.write(''.join(t % i + l + '\n' for i, l in enumerate(lines)))


def analyze(fsdoctor, args, log, fmt='json', lang='en'):
    return run([fsdoctor, '--lang=' + lang, 'analyze', '-q', '--format=' + fmt] + args + [log],
               env=dict(os.environ, LC_ALL='C.UTF-8'))


def incident(out):
    for line in out.splitlines():
        o = json.loads(line)
        if o.get('type') == 'incident':
            return o
    return None


def main():
    fsdoctor = sys.argv[1]
    for tool in ('gcc', 'objdump', 'nm', 'eu-addr2line'):
        if not shutil.which(tool):
            print('SKIP: %s not installed' % tool)
            return 77
    ok = True

    def check(cond, what):
        nonlocal ok
        print('%s %s' % ('ok  ' if cond else 'FAIL', what))
        ok = ok and bool(cond)

    with tempfile.TemporaryDirectory(prefix='fsd-codepath-') as tmp:
        tmp = os.path.realpath(tmp)
        with open(os.path.join(tmp, 'refs.c'), 'w') as fh:
            fh.write(SOURCE)
        ko = os.path.join(tmp, 'fsd-test.ko')
        run(['gcc', '-O2', '-g', '-fno-optimize-sibling-calls', '-fno-reorder-blocks-and-partition', '-c', 'refs.c', '-o', ko], cwd=tmp, check=True)
        rules = os.path.join(tmp, 'rules')
        os.makedirs(os.path.join(rules, 'btrfs'))
        with open(os.path.join(rules, 'btrfs', 'test-code-path.yaml'), 'w') as fh:
            fh.write(RULE)
        sizes, calls = sites(ko)
        traps = [o for o, trap in calls.get('free_extent', []) if trap]
        # the call site in run_one whose inline chain goes through drop_tree
        tree_site = None
        for off, trap in calls.get('run_one', []):
            chain = addr2line(ko, 'run_one', off - 1, tmp)
            if not trap and [c[0] for c in chain] == ['run_one', 'pick_kind', 'drop_tree']:
                tree_site = (off, chain)
                break
        top_site = next((o for o, trap in calls.get('top_level', []) if not trap), None)
        if not traps or not tree_site or top_site is None:
            print('FAIL: the compiled object lacks the expected sites: %r' % calls)
            return 1
        log = os.path.join(tmp, 'path.log')
        write_log(log, sizes, traps[0], tree_site[0], top_site)
        args = ['--rules', rules]

        # without debuginfo: the trace's frames, the rule's steps between them
        p = analyze(fsdoctor, args, log)
        inc = incident(p.stdout)
        check(p.returncode == 1 and inc and inc['diagnosis']['rule_id'] == 'btrfs/test-code-path',
              'the test rule diagnoses the incident (exit %d, %s)' % (p.returncode, p.stderr.strip()))
        if not inc:
            return 1
        path = [(s['function'], s['source']) for s in inc['diagnosis']['code_path']]
        check(path == [('top_level', 'trace'), ('run_one', 'trace'), ('pick_kind', 'rule'), ('drop_data', 'rule'),
                       ('drop_tree', 'rule'), ('free_extent', 'trace'), ('search_slot', 'rule')],
              'without debuginfo: %s' % path)
        check(inc['diagnosis']['code_path_disagreements'] == [], 'without debuginfo: no disagreement')

        # with debuginfo: the inline chain at the call site decides
        p = analyze(fsdoctor, args + ['--debuginfo', ko], log)
        inc = incident(p.stdout)
        steps = inc['diagnosis']['code_path'] if inc else []
        got = [(s['function'], s['source']) for s in steps]
        check(got == [('top_level', 'trace'), ('run_one', 'trace'), ('pick_kind', 'inline-debuginfo'),
                      ('drop_tree', 'inline-debuginfo'), ('free_extent', 'trace'), ('search_slot', 'rule')],
              'with debuginfo: %s' % got)
        # the run_one .. drop_tree entries are eu-addr2line -i's chain at run_one+OFF-1
        mid = [(s['function'], s.get('file'), s.get('line')) for s in steps[1:4]]
        check(mid == tree_site[1], 'with debuginfo: the chain equals eu-addr2line -i: %s vs %s' % (mid, tree_site[1]))
        check(all(s['in_rule'] for s in steps), 'every step is one the rule names')
        check(steps and steps[4].get('note') is None and steps[3]['note']['en'] == 'tree drop: the other candidate',
              "the rule's notes stay on the matched steps")
        dis = inc['diagnosis']['code_path_disagreements'] if inc else []
        check(len(dis) == 1 and dis[0]['rule_function'] == 'drop_data' and dis[0]['after'] == 'pick_kind'
              and dis[0]['computed'] == 'pick_kind -> drop_tree' and dis[0]['debuginfo'] == ko
              and 'fsd-test.ko' in dis[0]['text']['en'] and dis[0]['text']['zh'],
              'drop_data is reported as a disagreement: %s' % dis)

        # text in both languages, and HTML
        en = analyze(fsdoctor, args + ['--debuginfo', ko], log, 'text', 'en').stdout
        zh = analyze(fsdoctor, args + ['--debuginfo', ko], log, 'text', 'zh').stdout
        check('inlined here: read from the debuginfo' in en and "the rule's path has drop_data after pick_kind" in en
              and 'refs.c:%d' % tree_site[1][2][2] in en, 'text (en) shows the computed path and the disagreement')
        check('规则的路径在 pick_kind 之后有 drop_data' in zh and '以计算出的路径为准' in zh,
              'text (zh) shows the disagreement')
        page = html.unescape(analyze(fsdoctor, args + ['--debuginfo', ko], log, 'html').stdout)
        check('data-source="inline-debuginfo"' in page and "the rule's path has drop_data after pick_kind" in page,
              'HTML shows the computed path and the disagreement')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
