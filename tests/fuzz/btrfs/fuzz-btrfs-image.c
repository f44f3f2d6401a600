/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bytes -> a small image file (memfd) -> the full offline read. The input is the image from byte
 * 64 KiB on (the superblock first), so seeds stay small. Checksums are recomputed before the read
 * (superblock, and every node-sized block whose header carries the filesystem's fsid): otherwise
 * the fuzzer would never get past them to the tree walking behind. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "btrfs/accessors.h"
#include "btrfs/csum.h"
#include "btrfs/offline-internal.h"
#include "fsdoctor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (1u << 20)

static void fix_checksums(uint8_t *img, size_t len) {
        struct btrfs_super_block *sb = (struct btrfs_super_block *) (img + BTRFS_SUPER_INFO_OFFSET);
        uint16_t csum_type = btrfs_super_csum_type(sb);
        uint32_t nodesize = btrfs_super_nodesize(sb);
        const uint8_t *fsid = (btrfs_super_incompat_flags(sb) & BTRFS_FEATURE_INCOMPAT_METADATA_UUID)
                                      ? sb->metadata_uuid : sb->fsid;

        if (btrfs_csum_size(csum_type) < 0)
                return;
        if (nodesize >= BTRFS_MIN_NODESIZE && nodesize <= BTRFS_MAX_NODESIZE && (nodesize & (nodesize - 1)) == 0)
                for (size_t off = BTRFS_SUPER_INFO_OFFSET + BTRFS_SUPER_INFO_SIZE; off + nodesize <= len; off += 4096)
                        if (memcmp(img + off + BTRFS_CSUM_SIZE, fsid, BTRFS_FSID_SIZE) == 0)
                                btrfs_csum_compute(csum_type, img + off + BTRFS_CSUM_SIZE, nodesize - BTRFS_CSUM_SIZE,
                                                   img + off);
        btrfs_csum_compute(csum_type, (uint8_t *) sb + BTRFS_CSUM_SIZE, BTRFS_SUPER_INFO_SIZE - BTRFS_CSUM_SIZE,
                           sb->csum);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct fsd_btrfs_space *space = NULL;
        char *detail = NULL, path[64];
        size_t len;
        uint8_t *img;
        int fd;

        if (size > MAX_INPUT)
                return 0;
        len = BTRFS_SUPER_INFO_OFFSET + MAX(size, (size_t) BTRFS_SUPER_INFO_SIZE);
        img = calloc(1, len);
        if (!img)
                return 0;
        memcpy(img + BTRFS_SUPER_INFO_OFFSET, data, size);
        fix_checksums(img, len);
        fd = memfd_create("fuzz-btrfs-image", MFD_CLOEXEC);
        if (fd >= 0 && write(fd, img, len) == (ssize_t) len) {
                snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
                const char *paths[] = { path };
                if (fsd_btrfs_space_read_offline(paths, 1, &space, &detail) == 0)
                        fsd_btrfs_space_free(space);
                free(detail);
        }
        if (fd >= 0)
                close(fd);
        free(img);
        return 0;
}
