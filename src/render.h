/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Human-readable rendering of analysis results (JSON comes from the library). */
#include <stdio.h>
#include "fsdoctor.h"
#include "basic/cleanup.h"
#include "shared/term.h"

struct render_ctx {
        FILE *out;
        const struct palette *pal;
        unsigned n_reports, n_incidents;
        bool verbose;            /* registers, code bytes, module list */
        const struct fsd_report_lines *lines; /* --debuginfo: the report's frames resolved, or NULL */
        const struct fsd_source_view *source; /* --source: the report's or incident's source, or NULL */
        const struct fsd_code_path *path; /* the incident's code path with --debuginfo; NULL: built
                                           * from the incident's trace and rule alone */
};

void render_report_text(struct render_ctx *c, const struct fsd_report *r);
/* --source: excerpts, their checks and candidate paths (render-source.c). */
void render_source_text(struct render_ctx *c, const struct fsd_source_view *v);
/* Its parts as plain text in the UI language, for the HTML page too: the tree against the log's
 * release, an excerpt's check (*ret_warn: the tree is not the log's kernel), why it is shown. */
void source_release_text(char *buf, size_t size, const struct fsd_source_view *v, bool *ret_warn);
void source_check_text(char *buf, size_t size, const struct fsd_src_excerpt *e, bool *ret_warn);
const char *source_why_label(const char *why);
/* An incident with its diagnosis (render-incident.c). */
void render_incident_text(struct render_ctx *c, const struct fsd_incident *inc);
/* "2025-12-08 15:25:17 [13439425.328594]": wall time (" UTC" unless local) and the kernel
 * stamp, each when known. @return the length written. */
size_t render_format_time(char *buf, size_t size, int64_t wall_usec, bool local, int64_t mono_usec);
/* The stack a trace's frame i sits under (IRQ, TASK, ...) as the kernel marks it: the opening
 * marker before the first frame of a run on one stack, the closing one after its last. NULL when
 * no marker goes there. */
const char *frame_stack_opens(const struct fsd_report *r, size_t i);
const char *frame_stack_closes(const struct fsd_report *r, size_t i);
/* What an event is, in the UI language ("filesystem error"). */
const char *incident_kind_label(enum fsd_event_kind k);
/* The diagnosis part of an incident, in the UI language (render-diagnosis.c). */
void render_diagnosis_text(struct render_ctx *c, const struct fsd_incident *inc, const struct fsd_diagnosis *d);
/* How a code path step is marked, in the UI language: CSS class, short badge, long reason. */
struct step_mark {
        const char *cls, *badge, *why;
};
struct step_mark code_step_mark(const struct fsd_path_step *s);
DEFINE_FREEP(struct fsd_code_path, fsd_code_path_free)
/* The severity's name in the UI language ("critical", "严重"); "?" out of range. */
const char *severity_label(enum fsd_severity s);
