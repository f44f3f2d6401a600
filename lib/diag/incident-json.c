/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsd_incident_to_json(): the "incident" object of `fsdoctor analyze --format=json`, version 1.
 * The schema is docs/json-schema-incident.md: change both together, and bump "version" when a
 * member changes meaning or disappears (adding members is compatible). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "fsdoctor.h"
#include "basic/json-writer.h"
#include "kb/kb.h"
#include "btrfs-space.h"

#define INCIDENT_JSON_VERSION 1

static const char *layer_name(enum fsd_layer l) {
        static const char *const names[_FSD_LAYER_MAX] = {
                [FSD_LAYER_HARDWARE] = "hardware",
                [FSD_LAYER_DEVICE] = "device",
                [FSD_LAYER_BLOCK] = "block",
                [FSD_LAYER_FS] = "fs",
        };
        return (unsigned) l < _FSD_LAYER_MAX ? names[l] : "unknown";
}

static void kv_string_or_null(struct json_writer *w, const char *key, const char *s) {
        json_key(w, key);
        json_string(w, s); /* NULL writes null */
}

/* ISO 8601 with microseconds: "2020-12-08T15:25:17.328594Z" in UTC, or without the "Z" when the log
 * printed the host's local time and no zone (syslog, dmesg -T): we must not claim UTC then. */
static void json_time(struct json_writer *w, int64_t wall_usec, bool local) {
        if (wall_usec < 0) {
                json_null(w);
                return;
        }
        time_t t = (time_t) (wall_usec / 1000000);
        struct tm tm;
        char buf[64];
        if (!gmtime_r(&t, &tm) || strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
                json_null(w);
                return;
        }
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, ".%06" PRId64 "%s", wall_usec % 1000000, local ? "" : "Z");
        json_string(w, buf);
}

static void json_point(struct json_writer *w, const char *key, int64_t wall_usec, bool local, bool year_assumed,
                       int64_t mono_usec, uint64_t line) {
        json_key(w, key);
        json_object_begin(w);
        json_key(w, "time");
        json_time(w, wall_usec, local);
        if (wall_usec >= 0)
                json_kv_string(w, "zone", local ? "local" : "UTC");
        /* syslog prints no year: say so when the time's year is ours, not the log's */
        if (wall_usec >= 0 && year_assumed)
                json_kv_bool(w, "year_assumed", true);
        json_key(w, "mono_usec");
        if (mono_usec >= 0)
                json_int(w, mono_usec);
        else
                json_null(w);
        json_kv_uint(w, "line", line);
        json_object_end(w);
}

static void json_event(struct json_writer *w, const struct fsd_event *ev) {
        json_object_begin(w);
        json_kv_string(w, "kind", fsd_event_kind_name(ev->kind));
        json_kv_string(w, "layer", layer_name(ev->layer));
        if (ev->fs != FSD_FS_NONE)
                json_kv_string(w, "fs", fsd_fs_type_name(ev->fs));
        json_kv_string(w, "device", ev->device);
        json_kv_string(w, "function", ev->function);
        if (ev->src_line > 0)
                json_kv_int(w, "src_line", ev->src_line);
        json_kv_string(w, "src_file", ev->src_file);
        if (ev->error)
                json_kv_int(w, "errno", ev->error);
        json_kv_string(w, "error_text", ev->error_text);
        json_kv_string(w, "op", ev->op);
        if (ev->sector != UINT64_MAX && (ev->kind == FSD_EV_IO_ERROR || ev->kind == FSD_EV_SPACE_ALLOC_ERROR ||
                                         ev->kind == FSD_EV_DEVICE_ERROR))
                json_kv_uint(w, "sector", ev->sector);
        json_kv_string(w, "detail", ev->detail);
        json_kv_uint(w, "count", ev->count ? ev->count : 1);
        json_kv_uint(w, "first_line", ev->line);
        json_kv_uint(w, "last_line", ev->last_line > ev->line ? ev->last_line : ev->line);
        json_kv_string(w, "text", ev->text);
        json_object_end(w);
}

static void json_report_ref(struct json_writer *w, const struct fsd_report *r) {
        json_object_begin(w);
        json_kv_string(w, "type", fsd_report_type_name(r->type));
        json_kv_string(w, "title", r->title);
        json_kv_string(w, "guilty", r->guilty);
        if (r->src_file) {
                json_kv_string(w, "src_file", r->src_file);
                if (r->src_line > 0)
                        json_kv_int(w, "src_line", r->src_line);
        }
        json_kv_uint(w, "first_line", r->first_line);
        json_kv_uint(w, "last_line", r->last_line);
        json_object_end(w);
}

/* "btrfs_space": only when btrfs printed a space dump (docs/json-schema-incident.md) */
static void json_btrfs_space(struct json_writer *w, const struct fsd_btrfs_space_dump *sp) {
        json_key(w, "btrfs_space");
        json_object_begin(w);
        json_key(w, "space_info");
        json_array_begin(w);
        for (size_t i = 0; i < sp->n_info; i++) {
                const struct fsd_btrfs_dump_info *si = &sp->info[i];
                json_object_begin(w);
                json_kv_string(w, "type", si->type);
                json_kv_bool(w, "full", si->full);
                json_kv_int(w, "free", si->free);
                if (si->have_totals) {
                        json_kv_uint(w, "total", si->total);
                        json_kv_uint(w, "used", si->used);
                        json_kv_uint(w, "pinned", si->pinned);
                        json_kv_uint(w, "reserved", si->reserved);
                        json_kv_uint(w, "may_use", si->may_use);
                        json_kv_uint(w, "readonly", si->readonly);
                }
                json_object_end(w);
        }
        json_array_end(w);
        json_key(w, "block_rsv");
        json_array_begin(w);
        for (size_t i = 0; i < sp->n_rsv; i++) {
                json_object_begin(w);
                json_kv_string(w, "name", sp->rsv[i].name);
                json_kv_uint(w, "size", sp->rsv[i].size);
                json_kv_uint(w, "reserved", sp->rsv[i].reserved);
                json_object_end(w);
        }
        json_array_end(w);
        json_key(w, "allocation_failed");
        if (sp->alloc_failed) {
                char words[96];
                btrfs_block_group_flags_str(sp->alloc_flags, words, sizeof words);
                json_object_begin(w);
                json_kv_uint(w, "flags", sp->alloc_flags);
                json_kv_string(w, "decoded", words);
                json_object_end(w);
        } else
                json_null(w);
        /* what a pasted btrfs-progs output added: only when there was one */
        if (sp->n_devices || sp->data_profile[0] || sp->metadata_profile[0] || sp->system_profile[0]) {
                json_key(w, "pasted");
                json_object_begin(w);
                json_kv_string(w, "data_profile", sp->data_profile);
                json_kv_string(w, "metadata_profile", sp->metadata_profile);
                json_kv_string(w, "system_profile", sp->system_profile);
                json_key(w, "unallocated");
                json_array_begin(w);
                for (size_t i = 0; i < sp->n_devices; i++) {
                        json_object_begin(w);
                        json_kv_string(w, "device", sp->devices[i].path);
                        json_kv_uint(w, "bytes", sp->devices[i].unallocated);
                        json_object_end(w);
                }
                json_array_end(w);
                json_object_end(w);
        }
        json_object_end(w);
}

int fsd_incident_to_json(const struct fsd_incident *inc, char **ret_json) {
        return fsd_incident_to_json_with_path(inc, NULL, ret_json);
}

int fsd_incident_to_json_with_path(const struct fsd_incident *inc, const struct fsd_code_path *path,
                                   char **ret_json) {
        if (!inc || !ret_json)
                return -EINVAL;
        /* without a path from the caller: the trace and the rule, no debuginfo */
        _cleanup_(fsd_code_path_freep) struct fsd_code_path *own = NULL;
        if (!path && inc->diagnosis) {
                int k = fsd_code_path_build(inc, NULL, &own);
                if (k < 0)
                        return k;
                path = own;
        }
        struct strbuf b = STRBUF_INIT;
        struct json_writer w;
        json_writer_init(&w, &b);
        json_object_begin(&w);
        json_kv_string(&w, "type", "incident");
        json_kv_int(&w, "version", INCIDENT_JSON_VERSION);
        json_kv_uint(&w, "id", inc->id);
        kv_string_or_null(&w, "host", inc->host);
        json_kv_uint(&w, "boot", inc->boot);
        kv_string_or_null(&w, "origin", inc->origin);
        json_kv_string(&w, "fs", fsd_fs_type_name(inc->fs));
        kv_string_or_null(&w, "device", inc->device);
        kv_string_or_null(&w, "mount_point", inc->mount_point);
        kv_string_or_null(&w, "fs_uuid", inc->fs_uuid);
        kv_string_or_null(&w, "kernel", inc->kernel);
        json_key(&w, "process");
        if (inc->comm || inc->pid >= 0) {
                json_object_begin(&w);
                kv_string_or_null(&w, "comm", inc->comm);
                json_key(&w, "pid");
                if (inc->pid >= 0)
                        json_int(&w, inc->pid);
                else
                        json_null(&w);
                json_object_end(&w);
        } else
                json_null(&w);
        json_point(&w, "start", inc->start_wall_usec, inc->wall_local, inc->year_assumed, inc->start_mono_usec,
                   inc->first_line);
        json_point(&w, "end", inc->end_wall_usec, inc->wall_local, inc->year_assumed, inc->end_mono_usec,
                   inc->last_line);

        bool ro_logged = false;
        for (size_t i = 0; i < inc->n_events; i++)
                if (inc->events[i].kind == FSD_EV_READ_ONLY)
                        ro_logged = true;
        json_key(&w, "outcome");
        json_object_begin(&w);
        json_kv_bool(&w, "read_only", inc->read_only);
        /* read-only without a message saying so: implied by an ext4 journal abort */
        json_kv_bool(&w, "read_only_inferred", inc->read_only && !ro_logged);
        json_kv_bool(&w, "shutdown", inc->shutdown);
        json_kv_bool(&w, "aborted", inc->aborted);
        json_kv_bool(&w, "mount_failed", inc->mount_failed);
        json_kv_bool(&w, "panicked", inc->panicked);
        json_object_end(&w);

        json_kv_uint(&w, "messages", inc->n_messages);
        json_kv_uint(&w, "suppressed", inc->n_suppressed);
        json_kv_uint(&w, "merged", inc->n_merged);
        json_key(&w, "events");
        json_array_begin(&w);
        for (size_t i = 0; i < inc->n_events; i++)
                json_event(&w, &inc->events[i]);
        json_array_end(&w);
        json_key(&w, "reports");
        json_array_begin(&w);
        for (size_t i = 0; i < inc->n_reports; i++)
                json_report_ref(&w, inc->reports[i]);
        json_array_end(&w);
        if (inc->btrfs_space)
                json_btrfs_space(&w, inc->btrfs_space);
        json_key(&w, "diagnosis");
        if (inc->diagnosis)
                kb_diagnosis_to_json(&w, inc->diagnosis, path);
        else
                json_null(&w);
        json_object_end(&w);
        if (strbuf_failed(&b)) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        *ret_json = strbuf_steal(&b);
        return *ret_json ? 0 : -ENOMEM;
}
