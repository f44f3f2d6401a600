/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pinned_share condition: its load errors, the share it computes from a btrfs space dump, and
 * the built-in btrfs/enospc-pinned-space rule against its neighbours. Incidents are built by hand,
 * independent of the event parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fsdoctor.h"
#include "kb/kb.h"
#include "kb/kb-internal.h"
#include "kb/kb-match.h"

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

/* A rule whose only specific requirement is the pinned_share condition given. */
static int load_rule(const char *cond, struct fsd_kb **ret_kb, char **ret_detail) {
        char text[1024];
        snprintf(text, sizeof text,
                 "id: btrfs/pinned-test\n"
                 "fs: btrfs\n"
                 "severity: error\n"
                 "title: {en: t, zh: t}\n"
                 "explanation: {en: e, zh: e}\n"
                 "remediation: {en: r, zh: r}\n"
                 "prevention: {en: p, zh: p}\n"
                 "match:\n"
                 "  require:\n"
                 "    - {event: transaction-abort, errno: ENOSPC}\n"
                 "    - %s\n", cond);
        const struct kb_embedded_rule r = { "rules/btrfs/pinned-test.yaml", "btrfs/pinned-test",
                                            (const unsigned char *) text, strlen(text) };
        *ret_kb = NULL;
        *ret_detail = NULL;
        return kb_new_from_texts(&r, 1, ret_kb, ret_detail);
}

static void expect_error(const char *cond, const char *where, const char *what) {
        struct fsd_kb *kb = NULL;
        char *detail = NULL;
        assert_int_equal(load_rule(cond, &kb, &detail), -FSD_E_RULE);
        assert_null(kb);
        assert_non_null(detail);
        if (!strstr(detail, where) || !strstr(detail, what))
                fail_msg("error detail '%s' lacks '%s' or '%s'", detail, where, what);
        free(detail);
}

static void test_load_errors(void **state) {
        /* line 11, column 7: the value of pinned_share (or the key inside it) */
        expect_error("{pinned_share: 0.5}", "pinned-test.yaml:11:22:", "expected a mapping with 'min'");
        expect_error("{pinned_share: {min_bytes: 1MiB}}", "pinned-test.yaml:11:22:", "'min' is required");
        expect_error("{pinned_share: {min: 0}}", "pinned-test.yaml:11:28:", "pinned_share.min: expected a number from 0.01 to 1");
        expect_error("{pinned_share: {min: 1.5}}", "pinned-test.yaml:11:", "from 0.01 to 1");
        expect_error("{pinned_share: {min: half}}", "pinned-test.yaml:11:", "from 0.01 to 1");
        expect_error("{pinned_share: {min: 0.5, min_bytes: 32XB}}", "pinned-test.yaml:11:", "got '32XB'");
        expect_error("{pinned_share: {min: 0.5, min_bytes: -1}}", "pinned-test.yaml:11:", "expected a byte count");
        expect_error("{pinned_share: {min: 0.5, min_bytes: 99999999999999999999}}", "pinned-test.yaml:11:", "expected a byte count");
        expect_error("{pinned_share: {min: 0.5, min_bytes: 99999999999T}}", "pinned-test.yaml:11:", "expected a byte count");
        expect_error("{pinned_share: {min: 0.5, type: metdata}}", "pinned-test.yaml:11:", "expected data, system or metadata, got 'metdata'");
        expect_error("{pinned_share: {min: 0.5, share: 2}}", "pinned-test.yaml:11:", "unknown key 'share' (expected min, min_bytes or type)");
        /* an incident condition cannot also test an event */
        expect_error("{pinned_share: {min: 0.5}, event: enospc}", "pinned-test.yaml:11:7:", "mixes them");

        struct fsd_kb *kb = NULL;
        char *detail = NULL;
        assert_int_equal(load_rule("{pinned_share: {min: 0.5, min_bytes: 32MiB, type: [metadata, data]}}", &kb, &detail), 0);
        assert_null(detail);
        const struct fsd_rule_info *info = fsd_kb_find(kb, "btrfs/pinned-test");
        assert_non_null(info);
        assert_int_equal(info->n_conditions, 2);
        const char *en = info->conditions[1].en, *zh = info->conditions[1].zh;
        if (!strstr(en, "at least 50% of the DATA or METADATA space") || !strstr(en, "(at least 32 MiB)"))
                fail_msg("description '%s'", en);
        if (!strstr(zh, "DATA 或 METADATA") || !strstr(zh, "50%") || !strstr(zh, "32 MiB"))
                fail_msg("description '%s'", zh);
        fsd_kb_free(kb);
        assert_int_equal(load_rule("{pinned_share: {min: 0.25, min_bytes: 4096}}", &kb, &detail), 0);
        en = fsd_kb_find(kb, "btrfs/pinned-test")->conditions[1].en;
        if (!strstr(en, "at least 25% of one space_info's space") || !strstr(en, "(at least 4096 bytes)"))
                fail_msg("description '%s'", en);
        fsd_kb_free(kb);
}

static void set_info(struct fsd_btrfs_dump_info *si, const char *type, uint64_t total, uint64_t used, uint64_t pinned,
                     uint64_t may_use) {
        *si = (struct fsd_btrfs_dump_info) { .have_totals = true, .total = total, .used = used, .pinned = pinned,
                                             .may_use = may_use };
        snprintf(si->type, sizeof si->type, "%s", type);
        si->free = (int64_t) (total - used - pinned - may_use);
}

static void test_share(void **state) {
        struct fsd_btrfs_space_dump sp = { .n_info = 3 };
        set_info(&sp.info[0], "DATA", 100 * GIB, 60 * GIB, 30 * GIB, 0);
        set_info(&sp.info[1], "METADATA", 5 * GIB, 3 * GIB, GIB + GIB / 2, 512 * MIB);
        set_info(&sp.info[2], "SYSTEM", 32 * MIB, 16384, 0, 0);
        double share = 0;
        /* any type: DATA's 30 of 40 GiB and METADATA's 1.5 of 2 GiB are both 0.75 */
        const struct fsd_btrfs_dump_info *si = kb_pinned_share(&sp, 0, &share);
        assert_non_null(si);
        assert_true(share > 0.749 && share < 0.751);
        si = kb_pinned_share(&sp, 4, &share);
        assert_string_equal(si->type, "METADATA");
        assert_true(share > 0.749 && share < 0.751);
        si = kb_pinned_share(&sp, 2, &share);
        assert_string_equal(si->type, "SYSTEM");
        assert_true(share < 0.001);
        /* mixed block groups count as data and as metadata */
        snprintf(sp.info[1].type, sizeof sp.info[1].type, "DATA+METADATA");
        assert_non_null(kb_pinned_share(&sp, 4, &share));
        /* no totals line, or a space_info with nothing beyond its live data: nothing to say */
        sp.info[1].have_totals = false;
        assert_null(kb_pinned_share(&sp, 4, &share));
        sp.info[1].have_totals = true;
        sp.info[1].used = sp.info[1].total;
        assert_null(kb_pinned_share(&sp, 4, &share));
        assert_null(kb_pinned_share(NULL, 0, &share));
}

/* The 6.1 abort of golden case 0233, by hand: the commit's delayed-ref run got ENOSPC. */
static struct fsd_event abort_events[] = {
        { .kind = FSD_EV_TRANSACTION_ABORT, .fs = FSD_FS_BTRFS, .layer = FSD_LAYER_FS, .device = "vdc",
          .function = "btrfs_run_delayed_refs", .src_line = 2170, .error = -28, .error_text = "No space left",
          .text = "BTRFS: error (device vdc: state A) in btrfs_run_delayed_refs:2170: errno=-28 No space left",
          .origin = "t.log", .line = 20, .mono_usec = 2, .wall_usec = -1, .count = 1 },
        { .kind = FSD_EV_ENOSPC, .fs = FSD_FS_BTRFS, .layer = FSD_LAYER_FS, .device = "vdc", .detail = "METADATA full",
          .text = "BTRFS info (device vdc: state A): space_info METADATA (sub-group id 0) has -1048576 free, is full",
          .origin = "t.log", .line = 12, .mono_usec = 1, .wall_usec = -1, .count = 1 },
        { .kind = FSD_EV_READ_ONLY, .fs = FSD_FS_BTRFS, .layer = FSD_LAYER_FS, .device = "vdc",
          .text = "BTRFS info (device vdc: state EA): forced readonly", .origin = "t.log", .line = 21,
          .mono_usec = 3, .wall_usec = -1, .count = 1 },
};

static const char *diagnose(const struct fsd_btrfs_space_dump *sp, double *ret_conf) {
        struct fsd_incident inc = { .fs = FSD_FS_BTRFS, .device = "vdc", .pid = -1, .kernel = "6.1.0-18-amd64",
                                    .events = abort_events, .n_events = ELEMENTSOF(abort_events),
                                    .start_mono_usec = 1, .start_wall_usec = -1, .read_only = true, .aborted = true,
                                    .btrfs_space = sp };
        struct fsd_diagnosis *d = NULL;
        assert_int_equal(kb_diagnose(NULL, &inc, &d), 0);
        static char id[64];
        snprintf(id, sizeof id, "%s", d->rule_id ? d->rule_id : "(none)");
        if (ret_conf)
                *ret_conf = d->confidence;
        kb_diagnosis_free(d);
        return id;
}

static void test_builtin_rule(void **state) {
        struct fsd_btrfs_space_dump sp = { .n_info = 2 };
        set_info(&sp.info[0], "DATA", 100 * GIB, 92 * GIB, 2 * GIB, 0);
        set_info(&sp.info[1], "METADATA", 5 * GIB, 3 * GIB, 1792 * MIB, 256 * MIB);
        sp.info[1].full = true;
        double conf;
        assert_string_equal(diagnose(&sp, &conf), "btrfs/enospc-pinned-space");
        assert_true(conf > 0.8);

        /* little pinned: the metadata is simply full */
        set_info(&sp.info[1], "METADATA", 5 * GIB, 5 * GIB - 260 * MIB, 4 * MIB, 256 * MIB);
        sp.info[1].full = true;
        assert_string_equal(diagnose(&sp, NULL), "btrfs/enospc-metadata-full");

        /* half the headroom pinned but as much shown free: the ENOSPC is not the pinned bytes' doing */
        set_info(&sp.info[1], "METADATA", 10 * GIB, 2 * GIB, 4 * GIB, 0);
        assert_string_equal(diagnose(&sp, NULL), "btrfs/enospc-metadata-full");

        /* a large share of a tiny headroom: below the rule's 32 MiB */
        set_info(&sp.info[1], "METADATA", 256 * MIB, 250 * MIB, 4 * MIB, 2 * MIB);
        sp.info[1].full = true;
        assert_string_equal(diagnose(&sp, NULL), "btrfs/enospc-metadata-full");

        /* pinned data does not explain a metadata ENOSPC */
        set_info(&sp.info[0], "DATA", 100 * GIB, 60 * GIB, 39 * GIB, 0);
        assert_string_equal(diagnose(&sp, NULL), "btrfs/enospc-metadata-full");

        /* no dump at all */
        assert_string_equal(diagnose(NULL, NULL), "btrfs/enospc-metadata-full");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_load_errors),
                cmocka_unit_test(test_share),
                cmocka_unit_test(test_builtin_rule),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
