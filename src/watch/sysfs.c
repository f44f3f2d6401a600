/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "basic/cleanup.h"
#include "sysfs.h"

int sysfs_read_value(const char *path, char *buf, size_t size) {
        if (size == 0)
                return -ENOBUFS;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        ssize_t k;
        do
                k = read(fd, buf, size - 1);
        while (k < 0 && errno == EINTR);
        if (k < 0)
                return -errno;
        while (k > 0 && (buf[k - 1] == '\n' || buf[k - 1] == ' '))
                k--;
        buf[k] = 0;
        return k > 0 ? (int) k : -ENODATA;
}
