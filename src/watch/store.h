/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The history database (SQLite, WAL): incidents, their evidence lines and state changes, log loss,
 * and the last kernel record seen per boot. One writer (the daemon); readers (fsdoctor history)
 * open it read-only. Every change is committed before the daemon reports it anywhere else, so a
 * crash loses nothing that was reported. */
#include <stdbool.h>
#include <stdint.h>

#define STORE_SCHEMA_VERSION 2

struct store;

/* What the store keeps of one incident, keyed by (boot_id, device, kmsg sequence range). */
struct store_incident {
        int64_t id;                      /* row id; 0 before the first save */
        const char *boot_id;             /* borrowed */
        const char *device, *fs, *rule_id, *severity, *title; /* borrowed for save calls */
        int64_t first_seq, last_seq;     /* kmsg sequence numbers, -1 unknown */
        bool read_only;                  /* read-only or shut down */
        int64_t raised_usec, updated_usec, closed_usec, cleared_usec; /* CLOCK_REALTIME, 0 not yet */
        const char *cleared_how;
        const char *incomplete;          /* why the evidence is incomplete, NULL if complete */
        const char *json;                /* the incident as analyze prints it */
        uint64_t messages;
        bool previous_boot;              /* happened in an earlier boot (pstore, old superblock error) */
};

struct store_line {
        int64_t seq;
        int64_t mono_usec, wall_usec;
        int priority;
        const char *text;
        size_t len;
};

struct store_opts {
        bool read_only;
        unsigned retention_days;         /* 0: keep all */
        unsigned max_incidents;          /* 0: no limit */
};

int store_open(const char *path, const struct store_opts *opts, struct store **ret);
struct store *store_close(struct store *s);

int store_begin(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);

/* Last kmsg sequence number recorded for a boot; -1 when the boot is new. */
int store_boot_last_seq(struct store *s, const char *boot_id, int64_t *ret_seq);
int store_boot_set_last_seq(struct store *s, const char *boot_id, int64_t seq, int64_t now_usec);

/* An incident already recorded whose range overlaps [first_seq, last_seq] on the same boot and
 * device: ret_id 0 when none. ret_state receives its state ("open", "closed", "cleared"). */
int store_find_incident(struct store *s, const char *boot_id, const char *device, int64_t first_seq,
                        int64_t last_seq, int64_t *ret_id, char ret_state[16]);
/* Insert (inc->id == 0, sets it) or update. Records a state change when state differs. */
int store_save_incident(struct store *s, struct store_incident *inc, const char *state, const char *detail);
int store_add_line(struct store *s, int64_t incident_id, const struct store_line *l);
int store_add_state(struct store *s, int64_t incident_id, int64_t time_usec, const char *state, const char *detail);
int store_mark_cleared(struct store *s, int64_t incident_id, int64_t time_usec, const char *how);
int store_add_log_loss(struct store *s, const char *boot_id, int64_t time_usec, const char *kind, int64_t seq,
                       uint64_t count);
/* Incidents of other boots that were never cleared: the reboot cleared them. @return how many. */
int store_clear_other_boots(struct store *s, const char *boot_id, int64_t time_usec);
/* Drop incidents older than the retention limit. */
int store_apply_retention(struct store *s, int64_t now_usec);

/* Reading, for fsdoctor history and the daemon's start. */
struct store_row {
        int64_t id;
        const char *boot_id, *device, *fs, *rule_id, *severity, *title, *state, *cleared_how, *incomplete, *json;
        int64_t first_seq, last_seq, raised_usec, updated_usec, closed_usec, cleared_usec;
        bool read_only, previous_boot;
        uint64_t messages;
};
typedef int (*store_row_fn)(const struct store_row *row, void *userdata);
typedef int (*store_line_fn)(const struct store_line *line, void *userdata);
/* Incidents raised at or after since_usec, oldest first. boot_id NULL: all boots. */
int store_each_incident(struct store *s, int64_t since_usec, const char *boot_id, store_row_fn fn, void *userdata);
int store_each_line(struct store *s, int64_t incident_id, store_line_fn fn, void *userdata);
const char *store_errmsg(struct store *s);
