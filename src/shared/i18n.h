/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Message catalogs. English lives in the source; po/zh_CN.po is compiled into the binary at build
 * time (tools/po2c.py), so Chinese output works on hosts without a generated zh_CN locale — which
 * is most containers and minimal servers. */
#include <stdbool.h>

enum ui_lang { UI_LANG_EN, UI_LANG_ZH };

/* Choose the language: an explicit --lang value wins, then LANGUAGE, LC_ALL, LC_MESSAGES, LANG.
 * @return 0, or -EINVAL for an unknown explicit value. */
int i18n_init(const char *explicit_lang);
enum ui_lang i18n_lang(void);
/* "en" or "zh" */
const char *i18n_lang_code(void);
const char *i18n_gettext(const char *msgid) __attribute__((format_arg(1)));

#define _(s) i18n_gettext(s)
#define N_(s) (s)
