/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The index of one directory of the tree: function definitions with their first and last lines
 * (universal-ctags) and call sites (cscope), built once and kept under the cache directory, keyed
 * by the tree's path and the name, size and mtime of every indexed file. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "basic/cleanup.h"
#include "basic/strbuf.h"
#include "srctree-internal.h"

/* bump when the files kept in an index directory or their options change */
#define INDEX_FORMAT "fsdoctor-srctree-index-1"

static const char *const index_files[] = { "files", "tags", "cscope.out", "cscope.out.in", "cscope.out.po" };

struct file_list {
        char **names;
        size_t n, cap;
        uint64_t hash[2];        /* FNV-1a of every name, size and mtime, two seeds */
        int error;
};

static void hash_bytes(uint64_t h[2], const void *p, size_t n) {
        const unsigned char *b = p;
        for (size_t i = 0; i < n; i++) {
                h[0] = (h[0] ^ b[i]) * 0x100000001b3ULL;
                h[1] = (h[1] ^ b[i]) * 0x100000001b3ULL;
        }
}

/* names handed to cscope in a file list: a space or a quote would need cscope's quoting rules */
static bool plain_name(const char *s) {
        for (; *s; s++)
                if (!isalnum((unsigned char) *s) && !strchr("._-+/", *s))
                        return false;
        return true;
}

static bool is_source_name(const char *s) {
        size_t n = strlen(s);
        return n > 2 && s[n - 2] == '.' && (s[n - 1] == 'c' || s[n - 1] == 'h');
}

/* Regular *.c and *.h files below dirfd, symlinks not followed (a loop cannot trap the walk). */
static void walk(int dir_fd, const char *rel, unsigned depth, struct file_list *fl) {
        if (fl->error) {
                close(dir_fd);
                return;
        }
        if (depth > SRCTREE_MAX_DEPTH) {
                fl->error = -ELOOP;
                close(dir_fd);
                return;
        }
        DIR *d = fdopendir(dir_fd);
        if (!d) {
                fl->error = -errno;
                close(dir_fd);
                return;
        }
        /* sorted, so that the key does not depend on readdir order */
        struct dirent **ents = NULL;
        size_t n_ents = 0, cap = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                if (n_ents == cap) {
                        cap = cap ? cap * 2 : 64;
                        struct dirent **m = realloc(ents, cap * sizeof *m);
                        if (!m) {
                                fl->error = -ENOMEM;
                                break;
                        }
                        ents = m;
                }
                size_t sz = offsetof(struct dirent, d_name) + strlen(de->d_name) + 1;
                ents[n_ents] = malloc(MAX(sz, sizeof(struct dirent)));
                if (!ents[n_ents]) {
                        fl->error = -ENOMEM;
                        break;
                }
                memcpy(ents[n_ents++], de, sz);
        }
        for (size_t i = 0; i < n_ents; i++)
                for (size_t j = i + 1; j < n_ents; j++)
                        if (strcmp(ents[i]->d_name, ents[j]->d_name) > 0) {
                                struct dirent *x = ents[i];
                                ents[i] = ents[j];
                                ents[j] = x;
                        }
        for (size_t i = 0; i < n_ents && !fl->error; i++) {
                const char *name = ents[i]->d_name;
                struct stat st;
                if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                _cleanup_free_ char *path = NULL;
                if (asprintf(&path, "%s/%s", rel, name) < 0) {
                        fl->error = -ENOMEM;
                        break;
                }
                if (S_ISDIR(st.st_mode)) {
                        int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                        if (sub >= 0)
                                walk(sub, path, depth + 1, fl);
                } else if (S_ISREG(st.st_mode) && is_source_name(name) && plain_name(path) &&
                           (uint64_t) st.st_size <= SRCTREE_MAX_FILE_SIZE) {
                        if (fl->n >= SRCTREE_MAX_FILES) {
                                fl->error = -E2BIG;
                                break;
                        }
                        if (fl->n == fl->cap) {
                                fl->cap = fl->cap ? fl->cap * 2 : 256;
                                char **m = realloc(fl->names, fl->cap * sizeof *m);
                                if (!m) {
                                        fl->error = -ENOMEM;
                                        break;
                                }
                                fl->names = m;
                        }
                        fl->names[fl->n++] = TAKE_PTR(path);
                        hash_bytes(fl->hash, fl->names[fl->n - 1], strlen(fl->names[fl->n - 1]) + 1);
                        int64_t stamp[3] = { (int64_t) st.st_size, (int64_t) st.st_mtim.tv_sec, st.st_mtim.tv_nsec };
                        hash_bytes(fl->hash, stamp, sizeof stamp);
                }
        }
        for (size_t i = 0; i < n_ents; i++)
                free(ents[i]);
        free(ents);
        closedir(d);
}

static void file_list_done(struct file_list *fl) {
        for (size_t i = 0; i < fl->n; i++)
                free(fl->names[i]);
        free(fl->names);
}

static void remove_index_dir(const char *path) {
        for (size_t i = 0; i < ELEMENTSOF(index_files); i++) {
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s/%s", path, index_files[i]) >= 0)
                        unlink(p);
        }
        rmdir(path);
}

void src_index_free(struct src_index *ix) {
        if (!ix)
                return;
        if (ix->temporary && ix->path)
                remove_index_dir(ix->path);
        for (size_t i = 0; i < ix->n_defs; i++) {
                free(ix->defs[i].name);
                free(ix->defs[i].file);
        }
        free(ix->defs);
        free(ix->dir);
        free(ix->path);
        free(ix);
}
DEFINE_FREEP(struct src_index, src_index_free)

static int mkdir_parents(const char *path) {
        _cleanup_free_ char *p = strdup(path);
        if (!p)
                return -ENOMEM;
        for (char *s = p + 1; *s; s++)
                if (*s == '/') {
                        *s = 0;
                        if (mkdir(p, 0700) < 0 && errno != EEXIST)
                                return -errno;
                        *s = '/';
                }
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

static char *indexer_failure(const char *tool, const char *package, int k, const char *err) {
        char *s = NULL;
        int r;
        if (k == -ENOENT)
                r = asprintf(&s, "%s is not installed (Debian package %s): --source needs it to index the tree",
                             tool, package);
        else if (k == -ETIME)
                r = asprintf(&s, "%s was stopped after running too long", tool);
        else if (k < 0)
                r = asprintf(&s, "%s could not run: %s", tool, strerror(-k));
        else
                r = asprintf(&s, "%s failed (exit status %d)%s%s", tool, k, err ? ": " : "", err ? err : "");
        return r < 0 ? NULL : s;
}

static int build_index(const struct fsd_srctree *t, const char *path, const struct file_list *fl, char **ret_detail) {
        _cleanup_free_ char *list = NULL, *tags = NULL, *xref = NULL;
        if (asprintf(&list, "%s/files", path) < 0 || asprintf(&tags, "%s/tags", path) < 0 ||
            asprintf(&xref, "%s/cscope.out", path) < 0)
                return -ENOMEM;
        FILE *f = fopen(list, "we");
        if (!f)
                return -errno;
        for (size_t i = 0; i < fl->n; i++)
                fprintf(f, "%s\n", fl->names[i]);
        if (fclose(f) != 0)
                return -EIO;
        /* definitions with their end lines; .h as C (ctags reads headers as C++ by default) */
        const char *ctags_argv[] = { "ctags", "-L", list, "--languages=C", "--langmap=C:+.h", "--kinds-C=f",
                                     "--fields=+ne", "--fields-C=+{properties}", "--excmd=number", "-f", tags,
                                     NULL };
        _cleanup_free_ char *err = NULL;
        int k = spawn_capture(ctags_argv, t->root, SRCTREE_BUILD_TIMEOUT_MS, 0, NULL, NULL, &err);
        if (k != 0) {
                if (ret_detail)
                        *ret_detail = indexer_failure("ctags", "universal-ctags", k, err);
                return k < 0 ? k : -ENOEXEC;
        }
        free(err);
        err = NULL;
        /* -k: kernel mode, /usr/include is not the kernel's; -q: the inverted index that keeps
         * each later query at a few milliseconds */
        const char *cscope_argv[] = { "cscope", "-b", "-q", "-k", "-i", list, "-f", xref, NULL };
        k = spawn_capture(cscope_argv, t->root, SRCTREE_BUILD_TIMEOUT_MS, 0, NULL, NULL, &err);
        if (k != 0) {
                if (ret_detail)
                        *ret_detail = indexer_failure("cscope", "cscope", k, err);
                return k < 0 ? k : -ENOEXEC;
        }
        return 0;
}

static int def_cmp(const void *a, const void *b) {
        const struct src_def *x = a, *y = b;
        int c = strcmp(x->file, y->file);
        return c ? c : (x->start > y->start) - (x->start < y->start);
}

/* "name<TAB>file<TAB>123;\"<TAB>f<TAB>line:123<TAB>end:140<TAB>properties:static,inline" */
static int load_tags(struct src_index *ix) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/tags", ix->path) < 0)
                return -ENOMEM;
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f)
                return -errno;
        _cleanup_free_ char *line = NULL;
        size_t cap = 0, alloc = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, f)) > 0) {
                if (line[0] == '!' || n > 4096)
                        continue;
                if (line[n - 1] == '\n')
                        line[n - 1] = 0;
                char *fields[16];
                size_t nf = 0;
                for (char *s = line, *tab; nf < ELEMENTSOF(fields); s = tab + 1) {
                        fields[nf++] = s;
                        tab = strchr(s, '\t');
                        if (!tab)
                                break;
                        *tab = 0;
                }
                if (nf < 4 || strcmp(fields[3], "f") != 0)
                        continue;
                struct src_def d = { .start = atoi(fields[2]) };
                for (size_t i = 4; i < nf; i++) {
                        if (strncmp(fields[i], "end:", 4) == 0)
                                d.end = atoi(fields[i] + 4);
                        else if (strncmp(fields[i], "properties:", 11) == 0) {
                                d.is_static = strstr(fields[i], "static") != NULL;
                                d.is_inline = strstr(fields[i], "inline") != NULL;
                        }
                }
                if (d.start <= 0 || (d.end && d.end < d.start))
                        continue;
                if (ix->n_defs == alloc) {
                        alloc = alloc ? alloc * 2 : 1024;
                        struct src_def *m = realloc(ix->defs, alloc * sizeof *m);
                        if (!m)
                                return -ENOMEM;
                        ix->defs = m;
                }
                d.name = strdup(fields[0]);
                d.file = strdup(fields[1]);
                if (!d.name || !d.file) {
                        free(d.name);
                        free(d.file);
                        return -ENOMEM;
                }
                ix->defs[ix->n_defs++] = d;
        }
        if (ferror(f))
                return -EIO;
        if (ix->n_defs)
                qsort(ix->defs, ix->n_defs, sizeof *ix->defs, def_cmp);
        return 0;
}

static bool index_complete(const char *path) {
        for (size_t i = 0; i < ELEMENTSOF(index_files); i++) {
                _cleanup_free_ char *p = NULL;
                struct stat st;
                if (asprintf(&p, "%s/%s", path, index_files[i]) < 0 || stat(p, &st) < 0 || !S_ISREG(st.st_mode))
                        return false;
        }
        return true;
}

static int index_open(struct fsd_srctree *t, const char *dir, struct src_index **ret, char **ret_detail) {
        _cleanup_free_ char *abs = NULL;
        if (asprintf(&abs, "%s/%s", t->root, dir) < 0)
                return -ENOMEM;
        int dfd = open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) {
                int e = -errno;
                if (ret_detail && asprintf(ret_detail, "%s/%s: %s", t->root, dir, strerror(-e)) < 0)
                        *ret_detail = NULL;
                return e;
        }
        struct file_list fl = { .hash = { 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL } };
        hash_bytes(fl.hash, INDEX_FORMAT, sizeof INDEX_FORMAT);
        hash_bytes(fl.hash, t->root, strlen(t->root) + 1);
        hash_bytes(fl.hash, dir, strlen(dir) + 1);
        walk(dfd, dir, 0, &fl);
        if (fl.error || fl.n == 0) {
                int e = fl.error ? fl.error : -ENOENT;
                if (ret_detail && asprintf(ret_detail, "%s/%s: %s", t->root, dir,
                                           e == -E2BIG ? "more source files than an index may hold"
                                           : e == -ELOOP ? "directories nested too deep"
                                           : fl.error ? strerror(-e) : "no C source files") < 0)
                        *ret_detail = NULL;
                file_list_done(&fl);
                return e;
        }

        _cleanup_(src_index_freep) struct src_index *ix = calloc(1, sizeof *ix);
        if (!ix || !(ix->dir = strdup(dir))) {
                file_list_done(&fl);
                return -ENOMEM;
        }
        ix->n_files = fl.n;
        int k = 0;
        bool cached = false;
        if (t->cache_base && mkdir_parents(t->cache_base) >= 0) {
                if (asprintf(&ix->path, "%s/%016" PRIx64 "%016" PRIx64, t->cache_base, fl.hash[0], fl.hash[1]) < 0) {
                        file_list_done(&fl);
                        return -ENOMEM;
                }
                if (index_complete(ix->path))
                        cached = ix->from_cache = true;
                else {
                        /* built aside and renamed into place: a concurrent run or a crash never
                         * leaves a half-built index under the key */
                        _cleanup_free_ char *tmp = NULL;
                        if (asprintf(&tmp, "%s.tmpXXXXXX", ix->path) < 0) {
                                file_list_done(&fl);
                                return -ENOMEM;
                        }
                        if (mkdtemp(tmp)) {
                                k = build_index(t, tmp, &fl, ret_detail);
                                if (k < 0 || rename(tmp, ix->path) < 0)
                                        remove_index_dir(tmp);
                                cached = k >= 0 && index_complete(ix->path);
                        }
                }
        }
        if (!cached && k >= 0) {
                /* no usable cache: a private directory for this run */
                const char *tmpdir = getenv("TMPDIR");
                free(ix->path);
                if (asprintf(&ix->path, "%s/fsdoctor-srctree-XXXXXX", tmpdir && tmpdir[0] == '/' ? tmpdir : "/tmp") < 0) {
                        ix->path = NULL;
                        file_list_done(&fl);
                        return -ENOMEM;
                }
                if (!mkdtemp(ix->path))
                        k = -errno;
                else {
                        ix->temporary = true;
                        k = build_index(t, ix->path, &fl, ret_detail);
                }
        }
        file_list_done(&fl);
        if (k < 0)
                return k;
        k = load_tags(ix);
        if (k < 0)
                return k;
        *ret = TAKE_PTR(ix);
        return 0;
}

int srctree_index(struct fsd_srctree *t, const char *dir, struct src_index **ret, char **ret_detail) {
        for (size_t i = 0; i < t->n_idx; i++)
                if (strcmp(t->idx[i]->dir, dir) == 0) {
                        *ret = t->idx[i];
                        return 0;
                }
        if (t->failed_dir && strcmp(t->failed_dir, dir) == 0) {
                if (ret_detail && t->failed_detail)
                        *ret_detail = strdup(t->failed_detail);
                return t->failed_error;
        }
        if (t->n_idx >= SRCTREE_MAX_INDEXES)
                return -E2BIG;
        _cleanup_free_ char *detail = NULL;
        struct src_index *ix = NULL;
        int k = index_open(t, dir, &ix, &detail);
        if (k < 0) {
                /* remembered: the same missing tool or directory fails every report the same way */
                free(t->failed_dir);
                free(t->failed_detail);
                t->failed_dir = strdup(dir);
                t->failed_detail = detail ? strdup(detail) : NULL;
                t->failed_error = k;
                if (ret_detail)
                        *ret_detail = TAKE_PTR(detail);
                return k;
        }
        t->idx[t->n_idx++] = ix;
        *ret = ix;
        return 0;
}

const struct src_def *src_index_enclosing(const struct src_index *ix, const char *file, int line) {
        const struct src_def *best = NULL;
        for (size_t i = 0; i < ix->n_defs; i++) {
                const struct src_def *d = &ix->defs[i];
                if (d->start <= line && d->end >= line && strcmp(d->file, file) == 0)
                        if (!best || d->start > best->start)
                                best = d; /* the innermost, should definitions nest */
        }
        return best;
}

const struct src_def *src_index_find(const struct src_index *ix, const char *name, const char *file, int line) {
        const struct src_def *first = NULL, *in_file = NULL;
        for (size_t i = 0; i < ix->n_defs; i++) {
                const struct src_def *d = &ix->defs[i];
                if (strcmp(d->name, name) != 0)
                        continue;
                if (line > 0 && d->start <= line && d->end >= line && (!file || strcmp(d->file, file) == 0))
                        return d;
                if (file && !in_file && strcmp(d->file, file) == 0)
                        in_file = d;
                if (!first || (!d->is_static && first->is_static))
                        first = d;
        }
        return in_file ? in_file : first;
}

bool src_is_identifier(const char *s) {
        if (!s || !(isalpha((unsigned char) s[0]) || s[0] == '_'))
                return false;
        size_t n = 0;
        for (; s[n]; n++)
                if (!isalnum((unsigned char) s[n]) && s[n] != '_')
                        return false;
        return n <= 128;
}

void src_calls_free(struct src_call *calls, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(calls[i].file);
                free(calls[i].function);
        }
        free(calls);
}

int src_index_callers(struct fsd_srctree *t, const struct src_index *ix, const char *name, struct src_call **ret,
                      char **ret_detail) {
        if (!src_is_identifier(name))
                return -EINVAL;
        if (t->queries >= SRCTREE_MAX_QUERIES)
                return -E2BIG;
        t->queries++;
        _cleanup_free_ char *xref = NULL, *out = NULL, *err = NULL;
        if (asprintf(&xref, "%s/cscope.out", ix->path) < 0)
                return -ENOMEM;
        /* -d: use the index as it is; -L -3: line-oriented "functions calling this function" */
        const char *argv[] = { "cscope", "-d", "-k", "-L", "-3", name, "-f", xref, NULL };
        int k = spawn_capture(argv, t->root, SRCTREE_QUERY_TIMEOUT_MS, SRCTREE_MAX_OUTPUT, &out, NULL, &err);
        if (k != 0) {
                if (ret_detail)
                        *ret_detail = indexer_failure("cscope", "cscope", k, err);
                return k < 0 ? k : -ENOEXEC;
        }
        struct src_call *calls = NULL;
        size_t n = 0, cap = 0;
        /* "fs/btrfs/extent-tree.c run_one_delayed_ref 1721 ret = run_delayed_tree_ref(..." */
        for (char *s = out, *nl; s && *s; s = nl ? nl + 1 : NULL) {
                nl = strchr(s, '\n');
                if (nl)
                        *nl = 0;
                char file[512], func[160];
                int line;
                if (sscanf(s, "%511s %159s %d", file, func, &line) != 3 || line <= 0 || !src_is_identifier(func))
                        continue; /* "<global>": a call outside any function (a macro, an initializer) */
                if (n == cap) {
                        cap = cap ? cap * 2 : 16;
                        struct src_call *m = realloc(calls, cap * sizeof *m);
                        if (!m) {
                                src_calls_free(calls, n);
                                return -ENOMEM;
                        }
                        calls = m;
                }
                calls[n] = (struct src_call) { .file = strdup(file), .function = strdup(func), .line = line };
                if (!calls[n].file || !calls[n].function) {
                        src_calls_free(calls, n + 1);
                        return -ENOMEM;
                }
                n++;
        }
        *ret = calls;
        return (int) n;
}

int src_index_callers_cached(struct fsd_srctree *t, const struct src_index *ix, const char *name,
                             const struct src_call **ret, char **ret_detail) {
        for (size_t i = 0; i < t->n_memo; i++)
                if (t->memo[i].ix == ix && strcmp(t->memo[i].name, name) == 0) {
                        *ret = t->memo[i].calls;
                        return t->memo[i].n;
                }
        if (t->n_memo >= SRCTREE_MAX_MEMO)
                return -E2BIG;
        struct src_callers_memo *m = realloc(t->memo, (t->n_memo + 1) * sizeof *m);
        if (!m)
                return -ENOMEM;
        t->memo = m;
        struct src_call *calls = NULL;
        int n = src_index_callers(t, ix, name, &calls, ret_detail);
        if (n == -E2BIG || n == -ENOMEM) {
                /* the search's own limit, not an answer: asked again by the next search */
                return n;
        }
        char *copy = strdup(name);
        if (!copy) {
                src_calls_free(calls, n > 0 ? (size_t) n : 0);
                return -ENOMEM;
        }
        t->memo[t->n_memo++] = (struct src_callers_memo) { ix, copy, calls, n };
        *ret = calls;
        return n;
}

void srctree_memo_free(struct fsd_srctree *t) {
        for (size_t i = 0; i < t->n_memo; i++) {
                free(t->memo[i].name);
                src_calls_free(t->memo[i].calls, t->memo[i].n > 0 ? (size_t) t->memo[i].n : 0);
        }
        free(t->memo);
        t->memo = NULL;
        t->n_memo = 0;
}
