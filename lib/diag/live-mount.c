/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mount point of a device the live kernel log names. The log itself never says where a
 * filesystem is mounted (ext4, XFS and btrfs print the device only), so this asks the running
 * system, and only for records read from /dev/kmsg. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "live-mount.h"
#include "basic/cleanup.h"

DEFINE_FREEP(struct fsd_mountinfo, fsd_mountinfo_free)

static inline void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

/* A kernel block device name: one path component, nothing a path could be built from. */
static bool device_name_ok(const char *d) {
        size_t n = strlen(d);
        return n > 0 && n < 64 && d[0] != '.' && !strchr(d, '/');
}

/* major:minor from SYSFS/class/block/DEVICE/dev. @return true when read. */
static bool sysfs_devnum(const char *sysfs, const char *device, unsigned *ret_major, unsigned *ret_minor) {
        char path[256];
        snprintf(path, sizeof path, "%s/class/block/%s/dev", sysfs, device);
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        return f && fscanf(f, "%u:%u", ret_major, ret_minor) == 2;
}

/* The btrfs filesystem directory (SYSFS/fs/btrfs/FSID) whose devices/ holds DEVICE, into buf. */
static bool btrfs_fs_dir_of(const char *sysfs, const char *device, char *buf, size_t size) {
        char root[200];
        snprintf(root, sizeof root, "%s/fs/btrfs", sysfs);
        _cleanup_(closedirp) DIR *d = opendir(root);
        if (!d)
                return false;
        for (struct dirent *de; (de = readdir(d));) {
                if (de->d_name[0] == '.')
                        continue;
                struct stat st;
                snprintf(buf, size, "%s/%s/devices/%s", root, de->d_name, device);
                if (lstat(buf, &st) == 0) {
                        snprintf(buf, size, "%s/%s", root, de->d_name);
                        return true;
                }
        }
        return false;
}

/* Is the mount's source a member of the btrfs filesystem at FS_DIR? Its name as the kernel knows
 * it: "/dev/mapper/x" is a link to "../dm-3". */
static bool btrfs_source_in(const char *fs_dir, const char *source) {
        _cleanup_free_ char *real = realpath(source, NULL);
        const char *name = strrchr(real ? real : source, '/');
        name = name ? name + 1 : source;
        if (!device_name_ok(name))
                return false;
        char path[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "%s/devices/%s", fs_dir, name);
        return lstat(path, &st) == 0;
}

/* Superblock fields that name a filesystem (ext4: struct ext4_super_block, s_magic and s_uuid;
 * XFS: struct xfs_dsb, sb_magicnum and sb_uuid, big-endian magic). */
#define EXT4_SB_OFFSET 1024
#define EXT4_SB_MAGIC_OFFSET 0x38
#define EXT4_SB_UUID_OFFSET 0x68
#define XFS_SB_UUID_OFFSET 32

static void uuid_format(const unsigned char u[16], char out[37]) {
        static const char hex[] = "0123456789abcdef";
        size_t k = 0;
        for (size_t i = 0; i < 16; i++) {
                if (i == 4 || i == 6 || i == 8 || i == 10)
                        out[k++] = '-';
                out[k++] = hex[u[i] >> 4];
                out[k++] = hex[u[i] & 15];
        }
        out[k] = 0;
}

/* Does the ext4 or XFS filesystem on PATH have another UUID than the log's? false when it cannot
 * be read (not root, device gone): nothing then says the mount is another filesystem. */
static bool superblock_uuid_differs(const char *path, enum fsd_fs_type fs, const char *uuid) {
        if (fs != FSD_FS_EXT4 && fs != FSD_FS_XFS)
                return false;
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return false;
        unsigned char sb[2048];
        ssize_t n = pread(fd, sb, sizeof sb, 0);
        close(fd);
        if (n != (ssize_t) sizeof sb)
                return false;
        const unsigned char *u;
        if (fs == FSD_FS_EXT4 && sb[EXT4_SB_OFFSET + EXT4_SB_MAGIC_OFFSET] == 0x53 &&
            sb[EXT4_SB_OFFSET + EXT4_SB_MAGIC_OFFSET + 1] == 0xef)
                u = sb + EXT4_SB_OFFSET + EXT4_SB_UUID_OFFSET;
        else if (fs == FSD_FS_XFS && memcmp(sb, "XFSB", 4) == 0)
                u = sb + XFS_SB_UUID_OFFSET;
        else
                return true; /* no longer this kind of filesystem */
        char now[37];
        uuid_format(u, now);
        return strcasecmp(now, uuid) != 0;
}

/* The mount's filesystem type can be the log's: another type means the device was reused. */
static bool fstype_fits(const char *fstype, enum fsd_fs_type fs) {
        switch (fs) {
        case FSD_FS_BTRFS:
                return strcmp(fstype, "btrfs") == 0;
        case FSD_FS_EXT4:
                return strcmp(fstype, "ext4") == 0 || strcmp(fstype, "ext3") == 0 || strcmp(fstype, "ext2") == 0;
        case FSD_FS_XFS:
                return strcmp(fstype, "xfs") == 0;
        default:
                return true;
        }
}

static bool source_is(const struct fsd_mount *m, const char *device, bool have_num, unsigned major, unsigned minor) {
        if (strncmp(m->source, "/dev/", 5) == 0 && strcmp(m->source + 5, device) == 0)
                return true;
        struct stat st;
        return have_num && m->source[0] == '/' && stat(m->source, &st) == 0 && S_ISBLK(st.st_mode) &&
               major(st.st_rdev) == major && minor(st.st_rdev) == minor;
}

int live_mount_point(const char *device, enum fsd_fs_type fs, const char *fs_uuid, const char *mountinfo,
                     const char *sysfs, char **ret_path) {
        *ret_path = NULL;
        if (!device || !device_name_ok(device))
                return 0;
        if (!sysfs)
                sysfs = "/sys";
        _cleanup_(fsd_mountinfo_freep) struct fsd_mountinfo *mi = NULL;
        if (fsd_mountinfo_read(mountinfo, &mi) < 0)
                return 0; /* no mount table to read: the mount point stays unknown */
        unsigned major = 0, minor = 0;
        bool have_num = sysfs_devnum(sysfs, device, &major, &minor);
        char fs_dir[512];
        bool btrfs = fs == FSD_FS_BTRFS && btrfs_fs_dir_of(sysfs, device, fs_dir, sizeof fs_dir);
        /* btrfs names its sysfs directory by the filesystem UUID */
        if (btrfs && fs_uuid) {
                const char *fsid = strrchr(fs_dir, '/') + 1;
                if (strcasecmp(fsid, fs_uuid) != 0)
                        return 0;
        }
        const struct fsd_mount *found = NULL;
        for (size_t i = 0; i < fsd_mountinfo_count(mi); i++) {
                const struct fsd_mount *m = fsd_mountinfo_at(mi, i);
                if (!fstype_fits(m->fstype, fs))
                        continue;
                bool match = source_is(m, device, have_num, major, minor) ||
                             (btrfs && strcmp(m->fstype, "btrfs") == 0 && btrfs_source_in(fs_dir, m->source));
                if (!match)
                        continue;
                /* a bind mount or a btrfs subvolume mounted elsewhere: the filesystem's top
                 * directory names it best */
                if (!found || (strcmp(found->root, "/") != 0 && strcmp(m->root, "/") == 0))
                        found = m;
        }
        if (!found)
                return 0;
        if (fs_uuid && !btrfs && superblock_uuid_differs(found->source, fs, fs_uuid))
                return 0;
        *ret_path = strdup(found->mount_point);
        return *ret_path ? 0 : -ENOMEM;
}
