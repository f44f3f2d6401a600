/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* btrfs-progs output pasted beside a kernel log: `btrfs filesystem usage` (plain and -T),
 * `btrfs filesystem df` and `btrfs filesystem show`. They say what the kernel's space dump does not:
 * the profile of each chunk type and the unallocated space of each device. */
#include <stdbool.h>
#include <stddef.h>
#include "fsdoctor.h"

struct btrfs_paste {
        struct fsd_btrfs_space_dump dump;  /* only devices[] and the *_profile fields are filled */
        enum {
                PASTE_NONE,
                PASTE_UNALLOCATED,         /* after "Unallocated:": "   /dev/sdb   1.00MiB" lines */
                PASTE_TABLE,               /* after the -T header: " 1 /dev/sdb ... 1.00MiB ..." rows */
        } state;
        int table_unallocated_col;         /* -T: column of "Unallocated", counted from the path */
        char table_profiles[3][12];        /* -T: profile of the Data, Metadata, System columns */
        size_t table_types;
        char table_type_names[3][12];
        bool seen;                         /* something of a paste was read */
};

/* One line of input (any line: most are not a paste). */
void btrfs_paste_note(struct btrfs_paste *p, const char *text, size_t len);
/* Copy what the paste said into sp (devices and profiles); sp keeps its kernel dump. */
void btrfs_paste_apply(const struct btrfs_paste *p, struct fsd_btrfs_space_dump *sp);
/* Parse a btrfs-progs size: "931.51GiB", "1.00MiB", "0.00B", "12345" (bytes), "1.2GB" (SI).
 * @return true and *ret bytes, false when s is not a size. */
bool btrfs_paste_size(const char *s, size_t n, uint64_t *ret);
/* devs_min of a profile name ("raid1" 2, "raid1c3" 3, ...), 0 for an unknown name (volumes.c
 * btrfs_raid_array). */
unsigned btrfs_profile_devs_min(const char *profile);
