/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The one-value files of /sys and /proc (a device number, a boot id, an ext4 error field). */
#include <stddef.h>

/* path's contents, up to size - 1 bytes, trailing newlines and blanks removed, NUL-terminated.
 * @return the length, or a negative errno (-ENODATA for an empty file). */
int sysfs_read_value(const char *path, char *buf, size_t size);
