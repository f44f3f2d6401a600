/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The public log source API: a source is made here with its options and buffers, opened by one
 * reader (text.c for files, memory and standard input; kmsg.c; journal.c), and from then on
 * only goes through that reader's struct log_reader: next, fd, progress, close. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "log-internal.h"
#include "basic/cleanup.h"

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
                [FSD_FORMAT_DMESG_HUMAN] = "dmesg-H",
        };
        if ((unsigned) f >= _FSD_FORMAT_MAX)
                return "unknown";
        return names[f];
}

/* ---- construction --------------------------------------------------------------------------- */

/* Year-less stamps are the host's local time: compare them with the reference in local time. */
static void source_set_reference(struct fsd_source *s, time_t t) {
        struct tm tm;
        if (!localtime_r(&t, &tm))
                return;
        s->ref_year = tm.tm_year + 1900;
        s->ref_local_usec = log_civil_to_usec(s->ref_year, (unsigned) tm.tm_mon + 1, (unsigned) tm.tm_mday,
                                              (unsigned) tm.tm_hour, (unsigned) tm.tm_min, (unsigned) tm.tm_sec);
}

int source_new(const char *origin, const struct fsd_source_opts *opts, struct fsd_source **ret) {
        struct fsd_source *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        s->in.fd = -1;
        s->kmsg_fd = -1;
        s->last_month = -1;
        s->human_wall = -1;
        s->format = FSD_FORMAT_UNKNOWN;
        size_t max_line = LOG_DEFAULT_MAX_LINE;
        if (opts && opts->sz >= offsetof(struct fsd_source_opts, max_line) + sizeof opts->max_line && opts->max_line)
                max_line = MIN(MAX(opts->max_line, (size_t) LOG_MIN_MAX_LINE), (size_t) LOG_MAX_MAX_LINE);
        s->max_line = max_line;
        if (opts) {
                s->follow = opts->follow;
                s->year_base = opts->year;
                s->force_format = opts->force_format;
        }
        int64_t ref = opts && opts->sz >= offsetof(struct fsd_source_opts, reference_usec) + sizeof opts->reference_usec ?
                      opts->reference_usec : 0;
        s->ref_fixed = ref > 0;
        source_set_reference(s, ref > 0 ? (time_t) (ref / 1000000) : time(NULL));
        s->origin = strdup(origin);
        s->textbuf = malloc(max_line + 1);
        s->msgbuf = malloc(max_line + 1);
        s->pastebuf = malloc(max_line + 1);
        s->joinbuf = malloc(max_line + 1);
        if (!s->origin || !s->textbuf || !s->msgbuf || !s->pastebuf || !s->joinbuf) {
                fsd_source_free(s);
                return -ENOMEM;
        }
        *ret = s;
        return 0;
}

static void source_use_mtime(struct fsd_source *s, int fd) {
        struct stat st;
        if (!s->ref_fixed && fd >= 0 && fstat(fd, &st) >= 0 && S_ISREG(st.st_mode))
                source_set_reference(s, st.st_mtime);
}

int fsd_source_open_file(const char *path, const struct fsd_source_opts *opts, struct fsd_source **ret_source) {
        if (!path || !ret_source)
                return -EINVAL;
        struct fsd_source *s = NULL;
        int r = source_new(path, opts, &s);
        if (r < 0)
                return r;
        bool is_stdin = strcmp(path, "-") == 0;
        int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
                r = -errno;
                fsd_source_free(s);
                return r;
        }
        source_use_mtime(s, fd);
        r = text_reader_open_fd(s, fd, !is_stdin, is_stdin ? NULL : path);
        if (r < 0) {
                if (s->in.fd < 0 && !is_stdin)
                        close(fd);
                fsd_source_free(s);
                return r;
        }
        *ret_source = s;
        return 0;
}

int log_source_open_memory(const void *data, size_t size, const struct fsd_source_opts *opts,
                           struct fsd_source **ret_source) {
        struct fsd_source *s = NULL;
        int r = source_new("memory", opts, &s);
        if (r < 0)
                return r;
        r = text_reader_open_memory(s, data, size);
        if (r < 0) {
                fsd_source_free(s);
                return r;
        }
        *ret_source = s;
        return 0;
}

struct fsd_source *fsd_source_free(struct fsd_source *s) {
        if (!s)
                return NULL;
        if (s->reader && s->reader->close)
                s->reader->close(s);
        log_input_close(&s->in);
        free(s->origin);
        free(s->buf);
        free(s->textbuf);
        free(s->msgbuf);
        free(s->pastebuf);
        free(s->joinbuf);
        free(s->hosts);
        free(s->local_host);
        free(s);
        return NULL;
}

/* ---- reading -------------------------------------------------------------------------------- */

size_t fsd_source_first_line(const struct fsd_source *s, const char **ret_line) {
        if (!s || !ret_line)
                return 0;
        *ret_line = s->first_line;
        return s->first_line_len;
}

int fsd_source_next(struct fsd_source *s, struct fsd_record *ret_record) {
        if (!s || !ret_record || !s->reader)
                return -EINVAL;
        return s->reader->next(s, ret_record);
}

void fsd_source_get_stats(const struct fsd_source *s, struct fsd_source_stats *ret_stats) {
        if (!ret_stats)
                return;
        if (!s) {
                *ret_stats = (struct fsd_source_stats) {};
                return;
        }
        *ret_stats = s->stats;
}

int fsd_source_get_fd(const struct fsd_source *s) {
        if (!s)
                return -EINVAL;
        return s->reader && s->reader->get_fd ? s->reader->get_fd(s) : -EBADF;
}

enum fsd_log_format fsd_source_format(const struct fsd_source *s) {
        return s ? s->format : FSD_FORMAT_UNKNOWN;
}

void fsd_source_get_progress(const struct fsd_source *s, uint64_t *ret_done, uint64_t *ret_total) {
        uint64_t done = 0, total = 0;
        if (s && s->reader && s->reader->get_progress)
                s->reader->get_progress(s, &done, &total);
        else if (s)
                done = s->stats.bytes;
        if (ret_done)
                *ret_done = done;
        if (ret_total)
                *ret_total = total;
}
