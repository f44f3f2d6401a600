/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The kernel's balance, scrub and replace ioctls the guard needs, in the libbtrfsutil style:
 * an fd on the mounted filesystem in, a negative errno out. All need CAP_SYS_ADMIN. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Relocate the chunks overlapping [vstart, vend) (a vrange filter: one block group when the range
 * is exactly it). mixed: the filesystem has mixed block groups, which balance only with identical
 * data and metadata filters. Blocks until the kernel is done; *ret_completed (optional) gets the
 * number of chunks relocated. @return 0, -ECANCELED when cancelled, or the ioctl's errno. */
int btrfs_balance_vrange(int fd, uint64_t vstart, uint64_t vend, bool mixed, uint64_t *ret_completed);
/* Ask a running balance to stop; returns when it has. @return 0, -ENOTCONN when none runs. */
int btrfs_balance_cancel(int fd);
/* @return 1 when a balance runs or is paused, 0 when none, < 0 error. */
int btrfs_balance_in_progress(int fd);
/* @return 1 when a scrub runs on any of the devids, 0 when none, < 0 error. */
int btrfs_scrub_in_progress(int fd, const uint64_t *devids, size_t n_devids);
/* @return 1 when a device replace is started or suspended, 0 when not, < 0 error. */
int btrfs_replace_in_progress(int fd);
/* The kernel's exclusive operation from /sys/fs/btrfs/FSID/exclusive_operation (5.10+).
 * @return 1 and *ret_name (static: "balance", "resize", ...) when one runs, 0 when none or the
 * kernel has no such file, < 0 error. */
int btrfs_exclusive_operation(const uint8_t fsid[16], const char **ret_name);
