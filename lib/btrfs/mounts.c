/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every mounted btrfs, from the mount table (fsd_mountinfo_read(), proc(5)): the watch loop calls
 * this on each round, so filesystems mounted later are picked up without a restart. One entry per
 * filesystem: the major:minor field is the superblock's device, equal for all its mounts.
 */
#define FSD_EXPERIMENTAL_API
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "fsdoctor.h"

#define MAX_MOUNTS 4096

DEFINE_FREEP(struct fsd_mountinfo, fsd_mountinfo_free)

/* Is opt one of the comma-separated options in list? */
static bool has_option(const char *list, const char *opt) {
        size_t n = strlen(opt);
        for (const char *p = list; p && *p;) {
                const char *end = strchrnul(p, ',');
                if ((size_t) (end - p) == n && memcmp(p, opt, n) == 0)
                        return true;
                p = *end ? end + 1 : end;
        }
        return false;
}

struct fsd_btrfs_mount *fsd_btrfs_mounts_free(struct fsd_btrfs_mount *m, size_t n) {
        if (!m)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                free(m[i].mount_point);
                free(m[i].source);
        }
        free(m);
        return NULL;
}

int fsd_btrfs_mounts_list(const char *mountinfo, struct fsd_btrfs_mount **ret_mounts) {
        if (!ret_mounts)
                return -EINVAL;
        _cleanup_(fsd_mountinfo_freep) struct fsd_mountinfo *mi = NULL;
        int r = fsd_mountinfo_read(mountinfo, &mi);
        if (r < 0)
                return r;

        struct fsd_btrfs_mount *list = NULL;
        size_t n = 0, cap = 0;
        for (size_t i = 0; i < fsd_mountinfo_count(mi); i++) {
                const struct fsd_mount *m = fsd_mountinfo_at(mi, i);
                if (strcmp(m->fstype, "btrfs") != 0)
                        continue;
                bool seen = false;
                for (size_t j = 0; j < n && !seen; j++)
                        seen = list[j].major == m->dev_major && list[j].minor == m->dev_minor;
                if (seen)
                        continue;
                if (n == MAX_MOUNTS) {
                        r = -FSD_E_LIMIT;
                        break;
                }
                if (n == cap) {
                        size_t c = cap ? cap * 2 : 8;
                        struct fsd_btrfs_mount *nl = reallocarray(list, c, sizeof *nl);
                        if (!nl) {
                                r = -ENOMEM;
                                break;
                        }
                        list = nl;
                        cap = c;
                }
                list[n] = (struct fsd_btrfs_mount) {
                        .major = m->dev_major,
                        .minor = m->dev_minor,
                        .read_only = m->read_only,
                        .degraded = has_option(m->super_options, "degraded"),
                        .mount_point = strdup(m->mount_point),
                        .source = strdup(m->source),
                };
                n++;
                if (!list[n - 1].mount_point || !list[n - 1].source) {
                        r = -ENOMEM;
                        break;
                }
        }
        if (r < 0) {
                fsd_btrfs_mounts_free(list, n);
                return r;
        }
        *ret_mounts = list;
        return (int) n;
}
