/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Minimal bootstrap reader: plain files and stdin, dmesg/syslog/console prefixes.
 * To be replaced by the full reader (formats, compression, journal, follow). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fsdoctor.h"
#include "basic/cleanup.h"

#define READ_CHUNK (256 * 1024)
#define DEFAULT_MAX_LINE (64 * 1024)

struct fsd_source {
        int fd;
        char *origin;
        char *buf;
        size_t cap, start, end;
        bool eof;
        uint64_t line;
        size_t max_line;
        char host[256];
        struct fsd_source_stats stats;
        enum fsd_log_format format;
        char *linebuf;
};

const char *fsd_log_format_name(enum fsd_log_format f) {
        static const char *const names[_FSD_FORMAT_MAX] = {
                [FSD_FORMAT_UNKNOWN] = "unknown",
                [FSD_FORMAT_DMESG] = "dmesg",
                [FSD_FORMAT_DMESG_T] = "dmesg-T",
                [FSD_FORMAT_DMESG_RAW] = "dmesg-raw",
                [FSD_FORMAT_KMSG] = "kmsg",
                [FSD_FORMAT_SYSLOG] = "syslog",
                [FSD_FORMAT_RFC5424] = "rfc5424",
                [FSD_FORMAT_JOURNAL_SHORT] = "journal-short",
                [FSD_FORMAT_JOURNAL_ISO] = "journal-short-iso",
                [FSD_FORMAT_JOURNAL_PRECISE] = "journal-short-precise",
                [FSD_FORMAT_JOURNAL_MONOTONIC] = "journal-short-monotonic",
                [FSD_FORMAT_JOURNAL_JSON] = "journal-json",
                [FSD_FORMAT_JOURNAL_EXPORT] = "journal-export",
                [FSD_FORMAT_JOURNAL_FILE] = "journal-file",
                [FSD_FORMAT_CONSOLE] = "console",
        };
        if ((unsigned) f >= _FSD_FORMAT_MAX)
                return "unknown";
        return names[f];
}

int fsd_source_open_file(const char *path, const struct fsd_source_opts *opts, struct fsd_source **ret) {
        if (!path || !ret)
                return -EINVAL;
        struct fsd_source *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        s->fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
                int r = -errno;
                free(s);
                return r;
        }
        s->origin = strdup(path);
        s->max_line = opts && opts->max_line ? opts->max_line : DEFAULT_MAX_LINE;
        s->cap = READ_CHUNK + s->max_line;
        s->buf = malloc(s->cap);
        s->linebuf = malloc(s->max_line + 1);
        if (!s->origin || !s->buf || !s->linebuf) {
                fsd_source_free(s);
                return -ENOMEM;
        }
        *ret = s;
        return 0;
}

int fsd_source_open_kmsg(const struct fsd_source_opts *opts, struct fsd_source **ret) {
        return -EOPNOTSUPP;
}

int fsd_source_open_journal(const char *dir, const struct fsd_source_opts *opts, struct fsd_source **ret) {
        return -EOPNOTSUPP;
}

struct fsd_source *fsd_source_free(struct fsd_source *s) {
        if (!s)
                return NULL;
        if (s->fd > STDIN_FILENO)
                close(s->fd);
        free(s->origin);
        free(s->buf);
        free(s->linebuf);
        free(s);
        return NULL;
}

/* Returns 1 with a line view, 0 at EOF, <0 on read error. */
static int source_read_line(struct fsd_source *s, const char **ret_line, size_t *ret_len) {
        for (;;) {
                char *nl = memchr(s->buf + s->start, '\n', s->end - s->start);
                if (nl) {
                        *ret_line = s->buf + s->start;
                        *ret_len = (size_t) (nl - (s->buf + s->start));
                        s->start = (size_t) (nl - s->buf) + 1;
                        return 1;
                }
                if (s->end - s->start >= s->max_line) {
                        /* too long: hand out max_line bytes, drop the rest of the line */
                        *ret_line = s->buf + s->start;
                        *ret_len = s->max_line;
                        s->stats.truncated++;
                        s->start += s->max_line;
                        /* skip to next newline */
                        for (;;) {
                                char *n2 = memchr(s->buf + s->start, '\n', s->end - s->start);
                                if (n2) {
                                        s->start = (size_t) (n2 - s->buf) + 1;
                                        break;
                                }
                                s->start = s->end = 0;
                                ssize_t k = read(s->fd, s->buf, s->cap);
                                if (k <= 0) {
                                        s->eof = true;
                                        break;
                                }
                                s->stats.bytes += (uint64_t) k;
                                s->end = (size_t) k;
                        }
                        return 1;
                }
                if (s->eof) {
                        if (s->start < s->end) {
                                *ret_line = s->buf + s->start;
                                *ret_len = s->end - s->start;
                                s->start = s->end;
                                return 1;
                        }
                        return 0;
                }
                if (s->start > 0) {
                        memmove(s->buf, s->buf + s->start, s->end - s->start);
                        s->end -= s->start;
                        s->start = 0;
                }
                ssize_t k = read(s->fd, s->buf + s->end, s->cap - s->end);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        s->eof = true;
                s->stats.bytes += (uint64_t) k;
                s->end += (size_t) k;
        }
}

static bool parse_bracket_ts(const char **p, const char *e, int64_t *ret) {
        const char *q = *p;
        if (q >= e || *q != '[')
                return false;
        q++;
        while (q < e && *q == ' ')
                q++;
        int64_t sec = 0, usec = 0;
        int nd = 0;
        while (q < e && *q >= '0' && *q <= '9') {
                sec = sec * 10 + (*q++ - '0');
                nd++;
        }
        if (!nd || q >= e || *q != '.')
                return false;
        q++;
        int nf = 0;
        while (q < e && *q >= '0' && *q <= '9') {
                if (nf < 6)
                        usec = usec * 10 + (*q - '0');
                nf++;
                q++;
        }
        while (nf < 6) {
                usec *= 10;
                nf++;
        }
        if (q >= e || *q != ']')
                return false;
        q++;
        if (q < e && *q == ' ')
                q++;
        *p = q;
        *ret = sec * 1000000 + usec;
        return true;
}

int fsd_source_next(struct fsd_source *s, struct fsd_record *rec) {
        const char *line = NULL;
        size_t len = 0;
        int r = source_read_line(s, &line, &len);
        if (r <= 0)
                return r;
        s->stats.lines++;
        s->line++;
        const char *p = line, *e = line + len;
        if (e > p && e[-1] == '\r')
                e--;
        *rec = (struct fsd_record) {
                .origin = s->origin, .line = s->line, .mono_usec = -1, .wall_usec = -1,
                .priority = -1, .format = FSD_FORMAT_CONSOLE,
        };
        /* syslog: "Mon dd hh:mm:ss host kernel: " */
        if (e - p > 16 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' && p[12] == ':' && p[15] == ' ') {
                const char *h = p + 16, *he = memchr(h, ' ', (size_t) (e - h));
                if (he && (size_t) (he - h) < sizeof s->host) {
                        const char *k = he + 1;
                        if (e - k >= 7 && memcmp(k, "kernel:", 7) == 0) {
                                memcpy(s->host, h, (size_t) (he - h));
                                s->host[he - h] = 0;
                                rec->host = s->host;
                                p = k + 7;
                                if (p < e && *p == ' ')
                                        p++;
                                rec->format = FSD_FORMAT_SYSLOG;
                        }
                }
        }
        if (p < e && *p == '<') {
                const char *q = p + 1;
                int pri = 0;
                while (q < e && *q >= '0' && *q <= '9')
                        pri = pri * 10 + (*q++ - '0');
                if (q < e && *q == '>' && q[1] == '[') {
                        rec->priority = pri & 7;
                        p = q + 1;
                        rec->format = FSD_FORMAT_DMESG_RAW;
                }
        }
        int64_t ts;
        if (parse_bracket_ts(&p, e, &ts)) {
                rec->mono_usec = ts;
                if (rec->format == FSD_FORMAT_CONSOLE)
                        rec->format = FSD_FORMAT_DMESG;
        }
        /* printk caller id: "[  T123] " or "[    C4] " */
        if (e - p >= 4 && *p == '[') {
                const char *q = p + 1;
                while (q < e && *q == ' ')
                        q++;
                if (q < e && (*q == 'T' || *q == 'C')) {
                        char kind = *q++;
                        uint32_t id = 0;
                        int nd = 0;
                        while (q < e && *q >= '0' && *q <= '9') {
                                id = id * 10 + (uint32_t) (*q++ - '0');
                                nd++;
                        }
                        if (nd && q < e && *q == ']') {
                                rec->caller_kind = kind;
                                rec->caller_id = id;
                                p = q + 1;
                                if (p < e && *p == ' ')
                                        p++;
                        }
                }
        }
        /* sanitize control bytes in place via a copy */
        size_t n = (size_t) (e - p);
        bool dirty = false;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) p[i];
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                        dirty = true;
                        break;
                }
        }
        if (dirty) {
                for (size_t i = 0; i < n; i++) {
                        unsigned char c = (unsigned char) p[i];
                        s->linebuf[i] = ((c < 0x20 && c != '\t') || c == 0x7f) ? '?' : (char) c;
                }
                p = s->linebuf;
                s->stats.sanitized++;
        }
        rec->text = p;
        rec->len = n;
        s->format = rec->format;
        s->stats.records++;
        return 1;
}

void fsd_source_get_stats(const struct fsd_source *s, struct fsd_source_stats *ret) {
        *ret = s->stats;
}

enum fsd_log_format fsd_source_format(const struct fsd_source *s) {
        return s->format;
}

void fsd_source_get_progress(const struct fsd_source *s, uint64_t *done, uint64_t *total) {
        *done = s->stats.bytes;
        *total = 0;
}
