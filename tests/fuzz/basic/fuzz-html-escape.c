/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for html_escape(): whatever the bytes, the result is valid UTF-8 with no markup
 * character, no quote, no control byte but tab and newline, and no bidirectional control. The
 * input is copied into a buffer of exactly its size, so AddressSanitizer catches any read past it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "basic/html-writer.h"
#include "basic/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *copy = malloc(size ? size : 1);
        if (!copy)
                return 0;
        memcpy(copy, data, size);
        struct strbuf b = STRBUF_INIT;
        html_escape(&b, copy, size);
        free(copy);
        if (strbuf_failed(&b)) {
                strbuf_done(&b);
                return 0;
        }
        const unsigned char *s = (const unsigned char *) strbuf_str(&b);
        for (size_t i = 0; i < b.len;) {
                unsigned char c = s[i];
                if (c == '<' || c == '>' || c == '"' || c == '\'' || c == 0x7f || (c < 0x20 && c != '\t' && c != '\n'))
                        abort();
                size_t len = c < 0x80 ? 1 : utf8_valid_len((const char *) s + i, b.len - i);
                if (len == 0)
                        abort();
                /* U+202A..U+202E and U+2066..U+2069 must have been escaped */
                if (len == 3 && c == 0xe2 && ((s[i + 1] == 0x80 && s[i + 2] >= 0xaa && s[i + 2] <= 0xae) ||
                                              (s[i + 1] == 0x81 && s[i + 2] >= 0xa6 && s[i + 2] <= 0xa9)))
                        abort();
                i += len;
        }
        strbuf_done(&b);
        return 0;
}
