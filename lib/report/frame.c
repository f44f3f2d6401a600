/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text helpers, report-header recognition and call-trace line parsing. Everything here runs on
 * views into the caller's text: no allocation, no regex. */
#include <assert.h>
#include <pthread.h>
#include <string.h>
#include "report-internal.h"

static bool is_symbol_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || ascii_is_digit(c) || c == '_' || c == '.' || c == '$';
}

/* ---- report headers ---------------------------------------------------------------------- */

struct header_def {
        const char *prefix;
        size_t len;
        enum header_kind kind;
};

#define HEADER(prefix, kind) { prefix, sizeof(prefix) - 1, kind }

/* Ordered: the first prefix that matches wins. */
static const struct header_def headers[] = {
        HEADER("BUG: ",                               HDR_BUG),
        HEADER("BUG:",                                HDR_BUG),
        HEADER("BUG kmalloc-",                        HDR_SLAB),
        /* mm/slub.c slab_bug(): "BUG %s (%s): %pV", the cache's name and the taint; 2.6.x:
         * "BUG %s: %s". Checked in classify_at(). */
        HEADER("BUG ",                                HDR_SLAB),
        HEADER("WARNING: ",                           HDR_WARNING),
        HEADER("WARNING:",                            HDR_WARNING),
        HEADER("INFO: ",                              HDR_INFO),
        HEADER("INFO:",                               HDR_INFO),
        HEADER("Unable to handle kernel ",            HDR_UNABLE),
        HEADER("general protection fault",            HDR_GPF),
        HEADER("stack segment: ",                     HDR_STACK_SEGMENT),
        HEADER("Kernel panic - not syncing",          HDR_PANIC),
        HEADER("PANIC: double fault",                 HDR_DOUBLE_FAULT),
        /* before 4.x, x86 die() printed only "double fault: 0000 [#1] SMP" */
        HEADER("double fault: ",                      HDR_DOUBLE_FAULT),
        HEADER("kernel BUG at ",                      HDR_KERNEL_BUG),
        HEADER("Kernel BUG ",                         HDR_KERNEL_BUG),
        HEADER("divide error: ",                      HDR_DIVIDE),
        HEADER("divide_error: ",                      HDR_DIVIDE),
        HEADER("invalid opcode: ",                    HDR_INVALID_OP),
        HEADER("UBSAN: ",                             HDR_UBSAN),
        HEADER("Unhandled fault: ",                   HDR_UNHANDLED),
        HEADER("Unhandled fault:",                    HDR_UNHANDLED),
        HEADER("Internal error: ",                    HDR_INTERNAL),
        HEADER("unregister_netdevice: waiting for ",  HDR_NETDEV),
        HEADER("VFS: Busy inodes after unmount",      HDR_VFS),
        HEADER("VFS: Close: file count is 0",         HDR_VFS),
        HEADER("Watchdog detected hard LOCKUP",       HDR_HARD_LOCKUP),
        /* lib/bug.c report_bug() on architectures with a trap-based WARN (powerpc, s390,
         * parisc) until "WARNING: at" replaced it */
        HEADER("Badness at ",                         HDR_BADNESS),
        /* kernel/irq/spurious.c __report_bad_irq(): "irq %d: nobody cared (try booting with
         * the \"irqpoll\" option)", then dump_stack() and the handler list */
        HEADER("irq ",                                HDR_IRQ_NOBODY),
        /* kernel/sysctl_check.c (2.6.2x-2.6.3x) set_fail(), then dump_stack() */
        HEADER("sysctl table check failed",           HDR_SYSCTL),
        /* mm/page_alloc.c warn_alloc() after the task's comm ("%s: page allocation failure:
         * order:%u, ..."; 2.6.x: "page allocation failure. order:%d"), then dump_stack() */
        HEADER("page allocation failure",             HDR_ALLOC_FAIL),
        /* x86/s390 die(): "Oops: %04lx [#%d]" after the fault's own lines; it opens a report only
         * when those were lost (checked in classify_at()) */
        HEADER("Oops: ",                              HDR_OOPS),
        /* the Trusty secure OS (LK) panics with "panic (caller %p): "; the Android trusty-log
         * driver relays its console with a "trusty: " prefix */
        HEADER("trusty: panic",                       HDR_TRUSTY),
        /* not kernel reports, but what else stops a console capture: the machine booting
         * again, and the test harness failing (names checked against the harness's sources:
         * syzkaller's executor fail() and log.Fatal, Go's runtime throw() and printpanics()) */
        HEADER("Booting the kernel.",                 HDR_REBOOT),
        HEADER("SYZFAIL:",                            HDR_HARNESS),
        HEADER("SYZFATAL:",                           HDR_HARNESS),
        HEADER("fatal error: ",                       HDR_GO_RUNTIME),
        HEADER("panic: ",                             HDR_GO_RUNTIME),
};

/* Lines that carry a report keyword but are not reports: debug chatter, user-space tools and
 * subsystems that print their own "WARNING:"/"INFO:" notes. */
static const char *const header_ignores[] = {
        "BUG: no syscalls can create resource",
        "WARNING: /etc/ssh/moduli",
        "WARNING: workqueue cpumask",
        "WARNING: the mand mount option",  /* fs/namespace.c deprecation notice, not a bug */
        "INFO: lockdep is turned off",
        "INFO: Stall ended before state dump start",
        "INFO: NMI handler",
        "INFO: recovery required on readonly filesystem",
        "INFO: no syscalls can create resource",
        "INFO: task hung (",       /* never a header form; guards prose */
};

/* For each first byte, the headers[] entries starting with it, as a bit set in table order: a
 * line is compared only with the prefixes it can match, in the table's precedence. Most kernel
 * lines start with a letter some header starts with, so a plain walk of the table cost ~250
 * instructions per line; this costs a dozen. */
static uint64_t header_candidates[256];
_Static_assert(sizeof headers / sizeof headers[0] <= 64, "header_candidates holds 64 entries");

/* The first four bytes of every prefix, hashed into a 2048-bit set. classify_at() runs on every
 * record and again after a subsystem's "name: ", and nearly all of them start with a word no
 * header starts with ("usb ", "BTRFS", "audit"): one multiply and one bit test reject those
 * before the candidates are walked. A collision only costs the walk, never a result. */
#define HEAD_HASH_BITS 11
static uint64_t header_heads[(1u << HEAD_HASH_BITS) / 64];
static pthread_once_t header_tables_once = PTHREAD_ONCE_INIT;

static unsigned head_hash(uint32_t head) {
        return (head * UINT32_C(0x27D4EB2F)) >> (32 - HEAD_HASH_BITS);
}

static bool head_may_match(uint32_t head) {
        unsigned h = head_hash(head);
        return header_heads[h / 64] >> (h % 64) & 1;
}

static void header_tables_init(void) {
        for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
                header_candidates[(unsigned char) headers[i].prefix[0]] |= UINT64_C(1) << i;
                uint32_t head;
                assert(headers[i].len >= sizeof head);
                memcpy(&head, headers[i].prefix, sizeof head);
                unsigned h = head_hash(head);
                header_heads[h / 64] |= UINT64_C(1) << (h % 64);
        }
}

/* The header whose prefix starts v, v's first four bytes being head and one of a header's. */
static enum header_kind __attribute__((noinline)) classify_candidates(struct span v, uint32_t head) {
        uint64_t candidates = header_candidates[(unsigned char) v.ptr[0]];
        for (; candidates; candidates &= candidates - 1) {
                const struct header_def *h = &headers[__builtin_ctzll(candidates)];
                uint32_t prefix_head;
                memcpy(&prefix_head, h->prefix, 4);
                if (prefix_head != head || v.len < h->len || memcmp(v.ptr + 4, h->prefix + 4, h->len - 4) != 0)
                        continue;
                for (size_t j = 0; j < sizeof header_ignores / sizeof header_ignores[0]; j++)
                        if (span_starts(v, header_ignores[j]))
                                return HDR_NONE;
                /* "INFO: ... took too long" is interrupt latency chatter */
                if (h->kind == HDR_INFO && span_has(v, "took too long"))
                        return HDR_NONE;
                /* "BUG <cache> (<taint>): <what>" or "BUG <cache>: <what>": one word, then the rest */
                if (h->kind == HDR_SLAB && h->len == 4) {
                        size_t i = 4;
                        while (i < v.len && i < 64 && v.ptr[i] != ' ' && v.ptr[i] != ':')
                                i++;
                        bool ok = i > 4 && i + 2 < v.len &&
                                  ((v.ptr[i] == ' ' && v.ptr[i + 1] == '(' && span_has(span_make(v.ptr + i, v.len - i), "): ")) ||
                                   (v.ptr[i] == ':' && v.ptr[i + 1] == ' '));
                        if (!ok)
                                return HDR_NONE;
                }
                /* "Oops: 0002 [#1]" only: "Oops: general protection fault" (mainline) is the
                 * prefix of another header, "Oops: Kernel access of bad area" (powerpc) always
                 * follows its fault line */
                if (h->kind == HDR_OOPS) {
                        if (v.len < 10 || !ascii_is_xdigit(v.ptr[6]) || !ascii_is_xdigit(v.ptr[7]) || !ascii_is_xdigit(v.ptr[8]) || !ascii_is_xdigit(v.ptr[9]))
                                return HDR_NONE;
                        return h->kind;
                }
                /* "irq 19: nobody cared" only: "irq 5: IRQF_..." and others are notes */
                if (h->kind == HDR_IRQ_NOBODY && !span_has(span_make(v.ptr, v.len < 24 ? v.len : 24), ": nobody cared"))
                        return HDR_NONE;
                /* ODEBUG/DEBUG notes look like BUG: but are not */
                return h->kind;
        }
        return HDR_NONE;
}

/* Inlined into its two callers: the common case, a line that starts with no header's first four
 * bytes, costs a dozen instructions and no call. */
static inline enum header_kind classify_at(struct span v) {
        if (v.len < 4)
                return HDR_NONE;
        /* every prefix has 4 bytes or more: one word compare rejects the line's ordinary words
         * ("BTRFS" against "BUG:", "Booting") before the candidates are walked */
        uint32_t head;
        memcpy(&head, v.ptr, 4);
        if (!head_may_match(head))
                return HDR_NONE;
        return classify_candidates(v, head);
}

static enum header_kind header_classify_at_start(struct span text, size_t *ret_at);

/* Go's log package stamps each line "2018/01/09 14:28:48 " (log.LstdFlags, optionally with
 * ".123456"); test harnesses written in Go relay the console through it. @return its length
 * with the trailing space, or 0. */
static size_t go_log_stamp_len(struct span v) {
        static const char pattern[] = "dddd/dd/dd dd:dd:dd";
        size_t n = sizeof pattern - 1;
        if (v.len <= n)
                return 0;
        for (size_t i = 0; i < n; i++)
                if (pattern[i] == 'd' ? !ascii_is_digit(v.ptr[i]) : v.ptr[i] != pattern[i])
                        return 0;
        if (v.ptr[n] == '.') {
                n++;
                while (n < v.len && ascii_is_digit(v.ptr[n]))
                        n++;
        }
        return n < v.len && v.ptr[n] == ' ' ? n + 1 : 0;
}

/* "[   76.471107] " or "[   76.471107][ T123] " at p: a console stamp. @return its length with the
 * trailing space, or 0. */
static size_t console_stamp_len(const char *p, const char *e) {
        const char *q = p;
        if (q >= e || *q++ != '[')
                return 0;
        while (q < e && *q == ' ')
                q++;
        const char *d = q;
        while (q < e && ascii_is_digit(*q))
                q++;
        if (q == d || q >= e || *q++ != '.')
                return 0;
        d = q;
        while (q < e && ascii_is_digit(*q))
                q++;
        if (q == d || q >= e || *q++ != ']')
                return 0;
        /* printk caller id "[ T123]" / "[  C1]" */
        if (q < e && *q == '[') {
                const char *c = q + 1;
                while (c < e && *c == ' ')
                        c++;
                if (c < e && (*c == 'T' || *c == 'C')) {
                        c++;
                        const char *cd = c;
                        while (c < e && ascii_is_digit(*c))
                                c++;
                        if (c > cd && c < e && *c == ']')
                                q = c + 1;
                }
        }
        if (q >= e || *q != ' ')
                return 0;
        return (size_t) (q + 1 - p);
}

size_t embedded_stamp_end(struct span text) {
        const char *p = text.ptr, *e = text.ptr + text.len;
        while (p < e) {
                p = memchr(p, '[', (size_t) (e - p));
                if (!p)
                        return 0;
                /* glued: the message before it did not end its line; "kernel: [ 1.0] " is a
                 * relay's prefix, not a merge */
                size_t k = p > text.ptr && p[-1] != ' ' ? console_stamp_len(p, e) : 0;
                if (k)
                        return (size_t) (p + k - text.ptr);
                p++;
        }
        return 0;
}

/* x86's die() line "general protection fault: 0000 [#1] SMP" glued behind a message that did not
 * end its line and has no console stamp to show where the next began ("kasan: GPF could be caused
 * by NULL-ptr deref or user memory accessgeneral protection fault: 0000 [#1]"): die()'s
 * "STR: %04lx [#%d]" marks it. @return the offset of STR, or 0. */
static size_t glued_die_line(struct span text, const char *first_bracket) {
        static const char *const die_strings[] = {
                "general protection fault", "stack segment", "invalid opcode", "divide error", "double fault",
        };
        const char *e = span_end(text);
        for (const char *p = first_bracket; p; p = memchr(p + 1, '[', (size_t) (e - p - 1))) {
                if (p + 2 >= e)
                        return 0;
                if (p[1] != '#' || !ascii_is_digit(p[2]) || p - text.ptr < 8 || p[-1] != ' ')
                        continue;
                /* back over the error code's hex digits to its ": " */
                const char *c = p - 1;
                while (c > text.ptr && ascii_is_xdigit(c[-1]))
                        c--;
                if (p - 1 - c < 4 || c - text.ptr < 2 || c[-1] != ' ' || c[-2] != ':')
                        continue;
                struct span before = span_make(text.ptr, (size_t) (c - 2 - text.ptr));
                for (size_t i = 0; i < sizeof die_strings / sizeof die_strings[0]; i++) {
                        long k = span_find(before, die_strings[i]);
                        if (k > 0)
                                return (size_t) k;
                }
                return 0;
        }
        return 0;
}

enum header_kind header_classify_bracket(struct span text, const char *first_bracket, size_t *ret_at) {
        (void) pthread_once(&header_tables_once, header_tables_init);
        enum header_kind k = header_classify_at_start(text, ret_at);
        if (k != HDR_NONE)
                return k;
        size_t skip = go_log_stamp_len(text);
        if (!skip) {
                /* A message printed without its newline glues the next one on, console stamp and
                 * all: "...failure: 34359738352 bytes[   76.471107] BUG: unable to handle ...". */
                if (text.len < 24 || !first_bracket)
                        return HDR_NONE;
                skip = embedded_stamp_end(text);
                if (!skip)
                        skip = glued_die_line(text, first_bracket);
                if (!skip)
                        return HDR_NONE;
        }
        size_t at;
        k = header_classify_at_start(span_make(text.ptr + skip, text.len - skip), &at);
        if (k != HDR_NONE)
                *ret_at = skip + at;
        return k;
}

enum header_kind header_classify(struct span text, size_t *ret_at) {
        return header_classify_bracket(text, memchr(text.ptr, '[', text.len), ret_at);
}

/* What a subsystem prefix before a header ("watchdog: ", "NMI watchdog: ") is made of: word
 * characters, blanks and dashes; a task name ("kworker/u8:2", "php-fpm7.4") has more. */
enum { PREFIX_STOP, PREFIX_CHAR, PREFIX_COMM };
static const uint8_t prefix_class[256] = {
        ['a' ... 'z'] = PREFIX_CHAR, ['A' ... 'Z'] = PREFIX_CHAR, ['0' ... '9'] = PREFIX_CHAR, ['_'] = PREFIX_CHAR,
        [' '] = PREFIX_CHAR, ['-'] = PREFIX_CHAR,
        ['/'] = PREFIX_COMM, ['.'] = PREFIX_COMM, [':'] = PREFIX_COMM, ['~'] = PREFIX_COMM,
        ['+'] = PREFIX_COMM, ['#'] = PREFIX_COMM, ['@'] = PREFIX_COMM,
};

/* Where a "name: " prefix ends in v's first limit bytes: the first ':' glued to the word before it
 * ("watchdog:", not prose's "V2 :") and followed by a blank. @return its index, or 0. */
static size_t prefix_colon(struct span v, size_t limit) {
        const char *p = v.ptr + 1, *e = v.ptr + limit - 1;
        while (p < e) {
                p = memchr(p, ':', (size_t) (e - p));
                if (!p)
                        return 0;
                if (p[1] == ' ' && p[-1] != ' ')
                        return (size_t) (p - v.ptr);
                p++;
        }
        return 0;
}

static enum header_kind header_classify_at_start(struct span text, size_t *ret_at) {
        /* nearly every line starts with its first word: skip the call */
        struct span v = text.len && (text.ptr[0] == ' ' || text.ptr[0] == '\t') ? span_ltrim(text) : text;
        /* old lockdep banners: "[ INFO: possible circular locking dependency detected ]" */
        if (v.len > 2 && v.ptr[0] == '[' && v.ptr[1] == ' ')
                v = span_make(v.ptr + 2, v.len - 2);
        enum header_kind k = classify_at(v);
        if (k != HDR_NONE) {
                *ret_at = (size_t) (v.ptr - text.ptr);
                return k;
        }
        /* mips and loongarch do_page_fault(): "CPU %d Unable to handle kernel paging request at
         * virtual address ..." */
        if (v.len > 28 && v.ptr[0] == 'C' && memcmp(v.ptr, "CPU ", 4) == 0 && ascii_is_digit(v.ptr[4])) {
                size_t j = 5;
                while (j < v.len && ascii_is_digit(v.ptr[j]))
                        j++;
                struct span rest = span_make(v.ptr + j + 1, v.len - j - 1);
                if (j < v.len && v.ptr[j] == ' ' && span_starts(rest, "Unable to handle kernel ")) {
                        *ret_at = (size_t) (rest.ptr - text.ptr);
                        return HDR_UNABLE;
                }
        }
        /* Subsystems prefix some headers: "watchdog: BUG: soft lockup", "rcu: INFO: rcu_sched
         * detected stalls", "NMI watchdog: Watchdog detected hard LOCKUP". Accept one short
         * prefix of word characters and spaces that ends in ": ". Most records have such a
         * prefix and no header after it, so the header is looked for first and the prefix's
         * characters checked only when one follows. */
        size_t i = prefix_colon(v, v.len < 24 ? v.len : 24);
        if (!i)
                return HDR_NONE;
        struct span rest = span_make(v.ptr + i + 2, v.len - i - 2);
        /* mainline's "watchdog: CPU3: Watchdog detected hard LOCKUP on cpu 3" */
        if (rest.len > 5 && memcmp(rest.ptr, "CPU", 3) == 0 && ascii_is_digit(rest.ptr[3])) {
                size_t j = 4;
                while (j < rest.len && ascii_is_digit(rest.ptr[j]))
                        j++;
                if (j + 1 < rest.len && rest.ptr[j] == ':' && rest.ptr[j + 1] == ' ')
                        rest = span_make(rest.ptr + j + 2, rest.len - j - 2);
        }
        k = classify_at(rest);
        /* "snd: fatal error: ..." is a driver's message, not a harness's */
        if (k == HDR_NONE || k == HDR_REBOOT || k == HDR_HARNESS || k == HDR_GO_RUNTIME)
                return HDR_NONE;
        bool comm = false;
        for (size_t c = 0; c < i; c++) {
                uint8_t class = prefix_class[(unsigned char) v.ptr[c]];
                if (class == PREFIX_STOP)
                        return HDR_NONE;
                comm |= class == PREFIX_COMM;
        }
        /* a task name ("kworker/1:2: ") prefixes only the allocation failure */
        if (comm && k != HDR_ALLOC_FAIL)
                return HDR_NONE;
        *ret_at = (size_t) (rest.ptr - text.ptr);
        return k;
}

bool header_is_continuation(enum header_kind k, struct span header) {
        switch (k) {
        case HDR_PANIC:          /* panic after an oops/WARNING (panic_on_warn, Fatal exception) */
        case HDR_DOUBLE_FAULT:
        case HDR_NETDEV:
        case HDR_INTERNAL:       /* arm prints it after "Unable to handle kernel ..." */
        case HDR_OOPS:           /* x86 and s390 print it after the fault's lines */
                return true;
        case HDR_INVALID_OP:     /* x86 prints "invalid opcode: 0000 [#1]" after "kernel BUG at" */
                return span_starts(header, "invalid opcode: 0000");
        case HDR_KERNEL_BUG:     /* riscv's die() prints "Kernel BUG [#1]" after "kernel BUG at" */
                return span_starts(header, "Kernel BUG [#");
        default:
                return false;
        }
}

/* ---- frames ------------------------------------------------------------------------------ */

struct span frame_canonical(struct span symbol, struct span *ret_suffix) {
        size_t i = 0;
        /* ppc64 ELFv1 prints function descriptors with a leading dot: keep it out */
        if (symbol.len && symbol.ptr[0] == '.') {
                symbol.ptr++;
                symbol.len--;
        }
        while (i < symbol.len && symbol.ptr[i] != '.')
                i++;
        if (ret_suffix)
                *ret_suffix = i < symbol.len ? span_make(symbol.ptr + i, symbol.len - i) : span_make(NULL, 0);
        return span_make(symbol.ptr, i);
}

/* "[<ffffffff81234567>]" or "[ffffffff81234567]"; advances *p past it and spaces. */
static bool parse_bracket_addr(const char **p, const char *e, uint64_t *ret) {
        const char *q = *p;
        if (q >= e || *q != '[')
                return false;
        q++;
        bool angle = q < e && *q == '<';
        if (angle)
                q++;
        while (q < e && *q == ' ')
                q++;
        uint64_t v = 0;
        int nd = 0;
        if (e - q > 2 && q[0] == '0' && q[1] == 'x')
                q += 2;
        while (q < e && ascii_is_xdigit(*q)) {
                v = (v << 4) | (unsigned) ascii_hex_value(*q);
                q++;
                nd++;
        }
        if (!nd)
                return false;
        if (angle) {
                if (q >= e || *q != '>')
                        return false;
                q++;
        }
        if (q >= e || *q != ']')
                return false;
        q++;
        while (q < e && (*q == ' ' || *q == '\t'))
                q++;
        *p = q;
        *ret = v;
        return true;
}

/* "0x1f": the kernel prints offsets and sizes with "%#x" */
static bool parse_hex(const char **p, const char *e, uint64_t *ret) {
        const char *q = *p;
        return e - q >= 3 && q[0] == '0' && q[1] == 'x' && ascii_is_xdigit(q[2]) && scan_hex(p, e, ret);
}

/* A build id as the kernel prints it (%20phN: 40 lowercase hex digits; other lengths from
 * 16 up for other hash sizes). */
bool build_id_is_hex(struct span s) {
        if (s.len < 16 || s.len > 64 || s.len % 2)
                return false;
        for (size_t i = 0; i < s.len; i++)
                if (!((s.ptr[i] >= '0' && s.ptr[i] <= '9') || (s.ptr[i] >= 'a' && s.ptr[i] <= 'f')))
                        return false;
        return true;
}

/* After "func+0x1/0x2": optional " [module]", " file.c:123", " [inline]". */
static void parse_frame_tail(const char *q, const char *e, struct frame_view *f) {
        for (;;) {
                while (q < e && (*q == ' ' || *q == '\t'))
                        q++;
                if (q >= e)
                        return;
                if (*q == '[') {
                        const char *close = memchr(q, ']', (size_t) (e - q));
                        if (!close)
                                return;
                        struct span inside = span_make(q + 1, (size_t) (close - q - 1));
                        if (inside.len == 6 && memcmp(inside.ptr, "inline", 6) == 0)
                                f->inlined = true;
                        else if (inside.len && !f->module.len && inside.ptr[0] != '<') {
                                /* "[btrfs]", "[kvm_intel]"; strip a trailing " (O)" style note */
                                size_t k = 0;
                                while (k < inside.len && inside.ptr[k] != ' ')
                                        k++;
                                f->module = span_make(inside.ptr, k);
                                /* "[btrfs 0123...]": CONFIG_STACKTRACE_BUILD_ID's build id */
                                struct span rest = span_trim(span_make(inside.ptr + k, inside.len - k));
                                if (build_id_is_hex(rest))
                                        f->build_id = rest;
                        }
                        q = close + 1;
                        continue;
                }
                /* powerpc marks a frame whose link register may be stale */
                if (e - q >= 12 && memcmp(q, "(unreliable)", 12) == 0) {
                        f->unreliable = true;
                        q += 12;
                        continue;
                }
                /* source location: path containing '/' or '.', then ':' digits */
                const char *w = q;
                while (w < e && *w != ' ' && *w != '\t')
                        w++;
                const char *colon = NULL;
                for (const char *c = w; c > q; c--)
                        if (c[-1] == ':') {
                                colon = c - 1;
                                break;
                        }
                if (colon && colon > q && colon + 1 < w && ascii_is_digit(colon[1])) {
                        int ln = 0;
                        const char *d = colon + 1;
                        while (d < w && ascii_is_digit(*d) && ln < 100000000)
                                ln = ln * 10 + (*d++ - '0');
                        if (!f->file.len) {
                                f->file = span_make(q, (size_t) (colon - q));
                                f->src_line = ln;
                        }
                }
                q = w;
        }
}

/* "(func+0x1/0x2)" or "(func)" at p: arm's verbose backtrace names each function in parentheses.
 * @return true and the symbol (offset parsed into f) with *p after the ')'. */
static bool parse_paren_symbol(const char **p, const char *e, struct span *ret_symbol, struct frame_view *f) {
        const char *q = *p;
        if (q >= e || *q != '(')
                return false;
        q++;
        const char *sym = q;
        while (q < e && is_symbol_char(*q))
                q++;
        if (q == sym)
                return false;
        *ret_symbol = span_make(sym, (size_t) (q - sym));
        if (q < e && *q == '+') {
                q++;
                uint64_t off, size;
                if (!parse_hex(&q, e, &off) || q >= e || *q != '/')
                        return false;
                q++;
                if (!parse_hex(&q, e, &size))
                        return false;
                f->offset = off;
                f->size = size;
                f->has_offset = true;
        }
        if (q >= e || *q != ')')
                return false;
        *p = q + 1;
        return true;
}

/* " from " after a frame's symbol: arm prints each frame with its caller ("f from g+0x1/0x2",
 * "[<c0>] (f) from [<c0>] (g+0x1/0x2)"). @return true when the rest of the line is that. */
static bool is_from_caller(const char *q, const char *e) {
        return e - q >= 6 && memcmp(q, " from ", 6) == 0;
}

bool frame_parse(struct span line, struct frame_view *f) {
        const char *p = line.ptr, *e = line.ptr + line.len;
        *f = (struct frame_view) {};
        while (p < e && (*p == ' ' || *p == '\t'))
                p++;
        /* a trace pasted into mail: "> > [<..>] func+0x1/0x2" */
        while (p < e && *p == '>' && (p + 1 >= e || p[1] == ' ' || p[1] == '>' || p[1] == '\t')) {
                p++;
                while (p < e && (*p == ' ' || *p == '\t'))
                        p++;
        }
        /* s390 before 5.x prints the first entry, a return address that may be stale, in
         * parentheses: "([<000000000012a3b4>] func+0x1c/0x60)" */
        if (e - p > 2 && p[0] == '(' && p[1] == '[') {
                const char *close = e;
                while (close > p && (close[-1] == ' ' || close[-1] == '\t'))
                        close--;
                if (close > p && close[-1] == ')') {
                        bool ok = frame_parse(span_make(p + 1, (size_t) (close - 1 - (p + 1))), f);
                        f->unreliable = true;
                        return ok;
                }
        }
        /* old-style raw addresses, up to two of them */
        for (int i = 0; i < 2 && p < e && *p == '['; i++) {
                uint64_t a;
                if (!parse_bracket_addr(&p, e, &a))
                        return false;
                if (!f->address)
                        f->address = a;
        }
        if (p < e && *p == '?') {
                f->unreliable = true;
                p++;
                while (p < e && *p == ' ')
                        p++;
        }
        /* arm's verbose form: "[<c0123456>] (func+0x1c/0x60) from [<c0234567>] (caller+0x1/0x2)" */
        if (f->address && p < e && *p == '(') {
                struct span symbol;
                if (!parse_paren_symbol(&p, e, &symbol, f) || !(p >= e || is_from_caller(p, e)))
                        return false;
                f->func = frame_canonical(symbol, &f->suffix);
                return f->func.len > 0;
        }
        const char *sym = p;
        while (p < e && is_symbol_char(*p))
                p++;
        if (p == sym) {
                /* a bare address line ("[<ffffffffc0a1b2c3>] 0xffffffffc0a1b2c3") */
                if (f->address && p >= e)
                        return true;
                return false;
        }
        struct span symbol = span_make(sym, (size_t) (p - sym));
        if (p < e && *p == '+') {
                p++;
                if (!parse_hex(&p, e, &f->offset))
                        return false;
                if (p >= e || *p != '/')
                        return false;
                p++;
                if (!parse_hex(&p, e, &f->size))
                        return false;
                f->has_offset = true;
                if (p < e && *p != ' ' && *p != '\t')
                        return false;
        } else if (!f->address && is_from_caller(p, e)) {
                /* arm since 5.x: " func from caller+0x1/0x2": the caller carries the offset */
                const char *c = p + 6;
                while (c < e && is_symbol_char(*c))
                        c++;
                if (c == p + 6 || c >= e || *c != '+')
                        return false;
                f->func = frame_canonical(symbol, &f->suffix);
                return f->func.len > 0;
        } else {
                /* symbolized inline frame: "func fs/x.c:12 [inline]" */
                if (!span_has(span_make(p, (size_t) (e - p)), "[inline]"))
                        return false;
        }
        f->func = frame_canonical(symbol, &f->suffix);
        if (!f->func.len)
                return false;
        parse_frame_tail(p, e, f);
        /* the inline form has the source location right after the name: "pc : f x.h:1 [inline]"
         * is a register line that happens to carry one */
        if (!f->has_offset && !(f->inlined && f->file.len && f->file.ptr == span_ltrim(span_make(p, (size_t) (e - p))).ptr))
                return false;
        return true;
}

bool rip_line_value(struct span line, struct span *ret_value) {
        /* the instruction-pointer line of each architecture, as printed by show_regs() */
        static const char *const rip_prefixes[] = {
                "RIP: ", "RIP  ", "EIP: ", "EIP is at ", "NIP: ", "NIP [", "IP: ", "pc : ", "PC is at ",
                "epc : ", "Krnl PSW : ",
                /* mips and loongarch show_regs(): "epc   : %0*lx %pS", "era   : %0*lx %pS"; parisc
                 * "IAOQ[0]: %pS" */
                "epc   : ", "era   : ", "IAOQ[0]: ",
        };
        struct span v = span_ltrim(line);
        for (size_t i = 0; i < sizeof rip_prefixes / sizeof rip_prefixes[0]; i++)
                if (span_starts(v, rip_prefixes[i])) {
                        size_t n = strlen(rip_prefixes[i]);
                        /* "NIP [" keeps its bracket: it is the address */
                        if (rip_prefixes[i][n - 1] == '[')
                                n--;
                        *ret_value = span_ltrim(span_make(v.ptr + n, v.len - n));
                        return true;
                }
        return false;
}

bool frame_parse_rip(struct span line, struct frame_view *f, bool *ret_user) {
        struct span val;
        *ret_user = false;
        if (!rip_line_value(line, &val))
                return false;
        struct span v = val;
        const char *p = v.ptr;
        const char *e = v.ptr + v.len;
        while (p < e && *p == ' ')
                p++;
        /* "0010:" code segment selector; "0033:" is user mode */
        if (e - p > 5 && ascii_is_xdigit(p[0]) && ascii_is_xdigit(p[1]) && ascii_is_xdigit(p[2]) && ascii_is_xdigit(p[3]) && p[4] == ':') {
                if (memcmp(p, "0033", 4) == 0 || memcmp(p, "0023", 4) == 0 || memcmp(p, "002b", 4) == 0)
                        *ret_user = true;
                p += 5;
        }
        /* mips/loongarch "epc   : ffffffff80123456 func+0x14/0x80": the address, then the symbol */
        const char *h = p;
        while (h < e && ascii_is_xdigit(*h))
                h++;
        if (h - p >= 8 && h + 1 < e && *h == ' ' && h[1] != ' ')
                p = h + 1;
        struct span rest = span_make(p, (size_t) (e - p));
        /* "RIP: 0010:[<ffffffff8100>]  [<ffffffff8100>] func+0x/0x" and "IP: [<..>] func+0x/0x" */
        if (!frame_parse(rest, f)) {
                /* s390: "Krnl PSW : 0704c00180000000 000000000012a3b4 (func+0x1c/0x60)" */
                const char *open = memchr(p, '(', (size_t) (e - p));
                const char *close = open ? memchr(open, ')', (size_t) (e - open)) : NULL;
                if (!open || !close || !frame_parse(span_make(open + 1, (size_t) (close - open - 1)), f))
                        return false;
        }
        /* the frame parser accepted only an address: not a named RIP */
        return f->func.len > 0;
}
