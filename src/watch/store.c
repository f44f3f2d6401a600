/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The history database. Schema versions live in PRAGMA user_version; migrations[i] takes a
 * database from version i to i + 1, each in its own transaction, so an interrupted upgrade
 * leaves the old version intact. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "basic/cleanup.h"
#include "store.h"

struct store {
        sqlite3 *db;
        struct store_opts opts;
        sqlite3_stmt *find, *insert, *update, *line, *state, *boot_get, *boot_set, *loss;
};

static const char *const migrations[] = {
        /* 0 -> 1 */
        "CREATE TABLE boots (\n"
        "  boot_id TEXT PRIMARY KEY,\n"
        "  last_seq INTEGER NOT NULL,\n"
        "  updated_usec INTEGER NOT NULL);\n"
        "CREATE TABLE incidents (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  boot_id TEXT NOT NULL,\n"
        "  device TEXT, fs TEXT, rule_id TEXT, severity TEXT, title TEXT,\n"
        "  first_seq INTEGER, last_seq INTEGER,\n"
        "  read_only INTEGER NOT NULL DEFAULT 0,\n"
        "  state TEXT NOT NULL,\n"
        "  raised_usec INTEGER NOT NULL, updated_usec INTEGER NOT NULL,\n"
        "  closed_usec INTEGER, cleared_usec INTEGER, cleared_how TEXT,\n"
        "  incomplete TEXT,\n"
        "  messages INTEGER NOT NULL DEFAULT 0,\n"
        "  json TEXT NOT NULL);\n"
        "CREATE INDEX incidents_by_boot ON incidents (boot_id, device);\n"
        "CREATE INDEX incidents_by_time ON incidents (raised_usec);\n"
        "CREATE TABLE lines (\n"
        "  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,\n"
        "  seq INTEGER NOT NULL, mono_usec INTEGER, wall_usec INTEGER, priority INTEGER, text TEXT NOT NULL,\n"
        "  PRIMARY KEY (incident_id, seq)) WITHOUT ROWID;\n"
        "CREATE TABLE states (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,\n"
        "  time_usec INTEGER NOT NULL, state TEXT NOT NULL, detail TEXT);\n"
        "CREATE INDEX states_by_incident ON states (incident_id);\n"
        "CREATE TABLE log_loss (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  boot_id TEXT NOT NULL, time_usec INTEGER NOT NULL, kind TEXT NOT NULL,\n"
        "  seq INTEGER, count INTEGER NOT NULL);\n",
        /* 1 -> 2: an incident that happened in an earlier boot than the one that recorded it (a
         * pstore record, an old ext4 superblock error) is marked so, and is never read-only now */
        "ALTER TABLE incidents ADD COLUMN previous_boot INTEGER NOT NULL DEFAULT 0;\n"
        "UPDATE incidents SET previous_boot = 1 WHERE boot_id LIKE 'pstore:%';\n"
        "UPDATE incidents SET state = 'cleared', cleared_how = 'reboot', cleared_usec = updated_usec\n"
        "  WHERE previous_boot = 1 AND state != 'cleared';\n",
};

static int sql_err(int rc) {
        switch (rc) {
        case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return 0;
        case SQLITE_NOMEM: return -ENOMEM;
        case SQLITE_BUSY: case SQLITE_LOCKED: return -EBUSY;
        case SQLITE_READONLY: return -EROFS;
        case SQLITE_CANTOPEN: return -ENOENT;
        case SQLITE_PERM: case SQLITE_AUTH: return -EACCES;
        case SQLITE_FULL: return -ENOSPC;
        case SQLITE_NOTADB: case SQLITE_CORRUPT: return -EBADMSG;
        default: return -EIO;
        }
}

const char *store_errmsg(struct store *s) {
        return s && s->db ? sqlite3_errmsg(s->db) : "out of memory";
}

static int exec(struct store *s, const char *sql) {
        return sql_err(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

static int user_version(struct store *s, int *ret) {
        sqlite3_stmt *st;
        int r = sql_err(sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL));
        if (r < 0)
                return r;
        r = sql_err(sqlite3_step(st));
        *ret = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        return r;
}

static int migrate(struct store *s) {
        int v, r = user_version(s, &v);
        if (r < 0)
                return r;
        if (v > STORE_SCHEMA_VERSION)
                return -EPROTONOSUPPORT; /* written by a newer fsdoctor */
        for (; v < STORE_SCHEMA_VERSION; v++) {
                char pragma[64];
                snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
                r = exec(s, "BEGIN IMMEDIATE");
                if (r >= 0)
                        r = exec(s, migrations[v]);
                if (r >= 0)
                        r = exec(s, pragma);
                if (r >= 0)
                        r = exec(s, "COMMIT");
                if (r < 0) {
                        exec(s, "ROLLBACK");
                        return r;
                }
        }
        return 0;
}

static int prepare(struct store *s, sqlite3_stmt **st, const char *sql) {
        return sql_err(sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL));
}

int store_open(const char *path, const struct store_opts *opts, struct store **ret) {
        struct store *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        if (opts)
                s->opts = *opts;
        int flags = s->opts.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        int r = sql_err(sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL));
        if (r >= 0)
                r = sql_err(sqlite3_busy_timeout(s->db, 5000));
        if (r >= 0 && !s->opts.read_only) {
                /* WAL: readers never block the daemon. NORMAL: a committed transaction survives the
                 * process (crash, SIGKILL) at once and the machine after the next checkpoint; FULL
                 * would fsync every commit, which on a busy disk costs the raise latency 100+ ms */
                r = exec(s, "PRAGMA journal_mode = WAL");
                if (r >= 0)
                        r = exec(s, "PRAGMA synchronous = NORMAL");
                if (r >= 0)
                        r = exec(s, "PRAGMA foreign_keys = ON");
                if (r >= 0)
                        r = migrate(s);
        } else if (r >= 0) {
                int v;
                r = user_version(s, &v);
                if (r >= 0 && v != STORE_SCHEMA_VERSION)
                        r = v > STORE_SCHEMA_VERSION ? -EPROTONOSUPPORT : -ENOMSG; /* ENOMSG: empty or old */
        }
        if (r >= 0 && !s->opts.read_only) {
                r = prepare(s, &s->find,
                            "SELECT id, state FROM incidents WHERE boot_id = ?1 AND device IS ?2 AND "
                            "first_seq <= ?4 AND last_seq >= ?3 ORDER BY id LIMIT 1");
                if (r >= 0)
                        r = prepare(s, &s->insert,
                                    "INSERT INTO incidents (boot_id, device, fs, rule_id, severity, title, first_seq, "
                                    "last_seq, read_only, state, raised_usec, updated_usec, closed_usec, incomplete, "
                                    "messages, json, previous_boot) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                    "?12, ?13, ?14, ?15, ?16, ?18)");
                if (r >= 0)
                        r = prepare(s, &s->update,
                                    "UPDATE incidents SET fs = ?3, rule_id = ?4, severity = ?5, title = ?6, "
                                    "first_seq = MIN(first_seq, ?7), last_seq = MAX(last_seq, ?8), read_only = ?9, "
                                    "state = CASE WHEN state = 'cleared' THEN state ELSE ?10 END, updated_usec = ?12, "
                                    "closed_usec = ?13, incomplete = ?14, messages = ?15, json = ?16 WHERE id = ?17");
                if (r >= 0)
                        r = prepare(s, &s->line,
                                    "INSERT OR IGNORE INTO lines (incident_id, seq, mono_usec, wall_usec, priority, text) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
                if (r >= 0)
                        r = prepare(s, &s->state,
                                    "INSERT INTO states (incident_id, time_usec, state, detail) VALUES (?1, ?2, ?3, ?4)");
                if (r >= 0)
                        r = prepare(s, &s->boot_get, "SELECT last_seq FROM boots WHERE boot_id = ?1");
                if (r >= 0)
                        r = prepare(s, &s->boot_set,
                                    "INSERT INTO boots (boot_id, last_seq, updated_usec) VALUES (?1, ?2, ?3) "
                                    "ON CONFLICT (boot_id) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq), "
                                    "updated_usec = excluded.updated_usec");
                if (r >= 0)
                        r = prepare(s, &s->loss,
                                    "INSERT INTO log_loss (boot_id, time_usec, kind, seq, count) VALUES (?1, ?2, ?3, ?4, ?5)");
        }
        if (r < 0) {
                *ret = s; /* for store_errmsg(); the caller closes */
                return r;
        }
        *ret = s;
        return 0;
}

struct store *store_close(struct store *s) {
        if (!s)
                return NULL;
        sqlite3_stmt *sts[] = { s->find, s->insert, s->update, s->line, s->state, s->boot_get, s->boot_set, s->loss };
        for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
                sqlite3_finalize(sts[i]);
        sqlite3_close_v2(s->db);
        free(s);
        return NULL;
}

int store_begin(struct store *s) {
        return exec(s, "BEGIN IMMEDIATE");
}

int store_commit(struct store *s) {
        return exec(s, "COMMIT");
}

int store_rollback(struct store *s) {
        return exec(s, "ROLLBACK");
}

static int step_done(sqlite3_stmt *st) {
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sql_err(rc);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v) {
        if (v)
                sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
        else
                sqlite3_bind_null(st, i);
}

static void bind_usec(sqlite3_stmt *st, int i, int64_t v) {
        if (v > 0)
                sqlite3_bind_int64(st, i, v);
        else
                sqlite3_bind_null(st, i);
}

int store_boot_last_seq(struct store *s, const char *boot_id, int64_t *ret_seq) {
        bind_text(s->boot_get, 1, boot_id);
        int rc = sqlite3_step(s->boot_get);
        *ret_seq = rc == SQLITE_ROW ? sqlite3_column_int64(s->boot_get, 0) : -1;
        sqlite3_reset(s->boot_get);
        sqlite3_clear_bindings(s->boot_get);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sql_err(rc);
}

int store_boot_set_last_seq(struct store *s, const char *boot_id, int64_t seq, int64_t now_usec) {
        bind_text(s->boot_set, 1, boot_id);
        sqlite3_bind_int64(s->boot_set, 2, seq);
        sqlite3_bind_int64(s->boot_set, 3, now_usec);
        return step_done(s->boot_set);
}

int store_find_incident(struct store *s, const char *boot_id, const char *device, int64_t first_seq,
                        int64_t last_seq, int64_t *ret_id, char ret_state[16]) {
        bind_text(s->find, 1, boot_id);
        bind_text(s->find, 2, device);
        sqlite3_bind_int64(s->find, 3, first_seq);
        sqlite3_bind_int64(s->find, 4, last_seq);
        int rc = sqlite3_step(s->find);
        *ret_id = 0;
        ret_state[0] = 0;
        if (rc == SQLITE_ROW) {
                *ret_id = sqlite3_column_int64(s->find, 0);
                const unsigned char *st = sqlite3_column_text(s->find, 1);
                snprintf(ret_state, 16, "%s", st ? (const char *) st : "");
        }
        sqlite3_reset(s->find);
        sqlite3_clear_bindings(s->find);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sql_err(rc);
}

int store_add_state(struct store *s, int64_t incident_id, int64_t time_usec, const char *state, const char *detail) {
        sqlite3_bind_int64(s->state, 1, incident_id);
        sqlite3_bind_int64(s->state, 2, time_usec);
        bind_text(s->state, 3, state);
        bind_text(s->state, 4, detail);
        return step_done(s->state);
}

int store_save_incident(struct store *s, struct store_incident *inc, const char *state, const char *detail) {
        sqlite3_stmt *st = inc->id ? s->update : s->insert;
        bind_text(st, 1, inc->boot_id);
        bind_text(st, 2, inc->device);
        bind_text(st, 3, inc->fs);
        bind_text(st, 4, inc->rule_id);
        bind_text(st, 5, inc->severity);
        bind_text(st, 6, inc->title);
        sqlite3_bind_int64(st, 7, inc->first_seq);
        sqlite3_bind_int64(st, 8, inc->last_seq);
        sqlite3_bind_int(st, 9, inc->read_only);
        bind_text(st, 10, state);
        sqlite3_bind_int64(st, 11, inc->raised_usec);
        sqlite3_bind_int64(st, 12, inc->updated_usec);
        bind_usec(st, 13, inc->closed_usec);
        bind_text(st, 14, inc->incomplete);
        sqlite3_bind_int64(st, 15, (int64_t) inc->messages);
        bind_text(st, 16, inc->json ? inc->json : "{}");
        if (inc->id)
                sqlite3_bind_int64(st, 17, inc->id);
        else
                sqlite3_bind_int(st, 18, inc->previous_boot);
        int r = step_done(st);
        if (r < 0)
                return r;
        if (!inc->id)
                inc->id = sqlite3_last_insert_rowid(s->db);
        if (detail)
                r = store_add_state(s, inc->id, inc->updated_usec, state, detail);
        return r;
}

int store_add_line(struct store *s, int64_t incident_id, const struct store_line *l) {
        sqlite3_bind_int64(s->line, 1, incident_id);
        sqlite3_bind_int64(s->line, 2, l->seq);
        sqlite3_bind_int64(s->line, 3, l->mono_usec);
        sqlite3_bind_int64(s->line, 4, l->wall_usec);
        sqlite3_bind_int(s->line, 5, l->priority);
        sqlite3_bind_text(s->line, 6, l->text, (int) l->len, SQLITE_TRANSIENT);
        return step_done(s->line);
}

int store_mark_cleared(struct store *s, int64_t incident_id, int64_t time_usec, const char *how) {
        sqlite3_stmt *st;
        int r = sql_err(sqlite3_prepare_v2(s->db,
                                           "UPDATE incidents SET state = 'cleared', cleared_usec = ?2, cleared_how = ?3, "
                                           "updated_usec = ?2 WHERE id = ?1",
                                           -1, &st, NULL));
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, incident_id);
        sqlite3_bind_int64(st, 2, time_usec);
        bind_text(st, 3, how);
        r = step_done(st);
        sqlite3_finalize(st);
        if (r >= 0)
                r = store_add_state(s, incident_id, time_usec, "cleared", how);
        return r;
}

int store_add_log_loss(struct store *s, const char *boot_id, int64_t time_usec, const char *kind, int64_t seq,
                       uint64_t count) {
        bind_text(s->loss, 1, boot_id);
        sqlite3_bind_int64(s->loss, 2, time_usec);
        bind_text(s->loss, 3, kind);
        sqlite3_bind_int64(s->loss, 4, seq);
        sqlite3_bind_int64(s->loss, 5, (int64_t) count);
        return step_done(s->loss);
}

int store_clear_other_boots(struct store *s, const char *boot_id, int64_t time_usec) {
        sqlite3_stmt *st;
        int r = sql_err(sqlite3_prepare_v2(s->db,
                                           "SELECT id FROM incidents WHERE boot_id != ?1 AND state != 'cleared' "
                                           "AND boot_id NOT LIKE 'pstore:%' AND boot_id NOT LIKE 'ext4-sb:%'",
                                           -1, &st, NULL));
        if (r < 0)
                return r;
        bind_text(st, 1, boot_id);
        int64_t ids[256];
        size_t n = 0;
        while (n < 256 && sqlite3_step(st) == SQLITE_ROW)
                ids[n++] = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        for (size_t i = 0; i < n; i++) {
                r = store_mark_cleared(s, ids[i], time_usec, "reboot");
                if (r < 0)
                        return r;
        }
        return (int) n;
}

int store_apply_retention(struct store *s, int64_t now_usec) {
        int r = 0;
        if (s->opts.retention_days) {
                sqlite3_stmt *st;
                r = sql_err(sqlite3_prepare_v2(s->db, "DELETE FROM incidents WHERE raised_usec < ?1", -1, &st, NULL));
                if (r < 0)
                        return r;
                sqlite3_bind_int64(st, 1, now_usec - (int64_t) s->opts.retention_days * 86400 * 1000000);
                r = step_done(st);
                sqlite3_finalize(st);
                if (r >= 0) {
                        r = sql_err(sqlite3_prepare_v2(s->db, "DELETE FROM log_loss WHERE time_usec < ?1", -1, &st, NULL));
                        if (r < 0)
                                return r;
                        sqlite3_bind_int64(st, 1, now_usec - (int64_t) s->opts.retention_days * 86400 * 1000000);
                        r = step_done(st);
                        sqlite3_finalize(st);
                }
        }
        if (r >= 0 && s->opts.max_incidents) {
                sqlite3_stmt *st;
                r = sql_err(sqlite3_prepare_v2(s->db,
                                               "DELETE FROM incidents WHERE id NOT IN "
                                               "(SELECT id FROM incidents ORDER BY id DESC LIMIT ?1)",
                                               -1, &st, NULL));
                if (r < 0)
                        return r;
                sqlite3_bind_int64(st, 1, s->opts.max_incidents);
                r = step_done(st);
                sqlite3_finalize(st);
        }
        return r;
}

static const char *col_text(sqlite3_stmt *st, int i) {
        return (const char *) sqlite3_column_text(st, i);
}

int store_each_incident(struct store *s, int64_t since_usec, const char *boot_id, store_row_fn fn, void *userdata) {
        sqlite3_stmt *st;
        int r = sql_err(sqlite3_prepare_v2(s->db,
                                           "SELECT id, boot_id, device, fs, rule_id, severity, title, state, cleared_how, "
                                           "incomplete, json, first_seq, last_seq, raised_usec, updated_usec, "
                                           "closed_usec, cleared_usec, read_only, messages, previous_boot FROM incidents "
                                           "WHERE raised_usec >= ?1 AND (?2 IS NULL OR boot_id = ?2) ORDER BY id",
                                           -1, &st, NULL));
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, since_usec);
        bind_text(st, 2, boot_id);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_row row = {
                        .id = sqlite3_column_int64(st, 0),
                        .boot_id = col_text(st, 1), .device = col_text(st, 2), .fs = col_text(st, 3),
                        .rule_id = col_text(st, 4), .severity = col_text(st, 5), .title = col_text(st, 6),
                        .state = col_text(st, 7), .cleared_how = col_text(st, 8), .incomplete = col_text(st, 9),
                        .json = col_text(st, 10),
                        .first_seq = sqlite3_column_int64(st, 11), .last_seq = sqlite3_column_int64(st, 12),
                        .raised_usec = sqlite3_column_int64(st, 13), .updated_usec = sqlite3_column_int64(st, 14),
                        .closed_usec = sqlite3_column_int64(st, 15), .cleared_usec = sqlite3_column_int64(st, 16),
                        .read_only = sqlite3_column_int(st, 17) != 0,
                        .messages = (uint64_t) sqlite3_column_int64(st, 18),
                        .previous_boot = sqlite3_column_int(st, 19) != 0,
                };
                r = fn(&row, userdata);
                if (r < 0)
                        break;
        }
        if (r >= 0 && rc != SQLITE_DONE)
                r = sql_err(rc);
        sqlite3_finalize(st);
        return r;
}

int store_each_line(struct store *s, int64_t incident_id, store_line_fn fn, void *userdata) {
        sqlite3_stmt *st;
        int r = sql_err(sqlite3_prepare_v2(s->db,
                                           "SELECT seq, mono_usec, wall_usec, priority, text FROM lines WHERE incident_id = ?1 "
                                           "ORDER BY seq",
                                           -1, &st, NULL));
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, incident_id);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct store_line l = {
                        .seq = sqlite3_column_int64(st, 0),
                        .mono_usec = sqlite3_column_int64(st, 1),
                        .wall_usec = sqlite3_column_int64(st, 2),
                        .priority = sqlite3_column_int(st, 3),
                        .text = col_text(st, 4),
                        .len = (size_t) sqlite3_column_bytes(st, 4),
                };
                r = fn(&l, userdata);
                if (r < 0)
                        break;
        }
        if (r >= 0 && rc != SQLITE_DONE)
                r = sql_err(rc);
        sqlite3_finalize(st);
        return r;
}
