/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btrfs-progs output pasted beside a log: every format it reads, and lines it must leave alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "basic/cleanup.h"
#include "diag/btrfs-paste.h"

static void feed(struct btrfs_paste *p, const char *const *lines, size_t n) {
        for (size_t i = 0; i < n; i++)
                btrfs_paste_note(p, lines[i], strlen(lines[i]));
}

static void test_sizes(void **state) {
        uint64_t v;
        assert_true(btrfs_paste_size("1.00MiB", 7, &v));
        assert_int_equal(v, UINT64_C(1048576));
        assert_true(btrfs_paste_size("0.00B", 5, &v));
        assert_int_equal(v, 0);
        assert_true(btrfs_paste_size("12345", 5, &v));
        assert_int_equal(v, 12345);
        assert_true(btrfs_paste_size("2.00GB", 6, &v));
        assert_int_equal(v, UINT64_C(2000000000));
        assert_false(btrfs_paste_size("1.00XiB", 7, &v));
        assert_false(btrfs_paste_size("-", 1, &v));
        assert_false(btrfs_paste_size("99999999EiB", 11, &v)); /* overflows 64 bits */
}

static void test_usage_plain(void **state) {
        static const char *const lines[] = {
                "Overall:", "    Device size:\t\t   3.64TiB", "",
                "Data,RAID10: Size:1.00TiB, Used:1.00TiB (99.99%)", "   /dev/sdb\t 512.00GiB", "",
                "Metadata,RAID1C3: Size:3.00GiB, Used:2.90GiB (96.67%)", "",
                "Unallocated:", "   /dev/sdb\t   1.00MiB", "   /dev/sdc\t   2.00GiB", "   /dev/sdd\t   1.00MiB",
                "BTRFS info (device sdb): forced readonly", "   /dev/sde\t   9.00GiB",
        };
        struct btrfs_paste p = {};
        feed(&p, lines, ELEMENTSOF(lines));
        assert_true(p.seen);
        assert_string_equal(p.dump.data_profile, "raid10");
        assert_string_equal(p.dump.metadata_profile, "raid1c3");
        /* the device lines under "Data,RAID10" are per-type, not unallocated; the list ends at the
         * first line that is not a device line */
        assert_int_equal(p.dump.n_devices, 3);
        assert_string_equal(p.dump.devices[1].path, "/dev/sdc");
        assert_int_equal(p.dump.devices[1].unallocated, UINT64_C(2) << 30);
        assert_int_equal(btrfs_profile_devs_min(p.dump.metadata_profile), 3);
}

static void test_usage_table(void **state) {
        static const char *const lines[] = {
                "            Data      Metadata System",
                "Id Path     RAID1     RAID1    RAID1    Unallocated Total    Slack",
                "-- -------- --------- -------- -------- ----------- -------- -----",
                " 1 /dev/sdb   1.81TiB  5.00GiB 32.00MiB     1.00MiB  1.82TiB     -",
                " 2 /dev/sdc   1.81TiB  6.00GiB        -   100.00GiB  1.91TiB     -",
                "-- -------- --------- -------- -------- ----------- -------- -----",
                "   Total      1.81TiB  5.50GiB 32.00MiB   100.00GiB  3.73TiB 0.00B",
        };
        struct btrfs_paste p = {};
        feed(&p, lines, ELEMENTSOF(lines));
        assert_string_equal(p.dump.metadata_profile, "raid1");
        assert_string_equal(p.dump.system_profile, "raid1");
        assert_int_equal(p.dump.n_devices, 2);
        assert_int_equal(p.dump.devices[0].unallocated, UINT64_C(1) << 20);
        assert_int_equal(p.dump.devices[1].unallocated, UINT64_C(100) << 30);
}

static void test_df_and_show(void **state) {
        static const char *const lines[] = {
                "Data, RAID1: total=1.36TiB, used=1.35TiB",
                "Metadata, RAID6: total=3.00GiB, used=2.90GiB",
                "GlobalReserve, single: total=512.00MiB, used=0.00B",
                "Label: none  uuid: 2f7a3a0e-8b6c-4d84-9c55-3c9f0e8b9a11",
                "\tTotal devices 2 FS bytes used 1.35TiB",
                "\tdevid    1 size 1.82TiB used 1.82TiB path /dev/sdb",
                "\tdevid    2 size 3.64TiB used 1.82TiB path /dev/sdc",
        };
        struct btrfs_paste p = {};
        feed(&p, lines, ELEMENTSOF(lines));
        assert_string_equal(p.dump.data_profile, "raid1");
        assert_string_equal(p.dump.metadata_profile, "raid6");
        assert_int_equal(p.dump.n_devices, 2);
        assert_int_equal(p.dump.devices[0].unallocated, 0);
        assert_true(p.dump.devices[1].unallocated > (UINT64_C(1) << 40));
}

static void test_not_a_paste(void **state) {
        static const char *const lines[] = {
                "BTRFS info (device sdb): relocating block group 1 flags metadata|raid1",
                "Data, which is not a profile: total=1",
                "  btrfs_commit_transaction+0x60/0xa00",
                "devid 1 size x used y path z",
                "Metadata,NOPE: Size:1.00GiB, Used:1.00GiB",
        };
        struct btrfs_paste p = {};
        feed(&p, lines, ELEMENTSOF(lines));
        assert_int_equal(p.dump.n_devices, 0);
        assert_string_equal(p.dump.metadata_profile, "");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sizes),
                cmocka_unit_test(test_usage_plain),
                cmocka_unit_test(test_usage_table),
                cmocka_unit_test(test_df_and_show),
                cmocka_unit_test(test_not_a_paste),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
