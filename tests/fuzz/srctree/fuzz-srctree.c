/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bytes -> a tree's top Makefile and a file name with a line range, as a hostile tree and a hostile
 * log would give them: the input up to the first NUL is the Makefile of a small tree (made once,
 * with a symlink loop and a symlink out of the tree); after it come a path and two line numbers.
 * Opening must succeed with a release or fail cleanly; a resolved path must stay in the tree and
 * name a regular file; read lines must be within the limits. No indexer is run. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsdoctor.h"
#include "srctree/srctree-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];

/* the tree is made once per process and removed at exit */
static void remove_tree(void) {
        static const char *const files[] = { "fs/btrfs/x.c", "fs/btrfs/loop", "fs/btrfs/out", "Makefile",
                                             "fs/btrfs", "fs", "include", "" };
        char p[256];
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
                snprintf(p, sizeof p, "%s/%s", root, files[i]);
                if (unlink(p) < 0)
                        rmdir(p);
        }
}

static void make_tree(void) {
        snprintf(root, sizeof root, "/tmp/fsdoctor-fuzz-srctree-XXXXXX");
        if (!mkdtemp(root))
                abort();
        atexit(remove_tree);
        char p[256];
        snprintf(p, sizeof p, "%s/fs", root);
        mkdir(p, 0755);
        snprintf(p, sizeof p, "%s/include", root);
        mkdir(p, 0755);
        snprintf(p, sizeof p, "%s/fs/btrfs", root);
        mkdir(p, 0755);
        snprintf(p, sizeof p, "%s/fs/btrfs/x.c", root);
        FILE *f = fopen(p, "w");
        if (!f)
                abort();
        fputs("int f(void)\n{\n\treturn 0;\n}\n\x01\x02 no newline", f);
        fclose(f);
        snprintf(p, sizeof p, "%s/fs/btrfs/loop", root);
        if (symlink("loop", p) < 0)
                abort();
        snprintf(p, sizeof p, "%s/fs/btrfs/out", root);
        if (symlink("/etc", p) < 0)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        if (!root[0])
                make_tree();
        const uint8_t *nul = memchr(data, 0, size);
        size_t mk_len = nul ? (size_t) (nul - data) : size;
        char p[256];
        snprintf(p, sizeof p, "%s/Makefile", root);
        FILE *f = fopen(p, "w");
        if (!f)
                return 0;
        fwrite(data, 1, mk_len, f);
        fclose(f);

        FSD_OPTS(fsd_srctree_opts, o, .cache_dir = "");
        struct fsd_srctree *t = NULL;
        char *detail = NULL;
        int k = fsd_srctree_open(root, &o, &t, &detail);
        if (k < 0) {
                if (!detail)
                        abort();        /* a refused tree always says why */
                free(detail);
                return 0;
        }
        const char *rel_text = "";
        char name[512] = "";
        int first = 1, last = 1;
        if (nul) {
                size_t rest = size - mk_len - 1;
                size_t n = rest < sizeof name - 1 ? rest : sizeof name - 1;
                memcpy(name, nul + 1, n);
                name[n] = 0;
                char *colon = strrchr(name, ':');
                if (colon) {
                        *colon = 0;
                        first = atoi(colon + 1);
                        char *dash = strchr(colon + 1, '-');
                        last = dash ? atoi(dash + 1) : first;
                }
                rel_text = name;
        }
        if (!fsd_srctree_release(t) || strncmp(fsd_srctree_root(t), root, strlen(root)) != 0)
                abort();
        char *rel = NULL;
        if (srctree_resolve(t, rel_text, &rel) >= 0) {
                struct stat st;
                snprintf(p, sizeof p, "%s/%s", root, rel);
                if (rel[0] == '/' || strstr(rel, "..") || stat(p, &st) < 0 || !S_ISREG(st.st_mode))
                        abort();        /* resolved paths stay inside and name regular files */
                char **lines = NULL;
                int n = srctree_read_lines(t, rel, first, last, &lines);
                if (n > 0 && (n > last - first + 1 || !lines))
                        abort();
                for (int i = 0; i < n; i++) {
                        if (strlen(lines[i]) > SRCTREE_MAX_SHOWN_LINE)
                                abort();
                        free(lines[i]);
                }
                if (n >= 0)
                        free(lines);
                free(rel);
        }
        fsd_srctree_free(t);
        return 0;
}
