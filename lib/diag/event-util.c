/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The event builders the subsystem parsers (event-*.c) share: start an event, store its strings in
 * the scratch, find its errno. The dispatcher (event-parse.c) calls the parsers; the parsers call
 * only these. */
#include <errno.h>
#include "event-util.h"

/* The scratch an event is being built in: event_begin() only sees the event, so the parsers pass
 * both and the setters below write into the scratch. */
void event_begin(struct fsd_event *ev, enum fsd_event_kind kind, enum fsd_fs_type fs, enum fsd_layer layer) {
        *ev = (struct fsd_event) {
                .kind = kind,
                .fs = fs,
                .layer = layer,
                .sector = UINT64_MAX,
                .count = 1,
        };
}

void event_set_device(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        const char *end = p + n;
        SCAN_EAT(&p, end, "/dev/");
        const char *q = p;
        while (q < end && *q != ' ' && *q != ',' && *q != ')' && *q != ':')
                q++;
        if (q == p)
                return;
        ev->device = span_copy(sc->device, sizeof sc->device, p, (size_t) (q - p));
}

void event_set_function(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        if (n == 0)
                return;
        ev->function = span_copy(sc->function, sizeof sc->function, p, n);
}

void event_set_src_file(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        if (n == 0)
                return;
        ev->src_file = span_copy(sc->src_file, sizeof sc->src_file, p, n);
}

void event_set_error_text(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '.'))
                n--;
        if (n == 0)
                return;
        ev->error_text = span_copy(sc->error_text, sizeof sc->error_text, p, n);
}

void event_set_op(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        if (n == 0)
                return;
        ev->op = span_copy(sc->op, sizeof sc->op, p, n);
}

void event_add_detail(struct event_scratch *sc, struct fsd_event *ev, const char *p, size_t n) {
        size_t used = ev->detail ? strlen(sc->detail) : 0;
        while (n > 0 && p[n - 1] == ' ')
                n--;
        if (n == 0)
                return;
        if (used > 0) {
                if (used + 2 >= sizeof sc->detail)
                        return;
                memcpy(sc->detail + used, ", ", 2);
                used += 2;
        }
        span_copy(sc->detail + used, sizeof sc->detail - used, p, n);
        ev->detail = sc->detail;
}

void event_find_errno(struct fsd_event *ev, const char *p, const char *end) {
        static const struct {
                const char *lit;
                size_t len;
        } keys[] = {
                { "errno=", 6 },
                { "error -", 6 },  /* keep the sign: "error -5" */
                { "err -", 4 },
                { "error=", 6 },
                { "error = ", 8 },
        };
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const char *hit = scan_find(p, end, keys[i].lit, keys[i].len);
                if (!hit)
                        continue;
                const char *q = hit + keys[i].len;
                int v;
                if (scan_int(&q, end, &v) && v < 0) {
                        ev->error = v;
                        return;
                }
        }
}

int blk_status_to_errno(int status) {
        /* include/linux/blk_types.h; these values have been stable since blk_status_t came in 4.13 */
        static const int map[] = {
                [0] = 0,
                [1] = -EOPNOTSUPP,
                [2] = -ETIMEDOUT,
                [3] = -ENOSPC,
                [4] = -ENOLINK,
                [5] = -EREMOTEIO,
                [6] = -EBADE,
                [7] = -ENODATA,
                [8] = -EILSEQ,
                [9] = -ENOMEM,
                [10] = -EIO,
                [11] = -EREMCHG,
                [12] = -EAGAIN,
                [13] = -EBUSY,
                [14] = -ETOOMANYREFS,
                [15] = -EOVERFLOW,
                [16] = -ENODEV,
                [17] = -ETIME,
        };
        if (status < 0)
                return status; /* before 4.13 bi_error was a negative errno already */
        if ((size_t) status >= ELEMENTSOF(map))
                return 0;
        return map[status];
}

const struct event_msg *event_msg_find(const struct event_msg *table, size_t n, const char *p, const char *end) {
        for (size_t i = 0; i < n; i++)
                if (scan_starts(p, end, table[i].text, strlen(table[i].text)))
                        return &table[i];
        return NULL;
}

void event_begin_msg(struct event_scratch *sc, struct fsd_event *ev, const struct event_msg *m, enum fsd_fs_type fs) {
        event_begin(ev, m->kind, fs, FSD_LAYER_FS);
        ev->error = m->err;
        event_add_detail(sc, ev, m->detail, strlen(m->detail));
}
