/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report state machine: decides, record by record, which lines belong to which report.
 *
 * Each printk context (caller id "[T123]"/"[C4]", or one shared context when the log has none)
 * holds at most one open report. A header line opens one; "---[ end trace", a KASAN-style "====="
 * rule, a new header in the same context, a quiet stretch after the trace, a gap in kernel time,
 * a new boot or input, or a hard limit closes it. Only then are title, fields and frames worked
 * out (report-build.c), so the per-line cost is a prefilter and, inside a report, one copy. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "report-internal.h"
#include "report-build.h"
#include "basic/cleanup.h"
#include "core/diag-log.h"

#define PARSER_MAX_CONTEXTS 8
/* After this many lines a panic inside a report is the panic_on_warn/Fatal-exception tail:
 * its own stack repeats the report's, so it is not kept. */
#define PANIC_TAIL_AFTER_LINES 22
/* Lines of other messages after the call trace that end a report nobody terminated. */
#define REPORT_QUIET_LINES 30
/* Kernel-time gap that ends a report: the kernel prints one within milliseconds. */
#define REPORT_MAX_GAP_USEC (10 * 1000000LL)
/* How many records after a report a follow-up panic still belongs to it. */
#define PANIC_FOLLOW_LINES 20

struct fsd_report_parser {
        struct pending slots[PARSER_MAX_CONTEXTS];
        /* how many slots hold an open report: mostly none, and then a record skips the loops
         * over the slots */
        unsigned n_open;
        uint64_t records;
        /* the "------------[ cut here ]------------" line that precedes WARNING/BUG headers */
        uint64_t cut_here_record, cut_here_line;
        char cut_here_kind;
        uint32_t cut_here_id;
        /* for "Booting the kernel.": a kernel ran before it in this input, and did not announce
         * its end (restart, power-off, panic) */
        const char *stamped_origin;
        bool kernel_ran, shutdown_announced;
        struct report_builder builder;
};

static void pending_reset(struct pending *p) {
        p->open = false;
        p->n_lines = 0;
        p->len = 0;
        p->frozen = p->truncated = p->saw_frame = p->all_cpus = p->panicked = false;
        p->quiet = 0;
}

int fsd_report_parser_new(struct fsd_report_parser **ret) {
        if (!ret)
                return -EINVAL;
        _cleanup_free_ struct fsd_report_parser *p = calloc(1, sizeof *p);
        if (!p)
                return -ENOMEM;
        int r = report_builder_init(&p->builder);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

struct fsd_report_parser *fsd_report_parser_free(struct fsd_report_parser *p) {
        if (!p)
                return NULL;
        for (size_t i = 0; i < PARSER_MAX_CONTEXTS; i++) {
                free(p->slots[i].buf);
                free(p->slots[i].lines);
        }
        report_builder_done(&p->builder);
        free(p);
        return NULL;
}

static int pending_alloc(struct pending *s) {
        if (s->buf)
                return 0;
        s->buf = malloc(REPORT_MAX_BYTES);
        s->lines = malloc(REPORT_MAX_LINES * sizeof *s->lines);
        if (!s->buf || !s->lines) {
                free(s->buf);
                free(s->lines);
                s->buf = NULL;
                s->lines = NULL;
                return -ENOMEM;
        }
        return 0;
}

static void copy_small(char *dst, size_t cap, const char *src) {
        if (!src) {
                dst[0] = 0;
                return;
        }
        size_t n = strnlen(src, cap - 1);
        memcpy(dst, src, n);
        dst[n] = 0;
}

static void pending_append(struct pending *s, const struct fsd_record *rec) {
        if (s->frozen)
                return;
        size_t n = rec->len < REPORT_MAX_LINE_LEN ? rec->len : REPORT_MAX_LINE_LEN;
        if (s->n_lines >= REPORT_MAX_LINES || s->len + n > REPORT_MAX_BYTES) {
                s->truncated = s->frozen = true;
                return;
        }
        memcpy(s->buf + s->len, rec->text, n);
        s->lines[s->n_lines++] = (struct pending_line) {
                .off = (uint32_t) s->len, .len = (uint32_t) n, .line = rec->line, .mono_usec = rec->mono_usec,
        };
        s->len += n;
        s->last_line = rec->line;
        if (rec->mono_usec >= 0)
                s->last_mono = rec->mono_usec;
}

static int pending_open(struct fsd_report_parser *p, struct pending *s, const struct fsd_record *rec,
                        enum header_kind kind, size_t at) {
        int r = pending_alloc(s);
        if (r < 0)
                return r;
        if (!s->open)
                p->n_open++;
        pending_reset(s);
        s->open = true;
        s->kind = kind;
        s->header_at = at;
        s->ctx_kind = rec->caller_kind;
        s->ctx_id = rec->caller_id;
        s->boot = rec->boot;
        s->origin_ptr = rec->origin;
        copy_small(s->origin, sizeof s->origin, rec->origin);
        copy_small(s->host, sizeof s->host, rec->host);
        s->first_line = rec->line;
        s->header_kernel = rec->mono_usec >= 0 || rec->caller_kind || rec->format == FSD_FORMAT_KMSG ||
                           rec->format == FSD_FORMAT_SYSLOG || rec->format == FSD_FORMAT_RFC5424 ||
                           rec->format == FSD_FORMAT_DMESG_HUMAN ||
                           (rec->format >= FSD_FORMAT_JOURNAL_SHORT && rec->format <= FSD_FORMAT_JOURNAL_FILE);
        s->mono_usec = rec->mono_usec;
        s->wall_usec = rec->wall_usec;
        s->year_assumed = rec->wall_usec >= 0 && rec->wall_no_year;
        s->last_mono = rec->mono_usec;
        pending_append(s, rec);
        return 0;
}

static int pending_close(struct fsd_report_parser *p, struct pending *s, const char *cut_reason,
                         fsd_report_fn cb, void *userdata) {
        if (!s->open)
                return 0;
        s->open = false;
        p->n_open--;
        s->closed_ctx_kind = s->ctx_kind;
        s->closed_ctx_id = s->ctx_id;
        s->closed_at_record = p->records;
        s->recently_closed = true;
        return report_builder_emit(&p->builder, s, cut_reason, cb, userdata);
}

/* A central syslog interleaves many hosts: a line belongs only to reports of its own host, and
 * another host's boot, clock or silence says nothing about them. */
static bool pending_same_host(const struct pending *s, const struct fsd_record *rec) {
        if (!rec->host)
                return s->host[0] == 0;
        return strncmp(s->host, rec->host, sizeof s->host - 1) == 0;
}

static struct pending *slot_for(struct fsd_report_parser *p, const struct fsd_record *rec) {
        for (size_t i = 0; i < PARSER_MAX_CONTEXTS; i++)
                if (p->slots[i].open && p->slots[i].ctx_kind == rec->caller_kind &&
                    p->slots[i].ctx_id == rec->caller_id && pending_same_host(&p->slots[i], rec))
                        return &p->slots[i];
        return NULL;
}

/* A free slot, or the one holding the oldest report (closed first: we must make room). */
static int slot_take(struct fsd_report_parser *p, struct pending **ret, fsd_report_fn cb, void *userdata) {
        struct pending *oldest = NULL;
        for (size_t i = 0; i < PARSER_MAX_CONTEXTS; i++) {
                if (!p->slots[i].open) {
                        *ret = &p->slots[i];
                        return 0;
                }
                if (!oldest || p->slots[i].first_line < oldest->first_line)
                        oldest = &p->slots[i];
        }
        int r = pending_close(p, oldest, "too many reports open at once", cb, userdata);
        *ret = oldest;
        return r;
}

static bool is_frame_line(struct span text) {
        struct frame_view f;
        return frame_parse(text, &f);
}

/* Text that still belongs to a report after its trace: indented continuation, markers,
 * register dumps, memory dumps. */
static bool is_report_body(struct span text) {
        if (!text.len)
                return true;
        char c = text.ptr[0];
        if (c == ' ' || c == '\t' || c == '<' || c == '[' || c == '#' || c == '=')
                return true;
        /* "RAX: ...", "R10: ...", "FS:  ...", "x29: ..." and "ffff8880...: fb fb" dumps */
        size_t i = 0;
        while (i < text.len && i < 18 && ((text.ptr[i] >= 'A' && text.ptr[i] <= 'Z') || (text.ptr[i] >= 'a' && text.ptr[i] <= 'z') ||
                                        (text.ptr[i] >= '0' && text.ptr[i] <= '9')))
                i++;
        while (i < text.len && text.ptr[i] == ' ' && i < 20)
                i++;
        return i > 0 && i < text.len && (text.ptr[i] == ':' || text.ptr[i] == '>');
}

static bool is_rule_line(struct span text) {
        struct span v = span_trim(text);
        if (v.len < 20)
                return false;
        for (size_t i = 0; i < v.len; i++)
                if (v.ptr[i] != '=')
                        return false;
        return true;
}

static bool header_uses_rules(const struct pending *s) {
        struct span h = span_make(s->buf + s->lines[0].off + s->header_at, s->lines[0].len - s->header_at);
        return span_has(h, "KASAN:") || span_has(h, "KMSAN:") || span_has(h, "KCSAN:") || span_has(h, "KFENCE:") ||
               span_starts(h, "UBSAN:") || span_has(h, "memory leak");
}

/* "WARNING: CPU: 1 PID: 2 at fs/x.c:12 f+0x1/0x2", "WARNING: at fs/x.c:12 f()": __warn()'s line */
static bool warning_has_site(const struct pending *s) {
        struct span h = span_make(s->buf + s->lines[0].off + s->header_at, s->lines[0].len - s->header_at);
        long k = span_find(h, " at ");
        return k > 0 && span_find(span_make(h.ptr + k, h.len - (size_t) k), ".c:") > 0;
}

int fsd_report_parser_feed(struct fsd_report_parser *p, const struct fsd_record *rec, fsd_report_fn cb,
                           void *userdata) {
        int r;
        if (!p || !rec || (!rec->text && rec->len))
                return -EINVAL;
        p->records++;
        struct span text = span_make(rec->text ? rec->text : "", rec->len);

        /* a new boot or another input cuts every open report short */
        for (size_t i = 0; p->n_open && i < PARSER_MAX_CONTEXTS; i++) {
                struct pending *s = &p->slots[i];
                if (!s->open)
                        continue;
                /* the name, not the pointer: a source freed after its input may hand its
                 * address to the next one */
                bool other_input = strcmp(s->origin, rec->origin ? rec->origin : "") != 0;
                if (!other_input && !pending_same_host(s, rec))
                        continue;
                if (s->boot != rec->boot || other_input) {
                        r = pending_close(p, s, "the log ends inside the report", cb, userdata);
                        if (r < 0)
                                return r;
                } else if (rec->mono_usec >= 0 && s->last_mono >= 0 &&
                           s->ctx_kind == rec->caller_kind && s->ctx_id == rec->caller_id &&
                           rec->mono_usec - s->last_mono > REPORT_MAX_GAP_USEC) {
                        /* a step back is not an end: interleaved printk output steps back within a
                         * boot, and a real reboot was seen above */
                        r = pending_close(p, s, NULL, cb, userdata);
                        if (r < 0)
                                return r;
                }
        }

        /* one search for '[' serves the glued-header test and the cut-here test below */
        const char *first_bracket = text.len ? memchr(text.ptr, '[', text.len) : NULL;
        size_t at = 0;
        enum header_kind kind = header_classify_bracket(text, first_bracket, &at);
        struct pending *s = p->n_open ? slot_for(p, rec) : NULL;

        if (rec->origin != p->stamped_origin) {
                p->stamped_origin = rec->origin;
                p->kernel_ran = p->shutdown_announced = false;
        }
        if (rec->mono_usec >= 0)
                p->kernel_ran = true;
        /* kernel/reboot.c prints "reboot: Restarting system" / "reboot: Power down" */
        if (kind == HDR_PANIC || (text.len > 8 && text.ptr[0] == 'r' && span_starts(text, "reboot: ")))
                p->shutdown_announced = true;
        if (kind == HDR_REBOOT) {
                /* the first boot of a capture, or one the old kernel announced, is expected */
                bool unexpected = p->kernel_ran && !p->shutdown_announced;
                p->kernel_ran = p->shutdown_announced = false;
                if (!unexpected)
                        return 0;
                if (s) {
                        r = pending_close(p, s, NULL, cb, userdata);
                        if (r < 0)
                                return r;
                } else {
                        r = slot_take(p, &s, cb, userdata);
                        if (r < 0)
                                return r;
                }
                r = pending_open(p, s, rec, kind, at);
                if (r < 0)
                        return r;
                /* one line says it all; the boot messages after it are not part of it */
                return pending_close(p, s, NULL, cb, userdata);
        }

        /* SLUB's report goes on with its own "INFO: Allocated in ...", "INFO: Slab 0x..." lines */
        if (kind == HDR_INFO && s && s->kind == HDR_SLAB)
                kind = HDR_NONE;
        /* WARN(1, "Watchdog detected hard LOCKUP on cpu %d", ...): where __warn() prints the
         * message after its "WARNING: ... at FILE:LINE" line (3.x, warn_slowpath_fmt()), a
         * message that reads like a header belongs to the warning */
        if (kind != HDR_NONE && kind != HDR_PANIC && s && s->kind == HDR_WARNING && s->n_lines == 1 &&
            s->ctx_kind == rec->caller_kind && warning_has_site(s))
                kind = HDR_NONE;
        if (kind != HDR_NONE) {
                struct span header = span_make(text.ptr + at, text.len - at);
                if (header_is_continuation(kind, header)) {
                        if (s) {
                                if (kind == HDR_PANIC) {
                                        s->panicked = true;
                                        s->panic_line = s->n_lines;
                                        if (s->n_lines > PANIC_TAIL_AFTER_LINES) {
                                                pending_append(s, rec);
                                                s->frozen = true;
                                                return 0;
                                        }
                                }
                                pending_append(s, rec);
                                return 0;
                        }
                        /* "Fatal exception" and friends right after a report are its consequence */
                        if (kind == HDR_PANIC && (span_has(header, "Fatal exception") ||
                                                  span_has(header, "panic_on_warn set") ||
                                                  span_has(header, "hung_task: blocked tasks")))
                                for (size_t i = 0; i < PARSER_MAX_CONTEXTS; i++) {
                                        struct pending *c = &p->slots[i];
                                        if (!c->open && c->recently_closed && c->closed_ctx_kind == rec->caller_kind &&
                                            c->closed_ctx_id == rec->caller_id && pending_same_host(c, rec) &&
                                            strcmp(c->origin, rec->origin ? rec->origin : "") == 0 &&
                                            p->records - c->closed_at_record <= PANIC_FOLLOW_LINES)
                                                return 0;
                                }
                        if (kind != HDR_PANIC && kind != HDR_DOUBLE_FAULT && kind != HDR_NETDEV &&
                            kind != HDR_INVALID_OP && kind != HDR_INTERNAL && kind != HDR_OOPS)
                                return 0;
                }
                if (s) {
                        r = pending_close(p, s, NULL, cb, userdata);
                        if (r < 0)
                                return r;
                } else {
                        r = slot_take(p, &s, cb, userdata);
                        if (r < 0)
                                return r;
                }
                r = pending_open(p, s, rec, kind, at);
                if (r < 0)
                        return r;
                if (p->cut_here_record && p->cut_here_record + 1 == p->records &&
                    p->cut_here_kind == rec->caller_kind && p->cut_here_id == rec->caller_id)
                        s->first_line = p->cut_here_line;
                return 0;
        }

        if (text.len >= 20 && first_bracket &&
            span_has(span_make(first_bracket, (size_t) (text.ptr + text.len - first_bracket)), "[ cut here ]")) {
                p->cut_here_record = p->records;
                p->cut_here_line = rec->line;
                p->cut_here_kind = rec->caller_kind;
                p->cut_here_id = rec->caller_id;
        }

        if (!s) {
                /* all-CPU backtraces print from every CPU's own context */
                if (rec->caller_kind == 'C' && p->n_open)
                        for (size_t i = 0; i < PARSER_MAX_CONTEXTS; i++)
                                if (p->slots[i].open && p->slots[i].all_cpus && pending_same_host(&p->slots[i], rec)) {
                                        pending_append(&p->slots[i], rec);
                                        return 0;
                                }
                return 0;
        }

        /* On a console where the kernel stamps its lines, an unstamped line is someone else's
         * output (the test program echoing its syscalls, a shell) written between the report's
         * lines: it is no part of the report, and must not use up its line budget. */
        if (s->mono_usec >= 0 && rec->mono_usec < 0 && !rec->caller_kind)
                return 0;

        /* ends of a report */
        if (span_has(text, "---[ end trace") || span_has(text, "---[ end Kernel panic")) {
                pending_append(s, rec);
                return pending_close(p, s, NULL, cb, userdata);
        }
        if (is_rule_line(text) && s->n_lines > 2 && header_uses_rules(s))
                return pending_close(p, s, NULL, cb, userdata);

        /* Messages that print a stack of their own without being a bug: without caller ids their
         * lines cannot be told from the report's, so the report's text stops here. */
        if (!s->ctx_kind && !s->frozen && s->n_lines > 0 &&
            (span_has(text, "vmalloc: allocation failure:") || span_has(text, "FAULT_INJECTION: forcing a failure") ||
             span_has(text, "FAULT_FLAG_ALLOW_RETRY missing")))
                s->frozen = true;
        if (span_has(text, "Sending NMI from CPU") || span_has(text, "NMI backtrace for cpu"))
                s->all_cpus = true;
        if (is_frame_line(text)) {
                s->saw_frame = true;
                s->quiet = 0;
        } else if (s->saw_frame && !is_report_body(text)) {
                if (++s->quiet >= REPORT_QUIET_LINES)
                        return pending_close(p, s, NULL, cb, userdata);
        }
        pending_append(s, rec);
        return 0;
}

int fsd_report_parser_finish(struct fsd_report_parser *p, fsd_report_fn cb, void *userdata) {
        if (!p)
                return -EINVAL;
        for (size_t i = 0; i < PARSER_MAX_CONTEXTS; i++) {
                struct pending *s = &p->slots[i];
                s->recently_closed = false;
                if (!s->open)
                        continue;
                int r = pending_close(p, s, s->saw_frame || s->n_lines > 3 ? NULL : "the log ends inside the report",
                                      cb, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}
