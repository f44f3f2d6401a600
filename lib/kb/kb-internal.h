/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Knowledge-base internals: the rule model the loader builds and the matcher reads. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fsdoctor.h"
#include "basic/cleanup.h"

/* Hard limits: rule files come from the build or from --rules DIR, which may be hostile. */
#define KB_MAX_FILE_BYTES   (256u * 1024u)
#define KB_MAX_RULES        1024u
#define KB_MAX_LIST         64u            /* entries in any list inside a rule */
#define KB_MAX_ARENA_BYTES  (32u << 20)    /* everything one kb or one diagnosis allocates */
#define KB_MAX_DIR_DEPTH    4

/* Bump allocator: a kb (or a diagnosis) and everything it points to is freed in one call. */
struct arena_chunk;
struct arena {
        struct arena_chunk *head;
        size_t total;
        bool failed;
};
void *arena_alloc(struct arena *a, size_t n);
void *arena_alloc_array(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) _printf_(2, 3);
void arena_done(struct arena *a);

/* Kernel release as numbers: "4.19.90-17.ky10.x86_64" -> {4, 19, 90}. */
struct kver {
        unsigned major, minor, patch;
        unsigned rc;             /* "-rcN": N; 0 for a release, which sorts after all its -rcs */
};
/* @return 0, or -EINVAL when s does not start with major.minor */
int kver_parse(const char *s, struct kver *ret);
int kver_cmp(const struct kver *a, const struct kver *b);

enum cond_kind {
        COND_EVENT,              /* holds on one event of the incident */
        COND_REPORT,             /* holds on one kernel report of the incident */
        COND_INCIDENT,           /* holds on the incident as a whole */
};

/* pinned_share: bytes a btrfs space dump shows pinned (freed in the running transaction, reusable
 * only once it commits) as a share of the space_info's space not holding live data. kb-match.c
 * kb_pinned_share() says why this measure. */
struct kb_pinned_share {
        double min;              /* < 0: the condition does not test it */
        uint64_t min_bytes;      /* and at least this many bytes pinned */
        unsigned types;          /* block-group type bits (1 data, 2 system, 4 metadata); 0 = any */
};

struct kb_cond {
        enum cond_kind kind;
        bool absent;             /* negation: holds when nothing matches the rest */
        unsigned yaml_line;
        unsigned weight;         /* specificity points when it holds */
        double boost;            /* confidence added when it holds (prefer list) */
        struct fsd_text why;     /* optional rule-supplied reason text */
        struct fsd_text desc;    /* generated description in both languages */
        /* COND_EVENT */
        uint64_t kinds;          /* bit per enum fsd_event_kind, 0 = any */
        const char **functions;
        size_t n_functions;
        int *errnos;             /* negative */
        size_t n_errnos;
        const char **texts;      /* substrings, any */
        size_t n_texts;
        const char **details;    /* substrings of the event's decoded detail, any */
        size_t n_details;
        int after_failure;       /* -1 any; 1: printed after the incident's first failure (abort, fs
                                  * error, read-only, shutdown): a consequence; 0: before it */
        int event_fs;            /* -1 any */
        int layer;               /* -1 any */
        struct kb_cond *before;  /* an event matching this comes later */
        struct kb_cond *after;   /* an event matching this came earlier */
        /* COND_REPORT */
        const char **frames;     /* any of these functions in the trace, RIP or guilty frame */
        size_t n_frames;
        uint32_t report_types;   /* bit per enum fsd_report_type, 0 = any */
        /* COND_INCIDENT */
        bool has_kmin, has_kbelow;
        bool kernel_if_unknown;  /* "unknown: assume": holds when the log names no kernel release, at
                                  * half its weight and with the confidence held down (kb-match.c) */
        struct kver kmin, kbelow;
        int read_only, shutdown, aborted; /* -1 any, else required value */
        int bit_flip;            /* -1 any; else whether a corruption message's two values differ in one bit */
        int mirror_short;        /* -1 any; else whether a pasted btrfs usage shows fewer devices with
                                  * unallocated space than the metadata profile's devs_min */
        struct kb_pinned_share pinned; /* pinned_share: {min, min_bytes, type}; min < 0: not tested */
};

struct kb_note {
        const char *key;
        struct kb_cond when;
        struct fsd_text text;
};

struct kb_rule {
        struct fsd_rule_info info;
        double base_confidence;
        int priority;
        struct kb_cond *require, *prefer, *exclude;
        size_t n_require, n_prefer, n_exclude;
        struct kb_note *notes;
        size_t n_notes;
        const char **sources;    /* where the facts come from (URLs, commits) */
        size_t n_sources;
};

struct fsd_kb {
        struct arena arena;
        struct kb_rule *rules;   /* sorted by id */
        size_t n_rules;
};

/* One rule text, as embedded by tools/rules2c.py. */
struct kb_embedded_rule {
        const char *path;        /* "rules/btrfs/x.yaml" */
        const char *id;          /* "btrfs/x" */
        const unsigned char *text;
        size_t len;
};
extern const struct kb_embedded_rule kb_embedded_rules[];
extern const size_t kb_embedded_rules_count;

/* Parse one rule file. expected_id: the id its path implies (NULL: any). On failure
 * *reterr_detail gets "path:line:col: ..." (malloc'd). */
int kb_parse_rule(struct arena *a, const char *path, const char *expected_id, const char *text, size_t len,
                  struct kb_rule *ret_rule, char **reterr_detail);
int kb_new_from_texts(const struct kb_embedded_rule *texts, size_t n, struct fsd_kb **ret_kb, char **reterr_detail);

/* Names shared by the loader, matcher and JSON. */
const char *kb_event_kind_name(enum fsd_event_kind k);
int kb_event_kind_from_name(const char *s);
const char *kb_report_type_name(enum fsd_report_type t);
int kb_report_type_from_name(const char *s);
int kb_fs_from_name(const char *s);
const char *kb_fs_name(enum fsd_fs_type t);
/* kb-errno.c: the kernel's errno numbers (either sign), including the kernel-internal ones
 * (ENOTSUPP 524, ...). Names and aliases (EFSCORRUPTED) -> negative errno, 0 when unknown. */
int kb_errno_from_name(const char *s);
/* Names and meanings: fsd_errno_name() and fsd_errno_meaning() in fsdoctor.h. */
bool kb_placeholder_known(const char *name, size_t n);

/* The two values a corruption message prints ("wanted A found B", "csum A expected csum B",
 * "have A expect B") and how they differ. */
#define KB_BITFLIP_MAX_DIGITS 64 /* a SHA-256 checksum in hex */
struct kb_value_pair {
        char first[KB_BITFLIP_MAX_DIGITS + 3], second[KB_BITFLIP_MAX_DIGITS + 3]; /* as printed */
        const char *first_word, *second_word;  /* "wanted"/"found", "csum"/"expected", "have"/"expect" */
        unsigned differing_bits;
        unsigned bit;            /* the lowest differing bit, 0 = least significant */
        bool hex;
};
/* @return 1 and *ret filled when text prints such a pair, else 0. */
int kb_value_pair_find(const char *text, struct kb_value_pair *ret);

/* kb-json.c: a text in both languages as {"en": ..., "zh": ...} under key, null without one. */
struct json_writer;
void kb_text_json(struct json_writer *w, const char *key, struct fsd_text t);
