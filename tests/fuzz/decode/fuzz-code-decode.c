/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the first line is a report's "Code:" text, the second its RIP, the rest its
 * register dump; the listing is built and serialized. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fsdoctor.h"

static char *take_line(const char **s, const char *end) {
        const char *nl = memchr(*s, '\n', (size_t) (end - *s));
        const char *e = nl ? nl : end;
        char *line = strndup(*s, (size_t) (e - *s));
        *s = nl ? nl + 1 : end;
        return line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *s = (const char *) data, *end = s + size;
        char *code = take_line(&s, end);
        char *rip = take_line(&s, end);
        char *regs = strndup(s, (size_t) (end - s));
        struct fsd_report r = { .code = code, .rip = rip, .registers = regs, .title = "fuzz" };
        struct fsd_code_listing *l = NULL;
        if (code && rip && regs && fsd_code_decode(&r, &l) == 0) {
                char *json = NULL;
                if (fsd_code_listing_to_json(l, &json) == 0)
                        free(json);
                fsd_code_listing_free(l);
        }
        free(code);
        free(rip);
        free(regs);
        return 0;
}
