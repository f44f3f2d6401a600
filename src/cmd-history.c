/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsdoctor history: past incidents from the watch daemon's database. An incident is shown by
 * analysing its stored kernel lines again with the same analyzer and renderer as analyze, so
 * history and analyze always agree (and a newer knowledge base explains old incidents better). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "basic/cleanup.h"
#include "basic/json-writer.h"
#include "basic/strbuf.h"
#include "fsdoctor.h"
#include "render.h"
#include "render-html.h"
#include "shared/i18n.h"
#include "shared/options.h"
#include "shared/term.h"
#include "shared/verbs.h"
#include "watch/daemon.h"
#include "watch/store.h"

static struct {
        const char *db_path;
        int64_t since_usec;
        bool json, html, all_boots, verbose;
        enum color_mode color;
} arg_history;

static void history_help(void) {
        printf("%s", _("Usage: fsdoctor history [OPTIONS] [ID...]\n"
                       "\n"
                       "List the incidents recorded by 'fsdoctor watch', or show the incidents ID... in full, as\n"
                       "analyze shows them: their kernel lines are analysed again with the current rules.\n"
                       "\n"
                       "Options:\n"
                       "      --db=PATH         history database (default /var/lib/fsdoctor/history.db)\n"
                       "      --since=TIME      only incidents raised since TIME: 'YYYY-MM-DD[ HH:MM[:SS]]' (local\n"
                       "                        time) or an age such as 30m, 12h, 7d\n"
                       "      --format=FMT      text (default), json (JSON Lines, one incident per line) or html (one page)\n"
                       "      --color=WHEN      auto (default), always or never\n"
                       "      --lang=LANG       en or zh (default: from the locale)\n"
                       "  -v, --verbose         also print module lists and code bytes\n"
                       "  -h, --help            show this help\n"
                       "\n"
                       "Exit status: 0 no incident, 1 incidents listed, 2 error.\n"));
}

static int64_t now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* "2026-12-07", "2026-12-07 10:00", "2026-12-07T10:00:05", or an age "90s", "30m", "12h", "7d". */
static int parse_since(const char *s, int64_t *ret) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(s, &end, 10);
        if (end != s && !errno && end[0] && !end[1] && s[0] != '-') {
                uint64_t unit = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 : end[0] == 'd' ? 86400 : 0;
                if (!unit || n > 36500ull * 86400)
                        return -EINVAL;
                *ret = now_usec() - (int64_t) (n * unit) * 1000000;
                return 0;
        }
        struct tm tm = {};
        const char *p = strptime(s, "%Y-%m-%d", &tm);
        if (!p)
                return -EINVAL;
        if (*p == ' ' || *p == 'T') {
                const char *q = strptime(p + 1, "%H:%M:%S", &tm);
                if (!q)
                        q = strptime(p + 1, "%H:%M", &tm);
                p = q;
        }
        if (!p || *p)
                return -EINVAL;
        tm.tm_isdst = -1;
        time_t t = mktime(&tm);
        if (t == (time_t) -1)
                return -EINVAL;
        *ret = (int64_t) t * 1000000;
        return 0;
}

static void format_time(int64_t usec, char *buf, size_t size) {
        if (usec <= 0) {
                snprintf(buf, size, "-");
                return;
        }
        time_t t = (time_t) (usec / 1000000);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

struct show_ctx {
        struct store *store;
        struct render_ctx render;
        const int64_t *ids;
        size_t n_ids;
        unsigned shown;
        int error;
        const struct store_row *row;
        struct fsd_analyzer *a;
        unsigned rendered;
        struct html_analyze *html; /* --format=html: collects the page */
};

static bool wanted(const struct show_ctx *c, int64_t id) {
        if (c->n_ids == 0)
                return true;
        for (size_t i = 0; i < c->n_ids; i++)
                if (c->ids[i] == id)
                        return true;
        return false;
}

/* The page shows the incident under its history id, with the database's facts first. */
static int history_add_html(struct show_ctx *c, const struct fsd_incident *inc) {
        const struct store_row *row = c->row;
        char raised[32], closed[32], cleared[80], seq[160];
        format_time(row->raised_usec, raised, sizeof raised);
        format_time(row->closed_usec, closed, sizeof closed);
        format_time(row->cleared_usec, cleared, sizeof cleared);
        if (row->cleared_usec > 0 && row->cleared_how)
                snprintf(cleared + strlen(cleared), sizeof cleared - strlen(cleared), " (%s)", watch_word(row->cleared_how));
        snprintf(seq, sizeof seq, "%" PRId64 "..%" PRId64 " (boot %s)", row->first_seq, row->last_seq,
                 row->boot_id ? row->boot_id : "?");
        const char *facts[] = {
                _("state"), watch_word(row->state),
                _("raised"), raised,
                _("closed"), row->closed_usec > 0 ? closed : NULL,
                _("cleared"), row->cleared_usec > 0 ? cleared : NULL,
                _("kernel seq"), seq,
                _("evidence incomplete"), row->incomplete,
                NULL,
        };
        /* facts with no value are left out: compact the list */
        const char *list[ELEMENTSOF(facts)];
        size_t n = 0;
        for (size_t i = 0; facts[i]; i += 2)
                if (facts[i + 1]) {
                        list[n++] = facts[i];
                        list[n++] = facts[i + 1];
                }
        list[n] = NULL;
        struct html_incident_extra extra = { .id = (uint32_t) row->id, .facts = list };
        return html_analyze_add_incident_extra(c->html, inc, &extra);
}

static int on_reanalysed(const struct fsd_incident *inc, void *userdata) {
        struct show_ctx *c = userdata;
        /* the stored lines may hold a neighbour's message; show the incident of this device */
        const char *dev = c->row->device;
        if (dev && inc->device && strcmp(dev, inc->device) != 0)
                return 0;
        if (c->html) {
                if (c->rendered)   /* one section per history row: its id names the anchors */
                        return 0;
                c->rendered++;
                return history_add_html(c, inc);
        }
        render_incident_text(&c->render, inc);
        c->rendered++;
        return 0;
}

static int feed_line(const struct store_line *l, void *userdata) {
        struct show_ctx *c = userdata;
        struct fsd_record rec = {
                .text = l->text ? l->text : "", .len = l->len, .origin = "/dev/kmsg", .boot_id = c->row->boot_id,
                .line = (uint64_t) l->seq + 1, .mono_usec = l->mono_usec, .wall_usec = l->wall_usec ? l->wall_usec : -1,
                .priority = l->priority, .format = FSD_FORMAT_KMSG, .kmsg_seq = l->seq,
        };
        return fsd_analyzer_feed(c->a, &rec);
}

static void print_header(const struct show_ctx *c, const struct store_row *row) {
        FILE *f = c->render.out;
        char raised[32], closed[32], cleared[32];
        format_time(row->raised_usec, raised, sizeof raised);
        format_time(row->closed_usec, closed, sizeof closed);
        format_time(row->cleared_usec, cleared, sizeof cleared);
        fprintf(f, _("History %" PRId64 ": %s\n"), row->id, row->title ? row->title : _("(no title)"));
        fprintf(f, _("  state        %s\n"), watch_word(row->state));
        fprintf(f, _("  raised       %s\n"), raised);
        if (row->closed_usec > 0)
                fprintf(f, _("  closed       %s\n"), closed);
        if (row->cleared_usec > 0)
                fprintf(f, _("  cleared      %s (%s)\n"), cleared, row->cleared_how ? watch_word(row->cleared_how) : "?");
        fprintf(f, _("  kernel seq   %" PRId64 "..%" PRId64 " of boot %s\n"), row->first_seq, row->last_seq, row->boot_id);
        if (row->previous_boot)
                fprintf(f, _("  happened in  an earlier boot than the one that recorded it: not read-only now\n"));
        if (row->incomplete)
                fprintf(f, _("  evidence incomplete: %s\n"), row->incomplete);
}

static int show_row(const struct store_row *row, void *userdata) {
        struct show_ctx *c = userdata;
        if (!wanted(c, row->id))
                return 0;
        c->shown++;
        if (arg_history.json) {
                struct strbuf b = STRBUF_INIT;
                struct json_writer w;
                json_writer_init(&w, &b);
                json_object_begin(&w);
                json_kv_string(&w, "type", "history");
                json_kv_int(&w, "version", 1);
                json_kv_int(&w, "id", row->id);
                json_kv_string(&w, "state", row->state);
                json_kv_string(&w, "boot_id", row->boot_id);
                json_kv_bool(&w, "previous_boot", row->previous_boot);
                json_kv_int(&w, "first_seq", row->first_seq);
                json_kv_int(&w, "last_seq", row->last_seq);
                json_kv_int(&w, "raised_usec", row->raised_usec);
                json_kv_int(&w, "updated_usec", row->updated_usec);
                if (row->closed_usec > 0)
                        json_kv_int(&w, "closed_usec", row->closed_usec);
                if (row->cleared_usec > 0) {
                        json_kv_int(&w, "cleared_usec", row->cleared_usec);
                        json_kv_string(&w, "cleared_how", row->cleared_how);
                }
                json_kv_bool(&w, "evidence_incomplete", row->incomplete != NULL);
                if (row->incomplete)
                        json_kv_string(&w, "incomplete_reason", row->incomplete);
                json_key(&w, "incident");
                json_raw(&w, row->json && row->json[0] ? row->json : "null");
                json_object_end(&w);
                if (!strbuf_failed(&b))
                        printf("%s\n", strbuf_str(&b));
                strbuf_done(&b);
                return 0;
        }
        if (c->n_ids == 0 && !arg_history.html) {
                char raised[32];
                format_time(row->raised_usec, raised, sizeof raised);
                printf("%6" PRId64 "  %s  %-8s  %-8s %-10s %-8s %s\n", row->id, raised, watch_word(row->state),
                       row->fs ? row->fs : "?", row->device ? row->device : "?", row->severity ? watch_word(row->severity) : "?",
                       row->rule_id ? row->rule_id : "?");
                return 0;
        }
        if (!arg_history.html)
                print_header(c, row);
        FSD_OPTS(fsd_analyzer_opts, ao, .on_incident = on_reanalysed, .userdata = c);
        c->row = row;
        c->rendered = 0;
        int r = fsd_analyzer_new(&ao, &c->a);
        if (r >= 0)
                r = store_each_line(c->store, row->id, feed_line, c);
        if (r >= 0)
                r = fsd_analyzer_finish(c->a);
        c->a = fsd_analyzer_free(c->a);
        if (r < 0)
                return r;
        if (arg_history.html)
                return 0;
        if (c->rendered == 0)
                printf(_("  (its kernel lines are no longer enough to rebuild the incident)\n"));
        putchar('\n');
        return 0;
}

int verb_history(int argc, char **argv) {
        enum { OPT_DB = 0x100, OPT_SINCE, OPT_FORMAT, OPT_COLOR, OPT_LANG };
        static const struct option options[] = {
                { "db", required_argument, NULL, OPT_DB },
                { "since", required_argument, NULL, OPT_SINCE },
                { "format", required_argument, NULL, OPT_FORMAT },
                { "color", required_argument, NULL, OPT_COLOR },
                { "colour", required_argument, NULL, OPT_COLOR },
                { "lang", required_argument, NULL, OPT_LANG },
                { "verbose", no_argument, NULL, 'v' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        memset(&arg_history, 0, sizeof arg_history);
        arg_history.db_path = WATCH_DEFAULT_DB;
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "vh", options, NULL)) >= 0) {
                switch (c) {
                case OPT_DB: arg_history.db_path = optarg; break;
                case OPT_SINCE:
                        if (parse_since(optarg, &arg_history.since_usec) < 0)
                                return log_error(_("invalid --since '%s' (expected YYYY-MM-DD[ HH:MM[:SS]] or an age such as 12h)"),
                                                 optarg);
                        break;
                case OPT_FORMAT: {
                        enum output_format format;
                        if (parse_format_arg(optarg, FORMATS_WITH_HTML, &format) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        arg_history.json = format == OUTPUT_JSON;
                        arg_history.html = format == OUTPUT_HTML;
                        break;
                }
                case OPT_COLOR:
                        if (parse_color_arg(optarg, &arg_history.color) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        break;
                case OPT_LANG: break;
                case 'v': arg_history.verbose = true; break;
                case 'h': history_help(); return 0;
                default: return EXIT_USAGE_OR_ERROR;
                }
        }
        size_t n_ids = (size_t) (argc - optind);
        _cleanup_free_ int64_t *ids = calloc(n_ids ? n_ids : 1, sizeof *ids);
        if (!ids)
                return log_error(_("out of memory"));
        for (size_t i = 0; i < n_ids; i++) {
                char *end;
                long long v = strtoll(argv[optind + (int) i], &end, 10);
                if (*end || v <= 0)
                        return log_error(_("invalid incident id '%s' (expected a number from the list)"), argv[optind + (int) i]);
                ids[i] = v;
        }
        struct store_opts so = { .read_only = true };
        struct store *st = NULL;
        int r = store_open(arg_history.db_path, &so, &st);
        if (r < 0) {
                if (r == -ENOMSG)
                        log_error(_("%s: not a history database written by this version"), arg_history.db_path);
                else
                        log_error(_("%s: cannot open the history database: %s"), arg_history.db_path, store_errmsg(st));
                store_close(st);
                return EXIT_USAGE_OR_ERROR;
        }
        struct show_ctx ctx = {
                .store = st, .ids = ids, .n_ids = n_ids,
                .render = {
                        .out = stdout,
                        .pal = palette_get(color_enabled(arg_history.color, stdout)),
                        .verbose = arg_history.verbose,
                },
        };
        if (arg_history.html) {
                if (html_analyze_new(&ctx.html) < 0) {
                        store_close(st);
                        return log_error(_("out of memory"));
                }
                html_analyze_set_verb(ctx.html, "history");
        }
        if (!arg_history.json && !arg_history.html && n_ids == 0)
                printf("%6s  %-19s  %-8s  %-8s %-10s %-8s %s\n", _("ID"), _("RAISED"), _("STATE"), _("FS"), _("DEVICE"),
                       _("SEVERITY"), _("RULE"));
        r = store_each_incident(st, arg_history.since_usec, NULL, show_row, &ctx);
        if (r < 0) {
                log_error(_("%s: reading the history database failed: %s"), arg_history.db_path, store_errmsg(st));
                html_analyze_free(ctx.html);
                store_close(st);
                return EXIT_USAGE_OR_ERROR;
        }
        store_close(st);
        if (n_ids && ctx.shown < n_ids) {
                html_analyze_free(ctx.html);
                return log_error(_("no incident with that id in %s"), arg_history.db_path);
        }
        if (ctx.html) {
                r = html_analyze_write(ctx.html, stdout, NULL);
                html_analyze_free(ctx.html);
                if (r < 0)
                        return log_error(_("cannot write the HTML page: %s"), fsd_strerror(r));
        } else if (!arg_history.json && ctx.shown == 0)
                printf("%s\n", _("No incidents recorded."));
        if (fflush(stdout) != 0 || ferror(stdout))
                return log_error(_("write error on standard output: %s"), strerror(errno));
        return ctx.shown ? EXIT_FOUND : EXIT_NOTHING_FOUND;
}
