#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The distribution packages build and pass their linters:
#   Debian:  dpkg-buildpackage -b -us -uc, then lintian (fails on errors; warnings are printed)
#   RPM:     rpmbuild -bb of dist/rpm/fsdoctor.spec (--nodeps: a Debian host has no RPM database),
#            then rpmlint with dist/rpm/fsdoctor.rpmlintrc (fails on errors)
# Each half skips when its tools are missing; the whole test skips (77) when both do. The tree
# is copied (tracked and new files, no build directories), so nothing is written into it.
#   check-packages.sh SOURCE_ROOT
set -euo pipefail
src=$1
have() { command -v "$1" >/dev/null; }
deb=false rpm=false
have dpkg-buildpackage && have dh && have lintian && deb=true
have rpmbuild && have rpmlint && rpm=true
if ! $deb && ! $rpm; then
  echo "SKIP: neither dpkg-buildpackage+debhelper+lintian nor rpmbuild+rpmlint installed"
  exit 77
fi
git -C "$src" rev-parse --git-dir >/dev/null 2>&1 || { echo "SKIP: $src is not a git checkout"; exit 77; }
version=$(sed -n "s/^  version : '\(.*\)',$/\1/p" "$src/meson.build")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the files git knows of (committed or not, not ignored), as in a release tarball
copy_tree() {
  mkdir -p "$1"
  git -C "$src" ls-files -z --cached --others --exclude-standard |
    (cd "$src" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) |
    (cd "$src" && tar --null -T - -cf -) | tar -xf - -C "$1"
}
failed=0

if $deb; then
  echo "== Debian: dpkg-buildpackage -b"
  copy_tree "$work/deb/fsdoctor-$version"
  if ! (cd "$work/deb/fsdoctor-$version" &&
        DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -b -us -uc >"$work/deb.log" 2>&1); then
    tail -40 "$work/deb.log"
    echo "FAIL: dpkg-buildpackage"
    failed=1
  else
    ls "$work/deb"/*.deb
    for p in fsdoctor libfsdoctor0 libfsdoctor-dev; do
      [ -e "$work/deb/${p}_${version}_$(dpkg --print-architecture).deb" ] || { echo "FAIL: no $p package"; failed=1; }
    done
    # every tag down to info is printed; only errors fail (lintian says on stderr that it runs as root)
    status=0
    lintian -I --fail-on error "$work/deb"/*.changes >"$work/lintian.out" 2>&1 || status=$?
    grep -v 'running with root privileges' "$work/lintian.out" || true
    [ "$status" = 0 ] || { echo "FAIL: lintian reports errors (status $status)"; failed=1; }
  fi
else
  echo "skip Debian: dpkg-buildpackage, debhelper or lintian missing"
fi

if $rpm; then
  echo "== RPM: rpmbuild -bb dist/rpm/fsdoctor.spec"
  mkdir -p "$work/rpm/SOURCES"
  copy_tree "$work/rpm/tar/fsdoctor-$version"
  tar -C "$work/rpm/tar" -czf "$work/rpm/SOURCES/fsdoctor-$version.tar.gz" "fsdoctor-$version"
  if ! rpmbuild -bb --nodeps --define "_topdir $work/rpm" --define "debug_package %{nil}" \
         "$src/dist/rpm/fsdoctor.spec" >"$work/rpm.log" 2>&1; then
    tail -40 "$work/rpm.log"
    echo "FAIL: rpmbuild"
    failed=1
  else
    find "$work/rpm/RPMS" -name '*.rpm' -printf '%f\n'
    status=0
    rpmlint -r "$src/dist/rpm/fsdoctor.rpmlintrc" "$src/dist/rpm/fsdoctor.spec" "$work"/rpm/RPMS/*/*.rpm \
      >"$work/rpmlint.out" 2>&1 || status=$?
    grep -E '^[^ ]+: [EW]: |packages and' "$work/rpmlint.out" || true
    [ "$status" = 0 ] || { echo "FAIL: rpmlint reports errors (status $status)"; failed=1; }
  fi
else
  echo "skip RPM: rpmbuild or rpmlint missing"
fi
[ "$failed" = 0 ] && echo "ok: packages built and linted"
exit "$failed"
