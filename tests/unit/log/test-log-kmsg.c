/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /dev/kmsg: a marker written into the running kernel's log comes back as a record.
 * Needs root and /dev/kmsg: exits 77 (skip) otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "fsdoctor.h"

int main(void) {
        if (geteuid() != 0 || access("/dev/kmsg", R_OK | W_OK) < 0)
                return 77;
        char marker[64];
        snprintf(marker, sizeof marker, "fsdoctor-test-marker-%d", (int) getpid());
        int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return 77;
        char line[96];
        int n = snprintf(line, sizeof line, "<4>%s\n", marker);
        if (write(fd, line, (size_t) n) != n) {
                close(fd);
                return 77; /* e.g. a container that may not write the kernel log */
        }
        close(fd);

        FSD_OPTS(fsd_source_opts, o);
        struct fsd_source *s;
        int r = fsd_source_open_kmsg(&o, &s);
        if (r < 0) {
                fprintf(stderr, "open /dev/kmsg: %s\n", fsd_strerror(r));
                return r == -EPERM || r == -EACCES ? 77 : 1;
        }
        struct fsd_record rec;
        int found = 0;
        uint64_t records = 0;
        while ((r = fsd_source_next(s, &rec)) > 0) {
                records++;
                if (rec.len == strlen(marker) && memcmp(rec.text, marker, rec.len) == 0) {
                        found++;
                        if (rec.priority != 4 || rec.mono_usec <= 0 || rec.format != FSD_FORMAT_KMSG ||
                            rec.wall_usec <= 0) {
                                fprintf(stderr, "marker fields wrong: pri %d mono %lld\n", rec.priority,
                                        (long long) rec.mono_usec);
                                return 1;
                        }
                }
        }
        fsd_source_free(s);
        if (r != 0 || found != 1) {
                fprintf(stderr, "r=%d found=%d of %llu records\n", r, found, (unsigned long long) records);
                return 1;
        }
        printf("marker found among %llu records\n", (unsigned long long) records);
        return 0;
}
