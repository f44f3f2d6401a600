/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Where a device named in the running kernel's log is mounted now (the mount table and sysfs of
 * this system): only for incidents read from /dev/kmsg, whose devices are this machine's. */
#include "fsdoctor.h"

/* The mount point of the filesystem on block device `device` ("sda1", "dm-3", "loop0"): the mount
 * whose source is that device (by name, which still works after the device went away, then by
 * major:minor from /sys/class/block), else for btrfs the mount of another device of the same
 * filesystem (/sys/fs/btrfs/FSID/devices lists them). A filesystem mounted more than once gives
 * the mount of its top directory when there is one. fs_uuid (the log's, NULL when it named none):
 * a device now holding a filesystem with another UUID (a loop device or USB disk reused since the
 * log was written) gives no mount point. mountinfo/sysfs NULL: the system's.
 * @return 0 and a malloc'd path in *ret_path, NULL when not mounted or not known; -ENOMEM. */
int live_mount_point(const char *device, enum fsd_fs_type fs, const char *fs_uuid, const char *mountinfo,
                     const char *sysfs, char **ret_path);
