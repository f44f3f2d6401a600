/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Candidate call paths between two adjacent trace frames. A trace shows only real frames: a
 * function inlined into its caller, or left by a tail call, never appears. What can hide between
 * caller F and callee C is a static function F's translation unit can see (F's own file, or a
 * header): walking backwards from C's call sites through such functions until F is reached gives
 * every path the source allows, each a candidate until debuginfo says which one the compiler
 * made. Walking backwards keeps the search small: a function has few callers but many callees. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "srctree-internal.h"

struct search {
        struct fsd_srctree *t;
        const struct src_index *ix;
        const char *caller;
        const char *caller_file;
        unsigned max_hidden;
        /* the chain being walked, callee first: functions[i] is called at lines[i] in functions[i+1] */
        const char *chain_func[8];
        const char *chain_file[8];
        int chain_line[8];
        size_t depth;
        struct src_path *paths;
        size_t n_paths;
        bool direct, truncated;
        int error;
        char **detail;
};

static bool is_header(const char *file) {
        size_t n = strlen(file);
        return n > 2 && strcmp(file + n - 2, ".h") == 0;
}

static int callers_of(struct search *s, const char *name, const struct src_call **ret) {
        return src_index_callers_cached(s->t, s->ix, name, ret, s->error ? NULL : s->detail);
}

static bool same_functions(const struct src_path *p, struct search *s, size_t depth) {
        if (p->n_steps != depth + 2)
                return false;
        for (size_t i = 0; i <= depth; i++)
                if (strcmp(p->steps[p->n_steps - 1 - i].function, s->chain_func[i]) != 0)
                        return false;
        return true;
}

/* Found: caller -> chain[depth] -> ... -> chain[0] (the callee), calling chain[depth] at line. */
static void record(struct search *s, const char *file, int line) {
        for (size_t i = 0; i < s->n_paths; i++)
                if (same_functions(&s->paths[i], s, s->depth))
                        return; /* the same functions through another call site */
        if (s->n_paths >= SRCTREE_MAX_PATHS) {
                s->truncated = true;
                return;
        }
        struct src_path *m = realloc(s->paths, (s->n_paths + 1) * sizeof *m);
        if (!m) {
                s->error = -ENOMEM;
                return;
        }
        s->paths = m;
        struct src_path *p = &s->paths[s->n_paths];
        p->n_steps = s->depth + 2;
        p->steps = calloc(p->n_steps, sizeof *p->steps);
        if (!p->steps) {
                s->error = -ENOMEM;
                return;
        }
        s->n_paths++;
        p->steps[0] = (struct src_step) { .function = strdup(s->caller), .file = strdup(file), .call_line = line };
        for (size_t i = 0; i <= s->depth; i++) {
                struct src_step *st = &p->steps[p->n_steps - 1 - i];
                st->function = strdup(s->chain_func[i]);
                st->file = s->chain_file[i] ? strdup(s->chain_file[i]) : NULL;
                st->call_line = i ? s->chain_line[i - 1] : 0;
                const struct src_def *d = src_index_find(s->ix, s->chain_func[i], s->chain_file[i], 0);
                st->def_line = d ? d->start : 0;
                if (!st->function)
                        s->error = -ENOMEM;
        }
        const struct src_def *d = src_index_find(s->ix, s->caller, file, line);
        p->steps[0].def_line = d ? d->start : 0;
        if (!p->steps[0].function || !p->steps[0].file)
                s->error = -ENOMEM;
}

static void walk_back(struct search *s) {
        const char *callee = s->chain_func[s->depth];
        const char *callee_file = s->chain_file[s->depth];
        /* a static function of a .c file is called from that file only */
        const struct src_def *cd = s->depth ? src_index_find(s->ix, callee, callee_file, 0) : NULL;
        bool file_bound = cd && cd->is_static && !is_header(cd->file);
        const struct src_call *calls = NULL;
        int n = callers_of(s, callee, &calls);
        if (n < 0) {
                if (n == -E2BIG)
                        s->truncated = true;
                else if (!s->error)
                        s->error = n;
                return;
        }
        for (int i = 0; i < n && !s->error; i++) {
                const struct src_call *c = &calls[i];
                if (file_bound && strcmp(c->file, cd->file) != 0)
                        continue;
                if (strcmp(c->function, s->caller) == 0 && (!s->caller_file || strcmp(c->file, s->caller_file) == 0)) {
                        if (s->depth == 0)
                                s->direct = true;
                        record(s, c->file, c->line);
                        continue;
                }
                if (s->depth >= s->max_hidden || s->depth + 1 >= ELEMENTSOF(s->chain_func))
                        continue;
                /* a hidden step: static, and visible to the caller's translation unit */
                const struct src_def *d = src_index_find(s->ix, c->function, c->file, c->line);
                if (!d || !d->is_static || strcmp(d->file, c->file) != 0)
                        continue;
                if (!is_header(d->file) && s->caller_file && strcmp(d->file, s->caller_file) != 0)
                        continue;
                bool seen = false;
                for (size_t j = 0; j <= s->depth; j++)
                        seen |= strcmp(s->chain_func[j], c->function) == 0;
                if (seen)
                        continue; /* recursion */
                s->chain_line[s->depth] = c->line;
                s->depth++;
                s->chain_func[s->depth] = d->name;
                s->chain_file[s->depth] = d->file;
                walk_back(s);
                s->depth--;
        }
}

void src_paths_free(struct src_path *p, size_t n) {
        if (!p)
                return;
        for (size_t i = 0; i < n; i++) {
                for (size_t j = 0; j < p[i].n_steps; j++) {
                        free(p[i].steps[j].function);
                        free(p[i].steps[j].file);
                }
                free(p[i].steps);
        }
        free(p);
}

static int path_cmp(const void *a, const void *b) {
        const struct src_path *x = a, *y = b;
        if (x->n_steps != y->n_steps)
                return x->n_steps < y->n_steps ? -1 : 1;
        for (size_t i = 0; i < x->n_steps; i++) {
                int c = strcmp(x->steps[i].function, y->steps[i].function);
                if (c)
                        return c;
        }
        return 0;
}

int srctree_candidate_paths(struct fsd_srctree *t, const struct src_index *ix, const char *caller, const char *callee,
                            unsigned max_hidden, struct src_path **ret, bool *ret_direct, bool *ret_truncated,
                            char **ret_detail) {
        if (!src_is_identifier(caller) || !src_is_identifier(callee))
                return -EINVAL;
        const struct src_def *cd = src_index_find(ix, caller, NULL, 0);
        if (!cd)
                return -ENOENT;
        struct search s = {
                .t = t, .ix = ix, .caller = caller, .caller_file = cd->file,
                .max_hidden = MIN(max_hidden, (unsigned) ELEMENTSOF(s.chain_func) - 2), .detail = ret_detail,
        };
        t->queries = 0;
        const struct src_def *ce = src_index_find(ix, callee, NULL, 0);
        s.chain_func[0] = callee;
        s.chain_file[0] = ce ? ce->file : NULL;
        walk_back(&s);
        if (s.error) {
                src_paths_free(s.paths, s.n_paths);
                return s.error;
        }
        /* shortest first, then by name: the same tree gives the same order */
        if (s.n_paths > 1)
                qsort(s.paths, s.n_paths, sizeof *s.paths, path_cmp);
        *ret = s.paths;
        *ret_direct = s.direct;
        *ret_truncated = s.truncated;
        return (int) s.n_paths;
}
