/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The four btrfs checksum algorithms over a byte range. Results are in on-disk byte order,
 * zero-padded to BTRFS_CSUM_SIZE, so they compare directly with a header's csum field. */
#include <stddef.h>
#include <stdint.h>

#include "btrfs/ondisk.h"

/* CRC-32C (Castagnoli), reflected, caller-supplied running value: standard CRC-32C of a buffer
 * is ~btrfs_crc32c(~0, buf, len). */
uint32_t btrfs_crc32c(uint32_t crc, const void *data, size_t len);
/* The same with lookup tables only, whatever the CPU offers (btrfs_crc32c uses the CPU's CRC-32C
 * instruction where there is one). Exposed so tests can check both paths agree. */
uint32_t btrfs_crc32c_portable(uint32_t crc, const void *data, size_t len);

/* Bytes of checksum the type stores (4, 8, 32, 32), or -FSD_E_UNSUPPORTED for an unknown type. */
int btrfs_csum_size(uint16_t csum_type);
/* Stable name ("crc32c", "xxhash64", "sha256", "blake2b"), "unknown" otherwise. */
const char *btrfs_csum_name(uint16_t csum_type);

/* Compute the checksum of data[0, len) as btrfs stores it.
 * @return 0, or -FSD_E_UNSUPPORTED for an unknown type, -ENOMEM if the crypto library fails. */
int btrfs_csum_compute(uint16_t csum_type, const void *data, size_t len,
                       uint8_t ret_csum[BTRFS_CSUM_SIZE]);
