/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* What the matcher (kb-match.c) hands the diagnosis builder (kb-diagnosis.c). */
#include "kb-internal.h"

#define KB_MAX_BIT_FLIPS 4

struct match_ctx {
        const struct fsd_incident *inc;
        const struct fsd_event *first_failure; /* the first abort, fs error, read-only or shutdown; NULL none */
        size_t first_failure_index;
        const char *kernel;
        struct kver kv;
        bool have_kv;
        /* corruption messages whose two printed values differ in exactly one bit */
        struct kb_value_pair flips[KB_MAX_BIT_FLIPS];
        const struct fsd_event *flip_events[KB_MAX_BIT_FLIPS];
        bool flip_from_detail[KB_MAX_BIT_FLIPS]; /* the pair is the dumped leaf's, not the message's */
        size_t n_flips;
};

struct candidate {
        const struct kb_rule *rule;
        unsigned score;
        double confidence;
        bool class_only;         /* nothing beyond the kind of failure matched: confidence capped */
        bool kernel_assumed;     /* a required kernel range held only because the log names no release */
};
/* A rule matched only by its class (the kind of failure and its errno, nothing that points at this
 * cause) says no more than the class does: its confidence stays at or below this. */
#define KB_CLASS_ONLY_CONFIDENCE 0.5
/* A rule that holds only for some kernel releases, on a log that names none ("unknown: assume"),
 * is a lead to check with uname -r, not a finding: its confidence stays at or below this. */
#define KB_KERNEL_ASSUMED_CONFIDENCE 0.6

/* Whether c is a kernel range that holds only because the incident's kernel release is unknown. */
bool kb_cond_assumes_kernel(const struct match_ctx *m, const struct kb_cond *c);

/* For the mirrored (RAID1/10/1C3/1C4/5/6) profile of the metadata (else data) in a pasted btrfs
 * usage: how many devices a new chunk needs, and how many have room. false: nothing to say. */
bool kb_mirror_room(const struct fsd_btrfs_space_dump *sp, unsigned *ret_need, unsigned *ret_have);
/* The space_info of the dump (of one of the block-group type bits in types, 0 any) whose pinned
 * bytes are the largest share of its space not holding live data (total - used); *ret_share gets
 * that share. NULL when the dump has no such totals line. */
const struct fsd_btrfs_dump_info *kb_pinned_share(const struct fsd_btrfs_space_dump *sp, unsigned types,
                                                  double *ret_share);
/* The incident's first kernel report, NULL none. */
const struct fsd_report *kb_first_report(const struct fsd_incident *inc);
/* Whether fn is in the report's trace, RIP or guilty frame; *ret_line: the line it was printed on. */
bool kb_report_has_frame(const struct fsd_report *r, const char *fn, uint64_t *ret_line);
/* @return whether the condition holds; *ret_line: its evidence, *ret_event: the event it matched. */
bool kb_cond_holds(const struct match_ctx *m, const struct kb_cond *c, uint64_t *ret_line,
                   const struct fsd_event **ret_event);
/* The diagnosis best gives (NULL: "unrecognized", still listing the events), in a new arena. */
int kb_diagnosis_build(const struct match_ctx *m, const struct candidate *best, struct fsd_diagnosis **ret_diag);
