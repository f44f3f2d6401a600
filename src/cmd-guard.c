/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fsdoctor guard: sample each given btrfs, forecast when its metadata headroom runs out, and -
 * unless --dry-run - relocate the least-used data block groups one at a time when unallocated
 * space can no longer take a metadata chunk, until the headroom is back.
 *
 * A verb of its own rather than an inspect option: inspect never writes (like btrfs-progs'
 * `inspect-internal` and `filesystem usage`), the guard does (like `btrfs balance`). The daemon's
 * `watch --guard=MOUNTPOINT` runs the same library call on each sampling round.
 */
#define FSD_EXPERIMENTAL_API
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "basic/cleanup.h"
#include "basic/json-writer.h"
#include "basic/strbuf.h"
#include "fsdoctor.h"
#include "shared/i18n.h"
#include "shared/options.h"
#include "shared/verbs.h"


static struct {
        enum output_format format;
        bool dry_run, quiet;
        double interval, window, budget, max_io, max_cpu;
        unsigned max_steps;
} arg_guard;

DEFINE_FREEP(struct fsd_btrfs_sample, fsd_btrfs_sample_free)

struct target {
        const char *path;
        struct fsd_btrfs_forecast *forecast;
        struct fsd_btrfs_guard *guard;
};

static struct {
        pthread_mutex_t lock;
        pthread_cond_t wake;
        bool stop;
        struct target *targets;
        size_t n_targets;
} runtime = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, NULL, 0 };

static void guard_help(void) {
        printf("%s", _("Usage: fsdoctor guard [OPTIONS] MOUNTPOINT...\n"
                       "\n"
                       "Keep metadata of each given btrfs from running out: sample its space, forecast when\n"
                       "metadata headroom is exhausted, and when unallocated space can no longer take a\n"
                       "metadata chunk (or the ENOSPC risk is high), relocate the least-used data block groups\n"
                       "one at a time through the kernel's balance ioctl until the headroom is back. Never on a\n"
                       "read-only or degraded filesystem, nor while a balance, scrub, device replace or resize\n"
                       "runs. Needs root.\n"
                       "\n"
                       "Options:\n"
                       "  -n, --dry-run             show what it would relocate; change nothing\n"
                       "      --interval=SEC        keep running, one round every SEC seconds, until SIGTERM\n"
                       "                            (default: one round, then exit)\n"
                       "      --window=SEC          forecast over the samples of the last SEC seconds (default 600)\n"
                       "      --budget=SEC          balance time allowed in any hour (default 300)\n"
                       "      --max-io-pressure=PCT pause while I/O pressure (PSI some avg10) is above PCT\n"
                       "                            (default 40; ignored when the risk is critical)\n"
                       "      --max-cpu-pressure=PCT the same for CPU pressure (default 80)\n"
                       "      --max-steps=N         block groups relocated per round at most (default 32)\n"
                       "      --format=FMT          text (default) or json (one object per line)\n"
                       "      --lang=LANG           en or zh (default: from the locale)\n"
                       "  -q, --quiet               print only actions and refusals\n"
                       "  -h, --help                show this help\n"
                       "\n"
                       "Exit status: 0 headroom ok or restored, 1 headroom still short (dry run, refused,\n"
                       "paused, infeasible), 2 error. With --interval: 0 after SIGTERM or SIGINT.\n"));
}

static int parse_seconds(const char *opt, const char *s, double min, double *ret) {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (errno || end == s || *end || !isfinite(v) || v < min || v > 1e7)
                return log_error(_("invalid %s '%s' (expected a number of seconds)"), opt, s);
        *ret = v;
        return 0;
}

static int parse_percent(const char *opt, const char *s, double *ret) {
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (errno || end == s || *end || !(v > 0 && v <= 100))
                return log_error(_("invalid %s '%s' (expected a percentage above 0, at most 100)"), opt, s);
        *ret = v;
        return 0;
}

static int parse_args(int argc, char **argv) {
        enum { OPT_FORMAT = 0x100, OPT_LANG, OPT_INTERVAL, OPT_WINDOW, OPT_BUDGET, OPT_MAX_IO, OPT_MAX_CPU,
               OPT_MAX_STEPS };
        static const struct option options[] = {
                { "dry-run", no_argument, NULL, 'n' },
                { "interval", required_argument, NULL, OPT_INTERVAL },
                { "window", required_argument, NULL, OPT_WINDOW },
                { "budget", required_argument, NULL, OPT_BUDGET },
                { "max-io-pressure", required_argument, NULL, OPT_MAX_IO },
                { "max-cpu-pressure", required_argument, NULL, OPT_MAX_CPU },
                { "max-steps", required_argument, NULL, OPT_MAX_STEPS },
                { "format", required_argument, NULL, OPT_FORMAT },
                { "lang", required_argument, NULL, OPT_LANG },
                { "quiet", no_argument, NULL, 'q' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        memset(&arg_guard, 0, sizeof arg_guard);
        arg_guard.window = 600;
        arg_guard.budget = 300;
        arg_guard.max_io = 40;
        arg_guard.max_cpu = 80;
        arg_guard.max_steps = 32;
        optind = 0;
        int c, r;
        while ((c = getopt_long(argc, argv, "nqh", options, NULL)) >= 0) {
                switch (c) {
                case 'n': arg_guard.dry_run = true; break;
                case 'q': arg_guard.quiet = true; break;
                case 'h': guard_help(); return -1;
                case OPT_LANG: break; /* handled in main() */
                case OPT_FORMAT:
                        if (parse_format_arg(optarg, FORMATS_TEXT_JSON, &arg_guard.format) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        break;
                case OPT_INTERVAL:
                        if ((r = parse_seconds("--interval", optarg, 0.1, &arg_guard.interval)))
                                return r;
                        break;
                case OPT_WINDOW:
                        if ((r = parse_seconds("--window", optarg, 1, &arg_guard.window)))
                                return r;
                        break;
                case OPT_BUDGET:
                        if ((r = parse_seconds("--budget", optarg, 1, &arg_guard.budget)))
                                return r;
                        break;
                case OPT_MAX_IO:
                        if ((r = parse_percent("--max-io-pressure", optarg, &arg_guard.max_io)))
                                return r;
                        break;
                case OPT_MAX_CPU:
                        if ((r = parse_percent("--max-cpu-pressure", optarg, &arg_guard.max_cpu)))
                                return r;
                        break;
                case OPT_MAX_STEPS: {
                        char *end;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (end == optarg || *end || v < 1 || v > 1000)
                                return log_error(_("invalid --max-steps '%s' (expected 1 to 1000)"), optarg);
                        arg_guard.max_steps = (unsigned) v;
                        break;
                }
                default: return EXIT_USAGE_OR_ERROR;
                }
        }
        if (optind >= argc)
                return log_error("%s", _("guard: a MOUNTPOINT is required (see fsdoctor guard --help)"));
        return 0;
}

static const char *size_str(uint64_t v, char buf[32]) {
        static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
        double d = (double) v;
        size_t u = 0;
        while (d >= 1024 && u + 1 < ELEMENTSOF(units)) {
                d /= 1024;
                u++;
        }
        if (u == 0)
                snprintf(buf, 32, "%" PRIu64 " B", v);
        else
                snprintf(buf, 32, "%.2f %s", d, units[u]);
        return buf;
}

static const char *duration_str(double s, char buf[32]) {
        if (!isfinite(s))
                snprintf(buf, 32, "%s", _("never at this rate"));
        else if (s < 120)
                snprintf(buf, 32, _("%.0f s"), s);
        else if (s < 7200)
                snprintf(buf, 32, _("%.0f min"), s / 60);
        else if (s < 172800)
                snprintf(buf, 32, _("%.1f h"), s / 3600);
        else
                snprintf(buf, 32, _("%.1f days"), s / 86400);
        return buf;
}

static const char *outcome_text(enum fsd_btrfs_guard_outcome o) {
        switch (o) {
        case FSD_BTRFS_GUARD_HEADROOM_OK: return _("headroom ok, nothing to do");
        case FSD_BTRFS_GUARD_RESTORED: return _("headroom restored");
        case FSD_BTRFS_GUARD_WOULD_RECLAIM: return _("would relocate the block groups above (dry run)");
        case FSD_BTRFS_GUARD_REFUSED: return _("refused");
        case FSD_BTRFS_GUARD_PAUSED: return _("paused");
        case FSD_BTRFS_GUARD_INCOMPLETE: return _("headroom still short after relocating what it could");
        case FSD_BTRFS_GUARD_INFEASIBLE: return _("relocation cannot restore headroom: add space or delete data");
        case FSD_BTRFS_GUARD_CANCELLED: return _("cancelled");
        default: return "?";
        }
}

static const char *refusal_text(enum fsd_btrfs_guard_refusal r) {
        switch (r) {
        case FSD_BTRFS_GUARD_READ_ONLY: return _("the filesystem is read-only");
        case FSD_BTRFS_GUARD_DEGRADED: return _("the filesystem is degraded (a device is missing)");
        case FSD_BTRFS_GUARD_BALANCE_RUNNING: return _("a balance is running or paused");
        case FSD_BTRFS_GUARD_SCRUB_RUNNING: return _("a scrub is running");
        case FSD_BTRFS_GUARD_REPLACE_RUNNING: return _("a device replace is running");
        case FSD_BTRFS_GUARD_EXCLUSIVE_OP: return _("another exclusive operation is running");
        case FSD_BTRFS_GUARD_NOT_PERMITTED: return _("balance needs root (CAP_SYS_ADMIN)");
        default: return "";
        }
}

static void on_step(const struct fsd_btrfs_guard_step *st, void *userdata) {
        const struct target *t = userdata;
        if (arg_guard.format == OUTPUT_JSON) {
                struct strbuf b = STRBUF_INIT;
                struct json_writer w;
                json_writer_init(&w, &b);
                json_object_begin(&w);
                json_kv_string(&w, "schema", "fsdoctor.guard-step/1");
                json_kv_string(&w, "mount_point", t->path);
                json_kv_uint(&w, "step", st->index);
                json_kv_bool(&w, "dry_run", st->dry_run);
                json_kv_uint(&w, "vstart", st->vstart);
                json_kv_uint(&w, "vend", st->vend);
                json_kv_uint(&w, "block_group_length", st->bg_length);
                json_kv_uint(&w, "block_group_used", st->bg_used);
                json_kv_uint(&w, "bytes_relocated", st->bytes_relocated);
                json_kv_uint(&w, "unallocated_before", st->unallocated_before);
                json_kv_uint(&w, "unallocated_after", st->unallocated_after);
                json_key(&w, "seconds");
                json_double(&w, round(st->seconds * 1000) / 1000);
                json_kv_string(&w, "error", st->error ? fsd_strerror(st->error) : NULL);
                json_object_end(&w);
                puts(strbuf_str(&b));
                strbuf_done(&b);
        } else {
                char u[32], l[32], before[32], after[32];
                if (st->dry_run)
                        printf(_("%s: step %u: would relocate block group %" PRIu64 " (%s used of %s): "
                                 "unallocated %s -> %s\n"),
                               t->path, st->index, st->vstart, size_str(st->bg_used, u), size_str(st->bg_length, l),
                               size_str(st->unallocated_before, before), size_str(st->unallocated_after, after));
                else
                        printf(_("%s: step %u: relocated block group %" PRIu64 " (%s used of %s): "
                                 "unallocated %s -> %s in %.1f s%s%s\n"),
                               t->path, st->index, st->vstart, size_str(st->bg_used, u), size_str(st->bg_length, l),
                               size_str(st->unallocated_before, before), size_str(st->unallocated_after, after),
                               st->seconds, st->error ? ": " : "", st->error ? fsd_strerror(st->error) : "");
        }
        fflush(stdout);
}

static void print_sample(const struct target *t, const struct fsd_btrfs_sample *sm,
                         const struct fsd_btrfs_forecast_result *fc) {
        if (arg_guard.format == OUTPUT_JSON) {
                _cleanup_free_ char *json = NULL;
                if (fsd_btrfs_sample_to_json(sm, t->path, fc, &json) == 0)
                        puts(json);
                return;
        }
        if (arg_guard.quiet)
                return;
        const struct fsd_btrfs_assessment *a = sm->assessment;
        char u[32], h[32], e[32], e1[32], e2[32];
        int64_t hr = sm->metadata_headroom;
        printf(_("%s: risk %s, unallocated %s, metadata headroom %s%s"), t->path, fsd_btrfs_risk_name(a->risk),
               size_str(a->unallocated, u), hr < 0 ? "-" : "", size_str(hr < 0 ? (uint64_t) -hr : (uint64_t) hr, h));
        if (fc->valid)
                printf(_(", exhausted in %s (%s to %s)"), duration_str(fc->eta, e), duration_str(fc->eta_early, e1),
                       duration_str(fc->eta_late, e2));
        putchar('\n');
}

static void print_result(const struct target *t, const struct fsd_btrfs_guard_result *res) {
        if (arg_guard.format == OUTPUT_JSON) {
                struct strbuf b = STRBUF_INIT;
                struct json_writer w;
                json_writer_init(&w, &b);
                json_object_begin(&w);
                json_kv_string(&w, "schema", "fsdoctor.guard-run/1");
                json_kv_string(&w, "mount_point", t->path);
                json_kv_string(&w, "outcome", fsd_btrfs_guard_outcome_id(res->outcome));
                if (res->outcome == FSD_BTRFS_GUARD_REFUSED)
                        json_kv_string(&w, "refusal", fsd_btrfs_guard_refusal_id(res->refusal));
                json_kv_string(&w, "detail", res->detail);
                json_kv_bool(&w, "triggered", res->triggered);
                json_kv_bool(&w, "dry_run", arg_guard.dry_run);
                json_kv_string(&w, "risk_before", fsd_btrfs_risk_name(res->risk_before));
                json_kv_string(&w, "risk_after", fsd_btrfs_risk_name(res->risk_after));
                json_kv_uint(&w, "steps", res->n_steps);
                json_kv_uint(&w, "bytes_relocated", res->bytes_relocated);
                json_kv_uint(&w, "unallocated_before", res->unallocated_before);
                json_kv_uint(&w, "unallocated_after", res->unallocated_after);
                json_kv_uint(&w, "headroom_target", res->headroom_target);
                json_key(&w, "seconds");
                json_double(&w, round(res->seconds * 1000) / 1000);
                json_object_end(&w);
                puts(strbuf_str(&b));
                strbuf_done(&b);
                return;
        }
        if (arg_guard.quiet && res->outcome == FSD_BTRFS_GUARD_HEADROOM_OK)
                return;
        printf(_("%s: guard: %s"), t->path, outcome_text(res->outcome));
        if (res->outcome == FSD_BTRFS_GUARD_REFUSED)
                printf(": %s", refusal_text(res->refusal));
        if (res->detail)
                printf(" (%s)", res->detail);
        if (res->n_steps && !arg_guard.dry_run) {
                char m[32], b[32], a[32];
                printf(_("; %u block groups, %s relocated, unallocated %s -> %s"), res->n_steps,
                       size_str(res->bytes_relocated, m), size_str(res->unallocated_before, b),
                       size_str(res->unallocated_after, a));
        }
        putchar('\n');
}

/* Signals are blocked in every thread; this one takes them and cancels the guards' balances. */
static void *signal_thread(void *userdata) {
        sigset_t *set = userdata;
        int sig;
        if (sigwait(set, &sig) != 0 || sig == SIGUSR1) /* SIGUSR1: the program is done, no signal came */
                return NULL;
        pthread_mutex_lock(&runtime.lock);
        runtime.stop = true;
        pthread_cond_broadcast(&runtime.wake);
        pthread_mutex_unlock(&runtime.lock);
        for (size_t i = 0; i < runtime.n_targets; i++)
                fsd_btrfs_guard_cancel(runtime.targets[i].guard);
        return NULL;
}

static bool stop_requested(void) {
        pthread_mutex_lock(&runtime.lock);
        bool s = runtime.stop;
        pthread_mutex_unlock(&runtime.lock);
        return s;
}

/* One round for one target. @return 0 headroom ok/restored, 1 still short, 2 error. */
static int round_one(struct target *t) {
        _cleanup_(fsd_btrfs_sample_freep) struct fsd_btrfs_sample *sm = NULL;
        int r = fsd_btrfs_sample_take(t->path, &sm);
        if (r == -FSD_E_NOT_BTRFS || r == -ENOTTY)
                return log_error(_("%s: not on a mounted btrfs filesystem"), t->path);
        if (r == -EPERM || r == -EACCES)
                return log_error(_("%s: reading the chunk and block-group trees needs root (CAP_SYS_ADMIN)"), t->path);
        if (r < 0)
                return log_error(_("%s: cannot read btrfs space: %s"), t->path, fsd_strerror(r));
        struct fsd_btrfs_forecast_result fc;
        fsd_btrfs_forecast_add(t->forecast, (double) sm->time_ns / 1e9, (double) sm->metadata_headroom);
        r = fsd_btrfs_forecast_compute(t->forecast, &fc);
        if (r < 0)
                return log_error(_("%s: forecast failed: %s"), t->path, fsd_strerror(r));
        print_sample(t, sm, &fc);

        struct fsd_btrfs_guard_result res;
        r = fsd_btrfs_guard_run(t->guard, &res);
        if (r < 0)
                return log_error(_("%s: guard failed: %s"), t->path, fsd_strerror(r));
        print_result(t, &res);
        fflush(stdout);
        return res.outcome == FSD_BTRFS_GUARD_HEADROOM_OK || res.outcome == FSD_BTRFS_GUARD_RESTORED ? 0 : 1;
}

int verb_guard(int argc, char **argv) {
        int r = parse_args(argc, argv);
        if (r < 0)
                return 0; /* --help */
        if (r > 0)
                return r;
        size_t n = (size_t) (argc - optind);
        _cleanup_free_ struct target *targets = calloc(n, sizeof *targets);
        if (!targets)
                return log_error("%s", strerror(ENOMEM));
        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
                struct target *t = &targets[i];
                t->path = argv[optind + (int) i];
                struct stat st;
                if (stat(t->path, &st) < 0)
                        rc = log_error(_("%s: cannot access: %s"), t->path, strerror(errno));
                else if (!S_ISDIR(st.st_mode))
                        rc = log_error(_("%s: not a directory (give the mount point)"), t->path);
                FSD_OPTS(fsd_btrfs_forecast_opts, fo, .window_seconds = arg_guard.window);
                FSD_OPTS(fsd_btrfs_guard_opts, go, .dry_run = arg_guard.dry_run,
                         .budget_seconds_per_hour = arg_guard.budget, .max_io_pressure = arg_guard.max_io,
                         .max_cpu_pressure = arg_guard.max_cpu, .max_steps = arg_guard.max_steps,
                         .on_step = on_step, .userdata = t);
                if (rc == 0 && (fsd_btrfs_forecast_new(&fo, &t->forecast) < 0 ||
                                fsd_btrfs_guard_new(t->path, &go, &t->guard) < 0))
                        rc = log_error("%s", strerror(ENOMEM));
        }

        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGHUP);
        sigaddset(&set, SIGUSR1);
        pthread_t sig_thread;
        bool have_thread = false;
        if (rc == 0) {
                runtime.targets = targets;
                runtime.n_targets = n;
                pthread_sigmask(SIG_BLOCK, &set, NULL);
                have_thread = pthread_create(&sig_thread, NULL, signal_thread, &set) == 0;
                if (!have_thread)
                        rc = log_error("%s", strerror(EAGAIN));
        }

        while (rc == 0 || (arg_guard.interval > 0 && rc == 1)) {
                int worst = 0;
                for (size_t i = 0; i < n && !stop_requested(); i++) {
                        int one = round_one(&targets[i]);
                        worst = MAX(worst, one);
                }
                rc = worst;
                if (rc == EXIT_USAGE_OR_ERROR || arg_guard.interval <= 0 || stop_requested())
                        break;
                struct timespec until;
                clock_gettime(CLOCK_REALTIME, &until);
                double end = (double) until.tv_sec + (double) until.tv_nsec / 1e9 + arg_guard.interval;
                until.tv_sec = (time_t) end;
                until.tv_nsec = (long) ((end - (double) until.tv_sec) * 1e9);
                pthread_mutex_lock(&runtime.lock);
                while (!runtime.stop && pthread_cond_timedwait(&runtime.wake, &runtime.lock, &until) == 0)
                        ;
                pthread_mutex_unlock(&runtime.lock);
                if (stop_requested())
                        break;
        }
        if (arg_guard.interval > 0 && stop_requested() && rc != EXIT_USAGE_OR_ERROR)
                rc = 0;

        if (have_thread) {
                /* wake the signal thread if no signal came (no pthread_cancel: it unwinds through
                 * sigwait, which sanitizers and some libcs handle badly) */
                pthread_kill(sig_thread, SIGUSR1);
                pthread_join(sig_thread, NULL);
        }
        for (size_t i = 0; i < n; i++) {
                fsd_btrfs_guard_free(targets[i].guard);
                fsd_btrfs_forecast_free(targets[i].forecast);
        }
        if (fflush(stdout) != 0 || ferror(stdout))
                return log_error(_("write error on standard output: %s"), strerror(errno));
        return rc;
}
