/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"

static bool strbuf_reserve(struct strbuf *b, size_t extra) {
        if (b->oom)
                return false;
        if (b->len + extra + 1 <= b->cap)
                return true;
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + extra + 1) {
                if (cap > SIZE_MAX / 2) {
                        b->oom = true;
                        return false;
                }
                cap *= 2;
        }
        char *n = realloc(b->s, cap);
        if (!n) {
                b->oom = true;
                return false;
        }
        b->s = n;
        b->cap = cap;
        return true;
}

void strbuf_append(struct strbuf *b, const char *s, size_t n) {
        if (!strbuf_reserve(b, n))
                return;
        if (n)
                memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = 0;
}

void strbuf_puts(struct strbuf *b, const char *s) {
        strbuf_append(b, s, strlen(s));
}

void strbuf_putc(struct strbuf *b, char c) {
        strbuf_append(b, &c, 1);
}

void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap) {
        va_list aq;
        va_copy(aq, ap);
        int n = vsnprintf(NULL, 0, fmt, aq);
        va_end(aq);
        if (n < 0 || !strbuf_reserve(b, (size_t) n)) {
                b->oom = true;
                return;
        }
        vsnprintf(b->s + b->len, (size_t) n + 1, fmt, ap);
        b->len += (size_t) n;
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        strbuf_vprintf(b, fmt, ap);
        va_end(ap);
}

void strbuf_reset(struct strbuf *b) {
        b->len = 0;
        b->oom = false;
        if (b->s)
                b->s[0] = 0;
}

void strbuf_done(struct strbuf *b) {
        free(b->s);
        *b = (struct strbuf) STRBUF_INIT;
}

char *strbuf_steal(struct strbuf *b) {
        if (b->oom) {
                strbuf_done(b);
                return NULL;
        }
        if (!b->s)
                strbuf_reserve(b, 0);
        if (b->oom)
                return NULL;
        b->s[b->len] = 0;
        char *s = b->s;
        *b = (struct strbuf) STRBUF_INIT;
        return s;
}

char *strdup_vprintf(const char *fmt, va_list ap) {
        char *s = NULL;
        if (vasprintf(&s, fmt, ap) < 0)
                return NULL;
        return s;
}

char *strdup_printf(const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        char *s = strdup_vprintf(fmt, ap);
        va_end(ap);
        return s;
}
