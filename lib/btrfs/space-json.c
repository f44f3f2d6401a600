/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The space model, overall numbers and assessment as one JSON object: "fsdoctor.inspect/1",
 * documented in docs/json-schema-inspect.md. Byte counts are integers, never rounded. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "basic/json-writer.h"
#include "basic/strbuf.h"
#include "btrfs/space-model.h"

static void uuid_format(const uint8_t u[16], char out[37]) {
        snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                 u[14], u[15]);
}

static const char *type_id(uint64_t flags) {
        switch (flags & FSD_BTRFS_BG_TYPE_MASK) {
        case FSD_BTRFS_BG_DATA: return "data";
        case FSD_BTRFS_BG_METADATA: return "metadata";
        case FSD_BTRFS_BG_SYSTEM: return "system";
        case FSD_BTRFS_BG_DATA | FSD_BTRFS_BG_METADATA: return "mixed";
        default: return "unknown";
        }
}

/* two decimals, as btrfs-progs prints ratios: keeps JSON diffs stable */
static void json_ratio(struct json_writer *w, const char *key, double v) {
        json_key(w, key);
        json_double(w, (double) (int64_t) (v * 100.0 + 0.5) / 100.0);
}

static void write_overall(struct json_writer *w, const struct fsd_btrfs_space *s) {
        struct fsd_btrfs_usage_overall o;
        if (fsd_btrfs_usage_overall(s, &o) < 0)
                return;
        json_key(w, "overall");
        json_object_begin(w);
        json_kv_uint(w, "device_size", o.device_size);
        json_kv_uint(w, "device_allocated", o.device_allocated);
        json_kv_int(w, "device_unallocated", o.device_unallocated);
        json_kv_uint(w, "device_missing", o.device_missing);
        json_kv_uint(w, "used", o.used);
        json_kv_uint(w, "free_estimated", o.free_estimated);
        json_kv_uint(w, "free_min", o.free_min);
        json_ratio(w, "data_ratio", o.data_ratio);
        json_ratio(w, "metadata_ratio", o.metadata_ratio);
        json_kv_uint(w, "global_reserve", o.global_reserve);
        json_kv_uint(w, "global_reserve_used", o.global_reserve_used);
        json_kv_bool(w, "global_reserve_exact", s->global_reserve_exact);
        json_kv_bool(w, "mixed", o.mixed);
        json_kv_bool(w, "multiple_profiles", o.multiple_profiles);
        json_object_end(w);
}

/* Decimal digits of v at the end of buf[20]; returns where they start. */
static char *u64_digits(uint64_t v, char buf[20]) {
        char *p = buf + 20;
        do
                *--p = (char) ('0' + v % 10);
        while (v /= 10);
        return p;
}

static char *put_key_uint(char *p, const char *key_colon, size_t key_len, uint64_t v) {
        char digits[20];
        char *d = u64_digits(v, digits);

        memcpy(p, key_colon, key_len);
        p += key_len;
        memcpy(p, d, (size_t) (digits + 20 - d));
        return p + (digits + 20 - d);
}

#define PUT_KEY_UINT(p, key, v) put_key_uint(p, key, sizeof(key) - 1, v)

static char *put_str(char *p, const char *s) {
        size_t n = strlen(s);
        memcpy(p, s, n);
        return p + n;
}

/*
 * The block groups are most of the document (10 000 groups make 1 MB), and the generic writer
 * formats them byte by byte and every number through printf, which cost 20-40 ms on such a
 * filesystem: more than reading it. Each object is formatted in one buffer and appended at once.
 * Keys and values are constants or digits, so nothing needs escaping. The writer only sees the
 * array open and close, which is all its comma state needs, since nothing else goes inside.
 */
static void write_block_groups(struct json_writer *w, const struct fsd_btrfs_block_group *bgs, size_t n) {
        json_key(w, "block_groups");
        json_array_begin(w);
        for (size_t i = 0; i < n; i++) {
                const struct fsd_btrfs_block_group *bg = &bgs[i];
                /* 4 numbers of at most 20 digits, two names of at most 8 bytes, keys: < 192 */
                char obj[256], *p = obj;

                if (i > 0)
                        *p++ = ',';
                p = PUT_KEY_UINT(p, "{\"start\":", bg->start);
                p = PUT_KEY_UINT(p, ",\"length\":", bg->length);
                p = PUT_KEY_UINT(p, ",\"used\":", bg->used);
                p = put_str(p, ",\"type\":\"");
                p = put_str(p, type_id(bg->flags));
                p = put_str(p, "\",\"profile\":\"");
                p = put_str(p, btrfs_profile_name(bg->flags));
                p = PUT_KEY_UINT(p, "\",\"flags\":", bg->flags);
                *p++ = '}';
                strbuf_append(w->out, obj, (size_t) (p - obj));
        }
        json_array_end(w);
}

static void write_model(struct json_writer *w, const struct fsd_btrfs_space *s) {
        char uuid[37];
        uuid_format(s->fsid, uuid);
        json_kv_string(w, "fsid", uuid);
        json_kv_string(w, "label", s->label);
        json_kv_uint(w, "generation", s->generation);
        json_kv_uint(w, "nodesize", s->nodesize);
        json_kv_uint(w, "sectorsize", s->sectorsize);
        json_kv_uint(w, "csum_type", s->csum_type);
        json_kv_uint(w, "incompat_flags", s->incompat_flags);
        json_kv_uint(w, "compat_ro_flags", s->compat_ro_flags);
        json_kv_uint(w, "num_devices", s->num_devices);
        json_kv_string(w, "kernel", s->kernel_release[0] ? s->kernel_release : NULL);

        write_overall(w, s);

        json_key(w, "profiles");
        json_array_begin(w);
        for (size_t i = 0; i < s->n_space_infos; i++) {
                const struct fsd_btrfs_space_info *si = &s->space_infos[i];
                json_object_begin(w);
                json_kv_string(w, "type", type_id(si->flags));
                json_kv_string(w, "profile", btrfs_profile_name(si->flags));
                json_kv_uint(w, "flags", si->flags);
                json_kv_uint(w, "size", si->total);
                json_kv_uint(w, "used", si->used);
                json_object_end(w);
        }
        json_array_end(w);

        json_key(w, "devices");
        json_array_begin(w);
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct fsd_btrfs_device *d = &s->devices[i];
                uuid_format(d->uuid, uuid);
                json_object_begin(w);
                json_kv_uint(w, "devid", d->devid);
                json_kv_string(w, "path", d->path[0] ? d->path : NULL);
                json_kv_string(w, "uuid", uuid);
                json_kv_uint(w, "size", d->size);
                json_kv_uint(w, "allocated", d->allocated);
                json_kv_int(w, "unallocated", (int64_t) (d->size - d->allocated));
                json_kv_bool(w, "missing", d->missing);
                json_object_end(w);
        }
        json_array_end(w);

        write_block_groups(w, s->block_groups, s->n_block_groups);
}

static void write_assessment(struct json_writer *w, const struct fsd_btrfs_assessment *a) {
        static const char *const rows[] = { "data", "metadata", "system" };
        json_key(w, "histogram");
        json_object_begin(w);
        for (unsigned r = 0; r < _FSD_BTRFS_HIST_MAX; r++) {
                json_key(w, rows[r]);
                json_array_begin(w);
                for (unsigned b = 0; b < 10; b++)
                        json_uint(w, a->histogram[r][b]);
                json_array_end(w);
        }
        json_object_end(w);

        json_key(w, "risk");
        json_object_begin(w);
        json_kv_string(w, "level", fsd_btrfs_risk_name(a->risk));
        json_key(w, "reasons");
        json_array_begin(w);
        for (size_t i = 0; i < a->n_reasons; i++) {
                const struct fsd_btrfs_reason *r = &a->reasons[i];
                json_object_begin(w);
                json_kv_string(w, "code", fsd_btrfs_reason_id(r->code));
                json_kv_string(w, "level", fsd_btrfs_risk_name(r->level));
                json_kv_uint(w, "value", r->value);
                json_kv_uint(w, "limit", r->limit);
                json_object_end(w);
        }
        json_array_end(w);
        json_kv_string(w, "metadata_profile", btrfs_profile_name(a->metadata_flags));
        json_kv_uint(w, "metadata_size", a->metadata_total);
        json_kv_uint(w, "metadata_used", a->metadata_used);
        json_kv_uint(w, "metadata_free", a->metadata_free);
        json_kv_uint(w, "global_reserve", a->global_reserve);
        json_kv_uint(w, "global_reserve_used", a->global_reserve_used);
        json_kv_bool(w, "global_reserve_exact", a->global_reserve_exact);
        json_kv_uint(w, "unallocated", a->unallocated);
        json_kv_uint(w, "metadata_chunk_size", a->metadata_chunk_size);
        json_kv_uint(w, "metadata_chunk_need", a->metadata_chunk_need);
        json_kv_bool(w, "metadata_chunk_fits", a->metadata_chunk_fits);
        json_kv_uint(w, "data_chunk_size", a->data_chunk_size);
        json_kv_uint(w, "headroom_target", a->headroom_target);
        json_kv_string(w, "kernel", a->kernel_release[0] ? a->kernel_release : NULL);
        json_key(w, "kernel_has_delayed_refs_rsv");
        if (a->kernel_has_delayed_refs_rsv < 0)
                json_null(w);
        else
                json_bool(w, a->kernel_has_delayed_refs_rsv > 0);
        json_object_end(w);

        const struct fsd_btrfs_reclaim_plan *p = &a->plan;
        json_key(w, "reclaim_plan");
        json_object_begin(w);
        json_kv_bool(w, "needed", p->needed);
        json_kv_bool(w, "feasible", p->feasible);
        json_kv_uint(w, "target_unallocated", p->target_unallocated);
        json_kv_uint(w, "reclaim_needed", p->reclaim_needed);
        json_kv_uint(w, "reclaimed", p->reclaimed);
        json_kv_uint(w, "bytes_to_move", p->bytes_to_move);
        json_kv_uint(w, "bytes_to_move_raw", p->bytes_to_move_raw);
        json_key(w, "usage_filter");
        if (p->usage_filter >= 0)
                json_int(w, p->usage_filter);
        else
                json_null(w);
        json_key(w, "block_groups");
        json_array_begin(w);
        for (size_t i = 0; i < p->n_block_groups; i++) {
                json_object_begin(w);
                json_kv_uint(w, "start", p->block_groups[i].start);
                json_kv_uint(w, "length", p->block_groups[i].length);
                json_kv_uint(w, "used", p->block_groups[i].used);
                json_object_end(w);
        }
        json_array_end(w);
        json_key(w, "commands");
        json_array_begin(w);
        for (size_t i = 0; i < p->n_commands; i++)
                json_string(w, p->commands[i]);
        json_array_end(w);
        json_object_end(w);
}

int fsd_btrfs_space_to_json(const struct fsd_btrfs_space *space, const struct fsd_btrfs_assessment *assessment,
                            char **ret_json) {
        if (!space || !ret_json)
                return -EINVAL;
        struct strbuf b = STRBUF_INIT;
        struct json_writer w;
        json_writer_init(&w, &b);
        json_object_begin(&w);
        json_kv_string(&w, "schema", "fsdoctor.inspect/1");
        json_kv_string(&w, "source", space->online ? "online" : "offline");
        write_model(&w, space);
        if (assessment)
                write_assessment(&w, assessment);
        json_object_end(&w);
        char *s = strbuf_steal(&b);
        if (!s)
                return -ENOMEM;
        *ret_json = s;
        return 0;
}
