/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Any bytes through the log reader: all formats, compressed or not, tiny max_line to exercise
 * the cut path. Every record must be sanitized and inside its limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fsdoctor.h"
#include "log/log-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_all(const uint8_t *data, size_t size, size_t max_line) {
        FSD_OPTS(fsd_source_opts, o, .max_line = max_line, .year = 2020);
        struct fsd_source *s = NULL;
        if (log_source_open_memory(data, size, &o, &s) < 0)
                return;
        struct fsd_record rec;
        size_t limit = max_line ? (max_line < LOG_MIN_MAX_LINE ? LOG_MIN_MAX_LINE : max_line) : LOG_DEFAULT_MAX_LINE;
        while (fsd_source_next(s, &rec) > 0) {
                if (rec.len > limit)
                        abort();
                for (size_t i = 0; i < rec.len; i++) {
                        unsigned char c = (unsigned char) rec.text[i];
                        if ((c < 0x20 && c != '\t') || c == 0x7f)
                                abort();
                }
                if (rec.host && strlen(rec.host) > LOG_HOST_MAX)
                        abort();
                if (rec.priority < -1 || rec.priority > 7)
                        abort();
        }
        fsd_source_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        if (size > 1024 * 1024)
                return 0;
        check_all(data, size, 0);
        check_all(data, size, 256);
        return 0;
}
