/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One incident as a block of text for a human woken at 3 a.m.: what broke and where first, then
 * the chain of messages that led there, then what the knowledge base says, then the reports. */
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "basic/cleanup.h"
#include "render.h"
#include "shared/i18n.h"

#define CHAIN_TEXT_MAX 200   /* a log line in the chain is cut here; the log has the rest */

const char *incident_kind_label(enum fsd_event_kind k) {
        switch (k) {
        case FSD_EV_MEMORY_ERROR: return _("memory error");
        case FSD_EV_DEVICE_ERROR: return _("device error");
        case FSD_EV_DEVICE_RESET: return _("device reset");
        case FSD_EV_DEVICE_OFFLINE: return _("device offline");
        case FSD_EV_PATH_FAILED: return _("multipath path failed");
        case FSD_EV_THIN_POOL_FULL: return _("thin pool out of space");
        case FSD_EV_SPACE_ALLOC_ERROR: return _("backing storage out of space");
        case FSD_EV_IO_ERROR: return _("I/O error");
        case FSD_EV_BUFFER_IO_ERROR: return _("buffer I/O error");
        case FSD_EV_FS_ERROR: return _("filesystem error");
        case FSD_EV_WRITE_ERROR: return _("write failed");
        case FSD_EV_TRANSACTION_ABORT: return _("transaction aborted");
        case FSD_EV_READ_ONLY: return _("forced read-only");
        case FSD_EV_SHUTDOWN: return _("filesystem shut down");
        case FSD_EV_USER_SHUTDOWN: return _("shutdown requested by a user");
        case FSD_EV_CORRUPTION: return _("corruption detected");
        case FSD_EV_CSUM_ERROR: return _("checksum error");
        case FSD_EV_TRANSID_ERROR: return _("transid mismatch");
        case FSD_EV_DEV_STATS: return _("device error counters");
        case FSD_EV_DEVICE_MISSING: return _("device missing");
        case FSD_EV_ENOSPC: return _("out of space (ENOSPC)");
        case FSD_EV_BALANCE_FAILED: return _("balance failed");
        case FSD_EV_COMMIT_SKIPPED: return _("commit skipped");
        case FSD_EV_LOG_IO_ERROR: return _("log I/O error");
        case FSD_EV_MOUNT_FAILED: return _("mount failed");
        default: return _("event");
        }
}

static void put(struct render_ctx *c, const char *s) {
        if (s)
                term_put_safe(c->out, s, strlen(s));
}

static void field(struct render_ctx *c, const char *label, const char *value) {
        if (!value || !*value)
                return;
        fprintf(c->out, "  %s", c->pal->dim);
        term_put_padded(c->out, label, 12);
        fprintf(c->out, "%s ", c->pal->reset);
        put(c, value);
        fputc('\n', c->out);
}

size_t render_format_time(char *buf, size_t size, int64_t wall_usec, bool local, int64_t mono_usec) {
        size_t n = 0;
        buf[0] = 0;
        if (wall_usec >= 0) {
                time_t t = (time_t) (wall_usec / 1000000);
                struct tm tm;
                if (gmtime_r(&t, &tm))
                        n = strftime(buf, size, local ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M:%S UTC", &tm);
        }
        if (mono_usec >= 0 && n < size) {
                int k = snprintf(buf + n, size - n, "%s[%" PRId64 ".%06" PRId64 "]", n ? " " : "",
                                 mono_usec / 1000000, mono_usec % 1000000);
                if (k > 0)
                        n = MIN(size - 1, n + (size_t) k);
        }
        return n;
}

static void render_when(struct render_ctx *c, const struct fsd_incident *inc) {
        char start[96], end[96], both[200];
        if (!render_format_time(start, sizeof start, inc->start_wall_usec, inc->wall_local, inc->start_mono_usec))
                return;
        render_format_time(end, sizeof end, inc->end_wall_usec, inc->wall_local, inc->end_mono_usec);
        if (*end && strcmp(start, end) != 0)
                snprintf(both, sizeof both, "%s .. %s%s", start, end,
                         inc->year_assumed ? _(" (year assumed: the log prints none)") : "");
        else
                snprintf(both, sizeof both, "%s%s", start, inc->year_assumed ? _(" (year assumed: the log prints none)") : "");
        field(c, _("time"), both);
}

static const char *diagnosis_title(const struct fsd_diagnosis *d) {
        if (!d || !d->rule_id)
                return NULL;
        const char *t = i18n_lang() == UI_LANG_ZH && d->title.zh ? d->title.zh : d->title.en;
        return t && *t ? t : d->rule_id;
}

static void render_chain(struct render_ctx *c, const struct fsd_incident *inc) {
        fprintf(c->out, "  %s%s%s\n", c->pal->dim, _("what happened, cause first"), c->pal->reset);
        for (size_t i = 0; i < inc->n_events; i++) {
                const struct fsd_event *ev = &inc->events[i];
                const char *color = ev->kind == FSD_EV_READ_ONLY || ev->kind == FSD_EV_SHUTDOWN ||
                                    ev->kind == FSD_EV_TRANSACTION_ABORT || ev->kind == FSD_EV_MOUNT_FAILED
                                            ? c->pal->red : c->pal->yellow;
                fprintf(c->out, "    %s %s%s%s", i ? "->" : "  ", color, incident_kind_label(ev->kind), c->pal->reset);
                if (ev->device && (!inc->device || strcmp(ev->device, inc->device) != 0)) {
                        /* full-width parentheses in Chinese */
                        fputs(_(" ("), c->out);
                        put(c, ev->device);
                        fputs(_(")"), c->out);
                }
                if (ev->count > 1)
                        fprintf(c->out, _(" x%" PRIu64), ev->count);
                /* the correlator links a host's memory errors into its corruption incidents: say
                 * why a line outside the incident's own span leads its chain */
                if (ev->kind == FSD_EV_MEMORY_ERROR && inc->fs != FSD_FS_NONE)
                        fputs(_(", linked: same host and boot"), c->out);
                uint64_t last = ev->last_line > ev->line ? ev->last_line : ev->line;
                if (last > ev->line)
                        fprintf(c->out, _("  lines %" PRIu64 "-%" PRIu64 "\n"), ev->line, last);
                else
                        fprintf(c->out, _("  line %" PRIu64 "\n"), ev->line);
                if (ev->text && *ev->text) {
                        size_t n = strlen(ev->text);
                        fprintf(c->out, "         %s", c->pal->dim);
                        term_put_safe(c->out, ev->text, MIN(n, (size_t) CHAIN_TEXT_MAX));
                        fprintf(c->out, "%s%s\n", n > CHAIN_TEXT_MAX ? "..." : "", c->pal->reset);
                }
        }
}

void render_incident_text(struct render_ctx *c, const struct fsd_incident *inc) {
        c->n_incidents++;
        const char *title = diagnosis_title(inc->diagnosis);
        fprintf(c->out, "%s%s", c->pal->bold, c->pal->red);
        fprintf(c->out, _("Incident %" PRIu32 ": "), inc->id);
        put(c, title ? title : _("unrecognized filesystem incident"));
        fprintf(c->out, "%s\n", c->pal->reset);

        char buf[512];
        if (inc->host) {
                snprintf(buf, sizeof buf, _("%s (boot %" PRIu32 ")"), inc->host, inc->boot);
                field(c, _("host"), buf);
        }
        render_when(c, inc);
        const char *fs = inc->fs == FSD_FS_NONE ? _("no filesystem seen") : fsd_fs_type_name(inc->fs);
        snprintf(buf, sizeof buf, _("%s on %s"), fs, inc->device ? inc->device : _("unknown device"));
        field(c, _("filesystem"), buf);
        field(c, _("mounted at"), inc->mount_point);
        field(c, "UUID", inc->fs_uuid);
        field(c, _("kernel"), inc->kernel);
        if (inc->comm) {
                if (inc->pid >= 0)
                        snprintf(buf, sizeof buf, _("%s (PID %d)"), inc->comm, inc->pid);
                else
                        snprintf(buf, sizeof buf, "%s", inc->comm);
                field(c, _("process"), buf);
        }
        buf[0] = 0;
        size_t n = 0;
        const char *outcomes[5] = {
                inc->read_only ? _("read-only") : NULL,
                inc->shutdown ? _("shut down") : NULL,
                inc->aborted ? _("transaction aborted") : NULL,
                inc->mount_failed ? _("mount failed") : NULL,
                inc->panicked ? _("kernel panicked") : NULL,
        };
        for (size_t i = 0; i < ELEMENTSOF(outcomes); i++)
                if (outcomes[i] && n < sizeof buf)
                        n += (size_t) snprintf(buf + n, sizeof buf - n, "%s%s", n ? _(", ") : "", outcomes[i]);
        field(c, _("outcome"), n ? buf : _("still writable as far as the log shows"));
        snprintf(buf, sizeof buf, "%s:%" PRIu64 "-%" PRIu64, inc->origin ? inc->origin : "-", inc->first_line,
                 inc->last_line);
        field(c, _("log lines"), buf);
        if (inc->n_suppressed) {
                snprintf(buf, sizeof buf, _("%" PRIu64 " more messages were suppressed by the kernel"),
                         inc->n_suppressed);
                field(c, _("note"), buf);
        }
        render_chain(c, inc);
        if (inc->diagnosis)
                render_diagnosis_text(c, inc, inc->diagnosis);
        if (inc->n_reports) {
                fprintf(c->out, "  %s%s%s\n", c->pal->dim, _("kernel reports (shown in full above)"), c->pal->reset);
                for (size_t i = 0; i < inc->n_reports; i++) {
                        const struct fsd_report *r = inc->reports[i];
                        fputs("    ", c->out);
                        put(c, r->title ? r->title : fsd_report_type_name(r->type));
                        fprintf(c->out, _("  line %" PRIu64 "\n"), r->first_line);
                }
        }
        render_source_text(c, c->source);
        fputc('\n', c->out);
}
