/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Balance through BTRFS_IOC_BALANCE_V2 with a vrange filter (what `btrfs balance start
 * -dvrange=S..E` sends), and the status ioctls that say whether another exclusive operation
 * runs. No shell, no btrfs-progs: the guard runs inside a daemon.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "basic/cleanup.h"
#include "btrfs/balance.h"

int btrfs_balance_vrange(int fd, uint64_t vstart, uint64_t vend, bool mixed, uint64_t *ret_completed) {
        if (fd < 0 || vend <= vstart)
                return -EINVAL;
        struct btrfs_ioctl_balance_args args = {};
        struct btrfs_balance_args filter = {
                .vstart = vstart,
                .vend = vend,
                .flags = BTRFS_BALANCE_ARGS_VRANGE,
        };
        args.flags = BTRFS_BALANCE_DATA;
        args.data = filter;
        if (mixed) {
                args.flags |= BTRFS_BALANCE_METADATA;
                args.meta = filter;
        }
        int r = ioctl(fd, BTRFS_IOC_BALANCE_V2, &args);
        if (ret_completed)
                *ret_completed = args.stat.completed;
        if (r < 0)
                /* the kernel says ECANCELED for a cancelled balance (and sets the state) */
                return -errno;
        return 0;
}

int btrfs_balance_cancel(int fd) {
        if (ioctl(fd, BTRFS_IOC_BALANCE_CTL, BTRFS_BALANCE_CTL_CANCEL) < 0)
                return -errno;
        return 0;
}

int btrfs_balance_in_progress(int fd) {
        struct btrfs_ioctl_balance_args args = {};
        if (ioctl(fd, BTRFS_IOC_BALANCE_PROGRESS, &args) < 0)
                return errno == ENOTCONN ? 0 : -errno;
        return 1;
}

int btrfs_scrub_in_progress(int fd, const uint64_t *devids, size_t n_devids) {
        for (size_t i = 0; i < n_devids; i++) {
                struct btrfs_ioctl_scrub_args args = { .devid = devids[i] };
                if (ioctl(fd, BTRFS_IOC_SCRUB_PROGRESS, &args) == 0)
                        return 1;
                /* ENOTCONN: no scrub on it; ENODEV: the device went away meanwhile */
                if (errno != ENOTCONN && errno != ENODEV)
                        return -errno;
        }
        return 0;
}

int btrfs_replace_in_progress(int fd) {
        struct btrfs_ioctl_dev_replace_args args = { .cmd = BTRFS_IOCTL_DEV_REPLACE_CMD_STATUS };
        if (ioctl(fd, BTRFS_IOC_DEV_REPLACE, &args) < 0)
                return -errno;
        return args.status.replace_state == BTRFS_IOCTL_DEV_REPLACE_STATE_STARTED ||
               args.status.replace_state == BTRFS_IOCTL_DEV_REPLACE_STATE_SUSPENDED;
}

int btrfs_exclusive_operation(const uint8_t fsid[16], const char **ret_name) {
        /* the names the kernel prints (fs/btrfs/sysfs.c); whole-string compares */
        static const char *const names[] = {
                "balance paused", "device remove", "device replace",
                "device add", "swap activate", "balance", "resize",
        };
        char path[96];
        snprintf(path, sizeof path,
                 "/sys/fs/btrfs/%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x/"
                 "exclusive_operation",
                 fsid[0], fsid[1], fsid[2], fsid[3], fsid[4], fsid[5], fsid[6], fsid[7], fsid[8], fsid[9],
                 fsid[10], fsid[11], fsid[12], fsid[13], fsid[14], fsid[15]);
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        char buf[64];
        ssize_t n = read(fd, buf, sizeof buf - 1);
        if (n < 0)
                return -errno;
        buf[n] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        if (buf[0] == '\0' || strcmp(buf, "none") == 0)
                return 0;
        const char *name = "unknown";
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strcmp(buf, names[i]) == 0) {
                        name = names[i];
                        break;
                }
        if (ret_name)
                *ret_name = name;
        return 1;
}
