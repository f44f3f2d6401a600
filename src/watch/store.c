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

/* The statements the daemon runs for every record or incident, prepared once at open. */
enum stmt { ST_FIND, ST_INSERT, ST_UPDATE, ST_LINE, ST_STATE, ST_BOOT_GET, ST_BOOT_SET, ST_LOSS, _ST_MAX };

static const char *const stmt_sql[_ST_MAX] = {
        [ST_FIND] = "SELECT id, state FROM incidents WHERE boot_id = ?1 AND device IS ?2 AND "
                    "first_seq <= ?4 AND last_seq >= ?3 ORDER BY id LIMIT 1",
        [ST_INSERT] = "INSERT INTO incidents (boot_id, device, fs, rule_id, severity, title, first_seq, last_seq, "
                      "read_only, state, raised_usec, updated_usec, closed_usec, incomplete, messages, json, "
                      "previous_boot) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                      "?16, ?17)",
        [ST_UPDATE] = "UPDATE incidents SET fs = ?3, rule_id = ?4, severity = ?5, title = ?6, "
                      "first_seq = MIN(first_seq, ?7), last_seq = MAX(last_seq, ?8), read_only = ?9, "
                      "state = CASE WHEN state = 'cleared' THEN state ELSE ?10 END, updated_usec = ?12, "
                      "closed_usec = ?13, incomplete = ?14, messages = ?15, json = ?16 WHERE id = ?18",
        [ST_LINE] = "INSERT OR IGNORE INTO lines (incident_id, seq, mono_usec, wall_usec, priority, text) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        [ST_STATE] = "INSERT INTO states (incident_id, time_usec, state, detail) VALUES (?1, ?2, ?3, ?4)",
        [ST_BOOT_GET] = "SELECT last_seq FROM boots WHERE boot_id = ?1",
        [ST_BOOT_SET] = "INSERT INTO boots (boot_id, last_seq, updated_usec) VALUES (?1, ?2, ?3) "
                        "ON CONFLICT (boot_id) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq), "
                        "updated_usec = excluded.updated_usec",
        [ST_LOSS] = "INSERT INTO log_loss (boot_id, time_usec, kind, seq, count) VALUES (?1, ?2, ?3, ?4, ?5)",
};

struct store {
        sqlite3 *db;
        struct store_opts opts;
        sqlite3_stmt *st[_ST_MAX];
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

/* ---- binding and running statements: one place for prepare, bind, step, reset, finalize ---- */

/* A value for parameter ?N: an integer, a text (NULL: SQL NULL; len, when has_len, for text that
 * is not NUL-terminated), or NULL. */
struct sql_value {
        enum { SQL_V_INT, SQL_V_TEXT, SQL_V_NULL } kind;
        int64_t i;
        const char *t;
        size_t len;
        bool has_len;
};
#define SQL_INT(v) ((struct sql_value) { .kind = SQL_V_INT, .i = (int64_t) (v) })
#define SQL_TEXT(v) ((struct sql_value) { .kind = SQL_V_TEXT, .t = (v) })
#define SQL_TEXT_N(v, n) ((struct sql_value) { .kind = SQL_V_TEXT, .t = (v), .len = (n), .has_len = true })
/* a time, NULL while it has not happened (0) */
#define SQL_USEC(v) ((v) > 0 ? SQL_INT(v) : (struct sql_value) { .kind = SQL_V_NULL })
#define SQL_VALUES(...) (const struct sql_value[]) { __VA_ARGS__ }, \
        sizeof((const struct sql_value[]) { __VA_ARGS__ }) / sizeof(struct sql_value)

static void bind_values(sqlite3_stmt *st, const struct sql_value *v, size_t n) {
        for (size_t i = 0; i < n; i++) {
                int at = (int) i + 1;
                if (v[i].kind == SQL_V_INT)
                        sqlite3_bind_int64(st, at, v[i].i);
                else if (v[i].kind == SQL_V_TEXT && v[i].t)
                        sqlite3_bind_text(st, at, v[i].t, v[i].has_len ? (int) v[i].len : -1, SQLITE_TRANSIENT);
                else
                        sqlite3_bind_null(st, at);
        }
}

/* Ready a prepared statement for its next run. */
static void stmt_done(sqlite3_stmt *st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
}

/* Bind and step a prepared statement once. @return 1 with a row (read its columns, then
 * stmt_done()), 0 when done (already reset), or a negative errno (reset). */
static int stmt_step(sqlite3_stmt *st, const struct sql_value *v, size_t n) {
        bind_values(st, v, n);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                return 1;
        stmt_done(st);
        return sql_err(rc);
}

/* Run a statement that returns no rows (or whose rows do not matter). */
static int stmt_run(sqlite3_stmt *st, const struct sql_value *v, size_t n) {
        int r = stmt_step(st, v, n);
        if (r > 0)
                stmt_done(st);
        return r < 0 ? r : 0;
}

/* Prepare sql, bind, and call row() for each row, stopping at its first negative return; for
 * the statements run once (history, retention, start-up). */
static int query(struct store *s, const char *sql, const struct sql_value *v, size_t n,
                 int (*row)(sqlite3_stmt *st, void *userdata), void *userdata) {
        sqlite3_stmt *st;
        int r = sql_err(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL));
        if (r < 0)
                return r;
        bind_values(st, v, n);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && row)
                if ((r = row(st, userdata)) < 0)
                        break;
        if (r >= 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
                r = sql_err(rc);
        sqlite3_finalize(st);
        return r < 0 ? r : 0;
}

static int query_int_row(sqlite3_stmt *st, void *userdata) {
        *(int *) userdata = sqlite3_column_int(st, 0);
        return 0;
}

/* ---- opening, schema ---- */

static int user_version(struct store *s, int *ret) {
        return query(s, "PRAGMA user_version", NULL, 0, query_int_row, ret);
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
                for (size_t i = 0; r >= 0 && i < _ST_MAX; i++)
                        r = sql_err(sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i], NULL));
        } else if (r >= 0) {
                int v;
                r = user_version(s, &v);
                if (r >= 0 && v != STORE_SCHEMA_VERSION)
                        r = v > STORE_SCHEMA_VERSION ? -EPROTONOSUPPORT : -ENOMSG; /* ENOMSG: empty or old */
        }
        *ret = s; /* on failure too, for store_errmsg(); the caller closes */
        return r < 0 ? r : 0;
}

struct store *store_close(struct store *s) {
        if (!s)
                return NULL;
        for (size_t i = 0; i < _ST_MAX; i++)
                sqlite3_finalize(s->st[i]);
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

/* ---- the daemon's writes ---- */

int store_boot_last_seq(struct store *s, const char *boot_id, int64_t *ret_seq) {
        sqlite3_stmt *st = s->st[ST_BOOT_GET];
        int r = stmt_step(st, SQL_VALUES(SQL_TEXT(boot_id)));
        *ret_seq = r > 0 ? sqlite3_column_int64(st, 0) : -1;
        if (r > 0)
                stmt_done(st);
        return r < 0 ? r : 0;
}

int store_boot_set_last_seq(struct store *s, const char *boot_id, int64_t seq, int64_t now_usec) {
        return stmt_run(s->st[ST_BOOT_SET], SQL_VALUES(SQL_TEXT(boot_id), SQL_INT(seq), SQL_INT(now_usec)));
}

int store_find_incident(struct store *s, const char *boot_id, const char *device, int64_t first_seq,
                        int64_t last_seq, int64_t *ret_id, char ret_state[16]) {
        sqlite3_stmt *st = s->st[ST_FIND];
        int r = stmt_step(st, SQL_VALUES(SQL_TEXT(boot_id), SQL_TEXT(device), SQL_INT(first_seq), SQL_INT(last_seq)));
        *ret_id = 0;
        ret_state[0] = 0;
        if (r > 0) {
                *ret_id = sqlite3_column_int64(st, 0);
                const unsigned char *state = sqlite3_column_text(st, 1);
                snprintf(ret_state, 16, "%s", state ? (const char *) state : "");
                stmt_done(st);
        }
        return r < 0 ? r : 0;
}

int store_add_state(struct store *s, int64_t incident_id, int64_t time_usec, const char *state, const char *detail) {
        return stmt_run(s->st[ST_STATE], SQL_VALUES(SQL_INT(incident_id), SQL_INT(time_usec), SQL_TEXT(state), SQL_TEXT(detail)));
}

int store_save_incident(struct store *s, struct store_incident *inc, const char *state, const char *detail) {
        /* one value list for both statements: the insert takes previous_boot as ?17, the update
         * the row id as ?18 */
        const struct sql_value v[] = {
                SQL_TEXT(inc->boot_id), SQL_TEXT(inc->device), SQL_TEXT(inc->fs), SQL_TEXT(inc->rule_id),
                SQL_TEXT(inc->severity), SQL_TEXT(inc->title), SQL_INT(inc->first_seq), SQL_INT(inc->last_seq),
                SQL_INT(inc->read_only), SQL_TEXT(state), SQL_INT(inc->raised_usec), SQL_INT(inc->updated_usec),
                SQL_USEC(inc->closed_usec), SQL_TEXT(inc->incomplete), SQL_INT(inc->messages),
                SQL_TEXT(inc->json ? inc->json : "{}"), SQL_INT(inc->previous_boot), SQL_INT(inc->id),
        };
        int r = stmt_run(s->st[inc->id ? ST_UPDATE : ST_INSERT], v, sizeof v / sizeof v[0]);
        if (r < 0)
                return r;
        if (!inc->id)
                inc->id = sqlite3_last_insert_rowid(s->db);
        if (detail)
                r = store_add_state(s, inc->id, inc->updated_usec, state, detail);
        return r;
}

int store_add_line(struct store *s, int64_t incident_id, const struct store_line *l) {
        return stmt_run(s->st[ST_LINE], SQL_VALUES(SQL_INT(incident_id), SQL_INT(l->seq), SQL_INT(l->mono_usec),
                                                   SQL_INT(l->wall_usec), SQL_INT(l->priority),
                                                   SQL_TEXT_N(l->text ? l->text : "", l->len)));
}

int store_mark_cleared(struct store *s, int64_t incident_id, int64_t time_usec, const char *how) {
        int r = query(s, "UPDATE incidents SET state = 'cleared', cleared_usec = ?2, cleared_how = ?3, "
                         "updated_usec = ?2 WHERE id = ?1",
                      SQL_VALUES(SQL_INT(incident_id), SQL_INT(time_usec), SQL_TEXT(how)), NULL, NULL);
        if (r >= 0)
                r = store_add_state(s, incident_id, time_usec, "cleared", how);
        return r;
}

int store_add_log_loss(struct store *s, const char *boot_id, int64_t time_usec, const char *kind, int64_t seq,
                       uint64_t count) {
        return stmt_run(s->st[ST_LOSS], SQL_VALUES(SQL_TEXT(boot_id), SQL_INT(time_usec), SQL_TEXT(kind), SQL_INT(seq),
                                                   SQL_INT(count)));
}

struct id_list {
        int64_t ids[256];
        size_t n;
};

static int collect_id(sqlite3_stmt *st, void *userdata) {
        struct id_list *l = userdata;
        if (l->n == sizeof l->ids / sizeof l->ids[0])
                return -ENOBUFS;       /* the rest on the next start */
        l->ids[l->n++] = sqlite3_column_int64(st, 0);
        return 0;
}

int store_clear_other_boots(struct store *s, const char *boot_id, int64_t time_usec) {
        struct id_list l = { .n = 0 };
        int r = query(s, "SELECT id FROM incidents WHERE boot_id != ?1 AND state != 'cleared' "
                         "AND boot_id NOT LIKE 'pstore:%' AND boot_id NOT LIKE 'ext4-sb:%'",
                      SQL_VALUES(SQL_TEXT(boot_id)), collect_id, &l);
        if (r < 0 && r != -ENOBUFS)
                return r;
        for (size_t i = 0; i < l.n; i++) {
                r = store_mark_cleared(s, l.ids[i], time_usec, "reboot");
                if (r < 0)
                        return r;
        }
        return (int) l.n;
}

int store_apply_retention(struct store *s, int64_t now_usec) {
        int r = 0;
        if (s->opts.retention_days) {
                int64_t before = now_usec - (int64_t) s->opts.retention_days * 86400 * 1000000;
                r = query(s, "DELETE FROM incidents WHERE raised_usec < ?1", SQL_VALUES(SQL_INT(before)), NULL, NULL);
                if (r >= 0)
                        r = query(s, "DELETE FROM log_loss WHERE time_usec < ?1", SQL_VALUES(SQL_INT(before)), NULL, NULL);
        }
        if (r >= 0 && s->opts.max_incidents)
                r = query(s, "DELETE FROM incidents WHERE id NOT IN (SELECT id FROM incidents ORDER BY id DESC LIMIT ?1)",
                          SQL_VALUES(SQL_INT(s->opts.max_incidents)), NULL, NULL);
        return r;
}

/* ---- reading, for fsdoctor history ---- */

static const char *col_text(sqlite3_stmt *st, int i) {
        return (const char *) sqlite3_column_text(st, i);
}

struct each_ctx {
        store_row_fn row_fn;
        store_line_fn line_fn;
        void *userdata;
};

static int incident_row(sqlite3_stmt *st, void *userdata) {
        const struct each_ctx *c = userdata;
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
        return c->row_fn(&row, c->userdata);
}

int store_each_incident(struct store *s, int64_t since_usec, const char *boot_id, store_row_fn fn, void *userdata) {
        struct each_ctx c = { .row_fn = fn, .userdata = userdata };
        return query(s,
                     "SELECT id, boot_id, device, fs, rule_id, severity, title, state, cleared_how, incomplete, json, "
                     "first_seq, last_seq, raised_usec, updated_usec, closed_usec, cleared_usec, read_only, messages, "
                     "previous_boot FROM incidents WHERE raised_usec >= ?1 AND (?2 IS NULL OR boot_id = ?2) ORDER BY id",
                     SQL_VALUES(SQL_INT(since_usec), SQL_TEXT(boot_id)), incident_row, &c);
}

static int line_row(sqlite3_stmt *st, void *userdata) {
        const struct each_ctx *c = userdata;
        struct store_line l = {
                .seq = sqlite3_column_int64(st, 0),
                .mono_usec = sqlite3_column_int64(st, 1),
                .wall_usec = sqlite3_column_int64(st, 2),
                .priority = sqlite3_column_int(st, 3),
                .text = col_text(st, 4),
                .len = (size_t) sqlite3_column_bytes(st, 4),
        };
        return c->line_fn(&l, c->userdata);
}

int store_each_line(struct store *s, int64_t incident_id, store_line_fn fn, void *userdata) {
        struct each_ctx c = { .line_fn = fn, .userdata = userdata };
        return query(s, "SELECT seq, mono_usec, wall_usec, priority, text FROM lines WHERE incident_id = ?1 ORDER BY seq",
                     SQL_VALUES(SQL_INT(incident_id)), line_row, &c);
}
