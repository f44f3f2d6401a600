/* SPDX-License-Identifier: GPL-2.0-or-later */
/* XFS messages ("XFS (dev): %pV", fs/xfs/xfs_message.c), kernels 3.10 to today.
 *
 * Shutdown, three eras (fs/xfs/xfs_fsops.c xfs_do_force_shutdown):
 *   "xfs_do_force_shutdown(0x2) called from line 1234 of file fs/xfs/xfs_log.c.  Return address = ..."
 *   then "Log I/O Error Detected.  Shutting down filesystem"                        (3.x-5.x)
 *   or   "Log I/O error (0x2) detected at xlog_ioend_work+0x6e/0x70 (fs/xfs/xfs_log.c:1234).
 *         Shutting down filesystem."                                                 (5.x-)
 *   and  "Please umount|unmount the filesystem and rectify the problem(s)"
 * The flags: 0x1 metadata I/O, 0x2 log I/O, 0x4 forced unmount (user), 0x8 in-core corruption,
 * 0x10 on-disk corruption, 0x20 device removed. Since 6.x a user shutdown prints the reason of
 * the table slot, e.g. "Metadata I/O Error (0x4)"; the flags tell the truth, so they win.
 */
#include <errno.h>
#include "event-parsers.h"
#include "event-util.h"

#define XFS_SHUTDOWN_FORCE_UMOUNT 0x4
#define XFS_SHUTDOWN_CORRUPT_INCORE 0x8

/* A word of hex digits only: an address, not a symbol. */
static bool is_hex_word(const char *p, const char *end) {
        const char *q = p;
        while (q < end && ascii_is_xdigit(*q))
                q++;
        return q > p && (q == end || *q == ' ' || *q == '.');
}

/* "func+0x7b/0xb0" or "func+0x7b/0xb0 [xfs]" -> "func" */
static struct span symbol_name(const char *p, const char *end) {
        const char *q = p;
        while (q < end && *q != '+' && *q != ' ' && *q != ',' && *q != '(')
                q++;
        return span_range(p, q);
}

/* "<keyword>1234 of file fs/xfs/xfs_trans.c." as xfs_do_force_shutdown and XFS_ERROR_REPORT
 * print it; at points at the keyword (NULL: absent), skip is the keyword's length. */
static void parse_line_of_file(const char *at, size_t skip, const char *end, struct event_scratch *sc,
                               struct fsd_event *ev) {
        if (!at)
                return;
        const char *q = at + skip;
        int l;
        if (scan_int(&q, end, &l))
                ev->src_line = l;
        if (!SCAN_EAT(&q, end, " of file "))
                return;
        const char *f = q;
        while (q < end && *q != ' ')
                q++;
        while (q > f && q[-1] == '.')
                q--;
        event_set_src_file(sc, ev, f, (size_t) (q - f));
}

/* "(fs/xfs/xfs_log.c:1234)" */
static void parse_file_line(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *open = scan_chr(p, end, '(');
        if (!open)
                return;
        const char *close = scan_chr(open, end, ')');
        if (!close)
                return;
        const char *colon = open + 1;
        const char *last_colon = NULL;
        while ((colon = scan_chr(colon, close, ':')))
                last_colon = colon++;
        if (!last_colon)
                return;
        event_set_src_file(sc, ev, open + 1, (size_t) (last_colon - open - 1));
        const char *q = last_colon + 1;
        int line;
        if (scan_int(&q, close, &line))
                ev->src_line = line;
}

/* fs/xfs/xfs_mount.h SHUTDOWN_* (0x1-0x10 in 3.10-6.1; DEVICE_REMOVED came later for pmem and
 * block device removal notifications) */
static const char *const shutdown_flag_names[] = {
        "SHUTDOWN_META_IO_ERROR", "SHUTDOWN_LOG_IO_ERROR", "SHUTDOWN_FORCE_UMOUNT",
        "SHUTDOWN_CORRUPT_INCORE", "SHUTDOWN_CORRUPT_ONDISK", "SHUTDOWN_DEVICE_REMOVED",
};

static void add_flags_detail(struct event_scratch *sc, struct fsd_event *ev, uint64_t flags) {
        char buf[160];
        int n = snprintf(buf, sizeof buf, "flags 0x%llx", (unsigned long long) flags);
        for (size_t i = 0; i < ELEMENTSOF(shutdown_flag_names) && n > 0 && (size_t) n < sizeof buf; i++)
                if (flags & (UINT64_C(1) << i))
                        n += snprintf(buf + n, sizeof buf - (size_t) n, " %s", shutdown_flag_names[i]);
        if (n > 0)
                event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
}

/* SHUTDOWN_CORRUPT_INCORE raised in fs/xfs/xfs_buf.c comes from _xfs_buf_ioapply(): the buffer's
 * write verifier rejected it and the write was not submitted (3.10-6.x). The block on disk still
 * holds its last good contents: the corruption is in memory (RAM or a kernel bug), not on the disk. */
#define XFS_WRITE_VERIFIER_DETAIL "write verifier failed: buffer not written"

static void note_write_verifier(const char *p, const char *end, uint64_t flags, struct event_scratch *sc,
                                struct fsd_event *ev) {
        if ((flags & XFS_SHUTDOWN_CORRUPT_INCORE) && SCAN_FIND(p, end, "fs/xfs/xfs_buf.c"))
                EVENT_ADD_DETAIL_LIT(sc, ev, XFS_WRITE_VERIFIER_DETAIL);
}

/* The kind and errno a shutdown reason stands for. */
static void shutdown_reason(const char *reason, const char *reason_end, uint64_t flags, bool have_flags,
                            struct fsd_event *ev) {
        if (have_flags && (flags & XFS_SHUTDOWN_FORCE_UMOUNT)) {
                ev->kind = FSD_EV_USER_SHUTDOWN;
                return;
        }
        if (SCAN_STARTS(reason, reason_end, "Log I/O") || (have_flags && flags == 0x2)) {
                ev->kind = FSD_EV_LOG_IO_ERROR;
                ev->error = -EIO;
        } else if (SCAN_STARTS(reason, reason_end, "Corruption")) {
                ev->kind = FSD_EV_SHUTDOWN;
                ev->error = -EUCLEAN; /* EFSCORRUPTED */
        } else if (SCAN_STARTS(reason, reason_end, "Metadata I/O") || SCAN_STARTS(reason, reason_end, "I/O")) {
                ev->kind = FSD_EV_SHUTDOWN;
                ev->error = -EIO;
        } else if (SCAN_STARTS(reason, reason_end, "All device paths lost") ||
                   SCAN_STARTS(reason, reason_end, "Block device removal")) {
                ev->kind = FSD_EV_SHUTDOWN;
                ev->error = -ENODEV;
        } else
                ev->kind = FSD_EV_SHUTDOWN;
}

/* The event a message that ends a mount carries. */
#define XFS_MOUNT_FAILED_KIND FSD_EV_MOUNT_FAILED

/* What xfs_fs_fill_super, xfs_mountfs and log recovery print when a mount fails, and the causes
 * printed just before (fs/xfs/xfs_mount.c, xfs_log.c, xfs_log_recover.c, libxfs/xfs_sb.c; 3.10-6.x).
 * The detail names the part at fault, which the rules match. "log mount/recovery failed" and "log
 * mount failed" are parsed in parse_msg with the other 'l' lines. */
static const struct event_msg xfs_mount_msgs[] = {
        /* xfs_uuid_mount: a second filesystem with a UUID already mounted (a snapshot or a copy) */
        { "Filesystem has duplicate UUID", XFS_MOUNT_FAILED_KIND, -EINVAL, "mount: duplicate UUID" },
        { "Filesystem has null UUID", XFS_MOUNT_FAILED_KIND, -EINVAL, "mount: null UUID" },
        /* xfs_readsb: the superblock read failed its verifier ("with error -117", -74) or I/O */
        { "SB validate failed", XFS_MOUNT_FAILED_KIND, 0, "mount: superblock" },
        { "Invalid superblock magic number", XFS_MOUNT_FAILED_KIND, -EINVAL, "mount: no xfs superblock" },
        { "SB sanity check failed", FSD_EV_CORRUPTION, -EUCLEAN, "mount: superblock" },
        { "SB stripe alignment sanity check failed", FSD_EV_CORRUPTION, -EUCLEAN, "mount: superblock" },
        { "SB summary counter sanity check failed", FSD_EV_CORRUPTION, -EUCLEAN, "superblock counters" },
        { "Superblock has unknown incompatible features", XFS_MOUNT_FAILED_KIND, -EINVAL, "mount: unsupported features" },
        /* only a read-write mount fails: this alert, then the line after it ends the mount */
        { "Superblock has unknown read-only compatible features", FSD_EV_FS_ERROR, -EINVAL, "mount: unsupported features" },
        { "Attempted to mount read-only compatible filesystem read-write", XFS_MOUNT_FAILED_KIND, -EINVAL,
          "mount: unsupported features (read-write)" },
        { "Superblock has unknown incompatible log features", XFS_MOUNT_FAILED_KIND, -EINVAL, "mount: unsupported log features" },
        { "Failed to read root inode", XFS_MOUNT_FAILED_KIND, 0, "mount: root inode" },
        { "corrupted root inode", XFS_MOUNT_FAILED_KIND, -EUCLEAN, "mount: root inode" },
        /* xlog_find_tail / xlog_find_head and the record checks of log recovery */
        { "failed to locate log tail", FSD_EV_FS_ERROR, 0, "log" },
        { "failed to find log head", FSD_EV_FS_ERROR, 0, "log" },
        { "empty log check failed", FSD_EV_FS_ERROR, 0, "log" },
        { "Log inconsistent", FSD_EV_CORRUPTION, -EUCLEAN, "log" },
        { "log record CRC mismatch", FSD_EV_CSUM_ERROR, -EBADMSG, "log record" },
        { "log has mismatched uuid", FSD_EV_FS_ERROR, -EINVAL, "log" },
        { "dirty log written in incompatible format", FSD_EV_FS_ERROR, -EINVAL, "log" },
        { "dirty log entry has mismatched uuid", FSD_EV_FS_ERROR, -EINVAL, "log" },
};

static int parse_mount_msg(const char *m, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const struct event_msg *mm = event_msg_find(xfs_mount_msgs, ELEMENTSOF(xfs_mount_msgs), m, end);
        if (mm) {
                event_begin_msg(sc, ev, mm, FSD_FS_XFS);
                event_find_errno(ev, m, end); /* "SB validate failed with error -117." */
                event_set_error_text(sc, ev, m, (size_t) (end - m));
                return 1;
        }
        /* xlog_do_io: "log recovery read I/O error at daddr 0x2 len 8 error -5" */
        if (SCAN_STARTS(m, end, "log recovery ") && SCAN_FIND(m, end, "I/O error")) {
                event_begin(ev, FSD_EV_LOG_IO_ERROR, FSD_FS_XFS, FSD_LAYER_FS);
                /* the errno is the number after " len N error ", not the "I/O error" before */
                const char *len = SCAN_FIND(m, end, " len ");
                if (len)
                        event_find_errno(ev, len, end);
                if (!ev->error)
                        ev->error = -EIO;
                /* its daddr counts from the start of the log, not of the device: no sector */
                EVENT_ADD_DETAIL_LIT(sc, ev, "log");
                return 1;
        }
        return 0;
}

static int parse_msg(const char *m, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q;

        switch (*m) {
        case 'x':
                if (SCAN_STARTS(m, end, "xfs_do_force_shutdown(")) {
                        /* "xfs_do_force_shutdown(0x2) called from line N of file F.  Return address = X" */
                        event_begin(ev, FSD_EV_SHUTDOWN, FSD_FS_XFS, FSD_LAYER_FS);
                        q = m + sizeof("xfs_do_force_shutdown(") - 1;
                        uint64_t flags;
                        bool have_flags = scan_hex(&q, end, &flags);
                        if (have_flags) {
                                add_flags_detail(sc, ev, flags);
                                shutdown_reason(m, m, flags, true, ev);
                                ev->error = 0; /* the reason line that follows carries it */
                                if (ev->kind == FSD_EV_LOG_IO_ERROR)
                                        ev->kind = FSD_EV_SHUTDOWN;
                        }
                        parse_line_of_file(SCAN_FIND(q, end, "from line "), sizeof("from line ") - 1, end, sc, ev);
                        if (have_flags)
                                note_write_verifier(q, end, flags, sc, ev);
                        const char *ret = SCAN_FIND(m, end, "Return address = ");
                        if (ret) {
                                q = ret + sizeof("Return address = ") - 1;
                                /* 4.15+ print a hashed pointer ("00000000e31a7b52"), older ones
                                 * "0xffffffffc04f5d33", 5.10+ builds with %pS a symbol */
                                if (q < end && !SCAN_STARTS(q, end, "0x") && !is_hex_word(q, end)) {
                                        struct span fn = symbol_name(q, end);
                                        event_set_function(sc, ev, fn.ptr, fn.len);
                                }
                        }
                        if (!ev->function)
                                event_set_function(sc, ev, "xfs_do_force_shutdown", sizeof("xfs_do_force_shutdown") - 1);
                        return 1;
                }
                /* xfs_iflush (xfs_iflush_int before 5.9) checks an in-core inode before copying it
                 * into its cluster buffer: "xfs_iflush: Bad inode 1183745 magic number 0x0, ptr ...",
                 * "Bad regular inode", "Bad directory inode", "detected corrupt incore inode ...",
                 * "bad inode N, forkoff 0x..". On failure the inode is not written and the caller
                 * shuts down with SHUTDOWN_CORRUPT_INCORE. */
                if (SCAN_STARTS(m, end, "xfs_iflush")) {
                        struct span fn = scan_until(&(const char *) { m }, end, ":");
                        q = span_end(fn);
                        if (q >= end || !(SCAN_FIND(q, end, "ad inode") || SCAN_FIND(q, end, "ad regular inode") ||
                                          SCAN_FIND(q, end, "ad directory inode") || SCAN_FIND(q, end, "corrupt incore inode")))
                                return 0;
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_XFS, FSD_LAYER_FS);
                        event_set_function(sc, ev, fn.ptr, fn.len);
                        ev->error = -EUCLEAN;
                        EVENT_ADD_DETAIL_LIT(sc, ev, "in-core inode failed its flush checks: not written");
                        return 1;
                }
                /* "xfs_log_force: error -5 returned." */
                if (SCAN_STARTS(m, end, "xfs_log_force") && SCAN_FIND(m, end, "error")) {
                        event_begin(ev, FSD_EV_LOG_IO_ERROR, FSD_FS_XFS, FSD_LAYER_FS);
                        struct span fn = scan_until(&(const char *) { m }, end, ":");
                        event_set_function(sc, ev, fn.ptr, fn.len);
                        event_find_errno(ev, m, end);
                        return 1;
                }
                break;
        case 'U':
                if (SCAN_STARTS(m, end, "User initiated shutdown")) {
                        event_begin(ev, FSD_EV_USER_SHUTDOWN, FSD_FS_XFS, FSD_LAYER_FS);
                        return 1;
                }
                if (SCAN_STARTS(m, end, "Unmounting Filesystem")) {
                        event_begin(ev, FSD_EV_UNMOUNT, FSD_FS_XFS, FSD_LAYER_FS);
                        q = m + sizeof("Unmounting Filesystem") - 1;
                        if (SCAN_EAT(&q, end, " ")) {
                                struct span uuid = scan_until(&q, end, " ");
                                event_add_detail(sc, ev, uuid.ptr, uuid.len);
                        }
                        return 1;
                }
                break;
        case 'M':
                /* "Mounting V5 Filesystem UUID", "Mounting V4 Filesystem", 3.x "Mounting Filesystem" */
                if (SCAN_STARTS(m, end, "Mounting ")) {
                        q = SCAN_FIND(m, end, "Filesystem");
                        if (!q)
                                return 0;
                        event_begin(ev, FSD_EV_MOUNT, FSD_FS_XFS, FSD_LAYER_FS);
                        q += sizeof("Filesystem") - 1;
                        if (SCAN_EAT(&q, end, " ")) {
                                struct span uuid = scan_until(&q, end, " ");
                                event_add_detail(sc, ev, uuid.ptr, uuid.len);
                        }
                        return 1;
                }
                /* "Metadata corruption detected at xfs_..+0x.., xfs_da3_node block 0x..." */
                if (SCAN_STARTS(m, end, "Metadata corruption detected at ") || SCAN_STARTS(m, end, "Metadata CRC error detected at ")) {
                        bool crc = m[9] == 'C';
                        event_begin(ev, crc ? FSD_EV_CSUM_ERROR : FSD_EV_CORRUPTION, FSD_FS_XFS, FSD_LAYER_FS);
                        q = SCAN_FIND(m, end, " at ") + 4;
                        struct span fn = symbol_name(q, end);
                        event_set_function(sc, ev, fn.ptr, fn.len);
                        const char *comma = scan_chr(span_end(fn), end, ',');
                        if (comma)
                                event_add_detail(sc, ev, comma + 2 < end ? comma + 2 : end,
                                                 comma + 2 < end ? (size_t) (end - comma - 2) : 0);
                        ev->error = crc ? -EBADMSG : -EUCLEAN;
                        return 1;
                }
                break;
        case 'S':
                /* "Starting recovery (logdev: internal)" (xlog_recover): the log is being replayed */
                if (SCAN_STARTS(m, end, "Starting recovery")) {
                        event_begin(ev, FSD_EV_LOG_RECOVERY, FSD_FS_XFS, FSD_LAYER_FS);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "log recovery");
                        return 1;
                }
                break;
        case 'l':
                /* "log mount/recovery failed: error -117" (xfs_log_mount), "log mount failed" */
                if (SCAN_STARTS(m, end, "log mount/recovery failed") || SCAN_STARTS(m, end, "log mount failed")) {
                        /* xfs_mountfs's "log mount failed" ends the mount; xfs_log_mount's line
                         * before it carries the errno */
                        event_begin(ev, SCAN_STARTS(m, end, "log mount failed") ? XFS_MOUNT_FAILED_KIND : FSD_EV_FS_ERROR, FSD_FS_XFS,
                                    FSD_LAYER_FS);
                        event_find_errno(ev, m, end);
                        if (ev->kind == XFS_MOUNT_FAILED_KIND)
                                event_set_function(sc, ev, "xfs_mountfs", sizeof("xfs_mountfs") - 1);
                        else
                                event_set_function(sc, ev, "xfs_log_mount", sizeof("xfs_log_mount") - 1);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "log recovery failed");
                        return 1;
                }
                /* 3.x/4.x xlog_iodone: "log I/O error -5" */
                if (SCAN_STARTS(m, end, "log I/O error")) {
                        event_begin(ev, FSD_EV_LOG_IO_ERROR, FSD_FS_XFS, FSD_LAYER_FS);
                        q = m + sizeof("log I/O error") - 1;
                        scan_spaces(&q, end);
                        int err;
                        ev->error = scan_int(&q, end, &err) && err < 0 ? err : -EIO;
                        return 1;
                }
                break;
        case 'E':
                if (SCAN_STARTS(m, end, "Ending clean mount")) {
                        event_begin(ev, FSD_EV_MOUNT, FSD_FS_XFS, FSD_LAYER_FS);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "clean mount");
                        return 1;
                }
                break;
        case 'P':
                /* "Please umount the filesystem and rectify the problem(s)" (4.x "umount") */
                if (SCAN_STARTS(m, end, "Please umount the filesystem") || SCAN_STARTS(m, end, "Please unmount the filesystem")) {
                        event_begin(ev, FSD_EV_SHUTDOWN, FSD_FS_XFS, FSD_LAYER_FS);
                        EVENT_ADD_DETAIL_LIT(sc, ev, "unmount and rectify");
                        return 1;
                }
                if (SCAN_STARTS(m, end, "Per-AG reservation") && SCAN_FIND(m, end, "failed")) {
                        event_begin(ev, FSD_EV_ENOSPC, FSD_FS_XFS, FSD_LAYER_FS);
                        ev->error = -ENOSPC;
                        return 1;
                }
                break;
        case 'C':
                if (SCAN_STARTS(m, end, "Corruption detected") || SCAN_STARTS(m, end, "Corruption warning")) {
                        event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_XFS, FSD_LAYER_FS);
                        ev->error = -EUCLEAN;
                        return 1;
                }
                break;
        case 'F':
                /* "Filesystem has been shut down due to log error (0x2)." */
                if (SCAN_STARTS(m, end, "Filesystem has been shut down due to log error")) {
                        event_begin(ev, FSD_EV_LOG_IO_ERROR, FSD_FS_XFS, FSD_LAYER_FS);
                        ev->error = -EIO;
                        return 1;
                }
                /* "Failing async write on buffer block 0x1234. Retrying async write." */
                if (SCAN_STARTS(m, end, "Failing async write on buffer block ")) {
                        event_begin(ev, FSD_EV_WRITE_ERROR, FSD_FS_XFS, FSD_LAYER_FS);
                        q = m + sizeof("Failing async write on buffer block ") - 1;
                        uint64_t daddr;
                        if (scan_hex(&q, end, &daddr))
                                ev->sector = daddr;
                        event_set_op(sc, ev, "WRITE", 5);
                        return 1;
                }
                break;
        case 'I':
                /* "Internal error XFS_WANT_CORRUPTED_GOTO at line 1234 of file F.  Caller f+0x../0x.." */
                if (SCAN_STARTS(m, end, "Internal error ")) {
                        q = m + sizeof("Internal error ") - 1;
                        struct span tag = scan_until(&q, end, " ");
                        bool corrupt = SCAN_FIND(tag.ptr, span_end(tag), "CORRUPT") != NULL;
                        event_begin(ev, corrupt ? FSD_EV_CORRUPTION : FSD_EV_FS_ERROR, FSD_FS_XFS, FSD_LAYER_FS);
                        if (corrupt)
                                ev->error = -EUCLEAN;
                        event_add_detail(sc, ev, tag.ptr, tag.len);
                        /* xfs_trans_cancel() on a dirty transaction: an operation failed after it
                         * had changed metadata, which cannot be undone, so XFS shuts down with
                         * SHUTDOWN_CORRUPT_INCORE; the Caller names the operation */
                        if (SCAN_STARTS(tag.ptr, span_end(tag), "xfs_trans_cancel"))
                                EVENT_ADD_DETAIL_LIT(sc, ev, "dirty transaction cancelled");
                        parse_line_of_file(SCAN_FIND(q, end, "at line "), sizeof("at line ") - 1, end, sc, ev);
                        const char *caller = SCAN_FIND(m, end, "Caller ");
                        if (caller) {
                                q = caller + sizeof("Caller ") - 1;
                                if (!SCAN_STARTS(q, end, "0x") && !is_hex_word(q, end)) {
                                        struct span fn = symbol_name(q, end);
                                        event_set_function(sc, ev, fn.ptr, fn.len);
                                }
                        }
                        return 1;
                }
                break;
        case 'm':
                /* "metadata I/O error in \"xfs_buf_ioend\" at daddr 0x1234 len 8 error 5",
                 * 3.x/4.x "metadata I/O error: block 0x1234 (\"xfs_trans_read_buf_map\") error 5 numblks 8" */
                if (SCAN_STARTS(m, end, "metadata I/O error")) {
                        event_begin(ev, FSD_EV_FS_ERROR, FSD_FS_XFS, FSD_LAYER_FS);
                        const char *quote = scan_chr(m, end, '"');
                        if (quote) {
                                const char *close = scan_chr(quote + 1, end, '"');
                                if (close) {
                                        struct span fn = symbol_name(quote + 1, close);
                                        event_set_function(sc, ev, fn.ptr, fn.len);
                                }
                        }
                        const char *addr = SCAN_FIND(m, end, "daddr ");
                        if (addr)
                                addr += 6;
                        else if ((addr = SCAN_FIND(m, end, "block ")))
                                addr += 6;
                        uint64_t daddr;
                        if (addr && scan_hex(&addr, end, &daddr))
                                ev->sector = daddr;
                        /* the errno follows the function name: "I/O error in" comes before it */
                        const char *e = SCAN_FIND(addr ? addr : m + sizeof("metadata I/O error") - 1, end, " error ");
                        if (e) {
                                q = e + 7;
                                int err;
                                if (scan_int(&q, end, &err))
                                        ev->error = err > 0 ? -err : err;
                        }
                        EVENT_ADD_DETAIL_LIT(sc, ev, "metadata");
                        return 1;
                }
                break;
        default:
                break;
        }

        /* "<Reason> (0xN) detected at f+0x../0x.. (file:line).  Shutting down filesystem." and
         * the older "<Reason> Detected.  Shutting down filesystem" */
        const char *shut = SCAN_FIND(m, end, "Shutting down filesystem");
        if (shut) {
                const char *det = SCAN_FIND(m, shut, " detected at ");
                const char *reason_end = det ? det : SCAN_FIND(m, shut, " Detected");
                if (!reason_end)
                        reason_end = SCAN_FIND(m, shut, " detected");
                if (!reason_end)
                        reason_end = shut;
                uint64_t flags = 0;
                bool have_flags = false;
                const char *paren = scan_chr(m, reason_end, '(');
                const char *text_end = reason_end;
                if (paren && paren + 1 < reason_end) {
                        q = paren + 1;
                        have_flags = scan_hex(&q, reason_end, &flags);
                        text_end = paren;
                }
                while (text_end > m && (text_end[-1] == ' ' || text_end[-1] == '.'))
                        text_end--;
                event_begin(ev, FSD_EV_SHUTDOWN, FSD_FS_XFS, FSD_LAYER_FS);
                shutdown_reason(m, text_end, flags, have_flags, ev);
                event_set_error_text(sc, ev, m, (size_t) (text_end - m));
                if (have_flags) {
                        add_flags_detail(sc, ev, flags);
                        note_write_verifier(reason_end, end, flags, sc, ev);
                }
                if (det) {
                        q = det + sizeof(" detected at ") - 1;
                        struct span fn = symbol_name(q, shut);
                        event_set_function(sc, ev, fn.ptr, fn.len);
                        parse_file_line(span_end(fn), shut, sc, ev);
                }
                return 1;
        }
        if (SCAN_FIND(m, end, "writeback error")) {
                event_begin(ev, FSD_EV_WRITE_ERROR, FSD_FS_XFS, FSD_LAYER_FS);
                const char *s = SCAN_FIND(m, end, "sector ");
                if (s) {
                        s += 7;
                        uint64_t sector;
                        if (scan_u64(&s, end, &sector))
                                ev->sector = sector;
                }
                event_set_op(sc, ev, "WRITE", 5);
                return 1;
        }
        if (SCAN_FIND(m, end, "reserve blocks depleted")) {
                event_begin(ev, FSD_EV_ENOSPC, FSD_FS_XFS, FSD_LAYER_FS);
                ev->error = -ENOSPC;
                return 1;
        }
        return parse_mount_msg(m, end, sc, ev);
}

int event_parse_xfs(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!SCAN_EAT(&q, end, "XFS ("))
                return 0;
        struct span dev = scan_until(&q, end, ")");
        if (!SCAN_EAT(&q, end, "): ") || q >= end)
                return 0;
        if (!parse_msg(q, end, sc, ev))
                return 0;
        event_set_device(sc, ev, dev.ptr, dev.len);
        return 1;
}
