/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * When does metadata headroom run out? A straight line through (time, headroom) over a sliding
 * window, fitted with the Theil-Sen estimator: the slope is the median of the slopes between all
 * pairs of points, so a balance, a burst of deletes or a commit that frees pinned space (sudden
 * steps in the series) moves it far less than it moves least squares. The band is Sen's (1968)
 * distribution-free confidence interval: order statistics of the same pairwise slopes, at ranks
 * set by the variance of Kendall's S. Exhaustion is where the fitted line crosses zero.
 */
#define FSD_EXPERIMENTAL_API
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "fsdoctor.h"

#define DEFAULT_WINDOW 1800.0
#define DEFAULT_POINTS 240
#define MAX_POINTS 2048
#define MIN_POINTS 5

struct fsd_btrfs_forecast {
        double window;
        size_t max_points;
        double z;                /* standard normal quantile for the band */
        double *t, *y;
        size_t n;
};

/* z with P(|Z| <= z) = confidence, by bisection on erfc (monotone; 60 halvings reach double
 * precision) */
static double normal_quantile_two_sided(double confidence) {
        double alpha = 1.0 - confidence, lo = 0.0, hi = 10.0;
        for (int i = 0; i < 60; i++) {
                double mid = (lo + hi) / 2;
                if (erfc(mid / M_SQRT2) > alpha)
                        lo = mid;
                else
                        hi = mid;
        }
        return (lo + hi) / 2;
}

int fsd_btrfs_forecast_new(const struct fsd_btrfs_forecast_opts *opts, struct fsd_btrfs_forecast **ret) {
        if (!ret || (opts && opts->sz < sizeof(size_t)))
                return -EINVAL;
        double window = DEFAULT_WINDOW, confidence = 0.90;
        size_t max_points = DEFAULT_POINTS;
        if (opts && opts->sz >= offsetof(struct fsd_btrfs_forecast_opts, window_seconds) + sizeof(double) &&
            opts->window_seconds > 0)
                window = opts->window_seconds;
        if (opts && opts->sz >= offsetof(struct fsd_btrfs_forecast_opts, max_points) + sizeof(size_t) &&
            opts->max_points > 0)
                max_points = opts->max_points;
        if (opts && opts->sz >= offsetof(struct fsd_btrfs_forecast_opts, confidence) + sizeof(double) &&
            opts->confidence > 0)
                confidence = opts->confidence;
        if (!isfinite(window) || max_points < MIN_POINTS || max_points > MAX_POINTS || !(confidence < 1.0))
                return -EINVAL;

        struct fsd_btrfs_forecast *f = calloc(1, sizeof *f);
        if (!f)
                return -ENOMEM;
        f->window = window;
        f->max_points = max_points;
        f->z = normal_quantile_two_sided(confidence);
        f->t = calloc(max_points, sizeof *f->t);
        f->y = calloc(max_points, sizeof *f->y);
        if (!f->t || !f->y)
                return fsd_btrfs_forecast_free(f), -ENOMEM;
        *ret = f;
        return 0;
}

struct fsd_btrfs_forecast *fsd_btrfs_forecast_free(struct fsd_btrfs_forecast *f) {
        if (!f)
                return NULL;
        free(f->t);
        free(f->y);
        free(f);
        return NULL;
}

static void drop_front(struct fsd_btrfs_forecast *f, size_t k) {
        memmove(f->t, f->t + k, (f->n - k) * sizeof *f->t);
        memmove(f->y, f->y + k, (f->n - k) * sizeof *f->y);
        f->n -= k;
}

int fsd_btrfs_forecast_add(struct fsd_btrfs_forecast *f, double t, double headroom) {
        if (!f || !isfinite(t) || !isfinite(headroom))
                return -EINVAL;
        if (f->n > 0 && t <= f->t[f->n - 1])
                f->n = 0;
        if (f->n == f->max_points)
                drop_front(f, 1);
        f->t[f->n] = t;
        f->y[f->n] = headroom;
        f->n++;
        size_t old = 0;
        while (old < f->n && f->t[old] < t - f->window)
                old++;
        drop_front(f, old);
        return 0;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

static double median_sorted(const double *v, size_t n) {
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* the median of y - slope * (t - t_last): where a line of this slope stands at the newest point */
static double median_level(const struct fsd_btrfs_forecast *f, double slope, double t_last, double *scratch) {
        for (size_t i = 0; i < f->n; i++)
                scratch[i] = f->y[i] - slope * (f->t[i] - t_last);
        qsort(scratch, f->n, sizeof *scratch, cmp_double);
        return median_sorted(scratch, f->n);
}

/* seconds until level reaches 0 at this slope */
static double time_to_zero(double level, double slope) {
        if (level <= 0)
                return 0.0;
        if (!(slope < 0))
                return INFINITY;
        return level / -slope;
}

int fsd_btrfs_forecast_compute(const struct fsd_btrfs_forecast *f, struct fsd_btrfs_forecast_result *ret) {
        if (!f || !ret)
                return -EINVAL;
        *ret = (struct fsd_btrfs_forecast_result) {
                .n_points = f->n, .eta = INFINITY, .eta_early = INFINITY, .eta_late = INFINITY,
        };
        size_t n = f->n;
        if (n < MIN_POINTS || !(f->t[n - 1] > f->t[0]))
                return 0;

        size_t n_pairs = n * (n - 1) / 2;
        _cleanup_free_ double *slopes = malloc(n_pairs * sizeof *slopes);
        _cleanup_free_ double *resid = malloc(n * sizeof *resid);
        if (!slopes || !resid)
                return -ENOMEM;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
                for (size_t j = i + 1; j < n; j++)
                        slopes[k++] = (f->y[j] - f->y[i]) / (f->t[j] - f->t[i]);
        qsort(slopes, k, sizeof *slopes, cmp_double);
        double slope = median_sorted(slopes, k);

        /* Sen's interval: ranks (N -+ C) / 2 with C = z * sqrt(Var S) (ties ignored) */
        double var_s = (double) n * (double) (n - 1) * (double) (2 * n + 5) / 18.0;
        double c = f->z * sqrt(var_s);
        double lo_rank = floor(((double) k - c) / 2.0);
        double hi_rank = ceil(((double) k + c) / 2.0);
        size_t lo = lo_rank < 0 ? 0 : (size_t) lo_rank;
        size_t hi = hi_rank > (double) (k - 1) ? k - 1 : (size_t) hi_rank;

        /* level: median of the residuals, in time relative to the newest point. Each bound of the
         * band gets its own level the same way, so its line pivots around the middle of the data
         * (a steeper line ends lower) and the band covers the level's uncertainty as well. */
        double t_last = f->t[n - 1];
        double level = median_level(f, slope, t_last, resid);
        double level_low = median_level(f, slopes[lo], t_last, resid);
        double level_high = median_level(f, slopes[hi], t_last, resid);

        ret->valid = true;
        ret->slope = slope;
        ret->slope_low = slopes[lo];
        ret->slope_high = slopes[hi];
        ret->level = level;
        ret->eta = time_to_zero(level, slope);
        ret->eta_early = time_to_zero(level_low, ret->slope_low);
        ret->eta_late = time_to_zero(level_high, ret->slope_high);
        /* with almost no scatter the two bounds may cross over the estimate: keep the band ordered */
        if (ret->eta_early > ret->eta)
                ret->eta_early = ret->eta;
        if (ret->eta_late < ret->eta)
                ret->eta_late = ret->eta;
        return 0;
}
