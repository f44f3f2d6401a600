/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "render.h"
#include "basic/cleanup.h"
#include "shared/i18n.h"

static void field(struct render_ctx *c, const char *label, const char *value) {
        if (!value || !*value)
                return;
        fprintf(c->out, "  %s", c->pal->dim);
        term_put_padded(c->out, label, 12);
        fprintf(c->out, "%s ", c->pal->reset);
        term_put_safe(c->out, value, strlen(value));
        fputc('\n', c->out);
}

static void render_time(struct render_ctx *c, const struct fsd_report *r) {
        char buf[128] = "";
        size_t n = 0;
        if (r->wall_usec >= 0) {
                time_t t = (time_t) (r->wall_usec / 1000000);
                struct tm tm;
                gmtime_r(&t, &tm);
                n += strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
        }
        if (r->mono_usec >= 0)
                n += (size_t) snprintf(buf + n, sizeof buf - n, "%s[%" PRId64 ".%06" PRId64 "]", n ? " " : "",
                                       r->mono_usec / 1000000, r->mono_usec % 1000000);
        if (r->wall_usec >= 0 && r->year_assumed && n < sizeof buf)
                snprintf(buf + n, sizeof buf - n, "%s", _(" (year assumed: the log prints none)"));
        field(c, _("time"), buf);
}

static void put_errno(FILE *out, int err) {
        const char *name = err < 0 ? fsd_errno_name(err) : NULL; /* the kernel's numbers, not the host libc's */
        if (name)
                fprintf(out, _(" (%d, %s)"), err, name);
        else
                fprintf(out, _(" (%d)"), err);
}

/* What the register dump says about one instruction, worded for the reader. */
static void render_insn_note(struct render_ctx *c, const struct fsd_code_listing *l, const struct fsd_insn_note *n,
                             bool trap) {
        switch (n->kind) {
        case FSD_INSN_NOTE_TRAP:
                fputs(trap ? _("the trap BUG()/WARN() compiles to: the report was raised here")
                           : _("another BUG()/WARN() site of this function"), c->out);
                break;
        case FSD_INSN_NOTE_FAULT_NULL:
                fprintf(c->out, _("%s is 0x%" PRIx64 ": a NULL pointer, field at offset %+" PRId64), n->reg, n->value, n->disp);
                break;
        case FSD_INSN_NOTE_FAULT_BAD:
                fprintf(c->out, _("%s is 0x%" PRIx64 ": not a valid pointer (%s)"), n->reg, n->value, n->poison);
                break;
        case FSD_INSN_NOTE_FAULT_ADDR:
                if (n->value_known)
                        fprintf(c->out, _("memory through %s = 0x%" PRIx64 ", offset %+" PRId64), n->reg, n->value, n->disp);
                else
                        fprintf(c->out, _("memory through %s, offset %+" PRId64 " (register not in the dump)"), n->reg, n->disp);
                break;
        case FSD_INSN_NOTE_ARG_REG:
                if (n->value_known) {
                        fprintf(c->out, _("argument %u = %s = 0x%" PRIx64 " at the trap"), n->arg, n->src_reg, n->value);
                        if (n->err)
                                put_errno(c->out, n->err);
                } else
                        fprintf(c->out, _("argument %u = %s"), n->arg, n->src_reg);
                break;
        case FSD_INSN_NOTE_ARG_IMM:
                /* decimal only where a constant may be a count or a line number, not an address */
                if (n->value < 0x80000000u)
                        fprintf(c->out, _("argument %u = 0x%" PRIx64 " (%" PRIu64 ")"), n->arg, n->value, n->value);
                else
                        fprintf(c->out, _("argument %u = 0x%" PRIx64), n->arg, n->value);
                if (n->err)
                        put_errno(c->out, n->err);
                break;
        case FSD_INSN_NOTE_CALL:
                if (n->value_known && n->target_inside && l->function)
                        fprintf(c->out, _("call to %s+0x%" PRIx64), l->function, (uint64_t) n->target);
                else
                        fputs(_("call to another function (its name needs debuginfo)"), c->out);
                break;
        default:
                break;
        }
}

/* --debuginfo: the frame's own line, then the calls inlined at its address, which the trace does
 * not show, outermost first (each called from the line above it). */
static void render_frame_lines(struct render_ctx *c, const struct fsd_frame_lines *fl, bool own_line) {
        if (!fl || fl->n_lines == 0)
                return;
        const struct fsd_source_line *own = &fl->lines[fl->n_lines - 1];
        if (own_line) {
                fputs("  ", c->out);
                term_put_safe(c->out, own->file, strlen(own->file));
                fprintf(c->out, ":%d", own->line);
        }
        fputc('\n', c->out);
        for (size_t i = fl->n_lines - 1; i-- > 0;) {
                const struct fsd_source_line *l = &fl->lines[i];
                fprintf(c->out, "      %s%s%s ", c->pal->dim, _("inlined"), c->pal->reset);
                term_put_safe(c->out, l->function, strlen(l->function));
                fputs("  ", c->out);
                term_put_safe(c->out, l->file, strlen(l->file));
                fprintf(c->out, ":%d\n", l->line);
        }
}

/* The Code: bytes disassembled: the instructions before the trap (where a WARN's arguments are
 * loaded) and a few after it. */
static void render_code_listing(struct render_ctx *c, const struct fsd_report *r) {
        struct fsd_code_listing *l = NULL;
        if (!r->code || fsd_code_decode(r, &l) < 0)
                return;
        fprintf(c->out, "  %s%s%s %s\n", c->pal->dim, _("code, decoded"), c->pal->reset, l->arch);
        size_t first = 0, last = l->n_insns;
        if (l->trap_index >= 0 && !c->verbose) {
                first = l->trap_index > 12 ? (size_t) l->trap_index - 12 : 0;
                last = MIN(l->n_insns, (size_t) l->trap_index + 3);
        }
        for (size_t i = first; i < last; i++) {
                const struct fsd_insn *in = &l->insns[i];
                char where[160], bytes[64] = "", text[200];
                if (in->func_offset >= 0 && l->function)
                        snprintf(where, sizeof where, "%s+0x%" PRIx64, l->function, (uint64_t) in->func_offset);
                else
                        snprintf(where, sizeof where, "%+" PRId64, in->offset);
                for (size_t b = 0, n = 0; b < in->size && n + 4 < sizeof bytes; b++)
                        n += (size_t) snprintf(bytes + n, sizeof bytes - n, "%s%02x", b ? " " : "", in->bytes[b]);
                snprintf(text, sizeof text, "%s%s%s", in->mnemonic, in->operands[0] ? " " : "", in->operands);
                fprintf(c->out, "    %s%s %-28s %-21s %-30s", in->trap ? c->pal->bold : "", in->trap ? ">>" : "  ",
                        where, bytes, text);
                if (in->note.kind != FSD_INSN_NOTE_NONE) {
                        fputs("  ", c->out);
                        render_insn_note(c, l, &in->note, in->trap);
                }
                fprintf(c->out, "%s\n", in->trap ? c->pal->reset : "");
        }
        fsd_code_listing_free(l);
}

static bool same_stack(const struct fsd_frame *a, const struct fsd_frame *b) {
        return a->trace == b->trace && a->stack && b->stack && strcmp(a->stack, b->stack) == 0;
}

const char *frame_stack_opens(const struct fsd_report *r, size_t i) {
        const struct fsd_frame *f = &r->frames[i];
        if (!f->stack || (i > 0 && same_stack(&r->frames[i - 1], f)))
                return NULL;
        return f->stack;
}

const char *frame_stack_closes(const struct fsd_report *r, size_t i) {
        const struct fsd_frame *f = &r->frames[i];
        if (!f->stack || (i + 1 < r->n_frames && same_stack(f, &r->frames[i + 1])))
                return NULL;
        return f->stack;
}

void render_report_text(struct render_ctx *c, const struct fsd_report *r) {
        c->n_reports++;
        fprintf(c->out, "%s%s", c->pal->bold, r->corrupted ? c->pal->yellow : c->pal->red);
        term_put_safe(c->out, r->title, strlen(r->title));
        fprintf(c->out, "%s\n", c->pal->reset);
        char where[512];
        snprintf(where, sizeof where, "%s:%" PRIu64 "-%" PRIu64, r->origin ? r->origin : "-", r->first_line, r->last_line);
        field(c, _("log lines"), where);
        field(c, _("host"), r->host);
        render_time(c, r);
        field(c, _("kernel"), r->kernel);
        char buf[256];
        if (r->cpu >= 0 || r->pid >= 0) {
                if (r->comm)
                        snprintf(buf, sizeof buf, _("CPU %d, PID %d (%s)"), r->cpu, r->pid, r->comm);
                else
                        snprintf(buf, sizeof buf, _("CPU %d, PID %d"), r->cpu, r->pid);
                field(c, _("task"), buf);
        }
        field(c, _("taint"), r->taint);
        field(c, _("hardware"), r->hardware);
        if (r->src_file) {
                snprintf(buf, sizeof buf, "%s:%d", r->src_file, r->src_line);
                field(c, _("source"), buf);
        }
        field(c, "RIP", r->rip);
        if (c->lines && c->lines->rip && c->lines->rip->n_lines) {
                fprintf(c->out, "  %s", c->pal->dim);
                term_put_padded(c->out, _("RIP line"), 12);
                const struct fsd_source_line *own = &c->lines->rip->lines[c->lines->rip->n_lines - 1];
                fprintf(c->out, "%s ", c->pal->reset);
                term_put_safe(c->out, own->file, strlen(own->file));
                fprintf(c->out, ":%d", own->line);
                render_frame_lines(c, c->lines->rip, false);
        }
        if (c->verbose)
                field(c, _("user RIP"), r->rip_user);
        if (r->panicked)
                field(c, _("panic"), r->panic ? r->panic : "Kernel panic - not syncing");
        field(c, _("guilty frame"), r->guilty);
        if (r->corrupted)
                field(c, _("corrupted"), r->corrupted_reason ? _(r->corrupted_reason) : _("report is incomplete"));
        if (c->verbose) {
                field(c, _("modules"), r->modules);
                field(c, _("code"), r->code);
        }
        render_code_listing(c, r);
        if (r->n_frames) {
                fprintf(c->out, "  %s%s%s\n", c->pal->dim, _("call trace"), c->pal->reset);
                for (size_t i = 0; i < r->n_frames; i++) {
                        const struct fsd_frame *f = &r->frames[i];
                        /* a new trace section (Allocated by, Freed by, ...) gets its heading */
                        if (i > 0 && f->trace != r->frames[i - 1].trace && f->trace_name) {
                                fprintf(c->out, "  %s", c->pal->dim);
                                term_put_safe(c->out, f->trace_name, strlen(f->trace_name));
                                fprintf(c->out, "%s\n", c->pal->reset);
                        }
                        /* the kernel's own markers, on their own lines: a stack name before a
                         * frame reads as part of the frame */
                        const char *opens = frame_stack_opens(r, i);
                        if (opens)
                                fprintf(c->out, "    %s<%s>%s\n", c->pal->dim, opens, c->pal->reset);
                        fprintf(c->out, "    %s", f->unreliable ? "? " : "");
                        if (f->func) {
                                term_put_safe(c->out, f->func, strlen(f->func));
                                if (f->suffix)
                                        term_put_safe(c->out, f->suffix, strlen(f->suffix));
                                if (f->offset || f->size)
                                        fprintf(c->out, "+0x%" PRIx64 "/0x%" PRIx64, f->offset, f->size);
                        } else
                                fprintf(c->out, "0x%" PRIx64, f->address);
                        if (f->module) {
                                fputs(" [", c->out);
                                term_put_safe(c->out, f->module, strlen(f->module));
                                fputc(']', c->out);
                        }
                        if (f->file)
                                fprintf(c->out, "  %s:%d", f->file, f->src_line);
                        if (c->lines && i < c->lines->n_frames && c->lines->frames[i])
                                render_frame_lines(c, c->lines->frames[i], !f->file);
                        else
                                fputc('\n', c->out);
                        const char *closes = frame_stack_closes(r, i);
                        if (closes)
                                fprintf(c->out, "    %s</%s>%s\n", c->pal->dim, closes, c->pal->reset);
                }
        }
        render_source_text(c, c->source);
        fputc('\n', c->out);
}
