/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* fsdoctor watch: the daemon. Follows /dev/kmsg through the library's analyzer (the same code
 * path as analyze), keeps incidents in the history database, serves metrics, clears incidents
 * when their filesystem is writable again. */
#include <stdbool.h>
#include <stdint.h>

#define WATCH_DEFAULT_LISTEN "127.0.0.1:9737"
#define WATCH_DEFAULT_DB "/var/lib/fsdoctor/history.db"
#define WATCH_DEFAULT_QUIET_USEC (INT64_C(600) * 1000000)

struct watch_config {
        const char *db_path;
        const char *listen;              /* NULL: no metrics endpoint */
        bool json;                       /* incidents as JSON Lines on stdout */
        bool quiet;
        int64_t quiet_usec;              /* an episode closes after this much quiet */
        const char *rules_dir;           /* NULL: built-in rules */
        unsigned retention_days, max_incidents;
        const char *pstore_dir;          /* previous boot's crash records */
};

struct watch_daemon;

/* A stored state, way of clearing or severity ("cleared", "unmounted", ...) in the UI language. */
const char *watch_word(const char *word);
struct metrics;
struct loop;

/* Sets up everything (database, analyzer, endpoint) and reads what the ring holds. On failure
 * *reterr says which part failed (static string). */
int watch_daemon_new(const struct watch_config *cfg, struct watch_daemon **ret, const char **reterr);
/* For samplers: the loop to add timers to and the registry to add families to. */
struct loop *watch_daemon_loop(struct watch_daemon *d);
struct metrics *watch_daemon_metrics(struct watch_daemon *d);
/* Runs until SIGTERM/SIGINT. @return 0 or a negative error. */
int watch_daemon_run(struct watch_daemon *d);
struct watch_daemon *watch_daemon_free(struct watch_daemon *d);
