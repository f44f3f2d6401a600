/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "basic/cleanup.h"
#include "fsdoctor.h"
#include "pstore.h"

bool pstore_dmesg_name(const char *name, bool *ret_compressed) {
        if (strncmp(name, "dmesg-", 6) != 0 || !name[6])
                return false;
        size_t n = strlen(name);
        *ret_compressed = n > 6 + 6 && strcmp(name + n - 6, ".enc.z") == 0;
        return true;
}

static int inflate_raw(const void *data, size_t size, size_t max, void **ret, size_t *ret_len) {
        z_stream z = { 0 };
        /* pstore's deflate backend writes a raw stream (no zlib header), window bits below 15 */
        if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
                return -ENOMEM;
        size_t cap = size * 4 + 4096 < max ? size * 4 + 4096 : max, len = 0;
        uint8_t *out = malloc(cap + 1);
        int r = out ? 0 : -ENOMEM;
        z.next_in = (Bytef *) data;
        while (r == 0) {
                if (len == cap) {
                        if (cap == max) {
                                r = -EBADMSG;     /* more than a record can hold */
                                break;
                        }
                        cap = cap * 2 < max ? cap * 2 : max;
                        uint8_t *n = realloc(out, cap + 1);
                        if (!n) {
                                r = -ENOMEM;
                                break;
                        }
                        out = n;
                }
                /* zlib counts in uInt: feed and take at most 1 GiB a round */
                size_t in_left = size - (size_t) ((const uint8_t *) z.next_in - (const uint8_t *) data);
                z.avail_in = (uInt) (in_left < (1u << 30) ? in_left : (1u << 30));
                z.next_out = out + len;
                z.avail_out = (uInt) (cap - len < (1u << 30) ? cap - len : (1u << 30));
                uInt before = z.avail_out;
                int zr = inflate(&z, Z_NO_FLUSH);
                len += before - z.avail_out;
                if (zr == Z_STREAM_END)
                        break;
                if (zr == Z_BUF_ERROR && z.avail_out > 0)
                        r = -EBADMSG;     /* input ended inside the stream */
                else if (zr != Z_OK && zr != Z_BUF_ERROR)
                        r = zr == Z_MEM_ERROR ? -ENOMEM : -EPROTONOSUPPORT;
        }
        inflateEnd(&z);
        if (r < 0) {
                free(out);
                return r;
        }
        out[len] = 0;
        *ret = out;
        *ret_len = len;
        return 0;
}

static int unzstd(const void *data, size_t size, size_t max, void **ret, size_t *ret_len) {
        unsigned long long n = ZSTD_getFrameContentSize(data, size);
        if (n == ZSTD_CONTENTSIZE_ERROR)
                return -EBADMSG;
        /* the kernel's zstd writes the size into the frame; without it, take up to max */
        size_t cap = n == ZSTD_CONTENTSIZE_UNKNOWN ? max : (size_t) (n < max ? n : max);
        if (n != ZSTD_CONTENTSIZE_UNKNOWN && n > max)
                return -EBADMSG;
        uint8_t *out = malloc(cap + 1);
        if (!out)
                return -ENOMEM;
        size_t k = ZSTD_decompress(out, cap, data, size);
        if (ZSTD_isError(k)) {
                free(out);
                return -EBADMSG;
        }
        out[k] = 0;
        *ret = out;
        *ret_len = k;
        return 0;
}

int pstore_decompress(const void *data, size_t size, size_t max, void **ret, size_t *ret_len) {
        static const uint8_t zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
        if (size >= 4 && memcmp(data, zstd_magic, 4) == 0)
                return unzstd(data, size, max, ret, ret_len);
        /* anything else that is not deflate (lzo, lz4, 842) fails as -EPROTONOSUPPORT */
        return inflate_raw(data, size, max, ret, ret_len);
}

static int read_all(int fd, size_t max, void **ret, size_t *ret_len) {
        size_t cap = 65536, len = 0;
        uint8_t *buf = malloc(cap);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                if (len == cap) {
                        if (cap >= max) {
                                free(buf);
                                return -EFBIG;
                        }
                        uint8_t *n = realloc(buf, cap * 2);
                        if (!n) {
                                free(buf);
                                return -ENOMEM;
                        }
                        buf = n;
                        cap *= 2;
                }
                ssize_t k = pread(fd, buf + len, cap - len, (off_t) len);
                if (k < 0) {
                        int e = errno;
                        free(buf);
                        return -e;
                }
                if (k == 0)
                        break;
                len += (size_t) k;
        }
        *ret = buf;
        *ret_len = len;
        return 0;
}

int pstore_open_record_fd(int fd, bool compressed, struct fsd_source **ret) {
        char path[64];
        FSD_OPTS(fsd_source_opts, so, .max_line = 0);
        if (!compressed) {
                snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
                return fsd_source_open_file(path, &so, ret);
        }
        _cleanup_free_ void *raw = NULL, *text = NULL;
        size_t raw_len = 0, text_len = 0;
        int r = read_all(fd, PSTORE_RECORD_MAX, &raw, &raw_len);
        if (r < 0)
                return r;
        r = pstore_decompress(raw, raw_len, PSTORE_RECORD_MAX, &text, &text_len);
        if (r < 0)
                return r;
        /* the log reader reads files: the text goes to an anonymous one */
        _cleanup_close_ int mfd = memfd_create("pstore-record", MFD_CLOEXEC);
        if (mfd < 0)
                return -errno;
        for (size_t o = 0; o < text_len;) {
                ssize_t k = write(mfd, (const uint8_t *) text + o, text_len - o);
                if (k < 0)
                        return -errno;
                o += (size_t) k;
        }
        snprintf(path, sizeof path, "/proc/self/fd/%d", mfd);
        return fsd_source_open_file(path, &so, ret);
}
