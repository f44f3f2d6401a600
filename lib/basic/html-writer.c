/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "html-writer.h"
#include "utf8.h"

static uint32_t utf8_decode(const unsigned char *s, size_t len) {
        static const unsigned char lead_mask[5] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
        uint32_t cp = s[0] & lead_mask[len];
        for (size_t i = 1; i < len; i++)
                cp = (cp << 6) | (s[i] & 0x3f);
        return cp;
}

/* Code points that are valid UTF-8 but must not act on the page: C1 controls, and the
 * bidirectional controls and separators a log could use to make text read other than it is. */
static bool codepoint_shown_escaped(uint32_t cp) {
        return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
               (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

void html_escape(struct strbuf *b, const char *str, size_t n) {
        const unsigned char *s = (const unsigned char *) str;
        size_t run = 0;          /* bytes at s[0..run) still to copy verbatim */
        size_t i = 0;
        while (i < n) {
                unsigned char c = s[i];
                const char *ref = NULL;
                char esc[16];
                size_t len = 1;
                if (c >= 0x80) {
                        len = utf8_valid_len(str + i, n - i);
                        if (len == 0) {
                                snprintf(esc, sizeof esc, "\\x%02x", c);
                                ref = esc;
                                len = 1;
                        } else if (codepoint_shown_escaped(utf8_decode(s + i, len))) {
                                snprintf(esc, sizeof esc, "\\u{%04x}", (unsigned) utf8_decode(s + i, len));
                                ref = esc;
                        }
                } else if (c == '&')
                        ref = "&amp;";
                else if (c == '<')
                        ref = "&lt;";
                else if (c == '>')
                        ref = "&gt;";
                else if (c == '"')
                        ref = "&quot;";
                else if (c == '\'')
                        ref = "&#39;";
                else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
                        snprintf(esc, sizeof esc, "\\x%02x", c);
                        ref = esc;
                }
                if (ref) {
                        strbuf_append(b, str + i - run, run);
                        strbuf_puts(b, ref);
                        run = 0;
                } else
                        run += len;
                i += len;
        }
        strbuf_append(b, str + i - run, run);
}

void html_puts(struct strbuf *b, const char *s) {
        if (s)
                html_escape(b, s, strlen(s));
}

void html_printf(struct strbuf *b, const char *fmt, ...) {
        struct strbuf tmp = STRBUF_INIT;
        va_list ap;
        va_start(ap, fmt);
        strbuf_vprintf(&tmp, fmt, ap);
        va_end(ap);
        if (strbuf_failed(&tmp))
                b->oom = true;
        else
                html_escape(b, tmp.s ? tmp.s : "", tmp.len);
        strbuf_done(&tmp);
}
