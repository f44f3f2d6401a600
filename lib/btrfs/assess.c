/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From a space model to what an operator needs: btrfs-progs' "Overall" numbers, a block-group
 * usage histogram, the risk of a metadata ENOSPC transaction abort, and the smallest balance
 * that gives the allocator room again.
 *
 * Why these rules: a btrfs transaction aborts with ENOSPC (and the fs goes read-only) when a
 * metadata reservation that must not fail - running delayed refs, updating block-group items -
 * finds neither free metadata space nor unallocated device space for a new metadata chunk, and
 * the global reserve is exhausted. Free space inside data block groups does not help metadata.
 * So the verdict asks: can a new metadata chunk still be allocated (for DUP twice its size on
 * one device, for RAID1 on two devices), and how far is metadata free space from the global
 * reserve. Kernels before 5.0 run delayed refs out of the global reserve itself (the
 * delayed-refs reserve arrived in 5.0), which is the seed case's path.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "basic/cleanup.h"
#include "basic/strbuf.h"
#include "btrfs/space-model.h"

#define SZ_1M (UINT64_C(1) << 20)
#define SZ_16M (UINT64_C(16) << 20)
#define SZ_256M (UINT64_C(256) << 20)
#define SZ_1G (UINT64_C(1) << 30)
/* btrfs-progs ignores unallocated space below this in "Free (estimated)" */
#define MIN_UNALLOCATED_THRESH SZ_16M

static bool is_raid56(uint64_t flags) {
        return flags & (FSD_BTRFS_BG_RAID5 | FSD_BTRFS_BG_RAID6);
}

static unsigned present_devices(const struct fsd_btrfs_space *s) {
        unsigned n = 0;
        for (size_t i = 0; i < s->n_devices; i++)
                n += !s->devices[i].missing;
        return n;
}

/* Raw bytes per logical byte. RAID5/6 depend on the stripe count, which the model does not
 * keep: assume chunks span all present devices (what the allocator does when sizes are equal). */
static double profile_ratio(const struct fsd_btrfs_space *s, uint64_t flags) {
        if (is_raid56(flags)) {
                unsigned n = present_devices(s);
                unsigned parity = (flags & FSD_BTRFS_BG_RAID6) ? 2 : 1;
                if (n <= parity)
                        return 1.0;
                return (double) n / (double) (n - parity);
        }
        return btrfs_profile_ncopies(flags);
}

int fsd_btrfs_usage_overall(const struct fsd_btrfs_space *s, struct fsd_btrfs_usage_overall *ret) {
        if (!s || !ret)
                return -EINVAL;

        uint64_t r_data_chunks = 0, l_data_chunks = 0, r_data_used = 0;
        uint64_t r_meta_chunks = 0, l_meta_chunks = 0, r_meta_used = 0;
        uint64_t r_sys_chunks = 0, r_sys_used = 0;
        double max_ratio = 1.0;
        bool mixed = false;
        uint64_t seen_types = 0;
        bool multiple = false;

        for (size_t i = 0; i < s->n_space_infos; i++) {
                const struct fsd_btrfs_space_info *si = &s->space_infos[i];
                uint64_t f = si->flags;
                if ((f & FSD_BTRFS_BG_DATA) && (f & FSD_BTRFS_BG_METADATA))
                        mixed = true;
                uint64_t type = f & FSD_BTRFS_BG_TYPE_MASK;
                if (seen_types & type)
                        multiple = true;
                seen_types |= type;

                /* progs multiplies by an integer factor; RAID5/6 go through doubles */
                double ratio = profile_ratio(s, f);
                if (ratio > max_ratio)
                        max_ratio = ratio;
                uint64_t r_total, r_used;
                if (is_raid56(f)) {
                        r_total = (uint64_t) ((double) si->total * ratio);
                        r_used = (uint64_t) ((double) si->used * ratio);
                } else {
                        unsigned k = btrfs_profile_ncopies(f);
                        r_total = si->total * k;
                        r_used = si->used * k;
                }
                if (f & FSD_BTRFS_BG_DATA) {
                        r_data_used += r_used;
                        r_data_chunks += r_total;
                        l_data_chunks += si->total;
                }
                if (f & FSD_BTRFS_BG_METADATA) {
                        r_meta_used += r_used;
                        r_meta_chunks += r_total;
                        l_meta_chunks += si->total;
                }
                if (f & FSD_BTRFS_BG_SYSTEM) {
                        r_sys_used += r_used;
                        r_sys_chunks += r_total;
                }
        }

        struct fsd_btrfs_usage_overall o = {
                .global_reserve = s->global_reserve,
                .global_reserve_used = s->global_reserve_used,
                .mixed = mixed,
                .multiple_profiles = multiple,
        };
        for (size_t i = 0; i < s->n_devices; i++) {
                o.device_size += s->devices[i].size;
                if (s->devices[i].missing)
                        o.device_missing += s->devices[i].size;
        }
        o.device_allocated = r_data_chunks + r_sys_chunks;
        o.used = r_data_used + r_sys_used;
        if (!mixed) {
                o.device_allocated += r_meta_chunks;
                o.used += r_meta_used;
        }
        uint64_t r_total_unused = o.device_size - o.device_allocated; /* wraps like progs' u64 */
        o.device_unallocated = (int64_t) r_total_unused;

        o.data_ratio = l_data_chunks ? (double) r_data_chunks / (double) l_data_chunks : 0.0;
        o.metadata_ratio = mixed ? o.data_ratio
                                 : (l_meta_chunks ? (double) r_meta_chunks / (double) l_meta_chunks : 0.0);

        /* the same conversions as btrfs-progs: u64 <- double at each step */
        uint64_t free_est = 0;
        if (o.data_ratio > 0)
                free_est = (uint64_t) ((double) (r_data_chunks - r_data_used) / o.data_ratio);
        if (mixed)
                free_est -= s->global_reserve - s->global_reserve_used;
        uint64_t free_min = free_est;
        if (r_total_unused >= MIN_UNALLOCATED_THRESH && o.data_ratio > 0) {
                free_est = (uint64_t) ((double) free_est + (double) r_total_unused / o.data_ratio);
                free_min = (uint64_t) ((double) free_min + (double) r_total_unused / max_ratio);
        }
        o.free_estimated = free_est;
        o.free_min = free_min;
        *ret = o;
        return 0;
}

const char *fsd_btrfs_risk_name(enum fsd_btrfs_risk r) {
        static const char *const names[] = { "ok", "watch", "high", "critical" };
        if ((unsigned) r >= ELEMENTSOF(names))
                return "unknown";
        return names[r];
}

const char *fsd_btrfs_reason_id(enum fsd_btrfs_reason_code c) {
        static const char *const ids[] = {
                [FSD_BTRFS_REASON_NO_METADATA_CHUNK_ROOM] = "no-metadata-chunk-room",
                [FSD_BTRFS_REASON_LOW_HEADROOM] = "low-headroom",
                [FSD_BTRFS_REASON_METADATA_FREE_BELOW_RESERVE] = "metadata-free-below-reserve",
                [FSD_BTRFS_REASON_METADATA_FREE_NEAR_RESERVE] = "metadata-free-near-reserve",
                [FSD_BTRFS_REASON_RESERVE_IN_USE] = "global-reserve-in-use",
                [FSD_BTRFS_REASON_OLD_KERNEL] = "kernel-without-delayed-refs-reserve",
                [FSD_BTRFS_REASON_DEVICE_MISSING] = "device-missing",
                [FSD_BTRFS_REASON_HEADROOM_OK] = "headroom-ok",
        };
        if ((unsigned) c >= ELEMENTSOF(ids) || !ids[c])
                return "unknown";
        return ids[c];
}

static uint64_t round_up_u64(uint64_t v, uint64_t align) {
        return (v + align - 1) / align * align;
}

/* The kernel's chunk sizing: metadata 256 MiB up to 50 GiB of writable space, else 1 GiB;
 * data stripes up to 1 GiB; every chunk at most 10 % of the filesystem (rounded to 16 MiB). */
static uint64_t ten_percent(uint64_t fs_size) {
        return MAX(round_up_u64(fs_size / 10, SZ_16M), SZ_16M);
}

static uint64_t metadata_chunk_size(uint64_t fs_size) {
        uint64_t def = fs_size > (UINT64_C(50) << 30) ? SZ_1G : SZ_256M;
        return MIN(def, ten_percent(fs_size));
}

static uint64_t data_chunk_size(uint64_t fs_size) {
        return MIN(SZ_1G, ten_percent(fs_size));
}

static int cmp_u64_desc(const void *a, const void *b) {
        uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
        return (x < y) - (x > y);
}

/* Can the allocator place one chunk of this logical size and profile on the devices' free
 * space? Mirrors the per-device stripe rules: DUP puts both copies on one device, RAID1* need
 * that many devices, striped profiles spread over as many devices as have room. */
static bool chunk_fits(const struct fsd_btrfs_space *s, uint64_t flags, uint64_t chunk) {
        uint64_t free_dev[64];
        size_t n = 0;
        for (size_t i = 0; i < s->n_devices && n < ELEMENTSOF(free_dev); i++) {
                const struct fsd_btrfs_device *d = &s->devices[i];
                if (d->missing || d->size <= d->allocated)
                        continue;
                free_dev[n++] = d->size - d->allocated;
        }
        qsort(free_dev, n, sizeof free_dev[0], cmp_u64_desc);

        uint64_t profile = flags & BTRFS_PROFILE_MASK;
        switch (profile) {
        case 0:
                return n >= 1 && free_dev[0] >= chunk;
        case FSD_BTRFS_BG_DUP:
                return n >= 1 && free_dev[0] >= 2 * chunk;
        case FSD_BTRFS_BG_RAID1:
        case FSD_BTRFS_BG_RAID1C3:
        case FSD_BTRFS_BG_RAID1C4: {
                unsigned k = btrfs_profile_ncopies(flags);
                return n >= k && free_dev[k - 1] >= chunk;
        }
        default: {
                /* striped: try every device count the profile allows, widest first */
                unsigned min_devs = profile == FSD_BTRFS_BG_RAID10 ? 4 :
                                    profile == FSD_BTRFS_BG_RAID6 ? 3 : 2;
                for (size_t k = n; k >= min_devs; k--) {
                        uint64_t data_stripes = profile == FSD_BTRFS_BG_RAID10 ? k / 2 :
                                                profile == FSD_BTRFS_BG_RAID5 ? k - 1 :
                                                profile == FSD_BTRFS_BG_RAID6 ? k - 2 : k;
                        if (data_stripes == 0)
                                continue;
                        uint64_t stripe = (chunk + data_stripes - 1) / data_stripes;
                        if (free_dev[k - 1] >= stripe)
                                return true;
                }
                return false;
        }
        }
}

/* 1 when the kernel has the delayed-refs block reserve (5.0+), 0 when older, -1 unknown. */
static int kernel_has_delayed_refs_rsv(const char *release) {
        unsigned major, minor;
        if (!release || sscanf(release, "%u.%u", &major, &minor) != 2)
                return -1;
        return major >= 5;
}

static void add_reason(struct fsd_btrfs_assessment *a, enum fsd_btrfs_reason_code code,
                       enum fsd_btrfs_risk level, uint64_t value, uint64_t limit) {
        if (a->n_reasons >= ELEMENTSOF(a->reasons))
                return;
        a->reasons[a->n_reasons++] = (struct fsd_btrfs_reason) {
                .code = code, .level = level, .value = value, .limit = limit,
        };
        if (level > a->risk)
                a->risk = level;
}

static void fill_histogram(const struct fsd_btrfs_space *s, struct fsd_btrfs_assessment *a) {
        for (size_t i = 0; i < s->n_block_groups; i++) {
                const struct fsd_btrfs_block_group *bg = &s->block_groups[i];
                int row = (bg->flags & FSD_BTRFS_BG_DATA) ? FSD_BTRFS_HIST_DATA :
                          (bg->flags & FSD_BTRFS_BG_METADATA) ? FSD_BTRFS_HIST_METADATA :
                          FSD_BTRFS_HIST_SYSTEM;
                unsigned bucket = 9;
                if (bg->length > 0 && bg->used < bg->length)
                        bucket = (unsigned) MIN((bg->used * 10) / bg->length, 9);
                a->histogram[row][bucket]++;
        }
}

static int cmp_bg_by_use(const void *x, const void *y) {
        const struct fsd_btrfs_block_group *a = *(const struct fsd_btrfs_block_group *const *) x;
        const struct fsd_btrfs_block_group *b = *(const struct fsd_btrfs_block_group *const *) y;
        /* compare used/length without division: a.used * b.length vs b.used * a.length */
        __uint128_t l = (__uint128_t) a->used * b->length, r = (__uint128_t) b->used * a->length;
        if (l != r)
                return l < r ? -1 : 1;
        return (a->start > b->start) - (a->start < b->start);
}

static int cmp_bg_by_start(const void *x, const void *y) {
        const struct fsd_btrfs_block_group *a = x, *b = y;
        return (a->start > b->start) - (a->start < b->start);
}

/* The kernel's usage filter: a group is picked when used < length * N / 100 (N = 0: empty). */
static bool usage_filter_picks(const struct fsd_btrfs_block_group *bg, unsigned n) {
        uint64_t thresh = n == 0 ? 1 : (uint64_t) ((__uint128_t) bg->length * n / 100);
        return bg->used < thresh;
}

static int plan_commands(struct fsd_btrfs_reclaim_plan *p, const struct fsd_btrfs_space *s,
                         const char *mount_path, bool mixed) {
        const char *path = mount_path ? mount_path : "MOUNTPOINT";
        /* With mixed block groups btrfs balance insists on identical -d and -m filters. */
        size_t max_cmds = p->n_block_groups ? p->n_block_groups : 1;
        p->commands = calloc(max_cmds, sizeof *p->commands);
        if (!p->commands)
                return -ENOMEM;

        struct strbuf b = STRBUF_INIT;
        if (p->usage_filter >= 0) {
                if (mixed)
                        strbuf_printf(&b, "btrfs balance start -dusage=%d -musage=%d %s",
                                      p->usage_filter, p->usage_filter, path);
                else
                        strbuf_printf(&b, "btrfs balance start -dusage=%d %s", p->usage_filter, path);
                p->commands[p->n_commands++] = strbuf_steal(&b);
                return p->commands[0] ? 0 : -ENOMEM;
        }

        /* contiguous among the data groups: one vrange covers them all */
        const struct fsd_btrfs_block_group *first = &p->block_groups[0];
        const struct fsd_btrfs_block_group *last = &p->block_groups[p->n_block_groups - 1];
        size_t between = 0;
        for (size_t i = 0; i < s->n_block_groups; i++) {
                const struct fsd_btrfs_block_group *bg = &s->block_groups[i];
                if ((bg->flags & FSD_BTRFS_BG_DATA) && bg->start >= first->start && bg->start <= last->start)
                        between++;
        }
        size_t ranges = between == p->n_block_groups ? 1 : p->n_block_groups;
        for (size_t i = 0; i < ranges; i++) {
                uint64_t vstart = p->block_groups[i].start;
                uint64_t vend = ranges == 1 ? last->start + last->length
                                            : p->block_groups[i].start + p->block_groups[i].length;
                if (mixed)
                        strbuf_printf(&b, "btrfs balance start -dvrange=%" PRIu64 "..%" PRIu64
                                      " -mvrange=%" PRIu64 "..%" PRIu64 " %s", vstart, vend, vstart, vend, path);
                else
                        strbuf_printf(&b, "btrfs balance start -dvrange=%" PRIu64 "..%" PRIu64 " %s",
                                      vstart, vend, path);
                char *cmd = strbuf_steal(&b);
                if (!cmd)
                        return -ENOMEM;
                p->commands[p->n_commands++] = cmd;
        }
        return 0;
}

static int make_plan(struct fsd_btrfs_assessment *a, const struct fsd_btrfs_space *s,
                     const char *mount_path, bool mixed) {
        struct fsd_btrfs_reclaim_plan *p = &a->plan;
        p->usage_filter = -1;
        p->target_unallocated = a->headroom_target;
        if (a->unallocated >= a->headroom_target && a->metadata_chunk_fits)
                return 0;
        p->needed = true;
        p->reclaim_needed = a->headroom_target > a->unallocated ? a->headroom_target - a->unallocated : 0;
        /* room exists in total but not where the metadata profile needs it: at least one group */
        if (p->reclaim_needed == 0)
                p->reclaim_needed = 1;

        size_t n_data = 0;
        for (size_t i = 0; i < s->n_block_groups; i++)
                n_data += !!(s->block_groups[i].flags & FSD_BTRFS_BG_DATA);
        if (n_data == 0)
                return 0;
        _cleanup_free_ const struct fsd_btrfs_block_group **order = calloc(n_data, sizeof *order);
        if (!order)
                return -ENOMEM;
        uint64_t data_free_total = 0;
        n_data = 0;
        for (size_t i = 0; i < s->n_block_groups; i++)
                if (s->block_groups[i].flags & FSD_BTRFS_BG_DATA) {
                        order[n_data++] = &s->block_groups[i];
                        data_free_total += s->block_groups[i].length - MIN(s->block_groups[i].used,
                                                                            s->block_groups[i].length);
                }
        qsort(order, n_data, sizeof *order, cmp_bg_by_use);

        /* Least used first. Each relocated group's data must fit in the free space of the groups
         * that stay; a full group gains nothing, so stop before one. */
        size_t k = 0;
        uint64_t moved = 0, freed_in_selected = 0, reclaimed = 0;
        while (k < n_data && reclaimed < p->reclaim_needed) {
                const struct fsd_btrfs_block_group *bg = order[k];
                if (bg->used >= bg->length)
                        break;
                uint64_t room_left = data_free_total - freed_in_selected - (bg->length - bg->used);
                if (moved + bg->used > room_left)
                        break;
                moved += bg->used;
                freed_in_selected += bg->length - bg->used;
                reclaimed += bg->length * btrfs_profile_ncopies(bg->flags);
                p->bytes_to_move_raw += bg->used * btrfs_profile_ncopies(bg->flags);
                k++;
        }
        if (k == 0)
                return 0;
        p->feasible = reclaimed >= p->reclaim_needed;
        p->reclaimed = reclaimed;
        p->bytes_to_move = moved;

        struct fsd_btrfs_block_group *sel = calloc(k, sizeof *sel);
        if (!sel)
                return -ENOMEM;
        for (size_t i = 0; i < k; i++)
                sel[i] = *order[i];
        qsort(sel, k, sizeof *sel, cmp_bg_by_start);
        p->block_groups = sel;
        p->n_block_groups = k;

        /* a usage filter is the simplest command, if some N picks exactly the selected groups */
        for (unsigned n = 0; n <= 100; n++) {
                bool all_selected = true;
                for (size_t i = 0; i < k && all_selected; i++)
                        all_selected = usage_filter_picks(&sel[i], n);
                if (!all_selected)
                        continue;
                size_t picked = 0;
                for (size_t i = 0; i < n_data; i++)
                        picked += usage_filter_picks(order[i], n);
                if (picked == k)
                        p->usage_filter = (int) n;
                break;
        }
        return plan_commands(p, s, mount_path, mixed);
}

struct fsd_btrfs_assessment *fsd_btrfs_assessment_free(struct fsd_btrfs_assessment *a) {
        if (!a)
                return NULL;
        for (size_t i = 0; i < a->plan.n_commands; i++)
                free(a->plan.commands[i]);
        free(a->plan.commands);
        free((void *) a->plan.block_groups);
        free(a);
        return NULL;
}

DEFINE_FREEP(struct fsd_btrfs_assessment, fsd_btrfs_assessment_free)

int fsd_btrfs_assess(const struct fsd_btrfs_space *s, const struct fsd_btrfs_assess_opts *opts,
                     struct fsd_btrfs_assessment **ret_assessment) {
        if (!s || !ret_assessment || (opts && opts->sz < sizeof(size_t)))
                return -EINVAL;
        const char *release = s->kernel_release;
        const char *mount_path = NULL;
        if (opts && opts->sz >= offsetof(struct fsd_btrfs_assess_opts, kernel_release) + sizeof(char *) &&
            opts->kernel_release)
                release = opts->kernel_release;
        if (opts && opts->sz >= offsetof(struct fsd_btrfs_assess_opts, mount_path) + sizeof(char *))
                mount_path = opts->mount_path;

        _cleanup_(fsd_btrfs_assessment_freep) struct fsd_btrfs_assessment *a = calloc(1, sizeof *a);
        if (!a)
                return -ENOMEM;
        snprintf(a->kernel_release, sizeof a->kernel_release, "%s", release ? release : "");

        bool mixed = false;
        uint64_t largest = 0;
        for (size_t i = 0; i < s->n_space_infos; i++) {
                const struct fsd_btrfs_space_info *si = &s->space_infos[i];
                if (!(si->flags & FSD_BTRFS_BG_METADATA))
                        continue;
                mixed |= !!(si->flags & FSD_BTRFS_BG_DATA);
                a->metadata_total += si->total;
                a->metadata_used += si->used;
                /* two profiles only during a convert: take the one holding most as the profile
                 * new chunks get */
                if (!a->metadata_flags || si->total > largest) {
                        a->metadata_flags = si->flags;
                        largest = si->total;
                }
        }
        a->metadata_free = a->metadata_total > a->metadata_used ? a->metadata_total - a->metadata_used : 0;
        a->global_reserve = s->global_reserve;
        a->global_reserve_used = s->global_reserve_used;
        a->global_reserve_exact = s->global_reserve_exact;

        uint64_t fs_size = 0;
        unsigned missing = 0;
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct fsd_btrfs_device *d = &s->devices[i];
                fs_size += d->size;
                if (d->missing) {
                        missing++;
                        continue;
                }
                if (d->size > d->allocated)
                        a->unallocated += d->size - d->allocated;
        }

        uint64_t data_flags = FSD_BTRFS_BG_DATA;
        largest = 0;
        for (size_t i = 0; i < s->n_space_infos; i++)
                if ((s->space_infos[i].flags & FSD_BTRFS_BG_DATA) && s->space_infos[i].total >= largest) {
                        data_flags = s->space_infos[i].flags;
                        largest = s->space_infos[i].total;
                }

        a->metadata_chunk_size = metadata_chunk_size(fs_size);
        a->metadata_chunk_need = a->metadata_chunk_size * btrfs_profile_ncopies(a->metadata_flags);
        a->metadata_chunk_fits = chunk_fits(s, a->metadata_flags, a->metadata_chunk_size);
        a->data_chunk_size = data_chunk_size(fs_size);
        a->headroom_target = mixed ? a->metadata_chunk_need * 2
                                   : a->metadata_chunk_need + a->data_chunk_size * btrfs_profile_ncopies(data_flags);
        a->kernel_has_delayed_refs_rsv = kernel_has_delayed_refs_rsv(a->kernel_release);

        fill_histogram(s, a);

        /* the verdict: each finding names the level it calls for; the worst wins */
        uint64_t rsv = a->global_reserve;
        if (!a->metadata_chunk_fits) {
                add_reason(a, FSD_BTRFS_REASON_NO_METADATA_CHUNK_ROOM, FSD_BTRFS_RISK_HIGH,
                           a->unallocated, a->metadata_chunk_need);
                if (a->metadata_free < rsv)
                        add_reason(a, FSD_BTRFS_REASON_METADATA_FREE_BELOW_RESERVE, FSD_BTRFS_RISK_CRITICAL,
                                   a->metadata_free, rsv);
                else if (a->metadata_free < 2 * rsv)
                        /* 4.19 refuses metadata overcommit from here on */
                        add_reason(a, FSD_BTRFS_REASON_METADATA_FREE_NEAR_RESERVE, FSD_BTRFS_RISK_CRITICAL,
                                   a->metadata_free, 2 * rsv);
        } else if (a->unallocated < a->headroom_target)
                add_reason(a, FSD_BTRFS_REASON_LOW_HEADROOM, FSD_BTRFS_RISK_WATCH,
                           a->unallocated, a->headroom_target);
        if (a->global_reserve_exact && a->global_reserve_used > 0)
                add_reason(a, FSD_BTRFS_REASON_RESERVE_IN_USE,
                           a->metadata_chunk_fits ? FSD_BTRFS_RISK_WATCH : FSD_BTRFS_RISK_CRITICAL,
                           a->global_reserve_used, rsv);
        if (missing > 0)
                add_reason(a, FSD_BTRFS_REASON_DEVICE_MISSING, FSD_BTRFS_RISK_WATCH, missing, 0);
        if (a->kernel_has_delayed_refs_rsv == 0) {
                unsigned major = 0, minor = 0;
                sscanf(a->kernel_release, "%u.%u", &major, &minor);
                /* the seed's abort path: one level worse than the space alone says */
                enum fsd_btrfs_risk level = a->risk == FSD_BTRFS_RISK_OK ? FSD_BTRFS_RISK_WATCH :
                                            MIN(a->risk + 1, FSD_BTRFS_RISK_CRITICAL);
                add_reason(a, FSD_BTRFS_REASON_OLD_KERNEL, level, (uint64_t) major * 1000 + minor, 5000);
        }
        if (a->n_reasons == 0)
                add_reason(a, FSD_BTRFS_REASON_HEADROOM_OK, FSD_BTRFS_RISK_OK, a->unallocated, a->headroom_target);

        int r = make_plan(a, s, mount_path, mixed);
        if (r < 0)
                return r;
        *ret_assessment = TAKE_PTR(a);
        return 0;
}
