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

/* Shared with the HTML page (render-html-inspect.c). */
/* btrfs-progs' pretty_size ("1.00GiB"), or the byte count when bytes. */
const char *inspect_size_str(bool bytes, uint64_t v, char buf[32]);
/* "single", "DUP", "RAID1", ... */
const char *inspect_profile_name(uint64_t flags);
/* "Data", "Metadata", "System", "Data+Metadata", in the UI language */
const char *inspect_type_label(uint64_t flags);
/* "OK", "WATCH", "HIGH", "CRITICAL", in the UI language */
const char *inspect_risk_label(enum fsd_btrfs_risk r);
/* The sentence that explains one reason of the verdict, in the UI language, without newline. */
void inspect_reason_print(FILE *f, bool bytes, const struct fsd_btrfs_assessment *a,
                          const struct fsd_btrfs_reason *r);
