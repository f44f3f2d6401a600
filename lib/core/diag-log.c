/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include "diag-log.h"

static fsd_log_fn log_fn;
static void *log_userdata;

void fsd_set_log_fn(fsd_log_fn fn, void *userdata) {
        log_fn = fn;
        log_userdata = userdata;
}

void fsd_logf(int level, const char *fmt, ...) {
        if (!log_fn)
                return;
        char buf[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        log_fn(level, buf, log_userdata);
}
