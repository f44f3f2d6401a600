/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* --format=html: one self-contained page (no network, no script, a strict Content-Security-Policy)
 * that an SRE can attach to a ticket. The page shell and its style sheet are data files
 * (src/html/) embedded at build time by tools/html2c.py; the renderers write the body. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "basic/strbuf.h"
#include "fsdoctor.h"

/* ---- the page shell (render-html-page.c, chunks generated from src/html/page.html) ---- */

enum { HTML_SLOT_LANG, HTML_SLOT_TITLE, HTML_SLOT_KIND, HTML_SLOT_BODY, _HTML_SLOT_MAX };
extern const char *const html_page_chunks[_HTML_SLOT_MAX + 1];
extern const size_t html_page_chunk_len[_HTML_SLOT_MAX + 1];
extern const char html_style_hash[];   /* "sha256-...", the CSP source of the style sheet */

/* Write a whole page: title is plain text (escaped here), kind a CSS class naming the page
 * ("analyze", "inspect"), body HTML already made safe. @return 0 or -EIO. */
int html_page_write(FILE *out, const char *title, const char *kind, const struct strbuf *body);
/* The page's lang attribute for the UI language: "en" or "zh-CN". */
const char *html_lang_attribute(void);

/* ---- fsdoctor analyze (render-html-analyze.c) ---- */

/* Reports and incidents arrive one by one through the analyzer's callbacks; the page needs all of
 * them (its table of contents comes first), so they are kept, each rendered as it arrives, and
 * written at the end. Past a limit they are only counted, and the page says so. */
struct html_analyze;

struct html_analyze_summary {
        uint64_t lines, records;
        uint64_t not_kernel, binary, malformed, truncated, sanitized, lost, suppressed;
};

int html_analyze_new(struct html_analyze **ret);
struct html_analyze *html_analyze_free(struct html_analyze *h);
/* @return 0 or -ENOMEM */
/* lines: --debuginfo's lines for r, or NULL; rendered now, not kept. */
int html_analyze_add_report(struct html_analyze *h, const struct fsd_report *r, const struct fsd_report_lines *lines);
int html_analyze_add_incident(struct html_analyze *h, const struct fsd_incident *inc);
/* --source: html (owned, taken) shown with the report added last, when it was kept (else freed).
 * @return 0, -ENOMEM */
int html_analyze_add_report_html(struct html_analyze *h, char *html);
/* --source: the view as an HTML fragment, malloc'd; NULL when v is NULL or out of memory
 * (render-html-source.c). */
char *render_source_html(const struct fsd_source_view *v);
/* fsdoctor history: each incident is shown under the id it has in the watch daemon's database,
 * with the database's facts (state, when raised and closed) first. */
struct html_incident_extra {
        uint32_t id;                     /* shown and used in anchors instead of inc->id; 0: inc->id */
        const char *const *facts;        /* label, value, label, value, ..., NULL; NULL: none */
        const struct fsd_code_path *path; /* the incident's code path (--debuginfo); NULL: built from
                                           * the incident alone */
};
int html_analyze_add_incident_extra(struct html_analyze *h, const struct fsd_incident *inc,
                                    const struct html_incident_extra *extra);
/* "analyze" (the default) or "history": names the page. verb must outlive h. */
void html_analyze_set_verb(struct html_analyze *h, const char *verb);
/* sum NULL: the page has no input statistics (history). @return 0, -ENOMEM or -EIO */
int html_analyze_write(struct html_analyze *h, FILE *out, const struct html_analyze_summary *sum);

/* ---- fsdoctor inspect (render-html-inspect.c) ---- */

/* source: what was inspected (a mount point, image or device list), shown in the heading. */
int render_inspect_html(FILE *out, const char *source, const struct fsd_btrfs_space *s,
                        const struct fsd_btrfs_assessment *a);
