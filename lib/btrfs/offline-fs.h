/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The offline reader's open filesystem (offline.c) and the tree walking it reads through
 * (offline-tree.c): reading checked tree blocks through the chunk map, visiting a tree in key
 * order, and exact-key lookups that keep the path of the last one. */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "btrfs/offline-internal.h"
#include "fsdoctor.h"

struct offline_dev {
        int fd;
        uint64_t size;
        uint64_t devid;
        uint64_t generation;
        uint8_t uuid[BTRFS_UUID_SIZE];
        char path[256];
        unsigned sb_copy;
        struct btrfs_super_block sb;
};

struct offline_fs {
        struct offline_dev *devs;
        size_t n_devs;
        const struct btrfs_super_block *sb;     /* newest of the devices' superblocks */
        uint32_t nodesize, sectorsize;
        uint16_t csum_type;
        int csum_size;
        uint8_t tree_fsid[BTRFS_FSID_SIZE];      /* what tree block headers carry */
        const struct btrfs_chunk_map *map;       /* the map reads go through */
        struct btrfs_chunk_map sys_map, full_map;
        uint64_t nodes_read;
        /* one block per level for lookups that descend in key order: upper levels are re-used */
        uint8_t *path_buf[BTRFS_MAX_LEVEL];
        uint64_t path_bytenr[BTRFS_MAX_LEVEL];
        bool path_valid[BTRFS_MAX_LEVEL];
        uint64_t leaf_root;                      /* root of the tree path_buf[0] was reached from */
        /* block-group lookups to come (full_map.chunks[bg_next...]), so that a node just read can
         * ask the kernel for the children they will visit all at once */
        bool bg_prefetch;
        size_t bg_next;
        uint64_t bg_prefetch_budget;             /* keys prefetch_children may still look at */
        char **reterr;
        /* collected from the chunk tree */
        struct fsd_btrfs_device *devices;
        size_t n_devices;
};

/* The open device with this devid, NULL when it was not given. */
struct offline_dev *offline_find_dev(struct offline_fs *fs, uint64_t devid);

typedef int (*offline_item_fn)(struct offline_fs *fs, const struct btrfs_key *key, const uint8_t *data,
                               uint32_t size, void *userdata);

/* Visit every item of a tree in key order. Keys must strictly increase across the whole walk. */
int offline_walk_tree(struct offline_fs *fs, uint64_t bytenr, int level, struct btrfs_key *last,
                      bool *have_last, offline_item_fn fn, void *userdata);

/* Find the item with exactly this key. @return 1 and its data (valid until the next lookup),
 * 0 if absent, or a negative error. */
int offline_tree_lookup(struct offline_fs *fs, uint64_t root, int root_level, const struct btrfs_key *key,
                        const uint8_t **ret_data, uint32_t *ret_size);
