/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every frame of a report looked up in the debuginfo, and the report JSON with the results. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "report/report-json.h"
#include "symbolize-internal.h"

struct fsd_report_lines *fsd_report_lines_free(struct fsd_report_lines *rl) {
        if (!rl)
                return NULL;
        for (size_t i = 0; i < rl->n_frames; i++)
                fsd_frame_lines_free(rl->frames[i]);
        free(rl->frames);
        fsd_frame_lines_free(rl->rip);
        free(rl);
        return NULL;
}
DEFINE_FREEP(struct fsd_report_lines, fsd_report_lines_free)

/* The RIP as the report keeps it: "func.isra.0+0x65c/0xbd0 [btrfs]". @return true when it has
 * that form; symbol and module are written into the buffers. */
static bool rip_parse(const char *rip, char *symbol, size_t symbol_size, char *module, size_t module_size,
                      char *build_id, size_t build_id_size, uint64_t *ret_off, uint64_t *ret_size) {
        if (!rip)
                return false;
        const char *plus = strchr(rip, '+');
        if (!plus || plus == rip || (size_t) (plus - rip) >= symbol_size)
                return false;
        unsigned long long off, size;
        int used = 0;
        if (sscanf(plus, "+0x%llx/0x%llx%n", &off, &size, &used) != 2)
                return false;
        memcpy(symbol, rip, (size_t) (plus - rip));
        symbol[plus - rip] = 0;
        module[0] = 0;
        build_id[0] = 0;
        const char *rest = plus + used;
        if (rest[0] == ' ' && rest[1] == '[') {
                const char *end = strchr(rest + 2, ']');
                size_t n = end ? (size_t) (end - rest - 2) : 0;
                /* "[btrfs 1a2b...]": a build id after the module name is not part of it */
                const char *sp = memchr(rest + 2, ' ', n);
                if (sp) {
                        size_t k = (size_t) (end - sp - 1);
                        if (k < build_id_size) {
                                memcpy(build_id, sp + 1, k);
                                build_id[k] = 0;
                        }
                        n = (size_t) (sp - rest - 2);
                }
                if (n == 0 || n >= module_size)
                        return false;
                memcpy(module, rest + 2, n);
                module[n] = 0;
        }
        *ret_off = off;
        *ret_size = size;
        return true;
}

static int lookup_checked(struct fsd_debuginfo *di, const struct fsd_debuginfo_query *q, uint64_t line,
                          struct fsd_frame_lines **ret, char **ret_detail) {
        *ret = NULL;
        _cleanup_free_ char *detail = NULL;
        int r = fsd_debuginfo_lookup(di, q, ret, &detail);
        if (r >= 0)
                return 0;
        /* no debuginfo for this module, or no lines for this code (assembly): the frame stays as
         * printed */
        if (r == -ENOENT || r == -ENODATA)
                return 0;
        if (ret_detail) {
                free(*ret_detail);
                if (asprintf(ret_detail, "frame %s+0x%" PRIx64 "/0x%" PRIx64 "%s%s%s (log line %" PRIu64 "): %s",
                             q->symbol, q->offset, q->size, q->module ? " [" : "", q->module ? q->module : "",
                             q->module ? "]" : "", line, detail ? detail : "") < 0)
                        *ret_detail = NULL;
        }
        return r;
}

int fsd_debuginfo_symbolize(struct fsd_debuginfo *di, const struct fsd_report *r, struct fsd_report_lines **ret,
                            char **ret_detail) {
        if (!di || !r || !ret || (r->n_frames && !r->frames))
                return -EINVAL;
        _cleanup_(fsd_report_lines_freep) struct fsd_report_lines *rl = calloc(1, sizeof *rl);
        if (!rl)
                return -ENOMEM;
        if (r->n_frames) {
                rl->frames = calloc(r->n_frames, sizeof *rl->frames);
                if (!rl->frames)
                        return -ENOMEM;
                rl->n_frames = r->n_frames;
        }
        char rip_symbol[256], rip_module[128], rip_build_id[130];
        uint64_t rip_off = 0, rip_size = 0;
        bool have_rip = rip_parse(r->rip, rip_symbol, sizeof rip_symbol, rip_module, sizeof rip_module,
                                  rip_build_id, sizeof rip_build_id, &rip_off, &rip_size);
        if (have_rip) {
                /* the kernel image's build id is on the task line; a module's in its brackets */
                struct fsd_debuginfo_query q = {
                        .module = rip_module[0] ? rip_module : NULL, .symbol = rip_symbol,
                        .offset = rip_off, .size = rip_size,
                        .build_id = rip_module[0] ? (rip_build_id[0] ? rip_build_id : NULL) : r->build_id,
                };
                int k = lookup_checked(di, &q, r->first_line, &rl->rip, ret_detail);
                if (k < 0)
                        return k;
        }
        for (size_t i = 0; i < r->n_frames; i++) {
                const struct fsd_frame *f = &r->frames[i];
                if (!f->func || (f->offset == 0 && f->size == 0))
                        continue;
                char symbol[256];
                if ((size_t) snprintf(symbol, sizeof symbol, "%s%s", f->func, f->suffix ? f->suffix : "") >=
                    sizeof symbol)
                        continue;
                /* the frame the trap is in (arm64 prints the pc as the first frame) is the only
                 * one whose offset is not a return address */
                bool trap = have_rip && strcmp(symbol, rip_symbol) == 0 && f->offset == rip_off &&
                            f->size == rip_size &&
                            strcmp(f->module ? f->module : "", rip_module) == 0;
                struct fsd_debuginfo_query q = {
                        .module = f->module, .symbol = symbol, .offset = f->offset, .size = f->size,
                        .return_address = !trap, .build_id = f->module ? f->build_id : r->build_id,
                };
                int k = lookup_checked(di, &q, f->line, &rl->frames[i], ret_detail);
                if (k < 0)
                        return k;
        }
        *ret = TAKE_PTR(rl);
        return 0;
}

static void source_line_json(struct json_writer *w, const struct fsd_source_line *l, bool with_function) {
        json_object_begin(w);
        if (with_function)
                json_kv_string(w, "function", l->function);
        json_kv_string(w, "file", l->file);
        if (l->line > 0)
                json_kv_int(w, "line", l->line);
        if (l->column > 0)
                json_kv_int(w, "column", l->column);
        json_object_end(w);
}

void frame_lines_json(struct json_writer *w, const struct fsd_frame_lines *fl) {
        if (!fl || fl->n_lines == 0)
                return;
        /* the frame's own function and the line in it; then the calls the trace hides */
        json_key(w, "location");
        json_object_begin(w);
        const struct fsd_source_line *own = &fl->lines[fl->n_lines - 1];
        json_kv_string(w, "function", own->function);
        json_kv_string(w, "file", own->file);
        if (own->line > 0)
                json_kv_int(w, "line", own->line);
        if (own->column > 0)
                json_kv_int(w, "column", own->column);
        json_kv_uint(w, "lookup_offset", fl->offset);
        json_kv_string(w, "debuginfo", fl->debuginfo);
        json_object_end(w);
        json_key(w, "inlined");
        json_array_begin(w);
        /* outermost first, as a trace reads: each entry is called from the one before it */
        for (size_t i = fl->n_lines - 1; i-- > 0;)
                source_line_json(w, &fl->lines[i], true);
        json_array_end(w);
}

static void frame_extra(struct json_writer *w, size_t i, void *userdata) {
        const struct fsd_report_lines *rl = userdata;
        if (i == SIZE_MAX && rl->rip && rl->rip->n_lines) {
                json_key(w, "rip_location");
                json_object_begin(w);
                frame_lines_json(w, rl->rip);
                json_object_end(w);
        } else if (i < rl->n_frames)
                frame_lines_json(w, rl->frames[i]);
}

int fsd_report_to_json_with_lines(const struct fsd_report *r, const struct fsd_report_lines *rl, char **ret_json) {
        if (!rl)
                return fsd_report_to_json(r, ret_json);
        if (rl->n_frames != (r ? r->n_frames : 0))
                return -EINVAL;
        return report_to_json_ext(r, frame_extra, (void *) rl, ret_json);
}
