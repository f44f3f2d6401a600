/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mount table of a process (/proc/<pid>/mountinfo, proc(5)): one line per mount,
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 * with optional fields before the " - " separator and space, tab, newline and backslash in
 * paths escaped as \ooo. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "core/mountinfo.h"
#include "fsdoctor.h"

/* A mount table larger than this is not one a kernel hands out: refuse it rather than grow. */
#define MOUNTINFO_MAX_MOUNTS 1000000u
#define MOUNTINFO_MAX_LINE (64u * 1024)

struct fsd_mountinfo {
        struct fsd_mount *mounts;
        char **lines;            /* each mount's strings point into its own line */
        size_t n, cap;
        uint64_t malformed;
};

/* Undo mountinfo's \ooo escapes in place. */
static void unescape_octal(char *s) {
        char *w = s;
        for (char *r = s; *r; r++) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
                    r[3] >= '0' && r[3] <= '7') {
                        *w++ = (char) ((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
                        r += 3;
                } else
                        *w++ = *r;
        }
        *w = '\0';
}

/* "ro" as a whole entry of a comma-separated option list */
static bool options_read_only(const char *opts) {
        return strncmp(opts, "ro", 2) == 0 && (opts[2] == ',' || opts[2] == '\0');
}

static char *next_field(char **cursor) {
        char *p = *cursor;
        while (*p == ' ')
                p++;
        if (!*p)
                return NULL;
        char *start = p;
        while (*p && *p != ' ')
                p++;
        if (*p)
                *p++ = '\0';
        *cursor = p;
        return start;
}

int mountinfo_parse_line(char *line, struct fsd_mount *ret) {
        char *cursor = line, *f[6];
        unsigned id, parent, major, minor;
        char end;

        line[strcspn(line, "\n")] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(f); i++)
                if (!(f[i] = next_field(&cursor)))
                        return -FSD_E_FORMAT;
        if (sscanf(f[0], "%u%c", &id, &end) != 1 || sscanf(f[1], "%u%c", &parent, &end) != 1 ||
            sscanf(f[2], "%u:%u%c", &major, &minor, &end) != 2)
                return -FSD_E_FORMAT;
        /* optional fields up to the lone "-" */
        char *sep;
        while ((sep = next_field(&cursor)) && strcmp(sep, "-") != 0)
                ;
        if (!sep)
                return -FSD_E_FORMAT;
        char *fstype = next_field(&cursor), *source = next_field(&cursor), *super = next_field(&cursor);
        if (!fstype || !source || !super)
                return -FSD_E_FORMAT;
        unescape_octal(f[3]);
        unescape_octal(f[4]);
        unescape_octal(source);
        *ret = (struct fsd_mount) {
                .id = id,
                .parent_id = parent,
                .dev_major = major,
                .dev_minor = minor,
                .root = f[3],
                .mount_point = f[4],
                .mount_options = f[5],
                .fstype = fstype,
                .source = source,
                .super_options = super,
                .read_only = options_read_only(f[5]) || options_read_only(super),
        };
        return 0;
}

struct fsd_mountinfo *fsd_mountinfo_free(struct fsd_mountinfo *mi) {
        if (!mi)
                return NULL;
        for (size_t i = 0; i < mi->n; i++)
                free(mi->lines[i]);
        free(mi->lines);
        free(mi->mounts);
        free(mi);
        return NULL;
}
DEFINE_FREEP(struct fsd_mountinfo, fsd_mountinfo_free)

static int mountinfo_add(struct fsd_mountinfo *mi, char *line) {
        if (mi->n == mi->cap) {
                if (mi->cap >= MOUNTINFO_MAX_MOUNTS)
                        return -FSD_E_LIMIT;
                size_t cap = mi->cap ? mi->cap * 2 : 64;
                struct fsd_mount *m = realloc(mi->mounts, cap * sizeof *m);
                if (!m)
                        return -ENOMEM;
                mi->mounts = m;
                char **l = realloc(mi->lines, cap * sizeof *l);
                if (!l)
                        return -ENOMEM;
                mi->lines = l;
                mi->cap = cap;
        }
        if (mountinfo_parse_line(line, &mi->mounts[mi->n]) < 0) {
                mi->malformed++;
                free(line);
                return 0;
        }
        mi->lines[mi->n++] = line;
        return 0;
}

static int mountinfo_read_stream(FILE *f, struct fsd_mountinfo **ret_mountinfo) {
        _cleanup_(fsd_mountinfo_freep) struct fsd_mountinfo *mi = calloc(1, sizeof *mi);
        if (!mi)
                return -ENOMEM;
        for (;;) {
                _cleanup_free_ char *line = NULL;
                size_t size = 0;
                errno = 0;
                ssize_t n = getline(&line, &size, f);
                if (n < 0) {
                        if (!feof(f))
                                return errno ? -errno : -EIO;
                        break;
                }
                if ((size_t) n > MOUNTINFO_MAX_LINE)
                        return -FSD_E_LIMIT;
                int r = mountinfo_add(mi, TAKE_PTR(line));
                if (r < 0)
                        return r;
        }
        if (mi->n == 0)
                return -FSD_E_FORMAT;   /* every process sees at least its root */
        *ret_mountinfo = TAKE_PTR(mi);
        return 0;
}

int fsd_mountinfo_read(const char *path, struct fsd_mountinfo **ret_mountinfo) {
        if (!ret_mountinfo)
                return -EINVAL;
        _cleanup_fclose_ FILE *f = fopen(path ? path : "/proc/self/mountinfo", "re");
        if (!f)
                return -errno;
        return mountinfo_read_stream(f, ret_mountinfo);
}

int fsd_mountinfo_read_fd(int fd, struct fsd_mountinfo **ret_mountinfo) {
        if (fd < 0 || !ret_mountinfo)
                return -EINVAL;
        if (lseek(fd, 0, SEEK_SET) < 0)
                return -errno;
        _cleanup_close_ int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (copy < 0)
                return -errno;
        _cleanup_fclose_ FILE *f = fdopen(copy, "re");
        if (!f)
                return -errno;
        TAKE_FD(copy);
        return mountinfo_read_stream(f, ret_mountinfo);
}

size_t fsd_mountinfo_count(const struct fsd_mountinfo *mi) {
        return mi ? mi->n : 0;
}

const struct fsd_mount *fsd_mountinfo_at(const struct fsd_mountinfo *mi, size_t i) {
        return mi && i < mi->n ? &mi->mounts[i] : NULL;
}

uint64_t mountinfo_malformed(const struct fsd_mountinfo *mi) {
        return mi ? mi->malformed : 0;
}

const struct fsd_mount *fsd_mountinfo_find_device(const struct fsd_mountinfo *mi, const char *fstype,
                                                  unsigned major, unsigned minor, bool writable) {
        for (size_t i = 0; mi && i < mi->n; i++) {
                const struct fsd_mount *m = &mi->mounts[i];
                struct stat st;
                if ((fstype && strcmp(m->fstype, fstype) != 0) || (writable && m->read_only))
                        continue;
                if (m->source[0] != '/' || stat(m->source, &st) < 0 || !S_ISBLK(st.st_mode))
                        continue;
                if (major(st.st_rdev) == major && minor(st.st_rdev) == minor)
                        return m;
        }
        return NULL;
}
