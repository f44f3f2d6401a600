/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tree walking for the offline reader: every tree block is read through the chunk map (each copy
 * of a mirrored chunk in turn), checked (checksum, bytenr, fsid, level, item count) before use,
 * and a child must sit exactly one level below its parent, so no pointer loop can recurse.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "basic/io.h"
#include "btrfs/accessors.h"
#include "btrfs/csum.h"
#include "btrfs/offline-fs.h"
#include "core/diag-log.h"

struct offline_dev *offline_find_dev(struct offline_fs *fs, uint64_t devid) {
        for (size_t i = 0; i < fs->n_devs; i++)
                if (fs->devs[i].devid == devid)
                        return &fs->devs[i];
        return NULL;
}

/* Header checks of one tree block copy; *why names the problem (without the location). */
static int check_tree_block(struct offline_fs *fs, const uint8_t *buf, uint64_t logical, int level,
                            char **why) {
        const struct btrfs_header *h = (const struct btrfs_header *) buf;
        uint8_t csum[BTRFS_CSUM_SIZE];
        uint32_t nritems, max_items;
        int r;

        r = btrfs_csum_compute(fs->csum_type, buf + BTRFS_CSUM_SIZE, fs->nodesize - BTRFS_CSUM_SIZE, csum);
        if (r < 0)
                return r;
        if (memcmp(csum, h->csum, fs->csum_size) != 0)
                return btrfs_detail(why, -FSD_E_CSUM, "%s checksum mismatch", btrfs_csum_name(fs->csum_type));
        if (btrfs_header_bytenr(h) != logical)
                return btrfs_detail(why, -FSD_E_CORRUPT, "header says bytenr %" PRIu64, btrfs_header_bytenr(h));
        if (memcmp(h->fsid, fs->tree_fsid, BTRFS_FSID_SIZE) != 0)
                return btrfs_detail(why, -FSD_E_CORRUPT, "header fsid belongs to another filesystem");
        if (btrfs_header_level(h) != level)
                return btrfs_detail(why, -FSD_E_CORRUPT, "level %u where level %d was expected",
                                    btrfs_header_level(h), level);
        nritems = btrfs_header_nritems(h);
        max_items = (fs->nodesize - sizeof(struct btrfs_header)) /
                    (level == 0 ? sizeof(struct btrfs_item) : sizeof(struct btrfs_key_ptr));
        if (nritems > max_items || (level > 0 && nritems == 0))
                return btrfs_detail(why, -FSD_E_CORRUPT, "%u items in a level %d block (at most %u fit)",
                                    nritems, level, max_items);
        return 0;
}

/* Read and check the tree block at a logical address, trying each copy of its chunk in turn (so a
 * degraded RAID1/DUP/RAID10 still reads), into buf (nodesize bytes). */
static int read_tree_block(struct offline_fs *fs, uint64_t logical, int level, uint8_t *buf) {
        _cleanup_free_ char *why = NULL;
        const struct btrfs_map_chunk *c;
        unsigned copies, missing = 0;
        int err = 0;

        if (++fs->nodes_read > BTRFS_OFFLINE_MAX_NODES_READ)
                return btrfs_detail(fs->reterr, -FSD_E_LIMIT, "read more than %" PRIu64
                                    " tree blocks: refusing to read further", BTRFS_OFFLINE_MAX_NODES_READ);
        if (level < 0 || level >= BTRFS_MAX_LEVEL)
                return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "tree block at logical %" PRIu64
                                    " would be at level %d", logical, level);
        c = btrfs_chunk_map_find(fs->map, logical);
        if (!c)
                return btrfs_detail(fs->reterr, -FSD_E_CORRUPT,
                                    "tree block at logical %" PRIu64 " lies in no chunk", logical);
        if (logical % fs->sectorsize)
                return btrfs_detail(fs->reterr, -FSD_E_CORRUPT,
                                    "tree block at logical %" PRIu64 " is not aligned to %u", logical, fs->sectorsize);
        copies = btrfs_chunk_num_copies(c);
        for (unsigned m = 0; m < copies; m++) {
                _cleanup_free_ char *reason = NULL;
                struct offline_dev *dev;
                uint64_t devid, physical;
                ssize_t k;
                int r;

                r = btrfs_chunk_map_stripe(fs->map, c, logical, fs->nodesize, m, &devid, &physical);
                if (r < 0)
                        return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "tree block at logical %" PRIu64
                                            " cannot be mapped through chunk %" PRIu64 " (copy %u)",
                                            logical, c->logical, m);
                dev = offline_find_dev(fs, devid);
                if (!dev) {
                        missing++;
                        continue;
                }
                free(why);
                why = NULL;
                if (physical > dev->size || dev->size - physical < fs->nodesize) {
                        err = -FSD_E_TRUNCATED;
                        btrfs_detail(&why, 0, "tree block at logical %" PRIu64 " (devid %" PRIu64
                                     ", %s, offset %" PRIu64 "): beyond the end of the device (%" PRIu64 " bytes)",
                                     logical, devid, dev->path, physical, dev->size);
                        continue;
                }
                k = pread_full(dev->fd, buf, fs->nodesize, physical);
                if (k >= 0 && (size_t) k < fs->nodesize)
                        k = -FSD_E_TRUNCATED;
                if (k < 0) {
                        err = (int) k;
                        btrfs_detail(&why, 0, "tree block at logical %" PRIu64 " (devid %" PRIu64
                                     ", %s, offset %" PRIu64 "): %s", logical, devid, dev->path, physical,
                                     fsd_strerror(err));
                        continue;
                }
                r = check_tree_block(fs, buf, logical, level, &reason);
                if (r == 0) {
                        if (m > 0)
                                fsd_debug("tree block at logical %" PRIu64 ": read copy %u", logical, m);
                        return 0;
                }
                err = r;
                btrfs_detail(&why, 0, "tree block at logical %" PRIu64 " (devid %" PRIu64 ", %s, offset %"
                             PRIu64 "): %s", logical, devid, dev->path, physical,
                             reason ? reason : fsd_strerror(r));
                fsd_debug("%s", why ? why : "tree block copy unusable");
        }
        if (err == 0) {
                const char *what = (c->type & (BTRFS_BLOCK_GROUP_RAID5 | BTRFS_BLOCK_GROUP_RAID6))
                                           ? " (RAID5/6 reconstruction is not supported offline)" : "";
                return btrfs_detail(fs->reterr, -ENODEV, "tree block at logical %" PRIu64
                                    ": all %u cop%s on missing devices%s", logical, copies,
                                    copies == 1 ? "y is" : "ies are", what);
        }
        if (why && fs->reterr && !*fs->reterr)
                *fs->reterr = TAKE_PTR(why);
        (void) missing;
        return err;
}

static int leaf_item(struct offline_fs *fs, const uint8_t *leaf, uint32_t slot, struct btrfs_key *ret_key,
                     const uint8_t **ret_data, uint32_t *ret_size) {
        const struct btrfs_item *it = (const struct btrfs_item *) (leaf + sizeof(struct btrfs_header) +
                                                                  (size_t) slot * sizeof(struct btrfs_item));
        uint32_t off = btrfs_item_offset(it), size = btrfs_item_size(it);
        uint32_t data_area = fs->nodesize - sizeof(struct btrfs_header);

        btrfs_disk_key_to_cpu(ret_key, &it->key);
        if (off > data_area || size > data_area - off)
                return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "leaf at logical %" PRIu64
                                    ": item %u (key %" PRIu64 " %u %" PRIu64 ") points outside the leaf",
                                    btrfs_header_bytenr((const struct btrfs_header *) leaf), slot,
                                    ret_key->objectid, ret_key->type, ret_key->offset);
        *ret_data = leaf + sizeof(struct btrfs_header) + off;
        *ret_size = size;
        return 0;
}

static const struct btrfs_key_ptr *node_ptr(const uint8_t *node, uint32_t slot) {
        return (const struct btrfs_key_ptr *) (node + sizeof(struct btrfs_header) +
                                               (size_t) slot * sizeof(struct btrfs_key_ptr));
}

/* Ask the kernel to start reading the tree block at a logical address (first copy); a hint only. */
static void prefetch_tree_block(struct offline_fs *fs, uint64_t logical) {
        const struct btrfs_map_chunk *c = btrfs_chunk_map_find(fs->map, logical);
        const struct offline_dev *dev;
        uint64_t devid, physical;

        if (!c || btrfs_chunk_map_stripe(fs->map, c, logical, fs->nodesize, 0, &devid, &physical) < 0)
                return;
        dev = offline_find_dev(fs, devid);
        if (dev && physical <= dev->size && dev->size - physical >= fs->nodesize)
                (void) posix_fadvise(dev->fd, (off_t) physical, fs->nodesize, POSIX_FADV_WILLNEED);
}

/* Visit every item of a tree in key order. Keys must strictly increase across the whole walk. */
int offline_walk_tree(struct offline_fs *fs, uint64_t bytenr, int level, struct btrfs_key *last,
                     bool *have_last, offline_item_fn fn, void *userdata) {
        _cleanup_free_ uint8_t *buf = NULL;
        uint32_t n;
        int r;

        buf = malloc(fs->nodesize);
        if (!buf)
                return -ENOMEM;
        r = read_tree_block(fs, bytenr, level, buf);
        if (r < 0)
                return r;
        n = btrfs_header_nritems((const struct btrfs_header *) buf);
        if (level > 0) /* every child will be read: queue them all before waiting for the first */
                for (uint32_t i = 0; i < n; i++)
                        prefetch_tree_block(fs, btrfs_key_ptr_blockptr(node_ptr(buf, i)));
        for (uint32_t i = 0; i < n; i++) {
                struct btrfs_key key;
                const uint8_t *data = NULL;
                uint32_t size = 0;

                if (level == 0) {
                        r = leaf_item(fs, buf, i, &key, &data, &size);
                        if (r < 0)
                                return r;
                } else
                        btrfs_disk_key_to_cpu(&key, &node_ptr(buf, i)->key);
                /* a node's first key equals its child's first key, so only leaves advance `last` */
                if (*have_last && (level == 0 ? btrfs_key_cmp(&key, last) <= 0 : btrfs_key_cmp(&key, last) < 0))
                        return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "tree block at logical %" PRIu64
                                            " (level %d): key %" PRIu64 " %u %" PRIu64 " out of order",
                                            bytenr, level, key.objectid, key.type, key.offset);
                if (level == 0) {
                        *last = key;
                        *have_last = true;
                        r = fn(fs, &key, data, size, userdata);
                } else
                        r = offline_walk_tree(fs, btrfs_key_ptr_blockptr(node_ptr(buf, i)), level - 1, last, have_last,
                                      fn, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Key of item (leaf) or pointer (node) `slot` of a checked tree block. */
static void block_key(const uint8_t *buf, int level, uint32_t slot, struct btrfs_key *ret) {
        if (level == 0)
                btrfs_disk_key_to_cpu(ret, &((const struct btrfs_item *) (buf + sizeof(struct btrfs_header)))[slot].key);
        else
                btrfs_disk_key_to_cpu(ret, &node_ptr(buf, slot)->key);
}

/* Binary search: how many slots hold a key <= key (so the last of them is the one to follow). */
static uint32_t slots_up_to(const uint8_t *buf, int level, const struct btrfs_key *key) {
        uint32_t lo = 0, hi = btrfs_header_nritems((const struct btrfs_header *) buf);

        while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                struct btrfs_key k;
                block_key(buf, level, mid, &k);
                if (btrfs_key_cmp(&k, key) <= 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

static int leaf_lookup(struct offline_fs *fs, const uint8_t *leaf, const struct btrfs_key *key,
                       const uint8_t **ret_data, uint32_t *ret_size) {
        struct btrfs_key found;
        uint32_t n = slots_up_to(leaf, 0, key);
        int r;

        if (n == 0)
                return 0; /* key sorts before everything here */
        r = leaf_item(fs, leaf, n - 1, &found, ret_data, ret_size);
        if (r < 0)
                return r;
        return btrfs_key_cmp(&found, key) == 0 ? 1 : 0;
}

/*
 * A node was just read while block groups are looked up: the children the coming lookups will
 * descend into are known now, so their reads are queued together instead of waiting for one
 * another. On a cold cache that is the difference between one disk latency per leaf and a few
 * for all of them. Keys and slots only move forward, so this costs one pass over the keys the
 * node covers.
 */
static void prefetch_children(struct offline_fs *fs, const uint8_t *node, int level) {
        uint32_t n = btrfs_header_nritems((const struct btrfs_header *) node), last = UINT32_MAX;

        for (size_t i = fs->bg_next; i < fs->full_map.n_chunks; i++) {
                /* In a sound tree every key is looked at once per level. Keys out of order can make
                 * lookups read the same nodes again and again; then prefetching stops, not the
                 * reader. */
                if (fs->bg_prefetch_budget == 0) {
                        fs->bg_prefetch = false;
                        return;
                }
                fs->bg_prefetch_budget--;
                const struct btrfs_map_chunk *c = &fs->full_map.chunks[i];
                struct btrfs_key key = { .objectid = c->logical, .type = BTRFS_BLOCK_GROUP_ITEM_KEY,
                                         .offset = c->length };
                uint32_t slots = slots_up_to(node, level, &key);

                if (slots == 0 || slots - 1 == last)
                        continue;
                last = slots - 1;
                prefetch_tree_block(fs, btrfs_key_ptr_blockptr(node_ptr(node, last)));
                if (last == n - 1)
                        break; /* every later key descends here too, or into the next node */
        }
}

/* Find the item with exactly this key. @return 1 and its data (valid until the next lookup),
 * 0 if absent, or a negative error. */
int offline_tree_lookup(struct offline_fs *fs, uint64_t root, int root_level, const struct btrfs_key *key,
                       const uint8_t **ret_data, uint32_t *ret_size) {
        uint64_t bytenr = root;
        int r;

        /* Lookups in key order mostly land in the leaf of the one before: a key between that leaf's
         * first and last keys can be nowhere else in the tree, so the descent is skipped. */
        if (fs->path_valid[0] && fs->leaf_root == root) {
                const uint8_t *leaf = fs->path_buf[0];
                uint32_t n = btrfs_header_nritems((const struct btrfs_header *) leaf);
                struct btrfs_key first, last;

                if (n > 0) {
                        block_key(leaf, 0, 0, &first);
                        block_key(leaf, 0, n - 1, &last);
                        if (btrfs_key_cmp(&first, key) <= 0 && btrfs_key_cmp(key, &last) <= 0)
                                return leaf_lookup(fs, leaf, key, ret_data, ret_size);
                }
        }

        for (int level = root_level;; level--) {
                if (level < 0 || level >= BTRFS_MAX_LEVEL)
                        return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "tree level %d out of range", level);
                if (!fs->path_buf[level]) {
                        fs->path_buf[level] = malloc(fs->nodesize);
                        if (!fs->path_buf[level])
                                return -ENOMEM;
                }
                uint8_t *buf = fs->path_buf[level];
                if (!fs->path_valid[level] || fs->path_bytenr[level] != bytenr) {
                        fs->path_valid[level] = false;
                        r = read_tree_block(fs, bytenr, level, buf);
                        if (r < 0)
                                return r;
                        fs->path_valid[level] = true;
                        fs->path_bytenr[level] = bytenr;
                        if (level > 0 && fs->bg_prefetch)
                                prefetch_children(fs, buf, level);
                }
                if (level == 0) {
                        fs->leaf_root = root;
                        return leaf_lookup(fs, buf, key, ret_data, ret_size);
                }
                uint32_t n = slots_up_to(buf, level, key);
                if (n == 0)
                        return 0; /* key sorts before everything here */
                bytenr = btrfs_key_ptr_blockptr(node_ptr(buf, n - 1));
        }
}
