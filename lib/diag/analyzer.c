/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The analysis pipeline: every record goes to the report parser and to the event parser; the
 * correlator turns events and filesystem reports into incidents, which are diagnosed by the
 * knowledge base when their episode closes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fsdoctor.h"
#include "core/diag-log.h"
#include "event-parse.h"
#include "incident.h"
#include "kb/kb.h"

struct fsd_analyzer {
        struct fsd_analyzer_opts opts;
        const struct fsd_kb *kb;
        struct fsd_report_parser *reports;
        struct correlator *correlator;
        struct event_scratch scratch;
        struct fsd_analyzer_stats stats;
};

static int analyzer_on_report(const struct fsd_report *r, void *userdata) {
        struct fsd_analyzer *a = userdata;
        a->stats.reports++;
        if (a->opts.on_report) {
                int k = a->opts.on_report(r, a->opts.userdata);
                if (k < 0)
                        return k;
        }
        return correlator_add_report(a->correlator, r);
}

static int analyzer_on_incident(struct fsd_incident *inc, void *userdata) {
        struct fsd_analyzer *a = userdata;
        struct fsd_diagnosis *diag = NULL;
        int r = kb_diagnose(a->kb, inc, &diag);
        if (r < 0)
                return r;
        a->stats.incidents++;
        inc->diagnosis = diag;
        r = a->opts.on_incident ? a->opts.on_incident(inc, a->opts.userdata) : 0;
        inc->diagnosis = NULL;
        kb_diagnosis_free(diag);
        return r;
}

struct flush_ctx {
        struct fsd_analyzer *a;
        fsd_incident_fn cb;
        void *userdata;
};

static int analyzer_on_open_incident(struct fsd_incident *inc, void *userdata) {
        struct flush_ctx *f = userdata;
        struct fsd_diagnosis *diag = NULL;
        int r = kb_diagnose(f->a->kb, inc, &diag);
        if (r < 0)
                return r;
        inc->diagnosis = diag;
        r = f->cb(inc, f->userdata);
        inc->diagnosis = NULL;
        kb_diagnosis_free(diag);
        return r;
}

int fsd_analyzer_flush_open(struct fsd_analyzer *a, fsd_incident_fn cb, void *userdata) {
        if (!a || !cb)
                return -EINVAL;
        struct flush_ctx f = { .a = a, .cb = cb, .userdata = userdata };
        return correlator_flush_open(a->correlator, analyzer_on_open_incident, &f);
}

int fsd_analyzer_close_quiet(struct fsd_analyzer *a, int64_t now_mono_usec, int64_t quiet_usec) {
        if (!a)
                return -EINVAL;
        return correlator_close_quiet(a->correlator, now_mono_usec, quiet_usec);
}

int fsd_analyzer_set_kb(struct fsd_analyzer *a, const struct fsd_kb *kb) {
        if (!a)
                return -EINVAL;
        if (!kb) {
                int r = kb_builtin(&kb);
                if (r < 0)
                        return r;
        }
        a->kb = kb;
        a->opts.kb = kb;
        return 0;
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
        int r = 0;
        a->kb = a->opts.kb;
        if (!a->kb)
                r = kb_builtin(&a->kb);
        if (r >= 0)
                r = fsd_report_parser_new(&a->reports);
        if (r >= 0)
                r = correlator_new(analyzer_on_incident, a, &a->correlator);
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
        int r = correlator_note_record(a->correlator, rec);
        if (r < 0)
                return r;
        r = fsd_report_parser_feed(a->reports, rec, analyzer_on_report, a);
        if (r < 0)
                return r;
        struct fsd_event ev;
        if (event_parse(rec, &a->scratch, &ev) <= 0)
                return 0;
        a->stats.events++;
        if (ev.kind == FSD_EV_SUPPRESSED)
                a->stats.suppressed += ev.count;
        return correlator_add_event(a->correlator, &ev);
}

int fsd_analyzer_finish(struct fsd_analyzer *a) {
        if (!a)
                return -EINVAL;
        int r = fsd_report_parser_finish(a->reports, analyzer_on_report, a);
        if (r < 0)
                return r;
        return correlator_finish(a->correlator);
}

void fsd_analyzer_get_stats(const struct fsd_analyzer *a, struct fsd_analyzer_stats *ret) {
        *ret = a->stats;
}

struct fsd_analyzer *fsd_analyzer_free(struct fsd_analyzer *a) {
        if (!a)
                return NULL;
        fsd_report_parser_free(a->reports);
        correlator_free(a->correlator);
        free(a);
        return NULL;
}
