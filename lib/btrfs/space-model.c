/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The space model both readers fill: sorting, and space_infos derived from the block groups. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "btrfs/space-model.h"

unsigned btrfs_profile_ncopies(uint64_t flags) {
        if (flags & FSD_BTRFS_BG_RAID1C4)
                return 4;
        if (flags & FSD_BTRFS_BG_RAID1C3)
                return 3;
        if (flags & (FSD_BTRFS_BG_DUP | FSD_BTRFS_BG_RAID1 | FSD_BTRFS_BG_RAID10))
                return 2;
        return 1;
}

const char *btrfs_profile_name(uint64_t flags) {
        switch (flags & BTRFS_PROFILE_MASK) {
        case 0: return "single";
        case FSD_BTRFS_BG_RAID0: return "RAID0";
        case FSD_BTRFS_BG_RAID1: return "RAID1";
        case FSD_BTRFS_BG_DUP: return "DUP";
        case FSD_BTRFS_BG_RAID10: return "RAID10";
        case FSD_BTRFS_BG_RAID5: return "RAID5";
        case FSD_BTRFS_BG_RAID6: return "RAID6";
        case FSD_BTRFS_BG_RAID1C3: return "RAID1C3";
        case FSD_BTRFS_BG_RAID1C4: return "RAID1C4";
        default: return "unknown";
        }
}

const char *btrfs_type_name(uint64_t flags) {
        switch (flags & FSD_BTRFS_BG_TYPE_MASK) {
        case FSD_BTRFS_BG_DATA: return "Data";
        case FSD_BTRFS_BG_METADATA: return "Metadata";
        case FSD_BTRFS_BG_SYSTEM: return "System";
        case FSD_BTRFS_BG_DATA | FSD_BTRFS_BG_METADATA: return "Data+Metadata";
        default: return "unknown";
        }
}

int btrfs_space_new(struct fsd_btrfs_space **ret_space) {
        struct fsd_btrfs_space *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        *ret_space = s;
        return 0;
}

struct fsd_btrfs_space *fsd_btrfs_space_free(struct fsd_btrfs_space *space) {
        if (!space)
                return NULL;
        free(space->devices);
        free(space->block_groups);
        free(space->space_infos);
        free(space);
        return NULL;
}

static int cmp_block_group(const void *a, const void *b) {
        const struct fsd_btrfs_block_group *x = a, *y = b;
        return (x->start > y->start) - (x->start < y->start);
}

static int cmp_device(const void *a, const void *b) {
        const struct fsd_btrfs_device *x = a, *y = b;
        return (x->devid > y->devid) - (x->devid < y->devid);
}

static int cmp_space_info(const void *a, const void *b) {
        const struct fsd_btrfs_space_info *x = a, *y = b;
        return (x->flags > y->flags) - (x->flags < y->flags);
}

int btrfs_space_infos_from_block_groups(struct fsd_btrfs_space *space) {
        /* Distinct (type | profile) combinations are few (at most types x profiles), so a linear
         * search per block group stays cheap even for millions of groups. */
        enum { MAX_KINDS = 64 };
        struct fsd_btrfs_space_info kinds[MAX_KINDS];
        size_t n = 0;

        for (size_t i = 0; i < space->n_block_groups; i++) {
                const struct fsd_btrfs_block_group *bg = &space->block_groups[i];
                uint64_t key = bg->flags & (FSD_BTRFS_BG_TYPE_MASK | BTRFS_PROFILE_MASK);
                size_t k;
                for (k = 0; k < n; k++)
                        if (kinds[k].flags == key)
                                break;
                if (k == n) {
                        if (n == MAX_KINDS)
                                return -FSD_E_CORRUPT;
                        kinds[n++] = (struct fsd_btrfs_space_info) { .flags = key };
                }
                kinds[k].total += bg->length;
                kinds[k].used += bg->used;
        }
        qsort(kinds, n, sizeof kinds[0], cmp_space_info);

        struct fsd_btrfs_space_info *infos = NULL;
        if (n > 0) {
                infos = calloc(n, sizeof *infos);
                if (!infos)
                        return -ENOMEM;
                memcpy(infos, kinds, n * sizeof *infos);
        }
        free(space->space_infos);
        space->space_infos = infos;
        space->n_space_infos = n;
        return 0;
}

static bool block_groups_sorted(const struct fsd_btrfs_block_group *bgs, size_t n) {
        for (size_t i = 1; i < n; i++)
                if (bgs[i - 1].start > bgs[i].start)
                        return false;
        return true;
}

int btrfs_space_finalize(struct fsd_btrfs_space *space) {
        /* both readers produce them in address order already; qsort would still cost a
         * noticeable share of an offline read of 10 000 groups */
        if (space->n_block_groups > 1 && !block_groups_sorted(space->block_groups, space->n_block_groups))
                qsort(space->block_groups, space->n_block_groups, sizeof *space->block_groups,
                      cmp_block_group);
        if (space->n_devices > 1)
                qsort(space->devices, space->n_devices, sizeof *space->devices, cmp_device);
        return btrfs_space_infos_from_block_groups(space);
}
