/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Text into HTML, safely. Everything that reaches a page from a log (messages, host names, process
 * names, file names) is hostile: it may hold markup, quotes, control bytes, invalid UTF-8 or
 * bidirectional overrides. These writers make any byte string into text that is valid in an
 * element's content and inside a double- or single-quoted attribute value, and that shows each
 * odd byte visibly instead of hiding it. */
#include <stddef.h>
#include "cleanup.h"
#include "strbuf.h"

/* Append s[0..n) as HTML text: & < > " ' become character references; control bytes other than
 * tab and newline, and bytes that are not valid UTF-8, become the visible text \xNN; C1 controls,
 * bidirectional controls and U+2028/U+2029 become \u{XXXX}; a NUL byte ends nothing. */
void html_escape(struct strbuf *b, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL appends nothing. */
void html_puts(struct strbuf *b, const char *s);
/* printf, then html_escape of the result: for translated format strings that carry log values. */
void html_printf(struct strbuf *b, const char *fmt, ...) _printf_(2, 3);
