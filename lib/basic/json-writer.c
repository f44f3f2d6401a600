/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include "json-writer.h"
#include "utf8.h"

void json_writer_init(struct json_writer *w, struct strbuf *out) {
        *w = (struct json_writer) { .out = out };
}

static void json_separate(struct json_writer *w) {
        if (w->after_key) {
                w->after_key = false;
                return;
        }
        uint64_t bit = UINT64_C(1) << (w->depth & 63);
        if (w->need_comma & bit)
                strbuf_putc(w->out, ',');
        w->need_comma |= bit;
}

static void json_open(struct json_writer *w, char c) {
        json_separate(w);
        strbuf_putc(w->out, c);
        w->depth++;
        w->need_comma &= ~(UINT64_C(1) << (w->depth & 63));
}

static void json_close(struct json_writer *w, char c) {
        strbuf_putc(w->out, c);
        if (w->depth)
                w->depth--;
}

void json_raw(struct json_writer *w, const char *json) {
        json_separate(w);
        strbuf_puts(w->out, json);
}

void json_object_begin(struct json_writer *w) { json_open(w, '{'); }
void json_object_end(struct json_writer *w) { json_close(w, '}'); }
void json_array_begin(struct json_writer *w) { json_open(w, '['); }
void json_array_end(struct json_writer *w) { json_close(w, ']'); }

void json_escape(struct strbuf *b, const char *s, size_t n) {
        static const char hex[] = "0123456789abcdef";
        size_t i = 0;
        while (i < n) {
                /* plain printable ASCII in one append, not a call per byte */
                size_t run = i;
                while (run < n && (unsigned char) s[run] >= 0x20 && (unsigned char) s[run] < 0x7f && s[run] != '"' &&
                       s[run] != '\\')
                        run++;
                if (run > i) {
                        strbuf_append(b, s + i, run - i);
                        i = run;
                        continue;
                }
                unsigned char c = (unsigned char) s[i];
                if (c >= 0x80) {
                        size_t l = utf8_valid_len(s + i, n - i);
                        if (l == 0) {
                                strbuf_puts(b, "\\ufffd");
                                i++;
                        } else {
                                strbuf_append(b, s + i, l);
                                i += l;
                        }
                        continue;
                }
                switch (c) {
                case '"': strbuf_puts(b, "\\\""); break;
                case '\\': strbuf_puts(b, "\\\\"); break;
                case '\n': strbuf_puts(b, "\\n"); break;
                case '\r': strbuf_puts(b, "\\r"); break;
                case '\t': strbuf_puts(b, "\\t"); break;
                default:
                        if (c < 0x20 || c == 0x7f) {
                                char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
                                strbuf_append(b, e, 6);
                        } else
                                strbuf_putc(b, (char) c);
                }
                i++;
        }
}

void json_key(struct json_writer *w, const char *key) {
        json_separate(w);
        strbuf_putc(w->out, '"');
        json_escape(w->out, key, strlen(key));
        strbuf_puts(w->out, "\":");
        w->after_key = true;
}

void json_string_len(struct json_writer *w, const char *s, size_t n) {
        json_separate(w);
        if (!s) {
                strbuf_puts(w->out, "null");
                return;
        }
        strbuf_putc(w->out, '"');
        json_escape(w->out, s, n);
        strbuf_putc(w->out, '"');
}

void json_string(struct json_writer *w, const char *s) {
        json_string_len(w, s, s ? strlen(s) : 0);
}

void json_int(struct json_writer *w, int64_t v) {
        json_separate(w);
        strbuf_printf(w->out, "%" PRId64, v);
}

void json_uint(struct json_writer *w, uint64_t v) {
        json_separate(w);
        strbuf_printf(w->out, "%" PRIu64, v);
}

void json_double(struct json_writer *w, double v) {
        json_separate(w);
        if (!isfinite(v))
                strbuf_puts(w->out, "null");
        else
                strbuf_printf(w->out, "%.6g", v);
}

void json_bool(struct json_writer *w, bool v) {
        json_separate(w);
        strbuf_puts(w->out, v ? "true" : "false");
}

void json_null(struct json_writer *w) {
        json_separate(w);
        strbuf_puts(w->out, "null");
}

void json_kv_string(struct json_writer *w, const char *key, const char *s) {
        if (!s)
                return;
        json_key(w, key);
        json_string(w, s);
}

void json_kv_int(struct json_writer *w, const char *key, int64_t v) {
        json_key(w, key);
        json_int(w, v);
}

void json_kv_uint(struct json_writer *w, const char *key, uint64_t v) {
        json_key(w, key);
        json_uint(w, v);
}

void json_kv_bool(struct json_writer *w, const char *key, bool v) {
        json_key(w, key);
        json_bool(w, v);
}
