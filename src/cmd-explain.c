/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsdoctor explain: list the knowledge-base rules, or show one in full. */
#include <getopt.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include "basic/cleanup.h"
#include "basic/strbuf.h"
#include "fsdoctor.h"
#include "render.h"
#include "shared/i18n.h"
#include "shared/options.h"
#include "shared/term.h"
#include "shared/verbs.h"

static struct {
        enum output_format format;
        enum color_mode color;
        const char *rules_dir;
} arg_explain;

static void explain_help(void) {
        printf("%s", _("Usage: fsdoctor explain [OPTIONS] [RULE-ID]\n"
                       "\n"
                       "Without RULE-ID, list the knowledge-base rules (id, severity, title). With RULE-ID,\n"
                       "show that rule in full: what it matches, the explanation, the kernel code path, what\n"
                       "to do now, how to prevent it and the upstream fixes.\n"
                       "\n"
                       "Options:\n"
                       "      --format=FMT      text (default) or json (one JSON object per rule, both languages)\n"
                       "      --rules=DIR       use the rules in DIR instead of the built-in ones\n"
                       "      --color=WHEN      auto (default), always or never\n"
                       "      --lang=LANG       en or zh (default: from the locale)\n"
                       "  -h, --help            show this help\n"
                       "\n"
                       "Exit status: 0 success, 2 unknown rule, bad rules directory or bad arguments.\n"));
}

static const char *pick(struct fsd_text t) {
        return i18n_lang() == UI_LANG_ZH && t.zh ? t.zh : t.en;
}

/* A rule's texts are templates filled from an incident ({device}, {host}, ...). Listed on their own
 * there is no incident: show each placeholder as a readable name, like the <mountpoint> the texts
 * already use, so "btrfs on {device}" reads "btrfs on <device>". */
static const char *placeholder_label(const char *name, size_t n) {
        static const struct {
                const char *name, *label;
        } labels[] = {
                { "device", N_("<device>") },
                { "host", N_("<host>") },
                { "kernel", N_("<kernel>") },
                { "comm", N_("<process>") },
                { "pid", N_("<pid>") },
                { "fs", N_("<filesystem>") },
                { "function", N_("<function>") },
                { "src_line", N_("<line>") },
                { "errno", N_("<errno>") },
                { "errno_name", N_("<errno-name>") },
                { "error_text", N_("<error-text>") },
                { "time", N_("<time>") },
                { "mount_point", N_("<mountpoint>") },
                { "dev_path", N_("/dev/<device>") },
                { "guilty", N_("<guilty-function>") },
                { "origin", N_("<log-file>") },
        };
        for (size_t i = 0; i < ELEMENTSOF(labels); i++)
                if (strlen(labels[i].name) == n && memcmp(labels[i].name, name, n) == 0)
                        return _(labels[i].label);
        return NULL;
}

/* @return the template with placeholders shown as labels, malloc'd; NULL on OOM. */
static char *template_readable(const char *tmpl) {
        struct strbuf b = STRBUF_INIT;
        for (const char *p = tmpl; p && *p; ) {
                const char *open = strchr(p, '{');
                if (!open) {
                        strbuf_puts(&b, p);
                        break;
                }
                strbuf_append(&b, p, (size_t) (open - p));
                if (open[1] == '{') {   /* "{{" is a literal brace */
                        strbuf_putc(&b, '{');
                        p = open + 2;
                        continue;
                }
                const char *close = strchr(open, '}');
                const char *label = close ? placeholder_label(open + 1, (size_t) (close - open - 1)) : NULL;
                if (!label) {
                        strbuf_putc(&b, '{');
                        p = open + 1;
                        continue;
                }
                strbuf_puts(&b, label);
                p = close + 1;
        }
        if (strbuf_failed(&b)) {
                strbuf_done(&b);
                return NULL;
        }
        return strbuf_steal(&b);
}

static void put_block(const char *indent, const char *text) {
        for (const char *p = text; p && *p; ) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t) (nl - p) : strlen(p);
                if (n)
                        fputs(indent, stdout);
                term_put_safe(stdout, p, n);
                fputc('\n', stdout);
                if (!nl)
                        break;
                p = nl + 1;
        }
}

static void put_template(const char *indent, const char *tmpl) {
        _cleanup_free_ char *text = template_readable(tmpl);
        put_block(indent, text ? text : tmpl);
}

static int print_json(const struct fsd_rule_info *rule) {
        _cleanup_free_ char *json = NULL;
        int r = fsd_rule_to_json(rule, &json);
        if (r < 0)
                return log_error(_("cannot format rule '%s': %s"), rule->id, fsd_strerror(r));
        printf("%s\n", json);
        return 0;
}

static void list_rules(const struct fsd_kb *kb, const struct palette *pal) {
        size_t width = 0;
        for (size_t i = 0; i < fsd_kb_count(kb); i++) {
                size_t n = strlen(fsd_kb_rule_at(kb, i)->id);
                width = n > width ? n : width;
        }
        for (size_t i = 0; i < fsd_kb_count(kb); i++) {
                const struct fsd_rule_info *rule = fsd_kb_rule_at(kb, i);
                const char *colour = rule->severity >= FSD_SEVERITY_ERROR ? pal->red : pal->yellow;
                printf("%s%-*s%s  %s%-8s%s  ", pal->bold, (int) width, rule->id, pal->reset, colour,
                       severity_label(rule->severity), pal->reset);
                put_template("", pick(rule->title));
        }
}

static void heading(const struct palette *pal, const char *title) {
        printf("\n%s%s%s\n", pal->bold, title, pal->reset);
}

static void show_rule(const struct fsd_rule_info *rule, const struct palette *pal) {
        printf("%s%s%s\n", pal->bold, rule->id, pal->reset);
        put_template("  ", pick(rule->title));
        printf("  %s: %s, %s: %s, %s: %s\n", _("severity"), severity_label(rule->severity), _("filesystem"),
               rule->fs == FSD_FS_BTRFS ? "btrfs" : rule->fs == FSD_FS_EXT4 ? "ext4" : rule->fs == FSD_FS_XFS ? "xfs" : _("any"),
               _("file"), rule->source);
        heading(pal, _("Matches when"));
        for (size_t i = 0; i < rule->n_conditions; i++) {
                printf("  %s ", rule->condition_required[i] ? _("required:") : _("supports:"));
                put_template("", pick(rule->conditions[i]));
        }
        heading(pal, _("What happened and why"));
        put_template("  ", pick(rule->explanation));
        if (rule->n_code_path) {
                heading(pal, _("Kernel code path (caller first)"));
                for (size_t i = 0; i < rule->n_code_path; i++) {
                        const struct fsd_code_step *s = &rule->code_path[i];
                        const char *vis = s->visibility == FSD_PATH_INLINED ? _(" [inlined]") :
                                          s->visibility == FSD_PATH_HIDDEN ? _(" [not in a trace]") : "";
                        printf("  %s%s%s%s%s", i ? "-> " : "   ", pal->bold, s->function, pal->reset, vis);
                        if (s->file)
                                printf("  %s%s%s", pal->dim, s->file, pal->reset);
                        fputc('\n', stdout);
                        if (s->note.en)
                                put_template("       ", pick(s->note));
                }
        }
        heading(pal, _("What to do now"));
        put_template("  ", pick(rule->remediation));
        heading(pal, _("How to prevent it"));
        put_template("  ", pick(rule->prevention));
        if (rule->n_fixes) {
                heading(pal, _("Upstream fixes"));
                for (size_t i = 0; i < rule->n_fixes; i++) {
                        const struct fsd_fix *f = &rule->fixes[i];
                        printf("  %s%.*s%s  %s\n", pal->cyan, f->commit ? 12 : INT_MAX, f->commit ? f->commit : _("(no id)"),
                               pal->reset, f->subject);
                        printf("    %s v%s", _("first in mainline"), f->mainline);
                        for (size_t k = 0; k < f->n_stable; k++)
                                printf("%s%s", k ? ", " : _("; stable: "), f->stable[k]);
                        printf(" (%s)\n", f->status == FSD_FIX_VERIFIED ? _("verified") : _("inferred"));
                        if (f->note.en)
                                put_template("    ", pick(f->note));
                }
        }
        if (rule->n_sources) {
                heading(pal, _("Sources"));
                for (size_t i = 0; i < rule->n_sources; i++)
                        printf("  - %s\n", rule->sources[i]);
        }
}

static int parse_args(int argc, char **argv) {
        enum { OPT_FORMAT = 0x100, OPT_COLOR, OPT_LANG, OPT_RULES };
        static const struct option options[] = {
                { "format", required_argument, NULL, OPT_FORMAT },
                { "color", required_argument, NULL, OPT_COLOR },
                { "colour", required_argument, NULL, OPT_COLOR },
                { "lang", required_argument, NULL, OPT_LANG },
                { "rules", required_argument, NULL, OPT_RULES },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        memset(&arg_explain, 0, sizeof arg_explain);
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                switch (c) {
                case OPT_FORMAT:
                        if (parse_format_arg(optarg, FORMATS_TEXT_JSON, &arg_explain.format) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        break;
                case OPT_COLOR:
                        if (parse_color_arg(optarg, &arg_explain.color) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        break;
                case OPT_LANG: break; /* handled in main() */
                case OPT_RULES: arg_explain.rules_dir = optarg; break;
                case 'h': explain_help(); return -1;
                default: return EXIT_USAGE_OR_ERROR;
                }
        }
        if (argc - optind > 1)
                return log_error("%s", _("explain takes at most one RULE-ID"));
        return 0;
}

int verb_explain(int argc, char **argv) {
        int r = parse_args(argc, argv);
        if (r < 0)
                return 0;
        if (r > 0)
                return r;

        struct fsd_kb *loaded = NULL;
        const struct fsd_kb *kb;
        if (arg_explain.rules_dir) {
                _cleanup_free_ char *detail = NULL;
                r = fsd_kb_load_dir(arg_explain.rules_dir, &loaded, &detail);
                if (r < 0)
                        return log_error(_("cannot load rules from %s: %s"), arg_explain.rules_dir,
                                         detail ? detail : fsd_strerror(r));
                kb = loaded;
        } else {
                r = fsd_kb_builtin(&kb);
                if (r < 0)
                        return log_error(_("the built-in knowledge base is broken: %s"), fsd_strerror(r));
        }
        const struct palette *pal = palette_get(color_enabled(arg_explain.color, stdout));
        int status = 0;
        if (optind < argc) {
                const char *id = argv[optind];
                const struct fsd_rule_info *rule = fsd_kb_find(kb, id);
                if (!rule) {
                        status = log_error(_("no rule with id '%s'; run 'fsdoctor explain' to list the %zu rules"), id,
                                           fsd_kb_count(kb));
                        for (size_t i = 0; i < fsd_kb_count(kb); i++)
                                if (strstr(fsd_kb_rule_at(kb, i)->id, id))
                                        fprintf(stderr, _("  did you mean %s?\n"), fsd_kb_rule_at(kb, i)->id);
                } else if (arg_explain.format == OUTPUT_JSON)
                        status = print_json(rule);
                else
                        show_rule(rule, pal);
        } else if (arg_explain.format == OUTPUT_JSON) {
                for (size_t i = 0; i < fsd_kb_count(kb) && status == 0; i++)
                        status = print_json(fsd_kb_rule_at(kb, i));
        } else
                list_rules(kb, pal);
        fsd_kb_free(loaded);
        if (status == 0 && (fflush(stdout) != 0 || ferror(stdout)))
                status = log_error("%s", _("write error on standard output"));
        return status;
}
