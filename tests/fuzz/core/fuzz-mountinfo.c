/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bytes -> a mount table through fsd_mountinfo_read_fd() (the reader the daemon and inspect use):
 * any line must parse or be skipped, every field of a parsed mount must be a NUL-terminated string
 * inside the table, and the limits must hold. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/mountinfo.h"
#include "fsdoctor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        int fd = memfd_create("fuzz-mountinfo", MFD_CLOEXEC);
        if (fd < 0)
                return 0;
        if (write(fd, data, size) != (ssize_t) size) {
                close(fd);
                return 0;
        }
        struct fsd_mountinfo *mi = NULL;
        if (fsd_mountinfo_read_fd(fd, &mi) >= 0) {
                size_t n = fsd_mountinfo_count(mi), total = 0;
                if (n == 0)
                        abort();        /* an empty table is an error, never a success */
                for (size_t i = 0; i < n; i++) {
                        const struct fsd_mount *m = fsd_mountinfo_at(mi, i);
                        total += strlen(m->root) + strlen(m->mount_point) + strlen(m->mount_options) +
                                 strlen(m->fstype) + strlen(m->source) + strlen(m->super_options);
                }
                if (total > size || fsd_mountinfo_at(mi, n) != NULL)
                        abort();        /* unescaping only shrinks; no mount past the end */
                fsd_mountinfo_free(mi);
        }
        close(fd);
        return 0;
}
