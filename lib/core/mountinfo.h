/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Internal side of fsd_mountinfo_*: the line parser, for the unit test and the fuzzer. */
#include "fsdoctor.h"

/* Parse one mountinfo line in place (its strings end up pointing into line).
 * @return 0, or -FSD_E_FORMAT when the line does not have mountinfo's shape. */
int mountinfo_parse_line(char *line, struct fsd_mount *ret);
/* Lines fsd_mountinfo_read() skipped because they did not parse. */
uint64_t mountinfo_malformed(const struct fsd_mountinfo *mi);
