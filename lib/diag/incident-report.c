/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A report copy is one allocation: the struct, its frames, then every string, so freeing it is
 * one free() and a copy can never be half-built. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "incident-report.h"
#include "basic/cleanup.h"

struct copy_plan {
        char *p;                 /* next free byte, NULL while only measuring */
        size_t size;
};

static const char *plan_str(struct copy_plan *cp, const char *s) {
        if (!s)
                return NULL;
        size_t n = strnlen(s, INCIDENT_REPORT_MAX_STRING);
        cp->size += n + 1;
        if (!cp->p)
                return NULL;
        char *d = cp->p;
        memcpy(d, s, n);
        d[n] = 0;
        cp->p += n + 1;
        return d;
}

/* Runs twice: once to measure (cp->p NULL), once to copy into dst. */
static void plan_report(struct copy_plan *cp, const struct fsd_report *r, struct fsd_report *dst,
                        struct fsd_frame *frames, size_t n_frames) {
        struct fsd_report tmp;
        struct fsd_report *d = dst ? dst : &tmp;
        *d = *r;
        d->title = plan_str(cp, r->title);
        d->guilty = plan_str(cp, r->guilty);
        d->header = plan_str(cp, r->header);
        d->corrupted_reason = plan_str(cp, r->corrupted_reason);
        d->rip = plan_str(cp, r->rip);
        d->src_file = plan_str(cp, r->src_file);
        d->comm = plan_str(cp, r->comm);
        d->taint = plan_str(cp, r->taint);
        d->kernel = plan_str(cp, r->kernel);
        d->hardware = plan_str(cp, r->hardware);
        d->modules = plan_str(cp, r->modules);
        d->registers = plan_str(cp, r->registers);
        d->code = plan_str(cp, r->code);
        d->origin = plan_str(cp, r->origin);
        d->host = plan_str(cp, r->host);
        for (size_t i = 0; i < n_frames; i++) {
                struct fsd_frame f = r->frames[i];
                f.func = plan_str(cp, r->frames[i].func);
                f.suffix = plan_str(cp, r->frames[i].suffix);
                f.module = plan_str(cp, r->frames[i].module);
                f.file = plan_str(cp, r->frames[i].file);
                if (frames)
                        frames[i] = f;
        }
        d->frames = frames;
        d->n_frames = frames ? n_frames : 0;
}

int incident_report_dup(const struct fsd_report *r, struct fsd_report **ret) {
        if (!r || !ret)
                return -EINVAL;
        size_t n_frames = r->frames ? MIN(r->n_frames, (size_t) INCIDENT_REPORT_MAX_FRAMES) : 0;
        struct copy_plan measure = {};
        plan_report(&measure, r, NULL, NULL, n_frames);
        size_t head = sizeof(struct fsd_report) + n_frames * sizeof(struct fsd_frame);
        char *block = malloc(head + measure.size);
        if (!block)
                return -ENOMEM;
        struct fsd_report *copy = (struct fsd_report *) block;
        struct fsd_frame *frames = n_frames ? (struct fsd_frame *) (block + sizeof *copy) : NULL;
        struct copy_plan fill = { .p = block + head };
        plan_report(&fill, r, copy, frames, n_frames);
        *ret = copy;
        return 0;
}

struct fsd_report *incident_report_free(struct fsd_report *r) {
        free(r);
        return NULL;
}
