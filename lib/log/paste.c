/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel logs as people paste them into mail, bug trackers and chats: quoted ("> "), indented,
 * with non-breaking spaces where the padding was, and with long lines wrapped at 60-80 columns so
 * that the rest of a message sits on the next line without its prefix. Everything here runs only
 * for lines that failed the usual parse or may have been cut: the line reader's fast path never
 * comes here. */
#include <string.h>
#include "log-internal.h"
#include "basic/cleanup.h"
#include "basic/span.h"
#include "basic/utf8.h"

#define WRAP_MIN_COLUMNS 56      /* mail clients wrap at 72-78, flowed text earlier before a long word */
#define WRAP_MAX_PIECE 160       /* a continuation is one wrapped piece, never a long line */

static inline bool is_alnum(char c) {
        return ascii_is_digit(c) || (unsigned char) ((c | 0x20) - 'a') < 26;
}

/* The first words of lines the kernel prints at column 0 (after its prefix), which a paste may
 * have indented: seeing one of them indented tells how far the paste indents. */
static bool is_known_head(const char *p, const char *e) {
        static const char *const heads[] = {
                "BTRFS", "EXT4-fs", "EXT3-fs", "EXT2-fs", "XFS", "JBD", "WARNING:", "BUG:", "Oops", "Kernel panic",
                "general protection", "INFO: task", "Call Trace:", "Modules linked in:", "CPU:", "RIP:", "Code:",
                "Hardware name:", "------------[ cut here", "---[ end trace", "Buffer I/O error", "blk_update_request:",
                "I/O error", "print_req_error:", "Aborting journal", "VFS:", "device-mapper:", "md/", "md:", "sd ",
                "ata", "nvme", "scsi", "EDAC", "mce:", "Linux version", "Workqueue:", "RSP:", "Tainted:",
                /* report headers the "word:" rule of is_message_head() misses (lowercase words before
                 * the colon, or none): a report starts a line of its own */
                "fatal error:", "kernel BUG at", "Unable to handle kernel", "divide error:", "invalid opcode:",
                "stack segment:", "double fault:", "Badness at", "Booting the kernel",
        };
        for (size_t i = 0; i < ELEMENTSOF(heads); i++) {
                if (!span_starts(span_range(p, e), heads[i]))
                        continue;
                /* a head that ends in a word ("nvme", "ata", "BTRFS") heads a message only where
                 * that word ends in ':' or a blank ("nvme0n1: p1", "ata3.00: ", "BTRFS error"):
                 * "nvme0n1p2):" or "nvme0n1p2-8." is the rest of a wrapped device name */
                size_t k = strlen(heads[i]);
                if (!is_alnum(heads[i][k - 1]))
                        return true;
                const char *q = p + k;
                while (q < e && (is_alnum(*q) || *q == '.' || *q == '_' || *q == '-'))
                        q++;
                return q < e && (*q == ':' || *q == ' ');
        }
        return false;
}

/* Looks like the start of a kernel message of its own: a known head, "word:" ("memcg:ffff",
 * "RAX: 0000"), "word (device x):" or "word dev:" ("sd 0:0:0:0:", "usb 1-1:"). */
static bool is_message_head(const char *p, const char *e) {
        if (is_known_head(p, e))
                return true;
        const char *q = p;
        while (q < e && q - p < 32 && (((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || (*q >= '0' && *q <= '9') ||
                                       *q == '_' || *q == '-' || *q == '.' || *q == '/' || *q == '#'))
                q++;
        if (q == p || q >= e)
                return false;
        if (*q == ':')
                return true;
        if (*q != ' ' || q + 1 >= e)
                return false;
        q++;
        if (*q == '(') {
                const char *close = memchr(q, ')', (size_t) MIN(e - q, 64));
                return close && close + 1 < e && close[1] == ':';
        }
        /* up to three more words, the last ending in ':': a device ("sd 0:0:0:0:", "usb 1-1:")
         * or a capitalized label ("Command line:", "BIOS-provided physical RAM map:") */
        bool digit = false;
        for (int words = 0; words < 3; words++) {
                const char *w = q;
                while (q < e && q - w < 32 && *q != ' ') {
                        digit |= *q >= '0' && *q <= '9';
                        q++;
                }
                if (q > w + 1 && q[-1] == ':')
                        return digit || (*p >= 'A' && *p <= 'Z');
                if (q >= e || *q != ' ')
                        return false;
                q++;
        }
        return false;
}

bool paste_kernel_like(const char *p, size_t n) {
        while (n > 0 && ascii_is_blank(*p)) {
                p++;
                n--;
        }
        return n > 0 && is_message_head(p, p + n);
}

size_t paste_copy_without_nbsp(const char *p, const char *e, char *dst) {
        size_t o = 0;
        while (p < e) {
                unsigned char c = (unsigned char) *p;
                if (c < 0x80) {
                        dst[o++] = *p++;
                        continue;
                }
                if (c == 0xc2 && e - p >= 2 && (unsigned char) p[1] == 0xa0) {
                        dst[o++] = ' ';
                        p += 2;
                        continue;
                }
                size_t k = utf8_valid_len(p, (size_t) (e - p));
                if (k == 0) {
                        dst[o++] = c == 0xa0 ? ' ' : *p;
                        p++;
                        continue;
                }
                memmove(dst + o, p, k);   /* dst may be the line itself, never ahead of it */
                o += k;
                p += k;
        }
        return o;
}

/* Mail quoting: "> ", ">> ", "> > ". */
static const char *skip_quoting(const char *p, const char *e) {
        const char *q = p;
        while (q < e && *q == '>') {
                q++;
                while (q < e && *q == ' ')
                        q++;
        }
        return q;
}

/* What grep and cat put before a line: "FILE:" (grep -H, several files, zgrep), "N:" (grep -n),
 * "FILE:N:", "-" instead of ":" on context lines (grep -C), "   N\t" (cat -n). Taken only when a
 * log prefix follows: the rest of the line must parse as a record or another program's syslog
 * line. @return the parse of the rest, with *pp and *pn moved past the prefix, or PARSE_UNPREFIXED. */
static enum parse_result strip_grep_prefix(const char **pp, size_t *pn, enum fsd_log_format prev,
                                           struct parsed_line *pl) {
        const char *p = *pp, *e = p + *pn;
        const char *q = p;
        /* cat -n: the number right-aligned in six columns, then a tab */
        while (q < e && *q == ' ')
                q++;
        const char *d = q;
        while (q < e && ascii_is_digit(*q))
                q++;
        if (q > d && q < e && *q == '\t') {
                enum parse_result res = parse_line(q + 1, (size_t) (e - q - 1), prev, pl);
                if (res == PARSE_RECORD || res == PARSE_NOT_KERNEL) {
                        *pp = q + 1;
                        *pn = (size_t) (e - q - 1);
                        return res;
                }
        }
        /* grep: each ':' or '-' before the first blank may end the file name or the line number */
        const char *stop = memchr(p, ' ', (size_t) MIN(e - p, 512));
        if (!stop)
                stop = p + MIN(e - p, 512);
        for (q = p; q < stop; q++) {
                if ((*q != ':' && *q != '-') || q == p || q + 1 >= e)
                        continue;
                char c = q[1];
                if (!(ascii_is_digit(c) || c == '[' || c == '<' || (c >= 'A' && c <= 'S') || c == 'k'))
                        continue;
                enum parse_result res = parse_line(q + 1, (size_t) (e - q - 1), prev, pl);
                if (res == PARSE_RECORD || res == PARSE_NOT_KERNEL) {
                        *pp = q + 1;
                        *pn = (size_t) (e - q - 1);
                        return res;
                }
        }
        return PARSE_UNPREFIXED;
}

enum parse_result paste_reparse(struct fsd_source *s, const char **pp, size_t *pn, bool dirty, enum fsd_log_format prev,
                                struct parsed_line *pl, bool *ret_changed) {
        const char *p = *pp, *e = p + *pn;
        *ret_changed = false;
        bool nbsp = dirty && memchr(p, 0xa0, *pn);
        if (*pn > 0 && !nbsp && *p != '>') {
                enum parse_result res = strip_grep_prefix(pp, pn, prev, pl);
                if (res != PARSE_UNPREFIXED) {
                        *ret_changed = true;
                        return res;
                }
        }
        if (*pn == 0 || (!nbsp && *p != '>' && !ascii_is_blank(*p)))
                return PARSE_UNPREFIXED;
        const char *q = skip_quoting(p, e);
        char *buf = s->pastebuf;
        size_t n;
        if (nbsp)
                n = paste_copy_without_nbsp(q, e, buf);
        else {
                n = (size_t) (e - q);
                memmove(buf, q, n);       /* the line may already be in buf */
        }
        const char *b = buf, *be = buf + n;
        size_t k = 0;
        while (b + k < be && ascii_is_blank(b[k]))
                k++;
        /* an indented prefixed line: "    Mar  3 04:10:55 host kernel: ...", " [  12.3] ..." */
        enum parse_result res = parse_line(b + k, n - k, prev, pl);
        if (res != PARSE_UNPREFIXED && res != PARSE_MALFORMED) {
                /* the blanks before a log prefix are the paste's: its wrapped pieces have them too */
                if (k > 0 && (res == PARSE_RECORD || res == PARSE_NOT_KERNEL))
                        s->paste_indent = k;
                *pp = b + k;
                *pn = n - k;
                *ret_changed = true;
                return res;
        }
        /* prefix-less text: remove the paste's indent, learnt from a line the kernel starts at
         * column 0, and no more (call trace lines are indented by the kernel itself) */
        if (k > 0 && is_known_head(b + k, be))
                s->paste_indent = k;
        size_t strip = MIN(k, s->paste_indent);
        if (strip == 0 && q == p && !nbsp)
                return res;
        *pp = b + strip;
        *pn = n - strip;
        *ret_changed = true;
        return parse_line(*pp, *pn, prev, pl) == PARSE_RECORD ? PARSE_RECORD : res;
}

/* A kernel stamp "[  513.000000]" near the start: a record behind a prefix we do not know
 * ("user  :notice: [ 513.000000] ..."), never the rest of a wrapped line. */
static bool has_stamp_near_start(const char *p, size_t n) {
        const char *e = p + MIN(n, (size_t) 40);
        for (const char *b = memchr(p, '[', (size_t) (e - p)); b; b = memchr(b + 1, '[', (size_t) (e - b - 1))) {
                const char *q = b + 1;
                while (q < e && *q == ' ')
                        q++;
                const char *d = q;
                while (q < e && *q >= '0' && *q <= '9')
                        q++;
                if (q > d && q < e && *q == '.') {
                        const char *f = ++q;
                        while (q < e && *q >= '0' && *q <= '9')
                                q++;
                        if (q > f && q < e && *q == ']')
                                return true;
                }
                if (b + 1 >= e)
                        break;
        }
        return false;
}

/* A line that may continue the record before it: one wrapped piece of prefix-less text, not an
 * elision mark a paste puts between excerpts ("...", "[...]", "----"). */
static bool continuation_shape(const char *p, size_t n) {
        if (n == 0 || n > WRAP_MAX_PIECE || ascii_is_blank(p[0]) || has_stamp_near_start(p, n))
                return false;
        /* "[<80c1e5e8>] (f) from [<..>] (g+0x60/0xdc)", "[<ffffffff8100..>] f+0x..": a trace entry is
         * printed on a line of its own (arm, pre-4.x x86 print_trace_address) */
        if (n >= 3 && p[0] == '[' && p[1] == '<')
                return false;
        for (size_t i = 0; i < n; i++)
                if ((p[i] >= '0' && p[i] <= '9') || ((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z'))
                        return true;
        return false;
}

/* The piece ends where no message ends: a trailing blank (flowed mail keeps it), or ':' ',' '('
 * '=' after which the kernel always prints more. */
static bool piece_incomplete(const char *p, size_t n) {
        char c = p[n - 1];
        if (c == ' ' || c == ':' || c == ',' || c == '(' || c == '=' || c == '[')
                return true;
        /* a parenthesis left open ("EXT4-fs error (device" and the name on the next line): the
         * kernel closes what it opens */
        for (size_t i = n; i > 0; i--) {
                if (p[i - 1] == ')')
                        break;
                if (p[i - 1] == '(')
                        return true;
        }
        return paste_ends_in_preposition(p, n);
}

/* ext4 prints "comm %s: " and then the message itself: a record whose text ends in the command
 * name ("... inode #4253945: comm find:") was cut there, wherever the line ended. */
static bool ends_in_comm_field(const char *p, size_t n) {
        if (n < 8 || p[n - 1] != ':')
                return false;
        size_t i = n - 1;
        while (i > 0 && p[i - 1] != ' ')
                i--;
        return i >= 6 && memcmp(p + i - 6, " comm ", 6) == 0;
}

/* A line that starts like a kernel message continues the piece before it only where the kernel
 * never ends one. A trailing blank does not say so here: pastes that keep one on every line
 * (format=flowed, copied from a web page) have it before each message too. */
static bool head_continues(const char *p, size_t n) {
        while (n > 0 && p[n - 1] == ' ')
                n--;
        return n > 0 && piece_incomplete(p, n);
}

/* A piece that may go on on the next line: long enough to have met the wrap column, or ending
 * in a blank; after a kernel log prefix also a short one ending where no message ends ("RIP:"
 * with the address on the next line): an unprefixed line after it can be nothing else. */
static bool piece_cut(const char *p, size_t n, bool prefixed) {
        if (n == 0 || n > WRAP_MAX_PIECE)
                return false;
        return p[n - 1] == ' ' || n >= WRAP_MIN_COLUMNS || (prefixed && piece_incomplete(p, n));
}

/* How wide a line of this text may be where a line break is still possible: its length without
 * trailing blanks when a blank inside it could have been a break, else 0 (one long word). A mail
 * client wrapping at column W leaves no such line wider than W. */
static size_t breakable_width(const char *p, size_t n) {
        while (n > 0 && ascii_is_blank(p[n - 1]))
                n--;
        size_t k = 0;
        while (k < n && ascii_is_blank(p[k]))
                k++;
        return memchr(p + k, ' ', n - k) ? n : 0;
}

void paste_note_width(struct fsd_source *s, const char *p, size_t n) {
        size_t w = breakable_width(p, n);
        if (w > s->paste_width)
                s->paste_width = w;
}

/* In text without a prefix, a line that ends where it does only because the next word did not
 * fit: with that word it would be about as wide as the widest line seen so far or wider. A log
 * that was never wrapped has lines much wider than most of its line ends, so the test fails
 * there. The slack (an eighth) covers pastes indented or quoted after they were wrapped and
 * trackers that count columns their own way. */
static bool next_word_did_not_fit(const struct fsd_source *s, size_t last_width, const char *t, size_t tn) {
        const char *sp = memchr(t, ' ', tn);
        size_t word = sp ? (size_t) (sp - t) : tn;
        return last_width + 1 + word > s->paste_width - s->paste_width / 8;
}

static void join_append(struct fsd_source *s, struct fsd_record *rec, const char *p, size_t n, bool dirty) {
        char *dst = s->joinbuf;
        while (n > 0 && ascii_is_blank(p[n - 1]))
                n--;
        size_t len = rec->len;
        if (len > 0 && dst[len - 1] != ' ' && len < s->max_line)
                dst[len++] = ' ';
        size_t room = s->max_line - len;
        if (n > room)
                n = room;
        /* the record's text is safe for a terminal: so is each piece */
        if (dirty)
                n = record_sanitize(p, n, dst + len);
        else
                memcpy(dst + len, p, n);
        rec->len = len + n;
}

void paste_join_wrapped(struct fsd_source *s, struct fsd_record *rec, const char *phys, size_t phys_n) {
        bool copied = false;
        bool prefixed = rec->format != FSD_FORMAT_CONSOLE;
        /* cut right after the prefix ("kernel: [1930661.475826]", "... ?"): the text is to come */
        size_t k = 0;
        while (k < rec->len && (rec->text[k] == ' ' || rec->text[k] == '?'))
                k++;
        bool bare = prefixed && k == rec->len;
        /* the last piece of the record so far: its line, then each joined continuation */
        char last_buf[WRAP_MAX_PIECE];
        size_t last_n = MIN(phys_n, sizeof last_buf);
        memcpy(last_buf, phys + phys_n - last_n, last_n);
        /* the physical width of the last piece, without trailing blanks */
        size_t last_width = phys_n;
        while (last_width > 0 && ascii_is_blank(phys[last_width - 1]))
                last_width--;
        for (;;) {
                bool cut = bare || piece_cut(last_buf, last_n, prefixed) || ends_in_comm_field(rec->text, rec->len);
                /* after a prefix, a line narrower than the wrap column may still have been cut
                 * before a long word ("[c0000000442bbb80] [c0080000004c0094]" and the function
                 * on the next line): the next line's first word tells */
                if (!cut && !(prefixed && last_width < s->paste_width))
                        return;
                /* a followed log must not wait for its next line to hand out this one */
                if (s->follow && s->start >= s->end)
                        return;
                bare = false;
                if (!copied) {
                        /* the next read may move the buffer the text is in */
                        memcpy(s->joinbuf, rec->text, rec->len);
                        rec->text = s->joinbuf;
                        copied = true;
                }
                const char *p;
                size_t n;
                int r = text_read_line(s, &p, &n);
                if (r <= 0) {
                        /* returned by the next read; at the end the reader says so again */
                        s->pending_error = r;
                        s->pending = r < 0;
                        return;
                }
                bool dirty = s->last_line_dirty;
                const char *t = p;
                size_t tn = n;
                if (n > 0 && (*p == '>' || (dirty && memchr(p, 0xa0, n)))) {
                        const char *q = skip_quoting(p, p + n);
                        tn = paste_copy_without_nbsp(q, p + n, s->pastebuf);
                        t = s->pastebuf;
                }
                /* the paste's own indent, if it has one, is no part of the piece */
                for (size_t i = 0; i < s->paste_indent && tn > 0 && ascii_is_blank(*t); i++) {
                        t++;
                        tn--;
                }
                struct parsed_line pl;
                /* after a prefixed line, a prefix-less one is a wrapped piece unless it starts like
                 * a kernel message; in prefix-less text any "word:" may start one */
                bool head = prefixed ? is_known_head(t, t + tn) : is_message_head(t, t + tn);
                /* a kernel line is no wider than the column it was wrapped at, if it was: its width
                 * counts before the test (prose around a paste does not count) */
                if (!prefixed && head)
                        paste_note_width(s, p, n);
                const char *gp = t;
                size_t gn = tn;
                bool joins = continuation_shape(t, tn) && parse_line(t, tn, rec->format, &pl) == PARSE_UNPREFIXED &&
                             strip_grep_prefix(&gp, &gn, rec->format, &pl) == PARSE_UNPREFIXED &&
                             (!head || head_continues(last_buf, last_n)) &&
                             (prefixed ? cut || next_word_did_not_fit(s, last_width, t, tn) :
                                         ends_in_comm_field(rec->text, rec->len) ||
                                                 next_word_did_not_fit(s, last_width, t, tn));
                if (!joins) {
                        s->pending = true;
                        s->pending_p = p;
                        s->pending_n = n;
                        return;
                }
                if (!prefixed)
                        paste_note_width(s, p, n);
                join_append(s, rec, t, tn, dirty);
                s->stats.joined++;
                last_n = MIN(tn, sizeof last_buf);
                memcpy(last_buf, t + tn - last_n, last_n);
                last_width = n;
                while (last_width > 0 && ascii_is_blank(p[last_width - 1]))
                        last_width--;
        }
}
