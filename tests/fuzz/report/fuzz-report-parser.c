/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: arbitrary bytes, split into lines, fed to the report parser as records.
 * The first byte of each line picks a printk caller id, so interleaving is exercised too; every
 * report is serialized and deep-copied to reach the JSON writer and fsd_report_dup(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fsdoctor.h"

static int on_report(const struct fsd_report *r, void *userdata) {
        char *json = NULL;
        if (fsd_report_to_json(r, &json) == 0)
                free(json);
        struct fsd_report *copy = NULL;
        if (fsd_report_dup(r, &copy) == 0) {
                /* the copy must be complete: touch every frame */
                size_t n = 0;
                for (size_t i = 0; i < copy->n_frames; i++)
                        n += copy->frames[i].func ? strlen(copy->frames[i].func) : 0;
                (void) n;
                fsd_report_free(copy);
        }
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct fsd_report_parser *p = NULL;
        if (fsd_report_parser_new(&p) < 0)
                return 0;
        const char *s = (const char *) data, *end = s + size;
        uint64_t line = 0;
        while (s < end) {
                const char *nl = memchr(s, '\n', (size_t) (end - s));
                const char *e = nl ? nl : end;
                line++;
                struct fsd_record rec = {
                        .text = s, .len = (size_t) (e - s), .origin = "fuzz", .line = line,
                        .mono_usec = (int64_t) line * 1000, .wall_usec = -1, .priority = -1,
                };
                /* a leading '\x01'..'\x04' selects a caller context */
                if (rec.len && (unsigned char) s[0] >= 1 && (unsigned char) s[0] <= 4) {
                        rec.caller_kind = s[0] & 1 ? 'T' : 'C';
                        rec.caller_id = (uint32_t) s[0];
                        rec.text++;
                        rec.len--;
                }
                (void) fsd_report_parser_feed(p, &rec, on_report, NULL);
                s = nl ? nl + 1 : end;
        }
        (void) fsd_report_parser_finish(p, on_report, NULL);
        fsd_report_parser_free(p);
        return 0;
}
