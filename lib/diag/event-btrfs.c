/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btrfs messages, kernels 3.10 to today.
 *
 * Header forms (fs/btrfs/messages.c, formerly super.c):
 *   "BTRFS: error (device dm-9) in __btrfs_free_extent:6805: errno=-28 No space left"     4.x-5.x
 *   "BTRFS: error (device loop0 state EA) in f:2546: errno=-5 IO failure (extra text)"    6.x
 *   "BTRFS: error (device sda: state A) in f:4129: errno=-22 unknown"                     ~2022-23
 *   "BTRFS error (device sdb) in f:123: errno=-5 IO failure"                              3.x
 *   "BTRFS info (device loop0 state E): forced readonly"                                  levels
 *   "BTRFS: Transaction aborted (error -28)"                                              4.x WARN
 *   "btrfs: disk space caching is enabled", "btrfs csum failed ino 257 ..."               3.x
 */
#include <errno.h>
#include "btrfs-space.h"
#include "event-parsers.h"
#include "event-util.h"

struct btrfs_header {
        struct span device;      /* empty when the line names none */
        struct span state;       /* "EA" */
        bool std_error;          /* the line is "... (device X) in func:line: errno=..." */
};

/* At "(device X[ state S|: state S])"; on success *p is after the ')'. */
static bool parse_device_paren(const char **p, const char *end, struct btrfs_header *h) {
        const char *q = *p;
        if (!SCAN_EAT(&q, end, "(device "))
                return false;
        h->device = scan_until(&q, end, " :)");
        if (SCAN_EAT(&q, end, ": state ") || SCAN_EAT(&q, end, " state "))
                h->state = scan_until(&q, end, ")");
        if (q >= end || *q != ')')
                return false;
        *p = q + 1;
        return true;
}

static bool is_level(struct span w) {
#define LEVEL(s) { s, sizeof(s) - 1 }
        static const struct {
                const char *s;
                size_t n;
        } levels[] = { LEVEL("info"), LEVEL("error"), LEVEL("warning"), LEVEL("critical"), LEVEL("notice"),
                       LEVEL("debug"), LEVEL("emerg"), LEVEL("alert"), LEVEL("crit"), LEVEL("err"), LEVEL("warn") };
#undef LEVEL
        for (size_t i = 0; i < ELEMENTSOF(levels); i++)
                if (w.len == levels[i].n && memcmp(w.ptr, levels[i].s, levels[i].n) == 0)
                        return true;
        return false;
}

/* "in func:line: errno=N text[ (extra)]" */
static int parse_std_error(const char *q, const char *end, const struct btrfs_header *h,
                           struct event_scratch *sc, struct fsd_event *ev) {
        scan_spaces(&q, end);
        if (!SCAN_EAT(&q, end, "in "))
                return 0;
        struct span func = scan_until(&q, end, ": ");
        event_begin(ev, FSD_EV_FS_ERROR, FSD_FS_BTRFS, FSD_LAYER_FS);
        event_set_function(sc, ev, func.ptr, func.len);
        int line;
        if (SCAN_EAT(&q, end, ":") && scan_int(&q, end, &line) && line > 0)
                ev->src_line = line;
        const char *e = SCAN_FIND(q, end, "errno=");
        if (e) {
                q = e + 6;
                int err;
                if (scan_int(&q, end, &err))
                        ev->error = err;
                scan_spaces(&q, end);
                const char *paren = SCAN_FIND(q, end, " (");
                event_set_error_text(sc, ev, q, (size_t) ((paren ? paren : end) - q));
                if (h->state.ptr)
                        event_add_detail(sc, ev, h->state.ptr - 6, h->state.len + 6); /* "state EA" */
                if (paren && end[-1] == ')')
                        event_add_detail(sc, ev, paren + 2, (size_t) (end - paren - 3));
        } else if (h->state.ptr)
                event_add_detail(sc, ev, h->state.ptr - 6, h->state.len + 6);
        return 1;
}

/* "... on [logical ]X [mirror N ]wanted ..." -> detail "logical X mirror N" */
static void detail_logical_mirror(const char *q, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *on = SCAN_FIND(q, end, " on ");
        if (!on)
                return;
        const char *w = on + 4;
        SCAN_EAT(&w, end, "logical ");
        const char *stop = SCAN_FIND(w, end, " wanted");
        if (!stop)
                stop = end;
        char buf[96];
        int n = snprintf(buf, sizeof buf, "logical %.*s", (int) MIN((size_t) (stop - w), (size_t) 64), w);
        if (n > 0)
                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
}

/* dump_space_info (fs/btrfs/space-info.c):
 *   "space_info METADATA has 242122752 free, is full"                      5.x-6.x (type name)
 *   "space_info METADATA (sub-group id 0) has 242122752 free, is full"     6.x zoned-era
 *   "space_info 4 has 0 free, is full"                                    3.x-4.x (flags number)
 *   "space_info total=N, used=N, pinned=N, reserved=N, may_use=N, readonly=N[ zone_unusable=N]"
 * The event's op names what the line is about, so lines of one dump are not folded together. */
static int parse_space_info(const char *m, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = m + sizeof("space_info ") - 1;
        event_begin(ev, FSD_EV_ENOSPC, FSD_FS_BTRFS, FSD_LAYER_FS);
        if (SCAN_STARTS(q, end, "total=")) {
                event_set_op(sc, ev, "space_info totals", sizeof("space_info totals") - 1);
                EVENT_ADD_DETAIL_LIT(sc, ev, "space_info totals");
                return 1;
        }
        const char *free_at = SCAN_FIND(q, end, " free, is ");
        if (!free_at)
                return 0;
        char type[32];
        uint64_t flags;
        const char *t = q;
        if (ascii_is_digit(*t) && scan_u64(&t, end, &flags) && (*t == ' ' || *t == ',')) {
                uint64_t kind = flags & 7;
                snprintf(type, sizeof type, "%s", kind == 1 ? "DATA" : kind == 2 ? "SYSTEM" : kind == 4 ? "METADATA" :
                                                  kind == 5 ? "DATA+METADATA" : "UNKNOWN");
        } else {
                struct span w = scan_until(&t, end, " ");
                SPAN_COPY(type, w);
        }
        bool full = !SCAN_STARTS(free_at + sizeof(" free, is ") - 1, end, "not ");
        char buf[48];
        int n = snprintf(buf, sizeof buf, "%s %s", type, full ? "full" : "not full");
        event_set_op(sc, ev, type, strlen(type));
        if (n > 0)
                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
        return 1;
}

/* "allocation failed flags 36, wanted 16384 tree-log 0, relocation: 0" (btrfs_reserve_extent with
 * -o enospc_debug; 4.x: "allocation failed flags 36, wanted 16384") -> detail "allocation failed:
 * metadata|dup" */
static int parse_allocation_failed(const char *m, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = m + sizeof("allocation failed flags ") - 1;
        uint64_t flags;
        if (!scan_u64(&q, end, &flags))
                return 0;
        event_begin(ev, FSD_EV_ENOSPC, FSD_FS_BTRFS, FSD_LAYER_FS);
        ev->error = -ENOSPC;
        char words[96], buf[128];
        btrfs_block_group_flags_str(flags, words, sizeof words);
        int n = snprintf(buf, sizeof buf, "allocation failed: %s", words);
        event_set_op(sc, ev, "allocation", sizeof("allocation") - 1);
        if (n > 0)
                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
        return 1;
}

/* "balance: start -mconvert=raid1 -sconvert=raid1", "balance: resume ...", and
 * "relocating block group 934185795584 flags metadata|dup" (relocation.c) */
static int parse_relocation(const char *m, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        event_begin(ev, FSD_EV_RELOCATION, FSD_FS_BTRFS, FSD_LAYER_FS);
        if (SCAN_STARTS(m, end, "relocating block group ")) {
                const char *fl = SCAN_FIND(m, end, " flags ");
                char buf[96];
                int n = snprintf(buf, sizeof buf, "relocating %.*s", fl ? (int) MIN((size_t) (end - fl - 7), (size_t) 64) : 0,
                                 fl ? fl + 7 : "");
                event_set_op(sc, ev, "relocate", sizeof("relocate") - 1);
                if (n > 0)
                        event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
                return 1;
        }
        /* the balance arguments as printed: "-mconvert=raid1,soft -sconvert=raid1" */
        event_set_op(sc, ev, "balance", sizeof("balance") - 1);
        event_add_detail(sc, ev, m, (size_t) (end - m));
        return 1;
}

/* A step of open_ctree (disk-io.c) that failed, so the mount failed:
 *   "failed to read block groups: -5", "failed to read chunk tree: -2"      4.7+ (btrfs_err)
 *   "failed to read chunk root", "failed to read devices", "failed to read log tree"
 *   "BTRFS: failed to read chunk tree on sdb", "btrfs: failed to read devices on sdb"   3.x-4.6
 *   "open_ctree failed", "open_ctree failed: -5" (6.1, super.c btrfs_fill_super),
 *   "btrfs: open_ctree failed" (3.x, no device)
 * The op names the step (the text before any ": errno" or " on DEV"), so the step and the final
 * "open_ctree failed" stay two links of the chain; a trailing ": -N" is the errno. */
static const char *const mount_steps[] = {
        "failed to read the system array", "failed to read chunk root", "failed to read chunk tree",
        "failed to read devices", "failed to read block groups", "failed to read log tree",
        "failed to read fs tree", "failed to verify dev extents", "failed to recover balance",
        "failed to init dev_replace", "failed to init dev_stats", "failed to initialize space info",
        "log replay required on RO media", "open_ctree failed",
};

static int parse_mount_step(const char *m, const char *end, const struct btrfs_header *h, struct event_scratch *sc,
                            struct fsd_event *ev) {
        size_t n = 0;
        for (size_t i = 0; i < ELEMENTSOF(mount_steps) && !n; i++) {
                size_t len = strlen(mount_steps[i]);
                if ((size_t) (end - m) >= len && memcmp(m, mount_steps[i], len) == 0)
                        n = len;
        }
        if (!n)
                return 0;
        event_begin(ev, FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, FSD_LAYER_FS);
        event_set_op(sc, ev, m, n);
        event_add_detail(sc, ev, m, n);
        const char *q = m + n;
        const char *colon = scan_chr(q, end, ':');
        int err;
        if (colon && (q = colon + 1, scan_spaces(&q, end), scan_int(&q, end, &err)) && err < 0)
                ev->error = err;
        else if (SCAN_STARTS(m + n, end, " on ") && !h->device.ptr)
                event_set_device(sc, ev, m + n + 4, (size_t) (end - m - n - 4));
        return 1;
}

static int classify(const char *m, const char *end, const struct btrfs_header *h, struct event_scratch *sc,
                    struct fsd_event *ev, int depth) {
        const char *q = m;
        if (m >= end)
                return 0;

        switch (*m) {
        case 'e':
                /* "error (device X) in f:l: errno=..." after "BTRFS: " */
                if (SCAN_STARTS(m, end, "error (device ")) {
                        struct btrfs_header inner = { 0 };
                        q = m + 6;
                        if (!parse_device_paren(&q, end, &inner))
                                return 0;
                        if (!parse_std_error(q, end, &inner, sc, ev))
                                return 0;
                        event_set_device(sc, ev, inner.device.ptr, inner.device.len);
                        return 1;
                }
                break;
        case 'f':
                if (SCAN_STARTS(m, end, "forced readonly")) {
                        event_begin(ev, FSD_EV_READ_ONLY, FSD_FS_BTRFS, FSD_LAYER_FS);
                        goto state;
                }
                if (SCAN_STARTS(m, end, "first mount of filesystem ")) {
                        event_begin(ev, FSD_EV_MOUNT, FSD_FS_BTRFS, FSD_LAYER_FS);
                        q = m + sizeof("first mount of filesystem ") - 1;
                        struct span uuid = scan_until(&q, end, " ");
                        event_add_detail(sc, ev, uuid.ptr, uuid.len);
                        return 1;
                }
                break;
        case 'S':
                if (SCAN_STARTS(m, end, "Skipping commit of aborted transaction")) {
                        event_begin(ev, FSD_EV_COMMIT_SKIPPED, FSD_FS_BTRFS, FSD_LAYER_FS);
                        goto state;
                }
                break;
        case 'T':
                if (SCAN_STARTS(m, end, "Transaction aborted")) {
                        event_begin(ev, FSD_EV_TRANSACTION_ABORT, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_find_errno(ev, m, end);
                        goto state;
                }
                break;
        case 'd':
                /* "device fsid U devid N transid N /dev/X (7:0) scanned by mount (4553)";
                 * "device label L devid N transid N /dev/X" */
                if (SCAN_STARTS(m, end, "device fsid ") || SCAN_STARTS(m, end, "device label ")) {
                        event_begin(ev, FSD_EV_MOUNT, FSD_FS_BTRFS, FSD_LAYER_FS);
                        const char *dev = SCAN_FIND(m, end, " /dev/");
                        if (!dev)
                                dev = SCAN_FIND(m, end, " transid ");
                        if (dev && dev[1] == '/')
                                event_set_device(sc, ev, dev + 1, (size_t) (end - dev - 1));
                        q = m + 7;
                        const char *stop = SCAN_FIND(q, end, " transid ");
                        event_add_detail(sc, ev, q, (size_t) ((stop ? stop : end) - q));
                        return 1;
                }
                if (SCAN_STARTS(m, end, "dumping space info")) {
                        event_begin(ev, FSD_EV_ENOSPC, FSD_FS_BTRFS, FSD_LAYER_FS);
                        goto state;
                }
                /* the device-missing lines carry an op each ("missing", "degraded", "rw-refused"):
                 * the refusal of a writable mount is not folded into the "is missing" before it */
                if (SCAN_STARTS(m, end, "devid ") && SCAN_FIND(m, end, " is missing")) {
                        event_begin(ev, FSD_EV_DEVICE_MISSING, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "missing", sizeof("missing") - 1);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                break;
        case 'a':
                if (SCAN_STARTS(m, end, "allocation failed flags "))
                        return parse_allocation_failed(m, end, sc, ev);
                if (SCAN_STARTS(m, end, "allowing degraded mounts")) {
                        event_begin(ev, FSD_EV_DEVICE_MISSING, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "degraded", sizeof("degraded") - 1);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "degraded");
                        return 1;
                }
                break;
        case 'c':
                /* "csum failed root 5 ino 257 off 0 csum 0x.. expected csum 0x.. mirror 1" */
                if (SCAN_STARTS(m, end, "csum failed ")) {
                        event_begin(ev, FSD_EV_CSUM_ERROR, FSD_FS_BTRFS, FSD_LAYER_FS);
                        q = m + sizeof("csum failed ") - 1;
                        const char *stop = SCAN_FIND(q, end, " csum ");
                        event_add_detail(sc, ev, q, (size_t) ((stop ? stop : end) - q));
                        const char *mirror = SCAN_FIND(q, end, " mirror ");
                        if (mirror)
                                event_add_detail(sc, ev, mirror + 1, (size_t) (end - mirror - 1));
                        return 1;
                }
                if (SCAN_STARTS(m, end, "checksum verify failed on ")) {
                        event_begin(ev, FSD_EV_CSUM_ERROR, FSD_FS_BTRFS, FSD_LAYER_FS);
                        detail_logical_mirror(m, end, sc, ev);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "metadata");
                        return 1;
                }
                if (SCAN_STARTS(m, end, "corrupt leaf") || SCAN_STARTS(m, end, "corrupt node")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                if (SCAN_STARTS(m, end, "could not allocate space for")) {
                        event_begin(ev, FSD_EV_ENOSPC, FSD_FS_BTRFS, FSD_LAYER_FS);
                        ev->error = -ENOSPC;
                        return 1;
                }
                break;
        case 'p':
                if (SCAN_STARTS(m, end, "parent transid verify failed on ")) {
                        event_begin(ev, FSD_EV_TRANSID_ERROR, FSD_FS_BTRFS, FSD_LAYER_FS);
                        q = m + sizeof("parent transid verify failed on ") - 1;
                        event_add_detail(sc, ev, q, (size_t) (end - q));
                        return 1;
                }
                break;
        case 'b':
                if (SCAN_STARTS(m, end, "balance: start ") || SCAN_STARTS(m, end, "balance: resume "))
                        return parse_relocation(m, end, sc, ev);
                /* "bad key order, sibling blocks, left last (...) right first (...)": check_sibling_keys()
                 * in ctree.c, while leaves are pushed or balanced in memory */
                if (SCAN_STARTS(m, end, "bad key order")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "sibling-keys", sizeof("sibling-keys") - 1);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                /* "bdev /dev/sdb errs: wr 0, rd 1, flush 0, corrupt 0, gen 0" */
                if (SCAN_STARTS(m, end, "bdev ") && SCAN_FIND(m, end, " errs: ")) {
                        event_begin(ev, FSD_EV_DEV_STATS, FSD_FS_BTRFS, FSD_LAYER_FS);
                        q = m + 5;
                        struct span bdev = scan_until(&q, end, " ");
                        if (!h->device.ptr)
                                event_set_device(sc, ev, bdev.ptr, bdev.len);
                        if (span_starts(bdev, "/dev/"))
                                bdev = span_range(bdev.ptr + 5, span_end(bdev));
                        char buf[200];
                        const char *errs = SCAN_FIND(q, end, "errs: ");
                        int n = snprintf(buf, sizeof buf, "bdev %.*s %.*s", (int) MIN(bdev.len, (size_t) 64),
                                         bdev.ptr, errs ? (int) MIN((size_t) (end - errs), (size_t) 120) : 0,
                                         errs ? errs : "");
                        if (n > 0)
                                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
                        return 1;
                }
                if (SCAN_STARTS(m, end, "bad tree block")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                if (SCAN_STARTS(m, end, "balance: ended with status: ")) {
                        q = m + sizeof("balance: ended with status: ") - 1;
                        int st;
                        if (!scan_int(&q, end, &st) || st == 0)
                                return 0; /* a successful balance */
                        event_begin(ev, FSD_EV_BALANCE_FAILED, FSD_FS_BTRFS, FSD_LAYER_FS);
                        ev->error = st < 0 ? st : -st;
                        return 1;
                }
                /* "block=30408704 write time tree block corruption detected"; op keeps it apart from
                 * the tree-checker's "corrupt leaf" line before it, which it would fold into */
                if (SCAN_STARTS(m, end, "block=") && SCAN_FIND(m, end, "corruption detected")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        if (SCAN_FIND(m, end, "write time"))
                                event_set_op(sc, ev, "write-time", sizeof("write-time") - 1);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                break;
        case 's':
                if (SCAN_STARTS(m, end, "space_info "))
                        return parse_space_info(m, end, sc, ev);
                /* open_ctree: "start tree-log replay" (the fsync log of the last session is
                 * replayed at mount): context for what fails next */
                if (SCAN_STARTS(m, end, "start tree-log replay")) {
                        event_begin(ev, FSD_EV_LOG_RECOVERY, FSD_FS_BTRFS, FSD_LAYER_FS);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "log recovery");
                        return 1;
                }
                /* volumes.c btrfs_read_chunk_tree: the superblock's total size disagrees with
                 * the devices' sizes; the chunk tree read fails with -EINVAL */
                if (SCAN_STARTS(m, end, "super_total_bytes ") && SCAN_FIND(m, end, " mismatch with fs_devices")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "device-size", sizeof("device-size") - 1);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                /* "scrub: started on devid 1" */
                if (SCAN_STARTS(m, end, "scrub: started")) {
                        event_begin(ev, FSD_EV_SCRUB, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                break;
        case 'm':
                if (SCAN_STARTS(m, end, "missing devices (")) {
                        event_begin(ev, FSD_EV_DEVICE_MISSING, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "rw-refused", sizeof("rw-refused") - 1);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                break;
        case 'R':
                if (SCAN_STARTS(m, end, "Remounting read-write after error is not allowed")) {
                        event_begin(ev, FSD_EV_READ_ONLY, FSD_FS_BTRFS, FSD_LAYER_FS);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "rw remount refused");
                        goto state;
                }
                break;
        default:
                break;
        }

        /* The rarer messages are recognised by their first letter before any substring search:
         * this fallback runs for every ordinary "BTRFS info" line. */
        switch (*m) {
        case 'A':
                if (SCAN_STARTS(m, end, "Aborting unused transaction")) {
                        event_begin(ev, FSD_EV_TRANSACTION_ABORT, FSD_FS_BTRFS, FSD_LAYER_FS);
                        const char *paren = scan_chr(m, end, '(');
                        if (paren) {
                                const char *close = scan_chr(paren, end, ')');
                                event_set_error_text(sc, ev, paren + 1, (size_t) ((close ? close : end) - paren - 1));
                        }
                        goto state;
                }
                break;
        case 'u':
                /* __btrfs_free_extent: "unable to find ref byte nr N parent N root N  owner N offset N":
                 * the extent tree lacks the back reference the free was asked to drop */
                if (SCAN_STARTS(m, end, "unable to find ref byte nr ")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "backref", sizeof("backref") - 1);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "extent backref missing");
                        return 1;
                }
                /* volumes.c btrfs_get_chunk_map: a block pointer names a logical address that no
                 * chunk maps ("unable to find chunk map for logical N length N" in 6.x, "unable to
                 * find logical N length N" before): the metadata holding the pointer is damaged,
                 * on disk or in memory (a flipped address bit) */
                if (SCAN_STARTS(m, end, "unable to find chunk map for logical ") ||
                    SCAN_STARTS(m, end, "unable to find logical ")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "chunk-map", sizeof("chunk-map") - 1);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "logical address in no chunk");
                        return 1;
                }
                break;
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
                /* "1 enospc errors during balance" (volumes.c) */
                if (SCAN_FIND(m, MIN(end, m + 24), " enospc errors during balance")) {
                        event_begin(ev, FSD_EV_BALANCE_FAILED, FSD_FS_BTRFS, FSD_LAYER_FS);
                        ev->error = -ENOSPC;
                        EVENT_ADD_DETAIL_LIT(sc, ev, "enospc errors during balance");
                        return 1;
                }
                break;
        case 'r':
        case 'w':
                if (SCAN_STARTS(m, end, "relocating block group "))
                        return parse_relocation(m, end, sc, ev);
                /* disk-io.c: "writable mount is not allowed due to too many missing devices" */
                if (SCAN_STARTS(m, end, "writable mount is not allowed")) {
                        event_begin(ev, FSD_EV_DEVICE_MISSING, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "rw-refused", sizeof("rw-refused") - 1);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                /* "read time tree block corruption detected on logical N mirror M" */
                if (SCAN_STARTS(m, end, "read time tree block corruption") || SCAN_STARTS(m, end, "write time tree block corruption")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, *m == 'w' ? "write-time" : "read-time", 10 - (*m == 'r'));
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                if (SCAN_STARTS(m, end, "relocation failed")) {
                        event_begin(ev, FSD_EV_BALANCE_FAILED, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_find_errno(ev, m, end);
                        return 1;
                }
                break;
        case 'l':
                /* disk-io.c btrfs_end_super_write: "lost page write due to IO error on /dev/sdb (-5)":
                 * a superblock copy could not be written to that device */
                if (SCAN_STARTS(m, end, "lost page write due to IO error on ")) {
                        event_begin(ev, FSD_EV_WRITE_ERROR, FSD_FS_BTRFS, FSD_LAYER_FS);
                        q = m + sizeof("lost page write due to IO error on ") - 1;
                        struct span dev = scan_until(&q, end, " ");
                        int err;
                        if (SCAN_EAT(&q, end, " (") && scan_int(&q, end, &err) && err < 0)
                                ev->error = err;
                        else
                                ev->error = -EIO;
                        event_set_op(sc, ev, "WRITE", 5);
                        char buf[96];
                        int n = snprintf(buf, sizeof buf, "superblock write to %.*s", (int) MIN(dev.len, (size_t) 64), dev.ptr);
                        if (n > 0)
                                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
                        return 1;
                }
                /* btrfs_replay_log on a read-only device: "log replay required on RO media" */
                if (parse_mount_step(m, end, h, sc, ev))
                        return 1;
                /* "level verify failed" starts with an l too */
                __attribute__((fallthrough));
        case 't':
                if (SCAN_STARTS(m, end, "level verify failed") || SCAN_STARTS(m, end, "tree first key mismatch")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                break;
        case 'f':
                if (SCAN_STARTS(m, end, "failed to relocate")) {
                        event_begin(ev, FSD_EV_BALANCE_FAILED, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_find_errno(ev, m, end);
                        return 1;
                }
                /* "failed to load root extent" (6.1 load_global_roots_objectid): fatal unless
                 * rescue=ignorebadroots, which prints it too; the mount's fate is the
                 * "open_ctree failed" that follows */
                if (SCAN_STARTS(m, end, "failed to load root ")) {
                        event_begin(ev, FSD_EV_FS_ERROR, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "load-root", sizeof("load-root") - 1);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                if (parse_mount_step(m, end, h, sc, ev))
                        return 1;
                break;
        case 'o':
                if (parse_mount_step(m, end, h, sc, ev))
                        return 1;
                break;
        case 'c':
                /* volumes.c btrfs_check_rw_degradable: "chunk 22020096 missing 2 devices, max
                 * tolerance is 1 for writable mount" */
                if (SCAN_STARTS(m, end, "chunk ") && SCAN_FIND(m, end, " max tolerance is ")) {
                        event_begin(ev, FSD_EV_DEVICE_MISSING, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "rw-refused", sizeof("rw-refused") - 1);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                /* init_tree_roots: the root tree's block did not read (it failed verification
                 * or I/O, printed just before); with usebackuproot the backup roots are tried next
                 * ("try to load backup roots slot N"), so it is not the failure itself */
                if (SCAN_STARTS(m, end, "couldn't read tree root")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_set_op(sc, ev, "tree-root", sizeof("tree-root") - 1);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "couldn't read tree root");
                        return 1;
                }
                break;
        case 'e':
        case 'E':
                /* disk-io.c write_dev_supers/wait_dev_supers: "error writing primary super block to
                 * device 1" (the devid) */
                if (SCAN_STARTS(m, end, "error writing primary super block")) {
                        event_begin(ev, FSD_EV_WRITE_ERROR, FSD_FS_BTRFS, FSD_LAYER_FS);
                        ev->error = -EIO;
                        event_set_op(sc, ev, "WRITE", 5);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "primary superblock write");
                        return 1;
                }
                if (SCAN_STARTS(m, end, "enospc") || SCAN_STARTS(m, end, "ENOSPC")) {
                        event_begin(ev, FSD_EV_ENOSPC, FSD_FS_BTRFS, FSD_LAYER_FS);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                        return 1;
                }
                break;
        default:
                break;
        }
        /* 4.x-5.x csum_tree_block: "sdb checksum verify failed on 29507584 wanted 5b3a1c0e found
         * 9f2d4471 level 0": the superblock's s_id comes first */
        {
                const char *cv = SCAN_FIND(m, MIN(end, m + 48), " checksum verify failed on ");
                if (cv && !scan_chr(m, cv, ' ')) {
                        event_begin(ev, FSD_EV_CSUM_ERROR, FSD_FS_BTRFS, FSD_LAYER_FS);
                        detail_logical_mirror(cv + 1, end, sc, ev);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "metadata");
                        return 1;
                }
        }
        /* DUMP_BLOCK_RSV: "global_block_rsv: size 107692032 reserved 107692032", also trans_, chunk_,
         * delayed_ and delayed_refs_ (fs/btrfs/space-info.c); the name is the op */
        if ((*m == 'g' || *m == 't' || *m == 'c' || *m == 'd') && SCAN_FIND(m, MIN(end, m + 24), "_rsv: size ")) {
                const char *colon = scan_chr(m, end, ':');
                event_begin(ev, FSD_EV_ENOSPC, FSD_FS_BTRFS, FSD_LAYER_FS);
                event_set_op(sc, ev, m, (size_t) (colon - m));
                event_add_detail(sc, ev, m, (size_t) (end - m));
                return 1;
        }
        if (SCAN_STARTS(m, end, "block rsv ")) {
                /* use_block_rsv(): "block rsv 1 returned -28" */
                event_begin(ev, FSD_EV_ENOSPC, FSD_FS_BTRFS, FSD_LAYER_FS);
                const char *ret = SCAN_FIND(m, end, "returned ");
                if (ret) {
                        const char *r = ret + sizeof("returned ") - 1;
                        int err;
                        if (scan_int(&r, end, &err) && err < 0)
                                ev->error = err;
                }
                return 1;
        }

        /* "func:line: message": classify the message, keep function and line */
        if (depth == 0) {
                const char *colon = scan_chr(m, MIN(end, m + 80), ':');
                if (colon && colon > m && colon + 1 < end && ascii_is_digit(colon[1])) {
                        q = colon + 1;
                        int line;
                        if (scan_int(&q, end, &line) && SCAN_EAT(&q, end, ": ") && q < end &&
                            classify(q, end, h, sc, ev, 1)) {
                                if (!ev->function) {
                                        event_set_function(sc, ev, m, (size_t) (colon - m));
                                        ev->src_line = line;
                                }
                                return 1;
                        }
                }
        }
        return 0;

state:
        if (h->state.ptr)
                event_add_detail(sc, ev, h->state.ptr - 6, h->state.len + 6);
        return 1;
}

int event_parse_btrfs(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        struct btrfs_header h = { 0 };
        const char *q = p + 5; /* "BTRFS" or "btrfs" */
        const char *msg;

        if (q >= end)
                return 0;
        if (*q == ':') {
                /* "BTRFS: msg" */
                q++;
                scan_spaces(&q, end);
                msg = q;
        } else if (*q == ' ') {
                q++;
                const char *word_start = q;
                struct span word = scan_until(&q, end, " :(");
                if (is_level(word)) {
                        if (SCAN_EAT(&q, end, " ") && SCAN_STARTS(q, end, "(device ")) {
                                if (!parse_device_paren(&q, end, &h))
                                        return 0;
                                if (SCAN_STARTS(q, end, " in ")) {
                                        /* 3.x "BTRFS error (device X) in f:l: errno=..." */
                                        if (!parse_std_error(q, end, &h, sc, ev))
                                                return 0;
                                        event_set_device(sc, ev, h.device.ptr, h.device.len);
                                        return 1;
                                }
                                SCAN_EAT(&q, end, ":");
                        } else
                                SCAN_EAT(&q, end, ":");
                        scan_spaces(&q, end);
                        msg = q;
                } else
                        msg = word_start; /* 3.x "btrfs csum failed ino ..." */
        } else
                return 0;

        if (!classify(msg, end, &h, sc, ev, 0))
                return 0;
        if (!ev->device && h.device.ptr)
                event_set_device(sc, ev, h.device.ptr, h.device.len);
        return 1;
}
