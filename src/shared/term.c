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

static bool wide_char(uint32_t c) {
        return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) || (c >= 0x3041 && c <= 0x33ff) ||
               (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
               (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
               (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
               (c >= 0x20000 && c <= 0x3fffd);
}

size_t term_display_width(const char *s, size_t n) {
        const unsigned char *p = (const unsigned char *) s, *e = p + n;
        size_t w = 0;
        while (p < e) {
                uint32_t c = *p;
                size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
                if (k > 1 && (size_t) (e - p) >= k) {
                        c &= 0x3f >> (k - 1);
                        for (size_t i = 1; i < k; i++)
                                c = c << 6 | (p[i] & 0x3f);
                } else
                        k = 1;
                p += k;
                if (c >= 0x300 && c <= 0x36f)
                        continue; /* combining diacritics */
                w += wide_char(c) ? 2 : 1;
        }
        return w;
}

void term_put_padded(FILE *f, const char *label, size_t width) {
        size_t n = strlen(label);
        fputs(label, f);
        for (size_t w = term_display_width(label, n); w < width; w++)
                fputc(' ', f);
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
