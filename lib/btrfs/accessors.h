/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/*
 * Endian-safe getters for lib/btrfs/ondisk.h, in the btrfs-progs style: every multi-byte field is
 * copied out with memcpy (disk structures are packed and unaligned) and converted from
 * little-endian. Nothing else in lib/btrfs reads a disk field directly.
 */
#include <endian.h>
#include <string.h>

#include "btrfs/ondisk.h"

static inline uint16_t btrfs_get_le16(const void *p) {
        uint16_t v;
        memcpy(&v, p, sizeof v);
        return le16toh(v);
}

static inline uint32_t btrfs_get_le32(const void *p) {
        uint32_t v;
        memcpy(&v, p, sizeof v);
        return le32toh(v);
}

static inline uint64_t btrfs_get_le64(const void *p) {
        uint64_t v;
        memcpy(&v, p, sizeof v);
        return le64toh(v);
}

static inline void btrfs_put_le16(void *p, uint16_t v) {
        v = htole16(v);
        memcpy(p, &v, sizeof v);
}

static inline void btrfs_put_le32(void *p, uint32_t v) {
        v = htole32(v);
        memcpy(p, &v, sizeof v);
}

static inline void btrfs_put_le64(void *p, uint64_t v) {
        v = htole64(v);
        memcpy(p, &v, sizeof v);
}

#define _BTRFS_GET_8(p)  (*(const uint8_t *) (p))
#define _BTRFS_GET_16(p) btrfs_get_le16(p)
#define _BTRFS_GET_32(p) btrfs_get_le32(p)
#define _BTRFS_GET_64(p) btrfs_get_le64(p)

/* btrfs_<name>(const struct type *s): the field converted to CPU order. */
#define BTRFS_GETTER(name, type, field, bits)                                   \
        static inline uint##bits##_t btrfs_##name(const struct type *s) {      \
                return _BTRFS_GET_##bits(&s->field);                            \
        }

BTRFS_GETTER(super_bytenr, btrfs_super_block, bytenr, 64)
BTRFS_GETTER(super_flags, btrfs_super_block, flags, 64)
BTRFS_GETTER(super_magic, btrfs_super_block, magic, 64)
BTRFS_GETTER(super_generation, btrfs_super_block, generation, 64)
BTRFS_GETTER(super_root, btrfs_super_block, root, 64)
BTRFS_GETTER(super_chunk_root, btrfs_super_block, chunk_root, 64)
BTRFS_GETTER(super_chunk_root_generation, btrfs_super_block, chunk_root_generation, 64)
BTRFS_GETTER(super_total_bytes, btrfs_super_block, total_bytes, 64)
BTRFS_GETTER(super_bytes_used, btrfs_super_block, bytes_used, 64)
BTRFS_GETTER(super_num_devices, btrfs_super_block, num_devices, 64)
BTRFS_GETTER(super_sectorsize, btrfs_super_block, sectorsize, 32)
BTRFS_GETTER(super_nodesize, btrfs_super_block, nodesize, 32)
BTRFS_GETTER(super_sys_array_size, btrfs_super_block, sys_chunk_array_size, 32)
BTRFS_GETTER(super_compat_flags, btrfs_super_block, compat_flags, 64)
BTRFS_GETTER(super_compat_ro_flags, btrfs_super_block, compat_ro_flags, 64)
BTRFS_GETTER(super_incompat_flags, btrfs_super_block, incompat_flags, 64)
BTRFS_GETTER(super_csum_type, btrfs_super_block, csum_type, 16)
BTRFS_GETTER(super_root_level, btrfs_super_block, root_level, 8)
BTRFS_GETTER(super_chunk_root_level, btrfs_super_block, chunk_root_level, 8)

BTRFS_GETTER(dev_item_devid, btrfs_dev_item, devid, 64)
BTRFS_GETTER(dev_item_total_bytes, btrfs_dev_item, total_bytes, 64)
BTRFS_GETTER(dev_item_bytes_used, btrfs_dev_item, bytes_used, 64)

BTRFS_GETTER(chunk_length, btrfs_chunk, length, 64)
BTRFS_GETTER(chunk_stripe_len, btrfs_chunk, stripe_len, 64)
BTRFS_GETTER(chunk_type, btrfs_chunk, type, 64)
BTRFS_GETTER(chunk_num_stripes, btrfs_chunk, num_stripes, 16)
BTRFS_GETTER(chunk_sub_stripes, btrfs_chunk, sub_stripes, 16)
BTRFS_GETTER(stripe_devid, btrfs_stripe, devid, 64)
BTRFS_GETTER(stripe_offset, btrfs_stripe, offset, 64)

BTRFS_GETTER(header_bytenr, btrfs_header, bytenr, 64)
BTRFS_GETTER(header_generation, btrfs_header, generation, 64)
BTRFS_GETTER(header_owner, btrfs_header, owner, 64)
BTRFS_GETTER(header_nritems, btrfs_header, nritems, 32)
BTRFS_GETTER(header_level, btrfs_header, level, 8)

BTRFS_GETTER(item_offset, btrfs_item, offset, 32)
BTRFS_GETTER(item_size, btrfs_item, size, 32)
BTRFS_GETTER(key_ptr_blockptr, btrfs_key_ptr, blockptr, 64)
BTRFS_GETTER(key_ptr_generation, btrfs_key_ptr, generation, 64)

BTRFS_GETTER(root_item_bytenr, btrfs_root_item, bytenr, 64)
BTRFS_GETTER(root_item_bytes_used, btrfs_root_item, bytes_used, 64)
BTRFS_GETTER(root_item_generation, btrfs_root_item, generation, 64)
BTRFS_GETTER(root_item_level, btrfs_root_item, level, 8)

BTRFS_GETTER(block_group_used, btrfs_block_group_item, used, 64)
BTRFS_GETTER(block_group_chunk_objectid, btrfs_block_group_item, chunk_objectid, 64)
BTRFS_GETTER(block_group_flags, btrfs_block_group_item, flags, 64)

/* A key in CPU order; comparisons are lexicographic over (objectid, type, offset). */
struct btrfs_key {
        uint64_t objectid;
        uint8_t type;
        uint64_t offset;
};

static inline void btrfs_disk_key_to_cpu(struct btrfs_key *k, const struct btrfs_disk_key *d) {
        k->objectid = btrfs_get_le64(&d->objectid);
        k->type = d->type;
        k->offset = btrfs_get_le64(&d->offset);
}

static inline int btrfs_key_cmp(const struct btrfs_key *a, const struct btrfs_key *b) {
        if (a->objectid != b->objectid)
                return a->objectid < b->objectid ? -1 : 1;
        if (a->type != b->type)
                return a->type < b->type ? -1 : 1;
        if (a->offset != b->offset)
                return a->offset < b->offset ? -1 : 1;
        return 0;
}
