/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Shared between debuginfo.c (opening files, looking up one frame) and report-lines.c (every
 * frame of a report, and its JSON). */
#include "fsdoctor.h"
#include "basic/json-writer.h"

/* The frame's lines as JSON members of the frame object being written: "location" and
 * "inlined" (docs/json-schema-report.md). */
void frame_lines_json(struct json_writer *w, const struct fsd_frame_lines *fl);
