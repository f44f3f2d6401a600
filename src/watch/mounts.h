/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Mounts of block devices from /proc/self/mountinfo, and a kernel device name ("loop0", "dm-9")
 * to its device number. The daemon polls the mountinfo descriptor for POLLPRI (the kernel's
 * "the mount table changed"), then reads it once. */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define MOUNTS_MAX 512

struct mount_entry {
        int id;
        dev_t dev;
        bool read_only;          /* the superblock is read-only: "ro", or ext4's "emergency_ro" or
                                  * "shutdown" (6.16+: an error leaves the superblock "rw") */
        char fstype[16];
};

struct mount_table {
        struct mount_entry e[MOUNTS_MAX];
        size_t n;
};

/* Reads from fd (rewound first) through fsd_mountinfo_read_fd(). @return 0 or a negative error. */
int mounts_read(int fd, struct mount_table *t);
/* Does a mount of fstype on the running kernel show in mountinfo that an incident made it
 * read-only? btrfs sets the superblock read-only; ext4 shows "emergency_ro" or "shutdown" since
 * 6.16, before which an error left it "rw" (only the EXT4_FLAGS_SHUTDOWN bit, invisible); an
 * XFS shutdown shows nowhere. Where it does not, a "rw" mount proves nothing. */
bool mounts_shows_read_only_state(const char *fstype);
/* /sys/class/block/NAME/dev. @return 0, -ENOENT for unknown devices. */
int mounts_device_number(const char *name, dev_t *ret);
