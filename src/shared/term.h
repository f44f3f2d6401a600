/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Terminal output: colour decisions, escape-safe printing of log text, progress on stderr. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

int color_mode_parse(const char *s, enum color_mode *ret);
/* Resolve auto against isatty(stdout) and NO_COLOR. */
bool color_enabled(enum color_mode m, FILE *f);

/* SGR sequences, or "" when colour is off. */
struct palette {
        const char *bold, *red, *yellow, *green, *cyan, *dim, *reset;
};
const struct palette *palette_get(bool enabled);

/* Print text that came from a log: control bytes become \xNN so a hostile log cannot drive the
 * terminal. */
void term_put_safe(FILE *f, const char *s, size_t n);

/* Terminal columns of UTF-8 text: East Asian wide characters (CJK, Hangul, full-width forms)
 * take two, combining marks none, the rest one; invalid bytes count one each. printf's %-12s
 * pads by bytes, which misaligns every Chinese label. */
size_t term_display_width(const char *s, size_t n);
/* Print label, then blanks up to width columns (none when it is wider already). */
void term_put_padded(FILE *f, const char *label, size_t width);

/* Progress on stderr, throttled; only when stderr is a terminal and not quiet. */
struct progress {
        bool enabled;
        const char *label;
        uint64_t last_ns;
        bool shown;
};
void progress_init(struct progress *p, const char *label, bool quiet);
void progress_update(struct progress *p, uint64_t done, uint64_t total);
void progress_done(struct progress *p);
