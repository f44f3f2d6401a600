/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Filesystem and block-layer message parsing: one record -> at most one fsd_event. */
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
};

/* @return 1 and fills *ret_event (its strings point into scratch) when the record is a filesystem
 * or block-layer event, 0 when it is not. Never fails. Origin, host, boot, line and timestamps are
 * copied from the record. */
int event_parse(const struct fsd_record *rec, struct event_scratch *scratch, struct fsd_event *ret_event);
