#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check fsdoctor's report recognisers against every print-site form of docs/print-sites.tsv.

Usage: check-print-sites.py [--verbose] FSDOCTOR TABLE

Generates the logs (gen-print-site-logs.py) into a temporary directory, runs
`fsdoctor analyze --format=json` over all of them in one run, and checks, per log, the first
report's kind, title and guilty frame (or that a firmware-noise log gives no report). Prints a
line per failure and a summary per architecture; exit 1 on any failure."""
import json
import os
import subprocess
import sys
import tempfile


def main():
    args = [a for a in sys.argv[1:] if a != '--verbose']
    verbose = '--verbose' in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    fsdoctor, table = args
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory(prefix='fsd-print-sites-') as tmp:
        subprocess.run([sys.executable, os.path.join(here, 'gen-print-site-logs.py'), table, tmp],
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(tmp, 'expected.json'), encoding='utf-8') as f:
            expected = json.load(f)
        paths = [os.path.join(tmp, e['log']) for e in expected]
        p = subprocess.run([fsdoctor, 'analyze', '--format=json', '--quiet'] + paths,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        if p.returncode not in (0, 1):
            print('fsdoctor exited %d: %s' % (p.returncode, p.stderr.decode(errors='replace')[:500]))
            return 1
        first = {}
        for line in p.stdout.decode('utf-8', 'replace').splitlines():
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if obj.get('type') != 'report':
                continue
            name = os.path.basename(obj.get('origin', ''))
            if name not in first or obj.get('first_line', 0) < first[name].get('first_line', 0):
                first[name] = obj
        failures = 0
        per_arch = {}
        for e in expected:
            got = first.get(e['log'])
            ok_arch = per_arch.setdefault(e['arch'], [0, 0])
            ok_arch[1] += 1
            problems = []
            if e['kind'] is None:
                if got:
                    problems.append('expected no report, got %r' % got.get('title'))
            elif not got:
                problems.append('no report')
            else:
                if got.get('kind') != e['kind']:
                    problems.append('kind %r, expected %r' % (got.get('kind'), e['kind']))
                if got.get('title') != e['title']:
                    problems.append('title %r, expected %r' % (got.get('title'), e['title']))
                if e['guilty'] and got.get('guilty') != e['guilty']:
                    problems.append('guilty %r, expected %r' % (got.get('guilty'), e['guilty']))
            if problems:
                failures += 1
                print('FAIL %s: %s' % (e['log'], '; '.join(problems)))
                if verbose:
                    with open(os.path.join(tmp, e['log']), encoding='utf-8') as f:
                        print(''.join('    | ' + l for l in f))
            else:
                ok_arch[0] += 1
        for arch, (ok, n) in sorted(per_arch.items()):
            print('%-8s %3d/%3d forms recognised' % (arch, ok, n))
        print('%d/%d print-site logs agree (%d forms in the table)' %
              (len(expected) - failures, len(expected), len({e['id'] for e in expected})))
        return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
