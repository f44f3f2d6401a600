/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
#include <stddef.h>
/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s[0] does not start one that fits in
 * n bytes. Overlong forms and surrogates are invalid. */
size_t utf8_valid_len(const char *s, size_t n);
