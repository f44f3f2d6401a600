/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* fsdoctor watch, part 2 (issue 13): every mounted btrfs sampled on a timer of the daemon's loop
 * (new mounts picked up each round), its metadata exhaustion forecast, metrics
 * (fsdoctor_btrfs_*), samples and guard actions in the history database, and the opt-in guard
 * of fsdoctor guard, run in a worker thread so a balance never stalls the kernel log. */
#include <stdbool.h>

struct watch_daemon;
struct watch_btrfs;

struct watch_btrfs_config {
        double interval;                 /* seconds between samples; 0: off */
        const char *db_path;             /* the daemon's history database */
        const char *const *guard_paths;  /* mount points the guard may balance (opt-in) */
        unsigned n_guard_paths;
        bool guard_dry_run;
        double guard_max_pressure;       /* PSI %% for I/O and CPU; 0: the library's defaults */
        bool quiet;
        unsigned retention_days;         /* samples older than this are dropped; 0 keeps all */
};

/* Registers the metric families and the sampling timer. @return 0 or a negative error. */
int watch_btrfs_start(struct watch_daemon *d, const struct watch_btrfs_config *cfg, struct watch_btrfs **ret);
/* Cancels a balance in flight (BTRFS_IOC_BALANCE_CTL), joins the workers, closes the database. */
struct watch_btrfs *watch_btrfs_stop(struct watch_btrfs *b);
