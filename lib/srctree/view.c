/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What a source tree says about one report or incident: the source around every line the log or
 * the debuginfo names, whether that line is inside the function named with it (if not, the tree
 * is not the log's kernel), the tree's release against the log's, and the candidate paths between
 * adjacent trace frames. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "basic/json-writer.h"
#include "basic/strbuf.h"
#include "srctree-internal.h"

#define CONTEXT_LINES 3
#define MAX_EXCERPTS 32
#define MAX_CANDIDATE_PAIRS 12
#define DEFAULT_MAX_HIDDEN 3

/* The public view first; everything it points to is owned by the builder. */
struct view {
        struct fsd_source_view pub;
        char **owned;
        size_t n_owned, cap_owned;
        struct fsd_src_excerpt *excerpts;
        struct fsd_src_candidates *candidates;
        const char **problems;
        int error;               /* first allocation failure */
};

static const char *own(struct view *v, char *s) {
        if (!s) {
                v->error = -ENOMEM;
                return NULL;
        }
        if (v->n_owned == v->cap_owned) {
                size_t cap = v->cap_owned ? v->cap_owned * 2 : 64;
                char **m = realloc(v->owned, cap * sizeof *m);
                if (!m) {
                        free(s);
                        v->error = -ENOMEM;
                        return NULL;
                }
                v->owned = m;
                v->cap_owned = cap;
        }
        v->owned[v->n_owned++] = s;
        return s;
}

static const char *own_dup(struct view *v, const char *s) {
        return s ? own(v, strdup(s)) : NULL;
}

static void problem(struct view *v, const char *fmt, ...) _printf_(2, 3);
static void problem(struct view *v, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        char *s = strdup_vprintf(fmt, ap);
        va_end(ap);
        if (!s) {
                v->error = -ENOMEM;
                return;
        }
        for (size_t i = 0; i < v->pub.n_problems; i++)
                if (strcmp(v->problems[i], s) == 0) {
                        free(s);
                        return; /* said once per view */
                }
        const char **m = realloc(v->problems, (v->pub.n_problems + 1) * sizeof *m);
        if (!m) {
                free(s);
                v->error = -ENOMEM;
                return;
        }
        v->problems = m;
        v->problems[v->pub.n_problems++] = own(v, s);
        v->pub.problems = v->problems;
}

FSD_API struct fsd_source_view *fsd_source_view_free(struct fsd_source_view *pub) {
        if (!pub)
                return NULL;
        struct view *v = (struct view *) pub;
        for (size_t i = 0; i < v->n_owned; i++)
                free(v->owned[i]);
        free(v->owned);
        for (size_t i = 0; i < pub->n_excerpts; i++)
                free((void *) v->excerpts[i].text);
        free(v->excerpts);
        for (size_t i = 0; i < pub->n_candidates; i++) {
                struct fsd_src_candidates *c = &v->candidates[i];
                for (size_t j = 0; j < c->n_paths; j++)
                        free((void *) c->paths[j].steps);
                free((void *) c->paths);
        }
        free(v->candidates);
        free(v->problems);
        free(v);
        return NULL;
}
DEFINE_FREEP(struct fsd_source_view, fsd_source_view_free)

FSD_API const char *fsd_src_check_name(enum fsd_src_check c) {
        static const char *const names[] = {
                [FSD_SRC_INSIDE] = "inside", [FSD_SRC_INLINED] = "in-inlined-callee",
                [FSD_SRC_OUTSIDE] = "outside", [FSD_SRC_NO_FUNCTION] = "no-such-function",
                [FSD_SRC_NO_FILE] = "no-such-line", [FSD_SRC_UNCHECKED] = "unchecked",
        };
        return (unsigned) c < ELEMENTSOF(names) && names[c] ? names[c] : "unknown";
}

FSD_API const char *fsd_src_release_match_name(enum fsd_src_release_match m) {
        static const char *const names[] = {
                [FSD_SRC_RELEASE_UNKNOWN] = "unknown", [FSD_SRC_RELEASE_SAME] = "same",
                [FSD_SRC_RELEASE_SUBLEVEL] = "other-sublevel", [FSD_SRC_RELEASE_OTHER] = "other",
        };
        return (unsigned) m < ELEMENTSOF(names) && names[m] ? names[m] : "unknown";
}

/* "4.19.90-17.ky10.x86_64" -> 4, 19, 90. @return the numbers read (0..3). */
static int parse_release(const char *s, int out[3]) {
        int n = 0;
        while (s && n < 3 && isdigit((unsigned char) *s)) {
                long x = strtol(s, (char **) &s, 10);
                out[n++] = x < 100000 ? (int) x : 99999;
                if (*s != '.')
                        break;
                s++;
        }
        return n;
}

static void compare_release(struct view *v, const struct fsd_srctree *t, const char *log_release) {
        v->pub.tree = t->root;
        v->pub.tree_release = t->release;
        v->pub.log_release = own_dup(v, log_release);
        int lr[3] = { 0, 0, 0 };
        int n = log_release ? parse_release(log_release, lr) : 0;
        if (n < 2)
                v->pub.release_match = FSD_SRC_RELEASE_UNKNOWN;
        else if (lr[0] != t->version || lr[1] != t->patchlevel)
                v->pub.release_match = FSD_SRC_RELEASE_OTHER;
        /* distributions print SUBLEVEL 0 ("6.1.0-13-amd64") for any 6.1.y: no evidence either way */
        else if (n == 3 && lr[2] != 0 && lr[2] != t->sublevel)
                v->pub.release_match = FSD_SRC_RELEASE_SUBLEVEL;
        else
                v->pub.release_match = FSD_SRC_RELEASE_SAME;
}

/* The directory to index for a file of the tree: its first two components ("fs/btrfs"). */
static bool index_dir_of(const char *rel, char *buf, size_t size) {
        const char *a = strchr(rel, '/');
        const char *b = a ? strchr(a + 1, '/') : NULL;
        if (!b || (size_t) (b - rel) >= size || strncmp(rel, "fs/", 3) != 0)
                return false;
        memcpy(buf, rel, (size_t) (b - rel));
        buf[b - rel] = 0;
        return true;
}

static struct src_index *get_index(struct view *v, struct fsd_srctree *t, const char *dir) {
        struct src_index *ix = NULL;
        _cleanup_free_ char *detail = NULL;
        int k = srctree_index(t, dir, &ix, &detail);
        if (k == -ENOMEM)
                v->error = k;
        else if (k < 0)
                problem(v, "%s", detail ? detail : strerror(-k));
        return k < 0 ? NULL : ix;
}

static bool have_excerpt(struct view *v, const char *file, int line) {
        for (size_t i = 0; i < v->pub.n_excerpts; i++)
                if (v->excerpts[i].line == line && strcmp(v->excerpts[i].file, file) == 0)
                        return true;
        return false;
}

/* The source around file:line, checked against function when the directory is indexed. */
static void add_excerpt(struct view *v, struct fsd_srctree *t, const char *why, const char *function,
                        const char *file, int line, uint64_t log_line, bool may_inline) {
        if (v->error || !file || line <= 0 || v->pub.n_excerpts >= MAX_EXCERPTS)
                return;
        _cleanup_free_ char *rel = NULL;
        int k = srctree_resolve(t, file, &rel);
        if (have_excerpt(v, rel ? rel : file, line))
                return;
        struct fsd_src_excerpt *m = realloc(v->excerpts, (v->pub.n_excerpts + 1) * sizeof *m);
        if (!m) {
                v->error = -ENOMEM;
                return;
        }
        v->excerpts = m;
        v->pub.excerpts = m;
        struct fsd_src_excerpt *e = &m[v->pub.n_excerpts++];
        *e = (struct fsd_src_excerpt) {
                .why = why, .function = own_dup(v, function), .file = own_dup(v, rel ? rel : file), .line = line,
                .log_line = log_line, .check = FSD_SRC_UNCHECKED,
        };
        if (k < 0) {
                e->check = FSD_SRC_NO_FILE;
                if (k != -ENOENT)
                        problem(v, "%s: %s", file, k == -EXDEV ? "resolves outside the source tree" : strerror(-k));
                return;
        }
        char **lines = NULL;
        int first = MAX(1, line - CONTEXT_LINES);
        int n = srctree_read_lines(t, rel, first, line + CONTEXT_LINES, &lines);
        if (n < 0) {
                e->check = FSD_SRC_NO_FILE;
                problem(v, "%s: %s", rel, strerror(-n));
                return;
        }
        e->first_line = first;
        e->text = (const char *const *) lines;
        e->n_text = (size_t) n;
        for (int i = 0; i < n; i++)
                own(v, lines[i]);
        if (first + n - 1 < line) {
                e->check = FSD_SRC_NO_FILE; /* the file ends before the line: another version */
                return;
        }
        char dir[256];
        if (!function || !src_is_identifier(function) || !index_dir_of(rel, dir, sizeof dir))
                return;
        if (srctree_file_size(t, rel) > SRCTREE_MAX_FILE_SIZE) {
                problem(v, "%s: larger than %u MiB, not indexed: its lines are shown unchecked", rel,
                        SRCTREE_MAX_FILE_SIZE >> 20);
                return;
        }
        struct src_index *ix = get_index(v, t, dir);
        if (!ix)
                return;
        const struct src_def *d = src_index_enclosing(ix, rel, line);
        if (d) {
                e->enclosing = d->name;
                e->enclosing_start = d->start;
                e->enclosing_end = d->end;
        }
        if (d && strcmp(d->name, function) == 0) {
                e->check = FSD_SRC_INSIDE;
                return;
        }
        if (!src_index_find(ix, function, NULL, 0)) {
                e->check = FSD_SRC_NO_FUNCTION;
                return;
        }
        e->check = FSD_SRC_OUTSIDE;
        if (d && d->is_static && may_inline) {
                /* a WARN in a static helper reports the function it was inlined into; an error
                 * message's __func__ and __LINE__ are the same statement's: never inlined */
                struct src_path *paths = NULL;
                bool direct = false, truncated = false;
                int np = srctree_candidate_paths(t, ix, function, d->name, 2, &paths, &direct, &truncated, NULL);
                if (np > 0)
                        e->check = FSD_SRC_INLINED;
                src_paths_free(paths, np > 0 ? (size_t) np : 0);
        }
}

/* The directory whose index holds a function of module (fs/<module> when the tree has it), or
 * image_dir for the kernel image. */
static bool module_dir(const struct fsd_srctree *t, const char *module, const char *image_dir, char *buf,
                       size_t size) {
        if (!module) {
                if (!image_dir || !*image_dir)
                        return false;
                snprintf(buf, size, "%s", image_dir);
                return true;
        }
        if (!src_is_identifier(module) || strlen(module) > 64)
                return false;
        snprintf(buf, size, "fs/%s", module);
        _cleanup_free_ char *mk = NULL, *rel = NULL;
        if (asprintf(&mk, "%s/Makefile", buf) < 0)
                return false;
        return srctree_resolve(t, mk, &rel) >= 0;
}

/* "... [btrfs]" -> "btrfs"; NULL for the kernel image */
static const char *rip_module(const char *rip, char *buf, size_t size) {
        const char *a = rip ? strchr(rip, '[') : NULL;
        const char *b = a ? strchr(a, ']') : NULL;
        if (!b || (size_t) (b - a - 1) >= size)
                return NULL;
        memcpy(buf, a + 1, (size_t) (b - a - 1));
        buf[b - a - 1] = 0;
        return buf;
}

static void add_candidates(struct view *v, struct fsd_srctree *t, unsigned max_hidden, const char *caller,
                           int caller_frame, const char *callee, int callee_frame, const char *dir) {
        if (v->error || v->pub.n_candidates >= MAX_CANDIDATE_PAIRS || !src_is_identifier(caller) ||
            !src_is_identifier(callee))
                return;
        struct src_index *ix = get_index(v, t, dir);
        if (!ix || !src_index_find(ix, caller, NULL, 0) || !src_index_find(ix, callee, NULL, 0))
                return;
        struct src_path *paths = NULL;
        bool direct = false, truncated = false;
        _cleanup_free_ char *detail = NULL;
        int n = srctree_candidate_paths(t, ix, caller, callee, max_hidden, &paths, &direct, &truncated, &detail);
        if (n < 0) {
                if (n == -ENOMEM)
                        v->error = n;
                else
                        problem(v, "%s -> %s: %s", caller, callee, detail ? detail : strerror(-n));
                return;
        }
        struct fsd_src_candidates *m = realloc(v->candidates, (v->pub.n_candidates + 1) * sizeof *m);
        if (!m) {
                src_paths_free(paths, (size_t) n);
                v->error = -ENOMEM;
                return;
        }
        v->candidates = m;
        v->pub.candidates = m;
        struct fsd_src_candidates *c = &m[v->pub.n_candidates++];
        *c = (struct fsd_src_candidates) {
                .caller = own_dup(v, caller), .callee = own_dup(v, callee), .caller_frame = caller_frame,
                .callee_frame = callee_frame, .direct = direct, .truncated = truncated,
        };
        struct fsd_src_path *pp = n ? calloc((size_t) n, sizeof *pp) : NULL;
        if (n && !pp) {
                src_paths_free(paths, (size_t) n);
                v->error = -ENOMEM;
                return;
        }
        for (int i = 0; i < n; i++) {
                struct fsd_src_step *steps = calloc(paths[i].n_steps, sizeof *steps);
                if (!steps) {
                        v->error = -ENOMEM;
                        break;
                }
                for (size_t j = 0; j < paths[i].n_steps; j++) {
                        const struct src_step *s = &paths[i].steps[j];
                        steps[j] = (struct fsd_src_step) {
                                .function = own_dup(v, s->function), .file = own_dup(v, s->file),
                                .def_line = s->def_line, .call_line = s->call_line,
                        };
                }
                pp[i] = (struct fsd_src_path) { .steps = steps, .n_steps = paths[i].n_steps };
                c->n_paths = (size_t) i + 1;
        }
        c->paths = pp;
        src_paths_free(paths, (size_t) n);
}

static unsigned max_hidden_of(const struct fsd_srctree *t) {
        return t->max_hidden ? t->max_hidden : DEFAULT_MAX_HIDDEN;
}

/* "__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]" -> "__btrfs_free_extent" */
static void rip_function(const char *rip, char *buf, size_t size) {
        size_t n = 0;
        buf[0] = 0;
        if (!rip)
                return;
        while (rip[n] && rip[n] != '+' && rip[n] != '.' && rip[n] != ' ' && n + 1 < size)
                n++;
        memcpy(buf, rip, n);
        buf[n] = 0;
}

static int view_new(struct view **ret) {
        struct view *v = calloc(1, sizeof *v);
        if (!v)
                return -ENOMEM;
        *ret = v;
        return 0;
}

static int view_finish(struct view *v, struct fsd_source_view **ret) {
        if (v->error) {
                int e = v->error;
                fsd_source_view_free(&v->pub);
                return e;
        }
        *ret = &v->pub;
        return 0;
}

FSD_API int fsd_srctree_view_report(struct fsd_srctree *t, const struct fsd_report *r,
                                    const struct fsd_report_lines *rl, struct fsd_source_view **ret) {
        if (!t || !r || !ret)
                return -EINVAL;
        struct view *v;
        int k = view_new(&v);
        if (k < 0)
                return k;
        compare_release(v, t, r->kernel);
        char rip[160];
        rip_function(r->rip, rip, sizeof rip);
        char image_dir[256] = "";
        /* the WARNING/BUG site "at fs/btrfs/extent-tree.c:6805", inside the RIP's function */
        if (r->src_file && r->src_line > 0) {
                add_excerpt(v, t, "report-site", rip[0] ? rip : r->guilty, r->src_file, r->src_line, r->first_line,
                            true);
                if (!index_dir_of(r->src_file, image_dir, sizeof image_dir))
                        image_dir[0] = 0;
        }
        /* every line the debuginfo resolved, inline chains included */
        if (rl) {
                for (size_t i = 0; i <= rl->n_frames; i++) {
                        const struct fsd_frame_lines *fl = i < rl->n_frames ? rl->frames[i] : rl->rip;
                        uint64_t at = i < rl->n_frames && i < r->n_frames ? r->frames[i].line : r->first_line;
                        for (size_t j = 0; fl && j < fl->n_lines; j++)
                                add_excerpt(v, t, j + 1 < fl->n_lines ? "debuginfo-inlined" : "debuginfo",
                                            fl->lines[j].function, fl->lines[j].file, fl->lines[j].line, at, false);
                }
        }
        /* candidate paths between adjacent frames of the first trace, where no debuginfo
         * resolved the caller (it would show the inline chain itself) */
        const char *callee = rip[0] ? rip : NULL;
        int callee_frame = -1;
        char modbuf[80], callee_dir[256] = "";
        bool callee_has_dir = callee && module_dir(t, rip_module(r->rip, modbuf, sizeof modbuf), image_dir,
                                                   callee_dir, sizeof callee_dir);
        for (size_t i = 0; i < r->n_frames && i < 16; i++) {
                const struct fsd_frame *f = &r->frames[i];
                if (f->trace != 0)
                        break;
                if (f->unreliable || !f->func)
                        continue;
                char dir[256] = "";
                bool has_dir = module_dir(t, f->module, image_dir, dir, sizeof dir);
                if (callee && i == 0 && strcmp(callee, f->func) == 0) {
                        callee_frame = 0; /* the trace repeats the RIP's function as its first frame */
                        continue;
                }
                bool resolved = rl && i < rl->n_frames && rl->frames[i];
                if (callee && !resolved && has_dir && callee_has_dir && strcmp(dir, callee_dir) == 0)
                        add_candidates(v, t, max_hidden_of(t), f->func, (int) i, callee, callee_frame, dir);
                callee = f->func;
                callee_frame = (int) i;
                callee_has_dir = has_dir;
                memcpy(callee_dir, dir, sizeof dir);
        }
        return view_finish(v, ret);
}

FSD_API int fsd_srctree_view_incident(struct fsd_srctree *t, const struct fsd_incident *inc,
                                      struct fsd_source_view **ret) {
        if (!t || !inc || !ret)
                return -EINVAL;
        struct view *v;
        int k = view_new(&v);
        if (k < 0)
                return k;
        compare_release(v, t, inc->kernel);
        for (size_t i = 0; i < inc->n_events; i++) {
                const struct fsd_event *e = &inc->events[i];
                if (!e->function || e->src_line <= 0 || !src_is_identifier(e->function))
                        continue;
                /* "in __btrfs_free_extent:6805": __func__ and __LINE__ of the same statement */
                const char *dir = e->fs == FSD_FS_BTRFS ? "fs/btrfs" : e->fs == FSD_FS_EXT4 ? "fs/ext4"
                                : e->fs == FSD_FS_XFS ? "fs/xfs" : NULL;
                if (e->src_file) {
                        add_excerpt(v, t, "error-message", e->function, e->src_file, e->src_line, e->line, false);
                        continue;
                }
                if (!dir)
                        continue;
                struct src_index *ix = get_index(v, t, dir);
                if (!ix)
                        continue;
                const struct src_def *d = src_index_find(ix, e->function, NULL, e->src_line);
                if (!d) {
                        if (v->pub.n_excerpts < MAX_EXCERPTS) {
                                struct fsd_src_excerpt *m = realloc(v->excerpts, (v->pub.n_excerpts + 1) * sizeof *m);
                                if (!m) {
                                        v->error = -ENOMEM;
                                        break;
                                }
                                v->excerpts = m;
                                v->pub.excerpts = m;
                                m[v->pub.n_excerpts++] = (struct fsd_src_excerpt) {
                                        .why = "error-message", .function = own_dup(v, e->function),
                                        .file = own_dup(v, dir), .line = e->src_line, .log_line = e->line,
                                        .check = FSD_SRC_NO_FUNCTION,
                                };
                        }
                        continue;
                }
                add_excerpt(v, t, "error-message", e->function, d->file, e->src_line, e->line, false);
        }
        return view_finish(v, ret);
}

static void json_excerpt(struct json_writer *w, const struct fsd_src_excerpt *e) {
        json_object_begin(w);
        json_kv_string(w, "why", e->why);
        if (e->function)
                json_kv_string(w, "function", e->function);
        json_kv_string(w, "file", e->file);
        json_kv_int(w, "line", e->line);
        if (e->log_line)
                json_kv_uint(w, "log_line", e->log_line);
        json_kv_string(w, "check", fsd_src_check_name(e->check));
        if (e->enclosing) {
                json_key(w, "enclosing");
                json_object_begin(w);
                json_kv_string(w, "function", e->enclosing);
                json_kv_int(w, "start", e->enclosing_start);
                json_kv_int(w, "end", e->enclosing_end);
                json_object_end(w);
        }
        if (e->n_text) {
                json_kv_int(w, "first_line", e->first_line);
                json_key(w, "text");
                json_array_begin(w);
                for (size_t i = 0; i < e->n_text; i++)
                        json_string(w, e->text[i]);
                json_array_end(w);
        }
        json_object_end(w);
}

static void json_candidates(struct json_writer *w, const struct fsd_src_candidates *c) {
        json_object_begin(w);
        json_kv_string(w, "caller", c->caller);
        json_kv_string(w, "callee", c->callee);
        json_kv_int(w, "caller_frame", c->caller_frame);
        json_kv_int(w, "callee_frame", c->callee_frame);
        json_kv_bool(w, "direct", c->direct);
        json_kv_bool(w, "truncated", c->truncated);
        json_key(w, "paths");
        json_array_begin(w);
        for (size_t i = 0; i < c->n_paths; i++) {
                json_array_begin(w);
                for (size_t j = 0; j < c->paths[i].n_steps; j++) {
                        const struct fsd_src_step *s = &c->paths[i].steps[j];
                        json_object_begin(w);
                        json_kv_string(w, "function", s->function);
                        /* the caller and the callee are frames; every step between them is hidden */
                        json_kv_string(w, "source", j == 0 || j + 1 == c->paths[i].n_steps ? "trace" : "source-candidate");
                        if (s->file)
                                json_kv_string(w, "file", s->file);
                        if (s->def_line)
                                json_kv_int(w, "def_line", s->def_line);
                        if (s->call_line)
                                json_kv_int(w, "call_line", s->call_line);
                        json_object_end(w);
                }
                json_array_end(w);
        }
        json_array_end(w);
        json_object_end(w);
}

FSD_API int fsd_source_view_to_json(const struct fsd_source_view *v, char **ret_json) {
        if (!v || !ret_json)
                return -EINVAL;
        struct strbuf b = STRBUF_INIT;
        struct json_writer w;
        json_writer_init(&w, &b);
        json_object_begin(&w);
        json_kv_string(&w, "tree", v->tree);
        json_kv_string(&w, "tree_release", v->tree_release);
        if (v->log_release)
                json_kv_string(&w, "log_release", v->log_release);
        json_kv_string(&w, "release_match", fsd_src_release_match_name(v->release_match));
        json_key(&w, "excerpts");
        json_array_begin(&w);
        for (size_t i = 0; i < v->n_excerpts; i++)
                json_excerpt(&w, &v->excerpts[i]);
        json_array_end(&w);
        json_key(&w, "candidate_paths");
        json_array_begin(&w);
        for (size_t i = 0; i < v->n_candidates; i++)
                json_candidates(&w, &v->candidates[i]);
        json_array_end(&w);
        if (v->n_problems) {
                json_key(&w, "problems");
                json_array_begin(&w);
                for (size_t i = 0; i < v->n_problems; i++)
                        json_string(&w, v->problems[i]);
                json_array_end(&w);
        }
        json_object_end(&w);
        char *s = strbuf_steal(&b);
        if (!s)
                return -ENOMEM;
        *ret_json = s;
        return 0;
}
