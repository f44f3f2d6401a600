/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The library's only way to say something: through the callback from fsd_set_log_fn(). */
#include "fsdoctor.h"
#include "basic/cleanup.h"

void fsd_logf(int level, const char *fmt, ...) _printf_(2, 3);
#define fsd_debug(...) fsd_logf(FSD_LOG_DEBUG, __VA_ARGS__)
#define fsd_info(...) fsd_logf(FSD_LOG_INFO, __VA_ARGS__)
#define fsd_warn(...) fsd_logf(FSD_LOG_WARNING, __VA_ARGS__)
#define fsd_err(...) fsd_logf(FSD_LOG_ERR, __VA_ARGS__)
