#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Print the case directories under the given folder, one per line (used by meson.build)."""
import os
import sys

d = sys.argv[1]
for name in sorted(os.listdir(d)):
    if not name.startswith('.') and os.path.isdir(os.path.join(d, name)):
        print(name)
