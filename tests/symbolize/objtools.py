# SPDX-License-Identifier: GPL-2.0-or-later
"""What the symbolize and source tests share: running the binutils on objects compiled in the
test, reading their symbols and disassembly, and loading a sibling test script as a module."""
import importlib.util
import os
import re
import subprocess

FUNC_RE = re.compile(r'^([0-9a-f]+) <([^>]+)>:$')
INSN_RE = re.compile(r'^\s*([0-9a-f]+):\s+(\S+)')


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def symbol_sizes(path):
    """{function: (address, size)} of the text symbols nm prints for path."""
    sizes = {}
    for line in run(['nm', '-S', path], check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in 'tT':
            sizes[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
    return sizes


def load(name):
    """The test script NAME.py beside this file, as a module."""
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location(name.replace('-', '_'), os.path.join(here, name + '.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
