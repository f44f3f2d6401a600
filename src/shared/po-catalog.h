/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
#include <stddef.h>
/* Generated from po/zh_CN.po by tools/po2c.py: entries sorted by msgid (strcmp order). */
struct po_entry {
        const char *msgid;
        const char *msgstr;
};
extern const struct po_entry po_zh_cn[];
extern const size_t po_zh_cn_count;
