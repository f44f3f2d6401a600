/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsdoctor watch: argument parsing; the daemon itself is src/watch/. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "fsdoctor.h"
#include "shared/i18n.h"
#include "shared/options.h"
#include "shared/verbs.h"
#include "watch/btrfs.h"
#include "watch/daemon.h"

static void watch_help(void) {
        printf("%s", _("Usage: fsdoctor watch [OPTIONS]\n"
                       "\n"
                       "Follow the kernel log (/dev/kmsg) and raise filesystem incidents as they happen: each\n"
                       "incident is kept in the history database, counted in the metrics endpoint, and cleared\n"
                       "once its filesystem is writable again. At start, what the kernel ring buffer still\n"
                       "holds for this boot is read first. Needs read access to /dev/kmsg (root or CAP_SYSLOG).\n"
                       "\n"
                       "Options:\n"
                       "      --db=PATH         history database (default /var/lib/fsdoctor/history.db)\n"
                       "      --listen=ADDR:PORT  metrics endpoint (default 127.0.0.1:9737); 'none' to disable\n"
                       "      --format=FMT      text (default) or json (JSON Lines of incident state changes)\n"
                       "      --quiet-time=SEC  an episode closes after this many seconds without a message (default 600)\n"
                       "      --retention=DAYS  forget incidents older than DAYS (default 90; 0 keeps all)\n"
                       "      --max-incidents=N keep at most N incidents in the database (default 10000)\n"
                       "      --rules=DIR       use the knowledge-base rules in DIR (reloaded on SIGHUP)\n"
                       "      --pstore=DIR      the previous boot's crash records (default /sys/fs/pstore; 'none' to skip)\n"
                       "      --btrfs-interval=SEC  sample every mounted btrfs every SEC seconds (default 60; 0 off)\n"
                       "      --guard=MOUNTPOINT  reclaim on this btrfs before metadata runs out, as fsdoctor guard\n"
                       "                        does (repeat for each filesystem; none by default)\n"
                       "      --guard-dry-run   record what the guard would do; change nothing\n"
                       "      --guard-max-pressure=PCT  pause the guard while I/O or CPU pressure is above PCT\n"
                       "                        (default: I/O 40, CPU 80)\n"
                       "      --lang=LANG       en or zh (default: from the locale)\n"
                       "  -q, --quiet           no messages on stderr\n"
                       "  -h, --help            show this help\n"
                       "\n"
                       "SIGHUP reloads the rules, SIGTERM stops. Exit status: 0 stopped by a signal, 2 error.\n"));
}

static int parse_uint(const char *s, unsigned long max, unsigned long *ret) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (!*s || *end || errno || v > max || s[0] == '-')
                return -EINVAL;
        *ret = v;
        return 0;
}

int verb_watch(int argc, char **argv) {
        enum { OPT_DB = 0x100, OPT_LISTEN, OPT_FORMAT, OPT_QUIET_TIME, OPT_RETENTION, OPT_MAX_INCIDENTS, OPT_RULES, OPT_LANG,
               OPT_BTRFS_INTERVAL, OPT_GUARD, OPT_GUARD_DRY_RUN, OPT_GUARD_MAX_PRESSURE, OPT_PSTORE };
        static const struct option options[] = {
                { "db", required_argument, NULL, OPT_DB },
                { "listen", required_argument, NULL, OPT_LISTEN },
                { "format", required_argument, NULL, OPT_FORMAT },
                { "quiet-time", required_argument, NULL, OPT_QUIET_TIME },
                { "retention", required_argument, NULL, OPT_RETENTION },
                { "max-incidents", required_argument, NULL, OPT_MAX_INCIDENTS },
                { "rules", required_argument, NULL, OPT_RULES },
                { "pstore", required_argument, NULL, OPT_PSTORE },
                { "lang", required_argument, NULL, OPT_LANG },
                { "btrfs-interval", required_argument, NULL, OPT_BTRFS_INTERVAL },
                { "guard", required_argument, NULL, OPT_GUARD },
                { "guard-dry-run", no_argument, NULL, OPT_GUARD_DRY_RUN },
                { "guard-max-pressure", required_argument, NULL, OPT_GUARD_MAX_PRESSURE },
                { "quiet", no_argument, NULL, 'q' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        struct watch_config cfg = {
                .db_path = WATCH_DEFAULT_DB,
                .listen = WATCH_DEFAULT_LISTEN,
                .quiet_usec = WATCH_DEFAULT_QUIET_USEC,
                .retention_days = 90,
                .max_incidents = 10000,
                .pstore_dir = "/sys/fs/pstore",
        };
        struct watch_btrfs_config bcfg = { .interval = 60 };
        enum { MAX_GUARDS = 64 };
        const char *guard_paths[MAX_GUARDS];
        optind = 0;
        int c;
        unsigned long v;
        enum output_format format;
        while ((c = getopt_long(argc, argv, "qh", options, NULL)) >= 0) {
                switch (c) {
                case OPT_DB: cfg.db_path = optarg; break;
                case OPT_LISTEN: cfg.listen = strcmp(optarg, "none") == 0 ? NULL : optarg; break;
                case OPT_FORMAT:
                        if (parse_format_arg(optarg, FORMATS_TEXT_JSON, &format) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        cfg.json = format == OUTPUT_JSON;
                        break;
                case OPT_QUIET_TIME: {
                        char *end;
                        double sec = strtod(optarg, &end);
                        if (*end || !(sec >= 0.1 && sec <= 86400 * 30))
                                return log_error(_("invalid --quiet-time '%s' (expected 0.1..2592000 seconds)"), optarg);
                        cfg.quiet_usec = (int64_t) (sec * 1e6);
                        break;
                }
                case OPT_RETENTION:
                        if (parse_uint(optarg, 36500, &v) < 0)
                                return log_error(_("invalid --retention '%s' (expected 0..36500 days)"), optarg);
                        cfg.retention_days = (unsigned) v;
                        break;
                case OPT_MAX_INCIDENTS:
                        if (parse_uint(optarg, 10000000, &v) < 0)
                                return log_error(_("invalid --max-incidents '%s' (expected 0..10000000)"), optarg);
                        cfg.max_incidents = (unsigned) v;
                        break;
                case OPT_RULES: cfg.rules_dir = optarg; break;
                case OPT_PSTORE: cfg.pstore_dir = strcmp(optarg, "none") == 0 ? NULL : optarg; break;
                case OPT_LANG: break; /* handled in main() */
                case OPT_BTRFS_INTERVAL: {
                        char *end;
                        double sec = strtod(optarg, &end);
                        if (*end || end == optarg || !(sec == 0 || (sec >= 1 && sec <= 86400)))
                                return log_error(_("invalid --btrfs-interval '%s' (expected 0 or 1..86400 seconds)"), optarg);
                        bcfg.interval = sec;
                        break;
                }
                case OPT_GUARD:
                        if (bcfg.n_guard_paths == MAX_GUARDS)
                                return log_error(_("too many --guard mount points (at most %d)"), MAX_GUARDS);
                        guard_paths[bcfg.n_guard_paths++] = optarg;
                        break;
                case OPT_GUARD_DRY_RUN: bcfg.guard_dry_run = true; break;
                case OPT_GUARD_MAX_PRESSURE: {
                        char *end;
                        double pct = strtod(optarg, &end);
                        if (*end || end == optarg || !(pct > 0 && pct <= 100))
                                return log_error(_("invalid %s '%s' (expected a percentage above 0, at most 100)"),
                                                 "--guard-max-pressure", optarg);
                        bcfg.guard_max_pressure = pct;
                        break;
                }
                case 'q': cfg.quiet = true; break;
                case 'h': watch_help(); return 0;
                default: return EXIT_USAGE_OR_ERROR;
                }
        }
        if (optind < argc)
                return log_error(_("watch takes no arguments ('%s')"), argv[optind]);
        struct watch_daemon *d = NULL;
        const char *what = NULL;
        int r = watch_daemon_new(&cfg, &d, &what);
        if (r < 0)
                return log_error(_("cannot start watching: %s: %s"), what, fsd_strerror(r));
        bcfg.db_path = cfg.db_path;
        bcfg.guard_paths = guard_paths;
        bcfg.quiet = cfg.quiet;
        bcfg.retention_days = cfg.retention_days;
        struct watch_btrfs *btrfs = NULL;
        r = watch_btrfs_start(d, &bcfg, &btrfs);
        if (r < 0) {
                watch_daemon_free(d);
                return log_error(_("cannot start watching: %s: %s"), "btrfs", fsd_strerror(r));
        }
        r = watch_daemon_run(d);
        watch_btrfs_stop(btrfs);
        watch_daemon_free(d);
        if (r < 0)
                return log_error(_("watch stopped: %s"), fsd_strerror(r));
        return 0;
}
