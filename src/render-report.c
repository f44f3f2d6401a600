/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "render.h"
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
        if (c->verbose)
                field(c, _("user RIP"), r->rip_user);
        if (r->panicked)
                field(c, _("panic"), r->panic ? r->panic : "Kernel panic - not syncing");
        field(c, _("guilty frame"), r->guilty);
        if (r->corrupted)
                field(c, _("corrupted"), r->corrupted_reason ? r->corrupted_reason : _("report is incomplete"));
        if (c->verbose) {
                field(c, _("modules"), r->modules);
                field(c, _("code"), r->code);
        }
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
                        fprintf(c->out, "    %s%s%s", f->stack ? f->stack : "", f->stack ? " " : "",
                                f->unreliable ? "? " : "");
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
                        fputc('\n', c->out);
                }
        }
        fputc('\n', c->out);
}
