/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Guard building blocks that need no root: mountinfo parsing, what unallocated space can still
 * give metadata per profile, ids, and errors on paths that are not btrfs. The balance itself is
 * proven on real loop devices (tests/lab/guard). */
#define FSD_EXPERIMENTAL_API
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "fsdoctor.h"

#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

static char *write_temp(const char *text) {
        char *path = strdup("/tmp/fsdoctor-test-mountinfo.XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t) strlen(text));
        close(fd);
        return path;
}

static void test_mounts(void **state) {
        char *path = write_temp(
                "22 1 0:21 / /proc rw,nosuid - proc proc rw\n"
                "30 1 0:35 / / rw,relatime shared:1 - btrfs /dev/sda2 rw,ssd,space_cache=v2,subvolid=256,subvol=/root\n"
                "31 30 0:35 /home /home rw,relatime shared:2 - btrfs /dev/sda2 rw,subvolid=257,subvol=/home\n"
                "40 1 0:50 / /mnt/with\\040space ro,relatime - btrfs /dev/loop0 ro,degraded,subvolid=5,subvol=/\n"
                "41 1 0:51 / /srv rw - btrfs /dev/mapper/x rw,subvolid=5\n");
        struct fsd_btrfs_mount *m = NULL;
        int n = fsd_btrfs_mounts_list(path, &m);
        assert_int_equal(n, 3); /* / and /home are one filesystem */
        assert_string_equal(m[0].mount_point, "/");
        assert_string_equal(m[0].source, "/dev/sda2");
        assert_int_equal(m[0].major, 0);
        assert_int_equal(m[0].minor, 35);
        assert_false(m[0].read_only);
        assert_string_equal(m[1].mount_point, "/mnt/with space");
        assert_true(m[1].read_only && m[1].degraded);
        assert_string_equal(m[2].mount_point, "/srv");
        fsd_btrfs_mounts_free(m, (size_t) n);
        unlink(path);
        free(path);

        /* a line without the " - " separator is an error, not "no btrfs" */
        path = write_temp("30 1 0:35 / / rw,relatime shared:1 btrfs /dev/sda2 rw\n");
        m = NULL;
        assert_int_equal(fsd_btrfs_mounts_list(path, &m), -FSD_E_FORMAT);
        assert_null(m);
        unlink(path);
        free(path);

        assert_int_equal(fsd_btrfs_mounts_list("/nonexistent/mountinfo", &m), -ENOENT);
        /* the real one parses on any Linux */
        n = fsd_btrfs_mounts_list(NULL, &m);
        assert_true(n >= 0);
        fsd_btrfs_mounts_free(m, (size_t) n);
}

static void capacity(const uint64_t *free_bytes, size_t n, const bool *missing, uint64_t flags, uint64_t want) {
        struct fsd_btrfs_device dev[8] = {};
        for (size_t i = 0; i < n; i++)
                dev[i] = (struct fsd_btrfs_device) {
                        .devid = i + 1, .size = 10 * GiB, .allocated = 10 * GiB - free_bytes[i],
                        .missing = missing && missing[i],
                };
        struct fsd_btrfs_space s = { .devices = dev, .n_devices = n };
        uint64_t got = 0;
        assert_int_equal(fsd_btrfs_metadata_capacity(&s, flags, &got), 0);
        if (got != want)
                fail_msg("profile %#llx: capacity %llu, expected %llu", (unsigned long long) flags,
                         (unsigned long long) got, (unsigned long long) want);
}

static void test_capacity(void **state) {
        const uint64_t one[] = { 600 * MiB };
        capacity(one, 1, NULL, FSD_BTRFS_BG_METADATA, 600 * MiB);
        capacity(one, 1, NULL, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_DUP, 300 * MiB);
        /* RAID1: each chunk needs two devices, so at most min(sum / 2, sum - largest): 3 + 1 + 1
         * GiB free takes 2 GiB (the big device has no partner for the rest), 2 + 2 + 1 takes 2.5 */
        const uint64_t three[] = { 3 * GiB, 1 * GiB, 1 * GiB };
        capacity(three, 3, NULL, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_RAID1, 2 * GiB);
        const uint64_t even[] = { 2 * GiB, 2 * GiB, 1 * GiB };
        capacity(even, 3, NULL, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_RAID1, 2560 * MiB);
        /* RAID1 with one big device only: nothing, the second copy has nowhere to go */
        const uint64_t lopsided[] = { 5 * GiB, 0 };
        capacity(lopsided, 2, NULL, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_RAID1, 0);
        /* RAID1C3 needs three devices with room */
        capacity(three, 3, NULL, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_RAID1C3, 1 * GiB);
        /* a missing device gives nothing */
        const bool miss[] = { false, true, false };
        capacity(three, 3, miss, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_RAID1, 1 * GiB);
        /* striped: RAID10 halves, RAID5 on 2 devices keeps 1/2 */
        const uint64_t four[] = { GiB, GiB, GiB, GiB };
        capacity(four, 4, NULL, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_RAID10, 2 * GiB);
        capacity(three + 1, 2, NULL, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_RAID5, 1 * GiB);
        assert_int_equal(fsd_btrfs_metadata_capacity(NULL, 0, NULL), -EINVAL);
}

static void test_ids(void **state) {
        assert_string_equal(fsd_btrfs_guard_outcome_id(FSD_BTRFS_GUARD_RESTORED), "restored");
        assert_string_equal(fsd_btrfs_guard_outcome_id(FSD_BTRFS_GUARD_CANCELLED), "cancelled");
        assert_string_equal(fsd_btrfs_guard_outcome_id(_FSD_BTRFS_GUARD_OUTCOME_MAX), "unknown");
        assert_string_equal(fsd_btrfs_guard_refusal_id(FSD_BTRFS_GUARD_DEGRADED), "degraded");
        assert_string_equal(fsd_btrfs_guard_refusal_id(FSD_BTRFS_GUARD_READ_ONLY), "read-only");
        assert_string_equal(fsd_btrfs_guard_refusal_id(_FSD_BTRFS_GUARD_REFUSAL_MAX), "unknown");
        for (int o = 0; o < _FSD_BTRFS_GUARD_OUTCOME_MAX; o++)
                assert_string_not_equal(fsd_btrfs_guard_outcome_id(o), "unknown");
        for (int r = 0; r < _FSD_BTRFS_GUARD_REFUSAL_MAX; r++)
                assert_string_not_equal(fsd_btrfs_guard_refusal_id(r), "unknown");
}

/* not btrfs: an error, never "headroom ok" */
static void test_not_btrfs(void **state) {
        struct fsd_btrfs_guard *g = NULL;
        assert_int_equal(fsd_btrfs_guard_new(NULL, NULL, &g), -EINVAL);
        assert_int_equal(fsd_btrfs_guard_new("/proc", NULL, &g), 0);
        struct fsd_btrfs_guard_result res;
        int r = fsd_btrfs_guard_run(g, &res);
        assert_true(r == -FSD_E_NOT_BTRFS || r == -ENOTTY);
        /* after cancel every run says so, without touching the filesystem */
        fsd_btrfs_guard_cancel(g);
        assert_int_equal(fsd_btrfs_guard_run(g, &res), 0);
        assert_int_equal(res.outcome, FSD_BTRFS_GUARD_CANCELLED);
        assert_null(fsd_btrfs_guard_free(g));
        struct fsd_btrfs_sample *sm = NULL;
        r = fsd_btrfs_sample_take("/proc", &sm);
        assert_true(r == -FSD_E_NOT_BTRFS || r == -ENOTTY);
        assert_null(sm);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_mounts),
                cmocka_unit_test(test_capacity),
                cmocka_unit_test(test_ids),
                cmocka_unit_test(test_not_btrfs),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
