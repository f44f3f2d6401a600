#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--debuginfo-auto fetches debuginfo by build id from a real debuginfod server (DEBUGINFOD_URLS).

A module (gcc -O2 -g -c, ld -r --build-id, like a .ko) and a linked executable standing for
vmlinux are compiled here and served by elfutils' debuginfod (-F on their directory, on a free
local port). With an empty debug root, a log printing their build ids (CONFIG_STACKTRACE_BUILD_ID)
must resolve every frame from files the client fetched into DEBUGINFOD_CACHE_PATH; without
DEBUGINFOD_URLS nothing is asked and nothing resolves.
Exit 77 when debuginfod, gcc, ld, objcopy, objdump, nm or readelf is missing, or the server
does not come up.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

RELEASE = '6.1.0-test'


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from objtools import load  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def main():
    fsdoctor = sys.argv[1]
    for tool in ('debuginfod', 'gcc', 'ld', 'objcopy', 'objdump', 'nm', 'readelf'):
        if not shutil.which(tool):
            print('SKIP: %s not installed' % tool)
            return 77
    compare, bid = load('compare-addr2line'), load('build-id')
    ok = True

    def check(cond, what):
        nonlocal ok
        print('%s %s' % ('ok  ' if cond else 'FAIL', what))
        ok = ok and bool(cond)

    with tempfile.TemporaryDirectory(prefix='fsd-debuginfod-') as tmp:
        srv = os.path.join(tmp, 'srv')
        os.mkdir(srv)
        for name, text in (('refs.c', compare.SOURCE), ('main.c', compare.MAIN)):
            with open(os.path.join(srv, name), 'w') as fh:
                fh.write(text)
        obj, ko, vmlinux = (os.path.join(srv, n) for n in ('refs.o', 'fsd-test.ko', 'vmlinux-test'))
        subprocess.run(['gcc', '-O2', '-g', '-c', 'refs.c', '-o', obj], cwd=srv, check=True)
        subprocess.run(['ld', '-r', '--build-id=sha1', obj, '-o', ko], cwd=srv, check=True)
        os.unlink(obj)
        subprocess.run(['gcc', '-O2', '-g', '-Wl,--build-id=sha1', 'refs.c', 'main.c', '-o', vmlinux], cwd=srv,
                       check=True)
        mod_id, vm_id = bid.build_id(ko), bid.build_id(vmlinux)
        mod_frames = compare.frames_of(ko)
        kernel_frames = [f for f in compare.frames_of(vmlinux) if not f[3] and f[0] in ('run_one', 'top_level')]
        log = os.path.join(tmp, 'ids.log')
        bid.write_log(log, vm_id, mod_frames, mod_id, kernel_frames)

        port = free_port()
        server = subprocess.Popen(['debuginfod', '-F', srv, '-p', str(port), '-d', os.path.join(tmp, 'db.sqlite'),
                                   '-t', '0', '-g', '0'],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = 'http://127.0.0.1:%d' % port
            ready = False
            for _ in range(150):
                try:
                    with urllib.request.urlopen('%s/buildid/%s/debuginfo' % (url, mod_id), timeout=2) as r:
                        ready = r.status == 200
                except OSError:
                    pass
                if ready or server.poll() is not None:
                    break
                time.sleep(0.2)
            if not ready:
                print('SKIP: debuginfod did not serve %s within 30 s' % mod_id)
                return 77
            cache = os.path.join(tmp, 'cache')
            env = dict(os.environ, FSDOCTOR_DEBUG_ROOT=os.path.join(tmp, 'empty-root'),
                       DEBUGINFOD_URLS=url, DEBUGINFOD_CACHE_PATH=cache)
            p = subprocess.run([fsdoctor, 'analyze', '--format=json', '--debuginfo-auto', log],
                               capture_output=True, text=True, env=env, timeout=120)
            rep = json.loads(p.stdout.splitlines()[0]) if p.stdout.strip() else {}
            frames = rep.get('frames', [])
            resolved = [f for f in frames if 'location' in f]
            check(p.returncode == 1 and frames and len(resolved) == len(frames) and 'rip_location' in rep
                  and all(f['location']['debuginfo'].startswith(cache) for f in resolved),
                  'module and image fetched by build id from debuginfod into its cache (%d/%d) %s'
                  % (len(resolved), len(frames), p.stderr.strip()[-300:]))
            env.pop('DEBUGINFOD_URLS')
            p = subprocess.run([fsdoctor, 'analyze', '--format=json', '--debuginfo-auto', log],
                               capture_output=True, text=True, env=env, timeout=120)
            check(p.returncode == 1 and '"location"' not in p.stdout and 'no debuginfo' in p.stderr,
                  'without DEBUGINFOD_URLS no server is asked: %s' % p.stderr.strip()[-200:])
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
