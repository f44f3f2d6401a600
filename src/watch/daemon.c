/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The watch daemon. One thread runs the loop (kmsg, mountinfo, signals, timers) and owns the
 * analyzer and the database; libmicrohttpd serves metrics from its own thread.
 *
 * Identity across restarts: the daemon reads the whole ring again at start (the analyzer needs
 * the lines before an incident to explain it), and an incident already in the database for this
 * boot and device whose kernel sequence range overlaps is the same incident: it is updated, never
 * raised twice. The last sequence number per boot tells how much the daemon missed while down. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <limits.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>
#include "basic/cleanup.h"
#include "basic/json-writer.h"
#include "basic/strbuf.h"
#include "daemon.h"
#include "ext4-errors.h"
#include "fsdoctor.h"
#include "http.h"
#include "loop.h"
#include "metrics.h"
#include "mounts.h"
#include "pstore.h"
#include "shared/i18n.h"
#include "store.h"
#include "sysfs.h"

#define TRACKED_MAX 256                 /* incidents kept in memory for updates and clearing */
#define TRACKED_MOUNTS 8
#define SEQ_MAP_MAX 256                 /* line -> sequence number breakpoints */
#define LOSSES_MAX 64
/* Records lost up to this long before an incident's first message may have been its cause (the
 * I/O errors before a read-only, the report before an abort): its evidence is incomplete. */
#define LOSS_NEAR_USEC (INT64_C(60) * 1000000)
#define RECENT_LINES 2048               /* recent records kept to store an incident's lines */
#define RECENT_TEXT 480
#define INCIDENT_LINES_MAX 1000         /* evidence lines stored per incident */
#define REWRITE_USEC (INT64_C(5) * 1000000) /* a growing incident is rewritten at most this often */
#define TICK_USEC (INT64_C(250) * 1000)
/* The kernel wakes /dev/kmsg readers lazily (printk's wake_up_klogd_work is a lazy irq_work that
 * runs on the next timer tick; an idle tickless machine delays it by seconds), so the loop also
 * reads every KMSG_NUDGE_USEC: one read() returning EAGAIN when nothing is new. */
#define KMSG_NUDGE_USEC (INT64_C(20) * 1000)

struct tracked {
        uint32_t aid;                   /* analyzer incident id */
        int64_t db_id;
        char device[64], fs[16], rule[128], severity[16];
        bool read_only, closed, cleared;
        bool mount_failed;              /* cleared once its device is mounted (a mount not seen at raise) */
        size_t n_events, n_reports;
        int64_t written_usec;           /* CLOCK_MONOTONIC of the last database write */
        int64_t first_seq, last_seq;
        bool have_dev;
        dev_t dev;
        int mount_ids[TRACKED_MOUNTS];
        bool mount_ro[TRACKED_MOUNTS];
        size_t n_mounts;
};

struct seq_break {
        uint64_t line;
        int64_t seq;
};

struct loss {
        int64_t seq;
        uint64_t count;
        int64_t mono_from, mono_to;     /* the lost records were stamped in between (kernel clock) */
        const char *kind;               /* "overrun", "wrapped" */
};

struct recent_line {
        uint64_t line;
        int64_t seq, mono_usec, wall_usec;
        int priority;
        uint16_t len;
        char text[RECENT_TEXT];
};

struct watch_daemon {
        struct watch_config cfg;
        struct loop *loop;
        struct store *store;
        struct fsd_kb *kb;
        struct fsd_analyzer *analyzer;
        struct fsd_source *kmsg;
        struct metrics *metrics;
        struct http_server *http;
        int signal_fd, mountinfo_fd;
        bool in_tx;
        bool replaying;                 /* reading what the ring held before the daemon started */
        char boot_id[40];
        int64_t db_last_seq;            /* last sequence number recorded before this start, -1 none */
        int64_t last_seq, saved_seq;    /* last record seen; last one written to the database */
        /* The kernel's printk clock is not CLOCK_BOOTTIME everywhere (virtual machines drift by
         * seconds): "now" on the kernel's clock is the last record's stamp plus the time since
         * it was read. */
        int64_t last_record_mono, last_record_arrival;
        uint64_t records;
        bool have_seq;
        struct seq_break seq_map[SEQ_MAP_MAX];
        size_t n_seq_map;
        struct loss losses[LOSSES_MAX];
        size_t n_losses;
        struct recent_line *recent;
        struct tracked tracked[TRACKED_MAX];
        size_t n_tracked;
        struct mount_table *mounts;
        uint64_t watchdog_usec;
        int64_t last_watchdog, last_retention;
        /* metric families */
        struct metric_family *m_build, *m_raised, *m_incidents, *m_read_only, *m_reports, *m_lost, *m_records,
                *m_last_event, *m_last_record, *m_errors, *m_unreadable;
};

static int64_t realtime_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t boottime_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_BOOTTIME, &ts);
        return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void log_msg(const struct watch_daemon *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_msg(const struct watch_daemon *d, const char *fmt, ...) {
        if (d->cfg.quiet)
                return;
        va_list ap;
        va_start(ap, fmt);
        fputs("fsdoctor: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

static int read_boot_id(char out[40]) {
        char buf[64];
        int r = sysfs_read_value("/proc/sys/kernel/random/boot_id", buf, sizeof buf);
        if (r < 0)
                return r;
        size_t o = 0;
        for (const char *p = buf; *p && o < 39; p++)
                if (*p != '-')
                        out[o++] = *p;
        out[o] = 0;
        return 0;
}

const char *watch_word(const char *word) {
        /* states, ways of clearing and severities, as stored in the database (English, stable) */
        static const char *const words[] = {
                N_("raised"), N_("updated"), N_("open"), N_("closed"), N_("cleared"),
                N_("unmounted"), N_("mounted-again"), N_("remounted-rw"), N_("not-mounted"), N_("reboot"),
                N_("writable-at-start"), N_("mounted"),
                N_("overrun"), N_("wrapped"),
                N_("info"), N_("warning"), N_("error"), N_("critical"),
        };
        for (size_t i = 0; word && i < sizeof words / sizeof words[0]; i++)
                if (strcmp(word, words[i]) == 0)
                        return _(words[i]);
        return word ? word : "?";
}

/* ---- database transactions: opened on the first write, committed before anything is reported */

static int tx(struct watch_daemon *d) {
        if (d->in_tx)
                return 0;
        int r = store_begin(d->store);
        if (r >= 0)
                d->in_tx = true;
        return r;
}

static int tx_commit(struct watch_daemon *d) {
        if (!d->in_tx)
                return 0;
        d->in_tx = false;
        int r = store_commit(d->store);
        if (r < 0) {
                metrics_add(d->m_errors, "", 1);
                log_msg(d, _("history database: commit failed: %s"), store_errmsg(d->store));
                store_rollback(d->store);
        }
        return r;
}

/* ---- kernel sequence numbers ---- */

static int64_t seq_of_line(const struct watch_daemon *d, uint64_t line) {
        for (size_t i = d->n_seq_map; i-- > 0;)
                if (d->seq_map[i].line <= line)
                        return d->seq_map[i].seq + (int64_t) (line - d->seq_map[i].line);
        return d->n_seq_map ? d->seq_map[0].seq - (int64_t) (d->seq_map[0].line - line) : -1;
}

static void note_loss(struct watch_daemon *d, int64_t seq, uint64_t count, const char *kind, int64_t mono_from,
                      int64_t mono_to) {
        if (d->n_losses == LOSSES_MAX) {
                memmove(&d->losses[0], &d->losses[1], (LOSSES_MAX - 1) * sizeof d->losses[0]);
                d->n_losses--;
        }
        d->losses[d->n_losses++] = (struct loss) {
                .seq = seq, .count = count, .kind = kind, .mono_from = mono_from, .mono_to = mono_to,
        };
        char labels[64] = "";
        metrics_label(labels, sizeof labels, "reason", kind);
        metrics_add(d->m_lost, labels, (double) count);
        if (tx(d) >= 0 && store_add_log_loss(d->store, d->boot_id, realtime_usec(), kind, seq, count) < 0)
                metrics_add(d->m_errors, "", 1);
        log_msg(d, _("%" PRIu64 " kernel messages lost before sequence %" PRId64 " (%s)"), count, seq, watch_word(kind));
}

static int on_record(const struct fsd_record *rec, void *userdata) {
        struct watch_daemon *d = userdata;
        metrics_add(d->m_records, "", 1);
        d->records++;
        int64_t prev_mono = d->last_record_mono;
        if (rec->mono_usec >= 0) {
                d->last_record_mono = rec->mono_usec;
                d->last_record_arrival = loop_now_usec();
        }
        if (rec->wall_usec >= 0)
                metrics_set(d->m_last_record, "", (double) rec->wall_usec / 1e6);
        if (rec->kmsg_seq < 0)
                return 0;
        int64_t seq = rec->kmsg_seq;
        if (!d->have_seq) {
                /* the oldest record still in the ring: anything before it that we never saw is gone */
                int64_t seen = d->db_last_seq;
                if (seq > 0 && seen < seq - 1)
                        note_loss(d, seq, (uint64_t) (seq - 1 - (seen >= 0 ? seen : -1)), "wrapped", 0, rec->mono_usec);
        } else if (seq > d->last_seq + 1)
                note_loss(d, seq, (uint64_t) (seq - d->last_seq - 1), "overrun", prev_mono, rec->mono_usec);
        if (!d->have_seq || seq - d->last_seq != 1) {
                if (d->n_seq_map == SEQ_MAP_MAX) {
                        memmove(&d->seq_map[0], &d->seq_map[1], (SEQ_MAP_MAX - 1) * sizeof d->seq_map[0]);
                        d->n_seq_map--;
                }
                d->seq_map[d->n_seq_map++] = (struct seq_break) { .line = rec->line, .seq = seq };
        }
        d->last_seq = seq;
        d->have_seq = true;
        struct recent_line *l = &d->recent[rec->line % RECENT_LINES];
        l->line = rec->line;
        l->seq = seq;
        l->mono_usec = rec->mono_usec;
        l->wall_usec = rec->wall_usec;
        l->priority = rec->priority;
        l->len = (uint16_t) (rec->len < RECENT_TEXT ? rec->len : RECENT_TEXT);
        memcpy(l->text, rec->text, l->len);
        return 0;
}

static int on_report(const struct fsd_report *r, void *userdata) {
        struct watch_daemon *d = userdata;
        char labels[64] = "";
        metrics_label(labels, sizeof labels, "type", fsd_report_type_name(r->type));
        metrics_add(d->m_reports, labels, 1);
        return 0;
}

/* ---- incidents ---- */

static struct tracked *tracked_find(struct watch_daemon *d, uint32_t aid) {
        for (size_t i = 0; i < d->n_tracked; i++)
                if (d->tracked[i].aid == aid)
                        return &d->tracked[i];
        return NULL;
}

static struct tracked *tracked_add(struct watch_daemon *d) {
        if (d->n_tracked == TRACKED_MAX) {
                /* forget the oldest finished incident, else the oldest */
                size_t victim = 0;
                for (size_t i = 0; i < d->n_tracked; i++)
                        if (d->tracked[i].closed && (d->tracked[i].cleared || !d->tracked[i].read_only)) {
                                victim = i;
                                break;
                        }
                memmove(&d->tracked[victim], &d->tracked[victim + 1], (d->n_tracked - victim - 1) * sizeof d->tracked[0]);
                d->n_tracked--;
        }
        struct tracked *t = &d->tracked[d->n_tracked++];
        memset(t, 0, sizeof *t);
        return t;
}

static void update_gauges(struct watch_daemon *d) {
        metrics_zero(d->m_incidents);
        metrics_zero(d->m_read_only);
        for (size_t i = 0; i < d->n_tracked; i++) {
                const struct tracked *t = &d->tracked[i];
                char labels[METRICS_LABELS_MAX] = "";
                metrics_label(labels, sizeof labels, "rule", t->rule);
                metrics_label(labels, sizeof labels, "severity", t->severity);
                metrics_label(labels, sizeof labels, "state", t->cleared ? "cleared" : t->closed ? "closed" : "open");
                metrics_add(d->m_incidents, labels, 1);
                if (t->read_only && t->device[0]) {
                        char fl[METRICS_LABELS_MAX] = "";
                        metrics_label(fl, sizeof fl, "device", t->device);
                        metrics_label(fl, sizeof fl, "fstype", t->fs);
                        /* a gauge per filesystem, 1 or 0: several incidents of one filesystem
                         * (earlier episodes replayed from the ring) are still one read-only fs */
                        if (t->cleared)
                                metrics_add(d->m_read_only, fl, 0);
                        else
                                metrics_set(d->m_read_only, fl, 1);
                }
        }
}

/* The mounts of the incident's device now: what "writable again" is measured against. */
static void snapshot_mounts(struct watch_daemon *d, struct tracked *t) {
        t->n_mounts = 0;
        if (!t->have_dev)
                return;
        for (size_t i = 0; i < d->mounts->n && t->n_mounts < TRACKED_MOUNTS; i++)
                if (d->mounts->e[i].dev == t->dev) {
                        t->mount_ids[t->n_mounts] = d->mounts->e[i].id;
                        t->mount_ro[t->n_mounts] = d->mounts->e[i].read_only;
                        t->n_mounts++;
                }
}

static void emit_state(struct watch_daemon *d, const struct tracked *t, const char *state, const char *incident_json,
                       const char *incomplete, const char *how) {
        if (d->cfg.json) {
                struct strbuf b = STRBUF_INIT;
                struct json_writer w;
                json_writer_init(&w, &b);
                json_object_begin(&w);
                json_kv_string(&w, "type", "watch");
                json_kv_int(&w, "version", 1);
                json_kv_string(&w, "state", state);
                json_kv_int(&w, "history_id", t->db_id);
                json_kv_string(&w, "boot_id", d->boot_id);
                json_kv_int(&w, "first_seq", t->first_seq);
                json_kv_int(&w, "last_seq", t->last_seq);
                json_kv_int(&w, "time_usec", realtime_usec());
                json_key(&w, "evidence_incomplete");
                json_bool(&w, incomplete != NULL);
                if (incomplete)
                        json_kv_string(&w, "incomplete_reason", incomplete);
                if (how)
                        json_kv_string(&w, "cleared_how", how);
                if (incident_json) {
                        json_key(&w, "incident");
                        json_raw(&w, incident_json);
                }
                json_object_end(&w);
                if (!strbuf_failed(&b)) {
                        fputs(strbuf_str(&b), stdout);
                        fputc('\n', stdout);
                        fflush(stdout);
                }
                strbuf_done(&b);
                return;
        }
        if (d->cfg.quiet)
                return;
        printf(_("incident %" PRId64 " %s: %s on %s, rule %s, severity %s%s%s\n"), t->db_id, watch_word(state), t->fs,
               t->device[0] ? t->device : "?", t->rule, watch_word(t->severity), how ? ": " : "", how ? watch_word(how) : "");
        if (incomplete)
                printf(_("  evidence incomplete: %s\n"), incomplete);
        fflush(stdout);
}

/* Why the evidence may be incomplete, or NULL. */
static const char *incomplete_reason(const struct watch_daemon *d, const struct fsd_incident *inc, int64_t first_seq,
                                     int64_t last_seq, char *buf, size_t size) {
        buf[0] = 0;
        size_t o = 0;
        for (size_t i = 0; i < d->n_losses && o < size; i++) {
                const struct loss *l = &d->losses[i];
                if (inc->start_mono_usec < 0 || l->mono_to < inc->start_mono_usec - LOSS_NEAR_USEC ||
                    l->mono_from > inc->end_mono_usec)
                        continue;
                int k;
                if (strcmp(l->kind, "wrapped") == 0)
                        k = snprintf(buf + o, size - o, "%s%" PRIu64 " earlier messages of this boot were gone from the ring buffer when the daemon started",
                                     o ? "; " : "", l->count);
                else
                        k = snprintf(buf + o, size - o, "%s%" PRIu64 " kernel messages were overwritten before they could be read (before sequence %" PRId64 ")",
                                     o ? "; " : "", l->count, l->seq);
                if (k > 0)
                        o += (size_t) k;
        }
        if (inc->n_suppressed && o < size) {
                int k = snprintf(buf + o, size - o, "%sthe kernel suppressed %" PRIu64 " messages (callbacks suppressed)",
                                 o ? "; " : "", inc->n_suppressed);
                if (k > 0)
                        o += (size_t) k;
        }
        return o ? buf : NULL;
}

static void store_line_at(struct watch_daemon *d, int64_t db_id, uint64_t line, size_t *budget) {
        const struct recent_line *l = &d->recent[line % RECENT_LINES];
        if (*budget == 0 || l->line != line || line == 0)
                return;
        struct store_line sl = {
                .seq = l->seq, .mono_usec = l->mono_usec, .wall_usec = l->wall_usec, .priority = l->priority,
                .text = l->text, .len = l->len,
        };
        if (store_add_line(d->store, db_id, &sl) >= 0)
                (*budget)--;
}

/* The kernel lines that make the incident: its events' first and last lines and its reports. */
static void store_lines(struct watch_daemon *d, const struct fsd_incident *inc, int64_t db_id) {
        size_t budget = INCIDENT_LINES_MAX;
        for (size_t i = 0; i < inc->n_reports; i++)
                for (uint64_t ln = inc->reports[i]->first_line; ln <= inc->reports[i]->last_line && budget; ln++)
                        store_line_at(d, db_id, ln, &budget);
        for (size_t i = 0; i < inc->n_events && budget; i++) {
                const struct fsd_event *ev = &inc->events[i];
                const struct recent_line *l = &d->recent[ev->line % RECENT_LINES];
                if (l->line == ev->line)
                        store_line_at(d, db_id, ev->line, &budget);
                else if (ev->text) {
                        /* older than the recent-lines ring: the event keeps its text */
                        struct store_line sl = {
                                .seq = seq_of_line(d, ev->line), .mono_usec = ev->mono_usec, .wall_usec = ev->wall_usec,
                                .priority = 3, .text = ev->text, .len = strlen(ev->text),
                        };
                        if (store_add_line(d->store, db_id, &sl) >= 0)
                                budget--;
                }
                if (ev->last_line && ev->last_line != ev->line)
                        store_line_at(d, db_id, ev->last_line, &budget);
        }
}

/* A read-only incident raised from lines older than the daemon may be over already: its device
 * is not mounted, or every mount of it is writable where the filesystem would show otherwise.
 * @return how it cleared, or NULL while it may still hold. */
static const char *replayed_cleared_how(const struct watch_daemon *d, const struct tracked *t) {
        if (!t->have_dev)
                return NULL;
        if (t->n_mounts == 0)
                return "not-mounted";  /* the filesystem is no longer mounted (also for a live line) */
        if (!d->replaying)
                return NULL;
        for (size_t i = 0; i < t->n_mounts; i++)
                if (t->mount_ro[i])
                        return NULL;
        for (size_t i = 0; i < d->mounts->n; i++)
                if (d->mounts->e[i].dev == t->dev && !mounts_shows_read_only_state(d->mounts->e[i].fstype))
                        return NULL;
        return "writable-at-start";
}

/* A failed mount is over once its device is mounted: a mount of it that was not there when the
 * incident was raised (replaying older lines at start: any mount of it now). */
static const char *mount_failed_cleared_how(const struct watch_daemon *d, const struct tracked *t, bool at_raise) {
        if (!t->have_dev)
                return NULL;
        if (at_raise)
                return d->replaying && t->n_mounts > 0 ? "mounted" : NULL;
        for (size_t i = 0; i < d->mounts->n; i++) {
                if (d->mounts->e[i].dev != t->dev)
                        continue;
                bool known = false;
                for (size_t j = 0; j < t->n_mounts && !known; j++)
                        known = t->mount_ids[j] == d->mounts->e[i].id;
                if (!known)
                        return "mounted";
        }
        return NULL;
}

static int handle_incident(struct watch_daemon *d, const struct fsd_incident *inc, bool closing) {
        const struct fsd_diagnosis *dg = inc->diagnosis;
        int64_t first_seq = seq_of_line(d, inc->first_line), last_seq = seq_of_line(d, inc->last_line);
        bool ro = inc->read_only || inc->shutdown;
        struct tracked *t = tracked_find(d, inc->id);
        bool is_new = false, announce = true;
        int r = tx(d);
        if (r < 0)
                return r;
        if (!t) {
                int64_t db_id = 0;
                char state[16];
                r = store_find_incident(d->store, d->boot_id, inc->device, first_seq, last_seq, &db_id, state);
                if (r < 0)
                        return r;
                t = tracked_add(d);
                t->aid = inc->id;
                t->db_id = db_id;
                snprintf(t->device, sizeof t->device, "%s", inc->device ? inc->device : "");
                t->have_dev = mounts_device_number(t->device, &t->dev) >= 0;
                /* the mount may be newer than the last mountinfo event this loop handled */
                if (t->have_dev)
                        (void) mounts_read(d->mountinfo_fd, d->mounts);
                snapshot_mounts(d, t);
                if (db_id) {
                        /* raised by an earlier run of the daemon in this boot: the same incident */
                        t->cleared = strcmp(state, "cleared") == 0;
                        announce = false;
                } else
                        is_new = true;
        }
        bool changed = is_new || closing || ro != t->read_only || inc->mount_failed != t->mount_failed ||
                       inc->n_events != t->n_events ||
                       inc->n_reports != t->n_reports || strcmp(t->rule, dg && dg->rule_id ? dg->rule_id : "unrecognized") != 0;
        int64_t mono = loop_now_usec();
        if (!changed && mono - t->written_usec < REWRITE_USEC)
                return 0;
        snprintf(t->fs, sizeof t->fs, "%s", fsd_fs_type_name(inc->fs));
        snprintf(t->rule, sizeof t->rule, "%s", dg && dg->rule_id ? dg->rule_id : "unrecognized");
        snprintf(t->severity, sizeof t->severity, "%s", fsd_severity_name(dg ? dg->severity : FSD_SEVERITY_WARNING));
        t->read_only = ro;
        t->mount_failed = inc->mount_failed;
        t->n_events = inc->n_events;
        t->n_reports = inc->n_reports;
        t->first_seq = first_seq;
        t->last_seq = last_seq;
        t->written_usec = mono;
        bool was_closed = t->closed;
        t->closed = closing;

        _cleanup_free_ char *json = NULL;
        r = fsd_incident_to_json(inc, &json);
        if (r < 0)
                return r;
        char why[512];
        const char *incomplete = incomplete_reason(d, inc, first_seq, last_seq, why, sizeof why);
        int64_t now = realtime_usec();
        struct store_incident si = {
                .id = t->db_id, .device = inc->device, .fs = t->fs, .rule_id = t->rule, .severity = t->severity,
                .title = dg ? dg->title.en : NULL, .first_seq = first_seq, .last_seq = last_seq, .read_only = ro,
                .raised_usec = now, .updated_usec = now, .closed_usec = closing ? now : 0, .incomplete = incomplete,
                .json = json, .messages = inc->n_messages,
        };
        si.boot_id = d->boot_id;
        const char *state = t->cleared ? "cleared" : closing ? "closed" : "open";
        const char *detail = is_new ? "raised" : closing && !was_closed ? "closed" : NULL;
        r = store_save_incident(d->store, &si, state, detail);
        if (r < 0)
                return r;
        t->db_id = si.id;
        store_lines(d, inc, t->db_id);
        const char *how = !is_new || t->cleared ? NULL
                          : ro ? replayed_cleared_how(d, t)
                          : t->mount_failed ? mount_failed_cleared_how(d, t, true) : NULL;
        if (how) {
                r = store_mark_cleared(d->store, t->db_id, now, how);
                if (r < 0)
                        return r;
                t->cleared = true;
        }
        r = tx_commit(d);
        if (r < 0)
                return r;
        /* committed: now tell the world */
        if (is_new) {
                char labels[METRICS_LABELS_MAX] = "";
                metrics_label(labels, sizeof labels, "rule", t->rule);
                metrics_label(labels, sizeof labels, "severity", t->severity);
                metrics_add(d->m_raised, labels, 1);
        }
        if (inc->end_wall_usec > 0)
                metrics_set(d->m_last_event, "", (double) inc->end_wall_usec / 1e6);
        update_gauges(d);
        if (announce)
                emit_state(d, t, is_new ? "raised" : closing && !was_closed ? "closed" : "updated", json, incomplete,
                           how);
        return 0;
}

static int on_open_incident(const struct fsd_incident *inc, void *userdata) {
        return handle_incident(userdata, inc, false);
}

static int on_closed_incident(const struct fsd_incident *inc, void *userdata) {
        return handle_incident(userdata, inc, true);
}

/* ---- what the previous boot left: pstore dmesg records, ext4 superblock error records ----
 *
 * Each is analysed on its own, with a fresh analyzer and the same pump, and kept under a key of
 * its own in place of a boot id ("pstore:FILE:MTIME", "ext4-sb:DEV:FIRST:LAST"), so a restart finds
 * it already recorded. */

static void closedirp(DIR **d) {
        if (*d)
                closedir(*d);
}

struct previous_ctx {
        struct watch_daemon *d;
        const char *key;         /* stored as the boot id */
        const char *cleared;     /* "reboot" for pstore: that boot is over */
        bool previous_boot;      /* the records are of an earlier boot */
        int error;
};

static int on_previous_record(const struct fsd_record *rec, void *userdata) {
        struct previous_ctx *p = userdata;
        struct recent_line *l = &p->d->recent[rec->line % RECENT_LINES];
        l->line = rec->line;
        l->seq = (int64_t) rec->line;
        l->mono_usec = rec->mono_usec;
        l->wall_usec = rec->wall_usec;
        l->priority = rec->priority >= 0 ? rec->priority : 3;
        l->len = (uint16_t) (rec->len < RECENT_TEXT ? rec->len : RECENT_TEXT);
        memcpy(l->text, rec->text, l->len);
        return 0;
}

static int on_previous_incident(const struct fsd_incident *inc, void *userdata) {
        struct previous_ctx *p = userdata;
        struct watch_daemon *d = p->d;
        const struct fsd_diagnosis *dg = inc->diagnosis;
        int64_t db_id = 0;
        char state[16];
        int r = tx(d);
        if (r >= 0)
                r = store_find_incident(d->store, p->key, inc->device, (int64_t) inc->first_line,
                                        (int64_t) inc->last_line, &db_id, state);
        if (r < 0 || db_id)
                return r;      /* recorded by an earlier start */
        struct tracked t = { .first_seq = (int64_t) inc->first_line, .last_seq = (int64_t) inc->last_line };
        snprintf(t.device, sizeof t.device, "%s", inc->device ? inc->device : "");
        snprintf(t.fs, sizeof t.fs, "%s", fsd_fs_type_name(inc->fs));
        snprintf(t.rule, sizeof t.rule, "%s", dg && dg->rule_id ? dg->rule_id : "unrecognized");
        snprintf(t.severity, sizeof t.severity, "%s", fsd_severity_name(dg ? dg->severity : FSD_SEVERITY_WARNING));
        _cleanup_free_ char *json = NULL;
        r = fsd_incident_to_json(inc, &json);
        if (r < 0)
                return r;
        int64_t now = realtime_usec();
        struct store_incident si = {
                .device = inc->device, .fs = t.fs, .rule_id = t.rule, .severity = t.severity,
                .title = dg ? dg->title.en : NULL, .first_seq = t.first_seq, .last_seq = t.last_seq,
                .read_only = inc->read_only || inc->shutdown, .raised_usec = now, .updated_usec = now,
                .closed_usec = now, .json = json, .messages = inc->n_messages, .previous_boot = p->previous_boot,
        };
        si.boot_id = p->key;
        r = store_save_incident(d->store, &si, "closed", "raised");
        if (r < 0)
                return r;
        t.db_id = si.id;
        store_lines(d, inc, si.id);
        /* of this boot (an ext4 superblock record): over if the filesystem is writable now, else
         * followed like a live incident until it is */
        const char *how = p->cleared;
        if (!how && !p->previous_boot && si.read_only) {
                t.read_only = t.closed = true;
                t.have_dev = mounts_device_number(t.device, &t.dev) >= 0;
                snapshot_mounts(d, &t);
                how = replayed_cleared_how(d, &t);
                if (!how) {
                        struct tracked *live = tracked_add(d);
                        *live = t;
                        live->aid = UINT32_MAX; /* no analyzer incident of the live log */
                }
        }
        if (how) {
                r = store_mark_cleared(d->store, si.id, now, how);
                if (r < 0)
                        return r;
        }
        r = tx_commit(d);
        if (r < 0)
                return r;
        char labels[METRICS_LABELS_MAX] = "";
        metrics_label(labels, sizeof labels, "rule", t.rule);
        metrics_label(labels, sizeof labels, "severity", t.severity);
        metrics_add(d->m_raised, labels, 1);
        emit_state(d, &t, "raised", json, NULL, how);
        return 0;
}

/* Feeds src (owned by the caller), or else the n records recs, through a fresh analyzer. */
static int analyse_previous(struct watch_daemon *d, struct fsd_source *src, const struct fsd_record *recs, size_t n,
                            const char *key, const char *cleared, bool previous_boot) {
        struct previous_ctx p = { .d = d, .key = key, .cleared = cleared, .previous_boot = previous_boot };
        FSD_OPTS(fsd_analyzer_opts, ao, .on_incident = on_previous_incident, .userdata = &p, .kb = d->kb);
        struct fsd_analyzer *a = NULL;
        int r = fsd_analyzer_new(&ao, &a);
        if (r < 0)
                return r;
        FSD_OPTS(fsd_feed_opts, fo, .on_record = on_previous_record, .userdata = &p);
        if (src)
                r = fsd_analyzer_feed_source(a, src, &fo, NULL);
        for (size_t i = 0; !src && i < n && r >= 0; i++) {
                r = on_previous_record(&recs[i], &p);
                if (r >= 0)
                        r = fsd_analyzer_feed(a, &recs[i]);
        }
        if (r >= 0)
                r = fsd_analyzer_finish(a);
        fsd_analyzer_free(a);
        memset(d->recent, 0, RECENT_LINES * sizeof *d->recent);
        if (d->in_tx)
                tx_commit(d);
        return r;
}

static int read_pstore(struct watch_daemon *d) {
        if (!d->cfg.pstore_dir)
                return 0;
        _cleanup_(closedirp) DIR *dir = opendir(d->cfg.pstore_dir);
        if (!dir)
                return errno == ENOENT ? 0 : -errno;
        struct dirent *de;
        while ((de = readdir(dir))) {
                bool compressed;
                if (!pstore_dmesg_name(de->d_name, &compressed))
                        continue;
                char path[PATH_MAX], key[PATH_MAX + 64];
                snprintf(path, sizeof path, "%s/%s", d->cfg.pstore_dir, de->d_name);
                _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
                if (fd < 0 && (errno == EACCES || errno == EPERM)) {
                        /* pstore files are root's, mode 0440: a record the service may not read is
                         * evidence it does not have, said and counted, never passed over in silence */
                        log_msg(d, _("%s: cannot read the crash record: %s (pstore records are readable by "
                                     "root only: run as root or with CAP_DAC_READ_SEARCH)"), path, fsd_strerror(-errno));
                        metrics_add(d->m_unreadable, "", 1);
                        continue;
                }
                struct stat st;
                if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                        continue;
                snprintf(key, sizeof key, "pstore:%s:%lld", de->d_name, (long long) st.st_mtime);
                struct fsd_source *src = NULL;
                int r = pstore_open_record_fd(fd, compressed, &src);
                if (r >= 0)
                        r = analyse_previous(d, src, NULL, 0, key, "reboot", true);
                fsd_source_free(src);
                if (r == -EPROTONOSUPPORT)
                        log_msg(d, _("%s: the crash record is compressed in a way fsdoctor cannot read (lzo, lz4 or "
                                     "842?), ignoring it"), path);
                else if (r < 0)
                        log_msg(d, _("%s: cannot read the crash record, ignoring: %s"), path, fsd_strerror(r));
                if (r < 0)
                        metrics_add(d->m_unreadable, "", 1);
        }
        return 0;
}

static int read_sysfs_value(const char *dir, const char *name, char *buf, size_t size) {
        char path[PATH_MAX];
        int k = snprintf(path, sizeof path, "%s/%s", dir, name);
        if (k < 0 || (size_t) k >= sizeof path)
                return -ENAMETOOLONG;
        return sysfs_read_value(path, buf, size);
}

/* ext4 keeps the first and the last error in its superblock until fsck clears them; the kernel
 * exposes them in /sys/fs/ext4/DEV/ (first_error_time, _func, _line, _ino, _block, _errcode).
 * They become log lines (ext4-errors.c) labelled as coming from the superblock and go through the
 * analyzer like any other. A record older than this boot is of an earlier boot: that boot ended,
 * and the filesystem has been mounted again since, so it is cleared by the reboot, never
 * read-only now. One of this boot is checked against the mounts as a replayed line is. */
static int read_ext4_error_records(struct watch_daemon *d) {
        const char *root = "/sys/fs/ext4";
        _cleanup_(closedirp) DIR *dir = opendir(root);
        if (!dir)
                return 0;
        int64_t boot_started = (realtime_usec() - boottime_usec()) / 1000000;
        struct dirent *de;
        while ((de = readdir(dir))) {
                if (de->d_name[0] == '.' || strcmp(de->d_name, "features") == 0)
                        continue;
                char base[PATH_MAX], v[64];
                snprintf(base, sizeof base, "%s/%s", root, de->d_name);
                if (read_sysfs_value(base, "errors_count", v, sizeof v) < 0 || strtoul(v, NULL, 10) == 0)
                        continue;
                unsigned long count = strtoul(v, NULL, 10);
                char texts[2][512], times[2][32] = { "0", "0" };
                struct fsd_record recs[2];
                bool previous[2];
                size_t n = 0;
                static const char *const which[] = { "first", "last" };
                static const char *const fields[] = { "time", "func", "line", "ino", "block", "errcode" };
                for (int i = 0; i < 2; i++) {
                        char vals[6][64];
                        const char *vp[6];
                        for (size_t f = 0; f < 6; f++) {
                                char name[64];
                                snprintf(name, sizeof name, "%s_error_%s", which[i], fields[f]);
                                vp[f] = read_sysfs_value(base, name, vals[f], sizeof vals[f]) >= 0 ? vals[f] : NULL;
                        }
                        struct ext4_error_values ev = {
                                .time = vp[0], .func = vp[1], .line = vp[2], .ino = vp[3], .block = vp[4], .errcode = vp[5],
                        };
                        struct ext4_error_record er;
                        int r = ext4_error_record_parse(&ev, &er);
                        if (r < 0)
                                log_msg(d, _("%s: the %s error record is malformed, ignoring it"), base, which[i]);
                        if (r <= 0)
                                continue;
                        snprintf(times[i], sizeof times[i], "%" PRId64, er.time);
                        int k = ext4_error_record_format(de->d_name, &er, which[i], count, texts[n], sizeof texts[n]);
                        if (k < 0)
                                continue;
                        previous[n] = er.time < boot_started;
                        /* the line number keeps first and last apart when they are analysed apart */
                        recs[n] = (struct fsd_record) {
                                .text = texts[n], .len = (size_t) k, .origin = base, .line = (uint64_t) i + 1,
                                .mono_usec = -1, .wall_usec = er.time * 1000000, .priority = 3,
                                .format = FSD_FORMAT_CONSOLE, .kmsg_seq = -1,
                        };
                        n++;
                }
                char key[PATH_MAX];
                snprintf(key, sizeof key, "ext4-sb:%s:%s:%s", de->d_name, times[0], times[1]);
                /* the records of an earlier boot, then those of this one */
                for (int prev = 1; prev >= 0; prev--) {
                        struct fsd_record group[2];
                        size_t m = 0;
                        for (size_t i = 0; i < n; i++)
                                if (previous[i] == (bool) prev)
                                        group[m++] = recs[i];
                        if (!m)
                                continue;
                        d->replaying = !prev;
                        int r = analyse_previous(d, NULL, group, m, key, prev ? "reboot" : NULL, prev);
                        d->replaying = false;
                        if (r < 0)
                                log_msg(d, _("%s: cannot read the ext4 error records, ignoring: %s"), base, fsd_strerror(r));
                }
        }
        return 0;
}

/* ---- clearing: the filesystem is writable again ---- */

static const char *cleared_how(const struct watch_daemon *d, const struct tracked *t) {
        bool any_old = false, any_new_rw = false;
        for (size_t i = 0; i < d->mounts->n; i++) {
                const struct mount_entry *e = &d->mounts->e[i];
                if (e->dev != t->dev)
                        continue;
                bool old = false;
                for (size_t j = 0; j < t->n_mounts; j++)
                        if (t->mount_ids[j] == e->id) {
                                old = true;
                                if (t->mount_ro[j] && !e->read_only)
                                        return "remounted-rw";
                        }
                if (old)
                        any_old = true;
                else if (!e->read_only)
                        any_new_rw = true;
        }
        if (any_old)
                return NULL;           /* the broken mount is still there */
        if (t->n_mounts == 0)
                return NULL;           /* nothing known to compare with */
        return any_new_rw ? "mounted-again" : "unmounted";
}

static int check_clearing(struct watch_daemon *d) {
        int r = mounts_read(d->mountinfo_fd, d->mounts);
        if (r < 0)
                return r;
        bool any = false;
        for (size_t i = 0; i < d->n_tracked; i++) {
                struct tracked *t = &d->tracked[i];
                if ((!t->read_only && !t->mount_failed) || t->cleared || !t->have_dev || !t->db_id)
                        continue;
                const char *how = t->read_only ? cleared_how(d, t) : mount_failed_cleared_how(d, t, false);
                if (!how)
                        continue;
                r = tx(d);
                if (r >= 0)
                        r = store_mark_cleared(d->store, t->db_id, realtime_usec(), how);
                if (r >= 0)
                        r = tx_commit(d);
                if (r < 0)
                        return r;
                t->cleared = true;
                any = true;
                emit_state(d, t, "cleared", NULL, NULL, how);
        }
        if (any)
                update_gauges(d);
        return 0;
}

static int on_mountinfo(int fd, short revents, void *userdata) {
        struct watch_daemon *d = userdata;
        int r = check_clearing(d);
        if (r < 0)
                log_msg(d, _("cannot read /proc/self/mountinfo: %s"), strerror(-r));
        return 0;
}

/* ---- kernel log ---- */

static int pump(struct watch_daemon *d) {
        FSD_OPTS(fsd_feed_opts, fo, .on_record = on_record, .userdata = d);
        uint64_t before = d->records;
        int r = fsd_analyzer_feed_source(d->analyzer, d->kmsg, &fo, NULL);
        if (r < 0)
                return r;
        if (d->records == before)
                return 0;
        r = fsd_analyzer_flush_open(d->analyzer, on_open_incident, d);
        if (r >= 0)
                r = tx_commit(d);
        return r;
}

static int on_kmsg(int fd, short revents, void *userdata) {
        struct watch_daemon *d = userdata;
        int r = pump(d);
        if (r < 0) {
                log_msg(d, _("reading the kernel log failed: %s"), fsd_strerror(r));
                return r;
        }
        return 0;
}

static int on_kmsg_nudge(int64_t now, void *userdata) {
        return on_kmsg(-1, 0, userdata);
}

static int reload_rules(struct watch_daemon *d) {
        if (!d->cfg.rules_dir)
                return 0;
        struct fsd_kb *kb = NULL;
        _cleanup_free_ char *detail = NULL;
        int r = fsd_kb_load_dir(d->cfg.rules_dir, &kb, &detail);
        if (r < 0) {
                log_msg(d, _("%s: cannot load rules, keeping the previous ones: %s"), d->cfg.rules_dir,
                        detail ? detail : fsd_strerror(r));
                return 0;
        }
        fsd_analyzer_set_kb(d->analyzer, kb);
        fsd_kb_free(d->kb);
        d->kb = kb;
        log_msg(d, _("%s: rules reloaded (%zu rules)"), d->cfg.rules_dir, fsd_kb_count(kb));
        return 0;
}

static int on_signal(int fd, short revents, void *userdata) {
        struct watch_daemon *d = userdata;
        struct signalfd_siginfo si;
        while (read(fd, &si, sizeof si) == sizeof si) {
                if (si.ssi_signo == SIGHUP) {
                        sd_notify(0, "RELOADING=1");
                        reload_rules(d);
                        sd_notify(0, "READY=1");
                } else {
                        sd_notify(0, "STOPPING=1");
                        loop_quit(d->loop);
                }
        }
        return 0;
}

static int on_tick(int64_t now, void *userdata) {
        struct watch_daemon *d = userdata;
        int64_t kernel_now = d->last_record_arrival ? d->last_record_mono + (now - d->last_record_arrival) : boottime_usec();
        int r = fsd_analyzer_close_quiet(d->analyzer, kernel_now, d->cfg.quiet_usec);
        if (r < 0)
                return r;
        if (d->have_seq && d->last_seq != d->saved_seq) {
                r = tx(d);
                if (r >= 0)
                        r = store_boot_set_last_seq(d->store, d->boot_id, d->last_seq, realtime_usec());
                if (r >= 0)
                        d->saved_seq = d->last_seq;
        }
        if (now - d->last_retention > INT64_C(3600) * 1000000) {
                d->last_retention = now;
                if (tx(d) >= 0)
                        store_apply_retention(d->store, realtime_usec());
        }
        r = tx_commit(d);
        if (d->watchdog_usec && (uint64_t) (now - d->last_watchdog) >= d->watchdog_usec / 2) {
                d->last_watchdog = now;
                sd_notify(0, "WATCHDOG=1");
        }
        return r < 0 ? 0 : 0; /* a failed commit is counted and logged; the daemon goes on */
}

/* ---- set-up ---- */

static int setup_metrics(struct watch_daemon *d) {
        struct {
                struct metric_family **f;
                const char *name, *help;
                enum metric_type type;
        } defs[] = {
                { &d->m_build, "fsdoctor_build_info", "fsdoctor version, as a label; always 1", METRIC_GAUGE },
                { &d->m_raised, "fsdoctor_incidents_raised_total", "Incidents raised, by knowledge-base rule and severity", METRIC_COUNTER },
                { &d->m_incidents, "fsdoctor_incidents", "Incidents known to this daemon in the current boot, by rule, severity and state (open, closed, cleared)", METRIC_GAUGE },
                { &d->m_read_only, "fsdoctor_filesystem_read_only", "1 while a filesystem is read-only or shut down by an incident, 0 once it is writable again", METRIC_GAUGE },
                { &d->m_reports, "fsdoctor_kernel_reports_total", "Kernel reports (oops, WARNING, BUG, ...) read, by type", METRIC_COUNTER },
                { &d->m_lost, "fsdoctor_log_lines_lost_total", "Kernel log records lost before they could be read, by reason (overrun, wrapped)", METRIC_COUNTER },
                { &d->m_records, "fsdoctor_kernel_records_total", "Kernel log records read", METRIC_COUNTER },
                { &d->m_last_event, "fsdoctor_last_incident_event_timestamp_seconds", "Time of the last message that belonged to an incident", METRIC_GAUGE },
                { &d->m_last_record, "fsdoctor_last_kernel_record_timestamp_seconds", "Time of the last kernel log record read", METRIC_GAUGE },
                { &d->m_errors, "fsdoctor_history_write_errors_total", "Failed writes to the history database", METRIC_COUNTER },
                { &d->m_unreadable, "fsdoctor_crash_records_unreadable_total", "pstore crash records of an earlier boot that could not be read (damaged, or compressed in an unknown way)", METRIC_COUNTER },
        };
        int r = metrics_new(&d->metrics);
        for (size_t i = 0; r >= 0 && i < sizeof defs / sizeof defs[0]; i++)
                r = metrics_family(d->metrics, defs[i].name, defs[i].help, defs[i].type, defs[i].f);
        if (r < 0)
                return r;
        char labels[128] = "";
        metrics_label(labels, sizeof labels, "version", fsd_version_string());
        metrics_set(d->m_build, labels, 1);
        metrics_set(d->m_errors, "", 0);
        metrics_set(d->m_unreadable, "", 0);
        metrics_set(d->m_records, "", 0);
        char l2[64] = "";
        metrics_label(l2, sizeof l2, "reason", "overrun");
        metrics_set(d->m_lost, l2, 0);
        return 0;
}

int watch_daemon_new(const struct watch_config *cfg, struct watch_daemon **ret, const char **reterr) {
        struct watch_daemon *d = calloc(1, sizeof *d);
        if (!d)
                return -ENOMEM;
        d->cfg = *cfg;
        d->signal_fd = d->mountinfo_fd = -1;
        d->db_last_seq = -1;
        d->saved_seq = -1;
        int r;
#define FAIL(what) do { *reterr = what; watch_daemon_free(d); return r; } while (0)
        d->recent = calloc(RECENT_LINES, sizeof *d->recent);
        d->mounts = calloc(1, sizeof *d->mounts);
        if (!d->recent || !d->mounts) {
                r = -ENOMEM;
                FAIL("memory");
        }
        if ((r = read_boot_id(d->boot_id)) < 0)
                FAIL("/proc/sys/kernel/random/boot_id");
        if ((r = setup_metrics(d)) < 0)
                FAIL("metrics");
        struct store_opts so = { .retention_days = cfg->retention_days, .max_incidents = cfg->max_incidents };
        if ((r = store_open(cfg->db_path, &so, &d->store)) < 0) {
                fprintf(stderr, "fsdoctor: %s: %s\n", cfg->db_path, store_errmsg(d->store));
                FAIL("history database");
        }
        if ((r = store_boot_last_seq(d->store, d->boot_id, &d->db_last_seq)) < 0)
                FAIL("history database");
        d->saved_seq = d->db_last_seq;
        if ((r = store_clear_other_boots(d->store, d->boot_id, realtime_usec())) < 0)
                FAIL("history database");
        if (cfg->rules_dir) {
                _cleanup_free_ char *detail = NULL;
                r = fsd_kb_load_dir(cfg->rules_dir, &d->kb, &detail);
                if (r < 0) {
                        fprintf(stderr, "fsdoctor: %s: %s\n", cfg->rules_dir, detail ? detail : fsd_strerror(r));
                        FAIL("rules");
                }
        }
        FSD_OPTS(fsd_analyzer_opts, ao, .on_report = on_report, .on_incident = on_closed_incident, .userdata = d,
                 .kb = d->kb);
        if ((r = fsd_analyzer_new(&ao, &d->analyzer)) < 0)
                FAIL("analyzer");
        FSD_OPTS(fsd_source_opts, sopts, .follow = false);
        if ((r = fsd_source_open_kmsg(&sopts, &d->kmsg)) < 0)
                FAIL("/dev/kmsg");
        d->mountinfo_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
        if (d->mountinfo_fd < 0) {
                r = -errno;
                FAIL("/proc/self/mountinfo");
        }
        if ((r = mounts_read(d->mountinfo_fd, d->mounts)) < 0)
                FAIL("/proc/self/mountinfo");
        sigset_t mask;
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ||
            (d->signal_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
                r = -errno;
                FAIL("signals");
        }
        /* the endpoint starts after the signal mask: its threads inherit it */
        if (cfg->listen) {
                const char *why = NULL;
                r = http_server_start(cfg->listen, d->metrics, &d->http, &why);
                if (r < 0) {
                        fprintf(stderr, "fsdoctor: --listen %s: %s\n", cfg->listen, why);
                        FAIL("metrics endpoint");
                }
        }
        if ((r = loop_new(&d->loop)) < 0)
                FAIL("memory");
        if ((r = loop_add_fd(d->loop, d->signal_fd, POLLIN, on_signal, d)) < 0 ||
            (r = loop_add_fd(d->loop, fsd_source_get_fd(d->kmsg), POLLIN, on_kmsg, d)) < 0 ||
            (r = loop_add_fd(d->loop, d->mountinfo_fd, POLLPRI, on_mountinfo, d)) < 0 ||
            (r = loop_add_timer(d->loop, TICK_USEC, on_tick, d)) < 0 ||
            (r = loop_add_timer(d->loop, KMSG_NUDGE_USEC, on_kmsg_nudge, d)) < 0)
                FAIL("event loop");
        /* what a previous boot left behind, then what the ring holds for this boot */
        if ((r = read_pstore(d)) < 0)
                FAIL("pstore");
        if ((r = read_ext4_error_records(d)) < 0)
                FAIL("/sys/fs/ext4");
        d->replaying = true;
        r = pump(d);
        d->replaying = false;
        if (r < 0)
                FAIL("/dev/kmsg");
        if ((r = check_clearing(d)) < 0)
                FAIL("/proc/self/mountinfo");
        if (sd_watchdog_enabled(0, &d->watchdog_usec) <= 0)
                d->watchdog_usec = 0;
#undef FAIL
        *ret = d;
        return 0;
}

struct loop *watch_daemon_loop(struct watch_daemon *d) {
        return d->loop;
}

struct metrics *watch_daemon_metrics(struct watch_daemon *d) {
        return d->metrics;
}

int watch_daemon_run(struct watch_daemon *d) {
        char status[128];
        snprintf(status, sizeof status, "STATUS=following /dev/kmsg; metrics on port %u", http_server_port(d->http));
        sd_notify(0, "READY=1");
        sd_notify(0, status);
        if (d->http)
                log_msg(d, _("watching /dev/kmsg; metrics on port %u (--listen=%s)"), http_server_port(d->http),
                        d->cfg.listen);
        else
                log_msg(d, _("watching /dev/kmsg"));
        int r = loop_run(d->loop);
        /* open incidents stay open in the database: the next start continues them */
        if (d->have_seq && tx(d) >= 0) {
                store_boot_set_last_seq(d->store, d->boot_id, d->last_seq, realtime_usec());
                tx_commit(d);
        }
        return r;
}

struct watch_daemon *watch_daemon_free(struct watch_daemon *d) {
        if (!d)
                return NULL;
        http_server_stop(d->http);
        if (d->in_tx)
                store_rollback(d->store);
        store_close(d->store);
        fsd_analyzer_free(d->analyzer);
        fsd_kb_free(d->kb);
        fsd_source_free(d->kmsg);
        metrics_free(d->metrics);
        loop_free(d->loop);
        if (d->signal_fd >= 0)
                close(d->signal_fd);
        if (d->mountinfo_fd >= 0)
                close(d->mountinfo_fd);
        free(d->recent);
        free(d->mounts);
        free(d);
        return NULL;
}
