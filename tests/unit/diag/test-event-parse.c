/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event_parse(): real message lines across kernel versions -> the expected event, lines that must
 * not be events, and the lab captures in ../shared/corpus (skipped when that folder is absent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/event-parse.h"

#define NOSEC UINT64_MAX

struct expect {
        const char *line;
        enum fsd_event_kind kind;
        enum fsd_fs_type fs;
        const char *device;      /* NULL: must be NULL */
        const char *function;    /* NULL: not checked */
        int src_line;
        int error;
        uint64_t sector;
        const char *op;          /* NULL: not checked */
        uint64_t count;
        const char *detail_has;  /* substring of detail, NULL: not checked */
};

static const struct expect cases[] = {
        /* --- btrfs, 4.19 (seed) --- */
        { "BTRFS: error (device dm-9) in __btrfs_free_extent:6805: errno=-28 No space left",
          FSD_EV_FS_ERROR, FSD_FS_BTRFS, "dm-9", "__btrfs_free_extent", 6805, -28, NOSEC, NULL, 1, NULL },
        { "BTRFS info (device dm-9): forced readonly",
          FSD_EV_READ_ONLY, FSD_FS_BTRFS, "dm-9", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "BTRFS: error (device dm-9) in btrfs_run_delayed_refs:2935: errno=-28 No space left",
          FSD_EV_FS_ERROR, FSD_FS_BTRFS, "dm-9", "btrfs_run_delayed_refs", 2935, -28, NOSEC, NULL, 1, NULL },
        { "BTRFS: Transaction aborted (error -28)",
          FSD_EV_TRANSACTION_ABORT, FSD_FS_BTRFS, NULL, NULL, 0, -28, NOSEC, NULL, 1, NULL },
        /* --- btrfs, 6.x (lab) --- */
        { "BTRFS: error (device loop0) in btrfs_commit_transaction:2546: errno=-5 IO failure (Error while writing out transaction)",
          FSD_EV_FS_ERROR, FSD_FS_BTRFS, "loop0", "btrfs_commit_transaction", 2546, -5, NOSEC, NULL, 1,
          "Error while writing out transaction" },
        { "BTRFS info (device loop0 state E): forced readonly",
          FSD_EV_READ_ONLY, FSD_FS_BTRFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, "state E" },
        { "BTRFS warning (device loop0 state E): Skipping commit of aborted transaction.",
          FSD_EV_COMMIT_SKIPPED, FSD_FS_BTRFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "BTRFS error (device loop0 state EA): Transaction aborted (error -5)",
          FSD_EV_TRANSACTION_ABORT, FSD_FS_BTRFS, "loop0", NULL, 0, -5, NOSEC, NULL, 1, "state EA" },
        { "BTRFS: error (device loop0 state EA) in cleanup_transaction:2038: errno=-5 IO failure",
          FSD_EV_FS_ERROR, FSD_FS_BTRFS, "loop0", "cleanup_transaction", 2038, -5, NOSEC, NULL, 1, "state EA" },
        /* ~2023 colon form of the state string */
        { "BTRFS: error (device sda: state A) in find_free_extent_update_loop:4129: errno=-22 unknown",
          FSD_EV_FS_ERROR, FSD_FS_BTRFS, "sda", "find_free_extent_update_loop", 4129, -22, NOSEC, NULL, 1, "state A" },
        { "BTRFS info (device sda: state EA): forced readonly",
          FSD_EV_READ_ONLY, FSD_FS_BTRFS, "sda", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        /* 3.x */
        { "BTRFS error (device sdb) in btrfs_run_delayed_refs:2730: errno=-28 No space left",
          FSD_EV_FS_ERROR, FSD_FS_BTRFS, "sdb", "btrfs_run_delayed_refs", 2730, -28, NOSEC, NULL, 1, NULL },
        { "btrfs: bdev /dev/sdb errs: wr 0, rd 12, flush 0, corrupt 0, gen 0",
          FSD_EV_DEV_STATS, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, "rd 12" },
        { "btrfs csum failed ino 257 off 0 csum 2566472073 private 0",
          FSD_EV_CSUM_ERROR, FSD_FS_BTRFS, NULL, NULL, 0, 0, NOSEC, NULL, 1, "ino 257" },
        { "BTRFS warning (device dm-0): Aborting unused transaction(No space left).",
          FSD_EV_TRANSACTION_ABORT, FSD_FS_BTRFS, "dm-0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "BTRFS warning (device sdb): btrfs_abort_transaction:123: Aborting unused transaction(No space left).",
          FSD_EV_TRANSACTION_ABORT, FSD_FS_BTRFS, "sdb", "btrfs_abort_transaction", 123, 0, NOSEC, NULL, 1, NULL },
        /* failed mounts: open_ctree's steps (4.7+, 3.x-4.6 " on DEV"), super.c, causes */
        { "BTRFS error (device sdb): failed to read block groups: -5",
          FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, "sdb", NULL, 0, -5, NOSEC, NULL, 1, "failed to read block groups" },
        { "BTRFS error (device sdb): open_ctree failed",
          FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, "open_ctree failed" },
        { "BTRFS error (device sdb): open_ctree failed: -22",
          FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, "sdb", NULL, 0, -22, NOSEC, NULL, 1, "open_ctree failed" },
        { "btrfs: open_ctree failed",
          FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, NULL, NULL, 0, 0, NOSEC, NULL, 1, "open_ctree failed" },
        { "BTRFS: failed to read chunk tree on sdd",
          FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, "sdd", NULL, 0, 0, NOSEC, NULL, 1, "failed to read chunk tree" },
        { "BTRFS warning (device nvme0n1p3): failed to read log tree",
          FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, "nvme0n1p3", NULL, 0, 0, NOSEC, NULL, 1, "failed to read log tree" },
        { "BTRFS warning (device sdb): log replay required on RO media",
          FSD_EV_MOUNT_FAILED, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, "log replay required" },
        { "BTRFS info (device sdb): start tree-log replay",
          FSD_EV_LOG_RECOVERY, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, "log recovery" },
        { "BTRFS warning (device sdh): couldn't read tree root",
          FSD_EV_CORRUPTION, FSD_FS_BTRFS, "sdh", NULL, 0, 0, NOSEC, NULL, 1, "tree root" },
        { "BTRFS error (device sdb): failed to load root extent",
          FSD_EV_FS_ERROR, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, "load root extent" },
        { "BTRFS warning (device sde): chunk 22020096 missing 2 devices, max tolerance is 1 for writable mount",
          FSD_EV_DEVICE_MISSING, FSD_FS_BTRFS, "sde", NULL, 0, 0, NOSEC, NULL, 1, "max tolerance is 1" },
        { "BTRFS error (device sdf1): super_total_bytes 1000203091968 mismatch with fs_devices total_rw_bytes 1000204140544",
          FSD_EV_CORRUPTION, FSD_FS_BTRFS, "sdf1", NULL, 0, 0, NOSEC, NULL, 1, "super_total_bytes" },
        { "BTRFS warning (device sdc1): sdc1 checksum verify failed on 20987904 wanted 5b3a1c0e found 9f2d4471 level 0",
          FSD_EV_CSUM_ERROR, FSD_FS_BTRFS, "sdc1", NULL, 0, 0, NOSEC, NULL, 1, "logical 20987904" },
        { "BTRFS info (device sdb): failed to relocate: nothing",
          FSD_EV_BALANCE_FAILED, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        /* checksums, transid, tree-checker */
        { "BTRFS warning (device sda): csum failed root 5 ino 257 off 0 csum 0x8941f998 expected csum 0x00000000 mirror 1",
          FSD_EV_CSUM_ERROR, FSD_FS_BTRFS, "sda", NULL, 0, 0, NOSEC, NULL, 1, "mirror 1" },
        { "BTRFS warning (device vdb): checksum verify failed on logical 30408704 mirror 1 wanted 0x1234abcd found 0xdeadbeef level 0",
          FSD_EV_CSUM_ERROR, FSD_FS_BTRFS, "vdb", NULL, 0, 0, NOSEC, NULL, 1, "logical 30408704 mirror 1" },
        { "BTRFS error (device sdc): parent transid verify failed on 30539776 wanted 9 found 7",
          FSD_EV_TRANSID_ERROR, FSD_FS_BTRFS, "sdc", NULL, 0, 0, NOSEC, NULL, 1, "wanted 9 found 7" },
        { "BTRFS critical (device dm-0): unable to find chunk map for logical 5260935168 length 16384",
          FSD_EV_CORRUPTION, FSD_FS_BTRFS, "dm-0", NULL, 0, 0, NOSEC, NULL, 1, "in no chunk" },
        { "BTRFS critical (device sda2): unable to find logical 18446612133315248128 length 4096",
          FSD_EV_CORRUPTION, FSD_FS_BTRFS, "sda2", NULL, 0, 0, NOSEC, NULL, 1, "in no chunk" },
        { "BTRFS critical (device loop0): corrupt leaf: root=1 block=30408704 slot=3 ino=256, invalid inode generation",
          FSD_EV_CORRUPTION, FSD_FS_BTRFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, "corrupt leaf" },
        { "BTRFS critical (device loop0): corrupt node: root=1 block=30490624 slot=0, invalid nritems",
          FSD_EV_CORRUPTION, FSD_FS_BTRFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "BTRFS error (device loop0): block=30408704 write time tree block corruption detected",
          FSD_EV_CORRUPTION, FSD_FS_BTRFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "BTRFS error (device loop0): bad tree block start, mirror 1 want 30408704 have 0",
          FSD_EV_CORRUPTION, FSD_FS_BTRFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "BTRFS error (device sdd): bdev /dev/sde errs: wr 3, rd 0, flush 1, corrupt 0, gen 0",
          FSD_EV_DEV_STATS, FSD_FS_BTRFS, "sdd", NULL, 0, 0, NOSEC, NULL, 1, "bdev sde errs: wr 3" },
        { "BTRFS warning (device sdb1: state EA): lost page write due to IO error on /dev/sdc1 (-5)",
          FSD_EV_WRITE_ERROR, FSD_FS_BTRFS, "sdb1", NULL, 0, -EIO, NOSEC, "WRITE", 1, "superblock write to /dev/sdc1" },
        { "BTRFS warning (device sda1): lost page write due to IO error on /dev/sda1 (-61)",
          FSD_EV_WRITE_ERROR, FSD_FS_BTRFS, "sda1", NULL, 0, -ENODATA, NOSEC, "WRITE", 1, NULL },
        { "BTRFS error (device sda1): error writing primary super block to device 1",
          FSD_EV_WRITE_ERROR, FSD_FS_BTRFS, "sda1", NULL, 0, -EIO, NOSEC, "WRITE", 1, "primary superblock" },
        { "BTRFS warning (device sdb): devid 2 uuid 6f1b5c4d-7a1e-4c0b-9a9e-2f7f3b4b1a11 is missing",
          FSD_EV_DEVICE_MISSING, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, "devid 2" },
        { "BTRFS info (device sdb): allowing degraded mounts",
          FSD_EV_DEVICE_MISSING, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, "degraded" },
        { "BTRFS info (device sdb): space_info DATA has 0 free, is full",
          FSD_EV_ENOSPC, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "BTRFS: space_info 4 has 18446744073709436928 free, is not full",
          FSD_EV_ENOSPC, FSD_FS_BTRFS, NULL, NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "BTRFS info (device sde: state A): dumping space info:",
          FSD_EV_ENOSPC, FSD_FS_BTRFS, "sde", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "BTRFS info (device sdb): balance: ended with status: -28",
          FSD_EV_BALANCE_FAILED, FSD_FS_BTRFS, "sdb", NULL, 0, -28, NOSEC, NULL, 1, NULL },
        { "BTRFS info (device loop0): first mount of filesystem fdf252f4-2e6e-431d-a4f6-6ffcfe076b0d",
          FSD_EV_MOUNT, FSD_FS_BTRFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, "fdf252f4-2e6e-431d-a4f6-6ffcfe076b0d" },
        { "BTRFS: device fsid fdf252f4-2e6e-431d-a4f6-6ffcfe076b0d devid 1 transid 6 /dev/loop0 (7:0) scanned by mount (4553)",
          FSD_EV_MOUNT, FSD_FS_BTRFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, "fsid fdf252f4-2e6e-431d-a4f6-6ffcfe076b0d" },
        { "btrfs: device fsid 3a9b4c1e-0d2f-4b1a-8e6f-1c2d3e4f5a6b devid 1 transid 4 /dev/sdb",
          FSD_EV_MOUNT, FSD_FS_BTRFS, "sdb", NULL, 0, 0, NOSEC, NULL, 1, "fsid 3a9b4c1e" },
        /* --- ext4 / jbd2 --- */
        { "EXT4-fs error (device loop0): ext4_journal_check_start:87: comm touch: Detected aborted journal",
          FSD_EV_TRANSACTION_ABORT, FSD_FS_EXT4, "loop0", "ext4_journal_check_start", 87, 0, NOSEC, NULL, 1, "comm touch" },
        { "EXT4-fs error (device sda3): ext4_lookup:1701: inode #2: comm find: casefold flag without casefold feature",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "sda3", "ext4_lookup", 1701, 0, NOSEC, NULL, 1, "inode 2" },
        { "EXT4-fs error (device dm-0) in ext4_reserve_inode_write:5743: IO failure",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "dm-0", "ext4_reserve_inode_write", 5743, -EIO, NOSEC, NULL, 1, NULL },
        { "EXT4-fs error (device sdb1): ext4_wait_block_bitmap:571: comm kworker/u8:1: Cannot read block bitmap - block_group = 1187, block_bitmap = 38797328",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "sdb1", "ext4_wait_block_bitmap", 571, -EIO, NOSEC, NULL, 1, "comm kworker/u8:1" },
        { "EXT4-fs error (device sdc1): __ext4_get_inode_loc:4705: inode #7340035: block 29360160: comm smbd: unable to read itable block",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "sdc1", "__ext4_get_inode_loc", 4705, -EIO, NOSEC, NULL, 1, "inode 7340035" },
        { "EXT4-fs error (device sdd1): ext4_check_bdev_write_error:217: comm kworker/u8:2: Error while async write back metadata",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "sdd1", "ext4_check_bdev_write_error", 217, -EIO, NOSEC, NULL, 1, NULL },
        { "EXT4-fs error (device vda2): ext4_mb_clear_bb:6135: comm rm: Error -5 reading block bitmap for 17",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "vda2", "ext4_mb_clear_bb", 6135, -EIO, NOSEC, NULL, 1, NULL },
        { "EXT4-fs error (device sda3): ext4_validate_block_bitmap:390: comm ls: bg 3: bad block bitmap checksum",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "sda3", "ext4_validate_block_bitmap", 390, 0, NOSEC, NULL, 1, NULL },
        { "EXT4-fs error (device dm-0) in ext4_dirty_inode:5933: Journal has aborted",
          FSD_EV_TRANSACTION_ABORT, FSD_FS_EXT4, "dm-0", "ext4_dirty_inode", 5933, -EROFS, NOSEC, NULL, 1, NULL },
        { "EXT4-fs (dm-0): Remounting filesystem read-only",
          FSD_EV_READ_ONLY, FSD_FS_EXT4, "dm-0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "EXT4-fs (sdb1): Detected aborted journal",
          FSD_EV_TRANSACTION_ABORT, FSD_FS_EXT4, "sdb1", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "Aborting journal on device loop0-8.",
          FSD_EV_TRANSACTION_ABORT, FSD_FS_EXT4, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "Aborting journal on device dm-9-8.",
          FSD_EV_TRANSACTION_ABORT, FSD_FS_EXT4, "dm-9", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "JBD2: Error -5 detected when updating journal superblock for loop0-8.",
          FSD_EV_LOG_IO_ERROR, FSD_FS_EXT4, "loop0", NULL, 0, -5, NOSEC, NULL, 1, NULL },
        { "JBD2: I/O error when updating journal superblock for nvme0n1p2-8.",
          FSD_EV_LOG_IO_ERROR, FSD_FS_EXT4, "nvme0n1p2", "jbd2_write_superblock", 0, -EIO, NOSEC, NULL, 1, "journal superblock" },
        /* --- ext4/jbd2 mount failures (fs/ext4/super.c, fs/jbd2/journal.c 6.1; lab 6.18) --- */
        { "EXT4-fs (sdc1): ext4_check_descriptors: Block bitmap for group 0 not in group (block 4294967295)!",
          FSD_EV_CORRUPTION, FSD_FS_EXT4, "sdc1", "ext4_check_descriptors", 0, -EUCLEAN, NOSEC, NULL, 1, "group 0" },
        { "EXT4-fs (nvme0n1p3): ext4_check_descriptors: Checksum for group 12 failed (18394!=42781)",
          FSD_EV_CSUM_ERROR, FSD_FS_EXT4, "nvme0n1p3", "ext4_check_descriptors", 0, -EBADMSG, NOSEC, NULL, 1, "mount: group descriptors" },
        { "EXT4-fs (sdc1): group descriptors corrupted!",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "sdc1", NULL, 0, -EUCLEAN, NOSEC, NULL, 1, "mount: group descriptors" },
        { "EXT4-fs (sdc1): unable to read superblock",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "sdc1", NULL, 0, -EIO, NOSEC, NULL, 1, "mount: superblock" },
        { "EXT4-fs (sdd): VFS: Can't find ext4 filesystem",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "sdd", NULL, 0, -EINVAL, NOSEC, NULL, 1, "mount: no ext4 superblock" },
        { "EXT4-fs (loop2): Could not load journal inode",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "loop2", NULL, 0, 0, NOSEC, NULL, 1, "mount: journal" },
        { "EXT4-fs (sdb1): error loading journal",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "sdb1", NULL, 0, 0, NOSEC, NULL, 1, "mount: journal" },
        { "EXT4-fs (sdb1): journal inode is deleted",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "sdb1", NULL, 0, -EUCLEAN, NOSEC, NULL, 1, "mount: journal" },
        { "EXT4-fs (dm-1): write access unavailable, cannot proceed (try mounting with noload)",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "dm-1", NULL, 0, -EROFS, NOSEC, NULL, 1, "read-only device" },
        { "EXT4-fs (loop4): couldn't mount RDWR because of unsupported optional features (80000000)",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "loop4", NULL, 0, -EINVAL, NOSEC, NULL, 1, "mount: unsupported features" },
        { "EXT4-fs (sdb1): unsupported inode size: 200",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "sdb1", NULL, 0, -EINVAL, NOSEC, NULL, 1, "mount: superblock" },
        { "EXT4-fs (sda2): Couldn't mount because of unsupported optional features (400)",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "sda2", NULL, 0, -EINVAL, NOSEC, NULL, 1, "mount: unsupported features" },
        { "EXT4-fs (sda2): mount failed",
          FSD_EV_MOUNT_FAILED, FSD_FS_EXT4, "sda2", NULL, 0, 0, NOSEC, NULL, 1, "mount failed" },
        { "JBD2: no valid journal superblock found",
          FSD_EV_CORRUPTION, FSD_FS_EXT4, NULL, NULL, 0, -EUCLEAN, NOSEC, NULL, 1, "journal superblock" },
        { "JBD2: IO error reading journal superblock",
          FSD_EV_LOG_IO_ERROR, FSD_FS_EXT4, NULL, NULL, 0, -EIO, NOSEC, NULL, 1, "journal superblock" },
        { "JBD2: recovery failed",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, NULL, NULL, 0, 0, NOSEC, NULL, 1, "journal recovery" },
        { "JBD2: error -74 scanning journal",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, NULL, NULL, 0, -74, NOSEC, NULL, 1, "journal recovery" },
        /* --- XFS mount failures (fs/xfs/xfs_mount.c, xfs_log_recover.c 6.1; lab 6.18) --- */
        { "XFS (loop2): Filesystem has duplicate UUID fafd2de2-a006-464f-b99a-fc95e9bef941 - can't mount",
          FSD_EV_MOUNT_FAILED, FSD_FS_XFS, "loop2", NULL, 0, -EINVAL, NOSEC, NULL, 1, "mount: duplicate UUID" },
        { "XFS (sdd1): SB validate failed with error -74.",
          FSD_EV_MOUNT_FAILED, FSD_FS_XFS, "sdd1", NULL, 0, -74, NOSEC, NULL, 1, "mount: superblock" },
        { "XFS (sdd1): Invalid superblock magic number",
          FSD_EV_MOUNT_FAILED, FSD_FS_XFS, "sdd1", NULL, 0, -EINVAL, NOSEC, NULL, 1, "mount: no xfs superblock" },
        { "XFS (loop1): failed to locate log tail",
          FSD_EV_FS_ERROR, FSD_FS_XFS, "loop1", NULL, 0, 0, NOSEC, NULL, 1, "log" },
        { "XFS (sdb): log record CRC mismatch: found 0x5e2f7a11, expected 0x9b0c44d2.",
          FSD_EV_CSUM_ERROR, FSD_FS_XFS, "sdb", NULL, 0, -EBADMSG, NOSEC, NULL, 1, "log record" },
        { "XFS (sdb): log recovery read I/O error at daddr 0x1a20 len 8 error -61",
          FSD_EV_LOG_IO_ERROR, FSD_FS_XFS, "sdb", NULL, 0, -61, NOSEC, NULL, 1, "log" },
        { "XFS (dm-4): Attempted to mount read-only compatible filesystem read-write.",
          FSD_EV_MOUNT_FAILED, FSD_FS_XFS, "dm-4", NULL, 0, -EINVAL, NOSEC, NULL, 1, "(read-write)" },
        { "XFS (dm-4): Superblock has unknown incompatible features (0x20) enabled.",
          FSD_EV_MOUNT_FAILED, FSD_FS_XFS, "dm-4", NULL, 0, -EINVAL, NOSEC, NULL, 1, "mount: unsupported features" },
        { "JBD2: Detected IO errors while flushing file data on sda1-8",
          FSD_EV_WRITE_ERROR, FSD_FS_EXT4, "sda1", NULL, 0, -EIO, NOSEC, NULL, 1, NULL },
        { "EXT4-fs warning (device loop0): ext4_end_bio:368: I/O error 3 writing to inode 12 starting block 65408)",
          FSD_EV_WRITE_ERROR, FSD_FS_EXT4, "loop0", "ext4_end_bio", 368, -ENOSPC, NOSEC, "WRITE", 1, "block 65408" },
        { "EXT4-fs warning (device sdb1): ext4_end_bio:323: I/O error 10 writing to inode 131074 starting block 8954)",
          FSD_EV_WRITE_ERROR, FSD_FS_EXT4, "sdb1", "ext4_end_bio", 323, -EIO, NOSEC, "WRITE", 1, "inode 131074" },
        { "EXT4-fs warning (device sda1): ext4_end_bio:317: I/O error -5 writing to inode 1234 (offset 0 size 4096 starting block 5678)",
          FSD_EV_WRITE_ERROR, FSD_FS_EXT4, "sda1", "ext4_end_bio", 317, -EIO, NOSEC, "WRITE", 1, NULL },
        { "EXT4-fs (loop0): failed to convert unwritten extents to written extents -- potential data loss!  (inode 12, error -5)",
          FSD_EV_WRITE_ERROR, FSD_FS_EXT4, "loop0", NULL, 0, -5, NOSEC, NULL, 1, "inode 12" },
        { "EXT4-fs (dm-3): I/O error while writing superblock",
          FSD_EV_WRITE_ERROR, FSD_FS_EXT4, "dm-3", NULL, 0, -EIO, NOSEC, NULL, 1, NULL },
        { "EXT4-fs (vda1): shut down requested (2)",
          FSD_EV_USER_SHUTDOWN, FSD_FS_EXT4, "vda1", NULL, 0, 0, NOSEC, NULL, 1, "flags 2" },
        { "EXT4-fs (dm-2): Delayed block allocation failed for inode 393 at logical offset 0 with max blocks 2 with error 28",
          FSD_EV_WRITE_ERROR, FSD_FS_EXT4, "dm-2", NULL, 0, -ENOSPC, NOSEC, NULL, 1, "inode 393" },
        { "EXT4-fs (loop0): mounted filesystem b9077a4d-d2c3-45d3-8164-7eb297ea78f2 r/w with ordered data mode. Quota mode: none.",
          FSD_EV_MOUNT, FSD_FS_EXT4, "loop0", NULL, 0, 0, NOSEC, NULL, 1, "b9077a4d-d2c3-45d3-8164-7eb297ea78f2" },
        { "EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)",
          FSD_EV_MOUNT, FSD_FS_EXT4, "sda1", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "EXT4-fs (loop0): unmounting filesystem b9077a4d-d2c3-45d3-8164-7eb297ea78f2.",
          FSD_EV_UNMOUNT, FSD_FS_EXT4, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        /* --- XFS --- */
        { "XFS (loop0): User initiated shutdown received.",
          FSD_EV_USER_SHUTDOWN, FSD_FS_XFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "XFS (loop0): Metadata I/O Error (0x4) detected at xfs_fs_goingdown+0x7b/0xb0 (fs/xfs/xfs_fsops.c:472).  Shutting down filesystem.",
          FSD_EV_USER_SHUTDOWN, FSD_FS_XFS, "loop0", "xfs_fs_goingdown", 472, 0, NOSEC, NULL, 1, "flags 0x4" },
        { "XFS (dm-3): Log I/O error (0x2) detected at xlog_ioend_work+0x6e/0x70 [xfs] (fs/xfs/xfs_log.c:1377).  Shutting down filesystem.",
          FSD_EV_LOG_IO_ERROR, FSD_FS_XFS, "dm-3", "xlog_ioend_work", 1377, -EIO, NOSEC, NULL, 1, NULL },
        { "XFS (sdb1): Metadata I/O Error (0x1) detected at xfs_trans_read_buf_map+0x2c1/0x330 [xfs] (fs/xfs/xfs_trans_buf.c:296).  Shutting down filesystem.",
          FSD_EV_SHUTDOWN, FSD_FS_XFS, "sdb1", "xfs_trans_read_buf_map", 296, -EIO, NOSEC, NULL, 1, NULL },
        { "XFS (sdb1): Corruption of in-memory data (0x8) detected at xfs_trans_cancel+0x12f/0x150 [xfs] (fs/xfs/xfs_trans.c:1097).  Shutting down filesystem.",
          FSD_EV_SHUTDOWN, FSD_FS_XFS, "sdb1", "xfs_trans_cancel", 1097, -EUCLEAN, NOSEC, NULL, 1, NULL },
        { "XFS (dm-0): xfs_do_force_shutdown(0x2) called from line 1196 of file fs/xfs/xfs_log.c.  Return address = 0xffffffffc04f5d33",
          FSD_EV_SHUTDOWN, FSD_FS_XFS, "dm-0", "xfs_do_force_shutdown", 1196, 0, NOSEC, NULL, 1, "flags 0x2" },
        { "XFS (dm-0): xfs_do_force_shutdown(0x8) called from line 1019 of file fs/xfs/xfs_trans.c. Return address = xfs_trans_cancel+0x10b/0x130 [xfs]",
          FSD_EV_SHUTDOWN, FSD_FS_XFS, "dm-0", "xfs_trans_cancel", 1019, 0, NOSEC, NULL, 1, NULL },
        { "XFS (dm-0): Log I/O Error Detected.  Shutting down filesystem",
          FSD_EV_LOG_IO_ERROR, FSD_FS_XFS, "dm-0", NULL, 0, -EIO, NOSEC, NULL, 1, NULL },
        { "XFS (dm-0): Corruption of in-memory data detected.  Shutting down filesystem",
          FSD_EV_SHUTDOWN, FSD_FS_XFS, "dm-0", NULL, 0, -EUCLEAN, NOSEC, NULL, 1, NULL },
        { "XFS (dm-0): Please umount the filesystem and rectify the problem(s)",
          FSD_EV_SHUTDOWN, FSD_FS_XFS, "dm-0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "XFS (sda2): Corruption detected. Unmount and run xfs_repair",
          FSD_EV_CORRUPTION, FSD_FS_XFS, "sda2", NULL, 0, -EUCLEAN, NOSEC, NULL, 1, NULL },
        { "XFS (dm-4): metadata I/O error in \"xfs_buf_ioend+0x1a0/0x4f0 [xfs]\" at daddr 0x1f4a3c8 len 8 error 5",
          FSD_EV_FS_ERROR, FSD_FS_XFS, "dm-4", "xfs_buf_ioend", 0, -EIO, 0x1f4a3c8, NULL, 1, NULL },
        { "XFS (dm-4): metadata I/O error: block 0x1f4a3c8 (\"xfs_trans_read_buf_map\") error 5 numblks 8",
          FSD_EV_FS_ERROR, FSD_FS_XFS, "dm-4", "xfs_trans_read_buf_map", 0, -EIO, 0x1f4a3c8, NULL, 1, NULL },
        { "XFS (dm-5): Corruption of in-memory data (0x8) detected at _xfs_buf_ioapply+0x5b5/0x5d0 [xfs] (fs/xfs/xfs_buf.c:1553).  Shutting down filesystem.",
          FSD_EV_SHUTDOWN, FSD_FS_XFS, "dm-5", "_xfs_buf_ioapply", 1553, -EUCLEAN, NOSEC, NULL, 1, "write verifier failed" },
        { "XFS (sdb2): xfs_do_force_shutdown(0x8) called from line 1480 of file fs/xfs/xfs_buf.c. Return address = 0000000062a1f3c0",
          FSD_EV_SHUTDOWN, FSD_FS_XFS, "sdb2", "xfs_do_force_shutdown", 1480, 0, NOSEC, NULL, 1, "write verifier failed" },
        { "XFS (sdb2): xfs_do_force_shutdown(0x1) called from line 296 of file fs/xfs/xfs_trans_buf.c. Return address = 0000000062a1f3c0",
          FSD_EV_SHUTDOWN, FSD_FS_XFS, "sdb2", "xfs_do_force_shutdown", 296, 0, NOSEC, NULL, 1, "flags 0x1 SHUTDOWN_META_IO_ERROR" },
        { "XFS (dm-11): xfs_iflush_int: Bad inode 3221594371 magic number 0x0, ptr 0x0000000085c4a1d9",
          FSD_EV_CORRUPTION, FSD_FS_XFS, "dm-11", "xfs_iflush_int", 0, -EUCLEAN, NOSEC, NULL, 1, "in-core inode failed" },
        { "XFS (sde1): xfs_iflush: detected corrupt incore inode 1183745, total extents = 9, nblocks = 4, ptr 00000000a7c3e011",
          FSD_EV_CORRUPTION, FSD_FS_XFS, "sde1", "xfs_iflush", 0, -EUCLEAN, NOSEC, NULL, 1, "in-core inode failed" },
        { "XFS (sdc): Internal error XFS_WANT_CORRUPTED_GOTO at line 1423 of file fs/xfs/libxfs/xfs_alloc.c.  Caller xfs_free_ag_extent+0x3a2/0x780 [xfs]",
          FSD_EV_CORRUPTION, FSD_FS_XFS, "sdc", "xfs_free_ag_extent", 1423, -EUCLEAN, NOSEC, NULL, 1, NULL },
        { "XFS (loop0): Mounting V5 Filesystem 36d5574c-d60e-4816-88f8-4a95da9b66b1",
          FSD_EV_MOUNT, FSD_FS_XFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, "36d5574c-d60e-4816-88f8-4a95da9b66b1" },
        { "XFS (loop0): Ending clean mount",
          FSD_EV_MOUNT, FSD_FS_XFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "XFS (loop0): Unmounting Filesystem 36d5574c-d60e-4816-88f8-4a95da9b66b1",
          FSD_EV_UNMOUNT, FSD_FS_XFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        /* --- block layer --- */
        { "critical space allocation error, dev loop0, sector 731464 op 0x1:(WRITE) flags 0x4000 phys_seg 21 prio class 2",
          FSD_EV_SPACE_ALLOC_ERROR, FSD_FS_NONE, "loop0", NULL, 0, -ENOSPC, 731464, "WRITE", 1, NULL },
        { "I/O error, dev sdb, sector 2048 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 0",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "sdb", NULL, 0, -EIO, 2048, "READ", 1, NULL },
        { "blk_update_request: I/O error, dev sdb, sector 2048 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "sdb", "blk_update_request", 0, -EIO, 2048, "WRITE", 1, NULL },
        { "blk_update_request: I/O error, dev sda, sector 123",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "sda", "blk_update_request", 0, -EIO, 123, NULL, 1, NULL },
        { "print_req_error: I/O error, dev dm-9, sector 77",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "dm-9", "print_req_error", 0, -EIO, 77, NULL, 1, NULL },
        { "print_req_error: critical space allocation error, dev dm-3, sector 4096",
          FSD_EV_SPACE_ALLOC_ERROR, FSD_FS_NONE, "dm-3", "print_req_error", 0, -ENOSPC, 4096, NULL, 1, NULL },
        { "end_request: I/O error, dev sdc, sector 99",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "sdc", "end_request", 0, -EIO, 99, NULL, 1, NULL },
        { "blk_update_request: critical medium error, dev sda, sector 1953520000 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 0",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sda", "blk_update_request", 0, -ENODATA, 1953520000, "READ", 1, NULL },
        { "critical target error, dev sdd, sector 8 op 0x3:(DISCARD) flags 0x800 phys_seg 1 prio class 0",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sdd", NULL, 0, -EREMOTEIO, 8, "DISCARD", 1, NULL },
        { "I/O error, dev vdb, sector 20971904 op 0x1:(WRITE) flags 0x800 phys_seg 16 prio class 2",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "vdb", NULL, 0, -EIO, 20971904, "WRITE", 1, "virtual disk" },
        { "blk_update_request: I/O error, dev xvda1, sector 8 op 0x1:(WRITE) flags 0x0 phys_seg 1 prio class 0",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "xvda1", NULL, 0, -EIO, 8, "WRITE", 1, "virtual disk" },
        { "timeout error, dev nvme0n1, sector 100 op 0x1:(WRITE) flags 0x0 phys_seg 1 prio class 0",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "nvme0n1", NULL, 0, -ETIMEDOUT, 100, "WRITE", 1, NULL },
        { "Buffer I/O error on dev loop0, logical block 262145, lost sync page write",
          FSD_EV_BUFFER_IO_ERROR, FSD_FS_NONE, "loop0", NULL, 0, -EIO, NOSEC, "WRITE", 1, "logical block 262145" },
        { "Buffer I/O error on dev dm-9, logical block 100, lost async page write",
          FSD_EV_BUFFER_IO_ERROR, FSD_FS_NONE, "dm-9", NULL, 0, -EIO, NOSEC, "WRITE", 1, "lost async page write" },
        { "Buffer I/O error on device loop0, logical block 63488",
          FSD_EV_BUFFER_IO_ERROR, FSD_FS_NONE, "loop0", NULL, 0, -EIO, NOSEC, NULL, 1, NULL },
        { "lost page write due to I/O error on sda1",
          FSD_EV_BUFFER_IO_ERROR, FSD_FS_NONE, "sda1", NULL, 0, -EIO, NOSEC, "WRITE", 1, NULL },
        { "blk_print_req_error: 152 callbacks suppressed",
          FSD_EV_SUPPRESSED, FSD_FS_NONE, NULL, "blk_print_req_error", 0, 0, NOSEC, NULL, 152, NULL },
        { "buffer_io_error: 48118 callbacks suppressed",
          FSD_EV_SUPPRESSED, FSD_FS_NONE, NULL, "buffer_io_error", 0, 0, NOSEC, NULL, 48118, NULL },
        { "ext4_end_bio: 7 callbacks suppressed",
          FSD_EV_SUPPRESSED, FSD_FS_EXT4, NULL, "ext4_end_bio", 0, 0, NOSEC, NULL, 7, NULL },
        /* --- devices --- */
        { "sd 0:0:0:0: [sda] tag#12 Sense Key : Medium Error [current]",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sda", NULL, 0, -ENODATA, NOSEC, NULL, 1, "scsi 0:0:0:0" },
        { "sd 0:0:0:0: [sda] tag#12 Add. Sense: Unrecovered read error",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sda", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "sd 0:0:0:0: [sda]  Sense Key : Hardware Error [current] [descriptor]",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sda", NULL, 0, -EIO, NOSEC, NULL, 1, NULL },
        { "sd 2:0:0:0: [sdb] tag#3 FAILED Result: hostbyte=DID_BAD_TARGET driverbyte=DRIVER_OK cmd_age=0s",
          FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "sdb", NULL, 0, -ENODEV, NOSEC, NULL, 1, "hostbyte=DID_BAD_TARGET" },
        { "sd 2:0:0:0: [sdb] tag#7 FAILED Result: hostbyte=DID_TIME_OUT driverbyte=DRIVER_OK cmd_age=30s",
          FSD_EV_DEVICE_RESET, FSD_FS_NONE, "sdb", NULL, 0, -ETIMEDOUT, NOSEC, NULL, 1, "hostbyte=DID_TIME_OUT" },
        { "sd 2:0:0:0: [sdb] tag#7 FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_OK cmd_age=30s",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "sdb", NULL, 0, -EIO, NOSEC, NULL, 1, "hostbyte=DID_OK" },
        { "sd 7:0:0:0: [sdc] tag#1 FAILED Result: hostbyte=DID_TRANSPORT_DISRUPTED driverbyte=DRIVER_OK",
          FSD_EV_PATH_FAILED, FSD_FS_NONE, "sdc", NULL, 0, -ENOLINK, NOSEC, NULL, 1, NULL },
        { "sd 2:0:0:0: [sdb] tag#9 timing out command, waited 180s",
          FSD_EV_DEVICE_RESET, FSD_FS_NONE, "sdb", NULL, 0, -ETIMEDOUT, NOSEC, NULL, 1, NULL },
        { "ata1.00: res 40/00:08:00:00:00/00:00:00:00:00/40 Emask 0x4 (timeout)",
          FSD_EV_DEVICE_RESET, FSD_FS_NONE, "ata1", NULL, 0, -ETIMEDOUT, NOSEC, NULL, 1, NULL },
        { "ata1.00: res 51/40:08:10:20:30/00:00:00:00:00/e0 Emask 0x9 (media error)",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "ata1", NULL, 0, -ENODATA, NOSEC, NULL, 1, NULL },
        { " connection2:0: detected conn error (1020)",
          FSD_EV_PATH_FAILED, FSD_FS_NONE, "iscsi session2", NULL, 0, -ENOTCONN, NOSEC, NULL, 1, "detected conn error (1020)" },
        { " session2: session recovery timed out after 120 secs",
          FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "iscsi session2", NULL, 0, -ENODEV, NOSEC, NULL, 1, NULL },
        { "device-mapper: multipath: queue_if_no_path timeout on 253:3, failing queued IO",
          FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "dm-3", NULL, 0, -EIO, NOSEC, NULL, 1, "no path left" },
        { "overlayfs: failed to create directory /var/lib/docker/overlay2/x/work/work (errno: 28); mounting read-only",
          FSD_EV_READ_ONLY, FSD_FS_OTHER, "overlay", "overlayfs", 0, -ENOSPC, NOSEC, NULL, 1, "/var/lib/docker/overlay2/x/work/work" },
        { "overlayfs: upper fs is r/o, try multi-lower layers mount",
          FSD_EV_READ_ONLY, FSD_FS_OTHER, "overlay", "overlayfs", 0, -EROFS, NOSEC, NULL, 1, NULL },
        { "Quota error (device sdc1): qtree_write_dquot: dquota write failed",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "sdc1", "qtree_write_dquot", 0, 0, NOSEC, NULL, 1, "quota" },
        { "__jbd2_log_wait_for_space: no way to get more journal space in sdb1-8",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "sdb1", "__jbd2_log_wait_for_space", 0, -ENOSPC, NOSEC, NULL, 1, "journal space" },
        { "jbd2_journal_bmap: journal block not found at offset 4383 on nvme0n1p2-8",
          FSD_EV_FS_ERROR, FSD_FS_EXT4, "nvme0n1p2", "jbd2_journal_bmap", 0, -EIO, NOSEC, NULL, 1, NULL },
        { "XFS (sda1): Starting recovery (logdev: internal)",
          FSD_EV_LOG_RECOVERY, FSD_FS_XFS, "sda1", NULL, 0, 0, NOSEC, NULL, 1, "log recovery" },
        { "XFS (sda1): log mount/recovery failed: error -74",
          FSD_EV_FS_ERROR, FSD_FS_XFS, "sda1", "xfs_log_mount", 0, -74, NOSEC, NULL, 1, NULL },
        { "sd 2:0:0:0: rejecting I/O to offline device",
          FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "2:0:0:0", NULL, 0, -ENODEV, NOSEC, NULL, 1, NULL },
        { "ata3.00: exception Emask 0x0 SAct 0x80000 SErr 0x0 action 0x0",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "ata3", NULL, 0, -EIO, NOSEC, NULL, 1, "Emask 0x0" },
        { "ata3.00: failed command: READ FPDMA QUEUED",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "ata3", NULL, 0, -EIO, NOSEC, "READ FPDMA QUEUED", 1, NULL },
        { "ata3: hard resetting link",
          FSD_EV_DEVICE_RESET, FSD_FS_NONE, "ata3", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "nvme nvme0: I/O 123 QID 4 timeout, reset controller",
          FSD_EV_DEVICE_RESET, FSD_FS_NONE, "nvme0", NULL, 0, -ETIMEDOUT, NOSEC, NULL, 1, NULL },
        { "nvme nvme0: Removing after probe failure status: -19",
          FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "nvme0", NULL, 0, -ENODEV, NOSEC, NULL, 1, NULL },
        { "nvme0n1: Read(0x2) @ LBA 2048, 8 blocks, Unrecovered Read Error (sct 0x2 / sc 0x81) DNR",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "nvme0n1", NULL, 0, -EIO, NOSEC, "READ", 1, "LBA 2048" },
        { "device-mapper: thin: 253:2: switching pool to out-of-data-space (error IO) mode",
          FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, "dm-2", NULL, 0, -ENOSPC, NOSEC, NULL, 1, "out-of-data-space (error IO)" },
        { "device-mapper: thin: 253:2: reached low water mark for data device: sending event.",
          FSD_EV_THIN_POOL_FULL, FSD_FS_NONE, "dm-2", NULL, 0, 0, NOSEC, NULL, 1, "low water mark" },
        { "device-mapper: multipath: 253:0: Failing path 8:16.",
          FSD_EV_PATH_FAILED, FSD_FS_NONE, "dm-0", NULL, 0, 0, NOSEC, NULL, 1, "path 8:16" },
        { "device-mapper: multipath: Failing path 65:32.",
          FSD_EV_PATH_FAILED, FSD_FS_NONE, NULL, NULL, 0, 0, NOSEC, NULL, 1, "path 65:32" },
        { "mpatha: remaining active paths: 0",
          FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "mpatha", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "md/raid1:md0: Disk failure on sdb1, disabling device.",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "md0", NULL, 0, -EIO, NOSEC, NULL, 1, "member sdb1 failed" },
        { "md/raid:md127: Cannot continue operation (2/4 failed).",
          FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "md127", NULL, 0, -EIO, NOSEC, NULL, 1, "array failed" },
        { "md/raid0md3: Disk failure on nvme1n1 detected, failing array.",
          FSD_EV_DEVICE_OFFLINE, FSD_FS_NONE, "md3", NULL, 0, -EIO, NOSEC, NULL, 1, "member nvme1n1 failed" },
        { "md/raid10:md2: Disk failure on sdc, disabling device.",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "md2", NULL, 0, -EIO, NOSEC, NULL, 1, "member sdc failed" },
        /* md healing a read (context) and failing one, 6.1 raid1.c, raid10.c, raid5.c */
        { "md/raid1:md0: read error corrected (8 sectors at 262144 on sdb1)",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "md0", NULL, 0, 0, 262144, NULL, 1, "member sdb1" },
        { "md/raid10:md2: read error corrected (8 sectors at 4096 on nvme1n1p2)",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "md2", NULL, 0, 0, 4096, NULL, 1, "member nvme1n1p2" },
        { "md/raid:md127: read error corrected (8 sectors at 1172526088 on sdc1)",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "md127", NULL, 0, 0, 1172526088, NULL, 1, "member sdc1" },
        { "md/raid:md127: read error NOT corrected!! (sector 1172526088 on sdc1).",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "md127", NULL, 0, -EIO, 1172526088, NULL, 1, "member sdc1" },
        { "md/raid:md127: read error not correctable (sector 2048 on sdd1).",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "md127", NULL, 0, -EIO, 2048, NULL, 1, "member sdd1" },
        { "md/raid1:md0: sda1: unrecoverable I/O read error for block 2097152",
          FSD_EV_DEVICE_ERROR, FSD_FS_NONE, "md0", NULL, 0, -EIO, 2097152, NULL, 1, NULL },
        /* iomap data writeback, printed with the filesystem's device: 5.5+ and 5.4 */
        { "sdb1: writeback error on inode 131, offset 0, sector 2048",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "sdb1", NULL, 0, -EIO, 2048, "WRITE", 1, "inode 131, offset 0" },
        { "dm-3: writeback error on inode 1342177411, offset 1048576, sector 5241864",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "dm-3", NULL, 0, -EIO, 5241864, "WRITE", 1, "inode 1342177411" },
        /* damaged: "sector " inside a word, nothing before it to keep (a fuzzer's find) */
        { "sdd1: writeback error on isector node 1342177412, offset 1048576, sector 5241864",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "sdd1", NULL, 0, -EIO, NOSEC, "WRITE", 1, NULL },
        { "nvme0n1p2: writeback error on sector 72178",
          FSD_EV_IO_ERROR, FSD_FS_NONE, "nvme0n1p2", NULL, 0, -EIO, 72178, "WRITE", 1, NULL },
        /* the XFS of 4.x printed it itself */
        { "XFS (dm-0): writeback error on sector 7899469",
          FSD_EV_WRITE_ERROR, FSD_FS_XFS, "dm-0", NULL, 0, 0, 7899469, "WRITE", 1, NULL },
        /* uas's SCSI error handler aborting a timed-out command names its disk */
        { "sd 6:0:0:0: [sdb] tag#5 uas_eh_abort_handler 0 uas-tag 6 inflight: CMD OUT ",
          FSD_EV_DEVICE_RESET, FSD_FS_NONE, "sdb", NULL, 0, -ETIMEDOUT, NOSEC, NULL, 1, "scsi 6:0:0:0" },
        /* --- memory --- */
        { "EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x12345)",
          FSD_EV_MEMORY_ERROR, FSD_FS_NONE, "MC0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "EDAC MC1: 1 UE memory read error on CPU_SrcID#1_Ha#0_Chan#0_DIMM#0",
          FSD_EV_MEMORY_ERROR, FSD_FS_NONE, "MC1", NULL, 0, -EIO, NOSEC, NULL, 1, NULL },
        { "mce: [Hardware Error]: Machine check events logged",
          FSD_EV_MEMORY_ERROR, FSD_FS_NONE, NULL, NULL, 0, 0, NOSEC, NULL, 1, NULL },
        { "[Hardware Error]: Machine check events logged",
          FSD_EV_MEMORY_ERROR, FSD_FS_NONE, NULL, NULL, 0, 0, NOSEC, NULL, 1, NULL },
        /* printk caller id left in the text */
        { "[  T4553] BTRFS info (device loop0): forced readonly",
          FSD_EV_READ_ONLY, FSD_FS_BTRFS, "loop0", NULL, 0, 0, NOSEC, NULL, 1, NULL },
};

static const char *const not_events[] = {
        /* USB lines without the attach lines that tie the port to a disk: no event */
        "usb 2-1: USB disconnect, device number 3",
        "usb 2-1: reset high-speed USB device number 3 using xhci_hcd",
        "usb 1-4: new full-speed USB device number 3 using xhci_hcd",
        "usb-storage 2-1:1.0: USB Mass Storage device detected",
        "md/raid1:md0: redirecting sector 2048 to other mirror: sdb1",
        "sdb1: writeback error",
        "eth0: link up, sector 5",
        "md/raid1:md0: Operation continuing on 1 devices.",
        "md/raid:md127: device sdc1 operational as raid disk 2",
        "md/raid1:",
        "loop0: detected capacity change from 0 to 4194304",
        "BTRFS info (device loop0): using crc32c (crc32c-lib) checksum algorithm",
        "BTRFS info (device loop0): checking UUID tree",
        "BTRFS info (device loop0): enabling ssd optimizations",
        "BTRFS info (device loop0): turning on async discard",
        "BTRFS info (device dm-9): disk space caching is enabled",
        "BTRFS info (device sdb): balance: ended with status: 0",
        "btrfs: disk space caching is enabled",
        "EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro",
        /* printed while probing the root filesystem's type by kernels before 4.x, every boot */
        "EXT4-fs (sda1): couldn't mount as ext3 due to feature incompatibilities",
        "EXT4-fs (sda1): couldn't mount as ext2 due to feature incompatibilities",
        "XFS (sda1): Ending recovery (logdev: internal)",
        "EXT4-fs (sda1): mounting ext3 file system using the ext4 subsystem",
        "EXT4-fs (dm-0): error count since last fsck: 5",
        "EXT4-fs: Warning: mounting with data=journal disables delayed allocation",
        "XFS (sda2): Torn write (CRC failure) detected at log block 0x3a1c0. Truncating head block from 0x3a1d8.",
        "__jbd2_log_wait_for_space: needed 8192 blocks and only had 4096 space available",
        "usb 2-1: USB disconnect, device number 3",
        "overlayfs: upper fs does not support tmpfile.",
        "XFS (sda1): Quotacheck needed: Please wait.",
        "RIP: 0010:__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]",
        "WARNING: CPU: 42 PID: 460094 at fs/btrfs/extent-tree.c:6805 __btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]",
        " __btrfs_run_delayed_refs+0x4f8/0x1150 [btrfs]",
        "Call Trace:",
        "CPU: 42 PID: 460094 Comm: httpWorkerThrea Kdump: loaded Tainted: G        W         4.19.90-17.ky10.x86_64 #1",
        "net_ratelimit: 3 callbacks suppressed",
        "sd 0:0:0:0: [sda] Attached SCSI disk",
        "sd 0:0:0:0: [sda] tag#0 Sense Key : Unit Attention [current]",
        "sd 0:0:0:0: [sda] tag#0 Add. Sense: Power on, reset, or bus device reset occurred",
        "ata1: SATA link up 6.0 Gbps (SStatus 133 SControl 300)",
        "nvme nvme0: 8/0/0 default/read/poll queues",
        "device-mapper: uevent: version 1.0.3",
        "device-mapper: thin: 253:2: switching pool to write mode",
        "EDAC MC: Ver: 3.0.0",
        "clocksource: Switched to clocksource tsc",
        "Initializing cgroup subsys cpuset",
        "critical",
        "I/O scheduler mq-deadline registered",
        "intel_pstate: Intel P-state driver initializing",
        "",
};

static struct fsd_event parse_line(const char *line, int *ret) {
        struct fsd_record rec = { .text = line, .len = strlen(line), .line = 7, .mono_usec = 42, .wall_usec = -1,
                                  .origin = "test" };
        static struct event_scratch sc;
        struct fsd_event ev = { 0 };
        /* each line stands alone: no disk an earlier line tied to a SCSI address or USB port */
        sc.n_scsi_disks = sc.n_usb = 0;
        *ret = event_parse(&rec, &sc, &ev);
        return ev;
}

/* libata-eh.c prints "cmd ..." and "res ... Emask 0x4 (timeout)" as one message with a newline:
 * the "res" line, logged indented and without its device, is the device's of the line before;
 * and where the log kept both on one line, the "res" half is read. */
static void test_ata_res_line(void **state) {
        (void) state;
        struct event_scratch sc = { 0 };
        struct fsd_event ev;
        const char *cmd = "ata3.00: cmd 61/00:60:00:a8:12/04:00:2b:00:00/40 tag 12 ncq dma 524288 out";
        const char *res = "                        res 40/00:ff:00:00:00/00:00:00:00:00/00 Emask 0x4 (timeout)";
        struct fsd_record r1 = { .text = cmd, .len = strlen(cmd), .line = 3, .mono_usec = 1, .wall_usec = -1 };
        struct fsd_record r2 = { .text = res, .len = strlen(res), .line = 4, .mono_usec = 1, .wall_usec = -1 };
        assert_int_equal(event_parse(&r1, &sc, &ev), 0);
        assert_int_equal(event_parse(&r2, &sc, &ev), 1);
        assert_int_equal(ev.kind, FSD_EV_DEVICE_RESET);
        assert_string_equal(ev.device, "ata3");
        assert_string_equal(ev.error_text, "timeout");
        /* the event quotes the line as logged */
        assert_string_equal(ev.text, res + 24);
        /* not right after a "cmd" line: an indented line like any other */
        r2.line = 9;
        assert_int_equal(event_parse(&r1, &sc, &ev), 0);
        assert_int_equal(event_parse(&r2, &sc, &ev), 0);
        /* both halves on one line */
        char joined[256];
        snprintf(joined, sizeof joined, "%s %s", cmd, res + 24);
        struct fsd_record r3 = { .text = joined, .len = strlen(joined), .line = 5, .mono_usec = 1, .wall_usec = -1 };
        assert_int_equal(event_parse(&r3, &sc, &ev), 1);
        assert_int_equal(ev.kind, FSD_EV_DEVICE_RESET);
        assert_string_equal(ev.device, "ata3");
}

static int parse_at(struct event_scratch *sc, const char *line, const char *host, struct fsd_event *ev) {
        static uint64_t n;
        struct fsd_record rec = { .text = line, .len = strlen(line), .line = ++n, .mono_usec = 42, .wall_usec = -1,
                                  .origin = "test", .host = host };
        *ev = (struct fsd_event) { 0 };
        return event_parse(&rec, sc, ev);
}

/* USB storage: the port's events are its disk's only when "scsi hostN: usb-storage PORT" and
 * "sd N:0:0:0: [sdX]" tie them, per host of the log; uas names no port; a reused host number
 * starts over; a card reader's host with several disks is no one disk's. */
static void test_usb_chain(void **state) {
        (void) state;
        struct event_scratch sc = { 0 };
        struct fsd_event ev;
        assert_int_equal(parse_at(&sc, "scsi host6: usb-storage 2-1:1.0", "a", &ev), 0);
        /* the host is known, its disk not yet */
        assert_int_equal(parse_at(&sc, "usb 2-1: USB disconnect, device number 2", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "sd 6:0:0:0: [sdb] Attached SCSI disk", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "usb 2-1: reset SuperSpeed USB device number 2 using xhci_hcd", "a", &ev), 1);
        assert_int_equal(ev.kind, FSD_EV_DEVICE_RESET);
        assert_string_equal(ev.device, "sdb");
        assert_non_null(strstr(ev.detail, "usb 2-1"));
        assert_false(event_is_context(&ev));
        assert_int_equal(parse_at(&sc, "usb 2-1: USB disconnect, device number 2", "a", &ev), 1);
        assert_int_equal(ev.kind, FSD_EV_DEVICE_OFFLINE);
        assert_string_equal(ev.device, "sdb");
        assert_string_equal(ev.error_text, EVENT_CONTEXT_USB_DISCONNECT);
        assert_true(event_is_context(&ev));
        /* "scsi 6:0:0:0: ..." names sdb's address */
        assert_int_equal(parse_at(&sc, "scsi 6:0:0:0: rejecting I/O to dead device", "a", &ev), 1);
        assert_string_equal(ev.device, "sdb");
        assert_false(event_is_context(&ev));
        /* another host of a multi-host log: its port 2-1 and host 6 are not these */
        assert_int_equal(parse_at(&sc, "usb 2-1: USB disconnect, device number 2", "b", &ev), 0);
        assert_int_equal(parse_at(&sc, "scsi 6:0:0:0: rejecting I/O to dead device", "b", &ev), 1);
        assert_string_equal(ev.device, "6:0:0:0");
        /* another port, never tied */
        assert_int_equal(parse_at(&sc, "usb 2-2: USB disconnect, device number 4", "a", &ev), 0);
        /* uas: a host without a port; its disk's lines still name it, the hub's lines cannot */
        assert_int_equal(parse_at(&sc, "scsi host7: uas", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "sd 7:0:0:0: [sdc] Attached SCSI disk", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "scsi host7: uas_eh_device_reset_handler start", "a", &ev), 1);
        assert_int_equal(ev.kind, FSD_EV_DEVICE_RESET);
        assert_string_equal(ev.device, "sdc");
        assert_int_equal(parse_at(&sc, "scsi host7: uas_eh_device_reset_handler success", "a", &ev), 0);
        /* host 6 reused by the next device, on port 1-3: port 2-1 has no disk any more */
        assert_int_equal(parse_at(&sc, "scsi host6: usb-storage 1-3:1.0", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "usb 2-1: USB disconnect, device number 2", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "sd 6:0:0:0: [sdd] Attached SCSI disk", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "usb 1-3: USB disconnect, device number 5", "a", &ev), 1);
        assert_string_equal(ev.device, "sdd");
        /* a card reader: two LUNs, two disks on one host; the port is no one disk's */
        assert_int_equal(parse_at(&sc, "scsi host8: usb-storage 1-5:1.0", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "sd 8:0:0:0: [sde] Attached SCSI removable disk", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "sd 8:0:0:1: [sdf] Attached SCSI removable disk", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "usb 1-5: USB disconnect, device number 6", "a", &ev), 0);
        /* more hosts than the table holds: the oldest goes, nothing overflows */
        char line[96];
        for (unsigned h = 20; h < 60; h++) {
                snprintf(line, sizeof line, "scsi host%u: usb-storage 3-%u:1.0", h, h);
                assert_int_equal(parse_at(&sc, line, "a", &ev), 0);
                snprintf(line, sizeof line, "sd %u:0:0:0: [sdz%c] Attached SCSI disk", h, 'a' + h % 26);
                assert_int_equal(parse_at(&sc, line, "a", &ev), 0);
        }
        assert_true(sc.n_usb <= sizeof sc.usb / sizeof sc.usb[0]);
        assert_int_equal(parse_at(&sc, "usb 3-59: USB disconnect, device number 9", "a", &ev), 1);
        assert_int_equal(parse_at(&sc, "usb 3-20: USB disconnect, device number 9", "a", &ev), 0);
        /* hostile: over-long port, host number and names */
        assert_int_equal(parse_at(&sc, "scsi host99999999999999999999: usb-storage 1-1:1.0", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "scsi host9: usb-storage 1-1.2.3.4.5.6.7.8.9.10.11.12.13:1.0", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "usb 1-1.2.3.4.5.6.7.8.9.10.11.12.13: USB disconnect, device number 1", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "scsi host9: usb-storage 1-1", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "scsi host9:", "a", &ev), 0);
        /* the older kernels' form of the host line, "scsi%d : %s" */
        assert_int_equal(parse_at(&sc, "scsi12 : usb-storage 4-1:1.0", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "sd 12:0:0:0: [sdh] Attached SCSI disk", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "usb 4-1: USB disconnect, device number 7", "a", &ev), 1);
        assert_string_equal(ev.device, "sdh");
        assert_int_equal(parse_at(&sc, "scsi12 :", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "scsi1", "a", &ev), 0);
        /* any SCSI disk: "sd 2:0:0:0: [sda]" ties the address, the midlayer's line names only it */
        assert_int_equal(parse_at(&sc, "sd 2:0:0:0: [sda] Attached SCSI disk", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "scsi 2:0:0:0: rejecting I/O to offline device", "a", &ev), 1);
        assert_string_equal(ev.device, "sda");
        assert_non_null(strstr(ev.detail, "scsi 2:0:0:0"));
        /* the address reused by another disk after a removal: the newest line wins */
        assert_int_equal(parse_at(&sc, "sd 2:0:0:0: [sdg] Attached SCSI disk", "a", &ev), 0);
        assert_int_equal(parse_at(&sc, "scsi 2:0:0:0: rejecting I/O to offline device", "a", &ev), 1);
        assert_string_equal(ev.device, "sdg");
        assert_int_equal(parse_at(&sc, "scsi 2:0:0:0: rejecting I/O to offline device", "b", &ev), 1);
        assert_string_equal(ev.device, "2:0:0:0");
        for (unsigned h = 0; h < 100; h++) {
                snprintf(line, sizeof line, "sd %u:0:0:0: [sdq] Write Protect is off", h);
                assert_int_equal(parse_at(&sc, line, "a", &ev), 0);
        }
        assert_true(sc.n_scsi_disks <= sizeof sc.scsi_disks / sizeof sc.scsi_disks[0]);
        /* md's healed read is context too; its failures are not */
        assert_int_equal(parse_at(&sc, "md/raid1:md0: read error corrected (8 sectors at 2048 on sdb1)", "a", &ev), 1);
        assert_true(event_is_context(&ev));
        assert_int_equal(parse_at(&sc, "md/raid:md127: read error NOT corrected!! (sector 2048 on sdc1).", "a", &ev), 1);
        assert_false(event_is_context(&ev));
}

static void test_table(void **state) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                const struct expect *x = &cases[i];
                int r;
                struct fsd_event ev = parse_line(x->line, &r);
                if (r != 1)
                        fail_msg("not parsed: %s", x->line);
                if (ev.kind != x->kind)
                        fail_msg("kind %s, want %s: %s", fsd_event_kind_name(ev.kind), fsd_event_kind_name(x->kind), x->line);
                if (ev.fs != x->fs)
                        fail_msg("fs %s, want %s: %s", fsd_fs_type_name(ev.fs), fsd_fs_type_name(x->fs), x->line);
                if (x->device ? !ev.device || strcmp(ev.device, x->device) != 0 : ev.device != NULL)
                        fail_msg("device '%s', want '%s': %s", ev.device ? ev.device : "(null)",
                                 x->device ? x->device : "(null)", x->line);
                if (x->function && (!ev.function || strcmp(ev.function, x->function) != 0))
                        fail_msg("function '%s', want '%s': %s", ev.function ? ev.function : "(null)", x->function, x->line);
                if (ev.src_line != x->src_line)
                        fail_msg("src_line %d, want %d: %s", ev.src_line, x->src_line, x->line);
                if (ev.error != x->error)
                        fail_msg("error %d, want %d: %s", ev.error, x->error, x->line);
                if (ev.sector != x->sector)
                        fail_msg("sector %llu, want %llu: %s", (unsigned long long) ev.sector,
                                 (unsigned long long) x->sector, x->line);
                if (x->op && (!ev.op || strcmp(ev.op, x->op) != 0))
                        fail_msg("op '%s', want '%s': %s", ev.op ? ev.op : "(null)", x->op, x->line);
                if (ev.count != x->count)
                        fail_msg("count %llu, want %llu: %s", (unsigned long long) ev.count,
                                 (unsigned long long) x->count, x->line);
                if (x->detail_has && (!ev.detail || !strstr(ev.detail, x->detail_has)))
                        fail_msg("detail '%s' lacks '%s': %s", ev.detail ? ev.detail : "(null)", x->detail_has, x->line);
                assert_non_null(ev.text);
                assert_null(strchr(ev.text, '\n'));
                assert_int_equal(ev.line, 7);
                assert_int_equal(ev.mono_usec, 42);
                assert_string_equal(ev.origin, "test");
        }
}

static void test_not_events(void **state) {
        for (size_t i = 0; i < sizeof not_events / sizeof not_events[0]; i++) {
                int r;
                struct fsd_event ev = parse_line(not_events[i], &r);
                if (r != 0)
                        fail_msg("parsed as %s: %s", fsd_event_kind_name(ev.kind), not_events[i]);
        }
}

/* Long fields are cut to the scratch sizes, never overflow, and the text is NUL-terminated. */
static void test_limits(void **state) {
        char line[4096];
        int n = snprintf(line, sizeof line, "BTRFS: error (device %0300d) in %0500d:12: errno=-5 %01000d", 1, 2, 3);
        assert_true(n > 0 && (size_t) n < sizeof line);
        int r;
        struct fsd_event ev = parse_line(line, &r);
        assert_int_equal(r, 1);
        assert_true(strlen(ev.device) < sizeof ((struct event_scratch *) 0)->device);
        assert_true(strlen(ev.function) < sizeof ((struct event_scratch *) 0)->function);
        assert_true(strlen(ev.text) < sizeof ((struct event_scratch *) 0)->text);
        assert_int_equal(ev.src_line, 12);

        /* a record not NUL-terminated: the parser must not read past len */
        char buf[64];
        memcpy(buf, "critical space allocation error, dev loop0, sector 5XXXXXXXXXXXXX", 64);
        struct fsd_record rec = { .text = buf, .len = 52 };
        static struct event_scratch sc;
        assert_int_equal(event_parse(&rec, &sc, &ev), 1);
        assert_int_equal(ev.sector, 5);

        struct fsd_record empty = { .text = "", .len = 0 };
        assert_int_equal(event_parse(&empty, &sc, &ev), 0);
        assert_int_equal(event_parse(NULL, &sc, &ev), 0);
}

static void test_names(void **state) {
        for (int k = 0; k < _FSD_EV_MAX; k++) {
                const char *name = fsd_event_kind_name(k);
                assert_non_null(name);
                if (k > 0)
                        assert_string_not_equal(name, "unknown");
                for (int j = 0; j < k; j++)
                        assert_string_not_equal(name, fsd_event_kind_name(j));
        }
        assert_string_equal(fsd_event_kind_name(_FSD_EV_MAX), "unknown");
        assert_string_equal(fsd_event_kind_name(-1), "unknown");
        assert_string_equal(fsd_fs_type_name(FSD_FS_BTRFS), "btrfs");
        assert_string_equal(fsd_fs_type_name(FSD_FS_XFS), "xfs");
        assert_string_equal(fsd_fs_type_name(_FSD_FS_MAX), "unknown");
}

/* The lab captures: message text after the "[ uptime] " stamp. */
struct tally {
        unsigned kinds[_FSD_EV_MAX];
        unsigned events, lines;
};

static int tally_file(const char *path, struct tally *t) {
        FILE *f = fopen(path, "re");
        if (!f)
                return -1;
        char line[4096];
        static struct event_scratch sc;
        while (fgets(line, sizeof line, f)) {
                size_t n = strcspn(line, "\n");
                line[n] = '\0';
                char *text = line;
                char *k = strstr(text, "kernel: ");
                if (k)
                        text = k + 8;
                if (*text == '[') {
                        char *e = strchr(text, ']');
                        if (e)
                                text = e + 2 <= line + n ? e + 2 : e + 1;
                }
                struct fsd_record rec = { .text = text, .len = strlen(text) };
                struct fsd_event ev;
                t->lines++;
                if (event_parse(&rec, &sc, &ev) == 1) {
                        t->events++;
                        t->kinds[ev.kind]++;
                }
        }
        fclose(f);
        return 0;
}

static const char *shared_dir(void) {
        const char *d = getenv("FSD_SHARED_DIR");
        return d && *d ? d : NULL;
}

static void test_lab_btrfs(void **state) {
        char path[4096];
        struct tally t = { 0 };
        if (!shared_dir())
                skip();
        snprintf(path, sizeof path, "%s/corpus/lab-6.18-btrfs-thin-exhausted.dmesg", shared_dir());
        if (tally_file(path, &t) < 0)
                skip();
        assert_int_equal(t.kinds[FSD_EV_SPACE_ALLOC_ERROR], 10);
        assert_int_equal(t.kinds[FSD_EV_SUPPRESSED], 1);
        assert_int_equal(t.kinds[FSD_EV_FS_ERROR], 2);
        assert_int_equal(t.kinds[FSD_EV_READ_ONLY], 1);
        assert_int_equal(t.kinds[FSD_EV_COMMIT_SKIPPED], 1);
        assert_int_equal(t.kinds[FSD_EV_TRANSACTION_ABORT], 1);
        assert_int_equal(t.kinds[FSD_EV_MOUNT], 2);
        assert_int_equal(t.events, 18);
}

static void test_lab_ext4(void **state) {
        char path[4096];
        struct tally t = { 0 };
        if (!shared_dir())
                skip();
        snprintf(path, sizeof path, "%s/corpus/lab-6.18-ext4-thin-exhausted.dmesg", shared_dir());
        if (tally_file(path, &t) < 0)
                skip();
        assert_int_equal(t.kinds[FSD_EV_MOUNT], 1);
        assert_int_equal(t.kinds[FSD_EV_WRITE_ERROR], 19);
        assert_int_equal(t.kinds[FSD_EV_BUFFER_IO_ERROR], 11);
        assert_int_equal(t.kinds[FSD_EV_SUPPRESSED], 1);
        assert_int_equal(t.kinds[FSD_EV_TRANSACTION_ABORT], 2);
        assert_int_equal(t.events, 34);
}

static void test_lab_xfs(void **state) {
        char path[4096];
        struct tally t = { 0 };
        if (!shared_dir())
                skip();
        snprintf(path, sizeof path, "%s/corpus/lab-6.18-xfs-user-shutdown.dmesg", shared_dir());
        if (tally_file(path, &t) < 0)
                skip();
        assert_int_equal(t.kinds[FSD_EV_MOUNT], 2);
        assert_int_equal(t.kinds[FSD_EV_USER_SHUTDOWN], 2);
        assert_int_equal(t.kinds[FSD_EV_SHUTDOWN], 1);
        assert_int_equal(t.events, 5);
}

static void test_seed(void **state) {
        char path[4096];
        struct tally t = { 0 };
        if (!shared_dir())
                skip();
        snprintf(path, sizeof path, "%s/corpus/seed-kylin-4.19.90-btrfs-enospc.log", shared_dir());
        if (tally_file(path, &t) < 0)
                skip();
        /* two errno=-28 errors and the forced readonly; none of the report lines */
        assert_int_equal(t.kinds[FSD_EV_FS_ERROR], 2);
        assert_int_equal(t.kinds[FSD_EV_READ_ONLY], 1);
        assert_int_equal(t.events, 3);
}

/* Without arguments: the table tests. With "corpus": the lab captures under $FSD_SHARED_DIR, exit 77
 * (skip) when that folder is absent. */
int main(int argc, char **argv) {
        const struct CMUnitTest table_tests[] = {
                cmocka_unit_test(test_ata_res_line),
                cmocka_unit_test(test_table),
                cmocka_unit_test(test_usb_chain),
                cmocka_unit_test(test_not_events),
                cmocka_unit_test(test_limits),
                cmocka_unit_test(test_names),
        };
        const struct CMUnitTest corpus_tests[] = {
                cmocka_unit_test(test_lab_btrfs),
                cmocka_unit_test(test_lab_ext4),
                cmocka_unit_test(test_lab_xfs),
                cmocka_unit_test(test_seed),
        };
        if (argc > 1 && strcmp(argv[1], "corpus") == 0) {
                char probe[4096];
                snprintf(probe, sizeof probe, "%s/corpus/README.md", shared_dir() ? shared_dir() : "/nonexistent");
                if (access(probe, R_OK) < 0)
                        return 77;
                return cmocka_run_group_tests(corpus_tests, NULL, NULL);
        }
        return cmocka_run_group_tests(table_tests, NULL, NULL);
}
