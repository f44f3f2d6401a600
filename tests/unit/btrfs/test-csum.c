/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Known-answer tests for the four btrfs checksum algorithms, in on-disk byte order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "btrfs/accessors.h"
#include "btrfs/csum.h"
#include "fsdoctor.h"

static void test_crc32c(void **state) {
        uint8_t out[BTRFS_CSUM_SIZE];

        /* the CRC-32C check value */
        assert_int_equal(~btrfs_crc32c(~UINT32_C(0), "123456789", 9), 0xe3069283);
        assert_int_equal(btrfs_csum_compute(BTRFS_CSUM_TYPE_CRC32, "123456789", 9, out), 0);
        assert_int_equal(btrfs_get_le32(out), 0xe3069283);
        for (int i = 4; i < BTRFS_CSUM_SIZE; i++)
                assert_int_equal(out[i], 0);
        /* 32 zero bytes (RFC 3720 B.4) exercises the 8-byte path */
        uint8_t zeros[32] = {};
        assert_int_equal(~btrfs_crc32c(~UINT32_C(0), zeros, sizeof zeros), 0x8a9136aa);
        /* split input gives the same result as one call */
        uint32_t c = btrfs_crc32c(~UINT32_C(0), "1234", 4);
        assert_int_equal(~btrfs_crc32c(c, "56789", 5), 0xe3069283);
        assert_int_equal(btrfs_csum_size(BTRFS_CSUM_TYPE_CRC32), 4);
}

/* The CPU instruction path and the table path must agree on every length and alignment. */
static void test_crc32c_paths_agree(void **state) {
        static uint8_t buf[16384 + 64];
        uint32_t x = 0x12345678;

        for (size_t i = 0; i < sizeof buf; i++) {
                x = x * 1103515245u + 12345u; /* any bytes will do; keep the test reproducible */
                buf[i] = (uint8_t) (x >> 16);
        }
        assert_int_equal(~btrfs_crc32c_portable(~UINT32_C(0), "123456789", 9), 0xe3069283);
        for (size_t off = 0; off < 9; off++)
                for (size_t len = 0; len < 40; len++)
                        assert_int_equal(btrfs_crc32c(~UINT32_C(0), buf + off, len),
                                         btrfs_crc32c_portable(~UINT32_C(0), buf + off, len));
        /* a whole 16 KiB node past its csum field, as read_tree_block checks it */
        assert_int_equal(btrfs_crc32c(~UINT32_C(0), buf + 3 + 32, 16384 - 32),
                         btrfs_crc32c_portable(~UINT32_C(0), buf + 3 + 32, 16384 - 32));
        assert_int_not_equal(btrfs_crc32c(~UINT32_C(0), buf, 16384), btrfs_crc32c(~UINT32_C(0), buf + 1, 16384));
}

static void test_xxhash64(void **state) {
        uint8_t out[BTRFS_CSUM_SIZE];

        assert_int_equal(btrfs_csum_compute(BTRFS_CSUM_TYPE_XXHASH, "", 0, out), 0);
        assert_true(btrfs_get_le64(out) == UINT64_C(0xef46db3751d8e999));
        assert_int_equal(btrfs_csum_compute(BTRFS_CSUM_TYPE_XXHASH, "abc", 3, out), 0);
        assert_true(btrfs_get_le64(out) == UINT64_C(0x44bc2cf5ad770999));
        assert_int_equal(btrfs_csum_size(BTRFS_CSUM_TYPE_XXHASH), 8);
}

static void test_sha256(void **state) {
        static const uint8_t abc[32] = {
                0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
                0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
        };
        uint8_t out[BTRFS_CSUM_SIZE];

        assert_int_equal(btrfs_csum_compute(BTRFS_CSUM_TYPE_SHA256, "abc", 3, out), 0);
        assert_memory_equal(out, abc, 32);
        assert_int_equal(btrfs_csum_size(BTRFS_CSUM_TYPE_SHA256), 32);
}

static void test_blake2b(void **state) {
        static const uint8_t abc[32] = {
                0xbd, 0xdd, 0x81, 0x3c, 0x63, 0x42, 0x39, 0x72, 0x31, 0x71, 0xef, 0x3f, 0xee, 0x98, 0x57, 0x9b,
                0x94, 0x96, 0x4e, 0x3b, 0xb1, 0xcb, 0x3e, 0x42, 0x72, 0x62, 0xc8, 0xc0, 0x68, 0xd5, 0x23, 0x19,
        };
        uint8_t out[BTRFS_CSUM_SIZE];

        assert_int_equal(btrfs_csum_compute(BTRFS_CSUM_TYPE_BLAKE2, "abc", 3, out), 0);
        assert_memory_equal(out, abc, 32);
        assert_int_equal(btrfs_csum_size(BTRFS_CSUM_TYPE_BLAKE2), 32);
}

static void test_unknown_type(void **state) {
        uint8_t out[BTRFS_CSUM_SIZE];

        assert_int_equal(btrfs_csum_compute(4, "abc", 3, out), -FSD_E_UNSUPPORTED);
        assert_int_equal(btrfs_csum_size(77), -FSD_E_UNSUPPORTED);
        assert_string_equal(btrfs_csum_name(77), "unknown");
        assert_string_equal(btrfs_csum_name(BTRFS_CSUM_TYPE_BLAKE2), "blake2b");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_crc32c),
                cmocka_unit_test(test_crc32c_paths_agree),
                cmocka_unit_test(test_xxhash64),
                cmocka_unit_test(test_sha256),
                cmocka_unit_test(test_blake2b),
                cmocka_unit_test(test_unknown_type),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
