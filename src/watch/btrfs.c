/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The btrfs sampler and guard of fsdoctor watch. Each round (a timer on the daemon's loop):
 *   - list the mounted btrfs filesystems again (fsd_btrfs_mounts_list), so new mounts count;
 *   - sample each one (fsd_btrfs_sample_take), feed its forecast, set the fsdoctor_btrfs_*
 *     gauges and append the sample to the history database;
 *   - for each --guard mount point whose worker is idle, start a worker that runs one
 *     fsd_btrfs_guard_run() (it returns at once when headroom is fine); steps and outcomes come
 *     back through a queue and are written to metrics and history by the next round.
 * Metric names follow node_exporter's btrfs collector where it has the same thing
 * (node_btrfs_size_bytes/used_bytes/global_rsv_size_bytes/device_size_bytes) and go further:
 * unallocated per device, the risk verdict and its reasons, metadata headroom, the exhaustion
 * forecast with its band, and the guard's actions.
 * The history tables live in the daemon's database, through a second connection of our own (the
 * daemon's store is not touched); both write from the loop thread, one after the other.
 */
#define FSD_EXPERIMENTAL_API
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "basic/cleanup.h"
#include "fsdoctor.h"
#include "shared/i18n.h"
#include "watch/btrfs.h"
#include "watch/daemon.h"
#include "watch/loop.h"
#include "watch/metrics.h"

#define MAX_FILESYSTEMS 64
#define MAX_QUEUE 256

struct tracked_fs {
        unsigned major, minor;
        struct fsd_btrfs_forecast *forecast;
        bool seen;                       /* in the current round's mount list */
};

struct guard_event {
        bool is_step;
        struct fsd_btrfs_guard_step step;
        struct fsd_btrfs_guard_result result;
};

struct guard_target {
        struct watch_btrfs *owner;
        char *path;
        struct fsd_btrfs_guard *guard;
        pthread_t thread;
        bool running, joinable;          /* under owner->lock */
};

struct watch_btrfs {
        struct watch_btrfs_config cfg;
        sqlite3 *db;
        unsigned rounds;
        struct tracked_fs fs[MAX_FILESYSTEMS];
        size_t n_fs;
        struct guard_target *guards;
        size_t n_guards;

        pthread_mutex_t lock;            /* the queue and the workers' flags */
        struct {
                struct guard_target *target;
                struct guard_event ev;
        } queue[MAX_QUEUE];
        size_t n_queue;
        uint64_t queue_dropped;

        struct metric_family *m_info, *m_size, *m_used, *m_dev_size, *m_dev_unalloc, *m_dev_missing,
                *m_rsv, *m_rsv_used, *m_unalloc, *m_chunk_need, *m_target, *m_meta_free, *m_headroom,
                *m_risk, *m_reason, *m_eta, *m_eta_low, *m_eta_high, *m_errors, *m_samples,
                *m_guard_enabled, *m_guard_runs, *m_guard_bytes, *m_guard_groups, *m_guard_seconds,
                *m_guard_last;
};

static const char SCHEMA[] =
        "CREATE TABLE IF NOT EXISTS btrfs_samples ("
        " id INTEGER PRIMARY KEY, time_usec INTEGER NOT NULL, fsid TEXT NOT NULL, mount_point TEXT,"
        " risk TEXT, unallocated INTEGER, metadata_free INTEGER, metadata_headroom INTEGER,"
        " global_reserve INTEGER, global_reserve_used INTEGER,"
        " eta_seconds REAL, eta_early REAL, eta_late REAL, json TEXT);"
        "CREATE INDEX IF NOT EXISTS btrfs_samples_time ON btrfs_samples(fsid, time_usec);"
        "CREATE TABLE IF NOT EXISTS btrfs_guard_actions ("
        " id INTEGER PRIMARY KEY, time_usec INTEGER NOT NULL, mount_point TEXT NOT NULL,"
        " kind TEXT NOT NULL, outcome TEXT, detail TEXT, dry_run INTEGER, vstart INTEGER, vend INTEGER,"
        " bytes_relocated INTEGER, unallocated_before INTEGER, unallocated_after INTEGER,"
        " seconds REAL, error TEXT);";

static int64_t now_realtime_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int family(struct watch_btrfs *b, const char *name, const char *help, enum metric_type t,
                  struct metric_family **ret, struct metrics *m) {
        return metrics_family(m, name, help, t, ret);
}

static int register_metrics(struct watch_btrfs *b, struct metrics *m) {
        int r = 0;
#define F(field, name, help, type) if (r >= 0) r = family(b, name, help, type, &b->field, m)
        F(m_info, "fsdoctor_btrfs_info", "Mounted btrfs filesystems being sampled (1 per filesystem)", METRIC_GAUGE);
        F(m_size, "fsdoctor_btrfs_size_bytes", "Logical size of the block groups of a type and profile", METRIC_GAUGE);
        F(m_used, "fsdoctor_btrfs_used_bytes", "Logical bytes used in the block groups of a type and profile", METRIC_GAUGE);
        F(m_dev_size, "fsdoctor_btrfs_device_size_bytes", "Bytes btrfs may use on a device", METRIC_GAUGE);
        F(m_dev_unalloc, "fsdoctor_btrfs_device_unallocated_bytes", "Bytes of a device not in any chunk", METRIC_GAUGE);
        F(m_dev_missing, "fsdoctor_btrfs_device_missing", "1 when a device of the filesystem is missing", METRIC_GAUGE);
        F(m_rsv, "fsdoctor_btrfs_global_reserve_bytes", "Size of the global block reserve", METRIC_GAUGE);
        F(m_rsv_used, "fsdoctor_btrfs_global_reserve_used_bytes", "Bytes of the global block reserve in use", METRIC_GAUGE);
        F(m_unalloc, "fsdoctor_btrfs_unallocated_bytes", "Raw unallocated bytes over present devices", METRIC_GAUGE);
        F(m_chunk_need, "fsdoctor_btrfs_metadata_chunk_need_bytes", "Raw bytes one new metadata chunk needs on the devices", METRIC_GAUGE);
        F(m_target, "fsdoctor_btrfs_headroom_target_bytes", "Raw unallocated bytes wanted: one metadata plus one data chunk", METRIC_GAUGE);
        F(m_meta_free, "fsdoctor_btrfs_metadata_free_bytes", "Metadata size minus metadata used", METRIC_GAUGE);
        F(m_headroom, "fsdoctor_btrfs_metadata_headroom_bytes", "Metadata free plus what unallocated space can give metadata, minus the global reserve", METRIC_GAUGE);
        F(m_risk, "fsdoctor_btrfs_risk_level", "ENOSPC risk verdict: 0 ok, 1 watch, 2 high, 3 critical", METRIC_GAUGE);
        F(m_reason, "fsdoctor_btrfs_risk_reason", "1 for each reason of the current verdict", METRIC_GAUGE);
        F(m_eta, "fsdoctor_btrfs_metadata_exhaustion_seconds", "Forecast seconds until metadata headroom reaches 0 (Theil-Sen; +Inf when not falling, NaN before enough samples)", METRIC_GAUGE);
        F(m_eta_low, "fsdoctor_btrfs_metadata_exhaustion_seconds_early", "Early bound of the forecast's 90 % band", METRIC_GAUGE);
        F(m_eta_high, "fsdoctor_btrfs_metadata_exhaustion_seconds_late", "Late bound of the forecast's 90 % band", METRIC_GAUGE);
        F(m_errors, "fsdoctor_btrfs_sample_errors_total", "Samples that failed (filesystem unreadable, no permission)", METRIC_COUNTER);
        F(m_samples, "fsdoctor_btrfs_samples_total", "Samples taken", METRIC_COUNTER);
        F(m_guard_enabled, "fsdoctor_btrfs_guard_enabled", "1 for each mount point the guard may balance (2 in dry-run mode)", METRIC_GAUGE);
        F(m_guard_runs, "fsdoctor_btrfs_guard_runs_total", "Guard rounds by outcome", METRIC_COUNTER);
        F(m_guard_bytes, "fsdoctor_btrfs_guard_relocated_bytes_total", "Raw bytes the guard relocated", METRIC_COUNTER);
        F(m_guard_groups, "fsdoctor_btrfs_guard_block_groups_total", "Block groups the guard relocated", METRIC_COUNTER);
        F(m_guard_seconds, "fsdoctor_btrfs_guard_balance_seconds_total", "Time the guard spent in balance", METRIC_COUNTER);
        F(m_guard_last, "fsdoctor_btrfs_guard_last_unallocated_bytes", "Unallocated bytes after the guard's last action", METRIC_GAUGE);
#undef F
        return r;
}

static void uuid_format(const uint8_t u[16], char out[37]) {
        snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                 u[14], u[15]);
}

static const char *lower_type(uint64_t flags) {
        switch (flags & FSD_BTRFS_BG_TYPE_MASK) {
        case FSD_BTRFS_BG_DATA: return "data";
        case FSD_BTRFS_BG_METADATA: return "metadata";
        case FSD_BTRFS_BG_SYSTEM: return "system";
        default: return "mixed";
        }
}

static const char *profile_label(uint64_t flags) {
        static const struct { uint64_t bit; const char *name; } p[] = {
                { FSD_BTRFS_BG_RAID0, "raid0" }, { FSD_BTRFS_BG_RAID1, "raid1" }, { FSD_BTRFS_BG_DUP, "dup" },
                { FSD_BTRFS_BG_RAID10, "raid10" }, { FSD_BTRFS_BG_RAID5, "raid5" }, { FSD_BTRFS_BG_RAID6, "raid6" },
                { FSD_BTRFS_BG_RAID1C3, "raid1c3" }, { FSD_BTRFS_BG_RAID1C4, "raid1c4" },
        };
        for (size_t i = 0; i < ELEMENTSOF(p); i++)
                if (flags & p[i].bit)
                        return p[i].name;
        return "single";
}

static struct tracked_fs *track(struct watch_btrfs *b, const struct fsd_btrfs_mount *m, double window) {
        for (size_t i = 0; i < b->n_fs; i++)
                if (b->fs[i].major == m->major && b->fs[i].minor == m->minor)
                        return &b->fs[i];
        if (b->n_fs == MAX_FILESYSTEMS)
                return NULL;
        struct tracked_fs *t = &b->fs[b->n_fs];
        FSD_OPTS(fsd_btrfs_forecast_opts, fo, .window_seconds = window);
        if (fsd_btrfs_forecast_new(&fo, &t->forecast) < 0)
                return NULL;
        t->major = m->major;
        t->minor = m->minor;
        b->n_fs++;
        return t;
}

static void store_sample(struct watch_btrfs *b, const struct fsd_btrfs_sample *sm, const char *fsid,
                         const char *mount_point, const struct fsd_btrfs_forecast_result *fc) {
        if (!b->db)
                return;
        _cleanup_free_ char *json = NULL;
        (void) fsd_btrfs_sample_to_json(sm, mount_point, fc, &json);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(b->db,
                               "INSERT INTO btrfs_samples (time_usec, fsid, mount_point, risk, unallocated,"
                               " metadata_free, metadata_headroom, global_reserve, global_reserve_used,"
                               " eta_seconds, eta_early, eta_late, json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                               -1, &st, NULL) != SQLITE_OK)
                return;
        const struct fsd_btrfs_assessment *a = sm->assessment;
        sqlite3_bind_int64(st, 1, (int64_t) (sm->time_ns / 1000));
        sqlite3_bind_text(st, 2, fsid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, mount_point, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, fsd_btrfs_risk_name(a->risk), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, (int64_t) a->unallocated);
        sqlite3_bind_int64(st, 6, (int64_t) a->metadata_free);
        sqlite3_bind_int64(st, 7, sm->metadata_headroom);
        sqlite3_bind_int64(st, 8, (int64_t) a->global_reserve);
        sqlite3_bind_int64(st, 9, (int64_t) a->global_reserve_used);
        if (fc->valid && isfinite(fc->eta)) {
                sqlite3_bind_double(st, 10, fc->eta);
                sqlite3_bind_double(st, 11, fc->eta_early);
                if (isfinite(fc->eta_late))
                        sqlite3_bind_double(st, 12, fc->eta_late);
        }
        if (json)
                sqlite3_bind_text(st, 13, json, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE && !b->cfg.quiet)
                fprintf(stderr, "fsdoctor: btrfs history: %s\n", sqlite3_errmsg(b->db));
        sqlite3_finalize(st);
}

static void sample_one(struct watch_btrfs *b, const struct fsd_btrfs_mount *m, double window) {
        char labels[METRICS_LABELS_MAX] = "";
        metrics_label(labels, sizeof labels, "mount_point", m->mount_point);
        struct fsd_btrfs_sample *sm = NULL;
        int r = fsd_btrfs_sample_take(m->mount_point, &sm);
        if (r < 0) {
                metrics_add(b->m_errors, labels, 1);
                return;
        }
        metrics_add(b->m_samples, labels, 1);
        const struct fsd_btrfs_space *s = sm->space;
        const struct fsd_btrfs_assessment *a = sm->assessment;
        char fsid[37];
        uuid_format(s->fsid, fsid);
        char base[METRICS_LABELS_MAX] = "";
        metrics_label(base, sizeof base, "fsid", fsid);
        metrics_label(base, sizeof base, "mount_point", m->mount_point);

        struct fsd_btrfs_forecast_result fc = { .eta = NAN };
        struct tracked_fs *t = track(b, m, window);
        if (t) {
                t->seen = true;
                fsd_btrfs_forecast_add(t->forecast, (double) sm->time_ns / 1e9, (double) sm->metadata_headroom);
                fsd_btrfs_forecast_compute(t->forecast, &fc);
        }

        char l[METRICS_LABELS_MAX];
        snprintf(l, sizeof l, "%s", base);
        metrics_label(l, sizeof l, "label", s->label);
        metrics_set(b->m_info, l, 1);
        for (size_t i = 0; i < s->n_space_infos; i++) {
                snprintf(l, sizeof l, "%s", base);
                metrics_label(l, sizeof l, "block_group_type", lower_type(s->space_infos[i].flags));
                metrics_label(l, sizeof l, "profile", profile_label(s->space_infos[i].flags));
                metrics_set(b->m_size, l, (double) s->space_infos[i].total);
                metrics_set(b->m_used, l, (double) s->space_infos[i].used);
        }
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct fsd_btrfs_device *d = &s->devices[i];
                char devid[24];
                snprintf(devid, sizeof devid, "%llu", (unsigned long long) d->devid);
                snprintf(l, sizeof l, "%s", base);
                metrics_label(l, sizeof l, "devid", devid);
                metrics_label(l, sizeof l, "device", d->path);
                metrics_set(b->m_dev_size, l, (double) d->size);
                metrics_set(b->m_dev_unalloc, l, d->size > d->allocated ? (double) (d->size - d->allocated) : 0);
                metrics_set(b->m_dev_missing, l, d->missing);
        }
        metrics_set(b->m_rsv, base, (double) s->global_reserve);
        metrics_set(b->m_rsv_used, base, (double) s->global_reserve_used);
        metrics_set(b->m_unalloc, base, (double) a->unallocated);
        metrics_set(b->m_chunk_need, base, (double) a->metadata_chunk_need);
        metrics_set(b->m_target, base, (double) a->headroom_target);
        metrics_set(b->m_meta_free, base, (double) a->metadata_free);
        metrics_set(b->m_headroom, base, (double) sm->metadata_headroom);
        metrics_set(b->m_risk, base, a->risk);
        for (size_t i = 0; i < a->n_reasons; i++) {
                snprintf(l, sizeof l, "%s", base);
                metrics_label(l, sizeof l, "reason", fsd_btrfs_reason_id(a->reasons[i].code));
                metrics_set(b->m_reason, l, 1);
        }
        metrics_set(b->m_eta, base, fc.valid ? fc.eta : NAN);
        metrics_set(b->m_eta_low, base, fc.valid ? fc.eta_early : NAN);
        metrics_set(b->m_eta_high, base, fc.valid ? fc.eta_late : NAN);
        store_sample(b, sm, fsid, m->mount_point, &fc);
        fsd_btrfs_sample_free(sm);
}

/* --- the guard workers --- */

static void enqueue(struct guard_target *g, const struct guard_event *ev) {
        struct watch_btrfs *b = g->owner;
        pthread_mutex_lock(&b->lock);
        if (b->n_queue < MAX_QUEUE) {
                b->queue[b->n_queue].target = g;
                b->queue[b->n_queue].ev = *ev;
                b->n_queue++;
        } else
                b->queue_dropped++;
        pthread_mutex_unlock(&b->lock);
}

static void on_step(const struct fsd_btrfs_guard_step *step, void *userdata) {
        struct guard_event ev = { .is_step = true, .step = *step };
        enqueue(userdata, &ev);
}

static void *guard_worker(void *userdata) {
        struct guard_target *g = userdata;
        struct guard_event ev = { .is_step = false };
        int r = fsd_btrfs_guard_run(g->guard, &ev.result);
        if (r >= 0)
                enqueue(g, &ev);
        pthread_mutex_lock(&g->owner->lock);
        g->running = false;
        pthread_mutex_unlock(&g->owner->lock);
        return NULL;
}

static void store_action(struct watch_btrfs *b, const struct guard_target *g, const struct guard_event *ev) {
        if (!b->db)
                return;
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(b->db,
                               "INSERT INTO btrfs_guard_actions (time_usec, mount_point, kind, outcome, detail,"
                               " dry_run, vstart, vend, bytes_relocated, unallocated_before, unallocated_after,"
                               " seconds, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
                return;
        sqlite3_bind_int64(st, 1, now_realtime_usec());
        sqlite3_bind_text(st, 2, g->path, -1, SQLITE_TRANSIENT);
        if (ev->is_step) {
                const struct fsd_btrfs_guard_step *s = &ev->step;
                sqlite3_bind_text(st, 3, "step", -1, SQLITE_STATIC);
                sqlite3_bind_int(st, 6, s->dry_run);
                sqlite3_bind_int64(st, 7, (int64_t) s->vstart);
                sqlite3_bind_int64(st, 8, (int64_t) s->vend);
                sqlite3_bind_int64(st, 9, (int64_t) s->bytes_relocated);
                sqlite3_bind_int64(st, 10, (int64_t) s->unallocated_before);
                sqlite3_bind_int64(st, 11, (int64_t) s->unallocated_after);
                sqlite3_bind_double(st, 12, s->seconds);
                if (s->error)
                        sqlite3_bind_text(st, 13, fsd_strerror(s->error), -1, SQLITE_STATIC);
        } else {
                const struct fsd_btrfs_guard_result *res = &ev->result;
                sqlite3_bind_text(st, 3, "run", -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 4, fsd_btrfs_guard_outcome_id(res->outcome), -1, SQLITE_STATIC);
                const char *detail = res->outcome == FSD_BTRFS_GUARD_REFUSED ? fsd_btrfs_guard_refusal_id(res->refusal)
                                                                            : res->detail;
                if (detail)
                        sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
                sqlite3_bind_int(st, 6, b->cfg.guard_dry_run);
                sqlite3_bind_int64(st, 9, (int64_t) res->bytes_relocated);
                sqlite3_bind_int64(st, 10, (int64_t) res->unallocated_before);
                sqlite3_bind_int64(st, 11, (int64_t) res->unallocated_after);
                sqlite3_bind_double(st, 12, res->seconds);
        }
        if (sqlite3_step(st) != SQLITE_DONE && !b->cfg.quiet)
                fprintf(stderr, "fsdoctor: btrfs history: %s\n", sqlite3_errmsg(b->db));
        sqlite3_finalize(st);
}

static void drain_guard_events(struct watch_btrfs *b) {
        pthread_mutex_lock(&b->lock);
        size_t n = b->n_queue;
        /* the loop thread only (and stop, after the loop): a static copy keeps the stack small */
        static struct { struct guard_target *target; struct guard_event ev; } copy[MAX_QUEUE];
        memcpy(copy, b->queue, n * sizeof copy[0]);
        b->n_queue = 0;
        pthread_mutex_unlock(&b->lock);
        for (size_t i = 0; i < n; i++) {
                const struct guard_target *g = copy[i].target;
                const struct guard_event *ev = &copy[i].ev;
                char l[METRICS_LABELS_MAX] = "";
                metrics_label(l, sizeof l, "mount_point", g->path);
                store_action(b, g, ev);
                if (ev->is_step) {
                        if (!ev->step.dry_run && ev->step.error == 0) {
                                metrics_add(b->m_guard_bytes, l, (double) ev->step.bytes_relocated);
                                metrics_add(b->m_guard_groups, l, ev->step.bytes_relocated ? 1 : 0);
                        }
                        metrics_add(b->m_guard_seconds, l, ev->step.seconds);
                        metrics_set(b->m_guard_last, l, (double) ev->step.unallocated_after);
                        continue;
                }
                const struct fsd_btrfs_guard_result *res = &ev->result;
                char lo[METRICS_LABELS_MAX];
                snprintf(lo, sizeof lo, "%s", l);
                metrics_label(lo, sizeof lo, "outcome", fsd_btrfs_guard_outcome_id(res->outcome));
                metrics_add(b->m_guard_runs, lo, 1);
                if (res->outcome != FSD_BTRFS_GUARD_HEADROOM_OK && !b->cfg.quiet)
                        fprintf(stderr, _("fsdoctor: guard %s: %s (%s), %u block groups, %llu bytes relocated, "
                                          "unallocated %llu -> %llu\n"),
                                g->path, fsd_btrfs_guard_outcome_id(res->outcome),
                                res->outcome == FSD_BTRFS_GUARD_REFUSED ? fsd_btrfs_guard_refusal_id(res->refusal)
                                                                        : res->detail ? res->detail : "-",
                                res->n_steps, (unsigned long long) res->bytes_relocated,
                                (unsigned long long) res->unallocated_before,
                                (unsigned long long) res->unallocated_after);
        }
}

static void start_guards(struct watch_btrfs *b) {
        for (size_t i = 0; i < b->n_guards; i++) {
                struct guard_target *g = &b->guards[i];
                pthread_mutex_lock(&b->lock);
                bool busy = g->running, join = g->joinable && !g->running;
                pthread_mutex_unlock(&b->lock);
                if (busy)
                        continue;
                if (join) {
                        pthread_join(g->thread, NULL);
                        g->joinable = false;
                }
                pthread_mutex_lock(&b->lock);
                g->running = true;
                pthread_mutex_unlock(&b->lock);
                if (pthread_create(&g->thread, NULL, guard_worker, g) != 0) {
                        pthread_mutex_lock(&b->lock);
                        g->running = false;
                        pthread_mutex_unlock(&b->lock);
                        continue;
                }
                g->joinable = true;
        }
}

static int on_timer(int64_t now_usec, void *userdata) {
        struct watch_btrfs *b = userdata;
        drain_guard_events(b);

        struct fsd_btrfs_mount *mounts = NULL;
        int n = fsd_btrfs_mounts_list(NULL, &mounts);
        if (n >= 0) {
                /* gauges are rebuilt each round: an unmounted filesystem's series drop to 0 */
                struct metric_family *gauges[] = { b->m_info, b->m_size, b->m_used, b->m_dev_size, b->m_dev_unalloc,
                                                   b->m_dev_missing, b->m_rsv, b->m_rsv_used, b->m_unalloc,
                                                   b->m_chunk_need, b->m_target, b->m_meta_free, b->m_headroom,
                                                   b->m_risk, b->m_reason, b->m_eta, b->m_eta_low, b->m_eta_high };
                for (size_t i = 0; i < ELEMENTSOF(gauges); i++)
                        metrics_zero(gauges[i]);
                double window = MAX(600.0, 60.0 * b->cfg.interval);
                for (size_t i = 0; i < b->n_fs; i++)
                        b->fs[i].seen = false;
                for (int i = 0; i < n; i++)
                        sample_one(b, &mounts[i], window);
                fsd_btrfs_mounts_free(mounts, (size_t) n);
        }
        start_guards(b);

        if (b->db && b->cfg.retention_days && ++b->rounds % 100 == 1) {
                char sql[128];
                int64_t cutoff = now_realtime_usec() - (int64_t) b->cfg.retention_days * 86400 * 1000000;
                snprintf(sql, sizeof sql, "DELETE FROM btrfs_samples WHERE time_usec < %lld", (long long) cutoff);
                sqlite3_exec(b->db, sql, NULL, NULL, NULL);
        }
        (void) now_usec;
        return 0;
}

int watch_btrfs_start(struct watch_daemon *d, const struct watch_btrfs_config *cfg, struct watch_btrfs **ret) {
        if (!d || !cfg || !ret)
                return -EINVAL;
        *ret = NULL;
        if (cfg->interval <= 0 && cfg->n_guard_paths == 0)
                return 0;
        struct watch_btrfs *b = calloc(1, sizeof *b);
        if (!b)
                return -ENOMEM;
        b->cfg = *cfg;
        if (b->cfg.interval <= 0)
                b->cfg.interval = 60;
        pthread_mutex_init(&b->lock, NULL);
        int r = register_metrics(b, watch_daemon_metrics(d));
        if (r < 0)
                goto fail;
        if (cfg->db_path) {
                if (sqlite3_open_v2(cfg->db_path, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                    NULL) != SQLITE_OK ||
                    sqlite3_busy_timeout(b->db, 5000) != SQLITE_OK ||
                    sqlite3_exec(b->db, SCHEMA, NULL, NULL, NULL) != SQLITE_OK) {
                        fprintf(stderr, "fsdoctor: %s: %s\n", cfg->db_path, b->db ? sqlite3_errmsg(b->db) : "cannot open");
                        r = -EIO;
                        goto fail;
                }
        }
        b->guards = calloc(cfg->n_guard_paths ? cfg->n_guard_paths : 1, sizeof *b->guards);
        if (!b->guards) {
                r = -ENOMEM;
                goto fail;
        }
        for (unsigned i = 0; i < cfg->n_guard_paths; i++) {
                struct guard_target *g = &b->guards[b->n_guards];
                g->owner = b;
                g->path = strdup(cfg->guard_paths[i]);
                if (!g->path) {
                        r = -ENOMEM;
                        goto fail;
                }
                FSD_OPTS(fsd_btrfs_guard_opts, go, .dry_run = cfg->guard_dry_run, .on_step = on_step, .userdata = g,
                         .max_io_pressure = cfg->guard_max_pressure, .max_cpu_pressure = cfg->guard_max_pressure);
                if ((r = fsd_btrfs_guard_new(g->path, &go, &g->guard)) < 0) {
                        free(g->path);
                        goto fail;
                }
                b->n_guards++;
                char l[METRICS_LABELS_MAX] = "";
                metrics_label(l, sizeof l, "mount_point", g->path);
                metrics_set(b->m_guard_enabled, l, cfg->guard_dry_run ? 2 : 1);
        }
        r = loop_add_timer(watch_daemon_loop(d), (int64_t) (b->cfg.interval * 1e6), on_timer, b);
        if (r < 0)
                goto fail;
        *ret = b;
        return 0;
fail:
        watch_btrfs_stop(b);
        return r;
}

struct watch_btrfs *watch_btrfs_stop(struct watch_btrfs *b) {
        if (!b)
                return NULL;
        /* cancel first (a balance in flight stops), then wait for the workers */
        for (size_t i = 0; i < b->n_guards; i++)
                fsd_btrfs_guard_cancel(b->guards[i].guard);
        for (size_t i = 0; i < b->n_guards; i++)
                if (b->guards[i].joinable)
                        pthread_join(b->guards[i].thread, NULL);
        drain_guard_events(b);
        for (size_t i = 0; i < b->n_guards; i++) {
                fsd_btrfs_guard_free(b->guards[i].guard);
                free(b->guards[i].path);
        }
        free(b->guards);
        for (size_t i = 0; i < b->n_fs; i++)
                fsd_btrfs_forecast_free(b->fs[i].forecast);
        if (b->db)
                sqlite3_close(b->db);
        pthread_mutex_destroy(&b->lock);
        free(b);
        return NULL;
}
