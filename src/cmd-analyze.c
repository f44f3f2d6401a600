/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsdoctor analyze: kernel logs in, reports and incidents out. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "basic/cleanup.h"
#include "basic/strbuf.h"
#include "basic/json-writer.h"
#include "fsdoctor.h"
#include "render.h"
#include "render-html.h"
#include "shared/i18n.h"
#include "shared/options.h"
#include "shared/term.h"
#include "shared/verbs.h"


static struct {
        enum output_format format;
        enum color_mode color;
        bool quiet, verbose, follow, use_journal;
        const char *journal_dir;
        const char *rules_dir;
        int year;
        size_t max_line;
        struct fsd_debuginfo *debuginfo; /* --debuginfo: owned by verb_analyze() */
        bool debuginfo_auto;     /* --debuginfo-auto */
        const char *source_dir;  /* --source */
        struct fsd_srctree *srctree; /* opened from source_dir by verb_analyze(), which owns it */
} arg_analyze;

struct analyze_run {
        struct render_ctx render;
        struct html_analyze *html; /* --format=html: collects the page */
        int error;               /* first output error */
        unsigned reports, incidents;
        unsigned unrecognised;   /* inputs in which no kernel message was recognised */
};

DEFINE_FREEP(struct fsd_kb, fsd_kb_free)
DEFINE_FREEP(struct html_analyze, html_analyze_free)
DEFINE_FREEP(struct fsd_debuginfo, fsd_debuginfo_free)
DEFINE_FREEP(struct fsd_report_lines, fsd_report_lines_free)
DEFINE_FREEP(struct fsd_srctree, fsd_srctree_free)
DEFINE_FREEP(struct fsd_source_view, fsd_source_view_free)

/* --source: the JSON object json (a report or an incident) with a "source" member appended.
 * @return 0, -ENOMEM. */
static int json_add_source(char **json, const struct fsd_source_view *v) {
        if (!v)
                return 0;
        _cleanup_free_ char *sj = NULL;
        int k = fsd_source_view_to_json(v, &sj);
        if (k < 0)
                return k;
        size_t n = strlen(*json);
        if (n < 2 || (*json)[n - 1] != '}')
                return -EINVAL;
        char *m = NULL;
        if (asprintf(&m, "%.*s%s\"source\":%s}", (int) (n - 1), *json, n > 2 ? "," : "", sj) < 0)
                return -ENOMEM;
        free(*json);
        *json = m;
        return 0;
}

static void analyze_help(void) {
        printf("%s", _("Usage: fsdoctor analyze [OPTIONS] [FILE...]\n"
                       "\n"
                       "Read kernel logs and report every kernel oops, WARNING, BUG and panic, and every\n"
                       "filesystem incident with its diagnosis. FILE may be dmesg output (-T, -H, -r, -x, -d,\n"
                       "--time-format=iso), syslog, journalctl output (short, iso, precise, monotonic, unix, json,\n"
                       "export), /dev/kmsg records, vmcore-dmesg.txt or a console capture, optionally\n"
                       "gzip/xz/zstd compressed; '-' is standard input. Without FILE, standard input is read\n"
                       "when it is not a terminal (as grep does), else the running kernel's log (/dev/kmsg).\n"
                       "\n"
                       "Options:\n"
                       "  -f, --follow          keep reading as the file grows (across rotation)\n"
                       "  -j, --journal[=DIR]   read the systemd journal (kernel messages) from DIR or the system journal\n"
                       "      --format=FMT      text (default), json (JSON Lines, schema in fsdoctor(1)) or html (one page)\n"
                       "      --color=WHEN      auto (default), always or never\n"
                       "      --lang=LANG       en or zh (default: from the locale)\n"
                       "      --rules=DIR       use the knowledge-base rules in DIR instead of the built-in ones\n"
                       "      --year=YEAR       year for logs whose timestamps print none\n"
                       "      --max-line=BYTES  longest log line kept (default 65536); longer ones are cut and counted\n"
                       "      --debuginfo=PATH  resolve frames to file:line and inlined calls with the DWARF of PATH:\n"
                       "                        vmlinux, a module's .ko/.ko.debug, or a directory of them (repeatable)\n"
                       "      --debuginfo-auto  without --debuginfo, look for the log's kernel release in the usual places:\n"
                       "                        /usr/lib/debug/lib/modules/RELEASE/ and /usr/lib/debug/boot/vmlinux-RELEASE\n"
                       "                        and /usr/lib/debug/.build-id/, then debuginfod when DEBUGINFOD_URLS is set\n"
                       "                        (done anyway, without debuginfod, when the log's kernel is the running one)\n"
                       "      --source=DIR      show the kernel source (tree DIR) around the lines reports and error\n"
                       "                        messages name, check it is the log's kernel, and find candidate paths\n"
                       "                        between trace frames (indexed with universal-ctags and cscope)\n"
                       "  -v, --verbose         also print module lists and code bytes\n"
                       "  -q, --quiet           no progress or summary on stderr\n"
                       "  -h, --help            show this help\n"
                       "\n"
                       "Exit status: 0 nothing found, 1 reports or incidents found, 2 error (including an\n"
                       "input in which no kernel message is recognised).\n"));
}

/* The usual debuginfo locations, one set per kernel release the log names (--debuginfo-auto, or
 * the running kernel's own release without --debuginfo). */
#define AUTO_RELEASES_MAX 8
static struct auto_debuginfo {
        char release[128];
        struct fsd_debuginfo *di; /* NULL: nothing found there, or it belongs to another build */
} auto_di[AUTO_RELEASES_MAX];
static size_t n_auto_di;

static void auto_debuginfo_done(bool *unused) {
        (void) unused;
        for (size_t i = 0; i < n_auto_di; i++)
                auto_di[i].di = fsd_debuginfo_free(auto_di[i].di);
        n_auto_di = 0;
}

static bool is_running_release(const char *release) {
        static struct utsname u;
        static int have = -1;
        if (have < 0)
                have = uname(&u) == 0;
        return have && strcmp(u.release, release) == 0;
}

static struct auto_debuginfo *auto_debuginfo_for(const char *release) {
        for (size_t i = 0; i < n_auto_di; i++)
                if (strcmp(auto_di[i].release, release) == 0)
                        return &auto_di[i];
        if (n_auto_di == AUTO_RELEASES_MAX || strlen(release) >= sizeof auto_di[0].release)
                return NULL;
        struct auto_debuginfo *a = &auto_di[n_auto_di++];
        snprintf(a->release, sizeof a->release, "%s", release);
        _cleanup_free_ char *detail = NULL;
        int k = fsd_debuginfo_new(&a->di);
        /* network lookups only when asked for, never for the running kernel's log by default */
        if (k >= 0 && arg_analyze.debuginfo_auto)
                k = fsd_debuginfo_use_debuginfod(a->di);
        if (k >= 0)
                k = fsd_debuginfo_add_release(a->di, getenv("FSDOCTOR_DEBUG_ROOT"), release, &detail);
        if (k < 0) {
                a->di = fsd_debuginfo_free(a->di);
                /* asked for: say why nothing is resolved; implied: stay quiet, as without it */
                if (arg_analyze.debuginfo_auto && !arg_analyze.quiet)
                        log_warning(_("--debuginfo-auto: %s"), detail ? detail : fsd_strerror(k));
        }
        return a;
}

/* The report's frames resolved with --debuginfo's files, or with the usual locations of its
 * kernel release. Files the user named that belong to another build refuse the run; files found
 * in the usual locations that do are set aside with a warning (a debug package of another build
 * of the same release). @return 0 (*ret NULL when nothing resolved it) or -ECANCELED. */
static int report_symbolize(const struct fsd_report *r, struct fsd_report_lines **ret) {
        *ret = NULL;
        _cleanup_free_ char *detail = NULL;
        if (arg_analyze.debuginfo) {
                /* debuginfo of another kernel would give confident wrong lines: refuse the run */
                int k = fsd_debuginfo_symbolize(arg_analyze.debuginfo, r, ret, &detail);
                if (k < 0) {
                        log_error(_("--debuginfo: %s"), detail ? detail : fsd_strerror(k));
                        return -ECANCELED;
                }
                return 0;
        }
        if (!r->kernel || !(arg_analyze.debuginfo_auto || is_running_release(r->kernel)))
                return 0;
        struct auto_debuginfo *a = auto_debuginfo_for(r->kernel);
        if (!a || !a->di)
                return 0;
        int k = fsd_debuginfo_symbolize(a->di, r, ret, &detail);
        if (k < 0) {
                log_warning(_("debuginfo of kernel %s not used: %s"), a->release, detail ? detail : fsd_strerror(k));
                a->di = fsd_debuginfo_free(a->di);
        }
        return 0;
}

static int on_report(const struct fsd_report *r, void *userdata) {
        struct analyze_run *run = userdata;
        run->reports++;
        _cleanup_(fsd_report_lines_freep) struct fsd_report_lines *lines = NULL;
        int k = report_symbolize(r, &lines);
        if (k < 0)
                return k;
        run->render.lines = lines;
        _cleanup_(fsd_source_view_freep) struct fsd_source_view *source = NULL;
        if (arg_analyze.srctree) {
                k = fsd_srctree_view_report(arg_analyze.srctree, r, lines, &source);
                if (k < 0)
                        return k;
        }
        run->render.source = source;
        if (arg_analyze.format == OUTPUT_JSON) {
                _cleanup_free_ char *json = NULL;
                k = fsd_report_to_json_with_lines(r, lines, &json);
                if (k >= 0)
                        k = json_add_source(&json, source);
                if (k < 0)
                        return k;
                fputs(json, stdout);
                fputc('\n', stdout);
        } else if (arg_analyze.format == OUTPUT_HTML) {
                k = html_analyze_add_report(run->html, r, lines);
                if (k >= 0 && source)
                        k = html_analyze_add_report_html(run->html, render_source_html(source));
                return k;
        }
        else
                render_report_text(&run->render, r);
        run->render.lines = NULL;
        run->render.source = NULL;
        return 0;
}

/* Every report of an incident looked up in --debuginfo, and in --source: the code path borrows
 * their strings. */
struct incident_lines {
        struct fsd_report_lines **v;
        size_t n;
        struct fsd_source_view **views; /* --source: one per report, n of them */
        struct fsd_path_candidate *cand;
        size_t n_cand;
};

static void incident_lines_done(struct incident_lines *l) {
        for (size_t i = 0; l->v && i < l->n; i++)
                fsd_report_lines_free(l->v[i]);
        free(l->v);
        for (size_t i = 0; l->views && i < l->n; i++)
                fsd_source_view_free(l->views[i]);
        free(l->views);
        free(l->cand);
}

/* --source: a view's candidate paths as code-path candidates, one alternative per path between
 * the same two frames, its hidden steps in call order (a direct call hides nothing). */
static int add_source_candidates(struct incident_lines *l, const struct fsd_source_view *v) {
        for (size_t i = 0; i < v->n_candidates; i++) {
                const struct fsd_src_candidates *c = &v->candidates[i];
                unsigned alternative = 0;
                for (size_t p = 0; p < c->n_paths; p++) {
                        const struct fsd_src_path *path = &c->paths[p];
                        if (path->n_steps <= 2)
                                continue;
                        alternative++;
                        for (size_t j = 1; j + 1 < path->n_steps; j++) {
                                struct fsd_path_candidate *m = realloc(l->cand, (l->n_cand + 1) * sizeof *m);
                                if (!m)
                                        return -ENOMEM;
                                l->cand = m;
                                m[l->n_cand++] = (struct fsd_path_candidate) {
                                        .caller = c->caller, .callee = c->callee,
                                        .function = path->steps[j].function, .file = path->steps[j].file,
                                        .line = path->steps[j].call_line, .alternative = alternative,
                                };
                        }
                }
        }
        return 0;
}

/* With --debuginfo, the incident's code path follows the trace with every inlined call (each
 * report was checked against the debuginfo when it was printed); with --source, the candidate
 * paths fill the gaps between frames the debuginfo did not resolve. */
static int incident_path(const struct fsd_incident *inc, struct incident_lines *l, struct fsd_code_path **ret) {
        *ret = NULL;
        if (!inc->diagnosis || !inc->n_reports)
                return 0;
        l->v = calloc(inc->n_reports, sizeof *l->v);
        if (!l->v)
                return -ENOMEM;
        l->n = inc->n_reports;
        for (size_t i = 0; i < inc->n_reports; i++) {
                int k = inc->reports[i] ? report_symbolize(inc->reports[i], &l->v[i]) : 0;
                if (k < 0)
                        return k;
        }
        if (arg_analyze.srctree) {
                l->views = calloc(inc->n_reports, sizeof *l->views);
                if (!l->views)
                        return -ENOMEM;
                for (size_t i = 0; i < inc->n_reports; i++) {
                        int k = inc->reports[i] ? fsd_srctree_view_report(arg_analyze.srctree, inc->reports[i], l->v[i],
                                                                          &l->views[i])
                                                : 0;
                        if (k >= 0 && l->views[i])
                                k = add_source_candidates(l, l->views[i]);
                        if (k < 0)
                                return k;
                }
        }
        FSD_OPTS(fsd_code_path_opts, o, .lines = (const struct fsd_report_lines *const *) l->v, .n_lines = l->n,
                 .candidates = l->cand, .n_candidates = l->n_cand);
        return fsd_code_path_build(inc, &o, ret);
}

static int on_incident(const struct fsd_incident *inc, void *userdata) {
        struct analyze_run *run = userdata;
        run->incidents++;
        _cleanup_(fsd_source_view_freep) struct fsd_source_view *source = NULL;
        if (arg_analyze.srctree) {
                int k = fsd_srctree_view_incident(arg_analyze.srctree, inc, &source);
                if (k < 0)
                        return k;
        }
        _cleanup_(incident_lines_done) struct incident_lines lines = {};
        _cleanup_(fsd_code_path_freep) struct fsd_code_path *path = NULL;
        int k = incident_path(inc, &lines, &path);
        if (k < 0)
                return k;
        if (arg_analyze.format == OUTPUT_JSON) {
                _cleanup_free_ char *json = NULL;
                k = fsd_incident_to_json_with_path(inc, path, &json);
                if (k >= 0)
                        k = json_add_source(&json, source);
                if (k < 0)
                        return k;
                fputs(json, stdout);
                fputc('\n', stdout);
        } else if (arg_analyze.format == OUTPUT_HTML) {
                struct html_incident_extra extra = { .path = path };
                return html_analyze_add_incident_extra(run->html, inc, &extra);
        } else {
                run->render.source = source;
                run->render.path = path;
                render_incident_text(&run->render, inc);
                run->render.source = NULL;
                run->render.path = NULL;
        }
        return 0;
}

static int parse_args(int argc, char **argv) {
        enum { OPT_FORMAT = 0x100, OPT_COLOR, OPT_LANG, OPT_RULES, OPT_YEAR, OPT_MAX_LINE, OPT_DEBUGINFO, OPT_SOURCE,
               OPT_DEBUGINFO_AUTO };
        static const struct option options[] = {
                { "follow", no_argument, NULL, 'f' },
                { "journal", optional_argument, NULL, 'j' },
                { "format", required_argument, NULL, OPT_FORMAT },
                { "color", required_argument, NULL, OPT_COLOR },
                { "colour", required_argument, NULL, OPT_COLOR },
                { "lang", required_argument, NULL, OPT_LANG },
                { "rules", required_argument, NULL, OPT_RULES },
                { "year", required_argument, NULL, OPT_YEAR },
                { "max-line", required_argument, NULL, OPT_MAX_LINE },
                { "debuginfo", required_argument, NULL, OPT_DEBUGINFO },
                { "debuginfo-auto", no_argument, NULL, OPT_DEBUGINFO_AUTO },
                { "source", required_argument, NULL, OPT_SOURCE },
                { "verbose", no_argument, NULL, 'v' },
                { "quiet", no_argument, NULL, 'q' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        memset(&arg_analyze, 0, sizeof arg_analyze);
        optind = 0;
        int c;
        while ((c = getopt_long(argc, argv, "fj::vqh", options, NULL)) >= 0) {
                switch (c) {
                case 'f': arg_analyze.follow = true; break;
                case 'j':
                        arg_analyze.use_journal = true;
                        arg_analyze.journal_dir = optarg;
                        break;
                case OPT_FORMAT:
                        if (parse_format_arg(optarg, FORMATS_WITH_HTML, &arg_analyze.format) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        break;
                case OPT_COLOR:
                        if (parse_color_arg(optarg, &arg_analyze.color) > 0)
                                return EXIT_USAGE_OR_ERROR;
                        break;
                case OPT_LANG: break; /* handled in main() */
                case OPT_RULES: arg_analyze.rules_dir = optarg; break;
                case OPT_YEAR: {
                        char *end;
                        long y = strtol(optarg, &end, 10);
                        if (*end || y < 1970 || y > 9999)
                                return log_error(_("invalid --year '%s' (expected 1970..9999)"), optarg);
                        arg_analyze.year = (int) y;
                        break;
                }
                case OPT_MAX_LINE: {
                        char *end;
                        unsigned long long v = strtoull(optarg, &end, 10);
                        if (*end || v < 256 || v > (64u << 20))
                                return log_error(_("invalid --max-line '%s' (expected 256..67108864)"), optarg);
                        arg_analyze.max_line = (size_t) v;
                        break;
                }
                case OPT_DEBUGINFO_AUTO: arg_analyze.debuginfo_auto = true; break;
                case OPT_DEBUGINFO: {
                        _cleanup_free_ char *detail = NULL;
                        int k = arg_analyze.debuginfo ? 0 : fsd_debuginfo_new(&arg_analyze.debuginfo);
                        if (k >= 0)
                                k = fsd_debuginfo_add(arg_analyze.debuginfo, optarg, &detail);
                        if (k < 0)
                                return log_error(_("--debuginfo: %s"), detail ? detail : fsd_strerror(k));
                        break;
                }
                case OPT_SOURCE: arg_analyze.source_dir = optarg; break;
                case 'v': arg_analyze.verbose = true; break;
                case 'q': arg_analyze.quiet = true; break;
                case 'h': analyze_help(); return -1;
                default: return EXIT_USAGE_OR_ERROR;
                }
        }
        return 0;
}

static void on_progress(uint64_t done, uint64_t total, void *userdata) {
        progress_update(userdata, done, total);
}

static int feed_source(struct fsd_analyzer *a, struct fsd_source *src, const char *name, bool threaded) {
        struct progress prog;
        progress_init(&prog, name, arg_analyze.quiet || arg_analyze.follow);
        uint64_t line = 0;
        /* the library reads in a second thread when asked: see fsd_analyzer_feed_source() */
        FSD_OPTS(fsd_feed_opts, fopts, .threaded = threaded, .on_progress = on_progress, .userdata = &prog);
        int r = fsd_analyzer_feed_source(a, src, &fopts, &line);
        progress_done(&prog);
        if (r == -ECANCELED)
                return EXIT_USAGE_OR_ERROR; /* a callback refused and said why */
        if (r < 0)
                return log_error(_("%s: read failed after line %" PRIu64 ": %s"), name, line, fsd_strerror(r));
        return 0;
}

/* The first line of an unrecognised input, for the error message: at most 60 bytes, control and
 * non-ASCII bytes escaped, so that binary or hostile input prints as one harmless line. */
static void escape_first_line(const char *p, size_t n, char *buf, size_t size) {
        size_t o = 0;
        bool cut = n > 60;
        n = MIN(n, (size_t) 60);
        for (size_t i = 0; i < n && o + 8 < size; i++) {
                unsigned char ch = (unsigned char) p[i];
                if (ch == '\\' || ch == '"')
                        o += (size_t) snprintf(buf + o, size - o, "\\%c", ch);
                else if (ch >= 0x20 && ch < 0x7f)
                        buf[o++] = (char) ch;
                else if (ch == '\t')
                        o += (size_t) snprintf(buf + o, size - o, "\\t");
                else
                        o += (size_t) snprintf(buf + o, size - o, "\\x%02x", ch);
        }
        if (cut && o + 4 < size) {
                memcpy(buf + o, "...", 3);
                o += 3;
        }
        buf[o] = 0;
}

/* A readable log with no incident is "nothing found"; an input in which no line is a kernel
 * message is an error: the user gave us the wrong file, and "nothing found" would be a wrong
 * answer. Recognised: a line with a kernel log prefix (dmesg, syslog "kernel:", journal, kmsg),
 * or prefix-less text in which a kernel report or event was found (console captures, pastes).
 * @return 0 when the input was recognised, else an error printed (EXIT_USAGE_OR_ERROR). */
static int check_recognised(struct fsd_source *src, const char *name, const struct fsd_source_stats *st,
                            uint64_t found) {
        /* a console capture without a report or an event (dmesg --notime of a healthy boot) is
         * still a kernel log when three lines in four are shaped like kernel messages (a mail's
         * "Subject:" and "From:" lines in prose are not enough) */
        if (st->records > st->unprefixed || found > 0 || (st->kernel_like > 0 && st->kernel_like * 4 >= st->unprefixed * 3))
                return 0;
        if (st->lines == 0) {
                if (strcmp(name, "-") != 0)
                        return 0; /* an empty file (just rotated, say) holds nothing: not an error */
                return log_error(_("standard input is empty (to read the running kernel's log, run fsdoctor "
                                   "analyze from a terminal or give /dev/kmsg as FILE)"));
        }
        if (st->binary * 2 >= st->lines)
                return log_error(_("%s: binary data, not a kernel log (%" PRIu64 " of %" PRIu64 " lines are binary)"),
                                 name, st->binary, st->lines);
        const char *first = NULL;
        size_t n = fsd_source_first_line(src, &first);
        char shown[300];
        escape_first_line(first ? first : "", n, shown, sizeof shown);
        return log_error(_("%s: no kernel log recognised in %" PRIu64 " lines (expected dmesg, syslog or "
                           "journalctl lines with \"kernel:\", /dev/kmsg records or a console capture with a "
                           "kernel report); the first line is \"%s\""),
                         name, st->lines, shown);
}

static void summary_add(struct fsd_source_stats *sum, const struct fsd_source_stats *s) {
        sum->bytes += s->bytes;
        sum->lines += s->lines;
        sum->records += s->records;
        sum->not_kernel += s->not_kernel;
        sum->binary += s->binary;
        sum->truncated += s->truncated;
        sum->sanitized += s->sanitized;
        sum->malformed += s->malformed;
        sum->lost += s->lost;
        sum->unprefixed += s->unprefixed;
        sum->kernel_like += s->kernel_like;
        sum->joined += s->joined;
}

static void print_summary(const struct analyze_run *run, const struct fsd_source_stats *st,
                          const struct fsd_analyzer_stats *as) {
        if (arg_analyze.format == OUTPUT_JSON) {
                struct strbuf b = STRBUF_INIT;
                struct json_writer w;
                json_writer_init(&w, &b);
                json_object_begin(&w);
                json_kv_string(&w, "type", "summary");
                json_kv_int(&w, "version", 1);
                json_kv_uint(&w, "lines", st->lines);
                json_kv_uint(&w, "records", st->records);
                json_kv_uint(&w, "reports", run->reports);
                json_kv_uint(&w, "incidents", run->incidents);
                json_kv_uint(&w, "events", as->events);
                json_key(&w, "skipped");
                json_object_begin(&w);
                json_kv_uint(&w, "not_kernel", st->not_kernel);
                json_kv_uint(&w, "binary", st->binary);
                json_kv_uint(&w, "malformed", st->malformed);
                json_object_end(&w);
                json_kv_uint(&w, "truncated", st->truncated);
                json_kv_uint(&w, "sanitized", st->sanitized);
                json_kv_uint(&w, "lost_by_kernel", st->lost);
                json_kv_uint(&w, "suppressed_by_kernel", as->suppressed);
                if (run->unrecognised)
                        json_kv_uint(&w, "unrecognised_inputs", run->unrecognised);
                json_object_end(&w);
                if (!strbuf_failed(&b))
                        printf("%s\n", strbuf_str(&b));
                strbuf_done(&b);
                return;
        }
        if (run->reports == 0 && run->incidents == 0 && run->unrecognised == 0 && arg_analyze.format != OUTPUT_HTML)
                printf("%s\n", _("No kernel reports or filesystem incidents found."));
        if (arg_analyze.quiet)
                return;
        fprintf(stderr, _("fsdoctor: %" PRIu64 " lines, %" PRIu64 " kernel messages, %u reports, %u incidents"),
                st->lines, st->records, run->reports, run->incidents);
        if (st->binary || st->malformed || st->truncated || st->sanitized)
                fprintf(stderr, _("; skipped %" PRIu64 " binary and %" PRIu64 " malformed lines, cut %" PRIu64
                                  " long lines, sanitized %" PRIu64),
                        st->binary, st->malformed, st->truncated, st->sanitized);
        if (st->lost)
                fprintf(stderr, _("; %" PRIu64 " kernel messages were overwritten before they could be read"), st->lost);
        if (st->joined)
                fprintf(stderr, _("; joined %" PRIu64 " lines wrapped by a mail client or tracker"), st->joined);
        fputc('\n', stderr);
}

/* FSDOCTOR_REFERENCE_TIME=SECONDS (since the epoch): when the logs were complete, in place of
 * each file's modification time; year-less syslog stamps get the latest year not after it. For
 * copies whose mtime was lost, and for reproducible tests. @return 0, or an error printed. */
static int reference_time(int64_t *ret_usec) {
        *ret_usec = 0;
        const char *e = getenv("FSDOCTOR_REFERENCE_TIME");
        if (!e || !*e)
                return 0;
        char *end;
        errno = 0;
        long long v = strtoll(e, &end, 10);
        if (errno || *end || v <= 0 || v > INT64_MAX / 1000000)
                return log_error(_("invalid FSDOCTOR_REFERENCE_TIME '%s' (expected seconds since 1970)"), e);
        *ret_usec = (int64_t) v * 1000000;
        return 0;
}

int verb_analyze(int argc, char **argv) {
        int r = parse_args(argc, argv);
        _cleanup_(fsd_debuginfo_freep) _unused_ struct fsd_debuginfo *debuginfo = arg_analyze.debuginfo;
        _cleanup_(auto_debuginfo_done) _unused_ bool auto_sets = false;
        if (r < 0)
                return 0; /* --help */
        if (r > 0)
                return r;
        _cleanup_(fsd_srctree_freep) struct fsd_srctree *srctree = NULL;
        if (arg_analyze.source_dir) {
                _cleanup_free_ char *detail = NULL;
                r = fsd_srctree_open(arg_analyze.source_dir, NULL, &srctree, &detail);
                if (r < 0)
                        return log_error(_("--source: %s"), detail ? detail : fsd_strerror(r));
                arg_analyze.srctree = srctree;
        }

        struct analyze_run run = {
                .render = {
                        .out = stdout,
                        .pal = palette_get(color_enabled(arg_analyze.color, stdout)),
                        .verbose = arg_analyze.verbose,
                },
        };
        _cleanup_(html_analyze_freep) struct html_analyze *html = NULL;
        if (arg_analyze.format == OUTPUT_HTML) {
                if (arg_analyze.follow)
                        return log_error("%s", _("--format=html writes one page when the input ends: it cannot be combined with --follow"));
                if (html_analyze_new(&html) < 0)
                        return log_error(_("cannot set up the analyzer: %s"), fsd_strerror(-ENOMEM));
                run.html = html;
        }
        _cleanup_(fsd_kb_freep) struct fsd_kb *rules = NULL;
        if (arg_analyze.rules_dir) {
                _cleanup_free_ char *detail = NULL;
                r = fsd_kb_load_dir(arg_analyze.rules_dir, &rules, &detail);
                if (r < 0)
                        return log_error(_("%s: cannot load rules: %s"), arg_analyze.rules_dir,
                                         detail ? detail : fsd_strerror(r));
        }
        FSD_OPTS(fsd_analyzer_opts, aopts, .on_report = on_report, .on_incident = on_incident, .userdata = &run,
                 .kb = rules);
        struct fsd_analyzer *a = NULL;
        r = fsd_analyzer_new(&aopts, &a);
        if (r < 0)
                return log_error(_("cannot set up the analyzer: %s"), fsd_strerror(r));

        int64_t reference_usec;
        r = reference_time(&reference_usec);
        if (r != 0) {
                fsd_analyzer_free(a);
                return r;
        }
        FSD_OPTS(fsd_source_opts, sopts, .follow = arg_analyze.follow, .year = arg_analyze.year,
                 .max_line = arg_analyze.max_line, .reference_usec = reference_usec);
        struct fsd_source_stats sum = {};
        int status = 0;
        char **files = argv + optind;
        int n_files = argc - optind;
        /* like grep: no FILE reads standard input, unless that is a terminal (nobody types a
         * kernel log), where the running kernel's log is what the user means */
        static char *stdin_only[] = { (char *) "-" };
        if (n_files == 0 && !arg_analyze.use_journal && !isatty(STDIN_FILENO)) {
                files = stdin_only;
                n_files = 1;
        }
        int n_inputs = arg_analyze.use_journal ? 1 : (n_files ? n_files : 1);
        struct pending_check {
                struct fsd_source *src;
                const char *name;
                struct fsd_source_stats st;
                uint64_t events_before;
                unsigned reports_before;
        } last = {};
        for (int i = 0; i < n_inputs && status == 0; i++) {
                struct fsd_source *src = NULL;
                const char *name;
                if (arg_analyze.use_journal) {
                        name = arg_analyze.journal_dir ? arg_analyze.journal_dir : "journal";
                        r = fsd_source_open_journal(arg_analyze.journal_dir, &sopts, &src);
                } else if (n_files && strcmp(files[i], "/dev/kmsg") != 0) {
                        name = files[i];
                        r = fsd_source_open_file(name, &sopts, &src);
                } else {
                        name = "/dev/kmsg";
                        r = fsd_source_open_kmsg(&sopts, &src);
                }
                if (r < 0) {
                        status = log_error(_("%s: cannot open: %s"), name, fsd_strerror(r));
                        break;
                }
                /* regular files only: a pipe may be a live log, whose lines must not wait for a
                 * batch to fill */
                struct stat input_st;
                bool threaded = n_files && !arg_analyze.use_journal && !arg_analyze.follow &&
                                strcmp(name, "-") != 0 && stat(name, &input_st) >= 0 && S_ISREG(input_st.st_mode) &&
                                (arg_analyze.max_line == 0 || arg_analyze.max_line <= FSD_FEED_THREAD_MAX_LINE);
                struct fsd_analyzer_stats before;
                fsd_analyzer_get_stats(a, &before);
                unsigned reports_before = run.reports;
                status = feed_source(a, src, name, threaded);
                struct fsd_source_stats st;
                fsd_source_get_stats(src, &st);
                summary_add(&sum, &st);
                /* journal and /dev/kmsg records are the kernel's by construction; the last input
                 * is checked after the analyzer's end, which may still complete a report */
                bool check = status == 0 && !arg_analyze.use_journal && strcmp(name, "/dev/kmsg") != 0;
                if (check && i == n_inputs - 1) {
                        last = (struct pending_check) { src, name, st, before.events, reports_before };
                        continue;
                }
                struct fsd_analyzer_stats after;
                fsd_analyzer_get_stats(a, &after);
                if (check && check_recognised(src, name, &st, (after.events - before.events) +
                                                              (run.reports - reports_before)) != 0)
                        run.unrecognised++;
                fsd_source_free(src);
        }
        if (status == 0) {
                r = fsd_analyzer_finish(a);
                if (r == -ECANCELED)
                        status = EXIT_USAGE_OR_ERROR;
                else if (r < 0)
                        status = log_error(_("analysis failed: %s"), fsd_strerror(r));
        }
        if (last.src) {
                struct fsd_analyzer_stats after;
                fsd_analyzer_get_stats(a, &after);
                if (status == 0 && check_recognised(last.src, last.name, &last.st, (after.events - last.events_before) +
                                                                             (run.reports - last.reports_before)) != 0)
                        run.unrecognised++;
                fsd_source_free(last.src);
        }
        struct fsd_analyzer_stats as;
        fsd_analyzer_get_stats(a, &as);
        fsd_analyzer_free(a);
        if (status)
                return status;
        print_summary(&run, &sum, &as);
        if (html) {
                struct html_analyze_summary hs = {
                        .lines = sum.lines, .records = sum.records, .not_kernel = sum.not_kernel,
                        .binary = sum.binary, .malformed = sum.malformed, .truncated = sum.truncated,
                        .sanitized = sum.sanitized, .lost = sum.lost, .suppressed = as.suppressed,
                };
                r = html_analyze_write(html, stdout, &hs);
                if (r < 0)
                        return log_error(_("cannot write the HTML page: %s"), fsd_strerror(r));
        }
        if (fflush(stdout) != 0 || ferror(stdout))
                return log_error(_("write error on standard output: %s"), strerror(errno));
        if (run.unrecognised)
                return EXIT_USAGE_OR_ERROR;
        return run.reports || run.incidents ? EXIT_FOUND : EXIT_NOTHING_FOUND;
}
