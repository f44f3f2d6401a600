/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `fsdoctor inspect --format=html`: the verdict and its reasons first, then the numbers an expert
 * reads (overall, profiles, devices, fill-level histogram), then a map of every block group
 * coloured by how full it is, with the groups the reclaim plan would relocate outlined. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "basic/html-writer.h"
#include "render-html.h"
#include "render-inspect.h"
#include "shared/i18n.h"

/* A map beyond this many cells would make the page too heavy to open; the rest is counted. */
#define HTML_MAX_MAP_CELLS 200000

static void put_text(struct strbuf *b, const char *open, const char *text, const char *close) {
        strbuf_puts(b, open);
        html_puts(b, text);
        strbuf_puts(b, close);
}

static const char *size_str(uint64_t v, char buf[32]) {
        return inspect_size_str(false, v, buf);
}

static const char *risk_class(enum fsd_btrfs_risk r) {
        return fsd_btrfs_risk_name(r); /* "ok", "watch", "high", "critical": CSS classes risk-* */
}

static void render_reasons(struct strbuf *b, const struct fsd_btrfs_assessment *a) {
        strbuf_puts(b, "<ul class=\"reasons\">\n");
        for (size_t i = 0; i < a->n_reasons; i++) {
                const struct fsd_btrfs_reason *r = &a->reasons[i];
                _cleanup_free_ char *text = NULL;
                size_t len = 0;
                FILE *f = open_memstream(&text, &len);
                if (!f) {
                        b->oom = true;
                        return;
                }
                inspect_reason_print(f, false, a, r);
                if (fclose(f) != 0 || !text) {
                        b->oom = true;
                        return;
                }
                strbuf_printf(b, "<li class=\"lvl-%s\" data-reason=\"%s\">", risk_class(r->level),
                              fsd_btrfs_reason_id(r->code));
                html_escape(b, text, len);
                strbuf_puts(b, "</li>\n");
        }
        strbuf_puts(b, "</ul>\n");
        if (a->kernel_has_delayed_refs_rsv < 0)
                put_text(b, "<p class=\"muted\">", _("Kernel version unknown (offline): pass --kernel=RELEASE to judge it."),
                         "</p>\n");
}

static void render_plan(struct strbuf *b, const struct fsd_btrfs_assessment *a) {
        const struct fsd_btrfs_reclaim_plan *p = &a->plan;
        if (!p->needed)
                return;
        char b1[32], b2[32], b3[32];
        put_text(b, "<h3>", _("Reclaim plan:"), "</h3>\n");
        if (p->n_block_groups == 0) {
                put_text(b, "<p>", _("No data block group can be relocated to gain space: add a device or delete data (and snapshots holding it)."), "</p>\n");
                return;
        }
        strbuf_puts(b, "<p>");
        html_printf(b, _("Relocate %zu data block group(s), least used first: moves %s, returns %s of unallocated space (wanted: %s)."),
                    p->n_block_groups, size_str(p->bytes_to_move, b1), size_str(p->reclaimed, b2),
                    size_str(p->reclaim_needed, b3));
        put_text(b, " ", _("They are outlined in the block-group map below."), "</p>\n");
        if (!p->feasible)
                put_text(b, "<p><strong>", _("That is not enough for the target: also add space or delete data."),
                         "</strong></p>\n");
        put_text(b, "<p>", _("Run:"), "</p>\n<pre class=\"commands\">");
        for (size_t i = 0; i < p->n_commands; i++) {
                html_puts(b, p->commands[i]);
                strbuf_putc(b, '\n');
        }
        strbuf_puts(b, "</pre>\n");
}

static void row(struct strbuf *b, const char *label, const char *value, const char *extra) {
        put_text(b, "<tr><th>", label, "</th>");
        put_text(b, "<td class=\"num\">", value, "</td>");
        put_text(b, "<td class=\"muted\">", extra ? extra : "", "</td></tr>\n");
}

static void render_overall(struct strbuf *b, const struct fsd_btrfs_space *s) {
        struct fsd_btrfs_usage_overall u;
        if (fsd_btrfs_usage_overall(s, &u) < 0)
                return;
        char b1[32], b2[32], extra[128];
        strbuf_puts(b, "<section>\n");
        put_text(b, "<h3>", _("Overall:"), "</h3>\n<table class=\"overall\">\n");
        row(b, _("Device size:"), size_str(u.device_size, b1), NULL);
        row(b, _("Device allocated:"), size_str(u.device_allocated, b1), NULL);
        if (u.device_unallocated < 0) {
                snprintf(b2, sizeof b2, "-%s", size_str((uint64_t) -u.device_unallocated, b1));
                row(b, _("Device unallocated:"), b2, NULL);
        } else
                row(b, _("Device unallocated:"), size_str((uint64_t) u.device_unallocated, b1), NULL);
        row(b, _("Device missing:"), size_str(u.device_missing, b1), NULL);
        row(b, _("Used:"), size_str(u.used, b1), NULL);
        snprintf(extra, sizeof extra, _("(min: %s)"), size_str(u.free_min, b2));
        row(b, _("Free (estimated):"), size_str(u.free_estimated, b1), extra);
        snprintf(b1, sizeof b1, "%.2f", u.data_ratio);
        row(b, _("Data ratio:"), b1, NULL);
        snprintf(b1, sizeof b1, "%.2f", u.metadata_ratio);
        row(b, _("Metadata ratio:"), b1, NULL);
        snprintf(extra, sizeof extra, _("(used: %s, %s)"), size_str(u.global_reserve_used, b2),
                 s->global_reserve_exact ? _("kernel's value") : _("estimated"));
        row(b, _("Global reserve:"), size_str(u.global_reserve, b1), extra);
        row(b, _("Multiple profiles:"), u.multiple_profiles ? _("yes") : _("no"), NULL);
        strbuf_puts(b, "</table>\n</section>\n");
}

/* A value out of a whole, as a bar of two rectangles (SVG attributes, not style: the page's CSP
 * allows no inline style). */
static void bar(struct strbuf *b, uint64_t part, uint64_t whole) {
        double w = whole ? 100.0 * (double) MIN(part, whole) / (double) whole : 0.0;
        strbuf_printf(b, "<svg class=\"alloc\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
                         "<rect class=\"a-free\" x=\"0\" y=\"0\" width=\"100\" height=\"10\"/>"
                         "<rect class=\"a-used\" x=\"0\" y=\"0\" width=\"%.2f\" height=\"10\"/></svg>", w);
}

static void render_profiles(struct strbuf *b, const struct fsd_btrfs_space *s) {
        char b1[32];
        strbuf_puts(b, "<section>\n");
        put_text(b, "<h3>", _("Profiles"), "</h3>\n<table class=\"profiles\">\n<tr>");
        put_text(b, "<th>", _("type"), "</th>");
        put_text(b, "<th>", _("profile"), "</th>");
        put_text(b, "<th class=\"num\">", _("size"), "</th>");
        put_text(b, "<th class=\"num\">", _("used"), "</th>");
        strbuf_puts(b, "<th class=\"num\">%</th><th></th></tr>\n");
        static const uint64_t type_order[] = { FSD_BTRFS_BG_DATA, FSD_BTRFS_BG_METADATA, FSD_BTRFS_BG_SYSTEM };
        for (size_t t = 0; t < ELEMENTSOF(type_order); t++)
                for (size_t i = 0; i < s->n_space_infos; i++) {
                        const struct fsd_btrfs_space_info *si = &s->space_infos[i];
                        uint64_t first_type = (si->flags & FSD_BTRFS_BG_DATA) ? FSD_BTRFS_BG_DATA :
                                              (si->flags & FSD_BTRFS_BG_METADATA) ? FSD_BTRFS_BG_METADATA :
                                              FSD_BTRFS_BG_SYSTEM;
                        if (first_type != type_order[t])
                                continue;
                        double pct = si->total ? 100.0 * (double) si->used / (double) si->total : 0.0;
                        put_text(b, "<tr><td>", inspect_type_label(si->flags), "</td>");
                        put_text(b, "<td>", inspect_profile_name(si->flags), "</td>");
                        put_text(b, "<td class=\"num\">", size_str(si->total, b1), "</td>");
                        put_text(b, "<td class=\"num\">", size_str(si->used, b1), "</td>");
                        strbuf_printf(b, "<td class=\"num\">%.2f</td><td>", pct);
                        bar(b, si->used, si->total);
                        strbuf_puts(b, "</td></tr>\n");
                }
        strbuf_puts(b, "</table>\n</section>\n");
}

static void render_devices(struct strbuf *b, const struct fsd_btrfs_space *s) {
        char b1[32];
        put_text(b, "<h3>", _("Devices:"), "</h3>\n<table class=\"devices\">\n<tr>");
        put_text(b, "<th class=\"num\">", "devid", "</th>");
        put_text(b, "<th>", _("device"), "</th>");
        put_text(b, "<th class=\"num\">", _("size"), "</th>");
        put_text(b, "<th class=\"num\">", _("allocated"), "</th>");
        put_text(b, "<th class=\"num\">", _("unallocated"), "</th><th></th></tr>\n");
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct fsd_btrfs_device *d = &s->devices[i];
                strbuf_printf(b, "<tr data-devid=\"%" PRIu64 "\"><td class=\"num\">%" PRIu64 "</td><td>", d->devid,
                              d->devid);
                if (d->missing)
                        put_text(b, "<span class=\"badge risk-critical\">", _("missing"), "</span>");
                else
                        html_escape(b, d->path, strnlen(d->path, sizeof d->path));
                put_text(b, "</td><td class=\"num\">", size_str(d->size, b1), "</td>");
                put_text(b, "<td class=\"num\">", size_str(d->allocated, b1), "</td>");
                if (d->allocated > d->size) {
                        snprintf(b1, sizeof b1, "-");
                        put_text(b, "<td class=\"num\">", b1, "</td><td>");
                } else
                        put_text(b, "<td class=\"num\">", size_str(d->size - d->allocated, b1), "</td><td>");
                bar(b, d->allocated, d->size);
                strbuf_puts(b, "</td></tr>\n");
        }
        strbuf_puts(b, "</table>\n");
}

static void render_histogram(struct strbuf *b, const struct fsd_btrfs_assessment *a) {
        static const char *const rows[] = { N_("Data"), N_("Metadata"), N_("System") };
        put_text(b, "<h3>", _("Block groups by fill level (count):"), "</h3>\n<table class=\"histogram\">\n<tr><th></th>");
        for (unsigned k = 0; k < 10; k++)
                strbuf_printf(b, "<th class=\"num\">%u-%u%%</th>", k * 10, k * 10 + 10);
        strbuf_puts(b, "</tr>\n");
        for (unsigned r = 0; r < _FSD_BTRFS_HIST_MAX; r++) {
                put_text(b, "<tr><th>", _(rows[r]), "</th>");
                for (unsigned k = 0; k < 10; k++)
                        strbuf_printf(b, "<td class=\"num\">%" PRIu64 "</td>", a->histogram[r][k]);
                strbuf_puts(b, "</tr>\n");
        }
        strbuf_puts(b, "</table>\n");
}

/* u0 empty, u1 up to 10 % ... u10 over 90 % full */
static unsigned fill_class(const struct fsd_btrfs_block_group *bg) {
        if (bg->used == 0 || bg->length == 0)
                return 0;
        uint64_t used = MIN(bg->used, bg->length);
        unsigned u = (unsigned) ((used * 10 + bg->length - 1) / bg->length);
        return u < 1 ? 1 : u > 10 ? 10 : u;
}

static void render_legend(struct strbuf *b) {
        strbuf_puts(b, "<div class=\"legend\">");
        put_text(b, "<span>", _("empty"), "</span><span class=\"bgmap\">");
        for (unsigned u = 0; u <= 10; u++)
                strbuf_printf(b, "<i class=\"u%u\"></i>", u);
        put_text(b, "</span><span>", _("full"), "</span>");
        put_text(b, "<span class=\"bgmap one\"><i class=\"u3 reloc\"></i></span><span>",
                 _("relocated by the reclaim plan"), "</span></div>\n");
}

static void render_map(struct strbuf *b, const struct fsd_btrfs_space *s, const struct fsd_btrfs_assessment *a) {
        static const struct { uint64_t type; const char *css; } kinds[] = {
                { FSD_BTRFS_BG_DATA, "data" },
                { FSD_BTRFS_BG_METADATA, "metadata" },
                { FSD_BTRFS_BG_SYSTEM, "system" },
                { FSD_BTRFS_BG_DATA | FSD_BTRFS_BG_METADATA, "mixed" },
        };
        const struct fsd_btrfs_reclaim_plan *p = &a->plan;
        put_text(b, "<h3 id=\"map\">", _("Block-group map"), "</h3>\n");
        put_text(b, "<p class=\"muted\">", _("One cell per block group, in logical address order, coloured by how full it is; hover over a cell for its address, size and use."), "</p>\n");
        render_legend(b);
        size_t cells = 0;
        for (size_t k = 0; k < ELEMENTSOF(kinds); k++) {
                size_t n = 0;
                for (size_t i = 0; i < s->n_block_groups; i++)
                        n += (s->block_groups[i].flags & FSD_BTRFS_BG_TYPE_MASK) == kinds[k].type;
                if (n == 0)
                        continue;
                strbuf_puts(b, "<h4>");
                html_printf(b, _("%s block groups: %zu"), inspect_type_label(kinds[k].type), n);
                strbuf_printf(b, "</h4>\n<div class=\"bgmap\" data-type=\"%s\">", kinds[k].css);
                size_t j = 0;    /* walks the plan's groups, sorted by start like the model's */
                for (size_t i = 0; i < s->n_block_groups; i++) {
                        const struct fsd_btrfs_block_group *bg = &s->block_groups[i];
                        if ((bg->flags & FSD_BTRFS_BG_TYPE_MASK) != kinds[k].type)
                                continue;
                        while (j < p->n_block_groups && p->block_groups[j].start < bg->start)
                                j++;
                        bool reloc = j < p->n_block_groups && p->block_groups[j].start == bg->start;
                        if (cells++ >= HTML_MAX_MAP_CELLS)
                                continue;
                        char len[32];
                        double pct = bg->length ? 100.0 * (double) bg->used / (double) bg->length : 0.0;
                        strbuf_printf(b, "\n<i class=\"u%u%s\" data-start=\"%" PRIu64 "\" title=\"%" PRIu64 " %s %s %.1f%%%s\"></i>",
                                      fill_class(bg), reloc ? " reloc" : "", bg->start, bg->start,
                                      inspect_profile_name(bg->flags), size_str(bg->length, len), pct,
                                      reloc ? " \xe2\x86\xbb" : ""); /* ↻ */
                }
                strbuf_puts(b, "</div>\n");
        }
        if (cells > HTML_MAX_MAP_CELLS) {
                strbuf_puts(b, "<p class=\"empty\">");
                html_printf(b, _("The map shows the first %d block groups of %zu; --format=json lists them all."),
                            HTML_MAX_MAP_CELLS, cells);
                strbuf_puts(b, "</p>\n");
        }
}

int render_inspect_html(FILE *out, const char *source, const struct fsd_btrfs_space *s,
                        const struct fsd_btrfs_assessment *a) {
        struct strbuf b = STRBUF_INIT;
        char uuid[40];
        const uint8_t *u = s->fsid;
        snprintf(uuid, sizeof uuid, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
                 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);

        put_text(&b, "<header>\n<h1>btrfs <code>", uuid, "</code>");
        if (s->label[0]) {
                strbuf_puts(&b, " &#8220;");
                html_escape(&b, s->label, strnlen(s->label, sizeof s->label));
                strbuf_puts(&b, "&#8221;");
        }
        strbuf_puts(&b, "</h1>\n<p class=\"sub\">");
        if (source)
                put_text(&b, "<code>", source, "</code> \xc2\xb7 ");
        html_puts(&b, s->online ? _("online") : _("offline"));
        if (a->kernel_release[0])
                html_printf(&b, _(", kernel %s"), a->kernel_release);
        html_printf(&b, _(", generation %llu, %zu block groups"), (unsigned long long) s->generation,
                    s->n_block_groups);
        strbuf_puts(&b, "</p>\n</header>\n");

        strbuf_printf(&b, "<section class=\"verdict risk-%s\" id=\"verdict\" data-risk=\"%s\">\n<h2>", risk_class(a->risk),
                      risk_class(a->risk));
        html_puts(&b, _("ENOSPC risk:"));
        strbuf_printf(&b, " <span class=\"badge risk-%s\">", risk_class(a->risk));
        html_puts(&b, inspect_risk_label(a->risk));
        strbuf_puts(&b, "</span></h2>\n");
        render_reasons(&b, a);
        render_plan(&b, a);
        strbuf_puts(&b, "</section>\n<div class=\"cols\">\n");
        render_overall(&b, s);
        render_profiles(&b, s);
        strbuf_puts(&b, "</div>\n");
        render_devices(&b, s);
        render_histogram(&b, a);
        render_map(&b, s, a);
        strbuf_puts(&b, "<footer><p>");
        html_printf(&b, _("Made by fsdoctor %s. This page is self-contained: no scripts, no network."),
                    fsd_version_string());
        strbuf_puts(&b, "</p></footer>\n");

        char title[200];
        snprintf(title, sizeof title, _("fsdoctor inspect: btrfs %s, ENOSPC risk %s"), uuid, inspect_risk_label(a->risk));
        int r = strbuf_failed(&b) ? -ENOMEM : html_page_write(out, title, "inspect", &b);
        strbuf_done(&b);
        return r;
}
