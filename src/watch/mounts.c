/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "basic/cleanup.h"
#include "fsdoctor.h"
#include "mounts.h"
#include "sysfs.h"

DEFINE_FREEP(struct fsd_mountinfo, fsd_mountinfo_free)

/* word as a whole entry of a comma-separated option list */
static bool options_have(const char *opts, const char *word) {
        size_t n = strlen(word);
        for (const char *p = opts; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
                if (strncmp(p, word, n) == 0 && (p[n] == '\0' || p[n] == ','))
                        return true;
        return false;
}

static bool options_read_only(const char *opts) {
        return options_have(opts, "ro") || options_have(opts, "emergency_ro") || options_have(opts, "shutdown");
}

bool mounts_shows_read_only_state(const char *fstype) {
        if (strcmp(fstype, "btrfs") == 0)
                return true;
        if (strcmp(fstype, "ext4") != 0)
                return false;
        struct utsname u;
        unsigned major = 0, minor = 0;
        if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
                return false;
        return major > 6 || (major == 6 && minor >= 16);
}

int mounts_read(int fd, struct mount_table *t) {
        _cleanup_(fsd_mountinfo_freep) struct fsd_mountinfo *mi = NULL;
        t->n = 0;
        int r = fsd_mountinfo_read_fd(fd, &mi);
        if (r < 0)
                return r;
        for (size_t i = 0; i < fsd_mountinfo_count(mi) && t->n < MOUNTS_MAX; i++) {
                const struct fsd_mount *m = fsd_mountinfo_at(mi, i);
                dev_t dev = makedev(m->dev_major, m->dev_minor);
                /* btrfs shows an anonymous device (0:N): the block device is the mount's source */
                struct stat st;
                if (m->source && m->source[0] == '/' && stat(m->source, &st) >= 0 && S_ISBLK(st.st_mode))
                        dev = st.st_rdev;
                /* only block devices: tmpfs, proc and overlay cannot go read-only on us */
                if (major(dev) == 0)
                        continue;
                struct mount_entry *e = &t->e[t->n++];
                *e = (struct mount_entry) {
                        .id = (int) m->id,
                        .dev = dev,
                        .read_only = options_read_only(m->super_options),
                };
                snprintf(e->fstype, sizeof e->fstype, "%s", m->fstype);
        }
        return 0;
}

int mounts_device_number(const char *name, dev_t *ret) {
        if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                return -ENOENT;
        char path[300], buf[32];
        snprintf(path, sizeof path, "/sys/class/block/%s/dev", name);
        int r = sysfs_read_value(path, buf, sizeof buf);
        if (r < 0)
                return r == -ENODATA ? -EIO : r;
        unsigned maj, min;
        if (sscanf(buf, "%u:%u", &maj, &min) != 2)
                return -EIO;
        *ret = makedev(maj, min);
        return 0;
}
