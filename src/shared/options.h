/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Option values every verb accepts the same way (--format, --color), parsed in one place so the
 * verbs agree on the spellings and on the error message. */
#include "term.h"

enum output_format { OUTPUT_TEXT, OUTPUT_JSON, OUTPUT_HTML };
/* Which formats a verb offers. */
enum format_set { FORMATS_TEXT_JSON, FORMATS_WITH_HTML };

/* --format=text|json|html ("jsonl" is accepted for json; html only in FORMATS_WITH_HTML).
 * @return 0, or logs what was expected and returns EXIT_USAGE_OR_ERROR. */
int parse_format_arg(const char *arg, enum format_set set, enum output_format *ret);
/* --color=auto|always|never (also yes/no). @return 0, or logs and returns EXIT_USAGE_OR_ERROR. */
int parse_color_arg(const char *arg, enum color_mode *ret);
