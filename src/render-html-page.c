/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The page shell around a rendered body: the embedded template with its style sheet. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "basic/html-writer.h"
#include "render-html.h"
#include "shared/i18n.h"

const char *html_lang_attribute(void) {
        return i18n_lang() == UI_LANG_ZH ? "zh-CN" : "en";
}

int html_page_write(FILE *out, const char *title, const char *kind, const struct strbuf *body) {
        struct strbuf t = STRBUF_INIT;
        html_puts(&t, title);
        if (strbuf_failed(&t))
                return -ENOMEM;
        const char *slot[_HTML_SLOT_MAX] = {
                [HTML_SLOT_LANG] = html_lang_attribute(),
                [HTML_SLOT_TITLE] = strbuf_str(&t),
                [HTML_SLOT_KIND] = kind,
                [HTML_SLOT_BODY] = strbuf_str(body),
        };
        for (size_t i = 0; i < _HTML_SLOT_MAX; i++) {
                fwrite(html_page_chunks[i], 1, html_page_chunk_len[i], out);
                fputs(slot[i], out);
        }
        fwrite(html_page_chunks[_HTML_SLOT_MAX], 1, html_page_chunk_len[_HTML_SLOT_MAX], out);
        strbuf_done(&t);
        return ferror(out) ? -EIO : 0;
}

