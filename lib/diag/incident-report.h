/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Owned copies of reports an incident keeps beyond the report callback. */
#include "fsdoctor.h"

/* Deep copy: every string and the frames, each string cut at INCIDENT_REPORT_MAX_STRING bytes and
 * at most INCIDENT_REPORT_MAX_FRAMES frames, so a hostile report cannot grow an incident.
 * @return 0 and the copy (free with incident_report_free()), or -ENOMEM. */
#define INCIDENT_REPORT_MAX_STRING 8192
#define INCIDENT_REPORT_MAX_FRAMES 128
int incident_report_dup(const struct fsd_report *r, struct fsd_report **ret_copy);
struct fsd_report *incident_report_free(struct fsd_report *r);
