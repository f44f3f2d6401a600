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
};

/* @return 1 and fills *ret_event (its strings point into scratch) when the record is a filesystem
 * or block-layer event, 0 when it is not. Never fails. Origin, host, boot, line and timestamps are
 * copied from the record. */
int event_parse(const struct fsd_record *rec, struct event_scratch *scratch, struct fsd_event *ret_event);
