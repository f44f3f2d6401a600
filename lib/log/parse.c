/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One line -> its prefix: which format, timestamps, host, priority, printk caller id. Every line
 * is classified on its own (files mix forms), by its first byte, with hand-written scanners: no
 * sscanf, no regex, no allocation. */
#include <string.h>
#include "log-internal.h"
#include "basic/cleanup.h"
#include "basic/span.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define MONO_MAX_SEC_DIGITS 12

int log_month_from_name(const char *p) {
        switch (p[0]) {
        case 'J':
                if (p[1] == 'a' && p[2] == 'n') return 0;
                if (p[1] == 'u' && p[2] == 'n') return 5;
                if (p[1] == 'u' && p[2] == 'l') return 6;
                return -1;
        case 'F': return p[1] == 'e' && p[2] == 'b' ? 1 : -1;
        case 'M':
                if (p[1] == 'a' && p[2] == 'r') return 2;
                if (p[1] == 'a' && p[2] == 'y') return 4;
                return -1;
        case 'A':
                if (p[1] == 'p' && p[2] == 'r') return 3;
                if (p[1] == 'u' && p[2] == 'g') return 7;
                return -1;
        case 'S': return p[1] == 'e' && p[2] == 'p' ? 8 : -1;
        case 'O': return p[1] == 'c' && p[2] == 't' ? 9 : -1;
        case 'N': return p[1] == 'o' && p[2] == 'v' ? 10 : -1;
        case 'D': return p[1] == 'e' && p[2] == 'c' ? 11 : -1;
        default: return -1;
        }
}

static enum parse_result parse_bsd_after_month(const char *q, const char *e, enum fsd_log_format prev, int mon,
                                               struct parsed_line *r);

/* The month names journalctl and syslog daemons print under other locales (glibc's %b): a log
 * pasted from a German, French, Russian or Chinese host says "mai 04", "déc. 7", "янв 3" or
 * "12月 07". Compared without case for ASCII, after dropping a trailing '.'; English is
 * log_month_from_name(). Names shared by several languages mean the same month in all of them. */
static const struct {
        const char *name;
        int month;
} local_months[] = {
        /* de */ { "jän", 0 }, { "mär", 2 }, { "mai", 4 }, { "okt", 9 }, { "dez", 11 },
        /* fr */ { "janv", 0 }, { "févr", 1 }, { "mars", 2 }, { "avr", 3 }, { "avril", 3 }, { "juin", 5 },
        { "juil", 6 }, { "août", 7 }, { "sept", 8 }, { "déc", 11 },
        /* es, it, pt */ { "ene", 0 }, { "gen", 0 }, { "fev", 1 }, { "abr", 3 }, { "mag", 4 }, { "giu", 5 },
        { "lug", 6 }, { "ago", 7 }, { "set", 8 }, { "ott", 9 }, { "out", 9 }, { "dic", 11 },
        /* nl, nb, sv, da */ { "mrt", 2 }, { "mei", 4 }, { "maj", 4 }, { "juni", 5 }, { "juli", 6 }, { "des", 11 },
        /* pl */ { "sty", 0 }, { "lut", 1 }, { "kwi", 3 }, { "cze", 5 }, { "lip", 6 }, { "sie", 7 }, { "wrz", 8 },
        { "paź", 9 }, { "lis", 10 }, { "gru", 11 },
        /* ru */ { "янв", 0 }, { "фев", 1 }, { "мар", 2 }, { "апр", 3 }, { "мая", 4 }, { "май", 4 }, { "июн", 5 },
        { "июл", 6 }, { "авг", 7 }, { "сен", 8 }, { "окт", 9 }, { "ноя", 10 }, { "дек", 11 },
};

/* The month of a localized name [p, e) (no space in it). @return 0..11, -1 unknown. */
static int month_from_local_name(const char *p, const char *e) {
        size_t n = (size_t) (e - p);
        if (n > 0 && p[n - 1] == '.')
                n--;
        /* "5月", "12月" (zh, ja), "5월" (ko): the number, then the character */
        static const char *const month_chars[] = { "\xe6\x9c\x88", "\xec\x9b\x94" };
        for (size_t c = 0; c < ELEMENTSOF(month_chars); c++)
                if (n >= 4 && n <= 5 && memcmp(p + n - 3, month_chars[c], 3) == 0) {
                        unsigned m = 0;
                        for (size_t i = 0; i < n - 3; i++) {
                                if (!ascii_is_digit(p[i]))
                                        return -1;
                                m = m * 10 + (unsigned) (p[i] - '0');
                        }
                        return m >= 1 && m <= 12 ? (int) m - 1 : -1;
                }
        char low[12];
        if (n == 0 || n >= sizeof low)
                return -1;
        for (size_t i = 0; i < n; i++)
                low[i] = p[i] >= 'A' && p[i] <= 'Z' ? (char) (p[i] + 32) : p[i];
        low[n] = 0;
        if (n == 3) {
                /* English in another case ("mar", "MAY") */
                char cap[3] = { low[0] >= 'a' && low[0] <= 'z' ? (char) (low[0] - 32) : low[0], low[1], low[2] };
                int m = log_month_from_name(cap);
                if (m >= 0)
                        return m;
        }
        for (size_t i = 0; i < ELEMENTSOF(local_months); i++)
                if (strcmp(low, local_months[i].name) == 0)
                        return local_months[i].month;
        return -1;
}

/* A syslog or journalctl line whose month is printed in another language. Tried only on lines no
 * other form matched; the whole shape (day, time, host, tag) must follow. */
static enum parse_result parse_bsd_localized(const char *p, const char *e, enum fsd_log_format prev,
                                             struct parsed_line *r) {
        const char *sp = memchr(p, ' ', (size_t) MIN(e - p, 12));
        if (!sp || sp == p)
                return PARSE_UNPREFIXED;
        int mon = month_from_local_name(p, sp);
        if (mon < 0)
                return PARSE_UNPREFIXED;
        return parse_bsd_after_month(sp + 1, e, prev, mon, r);
}

/* Howard Hinnant's days_from_civil: days since 1970-01-01; m 1..12. */
int64_t log_days_from_civil(int64_t y, unsigned m, unsigned d) {
        y -= m <= 2;
        int64_t era = (y >= 0 ? y : y - 399) / 400;
        unsigned yoe = (unsigned) (y - era * 400);
        unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + (int64_t) doe - 719468;
}

int64_t log_civil_to_usec(int64_t y, unsigned mon, unsigned d, unsigned h, unsigned mi, unsigned s) {
        int64_t days = log_days_from_civil(y, mon, d);
        return ((days * 24 + h) * 60 + mi) * INT64_C(60000000) + (int64_t) s * 1000000;
}

/* ".123456" or ",123456": up to 9 digits, scaled to microseconds. */
static const char *parse_fraction(const char *p, const char *e, int64_t *ret_usec) {
        *ret_usec = 0;
        if (p >= e || (*p != '.' && *p != ','))
                return p;
        const char *q = p + 1;
        int64_t v = 0;
        int n = 0;
        while (q < e && ascii_is_digit(*q) && n < 9) {
                v = v * 10 + (*q - '0');
                q++;
                n++;
        }
        if (n == 0)
                return p;
        while (q < e && ascii_is_digit(*q))
                q++;
        for (; n < 6; n++)
                v *= 10;
        for (; n > 6; n--)
                v /= 10;
        *ret_usec = v;
        return q;
}

/* "hh:mm:ss" */
static bool parse_hms(const char *p, const char *e, unsigned *h, unsigned *m, unsigned *s) {
        return e - p >= 8 && scan_digits_n(p, e, 2, h) && p[2] == ':' && scan_digits_n(p + 3, e, 2, m) &&
               p[5] == ':' && scan_digits_n(p + 6, e, 2, s) && *h < 24 && *m < 60 && *s < 61;
}

/* "[   12.345678]" -> after ']' */
static const char *parse_mono_bracket_slow(const char *p, const char *e, int64_t *ret);

/* Eight bytes at a time (SWAR, little endian: the first byte is the lowest). Bit 7 of each byte
 * of the result is set where x holds no ASCII digit. */
static inline uint64_t swar_nondigits(uint64_t x) {
        const uint64_t high = UINT64_C(0x8080808080808080), low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
        uint64_t y = x & low7; /* no carry between bytes below */
        uint64_t above_9 = (y + UINT64_C(0x4646464646464646)) & high;     /* y >= 0x3a */
        uint64_t from_0 = (y + UINT64_C(0x5050505050505050)) & high;      /* y >= 0x30 */
        return (x & high) | above_9 | (from_0 ^ high);
}

/* The value of the n (1..8) digits in the low bytes of x, the first digit the most significant. */
static inline uint64_t swar_digits_value(uint64_t x, unsigned n) {
        x -= UINT64_C(0x3030303030303030);
        /* keep the n digits and move them to the high end: the low bytes become leading zeros */
        x <<= 8 * (8 - n);
        x = (x * 10 + (x >> 8)) & UINT64_C(0x00ff00ff00ff00ff);
        x = (x * 100 + (x >> 16)) & UINT64_C(0x0000ffff0000ffff);
        return (x * 10000 + (x >> 32)) & UINT64_C(0xffffffff);
}

/* The kernel prints exactly six fraction digits and seldom more than seven of seconds: check that
 * form with two 8-byte loads and no loop over digits, and leave every other form to the general
 * parser. This runs on nearly every kernel line. */
static inline const char *parse_mono_bracket(const char *p, const char *e, int64_t *ret) {
        if (p >= e || *p != '[')
                return NULL;
        const char *q = p + 1;
        while (q < e && *q == ' ')
                q++;
        if (e - q >= 24) {
                uint64_t word, frac_word;
                memcpy(&word, q, 8);
                uint64_t nondigits = swar_nondigits(word);
                unsigned n = nondigits ? (unsigned) __builtin_ctzll(nondigits) / 8 : 8;
                uint64_t sec = n ? swar_digits_value(word, n) : 0;
                if (n == 8) {
                        /* years of uptime: up to MONO_MAX_SEC_DIGITS in all */
                        memcpy(&word, q + 8, 8);
                        nondigits = swar_nondigits(word);
                        unsigned more = nondigits ? (unsigned) __builtin_ctzll(nondigits) / 8 : 8;
                        if (more > MONO_MAX_SEC_DIGITS - 8)
                                n = 0;
                        else if (more > 0) {
                                static const uint64_t pow10[] = { 1, 10, 100, 1000, 10000 };
                                sec = sec * pow10[more] + swar_digits_value(word, more);
                                n += more;
                        }
                }
                if (n >= 1) {
                        /* ".dddddd]" right after the seconds */
                        memcpy(&frac_word, q + n, 8);
                        const uint64_t frame = UINT64_C(0xff000000000000ff);
                        if ((frac_word & frame) == (UINT64_C(0x5d0000000000002e) /* ']' ... '.' */) &&
                            (swar_nondigits(frac_word) & ~frame) == 0) {
                                *ret = (int64_t) sec * 1000000 + (int64_t) swar_digits_value(frac_word >> 8, 6);
                                return q + n + 8;
                        }
                }
        }
        return parse_mono_bracket_slow(p, e, ret);
}

static const char *parse_mono_bracket_slow(const char *p, const char *e, int64_t *ret) {
        if (p >= e || *p != '[')
                return NULL;
        const char *q = p + 1;
        while (q < e && *q == ' ')
                q++;
        int64_t sec = 0;
        int n = 0;
        while (q < e && ascii_is_digit(*q)) {
                if (++n > MONO_MAX_SEC_DIGITS)
                        return NULL;
                sec = sec * 10 + (*q++ - '0');
        }
        if (n == 0 || q >= e || *q != '.')
                return NULL;
        int64_t usec;
        const char *f = parse_fraction(q, e, &usec);
        if (f == q || f >= e || *f != ']')
                return NULL;
        *ret = sec * 1000000 + usec;
        return f + 1;
}

/* "[  T123]" / "[    C4]" -> after ']' */
static const char *parse_caller(const char *p, const char *e, char *ret_kind, uint32_t *ret_id) {
        if (e - p < 4 || *p != '[')
                return NULL;
        const char *q = p + 1;
        while (q < e && *q == ' ')
                q++;
        if (q >= e || (*q != 'T' && *q != 'C'))
                return NULL;
        char kind = *q++;
        uint32_t id = 0;
        int n = 0;
        while (q < e && ascii_is_digit(*q)) {
                if (++n > 9)
                        return NULL;
                id = id * 10 + (uint32_t) (*q++ - '0');
        }
        if (n == 0 || q >= e || *q != ']')
                return NULL;
        *ret_kind = kind;
        *ret_id = id;
        return q + 1;
}

static inline const char *skip_one_space(const char *p, const char *e) {
        return p < e && *p == ' ' ? p + 1 : p;
}

/* The kernel part after a syslog/journal prefix may still carry "[mono] [caller] ". */
static void parse_kernel_body(const char *p, const char *e, struct parsed_line *r) {
        int64_t mono;
        const char *q = parse_mono_bracket(p, e, &mono);
        if (q) {
                r->mono_usec = mono;
                p = skip_one_space(q, e);
        }
        q = parse_caller(p, e, &r->caller_kind, &r->caller_id);
        if (q)
                p = skip_one_space(q, e);
        r->text = p;
        r->len = (size_t) (e - p);
}

/* "kernel:" at p (7 bytes readable): two overlapping 4-byte compares, which compilers turn into
 * two loads, where a 7-byte memcmp() can stay a call */
static inline bool tag_is_kernel(const char *p) {
        return memcmp(p, "kern", 4) == 0 && memcmp(p + 3, "nel:", 4) == 0;
}

/* The first ' ' in [p, e), NULL if none. Host names are short: one 16-byte compare finds the
 * blank without a branch per byte (whose exit mispredicts on every line) or a memchr() call. */
static inline const char *find_space(const char *p, const char *e) {
#if defined(__SSE2__)
        if (e - p >= 16) {
                __m128i v = _mm_loadu_si128((const __m128i *) p);
                unsigned m = (unsigned) _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
                if (m)
                        return p + __builtin_ctz(m);
                p += 16;
        }
#endif
        return memchr(p, ' ', (size_t) (e - p));
}

/* "Mar  3 04:10:55  kernel: text": an empty host field (a syslog daemon that knew no name, or
 * a paste that lost it). Off the fast path: only lines that failed the usual shape come here. */
static enum parse_result parse_hostless_tag(const char *p, const char *e, struct parsed_line *r) {
        while (p < e && *p == ' ')
                p++;
        if (e - p >= 7 && tag_is_kernel(p)) {
                parse_kernel_body(skip_one_space(p + 7, e), e, r);
                return PARSE_RECORD;
        }
        return PARSE_MALFORMED;
}

/* "host tag: text". Only tag "kernel" is a kernel message. */
/* BusyBox syslogd and OpenWrt's logread put the facility and level between the host and the tag:
 * "host kern.err kernel: text". The kernel's messages have the facility "kern"; a program's line
 * ("daemon.info dnsmasq[812]:") is not the kernel's whatever follows. One compare on the syslog
 * hot path, where every other program's line comes by. -> after "kern.err ", or NULL. */
static const char *skip_facility_level(const char *p, const char *e) {
        if (e - p < 7 || memcmp(p, "kern.", 5) != 0)
                return NULL;
        const char *q = p + 5;
        const char *l = q;
        while (q < e && q - l < 8 && *q >= 'a' && *q <= 'z')
                q++;
        if (q == l || q >= e || *q != ' ')
                return NULL;
        return q + 1;
}

static enum parse_result parse_host_tag(const char *p, const char *e, bool need_host, struct parsed_line *r) {
        const char *sp = find_space(p, e);
        if (!sp)
                return PARSE_MALFORMED;
        const char *tag = p;
        if (need_host) {
                if (sp == p || sp - p > LOG_HOST_MAX)
                        return parse_hostless_tag(p, e, r);
                r->host = p;
                r->host_len = (size_t) (sp - p);
                tag = sp + 1;
        }
        if (e - tag >= 7 && tag_is_kernel(tag)) {
                parse_kernel_body(skip_one_space(tag + 7, e), e, r);
                return PARSE_RECORD;
        }
        const char *after_level = __builtin_expect(tag[0] == 'k', 0) ? skip_facility_level(tag, e) : NULL;
        if (after_level && e - after_level >= 7 && tag_is_kernel(after_level)) {
                parse_kernel_body(skip_one_space(after_level + 7, e), e, r);
                return PARSE_RECORD;
        }
        /* "Mar  3 04:10:55 kernel: text": no host at all, what looked like one is the tag */
        if (need_host && r->host_len == 7 && tag_is_kernel(r->host)) {
                r->host = NULL;
                r->host_len = 0;
                parse_kernel_body(tag, e, r);
                return PARSE_RECORD;
        }
        return PARSE_NOT_KERNEL;
}

/* "2020-12-08T15:25:17[.frac][Z|+hh:mm|+hhmm]" -> after it; wall in UTC when a zone is given. */
static const char *parse_iso(const char *p, const char *e, int64_t *ret_wall, bool *ret_zone, bool *ret_colon_zone) {
        unsigned y, mo, d, h, mi, s;
        if (e - p < 19 || !scan_digits_n(p, e, 4, &y) || p[4] != '-' || !scan_digits_n(p + 5, e, 2, &mo) ||
            p[7] != '-' || !scan_digits_n(p + 8, e, 2, &d) || (p[10] != 'T' && p[10] != ' ') ||
            !parse_hms(p + 11, e, &h, &mi, &s) || mo < 1 || mo > 12 || d < 1 || d > 31)
                return NULL;
        int64_t usec;
        const char *q = parse_fraction(p + 19, e, &usec);
        int64_t wall = log_civil_to_usec(y, mo, d, h, mi, s) + usec;
        *ret_zone = false;
        *ret_colon_zone = false;
        if (q < e && *q == 'Z') {
                *ret_zone = true;
                q++;
        } else if (q < e && (*q == '+' || *q == '-')) {
                unsigned zh, zm = 0;
                const char *z = q + 1;
                if (!scan_digits_n(z, e, 2, &zh))
                        return NULL;
                z += 2;
                if (z < e && *z == ':') {
                        if (!scan_digits_n(z + 1, e, 2, &zm))
                                return NULL;
                        z += 3;
                        *ret_colon_zone = true;
                } else if (scan_digits_n(z, e, 2, &zm))
                        z += 2;
                int64_t off = ((int64_t) zh * 60 + zm) * 60 * 1000000;
                wall += *q == '+' ? -off : off;
                *ret_zone = true;
                q = z;
        }
        *ret_wall = wall;
        return q;
}

/* "Dec  8 15:25:17[.328533] " (RFC 3164, journalctl short/short-precise) */
static enum parse_result parse_bsd_general(const char *p, const char *e, enum fsd_log_format prev,
                                           struct parsed_line *r);

static inline bool two_digits(const char *p, unsigned *ret) {
        if (!ascii_is_digit(p[0]) || !ascii_is_digit(p[1]))
                return false;
        *ret = (unsigned) (p[0] - '0') * 10 + (unsigned) (p[1] - '0');
        return true;
}

/* The shape nearly every syslog line has, "Mmm dd hh:mm:ss host ", checked at fixed offsets; any
 * other shape (one-digit day without padding, fractions, errors) goes to the general parser,
 * which gives the same answer for this shape too. */
static enum parse_result parse_bsd(const char *p, const char *e, enum fsd_log_format prev, struct parsed_line *r) {
        unsigned day, h, mi, sec;
        if (e - p < 17 || p[3] != ' ' || p[6] != ' ' || p[9] != ':' || p[12] != ':' || p[15] != ' ' ||
            !two_digits(p + 7, &h) || !two_digits(p + 10, &mi) || !two_digits(p + 13, &sec) ||
            h >= 24 || mi >= 60 || sec >= 61)
                return parse_bsd_general(p, e, prev, r);
        bool zero_padded = p[4] == '0';
        if (p[4] == ' ' && ascii_is_digit(p[5]))
                day = (unsigned) (p[5] - '0');
        else if (!two_digits(p + 4, &day))
                return parse_bsd_general(p, e, prev, r);
        int mon = log_month_from_name(p);
        if (mon < 0 || day < 1 || day > 31)
                return parse_bsd_general(p, e, prev, r);
        enum parse_result res = parse_host_tag(p + 16, e, true, r);
        /* the time of day matters on the kernel's lines only: half of a syslog is user space */
        if (res != PARSE_RECORD)
                return res;
        r->month = mon;
        r->mday = day;
        r->tod_usec = (((int64_t) h * 60 + mi) * 60 + sec) * 1000000;
        r->wall_local = true;
        r->wall_no_year = true;
        r->format = zero_padded || prev == FSD_FORMAT_JOURNAL_SHORT ? FSD_FORMAT_JOURNAL_SHORT : FSD_FORMAT_SYSLOG;
        return res;
}

static enum parse_result parse_bsd_general(const char *p, const char *e, enum fsd_log_format prev,
                                           struct parsed_line *r) {
        if (e - p < 16 || p[3] != ' ')
                return PARSE_UNPREFIXED;
        int mon = log_month_from_name(p);
        if (mon < 0)
                return PARSE_UNPREFIXED;
        return parse_bsd_after_month(p + 4, e, prev, mon, r);
}

/* "MMM dd hh:mm:ss[.ffffff] host tag: text" from the day on (q: after the month and its space). */
static enum parse_result parse_bsd_after_month(const char *q, const char *e, enum fsd_log_format prev, int mon,
                                               struct parsed_line *r) {
        if (e - q < 12)
                return PARSE_UNPREFIXED;
        unsigned day;
        bool zero_padded = false;
        if (q[0] == ' ' && ascii_is_digit(q[1])) {
                day = (unsigned) (q[1] - '0');
                q += 2;
        } else if (scan_digits_n(q, e, 2, &day)) {
                zero_padded = q[0] == '0';
                q += 2;
        } else if (ascii_is_digit(q[0]) && q[1] == ' ') {
                day = (unsigned) (q[0] - '0');
                q += 1;
        } else
                return PARSE_UNPREFIXED;
        if (q >= e || *q != ' ' || day < 1 || day > 31)
                return PARSE_UNPREFIXED;
        q++;
        unsigned h, mi, s;
        if (!parse_hms(q, e, &h, &mi, &s))
                return PARSE_MALFORMED;
        q += 8;
        int64_t usec = 0;
        const char *f = parse_fraction(q, e, &usec);
        bool precise = f != q;
        q = f;
        if (q >= e || *q != ' ')
                return PARSE_MALFORMED;
        r->month = mon;
        r->mday = day;
        r->tod_usec = (((int64_t) h * 60 + mi) * 60 + s) * 1000000 + usec;
        r->wall_local = true;
        r->wall_no_year = true;
        r->format = precise ? FSD_FORMAT_JOURNAL_PRECISE :
                    zero_padded || prev == FSD_FORMAT_JOURNAL_SHORT ? FSD_FORMAT_JOURNAL_SHORT : FSD_FORMAT_SYSLOG;
        return parse_host_tag(q + 1, e, true, r);
}

/* "[Tue Dec  8 15:25:17 2020] " (dmesg -T) */
static const char *parse_ctime_bracket(const char *p, const char *e, int64_t *ret_wall) {
        /* [Www Mmm dd hh:mm:ss yyyy] = 26 bytes */
        if (e - p < 26 || p[0] != '[' || p[4] != ' ' || p[8] != ' ' || p[11] != ' ' || p[20] != ' ' || p[25] != ']')
                return NULL;
        int mon = log_month_from_name(p + 5);
        if (mon < 0)
                return NULL;
        unsigned d, h, mi, s, y;
        if (p[9] == ' ') {
                if (!ascii_is_digit(p[10]))
                        return NULL;
                d = (unsigned) (p[10] - '0');
        } else if (!scan_digits_n(p + 9, e, 2, &d))
                return NULL;
        if (!parse_hms(p + 12, e, &h, &mi, &s) || !scan_digits_n(p + 21, e, 4, &y) || d < 1 || d > 31)
                return NULL;
        *ret_wall = log_civil_to_usec(y, (unsigned) mon + 1, d, h, mi, s);
        return p + 26;
}

/* dmesg -H (--human): "[Oct10 03:39] " when the minute changes (no year, no seconds), then
 * "[  +0.000065] " relative to the line before; the fraction separator follows the locale
 * ("+0,000065"). Pastes turn the padding into non-breaking spaces, normalized before this.
 * -> after ']', with month/mday/tod or rel_usec set. */
static const char *parse_human_bracket(const char *p, const char *e, struct parsed_line *r) {
        const char *q = p + 1;
        while (q < e && *q == ' ')
                q++;
        if (q < e && *q == '+') {
                q++;
                int64_t sec = 0;
                int n = 0;
                while (q < e && ascii_is_digit(*q)) {
                        if (++n > MONO_MAX_SEC_DIGITS)
                                return NULL;
                        sec = sec * 10 + (*q++ - '0');
                }
                int64_t usec;
                const char *f = parse_fraction(q, e, &usec);
                if (n == 0 || f == q || f >= e || *f != ']')
                        return NULL;
                r->rel_usec = sec * 1000000 + usec;
                return f + 1;
        }
        if (e - q < 10)
                return NULL;
        int mon = log_month_from_name(q);
        if (mon < 0)
                return NULL;
        q += 3;
        if (*q == ' ')
                q++;
        unsigned day = 0;
        int n = 0;
        while (q < e && ascii_is_digit(*q) && n < 2) {
                day = day * 10 + (unsigned) (*q++ - '0');
                n++;
        }
        unsigned h, mi;
        if (n == 0 || day < 1 || day > 31 || e - q < 7 || q[0] != ' ' || !scan_digits_n(q + 1, e, 2, &h) ||
            q[3] != ':' || !scan_digits_n(q + 4, e, 2, &mi) || q[6] != ']' || h > 23 || mi > 59)
                return NULL;
        r->month = mon;
        r->mday = day;
        r->tod_usec = ((int64_t) h * 60 + mi) * 60 * 1000000;
        r->wall_local = true;
        r->wall_no_year = true;
        return q + 7;
}

/* Lines of journalctl -o short-monotonic: "[  12.345678] host kernel: text". A dmesg line
 * "[  12.345678] usb 1-1: ..." has the same shape, so only the tag "kernel:" decides, except
 * once the input is known to be short-monotonic, where "host prog[pid]:" is another program. */
static enum parse_result try_short_monotonic(const char *p, const char *e, enum fsd_log_format prev,
                                             struct parsed_line *r) {
        const char *sp = memchr(p, ' ', (size_t) MIN(e - p, LOG_HOST_MAX + 1));
        if (!sp || sp == p)
                return PARSE_UNPREFIXED;
        const char *tag = sp + 1;
        if (e - tag >= 7 && tag_is_kernel(tag)) {
                r->host = p;
                r->host_len = (size_t) (sp - p);
                parse_kernel_body(skip_one_space(tag + 7, e), e, r);
                r->format = FSD_FORMAT_JOURNAL_MONOTONIC;
                return PARSE_RECORD;
        }
        if (prev == FSD_FORMAT_JOURNAL_MONOTONIC) {
                const char *colon = memchr(tag, ':', (size_t) MIN(e - tag, 256));
                if (colon && colon > tag && colon[-1] == ']' && memchr(tag, ' ', (size_t) (colon - tag)) == NULL)
                        return PARSE_NOT_KERNEL;
        }
        return PARSE_UNPREFIXED;
}

/* dmesg -d (--show-delta) adds the time since the message before: "[  12.345678 <    0.000123>]",
 * "[Tue Dec  8 15:25:17 2020 <    0.000123>]" with -T, "[<    0.000123>]" alone with
 * --time-format=delta. -> after ']', with mono_usec, wall_usec or only rel_usec set. */
static const char *parse_delta_bracket(const char *p, const char *e, struct parsed_line *r,
                                       enum fsd_log_format plain_format) {
        const char *lt = memchr(p, '<', (size_t) MIN(e - p, 40));
        if (!lt || lt + 1 >= e || (lt != p + 1 && lt[-1] != ' '))
                return NULL;
        const char *q = lt + 1;
        while (q < e && *q == ' ')
                q++;
        int64_t sec = 0, usec;
        int n = 0;
        while (q < e && ascii_is_digit(*q)) {
                if (++n > MONO_MAX_SEC_DIGITS)
                        return NULL;
                sec = sec * 10 + (*q++ - '0');
        }
        const char *f = parse_fraction(q, e, &usec);
        if (n == 0 || f == q || e - f < 2 || f[0] != '>' || f[1] != ']')
                return NULL;
        if (lt == p + 1) {
                r->rel_usec = sec * 1000000 + usec;
                r->format = FSD_FORMAT_DMESG_HUMAN;
                return f + 2;
        }
        /* the absolute part, closed where the delta begins */
        char head[40];
        size_t hn = (size_t) (lt - 1 - p);
        memcpy(head, p, hn);
        head[hn] = ']';
        int64_t v;
        if (parse_mono_bracket_slow(head, head + hn + 1, &v) == head + hn + 1) {
                r->mono_usec = v;
                r->format = plain_format;
        } else if (parse_ctime_bracket(head, head + hn + 1, &v) == head + hn + 1) {
                r->wall_usec = v;
                r->wall_local = true;
                r->format = plain_format == FSD_FORMAT_DMESG ? FSD_FORMAT_DMESG_T : plain_format;
        } else
                return NULL;
        return f + 2;
}

static enum parse_result parse_bracket(const char *p, const char *e, enum fsd_log_format prev,
                                       struct parsed_line *r, enum fsd_log_format plain_format) {
        int64_t v;
        const char *q = parse_mono_bracket(p, e, &v);
        if (q) {
                r->mono_usec = v;
                q = skip_one_space(q, e);
                if (plain_format == FSD_FORMAT_DMESG) {
                        struct parsed_line tmp = *r;
                        enum parse_result res = try_short_monotonic(q, e, prev, &tmp);
                        if (res != PARSE_UNPREFIXED) {
                                *r = tmp;
                                return res;
                        }
                }
                r->format = plain_format;
                const char *c = parse_caller(q, e, &r->caller_kind, &r->caller_id);
                if (c)
                        q = skip_one_space(c, e);
                r->text = q;
                r->len = (size_t) (e - q);
                return PARSE_RECORD;
        }
        q = parse_human_bracket(p, e, r);
        if (q) {
                r->format = FSD_FORMAT_DMESG_HUMAN;
                q = skip_one_space(q, e);
                r->text = q;
                r->len = (size_t) (e - q);
                return PARSE_RECORD;
        }
        q = parse_ctime_bracket(p, e, &v);
        if (q) {
                r->wall_usec = v;
                r->wall_local = true;
                r->format = plain_format == FSD_FORMAT_DMESG ? FSD_FORMAT_DMESG_T : plain_format;
                q = skip_one_space(q, e);
                const char *c = parse_caller(q, e, &r->caller_kind, &r->caller_id);
                if (c)
                        q = skip_one_space(c, e);
                r->text = q;
                r->len = (size_t) (e - q);
                return PARSE_RECORD;
        }
        q = parse_delta_bracket(p, e, r, plain_format);
        if (q) {
                q = skip_one_space(q, e);
                r->text = q;
                r->len = (size_t) (e - q);
                return PARSE_RECORD;
        }
        return PARSE_UNPREFIXED;
}

/* "<14>1 2020-12-08T15:25:17.123456+08:00 host kernel - - - text" */
static enum parse_result parse_rfc5424(const char *p, const char *e, unsigned pri, struct parsed_line *r) {
        r->format = FSD_FORMAT_RFC5424;
        r->priority = (int) (pri & 7);
        const char *q = p;
        if (q < e && *q == '-')
                q++;
        else {
                bool zone, colon;
                q = parse_iso(q, e, &r->wall_usec, &zone, &colon);
                if (!q)
                        return PARSE_MALFORMED;
                r->wall_local = !zone;
        }
        if (q >= e || *q != ' ')
                return PARSE_MALFORMED;
        q++;
        /* HOSTNAME APP-NAME PROCID MSGID */
        const char *f[4];
        size_t fl[4];
        for (int i = 0; i < 4; i++) {
                const char *sp = memchr(q, ' ', (size_t) (e - q));
                if (!sp)
                        return PARSE_MALFORMED;
                f[i] = q;
                fl[i] = (size_t) (sp - q);
                q = sp + 1;
        }
        if (fl[0] == 0 || fl[0] > LOG_HOST_MAX)
                return PARSE_MALFORMED;
        if (!(fl[0] == 1 && f[0][0] == '-')) {
                r->host = f[0];
                r->host_len = fl[0];
        }
        /* STRUCTURED-DATA: "-" or [id k="v\"..."]... */
        if (q < e && *q == '-')
                q++;
        else {
                while (q < e && *q == '[') {
                        bool quoted = false;
                        q++;
                        while (q < e) {
                                if (quoted && *q == '\\' && q + 1 < e)
                                        q += 2;
                                else if (*q == '"') {
                                        quoted = !quoted;
                                        q++;
                                } else if (!quoted && *q == ']') {
                                        q++;
                                        break;
                                } else
                                        q++;
                        }
                }
        }
        q = skip_one_space(q, e);
        /* optional UTF-8 BOM before MSG */
        if (e - q >= 3 && memcmp(q, "\xef\xbb\xbf", 3) == 0)
                q += 3;
        if (!(fl[1] == 6 && memcmp(f[1], "kernel", 6) == 0))
                return PARSE_NOT_KERNEL;
        parse_kernel_body(q, e, r);
        return PARSE_RECORD;
}

/* dmesg -x (--decode): "kern  :err   : [  12.345678] text", facility and level padded to six.
 * Only the kernel facility is the kernel's; the rest of the line is plain dmesg. */
static enum parse_result parse_digit(const char *p, const char *e, struct parsed_line *r);
static inline void parsed_line_init(struct parsed_line *r, const char *p, size_t n);

static enum parse_result parse_dmesg_x(const char *p, const char *e, enum fsd_log_format prev, struct parsed_line *r) {
        static const char *const levels[] = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" };
        /* the facility: "kern" for the kernel's own messages; others were written to /dev/kmsg by
         * programs (systemd early in boot) and are in the same ring buffer */
        static const char *const facilities[] = { "kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
                                                  "news", "uucp", "cron", "authpriv", "ftp", "local0", "local1",
                                                  "local2", "local3", "local4", "local5", "local6", "local7" };
        if (e - p < 15)
                return PARSE_UNPREFIXED;
        const char *q = NULL;
        for (size_t i = 0; i < ELEMENTSOF(facilities) && !q; i++) {
                size_t k = strlen(facilities[i]);
                if (memcmp(p, facilities[i], k) == 0 && (p[k] == ' ' || p[k] == ':'))
                        q = p + k;
        }
        if (!q)
                return PARSE_UNPREFIXED;
        while (q < e && *q == ' ')
                q++;
        if (q >= e || *q != ':')
                return PARSE_UNPREFIXED;
        q++;
        int level = -1;
        for (int i = 0; i < 8 && level < 0; i++) {
                size_t k = strlen(levels[i]);
                if ((size_t) (e - q) > k && memcmp(q, levels[i], k) == 0 && (q[k] == ' ' || q[k] == ':')) {
                        level = i;
                        q += k;
                }
        }
        while (q < e && *q == ' ')
                q++;
        if (level < 0 || q >= e || *q != ':')
                return PARSE_UNPREFIXED;
        q = skip_one_space(q + 1, e);
        enum parse_result res = PARSE_UNPREFIXED;
        if (*q == '[')
                res = parse_bracket(q, e, prev, r, FSD_FORMAT_DMESG);
        else if (ascii_is_digit(*q) && (res = parse_digit(q, e, r)) == PARSE_RECORD && r->format != FSD_FORMAT_DMESG_T)
                res = PARSE_UNPREFIXED; /* only dmesg's own ISO stamp goes with -x */
        if (res != PARSE_RECORD) {
                parsed_line_init(r, p, (size_t) (e - p));
                r->format = FSD_FORMAT_DMESG;
                r->text = q;
                r->len = (size_t) (e - q);
        }
        r->priority = level;
        return PARSE_RECORD;
}

/* "<4>[ts] text", "<4>text", or RFC 5424 "<14>1 " */
static enum parse_result parse_angle(const char *p, const char *e, enum fsd_log_format prev, struct parsed_line *r) {
        const char *q = p + 1;
        unsigned pri = 0;
        int n = 0;
        while (q < e && ascii_is_digit(*q) && n < 3) {
                pri = pri * 10 + (unsigned) (*q++ - '0');
                n++;
        }
        if (n == 0 || q >= e || *q != '>' || pri > 191)
                return PARSE_UNPREFIXED;
        q++;
        if (e - q >= 2 && q[0] == '1' && q[1] == ' ')
                return parse_rfc5424(q + 2, e, pri, r);
        r->priority = (int) (pri & 7);
        if (q < e && *q == '[') {
                enum parse_result res = parse_bracket(q, e, prev, r, FSD_FORMAT_DMESG_RAW);
                if (res != PARSE_UNPREFIXED)
                        return res;
        }
        r->format = FSD_FORMAT_DMESG_RAW;
        r->text = q;
        r->len = (size_t) (e - q);
        return PARSE_RECORD;
}

/* "6,1234,5678,-[,caller=T123];text" (/dev/kmsg) */
static enum parse_result parse_kmsg(const char *p, const char *e, struct parsed_line *r) {
        const char *semi = memchr(p, ';', (size_t) MIN(e - p, 128));
        if (!semi)
                return PARSE_UNPREFIXED;
        const char *q = p;
        uint64_t v[3] = {};
        for (int i = 0; i < 3; i++) {
                int n = 0;
                while (q < semi && ascii_is_digit(*q)) {
                        if (++n > 19)
                                return PARSE_UNPREFIXED;
                        v[i] = v[i] * 10 + (uint64_t) (*q++ - '0');
                }
                if (n == 0 || q >= semi || *q != ',')
                        return PARSE_UNPREFIXED;
                q++;
        }
        /* flags: '-' or 'c' (continuation, old kernels) or '+' */
        if (q >= semi || (*q != '-' && *q != 'c' && *q != '+'))
                return PARSE_UNPREFIXED;
        q++;
        while (q < semi && *q == ',') {
                const char *next = memchr(q + 1, ',', (size_t) (semi - q - 1));
                if (!next)
                        next = semi;
                if (next - q > 8 && memcmp(q + 1, "caller=", 7) == 0) {
                        const char *c = q + 8;
                        if (c < next && (*c == 'T' || *c == 'C')) {
                                uint32_t id = 0;
                                const char *d = c + 1;
                                while (d < next && ascii_is_digit(*d) && d - c < 10)
                                        id = id * 10 + (uint32_t) (*d++ - '0');
                                if (d == next && d > c + 1) {
                                        r->caller_kind = *c;
                                        r->caller_id = id;
                                }
                        }
                }
                q = next;
        }
        if (q != semi)
                return PARSE_UNPREFIXED;
        if (v[2] > (uint64_t) INT64_MAX)
                return PARSE_MALFORMED;
        r->format = FSD_FORMAT_KMSG;
        r->priority = (int) (v[0] & 7);
        r->kmsg_seq = v[1];
        r->mono_usec = (int64_t) v[2];
        r->text = semi + 1;
        r->len = (size_t) (e - semi - 1);
        return PARSE_RECORD;
}

/* journalctl -o short-unix: "1717839916.123456 host kernel: text", seconds since the epoch (UTC).
 * Only a line with the kernel's tag is taken: a wrapped piece may start with a number too. */
static enum parse_result parse_short_unix(const char *p, const char *e, struct parsed_line *r) {
        const char *q = p;
        int64_t sec = 0;
        while (q < e && ascii_is_digit(*q) && q - p < 12)
                sec = sec * 10 + (*q++ - '0');
        if (q - p < 9 || q >= e || *q != '.')
                return PARSE_UNPREFIXED;
        int64_t usec;
        const char *f = parse_fraction(q, e, &usec);
        if (f - q != 7 || f >= e || *f != ' ')
                return PARSE_UNPREFIXED;
        struct parsed_line tmp = *r;
        if (parse_host_tag(f + 1, e, true, &tmp) != PARSE_RECORD)
                return PARSE_UNPREFIXED;
        *r = tmp;
        r->wall_usec = sec * 1000000 + usec;
        r->wall_local = false;
        r->format = FSD_FORMAT_JOURNAL_ISO;
        return PARSE_RECORD;
}

static enum parse_result parse_digit(const char *p, const char *e, struct parsed_line *r) {
        if (e - p >= 19 && p[4] == '-') {
                bool zone, colon;
                const char *q = parse_iso(p, e, &r->wall_usec, &zone, &colon);
                if (!q)
                        return PARSE_UNPREFIXED;
                if (q >= e || *q != ' ')
                        return PARSE_MALFORMED;
                r->wall_local = !zone;
                /* dmesg --time-format=iso: "2024-05-04T21:58:12,104294+01:00 text", the one form
                 * that writes a comma before the microseconds; no host, no tag */
                if (p[19] == ',' && zone && colon) {
                        r->format = FSD_FORMAT_DMESG_T;
                        r->text = q + 1;
                        r->len = (size_t) (e - q - 1);
                        return PARSE_RECORD;
                }
                /* journalctl short-iso prints +0800, rsyslog's ISO format +08:00 */
                r->format = zone && !colon ? FSD_FORMAT_JOURNAL_ISO : FSD_FORMAT_SYSLOG;
                return parse_host_tag(q + 1, e, true, r);
        }
        if (e - p >= 20 && ascii_is_digit(p[8]) && ascii_is_digit(p[9])) {
                enum parse_result res = parse_short_unix(p, e, r);
                if (res != PARSE_UNPREFIXED)
                        return res;
        }
        return parse_kmsg(p, e, r);
}

/* journalctl -o short-full: "Mon 2024-03-25 10:00:01 CET host kernel: text", the weekday, the
 * date and time, the zone's abbreviation ("UTC", "CET", or "+03" where the zone has none). Read as
 * short-iso, which has the same fields. Tried only on lines no other form matched. */
static enum parse_result parse_short_full(const char *p, const char *e, struct parsed_line *r) {
        static const char days[] = "MonTueWedThuFriSatSun";
        if (e - p < 4 + 19 + 2 || p[3] != ' ')
                return PARSE_UNPREFIXED;
        bool day = false;
        for (size_t i = 0; i + 3 <= sizeof days - 1 && !day; i += 3)
                day = memcmp(p, days + i, 3) == 0;
        if (!day)
                return PARSE_UNPREFIXED;
        bool zone, colon;
        int64_t wall;
        const char *q = parse_iso(p + 4, e, &wall, &zone, &colon);
        if (!q || q == p + 4 || (p + 4)[10] != ' ' || zone || q >= e || *q != ' ')
                return PARSE_UNPREFIXED;
        const char *z = ++q;
        while (q < e && *q != ' ' && q - z < 8)
                q++;
        if (q == z || q >= e || *q != ' ')
                return PARSE_UNPREFIXED;
        bool utc = (q - z == 3 && (memcmp(z, "UTC", 3) == 0 || memcmp(z, "GMT", 3) == 0));
        r->wall_usec = wall;
        r->wall_local = !utc;
        r->format = FSD_FORMAT_JOURNAL_ISO;
        return parse_host_tag(q + 1, e, true, r);
}

/* OpenWrt's logread: "Sat Jun  8 11:45:16 2024 kern.err kernel: [   12.345678] text", ctime(3)
 * without its newline, the facility and level, then the tag. Tried only on lines no other form
 * matched. */
static enum parse_result parse_logread(const char *p, const char *e, struct parsed_line *r) {
        if (e - p < 26 + 8 || p[3] != ' ')
                return PARSE_UNPREFIXED;
        /* the ctime fields as dmesg -T prints them, bracketed there */
        char head[26];
        head[0] = '[';
        memcpy(head + 1, p, 24);
        head[25] = ']';
        int64_t wall;
        if (parse_ctime_bracket(head, head + 26, &wall) != head + 26 || p[24] != ' ')
                return PARSE_UNPREFIXED;
        const char *q = skip_facility_level(p + 25, e);
        if (!q || e - q < 7 || !tag_is_kernel(q))
                return PARSE_UNPREFIXED;
        parse_kernel_body(skip_one_space(q + 7, e), e, r);
        r->wall_usec = wall;
        r->wall_local = true;
        r->format = FSD_FORMAT_SYSLOG;
        return PARSE_RECORD;
}

static enum parse_result parse_dashes(const char *p, const char *e, struct parsed_line *r) {
        size_t n = (size_t) (e - p);
        if (n >= 8 && memcmp(p, "-- Boot ", 8) == 0)
                return PARSE_BOOT_SEPARATOR;
        if (n >= 12 && memcmp(p, "-- Reboot --", 12) == 0)
                return PARSE_BOOT_SEPARATOR;
        if ((n >= 16 && memcmp(p, "-- Logs begin at", 16) == 0) ||
            (n >= 20 && memcmp(p, "-- Journal begins at", 20) == 0) ||
            (n >= 16 && memcmp(p, "-- No entries --", 16) == 0) ||
            (n >= 6 && memcmp(e - 3, " --", 3) == 0))
                return PARSE_SEPARATOR;
        return PARSE_UNPREFIXED;
}

/* Serial console captures glue noise in front of the "[ ts]" prefix: printk's notice
 * "** 12 printk messages dropped ** " and a getty prompt "host login: " that the kernel line
 * continued. Returns where the kernel prefix starts, or p when there is no such noise. */
static const char *skip_console_noise(const char *p, const char *e) {
        static const char dropped[] = " printk messages dropped ** ";
        const char *q = p;
        if (e - q > 3 && memcmp(q, "** ", 3) == 0) {
                const char *d = q + 3;
                while (d < e && ascii_is_digit(*d))
                        d++;
                if (d > q + 3 && (size_t) (e - d) >= sizeof dropped - 1 && memcmp(d, dropped, sizeof dropped - 1) == 0)
                        q = d + sizeof dropped - 1;
        }
        /* "syzkaller login: ": one host-name word, then the prompt */
        const char *sp = memchr(q, ' ', (size_t) MIN(e - q, LOG_HOST_MAX + 1));
        if (sp && sp > q && e - sp > 8 && memcmp(sp, " login: ", 8) == 0)
                q = sp + 8;
        return q < e && *q == '[' ? q : p;
}

/* Field by field: a compound literal of this size compiles to "rep stos", whose start-up cost
 * alone was half of the time spent in parse_line() on a syslog file. */
static inline void parsed_line_init(struct parsed_line *r, const char *p, size_t n) {
        r->format = FSD_FORMAT_CONSOLE;
        r->text = p;
        r->len = n;
        r->host = NULL;
        r->host_len = 0;
        r->mono_usec = -1;
        r->wall_usec = -1;
        r->wall_local = false;
        r->wall_no_year = false;
        r->month = -1;
        r->mday = 0;
        r->tod_usec = 0;
        r->rel_usec = -1;
        r->priority = -1;
        r->caller_kind = 0;
        r->caller_id = 0;
        r->kmsg_seq = 0;
}

enum parse_result parse_line(const char *p, size_t n, enum fsd_log_format prev, struct parsed_line *r) {
        const char *e = p + n;
        parsed_line_init(r, p, n);
        if (n == 0)
                return PARSE_UNPREFIXED;
        enum parse_result res = PARSE_UNPREFIXED;
        switch (p[0]) {
        case '[':
                res = parse_bracket(p, e, prev, r, FSD_FORMAT_DMESG);
                break;
        case '<':
                res = parse_angle(p, e, prev, r);
                break;
        case '0' ... '9':
                res = parse_digit(p, e, r);
                break;
        case 'A' ... 'S':
                res = parse_bsd(p, e, prev, r);
                break;
        case '{':
                return PARSE_JSON;
        case 'k':
                /* "kernel: text": a syslog or journal line pasted without its date and host */
                if (n >= 7 && tag_is_kernel(p)) {
                        parse_kernel_body(skip_one_space(p + 7, e), e, r);
                        r->format = FSD_FORMAT_SYSLOG;
                        return PARSE_RECORD;
                }
                res = parse_dmesg_x(p, e, prev, r);
                break;
        case '_':
                if ((n >= 9 && memcmp(p, "__CURSOR=", 9) == 0) ||
                    (n >= 21 && memcmp(p, "__REALTIME_TIMESTAMP=", 21) == 0))
                        return PARSE_EXPORT;
                break;
        case '-':
                if (n >= 3 && p[1] == '-' && p[2] == ' ')
                        res = parse_dashes(p, e, r);
                break;
        case ' ':
                if (prev == FSD_FORMAT_KMSG)
                        return PARSE_CONTINUATION;
                break;
        default:
                break;
        }
        if (res == PARSE_UNPREFIXED && p[0] != '[') {
                const char *k = skip_console_noise(p, e);
                if (k != p) {
                        struct parsed_line glued;
                        parsed_line_init(&glued, k, (size_t) (e - k));
                        if (parse_bracket(k, e, prev, &glued, FSD_FORMAT_DMESG) == PARSE_RECORD) {
                                *r = glued;
                                return PARSE_RECORD;
                        }
                }
        }
        if (__builtin_expect(res == PARSE_UNPREFIXED, 0) && p[0] != '[' && p[0] != ' ' && p[0] != '\t') {
                res = parse_short_full(p, e, r);
                if (res == PARSE_UNPREFIXED)
                        res = parse_logread(p, e, r);
                if (res == PARSE_UNPREFIXED)
                        res = parse_bsd_localized(p, e, prev, r);
                /* dmesg -x of a message a program wrote ("user  :info  : [ ...") */
                if (res == PARSE_UNPREFIXED && p[0] >= 'a' && p[0] <= 'u' && p[0] != 'k')
                        res = parse_dmesg_x(p, e, prev, r);
                if (res != PARSE_RECORD && res != PARSE_NOT_KERNEL)
                        res = PARSE_UNPREFIXED;
        }
        if (res == PARSE_UNPREFIXED || res == PARSE_MALFORMED) {
                /* whatever the first bytes looked like, the whole line is the message */
                parsed_line_init(r, p, n);
        }
        return res;
}
