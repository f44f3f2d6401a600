/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Bytes in: a file descriptor or memory, decompressed on the fly (gzip, xz, zstd by magic number,
 * in constant memory), and in follow mode a regular file followed across rotation like tail -F. */
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>
#include "log-internal.h"
#include "basic/cleanup.h"
#include "core/diag-log.h"

#define CBUF_SIZE (256 * 1024)
/* Decoder memory is input-driven (window/dictionary size): cap it. */
#define XZ_MEMLIMIT (UINT64_C(256) * 1024 * 1024)
#define ZSTD_WINDOW_LOG_MAX 27
#define FOLLOW_POLL_NSEC (100 * 1000 * 1000)

static ssize_t raw_read(struct log_input *in, void *dst, size_t n) {
        if (in->kind == LOG_INPUT_MEMORY) {
                size_t k = MIN(n, in->mem_len - in->mem_pos);
                memcpy(dst, in->mem + in->mem_pos, k);
                in->mem_pos += k;
                return (ssize_t) k;
        }
        for (;;) {
                ssize_t k = read(in->fd, dst, n);
                if (k >= 0) {
                        in->pos += (uint64_t) k;
                        return k;
                }
                if (errno != EINTR)
                        return -errno;
        }
}

/* Fill cbuf with more raw bytes; @return bytes added, 0 at raw end, negative error. */
static ssize_t cbuf_fill(struct log_input *in) {
        if (in->cbuf_pos > 0 && in->cbuf_pos == in->cbuf_len)
                in->cbuf_pos = in->cbuf_len = 0;
        if (in->cbuf_len == CBUF_SIZE) {
                memmove(in->cbuf, in->cbuf + in->cbuf_pos, in->cbuf_len - in->cbuf_pos);
                in->cbuf_len -= in->cbuf_pos;
                in->cbuf_pos = 0;
        }
        ssize_t k = raw_read(in, in->cbuf + in->cbuf_len, CBUF_SIZE - in->cbuf_len);
        if (k > 0) {
                in->cbuf_len += (size_t) k;
                in->raw_done += (uint64_t) k;
        } else if (k == 0)
                in->raw_eof = true;
        return k;
}

static enum log_compression sniff(const uint8_t *p, size_t n) {
        if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
                return LOG_COMP_GZIP;
        if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
                return LOG_COMP_XZ;
        if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
                return LOG_COMP_ZSTD;
        return LOG_COMP_NONE;
}

static int decoder_init(struct log_input *in) {
        switch (in->comp) {
        case LOG_COMP_GZIP: {
                z_stream *z = calloc(1, sizeof *z);
                if (!z)
                        return -ENOMEM;
                /* 15 + 32: zlib or gzip header, detected */
                if (inflateInit2(z, 15 + 32) != Z_OK) {
                        free(z);
                        return -ENOMEM;
                }
                in->zs = z;
                return 0;
        }
        case LOG_COMP_XZ: {
                lzma_stream *x = calloc(1, sizeof *x);
                if (!x)
                        return -ENOMEM;
                *x = (lzma_stream) LZMA_STREAM_INIT;
                if (lzma_stream_decoder(x, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK) {
                        free(x);
                        return -ENOMEM;
                }
                in->zs = x;
                return 0;
        }
        case LOG_COMP_ZSTD: {
                ZSTD_DStream *d = ZSTD_createDStream();
                if (!d)
                        return -ENOMEM;
                ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX);
                in->zs = d;
                return 0;
        }
        default:
                return 0;
        }
}

static void decoder_free(struct log_input *in) {
        if (!in->zs)
                return;
        switch (in->comp) {
        case LOG_COMP_GZIP:
                inflateEnd(in->zs);
                free(in->zs);
                break;
        case LOG_COMP_XZ:
                lzma_end(in->zs);
                free(in->zs);
                break;
        case LOG_COMP_ZSTD:
                ZSTD_freeDStream(in->zs);
                break;
        default:
                break;
        }
        in->zs = NULL;
}

/* Reads the first bytes to recognise a compressed stream. Pipes may deliver them piecemeal. */
static int input_start(struct log_input *in) {
        in->cbuf = malloc(CBUF_SIZE);
        if (!in->cbuf)
                return -ENOMEM;
        while (in->cbuf_len < 6 && !in->raw_eof) {
                ssize_t k = cbuf_fill(in);
                if (k < 0)
                        return (int) k;
                if (k == 0 && in->kind == LOG_INPUT_FD && in->follow && in->regular)
                        break;  /* an empty file being followed: plain text until proven otherwise */
        }
        in->comp = sniff(in->cbuf, in->cbuf_len);
        if (in->comp != LOG_COMP_NONE && in->follow) {
                fsd_debug("follow: compressed input is read once, not followed");
                in->follow = false;
        }
        return decoder_init(in);
}

int log_input_open_fd(struct log_input *in, int fd, bool own_fd, const char *path, bool follow) {
        *in = (struct log_input) { .kind = LOG_INPUT_FD, .fd = fd, .own_fd = own_fd, .follow = follow };
        struct stat st;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        in->regular = S_ISREG(st.st_mode);
        in->dev = st.st_dev;
        in->ino = st.st_ino;
        if (in->regular)
                in->raw_total = (uint64_t) st.st_size;
        if (follow && path && in->regular) {
                in->path = strdup(path);
                if (!in->path)
                        return -ENOMEM;
        }
        if (in->regular)
                (void) posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        return input_start(in);
}

void log_input_open_memory(struct log_input *in, const void *data, size_t size) {
        *in = (struct log_input) { .kind = LOG_INPUT_MEMORY, .fd = -1, .mem = data, .mem_len = size,
                                   .raw_total = size };
}

void log_input_close(struct log_input *in) {
        decoder_free(in);
        free(in->cbuf);
        in->cbuf = NULL;
        free(in->path);
        in->path = NULL;
        if (in->own_fd && in->fd >= 0)
                close(in->fd);
        in->fd = -1;
}

/* At the end of a followed file: has it been rotated (renamed/replaced) or truncated? Switch to
 * the new file or rewind. @return 1 if there may be new data, 0 if not, negative error. */
static int follow_check(struct log_input *in) {
        struct stat st;
        if (fstat(in->fd, &st) >= 0 && (uint64_t) st.st_size < in->pos) {
                fsd_debug("follow: %s truncated, reading from the start", in->path);
                if (lseek(in->fd, 0, SEEK_SET) < 0)
                        return -errno;
                in->pos = 0;
                return 1;
        }
        if (stat(in->path, &st) < 0)
                return 0;  /* between rename and create: keep waiting */
        if (st.st_dev == in->dev && st.st_ino == in->ino)
                return 0;
        int fd = open(in->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return 0;
        /* the old file has been read to its end already: switch */
        fsd_debug("follow: %s was replaced, reopening", in->path);
        if (in->own_fd)
                close(in->fd);
        in->fd = fd;
        in->own_fd = true;
        in->pos = 0;
        if (fstat(fd, &st) >= 0) {
                in->dev = st.st_dev;
                in->ino = st.st_ino;
                in->raw_total = in->raw_done + (uint64_t) st.st_size;
        }
        return 1;
}

static ssize_t read_plain(struct log_input *in, void *dst, size_t n) {
        /* bytes sniffed at open come first */
        if (in->cbuf_pos < in->cbuf_len) {
                size_t k = MIN(n, in->cbuf_len - in->cbuf_pos);
                memcpy(dst, in->cbuf + in->cbuf_pos, k);
                in->cbuf_pos += k;
                return (ssize_t) k;
        }
        for (;;) {
                ssize_t k = raw_read(in, dst, n);
                if (k > 0) {
                        in->raw_done += (uint64_t) k;
                        return k;
                }
                if (k < 0 || !in->follow || !in->path)
                        return k;
                int r = follow_check(in);
                if (r < 0)
                        return r;
                if (r == 0) {
                        struct timespec ts = { .tv_nsec = FOLLOW_POLL_NSEC };
                        nanosleep(&ts, NULL);
                }
        }
}

static ssize_t read_gzip(struct log_input *in, void *dst, size_t n) {
        z_stream *z = in->zs;
        bool new_member = false;
        for (;;) {
                if (in->cbuf_pos == in->cbuf_len && !in->raw_eof) {
                        ssize_t k = cbuf_fill(in);
                        if (k < 0)
                                return k;
                }
                if (in->cbuf_pos == in->cbuf_len && in->raw_eof) {
                        if (!in->stream_end)
                                fsd_warn("gzip stream ends early: input truncated");
                        return 0;
                }
                if (in->stream_end) {
                        /* concatenated gzip members (logrotate + cat) */
                        if (inflateReset(z) != Z_OK)
                                return -FSD_E_CORRUPT;
                        in->stream_end = false;
                        new_member = true;
                }
                z->next_in = in->cbuf + in->cbuf_pos;
                z->avail_in = (uInt) (in->cbuf_len - in->cbuf_pos);
                z->next_out = dst;
                z->avail_out = (uInt) MIN(n, (size_t) UINT32_MAX);
                int r = inflate(z, Z_NO_FLUSH);
                in->cbuf_pos = in->cbuf_len - z->avail_in;
                size_t got = (size_t) ((uint8_t *) z->next_out - (uint8_t *) dst);
                if (r == Z_STREAM_END)
                        in->stream_end = true;
                else if (r != Z_OK && r != Z_BUF_ERROR && new_member && got == 0) {
                        fsd_debug("gzip: ignoring trailing garbage after the last member");
                        in->cbuf_pos = in->cbuf_len;
                        in->raw_eof = true;
                        in->stream_end = true;
                        return 0;
                } else if (r != Z_OK && r != Z_BUF_ERROR) {
                        fsd_warn("gzip data corrupt: %s", z->msg ? z->msg : "inflate failed");
                        in->corrupt = true;
                        return got > 0 ? (ssize_t) got : -FSD_E_CORRUPT;
                }
                new_member = false;
                if (got > 0)
                        return (ssize_t) got;
                if (r == Z_BUF_ERROR && in->raw_eof && in->cbuf_pos == in->cbuf_len) {
                        fsd_warn("gzip stream ends early: input truncated");
                        return 0;
                }
        }
}

static ssize_t read_xz(struct log_input *in, void *dst, size_t n) {
        lzma_stream *x = in->zs;
        for (;;) {
                if (in->stream_end)
                        return 0;
                if (in->cbuf_pos == in->cbuf_len && !in->raw_eof) {
                        ssize_t k = cbuf_fill(in);
                        if (k < 0)
                                return k;
                }
                x->next_in = in->cbuf + in->cbuf_pos;
                x->avail_in = in->cbuf_len - in->cbuf_pos;
                x->next_out = dst;
                x->avail_out = n;
                lzma_ret r = lzma_code(x, in->raw_eof ? LZMA_FINISH : LZMA_RUN);
                in->cbuf_pos = in->cbuf_len - x->avail_in;
                size_t got = n - x->avail_out;
                if (r == LZMA_STREAM_END)
                        in->stream_end = true;
                else if (r == LZMA_BUF_ERROR && in->raw_eof) {
                        fsd_warn("xz stream ends early: input truncated");
                        in->stream_end = true;
                } else if (r != LZMA_OK) {
                        fsd_warn("xz data corrupt or over the memory limit (%d)", (int) r);
                        in->corrupt = true;
                        in->stream_end = true;
                        return got > 0 ? (ssize_t) got : (r == LZMA_MEMLIMIT_ERROR ? -FSD_E_LIMIT : -FSD_E_CORRUPT);
                }
                if (got > 0)
                        return (ssize_t) got;
        }
}

static ssize_t read_zstd(struct log_input *in, void *dst, size_t n) {
        ZSTD_DStream *d = in->zs;
        size_t hint = 1;
        for (;;) {
                if (in->cbuf_pos == in->cbuf_len && !in->raw_eof) {
                        ssize_t k = cbuf_fill(in);
                        if (k < 0)
                                return k;
                }
                ZSTD_inBuffer ib = { in->cbuf, in->cbuf_len, in->cbuf_pos };
                ZSTD_outBuffer ob = { dst, n, 0 };
                if (ib.pos == ib.size && in->raw_eof) {
                        /* drain what the decoder still holds */
                        if (in->stream_end)
                                return 0;
                        hint = ZSTD_decompressStream(d, &ob, &ib);
                        if (ob.pos > 0)
                                return (ssize_t) ob.pos;
                        fsd_warn("zstd stream ends early: input truncated");
                        in->stream_end = true;
                        return 0;
                }
                hint = ZSTD_decompressStream(d, &ob, &ib);
                in->cbuf_pos = ib.pos;
                if (ZSTD_isError(hint)) {
                        fsd_warn("zstd data corrupt: %s", ZSTD_getErrorName(hint));
                        in->corrupt = true;
                        in->raw_eof = true;
                        in->cbuf_pos = in->cbuf_len;
                        return ob.pos > 0 ? (ssize_t) ob.pos :
                               (ZSTD_getErrorCode(hint) == ZSTD_error_frameParameter_windowTooLarge ? -FSD_E_LIMIT : -FSD_E_CORRUPT);
                }
                /* 0: a frame ended exactly here */
                in->stream_end = hint == 0;
                if (ob.pos > 0)
                        return (ssize_t) ob.pos;
        }
}

ssize_t log_input_read(struct log_input *in, void *dst, size_t n) {
        if (in->kind == LOG_INPUT_MEMORY && !in->cbuf) {
                int r = input_start(in);
                if (r < 0)
                        return r;
        }
        switch (in->comp) {
        case LOG_COMP_GZIP:
                return read_gzip(in, dst, n);
        case LOG_COMP_XZ:
                return read_xz(in, dst, n);
        case LOG_COMP_ZSTD:
                return read_zstd(in, dst, n);
        default:
                return read_plain(in, dst, n);
        }
}
