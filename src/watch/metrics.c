/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "basic/strbuf.h"
#include "metrics.h"

struct metric_series {
        char *labels;
        double value;
};

struct metric_family {
        struct metrics *owner;
        char *name, *help;
        enum metric_type type;
        struct metric_series *series;
        size_t n_series, cap_series;
};

struct metrics {
        pthread_mutex_t lock;
        struct metric_family *families[METRICS_MAX_FAMILIES];
        size_t n_families;
};

int metrics_new(struct metrics **ret) {
        struct metrics *m = calloc(1, sizeof *m);
        if (!m)
                return -ENOMEM;
        pthread_mutex_init(&m->lock, NULL);
        *ret = m;
        return 0;
}

struct metrics *metrics_free(struct metrics *m) {
        if (!m)
                return NULL;
        for (size_t i = 0; i < m->n_families; i++) {
                struct metric_family *f = m->families[i];
                for (size_t j = 0; j < f->n_series; j++)
                        free(f->series[j].labels);
                free(f->series);
                free(f->name);
                free(f->help);
                free(f);
        }
        pthread_mutex_destroy(&m->lock);
        free(m);
        return NULL;
}

int metrics_family(struct metrics *m, const char *name, const char *help, enum metric_type type,
                   struct metric_family **ret) {
        if (m->n_families == METRICS_MAX_FAMILIES)
                return -ENOSPC;
        struct metric_family *f = calloc(1, sizeof *f);
        if (!f)
                return -ENOMEM;
        f->owner = m;
        f->type = type;
        f->name = strdup(name);
        f->help = strdup(help);
        if (!f->name || !f->help) {
                free(f->name);
                free(f->help);
                free(f);
                return -ENOMEM;
        }
        pthread_mutex_lock(&m->lock);
        m->families[m->n_families++] = f;
        pthread_mutex_unlock(&m->lock);
        *ret = f;
        return 0;
}

/* Called with the lock held. */
static struct metric_series *series_get(struct metric_family *f, const char *labels) {
        for (size_t i = 0; i < f->n_series; i++)
                if (strcmp(f->series[i].labels, labels) == 0)
                        return &f->series[i];
        if (f->n_series == METRICS_MAX_SERIES)
                return NULL;
        if (f->n_series == f->cap_series) {
                size_t cap = f->cap_series ? f->cap_series * 2 : 4;
                struct metric_series *n = realloc(f->series, cap * sizeof *n);
                if (!n)
                        return NULL;
                f->series = n;
                f->cap_series = cap;
        }
        char *copy = strdup(labels);
        if (!copy)
                return NULL;
        f->series[f->n_series] = (struct metric_series) { .labels = copy };
        return &f->series[f->n_series++];
}

static int update(struct metric_family *f, const char *labels, double value, bool add) {
        pthread_mutex_lock(&f->owner->lock);
        struct metric_series *s = series_get(f, labels ? labels : "");
        if (s)
                s->value = add ? s->value + value : value;
        pthread_mutex_unlock(&f->owner->lock);
        return s ? 0 : -ENOSPC;
}

int metrics_set(struct metric_family *f, const char *labels, double value) {
        return update(f, labels, value, false);
}

int metrics_add(struct metric_family *f, const char *labels, double value) {
        return update(f, labels, value, true);
}

void metrics_zero(struct metric_family *f) {
        pthread_mutex_lock(&f->owner->lock);
        for (size_t i = 0; i < f->n_series; i++)
                f->series[i].value = 0;
        pthread_mutex_unlock(&f->owner->lock);
}

int metrics_label(char *buf, size_t size, const char *key, const char *value) {
        size_t start = strlen(buf), o = start;
        int k = snprintf(buf + o, size - o, "%s%s=\"", o ? "," : "", key);
        if (k < 0 || (size_t) k >= size - o) {
                buf[start] = 0; /* refused whole: the label set stays as it was, still valid */
                return -ENOBUFS;
        }
        o += (size_t) k;
        for (const char *p = value ? value : ""; *p; p++) {
                const char *esc = *p == '\\' ? "\\\\" : *p == '"' ? "\\\"" : *p == '\n' ? "\\n" : NULL;
                size_t n = esc ? strlen(esc) : 1;
                if (o + n + 2 > size) {
                        buf[start] = 0;
                        return -ENOBUFS;
                }
                if (esc)
                        memcpy(buf + o, esc, n);
                else
                        buf[o] = *p;
                o += n;
        }
        buf[o++] = '"';
        buf[o] = 0;
        return 0;
}

static void put_value(struct strbuf *b, double v) {
        if (isnan(v))
                strbuf_puts(b, "NaN");
        else if (isinf(v))
                strbuf_puts(b, v > 0 ? "+Inf" : "-Inf");
        else if (v == floor(v) && fabs(v) < 1e15)
                strbuf_printf(b, "%.0f", v);
        else
                strbuf_printf(b, "%.17g", v);
}

int metrics_render(struct metrics *m, char **ret, size_t *ret_len) {
        struct strbuf b = STRBUF_INIT;
        pthread_mutex_lock(&m->lock);
        for (size_t i = 0; i < m->n_families; i++) {
                const struct metric_family *f = m->families[i];
                strbuf_printf(&b, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name,
                              f->type == METRIC_COUNTER ? "counter" : "gauge");
                for (size_t j = 0; j < f->n_series; j++) {
                        const struct metric_series *s = &f->series[j];
                        strbuf_puts(&b, f->name);
                        if (s->labels[0])
                                strbuf_printf(&b, "{%s}", s->labels);
                        strbuf_putc(&b, ' ');
                        put_value(&b, s->value);
                        strbuf_putc(&b, '\n');
                }
        }
        pthread_mutex_unlock(&m->lock);
        if (strbuf_failed(&b)) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        *ret_len = b.len;
        *ret = strbuf_steal(&b);
        return *ret ? 0 : -ENOMEM;
}
