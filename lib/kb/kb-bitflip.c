/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Single-bit differences between the two values a corruption message prints (what was expected and
 * what was found). One flipped bit is what bad RAM does; a lost write or a misdirected one changes
 * many bits at once, so the distinction is worth stating as a fact. */
#include <stdio.h>
#include <string.h>
#include "kb-internal.h"
#include "basic/span.h"

/* The forms btrfs prints, as (keyword before the first value, text between the values):
 *   parent transid verify failed on [logical] X [mirror M] wanted A found B   (decimal)
 *   checksum verify failed on [logical] X [mirror M] wanted A found B level L (hex; 0x only since 5.x)
 *   csum failed root R ino I off O csum 0xA expected csum 0xB mirror M        (hex)
 *   tree-checker: ..., have A expect B / has A expect B                       (decimal unless 0x) */
static const struct {
        const char *before;      /* the word right before the first value */
        const char *between;     /* the text between the two values */
} value_forms[] = {
        { "wanted", " found " },
        { "csum", " expected csum " },
        { "have", " expect " },
        { "has", " expect " },
};

/* A number token [s, s+n): "0x1f", "8941F998" (hex) or "1234" (decimal). Writes its digits (without 0x)
 * to *ret_digits and *ret_len, and whether it is hex. @return false if it is not a number. */
static bool number_token(const char *s, size_t n, bool hex_default, const char **ret_digits, size_t *ret_len,
                         bool *ret_hex) {
        bool hex = hex_default;
        if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
                s += 2;
                n -= 2;
                hex = true;
        }
        if (n == 0 || n > KB_BITFLIP_MAX_DIGITS)
                return false;
        for (size_t i = 0; i < n; i++)
                if (hex ? !ascii_is_xdigit(s[i]) : !ascii_is_digit(s[i]))
                        return false;
        *ret_digits = s;
        *ret_len = n;
        *ret_hex = hex;
        return true;
}

/* Differing bits of two hex digit strings, right-aligned: count, and the index of the lowest one. */
static unsigned hex_diff(const char *a, size_t na, const char *b, size_t nb, unsigned *ret_bit) {
        size_t n = na > nb ? na : nb;
        unsigned bits = 0;
        for (size_t i = 0; i < n; i++) {     /* i counts nibbles from the least significant end */
                unsigned da = i < na ? (unsigned) ascii_hex_value(a[na - 1 - i]) : 0;
                unsigned db = i < nb ? (unsigned) ascii_hex_value(b[nb - 1 - i]) : 0;
                unsigned x = da ^ db;
                for (unsigned k = 0; k < 4; k++)
                        if (x & (1u << k)) {
                                if (bits == 0)
                                        *ret_bit = (unsigned) (i * 4 + k);
                                bits++;
                        }
        }
        return bits;
}

static bool dec_parse(const char *s, size_t n, uint64_t *ret) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++) {
                unsigned d = (unsigned) (s[i] - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return false;
                v = v * 10 + d;
        }
        *ret = v;
        return true;
}

/* @return the number of differing bits, or -1 when a value does not fit 64 bits (no btrfs number
 * does: no claim is made about it). */
static int dec_diff(const char *a, size_t na, const char *b, size_t nb, unsigned *ret_bit) {
        uint64_t va, vb;
        if (!dec_parse(a, na, &va) || !dec_parse(b, nb, &vb))
                return -1;
        uint64_t x = va ^ vb;
        if (x)
                *ret_bit = (unsigned) __builtin_ctzll(x);
        return __builtin_popcountll(x);
}

static size_t token_len(const char *s) {
        size_t n = 0;
        while (s[n] && s[n] != ' ' && s[n] != ',' && s[n] != ';' && s[n] != ')' && s[n] != '(')
                n++;
        return n;
}

int kb_value_pair_find(const char *text, struct kb_value_pair *ret) {
        if (!text || !ret)
                return 0;
        /* checksums print in hex even without 0x (4.x "%X"); transids and tree-checker values in decimal */
        bool checksum = strstr(text, "csum") || strstr(text, "checksum");
        for (size_t f = 0; f < ELEMENTSOF(value_forms); f++) {
                const char *mid = strstr(text, value_forms[f].between);
                for (; mid; mid = strstr(mid + 1, value_forms[f].between)) {
                        /* first value: the token ending right before mid, preceded by "<before> " */
                        const char *end = mid, *start = mid;
                        while (start > text && start[-1] != ' ')
                                start--;
                        size_t kw = strlen(value_forms[f].before);
                        if ((size_t) (start - text) < kw + 1 || start[-1] != ' ')
                                continue;
                        /* in bounds: start - text >= kw + 1 */
                        const char *keyword = start - 1 - kw;
                        if (memcmp(keyword, value_forms[f].before, kw) != 0 || (keyword > text && keyword[-1] != ' '))
                                continue;
                        const char *second = mid + strlen(value_forms[f].between);
                        size_t n2 = token_len(second);
                        const char *d1, *d2;
                        size_t l1, l2;
                        bool h1, h2;
                        bool hex_default = checksum && f < 2;
                        if (!number_token(start, (size_t) (end - start), hex_default, &d1, &l1, &h1) ||
                            !number_token(second, n2, hex_default, &d2, &l2, &h2))
                                continue;
                        unsigned bit = 0;
                        int bits;
                        if (h1 || h2) {
                                /* one value in hex makes both hex (the other may lack 0x, or be 0) */
                                if (!number_token(start, (size_t) (end - start), true, &d1, &l1, &h1) ||
                                    !number_token(second, n2, true, &d2, &l2, &h2))
                                        continue;
                                bits = (int) hex_diff(d1, l1, d2, l2, &bit);
                        } else
                                bits = dec_diff(d1, l1, d2, l2, &bit);
                        if (bits < 0)
                                continue;
                        *ret = (struct kb_value_pair) { .differing_bits = (unsigned) bits, .bit = bit, .hex = h1 || h2 };
                        snprintf(ret->first, sizeof ret->first, "%.*s", (int) (end - start), start);
                        snprintf(ret->second, sizeof ret->second, "%.*s", (int) n2, second);
                        ret->first_word = value_forms[f].before;
                        ret->second_word = f == 0 ? "found" : f == 1 ? "expected" : "expect";
                        return 1;
                }
        }
        return 0;
}
