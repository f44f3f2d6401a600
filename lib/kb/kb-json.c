/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnoses and rules as JSON: both languages always, so scripts see the same keys in any locale. */
#include <errno.h>
#include "basic/cleanup.h"
#include "basic/json-writer.h"
#include "basic/strbuf.h"
#include "kb-internal.h"
#include "kb.h"

/* two decimals: enough to rank, and stable output (no libm needed for non-negative values) */
static double round2(double v) {
        return v <= 0 ? 0 : (double) (int64_t) (v * 100.0 + 0.5) / 100.0;
}

void kb_text_json(struct json_writer *w, const char *key, struct fsd_text t) {
        json_key(w, key);
        if (!t.en) {
                json_null(w);
                return;
        }
        json_object_begin(w);
        json_kv_string(w, "en", t.en);
        json_kv_string(w, "zh", t.zh);
        json_object_end(w);
}

/* a rule's own path (the diagnosis's merged path is kb_code_path_json()) */
static void code_path_json(struct json_writer *w, const struct fsd_code_step *steps, size_t n) {
        json_key(w, "code_path");
        json_array_begin(w);
        for (size_t i = 0; i < n; i++) {
                json_object_begin(w);
                json_kv_string(w, "function", steps[i].function);
                json_kv_string(w, "file", steps[i].file);
                json_kv_string(w, "visibility", fsd_path_visibility_name(steps[i].visibility));
                if (steps[i].note.en)
                        kb_text_json(w, "note", steps[i].note);
                json_object_end(w);
        }
        json_array_end(w);
}

static void fixes_json(struct json_writer *w, const struct fsd_fix *fixes, size_t n, bool with_verdict) {
        json_key(w, "fixes");
        json_array_begin(w);
        for (size_t i = 0; i < n; i++) {
                const struct fsd_fix *f = &fixes[i];
                json_object_begin(w);
                json_key(w, "commit");
                json_string(w, f->commit);
                json_kv_string(w, "subject", f->subject);
                json_kv_string(w, "mainline", f->mainline);
                json_key(w, "stable");
                json_array_begin(w);
                for (size_t k = 0; k < f->n_stable; k++)
                        json_string(w, f->stable[k]);
                json_array_end(w);
                json_kv_string(w, "status", f->status == FSD_FIX_VERIFIED ? "verified" : "inferred");
                if (f->note.en)
                        kb_text_json(w, "note", f->note);
                if (with_verdict && f->verdict.en)
                        kb_text_json(w, "verdict", f->verdict);
                json_object_end(w);
        }
        json_array_end(w);
}

void kb_diagnosis_to_json(struct json_writer *w, const struct fsd_diagnosis *d, const struct fsd_code_path *path) {
        if (!d) {
                json_null(w);
                return;
        }
        json_object_begin(w);
        json_key(w, "rule_id");
        json_string(w, d->rule_id);
        json_kv_bool(w, "recognized", d->rule_id != NULL);
        json_kv_string(w, "severity", fsd_severity_name(d->severity));
        json_key(w, "confidence");
        json_double(w, round2(d->confidence));
        json_key(w, "reasons");
        json_array_begin(w);
        for (size_t i = 0; i < d->n_reasons; i++) {
                const struct fsd_reason *r = &d->reasons[i];
                json_object_begin(w);
                json_kv_bool(w, "matched", r->matched);
                json_kv_bool(w, "required", r->required);
                if (r->line)
                        json_kv_uint(w, "line", r->line);
                if (!r->required) {
                        json_key(w, "weight");
                        json_double(w, round2(r->weight));
                }
                kb_text_json(w, "text", r->text);
                json_object_end(w);
        }
        json_array_end(w);
        kb_text_json(w, "title", d->title);
        kb_text_json(w, "explanation", d->explanation);
        kb_text_json(w, "remediation", d->remediation);
        kb_text_json(w, "prevention", d->prevention);
        kb_code_path_json(w, path);
        fixes_json(w, d->fixes, d->n_fixes, true);
        json_key(w, "facts");
        json_array_begin(w);
        for (size_t i = 0; i < d->n_facts; i++) {
                json_object_begin(w);
                json_kv_string(w, "key", d->facts[i].key);
                kb_text_json(w, "text", d->facts[i].text);
                json_object_end(w);
        }
        json_array_end(w);
        json_key(w, "evidence_lines");
        json_array_begin(w);
        for (size_t i = 0; i < d->n_evidence_lines; i++)
                json_uint(w, d->evidence_lines[i]);
        json_array_end(w);
        json_object_end(w);
}

static int finish(struct strbuf *b, char **ret_json) {
        if (strbuf_failed(b)) {
                strbuf_done(b);
                return -ENOMEM;
        }
        char *s = strbuf_steal(b);
        if (!s)
                return -ENOMEM;
        *ret_json = s;
        return 0;
}

int fsd_diagnosis_to_json(const struct fsd_diagnosis *d, char **ret_json) {
        if (!d || !ret_json)
                return -EINVAL;
        struct strbuf b = STRBUF_INIT;
        struct json_writer w;
        json_writer_init(&w, &b);
        _cleanup_(fsd_code_path_freep) struct fsd_code_path *path = NULL;
        int r = kb_code_path_of_diagnosis(d, &path);
        if (r < 0)
                return r;
        kb_diagnosis_to_json(&w, d, path);
        return finish(&b, ret_json);
}

int fsd_rule_to_json(const struct fsd_rule_info *rule, char **ret_json) {
        if (!rule || !ret_json)
                return -EINVAL;
        struct strbuf b = STRBUF_INIT;
        struct json_writer w;
        json_writer_init(&w, &b);
        json_object_begin(&w);
        json_kv_string(&w, "type", "rule");
        json_kv_string(&w, "schema", "fsdoctor.rule/1");
        json_kv_string(&w, "id", rule->id);
        json_kv_string(&w, "source", rule->source);
        json_kv_string(&w, "fs", kb_fs_name(rule->fs));
        json_kv_string(&w, "severity", fsd_severity_name(rule->severity));
        kb_text_json(&w, "title", rule->title);
        kb_text_json(&w, "explanation", rule->explanation);
        kb_text_json(&w, "remediation", rule->remediation);
        kb_text_json(&w, "prevention", rule->prevention);
        json_key(&w, "conditions");
        json_array_begin(&w);
        for (size_t i = 0; i < rule->n_conditions; i++) {
                json_object_begin(&w);
                json_kv_bool(&w, "required", rule->condition_required[i]);
                kb_text_json(&w, "text", rule->conditions[i]);
                json_object_end(&w);
        }
        json_array_end(&w);
        code_path_json(&w, rule->code_path, rule->n_code_path);
        fixes_json(&w, rule->fixes, rule->n_fixes, false);
        json_key(&w, "sources");
        json_array_begin(&w);
        for (size_t i = 0; i < rule->n_sources; i++)
                json_string(&w, rule->sources[i]);
        json_array_end(&w);
        json_object_end(&w);
        return finish(&b, ret_json);
}
