/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The space dump btrfs prints around an ENOSPC, read into struct fsd_btrfs_space. */
#include "fsdoctor.h"

/* Note one message of a dump (the whole text, prefix included). @return 1 if it was one, else 0. */
int btrfs_space_note(struct fsd_btrfs_space_dump *sp, const char *text);
/* "metadata|raid1" for block-group flags; buf gets "" for none. */
void btrfs_block_group_flags_str(uint64_t flags, char *buf, size_t size);
