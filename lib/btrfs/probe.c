/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsd_btrfs_probe(): which superblock copies of an image or device carry the btrfs magic, so a
 * caller can tell "not a btrfs image" (and where it looked) from "a btrfs image we cannot read". */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "basic/cleanup.h"
#include "basic/io.h"
#include "basic/strbuf.h"
#include "btrfs/accessors.h"
#include "btrfs/offline-internal.h"
#include "fsdoctor.h"

/* "64 KiB", "64 MiB", "256 GiB": where the copies live, as people name them */
static void put_offset(struct strbuf *b, uint64_t off) {
        static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
        unsigned u = 0;
        while (u + 1 < ELEMENTSOF(units) && off >= 1024 && off % 1024 == 0) {
                off /= 1024;
                u++;
        }
        strbuf_printf(b, "%" PRIu64 " %s", off, units[u]);
}

int fsd_btrfs_probe(const char *path, char **reterr_detail) {
        if (!path)
                return -EINVAL;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        _cleanup_(strbuf_done) struct strbuf why = STRBUF_INIT;
        int found = 0;
        for (unsigned i = 0; i < BTRFS_SUPER_MIRROR_MAX; i++) {
                uint64_t off = btrfs_sb_offset(i);
                struct btrfs_super_block sb;
                ssize_t k = pread_full(fd, &sb, sizeof sb, off);
                if (k < 0)
                        return (int) k;
                if ((size_t) k == sizeof sb && btrfs_super_magic(&sb) == BTRFS_MAGIC) {
                        found |= 1 << i;
                        continue;
                }
                strbuf_puts(&why, why.len ? "; " : "");
                if (i == 0)
                        strbuf_puts(&why, "primary superblock at ");
                else
                        strbuf_printf(&why, "mirror %u at ", i);
                put_offset(&why, off);
                strbuf_puts(&why, k == 0 ? ": beyond the end" : (size_t) k < sizeof sb ? ": cut short by the end" :
                                                                  ": no btrfs magic");
        }
        if (!found && strbuf_failed(&why))
                return -ENOMEM;
        if (!found && reterr_detail)
                *reterr_detail = strbuf_steal(&why);
        return found;
}
