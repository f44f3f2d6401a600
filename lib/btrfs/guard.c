/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guard: when a metadata chunk no longer fits in unallocated space (or the verdict is high),
 * run the reclaim plan of fsd_btrfs_assess() one data block group at a time, least used first,
 * and stop as soon as unallocated space reaches the headroom target again.
 *
 * Why one group per balance call: each call rewrites exactly the bytes of that group (vrange
 * filter on its start..end), the space is re-read after it, so the guard never moves more than
 * it must - a usage=N filter would relocate every group below N % in one go, and a whole balance
 * rewrites everything. Why the refusals: balancing a read-only or degraded filesystem can make
 * things worse (a degraded RAID1 writes single-copy chunks), and the kernel allows only one
 * exclusive operation at a time, so a balance would fail anyway while a resize, device
 * add/remove/replace or another balance runs; a scrub competes for the same I/O.
 */
#define FSD_EXPERIMENTAL_API
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <linux/btrfs.h>
#include "basic/cleanup.h"
#include "btrfs/balance.h"
#include "btrfs/space-model.h"
#include "core/diag-log.h"

#define DEFAULT_BUDGET 300.0
#define DEFAULT_MAX_IO 40.0
#define DEFAULT_MAX_CPU 80.0
#define DEFAULT_MAX_STEPS 32
#define BUDGET_SLOTS 256
#define MAX_TRIED 256

DEFINE_FREEP(struct fsd_btrfs_space, fsd_btrfs_space_free)
DEFINE_FREEP(struct fsd_btrfs_assessment, fsd_btrfs_assessment_free)

struct budget_entry {
        double end;              /* CLOCK_MONOTONIC seconds */
        double seconds;
};

struct fsd_btrfs_guard {
        char *path;
        char *pressure_dir;
        bool dry_run;
        double budget, max_io, max_cpu;
        unsigned max_steps;
        fsd_btrfs_guard_step_fn on_step;
        void *userdata;

        pthread_mutex_t lock;    /* guards cancelled and balance_fd */
        bool cancelled;
        int balance_fd;          /* fd of the balance this guard runs, -1 when none */

        struct budget_entry spent[BUDGET_SLOTS];
        size_t n_spent;
};

const char *fsd_btrfs_guard_outcome_id(enum fsd_btrfs_guard_outcome o) {
        static const char *const ids[] = {
                [FSD_BTRFS_GUARD_HEADROOM_OK] = "headroom-ok",
                [FSD_BTRFS_GUARD_RESTORED] = "restored",
                [FSD_BTRFS_GUARD_WOULD_RECLAIM] = "would-reclaim",
                [FSD_BTRFS_GUARD_REFUSED] = "refused",
                [FSD_BTRFS_GUARD_PAUSED] = "paused",
                [FSD_BTRFS_GUARD_INCOMPLETE] = "incomplete",
                [FSD_BTRFS_GUARD_INFEASIBLE] = "infeasible",
                [FSD_BTRFS_GUARD_CANCELLED] = "cancelled",
        };
        if ((unsigned) o >= ELEMENTSOF(ids))
                return "unknown";
        return ids[o];
}

const char *fsd_btrfs_guard_refusal_id(enum fsd_btrfs_guard_refusal r) {
        static const char *const ids[] = {
                [FSD_BTRFS_GUARD_OK_TO_RUN] = "none",
                [FSD_BTRFS_GUARD_READ_ONLY] = "read-only",
                [FSD_BTRFS_GUARD_DEGRADED] = "degraded",
                [FSD_BTRFS_GUARD_BALANCE_RUNNING] = "balance-running",
                [FSD_BTRFS_GUARD_SCRUB_RUNNING] = "scrub-running",
                [FSD_BTRFS_GUARD_REPLACE_RUNNING] = "replace-running",
                [FSD_BTRFS_GUARD_EXCLUSIVE_OP] = "exclusive-operation",
                [FSD_BTRFS_GUARD_NOT_PERMITTED] = "not-permitted",
        };
        if ((unsigned) r >= ELEMENTSOF(ids))
                return "unknown";
        return ids[r];
}

static double now_monotonic(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Is the mount at path read-only or mounted -o degraded, by mountinfo (the fs is found by its
 * st_dev, which is the major:minor field)? */
static int mount_flags(const char *path, bool *ret_ro, bool *ret_degraded) {
        struct stat st;
        if (stat(path, &st) < 0)
                return -errno;
        struct fsd_btrfs_mount *m = NULL;
        int n = fsd_btrfs_mounts_list(NULL, &m);
        if (n < 0)
                return n;
        *ret_ro = *ret_degraded = false;
        /* st_dev of a subvolume differs from the superblock's: match any mount when none agrees */
        for (int i = 0; i < n; i++)
                if (makedev(m[i].major, m[i].minor) == st.st_dev) {
                        *ret_ro = m[i].read_only;
                        *ret_degraded = m[i].degraded;
                }
        fsd_btrfs_mounts_free(m, (size_t) n);
        return 0;
}

/* @return the refusal (>= 0), or a negative error; *detail is set for some refusals. */
static int find_refusal(const char *path, const char **detail) {
        struct statvfs sv;
        if (statvfs(path, &sv) < 0)
                return -errno;
        bool ro = false, degraded = false;
        int r = mount_flags(path, &ro, &degraded);
        if (r < 0)
                fsd_debug("guard: cannot read mountinfo: %s", fsd_strerror(r));
        if ((sv.f_flag & ST_RDONLY) || ro)
                return FSD_BTRFS_GUARD_READ_ONLY;

        _cleanup_(fsd_btrfs_space_freep) struct fsd_btrfs_space *s = NULL;
        r = fsd_btrfs_space_read_online(path, &s);
        if (r == -EPERM)
                return FSD_BTRFS_GUARD_NOT_PERMITTED;
        if (r < 0)
                return r;
        size_t missing = 0;
        _cleanup_free_ uint64_t *devids = calloc(s->n_devices ? s->n_devices : 1, sizeof *devids);
        if (!devids)
                return -ENOMEM;
        for (size_t i = 0; i < s->n_devices; i++) {
                missing += s->devices[i].missing;
                devids[i] = s->devices[i].devid;
        }
        if (missing > 0 || degraded || s->n_devices < s->num_devices) {
                *detail = missing || s->n_devices < s->num_devices ? "device missing" : "mounted degraded";
                return FSD_BTRFS_GUARD_DEGRADED;
        }

        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        r = btrfs_exclusive_operation(s->fsid, detail);
        if (r < 0)
                return r;
        if (r > 0)
                return strncmp(*detail, "balance", 7) == 0 ? FSD_BTRFS_GUARD_BALANCE_RUNNING
                                                          : FSD_BTRFS_GUARD_EXCLUSIVE_OP;
        r = btrfs_balance_in_progress(fd);
        if (r == -EPERM)
                return FSD_BTRFS_GUARD_NOT_PERMITTED;
        if (r < 0)
                return r;
        if (r > 0)
                return FSD_BTRFS_GUARD_BALANCE_RUNNING;
        r = btrfs_replace_in_progress(fd);
        if (r < 0)
                return r;
        if (r > 0)
                return FSD_BTRFS_GUARD_REPLACE_RUNNING;
        r = btrfs_scrub_in_progress(fd, devids, s->n_devices);
        if (r < 0)
                return r;
        if (r > 0)
                return FSD_BTRFS_GUARD_SCRUB_RUNNING;
        return FSD_BTRFS_GUARD_OK_TO_RUN;
}

int fsd_btrfs_guard_check_safe(const char *path, enum fsd_btrfs_guard_refusal *ret_refusal, const char **ret_detail) {
        if (!path || !ret_refusal)
                return -EINVAL;
        const char *detail = NULL;
        int r = find_refusal(path, &detail);
        if (r < 0)
                return r;
        *ret_refusal = (enum fsd_btrfs_guard_refusal) r;
        if (ret_detail)
                *ret_detail = detail;
        return 0;
}

/* PSI "some avg10" in percent from DIR/NAME, -1 when the kernel has no PSI. */
static double read_pressure(const char *dir, const char *name) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f)
                return -1;
        char line[256];
        while (fgets(line, sizeof line, f)) {
                double v;
                if (sscanf(line, "some avg10=%lf", &v) == 1 && isfinite(v) && v >= 0)
                        return v;
        }
        return -1;
}

static double budget_spent(struct fsd_btrfs_guard *g, double now) {
        double sum = 0;
        for (size_t i = 0; i < g->n_spent; i++)
                if (g->spent[i].end > now - 3600.0)
                        sum += g->spent[i].seconds;
        return sum;
}

static void budget_add(struct fsd_btrfs_guard *g, double end, double seconds) {
        if (g->n_spent == BUDGET_SLOTS) {
                memmove(g->spent, g->spent + 1, (BUDGET_SLOTS - 1) * sizeof g->spent[0]);
                g->n_spent--;
        }
        g->spent[g->n_spent++] = (struct budget_entry) { .end = end, .seconds = seconds };
}

static bool is_cancelled(struct fsd_btrfs_guard *g) {
        pthread_mutex_lock(&g->lock);
        bool c = g->cancelled;
        pthread_mutex_unlock(&g->lock);
        return c;
}

int fsd_btrfs_guard_new(const char *path, const struct fsd_btrfs_guard_opts *opts, struct fsd_btrfs_guard **ret) {
        if (!path || !ret || (opts && opts->sz < sizeof(size_t)))
                return -EINVAL;
        struct fsd_btrfs_guard *g = calloc(1, sizeof *g);
        if (!g)
                return -ENOMEM;
        pthread_mutex_init(&g->lock, NULL);
        g->balance_fd = -1;
        g->budget = DEFAULT_BUDGET;
        g->max_io = DEFAULT_MAX_IO;
        g->max_cpu = DEFAULT_MAX_CPU;
        g->max_steps = DEFAULT_MAX_STEPS;
        g->path = strdup(path);
        if (!g->path)
                return fsd_btrfs_guard_free(g), -ENOMEM;
        const char *pressure_dir = "/proc/pressure";
#define HAS(field) (opts && opts->sz >= offsetof(struct fsd_btrfs_guard_opts, field) + sizeof opts->field)
        if (HAS(dry_run))
                g->dry_run = opts->dry_run;
        if (HAS(budget_seconds_per_hour) && opts->budget_seconds_per_hour > 0)
                g->budget = opts->budget_seconds_per_hour;
        if (HAS(max_io_pressure) && opts->max_io_pressure > 0)
                g->max_io = opts->max_io_pressure;
        if (HAS(max_cpu_pressure) && opts->max_cpu_pressure > 0)
                g->max_cpu = opts->max_cpu_pressure;
        if (HAS(pressure_dir) && opts->pressure_dir)
                pressure_dir = opts->pressure_dir;
        if (HAS(max_steps) && opts->max_steps > 0)
                g->max_steps = opts->max_steps;
        if (HAS(on_step))
                g->on_step = opts->on_step;
        if (HAS(userdata))
                g->userdata = opts->userdata;
#undef HAS
        g->pressure_dir = strdup(pressure_dir);
        if (!g->pressure_dir)
                return fsd_btrfs_guard_free(g), -ENOMEM;
        *ret = g;
        return 0;
}

struct fsd_btrfs_guard *fsd_btrfs_guard_free(struct fsd_btrfs_guard *g) {
        if (!g)
                return NULL;
        pthread_mutex_destroy(&g->lock);
        free(g->path);
        free(g->pressure_dir);
        free(g);
        return NULL;
}

void fsd_btrfs_guard_cancel(struct fsd_btrfs_guard *g) {
        if (!g)
                return;
        pthread_mutex_lock(&g->lock);
        g->cancelled = true;
        /* a copy of our fd: the runner may close its own as soon as the balance returns */
        int fd = g->balance_fd >= 0 ? fcntl(g->balance_fd, F_DUPFD_CLOEXEC, 3) : -1;
        pthread_mutex_unlock(&g->lock);
        if (fd < 0)
                return;
        int r = btrfs_balance_cancel(fd);
        if (r < 0 && r != -ENOTCONN)
                fsd_warn("guard: cannot cancel the balance on %s: %s", g->path, fsd_strerror(r));
        close(fd);
}

static int read_and_assess(const char *path, struct fsd_btrfs_space **ret_space,
                           struct fsd_btrfs_assessment **ret_assessment) {
        _cleanup_(fsd_btrfs_space_freep) struct fsd_btrfs_space *s = NULL;
        int r = fsd_btrfs_space_read_online(path, &s);
        if (r < 0)
                return r;
        FSD_OPTS(fsd_btrfs_assess_opts, opts, .mount_path = path);
        r = fsd_btrfs_assess(s, &opts, ret_assessment);
        if (r < 0)
                return r;
        *ret_space = TAKE_PTR(s);
        return 0;
}

static bool headroom_back(const struct fsd_btrfs_assessment *a) {
        return a->metadata_chunk_fits && a->unallocated >= a->headroom_target;
}

static bool was_tried(const uint64_t *tried, size_t n, uint64_t start) {
        for (size_t i = 0; i < n; i++)
                if (tried[i] == start)
                        return true;
        return false;
}

/* The least-used group of the plan not tried yet, or NULL. */
static const struct fsd_btrfs_block_group *pick_group(const struct fsd_btrfs_reclaim_plan *p,
                                                     const uint64_t *tried, size_t n_tried) {
        const struct fsd_btrfs_block_group *best = NULL;
        for (size_t i = 0; i < p->n_block_groups; i++) {
                const struct fsd_btrfs_block_group *bg = &p->block_groups[i];
                if (was_tried(tried, n_tried, bg->start) || bg->length == 0)
                        continue;
                if (!best || (__uint128_t) bg->used * best->length < (__uint128_t) best->used * bg->length)
                        best = bg;
        }
        return best;
}

static bool space_is_mixed(const struct fsd_btrfs_space *s) {
        for (size_t i = 0; i < s->n_space_infos; i++)
                if ((s->space_infos[i].flags & FSD_BTRFS_BG_DATA) && (s->space_infos[i].flags & FSD_BTRFS_BG_METADATA))
                        return true;
        return false;
}

static void dry_run_steps(struct fsd_btrfs_guard *g, const struct fsd_btrfs_assessment *a,
                          struct fsd_btrfs_guard_result *res) {
        const struct fsd_btrfs_reclaim_plan *p = &a->plan;
        uint64_t tried[MAX_TRIED];
        size_t n_tried = 0;
        uint64_t unallocated = a->unallocated;
        const struct fsd_btrfs_block_group *bg;
        while (n_tried < MAX_TRIED && res->n_steps < g->max_steps && (bg = pick_group(p, tried, n_tried))) {
                tried[n_tried++] = bg->start;
                struct fsd_btrfs_guard_step step = {
                        .index = ++res->n_steps,
                        .dry_run = true,
                        .vstart = bg->start,
                        .vend = bg->start + bg->length,
                        .bg_length = bg->length,
                        .bg_used = bg->used,
                        .unallocated_before = unallocated,
                };
                unallocated += bg->length * btrfs_profile_ncopies(bg->flags);
                step.unallocated_after = unallocated;
                if (g->on_step)
                        g->on_step(&step, g->userdata);
        }
        res->unallocated_after = unallocated;
}

int fsd_btrfs_guard_run(struct fsd_btrfs_guard *g, struct fsd_btrfs_guard_result *res) {
        if (!g || !res)
                return -EINVAL;
        *res = (struct fsd_btrfs_guard_result) { .io_pressure = -1, .cpu_pressure = -1 };
        if (is_cancelled(g)) {
                res->outcome = FSD_BTRFS_GUARD_CANCELLED;
                return 0;
        }

        _cleanup_(fsd_btrfs_space_freep) struct fsd_btrfs_space *s = NULL;
        _cleanup_(fsd_btrfs_assessment_freep) struct fsd_btrfs_assessment *a = NULL;
        int r = read_and_assess(g->path, &s, &a);
        if (r < 0)
                return r;
        res->risk_before = res->risk_after = a->risk;
        res->unallocated_before = res->unallocated_after = a->unallocated;
        res->headroom_target = a->headroom_target;
        res->triggered = !a->metadata_chunk_fits || a->unallocated < a->metadata_chunk_need ||
                         a->risk >= FSD_BTRFS_RISK_HIGH;
        if (!res->triggered) {
                res->outcome = FSD_BTRFS_GUARD_HEADROOM_OK;
                return 0;
        }

        r = fsd_btrfs_guard_check_safe(g->path, &res->refusal, &res->detail);
        if (r < 0)
                return r;
        if (res->refusal != FSD_BTRFS_GUARD_OK_TO_RUN) {
                res->outcome = FSD_BTRFS_GUARD_REFUSED;
                return 0;
        }
        if (a->plan.n_block_groups == 0) {
                res->outcome = FSD_BTRFS_GUARD_INFEASIBLE;
                return 0;
        }
        if (g->dry_run) {
                dry_run_steps(g, a, res);
                res->outcome = a->plan.feasible ? FSD_BTRFS_GUARD_WOULD_RECLAIM : FSD_BTRFS_GUARD_INFEASIBLE;
                return 0;
        }

        bool mixed = space_is_mixed(s);
        uint64_t tried[MAX_TRIED];
        size_t n_tried = 0;
        res->outcome = FSD_BTRFS_GUARD_INCOMPLETE;
        while (res->n_steps < g->max_steps) {
                if (is_cancelled(g)) {
                        res->outcome = FSD_BTRFS_GUARD_CANCELLED;
                        break;
                }
                if (res->n_steps > 0) {
                        r = fsd_btrfs_guard_check_safe(g->path, &res->refusal, &res->detail);
                        if (r < 0)
                                return r;
                        if (res->refusal != FSD_BTRFS_GUARD_OK_TO_RUN) {
                                res->outcome = FSD_BTRFS_GUARD_REFUSED;
                                break;
                        }
                }
                /* pressure waits, unless metadata is already at the global reserve */
                res->io_pressure = read_pressure(g->pressure_dir, "io");
                res->cpu_pressure = read_pressure(g->pressure_dir, "cpu");
                if (a->risk < FSD_BTRFS_RISK_CRITICAL &&
                    (res->io_pressure > g->max_io || res->cpu_pressure > g->max_cpu)) {
                        res->outcome = FSD_BTRFS_GUARD_PAUSED;
                        res->detail = res->io_pressure > g->max_io ? "io-pressure" : "cpu-pressure";
                        break;
                }
                double now = now_monotonic();
                if (budget_spent(g, now) >= g->budget) {
                        res->outcome = FSD_BTRFS_GUARD_PAUSED;
                        res->detail = "budget";
                        break;
                }
                const struct fsd_btrfs_block_group *bg = n_tried < MAX_TRIED ? pick_group(&a->plan, tried, n_tried) : NULL;
                if (!bg) {
                        res->outcome = a->plan.feasible ? FSD_BTRFS_GUARD_INCOMPLETE : FSD_BTRFS_GUARD_INFEASIBLE;
                        break;
                }
                tried[n_tried++] = bg->start;
                struct fsd_btrfs_guard_step step = {
                        .index = ++res->n_steps,
                        .vstart = bg->start,
                        .vend = bg->start + bg->length,
                        .bg_length = bg->length,
                        .bg_used = bg->used,
                        .unallocated_before = a->unallocated,
                };
                unsigned copies = btrfs_profile_ncopies(bg->flags);

                _cleanup_close_ int fd = open(g->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
                if (fd < 0)
                        return -errno;
                pthread_mutex_lock(&g->lock);
                bool cancelled = g->cancelled;
                if (!cancelled)
                        g->balance_fd = fd;
                pthread_mutex_unlock(&g->lock);
                if (cancelled) {
                        res->outcome = FSD_BTRFS_GUARD_CANCELLED;
                        res->n_steps--;
                        break;
                }
                uint64_t completed = 0;
                double t0 = now_monotonic();
                step.error = btrfs_balance_vrange(fd, step.vstart, step.vend, mixed, &completed);
                double t1 = now_monotonic();
                pthread_mutex_lock(&g->lock);
                g->balance_fd = -1;
                pthread_mutex_unlock(&g->lock);
                step.seconds = t1 - t0;
                budget_add(g, t1, step.seconds);
                res->seconds += step.seconds;
                if (step.error == 0 && completed > 0)
                        step.bytes_relocated = step.bg_used * copies;
                res->bytes_relocated += step.bytes_relocated;

                fsd_btrfs_assessment_free(TAKE_PTR(a));
                fsd_btrfs_space_free(TAKE_PTR(s));
                r = read_and_assess(g->path, &s, &a);
                if (r < 0)
                        return r;
                step.unallocated_after = a->unallocated;
                res->risk_after = a->risk;
                res->unallocated_after = a->unallocated;
                if (g->on_step)
                        g->on_step(&step, g->userdata);

                if (step.error == -ECANCELED) {
                        res->outcome = FSD_BTRFS_GUARD_CANCELLED;
                        break;
                }
                if (step.error == -EPERM) {
                        res->outcome = FSD_BTRFS_GUARD_REFUSED;
                        res->refusal = FSD_BTRFS_GUARD_NOT_PERMITTED;
                        break;
                }
                if (step.error < 0 && step.error != -ENOSPC)
                        fsd_warn("guard: balance of block group %llu on %s failed: %s",
                                 (unsigned long long) step.vstart, g->path, fsd_strerror(step.error));
                if (headroom_back(a)) {
                        res->outcome = FSD_BTRFS_GUARD_RESTORED;
                        break;
                }
                if (!a->plan.n_block_groups) {
                        res->outcome = FSD_BTRFS_GUARD_INFEASIBLE;
                        break;
                }
        }
        return 0;
}
