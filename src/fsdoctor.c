/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsdoctor: global options and the verb table. Each verb lives in cmd-<verb>.c. */
#include <stdio.h>
#include <string.h>
#include "fsdoctor.h"
#include "shared/i18n.h"
#include "shared/verbs.h"


const struct verb verbs[] = {
        { "analyze", N_("find kernel reports and filesystem incidents in kernel logs"), verb_analyze },
        { "inspect", N_("show btrfs space and the risk of a metadata ENOSPC abort"), verb_inspect },
        { "explain", N_("list and show the knowledge-base rules"), verb_explain },
        { "watch", N_("follow the kernel log, raise and record incidents, serve metrics"), verb_watch },
        { "history", N_("list and show incidents recorded by watch"), verb_history },
        { "guard", N_("keep btrfs metadata from running out: forecast, and reclaim with the smallest balance"), verb_guard },
        { NULL, NULL, NULL },
};

const struct verb *verb_find(const char *name) {
        for (const struct verb *v = verbs; v->name; v++)
                if (strcmp(v->name, name) == 0)
                        return v;
        return NULL;
}

static void usage(FILE *f) {
        fprintf(f, "%s", _("Usage: fsdoctor COMMAND [OPTIONS] [ARGS]\n"
                           "       fsdoctor [--help | --version]\n\n"
                           "Tells why a Linux filesystem went read-only, from the kernel log.\n\n"
                           "Commands:\n"));
        for (const struct verb *v = verbs; v->name; v++)
                fprintf(f, "  %-10s %s\n", v->name, _(v->summary));
        fprintf(f, "%s", _("\nRun 'fsdoctor COMMAND --help' for the options of a command.\n"
                           "Exit status: 0 nothing found, 1 found, 2 error (see fsdoctor(1)).\n"));
}

int main(int argc, char **argv) {
        /* --lang may appear anywhere; settle the language before any message */
        const char *lang = NULL;
        for (int i = 1; i < argc; i++) {
                if (strncmp(argv[i], "--lang=", 7) == 0)
                        lang = argv[i] + 7;
                else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
                        lang = argv[i + 1];
        }
        if (i18n_init(lang) < 0) {
                i18n_init(NULL);
                return log_error(_("unknown language '%s' for --lang (expected en or zh)"), lang);
        }
        log_setup_library(FSD_LOG_WARNING);

        /* global options may precede the command */
        int first = 1;
        while (first < argc && strncmp(argv[first], "--lang", 6) == 0)
                first += strchr(argv[first], '=') ? 1 : 2;
        argc -= first - 1;
        argv += first - 1;
        if (argc < 2) {
                usage(stderr);
                return EXIT_USAGE_OR_ERROR;
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
                usage(stdout);
                return 0;
        }
        if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
                printf("fsdoctor %s\n", fsd_version_string());
                return 0;
        }
        const struct verb *v = verb_find(argv[1]);
        if (!v) {
                log_error(_("unknown command '%s'"), argv[1]);
                usage(stderr);
                return EXIT_USAGE_OR_ERROR;
        }
        return v->run(argc - 1, argv + 1);
}
