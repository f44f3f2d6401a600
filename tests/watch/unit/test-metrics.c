/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The metrics registry's text exposition: one HELP and one TYPE line per family before its series,
 * names and values as the format wants them, label values escaped, counters that only go up, and
 * the series limit. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "basic/cleanup.h"
#include "watch/metrics.h"

static char *render(struct metrics *m) {
        char *text = NULL;
        size_t len = 0;
        assert_int_equal(metrics_render(m, &text, &len), 0);
        assert_int_equal(strlen(text), len);
        return text;
}

/* The value of the series line that starts with prefix ("name{labels} "), or NAN. */
static double series_value(const char *text, const char *prefix) {
        size_t n = strlen(prefix);
        for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
                if (strncmp(p, prefix, n) == 0 && p[n] == ' ')
                        return strtod(p + n + 1, NULL);
        return NAN;
}

static void test_families_and_types(void **state) {
        struct metrics *m = NULL;
        struct metric_family *raised = NULL, *ro = NULL, *empty = NULL;
        assert_int_equal(metrics_new(&m), 0);
        assert_int_equal(metrics_family(m, "fsdoctor_incidents_raised_total", "Incidents raised", METRIC_COUNTER, &raised), 0);
        assert_int_equal(metrics_family(m, "fsdoctor_filesystem_read_only", "1 while read-only", METRIC_GAUGE, &ro), 0);
        assert_int_equal(metrics_family(m, "fsdoctor_nothing_yet", "No series", METRIC_GAUGE, &empty), 0);
        assert_int_equal(metrics_add(raised, "rule=\"a\"", 1), 0);
        assert_int_equal(metrics_set(ro, "", 1), 0);
        assert_int_equal(metrics_set(ro, "device=\"sda\"", 0.25), 0);
        _cleanup_free_ char *text = render(m);
        assert_string_equal(text,
                            "# HELP fsdoctor_incidents_raised_total Incidents raised\n"
                            "# TYPE fsdoctor_incidents_raised_total counter\n"
                            "fsdoctor_incidents_raised_total{rule=\"a\"} 1\n"
                            "# HELP fsdoctor_filesystem_read_only 1 while read-only\n"
                            "# TYPE fsdoctor_filesystem_read_only gauge\n"
                            "fsdoctor_filesystem_read_only 1\n"
                            "fsdoctor_filesystem_read_only{device=\"sda\"} 0.25\n"
                            "# HELP fsdoctor_nothing_yet No series\n"
                            "# TYPE fsdoctor_nothing_yet gauge\n");
        metrics_free(m);
}

static void test_values(void **state) {
        struct metrics *m = NULL;
        struct metric_family *g = NULL;
        assert_int_equal(metrics_new(&m), 0);
        assert_int_equal(metrics_family(m, "fsdoctor_g", "g", METRIC_GAUGE, &g), 0);
        metrics_set(g, "k=\"nan\"", NAN);
        metrics_set(g, "k=\"inf\"", INFINITY);
        metrics_set(g, "k=\"ninf\"", -INFINITY);
        metrics_set(g, "k=\"big\"", 1e20);
        metrics_set(g, "k=\"time\"", 1765207517.328594);
        metrics_set(g, "k=\"neg\"", -28);
        _cleanup_free_ char *text = render(m);
        assert_non_null(strstr(text, "fsdoctor_g{k=\"nan\"} NaN\n"));
        assert_non_null(strstr(text, "fsdoctor_g{k=\"inf\"} +Inf\n"));
        assert_non_null(strstr(text, "fsdoctor_g{k=\"ninf\"} -Inf\n"));
        assert_non_null(strstr(text, "fsdoctor_g{k=\"neg\"} -28\n"));
        /* no precision lost: a timestamp in seconds keeps its microseconds */
        assert_true(fabs(series_value(text, "fsdoctor_g{k=\"time\"}") - 1765207517.328594) < 1e-6);
        assert_true(series_value(text, "fsdoctor_g{k=\"big\"}") == 1e20);
        metrics_free(m);
}

static void test_label_escaping(void **state) {
        char buf[METRICS_LABELS_MAX] = "";
        assert_int_equal(metrics_label(buf, sizeof buf, "device", "dm-9"), 0);
        assert_int_equal(metrics_label(buf, sizeof buf, "title", "a \"quoted\" \\path\\\nnext"), 0);
        assert_int_equal(metrics_label(buf, sizeof buf, "none", NULL), 0);
        assert_string_equal(buf, "device=\"dm-9\",title=\"a \\\"quoted\\\" \\\\path\\\\\\nnext\",none=\"\"");

        /* too long: refused whole, never a label cut inside an escape */
        char small[16];
        memset(small, 'x', sizeof small);
        small[0] = 0;
        assert_int_equal(metrics_label(small, sizeof small, "k", "0123456789abcdef"), -ENOBUFS);
        assert_string_equal(small, "");
        char tight[12] = "a=\"b\"";
        assert_int_equal(metrics_label(tight, sizeof tight, "k", "\\\\"), -ENOBUFS);
        assert_string_equal(tight, "a=\"b\""); /* what was there before stays a valid label set */
        char exact[8] = "";
        assert_int_equal(metrics_label(exact, sizeof exact, "k", "abc"), 0); /* k="abc" and NUL: 8 */
        assert_string_equal(exact, "k=\"abc\"");

        /* an escaped label set round-trips through the exposition */
        struct metrics *m = NULL;
        struct metric_family *f = NULL;
        assert_int_equal(metrics_new(&m), 0);
        assert_int_equal(metrics_family(m, "fsdoctor_x", "x", METRIC_GAUGE, &f), 0);
        assert_int_equal(metrics_set(f, buf, 2), 0);
        _cleanup_free_ char *text = render(m);
        char want[METRICS_LABELS_MAX + 32];
        snprintf(want, sizeof want, "fsdoctor_x{%s} 2\n", buf);
        assert_non_null(strstr(text, want));
        metrics_free(m);
}

static void test_counters_monotonic(void **state) {
        struct metrics *m = NULL;
        struct metric_family *c = NULL, *g = NULL;
        assert_int_equal(metrics_new(&m), 0);
        assert_int_equal(metrics_family(m, "fsdoctor_kernel_records_total", "records", METRIC_COUNTER, &c), 0);
        assert_int_equal(metrics_family(m, "fsdoctor_incidents", "incidents", METRIC_GAUGE, &g), 0);
        double last = -1;
        for (int i = 0; i < 100; i++) {
                assert_int_equal(metrics_add(c, "", (double) (i % 7)), 0);
                assert_int_equal(metrics_add(g, "state=\"open\"", 1), 0);
                if (i % 10 == 0)
                        metrics_zero(g); /* gauges are recomputed from scratch; counters never are */
                _cleanup_free_ char *text = render(m);
                double v = series_value(text, "fsdoctor_kernel_records_total");
                assert_true(v >= last);
                last = v;
        }
        int sum = 0;
        for (int i = 0; i < 100; i++)
                sum += i % 7;
        assert_true(last == sum);
        metrics_free(m);
}

static void test_series_limit(void **state) {
        struct metrics *m = NULL;
        struct metric_family *f = NULL;
        assert_int_equal(metrics_new(&m), 0);
        assert_int_equal(metrics_family(m, "fsdoctor_many", "many", METRIC_GAUGE, &f), 0);
        for (int i = 0; i < METRICS_MAX_SERIES; i++) {
                char labels[64] = "", v[16];
                snprintf(v, sizeof v, "%d", i);
                metrics_label(labels, sizeof labels, "i", v);
                assert_int_equal(metrics_set(f, labels, i), 0);
        }
        /* one more label set is refused; an existing one still updates */
        assert_int_equal(metrics_set(f, "i=\"new\"", 1), -ENOSPC);
        assert_int_equal(metrics_set(f, "i=\"0\"", 5), 0);
        _cleanup_free_ char *text = render(m);
        assert_null(strstr(text, "i=\"new\""));
        assert_true(series_value(text, "fsdoctor_many{i=\"0\"}") == 5);
        size_t lines = 0;
        for (const char *p = text; *p; p++)
                lines += *p == '\n';
        assert_int_equal(lines, METRICS_MAX_SERIES + 2);
        metrics_free(m);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_families_and_types),
                cmocka_unit_test(test_values),
                cmocka_unit_test(test_label_escaping),
                cmocka_unit_test(test_counters_monotonic),
                cmocka_unit_test(test_series_limit),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
