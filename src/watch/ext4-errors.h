/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* ext4's first and last error records (superblock fields s_{first,last}_error_*, shown under
 * /sys/fs/ext4/DEV/): parsed from the values the kernel prints, classified by the error code the
 * kernel stored, and written as a log line the analyzer reads like any other. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXT4_ERROR_FUNC_MAX 32          /* s_*_error_func: __u8[32], not NUL-terminated */
#define EXT4_ERROR_NBUF 24             /* room for "error N" of any code */

/* What the stored error code says happened. */
enum ext4_error_class {
        EXT4_ERROR_UNRECORDED,  /* no code stored (kernels before 5.10 kept none) */
        EXT4_ERROR_CORRUPTION,  /* EFSCORRUPTED (EUCLEAN), EFSBADCRC (EBADMSG): the metadata is wrong */
        EXT4_ERROR_IO,          /* EIO: the device failed, the metadata may be fine */
        EXT4_ERROR_MEMORY,      /* ENOMEM: nothing on disk is wrong */
        EXT4_ERROR_SPACE,       /* ENOSPC */
        EXT4_ERROR_OTHER,       /* any other code (EROFS, ESHUTDOWN, EFBIG, ..., EXT4_ERR_UNKNOWN) */
};

struct ext4_error_record {
        int64_t time;                   /* seconds since the epoch; 0: no error recorded */
        char func[EXT4_ERROR_FUNC_MAX + 1];
        uint32_t line, ino;
        uint64_t block;
        unsigned errcode;               /* EXT4_ERR_* as stored; 0 when none */
};

/* One record's sysfs values as read (trailing newline allowed); NULL for a file that is missing. */
struct ext4_error_values {
        const char *time, *func, *line, *ino, *block, *errcode;
};

/* @return 1 and *ret filled, 0 when no error is recorded (time absent or 0), -EBADMSG when a
 * number is not one (the record is then not used: a wrong inode is worse than none). */
int ext4_error_record_parse(const struct ext4_error_values *v, struct ext4_error_record *ret);
/* The class of a stored code; *ret_errno (negative, 0 unknown) and *ret_text (as
 * ext4_decode_error() prints it, "error N" for the codes it has no words for) may be NULL. */
enum ext4_error_class ext4_error_class_of(unsigned errcode, int *ret_errno, const char **ret_text, char nbuf[EXT4_ERROR_NBUF]);
const char *ext4_error_class_name(enum ext4_error_class c);
/* The record as a line in __ext4_std_error's shape ("EXT4-fs error (device D) in func:line: TEXT"),
 * which carries the errno, with the inode, block and which of how many errors in parentheses.
 * which: "first" or "last". @return the length, or -ENOBUFS. */
int ext4_error_record_format(const char *device, const struct ext4_error_record *r, const char *which,
                             unsigned long count, char *buf, size_t size);
