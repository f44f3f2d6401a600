/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* What the previous boot left in pstore (/sys/fs/pstore): dmesg records, "dmesg-BACKEND-ID" as
 * the kernel shows them, or "dmesg-BACKEND-ID.enc.z" when it could not decompress one at mount
 * (fs/pstore/inode.c). Such a record is read when its compression says what it is: a zstd frame
 * (magic number) or a raw deflate stream (pstore's default backend); lzo, lz4 and 842 carry no
 * header to tell them apart, and are reported as unreadable, never read as text. */
#include <stdbool.h>
#include <stddef.h>

struct fsd_source;

#define PSTORE_RECORD_MAX (16u << 20)   /* decompressed bytes kept of one record */

/* A dmesg record's file name? *ret_compressed: it ends in ".enc.z". */
bool pstore_dmesg_name(const char *name, bool *ret_compressed);
/* A compressed record's text, at most max bytes. @return 0 and a malloc'd buffer, -EPROTONOSUPPORT
 * when the compression is not one that can be recognised, -EBADMSG for a stream that is damaged
 * or decompresses to more than max, -ENOMEM. */
int pstore_decompress(const void *data, size_t size, size_t max, void **ret, size_t *ret_len);
/* A log source over the record in fd (read from its start): the file as it is, or its
 * decompressed text. @return 0 and the source, or a negative errno. */
int pstore_open_record_fd(int fd, bool compressed, struct fsd_source **ret);
