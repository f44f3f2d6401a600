/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Kernel block device names. */
#include <stdbool.h>
#include <string.h>

/* part is a partition of disk: "sdc1" of "sdc", "nvme0n1p3" of "nvme0n1" (disks whose name ends in
 * a digit number partitions "p1": nvme0n1p1, mmcblk0p1, loop0p1); never "nvme0n1p3" of the
 * controller "nvme0", never disk of itself. */
static inline bool devname_is_partition_of(const char *part, const char *disk) {
        size_t n = strlen(disk);
        if (n == 0 || strncmp(part, disk, n) != 0)
                return false;
        const char *p = part + n;
        if (disk[n - 1] >= '0' && disk[n - 1] <= '9' && *p++ != 'p')
                return false;
        if (!*p)
                return false;
        for (; *p; p++)
                if (*p < '0' || *p > '9')
                        return false;
        return true;
}
