#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Meta test: every rules/**/*.yaml is embedded (listed in rules/meson.build), and at least one golden
case in tests/cases/*/expected.jsonl carries a diagnosis naming it. A rule nobody can trigger from a
log is untested; this fails until it has a case."""
import glob
import json
import os
import re
import sys


def main():
    root = sys.argv[1]
    rules_dir = os.path.join(root, 'rules')
    rule_ids = sorted(os.path.relpath(p, rules_dir)[:-5]
                      for p in glob.glob(os.path.join(rules_dir, '**', '*.yaml'), recursive=True))
    listed = set(re.findall(r"'([^']+\.yaml)'", open(os.path.join(rules_dir, 'meson.build')).read()))
    covered = {}
    for exp in sorted(glob.glob(os.path.join(root, 'tests', 'cases', '*', 'expected.jsonl'))):
        case = os.path.basename(os.path.dirname(exp))
        with open(exp) as f:
            for line in f:
                if not line.strip():
                    continue
                obj = json.loads(line)
                diag = obj.get('diagnosis') if isinstance(obj, dict) else None
                if isinstance(diag, dict) and diag.get('rule_id'):
                    covered.setdefault(diag['rule_id'], []).append(case)
    failed = False
    for rid in rule_ids:
        if rid + '.yaml' not in listed:
            print(f"FAIL rules/{rid}.yaml is not listed in rules/meson.build (it would not be embedded)")
            failed = True
        if rid not in covered:
            print(f"FAIL rule {rid} has no golden case (no tests/cases/*/expected.jsonl diagnosis names it)")
            failed = True
        else:
            print(f"ok {rid}: {', '.join(sorted(set(covered[rid])))}")
    for rid in covered:
        if rid not in rule_ids:
            print(f"FAIL a case names rule {rid}, which does not exist")
            failed = True
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
