/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The correlator. Events are keyed by (origin, host, boot, device); each key has at most one open
 * episode. An episode closes at the end of input, when the device is mounted again, after a quiet
 * gap, when its host reboots, or when the open-incident cap forces out the least recently active
 * one. Only episodes with a significant event become incidents.
 *
 * This file holds the incident object: building one, publishing it (the causal sort and the flags
 * its events imply), closing it, and the correlator's lifetime. */
#include <inttypes.h>
#include <stdio.h>
#include "basic/array.h"
#include "incident-internal.h"
#include "live-mount.h"
#include "btrfs-space.h"
#include "core/diag-log.h"

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
        case FSD_EV_MOUNT_FAILED:
                return 5;
        case FSD_EV_UNKNOWN:
                return ev->layer == FSD_LAYER_FS ? 3 : (unsigned) ev->layer;
        default:
                return 3;
        }
}

/* Copy an event's strings into one block, so a stored event is one allocation plus its slot. */
int stored_event_copy(const struct fsd_event *src, const char *origin, const char *host, struct stored_event *dst) {
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

struct incident *incident_free(struct incident *inc) {
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
        free(inc->device_path);
        free(inc->mount_point);
        free(inc->space);
        free(inc);
        return NULL;
}
DEFINE_FREEP(struct incident, incident_free)

const struct device_info *correlator_device_find(const struct correlator *c, const char *origin, const char *host,
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

int incident_new(struct correlator *c, const struct fsd_event *ev, const char *device, struct incident **ret) {
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
        const struct device_info *d = correlator_device_find(c, ev->origin, ev->host, ev->boot, device);
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
                if (ARRAY_RESERVE_ONE(inc->events, inc->cap_events, inc->n_events, 4) < 0)
                        return -ENOMEM;
                struct stored_event *se = &inc->events[inc->n_events];
                int r = stored_event_copy(&me->se.ev, inc->origin, inc->host, se);
                if (r < 0)
                        return r;
                se->ev.last_line = me->se.ev.last_line;
                se->seq = me->se.seq;
                inc->n_events++;
        }
        return 0;
}

/* "/dev/mapper/NAME" for an incident on dm-N: from a btrfs scan line that gave the mapper path with
 * its numbers or the same filesystem UUID, or, reading the live kernel log, from sysfs. NULL when
 * nothing says (the text then writes /dev/dm-N). */
static int incident_find_device_path(const struct correlator *c, struct incident *inc) {
        if (inc->device_path || !inc->device || strncmp(inc->device, "dm-", 3) != 0)
                return 0;
        char *end;
        unsigned long minor = strtoul(inc->device + 3, &end, 10);
        if (end == inc->device + 3 || *end)
                return 0;
        const char *name = NULL;
        for (size_t i = 0; i < c->n_devices && !name; i++) {
                const struct device_info *d = &c->devices[i];
                if (!d->device || strncmp(d->device, "mapper/", 7) != 0 ||
                    !same_place(d->origin, d->host, d->boot, inc->origin, inc->host, inc->pub.boot))
                        continue;
                if ((d->dm_minor >= 0 && (unsigned long) d->dm_minor == minor) ||
                    (d->dm_minor < 0 && d->fs_uuid && inc->fs_uuid && strcmp(d->fs_uuid, inc->fs_uuid) == 0))
                        name = d->device + 7;
        }
        char buf[256];
        if (!name && str_eq(inc->origin, "/dev/kmsg")) {
                char path[64];
                snprintf(path, sizeof path, "/sys/block/dm-%lu/dm/name", minor);
                _cleanup_fclose_ FILE *f = fopen(path, "re");
                if (f && fgets(buf, sizeof buf, f)) {
                        buf[strcspn(buf, "\n")] = 0;
                        if (buf[0] && !strchr(buf, '/'))
                                name = buf;
                }
        }
        if (!name)
                return 0;
        if (asprintf(&inc->device_path, "/dev/mapper/%s", name) < 0) {
                inc->device_path = NULL;
                return -ENOMEM;
        }
        return 0;
}

/* Fill in what the events and reports imply, sort the chain, hand it to emit. */
static int incident_publish(struct correlator *c, struct incident *inc, bool closing, incident_emit_fn emit,
                            void *userdata) {
        int r = 0;
        if (inc->significant) {
                r = incident_find_device_path(c, inc);
                if (r < 0)
                        return r;
                inc->pub.device_path = inc->device_path;
                /* the log never says where a filesystem is mounted; the running system does, for
                 * its own log */
                if (!inc->mount_point && inc->device && str_eq(inc->origin, "/dev/kmsg")) {
                        r = live_mount_point(inc->device, inc->pub.fs, inc->fs_uuid, NULL, NULL, &inc->mount_point);
                        if (r < 0)
                                return r;
                }
                inc->pub.mount_point = inc->mount_point;
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
                        case FSD_EV_MOUNT_FAILED:
                                inc->pub.mount_failed = true;
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
                                        if (inc->pub.fs == FSD_FS_BTRFS && incident_report_matches_event(inc->reports[j], ev))
                                                inc->pub.aborted = true;
                                break;
                        default:
                                break;
                        }
                }
                const struct fsd_report *reports[INCIDENT_MAX_REPORTS];
                for (size_t i = 0; i < inc->n_reports; i++) {
                        reports[i] = inc->reports[i];
                        /* errors=panic ends the episode with "Kernel panic - not syncing: EXT4-fs
                         * (device X): panic forced after error": nothing was remounted, the host
                         * went down */
                        if (inc->reports[i]->type == FSD_REPORT_PANIC)
                                inc->pub.panicked = true;
                }
                if (!inc->pub.kernel)
                        inc->pub.kernel = banner_find(c, inc->origin, inc->host, inc->pub.boot);
                inc->pub.events = events;
                inc->pub.n_events = inc->n_events;
                if (inc->pub.fs == FSD_FS_BTRFS && c->paste.seen &&
                    str_eq(c->paste_origin, inc->origin ? inc->origin : "")) {
                        if (!inc->space && !(inc->space = calloc(1, sizeof *inc->space)))
                                return -ENOMEM;
                        btrfs_paste_apply(&c->paste, inc->space);
                }
                inc->pub.btrfs_space = inc->space && (inc->space->n_info || inc->space->n_rsv || inc->space->alloc_failed ||
                                                      inc->space->n_devices || inc->space->metadata_profile[0] ||
                                                      inc->space->data_profile[0])
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

int correlator_close_at(struct correlator *c, size_t i) {
        struct incident *inc = c->open[i];
        memmove(&c->open[i], &c->open[i + 1], (c->n_open - i - 1) * sizeof c->open[0]);
        c->n_open--;
        int r = incident_emit(c, inc);
        incident_free(inc);
        return r;
}

int correlator_close_where(struct correlator *c,
                           bool (*pred)(const struct correlator *, const struct incident *, const void *),
                           const void *arg) {
        int r = 0;
        for (size_t i = 0; i < c->n_open;) {
                if (pred(c, c->open[i], arg)) {
                        int k = correlator_close_at(c, i);
                        if (k < 0 && r == 0)
                                r = k;
                } else
                        i++;
        }
        return r;
}

int correlator_add_open(struct correlator *c, struct incident *inc) {
        int r = 0;
        if (c->n_open == INCIDENT_MAX_OPEN) {
                size_t oldest = 0;
                for (size_t i = 1; i < c->n_open; i++)
                        if (c->open[i]->last_record < c->open[oldest]->last_record)
                                oldest = i;
                fsd_debug("more than %d open incidents: closing incident %" PRIu32 " early",
                          INCIDENT_MAX_OPEN, c->open[oldest]->pub.id);
                r = correlator_close_at(c, oldest);
        }
        c->open[c->n_open++] = inc;
        return r;
}

void memory_error_done(struct memory_error *me) {
        free(me->se.block);
        free(me->origin);
        free(me->host);
}

void device_info_done(struct device_info *d) {
        free(d->origin);
        free(d->host);
        free(d->device);
        free(d->fs_uuid);
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
        int r = correlator_close_where(c, pred_quiet_since, &limit);
        return r < 0 ? r : (int) (before - c->n_open);
}

int correlator_finish(struct correlator *c) {
        if (!c)
                return -EINVAL;
        return correlator_close_where(c, pred_all, NULL);
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
        free(c->paste_origin);
        free(c->leaf_origin);
        free(c->last_origin);
        free(c->last_host);
        free(c);
        return NULL;
}
