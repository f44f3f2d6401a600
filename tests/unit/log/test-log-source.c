/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel log reader: every input form, normalized field by field. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "fsdoctor.h"
#include "log/log-internal.h"

/* one source, two binaries: the corpus test (reads ../shared) uses a part of it */
#pragma GCC diagnostic ignored "-Wunused-function"

#define MAX_RECS 64

struct rec {
        char text[512];
        char host[64];
        char boot_id[72];
        uint64_t line;
        int64_t mono, wall;
        bool wall_local, wall_no_year;
        uint32_t boot;
        int priority;
        char caller_kind;
        uint32_t caller_id;
        enum fsd_log_format format;
};

struct result {
        struct rec r[MAX_RECS];
        size_t n;
        int end;
        struct fsd_source_stats st;
};

static void copy_rec(struct rec *d, const struct fsd_record *s) {
        size_t n = s->len < sizeof d->text - 1 ? s->len : sizeof d->text - 1;
        memcpy(d->text, s->text, n);
        d->text[n] = 0;
        snprintf(d->host, sizeof d->host, "%s", s->host ? s->host : "");
        snprintf(d->boot_id, sizeof d->boot_id, "%s", s->boot_id ? s->boot_id : "");
        d->line = s->line;
        d->mono = s->mono_usec;
        d->wall = s->wall_usec;
        d->wall_local = s->wall_local;
        d->wall_no_year = s->wall_no_year;
        d->boot = s->boot;
        d->priority = s->priority;
        d->caller_kind = s->caller_kind;
        d->caller_id = s->caller_id;
        d->format = s->format;
}

static void drain(struct fsd_source *s, struct result *res) {
        struct fsd_record rec;
        int r;
        res->n = 0;
        while ((r = fsd_source_next(s, &rec)) > 0) {
                /* text is sanitized: no control byte but tab can ever reach a terminal */
                for (size_t i = 0; i < rec.len; i++)
                        assert_false(((unsigned char) rec.text[i] < 0x20 && rec.text[i] != '\t') || rec.text[i] == 0x7f);
                if (res->n < MAX_RECS)
                        copy_rec(&res->r[res->n], &rec);
                res->n++;
        }
        res->end = r;
        fsd_source_get_stats(s, &res->st);
}

static void read_mem_opts(const void *data, size_t n, const struct fsd_source_opts *o, struct result *res) {
        struct fsd_source *s = NULL;
        assert_int_equal(log_source_open_memory(data, n, o, &s), 0);
        drain(s, res);
        fsd_source_free(s);
}

static void read_mem(const char *text, int year, struct result *res) {
        FSD_OPTS(fsd_source_opts, o, .year = year);
        read_mem_opts(text, strlen(text), &o, res);
}

static void read_path(const char *path, const struct fsd_source_opts *o, struct result *res) {
        struct fsd_source *s = NULL;
        assert_int_equal(fsd_source_open_file(path, o, &s), 0);
        drain(s, res);
        fsd_source_free(s);
}

static int64_t utc(int y, int mo, int d, int h, int mi, int s) {
        return log_civil_to_usec(y, (unsigned) mo, (unsigned) d, (unsigned) h, (unsigned) mi, (unsigned) s);
}

static void test_dmesg(void **state) {
        struct result res;
        read_mem("[    0.000000] Linux version 6.18.0 (gcc)\n"
                 "[   12.345678] [  T123] btrfs: caller thread\n"
                 "[   13.000001] [    C4] NMI watchdog\n"
                 "[   14.5]  ? __btrfs_free_extent+0x65c/0xbd0\n", 0, &res);
        assert_int_equal(res.end, 0);
        assert_int_equal(res.n, 4);
        assert_string_equal(res.r[0].text, "Linux version 6.18.0 (gcc)");
        assert_int_equal(res.r[0].mono, 0);
        assert_int_equal(res.r[0].format, FSD_FORMAT_DMESG);
        assert_int_equal(res.r[0].wall, -1);
        assert_int_equal(res.r[0].priority, -1);
        assert_string_equal(res.r[1].text, "btrfs: caller thread");
        assert_int_equal(res.r[1].mono, 12345678);
        assert_int_equal(res.r[1].caller_kind, 'T');
        assert_int_equal(res.r[1].caller_id, 123);
        assert_int_equal(res.r[2].caller_kind, 'C');
        assert_int_equal(res.r[2].caller_id, 4);
        assert_int_equal(res.r[2].mono, 13000001);
        /* one space after the stamp belongs to the prefix, the rest to the text */
        assert_string_equal(res.r[3].text, " ? __btrfs_free_extent+0x65c/0xbd0");
        assert_int_equal(res.r[3].mono, 14500000);
        assert_int_equal(res.r[3].line, 4);
        assert_string_equal(res.r[3].host, "");
        assert_int_equal(res.st.lines, 4);
        assert_int_equal(res.st.records, 4);
}

static void test_dmesg_T_and_raw(void **state) {
        struct result res;
        read_mem("[Tue Dec  8 15:25:17 2020] BTRFS info (device dm-9): forced readonly\n"
                 "[Wed Nov 25 02:32:48 2026] loop0: detected capacity change\n"
                 "<4>[ 3979.977353] BTRFS error (device loop0 state EA): Transaction aborted (error -5)\n"
                 "<14>[    5.000000] [  T77] raw with caller\n"
                 "<3>no time stamp\n", 0, &res);
        assert_int_equal(res.n, 5);
        assert_int_equal(res.r[0].format, FSD_FORMAT_DMESG_T);
        assert_int_equal(res.r[0].wall, utc(2020, 12, 8, 15, 25, 17));
        assert_true(res.r[0].wall_local);
        assert_false(res.r[0].wall_no_year);
        assert_int_equal(res.r[0].mono, -1);
        assert_string_equal(res.r[0].text, "BTRFS info (device dm-9): forced readonly");
        assert_int_equal(res.r[1].wall, utc(2026, 11, 25, 2, 32, 48));
        assert_int_equal(res.r[2].format, FSD_FORMAT_DMESG_RAW);
        assert_int_equal(res.r[2].priority, 4);
        assert_int_equal(res.r[2].mono, INT64_C(3979977353));
        assert_string_equal(res.r[2].text, "BTRFS error (device loop0 state EA): Transaction aborted (error -5)");
        assert_int_equal(res.r[3].priority, 6); /* facility 1, level 6 */
        assert_int_equal(res.r[3].caller_id, 77);
        assert_string_equal(res.r[3].text, "raw with caller");
        assert_int_equal(res.r[4].priority, 3);
        assert_int_equal(res.r[4].mono, -1);
        assert_string_equal(res.r[4].text, "no time stamp");
}

/* util-linux dmesg's other time formats: --time-format=iso (a comma before the microseconds, a
 * zone with a colon), -d with the delta since the message before, after the monotonic stamp or
 * the -T clock or alone, and -x's facility and level before any of them, for programs' messages
 * in the ring buffer too. The forms are dmesg's own output on a 6.1 host (util-linux 2.38). */
static void test_dmesg_iso_and_delta(void **state) {
        struct result res;
        read_mem("2024-05-04T21:58:12,104294+01:00 XFS (loop1): Ending clean mount\n"
                 "[38284.598722 <    0.002524>] XFS (loop1): User initiated shutdown received.\n"
                 "[Tue Dec  8 15:25:17 2020 <    0.000808>] XFS (loop1): Please unmount\n"
                 "[<    0.001418>] XFS (loop1): Unmounting Filesystem\n"
                 "kern  :alert : 2024-05-04T21:58:12,604170+01:00 XFS (loop1): alert\n"
                 "user  :info  : [38190.080003 <    0.000590>] a program's marker\n"
                 "2024-05-04T21:58:12.104294+01:00 host sshd[1]: not the kernel's\n", 0, &res);
        assert_int_equal(res.n, 6);
        assert_int_equal(res.st.not_kernel, 1);
        assert_int_equal(res.r[0].format, FSD_FORMAT_DMESG_T);
        assert_int_equal(res.r[0].wall, utc(2024, 5, 4, 20, 58, 12) + 104294);
        assert_false(res.r[0].wall_local);
        assert_string_equal(res.r[0].text, "XFS (loop1): Ending clean mount");
        assert_int_equal(res.r[1].format, FSD_FORMAT_DMESG);
        assert_int_equal(res.r[1].mono, INT64_C(38284598722));
        assert_string_equal(res.r[1].text, "XFS (loop1): User initiated shutdown received.");
        assert_int_equal(res.r[2].format, FSD_FORMAT_DMESG_T);
        assert_int_equal(res.r[2].wall, utc(2020, 12, 8, 15, 25, 17));
        assert_true(res.r[2].wall_local);
        assert_string_equal(res.r[2].text, "XFS (loop1): Please unmount");
        /* the delta alone says no time of its own */
        assert_int_equal(res.r[3].mono, -1);
        assert_string_equal(res.r[3].text, "XFS (loop1): Unmounting Filesystem");
        assert_int_equal(res.r[4].priority, 1);
        assert_int_equal(res.r[4].wall, utc(2024, 5, 4, 20, 58, 12) + 604170);
        assert_string_equal(res.r[4].text, "XFS (loop1): alert");
        assert_int_equal(res.r[5].priority, 6);
        assert_int_equal(res.r[5].mono, INT64_C(38190080003));
        assert_string_equal(res.r[5].text, "a program's marker");
}

static void test_kmsg(void **state) {
        struct result res;
        read_mem("6,1234,5678,-;loop0: detected capacity change\n"
                 " SUBSYSTEM=block\n"
                 " DEVICE=b7:0\n"
                 "12,1235,99000001,-,caller=T42;BTRFS: error\n"
                 "3,1240,99000002,c;after a gap\n", 0, &res);
        assert_int_equal(res.n, 3);
        assert_int_equal(res.r[0].format, FSD_FORMAT_KMSG);
        assert_int_equal(res.r[0].priority, 6);
        assert_int_equal(res.r[0].mono, 5678);
        assert_string_equal(res.r[0].text, "loop0: detected capacity change");
        assert_int_equal(res.r[1].priority, 4);  /* 12 & 7 */
        assert_int_equal(res.r[1].caller_kind, 'T');
        assert_int_equal(res.r[1].caller_id, 42);
        assert_int_equal(res.r[1].line, 4);
        assert_string_equal(res.r[2].text, "after a gap");
        assert_int_equal(res.st.lost, 4);   /* 1236..1239 */
}

static void test_syslog_hosts_and_not_kernel(void **state) {
        struct result res;
        read_mem("Dec  8 15:25:17 pjdhcpaasnap8pn kernel: [13439425.328533] ------------[ cut here ]------------\n"
                 "Dec  8 15:25:17 pjdhcpaasnap8pn sshd[123]: Accepted publickey\n"
                 "Dec  8 15:25:18 other kernel: BTRFS info (device dm-1): forced readonly\n"
                 "Dec 18 01:02:03 pjdhcpaasnap8pn kernel: [13439426.000000]  ip_tables ext4\n"
                 "Dec 18 01:02:04 other systemd[1]: Started foo.\n"
                 "a stray line from a multi-line program message\n"
                 "Dec 18 01:02:05 other kernel: [    1.000000] Linux version 4.19.90\n", 2020, &res);
        assert_int_equal(res.n, 4);
        assert_int_equal(res.st.not_kernel, 3);
        assert_int_equal(res.r[0].format, FSD_FORMAT_SYSLOG);
        assert_string_equal(res.r[0].host, "pjdhcpaasnap8pn");
        assert_int_equal(res.r[0].mono, INT64_C(13439425328533));
        assert_int_equal(res.r[0].wall, utc(2020, 12, 8, 15, 25, 17));
        assert_true(res.r[0].wall_local);
        assert_false(res.r[0].wall_no_year); /* not printed, but given: --year is no assumption */
        assert_string_equal(res.r[0].text, "------------[ cut here ]------------");
        assert_string_equal(res.r[1].host, "other");
        assert_int_equal(res.r[1].mono, -1);
        assert_string_equal(res.r[2].text, " ip_tables ext4");
        assert_int_equal(res.r[2].wall, utc(2020, 12, 18, 1, 2, 3));
        /* boots are counted per host: "other" rebooted, pjdhcpaasnap8pn did not */
        assert_int_equal(res.r[2].boot, 0);
        assert_string_equal(res.r[3].host, "other");
        assert_int_equal(res.r[3].boot, 1);
        assert_int_equal(res.r[3].line, 7);
}

static void test_year_rollover(void **state) {
        struct result res;
        read_mem("Dec 31 23:59:59 h kernel: last of the year\n"
                 "Jan  1 00:00:01 h kernel: first of the next\n"
                 "Dec 31 23:59:58 h2 kernel: a late line from another host\n"
                 "Feb  2 00:00:00 h kernel: later\n", 2020, &res);
        assert_int_equal(res.n, 4);
        assert_int_equal(res.r[0].wall, utc(2020, 12, 31, 23, 59, 59));
        assert_int_equal(res.r[1].wall, utc(2021, 1, 1, 0, 0, 1));
        assert_int_equal(res.r[2].wall, utc(2020, 12, 31, 23, 59, 58));
        assert_int_equal(res.r[3].wall, utc(2021, 2, 2, 0, 0, 0));
}

static void test_rfc5424_and_iso(void **state) {
        struct result res;
        read_mem("<14>1 2020-12-08T15:25:17.123456+08:00 h5424 kernel - - - rfc text\n"
                 "<30>1 2020-12-08T15:25:17Z h5424 sshd 12 ID1 [ex a=\"b\\\"]\"] sshd text\n"
                 "<11>1 2020-12-08T15:25:17.5Z - kernel - - [x y=\"z\"] [    2.000000] nohost\n"
                 "2020-12-08T15:25:17.123456+08:00 isohost kernel: [  100.000001] iso rsyslog\n"
                 "2020-12-08T15:25:17+0800 jhost kernel: short-iso\n"
                 "2020-12-08T15:25:17.000001+0800 jhost kernel: short-iso-precise\n"
                 "2020-12-08T15:25:17.1+08:00 isohost CRON[5]: nope\n", 0, &res);
        assert_int_equal(res.n, 5);
        assert_int_equal(res.st.not_kernel, 2);
        assert_int_equal(res.r[0].format, FSD_FORMAT_RFC5424);
        assert_int_equal(res.r[0].priority, 6);
        assert_string_equal(res.r[0].host, "h5424");
        assert_int_equal(res.r[0].wall, utc(2020, 12, 8, 7, 25, 17) + 123456);
        assert_false(res.r[0].wall_local);
        assert_string_equal(res.r[0].text, "rfc text");
        assert_string_equal(res.r[1].host, "");
        assert_int_equal(res.r[1].priority, 3);
        assert_int_equal(res.r[1].mono, 2000000);
        assert_int_equal(res.r[1].wall, utc(2020, 12, 8, 15, 25, 17) + 500000);
        assert_string_equal(res.r[1].text, "nohost");
        assert_int_equal(res.r[2].format, FSD_FORMAT_SYSLOG);
        assert_int_equal(res.r[2].mono, 100000001);
        assert_int_equal(res.r[2].wall, utc(2020, 12, 8, 7, 25, 17) + 123456);
        assert_int_equal(res.r[3].format, FSD_FORMAT_JOURNAL_ISO);
        assert_int_equal(res.r[3].wall, utc(2020, 12, 8, 7, 25, 17));
        assert_string_equal(res.r[3].host, "jhost");
        assert_int_equal(res.r[4].wall, utc(2020, 12, 8, 7, 25, 17) + 1);
}

static void test_journal_short_forms(void **state) {
        struct result res;
        read_mem("-- Logs begin at Tue 2020-12-08 10:00:00 CST, end at Tue 2020-12-08 16:00:00 CST. --\n"
                 "Dec 08 15:25:17 jhost kernel: short\n"
                 "Dec 08 15:25:17.328533 jhost kernel: precise\n"
                 "-- Boot 0123456789abcdef0123456789abcdef --\n"
                 "Dec 08 15:30:00 jhost kernel: after the reboot\n"
                 "-- No entries --\n", 2020, &res);
        assert_int_equal(res.n, 3);
        assert_int_equal(res.r[0].format, FSD_FORMAT_JOURNAL_SHORT);
        assert_int_equal(res.r[0].wall, utc(2020, 12, 8, 15, 25, 17));
        assert_int_equal(res.r[1].format, FSD_FORMAT_JOURNAL_PRECISE);
        assert_int_equal(res.r[1].wall, utc(2020, 12, 8, 15, 25, 17) + 328533);
        assert_int_equal(res.r[1].boot, 0);
        assert_int_equal(res.r[2].boot, 1);
        assert_int_equal(res.r[2].line, 5);

        read_mem("[13439425.328533] mhost kernel: [  T9] short-monotonic\n"
                 "[13439425.400000] mhost systemd[1]: Started\n"
                 "[    0.100000] mhost kernel: after reboot: clock went back\n", 0, &res);
        assert_int_equal(res.n, 2);
        assert_int_equal(res.st.not_kernel, 1);
        assert_int_equal(res.r[0].format, FSD_FORMAT_JOURNAL_MONOTONIC);
        assert_string_equal(res.r[0].host, "mhost");
        assert_int_equal(res.r[0].mono, INT64_C(13439425328533));
        assert_int_equal(res.r[0].caller_id, 9);
        assert_string_equal(res.r[0].text, "short-monotonic");
        assert_int_equal(res.r[1].boot, 1);
}

/* journalctl -o short-unix: seconds since the epoch; a wrapped piece that starts with a number
 * is no record of its own. */
static void test_journal_short_unix(void **state) {
        struct result res;
        read_mem("1717839916.123456 web1 kernel: XFS (sdb1): Please unmount the filesystem\n"
                 "1717839917.000001 web1 sshd[812]: not the kernel's\n"
                 "1717839918.5 web1 kernel: not this form either\n", 0, &res);
        assert_int_equal(res.r[0].format, FSD_FORMAT_JOURNAL_ISO);
        assert_int_equal(res.r[0].wall, INT64_C(1717839916123456));
        assert_false(res.r[0].wall_local);
        assert_string_equal(res.r[0].host, "web1");
        assert_string_equal(res.r[0].text, "XFS (sdb1): Please unmount the filesystem");
        /* after hosted lines, lines without the kernel's prefix are another program's */
        assert_int_equal(res.n, 1);
        assert_int_equal(res.st.not_kernel, 2);
}

/* BusyBox syslogd ("host kern.err kernel:") and OpenWrt's logread (ctime with the year, no host,
 * "kern.err kernel:"), as their print sites format them; another facility's program is not
 * the kernel. */
static void test_busybox_and_logread(void **state) {
        struct result res;
        read_mem("Jun  8 11:45:16 nas kern.err kernel: [ 38192.103311] XFS (sdb1): Log I/O Error\n"
                 "Jun  8 11:45:17 nas daemon.info dnsmasq[812]: not the kernel's\n"
                 "Sat Jun  8 11:45:18 2024 kern.alert kernel: [ 38192.103854] XFS (sdb1): Please unmount\n",
                 2024, &res);
        assert_int_equal(res.n, 2);
        assert_int_equal(res.st.not_kernel, 1);
        assert_string_equal(res.r[0].host, "nas");
        assert_string_equal(res.r[0].text, "XFS (sdb1): Log I/O Error");
        assert_int_equal(res.r[0].mono, INT64_C(38192103311));
        assert_int_equal(res.r[0].wall, utc(2024, 6, 8, 11, 45, 16));
        assert_string_equal(res.r[1].text, "XFS (sdb1): Please unmount");
        assert_int_equal(res.r[1].wall, utc(2024, 6, 8, 11, 45, 18));
        assert_true(res.r[1].wall_local);
        assert_int_equal(res.r[1].mono, INT64_C(38192103854));
}

static void test_journal_json(void **state) {
        struct result res;
        read_mem("{\"__CURSOR\":\"s=1\",\"__REALTIME_TIMESTAMP\":\"1607412317328533\",\"__MONOTONIC_TIMESTAMP\":\"5000000\","
                 "\"_BOOT_ID\":\"0123456789abcdef0123456789abcdef\",\"PRIORITY\":\"3\",\"_TRANSPORT\":\"kernel\","
                 "\"_HOSTNAME\":\"jsonhost\",\"MESSAGE\":\"BTRFS: error \\u00e9 \\\"q\\\"\",\"X\":{\"a\":[1,{\"b\":null}]}}\n"
                 "{\"MESSAGE\":[104,105,27,91,51,49,109],\"_TRANSPORT\":\"kernel\",\"_HOSTNAME\":\"jsonhost\","
                 "\"_SOURCE_MONOTONIC_TIMESTAMP\":\"7000000\",\"__MONOTONIC_TIMESTAMP\":\"9\","
                 "\"_BOOT_ID\":\"ffffffffffffffffffffffffffffffff\"}\n"
                 "{\"MESSAGE\":\"not kernel\",\"_TRANSPORT\":\"syslog\",\"SYSLOG_IDENTIFIER\":\"sshd\"}\n"
                 "{\"MESSAGE\":\"broken\n", 0, &res);
        assert_int_equal(res.n, 2);
        assert_int_equal(res.st.not_kernel, 1);
        assert_int_equal(res.st.malformed, 1);
        assert_int_equal(res.r[0].format, FSD_FORMAT_JOURNAL_JSON);
        assert_string_equal(res.r[0].text, "BTRFS: error \xc3\xa9 \"q\"");
        assert_int_equal(res.r[0].wall, INT64_C(1607412317328533));
        assert_int_equal(res.r[0].mono, 5000000);
        assert_int_equal(res.r[0].priority, 3);
        assert_string_equal(res.r[0].host, "jsonhost");
        assert_string_equal(res.r[0].boot_id, "0123456789abcdef0123456789abcdef");
        /* byte-array MESSAGE, escape sequence removed; a new boot id is a new boot */
        assert_string_equal(res.r[1].text, "hi");
        assert_int_equal(res.r[1].mono, 7000000);
        assert_int_equal(res.r[1].boot, 1);
        assert_int_equal(res.st.sanitized, 1);
}

/* journalctl -o json-pretty (an object over lines, tab-indented), json-seq (RS before each
 * object) and json-sse ("data: " before it) are json objects all the same; an object the input
 * cuts is malformed, never a silent end. */
static void test_journal_json_variants(void **state) {
        struct result res;
        read_mem("{\n"
                 "\t\"_TRANSPORT\" : \"kernel\",\n"
                 "\t\"__REALTIME_TIMESTAMP\" : \"1607412317328533\",\n"
                 "\t\"_HOSTNAME\" : \"pretty\",\n"
                 "\t\"MESSAGE\" : \"XFS (sdb1): Please unmount the filesystem\"\n"
                 "}\n"
                 "\x1e{\"_TRANSPORT\":\"kernel\",\"MESSAGE\":\"seq\",\"_HOSTNAME\":\"h\"}\n"
                 "data: {\"_TRANSPORT\":\"kernel\",\"MESSAGE\":\"sse\",\"_HOSTNAME\":\"h\"}\n"
                 "{\n"
                 "\t\"_TRANSPORT\" : \"kernel\",\n", 0, &res);
        assert_int_equal(res.n, 3);
        assert_int_equal(res.r[0].format, FSD_FORMAT_JOURNAL_JSON);
        assert_string_equal(res.r[0].text, "XFS (sdb1): Please unmount the filesystem");
        assert_int_equal(res.r[0].wall, INT64_C(1607412317328533));
        assert_string_equal(res.r[0].host, "pretty");
        assert_string_equal(res.r[1].text, "seq");
        assert_string_equal(res.r[2].text, "sse");
        assert_int_equal(res.st.malformed, 1);
}

static void test_journal_export(void **state) {
        static const char blob[] =
                "__CURSOR=s=1\n"
                "__REALTIME_TIMESTAMP=1607412317328533\n"
                "__MONOTONIC_TIMESTAMP=13439425328533\n"
                "_BOOT_ID=0123456789abcdef0123456789abcdef\n"
                "_TRANSPORT=kernel\n"
                "PRIORITY=4\n"
                "_HOSTNAME=exphost\n"
                "MESSAGE=WARNING: CPU: 42 PID: 460094 at fs/btrfs/extent-tree.c:6805\n"
                "\n"
                "__CURSOR=s=2\n"
                "__REALTIME_TIMESTAMP=1607412318000000\n"
                "_TRANSPORT=kernel\n"
                "_HOSTNAME=exphost\n"
                "MESSAGE\n"
                "\x0b\0\0\0\0\0\0\0" "bin\nary\x01msg\n"
                "_SOURCE_MONOTONIC_TIMESTAMP=13439426000000\n"
                "\n"
                "__CURSOR=s=3\n"
                "_TRANSPORT=syslog\n"
                "MESSAGE=sshd\n";
        FSD_OPTS(fsd_source_opts, o);
        struct result res;
        read_mem_opts(blob, sizeof blob - 1, &o, &res);
        assert_int_equal(res.end, 0);
        assert_int_equal(res.n, 2);
        assert_int_equal(res.st.not_kernel, 1);
        assert_int_equal(res.r[0].format, FSD_FORMAT_JOURNAL_EXPORT);
        assert_string_equal(res.r[0].text, "WARNING: CPU: 42 PID: 460094 at fs/btrfs/extent-tree.c:6805");
        assert_int_equal(res.r[0].priority, 4);
        assert_int_equal(res.r[0].mono, INT64_C(13439425328533));
        assert_int_equal(res.r[0].wall, INT64_C(1607412317328533));
        assert_string_equal(res.r[0].host, "exphost");
        assert_int_equal(res.r[0].line, 1);
        assert_string_equal(res.r[1].text, "bin?ary?msg");
        assert_int_equal(res.r[1].mono, INT64_C(13439426000000));
        assert_int_equal(res.r[1].line, 10);
}

static void test_console_and_sanitizing(void **state) {
        static const char data[] = "plain console line\n"
                 "esc \x1b[31mred\x1b[0m \x07" "bell \x1b]0;title\x07 \xc2\x9b" "c1\r\n"
                 "\x01\x02\x03\x04\x05\x06\x00\x00 garbage\n"
                 "\0\0\0\0\0\0[   1.000000] after NUL padding\n"
                 "tab\tkept \xe4\xb8\xad\xe6\x96\x87 \xff invalid utf-8 passes\n"
                 "last line without newline";
        FSD_OPTS(fsd_source_opts, o);
        struct result res;
        read_mem_opts(data, sizeof data - 1, &o, &res);
        assert_int_equal(res.n, 5);
        assert_int_equal(res.r[0].format, FSD_FORMAT_CONSOLE);
        assert_int_equal(res.r[0].mono, -1);
        assert_string_equal(res.r[1].text, "esc red ?bell  ?c1");
        assert_int_equal(res.st.binary, 1);
        assert_string_equal(res.r[2].text, "after NUL padding");
        assert_int_equal(res.r[2].mono, 1000000);
        assert_string_equal(res.r[3].text, "tab\tkept \xe4\xb8\xad\xe6\x96\x87 \xff invalid utf-8 passes");
        assert_string_equal(res.r[4].text, "last line without newline");
        assert_int_equal(res.r[4].line, 6);
        assert_int_equal(res.st.sanitized, 2);
}

static void test_huge_line(void **state) {
        size_t big = 300 * 1000;
        char *data = malloc(big + 64);
        assert_non_null(data);
        strcpy(data, "[    1.000000] ");
        memset(data + 15, 'x', big);
        strcpy(data + 15 + big, "\n[    2.000000] next\n");
        FSD_OPTS(fsd_source_opts, o, .max_line = 1000);
        struct result res;
        read_mem_opts(data, strlen(data), &o, &res);
        assert_int_equal(res.n, 2);
        assert_int_equal(res.st.truncated, 1);
        assert_int_equal(res.r[0].mono, 1000000);
        assert_string_equal(res.r[1].text, "next");
        assert_int_equal(res.r[1].line, 2);
        assert_int_equal(res.r[1].mono, 2000000);
        free(data);
}

/* A line longer than max_line that spans many read() chunks, from a real file. */
static void test_huge_line_file(void **state) {
        char path[] = "/tmp/fsd-log-huge-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fputs("[    1.000000] start ", f);
        for (int i = 0; i < 3 * 1024 * 1024; i++)
                fputc('y', f);
        fputs("\n[    2.000000] after\n", f);
        fclose(f);
        FSD_OPTS(fsd_source_opts, o);
        struct result res;
        read_path(path, &o, &res);
        unlink(path);
        assert_int_equal(res.n, 2);
        assert_int_equal(res.st.truncated, 1);
        assert_string_equal(res.r[1].text, "after");
        assert_int_equal(res.r[1].line, 2);
}

static void test_mixed_formats(void **state) {
        struct result res;
        read_mem("[    5.000000] dmesg\n"
                 "<4>[    6.000000] raw\n"
                 "6,1,7000000,-;kmsg\n"
                 " SUBSYSTEM=block\n"
                 "serial console text\n"
                 "[Tue Dec  8 15:25:17 2020] dmesg -T\n", 0, &res);
        assert_int_equal(res.n, 5);
        assert_int_equal(res.r[0].format, FSD_FORMAT_DMESG);
        assert_int_equal(res.r[1].format, FSD_FORMAT_DMESG_RAW);
        assert_int_equal(res.r[2].format, FSD_FORMAT_KMSG);
        assert_int_equal(res.r[3].format, FSD_FORMAT_CONSOLE);
        assert_string_equal(res.r[3].text, "serial console text");
        assert_int_equal(res.r[4].format, FSD_FORMAT_DMESG_T);
        /* the same host and clock throughout: one boot */
        assert_int_equal(res.r[4].boot, 0);
        read_mem("[ 3000.000000] before\n[    1.000000] after a reboot\n[    1.500000] same boot\n", 0, &res);
        assert_int_equal(res.r[1].boot, 1);
        assert_int_equal(res.r[2].boot, 1);
        /* a step back that does not reach the start of a boot is interleaved console output */
        read_mem("[ 3481.000000] cpu 1\n[  438.000000] cpu 0\n[    2.000000] after a reboot\n", 0, &res);
        assert_int_equal(res.r[1].boot, 0);
        assert_int_equal(res.r[2].boot, 1);
}

static char *write_temp(const char *content, size_t n) {
        char *path = strdup("/tmp/fsd-log-XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, content, n), (ssize_t) n);
        close(fd);
        return path;
}

static const char seed3[] =
        "Dec  8 15:25:17 pjdhcpaasnap8pn kernel: [13439425.328533] ------------[ cut here ]------------\n"
        "Dec  8 15:25:17 pjdhcpaasnap8pn kernel: [13439425.329000] BTRFS: error (device dm-9) in __btrfs_free_extent:6805: errno=-28 No space left\n"
        "Dec  8 15:25:17 pjdhcpaasnap8pn kernel: [13439425.329100] BTRFS info (device dm-9): forced readonly\n";

static void check_seed3(const struct result *res) {
        assert_int_equal(res->end, 0);
        assert_int_equal(res->n, 3);
        assert_string_equal(res->r[2].text, "BTRFS info (device dm-9): forced readonly");
        assert_int_equal(res->r[2].mono, INT64_C(13439425329100));
        assert_string_equal(res->r[2].host, "pjdhcpaasnap8pn");
}

static void test_compressed(void **state) {
        static const char *const tools[] = { "gzip", "xz", "zstd -q" };
        for (size_t i = 0; i < 3; i++) {
                char *path = write_temp(seed3, sizeof seed3 - 1);
                char cmd[256];
                snprintf(cmd, sizeof cmd, "%s -c %s > %s.c 2>/dev/null", tools[i], path, path);
                if (system(cmd) != 0) {
                        unlink(path);
                        free(path);
                        continue; /* tool not installed */
                }
                char cpath[64];
                snprintf(cpath, sizeof cpath, "%s.c", path);
                FSD_OPTS(fsd_source_opts, o, .year = 2020);
                struct result res;
                read_path(cpath, &o, &res);
                check_seed3(&res);
                assert_int_equal(res.st.bytes, sizeof seed3 - 1);
                struct stat st;
                assert_int_equal(stat(cpath, &st), 0);
                /* progress counts compressed bytes against the compressed size */
                struct fsd_source *s;
                assert_int_equal(fsd_source_open_file(cpath, &o, &s), 0);
                struct fsd_record rec;
                while (fsd_source_next(s, &rec) > 0)
                        ;
                uint64_t done, total;
                fsd_source_get_progress(s, &done, &total);
                assert_int_equal(total, (uint64_t) st.st_size);
                assert_int_equal(done, (uint64_t) st.st_size);
                fsd_source_free(s);
                /* through the in-memory path too, with the same magic detection */
                char *data = malloc((size_t) st.st_size);
                FILE *f = fopen(cpath, "rb");
                assert_int_equal(fread(data, 1, (size_t) st.st_size, f), (size_t) st.st_size);
                fclose(f);
                read_mem_opts(data, (size_t) st.st_size, &o, &res);
                check_seed3(&res);
                /* cut in the middle: what was decoded is returned, then the end */
                read_mem_opts(data, (size_t) st.st_size / 2, &o, &res);
                assert_true(res.n <= 3);
                free(data);
                unlink(cpath);
                unlink(path);
                free(path);
        }
}

static void test_corrupt_gzip(void **state) {
        unsigned char bad[64] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
        memset(bad + 10, 0xff, sizeof bad - 10);
        struct fsd_source *s;
        FSD_OPTS(fsd_source_opts, o);
        assert_int_equal(log_source_open_memory(bad, sizeof bad, &o, &s), 0);
        struct fsd_record rec;
        assert_int_equal(fsd_source_next(s, &rec), -FSD_E_CORRUPT);
        fsd_source_free(s);
}

static void test_stdin(void **state) {
        char *path = write_temp(seed3, sizeof seed3 - 1);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "gzip -c %s > %s.gz", path, path);
        bool gz = system(cmd) == 0;
        for (int pass = 0; pass < (gz ? 2 : 1); pass++) {
                char in[64];
                snprintf(in, sizeof in, pass ? "%s.gz" : "%s", path);
                int pipefd[2];
                assert_int_equal(pipe(pipefd), 0);
                pid_t pid = fork();
                assert_true(pid >= 0);
                if (pid == 0) {
                        close(pipefd[0]);
                        int fd = open(in, O_RDONLY);
                        char buf[4096];
                        ssize_t k;
                        /* trickle the bytes, so that the magic arrives in pieces */
                        while ((k = read(fd, buf, 3)) > 0)
                                if (write(pipefd[1], buf, (size_t) k) != k)
                                        _exit(1);
                        _exit(0);
                }
                close(pipefd[1]);
                int saved = dup(STDIN_FILENO);
                dup2(pipefd[0], STDIN_FILENO);
                close(pipefd[0]);
                FSD_OPTS(fsd_source_opts, o, .year = 2020);
                struct result res;
                read_path("-", &o, &res);
                dup2(saved, STDIN_FILENO);
                close(saved);
                waitpid(pid, NULL, 0);
                check_seed3(&res);
                if (pass)
                        unlink(in);
        }
        unlink(path);
        free(path);
}

static void test_follow_rotation(void **state) {
        char dir[] = "/tmp/fsd-follow-XXXXXX";
        assert_non_null(mkdtemp(dir));
        char path[128], rotated[128];
        snprintf(path, sizeof path, "%s/kern.log", dir);
        snprintf(rotated, sizeof rotated, "%s/kern.log.1", dir);
        FILE *f = fopen(path, "w");
        fputs("[    1.000000] one\n[    2.000000] two\n", f);
        fclose(f);
        FSD_OPTS(fsd_source_opts, o, .follow = true);
        struct fsd_source *s;
        assert_int_equal(fsd_source_open_file(path, &o, &s), 0);
        struct fsd_record rec;
        assert_int_equal(fsd_source_next(s, &rec), 1);
        assert_int_equal(rec.mono_usec, 1000000);
        assert_int_equal(fsd_source_next(s, &rec), 1);
        assert_int_equal(rec.mono_usec, 2000000);
        /* appended while we wait, partial line first: nothing is returned until it is complete */
        f = fopen(path, "a");
        fputs("[    3.000000] three\n[    4.0000", f);
        fclose(f);
        assert_int_equal(fsd_source_next(s, &rec), 1);
        assert_int_equal(rec.mono_usec, 3000000);
        f = fopen(path, "a");
        fputs("00] four\n", f);
        fclose(f);
        assert_int_equal(fsd_source_next(s, &rec), 1);
        assert_int_equal(rec.mono_usec, 4000000);
        assert_int_equal(rec.len, 4);
        assert_memory_equal(rec.text, "four", 4);
        /* rotated by rename; a new file takes the name */
        assert_int_equal(rename(path, rotated), 0);
        f = fopen(path, "w");
        fputs("[    5.000000] five after rotation\n", f);
        fclose(f);
        assert_int_equal(fsd_source_next(s, &rec), 1);
        assert_int_equal(rec.mono_usec, 5000000);
        /* copytruncate */
        assert_int_equal(truncate(path, 0), 0);
        f = fopen(path, "a");
        fputs("[    6.000000] six\n", f);
        fclose(f);
        assert_int_equal(fsd_source_next(s, &rec), 1);
        assert_int_equal(rec.mono_usec, 6000000);
        fsd_source_free(s);
        unlink(path);
        unlink(rotated);
        rmdir(dir);
}

static void test_shared_corpus(void **state) {
        const char *dir = getenv("FSD_SHARED");
        char path[512];
        if (!dir) {
                skip();
                return;
        }
        snprintf(path, sizeof path, "%s/corpus/seed-kylin-4.19.90-btrfs-enospc.log", dir);
        if (access(path, R_OK) < 0) {
                skip();
                return;
        }
        FSD_OPTS(fsd_source_opts, o, .year = 2020);
        struct result res;
        read_path(path, &o, &res);
        assert_int_equal(res.n, 47);
        assert_int_equal(res.st.not_kernel, 0);
        for (size_t i = 0; i < MAX_RECS && i < res.n; i++) {
                assert_string_equal(res.r[i].host, "pjdhcpaasnap8pn");
                assert_int_equal(res.r[i].format, FSD_FORMAT_SYSLOG);
                assert_true(res.r[i].mono > INT64_C(13439425000000));
                assert_int_equal(res.r[i].boot, 0);
        }
        assert_int_equal(res.r[1].wall, utc(2020, 12, 8, 15, 25, 17));

        /* one capture in three forms: same texts, same order */
        static const char *const forms[] = { "dmesg", "dmesg-T", "raw" };
        static const enum fsd_log_format fmt[] = { FSD_FORMAT_DMESG, FSD_FORMAT_DMESG_T, FSD_FORMAT_DMESG_RAW };
        struct result *all = calloc(3, sizeof *all);
        for (int i = 0; i < 3; i++) {
                snprintf(path, sizeof path, "%s/corpus/lab-6.18-btrfs-thin-exhausted.%s", dir, forms[i]);
                read_path(path, &o, &all[i]);
                assert_int_equal(all[i].n, 24);
                assert_int_equal(all[i].r[0].format, fmt[i]);
        }
        for (size_t k = 0; k < 24; k++) {
                assert_string_equal(all[0].r[k].text, all[1].r[k].text);
                assert_string_equal(all[0].r[k].text, all[2].r[k].text);
                assert_int_equal(all[0].r[k].mono, all[2].r[k].mono);
        }
        assert_int_equal(all[0].r[0].mono, INT64_C(3978877442));
        assert_int_equal(all[2].r[0].priority, 6);
        free(all);
}

#ifdef CORPUS_ONLY
int main(void) {
        /* reads ../shared: skipped where it is absent */
        const char *dir = getenv("FSD_SHARED");
        char path[512];
        snprintf(path, sizeof path, "%s/corpus/seed-kylin-4.19.90-btrfs-enospc.log", dir ? dir : "/nonexistent");
        if (access(path, R_OK) < 0)
                return 77;
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_shared_corpus),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
#else
int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_dmesg),
                cmocka_unit_test(test_dmesg_T_and_raw),
                cmocka_unit_test(test_dmesg_iso_and_delta),
                cmocka_unit_test(test_kmsg),
                cmocka_unit_test(test_syslog_hosts_and_not_kernel),
                cmocka_unit_test(test_year_rollover),
                cmocka_unit_test(test_rfc5424_and_iso),
                cmocka_unit_test(test_journal_short_forms),
                cmocka_unit_test(test_journal_short_unix),
                cmocka_unit_test(test_busybox_and_logread),
                cmocka_unit_test(test_journal_json),
                cmocka_unit_test(test_journal_json_variants),
                cmocka_unit_test(test_journal_export),
                cmocka_unit_test(test_console_and_sanitizing),
                cmocka_unit_test(test_huge_line),
                cmocka_unit_test(test_huge_line_file),
                cmocka_unit_test(test_mixed_formats),
                cmocka_unit_test(test_compressed),
                cmocka_unit_test(test_corrupt_gzip),
                cmocka_unit_test(test_stdin),
                cmocka_unit_test(test_follow_rotation),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
#endif
