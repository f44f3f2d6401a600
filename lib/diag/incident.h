/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
#include "basic/devname.h"
/* The correlator: filesystem/block events and kernel reports -> incidents, one per filesystem
 * (or device) per episode, with repeats folded and every input-driven allocation capped. */
#include "fsdoctor.h"

/* Hard limits: they keep memory constant on any input (a storm of a million distinct messages
 * costs no more than INCIDENT_MAX_OPEN full incidents). */
#define INCIDENT_MAX_OPEN 256             /* open incidents; the least recently active is closed */
#define INCIDENT_MAX_EVENTS 64            /* distinct events kept per incident */
#define INCIDENT_MAX_REPORTS 8            /* reports attached per incident */
#define INCIDENT_MAX_PENDING_REPORTS 16   /* fs-related reports waiting for their incident */
#define INCIDENT_MAX_DEVICES 256          /* remembered mounts (device -> fs type, uuid) */
#define INCIDENT_MAX_BANNERS 64           /* remembered "Linux version" banners */
#define INCIDENT_MAX_TEXT 512             /* bytes of message text kept per event */
#define INCIDENT_MAX_MEMORY_ERRORS 16     /* remembered distinct memory errors (EDAC/MCE), all hosts */

/* An episode ends after this much quiet on its device: a storm with a message every few minutes
 * stays one incident, an error next week is a new one. Logs without timestamps use the record
 * count instead. */
#define INCIDENT_QUIET_GAP_USEC (INT64_C(600) * 1000000)
#define INCIDENT_QUIET_GAP_RECORDS 100000

/* Memory errors (EDAC/MCE) are incidents of their own, and are also linked into every incident with
 * a corruption, checksum or transid event on the same host and boot (before or after it, up to the
 * incident's close): a bit flip in RAM is a cause of such corruption, and the rules need to see both. */

/* Closed incident, borrowed for the call. The callback sets inc->diagnosis if it has one and must
 * release it itself before returning. Return < 0 to stop the analysis with that error. */
typedef int (*incident_emit_fn)(struct fsd_incident *inc, void *userdata);

struct correlator;

int correlator_new(incident_emit_fn emit, void *userdata, struct correlator **ret_correlator);
/* Every record, before its event (if any): kernel banners, boot changes, ageing of episodes. */
int correlator_note_record(struct correlator *c, const struct fsd_record *rec);
/* One parsed event; copied, the argument stays the caller's. */
int correlator_add_event(struct correlator *c, const struct fsd_event *ev);
/* One complete report; copied if it belongs to a filesystem, ignored otherwise. */
int correlator_add_report(struct correlator *c, const struct fsd_report *r);
/* Live use: hands every open, significant incident changed since the last call to emit (not the
 * correlator's own), without closing it. */
int correlator_flush_open(struct correlator *c, incident_emit_fn emit, void *userdata);
/* Closes (emits) every open incident whose last message is older than now - quiet.
 * @return how many, or a negative error. */
int correlator_close_quiet(struct correlator *c, int64_t now_mono_usec, int64_t quiet_usec);
/* End of input: emits every open incident, in id order. */
int correlator_finish(struct correlator *c);
struct correlator *correlator_free(struct correlator *c);

/* Exposed for the unit tests. */
/* Which filesystem a report's code belongs to, from its source file, guilty frame and call trace:
 * FSD_FS_NONE when it is not filesystem code we know. */
enum fsd_fs_type incident_report_fs(const struct fsd_report *r);
/* "loop0-8" (jbd2 names the journal device with its inode) -> length of "loop0"; "dm-9" stays. */
size_t incident_device_base_len(const char *dev);
