/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading btrfs-progs output pasted beside a kernel log. The formats (btrfs-progs cmds/filesystem-
 * usage.c and cmds/filesystem.c):
 *   usage:    "Data,RAID1: Size:1.36TiB, Used:1.35TiB (99.00%)"  then "Unallocated:" and one
 *             "   /dev/sdb\t   1.00MiB" line per device
 *   usage -T: a table whose header names the types ("Data Metadata System"), then
 *             "Id Path RAID1 RAID1 RAID1 Unallocated Total Slack" and " 1 /dev/sdb ... " rows
 *   df:       "Metadata, RAID1: total=3.00GiB, used=2.90GiB"
 *   show:     "\tdevid    1 size 1.82TiB used 1.82TiB path /dev/sdb" (used = allocated)
 * Lines are matched on these literal shapes only; anything else leaves the state unchanged or
 * resets it, and nothing here can fail. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "btrfs-paste.h"
#include "basic/cleanup.h"

#define PASTE_MAX_TOKENS 16

struct token {
        const char *p;
        size_t n;
};

static size_t tokenize(const char *s, size_t len, struct token *tok, size_t max) {
        size_t n = 0, i = 0;
        while (i < len && n < max) {
                while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
                        i++;
                if (i >= len)
                        break;
                size_t start = i;
                while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != ',')
                        i++;
                tok[n++] = (struct token) { s + start, i - start };
        }
        return n;
}

static bool tok_is(const struct token *t, const char *lit) {
        return t->n == strlen(lit) && strncasecmp(t->p, lit, t->n) == 0;
}

bool btrfs_paste_size(const char *s, size_t n, uint64_t *ret) {
        static const struct {
                const char *unit;
                double mult;
        } units[] = {
                { "B", 1.0 },
                { "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 },
                { "TiB", 1099511627776.0 }, { "PiB", 1125899906842624.0 }, { "EiB", 1152921504606846976.0 },
                { "kB", 1e3 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 }, { "TB", 1e12 }, { "PB", 1e15 },
                { "EB", 1e18 },
        };
        char buf[32];
        if (n == 0 || n >= sizeof buf || !isdigit((unsigned char) s[0]))
                return false;
        memcpy(buf, s, n);
        buf[n] = 0;
        char *end;
        double v = strtod(buf, &end);
        if (end == buf || v < 0)
                return false;
        double mult = 0;
        if (!*end)
                mult = 1.0;
        for (size_t i = 0; i < ELEMENTSOF(units) && mult == 0; i++)
                if (strcmp(end, units[i].unit) == 0)
                        mult = units[i].mult;
        if (mult == 0 || v * mult >= 1.8e19)
                return false;
        *ret = (uint64_t) (v * mult);
        return true;
}

unsigned btrfs_profile_devs_min(const char *profile) {
        static const struct {
                const char *name;
                unsigned devs_min;
        } table[] = {
                { "single", 1 }, { "dup", 1 }, { "raid0", 1 }, { "raid1", 2 }, { "raid10", 2 },
                { "raid1c3", 3 }, { "raid1c4", 4 }, { "raid5", 2 }, { "raid6", 3 },
        };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (strcasecmp(profile, table[i].name) == 0)
                        return table[i].devs_min;
        return 0;
}

static void set_profile(struct fsd_btrfs_space_dump *d, const char *type, size_t type_n, const char *prof,
                        size_t prof_n) {
        char *dst = NULL;
        if (type_n == 4 && strncasecmp(type, "Data", 4) == 0)
                dst = d->data_profile;
        else if (type_n == 8 && strncasecmp(type, "Metadata", 8) == 0)
                dst = d->metadata_profile;
        else if (type_n == 6 && strncasecmp(type, "System", 6) == 0)
                dst = d->system_profile;
        if (!dst || prof_n == 0 || prof_n >= sizeof d->data_profile)
                return;
        for (size_t i = 0; i < prof_n; i++)
                dst[i] = (char) tolower((unsigned char) prof[i]);
        dst[prof_n] = 0;
        if (!btrfs_profile_devs_min(dst))
                dst[0] = 0;
}

static void set_device(struct fsd_btrfs_space_dump *d, const struct token *path, uint64_t unallocated) {
        char name[sizeof d->devices[0].path];
        if (path->n == 0 || path->n >= sizeof name)
                return;
        memcpy(name, path->p, path->n);
        name[path->n] = 0;
        for (size_t i = 0; i < d->n_devices; i++)
                if (strcmp(d->devices[i].path, name) == 0) {
                        d->devices[i].unallocated = unallocated;
                        return;
                }
        if (d->n_devices == FSD_BTRFS_DUMP_MAX_DEVICES)
                return;
        memcpy(d->devices[d->n_devices].path, name, path->n + 1);
        d->devices[d->n_devices++].unallocated = unallocated;
}

static bool is_path(const struct token *t) {
        return t->n > 1 && t->p[0] == '/';
}

/* "Data,RAID1: Size:..." (usage) or "Data, RAID1: total=..." (df): the type and its profile */
static bool note_chunk_line(struct btrfs_paste *p, const char *s, size_t len) {
        const char *comma = memchr(s, ',', len);
        if (!comma)
                return false;
        const char *type = s;
        size_t type_n = (size_t) (comma - s);
        if (!(type_n == 4 && strncmp(type, "Data", 4) == 0) && !(type_n == 8 && strncmp(type, "Metadata", 8) == 0) &&
            !(type_n == 6 && strncmp(type, "System", 6) == 0))
                return false;
        const char *q = comma + 1, *end = s + len;
        while (q < end && *q == ' ')
                q++;
        const char *colon = memchr(q, ':', (size_t) (end - q));
        if (!colon || (!memmem(colon, (size_t) (end - colon), "Size:", 5) && !memmem(colon, (size_t) (end - colon), "total=", 6)))
                return false;
        set_profile(&p->dump, type, type_n, q, (size_t) (colon - q));
        p->seen = true;
        return true;
}

/* "\tdevid    1 size 1.82TiB used 1.82TiB path /dev/sdb" */
static bool note_show_line(struct btrfs_paste *p, const struct token *t, size_t n) {
        uint64_t size, used;
        if (n < 8 || !tok_is(&t[0], "devid") || !tok_is(&t[2], "size") || !tok_is(&t[4], "used") ||
            !tok_is(&t[6], "path") || !btrfs_paste_size(t[3].p, t[3].n, &size) ||
            !btrfs_paste_size(t[5].p, t[5].n, &used) || !is_path(&t[7]))
                return false;
        set_device(&p->dump, &t[7], size > used ? size - used : 0);
        p->seen = true;
        return true;
}

void btrfs_paste_note(struct btrfs_paste *p, const char *text, size_t len) {
        /* a pasted line keeps its indentation; a log line's text has none */
        while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r'))
                len--;
        size_t lead = 0;
        while (lead < len && (text[lead] == ' ' || text[lead] == '\t'))
                lead++;
        const char *s = text + lead;
        size_t n = len - lead;
        struct token t[PASTE_MAX_TOKENS];
        size_t nt = tokenize(s, n, t, PASTE_MAX_TOKENS);

        if (p->state == PASTE_UNALLOCATED) {
                uint64_t v;
                if (nt == 2 && is_path(&t[0]) && btrfs_paste_size(t[1].p, t[1].n, &v)) {
                        set_device(&p->dump, &t[0], v);
                        return;
                }
                p->state = PASTE_NONE;
        } else if (p->state == PASTE_TABLE) {
                uint64_t v;
                int col = p->table_unallocated_col;
                if (nt >= 2 && isdigit((unsigned char) t[0].p[0]) && is_path(&t[1])) {
                        if (col > 0 && (size_t) col + 1 < nt && btrfs_paste_size(t[col + 1].p, t[col + 1].n, &v))
                                set_device(&p->dump, &t[1], v);
                        return;
                }
                if (nt >= 1 && t[0].p[0] == '-')
                        return; /* the "-- ----" rule under the header, or the one above the totals */
                p->state = PASTE_NONE;
        }
        if (nt == 0)
                return;
        if (nt == 1 && tok_is(&t[0], "Unallocated:")) {
                p->state = PASTE_UNALLOCATED;
                p->seen = true;
                return;
        }
        if (note_chunk_line(p, s, n) || note_show_line(p, t, nt))
                return;
        /* -T: the type line ("Data Metadata System") comes just before "Id Path <profiles> Unallocated" */
        if (nt >= 2 && nt <= 3 && tok_is(&t[0], "Data") && tok_is(&t[1], "Metadata")) {
                p->table_types = nt;
                for (size_t i = 0; i < nt; i++)
                        snprintf(p->table_type_names[i], sizeof p->table_type_names[i], "%.*s", (int) t[i].n, t[i].p);
                return;
        }
        if (nt >= 4 && tok_is(&t[0], "Id") && tok_is(&t[1], "Path")) {
                p->table_unallocated_col = 0;
                for (size_t i = 2; i < nt; i++) {
                        if (tok_is(&t[i], "Unallocated")) {
                                p->table_unallocated_col = (int) (i - 1);
                                break;
                        }
                        if (i - 2 < p->table_types)
                                set_profile(&p->dump, p->table_type_names[i - 2], strlen(p->table_type_names[i - 2]),
                                            t[i].p, t[i].n);
                }
                if (p->table_unallocated_col > 0) {
                        p->state = PASTE_TABLE;
                        p->seen = true;
                }
        }
}

void btrfs_paste_apply(const struct btrfs_paste *p, struct fsd_btrfs_space_dump *sp) {
        if (!p->seen)
                return;
        memcpy(sp->devices, p->dump.devices, sizeof sp->devices);
        sp->n_devices = p->dump.n_devices;
        if (p->dump.data_profile[0])
                memcpy(sp->data_profile, p->dump.data_profile, sizeof sp->data_profile);
        if (p->dump.metadata_profile[0])
                memcpy(sp->metadata_profile, p->dump.metadata_profile, sizeof sp->metadata_profile);
        if (p->dump.system_profile[0])
                memcpy(sp->system_profile, p->dump.system_profile, sizeof sp->system_profile);
}
