#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ABI check: libfsdoctor.so of this tree against the one of the newest release tag (v*), with
# abidiff (Debian abigail-tools). Added functions are fine; a removed or changed one fails unless
# the soname changed with it. Skips (77) while no release tag exists (none yet: the first
# release is 0.1.0), outside a git checkout, or without abidiff.
#   check-abidiff.sh BUILD_DIR SOURCE_ROOT       FSD_ABI_BASE=REV compares against REV instead
set -euo pipefail
build=$1 src=$2
command -v abidiff >/dev/null || { echo "SKIP: abidiff missing (apt-get install abigail-tools)"; exit 77; }
git -C "$src" rev-parse --git-dir >/dev/null 2>&1 || { echo "SKIP: $src is not a git checkout"; exit 77; }
base=${FSD_ABI_BASE:-$(git -C "$src" describe --tags --abbrev=0 --match 'v[0-9]*' HEAD 2>/dev/null || true)}
[ -n "$base" ] || { echo "SKIP: no release tag (v*) yet: nothing to compare the ABI with"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git -C "$src" archive --format=tar "$base" | tar -x -C "$work" || { echo "FAIL: cannot export $base"; exit 1; }
meson setup "$work/build" "$work" -Dtests=false --buildtype=debugoptimized >/dev/null
meson compile -C "$work/build" fsdoctor:shared_library >/dev/null

old=$(readlink -f "$work/build/lib/libfsdoctor.so") new=$(readlink -f "$build/lib/libfsdoctor.so")
mkdir -p "$work/h-old" "$work/h-new"
cp "$work/lib/fsdoctor.h" "$work/h-old/" && cp "$src/lib/fsdoctor.h" "$work/h-new/"
set +e
abidiff --headers-dir1 "$work/h-old" --headers-dir2 "$work/h-new" "$old" "$new" >"$work/report"
status=$?
set -e
cat "$work/report"
soname() { objdump -p "$1" | awk '$1 == "SONAME" { print $2 }'; }
# abidiff's status is a bit mask: 1 error, 2 usage, 4 ABI change, 8 incompatible change
if (( status & 3 )); then
  echo "FAIL: abidiff could not compare $base with this tree (status $status)"
  exit 1
fi
if (( status & 8 )) && [ "$(soname "$old")" = "$(soname "$new")" ]; then
  echo "FAIL: incompatible ABI change since $base with the same soname $(soname "$new"): bump it"
  exit 1
fi
echo "ok: ABI against $base ($(soname "$old") -> $(soname "$new")), abidiff status $status"
