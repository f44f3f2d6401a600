/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading btrfs's space dump (fs/btrfs/space-info.c __btrfs_dump_space_info, DUMP_BLOCK_RSV;
 * extent-tree.c btrfs_reserve_extent "allocation failed flags"). Formats:
 *   "space_info METADATA has 242122752 free, is full"            (5.x-6.x; "(sub-group id N)" in 6.x)
 *   "space_info 4 has 0 free, is full"                           (3.x-4.x: the type as flags)
 *   "space_info total=N, used=N, pinned=N, reserved=N, may_use=N, readonly=N[ zone_unusable=N]"
 *   "global_block_rsv: size N reserved N"
 *   "allocation failed flags 36, wanted 16384 ..." */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "btrfs-space.h"
#include "basic/cleanup.h"

void btrfs_block_group_flags_str(uint64_t flags, char *buf, size_t size) {
        static const char *const names[] = { "data", "system", "metadata", "raid0", "raid1", "dup",
                                             "raid10", "raid5", "raid6", "raid1c3", "raid1c4" };
        size_t n = 0;
        if (!size)
                return;
        buf[0] = 0;
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (flags & (UINT64_C(1) << i)) {
                        int k = snprintf(buf + n, size - n, "%s%s", n ? "|" : "", names[i]);
                        if (k < 0 || (size_t) k >= size - n)
                                return;
                        n += (size_t) k;
                }
        /* a type without profile bits is the "single" profile */
        if (n && !(flags & UINT64_C(0x7f8)))
                snprintf(buf + n, size - n, "|single");
}

static bool take_u64(const char **p, uint64_t *ret) {
        char *end;
        if (**p < '0' || **p > '9')
                return false;
        unsigned long long v = strtoull(*p, &end, 10);
        *p = end;
        *ret = v;
        return true;
}

/* "key=N" anywhere after p */
static bool field_u64(const char *p, const char *key, uint64_t *ret) {
        const char *k = strstr(p, key);
        if (!k)
                return false;
        k += strlen(key);
        return take_u64(&k, ret);
}

static struct fsd_btrfs_dump_info *info_slot(struct fsd_btrfs_space_dump *sp, const char *type) {
        for (size_t i = 0; i < sp->n_info; i++)
                if (strcmp(sp->info[i].type, type) == 0)
                        return &sp->info[i];
        if (sp->n_info == FSD_BTRFS_DUMP_MAX_INFO)
                return NULL;
        struct fsd_btrfs_dump_info *si = &sp->info[sp->n_info++];
        *si = (struct fsd_btrfs_dump_info) {};
        snprintf(si->type, sizeof si->type, "%s", type);
        return si;
}

static const char *type_of_flags(uint64_t flags) {
        switch (flags & 7) {
        case 1: return "DATA";
        case 2: return "SYSTEM";
        case 4: return "METADATA";
        case 5: return "DATA+METADATA";
        default: return "UNKNOWN";
        }
}

int btrfs_space_note(struct fsd_btrfs_space_dump *sp, const char *text) {
        const char *p;
        if ((p = strstr(text, "space_info total="))) {
                /* the totals line belongs to the "has N free" line printed just before it */
                if (!sp->n_info)
                        return 0;
                struct fsd_btrfs_dump_info *si = &sp->info[sp->n_info - 1];
                si->have_totals = field_u64(p, "total=", &si->total);
                field_u64(p, "used=", &si->used);
                field_u64(p, "pinned=", &si->pinned);
                field_u64(p, "reserved=", &si->reserved);
                field_u64(p, "may_use=", &si->may_use);
                field_u64(p, "readonly=", &si->readonly);
                return 1;
        }
        if ((p = strstr(text, "space_info "))) {
                const char *has = strstr(p, " has ");
                const char *isw = has ? strstr(has, " free, is ") : NULL;
                if (!isw)
                        return 0;
                const char *t = p + strlen("space_info ");
                char type[16];
                uint64_t flags;
                const char *q = t;
                if (take_u64(&q, &flags) && (*q == ' ' || *q == ','))
                        snprintf(type, sizeof type, "%s", type_of_flags(flags));
                else {
                        size_t n = strcspn(t, " ");
                        snprintf(type, sizeof type, "%.*s", (int) MIN(n, sizeof type - 1), t);
                }
                /* the type moves to the end of the list: the totals line that follows is its */
                struct fsd_btrfs_dump_info *si = info_slot(sp, type);
                if (!si)
                        return 0;
                struct fsd_btrfs_dump_info copy = *si;
                size_t idx = (size_t) (si - sp->info);
                memmove(&sp->info[idx], &sp->info[idx + 1], (sp->n_info - idx - 1) * sizeof *si);
                si = &sp->info[sp->n_info - 1];
                *si = copy;
                si->have_totals = false;
                si->free = strtoll(has + 5, NULL, 10);
                si->full = strncmp(isw + strlen(" free, is "), "not ", 4) != 0;
                return 1;
        }
        if ((p = strstr(text, "_rsv: size "))) {
                const char *name = p;
                while (name > text && name[-1] != ' ' && name[-1] != ':')
                        name--;
                size_t n = (size_t) (p - name) + 4;
                struct fsd_btrfs_dump_rsv *rv = NULL;
                for (size_t i = 0; i < sp->n_rsv && !rv; i++)
                        if (strlen(sp->rsv[i].name) == n && strncmp(sp->rsv[i].name, name, n) == 0)
                                rv = &sp->rsv[i];
                if (!rv) {
                        if (sp->n_rsv == FSD_BTRFS_DUMP_MAX_RSV)
                                return 0;
                        rv = &sp->rsv[sp->n_rsv++];
                        *rv = (struct fsd_btrfs_dump_rsv) {};
                        snprintf(rv->name, sizeof rv->name, "%.*s", (int) MIN(n, sizeof rv->name - 1), name);
                }
                field_u64(p, "size ", &rv->size);
                field_u64(p, "reserved ", &rv->reserved);
                return 1;
        }
        if ((p = strstr(text, "allocation failed flags "))) {
                const char *q = p + strlen("allocation failed flags ");
                if (!take_u64(&q, &sp->alloc_flags))
                        return 0;
                sp->alloc_failed = true;
                return 1;
        }
        return 0;
}
