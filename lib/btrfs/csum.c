/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <sodium.h>
#include <xxhash.h>

#include "btrfs/accessors.h"
#include "btrfs/csum.h"
#include "core/diag-log.h"
#include "fsdoctor.h"

/* Slice-by-8 tables for the reflected Castagnoli polynomial: the portable path, for CPUs without
 * a CRC-32C instruction. */
static uint32_t crc32c_table[8][256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;

static uint32_t crc32c_tables(uint32_t crc, const void *data, size_t len) {
        const uint8_t *p = data;

        while (len >= 8) {
                uint32_t lo = btrfs_get_le32(p) ^ crc, hi = btrfs_get_le32(p + 4);
                crc = crc32c_table[7][lo & 0xff] ^ crc32c_table[6][(lo >> 8) & 0xff] ^
                      crc32c_table[5][(lo >> 16) & 0xff] ^ crc32c_table[4][lo >> 24] ^
                      crc32c_table[3][hi & 0xff] ^ crc32c_table[2][(hi >> 8) & 0xff] ^
                      crc32c_table[1][(hi >> 16) & 0xff] ^ crc32c_table[0][hi >> 24];
                p += 8;
                len -= 8;
        }
        while (len--)
                crc = (crc >> 8) ^ crc32c_table[0][(crc ^ *p++) & 0xff];
        return crc;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#  define HAVE_CRC32C_SSE42 1
/* SSE4.2's crc32 instruction computes exactly this CRC, 8 bytes per instruction: about four
 * times the tables' speed, and every tree block read is checksummed, so it shows in a large
 * offline inspect. */
__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const void *data, size_t len) {
        const uint8_t *p = data;
        uint64_t c = crc;

        for (; len >= 8; p += 8, len -= 8) {
                uint64_t word;
                memcpy(&word, p, sizeof word); /* unaligned; x86 is little-endian like the CRC */
                c = __builtin_ia32_crc32di(c, word);
        }
        crc = (uint32_t) c;
        for (; len > 0; p++, len--)
                crc = __builtin_ia32_crc32qi(crc, *p);
        return crc;
}
#endif

static uint32_t (*crc32c_impl)(uint32_t crc, const void *data, size_t len) = crc32c_tables;

static void crc32c_init(void) {
        for (unsigned i = 0; i < 256; i++) {
                uint32_t c = i;
                for (int k = 0; k < 8; k++)
                        c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
                crc32c_table[0][i] = c;
        }
        for (unsigned i = 0; i < 256; i++)
                for (unsigned t = 1; t < 8; t++)
                        crc32c_table[t][i] = (crc32c_table[t - 1][i] >> 8) ^
                                             crc32c_table[0][crc32c_table[t - 1][i] & 0xff];
#ifdef HAVE_CRC32C_SSE42
        __builtin_cpu_init();
        if (__builtin_cpu_supports("sse4.2"))
                crc32c_impl = crc32c_sse42;
#endif
}

uint32_t btrfs_crc32c(uint32_t crc, const void *data, size_t len) {
        pthread_once(&crc32c_once, crc32c_init);
        return crc32c_impl(crc, data, len);
}

uint32_t btrfs_crc32c_portable(uint32_t crc, const void *data, size_t len) {
        pthread_once(&crc32c_once, crc32c_init);
        return crc32c_tables(crc, data, len);
}

int btrfs_csum_size(uint16_t csum_type) {
        switch (csum_type) {
        case BTRFS_CSUM_TYPE_CRC32: return 4;
        case BTRFS_CSUM_TYPE_XXHASH: return 8;
        case BTRFS_CSUM_TYPE_SHA256: return 32;
        case BTRFS_CSUM_TYPE_BLAKE2: return 32;
        default: return -FSD_E_UNSUPPORTED;
        }
}

const char *btrfs_csum_name(uint16_t csum_type) {
        switch (csum_type) {
        case BTRFS_CSUM_TYPE_CRC32: return "crc32c";
        case BTRFS_CSUM_TYPE_XXHASH: return "xxhash64";
        case BTRFS_CSUM_TYPE_SHA256: return "sha256";
        case BTRFS_CSUM_TYPE_BLAKE2: return "blake2b";
        default: return "unknown";
        }
}

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void sodium_start(void) {
        /* picks the fastest implementation; the hashes work without it, only slower */
        if (sodium_init() < 0)
                fsd_debug("libsodium initialisation failed: using its portable code paths");
}

int btrfs_csum_compute(uint16_t csum_type, const void *data, size_t len,
                       uint8_t ret_csum[BTRFS_CSUM_SIZE]) {
        memset(ret_csum, 0, BTRFS_CSUM_SIZE);
        switch (csum_type) {
        case BTRFS_CSUM_TYPE_CRC32:
                /* btrfs stores the finished (inverted) CRC little-endian */
                btrfs_put_le32(ret_csum, ~btrfs_crc32c(~UINT32_C(0), data, len));
                return 0;
        case BTRFS_CSUM_TYPE_XXHASH:
                btrfs_put_le64(ret_csum, XXH64(data, len, 0));
                return 0;
        case BTRFS_CSUM_TYPE_SHA256:
                pthread_once(&sodium_once, sodium_start);
                if (crypto_hash_sha256(ret_csum, data, len) != 0)
                        return -ENOMEM;
                return 0;
        case BTRFS_CSUM_TYPE_BLAKE2:
                /* BLAKE2b with a 32-byte digest and no key = btrfs's blake2b-256 */
                pthread_once(&sodium_once, sodium_start);
                if (crypto_generichash(ret_csum, 32, data, len, NULL, 0) != 0)
                        return -ENOMEM;
                return 0;
        default:
                return -FSD_E_UNSUPPORTED;
        }
}
