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
                if (funcs[i].s[0] == *p && funcs[i].s[1] == p[1] && scan_starts(p, end, funcs[i].s, funcs[i].n)) {
                        *ret_func = span_make(p, funcs[i].n - 2);
                        return p + funcs[i].n;
                }
        return p;
}

/* "vda", "vdb3" (virtio-blk), "xvda1" (Xen blkfront): a paravirtual disk, whose errors come from the
 * hypervisor's storage backend; the guest sees no drive, no SMART, no sense data */
static bool is_virtual_disk(struct span dev) {
        const char *p = dev.ptr, *end = span_end(dev);
        if (!SCAN_EAT(&p, end, "xvd") && !SCAN_EAT(&p, end, "vd"))
                return false;
        if (p >= end || *p < 'a' || *p > 'z')
                return false;
        while (p < end && *p >= 'a' && *p <= 'z')
                p++;
        while (p < end && ascii_is_digit(*p))
                p++;
        return p == end;
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
                if (scan_starts(q, end, b->name, b->len) && scan_starts(q + b->len, end, " error, dev ", 12)) {
                        hit = b;
                        break;
                }
        }
        if (!hit) {
                /* 3.x "lost page write due to I/O error on sda1" */
                if (SCAN_STARTS(q, end, "lost page write due to I/O error on "))
                        return event_parse_buffer_io(q, end, sc, ev);
                return 0;
        }
        q += hit->len + 12;

        event_begin(ev, hit->kind, FSD_FS_NONE, hit->kind == FSD_EV_DEVICE_ERROR || hit->kind == FSD_EV_DEVICE_OFFLINE ? FSD_LAYER_DEVICE : FSD_LAYER_BLOCK);
        ev->error = hit->err;
        event_set_error_text(sc, ev, hit->name, hit->len);
        if (func.ptr)
                event_set_function(sc, ev, func.ptr, func.len);
        struct span dev = scan_until(&q, end, ",");
        event_set_device(sc, ev, dev.ptr, dev.len);
        if (is_virtual_disk(dev))
                EVENT_ADD_DETAIL_LIT(sc, ev, "virtual disk");
        if (SCAN_EAT(&q, end, ", sector ")) {
                uint64_t sector;
                if (scan_u64(&q, end, &sector))
                        ev->sector = sector;
        }
        /* " op 0x1:(WRITE) flags 0x4000 phys_seg 21 prio class 2" */
        if (SCAN_EAT(&q, end, " op ")) {
                const char *open = scan_chr(q, end, '(');
                if (open) {
                        const char *close = scan_chr(open, end, ')');
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
        if (SCAN_EAT(&q, end, "lost page write due to I/O error on ")) {
                event_begin(ev, FSD_EV_BUFFER_IO_ERROR, FSD_FS_NONE, FSD_LAYER_BLOCK);
                event_set_device(sc, ev, q, (size_t) (end - q));
                ev->error = -EIO;
                event_set_op(sc, ev, "WRITE", 5);
                EVENT_ADD_DETAIL_LIT(sc, ev, "lost page write");
                return 1;
        }
        if (!SCAN_EAT(&q, end, "Buffer I/O error on "))
                return 0;
        if (!SCAN_EAT(&q, end, "dev ") && !SCAN_EAT(&q, end, "device "))
                return 0;
        event_begin(ev, FSD_EV_BUFFER_IO_ERROR, FSD_FS_NONE, FSD_LAYER_BLOCK);
        ev->error = -EIO;
        struct span dev = scan_until(&q, end, ",");
        event_set_device(sc, ev, dev.ptr, dev.len);
        if (SCAN_EAT(&q, end, ", ")) {
                const char *s = q;
                struct span blk = scan_until(&q, end, ",");
                event_add_detail(sc, ev, s, blk.len);
        }
        if (SCAN_EAT(&q, end, ", ")) {
                event_add_detail(sc, ev, q, (size_t) (end - q));
                if (SCAN_FIND(q, end, "write"))
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
        const char *host = SCAN_FIND(r, end, "hostbyte=");
        struct span hb = span_make(end, 0);
        if (host) {
                const char *q = host + sizeof("hostbyte=") - 1;
                hb = scan_until(&q, end, " ");
        }
#define HB(lit) scan_starts(hb.ptr, span_end(hb), lit, sizeof(lit) - 1)
        if (HB("DID_TIME_OUT") || HB("DID_ABORT") || HB("DID_RESET")) {
                event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ETIMEDOUT;
                event_set_error_text(sc, ev, hb.ptr, hb.len);
        } else if (HB("DID_NO_CONNECT") || HB("DID_BAD_TARGET")) {
                event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENODEV;
                event_set_error_text(sc, ev, hb.ptr, hb.len);
        } else if (HB("DID_TRANSPORT_")) {
                event_begin(ev, FSD_EV_PATH_FAILED, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENOLINK;
                event_set_error_text(sc, ev, hb.ptr, hb.len);
        } else {
                event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -EIO;
        }
#undef HB
}

/* ---- USB storage: port -> SCSI host -> disk ----
 * drivers/usb/storage/usb.c names its SCSI host after the interface ("usb-storage 2-1:1.0",
 * us->scsi_name), which drivers/scsi/hosts.c scsi_add_host prints as "scsi host6: usb-storage
 * 2-1:1.0"; uas prints only "scsi host6: uas". The disk is the one "sd 6:0:0:0: [sdb]" names. */

/* The origin, host and boot of the record being parsed: SCSI host numbers and USB ports are
 * per machine and boot (FNV-1a). */
static uint64_t usb_place(const struct event_scratch *sc) {
        uint64_t h = 1469598103934665603ULL;
        const struct fsd_record *rec = sc->rec;
        if (!rec)
                return h;
        const char *parts[2] = { rec->origin, rec->host };
        for (size_t i = 0; i < 2; i++) {
                for (const char *c = parts[i] ? parts[i] : ""; *c; c++)
                        h = (h ^ (unsigned char) *c) * 1099511628211ULL;
                h = (h ^ 0xff) * 1099511628211ULL;
        }
        return (h ^ rec->boot) * 1099511628211ULL;
}

static struct usb_storage_host *usb_host_find(struct event_scratch *sc, uint64_t place, unsigned scsi_host) {
        for (unsigned i = sc->n_usb; i-- > 0;)
                if (sc->usb[i].place == place && sc->usb[i].scsi_host == scsi_host)
                        return &sc->usb[i];
        return NULL;
}

/* "scsi host6: usb-storage 2-1:1.0" / "scsi host6: uas": host 6 is (now) that USB storage. Host
 * numbers are reused after a removal, so the line starts the entry over. */
static void usb_note_host(struct event_scratch *sc, unsigned scsi_host, struct span port) {
        uint64_t place = usb_place(sc);
        struct usb_storage_host *u = usb_host_find(sc, place, scsi_host);
        if (u) {
                size_t i = (size_t) (u - sc->usb);
                memmove(&sc->usb[i], &sc->usb[i + 1], (sc->n_usb - i - 1) * sizeof sc->usb[0]);
                sc->n_usb--;
        } else if (sc->n_usb == ELEMENTSOF(sc->usb)) {
                memmove(&sc->usb[0], &sc->usb[1], (sc->n_usb - 1) * sizeof sc->usb[0]);
                sc->n_usb--;
        }
        u = &sc->usb[sc->n_usb++];
        *u = (struct usb_storage_host) { .place = place, .scsi_host = scsi_host };
        span_copy(u->port, sizeof u->port, port.ptr, port.len);
}

/* "sd 6:0:0:0: [sdb] ...": sdb is host 6's disk, when host 6 is USB storage. */
static void usb_note_disk(struct event_scratch *sc, struct span hctl, struct span disk) {
        const char *q = hctl.ptr;
        uint64_t host;
        if (!scan_u64(&q, span_end(hctl), &host) || host > UINT32_MAX || disk.len >= sizeof sc->usb[0].disk ||
            hctl.len >= sizeof sc->usb[0].hctl)
                return;
        struct usb_storage_host *u = usb_host_find(sc, usb_place(sc), (unsigned) host);
        if (!u || u->several_disks)
                return;
        if (!u->disk[0]) {
                span_copy(u->disk, sizeof u->disk, disk.ptr, disk.len);
                span_copy(u->hctl, sizeof u->hctl, hctl.ptr, hctl.len);
        } else if (strlen(u->disk) != disk.len || memcmp(u->disk, disk.ptr, disk.len) != 0) {
                /* a card reader: one host, a disk per LUN; the port is no one disk's */
                u->several_disks = true;
                u->disk[0] = u->hctl[0] = 0;
        }
}

/* "sd 2:0:0:0: [sdb] ...": sdb is the disk at 2:0:0:0 now (an address is reused by the next
 * disk after a removal: the newest line wins). */
static void scsi_note_disk(struct event_scratch *sc, struct span hctl, struct span disk) {
        if (hctl.len >= sizeof sc->scsi_disks[0].hctl || disk.len >= sizeof sc->scsi_disks[0].disk)
                return;
        uint64_t place = usb_place(sc);
        for (unsigned i = sc->n_scsi_disks; i-- > 0;) {
                struct scsi_disk_address *a = &sc->scsi_disks[i];
                if (a->place != place || strlen(a->hctl) != hctl.len || memcmp(a->hctl, hctl.ptr, hctl.len) != 0)
                        continue;
                if (strlen(a->disk) == disk.len && memcmp(a->disk, disk.ptr, disk.len) == 0)
                        return; /* the common case: the disk's next line */
                memmove(&sc->scsi_disks[i], &sc->scsi_disks[i + 1], (sc->n_scsi_disks - i - 1) * sizeof sc->scsi_disks[0]);
                sc->n_scsi_disks--;
                break;
        }
        if (sc->n_scsi_disks == ELEMENTSOF(sc->scsi_disks)) {
                memmove(&sc->scsi_disks[0], &sc->scsi_disks[1], (sc->n_scsi_disks - 1) * sizeof sc->scsi_disks[0]);
                sc->n_scsi_disks--;
        }
        struct scsi_disk_address *a = &sc->scsi_disks[sc->n_scsi_disks++];
        *a = (struct scsi_disk_address) { .place = place };
        span_copy(a->hctl, sizeof a->hctl, hctl.ptr, hctl.len);
        span_copy(a->disk, sizeof a->disk, disk.ptr, disk.len);
}

/* The disk an "sd" line tied to the SCSI address hctl, or NULL. */
static const char *scsi_disk_at(struct event_scratch *sc, struct span hctl) {
        if (!sc->n_scsi_disks)
                return NULL;
        uint64_t place = usb_place(sc);
        for (unsigned i = sc->n_scsi_disks; i-- > 0;) {
                const struct scsi_disk_address *a = &sc->scsi_disks[i];
                if (a->place == place && strlen(a->hctl) == hctl.len && memcmp(a->hctl, hctl.ptr, hctl.len) == 0)
                        return a->disk;
        }
        return NULL;
}

/* The USB storage whose disk has the SCSI address hctl ("6:0:0:0"), or NULL. */
static const struct usb_storage_host *usb_disk_at(struct event_scratch *sc, struct span hctl) {
        uint64_t place = usb_place(sc);
        for (unsigned i = sc->n_usb; i-- > 0;) {
                const struct usb_storage_host *u = &sc->usb[i];
                if (u->place == place && u->disk[0] && strlen(u->hctl) == hctl.len && memcmp(u->hctl, hctl.ptr, hctl.len) == 0)
                        return u;
        }
        return NULL;
}

/* Puts the disk of u on ev and says where it came from; "scsi H:C:T:L" goes last, as the SCSI
 * parser's events have it. */
static void usb_set_disk(struct event_scratch *sc, struct fsd_event *ev, const struct usb_storage_host *u) {
        event_set_device(sc, ev, u->disk, strlen(u->disk));
        char buf[64];
        int n = u->port[0] ? snprintf(buf, sizeof buf, "usb %s", u->port) : snprintf(buf, sizeof buf, "scsi host%u", u->scsi_host);
        if (n > 0)
                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
        n = snprintf(buf, sizeof buf, "scsi %s", u->hctl);
        if (n > 0)
                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
}

/* "scsi host6: ..." lines: the USB storage attach lines (not events), and uas's error handler
 * resetting the device ("scsi host6: uas_eh_device_reset_handler start"), an event of its disk.
 * Older kernels' scsi_add_host printed "scsi6 : usb-storage 2-1:1.0" (old_form). */
static int scsi_host_line(const char *q, const char *end, bool old_form, struct event_scratch *sc, struct fsd_event *ev) {
        uint64_t host;
        if ((!old_form && !SCAN_EAT(&q, end, "host")) || !scan_u64(&q, end, &host) || host > UINT32_MAX)
                return 0;
        if (old_form ? !SCAN_EAT(&q, end, " : ") : !SCAN_EAT(&q, end, ": "))
                return 0;
        if (SCAN_EAT(&q, end, "usb-storage ")) {
                /* the interface "2-1:1.0" is configuration 1, interface 0 of the device on port 2-1 */
                struct span port = scan_until(&q, end, ":");
                if (port.len == 0 || port.len >= sizeof sc->usb[0].port || q >= end)
                        return 0;
                usb_note_host(sc, (unsigned) host, port);
                return 0;
        }
        if (end - q == 3 && memcmp(q, "uas", 3) == 0) {
                usb_note_host(sc, (unsigned) host, span_make(q, 0));
                return 0;
        }
        if (SCAN_STARTS(q, end, "uas_eh_device_reset_handler ") && !SCAN_FIND(q, end, " success")) {
                const struct usb_storage_host *u = usb_host_find(sc, usb_place(sc), (unsigned) host);
                if (!u || !u->disk[0])
                        return 0;
                event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                event_add_detail(sc, ev, q, (size_t) (end - q));
                usb_set_disk(sc, ev, u);
                return 1;
        }
        return 0;
}

/* drivers/usb/core/hub.c (6.1), dev_info() on the USB device "usb <port>":
 *   "USB disconnect, device number %d"                         usb_disconnect
 *   "reset %s USB device number %d using %s"                   hub_port_init, below SuperSpeed
 *   "reset SuperSpeed%s%s USB device number %d using %s"       hub_port_init, SuperSpeed and up
 * Events of the disk behind the port when the attach lines tied it (usb_note_host, usb_note_disk);
 * a port the log never tied to a disk is no event: timing alone joins nothing. A disconnect is
 * context (the disk may have been unmounted first), a reset too: a failure must follow. */
int event_parse_usb(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (sc->n_usb == 0 || !SCAN_EAT(&q, end, "usb "))
                return 0;
        struct span port = scan_until(&q, end, ":");
        if (port.len == 0 || port.len >= sizeof sc->usb[0].port || !SCAN_EAT(&q, end, ": "))
                return 0;
        for (size_t i = 0; i < port.len; i++)
                if (!ascii_is_digit(port.ptr[i]) && port.ptr[i] != '-' && port.ptr[i] != '.')
                        return 0;
        const char *m = q;
        bool disconnect = SCAN_STARTS(m, end, "USB disconnect, device number ");
        if (!disconnect && !(SCAN_STARTS(m, end, "reset ") && SCAN_FIND(m, end, " USB device number ")))
                return 0;
        uint64_t place = usb_place(sc);
        const struct usb_storage_host *u = NULL;
        for (unsigned i = sc->n_usb; i-- > 0 && !u;)
                if (sc->usb[i].place == place && strlen(sc->usb[i].port) == port.len &&
                    memcmp(sc->usb[i].port, port.ptr, port.len) == 0)
                        u = &sc->usb[i];
        if (!u || !u->disk[0])
                return 0;
        if (disconnect) {
                event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENODEV;
                event_set_error_text(sc, ev, EVENT_CONTEXT_USB_DISCONNECT, sizeof(EVENT_CONTEXT_USB_DISCONNECT) - 1);
                /* the printing function: the SCSI layer's "dead device" line on the same disk
                 * that follows is another event, not a repeat of this one */
                event_set_function(sc, ev, "usb_disconnect", sizeof("usb_disconnect") - 1);
        } else {
                event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                EVENT_ADD_DETAIL_LIT(sc, ev, "USB link reset");
        }
        usb_set_disk(sc, ev, u);
        return 1;
}

/* fs/iomap/buffered-io.c iomap_finish_ioend, printed with the filesystem's s_id (its device):
 *   5.5+  "sdb1: writeback error on inode 131, offset 0, sector 2048"
 *   5.4   "sdb1: writeback error on sector 2048"
 * Buffered data that never reached the disk; the lines before it say why (the XFS of 4.x printed
 * "XFS (sdb1): writeback error on sector N" itself, read by event-xfs.c). */
int event_parse_iomap_writeback(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *colon = scan_chr(p, MIN(end, p + 40), ':');
        if (!colon || colon == p || !SCAN_STARTS(colon, end, ": writeback error on "))
                return 0;
        for (const char *c = p; c < colon; c++)
                if (*c == ' ' || *c == '(' || *c == '[')
                        return 0;
        const char *q = colon + sizeof(": writeback error on ") - 1;
        event_begin(ev, FSD_EV_IO_ERROR, FSD_FS_NONE, FSD_LAYER_BLOCK);
        ev->error = -EIO;
        event_set_device(sc, ev, p, (size_t) (colon - p));
        event_set_op(sc, ev, "WRITE", 5);
        event_set_error_text(sc, ev, "writeback error", sizeof("writeback error") - 1);
        const char *s = SCAN_FIND(q, end, "sector ");
        /* 5.5+: what comes before ", sector" ("inode 131, offset 0"); "sector " may also sit
         * inside a word of a damaged line, with no ", " before it */
        if (s && s - q > 2 && s[-2] == ',' && s[-1] == ' ')
                event_add_detail(sc, ev, q, (size_t) (s - 2 - q));
        if (s) {
                s += 7;
                uint64_t sector;
                if (scan_u64(&s, end, &sector))
                        ev->sector = sector;
        }
        return 1;
}

bool event_is_context(const struct fsd_event *ev) {
        if (!ev || !ev->error_text || ev->layer != FSD_LAYER_DEVICE)
                return false;
        return (ev->kind == FSD_EV_DEVICE_OFFLINE && strcmp(ev->error_text, EVENT_CONTEXT_USB_DISCONNECT) == 0) ||
               (ev->kind == FSD_EV_DEVICE_ERROR && strcmp(ev->error_text, EVENT_CONTEXT_MD_READ_CORRECTED) == 0);
}

/* "sd 2:0:0:0: [sdb] tag#3 Sense Key : Medium Error [current]" and friends. */
int event_parse_scsi(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!SCAN_EAT(&q, end, "sd ") && !SCAN_EAT(&q, end, "sr ")) {
                if (SCAN_STARTS(q, end, "scsi") && q + 4 < end && ascii_is_digit(q[4]))
                        return scsi_host_line(q + 4, end, true, sc, ev);
                if (!SCAN_EAT(&q, end, "scsi "))
                        return 0;
                if (SCAN_STARTS(q, end, "host"))
                        return scsi_host_line(q, end, false, sc, ev);
        }
        struct span hctl = scan_until(&q, end, " ");
        if (hctl.len < 2 || span_end(hctl)[-1] != ':' || !ascii_is_digit(hctl.ptr[0]))
                return 0;
        hctl.len--;
        scan_spaces(&q, end);
        struct span dev = hctl;
        if (q < end && *q == '[') {
                q++;
                dev = scan_until(&q, end, "]");
                if (!SCAN_EAT(&q, end, "]"))
                        return 0;
                scan_spaces(&q, end);
        }
        if (dev.ptr != hctl.ptr && p[1] == 'd') {
                scsi_note_disk(sc, hctl, dev);
                if (sc->n_usb)
                        usb_note_disk(sc, hctl, dev);
        }
        if (SCAN_EAT(&q, end, "tag#")) {
                while (q < end && *q != ' ')
                        q++;
                scan_spaces(&q, end);
        }
        const char *m = q;
        enum fsd_event_kind kind;

        if (SCAN_STARTS(m, end, "Sense Key : ") || SCAN_STARTS(m, end, "Sense Key: ")) {
                q = scan_chr(m, end, ':') + 1;
                scan_spaces(&q, end);
                /* Unit Attention, Recovered Error and No Sense report no failure */
                if (!SCAN_STARTS(q, end, "Medium Error") && !SCAN_STARTS(q, end, "Hardware Error") &&
                    !SCAN_STARTS(q, end, "Aborted Command") && !SCAN_STARTS(q, end, "Not Ready") &&
                    !SCAN_STARTS(q, end, "Data Protect"))
                        return 0;
                kind = FSD_EV_DEVICE_ERROR;
                event_begin(ev, kind, FSD_FS_NONE, FSD_LAYER_DEVICE);
                struct span key = scan_until(&q, end, "[");
                event_set_error_text(sc, ev, key.ptr, key.len);
                if (SCAN_STARTS(key.ptr, span_end(key), "Medium Error"))
                        ev->error = -ENODATA;
                else
                        ev->error = -EIO;
        } else if (SCAN_STARTS(m, end, "Add. Sense: ")) {
                q = m + sizeof("Add. Sense: ") - 1;
                if (SCAN_FIND(q, end, "Power on") || SCAN_FIND(q, end, "has changed") || SCAN_FIND(q, end, "changed"))
                        return 0;
                event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                event_set_error_text(sc, ev, q, (size_t) (end - q));
        } else if (SCAN_STARTS(m, end, "FAILED Result: ") || SCAN_STARTS(m, end, "Unhandled sense code") ||
                   SCAN_STARTS(m, end, "Unhandled error code")) {
                const char *r = SCAN_FIND(m, end, "Result: ");
                scsi_result_event(r ? r + 8 : end, end, sc, ev);
                if (r)
                        event_add_detail(sc, ev, r + 8, (size_t) (end - r - 8));
        } else if (SCAN_STARTS(m, end, "rejecting I/O to offline device") || SCAN_STARTS(m, end, "rejecting I/O to dead device") ||
                   SCAN_STARTS(m, end, "Device offlined") || SCAN_FIND(m, end, "Offlining disk")) {
                event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENODEV;
        } else if (SCAN_STARTS(m, end, "uas_eh_abort_handler ")) {
                /* drivers/usb/storage/uas.c: the SCSI error handler aborts a command that timed out
                 * ("... uas-tag 6 inflight: CMD OUT"); a device reset of the port follows */
                event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ETIMEDOUT;
                event_set_error_text(sc, ev, "uas_eh_abort_handler", sizeof("uas_eh_abort_handler") - 1);
        } else if (SCAN_STARTS(m, end, "timing out command")) {
                event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ETIMEDOUT;
        } else
                return 0;

        /* "scsi 6:0:0:0: rejecting I/O to dead device": the address of a disk seen before */
        const struct usb_storage_host *u = dev.ptr == hctl.ptr && sc->n_usb ? usb_disk_at(sc, hctl) : NULL;
        const char *disk = dev.ptr == hctl.ptr && !u ? scsi_disk_at(sc, hctl) : NULL;
        if (u)
                usb_set_disk(sc, ev, u);
        else if (disk)
                event_set_device(sc, ev, disk, strlen(disk));
        else if (dev.ptr == hctl.ptr) /* no block device name yet: keep "2:0:0:0" whole */
                ev->device = span_copy(sc->device, sizeof sc->device, hctl.ptr, hctl.len);
        else
                event_set_device(sc, ev, dev.ptr, dev.len);
        if (dev.ptr != hctl.ptr || disk) {
                char buf[48];
                int n = snprintf(buf, sizeof buf, "scsi %.*s", (int) MIN(hctl.len, (size_t) 32), hctl.ptr);
                if (n > 0)
                        event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
        }
        return 1;
}

/* "ata1.00: exception Emask 0x0 SAct 0x1 SErr 0x0 action 0x0", "ata1: hard resetting link" */
int event_parse_ata(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!SCAN_EAT(&q, end, "ata") || q >= end || !ascii_is_digit(*q))
                return 0;
        /* "ata3" the link, "ata3.00" the device on it: one port, one episode */
        struct span dev = span_make(p, 0);
        while (q < end && ascii_is_digit(*q))
                q++;
        dev.len = (size_t) (q - p);
        while (q < end && (ascii_is_digit(*q) || *q == '.'))
                q++;
        if (!SCAN_EAT(&q, end, ": ") || q >= end)
                return 0;
        const char *m = q;
        /* the "cmd" and "res" lines of one message (libata-eh.c prints them with a newline
         * between), joined back when the log kept them together: how the command ended tells */
        if (SCAN_STARTS(m, end, "cmd ")) {
                const char *res = memmem(m, (size_t) (end - m), " res ", 5);
                if (!res)
                        return 0;
                m = res + 1;
        }

        switch (*m) {
        case 'e':
                if (SCAN_STARTS(m, end, "exception Emask ")) {
                        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_add_detail(sc, ev, m + 10, (size_t) (end - m - 10));
                        ev->error = -EIO;
                        break;
                }
                if (SCAN_STARTS(m, end, "error: { ")) {
                        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_set_error_text(sc, ev, m + 7, (size_t) (end - m - 7));
                        ev->error = SCAN_FIND(m, end, "UNC") ? -ENODATA : -EIO;
                        break;
                }
                return 0;
        case 'f':
                if (SCAN_STARTS(m, end, "failed command: ")) {
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
                if (SCAN_STARTS(m, end, "res ") && SCAN_FIND(m, end, "(timeout)")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_set_error_text(sc, ev, "timeout", sizeof("timeout") - 1);
                        ev->error = -ETIMEDOUT;
                        break;
                }
                if (SCAN_STARTS(m, end, "res ") && SCAN_FIND(m, end, "(media error)")) {
                        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_set_error_text(sc, ev, "media error", sizeof("media error") - 1);
                        ev->error = -ENODATA;
                        break;
                }
                return 0;
        case 'h':
        case 's':
                if (SCAN_STARTS(m, end, "hard resetting link") || SCAN_STARTS(m, end, "soft resetting link")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        break;
                }
                return 0;
        case 'C':
                if (SCAN_STARTS(m, end, "COMRESET failed")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_find_errno(ev, m, end);
                        break;
                }
                return 0;
        case 'l':
                if (SCAN_STARTS(m, end, "link is slow to respond")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        break;
                }
                return 0;
        case 'd':
                if (SCAN_STARTS(m, end, "disabled")) {
                        event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        ev->error = -ENODEV;
                        break;
                }
                return 0;
        case 'N':
                if (SCAN_STARTS(m, end, "NCQ disabled due to excessive errors")) {
                        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        break;
                }
                return 0;
        default:
                return 0;
        }
        event_set_device(sc, ev, dev.ptr, dev.len);
        return 1;
}

/* "nvme nvme0: I/O 123 QID 4 timeout, reset controller"
 * "nvme0n1: I/O Cmd(0x2) @ LBA 2048, 8 blocks, I/O Error (sct 0x2 / sc 0x81) MORE DNR" (5.19+) */
int event_parse_nvme(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (SCAN_EAT(&q, end, "nvme ")) {
                struct span dev = scan_until(&q, end, ":");
                if (!SCAN_EAT(&q, end, ": "))
                        return 0;
                const char *m = q;
                if ((SCAN_STARTS(m, end, "I/O ") && SCAN_FIND(m, end, " timeout")) ||
                    SCAN_STARTS(m, end, "controller is down; will reset") || SCAN_STARTS(m, end, "resetting controller")) {
                        event_begin(ev, FSD_EV_DEVICE_RESET, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        ev->error = -ETIMEDOUT;
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                } else if (SCAN_STARTS(m, end, "Removing after probe failure") || SCAN_STARTS(m, end, "Device not ready; aborting") ||
                           SCAN_STARTS(m, end, "Disabling device after reset failure")) {
                        event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_find_errno(ev, m, end);
                        const char *colon = SCAN_FIND(m, end, ": -");
                        if (colon && !ev->error) {
                                const char *r = colon + 2;
                                int err;
                                if (scan_int(&r, end, &err))
                                        ev->error = err;
                        }
                        if (!ev->error)
                                ev->error = -ENODEV;
                } else
                        return 0;
                event_set_device(sc, ev, dev.ptr, dev.len);
                return 1;
        }
        if (!SCAN_EAT(&q, end, "nvme") || q >= end || !ascii_is_digit(*q))
                return 0;
        const char *colon = scan_chr(q, end, ':');
        if (!colon || colon - p > 32)
                return 0;
        const char *m = colon + 1;
        scan_spaces(&m, end);
        const char *lba = SCAN_FIND(m, end, " @ LBA ");
        if (!lba)
                return 0;
        event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
        event_set_device(sc, ev, p, (size_t) (colon - p));
        struct span op = scan_until(&(const char *) { m }, lba, "(");
        if (SCAN_STARTS(op.ptr, span_end(op), "Write") || SCAN_STARTS(op.ptr, span_end(op), "I/O Cmd(0x1)"))
                event_set_op(sc, ev, "WRITE", 5);
        else if (SCAN_STARTS(op.ptr, span_end(op), "Read") || SCAN_STARTS(op.ptr, span_end(op), "I/O Cmd(0x2)"))
                event_set_op(sc, ev, "READ", 4);
        else if (SCAN_STARTS(op.ptr, span_end(op), "Flush"))
                event_set_op(sc, ev, "FLUSH", 5);
        else
                event_set_op(sc, ev, op.ptr, op.len);
        const char *status = scan_chr(lba + 7, end, ',');
        status = status ? scan_chr(status + 1, end, ',') : NULL;
        if (status) {
                status++;
                scan_spaces(&status, end);
                const char *paren = SCAN_FIND(status, end, " (");
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
        bool thin = SCAN_EAT(&q, end, "thin: ");
        bool mpath = !thin && SCAN_EAT(&q, end, "multipath: ");
        bool sm = !thin && !mpath && SCAN_EAT(&q, end, "space map metadata: ");
        if (!thin && !mpath && !sm)
                return 0;

        /* "253:2: " names the dm device; dm minor N is /dev/dm-N */
        char dmname[24] = "";
        const char *r = q;
        uint64_t major, minor;
        if (scan_u64(&r, end, &major) && SCAN_EAT(&r, end, ":") && scan_u64(&r, end, &minor) && SCAN_EAT(&r, end, ": ")) {
                snprintf(dmname, sizeof dmname, "dm-%llu", (unsigned long long) minor);
                q = r;
        }
        const char *m = q;

        if (thin || sm) {
                if (SCAN_STARTS(m, end, "switching pool to ")) {
                        q = m + sizeof("switching pool to ") - 1;
                        const char *mode_end = SCAN_FIND(q, end, " mode");
                        if (!mode_end)
                                mode_end = end;
                        /* "write" mode is the pool recovering */
                        if (SCAN_STARTS(q, end, "write"))
                                return 0;
                        event_begin(ev, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        event_add_detail(sc, ev, q, (size_t) (mode_end - q));
                        if (SCAN_STARTS(q, end, "out-of-data-space"))
                                ev->error = -ENOSPC;
                } else if (SCAN_STARTS(m, end, "reached low water mark")) {
                        event_begin(ev, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "low water mark");
                } else if (SCAN_STARTS(m, end, "no free data space") || SCAN_STARTS(m, end, "no free metadata space") ||
                           SCAN_STARTS(m, end, "unable to allocate new metadata block")) {
                        event_begin(ev, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        ev->error = -ENOSPC;
                        event_add_detail(sc, ev, m, (size_t) (end - m));
                } else if (SCAN_STARTS(m, end, "metadata operation '") && SCAN_FIND(m, end, "failed")) {
                        event_begin(ev, FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        q = m + sizeof("metadata operation '") - 1;
                        struct span fn = scan_until(&q, end, "'");
                        event_set_function(sc, ev, fn.ptr, fn.len);
                        event_find_errno(ev, m, end);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "metadata");
                } else
                        return 0;
        } else {
                if (SCAN_STARTS(m, end, "Failing path ")) {
                        event_begin(ev, FSD_EV_PATH_FAILED, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        q = m + sizeof("Failing path ") - 1;
                        struct span path = scan_until(&q, end, " .");
                        char buf[48];
                        int n = snprintf(buf, sizeof buf, "path %.*s", (int) MIN(path.len, (size_t) 32), path.ptr);
                        if (n > 0)
                                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
                } else if (SCAN_STARTS(m, end, "queue_if_no_path timeout on ")) {
                        /* "queue_if_no_path timeout on 253:3, failing queued IO": no path came back
                         * within no_path_retry, the queued I/O now fails */
                        event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                        ev->error = -EIO;
                        event_add_detail(sc, ev, "no path left", sizeof("no path left") - 1);
                        r = m + sizeof("queue_if_no_path timeout on ") - 1;
                        if (!dmname[0] && scan_u64(&r, end, &major) && SCAN_EAT(&r, end, ":") && scan_u64(&r, end, &minor))
                                snprintf(dmname, sizeof dmname, "dm-%llu", (unsigned long long) minor);
                } else if (SCAN_STARTS(m, end, "Could not failover")) {
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
        if (!SCAN_EAT(&q, end, "EDAC "))
                return 0;
        const char *ce = SCAN_FIND(q, end, " CE ");
        const char *ue = SCAN_FIND(q, end, " UE ");
        if (!ce && !ue)
                return 0;
        event_begin(ev, FSD_EV_MEMORY_ERROR, FSD_FS_NONE, FSD_LAYER_HARDWARE);
        event_set_error_text(sc, ev, ue ? "UE" : "CE", 2);
        ev->error = ue ? -EIO : 0;
        const char *mc = SCAN_FIND(q, end, "MC");
        if (mc && mc + 2 < end && ascii_is_digit(mc[2])) {
                const char *t = mc + 2;
                while (t < end && ascii_is_digit(*t))
                        t++;
                event_set_device(sc, ev, mc, (size_t) (t - mc));
        }
        const char *colon = scan_chr(q, end, ':');
        if (colon && colon + 2 < end)
                event_add_detail(sc, ev, colon + 2, (size_t) (end - colon - 2));
        return 1;
}

/* "mce: [Hardware Error]: Machine check events logged", "Memory failure: 0x1234: recovery action ..." */
int event_parse_mce(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (SCAN_EAT(&q, end, "Memory failure: ")) {
                event_begin(ev, FSD_EV_MEMORY_ERROR, FSD_FS_NONE, FSD_LAYER_HARDWARE);
                event_add_detail(sc, ev, q, (size_t) (end - q));
                ev->error = -EIO;
                return 1;
        }
        SCAN_EAT(&q, end, "mce: ");
        if (!SCAN_EAT(&q, end, "[Hardware Error]: "))
                return 0;
        if (SCAN_STARTS(q, end, "Machine check events logged") ||
            (SCAN_FIND(q, end, "Machine Check") && SCAN_FIND(q, end, "Exception"))) {
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
        bool conn = SCAN_STARTS(q, end, "connection");
        if (!conn && !SCAN_STARTS(q, end, "session"))
                return 0;
        const char *colon = SCAN_FIND(q, end, ": ");
        if (!colon || colon - p > 32)
                return 0;
        /* "connection1:0" keeps its ":0": the name ends at ": " */
        struct span name = span_range(p, colon);
        const char *m = colon + 2;
        if (conn && SCAN_STARTS(m, end, "detected conn error")) {
                event_begin(ev, FSD_EV_PATH_FAILED, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENOTCONN;
                event_add_detail(sc, ev, m, (size_t) (end - m));
        } else if (!conn && SCAN_STARTS(m, end, "session recovery timed out")) {
                event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -ENODEV;
                event_add_detail(sc, ev, m, (size_t) (end - m));
        } else
                return 0;
        /* "connection<sid>:<cid>" is a connection of "session<sid>": one session, one episode */
        const char *sid = name.ptr + (conn ? sizeof("connection") - 1 : sizeof("session") - 1);
        const char *sid_end = sid;
        while (sid_end < span_end(name) && ascii_is_digit(*sid_end))
                sid_end++;
        char buf[48];
        int n = snprintf(buf, sizeof buf, "iscsi session%.*s", (int) MIN((size_t) (sid_end - sid), (size_t) 16), sid);
        if (n > 0)
                ev->device = span_copy(sc->device, sizeof sc->device, buf, MIN((size_t) n, sizeof buf - 1));
        return 1;
}

/* "(8 sectors at 2048 on sdb1)" / "(sector 2048 on sdb1)." of md's read-error lines: the sector
 * goes into the event, the member into its detail. */
static void md_read_error_where(const char *m, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = scan_chr(m, end, '(');
        if (!q)
                return;
        const char *at = SCAN_FIND(q, end, " at ");
        const char *s = at ? at + 4 : SCAN_FIND(q, end, "sector ");
        if (s && !at)
                s += 7;
        uint64_t sector;
        if (s && scan_u64(&s, end, &sector))
                ev->sector = sector;
        const char *on = SCAN_FIND(q, end, " on ");
        if (!on)
                return;
        const char *member = on + 4, *stop = member;
        while (stop < end && *stop != ')' && *stop != ' ')
                stop++;
        char buf[64];
        int n = snprintf(buf, sizeof buf, "member %.*s", (int) MIN((size_t) (stop - member), (size_t) 32), member);
        if (n > 0)
                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
}

/* md RAID (drivers/md/raid0.c, raid1.c, raid10.c, raid5.c, 6.1):
 *   "md/raid1:md0: Disk failure on sdb1, disabling device."      a member failed, the array goes on
 *   "md/raid:md127: Disk failure on sdc1, disabling device."     (raid4/5/6 print "md/raid:")
 *   "md/raid:md127: Cannot continue operation (2/4 failed)."     more members lost than it tolerates
 *   "md/raid0md0: Disk failure on sdb detected, failing array."  raid0/linear: no redundancy at all
 *   "md/raid1:md0: read error corrected (8 sectors at 2048 on sdb1)"   healed from a copy: context
 *   "md/raid:md127: read error NOT corrected!! (sector 2048 on sdc1)." the repair failed
 *   "md/raid1:md0: sdb1: unrecoverable I/O read error for block 2048"  no copy could be read
 * The event is the array's (mdN), so it meets the filesystem on it by name; the member goes into
 * the detail. */
int event_parse_md(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!SCAN_EAT(&q, end, "md/"))
                return 0;
        const char *colon = SCAN_FIND(q, MIN(end, q + 48), ": ");
        if (!colon)
                return 0;
        /* "raid1:md0", "raid:md127", "raid0md0": the array's name is after the personality */
        const char *name = colon;
        while (name > q && name[-1] != ':')
                name--;
        if (name == q) {
                name = SCAN_FIND(q + 1, colon, "md");
                if (!name)
                        return 0;
        }
        if (name >= colon)
                return 0;
        const char *m = colon + 2;
        if (SCAN_STARTS(m, end, "Disk failure on ")) {
                const char *member = m + sizeof("Disk failure on ") - 1;
                const char *stop = member;
                while (stop < end && *stop != ',' && *stop != ' ')
                        stop++;
                bool array_fails = SCAN_FIND(stop, end, "failing array") != NULL;
                event_begin(ev, array_fails ? FSD_EV_DEVICE_OFFLINE : FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -EIO;
                char buf[64];
                int n = snprintf(buf, sizeof buf, "member %.*s failed", (int) MIN((size_t) (stop - member), (size_t) 32), member);
                if (n > 0)
                        event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
                if (array_fails)
                        EVENT_ADD_DETAIL_LIT(sc, ev, "array failed");
        } else if (SCAN_STARTS(m, end, "Cannot continue operation")) {
                event_begin(ev, FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -EIO;
                EVENT_ADD_DETAIL_LIT(sc, ev, "array failed");
        } else if (SCAN_STARTS(m, end, EVENT_CONTEXT_MD_READ_CORRECTED " (")) {
                /* raid1/raid10 "(%d sectors at %llu on %pg)", raid5 "(%lu sectors at ...)": md read
                 * the data from the other copies or the parity and rewrote the member's sectors;
                 * nothing was lost (context) */
                event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                event_set_error_text(sc, ev, EVENT_CONTEXT_MD_READ_CORRECTED, sizeof(EVENT_CONTEXT_MD_READ_CORRECTED) - 1);
                md_read_error_where(m, end, sc, ev);
        } else if (SCAN_STARTS(m, end, "read error NOT corrected!! (") || SCAN_STARTS(m, end, "read error not correctable (")) {
                /* raid5.c: the rewrite of a repaired stripe failed, or the array is too degraded to
                 * rebuild the data: the member's sectors stay bad and the read fails */
                event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -EIO;
                event_set_error_text(sc, ev, m, (size_t) (scan_chr(m, end, '(') - 1 - m));
                md_read_error_where(m, end, sc, ev);
        } else if (SCAN_FIND(m, end, ": unrecoverable I/O read error for block ")) {
                /* raid1.c, raid10.c: no mirror could give the block back; the read fails */
                event_begin(ev, FSD_EV_DEVICE_ERROR, FSD_FS_NONE, FSD_LAYER_DEVICE);
                ev->error = -EIO;
                event_set_error_text(sc, ev, "unrecoverable I/O read error", sizeof("unrecoverable I/O read error") - 1);
                const char *b = SCAN_FIND(m, end, "for block ") + sizeof("for block ") - 1;
                uint64_t block;
                if (scan_u64(&b, end, &block))
                        ev->sector = block;
        } else
                return 0;
        event_set_device(sc, ev, name, (size_t) (colon - name));
        return 1;
}
