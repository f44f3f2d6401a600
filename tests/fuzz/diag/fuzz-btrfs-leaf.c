/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the btrfs leaf-dump reader: every input line is noted, then read as a failed
 * back-reference lookup against what was noted. Lines are copied into buffers of exactly their
 * length, so AddressSanitizer catches any read past len. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "diag/btrfs-leaf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static struct btrfs_leaf_dump dump;
        memset(&dump, 0, sizeof dump);
        const uint8_t *p = data, *end = data + size;
        while (p < end) {
                const uint8_t *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = (size_t) ((nl ? nl : end) - p);
                char *copy = malloc(len ? len : 1);
                if (!copy)
                        return 0;
                memcpy(copy, p, len);
                btrfs_leaf_note(&dump, copy, len);
                char buf[96];
                if (btrfs_leaf_ref_flip(&dump, copy, len, buf, sizeof buf) && !memchr(buf, 0, sizeof buf))
                        abort();
                if (dump.n_refs > BTRFS_LEAF_MAX_REFS || !memchr(dump.device, 0, sizeof dump.device))
                        abort();
                free(copy);
                p = nl ? nl + 1 : end;
        }
        return 0;
}
