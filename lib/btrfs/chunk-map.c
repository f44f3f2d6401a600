/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "btrfs/accessors.h"
#include "btrfs/offline-internal.h"
#include "fsdoctor.h"

int btrfs_detail(char **reterr, int err, const char *fmt, ...) {
        va_list ap;

        if (!reterr || *reterr)
                return err;
        va_start(ap, fmt);
        if (vasprintf(reterr, fmt, ap) < 0)
                *reterr = NULL;
        va_end(ap);
        return err;
}

void btrfs_chunk_map_done(struct btrfs_chunk_map *map) {
        if (!map)
                return;
        free(map->chunks);
        free(map->stripes);
        *map = (struct btrfs_chunk_map) {};
}

static int grow(void **array, size_t *cap, size_t need, size_t elem, size_t limit) {
        if (need <= *cap)
                return 0;
        if (need > limit)
                return -FSD_E_LIMIT;
        size_t n = MAX(*cap * 2, (size_t) 64);
        n = MIN(MAX(n, need), limit);
        void *p = reallocarray(*array, n, elem);
        if (!p)
                return -ENOMEM;
        *array = p;
        *cap = n;
        return 0;
}

/* Copies and parity stripes a profile needs, so a chunk whose stripe count contradicts its
 * profile is rejected before the stripe arithmetic divides by it. */
static int check_profile(uint64_t type, unsigned num_stripes, unsigned sub_stripes) {
        uint64_t profile = type & BTRFS_BLOCK_GROUP_PROFILE_MASK;

        if (profile & (profile - 1))
                return -FSD_E_CORRUPT; /* more than one profile bit */
        switch (profile) {
        case 0: return num_stripes == 1 ? 0 : -FSD_E_CORRUPT;
        case BTRFS_BLOCK_GROUP_DUP: return num_stripes == 2 ? 0 : -FSD_E_CORRUPT;
        case BTRFS_BLOCK_GROUP_RAID1: return num_stripes == 2 ? 0 : -FSD_E_CORRUPT;
        case BTRFS_BLOCK_GROUP_RAID1C3: return num_stripes == 3 ? 0 : -FSD_E_CORRUPT;
        case BTRFS_BLOCK_GROUP_RAID1C4: return num_stripes == 4 ? 0 : -FSD_E_CORRUPT;
        case BTRFS_BLOCK_GROUP_RAID0: return num_stripes >= 1 ? 0 : -FSD_E_CORRUPT;
        case BTRFS_BLOCK_GROUP_RAID10:
                return sub_stripes == 2 && num_stripes >= 2 && num_stripes % 2 == 0 ? 0 : -FSD_E_CORRUPT;
        case BTRFS_BLOCK_GROUP_RAID5: return num_stripes >= 2 ? 0 : -FSD_E_CORRUPT;
        case BTRFS_BLOCK_GROUP_RAID6: return num_stripes >= 3 ? 0 : -FSD_E_CORRUPT;
        default: return -FSD_E_CORRUPT;
        }
}

int btrfs_chunk_map_add_disk(struct btrfs_chunk_map *map, uint64_t logical, const uint8_t *item,
                             size_t avail, size_t *ret_size, char **reterr) {
        const struct btrfs_chunk *c = (const struct btrfs_chunk *) item;
        int r;

        if (avail < sizeof(struct btrfs_chunk))
                return btrfs_detail(reterr, -FSD_E_TRUNCATED,
                                    "chunk item at logical %" PRIu64 " is cut short (%zu bytes)", logical, avail);
        uint64_t length = btrfs_chunk_length(c), stripe_len = btrfs_chunk_stripe_len(c);
        uint64_t type = btrfs_chunk_type(c);
        unsigned num_stripes = btrfs_chunk_num_stripes(c), sub_stripes = btrfs_chunk_sub_stripes(c);
        size_t size = sizeof(struct btrfs_chunk) + (size_t) num_stripes * sizeof(struct btrfs_stripe);

        if (num_stripes == 0 || num_stripes > BTRFS_OFFLINE_MAX_STRIPES)
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "chunk at logical %" PRIu64 " has %u stripes", logical, num_stripes);
        if (size > avail)
                return btrfs_detail(reterr, -FSD_E_TRUNCATED,
                                    "chunk at logical %" PRIu64 " needs %zu bytes for %u stripes, item has %zu",
                                    logical, size, num_stripes, avail);
        if (length == 0 || logical + length < logical)
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "chunk at logical %" PRIu64 " has bad length %" PRIu64, logical, length);
        if (stripe_len < 4096 || stripe_len > (UINT64_C(1) << 30) || (stripe_len & (stripe_len - 1)))
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "chunk at logical %" PRIu64 " has bad stripe_len %" PRIu64, logical, stripe_len);
        if (!(type & BTRFS_BLOCK_GROUP_TYPE_MASK) || check_profile(type, num_stripes, sub_stripes) < 0)
                return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                    "chunk at logical %" PRIu64 " has type 0x%" PRIx64 " with %u stripes (%u sub-stripes)",
                                    logical, type, num_stripes, sub_stripes);

        if (map->n_chunks > 0) {
                const struct btrfs_map_chunk *last = &map->chunks[map->n_chunks - 1];
                if (last->logical == logical && last->length == length) {
                        *ret_size = size;
                        return 0;
                }
                if (logical < last->logical + last->length)
                        return btrfs_detail(reterr, -FSD_E_CORRUPT,
                                            "chunk at logical %" PRIu64 " overlaps or precedes chunk %" PRIu64 "+%" PRIu64,
                                            logical, last->logical, last->length);
        }

        r = grow((void **) &map->chunks, &map->cap_chunks, map->n_chunks + 1, sizeof *map->chunks,
                 BTRFS_OFFLINE_MAX_CHUNKS);
        if (r == 0)
                r = grow((void **) &map->stripes, &map->cap_stripes, map->n_stripes + num_stripes,
                         sizeof *map->stripes, (size_t) BTRFS_OFFLINE_MAX_CHUNKS * 4);
        if (r == -FSD_E_LIMIT)
                return btrfs_detail(reterr, r, "more than %u chunks or their stripes: refusing to read further",
                                    BTRFS_OFFLINE_MAX_CHUNKS);
        if (r < 0)
                return r;

        const struct btrfs_stripe *s = (const struct btrfs_stripe *) (item + sizeof(struct btrfs_chunk));
        for (unsigned i = 0; i < num_stripes; i++)
                map->stripes[map->n_stripes + i] = (struct btrfs_map_stripe) {
                        .devid = btrfs_stripe_devid(&s[i]),
                        .offset = btrfs_stripe_offset(&s[i]),
                };
        map->chunks[map->n_chunks++] = (struct btrfs_map_chunk) {
                .logical = logical,
                .length = length,
                .stripe_len = stripe_len,
                .type = type,
                .num_stripes = num_stripes,
                .sub_stripes = sub_stripes,
                .first_stripe = map->n_stripes,
        };
        map->n_stripes += num_stripes;
        *ret_size = size;
        return 0;
}

const struct btrfs_map_chunk *btrfs_chunk_map_find(const struct btrfs_chunk_map *map, uint64_t logical) {
        size_t lo = 0, hi = map->n_chunks;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                const struct btrfs_map_chunk *c = &map->chunks[mid];
                if (logical < c->logical)
                        hi = mid;
                else if (logical - c->logical >= c->length)
                        lo = mid + 1;
                else
                        return c;
        }
        return NULL;
}

unsigned btrfs_chunk_num_copies(const struct btrfs_map_chunk *c) {
        switch (c->type & BTRFS_BLOCK_GROUP_PROFILE_MASK) {
        case BTRFS_BLOCK_GROUP_DUP:
        case BTRFS_BLOCK_GROUP_RAID1:
        case BTRFS_BLOCK_GROUP_RAID1C3:
        case BTRFS_BLOCK_GROUP_RAID1C4:
                return c->num_stripes;
        case BTRFS_BLOCK_GROUP_RAID10:
                return c->sub_stripes;
        default:
                return 1;
        }
}

int btrfs_chunk_map_stripe(const struct btrfs_chunk_map *map, const struct btrfs_map_chunk *c,
                           uint64_t logical, uint64_t len, unsigned mirror,
                           uint64_t *ret_devid, uint64_t *ret_physical) {
        uint64_t profile = c->type & BTRFS_BLOCK_GROUP_PROFILE_MASK;
        uint64_t off, stripe_nr, in_stripe, row;
        unsigned index;

        if (mirror >= btrfs_chunk_num_copies(c))
                return -ENOENT;
        if (logical < c->logical || logical - c->logical >= c->length || len > c->length - (logical - c->logical))
                return -FSD_E_CORRUPT;
        off = logical - c->logical;
        stripe_nr = off / c->stripe_len;
        in_stripe = off % c->stripe_len;

        switch (profile) {
        case 0:
        case BTRFS_BLOCK_GROUP_DUP:
        case BTRFS_BLOCK_GROUP_RAID1:
        case BTRFS_BLOCK_GROUP_RAID1C3:
        case BTRFS_BLOCK_GROUP_RAID1C4:
                /* every stripe holds the whole chunk */
                index = mirror;
                row = 0;
                in_stripe = off;
                stripe_nr = 0;
                break;
        case BTRFS_BLOCK_GROUP_RAID0:
                index = stripe_nr % c->num_stripes;
                row = stripe_nr / c->num_stripes;
                break;
        case BTRFS_BLOCK_GROUP_RAID10: {
                unsigned groups = c->num_stripes / c->sub_stripes;
                index = (stripe_nr % groups) * c->sub_stripes + mirror;
                row = stripe_nr / groups;
                break;
        }
        case BTRFS_BLOCK_GROUP_RAID5:
        case BTRFS_BLOCK_GROUP_RAID6: {
                unsigned nparity = profile == BTRFS_BLOCK_GROUP_RAID5 ? 1 : 2;
                unsigned data_stripes = c->num_stripes - nparity;
                unsigned data_index = stripe_nr % data_stripes;
                row = stripe_nr / data_stripes;
                /* parity rotates one device per full stripe, and data with it */
                index = (data_index + row) % c->num_stripes;
                break;
        }
        default:
                return -FSD_E_CORRUPT;
        }
        if (profile != 0 && !(profile & (BTRFS_BLOCK_GROUP_DUP | BTRFS_BLOCK_GROUP_RAID1 |
                                         BTRFS_BLOCK_GROUP_RAID1C3 | BTRFS_BLOCK_GROUP_RAID1C4)) &&
            in_stripe + len > c->stripe_len)
                return -FSD_E_CORRUPT; /* a tree block never straddles stripes */
        if (index >= c->num_stripes)
                return -FSD_E_CORRUPT;
        const struct btrfs_map_stripe *s = &map->stripes[c->first_stripe + index];
        uint64_t physical = s->offset + row * c->stripe_len + in_stripe;
        if (physical < s->offset)
                return -FSD_E_CORRUPT;
        *ret_devid = s->devid;
        *ret_physical = physical;
        return 0;
}

const char *btrfs_bg_flags_name(uint64_t flags, char *buf, size_t size) {
        static const struct { uint64_t bit; const char *name; } profiles[] = {
                { BTRFS_BLOCK_GROUP_RAID0, "RAID0" }, { BTRFS_BLOCK_GROUP_RAID1, "RAID1" },
                { BTRFS_BLOCK_GROUP_DUP, "DUP" }, { BTRFS_BLOCK_GROUP_RAID10, "RAID10" },
                { BTRFS_BLOCK_GROUP_RAID5, "RAID5" }, { BTRFS_BLOCK_GROUP_RAID6, "RAID6" },
                { BTRFS_BLOCK_GROUP_RAID1C3, "RAID1C3" }, { BTRFS_BLOCK_GROUP_RAID1C4, "RAID1C4" },
        };
        const char *type, *profile = "single";

        switch (flags & BTRFS_BLOCK_GROUP_TYPE_MASK) {
        case BTRFS_BLOCK_GROUP_DATA: type = "DATA"; break;
        case BTRFS_BLOCK_GROUP_METADATA: type = "METADATA"; break;
        case BTRFS_BLOCK_GROUP_SYSTEM: type = "SYSTEM"; break;
        case BTRFS_BLOCK_GROUP_DATA | BTRFS_BLOCK_GROUP_METADATA: type = "DATA+METADATA"; break;
        default: type = "UNKNOWN"; break;
        }
        for (size_t i = 0; i < ELEMENTSOF(profiles); i++)
                if (flags & profiles[i].bit) {
                        profile = profiles[i].name;
                        break;
                }
        snprintf(buf, size, "%s|%s", type, profile);
        return buf;
}
