/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "term.h"

int color_mode_parse(const char *s, enum color_mode *ret) {
        if (!s || strcmp(s, "auto") == 0)
                *ret = COLOR_AUTO;
        else if (strcmp(s, "always") == 0 || strcmp(s, "yes") == 0)
                *ret = COLOR_ALWAYS;
        else if (strcmp(s, "never") == 0 || strcmp(s, "no") == 0)
                *ret = COLOR_NEVER;
        else
                return -EINVAL;
        return 0;
}

bool color_enabled(enum color_mode m, FILE *f) {
        if (m == COLOR_ALWAYS)
                return true;
        if (m == COLOR_NEVER)
                return false;
        const char *nc = getenv("NO_COLOR");
        if (nc && *nc)
                return false;
        const char *t = getenv("TERM");
        if (t && strcmp(t, "dumb") == 0)
                return false;
        return isatty(fileno(f));
}

const struct palette *palette_get(bool enabled) {
        static const struct palette on = { "\033[1m", "\033[31m", "\033[33m", "\033[32m", "\033[36m", "\033[2m", "\033[0m" };
        static const struct palette off = { "", "", "", "", "", "", "" };
        return enabled ? &on : &off;
}

void term_put_safe(FILE *f, const char *s, size_t n) {
        if (!s)
                return;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) s[i];
                if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
                        fprintf(f, "\\x%02x", c);
                else
                        fputc(c, f);
        }
}

static uint64_t now_ns(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

void progress_init(struct progress *p, const char *label, bool quiet) {
        *p = (struct progress) { .enabled = !quiet && isatty(STDERR_FILENO), .label = label, .last_ns = now_ns() };
}

void progress_update(struct progress *p, uint64_t done, uint64_t total) {
        if (!p->enabled)
                return;
        uint64_t t = now_ns();
        if (t - p->last_ns < 200000000u)
                return;
        p->last_ns = t;
        p->shown = true;
        if (total)
                fprintf(stderr, "\r%s: %.1f / %.1f MiB (%u%%)\033[K", p->label, done / 1048576.0,
                        total / 1048576.0, (unsigned) (done * 100 / total));
        else
                fprintf(stderr, "\r%s: %.1f MiB\033[K", p->label, done / 1048576.0);
        fflush(stderr);
}

void progress_done(struct progress *p) {
        if (p->enabled && p->shown) {
                fputs("\r\033[K", stderr);
                fflush(stderr);
        }
}
