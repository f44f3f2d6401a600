/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A diagnosis as text, in the UI language, for someone woken at 3 a.m.: what happened, why, what
 * to do now, how to keep it from coming back, and how sure we are. */
#include <inttypes.h>
#include <limits.h>
#include <string.h>
#include "basic/cleanup.h"
#include "render.h"
#include "shared/i18n.h"

static const char *pick(struct fsd_text t) {
        if (i18n_lang() == UI_LANG_ZH && t.zh)
                return t.zh;
        return t.en;
}

/* Every line of a (possibly multi-line) text, indented; texts carry log-derived values, so they go
 * through term_put_safe. */
static void put_block(struct render_ctx *c, const char *indent, const char *text) {
        if (!text)
                return;
        const char *p = text;
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t) (nl - p) : strlen(p);
                if (n)
                        fputs(indent, c->out);
                term_put_safe(c->out, p, n);
                fputc('\n', c->out);
                if (!nl)
                        break;
                p = nl + 1;
        }
}

static void heading(struct render_ctx *c, const char *title) {
        fprintf(c->out, "  %s%s%s\n", c->pal->bold, title, c->pal->reset);
}

const char *severity_label(enum fsd_severity s) {
        switch (s) {
        case FSD_SEVERITY_INFO: return _("info");
        case FSD_SEVERITY_WARNING: return _("warning");
        case FSD_SEVERITY_ERROR: return _("error");
        case FSD_SEVERITY_CRITICAL: return _("critical");
        default: return "?";
        }
}

struct step_mark code_step_mark(const struct fsd_path_step *s) {
        if (s->source == FSD_PATH_FROM_TRACE)
                return (struct step_mark) { "trace", _("trace"), _("in the trace") };
        if (s->source == FSD_PATH_FROM_INLINE_DEBUGINFO)
                return (struct step_mark) { "inline", _("inline"), _("inlined here: read from the debuginfo") };
        if (s->source == FSD_PATH_FROM_SOURCE_CANDIDATE)
                return (struct step_mark) { "candidate", _("candidate"),
                                            _("a candidate from the kernel source: not confirmed") };
        if (s->visibility == FSD_PATH_INLINED)
                return (struct step_mark) { "inline", _("inline"), _("inlined: never printed as a frame") };
        if (s->visibility == FSD_PATH_HIDDEN)
                return (struct step_mark) { "implied", _("implied"), _("not in the trace: implied by the code") };
        return (struct step_mark) { "missing", _("not in this trace"), _("expected, but not in this trace") };
}

static void render_code_path(struct render_ctx *c, const struct fsd_incident *inc) {
        _cleanup_(fsd_code_path_freep) struct fsd_code_path *own = NULL;
        const struct fsd_code_path *p = c->path;
        if (!p) {
                if (fsd_code_path_build(inc, NULL, &own) < 0)
                        return;
                p = own;
        }
        if (!p->n_steps)
                return;
        heading(c, _("Kernel code path (caller first)"));
        size_t width = 0;
        for (size_t i = 0; i < p->n_steps; i++)
                width = MAX(width, strlen(p->steps[i].function));
        width = MIN(width, (size_t) 40);
        for (size_t i = 0; i < p->n_steps; i++) {
                const struct fsd_path_step *s = &p->steps[i];
                struct step_mark m = code_step_mark(s);
                const char *colour = s->source == FSD_PATH_FROM_TRACE                ? c->pal->green
                                     : s->source == FSD_PATH_FROM_INLINE_DEBUGINFO ? c->pal->cyan
                                     : s->visibility == FSD_PATH_INLINED           ? c->pal->yellow
                                                                                   : c->pal->dim;
                fprintf(c->out, "    %s%s%-*s%s  %s[%s", i ? "-> " : "   ", c->pal->bold, (int) width, s->function,
                        c->pal->reset, colour, m.why);
                if (s->alternative)
                        fprintf(c->out, _(", chain %u"), s->alternative);
                fprintf(c->out, "]%s", c->pal->reset);
                if (s->file) {
                        fprintf(c->out, "  %s", c->pal->dim);
                        term_put_safe(c->out, s->file, strlen(s->file));
                        if (s->line > 0)
                                fprintf(c->out, ":%d", s->line);
                        fputs(c->pal->reset, c->out);
                }
                fputc('\n', c->out);
                if (s->note.en)
                        put_block(c, "         ", pick(s->note));
        }
        if (p->n_disagreements) {
                heading(c, _("Where the computed path and the rule disagree (the computed path is shown)"));
                for (size_t i = 0; i < p->n_disagreements; i++) {
                        fputs("    - ", c->out);
                        put_block(c, "", pick(p->disagreements[i].text));
                }
        }
}

static void render_fixes(struct render_ctx *c, const struct fsd_diagnosis *d) {
        if (!d->n_fixes)
                return;
        heading(c, _("Upstream fixes"));
        for (size_t i = 0; i < d->n_fixes; i++) {
                const struct fsd_fix *f = &d->fixes[i];
                /* a commit id is cut to 12 hex digits; "(no id)" is not: in Chinese 12 bytes would cut
                 * its closing parenthesis off */
                fprintf(c->out, "    %s%.*s%s  %s\n", c->pal->cyan, f->commit ? 12 : INT_MAX, f->commit ? f->commit : _("(no id)"),
                        c->pal->reset, f->subject);
                fprintf(c->out, "      %s v%s", _("first in mainline"), f->mainline);
                for (size_t k = 0; k < f->n_stable; k++)
                        fprintf(c->out, "%s%s", k ? ", " : _("; stable: "), f->stable[k]);
                fprintf(c->out, " (%s)\n", f->status == FSD_FIX_VERIFIED ? _("verified") : _("inferred"));
                if (f->note.en)
                        put_block(c, "      ", pick(f->note));
                if (f->verdict.en) {
                        fprintf(c->out, "      %s", c->pal->bold);
                        put_block(c, "", pick(f->verdict));
                        fputs(c->pal->reset, c->out);
                }
        }
}

static void render_confidence(struct render_ctx *c, const struct fsd_diagnosis *d) {
        if (!d->rule_id)
                return;
        char title[128];
        snprintf(title, sizeof title, _("Confidence %.0f%%, because"), d->confidence * 100.0);
        heading(c, title);
        for (size_t i = 0; i < d->n_reasons; i++) {
                const struct fsd_reason *r = &d->reasons[i];
                fprintf(c->out, "    %s%s%s ", r->matched ? c->pal->green : c->pal->dim, r->matched ? "+" : "-", c->pal->reset);
                if (!r->matched)
                        fprintf(c->out, "%s", _("not seen: "));
                const char *t = pick(r->text);
                term_put_safe(c->out, t, strlen(t));
                if (r->line) {
                        fprintf(c->out, " %s", c->pal->dim);
                        fprintf(c->out, _("(line %" PRIu64 ")"), r->line);
                        fputs(c->pal->reset, c->out);
                }
                fputc('\n', c->out);
        }
}

void render_diagnosis_text(struct render_ctx *c, const struct fsd_incident *inc, const struct fsd_diagnosis *d) {
        if (!d)
                return;
        const char *colour = d->severity >= FSD_SEVERITY_ERROR ? c->pal->red : c->pal->yellow;
        fprintf(c->out, "  %s%s%s%s ", c->pal->bold, colour, _("Diagnosis:"), c->pal->reset);
        const char *title = pick(d->title);
        term_put_safe(c->out, title, strlen(title));
        fputc('\n', c->out);
        if (d->rule_id)
                fprintf(c->out, "  %s%s %s%s%s %s%s%s %.0f%%%s\n", c->pal->dim, _("rule"), d->rule_id, _(", "), _("severity"),
                        severity_label(d->severity), _(", "), _("confidence"), d->confidence * 100.0, c->pal->reset);
        else
                fprintf(c->out, "  %s%s%s\n", c->pal->dim, _("no knowledge-base rule matches; the events above are all we know"),
                        c->pal->reset);

        heading(c, _("What happened and why"));
        put_block(c, "    ", pick(d->explanation));
        if (d->n_facts) {
                heading(c, _("Decoded from the log"));
                for (size_t i = 0; i < d->n_facts; i++) {
                        fputs("    - ", c->out);
                        put_block(c, "", pick(d->facts[i].text));
                }
        }
        render_code_path(c, inc);
        heading(c, _("What to do now"));
        put_block(c, "    ", pick(d->remediation));
        heading(c, _("How to prevent it"));
        put_block(c, "    ", pick(d->prevention));
        render_fixes(c, d);
        render_confidence(c, d);
        if (d->n_evidence_lines) {
                fprintf(c->out, "  %s%s", c->pal->dim, _("evidence lines:"));
                for (size_t i = 0; i < d->n_evidence_lines && i < 32; i++)
                        fprintf(c->out, " %" PRIu64, d->evidence_lines[i]);
                if (d->n_evidence_lines > 32)
                        fputs(" ...", c->out);
                fprintf(c->out, "%s\n", c->pal->reset);
        }
}
