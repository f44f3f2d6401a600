/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The public log source API: open, next, stats. Lines from the line reader are classified by
 * parse_line(), journal forms are decoded by journal-text.c, and every record passes through
 * source_emit(): hosts kept apart, boots counted per host, text made safe for a terminal. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "log-internal.h"
#include "basic/cleanup.h"
#include "basic/span.h"
#include "basic/utf8.h"
#include "core/diag-log.h"

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

/* ---- text safety ---------------------------------------------------------------------------- */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static inline uint64_t has_less(uint64_t x, unsigned n) {
        return (x - ONES * n) & ~x & HIGHS;
}

static inline uint64_t has_byte(uint64_t x, unsigned char b) {
        uint64_t y = x ^ (ONES * b);
        return (y - ONES) & ~y & HIGHS;
}

/* Bytes that need a second look: C0 controls, DEL, and 0xC2 (lead byte of the C1 controls,
 * U+0080..U+009F, which some terminals obey). Eight bytes at a time: this runs on every line. */
static bool text_is_suspicious(const char *p, size_t n) {
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
                uint64_t x;
                memcpy(&x, p + i, 8);
                if (has_less(x, 0x20) | has_byte(x, 0x7f) | has_byte(x, 0xc2))
                        return true;
        }
        for (; i < n; i++) {
                unsigned char c = (unsigned char) p[i];
                if (c < 0x20 || c == 0x7f || c == 0xc2)
                        return true;
        }
        return false;
}

/* Mostly not text: a run of NULs, or more than a quarter control bytes and invalid UTF-8. */
bool source_text_is_binary(const char *p, size_t n) {
        size_t nul = 0, odd = 0;
        for (size_t i = 0; i < n;) {
                unsigned char c = (unsigned char) p[i];
                if (c == 0) {
                        nul++;
                        odd++;
                        i++;
                } else if (c < 0x80) {
                        if ((c < 0x20 && c != '\t' && c != 0x1b) || c == 0x7f)
                                odd++;
                        i++;
                } else {
                        size_t k = utf8_valid_len(p + i, n - i);
                        if (k == 0) {
                                odd++;
                                k = 1;
                        }
                        i += k;
                }
        }
        return nul >= 2 || odd * 4 > n;
}

/* Copy p to dst with escape sequences removed and other control bytes replaced by '?'.
 * @return bytes written (<= n). */
size_t source_sanitize(const char *p, size_t n, char *dst) {
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) p[i];
                if (c == 0x1b) {
                        if (i + 1 < n && p[i + 1] == '[') {
                                /* CSI: parameters up to a final byte 0x40..0x7e */
                                i += 2;
                                while (i < n && !((unsigned char) p[i] >= 0x40 && (unsigned char) p[i] <= 0x7e))
                                        i++;
                        } else if (i + 1 < n && p[i + 1] == ']') {
                                /* OSC: up to BEL or ESC \ */
                                i += 2;
                                while (i < n && p[i] != 0x07 && !(p[i] == 0x1b && i + 1 < n && p[i + 1] == '\\'))
                                        i++;
                                if (i < n && p[i] == 0x1b)
                                        i++;
                        } else
                                i++; /* two-byte escape */
                        continue;
                }
                if (c == '\t')
                        dst[o++] = '\t';
                else if (c < 0x20 || c == 0x7f)
                        dst[o++] = '?';
                else if (c == 0xc2 && i + 1 < n && (unsigned char) p[i + 1] >= 0x80 && (unsigned char) p[i + 1] <= 0x9f) {
                        dst[o++] = '?';
                        i++;
                } else
                        dst[o++] = (char) c;
        }
        return o;
}

/* ---- hosts and boots ------------------------------------------------------------------------ */

/* Host names are a dozen bytes: compared inline, eight at a time, not through a memcmp() call
 * on every record of a central syslog file where the host changes from line to line. */
static inline bool host_name_eq(const char *a, const char *b, size_t len) {
        uint64_t x, y;
        if (len < 8) {
                for (size_t i = 0; i < len; i++)
                        if (a[i] != b[i])
                                return false;
                return true;
        }
        size_t i = 0;
        for (; i + 8 <= len; i += 8) {
                memcpy(&x, a + i, 8);
                memcpy(&y, b + i, 8);
                if (x != y)
                        return false;
        }
        /* the last bytes as one word that overlaps the ones compared: no loop per byte */
        memcpy(&x, a + len - 8, 8);
        memcpy(&y, b + len - 8, 8);
        return x == y;
}

static struct log_host *host_lookup(struct fsd_source *s, const char *name, size_t len) {
        if (s->last_host && s->last_host->len == len && host_name_eq(s->last_host->name, name, len))
                return s->last_host;
        for (size_t i = 0; i < s->n_hosts; i++)
                if (s->hosts[i].len == len && host_name_eq(s->hosts[i].name, name, len))
                        return s->last_host = &s->hosts[i];
        struct log_host *h;
        if (s->n_hosts == s->cap_hosts && s->cap_hosts < LOG_MAX_HOSTS) {
                /* most logs name one host: grow the table only when more appear */
                size_t cap = s->cap_hosts ? MIN(s->cap_hosts * 4, (size_t) LOG_MAX_HOSTS) : 4;
                struct log_host *n = realloc(s->hosts, cap * sizeof *n);
                if (n) {
                        s->hosts = n;
                        s->cap_hosts = cap;
                }
        }
        if (s->n_hosts < s->cap_hosts)
                h = &s->hosts[s->n_hosts++];
        else {
                /* beyond the limit all further hosts share one boot counter */
                h = &s->overflow_host;
                if (h->len != len || memcmp(h->name, name, len) != 0) {
                        memcpy(h->name, name, len);
                        h->name[len] = 0;
                        h->len = len;
                }
                return s->last_host = h;
        }
        *h = (struct log_host) { .len = len, .last_mono = -1 };
        memcpy(h->name, name, len);
        h->name[len] = 0;
        return s->last_host = h;
}

int source_emit(struct fsd_source *s, struct fsd_record *rec, const char *text, size_t len, bool known_clean,
                const char *host, size_t host_len, const char *boot_id, size_t boot_id_len) {
        if (host_len > LOG_HOST_MAX)
                host_len = LOG_HOST_MAX;
        struct log_host *h = host_lookup(s, host ? host : "", host ? host_len : 0);

        bool new_boot = s->pending_boot;
        s->pending_boot = false;
        if (boot_id && boot_id_len > 0) {
                if (boot_id_len > LOG_BOOT_ID_MAX)
                        boot_id_len = LOG_BOOT_ID_MAX;
                if (h->boot_id[0] && (strlen(h->boot_id) != boot_id_len || memcmp(h->boot_id, boot_id, boot_id_len) != 0))
                        new_boot = true;
                memcpy(h->boot_id, boot_id, boot_id_len);
                h->boot_id[boot_id_len] = 0;
        }
        if (SCAN_STARTS(text, text + len, "Linux version "))
                new_boot = true;
        if (rec->mono_usec >= 0 && h->last_mono >= 0 && rec->mono_usec + LOG_BOOT_BACKSTEP_USEC < h->last_mono &&
            rec->mono_usec < LOG_BOOT_NEAR_ZERO_USEC)
                new_boot = true;
        if (new_boot) {
                if (h->records_in_boot > 0)
                        h->boot++;
                h->records_in_boot = 0;
                h->last_mono = -1;
        }
        h->records_in_boot++;
        if (rec->mono_usec >= 0)
                h->last_mono = rec->mono_usec;

        if (len > s->max_line)
                len = s->max_line;
        if (!known_clean && text_is_suspicious(text, len)) {
                size_t k = source_sanitize(text, len, s->textbuf);
                if (k != len || memcmp(text, s->textbuf, len) != 0)
                        s->stats.sanitized++;
                text = s->textbuf;
                len = k;
        }
        rec->text = text;
        rec->len = len;
        rec->origin = s->origin;
        rec->host = h->len > 0 ? h->name : NULL;
        rec->boot_id = h->boot_id[0] ? h->boot_id : NULL;
        rec->boot = h->boot;
        s->format = rec->format;
        s->stats.records++;
        return 1;
}

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
        r = log_input_open_fd(&s->in, fd, !is_stdin, is_stdin ? NULL : path, s->follow);
        if (r >= 0)
                r = line_reader_init(s);
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
        log_input_open_memory(&s->in, data, size);
        r = line_reader_init(s);
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
        log_input_close(&s->in);
        journal_close(s);
        if (s->kmsg_fd >= 0)
                close(s->kmsg_fd);
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

static int emit_journal_fields(struct fsd_source *s, struct fsd_record *rec, const struct journal_fields *f,
                               enum fsd_log_format format, uint64_t line) {
        *rec = (struct fsd_record) {
                .line = line, .format = format, .priority = f->priority,
                .mono_usec = f->source_monotonic >= 0 ? f->source_monotonic : f->monotonic,
                .wall_usec = f->realtime, .kmsg_seq = -1,
        };
        /* journal MESSAGE of kernel entries has no timestamp prefix, but imported syslog may */
        return source_emit(s, rec, f->msg, f->msg_len, false, f->host, f->host_len, f->boot_id, f->boot_id_len);
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

size_t fsd_source_first_line(const struct fsd_source *s, const char **ret_line) {
        if (!s || !ret_line)
                return 0;
        *ret_line = s->first_line;
        return s->first_line_len;
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

int source_read_line(struct fsd_source *s, const char **ret_line, size_t *ret_len) {
        return read_line(s, ret_line, ret_len);
}

static int next_from_lines(struct fsd_source *s, struct fsd_record *rec) {
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
                bool dirty = s->last_line_dirty && text_is_suspicious(p, n);
                if (dirty && source_text_is_binary(p, n)) {
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
                        if (paste_kernel_like(pl.text, pl.len))
                                s->stats.kernel_like++;
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
                 * source_emit() sets the other fields */
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
                r = source_emit(s, rec, pl.text, pl.len, !dirty, pl.host, pl.host_len, NULL, 0);
                if (__builtin_expect(pl.format != FSD_FORMAT_KMSG && paste_maybe_cut(s, phys, phys_n), 0))
                        paste_join_wrapped(s, rec, phys, phys_n);
                return r;
        }
}

int fsd_source_next(struct fsd_source *s, struct fsd_record *ret_record) {
        if (!s || !ret_record)
                return -EINVAL;
        if (s->journal)
                return journal_next(s, ret_record);
        if (s->kmsg_fd >= 0)
                return kmsg_next(s, ret_record);
        return next_from_lines(s, ret_record);
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
        if (s->kmsg_fd >= 0)
                return s->kmsg_fd;
        if (s->journal || s->in.kind != LOG_INPUT_FD || s->in.fd < 0)
                return -EBADF;
        return s->in.fd;
}

enum fsd_log_format fsd_source_format(const struct fsd_source *s) {
        return s ? s->format : FSD_FORMAT_UNKNOWN;
}

void fsd_source_get_progress(const struct fsd_source *s, uint64_t *ret_done, uint64_t *ret_total) {
        uint64_t done = 0, total = 0;
        if (s) {
                done = s->in.kind == LOG_INPUT_MEMORY ? s->in.mem_pos : s->in.raw_done;
                total = s->in.raw_total;
                if (s->journal || s->kmsg_fd >= 0)
                        done = s->stats.bytes;
        }
        if (ret_done)
                *ret_done = done;
        if (ret_total)
                *ret_total = total;
}
