/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Arena, kernel versions and the names rule files use. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kb-internal.h"

struct arena_chunk {
        struct arena_chunk *next;
        size_t used, cap;
        max_align_t data[];
};

#define ARENA_CHUNK_BYTES (16u * 1024u)

void *arena_alloc(struct arena *a, size_t n) {
        if (a->failed)
                return NULL;
        n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
        if (n == 0)
                n = sizeof(max_align_t);
        struct arena_chunk *c = a->head;
        if (!c || c->cap - c->used < n) {
                size_t cap = n > ARENA_CHUNK_BYTES ? n : ARENA_CHUNK_BYTES;
                if (a->total + cap > KB_MAX_ARENA_BYTES) {
                        a->failed = true;
                        return NULL;
                }
                c = malloc(sizeof *c + cap);
                if (!c) {
                        a->failed = true;
                        return NULL;
                }
                c->used = 0;
                c->cap = cap;
                c->next = a->head;
                a->head = c;
                a->total += cap;
        }
        void *p = (char *) c->data + c->used;
        c->used += n;
        memset(p, 0, n);
        return p;
}

void *arena_alloc_array(struct arena *a, size_t n, size_t size) {
        if (size && n > SIZE_MAX / size) {
                a->failed = true;
                return NULL;
        }
        return arena_alloc(a, n * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n) {
        if (!s)
                return NULL;
        char *p = arena_alloc(a, n + 1);
        if (!p)
                return NULL;
        memcpy(p, s, n);
        p[n] = 0;
        return p;
}

char *arena_strdup(struct arena *a, const char *s) {
        return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0)
                return NULL;
        char *p = arena_alloc(a, (size_t) n + 1);
        if (!p)
                return NULL;
        va_start(ap, fmt);
        vsnprintf(p, (size_t) n + 1, fmt, ap);
        va_end(ap);
        return p;
}

void arena_done(struct arena *a) {
        while (a->head) {
                struct arena_chunk *next = a->head->next;
                free(a->head);
                a->head = next;
        }
        a->total = 0;
        a->failed = false;
}

static int parse_uint(const char **p, unsigned *ret) {
        const char *s = *p;
        unsigned long v = 0;
        if (*s < '0' || *s > '9')
                return -EINVAL;
        while (*s >= '0' && *s <= '9') {
                v = v * 10 + (unsigned) (*s - '0');
                if (v > 1000000)
                        return -EINVAL;
                s++;
        }
        *p = s;
        *ret = (unsigned) v;
        return 0;
}

int kver_parse(const char *s, struct kver *ret) {
        struct kver v = {};
        if (!s)
                return -EINVAL;
        if (*s == 'v')
                s++;
        if (parse_uint(&s, &v.major) < 0 || *s != '.')
                return -EINVAL;
        s++;
        if (parse_uint(&s, &v.minor) < 0)
                return -EINVAL;
        if (*s == '.') {
                s++;
                if (parse_uint(&s, &v.patch) < 0)
                        return -EINVAL;
        }
        /* "5.2-rc1", "5.2.0-rc1", "6.5.0-0.rc4.20230731git5d0c230f1de8.30.fc39": a release candidate
         * comes before its release; other suffixes (distribution builds) are ignored */
        const char *rc = s[0] == '-' ? strstr(s, "rc") : NULL;
        if (rc && (rc == s + 1 || rc[-1] == '.' || rc[-1] == '-') && rc[2] >= '1' && rc[2] <= '9') {
                const char *q = rc + 2;
                if (parse_uint(&q, &v.rc) < 0)
                        v.rc = 0;
        }
        *ret = v;
        return 0;
}

int kver_cmp(const struct kver *a, const struct kver *b) {
        if (a->major != b->major)
                return a->major < b->major ? -1 : 1;
        if (a->minor != b->minor)
                return a->minor < b->minor ? -1 : 1;
        if (a->patch != b->patch)
                return a->patch < b->patch ? -1 : 1;
        if (a->rc != b->rc) /* a release (0) is newer than any of its release candidates */
                return a->rc == 0 ? 1 : b->rc == 0 ? -1 : a->rc < b->rc ? -1 : 1;
        return 0;
}

/* Rule files name event kinds, report types and filesystems exactly as the JSON output does: the
 * library's public name functions are the one table; rule authors may write '_' for '-'. */
const char *kb_event_kind_name(enum fsd_event_kind k) {
        return fsd_event_kind_name(k);
}

static void dashes(const char *s, char *buf, size_t size) {
        size_t i = 0;
        for (; s[i] && i + 1 < size; i++)
                buf[i] = s[i] == '_' ? '-' : s[i];
        buf[i] = 0;
}

int kb_event_kind_from_name(const char *s) {
        char buf[32];
        if (strlen(s) >= sizeof buf)
                return -EINVAL;
        dashes(s, buf, sizeof buf);
        for (int i = 0; i < _FSD_EV_MAX; i++)
                if (strcmp(fsd_event_kind_name((enum fsd_event_kind) i), buf) == 0)
                        return i;
        return -EINVAL;
}

const char *kb_report_type_name(enum fsd_report_type t) {
        return fsd_report_type_name(t);
}

int kb_report_type_from_name(const char *s) {
        for (int i = 0; i < _FSD_REPORT_TYPE_MAX; i++)
                if (strcmp(fsd_report_type_name((enum fsd_report_type) i), s) == 0)
                        return i;
        return -EINVAL;
}

const char *kb_fs_name(enum fsd_fs_type t) {
        return fsd_fs_type_name(t);
}

int kb_fs_from_name(const char *s) {
        for (int i = 0; i < _FSD_FS_MAX; i++)
                if (strcmp(fsd_fs_type_name((enum fsd_fs_type) i), s) == 0)
                        return i;
        return -EINVAL;
}

static const char *const placeholders[] = {
        "device", "host", "kernel", "comm", "pid", "fs", "function", "src_line", "errno",
        "errno_name", "error_text", "time", "mount_point", "guilty", "origin", "dev_path",
};

bool kb_placeholder_known(const char *name, size_t n) {
        for (size_t i = 0; i < ELEMENTSOF(placeholders); i++)
                if (strlen(placeholders[i]) == n && memcmp(placeholders[i], name, n) == 0)
                        return true;
        return false;
}
