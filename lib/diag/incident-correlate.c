/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Records and events into episodes: banners, reboots and quiet gaps end them; each event finds the
 * open episode of its place and device (a disk's errors go to the filesystem on its partition, a
 * message without a device to the latest episode of its filesystem), folds into a repeat, or opens
 * a new one. */
#include <inttypes.h>
#include "basic/array.h"
#include "basic/span.h"
#include "incident-internal.h"
#include "btrfs-space.h"
#include "core/diag-log.h"
#include "event-parse.h"

#define SUPPRESSED_NEAR_RECORDS 8         /* "N callbacks suppressed" precedes the next message */
/* After a failed mount, the same attempt's last words (teardown) come within this much; a later
 * message on the device is another mount attempt. */
#define MOUNT_ATTEMPT_TAIL_USEC (INT64_C(2) * 1000000)
#define MOUNT_ATTEMPT_TAIL_RECORDS 4
#define SWEEP_EVERY_RECORDS 4096

static bool event_significant(const struct fsd_event *ev) {
        if (event_is_context(ev)) /* a USB disconnect, a read md corrected: what fails next tells */
                return false;
        switch (ev->kind) {
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

static bool event_same(const struct fsd_event *a, const struct fsd_event *b, bool loose) {
        if (a->kind != b->kind || !str_eq(a->device, b->device))
                return false;
        if (loose)
                return true;
        return a->src_line == b->src_line && a->error == b->error && str_eq(a->function, b->function) &&
               str_eq(a->op, b->op);
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

/* Lines that can be part of a btrfs-progs paste: indented device lines, the chunk-type lines, the
 * table header; one or two byte tests keep this off nearly every kernel message. */
static bool may_be_paste(const struct correlator *c, const struct fsd_record *rec) {
        if (rec->len == 0)
                return false;
        switch (rec->text[0]) {
        case ' ':
        case '\t':
                return true;
        case 'D':
        case 'M':
        case 'S':
                return rec->len > 5 && (memchr(rec->text, ',', MIN(rec->len, (size_t) 10)) != NULL || rec->text[1] == 'a');
        case 'U':
                return rec->len == 12;
        case 'I':
                return rec->len > 7 && rec->text[1] == 'd';
        default:
                return c->paste.state != PASTE_NONE;
        }
}

static int note_paste(struct correlator *c, const struct fsd_record *rec) {
        if (!str_eq(c->paste_origin, rec->origin)) {
                struct btrfs_paste probe = {};
                btrfs_paste_note(&probe, rec->text, rec->len);
                if (!probe.seen && probe.state == PASTE_NONE && probe.table_types == 0)
                        return 0;
                /* a paste in another input: it starts over */
                free(c->paste_origin);
                c->paste_origin = NULL;
                c->paste = (struct btrfs_paste) {};
                if (str_dup_opt(rec->origin ? rec->origin : "", &c->paste_origin) < 0)
                        return -ENOMEM;
        }
        btrfs_paste_note(&c->paste, rec->text, rec->len);
        return 0;
}

int correlator_note_record(struct correlator *c, const struct fsd_record *rec) {
        if (!c || !rec)
                return -EINVAL;
        c->records++;
        int r = 0;
        if (rec->text && may_be_paste(c, rec)) {
                r = note_paste(c, rec);
                if (r < 0)
                        return r;
        }
        if (rec->text && btrfs_leaf_note(&c->leaf, rec->text, rec->len)) {
                if (!str_eq(c->leaf_origin, rec->origin ? rec->origin : "")) {
                        free(c->leaf_origin);
                        if (str_dup_opt(rec->origin ? rec->origin : "", &c->leaf_origin) < 0)
                                return -ENOMEM;
                }
                c->leaf_record = c->records;
        }
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
                        r = correlator_close_where(c, pred_other_boot, rec);
                        if (r < 0)
                                return r;
                }
        }
        if (c->records % SWEEP_EVERY_RECORDS == 0 && c->n_open) {
                r = correlator_close_where(c, pred_quiet, rec);
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
            stored_event_copy(ev, me->origin, me->host, &me->se) < 0) {
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

/* btrfs names the path it scanned and its numbers: "... /dev/mapper/vg-data (253:3) scanned by mount";
 * device-mapper names its disks "dm-<minor>" (drivers/md/dm.c alloc_dev), so that is dm-3.
 * @return the minor, -1 when the line does not say. */
static int scanned_dm_minor(const char *text) {
        const char *p = text ? strstr(text, "/dev/mapper/") : NULL;
        if (!p)
                return -1;
        p = strchr(p, ' ');
        if (!p || p[1] != '(')
                return -1;
        char *end;
        unsigned long major = strtoul(p + 2, &end, 10);
        if (end == p + 2 || *end != ':' || major == 0)
                return -1;
        const char *q = end + 1;
        unsigned long minor = strtoul(q, &end, 10);
        if (end == q || *end != ')' || minor > 1048575)
                return -1;
        return (int) minor;
}

static int note_mount(struct correlator *c, const struct fsd_event *ev, const char *device) {
        struct device_info *d = (struct device_info *) correlator_device_find(c, ev->origin, ev->host, ev->boot, device);
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
                *d = (struct device_info) { .boot = ev->boot, .dm_minor = -1 };
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
        if (strncmp(device, "mapper/", 7) == 0)
                d->dm_minor = scanned_dm_minor(ev->text);
        return 0;
}

/* The one partition of disk mounted on this host and boot; NULL if none or several. */
static const char *mounted_partition(const struct correlator *c, const struct fsd_event *ev, const char *disk) {
        const char *found = NULL;
        for (size_t i = 0; i < c->n_devices; i++) {
                const struct device_info *d = &c->devices[i];
                if (!same_place(d->origin, d->host, d->boot, ev->origin, ev->host, ev->boot) ||
                    !devname_is_partition_of(d->device, disk))
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
                            devname_is_partition_of(inc->device, device))
                                found = inc;
                }
        }
        if (found && found->mount_failed && ev->kind != FSD_EV_MOUNT_FAILED) {
                /* a failed mount ended that episode: only its own teardown still belongs to it */
                bool timed = ev->mono_usec >= 0 && found->mount_failed_mono_usec >= 0;
                if ((timed && ev->mono_usec - found->mount_failed_mono_usec > MOUNT_ATTEMPT_TAIL_USEC) ||
                    (!timed && c->records - found->mount_failed_record > MOUNT_ATTEMPT_TAIL_RECORDS)) {
                        *ret_gap = true;
                        return found;
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

/* The device a filesystem of ev's type was last seen mounting (scanned) at ev's place, or NULL. */
static const char *last_mounted_device(const struct correlator *c, const struct fsd_event *ev) {
        const struct device_info *last = NULL;
        for (size_t i = 0; i < c->n_devices; i++) {
                const struct device_info *d = &c->devices[i];
                if (d->fs == ev->fs && same_place(d->origin, d->host, d->boot, ev->origin, ev->host, ev->boot) &&
                    (!last || d->record > last->record))
                        last = d;
        }
        return last ? last->device : NULL;
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
                    devname_is_partition_of(device, inc->device)) {
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
#define DEVICELESS_ADOPT_DEVICE_RECORDS 4
static struct incident *adopt_deviceless_incident(struct correlator *c, const struct fsd_event *ev, const char *device) {
        /* a device message naming none ("device-mapper: space map metadata: unable to allocate new
         * metadata block") right before one naming it ("device-mapper: thin: 253:2: metadata
         * operation ... failed"): one episode of that device, not one more on "(unknown)" */
        bool device_layer = ev->fs == FSD_FS_NONE && ev->layer == FSD_LAYER_DEVICE;
        if (!device || (ev->fs == FSD_FS_NONE && !device_layer))
                return NULL;
        uint64_t window = device_layer ? DEVICELESS_ADOPT_DEVICE_RECORDS : DEVICELESS_ADOPT_RECORDS;
        for (size_t i = c->n_open; i-- > 0;) {
                struct incident *inc = c->open[i];
                if (inc->device || inc->pub.fs != ev->fs || c->records - inc->last_record > window ||
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

static int incident_absorb_open(struct correlator *c, struct incident *inc, size_t i);

/* The device-less lines of a filesystem ("JBD2: recovery failed" before "EXT4-fs (sdb1): error
 * loading journal") opened their own episode, and the line naming the device went to an episode
 * that already had it (the disk's errors below): the device-less one is part of it. */
static int absorb_deviceless_incidents(struct correlator *c, struct incident *inc, const struct fsd_event *ev) {
        if (!inc->device || ev->fs == FSD_FS_NONE)
                return 0;
        for (size_t i = 0; i < c->n_open;) {
                struct incident *other = c->open[i];
                if (other == inc || other->device || other->pub.fs != ev->fs ||
                    c->records - other->last_record > DEVICELESS_ADOPT_RECORDS ||
                    !same_place(other->origin, other->host, other->pub.boot, inc->origin, inc->host, inc->pub.boot)) {
                        i++;
                        continue;
                }
                int r = incident_absorb_open(c, inc, i);
                if (r < 0)
                        return r;
        }
        return 0;
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
        if (event_significant(ev))
                inc->significant = true;
        if (ev->fs == FSD_FS_BTRFS && (ev->kind == FSD_EV_TRANSACTION_ABORT || ev->kind == FSD_EV_READ_ONLY))
                inc->btrfs_failed = true;
        if (ev->kind == FSD_EV_MOUNT_FAILED) {
                inc->mount_failed = true;
                inc->mount_failed_record = c->records;
                inc->mount_failed_mono_usec = ev->mono_usec;
        }
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
        if (ARRAY_RESERVE_ONE(inc->events, inc->cap_events, inc->n_events, 4) < 0)
                return -ENOMEM;
        /* the event keeps its own device name: it may be the disk of the incident's partition,
         * or jbd2's "loop0-8" */
        struct stored_event *se = &inc->events[inc->n_events];
        int r = stored_event_copy(ev, inc->origin, inc->host, se);
        if (r < 0)
                return r;
        se->seq = ++c->seq;
        inc->n_events++;
        inc->changed = true;     /* a new link in the chain; repeats folded above are only counted */
        return 0;
}

/* ---- devices below a stacked device ---- */

/* dm-N (LVM, dm-crypt, multipath), mdN, bcacheN, drbdN: the log never says which disks are below
 * it, so the disk's and the filesystem's incidents cannot be joined by name. */
static bool device_is_stacked(const char *dev) {
        return dev && (strncmp(dev, "dm-", 3) == 0 || strncmp(dev, "md", 2) == 0 || strncmp(dev, "bcache", 6) == 0 ||
                       strncmp(dev, "drbd", 4) == 0 || strncmp(dev, "mapper/", 7) == 0);
}

static bool all_digits(const char *s, size_t n) {
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (s[i] < '0' || s[i] > '9')
                        return false;
        return true;
}

/* "2:0:0:0": a SCSI device the message names by host:channel:target:lun only */
static bool device_is_scsi_hctl(const char *dev) {
        int fields = 0;
        for (const char *p = dev;; p++) {
                size_t n = strcspn(p, ":");
                if (!all_digits(p, n))
                        return false;
                fields++;
                p += n;
                if (!*p)
                        break;
        }
        return fields == 4;
}

/* "sdc", "sdc1", "sdaa2": a SCSI disk (SATA, SAS, USB, iSCSI, FC) or a partition of one */
static bool device_is_scsi_disk(const char *dev) {
        if (strncmp(dev, "sd", 2) != 0 || dev[2] < 'a' || dev[2] > 'z')
                return false;
        const char *p = dev + 2;
        while (*p >= 'a' && *p <= 'z')
                p++;
        return !*p || all_digits(p, strlen(p));
}

/* The controller, port, link or session a message names when it cannot name the block device
 * (drivers print these before any disk name exists): an NVMe controller "nvme0" is the controller
 * of the namespaces "nvme0n1..." (a fact of the naming, drivers/nvme/host/core.c); an ATA port
 * "ata3", a SCSI "2:0:0:0" or an iSCSI session may be below any SCSI disk "sdX" (an inference from
 * time alone; a SCSI address the filesystem's own chain ties to another disk is never taken). */
static bool transport_may_be_below(const char *lower, const struct incident *upper) {
        const char *up = upper->device;
        if (!lower || !up)
                return false;
        if (strncmp(lower, "nvme", 4) == 0 && all_digits(lower + 4, strlen(lower + 4))) {
                size_t n = strlen(lower);
                return strncmp(up, lower, n) == 0 && up[n] == 'n' && up[n + 1] >= '0' && up[n + 1] <= '9';
        }
        if (!device_is_scsi_disk(up))
                return false;
        if (strncmp(lower, "ata", 3) == 0 && all_digits(lower + 3, strlen(lower + 3)))
                return true;
        if (strncmp(lower, "iscsi session", 13) == 0)
                return true;
        if (!device_is_scsi_hctl(lower))
                return false;
        /* "sd 2:0:0:0: [sdc] ..." in the upper chain names its disk's SCSI address: another one is
         * another disk */
        bool own_address = false, other_address = false;
        for (size_t i = 0; i < upper->n_events; i++) {
                const char *d = upper->events[i].ev.detail;
                const char *s = d ? strstr(d, "scsi ") : NULL;
                if (!s)
                        continue;
                s += 5;
                size_t n = strcspn(s, "; ");
                if (n == strlen(lower) && strncmp(s, lower, n) == 0)
                        own_address = true;
                else
                        other_address = true;
        }
        return own_address || !other_address;
}

/* The member device a btrfs error-counter line names ("bdev sdf errs: ..." in the detail). */
static bool btrfs_dev_stats_member(const struct fsd_event *ev, char *buf, size_t size) {
        if (ev->kind != FSD_EV_DEV_STATS || ev->fs != FSD_FS_BTRFS || !ev->detail)
                return false;
        const char *b = strstr(ev->detail, "bdev ");
        if (!b)
                return false;
        b += 5;
        size_t n = strcspn(b, " ;");
        if (n == 0 || n >= size || (n == 8 && strncmp(b, "(efault)", 8) == 0))
                return false;
        memcpy(buf, b, n);
        buf[n] = 0;
        return true;
}

/* The filesystem's own message says a write or read to its devices failed. */
static bool event_is_fs_io_failure(const struct fsd_event *ev) {
        if (ev->fs == FSD_FS_NONE)
                return false;
        switch (ev->kind) {
        case FSD_EV_IO_ERROR:
        case FSD_EV_WRITE_ERROR:
        case FSD_EV_BUFFER_IO_ERROR:
        case FSD_EV_LOG_IO_ERROR:
        case FSD_EV_DEV_STATS:
                return true;
        case FSD_EV_FS_ERROR:
        case FSD_EV_TRANSACTION_ABORT:
        case FSD_EV_SHUTDOWN:
                return ev->error == -EIO;
        default:
                return false;
        }
}

/* A device-only episode (ATA link resets, SCSI timeouts, NVMe resets) that may lie below inc: same
 * host and boot, active within the quiet gap, and on a disk that no mount message ties to another
 * filesystem. */
static bool incident_may_lie_below(const struct correlator *c, const struct incident *lower,
                                   const struct incident *inc, const struct fsd_event *ev) {
        if (lower == inc || lower->pub.fs != FSD_FS_NONE || !lower->device || !lower->significant ||
            !same_place(lower->origin, lower->host, lower->pub.boot, inc->origin, inc->host, inc->pub.boot))
                return false;
        if (ev->mono_usec >= 0 && lower->last_mono_usec >= 0) {
                if (ev->mono_usec - lower->last_mono_usec > INCIDENT_QUIET_GAP_USEC)
                        return false;
        } else if (c->records - lower->last_record > INCIDENT_QUIET_GAP_RECORDS)
                return false;
        for (size_t i = 0; i < lower->n_events; i++)
                if (lower->events[i].ev.layer == FSD_LAYER_FS)
                        return false;
        for (size_t i = 0; i < c->n_devices; i++) {
                const struct device_info *d = &c->devices[i];
                if (same_place(d->origin, d->host, d->boot, inc->origin, inc->host, inc->pub.boot) &&
                    (str_eq(d->device, lower->device) || devname_is_partition_of(d->device, lower->device)))
                        return false;
        }
        return true;
}

/* Move lower's events and reports into inc; lower is left empty for incident_free(). */
static int incident_absorb(struct incident *inc, struct incident *lower) {
        if (inc->n_events + lower->n_events > inc->cap_events) {
                size_t cap = inc->n_events + lower->n_events;
                struct stored_event *n = realloc(inc->events, cap * sizeof *n);
                if (!n)
                        return -ENOMEM;
                inc->events = n;
                inc->cap_events = cap;
        }
        for (size_t i = 0; i < lower->n_events; i++) {
                struct stored_event *se = &inc->events[inc->n_events++];
                *se = lower->events[i];
                /* origin and host pointed into lower, which is freed: same place, inc's copies */
                se->ev.origin = inc->origin;
                se->ev.host = inc->host;
        }
        lower->n_events = 0;
        for (size_t i = 0; i < lower->n_reports; i++)
                if (inc->n_reports < INCIDENT_MAX_REPORTS)
                        inc->reports[inc->n_reports++] = TAKE_PTR(lower->reports[i]);
        inc->pub.id = MIN(inc->pub.id, lower->pub.id); /* ids stay in order of first event */
        inc->pub.n_messages += lower->pub.n_messages;
        inc->pub.n_suppressed += lower->pub.n_suppressed;
        inc->pub.n_merged += lower->pub.n_merged;
        if (str_eq(lower->origin, inc->origin)) {
                inc->pub.first_line = MIN(inc->pub.first_line, lower->pub.first_line);
                inc->pub.last_line = MAX(inc->pub.last_line, lower->pub.last_line);
        }
        if (lower->pub.start_mono_usec >= 0 &&
            (inc->pub.start_mono_usec < 0 || lower->pub.start_mono_usec < inc->pub.start_mono_usec))
                inc->pub.start_mono_usec = lower->pub.start_mono_usec;
        if (lower->pub.start_wall_usec >= 0 &&
            (inc->pub.start_wall_usec < 0 || lower->pub.start_wall_usec < inc->pub.start_wall_usec))
                inc->pub.start_wall_usec = lower->pub.start_wall_usec;
        inc->changed = true;
        return 0;
}

/* The open incident at index i is the failure below inc: absorb it and close it as such. */
static int incident_absorb_open(struct correlator *c, struct incident *inc, size_t i) {
        struct incident *lower = c->open[i];
        int r = incident_absorb(inc, lower);
        if (r < 0)
                return r;
        memmove(&c->open[i], &c->open[i + 1], (c->n_open - i - 1) * sizeof c->open[0]);
        c->n_open--;
        incident_free(lower);
        return 0;
}

/* A filesystem on a stacked device reports failed I/O: the device-only episodes just before it on
 * the same host are the failure below it (an inference: the events keep their own device names, and
 * a disk a mount message ties to another filesystem is never taken). */
static int adopt_lower_incidents(struct correlator *c, struct incident *inc, const struct fsd_event *ev) {
        if (!inc->device)
                return 0;
        /* "bdev /dev/sdf errs: ..." printed by btrfs on sde: sdf is a member of this filesystem,
         * by name, and its episode (the medium error btrfs just counted) is this one's lower layer */
        char member[64];
        if (btrfs_dev_stats_member(ev, member, sizeof member) && !str_eq(member, inc->device)) {
                for (size_t i = 0; i < c->n_open;) {
                        struct incident *lower = c->open[i];
                        if (lower == inc || lower->pub.fs != FSD_FS_NONE || !lower->device ||
                            !same_place(lower->origin, lower->host, lower->pub.boot, inc->origin, inc->host, inc->pub.boot) ||
                            (!str_eq(lower->device, member) && !devname_is_partition_of(member, lower->device))) {
                                i++;
                                continue;
                        }
                        fsd_debug("incident on %s: member %s's episode taken as the failure below it", inc->device, member);
                        int r = incident_absorb_open(c, inc, i);
                        if (r < 0)
                                return r;
                }
        }
        bool fs_failed = event_is_fs_io_failure(ev);
        /* a request error on the disk itself ("I/O error, dev nvme0n1"): its controller's or
         * port's episode is below it even before a filesystem says anything */
        bool disk_failed = ev->fs == FSD_FS_NONE && ev->layer == FSD_LAYER_BLOCK;
        if (!fs_failed && !disk_failed)
                return 0;
        bool stacked = device_is_stacked(inc->device);
        if (stacked && !fs_failed)
                return 0;
        for (size_t i = 0; i < c->n_open;) {
                struct incident *lower = c->open[i];
                if ((!stacked && !transport_may_be_below(lower->device, inc)) ||
                    !incident_may_lie_below(c, lower, inc, ev)) {
                        i++;
                        continue;
                }
                fsd_debug("incident on %s: device episode on %s taken as the failure below it", inc->device,
                          lower->device);
                int r = incident_absorb_open(c, inc, i);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A device message after its episode was taken into the filesystem's incident above it. */
static struct incident *find_upper_incident(struct correlator *c, const struct fsd_event *ev, const char *device) {
        if (!device || ev->fs != FSD_FS_NONE || ev->layer == FSD_LAYER_FS)
                return NULL;
        for (size_t i = c->n_open; i-- > 0;) {
                struct incident *inc = c->open[i];
                if (inc->pub.fs == FSD_FS_NONE || (!device_is_stacked(inc->device) && !transport_may_be_below(device, inc)) ||
                    !same_place(inc->origin, inc->host, inc->pub.boot, ev->origin, ev->host, ev->boot))
                        continue;
                for (size_t j = 0; j < inc->n_events; j++) {
                        const char *d = inc->events[j].ev.device;
                        if (inc->events[j].ev.fs == FSD_FS_NONE && d && incident_device_base_len(d) == strlen(device) &&
                            strncmp(d, device, strlen(device)) == 0)
                                return inc;
                }
        }
        return NULL;
}

/* A btrfs corruption message names the tree of the block ("corrupt leaf: root=N") or follows a
 * leaf dump of its device: the tree goes into the event's detail by name. For a failed
 * back-reference lookup right after the dump, so does a reference of that extent one bit away
 * from the one looked for. */
#define LEAF_DUMP_NEAR_RECORDS 8
static const struct fsd_event *read_against_leaf(const struct correlator *c, const struct fsd_event *ev,
                                                 struct fsd_event *copy, char *buf, size_t size) {
        if (ev->fs != FSD_FS_BTRFS || ev->kind != FSD_EV_CORRUPTION || !ev->device || !ev->text)
                return ev;
        bool near_dump = c->leaf_origin && c->records - c->leaf_record <= LEAF_DUMP_NEAR_RECORDS &&
                         str_eq(c->leaf_origin, ev->origin ? ev->origin : "") && strcmp(c->leaf.device, ev->device) == 0;
        char flip[96] = "", tree[64] = "";
        if (near_dump)
                btrfs_leaf_ref_flip(&c->leaf, ev->text, strlen(ev->text), flip, sizeof flip);
        const char *root = strstr(ev->text, " root=");
        uint64_t owner;
        if (root && (root += 6, scan_u64(&root, root + strlen(root), &owner)) && btrfs_tree_name(owner))
                snprintf(tree, sizeof tree, "root %llu (%s)", (unsigned long long) owner, btrfs_tree_name(owner));
        else if (near_dump && c->leaf.have_owner && btrfs_tree_name(c->leaf.owner))
                snprintf(tree, sizeof tree, "leaf owner %llu (%s)", (unsigned long long) c->leaf.owner,
                         btrfs_tree_name(c->leaf.owner));
        if (!flip[0] && !tree[0])
                return ev;
        snprintf(buf, size, "%s%s%s%s%s", ev->detail ? ev->detail : "", ev->detail && *ev->detail ? "; " : "", flip,
                 flip[0] && tree[0] ? "; " : "", tree);
        *copy = *ev;
        copy->detail = buf;
        return copy;
}

int correlator_add_event(struct correlator *c, const struct fsd_event *ev_in) {
        if (!c || !ev_in)
                return -EINVAL;
        int r;
        struct fsd_event enriched;
        char detail[256];
        const struct fsd_event *ev = read_against_leaf(c, ev_in, &enriched, detail, sizeof detail);
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
                r = correlator_close_where(c, pred_same_device, &pd);
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

        if (ev->kind == FSD_EV_MOUNT_FAILED && !device) {
                /* 3.x-4.x "btrfs: open_ctree failed" names no device: the episode of its filesystem
                 * (below), else the device last scanned for a mount, never an incident on
                 * "(unknown)" while the log says which device was being mounted */
                bool open = false;
                for (size_t i = 0; i < c->n_open && !open; i++)
                        open = c->open[i]->pub.fs == ev->fs &&
                               same_place(c->open[i]->origin, c->open[i]->host, c->open[i]->pub.boot, ev->origin, ev->host, ev->boot);
                const char *last = open ? NULL : last_mounted_device(c, ev);
                if (last) {
                        size_t n = MIN(strlen(last), sizeof devbuf - 1);
                        memcpy(devbuf, last, n);
                        devbuf[n] = 0;
                        device = devbuf;
                }
        }

        bool gap;
        struct incident *inc = find_incident(c, ev, device, &gap);
        if (inc && gap) {
                for (size_t i = 0; i < c->n_open; i++)
                        if (c->open[i] == inc) {
                                r = correlator_close_at(c, i);
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
        if (!inc)
                inc = find_upper_incident(c, ev, device);
        if (!inc) {
                /* context that opens an episode: it is kept if something significant follows */
                if (!event_significant(ev) && ev->kind != FSD_EV_DEVICE_RESET &&
                    ev->kind != FSD_EV_RELOCATION && ev->kind != FSD_EV_SCRUB &&
                    ev->kind != FSD_EV_LOG_RECOVERY && !event_is_context(ev))
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
                r = correlator_add_open(c, inc);
                if (r < 0)
                        return r;
        }
        r = incident_add_event(c, inc, ev);
        if (r < 0)
                return r;
        r = absorb_deviceless_incidents(c, inc, ev);
        if (r < 0)
                return r;
        r = adopt_lower_incidents(c, inc, ev);
        if (r < 0)
                return r;
        correlator_adopt_pending(c, inc, ev);
        return 0;
}
