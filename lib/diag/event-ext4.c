/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ext4 and jbd2 messages (fs/ext4/super.c, page-io.c, inode.c; fs/jbd2/journal.c).
 *
 *   "EXT4-fs error (device X): func:line: [inode #N: ][block N: ]comm C: [path P: ]msg"
 *   "EXT4-fs error (device X) in func:line: IO failure"          (__ext4_std_error)
 *   "EXT4-fs warning (device X): ext4_end_bio:368: I/O error 3 writing to inode 12 starting block 65408)"
 *   "EXT4-fs (X): Remounting filesystem read-only"                (ext4_msg)
 *   "Aborting journal on device X-8."                              (jbd2, ext4 on X, inode 8)
 *   "JBD2: Error -5 detected when updating journal superblock for X-8."
 * The old ext2/ext3 drivers print the same shapes with "EXT3-fs"/"EXT2-fs"; they are FSD_FS_OTHER.
 */
#include <errno.h>
#include "event-parsers.h"
#include "event-util.h"

/* jbd2 names a journal "<bdev>-<journal inode>": "loop0-8", "dm-9-8" -> "loop0", "dm-9". An
 * external journal device is named plainly ("sdb1", "dm-3") and keeps its name. */
static void set_journal_device(struct event_scratch *sc, struct fsd_event *ev, const char *p, const char *end) {
        const char *q = p;
        while (q < end && *q != ' ' && *q != ':' && *q != ',')
                q++;
        while (q > p && q[-1] == '.')
                q--;
        const char *dash = q;
        while (dash > p && ascii_is_digit(dash[-1]))
                dash--;
        if (dash > p && dash < q && dash[-1] == '-') {
                const char *base_end = dash - 1;
                size_t dashes = 0;
                for (const char *c = p; c < base_end; c++)
                        dashes += *c == '-';
                /* "dm-3" alone is a device, "dm-3-8" is dm-3 with inode 8 */
                bool dm_like = SCAN_STARTS(p, end, "dm-") || SCAN_STARTS(p, end, "md-");
                if (!dm_like || dashes >= 1)
                        q = base_end;
        }
        event_set_device(sc, ev, p, (size_t) (q - p));
}

/* __ext4_std_error / ext4_decode_error texts -> errno */
static int ext4_text_errno(const char *p, const char *end) {
        static const struct {
                const char *text;
                int err;
        } map[] = {
                { "IO failure", -EIO },
                { "Out of memory", -ENOMEM },
                { "Readonly filesystem", -EROFS },
                { "Journal has aborted", -EROFS },
                { "Corrupt filesystem", -EUCLEAN },
                { "Filesystem failed CRC", -EBADMSG },
                { "No space left", -ENOSPC },
        };
        for (size_t i = 0; i < ELEMENTSOF(map); i++)
                if (scan_starts(p, end, map[i].text, strlen(map[i].text)))
                        return map[i].err;
        /* the codes it has no words for: "error 28" (the errno, sign dropped) */
        int v;
        if (scan_eat(&p, end, "error ", 6) && scan_int(&p, end, &v) && v > 0 && v < 4096)
                return -v;
        return 0;
}

/* ext4_error_err()/ext4_error_inode_block() calls that pass EIO print no number: the message is
 * all that says a read or write failed (fs/ext4 balloc.c, ialloc.c, inode.c, ext4_jbd2.c, namei.c,
 * 3.x-6.x; the async write-back error's own errno is almost always EIO). Without this they look like an on-disk inconsistency. */
static int ext4_io_failure_errno(const char *p, const char *end) {
        static const char *const eio_texts[] = {
                "Cannot read block bitmap", "Cannot read inode bitmap", "unable to read itable block",
                "IO error syncing", "reading directory lblock",
                /* ext4_check_bdev_write_error: a metadata buffer's async write failed (errseq on
                 * the block device's mapping), 5.10+ */
                "Error while async write back metadata",
        };
        for (size_t i = 0; i < ELEMENTSOF(eio_texts); i++)
                if (scan_starts(p, end, eio_texts[i], strlen(eio_texts[i])))
                        return -EIO;
        /* mballoc.c "Error %d reading block bitmap for %u", "Error %d loading buddy information" */
        int v;
        if (SCAN_EAT(&p, end, "Error ") && scan_int(&p, end, &v) && v < 0 && v > -4096)
                return v;
        return 0;
}

/* "func:line: " -> function and line; false if the text does not start that way. */
static bool parse_func_line(const char **p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = *p;
        struct span func = scan_until(&q, end, ": ");
        int line;
        if (func.len == 0 || !SCAN_EAT(&q, end, ":") || !scan_int(&q, end, &line))
                return false;
        event_set_function(sc, ev, func.ptr, func.len);
        ev->src_line = line;
        SCAN_EAT(&q, end, ":");
        scan_spaces(&q, end);
        *p = q;
        return true;
}

/* "EXT4-fs error (device X): func:line: ..." */
static int parse_error(const char *q, const char *end, enum fsd_fs_type fs, struct span dev,
                       struct event_scratch *sc, struct fsd_event *ev) {
        if (SCAN_EAT(&q, end, " in ")) {
                event_begin(ev, FSD_EV_FS_ERROR, fs, FSD_LAYER_FS);
                if (!parse_func_line(&q, end, sc, ev))
                        return 0;
                ev->error = ext4_text_errno(q, end);
                if (ev->error == -EROFS && SCAN_STARTS(q, end, "Journal has aborted"))
                        ev->kind = FSD_EV_TRANSACTION_ABORT;
                event_set_error_text(sc, ev, q, (size_t) (end - q));
                return 1;
        }
        if (!SCAN_EAT(&q, end, ": "))
                return 0;
        event_begin(ev, FSD_EV_FS_ERROR, fs, FSD_LAYER_FS);
        if (!parse_func_line(&q, end, sc, ev))
                return 0;

        /* "inode #12: block 5: comm touch: path /x: msg" in any subset, in this order */
        for (;;) {
                const char *item = q;
                if (SCAN_EAT(&q, end, "inode #") || SCAN_EAT(&q, end, "block ") || SCAN_EAT(&q, end, "comm ") ||
                    SCAN_EAT(&q, end, "path ")) {
                        const char *colon = SCAN_FIND(q, end, ": ");
                        if (!colon) {
                                q = item;
                                break;
                        }
                        if (*item == 'i') {
                                char buf[48];
                                int n = snprintf(buf, sizeof buf, "inode %.*s", (int) MIN((size_t) (colon - q), (size_t) 24), q);
                                if (n > 0)
                                        event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
                        } else
                                event_add_detail(sc, ev, item, (size_t) (colon - item));
                        q = colon + 2;
                        continue;
                }
                break;
        }
        if (SCAN_STARTS(q, end, "Detected aborted journal"))
                ev->kind = FSD_EV_TRANSACTION_ABORT;
        event_find_errno(ev, q, end);
        if (!ev->error)
                ev->error = ext4_io_failure_errno(q, end);
        event_set_error_text(sc, ev, q, (size_t) (end - q));
        (void) dev;
        return 1;
}

/* "EXT4-fs warning (device X): func:line: msg" — only the write failures are events */
static int parse_warning(const char *q, const char *end, enum fsd_fs_type fs, struct event_scratch *sc,
                         struct fsd_event *ev) {
        if (!SCAN_EAT(&q, end, ": "))
                return 0;
        const char *io = SCAN_FIND(q, end, "I/O error");
        if (!io)
                return 0;
        event_begin(ev, FSD_EV_WRITE_ERROR, fs, FSD_LAYER_FS);
        parse_func_line(&q, end, sc, ev);
        /* "I/O error 3 writing to inode 12 starting block 65408)": 4.13+ print a blk_status_t,
         * older kernels a negative errno, 3.x no number at all */
        const char *r = io + sizeof("I/O error") - 1;
        scan_spaces(&r, end);
        int status;
        if (scan_int(&r, end, &status)) {
                ev->error = blk_status_to_errno(status);
                char buf[32];
                int n = snprintf(buf, sizeof buf, "status %d", status);
                if (n > 0)
                        event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
        }
        const char *inode = SCAN_FIND(r, end, "inode ");
        if (inode) {
                const char *s = inode;
                const char *t = inode + 6;
                while (t < end && ascii_is_digit(*t))
                        t++;
                event_add_detail(sc, ev, s, (size_t) (t - s));
        }
        const char *blk = SCAN_FIND(r, end, "starting block ");
        if (blk) {
                const char *t = blk + sizeof("starting block ") - 1;
                while (t < end && ascii_is_digit(*t))
                        t++;
                event_add_detail(sc, ev, blk + 9, (size_t) (t - blk - 9)); /* "block N" */
        }
        event_set_op(sc, ev, "WRITE", 5);
        return 1;
}

/* The event a message that ends a mount carries. */
#define EXT4_MOUNT_FAILED_KIND FSD_EV_MOUNT_FAILED

/* What __ext4_fill_super and the functions it calls print when they give up on a mount, and the
 * checks whose failure they report (fs/ext4/super.c, 3.x-6.x; the wording is stable since 3.x,
 * "unable to read superblock" older than "Can't read superblock on 2nd try" alike). The detail
 * names the part of the filesystem at fault, which the rules match; the kind is mount-failed
 * for a line that ends the mount (the others are causes printed just before such a line). */
enum ext4_mount_part {
        EXT4_MOUNT_GROUP_DESC,
        EXT4_MOUNT_SUPERBLOCK,
        EXT4_MOUNT_NO_SUPERBLOCK,
        EXT4_MOUNT_GEOMETRY,
        EXT4_MOUNT_ROOT_INODE,
        EXT4_MOUNT_JOURNAL,
        EXT4_MOUNT_JOURNAL_RO_DEVICE,
        EXT4_MOUNT_FEATURES,
        EXT4_MOUNT_OTHER,
};

static const char *const ext4_mount_part_detail[] = {
        [EXT4_MOUNT_GROUP_DESC] = "mount: group descriptors",
        [EXT4_MOUNT_SUPERBLOCK] = "mount: superblock",
        [EXT4_MOUNT_NO_SUPERBLOCK] = "mount: no ext4 superblock",
        [EXT4_MOUNT_GEOMETRY] = "mount: bad geometry",
        [EXT4_MOUNT_ROOT_INODE] = "mount: root inode",
        [EXT4_MOUNT_JOURNAL] = "mount: journal",
        [EXT4_MOUNT_JOURNAL_RO_DEVICE] = "mount: journal recovery on a read-only device",
        [EXT4_MOUNT_FEATURES] = "mount: unsupported features",
        [EXT4_MOUNT_OTHER] = "mount failed",
};

static const struct ext4_mount_msg {
        const char *text;
        enum fsd_event_kind kind; /* EXT4_MOUNT_FAILED_KIND: the line that ends the mount */
        int err;
        enum ext4_mount_part part;
} ext4_mount_msgs[] = {
        /* ext4_group_desc_init (ext4_fill_super before 5.19) */
        { "group descriptors corrupted", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_GROUP_DESC },
        { "can't read group descriptor", EXT4_MOUNT_FAILED_KIND, -EIO, EXT4_MOUNT_GROUP_DESC },
        { "first meta block group too large", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_GROUP_DESC },
        /* ext4_load_super, ext4_fill_super: the superblock itself */
        { "VFS: Found ext4 filesystem with invalid superblock checksum", FSD_EV_CSUM_ERROR, -EBADMSG, EXT4_MOUNT_SUPERBLOCK },
        { "VFS: Can't find ext", EXT4_MOUNT_FAILED_KIND, -EINVAL, EXT4_MOUNT_NO_SUPERBLOCK },
        { "unable to read superblock", EXT4_MOUNT_FAILED_KIND, -EIO, EXT4_MOUNT_SUPERBLOCK },
        { "Can't read superblock on 2nd try", EXT4_MOUNT_FAILED_KIND, -EIO, EXT4_MOUNT_SUPERBLOCK },
        { "unable to set blocksize", EXT4_MOUNT_FAILED_KIND, -EINVAL, EXT4_MOUNT_SUPERBLOCK },
        { "Magic mismatch, very weird", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_SUPERBLOCK },
        { "Invalid log block size", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_SUPERBLOCK },
        { "Invalid log cluster size", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_SUPERBLOCK },
        { "invalid inodes per group", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_SUPERBLOCK },
        { "inodes count not valid", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_SUPERBLOCK },
        { "Number of reserved GDT blocks insanely large", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_SUPERBLOCK },
        { "unsupported descriptor size", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_SUPERBLOCK },
        { "invalid first ino", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_SUPERBLOCK },
        /* an inode size that is not a power of two or larger than a block: a field out of range */
        { "unsupported inode size", EXT4_MOUNT_FAILED_KIND, -EINVAL, EXT4_MOUNT_SUPERBLOCK },
        /* "bad geometry: block count N exceeds size of device (M blocks)": a device smaller than
         * the filesystem (a shrunk partition or volume) as often as a damaged superblock */
        { "bad geometry: ", EXT4_MOUNT_FAILED_KIND, -EINVAL, EXT4_MOUNT_GEOMETRY },
        { "corrupt root inode", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_ROOT_INODE },
        { "get root inode failed", EXT4_MOUNT_FAILED_KIND, 0, EXT4_MOUNT_ROOT_INODE },
        /* ext4_load_journal and the journal lookups before it (jbd2 prints its own reason first);
         * a lookup that fails ends the mount with no further word */
        { "error loading journal", EXT4_MOUNT_FAILED_KIND, 0, EXT4_MOUNT_JOURNAL },
        { "no journal found", EXT4_MOUNT_FAILED_KIND, 0, EXT4_MOUNT_JOURNAL },
        { "journal inode is deleted", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_JOURNAL },
        { "invalid journal inode", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_JOURNAL },
        { "Could not load journal inode", EXT4_MOUNT_FAILED_KIND, 0, EXT4_MOUNT_JOURNAL },
        { "external journal has bad superblock", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_JOURNAL },
        { "external journal has corrupt superblock", EXT4_MOUNT_FAILED_KIND, -EBADMSG, EXT4_MOUNT_JOURNAL },
        { "couldn't read superblock of external journal", EXT4_MOUNT_FAILED_KIND, -EIO, EXT4_MOUNT_JOURNAL },
        { "I/O error on journal device", EXT4_MOUNT_FAILED_KIND, -EIO, EXT4_MOUNT_JOURNAL },
        { "journal UUID does not match", EXT4_MOUNT_FAILED_KIND, -EINVAL, EXT4_MOUNT_JOURNAL },
        { "failed to create device journal", EXT4_MOUNT_FAILED_KIND, 0, EXT4_MOUNT_JOURNAL },
        { "filesystem has both journal inode and journal device", EXT4_MOUNT_FAILED_KIND, -EUCLEAN, EXT4_MOUNT_JOURNAL },
        { "write access unavailable, cannot proceed", EXT4_MOUNT_FAILED_KIND, -EROFS, EXT4_MOUNT_JOURNAL_RO_DEVICE },
        { "required journal recovery suppressed", EXT4_MOUNT_FAILED_KIND, -EINVAL, EXT4_MOUNT_JOURNAL },
        /* ext4_feature_set_ok and friends. Not "couldn't mount as ext2/ext3 due to feature
         * incompatibilities": kernels before 4.x printed it while probing the root filesystem's
         * type, on every boot, before mounting it as ext4 */
        { "Couldn't mount because of unsupported optional features", EXT4_MOUNT_FAILED_KIND, -EINVAL, EXT4_MOUNT_FEATURES },
        { "couldn't mount RDWR because of unsupported optional features", EXT4_MOUNT_FAILED_KIND, -EINVAL, EXT4_MOUNT_FEATURES },
        { "Filesystem with casefold feature cannot be mounted without CONFIG_UNICODE", EXT4_MOUNT_FAILED_KIND, -EINVAL,
          EXT4_MOUNT_FEATURES },
        /* __ext4_fill_super's own last word, for the failures after the journal */
        { "mount failed", EXT4_MOUNT_FAILED_KIND, 0, EXT4_MOUNT_OTHER },
};

/* "EXT4-fs (X): ext4_check_descriptors: Block bitmap for group 0 not in group (block N)!" and the
 * mount failures of ext4_mount_msgs. */
static int parse_mount_msg(const char *m, const char *end, enum fsd_fs_type fs, struct event_scratch *sc,
                           struct fsd_event *ev) {
        const char *q = m;
        if (SCAN_EAT(&q, end, "ext4_check_descriptors: ")) {
                bool csum = SCAN_STARTS(q, end, "Checksum for group ");
                event_begin(ev, csum ? FSD_EV_CSUM_ERROR : FSD_EV_CORRUPTION, fs, FSD_LAYER_FS);
                ev->error = csum ? -EBADMSG : -EUCLEAN;
                event_set_function(sc, ev, "ext4_check_descriptors", sizeof("ext4_check_descriptors") - 1);
                event_add_detail(sc, ev, ext4_mount_part_detail[EXT4_MOUNT_GROUP_DESC],
                                 strlen(ext4_mount_part_detail[EXT4_MOUNT_GROUP_DESC]));
                const char *g = SCAN_FIND(q, end, "for group ");
                if (g) {
                        const char *t = g + sizeof("for group ") - 1;
                        while (t < end && ascii_is_digit(*t))
                                t++;
                        event_add_detail(sc, ev, g + 4, (size_t) (t - g - 4)); /* "group N" */
                }
                event_set_error_text(sc, ev, q, (size_t) (end - q));
                return 1;
        }
        for (size_t i = 0; i < ELEMENTSOF(ext4_mount_msgs); i++) {
                const struct ext4_mount_msg *mm = &ext4_mount_msgs[i];
                if (!scan_starts(m, end, mm->text, strlen(mm->text)))
                        continue;
                event_begin(ev, mm->kind, fs, FSD_LAYER_FS);
                ev->error = mm->err;
                const char *detail = ext4_mount_part_detail[mm->part];
                event_add_detail(sc, ev, detail, strlen(detail));
                event_set_error_text(sc, ev, m, (size_t) (end - m));
                return 1;
        }
        return 0;
}

/* "EXT4-fs (X): msg" */
static int parse_msg(const char *m, const char *end, enum fsd_fs_type fs, struct event_scratch *sc,
                     struct fsd_event *ev) {
        switch (*m) {
        case 'R':
                if (SCAN_STARTS(m, end, "Remounting filesystem read-only")) {
                        event_begin(ev, FSD_EV_READ_ONLY, fs, FSD_LAYER_FS);
                        return 1;
                }
                break;
        case 'D':
                if (SCAN_STARTS(m, end, "Detected aborted journal")) {
                        event_begin(ev, FSD_EV_TRANSACTION_ABORT, fs, FSD_LAYER_FS);
                        return 1;
                }
                if (SCAN_STARTS(m, end, "Delayed block allocation failed")) {
                        /* "... for inode 12 at logical offset 0 with max blocks 2 with error 28" */
                        event_begin(ev, FSD_EV_WRITE_ERROR, fs, FSD_LAYER_FS);
                        const char *e = SCAN_FIND(m, end, "with error ");
                        if (e) {
                                const char *q = e + sizeof("with error ") - 1;
                                int err;
                                if (scan_int(&q, end, &err))
                                        ev->error = err > 0 ? -err : err;
                        }
                        const char *inode = SCAN_FIND(m, end, "inode ");
                        if (inode) {
                                const char *t = inode + 6;
                                while (t < end && ascii_is_digit(*t))
                                        t++;
                                event_add_detail(sc, ev, inode, (size_t) (t - inode));
                        }
                        return 1;
                }
                break;
        case 'I':
                if (SCAN_STARTS(m, end, "I/O error while writing superblock")) {
                        event_begin(ev, FSD_EV_WRITE_ERROR, fs, FSD_LAYER_FS);
                        ev->error = -EIO;
                        EVENT_ADD_DETAIL_LIT(sc, ev, "superblock");
                        return 1;
                }
                break;
        case 'p':
                if (SCAN_STARTS(m, end, "previous I/O error to superblock detected")) {
                        event_begin(ev, FSD_EV_WRITE_ERROR, fs, FSD_LAYER_FS);
                        ev->error = -EIO;
                        EVENT_ADD_DETAIL_LIT(sc, ev, "superblock");
                        return 1;
                }
                break;
        case 'f':
                /* "failed to convert unwritten extents to written extents -- potential data
                 * loss!  (inode 12, error -5)" */
                if (SCAN_STARTS(m, end, "failed to convert unwritten extents")) {
                        event_begin(ev, FSD_EV_WRITE_ERROR, fs, FSD_LAYER_FS);
                        event_find_errno(ev, m, end);
                        const char *inode = SCAN_FIND(m, end, "(inode ");
                        if (inode) {
                                const char *t = inode + 7;
                                while (t < end && ascii_is_digit(*t))
                                        t++;
                                event_add_detail(sc, ev, inode + 1, (size_t) (t - inode - 1));
                        }
                        return 1;
                }
                break;
        case 's':
                if (SCAN_STARTS(m, end, "shut down requested")) {
                        event_begin(ev, FSD_EV_USER_SHUTDOWN, fs, FSD_LAYER_FS);
                        const char *paren = scan_chr(m, end, '(');
                        if (paren) {
                                const char *close = scan_chr(paren, end, ')');
                                char buf[40];
                                int n = snprintf(buf, sizeof buf, "flags %.*s",
                                                 (int) MIN((size_t) ((close ? close : end) - paren - 1), (size_t) 16), paren + 1);
                                if (n > 0)
                                        event_add_detail(sc, ev, buf, MIN((size_t) n, sizeof buf - 1));
                        }
                        return 1;
                }
                break;
        case 'm':
                /* 6.x "mounted filesystem UUID r/w with ordered data mode. Quota mode: none.",
                 * older "mounted filesystem with ordered data mode. Opts: (null)" */
                if (SCAN_STARTS(m, end, "mounted filesystem")) {
                        event_begin(ev, FSD_EV_MOUNT, fs, FSD_LAYER_FS);
                        const char *q = m + sizeof("mounted filesystem") - 1;
                        if (SCAN_EAT(&q, end, " ")) {
                                struct span w = scan_until(&q, end, " .");
                                if (w.len == 36 && w.ptr[8] == '-' && w.ptr[13] == '-')
                                        event_add_detail(sc, ev, w.ptr, w.len);
                        }
                        return 1;
                }
                break;
        case 'u':
                if (SCAN_STARTS(m, end, "unmounting filesystem")) {
                        event_begin(ev, FSD_EV_UNMOUNT, fs, FSD_LAYER_FS);
                        const char *q = m + sizeof("unmounting filesystem") - 1;
                        if (SCAN_EAT(&q, end, " ")) {
                                struct span w = scan_until(&q, end, " .");
                                if (w.len == 36)
                                        event_add_detail(sc, ev, w.ptr, w.len);
                        }
                        return 1;
                }
                break;
        case 'T':
                if (SCAN_STARTS(m, end, "This should not happen!! Data will be lost")) {
                        event_begin(ev, FSD_EV_WRITE_ERROR, fs, FSD_LAYER_FS);
                        return 1;
                }
                break;
        default:
                break;
        }
        /* "ext4_writepages: jbd2_start: 9223372036854775806 pages, ino 12; err -30" */
        if (SCAN_FIND(m, end, "jbd2_start: ")) {
                event_begin(ev, FSD_EV_WRITE_ERROR, fs, FSD_LAYER_FS);
                const char *colon = scan_chr(m, end, ':');
                if (colon)
                        event_set_function(sc, ev, m, (size_t) (colon - m));
                event_find_errno(ev, m, end);
                return 1;
        }
        return parse_mount_msg(m, end, fs, sc, ev);
}

int event_parse_ext4(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        enum fsd_fs_type fs;
        if (SCAN_STARTS(p, end, "EXT4-fs"))
                fs = FSD_FS_EXT4;
        else if (SCAN_STARTS(p, end, "EXT3-fs") || SCAN_STARTS(p, end, "EXT2-fs"))
                fs = FSD_FS_OTHER;
        else
                return 0;
        const char *q = p + 7;
        struct span dev = { 0 };

        if (SCAN_EAT(&q, end, " error (device ")) {
                dev = scan_until(&q, end, ")");
                if (!SCAN_EAT(&q, end, ")") || !parse_error(q, end, fs, dev, sc, ev))
                        return 0;
        } else if (SCAN_EAT(&q, end, " warning (device ")) {
                dev = scan_until(&q, end, ")");
                if (!SCAN_EAT(&q, end, ")") || !parse_warning(q, end, fs, sc, ev))
                        return 0;
        } else if (SCAN_EAT(&q, end, " (")) {
                dev = scan_until(&q, end, ")");
                if (!SCAN_EAT(&q, end, "): ") || q >= end || !parse_msg(q, end, fs, sc, ev))
                        return 0;
        } else
                return 0;

        event_set_device(sc, ev, dev.ptr, dev.len);
        return 1;
}

/* "Aborting journal on device loop0-8." */
int event_parse_ext4_aborting(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!SCAN_EAT(&q, end, "Aborting journal on device "))
                return 0;
        event_begin(ev, FSD_EV_TRANSACTION_ABORT, FSD_FS_EXT4, FSD_LAYER_FS);
        set_journal_device(sc, ev, q, end);
        EVENT_ADD_DETAIL_LIT(sc, ev, "journal");
        return 1;
}

int event_parse_jbd2(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!SCAN_EAT(&q, end, "JBD2: "))
                return 0;
        const char *on;
        /* "Error -5 detected when updating journal superblock for X-8." (4.x+),
         * "I/O error when updating journal superblock for X-8." */
        if ((on = SCAN_FIND(q, end, "journal superblock for "))) {
                event_begin(ev, FSD_EV_LOG_IO_ERROR, FSD_FS_EXT4, FSD_LAYER_FS);
                event_find_errno(ev, q, on);
                if (!ev->error && SCAN_STARTS(q, end, "Error ")) {
                        const char *r = q + 6;
                        int err;
                        if (scan_int(&r, end, &err))
                                ev->error = err;
                }
                if (!ev->error)
                        ev->error = -EIO;
                set_journal_device(sc, ev, on + sizeof("journal superblock for ") - 1, end);
                event_set_function(sc, ev, "jbd2_write_superblock", sizeof("jbd2_write_superblock") - 1);
                EVENT_ADD_DETAIL_LIT(sc, ev, "journal superblock");
                return 1;
        }
        /* "Detected IO errors while flushing file data on X-8" */
        if ((on = SCAN_FIND(q, end, "while flushing file data on "))) {
                event_begin(ev, FSD_EV_WRITE_ERROR, FSD_FS_EXT4, FSD_LAYER_FS);
                ev->error = -EIO;
                set_journal_device(sc, ev, on + sizeof("while flushing file data on ") - 1, end);
                EVENT_ADD_DETAIL_LIT(sc, ev, "file data flush");
                return 1;
        }
        /* Loading the journal at mount (fs/jbd2/journal.c load_superblock/journal_get_superblock,
         * recovery.c): the lines name no device; ext4's "error loading journal" that follows does */
        static const struct event_msg load_msgs[] = {
                { "no valid journal superblock found", FSD_EV_CORRUPTION, -EUCLEAN, "journal superblock" },
                { "unrecognised superblock format ID", FSD_EV_CORRUPTION, -EUCLEAN, "journal superblock" },
                { "journal file too short", FSD_EV_CORRUPTION, -EUCLEAN, "journal superblock" },
                { "Journal too short", FSD_EV_CORRUPTION, -EUCLEAN, "journal superblock" },
                { "Invalid start block of journal", FSD_EV_CORRUPTION, -EUCLEAN, "journal superblock" },
                { "corrupted journal superblock", FSD_EV_CORRUPTION, -EUCLEAN, "journal superblock" },
                { "Unrecognised features on journal", FSD_EV_FS_ERROR, -EINVAL, "journal features" },
                { "journal checksum error", FSD_EV_CSUM_ERROR, -EBADMSG, "journal superblock" },
                { "IO error reading journal superblock", FSD_EV_LOG_IO_ERROR, -EIO, "journal superblock" },
                { "Failed to read block at offset", FSD_EV_LOG_IO_ERROR, -EIO, "journal recovery" },
                { "bad block at offset", FSD_EV_CORRUPTION, -EUCLEAN, "journal recovery" },
                { "recovery failed", FSD_EV_FS_ERROR, 0, "journal recovery" },
        };
        const struct event_msg *lm = event_msg_find(load_msgs, ELEMENTSOF(load_msgs), q, end);
        if (lm) {
                event_begin_msg(sc, ev, lm, FSD_FS_EXT4);
                return 1;
        }
        /* "error -74 scanning journal" */
        if (SCAN_STARTS(q, end, "error ") && SCAN_FIND(q, end, "scanning journal")) {
                event_begin(ev, FSD_EV_FS_ERROR, FSD_FS_EXT4, FSD_LAYER_FS);
                event_find_errno(ev, q, end);
                EVENT_ADD_DETAIL_LIT(sc, ev, "journal recovery");
                return 1;
        }
        /* "IO error -5 recovering block N in log", "Failed to read block at offset N" */
        if (SCAN_STARTS(q, end, "IO error ") || SCAN_STARTS(q, end, "I/O error ")) {
                event_begin(ev, FSD_EV_LOG_IO_ERROR, FSD_FS_EXT4, FSD_LAYER_FS);
                const char *r = scan_chr(q, end, ' ');
                r = r ? scan_chr(r + 1, end, ' ') : NULL;
                int err;
                if (r && (r++, scan_int(&r, end, &err)) && err < 0)
                        ev->error = err;
                return 1;
        }
        /* "journal transaction 123 on X-8 is corrupt.", "Invalid checksum recovering ..." */
        if ((on = SCAN_FIND(q, end, " is corrupt"))) {
                event_begin(ev, FSD_EV_CORRUPTION, FSD_FS_EXT4, FSD_LAYER_FS);
                const char *dev = SCAN_FIND(q, on, " on ");
                if (dev)
                        set_journal_device(sc, ev, dev + 4, on);
                EVENT_ADD_DETAIL_LIT(sc, ev, "journal");
                return 1;
        }
        if (SCAN_STARTS(q, end, "Invalid checksum recovering")) {
                event_begin(ev, FSD_EV_CSUM_ERROR, FSD_FS_EXT4, FSD_LAYER_FS);
                EVENT_ADD_DETAIL_LIT(sc, ev, "journal");
                return 1;
        }
        return 0;
}

/* fs/quota/dquot.c __quota_error: "Quota error (device sda1): qtree_write_dquot: dquota write
 * failed". The quota code is shared by ext2/3/4 (XFS keeps its own); ext4 is the usual owner. */
int event_parse_quota(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!SCAN_EAT(&q, end, "Quota error (device "))
                return 0;
        struct span dev = scan_until(&q, end, ")");
        if (!SCAN_EAT(&q, end, "): "))
                return 0;
        event_begin(ev, FSD_EV_FS_ERROR, FSD_FS_EXT4, FSD_LAYER_FS);
        struct span fn = scan_until(&(const char *) { q }, end, ":");
        if (span_end(fn) < end)
                event_set_function(sc, ev, fn.ptr, fn.len);
        EVENT_ADD_DETAIL_LIT(sc, ev, "quota");
        event_set_error_text(sc, ev, q, (size_t) (end - q));
        event_set_device(sc, ev, dev.ptr, dev.len);
        return 1;
}

/* fs/jbd2/checkpoint.c __jbd2_log_wait_for_space, then jbd2_journal_abort(journal, -EIO):
 *   "__jbd2_log_wait_for_space: no way to get more journal space in sda1-8"
 * fs/jbd2/journal.c jbd2_journal_bmap:
 *   "jbd2_journal_bmap: journal block not found at offset 4383 on nvme0n1p2-8" */
int event_parse_jbd2_space(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        const char *on;
        if (SCAN_EAT(&q, end, "__jbd2_log_wait_for_space: ")) {
                /* the "needed N blocks" line before it names no journal: only this one is kept */
                if (!(on = SCAN_FIND(q, end, "no way to get more journal space in ")))
                        return 0;
                event_begin(ev, FSD_EV_FS_ERROR, FSD_FS_EXT4, FSD_LAYER_FS);
                set_journal_device(sc, ev, on + sizeof("no way to get more journal space in ") - 1, end);
                event_set_function(sc, ev, "__jbd2_log_wait_for_space", sizeof("__jbd2_log_wait_for_space") - 1);
                ev->error = -ENOSPC;
                EVENT_ADD_DETAIL_LIT(sc, ev, "journal space");
                return 1;
        }
        if (SCAN_EAT(&q, end, "jbd2_journal_bmap: ") && (on = SCAN_FIND(q, end, "journal block not found"))) {
                event_begin(ev, FSD_EV_FS_ERROR, FSD_FS_EXT4, FSD_LAYER_FS);
                event_set_function(sc, ev, "jbd2_journal_bmap", sizeof("jbd2_journal_bmap") - 1);
                const char *dev = SCAN_FIND(on, end, " on ");
                if (dev)
                        set_journal_device(sc, ev, dev + 4, end);
                ev->error = -EIO;
                EVENT_ADD_DETAIL_LIT(sc, ev, "journal block map");
                return 1;
        }
        return 0;
}
