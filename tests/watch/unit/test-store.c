/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The history database on a real SQLite file in a temporary directory: schema creation, the
 * migration from a database an older fsdoctor wrote, the last kernel sequence per boot, incident
 * state changes, the retention limits, and reopening (read-write and read-only) after a close. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "watch/store.h"

#define USEC_PER_DAY (INT64_C(86400) * 1000000)
#define NOW (INT64_C(1800000000) * 1000000)

struct fixture {
        char dir[64];
        char path[96];
};

static int setup(void **state) {
        struct fixture *f = calloc(1, sizeof *f);
        assert_non_null(f);
        snprintf(f->dir, sizeof f->dir, "/tmp/fsdoctor-test-store.XXXXXX");
        assert_non_null(mkdtemp(f->dir));
        snprintf(f->path, sizeof f->path, "%s/history.db", f->dir);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        struct fixture *f = *state;
        static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
                char p[128];
                snprintf(p, sizeof p, "%s%s", f->path, suffixes[i]);
                unlink(p);
        }
        rmdir(f->dir);
        free(f);
        return 0;
}

static struct store *open_rw(const char *path, unsigned retention_days, unsigned max_incidents) {
        struct store_opts o = { .retention_days = retention_days, .max_incidents = max_incidents };
        struct store *s = NULL;
        int r = store_open(path, &o, &s);
        if (r < 0)
                fail_msg("store_open(%s): %s (%d)", path, store_errmsg(s), r);
        return s;
}

/* One SQL query on the file, answered as one integer: the test reads what is on disk, not what
 * the store says it wrote. */
static int64_t query_int(const char *path, const char *sql) {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
                fail_msg("%s: %s", sql, sqlite3_errmsg(db));
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        int64_t v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return v;
}

static void query_text(const char *path, const char *sql, char *buf, size_t size) {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
                fail_msg("%s: %s", sql, sqlite3_errmsg(db));
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, size, "%s", t ? (const char *) t : "");
        sqlite3_finalize(st);
        sqlite3_close(db);
}

static int64_t save(struct store *s, const char *boot, const char *device, int64_t first, int64_t last,
                    int64_t raised_usec, const char *state) {
        struct store_incident inc = {
                .boot_id = boot, .device = device, .fs = "btrfs", .rule_id = "btrfs/enospc", .severity = "critical",
                .title = "t", .first_seq = first, .last_seq = last, .read_only = true, .raised_usec = raised_usec,
                .updated_usec = raised_usec, .json = "{\"x\":1}", .messages = 3,
        };
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_save_incident(s, &inc, state, "raised"), 0);
        assert_int_equal(store_commit(s), 0);
        assert_true(inc.id > 0);
        return inc.id;
}

static void test_schema_created(void **state) {
        struct fixture *f = *state;
        struct store *s = open_rw(f->path, 0, 0);
        store_close(s);
        assert_int_equal(query_int(f->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                                            "('boots', 'incidents', 'lines', 'states', 'log_loss')"), 5);
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *) sqlite3_column_text(st, 0), "wal");
        sqlite3_finalize(st);
        sqlite3_close(db);
}

/* The database as fsdoctor with schema version 1 wrote it, with one uncleared incident of a
 * pstore record and one of a live boot. */
static const char schema_v1[] =
        "CREATE TABLE boots (boot_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, updated_usec INTEGER NOT NULL);"
        "CREATE TABLE incidents (id INTEGER PRIMARY KEY, boot_id TEXT NOT NULL, device TEXT, fs TEXT, rule_id TEXT,"
        " severity TEXT, title TEXT, first_seq INTEGER, last_seq INTEGER, read_only INTEGER NOT NULL DEFAULT 0,"
        " state TEXT NOT NULL, raised_usec INTEGER NOT NULL, updated_usec INTEGER NOT NULL, closed_usec INTEGER,"
        " cleared_usec INTEGER, cleared_how TEXT, incomplete TEXT, messages INTEGER NOT NULL DEFAULT 0,"
        " json TEXT NOT NULL);"
        "CREATE INDEX incidents_by_boot ON incidents (boot_id, device);"
        "CREATE INDEX incidents_by_time ON incidents (raised_usec);"
        "CREATE TABLE lines (incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,"
        " seq INTEGER NOT NULL, mono_usec INTEGER, wall_usec INTEGER, priority INTEGER, text TEXT NOT NULL,"
        " PRIMARY KEY (incident_id, seq)) WITHOUT ROWID;"
        "CREATE TABLE states (id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents (id)"
        " ON DELETE CASCADE, time_usec INTEGER NOT NULL, state TEXT NOT NULL, detail TEXT);"
        "CREATE INDEX states_by_incident ON states (incident_id);"
        "CREATE TABLE log_loss (id INTEGER PRIMARY KEY, boot_id TEXT NOT NULL, time_usec INTEGER NOT NULL,"
        " kind TEXT NOT NULL, seq INTEGER, count INTEGER NOT NULL);"
        "INSERT INTO boots VALUES ('b1', 41, 5);"
        "INSERT INTO incidents (id, boot_id, device, fs, read_only, state, raised_usec, updated_usec, json)"
        " VALUES (1, 'pstore:dmesg-ramoops-0:1700000000', 'sda1', 'ext4', 1, 'closed', 10, 20, '{}'),"
        "        (2, 'b1', 'sdb1', 'btrfs', 1, 'open', 30, 40, '{}');"
        "INSERT INTO lines VALUES (2, 7, 1, 2, 3, 'BTRFS info (device sdb1): forced readonly');"
        "PRAGMA user_version = 1;";

struct collected {
        int n;
        int64_t ids[8];
        char states[8][16], how[8][16];
        bool previous_boot[8];
};

static int collect(const struct store_row *row, void *userdata) {
        struct collected *c = userdata;
        if (c->n == 8)
                return -ENOBUFS;
        c->ids[c->n] = row->id;
        snprintf(c->states[c->n], sizeof c->states[0], "%s", row->state);
        snprintf(c->how[c->n], sizeof c->how[0], "%s", row->cleared_how ? row->cleared_how : "");
        c->previous_boot[c->n] = row->previous_boot;
        c->n++;
        return 0;
}

static void test_migration_from_v1(void **state) {
        struct fixture *f = *state;
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, schema_v1, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);

        /* a reader does not upgrade: it says the database is older than it reads */
        struct store_opts ro = { .read_only = true };
        struct store *s = NULL;
        assert_int_equal(store_open(f->path, &ro, &s), -ENOMSG);
        store_close(s);

        s = open_rw(f->path, 0, 0);
        int64_t seq = 0;
        assert_int_equal(store_boot_last_seq(s, "b1", &seq), 0);
        assert_int_equal(seq, 41);
        struct collected c = { 0 };
        assert_int_equal(store_each_incident(s, 0, NULL, collect, &c), 0);
        assert_int_equal(c.n, 2);
        /* the pstore incident happened in a previous boot: marked so, and no longer read-only now */
        assert_true(c.previous_boot[0]);
        assert_string_equal(c.states[0], "cleared");
        assert_string_equal(c.how[0], "reboot");
        assert_false(c.previous_boot[1]);
        assert_string_equal(c.states[1], "open");
        store_close(s);
        assert_int_equal(query_int(f->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM lines WHERE incident_id = 2"), 1);
        /* a database from a newer fsdoctor is refused, not downgraded */
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
        s = NULL;
        assert_int_equal(store_open(f->path, NULL, &s), -EPROTONOSUPPORT);
        store_close(s);
}

static void test_boot_last_seq(void **state) {
        struct fixture *f = *state;
        struct store *s = open_rw(f->path, 0, 0);
        int64_t seq = 0;
        assert_int_equal(store_boot_last_seq(s, "boot-a", &seq), 0);
        assert_int_equal(seq, -1); /* a boot never seen */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_boot_set_last_seq(s, "boot-a", 100, NOW), 0);
        assert_int_equal(store_boot_set_last_seq(s, "boot-b", 7, NOW), 0);
        /* never moves back: a late writer with an older position does not undo a newer one */
        assert_int_equal(store_boot_set_last_seq(s, "boot-a", 90, NOW), 0);
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(store_boot_last_seq(s, "boot-a", &seq), 0);
        assert_int_equal(seq, 100);
        assert_int_equal(store_boot_last_seq(s, "boot-b", &seq), 0);
        assert_int_equal(seq, 7);
        /* a rolled-back position is not remembered */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_boot_set_last_seq(s, "boot-b", 500, NOW), 0);
        assert_int_equal(store_rollback(s), 0);
        assert_int_equal(store_boot_last_seq(s, "boot-b", &seq), 0);
        assert_int_equal(seq, 7);
        store_close(s);
}

static void test_state_changes(void **state) {
        struct fixture *f = *state;
        struct store *s = open_rw(f->path, 0, 0);
        int64_t id = save(s, "boot-a", "sdc", 10, 12, NOW, "open");

        /* the same episode seen again (a restart re-reads the ring): found by overlap */
        int64_t found = 0;
        char st[16];
        assert_int_equal(store_find_incident(s, "boot-a", "sdc", 11, 15, &found, st), 0);
        assert_int_equal(found, id);
        assert_string_equal(st, "open");
        assert_int_equal(store_find_incident(s, "boot-a", "sdc", 13, 20, &found, st), 0);
        assert_int_equal(found, 0); /* after it: another incident */
        assert_int_equal(store_find_incident(s, "boot-b", "sdc", 10, 12, &found, st), 0);
        assert_int_equal(found, 0); /* another boot */
        assert_int_equal(store_find_incident(s, "boot-a", "sdd", 10, 12, &found, st), 0);
        assert_int_equal(found, 0); /* another device */

        struct store_incident inc = {
                .id = id, .boot_id = "boot-a", .device = "sdc", .fs = "btrfs", .rule_id = "btrfs/enospc",
                .severity = "critical", .first_seq = 10, .last_seq = 14, .read_only = true, .raised_usec = NOW,
                .updated_usec = NOW + 1, .closed_usec = NOW + 1, .json = "{}", .messages = 5,
        };
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_save_incident(s, &inc, "closed", "closed"), 0);
        struct store_line l = { .seq = 10, .mono_usec = 1, .wall_usec = 2, .priority = 3, .text = "a line", .len = 6 };
        assert_int_equal(store_add_line(s, id, &l), 0);
        assert_int_equal(store_add_line(s, id, &l), 0); /* the same line twice is stored once */
        assert_int_equal(store_mark_cleared(s, id, NOW + 2, "remounted-rw"), 0);
        /* a later update of a cleared incident keeps it cleared */
        inc.updated_usec = NOW + 3;
        assert_int_equal(store_save_incident(s, &inc, "closed", NULL), 0);
        assert_int_equal(store_commit(s), 0);
        store_close(s);

        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM lines"), 1);
        assert_int_equal(query_int(f->path, "SELECT last_seq FROM incidents"), 14);
        assert_int_equal(query_int(f->path, "SELECT cleared_usec FROM incidents"), NOW + 2);
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM incidents WHERE state = 'cleared' AND "
                                            "cleared_how = 'remounted-rw'"), 1);
        /* raised, closed, cleared: in that order */
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM states"), 3);
        char order[64];
        query_text(f->path, "SELECT group_concat(state || ':' || detail, ',') FROM (SELECT * FROM states ORDER BY id)",
                   order, sizeof order);
        assert_string_equal(order, "open:raised,closed:closed,cleared:remounted-rw");
}

static void test_clear_other_boots(void **state) {
        struct fixture *f = *state;
        struct store *s = open_rw(f->path, 0, 0);
        save(s, "old-boot", "sda", 1, 2, NOW, "open");
        save(s, "old-boot", "sdb", 3, 4, NOW, "closed");
        save(s, "this-boot", "sdc", 5, 6, NOW, "open");
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_clear_other_boots(s, "this-boot", NOW + 5), 2);
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_clear_other_boots(s, "this-boot", NOW + 6), 0); /* already done */
        assert_int_equal(store_commit(s), 0);
        store_close(s);
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM incidents WHERE state = 'cleared' AND "
                                            "cleared_how = 'reboot' AND boot_id = 'old-boot'"), 2);
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM incidents WHERE state = 'open' AND boot_id = 'this-boot'"),
                         1);
}

static void test_retention(void **state) {
        struct fixture *f = *state;
        struct store *s = open_rw(f->path, 30, 3);
        int64_t old = save(s, "b", "sda", 1, 1, NOW - 40 * USEC_PER_DAY, "closed");
        struct store_line l = { .seq = 1, .text = "old line", .len = 8 };
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_add_line(s, old, &l), 0);
        assert_int_equal(store_add_log_loss(s, "b", NOW - 40 * USEC_PER_DAY, "overrun", 5, 10), 0);
        assert_int_equal(store_add_log_loss(s, "b", NOW - 1 * USEC_PER_DAY, "overrun", 50, 3), 0);
        assert_int_equal(store_commit(s), 0);
        for (int i = 0; i < 5; i++)
                save(s, "b", "sdb", 10 + i * 10, 10 + i * 10, NOW - (5 - i) * USEC_PER_DAY, "closed");
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_apply_retention(s, NOW), 0);
        assert_int_equal(store_commit(s), 0);
        store_close(s);
        /* the 40-day-old one by age, then the oldest of the rest by count: the newest 3 stay */
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM incidents"), 3);
        assert_int_equal(query_int(f->path, "SELECT MIN(first_seq) FROM incidents"), 30);
        /* their lines and states went with them (foreign keys on), the old log-loss record too */
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM lines"), 0);
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM states WHERE incident_id NOT IN (SELECT id FROM incidents)"), 0);
        assert_int_equal(query_int(f->path, "SELECT COUNT(*) FROM log_loss"), 1);
}

struct line_count {
        int n;
        char last[32];
};

static int count_line(const struct store_line *l, void *userdata) {
        struct line_count *c = userdata;
        c->n++;
        snprintf(c->last, sizeof c->last, "%.*s", (int) l->len, l->text);
        return 0;
}

static void test_reopen_after_close(void **state) {
        struct fixture *f = *state;
        struct store *s = open_rw(f->path, 0, 0);
        int64_t id = save(s, "boot-a", "sde", 1, 3, NOW, "open");
        struct store_line l = { .seq = 2, .text = "EXT4-fs error (device sde): x", .len = 29 };
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_add_line(s, id, &l), 0);
        assert_int_equal(store_boot_set_last_seq(s, "boot-a", 3, NOW), 0);
        assert_int_equal(store_commit(s), 0);
        /* an uncommitted write at close is lost, the committed ones stay */
        assert_int_equal(store_begin(s), 0);
        struct store_incident lost = { .boot_id = "boot-a", .device = "sdf", .first_seq = 9, .last_seq = 9,
                                       .raised_usec = NOW, .updated_usec = NOW, .json = "{}" };
        assert_int_equal(store_save_incident(s, &lost, "open", "raised"), 0);
        store_close(s);

        s = open_rw(f->path, 0, 0);
        int64_t seq;
        assert_int_equal(store_boot_last_seq(s, "boot-a", &seq), 0);
        assert_int_equal(seq, 3);
        struct collected c = { 0 };
        assert_int_equal(store_each_incident(s, 0, "boot-a", collect, &c), 0);
        assert_int_equal(c.n, 1);
        assert_int_equal(c.ids[0], id);
        /* ids keep growing after a reopen: a new incident never takes an old one's id */
        int64_t id2 = save(s, "boot-a", "sdg", 20, 21, NOW, "open");
        assert_true(id2 > id);
        store_close(s);

        /* a reader (fsdoctor history) opens it read-only and sees the same */
        struct store_opts ro = { .read_only = true };
        s = NULL;
        assert_int_equal(store_open(f->path, &ro, &s), 0);
        struct line_count lc = { 0 };
        assert_int_equal(store_each_line(s, id, count_line, &lc), 0);
        assert_int_equal(lc.n, 1);
        assert_string_equal(lc.last, "EXT4-fs error (device sde): x");
        c = (struct collected) { 0 };
        assert_int_equal(store_each_incident(s, NOW - 1, NULL, collect, &c), 0);
        assert_int_equal(c.n, 2);
        assert_int_equal(store_each_incident(s, NOW + 1, NULL, collect, &c), 0);
        assert_int_equal(c.n, 2); /* since: nothing raised later */
        store_close(s);
}

static void test_open_errors(void **state) {
        struct fixture *f = *state;
        struct store *s = NULL;
        char missing[160];
        snprintf(missing, sizeof missing, "%s/no/such/dir/history.db", f->dir);
        assert_true(store_open(missing, NULL, &s) < 0);
        store_close(s);
        /* not a database: an error, not an empty history */
        FILE *fp = fopen(f->path, "w");
        assert_non_null(fp);
        fputs("this is not an SQLite database, but it is long enough to have a header of one........\n", fp);
        fclose(fp);
        s = NULL;
        assert_int_equal(store_open(f->path, NULL, &s), -EBADMSG);
        store_close(s);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_schema_created, setup, teardown),
                cmocka_unit_test_setup_teardown(test_migration_from_v1, setup, teardown),
                cmocka_unit_test_setup_teardown(test_boot_last_seq, setup, teardown),
                cmocka_unit_test_setup_teardown(test_state_changes, setup, teardown),
                cmocka_unit_test_setup_teardown(test_clear_other_boots, setup, teardown),
                cmocka_unit_test_setup_teardown(test_retention, setup, teardown),
                cmocka_unit_test_setup_teardown(test_reopen_after_close, setup, teardown),
                cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
