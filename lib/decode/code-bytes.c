/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "Code:" line of a kernel report, as bytes: which architecture printed it, where the
 * trapping instruction starts, and the register dump beside it. Disassembly is in
 * code-decode.c; this file only reads text. */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include "decode-internal.h"
#include "basic/span.h"

/* Parses n hex digits at s into *ret. */
static bool parse_hex_n(const char *s, size_t n, uint64_t *ret) {
        uint64_t v = 0;
        if (n == 0 || n > 16)
                return false;
        for (size_t i = 0; i < n; i++) {
                int d = ascii_hex_value(s[i]);
                if (d < 0)
                        return false;
                v = v << 4 | (uint64_t) d;
        }
        *ret = v;
        return true;
}

static int append_le(struct code_bytes *cb, uint64_t v, size_t width) {
        if (cb->n + width > CODE_BYTES_MAX)
                return -E2BIG;
        for (size_t i = 0; i < width; i++)
                cb->bytes[cb->n++] = (uint8_t) (v >> (8 * i));
        return 0;
}

/* Token forms printed by the kernel's show_opcodes()/dump_instr() across architectures:
 *   x86:        "8b" and "<8b>" (the byte at the faulting address)
 *   arm, arm64: "e59f0010" and "(e7f001f2)" (instruction words, as numbers)
 *   thumb:      "4770" and "(de02)" (halfwords) */
int code_bytes_parse(const char *code, struct code_bytes *ret) {
        struct code_bytes cb = { .trap = -1 };
        size_t width = 0;

        if (!code)
                return -ENODATA;
        const char *p = code;
        while (*p) {
                while (*p == ' ' || *p == '\t')
                        p++;
                if (!*p)
                        break;
                const char *tok = p;
                while (*p && *p != ' ' && *p != '\t')
                        p++;
                size_t n = (size_t) (p - tok);
                bool marked = false;
                if (n >= 3 && ((tok[0] == '<' && tok[n - 1] == '>') || (tok[0] == '(' && tok[n - 1] == ')'))) {
                        marked = true;
                        tok++;
                        n -= 2;
                }
                uint64_t v;
                /* "Bad RIP value.", "Unable to access opcode bytes at ...": no bytes to read */
                if (!parse_hex_n(tok, n, &v) || (n != 2 && n != 4 && n != 8))
                        return -ENODATA;
                if (width == 0)
                        width = n / 2;
                else if (width != n / 2)
                        return -EBADMSG;        /* mixed token widths: not one of the kernel's forms */
                if (marked) {
                        if (cb.trap >= 0)
                                return -EBADMSG;
                        cb.trap = (int) cb.n;
                }
                int r = append_le(&cb, v, width);
                if (r < 0)
                        return r;
        }
        if (cb.n == 0)
                return -ENODATA;
        cb.unit = (unsigned) width;
        *ret = cb;
        return 0;
}

/* Register dump lines: "RAX: 0000000000000000 RBX: ...", "RSP: 0018:ffffa...", "R13: ...",
 * arm64 "x29: ffff8000... x28: ...", "pc : ...", arm "r10: ...  fp : ...". A name is a token
 * that ends in ':' (or is followed by a lone ':'); its value is the hex token after it, the part
 * after the last ':' when a segment selector precedes it. */
int register_dump_parse(const char *text, struct register_dump *ret) {
        struct register_dump d = { .n = 0 };
        ret->n = 0;
        if (!text)
                return 0;
        const char *p = text;
        while (*p) {
                while (*p && isspace((unsigned char) *p))
                        p++;
                const char *name = p;
                while (*p && !isspace((unsigned char) *p) && *p != ':')
                        p++;
                size_t name_len = (size_t) (p - name);
                const char *q = p;
                while (*q == ' ')
                        q++;
                if (*q != ':' || name_len == 0 || name_len >= sizeof d.regs[0].name) {
                        while (*p && !isspace((unsigned char) *p))
                                p++;
                        continue;
                }
                q++;
                while (*q == ' ')
                        q++;
                const char *val = q;
                while (*q && !isspace((unsigned char) *q))
                        q++;
                const char *last_colon = memrchr(val, ':', (size_t) (q - val));
                if (last_colon)
                        val = last_colon + 1;
                uint64_t v;
                if (d.n < REGISTER_DUMP_MAX && parse_hex_n(val, (size_t) (q - val), &v)) {
                        struct register_value *rv = &d.regs[d.n++];
                        for (size_t i = 0; i < name_len; i++)
                                rv->name[i] = (char) tolower((unsigned char) name[i]);
                        rv->name[name_len] = 0;
                        rv->value = v;
                }
                p = q;
        }
        *ret = d;
        return (int) d.n;
}

bool register_dump_get(const struct register_dump *d, const char *name, uint64_t *ret) {
        for (size_t i = 0; i < d->n; i++)
                if (strcmp(d->regs[i].name, name) == 0) {
                        *ret = d->regs[i].value;
                        return true;
                }
        return false;
}

enum code_arch code_arch_guess(const struct code_bytes *cb, const struct register_dump *d) {
        uint64_t v;
        if (cb->unit == 1) {
                if (register_dump_get(d, "rax", &v) || register_dump_get(d, "r13", &v))
                        return CODE_ARCH_X86_64;
                if (register_dump_get(d, "eax", &v))
                        return CODE_ARCH_X86_32;
                return CODE_ARCH_X86_64;        /* the kernel prints single bytes only on x86 */
        }
        if (cb->unit == 4) {
                if (register_dump_get(d, "x29", &v) || register_dump_get(d, "x0", &v))
                        return CODE_ARCH_ARM64;
                if (register_dump_get(d, "r10", &v) || register_dump_get(d, "fp", &v))
                        return CODE_ARCH_ARM;
                return CODE_ARCH_UNKNOWN;
        }
        if (cb->unit == 2)
                return CODE_ARCH_THUMB;
        return CODE_ARCH_UNKNOWN;
}
