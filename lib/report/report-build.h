/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* One report being collected, and the builder that turns its lines into a struct fsd_report. */
#include "report-internal.h"

struct pending_line {
        uint32_t off, len;
        uint64_t line;
        int64_t mono_usec;
};

struct pending {
        bool open;
        enum header_kind kind;
        size_t header_at;
        char ctx_kind;
        uint32_t ctx_id;
        uint32_t boot;
        const char *origin_ptr;  /* compared first; origin[] is the copy */
        char origin[256];
        char host[256];
        char *buf;               /* REPORT_MAX_BYTES, allocated once per slot */
        size_t len;
        struct pending_line *lines;  /* REPORT_MAX_LINES */
        size_t n_lines;
        bool frozen;             /* lines after this point are not kept */
        bool truncated;          /* a hard limit was reached */
        bool saw_frame;
        bool all_cpus;           /* an all-CPU backtrace follows: other CPUs' lines belong here */
        bool panicked;
        bool header_kernel;      /* the header line is the kernel's beyond doubt (stamp, caller id,
                                  * a kernel-only log format) */
        size_t panic_line;       /* index of the panic line when panicked */
        unsigned quiet;
        uint64_t first_line, last_line;
        int64_t mono_usec, wall_usec, last_mono;
        bool year_assumed;
        /* after closing: lets a follow-up panic be folded into this report */
        bool recently_closed;
        char closed_ctx_kind;
        uint32_t closed_ctx_id;
        uint64_t closed_at_record;
};

struct report_builder {
        struct span *spans;          /* REPORT_MAX_LINES */
        struct fsd_frame *frames;    /* REPORT_MAX_FRAMES */
        char *strings;               /* every string of one report, NUL-separated */
        size_t strings_cap, strings_len;
};

int report_builder_init(struct report_builder *b);
void report_builder_done(struct report_builder *b);
/* Build the report from s and hand it to cb. cut_reason non-NULL marks it corrupted (cut short).
 * @return cb's result, or a negative error. */
int report_builder_emit(struct report_builder *b, const struct pending *s, const char *cut_reason,
                        fsd_report_fn cb, void *userdata);
