/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/*
 * Helpers shared by the online (ioctl.c) and offline (offline*.c) readers, so that both build
 * struct fsd_btrfs_space the same way. Owner: btrfs-online. The offline reader may call all of
 * these; in particular:
 *   - fill devices[] and block_groups[] (any order), then call btrfs_space_finalize(): it sorts
 *     both arrays and derives space_infos[] from the block groups (replacing any present);
 *   - fsd_btrfs_space_free() is defined in space-model.c: do not define it again.
 */
#include <stdint.h>
#include "fsdoctor.h"

/* Upper bounds on input-driven arrays: a real filesystem stays far below them. */
#define BTRFS_MAX_BLOCK_GROUPS (UINT64_C(4) << 20)
#define BTRFS_MAX_DEVICES 4096

/* Profile bits only (RAID0 ... RAID1C4); 0 means single. */
#define BTRFS_PROFILE_MASK (FSD_BTRFS_BG_RAID0 | FSD_BTRFS_BG_RAID1 | FSD_BTRFS_BG_DUP | \
                            FSD_BTRFS_BG_RAID10 | FSD_BTRFS_BG_RAID5 | FSD_BTRFS_BG_RAID6 | \
                            FSD_BTRFS_BG_RAID1C3 | FSD_BTRFS_BG_RAID1C4)

/* Copies of each byte (btrfs-progs' btrfs_bg_type_to_factor): 1 single/RAID0/RAID5/RAID6,
 * 2 DUP/RAID1/RAID10, 3 RAID1C3, 4 RAID1C4. */
unsigned btrfs_profile_ncopies(uint64_t flags);
/* "single", "DUP", "RAID1", ... as btrfs-progs prints them. */
const char *btrfs_profile_name(uint64_t flags);
/* "Data", "Metadata", "System", "Data+Metadata" (mixed). */
const char *btrfs_type_name(uint64_t flags);

/* Allocate an empty model (all arrays NULL). */
int btrfs_space_new(struct fsd_btrfs_space **ret_space);
/* Sort block groups by start and devices by devid, then rebuild space_infos[] from the block
 * groups: one entry per distinct (type | profile), sorted by flags like the kernel lists them.
 * @return 0, -ENOMEM. */
int btrfs_space_finalize(struct fsd_btrfs_space *space);
/* Recompute space_infos[] only (block groups already final). */
int btrfs_space_infos_from_block_groups(struct fsd_btrfs_space *space);
