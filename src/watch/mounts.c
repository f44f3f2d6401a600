/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "mounts.h"

/* One mountinfo line: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS */
static bool parse_line(char *line, struct mount_entry *e) {
        unsigned maj, min;
        int id, parent;
        if (sscanf(line, "%d %d %u:%u", &id, &parent, &maj, &min) != 4)
                return false;
        char *sep = strstr(line, " - ");
        if (!sep)
                return false;
        char fstype[16] = "", source[256] = "", super[256] = "";
        if (sscanf(sep + 3, "%15s %255s %255s", fstype, source, super) < 3)
                return false;
        *e = (struct mount_entry) {
                .id = id, .dev = makedev(maj, min),
                .read_only = strncmp(super, "ro", 2) == 0 && (super[2] == 0 || super[2] == ','),
        };
        memcpy(e->fstype, fstype, sizeof e->fstype);
        return true;
}

int mounts_read(int fd, struct mount_table *t) {
        t->n = 0;
        if (lseek(fd, 0, SEEK_SET) < 0)
                return -errno;
        int dupfd = dup(fd);
        if (dupfd < 0)
                return -errno;
        FILE *f = fdopen(dupfd, "re");
        if (!f) {
                close(dupfd);
                return -errno;
        }
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, f) > 0) {
                struct mount_entry e;
                /* only block devices (major != 0): tmpfs, proc and overlay cannot go read-only on us */
                if (parse_line(line, &e) && major(e.dev) != 0 && t->n < MOUNTS_MAX)
                        t->e[t->n++] = e;
        }
        free(line);
        fclose(f);
        return 0;
}

int mounts_device_number(const char *name, dev_t *ret) {
        if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                return -ENOENT;
        char path[300];
        snprintf(path, sizeof path, "/sys/class/block/%s/dev", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        char buf[32];
        ssize_t k = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (k <= 0)
                return -EIO;
        buf[k] = 0;
        unsigned maj, min;
        if (sscanf(buf, "%u:%u", &maj, &min) != 2)
                return -EIO;
        *ret = makedev(maj, min);
        return 0;
}
