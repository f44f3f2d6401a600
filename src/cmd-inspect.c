/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "shared/verbs.h"
#include "shared/i18n.h"

int verb_inspect(int argc, char **argv) {
        return log_error("%s", _("inspect: not available in this build yet"));
}
