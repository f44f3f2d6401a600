/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Text rendering of `fsdoctor inspect` (JSON comes from the library). */
#include <stdbool.h>
#include <stdio.h>
#include "fsdoctor.h"
#include "shared/term.h"

struct inspect_render_opts {
        FILE *out;
        const struct palette *pal;
        bool bytes;              /* raw byte counts instead of KiB/MiB/GiB */
        bool block_groups;       /* list every block group */
        bool quiet;              /* only the verdict line */
};

void render_inspect_text(const struct inspect_render_opts *o, const struct fsd_btrfs_space *s,
                         const struct fsd_btrfs_assessment *a);
