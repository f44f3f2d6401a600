# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers for the watch tests: a real daemon on a temporary database, kernel messages written to
/dev/kmsg, the real metrics endpoint, the real SQLite file. Every daemon started here is killed and
every temporary directory removed when the test ends, pass or fail."""
import atexit
import ctypes
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

FSDOCTOR = os.environ.get('FSDOCTOR', 'fsdoctor')
_daemons = []
_dirs = []


def skip(why):
    print('SKIP:', why)
    sys.exit(77)


def fail(why):
    print('FAIL:', why)
    sys.exit(1)


def require_root():
    if os.geteuid() != 0:
        skip('needs root (reads and writes /dev/kmsg)')
    if not os.access('/dev/kmsg', os.R_OK | os.W_OK):
        skip('no /dev/kmsg')


def tempdir():
    d = tempfile.mkdtemp(prefix='fsdoctor-watch.')
    _dirs.append(d)
    return d


def tag(name):
    """A device name no other test (or run) uses: tests share the kernel's ring buffer."""
    return 'fsdw%s%d%04d' % (name, os.getpid() % 100000, int(time.time() * 1000) % 10000)


def kmsg(*lines, level=3):
    """Each line in its own open of /dev/kmsg: the kernel rate-limits writers per open file."""
    for line in lines:
        fd = os.open('/dev/kmsg', os.O_WRONLY)
        try:
            os.write(fd, ('<%d>%s\n' % (level, line)).encode())
        finally:
            os.close(fd)


def btrfs_readonly_lines(dev):
    return ['BTRFS: error (device %s) in __btrfs_free_extent:6805: errno=-28 No space left' % dev,
            'BTRFS info (device %s): forced readonly' % dev]


def kmsg_find(substr):
    """{text: sequence number} of the records in the ring now whose text contains substr."""
    found = {}
    fd = os.open('/dev/kmsg', os.O_RDONLY | os.O_NONBLOCK)
    try:
        while True:
            try:
                rec = os.read(fd, 16384).decode(errors='replace')
            except BrokenPipeError:
                continue  # overwritten under us: go on with the next record
            except BlockingIOError:
                return found
            head, _, text = rec.partition(';')
            if substr in text:
                found[text.split('\n')[0]] = int(head.split(',')[1])
    finally:
        os.close(fd)


def kmsg_seq_now():
    """The sequence number of a marker written now: the records after it are the caller's."""
    marker = 'fsdoctor watch test marker %d %f' % (os.getpid(), time.time())
    kmsg(marker, level=6)
    seqs = kmsg_find(marker)
    if not seqs:
        fail('marker not found in /dev/kmsg')
    return max(seqs.values())


def lost_by_daemon(daemon, seqs):
    """Whether the daemon reported any of these sequence numbers lost (its stderr names each loss:
    "N kernel messages lost before sequence S (wrapped|overrun)", records S-N .. S-1)."""
    err = open(daemon.err_path).read()
    gaps = [(int(m.group(2)) - int(m.group(1)), int(m.group(2)))
            for m in re.finditer(r'(\d+) kernel messages lost before sequence (\d+)', err)]
    return any(lo <= s < hi for s in seqs for lo, hi in gaps)


def ring_buffer_size():
    libc = ctypes.CDLL(None, use_errno=True)
    n = libc.klogctl(10, None, 0)  # SYSLOG_ACTION_SIZE_BUFFER
    return n if n > 0 else 1 << 20


class Daemon:
    def __init__(self, db, *args, listen='127.0.0.1:0', prefix=()):
        self.db = db
        self.out_path = db + '.out.%d' % len(_daemons)
        self.err_path = db + '.err.%d' % len(_daemons)
        self.out = open(self.out_path, 'w')
        self.err = open(self.err_path, 'w')
        cmd = list(prefix) + [FSDOCTOR, '--lang=en', 'watch', '--db=' + db, '--listen=' + listen,
                              '--format=json'] + list(args)
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=self.err)
        _daemons.append(self)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline:
            text = open(self.err_path).read()
            m = re.search(r'metrics on port (\d+)', text)
            if m:
                self.port = int(m.group(1))
                break
            if 'watching /dev/kmsg' in text:
                break
            if self.proc.poll() is not None:
                fail('watch exited %s at start: %s' % (self.proc.returncode, text))
            time.sleep(0.02)
        else:
            fail('watch did not start within 20 s')

    def events(self):
        res = []
        text = open(self.out_path).read()
        # the daemon may be half-way through writing the last line: only complete lines count
        for line in text.split('\n')[:-1]:
            line = line.strip()
            if line:
                res.append(json.loads(line))
        return res

    def events_for(self, dev):
        return [e for e in self.events() if e.get('incident', {}) and e['incident'].get('device') == dev
                or e.get('state') == 'cleared' and dev in json.dumps(e)]

    def wait_for(self, pred, timeout=10, what='condition'):
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = pred()
            if v:
                return v
            if self.proc.poll() is not None:
                fail('watch exited %s while waiting for %s: %s' % (self.proc.returncode, what, open(self.err_path).read()))
            time.sleep(0.01)
        fail('timed out waiting for %s; stderr: %s' % (what, open(self.err_path).read()[-2000:]))

    def metrics(self):
        with urllib.request.urlopen('http://127.0.0.1:%d/metrics' % self.port, timeout=5) as r:
            return r.read().decode()

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                fail('watch did not stop within %d s of signal %d' % (timeout, sig))
        return self.proc.returncode


def metric_value(text, name, **labels):
    """Value of the series name{labels...} (a subset match), or None."""
    for line in text.splitlines():
        if line.startswith('#') or not line.startswith(name):
            continue
        m = re.match(r'^([a-z_:]+)(\{(.*)\})? (\S+)$', line)
        if not m or m.group(1) != name:
            continue
        have = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(3) or ''))
        if all(have.get(k) == v for k, v in labels.items()):
            return float(m.group(4))
    return None


def db_rows(db, sql, *args):
    con = sqlite3.connect('file:%s?mode=ro' % db, uri=True, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


# ---- lab tests: real filesystems on loop devices, undone at exit, pass or fail
_mounts = []
_loops = []


def sh(*cmd, check=True):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if check and p.returncode != 0:
        fail('%s: exit %d: %s' % (' '.join(cmd), p.returncode, p.stderr.strip()))
    return p


def lab_loop(img):
    """A loop device over the image file, detached at exit."""
    loop = sh('losetup', '--find', '--show', img).stdout.strip()
    _loops.append(loop)
    return loop


def lab_detach(loop):
    sh('losetup', '-d', loop, check=False)  # (another test may have detached it already)
    _loops.remove(loop)


def lab_mount(src, dst, *opts):
    """mount [opts] src dst, unmounted at exit."""
    os.makedirs(dst, exist_ok=True)
    sh('mount', *opts, src, dst)
    _mounts.append(dst)
    return dst


def lab_umount(dst):
    sh('umount', dst)
    _mounts.remove(dst)


@atexit.register
def _cleanup():
    for d in _daemons:
        if d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait()
    for m in reversed(_mounts):
        subprocess.run(['umount', '-l', m], capture_output=True)
    for l in _loops:
        subprocess.run(['losetup', '-d', l], capture_output=True)
    for d in _dirs:
        shutil.rmtree(d, ignore_errors=True)
