/* SPDX-License-Identifier: GPL-2.0-or-later */
/* placeholder until the report parser lands */
#include <errno.h>
#include <stdlib.h>
#include "fsdoctor.h"

struct fsd_report_parser { int unused; };

const char *fsd_report_type_name(enum fsd_report_type t) { return "unknown"; }
int fsd_report_parser_new(struct fsd_report_parser **ret) {
        *ret = calloc(1, sizeof **ret);
        return *ret ? 0 : -ENOMEM;
}
int fsd_report_parser_feed(struct fsd_report_parser *p, const struct fsd_record *rec, fsd_report_fn cb, void *ud) { return 0; }
int fsd_report_parser_finish(struct fsd_report_parser *p, fsd_report_fn cb, void *ud) { return 0; }
struct fsd_report_parser *fsd_report_parser_free(struct fsd_report_parser *p) { free(p); return NULL; }
int fsd_report_to_json(const struct fsd_report *r, char **ret) { return -ENOSYS; }
