/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* A small metrics registry: families of counters and gauges with label sets, rendered in the
 * Prometheus text exposition format (version 0.0.4). Updates come from the daemon's loop, renders
 * from the HTTP thread: one mutex, held only to copy numbers, never while a client is served.
 * Other parts of the daemon (samplers) register their own families. */
#include <stddef.h>

enum metric_type { METRIC_COUNTER, METRIC_GAUGE };

#define METRICS_MAX_FAMILIES 64
#define METRICS_MAX_SERIES 512          /* per family: label sets beyond this are dropped and counted */
#define METRICS_LABELS_MAX 512          /* bytes of one rendered label set */

struct metrics;
struct metric_family;

int metrics_new(struct metrics **ret);
struct metrics *metrics_free(struct metrics *m);
/* name: "fsdoctor_..." in node_exporter style; help: one line. The registry owns the family. */
int metrics_family(struct metrics *m, const char *name, const char *help, enum metric_type type,
                   struct metric_family **ret);
/* labels: a rendered label set without braces ('rule="x",severity="y"'), "" for none. */
int metrics_set(struct metric_family *f, const char *labels, double value);
int metrics_add(struct metric_family *f, const char *labels, double value);
/* Every series of the family to 0 (gauges recomputed from scratch). */
void metrics_zero(struct metric_family *f);
/* Append key="value" (escaped as the format requires) to buf, comma-separated. @return 0 or -ENOBUFS. */
int metrics_label(char *buf, size_t size, const char *key, const char *value);
/* The whole exposition; *ret is malloc'd, the caller frees it. */
int metrics_render(struct metrics *m, char **ret, size_t *ret_len);
