/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text reader: kernel logs read as lines of text, whatever wrote them (dmesg in its forms,
 * syslog and RFC 5424, journalctl's short, json and export output, serial consoles, logs pasted
 * into mail). Each line is classified by parse_line(); journal json and export entries are
 * decoded by journal-text.c, pasted lines repaired by paste.c; every record leaves through
 * record_emit(). */
#include <errno.h>
#include "log-internal.h"
#include "basic/cleanup.h"
#include "basic/span.h"

/* ---- year-less timestamps ------------------------------------------------------------------- */

/* The latest year in which the stamp (month, day, time of day) is not after the reference time
 * (the file's modification time, or now), as journalctl and rsyslog readers do: a log is written
 * before its file's mtime. The stamps are the writing host's local time, the mtime is read in the
 * reader's: 14 hours of slack cover any two zones (a 15-hour slack could put the line of a file
 * written in the evening into the future, the bug this fixes). February 29 only exists in leap
 * years. */
static int latest_year_before(const struct fsd_source *s, const struct parsed_line *pl) {
        int64_t limit = s->ref_local_usec + INT64_C(14) * 3600 * 1000000;
        for (int y = s->ref_year + 1; y > s->ref_year - 8; y--) {
                if (pl->month == 1 && pl->mday == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
                        continue;
                if (log_civil_to_usec(y, (unsigned) pl->month + 1, pl->mday, 0, 0, 0) + pl->tod_usec <= limit)
                        return y;
        }
        return s->ref_year;
}

static void resolve_year(struct fsd_source *s, const struct parsed_line *pl, struct fsd_record *rec) {
        int year;
        if (s->last_month < 0) {
                s->year_cur = s->year_base > 0 ? s->year_base : latest_year_before(s, pl);
                s->last_month = pl->month;
                year = s->year_cur;
        } else if (s->last_month - pl->month >= 6) {
                /* Dec -> Jan */
                s->year_cur++;
                s->last_month = pl->month;
                year = s->year_cur;
        } else if (pl->month - s->last_month >= 6) {
                /* a late line from before the rollover (another host's clock): last year */
                year = s->year_cur - 1;
        } else {
                s->last_month = pl->month;
                year = s->year_cur;
        }
        /* consecutive lines nearly always share the day: remember its start */
        if (year != s->day_cache_year || pl->month != s->day_cache_month || pl->mday != s->day_cache_mday) {
                s->day_cache_year = year;
                s->day_cache_month = pl->month;
                s->day_cache_mday = pl->mday;
                s->day_cache_usec = log_civil_to_usec(year, (unsigned) pl->month + 1, pl->mday, 0, 0, 0);
        }
        rec->wall_usec = s->day_cache_usec + pl->tod_usec;
        rec->wall_no_year = s->year_base <= 0;
}

/* dmesg -H: "[Oct10 03:39]" gives the wall time to the minute (year assumed), each
 * "[  +0.000065]" adds to the line before. Without a first absolute stamp the time is unknown. */
static void human_time(struct fsd_source *s, const struct parsed_line *pl, struct fsd_record *rec) {
        if (pl->rel_usec >= 0) {
                if (s->human_wall < 0)
                        return;
                s->human_wall += pl->rel_usec;
                rec->wall_usec = s->human_wall;
                rec->wall_local = true;
                rec->wall_no_year = s->human_year_assumed;
                return;
        }
        s->human_wall = rec->wall_usec;
        s->human_year_assumed = rec->wall_no_year;
}
/* ---- reading -------------------------------------------------------------------------------- */

static int emit_journal_fields(struct fsd_source *s, struct fsd_record *rec, const struct journal_fields *f,
                               enum fsd_log_format format, uint64_t line) {
        *rec = (struct fsd_record) {
                .line = line, .format = format, .priority = f->priority,
                .mono_usec = f->source_monotonic >= 0 ? f->source_monotonic : f->monotonic,
                .wall_usec = f->realtime, .kmsg_seq = -1,
        };
        /* journal MESSAGE of kernel entries has no timestamp prefix, but imported syslog may */
        return record_emit(s, rec, f->msg, f->msg_len, false, f->host, f->host_len, f->boot_id, f->boot_id_len);
}

/* One line of `journalctl -o export`. @return 1 with *rec filled when it completes a kernel entry,
 * 0 when it completes nothing to return (counted), or a negative error. */
static int next_export_line(struct fsd_source *s, struct fsd_record *rec, const char *p, size_t n) {
        struct journal_fields f;
        enum parse_result kind;
        uint64_t first = s->line;
        int r = journal_export_next(s, p, n, &f, &kind);
        if (r < 0)
                return r;
        if (kind == PARSE_NOT_KERNEL) {
                s->stats.not_kernel++;
                return 0;
        }
        if (kind != PARSE_RECORD) {
                s->stats.malformed++;
                return 0;
        }
        return emit_journal_fields(s, rec, &f, FSD_FORMAT_JOURNAL_EXPORT, first);
}

static void remember_first_line(struct fsd_source *s, const char *p, size_t n) {
        size_t k = 0;
        while (k < n && (p[k] == ' ' || p[k] == '\t'))
                k++;
        if (k == n)
                return;
        s->first_line_len = MIN(n, sizeof s->first_line);
        memcpy(s->first_line, p, s->first_line_len);
}

/* What paste_join_wrapped() read ahead: a line it did not join, or the error it met. */
static int take_read_ahead(struct fsd_source *s, const char **ret_line, size_t *ret_len) {
        s->pending = false;
        if (s->pending_error != 0) {
                int r = s->pending_error;
                s->pending_error = 0;
                return r;
        }
        /* already counted; the reader has not moved */
        *ret_line = s->pending_p;
        *ret_len = s->pending_n;
        return 1;
}

/* On every line: inlined into the record loop, one flag tested for the read-ahead. */
static inline __attribute__((always_inline)) int read_line(struct fsd_source *s, const char **ret_line,
                                                           size_t *ret_len) {
        if (__builtin_expect(s->pending, 0))
                return take_read_ahead(s, ret_line, ret_len);
        const char *p;
        size_t n;
        bool cut;
        int r = line_reader_next(s, &p, &n, &cut);
        if (r <= 0)
                return r;
        s->line++;
        s->stats.lines++;
        if (cut)
                s->stats.truncated++;
        if (n > 0 && p[n - 1] == '\r')
                n--;
        if (__builtin_expect(s->first_line_len == 0, 0))
                remember_first_line(s, p, n);
        *ret_line = p;
        *ret_len = n;
        return 1;
}

int text_read_line(struct fsd_source *s, const char **ret_line, size_t *ret_len) {
        return read_line(s, ret_line, ret_len);
}

/* journalctl -o json-pretty: "{" alone on a line, one field per line, "}" alone. The object's
 * lines are joined into joinbuf and read as one json line; one longer than --max-line is cut and
 * then fails to parse (counted malformed). @return 1 and the object in *p, *n; 0 when the input
 * ends inside the object; a negative errno from the read. */
static int read_pretty_json(struct fsd_source *s, const char **p, size_t *n) {
        char *dst = s->joinbuf;
        size_t len = 0;
        dst[len++] = '{';
        for (;;) {
                const char *l = NULL;
                size_t ln = 0;
                int r = read_line(s, &l, &ln);
                if (r <= 0)
                        return r;
                while (ln > 0 && ascii_is_blank(*l)) {
                        l++;
                        ln--;
                }
                size_t room = s->max_line - len;
                size_t k = MIN(ln, room);
                memcpy(dst + len, l, k);
                len += k;
                if (ln == 1 && l[0] == '}')
                        break;
                if (len < s->max_line)
                        dst[len++] = ' ';
        }
        *p = dst;
        *n = len;
        return 1;
}

static int text_next(struct fsd_source *s, struct fsd_record *rec) {
        for (;;) {
                const char *p = NULL;
                size_t n = 0;
                int r = read_line(s, &p, &n);
                if (r < 0)
                        return r;
                if (r == 0) {
                        if (s->in.corrupt) {
                                s->in.corrupt = false;
                                return -FSD_E_CORRUPT;
                        }
                        return 0;
                }
                const char *phys = p;
                size_t phys_n = n;

                if (s->export_mode) {
                        if (n == 0)
                                continue;
                        r = next_export_line(s, rec, p, n);
                        if (r != 0)
                                return r;
                        continue;
                }

                /* journalctl -o json-seq puts RS (0x1e) before each object, json-sse "data: " */
                if (__builtin_expect(n > 1 && (p[0] == 0x1e || p[0] == 'd'), 0)) {
                        if (p[0] == 0x1e && p[1] == '{') {
                                p++;
                                n--;
                        } else if (n > 7 && memcmp(p, "data: {", 7) == 0) {
                                p += 6;
                                n -= 6;
                        }
                }
                /* journalctl -o json-pretty spreads an object over lines */
                if (__builtin_expect(n == 1 && p[0] == '{', 0)) {
                        r = read_pretty_json(s, &p, &n);
                        if (r < 0)
                                return r;
                        if (r == 0) {
                                s->stats.malformed++;
                                return 0;
                        }
                }
                /* syslog files padded with NULs after an unclean shutdown: drop the padding */
                if (n > 0 && p[0] == 0) {
                        size_t k = 0;
                        while (k < n && p[k] == 0)
                                k++;
                        p += k;
                        n -= k;
                        s->stats.sanitized++;
                        if (n == 0)
                                continue;
                }
                /* a paste's non-breaking spaces, wherever they are (after a dmesg stamp they hide
                 * a call trace's indent): spaces before the line is parsed */
                if (__builtin_expect(s->last_line_dirty, 0) && memchr(p, 0xa0, n)) {
                        n = paste_copy_without_nbsp(p, p + n, s->pastebuf);
                        p = s->pastebuf;
                }
                bool dirty = s->last_line_dirty && record_text_is_suspicious(p, n);
                if (dirty && record_text_is_binary(p, n)) {
                        s->stats.binary++;
                        continue;
                }

                struct parsed_line pl;
                enum parse_result res;
                if (s->force_format == FSD_FORMAT_CONSOLE) {
                        res = parse_line(p, 0, FSD_FORMAT_UNKNOWN, &pl);
                        pl.text = p;
                        pl.len = n;
                } else {
                        res = parse_line(p, n, s->last_was_kmsg ? FSD_FORMAT_KMSG : s->format, &pl);
                        if (__builtin_expect(res == PARSE_UNPREFIXED || res == PARSE_MALFORMED, 0)) {
                                bool changed;
                                /* non-ASCII at all, not only control bytes: a lone 0xA0 is neither */
                                enum parse_result again = paste_reparse(s, &p, &n, s->last_line_dirty,
                                                                        s->last_was_kmsg ? FSD_FORMAT_KMSG : s->format,
                                                                        &pl, &changed);
                                if (changed) {
                                        res = again;
                                        dirty = true; /* checked again when emitted */
                                }
                        }
                }

                switch (res) {
                case PARSE_NOT_KERNEL:
                        s->stats.not_kernel++;
                        s->seen_hosted = true;
                        s->last_was_kmsg = false;
                        continue;
                case PARSE_SEPARATOR:
                        continue;
                case PARSE_BOOT_SEPARATOR:
                        s->pending_boot = true;
                        continue;
                case PARSE_CONTINUATION:
                        /* kmsg dictionary (" SUBSYSTEM=...", " DEVICE=..."): metadata, not text */
                        continue;
                case PARSE_MALFORMED:
                        s->stats.malformed++;
                        continue;
                case PARSE_JSON: {
                        struct journal_fields f;
                        enum parse_result jr = journal_json_parse(s, p, n, &f);
                        if (jr == PARSE_NOT_KERNEL) {
                                s->stats.not_kernel++;
                                continue;
                        }
                        if (jr != PARSE_RECORD) {
                                s->stats.malformed++;
                                continue;
                        }
                        s->last_was_kmsg = false;
                        return emit_journal_fields(s, rec, &f, FSD_FORMAT_JOURNAL_JSON, s->line);
                }
                case PARSE_EXPORT: {
                        s->export_mode = true;
                        r = next_export_line(s, rec, p, n);
                        if (r != 0)
                                return r;
                        continue;
                }
                case PARSE_UNPREFIXED:
                        /* in a syslog file, a line without the prefix is not the kernel's */
                        if (s->seen_hosted && !s->seen_unprefixed) {
                                s->stats.not_kernel++;
                                continue;
                        }
                        s->stats.unprefixed++;
                        /* the width of the kernel's lines, not of prose around them */
                        if (paste_kernel_like(pl.text, pl.len)) {
                                s->stats.kernel_like++;
                                paste_note_width(s, phys, phys_n);
                        }
                        break;
                case PARSE_RECORD:
                        break;
                }

                if (pl.host)
                        s->seen_hosted = true;
                else if (res == PARSE_UNPREFIXED || pl.format == FSD_FORMAT_DMESG || pl.format == FSD_FORMAT_DMESG_T ||
                         pl.format == FSD_FORMAT_DMESG_RAW)
                        s->seen_unprefixed = true;
                s->last_was_kmsg = pl.format == FSD_FORMAT_KMSG;
                if (pl.format == FSD_FORMAT_KMSG) {
                        if (s->kmsg_have_seq && pl.kmsg_seq > s->kmsg_last_seq + 1 && pl.kmsg_seq - s->kmsg_last_seq < 1000000)
                                s->stats.lost += pl.kmsg_seq - s->kmsg_last_seq - 1;
                        s->kmsg_last_seq = pl.kmsg_seq;
                        s->kmsg_have_seq = true;
                }
                /* field by field: a compound literal compiles to "rep stos", slow to start, and
                 * record_emit() sets the other fields */
                rec->line = s->line;
                rec->mono_usec = pl.mono_usec;
                rec->wall_usec = pl.wall_usec;
                rec->wall_local = pl.wall_local;
                rec->wall_no_year = false;
                rec->priority = pl.priority;
                rec->caller_kind = pl.caller_kind;
                rec->caller_id = pl.caller_id;
                rec->format = pl.format;
                rec->kmsg_seq = pl.format == FSD_FORMAT_KMSG ? (int64_t) pl.kmsg_seq : -1;
                if (pl.month >= 0)
                        resolve_year(s, &pl, rec);
                if (__builtin_expect(pl.format == FSD_FORMAT_DMESG_HUMAN, 0))
                        human_time(s, &pl, rec);
                /* blanks at the end of a line are a paste's or an editor's, never the kernel's
                 * (format=flowed keeps one at every soft break) */
                while (__builtin_expect(pl.len > 0 && ascii_is_blank(pl.text[pl.len - 1]), 0))
                        pl.len--;
                /* the widest prefixed line: where a mail client wrapped the paste, if it did */
                if (res == PARSE_RECORD && phys_n > s->paste_width)
                        s->paste_width = phys_n;
                r = record_emit(s, rec, pl.text, pl.len, !dirty, pl.host, pl.host_len, NULL, 0);
                if (__builtin_expect(pl.format != FSD_FORMAT_KMSG && paste_maybe_cut(s, phys, phys_n), 0))
                        paste_join_wrapped(s, rec, phys, phys_n);
                return r;
        }
}

/* ---- the reader ----------------------------------------------------------------------------- */

static int text_get_fd(const struct fsd_source *s) {
        if (s->in.kind != LOG_INPUT_FD || s->in.fd < 0)
                return -EBADF;
        return s->in.fd;
}

static void text_get_progress(const struct fsd_source *s, uint64_t *ret_done, uint64_t *ret_total) {
        *ret_done = s->in.kind == LOG_INPUT_MEMORY ? s->in.mem_pos : s->in.raw_done;
        *ret_total = s->in.raw_total;
}

const struct log_reader log_reader_text = {
        .name = "text",
        .next = text_next,
        .get_fd = text_get_fd,
        .get_progress = text_get_progress,
        .threadable = true,
};

int text_reader_open_fd(struct fsd_source *s, int fd, bool own_fd, const char *path) {
        s->reader = &log_reader_text;
        int r = log_input_open_fd(&s->in, fd, own_fd, path, s->follow);
        if (r < 0)
                return r;
        return line_reader_init(s);
}

int text_reader_open_memory(struct fsd_source *s, const void *data, size_t size) {
        s->reader = &log_reader_text;
        log_input_open_memory(&s->in, data, size);
        return line_reader_init(s);
}
