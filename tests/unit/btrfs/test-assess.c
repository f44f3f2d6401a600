/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Verdict, overall numbers and reclaim plan on constructed space models. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fsdoctor.h"

#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

#define DATA FSD_BTRFS_BG_DATA
#define META FSD_BTRFS_BG_METADATA
#define SYS FSD_BTRFS_BG_SYSTEM
#define DUP FSD_BTRFS_BG_DUP

struct model {
        struct fsd_btrfs_space s;
        struct fsd_btrfs_device dev[4];
        struct fsd_btrfs_block_group bg[32];
        struct fsd_btrfs_space_info si[8];
};

static void model_init(struct model *m, uint64_t dev_size) {
        memset(m, 0, sizeof *m);
        m->s.devices = m->dev;
        m->s.n_devices = 1;
        m->s.block_groups = m->bg;
        m->s.space_infos = m->si;
        m->s.online = true;
        m->s.global_reserve_exact = true;
        strcpy(m->s.kernel_release, "6.18.0");
        m->dev[0] = (struct fsd_btrfs_device) { .devid = 1, .size = dev_size, .path = "/dev/test" };
}

/* add a block group at the next logical address; keeps device allocation and space_infos in step */
static void add_bg(struct model *m, uint64_t flags, uint64_t length, uint64_t used) {
        uint64_t start = GiB;
        if (m->s.n_block_groups) {
                const struct fsd_btrfs_block_group *last = &m->bg[m->s.n_block_groups - 1];
                start = last->start + last->length;
        }
        m->bg[m->s.n_block_groups++] = (struct fsd_btrfs_block_group) {
                .start = start, .length = length, .used = used, .flags = flags,
        };
        m->dev[0].allocated += length * ((flags & DUP) ? 2 : 1);
        size_t i;
        for (i = 0; i < m->s.n_space_infos; i++)
                if (m->si[i].flags == flags)
                        break;
        if (i == m->s.n_space_infos)
                m->si[m->s.n_space_infos++] = (struct fsd_btrfs_space_info) { .flags = flags };
        m->si[i].total += length;
        m->si[i].used += used;
}

static struct fsd_btrfs_assessment *assess(const struct model *m, const char *kernel) {
        FSD_OPTS(fsd_btrfs_assess_opts, opts, .kernel_release = kernel, .mount_path = "/mnt");
        struct fsd_btrfs_assessment *a = NULL;
        assert_int_equal(fsd_btrfs_assess(&m->s, &opts, &a), 0);
        assert_non_null(a);
        return a;
}

static bool has_reason(const struct fsd_btrfs_assessment *a, enum fsd_btrfs_reason_code c) {
        for (size_t i = 0; i < a->n_reasons; i++)
                if (a->reasons[i].code == c)
                        return true;
        return false;
}

/* The lab's fresh 2 GiB filesystem: btrfs-progs printed these exact numbers for it. */
static void test_overall_matches_progs(void **state) {
        struct model m;
        model_init(&m, 2 * GiB);
        add_bg(&m, SYS | DUP, 8388608, 16384);
        add_bg(&m, META | DUP, 107347968, 131072);
        add_bg(&m, DATA, 8388608, 0);
        m.s.global_reserve = 5767168;
        struct fsd_btrfs_usage_overall o;
        assert_int_equal(fsd_btrfs_usage_overall(&m.s, &o), 0);
        assert_int_equal(o.device_size, 2147483648u);
        assert_int_equal(o.device_allocated, 239861760u);
        assert_int_equal(o.device_unallocated, 1907621888);
        assert_int_equal(o.used, 294912u);
        assert_int_equal(o.free_estimated, 1916010496u);
        assert_int_equal(o.free_min, 962199552u);
        assert_true(o.data_ratio == 1.0);
        assert_true(o.metadata_ratio == 2.0);
        assert_int_equal(o.global_reserve, 5767168u);
        assert_false(o.mixed);
        assert_false(o.multiple_profiles);
}

static void test_healthy_is_ok(void **state) {
        struct model m;
        model_init(&m, 100 * GiB);
        add_bg(&m, SYS | DUP, 32 * MiB, 16384);
        add_bg(&m, META | DUP, GiB, 300 * MiB);
        for (int i = 0; i < 5; i++)
                add_bg(&m, DATA, GiB, GiB / 2);
        m.s.global_reserve = 64 * MiB;
        struct fsd_btrfs_assessment *a = assess(&m, NULL);
        assert_int_equal(a->risk, FSD_BTRFS_RISK_OK);
        assert_true(has_reason(a, FSD_BTRFS_REASON_HEADROOM_OK));
        assert_true(a->metadata_chunk_fits);
        assert_int_equal(a->metadata_chunk_size, GiB); /* > 50 GiB: 1 GiB metadata chunks */
        assert_int_equal(a->metadata_chunk_need, 2 * GiB);
        assert_false(a->plan.needed);
        assert_int_equal(a->plan.n_commands, 0);
        assert_int_equal(a->histogram[FSD_BTRFS_HIST_DATA][5], 5);
        assert_int_equal(a->histogram[FSD_BTRFS_HIST_METADATA][2], 1);
        fsd_btrfs_assessment_free(a);
}

/* No unallocated space, metadata nearly full: critical, with a plan that frees enough. */
static void test_full_metadata_is_critical_with_plan(void **state) {
        struct model m;
        model_init(&m, 20 * GiB);
        add_bg(&m, SYS | DUP, 32 * MiB, 16384);
        add_bg(&m, META | DUP, 1 * GiB, 1 * GiB - 10 * MiB);
        /* data fills the rest of the device in 1 GiB groups, half used */
        while (m.dev[0].allocated + GiB <= m.dev[0].size)
                add_bg(&m, DATA, GiB, GiB / 2);
        m.dev[0].allocated = m.dev[0].size;
        m.s.global_reserve = 16 * MiB;
        struct fsd_btrfs_assessment *a = assess(&m, NULL);
        assert_int_equal(a->risk, FSD_BTRFS_RISK_CRITICAL);
        assert_true(has_reason(a, FSD_BTRFS_REASON_NO_METADATA_CHUNK_ROOM));
        assert_true(has_reason(a, FSD_BTRFS_REASON_METADATA_FREE_BELOW_RESERVE));
        assert_false(a->metadata_chunk_fits);
        assert_true(a->plan.needed);
        assert_true(a->plan.feasible);
        assert_true(a->plan.reclaimed >= a->plan.reclaim_needed);
        assert_true(a->plan.n_commands >= 1);
        assert_int_equal(a->plan.bytes_to_move, a->plan.n_block_groups * (GiB / 2));
        /* ok again once that much is unallocated */
        assert_int_equal(a->plan.target_unallocated, a->headroom_target);
        fsd_btrfs_assessment_free(a);
}

/* 300 MiB free on the device: one 208 MiB metadata chunk fits as single, not as DUP. */
static void test_dup_needs_two_chunks(void **state) {
        for (int dup = 0; dup <= 1; dup++) {
                struct model m;
                model_init(&m, 2 * GiB);
                add_bg(&m, SYS | (dup ? DUP : 0), 8 * MiB, 16384);
                add_bg(&m, META | (dup ? DUP : 0), 208 * MiB, 20 * MiB);
                while (m.dev[0].allocated + 208 * MiB + 300 * MiB <= m.dev[0].size)
                        add_bg(&m, DATA, 208 * MiB, 200 * MiB);
                m.dev[0].allocated = m.dev[0].size - 300 * MiB;
                m.s.global_reserve = 5 * MiB;
                struct fsd_btrfs_assessment *a = assess(&m, NULL);
                assert_int_equal(a->metadata_chunk_size, 208 * MiB);
                assert_int_equal(a->metadata_chunk_need, (dup ? 2 : 1) * 208 * MiB);
                assert_int_equal(a->metadata_chunk_fits, !dup);
                assert_int_equal(has_reason(a, FSD_BTRFS_REASON_NO_METADATA_CHUNK_ROOM), dup);
                assert_int_equal(a->risk, dup ? FSD_BTRFS_RISK_HIGH : FSD_BTRFS_RISK_WATCH);
                fsd_btrfs_assessment_free(a);
        }
}

/* Least used first, and no more groups than needed. */
static void test_plan_picks_fewest_least_used(void **state) {
        static const unsigned pct[] = { 90, 10, 50, 20, 80, 60 };
        struct model m;
        model_init(&m, 8 * GiB);
        add_bg(&m, SYS | DUP, 32 * MiB, 16384);
        add_bg(&m, META | DUP, 256 * MiB, 250 * MiB);
        for (size_t i = 0; i < 6; i++)
                add_bg(&m, DATA, GiB, GiB * pct[i] / 100);
        m.dev[0].allocated = m.dev[0].size; /* nothing unallocated */
        m.s.global_reserve = 8 * MiB;
        struct fsd_btrfs_assessment *a = assess(&m, NULL);
        /* target: one DUP metadata chunk (2 x 256 MiB) + one data chunk (10 % of 8 GiB, 16 MiB
         * aligned = 832 MiB) = 1344 MiB: two 1 GiB groups */
        assert_int_equal(a->headroom_target, 2 * 256 * MiB + 832 * MiB);
        assert_true(a->plan.feasible);
        assert_int_equal(a->plan.n_block_groups, 2);
        /* the 10 % and 20 % groups: 2nd and 4th data groups */
        assert_int_equal(a->plan.block_groups[0].used, GiB * 10 / 100);
        assert_int_equal(a->plan.block_groups[1].used, GiB * 20 / 100);
        assert_int_equal(a->plan.bytes_to_move, GiB * 10 / 100 + GiB * 20 / 100);
        assert_int_equal(a->plan.reclaimed, 2 * GiB);
        /* usage=21 takes exactly those two (used < 21 % of 1 GiB) and nothing else */
        assert_int_equal(a->plan.usage_filter, 21);
        assert_int_equal(a->plan.n_commands, 1);
        assert_string_equal(a->plan.commands[0], "btrfs balance start -dusage=21 /mnt");
        fsd_btrfs_assessment_free(a);
}

/* Two equally used groups, one is enough: no usage filter can pick just one, so vrange. */
static void test_vrange_command_text(void **state) {
        struct model m;
        model_init(&m, 8 * GiB);
        add_bg(&m, SYS | DUP, 32 * MiB, 16384);
        add_bg(&m, META | DUP, 256 * MiB, 200 * MiB);
        add_bg(&m, DATA, 4 * GiB, 4 * GiB);       /* full */
        add_bg(&m, DATA, GiB, GiB * 3 / 10);      /* picked: first of the two 30 % groups */
        add_bg(&m, DATA, GiB, GiB * 3 / 10);
        m.dev[0].allocated = m.dev[0].size - 800 * MiB;
        m.s.global_reserve = 8 * MiB;
        struct fsd_btrfs_assessment *a = assess(&m, NULL);
        assert_true(a->plan.needed);
        assert_int_equal(a->plan.n_block_groups, 1);
        assert_int_equal(a->plan.usage_filter, -1);
        assert_int_equal(a->plan.n_commands, 1);
        uint64_t start = a->plan.block_groups[0].start;
        assert_int_equal(start, GiB + 32 * MiB + 256 * MiB + 4 * GiB);
        assert_string_equal(a->plan.commands[0],
                            "btrfs balance start -dvrange=5670699008..6744440832 /mnt");
        fsd_btrfs_assessment_free(a);
}

/* The seed's kernel: same space, one level worse, and said why. */
static void test_old_kernel_raises_level(void **state) {
        struct model m;
        model_init(&m, 100 * GiB);
        add_bg(&m, SYS | DUP, 32 * MiB, 16384);
        add_bg(&m, META | DUP, GiB, 300 * MiB);
        add_bg(&m, DATA, GiB, GiB / 2);
        m.s.global_reserve = 64 * MiB;
        struct fsd_btrfs_assessment *a = assess(&m, "4.19.90-17.ky10.x86_64");
        assert_int_equal(a->kernel_has_delayed_refs_rsv, 0);
        assert_true(has_reason(a, FSD_BTRFS_REASON_OLD_KERNEL));
        assert_int_equal(a->risk, FSD_BTRFS_RISK_WATCH);
        fsd_btrfs_assessment_free(a);
        a = assess(&m, "");
        assert_int_equal(a->kernel_has_delayed_refs_rsv, -1);
        assert_int_equal(a->risk, FSD_BTRFS_RISK_OK);
        fsd_btrfs_assessment_free(a);
}

static void test_json_has_schema_and_plan(void **state) {
        struct model m;
        model_init(&m, 8 * GiB);
        add_bg(&m, SYS | DUP, 32 * MiB, 16384);
        add_bg(&m, META | DUP, 256 * MiB, 250 * MiB);
        add_bg(&m, DATA, GiB, GiB / 10);
        add_bg(&m, DATA, GiB, GiB / 2);
        m.dev[0].allocated = m.dev[0].size;
        m.s.global_reserve = 8 * MiB;
        struct fsd_btrfs_assessment *a = assess(&m, NULL);
        /* only the 10 % group fits into the other's free space: not enough for the target */
        assert_int_equal(a->plan.n_block_groups, 1);
        assert_false(a->plan.feasible);
        char *json = NULL;
        assert_int_equal(fsd_btrfs_space_to_json(&m.s, a, &json), 0);
        assert_non_null(strstr(json, "\"schema\":\"fsdoctor.inspect/1\""));
        assert_non_null(strstr(json, "\"level\":\"critical\""));
        assert_non_null(strstr(json, "\"code\":\"no-metadata-chunk-room\""));
        assert_non_null(strstr(json, "\"feasible\":false"));
        assert_non_null(strstr(json, "\"commands\":[\"btrfs balance start -dusage=11 /mnt\"]"));
        free(json);
        fsd_btrfs_assessment_free(a);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_overall_matches_progs),
                cmocka_unit_test(test_healthy_is_ok),
                cmocka_unit_test(test_full_metadata_is_critical_with_plan),
                cmocka_unit_test(test_dup_needs_two_chunks),
                cmocka_unit_test(test_plan_picks_fewest_least_used),
                cmocka_unit_test(test_vrange_command_text),
                cmocka_unit_test(test_old_kernel_raises_level),
                cmocka_unit_test(test_json_has_schema_and_plan),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
