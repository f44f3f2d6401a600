/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A report as JSON (docs/json-schema-report.md), and deep copies for callers that keep reports
 * beyond the callback. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "report-internal.h"
#include "basic/json-writer.h"
#include "decode/decode-internal.h"
#include "report-json.h"

const char *fsd_report_type_name(enum fsd_report_type t) {
        static const char *const names[_FSD_REPORT_TYPE_MAX] = {
                [FSD_REPORT_UNKNOWN] = "unknown",
                [FSD_REPORT_WARNING] = "warning",
                [FSD_REPORT_BUG] = "bug",
                [FSD_REPORT_OOPS] = "oops",
                [FSD_REPORT_GPF] = "gpf",
                [FSD_REPORT_PANIC] = "panic",
                [FSD_REPORT_HANG] = "hang",
                [FSD_REPORT_STALL] = "stall",
                [FSD_REPORT_KASAN] = "sanitizer",
                [FSD_REPORT_LOCKDEP] = "lockdep",
                [FSD_REPORT_LEAK] = "leak",
                [FSD_REPORT_OTHER] = "other",
                [FSD_REPORT_HARNESS] = "harness",
        };
        if ((unsigned) t >= _FSD_REPORT_TYPE_MAX)
                return "unknown";
        return names[t];
}

static void kv_int_known(struct json_writer *w, const char *key, int64_t v) {
        if (v >= 0)
                json_kv_int(w, key, v);
}

int fsd_report_to_json(const struct fsd_report *r, char **ret_json) {
        return report_to_json_ext(r, NULL, NULL, ret_json);
}

int report_to_json_ext(const struct fsd_report *r, report_frame_json_fn frame_extra, void *userdata,
                       char **ret_json) {
        if (!r || !ret_json)
                return -EINVAL;
        struct strbuf b = STRBUF_INIT;
        struct json_writer w;
        json_writer_init(&w, &b);
        json_object_begin(&w);
        json_kv_string(&w, "type", "report");
        json_kv_int(&w, "version", 1);
        json_kv_string(&w, "kind", fsd_report_type_name(r->type));
        json_kv_string(&w, "title", r->title);
        json_kv_string(&w, "guilty", r->guilty);
        json_kv_string(&w, "guilty_reason", r->guilty ? r->guilty_reason : NULL);
        if (r->guilty && r->guilty_frame >= 0 && (size_t) r->guilty_frame < r->n_frames)
                json_kv_int(&w, "guilty_frame", r->guilty_frame);
        json_kv_string(&w, "header", r->header);
        json_kv_bool(&w, "corrupted", r->corrupted);
        json_kv_string(&w, "corrupted_reason", r->corrupted ? r->corrupted_reason : NULL);
        json_kv_bool(&w, "panicked", r->panicked);
        json_kv_string(&w, "panic", r->panic);
        json_kv_string(&w, "rip", r->rip);
        json_kv_string(&w, "rip_user", r->rip_user);
        json_kv_string(&w, "src_file", r->src_file);
        if (r->src_file && r->src_line > 0)
                json_kv_int(&w, "src_line", r->src_line);
        kv_int_known(&w, "cpu", r->cpu);
        kv_int_known(&w, "pid", r->pid);
        kv_int_known(&w, "uid", r->uid);
        json_kv_string(&w, "comm", r->comm);
        json_kv_string(&w, "taint", r->taint);
        json_kv_string(&w, "kernel", r->kernel);
        json_kv_string(&w, "build_id", r->build_id);
        json_kv_string(&w, "hardware", r->hardware);
        json_kv_string(&w, "modules", r->modules);
        json_kv_string(&w, "registers", r->registers);
        json_kv_string(&w, "code", r->code);
        {
                /* the Code: bytes disassembled; absent when the line holds none or does not decode */
                struct fsd_code_listing *listing = NULL;
                if (r->code && fsd_code_decode(r, &listing) >= 0) {
                        json_key(&w, "code_decoded");
                        code_listing_json(&w, listing);
                        fsd_code_listing_free(listing);
                }
        }
        if (frame_extra)
                frame_extra(&w, SIZE_MAX, userdata);
        json_key(&w, "frames");
        json_array_begin(&w);
        for (size_t i = 0; i < r->n_frames; i++) {
                const struct fsd_frame *f = &r->frames[i];
                json_object_begin(&w);
                json_kv_string(&w, "func", f->func);
                json_kv_string(&w, "suffix", f->suffix);
                if (f->offset || f->size) {
                        json_kv_uint(&w, "offset", f->offset);
                        json_kv_uint(&w, "size", f->size);
                }
                if (f->address)
                        json_kv_uint(&w, "address", f->address);
                json_kv_string(&w, "module", f->module);
                json_kv_string(&w, "build_id", f->build_id);
                json_kv_string(&w, "file", f->file);
                if (f->file && f->src_line > 0)
                        json_kv_int(&w, "src_line", f->src_line);
                if (f->unreliable)
                        json_kv_bool(&w, "unreliable", true);
                if (f->inlined)
                        json_kv_bool(&w, "inlined", true);
                json_kv_string(&w, "stack", f->stack);
                json_kv_uint(&w, "trace", f->trace);
                json_kv_string(&w, "trace_name", f->trace_name);
                json_kv_uint(&w, "line", f->line);
                if (frame_extra)
                        frame_extra(&w, i, userdata);
                json_object_end(&w);
        }
        json_array_end(&w);
        json_kv_string(&w, "origin", r->origin);
        json_kv_string(&w, "host", r->host);
        json_kv_uint(&w, "boot", r->boot);
        json_kv_uint(&w, "first_line", r->first_line);
        json_kv_uint(&w, "last_line", r->last_line);
        kv_int_known(&w, "mono_usec", r->mono_usec);
        kv_int_known(&w, "wall_usec", r->wall_usec);
        if (r->wall_usec >= 0 && r->year_assumed)
                json_kv_bool(&w, "year_assumed", true);
        if (r->caller_kind == 'T' || r->caller_kind == 'C') {
                char caller[16];
                snprintf(caller, sizeof caller, "%c%u", r->caller_kind, (unsigned) r->caller_id);
                json_kv_string(&w, "caller", caller);
        }
        json_object_end(&w);
        char *s = strbuf_steal(&b);
        if (!s)
                return -ENOMEM;
        *ret_json = s;
        return 0;
}

/* ---- deep copies ------------------------------------------------------------------------- */

static size_t str_size(const char *s) {
        return s ? strlen(s) + 1 : 0;
}

static const char *str_copy(char **cursor, const char *s) {
        if (!s)
                return NULL;
        size_t n = strlen(s) + 1;
        char *d = *cursor;
        memcpy(d, s, n);
        *cursor += n;
        return d;
}

int fsd_report_dup(const struct fsd_report *r, struct fsd_report **ret_copy) {
        if (!r || !ret_copy || (r->n_frames && !r->frames))
                return -EINVAL;
        if (r->n_frames > REPORT_MAX_FRAMES * 16)
                return -E2BIG;
        size_t need = sizeof(struct fsd_report) + r->n_frames * sizeof(struct fsd_frame);
        const char *const strs[] = { r->title, r->guilty, r->header, r->corrupted_reason, r->rip, r->src_file,
                                     r->comm, r->taint, r->kernel, r->hardware, r->modules, r->registers,
                                     r->code, r->origin, r->host, r->panic, r->rip_user, r->guilty_reason,
                                     r->build_id };
        for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
                need += str_size(strs[i]);
        for (size_t i = 0; i < r->n_frames; i++) {
                const struct fsd_frame *f = &r->frames[i];
                need += str_size(f->func) + str_size(f->suffix) + str_size(f->module) + str_size(f->file) +
                        str_size(f->stack) + str_size(f->trace_name) + str_size(f->build_id);
        }
        /* frames start right after the struct: both are pointer-aligned */
        char *mem = malloc(need);
        if (!mem)
                return -ENOMEM;
        struct fsd_report *c = (struct fsd_report *) mem;
        struct fsd_frame *frames = (struct fsd_frame *) (mem + sizeof *c);
        char *cursor = (char *) (frames + r->n_frames);
        *c = *r;
        c->title = str_copy(&cursor, r->title);
        c->guilty = str_copy(&cursor, r->guilty);
        c->header = str_copy(&cursor, r->header);
        c->corrupted_reason = str_copy(&cursor, r->corrupted_reason);
        c->rip = str_copy(&cursor, r->rip);
        c->src_file = str_copy(&cursor, r->src_file);
        c->comm = str_copy(&cursor, r->comm);
        c->taint = str_copy(&cursor, r->taint);
        c->kernel = str_copy(&cursor, r->kernel);
        c->hardware = str_copy(&cursor, r->hardware);
        c->modules = str_copy(&cursor, r->modules);
        c->registers = str_copy(&cursor, r->registers);
        c->code = str_copy(&cursor, r->code);
        c->origin = str_copy(&cursor, r->origin);
        c->host = str_copy(&cursor, r->host);
        c->panic = str_copy(&cursor, r->panic);
        c->rip_user = str_copy(&cursor, r->rip_user);
        c->guilty_reason = str_copy(&cursor, r->guilty_reason);
        c->build_id = str_copy(&cursor, r->build_id);
        for (size_t i = 0; i < r->n_frames; i++) {
                frames[i] = r->frames[i];
                frames[i].func = str_copy(&cursor, r->frames[i].func);
                frames[i].suffix = str_copy(&cursor, r->frames[i].suffix);
                frames[i].module = str_copy(&cursor, r->frames[i].module);
                frames[i].file = str_copy(&cursor, r->frames[i].file);
                frames[i].stack = str_copy(&cursor, r->frames[i].stack);
                frames[i].trace_name = str_copy(&cursor, r->frames[i].trace_name);
                frames[i].build_id = str_copy(&cursor, r->frames[i].build_id);
        }
        c->frames = r->n_frames ? frames : NULL;
        *ret_copy = c;
        return 0;
}

struct fsd_report *fsd_report_free(struct fsd_report *copy) {
        free(copy);
        return NULL;
}
