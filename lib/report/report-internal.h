/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Internals of the kernel report parser, shared by its files:
 *   parser.c      the streaming state machine over records (which lines belong to which report)
 *   frame.c       one call-trace line -> a frame
 *   title.c       report lines -> type, title, corruption verdict (title-normalize.c: NUM/ADDR)
 *   guilty.c      report lines -> the guilty frame and why it was chosen (guilty.h)
 *   frame-skip.c  the skip list: frames that are machinery, never the culprit
 *   fields.c      report lines -> CPU/PID/comm, taint, kernel, hardware, modules, registers, frames
 *   report-json.c fsd_report_to_json(), fsd_report_dup()/fsd_report_free()
 *   taint.c       taint letters */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fsdoctor.h"
#include "basic/span.h"

/* Hard limits: every report costs at most this much, whatever the input. */
#define REPORT_MAX_LINES     512
#define REPORT_MAX_LINE_LEN  1024
#define REPORT_MAX_BYTES     (256u * 1024u)
#define REPORT_MAX_FRAMES    256
#define REPORT_MAX_TITLE     160


/* The families of report-starting lines. */
enum header_kind {
        HDR_NONE = 0,
        HDR_BUG,           /* "BUG: ..." */
        HDR_WARNING,       /* "WARNING: ..." */
        HDR_INFO,          /* "INFO: ..." */
        HDR_UNABLE,        /* "Unable to handle kernel ..." (arm) */
        HDR_GPF,           /* "general protection fault" */
        HDR_STACK_SEGMENT, /* "stack segment: " */
        HDR_PANIC,         /* "Kernel panic - not syncing" */
        HDR_DOUBLE_FAULT,  /* "PANIC: double fault" */
        HDR_KERNEL_BUG,    /* "kernel BUG at", "Kernel BUG" */
        HDR_DIVIDE,        /* "divide error:" */
        HDR_INVALID_OP,    /* "invalid opcode:" */
        HDR_UBSAN,         /* "UBSAN:" */
        HDR_UNHANDLED,     /* "Unhandled fault:" (arm) */
        HDR_INTERNAL,      /* "Internal error:" (arm, arm64) */
        HDR_NETDEV,        /* "unregister_netdevice: waiting for" */
        HDR_VFS,           /* "VFS: Busy inodes after unmount", "VFS: Close: file count is 0" */
        HDR_HARD_LOCKUP,   /* "Watchdog detected hard LOCKUP" */
        HDR_SLAB,          /* "BUG kmalloc-64 (...): ..." slab debug */
        HDR_TRUSTY,        /* "trusty: panic (caller ..): ..." the Trusty TEE's panic, relayed */
        HDR_REBOOT,        /* "Booting the kernel." (x86 decompressor, serial console): a reboot */
        HDR_HARNESS,       /* "SYZFAIL:", "SYZFATAL:": syzkaller's own failure markers */
        HDR_GO_RUNTIME,    /* "fatal error: ", "panic: " of a Go program's crash */
        HDR_BADNESS,       /* "Badness at FILE:LINE": WARN() on powerpc/s390 before 3.x */
        HDR_IRQ_NOBODY,    /* "irq N: nobody cared": an interrupt no handler claimed */
        HDR_SYSCTL,        /* "sysctl table check failed": a bad sysctl table (2.6.x) */
        HDR_ALLOC_FAIL,    /* "COMM: page allocation failure: order:N, ...": warn_alloc() */
        HDR_OOPS,          /* "Oops: 0002 [#1] SMP": die()'s line, alone when its cause was lost */
        _HDR_MAX,
};

/* Does this message text start a kernel report? Cheap: most lines are rejected after looking at
 * one or two bytes. *ret_at receives where the header starts inside text (a subsystem prefix such
 * as "watchdog: " or "rcu: " may precede it). */
enum header_kind header_classify(struct span text, size_t *ret_at);
/* The same, for a caller that already looked for the first '[' in text (NULL: there is none). */
enum header_kind header_classify_bracket(struct span text, const char *first_bracket, size_t *ret_at);
/* Where the text after a console stamp glued into the middle of text ("bytes[   76.47] BUG: ..")
 * begins, or 0 when there is none: two messages merged into one line. */
size_t embedded_stamp_end(struct span text);
/* Headers that may appear inside another report without starting a new one. */
bool header_is_continuation(enum header_kind k, struct span header);

/* One parsed frame line; all spans point into the line. */
struct frame_view {
        struct span func, suffix, module, file, build_id;
        uint64_t offset, size, address;
        int src_line;
        bool unreliable, inlined, has_offset;
};

/* Parse a call-trace line ("  ? func.isra.0+0x1/0x2 [mod]", "[<ffffffff81000000>] func+0x1/0x2",
 * "func+0x1/0x2 fs/x.c:12", "func fs/x.c:12 [inline]"). @return true when it is one. */
bool frame_parse(struct span line, struct frame_view *ret);
/* 16..64 lowercase hex digits, an even number: a build id as printk's %*phN prints it. */
bool build_id_is_hex(struct span s);
/* Parse the function of a RIP-like line: "RIP: 0010:func+0x1/0x2", "IP: [<addr>] func+..",
 * "pc : func+0x1/0x2", "PC is at func+0x1/0x2", "NIP [addr] func+..". @return true and the
 * frame when the line is one and names a function. */
bool frame_parse_rip(struct span line, struct frame_view *ret, bool *ret_user);
/* The text after a RIP-like line's prefix ("RIP: ", "IP: ", "pc : ", "PC is at ", ...). */
bool rip_line_value(struct span line, struct span *ret_value);
/* The canonical function name: compiler suffix removed. */
struct span frame_canonical(struct span symbol, struct span *ret_suffix);

/* Title and classification of one collected report. */
struct title_result {
        enum fsd_report_type type;
        char title[REPORT_MAX_TITLE + 1];
        char guilty[128];
        bool has_guilty;
        bool corrupted;
        const char *corrupted_reason; /* static string */
        bool not_a_report;            /* the header's shape was not confirmed: emit nothing */
        bool free_form;               /* titled by the header's own words: no trace was required */
        const char *guilty_why;       /* how the guilty frame was chosen (static string), or NULL */
        bool guilty_skipped_unreliable; /* '?'/unreliable frames were passed over to reach it */
};

void title_compute(const struct span *lines, size_t n_lines, enum header_kind kind, size_t header_at,
                   struct title_result *ret);
/* Syzkaller-style normalisation of a title in place: per-run numbers and addresses become
 * NUM/ADDR, "+0x1/0x2" offsets, control bytes and doubled blanks go (title-normalize.c). */
void title_normalize(char *s);

/* Skip-list test for guilty-frame selection: generic machinery that never is the culprit
 * (frame-skip.c). */
bool frame_is_generic(struct span func);
