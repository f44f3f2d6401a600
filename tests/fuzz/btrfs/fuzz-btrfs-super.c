/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bytes -> superblock checks and the sys_chunk_array -> chunk map, then the stripe arithmetic
 * for a few addresses of every chunk. The checksum is not verified (the fuzzer could not get
 * past it); everything behind it must hold on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "btrfs/accessors.h"
#include "btrfs/offline-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct btrfs_super_block sb = {};
        struct btrfs_chunk_map map = {};
        char *detail = NULL;

        memcpy(&sb, data, MIN(size, sizeof sb));
        /* check at the address the copy claims, so the fuzzer reaches the sanity checks */
        (void) btrfs_super_check(&sb, btrfs_super_bytenr(&sb), false, &detail);
        free(detail);
        detail = NULL;
        if (btrfs_super_load_sys_array(&sb, &map, &detail) >= 0) {
                for (size_t i = 0; i < map.n_chunks; i++) {
                        const struct btrfs_map_chunk *c = &map.chunks[i];
                        const uint64_t probes[] = { c->logical, c->logical + c->length / 2,
                                                    c->logical + c->length - 1, c->logical + 3 * c->stripe_len };
                        for (size_t p = 0; p < ELEMENTSOF(probes); p++) {
                                if (btrfs_chunk_map_find(&map, probes[p]) != c)
                                        continue;
                                for (unsigned m = 0; m < 5; m++) {
                                        uint64_t devid, physical;
                                        (void) btrfs_chunk_map_stripe(&map, c, probes[p], 4096, m, &devid, &physical);
                                }
                        }
                }
        }
        free(detail);
        btrfs_chunk_map_done(&map);
        return 0;
}
