/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One sample of a mounted btrfs for the watch loop: the online space model, its assessment, and
 * the metadata headroom the forecast follows.
 *
 * Why headroom = metadata free + what unallocated space can still give metadata - global reserve:
 * metadata reservations fail (ENOSPC to user space, or a transaction abort where a reservation
 * must not fail) when free metadata space minus the global reserve cannot cover them and no new
 * metadata chunk can be allocated. SPACE_INFO's used bytes do not include reservations, so the
 * global reserve is taken off explicitly. Unallocated space counts only as far as the metadata
 * profile can place chunks on it: DUP halves it, RAID1 needs two devices with room.
 */
#define FSD_EXPERIMENTAL_API
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "basic/cleanup.h"
#include "basic/json-writer.h"
#include "basic/strbuf.h"
#include "btrfs/space-model.h"

#define SZ_1M (UINT64_C(1) << 20)
#define SZ_256M (UINT64_C(256) << 20)

DEFINE_FREEP(struct fsd_btrfs_space, fsd_btrfs_space_free)
DEFINE_FREEP(struct fsd_btrfs_sample, fsd_btrfs_sample_free)

static int cmp_u64_desc(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return (x < y) - (x > y);
}

int fsd_btrfs_metadata_capacity(const struct fsd_btrfs_space *s, uint64_t metadata_flags, uint64_t *ret_bytes) {
        if (!s || !ret_bytes)
                return -EINVAL;
        _cleanup_free_ uint64_t *free_dev = calloc(s->n_devices ? s->n_devices : 1, sizeof *free_dev);
        if (!free_dev)
                return -ENOMEM;
        size_t n = 0;
        uint64_t total = 0;
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct fsd_btrfs_device *d = &s->devices[i];
                if (d->missing || d->size <= d->allocated)
                        continue;
                free_dev[n++] = d->size - d->allocated;
                total += d->size - d->allocated;
        }

        uint64_t profile = metadata_flags & BTRFS_PROFILE_MASK;
        uint64_t cap = 0;
        switch (profile) {
        case 0:
                cap = total;
                break;
        case FSD_BTRFS_BG_DUP:
                /* both copies on one device: each device gives half its free space */
                for (size_t i = 0; i < n; i++)
                        cap += free_dev[i] / 2;
                break;
        case FSD_BTRFS_BG_RAID1:
        case FSD_BTRFS_BG_RAID1C3:
        case FSD_BTRFS_BG_RAID1C4: {
                /* the allocator puts each copy on a different device, the ones with the most free
                 * space first: place chunks that way until fewer than k devices have room */
                unsigned k = btrfs_profile_ncopies(metadata_flags);
                uint64_t step = MAX(SZ_256M, total / 4096);
                for (;;) {
                        qsort(free_dev, n, sizeof *free_dev, cmp_u64_desc);
                        if (n < k || free_dev[k - 1] < SZ_1M)
                                break;
                        uint64_t amount = MIN(step, free_dev[k - 1]);
                        for (unsigned i = 0; i < k; i++)
                                free_dev[i] -= amount;
                        cap += amount;
                }
                break;
        }
        default: {
                /* striped profiles spread over every device with room: divide by their ratio */
                unsigned parity = profile == FSD_BTRFS_BG_RAID5 ? 1 : profile == FSD_BTRFS_BG_RAID6 ? 2 : 0;
                unsigned min_devs = profile == FSD_BTRFS_BG_RAID6 ? 3 : profile == FSD_BTRFS_BG_RAID0 ? 1 : 2;
                if (n < min_devs)
                        break;
                if (profile == FSD_BTRFS_BG_RAID10)
                        cap = total / 2;
                else
                        cap = (uint64_t) ((double) total * (double) (n - parity) / (double) n);
                break;
        }
        }
        *ret_bytes = cap;
        return 0;
}

struct fsd_btrfs_sample *fsd_btrfs_sample_free(struct fsd_btrfs_sample *sample) {
        if (!sample)
                return NULL;
        fsd_btrfs_assessment_free(sample->assessment);
        fsd_btrfs_space_free(sample->space);
        free(sample);
        return NULL;
}

int fsd_btrfs_sample_take(const char *path, struct fsd_btrfs_sample **ret_sample) {
        if (!path || !ret_sample)
                return -EINVAL;
        _cleanup_(fsd_btrfs_sample_freep) struct fsd_btrfs_sample *sm = calloc(1, sizeof *sm);
        if (!sm)
                return -ENOMEM;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        sm->time_ns = (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;

        int r = fsd_btrfs_space_read_online(path, &sm->space);
        if (r < 0)
                return r;
        FSD_OPTS(fsd_btrfs_assess_opts, opts, .mount_path = path);
        r = fsd_btrfs_assess(sm->space, &opts, &sm->assessment);
        if (r < 0)
                return r;
        r = fsd_btrfs_metadata_capacity(sm->space, sm->assessment->metadata_flags, &sm->metadata_from_unallocated);
        if (r < 0)
                return r;
        const struct fsd_btrfs_assessment *a = sm->assessment;
        sm->metadata_headroom = (int64_t) a->metadata_free + (int64_t) sm->metadata_from_unallocated -
                                (int64_t) a->global_reserve;
        *ret_sample = TAKE_PTR(sm);
        return 0;
}

static void uuid_format(const uint8_t u[16], char out[37]) {
        snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
                 u[14], u[15]);
}

/* seconds, or null when the headroom is not falling */
static void json_seconds(struct json_writer *w, const char *key, double v) {
        json_key(w, key);
        if (isfinite(v))
                json_double(w, round(v * 10.0) / 10.0);
        else
                json_null(w);
}

int fsd_btrfs_sample_to_json(const struct fsd_btrfs_sample *sm, const char *mount_point,
                             const struct fsd_btrfs_forecast_result *fc, char **ret_json) {
        if (!sm || !sm->space || !sm->assessment || !ret_json)
                return -EINVAL;
        const struct fsd_btrfs_space *s = sm->space;
        const struct fsd_btrfs_assessment *a = sm->assessment;
        struct strbuf b = STRBUF_INIT;
        struct json_writer w;
        json_writer_init(&w, &b);
        char uuid[37];
        uuid_format(s->fsid, uuid);

        json_object_begin(&w);
        json_kv_string(&w, "schema", "fsdoctor.btrfs-sample/1");
        json_kv_uint(&w, "time_ms", sm->time_ns / 1000000);
        json_kv_string(&w, "mount_point", mount_point);
        json_kv_string(&w, "fsid", uuid);
        json_kv_string(&w, "risk", fsd_btrfs_risk_name(a->risk));
        json_key(&w, "reasons");
        json_array_begin(&w);
        for (size_t i = 0; i < a->n_reasons; i++) {
                json_object_begin(&w);
                json_kv_string(&w, "id", fsd_btrfs_reason_id(a->reasons[i].code));
                json_kv_string(&w, "level", fsd_btrfs_risk_name(a->reasons[i].level));
                json_kv_uint(&w, "value", a->reasons[i].value);
                json_kv_uint(&w, "limit", a->reasons[i].limit);
                json_object_end(&w);
        }
        json_array_end(&w);
        json_key(&w, "profiles");
        json_array_begin(&w);
        for (size_t i = 0; i < s->n_space_infos; i++) {
                json_object_begin(&w);
                json_kv_string(&w, "type", btrfs_type_name(s->space_infos[i].flags));
                json_kv_string(&w, "profile", btrfs_profile_name(s->space_infos[i].flags));
                json_kv_uint(&w, "size", s->space_infos[i].total);
                json_kv_uint(&w, "used", s->space_infos[i].used);
                json_object_end(&w);
        }
        json_array_end(&w);
        json_key(&w, "devices");
        json_array_begin(&w);
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct fsd_btrfs_device *d = &s->devices[i];
                json_object_begin(&w);
                json_kv_uint(&w, "devid", d->devid);
                json_kv_string(&w, "path", d->path);
                json_kv_uint(&w, "size", d->size);
                json_kv_uint(&w, "unallocated", d->size > d->allocated ? d->size - d->allocated : 0);
                json_kv_bool(&w, "missing", d->missing);
                json_object_end(&w);
        }
        json_array_end(&w);
        json_kv_uint(&w, "global_reserve", s->global_reserve);
        json_kv_uint(&w, "global_reserve_used", s->global_reserve_used);
        json_kv_uint(&w, "unallocated", a->unallocated);
        json_kv_uint(&w, "metadata_chunk_need", a->metadata_chunk_need);
        json_kv_uint(&w, "headroom_target", a->headroom_target);
        json_kv_uint(&w, "metadata_free", a->metadata_free);
        json_kv_uint(&w, "metadata_from_unallocated", sm->metadata_from_unallocated);
        json_kv_int(&w, "metadata_headroom", sm->metadata_headroom);
        if (fc) {
                json_key(&w, "forecast");
                json_object_begin(&w);
                json_kv_bool(&w, "valid", fc->valid);
                json_kv_uint(&w, "points", fc->n_points);
                if (fc->valid) {
                        json_key(&w, "slope");
                        json_double(&w, round(fc->slope));
                        json_key(&w, "slope_low");
                        json_double(&w, round(fc->slope_low));
                        json_key(&w, "slope_high");
                        json_double(&w, round(fc->slope_high));
                        json_seconds(&w, "seconds_to_exhaustion", fc->eta);
                        json_seconds(&w, "seconds_to_exhaustion_early", fc->eta_early);
                        json_seconds(&w, "seconds_to_exhaustion_late", fc->eta_late);
                }
                json_object_end(&w);
        }
        json_object_end(&w);
        if (strbuf_failed(&b)) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        *ret_json = strbuf_steal(&b);
        return *ret_json ? 0 : -ENOMEM;
}
