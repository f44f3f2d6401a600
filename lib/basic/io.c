/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include "io.h"

ssize_t pread_full(int fd, void *buf, size_t len, uint64_t offset) {
        size_t done = 0;

        while (done < len) {
                ssize_t k = pread(fd, (uint8_t *) buf + done, len - done, (off_t) (offset + done));
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (k == 0)
                        break;
                done += (size_t) k;
        }
        return (ssize_t) done;
}
