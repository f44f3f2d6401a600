/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --source on the HTML page: the tree against the log's release, each excerpt with its check,
 * and the candidate paths, hidden steps marked like the inlined frames of --debuginfo. Every
 * text from the log or the tree is escaped. */
#include <inttypes.h>
#include <string.h>
#include "render.h"
#include "render-html.h"
#include "basic/html-writer.h"
#include "shared/i18n.h"

char *render_source_html(const struct fsd_source_view *v) {
        if (!v)
                return NULL;
        struct strbuf b = STRBUF_INIT;
        char buf[1024];
        bool warn = false;
        strbuf_puts(&b, "<h3>");
        html_puts(&b, _("source tree"));
        strbuf_puts(&b, "</h3>\n<p");
        source_release_text(buf, sizeof buf, v, &warn);
        strbuf_puts(&b, warn ? " class=\"outcome-bad\">" : ">");
        html_puts(&b, buf);
        strbuf_puts(&b, "</p>\n");
        for (size_t i = 0; i < v->n_excerpts; i++) {
                const struct fsd_src_excerpt *e = &v->excerpts[i];
                strbuf_puts(&b, "<pre class=\"trace source-excerpt\">");
                html_printf(&b, "%s:%d  ", e->file, e->line);
                html_puts(&b, source_why_label(e->why));
                source_check_text(buf, sizeof buf, e, &warn);
                strbuf_puts(&b, warn ? "  <span class=\"badge sev-warning\">" : "  <span class=\"muted\">");
                html_puts(&b, buf);
                strbuf_puts(&b, "</span>\n");
                for (size_t j = 0; j < e->n_text; j++) {
                        int no = e->first_line + (int) j;
                        html_printf(&b, "%s%6d | ", no == e->line ? "&gt;" : " ", no);
                        if (no == e->line)
                                strbuf_puts(&b, "<strong>");
                        html_puts(&b, e->text[j]);
                        if (no == e->line)
                                strbuf_puts(&b, "</strong>");
                        strbuf_putc(&b, '\n');
                }
                strbuf_puts(&b, "</pre>\n");
        }
        if (v->n_candidates) {
                strbuf_puts(&b, "<p class=\"muted\">");
                html_puts(&b, _("candidate paths between trace frames, from the source (FUNC:LINE calls the next; "
                                "debuginfo would tell which one ran)"));
                strbuf_puts(&b, "</p>\n<pre class=\"trace candidate-paths\">");
                for (size_t i = 0; i < v->n_candidates; i++) {
                        const struct fsd_src_candidates *k = &v->candidates[i];
                        html_printf(&b, "%s -&gt; %s\n", k->caller, k->callee);
                        for (size_t p = 0; p < k->n_paths; p++) {
                                strbuf_puts(&b, "  ");
                                for (size_t j = 0; j < k->paths[p].n_steps; j++) {
                                        const struct fsd_src_step *s = &k->paths[p].steps[j];
                                        bool hidden = j > 0 && j + 1 < k->paths[p].n_steps;
                                        if (j)
                                                strbuf_puts(&b, " -&gt; ");
                                        strbuf_puts(&b, hidden ? "<span class=\"badge o-inline\">" : "<span>");
                                        html_puts(&b, s->function);
                                        strbuf_puts(&b, "</span>");
                                        if (s->call_line)
                                                strbuf_printf(&b, ":%d", s->call_line);
                                }
                                strbuf_putc(&b, '\n');
                        }
                }
                strbuf_puts(&b, "</pre>\n");
        }
        for (size_t i = 0; i < v->n_problems; i++) {
                strbuf_puts(&b, "<p class=\"muted\">");
                html_puts(&b, _("source:"));
                strbuf_putc(&b, ' ');
                html_puts(&b, v->problems[i]);
                strbuf_puts(&b, "</p>\n");
        }
        return strbuf_steal(&b);
}
