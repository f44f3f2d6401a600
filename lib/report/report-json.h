/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The report JSON writer with a hook that adds members to each frame object (the symbolize
 * module adds a frame's source lines and inline chain). */
#include <stddef.h>
#include "fsdoctor.h"
#include "basic/json-writer.h"

typedef void (*report_frame_json_fn)(struct json_writer *w, size_t frame_index, void *userdata);

/* fsd_report_to_json() with frame_extra (may be NULL) called inside each frame object, and once
 * with frame_index SIZE_MAX in the report object, before "frames". */
int report_to_json_ext(const struct fsd_report *r, report_frame_json_fn frame_extra, void *userdata,
                       char **ret_json);
