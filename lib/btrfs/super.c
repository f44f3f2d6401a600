/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "btrfs/accessors.h"
#include "btrfs/csum.h"
#include "btrfs/offline-internal.h"
#include "fsdoctor.h"

static bool is_pow2_in(uint64_t v, uint64_t lo, uint64_t hi) {
        return v >= lo && v <= hi && (v & (v - 1)) == 0;
}

int btrfs_super_check(const struct btrfs_super_block *sb, uint64_t bytenr, bool verify_csum,
                      char **reterr) {
        uint8_t csum[BTRFS_CSUM_SIZE];
        uint16_t csum_type;
        int csum_size, r;

        if (btrfs_super_magic(sb) != BTRFS_MAGIC)
                return btrfs_detail(reterr, -FSD_E_NOT_BTRFS,
                                    "no btrfs magic in the superblock at byte %" PRIu64, bytenr);
        csum_type = btrfs_super_csum_type(sb);
        csum_size = btrfs_csum_size(csum_type);
        if (csum_size < 0)
                return btrfs_detail(reterr, -FSD_E_UNSUPPORTED,
                                    "superblock at byte %" PRIu64 " uses unknown checksum type %u",
                                    bytenr, csum_type);
        if (verify_csum) {
                r = btrfs_csum_compute(csum_type, (const uint8_t *) sb + BTRFS_CSUM_SIZE,
                                       BTRFS_SUPER_INFO_SIZE - BTRFS_CSUM_SIZE, csum);
                if (r < 0)
                        return r;
                if (memcmp(csum, sb->csum, csum_size) != 0)
                        return btrfs_detail(reterr, -FSD_E_CSUM,
                                            "superblock at byte %" PRIu64 ": %s checksum mismatch",
                                            bytenr, btrfs_csum_name(csum_type));
        }
        if (btrfs_super_bytenr(sb) != bytenr)
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "superblock at byte %" PRIu64 " says it lives at %" PRIu64,
                                    bytenr, btrfs_super_bytenr(sb));

        uint32_t sectorsize = btrfs_super_sectorsize(sb), nodesize = btrfs_super_nodesize(sb);
        if (!is_pow2_in(sectorsize, 4096, BTRFS_MAX_NODESIZE) ||
            !is_pow2_in(nodesize, BTRFS_MIN_NODESIZE, BTRFS_MAX_NODESIZE) || nodesize < sectorsize)
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "superblock at byte %" PRIu64 ": bad sectorsize %u / nodesize %u",
                                    bytenr, sectorsize, nodesize);
        if (btrfs_super_root_level(sb) >= BTRFS_MAX_LEVEL || btrfs_super_chunk_root_level(sb) >= BTRFS_MAX_LEVEL)
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "superblock at byte %" PRIu64 ": tree levels %u/%u exceed %d",
                                    bytenr, btrfs_super_root_level(sb), btrfs_super_chunk_root_level(sb),
                                    BTRFS_MAX_LEVEL - 1);
        if (btrfs_super_sys_array_size(sb) > BTRFS_SYSTEM_CHUNK_ARRAY_SIZE)
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "superblock at byte %" PRIu64 ": sys_chunk_array_size %u > %d",
                                    bytenr, btrfs_super_sys_array_size(sb), BTRFS_SYSTEM_CHUNK_ARRAY_SIZE);
        if (btrfs_super_root(sb) % sectorsize || btrfs_super_chunk_root(sb) % sectorsize)
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "superblock at byte %" PRIu64 ": root %" PRIu64 " or chunk root %" PRIu64
                                    " not aligned to %u", bytenr, btrfs_super_root(sb),
                                    btrfs_super_chunk_root(sb), sectorsize);
        if (btrfs_super_num_devices(sb) == 0 || btrfs_super_num_devices(sb) > BTRFS_OFFLINE_MAX_DEVICES)
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "superblock at byte %" PRIu64 ": num_devices %" PRIu64 " out of range",
                                    bytenr, btrfs_super_num_devices(sb));
        return 0;
}

int btrfs_super_load_sys_array(const struct btrfs_super_block *sb, struct btrfs_chunk_map *map,
                               char **reterr) {
        const uint8_t *p = sb->sys_chunk_array;
        size_t left = btrfs_super_sys_array_size(sb);
        int r;

        if (left > BTRFS_SYSTEM_CHUNK_ARRAY_SIZE)
                return btrfs_detail(reterr, -FSD_E_CORRUPT, "sys_chunk_array_size %zu too large", left);
        while (left > 0) {
                struct btrfs_key key;
                size_t used;

                if (left < sizeof(struct btrfs_disk_key))
                        return btrfs_detail(reterr, -FSD_E_TRUNCATED,
                                            "sys_chunk_array ends inside a key (%zu bytes left)", left);
                btrfs_disk_key_to_cpu(&key, (const struct btrfs_disk_key *) p);
                p += sizeof(struct btrfs_disk_key);
                left -= sizeof(struct btrfs_disk_key);
                if (key.type != BTRFS_CHUNK_ITEM_KEY)
                        return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                            "sys_chunk_array holds key type %u, not a chunk item", key.type);
                r = btrfs_chunk_map_add_disk(map, key.offset, p, left, &used, reterr);
                if (r < 0)
                        return r;
                if (!(map->chunks[map->n_chunks - 1].type & BTRFS_BLOCK_GROUP_SYSTEM))
                        return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                            "sys_chunk_array chunk at logical %" PRIu64 " is not a SYSTEM chunk",
                                            key.offset);
                p += used;
                left -= used;
        }
        if (map->n_chunks == 0)
                return btrfs_detail(reterr, -FSD_E_CORRUPT, "sys_chunk_array is empty");
        return 0;
}
