#!/usr/bin/env bash
# Install what fsdoctor needs to build and test on Debian 12 (run as root). Each package is
# explained in README.md ("Dependencies").
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  # build
  build-essential meson ninja-build pkg-config python3
  # libraries
  zlib1g-dev liblzma-dev libzstd-dev libsystemd-dev libyaml-dev libsodium-dev libxxhash-dev
  libsqlite3-dev libmicrohttpd-dev libcapstone-dev libdw-dev libelf-dev libdebuginfod-dev
  # tests
  libcmocka-dev clang libclang-rt-14-dev
  # analyze --source: the indexers it runs, and the 6.1 source tarball its test extracts from
  universal-ctags cscope linux-source-6.1
  btrfs-progs e2fsprogs xfsprogs util-linux systemd-journal-remote
  gzip xz-utils zstd time elfutils debuginfod
  chromium fonts-wqy-microhei
  prometheus sqlite3
  # packaging and ABI checks (tests/meta/check-packages.sh, check-abidiff.sh)
  dpkg-dev debhelper fakeroot lintian rpm rpmlint abigail-tools
)
if [ "$(id -u)" != 0 ]; then
  echo "install-deps.sh: run as root (apt-get needs it)" >&2
  exit 2
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "install-deps.sh: ${#packages[@]} packages present"
