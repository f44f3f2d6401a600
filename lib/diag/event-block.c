/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Block layer, devices (SCSI, ATA, NVMe, device-mapper) and memory errors.
 *
 * Block-layer request errors (block/blk-core.c blk_print_req_error and its ancestors):
 *   3.x   "end_request: I/O error, dev sda, sector 123"
 *   4.x   "blk_update_request: I/O error, dev sda, sector 123"
 *   4.19  "print_req_error: I/O error, dev sda, sector 123"
 *   5.3   "blk_update_request: I/O error, dev sda, sector 123 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0"
 *   5.x+  "critical space allocation error, dev loop0, sector 731464 op 0x1:(WRITE) flags 0x4000 ..."
 * The word before " error" is the blk_errors[] name of the blk_status_t.
 */
#include <errno.h>
#include "event-parsers.h"
#include "event-util.h"

struct blk_error_name {
        const char *name;        /* as printed before " error, dev " */
        size_t len;
        int err;
        enum fsd_event_kind kind;
};

#define BLK(n, e, k) { n, sizeof(n) - 1, e, k }
static const struct blk_error_name blk_errors[] = {
        BLK("I/O", -EIO, FSD_EV_IO_ERROR),
        BLK("critical space allocation", -ENOSPC, FSD_EV_SPACE_ALLOC_ERROR),
        BLK("critical medium", -ENODATA, FSD_EV_DEVICE_ERROR),
        BLK("critical target", -EREMOTEIO, FSD_EV_DEVICE_ERROR),
        BLK("critical nexus", -EBADE, FSD_EV_DEVICE_ERROR),
        BLK("reservation conflict", -EBADE, FSD_EV_DEVICE_ERROR),
        BLK("recoverable transport", -ENOLINK, FSD_EV_IO_ERROR),
        BLK("timeout", -ETIMEDOUT, FSD_EV_IO_ERROR),
        BLK("operation not supported", -EOPNOTSUPP, FSD_EV_IO_ERROR),
        BLK("protection", -EILSEQ, FSD_EV_DEVICE_ERROR),
        BLK("kernel resource", -ENOMEM, FSD_EV_IO_ERROR),
        BLK("device resource", -EBUSY, FSD_EV_IO_ERROR),
        BLK("nonblocking retry", -EAGAIN, FSD_EV_IO_ERROR),
        BLK("open zones exceeded", -ETOOMANYREFS, FSD_EV_IO_ERROR),
        BLK("active zones exceeded", -EOVERFLOW, FSD_EV_IO_ERROR),
        BLK("device offline", -ENODEV, FSD_EV_DEVICE_OFFLINE),
        BLK("duration limit exceeded", -ETIME, FSD_EV_IO_ERROR),
        BLK("invalid", -EINVAL, FSD_EV_IO_ERROR),
};
#undef BLK

/* Functions that have printed the request error as "func: <name> error, dev ..." */
static const char *skip_blk_func(const char *p, const char *end, struct span *ret_func) {
        static const struct {
                const char *s;
                size_t n;
        } funcs[] = {
                { "blk_update_request: ", 20 },
                { "print_req_error: ", 17 },
                { "end_request: ", 13 },
                { "blk_print_req_error: ", 21 },
                { "blk_mq_end_request: ", 20 },
        };
        /* cheap first-byte filter: these lines mostly are not block-layer errors at all */
        if (*p != 'b' && *p != 'p' && *p != 'e')
                return p;
        for (size_t i = 0; i < ELEMENTSOF(funcs); i++)
                if (funcs[i].s[0] == *p && funcs[i].s[1] == p[1] && mem_starts(p, end, funcs[i].s, funcs[i].n)) {
                        *ret_func = (struct span) { p, p + funcs[i].n - 2 };
                        return p + funcs[i].n;
                }
        return p;
}

int event_parse_blk(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        struct span func = { 0 };
        const char *q = skip_blk_func(p, end, &func);

        const struct blk_error_name *hit = NULL;
        if (q >= end)
                return 0;
        /* Most lines that get here start with an ordinary word ("eth0:", "cgroup:", "docker0:"):
         * the first letter picks the few names that can match (indexes into blk_errors[], 0 ends
         * a list: index 0, "I/O", has a letter of its own); 'l' is "lost page write". */
        static const uint8_t candidates[][5] = {
                ['I' - 'I'] = { 0 + 1 },
                ['c' - 'I'] = { 1 + 1, 2 + 1, 3 + 1, 4 + 1 },
                ['r' - 'I'] = { 5 + 1, 6 + 1 },
                ['t' - 'I'] = { 7 + 1 },
                ['o' - 'I'] = { 8 + 1, 13 + 1 },
                ['p' - 'I'] = { 9 + 1 },
                ['k' - 'I'] = { 10 + 1 },
                ['d' - 'I'] = { 11 + 1, 15 + 1, 16 + 1 },
                ['n' - 'I'] = { 12 + 1 },
                ['a' - 'I'] = { 14 + 1 },
                ['i' - 'I'] = { 17 + 1 },
        };
        unsigned letter = (unsigned char) *q - 'I';
        if (letter >= ELEMENTSOF(candidates))
                return 0;
        for (const uint8_t *c = candidates[letter]; c < candidates[letter] + 5 && *c; c++) {
                const struct blk_error_name *b = &blk_errors[*c - 1];
                if (mem_starts(q, end, b->name, b->len) && mem_starts(q + b->len, end, " error, dev ", 12)) {
                        hit = b;
                        break;
                }
        }
        if (!hit) {
                /* 3.x "lost page write due to I/O error on sda1" */
                if (STARTS(q, end, "lost page write due to I/O error on "))
                        return event_parse_buffer_io(q, end, sc, ev);
                return 0;
        }
        q += hit->len + 12;

        event_begin(ev, hit->kind, FSD_FS_NONE, hit->kind == FSD_EV_DEVICE_ERROR || hit->kind == FSD_EV_DEVICE_OFFLINE ? FSD_LAYER_DEVICE : FSD_LAYER_BLOCK);
        ev->error = hit->err;
        event_set_error_text(sc, ev, hit->name, hit->len);
        if (func.p)
                event_set_function(sc, ev, func.p, span_len(func));
        struct span dev = take_until(&q, end, ",");
        event_set_device(sc, ev, dev.p, span_len(dev));
        if (EAT(&q, end, ", sector ")) {
                uint64_t sector;
                if (parse_u64(&q, end, &sector))
                        ev->sector = sector;
        }
        /* " op 0x1:(WRITE) flags 0x4000 phys_seg 21 prio class 2" */
        if (EAT(&q, end, " op ")) {
                const char *open = mem_chr(q, end, '(');
                if (open) {
                        const char *close = mem_chr(open, end, ')');
                        if (close)
                                event_set_op(sc, ev, open + 1, (size_t) (close - open - 1));
                }
        }
        return 1;
}

/* "Buffer I/O error on dev loop0, logical block 262145, lost sync page write"  (fs/buffer.c, 4.x+)
 * "Buffer I/O error on device loop0, logical block 63488"                   (ext4 page-io, 3.x buffer.c)
 * "lost page write due to I/O error on sda1"                                (3.x) */
int event_parse_buffer_io(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (EAT(&q, end, "lost page write due to I/O error on ")) {
                event_begin(ev, FSD_EV_BUFFER_IO_ERROR, FSD_FS_NONE, FSD_LAYER_BLOCK);
                event_set_device(sc, ev, q, (size_t) (end - q));
                ev->error = -EIO;
                event_set_op(sc, ev, "WRITE", 5);
                EVENT_ADD_DETAIL_LIT(sc, ev, "lost page write");
                return 1;
        }
        if (!EAT(&q, end, "Buffer I/O error on "))
                return 0;
        if (!EAT(&q, end, "dev ") && !EAT(&q, end, "device "))
                return 0;
        event_begin(ev, FSD_EV_BUFFER_IO_ERROR, FSD_FS_NONE, FSD_LAYER_BLOCK);
        ev->error = -EIO;
        struct span dev = take_until(&q, end, ",");
        event_set_device(sc, ev, dev.p, span_len(dev));
        if (EAT(&q, end, ", ")) {
                const char *s = q;
                struct span blk = take_until(&q, end, ",");
                event_add_detail(sc, ev, s, span_len(blk));
        }
        if (EAT(&q, end, ", ")) {
                event_add_detail(sc, ev, q, (size_t) (end - q));
                if (FIND(q, end, "write"))
                        event_set_op(sc, ev, "WRITE", 5);
        }
        return 1;
}

/* "hostbyte=DID_TIME_OUT driverbyte=DRIVER_OK cmd_age=30s" (scsi_print_result): the host byte says
 * how the command ended. Only DRIVER_SENSE results carry sense data (a medium or hardware error
 * follows as "Sense Key : ..."); a timeout, a lost transport or a reset is no statement about the
 * medium. DID_OK says nothing by itself: since 5.14 the driver byte is always DRIVER_OK, so only
 * the sense lines that follow (or their absence) tell a medium error from a timed-out command. */
static void scsi_result_event(const char *r, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *host = FIND(r, end, "hostbyte=");
        struct span hb = { end, end };
        if (host) {
                const char *q = host + sizeof("hostbyte=") - 1;
                hb = take_until(&q, end, " ");
        }
#define HB(lit) mem_starts(hb.p, hb.end, lit, sizeof(lit) - 1)
        if (HB("DID_TIME_OUT") || HB("DID_ABORT") || HB("DID_RESET")) {
                event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ETIMEDOUT;
                event_set_error_text(sc, ev, hb.p, span_len(hb));
        } else if (HB("DID_NO_CONNECT") || HB("DID_BAD_TARGET")) {
                event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENODEV;
                event_set_error_text(sc, ev, hb.p, span_len(hb));
        } else if (HB("DID_TRANSPORT_")) {
                event_begin(ev, FSD_EV_PATH_FAILED, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENOLINK;
                event_set_error_text(sc, ev, hb.p, span_len(hb));
        } else {
                event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -EIO;
        }
#undef HB
}

/* "sd 2:0:0:0: [sdb] tag#3 Sense Key : Medium Error [current]" and friends. */
int event_parse_scsi(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!EAT(&q, end, "sd ") && !EAT(&q, end, "scsi ") && !EAT(&q, end, "sr "))
                return 0;
        struct span hctl = take_until(&q, end, " ");
        if (span_len(hctl) < 2 || hctl.end[-1] != ':' || !is_digit(hctl.p[0]))
                return 0;
        hctl.end--;
        skip_spaces(&q, end);
        struct span dev = hctl;
        if (q < end && *q == '[') {
                q++;
                dev = take_until(&q, end, "]");
                if (!EAT(&q, end, "]"))
                        return 0;
                skip_spaces(&q, end);
        }
        if (EAT(&q, end, "tag#")) {
                while (q < end && *q != ' ')
                        q++;
                skip_spaces(&q, end);
        }
        const char *m = q;
        enum fsd_event_kind kind;

        if (STARTS(m, end, "Sense Key : ") || STARTS(m, end, "Sense Key: ")) {
                q = mem_chr(m, end, ':') + 1;
                skip_spaces(&q, end);
                /* Unit Attention, Recovered Error and No Sense report no failure */
                if (!STARTS(q, end, "Medium Error") && !STARTS(q, end, "Hardware Error") &&
                    !STARTS(q, end, "Aborted Command") && !STARTS(q, end, "Not Ready") &&
                    !STARTS(q, end, "Data Protect"))
                        return 0;
                kind = FSD_EV_DEVICE_ERROR;
                event_begin(ev, kind, FSD_FS_NONE, FSD_LAYER_DEVICE);
                struct span key = take_until(&q, end, "[");
                event_set_error_text(sc, ev, key.p, span_len(key));
                if (STARTS(key.p, key.end, "Medium Error"))
                        ev->error = -ENODATA;
                else
                        ev->error = -EIO;
        } else if (STARTS(m, end, "Add. Sense: ")) {
                q = m + sizeof("Add. Sense: ") - 1;
                if (FIND(q, end, "Power on") || FIND(q, end, "has changed") || FIND(q, end, "changed"))
                        return 0;
                event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                event_set_error_text(sc, ev, q, (size_t) (end - q));
        } else if (STARTS(m, end, "FAILED Result: ") || STARTS(m, end, "Unhandled sense code") ||
                   STARTS(m, end, "Unhandled error code")) {
                const char *r = FIND(m, end, "Result: ");
                scsi_result_event(r ? r + 8 : end, end, sc, ev);
                if (r)
                        event_add_detail(sc, ev, r + 8, (size_t) (end - r - 8));
        } else if (STARTS(m, end, "rejecting I/O to offline device") || STARTS(m, end, "rejecting I/O to dead device") ||
                   STARTS(m, end, "Device offlined") || FIND(m, end, "Offlining disk")) {
                event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENODEV;
        } else if (STARTS(m, end, "timing out command")) {
                event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ETIMEDOUT;
        } else
                return 0;

        if (dev.p == hctl.p) /* no block device name yet: keep "2:0:0:0" whole */
                ev->device = copy_span(sc->device, sizeof sc->device, hctl.p, span_len(hctl));
        else
                event_set_device(sc, ev, dev.p, span_len(dev));
        if (dev.p != hctl.p) {
                char buf[48];
                int n = snprintf(buf, sizeof buf, "scsi %.*s", (int) MIN(span_len(hctl), (size_t) 32), hctl.p);
                if (n > 0)
                        event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
        }
        return 1;
}

/* "ata1.00: exception Emask 0x0 SAct 0x1 SErr 0x0 action 0x0", "ata1: hard resetting link" */
int event_parse_ata(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!EAT(&q, end, "ata") || q >= end || !is_digit(*q))
                return 0;
        /* "ata3" the link, "ata3.00" the device on it: one port, one episode */
        struct span dev = { p, NULL };
        while (q < end && is_digit(*q))
                q++;
        dev.end = q;
        while (q < end && (is_digit(*q) || *q == '.'))
                q++;
        if (!EAT(&q, end, ": ") || q >= end)
                return 0;
        const char *m = q;

        switch (*m) {
        case 'e':
                if (STARTS(m, end, "exception Emask ")) {
                        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_add_detail(sc, ev, m + 10, (size_t) (end - m - 10));
                        ev->error = -EIO;
                        break;
                }
                if (STARTS(m, end, "error: { ")) {
                        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_set_error_text(sc, ev, m + 7, (size_t) (end - m - 7));
                        ev->error = FIND(m, end, "UNC") ? -ENODATA : -EIO;
                        break;
                }
                return 0;
        case 'f':
                if (STARTS(m, end, "failed command: ")) {
                        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        q = m + sizeof("failed command: ") - 1;
                        event_set_op(sc, ev, q, (size_t) (end - q));
                        ev->error = -EIO;
                        break;
                }
                return 0;
        case 'r':
                /* "res 40/00:00:00:00:00/00:00:00:00:00/40 Emask 0x4 (timeout)": how the failed
                 * command ended (drivers/ata/libata-eh.c ata_eh_link_report) */
                if (STARTS(m, end, "res ") && FIND(m, end, "(timeout)")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_set_error_text(sc, ev, "timeout", sizeof("timeout") - 1);
                        ev->error = -ETIMEDOUT;
                        break;
                }
                if (STARTS(m, end, "res ") && FIND(m, end, "(media error)")) {
                        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_set_error_text(sc, ev, "media error", sizeof("media error") - 1);
                        ev->error = -ENODATA;
                        break;
                }
                return 0;
        case 'h':
        case 's':
                if (STARTS(m, end, "hard resetting link") || STARTS(m, end, "soft resetting link")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        break;
                }
                return 0;
        case 'C':
                if (STARTS(m, end, "COMRESET failed")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_find_errno(ev, m, end);
                        break;
                }
                return 0;
        case 'l':
                if (STARTS(m, end, "link is slow to respond")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        break;
                }
                return 0;
        case 'd':
                if (STARTS(m, end, "disabled")) {
                        event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        ev->error = -ENODEV;
                        break;
                }
                return 0;
        case 'N':
                if (STARTS(m, end, "NCQ disabled due to excessive errors")) {
                        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        break;
                }
                return 0;
        default:
                return 0;
        }
        event_set_device(sc, ev, dev.p, span_len(dev));
        return 1;
}

/* "nvme nvme0: I/O 123 QID 4 timeout, reset controller"
 * "nvme0n1: I/O Cmd(0x2) @ LBA 2048, 8 blocks, I/O Error (sct 0x2 / sc 0x81) MORE DNR" (5.19+) */
int event_parse_nvme(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (EAT(&q, end, "nvme ")) {
                struct span dev = take_until(&q, end, ":");
                if (!EAT(&q, end, ": "))
                        return 0;
                const char *m = q;
                if ((STARTS(m, end, "I/O ") && FIND(m, end, " timeout")) ||
                    STARTS(m, end, "controller is down; will reset") || STARTS(m, end, "resetting controller")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        ev->error = -ETIMEDOUT;
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                } else if (STARTS(m, end, "Removing after probe failure") || STARTS(m, end, "Device not ready; aborting") ||
                           STARTS(m, end, "Disabling device after reset failure")) {
                        event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_find_errno(ev, m, end);
                        const char *colon = FIND(m, end, ": -");
                        if (colon && !ev->error) {
                                const char *r = colon + 2;
                                int err;
                                if (parse_int(&r, end, &err))
                                        ev->error = err;
                        }
                        if (!ev->error)
                                ev->error = -ENODEV;
                } else
                        return 0;
                event_set_device(sc, ev, dev.p, span_len(dev));
                return 1;
        }
        if (!EAT(&q, end, "nvme") || q >= end || !is_digit(*q))
                return 0;
        const char *colon = mem_chr(q, end, ':');
        if (!colon || colon - p > 32)
                return 0;
        const char *m = colon + 1;
        skip_spaces(&m, end);
        const char *lba = FIND(m, end, " @ LBA ");
        if (!lba)
                return 0;
        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
        event_set_device(sc, ev, p, (size_t) (colon - p));
        struct span op = take_until(&(const char *) { m }, lba, "(");
        if (STARTS(op.p, op.end, "Write") || STARTS(op.p, op.end, "I/O Cmd(0x1)"))
                event_set_op(sc, ev, "WRITE", 5);
        else if (STARTS(op.p, op.end, "Read") || STARTS(op.p, op.end, "I/O Cmd(0x2)"))
                event_set_op(sc, ev, "READ", 4);
        else if (STARTS(op.p, op.end, "Flush"))
                event_set_op(sc, ev, "FLUSH", 5);
        else
                event_set_op(sc, ev, op.p, span_len(op));
        const char *status = mem_chr(lba + 7, end, ',');
        status = status ? mem_chr(status + 1, end, ',') : NULL;
        if (status) {
                status++;
                skip_spaces(&status, end);
                const char *paren = FIND(status, end, " (");
                event_set_error_text(sc, ev, status, (size_t) ((paren ? paren : end) - status));
        }
        event_add_detail(sc, ev, lba + 3, (size_t) (end - lba - 3));
        ev->error = -EIO;
        return 1;
}

/* "device-mapper: thin: 253:2: switching pool to out-of-data-space (error IO) mode"
 * "device-mapper: multipath: 253:0: Failing path 8:16." (older without "253:0: ") */
int event_parse_dm(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p + sizeof("device-mapper: ") - 1;
        bool thin = EAT(&q, end, "thin: ");
        bool mpath = !thin && EAT(&q, end, "multipath: ");
        bool sm = !thin && !mpath && EAT(&q, end, "space map metadata: ");
        if (!thin && !mpath && !sm)
                return 0;

        /* "253:2: " names the dm device; dm minor N is /dev/dm-N */
        char dmname[24] = "";
        const char *r = q;
        uint64_t major, minor;
        if (parse_u64(&r, end, &major) && EAT(&r, end, ":") && parse_u64(&r, end, &minor) && EAT(&r, end, ": ")) {
                snprintf(dmname, sizeof dmname, "dm-%llu", (unsigned long long) minor);
                q = r;
        }
        const char *m = q;

        if (thin || sm) {
                if (STARTS(m, end, "switching pool to ")) {
                        q = m + sizeof("switching pool to ") - 1;
                        const char *mode_end = FIND(q, end, " mode");
                        if (!mode_end)
                                mode_end = end;
                        /* "write" mode is the pool recovering */
                        if (STARTS(q, end, "write"))
                                return 0;
                        event_begin(ev, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_add_detail(sc, ev, q, (size_t) (mode_end - q));
                        if (STARTS(q, end, "out-of-data-space"))
                                ev->error = -ENOSPC;
                } else if (STARTS(m, end, "reached low water mark")) {
                        event_begin(ev, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "low water mark");
                } else if (STARTS(m, end, "no free data space") || STARTS(m, end, "no free metadata space") ||
                           STARTS(m, end, "unable to allocate new metadata block")) {
                        event_begin(ev, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        ev->error = -ENOSPC;
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                } else if (STARTS(m, end, "metadata operation '") && FIND(m, end, "failed")) {
                        event_begin(ev, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        q = m + sizeof("metadata operation '") - 1;
                        struct span fn = take_until(&q, end, "'");
                        event_set_function(sc, ev, fn.p, span_len(fn));
                        event_find_errno(ev, m, end);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "metadata");
                } else
                        return 0;
        } else {
                if (STARTS(m, end, "Failing path ")) {
                        event_begin(ev, FSD_EV_PATH_FAILED, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        q = m + sizeof("Failing path ") - 1;
                        struct span path = take_until(&q, end, " .");
                        char buf[48];
                        int n = snprintf(buf, sizeof buf, "path %.*s", (int) MIN(span_len(path), (size_t) 32), path.p);
                        if (n > 0)
                                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
                } else if (STARTS(m, end, "queue_if_no_path timeout on ")) {
                        /* "queue_if_no_path timeout on 253:3, failing queued IO": no path came back
                         * within no_path_retry, the queued I/O now fails */
                        event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        ev->error = -EIO;
                        event_add_detail(sc, ev, "no path left", sizeof("no path left") - 1);
                        r = m + sizeof("queue_if_no_path timeout on ") - 1;
                        if (!dmname[0] && parse_u64(&r, end, &major) && EAT(&r, end, ":") && parse_u64(&r, end, &minor))
                                snprintf(dmname, sizeof dmname, "dm-%llu", (unsigned long long) minor);
                } else if (STARTS(m, end, "Could not failover")) {
                        event_begin(ev, FSD_EV_PATH_FAILED, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                } else
                        return 0;
        }
        if (dmname[0])
                event_set_device(sc, ev, dmname, strlen(dmname));
        return 1;
}

/* "EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (...)" */
int event_parse_edac(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!EAT(&q, end, "EDAC "))
                return 0;
        const char *ce = FIND(q, end, " CE ");
        const char *ue = FIND(q, end, " UE ");
        if (!ce && !ue)
                return 0;
        event_begin(ev, FSD_EV_MEMORY_ERROR, FSD_FS_NONE, FSD_LAYER_HARDWARE);
        event_set_error_text(sc, ev, ue ? "UE" : "CE", 2);
        ev->error = ue ? -EIO : 0;
        const char *mc = FIND(q, end, "MC");
        if (mc && mc + 2 < end && is_digit(mc[2])) {
                const char *t = mc + 2;
                while (t < end && is_digit(*t))
                        t++;
                event_set_device(sc, ev, mc, (size_t) (t - mc));
        }
        const char *colon = mem_chr(q, end, ':');
        if (colon && colon + 2 < end)
                event_add_detail(sc, ev, colon + 2, (size_t) (end - colon - 2));
        return 1;
}

/* "mce: [Hardware Error]: Machine check events logged", "Memory failure: 0x1234: recovery action ..." */
int event_parse_mce(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (EAT(&q, end, "Memory failure: ")) {
                event_begin(ev, FSD_EV_MEMORY_ERROR, FSD_FS_NONE, FSD_LAYER_HARDWARE);
                event_add_detail(sc, ev, q, (size_t) (end - q));
                ev->error = -EIO;
                return 1;
        }
        EAT(&q, end, "mce: ");
        if (!EAT(&q, end, "[Hardware Error]: "))
                return 0;
        if (STARTS(q, end, "Machine check events logged") ||
            (FIND(q, end, "Machine Check") && FIND(q, end, "Exception"))) {
                event_begin(ev, FSD_EV_MEMORY_ERROR, FSD_FS_NONE, FSD_LAYER_HARDWARE);
                event_add_detail(sc, ev, q, (size_t) (end - q));
                return 1;
        }
        return 0;
}

/* drivers/scsi/scsi_transport_iscsi.c:
 *   " connection1:0: detected conn error (1020)"        iscsi_conn_error_event
 *   " session1: session recovery timed out after 120 secs"   session_recovery_timedout
 * The connection error is a lost transport (the session tries to recover); the recovery timeout
 * is the end of it: the SCSI devices of the session are offlined and their I/O fails. */
int event_parse_iscsi(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        bool conn = STARTS(q, end, "connection");
        if (!conn && !STARTS(q, end, "session"))
                return 0;
        const char *colon = FIND(q, end, ": ");
        if (!colon || colon - p > 32)
                return 0;
        /* "connection1:0" keeps its ":0": the name ends at ": " */
        struct span name = { p, colon };
        const char *m = colon + 2;
        if (conn && STARTS(m, end, "detected conn error")) {
                event_begin(ev, FSD_EV_PATH_FAILED, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENOTCONN;
                event_add_detail(sc, ev, m, (size_t) (end - m));
        } else if (!conn && STARTS(m, end, "session recovery timed out")) {
                event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENODEV;
                event_add_detail(sc, ev, m, (size_t) (end - m));
        } else
                return 0;
        /* "connection<sid>:<cid>" is a connection of "session<sid>": one session, one episode */
        const char *sid = name.p + (conn ? sizeof("connection") - 1 : sizeof("session") - 1);
        const char *sid_end = sid;
        while (sid_end < name.end && is_digit(*sid_end))
                sid_end++;
        char buf[48];
        int n = snprintf(buf, sizeof buf, "iscsi session%.*s", (int) MIN((size_t) (sid_end - sid), (size_t) 16), sid);
        if (n > 0)
                ev->device = copy_span(sc->device, sizeof sc->device, buf, MIN((size_t) n, sizeof buf - 1));
        return 1;
}
