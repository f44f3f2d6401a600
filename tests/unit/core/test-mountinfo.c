/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsd_mountinfo_*: the line format of proc(5), escapes, malformed lines, reading by path and by
 * descriptor, and finding the mount whose source is a given block device. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>
#include "core/mountinfo.h"
#include "fsdoctor.h"

/* Writes text to a new temporary file; returns its path (static storage). */
static const char *write_temp(const char *text) {
        static char path[64];
        snprintf(path, sizeof path, "/tmp/fsd-test-mountinfo-XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t) strlen(text));
        close(fd);
        return path;
}

static void test_parse_line_with_optional_fields_and_escapes(void **state) {
        char line[] = "36 35 98:0 /sub\\040vol /mnt\\0402 rw,noatime master:1 shared:2 - btrfs /dev/sd\\134a ro,space_cache\n";
        struct fsd_mount m;
        assert_int_equal(mountinfo_parse_line(line, &m), 0);
        assert_int_equal(m.id, 36);
        assert_int_equal(m.parent_id, 35);
        assert_int_equal(m.dev_major, 98);
        assert_int_equal(m.dev_minor, 0);
        assert_string_equal(m.root, "/sub vol");
        assert_string_equal(m.mount_point, "/mnt 2");
        assert_string_equal(m.mount_options, "rw,noatime");
        assert_string_equal(m.fstype, "btrfs");
        assert_string_equal(m.source, "/dev/sd\\a");
        assert_string_equal(m.super_options, "ro,space_cache");
        assert_true(m.read_only);   /* the superblock is read-only even though the mount is rw */

        char rw[] = "1 0 0:22 / / rw - ext4 /dev/root rw,relatime";
        assert_int_equal(mountinfo_parse_line(rw, &m), 0);
        assert_false(m.read_only);
        char rofirst[] = "1 0 0:22 / / ro,relatime - ext4 /dev/root rw";
        assert_int_equal(mountinfo_parse_line(rofirst, &m), 0);
        assert_true(m.read_only);
        char robust[] = "1 0 0:22 / / rw - ext4 /dev/root rootflags";   /* "ro..." but not "ro" */
        assert_int_equal(mountinfo_parse_line(robust, &m), 0);
        assert_false(m.read_only);
}

static void test_parse_line_rejects_other_shapes(void **state) {
        const char *bad[] = {
                "",
                "36 35 98:0 /mnt1 /mnt2 rw,noatime btrfs /dev/sda rw",      /* no separator */
                "36 35 98:0 /mnt1 /mnt2 rw - btrfs /dev/sda",               /* no super options */
                "x 35 98:0 / /mnt rw - btrfs /dev/sda rw",                  /* id not a number */
                "36 35 98 / /mnt rw - btrfs /dev/sda rw",                   /* no minor */
                "36 35 98:0 / /mnt",                                        /* cut short */
                "\x01\xff binary \x7f",
        };
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                char *copy = strdup(bad[i]);
                struct fsd_mount m;
                assert_int_equal(mountinfo_parse_line(copy, &m), -FSD_E_FORMAT);
                free(copy);
        }
}

static void test_read_counts_and_skips_malformed(void **state) {
        const char *path = write_temp("21 1 0:19 / /proc rw,nosuid - proc proc rw\n"
                                      "garbage line\n"
                                      "30 1 0:33 / /mnt/data rw,relatime - btrfs /dev/vdb rw,space_cache=v2\n");
        struct fsd_mountinfo *mi = NULL;
        assert_int_equal(fsd_mountinfo_read(path, &mi), 0);
        assert_int_equal(fsd_mountinfo_count(mi), 2);
        assert_int_equal(mountinfo_malformed(mi), 1);
        assert_string_equal(fsd_mountinfo_at(mi, 1)->mount_point, "/mnt/data");
        assert_null(fsd_mountinfo_at(mi, 2));
        assert_null(fsd_mountinfo_free(mi));
        unlink(path);

        path = write_temp("");
        assert_int_equal(fsd_mountinfo_read(path, &mi), -FSD_E_FORMAT);   /* a table with no mount */
        unlink(path);
        assert_int_equal(fsd_mountinfo_read("/nonexistent/mountinfo", &mi), -ENOENT);
        assert_int_equal(fsd_mountinfo_read(NULL, NULL), -EINVAL);
}

static void test_read_fd_rereads_from_the_start(void **state) {
        int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        struct fsd_mountinfo *a = NULL, *b = NULL;
        assert_int_equal(fsd_mountinfo_read_fd(fd, &a), 0);
        assert_int_equal(fsd_mountinfo_read_fd(fd, &b), 0);   /* the same fd again: rewound */
        assert_true(fsd_mountinfo_count(a) >= 1);
        assert_int_equal(fsd_mountinfo_count(a), fsd_mountinfo_count(b));
        assert_int_equal(fcntl(fd, F_GETFD), FD_CLOEXEC);     /* still open, still ours */
        fsd_mountinfo_free(a);
        fsd_mountinfo_free(b);
        close(fd);
        assert_int_equal(fsd_mountinfo_read_fd(-1, &a), -EINVAL);
}

static void test_find_device(void **state) {
        /* any block device node on this machine will do: the mount table is a file we write */
        DIR *d = opendir("/dev");
        char dev[300] = "";
        struct stat st;
        for (struct dirent *e; d && (e = readdir(d));) {
                snprintf(dev, sizeof dev, "/dev/%s", e->d_name);
                if (stat(dev, &st) == 0 && S_ISBLK(st.st_mode))
                        break;
                dev[0] = '\0';
        }
        if (d)
                closedir(d);
        if (!dev[0])
                skip();
        char text[1024];
        snprintf(text, sizeof text,
                 "30 1 0:33 / /ro-mount ro - btrfs %s ro\n"
                 "31 1 0:33 / /xfs-mount rw - xfs %s rw\n"
                 "32 1 0:33 / /rw-mount rw - btrfs %s rw\n", dev, dev, dev);
        const char *path = write_temp(text);
        struct fsd_mountinfo *mi = NULL;
        assert_int_equal(fsd_mountinfo_read(path, &mi), 0);
        unlink(path);
        unsigned maj = major(st.st_rdev), min = minor(st.st_rdev);
        const struct fsd_mount *m = fsd_mountinfo_find_device(mi, "btrfs", maj, min, true);
        assert_non_null(m);
        assert_string_equal(m->mount_point, "/rw-mount");
        assert_string_equal(fsd_mountinfo_find_device(mi, "btrfs", maj, min, false)->mount_point, "/ro-mount");
        assert_string_equal(fsd_mountinfo_find_device(mi, NULL, maj, min, false)->mount_point, "/ro-mount");
        assert_null(fsd_mountinfo_find_device(mi, "ext4", maj, min, false));
        assert_null(fsd_mountinfo_find_device(mi, "btrfs", maj, min + 1000, false));
        fsd_mountinfo_free(mi);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_line_with_optional_fields_and_escapes),
                cmocka_unit_test(test_parse_line_rejects_other_shapes),
                cmocka_unit_test(test_read_counts_and_skips_malformed),
                cmocka_unit_test(test_read_fd_rereads_from_the_start),
                cmocka_unit_test(test_find_device),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
