/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btrfs leaf dumps (print-tree.c): the owner tree, the back references of extent items in the 6.x
 * and 4.x forms and as syslog or mail print the tabs, and the one-bit comparison against a failed
 * lookup. The lines are written from the print sites, not taken from a report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "diag/btrfs-leaf.h"

static void feed(struct btrfs_leaf_dump *d, const char *const *lines, size_t n) {
        for (size_t i = 0; i < n; i++)
                btrfs_leaf_note(d, lines[i], strlen(lines[i]));
}

static bool flip(const struct btrfs_leaf_dump *d, const char *lookup, char *buf, size_t size) {
        return btrfs_leaf_ref_flip(d, lookup, strlen(lookup), buf, size);
}

static const char *const dump_61[] = {
        "BTRFS info (device vdb): leaf 30490624 gen 88 total ptrs 3 free space 15900 owner 2",
        "\titem 0 key (13631488 168 8192) itemoff 16230 itemsize 53",
        "\t\textent refs 1 gen 80 flags 1",
        "\t\tref#0: extent data backref root 257 objectid 261 offset 0 count 1",
        "\titem 1 key (13639680 168 4096) itemoff 16177 itemsize 53",
        "\t\textent refs 1 gen 80 flags 1",
        "\t\tref#0: extent data backref root 1281 objectid 262 offset 4096 count 1",
        "\titem 2 key (22020096 169 0) itemoff 16144 itemsize 33",
        "\t\textent refs 1 gen 85 flags 2",
        "\t\tref#0: tree block backref root 7",
};

static void test_owner_and_refs(void **state) {
        struct btrfs_leaf_dump d = {};
        feed(&d, dump_61, sizeof dump_61 / sizeof dump_61[0]);
        assert_string_equal(d.device, "vdb");
        assert_true(d.have_owner);
        assert_int_equal(d.owner, 2);
        assert_string_equal(btrfs_tree_name(d.owner), "extent tree");
        assert_int_equal(d.n_refs, 3);
        assert_int_equal(d.refs[1].bytenr, 13639680);
        assert_int_equal(d.refs[1].root, 1281);
        assert_int_equal(d.refs[2].kind, LEAF_REF_TREE);

        char buf[96];
        /* 1281 = 0x501, 257 = 0x101: one bit */
        assert_true(flip(&d, "unable to find ref byte nr 13639680 parent 0 root 257  owner 262 offset 4096", buf, sizeof buf));
        assert_string_equal(buf, "backref root wanted 257 found 1281");
        /* the same extent, but two fields differ: not a one-bit story */
        assert_false(flip(&d, "unable to find ref byte nr 13639680 parent 0 root 257  owner 263 offset 4096", buf, sizeof buf));
        /* 1281 against 1280 differ in one bit too, but it is another extent's reference */
        assert_false(flip(&d, "unable to find ref byte nr 13631488 parent 0 root 1280  owner 262 offset 4096", buf, sizeof buf));
        /* an exact reference is no flip */
        assert_false(flip(&d, "unable to find ref byte nr 13631488 parent 0 root 257  owner 261 offset 0", buf, sizeof buf));
        /* a tree block (owner below 256 is its level): root 5 against the csum tree's 7 is one bit */
        assert_true(flip(&d, "unable to find ref byte nr 22020096 parent 0 root 5  owner 0 offset 0", buf, sizeof buf));
        assert_string_equal(buf, "backref root wanted 5 found 7");
        /* not a lookup */
        assert_false(flip(&d, "unable to find ref byte nr", buf, sizeof buf));
}

/* 4.x: no owner in the header, no "ref#N: " before the references; syslog prints tabs as #011 */
static void test_old_form_and_syslog_tabs(void **state) {
        static const char *const lines[] = {
                "BTRFS info (device sdc1): leaf 29589504 total ptrs 2 free space 16000",
                "#011item 0 key (12582912 168 4096) itemoff 16230 itemsize 53",
                "#011#011extent refs 1 gen 12 flags 1",
                "#011#011extent data backref root 5 objectid 300 offset 8192 count 1",
                "    item 1 key (12587008 182 30490624) itemoff 16200 itemsize 4",
        };
        struct btrfs_leaf_dump d = {};
        feed(&d, lines, sizeof lines / sizeof lines[0]);
        assert_false(d.have_owner);
        assert_string_equal(d.device, "sdc1");
        assert_int_equal(d.n_refs, 2);
        assert_int_equal(d.refs[0].objectid, 300);
        assert_int_equal(d.refs[1].kind, LEAF_REF_SHARED_BLOCK);
        assert_int_equal(d.refs[1].parent, 30490624);
        char buf[96];
        /* offset 8192 against 8448 (0x2000 / 0x2100): one bit */
        assert_true(flip(&d, "unable to find ref byte nr 12582912 parent 0 root 5 owner 300 offset 8448", buf, sizeof buf));
        assert_string_equal(buf, "backref offset wanted 8448 found 8192");
        /* a shared reference compares its parent */
        assert_true(flip(&d, "unable to find ref byte nr 12587008 parent 30490625 root 5 owner 0 offset 0", buf, sizeof buf));
}

/* Another btrfs message ends the dump (what it said stays); a new header starts over; item lines
 * with no dump before them are not read. */
static void test_boundaries(void **state) {
        struct btrfs_leaf_dump d = {};
        static const char *const stray[] = { "\titem 0 key (12582912 168 4096) itemoff 16230 itemsize 53",
                                             "\t\tref#0: extent data backref root 5 objectid 300 offset 0 count 1" };
        feed(&d, stray, 2);
        assert_int_equal(d.n_refs, 0);
        feed(&d, dump_61, sizeof dump_61 / sizeof dump_61[0]);
        assert_int_equal(btrfs_leaf_note(&d, "BTRFS error (device vdb): unable to find ref byte nr 1", 54), 0);
        assert_false(d.in_leaf);
        assert_int_equal(d.n_refs, 3);
        feed(&d, stray, 2);
        assert_int_equal(d.n_refs, 3);
        static const char *const rst[] = { "BTRFS info (device sda: state A): leaf 2812729409536 gen 1880 total ptrs 243 free space 2432 owner 12" };
        feed(&d, rst, 1);
        assert_int_equal(d.n_refs, 0);
        assert_string_equal(d.device, "sda");
        assert_string_equal(btrfs_tree_name(d.owner), "RAID stripe tree");
        assert_string_equal(btrfs_tree_name(UINT64_MAX - 5), "log tree");
        assert_string_equal(btrfs_tree_name(256), "subvolume");
        assert_null(btrfs_tree_name(13));
        assert_null(btrfs_tree_name(UINT64_MAX - 100));
}

/* More references than the dump keeps are counted, never written past the array. */
static void test_many_refs(void **state) {
        struct btrfs_leaf_dump d = {};
        btrfs_leaf_note(&d, dump_61[0], strlen(dump_61[0]));
        btrfs_leaf_note(&d, dump_61[1], strlen(dump_61[1]));
        for (int i = 0; i < BTRFS_LEAF_MAX_REFS + 10; i++)
                btrfs_leaf_note(&d, dump_61[3], strlen(dump_61[3]));
        assert_int_equal(d.n_refs, BTRFS_LEAF_MAX_REFS);
        assert_int_equal(d.n_dropped, 10);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_owner_and_refs),
                cmocka_unit_test(test_old_form_and_syslog_tabs),
                cmocka_unit_test(test_boundaries),
                cmocka_unit_test(test_many_refs),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
