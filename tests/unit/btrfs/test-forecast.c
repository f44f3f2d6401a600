/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Theil-Sen forecast of metadata exhaustion on series whose answer is known. */
#define FSD_EXPERIMENTAL_API
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fsdoctor.h"

#define MiB 1048576.0

static struct fsd_btrfs_forecast *new_forecast(double window, size_t max_points) {
        FSD_OPTS(fsd_btrfs_forecast_opts, o, .window_seconds = window, .max_points = max_points);
        struct fsd_btrfs_forecast *f = NULL;
        assert_int_equal(fsd_btrfs_forecast_new(&o, &f), 0);
        return f;
}

/* xorshift: the same "noise" on every run */
static double noise(uint64_t *state) {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        return (double) (*state % 2000001) / 1000000.0 - 1.0; /* [-1, 1] */
}

/* 100 MiB falling by 1 MiB/s: exhausted 100 s after t = 0, i.e. 40 s after the last point */
static void test_exact_line(void **state) {
        struct fsd_btrfs_forecast *f = new_forecast(1000, 240);
        for (int t = 0; t <= 60; t++)
                assert_int_equal(fsd_btrfs_forecast_add(f, 1000.0 + t, 100 * MiB - t * MiB), 0);
        struct fsd_btrfs_forecast_result r;
        assert_int_equal(fsd_btrfs_forecast_compute(f, &r), 0);
        assert_true(r.valid);
        assert_int_equal(r.n_points, 61);
        assert_true(fabs(r.slope + MiB) < 1e-6);
        assert_true(fabs(r.eta - 40.0) < 1e-6);
        /* no scatter: the band collapses onto the slope */
        assert_true(fabs(r.eta_early - 40.0) < 1e-6 && fabs(r.eta_late - 40.0) < 1e-6);
        fsd_btrfs_forecast_free(f);
}

/* noise of +-2 MiB and five 30 MiB spikes (a commit freeing pinned space, a balance step), over
 * 200 different noise draws: the estimate stays within 5 % of the true time (least squares moves
 * with the spikes), and the 90 % band holds the truth in at least 80 % of the draws */
static void test_noise_and_outliers(void **state) {
        const double slope = -0.5 * MiB; /* per second, samples every 5 s */
        const double truth = (400 * MiB + slope * 495.0) / -slope; /* 305 s after the last point */
        unsigned covered = 0, draws = 200;
        for (uint64_t seed = 1; seed <= draws; seed++) {
                struct fsd_btrfs_forecast *f = new_forecast(1000, 240);
                uint64_t st = seed * 0x9e3779b97f4a7c15u;
                for (int i = 0; i < 100; i++) {
                        double t = i * 5.0;
                        double y = 400 * MiB + slope * t + 2 * MiB * noise(&st);
                        if (i % 20 == 7)
                                y += 30 * MiB;
                        assert_int_equal(fsd_btrfs_forecast_add(f, t, y), 0);
                }
                struct fsd_btrfs_forecast_result r;
                assert_int_equal(fsd_btrfs_forecast_compute(f, &r), 0);
                assert_true(r.valid);
                assert_true(fabs(r.eta - truth) / truth < 0.05);
                assert_true(r.slope_low <= r.slope && r.slope <= r.slope_high);
                assert_true(r.eta_early <= r.eta && r.eta <= r.eta_late);
                covered += r.eta_early <= truth && truth <= r.eta_late;
                fsd_btrfs_forecast_free(f);
        }
        printf("noisy series: band held the true time in %u of %u draws\n", covered, draws);
        assert_true(covered >= draws * 8 / 10);
}

/* growing or flat headroom never runs out */
static void test_not_falling(void **state) {
        struct fsd_btrfs_forecast *f = new_forecast(1000, 240);
        for (int t = 0; t < 30; t++)
                fsd_btrfs_forecast_add(f, t, 50 * MiB + (t % 2) * 1024);
        struct fsd_btrfs_forecast_result r;
        assert_int_equal(fsd_btrfs_forecast_compute(f, &r), 0);
        assert_true(r.valid);
        assert_true(isinf(r.eta) && isinf(r.eta_late));
        fsd_btrfs_forecast_free(f);
}

/* already below zero: exhausted now */
static void test_exhausted(void **state) {
        struct fsd_btrfs_forecast *f = new_forecast(1000, 240);
        for (int t = 0; t < 10; t++)
                fsd_btrfs_forecast_add(f, t, -1 * MiB - t * 1024);
        struct fsd_btrfs_forecast_result r;
        assert_int_equal(fsd_btrfs_forecast_compute(f, &r), 0);
        assert_true(r.valid && r.eta == 0.0);
        fsd_btrfs_forecast_free(f);
}

/* the window forgets an old trend: first slow, then fast; only the fast part counts */
static void test_window_and_reset(void **state) {
        struct fsd_btrfs_forecast *f = new_forecast(60, 240);
        for (int t = 0; t < 300; t++) {
                double y = t < 200 ? 500 * MiB - t * 0.01 * MiB : 498 * MiB - (t - 200) * 2 * MiB;
                fsd_btrfs_forecast_add(f, t, y);
        }
        struct fsd_btrfs_forecast_result r;
        assert_int_equal(fsd_btrfs_forecast_compute(f, &r), 0);
        assert_int_equal(r.n_points, 61);
        assert_true(fabs(r.slope + 2 * MiB) < 1.0);
        /* a clock going backwards starts over */
        fsd_btrfs_forecast_add(f, 10, 1 * MiB);
        assert_int_equal(fsd_btrfs_forecast_compute(f, &r), 0);
        assert_false(r.valid);
        assert_int_equal(r.n_points, 1);
        fsd_btrfs_forecast_free(f);
}

static void test_too_few_and_bad_input(void **state) {
        struct fsd_btrfs_forecast *f = new_forecast(0, 0); /* defaults */
        struct fsd_btrfs_forecast_result r;
        for (int t = 0; t < 4; t++)
                fsd_btrfs_forecast_add(f, t, 1e6);
        assert_int_equal(fsd_btrfs_forecast_compute(f, &r), 0);
        assert_false(r.valid);
        assert_int_equal(fsd_btrfs_forecast_add(f, NAN, 1), -EINVAL);
        assert_int_equal(fsd_btrfs_forecast_add(f, 5, INFINITY), -EINVAL);
        assert_int_equal(fsd_btrfs_forecast_add(NULL, 5, 1), -EINVAL);
        fsd_btrfs_forecast_free(f);
        FSD_OPTS(fsd_btrfs_forecast_opts, bad, .max_points = 3);
        assert_int_equal(fsd_btrfs_forecast_new(&bad, &f), -EINVAL);
        FSD_OPTS(fsd_btrfs_forecast_opts, bad2, .confidence = 1.5);
        assert_int_equal(fsd_btrfs_forecast_new(&bad2, &f), -EINVAL);
        assert_null(fsd_btrfs_forecast_free(NULL));
}

/* A series recorded in the lab (tests/lab/guard/metadata-exhaustion.sh without the guard):
 * columns t (s since the workload started) and metadata headroom (bytes); the workload saw its
 * first ENOSPC at the time given in the file's header. Fitting the first part of the run must
 * predict it within the stated error. */
static void test_recorded_series(void **state) {
        const char *path = getenv("FORECAST_SERIES");
        if (!path)
                skip();
        FILE *in = fopen(path, "re");
        assert_non_null(in);
        char line[256];
        double enospc_at = -1, fit_until = -1, max_error = -1;
        double t[4096], y[4096];
        size_t n = 0;
        while (fgets(line, sizeof line, in)) {
                if (sscanf(line, "# enospc_at %lf", &enospc_at) == 1 || sscanf(line, "# fit_until %lf", &fit_until) == 1 ||
                    sscanf(line, "# max_relative_error %lf", &max_error) == 1 || line[0] == '#')
                        continue;
                if (n < 4096 && sscanf(line, "%lf %lf", &t[n], &y[n]) == 2)
                        n++;
        }
        fclose(in);
        assert_true(enospc_at > 0 && fit_until > 0 && max_error > 0 && n > 10);
        struct fsd_btrfs_forecast *f = new_forecast(1e6, 2048);
        double last = 0;
        for (size_t i = 0; i < n && t[i] <= fit_until; i++) {
                fsd_btrfs_forecast_add(f, t[i], y[i]);
                last = t[i];
        }
        struct fsd_btrfs_forecast_result r;
        assert_int_equal(fsd_btrfs_forecast_compute(f, &r), 0);
        assert_true(r.valid);
        double predicted = last + r.eta;
        double err = fabs(predicted - enospc_at) / (enospc_at - last);
        printf("recorded: fit to %.1f s, predicted exhaustion at %.1f s (band %.1f..%.1f), ENOSPC at %.1f s: "
               "error %.1f %% of the lead time\n", last, predicted, last + r.eta_early, last + r.eta_late,
               enospc_at, err * 100);
        assert_true(err <= max_error);
        fsd_btrfs_forecast_free(f);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_exact_line),
                cmocka_unit_test(test_noise_and_outliers),
                cmocka_unit_test(test_not_falling),
                cmocka_unit_test(test_exhausted),
                cmocka_unit_test(test_window_and_reset),
                cmocka_unit_test(test_too_few_and_bad_input),
                cmocka_unit_test(test_recorded_series),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
