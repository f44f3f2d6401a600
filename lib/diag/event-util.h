/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* What the per-subsystem event parsers share. The text is never NUL-terminated: they read it
 * with the views and cursors of basic/span.h. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "basic/cleanup.h"
#include "basic/span.h"
#include "event-parse.h"

/* Shared by the subsystem parsers in event-*.c. */
void event_begin(struct fsd_event *ev, enum fsd_event_kind kind, enum fsd_fs_type fs, enum fsd_layer layer);
/* Stores a device name normalised: "/dev/" stripped, cut at the first blank. */
void event_set_device(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
void event_set_function(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
/* "detail" accumulates: each call appends, separated by ", ". */
void event_add_detail(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
#define EVENT_ADD_DETAIL_LIT(sc, ev, lit) event_add_detail((sc), (ev), (lit), sizeof(lit) - 1)
void event_set_error_text(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
void event_set_src_file(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
void event_set_op(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n);
/* Find "error -N" / "err -N" / "errno=-N" in text and store the negative errno. */
void event_find_errno(struct fsd_event *ev, const char *p, const char *end);
/* A message known by how it starts, and the event it makes: parsers with many fixed messages keep
 * them in a table of these instead of a chain of ifs. */
struct event_msg {
        const char *text;        /* the message's start */
        enum fsd_event_kind kind;
        int err;                 /* the negative errno the message implies, 0 none */
        const char *detail;      /* what the rules match: the part at fault */
};
/* The first entry of table[n] whose text [p, end) starts with, or NULL. */
const struct event_msg *event_msg_find(const struct event_msg *table, size_t n, const char *p, const char *end);
/* Begins ev as entry m says, for filesystem fs: kind, errno and detail. */
void event_begin_msg(struct event_scratch *sc, struct fsd_event *ev, const struct event_msg *m, enum fsd_fs_type fs);
/* blk_status_t value (as ext4 prints "I/O error 10") -> negative errno, 0 unknown. */
int blk_status_to_errno(int status);
