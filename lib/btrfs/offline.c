/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Offline reader: the space model of a btrfs filesystem read straight from its images or block
 * devices, read-only (O_RDONLY, pread only; not one byte is ever written).
 *
 * Path through the format:
 *   superblock (primary at 64 KiB, else the newest valid mirror)
 *   -> sys_chunk_array: enough of the chunk map to read the chunk tree
 *   -> chunk tree: every DEV_ITEM and CHUNK_ITEM, the full logical -> physical map
 *   -> root tree: ROOT_ITEMs of the extent tree (2) or block-group tree (11) and of the trees
 *      the global reserve is sized from
 *   -> one exact lookup of (chunk start, BLOCK_GROUP_ITEM, chunk length) per chunk. In the extent
 *      tree the block-group items sit between millions of extent items; a lookup per chunk reads
 *      only the path to the one leaf holding the item (upper levels stay cached), not the tree.
 *
 * Every tree block is checked (checksum, bytenr, fsid, level) before use, a child must sit exactly
 * one level below its parent (so no pointer loop can recurse), and every count is bounded
 * (devices, chunks, stripes, tree blocks read), so no image can hang us or make us allocate
 * without limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btrfs/accessors.h"
#include "btrfs/csum.h"
#include "btrfs/offline-internal.h"
#include "btrfs/space-model.h"
#include "core/diag-log.h"
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

static void offline_fs_done(struct offline_fs *fs) {
        for (size_t i = 0; i < fs->n_devs; i++)
                if (fs->devs[i].fd >= 0)
                        close(fs->devs[i].fd);
        free(fs->devs);
        btrfs_chunk_map_done(&fs->sys_map);
        btrfs_chunk_map_done(&fs->full_map);
        for (int i = 0; i < BTRFS_MAX_LEVEL; i++)
                free(fs->path_buf[i]);
        free(fs->devices);
}

static void uuid_to_string(const uint8_t u[16], char s[37]) {
        snprintf(s, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                 u[14], u[15]);
}

/* pread until len bytes or end of file. @return bytes read or -errno. */
static ssize_t pread_full(int fd, void *buf, size_t len, uint64_t offset) {
        size_t done = 0;

        while (done < len) {
                ssize_t k = pread(fd, (uint8_t *) buf + done, len - done, (off_t) (offset + done));
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                done += (size_t) k;
        }
        return (ssize_t) done;
}

static int open_device(const char *path, struct offline_dev *dev, char **reterr) {
        _cleanup_close_ int fd = -1;
        struct stat st;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return btrfs_detail(reterr, -errno, "%s: cannot open read-only: %s", path, strerror(errno));
        if (fstat(fd, &st) < 0)
                return btrfs_detail(reterr, -errno, "%s: cannot stat: %s", path, strerror(errno));
        if (S_ISBLK(st.st_mode)) {
                uint64_t size;
                if (ioctl(fd, BLKGETSIZE64, &size) < 0)
                        return btrfs_detail(reterr, -errno, "%s: cannot get the device size: %s",
                                            path, strerror(errno));
                dev->size = size;
        } else if (S_ISREG(st.st_mode))
                dev->size = (uint64_t) st.st_size;
        else
                return btrfs_detail(reterr, -ENOTBLK, "%s: neither an image file nor a block device", path);
        snprintf(dev->path, sizeof dev->path, "%s", path);
        dev->fd = TAKE_FD(fd);
        return 0;
}

/* Primary superblock if valid, else the valid mirror with the highest generation. */
static int read_super(struct offline_dev *dev, char **reterr) {
        _cleanup_free_ char *primary_why = NULL;
        _cleanup_free_ struct btrfs_super_block *copy = NULL;
        int primary_err = 0;
        bool found = false;

        copy = malloc(sizeof *copy);
        if (!copy)
                return -ENOMEM;
        for (unsigned i = 0; i < BTRFS_SUPER_MIRROR_MAX; i++) {
                _cleanup_free_ char *why = NULL;
                uint64_t off = btrfs_sb_offset(i);
                ssize_t k;
                int r;

                if (off + BTRFS_SUPER_INFO_SIZE > dev->size) {
                        if (i == 0) {
                                primary_err = -FSD_E_TRUNCATED;
                                btrfs_detail(&primary_why, 0, "the device is only %" PRIu64
                                             " bytes, too small for a superblock at byte %" PRIu64,
                                             dev->size, off);
                        }
                        break;
                }
                k = pread_full(dev->fd, copy, BTRFS_SUPER_INFO_SIZE, off);
                if (k < 0)
                        r = btrfs_detail(&why, (int) k, "cannot read the superblock at byte %" PRIu64 ": %s",
                                         off, strerror((int) -k));
                else if (k < BTRFS_SUPER_INFO_SIZE)
                        r = btrfs_detail(&why, -FSD_E_TRUNCATED, "superblock at byte %" PRIu64 " is cut short", off);
                else
                        r = btrfs_super_check(copy, off, true, &why);
                if (i == 0) {
                        if (r == 0) {
                                dev->sb = *copy;
                                dev->sb_copy = 0;
                                found = true;
                                break;
                        }
                        primary_err = r;
                        primary_why = TAKE_PTR(why);
                        continue;
                }
                if (r < 0) {
                        fsd_debug("%s: superblock mirror %u unusable: %s", dev->path, i, why ? why : fsd_strerror(r));
                        continue;
                }
                if (!found || btrfs_super_generation(copy) > btrfs_super_generation(&dev->sb)) {
                        dev->sb = *copy;
                        dev->sb_copy = i;
                        found = true;
                }
        }
        if (!found)
                return btrfs_detail(reterr, primary_err ? primary_err : -FSD_E_NOT_BTRFS, "%s: %s", dev->path,
                                    primary_why ? primary_why : "no valid superblock");
        if (dev->sb_copy == 0)
                fsd_debug("%s: using the primary superblock (generation %" PRIu64 ")", dev->path,
                          btrfs_super_generation(&dev->sb));
        else
                fsd_debug("%s: primary superblock unusable (%s); using mirror %u at byte %" PRIu64
                          " (generation %" PRIu64 ")", dev->path, primary_why ? primary_why : "?",
                          dev->sb_copy, btrfs_sb_offset(dev->sb_copy), btrfs_super_generation(&dev->sb));
        dev->devid = btrfs_dev_item_devid(&dev->sb.dev_item);
        dev->generation = btrfs_super_generation(&dev->sb);
        memcpy(dev->uuid, dev->sb.dev_item.uuid, BTRFS_UUID_SIZE);
        return 0;
}

static struct offline_dev *find_dev(struct offline_fs *fs, uint64_t devid) {
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
                dev = find_dev(fs, devid);
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
        dev = find_dev(fs, devid);
        if (dev && physical <= dev->size && dev->size - physical >= fs->nodesize)
                (void) posix_fadvise(dev->fd, (off_t) physical, fs->nodesize, POSIX_FADV_WILLNEED);
}

typedef int (*item_fn)(struct offline_fs *fs, const struct btrfs_key *key, const uint8_t *data,
                       uint32_t size, void *userdata);

/* Visit every item of a tree in key order. Keys must strictly increase across the whole walk. */
static int walk_tree(struct offline_fs *fs, uint64_t bytenr, int level, struct btrfs_key *last,
                     bool *have_last, item_fn fn, void *userdata) {
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
                        r = walk_tree(fs, btrfs_key_ptr_blockptr(node_ptr(buf, i)), level - 1, last, have_last,
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
static int tree_lookup(struct offline_fs *fs, uint64_t root, int root_level, const struct btrfs_key *key,
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

/* ---- chunk tree ---- */

static int chunk_tree_item(struct offline_fs *fs, const struct btrfs_key *key, const uint8_t *data,
                           uint32_t size, void *userdata) {
        size_t used;

        if (key->objectid == BTRFS_DEV_ITEMS_OBJECTID && key->type == BTRFS_DEV_ITEM_KEY) {
                const struct btrfs_dev_item *di = (const struct btrfs_dev_item *) data;
                if (size < sizeof(struct btrfs_dev_item))
                        return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "chunk tree: DEV_ITEM for devid %" PRIu64
                                            " has %u bytes, needs %zu", key->offset, size, sizeof *di);
                if (fs->n_devices >= BTRFS_OFFLINE_MAX_DEVICES)
                        return btrfs_detail(fs->reterr, -FSD_E_LIMIT, "chunk tree lists more than %d devices",
                                            BTRFS_OFFLINE_MAX_DEVICES);
                if (fs->n_devices % 16 == 0) {
                        struct fsd_btrfs_device *d = reallocarray(fs->devices, fs->n_devices + 16, sizeof *d);
                        if (!d)
                                return -ENOMEM;
                        fs->devices = d;
                }
                struct fsd_btrfs_device *d = &fs->devices[fs->n_devices++];
                *d = (struct fsd_btrfs_device) {
                        .devid = btrfs_dev_item_devid(di),
                        .size = btrfs_dev_item_total_bytes(di),
                        .allocated = btrfs_dev_item_bytes_used(di),
                };
                memcpy(d->uuid, di->uuid, sizeof d->uuid);
                return 0;
        }
        if (key->type == BTRFS_CHUNK_ITEM_KEY) {
                if (key->objectid != BTRFS_FIRST_CHUNK_TREE_OBJECTID)
                        return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "chunk tree: chunk item with objectid %"
                                            PRIu64, key->objectid);
                return btrfs_chunk_map_add_disk(&fs->full_map, key->offset, data, size, &used, fs->reterr);
        }
        return 0; /* other items (none today) are not ours to judge */
}

static int read_chunk_tree(struct offline_fs *fs) {
        struct btrfs_key last = {};
        bool have_last = false;
        int r;

        r = btrfs_super_load_sys_array(fs->sb, &fs->sys_map, fs->reterr);
        if (r < 0)
                return r;
        fs->map = &fs->sys_map;
        r = walk_tree(fs, btrfs_super_chunk_root(fs->sb), btrfs_super_chunk_root_level(fs->sb), &last,
                      &have_last, chunk_tree_item, NULL);
        if (r < 0)
                return r;
        if (fs->full_map.n_chunks == 0)
                return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "chunk tree holds no chunks");
        fs->map = &fs->full_map;
        fsd_debug("chunk tree: %zu chunks, %zu devices", fs->full_map.n_chunks, fs->n_devices);
        return 0;
}

/* ---- root tree ---- */

struct root_info {
        bool present;
        uint64_t bytenr, bytes_used;
        int level;
};

static int read_root_item(struct offline_fs *fs, uint64_t tree_id, struct root_info *ret) {
        struct btrfs_key key = { .objectid = tree_id, .type = BTRFS_ROOT_ITEM_KEY, .offset = 0 };
        const uint8_t *data;
        uint32_t size;
        int r;

        *ret = (struct root_info) {};
        r = tree_lookup(fs, btrfs_super_root(fs->sb), btrfs_super_root_level(fs->sb), &key, &data, &size);
        if (r <= 0)
                return r;
        if (size < sizeof(struct btrfs_root_item))
                return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "root tree: ROOT_ITEM of tree %" PRIu64
                                    " has %u bytes, needs %zu", tree_id, size, sizeof(struct btrfs_root_item));
        const struct btrfs_root_item *ri = (const struct btrfs_root_item *) data;
        *ret = (struct root_info) {
                .present = true,
                .bytenr = btrfs_root_item_bytenr(ri),
                .bytes_used = btrfs_root_item_bytes_used(ri),
                .level = btrfs_root_item_level(ri),
        };
        return 1;
}

/* ---- block groups ---- */

static int find_block_group(struct offline_fs *fs, const struct root_info *root,
                            const struct btrfs_map_chunk *c, struct fsd_btrfs_block_group *ret) {
        struct btrfs_key key = { .objectid = c->logical, .type = BTRFS_BLOCK_GROUP_ITEM_KEY, .offset = c->length };
        const uint8_t *data;
        uint32_t size;
        int r;

        r = tree_lookup(fs, root->bytenr, root->level, &key, &data, &size);
        if (r <= 0)
                return r;
        if (size < sizeof(struct btrfs_block_group_item))
                return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "block group %" PRIu64 ": item has %u bytes",
                                    c->logical, size);
        const struct btrfs_block_group_item *bg = (const struct btrfs_block_group_item *) data;
        *ret = (struct fsd_btrfs_block_group) {
                .start = c->logical,
                .length = c->length,
                .used = btrfs_block_group_used(bg),
                .flags = btrfs_block_group_flags(bg),
        };
        return 1;
}

static int read_block_groups(struct offline_fs *fs, const struct root_info *primary,
                             const struct root_info *fallback, struct fsd_btrfs_space *space) {
        size_t n = fs->full_map.n_chunks, missing = 0;
        int r;

        space->block_groups = calloc(n, sizeof *space->block_groups);
        if (!space->block_groups)
                return -ENOMEM;
        /* Lookups in two trees (an interrupted block-group-tree conversion) would make the path
         * alternate between them, and every node read would look ahead again: no prefetching then. */
        fs->bg_prefetch = !(fallback && fallback->present);
        fs->bg_prefetch_budget = (uint64_t) n * 2 * BTRFS_MAX_LEVEL + 65536;
        for (size_t i = 0; i < n; i++) {
                const struct btrfs_map_chunk *c = &fs->full_map.chunks[i];
                struct fsd_btrfs_block_group bg;

                fs->bg_next = i;
                r = find_block_group(fs, primary, c, &bg);
                if (r == 0 && fallback && fallback->present)
                        r = find_block_group(fs, fallback, c, &bg);
                if (r < 0)
                        return r;
                if (r == 0) {
                        missing++;
                        continue;
                }
                if ((bg.flags & (BTRFS_BLOCK_GROUP_TYPE_MASK | BTRFS_BLOCK_GROUP_PROFILE_MASK)) !=
                    (c->type & (BTRFS_BLOCK_GROUP_TYPE_MASK | BTRFS_BLOCK_GROUP_PROFILE_MASK)))
                        fsd_debug("block group %" PRIu64 ": flags 0x%" PRIx64 " differ from its chunk's 0x%" PRIx64,
                                  bg.start, bg.flags, c->type);
                if (bg.used > bg.length)
                        return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "block group %" PRIu64
                                            ": used %" PRIu64 " exceeds its length %" PRIu64,
                                            bg.start, bg.used, bg.length);
                space->block_groups[space->n_block_groups++] = bg;
        }
        if (missing > 0)
                fsd_warn("%zu of %zu chunks have no block-group item: they are left out of the model",
                         missing, n);
        return 0;
}

/*
 * Estimated global block reserve, after the kernel's btrfs_update_global_block_rsv() (5.x/6.x,
 * block-rsv.c): the bytes_used of the extent, csum and free-space trees (plus the block-group and
 * raid-stripe trees when present), at least the metadata for min_items inserts plus the delayed
 * refs of one unlink, at most 512 MiB:
 *   min_items = 1 (tree root) + one per counted tree + 6 (BTRFS_UNLINK_METADATA_UNITS)
 *   insert(n) = nodesize * 8 (BTRFS_MAX_LEVEL) * 2 * n
 *   delayed   = insert(6), doubled with the free-space tree
 *   size      = min(512 MiB, max(sum of bytes_used, insert(min_items) + delayed))
 * The tree root's own counter is in memory only (it starts from zero at mount), so it is left out.
 * 4.19 used max(extent + csum + tree root, 16 MiB), capped at 512 MiB; large filesystems sit at
 * 512 MiB under every version. It is an estimate: the kernel's number exists only while mounted.
 */
static uint64_t estimate_global_reserve(const struct offline_fs *fs, const struct root_info *extent,
                                        const struct root_info *csum, const struct root_info *fst,
                                        const struct root_info *bgt, const struct root_info *rst) {
        const struct root_info *counted[] = { extent, csum, fst, bgt, rst };
        uint64_t sum = 0, min_items = 1 + 6, insert_unit = (uint64_t) fs->nodesize * BTRFS_MAX_LEVEL * 2;
        uint64_t delayed = insert_unit * 6;

        for (size_t i = 0; i < ELEMENTSOF(counted); i++)
                if (counted[i] && counted[i]->present) {
                        sum += counted[i]->bytes_used;
                        min_items++;
                }
        if (fst && fst->present)
                delayed *= 2;
        return MIN(MAX(sum, insert_unit * min_items + delayed), UINT64_C(512) << 20);
}

/* ---- devices ---- */

static int open_all(struct offline_fs *fs, const char *const *paths, size_t n_paths) {
        int r;

        if (n_paths > BTRFS_OFFLINE_MAX_DEVICES)
                return btrfs_detail(fs->reterr, -FSD_E_LIMIT, "%zu devices given, at most %d are read",
                                    n_paths, BTRFS_OFFLINE_MAX_DEVICES);
        fs->devs = calloc(n_paths, sizeof *fs->devs);
        if (!fs->devs)
                return -ENOMEM;
        for (size_t i = 0; i < n_paths; i++) {
                struct offline_dev *dev = &fs->devs[i];

                dev->fd = -1;
                fs->n_devs++;
                r = open_device(paths[i], dev, fs->reterr);
                if (r < 0)
                        return r;
                r = read_super(dev, fs->reterr);
                if (r < 0)
                        return r;
                for (size_t j = 0; j < i; j++) {
                        char a[37], b[37];
                        if (memcmp(fs->devs[j].sb.fsid, dev->sb.fsid, BTRFS_FSID_SIZE) != 0) {
                                uuid_to_string(fs->devs[j].sb.fsid, a);
                                uuid_to_string(dev->sb.fsid, b);
                                return btrfs_detail(fs->reterr, -EINVAL, "%s belongs to filesystem %s but %s to %s",
                                                    fs->devs[j].path, a, dev->path, b);
                        }
                        if (fs->devs[j].devid == dev->devid)
                                return btrfs_detail(fs->reterr, -EINVAL, "%s and %s are both devid %" PRIu64
                                                    " (the same device twice, or a copy)",
                                                    fs->devs[j].path, dev->path, dev->devid);
                }
        }
        /* the newest superblock speaks for the filesystem; older ones are stale devices */
        const struct offline_dev *newest = &fs->devs[0];
        for (size_t i = 1; i < fs->n_devs; i++)
                if (fs->devs[i].generation > newest->generation)
                        newest = &fs->devs[i];
        for (size_t i = 0; i < fs->n_devs; i++)
                if (fs->devs[i].generation != newest->generation)
                        fsd_warn("%s: superblock generation %" PRIu64 " is older than %" PRIu64 " on %s",
                                 fs->devs[i].path, fs->devs[i].generation, newest->generation, newest->path);
        fs->sb = &newest->sb;
        return 0;
}

static int fill_devices(struct offline_fs *fs, struct fsd_btrfs_space *space) {
        space->devices = TAKE_PTR(fs->devices);
        space->n_devices = fs->n_devices;
        fs->n_devices = 0;
        for (size_t i = 0; i < space->n_devices; i++) {
                struct fsd_btrfs_device *d = &space->devices[i];
                const struct offline_dev *dev = find_dev(fs, d->devid);

                if (!dev) {
                        d->missing = true;
                        fsd_debug("devid %" PRIu64 " is missing", d->devid);
                        continue;
                }
                if (memcmp(dev->uuid, d->uuid, BTRFS_UUID_SIZE) != 0)
                        fsd_warn("%s: device uuid differs from the chunk tree's devid %" PRIu64, dev->path, d->devid);
                snprintf(d->path, sizeof d->path, "%s", dev->path);
        }
        for (size_t i = 0; i < fs->n_devs; i++) {
                bool listed = false;
                for (size_t j = 0; j < space->n_devices && !listed; j++)
                        listed = space->devices[j].devid == fs->devs[i].devid;
                if (!listed)
                        fsd_warn("%s: devid %" PRIu64 " is not in the chunk tree (removed or replaced?)",
                                 fs->devs[i].path, fs->devs[i].devid);
        }
        return 0;
}

static int read_offline(struct offline_fs *fs, const char *const *paths, size_t n_paths,
                        struct fsd_btrfs_space *space) {
        struct root_info extent, csum, fst, bgt, rst;
        uint64_t incompat, compat_ro, flags;
        int r;

        r = open_all(fs, paths, n_paths);
        if (r < 0)
                return r;
        const struct btrfs_super_block *sb = fs->sb;
        incompat = btrfs_super_incompat_flags(sb);
        compat_ro = btrfs_super_compat_ro_flags(sb);
        flags = btrfs_super_flags(sb);
        fs->nodesize = btrfs_super_nodesize(sb);
        fs->sectorsize = btrfs_super_sectorsize(sb);
        fs->csum_type = btrfs_super_csum_type(sb);
        fs->csum_size = btrfs_csum_size(fs->csum_type);
        memcpy(fs->tree_fsid, (incompat & BTRFS_FEATURE_INCOMPAT_METADATA_UUID) ? sb->metadata_uuid : sb->fsid,
               BTRFS_FSID_SIZE);
        if (incompat & BTRFS_FEATURE_INCOMPAT_EXTENT_TREE_V2)
                return btrfs_detail(fs->reterr, -FSD_E_UNSUPPORTED,
                                    "%s: extent-tree-v2 filesystems are not supported offline", fs->devs[0].path);
        if (flags & (BTRFS_SUPER_FLAG_METADUMP | BTRFS_SUPER_FLAG_METADUMP_V2))
                fsd_debug("superblock marks a btrfs-image metadump: data blocks are not real");

        space->online = false;
        memcpy(space->fsid, sb->fsid, sizeof space->fsid);
        memcpy(space->label, sb->label, MIN(sizeof space->label - 1, sizeof sb->label));
        space->label[sizeof space->label - 1] = 0;
        space->generation = btrfs_super_generation(sb);
        space->nodesize = fs->nodesize;
        space->sectorsize = fs->sectorsize;
        space->csum_type = fs->csum_type;
        space->incompat_flags = incompat;
        space->compat_ro_flags = compat_ro;
        space->super_total_bytes = btrfs_super_total_bytes(sb);
        space->super_bytes_used = btrfs_super_bytes_used(sb);
        space->num_devices = btrfs_super_num_devices(sb);

        r = read_chunk_tree(fs);
        if (r < 0)
                return r;

        r = read_root_item(fs, BTRFS_EXTENT_TREE_OBJECTID, &extent);
        if (r >= 0)
                r = read_root_item(fs, BTRFS_CSUM_TREE_OBJECTID, &csum);
        if (r >= 0)
                r = read_root_item(fs, BTRFS_FREE_SPACE_TREE_OBJECTID, &fst);
        if (r >= 0)
                r = read_root_item(fs, BTRFS_BLOCK_GROUP_TREE_OBJECTID, &bgt);
        if (r >= 0)
                r = read_root_item(fs, BTRFS_RAID_STRIPE_TREE_OBJECTID, &rst);
        if (r < 0)
                return r;

        const struct root_info *bg_root = &extent, *bg_fallback = NULL;
        if (compat_ro & BTRFS_FEATURE_COMPAT_RO_BLOCK_GROUP_TREE) {
                if (!bgt.present)
                        return btrfs_detail(fs->reterr, -FSD_E_CORRUPT,
                                            "block-group-tree feature is set but the root tree has no tree 11");
                bg_root = &bgt;
        } else if ((flags & BTRFS_SUPER_FLAG_CHANGING_BG_TREE) && bgt.present) {
                /* a conversion was interrupted: items live in either tree */
                bg_root = &bgt;
                bg_fallback = &extent;
        }
        if (!bg_root->present)
                return btrfs_detail(fs->reterr, -FSD_E_CORRUPT, "root tree has no extent tree (tree 2)");
        fsd_debug("block groups from the %s tree at logical %" PRIu64 " (level %d)",
                  bg_root == &bgt ? "block-group" : "extent", bg_root->bytenr, bg_root->level);

        r = read_block_groups(fs, bg_root, bg_fallback, space);
        if (r < 0)
                return r;
        r = fill_devices(fs, space);
        if (r < 0)
                return r;
        r = btrfs_space_finalize(space);
        if (r < 0)
                return btrfs_detail(fs->reterr, r, "cannot aggregate %zu block groups into space infos: %s",
                                    space->n_block_groups, fsd_strerror(r));
        space->global_reserve = estimate_global_reserve(fs, &extent, &csum,
                                                        (compat_ro & BTRFS_FEATURE_COMPAT_RO_FREE_SPACE_TREE) ? &fst : NULL,
                                                        (compat_ro & BTRFS_FEATURE_COMPAT_RO_BLOCK_GROUP_TREE) ? &bgt : NULL,
                                                        (incompat & BTRFS_FEATURE_INCOMPAT_RAID_STRIPE_TREE) ? &rst : NULL);
        space->global_reserve_used = 0;
        space->global_reserve_exact = false;
        fsd_debug("offline read: %zu block groups, %zu devices, %" PRIu64 " tree blocks read",
                  space->n_block_groups, space->n_devices, fs->nodes_read);
        return 0;
}

FSD_API int fsd_btrfs_space_read_offline(const char *const *paths, size_t n_paths,
                                         struct fsd_btrfs_space **ret_space, char **reterr_detail) {
        _cleanup_free_ char *detail = NULL;
        struct offline_fs fs = { .reterr = &detail };
        struct fsd_btrfs_space *space;
        int r;

        if (!paths || n_paths == 0 || !ret_space)
                return -EINVAL;
        for (size_t i = 0; i < n_paths; i++)
                if (!paths[i])
                        return -EINVAL;

        space = calloc(1, sizeof *space);
        if (!space)
                return -ENOMEM;
        r = read_offline(&fs, paths, n_paths, space);
        offline_fs_done(&fs);
        if (r < 0) {
                fsd_btrfs_space_free(space);
                if (!detail)
                        btrfs_detail(&detail, r, "%s: %s", paths[0], fsd_strerror(r));
                if (reterr_detail)
                        *reterr_detail = TAKE_PTR(detail);
                return r;
        }
        *ret_space = space;
        return 0;
}
