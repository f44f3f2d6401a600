/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Replays fuzz inputs without libFuzzer: every file under the given directories (or the files
 * themselves) is passed once to LLVMFuzzerTestOneInput. A crash fails the test. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned replayed;

static int replay_file(const char *path) {
        FILE *f = fopen(path, "rb");
        if (!f) {
                fprintf(stderr, "%s: cannot open\n", path);
                return -1;
        }
        uint8_t *buf = NULL;
        size_t len = 0, cap = 0;
        for (;;) {
                if (len == cap) {
                        cap = cap ? cap * 2 : 65536;
                        uint8_t *n = realloc(buf, cap);
                        if (!n) {
                                free(buf);
                                fclose(f);
                                return -1;
                        }
                        buf = n;
                }
                size_t k = fread(buf + len, 1, cap - len, f);
                if (k == 0)
                        break;
                len += k;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        replayed++;
        return 0;
}

static int replay_path(const char *path) {
        struct stat st;
        if (stat(path, &st) < 0)
                return 0; /* no corpus yet: nothing to replay */
        if (!S_ISDIR(st.st_mode))
                return replay_file(path);
        DIR *d = opendir(path);
        if (!d)
                return -1;
        struct dirent *de;
        int r = 0;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                char sub[4096];
                snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
                if (replay_path(sub) < 0)
                        r = -1;
        }
        closedir(d);
        return r;
}

int main(int argc, char **argv) {
        int r = 0;
        /* the empty input and a few edge shapes always run */
        LLVMFuzzerTestOneInput((const uint8_t *) "", 0);
        LLVMFuzzerTestOneInput((const uint8_t *) "\n\n\0\n", 4);
        for (int i = 1; i < argc; i++)
                if (replay_path(argv[i]) < 0)
                        r = 1;
        printf("replayed %u inputs\n", replayed);
        return r;
}
