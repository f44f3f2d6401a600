/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logs as people paste them (lib/log/paste.c, parse.c): quoting, indent, non-breaking spaces,
 * syslog without a host, dmesg -H, lines wrapped by a mail client; and the year of year-less
 * stamps (source.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "fsdoctor.h"
#include "log/log-internal.h"

#define MAX_RECS 32

struct rec {
        char text[512];
        char host[64];
        uint64_t line;
        int64_t mono, wall;
        bool wall_no_year;
        enum fsd_log_format format;
};

struct result {
        struct rec r[MAX_RECS];
        size_t n;
        struct fsd_source_stats st;
};

static void read_opts(const char *text, const struct fsd_source_opts *o, struct result *res) {
        struct fsd_source *s = NULL;
        assert_int_equal(log_source_open_memory(text, strlen(text), o, &s), 0);
        struct fsd_record rec;
        int r;
        res->n = 0;
        while ((r = fsd_source_next(s, &rec)) > 0) {
                for (size_t i = 0; i < rec.len; i++)
                        assert_false((unsigned char) rec.text[i] < 0x20 && rec.text[i] != '\t');
                if (res->n < MAX_RECS) {
                        struct rec *d = &res->r[res->n];
                        snprintf(d->text, sizeof d->text, "%.*s", (int) rec.len, rec.text);
                        snprintf(d->host, sizeof d->host, "%s", rec.host ? rec.host : "");
                        d->line = rec.line;
                        d->mono = rec.mono_usec;
                        d->wall = rec.wall_usec;
                        d->wall_no_year = rec.wall_no_year;
                        d->format = rec.format;
                }
                res->n++;
        }
        assert_int_equal(r, 0);
        fsd_source_get_stats(s, &res->st);
        fsd_source_free(s);
}

static void read_text(const char *text, struct result *res) {
        FSD_OPTS(fsd_source_opts, o, .year = 2020);
        read_opts(text, &o, res);
}

static int64_t utc(int y, int mo, int d, int h, int mi, int s) {
        return log_civil_to_usec(y, (unsigned) mo, (unsigned) d, (unsigned) h, (unsigned) mi, (unsigned) s);
}

static void test_syslog_without_host(void **state) {
        (void) state;
        struct result res;
        read_text("Mar  3 04:10:55  kernel: BTRFS error (device sda): empty host field\n"
                  "Mar  3 04:10:56 kernel: [  12.500000] no host field at all\n"
                  "Mar  3 04:10:57 myhost sshd[1]: not the kernel\n"
                  "kernel: XFS (sdb1): a bare kernel prefix\n", &res);
        assert_int_equal(res.n, 3);
        assert_string_equal(res.r[0].text, "BTRFS error (device sda): empty host field");
        assert_string_equal(res.r[0].host, "");
        assert_int_equal(res.r[0].wall, utc(2020, 3, 3, 4, 10, 55));
        assert_string_equal(res.r[1].text, "no host field at all");
        assert_int_equal(res.r[1].mono, 12500000);
        assert_string_equal(res.r[2].text, "XFS (sdb1): a bare kernel prefix");
        assert_int_equal(res.st.not_kernel, 1);
        assert_int_equal(res.st.unprefixed, 0);
}

static void test_quoting_indent_nbsp(void **state) {
        (void) state;
        struct result res;
        read_text("> [   12.345678] BTRFS error (device sda): quoted once\n"
                  ">> Mar  3 04:10:55 host kernel: quoted twice\n"
                  "> > [   13.000000] quoted with blanks\n"
                  "    EXT4-fs error (device sda1): ext4_lookup:1701: indented paste\n"
                  "      ? frame_indented_by_the_kernel+0x1/0x2\n"
                  "Mar\xc2\xa0 3 04:10:58 host kernel: utf-8 nbsp\n"
                  "Mar\xa0 3 04:10:59 host kernel: latin-1 nbsp\n"
                  "[86348.556281]\xc2\xa0  btrfs_commit_transaction+0x60/0xa00\n"
                  "[86348.556282] \xe5\xa0\x86 utf-8 whose bytes hold 0xa0\n", &res);
        assert_int_equal(res.n, 9);
        assert_int_equal(res.r[0].format, FSD_FORMAT_DMESG);
        assert_int_equal(res.r[0].mono, 12345678);
        assert_string_equal(res.r[0].text, "BTRFS error (device sda): quoted once");
        assert_int_equal(res.r[1].format, FSD_FORMAT_SYSLOG);
        assert_string_equal(res.r[1].host, "host");
        assert_string_equal(res.r[1].text, "quoted twice");
        assert_int_equal(res.r[2].mono, 13000000);
        /* the paste's 4 blanks go, the kernel's own 2 stay */
        assert_string_equal(res.r[3].text, "EXT4-fs error (device sda1): ext4_lookup:1701: indented paste");
        assert_string_equal(res.r[4].text, "  ? frame_indented_by_the_kernel+0x1/0x2");
        assert_string_equal(res.r[5].text, "utf-8 nbsp");
        assert_int_equal(res.r[5].wall, utc(2020, 3, 3, 4, 10, 58));
        assert_string_equal(res.r[6].text, "latin-1 nbsp");
        /* after a dmesg stamp: the frame's indent, the nbsp's space and the kernel's two */
        assert_string_equal(res.r[7].text, "  btrfs_commit_transaction+0x60/0xa00");
        /* a character whose UTF-8 holds the byte 0xa0 is no non-breaking space */
        assert_string_equal(res.r[8].text, "\xe5\xa0\x86 utf-8 whose bytes hold 0xa0");
}

static void test_dmesg_human(void **state) {
        (void) state;
        struct result res;
        FSD_OPTS(fsd_source_opts, o, .reference_usec = utc(2021, 6, 1, 0, 0, 0));
        read_opts("[  +0.000001] no absolute stamp yet\n"
                  "[Oct10 03:39] ------------[ cut here ]------------\n"
                  "[ +0,000065] comma fraction\n"
                  "[\xc2\xa0 +1.500000] nbsp in the padding\n"
                  "[Jan 7 21:02] one-digit day\n", &o, &res);
        assert_int_equal(res.n, 5);
        assert_int_equal(res.r[0].format, FSD_FORMAT_DMESG_HUMAN);
        assert_int_equal(res.r[0].wall, -1);
        /* October after the reference (June 2021): the year before */
        assert_int_equal(res.r[1].wall, utc(2020, 10, 10, 3, 39, 0));
        assert_true(res.r[1].wall_no_year);
        assert_int_equal(res.r[2].wall, utc(2020, 10, 10, 3, 39, 0) + 65);
        assert_true(res.r[2].wall_no_year);
        assert_string_equal(res.r[3].text, "nbsp in the padding");
        assert_int_equal(res.r[3].wall, utc(2020, 10, 10, 3, 39, 1) + 500065);
        /* Oct -> Jan rolls the year over */
        assert_int_equal(res.r[4].wall, utc(2021, 1, 7, 21, 2, 0));
}

/* journalctl and syslog daemons print the month in the host's language (glibc's %b) */
static void test_localized_months(void **state) {
        (void) state;
        static const struct {
                const char *line;
                int month;       /* 1..12; 0: not a syslog line */
        } cases[] = {
                { "\xd1\x8f\xd0\xbd\xd0\xb2 03 10:00:03 host kernel: ru\n", 1 },
                { "M\xc3\xa4r  3 10:00:03 host kernel: de\n", 3 },
                { "mai 03 10:00:03 host kernel: nb, de, pt\n", 5 },
                { "MAY 03 10:00:03 host kernel: English in capitals\n", 5 },
                { "d\xc3\xa9" "c. 03 10:00:03 host kernel: fr\n", 12 },
                { "12\xe6\x9c\x88 03 10:00:03 host kernel: zh\n", 12 },
                { "7\xec\x9b\x94 03 10:00:03 host kernel: ko\n", 7 },
                { "13\xe6\x9c\x88 03 10:00:03 host kernel: no thirteenth month\n", 0 },
                { "foo 03 10:00:03 host kernel: no month\n", 0 },
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
                struct result res;
                FSD_OPTS(fsd_source_opts, o, .reference_usec = utc(2021, 12, 31, 0, 0, 0));
                read_opts(cases[i].line, &o, &res);
                if (cases[i].month == 0) {
                        assert_true(res.n == 0 || res.r[0].wall == -1);
                        continue;
                }
                assert_int_equal(res.n, 1);
                assert_int_equal(res.r[0].wall, utc(2021, cases[i].month, 3, 10, 0, 3));
                assert_true(res.r[0].wall_no_year);
                assert_string_equal(res.r[0].host, "host");
        }
}

static void test_wrapped_lines(void **state) {
        (void) state;
        struct result res;
        read_text("[   17.532015] BTRFS error (device bcache8): tree level mismatch\n"
                  "detected, bytenr=2637368885248 level expected=1 has=0\n"
                  "[   17.532016] WARNING: CPU: 12 PID: 849 at fs/btrfs/extent-tree.c:6973 \n"
                  "__btrfs_free_extent.isra.71+0x845/0xda0 [btrfs]\n"
                  "[   17.532017] RIP:\n"
                  "0010:btrfs_create_pending_block_groups+0x1db/0x230 [btrfs]\n"
                  "[   17.532018] Modules linked in: rbd libceph dns_resolver dm_mod \n"
                  "vhost_net vhost macvtap macvlan ipt_REJECT nf_reject_ipv4 tun bridge stp \n"
                  "llc devlink\n"
                  "[   17.532019] a short complete line\n"
                  "an unstamped line after it\n"
                  "[   17.532020] BTRFS info (device sda): a long line that is complete as it is\n"
                  "BTRFS error (device sdb): a message of its own, pasted without a stamp\n"
                  "[   17.532021] WARNING: CPU: 10 PID: 937 at\n"
                  "fs/btrfs/extent-tree.c:3092 __btrfs_free_extent+0x68e/0x1130\n", &res);
        assert_string_equal(res.r[0].text, "BTRFS error (device bcache8): tree level mismatch detected, "
                                           "bytenr=2637368885248 level expected=1 has=0");
        assert_int_equal(res.r[0].line, 1);
        assert_string_equal(res.r[1].text, "WARNING: CPU: 12 PID: 849 at fs/btrfs/extent-tree.c:6973 "
                                           "__btrfs_free_extent.isra.71+0x845/0xda0 [btrfs]");
        assert_int_equal(res.r[1].line, 3);
        assert_string_equal(res.r[2].text, "RIP: 0010:btrfs_create_pending_block_groups+0x1db/0x230 [btrfs]");
        assert_string_equal(res.r[3].text, "Modules linked in: rbd libceph dns_resolver dm_mod vhost_net vhost "
                                           "macvtap macvlan ipt_REJECT nf_reject_ipv4 tun bridge stp llc devlink");
        assert_string_equal(res.r[4].text, "a short complete line");
        assert_string_equal(res.r[5].text, "an unstamped line after it");
        assert_int_equal(res.r[5].line, 11);
        assert_string_equal(res.r[6].text, "BTRFS info (device sda): a long line that is complete as it is");
        assert_string_equal(res.r[7].text, "BTRFS error (device sdb): a message of its own, pasted without a stamp");
        assert_int_equal(res.r[7].line, 13);
        /* cut after a preposition, where no message ends, and before a path that did not fit */
        assert_string_equal(res.r[8].text, "WARNING: CPU: 10 PID: 937 at fs/btrfs/extent-tree.c:3092 "
                                           "__btrfs_free_extent+0x68e/0x1130");
        assert_int_equal(res.n, 9);
        assert_int_equal(res.st.joined, 6);
        assert_int_equal(res.st.lines, 15);
}

static void test_wrapped_syslog_and_console(void **state) {
        (void) state;
        struct result res;
        read_text("Jan  1 06:41:45 black kernel: [1930660.938782] BTRFS info (device sdc3):\n"
                  "scrub: started on devid 1\n"
                  "Jan  1 06:41:45 black kernel: [1930661.475826]\n"
                  "__btrfs_end_transaction+0x3f/0x1b0 [btrfs]\n"
                  "Jan  1 06:41:46 black sshd[12]: Accepted publickey for someone from 192.0.2.1\n"
                  "port 22 ssh2: a program's line is not joined to\n", &res);
        assert_int_equal(res.n, 2);
        assert_string_equal(res.r[0].text, "BTRFS info (device sdc3): scrub: started on devid 1");
        assert_string_equal(res.r[1].text, "__btrfs_end_transaction+0x3f/0x1b0 [btrfs]");
        assert_int_equal(res.st.not_kernel, 2);

        read_text("EXT4-fs error (device sda3): ext4_lookup:1701: inode #4253945: comm find:\n"
                  "casefold flag without casefold feature\n"
                  "sd 0:0:0:0: [sda] tag#0 FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_SENSE\n"
                  "sd 0:0:0:0: [sda] tag#0 Sense Key : Medium Error [current]\n"
                  "RSP: 0018:ffff9c69804cfb00 EFLAGS: 00010286 ORIG_RAX: ffffffffffffffff\n"
                  "RAX: 0000000000000000 RBX: ffff909444e7a520 RCX: 0000000000000006\n", &res);
        assert_int_equal(res.n, 5);
        assert_string_equal(res.r[0].text, "EXT4-fs error (device sda3): ext4_lookup:1701: inode #4253945: comm "
                                           "find: casefold flag without casefold feature");
        assert_string_equal(res.r[2].text, "sd 0:0:0:0: [sda] tag#0 Sense Key : Medium Error [current]");
        assert_string_equal(res.r[4].text, "RAX: 0000000000000000 RBX: ffff909444e7a520 RCX: 0000000000000006");
        assert_int_equal(res.st.kernel_like, 5);

        /* a healthy boot without stamps is shaped like the kernel's; an elision mark joins nothing */
        read_text("Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14))\n"
                  "Command line: BOOT_IMAGE=/vmlinuz-6.1.0-13-amd64 root=UUID=0123 ro quiet\n"
                  "usb 1-1: new high-speed USB device number 2 using xhci_hcd\n"
                  "    ...\n"
                  "our server went read-only, please help\n", &res);
        assert_int_equal(res.n, 5);
        assert_string_equal(res.r[3].text, "...");
        assert_int_equal(res.st.unprefixed, 5);
        assert_int_equal(res.st.kernel_like, 3); /* of 5: not enough for a kernel log */

        /* an arm/old-x86 trace entry stands on a line of its own, even after a cut-looking line */
        read_text("Backtrace: \n"
                  "[<80c1e5e8>] (__schedule) from [<80c1eb20>] (schedule+0x60/0xdc)\n"
                  "[<80c1eb20>] (schedule) from [<80c1ec14>] (io_schedule+0x48/0x6c)\n", &res);
        assert_int_equal(res.n, 3);
        assert_string_equal(res.r[1].text, "[<80c1e5e8>] (__schedule) from [<80c1eb20>] (schedule+0x60/0xdc)");

        /* a report header starts a line of its own, even lowercase words before its colon after a
         * line as long as a wrapped one (a Go program's crash in a console capture) */
        read_text("runtime: out of memory: cannot allocate 1073741824-byte block (6446022656 in use)\n"
                  "fatal error: out of memory\n"
                  "some long console line of a test harness that reaches the wrap column of a mail\n"
                  "kernel BUG at fs/btrfs/extent-tree.c:1234!\n", &res);
        assert_int_equal(res.n, 4);
        assert_string_equal(res.r[1].text, "fatal error: out of memory");
        assert_string_equal(res.r[3].text, "kernel BUG at fs/btrfs/extent-tree.c:1234!");
}

/* The column a mail client wrapped at, learnt from the widest line: a line that ends where the
 * next word would not have fitted was cut (even short of 56 columns, before a long word), a line
 * that ends well short of the widest one was not (an unwrapped log's register dump, trace). */
static void test_wrap_column(void **state) {
        (void) state;
        struct result res;
        /* dmesg wrapped at 72: the function did not fit after the two addresses */
        read_text("[  333.390552] WARNING: CPU: 56 PID: 12450 at fs/xfs/xfs_inode.c:1839\n"
                  "xfs_iunlink_lookup+0x58/0x80 [xfs]\n"
                  "[  333.390586] [c0000000442bbb80] [c0080000004c0094]\n"
                  "xfs_iunlink+0x1bc/0x280 [xfs]\n"
                  "[  333.390590] Call Trace:\n", &res);
        assert_int_equal(res.n, 3);
        assert_string_equal(res.r[1].text, "[c0000000442bbb80] [c0080000004c0094] xfs_iunlink+0x1bc/0x280 [xfs]");

        /* no prefix, never wrapped: lines much narrower than the widest are whole */
        read_text("Modules linked in: nft_fib_inet nft_fib_ipv4 nft_fib_ipv6 nft_fib nft_reject_inet "
                  "nf_reject_ipv4 nf_reject_ipv6 nft_reject nft_ct nft_chain_nat nf_nat\n"
                  "GPR28: c0000000880ba800 c00000003b69c000 c0000000833edd20 000000000008170d\n"
                  "NIP [c0080000004bfa80] xfs_iunlink_lookup+0x58/0x80 [xfs]\n"
                  "Call Trace:\n"
                  "[c0000000442bbb80] [c0080000004c0094] xfs_iunlink+0x1bc/0x280 [xfs]\n"
                  "[c0000000442bbc00] [c0080000004c3f84] xfs_remove+0x1dc/0x310 [xfs]\n", &res);
        assert_int_equal(res.n, 6);
        assert_string_equal(res.r[2].text, "NIP [c0080000004bfa80] xfs_iunlink_lookup+0x58/0x80 [xfs]");
        assert_int_equal(res.st.joined, 0);

        /* every line ends in a blank (format=flowed): no sign of a cut when the next word fits */
        read_text("------------[ cut here ]------------ \n"
                  "WARNING: CPU: 18 PID: 28882 at fs/btrfs/extent-tree.c:10046 btrfs_create_pending_block_groups \n"
                  "BTRFS: Transaction aborted (error -27) \n"
                  "CPU: 18 PID: 28882 Comm: btrfs Tainted: P IO 4.4.0-157-generic #185-Ubuntu \n", &res);
        assert_int_equal(res.n, 4);
        assert_int_equal(res.st.joined, 0);

        /* prose around a wrapped bare paste does not widen the column */
        read_text("Hello, the filesystem went read-only last night while the nightly backup was running, "
                  "here is what the kernel printed:\n"
                  "\n"
                  "EXT4-fs warning (device sda1): ext4_clear_journal_err:5078:\n"
                  "Filesystem error recorded from previous mount: IO failure\n"
                  "EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null)\n", &res);
        assert_string_equal(res.r[2].text, "EXT4-fs warning (device sda1): ext4_clear_journal_err:5078: "
                                           "Filesystem error recorded from previous mount: IO failure");

        /* ext4's "comm %s: " is followed by the message, wherever the line was cut */
        read_text("EXT4-fs error (device sda3): ext4_lookup:1701: inode #4253945: comm\n"
                  "find:\n"
                  "casefold flag without casefold feature\n"
                  "EXT4-fs (sda3): Remounting filesystem read-only\n", &res);
        assert_int_equal(res.n, 2);
        assert_string_equal(res.r[0].text, "EXT4-fs error (device sda3): ext4_lookup:1701: inode #4253945: comm "
                                           "find: casefold flag without casefold feature");
}

/* A device name cut by the wrap is no message of its own: "nvme" heads a line only as
 * "nvme0n1: ...", and a parenthesis left open goes on on the next line. */
static void test_wrapped_device_name(void **state) {
        (void) state;
        struct result res;
        read_text("2024-03-25T10:00:00+0100 myhost kernel: EXT4-fs error (device\n"
                  "nvme0n1p2): ext4_find_extent:908: inode #8: comm jbd2/nvme0n1p2-: pblk\n"
                  "2024-03-25T10:00:00+0100 myhost kernel: Aborting journal on device\n"
                  "nvme0n1p2-8.\n"
                  "2024-03-25T10:00:00+0100 myhost kernel: a line of its own\n"
                  "nvme0n1: p1 p2 p3\n", &res);
        assert_int_equal(res.n, 3);
        assert_string_equal(res.r[0].text, "EXT4-fs error (device nvme0n1p2): ext4_find_extent:908: inode #8: "
                                           "comm jbd2/nvme0n1p2-: pblk");
        assert_string_equal(res.r[1].text, "Aborting journal on device nvme0n1p2-8.");
        /* a head of its own: not joined (and, in a syslog file, another program's line) */
        assert_string_equal(res.r[2].text, "a line of its own");
        assert_int_equal(res.st.not_kernel, 1);
}

/* A wrapped piece may start with a digit, like every short-iso stamp: "2024-..." on the next
 * line is a record of its own, a leaf's bytenr is the rest of the line before. */
static void test_wrapped_piece_starting_with_digit(void **state) {
        (void) state;
        struct result res;
        read_text("2024-05-04T21:58:12+0100 myhost kernel: BTRFS info (device sda): leaf\n"
                  "2813074292736 gen 1880 total ptrs 95 free space 10868 owner 12\n"
                  "2024-05-04T21:58:12+0100 myhost kernel: BTRFS critical (device sda): right extent\n"
                  "2024-05-04T21:58:13+0100 myhost kernel: a line of its own\n", &res);
        assert_int_equal(res.n, 3);
        assert_string_equal(res.r[0].text, "BTRFS info (device sda): leaf 2813074292736 gen 1880 total ptrs 95 free "
                                           "space 10868 owner 12");
        assert_string_equal(res.r[1].text, "BTRFS critical (device sda): right extent");
        assert_int_equal(res.st.not_kernel, 0);
}

/* journalctl -o short-full; blanks at the end of lines are no part of the message. */
static void test_short_full_and_trailing_blanks(void **state) {
        (void) state;
        struct result res;
        read_text("Sat 2024-06-08 11:45:16 CET ip-10-8-4-150 kernel: XFS (xvdb): Log I/O Error Detected. \n"
                  "Sat 2024-06-08 11:45:17 UTC ip-10-8-4-150 kernel: [  12.500000] XFS (xvdb): with a stamp\n"
                  "Sat 2024-06-08 11:45:17 UTC ip-10-8-4-150 systemd[1]: not the kernel\n"
                  "Fri 2024-06-08 11:45:17 +03 myhost kernel: a zone without a name\t \n", &res);
        assert_int_equal(res.n, 3);
        assert_string_equal(res.r[0].text, "XFS (xvdb): Log I/O Error Detected.");
        assert_string_equal(res.r[0].host, "ip-10-8-4-150");
        assert_int_equal(res.r[0].wall, utc(2024, 6, 8, 11, 45, 16));
        assert_string_equal(res.r[1].text, "XFS (xvdb): with a stamp");
        assert_int_equal(res.r[1].mono, 12500000);
        assert_string_equal(res.r[2].text, "a zone without a name");
        assert_int_equal(res.st.not_kernel, 1);

        /* a wrapped piece after a trailing blank: one blank where they join */
        read_text("[ 12.000001] WARNING: CPU: 12 PID: 849 at fs/btrfs/extent-tree.c:6973  \n"
                  "__btrfs_free_extent.isra.71+0x845/0xda0 [btrfs]  \n", &res);
        assert_int_equal(res.n, 1);
        assert_string_equal(res.r[0].text, "WARNING: CPU: 12 PID: 849 at fs/btrfs/extent-tree.c:6973 "
                                           "__btrfs_free_extent.isra.71+0x845/0xda0 [btrfs]");
}

/* A paste indented as a whole: the blanks before a stamp are the paste's, and its wrapped
 * pieces carry them too. */
static void test_indented_prefixed_paste(void **state) {
        (void) state;
        struct result res;
        read_text("    [Oct10 03:39] ------------[ cut here ]------------\n"
                  "    [ +0,000065] WARNING: CPU: 12 PID: 849 at fs/btrfs/extent-tree.c:6973 \n"
                  "    __btrfs_free_extent.isra.71+0x845/0xda0 [btrfs]\n"
                  "    [ +0,000003] Modules linked in: rbd libceph dns_resolver dm_mod \n"
                  "    vhost_net vhost macvtap\n"
                  "     kernel: BTRFS info (device sda): leaf 2812729409536 gen 1880 total ptrs \n"
                  "     243 free space 2432 owner 12\n", &res);
        assert_int_equal(res.n, 4);
        assert_string_equal(res.r[1].text, "WARNING: CPU: 12 PID: 849 at fs/btrfs/extent-tree.c:6973 "
                                           "__btrfs_free_extent.isra.71+0x845/0xda0 [btrfs]");
        assert_string_equal(res.r[2].text, "Modules linked in: rbd libceph dns_resolver dm_mod vhost_net vhost macvtap");
        assert_string_equal(res.r[3].text, "BTRFS info (device sda): leaf 2812729409536 gen 1880 total ptrs "
                                           "243 free space 2432 owner 12");
}

/* grep -H / -n / -C and cat -n put a file name or a line number before each line: the log's own
 * prefix follows and is read; a console line whose first word has a ':' is left alone. */
static void test_grep_and_cat_prefixes(void **state) {
        (void) state;
        struct result res;
        read_text("/var/log/kern.log.1:Jun  8 11:45:16 web1 kernel: XFS (sdb1): Log I/O Error\n"
                  "/var/log/syslog.2.gz:Jun  8 11:45:17 web1 sshd[1]: another program\n"
                  "kern.log-Jun  8 11:45:18 web1 kernel: a context line\n"
                  "1234:[ 5.000001] BTRFS error (device sda): bdev /dev/sda errs: wr 1\n"
                  "   120\tJun  8 11:45:19 web1 kernel: cat -n\n", &res);
        assert_int_equal(res.n, 4);
        assert_int_equal(res.st.not_kernel, 1);
        assert_string_equal(res.r[0].text, "XFS (sdb1): Log I/O Error");
        assert_int_equal(res.r[0].format, FSD_FORMAT_SYSLOG);
        assert_string_equal(res.r[1].text, "a context line");
        assert_string_equal(res.r[2].text, "BTRFS error (device sda): bdev /dev/sda errs: wr 1");
        assert_int_equal(res.r[2].mono, 5000001);
        assert_string_equal(res.r[3].text, "cat -n");
        read_text("ata1.00: failed command: WRITE FPDMA QUEUED\n"
                  "sd 0:0:0:0: [sda] tag#0 FAILED Result: hostbyte=DID_OK\n", &res);
        assert_int_equal(res.n, 2);
        assert_string_equal(res.r[0].text, "ata1.00: failed command: WRITE FPDMA QUEUED");
        assert_string_equal(res.r[1].text, "sd 0:0:0:0: [sda] tag#0 FAILED Result: hostbyte=DID_OK");
}

static void test_dmesg_decode(void **state) {
        (void) state;
        struct result res;
        read_text("kern  :err   : [  512.000160] BTRFS error (device sda): bdev /dev/sda errs: wr 1, rd 0, flush 0\n"
                  "kern  :info  : [  512.000180] BTRFS info (device sda): forced readonly, and a long line too\n"
                  "user  :notice: [  513.000000] systemd[1]: a program's line in the ring buffer\n"
                  "kern  :warn  : no stamp at all\n", &res);
        assert_int_equal(res.n, 4);
        assert_int_equal(res.r[0].format, FSD_FORMAT_DMESG);
        assert_int_equal(res.r[0].mono, 512000160);
        assert_string_equal(res.r[0].text, "BTRFS error (device sda): bdev /dev/sda errs: wr 1, rd 0, flush 0");
        /* the next line has a stamp: its own record, never a wrapped piece */
        assert_string_equal(res.r[1].text, "BTRFS info (device sda): forced readonly, and a long line too");
        /* facility "user": a program wrote it to /dev/kmsg; its stamp and level are read all the same */
        assert_int_equal(res.r[2].format, FSD_FORMAT_DMESG);
        assert_int_equal(res.r[2].mono, 513000000);
        assert_string_equal(res.r[2].text, "systemd[1]: a program's line in the ring buffer");
        assert_string_equal(res.r[3].text, "no stamp at all");
        assert_int_equal(res.r[3].mono, -1);
}

static void test_assumed_year(void **state) {
        (void) state;
        struct result res;
        /* the seed's shape: a December line read a day before its anniversary is last year's */
        FSD_OPTS(fsd_source_opts, o, .reference_usec = utc(2026, 12, 7, 1, 0, 0));
        read_opts("Dec  8 15:25:17 h kernel: a\n"
                  "Jan  2 00:00:00 h kernel: b\n", &o, &res);
        assert_int_equal(res.r[0].wall, utc(2025, 12, 8, 15, 25, 17));
        assert_true(res.r[0].wall_no_year);
        assert_int_equal(res.r[1].wall, utc(2026, 1, 2, 0, 0, 0));
        /* within the zone slack of the reference: the same year */
        o.reference_usec = utc(2026, 12, 8, 10, 0, 0);
        read_opts("Dec  8 15:25:17 h kernel: a\n", &o, &res);
        assert_int_equal(res.r[0].wall, utc(2026, 12, 8, 15, 25, 17));
        /* February 29 only in a leap year */
        o.reference_usec = utc(2026, 6, 1, 0, 0, 0);
        read_opts("Feb 29 12:00:00 h kernel: leap\n", &o, &res);
        assert_int_equal(res.r[0].wall, utc(2024, 2, 29, 12, 0, 0));
        /* --year is no assumption */
        FSD_OPTS(fsd_source_opts, y, .year = 2019, .reference_usec = utc(2026, 6, 1, 0, 0, 0));
        read_opts("Dec  8 15:25:17 h kernel: a\n", &y, &res);
        assert_int_equal(res.r[0].wall, utc(2019, 12, 8, 15, 25, 17));
        assert_false(res.r[0].wall_no_year);
}

static void test_first_line_and_unprefixed(void **state) {
        (void) state;
        struct fsd_source *s = NULL;
        const char text[] = "\n   \nhello world, not a log\nsecond\n";
        assert_int_equal(log_source_open_memory(text, strlen(text), NULL, &s), 0);
        struct fsd_record rec;
        while (fsd_source_next(s, &rec) > 0)
                ;
        const char *first;
        size_t n = fsd_source_first_line(s, &first);
        assert_int_equal(n, strlen("hello world, not a log"));
        assert_memory_equal(first, "hello world, not a log", n);
        struct fsd_source_stats st;
        fsd_source_get_stats(s, &st);
        assert_int_equal(st.records, st.unprefixed);
        fsd_source_free(s);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_syslog_without_host),
                cmocka_unit_test(test_quoting_indent_nbsp),
                cmocka_unit_test(test_dmesg_human),
                cmocka_unit_test(test_localized_months),
                cmocka_unit_test(test_wrapped_lines),
                cmocka_unit_test(test_wrapped_syslog_and_console),
                cmocka_unit_test(test_wrap_column),
                cmocka_unit_test(test_indented_prefixed_paste),
                cmocka_unit_test(test_wrapped_device_name),
                cmocka_unit_test(test_wrapped_piece_starting_with_digit),
                cmocka_unit_test(test_short_full_and_trailing_blanks),
                cmocka_unit_test(test_grep_and_cat_prefixes),
                cmocka_unit_test(test_dmesg_decode),
                cmocka_unit_test(test_assumed_year),
                cmocka_unit_test(test_first_line_and_unprefixed),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
