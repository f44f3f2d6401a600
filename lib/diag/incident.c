/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The correlator. Events are keyed by (origin, host, boot, device); each key has at most one open
 * episode. An episode closes at the end of input, when the device is mounted again, after a quiet
 * gap, when its host reboots, or when the open-incident cap forces out the least recently active
 * one. Only episodes with a significant event become incidents. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "incident.h"
#include "btrfs-space.h"
#include "basic/cleanup.h"
#include "core/diag-log.h"

#define REPORT_NEAR_LINES 200             /* a report this close to an event may belong to it */
#define REPORT_NEAR_USEC (INT64_C(60) * 1000000)
#define REPORT_MATCH_LINES 2000           /* ... and this close when function and line agree */
#define REPORT_MATCH_USEC (INT64_C(600) * 1000000)
#define SUPPRESSED_NEAR_RECORDS 8         /* "N callbacks suppressed" precedes the next message */
#define SWEEP_EVERY_RECORDS 4096

struct stored_event {
        struct fsd_event ev;               /* strings point into block */
        char *block;
        uint64_t seq;                      /* arrival order, ties the causal sort */
};

struct incident {
        struct fsd_incident pub;
        char *origin, *host, *device, *fs_uuid, *kernel, *comm;
        struct stored_event *events;
        size_t n_events, cap_events;
        struct fsd_report *reports[INCIDENT_MAX_REPORTS];
        size_t n_reports;
        struct fsd_btrfs_space_dump *space;     /* btrfs space dump lines seen, NULL none */
        uint64_t last_record;              /* correlator record index of the last activity */
        int64_t last_mono_usec;
        bool significant;
        /* btrfs aborted or went read-only: it stays so until unmounted, and what it prints later in
         * this boot (transid errors while still mounted, cleanup errors) belongs to this episode
         * however long the quiet between */
        bool btrfs_failed;
        bool changed;                      /* gained a distinct event or a report since the last flush */
};

struct device_info {                       /* what a mount message told us about a device */
        char *origin, *host, *device, *fs_uuid;
        uint32_t boot;
        enum fsd_fs_type fs;
        uint64_t record;
};

struct banner {
        char *origin, *host, *kernel;
        uint32_t boot;
};

struct memory_error {                     /* a memory error, kept to link into corruption incidents */
        struct stored_event se;            /* se.ev.origin/host point to origin/host below */
        char *origin, *host;
};

struct pending_report {
        struct fsd_report *report;
        enum fsd_fs_type fs;
        uint64_t record;
};

struct correlator {
        incident_emit_fn emit;
        void *userdata;
        uint64_t records;                  /* records seen */
        uint64_t seq;                      /* events seen */
        uint32_t next_id;
        struct incident *open[INCIDENT_MAX_OPEN];
        size_t n_open;
        struct device_info devices[INCIDENT_MAX_DEVICES];
        size_t n_devices;
        struct banner banners[INCIDENT_MAX_BANNERS];
        size_t n_banners;
        struct pending_report pending[INCIDENT_MAX_PENDING_REPORTS];
        size_t n_pending;
        struct memory_error memory[INCIDENT_MAX_MEMORY_ERRORS]; /* oldest first */
        size_t n_memory;
        /* the last "N callbacks suppressed", waiting for the message it precedes */
        struct {
                char *origin, *host;
                uint32_t boot;
                uint64_t count, record;
        } suppressed;
        /* the host/boot of the last record, to notice reboots */
        char *last_origin, *last_host;
        size_t last_origin_cap, last_host_cap; /* 0 while the string is NULL */
        uint32_t last_boot;
        bool have_last;
};

/* ---- small helpers ---- */

static bool str_eq(const char *a, const char *b) {
        if (a == b)
                return true;
        if (!a || !b)
                return false;
        return strcmp(a, b) == 0;
}

/* Copy s into a reusable buffer (*buf stays NULL for a NULL s, as str_eq() expects). */
static int str_keep(char **buf, size_t *cap, const char *s) {
        if (!s) {
                free(*buf);
                *buf = NULL;
                *cap = 0;
                return 0;
        }
        size_t n = strlen(s) + 1;
        if (n > *cap) {
                char *b = realloc(*buf, n);
                if (!b)
                        return -ENOMEM;
                *buf = b;
                *cap = n;
        }
        memcpy(*buf, s, n);
        return 0;
}

static int str_dup_opt(const char *s, char **ret) {
        if (!s) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

static bool same_place(const char *origin_a, const char *host_a, uint32_t boot_a,
                       const char *origin_b, const char *host_b, uint32_t boot_b) {
        return boot_a == boot_b && str_eq(host_a, host_b) && str_eq(origin_a, origin_b);
}

size_t incident_device_base_len(const char *dev) {
        size_t n = strlen(dev);
        size_t i = n;
        while (i > 0 && dev[i - 1] >= '0' && dev[i - 1] <= '9')
                i--;
        /* "<disk-ending-in-a-digit>-<digits>": jbd2's "loop0-8", "sda1-8"; "dm-9" has no digit
         * before its dash and keeps its name */
        if (i < n && i >= 2 && dev[i - 1] == '-' && dev[i - 2] >= '0' && dev[i - 2] <= '9')
                return i - 1;
        return n;
}

bool incident_device_is_partition_of(const char *part, const char *disk) {
        size_t n = strlen(disk);
        if (n == 0 || strncmp(part, disk, n) != 0)
                return false;
        const char *p = part + n;
        /* disks whose name ends in a digit number partitions "p1" (nvme0n1p1, mmcblk0p1, loop0p1) */
        if (disk[n - 1] >= '0' && disk[n - 1] <= '9') {
                if (*p != 'p')
                        return false;
                p++;
        }
        if (!*p)
                return false;
        for (; *p; p++)
                if (*p < '0' || *p > '9')
                        return false;
        return true;
}

static bool event_significant(enum fsd_event_kind k) {
        switch (k) {
        case FSD_EV_UNKNOWN:
        case FSD_EV_MOUNT:
        case FSD_EV_UNMOUNT:
        case FSD_EV_SUPPRESSED:
        case FSD_EV_DEVICE_RESET: /* resets alone are routine; they add context to real errors */
        case FSD_EV_RELOCATION:   /* a balance or scrub at work: context for what fails next */
        case FSD_EV_SCRUB:
        case FSD_EV_LOG_RECOVERY: /* so is a log replay at mount */
                return false;
        default:
                return true;
        }
}

/* Position along the causal chain: memory -> device trouble -> failed I/O -> filesystem error ->
 * abort -> read-only. The chain is sorted by layer (memory, device, block I/O, filesystem), and by
 * arrival within a layer; the filesystem's own messages keep the order it printed them in, which is
 * the order it acted in: an error printed after "forced readonly" (btrfs's second abort one caller
 * up, cleanup_transaction's "Transaction aborted") is a consequence and stays after it. */
static unsigned event_stage(const struct fsd_event *ev) {
        switch (ev->kind) {
        case FSD_EV_MEMORY_ERROR:
                return 0;
        case FSD_EV_DEVICE_ERROR:
        case FSD_EV_DEVICE_RESET:
        case FSD_EV_DEVICE_OFFLINE:
        case FSD_EV_PATH_FAILED:
        case FSD_EV_THIN_POOL_FULL:
        case FSD_EV_SPACE_ALLOC_ERROR:
        case FSD_EV_DEVICE_MISSING:
                return 1;
        case FSD_EV_IO_ERROR:
        case FSD_EV_BUFFER_IO_ERROR:
                return 2;
        case FSD_EV_TRANSACTION_ABORT:
        case FSD_EV_COMMIT_SKIPPED:
                return 4;
        case FSD_EV_READ_ONLY:
        case FSD_EV_SHUTDOWN:
                return 5;
        case FSD_EV_UNKNOWN:
                return ev->layer == FSD_LAYER_FS ? 3 : (unsigned) ev->layer;
        default:
                return 3;
        }
}

static bool event_same(const struct fsd_event *a, const struct fsd_event *b, bool loose) {
        if (a->kind != b->kind || !str_eq(a->device, b->device))
                return false;
        if (loose)
                return true;
        return a->src_line == b->src_line && a->error == b->error && str_eq(a->function, b->function) &&
               str_eq(a->op, b->op);
}

/* Copy an event's strings into one block, so a stored event is one allocation plus its slot. */
static int event_copy(const struct fsd_event *src, const char *origin, const char *host, struct stored_event *dst) {
        const char *const in[] = { src->function, src->src_file, src->error_text, src->op, src->detail, src->text,
                                   src->device };
        size_t lens[ELEMENTSOF(in)], total = 0;
        for (size_t i = 0; i < ELEMENTSOF(in); i++) {
                lens[i] = in[i] ? strnlen(in[i], INCIDENT_MAX_TEXT) : 0;
                total += in[i] ? lens[i] + 1 : 0;
        }
        char *block = malloc(total ? total : 1);
        if (!block)
                return -ENOMEM;
        const char *out[ELEMENTSOF(in)];
        char *p = block;
        for (size_t i = 0; i < ELEMENTSOF(in); i++) {
                if (!in[i]) {
                        out[i] = NULL;
                        continue;
                }
                memcpy(p, in[i], lens[i]);
                p[lens[i]] = 0;
                out[i] = p;
                p += lens[i] + 1;
        }
        dst->block = block;
        dst->ev = *src;
        dst->ev.function = out[0];
        dst->ev.src_file = out[1];
        dst->ev.error_text = out[2];
        dst->ev.op = out[3];
        dst->ev.detail = out[4];
        dst->ev.text = out[5] ? out[5] : "";
        dst->ev.device = out[6];
        dst->ev.origin = origin;
        dst->ev.host = host;
        dst->ev.count = src->count ? src->count : 1;
        dst->ev.last_line = src->line;
        return 0;
}

/* ---- incidents ---- */

static struct incident *incident_free(struct incident *inc) {
        if (!inc)
                return NULL;
        for (size_t i = 0; i < inc->n_events; i++)
                free(inc->events[i].block);
        free(inc->events);
        for (size_t i = 0; i < inc->n_reports; i++)
                fsd_report_free(inc->reports[i]);
        free(inc->origin);
        free(inc->host);
        free(inc->device);
        free(inc->fs_uuid);
        free(inc->kernel);
        free(inc->comm);
        free(inc->space);
        free(inc);
        return NULL;
}
DEFINE_FREEP(struct incident, incident_free)

static const struct device_info *device_find(const struct correlator *c, const char *origin, const char *host,
                                             uint32_t boot, const char *device) {
        if (!device)
                return NULL;
        for (size_t i = 0; i < c->n_devices; i++) {
                const struct device_info *d = &c->devices[i];
                if (str_eq(d->device, device) && same_place(d->origin, d->host, d->boot, origin, host, boot))
                        return d;
        }
        return NULL;
}

static const char *banner_find(const struct correlator *c, const char *origin, const char *host, uint32_t boot) {
        for (size_t i = 0; i < c->n_banners; i++) {
                const struct banner *b = &c->banners[i];
                if (same_place(b->origin, b->host, b->boot, origin, host, boot))
                        return b->kernel;
        }
        return NULL;
}

static int incident_new(struct correlator *c, const struct fsd_event *ev, const char *device,
                        struct incident **ret) {
        _cleanup_(incident_freep) struct incident *inc = calloc(1, sizeof *inc);
        if (!inc)
                return -ENOMEM;
        if (str_dup_opt(ev->origin, &inc->origin) < 0 || str_dup_opt(ev->host, &inc->host) < 0 ||
            str_dup_opt(device, &inc->device) < 0)
                return -ENOMEM;
        inc->pub = (struct fsd_incident) {
                .id = ++c->next_id,
                .host = inc->host,
                .boot = ev->boot,
                .origin = inc->origin,
                .fs = ev->fs,
                .device = inc->device,
                .pid = -1,
                .start_mono_usec = ev->mono_usec,
                .end_mono_usec = ev->mono_usec,
                .start_wall_usec = ev->wall_usec,
                .wall_local = ev->wall_local,
                .year_assumed = ev->year_assumed,
                .end_wall_usec = ev->wall_usec,
                .first_line = ev->line,
                .last_line = ev->line,
        };
        const struct device_info *d = device_find(c, ev->origin, ev->host, ev->boot, device);
        if (d) {
                if (inc->pub.fs == FSD_FS_NONE)
                        inc->pub.fs = d->fs;
                if (str_dup_opt(d->fs_uuid, &inc->fs_uuid) < 0)
                        return -ENOMEM;
                inc->pub.fs_uuid = inc->fs_uuid;
        }
        inc->last_record = c->records;
        inc->last_mono_usec = ev->mono_usec;
        *ret = TAKE_PTR(inc);
        return 0;
}

/* Every filesystem stage is one layer: within it, arrival (= print) order decides. */
static unsigned event_layer_rank(const struct fsd_event *ev) {
        unsigned stage = event_stage(ev);
        return stage < 3 ? stage : 3;
}

static int stored_event_cmp(const void *a, const void *b) {
        const struct stored_event *x = a, *y = b;
        unsigned lx = event_layer_rank(&x->ev), ly = event_layer_rank(&y->ev);
        if (lx != ly)
                return lx < ly ? -1 : 1;
        if (x->seq != y->seq)
                return x->seq < y->seq ? -1 : 1;
        unsigned sx = event_stage(&x->ev), sy = event_stage(&y->ev);
        return sx < sy ? -1 : sx > sy;
}

static bool report_matches_event(const struct fsd_report *r, const struct fsd_event *ev);

static bool incident_has_corruption(const struct incident *inc) {
        for (size_t i = 0; i < inc->n_events; i++)
                switch (inc->events[i].ev.kind) {
                case FSD_EV_CORRUPTION:
                case FSD_EV_CSUM_ERROR:
                case FSD_EV_TRANSID_ERROR:
                        return true;
                default:
                        break;
                }
        return false;
}

/* Copy the memory errors of the incident's host and boot into its chain (see incident.h). They keep
 * their own lines and times; the incident's span stays that of its own messages. */
static int link_memory_errors(struct correlator *c, struct incident *inc) {
        if (inc->pub.fs == FSD_FS_NONE || !incident_has_corruption(inc))
                return 0;
        for (size_t i = 0; i < c->n_memory; i++) {
                const struct memory_error *me = &c->memory[i];
                if (!same_place(me->origin, me->host, me->se.ev.boot, inc->origin, inc->host, inc->pub.boot))
                        continue;
                if (inc->n_events == inc->cap_events) {
                        size_t cap = inc->cap_events ? inc->cap_events * 2 : 4;
                        struct stored_event *n = realloc(inc->events, cap * sizeof *n);
                        if (!n)
                                return -ENOMEM;
                        inc->events = n;
                        inc->cap_events = cap;
                }
                struct stored_event *se = &inc->events[inc->n_events];
                int r = event_copy(&me->se.ev, inc->origin, inc->host, se);
                if (r < 0)
                        return r;
                se->ev.last_line = me->se.ev.last_line;
                se->seq = me->se.seq;
                inc->n_events++;
        }
        return 0;
}

/* Fill in what the events and reports imply, sort the chain, hand it to emit. */
static int incident_publish(struct correlator *c, struct incident *inc, bool closing, incident_emit_fn emit,
                            void *userdata) {
        int r = 0;
        if (inc->significant) {
                if (closing) {
                        r = link_memory_errors(c, inc);
                        if (r < 0)
                                return r;
                }
                qsort(inc->events, inc->n_events, sizeof *inc->events, stored_event_cmp);
                _cleanup_free_ struct fsd_event *events = calloc(inc->n_events ? inc->n_events : 1, sizeof *events);
                if (!events)
                        return -ENOMEM;
                for (size_t i = 0; i < inc->n_events; i++) {
                        const struct fsd_event *ev = &inc->events[i].ev;
                        events[i] = *ev;
                        switch (ev->kind) {
                        case FSD_EV_READ_ONLY:
                                inc->pub.read_only = true;
                                break;
                        case FSD_EV_SHUTDOWN:
                        case FSD_EV_USER_SHUTDOWN:
                                inc->pub.shutdown = true;
                                break;
                        case FSD_EV_TRANSACTION_ABORT:
                        case FSD_EV_COMMIT_SKIPPED:
                                inc->pub.aborted = true;
                                /* ext4 refuses every write once its journal aborted
                                 * (ext4_journal_check_start returns -EROFS), whatever errors=
                                 * says and whether or not "Remounting read-only" was logged */
                                if (inc->pub.fs == FSD_FS_EXT4)
                                        inc->pub.read_only = true;
                                break;
                        case FSD_EV_FS_ERROR:
                                /* btrfs prints "error ... in func:line" for an aborted transaction;
                                 * the abort's WARNING at the same place proves it was one */
                                for (size_t j = 0; j < inc->n_reports; j++)
                                        if (inc->pub.fs == FSD_FS_BTRFS && report_matches_event(inc->reports[j], ev))
                                                inc->pub.aborted = true;
                                break;
                        default:
                                break;
                        }
                }
                const struct fsd_report *reports[INCIDENT_MAX_REPORTS];
                for (size_t i = 0; i < inc->n_reports; i++)
                        reports[i] = inc->reports[i];
                if (!inc->pub.kernel)
                        inc->pub.kernel = banner_find(c, inc->origin, inc->host, inc->pub.boot);
                inc->pub.events = events;
                inc->pub.n_events = inc->n_events;
                inc->pub.btrfs_space = inc->space && (inc->space->n_info || inc->space->n_rsv || inc->space->alloc_failed)
                                               ? inc->space : NULL;
                inc->pub.reports = reports;
                inc->pub.n_reports = inc->n_reports;
                inc->pub.diagnosis = NULL;
                r = emit(&inc->pub, userdata);
                inc->pub.events = NULL;
                inc->pub.reports = NULL;
        } else if (closing)
                fsd_debug("episode on %s (line %" PRIu64 ") had no significant event: no incident",
                          inc->device ? inc->device : "?", inc->pub.first_line);
        return r;
}

static int incident_emit(struct correlator *c, struct incident *inc) {
        return incident_publish(c, inc, true, c->emit, c->userdata);
}

static int close_at(struct correlator *c, size_t i) {
        struct incident *inc = c->open[i];
        memmove(&c->open[i], &c->open[i + 1], (c->n_open - i - 1) * sizeof c->open[0]);
        c->n_open--;
        int r = incident_emit(c, inc);
        incident_free(inc);
        return r;
}

/* Close every open incident matching pred, oldest id first (open[] is in creation order). */
static int close_where(struct correlator *c, bool (*pred)(const struct correlator *, const struct incident *, const void *),
                       const void *arg) {
        int r = 0;
        for (size_t i = 0; i < c->n_open;) {
                if (pred(c, c->open[i], arg)) {
                        int k = close_at(c, i);
                        if (k < 0 && r == 0)
                                r = k;
                } else
                        i++;
        }
        return r;
}

static int add_open(struct correlator *c, struct incident *inc) {
        int r = 0;
        if (c->n_open == INCIDENT_MAX_OPEN) {
                size_t oldest = 0;
                for (size_t i = 1; i < c->n_open; i++)
                        if (c->open[i]->last_record < c->open[oldest]->last_record)
                                oldest = i;
                fsd_debug("more than %d open incidents: closing incident %" PRIu32 " early",
                          INCIDENT_MAX_OPEN, c->open[oldest]->pub.id);
                r = close_at(c, oldest);
        }
        c->open[c->n_open++] = inc;
        return r;
}

/* ---- reports ---- */

static const char *const fs_dirs[_FSD_FS_MAX] = {
        [FSD_FS_BTRFS] = "fs/btrfs/", [FSD_FS_EXT4] = "fs/ext4/", [FSD_FS_XFS] = "fs/xfs/",
};

static enum fsd_fs_type fs_of_function(const char *f) {
        if (!f)
                return FSD_FS_NONE;
        while (*f == '_')
                f++;
        if (strncmp(f, "btrfs_", 6) == 0)
                return FSD_FS_BTRFS;
        if (strncmp(f, "ext4_", 5) == 0 || strncmp(f, "jbd2_", 5) == 0)
                return FSD_FS_EXT4;
        if (strncmp(f, "xfs_", 4) == 0 || strncmp(f, "xlog_", 5) == 0)
                return FSD_FS_XFS;
        return FSD_FS_NONE;
}

static enum fsd_fs_type fs_of_module(const char *m) {
        if (!m)
                return FSD_FS_NONE;
        if (strcmp(m, "btrfs") == 0)
                return FSD_FS_BTRFS;
        if (strcmp(m, "ext4") == 0 || strcmp(m, "jbd2") == 0)
                return FSD_FS_EXT4;
        if (strcmp(m, "xfs") == 0)
                return FSD_FS_XFS;
        return FSD_FS_NONE;
}

enum fsd_fs_type incident_report_fs(const struct fsd_report *r) {
        if (r->src_file) {
                if (strncmp(r->src_file, "fs/jbd2/", 8) == 0)
                        return FSD_FS_EXT4;
                for (int t = 0; t < _FSD_FS_MAX; t++)
                        if (fs_dirs[t] && strncmp(r->src_file, fs_dirs[t], strlen(fs_dirs[t])) == 0)
                                return (enum fsd_fs_type) t;
        }
        enum fsd_fs_type t = fs_of_function(r->guilty);
        if (t != FSD_FS_NONE)
                return t;
        /* the innermost reliable frame in filesystem code names the filesystem */
        for (size_t i = 0; i < r->n_frames; i++) {
                const struct fsd_frame *f = &r->frames[i];
                if (f->unreliable)
                        continue;
                t = fs_of_module(f->module);
                if (t == FSD_FS_NONE)
                        t = fs_of_function(f->func);
                if (t != FSD_FS_NONE)
                        return t;
        }
        return FSD_FS_NONE;
}

/* Length of the function name at the start of "name.isra.71+0x65c/0xbd0 [btrfs]". */
static size_t symbol_len(const char *s) {
        size_t n = 0;
        while (s[n] && s[n] != '.' && s[n] != '+' && s[n] != ' ')
                n++;
        return n;
}

static bool symbol_is(const char *sym, const char *func) {
        if (!sym || !func)
                return false;
        size_t n = symbol_len(sym);
        return n == strlen(func) && strncmp(sym, func, n) == 0;
}

/* The event names the very place the report was printed: "error ... in __btrfs_free_extent:6805"
 * after "WARNING ... at fs/btrfs/extent-tree.c:6805 __btrfs_free_extent.isra.71". */
static bool report_matches_event(const struct fsd_report *r, const struct fsd_event *ev) {
        if (!ev->function || ev->src_line <= 0 || r->src_line != ev->src_line)
                return false;
        const char *rip = r->rip;
        /* RIP may carry a "0010:" segment prefix */
        if (rip) {
                const char *colon = strchr(rip, ':');
                if (colon && colon - rip <= 5)
                        rip = colon + 1;
        }
        return symbol_is(r->guilty, ev->function) || symbol_is(rip, ev->function) ||
               (r->n_frames && symbol_is(r->frames[0].func, ev->function));
}

static uint64_t line_distance(const struct fsd_report *r, uint64_t line) {
        if (line > r->last_line)
                return line - r->last_line;
        if (line < r->first_line)
                return r->first_line - line;
        return 0;
}

static int64_t abs64(int64_t v) {
        return v < 0 ? -v : v;
}

/* How well a report fits an incident whose event ev just arrived (or was last): 2 function and
 * line agree, 1 same filesystem and near, 0 no. */
static int report_fit(const struct fsd_report *r, enum fsd_fs_type rfs, const struct incident *inc,
                      const struct fsd_event *ev) {
        if (!same_place(r->origin, r->host, r->boot, inc->origin, inc->host, inc->pub.boot))
                return 0;
        if (inc->n_reports == INCIDENT_MAX_REPORTS)
                return 0;
        uint64_t dl = line_distance(r, ev->line);
        bool timed = r->mono_usec >= 0 && ev->mono_usec >= 0;
        int64_t dt = timed ? abs64(r->mono_usec - ev->mono_usec) : 0;
        if (report_matches_event(r, ev) && dl <= REPORT_MATCH_LINES && dt <= REPORT_MATCH_USEC)
                return 2;
        if (rfs != FSD_FS_NONE && rfs == inc->pub.fs && dl <= REPORT_NEAR_LINES && dt <= REPORT_NEAR_USEC)
                return 1;
        return 0;
}

static void incident_take_report(struct incident *inc, struct fsd_report *r) {
        inc->reports[inc->n_reports++] = r;
        inc->changed = true;
        if (!inc->pub.kernel && r->kernel) {
                free(inc->kernel);
                inc->kernel = strdup(r->kernel);
                inc->pub.kernel = inc->kernel;
        }
        if (!inc->pub.comm && r->comm) {
                inc->comm = strdup(r->comm);
                inc->pub.comm = inc->comm;
                inc->pub.pid = r->pid;
        }
        if (r->first_line < inc->pub.first_line && str_eq(r->origin, inc->origin))
                inc->pub.first_line = r->first_line;
        if (r->last_line > inc->pub.last_line && str_eq(r->origin, inc->origin))
                inc->pub.last_line = r->last_line;
        if (r->mono_usec >= 0 && (inc->pub.start_mono_usec < 0 || r->mono_usec < inc->pub.start_mono_usec))
                inc->pub.start_mono_usec = r->mono_usec;
        if (r->wall_usec >= 0 && (inc->pub.start_wall_usec < 0 || r->wall_usec < inc->pub.start_wall_usec))
                inc->pub.start_wall_usec = r->wall_usec;
        inc->pub.year_assumed |= r->wall_usec >= 0 && r->year_assumed;
}

/* Pending reports that fit the incident ev just went to move into it. */
static void adopt_pending(struct correlator *c, struct incident *inc, const struct fsd_event *ev) {
        for (size_t i = 0; i < c->n_pending;) {
                struct pending_report *p = &c->pending[i];
                if (report_fit(p->report, p->fs, inc, ev) > 0) {
                        incident_take_report(inc, p->report);
                        memmove(p, p + 1, (c->n_pending - i - 1) * sizeof *p);
                        c->n_pending--;
                } else
                        i++;
        }
}

int correlator_add_report(struct correlator *c, const struct fsd_report *r) {
        if (!c || !r)
                return -EINVAL;
        enum fsd_fs_type rfs = incident_report_fs(r);
        /* an open incident it fits: the best fit, the most recently active on a tie */
        struct incident *best = NULL;
        int best_fit = 0;
        for (size_t i = 0; i < c->n_open; i++) {
                struct incident *inc = c->open[i];
                for (size_t j = 0; j < inc->n_events; j++) {
                        int fit = report_fit(r, rfs, inc, &inc->events[j].ev);
                        if (fit > best_fit || (fit && fit == best_fit && inc->last_record > best->last_record)) {
                                best = inc;
                                best_fit = fit;
                        }
                }
        }
        if (!best && rfs == FSD_FS_NONE)
                return 0; /* not filesystem code: it stays a report on its own */
        struct fsd_report *copy = NULL;
        int k = fsd_report_dup(r, &copy);
        if (k < 0)
                return k;
        if (best) {
                incident_take_report(best, copy);
                return 0;
        }
        /* printed before the filesystem's own messages (a WARNING precedes the error it causes):
         * keep it until they come */
        if (c->n_pending == INCIDENT_MAX_PENDING_REPORTS) {
                fsd_report_free(c->pending[0].report);
                memmove(&c->pending[0], &c->pending[1], (c->n_pending - 1) * sizeof c->pending[0]);
                c->n_pending--;
        }
        c->pending[c->n_pending++] = (struct pending_report) { .report = copy, .fs = rfs, .record = c->records };
        return 0;
}

/* ---- records: banners, reboots, ageing ---- */

static bool pred_other_boot(const struct correlator *c, const struct incident *inc, const void *arg) {
        const struct fsd_record *rec = arg;
        return str_eq(inc->origin, rec->origin) && str_eq(inc->host, rec->host) && inc->pub.boot != rec->boot;
}

static bool pred_quiet(const struct correlator *c, const struct incident *inc, const void *arg) {
        const struct fsd_record *rec = arg;
        if (c->records - inc->last_record > INCIDENT_QUIET_GAP_RECORDS)
                return true;
        return !inc->btrfs_failed && same_place(inc->origin, inc->host, inc->pub.boot, rec->origin, rec->host, rec->boot) &&
               rec->mono_usec >= 0 && inc->last_mono_usec >= 0 &&
               rec->mono_usec - inc->last_mono_usec > INCIDENT_QUIET_GAP_USEC;
}

static int note_banner(struct correlator *c, const struct fsd_record *rec) {
        static const char prefix[] = "Linux version ";
        const size_t plen = sizeof prefix - 1;
        if (rec->len <= plen || memcmp(rec->text, prefix, plen) != 0)
                return 0;
        const char *v = rec->text + plen, *e = rec->text + rec->len;
        size_t n = 0;
        while (v + n < e && v[n] != ' ' && n < 128)
                n++;
        if (n == 0)
                return 0;
        struct banner *b = NULL;
        for (size_t i = 0; i < c->n_banners; i++)
                if (same_place(c->banners[i].origin, c->banners[i].host, c->banners[i].boot, rec->origin, rec->host, rec->boot))
                        b = &c->banners[i];
        if (!b) {
                if (c->n_banners == INCIDENT_MAX_BANNERS) {
                        b = &c->banners[0];
                        free(b->origin);
                        free(b->host);
                        free(b->kernel);
                        memmove(&c->banners[0], &c->banners[1], (c->n_banners - 1) * sizeof c->banners[0]);
                        c->n_banners--;
                }
                b = &c->banners[c->n_banners];
                *b = (struct banner) { .boot = rec->boot };
                if (str_dup_opt(rec->origin, &b->origin) < 0 || str_dup_opt(rec->host, &b->host) < 0) {
                        free(b->origin);
                        free(b->host);
                        return -ENOMEM;
                }
                c->n_banners++;
        }
        free(b->kernel);
        b->kernel = strndup(v, n);
        return b->kernel ? 0 : -ENOMEM;
}

int correlator_note_record(struct correlator *c, const struct fsd_record *rec) {
        if (!c || !rec)
                return -EINVAL;
        c->records++;
        int r = 0;
        if (rec->len > 14 && rec->text[0] == 'L') {
                r = note_banner(c, rec);
                if (r < 0)
                        return r;
        }
        /* a host that rebooted ends every episode of its previous boot */
        if (!c->have_last || rec->boot != c->last_boot || !str_eq(rec->host, c->last_host) ||
            !str_eq(rec->origin, c->last_origin)) {
                bool reboot = c->have_last && rec->boot != c->last_boot && str_eq(rec->host, c->last_host) &&
                              str_eq(rec->origin, c->last_origin);
                /* in a multi-host syslog the host changes on nearly every line: reuse the buffers */
                if (str_keep(&c->last_origin, &c->last_origin_cap, rec->origin) < 0 ||
                    str_keep(&c->last_host, &c->last_host_cap, rec->host) < 0)
                        return -ENOMEM;
                c->last_boot = rec->boot;
                c->have_last = true;
                if (reboot) {
                        r = close_where(c, pred_other_boot, rec);
                        if (r < 0)
                                return r;
                }
        }
        if (c->records % SWEEP_EVERY_RECORDS == 0 && c->n_open) {
                r = close_where(c, pred_quiet, rec);
                if (r < 0)
                        return r;
        }
        /* pending reports nobody claimed stop waiting */
        while (c->n_pending && c->records - c->pending[0].record > REPORT_MATCH_LINES) {
                fsd_report_free(c->pending[0].report);
                memmove(&c->pending[0], &c->pending[1], (c->n_pending - 1) * sizeof c->pending[0]);
                c->n_pending--;
        }
        return 0;
}

/* ---- events ---- */

static void memory_error_done(struct memory_error *me) {
        free(me->se.block);
        free(me->origin);
        free(me->host);
}

/* Remember a memory error for link_memory_errors(): repeats of one message fold into one entry; when
 * full, the oldest entry goes. */
static int remember_memory_error(struct correlator *c, const struct fsd_event *ev) {
        uint64_t count = ev->count ? ev->count : 1;
        for (size_t i = 0; i < c->n_memory; i++) {
                struct memory_error *me = &c->memory[i];
                if (same_place(me->origin, me->host, me->se.ev.boot, ev->origin, ev->host, ev->boot) &&
                    str_eq(me->se.ev.device, ev->device) && strncmp(me->se.ev.text, ev->text ? ev->text : "",
                                                                    INCIDENT_MAX_TEXT) == 0) {
                        me->se.ev.count += count;
                        if (ev->line > me->se.ev.last_line)
                                me->se.ev.last_line = ev->line;
                        return 0;
                }
        }
        if (c->n_memory == INCIDENT_MAX_MEMORY_ERRORS) {
                memory_error_done(&c->memory[0]);
                memmove(&c->memory[0], &c->memory[1], (c->n_memory - 1) * sizeof c->memory[0]);
                c->n_memory--;
        }
        struct memory_error *me = &c->memory[c->n_memory];
        *me = (struct memory_error) {};
        if (str_dup_opt(ev->origin, &me->origin) < 0 || str_dup_opt(ev->host, &me->host) < 0 ||
            event_copy(ev, me->origin, me->host, &me->se) < 0) {
                free(me->origin);
                free(me->host);
                return -ENOMEM;
        }
        me->se.ev.origin = me->origin;
        me->se.ev.host = me->host;
        me->se.seq = c->seq + 1;            /* the seq its own incident gives it next */
        c->n_memory++;
        return 0;
}

/* The first 36-character UUID in a mount message ("first mount of filesystem <uuid>"). */
static bool find_uuid(const char *s, char out[37]) {
        if (!s)
                return false;
        static const int dash[] = { 8, 13, 18, 23 };
        size_t n = strlen(s);
        for (size_t i = 0; i + 36 <= n; i++) {
                bool ok = true;
                for (int k = 0, d = 0; k < 36 && ok; k++) {
                        char ch = s[i + k];
                        if (d < 4 && k == dash[d]) {
                                ok = ch == '-';
                                d++;
                        } else
                                ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
                }
                if (ok && (i + 36 == n || s[i + 36] == ' ' || s[i + 36] == ')' || s[i + 36] == ',')) {
                        memcpy(out, s + i, 36);
                        out[36] = 0;
                        return true;
                }
        }
        return false;
}

static void device_info_done(struct device_info *d) {
        free(d->origin);
        free(d->host);
        free(d->device);
        free(d->fs_uuid);
}

static int note_mount(struct correlator *c, const struct fsd_event *ev, const char *device) {
        struct device_info *d = (struct device_info *) device_find(c, ev->origin, ev->host, ev->boot, device);
        if (!d) {
                if (c->n_devices == INCIDENT_MAX_DEVICES) {
                        size_t oldest = 0;
                        for (size_t i = 1; i < c->n_devices; i++)
                                if (c->devices[i].record < c->devices[oldest].record)
                                        oldest = i;
                        device_info_done(&c->devices[oldest]);
                        c->devices[oldest] = c->devices[--c->n_devices];
                }
                d = &c->devices[c->n_devices];
                *d = (struct device_info) { .boot = ev->boot };
                if (str_dup_opt(ev->origin, &d->origin) < 0 || str_dup_opt(ev->host, &d->host) < 0 ||
                    str_dup_opt(device, &d->device) < 0) {
                        device_info_done(d);
                        return -ENOMEM;
                }
                c->n_devices++;
        }
        d->record = c->records;
        if (ev->fs != FSD_FS_NONE)
                d->fs = ev->fs;
        char uuid[37];
        if (find_uuid(ev->text, uuid) || find_uuid(ev->detail, uuid)) {
                free(d->fs_uuid);
                d->fs_uuid = strdup(uuid);
                if (!d->fs_uuid)
                        return -ENOMEM;
        }
        return 0;
}

/* The one partition of disk mounted on this host and boot; NULL if none or several. */
static const char *mounted_partition(const struct correlator *c, const struct fsd_event *ev, const char *disk) {
        const char *found = NULL;
        for (size_t i = 0; i < c->n_devices; i++) {
                const struct device_info *d = &c->devices[i];
                if (!same_place(d->origin, d->host, d->boot, ev->origin, ev->host, ev->boot) ||
                    !incident_device_is_partition_of(d->device, disk))
                        continue;
                if (found)
                        return NULL;
                found = d->device;
        }
        return found;
}

struct place_device {
        const struct fsd_event *ev;
        const char *device;
};

static bool pred_same_device(const struct correlator *c, const struct incident *inc, const void *arg) {
        const struct place_device *pd = arg;
        return same_place(inc->origin, inc->host, inc->pub.boot, pd->ev->origin, pd->ev->host, pd->ev->boot) &&
               str_eq(inc->device, pd->device);
}

/* The open incident an event belongs to, or NULL. */
static struct incident *find_incident(struct correlator *c, const struct fsd_event *ev, const char *device,
                                      bool *ret_gap) {
        struct incident *found = NULL;
        *ret_gap = false;
        for (size_t i = c->n_open; i-- > 0;) {
                struct incident *inc = c->open[i];
                if (!same_place(inc->origin, inc->host, inc->pub.boot, ev->origin, ev->host, ev->boot))
                        continue;
                if (device) {
                        if (str_eq(inc->device, device)) {
                                found = inc;
                                break;
                        }
                } else if (ev->fs != FSD_FS_NONE && inc->pub.fs == ev->fs) {
                        /* the message names no device: the most recent episode of its filesystem */
                        found = inc;
                        break;
                } else if (ev->fs == FSD_FS_NONE && ev->layer == FSD_LAYER_DEVICE && inc->pub.fs == FSD_FS_NONE) {
                        /* a device message without a name ("space map metadata: ..."): the most
                         * recent device episode, never a new one on "(unknown)" */
                        found = inc;
                        break;
                }
        }
        if (!found && device) {
                /* I/O errors name the disk, the filesystem names its partition: the episode of a
                 * filesystem on a partition of this disk (an inference: the JSON shows both names) */
                for (size_t i = c->n_open; i-- > 0 && !found;) {
                        struct incident *inc = c->open[i];
                        if (inc->device && ev->fs == FSD_FS_NONE &&
                            same_place(inc->origin, inc->host, inc->pub.boot, ev->origin, ev->host, ev->boot) &&
                            incident_device_is_partition_of(inc->device, device))
                                found = inc;
                }
        }
        if (found) {
                bool timed = ev->mono_usec >= 0 && found->last_mono_usec >= 0;
                if ((timed && !found->btrfs_failed && ev->mono_usec - found->last_mono_usec > INCIDENT_QUIET_GAP_USEC) ||
                    c->records - found->last_record > INCIDENT_QUIET_GAP_RECORDS)
                        *ret_gap = true;
        }
        return found;
}

/* An event on a partition whose disk already has a block-only episode open: that episode was the
 * partition's all along (the disk's errors came first). */
static struct incident *adopt_disk_incident(struct correlator *c, const struct fsd_event *ev, const char *device) {
        if (!device)
                return NULL;
        for (size_t i = c->n_open; i-- > 0;) {
                struct incident *inc = c->open[i];
                if (inc->pub.fs == FSD_FS_NONE && inc->device &&
                    same_place(inc->origin, inc->host, inc->pub.boot, ev->origin, ev->host, ev->boot) &&
                    incident_device_is_partition_of(device, inc->device)) {
                        char *d = strdup(device);
                        if (!d)
                                return NULL;
                        free(inc->device);
                        inc->device = d;
                        inc->pub.device = d;
                        return inc;
                }
        }
        return NULL;
}

/* An event naming its device, when an open episode of the same filesystem type names none and began
 * just before: that episode was this device's. btrfs_abort_transaction prints its WARNING text
 * "BTRFS: Transaction aborted (error -28)" without a device, right before the
 * "BTRFS: error (device X) in FUNC:LINE" lines that say which filesystem it was. */
#define DEVICELESS_ADOPT_RECORDS 300
static struct incident *adopt_deviceless_incident(struct correlator *c, const struct fsd_event *ev, const char *device) {
        if (!device || ev->fs == FSD_FS_NONE)
                return NULL;
        for (size_t i = c->n_open; i-- > 0;) {
                struct incident *inc = c->open[i];
                if (inc->device || inc->pub.fs != ev->fs || c->records - inc->last_record > DEVICELESS_ADOPT_RECORDS ||
                    !same_place(inc->origin, inc->host, inc->pub.boot, ev->origin, ev->host, ev->boot))
                        continue;
                char *d = strdup(device);
                if (!d)
                        return NULL;
                inc->device = d;
                inc->pub.device = d;
                return inc;
        }
        return NULL;
}

static int incident_add_event(struct correlator *c, struct incident *inc, const struct fsd_event *ev) {
        uint64_t count = ev->count ? ev->count : 1;
        inc->pub.n_messages += count;
        inc->last_record = c->records;
        if (ev->mono_usec >= 0) {
                inc->last_mono_usec = ev->mono_usec;
                if (inc->pub.start_mono_usec < 0)
                        inc->pub.start_mono_usec = ev->mono_usec;
                inc->pub.end_mono_usec = ev->mono_usec;
        }
        if (ev->wall_usec >= 0) {
                if (inc->pub.start_wall_usec < 0)
                        inc->pub.start_wall_usec = ev->wall_usec;
                inc->pub.end_wall_usec = ev->wall_usec;
                inc->pub.year_assumed |= ev->year_assumed;
        }
        if (str_eq(ev->origin, inc->origin)) {
                if (ev->line > inc->pub.last_line)
                        inc->pub.last_line = ev->line;
                if (ev->line < inc->pub.first_line)
                        inc->pub.first_line = ev->line;
        }
        if (inc->pub.fs == FSD_FS_NONE && ev->fs != FSD_FS_NONE)
                inc->pub.fs = ev->fs;
        if (event_significant(ev->kind))
                inc->significant = true;
        if (ev->fs == FSD_FS_BTRFS && (ev->kind == FSD_EV_TRANSACTION_ABORT || ev->kind == FSD_EV_READ_ONLY))
                inc->btrfs_failed = true;
        if (ev->kind == FSD_EV_ENOSPC && ev->fs == FSD_FS_BTRFS && ev->text) {
                if (!inc->space && !(inc->space = calloc(1, sizeof *inc->space)))
                        return -ENOMEM;
                btrfs_space_note(inc->space, ev->text);
        }
        if (c->suppressed.count && c->records - c->suppressed.record <= SUPPRESSED_NEAR_RECORDS &&
            same_place(c->suppressed.origin, c->suppressed.host, c->suppressed.boot, ev->origin, ev->host, ev->boot)) {
                inc->pub.n_suppressed += c->suppressed.count;
                c->suppressed.count = 0;
        }

        /* a repeat: fold it into the event it repeats. At the cap, fold by kind and device only;
         * a kind the chain lacks still gets a slot (at most _FSD_EV_MAX more), so the read-only or
         * shutdown at the end of a long storm of distinct errors is never lost. */
        bool full = inc->n_events >= INCIDENT_MAX_EVENTS;
        for (int pass = 0; pass < (full ? 2 : 1); pass++)
                for (size_t i = inc->n_events; i-- > 0;) {
                        struct stored_event *se = &inc->events[i];
                        if (!event_same(&se->ev, ev, pass == 1))
                                continue;
                        se->ev.count += count;
                        if (str_eq(ev->origin, inc->origin) && ev->line > se->ev.last_line)
                                se->ev.last_line = ev->line;
                        if (pass == 1)
                                inc->pub.n_merged += count;
                        return 0;
                }
        if (full) {
                for (size_t i = 0; i < inc->n_events; i++)
                        if (inc->events[i].ev.kind == ev->kind) {
                                inc->pub.n_merged += count; /* same kind, other device: keep the count */
                                return 0;
                        }
        }
        if (inc->n_events == inc->cap_events) {
                size_t cap = inc->cap_events ? inc->cap_events * 2 : 4;
                struct stored_event *n = realloc(inc->events, cap * sizeof *n);
                if (!n)
                        return -ENOMEM;
                inc->events = n;
                inc->cap_events = cap;
        }
        /* the event keeps its own device name: it may be the disk of the incident's partition,
         * or jbd2's "loop0-8" */
        struct stored_event *se = &inc->events[inc->n_events];
        int r = event_copy(ev, inc->origin, inc->host, se);
        if (r < 0)
                return r;
        se->seq = ++c->seq;
        inc->n_events++;
        inc->changed = true;     /* a new link in the chain; repeats folded above are only counted */
        return 0;
}

int correlator_add_event(struct correlator *c, const struct fsd_event *ev) {
        if (!c || !ev)
                return -EINVAL;
        int r;
        if (ev->kind == FSD_EV_SUPPRESSED) {
                free(c->suppressed.origin);
                free(c->suppressed.host);
                c->suppressed.origin = c->suppressed.host = NULL;
                if (str_dup_opt(ev->origin, &c->suppressed.origin) < 0 || str_dup_opt(ev->host, &c->suppressed.host) < 0)
                        return -ENOMEM;
                c->suppressed.boot = ev->boot;
                c->suppressed.count = ev->count;
                c->suppressed.record = c->records;
                return 0;
        }

        char devbuf[64];
        const char *device = NULL;
        if (ev->device && *ev->device) {
                size_t n = MIN(incident_device_base_len(ev->device), sizeof devbuf - 1);
                memcpy(devbuf, ev->device, n);
                devbuf[n] = 0;
                device = devbuf;
        }

        if (ev->kind == FSD_EV_MOUNT) {
                /* a new mount starts a new episode on its device */
                struct place_device pd = { ev, device };
                r = close_where(c, pred_same_device, &pd);
                if (r < 0)
                        return r;
                return device ? note_mount(c, ev, device) : 0;
        }
        if (ev->kind == FSD_EV_UNMOUNT)
                return 0;
        if (ev->kind == FSD_EV_MEMORY_ERROR) {
                r = remember_memory_error(c, ev);
                if (r < 0)
                        return r;
        }

        bool gap;
        struct incident *inc = find_incident(c, ev, device, &gap);
        if (inc && gap) {
                for (size_t i = 0; i < c->n_open; i++)
                        if (c->open[i] == inc) {
                                r = close_at(c, i);
                                if (r < 0)
                                        return r;
                                break;
                        }
                inc = NULL;
        }
        if (!inc)
                inc = adopt_disk_incident(c, ev, device);
        if (!inc)
                inc = adopt_deviceless_incident(c, ev, device);
        if (!inc) {
                /* context that opens an episode: it is kept if something significant follows */
                if (!event_significant(ev->kind) && ev->kind != FSD_EV_DEVICE_RESET &&
                    ev->kind != FSD_EV_RELOCATION && ev->kind != FSD_EV_SCRUB &&
                    ev->kind != FSD_EV_LOG_RECOVERY)
                        return 0;
                if (device && ev->fs == FSD_FS_NONE) {
                        /* the disk's errors belong to the filesystem mounted on its partition */
                        const char *part = mounted_partition(c, ev, device);
                        if (part) {
                                size_t n = MIN(strlen(part), sizeof devbuf - 1);
                                memmove(devbuf, part, n);
                                devbuf[n] = 0;
                        }
                }
                r = incident_new(c, ev, device, &inc);
                if (r < 0)
                        return r;
                r = add_open(c, inc);
                if (r < 0)
                        return r;
        }
        r = incident_add_event(c, inc, ev);
        if (r < 0)
                return r;
        adopt_pending(c, inc, ev);
        return 0;
}

/* ---- lifetime ---- */

int correlator_new(incident_emit_fn emit, void *userdata, struct correlator **ret) {
        if (!emit || !ret)
                return -EINVAL;
        struct correlator *c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        c->emit = emit;
        c->userdata = userdata;
        *ret = c;
        return 0;
}

static bool pred_all(const struct correlator *c, const struct incident *inc, const void *arg) {
        return true;
}

int correlator_flush_open(struct correlator *c, incident_emit_fn emit, void *userdata) {
        if (!c || !emit)
                return -EINVAL;
        for (size_t i = 0; i < c->n_open; i++) {
                struct incident *inc = c->open[i];
                if (!inc->changed || !inc->significant)
                        continue;
                inc->changed = false;
                int r = incident_publish(c, inc, false, emit, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool pred_quiet_since(const struct correlator *c, const struct incident *inc, const void *arg) {
        const int64_t *limit = arg;
        return inc->last_mono_usec >= 0 && inc->last_mono_usec < *limit;
}

int correlator_close_quiet(struct correlator *c, int64_t now_mono_usec, int64_t quiet_usec) {
        if (!c || quiet_usec < 0)
                return -EINVAL;
        int64_t limit = now_mono_usec - quiet_usec;
        size_t before = c->n_open;
        int r = close_where(c, pred_quiet_since, &limit);
        return r < 0 ? r : (int) (before - c->n_open);
}

int correlator_finish(struct correlator *c) {
        if (!c)
                return -EINVAL;
        return close_where(c, pred_all, NULL);
}

struct correlator *correlator_free(struct correlator *c) {
        if (!c)
                return NULL;
        for (size_t i = 0; i < c->n_open; i++)
                incident_free(c->open[i]);
        for (size_t i = 0; i < c->n_devices; i++)
                device_info_done(&c->devices[i]);
        for (size_t i = 0; i < c->n_banners; i++) {
                free(c->banners[i].origin);
                free(c->banners[i].host);
                free(c->banners[i].kernel);
        }
        for (size_t i = 0; i < c->n_pending; i++)
                fsd_report_free(c->pending[i].report);
        for (size_t i = 0; i < c->n_memory; i++)
                memory_error_done(&c->memory[i]);
        free(c->suppressed.origin);
        free(c->suppressed.host);
        free(c->last_origin);
        free(c->last_host);
        free(c);
        return NULL;
}
