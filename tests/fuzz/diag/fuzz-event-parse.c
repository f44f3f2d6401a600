/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for event_parse(): every input line is one record. The records are copied into
 * buffers of exactly their length, so AddressSanitizer catches any read past len. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "diag/event-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static struct event_scratch scratch;
        const uint8_t *p = data, *end = data + size;

        while (p < end) {
                const uint8_t *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = (size_t) ((nl ? nl : end) - p);
                char *copy = malloc(len ? len : 1);
                if (!copy)
                        return 0;
                memcpy(copy, p, len);
                struct fsd_record rec = { .text = copy, .len = len, .line = 1, .mono_usec = -1, .wall_usec = -1 };
                struct fsd_event ev;
                if (event_parse(&rec, &scratch, &ev) == 1) {
                        /* every string the event carries must be NUL-terminated and readable */
                        const char *strs[] = { ev.device, ev.function, ev.src_file, ev.error_text, ev.op, ev.detail, ev.text };
                        size_t total = 0;
                        for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
                                if (strs[i])
                                        total += strlen(strs[i]);
                        if (ev.kind <= FSD_EV_UNKNOWN || ev.kind >= _FSD_EV_MAX || ev.count == 0 || !ev.text ||
                            total > sizeof scratch)
                                abort();
                }
                free(copy);
                p = nl ? nl + 1 : end;
        }
        return 0;
}
