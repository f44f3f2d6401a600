#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Score fsdoctor's report titles against a syzkaller-style corpus.

Usage: score.py [--min PCT] [--verbose] FSDOCTOR CORPUS_DIR

CORPUS_DIR holds cases/N files: optional '#' comments, 'KEY: value' headers up to the first
empty line (TITLE, CORRUPTED, FRAME, ...), then the raw console log. A file without headers
expects no report. The title of the first report (lowest first_line) must equal TITLE.
Exit 77 when the corpus is absent, 1 when title agreement is below --min."""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def parse_case(path):
    with open(path, 'rb') as f:
        data = f.read()
    headers = {}
    lines = data.split(b'\n')
    i = 0
    while i < len(lines) and lines[i].startswith(b'#'):
        i += 1
    while i < len(lines) and lines[i].strip():
        line = lines[i].decode('utf-8', 'replace')
        if ':' in line:
            k, v = line.split(':', 1)
            headers.setdefault(k.strip(), []).append(v.strip())
        i += 1
    log = b'\n'.join(lines[i + 1:])
    return headers, log


def first_report(fsdoctor, log):
    with tempfile.NamedTemporaryFile(suffix='.log') as tmp:
        tmp.write(log)
        tmp.flush()
        try:
            p = subprocess.run([fsdoctor, 'analyze', '--format=json', '--quiet', tmp.name],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        except subprocess.TimeoutExpired:
            return None, 'timeout'
    if p.returncode not in (0, 1, 3):
        return None, 'exit %d: %s' % (p.returncode, p.stderr.decode(errors='replace').strip()[:200])
    best = None
    for line in p.stdout.decode('utf-8', 'replace').splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if obj.get('type') != 'report':
            continue
        if best is None or obj.get('first_line', 0) < best.get('first_line', 0):
            best = obj
    return best, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--min', type=float, default=0.0)
    ap.add_argument('--verbose', '-v', action='store_true')
    ap.add_argument('fsdoctor')
    ap.add_argument('corpus')
    a = ap.parse_args()
    cases_dir = os.path.join(a.corpus, 'cases')
    if not os.path.isdir(cases_dir):
        print('corpus not found: %s' % cases_dir)
        return 77
    names = sorted(os.listdir(cases_dir), key=lambda n: (len(n), n))
    total = agree = 0
    corr_total = corr_agree = 0
    frame_total = frame_agree = 0
    mismatches = []
    for name in names:
        headers, log = parse_case(os.path.join(cases_dir, name))
        want = headers.get('TITLE', [None])[0]
        rep, err = first_report(a.fsdoctor, log)
        got = rep.get('title') if rep else None
        total += 1
        if got == want:
            agree += 1
        else:
            mismatches.append((name, want, got, err))
        if want is not None and rep is not None:
            corr_total += 1
            want_c = headers.get('CORRUPTED', ['N'])[0] == 'Y'
            if bool(rep.get('corrupted')) == want_c:
                corr_agree += 1
            if 'FRAME' in headers:
                frame_total += 1
                if rep.get('guilty') == headers['FRAME'][0]:
                    frame_agree += 1
    pct = 100.0 * agree / total if total else 0.0
    print('%d/%d title agreement (%.1f%%)' % (agree, total, pct))
    if corr_total:
        print('%d/%d CORRUPTED agreement (%.1f%%)' % (corr_agree, corr_total, 100.0 * corr_agree / corr_total))
    if frame_total:
        print('%d/%d FRAME agreement (%.1f%%)' % (frame_agree, frame_total, 100.0 * frame_agree / frame_total))
    if a.verbose:
        for name, want, got, err in mismatches:
            print('  %-6s want %r\n         got  %r%s' % (name, want, got, (' (' + err + ')') if err else ''))
    return 1 if pct < a.min else 0


if __name__ == '__main__':
    sys.exit(main())
