/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Reads that do not stop short: read(2) and pread(2) may return less than asked for. */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* pread until len bytes or end of file, retrying on EINTR. @return bytes read (less than len
 * only at end of file) or -errno. */
ssize_t pread_full(int fd, void *buf, size_t len, uint64_t offset);
