/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Filesystem and block-layer message parsing: one record -> at most one fsd_event. */
#include <stdbool.h>
#include "fsdoctor.h"

/* Storage for the strings an event points to; reused for every record. */
struct event_scratch {
        char device[64];
        char function[128];
        char src_file[128];
        char error_text[128];
        char op[32];
        char detail[256];
        char text[1024];         /* the message, NUL-terminated, cut to fit */
        /* libata prints a failed command and how it ended in one message with a newline inside
         * ("ata3.00: cmd 61/...\n         res 40/... Emask 0x4 (timeout)"): logs show the second
         * line on its own, indented and without the device. The device of the last "cmd" line and
         * the record line it was on, to give it back. */
        char ata_cmd_device[24];
        uint64_t ata_cmd_line;
        char line_buf[512];
        /* USB storage as the log ties it together, for event-block.c: "scsi host6: usb-storage
         * 2-1:1.0" makes SCSI host 6 the storage of USB port 2-1, "sd 6:0:0:0: [sdb] ..." makes sdb
         * that host's disk; a "USB disconnect" or link reset of the port is then sdb's event. Only
         * these addresses join them, never the lines' order or time. */
        struct usb_storage_host {
                uint64_t place;          /* hash of the record's origin, host and boot */
                unsigned scsi_host;      /* N of "scsi hostN" */
                char port[24];           /* "2-1", "1-1.4"; "" when the driver named none (uas) */
                char hctl[24];           /* "6:0:0:0" of its disk, "" none seen yet */
                char disk[16];           /* "sdb"; "" none seen yet, or several (a card reader's LUNs) */
                bool several_disks;
        } usb[8];
        unsigned n_usb;
        /* "sd 2:0:0:0: [sdb] ...": the disk at each SCSI address, newest last, so that the SCSI
         * midlayer's lines that name only the address ("scsi 2:0:0:0: rejecting I/O to offline
         * device", sdev_printk) are the disk's events (event-block.c) */
        struct scsi_disk_address {
                uint64_t place;          /* as usb[].place */
                char hctl[24];
                char disk[16];
        } scsi_disks[32];
        unsigned n_scsi_disks;
        const struct fsd_record *rec;    /* the record being parsed, for the place of usb[] */
};

/* Error texts of device events that are context, not failures: the event says what happened to a
 * device but not that anything failed ("USB disconnect": the disk may have been unmounted first;
 * "read error corrected": md healed a read from the other copies). The correlator keeps them only
 * in an episode where a failure follows. */
#define EVENT_CONTEXT_USB_DISCONNECT "USB disconnect"
#define EVENT_CONTEXT_MD_READ_CORRECTED "read error corrected"
/* @return whether ev is one of those context events. */
bool event_is_context(const struct fsd_event *ev);

/* @return 1 and fills *ret_event (its strings point into scratch) when the record is a filesystem
 * or block-layer event, 0 when it is not. Never fails. Origin, host, boot, line and timestamps are
 * copied from the record. */
int event_parse(const struct fsd_record *rec, struct event_scratch *scratch, struct fsd_event *ret_event);
