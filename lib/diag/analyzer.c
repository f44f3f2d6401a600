/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The analysis pipeline: records -> reports (+ events and incidents, part 2). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fsdoctor.h"

struct fsd_analyzer {
        struct fsd_analyzer_opts opts;
        struct fsd_report_parser *reports;
        struct fsd_analyzer_stats stats;
};

static int analyzer_on_report(const struct fsd_report *r, void *userdata) {
        struct fsd_analyzer *a = userdata;
        a->stats.reports++;
        return a->opts.on_report ? a->opts.on_report(r, a->opts.userdata) : 0;
}

int fsd_analyzer_new(const struct fsd_analyzer_opts *opts, struct fsd_analyzer **ret) {
        if (!ret)
                return -EINVAL;
        struct fsd_analyzer *a = calloc(1, sizeof *a);
        if (!a)
                return -ENOMEM;
        if (opts) {
                size_t n = opts->sz < sizeof a->opts ? opts->sz : sizeof a->opts;
                memcpy(&a->opts, opts, n);
        }
        int r = fsd_report_parser_new(&a->reports);
        if (r < 0) {
                fsd_analyzer_free(a);
                return r;
        }
        *ret = a;
        return 0;
}

int fsd_analyzer_feed(struct fsd_analyzer *a, const struct fsd_record *rec) {
        if (!a || !rec)
                return -EINVAL;
        a->stats.records++;
        return fsd_report_parser_feed(a->reports, rec, analyzer_on_report, a);
}

int fsd_analyzer_finish(struct fsd_analyzer *a) {
        if (!a)
                return -EINVAL;
        return fsd_report_parser_finish(a->reports, analyzer_on_report, a);
}

void fsd_analyzer_get_stats(const struct fsd_analyzer *a, struct fsd_analyzer_stats *ret) {
        *ret = a->stats;
}

struct fsd_analyzer *fsd_analyzer_free(struct fsd_analyzer *a) {
        if (!a)
                return NULL;
        fsd_report_parser_free(a->reports);
        free(a);
        return NULL;
}
