/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The names of the library's enums, one table each, as the JSON output and the rule files write
 * them. In one place so that the modules that print or read them (diag, kb, report, render) depend
 * on this file, not on each other. */
#include "fsdoctor.h"
#include "basic/cleanup.h"

const char *fsd_event_kind_name(enum fsd_event_kind k) {
        static const char *const names[_FSD_EV_MAX] = {
                [FSD_EV_UNKNOWN] = "unknown",
                [FSD_EV_MEMORY_ERROR] = "memory-error",
                [FSD_EV_DEVICE_ERROR] = "device-error",
                [FSD_EV_DEVICE_RESET] = "device-reset",
                [FSD_EV_DEVICE_OFFLINE] = "device-offline",
                [FSD_EV_PATH_FAILED] = "path-failed",
                [FSD_EV_THIN_POOL_FULL] = "thin-pool-full",
                [FSD_EV_SPACE_ALLOC_ERROR] = "space-alloc-error",
                [FSD_EV_IO_ERROR] = "io-error",
                [FSD_EV_BUFFER_IO_ERROR] = "buffer-io-error",
                [FSD_EV_FS_ERROR] = "fs-error",
                [FSD_EV_WRITE_ERROR] = "write-error",
                [FSD_EV_TRANSACTION_ABORT] = "transaction-abort",
                [FSD_EV_READ_ONLY] = "read-only",
                [FSD_EV_SHUTDOWN] = "shutdown",
                [FSD_EV_USER_SHUTDOWN] = "user-shutdown",
                [FSD_EV_CORRUPTION] = "corruption",
                [FSD_EV_CSUM_ERROR] = "csum-error",
                [FSD_EV_TRANSID_ERROR] = "transid-error",
                [FSD_EV_DEV_STATS] = "dev-stats",
                [FSD_EV_DEVICE_MISSING] = "device-missing",
                [FSD_EV_ENOSPC] = "enospc",
                [FSD_EV_BALANCE_FAILED] = "balance-failed",
                [FSD_EV_COMMIT_SKIPPED] = "commit-skipped",
                [FSD_EV_RELOCATION] = "relocation",
                [FSD_EV_SCRUB] = "scrub",
                [FSD_EV_LOG_IO_ERROR] = "log-io-error",
                [FSD_EV_MOUNT] = "mount",
                [FSD_EV_UNMOUNT] = "unmount",
                [FSD_EV_SUPPRESSED] = "suppressed",
                [FSD_EV_LOG_RECOVERY] = "log-recovery",
                [FSD_EV_MOUNT_FAILED] = "mount-failed",
        };
        if ((unsigned) k >= _FSD_EV_MAX || !names[k])
                return "unknown";
        return names[k];
}

const char *fsd_fs_type_name(enum fsd_fs_type t) {
        static const char *const names[_FSD_FS_MAX] = {
                [FSD_FS_NONE] = "none",
                [FSD_FS_BTRFS] = "btrfs",
                [FSD_FS_EXT4] = "ext4",
                [FSD_FS_XFS] = "xfs",
                [FSD_FS_OTHER] = "other",
        };
        if ((unsigned) t >= _FSD_FS_MAX || !names[t])
                return "unknown";
        return names[t];
}

const char *fsd_severity_name(enum fsd_severity s) {
        static const char *const names[_FSD_SEVERITY_MAX] = { "info", "warning", "error", "critical" };
        return (unsigned) s < _FSD_SEVERITY_MAX ? names[s] : "unknown";
}

const char *fsd_path_visibility_name(enum fsd_path_visibility v) {
        static const char *const names[] = { "shown", "hidden", "inlined" };
        return (unsigned) v < ELEMENTSOF(names) ? names[v] : "unknown";
}
