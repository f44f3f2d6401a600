/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The smallest program that embeds libfsdoctor: read one kernel log and print, for every
 * incident, which filesystem it hit and what the knowledge base says caused it.
 *
 *   cc embed.c $(pkg-config --cflags --libs libfsdoctor) -o embed
 *   ./embed /var/log/kern.log
 *
 * It uses nothing but the installed <fsdoctor.h>: the CI builds it against a `meson install`
 * staging of the library (tests/meta/check-embed.sh).
 */
#include <fsdoctor.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

struct totals {
        unsigned reports, incidents;
};

static int on_report(const struct fsd_report *r, void *userdata) {
        struct totals *t = userdata;
        t->reports++;
        printf("report   %s (%s), lines %" PRIu64 "-%" PRIu64 "\n", r->title,
               fsd_report_type_name(r->type), r->first_line, r->last_line);
        return 0;
}

static int on_incident(const struct fsd_incident *inc, void *userdata) {
        struct totals *t = userdata;
        const struct fsd_diagnosis *d = inc->diagnosis;
        t->incidents++;
        printf("incident %" PRIu32 ": %s on %s, %zu events%s%s\n", inc->id, fsd_fs_type_name(inc->fs),
               inc->device ? inc->device : "an unknown device", inc->n_events,
               inc->read_only ? ", forced read-only" : "", inc->aborted ? ", transaction aborted" : "");
        if (d->rule_id)
                printf("  cause  %s (%s, confidence %.2f): %s\n", d->rule_id, fsd_severity_name(d->severity),
                       d->confidence, d->title.en);
        else
                printf("  cause  unrecognized\n");
        return 0;
}

int main(int argc, char **argv) {
        if (argc != 2) {
                fprintf(stderr, "usage: %s LOGFILE\n", argv[0]);
                return 2;
        }
        struct totals totals = { 0 };
        struct fsd_source *src = NULL;
        struct fsd_analyzer *analyzer = NULL;
        FSD_OPTS(fsd_analyzer_opts, opts, .on_report = on_report, .on_incident = on_incident,
                 .userdata = &totals);

        int r = fsd_source_open_file(argv[1], NULL, &src);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", argv[1], fsd_strerror(r));
                return 2;
        }
        r = fsd_analyzer_new(&opts, &analyzer);
        if (r >= 0) {
                struct fsd_record rec;
                while ((r = fsd_source_next(src, &rec)) > 0 && (r = fsd_analyzer_feed(analyzer, &rec)) >= 0)
                        ;
        }
        if (r >= 0)
                r = fsd_analyzer_finish(analyzer);
        if (r < 0)
                fprintf(stderr, "%s: %s\n", argv[1], fsd_strerror(r));
        else {
                struct fsd_source_stats stats;
                fsd_source_get_stats(src, &stats);
                printf("libfsdoctor %s: %" PRIu64 " lines, %u reports, %u incidents\n", fsd_version_string(),
                       stats.lines, totals.reports, totals.incidents);
        }
        fsd_analyzer_free(analyzer);
        fsd_source_free(src);
        return r < 0 ? 2 : 0;
}
