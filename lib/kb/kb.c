/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The knowledge base: built-in rules (embedded by tools/rules2c.py) or a rules directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "basic/io.h"
#include "basic/strbuf.h"
#include "core/diag-log.h"
#include "kb-internal.h"
#include "kb.h"

static int rule_cmp(const void *a, const void *b) {
        return strcmp(((const struct kb_rule *) a)->info.id, ((const struct kb_rule *) b)->info.id);
}

struct fsd_kb *fsd_kb_free(struct fsd_kb *kb) {
        if (!kb)
                return NULL;
        arena_done(&kb->arena);
        free(kb);
        return NULL;
}
DEFINE_FREEP(struct fsd_kb, fsd_kb_free)

int kb_new_from_texts(const struct kb_embedded_rule *texts, size_t n, struct fsd_kb **ret_kb, char **reterr_detail) {
        if (n > KB_MAX_RULES) {
                if (reterr_detail)
                        *reterr_detail = strdup("too many rule files");
                return -FSD_E_LIMIT;
        }
        _cleanup_(fsd_kb_freep) struct fsd_kb *kb = calloc(1, sizeof *kb);
        if (!kb)
                return -ENOMEM;
        kb->rules = arena_alloc_array(&kb->arena, n ? n : 1, sizeof *kb->rules);
        if (!kb->rules)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                int r = kb_parse_rule(&kb->arena, texts[i].path, texts[i].id, (const char *) texts[i].text, texts[i].len,
                                      &kb->rules[i], reterr_detail);
                if (r < 0)
                        return r;
        }
        kb->n_rules = n;
        qsort(kb->rules, n, sizeof *kb->rules, rule_cmp);
        for (size_t i = 1; i < n; i++)
                if (strcmp(kb->rules[i].info.id, kb->rules[i - 1].info.id) == 0) {
                        if (reterr_detail && asprintf(reterr_detail, "%s: rule id '%s' is also used by %s",
                                                      kb->rules[i].info.source, kb->rules[i].info.id,
                                                      kb->rules[i - 1].info.source) < 0)
                                *reterr_detail = NULL;
                        return -FSD_E_RULE;
                }
        *ret_kb = TAKE_PTR(kb);
        return 0;
}

int fsd_kb_builtin(const struct fsd_kb **ret_kb) {
        static struct fsd_kb *builtin;
        static int builtin_error;
        if (!ret_kb)
                return -EINVAL;
        if (!builtin && !builtin_error) {
                _cleanup_free_ char *detail = NULL;
                int r = kb_new_from_texts(kb_embedded_rules, kb_embedded_rules_count, &builtin, &detail);
                if (r < 0) {
                        fsd_err("built-in knowledge base: %s", detail ? detail : fsd_strerror(r));
                        /* a broken embedded rule is a build bug; fail the same way on every call */
                        builtin_error = r;
                }
        }
        if (builtin_error)
                return builtin_error;
        *ret_kb = builtin;
        return 0;
}

int kb_builtin(const struct fsd_kb **ret_kb) {
        return fsd_kb_builtin(ret_kb);
}

/* ---- loading a directory ---- */

struct file_list {
        struct kb_embedded_rule *v;
        size_t n, cap;
        size_t bytes;
};

static void file_list_done(struct file_list *fl) {
        for (size_t i = 0; i < fl->n; i++) {
                free((char *) fl->v[i].path);
                free((char *) fl->v[i].id);
                free((unsigned char *) fl->v[i].text);
        }
        free(fl->v);
}

static int read_rule_file(int dirfd, const char *name, unsigned char **ret, size_t *ret_len) {
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EISDIR;
        if (st.st_size > (off_t) KB_MAX_FILE_BYTES)
                return -FSD_E_LIMIT;
        _cleanup_free_ unsigned char *buf = malloc(KB_MAX_FILE_BYTES + 1);
        if (!buf)
                return -ENOMEM;
        /* one byte more than allowed: a file that grew since fstat() is still caught */
        ssize_t k = pread_full(fd, buf, KB_MAX_FILE_BYTES + 1, 0);
        if (k < 0)
                return (int) k;
        size_t len = (size_t) k;
        if (len > KB_MAX_FILE_BYTES)
                return -FSD_E_LIMIT;
        buf[len] = 0;
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

static int name_cmp(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* rel: path below the top directory ("" at the top, else "btrfs/"). */
static int scan_dir(int dirfd, const char *top, const char *rel, unsigned depth, struct file_list *fl, char **reterr_detail) {
        if (depth > KB_MAX_DIR_DEPTH)
                return 0;
        int dup_fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        if (dup_fd < 0)
                return -errno;
        DIR *d = fdopendir(dup_fd);
        if (!d) {
                int r = -errno;
                close(dup_fd);
                return r;
        }
        char **names = NULL;
        size_t n = 0, cap = 0;
        int r = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                if (n == cap) {
                        cap = cap ? cap * 2 : 16;
                        if (cap > KB_MAX_RULES * 4) {
                                r = -FSD_E_LIMIT;
                                break;
                        }
                        char **nv = realloc(names, cap * sizeof *nv);
                        if (!nv) {
                                r = -ENOMEM;
                                break;
                        }
                        names = nv;
                }
                if (!(names[n] = strdup(de->d_name))) {
                        r = -ENOMEM;
                        break;
                }
                n++;
        }
        closedir(d);
        if (r == 0 && n)
                qsort(names, n, sizeof *names, name_cmp);
        for (size_t i = 0; r == 0 && i < n; i++) {
                const char *name = names[i];
                struct stat st;
                if (fstatat(dirfd, name, &st, 0) < 0)
                        continue;
                _cleanup_free_ char *relpath = NULL;
                if (asprintf(&relpath, "%s%s", rel, name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        if (sub < 0)
                                continue;
                        _cleanup_free_ char *subrel = NULL;
                        if (asprintf(&subrel, "%s/", relpath) < 0) {
                                r = -ENOMEM;
                                break;
                        }
                        r = scan_dir(sub, top, subrel, depth + 1, fl, reterr_detail);
                        continue;
                }
                size_t nl = strlen(name);
                if (!S_ISREG(st.st_mode) || nl < 6 || strcmp(name + nl - 5, ".yaml") != 0)
                        continue;
                if (fl->n >= KB_MAX_RULES) {
                        r = -FSD_E_LIMIT;
                        if (reterr_detail && asprintf(reterr_detail, "%s: more than %u rule files", top, KB_MAX_RULES) < 0)
                                *reterr_detail = NULL;
                        break;
                }
                if (fl->n == fl->cap) {
                        size_t nc = fl->cap ? fl->cap * 2 : 32;
                        struct kb_embedded_rule *nv = realloc(fl->v, nc * sizeof *nv);
                        if (!nv) {
                                r = -ENOMEM;
                                break;
                        }
                        fl->v = nv;
                        fl->cap = nc;
                }
                struct kb_embedded_rule *e = &fl->v[fl->n];
                *e = (struct kb_embedded_rule) {};
                unsigned char *text = NULL;
                size_t len = 0;
                r = read_rule_file(dirfd, name, &text, &len);
                if (r < 0) {
                        if (reterr_detail && asprintf(reterr_detail, "%s/%s: cannot read: %s", top, relpath, fsd_strerror(r)) < 0)
                                *reterr_detail = NULL;
                        break;
                }
                fl->bytes += len;
                e->text = text;
                e->len = len;
                e->id = strndup(relpath, strlen(relpath) - 5);
                if (asprintf((char **) &e->path, "%s/%s", top, relpath) < 0)
                        e->path = NULL;
                fl->n++;
                if (!e->id || !e->path)
                        r = -ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        free(names);
        return r;
}

int fsd_kb_load_dir(const char *dir, struct fsd_kb **ret_kb, char **reterr_detail) {
        if (!dir || !ret_kb)
                return -EINVAL;
        if (reterr_detail)
                *reterr_detail = NULL;
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                int r = -errno;
                if (reterr_detail && asprintf(reterr_detail, "%s: cannot open rules directory: %s", dir, strerror(-r)) < 0)
                        *reterr_detail = NULL;
                return r;
        }
        struct file_list fl = {};
        int r = scan_dir(fd, dir, "", 0, &fl, reterr_detail);
        if (r == 0 && fl.n == 0) {
                if (reterr_detail && asprintf(reterr_detail, "%s: no rule files (*.yaml) found", dir) < 0)
                        *reterr_detail = NULL;
                r = -FSD_E_RULE;
        }
        if (r == 0)
                r = kb_new_from_texts(fl.v, fl.n, ret_kb, reterr_detail);
        file_list_done(&fl);
        return r;
}

size_t fsd_kb_count(const struct fsd_kb *kb) {
        return kb ? kb->n_rules : 0;
}

const struct fsd_rule_info *fsd_kb_rule_at(const struct fsd_kb *kb, size_t i) {
        return kb && i < kb->n_rules ? &kb->rules[i].info : NULL;
}

const struct fsd_rule_info *fsd_kb_find(const struct fsd_kb *kb, const char *id) {
        if (!kb || !id)
                return NULL;
        struct kb_rule key = { .info.id = id };
        const struct kb_rule *r = bsearch(&key, kb->rules, kb->n_rules, sizeof *kb->rules, rule_cmp);
        return r ? &r->info : NULL;
}
