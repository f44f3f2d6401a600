/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The correlator on synthetic events and reports: grouping, folding, ordering, attachment, caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "diag/incident.h"

#define MAX_SEEN 512

/* What the emit callback saw, copied out of the borrowed incident. */
struct seen {
        uint32_t id;
        enum fsd_fs_type fs;
        char device[32], host[32], kernel[64], comm[32], uuid[40];
        int pid;
        uint32_t boot;
        size_t n_events, n_reports;
        enum fsd_event_kind kinds[INCIDENT_MAX_EVENTS + _FSD_EV_MAX];
        uint64_t counts[INCIDENT_MAX_EVENTS + _FSD_EV_MAX], first[INCIDENT_MAX_EVENTS + _FSD_EV_MAX],
                last[INCIDENT_MAX_EVENTS + _FSD_EV_MAX];
        uint64_t messages, suppressed, merged, first_line, last_line;
        bool read_only, shutdown, aborted, mount_failed, panicked;
};

static struct seen seen[MAX_SEEN];
static size_t n_seen;

static void copy_str(char *dst, size_t n, const char *s) {
        snprintf(dst, n, "%s", s ? s : "");
}

static int collect(struct fsd_incident *inc, void *userdata) {
        assert_true(n_seen < MAX_SEEN);
        struct seen *s = &seen[n_seen++];
        memset(s, 0, sizeof *s);
        s->id = inc->id;
        s->fs = inc->fs;
        copy_str(s->device, sizeof s->device, inc->device);
        copy_str(s->host, sizeof s->host, inc->host);
        copy_str(s->kernel, sizeof s->kernel, inc->kernel);
        copy_str(s->comm, sizeof s->comm, inc->comm);
        copy_str(s->uuid, sizeof s->uuid, inc->fs_uuid);
        s->pid = inc->pid;
        s->boot = inc->boot;
        s->n_events = inc->n_events;
        s->n_reports = inc->n_reports;
        assert_true(inc->n_events <= INCIDENT_MAX_EVENTS + _FSD_EV_MAX);
        for (size_t i = 0; i < inc->n_events; i++) {
                s->kinds[i] = inc->events[i].kind;
                s->counts[i] = inc->events[i].count;
                s->first[i] = inc->events[i].line;
                s->last[i] = inc->events[i].last_line;
        }
        s->messages = inc->n_messages;
        s->suppressed = inc->n_suppressed;
        s->merged = inc->n_merged;
        s->first_line = inc->first_line;
        s->last_line = inc->last_line;
        s->read_only = inc->read_only;
        s->shutdown = inc->shutdown;
        s->aborted = inc->aborted;
        s->mount_failed = inc->mount_failed;
        s->panicked = inc->panicked;
        return 0;
}

static struct correlator *c;
static uint64_t line_no;

static int setup(void **state) {
        n_seen = 0;
        line_no = 0;
        assert_int_equal(correlator_new(collect, NULL, &c), 0);
        return 0;
}

static int teardown(void **state) {
        c = correlator_free(c);
        return 0;
}

static struct fsd_record record(const char *host, uint32_t boot, int64_t mono, const char *text) {
        return (struct fsd_record) {
                .text = text, .len = strlen(text), .origin = "test.log", .host = host, .line = ++line_no,
                .mono_usec = mono, .wall_usec = -1, .boot = boot, .priority = -1,
        };
}

/* Feed one record carrying one event. */
static void feed(const char *host, uint32_t boot, int64_t mono, enum fsd_event_kind kind, enum fsd_fs_type fs,
                 const char *device, const char *function, int src_line, int error) {
        char text[256];
        snprintf(text, sizeof text, "%s %s %s", fsd_fs_type_name(fs), device ? device : "-", function ? function : "-");
        struct fsd_record rec = record(host, boot, mono, text);
        assert_int_equal(correlator_note_record(c, &rec), 0);
        struct fsd_event ev = {
                .kind = kind, .fs = fs, .device = device, .function = function, .src_line = src_line,
                .error = error, .sector = UINT64_MAX, .count = 1, .text = text, .origin = rec.origin,
                .host = host, .boot = boot, .line = rec.line, .mono_usec = mono, .wall_usec = -1,
                .layer = fs == FSD_FS_NONE ? FSD_LAYER_BLOCK : FSD_LAYER_FS,
        };
        assert_int_equal(correlator_add_event(c, &ev), 0);
}

static void plain(const char *host, uint32_t boot, int64_t mono, const char *text) {
        struct fsd_record rec = record(host, boot, mono, text);
        assert_int_equal(correlator_note_record(c, &rec), 0);
}

static void test_storm_is_one_incident(void **state) {
        for (int i = 0; i < 10000; i++)
                feed("h", 0, 1000000 + i * 1000, FSD_EV_IO_ERROR, FSD_FS_NONE, "sdb", NULL, 0, -5);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_int_equal(seen[0].n_events, 1);
        assert_int_equal(seen[0].counts[0], 10000);
        assert_int_equal(seen[0].first[0], 1);
        assert_int_equal(seen[0].last[0], 10000);
        assert_int_equal(seen[0].messages, 10000);
        assert_string_equal(seen[0].device, "sdb");
        assert_int_equal(seen[0].fs, FSD_FS_NONE);
}

static void test_block_then_fs_one_chain(void **state) {
        /* the btrfs lab: mount, backing store full, commit error, read-only, abort (printed last) */
        struct fsd_record rec = record(NULL, 0, 100, "BTRFS info (device loop0): first mount of filesystem "
                                                     "fdf252f4-2e6e-431d-a4f6-6ffcfe076b0d");
        assert_int_equal(correlator_note_record(c, &rec), 0);
        struct fsd_event mount = { .kind = FSD_EV_MOUNT, .fs = FSD_FS_BTRFS, .device = "loop0", .text = rec.text,
                                   .origin = rec.origin, .line = rec.line, .mono_usec = 100, .wall_usec = -1, .count = 1 };
        assert_int_equal(correlator_add_event(c, &mount), 0);
        for (int i = 0; i < 10; i++)
                feed(NULL, 0, 200 + i, FSD_EV_SPACE_ALLOC_ERROR, FSD_FS_NONE, "loop0", NULL, 0, 0);
        feed(NULL, 0, 300, FSD_EV_FS_ERROR, FSD_FS_BTRFS, "loop0", "btrfs_commit_transaction", 2546, -5);
        feed(NULL, 0, 301, FSD_EV_READ_ONLY, FSD_FS_BTRFS, "loop0", NULL, 0, 0);
        feed(NULL, 0, 302, FSD_EV_COMMIT_SKIPPED, FSD_FS_BTRFS, "loop0", NULL, 0, 0);
        feed(NULL, 0, 303, FSD_EV_TRANSACTION_ABORT, FSD_FS_BTRFS, "loop0", NULL, 0, -5);
        feed(NULL, 0, 304, FSD_EV_FS_ERROR, FSD_FS_BTRFS, "loop0", "cleanup_transaction", 2038, -5);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        struct seen *s = &seen[0];
        assert_int_equal(s->fs, FSD_FS_BTRFS);
        assert_string_equal(s->uuid, "fdf252f4-2e6e-431d-a4f6-6ffcfe076b0d");
        assert_true(s->read_only);
        assert_true(s->aborted);
        assert_int_equal(s->n_events, 6);
        /* cause first: storage, then the filesystem's messages in the order it printed them: the
         * commit error, read-only, and the second abort one caller up after it */
        assert_int_equal(s->kinds[0], FSD_EV_SPACE_ALLOC_ERROR);
        assert_int_equal(s->counts[0], 10);
        assert_int_equal(s->kinds[1], FSD_EV_FS_ERROR);
        assert_int_equal(s->first[1], 12);
        assert_int_equal(s->kinds[2], FSD_EV_READ_ONLY);
        assert_int_equal(s->kinds[3], FSD_EV_COMMIT_SKIPPED);
        assert_int_equal(s->kinds[4], FSD_EV_TRANSACTION_ABORT);
        assert_int_equal(s->kinds[5], FSD_EV_FS_ERROR);
        assert_int_equal(s->first[5], 16);
        assert_int_equal(s->first_line, 2);
        assert_int_equal(s->last_line, 16);
}

static void test_mount_splits_episodes(void **state) {
        feed("h", 0, 1000, FSD_EV_FS_ERROR, FSD_FS_EXT4, "sda1", "ext4_foo", 10, -5);
        feed("h", 0, 2000, FSD_EV_MOUNT, FSD_FS_EXT4, "sda1", NULL, 0, 0);
        feed("h", 0, 3000, FSD_EV_FS_ERROR, FSD_FS_EXT4, "sda1", "ext4_foo", 10, -5);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 2);
        assert_int_equal(seen[0].id, 1);
        assert_int_equal(seen[1].id, 2);
        assert_int_equal(seen[1].first_line, 3);
}

static void test_hosts_boots_devices_apart(void **state) {
        feed("a", 0, 1000, FSD_EV_FS_ERROR, FSD_FS_XFS, "sdb", "xfs_x", 1, -5);
        feed("b", 0, 1000, FSD_EV_FS_ERROR, FSD_FS_XFS, "sdb", "xfs_x", 1, -5);
        feed("a", 0, 1001, FSD_EV_FS_ERROR, FSD_FS_XFS, "sdc", "xfs_x", 1, -5);
        feed("a", 0, 1002, FSD_EV_FS_ERROR, FSD_FS_XFS, "sdb", "xfs_x", 1, -5);
        feed("a", 1, 500, FSD_EV_FS_ERROR, FSD_FS_XFS, "sdb", "xfs_x", 1, -5);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 4);
        /* the reboot of host a closed its boot-0 incidents first, in id order */
        assert_int_equal(seen[0].id, 1);
        assert_int_equal(seen[0].counts[0], 2);
        assert_string_equal(seen[0].host, "a");
        assert_int_equal(seen[1].id, 3);
        assert_string_equal(seen[1].device, "sdc");
        assert_int_equal(seen[2].id, 2);
        assert_string_equal(seen[2].host, "b");
        assert_int_equal(seen[3].id, 4);
        assert_int_equal(seen[3].boot, 1);
}

static void test_quiet_gap_splits(void **state) {
        feed("h", 0, 1000000, FSD_EV_IO_ERROR, FSD_FS_NONE, "sdb", NULL, 0, -5);
        feed("h", 0, 1000000 + INCIDENT_QUIET_GAP_USEC + 1, FSD_EV_IO_ERROR, FSD_FS_NONE, "sdb", NULL, 0, -5);
        feed("h", 0, 1000000 + INCIDENT_QUIET_GAP_USEC + 2, FSD_EV_IO_ERROR, FSD_FS_NONE, "sdb", NULL, 0, -5);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 2);
        assert_int_equal(seen[0].counts[0], 1);
        assert_int_equal(seen[1].counts[0], 2);
}

static void test_not_significant(void **state) {
        feed("h", 0, 1, FSD_EV_MOUNT, FSD_FS_EXT4, "sda1", NULL, 0, 0);
        feed("h", 0, 2, FSD_EV_DEVICE_RESET, FSD_FS_NONE, "ata1", NULL, 0, 0);
        feed("h", 0, 3, FSD_EV_UNMOUNT, FSD_FS_EXT4, "sda1", NULL, 0, 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 0);
}

static void test_open_cap(void **state) {
        char dev[32];
        for (int i = 0; i < 300; i++) {
                snprintf(dev, sizeof dev, "dm-%d", i);
                feed("h", 0, 1000 + i, FSD_EV_IO_ERROR, FSD_FS_NONE, dev, NULL, 0, -5);
        }
        /* 44 were closed early to make room; nothing is lost */
        assert_int_equal(n_seen, 300 - INCIDENT_MAX_OPEN);
        assert_int_equal(seen[0].id, 1);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 300);
        assert_int_equal(seen[299].id, 300);
}

static void test_event_cap_keeps_outcome(void **state) {
        char fn[32];
        for (int i = 0; i < 200; i++) {
                snprintf(fn, sizeof fn, "btrfs_f%d", i);
                feed("h", 0, 1000 + i, FSD_EV_FS_ERROR, FSD_FS_BTRFS, "sdb", fn, i, -5);
        }
        feed("h", 0, 5000, FSD_EV_READ_ONLY, FSD_FS_BTRFS, "sdb", NULL, 0, 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_int_equal(seen[0].n_events, INCIDENT_MAX_EVENTS + 1);
        assert_true(seen[0].read_only);
        assert_int_equal(seen[0].kinds[INCIDENT_MAX_EVENTS], FSD_EV_READ_ONLY);
        assert_int_equal(seen[0].messages, 201);
        /* the 136 errors past the cap were merged, none lost */
        assert_int_equal(seen[0].merged, 200 - INCIDENT_MAX_EVENTS);
        uint64_t total = 0;
        for (size_t i = 0; i < seen[0].n_events; i++)
                total += seen[0].counts[i];
        assert_int_equal(total, 201);
}

static void test_partition_inference(void **state) {
        feed("h", 0, 1000, FSD_EV_IO_ERROR, FSD_FS_NONE, "sda", NULL, 0, -5);
        feed("h", 0, 1001, FSD_EV_FS_ERROR, FSD_FS_EXT4, "sda1", "ext4_x", 1, -5);
        feed("h", 0, 1002, FSD_EV_IO_ERROR, FSD_FS_NONE, "sda", NULL, 0, -5);
        feed("h", 0, 1003, FSD_EV_TRANSACTION_ABORT, FSD_FS_EXT4, "sda1-8", NULL, 0, -5);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_string_equal(seen[0].device, "sda1");
        assert_int_equal(seen[0].fs, FSD_FS_EXT4);
        assert_int_equal(seen[0].kinds[0], FSD_EV_IO_ERROR);
        assert_int_equal(seen[0].counts[0], 2);
        /* an ext4 journal abort refuses every write from then on */
        assert_true(seen[0].aborted);
        assert_true(seen[0].read_only);
}

static void test_disk_errors_go_to_mounted_partition(void **state) {
        feed("h", 0, 1, FSD_EV_MOUNT, FSD_FS_EXT4, "sdb1", NULL, 0, 0);
        feed("h", 0, 2, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sdb", NULL, 0, 0);
        feed("h", 0, 3, FSD_EV_IO_ERROR, FSD_FS_NONE, "sdb", NULL, 0, -5);
        feed("h", 0, 4, FSD_EV_BUFFER_IO_ERROR, FSD_FS_NONE, "sdb1", NULL, 0, 0);
        feed("h", 0, 5, FSD_EV_READ_ONLY, FSD_FS_EXT4, "sdb1", NULL, 0, 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_string_equal(seen[0].device, "sdb1");
        assert_int_equal(seen[0].fs, FSD_FS_EXT4);
        assert_int_equal(seen[0].n_events, 4);
        assert_int_equal(seen[0].kinds[0], FSD_EV_DEVICE_ERROR);
        assert_int_equal(seen[0].kinds[3], FSD_EV_READ_ONLY);
}

/* One record carrying one event with a detail (the parsers' "scsi 2:0:0:0", "bdev sdf errs: ..."). */
static void feed_detail(int64_t mono, enum fsd_event_kind kind, enum fsd_fs_type fs, const char *device,
                        const char *detail, int error) {
        char text[256];
        snprintf(text, sizeof text, "%s %s %s", fsd_fs_type_name(fs), device ? device : "-", detail ? detail : "-");
        struct fsd_record rec = record("h", 0, mono, text);
        assert_int_equal(correlator_note_record(c, &rec), 0);
        struct fsd_event ev = {
                .kind = kind, .fs = fs, .device = device, .detail = detail, .error = error, .sector = UINT64_MAX,
                .count = 1, .text = text, .origin = rec.origin, .host = "h", .line = rec.line, .mono_usec = mono,
                .wall_usec = -1, .layer = fs != FSD_FS_NONE ? FSD_LAYER_FS : kind == FSD_EV_IO_ERROR ? FSD_LAYER_BLOCK : FSD_LAYER_DEVICE,
        };
        assert_int_equal(correlator_add_event(c, &ev), 0);
}

static void test_controller_below_namespace(void **state) {
        /* nvme0's reset is below nvme0n1p3; nvme1's, at the same time, is not */
        feed_detail(1000, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "nvme1", NULL, -19);
        feed_detail(1001, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "nvme0", NULL, -19);
        feed_detail(1002, FSD_EV_IO_ERROR, FSD_FS_NONE, "nvme0n1", NULL, -5);
        feed_detail(1003, FSD_EV_FS_ERROR, FSD_FS_BTRFS, "nvme0n1p3", NULL, -5);
        feed_detail(1004, FSD_EV_DEVICE_RESET, FSD_FS_NONE, "nvme0", "after", 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 2);
        assert_string_equal(seen[0].device, "nvme1");
        assert_int_equal(seen[0].n_events, 1);
        assert_string_equal(seen[1].device, "nvme0n1p3");
        assert_int_equal(seen[1].fs, FSD_FS_BTRFS);
        assert_int_equal(seen[1].n_events, 4);
        assert_int_equal(seen[1].kinds[0], FSD_EV_DEVICE_OFFLINE);
}

static void test_scsi_address_of_other_disk_not_taken(void **state) {
        /* sdc's chain names its SCSI address 2:0:0:0: the offlined 4:0:0:0 is another disk; the
         * ATA port's episode may be sdc's */
        feed_detail(1000, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "4:0:0:0", NULL, -19);
        feed_detail(1001, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "ata3", NULL, -5);
        feed_detail(1002, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sdc", "scsi 2:0:0:0", -5);
        feed_detail(1003, FSD_EV_IO_ERROR, FSD_FS_NONE, "sdc", NULL, -5);
        feed_detail(1004, FSD_EV_FS_ERROR, FSD_FS_BTRFS, "sdc1", NULL, -5);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 2);
        assert_string_equal(seen[0].device, "4:0:0:0");
        assert_string_equal(seen[1].device, "sdc1");
        assert_int_equal(seen[1].n_events, 4);
}

static void test_btrfs_member_by_name(void **state) {
        /* btrfs on sde counts an error against its member sdf: sdf's episode is its lower layer,
         * even with no I/O failure of sde's own; sdg's is not */
        feed_detail(1000, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sdg", NULL, -61);
        feed_detail(1001, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sdf", NULL, -61);
        feed_detail(1002, FSD_EV_DEV_STATS, FSD_FS_BTRFS, "sde", "bdev sdf errs: wr 0, rd 1, flush 0, corrupt 0, gen 0", 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 2);
        assert_string_equal(seen[0].device, "sdg");
        assert_string_equal(seen[1].device, "sde");
        assert_int_equal(seen[1].n_events, 2);
}

static void test_deviceless_device_line_joins_next(void **state) {
        feed_detail(1000, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, NULL, "metadata", -28);
        feed_detail(1001, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, "dm-2", "metadata", -28);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_string_equal(seen[0].device, "dm-2");
}

static void test_suppressed(void **state) {
        struct fsd_record rec = record("h", 0, 10, "blk_print_req_error: 152 callbacks suppressed");
        assert_int_equal(correlator_note_record(c, &rec), 0);
        struct fsd_event sup = { .kind = FSD_EV_SUPPRESSED, .count = 152, .text = rec.text, .origin = rec.origin,
                                 .host = "h", .line = rec.line, .mono_usec = 10, .wall_usec = -1 };
        assert_int_equal(correlator_add_event(c, &sup), 0);
        feed("h", 0, 11, FSD_EV_SPACE_ALLOC_ERROR, FSD_FS_NONE, "loop0", NULL, 0, 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_int_equal(seen[0].suppressed, 152);
}

static struct fsd_report seed_warning(uint64_t first, uint64_t last) {
        static const struct fsd_frame frames[] = {
                { .func = "__btrfs_run_delayed_refs", .module = "btrfs" },
                { .func = "btrfs_run_delayed_refs", .module = "btrfs" },
        };
        return (struct fsd_report) {
                .type = FSD_REPORT_WARNING, .title = "WARNING in __btrfs_free_extent",
                .rip = "0010:__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]",
                .src_file = "fs/btrfs/extent-tree.c", .src_line = 6805, .cpu = 42, .pid = 460094,
                .comm = "httpWorkerThrea", .kernel = "4.19.90-17.ky10.x86_64", .frames = frames, .n_frames = 2,
                .origin = "test.log", .host = "h", .first_line = first, .last_line = last,
                .mono_usec = 5, .wall_usec = -1,
        };
}

static void test_report_attached_by_place(void **state) {
        for (int i = 0; i < 36; i++)
                plain("h", 0, 5, "trace line");
        struct fsd_report w = seed_warning(1, 36);
        assert_int_equal(correlator_add_report(c, &w), 0);
        feed("h", 0, 6, FSD_EV_FS_ERROR, FSD_FS_BTRFS, "dm-9", "__btrfs_free_extent", 6805, -28);
        feed("h", 0, 7, FSD_EV_READ_ONLY, FSD_FS_BTRFS, "dm-9", NULL, 0, 0);
        feed("h", 0, 8, FSD_EV_FS_ERROR, FSD_FS_BTRFS, "dm-9", "btrfs_run_delayed_refs", 2935, -28);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        struct seen *s = &seen[0];
        assert_int_equal(s->n_reports, 1);
        assert_string_equal(s->comm, "httpWorkerThrea");
        assert_int_equal(s->pid, 460094);
        assert_string_equal(s->kernel, "4.19.90-17.ky10.x86_64");
        assert_true(s->aborted);   /* the abort's WARNING sits where the error says */
        assert_true(s->read_only);
        assert_int_equal(s->first_line, 1);
        assert_int_equal(s->last_line, 39);
        /* the seed's order: the error, "forced readonly", then the same error one caller up */
        assert_int_equal(s->kinds[0], FSD_EV_FS_ERROR);
        assert_int_equal(s->first[0], 37);
        assert_int_equal(s->kinds[1], FSD_EV_READ_ONLY);
        assert_int_equal(s->first[1], 38);
        assert_int_equal(s->kinds[2], FSD_EV_FS_ERROR);
        assert_int_equal(s->first[2], 39);
}

static void test_memory_errors_linked_to_corruption(void **state) {
        /* an EDAC error before, the corruption, another EDAC error after; an I/O-error incident on
         * the same host and a corruption on another boot get none */
        feed("h", 0, 1000, FSD_EV_MEMORY_ERROR, FSD_FS_NONE, "MC0", NULL, 0, 0);
        feed("h", 0, 1000, FSD_EV_MEMORY_ERROR, FSD_FS_NONE, "MC0", NULL, 0, 0);
        feed("h", 0, 2000, FSD_EV_CORRUPTION, FSD_FS_BTRFS, "sdb", NULL, 0, 0);
        feed("h", 0, 2001, FSD_EV_READ_ONLY, FSD_FS_BTRFS, "sdb", NULL, 0, 0);
        feed("h", 0, 2002, FSD_EV_FS_ERROR, FSD_FS_EXT4, "sdc1", "ext4_foo", 1, -5);
        feed("h", 0, 3000, FSD_EV_MEMORY_ERROR, FSD_FS_NONE, "MC1", NULL, 0, 0);
        feed("h", 1, 5000, FSD_EV_TRANSID_ERROR, FSD_FS_BTRFS, "sdb", NULL, 0, 0);
        assert_int_equal(correlator_finish(c), 0);
        /* boot 0: MC0, sdb, sdc1, MC1; the reboot closed them before boot 1's sdb */
        assert_int_equal(n_seen, 5);
        const struct seen *mem = &seen[0], *btrfs = NULL, *ext4 = NULL, *later = &seen[4];
        for (size_t i = 0; i < n_seen; i++) {
                if (seen[i].fs == FSD_FS_BTRFS && seen[i].boot == 0)
                        btrfs = &seen[i];
                if (seen[i].fs == FSD_FS_EXT4)
                        ext4 = &seen[i];
        }
        assert_string_equal(mem->device, "MC0");
        assert_int_equal(mem->n_events, 1);
        assert_non_null(btrfs);
        assert_non_null(ext4);
        /* both memory errors lead the chain, folded repeats kept; the incident's span is its own */
        assert_int_equal(btrfs->n_events, 4);
        assert_int_equal(btrfs->kinds[0], FSD_EV_MEMORY_ERROR);
        assert_int_equal(btrfs->counts[0], 2);
        assert_int_equal(btrfs->first[0], 1);
        assert_int_equal(btrfs->last[0], 2);
        assert_int_equal(btrfs->kinds[1], FSD_EV_MEMORY_ERROR);
        assert_int_equal(btrfs->first[1], 6);
        assert_int_equal(btrfs->kinds[2], FSD_EV_CORRUPTION);
        assert_int_equal(btrfs->kinds[3], FSD_EV_READ_ONLY);
        assert_int_equal(btrfs->first_line, 3);
        assert_int_equal(btrfs->last_line, 4);
        assert_int_equal(ext4->n_events, 1);
        assert_int_equal(later->boot, 1);
        assert_int_equal(later->n_events, 1);
        assert_int_equal(later->kinds[0], FSD_EV_TRANSID_ERROR);
}

static void test_memory_error_cap(void **state) {
        /* distinct memory errors beyond the cap: only the newest are kept and linked */
        char dev[16];
        for (int i = 0; i < INCIDENT_MAX_MEMORY_ERRORS + 5; i++) {
                snprintf(dev, sizeof dev, "MC%d", i);
                feed("h", 0, 1000 + i, FSD_EV_MEMORY_ERROR, FSD_FS_NONE, dev, NULL, 0, 0);
        }
        feed("h", 0, 2000, FSD_EV_CSUM_ERROR, FSD_FS_BTRFS, "sdb", NULL, 0, 0);
        assert_int_equal(correlator_finish(c), 0);
        const struct seen *btrfs = &seen[n_seen - 1];
        assert_int_equal(btrfs->fs, FSD_FS_BTRFS);
        assert_int_equal(btrfs->n_events, INCIDENT_MAX_MEMORY_ERRORS + 1);
        assert_int_equal(btrfs->first[0], 6);     /* the five oldest were forgotten */
}

static void test_report_elsewhere_not_attached(void **state) {
        /* a btrfs WARNING on another host, and a non-filesystem WARNING on this one */
        struct fsd_report w = seed_warning(1, 1);
        w.host = "other";
        plain("h", 0, 5, "x");
        assert_int_equal(correlator_add_report(c, &w), 0);
        struct fsd_report net = { .type = FSD_REPORT_WARNING, .title = "WARNING in dev_watchdog",
                                  .src_file = "net/sched/sch_generic.c", .origin = "test.log", .host = "h",
                                  .first_line = 1, .last_line = 1, .mono_usec = 5, .wall_usec = -1 };
        assert_int_equal(correlator_add_report(c, &net), 0);
        feed("h", 0, 6, FSD_EV_FS_ERROR, FSD_FS_BTRFS, "dm-9", "__btrfs_free_extent", 6805, -28);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_int_equal(seen[0].n_reports, 0);
        assert_false(seen[0].aborted);
        assert_string_equal(seen[0].comm, "");
}

static void test_banner_kernel(void **state) {
        plain("h", 0, 0, "Linux version 6.18.0-1-amd64 (debian-kernel@lists.debian.org) (gcc 14)");
        feed("h", 0, 6, FSD_EV_SHUTDOWN, FSD_FS_XFS, "loop0", NULL, 0, 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_string_equal(seen[0].kernel, "6.18.0-1-amd64");
        assert_true(seen[0].shutdown);
}

static void mount_line(const char *device, int64_t mono) {
        char text[128];
        snprintf(text, sizeof text, "BTRFS: device fsid 0f9c3a1e-5b7d-4e2a-9c1f-2a3b4c5d6e7f devid 1 transid 1402 /dev/%s "
                 "scanned by mount (812)", device);
        struct fsd_record rec = record("h", 0, mono, text);
        assert_int_equal(correlator_note_record(c, &rec), 0);
        struct fsd_event ev = { .kind = FSD_EV_MOUNT, .fs = FSD_FS_BTRFS, .device = device, .text = rec.text,
                                .origin = rec.origin, .host = "h", .line = rec.line, .mono_usec = mono,
                                .wall_usec = -1, .count = 1, .layer = FSD_LAYER_FS };
        assert_int_equal(correlator_add_event(c, &ev), 0);
}

static void test_errors_panic_is_the_outcome(void **state) {
        /* errors=panic: the ext4 error, then "Kernel panic - not syncing: EXT4-fs (device sda1):
         * panic forced after error" and its trace. Nothing was remounted; the host went down. */
        feed("h", 0, 100000000, FSD_EV_FS_ERROR, FSD_FS_EXT4, "sda1", "ext4_lookup", 1855, -117);
        for (int i = 0; i < 11; i++)
                plain("h", 0, 100000100, "panic line");
        static const struct fsd_frame frames[] = {
                { .func = "panic" }, { .func = "ext4_handle_error", .module = "ext4" },
                { .func = "__ext4_error_inode", .module = "ext4" }, { .func = "ext4_lookup", .module = "ext4" },
        };
        struct fsd_report p = {
                .type = FSD_REPORT_PANIC, .title = "kernel panic: EXT4-fs (device sda1): panic forced after error",
                .comm = "ls", .pid = 1234, .frames = frames, .n_frames = sizeof frames / sizeof frames[0], .origin = "test.log",
                .host = "h", .first_line = 2, .last_line = 12, .mono_usec = 100000100, .wall_usec = -1,
        };
        assert_int_equal(correlator_add_report(c, &p), 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_int_equal(seen[0].n_reports, 1);
        assert_true(seen[0].panicked);
        assert_false(seen[0].read_only);
}

static void test_warning_is_no_panic(void **state) {
        /* a WARNING in the episode is a report, not a panic */
        struct fsd_report w = seed_warning(1, 1);
        assert_int_equal(correlator_add_report(c, &w), 0);
        feed("h", 0, 6, FSD_EV_FS_ERROR, FSD_FS_BTRFS, "dm-9", "__btrfs_free_extent", 6805, -28);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 1);
        assert_int_equal(seen[0].n_reports, 1);
        assert_false(seen[0].panicked);
}

static void test_mount_failed_joins_its_attempt(void **state) {
        /* transid errors, then "failed to read block groups: -5" and "open_ctree failed" (a 4.x
         * kernel prints the latter without a device): one incident, the mount failed */
        mount_line("sdb", 1000000);
        feed("h", 0, 1100000, FSD_EV_TRANSID_ERROR, FSD_FS_BTRFS, "sdb", NULL, 0, 0);
        feed("h", 0, 1100001, FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, "sdb", NULL, 0, -5);
        feed("h", 0, 1100002, FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, NULL, "open_ctree", 0, 0);
        /* the user tries again a minute later: same errors, another attempt, another incident */
        feed("h", 0, 61000000, FSD_EV_TRANSID_ERROR, FSD_FS_BTRFS, "sdb", NULL, 0, 0);
        feed("h", 0, 61000001, FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, "sdb", NULL, 0, -5);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 2);
        assert_string_equal(seen[0].device, "sdb");
        assert_true(seen[0].mount_failed);
        assert_false(seen[0].read_only);
        assert_int_equal(seen[0].n_events, 3);
        assert_int_equal(seen[0].kinds[0], FSD_EV_TRANSID_ERROR);
        assert_int_equal(seen[0].kinds[2], FSD_EV_MOUNT_FAILED);
        assert_true(seen[1].mount_failed);
        assert_int_equal(seen[1].n_events, 2);
}

static void test_mount_failed_alone_takes_scanned_device(void **state) {
        /* only "open_ctree failed", no device: the device the mount scanned, not "(unknown)" */
        mount_line("sdc", 1000000);
        feed("h", 0, 1200000, FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, NULL, "open_ctree", 0, 0);
        /* a later successful mount and an error: a new episode, still writable */
        mount_line("sdc", 5000000);
        feed("h", 0, 5100000, FSD_EV_CSUM_ERROR, FSD_FS_BTRFS, "sdc", NULL, 0, 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 2);
        assert_string_equal(seen[0].device, "sdc");
        assert_true(seen[0].mount_failed);
        assert_string_equal(seen[1].device, "sdc");
        assert_false(seen[1].mount_failed);
}

static void test_mount_failed_untimed_tail(void **state) {
        /* no timestamps: the attempt's own lines right after it stay, later ones are a new attempt */
        feed("h", 0, -1, FSD_EV_TRANSID_ERROR, FSD_FS_BTRFS, "sdd", NULL, 0, 0);
        feed("h", 0, -1, FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, "sdd", NULL, 0, -5);
        feed("h", 0, -1, FSD_EV_DEVICE_MISSING, FSD_FS_BTRFS, "sdd", NULL, 0, 0);
        for (int i = 0; i < 10; i++)
                plain("h", 0, -1, "unrelated");
        feed("h", 0, -1, FSD_EV_TRANSID_ERROR, FSD_FS_BTRFS, "sdd", NULL, 0, 0);
        assert_int_equal(correlator_finish(c), 0);
        assert_int_equal(n_seen, 2);
        assert_int_equal(seen[0].n_events, 3);
        assert_true(seen[0].mount_failed);
        assert_false(seen[1].mount_failed);
}

static void test_report_fs(void **state) {
        struct fsd_report r = seed_warning(1, 1);
        assert_int_equal(incident_report_fs(&r), FSD_FS_BTRFS);
        r.src_file = NULL;
        r.guilty = "ext4_journal_check_start";
        assert_int_equal(incident_report_fs(&r), FSD_FS_EXT4);
        r.guilty = NULL;
        assert_int_equal(incident_report_fs(&r), FSD_FS_BTRFS); /* from the frames' module */
        struct fsd_frame f[] = { { .func = "xfs_trans_cancel", .unreliable = false } };
        r.frames = f;
        r.n_frames = 1;
        assert_int_equal(incident_report_fs(&r), FSD_FS_XFS);
        f[0].func = "dev_watchdog";
        assert_int_equal(incident_report_fs(&r), FSD_FS_NONE);
}

static void test_device_names(void **state) {
        assert_int_equal(incident_device_base_len("loop0-8"), 5);
        assert_int_equal(incident_device_base_len("sda1-8"), 4);
        assert_int_equal(incident_device_base_len("dm-9"), 4);
        assert_int_equal(incident_device_base_len("dm-9-8"), 4);
        assert_int_equal(incident_device_base_len("sdb"), 3);
        assert_true(devname_is_partition_of("sda1", "sda"));
        assert_true(devname_is_partition_of("nvme0n1p2", "nvme0n1"));
        assert_false(devname_is_partition_of("nvme0n12", "nvme0n1"));
        assert_false(devname_is_partition_of("sdab", "sda"));
        assert_false(devname_is_partition_of("sda", "sda"));
        assert_false(devname_is_partition_of("dm-10", "dm-1"));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_storm_is_one_incident, setup, teardown),
                cmocka_unit_test_setup_teardown(test_block_then_fs_one_chain, setup, teardown),
                cmocka_unit_test_setup_teardown(test_mount_splits_episodes, setup, teardown),
                cmocka_unit_test_setup_teardown(test_hosts_boots_devices_apart, setup, teardown),
                cmocka_unit_test_setup_teardown(test_quiet_gap_splits, setup, teardown),
                cmocka_unit_test_setup_teardown(test_not_significant, setup, teardown),
                cmocka_unit_test_setup_teardown(test_open_cap, setup, teardown),
                cmocka_unit_test_setup_teardown(test_event_cap_keeps_outcome, setup, teardown),
                cmocka_unit_test_setup_teardown(test_partition_inference, setup, teardown),
                cmocka_unit_test_setup_teardown(test_disk_errors_go_to_mounted_partition, setup, teardown),
                cmocka_unit_test_setup_teardown(test_controller_below_namespace, setup, teardown),
                cmocka_unit_test_setup_teardown(test_scsi_address_of_other_disk_not_taken, setup, teardown),
                cmocka_unit_test_setup_teardown(test_btrfs_member_by_name, setup, teardown),
                cmocka_unit_test_setup_teardown(test_deviceless_device_line_joins_next, setup, teardown),
                cmocka_unit_test_setup_teardown(test_suppressed, setup, teardown),
                cmocka_unit_test_setup_teardown(test_report_attached_by_place, setup, teardown),
                cmocka_unit_test_setup_teardown(test_report_elsewhere_not_attached, setup, teardown),
                cmocka_unit_test_setup_teardown(test_banner_kernel, setup, teardown),
                cmocka_unit_test_setup_teardown(test_report_fs, setup, teardown),
                cmocka_unit_test_setup_teardown(test_mount_failed_joins_its_attempt, setup, teardown),
                cmocka_unit_test_setup_teardown(test_mount_failed_alone_takes_scanned_device, setup, teardown),
                cmocka_unit_test_setup_teardown(test_mount_failed_untimed_tail, setup, teardown),
                cmocka_unit_test_setup_teardown(test_device_names, setup, teardown),
                cmocka_unit_test_setup_teardown(test_memory_errors_linked_to_corruption, setup, teardown),
                cmocka_unit_test_setup_teardown(test_memory_error_cap, setup, teardown),
                cmocka_unit_test_setup_teardown(test_errors_panic_is_the_outcome, setup, teardown),
                cmocka_unit_test_setup_teardown(test_warning_is_no_panic, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
