#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""analyze finds debuginfo by kernel release in the usual places (--debuginfo-auto).

A debug root is laid out in a temporary directory as Debian's debug packages lay out
/usr/lib/debug: lib/modules/RELEASE/kernel/.../fsd-test.ko (compiled here with gcc -O2 -g, linked
with ld -r --build-id like a .ko) and boot/vmlinux-RELEASE (a linked executable standing for the
image). FSDOCTOR_DEBUG_ROOT points analyze at it. Checked: --debuginfo-auto resolves module and
image frames (also from a root holding only the .build-id/ index, by the ids the log prints);
without it a log of another kernel is left alone, a log of the running kernel's
release is resolved anyway; a release missing from the root gives a warning naming both paths;
files of another build (build id) are set aside with a warning, exit 1, not refused.
Exit 77 when gcc, ld, objcopy, objdump, nm or readelf is missing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

RELEASE = '6.1.0-test'


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from objtools import load  # noqa: E402


def main():
    fsdoctor = sys.argv[1]
    for tool in ('gcc', 'ld', 'objcopy', 'objdump', 'nm', 'readelf'):
        if not shutil.which(tool):
            print('SKIP: %s not installed' % tool)
            return 77
    compare, bid = load('compare-addr2line'), load('build-id')
    ok = True

    def check(cond, what):
        nonlocal ok
        print('%s %s' % ('ok  ' if cond else 'FAIL', what))
        ok = ok and bool(cond)

    with tempfile.TemporaryDirectory(prefix='fsd-debugroot-') as tmp:
        for name, text in (('refs.c', compare.SOURCE), ('main.c', compare.MAIN)):
            with open(os.path.join(tmp, name), 'w') as fh:
                fh.write(text)
        obj, ko = os.path.join(tmp, 'refs.o'), os.path.join(tmp, 'fsd-test.ko')
        vmlinux = os.path.join(tmp, 'vmlinux')
        subprocess.run(['gcc', '-O2', '-g', '-c', 'refs.c', '-o', obj], cwd=tmp, check=True)
        subprocess.run(['ld', '-r', '--build-id=sha1', obj, '-o', ko], cwd=tmp, check=True)
        subprocess.run(['gcc', '-O2', '-g', '-Wl,--build-id=sha1', 'refs.c', 'main.c', '-o', vmlinux], cwd=tmp,
                       check=True)
        mod_id, vm_id = bid.build_id(ko), bid.build_id(vmlinux)
        mod_frames = compare.frames_of(ko)
        kernel_frames = [f for f in compare.frames_of(vmlinux) if not f[3] and f[0] in ('run_one', 'top_level')]

        root = os.path.join(tmp, 'debug')

        def install(release):
            mdir = os.path.join(root, 'lib', 'modules', release, 'kernel', 'fs', 'fsd_test')
            os.makedirs(mdir, exist_ok=True)
            os.makedirs(os.path.join(root, 'boot'), exist_ok=True)
            shutil.copy(ko, os.path.join(mdir, 'fsd-test.ko'))
            shutil.copy(vmlinux, os.path.join(root, 'boot', 'vmlinux-' + release))

        def log_for(release, name, module_id=mod_id):
            path = os.path.join(tmp, name)
            bid.write_log(path, vm_id, mod_frames, module_id, kernel_frames)
            with open(path) as fh:
                text = fh.read().replace('6.1.0-test', release)
            with open(path, 'w') as fh:
                fh.write(text)
            return path

        def analyze(args, log):
            env = dict(os.environ, FSDOCTOR_DEBUG_ROOT=root)
            env.pop("DEBUGINFOD_URLS", None)  # no network: the debuginfod test has its own server
            p = subprocess.run([fsdoctor, 'analyze', '--format=json'] + args + [log], capture_output=True,
                               text=True, env=env)
            rep = json.loads(p.stdout.splitlines()[0]) if p.stdout.strip() else {}
            frames = rep.get('frames', [])
            resolved = [f for f in frames if 'location' in f]
            return p, rep, frames, resolved

        install(RELEASE)
        log = log_for(RELEASE, 'other.log')
        p, rep, frames, resolved = analyze(['--debuginfo-auto'], log)
        check(p.returncode == 1 and frames and len(resolved) == len(frames) and 'rip_location' in rep
              and any(f.get('module') for f in resolved) and any(not f.get('module') for f in resolved),
              '--debuginfo-auto: module and image frames resolved from the debug root (%d/%d) %s'
              % (len(resolved), len(frames), p.stderr.strip()[-200:]))
        p, rep, frames, resolved = analyze([], log)
        check(p.returncode == 1 and frames and not resolved,
              'without the option, a log of another kernel (%s) is left alone' % RELEASE)

        running = os.uname().release
        install(running)
        p, rep, frames, resolved = analyze([], log_for(running, 'running.log'))
        check(p.returncode == 1 and frames and len(resolved) == len(frames),
              "the running kernel's release (%s) is looked up without the option" % running)

        p, rep, frames, resolved = analyze(['--debuginfo-auto'], log_for('6.1.0-absent', 'absent.log'))
        check(p.returncode == 1 and not resolved and 'lib/modules/6.1.0-absent' in p.stderr
              and 'boot/vmlinux-6.1.0-absent' in p.stderr,
              'a release missing from the root: a warning naming both paths: %s' % p.stderr.strip()[-300:])

        # only the build-id index (ROOT/.build-id/xx/rest.debug, as debug packages install it):
        # found by the ids the log prints
        root = os.path.join(tmp, 'debug-by-id')
        for path, i in ((ko, mod_id), (vmlinux, vm_id)):
            d = os.path.join(root, '.build-id', i[:2])
            os.makedirs(d, exist_ok=True)
            subprocess.run(['objcopy', '--only-keep-debug', path, os.path.join(d, i[2:] + '.debug')], check=True)
        p, rep, frames, resolved = analyze(['--debuginfo-auto'], log_for('6.1.0-by-id', 'by-id.log'))
        check(p.returncode == 1 and frames and len(resolved) == len(frames)
              and all('.build-id' in f['location']['debuginfo'] for f in resolved),
              'a root with only .build-id/: module and image found by the build ids the log prints (%d/%d) %s'
              % (len(resolved), len(frames), p.stderr.strip()[-200:]))
        root = os.path.join(tmp, 'debug')

        wrong = mod_id[:-1] + ('0' if mod_id[-1] != '0' else '1')
        p, rep, frames, resolved = analyze(['--debuginfo-auto'], log_for(RELEASE, 'wrong.log', wrong))
        check(p.returncode == 1 and not resolved and 'not used' in p.stderr and wrong in p.stderr and mod_id in p.stderr,
              'another build found there: set aside with a warning naming both ids, exit 1: %s'
              % p.stderr.strip()[-300:])
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
