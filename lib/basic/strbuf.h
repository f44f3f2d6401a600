/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* A growable byte buffer, always NUL-terminated. Allocation failure is sticky: once an append
 * fails, strbuf_failed() is true and the content must not be used. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "cleanup.h"

struct strbuf {
        char *s;
        size_t len, cap;
        bool oom;
};

#define STRBUF_INIT { NULL, 0, 0, false }

void strbuf_append(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) _printf_(2, 3);
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap) _printf_(2, 0);
/* A new string formatted like printf: free() it; NULL when out of memory. */
char *strdup_printf(const char *fmt, ...) _printf_(1, 2);
char *strdup_vprintf(const char *fmt, va_list ap) _printf_(1, 0);
void strbuf_reset(struct strbuf *b);
void strbuf_done(struct strbuf *b);
/* Hand the string over (caller frees); returns NULL after an allocation failure. */
char *strbuf_steal(struct strbuf *b);
static inline bool strbuf_failed(const struct strbuf *b) { return b->oom; }
static inline const char *strbuf_str(const struct strbuf *b) { return b->s ? b->s : ""; }
