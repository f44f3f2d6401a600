/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once
/* The subsystem parsers event_parse() dispatches to, one file each (event-btrfs.c, event-ext4.c,
 * event-xfs.c, event-block.c, event-overlay.c). They build events with event-util.h only. */
#include "fsdoctor.h"
#include "event-parse.h"

/* Per-subsystem parsers: text starts at the subsystem prefix. They return 1 with *ev filled (via
 * event_begin()) or 0 when the line is not one of their events. */
int event_parse_btrfs(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_ext4(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_jbd2(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_ext4_aborting(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_xfs(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
/* Block layer "<name> error, dev X, sector N ..." with or without a "func: " prefix. */
int event_parse_blk(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_buffer_io(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_scsi(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_ata(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_nvme(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_dm(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
/* md RAID "md/raid1:md0: Disk failure on sdb1, disabling device.", "Cannot continue operation (2/4 failed)." */
int event_parse_md(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
/* iSCSI " connectionN:M: detected conn error (E)", "sessionN: session recovery timed out after S secs" */
int event_parse_iscsi(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
/* "overlayfs: failed to create directory D/work (errno: 28); mounting read-only" */
int event_parse_overlayfs(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
/* "Quota error (device X): func: msg" (fs/quota/dquot.c) */
int event_parse_quota(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
/* jbd2 out of journal space ("__jbd2_log_wait_for_space: no way to get more journal space in X-8")
 * and a journal block it cannot map ("jbd2_journal_bmap: journal block not found at offset N on X-8") */
int event_parse_jbd2_space(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
/* USB hub messages "usb 2-1: USB disconnect, device number 3", "usb 2-1: reset high-speed USB device
 * number 3 using xhci_hcd": events of the disk the port's storage became, when the log said which */
int event_parse_usb(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
/* iomap's "sdb1: writeback error on inode 131, offset 0, sector 2048" (5.5+; 5.4 "sdb1: writeback
 * error on sector 2048"), which names the filesystem's device and nothing else */
int event_parse_iomap_writeback(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_edac(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
int event_parse_mce(const char *p, const char *end, struct event_scratch *sc, struct fsd_event *ev);
