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
#include "event-parsers.h"
#include "event-util.h"

/* "<func>: N callbacks suppressed" from the printk rate limiter. Only the storage stack's own
 * limiters are events; "net_ratelimit: 3 callbacks suppressed" and friends are not. */
static int parse_suppressed(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *colon = scan_chr(p, end, ':');
        if (!colon || colon == p || colon - p > 64)
                return 0;
        struct span func = span_range(p, colon);
        const char *q = colon + 1;
        scan_spaces(&q, end);
        uint64_t n;
        if (!scan_u64(&q, end, &n) || n == 0 || !SCAN_STARTS(q, end, " callbacks suppressed"))
                return 0; /* count stays >= 1 for every event */

        enum fsd_fs_type fs = FSD_FS_NONE;
        enum fsd_layer layer;
        if (SCAN_FIND(func.ptr, span_end(func), "btrfs") || SCAN_FIND(func.ptr, span_end(func), "BTRFS"))
                fs = FSD_FS_BTRFS, layer = FSD_LAYER_FS;
        else if (SCAN_FIND(func.ptr, span_end(func), "ext4") || SCAN_FIND(func.ptr, span_end(func), "EXT4") ||
                 SCAN_FIND(func.ptr, span_end(func), "jbd2"))
                fs = FSD_FS_EXT4, layer = FSD_LAYER_FS;
        else if (SCAN_FIND(func.ptr, span_end(func), "xfs") || SCAN_FIND(func.ptr, span_end(func), "XFS"))
                fs = FSD_FS_XFS, layer = FSD_LAYER_FS;
        else if (SCAN_STARTS(func.ptr, span_end(func), "blk_") || SCAN_STARTS(func.ptr, span_end(func), "print_req_error") ||
                 SCAN_STARTS(func.ptr, span_end(func), "buffer_io_error") || SCAN_STARTS(func.ptr, span_end(func), "end_request") ||
                 SCAN_STARTS(func.ptr, span_end(func), "bio_") || SCAN_STARTS(func.ptr, span_end(func), "__blk_"))
                layer = FSD_LAYER_BLOCK;
        else if (SCAN_FIND(func.ptr, span_end(func), "scsi") || SCAN_STARTS(func.ptr, span_end(func), "sd_") ||
                 SCAN_STARTS(func.ptr, span_end(func), "ata") || SCAN_FIND(func.ptr, span_end(func), "nvme") ||
                 SCAN_STARTS(func.ptr, span_end(func), "dm_") || SCAN_STARTS(func.ptr, span_end(func), "device-mapper"))
                layer = FSD_LAYER_DEVICE;
        else
                return 0;

        event_begin(ev, FSD_EV_SUPPRESSED, fs, layer);
        event_set_function(sc, ev, func.ptr, func.len);
        ev->count = n;
        return 1;
}

/* multipathd: "mpatha: remaining active paths: 0" */
static int parse_remaining_paths(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *hit = SCAN_FIND(p, end, ": remaining active paths: ");
        if (!hit)
                return 0;
        const char *q = hit + sizeof(": remaining active paths: ") - 1;
        uint64_t n;
        if (!scan_u64(&q, end, &n))
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
        if (n > 26 && ascii_is_digit(end[-1])) {
                const char *q = end - 1;
                while (q > p && ascii_is_digit(q[-1]))
                        q--;
                if (q - p > 24 && q[-2] == ':' && q[-3] == 's' && memcmp(q - 24, "remaining active paths: ", 24) == 0)
                        return parse_remaining_paths(p, end, sc, ev);
                /* "sdb1: writeback error on ..., sector 2048": the device comes first, any letter */
                if (q - p > 30 && q[-2] == 'r' && memcmp(q - 8, " sector ", 8) == 0 && event_parse_iomap_writeback(p, end, sc, ev))
                        return 1;
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
        if (q >= end || !ascii_is_digit(*q))
                return p;
        while (q < end && ascii_is_digit(*q))
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
                        return SCAN_STARTS(p, end, "BTRFS") ? event_parse_btrfs(p, end, sc, ev) : 0;
                if (p[1] == 'u')
                        return event_parse_buffer_io(p, end, sc, ev);
                return 0;
        case 'b':
                if (p[1] == 't')
                        return SCAN_STARTS(p, end, "btrfs") ? event_parse_btrfs(p, end, sc, ev) : 0;
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
        case 'u':
                if (p[1] == 's' && p[2] == 'b' && p[3] == ' ')
                        return event_parse_usb(p, end, sc, ev);
                return 0;
        case 'n':
                if (p[1] == 'v')
                        return event_parse_nvme(p, end, sc, ev);
                return 0;
        case 'd':
                if (p[1] == 'e' && p[2] == 'v' && p[3] == 'i' && SCAN_STARTS(p, end, "device-mapper: "))
                        return event_parse_dm(p, end, sc, ev);
                return event_parse_blk(p, end, sc, ev);
        case 'm':
                if (p[1] == 'c')
                        return event_parse_mce(p, end, sc, ev);
                if (p[1] == 'd' && p[2] == '/')
                        return event_parse_md(p, end, sc, ev);
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

/* Remember the device of "ata3.00: cmd 61/08:00:...": the indented "res" line after it is its. */
static void note_ata_cmd(const char *p, const char *end, uint64_t line, struct event_scratch *sc) {
        if (p[0] != 'a' || p[1] != 't' || p[2] != 'a' || !ascii_is_digit(p[3])) {
                sc->ata_cmd_device[0] = 0;
                return;
        }
        const char *colon = memchr(p, ':', (size_t) MIN(end - p, (ptrdiff_t) sizeof sc->ata_cmd_device - 1));
        if (!colon || end - colon < 6 || memcmp(colon, ": cmd ", 6) != 0) {
                sc->ata_cmd_device[0] = 0;
                return;
        }
        memcpy(sc->ata_cmd_device, p, (size_t) (colon - p));
        sc->ata_cmd_device[colon - p] = 0;
        sc->ata_cmd_line = line;
}

int event_parse(const struct fsd_record *rec, struct event_scratch *scratch, struct fsd_event *ret_event) {
        if (!rec || !rec->text || !scratch || !ret_event || rec->len < 8)
                return 0;

        const char *p = rec->text, *end = p + rec->len;
        if (*p == '[' && (p[1] == ' ' || p[1] == 'T' || p[1] == 'C'))
                p = skip_caller_id(p, end);
        /* One blank may be left over from a timestamp prefix. More means an indented line: a
         * call-trace frame or register dump inside a report, never an event, except libata's
         * "res" line that goes with the "cmd" line right before it. */
        if (p < end && *p == ' ')
                p++;
        const char *text = p, *text_end = end; /* what the event quotes: the line as logged */
        if (end - p >= 4 && (*p == ' ' || *p == 'r') && scratch->ata_cmd_device[0] &&
            rec->line == scratch->ata_cmd_line + 1) {
                const char *q = p;
                while (q < end && *q == ' ')
                        q++;
                if (end - q > 4 && memcmp(q, "res ", 4) == 0) {
                        int n = snprintf(scratch->line_buf, sizeof scratch->line_buf, "%s: %.*s",
                                         scratch->ata_cmd_device, (int) MIN(end - q, 400), q);
                        p = scratch->line_buf;
                        end = p + MIN((size_t) n, sizeof scratch->line_buf - 1);
                        text = q;
                }
        }
        if (end - p < 8 || *p == ' ')
                return 0;
        note_ata_cmd(p, end, rec->line, scratch);
        scratch->rec = rec;

        struct fsd_event ev;
        int r = dispatch(p, end, scratch, &ev);
        scratch->rec = NULL;
        if (r <= 0)
                return 0;

        if (p != scratch->line_buf)
                text = p;
        ev.text = span_copy(scratch->text, sizeof scratch->text, text, (size_t) (text_end - text));
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
