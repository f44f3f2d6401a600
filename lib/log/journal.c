/* SPDX-License-Identifier: GPL-2.0-or-later */
/* systemd journal files through sd-journal: kernel messages only (_TRANSPORT=kernel). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include "log-internal.h"
#include "basic/cleanup.h"
#include "core/diag-log.h"

/* sd_journal_get_data() returns "FIELD=value"; the value as a view. */
static bool journal_field(sd_journal *j, const char *field, const char **ret, size_t *ret_len) {
        const void *d;
        size_t n;
        size_t fl = strlen(field);
        if (sd_journal_get_data(j, field, &d, &n) < 0 || n <= fl || ((const char *) d)[fl] != '=')
                return false;
        *ret = (const char *) d + fl + 1;
        *ret_len = n - fl - 1;
        return true;
}

static void journal_close(struct fsd_source *s) {
        if (s->journal)
                sd_journal_close(s->journal);
        s->journal = NULL;
}

static int journal_next(struct fsd_source *s, struct fsd_record *rec) {
        sd_journal *j = s->journal;
        for (;;) {
                int r = sd_journal_next(j);
                if (r < 0)
                        return r;
                if (r == 0) {
                        if (!s->follow)
                                return 0;
                        r = sd_journal_wait(j, UINT64_MAX);
                        if (r < 0)
                                return r;
                        continue;
                }
                s->line++;
                s->stats.lines++;
                const char *v;
                size_t n;
                struct journal_fields f = { .realtime = -1, .monotonic = -1, .source_monotonic = -1, .priority = -1 };
                if (journal_field(j, "MESSAGE", &v, &n)) {
                        s->stats.bytes += n;
                        if (n > s->max_line) {
                                n = s->max_line;
                                s->stats.truncated++;
                        }
                        memcpy(s->msgbuf, v, n);
                        f.msg = s->msgbuf;
                        f.msg_len = n;
                } else {
                        s->stats.malformed++;
                        continue;
                }
                if (journal_field(j, "_HOSTNAME", &v, &n)) {
                        n = MIN(n, (size_t) LOG_HOST_MAX);
                        memcpy(s->hostbuf, v, n);
                        s->hostbuf[n] = 0;
                        f.host = s->hostbuf;
                        f.host_len = n;
                }
                if (journal_field(j, "PRIORITY", &v, &n) && n == 1 && v[0] >= '0' && v[0] <= '7')
                        f.priority = v[0] - '0';
                if (journal_field(j, "_SOURCE_MONOTONIC_TIMESTAMP", &v, &n))
                        f.source_monotonic = journal_parse_usec(v, n);
                uint64_t usec;
                sd_id128_t boot;
                if (sd_journal_get_monotonic_usec(j, &usec, &boot) >= 0) {
                        f.monotonic = (int64_t) usec;
                        sd_id128_to_string(boot, s->boot_id_buf);
                        f.boot_id = s->boot_id_buf;
                        f.boot_id_len = strlen(s->boot_id_buf);
                }
                if (sd_journal_get_realtime_usec(j, &usec) >= 0)
                        f.realtime = (int64_t) usec;
                *rec = (struct fsd_record) {
                        .line = s->line, .format = FSD_FORMAT_JOURNAL_FILE, .priority = f.priority,
                        .mono_usec = f.source_monotonic >= 0 ? f.source_monotonic : f.monotonic,
                        .wall_usec = f.realtime, .kmsg_seq = -1,
                };
                return record_emit(s, rec, f.msg, f.msg_len, false, f.host, f.host_len, f.boot_id, f.boot_id_len);
        }
}

const struct log_reader log_reader_journal = {
        .name = "journal",
        .next = journal_next,
        .close = journal_close,
        /* no fd: sd-journal's own needs sd_journal_process() after each wakeup */
};

int fsd_source_open_journal(const char *dir, const struct fsd_source_opts *opts, struct fsd_source **ret_source) {
        if (!ret_source)
                return -EINVAL;
        struct fsd_source *s = NULL;
        int r = source_new(dir ? dir : "journal", opts, &s);
        if (r < 0)
                return r;
        s->reader = &log_reader_journal;
        sd_journal *j = NULL;
        r = dir ? sd_journal_open_directory(&j, dir, 0) : sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r < 0) {
                fsd_source_free(s);
                return r;
        }
        s->journal = j;
        /* fields are copied up to max_line; tell sd-journal not to decompress more than that */
        (void) sd_journal_set_data_threshold(j, s->max_line + 16);
        r = sd_journal_add_match(j, "_TRANSPORT=kernel", 0);
        if (r < 0) {
                fsd_source_free(s);
                return r;
        }
        *ret_source = s;
        return 0;
}
