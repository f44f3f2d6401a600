/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The offline reader against images CONSTRUCTED byte by byte (image-builder.c): Debian 12's
 * mkfs.btrfs cannot make a block-group-tree filesystem, and corrupt variants need exact control.
 * Real mkfs.btrfs images are compared with btrfs-progs in tests/lab/btrfs/offline-*.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "btrfs/accessors.h"
#include "btrfs/csum.h"
#include "fsdoctor.h"
#include "image-builder.h"

static uint8_t image[IMG_SIZE];

static void write_file(const char *path, const uint8_t *buf, size_t len) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, buf, len), (ssize_t) len);
        close(fd);
}

/* Write len bytes of buf to a temporary file and read it back offline. */
static int read_image(const uint8_t *buf, size_t len, struct fsd_btrfs_space **ret, char **detail) {
        char path[] = "/tmp/fsd-test-offline.XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
        write_file(path, buf, len);
        const char *paths[] = { path };
        *detail = NULL;
        int r = fsd_btrfs_space_read_offline(paths, 1, ret, detail);
        unlink(path);
        return r;
}

static void assert_model(const struct fsd_btrfs_space *s, uint16_t csum_type) {
        assert_false(s->online);
        assert_string_equal(s->label, "constructed");
        assert_int_equal(s->generation, 7);
        assert_int_equal(s->nodesize, IMG_NODESIZE);
        assert_int_equal(s->sectorsize, 4096);
        assert_int_equal(s->csum_type, csum_type);
        assert_int_equal(s->num_devices, 1);
        assert_true(s->super_total_bytes == UINT64_C(1) << 30);
        assert_int_equal(s->n_devices, 1);
        assert_int_equal(s->devices[0].devid, 1);
        assert_true(s->devices[0].size == UINT64_C(1) << 30);
        assert_int_equal(s->devices[0].allocated, IMG_SYS_LENGTH + 3 * IMG_CHUNK_LENGTH);
        assert_false(s->devices[0].missing);
        assert_true(strncmp(s->devices[0].path, "/tmp/fsd-test-offline.", 22) == 0);

        assert_int_equal(s->n_block_groups, 3);
        assert_int_equal(s->block_groups[0].start, IMG_SYS_LOGICAL);
        assert_int_equal(s->block_groups[0].length, IMG_SYS_LENGTH);
        assert_int_equal(s->block_groups[0].used, IMG_SYS_USED);
        assert_int_equal(s->block_groups[0].flags, FSD_BTRFS_BG_SYSTEM);
        assert_int_equal(s->block_groups[1].start, IMG_METADATA_LOGICAL);
        assert_int_equal(s->block_groups[1].used, IMG_META_USED);
        assert_int_equal(s->block_groups[1].flags, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_DUP);
        assert_int_equal(s->block_groups[2].start, IMG_DATA_LOGICAL);
        assert_int_equal(s->block_groups[2].used, IMG_DATA_USED);
        assert_int_equal(s->block_groups[2].flags, FSD_BTRFS_BG_DATA);

        /* space infos sorted by flags: DATA(1), SYSTEM(2), METADATA|DUP(36) */
        assert_int_equal(s->n_space_infos, 3);
        assert_int_equal(s->space_infos[0].flags, FSD_BTRFS_BG_DATA);
        assert_int_equal(s->space_infos[0].total, IMG_CHUNK_LENGTH);
        assert_int_equal(s->space_infos[0].used, IMG_DATA_USED);
        assert_int_equal(s->space_infos[1].flags, FSD_BTRFS_BG_SYSTEM);
        assert_int_equal(s->space_infos[2].flags, FSD_BTRFS_BG_METADATA | FSD_BTRFS_BG_DUP);
        assert_int_equal(s->space_infos[2].total, IMG_CHUNK_LENGTH);
        assert_int_equal(s->space_infos[2].used, IMG_META_USED);

        assert_false(s->global_reserve_exact);
        assert_int_equal(s->global_reserve_used, 0);
        /* tiny trees: the minimum wins. 4 KiB nodes: insert unit 64 KiB; items 1 + extent + csum?
         * (no csum tree here) [+ bg tree] + 6; delayed refs 6 units */
        uint64_t unit = (uint64_t) IMG_NODESIZE * 8 * 2;
        uint64_t items = 1 + 1 + 6 + ((s->compat_ro_flags & (1u << 3)) ? 1 : 0);
        assert_int_equal(s->global_reserve, unit * items + unit * 6);
}

static void test_block_group_tree_all_csums(void **state) {
        for (uint16_t t = 0; t <= 3; t++) {
                struct fsd_btrfs_space *s = NULL;
                char *detail = NULL;
                img_build(image, &(struct img_opts) { .csum_type = t, .block_group_tree = true });
                int r = read_image(image, sizeof image, &s, &detail);
                if (r < 0)
                        fail_msg("csum %u: %d %s", t, r, detail ? detail : "");
                assert_int_equal(s->compat_ro_flags, 1u << 3);
                assert_model(s, t);
                fsd_btrfs_space_free(s);
                assert_null(detail);
        }
}

static void test_extent_tree_leaf(void **state) {
        struct fsd_btrfs_space *s = NULL;
        char *detail = NULL;
        img_build(image, &(struct img_opts) { .csum_type = BTRFS_CSUM_TYPE_CRC32 });
        assert_int_equal(read_image(image, sizeof image, &s, &detail), 0);
        assert_model(s, 0);
        fsd_btrfs_space_free(s);
}

static void test_extent_tree_two_levels(void **state) {
        struct fsd_btrfs_space *s = NULL;
        char *detail = NULL;
        img_build(image, &(struct img_opts) { .csum_type = BTRFS_CSUM_TYPE_XXHASH, .two_level_extent = true });
        int r = read_image(image, sizeof image, &s, &detail);
        if (r < 0)
                fail_msg("%d %s", r, detail ? detail : "");
        assert_model(s, 1);
        fsd_btrfs_space_free(s);
}

static void expect_error(int expected, const char *what1, const char *what2) {
        struct fsd_btrfs_space *s = NULL;
        char *detail = NULL;
        int r = read_image(image, sizeof image, &s, &detail);
        assert_int_equal(r, expected);
        assert_null(s);
        assert_non_null(detail);
        if (!strstr(detail, what1) || (what2 && !strstr(detail, what2)))
                fail_msg("detail \"%s\" lacks \"%s\" / \"%s\"", detail, what1, what2 ? what2 : "");
        free(detail);
}

static void test_bad_magic(void **state) {
        img_build(image, &(struct img_opts) { .block_group_tree = true });
        image[BTRFS_SUPER_INFO_OFFSET + 64] ^= 0xff;
        expect_error(-FSD_E_NOT_BTRFS, "magic", "65536");
}

static void test_bad_super_csum(void **state) {
        img_build(image, &(struct img_opts) { .csum_type = BTRFS_CSUM_TYPE_SHA256, .block_group_tree = true });
        image[BTRFS_SUPER_INFO_OFFSET + 72] ^= 1; /* generation */
        expect_error(-FSD_E_CSUM, "superblock at byte 65536", "sha256");
}

static void test_unknown_csum_type(void **state) {
        img_build(image, &(struct img_opts) { .block_group_tree = true });
        btrfs_put_le16(image + BTRFS_SUPER_INFO_OFFSET + 196, 9);
        expect_error(-FSD_E_UNSUPPORTED, "checksum type 9", NULL);
}

static void test_bad_tree_block_csum(void **state) {
        img_build(image, &(struct img_opts) { .csum_type = BTRFS_CSUM_TYPE_BLAKE2, .block_group_tree = true });
        img_block(image, IMG_BG_TREE)[IMG_NODESIZE - 10] ^= 0x55;
        /* logical 0x102000 lives at physical 0x13000 */
        expect_error(-FSD_E_CSUM, "logical 1056768", "offset 77824");
}

static void test_wrong_bytenr(void **state) {
        img_build(image, &(struct img_opts) { .block_group_tree = true });
        btrfs_put_le64(img_block(image, IMG_ROOT_TREE) + 48, 12345);
        img_fix_block_csum(image, 0, IMG_ROOT_TREE);
        expect_error(-FSD_E_CORRUPT, "logical 1052672", "bytenr 12345");
}

static void test_truncated(void **state) {
        struct fsd_btrfs_space *s = NULL;
        char *detail = NULL;
        img_build(image, &(struct img_opts) { .block_group_tree = true });
        /* the superblock is intact, the chunk tree at physical 68 KiB is cut off */
        assert_int_equal(read_image(image, 70 * 1024, &s, &detail), -FSD_E_TRUNCATED);
        assert_non_null(strstr(detail, "beyond the end"));
        assert_non_null(strstr(detail, "logical 1048576"));
        free(detail);
        /* too small for a superblock at all */
        assert_int_equal(read_image(image, 4096, &s, &detail), -FSD_E_TRUNCATED);
        assert_non_null(strstr(detail, "too small"));
        free(detail);
}

/* The root tree becomes a level-1 node whose only pointer is itself: the reader must stop with
 * a level error, not recurse. */
static void test_self_loop(void **state) {
        img_build(image, &(struct img_opts) { .block_group_tree = true });
        uint8_t *b = img_block(image, IMG_ROOT_TREE);
        memset(b + sizeof(struct btrfs_header), 0, IMG_NODESIZE - sizeof(struct btrfs_header));
        b[100] = 1; /* level */
        btrfs_put_le32(b + 96, 1);
        struct btrfs_key_ptr *p = (struct btrfs_key_ptr *) (b + sizeof(struct btrfs_header));
        btrfs_put_le64(&p->key.objectid, 1);
        btrfs_put_le64(&p->blockptr, IMG_ROOT_TREE);
        img_fix_block_csum(image, 0, IMG_ROOT_TREE);
        image[BTRFS_SUPER_INFO_OFFSET + 198] = 1; /* root_level */
        img_fix_super_csum(image, 0, BTRFS_SUPER_INFO_OFFSET);
        expect_error(-FSD_E_CORRUPT, "level 1 where level 0 was expected", "logical 1052672");
}

/* The chunk tree's sys chunk claims a DUP profile with one stripe: rejected before any math. */
static void test_bad_sys_chunk(void **state) {
        img_build(image, &(struct img_opts) { .block_group_tree = true });
        uint8_t *chunk = image + BTRFS_SUPER_INFO_OFFSET + 0x32B + sizeof(struct btrfs_disk_key);
        btrfs_put_le64(chunk + 24, BTRFS_BLOCK_GROUP_SYSTEM | BTRFS_BLOCK_GROUP_DUP);
        img_fix_super_csum(image, 0, BTRFS_SUPER_INFO_OFFSET);
        expect_error(-FSD_E_CORRUPT, "chunk at logical 1048576", "1 stripes");
}

static void test_primary_bad_uses_mirror(void **state) {
        char path[] = "/tmp/fsd-test-offline.XXXXXX";
        struct fsd_btrfs_space *s = NULL;
        char *detail = NULL;
        uint8_t mirror[BTRFS_SUPER_INFO_SIZE];
        const uint64_t at = UINT64_C(64) << 20;

        img_build(image, &(struct img_opts) { .block_group_tree = true });
        memcpy(mirror, image + BTRFS_SUPER_INFO_OFFSET, sizeof mirror);
        btrfs_put_le64(mirror + 48, at);
        btrfs_csum_compute(0, mirror + 32, sizeof mirror - 32, mirror);
        image[BTRFS_SUPER_INFO_OFFSET + 100] ^= 1; /* primary csum now wrong */

        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, image, sizeof image, 0), (ssize_t) sizeof image);
        assert_int_equal(pwrite(fd, mirror, sizeof mirror, (off_t) at), (ssize_t) sizeof mirror);
        close(fd);
        const char *paths[] = { path };
        int r = fsd_btrfs_space_read_offline(paths, 1, &s, &detail);
        unlink(path);
        if (r < 0)
                fail_msg("%d %s", r, detail ? detail : "");
        assert_model(s, 0);
        fsd_btrfs_space_free(s);
}

static void test_same_device_twice(void **state) {
        char path[] = "/tmp/fsd-test-offline.XXXXXX";
        struct fsd_btrfs_space *s = NULL;
        char *detail = NULL;

        img_build(image, &(struct img_opts) { .block_group_tree = true });
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
        write_file(path, image, sizeof image);
        const char *paths[] = { path, path };
        assert_int_equal(fsd_btrfs_space_read_offline(paths, 2, &s, &detail), -EINVAL);
        unlink(path);
        assert_non_null(strstr(detail, "both devid 1"));
        free(detail);
        assert_int_equal(fsd_btrfs_space_read_offline(NULL, 0, &s, &detail), -EINVAL);
}

static void test_missing_file(void **state) {
        struct fsd_btrfs_space *s = NULL;
        char *detail = NULL;
        const char *paths[] = { "/nonexistent/fsd-image" };
        assert_int_equal(fsd_btrfs_space_read_offline(paths, 1, &s, &detail), -ENOENT);
        assert_non_null(strstr(detail, "/nonexistent/fsd-image"));
        free(detail);
}

/* FSD_WRITE_FUZZ_SEEDS=DIR: write the constructed images, without their first 64 KiB (the
 * fuzz-btrfs-image target puts them back), as seeds for tests/fuzz/corpora/fuzz-btrfs-image. */
static int write_fuzz_seeds(const char *dir) {
        static const struct { const char *name; struct img_opts opts; } seeds[] = {
                { "constructed-bgt-crc32c", { .csum_type = 0, .block_group_tree = true } },
                { "constructed-bgt-xxhash", { .csum_type = 1, .block_group_tree = true } },
                { "constructed-extent-leaf", { .csum_type = 0 } },
                { "constructed-extent-node", { .csum_type = 0, .two_level_extent = true } },
        };
        for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
                char path[4096];
                img_build(image, &seeds[i].opts);
                snprintf(path, sizeof path, "%s/%s", dir, seeds[i].name);
                /* everything after the last tree block is zero: leave it out */
                size_t end = IMG_SYS_PHYSICAL + 6 * IMG_NODESIZE;
                write_file(path, image + BTRFS_SUPER_INFO_OFFSET, end - BTRFS_SUPER_INFO_OFFSET);
        }
        return 0;
}

int main(void) {
        if (getenv("FSD_WRITE_FUZZ_SEEDS"))
                return write_fuzz_seeds(getenv("FSD_WRITE_FUZZ_SEEDS"));
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_block_group_tree_all_csums),
                cmocka_unit_test(test_extent_tree_leaf),
                cmocka_unit_test(test_extent_tree_two_levels),
                cmocka_unit_test(test_bad_magic),
                cmocka_unit_test(test_bad_super_csum),
                cmocka_unit_test(test_unknown_csum_type),
                cmocka_unit_test(test_bad_tree_block_csum),
                cmocka_unit_test(test_wrong_bytenr),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_self_loop),
                cmocka_unit_test(test_bad_sys_chunk),
                cmocka_unit_test(test_primary_bad_uses_mirror),
                cmocka_unit_test(test_same_device_twice),
                cmocka_unit_test(test_missing_file),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
