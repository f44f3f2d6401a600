/* SPDX-License-Identifier: GPL-2.0-or-later */
/* overlayfs mount-time messages that leave an overlay read-only (fs/overlayfs/super.c, 4.x-6.x):
 *   "overlayfs: failed to create directory UPPERDIR/wd/work (errno: 28); mounting read-only"
 *   "overlayfs: upper fs is r/o, try multi-lower layers mount"
 * The overlay has no device of its own; its events are keyed "overlay". */
#include <errno.h>
#include "event-parsers.h"
#include "event-util.h"

int event_parse_overlayfs(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev) {
        const char *q = p;
        if (!SCAN_EAT(&q, end, "overlayfs: "))
                return 0;
        const char *e;
        if (SCAN_STARTS(q, end, "failed to create directory") && (e = SCAN_FIND(q, end, "(errno: "))) {
                event_begin(ev, FSD_EV_READ_ONLY, FSD_FS_OTHER, FSD_LAYER_FS);
                const char *r = e + sizeof("(errno: ") - 1;
                int err;
                if (scan_int(&r, end, &err))
                        ev->error = err > 0 ? -err : err;
                struct span dir = span_range(q + sizeof("failed to create directory ") - 1, e);
                while (dir.len > 0 && dir.ptr[dir.len - 1] == ' ')
                        dir.len--;
                if (dir.len > 0)
                        event_add_detail(sc, ev, dir.ptr, dir.len);
        } else if (SCAN_STARTS(q, end, "upper fs is r/o")) {
                event_begin(ev, FSD_EV_READ_ONLY, FSD_FS_OTHER, FSD_LAYER_FS);
                ev->error = -EROFS;
                EVENT_ADD_DETAIL_LIT(sc, ev, "upper fs read-only");
        } else
                return 0;
        event_set_function(sc, ev, "overlayfs", sizeof("overlayfs") - 1);
        event_set_device(sc, ev, "overlay", sizeof("overlay") - 1);
        return 1;
}
