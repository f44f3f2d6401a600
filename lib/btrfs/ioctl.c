/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Online reader: the space model of a mounted btrfs through the kernel's ioctls, the way
 * btrfs-progs' `filesystem usage` gets it (FS_INFO, DEV_INFO, SPACE_INFO, TREE_SEARCH over the
 * chunk tree), plus the block-group items for per-group used bytes. Tree searches need
 * CAP_SYS_ADMIN; everything else works unprivileged.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "basic/array.h"
#include "basic/cleanup.h"
#include "btrfs/space-model.h"
#include "core/diag-log.h"

DEFINE_FREEP(struct fsd_btrfs_space, fsd_btrfs_space_free)

/* Large enough for hundreds of chunk items per call; the kernel caps v2 buffers at 16 MiB. */
#define SEARCH_BUF_SIZE (64u * 1024u)

static uint64_t get_le64(const uint8_t *p) {
        uint64_t v;
        memcpy(&v, p, sizeof v);
        return le64toh(v);
}

/* One pass of TREE_SEARCH_V2 over [key.min, key.max]; calls item_fn for each item and advances
 * the key past the last one. @return 1 when more items may follow, 0 when done, < 0 error. */
typedef int (*search_item_fn)(const struct btrfs_ioctl_search_header *sh, const uint8_t *item,
                              void *userdata);

static int tree_search(int fd, struct btrfs_ioctl_search_key *key, search_item_fn fn, void *userdata) {
        _cleanup_free_ struct btrfs_ioctl_search_args_v2 *args =
                malloc(sizeof *args + SEARCH_BUF_SIZE);
        if (!args)
                return -ENOMEM;

        for (;;) {
                args->key = *key;
                args->key.nr_items = UINT32_MAX;
                args->buf_size = SEARCH_BUF_SIZE;
                if (ioctl(fd, BTRFS_IOC_TREE_SEARCH_V2, args) < 0)
                        return -errno;
                uint32_t n = args->key.nr_items;
                if (n == 0)
                        return 0;

                size_t off = 0;
                struct btrfs_ioctl_search_header sh = {};
                for (uint32_t i = 0; i < n; i++) {
                        if (off + sizeof sh > SEARCH_BUF_SIZE)
                                return -FSD_E_CORRUPT;
                        memcpy(&sh, args->buf + off, sizeof sh);
                        off += sizeof sh;
                        if (sh.len > SEARCH_BUF_SIZE - off)
                                return -FSD_E_CORRUPT;
                        int r = fn(&sh, args->buf + off, userdata);
                        if (r < 0)
                                return r;
                        off += sh.len;
                }

                /* advance to the key after the last one returned (136-bit increment) */
                key->min_objectid = sh.objectid;
                key->min_type = sh.type;
                key->min_offset = sh.offset;
                if (key->min_offset < UINT64_MAX)
                        key->min_offset++;
                else {
                        key->min_offset = 0;
                        if (key->min_type < UINT8_MAX)
                                key->min_type++;
                        else {
                                key->min_type = 0;
                                if (key->min_objectid == UINT64_MAX)
                                        return 0;
                                key->min_objectid++;
                        }
                }
                if (key->min_objectid > key->max_objectid)
                        return 0;
        }
}

struct chunk_walk {
        struct fsd_btrfs_space *space;
        size_t cap;
};

/* struct btrfs_chunk as on disk: length @0, owner @8, stripe_len @16, type @24, ... */
static int on_chunk_item(const struct btrfs_ioctl_search_header *sh, const uint8_t *item, void *userdata) {
        struct chunk_walk *w = userdata;
        struct fsd_btrfs_space *s = w->space;

        /* the range also spans other item types in theory: keep only chunk items */
        if (sh->type != BTRFS_CHUNK_ITEM_KEY || sh->objectid != BTRFS_FIRST_CHUNK_TREE_OBJECTID)
                return 0;
        if (sh->len < offsetof(struct btrfs_chunk, stripe))
                return -FSD_E_CORRUPT;
        if (s->n_block_groups >= BTRFS_MAX_BLOCK_GROUPS)
                return -FSD_E_LIMIT;
        if (ARRAY_RESERVE_ONE(s->block_groups, w->cap, s->n_block_groups, 256) < 0)
                return -ENOMEM;
        s->block_groups[s->n_block_groups++] = (struct fsd_btrfs_block_group) {
                .start = sh->offset,
                .length = get_le64(item + offsetof(struct btrfs_chunk, length)),
                .flags = get_le64(item + offsetof(struct btrfs_chunk, type)),
        };
        return 0;
}

struct bg_lookup {
        struct fsd_btrfs_block_group *bg;
        bool found;
};

/* struct btrfs_block_group_item: used @0, chunk_objectid @8, flags @16 */
static int on_block_group_item(const struct btrfs_ioctl_search_header *sh, const uint8_t *item,
                               void *userdata) {
        struct bg_lookup *l = userdata;
        if (sh->type != BTRFS_BLOCK_GROUP_ITEM_KEY || sh->objectid != l->bg->start)
                return 0;
        if (sh->len < 24)
                return -FSD_E_CORRUPT;
        l->bg->used = get_le64(item);
        l->bg->flags = get_le64(item + 16);
        l->found = true;
        return 0;
}

/* The block-group tree holds nothing but block-group items: one linear walk fills all. */
struct bg_tree_walk {
        struct fsd_btrfs_space *space;
        size_t next;             /* block groups and items are both in logical order */
        size_t found;
};

static int on_bg_tree_item(const struct btrfs_ioctl_search_header *sh, const uint8_t *item, void *userdata) {
        struct bg_tree_walk *w = userdata;
        struct fsd_btrfs_space *s = w->space;
        if (sh->type != BTRFS_BLOCK_GROUP_ITEM_KEY)
                return 0;
        if (sh->len < 24)
                return -FSD_E_CORRUPT;
        while (w->next < s->n_block_groups && s->block_groups[w->next].start < sh->objectid)
                w->next++;
        if (w->next == s->n_block_groups || s->block_groups[w->next].start != sh->objectid)
                return 0; /* a group without a chunk: ignore here, the count check reports it */
        s->block_groups[w->next].used = get_le64(item);
        s->block_groups[w->next].flags = get_le64(item + 16);
        w->found++;
        return 0;
}

static int read_block_groups(int fd, struct fsd_btrfs_space *s) {
        struct chunk_walk cw = { .space = s };
        struct btrfs_ioctl_search_key key = {
                .tree_id = BTRFS_CHUNK_TREE_OBJECTID,
                .min_objectid = BTRFS_FIRST_CHUNK_TREE_OBJECTID,
                .max_objectid = BTRFS_FIRST_CHUNK_TREE_OBJECTID,
                .min_type = BTRFS_CHUNK_ITEM_KEY,
                .max_type = BTRFS_CHUNK_ITEM_KEY,
                .max_offset = UINT64_MAX,
                .max_transid = UINT64_MAX,
        };
        int r = tree_search(fd, &key, on_chunk_item, &cw);
        if (r < 0)
                return r;
        /* chunk keys come sorted by logical start; block-group lookups rely on that */

        if (s->compat_ro_flags & BTRFS_FEATURE_COMPAT_RO_BLOCK_GROUP_TREE) {
                struct bg_tree_walk w = { .space = s };
                key = (struct btrfs_ioctl_search_key) {
                        .tree_id = BTRFS_BLOCK_GROUP_TREE_OBJECTID,
                        .max_objectid = UINT64_MAX,
                        .min_type = BTRFS_BLOCK_GROUP_ITEM_KEY,
                        .max_type = BTRFS_BLOCK_GROUP_ITEM_KEY,
                        .max_offset = UINT64_MAX,
                        .max_transid = UINT64_MAX,
                };
                r = tree_search(fd, &key, on_bg_tree_item, &w);
                if (r < 0)
                        return r;
                if (w.found != s->n_block_groups) {
                        fsd_warn("btrfs: %zu chunks but %zu block-group items", s->n_block_groups, w.found);
                        return -FSD_E_CORRUPT;
                }
                return 0;
        }

        /* In the extent tree, block-group items sit among millions of extent items: look each
         * one up by its exact key (start, BLOCK_GROUP_ITEM, length) instead of walking them all. */
        for (size_t i = 0; i < s->n_block_groups; i++) {
                struct fsd_btrfs_block_group *bg = &s->block_groups[i];
                struct bg_lookup l = { .bg = bg };
                key = (struct btrfs_ioctl_search_key) {
                        .tree_id = BTRFS_EXTENT_TREE_OBJECTID,
                        .min_objectid = bg->start,
                        .max_objectid = bg->start,
                        .min_type = BTRFS_BLOCK_GROUP_ITEM_KEY,
                        .max_type = BTRFS_BLOCK_GROUP_ITEM_KEY,
                        .min_offset = bg->length,
                        .max_offset = bg->length,
                        .max_transid = UINT64_MAX,
                };
                r = tree_search(fd, &key, on_block_group_item, &l);
                if (r < 0)
                        return r;
                if (!l.found) {
                        fsd_warn("btrfs: no block-group item for chunk at %llu", (unsigned long long) bg->start);
                        return -FSD_E_CORRUPT;
                }
        }
        return 0;
}

static int read_space_infos(int fd, struct fsd_btrfs_space *s) {
        /* First call with no slots returns the count; it may grow between the two calls (a new
         * profile during a convert), so allow some slack and retry once. */
        for (int attempt = 0; attempt < 2; attempt++) {
                struct btrfs_ioctl_space_args probe = {};
                if (ioctl(fd, BTRFS_IOC_SPACE_INFO, &probe) < 0)
                        return -errno;
                uint64_t slots = probe.total_spaces + 4;
                if (slots > 256)
                        return -FSD_E_LIMIT;
                _cleanup_free_ struct btrfs_ioctl_space_args *args =
                        calloc(1, sizeof *args + slots * sizeof args->spaces[0]);
                if (!args)
                        return -ENOMEM;
                args->space_slots = slots;
                if (ioctl(fd, BTRFS_IOC_SPACE_INFO, args) < 0)
                        return -errno;
                if (args->total_spaces > slots)
                        continue;

                _cleanup_free_ struct fsd_btrfs_space_info *infos =
                        calloc(args->total_spaces ? args->total_spaces : 1, sizeof *infos);
                if (!infos)
                        return -ENOMEM;
                size_t n = 0;
                for (uint64_t i = 0; i < args->total_spaces; i++) {
                        const struct btrfs_ioctl_space_info *si = &args->spaces[i];
                        if (si->flags & FSD_BTRFS_SPACE_GLOBAL_RSV) {
                                /* the kernel reports used = size - reserved */
                                s->global_reserve = si->total_bytes;
                                s->global_reserve_used = si->used_bytes;
                                s->global_reserve_exact = true;
                                continue;
                        }
                        infos[n++] = (struct fsd_btrfs_space_info) {
                                .flags = si->flags & (FSD_BTRFS_BG_TYPE_MASK | BTRFS_PROFILE_MASK),
                                .total = si->total_bytes,
                                .used = si->used_bytes,
                        };
                }
                free(s->space_infos);
                s->space_infos = TAKE_PTR(infos);
                s->n_space_infos = n;
                return 0;
        }
        return -EAGAIN;
}

static int read_devices(int fd, const struct btrfs_ioctl_fs_info_args *fi, struct fsd_btrfs_space *s) {
        if (fi->num_devices > BTRFS_MAX_DEVICES || fi->max_id > UINT64_C(1) << 32)
                return -FSD_E_LIMIT;
        s->devices = calloc(fi->num_devices ? fi->num_devices : 1, sizeof *s->devices);
        if (!s->devices)
                return -ENOMEM;
        /* devids can have holes after device removal: DEV_INFO says ENODEV for those */
        for (uint64_t id = 0; id <= fi->max_id && s->n_devices < fi->num_devices; id++) {
                struct btrfs_ioctl_dev_info_args di = { .devid = id };
                if (ioctl(fd, BTRFS_IOC_DEV_INFO, &di) < 0) {
                        if (errno == ENODEV)
                                continue;
                        return -errno;
                }
                struct fsd_btrfs_device *d = &s->devices[s->n_devices++];
                d->devid = di.devid;
                d->size = di.total_bytes;
                d->allocated = di.bytes_used;
                memcpy(d->uuid, di.uuid, sizeof d->uuid);
                size_t plen = strnlen((const char *) di.path, sizeof di.path);
                if (plen >= sizeof d->path)
                        plen = sizeof d->path - 1;
                memcpy(d->path, di.path, plen);
                d->path[plen] = '\0';
                d->missing = plen == 0;
        }
        return 0;
}

int fsd_btrfs_space_read_online(const char *path, struct fsd_btrfs_space **ret_space) {
        if (!path || !ret_space)
                return -EINVAL;

        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        struct statfs sfs;
        if (fstatfs(fd, &sfs) < 0)
                return -errno;
        if ((unsigned long) sfs.f_type != (unsigned long) BTRFS_SUPER_MAGIC)
                return -FSD_E_NOT_BTRFS;

        _cleanup_(fsd_btrfs_space_freep) struct fsd_btrfs_space *s = NULL;
        int r = btrfs_space_new(&s);
        if (r < 0)
                return r;
        s->online = true;

        struct btrfs_ioctl_fs_info_args fi = {
                .flags = BTRFS_FS_INFO_FLAG_CSUM_INFO | BTRFS_FS_INFO_FLAG_GENERATION,
        };
        if (ioctl(fd, BTRFS_IOC_FS_INFO, &fi) < 0)
                return -errno;
        memcpy(s->fsid, fi.fsid, sizeof s->fsid);
        s->nodesize = fi.nodesize;
        s->sectorsize = fi.sectorsize;
        s->num_devices = fi.num_devices;
        if (fi.flags & BTRFS_FS_INFO_FLAG_CSUM_INFO)
                s->csum_type = fi.csum_type;
        if (fi.flags & BTRFS_FS_INFO_FLAG_GENERATION)
                s->generation = fi.generation;

        struct btrfs_ioctl_feature_flags feat = {};
        if (ioctl(fd, BTRFS_IOC_GET_FEATURES, &feat) < 0)
                return -errno;
        s->incompat_flags = feat.incompat_flags;
        s->compat_ro_flags = feat.compat_ro_flags;

        char label[BTRFS_LABEL_SIZE + 1] = "";
        if (ioctl(fd, BTRFS_IOC_GET_FSLABEL, label) < 0)
                fsd_debug("btrfs: cannot read the label of %s: %s", path, strerror(errno));
        label[BTRFS_LABEL_SIZE] = '\0';
        memcpy(s->label, label, MIN(sizeof s->label, sizeof label));

        r = read_devices(fd, &fi, s);
        if (r < 0)
                return r;
        r = read_space_infos(fd, s);
        if (r < 0)
                return r;
        r = read_block_groups(fd, s);
        if (r < 0) {
                if (r == -EPERM)
                        fsd_debug("btrfs: tree search on %s needs CAP_SYS_ADMIN", path);
                return r;
        }

        /* Keep the kernel's SPACE_INFO numbers (they are what btrfs-progs prints); only sort.
         * They can differ from the sum over block-group items while a transaction is open. */
        struct fsd_btrfs_space_info *kernel_infos = TAKE_PTR(s->space_infos);
        size_t n_kernel_infos = s->n_space_infos;
        r = btrfs_space_finalize(s);
        free(s->space_infos);
        s->space_infos = kernel_infos;
        s->n_space_infos = n_kernel_infos;
        if (r < 0)
                return r;

        for (size_t i = 0; i < s->n_devices; i++)
                s->super_total_bytes += s->devices[i].size;
        for (size_t i = 0; i < s->n_space_infos; i++)
                s->super_bytes_used += s->space_infos[i].used;

        struct utsname u;
        if (uname(&u) == 0) {
                size_t n = strnlen(u.release, sizeof s->kernel_release - 1);
                memcpy(s->kernel_release, u.release, n);
                s->kernel_release[n] = '\0';
        }

        *ret_space = TAKE_PTR(s);
        return 0;
}
