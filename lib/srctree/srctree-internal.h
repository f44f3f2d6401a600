/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* A kernel source tree for --source: the tree and its files (tree.c), running the indexers
 * without a shell (spawn.c), the per-directory index of function definitions and call sites with
 * its cache (index.c), candidate call paths (paths.c), and the views of reports and incidents
 * (view.c). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fsdoctor.h"

/* Hard limits on what a tree may make us do: a hostile or huge tree gets an error, not a hang. */
#define SRCTREE_MAX_FILES 50000      /* source files in one indexed directory */
#define SRCTREE_MAX_DEPTH 16         /* directory nesting below the indexed directory */
#define SRCTREE_MAX_LINE_NO 2000000  /* a line number past this is not a source line */
#define SRCTREE_MAX_SHOWN_LINE 400   /* bytes of one source line kept for display */
#define SRCTREE_MAX_QUERIES 400      /* cscope queries per candidate-path search */
#define SRCTREE_MAX_PATHS 16         /* candidate paths kept per pair of frames */
#define SRCTREE_MAX_INDEXES 8        /* directories indexed per tree */
#define SRCTREE_MAX_OUTPUT (64u << 20) /* bytes read from one indexer run */
/* cscope takes time quadratic in a line's length (90 s for one 8 MiB line): files larger than
 * any source file of fs/ (the largest is under 300 KiB) are left out of the index */
#define SRCTREE_MAX_FILE_SIZE (2u << 20)
#define SRCTREE_BUILD_TIMEOUT_MS (300 * 1000) /* one indexer building one directory's index */
#define SRCTREE_QUERY_TIMEOUT_MS (30 * 1000)  /* one cscope query */

/* ---- spawn.c ---- */
/* Runs argv[0] (found in PATH) in cwd with argv, no shell. Standard output is captured into
 * *ret_out (NUL-terminated, at most max_out bytes, else -E2BIG) when ret_out is not NULL, else
 * discarded; the first bytes of standard error go to *ret_err (may be NULL). After timeout_ms
 * the program is killed.
 * @return the exit status (>= 0); -ENOENT when the program is not installed; -EINTR when it
 *         died of a signal; -ETIME when it was killed at the timeout; other -errno. */
int spawn_capture(const char *const *argv, const char *cwd, int timeout_ms, size_t max_out, char **ret_out,
                  size_t *ret_len, char **ret_err);

/* ---- index.c ---- */
struct src_def {
        char *name;
        char *file;              /* relative to the tree root */
        int start, end;          /* first and last line; end 0 when ctags gave none */
        bool is_static, is_inline;
};

struct src_call {                /* one call site, as cscope reports it */
        char *file;
        char *function;          /* the function the call is in */
        int line;
};

struct src_index {
        char *dir;               /* "fs/btrfs", relative to the root */
        char *path;              /* directory holding files, tags and cscope.out */
        bool temporary;          /* not cached: removed when the tree is freed */
        bool from_cache;
        struct src_def *defs;    /* sorted by file, then start */
        size_t n_defs;
        size_t n_files;
};

/* cscope answers kept for the tree's lifetime: the reports of one log share their frames */
struct src_callers_memo {
        const struct src_index *ix;
        char *name;
        struct src_call *calls;
        int n;                   /* < 0: the query failed with this error */
};
#define SRCTREE_MAX_MEMO 8192

struct fsd_srctree {
        char *root;              /* realpath of the tree */
        int version, patchlevel, sublevel;
        char *release;           /* "6.1.192", EXTRAVERSION appended */
        char *cache_base;        /* NULL: no cache (a temporary index per run) */
        struct src_index *idx[SRCTREE_MAX_INDEXES];
        size_t n_idx;
        unsigned queries;        /* cscope runs so far, for the limit per search */
        unsigned max_hidden;     /* functions a candidate path may hide between two frames */
        struct src_callers_memo *memo;
        size_t n_memo;
        /* why an index could not be built, kept so each report does not retry: */
        char *failed_dir, *failed_detail;
        int failed_error;
};

/* The index of dir (relative to the root), built or loaded from the cache on first use.
 * @return 0 and *ret borrowed from t; -ENOENT (no such directory), -ENOTDIR, -ELOOP, -E2BIG,
 *         -ENOENT/-ENOEXEC when an indexer is missing or failed: *ret_detail says which. */
int srctree_index(struct fsd_srctree *t, const char *dir, struct src_index **ret, char **ret_detail);
void src_index_free(struct src_index *ix);
void srctree_memo_free(struct fsd_srctree *t);
/* The definition of name whose lines hold line in file; or, when file is NULL or line 0, the
 * first definition of name (static ones of file first when file is given). NULL none. */
const struct src_def *src_index_find(const struct src_index *ix, const char *name, const char *file, int line);
/* The definition whose lines hold line in file, NULL none. */
const struct src_def *src_index_enclosing(const struct src_index *ix, const char *file, int line);
/* Call sites of name in the index (cscope "functions calling this function").
 * @return the number of calls (>= 0), *ret an array the caller frees with src_calls_free(). */
int src_index_callers(struct fsd_srctree *t, const struct src_index *ix, const char *name, struct src_call **ret,
                      char **ret_detail);
void src_calls_free(struct src_call *calls, size_t n);
/* src_index_callers() answered once per tree and name: *ret is borrowed from t. */
int src_index_callers_cached(struct fsd_srctree *t, const struct src_index *ix, const char *name,
                             const struct src_call **ret, char **ret_detail);
/* A C identifier of sane length: what may be handed to cscope as a pattern. */
bool src_is_identifier(const char *s);

/* ---- tree.c ---- */
/* file (as the log or DWARF names it) relative to the root when it is a regular file inside the
 * tree: "./fs/x.c", "/build/linux/fs/x.c" and "fs/x.c" all give "fs/x.c".
 * @return 0 and a malloc'd path; -ENOENT, -ELOOP, -EXDEV (resolves outside the tree), -EISDIR. */
int srctree_resolve(const struct fsd_srctree *t, const char *file, char **ret_rel);
/* Lines first..last of rel (clamped to the file), each cut at SRCTREE_MAX_SHOWN_LINE bytes.
 * @return the number of lines read (0 when the file is shorter than first); -errno. */
int srctree_read_lines(const struct fsd_srctree *t, const char *rel, int first, int last, char ***ret_lines);

/* The size of rel in bytes, UINT64_MAX when it cannot be read. */
uint64_t srctree_file_size(const struct fsd_srctree *t, const char *rel);

/* ---- paths.c ---- */
struct src_step {
        char *function;
        char *file;
        int def_line;            /* where the function is defined, 0 unknown */
        int call_line;           /* where it calls the next step; 0 for the last */
};
struct src_path {
        struct src_step *steps;  /* caller first, callee last */
        size_t n_steps;
};
/* Paths caller -> ... -> callee of at most max_hidden functions between them, each a static
 * function the caller's translation unit can inline (same file, or a header), found backwards
 * from the callee's call sites. *ret_direct is set when caller calls callee itself.
 * @return the number of paths (>= 0) in *ret (free with src_paths_free()); -errno. */
int srctree_candidate_paths(struct fsd_srctree *t, const struct src_index *ix, const char *caller, const char *callee,
                            unsigned max_hidden, struct src_path **ret, bool *ret_direct, bool *ret_truncated,
                            char **ret_detail);
void src_paths_free(struct src_path *p, size_t n);
