/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Filesystem and block-layer events: one record -> at most one struct fsd_event.
 *
 * event_parse() runs on every line of logs that are gigabytes long, and nearly every line is not an
 * event. So the entry point looks at the first byte only and calls a subsystem parser just when
 * that byte can start one of its messages; that parser confirms a literal prefix with memcmp()
 * before it does any work. The one test made on every line beyond that is on its last bytes, for
 * the "N callbacks suppressed" lines of the printk rate limiter. Parsing is by hand: no sscanf, no
 * regex, no allocation. */
#include <errno.h>
#include "event-util.h"

const char *fsd_event_kind_name(enum fsd_event_kind k) {
        static const char *const names[_FSD_EV_MAX] = {
                [FSD_EV_UNKNOWN] = "unknown",
                [FSD_EV_MEMORY_ERROR] = "memory-error",
                [FSD_EV_DEVICE_ERROR] = "device-error",
                [FSD_EV_DEVICE_RESET] = "device-reset",
                [FSD_EV_DEVICE_OFFLINE] = "device-offline",
                [FSD_EV_PATH_FAILED] = "path-failed",
                [FSD_EV_THIN_POOL_FULL] = "thin-pool-full",
                [FSD_EV_SPACE_ALLOC_ERROR] = "space-alloc-error",
                [FSD_EV_IO_ERROR] = "io-error",
                [FSD_EV_BUFFER_IO_ERROR] = "buffer-io-error",
                [FSD_EV_FS_ERROR] = "fs-error",
                [FSD_EV_WRITE_ERROR] = "write-error",
                [FSD_EV_TRANSACTION_ABORT] = "transaction-abort",
                [FSD_EV_READ_ONLY] = "read-only",
                [FSD_EV_SHUTDOWN] = "shutdown",
                [FSD_EV_USER_SHUTDOWN] = "user-shutdown",
                [FSD_EV_CORRUPTION] = "corruption",
                [FSD_EV_CSUM_ERROR] = "csum-error",
                [FSD_EV_TRANSID_ERROR] = "transid-error",
                [FSD_EV_DEV_STATS] = "dev-stats",
                [FSD_EV_DEVICE_MISSING] = "device-missing",
                [FSD_EV_ENOSPC] = "enospc",
                [FSD_EV_BALANCE_FAILED] = "balance-failed",
                [FSD_EV_COMMIT_SKIPPED] = "commit-skipped",
                [FSD_EV_RELOCATION] = "relocation",
                [FSD_EV_SCRUB] = "scrub",
                [FSD_EV_LOG_IO_ERROR] = "log-io-error",
                [FSD_EV_MOUNT] = "mount",
                [FSD_EV_UNMOUNT] = "unmount",
                [FSD_EV_SUPPRESSED] = "suppressed",
                [FSD_EV_LOG_RECOVERY] = "log-recovery",
        };
        if ((unsigned) k >= _FSD_EV_MAX || !names[k])
                return "unknown";
        return names[k];
}

const char *fsd_fs_type_name(enum fsd_fs_type t) {
        static const char *const names[_FSD_FS_MAX] = {
                [FSD_FS_NONE] = "none",
                [FSD_FS_BTRFS] = "btrfs",
                [FSD_FS_EXT4] = "ext4",
                [FSD_FS_XFS] = "xfs",
                [FSD_FS_OTHER] = "other",
        };
        if ((unsigned) t >= _FSD_FS_MAX || !names[t])
                return "unknown";
        return names[t];
}

/* The scratch an event is being built in: event_begin() only sees the event, so the parsers pass
 * both and the setters below write into the scratch. */
void event_begin(struct fsd_event *ev, enum fsd_event_kind kind, enum fsd_fs_type fs, enum fsd_layer layer) {
        *ev = (struct fsd_event) {
                .kind = kind,
                .fs = fs,
                .layer = layer,
                .sector = UINT64_MAX,
                .count = 1,
        };
}

void event_set_device(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        const char *end = p + n;
        EAT(&p, end, "/dev/");
        const char *q = p;
        while (q < end && *q != ' ' && *q != ',' && *q != ')' && *q != ':')
                q++;
        if (q == p)
                return;
        ev->device = copy_span(sc->device, sizeof sc->device, p, (size_t) (q - p));
}

void event_set_function(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        if (n == 0)
                return;
        ev->function = copy_span(sc->function, sizeof sc->function, p, n);
}

void event_set_src_file(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        if (n == 0)
                return;
        ev->src_file = copy_span(sc->src_file, sizeof sc->src_file, p, n);
}

void event_set_error_text(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '.'))
                n--;
        if (n == 0)
                return;
        ev->error_text = copy_span(sc->error_text, sizeof sc->error_text, p, n);
}

void event_set_op(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        if (n == 0)
                return;
        ev->op = copy_span(sc->op, sizeof sc->op, p, n);
}

void event_add_detail(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        size_t used = ev->detail ? strlen(sc->detail) : 0;
        while (n > 0 && p[n - 1] == ' ')
                n--;
        if (n == 0)
                return;
        if (used > 0) {
                if (used + 2 >= sizeof sc->detail)
                        return;
                memcpy(sc->detail + used, ", ", 2);
                used += 2;
        }
        copy_span(sc->detail + used, sizeof sc->detail - used, p, n);
        ev->detail = sc->detail;
}

void event_find_errno(struct fsd_event *ev, const char *p, const char *end) {
        static const struct {
                const char *lit;
                size_t len;
        } keys[] = {
                { "errno=", 6 },
                { "error -", 6 },  /* keep the sign: "error -5" */
                { "err -", 4 },
                { "error=", 6 },
                { "error = ", 8 },
        };
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const char *hit = mem_find(p, end, keys[i].lit, keys[i].len);
                if (!hit)
                        continue;
                const char *q = hit + keys[i].len;
                int v;
                if (parse_int(&q, end, &v) && v < 0) {
                        ev->error = v;
                        return;
                }
        }
}

int blk_status_to_errno(int status) {
        /* include/linux/blk_types.h; these values have been stable since blk_status_t came in 4.13 */
        static const int map[] = {
                [0] = 0,
                [1] = -EOPNOTSUPP,
                [2] = -ETIMEDOUT,
                [3] = -ENOSPC,
                [4] = -ENOLINK,
                [5] = -EREMOTEIO,
                [6] = -EBADE,
                [7] = -ENODATA,
                [8] = -EILSEQ,
                [9] = -ENOMEM,
                [10] = -EIO,
                [11] = -EREMCHG,
                [12] = -EAGAIN,
                [13] = -EBUSY,
                [14] = -ETOOMANYREFS,
                [15] = -EOVERFLOW,
                [16] = -ENODEV,
                [17] = -ETIME,
        };
        if (status < 0)
                return status; /* before 4.13 bi_error was a negative errno already */
        if ((size_t) status >= ELEMENTSOF(map))
                return 0;
        return map[status];
}

/* "<func>: N callbacks suppressed" from the printk rate limiter. Only the storage stack's own
 * limiters are events; "net_ratelimit: 3 callbacks suppressed" and friends are not. */
static int parse_suppressed(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *colon = mem_chr(p, end, ':');
        if (!colon || colon == p || colon - p > 64)
                return 0;
        struct span func = { p, colon };
        const char *q = colon + 1;
        skip_spaces(&q, end);
        uint64_t n;
        if (!parse_u64(&q, end, &n) || n == 0 || !STARTS(q, end, " callbacks suppressed"))
                return 0; /* count stays >= 1 for every event */

        enum fsd_fs_type fs = FSD_FS_NONE;
        enum fsd_layer layer;
        if (FIND(func.p, func.end, "btrfs") || FIND(func.p, func.end, "BTRFS"))
                fs = FSD_FS_BTRFS, layer = FSD_LAYER_FS;
        else if (FIND(func.p, func.end, "ext4") || FIND(func.p, func.end, "EXT4") ||
                 FIND(func.p, func.end, "jbd2"))
                fs = FSD_FS_EXT4, layer = FSD_LAYER_FS;
        else if (FIND(func.p, func.end, "xfs") || FIND(func.p, func.end, "XFS"))
                fs = FSD_FS_XFS, layer = FSD_LAYER_FS;
        else if (STARTS(func.p, func.end, "blk_") || STARTS(func.p, func.end, "print_req_error") ||
                 STARTS(func.p, func.end, "buffer_io_error") || STARTS(func.p, func.end, "end_request") ||
                 STARTS(func.p, func.end, "bio_") || STARTS(func.p, func.end, "__blk_"))
                layer = FSD_LAYER_BLOCK;
        else if (FIND(func.p, func.end, "scsi") || STARTS(func.p, func.end, "sd_") ||
                 STARTS(func.p, func.end, "ata") || FIND(func.p, func.end, "nvme") ||
                 STARTS(func.p, func.end, "dm_") || STARTS(func.p, func.end, "device-mapper"))
                layer = FSD_LAYER_DEVICE;
        else
                return 0;

        event_begin(ev, FSD_EV_SUPPRESSED, fs, layer);
        event_set_function(sc, ev, func.p, span_len(func));
        ev->count = n;
        return 1;
}

/* multipathd: "mpatha: remaining active paths: 0" */
static int parse_remaining_paths(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *hit = FIND(p, end, ": remaining active paths: ");
        if (!hit)
                return 0;
        const char *q = hit + sizeof(": remaining active paths: ") - 1;
        uint64_t n;
        if (!parse_u64(&q, end, &n))
                return 0;
        event_begin(ev, n == 0 ? FSD_EV_DEVICE_OFFLINE : FSD_EV_PATH_FAILED, FSD_FS_NONE, FSD_LAYER_DEVICE);
        /* the map name is the last word before the colon */
        const char *w = hit;
        while (w > p && w[-1] != ' ')
                w--;
        event_set_device(sc, ev, w, (size_t) (hit - w));
        event_add_detail(sc, ev, hit + 2, (size_t) (end - hit - 2));
        return 1;
}

/* Tests on the end of the line, made before the first-byte dispatch. */
static int parse_by_tail(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        size_t n = (size_t) (end - p);
        /* one byte and one 8-byte compare reject nearly every line before any memcmp() */
        if (n > 24 && end[-1] == 'd' && end[-8] == 'p' && memcmp(end - 20, "callbacks suppressed", 20) == 0)
                return parse_suppressed(p, end, sc, ev);
        if (n > 26 && is_digit(end[-1])) {
                const char *q = end - 1;
                while (q > p && is_digit(q[-1]))
                        q--;
                if (q - p > 24 && q[-2] == ':' && q[-3] == 's' && memcmp(q - 24, "remaining active paths: ", 24) == 0)
                        return parse_remaining_paths(p, end, sc, ev);
        }
        return -1; /* not decided */
}

/* printk caller ids ("[  T123] ", "[    C1] ") when the reader left them in the text. */
static const char *skip_caller_id(const char *p, const char *end) {
        const char *q = p + 1;
        while (q < end && *q == ' ')
                q++;
        if (q >= end || (*q != 'T' && *q != 'C'))
                return p;
        q++;
        if (q >= end || !is_digit(*q))
                return p;
        while (q < end && is_digit(*q))
                q++;
        if (q >= end || *q != ']')
                return p;
        q++;
        while (q < end && *q == ' ')
                q++;
        return q;
}

static int dispatch(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        int r = parse_by_tail(p, end, sc, ev);
        if (r >= 0)
                return r;

        switch (*p) {
        case 'B':
                if (p[1] == 'T')
                        return STARTS(p, end, "BTRFS") ? event_parse_btrfs(p, end, sc, ev) : 0;
                if (p[1] == 'u')
                        return event_parse_buffer_io(p, end, sc, ev);
                return 0;
        case 'b':
                if (p[1] == 't')
                        return STARTS(p, end, "btrfs") ? event_parse_btrfs(p, end, sc, ev) : 0;
                if (p[1] == 'l')
                        return event_parse_blk(p, end, sc, ev);
                return 0;
        case 'E':
                if (p[1] == 'X')
                        return event_parse_ext4(p, end, sc, ev);
                if (p[1] == 'D')
                        return event_parse_edac(p, end, sc, ev);
                return 0;
        case 'X':
                return event_parse_xfs(p, end, sc, ev);
        case 'J':
                return event_parse_jbd2(p, end, sc, ev);
        case 'A':
                return event_parse_ext4_aborting(p, end, sc, ev);
        case 's':
                if (p[1] == 'd' || p[1] == 'c' || p[1] == 'r')
                        return event_parse_scsi(p, end, sc, ev);
                if (p[1] == 'e')
                        return event_parse_iscsi(p, end, sc, ev);
                return 0;
        case 'Q':
                return event_parse_quota(p, end, sc, ev);
        case '_':
        case 'j':
                return event_parse_jbd2_space(p, end, sc, ev);
        case 'a':
                if (p[1] == 't')
                        return event_parse_ata(p, end, sc, ev);
                return 0;
        case 'n':
                if (p[1] == 'v')
                        return event_parse_nvme(p, end, sc, ev);
                return 0;
        case 'd':
                if (p[1] == 'e' && p[2] == 'v' && p[3] == 'i' && STARTS(p, end, "device-mapper: "))
                        return event_parse_dm(p, end, sc, ev);
                return event_parse_blk(p, end, sc, ev);
        case 'm':
                if (p[1] == 'c')
                        return event_parse_mce(p, end, sc, ev);
                return 0;
        case '[':
        case 'M':
                return event_parse_mce(p, end, sc, ev);
        case 'l':
                return event_parse_buffer_io(p, end, sc, ev);
        /* block-layer error names, printed bare since 5.x: "I/O error, dev", "critical medium
         * error, dev", "timeout error, dev", ... and with "func: " before them in 3.x/4.x */
        case 'c':
                if (p[1] == 'o' && p[2] == 'n')
                        return event_parse_iscsi(p, end, sc, ev);
                return event_parse_blk(p, end, sc, ev);
        case 'o':
                if (p[1] == 'v')
                        return event_parse_overlayfs(p, end, sc, ev);
                return event_parse_blk(p, end, sc, ev);
        case 'I':
        case 't':
        case 'r':
        case 'p':
        case 'k':
        case 'e':
        case 'z':
                return event_parse_blk(p, end, sc, ev);
        default:
                return 0;
        }
}

int event_parse(const struct fsd_record *rec, struct event_scratch *scratch, struct fsd_event *ret_event) {
        if (!rec || !rec->text || !scratch || !ret_event || rec->len < 8)
                return 0;

        const char *p = rec->text, *end = p + rec->len;
        if (*p == '[' && (p[1] == ' ' || p[1] == 'T' || p[1] == 'C'))
                p = skip_caller_id(p, end);
        /* One blank may be left over from a timestamp prefix. More means an indented line: a
         * call-trace frame or register dump inside a report, never an event. */
        if (p < end && *p == ' ')
                p++;
        if (end - p < 8 || *p == ' ')
                return 0;

        struct fsd_event ev;
        if (dispatch(p, end, scratch, &ev) <= 0)
                return 0;

        ev.text = copy_span(scratch->text, sizeof scratch->text, p, (size_t) (end - p));
        ev.origin = rec->origin;
        ev.host = rec->host;
        ev.boot = rec->boot;
        ev.line = rec->line;
        ev.mono_usec = rec->mono_usec;
        ev.wall_usec = rec->wall_usec;
        ev.wall_local = rec->wall_local;
        ev.year_assumed = rec->wall_usec >= 0 && rec->wall_no_year;
        *ret_event = ev;
        return 1;
}
