/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Internals of the offline reader, shared by its files, the unit tests and the fuzz targets. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "basic/cleanup.h"
#include "btrfs/ondisk.h"

/* Hard limits: a hostile image must never make us allocate or read without bound. */
#define BTRFS_OFFLINE_MAX_DEVICES      1024
#define BTRFS_OFFLINE_MAX_CHUNKS       (10u * 1000 * 1000)  /* one block group per chunk */
#define BTRFS_OFFLINE_MAX_STRIPES      256                  /* per chunk */
#define BTRFS_OFFLINE_MAX_NODES_READ   (UINT64_C(64) * 1000 * 1000)

/* Format a malloc'd detail sentence into *reterr (if reterr is set and still empty) and return
 * err unchanged, so a failure can be reported in one statement. */
int btrfs_detail(char **reterr, int err, const char *fmt, ...) _printf_(3, 4);

/* ---- chunk map: logical address -> device stripes ---- */

struct btrfs_map_stripe {
        uint64_t devid;
        uint64_t offset;         /* physical byte offset on that device */
};

struct btrfs_map_chunk {
        uint64_t logical, length, stripe_len, type;
        uint16_t num_stripes, sub_stripes;
        uint32_t first_stripe;   /* index into btrfs_chunk_map.stripes */
};

struct btrfs_chunk_map {
        struct btrfs_map_chunk *chunks;  /* sorted by logical, non-overlapping */
        size_t n_chunks, cap_chunks;
        struct btrfs_map_stripe *stripes;
        size_t n_stripes, cap_stripes;
};

void btrfs_chunk_map_done(struct btrfs_chunk_map *map);

/* Parse one on-disk chunk item (struct btrfs_chunk + stripes) of at most avail bytes at logical
 * address `logical` and append it to the map, which must stay sorted. *ret_size receives the bytes
 * the item occupies. Duplicates of the last chunk (same start and length) are ignored.
 * @return 0, -FSD_E_CORRUPT/-FSD_E_TRUNCATED (detail says why), -FSD_E_LIMIT, -ENOMEM. */
int btrfs_chunk_map_add_disk(struct btrfs_chunk_map *map, uint64_t logical, const uint8_t *item,
                             size_t avail, size_t *ret_size, char **reterr);

/* The chunk that contains logical, or NULL. */
const struct btrfs_map_chunk *btrfs_chunk_map_find(const struct btrfs_chunk_map *map, uint64_t logical);

/* How many full copies of each byte the profile keeps (1 for single, RAID0, RAID5/6). */
unsigned btrfs_chunk_num_copies(const struct btrfs_map_chunk *c);

/* Map [logical, logical + len) inside chunk c to copy number `mirror` (0-based). The range must not
 * cross a stripe boundary. @return 0, -ENOENT when mirror >= num_copies, -FSD_E_CORRUPT. */
int btrfs_chunk_map_stripe(const struct btrfs_chunk_map *map, const struct btrfs_map_chunk *c,
                           uint64_t logical, uint64_t len, unsigned mirror,
                           uint64_t *ret_devid, uint64_t *ret_physical);

/* "DATA|RAID1" style name of block-group flags, into buf. */
const char *btrfs_bg_flags_name(uint64_t flags, char *buf, size_t size);

/* ---- superblock ---- */

/* Byte offset of superblock copy i (0 primary, 1 at 64 MiB, 2 at 256 GiB). */
static inline uint64_t btrfs_sb_offset(unsigned i) {
        return i == 0 ? BTRFS_SUPER_INFO_OFFSET : (UINT64_C(16) * 1024) << (BTRFS_SUPER_MIRROR_SHIFT * i);
}

/* Check a superblock copy read from byte offset bytenr: magic, checksum (unless !verify_csum, for
 * fuzzing), self-location and sanity of the sizes and levels we depend on.
 * @return 0, -FSD_E_NOT_BTRFS, -FSD_E_CSUM, -FSD_E_UNSUPPORTED or -FSD_E_CORRUPT with a detail. */
int btrfs_super_check(const struct btrfs_super_block *sb, uint64_t bytenr, bool verify_csum,
                      char **reterr);

/* Load the superblock's sys_chunk_array into map (the bootstrap chunks). */
int btrfs_super_load_sys_array(const struct btrfs_super_block *sb, struct btrfs_chunk_map *map,
                               char **reterr);
