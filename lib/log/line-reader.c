/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lines out of one large buffer: read() big chunks, memchr for '\n', hand out views. A line longer
 * than max_line is cut there and the rest of it is dropped, so the buffer never grows. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "log-internal.h"
#include "basic/cleanup.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#  define HAVE_SCAN_AVX2 1
#  include <immintrin.h>
#endif

int line_reader_init(struct fsd_source *s) {
        size_t chunk = LOG_READ_CHUNK;
        /* small inputs in memory (tests, fuzzing) need no megabyte of buffer */
        if (s->in.kind == LOG_INPUT_MEMORY && s->in.mem_len < chunk)
                chunk = MAX(s->in.mem_len, (size_t) 4096);
        s->cap = chunk + s->max_line;
#ifdef HAVE_SCAN_AVX2
        __builtin_cpu_init();
        s->scan_avx2 = __builtin_cpu_supports("avx2");
#endif
        s->buf = malloc(s->cap);
        return s->buf ? 0 : -ENOMEM;
}

/* Move the unconsumed tail to the front and read more after it.
 * @return bytes added, 0 at end of input, negative error. */
static ssize_t fill(struct fsd_source *s) {
        if (s->eof)
                return 0;
        if (s->start > 0) {
                size_t keep = s->end - s->start;
                if (keep > 0)
                        memmove(s->buf, s->buf + s->start, keep);
                s->scanned -= s->start;
                s->end = keep;
                s->start = 0;
        }
        size_t room = s->cap - s->end;
        if (room == 0)
                return -ENOBUFS; /* cannot happen: lines are cut at max_line < cap */
        ssize_t k = log_input_read(&s->in, s->buf + s->end, room);
        if (k < 0)
                return k;
        if (k == 0) {
                s->eof = true;
                return 0;
        }
        s->end += (size_t) k;
        s->stats.bytes += (uint64_t) k;
        return k;
}

/* First byte in [p, e) that ends a line or may need sanitizing: C0 controls (so '\n' too), DEL,
 * and, in the vector loops, every byte >= 0x80 (the C1 controls U+0080..U+009F start with 0xC2).
 * A line with such a byte is only "dirty": source.c checks it exactly before sanitizing, so
 * reporting UTF-8 here costs that check on non-ASCII lines, never a different answer. One pass
 * finds the line end and tells whether the line is clean. On x86-64 SSE2 is always there: 32
 * bytes per step, one add and one signed compare per 16. Elsewhere GCC vector extensions do 16 at
 * a time. */
#if defined(__SSE2__)
static inline unsigned special_mask16(const char *p) {
        __m128i v = _mm_loadu_si128((const __m128i *) p);
        /* v + 1 as a signed byte is below 0x21 for 0x00..0x1f (0x01..0x20), 0x7f (-128) and
         * 0x80..0xff (negative, 0xff wraps to 0): exactly the bytes outside printable ASCII */
        __m128i outside = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(1)), _mm_set1_epi8(0x21));
        return (unsigned) _mm_movemask_epi8(outside);
}

static const char *scan_special(const char *p, const char *e) {
        while (e - p >= 32) {
                uint32_t m = special_mask16(p) | special_mask16(p + 16) << 16;
                if (m)
                        return p + __builtin_ctz(m);
                p += 32;
        }
        if (e - p >= 16) {
                unsigned m = special_mask16(p);
                if (m)
                        return p + __builtin_ctz(m);
                p += 16;
        }
        for (; p < e; p++) {
                unsigned char c = (unsigned char) *p;
                if (c < 0x20 || c == 0x7f || c == 0xc2)
                        return p;
        }
        return e;
}
#ifdef HAVE_SCAN_AVX2
/* The same test on 32 bytes per compare, 64 per step: the scan touches every byte of the input
 * and was a tenth of all instructions. The tail goes to the SSE2 loop. */
__attribute__((target("avx2")))
static inline uint32_t special_mask32(const char *p) {
        __m256i v = _mm256_loadu_si256((const __m256i *) p);
        __m256i outside = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x21), _mm256_add_epi8(v, _mm256_set1_epi8(1)));
        return (uint32_t) _mm256_movemask_epi8(outside);
}

__attribute__((target("avx2")))
static const char *scan_special_avx2(const char *p, const char *e) {
        while (e - p >= 64) {
                uint64_t m = special_mask32(p) | (uint64_t) special_mask32(p + 32) << 32;
                if (m)
                        return p + __builtin_ctzll(m);
                p += 64;
        }
        if (e - p >= 32) {
                uint32_t m = special_mask32(p);
                if (m)
                        return p + __builtin_ctz(m);
                p += 32;
        }
        return scan_special(p, e);
}
#endif
#else
typedef uint8_t v16u8 __attribute__((vector_size(16)));

static const char *scan_special(const char *p, const char *e) {
        while (e - p >= 16) {
                v16u8 v;
                memcpy(&v, p, 16);
                v16u8 m = (v16u8) ((v < 0x20) | (v == 0x7f) | (v == 0xc2));
                uint64_t lo, hi;
                memcpy(&lo, &m, 8);
                memcpy(&hi, (const char *) &m + 8, 8);
                if (lo | hi)
                        return p + (lo ? __builtin_ctzll(lo) / 8 : 8 + __builtin_ctzll(hi) / 8);
                p += 16;
        }
        for (; p < e; p++) {
                unsigned char c = (unsigned char) *p;
                if (c < 0x20 || c == 0x7f || c == 0xc2)
                        return p;
        }
        return e;
}
#endif

/* Find the next '\n' from s->scanned, noting on the way whether the line has special bytes. */
static char *find_newline(struct fsd_source *s) {
        const char *p = s->buf + s->scanned, *e = s->buf + s->end;
        if (!s->line_dirty) {
#ifdef HAVE_SCAN_AVX2
                p = s->scan_avx2 ? scan_special_avx2(p, e) : scan_special(p, e);
#else
                p = scan_special(p, e);
#endif
                if (p < e && *p == '\n')
                        return (char *) p;
                if (p < e)
                        s->line_dirty = true;
        }
        if (p >= e)
                return NULL;
        return memchr(p, '\n', (size_t) (e - p));
}

int line_reader_next(struct fsd_source *s, const char **ret_line, size_t *ret_len, bool *ret_cut) {
        for (;;) {
                char *nl = find_newline(s);
                if (nl) {
                        s->last_line_dirty = s->line_dirty;
                        s->line_dirty = false;
                        size_t len = (size_t) (nl - (s->buf + s->start));
                        const char *line = s->buf + s->start;
                        s->start = s->scanned = (size_t) (nl - s->buf) + 1;
                        if (s->discarding) {
                                /* tail of an over-long line, already handed out */
                                s->discarding = false;
                                continue;
                        }
                        if (len > s->max_line) {
                                *ret_cut = true;
                                len = s->max_line;
                        } else
                                *ret_cut = false;
                        *ret_line = line;
                        *ret_len = len;
                        return 1;
                }
                s->scanned = s->end;
                size_t pending = s->end - s->start;
                if (s->discarding && pending > 0) {
                        s->line_dirty = false;
                        s->start = s->scanned = s->end;
                        pending = 0;
                } else if (pending >= s->max_line) {
                        /* hand out the first max_line bytes; the buffer is not touched before
                         * the next call, which skips the rest of the line first */
                        *ret_line = s->buf + s->start;
                        *ret_len = s->max_line;
                        *ret_cut = true;
                        s->last_line_dirty = true; /* not scanned to its end: check it */
                        s->line_dirty = false;
                        s->start = s->scanned = s->end;
                        s->discarding = true;
                        return 1;
                }
                ssize_t k = fill(s);
                if (k < 0)
                        return (int) k;
                if (k == 0) {
                        pending = s->end - s->start;
                        s->discarding = false;
                        if (pending == 0)
                                return 0;
                        /* last line without a newline */
                        s->last_line_dirty = true;
                        s->line_dirty = false;
                        *ret_line = s->buf + s->start;
                        *ret_len = MIN(pending, s->max_line);
                        *ret_cut = pending > s->max_line;
                        s->start = s->scanned = s->end;
                        return 1;
                }
        }
}

ssize_t line_reader_take(struct fsd_source *s, uint64_t n, char *dst, size_t cap) {
        size_t copied = 0;
        while (n > 0) {
                if (s->start == s->end) {
                        s->start = s->end = s->scanned = 0;
                        ssize_t k = fill(s);
                        if (k < 0)
                                return k;
                        if (k == 0)
                                return -FSD_E_TRUNCATED;
                }
                size_t avail = s->end - s->start;
                size_t k = avail < n ? avail : (size_t) n;
                if (copied < cap) {
                        size_t c = MIN(k, cap - copied);
                        memcpy(dst + copied, s->buf + s->start, c);
                        copied += c;
                }
                s->start += k;
                n -= k;
        }
        if (s->scanned < s->start)
                s->scanned = s->start;
        return (ssize_t) copied;
}
