/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --source: the source around the lines a report or incident names, whether they are inside the
 * functions named with them, and the candidate paths between trace frames. */
#include <inttypes.h>
#include <string.h>
#include "render.h"
#include "shared/i18n.h"

static void put(struct render_ctx *c, const char *s) {
        if (s)
                term_put_safe(c->out, s, strlen(s));
}

/* The tree and its release against the log's, one line of plain text. */
void source_release_text(char *buf, size_t size, const struct fsd_source_view *v, bool *ret_warn) {
        size_t n = (size_t) snprintf(buf, size, "%s (%s)", v->tree, v->tree_release);
        if (n >= size)
                return;
        *ret_warn = v->release_match == FSD_SRC_RELEASE_OTHER;
        switch (v->release_match) {
        case FSD_SRC_RELEASE_OTHER:
                snprintf(buf + n, size - n, _(": the log's kernel is %s, another release: its line numbers will not match"),
                         v->log_release);
                break;
        case FSD_SRC_RELEASE_SUBLEVEL:
                snprintf(buf + n, size - n, _(": the log's kernel is %s, another stable release: lines may have moved"),
                         v->log_release);
                break;
        case FSD_SRC_RELEASE_SAME:
                snprintf(buf + n, size - n, _(": the log's kernel is %s"), v->log_release);
                break;
        default:
                break;
        }
}

static void render_release(struct render_ctx *c, const struct fsd_source_view *v) {
        char buf[1024];
        bool warn = false;
        source_release_text(buf, sizeof buf, v, &warn);
        fprintf(c->out, "  %s", c->pal->dim);
        term_put_padded(c->out, _("source tree"), 12);
        fprintf(c->out, "%s %s", c->pal->reset, warn ? c->pal->yellow : "");
        put(c, buf);
        fprintf(c->out, "%s\n", warn ? c->pal->reset : "");
}

void source_check_text(char *buf, size_t size, const struct fsd_src_excerpt *e, bool *ret_warn) {
        *ret_warn = e->check == FSD_SRC_OUTSIDE || e->check == FSD_SRC_NO_FUNCTION || e->check == FSD_SRC_NO_FILE;
        buf[0] = 0;
        switch (e->check) {
        case FSD_SRC_INSIDE:
                snprintf(buf, size, _("inside %s (lines %d-%d)"), e->function, e->enclosing_start, e->enclosing_end);
                break;
        case FSD_SRC_INLINED:
                snprintf(buf, size, _("in %s (lines %d-%d), a static function %s may inline"), e->enclosing,
                         e->enclosing_start, e->enclosing_end, e->function);
                break;
        case FSD_SRC_OUTSIDE:
                if (e->enclosing)
                        snprintf(buf, size, _("NOT inside %s: the line is in %s (lines %d-%d), so this tree is not the "
                                              "log's kernel"),
                                 e->function, e->enclosing, e->enclosing_start, e->enclosing_end);
                else
                        snprintf(buf, size, _("NOT inside %s: the line is in no function, so this tree is not the "
                                              "log's kernel"),
                                 e->function);
                break;
        case FSD_SRC_NO_FUNCTION:
                snprintf(buf, size, _("the tree has no function %s here: not the log's kernel"), e->function);
                break;
        case FSD_SRC_NO_FILE:
                snprintf(buf, size, "%s", _("the tree has no such file, or the file ends before this line: not the log's kernel"));
                break;
        default:
                if (e->function)
                        snprintf(buf, size, _("named with %s (not checked)"), e->function);
                break;
        }
}

const char *source_why_label(const char *why) {
        if (strcmp(why, "report-site") == 0)
                return _("report site");
        if (strcmp(why, "error-message") == 0)
                return _("error message");
        if (strcmp(why, "debuginfo-inlined") == 0)
                return _("debuginfo, inlined");
        if (strcmp(why, "debuginfo") == 0)
                return _("debuginfo");
        return why;
}

static void render_excerpt(struct render_ctx *c, const struct fsd_src_excerpt *e) {
        fputs("    ", c->out);
        put(c, e->file);
        fprintf(c->out, ":%d  %s%s%s", e->line, c->pal->dim, source_why_label(e->why), c->pal->reset);
        if (e->log_line)
                fprintf(c->out, _(" (log line %" PRIu64 ")"), e->log_line);
        char buf[1024];
        bool warn = false;
        source_check_text(buf, sizeof buf, e, &warn);
        fprintf(c->out, ": %s", warn ? c->pal->yellow : "");
        put(c, buf);
        fprintf(c->out, "%s\n", warn ? c->pal->reset : "");
        for (size_t i = 0; i < e->n_text; i++) {
                int no = e->first_line + (int) i;
                bool mark = no == e->line;
                fprintf(c->out, "    %s%s %6d | ", mark ? c->pal->bold : c->pal->dim, mark ? ">" : " ", no);
                put(c, e->text[i]);
                fprintf(c->out, "%s\n", c->pal->reset);
        }
}

static void render_candidates(struct render_ctx *c, const struct fsd_src_candidates *k) {
        fputs("    ", c->out);
        put(c, k->caller);
        fputs(" -> ", c->out);
        put(c, k->callee);
        fputs(": ", c->out);
        if (k->n_paths == 0)
                fputs(_("no path through static functions in this tree"), c->out);
        else if (k->direct && k->n_paths == 1)
                fputs(_("a direct call, nothing hidden"), c->out);
        else
                fprintf(c->out, _("%zu candidate paths (the functions between are hidden: inlined or tail-called)"),
                        k->n_paths);
        if (k->truncated)
                fputs(_("; search cut short, there may be more"), c->out);
        fputc('\n', c->out);
        for (size_t i = 0; i < k->n_paths; i++) {
                const struct fsd_src_path *p = &k->paths[i];
                fputs("      ", c->out);
                for (size_t j = 0; j < p->n_steps; j++) {
                        const struct fsd_src_step *s = &p->steps[j];
                        bool hidden = j > 0 && j + 1 < p->n_steps;
                        if (j)
                                fputs(" -> ", c->out);
                        if (hidden)
                                fputs(c->pal->yellow, c->out);
                        put(c, s->function);
                        if (hidden)
                                fputs(c->pal->reset, c->out);
                        if (s->call_line)
                                fprintf(c->out, ":%d", s->call_line);
                }
                fputc('\n', c->out);
        }
}

void render_source_text(struct render_ctx *c, const struct fsd_source_view *v) {
        if (!v)
                return;
        render_release(c, v);
        for (size_t i = 0; i < v->n_excerpts; i++)
                render_excerpt(c, &v->excerpts[i]);
        if (v->n_candidates) {
                fprintf(c->out, "  %s%s%s\n", c->pal->dim,
                        _("candidate paths between trace frames, from the source (FUNC:LINE calls the next; "
                          "debuginfo would tell which one ran)"),
                        c->pal->reset);
                for (size_t i = 0; i < v->n_candidates; i++)
                        render_candidates(c, &v->candidates[i]);
        }
        for (size_t i = 0; i < v->n_problems; i++) {
                fprintf(c->out, "  %s%s%s ", c->pal->yellow, _("source:"), c->pal->reset);
                put(c, v->problems[i]);
                fputc('\n', c->out);
        }
}
