/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sd-journal: real journal files, made in the test by systemd-journal-remote from an export
 * stream we write, read back through fsd_source_open_journal(). Skips (77) without the tool. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "fsdoctor.h"

static char dir[64];

static const char export_stream[] =
        "__CURSOR=s=0;i=1\n"
        "__REALTIME_TIMESTAMP=1607412317328533\n"
        "__MONOTONIC_TIMESTAMP=13439425328533\n"
        "_BOOT_ID=0123456789abcdef0123456789abcdef\n"
        "_TRANSPORT=kernel\n"
        "PRIORITY=4\n"
        "_HOSTNAME=jhost\n"
        "SYSLOG_IDENTIFIER=kernel\n"
        "MESSAGE=BTRFS: error (device dm-9) in __btrfs_free_extent:6805: errno=-28 No space left\n"
        "\n"
        "__CURSOR=s=0;i=2\n"
        "__REALTIME_TIMESTAMP=1607412318000000\n"
        "__MONOTONIC_TIMESTAMP=13439426000000\n"
        "_BOOT_ID=0123456789abcdef0123456789abcdef\n"
        "_TRANSPORT=syslog\n"
        "_HOSTNAME=jhost\n"
        "SYSLOG_IDENTIFIER=sshd\n"
        "MESSAGE=Accepted publickey\n"
        "\n"
        "__CURSOR=s=0;i=3\n"
        "__REALTIME_TIMESTAMP=1607412319000000\n"
        "__MONOTONIC_TIMESTAMP=13439427000000\n"
        "_BOOT_ID=0123456789abcdef0123456789abcdef\n"
        "_TRANSPORT=kernel\n"
        "PRIORITY=6\n"
        "_HOSTNAME=jhost\n"
        "_SOURCE_MONOTONIC_TIMESTAMP=13439426500000\n"
        "MESSAGE=BTRFS info (device dm-9): forced readonly\n"
        "\n"
        "__CURSOR=s=0;i=4\n"
        "__REALTIME_TIMESTAMP=1607412400000000\n"
        "__MONOTONIC_TIMESTAMP=2000000\n"
        "_BOOT_ID=fedcba9876543210fedcba9876543210\n"
        "_TRANSPORT=kernel\n"
        "PRIORITY=5\n"
        "_HOSTNAME=jhost\n"
        "MESSAGE=Linux version 4.19.90-17.ky10.x86_64\n"
        "\n";

static void test_journal_files(void **state) {
        struct fsd_source *s;
        FSD_OPTS(fsd_source_opts, o);
        assert_int_equal(fsd_source_open_journal(dir, &o, &s), 0);
        struct fsd_record rec;
        assert_int_equal(fsd_source_next(s, &rec), 1);
        assert_int_equal(rec.format, FSD_FORMAT_JOURNAL_FILE);
        assert_int_equal(rec.len, strlen("BTRFS: error (device dm-9) in __btrfs_free_extent:6805: errno=-28 No space left"));
        assert_memory_equal(rec.text, "BTRFS: error (device dm-9) in __btrfs_free_extent:6805: errno=-28 No space left", rec.len);
        assert_string_equal(rec.host, "jhost");
        assert_string_equal(rec.boot_id, "0123456789abcdef0123456789abcdef");
        assert_int_equal(rec.mono_usec, INT64_C(13439425328533));
        assert_int_equal(rec.wall_usec, INT64_C(1607412317328533));
        assert_int_equal(rec.priority, 4);
        assert_int_equal(rec.boot, 0);
        /* the sshd entry is not the kernel's: filtered by the match */
        assert_int_equal(fsd_source_next(s, &rec), 1);
        assert_memory_equal(rec.text, "BTRFS info (device dm-9): forced readonly", rec.len);
        assert_int_equal(rec.mono_usec, INT64_C(13439426500000));
        assert_int_equal(rec.priority, 6);
        assert_int_equal(fsd_source_next(s, &rec), 1);
        assert_string_equal(rec.boot_id, "fedcba9876543210fedcba9876543210");
        assert_int_equal(rec.boot, 1);
        assert_int_equal(rec.mono_usec, 2000000);
        assert_int_equal(fsd_source_next(s, &rec), 0);
        struct fsd_source_stats st;
        fsd_source_get_stats(s, &st);
        assert_int_equal(st.records, 3);
        fsd_source_free(s);
}

int main(void) {
        const char *tool = getenv("JOURNAL_REMOTE");
        if (!tool)
                tool = "/lib/systemd/systemd-journal-remote";
        if (access(tool, X_OK) < 0)
                return 77;
        snprintf(dir, sizeof dir, "/tmp/fsd-journal-XXXXXX");
        if (!mkdtemp(dir))
                return 1;
        char cmd[512];
        snprintf(cmd, sizeof cmd, "%s -o %s/x.journal - 2>/dev/null", tool, dir);
        FILE *p = popen(cmd, "w");
        if (!p)
                return 77;
        fwrite(export_stream, 1, sizeof export_stream - 1, p);
        if (pclose(p) != 0) {
                fprintf(stderr, "systemd-journal-remote failed\n");
                return 77;
        }
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_journal_files),
        };
        int r = cmocka_run_group_tests(tests, NULL, NULL);
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
                r = r ? r : 1;
        return r;
}
