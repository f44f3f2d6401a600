/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `fsdoctor analyze --format=html`: each incident as a story in time across layers (a timeline),
 * the chain of messages behind it with their line numbers, the diagnosis with the kernel code
 * path, and the kernel reports folded away until asked for. Incidents and hosts are reached from
 * a table of contents. Every text that came from the log goes through html_escape(). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "basic/html-writer.h"
#include "render-html.h"
#include "render.h"
#include "shared/i18n.h"

/* What one page holds in full; past these, incidents and reports are only counted. They keep a
 * page of a pathological log (a report storm) loadable; 100 incidents take about 2 MiB. */
#define HTML_MAX_INCIDENTS 1000
#define HTML_MAX_REPORTS 2000
#define HTML_MAX_BYTES (48u << 20)
/* A log line in the chain is cut here (at a character boundary); the log has the rest. */
#define HTML_TEXT_MAX 2000

/* Timeline geometry, in SVG user units (the figure scales to the page width). */
#define TL_WIDTH 960
#define TL_LABEL 104          /* lane labels left of the plot */
#define TL_PAD 16             /* plot margin left and right */
#define TL_LANE 30            /* lane height */
#define TL_AXIS 20            /* axis labels below the lanes */
#define TL_GAP 13             /* least distance between two points in one lane */

struct kept_report {
        struct fsd_report *copy;
        char *lines_html;        /* --debuginfo: the frames' source lines, rendered; NULL without */
        size_t number;           /* 1-based, in order of arrival: anchor "report-N" */
        bool claimed;            /* shown inside an incident */
};

struct kept_incident {
        uint32_t id;
        char *host;              /* NULL: the log names none */
        char *title;             /* plain text */
        char *device;
        int severity;            /* enum fsd_severity, -1 unrecognized */
        char *html;              /* the rendered section */
};

struct html_analyze {
        struct kept_report *reports;
        size_t n_reports;
        uint64_t reports_seen, reports_dropped;
        struct kept_incident *incidents;
        size_t n_incidents;
        uint64_t incidents_dropped;
        size_t bytes;            /* rendered so far, against HTML_MAX_BYTES */
        const char *verb;        /* "analyze" or "history": the page's heading */
        char **origins;          /* distinct input names, in order of appearance */
        size_t n_origins;
        int error;               /* first allocation failure */
};

static bool str_eq(const char *a, const char *b) {
        return a == b || (a && b && strcmp(a, b) == 0);
}

static const char *pick(struct fsd_text t) {
        return i18n_lang() == UI_LANG_ZH && t.zh ? t.zh : t.en;
}

static void put_text(struct strbuf *b, const char *open, const char *text, const char *close) {
        strbuf_puts(b, open);
        html_puts(b, text);
        strbuf_puts(b, close);
}

int html_analyze_new(struct html_analyze **ret) {
        struct html_analyze *h = calloc(1, sizeof *h);
        if (!h)
                return -ENOMEM;
        h->verb = "analyze";
        *ret = h;
        return 0;
}

struct html_analyze *html_analyze_free(struct html_analyze *h) {
        if (!h)
                return NULL;
        for (size_t i = 0; i < h->n_reports; i++) {
                fsd_report_free(h->reports[i].copy);
                free(h->reports[i].lines_html);
        }
        free(h->reports);
        for (size_t i = 0; i < h->n_incidents; i++) {
                struct kept_incident *k = &h->incidents[i];
                free(k->host);
                free(k->title);
                free(k->device);
                free(k->html);
        }
        free(h->incidents);
        for (size_t i = 0; i < h->n_origins; i++)
                free(h->origins[i]);
        free(h->origins);
        free(h);
        return NULL;
}

static int note_origin(struct html_analyze *h, const char *origin) {
        if (!origin)
                return 0;
        for (size_t i = 0; i < h->n_origins; i++)
                if (strcmp(h->origins[i], origin) == 0)
                        return 0;
        if (h->n_origins >= 64)  /* the heading names the first inputs only */
                return 0;
        char **n = realloc(h->origins, (h->n_origins + 1) * sizeof *n);
        if (!n)
                return -ENOMEM;
        h->origins = n;
        if (!(h->origins[h->n_origins] = strdup(origin)))
                return -ENOMEM;
        h->n_origins++;
        return 0;
}

/* ---- kernel reports ------------------------------------------------------------------------- */

static void fact(struct strbuf *b, const char *label, const char *value) {
        if (!value || !*value)
                return;
        put_text(b, "<dt>", label, "</dt>");
        put_text(b, "<dd>", value, "</dd>\n");
}

static void render_frames(struct strbuf *b, const struct fsd_report *r) {
        if (!r->n_frames)
                return;
        put_text(b, "<h3>", _("call trace"), "</h3>\n<pre class=\"trace\">");
        for (size_t i = 0; i < r->n_frames; i++) {
                const struct fsd_frame *f = &r->frames[i];
                if (i > 0 && f->trace != r->frames[i - 1].trace && f->trace_name)
                        put_text(b, "<span class=\"muted\">", f->trace_name, "</span>\n");
                const char *opens = frame_stack_opens(r, i);
                if (opens) {
                        strbuf_puts(b, "<span class=\"muted\">&lt;");
                        html_puts(b, opens);
                        strbuf_puts(b, "&gt;</span>\n");
                }
                if (f->unreliable)
                        strbuf_puts(b, "<span class=\"frame-unreliable\">");
                if (f->unreliable)
                        strbuf_puts(b, "? ");
                if (f->func) {
                        html_puts(b, f->func);
                        html_puts(b, f->suffix);
                        if (f->offset || f->size)
                                strbuf_printf(b, "+0x%" PRIx64 "/0x%" PRIx64, f->offset, f->size);
                } else
                        strbuf_printf(b, "0x%" PRIx64, f->address);
                if (f->module)
                        html_printf(b, " [%s]", f->module);
                if (f->file)
                        html_printf(b, "  %s:%d", f->file, f->src_line);
                if (f->inlined)
                        put_text(b, " <span class=\"badge o-inline\">", _("inline"), "</span>");
                if (f->unreliable)
                        strbuf_puts(b, "</span>");
                strbuf_putc(b, '\n');
                const char *closes = frame_stack_closes(r, i);
                if (closes) {
                        strbuf_puts(b, "<span class=\"muted\">&lt;/");
                        html_puts(b, closes);
                        strbuf_puts(b, "&gt;</span>\n");
                }
        }
        strbuf_puts(b, "</pre>\n");
}

/* --debuginfo: each resolved frame with its file:line, and under it the calls inlined at its
 * address (the trace does not show them), outermost first. Rendered when the report arrives,
 * since the lines are not kept with the report's copy. */
static void put_source_line(struct strbuf *b, const struct fsd_source_line *l) {
        html_puts(b, l->file);
        strbuf_printf(b, ":%d", l->line);
}

static char *render_report_lines(const struct fsd_report *r, const struct fsd_report_lines *rl) {
        if (!rl)
                return NULL;
        struct strbuf b = STRBUF_INIT;
        put_text(&b, "<h3>", _("source lines (debuginfo)"), "</h3>\n<pre class=\"trace source-lines\">");
        size_t shown = 0;
        for (size_t i = 0; i <= r->n_frames && i <= rl->n_frames; i++) {
                /* the RIP first, then every frame */
                const struct fsd_frame_lines *fl = i == 0 ? rl->rip : rl->frames[i - 1];
                if (!fl || fl->n_lines == 0)
                        continue;
                const struct fsd_source_line *own = &fl->lines[fl->n_lines - 1];
                if (i == 0)
                        html_printf(&b, "RIP %s  ", own->function);
                else {
                        const struct fsd_frame *f = &r->frames[i - 1];
                        html_puts(&b, f->func ? f->func : own->function);
                        if (f->offset || f->size)
                                strbuf_printf(&b, "+0x%" PRIx64 "/0x%" PRIx64, f->offset, f->size);
                        strbuf_puts(&b, "  ");
                }
                strbuf_puts(&b, "<span class=\"src\">");
                put_source_line(&b, own);
                strbuf_puts(&b, "</span>\n");
                for (size_t j = fl->n_lines - 1; j-- > 0;) {
                        put_text(&b, "    <span class=\"badge o-inline\">", _("inline"), "</span> ");
                        html_puts(&b, fl->lines[j].function);
                        strbuf_puts(&b, "  <span class=\"src\">");
                        put_source_line(&b, &fl->lines[j]);
                        strbuf_puts(&b, "</span>\n");
                }
                shown++;
        }
        strbuf_puts(&b, "</pre>\n");
        if (shown == 0 || strbuf_failed(&b)) {
                strbuf_done(&b);
                return NULL;
        }
        return strbuf_steal(&b);
}

static void render_report(struct strbuf *b, const struct fsd_report *r, const char *anchor, const char *lines_html) {
        strbuf_printf(b, "<details class=\"report\" id=\"%s\" data-first-line=\"%" PRIu64 "\">\n<summary>", anchor,
                      r->first_line);
        html_puts(b, r->title ? r->title : fsd_report_type_name(r->type));
        strbuf_puts(b, " <span class=\"lines\">");
        if (r->last_line > r->first_line)
                html_printf(b, _("lines %" PRIu64 "-%" PRIu64), r->first_line, r->last_line);
        else
                html_printf(b, _("line %" PRIu64), r->first_line);
        strbuf_puts(b, "</span>");
        if (r->corrupted)
                put_text(b, " <span class=\"badge sev-warning\">", _("corrupted"), "</span>");
        strbuf_puts(b, "</summary>\n<div>\n<dl class=\"facts\">\n");
        char buf[512];
        snprintf(buf, sizeof buf, "%s:%" PRIu64 "-%" PRIu64, r->origin ? r->origin : "-", r->first_line, r->last_line);
        fact(b, _("log lines"), buf);
        fact(b, _("host"), r->host);
        render_format_time(buf, sizeof buf, r->wall_usec, true, r->mono_usec); /* reports keep no zone: print none, as the text does */
        fact(b, _("time"), buf);
        fact(b, _("kernel"), r->kernel);
        if (r->cpu >= 0 || r->pid >= 0) {
                snprintf(buf, sizeof buf, "CPU %d, PID %d%s%s%s", r->cpu, r->pid, r->comm ? " (" : "",
                         r->comm ? r->comm : "", r->comm ? ")" : "");
                fact(b, _("task"), buf);
        }
        fact(b, _("taint"), r->taint);
        fact(b, _("hardware"), r->hardware);
        if (r->src_file) {
                snprintf(buf, sizeof buf, "%s:%d", r->src_file, r->src_line);
                fact(b, _("source"), buf);
        }
        fact(b, "RIP", r->rip);
        fact(b, _("user RIP"), r->rip_user);
        if (r->panicked)
                fact(b, _("panic"), r->panic ? r->panic : "Kernel panic - not syncing");
        fact(b, _("guilty frame"), r->guilty);
        if (r->corrupted)
                fact(b, _("corrupted"), r->corrupted_reason ? _(r->corrupted_reason) : _("report is incomplete"));
        strbuf_puts(b, "</dl>\n");
        render_frames(b, r);
        if (lines_html)
                strbuf_puts(b, lines_html);
        if (r->registers && *r->registers)
                {
                put_text(b, "<h3>", _("registers"), "</h3>\n");
                put_text(b, "<pre>", r->registers, "</pre>\n");
        }
        if (r->code && *r->code)
                {
                put_text(b, "<h3>", _("code"), "</h3>\n");
                put_text(b, "<pre>", r->code, "</pre>\n");
        }
        if (r->modules && *r->modules) {
                put_text(b, "<h3>", _("modules"), "</h3>\n");
                put_text(b, "<pre>", r->modules, "</pre>\n");
        }
        strbuf_puts(b, "</div>\n</details>\n");
}

static struct kept_report *find_kept(struct html_analyze *h, const struct fsd_report *r) {
        for (size_t i = h->n_reports; i > 0; i--) {
                struct kept_report *k = &h->reports[i - 1];
                if (k->copy->first_line == r->first_line && k->copy->boot == r->boot &&
                    str_eq(k->copy->origin, r->origin) && str_eq(k->copy->host, r->host))
                        return k;
        }
        return NULL;
}

int html_analyze_add_report(struct html_analyze *h, const struct fsd_report *r, const struct fsd_report_lines *lines) {
        h->reports_seen++;
        if (h->n_reports >= HTML_MAX_REPORTS || h->bytes >= HTML_MAX_BYTES) {
                h->reports_dropped++;
                return 0;
        }
        struct kept_report *n = realloc(h->reports, (h->n_reports + 1) * sizeof *n);
        if (!n)
                return -ENOMEM;
        h->reports = n;
        struct kept_report *k = &h->reports[h->n_reports];
        *k = (struct kept_report) { .number = (size_t) h->reports_seen };
        int e = fsd_report_dup(r, &k->copy);
        if (e < 0)
                return e;
        k->lines_html = render_report_lines(r, lines);
        h->n_reports++;
        h->bytes += 2048;        /* a rough share of the page: the report is rendered at the end */
        return note_origin(h, r->origin);
}

int html_analyze_add_report_html(struct html_analyze *h, char *html) {
        if (!html)
                return 0;
        struct kept_report *k = h->n_reports ? &h->reports[h->n_reports - 1] : NULL;
        if (!k || k->number != (size_t) h->reports_seen) {
                free(html); /* the report was over the page's limit: only counted */
                return 0;
        }
        if (k->lines_html) {
                char *joined = NULL;
                if (asprintf(&joined, "%s%s", k->lines_html, html) < 0) {
                        free(html);
                        return -ENOMEM;
                }
                free(k->lines_html);
                free(html);
                k->lines_html = joined;
        } else
                k->lines_html = html;
        h->bytes += strlen(k->lines_html);
        return 0;
}

/* ---- one incident --------------------------------------------------------------------------- */

/* Anchors of an incident's reports: "report-N" when the report was kept, else a local one. */
struct report_refs {
        char (*anchor)[40];
        bool *first_show;        /* the full report is rendered here (not shown by an earlier incident) */
        size_t n;
};

static const char *layer_class(enum fsd_layer l) {
        switch (l) {
        case FSD_LAYER_HARDWARE: return "hardware";
        case FSD_LAYER_DEVICE: return "device";
        case FSD_LAYER_BLOCK: return "block";
        default: return "fs";
        }
}

static const char *layer_label(enum fsd_layer l) {
        switch (l) {
        case FSD_LAYER_HARDWARE: return _("hardware");
        case FSD_LAYER_DEVICE: return _("device");
        case FSD_LAYER_BLOCK: return _("block");
        default: return _("filesystem");
        }
}

static bool event_is_outcome(const struct fsd_event *ev) {
        return ev->kind == FSD_EV_READ_ONLY || ev->kind == FSD_EV_SHUTDOWN || ev->kind == FSD_EV_TRANSACTION_ABORT ||
               ev->kind == FSD_EV_MOUNT_FAILED;
}

static void event_lines(struct strbuf *b, const struct fsd_event *ev) {
        uint64_t last = ev->last_line > ev->line ? ev->last_line : ev->line;
        if (last > ev->line)
                html_printf(b, _("lines %" PRIu64 "-%" PRIu64), ev->line, last);
        else
                html_printf(b, _("line %" PRIu64), ev->line);
}

/* Cut a log text for display at a character boundary. */
static size_t display_len(const char *s) {
        size_t n = strlen(s);
        if (n <= HTML_TEXT_MAX)
                return n;
        n = HTML_TEXT_MAX;
        while (n > 0 && ((unsigned char) s[n] & 0xc0) == 0x80)
                n--;
        return n;
}

/* One point of the timeline. */
struct tl_point {
        int lane;                /* 0 process, 1 filesystem, 2 block, 3 device, 4 hardware */
        double key;              /* position along the axis: time or line */
        double x;
        size_t index;            /* event or report index */
        size_t orig;             /* position in the causal order (events, then reports) */
        bool report, bad;
};

static int lane_of(enum fsd_layer l) {
        switch (l) {
        case FSD_LAYER_HARDWARE: return 4;
        case FSD_LAYER_DEVICE: return 3;
        case FSD_LAYER_BLOCK: return 2;
        default: return 1;
        }
}

static int cmp_point_x(const void *a, const void *b) {
        const struct tl_point *p = a, *q = b;
        return p->key < q->key ? -1 : p->key > q->key ? 1 : (p->index > q->index) - (p->index < q->index);
}

enum tl_axis { AXIS_MONO, AXIS_WALL, AXIS_LINE };

/* The axis all points can be placed on: the kernel clock when every point has one and they
 * differ, else the wall clock, else the order of lines in the log. */
static enum tl_axis choose_axis(const struct fsd_incident *inc) {
        int64_t lo[2] = { INT64_MAX, INT64_MAX }, hi[2] = { INT64_MIN, INT64_MIN };
        bool all[2] = { true, true };
        for (size_t i = 0; i < inc->n_events + inc->n_reports; i++) {
                int64_t t[2];
                if (i < inc->n_events) {
                        t[0] = inc->events[i].mono_usec;
                        t[1] = inc->events[i].wall_usec;
                        if (inc->events[i].boot != inc->boot)
                                t[0] = -1;
                } else {
                        const struct fsd_report *r = inc->reports[i - inc->n_events];
                        t[0] = r->boot == inc->boot ? r->mono_usec : -1;
                        t[1] = r->wall_usec;
                }
                for (int k = 0; k < 2; k++) {
                        if (t[k] < 0)
                                all[k] = false;
                        lo[k] = MIN(lo[k], t[k]);
                        hi[k] = MAX(hi[k], t[k]);
                }
        }
        if (all[0] && hi[0] > lo[0])
                return AXIS_MONO;
        if (all[1] && hi[1] > lo[1])
                return AXIS_WALL;
        return AXIS_LINE;
}

/* A span of microseconds in the unit that shows it: "+3 us", "+2.5 ms", "+0.110 s". */
static void format_span(char *buf, size_t size, double usec) {
        if (usec < 1000)
                snprintf(buf, size, "+%.0f \xc2\xb5s", usec);
        else if (usec < 1e6)
                snprintf(buf, size, "+%.1f ms", usec / 1e3);
        else
                snprintf(buf, size, "+%.3f s", usec / 1e6);
}

static void axis_label(char *buf, size_t size, enum tl_axis axis, double key, double origin) {
        switch (axis) {
        case AXIS_MONO:
                if (key == origin)
                        snprintf(buf, size, "[%.6f]", key / 1e6);
                else
                        format_span(buf, size, key - origin);
                break;
        case AXIS_WALL:
                if (key == origin)
                        render_format_time(buf, size, (int64_t) key, true, -1);
                else
                        format_span(buf, size, key - origin);
                break;
        default:
                snprintf(buf, size, _("line %" PRIu64), (uint64_t) key);
        }
}

/* The causal chain on the timeline. The correlator orders events cause first: lower layers, then
 * time. Each run of events in one lane is joined by a solid line (how long that layer kept
 * failing), and a dashed arrow leads from the first event of one run to the first of the next
 * (cause to effect), so the chain reads bottom-up without doubling back in time. The arrow head
 * sits back from the line's end (refX) so that the point it leads to does not cover it. */
static void render_chain_links(struct strbuf *b, const struct fsd_incident *inc, const struct tl_point *pts) {
        if (inc->n_events == 0)
                return;
        strbuf_printf(b, "<defs><marker id=\"tl-arrow-%" PRIu32 "\" viewBox=\"0 0 10 10\" refX=\"17\" refY=\"5\" "
                         "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
                         "<path class=\"tl-head\" d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n", inc->id);
        double prev_first = -1;
        int prev_lane = -1;
        for (size_t i = 0; i < inc->n_events;) {
                size_t end = i;
                double first = pts[i].x, last = pts[i].x;
                while (end < inc->n_events && pts[end].lane == pts[i].lane) {
                        first = MIN(first, pts[end].x);
                        last = MAX(last, pts[end].x);
                        end++;
                }
                int y = pts[i].lane * TL_LANE + TL_LANE / 2;
                if (last > first)
                        strbuf_printf(b, "<line class=\"tl-span\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n", first,
                                      y, last, y);
                if (prev_lane >= 0)
                        strbuf_printf(b, "<line class=\"tl-link\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                                         "marker-end=\"url(#tl-arrow-%" PRIu32 ")\"/>\n",
                                      prev_first, prev_lane * TL_LANE + TL_LANE / 2, first, y, inc->id);
                prev_first = first;
                prev_lane = pts[i].lane;
                i = end;
        }
}

static void render_timeline(struct strbuf *b, const struct fsd_incident *inc, const struct report_refs *refs) {
        size_t n = inc->n_events + inc->n_reports;
        if (n == 0)
                return;
        _cleanup_free_ struct tl_point *pts = calloc(n, sizeof *pts);
        if (!pts) {
                b->oom = true;
                return;
        }
        enum tl_axis axis = choose_axis(inc);
        bool hardware = false;
        for (size_t i = 0; i < n; i++) {
                struct tl_point *p = &pts[i];
                p->orig = i;
                if (i < inc->n_events) {
                        const struct fsd_event *ev = &inc->events[i];
                        p->lane = lane_of(ev->layer);
                        p->key = axis == AXIS_MONO ? (double) ev->mono_usec :
                                 axis == AXIS_WALL ? (double) ev->wall_usec : (double) ev->line;
                        p->index = i;
                        p->bad = event_is_outcome(ev);
                        hardware |= ev->layer == FSD_LAYER_HARDWARE;
                } else {
                        const struct fsd_report *r = inc->reports[i - inc->n_events];
                        p->lane = 0;
                        p->key = axis == AXIS_MONO ? (double) r->mono_usec :
                                 axis == AXIS_WALL ? (double) r->wall_usec : (double) r->first_line;
                        p->index = i - inc->n_events;
                        p->report = true;
                }
        }
        /* place by key, then push apart points of one lane that would overlap, then fit the
         * result back into the plot */
        _cleanup_free_ struct tl_point *order = malloc(n * sizeof *order);
        if (!order) {
                b->oom = true;
                return;
        }
        memcpy(order, pts, n * sizeof *order);
        qsort(order, n, sizeof *order, cmp_point_x);
        double lo = order[0].key, hi = order[n - 1].key;
        const double x0 = TL_LABEL + TL_PAD, x1 = TL_WIDTH - TL_PAD;
        double last[5] = { -1e9, -1e9, -1e9, -1e9, -1e9 }, max_x = x0;
        for (size_t i = 0; i < n; i++) {
                struct tl_point *p = &order[i];
                p->x = hi > lo ? x0 + (p->key - lo) / (hi - lo) * (x1 - x0) : (n == 1 ? (x0 + x1) / 2 : x0);
                if (p->x < last[p->lane] + TL_GAP)
                        p->x = last[p->lane] + TL_GAP;
                last[p->lane] = p->x;
                max_x = MAX(max_x, p->x);
        }
        for (size_t i = 0; i < n; i++) {
                struct tl_point *p = &order[i];
                if (max_x > x1 && !(hi == lo && n == 1))
                        p->x = x0 + (p->x - x0) * (x1 - x0) / (max_x - x0);
                pts[p->orig].x = p->x;   /* back to the causal order */
        }

        int lanes = hardware ? 5 : 4;
        int height = lanes * TL_LANE + TL_AXIS + 4;
        static const char *const lane_names[5] = { N_("process"), N_("filesystem"), N_("block"), N_("device"),
                                                   N_("hardware") };
        put_text(b, "<h3>", _("Timeline"), "</h3>\n");
        strbuf_printf(b, "<figure class=\"timeline\"><svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", TL_WIDTH,
                      height);
        html_puts(b, _("Timeline"));
        strbuf_puts(b, "\">\n");
        for (int l = 0; l < lanes; l++) {
                strbuf_printf(b, "<rect class=\"tl-lane\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"/>", TL_LABEL,
                              l * TL_LANE + 2, TL_WIDTH - TL_LABEL, TL_LANE - 4);
                strbuf_printf(b, "<text class=\"tl-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", TL_LABEL - 8,
                              l * TL_LANE + TL_LANE / 2 + 4);
                html_puts(b, _(lane_names[l]));
                strbuf_puts(b, "</text>\n");
        }
        render_chain_links(b, inc, pts);
        for (size_t i = 0; i < n; i++) {
                const struct tl_point *p = &pts[i];
                struct strbuf tip = STRBUF_INIT;
                if (!p->report) {
                        const struct fsd_event *ev = &inc->events[p->index];
                        strbuf_printf(b, "<a href=\"#i%" PRIu32 "-e%zu\">", inc->id, p->index);
                        event_lines(&tip, ev);
                        strbuf_puts(&tip, ": ");
                        html_puts(&tip, incident_kind_label(ev->kind));
                        if (ev->count > 1)
                                strbuf_printf(&tip, " x%" PRIu64, ev->count);
                        if (ev->text) {
                                strbuf_puts(&tip, "\n");
                                html_escape(&tip, ev->text, MIN(display_len(ev->text), (size_t) 300));
                        }
                        strbuf_printf(b, "<circle class=\"tl-pt l-%s%s\" cx=\"%.1f\" cy=\"%d\" r=\"%d\">",
                                      layer_class(ev->layer), p->bad ? " bad" : "", p->x,
                                      p->lane * TL_LANE + TL_LANE / 2, ev->count > 1 ? 7 : 6);
                } else {
                        const struct fsd_report *r = inc->reports[p->index];
                        strbuf_printf(b, "<a href=\"#%s\">", refs->anchor[p->index]);
                        html_printf(&tip, _("line %" PRIu64), r->first_line);
                        strbuf_puts(&tip, ": ");
                        html_puts(&tip, r->title);
                        if (r->comm)
                                html_printf(&tip, "\n%s (PID %d)", r->comm, r->pid);
                        strbuf_printf(b, "<circle class=\"tl-pt l-process\" cx=\"%.1f\" cy=\"%d\" r=\"6\">", p->x,
                                      p->lane * TL_LANE + TL_LANE / 2);
                }
                strbuf_puts(b, "<title>");
                strbuf_append(b, strbuf_str(&tip), tip.len);
                strbuf_puts(b, "</title></circle></a>\n");
                if (strbuf_failed(&tip))
                        b->oom = true;
                strbuf_done(&tip);
        }
        char left[96], right[96];
        axis_label(left, sizeof left, axis, lo, lo);
        axis_label(right, sizeof right, axis, hi, lo);
        int y = lanes * TL_LANE + TL_AXIS - 4;
        strbuf_printf(b, "<text class=\"tl-axis\" x=\"%.0f\" y=\"%d\">", x0, y);
        html_puts(b, left);
        strbuf_puts(b, "</text>");
        if (hi > lo) {
                strbuf_printf(b, "<text class=\"tl-axis\" x=\"%.0f\" y=\"%d\" text-anchor=\"end\">", x1, y);
                html_puts(b, right);
                strbuf_puts(b, "</text>");
        }
        strbuf_puts(b, "\n</svg>\n<figcaption>");
        html_puts(b, axis == AXIS_MONO ? _("Along the kernel clock (seconds since boot). Dashed arrows lead from cause to effect across layers; each point links to its log lines.") :
                     axis == AXIS_WALL ? _("Along the wall clock. Dashed arrows lead from cause to effect across layers; each point links to its log lines.") :
                     _("Along the log's line numbers (the messages carry no distinct times). Dashed arrows lead from cause to effect across layers; each point links to its log lines."));
        strbuf_puts(b, "</figcaption></figure>\n");
}

static void render_chain(struct strbuf *b, const struct fsd_incident *inc) {
        put_text(b, "<h3>", _("what happened, cause first"), "</h3>\n<ol class=\"chain\">\n");
        for (size_t i = 0; i < inc->n_events; i++) {
                const struct fsd_event *ev = &inc->events[i];
                strbuf_printf(b, "<li id=\"i%" PRIu32 "-e%zu\" class=\"ev l-%s%s\" data-line=\"%" PRIu64 "\">", inc->id, i,
                              layer_class(ev->layer), event_is_outcome(ev) ? " bad" : "", ev->line);
                put_text(b, "<span class=\"kind\">", incident_kind_label(ev->kind), "</span>");
                put_text(b, "<span class=\"layer\">", layer_label(ev->layer), "</span>");
                if (ev->device && (!inc->device || strcmp(ev->device, inc->device) != 0))
                        html_printf(b, " (%s)", ev->device);
                if (ev->count > 1)
                        html_printf(b, _(" x%" PRIu64), ev->count);
                if (ev->kind == FSD_EV_MEMORY_ERROR && inc->fs != FSD_FS_NONE)
                        html_puts(b, _(", linked: same host and boot"));
                strbuf_puts(b, "<span class=\"lines\">");
                if (ev->origin && !str_eq(ev->origin, inc->origin))
                        html_printf(b, "%s, ", ev->origin);
                event_lines(b, ev);
                strbuf_puts(b, "</span>");
                if (ev->text && *ev->text) {
                        size_t len = display_len(ev->text);
                        strbuf_puts(b, "<code class=\"logline\">");
                        html_escape(b, ev->text, len);
                        if (len < strlen(ev->text))
                                strbuf_puts(b, "\xe2\x80\xa6"); /* … */
                        strbuf_puts(b, "</code>");
                }
                strbuf_puts(b, "</li>\n");
        }
        strbuf_puts(b, "</ol>\n");
}

/* Where a line of evidence is shown in the page: a chain event or a report of this incident. */
static void line_link(struct strbuf *b, const struct fsd_incident *inc, const struct report_refs *refs,
                      uint64_t line) {
        for (size_t i = 0; i < inc->n_events; i++) {
                const struct fsd_event *ev = &inc->events[i];
                uint64_t last = ev->last_line > ev->line ? ev->last_line : ev->line;
                if (line >= ev->line && line <= last) {
                        strbuf_printf(b, "<a href=\"#i%" PRIu32 "-e%zu\">%" PRIu64 "</a>", inc->id, i, line);
                        return;
                }
        }
        for (size_t i = 0; i < inc->n_reports; i++)
                if (line >= inc->reports[i]->first_line && line <= inc->reports[i]->last_line) {
                        strbuf_printf(b, "<a href=\"#%s\">%" PRIu64 "</a>", refs->anchor[i], line);
                        return;
                }
        strbuf_printf(b, "%" PRIu64, line);
}

static void text_block(struct strbuf *b, const char *heading, const char *text) {
        if (!text || !*text)
                return;
        put_text(b, "<h3>", heading, "</h3>\n");
        put_text(b, "<p class=\"text\">", text, "</p>\n");
}

static void render_code_path(struct strbuf *b, const struct fsd_incident *inc, const struct fsd_code_path *path) {
        _cleanup_(fsd_code_path_freep) struct fsd_code_path *own = NULL;
        if (!path) {
                if (fsd_code_path_build(inc, NULL, &own) < 0)
                        return;
                path = own;
        }
        if (!path->n_steps)
                return;
        put_text(b, "<h3>", _("Kernel code path (caller first)"), "</h3>\n<ol class=\"codepath\">\n");
        for (size_t i = 0; i < path->n_steps; i++) {
                const struct fsd_path_step *s = &path->steps[i];
                struct step_mark m = code_step_mark(s);
                strbuf_printf(b, "<li class=\"cp-%s\" data-source=\"%s\">", m.cls, fsd_path_source_name(s->source));
                put_text(b, "<code class=\"fn\">", s->function, "</code> ");
                strbuf_printf(b, "<span class=\"badge o-%s\" title=\"", m.cls);
                html_puts(b, m.why);
                strbuf_puts(b, "\">");
                html_puts(b, m.badge);
                if (s->alternative)
                        html_printf(b, " %u", s->alternative);
                strbuf_puts(b, "</span>");
                if (s->file) {
                        put_text(b, " <code class=\"muted\">", s->file, "");
                        if (s->line > 0)
                                strbuf_printf(b, ":%d", s->line);
                        strbuf_puts(b, "</code>");
                }
                if (s->note.en)
                        put_text(b, "<span class=\"note\">", pick(s->note), "</span>");
                strbuf_puts(b, "</li>\n");
        }
        strbuf_puts(b, "</ol>\n");
        if (path->n_disagreements) {
                put_text(b, "<h3>", _("Where the computed path and the rule disagree (the computed path is shown)"),
                         "</h3>\n<ul class=\"disagreements\">\n");
                for (size_t i = 0; i < path->n_disagreements; i++)
                        put_text(b, "<li class=\"text\">", pick(path->disagreements[i].text), "</li>\n");
                strbuf_puts(b, "</ul>\n");
        }
}

static void render_fixes(struct strbuf *b, const struct fsd_diagnosis *d) {
        if (!d->n_fixes)
                return;
        put_text(b, "<h3>", _("Upstream fixes"), "</h3>\n<table class=\"fixes\">\n<tr>");
        put_text(b, "<th>", _("commit"), "</th>");
        put_text(b, "<th>", _("subject"), "</th>");
        put_text(b, "<th>", _("first in mainline"), "</th>");
        put_text(b, "<th>", _("stable backports"), "</th>");
        put_text(b, "<th>", _("status"), "</th></tr>\n");
        for (size_t i = 0; i < d->n_fixes; i++) {
                const struct fsd_fix *f = &d->fixes[i];
                strbuf_puts(b, "<tr><td><code>");
                if (f->commit)
                        html_escape(b, f->commit, MIN(strlen(f->commit), (size_t) 12));
                else
                        html_puts(b, _("(no id)"));
                strbuf_puts(b, "</code></td><td>");
                html_puts(b, f->subject);
                if (f->note.en)
                        put_text(b, "<br><span class=\"muted\">", pick(f->note), "</span>");
                if (f->verdict.en)
                        put_text(b, "<br><strong>", pick(f->verdict), "</strong>");
                strbuf_puts(b, "</td><td>");
                if (f->mainline)
                        html_printf(b, "v%s", f->mainline);
                strbuf_puts(b, "</td><td>");
                for (size_t k = 0; k < f->n_stable; k++)
                        html_printf(b, "%s%s", k ? ", " : "", f->stable[k]);
                strbuf_puts(b, "</td><td>");
                html_puts(b, f->status == FSD_FIX_VERIFIED ? _("verified") : _("inferred"));
                strbuf_puts(b, "</td></tr>\n");
        }
        strbuf_puts(b, "</table>\n");
}

static void render_diagnosis(struct strbuf *b, const struct fsd_incident *inc, const struct report_refs *refs,
                             const struct fsd_code_path *path) {
        const struct fsd_diagnosis *d = inc->diagnosis;
        if (!d)
                return;
        strbuf_puts(b, "<section class=\"diagnosis\">\n");
        put_text(b, "<h3>", _("Diagnosis:"), "</h3>\n");
        put_text(b, "<p><strong>", pick(d->title), "</strong></p>\n");
        if (d->rule_id) {
                strbuf_puts(b, "<p class=\"muted\">");
                html_printf(b, "%s %s \xc2\xb7 %s %s \xc2\xb7 %s %.0f%%", _("rule"), d->rule_id, _("severity"),
                            severity_label(d->severity), _("confidence"), d->confidence * 100.0);
                strbuf_puts(b, "</p>\n");
        } else
                put_text(b, "<p class=\"muted\">", _("no knowledge-base rule matches; the events above are all we know"),
                         "</p>\n");
        text_block(b, _("What happened and why"), pick(d->explanation));
        if (d->n_facts) {
                put_text(b, "<h3>", _("Decoded from the log"), "</h3>\n<ul class=\"decoded\">\n");
                for (size_t i = 0; i < d->n_facts; i++) {
                        strbuf_printf(b, "<li data-key=\"");
                        html_puts(b, d->facts[i].key);
                        put_text(b, "\" class=\"text\">", pick(d->facts[i].text), "</li>\n");
                }
                strbuf_puts(b, "</ul>\n");
        }
        render_code_path(b, inc, path);
        text_block(b, _("What to do now"), pick(d->remediation));
        text_block(b, _("How to prevent it"), pick(d->prevention));
        render_fixes(b, d);
        if (d->rule_id) {
                char title[128];
                snprintf(title, sizeof title, _("Confidence %.0f%%, because"), d->confidence * 100.0);
                put_text(b, "<h3>", title, "</h3>\n<ul class=\"reasons\">\n");
                for (size_t i = 0; i < d->n_reasons; i++) {
                        const struct fsd_reason *r = &d->reasons[i];
                        strbuf_printf(b, "<li class=\"%s\">", r->matched ? "yes" : "no");
                        if (!r->matched)
                                html_puts(b, _("not seen: "));
                        html_puts(b, pick(r->text));
                        if (r->line) {
                                strbuf_puts(b, " <span class=\"lines\">");
                                html_puts(b, _("line"));
                                strbuf_putc(b, ' ');
                                line_link(b, inc, refs, r->line);
                                strbuf_puts(b, "</span>");
                        }
                        strbuf_puts(b, "</li>\n");
                }
                strbuf_puts(b, "</ul>\n");
        }
        if (d->n_evidence_lines) {
                put_text(b, "<p class=\"muted\">", _("evidence lines:"), "");
                for (size_t i = 0; i < d->n_evidence_lines; i++) {
                        strbuf_putc(b, ' ');
                        line_link(b, inc, refs, d->evidence_lines[i]);
                }
                strbuf_puts(b, "</p>\n");
        }
        strbuf_puts(b, "</section>\n");
}

static void render_incident_facts(struct strbuf *b, const struct fsd_incident *inc, const char *const *extra) {
        char buf[512], start[96], end[96];
        strbuf_puts(b, "<dl class=\"facts\">\n");
        for (size_t i = 0; extra && extra[i] && extra[i + 1]; i += 2)
                fact(b, extra[i], extra[i + 1]);
        if (inc->host) {
                snprintf(buf, sizeof buf, _("%s (boot %" PRIu32 ")"), inc->host, inc->boot);
                fact(b, _("host"), buf);
        }
        render_format_time(start, sizeof start, inc->start_wall_usec, inc->wall_local, inc->start_mono_usec);
        render_format_time(end, sizeof end, inc->end_wall_usec, inc->wall_local, inc->end_mono_usec);
        if (*end && strcmp(start, end) != 0)
                snprintf(buf, sizeof buf, "%s .. %s", start, end);
        else
                snprintf(buf, sizeof buf, "%s", start);
        fact(b, _("time"), buf);
        const char *fs = inc->fs == FSD_FS_NONE ? _("no filesystem seen") : fsd_fs_type_name(inc->fs);
        snprintf(buf, sizeof buf, _("%s on %s"), fs, inc->device ? inc->device : _("unknown device"));
        fact(b, _("filesystem"), buf);
        fact(b, _("mounted at"), inc->mount_point);
        fact(b, "UUID", inc->fs_uuid);
        fact(b, _("kernel"), inc->kernel);
        if (inc->comm) {
                if (inc->pid >= 0)
                        snprintf(buf, sizeof buf, _("%s (PID %d)"), inc->comm, inc->pid);
                else
                        snprintf(buf, sizeof buf, "%s", inc->comm);
                fact(b, _("process"), buf);
        }
        const char *outcomes[5] = {
                inc->read_only ? _("read-only") : NULL,
                inc->shutdown ? _("shut down") : NULL,
                inc->aborted ? _("transaction aborted") : NULL,
                inc->mount_failed ? _("mount failed") : NULL,
                inc->panicked ? _("kernel panicked") : NULL,
        };
        put_text(b, "<dt>", _("outcome"), "</dt><dd");
        size_t n = 0;
        for (size_t i = 0; i < ELEMENTSOF(outcomes); i++)
                if (outcomes[i]) {
                        if (n++ == 0)
                                strbuf_puts(b, " class=\"outcome-bad\">");
                        else
                                html_puts(b, _(", "));
                        html_puts(b, outcomes[i]);
                }
        if (n == 0)
                put_text(b, ">", _("still writable as far as the log shows"), "");
        strbuf_puts(b, "</dd>\n");
        snprintf(buf, sizeof buf, "%s:%" PRIu64 "-%" PRIu64, inc->origin ? inc->origin : "-", inc->first_line,
                 inc->last_line);
        fact(b, _("log lines"), buf);
        if (inc->n_suppressed) {
                snprintf(buf, sizeof buf, _("%" PRIu64 " more messages were suppressed by the kernel"), inc->n_suppressed);
                fact(b, _("note"), buf);
        }
        strbuf_puts(b, "</dl>\n");
}

static const char *incident_title(const struct fsd_incident *inc) {
        const struct fsd_diagnosis *d = inc->diagnosis;
        if (!d || !d->rule_id)
                return _("unrecognized filesystem incident");
        const char *t = pick(d->title);
        return t && *t ? t : d->rule_id;
}

static void severity_badge(struct strbuf *b, int severity) {
        if (severity < 0)
                put_text(b, " <span class=\"badge sev-none\">", _("unrecognized"), "</span>");
        else {
                strbuf_printf(b, " <span class=\"badge sev-%s\">", fsd_severity_name(severity));
                html_puts(b, severity_label(severity));
                strbuf_puts(b, "</span>");
        }
}

void html_analyze_set_verb(struct html_analyze *h, const char *verb) {
        h->verb = verb;
}

int html_analyze_add_incident(struct html_analyze *h, const struct fsd_incident *inc) {
        return html_analyze_add_incident_extra(h, inc, NULL);
}

int html_analyze_add_incident_extra(struct html_analyze *h, const struct fsd_incident *orig,
                                    const struct html_incident_extra *extra) {
        /* a shallow copy that carries the id to show: every anchor below is made from inc->id */
        struct fsd_incident shown = *orig;
        if (extra && extra->id)
                shown.id = extra->id;
        const struct fsd_incident *inc = &shown;
        if (h->n_incidents >= HTML_MAX_INCIDENTS || h->bytes >= HTML_MAX_BYTES) {
                h->incidents_dropped++;
                return 0;
        }
        struct report_refs refs = {
                .anchor = calloc(inc->n_reports + 1, sizeof *refs.anchor),
                .first_show = calloc(inc->n_reports + 1, sizeof *refs.first_show),
                .n = inc->n_reports,
        };
        struct strbuf b = STRBUF_INIT;
        int r = 0;
        if (!refs.anchor || !refs.first_show) {
                r = -ENOMEM;
                goto out;
        }
        for (size_t i = 0; i < inc->n_reports; i++) {
                struct kept_report *k = find_kept(h, inc->reports[i]);
                if (k) {
                        snprintf(refs.anchor[i], sizeof refs.anchor[i], "report-%zu", k->number);
                        refs.first_show[i] = !k->claimed;
                        k->claimed = true;
                } else {
                        snprintf(refs.anchor[i], sizeof refs.anchor[i], "i%" PRIu32 "-report-%zu", inc->id, i);
                        refs.first_show[i] = true;
                }
        }
        const struct fsd_diagnosis *d = inc->diagnosis;
        int severity = d && d->rule_id ? (int) d->severity : -1;
        strbuf_printf(&b, "<section class=\"incident\" id=\"incident-%" PRIu32 "\" data-incident=\"%" PRIu32 "\">\n<h2>",
                      inc->id, inc->id);
        html_printf(&b, _("Incident %" PRIu32 ": "), inc->id);
        html_puts(&b, incident_title(inc));
        severity_badge(&b, severity);
        if (severity >= 0)
                strbuf_printf(&b, " <span class=\"badge\">%.0f%%</span>", d->confidence * 100.0);
        put_text(&b, " <a class=\"muted\" href=\"#contents\">", "\xe2\x86\x91", "</a>");
        strbuf_puts(&b, "</h2>\n");
        render_incident_facts(&b, inc, extra ? extra->facts : NULL);
        render_timeline(&b, inc, &refs);
        render_chain(&b, inc);
        render_diagnosis(&b, inc, &refs, extra ? extra->path : NULL);
        if (inc->n_reports) {
                put_text(&b, "<h3>", _("Kernel reports"), "</h3>\n");
                for (size_t i = 0; i < inc->n_reports; i++) {
                        if (refs.first_show[i]) {
                                const struct kept_report *k = find_kept(h, inc->reports[i]);
                                render_report(&b, inc->reports[i], refs.anchor[i], k ? k->lines_html : NULL);
                        }
                        else {
                                strbuf_printf(&b, "<p><a href=\"#%s\">", refs.anchor[i]);
                                html_puts(&b, inc->reports[i]->title);
                                strbuf_puts(&b, "</a></p>\n");
                        }
                }
        }
        strbuf_puts(&b, "</section>\n");
        if (strbuf_failed(&b)) {
                r = -ENOMEM;
                goto out;
        }

        struct kept_incident *n = realloc(h->incidents, (h->n_incidents + 1) * sizeof *n);
        if (!n) {
                r = -ENOMEM;
                goto out;
        }
        h->incidents = n;
        struct kept_incident *k = &h->incidents[h->n_incidents];
        *k = (struct kept_incident) {
                .id = inc->id,
                .host = inc->host ? strdup(inc->host) : NULL,
                .title = strdup(incident_title(inc)),
                .device = inc->device ? strdup(inc->device) : NULL,
                .severity = severity,
        };
        h->bytes += b.len;
        k->html = strbuf_steal(&b);
        h->n_incidents++;
        if (!k->title || !k->html || (inc->host && !k->host) || (inc->device && !k->device))
                r = -ENOMEM;
        else
                r = note_origin(h, inc->origin);
out:
        strbuf_done(&b);
        free(refs.anchor);
        free(refs.first_show);
        return r;
}

/* ---- the page ------------------------------------------------------------------------------- */

static int cmp_incident(const void *a, const void *b) {
        const struct kept_incident *p = a, *q = b;
        return (p->id > q->id) - (p->id < q->id);
}

static void toc_host_heading(struct strbuf *b, const char *host) {
        strbuf_puts(b, "<li><span class=\"host\">");
        html_puts(b, host ? host : _("(the log names no host)"));
        strbuf_puts(b, "</span>\n<ul>\n");
}

static void render_toc(struct strbuf *b, const struct html_analyze *h) {
        strbuf_puts(b, "<nav class=\"toc\" id=\"contents\">\n");
        put_text(b, "<h2>", _("Contents"), "</h2>\n<ul>\n");
        /* hosts in order of their first incident, then of their first other report */
        size_t n_keys = h->n_incidents + h->n_reports;
        for (size_t i = 0; i < n_keys; i++) {
                const char *host = i < h->n_incidents ? h->incidents[i].host : h->reports[i - h->n_incidents].copy->host;
                if (i >= h->n_incidents && h->reports[i - h->n_incidents].claimed)
                        continue;
                bool seen = false;
                for (size_t k = 0; k < i && !seen; k++) {
                        if (k >= h->n_incidents && h->reports[k - h->n_incidents].claimed)
                                continue;
                        const char *other = k < h->n_incidents ? h->incidents[k].host :
                                            h->reports[k - h->n_incidents].copy->host;
                        seen = str_eq(host, other);
                }
                if (seen)
                        continue;
                toc_host_heading(b, host);
                for (size_t k = 0; k < h->n_incidents; k++) {
                        const struct kept_incident *inc = &h->incidents[k];
                        if (!str_eq(inc->host, host))
                                continue;
                        strbuf_printf(b, "<li><a href=\"#incident-%" PRIu32 "\">", inc->id);
                        html_printf(b, _("Incident %" PRIu32 ": "), inc->id);
                        html_puts(b, inc->title);
                        strbuf_puts(b, "</a>");
                        severity_badge(b, inc->severity);
                        if (inc->device)
                                put_text(b, " <span class=\"muted\">", inc->device, "</span>");
                        strbuf_puts(b, "</li>\n");
                }
                for (size_t k = 0; k < h->n_reports; k++) {
                        const struct kept_report *r = &h->reports[k];
                        if (r->claimed || !str_eq(r->copy->host, host))
                                continue;
                        strbuf_printf(b, "<li><a href=\"#report-%zu\">", r->number);
                        html_puts(b, r->copy->title);
                        strbuf_puts(b, "</a> <span class=\"muted\">");
                        html_printf(b, _("line %" PRIu64), r->copy->first_line);
                        strbuf_puts(b, "</span></li>\n");
                }
                strbuf_puts(b, "</ul></li>\n");
        }
        strbuf_puts(b, "</ul>\n</nav>\n");
}

static void summary_item(struct strbuf *b, const char *label, uint64_t value) {
        strbuf_puts(b, "<dt>");
        html_puts(b, label);
        strbuf_printf(b, "</dt><dd>%" PRIu64 "</dd>\n", value);
}

static void render_statistics(struct strbuf *b, const struct html_analyze_summary *s) {
        strbuf_puts(b, "<dl class=\"facts\">\n");
        summary_item(b, _("lines read"), s->lines);
        summary_item(b, _("kernel messages"), s->records);
        if (s->not_kernel)
                summary_item(b, _("lines that are not kernel messages"), s->not_kernel);
        if (s->binary)
                summary_item(b, _("binary lines skipped"), s->binary);
        if (s->malformed)
                summary_item(b, _("malformed lines skipped"), s->malformed);
        if (s->truncated)
                summary_item(b, _("long lines cut"), s->truncated);
        if (s->sanitized)
                summary_item(b, _("lines with control or invalid bytes replaced"), s->sanitized);
        if (s->lost)
                summary_item(b, _("messages overwritten before they could be read"), s->lost);
        if (s->suppressed)
                summary_item(b, _("messages suppressed by the kernel"), s->suppressed);
        strbuf_puts(b, "</dl>\n");
}

static void render_footer(struct strbuf *b, const struct html_analyze_summary *s) {
        strbuf_puts(b, "<footer>\n");
        if (s)
                render_statistics(b, s);
        strbuf_puts(b, "<p>");
        html_printf(b, _("Made by fsdoctor %s. This page is self-contained: no scripts, no network."),
                    fsd_version_string());
        strbuf_puts(b, "</p>\n</footer>\n");
}

int html_analyze_write(struct html_analyze *h, FILE *out, const struct html_analyze_summary *sum) {
        qsort(h->incidents, h->n_incidents, sizeof *h->incidents, cmp_incident);
        size_t loose = 0;
        for (size_t i = 0; i < h->n_reports; i++)
                loose += !h->reports[i].claimed;
        uint64_t n_incidents = h->n_incidents + h->incidents_dropped;

        struct strbuf b = STRBUF_INIT;
        strbuf_puts(&b, "<header>\n<h1>fsdoctor ");
        put_text(&b, "", h->verb, "</h1>\n<p class=\"sub\">");
        for (size_t i = 0; i < h->n_origins; i++) {
                if (i)
                        strbuf_puts(&b, ", ");
                put_text(&b, "<code>", h->origins[i], "</code>");
        }
        if (h->n_origins)
                strbuf_puts(&b, " \xc2\xb7 ");
        html_printf(&b, _("%" PRIu64 " incidents, %" PRIu64 " kernel reports"), n_incidents, h->reports_seen);
        strbuf_puts(&b, "</p>\n</header>\n");
        if (n_incidents == 0 && h->reports_seen == 0)
                put_text(&b, "<p class=\"empty\">", _("No kernel reports or filesystem incidents found."), "</p>\n");
        else
                render_toc(&b, h);
        if (h->incidents_dropped || h->reports_dropped) {
                strbuf_puts(&b, "<p class=\"empty\">");
                html_printf(&b, _("This page shows the first %zu incidents and %zu kernel reports; %" PRIu64
                                  " incidents and %" PRIu64 " reports more are left out. --format=json lists them all."),
                            h->n_incidents, h->n_reports, h->incidents_dropped, h->reports_dropped);
                strbuf_puts(&b, "</p>\n");
        }
        strbuf_puts(&b, "<main>\n");
        for (size_t i = 0; i < h->n_incidents; i++)
                strbuf_puts(&b, h->incidents[i].html);
        if (loose) {
                strbuf_puts(&b, "<section class=\"reports\" id=\"reports\">\n");
                put_text(&b, "<h2>", _("Kernel reports outside any incident"), "</h2>\n");
                for (size_t i = 0; i < h->n_reports; i++)
                        if (!h->reports[i].claimed) {
                                char anchor[40];
                                snprintf(anchor, sizeof anchor, "report-%zu", h->reports[i].number);
                                render_report(&b, h->reports[i].copy, anchor, h->reports[i].lines_html);
                        }
                strbuf_puts(&b, "</section>\n");
        }
        strbuf_puts(&b, "</main>\n");
        render_footer(&b, sum);

        char title[160];
        if (strcmp(h->verb, "history") == 0)
                snprintf(title, sizeof title, _("fsdoctor history: %" PRIu64 " incidents"), n_incidents);
        else
                snprintf(title, sizeof title, _("fsdoctor analyze: %" PRIu64 " incidents, %" PRIu64 " kernel reports"),
                         n_incidents, h->reports_seen);
        int r = strbuf_failed(&b) ? -ENOMEM : html_page_write(out, title, "analyze", &b);
        strbuf_done(&b);
        return r;
}
