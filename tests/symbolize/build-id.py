#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--debuginfo refuses a file of another build: build ids where the log prints them, sizes otherwise.

Objects are compiled here with gcc -O2 -g: a module (-c, then ld -r --build-id: ET_REL with a GNU
build-id note, as kbuild links a .ko), its --only-keep-debug copy (.ko.debug) and a linked
executable with a build id standing for vmlinux. Their build ids are read with readelf -n. A log
in the form CONFIG_STACKTRACE_BUILD_ID prints (vmlinux's id at the end of the CPU: line,
"func+0x../0x.. [mod BUILDID]" for module frames and the RIP) must resolve with the right files,
and be refused (exit 2) with a message naming both build ids when either id differs, and naming
both sizes when the log has no build id and a function size differs.
Exit 77 when gcc, ld, objcopy, objdump, nm or readelf is missing.
"""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def load_compare():
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location('compare', os.path.join(here, 'compare-addr2line.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def build_id(path):
    out = subprocess.run(['readelf', '-n', path], capture_output=True, text=True, check=True).stdout
    m = re.search(r'Build ID: ([0-9a-f]+)', out)
    return m.group(1) if m else None


def write_log(path, vmlinux_id, mod_frames, mod_id, kernel_frames):
    tag = lambda: ' [fsd_test %s]' % mod_id if mod_id else ' [fsd_test]'
    trap = next(f for f in mod_frames if f[3])
    calls = [f for f in mod_frames if not f[3]]
    lines = ['------------[ cut here ]------------',
             'kernel BUG at refs.c:7!',
             'invalid opcode: 0000 [#1] PREEMPT SMP NOPTI',
             'CPU: 0 PID: 1 Comm: test Not tainted 6.1.0-test #1 Debian 6.1.0-1%s'
             % (' ' + vmlinux_id if vmlinux_id else ''),
             'RIP: 0010:%s+0x%x/0x%x%s' % (trap[0], trap[1], trap[2], tag()),
             'Call Trace:', ' <TASK>']
    lines += [' %s+0x%x/0x%x%s' % (f[0], f[1], f[2], tag()) for f in calls[:3]]
    lines += [' %s+0x%x/0x%x' % (f[0], f[1], f[2]) for f in kernel_frames[:2]]
    lines += [' </TASK>']
    with open(path, 'w') as fh:
        fh.write(''.join('[100.%06d] %s\n' % (i, l) for i, l in enumerate(lines)))


def main():
    fsdoctor = sys.argv[1]
    for tool in ('gcc', 'ld', 'objcopy', 'objdump', 'nm', 'readelf'):
        if not shutil.which(tool):
            print('SKIP: %s not installed' % tool)
            return 77
    compare = load_compare()
    ok = True

    def check(cond, what):
        nonlocal ok
        print('%s %s' % ('ok  ' if cond else 'FAIL', what))
        ok = ok and bool(cond)

    def analyze(args, log):
        return subprocess.run([fsdoctor, 'analyze', '-q', '--format=json'] + args + [log],
                              capture_output=True, text=True)

    with tempfile.TemporaryDirectory(prefix='fsd-buildid-') as tmp:
        for name, text in (('refs.c', compare.SOURCE), ('main.c', compare.MAIN)):
            with open(os.path.join(tmp, name), 'w') as fh:
                fh.write(text)
        obj, ko = os.path.join(tmp, 'refs.o'), os.path.join(tmp, 'fsd-test.ko')
        dbg, vmlinux = os.path.join(tmp, 'fsd-test.ko.debug'), os.path.join(tmp, 'vmlinux-test')
        subprocess.run(['gcc', '-O2', '-g', '-c', 'refs.c', '-o', obj], cwd=tmp, check=True)
        subprocess.run(['ld', '-r', '--build-id=sha1', obj, '-o', ko], cwd=tmp, check=True)
        subprocess.run(['objcopy', '--only-keep-debug', ko, dbg], check=True)
        subprocess.run(['gcc', '-O2', '-g', '-Wl,--build-id=sha1', 'refs.c', 'main.c', '-o', vmlinux], cwd=tmp,
                       check=True)
        mod_id, vm_id = build_id(ko), build_id(vmlinux)
        check(mod_id and vm_id and build_id(dbg) == mod_id, 'readelf -n: module %s, vmlinux %s' % (mod_id, vm_id))
        if not mod_id or not vm_id:
            return 1
        mod_frames = compare.frames_of(ko)
        kernel_frames = [f for f in compare.frames_of(vmlinux) if not f[3] and f[0] in ('run_one', 'top_level')]
        if not any(f[3] for f in mod_frames) or not kernel_frames:
            print('FAIL: no trap or call sites in the compiled objects')
            return 1
        wrong = lambda i: i[:-1] + ('0' if i[-1] != '0' else '1')

        log = os.path.join(tmp, 'right.log')
        write_log(log, vm_id, mod_frames, mod_id, kernel_frames)
        for files in ([ko, vmlinux], [dbg, vmlinux]):
            p = analyze(sum((['--debuginfo', f] for f in files), []), log)
            rep = json.loads(p.stdout.splitlines()[0]) if p.returncode == 1 and p.stdout else {}
            resolved = [f for f in rep.get('frames', []) if 'location' in f]
            check(rep.get('build_id') == vm_id and all(f.get('build_id') == mod_id for f in rep.get('frames', [])
                                                       if f.get('module'))
                  and 'rip_location' in rep and len(resolved) == len(rep.get('frames', [])),
                  'right build ids (%s): report and frames carry them, every frame resolved (%d), exit %d %s'
                  % (os.path.basename(files[0]), len(resolved), p.returncode, p.stderr.strip()))

        # the module's build id differs: refused, naming both
        bad = os.path.join(tmp, 'wrong-module.log')
        write_log(bad, vm_id, mod_frames, wrong(mod_id), kernel_frames)
        p = analyze(['--debuginfo', ko, '--debuginfo', vmlinux], bad)
        check(p.returncode == 2 and not p.stdout and wrong(mod_id) in p.stderr and mod_id in p.stderr
              and "does not belong to the log's kernel" in p.stderr,
              'module build id differs: refused: %s' % p.stderr.strip())

        # vmlinux's build id differs: refused, naming both
        bad = os.path.join(tmp, 'wrong-vmlinux.log')
        write_log(bad, wrong(vm_id), mod_frames, mod_id, kernel_frames)
        p = analyze(['--debuginfo', ko, '--debuginfo', vmlinux], bad)
        check(p.returncode == 2 and not p.stdout and wrong(vm_id) in p.stderr and vm_id in p.stderr,
              'vmlinux build id differs: refused: %s' % p.stderr.strip())

        # no build ids in the log: the function sizes decide, and the message names both sizes
        log = os.path.join(tmp, 'no-id.log')
        write_log(log, None, mod_frames, None, kernel_frames)
        p = analyze(['--debuginfo', ko], log)
        check(p.returncode == 1 and '"location"' in p.stdout, 'no build ids, right sizes: resolved')
        with open(log) as src:
            text = src.read()
        trap = next(f for f in mod_frames if f[3])
        text = text.replace('/0x%x [fsd_test]' % trap[2], '/0x%x [fsd_test]' % (trap[2] + 0x20))
        with open(log, 'w') as dst:
            dst.write(text)
        p = analyze(['--debuginfo', ko], log)
        check(p.returncode == 2 and ('0x%x' % trap[2]) in p.stderr and ('0x%x' % (trap[2] + 0x20)) in p.stderr,
              'no build ids, a size differs: refused naming both sizes: %s' % p.stderr.strip())
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
