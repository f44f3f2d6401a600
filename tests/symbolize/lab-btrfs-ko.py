#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""--debuginfo on a real kernel module: btrfs.ko from Debian's 6.1 cloud kernel debug package.

The one file is extracted from the .deb (dpkg-deb --fsys-tarfile, never installed) into a
temporary directory. Every call site of __btrfs_run_delayed_refs, btrfs_run_delayed_refs and
__btrfs_free_extent (and their .cold parts, where the WARN/BUG traps sit) becomes a frame of a
synthetic report; each frame's inline chain must equal eu-addr2line -f -i on the same file, and
a wrong function size must be refused (compare-addr2line.py does both).
The package is looked for in $FSDOCTOR_KERNEL_DBG_DEB, then in /var/cache/apt/archives; the
test skips (77) when it is not there (it is ~280 MB: CI does not download it) or a tool is missing.
"""
import glob
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

FUNCTIONS = ('__btrfs_run_delayed_refs', 'btrfs_run_delayed_refs', '__btrfs_free_extent')


def find_deb():
    env = os.environ.get('FSDOCTOR_KERNEL_DBG_DEB')
    if env and os.path.exists(env):
        return env
    debs = sorted(glob.glob('/var/cache/apt/archives/linux-image-6.1.*-cloud-amd64-dbg_*.deb'))
    return debs[-1] if debs else None


def main():
    fsdoctor = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location('compare', os.path.join(here, 'compare-addr2line.py'))
    compare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(compare)
    for tool in ('dpkg-deb', 'tar', 'objdump', 'nm', 'eu-addr2line'):
        if not shutil.which(tool):
            print('SKIP: %s not installed' % tool)
            return 77
    deb = find_deb() or os.environ.get('FSDOCTOR_BTRFS_KO')
    if not deb:
        print('SKIP: no linux-image-6.1.*-cloud-amd64-dbg .deb (set FSDOCTOR_KERNEL_DBG_DEB)')
        return 77
    with tempfile.TemporaryDirectory(prefix='fsd-btrfs-ko-') as tmp:
        given = os.environ.get('FSDOCTOR_BTRFS_KO')  # an already extracted copy, for development
        if given:
            shutil.copy(given, os.path.join(tmp, 'btrfs.ko'))
        tar = None if given else subprocess.Popen(['dpkg-deb', '--fsys-tarfile', deb], stdout=subprocess.PIPE)
        if tar:
            subprocess.run(['tar', '-x', '-C', tmp, '--wildcards', '*/kernel/fs/btrfs/btrfs.ko'],
                           stdin=tar.stdout, check=True)
            tar.stdout.close()
            tar.wait()
        kos = glob.glob(os.path.join(tmp, '**', 'btrfs.ko'), recursive=True)
        if not kos:
            print('SKIP: %s holds no btrfs.ko' % deb)
            return 77
        ko = kos[0]
        frames_of = compare.frames_of

        def only_delayed_refs(path):
            return [f for f in frames_of(path) if f[0].split('.')[0] in FUNCTIONS]
        compare.frames_of = only_delayed_refs
        stats = {'frames': 0, 'equal': 0, 'inlined': 0, 'refused': 0}
        # eu-addr2line prints the build's absolute paths: fsdoctor's are relative to the
        # compilation directory, which compare() strips as it strips its own temporary directory
        dump = subprocess.Popen(['eu-readelf', '--debug-dump=info', ko], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        build_dir = None
        for line in dump.stdout:
            if 'comp_dir' in line and '"' in line:
                build_dir = line.split('"')[1]
                break
        dump.kill()
        dump.wait()
        ok = compare.compare(fsdoctor, ko, 'btrfs', tmp, stats, build_dir)
    print('btrfs.ko (%s): frames compared with eu-addr2line -i: %d, equal chains: %d, inlined entries: %d, '
          'wrong sizes refused: %d' % (os.path.basename(deb), stats['frames'], stats['equal'], stats['inlined'],
                                       stats['refused']))
    if stats['frames'] == 0 or stats['inlined'] == 0:
        print('FAIL: nothing was compared')
        ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
