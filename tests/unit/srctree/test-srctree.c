/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/srctree on a small tree written here: opening and the release, paths confined to the tree,
 * reading lines, running a program without a shell, and (with ctags and cscope installed) the
 * index, the line checks and candidate paths through static functions. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "fsdoctor.h"
#include "srctree/srctree-internal.h"

static char root[256];

static void write_file(const char *rel, const char *text) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, rel);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

static void mkdir_in(const char *rel) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, rel);
        assert_int_equal(mkdir(path, 0755), 0);
}

/* fs/btrfs/x.c: run_refs -> run_one (static) -> drop_tree | drop_data (static) -> free_extent;
 * a file-scope comment; fs/btrfs/h.h: a static inline helper */
static const char X_C[] =
        "/* line 1 */\n"
        "#include \"h.h\"\n"
        "int free_extent(int x)\n"          /* 3 */
        "{\n"
        "\treturn helper(x);\n"              /* 5 */
        "}\n"
        "static int drop_tree(int x)\n"     /* 7 */
        "{\n"
        "\treturn free_extent(x);\n"         /* 9 */
        "}\n"
        "static int drop_data(int x)\n"     /* 11 */
        "{\n"
        "\treturn free_extent(x + 1);\n"     /* 13 */
        "}\n"
        "static int run_one(int x)\n"       /* 15 */
        "{\n"
        "\tif (x)\n"
        "\t\treturn drop_tree(x);\n"         /* 18 */
        "\treturn drop_data(x);\n"           /* 19 */
        "}\n"
        "int run_refs(int x)\n"             /* 21 */
        "{\n"
        "\treturn run_one(x);\n"             /* 23 */
        "}\n";
static const char H_H[] =
        "static inline int helper(int x)\n"
        "{\n"
        "\treturn x * 2;\n"
        "}\n";

static int setup(void **state) {
        (void) state;
        snprintf(root, sizeof root, "/tmp/fsdoctor-test-srctree-XXXXXX");
        assert_non_null(mkdtemp(root));
        write_file("Makefile", "# top\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 55\nEXTRAVERSION = -rc1\nNAME = x\n");
        mkdir_in("fs");
        mkdir_in("include");
        mkdir_in("fs/btrfs");
        write_file("fs/btrfs/Makefile", "obj-y := x.o\n");
        write_file("fs/btrfs/x.c", X_C);
        write_file("fs/btrfs/h.h", H_H);
        char path[512];
        snprintf(path, sizeof path, "%s/fs/btrfs/loop", root);
        assert_int_equal(symlink("loop", path), 0);
        snprintf(path, sizeof path, "%s/fs/btrfs/out", root);
        assert_int_equal(symlink("/etc", path), 0);
        return 0;
}

static int teardown(void **state) {
        (void) state;
        const char *argv[] = { "rm", "-rf", root, NULL };
        spawn_capture(argv, NULL, 10000, 0, NULL, NULL, NULL);
        return 0;
}

static struct fsd_srctree *open_tree(void) {
        char cache[300];
        snprintf(cache, sizeof cache, "%s/cache", root);
        FSD_OPTS(fsd_srctree_opts, o, .cache_dir = cache);
        struct fsd_srctree *t = NULL;
        assert_int_equal(fsd_srctree_open(root, &o, &t, NULL), 0);
        return t;
}

static void test_open_release(void **state) {
        (void) state;
        struct fsd_srctree *t = open_tree();
        assert_string_equal(fsd_srctree_release(t), "6.1.55-rc1");
        fsd_srctree_free(t);
        char *detail = NULL;
        assert_int_equal(fsd_srctree_open("/nonexistent/tree", NULL, &t, &detail), -ENOENT);
        assert_non_null(strstr(detail, "/nonexistent/tree"));
        free(detail);
        detail = NULL;
        char sub[300];
        snprintf(sub, sizeof sub, "%s/fs", root);
        assert_int_equal(fsd_srctree_open(sub, NULL, &t, &detail), -EINVAL);
        assert_non_null(strstr(detail, "not a kernel source tree"));
        free(detail);
        assert_null(fsd_srctree_free(NULL));
}

static void test_resolve(void **state) {
        (void) state;
        struct fsd_srctree *t = open_tree();
        char *rel = NULL;
        assert_int_equal(srctree_resolve(t, "./fs/btrfs/x.c", &rel), 0);
        assert_string_equal(rel, "fs/btrfs/x.c");
        free(rel);
        assert_int_equal(srctree_resolve(t, "/build/linux-6.1/fs/btrfs/x.c", &rel), 0);
        assert_string_equal(rel, "fs/btrfs/x.c");
        free(rel);
        assert_int_equal(srctree_resolve(t, "fs/btrfs/loop/x.c", &rel), -ELOOP);
        assert_int_equal(srctree_resolve(t, "fs/btrfs/out/passwd", &rel), -EXDEV);
        assert_int_equal(srctree_resolve(t, "fs/btrfs/../../../../../../../../etc/passwd", &rel), -EXDEV);
        assert_int_equal(srctree_resolve(t, "fs/btrfs", &rel), -EISDIR);
        assert_int_equal(srctree_resolve(t, "fs/btrfs/none.c", &rel), -ENOENT);
        assert_int_equal(srctree_resolve(t, "", &rel), -EINVAL);
        fsd_srctree_free(t);
}

static void free_lines(char **lines, int n) {
        for (int i = 0; i < n; i++)
                free(lines[i]);
        free(lines);
}

static void test_read_lines(void **state) {
        (void) state;
        struct fsd_srctree *t = open_tree();
        char **lines = NULL;
        int n = srctree_read_lines(t, "fs/btrfs/x.c", 3, 5, &lines);
        assert_int_equal(n, 3);
        assert_string_equal(lines[0], "int free_extent(int x)");
        assert_string_equal(lines[2], "\treturn helper(x);");
        free_lines(lines, n);
        n = srctree_read_lines(t, "fs/btrfs/x.c", 23, 40, &lines);
        assert_int_equal(n, 2); /* clamped to the end of the file */
        free_lines(lines, n);
        n = srctree_read_lines(t, "fs/btrfs/x.c", 100, 103, &lines);
        assert_int_equal(n, 0);
        free_lines(lines, n);
        assert_int_equal(srctree_read_lines(t, "fs/btrfs/x.c", 0, 3, &lines), -ERANGE);
        assert_int_equal(srctree_read_lines(t, "fs/btrfs/x.c", 1, SRCTREE_MAX_LINE_NO + 1, &lines), -ERANGE);
        /* a long line is cut, control bytes shown as '?', a last line without a newline kept */
        char *big = malloc(100000);
        assert_non_null(big);
        memset(big, 'a', 99990);
        memcpy(big + 99990, "\n\x01z", 4);
        write_file("fs/btrfs/long.c", big);
        free(big);
        n = srctree_read_lines(t, "fs/btrfs/long.c", 1, 2, &lines);
        assert_int_equal(n, 2);
        assert_int_equal(strlen(lines[0]), SRCTREE_MAX_SHOWN_LINE);
        assert_string_equal(lines[1], "?z");
        free_lines(lines, n);
        fsd_srctree_free(t);
}

static void test_spawn(void **state) {
        (void) state;
        char *out = NULL, *err = NULL;
        size_t len = 0;
        const char *echo[] = { "printf", "%s", "a b;c", NULL };
        assert_int_equal(spawn_capture(echo, NULL, 10000, 100, &out, &len, NULL), 0);
        assert_string_equal(out, "a b;c"); /* one argument, no shell */
        assert_int_equal(len, 5);
        free(out);
        const char *f[] = { "false", NULL };
        assert_int_equal(spawn_capture(f, NULL, 10000, 0, NULL, NULL, NULL), 1);
        const char *missing[] = { "fsdoctor-no-such-program", NULL };
        assert_int_equal(spawn_capture(missing, NULL, 10000, 0, NULL, NULL, NULL), -ENOENT);
        const char *slow[] = { "sleep", "10", NULL };
        assert_int_equal(spawn_capture(slow, NULL, 200, 0, NULL, NULL, NULL), -ETIME);
        const char *big[] = { "head", "-c", "100000", "/dev/zero", NULL };
        assert_int_equal(spawn_capture(big, NULL, 10000, 1000, &out, NULL, NULL), -E2BIG);
        const char *ls[] = { "ls", "/nonexistent-dir", NULL };
        assert_true(spawn_capture(ls, NULL, 10000, 0, NULL, NULL, &err) > 0);
        assert_non_null(err);
        free(err);
}

static bool have_indexers(void) {
        const char *c[] = { "ctags", "--version", NULL }, *s[] = { "cscope", "-V", NULL };
        return spawn_capture(c, NULL, 10000, 0, NULL, NULL, NULL) == 0 &&
               spawn_capture(s, NULL, 10000, 0, NULL, NULL, NULL) >= 0;
}

static void test_index_and_paths(void **state) {
        (void) state;
        if (!have_indexers())
                skip();
        struct fsd_srctree *t = open_tree();
        struct src_index *ix = NULL;
        char *detail = NULL;
        assert_int_equal(srctree_index(t, "fs/btrfs", &ix, &detail), 0);
        assert_false(ix->from_cache);
        const struct src_def *d = src_index_enclosing(ix, "fs/btrfs/x.c", 18);
        assert_non_null(d);
        assert_string_equal(d->name, "run_one");
        assert_int_equal(d->start, 15);
        assert_int_equal(d->end, 20);
        assert_true(d->is_static);
        assert_null(src_index_enclosing(ix, "fs/btrfs/x.c", 1));
        d = src_index_find(ix, "helper", NULL, 0);
        assert_non_null(d);
        assert_string_equal(d->file, "fs/btrfs/h.h");
        assert_true(d->is_inline);

        struct src_path *p = NULL;
        bool direct = true, truncated = true;
        int n = srctree_candidate_paths(t, ix, "run_refs", "free_extent", 3, &p, &direct, &truncated, NULL);
        assert_int_equal(n, 2);
        assert_false(direct);
        assert_false(truncated);
        /* sorted: run_refs -> run_one -> drop_data -> free_extent first */
        assert_int_equal(p[0].n_steps, 4);
        assert_string_equal(p[0].steps[0].function, "run_refs");
        assert_int_equal(p[0].steps[0].call_line, 23);
        assert_string_equal(p[0].steps[1].function, "run_one");
        assert_int_equal(p[0].steps[1].call_line, 19);
        assert_string_equal(p[0].steps[2].function, "drop_data");
        assert_int_equal(p[0].steps[2].call_line, 13);
        assert_string_equal(p[1].steps[2].function, "drop_tree");
        assert_int_equal(p[1].steps[3].call_line, 0);
        src_paths_free(p, (size_t) n);
        /* one hidden function is not enough */
        n = srctree_candidate_paths(t, ix, "run_refs", "free_extent", 1, &p, &direct, &truncated, NULL);
        assert_int_equal(n, 0);
        src_paths_free(p, 0);
        /* a static inline of a header reaches the caller's file */
        n = srctree_candidate_paths(t, ix, "free_extent", "helper", 3, &p, &direct, &truncated, NULL);
        assert_int_equal(n, 1);
        assert_true(direct);
        src_paths_free(p, (size_t) n);
        assert_int_equal(srctree_candidate_paths(t, ix, "run_refs;rm", "free_extent", 3, &p, &direct, &truncated,
                                                 NULL),
                         -EINVAL);
        fsd_srctree_free(t);

        /* the second open finds the index in the cache */
        t = open_tree();
        assert_int_equal(srctree_index(t, "fs/btrfs", &ix, NULL), 0);
        assert_true(ix->from_cache);
        assert_int_equal(srctree_index(t, "fs/none", &ix, &detail), -ENOENT);
        assert_non_null(strstr(detail, "fs/none"));
        free(detail);
        fsd_srctree_free(t);
}

static void test_view_report(void **state) {
        (void) state;
        if (!have_indexers())
                skip();
        struct fsd_srctree *t = open_tree();
        struct fsd_frame frames[] = {
                { .func = "run_one", .module = "btrfs", .offset = 0x10, .size = 0x40 },
                { .func = "run_refs", .module = "btrfs", .offset = 0x10, .size = 0x40 },
        };
        struct fsd_report r = {
                .type = FSD_REPORT_WARNING, .rip = "free_extent+0x5/0x20 [btrfs]", .guilty = "free_extent",
                .src_file = "fs/btrfs/h.h", .src_line = 3, .kernel = "6.1.0-13-amd64",
                .frames = frames, .n_frames = 2, .guilty_frame = -1,
        };
        struct fsd_source_view *v = NULL;
        assert_int_equal(fsd_srctree_view_report(t, &r, NULL, &v), 0);
        assert_int_equal(v->release_match, FSD_SRC_RELEASE_SAME);
        assert_int_equal(v->n_excerpts, 1);
        /* the WARN is in helper, which free_extent inlines */
        assert_int_equal(v->excerpts[0].check, FSD_SRC_INLINED);
        assert_string_equal(v->excerpts[0].enclosing, "helper");
        assert_int_equal(v->excerpts[0].first_line, 1);
        assert_int_equal(v->n_candidates, 2);
        assert_string_equal(v->candidates[0].caller, "run_one");
        assert_string_equal(v->candidates[0].callee, "free_extent");
        assert_int_equal(v->candidates[0].callee_frame, -1);
        assert_int_equal(v->candidates[0].n_paths, 2);
        assert_true(v->candidates[1].direct);
        char *json = NULL;
        assert_int_equal(fsd_source_view_to_json(v, &json), 0);
        assert_non_null(strstr(json, "\"check\":\"in-inlined-callee\""));
        assert_non_null(strstr(json, "\"source\":\"source-candidate\""));
        free(json);
        fsd_source_view_free(v);

        r.kernel = "5.10.0";
        r.src_file = "fs/btrfs/x.c";
        r.src_line = 13; /* in drop_data: free_extent cannot inline its caller */
        assert_int_equal(fsd_srctree_view_report(t, &r, NULL, &v), 0);
        assert_int_equal(v->release_match, FSD_SRC_RELEASE_OTHER);
        assert_int_equal(v->excerpts[0].check, FSD_SRC_OUTSIDE);
        assert_string_equal(v->excerpts[0].enclosing, "drop_data");
        fsd_source_view_free(v);
        r.kernel = "6.1.60";
        r.src_line = 400;
        assert_int_equal(fsd_srctree_view_report(t, &r, NULL, &v), 0);
        assert_int_equal(v->release_match, FSD_SRC_RELEASE_SUBLEVEL);
        assert_int_equal(v->excerpts[0].check, FSD_SRC_NO_FILE);
        fsd_source_view_free(v);
        fsd_srctree_free(t);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_open_release),
                cmocka_unit_test(test_resolve),
                cmocka_unit_test(test_read_lines),
                cmocka_unit_test(test_spawn),
                cmocka_unit_test(test_index_and_paths),
                cmocka_unit_test(test_view_report),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
