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
        return 0;
}

/* Stable names for rule files, the same as the incident JSON uses (fsd_event_kind_name). */
static const char *const event_kind_names[_FSD_EV_MAX] = {
        [FSD_EV_UNKNOWN] = "unknown",
        [FSD_EV_MEMORY_ERROR] = "memory-error",
        [FSD_EV_DEVICE_ERROR] = "device-error",
        [FSD_EV_DEVICE_RESET] = "device-reset",
        [FSD_EV_DEVICE_OFFLINE] = "device-offline",
        [FSD_EV_PATH_FAILED] = "path-failed",
        [FSD_EV_THIN_POOL_FULL] = "thin-pool-full",
        [FSD_EV_SPACE_ALLOC_ERROR] = "space-alloc-error",
        [FSD_EV_IO_ERROR] = "io-error",
        [FSD_EV_BUFFER_IO_ERROR] = "buffer-io-error",
        [FSD_EV_FS_ERROR] = "fs-error",
        [FSD_EV_WRITE_ERROR] = "write-error",
        [FSD_EV_TRANSACTION_ABORT] = "transaction-abort",
        [FSD_EV_READ_ONLY] = "read-only",
        [FSD_EV_SHUTDOWN] = "shutdown",
        [FSD_EV_USER_SHUTDOWN] = "user-shutdown",
        [FSD_EV_CORRUPTION] = "corruption",
        [FSD_EV_CSUM_ERROR] = "csum-error",
        [FSD_EV_TRANSID_ERROR] = "transid-error",
        [FSD_EV_DEV_STATS] = "dev-stats",
        [FSD_EV_DEVICE_MISSING] = "device-missing",
        [FSD_EV_ENOSPC] = "enospc",
        [FSD_EV_BALANCE_FAILED] = "balance-failed",
        [FSD_EV_COMMIT_SKIPPED] = "commit-skipped",
        [FSD_EV_LOG_IO_ERROR] = "log-io-error",
        [FSD_EV_MOUNT] = "mount",
        [FSD_EV_UNMOUNT] = "unmount",
        [FSD_EV_SUPPRESSED] = "suppressed",
};

const char *kb_event_kind_name(enum fsd_event_kind k) {
        return (unsigned) k < _FSD_EV_MAX && event_kind_names[k] ? event_kind_names[k] : "unknown";
}

int kb_event_kind_from_name(const char *s) {
        /* the JSON names use '-'; rule authors may write '_' as in the C enum */
        char buf[32];
        size_t n = strlen(s);
        if (n >= sizeof buf)
                return -EINVAL;
        for (size_t i = 0; i <= n; i++)
                buf[i] = s[i] == '_' ? '-' : s[i];
        for (int i = 0; i < _FSD_EV_MAX; i++)
                if (event_kind_names[i] && strcmp(event_kind_names[i], buf) == 0)
                        return i;
        return -EINVAL;
}

static const char *const report_type_names[_FSD_REPORT_TYPE_MAX] = {
        [FSD_REPORT_UNKNOWN] = "unknown",
        [FSD_REPORT_WARNING] = "warning",
        [FSD_REPORT_BUG] = "bug",
        [FSD_REPORT_OOPS] = "oops",
        [FSD_REPORT_GPF] = "gpf",
        [FSD_REPORT_PANIC] = "panic",
        [FSD_REPORT_HANG] = "hang",
        [FSD_REPORT_STALL] = "stall",
        [FSD_REPORT_KASAN] = "kasan",
        [FSD_REPORT_LOCKDEP] = "lockdep",
        [FSD_REPORT_LEAK] = "leak",
        [FSD_REPORT_OTHER] = "other",
        [FSD_REPORT_HARNESS] = "harness",
};

const char *kb_report_type_name(enum fsd_report_type t) {
        return (unsigned) t < _FSD_REPORT_TYPE_MAX ? report_type_names[t] : "unknown";
}

int kb_report_type_from_name(const char *s) {
        for (int i = 0; i < _FSD_REPORT_TYPE_MAX; i++)
                if (strcmp(report_type_names[i], s) == 0)
                        return i;
        return -EINVAL;
}

static const char *const fs_names[_FSD_FS_MAX] = {
        [FSD_FS_NONE] = "none",
        [FSD_FS_BTRFS] = "btrfs",
        [FSD_FS_EXT4] = "ext4",
        [FSD_FS_XFS] = "xfs",
        [FSD_FS_OTHER] = "other",
};

const char *kb_fs_name(enum fsd_fs_type t) {
        return (unsigned) t < _FSD_FS_MAX ? fs_names[t] : "unknown";
}

int kb_fs_from_name(const char *s) {
        for (int i = 0; i < _FSD_FS_MAX; i++)
                if (strcmp(fs_names[i], s) == 0)
                        return i;
        return -EINVAL;
}

static const struct {
        const char *name;
        int value;
} errno_names[] = {
        { "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EIO", EIO }, { "ENXIO", ENXIO },
        { "ENOMEM", ENOMEM }, { "EBUSY", EBUSY }, { "EEXIST", EEXIST }, { "ENODEV", ENODEV },
        { "EINVAL", EINVAL }, { "EFBIG", EFBIG }, { "ENOSPC", ENOSPC }, { "EROFS", EROFS },
        { "EAGAIN", EAGAIN }, { "EOPNOTSUPP", EOPNOTSUPP }, { "EDQUOT", EDQUOT },
        { "EUCLEAN", EUCLEAN }, { "ENODATA", ENODATA }, { "ETIMEDOUT", ETIMEDOUT },
        { "EOVERFLOW", EOVERFLOW }, { "ENOLINK", ENOLINK }, { "EREMOTEIO", EREMOTEIO },
        { "EBADMSG", EBADMSG }, { "ESHUTDOWN", ESHUTDOWN }, { "ENOTTY", ENOTTY },
};

int kb_errno_from_name(const char *s) {
        for (size_t i = 0; i < ELEMENTSOF(errno_names); i++)
                if (strcmp(errno_names[i].name, s) == 0)
                        return -errno_names[i].value;
        return 0;
}

const char *kb_errno_name(int negative_errno) {
        for (size_t i = 0; i < ELEMENTSOF(errno_names); i++)
                if (-errno_names[i].value == negative_errno)
                        return errno_names[i].name;
        return NULL;
}

static const char *const placeholders[] = {
        "device", "host", "kernel", "comm", "pid", "fs", "function", "src_line", "errno",
        "errno_name", "error_text", "time", "mount_point", "guilty", "origin",
};

bool kb_placeholder_known(const char *name, size_t n) {
        for (size_t i = 0; i < ELEMENTSOF(placeholders); i++)
                if (strlen(placeholders[i]) == n && memcmp(placeholders[i], name, n) == 0)
                        return true;
        return false;
}

const char *fsd_severity_name(enum fsd_severity s) {
        static const char *const names[_FSD_SEVERITY_MAX] = { "info", "warning", "error", "critical" };
        return (unsigned) s < _FSD_SEVERITY_MAX ? names[s] : "unknown";
}

const char *fsd_path_visibility_name(enum fsd_path_visibility v) {
        static const char *const names[] = { "shown", "hidden", "inlined" };
        return (unsigned) v < ELEMENTSOF(names) ? names[v] : "unknown";
}
