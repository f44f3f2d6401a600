/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Small hand-written scanners shared by the per-subsystem event parsers. The text is never
 * NUL-terminated, so every helper takes an end pointer; none of them allocates. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "basic/cleanup.h"
#include "event-parse.h"

/* A view into the record text. */
struct span {
        const char *p;
        const char *end;
};

static inline size_t span_len(struct span s) { return (size_t) (s.end - s.p); }

static inline bool mem_starts(const char *p, const char *end, const char *lit, size_t n) {
        return (size_t) (end - p) >= n && memcmp(p, lit, n) == 0;
}
/* Literal prefix test; sizeof on a string literal keeps the length a compile-time constant. */
#define STARTS(p, end, lit) mem_starts((p), (end), (lit), sizeof(lit) - 1)

/* Consume lit when it is next; return true if it was. */
static inline bool eat(const char **p, const char *end, const char *lit, size_t n) {
        if (!mem_starts(*p, end, lit, n))
                return false;
        *p += n;
        return true;
}
#define EAT(pp, end, lit) eat((pp), (end), (lit), sizeof(lit) - 1)

static inline const char *mem_find(const char *p, const char *end, const char *lit, size_t n) {
        if (p >= end)
                return NULL;
        return memmem(p, (size_t) (end - p), lit, n);
}
#define FIND(p, end, lit) mem_find((p), (end), (lit), sizeof(lit) - 1)

static inline const char *mem_chr(const char *p, const char *end, char c) {
        if (p >= end)
                return NULL;
        return memchr(p, c, (size_t) (end - p));
}

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

static inline void skip_spaces(const char **p, const char *end) {
        while (*p < end && **p == ' ')
                (*p)++;
}

/* Decimal number; saturates instead of overflowing. */
static inline bool parse_u64(const char **p, const char *end, uint64_t *ret) {
        const char *q = *p;
        uint64_t v = 0;
        while (q < end && is_digit(*q)) {
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

/* "0x1f" or "1f" */
static inline bool parse_hex(const char **p, const char *end, uint64_t *ret) {
        const char *q = *p;
        if (end - q >= 2 && q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
                q += 2;
        const char *digits = q;
        uint64_t v = 0;
        for (; q < end; q++) {
                unsigned d;
                if (is_digit(*q))
                        d = (unsigned) (*q - '0');
                else if (*q >= 'a' && *q <= 'f')
                        d = (unsigned) (*q - 'a' + 10);
                else if (*q >= 'A' && *q <= 'F')
                        d = (unsigned) (*q - 'A' + 10);
                else
                        break;
                v = v > (UINT64_MAX >> 4) ? UINT64_MAX : (v << 4) | d;
        }
        if (q == digits)
                return false;
        *p = q;
        *ret = v;
        return true;
}

/* Signed decimal clamped to int; "-28" -> -28. */
static inline bool parse_int(const char **p, const char *end, int *ret) {
        const char *q = *p;
        bool neg = false;
        if (q < end && (*q == '-' || *q == '+')) {
                neg = *q == '-';
                q++;
        }
        uint64_t v;
        if (!parse_u64(&q, end, &v))
                return false;
        if (v > INT32_MAX)
                v = INT32_MAX;
        *p = q;
        *ret = neg ? -(int) v : (int) v;
        return true;
}

/* Token up to (not including) any byte of stop, or end. */
static inline struct span take_until(const char **p, const char *end, const char *stop) {
        const char *q = *p;
        for (; q < end; q++) {
                const char *s = stop;
                while (*s && *s != *q)
                        s++;
                if (*s)
                        break;
        }
        struct span s = { *p, q };
        *p = q;
        return s;
}

/* Copy a view into a fixed buffer, cut to fit, NUL-terminated; returns dst. */
static inline const char *copy_span(char *dst, size_t size, const char *p, size_t n) {
        if (n >= size)
                n = size - 1;
        memcpy(dst, p, n);
        dst[n] = '\0';
        return dst;
}
#define COPY_SPAN(dst, s) copy_span((dst), sizeof(dst), (s).p, span_len(s))

/* Shared by the subsystem parsers in event-*.c. */
void event_begin(struct fsd_event *ev, enum fsd_event_kind kind, enum fsd_fs_type fs, enum fsd_layer layer);
/* Stores a device name normalised: "/dev/" stripped, cut at the first blank. */
void event_set_device(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
void event_set_function(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
/* "detail" accumulates: each call appends, separated by ", ". */
void event_add_detail(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
#define EVENT_ADD_DETAIL_LIT(sc, ev, lit) event_add_detail((sc), (ev), (lit), sizeof(lit) - 1)
void event_set_error_text(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
void event_set_src_file(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
void event_set_op(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
/* Find "error -N" / "err -N" / "errno=-N" in text and store the negative errno. */
void event_find_errno(struct fsd_event *ev, const char *p, const char *end);
/* blk_status_t value (as ext4 prints "I/O error 10") -> negative errno, 0 unknown. */
int blk_status_to_errno(int status);
