/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* One table row per subcommand (git's cmd table, systemd's Verb). */
#include <stdio.h>

enum {
        EXIT_NOTHING_FOUND = 0,  /* analyze: no report/incident; inspect: risk ok */
        EXIT_FOUND = 1,          /* analyze: found something; inspect: risk watch or worse */
        EXIT_USAGE_OR_ERROR = 2, /* bad arguments, unreadable input, corrupt image */
};

struct verb {
        const char *name;
        const char *summary;     /* one line for `fsdoctor --help` */
        int (*run)(int argc, char **argv);
};

int verb_analyze(int argc, char **argv);
int verb_explain(int argc, char **argv);
int verb_inspect(int argc, char **argv);
int verb_watch(int argc, char **argv);
int verb_history(int argc, char **argv);
int verb_guard(int argc, char **argv);

const struct verb *verb_find(const char *name);
extern const struct verb verbs[];

/* Program-side logging: "fsdoctor: <what failed>: <why>" on stderr. Returns EXIT_USAGE_OR_ERROR. */
int log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Route the library's log callback to stderr (debug only with --verbose). */
void log_setup_library(int max_level);
