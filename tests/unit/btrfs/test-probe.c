/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsd_btrfs_probe(): which superblock copies carry the btrfs magic, and the sentence that says
 * where none was found. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "btrfs/offline-internal.h"
#include "fsdoctor.h"

static char path[64];

static void make_file(uint64_t size) {
        snprintf(path, sizeof path, "/tmp/fsd-test-probe-XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(ftruncate(fd, (off_t) size), 0);
        close(fd);
}

/* the magic sits 64 bytes into a superblock copy (after csum[32], fsid[16], bytenr, flags) */
static void put_magic(uint64_t sb_offset) {
        FILE *f = fopen(path, "r+");
        assert_non_null(f);
        assert_int_equal(fseeko(f, (off_t) (sb_offset + 64), SEEK_SET), 0);
        assert_int_equal(fwrite("_BHRfS_M", 1, 8, f), 8);
        fclose(f);
}

static void test_no_magic_says_where_it_looked(void **state) {
        make_file(1 << 20);
        char *detail = NULL;
        assert_int_equal(fsd_btrfs_probe(path, &detail), 0);
        assert_non_null(detail);
        assert_non_null(strstr(detail, "primary superblock at 64 KiB: no btrfs magic"));
        assert_non_null(strstr(detail, "mirror 1 at 64 MiB: beyond the end"));
        assert_non_null(strstr(detail, "mirror 2 at 256 GiB: beyond the end"));
        free(detail);
        unlink(path);

        make_file(65536 + 100);   /* the primary copy is cut short by the end of the file */
        detail = NULL;
        assert_int_equal(fsd_btrfs_probe(path, &detail), 0);
        assert_non_null(strstr(detail, "primary superblock at 64 KiB: cut short by the end"));
        free(detail);
        assert_int_equal(fsd_btrfs_probe(path, NULL), 0);
        unlink(path);
}

static void test_magic_in_primary_and_mirror(void **state) {
        make_file(UINT64_C(70) << 20);
        put_magic(btrfs_sb_offset(0));
        char *detail = NULL;
        assert_int_equal(fsd_btrfs_probe(path, &detail), 1);
        assert_null(detail);   /* nothing to explain */
        put_magic(btrfs_sb_offset(1));
        assert_int_equal(fsd_btrfs_probe(path, NULL), 3);
        unlink(path);

        make_file(UINT64_C(70) << 20);   /* primary overwritten, the 64 MiB mirror intact */
        put_magic(btrfs_sb_offset(1));
        assert_int_equal(fsd_btrfs_probe(path, NULL), 2);
        unlink(path);
}

static void test_errors(void **state) {
        assert_int_equal(fsd_btrfs_probe(NULL, NULL), -EINVAL);
        assert_int_equal(fsd_btrfs_probe("/nonexistent/image", NULL), -ENOENT);
        assert_int_equal(fsd_btrfs_probe("/", NULL), -EISDIR);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_no_magic_says_where_it_looked),
                cmocka_unit_test(test_magic_in_primary_and_mirror),
                cmocka_unit_test(test_errors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
