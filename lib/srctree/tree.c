/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A kernel source tree: checked on open (a top Makefile with VERSION and PATCHLEVEL, fs/ and
 * include/), its release, and reading lines of its files without leaving it. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "basic/cleanup.h"
#include "basic/strbuf.h"
#include "srctree-internal.h"

DEFINE_FREEP(struct fsd_srctree, fsd_srctree_free)

/* "VERSION = 6" in the first lines of the top Makefile. @return the value, -1 when absent. */
static int makefile_number(const char *text, const char *key) {
        size_t kl = strlen(key);
        for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
                if (strncmp(p, key, kl) != 0)
                        continue;
                const char *q = p + kl;
                while (*q == ' ' || *q == '\t')
                        q++;
                if (*q != '=')
                        continue;
                q++;
                while (*q == ' ' || *q == '\t')
                        q++;
                if (!isdigit((unsigned char) *q))
                        return -1;
                long v = strtol(q, NULL, 10);
                return v >= 0 && v < 100000 ? (int) v : -1;
        }
        return -1;
}

static void makefile_extraversion(const char *text, char *buf, size_t size) {
        buf[0] = 0;
        const char *p = strstr(text, "\nEXTRAVERSION");
        if (!p)
                return;
        p = strchr(p, '=');
        if (!p)
                return;
        p++;
        while (*p == ' ' || *p == '\t')
                p++;
        size_t n = 0;
        while (p[n] && p[n] != '\n' && n + 1 < size && (isalnum((unsigned char) p[n]) || strchr("-_.+~", p[n])))
                n++;
        memcpy(buf, p, n);
        buf[n] = 0;
}

static int read_makefile_head(const char *root, char *buf, size_t size) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/Makefile", root) < 0)
                return -ENOMEM;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        ssize_t n = read(fd, buf, size - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return 0;
}

static bool is_dir_at(const char *root, const char *name) {
        _cleanup_free_ char *p = NULL;
        struct stat st;
        return asprintf(&p, "%s/%s", root, name) >= 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

FSD_API int fsd_srctree_open(const char *dir, const struct fsd_srctree_opts *opts, struct fsd_srctree **ret,
                             char **ret_detail) {
        if (!dir || !ret)
                return -EINVAL;
        _cleanup_(fsd_srctree_freep) struct fsd_srctree *t = calloc(1, sizeof *t);
        if (!t)
                return -ENOMEM;
        t->root = realpath(dir, NULL);
        if (!t->root) {
                int e = -errno;
                if (ret_detail)
                        *ret_detail = strdup_printf("%s: %s", dir, strerror(-e));
                return e;
        }
        struct stat st;
        if (stat(t->root, &st) < 0 || !S_ISDIR(st.st_mode)) {
                if (ret_detail)
                        *ret_detail = strdup_printf("%s: not a directory", dir);
                return -ENOTDIR;
        }
        /* the top Makefile opens with VERSION, PATCHLEVEL, SUBLEVEL, EXTRAVERSION, NAME */
        char head[2048];
        int k = read_makefile_head(t->root, head, sizeof head);
        t->version = k < 0 ? -1 : makefile_number(head, "VERSION");
        t->patchlevel = k < 0 ? -1 : makefile_number(head, "PATCHLEVEL");
        t->sublevel = k < 0 ? -1 : makefile_number(head, "SUBLEVEL");
        if (t->version < 0 || t->patchlevel < 0 || !is_dir_at(t->root, "fs") || !is_dir_at(t->root, "include")) {
                if (ret_detail)
                        *ret_detail = strdup_printf("%s: not a kernel source tree (expected a top Makefile with "
                                                    "VERSION and PATCHLEVEL, and the directories fs/ and include/)",
                                                    dir);
                return -EINVAL;
        }
        char extra[64];
        makefile_extraversion(head, extra, sizeof extra);
        if (asprintf(&t->release, "%d.%d.%d%s", t->version, t->patchlevel, MAX(t->sublevel, 0), extra) < 0)
                return -ENOMEM;

        const char *cache = opts && opts->sz >= offsetof(struct fsd_srctree_opts, cache_dir) + sizeof(char *)
                                    ? opts->cache_dir : NULL;
        if (cache && !*cache)
                t->cache_base = NULL; /* "": no cache */
        else if (cache)
                t->cache_base = strdup(cache);
        else {
                const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
                if (xdg && xdg[0] == '/')
                        k = asprintf(&t->cache_base, "%s/fsdoctor/srctree", xdg);
                else if (home && home[0] == '/')
                        k = asprintf(&t->cache_base, "%s/.cache/fsdoctor/srctree", home);
                else
                        k = 0;
                if (k < 0)
                        t->cache_base = NULL;
        }
        if (opts && opts->sz >= offsetof(struct fsd_srctree_opts, max_hidden) + sizeof(unsigned))
                t->max_hidden = MIN(opts->max_hidden, 6u);
        *ret = TAKE_PTR(t);
        return 0;
}

FSD_API struct fsd_srctree *fsd_srctree_free(struct fsd_srctree *t) {
        if (!t)
                return NULL;
        srctree_memo_free(t);
        for (size_t i = 0; i < t->n_idx; i++)
                src_index_free(t->idx[i]);
        free(t->root);
        free(t->release);
        free(t->cache_base);
        free(t->failed_dir);
        free(t->failed_detail);
        free(t);
        return NULL;
}

FSD_API const char *fsd_srctree_release(const struct fsd_srctree *t) {
        return t ? t->release : NULL;
}

FSD_API const char *fsd_srctree_root(const struct fsd_srctree *t) {
        return t ? t->root : NULL;
}

/* rel inside the tree and a regular file: realpath resolves every symlink (a loop gives ELOOP)
 * and the result must stay under the root. */
static int resolve_one(const struct fsd_srctree *t, const char *rel, char **ret_rel) {
        _cleanup_free_ char *joined = NULL;
        if (asprintf(&joined, "%s/%s", t->root, rel) < 0)
                return -ENOMEM;
        _cleanup_free_ char *real = realpath(joined, NULL);
        if (!real)
                return -errno;
        size_t rl = strlen(t->root);
        if (strncmp(real, t->root, rl) != 0 || real[rl] != '/')
                return -EXDEV;
        struct stat st;
        if (stat(real, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        char *r = strdup(real + rl + 1);
        if (!r)
                return -ENOMEM;
        *ret_rel = r;
        return 0;
}

int srctree_resolve(const struct fsd_srctree *t, const char *file, char **ret_rel) {
        if (!file || !*file || strlen(file) > PATH_MAX)
                return -EINVAL;
        while (file[0] == '.' && file[1] == '/')
                file += 2;
        int first = -ENOENT;
        /* a build directory's absolute path: try the path's tails, "fs/btrfs/x.c" of
         * "/build/linux-6.1/fs/btrfs/x.c"; a relative path as is first */
        const char *p = file;
        for (unsigned tries = 0; p && *p && tries < 12; tries++) {
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                if (!(tries == 0 && file[0] == '/')) {
                        int k = resolve_one(t, p, ret_rel);
                        if (k >= 0 || k == -ENOMEM)
                                return k;
                        if (first == -ENOENT)
                                first = k;
                        if (file[0] != '/')
                                return k;
                }
                p = strchr(p, '/');
        }
        return first;
}

uint64_t srctree_file_size(const struct fsd_srctree *t, const char *rel) {
        _cleanup_free_ char *path = NULL;
        struct stat st;
        if (asprintf(&path, "%s/%s", t->root, rel) < 0 || stat(path, &st) < 0)
                return UINT64_MAX;
        return (uint64_t) st.st_size;
}

int srctree_read_lines(const struct fsd_srctree *t, const char *rel, int first, int last, char ***ret_lines) {
        if (first < 1 || last < first || last > SRCTREE_MAX_LINE_NO)
                return -ERANGE;
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/%s", t->root, rel) < 0)
                return -ENOMEM;
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return -EINVAL;
        }
        _cleanup_fclose_ FILE *f = fdopen(fd, "r");
        if (!f) {
                close(fd);
                return -errno;
        }
        size_t want = (size_t) (last - first + 1);
        char **lines = calloc(want + 1, sizeof *lines);
        if (!lines)
                return -ENOMEM;
        /* read by blocks, counting newlines: a huge file or a huge line costs time, not memory */
        char buf[65536];
        int line = 1;
        size_t n_lines = 0;
        struct strbuf cur = STRBUF_INIT;
        size_t n;
        bool done = false;
        while (!done && (n = fread(buf, 1, sizeof buf, f)) > 0) {
                for (size_t i = 0; i < n && !done; i++) {
                        if (buf[i] == '\n') {
                                if (line >= first) {
                                        lines[n_lines++] = strbuf_steal(&cur);
                                        if (!lines[n_lines - 1])
                                                goto oom;
                                }
                                strbuf_reset(&cur);
                                if (++line > last)
                                        done = true;
                        } else if (line >= first && cur.len < SRCTREE_MAX_SHOWN_LINE)
                                strbuf_putc(&cur, buf[i] == '\t' || (unsigned char) buf[i] >= 0x20 ? buf[i] : '?');
                }
        }
        if (!done && line >= first && line <= last && cur.len > 0) {
                lines[n_lines++] = strbuf_steal(&cur);
                if (!lines[n_lines - 1])
                        goto oom;
        }
        strbuf_done(&cur);
        if (ferror(f)) {
                for (size_t i = 0; i < n_lines; i++)
                        free(lines[i]);
                free(lines);
                return -EIO;
        }
        *ret_lines = lines;
        return (int) n_lines;
oom:
        strbuf_done(&cur);
        for (size_t i = 0; i < n_lines; i++)
                free(lines[i]);
        free(lines);
        return -ENOMEM;
}
