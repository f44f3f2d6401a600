/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* One vocabulary for reading text that is not NUL-terminated: kernel log lines are views into a
 * read buffer, never C strings. Two forms, for the two ways parsers walk text:
 *   struct span        a view (pointer and length) passed around and compared: span_*();
 *   (const char **p, const char *end)
 *                      a cursor moving over a line while it is taken apart: scan_*(), which
 *                      advance *p only when they succeed.
 * Byte classes are ASCII-only on purpose: the kernel prints ASCII and the C library's locale
 * must not change what a parser accepts. Nothing here allocates. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- bytes ---------------------------------------------------------------------------------- */

static inline bool ascii_is_digit(char c) {
        return (unsigned char) (c - '0') < 10;
}

static inline bool ascii_is_xdigit(char c) {
        return ascii_is_digit(c) || (unsigned char) ((c | 0x20) - 'a') < 6;
}

/* The value of a hex digit, or -1. */
static inline int ascii_hex_value(char c) {
        if (ascii_is_digit(c))
                return c - '0';
        if ((unsigned char) ((c | 0x20) - 'a') < 6)
                return (c | 0x20) - 'a' + 10;
        return -1;
}

/* Space or tab. */
static inline bool ascii_is_blank(char c) {
        return c == ' ' || c == '\t';
}

/* ---- views ---------------------------------------------------------------------------------- */

struct span {
        const char *ptr;
        size_t len;
};

static inline struct span span_make(const char *ptr, size_t len) {
        return (struct span) { ptr, len };
}

/* The view of [p, end). */
static inline struct span span_range(const char *p, const char *end) {
        return (struct span) { p, (size_t) (end - p) };
}

static inline const char *span_end(struct span v) {
        return v.ptr + v.len;
}

/* Inline so that the compiler knows strlen() of a literal and compares a fixed number of bytes:
 * these run on every record, mostly with literals. */
static inline bool span_starts(struct span v, const char *prefix) {
        size_t n = __builtin_strlen(prefix);
        return v.len >= n && __builtin_memcmp(v.ptr, prefix, n) == 0;
}

/* Offset of the needle_len bytes at needle in v, or -1. */
static inline long span_find_n(struct span v, const char *needle, size_t needle_len) {
        if (needle_len == 0)
                return 0;
        if (v.len < needle_len)
                return -1;
        const char *p = v.ptr, *end = v.ptr + v.len - needle_len + 1;
        while (p < end) {
                p = memchr(p, needle[0], (size_t) (end - p));
                if (!p)
                        return -1;
                if (memcmp(p, needle, needle_len) == 0)
                        return p - v.ptr;
                p++;
        }
        return -1;
}

/* Offset of needle in v, or -1. */
static inline long span_find(struct span v, const char *needle) {
        return span_find_n(v, needle, __builtin_strlen(needle));
}

static inline bool span_has(struct span v, const char *needle) {
        return span_find(v, needle) >= 0;
}

/* Without leading blanks. */
static inline struct span span_ltrim(struct span v) {
        while (v.len && ascii_is_blank(v.ptr[0])) {
                v.ptr++;
                v.len--;
        }
        return v;
}

/* Without leading blanks and trailing blanks or '\r'. */
static inline struct span span_trim(struct span v) {
        v = span_ltrim(v);
        while (v.len && (ascii_is_blank(v.ptr[v.len - 1]) || v.ptr[v.len - 1] == '\r'))
                v.len--;
        return v;
}

/* Copy a view into a fixed buffer, cut to fit, NUL-terminated; returns dst. */
static inline const char *span_copy(char *dst, size_t size, const char *p, size_t n) {
        if (n >= size)
                n = size - 1;
        memcpy(dst, p, n);
        dst[n] = '\0';
        return dst;
}
#define SPAN_COPY(dst, v) span_copy((dst), sizeof(dst), (v).ptr, (v).len)

/* ---- cursors -------------------------------------------------------------------------------- */

static inline bool scan_starts(const char *p, const char *end, const char *lit, size_t n) {
        return (size_t) (end - p) >= n && memcmp(p, lit, n) == 0;
}
/* Literal prefix test; sizeof on a string literal keeps the length a compile-time constant. */
#define SCAN_STARTS(p, end, lit) scan_starts((p), (end), (lit), sizeof(lit) - 1)

/* Consume lit when it is next; return true if it was. */
static inline bool scan_eat(const char **p, const char *end, const char *lit, size_t n) {
        if (!scan_starts(*p, end, lit, n))
                return false;
        *p += n;
        return true;
}
#define SCAN_EAT(pp, end, lit) scan_eat((pp), (end), (lit), sizeof(lit) - 1)

static inline const char *scan_find(const char *p, const char *end, const char *lit, size_t n) {
        if (p >= end)
                return NULL;
        return memmem(p, (size_t) (end - p), lit, n);
}
#define SCAN_FIND(p, end, lit) scan_find((p), (end), (lit), sizeof(lit) - 1)

static inline const char *scan_chr(const char *p, const char *end, char c) {
        if (p >= end)
                return NULL;
        return memchr(p, c, (size_t) (end - p));
}

static inline void scan_spaces(const char **p, const char *end) {
        while (*p < end && **p == ' ')
                (*p)++;
}

static inline void scan_blanks(const char **p, const char *end) {
        while (*p < end && ascii_is_blank(**p))
                (*p)++;
}

/* Decimal number; saturates instead of overflowing. */
static inline bool scan_u64(const char **p, const char *end, uint64_t *ret) {
        const char *q = *p;
        uint64_t v = 0;
        while (q < end && ascii_is_digit(*q)) {
                unsigned d = (unsigned) (*q - '0');
                v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
                q++;
        }
        if (q == *p)
                return false;
        *p = q;
        *ret = v;
        return true;
}

/* "0x1f" or "1f"; saturates instead of overflowing. */
static inline bool scan_hex(const char **p, const char *end, uint64_t *ret) {
        const char *q = *p;
        if (end - q >= 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
                q += 2;
        const char *digits = q;
        uint64_t v = 0;
        for (int d; q < end && (d = ascii_hex_value(*q)) >= 0; q++)
                v = v > (UINT64_MAX >> 4) ? UINT64_MAX : (v << 4) | (unsigned) d;
        if (q == digits)
                return false;
        *p = q;
        *ret = v;
        return true;
}

/* Signed decimal clamped to int; "-28" -> -28. */
static inline bool scan_int(const char **p, const char *end, int *ret) {
        const char *q = *p;
        bool neg = false;
        if (q < end && (*q == '-' || *q == '+')) {
                neg = *q == '-';
                q++;
        }
        uint64_t v;
        if (!scan_u64(&q, end, &v))
                return false;
        if (v > INT32_MAX)
                v = INT32_MAX;
        *p = q;
        *ret = neg ? -(int) v : (int) v;
        return true;
}

/* Exactly n decimal digits at p (a fixed-width field: "04:10:55"); does not move. */
static inline bool scan_digits_n(const char *p, const char *end, int n, unsigned *ret) {
        if (end - p < n)
                return false;
        unsigned v = 0;
        for (int i = 0; i < n; i++) {
                if (!ascii_is_digit(p[i]))
                        return false;
                v = v * 10 + (unsigned) (p[i] - '0');
        }
        *ret = v;
        return true;
}

/* Token up to (not including) any byte of stop, or end. */
static inline struct span scan_until(const char **p, const char *end, const char *stop) {
        const char *q = *p;
        for (; q < end; q++) {
                const char *s = stop;
                while (*s && *s != *q)
                        s++;
                if (*s)
                        break;
        }
        struct span v = span_range(*p, q);
        *p = q;
        return v;
}
