/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "i18n.h"
#include "po-catalog.h"

static enum ui_lang current = UI_LANG_EN;

static bool lang_is_zh(const char *v) {
        return v && (strncmp(v, "zh", 2) == 0);
}

int i18n_init(const char *explicit_lang) {
        if (explicit_lang) {
                if (strcmp(explicit_lang, "en") == 0 || strncmp(explicit_lang, "en_", 3) == 0 ||
                    strcmp(explicit_lang, "C") == 0)
                        current = UI_LANG_EN;
                else if (lang_is_zh(explicit_lang))
                        current = UI_LANG_ZH;
                else
                        return -EINVAL;
                return 0;
        }
        /* POSIX precedence: the first of these that is set decides */
        static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
        for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
                const char *v = getenv(vars[i]);
                if (v && *v) {
                        current = lang_is_zh(v) ? UI_LANG_ZH : UI_LANG_EN;
                        return 0;
                }
        }
        current = UI_LANG_EN;
        return 0;
}

enum ui_lang i18n_lang(void) {
        return current;
}

const char *i18n_lang_code(void) {
        return current == UI_LANG_ZH ? "zh" : "en";
}

static int catalog_cmp(const void *key, const void *elem) {
        return strcmp(key, ((const struct po_entry *) elem)->msgid);
}

const char *i18n_gettext(const char *msgid) {
        if (current != UI_LANG_ZH || !msgid || !*msgid)
                return msgid;
        const struct po_entry *e = bsearch(msgid, po_zh_cn, po_zh_cn_count, sizeof po_zh_cn[0], catalog_cmp);
        return e && e->msgstr[0] ? e->msgstr : msgid;
}
