/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Matching an incident against the rules: which conditions hold, which rule fits best. The
 * diagnosis the best rule gives is built in kb-diagnosis.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "basic/strbuf.h"
#include "diag/event-parse.h"
#include "kb-internal.h"
#include "kb.h"
#include "kb-match.h"

static void find_bit_flips(struct match_ctx *m) {
        const struct fsd_incident *inc = m->inc;
        for (size_t i = 0; i < inc->n_events && m->n_flips < KB_MAX_BIT_FLIPS; i++) {
                const struct fsd_event *e = &inc->events[i];
                if (e->kind != FSD_EV_CORRUPTION && e->kind != FSD_EV_CSUM_ERROR && e->kind != FSD_EV_TRANSID_ERROR)
                        continue;
                struct kb_value_pair p;
                /* the detail carries what the event was read against: a leaf dump's back reference
                 * one bit from the one looked for (lib/diag/btrfs-leaf.c) */
                bool from_detail = false;
                if (!kb_value_pair_find(e->text, &p) || p.differing_bits != 1) {
                        if (e->kind != FSD_EV_CORRUPTION || !kb_value_pair_find(e->detail, &p) || p.differing_bits != 1)
                                continue;
                        from_detail = true;
                }
                /* generations a few commits apart often differ in one low bit (428113 vs 428117):
                 * that is a lost write of a few transactions, as likely as a flip. Only a one-bit
                 * difference of 64 or more is taken as a flip for transids. */
                if (e->kind == FSD_EV_TRANSID_ERROR && !p.hex && p.bit < 6)
                        continue;
                m->flips[m->n_flips] = p;
                m->flip_from_detail[m->n_flips] = from_detail;
                m->flip_events[m->n_flips++] = e;
        }
}

static const char *incident_kernel(const struct fsd_incident *inc) {
        if (inc->kernel)
                return inc->kernel;
        for (size_t i = 0; i < inc->n_reports; i++)
                if (inc->reports[i] && inc->reports[i]->kernel)
                        return inc->reports[i]->kernel;
        return NULL;
}

/* A new chunk of a profile needs unallocated space on devs_min devices at once (volumes.c
 * btrfs_raid_array, gather_device_info). A device with no more than 64 MiB unallocated holds no
 * useful chunk: the first MiB of every device is never allocated, and a stripe below that is too
 * small for the metadata a commit needs (an inference, not a kernel threshold). */
#define KB_MIRROR_ROOM_MIN (UINT64_C(64) << 20)
bool kb_mirror_room(const struct fsd_btrfs_space_dump *sp, unsigned *ret_need, unsigned *ret_have) {
        if (!sp || !sp->n_devices)
                return false;
        const char *profile = sp->metadata_profile[0] ? sp->metadata_profile : sp->data_profile;
        unsigned need = 0;
        static const struct {
                const char *name;
                unsigned devs_min;
        } table[] = { { "raid1", 2 }, { "raid10", 2 }, { "raid1c3", 3 }, { "raid1c4", 4 }, { "raid5", 2 }, { "raid6", 3 } };
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (strcmp(profile, table[i].name) == 0)
                        need = table[i].devs_min;
        if (!need)
                return false;
        unsigned have = 0;
        for (size_t i = 0; i < sp->n_devices; i++)
                if (sp->devices[i].unallocated > KB_MIRROR_ROOM_MIN)
                        have++;
        *ret_need = need;
        *ret_have = have;
        return true;
}

/* Pinned bytes (space_info->bytes_pinned) are extents freed in the running transaction: they count
 * as used until the commit unpins them (fs/btrfs/extent-tree.c pin_down_extent and
 * unpin_extent_range, 6.1), and the free space the dump prints already subtracts them
 * (space-info.c btrfs_space_info_used). The flusher's COMMIT_TRANS step exists to get them back,
 * and 6.1's preemptive flusher commits when pinned bytes outweigh the delayed-item and delayed-ref
 * reserves (btrfs_preempt_reclaim_metadata_space). So the share that tells "a commit would have
 * given the space back" is pinned / (total - used): of the space not holding live data (pinned,
 * reserved, may_use, readonly and what is free), how much only a commit releases. A share of the
 * total would call a nearly full space_info with a little pinned "not pinned", and a share of the
 * printed free space is meaningless once it goes negative under overcommit. */
static bool dump_type_in(const char *type, unsigned types) {
        if (!types)
                return true;
        unsigned bits = strcmp(type, "DATA") == 0 ? 1u : strcmp(type, "SYSTEM") == 0 ? 2u :
                        strcmp(type, "METADATA") == 0 ? 4u : strcmp(type, "DATA+METADATA") == 0 ? 5u : 0u;
        return (bits & types) != 0;
}

const struct fsd_btrfs_dump_info *kb_pinned_share(const struct fsd_btrfs_space_dump *sp, unsigned types,
                                                  double *ret_share) {
        const struct fsd_btrfs_dump_info *best = NULL;
        double best_share = 0;
        for (size_t i = 0; sp && i < sp->n_info; i++) {
                const struct fsd_btrfs_dump_info *si = &sp->info[i];
                if (!si->have_totals || si->total <= si->used || !dump_type_in(si->type, types))
                        continue;
                double share = (double) si->pinned / (double) (si->total - si->used);
                if (!best || share > best_share) {
                        best = si;
                        best_share = share;
                }
        }
        if (best && ret_share)
                *ret_share = best_share;
        return best;
}

/* The pinned bytes explain an ENOSPC only when they are a large share of the space not holding live
 * data, and more than what the dump shows free: the commit would at least double what a
 * reservation could see. */
static bool pinned_share_holds(const struct fsd_btrfs_space_dump *sp, const struct kb_pinned_share *p) {
        double share;
        const struct fsd_btrfs_dump_info *si = kb_pinned_share(sp, p->types, &share);
        return si && share >= p->min && si->pinned >= p->min_bytes && si->pinned > 0 &&
               (si->free < 0 || si->pinned > (uint64_t) si->free);
}

const struct fsd_report *kb_first_report(const struct fsd_incident *inc) {
        for (size_t i = 0; i < inc->n_reports; i++)
                if (inc->reports[i])
                        return inc->reports[i];
        return NULL;
}

static bool str_in(const char *s, const char *const *list, size_t n) {
        if (!s)
                return false;
        for (size_t i = 0; i < n; i++)
                if (strcmp(s, list[i]) == 0)
                        return true;
        return false;
}

static bool event_is_failure(const struct fsd_event *e) {
        switch (e->kind) {
        case FSD_EV_TRANSACTION_ABORT:
        case FSD_EV_COMMIT_SKIPPED:
        case FSD_EV_READ_ONLY:
        case FSD_EV_SHUTDOWN:
        case FSD_EV_MOUNT_FAILED:
                return true;
        case FSD_EV_FS_ERROR:
                return e->layer == FSD_LAYER_FS;
        default:
                return false;
        }
}

static bool event_later(const struct fsd_event *a, size_t ia, const struct fsd_event *b, size_t ib);

/* The failure printed first: memory and device events sort before filesystem ones in the chain, so
 * print order (line, then time) decides, not the chain's order. btrfs's abort WARNING text names no
 * function and is printed just before the "error ... in FUNC:LINE" line of the same abort: the first
 * failure that names a function stands for both. */
static void find_first_failure(struct match_ctx *m) {
        const struct fsd_incident *inc = m->inc;
        for (int pass = 0; pass < 2 && !m->first_failure; pass++)
        for (size_t i = 0; i < inc->n_events; i++) {
                const struct fsd_event *e = &inc->events[i];
                if (!event_is_failure(e) || (pass == 0 && !e->function))
                        continue;
                if (!m->first_failure || event_later(e, i, m->first_failure, m->first_failure_index)) {
                        m->first_failure = e;
                        m->first_failure_index = i;
                }
        }
}

static bool substr_any(const char *s, const char *const *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (s && strstr(s, list[i]))
                        return true;
        return false;
}

static bool event_matches(const struct kb_cond *c, const struct fsd_event *e) {
        if (c->kinds && !((unsigned) e->kind < 64 && (c->kinds & (UINT64_C(1) << e->kind))))
                return false;
        /* A context event (a USB disconnect, a read md corrected from the other mirror) says what
         * else happened, not what failed: only a condition that names it (by text, function, errno
         * or detail) matches it. A bare kind ("any device-error", to require or to rule out) does
         * not, so md healing a read is not a device failure that vetoes a corruption diagnosis. */
        if (event_is_context(e) && !c->n_texts && !c->n_functions && !c->n_errnos && !c->n_details)
                return false;
        if (c->event_fs >= 0 && (int) e->fs != c->event_fs)
                return false;
        if (c->layer >= 0 && (int) e->layer != c->layer)
                return false;
        if (c->n_functions && !str_in(e->function, c->functions, c->n_functions))
                return false;
        if (c->n_errnos) {
                bool ok = false;
                for (size_t i = 0; i < c->n_errnos && !ok; i++)
                        ok = e->error == c->errnos[i];
                if (!ok)
                        return false;
        }
        if (c->n_texts && !substr_any(e->text, c->texts, c->n_texts))
                return false;
        if (c->n_details && !substr_any(e->detail, c->details, c->n_details))
                return false;
        return true;
}

/* after_failure: is the event printed after the incident's first failure (a consequence of it)?
 * The failure itself is not after itself. */
static bool event_after_failure(const struct match_ctx *m, const struct fsd_event *e, size_t i) {
        if (!m->first_failure || e == m->first_failure)
                return false;
        return event_later(m->first_failure, m->first_failure_index, e, i);
}

/* Is b later than a? Line numbers within one input are exact; otherwise timestamps. */
static bool event_later(const struct fsd_event *a, size_t ia, const struct fsd_event *b, size_t ib) {
        bool same_input = a->origin && b->origin && strcmp(a->origin, b->origin) == 0;
        if (same_input && a->line && b->line)
                return b->line > a->line;
        if (a->mono_usec >= 0 && b->mono_usec >= 0 && a->boot == b->boot && a->mono_usec != b->mono_usec)
                return b->mono_usec > a->mono_usec;
        if (a->wall_usec >= 0 && b->wall_usec >= 0 && a->wall_usec != b->wall_usec)
                return b->wall_usec > a->wall_usec;
        return ib > ia;
}

/* The first event that satisfies c. One that names neither device nor function (btrfs's abort
 * WARNING text "BTRFS: Transaction aborted (error -28)") gives way to a later one that names its
 * function (the "BTRFS: error (device X) in FUNC:LINE" line that follows). */
static bool event_cond_find(const struct match_ctx *m, const struct kb_cond *c, const struct fsd_event **ret) {
        const struct fsd_incident *inc = m->inc;
        const struct fsd_event *first = NULL;
        for (size_t i = 0; i < inc->n_events; i++) {
                const struct fsd_event *e = &inc->events[i];
                if (!event_matches(c, e))
                        continue;
                if (c->after_failure >= 0 && event_after_failure(m, e, i) != (bool) c->after_failure)
                        continue;
                bool ok = true;
                if (c->before) {
                        ok = false;
                        for (size_t j = 0; j < inc->n_events && !ok; j++)
                                ok = j != i && event_matches(c->before, &inc->events[j]) &&
                                     event_later(e, i, &inc->events[j], j);
                }
                if (ok && c->after) {
                        ok = false;
                        for (size_t j = 0; j < inc->n_events && !ok; j++)
                                ok = j != i && event_matches(c->after, &inc->events[j]) &&
                                     event_later(&inc->events[j], j, e, i);
                }
                if (!ok)
                        continue;
                /* a btrfs abort line names no function ("BTRFS error (device X): Transaction aborted
                 * (error -24)" on 5.x-6.x): the error line that follows does */
                bool weak = !e->device || (e->kind == FSD_EV_TRANSACTION_ABORT && e->fs == FSD_FS_BTRFS);
                if (e->function || (!first && !weak)) {
                        *ret = e;
                        return true;
                }
                if (!first)
                        first = e;
        }
        if (first)
                *ret = first;
        return first != NULL;
}

/* "__btrfs_free_extent.isra.71+0x65c/0xbd0 [btrfs]" names __btrfs_free_extent */
static bool rip_names(const char *rip, const char *fn) {
        if (!rip)
                return false;
        size_t n = strlen(fn);
        return strncmp(rip, fn, n) == 0 && (rip[n] == '+' || rip[n] == '.' || rip[n] == ' ' || rip[n] == 0);
}

bool kb_report_has_frame(const struct fsd_report *r, const char *fn, uint64_t *ret_line) {
        for (size_t i = 0; i < r->n_frames; i++)
                if (r->frames[i].func && strcmp(r->frames[i].func, fn) == 0) {
                        if (ret_line)
                                *ret_line = r->frames[i].line ? r->frames[i].line : r->first_line;
                        return true;
                }
        if ((r->guilty && strcmp(r->guilty, fn) == 0) || rip_names(r->rip, fn)) {
                if (ret_line)
                        *ret_line = r->first_line;
                return true;
        }
        return false;
}

static bool report_cond_find(const struct match_ctx *m, const struct kb_cond *c, uint64_t *ret_line) {
        for (size_t i = 0; i < m->inc->n_reports; i++) {
                const struct fsd_report *r = m->inc->reports[i];
                if (!r)
                        continue;
                if (c->report_types && !((unsigned) r->type < 32 && (c->report_types & (UINT32_C(1) << r->type))))
                        continue;
                if (!c->n_frames) {
                        *ret_line = r->first_line;
                        return true;
                }
                for (size_t k = 0; k < c->n_frames; k++)
                        if (kb_report_has_frame(r, c->frames[k], ret_line))
                                return true;
        }
        return false;
}

static bool incident_cond_holds(const struct match_ctx *m, const struct kb_cond *c) {
        if (c->has_kmin || c->has_kbelow) {
                if (!m->have_kv)
                        return c->kernel_if_unknown;
                if (c->has_kmin && kver_cmp(&m->kv, &c->kmin) < 0)
                        return false;
                if (c->has_kbelow && kver_cmp(&m->kv, &c->kbelow) >= 0)
                        return false;
        }
        if (c->read_only >= 0 && m->inc->read_only != (bool) c->read_only)
                return false;
        if (c->shutdown >= 0 && m->inc->shutdown != (bool) c->shutdown)
                return false;
        if (c->aborted >= 0 && m->inc->aborted != (bool) c->aborted)
                return false;
        if (c->bit_flip >= 0 && (m->n_flips > 0) != (bool) c->bit_flip)
                return false;
        if (c->mirror_short >= 0) {
                unsigned need, have;
                if (!kb_mirror_room(m->inc->btrfs_space, &need, &have) || (have < need) != (bool) c->mirror_short)
                        return false;
        }
        if (c->pinned.min >= 0 && !pinned_share_holds(m->inc->btrfs_space, &c->pinned))
                return false;
        return true;
}

/* @return whether the condition holds; *ret_line: its evidence, *ret_event: the event it matched. */
bool kb_cond_holds(const struct match_ctx *m, const struct kb_cond *c, uint64_t *ret_line,
                   const struct fsd_event **ret_event) {
        const struct fsd_event *e = NULL;
        uint64_t line = 0;
        bool found;
        switch (c->kind) {
        case COND_EVENT:
                found = event_cond_find(m, c, &e);
                if (found)
                        line = e->line;
                break;
        case COND_REPORT:
                found = report_cond_find(m, c, &line);
                break;
        default:
                found = incident_cond_holds(m, c);
                break;
        }
        if (c->absent) {
                found = !found;
                e = NULL;
                line = 0;
        }
        if (ret_line)
                *ret_line = line;
        if (ret_event)
                *ret_event = e;
        return found;
}

/* The event kinds and errnos every failure of a kind shows: an abort, an fs error, read-only, a
 * checksum or I/O error with EIO, ENOSPC, EUCLEAN or EROFS. A condition on these alone names the
 * class of an incident, not its cause. */
static bool kinds_are_generic(uint64_t kinds) {
        static const enum fsd_event_kind generic[] = {
                FSD_EV_FS_ERROR, FSD_EV_TRANSACTION_ABORT, FSD_EV_READ_ONLY, FSD_EV_SHUTDOWN, FSD_EV_COMMIT_SKIPPED,
                FSD_EV_CORRUPTION, FSD_EV_CSUM_ERROR, FSD_EV_TRANSID_ERROR, FSD_EV_IO_ERROR, FSD_EV_BUFFER_IO_ERROR,
                FSD_EV_WRITE_ERROR, FSD_EV_ENOSPC, FSD_EV_MOUNT_FAILED,
        };
        uint64_t mask = 0;
        for (size_t i = 0; i < ELEMENTSOF(generic); i++)
                mask |= UINT64_C(1) << generic[i];
        return kinds != 0 && (kinds & ~mask) == 0;
}

static bool errnos_are_generic(const int *errnos, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (errnos[i] != -EIO && errnos[i] != -ENOSPC && errnos[i] != -EUCLEAN && errnos[i] != -EROFS)
                        return false;
        return true;
}

/* Evidence for this cause rather than for the kind of failure: the message text, function, decoded
 * detail or call-trace frames, an event kind or errno beyond the generic ones, a kernel range, a
 * bit flip, the pasted usage. The incident's read-only/abort flags only say which kind it was. */
static bool cond_is_specific(const struct kb_cond *c) {
        switch (c->kind) {
        case COND_EVENT:
                return c->n_texts || c->n_details || c->n_functions || c->before || c->after ||
                       !kinds_are_generic(c->kinds) || !errnos_are_generic(c->errnos, c->n_errnos);
        case COND_REPORT:
                return c->n_frames > 0;
        case COND_INCIDENT:
                return c->has_kmin || c->has_kbelow || c->bit_flip >= 0 || c->mirror_short >= 0 || c->pinned.min >= 0;
        }
        return false;
}

bool kb_cond_assumes_kernel(const struct match_ctx *m, const struct kb_cond *c) {
        return c->kind == COND_INCIDENT && (c->has_kmin || c->has_kbelow) && !m->have_kv && c->kernel_if_unknown &&
               !c->absent;
}

static bool rule_applies(const struct match_ctx *m, const struct kb_rule *rule, struct candidate *ret) {
        /* a rule for one filesystem never explains another's incident; "none" rules apply to all */
        if (rule->info.fs != FSD_FS_NONE && rule->info.fs != m->inc->fs)
                return false;
        unsigned score = 0;
        bool specific = false, kernel_assumed = false;
        for (size_t i = 0; i < rule->n_require; i++) {
                const struct kb_cond *c = &rule->require[i];
                if (!kb_cond_holds(m, c, NULL, NULL))
                        return false;
                /* an assumed kernel range is no evidence: half its weight, and it proves nothing */
                if (kb_cond_assumes_kernel(m, c)) {
                        score += c->weight / 2;
                        kernel_assumed = true;
                        continue;
                }
                score += c->weight;
                /* the first requirement names the class; a second one, or a specific first one, is evidence */
                if (i > 0 || cond_is_specific(c))
                        specific = true;
        }
        for (size_t i = 0; i < rule->n_exclude; i++)
                if (kb_cond_holds(m, &rule->exclude[i], NULL, NULL))
                        return false;
        double conf = rule->base_confidence;
        for (size_t i = 0; i < rule->n_prefer; i++)
                if (kb_cond_holds(m, &rule->prefer[i], NULL, NULL) && !kb_cond_assumes_kernel(m, &rule->prefer[i])) {
                        score += rule->prefer[i].weight;
                        conf += rule->prefer[i].boost;
                        if (!rule->prefer[i].absent && cond_is_specific(&rule->prefer[i]))
                                specific = true;
                }
        if (conf > 0.99)
                conf = 0.99;
        if (!specific && conf > KB_CLASS_ONLY_CONFIDENCE)
                conf = KB_CLASS_ONLY_CONFIDENCE;
        if (kernel_assumed && conf > KB_KERNEL_ASSUMED_CONFIDENCE)
                conf = KB_KERNEL_ASSUMED_CONFIDENCE;
        *ret = (struct candidate) { rule, score, conf, !specific, kernel_assumed };
        return true;
}

static bool candidate_better(const struct candidate *a, const struct candidate *b) {
        if (a->score != b->score)
                return a->score > b->score;
        if (a->confidence != b->confidence)
                return a->confidence > b->confidence;
        if (a->rule->priority != b->rule->priority)
                return a->rule->priority > b->rule->priority;
        return strcmp(a->rule->info.id, b->rule->info.id) < 0;
}

int kb_diagnose(const struct fsd_kb *kb, const struct fsd_incident *inc, struct fsd_diagnosis **ret_diag) {
        if (!inc || !ret_diag)
                return -EINVAL;
        if (!kb) {
                int r = kb_builtin(&kb);
                if (r < 0)
                        return r;
        }
        struct match_ctx m = { .inc = inc, .kernel = incident_kernel(inc) };
        m.have_kv = m.kernel && kver_parse(m.kernel, &m.kv) == 0;
        find_bit_flips(&m);
        find_first_failure(&m);

        struct candidate best = {}, cand;
        bool have_best = false;
        for (size_t i = 0; i < kb->n_rules; i++)
                if (rule_applies(&m, &kb->rules[i], &cand) && (!have_best || candidate_better(&cand, &best))) {
                        best = cand;
                        have_best = true;
                }

        return kb_diagnosis_build(&m, have_best ? &best : NULL, ret_diag);
}
