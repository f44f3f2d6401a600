#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""fsdoctor watch: latency from a kernel line to the incident in the metrics endpoint, and CPU and
RSS under a flood of kernel lines, each against a reference run in the same script (see
bench/README.md). Root only: it writes to /dev/kmsg.

  bench/watch/bench-watch.py [BUILD_DIR]      (env: SAMPLES=100 RATE=6400 DURATION=30)
"""
import http.client
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time

build = sys.argv[1] if len(sys.argv) > 1 else 'build'
fsdoctor = os.path.join(build, 'src', 'fsdoctor')
SAMPLES = int(os.environ.get('SAMPLES', 100))
RATE = int(os.environ.get('RATE', 6400))
DURATION = float(os.environ.get('DURATION', 30))
if os.geteuid() != 0:
    sys.exit('bench-watch: needs root (writes /dev/kmsg)')
tmp = tempfile.mkdtemp(prefix='fsdoctor-bench-watch.')
CLK = os.sysconf('SC_CLK_TCK')


def kmsg_write(fd, line, level=3):
    os.write(fd, ('<%d>%s\n' % (level, line)).encode())


def cpu_seconds(pid):
    f = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
    return (int(f[11]) + int(f[12])) / CLK


def rss_kib(pid):
    m = re.search(r'VmRSS:\s+(\d+)', open('/proc/%d/status' % pid).read())
    return int(m.group(1)) if m else 0


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


# no rate limit for the writer (restored at exit)
devkmsg = open('/proc/sys/kernel/printk_devkmsg').read().strip()
open('/proc/sys/kernel/printk_devkmsg', 'w').write('on\n')
daemon = None
try:
    err = open(os.path.join(tmp, 'err'), 'w')
    daemon = subprocess.Popen([fsdoctor, '--lang=en', 'watch', '--db=' + os.path.join(tmp, 'h.db'),
                               '--listen=127.0.0.1:0', '--format=json', '--quiet-time=2'],
                              stdout=subprocess.DEVNULL, stderr=err)
    port = None
    for _ in range(500):
        m = re.search(r'metrics on port (\d+)', open(os.path.join(tmp, 'err')).read())
        if m:
            port = int(m.group(1))
            break
        time.sleep(0.02)
    if not port:
        sys.exit('bench-watch: the daemon did not start: ' + open(os.path.join(tmp, 'err')).read())
    wfd = os.open('/dev/kmsg', os.O_WRONLY)

    # ---- 1. latency: the read-only line -> fsdoctor_filesystem_read_only{device} 1 at /metrics;
    # reference: a plain poll() reader of /dev/kmsg seeing the same line (the kernel's own floor)
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
    rfd = os.open('/dev/kmsg', os.O_RDONLY | os.O_NONBLOCK)
    os.lseek(rfd, 0, os.SEEK_END)
    lat_fsd, lat_ref = [], []
    for i in range(SAMPLES):
        dev = 'fsdwbench%d_%d' % (os.getpid(), i)
        kmsg_write(wfd, 'BTRFS: error (device %s) in __btrfs_free_extent:6805: errno=-28 No space left' % dev)
        time.sleep(0.005)
        needle = 'fsdoctor_filesystem_read_only{device="%s",fstype="btrfs"} 1' % dev
        t0 = time.perf_counter()
        kmsg_write(wfd, 'BTRFS info (device %s): forced readonly' % dev, 6)
        ref_done = None
        while True:
            if ref_done is None:
                r, _, _ = select.select([rfd], [], [], 0)
                while r:
                    try:
                        rec = os.read(rfd, 16384)
                    except BlockingIOError:
                        break
                    except BrokenPipeError:
                        continue
                    if b'forced readonly' in rec and dev.encode() in rec:
                        ref_done = time.perf_counter()
                        break
            conn.request('GET', '/metrics')
            body = conn.getresponse().read().decode()
            if needle in body:
                lat_fsd.append((time.perf_counter() - t0) * 1000)
                break
            if time.perf_counter() - t0 > 5:
                sys.exit('bench-watch: no incident for %s within 5 s' % dev)
        while ref_done is None:
            select.select([rfd], [], [], 1)
            try:
                rec = os.read(rfd, 16384)
            except (BlockingIOError, BrokenPipeError):
                continue
            if b'forced readonly' in rec and dev.encode() in rec:
                ref_done = time.perf_counter()
        lat_ref.append((ref_done - t0) * 1000)
        time.sleep(0.02)
    os.close(rfd)

    # ---- 2. flood: RATE lines/s for DURATION s; reference: dmesg --follow reading the same flood
    ref = subprocess.Popen(['dmesg', '--follow', '--raw'], stdout=subprocess.DEVNULL)
    time.sleep(0.3)
    lines = []
    for i in range(64):
        if i % 8 == 0:  # an I/O error storm on one device: one growing incident
            lines.append(('blk_update_request: I/O error, dev fsdwflood%d, sector %d op 0x1:(WRITE) flags 0x800 '
                          'phys_seg 1 prio class 0' % (os.getpid(), 1000 + i), 7))
        else:
            lines.append(('eth0: fsdoctor bench flood line %d: link is up, 1000 Mbps full duplex, flow control rx/tx' % i, 7))
    c0, r0 = cpu_seconds(daemon.pid), cpu_seconds(ref.pid)
    rss = [rss_kib(daemon.pid)]
    start = time.perf_counter()
    sent = 0
    next_rss = start + 1
    while True:
        now = time.perf_counter()
        if now - start >= DURATION:
            break
        due = int((now - start) * RATE)
        while sent < due:
            text, level = lines[sent % len(lines)]
            kmsg_write(wfd, text, level)
            sent += 1
        if now >= next_rss:
            rss.append(rss_kib(daemon.pid))
            next_rss += 1
        time.sleep(0.005)
    elapsed = time.perf_counter() - start
    time.sleep(0.5)
    c1, r1 = cpu_seconds(daemon.pid), cpu_seconds(ref.pid)
    rss.append(rss_kib(daemon.pid))
    ref.terminate()
    ref.wait()
    conn.request('GET', '/metrics')
    body = conn.getresponse().read().decode()
    lost = sum(float(v) for v in re.findall(r'^fsdoctor_log_lines_lost_total\{reason="overrun"\} (\S+)', body, re.M))

    fsd_core = (c1 - c0) / elapsed
    ref_core = (r1 - r0) / elapsed
    print('latency, kernel line -> incident in /metrics (%d samples)' % SAMPLES)
    print('  fsdoctor watch   median %6.1f ms   p99 %6.1f ms   max %6.1f ms' % (
        statistics.median(lat_fsd), pct(lat_fsd, 99), max(lat_fsd)))
    print('  kmsg reader      median %6.1f ms   p99 %6.1f ms   (reference: poll() on /dev/kmsg)' % (
        statistics.median(lat_ref), pct(lat_ref, 99)))
    print('  target p99 < 100 ms: %s' % ('PASS' if pct(lat_fsd, 99) < 100 else 'FAIL'))
    print('flood: %d lines/s for %.0f s (%d lines; 1 in 8 an I/O error of one device)' % (RATE, elapsed, sent))
    print('  fsdoctor watch   %.4f core   (%.2f us per line)' % (fsd_core, (c1 - c0) / sent * 1e6))
    print('  dmesg --follow   %.4f core   (reference)   ratio fsdoctor/dmesg %.2f' % (
        ref_core, fsd_core / ref_core if ref_core else float('nan')))
    print('  target < 0.02 core: %s' % ('PASS' if fsd_core < 0.02 else 'FAIL'))
    print('  RSS start %d KiB, max %d KiB, end %d KiB; records lost to overrun: %d' % (rss[0], max(rss), rss[-1], lost))
finally:
    open('/proc/sys/kernel/printk_devkmsg', 'w').write(devkmsg + '\n')
    if daemon and daemon.poll() is None:
        daemon.terminate()
        daemon.wait()
    subprocess.run(['rm', '-rf', tmp])
