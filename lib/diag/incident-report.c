/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which incident a kernel report (WARNING, BUG, oops) belongs to: its filesystem from source file,
 * guilty frame and trace; its fit to an open incident by place, distance and the function and line
 * an event names. A report printed before the filesystem's own messages waits as pending. */
#include "incident-internal.h"

static const char *const fs_dirs[_FSD_FS_MAX] = {
        [FSD_FS_BTRFS] = "fs/btrfs/", [FSD_FS_EXT4] = "fs/ext4/", [FSD_FS_XFS] = "fs/xfs/",
};

static enum fsd_fs_type fs_of_function(const char *f) {
        if (!f)
                return FSD_FS_NONE;
        while (*f == '_')
                f++;
        if (strncmp(f, "btrfs_", 6) == 0)
                return FSD_FS_BTRFS;
        if (strncmp(f, "ext4_", 5) == 0 || strncmp(f, "jbd2_", 5) == 0)
                return FSD_FS_EXT4;
        if (strncmp(f, "xfs_", 4) == 0 || strncmp(f, "xlog_", 5) == 0)
                return FSD_FS_XFS;
        return FSD_FS_NONE;
}

static enum fsd_fs_type fs_of_module(const char *m) {
        if (!m)
                return FSD_FS_NONE;
        if (strcmp(m, "btrfs") == 0)
                return FSD_FS_BTRFS;
        if (strcmp(m, "ext4") == 0 || strcmp(m, "jbd2") == 0)
                return FSD_FS_EXT4;
        if (strcmp(m, "xfs") == 0)
                return FSD_FS_XFS;
        return FSD_FS_NONE;
}

enum fsd_fs_type incident_report_fs(const struct fsd_report *r) {
        if (r->src_file) {
                if (strncmp(r->src_file, "fs/jbd2/", 8) == 0)
                        return FSD_FS_EXT4;
                for (int t = 0; t < _FSD_FS_MAX; t++)
                        if (fs_dirs[t] && strncmp(r->src_file, fs_dirs[t], strlen(fs_dirs[t])) == 0)
                                return (enum fsd_fs_type) t;
        }
        enum fsd_fs_type t = fs_of_function(r->guilty);
        if (t != FSD_FS_NONE)
                return t;
        /* the innermost reliable frame in filesystem code names the filesystem */
        for (size_t i = 0; i < r->n_frames; i++) {
                const struct fsd_frame *f = &r->frames[i];
                if (f->unreliable)
                        continue;
                t = fs_of_module(f->module);
                if (t == FSD_FS_NONE)
                        t = fs_of_function(f->func);
                if (t != FSD_FS_NONE)
                        return t;
        }
        return FSD_FS_NONE;
}

/* Length of the function name at the start of "name.isra.71+0x65c/0xbd0 [btrfs]". */
static size_t symbol_len(const char *s) {
        size_t n = 0;
        while (s[n] && s[n] != '.' && s[n] != '+' && s[n] != ' ')
                n++;
        return n;
}

static bool symbol_is(const char *sym, const char *func) {
        if (!sym || !func)
                return false;
        size_t n = symbol_len(sym);
        return n == strlen(func) && strncmp(sym, func, n) == 0;
}

/* The event names the very place the report was printed: "error ... in __btrfs_free_extent:6805"
 * after "WARNING ... at fs/btrfs/extent-tree.c:6805 __btrfs_free_extent.isra.71". */
bool incident_report_matches_event(const struct fsd_report *r, const struct fsd_event *ev) {
        if (!ev->function || ev->src_line <= 0 || r->src_line != ev->src_line)
                return false;
        const char *rip = r->rip;
        /* RIP may carry a "0010:" segment prefix */
        if (rip) {
                const char *colon = strchr(rip, ':');
                if (colon && colon - rip <= 5)
                        rip = colon + 1;
        }
        return symbol_is(r->guilty, ev->function) || symbol_is(rip, ev->function) ||
               (r->n_frames && symbol_is(r->frames[0].func, ev->function));
}

static uint64_t line_distance(const struct fsd_report *r, uint64_t line) {
        if (line > r->last_line)
                return line - r->last_line;
        if (line < r->first_line)
                return r->first_line - line;
        return 0;
}

static int64_t abs64(int64_t v) {
        return v < 0 ? -v : v;
}

/* How well a report fits an incident whose event ev just arrived (or was last): 2 function and
 * line agree, 1 same filesystem and near, 0 no. */
static int report_fit(const struct fsd_report *r, enum fsd_fs_type rfs, const struct incident *inc,
                      const struct fsd_event *ev) {
        if (!same_place(r->origin, r->host, r->boot, inc->origin, inc->host, inc->pub.boot))
                return 0;
        if (inc->n_reports == INCIDENT_MAX_REPORTS)
                return 0;
        uint64_t dl = line_distance(r, ev->line);
        bool timed = r->mono_usec >= 0 && ev->mono_usec >= 0;
        int64_t dt = timed ? abs64(r->mono_usec - ev->mono_usec) : 0;
        if (incident_report_matches_event(r, ev) && dl <= REPORT_MATCH_LINES && dt <= REPORT_MATCH_USEC)
                return 2;
        if (rfs != FSD_FS_NONE && rfs == inc->pub.fs && dl <= REPORT_NEAR_LINES && dt <= REPORT_NEAR_USEC)
                return 1;
        return 0;
}

static void incident_take_report(struct incident *inc, struct fsd_report *r) {
        inc->reports[inc->n_reports++] = r;
        inc->changed = true;
        if (!inc->pub.kernel && r->kernel) {
                free(inc->kernel);
                inc->kernel = strdup(r->kernel);
                inc->pub.kernel = inc->kernel;
        }
        if (!inc->pub.comm && r->comm) {
                inc->comm = strdup(r->comm);
                inc->pub.comm = inc->comm;
                inc->pub.pid = r->pid;
        }
        if (r->first_line < inc->pub.first_line && str_eq(r->origin, inc->origin))
                inc->pub.first_line = r->first_line;
        if (r->last_line > inc->pub.last_line && str_eq(r->origin, inc->origin))
                inc->pub.last_line = r->last_line;
        if (r->mono_usec >= 0 && (inc->pub.start_mono_usec < 0 || r->mono_usec < inc->pub.start_mono_usec))
                inc->pub.start_mono_usec = r->mono_usec;
        if (r->wall_usec >= 0 && (inc->pub.start_wall_usec < 0 || r->wall_usec < inc->pub.start_wall_usec))
                inc->pub.start_wall_usec = r->wall_usec;
        inc->pub.year_assumed |= r->wall_usec >= 0 && r->year_assumed;
}

/* Pending reports that fit the incident ev just went to move into it. */
void correlator_adopt_pending(struct correlator *c, struct incident *inc, const struct fsd_event *ev) {
        for (size_t i = 0; i < c->n_pending;) {
                struct pending_report *p = &c->pending[i];
                if (report_fit(p->report, p->fs, inc, ev) > 0) {
                        incident_take_report(inc, p->report);
                        memmove(p, p + 1, (c->n_pending - i - 1) * sizeof *p);
                        c->n_pending--;
                } else
                        i++;
        }
}

int correlator_add_report(struct correlator *c, const struct fsd_report *r) {
        if (!c || !r)
                return -EINVAL;
        enum fsd_fs_type rfs = incident_report_fs(r);
        /* an open incident it fits: the best fit, the most recently active on a tie */
        struct incident *best = NULL;
        int best_fit = 0;
        for (size_t i = 0; i < c->n_open; i++) {
                struct incident *inc = c->open[i];
                for (size_t j = 0; j < inc->n_events; j++) {
                        int fit = report_fit(r, rfs, inc, &inc->events[j].ev);
                        if (fit > best_fit || (fit && fit == best_fit && inc->last_record > best->last_record)) {
                                best = inc;
                                best_fit = fit;
                        }
                }
        }
        if (!best && rfs == FSD_FS_NONE)
                return 0; /* not filesystem code: it stays a report on its own */
        struct fsd_report *copy = NULL;
        int k = fsd_report_dup(r, &copy);
        if (k < 0)
                return k;
        if (best) {
                incident_take_report(best, copy);
                return 0;
        }
        /* printed before the filesystem's own messages (a WARNING precedes the error it causes):
         * keep it until they come */
        if (c->n_pending == INCIDENT_MAX_PENDING_REPORTS) {
                fsd_report_free(c->pending[0].report);
                memmove(&c->pending[0], &c->pending[1], (c->n_pending - 1) * sizeof c->pending[0]);
                c->n_pending--;
        }
        c->pending[c->n_pending++] = (struct pending_report) { .report = copy, .fs = rfs, .record = c->records };
        return 0;
}
