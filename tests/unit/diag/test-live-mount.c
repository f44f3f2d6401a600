/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mount point of a device named in the live log, against a mount table and a sysfs tree
 * written here (the real ones are the lab's: tests/lab/diag). Mounts are matched by the device's
 * name, for btrfs also by another member of the same filesystem; a device now holding another
 * kind of filesystem, or another btrfs, gives none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "diag/live-mount.h"

static char root[64];
static char mountinfo[128], sysfs[128];

static void write_file(const char *path, const char *text) {
        FILE *f = fopen(path, "we");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

static void make_dirs(const char *rel) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root, rel);
        for (char *p = path + strlen(root) + 1; *p; p++)
                if (*p == '/') {
                        *p = 0;
                        mkdir(path, 0755);
                        *p = '/';
                }
        mkdir(path, 0755);
}

static int setup(void **state) {
        (void) state;
        strcpy(root, "/tmp/fsd-live-mount-XXXXXX");
        if (!mkdtemp(root))
                return -1;
        snprintf(mountinfo, sizeof mountinfo, "%s/mountinfo", root);
        snprintf(sysfs, sizeof sysfs, "%s/sys", root);
        write_file(mountinfo,
                   "21 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw,errors=remount-ro\n"
                   "30 21 0:40 /@home /home rw - btrfs /dev/sdb rw,space_cache=v2\n"
                   "31 21 0:40 / /pool rw - btrfs /dev/sdb rw,space_cache=v2\n"
                   "32 21 7:0 / /srv/data\\040x rw - xfs /dev/loop0 rw\n"
                   "33 21 7:1 / /mnt/old rw - ext4 /dev/loop1 rw\n");
        make_dirs("sys/fs/btrfs/0f5c1f40-9d3e-4c1e-8d0a-3a4b5c6d7e8f/devices/sdb");
        make_dirs("sys/fs/btrfs/0f5c1f40-9d3e-4c1e-8d0a-3a4b5c6d7e8f/devices/sdc");
        make_dirs("sys/class/block");
        return 0;
}

static int teardown(void **state) {
        (void) state;
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
        return system(cmd) == 0 ? 0 : -1;
}

static char *mount_of(const char *device, enum fsd_fs_type fs, const char *uuid) {
        char *path = NULL;
        assert_int_equal(live_mount_point(device, fs, uuid, mountinfo, sysfs, &path), 0);
        return path;
}

static void expect(const char *device, enum fsd_fs_type fs, const char *uuid, const char *want) {
        char *got = mount_of(device, fs, uuid);
        if (want) {
                assert_non_null(got);
                assert_string_equal(got, want);
        } else {
                assert_null(got);
        }
        free(got);
}

static void test_by_name(void **state) {
        (void) state;
        expect("sda1", FSD_FS_EXT4, NULL, "/");
        /* mountinfo's \040 is a space */
        expect("loop0", FSD_FS_XFS, NULL, "/srv/data x");
        /* a block-layer incident on the whole disk: no filesystem type to check */
        expect("sda1", FSD_FS_NONE, NULL, "/");
        expect("sdz", FSD_FS_EXT4, NULL, NULL);
}

static void test_reused_device(void **state) {
        (void) state;
        /* loop0 holds XFS now: an ext4 incident on it was another filesystem */
        expect("loop0", FSD_FS_EXT4, NULL, NULL);
        expect("loop1", FSD_FS_BTRFS, NULL, NULL);
}

static void test_btrfs_members(void **state) {
        (void) state;
        /* the top directory, not the subvolume mounted first */
        expect("sdb", FSD_FS_BTRFS, NULL, "/pool");
        /* sdc is no mount's source, but a device of the same filesystem */
        expect("sdc", FSD_FS_BTRFS, "0f5c1f40-9d3e-4c1e-8d0a-3a4b5c6d7e8f", "/pool");
        expect("sdc", FSD_FS_BTRFS, "0F5C1F40-9D3E-4C1E-8D0A-3A4B5C6D7E8F", "/pool");
        /* the log's filesystem had another UUID: the device was reused */
        expect("sdc", FSD_FS_BTRFS, "11111111-2222-3333-4444-555555555555", NULL);
        expect("sdd", FSD_FS_BTRFS, NULL, NULL);
}

static void test_hostile_names(void **state) {
        (void) state;
        expect("", FSD_FS_EXT4, NULL, NULL);
        expect("../sda1", FSD_FS_EXT4, NULL, NULL);
        expect("..", FSD_FS_BTRFS, NULL, NULL);
        expect("mapper/vg-root", FSD_FS_EXT4, NULL, NULL);
        char *path = (char *) 1;
        assert_int_equal(live_mount_point(NULL, FSD_FS_EXT4, NULL, mountinfo, sysfs, &path), 0);
        assert_null(path);
        /* no mount table: unknown, not an error */
        assert_int_equal(live_mount_point("sda1", FSD_FS_EXT4, NULL, "/nonexistent/mountinfo", sysfs, &path), 0);
        assert_null(path);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_by_name),
                cmocka_unit_test(test_reused_device),
                cmocka_unit_test(test_btrfs_members),
                cmocka_unit_test(test_hostile_names),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
