/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The correlator's own state, shared by its three files: incident.c (the incident object: building,
 * publishing, closing), incident-report.c (which incident a kernel report belongs to) and
 * incident-correlate.c (records and events: which episode a message belongs to). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "incident.h"
#include "basic/cleanup.h"
#include "btrfs-leaf.h"
#include "btrfs-paste.h"

#define REPORT_NEAR_LINES 200             /* a report this close to an event may belong to it */
#define REPORT_NEAR_USEC (INT64_C(60) * 1000000)
#define REPORT_MATCH_LINES 2000           /* ... and this close when function and line agree */
#define REPORT_MATCH_USEC (INT64_C(600) * 1000000)

struct stored_event {
        struct fsd_event ev;               /* strings point into block */
        char *block;
        uint64_t seq;                      /* arrival order, ties the causal sort */
};

struct incident {
        struct fsd_incident pub;
        char *origin, *host, *device, *fs_uuid, *kernel, *comm;
        char *device_path;                 /* "/dev/mapper/NAME" for dm-N, once known */
        char *mount_point;                 /* where the running system mounts it (live log only) */
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
        /* the mount failed: what the same attempt prints right after still belongs here; anything
         * else later on the device is another attempt, another episode */
        bool mount_failed;
        uint64_t mount_failed_record;
        int64_t mount_failed_mono_usec;
        bool changed;                      /* gained a distinct event or a report since the last flush */
};

struct device_info {                       /* what a mount message told us about a device */
        char *origin, *host, *device, *fs_uuid;
        int dm_minor;                      /* "mapper/NAME" scanned as (MAJ:MIN): it is dm-MIN; -1 unknown */
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
        /* btrfs-progs output pasted into the input, and the input it came from */
        struct btrfs_paste paste;
        char *paste_origin;
        /* the last btrfs leaf dump, the record it ended on and its input: the message printed
         * right after it (a failed back-reference lookup, a key-order error) is read against it */
        struct btrfs_leaf_dump leaf;
        uint64_t leaf_record;
        char *leaf_origin;
        /* the host/boot of the last record, to notice reboots */
        char *last_origin, *last_host;
        size_t last_origin_cap, last_host_cap; /* 0 while the string is NULL */
        uint32_t last_boot;
        bool have_last;
};

/* ---- small helpers ---- */

static inline bool str_eq(const char *a, const char *b) {
        if (a == b)
                return true;
        if (!a || !b)
                return false;
        return strcmp(a, b) == 0;
}

/* Copy s into a reusable buffer (*buf stays NULL for a NULL s, as str_eq() expects). */
static inline int str_keep(char **buf, size_t *cap, const char *s) {
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

static inline int str_dup_opt(const char *s, char **ret) {
        if (!s) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

static inline bool same_place(const char *origin_a, const char *host_a, uint32_t boot_a,
                       const char *origin_b, const char *host_b, uint32_t boot_b) {
        /* a line pasted without its host ("kernel: ...") is not evidence of another host */
        return boot_a == boot_b && (!host_a || !host_b || str_eq(host_a, host_b)) && str_eq(origin_a, origin_b);
}

/* incident.c */
int stored_event_copy(const struct fsd_event *src, const char *origin, const char *host, struct stored_event *dst);
struct incident *incident_free(struct incident *inc);
int incident_new(struct correlator *c, const struct fsd_event *ev, const char *device, struct incident **ret);
const struct device_info *correlator_device_find(const struct correlator *c, const char *origin, const char *host,
                                                 uint32_t boot, const char *device);
void device_info_done(struct device_info *d);
void memory_error_done(struct memory_error *me);
int correlator_close_at(struct correlator *c, size_t i);
/* Close every open incident matching pred, oldest id first (open[] is in creation order). */
int correlator_close_where(struct correlator *c,
                           bool (*pred)(const struct correlator *, const struct incident *, const void *),
                           const void *arg);
/* Add to the open set; at the cap the least recently active incident is closed first. */
int correlator_add_open(struct correlator *c, struct incident *inc);

/* incident-report.c */
/* The event names the very place the report was printed (function and source line agree). */
bool incident_report_matches_event(const struct fsd_report *r, const struct fsd_event *ev);
/* Pending reports that fit the incident ev just went to move into it. */
void correlator_adopt_pending(struct correlator *c, struct incident *inc, const struct fsd_event *ev);
