/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The running kernel's ring buffer through /dev/kmsg: one record per read(). Non-blocking: EAGAIN
 * is the end of what is there; EPIPE means records were overwritten before we read them. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "log-internal.h"
#include "basic/cleanup.h"
#include "core/diag-log.h"

/* The kernel refuses reads into buffers smaller than a record (LOG_LINE_MAX + dictionary). */
#define KMSG_RECORD_MAX (16 * 1024)

static int64_t clock_usec(clockid_t id) {
        struct timespec ts;
        if (clock_gettime(id, &ts) < 0)
                return -1;
        return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int kmsg_next(struct fsd_source *s, struct fsd_record *rec) {
        for (;;) {
                ssize_t k = read(s->kmsg_fd, s->buf, KMSG_RECORD_MAX);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EPIPE) {
                                /* overwritten while we were not looking: the next read resumes */
                                s->stats.lost++;
                                continue;
                        }
                        if (errno == EAGAIN) {
                                if (!s->follow)
                                        return 0;
                                struct pollfd p = { .fd = s->kmsg_fd, .events = POLLIN };
                                if (poll(&p, 1, -1) < 0 && errno != EINTR)
                                        return -errno;
                                continue;
                        }
                        return -errno;
                }
                if (k == 0)
                        return 0;
                s->stats.bytes += (uint64_t) k;
                s->stats.lines++;
                s->line++;
                /* the first line is the record; " KEY=value" lines after it are its dictionary */
                const char *nl = memchr(s->buf, '\n', (size_t) k);
                size_t n = nl ? (size_t) (nl - s->buf) : (size_t) k;
                struct parsed_line pl;
                if (parse_line(s->buf, n, FSD_FORMAT_UNKNOWN, &pl) != PARSE_RECORD || pl.format != FSD_FORMAT_KMSG) {
                        s->stats.malformed++;
                        continue;
                }
                if (s->kmsg_have_seq && pl.kmsg_seq > s->kmsg_last_seq + 1)
                        s->stats.lost += pl.kmsg_seq - s->kmsg_last_seq - 1;
                s->kmsg_last_seq = pl.kmsg_seq;
                s->kmsg_have_seq = true;
                *rec = (struct fsd_record) {
                        .line = s->line, .mono_usec = pl.mono_usec, .priority = pl.priority,
                        .caller_kind = pl.caller_kind, .caller_id = pl.caller_id, .format = FSD_FORMAT_KMSG,
                        .wall_usec = s->kmsg_wall_offset >= 0 ? s->kmsg_wall_offset + pl.mono_usec : -1,
                        .kmsg_seq = (int64_t) pl.kmsg_seq,
                };
                const char *host = s->local_host;
                return record_emit(s, rec, pl.text, pl.len, false, host, host ? strlen(host) : 0,
                                   s->boot_id_buf, strlen(s->boot_id_buf));
        }
}

static void kmsg_close(struct fsd_source *s) {
        if (s->kmsg_fd >= 0)
                close(s->kmsg_fd);
        s->kmsg_fd = -1;
}

static int kmsg_get_fd(const struct fsd_source *s) {
        return s->kmsg_fd >= 0 ? s->kmsg_fd : -EBADF;
}

const struct log_reader log_reader_kmsg = {
        .name = "kmsg",
        .next = kmsg_next,
        .close = kmsg_close,
        .get_fd = kmsg_get_fd,
};

int fsd_source_open_kmsg(const struct fsd_source_opts *opts, struct fsd_source **ret_source) {
        if (!ret_source)
                return -EINVAL;
        struct fsd_source *s = NULL;
        int r = source_new("/dev/kmsg", opts, &s);
        if (r < 0)
                return r;
        s->reader = &log_reader_kmsg;
        s->kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (s->kmsg_fd < 0) {
                r = -errno;
                fsd_source_free(s);
                return r;
        }
        /* kmsg stamps count from boot; dmesg -T uses the same offset to print wall time */
        int64_t now = clock_usec(CLOCK_REALTIME), up = clock_usec(CLOCK_BOOTTIME);
        s->kmsg_wall_offset = now >= 0 && up >= 0 ? now - up : -1;
        struct utsname u;
        if (uname(&u) >= 0 && u.nodename[0])
                s->local_host = strndup(u.nodename, LOG_HOST_MAX);
        int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                char id[40];
                ssize_t k = read(fd, id, sizeof id);
                close(fd);
                size_t o = 0;
                for (ssize_t i = 0; i < k && o < LOG_BOOT_ID_MAX; i++)
                        if (id[i] != '-' && id[i] != '\n')
                                s->boot_id_buf[o++] = id[i];
                s->boot_id_buf[o] = 0;
        }
        s->buf = malloc(KMSG_RECORD_MAX + 1);
        if (!s->buf) {
                fsd_source_free(s);
                return -ENOMEM;
        }
        *ret_source = s;
        return 0;
}
