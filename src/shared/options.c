/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include "i18n.h"
#include "options.h"
#include "verbs.h"

int parse_format_arg(const char *arg, enum format_set set, enum output_format *ret) {
        if (strcmp(arg, "text") == 0)
                *ret = OUTPUT_TEXT;
        else if (strcmp(arg, "json") == 0 || strcmp(arg, "jsonl") == 0)
                *ret = OUTPUT_JSON;
        else if (set == FORMATS_WITH_HTML && strcmp(arg, "html") == 0)
                *ret = OUTPUT_HTML;
        else if (set == FORMATS_WITH_HTML)
                return log_error(_("invalid --format '%s' (expected text, json or html)"), arg);
        else
                return log_error(_("invalid --format '%s' (expected text or json)"), arg);
        return 0;
}

int parse_color_arg(const char *arg, enum color_mode *ret) {
        if (color_mode_parse(arg, ret) < 0)
                return log_error(_("invalid --color '%s' (expected auto, always or never)"), arg);
        return 0;
}
