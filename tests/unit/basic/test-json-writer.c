/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "basic/json-writer.h"

static void test_nested_and_escaping(void **state) {
        struct strbuf b = STRBUF_INIT;
        struct json_writer w;
        json_writer_init(&w, &b);
        json_object_begin(&w);
        json_kv_string(&w, "a", "q\"\\\n\x01\x1b[31m");
        json_key(&w, "list");
        json_array_begin(&w);
        json_int(&w, -28);
        json_object_begin(&w);
        json_object_end(&w);
        json_string(&w, NULL);
        json_array_end(&w);
        json_kv_bool(&w, "t", true);
        json_object_end(&w);
        assert_string_equal(strbuf_str(&b),
                "{\"a\":\"q\\\"\\\\\\n\\u0001\\u001b[31m\",\"list\":[-28,{},null],\"t\":true}");
        strbuf_done(&b);
}

static void test_invalid_utf8_replaced(void **state) {
        struct strbuf b = STRBUF_INIT;
        json_escape(&b, "ok\xff\xc3\xa9\xe4\xb8", 7);
        /* \xff invalid, é kept, truncated 3-byte sequence replaced byte by byte */
        assert_string_equal(strbuf_str(&b), "ok\\ufffd\xc3\xa9\\ufffd\\ufffd");
        strbuf_done(&b);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_nested_and_escaping),
                cmocka_unit_test(test_invalid_utf8_replaced),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
