/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/*
 * Builds a small but complete btrfs image in memory, byte by byte, with correct checksums: a
 * superblock whose sys_chunk_array maps one SYSTEM chunk, and inside it a chunk tree, a root
 * tree, an extent tree and (optionally) a block-group tree. Debian 12's mkfs.btrfs (progs 6.2)
 * cannot make a block-group-tree filesystem, so the unit tests construct one here.
 *
 * Layout: image of IMG_SIZE bytes, superblock at 64 KiB, SYSTEM chunk at logical IMG_SYS_LOGICAL
 * mapped (single) to physical IMG_SYS_PHYSICAL, tree blocks of IMG_NODESIZE bytes in it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMG_SIZE          (256u * 1024)
#define IMG_NODESIZE      4096u
#define IMG_SYS_LOGICAL   UINT64_C(0x100000)
#define IMG_SYS_PHYSICAL  UINT64_C(0x11000)  /* right after the superblock: small fuzz seeds */
#define IMG_SYS_LENGTH    UINT64_C(0x10000)
/* tree blocks, by logical address */
#define IMG_CHUNK_ROOT    (IMG_SYS_LOGICAL + 0 * IMG_NODESIZE)
#define IMG_ROOT_TREE     (IMG_SYS_LOGICAL + 1 * IMG_NODESIZE)
#define IMG_BG_TREE       (IMG_SYS_LOGICAL + 2 * IMG_NODESIZE)
#define IMG_EXTENT_TREE   (IMG_SYS_LOGICAL + 3 * IMG_NODESIZE)
#define IMG_EXTENT_LEAF2  (IMG_SYS_LOGICAL + 4 * IMG_NODESIZE)
#define IMG_EXTENT_LEAF1  (IMG_SYS_LOGICAL + 5 * IMG_NODESIZE)
#define IMG_METADATA_LOGICAL UINT64_C(0x800000)
#define IMG_DATA_LOGICAL     UINT64_C(0x1000000)
#define IMG_CHUNK_LENGTH     UINT64_C(0x800000)
#define IMG_SYS_USED      UINT64_C(24576)
#define IMG_META_USED     UINT64_C(1048576)
#define IMG_DATA_USED     UINT64_C(3145728)

struct img_opts {
        uint16_t csum_type;
        bool block_group_tree;   /* BGs in tree 11 (compat_ro bit 3), else in the extent tree */
        bool two_level_extent;   /* extent tree as a node over two leaves with extent items */
};

/* Build the image into buf (IMG_SIZE bytes). */
void img_build(uint8_t *buf, const struct img_opts *opts);
/* Recompute the checksum of the tree block at a logical address (after editing it). */
void img_fix_block_csum(uint8_t *buf, uint16_t csum_type, uint64_t logical);
/* Recompute the superblock checksum at byte offset `at`. */
void img_fix_super_csum(uint8_t *buf, uint16_t csum_type, uint64_t at);
/* Pointer to the tree block at a logical address inside buf. */
uint8_t *img_block(uint8_t *buf, uint64_t logical);
