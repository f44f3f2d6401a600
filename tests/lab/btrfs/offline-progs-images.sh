#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every btrfs-progs test image in ../shared/corpus/btrfs-progs-images must give the offline reader
# a clear result (exit 0) or a clear error (exit 2 with "error: <code>: <detail>") within 20 s:
# a signal, a sanitizer report, a timeout or any other exit fails the test. *.raw.xz images are
# decompressed, *.img btrfs-image dumps restored with `btrfs-image -r` (skipped if that fails),
# in a temporary directory. Prints a tally. Needs no root; exits 77 without ../shared or xz.
set -u
SHARED=${FSD_SHARED:-$(dirname "$0")/../../../../shared}
CORPUS="$SHARED/corpus/btrfs-progs-images"
DUMP=${BTRFS_MODEL_DUMP:?path of btrfs-model-dump}
[ -d "$CORPUS" ] || { echo "SKIP: $CORPUS absent"; exit 77; }
command -v xz >/dev/null || { echo "SKIP: needs xz"; exit 77; }
TMP=$(mktemp -d /tmp/fsdoctor-progs-images.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export TMPDIR="$TMP"

ok=0 clear=0 bad=0 skipped=0
declare -A reasons=()
for src in "$CORPUS"/*; do
        name=$(basename "$src")
        img="$TMP/image"
        rm -f "$img"
        case "$name" in
        *.raw.xz) xz -dc "$src" >"$img" 2>/dev/null || { skipped=$((skipped + 1)); continue; } ;;
        *.tar.xz)
                # a raw image inside a tar (sparse, so extract with -S)
                rm -rf "$TMP/tar" && mkdir "$TMP/tar"
                tar -xJSf "$src" -C "$TMP/tar" 2>/dev/null || { skipped=$((skipped + 1)); continue; }
                first=$(find "$TMP/tar" -type f | head -1)
                [ -n "$first" ] || { skipped=$((skipped + 1)); continue; }
                mv "$first" "$img" ;;
        *.img | *.img.xz)
                dumpfile=$src
                if [ "${name%.xz}" != "$name" ]; then
                        xz -dc "$src" >"$TMP/dump" 2>/dev/null || { skipped=$((skipped + 1)); continue; }
                        dumpfile=$TMP/dump
                fi
                if ! command -v btrfs-image >/dev/null ||
                        ! timeout 60 btrfs-image -r "$dumpfile" "$img" >/dev/null 2>&1; then
                        echo "skip: $name (btrfs-image -r failed)"
                        skipped=$((skipped + 1))
                        continue
                fi ;;
        *) echo "not an image: $name"; continue ;;
        esac
        timeout 20 "$DUMP" "$img" >"$TMP/out" 2>"$TMP/err"
        rc=$?
        if [ "$rc" = 0 ]; then
                ok=$((ok + 1))
                echo "read: $name: $(grep -c '^bg' "$TMP/out") block groups"
        elif [ "$rc" = 2 ] && grep -q '^error: -[0-9]*: ..' "$TMP/err" && ! grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
                clear=$((clear + 1))
                msg=$(grep '^error:' "$TMP/err" | head -1)
                echo "clear error: $name: ${msg:0:160}"
                code=${msg#error: }
                code=${code%%:*}
                reasons[$code]=$((${reasons[$code]:-0} + 1))
        else
                bad=$((bad + 1))
                echo "FAIL: $name: exit $rc (124 = timeout, >128 = signal)"
                head -20 "$TMP/err"
        fi
done
echo "tally: read ok $ok, clear error $clear, crash/timeout $bad, skipped $skipped"
for code in "${!reasons[@]}"; do echo "  error $code: ${reasons[$code]}"; done
[ $((ok + clear)) -gt 0 ] || { echo "nothing was read"; exit 1; }
[ "$bad" = 0 ]
