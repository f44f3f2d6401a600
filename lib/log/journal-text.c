/* SPDX-License-Identifier: GPL-2.0-or-later */
/* journalctl -o json (one object per line) and -o export (KEY=value lines, binary fields as
 * KEY\n<le64 size><data>\n, entries separated by a blank line). Only the fields a kernel record
 * needs are decoded; everything else is skipped without allocation. */
#include <string.h>
#include "log-internal.h"
#include "basic/span.h"
#include "basic/cleanup.h"

#define JSON_MAX_DEPTH 16

enum jfield { JF_OTHER, JF_MESSAGE, JF_HOSTNAME, JF_REALTIME, JF_MONOTONIC, JF_SOURCE_MONOTONIC,
              JF_BOOT_ID, JF_PRIORITY, JF_TRANSPORT, JF_IDENTIFIER };

static enum jfield field_of(const char *k, size_t n) {
        switch (n) {
        case 7:
                if (memcmp(k, "MESSAGE", 7) == 0) return JF_MESSAGE;
                break;
        case 8:
                if (memcmp(k, "PRIORITY", 8) == 0) return JF_PRIORITY;
                if (memcmp(k, "_BOOT_ID", 8) == 0) return JF_BOOT_ID;
                break;
        case 9:
                if (memcmp(k, "_HOSTNAME", 9) == 0) return JF_HOSTNAME;
                break;
        case 10:
                if (memcmp(k, "_TRANSPORT", 10) == 0) return JF_TRANSPORT;
                break;
        case 17:
                if (memcmp(k, "SYSLOG_IDENTIFIER", 17) == 0) return JF_IDENTIFIER;
                break;
        case 20:
                if (memcmp(k, "__REALTIME_TIMESTAMP", 20) == 0) return JF_REALTIME;
                break;
        case 21:
                if (memcmp(k, "__MONOTONIC_TIMESTAMP", 21) == 0) return JF_MONOTONIC;
                break;
        case 27:
                if (memcmp(k, "_SOURCE_MONOTONIC_TIMESTAMP", 27) == 0) return JF_SOURCE_MONOTONIC;
                break;
        }
        return JF_OTHER;
}

int64_t journal_parse_usec(const char *p, size_t n) {
        const char *q = p;
        uint64_t v;
        if (n == 0 || n > 18 || !scan_u64(&q, p + n, &v) || q != p + n)
                return -1;
        return (int64_t) v;
}

static void fields_init(struct journal_fields *f) {
        *f = (struct journal_fields) { .realtime = -1, .monotonic = -1, .source_monotonic = -1, .priority = -1 };
}

/* Store one decoded value. Strings that must survive are already in their final buffers. */
static void field_set(struct fsd_source *s, struct journal_fields *f, enum jfield which, const char *v, size_t n) {
        switch (which) {
        case JF_MESSAGE:
                f->msg = v;
                f->msg_len = n;
                break;
        case JF_HOSTNAME:
                n = MIN(n, (size_t) LOG_HOST_MAX);
                if (v != s->hostbuf)
                        memmove(s->hostbuf, v, n);
                s->hostbuf[n] = 0;
                f->host = n ? s->hostbuf : NULL;
                f->host_len = n;
                break;
        case JF_BOOT_ID:
                n = MIN(n, (size_t) LOG_BOOT_ID_MAX);
                if (v != s->boot_id_buf)
                        memmove(s->boot_id_buf, v, n);
                s->boot_id_buf[n] = 0;
                f->boot_id = n ? s->boot_id_buf : NULL;
                f->boot_id_len = n;
                break;
        case JF_REALTIME:
                f->realtime = journal_parse_usec(v, n);
                break;
        case JF_MONOTONIC:
                f->monotonic = journal_parse_usec(v, n);
                break;
        case JF_SOURCE_MONOTONIC:
                f->source_monotonic = journal_parse_usec(v, n);
                break;
        case JF_PRIORITY:
                if (n == 1 && v[0] >= '0' && v[0] <= '7')
                        f->priority = v[0] - '0';
                break;
        case JF_TRANSPORT:
                f->have_transport = true;
                if (n == 6 && memcmp(v, "kernel", 6) == 0)
                        f->kernel = true;
                break;
        case JF_IDENTIFIER:
                if (n == 6 && memcmp(v, "kernel", 6) == 0 && !f->have_transport)
                        f->kernel = true;
                break;
        default:
                break;
        }
}

/* ---- JSON ----------------------------------------------------------------------------------- */

struct jp {
        const char *p, *e;
};

struct jout {
        char *buf;
        size_t cap, len;
};

static inline void jout_put(struct jout *o, char c) {
        if (o && o->len < o->cap)
                o->buf[o->len++] = c;
}

static void jout_utf8(struct jout *o, uint32_t cp) {
        if (cp < 0x80)
                jout_put(o, (char) cp);
        else if (cp < 0x800) {
                jout_put(o, (char) (0xc0 | (cp >> 6)));
                jout_put(o, (char) (0x80 | (cp & 0x3f)));
        } else if (cp < 0x10000) {
                jout_put(o, (char) (0xe0 | (cp >> 12)));
                jout_put(o, (char) (0x80 | ((cp >> 6) & 0x3f)));
                jout_put(o, (char) (0x80 | (cp & 0x3f)));
        } else {
                jout_put(o, (char) (0xf0 | (cp >> 18)));
                jout_put(o, (char) (0x80 | ((cp >> 12) & 0x3f)));
                jout_put(o, (char) (0x80 | ((cp >> 6) & 0x3f)));
                jout_put(o, (char) (0x80 | (cp & 0x3f)));
        }
}

static void skip_ws(struct jp *j) {
        while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
                j->p++;
}

static int hex4(const char *p, const char *e, uint32_t *ret) {
        if (e - p < 4)
                return -1;
        uint32_t v = 0;
        for (int i = 0; i < 4; i++) {
                char c = p[i];
                v <<= 4;
                if (c >= '0' && c <= '9') v |= (uint32_t) (c - '0');
                else if (c >= 'a' && c <= 'f') v |= (uint32_t) (c - 'a' + 10);
                else if (c >= 'A' && c <= 'F') v |= (uint32_t) (c - 'A' + 10);
                else return -1;
        }
        *ret = v;
        return 0;
}

/* At '"': decode into o (NULL = skip). */
static int json_string(struct jp *j, struct jout *o) {
        if (j->p >= j->e || *j->p != '"')
                return -1;
        j->p++;
        while (j->p < j->e) {
                const char *q = j->p;
                /* copy runs of plain bytes at once */
                while (q < j->e && *q != '"' && *q != '\\')
                        q++;
                if (o) {
                        size_t k = MIN((size_t) (q - j->p), o->cap - o->len);
                        memcpy(o->buf + o->len, j->p, k);
                        o->len += k;
                }
                j->p = q;
                if (q >= j->e)
                        return -1;
                if (*q == '"') {
                        j->p++;
                        return 0;
                }
                if (q + 1 >= j->e)
                        return -1;
                char c = q[1];
                j->p = q + 2;
                switch (c) {
                case '"': jout_put(o, '"'); break;
                case '\\': jout_put(o, '\\'); break;
                case '/': jout_put(o, '/'); break;
                case 'b': jout_put(o, '\b'); break;
                case 'f': jout_put(o, '\f'); break;
                case 'n': jout_put(o, '\n'); break;
                case 'r': jout_put(o, '\r'); break;
                case 't': jout_put(o, '\t'); break;
                case 'u': {
                        uint32_t cp, lo;
                        if (hex4(j->p, j->e, &cp) < 0)
                                return -1;
                        j->p += 4;
                        if (cp >= 0xd800 && cp < 0xdc00 && j->e - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u' &&
                            hex4(j->p + 2, j->e, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
                                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                                j->p += 6;
                        } else if (cp >= 0xd800 && cp < 0xe000)
                                cp = 0xfffd;
                        jout_utf8(o, cp);
                        break;
                }
                default:
                        return -1;
                }
        }
        return -1;
}

static int json_skip_value(struct jp *j, int depth);

/* A value: string, number, literal, or array (of byte numbers: binary data, or of strings:
 * a field with several values, of which the first is kept). */
static int json_value(struct jp *j, struct jout *o, int depth) {
        skip_ws(j);
        if (j->p >= j->e)
                return -1;
        char c = *j->p;
        if (c == '"')
                return json_string(j, o);
        if (c == '[') {
                j->p++;
                bool first = true;
                for (;;) {
                        skip_ws(j);
                        if (j->p < j->e && *j->p == ']') {
                                j->p++;
                                return 0;
                        }
                        if (!first) {
                                if (j->p >= j->e || *j->p != ',')
                                        return -1;
                                j->p++;
                                skip_ws(j);
                        }
                        if (j->p >= j->e)
                                return -1;
                        if (*j->p >= '0' && *j->p <= '9') {
                                unsigned v = 0;
                                int n = 0;
                                while (j->p < j->e && *j->p >= '0' && *j->p <= '9' && n < 4) {
                                        v = v * 10 + (unsigned) (*j->p++ - '0');
                                        n++;
                                }
                                if (v > 255)
                                        return -1;
                                jout_put(o, (char) v);
                        } else if (*j->p == '"') {
                                if (json_string(j, first ? o : NULL) < 0)
                                        return -1;
                        } else if (json_skip_value(j, depth + 1) < 0)
                                return -1;
                        first = false;
                }
        }
        if (c == '{')
                return json_skip_value(j, depth);
        /* number or literal: copy as text */
        const char *q = j->p;
        while (q < j->e && *q != ',' && *q != '}' && *q != ']' && *q != ' ')
                q++;
        if (q == j->p)
                return -1;
        if (!(j->e - j->p >= 4 && memcmp(j->p, "null", 4) == 0))
                for (const char *t = j->p; t < q; t++)
                        jout_put(o, *t);
        j->p = q;
        return 0;
}

static int json_skip_value(struct jp *j, int depth) {
        if (depth > JSON_MAX_DEPTH)
                return -1;
        skip_ws(j);
        if (j->p >= j->e)
                return -1;
        if (*j->p != '{')
                return json_value(j, NULL, depth);
        j->p++;
        bool first = true;
        for (;;) {
                skip_ws(j);
                if (j->p < j->e && *j->p == '}') {
                        j->p++;
                        return 0;
                }
                if (!first) {
                        if (j->p >= j->e || *j->p != ',')
                                return -1;
                        j->p++;
                        skip_ws(j);
                }
                if (json_string(j, NULL) < 0)
                        return -1;
                skip_ws(j);
                if (j->p >= j->e || *j->p != ':')
                        return -1;
                j->p++;
                if (json_skip_value(j, depth + 1) < 0)
                        return -1;
                first = false;
        }
}

enum parse_result journal_json_parse(struct fsd_source *s, const char *p, size_t n, struct journal_fields *f) {
        fields_init(f);
        struct jp j = { p, p + n };
        skip_ws(&j);
        if (j.p >= j.e || *j.p != '{')
                return PARSE_MALFORMED;
        j.p++;
        bool first = true;
        for (;;) {
                skip_ws(&j);
                if (j.p < j.e && *j.p == '}')
                        break;
                if (!first) {
                        if (j.p >= j.e || *j.p != ',')
                                return PARSE_MALFORMED;
                        j.p++;
                        skip_ws(&j);
                }
                first = false;
                char key[32];
                struct jout ko = { key, sizeof key, 0 };
                if (json_string(&j, &ko) < 0)
                        return PARSE_MALFORMED;
                skip_ws(&j);
                if (j.p >= j.e || *j.p != ':')
                        return PARSE_MALFORMED;
                j.p++;
                enum jfield which = ko.len < sizeof key ? field_of(key, ko.len) : JF_OTHER;
                char small[64];
                struct jout vo;
                switch (which) {
                case JF_OTHER:
                        if (json_skip_value(&j, 1) < 0)
                                return PARSE_MALFORMED;
                        continue;
                case JF_MESSAGE:
                        vo = (struct jout) { s->msgbuf, s->max_line, 0 };
                        break;
                case JF_HOSTNAME:
                        vo = (struct jout) { s->hostbuf, LOG_HOST_MAX, 0 };
                        break;
                case JF_BOOT_ID:
                        vo = (struct jout) { s->boot_id_buf, LOG_BOOT_ID_MAX, 0 };
                        break;
                default:
                        vo = (struct jout) { small, sizeof small, 0 };
                        break;
                }
                if (json_value(&j, &vo, 1) < 0)
                        return PARSE_MALFORMED;
                field_set(s, f, which, vo.buf, vo.len);
        }
        if (!f->kernel)
                return PARSE_NOT_KERNEL;
        if (!f->msg) {
                f->msg = s->msgbuf;
                f->msg_len = 0;
        }
        return PARSE_RECORD;
}

/* ---- export --------------------------------------------------------------------------------- */

static void export_text_field(struct fsd_source *s, struct journal_fields *f, const char *p, size_t n) {
        const char *eq = memchr(p, '=', n);
        if (!eq)
                return;
        enum jfield which = field_of(p, (size_t) (eq - p));
        const char *v = eq + 1;
        size_t vn = n - (size_t) (v - p);
        if (which == JF_MESSAGE) {
                vn = MIN(vn, s->max_line);
                memcpy(s->msgbuf, v, vn);
                v = s->msgbuf;
        }
        field_set(s, f, which, v, vn);
}

int journal_export_next(struct fsd_source *s, const char *first, size_t first_len,
                        struct journal_fields *f, enum parse_result *ret_kind) {
        fields_init(f);
        bool any = false;
        const char *p = first;
        size_t n = first_len;
        for (;;) {
                if (n == 0)
                        break;
                any = true;
                if (memchr(p, '=', n))
                        export_text_field(s, f, p, n);
                else {
                        /* binary field: the name, then a little-endian 64-bit size, data, '\n' */
                        enum jfield which = field_of(p, n);
                        uint8_t le[8];
                        ssize_t k = line_reader_take(s, 8, (char *) le, sizeof le);
                        if (k < 0) {
                                *ret_kind = PARSE_MALFORMED;
                                return k == -FSD_E_TRUNCATED ? 1 : (int) k;
                        }
                        uint64_t size = 0;
                        for (int i = 7; i >= 0; i--)
                                size = (size << 8) | le[i];
                        char small[64];
                        char *dst = small;
                        size_t cap = sizeof small;
                        if (which == JF_MESSAGE) {
                                dst = s->msgbuf;
                                cap = s->max_line;
                        } else if (which == JF_HOSTNAME) {
                                dst = s->hostbuf;
                                cap = LOG_HOST_MAX;
                        } else if (which == JF_BOOT_ID) {
                                dst = s->boot_id_buf;
                                cap = LOG_BOOT_ID_MAX;
                        }
                        k = line_reader_take(s, size, dst, cap);
                        if (k >= 0) {
                                char nl;
                                ssize_t t = line_reader_take(s, 1, &nl, 1);
                                if (t < 0 && t != -FSD_E_TRUNCATED)
                                        return (int) t;
                        } else if (k != -FSD_E_TRUNCATED)
                                return (int) k;
                        if (k < 0) {
                                *ret_kind = PARSE_MALFORMED;
                                return 1;
                        }
                        if (size > cap)
                                s->stats.truncated++;
                        field_set(s, f, which, dst, (size_t) k);
                }
                int r = text_read_line(s, &p, &n);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
        }
        if (!any) {
                *ret_kind = PARSE_SEPARATOR;
                return 1;
        }
        *ret_kind = f->kernel ? PARSE_RECORD : PARSE_NOT_KERNEL;
        if (f->kernel && !f->msg) {
                f->msg = s->msgbuf;
                f->msg_len = 0;
        }
        return 1;
}
