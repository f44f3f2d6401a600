#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run one golden case: a directory holding the input log and the expected JSON Lines.

A case directory contains
  input.*         the log (any name starting with "input"; .gz/.xz/.zst allowed)
  expected.jsonl  what `fsdoctor analyze --format=json` must print, one object per line
  expected.txt    instead of expected.jsonl, for a case whose args ask for text: the exact
                  standard output
  args            optional: the command line after `fsdoctor`, default
                  "analyze --format=json --lang=en --quiet {input}"
                  "< {input}" at its end feeds the input on standard input instead
  exit            optional: the expected exit status (default: 1 if a report or incident is
                  expected, else 0)
  expected.stderr optional: strings that standard error must contain, one per line
Standard input is /dev/null unless the args redirect it, and FSDOCTOR_REFERENCE_TIME is fixed
(2026-01-01T00:00:00Z): syslog's year-less stamps then get the same year whatever the input
file's modification time after a checkout, and whatever today's date is.
Objects are compared as parsed JSON, so key order and spacing do not matter. --update rewrites
expected.jsonl from the current output (review the diff before committing it).
"""
import json
import os
import shlex
import subprocess
import sys

REFERENCE_TIME = '1767225600'  # 2026-01-01T00:00:00Z


def check_text(case, text_path, out, p, update):
    """A text case: standard output compared line by line, exit status given by the exit file."""
    if update:
        with open(text_path, 'w') as f:
            f.write(out)
        print(f"{case}: updated ({len(out.splitlines())} lines)")
        return 0
    want = open(text_path).read()
    exit_path = os.path.join(case, 'exit')
    want_exit = int(open(exit_path).read().strip()) if os.path.exists(exit_path) else 1
    ok = True
    if p.returncode != want_exit:
        print(f"FAIL {case}: exit status {p.returncode}, expected {want_exit}")
        ok = False
    if out != want:
        import difflib
        print(f"FAIL {case}: standard output differs from expected.txt:")
        sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), out.splitlines(True),
                                                   'expected.txt', 'output'))
        ok = False
    return 0 if ok else 1


def main():
    args = sys.argv[1:]
    update = '--update' in args
    args = [a for a in args if a != '--update']
    fsdoctor, case = os.path.abspath(args[0]), os.path.abspath(args[1])
    inputs = sorted(f for f in os.listdir(case) if f.startswith('input'))
    if not inputs:
        sys.exit(f"{case}: no input file")
    argfile = os.path.join(case, 'args')
    if os.path.exists(argfile):
        with open(argfile) as f:
            line = f.read().strip()
    else:
        line = "analyze --format=json --lang=en --quiet {input}"
    words = shlex.split(line)
    stdin = subprocess.DEVNULL
    if len(words) >= 2 and words[-2] == '<':
        stdin = open(os.path.join(case, words[-1].replace('{input}', inputs[0])), 'rb')
        words = words[:-2]
    cmd = [fsdoctor] + [a.replace('{input}', inputs[0]) for a in words]
    env = dict(os.environ, LC_ALL='C.UTF-8', TZ='UTC', FSDOCTOR_REFERENCE_TIME=REFERENCE_TIME)
    env.pop('LANGUAGE', None)
    p = subprocess.run(cmd, cwd=case, stdin=stdin, capture_output=True, env=env, timeout=120)
    out = p.stdout.decode('utf-8', 'replace')
    text_path = os.path.join(case, 'expected.txt')
    if os.path.exists(text_path):
        return check_text(case, text_path, out, p, update)
    expected_path = os.path.join(case, 'expected.jsonl')
    if update:
        with open(expected_path, 'w') as f:
            f.write(out)
        print(f"{case}: updated ({len(out.splitlines())} lines)")
        return 0
    try:
        got = [json.loads(l) for l in out.splitlines() if l.strip()]
    except json.JSONDecodeError as e:
        print(f"FAIL {case}: output is not JSON Lines: {e}\n{out[:2000]}")
        return 1
    with open(expected_path) as f:
        want = [json.loads(l) for l in f if l.strip()]
    exit_path = os.path.join(case, 'exit')
    if os.path.exists(exit_path):
        want_exit = int(open(exit_path).read().strip())
    else:
        want_exit = 1 if any(o.get('type') in ('report', 'incident') for o in want) else 0
    ok = True
    if p.returncode != want_exit:
        print(f"FAIL {case}: exit status {p.returncode}, expected {want_exit}\nstderr: {p.stderr.decode()[:2000]}")
        ok = False
    stderr_path = os.path.join(case, 'expected.stderr')
    if os.path.exists(stderr_path):
        err = p.stderr.decode('utf-8', 'replace')
        for want_err in open(stderr_path).read().splitlines():
            if want_err and want_err not in err:
                print(f"FAIL {case}: standard error lacks {want_err!r}\nstderr: {err[:2000]}")
                ok = False
    if got != want:
        ok = False
        print(f"FAIL {case}: output differs from expected.jsonl")
        for i in range(max(len(got), len(want))):
            g = got[i] if i < len(got) else None
            w = want[i] if i < len(want) else None
            if g != w:
                print(f"  object {i + 1}:\n    expected {json.dumps(w, sort_keys=True)[:3000]}\n    got      {json.dumps(g, sort_keys=True)[:3000]}")
                break
    if ok:
        print(f"ok {case}")
    return 0 if ok else 1


sys.exit(main())
