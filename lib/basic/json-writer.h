/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Builds one JSON value into a strbuf. The writer tracks whether a comma is due, so callers
 * only say what comes next: json_key(w, "x"); json_int(w, 3); */
#include <stdbool.h>
#include <stdint.h>
#include "strbuf.h"

struct json_writer {
        struct strbuf *out;
        unsigned depth;
        uint64_t need_comma;   /* bit per nesting level */
        bool after_key;
};

void json_writer_init(struct json_writer *w, struct strbuf *out);
void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);
void json_key(struct json_writer *w, const char *key);
/* Strings: escaped per RFC 8259; invalid UTF-8 becomes U+FFFD. NULL writes null. */
void json_string(struct json_writer *w, const char *s);
/* A value that is already JSON (one made by another writer), inserted as it is. */
void json_raw(struct json_writer *w, const char *json);
void json_string_len(struct json_writer *w, const char *s, size_t n);
void json_int(struct json_writer *w, int64_t v);
void json_uint(struct json_writer *w, uint64_t v);
void json_double(struct json_writer *w, double v);
void json_bool(struct json_writer *w, bool v);
void json_null(struct json_writer *w);
/* key + value helpers that skip the member entirely when the value is absent */
void json_kv_string(struct json_writer *w, const char *key, const char *s);
void json_kv_int(struct json_writer *w, const char *key, int64_t v);
void json_kv_uint(struct json_writer *w, const char *key, uint64_t v);
void json_kv_bool(struct json_writer *w, const char *key, bool v);
/* Append JSON string escaping of s[0..n) to b, without quotes. */
void json_escape(struct strbuf *b, const char *s, size_t n);
