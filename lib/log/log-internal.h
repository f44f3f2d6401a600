/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Internals of the kernel log reader, shared by the files in lib/log/ and the unit/fuzz tests.
 *
 * Layers, bottom up:
 *   input.c        bytes: fd, memory, gzip/xz/zstd stream decompression, follow across rotation
 *   line-reader.c  lines: one big buffer, memchr, max_line cut, exact-size reads (export binary)
 *   parse.c        one line -> prefix fields (format, timestamps, host, priority, caller id)
 *   paste.c        pasted logs: quoting, indent, NBSP, lines wrapped by mail (off the fast path)
 *   journal-text.c journalctl -o json / -o export
 *   record.c       every record: hosts kept apart, boots counted per host, text made safe
 * The readers, one per form of log, each behind struct log_reader:
 *   text.c         text read line by line: dmesg, syslog, console, pastes (with paste.c), and
 *                  journalctl's text, json and export output (with journal-text.c)
 *   kmsg.c         /dev/kmsg records
 *   journal.c      journal files through sd-journal
 * And on top:
 *   source.c       the public API: construction, opening a reader, next, stats */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include "fsdoctor.h"

#define LOG_READ_CHUNK (128 * 1024)
#define LOG_DEFAULT_MAX_LINE (64 * 1024)
#define LOG_MIN_MAX_LINE 256
#define LOG_MAX_MAX_LINE (16 * 1024 * 1024)
#define LOG_MAX_HOSTS 1024
#define LOG_HOST_MAX 255
#define LOG_BOOT_ID_MAX 64
#define LOG_FIRST_LINE_MAX 256
/* The monotonic clock going back by more than LOG_BOOT_BACKSTEP_USEC to a stamp below
 * LOG_BOOT_NEAR_ZERO_USEC means the machine rebooted: a new boot counts from zero. Smaller or
 * shallower steps back happen within one boot, when CPUs' printk output interleaves on a console
 * or captures are spliced. */
#define LOG_BOOT_BACKSTEP_USEC (1000 * 1000)
#define LOG_BOOT_NEAR_ZERO_USEC (10 * 1000 * 1000)

enum log_compression { LOG_COMP_NONE, LOG_COMP_GZIP, LOG_COMP_XZ, LOG_COMP_ZSTD };
enum log_input_kind { LOG_INPUT_FD, LOG_INPUT_MEMORY };

struct log_input {
        enum log_input_kind kind;
        int fd;                  /* owned unless it is stdin */
        bool own_fd;
        const uint8_t *mem;      /* LOG_INPUT_MEMORY: borrowed */
        size_t mem_len, mem_pos;
        char *path;              /* for follow: reopen by name */
        bool follow;
        bool regular;
        dev_t dev;
        ino_t ino;
        uint64_t pos;            /* raw offset in the current file (follow truncation check) */
        uint64_t raw_done;       /* raw (compressed) bytes consumed, over all reopenings */
        uint64_t raw_total;      /* file size, 0 unknown */
        bool raw_eof;
        enum log_compression comp;
        uint8_t *cbuf;           /* raw bytes waiting for the decompressor */
        size_t cbuf_len, cbuf_pos;
        void *zs;                /* z_stream / lzma_stream / ZSTD_DStream */
        bool stream_end;         /* the current compressed member/frame ended */
        bool corrupt;
};

struct log_host {
        char name[LOG_HOST_MAX + 1];
        size_t len;
        uint32_t boot;
        uint64_t records_in_boot;
        int64_t last_mono;
        char boot_id[LOG_BOOT_ID_MAX + 1];
};

/* What parse_line() found in front of the message text. Pointers are views into the line. */
struct parsed_line {
        enum fsd_log_format format;
        const char *text;
        size_t len;
        const char *host;        /* not NUL-terminated */
        size_t host_len;
        int64_t mono_usec, wall_usec;
        bool wall_local, wall_no_year;
        int month;               /* year-less stamp (wall_usec -1): 0..11, else -1 */
        unsigned mday;           /* year-less stamp: day of month */
        int64_t tod_usec;        /* year-less stamp: time of day */
        int64_t rel_usec;        /* dmesg -H "[  +0.000065]": time since the previous line, else -1 */
        int priority;
        char caller_kind;
        uint32_t caller_id;
        uint64_t kmsg_seq;
};

enum parse_result {
        PARSE_RECORD,            /* a kernel message */
        PARSE_NOT_KERNEL,        /* a message from another program */
        PARSE_SEPARATOR,         /* journalctl "-- ... --" lines */
        PARSE_BOOT_SEPARATOR,    /* "-- Boot <id> --", "-- Reboot --" */
        PARSE_CONTINUATION,      /* kmsg " KEY=value" dictionary line */
        PARSE_JSON,              /* "{...": hand to the JSON parser */
        PARSE_EXPORT,            /* "__CURSOR=": start of journal export */
        PARSE_UNPREFIXED,        /* nothing recognised: console text */
        PARSE_MALFORMED,         /* started like a known prefix but broke off */
};

/* prev: format of the previous line, to tell kmsg dictionary lines and journal short-monotonic
 * lines of other programs apart. */
enum parse_result parse_line(const char *p, size_t n, enum fsd_log_format prev, struct parsed_line *ret);

/* Wall clock helpers (UTC, proleptic Gregorian). */
int64_t log_days_from_civil(int64_t y, unsigned m, unsigned d);
int64_t log_civil_to_usec(int64_t y, unsigned mon, unsigned d, unsigned h, unsigned mi, unsigned s);
int log_month_from_name(const char *p);

struct fsd_source;

/* One form of kernel log. Each reader has its own open function (their arguments differ: a
 * file, the kmsg device, a journal directory) which sets s->reader after source_new(); after that
 * the source only goes through this table. */
struct log_reader {
        const char *name;
        /* The next record, made with record_emit(). @return 1, 0 at end, negative error. */
        int (*next)(struct fsd_source *s, struct fsd_record *rec);
        /* Releases what open took (NULL: nothing beyond what fsd_source_free() frees). */
        void (*close)(struct fsd_source *s);
        /* A descriptor to poll for new records, or -EBADF (NULL: none). */
        int (*get_fd)(const struct fsd_source *s);
        /* Bytes read and, when known, the total (0 when unknown). NULL: the record bytes so far,
         * no total (records that arrive as they are written). */
        void (*get_progress)(const struct fsd_source *s, uint64_t *ret_done, uint64_t *ret_total);
        /* The feed pump may read it on a second thread (lib/diag/feed.c): a file or memory, not a
         * device or sd-journal whose objects are best kept on the thread that opened them. */
        bool threadable;
};

extern const struct log_reader log_reader_text, log_reader_kmsg, log_reader_journal;

struct fsd_source {
        const struct log_reader *reader;
        char *origin;
        struct log_input in;
        /* line reader */
        char *buf;
        size_t cap, start, end, scanned;
        bool eof;
        bool discarding;         /* the rest of an over-long line is being dropped */
        bool line_dirty;         /* the line being scanned has bytes that need sanitizing */
        bool scan_avx2;          /* line-reader.c: the CPU has AVX2, scan 32 bytes per compare */
        bool last_line_dirty;    /* ... the line just returned (false: plain text, no check needed) */
        size_t max_line;
        /* per-record scratch */
        char *textbuf;           /* sanitized text (max_line + 1) */
        char *msgbuf;            /* decoded JSON/export/journal message (max_line + 1) */
        char *pastebuf;          /* a pasted line with quoting, indent and NBSPs undone (max_line + 1) */
        char *joinbuf;           /* a record with its wrapped continuation lines (max_line + 1) */
        /* pasted logs (paste.c) */
        size_t paste_indent;     /* blanks a paste put before every kernel line, once seen */
        size_t paste_width;      /* the widest kernel line with a possible break (wrap column, paste.c) */
        bool pending;            /* a line read ahead (pending_p/pending_n) or pending_error, not yet handled */
        const char *pending_p;
        size_t pending_n;
        int pending_error;       /* an error met while reading ahead, returned next */
        int64_t human_wall;      /* dmesg -H: wall time of the previous line, -1 none */
        bool human_year_assumed;
        char hostbuf[LOG_HOST_MAX + 1];
        char first_line[LOG_FIRST_LINE_MAX];
        size_t first_line_len;
        char boot_id_buf[LOG_BOOT_ID_MAX + 1];
        /* options and state */
        bool follow;
        int year_base;           /* --year: year of the first year-less record, 0 = infer */
        bool ref_fixed;          /* the caller gave the reference time: ignore the file's mtime */
        int ref_year;            /* the reference time (file mtime, or now), local time */
        int64_t ref_local_usec;
        int year_cur, last_month;
        int day_cache_year, day_cache_month;
        unsigned day_cache_mday;
        int64_t day_cache_usec;
        enum fsd_log_format force_format;
        enum fsd_log_format format;
        bool last_was_kmsg;
        bool seen_hosted, seen_unprefixed;
        bool export_mode;
        bool pending_boot;
        uint64_t line;
        uint64_t kmsg_last_seq;
        bool kmsg_have_seq;
        struct log_host *hosts;
        size_t n_hosts, cap_hosts;
        struct log_host *last_host;
        struct log_host overflow_host;
        struct fsd_source_stats stats;
        /* kind-specific */
        int kmsg_fd;
        int64_t kmsg_wall_offset;
        void *journal;           /* sd_journal */
        char *local_host;
};

/* input.c */
int log_input_open_fd(struct log_input *in, int fd, bool own_fd, const char *path, bool follow);
void log_input_open_memory(struct log_input *in, const void *data, size_t size);
/* Reads up to n decompressed bytes. @return bytes (> 0), 0 at end, or a negative error.
 * In follow mode on a regular file it blocks until data arrives. */
ssize_t log_input_read(struct log_input *in, void *dst, size_t n);
void log_input_close(struct log_input *in);

/* line-reader.c */
int line_reader_init(struct fsd_source *s);
/* @return 1 with a view of the next line (without '\n'), 0 at end, negative error.
 * *ret_cut is true when the line was longer than max_line and has been cut. */
int line_reader_next(struct fsd_source *s, const char **ret_line, size_t *ret_len, bool *ret_cut);
/* Consume exactly n bytes, copying the first cap of them to dst. @return bytes copied or error;
 * -FSD_E_TRUNCATED if the input ends first. */
ssize_t line_reader_take(struct fsd_source *s, uint64_t n, char *dst, size_t cap);

/* journal-text.c: fill rec fields from one JSON line; message decoded into s->msgbuf.
 * @return PARSE_RECORD, PARSE_NOT_KERNEL or PARSE_MALFORMED. */
struct journal_fields {
        const char *msg;
        size_t msg_len;
        const char *host;
        size_t host_len;
        const char *boot_id;
        size_t boot_id_len;
        int64_t realtime, monotonic, source_monotonic;
        int priority;
        bool kernel, have_transport;
};
enum parse_result journal_json_parse(struct fsd_source *s, const char *p, size_t n,
                                     struct journal_fields *ret);
/* Reads one export entry, the first line of which is given. @return 1 (PARSE_* in *ret_kind),
 * 0 at end, negative error. */
int journal_export_next(struct fsd_source *s, const char *first, size_t first_len,
                        struct journal_fields *ret, enum parse_result *ret_kind);
/* A journal timestamp field: decimal microseconds, up to 18 digits. @return it, or -1. */
int64_t journal_parse_usec(const char *p, size_t n);

/* source.c: a source with its options and buffers, no reader yet */
int source_new(const char *origin, const struct fsd_source_opts *opts, struct fsd_source **ret);

/* record.c: every reader hands its records out through record_emit(), which fills origin,
 * host, boot id and boot and makes the text safe (unless known_clean). @return 1. */
int record_emit(struct fsd_source *s, struct fsd_record *rec, const char *text, size_t len, bool known_clean,
                const char *host, size_t host_len, const char *boot_id, size_t boot_id_len);
bool record_text_is_binary(const char *p, size_t n);
/* Copy p to dst with escape sequences removed and other control bytes (C0, DEL, C1) replaced by
 * '?'. @return bytes written (<= n). */
size_t record_sanitize(const char *p, size_t n, char *dst);
#define LOG_ONES UINT64_C(0x0101010101010101)
#define LOG_HIGHS UINT64_C(0x8080808080808080)

static inline uint64_t log_has_less(uint64_t x, unsigned n) {
        return (x - LOG_ONES * n) & ~x & LOG_HIGHS;
}

static inline uint64_t log_has_byte(uint64_t x, unsigned char b) {
        uint64_t y = x ^ (LOG_ONES * b);
        return (y - LOG_ONES) & ~y & LOG_HIGHS;
}

/* Bytes that need a second look: C0 controls, DEL, and 0xC2 (lead byte of the C1 controls,
 * U+0080..U+009F, which some terminals obey). Eight bytes at a time: this runs on every line. */
static inline bool record_text_is_suspicious(const char *p, size_t n) {
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
                uint64_t x;
                memcpy(&x, p + i, 8);
                if (log_has_less(x, 0x20) | log_has_byte(x, 0x7f) | log_has_byte(x, 0xc2))
                        return true;
        }
        for (; i < n; i++) {
                unsigned char c = (unsigned char) p[i];
                if (c < 0x20 || c == 0x7f || c == 0xc2)
                        return true;
        }
        return false;
}


/* text.c: the text reader over an input (a descriptor or memory; the input owns the fd when
 * own_fd). @return 0 or a negative error; on error the caller frees the source. */
int text_reader_open_fd(struct fsd_source *s, int fd, bool own_fd, const char *path);
int text_reader_open_memory(struct fsd_source *s, const void *data, size_t size);
/* The next physical line: the one read ahead (pending) if any, else from the line reader; counts
 * lines and strips '\r'. @return 1, 0 at end, negative error. */
int text_read_line(struct fsd_source *s, const char **ret_line, size_t *ret_len);

/* paste.c: logs pasted into mail, bug trackers and chats.
 * Copy [p, e) to dst turning non-breaking spaces (U+00A0 in UTF-8, or a lone 0xA0 byte from a
 * Latin-1 paste) into spaces; dst may be p itself. @return bytes written. */
size_t paste_copy_without_nbsp(const char *p, const char *e, char *dst);
/*
 * A line that parse_line() found no prefix in: undo mail quoting ("> "), non-breaking spaces and
 * the paste's indent, and parse again. The line (p, n) is updated to the text to use (pastebuf).
 * @return the new parse result; *ret_changed tells whether the text was rewritten. */
enum parse_result paste_reparse(struct fsd_source *s, const char **p, size_t *n, bool dirty, enum fsd_log_format prev,
                                struct parsed_line *pl, bool *ret_changed);
/* The record just made may have been wrapped by a mail client or bug tracker: its line was cut
 * and the rest is on the next line(s), without a prefix. Reads ahead, joins what continues it
 * into joinbuf and leaves the first line that does not as pending. phys/phys_n: the record's
 * whole line. An error while reading ahead is kept in pending_error for the next call. */
void paste_join_wrapped(struct fsd_source *s, struct fsd_record *rec, const char *phys, size_t phys_n);
/* Notes the width of a line of prefix-less text, to tell lines a mail client wrapped from lines
 * that end where the kernel ended them. */
void paste_note_width(struct fsd_source *s, const char *p, size_t n);
/* A prefix-less line shaped like the start of a kernel message: "word:", "word (device x):",
 * "sd 0:0:0:0:" or a known subsystem head. */
bool paste_kernel_like(const char *p, size_t n);
/* Whether the record's line may have been cut by wrapping: cheap, on every record. */
/* A piece ending in a preposition, where no kernel message ends: "WARNING: CPU: 10 PID: 937 at"
 * is the print site's " at %pS" cut by a mail client that would not split the path after it. */
static inline bool paste_ends_in_preposition(const char *p, size_t n) {
        /* " comm": ext4 prints "comm %s: " before the rest of its error message */
        static const char *const tails[] = { " at", " in", " from", " of", " to", " by", " comm" };
        for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
                size_t k = strlen(tails[i]);
                if (n > k && memcmp(p + n - k, tails[i], k) == 0)
                        return true;
        }
        return false;
}

static inline bool paste_maybe_cut(const struct fsd_source *s, const char *phys, size_t n) {
        if (n < 16 || n > 160)
                return false;
        /* nearly every record of a syslog file: the next line, already in the buffer, starts with
         * the same letter (the month); one compare, before the tests below */
        if (s->start < s->end && s->buf[s->start] == phys[0] && (unsigned) ((phys[0] | 0x20) - 'a') < 26)
                return false;
        char last = phys[n - 1];
        if (n < 56 && last != ' ' && last != ':' && last != ',' && last != '(' && last != ']' && last != '?' &&
            !((last == 't' || last == 'n' || last == 'm' || last == 'f' || last == 'o' || last == 'y') &&
              paste_ends_in_preposition(phys, n)))
                return false;
        /* the next line is already in the buffer and starts like this one: its own record */
        if (s->start < s->end) {
                char c = s->buf[s->start];
                /* a digit must match further: "2024-05-04T..." heads every line of a short-iso
                 * file, but "2813074292736 gen 1880 ..." is the rest of a wrapped leaf line */
                if (c == phys[0] && c != '[' && c != ' ' && c != '>' && c != '\t' &&
                    ((unsigned) (c - '0') >= 10 ||
                     (s->end - s->start >= 5 && memcmp(s->buf + s->start, phys, 5) == 0)))
                        return false;
                if (c == '[' && phys[0] == '[' && s->end - s->start > 1) {
                        char d = s->buf[s->start + 1];
                        if (d == ' ' || d == '+' || (d >= '0' && d <= '9'))
                                return false;
                }
                if (c == '\n')
                        return false;
        }
        return true;
}

/* For the fuzzer and unit tests: a source over bytes in memory (compressed or not). The data
 * must outlive the source. */
int log_source_open_memory(const void *data, size_t size, const struct fsd_source_opts *opts,
                           struct fsd_source **ret_source);
