/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every reader does to a record before it is handed out: the host it came from kept apart
 * from the others, boots counted per host, the text made safe for a terminal. The readers (text.c,
 * kmsg.c, journal.c) call record_emit() once per record; nothing here reads input. */
#include <stdlib.h>
#include <string.h>
#include "log-internal.h"
#include "basic/cleanup.h"
#include "basic/span.h"
#include "basic/utf8.h"

/* ---- text safety ---------------------------------------------------------------------------- */

/* Mostly not text: a run of NULs, or more than a quarter control bytes and invalid UTF-8. */
bool record_text_is_binary(const char *p, size_t n) {
        size_t nul = 0, odd = 0;
        for (size_t i = 0; i < n;) {
                unsigned char c = (unsigned char) p[i];
                if (c == 0) {
                        nul++;
                        odd++;
                        i++;
                } else if (c < 0x80) {
                        if ((c < 0x20 && c != '\t' && c != 0x1b) || c == 0x7f)
                                odd++;
                        i++;
                } else {
                        size_t k = utf8_valid_len(p + i, n - i);
                        if (k == 0) {
                                odd++;
                                k = 1;
                        }
                        i += k;
                }
        }
        return nul >= 2 || odd * 4 > n;
}

/* Copy p to dst with escape sequences removed and other control bytes replaced by '?'.
 * @return bytes written (<= n). */
size_t record_sanitize(const char *p, size_t n, char *dst) {
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char) p[i];
                if (c == 0x1b) {
                        if (i + 1 < n && p[i + 1] == '[') {
                                /* CSI: parameters up to a final byte 0x40..0x7e */
                                i += 2;
                                while (i < n && !((unsigned char) p[i] >= 0x40 && (unsigned char) p[i] <= 0x7e))
                                        i++;
                        } else if (i + 1 < n && p[i + 1] == ']') {
                                /* OSC: up to BEL or ESC \ */
                                i += 2;
                                while (i < n && p[i] != 0x07 && !(p[i] == 0x1b && i + 1 < n && p[i + 1] == '\\'))
                                        i++;
                                if (i < n && p[i] == 0x1b)
                                        i++;
                        } else
                                i++; /* two-byte escape */
                        continue;
                }
                if (c == '\t')
                        dst[o++] = '\t';
                else if (c < 0x20 || c == 0x7f)
                        dst[o++] = '?';
                else if (c == 0xc2 && i + 1 < n && (unsigned char) p[i + 1] >= 0x80 && (unsigned char) p[i + 1] <= 0x9f) {
                        dst[o++] = '?';
                        i++;
                } else
                        dst[o++] = (char) c;
        }
        return o;
}
/* ---- hosts and boots ------------------------------------------------------------------------ */

/* Host names are a dozen bytes: compared inline, eight at a time, not through a memcmp() call
 * on every record of a central syslog file where the host changes from line to line. */
static inline bool host_name_eq(const char *a, const char *b, size_t len) {
        uint64_t x, y;
        if (len < 8) {
                for (size_t i = 0; i < len; i++)
                        if (a[i] != b[i])
                                return false;
                return true;
        }
        size_t i = 0;
        for (; i + 8 <= len; i += 8) {
                memcpy(&x, a + i, 8);
                memcpy(&y, b + i, 8);
                if (x != y)
                        return false;
        }
        /* the last bytes as one word that overlaps the ones compared: no loop per byte */
        memcpy(&x, a + len - 8, 8);
        memcpy(&y, b + len - 8, 8);
        return x == y;
}

static struct log_host *host_lookup(struct fsd_source *s, const char *name, size_t len) {
        if (s->last_host && s->last_host->len == len && host_name_eq(s->last_host->name, name, len))
                return s->last_host;
        for (size_t i = 0; i < s->n_hosts; i++)
                if (s->hosts[i].len == len && host_name_eq(s->hosts[i].name, name, len))
                        return s->last_host = &s->hosts[i];
        struct log_host *h;
        if (s->n_hosts == s->cap_hosts && s->cap_hosts < LOG_MAX_HOSTS) {
                /* most logs name one host: grow the table only when more appear */
                size_t cap = s->cap_hosts ? MIN(s->cap_hosts * 4, (size_t) LOG_MAX_HOSTS) : 4;
                struct log_host *n = realloc(s->hosts, cap * sizeof *n);
                if (n) {
                        s->hosts = n;
                        s->cap_hosts = cap;
                }
        }
        if (s->n_hosts < s->cap_hosts)
                h = &s->hosts[s->n_hosts++];
        else {
                /* beyond the limit all further hosts share one boot counter */
                h = &s->overflow_host;
                if (h->len != len || memcmp(h->name, name, len) != 0) {
                        memcpy(h->name, name, len);
                        h->name[len] = 0;
                        h->len = len;
                }
                return s->last_host = h;
        }
        *h = (struct log_host) { .len = len, .last_mono = -1 };
        memcpy(h->name, name, len);
        h->name[len] = 0;
        return s->last_host = h;
}

int record_emit(struct fsd_source *s, struct fsd_record *rec, const char *text, size_t len, bool known_clean,
                const char *host, size_t host_len, const char *boot_id, size_t boot_id_len) {
        if (host_len > LOG_HOST_MAX)
                host_len = LOG_HOST_MAX;
        struct log_host *h = host_lookup(s, host ? host : "", host ? host_len : 0);

        bool new_boot = s->pending_boot;
        s->pending_boot = false;
        if (boot_id && boot_id_len > 0) {
                if (boot_id_len > LOG_BOOT_ID_MAX)
                        boot_id_len = LOG_BOOT_ID_MAX;
                if (h->boot_id[0] && (strlen(h->boot_id) != boot_id_len || memcmp(h->boot_id, boot_id, boot_id_len) != 0))
                        new_boot = true;
                memcpy(h->boot_id, boot_id, boot_id_len);
                h->boot_id[boot_id_len] = 0;
        }
        if (SCAN_STARTS(text, text + len, "Linux version "))
                new_boot = true;
        if (rec->mono_usec >= 0 && h->last_mono >= 0 && rec->mono_usec + LOG_BOOT_BACKSTEP_USEC < h->last_mono &&
            rec->mono_usec < LOG_BOOT_NEAR_ZERO_USEC)
                new_boot = true;
        if (new_boot) {
                if (h->records_in_boot > 0)
                        h->boot++;
                h->records_in_boot = 0;
                h->last_mono = -1;
        }
        h->records_in_boot++;
        if (rec->mono_usec >= 0)
                h->last_mono = rec->mono_usec;

        if (len > s->max_line)
                len = s->max_line;
        if (!known_clean && record_text_is_suspicious(text, len)) {
                size_t k = record_sanitize(text, len, s->textbuf);
                if (k != len || memcmp(text, s->textbuf, len) != 0)
                        s->stats.sanitized++;
                text = s->textbuf;
                len = k;
        }
        rec->text = text;
        rec->len = len;
        rec->origin = s->origin;
        rec->host = h->len > 0 ? h->name : NULL;
        rec->boot_id = h->boot_id[0] ? h->boot_id : NULL;
        rec->boot = h->boot;
        s->format = rec->format;
        s->stats.records++;
        return 1;
}
