/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include "fsdoctor.h"
#include "verbs.h"

int log_error(const char *fmt, ...) {
        va_list ap;
        fputs("fsdoctor: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
        return EXIT_USAGE_OR_ERROR;
}

void log_warning(const char *fmt, ...) {
        va_list ap;
        fputs("fsdoctor: warning: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

static void library_log(int level, const char *msg, void *userdata) {
        int max = (int) (intptr_t) userdata;
        if (level > max)
                return;
        fprintf(stderr, "fsdoctor: %s%s\n", level <= FSD_LOG_WARNING ? "warning: " : "", msg);
}

void log_setup_library(int max_level) {
        fsd_set_log_fn(library_log, (void *) (intptr_t) max_level);
}
