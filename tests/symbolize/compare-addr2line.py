#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""fsdoctor analyze --debuginfo against eu-addr2line -i on objects compiled here.

A small C file with nested static inline functions and a trap on a cold path is compiled with
gcc -O2 -g twice: -c (ET_REL, relocated like a module .ko) and linked (an executable standing for
vmlinux). Every call instruction's return address is a frame "func+0xOFF/0xLEN [mod]" and the trap
is the RIP; the synthetic kernel log goes through `fsdoctor analyze --format=json --debuginfo`, and
each frame's chain (function, file, line, column, innermost first) must equal what
`eu-addr2line -f -i -e FILE func+0xOFF-1` prints (OFF for the RIP). Then: a wrong 0xLEN must be
refused, and a non-ELF file, a truncated ELF and an empty directory must give clear errors.
Exit 77 when gcc, objdump or eu-addr2line is missing.
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
extern void report(int);

static inline __attribute__((always_inline)) void check_limit(int v)
{
        if (__builtin_expect(v > 1000, 0))
                __builtin_trap();       /* what WARN()/BUG() compile to: ud2 on x86 */
        sink(v);
}

static inline __attribute__((always_inline)) int scale(int v)
{
        check_limit(v * 3);
        return sink(v + 1);
}

static inline __attribute__((always_inline)) int walk(int v, int n)
{
        int acc = 0;
        for (int i = 0; i < n; i++)
                acc += scale(v + i);
        return acc;
}

__attribute__((noinline)) int run_refs(int v)
{
        int r = walk(v, 3);
        report(r);
        return r + sink(r);
}

__attribute__((noinline)) int run_one(int v)
{
        if (v & 1)
                return scale(v) + run_refs(v);
        check_limit(v);
        return run_refs(v + 2);
}

int top_level(int v)
{
        return run_one(v) + walk(v, 2);
}
'''

MAIN = r'''
int sink(int v) { return v ^ 5; }
void report(int v) { (void) v; }
int top_level(int v);
int main(int argc, char **argv) { (void) argv; return top_level(argc); }
'''

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from objtools import FUNC_RE, INSN_RE, run, symbol_sizes  # noqa: E402


def frames_of(path):
    """(symbol, offset, size, is_trap) for every return address after a call and every trap."""
    sizes = symbol_sizes(path)
    out = []
    func = None
    insns = []
    dump = run(['objdump', '-d', '--no-show-raw-insn', path], check=True).stdout.splitlines()
    for line in dump + ['']:
        m = FUNC_RE.match(line)
        if m or line == '':
            if func in sizes:
                start, size = sizes[func]
                for i, (addr, mnem) in enumerate(insns):
                    if mnem.startswith('call') and i + 1 < len(insns):
                        out.append((func, insns[i + 1][0] - start, size, False))
                    elif mnem == 'ud2':
                        out.append((func, addr - start, size, True))
            func = m.group(2) if m else None
            insns = []
            continue
        m = INSN_RE.match(line)
        if m and func:
            insns.append((int(m.group(1), 16), m.group(2)))
    return out


def write_log(path, frames, module):
    tag = ' [%s]' % module if module else ''
    traps = [f for f in frames if f[3]]
    calls = [f for f in frames if not f[3]]
    lines = []
    t = 100
    for trap in traps or [None]:
        lines.append('[%d.000000] ------------[ cut here ]------------' % t)
        lines.append('[%d.000001] kernel BUG at t.c:7!' % t)
        lines.append('[%d.000002] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI' % t)
        lines.append('[%d.000003] CPU: 0 PID: 1 Comm: test Not tainted 6.1.0 #1' % t)
        if trap:
            lines.append('[%d.000004] RIP: 0010:%s+0x%x/0x%x%s' % (t, trap[0], trap[1], trap[2], tag))
        lines.append('[%d.000005] Call Trace:' % t)
        lines.append('[%d.000006]  <TASK>' % t)
        # every call site once: the first report holds them all, the others only their RIP
        for f in (calls if t == 100 else calls[:1]):
            lines.append('[%d.000007]  %s+0x%x/0x%x%s' % (t, f[0], f[1], f[2], tag))
        lines.append('[%d.000008]  </TASK>' % t)
        t += 1
    with open(path, 'w') as fh:
        fh.write('\n'.join(lines) + '\n')


def addr2line(path, symbol, offset, tmp):
    p = run(['eu-addr2line', '-f', '-i', '-e', path, '%s+0x%x' % (symbol, offset)], check=True)
    rows = p.stdout.splitlines()
    chain = []
    for k in range(0, len(rows) - 1, 2):
        func = rows[k].split(' ')[0]
        loc = rows[k + 1]
        if loc.startswith(tmp + '/'):
            loc = loc[len(tmp) + 1:]
        chain.append('%s %s' % (func, loc))
    return chain


def ours(loc, inlined):
    chain = []
    for e in list(reversed(inlined)) + [loc]:
        s = '%s %s:%d' % (e['function'], e['file'], e.get('line', 0))
        if e.get('column'):
            s += ':%d' % e['column']
        chain.append(s)
    return chain


def analyze(fsdoctor, args, log):
    return run([fsdoctor, 'analyze', '-q', '--format=json'] + args + [log])


def compare(fsdoctor, path, module, tmp, stats, strip=None):
    strip = strip or tmp
    frames = frames_of(path)
    if not any(not f[3] for f in frames) or not any(f[3] for f in frames):
        print('FAIL %s: expected call sites and a trap, found %r' % (path, frames))
        return False
    log = os.path.join(tmp, os.path.basename(path) + '.log')
    write_log(log, frames, module)
    p = analyze(fsdoctor, ['--debuginfo', path], log)
    if p.returncode != 1:
        print('FAIL %s: exit %d: %s' % (path, p.returncode, p.stderr))
        return False
    ok = True
    for line in p.stdout.splitlines():
        rep = json.loads(line)
        if rep.get('type') != 'report':
            continue
        checks = []
        rip = rep.get('rip_location')
        m = re.match(r'([^+]+)\+0x([0-9a-f]+)/', rep.get('rip', ''))
        if not rip or not m:
            print('FAIL %s: the RIP %r was not resolved' % (path, rep.get('rip')))
            ok = False
        else:
            checks.append((m.group(1), int(m.group(2), 16), rip['location'], rip['inlined']))
        for f in rep['frames']:
            if 'location' not in f:
                print('FAIL %s: frame %s+0x%x not resolved' % (path, f['func'], f['offset']))
                ok = False
                continue
            checks.append((f['func'] + f.get('suffix', ''), f['offset'] - 1, f['location'], f['inlined']))
        for symbol, offset, loc, inlined in checks:
            want = addr2line(path, symbol, offset, strip)
            got = ours(loc, inlined)
            stats['frames'] += 1
            stats['inlined'] += len(inlined)
            if want == got:
                stats['equal'] += 1
            else:
                print('MISMATCH %s %s+0x%x\n  eu-addr2line: %s\n  fsdoctor:     %s' % (path, symbol, offset, want, got))
                ok = False
    # the same log with every function size off by 0x10: another build, refused
    bad = log + '.wrong-size'
    with open(log) as src, open(bad, 'w') as dst:
        dst.write(re.sub(r'/0x([0-9a-f]+)', lambda mm: '/0x%x' % (int(mm.group(1), 16) + 0x10), src.read()))
    p = analyze(fsdoctor, ['--debuginfo', path], bad)
    if p.returncode != 2 or "does not belong to the log's kernel" not in p.stderr or p.stdout.strip():
        print('FAIL %s: wrong sizes not refused: exit %d, stderr %r, stdout %r' % (path, p.returncode, p.stderr, p.stdout[:200]))
        ok = False
    else:
        stats['refused'] += 1
    return ok


def bad_inputs(fsdoctor, tmp, ko, log):
    ok = True
    notelf = os.path.join(tmp, 'notelf.ko')
    with open(notelf, 'w') as fh:
        fh.write('this is not an ELF file\n' * 20)
    truncated = os.path.join(tmp, 'truncated.ko')
    with open(ko, 'rb') as src, open(truncated, 'wb') as dst:
        dst.write(src.read(300))
    headeronly = os.path.join(tmp, 'cut.ko')
    with open(ko, 'rb') as src, open(headeronly, 'wb') as dst:
        data = src.read()
        dst.write(data[:len(data) // 2])
    empty = os.path.join(tmp, 'empty-dir')
    os.mkdir(empty)
    stripped = os.path.join(tmp, 'stripped.ko')
    run(['objcopy', '--strip-debug', ko, stripped], check=True)
    cases = [
        (notelf, 'not a usable ELF file'),
        (truncated, 'truncated.ko'),
        (headeronly, 'cut.ko'),
        (empty, 'no vmlinux'),
        (stripped, 'no DWARF'),
        (os.path.join(tmp, 'missing.ko'), 'No such file'),
        (log, 'expected a vmlinux'),
    ]
    for path, expect in cases:
        p = analyze(fsdoctor, ['--debuginfo', path], log)
        if p.returncode != 2 or expect not in p.stderr:
            print('FAIL bad input %s: exit %d, stderr %r (expected %r)' % (path, p.returncode, p.stderr, expect))
            ok = False
        else:
            print('ok   bad input %s: %s' % (os.path.basename(path), p.stderr.strip()))
    return ok


def html_has_lines(fsdoctor, debuginfo, log):
    """--format=html shows every file:line the JSON resolves, each inlined call marked."""
    j = analyze(fsdoctor, ['--debuginfo', debuginfo], log)
    want = set()

    def walk(o):
        if isinstance(o, dict):
            if isinstance(o.get('file'), str) and isinstance(o.get('line'), int) and o.get('line'):
                want.add('%s:%d' % (o['file'], o['line']))
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    for line in j.stdout.splitlines():
        o = json.loads(line)
        if o.get('type') == 'report':
            walk({k: o.get(k) for k in ('frames', 'rip_location')})
    h = run([fsdoctor, 'analyze', '-q', '--format=html', '--debuginfo', debuginfo, log])
    page = html.unescape(h.stdout)
    missing = sorted(w for w in want if w not in page)
    if h.returncode != 1 or 'source-lines' not in page or not want or missing:
        print('FAIL html: exit %d, %d locations, missing %s' % (h.returncode, len(want), missing[:5]))
        return False
    print('html: all %d resolved locations on the page' % len(want))
    return True


def main():
    fsdoctor = sys.argv[1]
    for tool in ('gcc', 'objdump', 'objcopy', 'nm', 'eu-addr2line'):
        if not shutil.which(tool):
            print('SKIP: %s not installed' % tool)
            return 77
    stats = {'frames': 0, 'equal': 0, 'inlined': 0, 'refused': 0}
    with tempfile.TemporaryDirectory(prefix='fsd-symbolize-') as tmp:
        tmp = os.path.realpath(tmp)
        with open(os.path.join(tmp, 'refs.c'), 'w') as fh:
            fh.write(SOURCE)
        with open(os.path.join(tmp, 'main.c'), 'w') as fh:
            fh.write(MAIN)
        ko = os.path.join(tmp, 'fsd-test.ko')
        exe = os.path.join(tmp, 'vmlinux-test')
        # the compilation directory is tmp, as the kernel's build directory is for its objects
        run(['gcc', '-O2', '-g', '-c', 'refs.c', '-o', ko], cwd=tmp, check=True)
        run(['gcc', '-O2', '-g', 'refs.c', 'main.c', '-o', exe], cwd=tmp, check=True)
        ok = compare(fsdoctor, ko, 'fsd_test', tmp, stats)
        ok = compare(fsdoctor, exe, None, tmp, stats) and ok
        # a directory finds both the module and the kernel image
        ok = bad_inputs(fsdoctor, tmp, ko, os.path.join(tmp, 'fsd-test.ko.log')) and ok
        p = analyze(fsdoctor, ['--debuginfo', tmp], os.path.join(tmp, 'fsd-test.ko.log'))
        if p.returncode != 1 or '"location"' not in p.stdout:
            print('FAIL directory lookup: exit %d, %s' % (p.returncode, p.stderr))
            ok = False
        ok = html_has_lines(fsdoctor, ko, os.path.join(tmp, 'fsd-test.ko.log')) and ok
    print('frames compared with eu-addr2line -i: %d, equal chains: %d, inlined entries: %d, wrong sizes refused: %d'
          % (stats['frames'], stats['equal'], stats['inlined'], stats['refused']))
    if stats['inlined'] == 0:
        print('FAIL: no inline frame was compared: the test proves nothing')
        ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
