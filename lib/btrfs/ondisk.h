/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/*
 * btrfs on-disk format: the one place for the packed little-endian structures and constants that
 * fsdoctor reads. Layouts follow the kernel's uapi btrfs_tree.h (facts only, written anew), and
 * every offset is pinned by a static assertion below so a mistake fails the build.
 *
 * Never dereference these structs' multi-byte fields directly: they are little-endian and
 * unaligned. Read them through lib/btrfs/accessors.h.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>

typedef uint16_t btrfs_le16;
typedef uint32_t btrfs_le32;
typedef uint64_t btrfs_le64;

#define _btrfs_packed_ __attribute__((__packed__))

/* ---- fixed locations and sizes ---- */
#define BTRFS_MAGIC                  UINT64_C(0x4D5F53665248425F) /* "_BHRfS_M" */
#define BTRFS_SUPER_INFO_OFFSET      UINT64_C(65536)
#define BTRFS_SUPER_INFO_SIZE        4096
#define BTRFS_SUPER_MIRROR_MAX       3
#define BTRFS_SUPER_MIRROR_SHIFT     12
#define BTRFS_SYSTEM_CHUNK_ARRAY_SIZE 2048
#define BTRFS_CSUM_SIZE              32
#define BTRFS_FSID_SIZE              16
#define BTRFS_UUID_SIZE              16
#define BTRFS_LABEL_SIZE             256
#define BTRFS_MAX_LEVEL              8        /* levels 0..7 */
#define BTRFS_NUM_BACKUP_ROOTS       4
#define BTRFS_MIN_NODESIZE           4096
#define BTRFS_MAX_NODESIZE           65536
#define BTRFS_STRIPE_LEN             UINT64_C(65536)

/* ---- checksum types ---- */
#define BTRFS_CSUM_TYPE_CRC32        0
#define BTRFS_CSUM_TYPE_XXHASH       1
#define BTRFS_CSUM_TYPE_SHA256       2
#define BTRFS_CSUM_TYPE_BLAKE2       3

/* ---- tree ids (objectids of ROOT_ITEMs) ---- */
#define BTRFS_ROOT_TREE_OBJECTID        UINT64_C(1)
#define BTRFS_EXTENT_TREE_OBJECTID      UINT64_C(2)
#define BTRFS_CHUNK_TREE_OBJECTID       UINT64_C(3)
#define BTRFS_DEV_TREE_OBJECTID         UINT64_C(4)
#define BTRFS_FS_TREE_OBJECTID          UINT64_C(5)
#define BTRFS_CSUM_TREE_OBJECTID        UINT64_C(7)
#define BTRFS_UUID_TREE_OBJECTID        UINT64_C(9)
#define BTRFS_FREE_SPACE_TREE_OBJECTID  UINT64_C(10)
#define BTRFS_BLOCK_GROUP_TREE_OBJECTID UINT64_C(11)
#define BTRFS_RAID_STRIPE_TREE_OBJECTID UINT64_C(12)

/* objectids inside the chunk tree */
#define BTRFS_DEV_ITEMS_OBJECTID        UINT64_C(1)
#define BTRFS_FIRST_CHUNK_TREE_OBJECTID UINT64_C(256)

/* ---- item types (key.type) ---- */
#define BTRFS_EXTENT_ITEM_KEY        168
#define BTRFS_METADATA_ITEM_KEY      169
#define BTRFS_ROOT_ITEM_KEY          132
#define BTRFS_BLOCK_GROUP_ITEM_KEY   192
#define BTRFS_DEV_EXTENT_KEY         204
#define BTRFS_DEV_ITEM_KEY           216
#define BTRFS_CHUNK_ITEM_KEY         228

/* ---- block group / chunk type and profile bits (same values as FSD_BTRFS_BG_*) ---- */
#define BTRFS_BLOCK_GROUP_DATA       (UINT64_C(1) << 0)
#define BTRFS_BLOCK_GROUP_SYSTEM     (UINT64_C(1) << 1)
#define BTRFS_BLOCK_GROUP_METADATA   (UINT64_C(1) << 2)
#define BTRFS_BLOCK_GROUP_RAID0      (UINT64_C(1) << 3)
#define BTRFS_BLOCK_GROUP_RAID1      (UINT64_C(1) << 4)
#define BTRFS_BLOCK_GROUP_DUP        (UINT64_C(1) << 5)
#define BTRFS_BLOCK_GROUP_RAID10     (UINT64_C(1) << 6)
#define BTRFS_BLOCK_GROUP_RAID5      (UINT64_C(1) << 7)
#define BTRFS_BLOCK_GROUP_RAID6      (UINT64_C(1) << 8)
#define BTRFS_BLOCK_GROUP_RAID1C3    (UINT64_C(1) << 9)
#define BTRFS_BLOCK_GROUP_RAID1C4    (UINT64_C(1) << 10)
#define BTRFS_BLOCK_GROUP_TYPE_MASK \
        (BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_SYSTEM | BTRFS_BLOCK_GROUP_METADATA)
#define BTRFS_BLOCK_GROUP_PROFILE_MASK \
        (BTRFS_BLOCK_GROUP_RAID0 | BTRFS_BLOCK_GROUP_RAID1 | BTRFS_BLOCK_GROUP_DUP | \
         BTRFS_BLOCK_GROUP_RAID10 | BTRFS_BLOCK_GROUP_RAID5 | BTRFS_BLOCK_GROUP_RAID6 | \
         BTRFS_BLOCK_GROUP_RAID1C3 | BTRFS_BLOCK_GROUP_RAID1C4)

/* ---- feature bits ---- */
#define BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE       (UINT64_C(1) << 0)
#define BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE_VALID (UINT64_C(1) << 1)
#define BTRFS_FEATURE_COMPAT_RO_VERITY                (UINT64_C(1) << 2)
#define BTRFS_FEATURE_COMPAT_RO_BLOCK_GROUP_TREE      (UINT64_C(1) << 3)

#define BTRFS_FEATURE_INCOMPAT_MIXED_GROUPS     (UINT64_C(1) << 2)
#define BTRFS_FEATURE_INCOMPAT_RAID56           (UINT64_C(1) << 7)
#define BTRFS_FEATURE_INCOMPAT_METADATA_UUID    (UINT64_C(1) << 10)
#define BTRFS_FEATURE_INCOMPAT_RAID1C34         (UINT64_C(1) << 11)
#define BTRFS_FEATURE_INCOMPAT_ZONED            (UINT64_C(1) << 12)
#define BTRFS_FEATURE_INCOMPAT_EXTENT_TREE_V2   (UINT64_C(1) << 13)
#define BTRFS_FEATURE_INCOMPAT_RAID_STRIPE_TREE (UINT64_C(1) << 14)

/* superblock flags */
#define BTRFS_SUPER_FLAG_ERROR             (UINT64_C(1) << 2)
#define BTRFS_SUPER_FLAG_METADUMP          (UINT64_C(1) << 33)
#define BTRFS_SUPER_FLAG_METADUMP_V2       (UINT64_C(1) << 34)
#define BTRFS_SUPER_FLAG_CHANGING_BG_TREE  (UINT64_C(1) << 38)

/* ---- structures ---- */

struct btrfs_disk_key {
        btrfs_le64 objectid;
        uint8_t type;
        btrfs_le64 offset;
} _btrfs_packed_;

struct btrfs_dev_item {
        btrfs_le64 devid;
        btrfs_le64 total_bytes;
        btrfs_le64 bytes_used;
        btrfs_le32 io_align;
        btrfs_le32 io_width;
        btrfs_le32 sector_size;
        btrfs_le64 type;
        btrfs_le64 generation;
        btrfs_le64 start_offset;
        btrfs_le32 dev_group;
        uint8_t seek_speed;
        uint8_t bandwidth;
        uint8_t uuid[BTRFS_UUID_SIZE];
        uint8_t fsid[BTRFS_FSID_SIZE];
} _btrfs_packed_;

struct btrfs_stripe {
        btrfs_le64 devid;
        btrfs_le64 offset;
        uint8_t dev_uuid[BTRFS_UUID_SIZE];
} _btrfs_packed_;

/* followed by num_stripes struct btrfs_stripe (the first one is declared inline on disk; we
 * keep the fixed part separate so sizeof() is the header alone) */
struct btrfs_chunk {
        btrfs_le64 length;
        btrfs_le64 owner;
        btrfs_le64 stripe_len;
        btrfs_le64 type;
        btrfs_le32 io_align;
        btrfs_le32 io_width;
        btrfs_le32 sector_size;
        btrfs_le16 num_stripes;
        btrfs_le16 sub_stripes;
} _btrfs_packed_;

struct btrfs_root_backup {
        btrfs_le64 tree_root, tree_root_gen;
        btrfs_le64 chunk_root, chunk_root_gen;
        btrfs_le64 extent_root, extent_root_gen;
        btrfs_le64 fs_root, fs_root_gen;
        btrfs_le64 dev_root, dev_root_gen;
        btrfs_le64 csum_root, csum_root_gen;
        btrfs_le64 total_bytes, bytes_used, num_devices;
        btrfs_le64 unused_64[4];
        uint8_t tree_root_level, chunk_root_level, extent_root_level, fs_root_level;
        uint8_t dev_root_level, csum_root_level;
        uint8_t unused_8[10];
} _btrfs_packed_;

struct btrfs_super_block {
        uint8_t csum[BTRFS_CSUM_SIZE];
        uint8_t fsid[BTRFS_FSID_SIZE];
        btrfs_le64 bytenr;               /* where this copy lives on its device */
        btrfs_le64 flags;
        btrfs_le64 magic;
        btrfs_le64 generation;
        btrfs_le64 root;                 /* logical address of the root tree root */
        btrfs_le64 chunk_root;
        btrfs_le64 log_root;
        btrfs_le64 unused_log_root_transid;
        btrfs_le64 total_bytes;
        btrfs_le64 bytes_used;
        btrfs_le64 root_dir_objectid;
        btrfs_le64 num_devices;
        btrfs_le32 sectorsize;
        btrfs_le32 nodesize;
        btrfs_le32 unused_leafsize;
        btrfs_le32 stripesize;
        btrfs_le32 sys_chunk_array_size;
        btrfs_le64 chunk_root_generation;
        btrfs_le64 compat_flags;
        btrfs_le64 compat_ro_flags;
        btrfs_le64 incompat_flags;
        btrfs_le16 csum_type;
        uint8_t root_level;
        uint8_t chunk_root_level;
        uint8_t log_root_level;
        struct btrfs_dev_item dev_item;  /* the device this copy was read from */
        char label[BTRFS_LABEL_SIZE];
        btrfs_le64 cache_generation;
        btrfs_le64 uuid_tree_generation;
        uint8_t metadata_uuid[BTRFS_FSID_SIZE];
        btrfs_le64 nr_global_roots;
        btrfs_le64 reserved[27];
        uint8_t sys_chunk_array[BTRFS_SYSTEM_CHUNK_ARRAY_SIZE];
        struct btrfs_root_backup super_roots[BTRFS_NUM_BACKUP_ROOTS];
        uint8_t padding[565];
} _btrfs_packed_;

struct btrfs_header {
        uint8_t csum[BTRFS_CSUM_SIZE];
        uint8_t fsid[BTRFS_FSID_SIZE];
        btrfs_le64 bytenr;               /* logical address of this block */
        btrfs_le64 flags;
        uint8_t chunk_tree_uuid[BTRFS_UUID_SIZE];
        btrfs_le64 generation;
        btrfs_le64 owner;
        btrfs_le32 nritems;
        uint8_t level;
} _btrfs_packed_;

/* leaf item: data lives at header end + offset */
struct btrfs_item {
        struct btrfs_disk_key key;
        btrfs_le32 offset;
        btrfs_le32 size;
} _btrfs_packed_;

/* node slot */
struct btrfs_key_ptr {
        struct btrfs_disk_key key;
        btrfs_le64 blockptr;
        btrfs_le64 generation;
} _btrfs_packed_;

struct btrfs_timespec {
        btrfs_le64 sec;
        btrfs_le32 nsec;
} _btrfs_packed_;

struct btrfs_inode_item {
        btrfs_le64 generation, transid, size, nbytes, block_group;
        btrfs_le32 nlink, uid, gid, mode;
        btrfs_le64 rdev, flags, sequence;
        btrfs_le64 reserved[4];
        struct btrfs_timespec atime, ctime, mtime, otime;
} _btrfs_packed_;

/* The original (v0-compatible) part of a ROOT_ITEM: all we read. Newer items are longer. */
struct btrfs_root_item {
        struct btrfs_inode_item inode;
        btrfs_le64 generation;
        btrfs_le64 root_dirid;
        btrfs_le64 bytenr;
        btrfs_le64 byte_limit;
        btrfs_le64 bytes_used;
        btrfs_le64 last_snapshot;
        btrfs_le64 flags;
        btrfs_le32 refs;
        struct btrfs_disk_key drop_progress;
        uint8_t drop_level;
        uint8_t level;
} _btrfs_packed_;

struct btrfs_block_group_item {
        btrfs_le64 used;
        btrfs_le64 chunk_objectid;
        btrfs_le64 flags;
} _btrfs_packed_;

struct btrfs_dev_extent {
        btrfs_le64 chunk_tree;
        btrfs_le64 chunk_objectid;
        btrfs_le64 chunk_offset;
        btrfs_le64 length;
        uint8_t chunk_tree_uuid[BTRFS_UUID_SIZE];
} _btrfs_packed_;

/* ---- layout pins (offsets from uapi btrfs_tree.h) ---- */
static_assert(sizeof(struct btrfs_disk_key) == 17, "disk key");
static_assert(sizeof(struct btrfs_dev_item) == 98, "dev item");
static_assert(sizeof(struct btrfs_stripe) == 32, "stripe");
static_assert(sizeof(struct btrfs_chunk) == 48, "chunk");
static_assert(sizeof(struct btrfs_root_backup) == 168, "backup root");
static_assert(sizeof(struct btrfs_super_block) == BTRFS_SUPER_INFO_SIZE, "superblock");
static_assert(offsetof(struct btrfs_super_block, magic) == 64, "sb magic");
static_assert(offsetof(struct btrfs_super_block, sys_chunk_array_size) == 160, "sb sys array size");
static_assert(offsetof(struct btrfs_super_block, csum_type) == 196, "sb csum type");
static_assert(offsetof(struct btrfs_super_block, dev_item) == 201, "sb dev item");
static_assert(offsetof(struct btrfs_super_block, label) == 299, "sb label");
static_assert(offsetof(struct btrfs_super_block, metadata_uuid) == 571, "sb metadata uuid");
static_assert(offsetof(struct btrfs_super_block, sys_chunk_array) == 0x32B, "sb sys array");
static_assert(sizeof(struct btrfs_header) == 101, "header");
static_assert(sizeof(struct btrfs_item) == 25, "item");
static_assert(sizeof(struct btrfs_key_ptr) == 33, "key ptr");
static_assert(sizeof(struct btrfs_inode_item) == 160, "inode item");
static_assert(offsetof(struct btrfs_root_item, bytenr) == 176, "root item bytenr");
static_assert(offsetof(struct btrfs_root_item, bytes_used) == 192, "root item bytes_used");
static_assert(sizeof(struct btrfs_root_item) == 239, "root item v0");
static_assert(sizeof(struct btrfs_block_group_item) == 24, "block group item");
static_assert(sizeof(struct btrfs_dev_extent) == 48, "dev extent");
