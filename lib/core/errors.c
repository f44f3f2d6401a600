/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include "fsdoctor.h"

unsigned fsd_version_number(void) {
        return FSD_VERSION_NUMBER;
}

const char *fsd_version_string(void) {
        return FSD_VERSION;
}

const char *fsd_strerror(int err) {
        if (err < 0)
                err = -err;
        switch (err) {
        case FSD_E_FORMAT: return "input is not a kernel log in any known format";
        case FSD_E_RULE: return "invalid knowledge-base rule";
        case FSD_E_CORRUPT: return "on-disk structure is corrupt";
        case FSD_E_TRUNCATED: return "input ends inside a structure";
        case FSD_E_CSUM: return "checksum mismatch";
        case FSD_E_UNSUPPORTED: return "unsupported feature";
        case FSD_E_LIMIT: return "input exceeds a resource limit";
        case FSD_E_NOT_BTRFS: return "not a btrfs filesystem (no btrfs magic)";
        default:
                if (err > FSD_E_BASE)
                        return "unknown fsdoctor error";
                return strerror(err);
        }
}
