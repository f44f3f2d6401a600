/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ext4-errors.h"

/* A whole decimal number, surrounding blanks and one newline allowed. */
static int parse_u64(const char *s, uint64_t max, uint64_t *ret) {
        while (*s == ' ')
                s++;
        if (*s < '0' || *s > '9')
                return -EBADMSG;
        uint64_t v = 0;
        for (; *s >= '0' && *s <= '9'; s++) {
                unsigned d = (unsigned) (*s - '0');
                if (v > (max - d) / 10)
                        return -EBADMSG;
                v = v * 10 + d;
        }
        while (*s == ' ' || *s == '\n')
                s++;
        if (*s)
                return -EBADMSG;
        *ret = v;
        return 0;
}

int ext4_error_record_parse(const struct ext4_error_values *v, struct ext4_error_record *ret) {
        memset(ret, 0, sizeof *ret);
        uint64_t time, line = 0, ino = 0, block = 0, errcode = 0;
        if (!v->time)
                return 0;
        /* s_*_error_time is 32 bits plus an 8-bit high part: 40 bits of seconds */
        if (parse_u64(v->time, (UINT64_C(1) << 40) - 1, &time) < 0)
                return -EBADMSG;
        if (time == 0)
                return 0;
        if ((v->line && parse_u64(v->line, UINT32_MAX, &line) < 0) ||
            (v->ino && parse_u64(v->ino, UINT32_MAX, &ino) < 0) ||
            (v->block && parse_u64(v->block, UINT64_MAX, &block) < 0) ||
            (v->errcode && parse_u64(v->errcode, UINT8_MAX, &errcode) < 0))
                return -EBADMSG;
        ret->time = (int64_t) time;
        ret->line = (uint32_t) line;
        ret->ino = (uint32_t) ino;
        ret->block = block;
        ret->errcode = (unsigned) errcode;
        /* a C identifier as the kernel stored it; anything else is shown as '?' */
        size_t n = 0;
        for (const char *p = v->func ? v->func : ""; *p && *p != '\n' && n < EXT4_ERROR_FUNC_MAX; p++) {
                char c = *p;
                bool ident = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
                ret->func[n++] = ident ? c : '?';
        }
        ret->func[n] = 0;
        return 1;
}

enum ext4_error_class ext4_error_class_of(unsigned errcode, int *ret_errno, const char **ret_text, char nbuf[EXT4_ERROR_NBUF]) {
        /* EXT4_ERR_* (fs/ext4/ext4.h): the codes ext4_errno_to_code() stores, with the errno each
         * stands for and the words ext4_decode_error() prints for it */
        static const struct {
                int err;
                const char *text;
                enum ext4_error_class cls;
        } codes[] = {
                [1] = { 0, NULL, EXT4_ERROR_OTHER },                                /* UNKNOWN */
                [2] = { -EIO, "IO failure", EXT4_ERROR_IO },
                [3] = { -ENOMEM, "Out of memory", EXT4_ERROR_MEMORY },
                [4] = { -EBADMSG, "Filesystem failed CRC", EXT4_ERROR_CORRUPTION },  /* EFSBADCRC */
                [5] = { -EUCLEAN, "Corrupt filesystem", EXT4_ERROR_CORRUPTION },     /* EFSCORRUPTED */
                [6] = { -ENOSPC, NULL, EXT4_ERROR_SPACE },
                [7] = { -ENOKEY, NULL, EXT4_ERROR_OTHER },
                [8] = { -EROFS, "Readonly filesystem", EXT4_ERROR_OTHER },
                [9] = { -EFBIG, NULL, EXT4_ERROR_OTHER },
                [10] = { -EEXIST, NULL, EXT4_ERROR_OTHER },
                [11] = { -ERANGE, NULL, EXT4_ERROR_OTHER },
                [12] = { -EOVERFLOW, NULL, EXT4_ERROR_OTHER },
                [13] = { -EBUSY, NULL, EXT4_ERROR_OTHER },
                [14] = { -ENOTDIR, NULL, EXT4_ERROR_OTHER },
                [15] = { -ENOTEMPTY, NULL, EXT4_ERROR_OTHER },
                [16] = { -ESHUTDOWN, NULL, EXT4_ERROR_OTHER },
                [17] = { -EFAULT, NULL, EXT4_ERROR_OTHER },
        };
        int err = 0;
        const char *text = "error recorded";
        enum ext4_error_class cls = EXT4_ERROR_UNRECORDED;
        if (errcode > 0 && errcode < sizeof codes / sizeof codes[0]) {
                err = codes[errcode].err;
                cls = codes[errcode].cls;
                text = codes[errcode].text;
                if (!text) {
                        if (err)
                                snprintf(nbuf, EXT4_ERROR_NBUF, "error %d", -err);
                        else
                                snprintf(nbuf, EXT4_ERROR_NBUF, "unknown error");
                        text = nbuf;
                }
        } else if (errcode > 0) {
                cls = EXT4_ERROR_OTHER;    /* a code newer than this table */
                snprintf(nbuf, EXT4_ERROR_NBUF, "error code %u", errcode);
                text = nbuf;
        }
        if (ret_errno)
                *ret_errno = err;
        if (ret_text)
                *ret_text = text;
        return cls;
}

const char *ext4_error_class_name(enum ext4_error_class c) {
        static const char *const names[] = {
                [EXT4_ERROR_UNRECORDED] = "unrecorded", [EXT4_ERROR_CORRUPTION] = "corruption",
                [EXT4_ERROR_IO] = "io", [EXT4_ERROR_MEMORY] = "memory", [EXT4_ERROR_SPACE] = "space",
                [EXT4_ERROR_OTHER] = "other",
        };
        return (unsigned) c < sizeof names / sizeof names[0] ? names[c] : "other";
}

int ext4_error_record_format(const char *device, const struct ext4_error_record *r, const char *which,
                             unsigned long count, char *buf, size_t size) {
        char nbuf[EXT4_ERROR_NBUF], where[96] = "";
        const char *text;
        ext4_error_class_of(r->errcode, NULL, &text, nbuf);
        if (r->ino || r->block)
                snprintf(where, sizeof where, "inode %" PRIu32 ", block %" PRIu64 "; ", r->ino, r->block);
        int k = snprintf(buf, size,
                         "EXT4-fs error (device %s) in %s:%" PRIu32 ": %s (%sthe %s of %lu errors recorded in the superblock)",
                         device, r->func[0] ? r->func : "?", r->line, text, where, which, count);
        return k < 0 || (size_t) k >= size ? -ENOBUFS : k;
}
