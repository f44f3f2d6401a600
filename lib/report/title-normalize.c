/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Title normalisation: the parts of a title that differ from run to run become NUM/ADDR. */
#include <stdbool.h>
#include <string.h>
#include "report-internal.h"

/* Syzkaller-style normalisation: numbers that differ per run become NUM/ADDR so that equal bugs
 * get equal titles. Word-internal digits ("ip6_fragment", "ext4") stay. */
void title_normalize(char *s) {
        char out[REPORT_MAX_TITLE + 1];
        size_t o = 0;
        for (size_t i = 0; s[i] && o < REPORT_MAX_TITLE;) {
                char c = s[i];
                bool word_before = i > 0 && (s[i - 1] == '_' || (s[i - 1] >= 'a' && s[i - 1] <= 'z') ||
                                             (s[i - 1] >= 'A' && s[i - 1] <= 'Z') || (s[i - 1] >= '0' && s[i - 1] <= '9'));
                if (c >= '0' && c <= '9' && !word_before) {
                        size_t j = i;
                        bool hex = s[j] == '0' && s[j + 1] == 'x';
                        if (hex)
                                j += 2;
                        size_t digits = 0;
                        while ((s[j] >= '0' && s[j] <= '9') || ((hex || true) && ((s[j] >= 'a' && s[j] <= 'f')))) {
                                j++;
                                digits++;
                        }
                        bool word_after = s[j] == '_' || (s[j] >= 'g' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z');
                        if (!word_after) {
                                bool all_dec = true;
                                for (size_t k = i; k < j; k++)
                                        if (!(s[k] >= '0' && s[k] <= '9'))
                                                all_dec = false;
                                const char *rep = all_dec ? "NUM" : (hex || digits >= 6 ? "ADDR" : NULL);
                                if (rep) {
                                        size_t rl = strlen(rep);
                                        if (o + rl > REPORT_MAX_TITLE)
                                                break;
                                        memcpy(out + o, rep, rl);
                                        o += rl;
                                        i = j;
                                        continue;
                                }
                        }
                }
                /* digits inside a word name things ("ip6_fragment", "nl802154"), but a run this long
                 * is a per-run number glued to one ("syzkaller-testdir264563108") */
                if (c >= '0' && c <= '9' && word_before) {
                        size_t j = i;
                        while (s[j] >= '0' && s[j] <= '9')
                                j++;
                        if (j - i >= 7 && o + 3 <= REPORT_MAX_TITLE) {
                                memcpy(out + o, "NUM", 3);
                                o += 3;
                                i = j;
                                continue;
                        }
                }
                /* a bare kernel address ("at addr ffff88004ec29b58") */
                if (!word_before && ((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'))) {
                        size_t j = i, digits = 0;
                        while ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f')) {
                                digits += s[j] >= '0' && s[j] <= '9';
                                j++;
                        }
                        bool word_after = s[j] == '_' || (s[j] >= 'g' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z');
                        if (j - i >= 8 && digits && !word_after && o + 4 <= REPORT_MAX_TITLE) {
                                memcpy(out + o, "ADDR", 4);
                                o += 4;
                                i = j;
                                continue;
                        }
                }
                /* "fasync_free_rcu+0x14/0x20": the offset differs per build */
                if (c == '+' && s[i + 1] == '0' && s[i + 2] == 'x' && o > 0) {
                        size_t j = i + 3;
                        while ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f'))
                                j++;
                        if (s[j] == '/' && s[j + 1] == '0' && s[j + 2] == 'x') {
                                j += 3;
                                while ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f'))
                                        j++;
                                i = j;
                                continue;
                        }
                }
                /* control bytes and runs of spaces */
                if ((unsigned char) c < 0x20 || c == 0x7f) {
                        i++;
                        continue;
                }
                if (c == ' ' && o > 0 && out[o - 1] == ' ') {
                        i++;
                        continue;
                }
                out[o++] = c;
                i++;
        }
        while (o > 0 && out[o - 1] == ' ')
                o--;
        out[o] = 0;
        memcpy(s, out, o + 1);
}
