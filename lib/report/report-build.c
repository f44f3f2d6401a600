/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fields of a collected report: task, taint, kernel, hardware, modules, RIP, registers, code
 * bytes and every frame, plus the title from title.c. All strings of one report go into one
 * buffer sized for the worst case once, so building a report never allocates. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "report-build.h"

/* Strings are stored as offsets while the buffer fills, then turned into pointers. */
#define NO_STR SIZE_MAX

int report_builder_init(struct report_builder *b) {
        *b = (struct report_builder) {};
        /* each line can be copied at most twice (its field and the joined lists) plus the title */
        b->strings_cap = 2 * REPORT_MAX_BYTES + 2 * REPORT_MAX_LINES + 4096;
        b->spans = malloc(REPORT_MAX_LINES * sizeof *b->spans);
        b->frames = malloc(REPORT_MAX_FRAMES * sizeof *b->frames);
        b->strings = malloc(b->strings_cap);
        if (!b->spans || !b->frames || !b->strings) {
                report_builder_done(b);
                return -ENOMEM;
        }
        return 0;
}

void report_builder_done(struct report_builder *b) {
        free(b->spans);
        free(b->frames);
        free(b->strings);
        *b = (struct report_builder) {};
}

static size_t str_add(struct report_builder *b, const char *s, size_t n) {
        if (!s)
                return NO_STR;
        if (b->strings_len + n + 1 > b->strings_cap)
                return NO_STR;
        size_t off = b->strings_len;
        memcpy(b->strings + off, s, n);
        b->strings[off + n] = 0;
        b->strings_len += n + 1;
        return off;
}

static size_t str_span(struct report_builder *b, struct span v) {
        return v.ptr && v.len ? str_add(b, v.ptr, v.len) : NO_STR;
}

/* Append to the string begun at off (which must be the last one added). */
static void str_extend(struct report_builder *b, size_t off, const char *sep, struct span v) {
        if (off == NO_STR || off + strlen(b->strings + off) + 1 != b->strings_len)
                return;
        size_t sl = strlen(sep);
        if (b->strings_len + sl + v.len > b->strings_cap)
                return;
        b->strings_len--; /* overwrite the NUL */
        memcpy(b->strings + b->strings_len, sep, sl);
        b->strings_len += sl;
        memcpy(b->strings + b->strings_len, v.ptr, v.len);
        b->strings_len += v.len;
        b->strings[b->strings_len++] = 0;
}

static const char *str_ptr(const struct report_builder *b, size_t off) {
        return off == NO_STR ? NULL : b->strings + off;
}

static int parse_int(struct span v, int *ret) {
        long x = 0;
        size_t i = 0;
        while (i < v.len && v.ptr[i] >= '0' && v.ptr[i] <= '9' && x < 100000000) {
                x = x * 10 + (v.ptr[i] - '0');
                i++;
        }
        if (!i)
                return -EINVAL;
        *ret = (int) x;
        return 0;
}

static struct span after_token(struct span v, const char *tok) {
        long k = span_find(v, tok);
        if (k < 0)
                return span_make(NULL, 0);
        size_t a = (size_t) k + strlen(tok);
        return span_make(v.ptr + a, v.len - a);
}

struct fields {
        size_t header, rip, rip_user, src_file, comm, taint, kernel, hardware, modules, registers, code, panic;
        size_t build_id;         /* the kernel image's, at the end of the task line */
        int src_line, cpu, pid, uid;
};

/* "CPU: 42 PID: 460094 Comm: httpWorkerThrea Kdump: loaded Tainted: G        W         4.19.90 #1",
 * "CPU: 1 UID: 0 PID: 123 Comm: foo Not tainted 6.18.0 #1", "Pid: 12, comm: foo Tainted: ..." */
static void parse_task_line(struct report_builder *b, struct span l, struct fields *f) {
        struct span v;
        if ((v = after_token(l, "CPU: ")).ptr)
                (void) parse_int(v, &f->cpu);
        if ((v = after_token(l, "UID: ")).ptr)
                (void) parse_int(v, &f->uid);
        if ((v = after_token(l, "PID: ")).ptr || (v = after_token(l, "Pid: ")).ptr)
                (void) parse_int(v, &f->pid);
        v = after_token(l, "Comm: ");
        if (!v.ptr)
                v = after_token(l, "comm: ");
        if (v.ptr) {
                static const char *const ends[] = { " Kdump: ", " Tainted: ", " Not tainted", " Tainted:" };
                size_t n = v.len;
                for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
                        long k = span_find(v, ends[i]);
                        if (k >= 0 && (size_t) k < n)
                                n = (size_t) k;
                }
                if (n == v.len) {
                        n = 0;
                        while (n < v.len && v.ptr[n] != ' ')
                                n++;
                }
                f->comm = str_span(b, span_trim(span_make(v.ptr, n)));
        }
        struct span rel = {};
        if ((v = after_token(l, "Tainted: ")).ptr) {
                /* the taint field is one letter or blank per flag; the release follows */
                size_t i = 0, last_letter = 0;
                while (i < v.len && !(v.ptr[i] >= '0' && v.ptr[i] <= '9')) {
                        if (v.ptr[i] != ' ')
                                last_letter = i + 1;
                        i++;
                }
                f->taint = str_span(b, span_make(v.ptr, last_letter));
                rel = span_make(v.ptr + i, v.len - i);
        } else if ((v = after_token(l, "Not tainted ")).ptr)
                rel = v;
        if (rel.ptr) {
                size_t n = 0;
                while (n < rel.len && rel.ptr[n] != ' ')
                        n++;
                f->kernel = str_span(b, span_make(rel.ptr, n));
                /* CONFIG_STACKTRACE_BUILD_ID: the line ends with vmlinux's build id */
                struct span last = span_trim(rel);
                size_t k = last.len;
                while (k > 0 && last.ptr[k - 1] != ' ')
                        k--;
                struct span word = span_make(last.ptr + k, last.len - k);
                if (k > 0 && build_id_is_hex(word))
                        f->build_id = str_span(b, word);
        }
}

static bool is_register_line(struct span l) {
        l = span_ltrim(l);
        if (span_starts(l, "Code:") || span_starts(l, "Call Trace") || span_starts(l, "Modules linked in"))
                return false;
        size_t i = 0;
        while (i < l.len && i < 8 && ((l.ptr[i] >= 'A' && l.ptr[i] <= 'Z') || (l.ptr[i] >= 'a' && l.ptr[i] <= 'z') ||
                                    (l.ptr[i] >= '0' && l.ptr[i] <= '9')))
                i++;
        if (i == 0 || i >= l.len)
                return false;
        size_t j = i;
        while (j < l.len && l.ptr[j] == ' ' && j < i + 2)
                j++;
        if (j >= l.len || l.ptr[j] != ':')
                return false;
        /* a value follows: hex digits or a selector */
        j++;
        while (j < l.len && l.ptr[j] == ' ')
                j++;
        return j < l.len && ((l.ptr[j] >= '0' && l.ptr[j] <= '9') || (l.ptr[j] >= 'a' && l.ptr[j] <= 'f'));
}

static const char *stack_marker(struct span l, bool *ret_end, size_t *ret_len) {
        static const struct {
                const char *tag, *name;
                bool end;
        } markers[] = {
                { "<IRQ>", "IRQ", false }, { "</IRQ>", NULL, true }, { "<EOI>", NULL, true },
                { "<NMI>", "NMI", false }, { "</NMI>", NULL, true }, { "<<EOE>>", NULL, true }, { "<EOE>", NULL, true },
                { "<TASK>", "TASK", false }, { "</TASK>", NULL, true },
                { "<SOFTIRQ>", "SOFTIRQ", false }, { "</SOFTIRQ>", NULL, true },
                { "<#DF>", "EXC", false }, { "<#DB>", "EXC", false }, { "<#MC>", "EXC", false },
                { "<#VC>", "EXC", false },
        };
        struct span v = span_ltrim(l);
        /* a trace pasted into mail: "> > <TASK>" */
        while (v.len > 1 && v.ptr[0] == '>' && (v.ptr[1] == ' ' || v.ptr[1] == '>'))
                v = span_ltrim(span_make(v.ptr + 1, v.len - 1));
        for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
                if (span_starts(v, markers[i].tag)) {
                        *ret_end = markers[i].end;
                        /* the length is counted from the trimmed start of l */
                        *ret_len = (size_t) (v.ptr - span_ltrim(l).ptr) + strlen(markers[i].tag);
                        return markers[i].name ? markers[i].name : "";
                }
        return NULL;
}

/* Anything of a kernel report after its header: the task line, a trace heading or frame, an
 * instruction pointer line, the end marker. */
static bool report_has_shape(const struct span *lines, size_t n) {
        for (size_t i = 1; i < n; i++) {
                struct span v = span_ltrim(lines[i]);
                struct span val;
                struct frame_view fv;
                if ((span_starts(v, "CPU: ") && span_has(v, "PID: ")) || span_starts(v, "Pid: ") ||
                    span_has(v, "Call Trace") || span_starts(v, "Call trace:") || span_starts(v, "Backtrace:") ||
                    span_has(v, "---[ end trace") || rip_line_value(v, &val) || frame_parse(v, &fv))
                        return true;
        }
        return false;
}

int report_builder_emit(struct report_builder *b, const struct pending *s, const char *cut_reason,
                        fsd_report_fn cb, void *userdata) {
        if (!s->n_lines)
                return 0;
        b->strings_len = 0;
        size_t n = s->n_lines;
        for (size_t i = 0; i < n; i++)
                b->spans[i] = span_make(s->buf + s->lines[i].off, s->lines[i].len);

        /* the title only looks at the report up to a panic tail */
        struct title_result t;
        title_compute(b->spans, n, s->kind, s->header_at, &t);
        if (t.not_a_report)
                return 0;
        /* A serial console carries firmware, boot loader and test runner output too (TF-A's
         * "WARNING: BL31: ...", U-Boot's "WARNING: ...", coreboot, test harnesses): a line is a
         * kernel report by its shape, not by a word. A header titled by its own words, with
         * nothing to show it is the kernel's (no stamp, no caller id) and nothing of a report
         * after it, is someone else's. */
        /* (A device or subsystem prefix before the keyword, "usb 5-1: WARNING: ...", is the
         * kernel's dev_printk()/pr_fmt(): firmware does not print one.) */
        if (t.free_form && !s->header_kernel && span_ltrim(b->spans[0]).ptr == b->spans[0].ptr + s->header_at &&
            !report_has_shape(b->spans, n))
                return 0;

        struct fields f = {
                .header = NO_STR, .rip = NO_STR, .rip_user = NO_STR, .src_file = NO_STR, .comm = NO_STR,
                .taint = NO_STR, .kernel = NO_STR, .hardware = NO_STR, .modules = NO_STR, .registers = NO_STR,
                .build_id = NO_STR,
                .code = NO_STR, .panic = NO_STR, .cpu = -1, .pid = -1, .uid = -1,
        };
        f.header = str_span(b, span_trim(b->spans[0]));
        size_t title_off = str_add(b, t.title, strlen(t.title));
        size_t guilty_off = t.has_guilty ? str_add(b, t.guilty, strlen(t.guilty)) : NO_STR;

        /* "at fs/btrfs/extent-tree.c:6805" in the header (WARNING, kernel BUG at ...) */
        struct span h = span_make(b->spans[0].ptr + s->header_at, b->spans[0].len - s->header_at);
        struct span at = after_token(h, " at ");
        if (at.ptr) {
                at = span_ltrim(at);
                size_t k = 0;
                while (k < at.len && at.ptr[k] != ' ' && at.ptr[k] != '!')
                        k++;
                struct span loc = span_make(at.ptr, k);
                long colon = -1;
                for (size_t i = loc.len; i > 0; i--)
                        if (loc.ptr[i - 1] == ':') {
                                colon = (long) i - 1;
                                break;
                        }
                if (colon > 0 && span_has(span_make(loc.ptr, (size_t) colon), ".") &&
                    parse_int(span_make(loc.ptr + colon + 1, loc.len - (size_t) colon - 1), &f.src_line) == 0)
                        f.src_file = str_span(b, span_make(loc.ptr, (size_t) colon));
        }
        /* the header itself may carry CPU/PID ("WARNING: CPU: 0 PID: 1 at ...") */
        if (span_has(h, "CPU: ") && span_has(h, "PID: "))
                parse_task_line(b, h, &f);

        size_t n_frames = 0;
        unsigned trace = 0;
        bool in_trace = false, seen_trace = false, in_regs = false, regs_done = false;
        const char *stack = NULL;
        size_t trace_name = NO_STR;
        bool task_line_seen = false;
        for (size_t i = 1; i < n; i++) {
                struct span l = b->spans[i];
                struct span v = span_ltrim(l);
                struct frame_view fv;
                bool user;
                if (s->panicked && i == s->panic_line) {
                        struct span m = after_token(v, "not syncing");
                        if (m.ptr) {
                                m = span_trim(m);
                                if (m.len && m.ptr[0] == ':')
                                        m = span_trim(span_make(m.ptr + 1, m.len - 1));
                                f.panic = str_span(b, m);
                        }
                }
                if (!task_line_seen && (span_starts(v, "CPU: ") || span_starts(v, "Pid: ")) &&
                    (span_has(v, "PID: ") || span_starts(v, "Pid: "))) {
                        parse_task_line(b, v, &f);
                        task_line_seen = true;
                        continue;
                }
                if (f.hardware == NO_STR && span_starts(v, "Hardware name: ")) {
                        f.hardware = str_span(b, span_trim(span_make(v.ptr + 15, v.len - 15)));
                        continue;
                }
                if (f.modules == NO_STR && span_starts(v, "Modules linked in:")) {
                        bool dummy_end;
                        size_t dummy_len;
                        f.modules = str_add(b, "", 0);
                        str_extend(b, f.modules, "", span_trim(span_make(v.ptr + 18, v.len - 18)));
                        /* wrapped module lists continue on indented lines without a colon */
                        while (i + 1 < n) {
                                struct span c = b->spans[i + 1];
                                if (!c.len || (c.ptr[0] != ' ' && c.ptr[0] != '\t') || span_has(c, ": ") ||
                                    frame_parse(c, &fv) || stack_marker(c, &dummy_end, &dummy_len))
                                        break;
                                str_extend(b, f.modules, " ", span_trim(c));
                                i++;
                        }
                        continue;
                }
                struct span val;
                if (rip_line_value(l, &val)) {
                        (void) frame_parse_rip(l, &fv, &user);
                        bool is_user = user || span_starts(v, "RIP: 0033:") || span_starts(v, "RIP: 0023:");
                        /* drop the code segment selector "0010:" */
                        if (val.len > 5 && val.ptr[4] == ':' && span_starts(v, "RIP: "))
                                val = span_make(val.ptr + 5, val.len - 5);
                        long rsp = span_find(val, " RSP:");
                        if (rsp >= 0)
                                val.len = (size_t) rsp;
                        val = span_trim(val);
                        if (is_user) {
                                if (f.rip_user == NO_STR)
                                        f.rip_user = str_span(b, val);
                        } else if (f.rip == NO_STR) {
                                f.rip = str_span(b, val);
                                in_regs = !regs_done;
                        }
                        continue;
                }
                if (span_starts(v, "Code: ")) {
                        if (f.code == NO_STR && f.rip_user == NO_STR)
                                f.code = str_span(b, span_trim(span_make(v.ptr + 6, v.len - 6)));
                        continue;
                }
                if (in_regs && !regs_done && is_register_line(l)) {
                        if (f.registers == NO_STR)
                                f.registers = str_span(b, span_trim(l));
                        else
                                str_extend(b, f.registers, "\n", span_trim(l));
                        continue;
                }
                if (f.registers != NO_STR)
                        regs_done = true;
                in_regs = false;

                /* trace headings and stack markers */
                if (span_has(v, "Call Trace") || span_starts(v, "Allocated by task") || span_starts(v, "Freed by task") ||
                    span_has(v, "backtrace:") || span_starts(v, "Last potentially related work creation") ||
                    span_starts(v, "Allocated:") || span_starts(v, "Freed:")) {
                        if (seen_trace)
                                trace++;
                        seen_trace = in_trace = true;
                        stack = NULL;
                        struct span name = span_trim(v);
                        while (name.len && (name.ptr[name.len - 1] == ':' || name.ptr[name.len - 1] == ' '))
                                name.len--;
                        trace_name = str_span(b, name);
                        continue;
                }
                bool end_marker;
                size_t mlen;
                const char *m = stack_marker(l, &end_marker, &mlen);
                if (m) {
                        stack = end_marker ? NULL : m;
                        struct span rest = span_make(v.ptr + mlen, v.len - mlen);
                        /* old kernels close one stack and open the next on one line:
                         * " </IRQ>  <TASK>  func+0x1/0x2" (and " <EOI>  [<..>] func") */
                        const char *m2 = stack_marker(rest, &end_marker, &mlen);
                        if (m2) {
                                m = m2;
                                stack = end_marker ? NULL : m2;
                                struct span r2 = span_ltrim(rest);
                                rest = span_make(r2.ptr + mlen, r2.len - mlen);
                        }
                        if (!frame_parse(rest, &fv))
                                continue;
                        l = rest;
                }
                if (!frame_parse(l, &fv))
                        continue;
                (void) in_trace;
                if (n_frames >= REPORT_MAX_FRAMES)
                        continue;
                struct fsd_frame *fr = &b->frames[n_frames++];
                /* pointers are set once the string buffer is final: keep offsets in the pointer
                 * slots through uintptr_t for now */
                *fr = (struct fsd_frame) {
                        .offset = fv.offset, .size = fv.size, .address = fv.address, .src_line = fv.src_line,
                        .unreliable = fv.unreliable, .inlined = fv.inlined, .line = s->lines[i].line,
                        .trace = trace,
                };
                size_t off_func = str_span(b, fv.func), off_suffix = str_span(b, fv.suffix),
                       off_module = str_span(b, fv.module), off_file = str_span(b, fv.file),
                       off_build_id = str_span(b, fv.build_id),
                       off_stack = m && *m ? str_add(b, m, strlen(m)) : (stack ? str_add(b, stack, strlen(stack)) : NO_STR);
                fr->func = (const char *) (uintptr_t) off_func;
                fr->suffix = (const char *) (uintptr_t) off_suffix;
                fr->module = (const char *) (uintptr_t) off_module;
                fr->file = (const char *) (uintptr_t) off_file;
                fr->stack = (const char *) (uintptr_t) off_stack;
                fr->trace_name = (const char *) (uintptr_t) trace_name;
                fr->build_id = (const char *) (uintptr_t) off_build_id;
        }
        for (size_t i = 0; i < n_frames; i++) {
                struct fsd_frame *fr = &b->frames[i];
                fr->func = str_ptr(b, (size_t) (uintptr_t) fr->func);
                fr->suffix = str_ptr(b, (size_t) (uintptr_t) fr->suffix);
                fr->module = str_ptr(b, (size_t) (uintptr_t) fr->module);
                fr->file = str_ptr(b, (size_t) (uintptr_t) fr->file);
                fr->stack = str_ptr(b, (size_t) (uintptr_t) fr->stack);
                fr->trace_name = str_ptr(b, (size_t) (uintptr_t) fr->trace_name);
                fr->build_id = str_ptr(b, (size_t) (uintptr_t) fr->build_id);
        }

        /* which frame the guilty function is, and why it was chosen */
        int guilty_frame = -1;
        size_t reason_off = NO_STR;
        if (t.has_guilty) {
                size_t glen = strlen(t.guilty);
                for (size_t i = 0; i < n_frames && guilty_frame < 0; i++) {
                        const char *fn = b->frames[i].func;
                        size_t fl = fn ? strlen(fn) : 0;
                        /* the title drops syscall-wrapper prefixes: "__x64_sys_read" is "sys_read" */
                        if (fn && !b->frames[i].unreliable && fl >= glen && strcmp(fn + fl - glen, t.guilty) == 0)
                                guilty_frame = (int) i;
                }
                const char *why = t.guilty_why ? t.guilty_why : "the function the report's header names";
                reason_off = str_add(b, why, strlen(why));
                if (guilty_frame >= 0 && b->frames[guilty_frame].inlined) {
                        static const char inl[] = "; an inlined function, which the symbolized trace prints under "
                                                  "the address of the function it was inlined into";
                        str_extend(b, reason_off, "", span_make(inl, sizeof inl - 1));
                }
                if (t.guilty_skipped_unreliable) {
                        static const char unrel[] = "; frames marked '?' (return addresses found on the stack "
                                                    "that the unwinder could not confirm) were passed over";
                        str_extend(b, reason_off, "", span_make(unrel, sizeof unrel - 1));
                }
        }
        bool corrupted = t.corrupted || cut_reason || s->truncated;
        const char *reason = t.corrupted ? t.corrupted_reason : cut_reason ? cut_reason :
                             s->truncated ? "the report exceeds the size limit and was cut" : NULL;
        struct fsd_report r = {
                .type = t.type,
                .title = str_ptr(b, title_off),
                .guilty = str_ptr(b, guilty_off),
                .header = str_ptr(b, f.header),
                .corrupted = corrupted,
                .corrupted_reason = reason,
                .rip = str_ptr(b, f.rip),
                .src_file = str_ptr(b, f.src_file),
                .src_line = f.src_file != NO_STR ? f.src_line : 0,
                .cpu = f.cpu,
                .pid = f.pid,
                .comm = str_ptr(b, f.comm),
                .taint = str_ptr(b, f.taint),
                .kernel = str_ptr(b, f.kernel),
                .build_id = str_ptr(b, f.build_id),
                .hardware = str_ptr(b, f.hardware),
                .modules = str_ptr(b, f.modules),
                .registers = str_ptr(b, f.registers),
                .code = str_ptr(b, f.code),
                .frames = b->frames,
                .n_frames = n_frames,
                .origin = s->origin[0] ? s->origin : NULL,
                .host = s->host[0] ? s->host : NULL,
                .boot = s->boot,
                .first_line = s->first_line,
                .last_line = s->last_line,
                .mono_usec = s->mono_usec,
                .wall_usec = s->wall_usec,
                .panicked = s->panicked,
                .panic = str_ptr(b, f.panic),
                .uid = f.uid,
                .rip_user = str_ptr(b, f.rip_user),
                .caller_kind = s->ctx_kind,
                .caller_id = s->ctx_id,
                .year_assumed = s->year_assumed,
                .guilty_reason = str_ptr(b, reason_off),
                .guilty_frame = guilty_frame,
        };
        if (!r.title)
                r.title = "kernel report";
        return cb ? cb(&r, userdata) : 0;
}
