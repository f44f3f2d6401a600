/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FSDOCTOR_H
#define FSDOCTOR_H

/*
 * libfsdoctor: why did this filesystem go read-only?
 *
 * Object model
 *   fsd_source          one kernel log (file, stdin, /dev/kmsg, journal) -> fsd_record stream
 *   fsd_report_parser   fsd_record stream -> fsd_report (oops, WARNING, BUG, panic, ...)
 *   fsd_analyzer        fsd_record stream -> reports, filesystem/block events, incidents with a
 *                       diagnosis from the knowledge base (fsd_kb)
 *   fsd_btrfs_*         btrfs space model, online (ioctl) or offline (on-disk format)
 *
 * Conventions
 *   - Fallible calls return int: >= 0 success, a negative errno or a negative FSD_E_* code on
 *     failure; fsd_strerror() names both.
 *   - Constructors return 0 and store the object in *ret_x; fsd_x_free() accepts NULL and
 *     returns NULL.
 *   - Structs handed to callbacks are borrowed: valid only during the callback unless stated.
 *   - The library never prints. Diagnostics go to the function set with fsd_set_log_fn().
 *   - Objects are not thread-safe; use one per thread.
 *   - Options structs start with size_t sz; initialise them with FSD_OPTS().
 *   - "Since 0.x" names the release that added a function; every function below is in the
 *     symbol version node FSDOCTOR_0.1 of libfsdoctor.so.0 unless it says otherwise.
 *   - Stability: structs the library hands out grow only at their end ("appended in 0.x").
 *     Parts marked EXPERIMENTAL may still change incompatibly in a 0.x release (with a soname
 *     bump); build against them only if you can follow such changes.
 *
 * Building: pkg-config --cflags --libs libfsdoctor (examples/embed.c is a complete program).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FSD_API __attribute__((visibility("default")))

#define FSD_VERSION_MAJOR 0
#define FSD_VERSION_MINOR 1
#define FSD_VERSION_PATCH 0
#define FSD_VERSION_NUMBER (FSD_VERSION_MAJOR * 10000 + FSD_VERSION_MINOR * 100 + FSD_VERSION_PATCH)

/* The library's version as FSD_VERSION_NUMBER computes it (major * 10000 + minor * 100 + patch)
 * for the library actually loaded, which may be newer than the header compiled against. Since 0.1 */
FSD_API unsigned fsd_version_number(void);
/* The library's version as text ("0.1.0"); static storage, never NULL. Since 0.1 */
FSD_API const char *fsd_version_string(void);

#define FSD_OPTS(type, name, ...) \
        struct type name = { .sz = sizeof(struct type), __VA_ARGS__ }

/* ======================================================================
 * Errors and logging
 * ====================================================================== */

/* Codes errno cannot express. Values are pinned: never renumber. */
enum fsd_error {
        FSD_E_BASE = 4000,
        FSD_E_FORMAT = 4001,      /* input is not in any format we read */
        FSD_E_RULE = 4002,        /* a knowledge-base rule file is invalid */
        FSD_E_CORRUPT = 4003,     /* an on-disk structure is inconsistent */
        FSD_E_TRUNCATED = 4004,   /* input ends inside a structure */
        FSD_E_CSUM = 4005,        /* checksum mismatch */
        FSD_E_UNSUPPORTED = 4006, /* valid, but a feature we do not read */
        FSD_E_LIMIT = 4007,       /* input exceeds a hard resource limit */
        FSD_E_NOT_BTRFS = 4008,   /* no btrfs magic where one must be */
        _FSD_E_MAX,
};

/* Text for a negative errno or a negative FSD_E_* code (the sign is ignored). Never NULL; static
 * storage, English. Since 0.1 */
FSD_API const char *fsd_strerror(int err);

/* The kernel's symbolic name of an errno number as Linux numbers it, either sign: -5 and 5 give
 * "EIO", -117 "EUCLEAN", -524 "ENOTSUPP" (kernel-internal codes 512 and up included). The table is
 * the kernel's (asm-generic), not the host libc's, so a log from another machine decodes the same
 * everywhere. NULL for a number Linux does not define. Static storage. Since 0.2 */
FSD_API const char *fsd_errno_name(int err);
/* What that errno means, in English (zh false) or Simplified Chinese (zh true): "input/output
 * error" for -5. NULL for a number Linux does not define. Static storage. Since 0.2 */
FSD_API const char *fsd_errno_meaning(int err, bool zh);

enum fsd_log_level { FSD_LOG_ERR = 3, FSD_LOG_WARNING = 4, FSD_LOG_INFO = 6, FSD_LOG_DEBUG = 7 };
typedef void (*fsd_log_fn)(int level, const char *msg, void *userdata);
/* Route the library's diagnostics (one message per call, no trailing newline, level as above) to
 * fn. Process-wide and not synchronised: set it once before any other thread uses the library.
 * fn NULL restores the default, which discards every message. Since 0.1 */
FSD_API void fsd_set_log_fn(fsd_log_fn fn, void *userdata);

/* ======================================================================
 * Log sources: any kernel log -> one stream of normalized records
 * ====================================================================== */

enum fsd_log_format {
        FSD_FORMAT_UNKNOWN = 0,
        FSD_FORMAT_DMESG,            /* [   12.345678] text */
        FSD_FORMAT_DMESG_T,          /* [Tue Dec  8 15:25:17 2020] text */
        FSD_FORMAT_DMESG_RAW,        /* <4>[   12.345678] text */
        FSD_FORMAT_KMSG,             /* 6,1234,5678,-;text (+ " KEY=value" continuation lines) */
        FSD_FORMAT_SYSLOG,           /* RFC 3164: Dec  8 15:25:17 host kernel: ... */
        FSD_FORMAT_RFC5424,          /* <14>1 2020-12-08T15:25:17.000+08:00 host kernel - - - ... */
        FSD_FORMAT_JOURNAL_SHORT,    /* journalctl -o short (same shape as syslog) */
        FSD_FORMAT_JOURNAL_ISO,      /* journalctl -o short-iso / short-iso-precise */
        FSD_FORMAT_JOURNAL_PRECISE,  /* journalctl -o short-precise */
        FSD_FORMAT_JOURNAL_MONOTONIC,/* journalctl -o short-monotonic */
        FSD_FORMAT_JOURNAL_JSON,     /* journalctl -o json */
        FSD_FORMAT_JOURNAL_EXPORT,   /* journalctl -o export */
        FSD_FORMAT_JOURNAL_FILE,     /* systemd journal files via sd-journal */
        FSD_FORMAT_CONSOLE,          /* serial console, kdump vmcore-dmesg.txt: no prefix at all */
        FSD_FORMAT_DMESG_HUMAN,      /* since 0.2: dmesg -H: [Oct10 03:39] text, [  +0.000065] text */
        _FSD_FORMAT_MAX,
};

/* Stable lowercase name ("dmesg", "syslog", ...); "unknown" for out-of-range values. Static
 * storage. Since 0.1 */
FSD_API const char *fsd_log_format_name(enum fsd_log_format f);

/* One kernel message. All pointers are borrowed from the source and stay valid only until the
 * next fsd_source_next() call on the same source. */
struct fsd_record {
        const char *text;        /* message text, sanitized (no control bytes), not NUL-terminated */
        size_t len;
        const char *origin;      /* input name: a path, "-" for stdin, "/dev/kmsg", "journal" */
        const char *host;        /* host name when the log carries one, else NULL; NUL-terminated */
        const char *boot_id;     /* journal boot id when known, else NULL */
        uint64_t line;           /* 1-based line number in the (decompressed) input */
        int64_t mono_usec;       /* kernel timestamp since boot, -1 when unknown */
        int64_t wall_usec;       /* wall clock, microseconds since the epoch (UTC), -1 unknown */
        bool wall_local;         /* wall clock was printed without a zone: treated as UTC */
        bool wall_no_year;       /* year was not printed and has been inferred (not given as opts.year) */
        uint32_t boot;           /* boot index within this source's host, 0 = first seen */
        int priority;            /* 0..7, -1 unknown */
        char caller_kind;        /* 'T' (thread) or 'C' (CPU) printk caller id, 0 none */
        uint32_t caller_id;
        enum fsd_log_format format;
        /* appended in 0.1 (watch) */
        int64_t kmsg_seq;        /* the kernel's record sequence number (/dev/kmsg records read
                                  * from the device or as text), -1 when the format has none */
};

struct fsd_source_stats {
        uint64_t bytes;          /* bytes read (after decompression) */
        uint64_t lines;          /* input lines */
        uint64_t records;        /* records returned */
        uint64_t not_kernel;     /* lines skipped because they are not kernel messages */
        uint64_t binary;         /* lines skipped as binary garbage */
        uint64_t truncated;      /* lines longer than max_line, cut */
        uint64_t sanitized;      /* lines in which control or invalid bytes were replaced */
        uint64_t malformed;      /* lines that looked like a format but did not parse */
        uint64_t lost;           /* kernel records overwritten before they were read (kmsg sequence gaps, EPIPE) */
        /* since 0.2 */
        uint64_t unprefixed;     /* records without any known prefix (console text): of records, only
                                  * records - unprefixed are known to be kernel messages */
        uint64_t joined;         /* lines wrapped by a mail client or tracker, joined to the line before */
        uint64_t kernel_like;    /* unprefixed records shaped like a kernel message ("subsystem: ...",
                                  * "sd 0:0:0:0: ...", "BTRFS info (device x): ...") */
};

struct fsd_source_opts {
        size_t sz;
        bool follow;             /* keep reading as the file grows, across rotation */
        size_t max_line;         /* longest line kept, bytes; 0 = default (64 KiB) */
        int year;                /* year for logs that print none; 0 = infer from file mtime */
        enum fsd_log_format force_format; /* 0 = autodetect */
        /* Since 0.2: when the log was complete, microseconds since the epoch; year-less stamps get
         * the latest year that does not put them after it. 0 = the file's modification time, or
         * now for pipes. */
        int64_t reference_usec;
};

struct fsd_source;

/* Open a log file ("-" = stdin). gzip, xz and zstd are detected by magic number; the format of
 * each line is detected unless opts->force_format says it. opts may be NULL (defaults).
 * @return 0 and a source in *ret_source (free with fsd_source_free()), -EINVAL for a NULL
 * argument, the negative errno of open(2) or read(2), or -FSD_E_FORMAT / -FSD_E_CORRUPT for a
 * compressed stream that cannot be decoded. Since 0.1 */
FSD_API int fsd_source_open_file(const char *path, const struct fsd_source_opts *opts,
                                 struct fsd_source **ret_source);
/* The running system's kernel ring buffer (/dev/kmsg), read without blocking unless
 * opts->follow. Records the kernel overwrote before they were read are counted in
 * fsd_source_stats.lost. @return 0 and the source, or a negative errno (-EPERM/-EACCES when
 * dmesg is restricted, -ENOENT without /dev/kmsg). Since 0.1 */
FSD_API int fsd_source_open_kmsg(const struct fsd_source_opts *opts, struct fsd_source **ret_source);
/* systemd journal files through sd-journal, kernel messages (_TRANSPORT=kernel) only. dir NULL
 * = the system journal, else a directory of journal files. @return 0 and the source, or the
 * negative errno sd-journal reports. Since 0.1 */
FSD_API int fsd_source_open_journal(const char *dir, const struct fsd_source_opts *opts,
                                    struct fsd_source **ret_source);
/* The next kernel message. Lines that are not kernel messages or are binary are skipped and
 * counted in the stats; over-long lines are cut at max_line. The record's pointers are borrowed
 * (see struct fsd_record). With follow, blocks until a line arrives.
 * @return 1 and fills *ret_record, 0 at end of input, or a negative error code (-EINVAL, a read
 * error's negative errno, -FSD_E_CORRUPT / -FSD_E_TRUNCATED for a broken compressed stream):
 * an input that cannot be read is an error, never a silent end. Since 0.1 */
FSD_API int fsd_source_next(struct fsd_source *s, struct fsd_record *ret_record);
/* Counters so far (bytes, lines, records, and every kind of skipped line). Since 0.1 */
FSD_API void fsd_source_get_stats(const struct fsd_source *s, struct fsd_source_stats *ret_stats);
/* The format of the most recent record (formats may change per line); FSD_FORMAT_UNKNOWN before
 * the first. Since 0.1 */
FSD_API enum fsd_log_format fsd_source_format(const struct fsd_source *s);
/* The first non-blank line of a line-based input as read (up to 256 bytes, not sanitized: escape
 * it before printing), to tell a user what an unrecognised file looked like. @return its length,
 * 0 when there is none; *ret_line is borrowed from the source. Since 0.2 */
FSD_API size_t fsd_source_first_line(const struct fsd_source *s, const char **ret_line);
/* Bytes consumed from the underlying file so far and its size (0 if unknown, e.g. a pipe): for
 * progress. For compressed input both count compressed bytes. Since 0.1 */
FSD_API void fsd_source_get_progress(const struct fsd_source *s, uint64_t *ret_done, uint64_t *ret_total);
/* Close the input (not stdin) and free the source; records it returned become invalid. Accepts
 * NULL; returns NULL. Since 0.1 */
FSD_API struct fsd_source *fsd_source_free(struct fsd_source *s);

/* ======================================================================
 * Kernel reports: oops, WARNING, BUG, panic, KASAN, hung task, ...
 * ====================================================================== */

enum fsd_report_type {
        FSD_REPORT_UNKNOWN = 0,
        FSD_REPORT_WARNING,      /* WARNING: CPU: ... at file:line func */
        FSD_REPORT_BUG,          /* kernel BUG at ..., BUG: <something> */
        FSD_REPORT_OOPS,         /* BUG: unable to handle kernel ..., Oops */
        FSD_REPORT_GPF,          /* general protection fault */
        FSD_REPORT_PANIC,        /* Kernel panic - not syncing */
        FSD_REPORT_HANG,         /* INFO: task ... blocked for more than N seconds */
        FSD_REPORT_STALL,        /* rcu stall, soft/hard lockup */
        FSD_REPORT_KASAN,        /* and other sanitizer reports: KMSAN, KCSAN, UBSAN, KFENCE */
        FSD_REPORT_LOCKDEP,      /* possible deadlock, inconsistent lock state, ... */
        FSD_REPORT_LEAK,         /* kmemleak */
        FSD_REPORT_OTHER,
        FSD_REPORT_HARNESS,      /* a test harness's own failure on the console (syzkaller's
                                  * SYZFAIL/SYZFATAL, a Go runtime crash), not a kernel bug */
        _FSD_REPORT_TYPE_MAX,
};

/* Stable lowercase name ("warning", "bug", "oops", ...), as in JSON; "unknown" out of range.
 * Static storage. Since 0.1 */
FSD_API const char *fsd_report_type_name(enum fsd_report_type t);

struct fsd_frame {
        const char *func;        /* canonical symbol, compiler suffix removed; NULL if only an address */
        const char *suffix;      /* ".isra.71", ".constprop.0", ".cold"; NULL if none */
        uint64_t offset, size;   /* +0x65c/0xbd0; 0 when not printed */
        uint64_t address;        /* raw address when printed ([<ffffffff...>]), else 0 */
        const char *module;      /* "btrfs"; NULL for the kernel image */
        const char *file;        /* source file when the trace is symbolized, else NULL */
        int src_line;            /* source line, 0 unknown */
        bool unreliable;         /* printed with a leading '?' */
        bool inlined;            /* an inline frame (symbolized traces) */
        uint64_t line;           /* input line number */
        /* appended in 0.1 (report parser) */
        const char *stack;       /* "IRQ", "NMI", "SOFTIRQ", "TASK", "EXC": the marker the frame sits
                                  * under (<IRQ> ... <EOI>); NULL outside any marker */
        unsigned trace;          /* 0-based index of the trace section the frame belongs to
                                  * ("Call Trace:", "Allocated by task", "Freed by task", ...) */
        const char *trace_name;  /* that section's heading without the colon, NULL if none */
        /* appended in 0.2 */
        const char *build_id;    /* the module's build id, lowercase hex, when the kernel prints
                                  * "[mod BUILDID]" (CONFIG_STACKTRACE_BUILD_ID); NULL otherwise */
};

struct fsd_report {
        enum fsd_report_type type;
        const char *title;       /* "WARNING in __btrfs_free_extent" */
        const char *guilty;      /* guilty frame's canonical function, NULL if none */
        const char *header;      /* the first line of the report as printed */
        bool corrupted;          /* cut short or interleaved: fields may be missing */
        const char *corrupted_reason;
        const char *rip;         /* "__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]" */
        const char *src_file;    /* "fs/btrfs/extent-tree.c" from "at file:line" */
        int src_line;
        int cpu, pid;            /* -1 unknown */
        const char *comm;
        const char *taint;       /* "G        W" as printed */
        const char *kernel;      /* "4.19.90-17.ky10.x86_64" */
        const char *hardware;    /* "Hardware name:" text */
        const char *modules;     /* "Modules linked in:" list, continuation lines joined */
        const char *registers;   /* register dump lines joined with '\n' */
        const char *code;        /* "Code:" bytes */
        const struct fsd_frame *frames;
        size_t n_frames;
        /* where it came from */
        const char *origin;
        const char *host;
        uint32_t boot;
        uint64_t first_line, last_line;
        int64_t mono_usec, wall_usec;
        /* appended in 0.1 (report parser) */
        bool panicked;           /* a "Kernel panic - not syncing" followed within this report */
        const char *panic;       /* its message ("Fatal exception"), NULL if none */
        int uid;                 /* "CPU: 1 UID: 0 PID: ..." (6.x kernels); -1 unknown */
        const char *rip_user;    /* user-space "RIP: 0033:..." when printed, else NULL */
        char caller_kind;        /* printk caller id of the report's context ('T', 'C', 0) */
        uint32_t caller_id;
        bool year_assumed;       /* since 0.2: wall_usec's year was not in the log and was inferred */
        /* since 0.2: how the guilty frame was chosen ("the instruction pointer of the report",
         * "the first frame of the call trace that is not reporting machinery, ...; frames
         * marked '?' were passed over"), NULL when there is no guilty frame */
        const char *guilty_reason;
        int guilty_frame;        /* since 0.2: index in frames[] of the guilty frame, -1 when it is
                                  * not one of them (named by the header or the pc line only) */
        const char *build_id;    /* since 0.2: the kernel image's build id, lowercase hex, printed at
                                  * the end of the "CPU: ... Comm: ..." line with
                                  * CONFIG_STACKTRACE_BUILD_ID; NULL when not printed */
};

/* Called for each report as soon as it is complete. Return < 0 to stop the feed with that
 * error. The report is borrowed for the duration of the call. */
typedef int (*fsd_report_fn)(const struct fsd_report *r, void *userdata);

/* Groups kernel messages into reports: feed every record of one input in order (the parser keeps
 * one open report per host, boot and printk caller, so interleaved reports stay apart). */
struct fsd_report_parser;
/* @return 0 and a parser in *ret_parser (free with fsd_report_parser_free()), -EINVAL or
 * -ENOMEM. Since 0.1 */
FSD_API int fsd_report_parser_new(struct fsd_report_parser **ret_parser);
/* Feed one record (it may be borrowed from a source: the parser copies what it keeps). cb is
 * called for each report this record completes, possibly none.
 * @return 0, -EINVAL, -ENOMEM, or the negative value cb returned. Since 0.1 */
FSD_API int fsd_report_parser_feed(struct fsd_report_parser *p, const struct fsd_record *rec,
                                   fsd_report_fn cb, void *userdata);
/* Flush reports still open at end of input (they may be marked corrupted).
 * @return 0, -EINVAL, -ENOMEM, or the negative value cb returned. Since 0.1 */
FSD_API int fsd_report_parser_finish(struct fsd_report_parser *p, fsd_report_fn cb, void *userdata);
/* Frees the parser and reports still open (without calling back). Accepts NULL; returns NULL.
 * Since 0.1 */
FSD_API struct fsd_report_parser *fsd_report_parser_free(struct fsd_report_parser *p);

/* Deep copy of a (borrowed) report: strings and frames live in one allocation owned by the
 * copy. @return 0 and the copy in *ret_copy, -EINVAL, or -ENOMEM. Free with fsd_report_free().
 * Since 0.1 */
FSD_API int fsd_report_dup(const struct fsd_report *r, struct fsd_report **ret_copy);
/* Frees a copy made by fsd_report_dup(); accepts NULL; returns NULL. Never pass a report
 * handed to a callback. Since 0.1 */
FSD_API struct fsd_report *fsd_report_free(struct fsd_report *copy);

/* Decode a taint string as printed after "Tainted: " ("G        W  O", "P           O"):
 * calls fn once per set flag with its letter and an English description (static storage).
 * @return the number of flags set, or -EINVAL. Since 0.1 */
typedef void (*fsd_taint_fn)(char letter, const char *description, void *userdata);
FSD_API int fsd_taint_describe(const char *taint, fsd_taint_fn fn, void *userdata);
/* Description of one taint letter ('W' -> "a warning was issued earlier in this boot"), NULL
 * for letters the kernel does not define. Since 0.1 */
FSD_API const char *fsd_taint_letter_name(char letter);

/* One JSON object (no newline) describing the report, schema "fsdoctor.report/1"
 * (docs/json-schema-report.md). @return 0 and a malloc'd string in *ret_json the caller frees,
 * -EINVAL or -ENOMEM. Since 0.1 */
FSD_API int fsd_report_to_json(const struct fsd_report *r, char **ret_json);

/* ======================================================================
 * Code bytes: a report's "Code:" line disassembled (experimental, since 0.2)
 *
 * What the kernel's scripts/decodecode does, built in (Capstone): x86-64, x86, arm64, arm and
 * thumb. The trapping instruction is marked, and notes say what the register dump tells about
 * it. Notes are facts (kinds, registers, values), not sentences: callers word them.
 * ====================================================================== */

enum fsd_insn_note_kind {
        FSD_INSN_NOTE_NONE = 0,
        FSD_INSN_NOTE_TRAP,        /* ud2 / brk / udf: the trap BUG() and WARN() compile to */
        FSD_INSN_NOTE_FAULT_NULL,  /* memory operand through a register holding NULL (value < 4096) */
        FSD_INSN_NOTE_FAULT_BAD,   /* ... through a poisoned or non-canonical pointer (see poison) */
        FSD_INSN_NOTE_FAULT_ADDR,  /* ... through a register holding some other address */
        FSD_INSN_NOTE_ARG_REG,     /* an argument register copied from another register before a call */
        FSD_INSN_NOTE_ARG_IMM,     /* an argument register loaded with a constant before a call */
        FSD_INSN_NOTE_CALL,        /* a call; its target as an offset into the reported function */
        _FSD_INSN_NOTE_MAX,
};
/* Stable name ("trap", "null-pointer", ...); "unknown" out of range. Since 0.2 */
FSD_API const char *fsd_insn_note_kind_name(enum fsd_insn_note_kind k);

struct fsd_insn_note {
        enum fsd_insn_note_kind kind;
        const char *reg;           /* register written (ARG_*) or used as base (FAULT_*), as disassembled */
        const char *src_reg;       /* ARG_REG: the register copied from */
        uint64_t value;            /* ARG_REG/FAULT_*: the register dump's value (at the trap); ARG_IMM: the constant */
        bool value_known;          /* false when the dump does not print that register */
        int64_t disp;              /* FAULT_*: displacement of the memory operand (a field offset) */
        int err;                   /* value read as a negative errno in the operand's width (-28), else 0 */
        const char *poison;        /* FAULT_BAD: "list-poison", "slab-free-poison", "slab-inuse-poison",
                                    * "non-canonical" */
        int64_t target;            /* CALL: target offset from the reported function's start */
        bool target_inside;        /* CALL: the target lies inside the reported function */
        unsigned arg;              /* ARG_*: 1-based argument position in the calling convention */
};

struct fsd_insn {
        int64_t offset;            /* bytes from the trapping instruction (0: it; negative: before) */
        int64_t func_offset;       /* offset in the reported function, -1 when the report has no RIP/pc */
        uint8_t size;
        uint8_t bytes[16];
        const char *mnemonic, *operands;  /* Intel syntax on x86 */
        bool trap;                 /* the instruction the kernel marked (<..> or (..)) */
        struct fsd_insn_note note;
};

struct fsd_code_listing {
        const char *arch;          /* "x86-64", "x86", "arm64", "arm", "thumb" */
        const char *function;      /* reported function without compiler suffix, NULL if unknown */
        const struct fsd_insn *insns;
        size_t n_insns;
        int trap_index;            /* index of the trapping instruction in insns, -1 if none */
};

/* Disassembles r->code with r->registers and r->rip as context.
 * @return 0 and a listing the caller frees with fsd_code_listing_free(); -ENODATA when the report
 *         has no code bytes ("Code: Bad RIP value."); -EBADMSG when the line is not one of the
 *         kernel's forms or does not disassemble; -EOPNOTSUPP for an architecture not read;
 *         -ENOMEM. Since 0.2 */
FSD_API int fsd_code_decode(const struct fsd_report *r, struct fsd_code_listing **ret_listing);
/* Accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_code_listing *fsd_code_listing_free(struct fsd_code_listing *l);
/* One JSON object: {"arch", "function", "instructions": [...]} (docs/json-schema-report.md).
 * @return 0 and a malloc'd string the caller frees, or -ENOMEM/-EINVAL. Since 0.2 */
FSD_API int fsd_code_listing_to_json(const struct fsd_code_listing *l, char **ret_json);

/* ======================================================================
 * Debuginfo: call-trace frames to file:line and inline chains (experimental, since 0.2)
 *
 * DWARF read with elfutils libdw (offline: nothing of the running system is used). A frame
 * "func+0xOFF/0xLEN [mod]" is looked up in the debuginfo of mod (vmlinux for the kernel image):
 * the symbol func, at OFF, or OFF-1 for a return address (every frame but the one the trap is
 * in), gives the line and every inlined call at that address, innermost first, as eu-addr2line -i
 * does. Debuginfo of another build is refused (-ESTALE): where the log prints build ids
 * (CONFIG_STACKTRACE_BUILD_ID) the file's GNU build-id note must equal the log's, and the
 * symbol's size must be LEN.
 * An fsd_debuginfo is not thread-safe.
 * ====================================================================== */

struct fsd_debuginfo;
/* @return 0 and an empty set in *ret (free with fsd_debuginfo_free()), -EINVAL, -ENOMEM. Since 0.2 */
FSD_API int fsd_debuginfo_new(struct fsd_debuginfo **ret);
/* Adds a vmlinux* file, a module's NAME.ko / NAME.ko.debug (also .xz/.zst/.gz), or a directory
 * searched (symlinks not followed) for such files, e.g. /usr/lib/debug/lib/modules/VERSION. A
 * module's first file wins. A file is checked now (ELF, symbol table, DWARF); files found in a
 * directory are opened when a frame needs them.
 * @return 0; -ENOENT (missing, or a directory without such files), -EBADMSG (not ELF, truncated,
 *         no DWARF), -EINVAL (another kind of file), -E2BIG, -ENOMEM; *ret_detail (may be NULL)
 *         gets a malloc'd message naming the file. Since 0.2 */
FSD_API int fsd_debuginfo_add(struct fsd_debuginfo *di, const char *path, char **ret_detail);
/* Modules and images no added file or directory holds are then fetched by the build id the log
 * prints for them from the debuginfod servers of DEBUGINFOD_URLS (libdw's debuginfod client,
 * which caches them), when that variable is set; call it before fsd_debuginfo_add_release().
 * @return 1 servers will be asked, 0 DEBUGINFOD_URLS is unset (nothing changes), -EINVAL.
 *         Since 0.2 */
FSD_API int fsd_debuginfo_use_debuginfod(struct fsd_debuginfo *di);
/* Adds the usual locations of a kernel release's debuginfo under root (NULL: "/usr/lib/debug",
 * where Debian's and Fedora's debug packages put them): root/lib/modules/RELEASE/ (the modules)
 * and root/boot/vmlinux-RELEASE (the image), each where it exists; and root/.build-id/, where
 * a module or image no directory holds is looked up by the build id the log prints for it
 * (root/.build-id/ab/cdef....debug).
 * @return 0 when at least one was added (or debuginfod is in use); -ENOENT when none exists
 *         (*ret_detail names the paths); -EINVAL for a release with '/' or an empty one; errors of fsd_debuginfo_add().
 *         Since 0.2 */
FSD_API int fsd_debuginfo_add_release(struct fsd_debuginfo *di, const char *root, const char *release,
                                      char **ret_detail);
/* Accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_debuginfo *fsd_debuginfo_free(struct fsd_debuginfo *di);

struct fsd_debuginfo_query {
        const char *module;      /* "btrfs"; NULL for the kernel image */
        const char *symbol;      /* the symbol as in the symbol table, compiler suffix included */
        uint64_t offset;         /* 0xOFF */
        uint64_t size;           /* 0xLEN, 0 when unknown (no check) */
        bool return_address;     /* a caller frame: look up offset - 1 */
        const char *build_id;    /* the build id the log prints for module (or for the kernel
                                  * image), hex; NULL when it prints none (no check) */
};

struct fsd_source_line {
        const char *function;    /* "__btrfs_run_delayed_refs", "??" when DWARF names none */
        const char *file;        /* relative to the compilation directory when under it */
        int line, column;        /* 0 unknown */
};

struct fsd_frame_lines {
        const char *debuginfo;   /* the file that resolved the frame */
        uint64_t offset;         /* the offset looked up (return-address rule applied) */
        bool return_address;
        /* lines[0]: the innermost function at the address and its line; lines[i+1]: the function
         * lines[i] is inlined into and the line of that call. The last is the frame's own
         * function; all before it are inlined (the trace does not show them). */
        const struct fsd_source_line *lines;
        size_t n_lines;
};

/* @return 0 and lines the caller frees with fsd_frame_lines_free(); -ENOENT no debuginfo for the
 *         module or no such function in it; -ESTALE the debuginfo is not the log's kernel
 *         (build id or function size differs); -ERANGE offset outside the function; -ENODATA no line
 *         information there; -EBADMSG unreadable file; -ENOMEM. *ret_detail as above. Since 0.2 */
FSD_API int fsd_debuginfo_lookup(struct fsd_debuginfo *di, const struct fsd_debuginfo_query *q,
                                 struct fsd_frame_lines **ret, char **ret_detail);
/* Accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_frame_lines *fsd_frame_lines_free(struct fsd_frame_lines *fl);

/* Every frame of a report looked up: frames[i] belongs to r->frames[i], NULL when the frame has no
 * symbol+offset or its module has no debuginfo here. rip is the report's RIP/pc, NULL likewise. */
struct fsd_report_lines {
        struct fsd_frame_lines **frames;
        size_t n_frames;
        struct fsd_frame_lines *rip;
};
/* The frame the report's RIP/pc names is looked up at its offset, every other at offset - 1.
 * @return 0 and lines freed with fsd_report_lines_free(); -ESTALE when any frame's size differs
 *         (the whole report is refused: *ret_detail names the frame and the file); -EBADMSG,
 *         -ENOMEM. Since 0.2 */
FSD_API int fsd_debuginfo_symbolize(struct fsd_debuginfo *di, const struct fsd_report *r,
                                    struct fsd_report_lines **ret, char **ret_detail);
/* Accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_report_lines *fsd_report_lines_free(struct fsd_report_lines *rl);
/* fsd_report_to_json() with each resolved frame's "location" and "inlined" members and the
 * report's "rip_location" (docs/json-schema-report.md). rl may be NULL. Since 0.2 */
FSD_API int fsd_report_to_json_with_lines(const struct fsd_report *r, const struct fsd_report_lines *rl,
                                          char **ret_json);

/* ======================================================================
 * Filesystem and block-layer events, incidents, diagnosis
 * EXPERIMENTAL: how events are grouped into incidents (episode boundaries, the causal order,
 * folding of repeats) and the fields of struct fsd_incident may still change in 0.x.
 * ====================================================================== */

enum fsd_fs_type {
        FSD_FS_NONE = 0,         /* block layer, device or memory: no filesystem */
        FSD_FS_BTRFS,
        FSD_FS_EXT4,             /* also ext2/ext3 driven by ext4, and jbd2 */
        FSD_FS_XFS,
        FSD_FS_OTHER,
        _FSD_FS_MAX,
};
/* Stable lowercase name ("none", "btrfs", "ext4", "xfs", "other"); "unknown" out of range.
 * Static storage. Since 0.1 */
FSD_API const char *fsd_fs_type_name(enum fsd_fs_type t);

/* Which layer an event comes from, bottom up: the causal chain runs from low to high. */
enum fsd_layer {
        FSD_LAYER_HARDWARE = 0,  /* memory (EDAC/MCE), controller */
        FSD_LAYER_DEVICE,        /* SCSI/ATA/NVMe/multipath/dm-thin */
        FSD_LAYER_BLOCK,         /* block layer I/O errors, buffer I/O */
        FSD_LAYER_FS,            /* filesystem */
        _FSD_LAYER_MAX,
};

enum fsd_event_kind {
        FSD_EV_UNKNOWN = 0,
        /* hardware / device / block */
        FSD_EV_MEMORY_ERROR,     /* EDAC CE/UE, MCE */
        FSD_EV_DEVICE_ERROR,     /* SCSI sense, ATA exception, NVMe status, medium/target errors */
        FSD_EV_DEVICE_RESET,     /* link/controller resets, timeouts */
        FSD_EV_DEVICE_OFFLINE,   /* device offlined, removed, path lost */
        FSD_EV_PATH_FAILED,      /* multipath path failure */
        FSD_EV_THIN_POOL_FULL,   /* dm-thin out of data/metadata space */
        FSD_EV_SPACE_ALLOC_ERROR,/* "critical space allocation error": backing store exhausted */
        FSD_EV_IO_ERROR,         /* blk_update_request / "I/O error, dev X, sector N" */
        FSD_EV_BUFFER_IO_ERROR,  /* "Buffer I/O error on dev", "lost async page write" */
        /* filesystem */
        FSD_EV_FS_ERROR,         /* fs error with function/line/errno */
        FSD_EV_WRITE_ERROR,      /* fs-level write failure (ext4 "I/O error writing to inode", ...) */
        FSD_EV_TRANSACTION_ABORT,/* btrfs transaction abort, jbd2 journal abort */
        FSD_EV_READ_ONLY,        /* forced read-only / remount read-only / emergency_ro */
        FSD_EV_SHUTDOWN,         /* xfs forced shutdown */
        FSD_EV_USER_SHUTDOWN,    /* shutdown requested by a user (xfs_io shutdown, ioctl) */
        FSD_EV_CORRUPTION,       /* tree-checker, corrupt leaf/node, bad tree block, xfs corruption */
        FSD_EV_CSUM_ERROR,       /* data/metadata checksum failure */
        FSD_EV_TRANSID_ERROR,    /* parent transid verify failed */
        FSD_EV_DEV_STATS,        /* btrfs per-device error counters */
        FSD_EV_DEVICE_MISSING,   /* missing device, degraded mount */
        FSD_EV_ENOSPC,           /* ENOSPC warnings and space-info dumps */
        FSD_EV_BALANCE_FAILED,   /* balance / relocation failure */
        FSD_EV_COMMIT_SKIPPED,   /* "Skipping commit of aborted transaction" */
        FSD_EV_LOG_IO_ERROR,     /* xfs "Log I/O Error Detected", jbd2 I/O error */
        FSD_EV_MOUNT,            /* mount / first mount: marks an episode boundary */
        FSD_EV_UNMOUNT,
        FSD_EV_SUPPRESSED,       /* "N callbacks suppressed" */
        FSD_EV_RELOCATION,       /* btrfs balance/convert/device remove at work: "balance: start",
                                  * "relocating block group" (context, not a failure) */
        FSD_EV_SCRUB,            /* btrfs scrub at work: "scrub: started on devid N" (context) */
        FSD_EV_LOG_RECOVERY,     /* log replay at mount started (xfs "Starting recovery"): context only */
        FSD_EV_MOUNT_FAILED,     /* since 0.2: the mount of this filesystem failed (btrfs "open_ctree
                                  * failed", "failed to read block groups: -5"): an outcome */
        _FSD_EV_MAX,
};
/* Stable kebab-case name ("io-error", "transaction-abort", ...), as in JSON; "unknown" out of
 * range. Static storage. Since 0.1 */
FSD_API const char *fsd_event_kind_name(enum fsd_event_kind k);

/* One filesystem/block-layer event parsed from one record. Borrowed during callbacks. */
struct fsd_event {
        enum fsd_event_kind kind;
        enum fsd_fs_type fs;
        enum fsd_layer layer;
        const char *device;      /* "dm-9", "loop0", "sda", "nvme0n1"; NULL unknown */
        const char *function;    /* kernel function named in the message ("__btrfs_free_extent") */
        int src_line;            /* line in that function's file when printed (6805), else 0 */
        const char *src_file;    /* source file when printed (xfs "of file fs/xfs/...") */
        int error;               /* negative errno when printed (-28), else 0 */
        const char *error_text;  /* "No space left", "IO failure" */
        uint64_t sector;         /* I/O errors: first sector, UINT64_MAX unknown */
        const char *op;          /* "WRITE", "READ", "FLUSH", ... */
        uint64_t count;          /* how many messages this event stands for (>= 1) */
        const char *detail;      /* short extra text (state flags "EA", counters, inode, ...) */
        const char *text;        /* the whole message, NUL-terminated */
        /* where */
        const char *origin;
        const char *host;
        uint32_t boot;
        uint64_t line;
        int64_t mono_usec, wall_usec;
        bool wall_local;         /* wall clock is the host's local time: the log printed no zone */
        /* Set on an incident's folded events: the line of the last repeat folded into this one
         * (line is the first). 0 from the event parser, meaning "same as line". */
        uint64_t last_line;
        bool year_assumed;       /* since 0.2: wall_usec's year was not in the log and was inferred */
};

/* A diagnosis from the knowledge base; fields declared by lib/kb (see below). */
struct fsd_diagnosis;

/* What btrfs printed about its space around an ENOSPC (dump_space_info, DUMP_BLOCK_RSV,
 * "allocation failed flags"): the last value of each line seen in the episode. */
#define FSD_BTRFS_DUMP_MAX_INFO 4
#define FSD_BTRFS_DUMP_MAX_RSV 6
struct fsd_btrfs_dump_info {
        char type[16];           /* "DATA", "METADATA", "SYSTEM", "DATA+METADATA" */
        bool full;               /* "is full": the last chunk allocation for this type failed */
        int64_t free;            /* "has N free" (negative when overcommitted) */
        bool have_totals;        /* the "space_info total=..." line that follows was seen */
        uint64_t total, used, pinned, reserved, may_use, readonly;
};
struct fsd_btrfs_dump_rsv {
        char name[24];           /* "global_block_rsv", "delayed_refs_rsv", ... */
        uint64_t size, reserved;
};
#define FSD_BTRFS_DUMP_MAX_DEVICES 16
/* since 0.2: one device as pasted btrfs-progs output lists it */
struct fsd_btrfs_dump_device {
        char path[64];           /* "/dev/sdb" as printed */
        uint64_t unallocated;    /* bytes not in any chunk ("show": size - used) */
};
struct fsd_btrfs_space_dump {
        struct fsd_btrfs_dump_info info[FSD_BTRFS_DUMP_MAX_INFO];
        size_t n_info;
        struct fsd_btrfs_dump_rsv rsv[FSD_BTRFS_DUMP_MAX_RSV];
        size_t n_rsv;
        bool alloc_failed;       /* "allocation failed flags N" was printed */
        uint64_t alloc_flags;    /* its block-group flags (type and profile bits) */
        /* since 0.2: from `btrfs filesystem usage` (plain or -T), `btrfs filesystem df` or
         * `btrfs filesystem show` output pasted beside the log */
        struct fsd_btrfs_dump_device devices[FSD_BTRFS_DUMP_MAX_DEVICES];
        size_t n_devices;
        char data_profile[12], metadata_profile[12], system_profile[12]; /* "raid1"; "" unknown */
};

/* One filesystem (or device) per episode: the events in causal order, the reports that belong to
 * it, and its diagnosis. Borrowed during the on_incident callback. */
struct fsd_incident {
        uint32_t id;                     /* 1-based, in order of first event */
        const char *host;                /* NULL when the log names none */
        uint32_t boot;
        const char *origin;              /* input the first event came from */
        enum fsd_fs_type fs;
        const char *device;              /* "dm-9"; NULL if unknown */
        const char *mount_point;         /* live log only: where this system mounts it, else NULL */
        const char *fs_uuid;             /* when the log says it, else NULL */
        const char *kernel;              /* release, from a report or the boot banner; NULL unknown */
        const char *comm;                /* process involved (from the report), NULL unknown */
        int pid;                         /* -1 unknown */
        int64_t start_mono_usec, end_mono_usec;
        int64_t start_wall_usec, end_wall_usec;
        bool wall_local;                 /* times are the host's local time (no zone in the log), not UTC */
        uint64_t first_line, last_line;
        /* distinct events, ordered along the causal chain (lower layer first, then time);
         * repeats of the same message are folded into one event with count > 1 */
        const struct fsd_event *events;
        size_t n_events;
        uint64_t n_messages;             /* all messages folded into this incident */
        const struct fsd_report *const *reports;
        size_t n_reports;
        bool read_only;                  /* the filesystem was forced read-only */
        bool shutdown;                   /* xfs shutdown */
        bool aborted;                    /* transaction / journal abort */
        const struct fsd_diagnosis *diagnosis; /* never NULL once emitted: "unrecognized" at worst */
        uint64_t n_suppressed;           /* messages the kernel dropped ("N callbacks suppressed") */
        uint64_t n_merged;               /* messages merged into an event of the same kind that they
                                          * do not exactly repeat: the cap on distinct events was hit */
        bool year_assumed;               /* since 0.2: the wall times' year was not in the log, inferred */
        const struct fsd_btrfs_space_dump *btrfs_space; /* btrfs space dump of the episode, NULL if none */
        /* since 0.2: "/dev/mapper/NAME" when device is dm-N and the log (a btrfs scan line) or, for
         * the live kernel log, sysfs names it; NULL otherwise */
        const char *device_path;
        bool mount_failed;               /* since 0.2: the mount failed (a mount-failed event) */
        bool panicked;                   /* since 0.2: the kernel panicked in this episode (a panic
                                          * report is part of it: errors=panic, or a crash) */
};

/* One JSON object (no newline) describing the incident, schema "incident" version 1
 * (docs/json-schema-incident.md), with its diagnosis.
 * @return 0 and a malloc'd string in *ret_json the caller frees, -EINVAL or -ENOMEM. Since 0.1 */
FSD_API int fsd_incident_to_json(const struct fsd_incident *inc, char **ret_json);

struct fsd_kb;         /* the knowledge base: see "Knowledge base" below */

/* Called for each incident once it is complete. Return < 0 to stop the feed with that error.
 * The incident (and its events, reports and diagnosis) is borrowed for the duration of the call. */
typedef int (*fsd_incident_fn)(const struct fsd_incident *inc, void *userdata);

struct fsd_analyzer_opts {
        size_t sz;
        fsd_report_fn on_report;       /* each kernel report, as soon as it is complete */
        fsd_incident_fn on_incident;   /* each incident, when its episode closes or at finish */
        void *userdata;
        const struct fsd_kb *kb;       /* borrowed, must outlive the analyzer; NULL = built-in */
};

struct fsd_analyzer_stats {
        uint64_t records, reports, events, incidents;
        uint64_t suppressed;           /* messages the kernel said it suppressed ("N callbacks suppressed") */
};

/* The whole pipeline: records in; kernel reports, filesystem/block events, incidents and their
 * diagnoses out through the callbacks of fsd_analyzer_opts. Memory stays bounded on any input. */
struct fsd_analyzer;
/* opts may be NULL (no callbacks, built-in knowledge base); the analyzer copies opts (up to
 * opts->sz bytes) and borrows opts->kb.
 * @return 0 and an analyzer in *ret_analyzer (free with fsd_analyzer_free()), -EINVAL, -ENOMEM,
 * or -FSD_E_RULE when the built-in knowledge base is broken (a build bug). Since 0.1 */
FSD_API int fsd_analyzer_new(const struct fsd_analyzer_opts *opts, struct fsd_analyzer **ret_analyzer);
/* Feed one record, in input order (it may be borrowed from a source: the analyzer copies what it
 * keeps). Callbacks run from inside this call for what the record completes.
 * @return 0, -EINVAL, -ENOMEM, or the negative value a callback returned (the analyzer stays
 * usable; fsd_analyzer_finish() still flushes). Since 0.1 */
FSD_API int fsd_analyzer_feed(struct fsd_analyzer *a, const struct fsd_record *rec);
/* End of all input: flushes open reports and incidents through the callbacks. Call it once.
 * @return 0, -EINVAL, -ENOMEM, or the negative value a callback returned. Since 0.1 */
FSD_API int fsd_analyzer_finish(struct fsd_analyzer *a);
/* Counters so far. Since 0.1 */
FSD_API void fsd_analyzer_get_stats(const struct fsd_analyzer *a, struct fsd_analyzer_stats *ret_stats);
/* Frees the analyzer and everything still open, without calling back. Accepts NULL; returns NULL.
 * Since 0.1 */
FSD_API struct fsd_analyzer *fsd_analyzer_free(struct fsd_analyzer *a);

/* ----------------------------------------------------------------------
 * Feeding a source into an analyzer (the pump `analyze` and `watch` share)
 * ---------------------------------------------------------------------- */

/* Progress of a feed: bytes consumed so far and the input's size (0 unknown). */
typedef void (*fsd_progress_fn)(uint64_t done, uint64_t total, void *userdata);
/* One record, borrowed for the call, just before the analyzer sees it. Return < 0 to stop the
 * feed with that error. */
typedef int (*fsd_record_fn)(const struct fsd_record *rec, void *userdata);

struct fsd_feed_opts {
        size_t sz;
        /* Read and split the input in a second thread while this one analyses, handing records
         * over in batches. Only for inputs read to their end (a regular file): a live input's
         * lines must not wait for a batch to fill. Ignored (one thread) when the source keeps
         * lines longer than FSD_FEED_THREAD_MAX_LINE. */
        bool threaded;
        fsd_progress_fn on_progress;   /* every 16384 records, or per batch when threaded; may be NULL */
        fsd_record_fn on_record;       /* may be NULL */
        void *userdata;                /* passed to both callbacks */
};
#define FSD_FEED_THREAD_MAX_LINE (256u * 1024)

/* Feed every record of src to a (until fsd_source_next() returns 0 or an error). The analyzer's
 * own callbacks run on the calling thread. A /dev/kmsg source opened without follow returns at
 * the end of what the ring holds now, and can be fed again when its descriptor (see
 * fsd_source_get_fd()) is readable. Both objects stay the caller's.
 * @param ret_line  NULL, or receives the line of the last record fed (to say where it failed).
 * @return 0 at the end of the input, or the first negative error of the source, the analyzer or
 * a callback. Since 0.1 */
FSD_API int fsd_analyzer_feed_source(struct fsd_analyzer *a, struct fsd_source *src,
                                     const struct fsd_feed_opts *opts, uint64_t *ret_line);

/* ----------------------------------------------------------------------
 * Live analysis (a daemon following /dev/kmsg)
 * ---------------------------------------------------------------------- */

/* Hand every open incident that gained a distinct event or a report since the last call (or
 * since it opened) to cb (repeats folded into an event do not count: a storm of one message costs
 * one call, not one per message), diagnosed as it stands, without closing it: the first call for an incident
 * raises it, later ones update it. The incident keeps its id until on_incident closes it.
 * Memory errors are linked into an incident only when it closes. The incident is borrowed
 * for the call. @return 0, or the first negative error of the diagnosis or of cb. Since 0.1 */
FSD_API int fsd_analyzer_flush_open(struct fsd_analyzer *a, fsd_incident_fn cb, void *userdata);

/* Close every open incident whose last message is more than quiet_usec older than
 * now_mono_usec (the kernel's clock: CLOCK_BOOTTIME, as /dev/kmsg stamps), handing each to the
 * analyzer's on_incident. @return the number closed, or a negative error. Since 0.1 */
FSD_API int fsd_analyzer_close_quiet(struct fsd_analyzer *a, int64_t now_mono_usec, int64_t quiet_usec);

/* Diagnose with kb from now on (a daemon reloading its rules on SIGHUP); NULL = the built-in
 * rules. kb is borrowed and must outlive the analyzer or the next call; the previous one may be
 * freed once this returns. @return 0 or -EINVAL. Since 0.1 */
FSD_API int fsd_analyzer_set_kb(struct fsd_analyzer *a, const struct fsd_kb *kb);

/* The descriptor to poll() for input: /dev/kmsg's, or a followed file's; -EBADF for journal
 * and memory sources. Owned by the source. Since 0.1 */
FSD_API int fsd_source_get_fd(const struct fsd_source *s);

/* ======================================================================
 * Knowledge base: rules and diagnoses (lib/kb)
 * ====================================================================== */

enum fsd_severity {
        FSD_SEVERITY_INFO = 0,
        FSD_SEVERITY_WARNING,
        FSD_SEVERITY_ERROR,      /* data at risk or service degraded */
        FSD_SEVERITY_CRITICAL,   /* filesystem unusable (read-only, shut down) until someone acts */
        _FSD_SEVERITY_MAX,
};
/* "info", "warning", "error", "critical"; "unknown" out of range. Static storage. Since 0.1 */
FSD_API const char *fsd_severity_name(enum fsd_severity s);

/* Every human-facing knowledge-base text exists in both languages. Never NULL inside a
 * diagnosis or rule view unless the field is documented as optional. */
struct fsd_text {
        const char *en;
        const char *zh;
};

enum fsd_path_visibility {
        FSD_PATH_SHOWN = 0,      /* a frame the call trace prints */
        FSD_PATH_HIDDEN,         /* on the path but not printed (tail call, or after the WARN) */
        FSD_PATH_INLINED,        /* inlined into its caller: never a frame of its own */
};
/* "shown", "hidden", "inlined", as in JSON; "unknown" out of range. Static storage. Since 0.1 */
FSD_API const char *fsd_path_visibility_name(enum fsd_path_visibility v);

/* One step of the kernel code path a rule implies, outermost caller first. */
struct fsd_code_step {
        const char *function;
        const char *file;        /* "fs/btrfs/extent-tree.c", NULL if not stated */
        struct fsd_text note;    /* what happens here; .en NULL when the rule says nothing */
        enum fsd_path_visibility visibility;
        bool in_trace;           /* diagnosis only: the incident's trace does show this frame */
};

enum fsd_fix_status {
        FSD_FIX_VERIFIED = 0,    /* commit and version read in the kernel tree */
        FSD_FIX_INFERRED,        /* from patch series, backport trailers or changelogs */
};

/* An upstream commit that fixes or mitigates the failure. */
struct fsd_fix {
        const char *commit;      /* abbreviated or full id; NULL when the id is not verified */
        const char *subject;
        const char *mainline;    /* first mainline release carrying it: "5.0" */
        const char *const *stable; /* stable releases carrying a backport: "4.19.120" */
        size_t n_stable;
        enum fsd_fix_status status;
        struct fsd_text note;    /* optional (.en NULL) */
        struct fsd_text verdict; /* diagnosis only: this fix vs the incident's kernel; .en NULL if unknown */
};

/* A fact decoded from the incident or its report: taint letters, exit path, kernel vs fix, ... */
struct fsd_fact {
        const char *key;         /* stable machine name: "taint", "exit_path", "kernel_vs_fix", ... */
        struct fsd_text text;
};

/* Why the rule matched (or which expected sign was missing). */
struct fsd_reason {
        struct fsd_text text;
        bool matched;            /* false: a supporting condition that did not hold */
        bool required;
        uint64_t line;           /* input line of the evidence, 0 if none */
        double weight;           /* its share of the confidence */
};

struct fsd_diagnosis {
        const char *rule_id;     /* NULL: no rule matched ("unrecognized") */
        enum fsd_severity severity;
        double confidence;       /* 0..1; 0 when unrecognized */
        const struct fsd_reason *reasons;
        size_t n_reasons;
        struct fsd_text title, explanation, remediation, prevention; /* placeholders filled in */
        const struct fsd_code_step *code_path;
        size_t n_code_path;
        const struct fsd_fix *fixes;
        size_t n_fixes;
        const struct fsd_fact *facts;
        size_t n_facts;
        const uint64_t *evidence_lines; /* sorted, distinct */
        size_t n_evidence_lines;
};

/* A read-only view of one rule, for listing and `fsdoctor explain`. Valid while the kb lives. */
struct fsd_rule_info {
        const char *id;          /* "btrfs/enospc-delayed-refs-evict" */
        const char *source;      /* file it was loaded from ("rules/btrfs/x.yaml" when built in) */
        enum fsd_fs_type fs;
        enum fsd_severity severity;
        struct fsd_text title, explanation, remediation, prevention; /* placeholders unfilled */
        const struct fsd_text *conditions; /* match conditions in words */
        const bool *condition_required;    /* parallel to conditions */
        size_t n_conditions;
        const struct fsd_code_step *code_path;
        size_t n_code_path;
        const struct fsd_fix *fixes;
        size_t n_fixes;
        const char *const *sources; /* where the rule's facts come from: commits, threads, source files */
        size_t n_sources;
};

/* The knowledge base embedded at build time. Loaded on first use, lives until exit; never free it.
 * The first call builds it without a lock: make it before other threads use the library.
 * @return 0 or a negative error (-FSD_E_RULE only if a built-in rule is broken: a build bug).
 * Since 0.1 */
FSD_API int fsd_kb_builtin(const struct fsd_kb **ret_kb);
/* Load every *.yaml below dir (recursively, sorted by path). On failure *reterr_detail (if not NULL)
 * receives a malloc'd "file:line:column: what was expected" sentence the caller frees.
 * @return 0, -FSD_E_RULE for an invalid rule, -FSD_E_LIMIT for too many or too big files, or a
 * negative errno. The rule file format is docs/rules.md. Since 0.1 */
FSD_API int fsd_kb_load_dir(const char *dir, struct fsd_kb **ret_kb, char **reterr_detail);
/* Frees a knowledge base from fsd_kb_load_dir() (never the built-in one); rule views and
 * diagnoses taken from it become invalid. Accepts NULL; returns NULL. Since 0.1 */
FSD_API struct fsd_kb *fsd_kb_free(struct fsd_kb *kb);
/* Number of rules. Since 0.1 */
FSD_API size_t fsd_kb_count(const struct fsd_kb *kb);
/* The i-th rule (0-based), NULL when i is out of range. Rules are sorted by id. Since 0.1 */
FSD_API const struct fsd_rule_info *fsd_kb_rule_at(const struct fsd_kb *kb, size_t i);
/* The rule with this id ("btrfs/enospc-abort"), NULL when none has it. Since 0.1 */
FSD_API const struct fsd_rule_info *fsd_kb_find(const struct fsd_kb *kb, const char *id);
/* One JSON object (no newline) describing a rule, both languages; schema "fsdoctor.rule/1".
 * @return 0 and a malloc'd string the caller frees, -EINVAL or -ENOMEM. Since 0.1 */
FSD_API int fsd_rule_to_json(const struct fsd_rule_info *rule, char **ret_json);
/* The diagnosis as one JSON object (both languages, no newline); the same object incidents carry.
 * @return 0 and a malloc'd string in *ret_json the caller frees, -EINVAL or -ENOMEM. Since 0.1 */
FSD_API int fsd_diagnosis_to_json(const struct fsd_diagnosis *d, char **ret_json);

/* ----------------------------------------------------------------------
 * The code path of an incident: the rule's hand-written path merged with the computed one
 * (experimental, since 0.2)
 *
 * The computed path is the incident's call trace, outermost caller first, each frame followed by
 * the calls inlined at its address (from fsd_debuginfo_symbolize()), and, between two frames
 * that debuginfo did not resolve, the candidates a source index suggests. Only the part between
 * the first and the last function the rule names is kept. The rule's steps are matched to it by
 * function name: a matched step lends its note; a step the computed path cannot confirm stays,
 * marked FSD_PATH_FROM_RULE, except where debuginfo resolved that very call site (an inlined or
 * shown step missing there is wrong): then the computed path wins and the step becomes a
 * disagreement. Steps the rule marks hidden (tail calls, code after the WARN) are never
 * contradicted by a trace.
 *
 * How to feed it (also for a kernel source indexer):
 *   FSD_OPTS(fsd_code_path_opts, o, .lines = lines, .n_lines = inc->n_reports,
 *            .candidates = cand, .n_candidates = n);
 *   struct fsd_code_path *p; int r = fsd_code_path_build(inc, &o, &p);
 *   ... p->steps[0..n_steps), p->disagreements[0..n_disagreements) ...
 *   fsd_incident_to_json_with_path(inc, p, &json); fsd_code_path_free(p);
 * Strings in the result are borrowed from the incident, the lines and the candidates (they must
 * outlive the path), except disagreement texts, which the path owns.
 * ---------------------------------------------------------------------- */

enum fsd_path_source {
        FSD_PATH_FROM_TRACE = 0,          /* a frame the call trace prints (or its RIP/pc) */
        FSD_PATH_FROM_INLINE_DEBUGINFO,   /* inlined at a frame's address, read from DWARF */
        FSD_PATH_FROM_SOURCE_CANDIDATE,   /* between two unresolved frames, from a source index */
        FSD_PATH_FROM_RULE,               /* only the rule's text says so */
};
/* "trace", "inline-debuginfo", "source-candidate", "rule" (as in JSON); "unknown" out of range.
 * Static storage. Since 0.2 */
FSD_API const char *fsd_path_source_name(enum fsd_path_source s);

/* One step of the merged path, outermost caller first. */
struct fsd_path_step {
        const char *function;
        const char *file;        /* NULL unknown */
        int line;                /* from debuginfo or the candidate; 0 unknown */
        enum fsd_path_source source;
        enum fsd_path_visibility visibility; /* shown (a frame), inlined, or the rule's hidden */
        bool in_trace;           /* a frame of one of the incident's reports */
        bool in_rule;            /* the rule names it; note is the rule's */
        struct fsd_text note;    /* .en NULL when none */
        uint64_t log_line;       /* the trace line of its frame, 0 none */
        unsigned alternative;    /* source candidates: the chain it belongs to (1, 2, ...); else 0 */
};

/* A rule step the computed path excludes. */
struct fsd_path_disagreement {
        const char *rule_function;   /* the rule's step ("run_delayed_data_ref") */
        const char *after;           /* the step before it, where the two paths part */
        const char *computed;        /* what the computed path has there ("a -> b -> c"), owned */
        const char *debuginfo;       /* the file that resolved the call site, NULL none */
        struct fsd_text text;        /* the whole finding as a sentence, owned */
};

struct fsd_code_path {
        const struct fsd_path_step *steps;
        size_t n_steps;
        const struct fsd_path_disagreement *disagreements;
        size_t n_disagreements;
        bool resolved;           /* debuginfo resolved at least one step of the path */
};

/* A function a source index says may be called between two adjacent frames of the trace. The
 * steps of one chain share .alternative (1, 2, ...) and come in call order. */
struct fsd_path_candidate {
        const char *caller;      /* the outer frame's function ("__btrfs_run_delayed_refs") */
        const char *callee;      /* the inner frame's function; NULL: any */
        const char *function;    /* the candidate between them */
        const char *file;        /* NULL unknown */
        int line;                /* 0 unknown */
        unsigned alternative;
};

struct fsd_code_path_opts {
        size_t sz;               /* sizeof(struct fsd_code_path_opts), set by FSD_OPTS() */
        /* lines[i]: fsd_debuginfo_symbolize() of inc->reports[i], NULL when not looked up */
        const struct fsd_report_lines *const *lines;
        size_t n_lines;
        const struct fsd_path_candidate *candidates;
        size_t n_candidates;
};

/* Builds the incident's merged code path (see above). opts may be NULL (trace and rule only).
 * An incident without a diagnosed rule, or whose rule has no path, gives an empty path.
 * @return 0 and a path freed with fsd_code_path_free(); -EINVAL (n_lines not 0 or n_reports),
 *         -ENOMEM. Since 0.2 */
FSD_API int fsd_code_path_build(const struct fsd_incident *inc, const struct fsd_code_path_opts *opts,
                                struct fsd_code_path **ret);
/* Accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_code_path *fsd_code_path_free(struct fsd_code_path *p);
/* fsd_incident_to_json() whose diagnosis carries p as its "code_path" and
 * "code_path_disagreements" (fsd_incident_to_json() builds them from the incident alone).
 * p NULL: the same as fsd_incident_to_json(). Since 0.2 */
FSD_API int fsd_incident_to_json_with_path(const struct fsd_incident *inc, const struct fsd_code_path *p,
                                           char **ret_json);

/* ======================================================================
 * btrfs inspection
 * ====================================================================== */

/* Block-group type and profile bits, as on disk (BTRFS_BLOCK_GROUP_*). */
#define FSD_BTRFS_BG_DATA      (UINT64_C(1) << 0)
#define FSD_BTRFS_BG_SYSTEM    (UINT64_C(1) << 1)
#define FSD_BTRFS_BG_METADATA  (UINT64_C(1) << 2)
#define FSD_BTRFS_BG_RAID0     (UINT64_C(1) << 3)
#define FSD_BTRFS_BG_RAID1     (UINT64_C(1) << 4)
#define FSD_BTRFS_BG_DUP       (UINT64_C(1) << 5)
#define FSD_BTRFS_BG_RAID10    (UINT64_C(1) << 6)
#define FSD_BTRFS_BG_RAID5     (UINT64_C(1) << 7)
#define FSD_BTRFS_BG_RAID6     (UINT64_C(1) << 8)
#define FSD_BTRFS_BG_RAID1C3   (UINT64_C(1) << 9)
#define FSD_BTRFS_BG_RAID1C4   (UINT64_C(1) << 10)
#define FSD_BTRFS_BG_TYPE_MASK (FSD_BTRFS_BG_DATA | FSD_BTRFS_BG_SYSTEM | FSD_BTRFS_BG_METADATA)
/* The kernel's SPACE_INFO reports the global reserve with this pseudo flag. */
#define FSD_BTRFS_SPACE_GLOBAL_RSV (UINT64_C(1) << 49)

struct fsd_btrfs_block_group {
        uint64_t start;          /* logical address */
        uint64_t length;         /* logical size */
        uint64_t used;           /* bytes used inside it */
        uint64_t flags;          /* type | profile bits */
};

struct fsd_btrfs_device {
        uint64_t devid;
        uint64_t size;           /* bytes btrfs may use on it (dev_item total_bytes) */
        uint64_t allocated;      /* bytes in device extents (dev_item bytes_used) */
        uint8_t uuid[16];
        char path[256];          /* device path when known, else "" */
        bool missing;            /* listed in the chunk tree but not present */
};

/* Aggregated per type and profile, in the kernel's SPACE_INFO terms: logical bytes. */
struct fsd_btrfs_space_info {
        uint64_t flags;
        uint64_t total;          /* logical size of all block groups of this kind */
        uint64_t used;
};

/* One space model, whichever way it was read. Owned by the caller; free with
 * fsd_btrfs_space_free(). Arrays are sorted: block groups by start, devices by devid. */
struct fsd_btrfs_space {
        bool online;             /* read through ioctls on a mounted fs, else from the disk */
        uint8_t fsid[16];
        char label[256];
        uint64_t generation;
        uint32_t nodesize, sectorsize;
        uint16_t csum_type;      /* 0 crc32c, 1 xxhash64, 2 sha256, 3 blake2b */
        uint64_t incompat_flags, compat_ro_flags;
        uint64_t super_total_bytes, super_bytes_used;
        uint64_t num_devices;    /* as the superblock says */
        struct fsd_btrfs_device *devices;
        size_t n_devices;
        struct fsd_btrfs_block_group *block_groups;
        size_t n_block_groups;
        struct fsd_btrfs_space_info *space_infos;
        size_t n_space_infos;
        uint64_t global_reserve, global_reserve_used;
        bool global_reserve_exact; /* true online (kernel's number); false offline (estimated) */
        char kernel_release[65]; /* online: running kernel; offline: "" */
};

/* Read a mounted filesystem through its ioctls and sysfs. path: its mount point or any path in it.
 * Per-block-group data needs CAP_SYS_ADMIN. The caller owns *ret_space.
 * @return 0, -ENOTTY/-FSD_E_NOT_BTRFS if it is not btrfs, -EPERM/-EACCES without the
 * capability, or another negative error. Since 0.1 */
FSD_API int fsd_btrfs_space_read_online(const char *path, struct fsd_btrfs_space **ret_space);
/* Read images or devices directly, read-only, never writing. paths: all devices of the filesystem
 * (one for single-device). On failure *reterr_detail (if not NULL) receives a malloc'd sentence
 * saying what is wrong and where (the caller frees it). The caller owns *ret_space.
 * @return 0, -FSD_E_NOT_BTRFS when no valid superblock is found, -FSD_E_CSUM, -FSD_E_CORRUPT,
 * -FSD_E_TRUNCATED or -FSD_E_UNSUPPORTED for a filesystem it cannot read, -FSD_E_LIMIT, or the
 * negative errno of open/read. Since 0.1 */
FSD_API int fsd_btrfs_space_read_offline(const char *const *paths, size_t n_paths,
                                         struct fsd_btrfs_space **ret_space, char **reterr_detail);
/* Frees a space model and its arrays. Accepts NULL; returns NULL. Since 0.1 */
FSD_API struct fsd_btrfs_space *fsd_btrfs_space_free(struct fsd_btrfs_space *space);

/* ----------------------------------------------------------------------
 * btrfs: btrfs-progs' "Overall" numbers, risk verdict, histogram, reclaim plan
 * EXPERIMENTAL: the risk thresholds, reasons and the reclaim plan's selection may change in 0.x.
 * ---------------------------------------------------------------------- */

/* What `btrfs filesystem usage -b` prints under "Overall", computed the way btrfs-progs does
 * (same integer and floating-point steps, so the numbers agree to the byte). */
struct fsd_btrfs_usage_overall {
        uint64_t device_size;        /* sum of the devices' btrfs sizes */
        uint64_t device_allocated;   /* raw bytes in chunks (metadata left out on mixed fs) */
        int64_t device_unallocated;  /* size - allocated; negative is possible, as in progs */
        uint64_t device_missing;     /* size of devices that are not present */
        uint64_t used;               /* raw bytes used */
        uint64_t free_estimated;     /* data free + unallocated / data ratio */
        uint64_t free_min;           /* same with unallocated / the highest ratio of any profile */
        double data_ratio, metadata_ratio;
        uint64_t global_reserve, global_reserve_used;
        bool mixed;                  /* mixed data+metadata block groups */
        bool multiple_profiles;      /* a type has more than one profile (interrupted convert) */
};

/* @return 0, or -EINVAL. RAID5/6 ratios are estimated from the device count (the model does
 * not keep stripe counts). Since 0.1 */
FSD_API int fsd_btrfs_usage_overall(const struct fsd_btrfs_space *space,
                                    struct fsd_btrfs_usage_overall *ret_overall);

enum fsd_btrfs_risk {
        FSD_BTRFS_RISK_OK = 0,
        FSD_BTRFS_RISK_WATCH,        /* headroom is thin; nothing fails yet */
        FSD_BTRFS_RISK_HIGH,         /* metadata cannot grow: an ENOSPC abort is a matter of load */
        FSD_BTRFS_RISK_CRITICAL,     /* metadata is at the global reserve: abort is imminent */
        _FSD_BTRFS_RISK_MAX,
};
/* "ok", "watch", "high", "critical"; "unknown" out of range. Static storage. Since 0.1 */
FSD_API const char *fsd_btrfs_risk_name(enum fsd_btrfs_risk r);

/* Why the verdict is what it is. value/limit are the two numbers the reason compares. */
enum fsd_btrfs_reason_code {
        FSD_BTRFS_REASON_NO_METADATA_CHUNK_ROOM = 0, /* value: unallocated, limit: bytes one new
                                                        metadata chunk needs on the devices */
        FSD_BTRFS_REASON_LOW_HEADROOM,               /* value: unallocated, limit: headroom target */
        FSD_BTRFS_REASON_METADATA_FREE_BELOW_RESERVE,/* value: metadata free, limit: global reserve */
        FSD_BTRFS_REASON_METADATA_FREE_NEAR_RESERVE, /* value: metadata free, limit: 2 x reserve */
        FSD_BTRFS_REASON_RESERVE_IN_USE,             /* value: reserve used, limit: reserve size */
        FSD_BTRFS_REASON_OLD_KERNEL,                 /* kernel before 5.0 (no delayed-refs reserve);
                                                        value: major*1000+minor */
        FSD_BTRFS_REASON_DEVICE_MISSING,             /* value: number of missing devices */
        FSD_BTRFS_REASON_HEADROOM_OK,                /* value: unallocated, limit: target (ok) */
        _FSD_BTRFS_REASON_MAX,
};
/* Stable kebab-case id ("no-metadata-chunk-room", ...), used in JSON; "unknown" out of range.
 * Static storage. Since 0.1 */
FSD_API const char *fsd_btrfs_reason_id(enum fsd_btrfs_reason_code c);

struct fsd_btrfs_reason {
        enum fsd_btrfs_reason_code code;
        enum fsd_btrfs_risk level;   /* the level this reason alone calls for */
        uint64_t value, limit;
};

/* Block groups per type by how full they are: bucket i holds groups with used/length in
 * [10i %, 10i+10 %); bucket 9 also holds completely full ones. */
enum { FSD_BTRFS_HIST_DATA, FSD_BTRFS_HIST_METADATA, FSD_BTRFS_HIST_SYSTEM, _FSD_BTRFS_HIST_MAX };

/* The fewest data block groups, least used first, whose relocation returns enough unallocated
 * space for the headroom target, and the btrfs balance command(s) that relocate exactly them. */
struct fsd_btrfs_reclaim_plan {
        bool needed;                 /* unallocated is below the target */
        bool feasible;               /* relocation can reach the target (else: add space) */
        uint64_t target_unallocated; /* raw bytes wanted unallocated */
        uint64_t reclaim_needed;     /* target - unallocated, raw */
        uint64_t reclaimed;          /* raw bytes the selected groups return */
        uint64_t bytes_to_move;      /* logical bytes relocation rewrites */
        uint64_t bytes_to_move_raw;  /* the same times the data copies */
        const struct fsd_btrfs_block_group *block_groups; /* selected, by start (owned) */
        size_t n_block_groups;
        int usage_filter;            /* N when "-dusage=N" selects exactly these groups, else -1 */
        char **commands;             /* shell commands, in order (owned) */
        size_t n_commands;
};

struct fsd_btrfs_assessment {
        enum fsd_btrfs_risk risk;
        struct fsd_btrfs_reason reasons[8];
        size_t n_reasons;
        /* the inputs of the verdict */
        uint64_t metadata_flags;     /* profile of metadata (or mixed) block groups */
        uint64_t metadata_total, metadata_used, metadata_free; /* logical */
        uint64_t global_reserve, global_reserve_used;
        bool global_reserve_exact;   /* the kernel's number (online) or an estimate (offline) */
        uint64_t unallocated;        /* raw, over present devices */
        uint64_t metadata_chunk_size;/* logical size of the next metadata chunk */
        uint64_t metadata_chunk_need;/* raw bytes it takes on the devices */
        bool metadata_chunk_fits;    /* the devices' unallocated space can hold it now */
        uint64_t data_chunk_size;    /* logical size of the next data chunk */
        uint64_t headroom_target;    /* raw unallocated wanted: one metadata + one data chunk */
        int kernel_has_delayed_refs_rsv; /* 1 yes (>= 5.0), 0 no, -1 kernel unknown */
        char kernel_release[65];
        uint64_t histogram[_FSD_BTRFS_HIST_MAX][10];
        struct fsd_btrfs_reclaim_plan plan;
};

struct fsd_btrfs_assess_opts {
        size_t sz;
        const char *kernel_release;  /* NULL: the space's own (running kernel online); "" unknown */
        const char *mount_path;      /* path used in balance commands; NULL: "MOUNTPOINT" */
};

/* Verdict, histogram and reclaim plan for one space model (which must outlive nothing: the
 * assessment copies what it keeps). @return 0 and *ret_assessment (free with
 * fsd_btrfs_assessment_free()), or a negative error code. Since 0.1 */
FSD_API int fsd_btrfs_assess(const struct fsd_btrfs_space *space, const struct fsd_btrfs_assess_opts *opts,
                             struct fsd_btrfs_assessment **ret_assessment);
/* Frees an assessment and its plan. Accepts NULL; returns NULL. Since 0.1 */
FSD_API struct fsd_btrfs_assessment *fsd_btrfs_assessment_free(struct fsd_btrfs_assessment *a);

/* One JSON object (schema "fsdoctor.inspect/1", docs/json-schema-inspect.md): the model, the
 * overall numbers, and when assessment is not NULL the histogram, verdict and plan.
 * @return 0 and a malloc'd string in *ret_json the caller frees, -EINVAL or -ENOMEM. Since 0.1 */
FSD_API int fsd_btrfs_space_to_json(const struct fsd_btrfs_space *space,
                                    const struct fsd_btrfs_assessment *assessment, char **ret_json);

/* Look for btrfs superblocks on an image file or block device without reading further: the
 * primary copy at 64 KiB and the mirrors at 64 MiB and 256 GiB where the input is that large.
 * Only the magic is checked (fsd_btrfs_space_read_offline() verifies the rest).
 * @return a bit mask of the copies that carry the btrfs magic (bit 0 the primary, bits 1 and 2
 * the mirrors), 0 when none does: then *reterr_detail (if not NULL) receives a malloc'd
 * sentence saying, copy by copy, what is there instead ("no btrfs magic at 64 KiB; the mirrors
 * at 64 MiB and 256 GiB lie beyond the end"), which the caller frees. Or -EINVAL, or the
 * negative errno of open/read. Since 0.2 */
FSD_API int fsd_btrfs_probe(const char *path, char **reterr_detail);

/* ===============================================================
 * Mounts: the mount table of this process (/proc/self/mountinfo, proc(5))
 * ====================================================================== */

/* One mount. Strings are unescaped (mountinfo writes space, tab, newline and backslash as \ooo)
 * and owned by the table they came from. */
struct fsd_mount {
        uint32_t id, parent_id;
        uint32_t dev_major, dev_minor; /* st_dev of files on it (btrfs: an anonymous device) */
        const char *root;          /* the directory of the filesystem mounted here ("/", "/@home") */
        const char *mount_point;
        const char *mount_options; /* per-mount options ("rw,relatime") */
        const char *fstype;        /* "btrfs"; "fuse.sshfs" for subtypes */
        const char *source;        /* "/dev/sda1", or whatever the filesystem says ("none", "tmpfs") */
        const char *super_options; /* per-superblock options */
        bool read_only;            /* "ro" in the mount's or the superblock's options */
};

struct fsd_mountinfo;
/* Read a mount table. path NULL = /proc/self/mountinfo. Lines without mountinfo's shape are
 * skipped. @return 0 and the table in *ret_mountinfo (free with fsd_mountinfo_free()), -EINVAL,
 * -ENOMEM, the negative errno of open/read, -FSD_E_FORMAT when no line is a mount, or
 * -FSD_E_LIMIT for a table no kernel writes (a line over 64 KiB, a million mounts). Since 0.2 */
FSD_API int fsd_mountinfo_read(const char *path, struct fsd_mountinfo **ret_mountinfo);
/* The same from an open mountinfo descriptor, read from its start; fd stays the caller's (a daemon
 * keeps it open and polls it for POLLPRI, the kernel's "the mount table changed"). Since 0.2 */
FSD_API int fsd_mountinfo_read_fd(int fd, struct fsd_mountinfo **ret_mountinfo);
/* Number of mounts, in the table's order (parents before children). Since 0.2 */
FSD_API size_t fsd_mountinfo_count(const struct fsd_mountinfo *mi);
/* The i-th mount, NULL when i is out of range; valid while the table lives. Since 0.2 */
FSD_API const struct fsd_mount *fsd_mountinfo_at(const struct fsd_mountinfo *mi, size_t i);
/* The first mount of fstype (NULL: any) whose source is the block device major:minor (found by
 * stat(2) of the source path), only read-write ones when writable. Only the device the kernel
 * names as a mount's source is found: other members of a multi-device btrfs are not. NULL when
 * none. Since 0.2 */
FSD_API const struct fsd_mount *fsd_mountinfo_find_device(const struct fsd_mountinfo *mi, const char *fstype,
                                                          unsigned major, unsigned minor, bool writable);
/* Frees the table and its strings. Accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_mountinfo *fsd_mountinfo_free(struct fsd_mountinfo *mi);

/* ======================================================================
 * btrfs watch: sampling, forecast of metadata exhaustion, guard (reclaim)
 *
 * EXPERIMENTAL (since 0.2): define FSD_EXPERIMENTAL_API before including this header to use
 * these; names and structs may still change. They build on fsd_btrfs_space_read_online() and
 * fsd_btrfs_assess(): a sample is one reading of both, the forecast fits a line through the
 * metadata headroom of successive samples, the guard runs the assessment's reclaim plan one
 * block group at a time through the kernel's balance ioctl (never a shell).
 * ====================================================================== */
#ifdef FSD_EXPERIMENTAL_API

/* One mounted btrfs, as /proc/self/mountinfo lists it. Strings are owned by the list. */
struct fsd_btrfs_mount {
        char *mount_point;       /* unescaped */
        char *source;            /* the device the kernel names ("/dev/loop0") */
        unsigned major, minor;   /* st_dev of the filesystem: equal for every mount of it */
        bool read_only;          /* the mount or the superblock is read-only */
        bool degraded;           /* mounted with -o degraded */
};

/** fsd_btrfs_mounts_list() : every mounted btrfs, one entry per filesystem (the first mount
 * point listed wins when a filesystem is mounted several times, e.g. subvolumes), from
 * fsd_mountinfo_read().
 * @param mountinfo  NULL for /proc/self/mountinfo, else a file in that format (tests).
 * @return the number of entries (>= 0) with *ret_mounts (free with fsd_btrfs_mounts_free()),
 *         or the error of fsd_mountinfo_read(); FSD_E_LIMIT beyond 4096 filesystems. Call it
 *         again to pick up new mounts. Since 0.2 */
FSD_API int fsd_btrfs_mounts_list(const char *mountinfo, struct fsd_btrfs_mount **ret_mounts);
/* Frees the n entries and their strings; accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_btrfs_mount *fsd_btrfs_mounts_free(struct fsd_btrfs_mount *mounts, size_t n);

/* One reading of a mounted btrfs: the model, its assessment, and what metadata can still get. */
struct fsd_btrfs_sample {
        uint64_t time_ns;                /* CLOCK_REALTIME when it was taken */
        struct fsd_btrfs_space *space;   /* owned: per profile, per device, global reserve */
        struct fsd_btrfs_assessment *assessment; /* owned: verdict, reasons, reclaim plan */
        uint64_t metadata_from_unallocated; /* logical bytes new metadata chunks can still get
                                               from unallocated space, for the metadata profile */
        int64_t metadata_headroom;       /* metadata free + metadata_from_unallocated - global
                                            reserve size: what ordinary writes can still use;
                                            ENOSPC comes when it reaches about 0 */
};

/** fsd_btrfs_metadata_capacity() : logical bytes of metadata the devices' unallocated space
 * can still take, chunk by chunk as the allocator places them for the metadata profile (DUP:
 * two copies on one device; RAID1/1C3/1C4: one copy on each of the k emptiest-last devices;
 * striped profiles: unallocated divided by their ratio). Missing devices give nothing.
 * @return 0, -EINVAL, -ENOMEM. Since 0.2 */
FSD_API int fsd_btrfs_metadata_capacity(const struct fsd_btrfs_space *space, uint64_t metadata_flags,
                                        uint64_t *ret_bytes);

/** fsd_btrfs_sample_take() : read the filesystem at path (online; root for block groups) and
 * assess it. @return 0 and *ret_sample (free with fsd_btrfs_sample_free()), or the negative
 * error of fsd_btrfs_space_read_online()/fsd_btrfs_assess(). Since 0.2 */
FSD_API int fsd_btrfs_sample_take(const char *path, struct fsd_btrfs_sample **ret_sample);
/* Frees the sample with its space and assessment; accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_btrfs_sample *fsd_btrfs_sample_free(struct fsd_btrfs_sample *sample);
struct fsd_btrfs_forecast_result;
/* One JSON object (schema "fsdoctor.btrfs-sample/1"): time_ms (Unix), fsid, verdict and reasons,
 * per-profile size/used, per-device unallocated, global reserve, metadata headroom, and the
 * forecast when not NULL. mount_point is copied into it. @return 0 and a malloc'd string the
 * caller frees, -EINVAL, -ENOMEM. Since 0.2 */
FSD_API int fsd_btrfs_sample_to_json(const struct fsd_btrfs_sample *sample, const char *mount_point,
                                     const struct fsd_btrfs_forecast_result *forecast, char **ret_json);

/* --- forecast: Theil-Sen line through (time, metadata headroom) over a sliding window --- */
struct fsd_btrfs_forecast_opts {
        size_t sz;
        double window_seconds;   /* keep points this recent (default 1800) */
        size_t max_points;       /* and at most this many, newest kept (default 240, max 2048) */
        double confidence;       /* band of the slope, two-sided (default 0.90) */
};

struct fsd_btrfs_forecast_result {
        bool valid;              /* at least 5 points spanning some time */
        size_t n_points;
        double slope;            /* bytes per second (Theil-Sen: median of pairwise slopes) */
        double slope_low, slope_high; /* the confidence band of the slope (order statistics of the
                                         pairwise slopes, Sen 1968) */
        double level;            /* fitted headroom at the newest point, bytes */
        /* seconds from the newest point until the fitted headroom reaches 0; INFINITY when the
         * headroom is not falling. eta_early and eta_late from the lines with slope_low and
         * slope_high, each through the median of its residuals. */
        double eta, eta_early, eta_late;
};

struct fsd_btrfs_forecast;
/** fsd_btrfs_forecast_new() : opts may be NULL (defaults). @return 0, -EINVAL, -ENOMEM.
 * Since 0.2 */
FSD_API int fsd_btrfs_forecast_new(const struct fsd_btrfs_forecast_opts *opts,
                                   struct fsd_btrfs_forecast **ret_forecast);
/* Accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_btrfs_forecast *fsd_btrfs_forecast_free(struct fsd_btrfs_forecast *f);
/** fsd_btrfs_forecast_add() : one point; t in seconds (any epoch, increasing). Points older than
 * the window are dropped. A t not after the newest point resets the series (a clock jump).
 * @return 0, -EINVAL for a non-finite value. Since 0.2 */
FSD_API int fsd_btrfs_forecast_add(struct fsd_btrfs_forecast *f, double t, double headroom);
/** fsd_btrfs_forecast_compute() : @return 0 (ret->valid false when too few points), -EINVAL,
 * -ENOMEM. Since 0.2 */
FSD_API int fsd_btrfs_forecast_compute(const struct fsd_btrfs_forecast *f,
                                       struct fsd_btrfs_forecast_result *ret);

/* --- guard: the smallest balance that restores headroom --- */
enum fsd_btrfs_guard_outcome {
        FSD_BTRFS_GUARD_HEADROOM_OK = 0, /* nothing to do */
        FSD_BTRFS_GUARD_RESTORED,        /* relocated block groups; headroom is back */
        FSD_BTRFS_GUARD_WOULD_RECLAIM,   /* dry run: steps listed, nothing changed */
        FSD_BTRFS_GUARD_REFUSED,         /* unsafe now: see refusal */
        FSD_BTRFS_GUARD_PAUSED,          /* I/O or CPU pressure, or the hourly budget is spent */
        FSD_BTRFS_GUARD_INCOMPLETE,      /* steps ran but headroom is still short (no more
                                            candidates, step limit, a step failed) */
        FSD_BTRFS_GUARD_INFEASIBLE,      /* no relocation can restore it: add space */
        FSD_BTRFS_GUARD_CANCELLED,       /* fsd_btrfs_guard_cancel() was called */
        _FSD_BTRFS_GUARD_OUTCOME_MAX,
};
/* "headroom-ok", "restored", ...; "unknown" out of range. Static. Since 0.2 */
FSD_API const char *fsd_btrfs_guard_outcome_id(enum fsd_btrfs_guard_outcome o);

enum fsd_btrfs_guard_refusal {
        FSD_BTRFS_GUARD_OK_TO_RUN = 0,
        FSD_BTRFS_GUARD_READ_ONLY,       /* mounted or forced read-only */
        FSD_BTRFS_GUARD_DEGRADED,        /* a device is missing or -o degraded */
        FSD_BTRFS_GUARD_BALANCE_RUNNING, /* BTRFS_IOC_BALANCE_PROGRESS: a balance runs or is paused */
        FSD_BTRFS_GUARD_SCRUB_RUNNING,   /* BTRFS_IOC_SCRUB_PROGRESS on some device */
        FSD_BTRFS_GUARD_REPLACE_RUNNING, /* BTRFS_IOC_DEV_REPLACE status started or suspended */
        FSD_BTRFS_GUARD_EXCLUSIVE_OP,    /* sysfs exclusive_operation: resize, add, remove, ... */
        FSD_BTRFS_GUARD_NOT_PERMITTED,   /* balance needs CAP_SYS_ADMIN */
        _FSD_BTRFS_GUARD_REFUSAL_MAX,
};
/* "read-only", "degraded", "balance-running", ...; "unknown" out of range. Static. Since 0.2 */
FSD_API const char *fsd_btrfs_guard_refusal_id(enum fsd_btrfs_guard_refusal r);

/** fsd_btrfs_guard_check_safe() : may a balance start on the filesystem at path now? Checks, in
 * this order: read-only (statvfs and mountinfo), missing devices or -o degraded, a running or
 * paused balance, a scrub on any device, a device replace, the kernel's exclusive operation
 * (sysfs, where the kernel has it). @return 0 and *ret_refusal (OK_TO_RUN or why not), or a
 * negative error when the checks themselves fail. *ret_detail (optional) gets a static string
 * naming the operation seen (e.g. "resize"), or NULL. Since 0.2 */
FSD_API int fsd_btrfs_guard_check_safe(const char *path, enum fsd_btrfs_guard_refusal *ret_refusal,
                                       const char **ret_detail);

/* One relocation (or, in a dry run, one that would run). */
struct fsd_btrfs_guard_step {
        unsigned index;                  /* 1, 2, ... within one fsd_btrfs_guard_run() */
        bool dry_run;
        uint64_t vstart, vend;           /* the vrange filter: exactly one data block group */
        uint64_t bg_length, bg_used;     /* bg_used is what relocation rewrites (logical) */
        uint64_t bytes_relocated;        /* bg_used times the profile's copies when it ran, else 0 */
        uint64_t unallocated_before, unallocated_after; /* raw; after: predicted in a dry run */
        double seconds;                  /* time the balance ioctl took */
        int error;                       /* 0, or the ioctl's negative errno */
};
typedef void (*fsd_btrfs_guard_step_fn)(const struct fsd_btrfs_guard_step *step, void *userdata);

struct fsd_btrfs_guard_opts {
        size_t sz;
        bool dry_run;                    /* list the steps, change nothing */
        double budget_seconds_per_hour;  /* balance time allowed in any hour (default 300) */
        double max_io_pressure;          /* PSI "some avg10" % above which it pauses (default 40) */
        double max_cpu_pressure;         /* same for CPU (default 80) */
        const char *pressure_dir;        /* NULL: /proc/pressure (tests point elsewhere) */
        unsigned max_steps;              /* per run (default 32) */
        fsd_btrfs_guard_step_fn on_step; /* called after each step (borrowed struct) */
        void *userdata;
};

struct fsd_btrfs_guard_result {
        enum fsd_btrfs_guard_outcome outcome;
        enum fsd_btrfs_guard_refusal refusal;    /* when REFUSED */
        const char *detail;              /* static: the exclusive operation, the pressure kind, ... */
        enum fsd_btrfs_risk risk_before, risk_after;
        bool triggered;                  /* unallocated < one metadata chunk (profile-aware) or
                                            risk high or worse */
        unsigned n_steps;
        uint64_t bytes_relocated;        /* raw */
        uint64_t unallocated_before, unallocated_after, headroom_target;
        double seconds;                  /* balance time spent in this run */
        double io_pressure, cpu_pressure;/* PSI some avg10 read for the decision, -1 if unknown */
};

struct fsd_btrfs_guard;
/** fsd_btrfs_guard_new() : a guard for the filesystem mounted at path (copied). opts may be
 * NULL. The hourly budget is kept across runs of one guard. @return 0, -EINVAL, -ENOMEM.
 * Since 0.2 */
FSD_API int fsd_btrfs_guard_new(const char *path, const struct fsd_btrfs_guard_opts *opts,
                                struct fsd_btrfs_guard **ret_guard);
/* Accepts NULL; returns NULL. No run may be in progress. Since 0.2 */
FSD_API struct fsd_btrfs_guard *fsd_btrfs_guard_free(struct fsd_btrfs_guard *g);
/** fsd_btrfs_guard_run() : one pass: read and assess; when triggered and safe, relocate the
 * least-used data block group of the reclaim plan (BTRFS_IOC_BALANCE_V2 with a vrange filter
 * over exactly that group), re-read, and repeat until unallocated reaches the headroom target
 * (one metadata plus one data chunk) and a metadata chunk fits, re-checking safety, pressure,
 * budget and cancellation between steps. Pressure is ignored when the risk is critical.
 * @return 0 with *ret filled (the outcome says what happened), or a negative error when the
 *         filesystem cannot be read. Since 0.2 */
FSD_API int fsd_btrfs_guard_run(struct fsd_btrfs_guard *g, struct fsd_btrfs_guard_result *ret);
/** fsd_btrfs_guard_cancel() : from another thread (or a signal-handling thread): stop the run,
 * and cancel the balance this guard started (BTRFS_IOC_BALANCE_CTL), never someone else's.
 * Blocks until the kernel has stopped the balance. Later runs return CANCELLED. Since 0.2 */
FSD_API void fsd_btrfs_guard_cancel(struct fsd_btrfs_guard *g);

#endif /* FSD_EXPERIMENTAL_API */

/* ======================================================================
 * Kernel source tree: --source (experimental, since 0.2)
 *
 * A kernel source tree (the top of an unpacked linux-x.y, with its Makefile) shows the source
 * around every line a report names: its WARNING/BUG site, the lines debuginfo resolved, the
 * "in FUNC:LINE" of btrfs and ext4 error messages. Each line is checked against the function
 * named with it; a line outside it means the tree is not the log's kernel. Between two adjacent
 * trace frames it finds the candidate paths through the static functions the compiler may have
 * inlined (the trace never shows them). Definitions and their extents come from universal-ctags,
 * call sites from cscope, both run without a shell on the directories a report needs (fs/btrfs),
 * their index kept in a cache directory keyed by the tree's path and its files' names, sizes and
 * mtimes. An fsd_srctree is not thread-safe.
 * ====================================================================== */

struct fsd_srctree;
struct fsd_srctree_opts {
        size_t sz;
        const char *cache_dir;   /* indexes kept here; NULL: $XDG_CACHE_HOME/fsdoctor/srctree
                                  * (~/.cache/...); "": none, a temporary index per run */
        unsigned max_hidden;     /* most functions a candidate path hides between two frames;
                                  * 0: 3; at most 6 */
};
/* Opens and checks dir: a top Makefile with VERSION and PATCHLEVEL, fs/ and include/. Nothing is
 * indexed yet. @return 0 and *ret (free with fsd_srctree_free()); -ENOENT, -ENOTDIR, -EINVAL (not
 * a kernel source tree), -ENOMEM; *ret_detail (may be NULL) a malloc'd message. Since 0.2 */
FSD_API int fsd_srctree_open(const char *dir, const struct fsd_srctree_opts *opts, struct fsd_srctree **ret,
                             char **ret_detail);
/* Accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_srctree *fsd_srctree_free(struct fsd_srctree *t);
/* "6.1.192": VERSION.PATCHLEVEL.SUBLEVEL and EXTRAVERSION of the tree's Makefile. Since 0.2 */
FSD_API const char *fsd_srctree_release(const struct fsd_srctree *t);
/* The tree's absolute path. Since 0.2 */
FSD_API const char *fsd_srctree_root(const struct fsd_srctree *t);

enum fsd_src_release_match {
        FSD_SRC_RELEASE_UNKNOWN = 0, /* the log names no release */
        FSD_SRC_RELEASE_SAME,        /* same VERSION.PATCHLEVEL, and SUBLEVEL where the log has one */
        FSD_SRC_RELEASE_SUBLEVEL,    /* same x.y, another stable release: lines may have moved */
        FSD_SRC_RELEASE_OTHER,       /* another x.y: lines will not match */
};
/* "unknown", "same", "other-sublevel", "other". Static storage. Since 0.2 */
FSD_API const char *fsd_src_release_match_name(enum fsd_src_release_match m);

enum fsd_src_check {
        FSD_SRC_INSIDE = 0,      /* the line is inside the function named with it */
        FSD_SRC_INLINED,         /* inside a static function that function can inline */
        FSD_SRC_OUTSIDE,         /* in another function or none: the tree is not the log's kernel */
        FSD_SRC_NO_FUNCTION,     /* the tree defines no such function there */
        FSD_SRC_NO_FILE,         /* no such file in the tree, or it ends before the line */
        FSD_SRC_UNCHECKED,       /* shown without a check (no function named, or not indexed) */
};
/* "inside", "in-inlined-callee", "outside", "no-such-function", "no-such-line", "unchecked".
 * Static storage. Since 0.2 */
FSD_API const char *fsd_src_check_name(enum fsd_src_check c);

struct fsd_src_excerpt {
        const char *why;         /* "report-site", "debuginfo", "debuginfo-inlined", "error-message" */
        const char *function;    /* named by the log or DWARF with the line, NULL none */
        const char *file;        /* relative to the tree (as named, when not in it) */
        int line;
        uint64_t log_line;       /* input line it comes from, 0 unknown */
        enum fsd_src_check check;
        const char *enclosing;   /* the function whose definition holds the line, NULL none/unknown */
        int enclosing_start, enclosing_end;
        int first_line;          /* text[0]'s line number */
        const char *const *text; /* the lines around line, control bytes shown as '?' */
        size_t n_text;
};

struct fsd_src_step {
        const char *function;
        const char *file;
        int def_line;            /* where it is defined, 0 unknown */
        int call_line;           /* where it calls the next step, 0 for the last */
};
struct fsd_src_path {
        const struct fsd_src_step *steps; /* caller first, callee last; the steps between are hidden */
        size_t n_steps;
};
/* Candidate paths from one trace frame (the caller) to the frame above it (the callee). */
struct fsd_src_candidates {
        const char *caller, *callee;
        int caller_frame, callee_frame; /* index in the report's frames[]; -1: the RIP's function */
        bool direct;             /* the caller also calls the callee itself */
        bool truncated;          /* the search hit its limits: more paths may exist */
        const struct fsd_src_path *paths; /* shortest first */
        size_t n_paths;
};

struct fsd_source_view {
        const char *tree, *tree_release, *log_release;
        enum fsd_src_release_match release_match;
        const struct fsd_src_excerpt *excerpts;
        size_t n_excerpts;
        const struct fsd_src_candidates *candidates;
        size_t n_candidates;
        const char *const *problems; /* what could not be looked at, and why (a missing indexer...) */
        size_t n_problems;
};
/* The source of a report: its site, every line of rl (may be NULL), and candidate paths between
 * adjacent frames the debuginfo did not resolve. @return 0 and a view freed with
 * fsd_source_view_free(); -EINVAL, -ENOMEM. What cannot be looked at is in its problems. Since 0.2 */
FSD_API int fsd_srctree_view_report(struct fsd_srctree *t, const struct fsd_report *r,
                                    const struct fsd_report_lines *rl, struct fsd_source_view **ret);
/* The source of an incident's "in FUNC:LINE" error messages. As above. Since 0.2 */
FSD_API int fsd_srctree_view_incident(struct fsd_srctree *t, const struct fsd_incident *inc,
                                      struct fsd_source_view **ret);
/* Accepts NULL; returns NULL. Since 0.2 */
FSD_API struct fsd_source_view *fsd_source_view_free(struct fsd_source_view *v);
/* One JSON object: {"tree", "tree_release", "log_release", "release_match", "excerpts": [...],
 * "candidate_paths": [...], "problems": [...]} (docs/json-schema-report.md, "source").
 * @return 0 and a malloc'd string, -EINVAL, -ENOMEM. Since 0.2 */
FSD_API int fsd_source_view_to_json(const struct fsd_source_view *v, char **ret_json);

#ifdef __cplusplus
}
#endif

#endif
