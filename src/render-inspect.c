/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `fsdoctor inspect` as text: btrfs-progs-like overview, histogram, verdict and plan. */
#include <inttypes.h>
#include <string.h>
#include "render-inspect.h"
#include "shared/i18n.h"

#define LABEL_WIDTH 22

static const char *profile_name(uint64_t flags) {
        static const struct { uint64_t bit; const char *name; } names[] = {
                { FSD_BTRFS_BG_RAID0, "RAID0" },     { FSD_BTRFS_BG_RAID1, "RAID1" },
                { FSD_BTRFS_BG_DUP, "DUP" },         { FSD_BTRFS_BG_RAID10, "RAID10" },
                { FSD_BTRFS_BG_RAID5, "RAID5" },     { FSD_BTRFS_BG_RAID6, "RAID6" },
                { FSD_BTRFS_BG_RAID1C3, "RAID1C3" }, { FSD_BTRFS_BG_RAID1C4, "RAID1C4" },
        };
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
                if (flags & names[i].bit)
                        return names[i].name;
        return "single";
}

static const char *type_label(uint64_t flags) {
        switch (flags & FSD_BTRFS_BG_TYPE_MASK) {
        case FSD_BTRFS_BG_DATA: return _("Data");
        case FSD_BTRFS_BG_METADATA: return _("Metadata");
        case FSD_BTRFS_BG_SYSTEM: return _("System");
        case FSD_BTRFS_BG_DATA | FSD_BTRFS_BG_METADATA: return _("Data+Metadata");
        default: return "?";
        }
}

/* Columns count display cells, not bytes: CJK characters take two. */
static size_t display_width(const char *s) {
        size_t w = 0;
        for (const unsigned char *p = (const unsigned char *) s; *p;) {
                unsigned cp;
                int len;
                if (*p < 0x80) { cp = *p; len = 1; }
                else if ((*p & 0xe0) == 0xc0) { cp = *p & 0x1f; len = 2; }
                else if ((*p & 0xf0) == 0xe0) { cp = *p & 0x0f; len = 3; }
                else { cp = *p & 0x07; len = 4; }
                for (int i = 1; i < len && p[i]; i++)
                        cp = (cp << 6) | (p[i] & 0x3f);
                for (int i = 0; i < len && *p; i++)
                        p++;
                w += (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) ||
                                        (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
                                        (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
                                        (cp >= 0xffe0 && cp <= 0xffe6))) ? 2 : 1;
        }
        return w;
}

static void put_padded(FILE *f, const char *s, size_t width) {
        fputs(s, f);
        for (size_t w = display_width(s); w < width; w++)
                fputc(' ', f);
}

/* btrfs-progs' pretty_size: binary units, two decimals */
static const char *size_str(const struct inspect_render_opts *o, uint64_t v, char buf[32]) {
        if (o->bytes) {
                snprintf(buf, 32, "%" PRIu64, v);
                return buf;
        }
        static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
        unsigned u = 0;
        double d = (double) v;
        while (d >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
                d /= 1024.0;
                u++;
        }
        snprintf(buf, 32, "%.2f%s", d, units[u]);
        return buf;
}

static const char *ssize_str(const struct inspect_render_opts *o, int64_t v, char buf[32]) {
        if (v >= 0)
                return size_str(o, (uint64_t) v, buf);
        char tmp[32];
        size_str(o, (uint64_t) -v, tmp);
        buf[0] = '-';
        memcpy(buf + 1, tmp, 30);
        buf[31] = '\0';
        return buf;
}

static void overall_line(const struct inspect_render_opts *o, const char *label, const char *value,
                         const char *extra) {
        fputs("    ", o->out);
        put_padded(o->out, label, LABEL_WIDTH);
        fprintf(o->out, "%18s", value);
        if (extra)
                fprintf(o->out, "  %s", extra);
        fputc('\n', o->out);
}

static void render_overall(const struct inspect_render_opts *o, const struct fsd_btrfs_space *s) {
        struct fsd_btrfs_usage_overall u;
        if (fsd_btrfs_usage_overall(s, &u) < 0)
                return;
        char b1[32], b2[32], extra[96];
        fprintf(o->out, "%s%s%s\n", o->pal->bold, _("Overall:"), o->pal->reset);
        overall_line(o, _("Device size:"), size_str(o, u.device_size, b1), NULL);
        overall_line(o, _("Device allocated:"), size_str(o, u.device_allocated, b1), NULL);
        overall_line(o, _("Device unallocated:"), ssize_str(o, u.device_unallocated, b1), NULL);
        overall_line(o, _("Device missing:"), size_str(o, u.device_missing, b1), NULL);
        overall_line(o, _("Used:"), size_str(o, u.used, b1), NULL);
        snprintf(extra, sizeof extra, _("(min: %s)"), size_str(o, u.free_min, b2));
        overall_line(o, _("Free (estimated):"), size_str(o, u.free_estimated, b1), extra);
        snprintf(b1, sizeof b1, "%.2f", u.data_ratio);
        overall_line(o, _("Data ratio:"), b1, NULL);
        snprintf(b1, sizeof b1, "%.2f", u.metadata_ratio);
        overall_line(o, _("Metadata ratio:"), b1, NULL);
        snprintf(extra, sizeof extra, _("(used: %s, %s)"), size_str(o, u.global_reserve_used, b2),
                 s->global_reserve_exact ? _("kernel's value") : _("estimated"));
        overall_line(o, _("Global reserve:"), size_str(o, u.global_reserve, b1), extra);
        overall_line(o, _("Multiple profiles:"), u.multiple_profiles ? _("yes") : _("no"), NULL);
        fputc('\n', o->out);
}

static void render_profiles(const struct inspect_render_opts *o, const struct fsd_btrfs_space *s) {
        char b1[32], b2[32];
        /* btrfs-progs' order: data, metadata, system */
        static const uint64_t type_order[] = { FSD_BTRFS_BG_DATA, FSD_BTRFS_BG_METADATA, FSD_BTRFS_BG_SYSTEM };
        for (size_t t = 0; t < 3; t++)
        for (size_t i = 0; i < s->n_space_infos; i++) {
                const struct fsd_btrfs_space_info *si = &s->space_infos[i];
                uint64_t first_type = (si->flags & FSD_BTRFS_BG_DATA) ? FSD_BTRFS_BG_DATA :
                                      (si->flags & FSD_BTRFS_BG_METADATA) ? FSD_BTRFS_BG_METADATA :
                                      FSD_BTRFS_BG_SYSTEM;
                if (first_type != type_order[t])
                        continue;
                double pct = si->total ? 100.0 * (double) si->used / (double) si->total : 0.0;
                fprintf(o->out, "%s%s,%s%s: ", o->pal->bold, type_label(si->flags), profile_name(si->flags),
                        o->pal->reset);
                fprintf(o->out, _("Size:%s, Used:%s (%.2f%%)"), size_str(o, si->total, b1),
                        size_str(o, si->used, b2), pct);
                fputc('\n', o->out);
        }
        fputc('\n', o->out);
        fprintf(o->out, "%s%s%s\n", o->pal->bold, _("Devices:"), o->pal->reset);
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct fsd_btrfs_device *d = &s->devices[i];
                char b3[32];
                fprintf(o->out, "   %3" PRIu64 "  ", d->devid);
                if (d->missing)
                        fprintf(o->out, "%s%s%s", o->pal->red, _("missing"), o->pal->reset);
                else
                        term_put_safe(o->out, d->path, strlen(d->path));
                fputc('\n', o->out);
                fprintf(o->out, "        ");
                fprintf(o->out, _("size %s, allocated %s, unallocated %s"), size_str(o, d->size, b1),
                        size_str(o, d->allocated, b2),
                        ssize_str(o, (int64_t) (d->size - d->allocated), b3));
                fputc('\n', o->out);
        }
        fputc('\n', o->out);
}

static void render_histogram(const struct inspect_render_opts *o, const struct fsd_btrfs_assessment *a) {
        static const char *const rows[] = { N_("Data"), N_("Metadata"), N_("System") };
        fprintf(o->out, "%s%s%s\n", o->pal->bold, _("Block groups by fill level (count):"), o->pal->reset);
        fputs("    ", o->out);
        put_padded(o->out, "", 10);
        for (unsigned b = 0; b < 10; b++) {
                char h[16];
                snprintf(h, sizeof h, "%u-%u%%", b * 10, b * 10 + 10);
                fprintf(o->out, "%8s", h);
        }
        fputc('\n', o->out);
        for (unsigned r = 0; r < _FSD_BTRFS_HIST_MAX; r++) {
                fputs("    ", o->out);
                put_padded(o->out, _(rows[r]), 10);
                for (unsigned b = 0; b < 10; b++)
                        fprintf(o->out, "%8" PRIu64, a->histogram[r][b]);
                fputc('\n', o->out);
        }
        fputc('\n', o->out);
}

static void reason_sentence(const struct inspect_render_opts *o, const struct fsd_btrfs_assessment *a,
                            const struct fsd_btrfs_reason *r) {
        char b1[32], b2[32];
        switch (r->code) {
        case FSD_BTRFS_REASON_NO_METADATA_CHUNK_ROOM:
                fprintf(o->out, _("No room for a new metadata chunk: %s unallocated, a %s metadata chunk "
                                  "needs %s on the devices. Metadata cannot grow; when its free space is "
                                  "used up, the next transaction aborts with ENOSPC and the filesystem "
                                  "goes read-only."),
                        size_str(o, r->value, b1), profile_name(a->metadata_flags), size_str(o, r->limit, b2));
                break;
        case FSD_BTRFS_REASON_LOW_HEADROOM:
                fprintf(o->out, _("Unallocated space is thin: %s, less than %s (one more metadata chunk "
                                  "and one more data chunk)."),
                        size_str(o, r->value, b1), size_str(o, r->limit, b2));
                break;
        case FSD_BTRFS_REASON_METADATA_FREE_BELOW_RESERVE:
                fprintf(o->out, _("Metadata free space (%s) is below the global reserve (%s): the "
                                  "filesystem already lives on its emergency pool."),
                        size_str(o, r->value, b1), size_str(o, r->limit, b2));
                break;
        case FSD_BTRFS_REASON_METADATA_FREE_NEAR_RESERVE:
                fprintf(o->out, _("Metadata free space (%s) is less than twice the global reserve (%s): "
                                  "kernels such as 4.19 stop overcommitting metadata here."),
                        size_str(o, r->value, b1), size_str(o, r->limit, b2));
                break;
        case FSD_BTRFS_REASON_RESERVE_IN_USE:
                fprintf(o->out, _("The global reserve is in use: %s of %s."), size_str(o, r->value, b1),
                        size_str(o, r->limit, b2));
                break;
        case FSD_BTRFS_REASON_OLD_KERNEL:
                fprintf(o->out, _("Kernel %s predates 5.0, where the delayed-refs reserve arrived: it runs "
                                  "delayed references out of the global reserve, the path of known "
                                  "ENOSPC aborts in __btrfs_free_extent (unless the vendor backported "
                                  "that series)."),
                        a->kernel_release);
                break;
        case FSD_BTRFS_REASON_DEVICE_MISSING:
                fprintf(o->out, _("%llu device(s) missing: the filesystem is degraded."), (unsigned long long) r->value);
                break;
        case FSD_BTRFS_REASON_HEADROOM_OK:
                fprintf(o->out, _("Unallocated space (%s) holds a new metadata chunk and a data chunk "
                                  "(%s)."),
                        size_str(o, r->value, b1), size_str(o, r->limit, b2));
                break;
        default:
                fputs(fsd_btrfs_reason_id(r->code), o->out);
        }
}

static void render_reason(const struct inspect_render_opts *o, const struct fsd_btrfs_assessment *a,
                          const struct fsd_btrfs_reason *r) {
        const char *color = r->level >= FSD_BTRFS_RISK_HIGH ? o->pal->red :
                            r->level == FSD_BTRFS_RISK_WATCH ? o->pal->yellow : o->pal->green;
        fprintf(o->out, "  %s*%s ", color, o->pal->reset);
        reason_sentence(o, a, r);
        fputc('\n', o->out);
}

static const char *risk_label(enum fsd_btrfs_risk r) {
        switch (r) {
        case FSD_BTRFS_RISK_OK: return _("OK");
        case FSD_BTRFS_RISK_WATCH: return _("WATCH");
        case FSD_BTRFS_RISK_HIGH: return _("HIGH");
        case FSD_BTRFS_RISK_CRITICAL: return _("CRITICAL");
        default: return "?";
        }
}

static void render_verdict(const struct inspect_render_opts *o, const struct fsd_btrfs_assessment *a) {
        const char *color = a->risk >= FSD_BTRFS_RISK_HIGH ? o->pal->red :
                            a->risk == FSD_BTRFS_RISK_WATCH ? o->pal->yellow : o->pal->green;
        fprintf(o->out, "%s%s%s %s%s%s%s\n", o->pal->bold, _("ENOSPC risk:"), o->pal->reset,
                o->pal->bold, color, risk_label(a->risk), o->pal->reset);
        if (o->quiet)
                return;
        for (size_t i = 0; i < a->n_reasons; i++)
                render_reason(o, a, &a->reasons[i]);
        if (a->kernel_has_delayed_refs_rsv < 0)
                fprintf(o->out, "  %s%s%s\n", o->pal->dim,
                        _("Kernel version unknown (offline): pass --kernel=RELEASE to judge it."), o->pal->reset);
        fputc('\n', o->out);

        const struct fsd_btrfs_reclaim_plan *p = &a->plan;
        if (!p->needed)
                return;
        char b1[32], b2[32], b3[32];
        fprintf(o->out, "%s%s%s\n", o->pal->bold, _("Reclaim plan:"), o->pal->reset);
        if (p->n_block_groups == 0) {
                fprintf(o->out, "  %s\n", _("No data block group can be relocated to gain space: add a "
                                            "device or delete data (and snapshots holding it)."));
                return;
        }
        fputs("  ", o->out);
        fprintf(o->out, _("Relocate %zu data block group(s), least used first: moves %s, returns %s of "
                          "unallocated space (wanted: %s)."),
                p->n_block_groups, size_str(o, p->bytes_to_move, b1), size_str(o, p->reclaimed, b2),
                size_str(o, p->reclaim_needed, b3));
        fputc('\n', o->out);
        if (!p->feasible)
                fprintf(o->out, "  %s%s%s\n", o->pal->yellow,
                        _("That is not enough for the target: also add space or delete data."), o->pal->reset);
        fprintf(o->out, "  %s\n", _("Run:"));
        for (size_t i = 0; i < p->n_commands; i++)
                fprintf(o->out, "    %s%s%s\n", o->pal->cyan, p->commands[i], o->pal->reset);
        fputc('\n', o->out);
}

static void render_block_groups(const struct inspect_render_opts *o, const struct fsd_btrfs_space *s) {
        char b1[32], b2[32];
        fprintf(o->out, "%s%s%s\n", o->pal->bold, _("Block groups:"), o->pal->reset);
        for (size_t i = 0; i < s->n_block_groups; i++) {
                const struct fsd_btrfs_block_group *bg = &s->block_groups[i];
                double pct = bg->length ? 100.0 * (double) bg->used / (double) bg->length : 0.0;
                char kind[64];
                snprintf(kind, sizeof kind, "%s,%s", type_label(bg->flags), profile_name(bg->flags));
                fprintf(o->out, "  %20" PRIu64 "  ", bg->start);
                put_padded(o->out, kind, 24);
                fprintf(o->out, "%12s %12s %6.1f%%\n", size_str(o, bg->length, b1), size_str(o, bg->used, b2), pct);
        }
        fputc('\n', o->out);
}

void render_inspect_text(const struct inspect_render_opts *o, const struct fsd_btrfs_space *s,
                         const struct fsd_btrfs_assessment *a) {
        if (!o->quiet) {
                char uuid[40];
                const uint8_t *u = s->fsid;
                snprintf(uuid, sizeof uuid,
                         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
                         u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
                fprintf(o->out, "%sbtrfs %s%s", o->pal->bold, uuid, o->pal->reset);
                if (s->label[0]) {
                        fputs("  \"", o->out);
                        term_put_safe(o->out, s->label, strnlen(s->label, sizeof s->label));
                        fputc('"', o->out);
                }
                fprintf(o->out, "  (%s", s->online ? _("online") : _("offline"));
                if (a->kernel_release[0])
                        fprintf(o->out, _(", kernel %s"), a->kernel_release);
                fprintf(o->out, _(", generation %llu, %zu block groups)\n\n"), (unsigned long long) s->generation,
                        s->n_block_groups);
                render_overall(o, s);
                render_profiles(o, s);
                render_histogram(o, a);
                if (o->block_groups)
                        render_block_groups(o, s);
        }
        render_verdict(o, a);
}

/* ---- shared with the HTML page (render-html-inspect.c) ---- */

const char *inspect_size_str(bool bytes, uint64_t v, char buf[32]) {
        struct inspect_render_opts o = { .bytes = bytes };
        return size_str(&o, v, buf);
}

const char *inspect_profile_name(uint64_t flags) {
        return profile_name(flags);
}

const char *inspect_type_label(uint64_t flags) {
        return type_label(flags);
}

const char *inspect_risk_label(enum fsd_btrfs_risk r) {
        return risk_label(r);
}

void inspect_reason_print(FILE *f, bool bytes, const struct fsd_btrfs_assessment *a,
                          const struct fsd_btrfs_reason *r) {
        struct inspect_render_opts o = { .out = f, .pal = palette_get(false), .bytes = bytes };
        reason_sentence(&o, a, r);
}
