/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the watch daemon reads at start from what an earlier boot left on disk, as it reads it:
 * the first byte picks the input, the rest is its bytes.
 *   0: a pstore dmesg record file (/sys/fs/pstore/dmesg-*), read through pstore_open_record_fd()
 *      and analysed as the daemon does;
 *   1: the same record as a ".enc.z" file (compressed: zstd frame, raw deflate, or unreadable);
 *   2: ext4's two superblock error records as the sysfs files show them, one value a line
 *      (time, func, line, ino, block, errcode; first record then last; a line "-" is a missing
 *      file), parsed, formatted as a log line and analysed.
 * A record is read, or refused with an error; nothing crashes, nothing grows without bound. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fsdoctor.h"
#include "watch/ext4-errors.h"
#include "watch/pstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_incident(const struct fsd_incident *inc, void *userdata) {
        (*(size_t *) userdata)++;
        return 0;
}

static void analyse_source(struct fsd_source *src) {
        size_t incidents = 0;
        FSD_OPTS(fsd_analyzer_opts, ao, .on_incident = on_incident, .userdata = &incidents);
        struct fsd_analyzer *a = NULL;
        if (fsd_analyzer_new(&ao, &a) < 0)
                return;
        if (fsd_analyzer_feed_source(a, src, NULL, NULL) >= 0)
                fsd_analyzer_finish(a);
        fsd_analyzer_free(a);
}

static void fuzz_pstore(const uint8_t *data, size_t size, bool compressed) {
        if (compressed) {
                /* the decompressor alone, with a small limit: the limit holds, the text ends in NUL */
                void *out = NULL;
                size_t len = 0;
                int r = pstore_decompress(data, size, 1 << 16, &out, &len);
                if (r >= 0 && (len > (1 << 16) || ((char *) out)[len] != 0))
                        abort();
                if (r < 0 && r != -EBADMSG && r != -EPROTONOSUPPORT && r != -ENOMEM)
                        abort();
                free(out);
        }
        int fd = memfd_create("fuzz-pstore", MFD_CLOEXEC);
        if (fd < 0)
                return;
        if (write(fd, data, size) == (ssize_t) size) {
                struct fsd_source *src = NULL;
                if (pstore_open_record_fd(fd, compressed, &src) >= 0)
                        analyse_source(src);
                fsd_source_free(src);
        }
        close(fd);
}

static void fuzz_ext4(const uint8_t *data, size_t size) {
        /* twelve values, one a line; each copied into a NUL-terminated buffer as sysfs gives it */
        char vals[12][80];
        const char *vp[12] = { 0 };
        const uint8_t *p = data, *end = data + size;
        for (size_t i = 0; i < 12 && p < end; i++) {
                const uint8_t *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = (size_t) ((nl ? nl : end) - p);
                if (len >= sizeof vals[i])
                        len = sizeof vals[i] - 1;
                memcpy(vals[i], p, len);
                vals[i][len] = 0;
                vp[i] = strcmp(vals[i], "-") == 0 ? NULL : vals[i];
                p = nl ? nl + 1 : end;
        }
        static const char *const which[] = { "first", "last" };
        char texts[2][512];
        struct fsd_record recs[2];
        size_t n = 0;
        for (int i = 0; i < 2; i++) {
                const char *const *v = vp + 6 * i;
                struct ext4_error_values ev = {
                        .time = v[0], .func = v[1], .line = v[2], .ino = v[3], .block = v[4], .errcode = v[5],
                };
                struct ext4_error_record er;
                int r = ext4_error_record_parse(&ev, &er);
                if (r < 0 && r != -EBADMSG)
                        abort();
                if (r <= 0)
                        continue;
                if (er.time <= 0 || strlen(er.func) > EXT4_ERROR_FUNC_MAX)
                        abort();
                char nbuf[EXT4_ERROR_NBUF];
                const char *text = NULL;
                int err = 1;
                enum ext4_error_class c = ext4_error_class_of(er.errcode, &err, &text, nbuf);
                if (!text || err > 0 || !ext4_error_class_name(c))
                        abort();
                /* the classes are what the kernel's codes mean: EIO is never corruption */
                if ((err == -EIO && c != EXT4_ERROR_IO) || (c == EXT4_ERROR_CORRUPTION && err != -EUCLEAN && err != -EBADMSG))
                        abort();
                int k = ext4_error_record_format("loop0", &er, which[i], 2, texts[n], sizeof texts[n]);
                if (k < 0)
                        abort();        /* the longest record fits the daemon's buffer */
                if ((size_t) k != strlen(texts[n]))
                        abort();
                recs[n] = (struct fsd_record) {
                        .text = texts[n], .len = (size_t) k, .origin = "/sys/fs/ext4/loop0", .line = (uint64_t) i + 1,
                        .mono_usec = -1, .wall_usec = er.time * 1000000, .priority = 3,
                        .format = FSD_FORMAT_CONSOLE, .kmsg_seq = -1,
                };
                n++;
        }
        if (!n)
                return;
        size_t incidents = 0;
        FSD_OPTS(fsd_analyzer_opts, ao, .on_incident = on_incident, .userdata = &incidents);
        struct fsd_analyzer *a = NULL;
        if (fsd_analyzer_new(&ao, &a) < 0)
                return;
        for (size_t i = 0; i < n; i++)
                fsd_analyzer_feed(a, &recs[i]);
        fsd_analyzer_finish(a);
        fsd_analyzer_free(a);
        /* an ext4 error line always makes an incident: a record is never silently dropped */
        if (incidents == 0)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        if (size == 0)
                return 0;
        switch (data[0] % 3) {
        case 0: fuzz_pstore(data + 1, size - 1, false); break;
        case 1: fuzz_pstore(data + 1, size - 1, true); break;
        default: fuzz_ext4(data + 1, size - 1); break;
        }
        return 0;
}
