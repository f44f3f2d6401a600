/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "basic/html-writer.h"

static void expect_escaped(const char *in, size_t n, const char *want) {
        struct strbuf b = STRBUF_INIT;
        html_escape(&b, in, n);
        assert_false(strbuf_failed(&b));
        assert_string_equal(strbuf_str(&b), want);
        strbuf_done(&b);
}

static void test_markup_becomes_text(void **state) {
        const char *s = "<script>alert(\"x\")</script> & </style> 'q'";
        expect_escaped(s, strlen(s),
                       "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;/style&gt; &#39;q&#39;");
}

static void test_control_bytes_shown(void **state) {
        /* tab and newline stay; ESC, BEL, DEL and NUL are shown, and NUL ends nothing */
        expect_escaped("a\tb\nc\x1b[31m\x07\x7f\0z", 14, "a\tb\nc\\x1b[31m\\x07\\x7f\\x00z");
}

static void test_invalid_utf8_shown(void **state) {
        /* é and 中 kept; a stray byte, an overlong '/', a surrogate and a cut sequence shown */
        const char s[] = "\xc3\xa9\xe4\xb8\xad|\xff|\xc0\xaf|\xed\xa0\x80|\xe4\xb8";
        expect_escaped(s, sizeof s - 1,
                       "\xc3\xa9\xe4\xb8\xad|\\xff|\\xc0\\xaf|\\xed\\xa0\\x80|\\xe4\\xb8");
}

static void test_bidi_and_c1_shown(void **state) {
        /* U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LRI, U+0085 NEL, U+FEFF BOM */
        const char s[] = "a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xc2\x85" "d\xef\xbb\xbf";
        expect_escaped(s, sizeof s - 1, "a\\u{202e}b\\u{2066}c\\u{0085}d\\u{feff}");
}

static void test_printf_escapes_result(void **state) {
        struct strbuf b = STRBUF_INIT;
        strbuf_puts(&b, "<p>");
        html_printf(&b, "%s on %s", "btrfs", "<dm-9>");
        html_puts(&b, NULL);
        assert_string_equal(strbuf_str(&b), "<p>btrfs on &lt;dm-9&gt;");
        strbuf_done(&b);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_markup_becomes_text),
                cmocka_unit_test(test_control_bytes_shown),
                cmocka_unit_test(test_invalid_utf8_shown),
                cmocka_unit_test(test_bidi_and_c1_shown),
                cmocka_unit_test(test_printf_escapes_result),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
