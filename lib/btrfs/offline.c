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

#include "basic/io.h"
#include "btrfs/accessors.h"
#include "btrfs/csum.h"
#include "btrfs/offline-fs.h"
#include "btrfs/offline-internal.h"
#include "btrfs/space-model.h"
#include "core/diag-log.h"
#include "fsdoctor.h"

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
        r = offline_walk_tree(fs, btrfs_super_chunk_root(fs->sb), btrfs_super_chunk_root_level(fs->sb), &last,
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
        r = offline_tree_lookup(fs, btrfs_super_root(fs->sb), btrfs_super_root_level(fs->sb), &key, &data, &size);
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

        r = offline_tree_lookup(fs, root->bytenr, root->level, &key, &data, &size);
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
                const struct offline_dev *dev = offline_find_dev(fs, d->devid);

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
