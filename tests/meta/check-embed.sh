#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# examples/embed.c builds against an installed libfsdoctor and nothing else: stage `meson install`
# into a temporary DESTDIR, compile the example with the staged pkg-config file (so only the
# installed fsdoctor.h is on the include path), run it on the bundled example log and check that
# it finds the incident and its diagnosis. Also checks that the rest is installed (program, man
# page, rules, the watch unit pointing at the installed program).
#   check-embed.sh BUILD_DIR SOURCE_ROOT CC
set -euo pipefail
build=$1 src=$2 cc=$3
command -v pkg-config >/dev/null || { echo "SKIP: pkg-config missing"; exit 77; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

meson install -C "$build" --no-rebuild --quiet --destdir "$stage" >/dev/null
pc=$(find "$stage" -name libfsdoctor.pc -print -quit)
[ -n "$pc" ] || { echo "FAIL: no libfsdoctor.pc installed"; exit 1; }
prefix=$(sed -n 's/^prefix=//p' "$pc")
pkgconf() { PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --define-variable=prefix="$stage$prefix" "$@" libfsdoctor; }
for f in "$stage$prefix/include/fsdoctor.h" "$stage$prefix/share/man/man1/fsdoctor.1" \
         "$stage$prefix/share/fsdoctor/rules/btrfs/enospc-abort.yaml" "$stage$prefix/bin/fsdoctor"; do
  [ -e "$f" ] || { echo "FAIL: not installed: ${f#"$stage"}"; exit 1; }
done
unit=$stage$prefix/lib/systemd/system/fsdoctor-watch.service
grep -qx "ExecStart=$prefix/bin/fsdoctor watch .*" "$unit" ||
  { echo "FAIL: the installed unit does not start $prefix/bin/fsdoctor"; exit 1; }
libdir=$(pkgconf --variable=libdir)
[ -L "$libdir/libfsdoctor.so" ] && [ -e "$libdir/libfsdoctor.so.0" ] ||
  { echo "FAIL: libfsdoctor.so / libfsdoctor.so.0 not installed in ${libdir#"$stage"}"; exit 1; }

# shellcheck disable=SC2046 # pkg-config prints several words on purpose
"$cc" -std=c17 -Wall -Wextra -Werror -o "$stage/embed" "$src/examples/embed.c" $(pkgconf --cflags --libs)
out=$(LD_LIBRARY_PATH=$libdir "$stage/embed" "$src/examples/seed-kylin-4.19.90-btrfs-enospc.log")
echo "$out"
# the example links the staged library, not one from the build tree or the system
LD_LIBRARY_PATH=$libdir ldd "$stage/embed" | grep -F "$libdir/libfsdoctor.so.0" >/dev/null ||
  { echo "FAIL: embed did not load the staged libfsdoctor.so.0"; exit 1; }
grep -q '^incident 1: btrfs on ' <<<"$out" || { echo "FAIL: no btrfs incident"; exit 1; }
grep -q 'cause  btrfs/enospc-delayed-refs-evict (critical' <<<"$out" || { echo "FAIL: wrong or no diagnosis"; exit 1; }
grep -q ' 1 reports, 1 incidents$' <<<"$out" || { echo "FAIL: wrong totals"; exit 1; }
echo "ok: examples/embed.c built against the staged install and diagnosed the example log"
