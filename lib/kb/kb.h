/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* Knowledge base internals shared with lib/diag. */
#include "fsdoctor.h"
#include "basic/cleanup.h"
#include "basic/json-writer.h"

/* Diagnose a closed incident. The diagnosis is owned by the kb (or the caller frees it with
 * kb_diagnosis_free(); see kb.c for which) and is never NULL on success: no matching rule gives an
 * "unrecognized" diagnosis that still lists the events.
 * @return 0 or a negative error. */
int kb_diagnose(const struct fsd_kb *kb, const struct fsd_incident *inc, struct fsd_diagnosis **ret_diag);
void kb_diagnosis_free(struct fsd_diagnosis *d);
/* Write the diagnosis as the value of the current JSON key: an object with both languages.
 * path: its "code_path" and "code_path_disagreements" (kb-path.c); NULL writes empty lists. */
void kb_diagnosis_to_json(struct json_writer *w, const struct fsd_diagnosis *d, const struct fsd_code_path *path);
/* The members "code_path" and "code_path_disagreements" of a diagnosis object (kb-path.c). */
void kb_code_path_json(struct json_writer *w, const struct fsd_code_path *path);
/* The path of a diagnosis without its incident: the rule's steps only. */
int kb_code_path_of_diagnosis(const struct fsd_diagnosis *d, struct fsd_code_path **ret);
DEFINE_FREEP(struct fsd_code_path, fsd_code_path_free)
/* The built-in knowledge base (rules embedded at build time), loaded once. */
int kb_builtin(const struct fsd_kb **ret_kb);
