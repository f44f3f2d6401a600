/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Guilty-frame selection (guilty.c), shared with the title builders (title.c): the state of
 * one report's title and the choosers that find the function a title names. */
#include <string.h>
#include "report-internal.h"

/* One report being titled: its lines, and what title building and frame choosing found. */
struct tctx {
        const struct span *lines;
        size_t n;
        struct span header;      /* the header line from the report keyword on */
        const char *const *skip; /* report-specific extra skips, NULL-terminated, or NULL */
        struct span guilty;      /* the function the title names, inside the title buffer */
        bool no_stack;           /* this kind of report carries no call trace */
        bool fault_injection;    /* a fault-injection stack is mixed into the report */
        bool corrupted;
        const char *reason;
        const char *why;         /* how the guilty frame was chosen (static string) */
        bool skipped_unreliable; /* '?' frames were passed over on the way */
        bool skipped_inline;     /* the chosen frame's inline callees were passed over */
        struct span guilty_only; /* a guilty frame for a title that does not name one */
        bool free_form;          /* the title is the header's own words, no trace was needed */
};

static inline bool span_eq(struct span v, const char *s) {
        return v.len == strlen(s) && memcmp(v.ptr, s, v.len) == 0;
}

/* ---- the trace's layout ---- */
/* A line that starts a trace ("Call Trace:", "Allocated by task", "backtrace:", ...). */
bool trace_is_stack_start(struct span l);
/* The first line at or after from that contains needle, or t->n. */
size_t trace_find_line(const struct tctx *t, size_t from, const char *needle);
/* The report carries a call trace (a heading, or arm's headless "f from g" frames). */
bool trace_has_stack(const struct tctx *t);
/* The first interrupt-entry frame at or after from (the interrupted code's frames follow it),
 * or t->n. */
size_t trace_irq_entry_line(const struct tctx *t, size_t from);

/* ---- choosers: true and *ret the guilty function, t->why saying why ---- */
/* func is machinery (frame-skip.c) or in the report's own skip list t->skip. */
bool guilty_skipped(const struct tctx *t, struct span func);
/* The RIP/pc/NIP/PSW line's function at or after from; *ret_pos the RIP line (or t->n). */
bool guilty_rip(struct tctx *t, size_t from, struct span *ret, size_t *ret_pos);
/* The first frame of the first trace after from that is not skipped. */
bool guilty_stack(struct tctx *t, size_t from, struct span *ret);
/* The first frame not skipped of the trace starting right at line from (no heading). */
bool guilty_stack_at(struct tctx *t, size_t from, struct span *ret);
/* guilty_rip(), else guilty_stack(). */
bool guilty_rip_then_stack(struct tctx *t, struct span *ret);
/* The operation a stall or lockup looped in: the frame above its dispatcher; seed, when given,
 * is the RIP line's function. */
bool guilty_stall(struct tctx *t, size_t from, const struct span *seed, struct span *ret);
/* The code an NMI interrupted: the first frame after the end of the NMI stack. */
bool guilty_nmi_interrupted(struct tctx *t, struct span *ret);
/* What a hung task waits behind: the first frame that is not waiting machinery. */
bool guilty_hang(struct tctx *t, size_t from, struct span *ret);
/* Lockdep's "at: func+off" lines after the line containing after (NULL: from the start), then
 * the trace. */
bool guilty_lockdep(struct tctx *t, const char *after, struct span *ret);
/* Lockdep's layout: n_at "at: " lines after marker, then the trace of the first. */
bool guilty_lockdep_parts(struct tctx *t, const char *marker, unsigned n_at, struct span *ret);
/* The function the header names after marker ("BUG: KASAN: use-after-free in foo+0x1/0x2"). */
bool guilty_in_header(const struct tctx *t, const char *marker, struct span *ret);
