/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The incident's code path: the call trace (with debuginfo's inline chains and a source index's
 * candidates) merged with the rule's hand-written path. What the computed path shows wins over
 * the rule's text; where they disagree the disagreement is kept, in both languages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "basic/array.h"
#include "basic/cleanup.h"
#include "basic/json-writer.h"
#include "basic/strbuf.h"
#include "kb-internal.h"
#include "kb.h"

/* a trace longer than this is cut: the path is read by a person */
#define PATH_MAX_COMPUTED 512

const char *fsd_path_source_name(enum fsd_path_source s) {
        switch (s) {
        case FSD_PATH_FROM_TRACE: return "trace";
        case FSD_PATH_FROM_INLINE_DEBUGINFO: return "inline-debuginfo";
        case FSD_PATH_FROM_SOURCE_CANDIDATE: return "source-candidate";
        case FSD_PATH_FROM_RULE: return "rule";
        default: return "unknown";
        }
}

/* The public path and what it owns. */
struct path_box {
        struct fsd_code_path p;
        struct fsd_path_step *steps;
        size_t cap_steps;
        struct fsd_path_disagreement *dis;
        size_t cap_dis;
        char *rip_function;      /* the RIP's function without offset and compiler suffix */
};

/* One entry of the computed path; entries of one frame (its function, then what is inlined at
 * its address) share group. */
struct computed {
        struct fsd_path_step step;
        size_t group;
        bool resolved;           /* the group's frame was looked up in debuginfo */
        const char *debuginfo;
};

struct computed_list {
        struct computed *v;
        size_t n, cap;
};

struct fsd_code_path *fsd_code_path_free(struct fsd_code_path *p) {
        if (!p)
                return NULL;
        struct path_box *box = (struct path_box *) p;
        for (size_t i = 0; i < p->n_disagreements; i++) {
                free((char *) box->dis[i].computed);
                free((char *) box->dis[i].text.en);
                free((char *) box->dis[i].text.zh);
        }
        free(box->dis);
        free(box->steps);
        free(box->rip_function);
        free(box);
        return NULL;
}

static int step_push(struct path_box *box, const struct fsd_path_step *s) {
        if (box->p.n_steps == box->cap_steps) {
                size_t cap = box->cap_steps ? box->cap_steps * 2 : 16;
                struct fsd_path_step *v = realloc(box->steps, cap * sizeof *v);
                if (!v)
                        return -ENOMEM;
                box->steps = v;
                box->cap_steps = cap;
                box->p.steps = v;
        }
        box->steps[box->p.n_steps++] = *s;
        return 0;
}

static int computed_push(struct computed_list *l, const struct computed *c) {
        if (l->n >= PATH_MAX_COMPUTED)
                return 0;
        if (ARRAY_RESERVE_ONE(l->v, l->cap, l->n, 32) < 0)
                return -ENOMEM;
        l->v[l->n++] = *c;
        return 0;
}

static bool same_function(const char *a, const char *b) {
        return a && b && strcmp(a, b) == 0;
}

static bool rule_names(const struct fsd_diagnosis *d, const char *fn) {
        for (size_t i = 0; i < d->n_code_path; i++)
                if (same_function(d->code_path[i].function, fn))
                        return true;
        return false;
}

/* "__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]" -> "__btrfs_free_extent" */
static char *rip_function(const char *rip) {
        if (!rip)
                return NULL;
        size_t n = strcspn(rip, "+. ");
        if (n == 0 || rip[n] == 0 || n > 256)
                return NULL;
        return strndup(rip, n);
}

/* How many of the rule's functions the report's trace (frames of trace section 0 and the RIP)
 * names: the report the path follows is the one naming most. */
static size_t report_anchors(const struct fsd_diagnosis *d, const struct fsd_report *r, const char *rip_fn) {
        size_t n = 0;
        for (size_t i = 0; i < r->n_frames; i++)
                if (r->frames[i].trace == 0 && !r->frames[i].unreliable && rule_names(d, r->frames[i].func))
                        n++;
        if (rip_fn && rule_names(d, rip_fn))
                n++;
        return n;
}

/* Adds one frame: its function (file:line from debuginfo when resolved), then the calls inlined
 * at its address, outermost first. */
static int add_frame(struct computed_list *l, size_t group, const char *function, const struct fsd_frame_lines *fl,
                     enum fsd_path_visibility visibility, uint64_t log_line) {
        bool resolved = fl && fl->n_lines;
        struct computed c = {
                .step = { .function = function, .source = FSD_PATH_FROM_TRACE, .visibility = visibility,
                          .in_trace = true, .log_line = log_line },
                .group = group, .resolved = resolved, .debuginfo = resolved ? fl->debuginfo : NULL,
        };
        if (resolved) {
                c.step.file = fl->lines[fl->n_lines - 1].file;
                c.step.line = fl->lines[fl->n_lines - 1].line;
        }
        int r = computed_push(l, &c);
        if (r < 0 || !resolved)
                return r;
        for (size_t k = fl->n_lines - 1; k-- > 0;) {
                const struct fsd_source_line *sl = &fl->lines[k];
                struct computed in = c;
                in.step = (struct fsd_path_step) {
                        .function = sl->function, .file = sl->file, .line = sl->line,
                        .source = FSD_PATH_FROM_INLINE_DEBUGINFO, .visibility = FSD_PATH_INLINED,
                        .log_line = log_line,
                };
                r = computed_push(l, &in);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int add_candidates(struct computed_list *l, size_t group, const char *caller, const char *callee,
                          const struct fsd_code_path_opts *o) {
        for (size_t i = 0; i < o->n_candidates; i++) {
                const struct fsd_path_candidate *pc = &o->candidates[i];
                if (!pc->function || !same_function(pc->caller, caller) ||
                    (pc->callee && !same_function(pc->callee, callee)))
                        continue;
                struct computed c = {
                        .step = { .function = pc->function, .file = pc->file, .line = pc->line > 0 ? pc->line : 0,
                                  .source = FSD_PATH_FROM_SOURCE_CANDIDATE, .visibility = FSD_PATH_INLINED,
                                  .alternative = pc->alternative },
                        .group = group,
                };
                int r = computed_push(l, &c);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The report's trace, outermost caller first, then the RIP's function when the trace does not
 * start with it (x86 prints the trapping function only as RIP). */
static int computed_from_report(struct computed_list *l, const struct fsd_report *r, const struct fsd_report_lines *rl,
                                const char *rip_fn, const struct fsd_code_path_opts *o) {
        size_t n = 0;
        size_t idx[PATH_MAX_COMPUTED];
        for (size_t i = r->n_frames; i-- > 0 && n < PATH_MAX_COMPUTED;) {
                const struct fsd_frame *f = &r->frames[i];
                if (f->trace == 0 && !f->unreliable && f->func)
                        idx[n++] = i;
        }
        /* frames[idx[n-1]] is the innermost printed frame */
        bool rip_is_frame = n && rip_fn && same_function(r->frames[idx[n - 1]].func, rip_fn);
        for (size_t k = 0; k < n; k++) {
                const struct fsd_frame *f = &r->frames[idx[k]];
                const struct fsd_frame_lines *fl = rl && idx[k] < rl->n_frames ? rl->frames[idx[k]] : NULL;
                int e = add_frame(l, k, f->func, fl, f->inlined ? FSD_PATH_INLINED : FSD_PATH_SHOWN,
                                  f->line ? f->line : r->first_line);
                if (e < 0)
                        return e;
                const char *callee = k + 1 < n ? r->frames[idx[k + 1]].func : (!rip_is_frame ? rip_fn : NULL);
                if (!(fl && fl->n_lines) && callee) {
                        e = add_candidates(l, k, f->func, callee, o);
                        if (e < 0)
                                return e;
                }
        }
        if (rip_fn && !rip_is_frame)
                return add_frame(l, n, rip_fn, rl ? rl->rip : NULL, FSD_PATH_SHOWN, r->first_line);
        return 0;
}

static int disagreement_add(struct path_box *box, const struct fsd_code_step *rs, const char *after,
                            const struct computed *from, size_t n_from, const char *debuginfo) {
        if (box->p.n_disagreements == box->cap_dis) {
                size_t cap = box->cap_dis ? box->cap_dis * 2 : 4;
                struct fsd_path_disagreement *v = realloc(box->dis, cap * sizeof *v);
                if (!v)
                        return -ENOMEM;
                box->dis = v;
                box->cap_dis = cap;
                box->p.disagreements = v;
        }
        struct strbuf chain = STRBUF_INIT;
        for (size_t i = 0; i < n_from; i++)
                strbuf_printf(&chain, "%s%s", i ? " -> " : "", from[i].step.function);
        const char *base = debuginfo ? strrchr(debuginfo, '/') : NULL;
        base = base ? base + 1 : debuginfo;
        char *en = NULL, *zh = NULL;
        int k1 = asprintf(&en, "the rule's path has %s after %s, but the debuginfo (%s) shows %s there: the computed "
                          "path is shown", rs->function, after, base ? base : "?", strbuf_str(&chain));
        int k2 = asprintf(&zh, "规则的路径在 %s 之后有 %s，但调试信息（%s）显示此处为 %s：以计算出的路径为准", after,
                          rs->function, base ? base : "?", strbuf_str(&chain));
        char *computed = strbuf_steal(&chain);
        if (k1 < 0 || k2 < 0 || !computed) {
                if (k1 >= 0)
                        free(en);
                if (k2 >= 0)
                        free(zh);
                free(computed);
                return -ENOMEM;
        }
        box->dis[box->p.n_disagreements++] = (struct fsd_path_disagreement) {
                .rule_function = rs->function, .after = after, .computed = computed, .debuginfo = debuginfo,
                .text = { .en = en, .zh = zh },
        };
        return 0;
}

static struct fsd_path_step rule_step(const struct fsd_code_step *rs) {
        return (struct fsd_path_step) {
                .function = rs->function, .file = rs->file, .visibility = rs->visibility,
                .source = rs->in_trace ? FSD_PATH_FROM_TRACE : FSD_PATH_FROM_RULE,
                .in_trace = rs->in_trace, .in_rule = true, .note = rs->note,
        };
}

/* The merge: the rule's steps in order, each matched to the computed path by function name. */
static int merge(struct path_box *box, const struct fsd_diagnosis *d, const struct computed *c, size_t n) {
        size_t cpos = 0;
        int r;
        for (size_t i = 0; i < d->n_code_path; i++) {
                const struct fsd_code_step *rs = &d->code_path[i];
                size_t j = cpos;
                while (j < n && !same_function(c[j].step.function, rs->function))
                        j++;
                if (j < n) {
                        for (; cpos < j; cpos++)
                                if ((r = step_push(box, &c[cpos].step)) < 0)
                                        return r;
                        struct fsd_path_step s = c[j].step;
                        s.in_rule = true;
                        s.note = rs->note;
                        if (!s.file)
                                s.file = rs->file;
                        if ((r = step_push(box, &s)) < 0)
                                return r;
                        cpos = j + 1;
                        continue;
                }
                /* not on the computed path after the current point. Where debuginfo resolved the
                 * call site this step would sit in, the step is wrong; a hidden step (tail call,
                 * code after the trap) is never visible to a trace, so nothing contradicts it. */
                bool inside = cpos > 0 && cpos < n;
                bool placed_earlier = false;
                for (size_t k = 0; k < cpos && !placed_earlier; k++)
                        placed_earlier = same_function(c[k].step.function, rs->function);
                if (inside && !placed_earlier && c[cpos - 1].resolved && rs->visibility != FSD_PATH_HIDDEN) {
                        /* what the computed path has instead: up to the next function the rule names */
                        size_t end = cpos;
                        while (end < n && !rule_names(d, c[end].step.function))
                                end++;
                        size_t upto = end < n ? end + 1 : end;
                        /* from the step before through the next matched function */
                        if ((r = disagreement_add(box, rs, c[cpos - 1].step.function, &c[cpos - 1], upto - (cpos - 1),
                                                  c[cpos - 1].debuginfo)) < 0)
                                return r;
                        continue;
                }
                if (placed_earlier)
                        continue;
                struct fsd_path_step s = rule_step(rs);
                if ((r = step_push(box, &s)) < 0)
                        return r;
        }
        for (; cpos < n; cpos++)
                if ((r = step_push(box, &c[cpos].step)) < 0)
                        return r;
        return 0;
}

int fsd_code_path_build(const struct fsd_incident *inc, const struct fsd_code_path_opts *opts,
                        struct fsd_code_path **ret) {
        if (!inc || !ret)
                return -EINVAL;
        struct fsd_code_path_opts o = {};
        if (opts) {
                if (opts->sz < sizeof(size_t))
                        return -EINVAL;
                memcpy(&o, opts, MIN(opts->sz, sizeof o));
                o.sz = sizeof o;
        }
        if (o.n_lines && (o.n_lines != inc->n_reports || !o.lines))
                return -EINVAL;
        if (o.n_candidates && !o.candidates)
                return -EINVAL;
        struct path_box *box = calloc(1, sizeof *box);
        if (!box)
                return -ENOMEM;
        _cleanup_(fsd_code_path_freep) struct fsd_code_path *p = &box->p;
        const struct fsd_diagnosis *d = inc->diagnosis;
        if (!d || !d->n_code_path) {
                *ret = TAKE_PTR(p);
                return 0;
        }
        /* the report whose trace names most of the rule's functions */
        const struct fsd_report *best = NULL;
        const struct fsd_report_lines *best_lines = NULL;
        size_t best_n = 0;
        for (size_t i = 0; i < inc->n_reports; i++) {
                const struct fsd_report *r = inc->reports[i];
                if (!r)
                        continue;
                _cleanup_free_ char *fn = rip_function(r->rip);
                size_t k = report_anchors(d, r, fn);
                if (k > best_n) {
                        best = r;
                        best_n = k;
                        best_lines = o.n_lines ? o.lines[i] : NULL;
                        free(box->rip_function);
                        box->rip_function = TAKE_PTR(fn);
                }
        }
        struct computed_list l = {};
        int k = 0;
        if (best)
                k = computed_from_report(&l, best, best_lines, box->rip_function, &o);
        if (k < 0) {
                free(l.v);
                return k;
        }
        /* only the part between the first and the last function the rule names: the rest of the
         * trace (syscall entry, the WARN machinery) is in the report */
        size_t first = l.n, last = 0;
        for (size_t i = 0; i < l.n; i++)
                if (rule_names(d, l.v[i].step.function)) {
                        if (first == l.n)
                                first = i;
                        last = i;
                }
        size_t n = 0;
        if (first < l.n) {
                while (last + 1 < l.n && l.v[last + 1].group == l.v[last].group)
                        last++;
                n = last + 1 - first;
        }
        for (size_t i = first; i < first + n; i++)
                if (l.v[i].resolved)
                        box->p.resolved = true;
        k = merge(box, d, n ? l.v + first : NULL, n);
        free(l.v);
        if (k < 0)
                return k;
        *ret = TAKE_PTR(p);
        return 0;
}

void kb_code_path_json(struct json_writer *w, const struct fsd_code_path *p) {
        json_key(w, "code_path");
        json_array_begin(w);
        for (size_t i = 0; p && i < p->n_steps; i++) {
                const struct fsd_path_step *s = &p->steps[i];
                json_object_begin(w);
                json_kv_string(w, "function", s->function);
                json_kv_string(w, "file", s->file);
                if (s->line > 0)
                        json_kv_int(w, "line", s->line);
                json_kv_string(w, "source", fsd_path_source_name(s->source));
                json_kv_string(w, "visibility", fsd_path_visibility_name(s->visibility));
                json_kv_bool(w, "in_trace", s->in_trace);
                json_kv_bool(w, "in_rule", s->in_rule);
                if (s->alternative)
                        json_kv_uint(w, "alternative", s->alternative);
                if (s->note.en)
                        kb_text_json(w, "note", s->note);
                json_object_end(w);
        }
        json_array_end(w);
        json_key(w, "code_path_disagreements");
        json_array_begin(w);
        for (size_t i = 0; p && i < p->n_disagreements; i++) {
                const struct fsd_path_disagreement *x = &p->disagreements[i];
                json_object_begin(w);
                json_kv_string(w, "rule_function", x->rule_function);
                json_kv_string(w, "after", x->after);
                json_kv_string(w, "computed", x->computed);
                json_kv_string(w, "debuginfo", x->debuginfo);
                kb_text_json(w, "text", x->text);
                json_object_end(w);
        }
        json_array_end(w);
}

int kb_code_path_of_diagnosis(const struct fsd_diagnosis *d, struct fsd_code_path **ret) {
        /* a diagnosis alone: the rule's steps, marked by whether a trace showed them */
        struct path_box *box = calloc(1, sizeof *box);
        if (!box)
                return -ENOMEM;
        _cleanup_(fsd_code_path_freep) struct fsd_code_path *p = &box->p;
        for (size_t i = 0; d && i < d->n_code_path; i++) {
                struct fsd_path_step s = rule_step(&d->code_path[i]);
                int r = step_push(box, &s);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(p);
        return 0;
}
